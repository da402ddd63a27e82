/*
 * search.h - searching a zone with the query language of SPEC §3.2.
 *
 *   tolstoy                        keyword (all text)
 *   title="war and peace"          a phrase in one index
 *   author=tolst* AND subject=war  trailing truncation, Boolean operators
 *   isbn=0-306-40615-2             ISBN-10 and -13 find the same records
 *   oclc=ocm00012345               OCLC prefixes and leading zeros ignored
 *   linked=network   linked!=network
 *   (title=a OR title=b) NOT author=c
 *
 * Indexes: keyword, title, author, subject, mms, oclc, isbn, issn, linked,
 * barcode.  Words are matched with diacritics folded.  A malformed query is
 * refused with a message giving the column of the problem.
 */
#ifndef CORE_SEARCH_H
#define CORE_SEARCH_H

#include "core.h"
#include "mms.h"
#include "repo.h"

#include <stdbool.h>
#include <stddef.h>

struct core_search_opts {
    enum core_zone zone;
    bool physical;  /* scope Physical titles: only bibs with holdings */
    size_t limit;   /* 0: 50 */
    size_t offset;
    bool count;     /* also count all hits (costs a second pass) */
    long count_max; /* with count: stop counting at this many (0: count all);
                       a total of count_max then means "count_max or more" */
    /* Asked now and then while the search runs (NULL: never); true ends it
     * at once with CORE_ERR_STOPPED and nothing in out.  The editor stops
     * work it does while idle when a key arrives.  Not asked of a remote
     * NZ's server. */
    bool (*stop)(void *ctx);
    void *stop_ctx;
};

/* One brief result line (SPEC §3.2). */
struct core_brief {
    char mms[CORE_MMS_MAX];
    char title[256];
    char author[160];
    char date[8];
    enum core_zone zone;
    int holdings;
    int items;
    char linked[CORE_MMS_MAX]; /* NZ MMS ID when the IZ bib is linked */
    char lock_user[64];        /* who holds the lock, "" when none */
    char assignee[64];         /* assigned to, "" when not assigned */
};

struct core_results {
    struct core_brief *hits; /* owned */
    size_t n;
    long total;              /* all hits when opts.count, else -1 */
};

/*
 * Run `query` in opts->zone.  Returns CORE_OK with out filled (free with
 * core_results_free), or CORE_ERR_USER for a malformed query ("column N:
 * ..." in core_repo_errmsg).
 */
int core_search(struct core_repo *repo, const char *query, const struct core_search_opts *opts,
                struct core_results *out /* OUT */);
void core_results_free(struct core_results *r);

/* The MMS IDs of hits, in the order core_search lists them. */
struct core_hit_ids {
    char (*mms)[CORE_MMS_MAX]; /* owned */
    size_t n;
    long total;                /* as in core_results */
};

/*
 * core_search reading only the hits' MMS IDs (no brief lines, locks or
 * assignments): a window of many hits costs about what one page of brief
 * lines does, so that a screen can page through it with core_brief_get
 * instead of running the query again for each page.  Free with
 * core_hit_ids_free.
 */
int core_search_ids(struct core_repo *repo, const char *query,
                    const struct core_search_opts *opts, struct core_hit_ids *out /* OUT */);
void core_hit_ids_free(struct core_hit_ids *h);

/* The brief line of the bib `mms` in `zone` as it is now; CORE_ERR_NOTFOUND
 * when there is none (deleted since it was found). */
int core_brief_get(struct core_repo *repo, enum core_zone zone, const char *mms,
                   struct core_brief *out /* OUT */);

/* Format one brief line for a terminal or a pipe (no newline). */
void core_brief_format(const struct core_brief *b, char *out, size_t size);

#endif
