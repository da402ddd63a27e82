/*
 * repo-merge.c - Copy & Merge, Copy & Overlay and Import of an external
 * record (see merge.h): the rules in force, preparing the incoming record,
 * making the result, finding the records that share its OCLC numbers, and
 * applying a plan through the ordinary save and create.
 *
 * Nothing here writes but core_merge_apply, which goes through
 * core_record_save or core_bib_create, so a merge gets every check a save
 * gets (validation, version, lock, linked records) and leaves a version.
 */
#include "merge-int.h"

#include "rulestore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *
core_merge_mode_name(enum core_merge_mode mode)
{
    switch (mode) {
    case CORE_MERGE_MERGE:
        return "Copy & Merge";
    case CORE_MERGE_OVERLAY:
        return "Copy & Overlay";
    default:
        return "Import";
    }
}

const char *
core_merge_default_normalization(void)
{
    return "# Colophon's incoming normalization (config merge.normalize): run on\n"
           "# every record Copy & Merge, Copy & Overlay, Import and the gateway\n"
           "# import bring in.  A serial (leader/07 s) gets the 998 no-overlay\n"
           "# field, which keeps gateway imports from overlaying it; Copy & Merge\n"
           "# removes the 998 of a monograph instead (seed 002).\n"
           "rule \"" CORE_MERGE_DEFAULT_NORMALIZATION "\"\n"
           "when\n"
           "(exists \"LDR.{7,1}.s\" AND NOT exists \"998\")\n"
           "then\n"
           "addField \"998.a.no-overlay\"\n"
           "end\n";
}

/* ---- the rules in force ---- */

static int
load_named(struct core_repo *repo, const char *name, enum core_rule_kind want, const char *setting,
           struct core_rules **rs)
{
    int rc = core_rule_load(repo, name, rs);
    if (rc != CORE_OK) {
        if (setting && rc == CORE_ERR_NOTFOUND)
            return repo_fail(repo, CORE_ERR_USER,
                             "the configuration %s names rule '%s', which does not exist; an "
                             "admin adds it (colophon rule add) or changes the setting",
                             setting, name);
        return rc;
    }
    if (core_rules_kind(*rs) == want)
        return CORE_OK;
    enum core_rule_kind got = core_rules_kind(*rs);
    char where[160] = "";
    if (setting)
        snprintf(where, sizeof where, " (the configuration %s names it)", setting);
    rc = repo_fail(repo, CORE_ERR_USER, "rule '%s' is %s %s rule, not %s %s rule%s", name,
                   got == CORE_RULE_INDICATION ? "an" : "a", core_rule_kind_name(got),
                   want == CORE_RULE_INDICATION ? "an" : "a", core_rule_kind_name(want), where);
    core_rules_free(*rs);
    *rs = NULL;
    return rc;
}

int
merge_rules_load(struct core_repo *repo, const char *name, struct merge_rules *mr)
{
    memset(mr, 0, sizeof *mr);
    int rc = repo_link_local_tags(repo, &mr->tags, true);
    if (rc != CORE_OK)
        return rc;
    char setting[128];
    const char *from = NULL;
    if (!name || !*name) {
        snprintf(setting, sizeof setting, "%s", core_config_get(repo, "merge.rule", ""));
        if (setting[0]) {
            name = setting;
            from = "merge.rule";
        }
    }
    if (name && *name) {
        rc = load_named(repo, name, CORE_RULE_MERGE, from, &mr->merge);
        snprintf(mr->merge_name, sizeof mr->merge_name, "%s", name);
    } else {
        mr->merge = core_rules_parse(core_rules_default_merge(), NULL);
        snprintf(mr->merge_name, sizeof mr->merge_name, "%s", CORE_MERGE_DEFAULT_RULE);
    }
    if (rc != CORE_OK)
        return rc;
    char norm[128];
    snprintf(norm, sizeof norm, "%s", core_config_get(repo, "merge.normalize", ""));
    if (strcasecmp(norm, "none") == 0)
        return CORE_OK;
    if (norm[0]) {
        rc = load_named(repo, norm, CORE_RULE_NORMALIZATION, "merge.normalize", &mr->norm);
        snprintf(mr->norm_name, sizeof mr->norm_name, "%s", norm);
    } else {
        mr->norm = core_rules_parse(core_merge_default_normalization(), NULL);
        snprintf(mr->norm_name, sizeof mr->norm_name, "%s", CORE_MERGE_DEFAULT_NORMALIZATION);
    }
    return rc;
}

