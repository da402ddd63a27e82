/*
 * test_merge.c - copy cataloging (SPEC §3.5) on a real repository holding
 * the LoC sample records: Copy & Merge of a monograph (998 gone, local
 * fields kept) and of a serial (998 no-overlay added by the normalization
 * rule), Copy & Overlay, Import with its duplicate warning, merge.rule and
 * merge.normalize, the refusals (role, lock, changed since the preview),
 * the gateway import with every outcome and a second run, and rules tested
 * on one record or filtering a set.
 */
#include "testutil.h"
#include "core-fixture.h"

#include "iso2709.h"
#include "merge.h"
#include "reader.h"
#include "record.h"
#include "repo.h"
#include "rulerun.h"
#include "rules.h"
#include "rulestore.h"
#include "set.h"

#include <sqlite3.h>
#include <unistd.h>

static int
setup(void **state)
{
    cf_make_repo("merge");
    struct core_repo *r = cf_as("admin");
    assert_int_equal(core_user_add(r, "ivan", CORE_ROLE_INVENTORY, NULL), 0);
    assert_int_equal(core_user_add(r, "alice", CORE_ROLE_CATALOGER, NULL), 0);
    assert_int_equal(core_user_add(r, "bob", CORE_ROLE_CATALOGER, NULL), 0);
    assert_int_equal(core_user_add(r, "carol", CORE_ROLE_CATALOGER_EXTENDED, NULL), 0);
    core_repo_close(r);
    r = cf_as("alice");
    cf_load_loc(r);
    core_repo_close(r);
    return 0;
}

static int
teardown(void **state)
{
    return cf_remove();
}

/* ---- helpers ---- */

