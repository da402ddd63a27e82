/*
 * merge-int.h - what Copy & Merge (repo-merge.c) and the gateway import
 * (import-match.c) share: the rules in force, the preparation of an
 * incoming record and the making of a result.  Private to those files,
 * which are part of the repository module.
 */
#ifndef CORE_MERGE_INT_H
#define CORE_MERGE_INT_H

#include "match.h"
#include "merge.h"
#include "repo-int.h"
#include "rules.h"

#include "lint.h"

/* The rules an operation runs, loaded once (a gateway import runs them per record). */
struct merge_rules {
    struct core_rules *merge; /* never NULL once loaded */
    char merge_name[128];
    struct core_rules *norm;  /* NULL: merge.normalize is "none" */
    char norm_name[128];
    struct core_local_tags tags; /* link.local_tags */
};

/* Load the merge rule `name` (NULL: merge.rule, else the default), the
 * incoming normalization rule and the local tags. */
int merge_rules_load(struct core_repo *repo, const char *name, struct merge_rules *mr);
void merge_rules_free(struct merge_rules *mr);

/* out = in prepared as merge.h describes (UTF-8 NFC, 001/003 to 035, no 001 003 005). */
int merge_prepare_incoming(struct core_repo *repo, const struct marc_record *in,
                           struct marc_record *out);

/* What making a result did besides the rule. */
struct merge_effects {
    int removed_998;
    int normalize_changes;
};

/*
 * out = local and incoming (prepared) combined per mode (Import: incoming
 * alone), 998 gone from a Copy & Merge monograph, the normalization rule
 * run.  mms, when given, goes to 001 with a new 005 (what a save would
 * write).  CORE_ERR_USER when a rule would make an invalid record.
 */
int merge_build(struct core_repo *repo, enum core_merge_mode mode, const struct merge_rules *mr,
                const struct marc_record *local, const struct marc_record *incoming,
                const char *mms, struct marc_record *out, struct merge_effects *fx);

/* The undeleted bibs of zone sharing a number of nums[0..n) (except `except`);
 * the numbers from ncurrent on are cancelled ones. */
int merge_find_numbers(struct core_repo *repo, enum core_zone zone, char (*nums)[CORE_IDENT_MAX],
                       size_t n, size_t ncurrent, const char *except, struct core_merge_dup **out,
                       size_t *nout);

/* Most OCLC numbers of one record that matching looks at. */
#define MERGE_MAX_NUMBERS 32

#endif