void
merge_rules_free(struct merge_rules *mr)
{
    core_rules_free(mr->merge);
    core_rules_free(mr->norm);
    memset(mr, 0, sizeof *mr);
}

/* ---- the incoming record ---- */

static void
delete_all(struct marc_record *r, const char *tag)
{
    long i;
    while ((i = marc_record_find(r, tag, 0)) >= 0)
        marc_record_delete_field(r, (size_t)i);
}

/* A bare 001 "ocm123", "ocn123", "on123": OCLC's own control number. */
static bool
oclc_control_number(const struct marc_record *r)
{
    size_t len;
    const char *v = marc_record_value(r, "001", 0, &len);
    if (!v || marc_record_find(r, "003", 0) >= 0)
        return false;
    while (len && *v == ' ')
        v++, len--;
    size_t p = len >= 3 && (!strncmp(v, "ocm", 3) || !strncmp(v, "ocn", 3)) ? 3
               : len >= 2 && !strncmp(v, "on", 2)                          ? 2
                                                                           : 0;
    if (!p || p == len)
        return false;
    for (size_t i = p; i < len; i++)
        if ((v[i] < '0' || v[i] > '9') && !(v[i] == ' ' && i + 1 == len))
            return false;
    return true;
}

int
merge_prepare_incoming(struct core_repo *repo, const struct marc_record *in,
                       struct marc_record *out)
{
    marc_record_copy(out, in);
    int rc = repo_normalize(repo, out, NULL, NULL);
    if (rc != CORE_OK)
        return repo_fail(repo, CORE_ERR_USER, "the incoming record: %s", core_repo_errmsg(repo));
    if (oclc_control_number(out))
        marc_record_add_control(out, "003", "OCoLC", 5);
    char orig[128];
    repo_keep_old_001(out, orig, sizeof orig);
    delete_all(out, "001");
    delete_all(out, "003");
    delete_all(out, "005");
    return CORE_OK;
}

size_t
core_merge_oclc_numbers(const struct marc_record *r, char (*out)[CORE_IDENT_MAX], size_t max,
                        size_t *ncurrent)
{
    struct core_bib_keys k;
    memset(&k, 0, sizeof k);
    core_bib_keys_extract(r, &k);
    size_t n = 0;
    /* current numbers first: the first is the record's OCLC number in reports */
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1 && ncurrent)
            *ncurrent = n;
        for (size_t i = 0; i < k.nids && n < max; i++) {
            char want = pass == 0 ? CORE_ID_OCLC : CORE_ID_OCLC_OLD;
            if (k.ids[i].kind != want)
                continue;
            bool seen = false;
            for (size_t j = 0; j < n && !seen; j++)
                seen = strcmp(out[j], k.ids[i].value) == 0;
            if (!seen)
                snprintf(out[n++], CORE_IDENT_MAX, "%s", k.ids[i].value);
        }
    }
    core_bib_keys_free(&k);
    return n;
}

/* ---- records sharing a number ---- */

static void
add_dup(struct core_merge_dup **out, size_t *n, const char *mms, const char *title,
        const char *how)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*out)[i].mms, mms) == 0)
            return;
    *out = xrealloc(*out, (*n + 1) * sizeof **out);
    struct core_merge_dup *d = &(*out)[(*n)++];
    memset(d, 0, sizeof *d);
    snprintf(d->mms, sizeof d->mms, "%s", mms);
    snprintf(d->title, sizeof d->title, "%s", title);
    snprintf(d->how, sizeof d->how, "%s", how);
}

