/*
 * rulerun.h - stored rules put to work outside a job (SPEC §3.10): tested
 * on one record with a preview (nothing saved), and an indication rule
 * filtering a set into a new set.  A normalization rule runs on a set as
 * the `normalize` job (job.h), which saves and reports per record.
 */
#ifndef CORE_RULERUN_H
#define CORE_RULERUN_H

#include "repo.h"
#include "rules.h"

#include <stdbool.h>

/* A rule tried on one record: the record before and after, nothing saved. */
struct core_rule_test {
    enum core_rule_kind kind;
    struct marc_record *before; /* the stored record (merge: the local one) */
    struct marc_record *after;  /* normalization: the result; merge: the merged record;
                                   indication: the record unchanged */
    int changes;                /* normalization: actions that changed something */
    bool indication;            /* indication: the rule's verdict */
};

/*
 * Try stored rule `name` on record `mms`.  A merge rule needs the incoming
 * record (`incoming`, the secondary; NULL for the other kinds): the result
 * is what Copy & Merge with this rule would save, the incoming
 * normalization and the 998 of monographs included (merge.h).  Free with
 * core_rule_test_free (also after a failure).
 */
int core_rule_test(struct core_repo *repo, const char *name, const char *mms,
                   const struct marc_record *incoming, struct core_rule_test *out /* OUT */);
void core_rule_test_free(struct core_rule_test *t);

/* Progress: records done of total. */
typedef void (*core_rule_progress_fn)(void *ctx, long done, long total);

/*
 * Indication rule `name` over the members of set `set`: the records it
 * says "true" of become the new itemized set `into`, in the set's order
 * (created even when empty).  *kept and *total (may be NULL) count them.
 * Deleted members are passed over.
 */
int core_rule_filter_set(struct core_repo *repo, const char *name, const char *set,
                         const char *into, core_rule_progress_fn progress, void *pctx, long *kept,
                         long *total);

#endif
