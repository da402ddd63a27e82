/*
 * set.h - sets (SPEC §2, §3.9): a named list of record IDs (itemized) or a
 * saved query (logical) that is evaluated when a job runs.
 */
#ifndef CORE_SET_H
#define CORE_SET_H

#include "core.h"
#include "mms.h"
#include "repo.h"
#include "search.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct core_set_info {
    long id;
    char name[128];
    bool logical;
    char query[512];
    enum core_zone zone;
    bool physical;
    long count;        /* members (itemized), or -1 for a logical set not evaluated */
    time_t created;
    char created_by[64];
};

/*
 * Create a set from a query.  Itemized: the query runs now and its hits
 * (all of them) are stored; logical: the query is stored and evaluated by
 * each job.  *count (may be NULL) gets the number of members found.
 */
int core_set_create_query(struct core_repo *repo, const char *name, const char *query,
                          const struct core_search_opts *so, bool logical, long *count);
/* Create an itemized set from MMS IDs (each must exist). */
int core_set_create_ids(struct core_repo *repo, const char *name, const char *const *mms,
                        size_t n);
int core_set_delete(struct core_repo *repo, const char *name);
int core_set_get(struct core_repo *repo, const char *name, struct core_set_info *info);
/* All sets by name; *out is a heap array. */
int core_set_list(struct core_repo *repo, struct core_set_info **out, size_t *n);
/*
 * The members of a set, in order: stored ones, or a logical set's query run
 * now.  *mms is a heap array of IDs the caller frees.
 */
int core_set_members(struct core_repo *repo, const char *name, char (**mms)[CORE_MMS_MAX],
                     size_t *n);

#endif