int
merge_find_numbers(struct core_repo *repo, enum core_zone zone, char (*nums)[CORE_IDENT_MAX],
                   size_t n, size_t ncurrent, const char *except, struct core_merge_dup **out,
                   size_t *nout)
{
    *out = NULL;
    *nout = 0;
    sqlite3_stmt *st = repo_stmt(repo, zone,
                                 "SELECT b.mms, b.title, substr(i.key, 1, 1) FROM {Z}.ident i "
                                 "JOIN {Z}.bib b ON b.id = i.bib WHERE i.key IN (?1, ?2) AND "
                                 "b.deleted_at IS NULL ORDER BY b.id");
    if (!st)
        return CORE_ERR_DB;
    for (size_t k = 0; k < n; k++) {
        char key[2][CORE_IDENT_MAX + 4];
        snprintf(key[0], sizeof key[0], "%c:%s", CORE_ID_OCLC, nums[k]);
        snprintf(key[1], sizeof key[1], "%c:%s", CORE_ID_OCLC_OLD, nums[k]);
        repo_bind_text(st, 1, key[0]);
        repo_bind_text(st, 2, key[1]);
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            const char *mms = repo_col_text(st, 0);
            if (except && strcmp(mms, except) == 0)
                continue;
            char how[96];
            bool old = k >= ncurrent || repo_col_text(st, 2)[0] == CORE_ID_OCLC_OLD;
            snprintf(how, sizeof how, "%sOCLC number %s", old ? "cancelled " : "", nums[k]);
            add_dup(out, nout, mms, repo_col_text(st, 1), how);
        }
        sqlite3_reset(st);
        if (step != SQLITE_DONE)
            return repo_db_fail(repo, "looking up OCLC numbers");
    }
    return CORE_OK;
}

int
core_merge_find_oclc(struct core_repo *repo, enum core_zone zone, const struct marc_record *r,
                     const char *except, struct core_merge_dup **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!core_repo_has_zone(repo, zone))
        return repo_fail(repo, CORE_ERR_USER, "this repository has no %s", core_zone_name(zone));
    struct marc_record *p = marc_record_new();
    int rc = merge_prepare_incoming(repo, r, p);
    char nums[MERGE_MAX_NUMBERS][CORE_IDENT_MAX];
    size_t cur = 0;
    size_t k = rc == CORE_OK ? core_merge_oclc_numbers(p, nums, MERGE_MAX_NUMBERS, &cur) : 0;
    if (rc == CORE_OK)
        rc = merge_find_numbers(repo, zone, nums, k, cur, except, out, n);
    marc_record_free(p);
    return rc;
}

/* ---- making the result ---- */

/*
 * One 035 per OCLC number: a local "(OCoLC)2911146" and the incoming
 * "(OCoLC)ocm02911146" (made from its 001/003) are one number twice.  The
 * first stays; a later one goes when it holds nothing but that $a.
 */
static void
dedupe_oclc(struct marc_record *r)
{
    char seen[MERGE_MAX_NUMBERS][CORE_IDENT_MAX];
    size_t nseen = 0;
    for (long i = marc_record_find(r, "035", 0); i >= 0;) {
        const struct marc_field *f = marc_record_field(r, (size_t)i);
        size_t len;
        const char *a = marc_field_value(f, 'a', &len);
        char num[CORE_IDENT_MAX];
        bool dup = false;
        if (a && core_ident_oclc(a, len, true, num)) {
            for (size_t k = 0; k < nseen && !dup; k++)
                dup = strcmp(seen[k], num) == 0;
            if (!dup && nseen < MERGE_MAX_NUMBERS)
                snprintf(seen[nseen++], CORE_IDENT_MAX, "%s", num);
        }
        if (dup && marc_field_subfield_count(f) == 1) {
            marc_record_delete_field(r, (size_t)i);
            i = marc_record_find(r, "035", (size_t)i);
        } else {
            i = marc_record_find(r, "035", (size_t)i + 1);
        }
    }
}

