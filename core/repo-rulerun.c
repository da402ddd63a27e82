/*
 * repo-rulerun.c - stored rules tried on one record and indication rules
 * run over a set (see rulerun.h).  Reads records, writes only the new set.
 */
#include "merge-int.h"
#include "rulerun.h"
#include "rulestore.h"
#include "set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
core_rule_test_free(struct core_rule_test *t)
{
    if (!t)
        return;
    marc_record_free(t->before);
    marc_record_free(t->after);
    memset(t, 0, sizeof *t);
}

/* Copy & Merge with rule `name`, without the role or a write (merge.h). */
static int
test_merge(struct core_repo *repo, const char *name, const char *mms,
           const struct marc_record *incoming, struct core_rule_test *t)
{
    if (!incoming)
        return repo_fail(repo, CORE_ERR_USER,
                         "rule %s is a merge rule: test it with a second record (--with MMSID "
                         "or --from FILE)",
                         name);
    if (marc_record_kind(incoming) != MARC_KIND_BIBLIOGRAPHIC)
        return repo_fail(repo, CORE_ERR_USER,
                         "the incoming record is not bibliographic (leader/06 '%c')",
                         marc_record_leader(incoming)[6]);
    struct merge_rules mr;
    int rc = merge_rules_load(repo, name, &mr);
    struct marc_record *in = marc_record_new();
    if (rc == CORE_OK)
        rc = merge_prepare_incoming(repo, incoming, in);
    struct merge_effects fx;
    if (rc == CORE_OK)
        rc = merge_build(repo, CORE_MERGE_MERGE, &mr, t->before, in, mms, t->after, &fx);
    marc_record_free(in);
    merge_rules_free(&mr);
    return rc;
}

int
core_rule_test(struct core_repo *repo, const char *name, const char *mms,
               const struct marc_record *incoming, struct core_rule_test *t)
{
    memset(t, 0, sizeof *t);
    t->before = marc_record_new();
    t->after = marc_record_new();
    struct core_rules *rs = NULL;
    int rc = core_rule_load(repo, name, &rs);
    struct core_record_info info;
    if (rc == CORE_OK)
        rc = core_record_get(repo, mms, t->before, &info);
    if (rc == CORE_OK && info.deleted)
        rc = repo_fail(repo, CORE_ERR_USER, "%s has been deleted", mms);
    if (rc != CORE_OK) {
        core_rules_free(rs);
        return rc;
    }
    t->kind = core_rules_kind(rs);
    if (t->kind == CORE_RULE_MERGE) {
        core_rules_free(rs);
        return test_merge(repo, name, mms, incoming, t);
    }
    if (incoming)
        rc = repo_fail(repo, CORE_ERR_USER,
                       "rule %s is %s %s rule: it works on one record (--with and --from are "
                       "for merge rules)",
                       name, t->kind == CORE_RULE_INDICATION ? "an" : "a",
                       core_rule_kind_name(t->kind));
    marc_record_copy(t->after, t->before);
    if (rc == CORE_OK && t->kind == CORE_RULE_INDICATION)
        t->indication = core_rules_indicate(rs, t->before);
    else if (rc == CORE_OK && core_rules_apply(rs, t->after, &t->changes) != 0)
        rc = repo_fail(repo, CORE_ERR_USER, "rule %s would make an invalid record of %s", name,
                       mms);
    core_rules_free(rs);
    return rc;
}

int
core_rule_filter_set(struct core_repo *repo, const char *name, const char *set, const char *into,
                     core_rule_progress_fn progress, void *pctx, long *kept, long *total)
{
    struct core_rules *rs = NULL;
    int rc = core_rule_load(repo, name, &rs);
    if (rc == CORE_OK && core_rules_kind(rs) != CORE_RULE_INDICATION)
        rc = repo_fail(repo, CORE_ERR_USER,
                       "rule %s is a %s rule; only indication rules filter a set into another "
                       "(a normalization rule runs on a set as a job: colophon rule run %s --set "
                       "%s)",
                       name, core_rule_kind_name(core_rules_kind(rs)), name, set);
    struct core_set_info probe;
    if (rc == CORE_OK && core_set_get(repo, into, &probe) == CORE_OK)
        rc = repo_fail(repo, CORE_ERR_USER, "a set named '%s' already exists", into);
    char (*mms)[CORE_MMS_MAX] = NULL;
    size_t n = 0;
    if (rc == CORE_OK)
        rc = core_set_members(repo, set, &mms, &n);
    const char **hits = rc == CORE_OK ? xmalloc((n ? n : 1) * sizeof *hits) : NULL;
    size_t nhits = 0;
    struct marc_record *r = marc_record_new();
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        struct core_record_info info;
        int grc = core_record_get(repo, mms[i], r, &info);
        if (grc == CORE_ERR_DB || grc == CORE_ERR_IO)
            rc = grc;
        else if (grc == CORE_OK && !info.deleted && core_rules_indicate(rs, r))
            hits[nhits++] = mms[i];
        if (progress)
            progress(pctx, (long)i + 1, (long)n);
    }
    if (rc == CORE_OK)
        rc = core_set_create_ids(repo, into, hits, nhits);
    if (rc == CORE_OK && kept)
        *kept = (long)nhits;
    if (rc == CORE_OK && total)
        *total = (long)n;
    marc_record_free(r);
    free(hits);
    free(mms);
    core_rules_free(rs);
    return rc;
}