/* One column of the bib row of mms. */
static const char *
bib_column(const char *column, const char *mms)
{
    static char out[256];
    char text[256], path[256];
    snprintf(text, sizeof text, "SELECT %s FROM bib WHERE mms = ?1", column);
    snprintf(path, sizeof path, "%s/iz.db", cf_dir);
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_prepare_v2(db, text, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", text, sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, mms, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

/* Number of fields `tag` whose $a (or control value) is `value` ("" : any). */
static int
count_fields(const struct marc_record *r, const char *tag, const char *value)
{
    int n = 0;
    for (long i = marc_record_find(r, tag, 0); i >= 0;
         i = marc_record_find(r, tag, (size_t)i + 1)) {
        const struct marc_field *f = marc_record_field(r, (size_t)i);
        size_t len;
        const char *v = marc_field_is_control(f) ? marc_field_data(f, &len)
                                                 : marc_field_value(f, 'a', &len);
        if (!*value || (v && len == strlen(value) && memcmp(v, value, len) == 0))
            n++;
    }
    return n;
}

static void
add_field(struct marc_record *r, const char *tag, char code, const char *value)
{
    long i = marc_record_add_data(r, tag, ' ', ' ');
    assert_true(i >= 0);
    assert_int_equal(marc_record_append_subfield(r, (size_t)i, code, value, strlen(value)), 0);
}

static void
delete_tag(struct marc_record *r, const char *tag)
{
    long i;
    while ((i = marc_record_find(r, tag, 0)) >= 0)
        marc_record_delete_field(r, (size_t)i);
}

static void
set_a(struct marc_record *r, const char *tag, const char *value)
{
    long i = marc_record_find(r, tag, 0);
    assert_true(i >= 0);
    assert_int_equal(marc_record_set_subfield(r, (size_t)i, 0, value, strlen(value)), 0);
}

/* Save extra fields onto a stored record (as user). */
static void
give(const char *user, const char *mms, const char *tag, const char *value)
{
    struct core_repo *repo = cf_as(user);
    struct marc_record *r = marc_record_new();
    struct core_record_info in;
    assert_int_equal(core_record_get(repo, mms, r, &in), 0);
    add_field(r, tag, 'a', value);
    if (core_record_save(repo, mms, r, in.version, "edit", false, NULL, NULL, NULL) != CORE_OK)
        fail_msg("save %s: %s", mms, core_repo_errmsg(repo));
    marc_record_free(r);
    core_repo_close(repo);
}

/*
 * The "external" record of a stored one, as OCLC would send it: its content
 * with a new 245 $a and a 650 added, 001 ocm + the OCLC number with 003
 * OCoLC, its own 005 and a 9XX of OCLC's that must not come in.
 */
static struct marc_record *
external(struct core_repo *repo, const char *mms, const char *oclc, const char *title)
{
    struct marc_record *r = marc_record_new();
    assert_int_equal(core_record_get(repo, mms, r, NULL), 0);
    delete_tag(r, "001");
    delete_tag(r, "003");
    delete_tag(r, "005");
    delete_tag(r, "035");
    delete_tag(r, "9XX");
    char id[32];
    snprintf(id, sizeof id, "ocm%08ld", atol(oclc));
    marc_record_add_control(r, "001", id, strlen(id));
    marc_record_add_control(r, "003", "OCoLC", 5);
    marc_record_add_control(r, "005", "20200101120000.0", 16);
    set_a(r, "245", title);
    add_field(r, "650", 'a', "Copy cataloging.");
    add_field(r, "938", 'a', "OCLC vendor data");
    return r;
}

static struct core_merge_plan
plan_as(const char *user, enum core_merge_mode mode, const char *mms,
        const struct marc_record *in, const char *rule, int expect)
{
    struct core_repo *repo = cf_as(user);
    struct core_merge_plan p;
    int rc = core_merge_prepare(repo, mode, mms, CORE_ZONE_IZ, in, rule, &p);
    if (rc != expect)
        fail_msg("prepare as %s: %d (%s), expected %d", user, rc, core_repo_errmsg(repo), expect);
    core_repo_close(repo);
    return p;
}

static struct core_record_info
info_of(const char *mms)
{
    struct core_repo *repo = cf_as("admin");
    struct core_record_info in;
    assert_int_equal(core_record_get(repo, mms, NULL, &in), 0);
    core_repo_close(repo);
    return in;
}

/* ---- the default normalization rule and leader conditions ---- */

static void
test_default_normalization(void **state)
{
    char *err = NULL;
    struct core_rules *rs = core_rules_parse(core_merge_default_normalization(), &err);
    if (!rs)
        fail_msg("%s", err);
    assert_int_equal(core_rules_kind(rs), CORE_RULE_NORMALIZATION);
    assert_string_equal(core_rules_name(rs, 0), CORE_MERGE_DEFAULT_NORMALIZATION);
    struct marc_record *r = marc_record_new();
    marc_record_set_leader(r, "00000nas a2200000 a 4500", 24);
    add_field(r, "245", 'a', "A serial");
    int changes = 0;
    assert_int_equal(core_rules_apply(rs, r, &changes), 0);
    assert_int_equal(changes, 1);
    assert_int_equal(count_fields(r, "998", "no-overlay"), 1);
    assert_int_equal(core_rules_apply(rs, r, &changes), 0); /* not twice */
    assert_int_equal(changes, 0);
    assert_int_equal(count_fields(r, "998", ""), 1);
    marc_record_set_leader(r, "00000nam a2200000 a 4500", 24); /* a monograph */
    delete_tag(r, "998");
    assert_int_equal(core_rules_apply(rs, r, &changes), 0);
    assert_int_equal(changes, 0);
    core_rules_free(rs);
    /* The leader in conditions: position and value, regex; never in actions. */
    rs = core_rules_parse("rule \"maps\" when (exists \"LDR.{6,1}.e\" OR matches \"LDR\" "
                          "\"^.{6}[ef]\") then addField \"910.a.map\" end",
                          &err);
    if (!rs)
        fail_msg("%s", err);
    assert_int_equal(core_rules_apply(rs, r, &changes), 0);
    assert_int_equal(changes, 0);
    marc_record_set_leader(r, "00000nfm a2200000 a 4500", 24);
    assert_int_equal(core_rules_apply(rs, r, &changes), 0);
    assert_int_equal(changes, 1);
    core_rules_free(rs);
    assert_null(core_rules_parse("rule \"x\" when (exists \"LDR.a\") then removeField \"500\" end",
                                 &err));
    assert_non_null(strstr(err, "line 1, column"));
    assert_non_null(strstr(err, "leader is tested by position"));
    free(err);
    assert_null(
        core_rules_parse("rule \"x\"\nwhen (TRUE)\nthen\n  removeField \"LDR\"\nend", &err));
    assert_non_null(strstr(err, "line 4, column 15"));
    assert_non_null(strstr(err, "cannot change the leader"));
    free(err);
    marc_record_free(r);
}

/* ---- OCLC numbers ---- */

static void
test_oclc_numbers(void **state)
{
    struct marc_record *r = marc_record_new();
    marc_record_set_leader(r, "00000nam a2200000 a 4500", 24);
    add_field(r, "019", 'a', "888");
    add_field(r, "035", 'a', "(DLC)12345");
    add_field(r, "035", 'a', "(OCoLC)ocm00012345");
    add_field(r, "035", 'z', "(OCoLC)999");
    add_field(r, "245", 'a', "Numbers");
    char nums[8][CORE_IDENT_MAX];
    size_t cur = 9;
    size_t n = core_merge_oclc_numbers(r, nums, 8, &cur);
    assert_int_equal(n, 3);
    assert_int_equal(cur, 1);
    assert_string_equal(nums[0], "12345"); /* the current number first */
    assert_string_equal(nums[1], "888");
    assert_string_equal(nums[2], "999");
    marc_record_free(r);

    /* A bare 001 "ocm…" is an OCLC number; 019 meets 035 $a. */
    give("alice", cf_bib("77000348"), "035", "(OCoLC)77");
    struct core_repo *repo = cf_as("alice");
    r = marc_record_new();
    marc_record_set_leader(r, "00000nam a2200000 a 4500", 24);
    marc_record_add_control(r, "001", "ocm00000077", 11);
    add_field(r, "245", 'a', "Seventy-seven");
    struct core_merge_dup *d;
    assert_int_equal(core_merge_find_oclc(repo, CORE_ZONE_IZ, r, NULL, &d, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(d[0].mms, cf_bib("77000348"));
    assert_string_equal(d[0].how, "OCLC number 77");
    free(d);
    delete_tag(r, "001");
    add_field(r, "019", 'a', "77");
    assert_int_equal(core_merge_find_oclc(repo, CORE_ZONE_IZ, r, NULL, &d, &n), 0);
    assert_int_equal(n, 1);
    free(d);
    assert_int_equal(core_merge_find_oclc(repo, CORE_ZONE_IZ, r, cf_bib("77000348"), &d, &n), 0);
    assert_int_equal(n, 0); /* except */
    marc_record_free(r);
    core_repo_close(repo);
}

/* ---- Copy & Merge ---- */

static void
test_merge_monograph(void **state)
{
    const char *mms = cf_bib("77004773");
    give("alice", mms, "035", "(OCoLC)2911146");
    give("alice", mms, "949", "Local call note");
    give("alice", mms, "998", "OCLC record received");
    struct core_repo *repo = cf_as("alice");
    struct marc_record *in = external(repo, mms, "2911146", "Computer science & technology :");
    core_repo_close(repo);

    struct core_merge_plan p = plan_as("carol", CORE_MERGE_MERGE, mms, in, NULL, CORE_OK);
    assert_string_equal(p.mms, mms);
    assert_int_equal(p.base_version, 4);
    assert_string_equal(p.rule, CORE_MERGE_DEFAULT_RULE);
    assert_string_equal(p.normalize, CORE_MERGE_DEFAULT_NORMALIZATION);
    assert_int_equal(p.removed_998, 1);
    assert_int_equal(p.normalize_changes, 0);
    assert_false(p.lock.locked);
    struct marc_record *res = p.result;
    assert_int_equal(count_fields(res, "001", mms), 1);          /* identity kept */
    assert_int_equal(count_fields(res, "003", ""), 0);           /* OCLC's 003 stays out */
    assert_int_equal(count_fields(res, "245", "Computer science & technology :"), 1);
    assert_int_equal(count_fields(res, "650", "Copy cataloging."), 1); /* comes */
    assert_int_equal(count_fields(res, "949", "Local call note"), 1);  /* local, survives */
    assert_int_equal(count_fields(res, "998", ""), 0);           /* a monograph's 998 goes */
    assert_int_equal(count_fields(res, "938", ""), 0);           /* OCLC's 9XX stays out */
    assert_int_equal(count_fields(res, "035", "(DLC)77004773"), 1); /* local 035 kept */
    /* one 035 for the number, though OCLC's came as 001 ocm02911146 */
    assert_int_equal(count_fields(res, "035", "(OCoLC)2911146"), 1);
    assert_int_equal(count_fields(res, "035", "(OCoLC)ocm02911146"), 0);
    assert_int_equal(p.ndups, 0);
    assert_int_equal(p.local_fields, 1);

    /* Nothing is written until applied. */
    assert_int_equal(info_of(mms).version, 4);
    repo = cf_as("carol");
    assert_int_equal(core_merge_apply(repo, &p, NULL, NULL), 0);
    assert_int_equal(p.new_version, 5);
    struct core_record_info ri;
    struct marc_record *now = marc_record_new();
    assert_int_equal(core_record_get(repo, mms, now, &ri), 0);
    assert_string_equal(ri.reason, "merge");
    assert_string_equal(ri.updated_by, "carol");
    assert_int_equal(ri.version, 5);
    delete_tag(now, "005");
    delete_tag(res, "005");
    assert_int_equal(marc_record_field_count(now), marc_record_field_count(res));
    for (size_t i = 0; i < marc_record_field_count(now); i++)
        assert_true(marc_field_equal(marc_record_field(now, i), marc_record_field(res, i)));
    /* The content before is version 4: revert undoes the merge. */
    struct marc_record *v4 = marc_record_new();
    assert_int_equal(core_version_get(repo, mms, 4, v4), 0);
    assert_int_equal(count_fields(v4, "998", ""), 1);
    marc_record_free(v4);
    /* The index follows: the new 650 is searchable. */
    assert_int_equal(cf_sql_int("SELECT count(*) FROM ident WHERE key = 'o:2911146'"), 1);
    marc_record_free(now);
    core_repo_close(repo);
    core_merge_plan_free(&p);
    marc_record_free(in);
}

static void
test_merge_serial(void **state)
{
    const char *mms = cf_bib("ACD-3837"); /* leader "nas": a serial with OCLC 26273275 */
    give("alice", mms, "949", "Local serial note");
    struct core_repo *repo = cf_as("alice");
    struct marc_record *in = external(repo, mms, "26273275", "A better serial title");
    core_repo_close(repo);
    struct core_merge_plan p = plan_as("carol", CORE_MERGE_MERGE, mms, in, NULL, CORE_OK);
    assert_int_equal(p.removed_998, 0);
    assert_int_equal(p.normalize_changes, 1);
    assert_int_equal(count_fields(p.result, "998", "no-overlay"), 1);
    assert_int_equal(count_fields(p.result, "949", "Local serial note"), 1);
    assert_int_equal(count_fields(p.result, "035", "(OCoLC)26273275"), 1);
    repo = cf_as("carol");
    assert_int_equal(core_merge_apply(repo, &p, NULL, NULL), 0);
    struct marc_record *now = marc_record_new();
    assert_int_equal(core_record_get(repo, mms, now, NULL), 0);
    assert_int_equal(count_fields(now, "998", "no-overlay"), 1);
    core_merge_plan_free(&p);
    /* A second merge keeps the one 998 (local, and the rule adds no other). */
    p = plan_as("carol", CORE_MERGE_MERGE, mms, in, NULL, CORE_OK);
    assert_int_equal(p.normalize_changes, 0);
    assert_int_equal(count_fields(p.result, "998", ""), 1);
    core_merge_plan_free(&p);
    marc_record_free(now);
    core_repo_close(repo);
    marc_record_free(in);
}

/* ---- Copy & Overlay ---- */

static void
test_overlay(void **state)
{
    const char *mms = cf_bib("72002565");
    struct core_repo *repo = cf_as("admin");
    assert_int_equal(core_config_set(repo, "link.local_tags", "590"), 0);
    core_repo_close(repo);
    give("alice", mms, "035", "(ABC)123");
    give("alice", mms, "590", "Local note: signed by the author");
    give("alice", mms, "949", "Local call note");
    repo = cf_as("alice");
    struct marc_record *in = external(repo, mms, "555", "Overlaid title");
    add_field(in, "500", 'a', "A note from OCLC.");
    core_repo_close(repo);
    struct core_merge_plan p = plan_as("carol", CORE_MERGE_OVERLAY, mms, in, NULL, CORE_OK);
    assert_string_equal(p.rule, ""); /* no merge rule: the whole record but local fields */
    assert_int_equal(count_fields(p.result, "001", mms), 1);
    assert_int_equal(count_fields(p.result, "035", "(ABC)123"), 0); /* replaced */
    assert_int_equal(count_fields(p.result, "035", "(OCoLC)ocm00000555"), 1);
    assert_int_equal(count_fields(p.result, "590", ""), 1); /* local by link.local_tags */
    assert_int_equal(count_fields(p.result, "949", ""), 1);
    assert_int_equal(count_fields(p.result, "938", ""), 0);
    assert_int_equal(count_fields(p.result, "500", "A note from OCLC."), 1);
    assert_int_equal(count_fields(p.result, "245", "Overlaid title"), 1);
    assert_int_equal(p.local_fields, 2);
    repo = cf_as("carol");
    assert_int_equal(core_merge_apply(repo, &p, NULL, NULL), 0);
    struct core_record_info ri;
    assert_int_equal(core_record_get(repo, mms, NULL, &ri), 0);
    assert_string_equal(ri.reason, "overlay");
    assert_non_null(strstr(ri.title, "Overlaid title"));
    core_repo_close(repo);
    core_merge_plan_free(&p);
    marc_record_free(in);
}

/* ---- Import ---- */

static void
test_import_warns(void **state)
{
    const char *mms = cf_bib("ACD-3799"); /* OCLC 26244844 */
    struct core_repo *repo = cf_as("bob");
    struct marc_record *in = external(repo, mms, "26244844", "The same serial again");
    core_repo_close(repo);
    /* Import needs cataloger: bob may, ivan (inventory) may not. */
    struct core_merge_plan p = plan_as("ivan", CORE_MERGE_IMPORT, NULL, in, NULL, CORE_ERR_ROLE);
    core_merge_plan_free(&p);
    p = plan_as("bob", CORE_MERGE_IMPORT, NULL, in, NULL, CORE_OK);
    assert_int_equal(p.ndups, 1);
    assert_string_equal(p.dups[0].mms, mms);
    assert_string_equal(p.dups[0].how, "OCLC number 26244844");
    assert_int_equal(count_fields(p.result, "001", ""), 0); /* the MMS ID comes at creation */
    assert_int_equal(count_fields(p.result, "998", "no-overlay"), 1); /* a serial */
    long before = cf_sql_int("SELECT count(*) FROM bib");
    repo = cf_as("bob");
    assert_int_equal(core_merge_apply(repo, &p, NULL, NULL), 0);
    assert_true(p.created[0]);
    assert_string_not_equal(p.created, mms);
    struct core_record_info ri;
    assert_int_equal(core_record_get(repo, p.created, NULL, &ri), 0);
    assert_string_equal(ri.reason, "import");
    assert_string_equal(ri.created_by, "bob");
    assert_int_equal(cf_sql_int("SELECT count(*) FROM bib"), before + 1);
    core_merge_plan_free(&p);
    /* Now two records warn. */
    p = plan_as("bob", CORE_MERGE_IMPORT, mms, in, NULL, CORE_OK);
    assert_int_equal(p.ndups, 2);
    core_merge_plan_free(&p);
    core_repo_close(repo);
    marc_record_free(in);
}

/* ---- refusals ---- */

static void
test_roles(void **state)
{
    const char *mms = cf_bib("80082329");
    struct core_repo *repo = cf_as("bob");
    struct marc_record *in = external(repo, mms, "4242", "Role test");
    core_repo_close(repo);
    struct core_merge_plan p = plan_as("bob", CORE_MERGE_MERGE, mms, in, NULL, CORE_ERR_ROLE);
    core_merge_plan_free(&p);
    p = plan_as("bob", CORE_MERGE_OVERLAY, mms, in, NULL, CORE_ERR_ROLE);
    core_merge_plan_free(&p);
    p = plan_as("admin", CORE_MERGE_MERGE, mms, in, NULL, CORE_OK); /* admin has every role */
    core_merge_plan_free(&p);
    repo = cf_as("bob");
    assert_int_equal(core_merge_prepare(repo, CORE_MERGE_MERGE, mms, CORE_ZONE_IZ, in, NULL, &p),
                     CORE_ERR_ROLE);
    assert_non_null(strstr(core_repo_errmsg(repo), "cataloger-extended"));
    core_merge_plan_free(&p);
    core_repo_close(repo);
    /* Not a bib, no such record, a holdings record as incoming. */
    p = plan_as("carol", CORE_MERGE_MERGE, "991999999991234", in, NULL, CORE_ERR_NOTFOUND);
    core_merge_plan_free(&p);
    marc_record_set_leader_byte(in, 6, 'x');
    p = plan_as("carol", CORE_MERGE_MERGE, mms, in, NULL, CORE_ERR_USER);
    core_merge_plan_free(&p);
    assert_int_equal(info_of(mms).version, 1);
    marc_record_free(in);
}

static void
test_locked(void **state)
{
    const char *mms = cf_bib("77005558");
    struct core_repo *alice = cf_as("alice");
    struct marc_record *in = external(alice, mms, "5558", "Locked title");
    struct marc_record *tmp = marc_record_new();
    int version;
    assert_int_equal(core_record_open(alice, mms, tmp, &version, NULL), 0);
    struct core_merge_plan p = plan_as("carol", CORE_MERGE_MERGE, mms, in, NULL, CORE_OK);
    assert_true(p.lock.locked);
    assert_string_equal(p.lock.user, "alice");
    struct core_repo *repo = cf_as("carol");
    assert_int_equal(core_merge_apply(repo, &p, NULL, NULL), CORE_ERR_CONFLICT);
    assert_non_null(strstr(core_repo_errmsg(repo), "locked by alice"));
    assert_int_equal(info_of(mms).version, 1);
    core_merge_plan_free(&p);
    /* Released: the merge goes through; carol's own lock does not stop her. */
    assert_int_equal(core_record_release(alice, mms), 0);
    assert_int_equal(core_record_open(repo, mms, tmp, &version, NULL), 0);
    p = plan_as("carol", CORE_MERGE_MERGE, mms, in, NULL, CORE_OK);
    assert_false(p.lock.locked);
    assert_int_equal(core_merge_apply(repo, &p, NULL, NULL), 0);
    assert_int_equal(info_of(mms).version, 2);
    core_merge_plan_free(&p);
    core_repo_close(repo);
    core_repo_close(alice);
    marc_record_free(tmp);
    marc_record_free(in);
}

static void
test_changed_since_preview(void **state)
{
    const char *mms = cf_bib("70001070");
    struct core_repo *repo = cf_as("carol");
    struct marc_record *in = external(repo, mms, "1070", "Changed meanwhile");
    core_repo_close(repo);
    struct core_merge_plan p = plan_as("carol", CORE_MERGE_MERGE, mms, in, NULL, CORE_OK);
    give("bob", mms, "500", "Saved by bob after the preview.");
    repo = cf_as("carol");
    assert_int_equal(core_merge_apply(repo, &p, NULL, NULL), CORE_ERR_CONFLICT);
    assert_non_null(strstr(core_repo_errmsg(repo), "changed since"));
    struct core_record_info ri = info_of(mms);
    assert_int_equal(ri.version, 2);
    assert_string_equal(ri.updated_by, "bob");
    core_merge_plan_free(&p);
    core_repo_close(repo);
    marc_record_free(in);
}

/* ---- merge.rule, merge.normalize ---- */

static const char keep_subjects[] = "rule \"Keep subjects\"\n"
                                    "when merge\n"
                                    "then\n"
                                    "replace MARC.\"LDR\"\n"
                                    "remove MARC.\"2\"XX\n"
                                    "add MARC.\"2\"XX\n"
                                    "end\n";

static void
test_rule_config(void **state)
{
    const char *mms = cf_bib("77616367 //r84");
    const char *serial = cf_bib("ACD-2376");
    struct core_repo *repo = cf_as("admin");
    assert_int_equal(core_rule_save(repo, "Keep subjects", keep_subjects), 0);
    assert_int_equal(core_rule_save(repo, "Tag it",
                                     "rule \"Tag it\" when (TRUE) then addField \"910.a.merged\" "
                                     "end"),
                     0);
    struct marc_record *in = external(repo, mms, "616367", "Only the title changes");
    struct marc_record *sin = external(repo, serial, "2376", "Serial");
    core_repo_close(repo);
    /* --rule NAME */
    struct core_merge_plan p = plan_as("carol", CORE_MERGE_MERGE, mms, in, "Keep subjects", 0);
    assert_string_equal(p.rule, "Keep subjects");
    assert_int_equal(count_fields(p.result, "245", "Only the title changes"), 1);
    assert_int_equal(count_fields(p.result, "650", "Copy cataloging."), 0);
    core_merge_plan_free(&p);
    /* a rule of the wrong kind, a missing one */
    p = plan_as("carol", CORE_MERGE_MERGE, mms, in, "Tag it", CORE_ERR_USER);
    core_merge_plan_free(&p);
    p = plan_as("carol", CORE_MERGE_MERGE, mms, in, "No such rule", CORE_ERR_NOTFOUND);
    core_merge_plan_free(&p);
    /* merge.rule */
    repo = cf_as("admin");
    assert_int_equal(core_config_set(repo, "merge.rule", "Keep subjects"), 0);
    core_repo_close(repo);
    p = plan_as("carol", CORE_MERGE_MERGE, mms, in, NULL, 0);
    assert_string_equal(p.rule, "Keep subjects");
    core_merge_plan_free(&p);
    repo = cf_as("admin");
    assert_int_equal(core_config_set(repo, "merge.rule", "Gone"), 0);
    core_repo_close(repo);
    repo = cf_as("carol");
    assert_int_equal(core_merge_prepare(repo, CORE_MERGE_MERGE, mms, CORE_ZONE_IZ, in, NULL, &p),
                     CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(repo), "merge.rule"));
    core_merge_plan_free(&p);
    core_repo_close(repo);
    /* merge.normalize: another rule, or none */
    repo = cf_as("admin");
    assert_int_equal(core_config_set(repo, "merge.rule", ""), 0);
    assert_int_equal(core_config_set(repo, "merge.normalize", "Tag it"), 0);
    core_repo_close(repo);
    p = plan_as("carol", CORE_MERGE_MERGE, serial, sin, NULL, 0);
    assert_string_equal(p.rule, CORE_MERGE_DEFAULT_RULE);
    assert_string_equal(p.normalize, "Tag it");
    assert_int_equal(count_fields(p.result, "910", "merged"), 1);
    assert_int_equal(count_fields(p.result, "998", ""), 0);
    core_merge_plan_free(&p);
    repo = cf_as("admin");
    assert_int_equal(core_config_set(repo, "merge.normalize", "none"), 0);
    core_repo_close(repo);
    p = plan_as("carol", CORE_MERGE_MERGE, serial, sin, NULL, 0);
    assert_string_equal(p.normalize, "");
    assert_int_equal(count_fields(p.result, "998", ""), 0);
    core_merge_plan_free(&p);
    marc_record_free(in);
    marc_record_free(sin);
}

/* ---- the gateway import ---- */

struct lines {
    struct core_gateway_line l[32];
    int n;
};

static void
collect(void *ctx, const struct core_gateway_line *l)
{
    struct lines *ls = ctx;
    assert_true(ls->n < 32);
    ls->l[ls->n++] = *l;
}

static void
write_external(struct marc_record *r, const char *path, bool append)
{
    FILE *fp = fopen(path, append ? "ab" : "wb");
    assert_non_null(fp);
    struct marc_buf b = MARC_BUF_INIT;
    struct marc_record *c = marc_record_clone(r);
    assert_int_equal(marc_iso2709_encode(c, &b, NULL), 0);
    fwrite(b.data, 1, b.len, fp);
    fclose(fp);
    marc_buf_free(&b);
    marc_record_free(c);
}

static int
gateway(const char *user, const char *path, struct lines *ls, struct core_gateway_report *rep)
{
    struct core_repo *repo = cf_as(user);
    memset(ls, 0, sizeof *ls);
    struct core_gateway_opts o = {.zone = CORE_ZONE_IZ, .line = collect, .line_ctx = ls};
    int rc = core_gateway_import(repo, path, &o, rep);
    core_repo_close(repo);
    return rc;
}

static void
test_gateway(void **state)
{
    char path[256];
    snprintf(path, sizeof path, "%s/../gateway.mrc", cf_dir);
    const char *over = cf_bib("73090924 //r82"), *multi1 = cf_bib("73209622 //r823"),
               *multi2 = cf_bib("76357895 /MAP/r82"), *locked = cf_bib("77637075 //r82"),
               *protect = cf_bib("11224466"), *cancelled = cf_bib("11224467");
    give("alice", over, "035", "(OCoLC)1001");
    give("alice", over, "949", "Local call note");
    give("alice", multi1, "035", "(OCoLC)1003");
    give("alice", multi2, "035", "(OCoLC)1003");
    give("alice", locked, "035", "(OCoLC)1004");
    give("alice", protect, "035", "(OCoLC)1005");
    give("alice", protect, "998", "no-overlay");
    give("alice", cancelled, "035", "(OCoLC)1006");
    struct core_repo *repo = cf_as("alice");
    struct marc_record *r = external(repo, over, "1001", "Overlaid by the gateway");
    write_external(r, path, false); /* 1: overlaid */
    marc_record_free(r);
    r = external(repo, over, "1002", "A new record from the gateway");
    write_external(r, path, true); /* 2: created */
    marc_record_free(r);
    r = external(repo, multi1, "1003", "Two of these");
    write_external(r, path, true); /* 3: multi-match */
    marc_record_free(r);
    r = external(repo, locked, "1004", "Open in an editor");
    write_external(r, path, true); /* 4: locked */
    marc_record_free(r);
    r = external(repo, protect, "1005", "Protected");
    write_external(r, path, true); /* 5: protected */
    marc_record_free(r);
    r = external(repo, cancelled, "2006", "Matched by a cancelled number");
    add_field(r, "019", 'a', "1006");
    write_external(r, path, true); /* 6: overlaid through 019 */
    marc_record_free(r);
    r = external(repo, over, "1", "No number");
    delete_tag(r, "001");
    delete_tag(r, "003");
    write_external(r, path, true); /* 7: refused, no OCLC number */
    marc_record_free(r);
    r = marc_record_new();
    marc_record_set_leader(r, "00000nx  a2200000un 4500", 24);
    marc_record_add_control(r, "001", "h1", 2);
    marc_record_add_control(r, "004", "1", 1);
    add_field(r, "035", 'a', "(OCoLC)1001");
    write_external(r, path, true); /* 8: refused, a holdings record */
    marc_record_free(r);
    struct marc_record *tmp = marc_record_new();
    int version;
    assert_int_equal(core_record_open(repo, locked, tmp, &version, NULL), 0); /* alice edits it */
    marc_record_free(tmp);
    core_repo_close(repo);
    long versions = cf_sql_int("SELECT count(*) FROM version");

    struct lines ls;
    struct core_gateway_report rep;
    assert_int_equal(gateway("ivan", path, &ls, &rep), CORE_ERR_ROLE);
    assert_int_equal(ls.n, 0);
    assert_int_equal(cf_sql_int("SELECT count(*) FROM version"), versions);

    assert_int_equal(gateway("bob", path, &ls, &rep), 0);
    assert_int_equal(rep.records, 8);
    assert_int_equal(ls.n, 8);
    static const enum core_gateway_outcome want[8] = {
        CORE_GW_OVERLAID,  CORE_GW_CREATED,  CORE_GW_MULTI,   CORE_GW_LOCKED,
        CORE_GW_PROTECTED, CORE_GW_OVERLAID, CORE_GW_REFUSED, CORE_GW_REFUSED};
    for (int i = 0; i < 8; i++) {
        if (ls.l[i].outcome != want[i])
            fail_msg("record %d: %s (%s), expected %s", i + 1,
                     core_gateway_outcome_name(ls.l[i].outcome), ls.l[i].detail,
                     core_gateway_outcome_name(want[i]));
        assert_int_equal(ls.l[i].record, i + 1);
    }
    assert_int_equal(rep.count[CORE_GW_OVERLAID], 2);
    assert_int_equal(rep.count[CORE_GW_CREATED], 1);
    assert_int_equal(rep.count[CORE_GW_REFUSED], 2);
    /* 1: overlaid, local fields kept, by bob, reason overlay */
    assert_string_equal(ls.l[0].mms, over);
    assert_string_equal(ls.l[0].oclc, "1001");
    struct core_record_info ri = info_of(over);
    assert_string_equal(ri.reason, "overlay");
    assert_string_equal(ri.updated_by, "bob");
    assert_non_null(strstr(ri.title, "Overlaid by the gateway"));
    repo = cf_as("bob");
    r = marc_record_new();
    assert_int_equal(core_record_get(repo, over, r, NULL), 0);
    assert_int_equal(count_fields(r, "949", "Local call note"), 1);
    assert_int_equal(count_fields(r, "938", ""), 0);
    marc_record_free(r);
    core_repo_close(repo);
    /* 2: created by "system", updated by bob */
    assert_true(ls.l[1].mms[0]);
    assert_string_equal(bib_column("created_by", ls.l[1].mms), "system");
    assert_string_equal(bib_column("updated_by", ls.l[1].mms), "bob");
    assert_string_equal(bib_column("reason", ls.l[1].mms), "import");
    /* 3: the message of OCLC's pop-up, both candidates */
    assert_non_null(strstr(ls.l[2].detail, "multiple matches found for this record"));
    assert_non_null(strstr(ls.l[2].detail, multi1));
    assert_non_null(strstr(ls.l[2].detail, multi2));
    assert_int_equal(info_of(multi1).version, 2);
    assert_int_equal(info_of(multi2).version, 2);
    /* 4: locked */
    assert_string_equal(ls.l[3].detail, "record is locked by alice");
    assert_string_equal(ls.l[3].mms, locked);
    assert_int_equal(info_of(locked).version, 2);
    /* 5: protected by its 998 */
    assert_non_null(strstr(ls.l[4].detail, "998"));
    assert_int_equal(info_of(protect).version, 3);
    /* 6: through the cancelled number; the record now has both numbers */
    assert_string_equal(ls.l[5].mms, cancelled);
    assert_non_null(strstr(ls.l[5].detail, "cancelled OCLC number 1006"));
    assert_int_equal(cf_sql_int("SELECT count(*) FROM ident WHERE key IN ('o:1006', 'o:2006', "
                             "'z:1006')"),
                     3);
    /* 7, 8: bad data, named */
    assert_non_null(strstr(ls.l[6].detail, "no OCLC number"));
    assert_non_null(strstr(ls.l[7].detail, "not a bibliographic record"));
    assert_int_equal(cf_sql_int("SELECT count(*) FROM version"), versions + 2);

    /* Again: the created record is found and overlaid, nothing is doubled. */
    long bibs = cf_sql_int("SELECT count(*) FROM bib");
    assert_int_equal(gateway("carol", path, &ls, &rep), 0);
    assert_int_equal(cf_sql_int("SELECT count(*) FROM bib"), bibs);
    assert_int_equal(ls.l[1].outcome, CORE_GW_OVERLAID);
    assert_int_equal(cf_sql_int("SELECT count(*) FROM ident WHERE key = 'o:1002'"), 1);
    assert_int_equal(rep.count[CORE_GW_CREATED], 0);
    assert_int_equal(rep.count[CORE_GW_OVERLAID], 3);
}

/* A malformed record among good ones gets its line; the others go in. */
static void
test_gateway_malformed(void **state)
{
    char path[256];
    snprintf(path, sizeof path, "%s/../bad.mrc", cf_dir);
    struct core_repo *repo = cf_as("alice");
    struct marc_record *r = external(repo, cf_bib("77000348"), "3001", "First");
    write_external(r, path, false);
    marc_record_free(r);
    FILE *fp = fopen(path, "ab");
    assert_non_null(fp);
    fputs("00047nam  2200025   4500\x1e" "garbage without a directory\x1d", fp);
    fclose(fp);
    r = external(repo, cf_bib("77000348"), "3002", "Third");
    write_external(r, path, true);
    marc_record_free(r);
    core_repo_close(repo);
    struct lines ls;
    struct core_gateway_report rep;
    struct test_diags td = {0};
    repo = cf_as("bob");
    struct core_gateway_opts o = {.zone = CORE_ZONE_IZ, .line = collect, .line_ctx = &ls,
                                  .diag = test_diags_collect, .diag_ctx = &td};
    memset(&ls, 0, sizeof ls);
    assert_int_equal(core_gateway_import(repo, path, &o, &rep), 0);
    core_repo_close(repo);
    assert_int_equal(rep.records, 3);
    assert_int_equal(ls.n, 3);
    assert_int_equal(ls.l[0].outcome, CORE_GW_CREATED);
    assert_int_equal(ls.l[1].outcome, CORE_GW_REFUSED);
    assert_int_equal(ls.l[1].record, 2);
    assert_non_null(strstr(ls.l[1].detail, "malformed"));
    assert_int_equal(ls.l[2].outcome, CORE_GW_CREATED);
    assert_int_equal(ls.l[2].record, 3);
    assert_true(td.errors > 0);
}

/* ---- rules on one record, on a set ---- */

static void
test_rule_run(void **state)
{
    struct core_repo *repo = cf_as("admin");
    assert_int_equal(core_rule_save(repo, "Checked",
                                    "rule \"Checked\" when (NOT exists \"910\") then addField "
                                    "\"910.a.checked\" end"),
                     0);
    assert_int_equal(core_rule_save(repo, "Computers",
                                    "rule \"Computers\" when (matches \"245.a\" \"[Cc]omputer\") "
                                    "then set indication.\"true\" end"),
                     0);
    assert_int_equal(core_rule_save(repo, "Keep subjects", keep_subjects), 0);
    const char *mms = cf_bib("77004773"), *other = cf_bib("ACD-3837");
    struct core_rule_test t;
    assert_int_equal(core_rule_test(repo, "Checked", mms, NULL, &t), 0);
    assert_int_equal(t.kind, CORE_RULE_NORMALIZATION);
    assert_int_equal(t.changes, 1);
    assert_int_equal(count_fields(t.after, "910", "checked"), 1);
    assert_int_equal(count_fields(t.before, "910", ""), 0);
    core_rule_test_free(&t);
    assert_int_equal(info_of(mms).version, 1); /* nothing saved */
    assert_int_equal(core_rule_test(repo, "Computers", mms, NULL, &t), 0);
    assert_true(t.indication);
    core_rule_test_free(&t);
    assert_int_equal(core_rule_test(repo, "Computers", other, NULL, &t), 0);
    assert_false(t.indication);
    core_rule_test_free(&t);
    /* a merge rule wants the incoming record */
    assert_int_equal(core_rule_test(repo, "Keep subjects", mms, NULL, &t), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(repo), "--with"));
    core_rule_test_free(&t);
    struct marc_record *in = external(repo, mms, "1", "Merged by a rule test");
    assert_int_equal(core_rule_test(repo, "Keep subjects", mms, in, &t), 0);
    assert_int_equal(t.kind, CORE_RULE_MERGE);
    assert_int_equal(count_fields(t.after, "245", "Merged by a rule test"), 1);
    assert_int_equal(count_fields(t.after, "650", "Copy cataloging."), 0);
    assert_int_equal(count_fields(t.after, "001", mms), 1);
    core_rule_test_free(&t);
    assert_int_equal(core_rule_test(repo, "Checked", mms, in, &t), CORE_ERR_USER);
    core_rule_test_free(&t);
    marc_record_free(in);

    /* An indication rule filters a set into a new one. */
    struct core_search_opts so = {.zone = CORE_ZONE_IZ};
    long count;
    if (core_set_create_query(repo, "all", "linked!=network", &so, false, &count) != CORE_OK)
        fail_msg("set: %s", core_repo_errmsg(repo));
    assert_true(count > 10);
    long kept, total;
    assert_int_equal(
        core_rule_filter_set(repo, "Computers", "all", "computers", NULL, NULL, &kept, &total), 0);
    assert_int_equal(total, count);
    char (*m)[CORE_MMS_MAX];
    size_t n;
    assert_int_equal(core_set_members(repo, "computers", &m, &n), 0);
    assert_int_equal((long)n, kept);
    assert_true(kept >= 4 && kept < total);
    bool found = false;
    for (size_t i = 0; i < n; i++)
        found = found || strcmp(m[i], mms) == 0;
    assert_true(found);
    free(m);
    assert_int_equal(
        core_rule_filter_set(repo, "Computers", "all", "computers", NULL, NULL, &kept, &total),
        CORE_ERR_USER); /* the name is taken */
    assert_int_equal(
        core_rule_filter_set(repo, "Checked", "all", "checked", NULL, NULL, &kept, &total),
        CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(repo), "only indication rules"));
    core_repo_close(repo);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_normalization),
        cmocka_unit_test_setup_teardown(test_oclc_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_monograph, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_serial, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overlay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_warns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_locked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_since_preview, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gateway, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gateway_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_run, setup, teardown),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