/* Replace `tag` of out with local's (or drop it when local has none). */
static void
control_from(struct marc_record *out, const struct marc_record *local, const char *tag)
{
    delete_all(out, tag);
    size_t len;
    const char *v = marc_record_value(local, tag, 0, &len);
    if (v)
        marc_record_add_control(out, tag, v, len);
}

int
merge_build(struct core_repo *repo, enum core_merge_mode mode, const struct merge_rules *mr,
            const struct marc_record *local, const struct marc_record *incoming, const char *mms,
            struct marc_record *out, struct merge_effects *fx)
{
    memset(fx, 0, sizeof *fx);
    if (mode == CORE_MERGE_MERGE) {
        if (core_rules_merge(mr->merge, local, incoming, out) < 0)
            return repo_fail(repo, CORE_ERR_USER,
                             "merge rule '%s' cannot combine these records (a field it adds "
                             "would not fit)",
                             mr->merge_name);
    } else if (mode == CORE_MERGE_OVERLAY) {
        core_match_compose(incoming, local, &mr->tags, out);
    } else {
        marc_record_copy(out, incoming);
    }
    dedupe_oclc(out);
    /* Alma's Copy & Merge: a monograph's 998 goes (eligible for overlays again). */
    if (mode == CORE_MERGE_MERGE && marc_record_leader(out)[7] == 'm') {
        long i;
        while ((i = marc_record_find(out, "998", 0)) >= 0) {
            marc_record_delete_field(out, (size_t)i);
            fx->removed_998++;
        }
    }
    if (mr->norm && core_rules_apply(mr->norm, out, &fx->normalize_changes) != 0)
        return repo_fail(repo, CORE_ERR_USER,
                         "normalization rule '%s' would make an invalid record of this one",
                         mr->norm_name);
    /* The local record's identity and time stamp: what the save checks and renews. */
    if (mms && local) {
        control_from(out, local, "001");
        control_from(out, local, "005");
    }
    return CORE_OK;
}

/* ---- plans ---- */

static int
mode_role(struct core_repo *repo, enum core_merge_mode mode)
{
    if (mode == CORE_MERGE_IMPORT)
        return core_require_role(repo, CORE_ROLE_CATALOGER | CORE_ROLE_CATALOGER_EXTENDED,
                                 "importing a record");
    return core_require_role(repo, CORE_ROLE_CATALOGER_EXTENDED,
                             mode == CORE_MERGE_MERGE ? "Copy & Merge" : "Copy & Overlay");
}

/* The local record: an undeleted bib of the IZ or NZ, read with its lock. */
static int
read_local(struct core_repo *repo, const char *mms, struct core_merge_plan *plan)
{
    struct core_record_info info;
    int rc = core_record_get(repo, mms, plan->local, &info);
    if (rc != CORE_OK)
        return rc;
    if (info.type != CORE_MMS_BIB)
        return repo_fail(repo, CORE_ERR_USER,
                         "%s is a holdings record; %s works on bibliographic records", mms,
                         core_merge_mode_name(plan->mode));
    if (info.deleted)
        return repo_fail(repo, CORE_ERR_USER, "%s has been deleted", mms);
    if (info.zone == CORE_ZONE_CZ)
        return repo_fail(repo, CORE_ERR_USER, "%s is in the community zone, which is read-only",
                         mms);
    snprintf(plan->mms, sizeof plan->mms, "%s", mms);
    snprintf(plan->title, sizeof plan->title, "%s", info.title);
    plan->zone = info.zone;
    plan->base_version = info.version;
    rc = core_record_lock_info(repo, mms, &plan->lock);
    if (rc == CORE_OK && plan->lock.locked && strcmp(plan->lock.user, core_repo_user(repo)) == 0)
        memset(&plan->lock, 0, sizeof plan->lock); /* the acting user's own lock */
    return rc;
}

int
core_merge_prepare(struct core_repo *repo, enum core_merge_mode mode, const char *mms,
                   enum core_zone zone, const struct marc_record *incoming, const char *rule,
                   struct core_merge_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    plan->mode = mode;
    plan->zone = zone;
    plan->local = marc_record_new();
    plan->result = marc_record_new();
    int rc = mode_role(repo, mode);
    if (rc != CORE_OK)
        return rc;
    if (mode != CORE_MERGE_IMPORT && (!mms || !*mms))
        return repo_fail(repo, CORE_ERR_USER, "%s needs the local record's MMS ID",
                         core_merge_mode_name(mode));
    if (mms && *mms && (rc = read_local(repo, mms, plan)) != CORE_OK)
        return rc;
    if (!core_repo_has_zone(repo, plan->zone) || plan->zone == CORE_ZONE_CZ)
        return repo_fail(repo, CORE_ERR_USER, "records cannot be imported into the %s",
                         core_zone_name(plan->zone));
    if (marc_record_kind(incoming) != MARC_KIND_BIBLIOGRAPHIC)
        return repo_fail(repo, CORE_ERR_USER,
                         "the incoming record is not bibliographic (leader/06 '%c')",
                         marc_record_leader(incoming)[6]);
    struct merge_rules mr;
    rc = merge_rules_load(repo, rule, &mr);
    struct marc_record *in = marc_record_new();
    if (rc == CORE_OK)
        rc = merge_prepare_incoming(repo, incoming, in);
    struct merge_effects fx;
    if (rc == CORE_OK)
        rc = merge_build(repo, mode, &mr, plan->local, in,
                         mode != CORE_MERGE_IMPORT && plan->mms[0] ? plan->mms : NULL,
                         plan->result, &fx);
    if (rc == CORE_OK) {
        if (mode == CORE_MERGE_MERGE)
            snprintf(plan->rule, sizeof plan->rule, "%s", mr.merge_name);
        snprintf(plan->normalize, sizeof plan->normalize, "%s", mr.norm ? mr.norm_name : "");
        plan->normalize_changes = fx.normalize_changes;
        plan->removed_998 = fx.removed_998;
        plan->local_fields = mode == CORE_MERGE_IMPORT
                                 ? 0
                                 : core_match_local_count(plan->result, &mr.tags);
        char nums[MERGE_MAX_NUMBERS][CORE_IDENT_MAX];
        size_t cur = 0;
        size_t k = core_merge_oclc_numbers(plan->result, nums, MERGE_MAX_NUMBERS, &cur);
        /* Import warns of them all; a merge of the others (duplicates to come) */
        rc = merge_find_numbers(repo, plan->zone, nums, k, cur,
                                mode != CORE_MERGE_IMPORT && plan->mms[0] ? plan->mms : NULL,
                                &plan->dups, &plan->ndups);
    }
    marc_record_free(in);
    merge_rules_free(&mr);
    return rc;
}

int
core_merge_apply(struct core_repo *repo, struct core_merge_plan *plan, marc_diag_fn diag,
                 void *diag_ctx)
{
    struct marc_record *r = marc_record_clone(plan->result);
    int rc;
    if (plan->mode == CORE_MERGE_IMPORT) {
        rc = core_bib_create(repo, plan->zone, r, "import", false, diag, diag_ctx, plan->created);
    } else {
        rc = mode_role(repo, plan->mode);
        if (rc == CORE_OK)
            rc = core_record_save(repo, plan->mms, r, plan->base_version,
                                  plan->mode == CORE_MERGE_MERGE ? "merge" : "overlay", false,
                                  diag, diag_ctx, &plan->new_version);
    }
    marc_record_free(r);
    return rc;
}

void
core_merge_plan_free(struct core_merge_plan *plan)
{
    if (!plan)
        return;
    marc_record_free(plan->local);
    marc_record_free(plan->result);
    free(plan->dups);
    memset(plan, 0, sizeof *plan);
}
