/*
 * test_relink.c - relinking holdings and items (SPEC §3.3) on a real
 * repository: the LoC sample records in the IZ, holdings and items created
 * for them, targets by MMS ID, OCLC number and ISBN, the last holdings
 * moved, deleting the empty source, refusals, versions on both sides, and
 * the rows and counts checked against each other afterwards.
 */
#include "testutil.h"
#include "core-fixture.h"

#include "reader.h"
#include "record.h"
#include "relink.h"
#include "repo.h"
#include "search.h"

#include <sqlite3.h>
#include <unistd.h>

static int
setup(void **state)
{
    cf_make_repo("relink");
    struct core_repo *r = cf_as("admin");
    assert_int_equal(core_user_add(r, "ivan", CORE_ROLE_INVENTORY, NULL), 0);
    assert_int_equal(core_user_add(r, "alice", CORE_ROLE_CATALOGER | CORE_ROLE_INVENTORY, NULL), 0);
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

static void
holdings(struct core_repo *repo, const char *bib_mms, const char *location, const char *call,
         char *out)
{
    struct marc_record *h = marc_record_new();
    marc_record_set_leader(h, "00000nx  a2200000un 4500", 24);
    marc_record_add_control(h, "008", "2611240u    8   4001aaeng0000000", 32);
    long i = marc_record_add_data(h, "852", '0', ' ');
    marc_record_append_subfield(h, (size_t)i, 'b', "MAIN", 4);
    marc_record_append_subfield(h, (size_t)i, 'c', location, strlen(location));
    marc_record_append_subfield(h, (size_t)i, 'h', call, strlen(call));
    if (core_holdings_create(repo, bib_mms, h, NULL, NULL, NULL, out) != CORE_OK)
        fail_msg("holdings on %s: %s", bib_mms, core_repo_errmsg(repo));
    marc_record_free(h);
}

static void
item(struct core_repo *repo, const char *hold, const char *barcode, const char *desc,
     enum core_item_status status, char *out)
{
    struct core_item_info it = {.status = status};
    snprintf(it.barcode, sizeof it.barcode, "%s", barcode);
    snprintf(it.description, sizeof it.description, "%s", desc);
    if (core_item_create(repo, hold, &it, out) != CORE_OK)
        fail_msg("item %s: %s", barcode, core_repo_errmsg(repo));
}

static struct core_record_info
info(struct core_repo *repo, const char *mms)
{
    struct core_record_info in;
    if (core_record_get(repo, mms, NULL, &in) != CORE_OK)
        fail_msg("%s: %s", mms, core_repo_errmsg(repo));
    return in;
}

static const char *
value(const struct marc_record *r, const char *tag)
{
    static char buf[256];
    size_t len;
    const char *v = marc_record_value(r, tag, 0, &len);
    if (!v)
        return "";
    snprintf(buf, sizeof buf, "%.*s", (int)len, v);
    return buf;
}

static bool
records_equal(const struct marc_record *a, const struct marc_record *b)
{
    if (memcmp(marc_record_leader(a), marc_record_leader(b), 24) != 0 ||
        marc_record_field_count(a) != marc_record_field_count(b))
        return false;
    for (size_t i = 0; i < marc_record_field_count(a); i++)
        if (!marc_field_equal(marc_record_field(a, i), marc_record_field(b, i)))
            return false;
    return true;
}

/* The last version of mms says "relink" by `user`, and its content equals the one before. */
static void
relink_version_same_content(struct core_repo *repo, const char *mms, const char *user)
{
    struct core_version *v;
    size_t n;
    assert_int_equal(core_versions_list(repo, mms, &v, &n), 0);
    assert_true(n >= 2);
    assert_true(v[n - 1].current);
    assert_string_equal(v[n - 1].reason, "relink");
    assert_string_equal(v[n - 1].user, user);
    struct marc_record *now = marc_record_new(), *before = marc_record_new();
    assert_int_equal(core_version_get(repo, mms, v[n - 1].number, now), 0);
    assert_int_equal(core_version_get(repo, mms, v[n - 2].number, before), 0);
    assert_true(records_equal(now, before));
    marc_record_free(now);
    marc_record_free(before);
    free(v);
}

/* Every bib's counts equal its rows; the file is sound; versions have no gaps. */
static void
check_consistent(void)
{
    assert_int_equal(cf_sql_int("SELECT count(*) FROM bib b WHERE holdings != (SELECT count(*) FROM "
                             "holding h WHERE h.bib = b.id) OR items != (SELECT count(*) FROM "
                             "item i JOIN holding h ON h.id = i.holding WHERE h.bib = b.id)"),
                     0);
    assert_int_equal(cf_sql_int("SELECT count(*) FROM item WHERE holding NOT IN (SELECT id FROM "
                             "holding)"),
                     0);
    assert_int_equal(cf_sql_int("SELECT count(*) FROM holding WHERE bib NOT IN (SELECT id FROM bib "
                             "WHERE deleted_at IS NULL)"),
                     0);
    assert_int_equal(cf_sql_int("SELECT count(*) FROM (SELECT mms, version FROM bib UNION ALL "
                             "SELECT mms, version FROM holding) r WHERE r.version - 1 != (SELECT "
                             "count(*) FROM version v WHERE v.mms = r.mms)"),
                     0);
    assert_int_equal(cf_sql_int("SELECT count(*) FROM pragma_integrity_check WHERE "
                             "integrity_check != 'ok'"),
                     0);
}

static size_t
search(struct core_repo *repo, const char *q, bool physical)
{
    struct core_search_opts o = {.zone = CORE_ZONE_IZ, .physical = physical, .limit = 100};
    struct core_results res;
    if (core_search(repo, q, &o, &res) != CORE_OK)
        fail_msg("%s: %s", q, core_repo_errmsg(repo));
    size_t n = res.n;
    core_results_free(&res);
    return n;
}

/* ---- tests ---- */

static void
test_preview_then_apply_by_mms(void **state)
{
    struct core_repo *ivan = cf_as("ivan");
    const char *a = cf_bib("77004773"), *b = cf_bib("77005558");
    char h1[CORE_MMS_MAX], h2[CORE_MMS_MAX], i1[CORE_MMS_MAX], i2[CORE_MMS_MAX], i3[CORE_MMS_MAX];
    holdings(ivan, a, "STACKS", "QA76.9 .W6", h1);
    holdings(ivan, a, "REF", "QA76.9 .W6 ref", h2);
    item(ivan, h1, "39001", "v.1", CORE_ITEM_IN_PLACE, i1);
    item(ivan, h1, "39002", "v.2", CORE_ITEM_MISSING, i2);
    item(ivan, h2, "39003", "", CORE_ITEM_IN_PLACE, i3);
    int va = info(ivan, a).version, vb = info(ivan, b).version;

    struct core_relink_plan p;
    assert_int_equal(core_relink_preview(ivan, h1, b, -1, &p), 0);
    assert_true(p.resolved);
    assert_int_equal(p.kind, CORE_RELINK_HOLDINGS);
    assert_int_equal(p.zone, CORE_ZONE_IZ);
    assert_string_equal(p.matched, "MMS ID");
    assert_string_equal(p.from.mms, a);
    assert_string_equal(p.to.mms, b);
    assert_non_null(strstr(p.from.title, "Computer science & technology"));
    assert_string_equal(p.holdings.mms, h1);
    assert_string_equal(p.holdings.location, "STACKS");
    assert_string_equal(p.holdings.call_number, "QA76.9 .W6");
    assert_int_equal(p.nitems, 2);
    assert_string_equal(p.items[0].barcode, "39001");
    assert_string_equal(p.items[1].barcode, "39002");
    assert_int_equal(p.items[1].status, CORE_ITEM_MISSING);
    assert_int_equal(p.nkept, 1);
    assert_string_equal(p.kept[0].mms, h2);
    assert_int_equal(p.kept[0].items, 1);
    assert_false(p.source_empty);
    assert_int_equal(p.from.holdings, 2);
    assert_int_equal(p.from.holdings_after, 1);
    assert_int_equal(p.from.items, 3);
    assert_int_equal(p.from.items_after, 1);
    assert_int_equal(p.to.holdings_after, 1);
    assert_int_equal(p.to.items_after, 2);
    /* a preview writes nothing */
    assert_string_equal(info(ivan, h1).bib, a);
    assert_int_equal(info(ivan, a).version, va);
    assert_int_equal(info(ivan, a).holdings, 2);

    assert_int_equal(core_relink_apply(ivan, &p), 0);
    struct core_record_info hi = info(ivan, h1), ai = info(ivan, a), bi = info(ivan, b);
    assert_string_equal(hi.bib, b);
    assert_int_equal(hi.version, 2);
    assert_string_equal(hi.reason, "relink");
    assert_string_equal(hi.updated_by, "ivan");
    assert_int_equal(ai.holdings, 1);
    assert_int_equal(ai.items, 1);
    assert_int_equal(bi.holdings, 1);
    assert_int_equal(bi.items, 2);
    /* versions on both bibs, content unchanged, and the plan reports them */
    assert_int_equal(ai.version, va + 1);
    assert_int_equal(bi.version, vb + 1);
    assert_string_equal(ai.reason, "relink");
    relink_version_same_content(ivan, a, "ivan");
    relink_version_same_content(ivan, b, "ivan");
    assert_int_equal(p.from.version, va + 1);
    assert_int_equal(p.to.version, vb + 1);
    assert_int_equal(p.holdings_version, 2);
    assert_int_equal(p.from.holdings_after, 1);
    assert_int_equal(p.to.items_after, 2);
    assert_int_equal(p.from.holdings, 2); /* the counts before are kept beside */
    /* the MFHD's 004 names the new bib; version 1 still names the old */
    struct marc_record *r = marc_record_new();
    assert_int_equal(core_record_get(ivan, h1, r, NULL), 0);
    assert_string_equal(value(r, "004"), b);
    assert_string_equal(value(r, "001"), h1);
    assert_int_equal(core_version_get(ivan, h1, 1, r), 0);
    assert_string_equal(value(r, "004"), a);
    marc_record_free(r);
    /* the items followed their holdings */
    struct core_item_info it;
    assert_int_equal(core_item_by_barcode(ivan, "39002", &it), 0);
    assert_string_equal(it.holdings, h1);
    struct core_holdings_info *hl;
    size_t n;
    assert_int_equal(core_holdings_list(ivan, b, &hl, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(hl[0].mms, h1);
    assert_int_equal(hl[0].items, 2);
    free(hl);
    core_relink_plan_free(&p);
    core_relink_plan_free(NULL);
    check_consistent();
    core_repo_close(ivan);
}

static void
test_targets_by_oclc_and_isbn(void **state)
{
    struct core_repo *ivan = cf_as("ivan");
    const char *mail = cf_bib("ACD-3665"), *world = cf_bib("ACD-3837"), *canada = cf_bib("ACD-3799");
    char h[CORE_MMS_MAX], i1[CORE_MMS_MAX];
    holdings(ivan, mail, "STACKS", "TK5105.875", h);
    item(ivan, h, "39101", "", CORE_ITEM_IN_PLACE, i1);
    struct core_relink_plan p;
    /* OCLC number with its prefixes and leading zeros, as 035 $a spells it */
    assert_int_equal(core_relink_preview(ivan, h, "(OCoLC)ocm26273275", -1, &p), 0);
    assert_string_equal(p.to.mms, world);
    assert_string_equal(p.matched, "OCLC number 26273275");
    assert_int_equal(core_relink_apply(ivan, &p), 0);
    core_relink_plan_free(&p);
    assert_string_equal(info(ivan, h).bib, world);
    /* oclc: and ocn with zeros */
    assert_int_equal(core_relink_preview(ivan, h, "oclc:26244844", -1, &p), 0);
    assert_string_equal(p.to.mms, canada);
    core_relink_plan_free(&p);
    assert_int_equal(core_relink_preview(ivan, h, "ocn026244844", -1, &p), 0);
    assert_string_equal(p.to.mms, canada);
    core_relink_plan_free(&p);
    /* back by ISBN: -10 with hyphens, -13, and bare digits */
    assert_int_equal(core_relink_preview(ivan, h, "isbn:0-13-289661-3", -1, &p), 0);
    assert_string_equal(p.to.mms, mail);
    assert_string_equal(p.matched, "ISBN 9780132896610");
    core_relink_plan_free(&p);
    assert_int_equal(core_relink_preview(ivan, h, "9780132896610", -1, &p), 0);
    assert_string_equal(p.to.mms, mail);
    core_relink_plan_free(&p);
    assert_int_equal(core_relink_preview(ivan, h, "0132896613", -1, &p), 0);
    assert_string_equal(p.to.mms, mail);
    assert_int_equal(core_relink_apply(ivan, &p), 0);
    core_relink_plan_free(&p);
    assert_string_equal(info(ivan, h).bib, mail);
    /* a cancelled OCLC number (019) leads to the record that absorbed it */
    struct core_repo *alice = cf_as("alice");
    struct marc_record *r = marc_record_new();
    assert_int_equal(core_record_get(alice, cf_bib("77000348"), r, NULL), 0);
    long f = marc_record_add_data(r, "019", ' ', ' ');
    marc_record_append_subfield(r, (size_t)f, 'a', "55500555", 8);
    int version = 0;
    assert_int_equal(core_record_open(alice, cf_bib("77000348"), NULL, &version, NULL), 0);
    assert_int_equal(core_record_save(alice, cf_bib("77000348"), r, version, NULL, true, NULL, NULL,
                                      NULL),
                     0);
    marc_record_free(r);
    core_repo_close(alice);
    assert_int_equal(core_relink_preview(ivan, h, "oclc:55500555", -1, &p), 0);
    assert_string_equal(p.to.mms, cf_bib("77000348"));
    assert_string_equal(p.matched, "cancelled OCLC number 55500555");
    core_relink_plan_free(&p);
    /* nothing found; not an identifier at all */
    assert_int_equal(core_relink_preview(ivan, h, "oclc:999999999", -1, &p), CORE_ERR_NOTFOUND);
    assert_string_equal(core_repo_errmsg(ivan), "no record in the IZ has OCLC number 999999999");
    assert_false(p.resolved);
    core_relink_plan_free(&p);
    assert_int_equal(core_relink_preview(ivan, h, "isbn:0-306-40615-2", -1, &p),
                     CORE_ERR_NOTFOUND);
    assert_non_null(strstr(core_repo_errmsg(ivan), "ISBN 9780306406157"));
    core_relink_plan_free(&p);
    assert_int_equal(core_relink_preview(ivan, h, "war and peace", -1, &p), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(ivan), "not an MMS ID, OCLC number or ISBN"));
    core_relink_plan_free(&p);
    assert_int_equal(core_relink_preview(ivan, h, "oclc:12ab", -1, &p), CORE_ERR_USER);
    core_relink_plan_free(&p);
    check_consistent();
    core_repo_close(ivan);
}

static void
test_multi_match(void **state)
{
    struct core_repo *ivan = cf_as("ivan"), *alice = cf_as("alice");
    const char *world = cf_bib("ACD-3837");
    /* a duplicate of "Internet world": two bibs with OCLC 26273275 */
    struct marc_record *r = marc_record_new();
    assert_int_equal(core_record_get(alice, world, r, NULL), 0);
    char dup[CORE_MMS_MAX];
    assert_int_equal(core_bib_create(alice, CORE_ZONE_IZ, r, NULL, true, NULL, NULL, dup), 0);
    marc_record_free(r);
    char h[CORE_MMS_MAX];
    holdings(ivan, cf_bib("77616367 //r84"), "STACKS", "HE4491", h);
    struct core_relink_plan p;
    assert_int_equal(core_relink_preview(ivan, h, "26273275", -1, &p), CORE_ERR_CONFLICT);
    assert_false(p.resolved);
    assert_int_equal(p.ncandidates, 2);
    assert_string_equal(p.candidates[0].mms, world);
    assert_string_equal(p.candidates[1].mms, dup);
    assert_string_equal(p.candidates[0].matched, "OCLC number 26273275");
    assert_string_equal(p.candidates[0].title, "Internet world");
    const char *msg = core_repo_errmsg(ivan);
    assert_non_null(strstr(msg, "matches 2 records in the IZ"));
    assert_non_null(strstr(msg, world));
    assert_non_null(strstr(msg, dup));
    core_relink_plan_free(&p);
    /* the duplicate case: holdings on one of the two go to the other */
    char hw[CORE_MMS_MAX];
    holdings(ivan, dup, "STACKS", "TK5105.875.I57", hw);
    assert_int_equal(core_relink_preview(ivan, hw, "(OCoLC)26273275", -1, &p), 0);
    assert_string_equal(p.to.mms, world);
    assert_true(p.source_empty);
    assert_int_equal(core_relink_apply(ivan, &p), 0);
    core_relink_plan_free(&p);
    /* only the source itself */
    char only[CORE_MMS_MAX];
    holdings(ivan, cf_bib("ACD-3799"), "STACKS", "ZA", only);
    assert_int_equal(core_relink_preview(ivan, only, "oclc:26244844", -1, &p), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(ivan), "finds only"));
    core_relink_plan_free(&p);
    check_consistent();
    core_repo_close(alice);
    core_repo_close(ivan);
}

static void
test_last_holdings_and_delete(void **state)
{
    struct core_repo *ivan = cf_as("ivan"), *carol = cf_as("carol"), *admin = cf_as("admin");
    const char *a = cf_bib("77637075 //r82"), *b = cf_bib("70001070");
    char h[CORE_MMS_MAX], i1[CORE_MMS_MAX], q[64];
    holdings(ivan, a, "STACKS", "LB2328", h);
    item(ivan, h, "39201", "", CORE_ITEM_IN_PLACE, i1);
    snprintf(q, sizeof q, "mms=%s", a);
    assert_int_equal(search(ivan, q, true), 1); /* a physical title */
    struct core_relink_plan p;
    assert_int_equal(core_relink_preview(ivan, h, b, -1, &p), 0);
    assert_true(p.source_empty);
    assert_int_equal(p.nkept, 0);
    assert_int_equal(p.from.holdings_after, 0);
    assert_non_null(strstr(p.delete_refusal, "cataloger-extended"));
    core_relink_plan_free(&p);
    /* admin could delete it afterwards: no refusal predicted */
    assert_int_equal(core_relink_preview(admin, h, b, -1, &p), 0);
    assert_string_equal(p.delete_refusal, "");
    core_relink_plan_free(&p);
    assert_int_equal(core_relink_preview(ivan, h, b, -1, &p), 0);
    assert_int_equal(core_relink_apply(ivan, &p), 0);
    assert_true(p.source_empty);
    assert_int_equal(p.from.holdings_after, 0);
    assert_int_equal(p.from.items_after, 0);
    core_relink_plan_free(&p);
    /* A stays, found only under All titles */
    struct core_record_info ai = info(ivan, a);
    assert_false(ai.deleted);
    assert_int_equal(ai.holdings, 0);
    assert_int_equal(ai.items, 0);
    assert_int_equal(search(ivan, q, true), 0);
    assert_int_equal(search(ivan, q, false), 1);
    snprintf(q, sizeof q, "mms=%s", b);
    assert_int_equal(search(ivan, q, true), 1);
    /* deleting the empty source needs cataloger-extended */
    assert_int_equal(core_record_delete(ivan, a), CORE_ERR_ROLE);
    assert_non_null(strstr(core_repo_errmsg(ivan), "cataloger-extended"));
    assert_int_equal(core_record_delete(carol, a), 0);
    assert_true(info(carol, a).deleted);
    /* a deleted bib is no target */
    assert_int_equal(core_relink_preview(ivan, h, a, -1, &p), CORE_ERR_USER);
    assert_true(p.resolved);
    assert_non_null(strstr(core_repo_errmsg(ivan), "has been deleted"));
    core_relink_plan_free(&p);
    check_consistent();
    core_repo_close(admin);
    core_repo_close(carol);
    core_repo_close(ivan);
}

static void
test_linked_source_and_nz_target(void **state)
{
    struct core_repo *ivan = cf_as("ivan"), *alice = cf_as("alice"), *admin = cf_as("admin"),
                     *carol = cf_as("carol");
    /* an NZ record, and the IZ bib A linked to it (as linking leaves it) */
    struct marc_record *r = marc_record_new();
    assert_int_equal(core_record_get(alice, cf_bib("ACD-2728"), r, NULL), 0);
    char nz[CORE_MMS_MAX], nz2[CORE_MMS_MAX];
    assert_int_equal(core_bib_create(alice, CORE_ZONE_NZ, r, NULL, true, NULL, NULL, nz), 0);
    marc_record_free(r);
    const char *a = cf_bib("ACD-2728"), *b = cf_bib("ACD-2476");
    char link[256];
    snprintf(link, sizeof link, "UPDATE bib SET linked = '%s' WHERE mms = '%s'", nz, a);
    cf_sql(link);
    char h[CORE_MMS_MAX];
    holdings(ivan, a, "STACKS", "LB1028", h);
    struct core_relink_plan p;
    /* the linked source left empty: deleting it needs unlinking first */
    assert_int_equal(core_relink_preview(admin, h, b, -1, &p), 0);
    assert_true(p.source_empty);
    assert_string_equal(p.from.linked, nz);
    assert_non_null(strstr(p.delete_refusal, "unlink"));
    assert_int_equal(core_relink_apply(admin, &p), 0);
    core_relink_plan_free(&p);
    assert_int_equal(core_record_delete(carol, a), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(carol), "unlink it first"));
    assert_false(info(carol, a).deleted);
    /* the NZ record as target: the holdings go to its IZ copy, A */
    assert_int_equal(core_relink_preview(ivan, h, nz, -1, &p), 0);
    assert_string_equal(p.to.mms, a);
    assert_non_null(strstr(p.matched, "its institution zone copy"));
    core_relink_plan_free(&p);
    /* the same found by OCLC number in the NZ: none there for this record,
     * so give the NZ one an OCLC number of its own */
    struct marc_record *n2 = marc_record_new();
    marc_record_set_leader(n2, "00000nam a2200000 a 4500", 24);
    marc_record_add_control(n2, "008", "850101s1985    xxu           000 0 eng d", 40);
    long f = marc_record_add_data(n2, "035", ' ', ' ');
    marc_record_append_subfield(n2, (size_t)f, 'a', "(OCoLC)424242", 13);
    f = marc_record_add_data(n2, "245", '0', '0');
    marc_record_append_subfield(n2, (size_t)f, 'a', "Network only", 12);
    assert_int_equal(core_bib_create(alice, CORE_ZONE_NZ, n2, NULL, false, NULL, NULL, nz2), 0);
    marc_record_free(n2);
    assert_int_equal(core_relink_preview(ivan, h, "oclc:424242", -1, &p), CORE_ERR_NOTFOUND);
    core_relink_plan_free(&p);
    assert_int_equal(core_relink_preview(ivan, h, "oclc:424242", CORE_ZONE_NZ, &p), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(ivan), "no institution zone record is linked"));
    core_relink_plan_free(&p);
    const char *c = cf_bib("ACD-2376");
    snprintf(link, sizeof link, "UPDATE bib SET linked = '%s' WHERE mms = '%s'", nz2, c);
    cf_sql(link);
    assert_int_equal(core_relink_preview(ivan, h, "oclc:424242", CORE_ZONE_NZ, &p), 0);
    assert_string_equal(p.to.mms, c);
    char expected[160];
    snprintf(expected, sizeof expected,
             "OCLC number 424242 in the NZ (%s); its institution zone copy", nz2);
    assert_string_equal(p.matched, expected);
    core_relink_plan_free(&p);
    /* an IZ MMS ID with --zone nz is a contradiction */
    assert_int_equal(core_relink_preview(ivan, h, c, CORE_ZONE_NZ, &p), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(ivan), "MMS ID of the IZ, not of the NZ"));
    core_relink_plan_free(&p);
    cf_sql("UPDATE bib SET linked = NULL");
    check_consistent();
    core_repo_close(carol);
    core_repo_close(admin);
    core_repo_close(alice);
    core_repo_close(ivan);
}

static void
test_refusals(void **state)
{
    struct core_repo *ivan = cf_as("ivan"), *bob = cf_as("bob"), *admin = cf_as("admin"),
                     *carol = cf_as("carol"), *alice = cf_as("alice");
    const char *a = cf_bib("77000348"), *b = cf_bib("72002565"), *c = cf_bib("80082329");
    char h[CORE_MMS_MAX], i1[CORE_MMS_MAX];
    holdings(ivan, a, "STACKS", "RC78.7", h);
    item(ivan, h, "39301", "", CORE_ITEM_IN_PLACE, i1);
    int va = info(ivan, a).version, vb = info(ivan, b).version;
    struct core_relink_plan p;
    /* role: a cataloger is no inventory operator */
    assert_int_equal(core_relink_preview(bob, h, b, -1, &p), CORE_ERR_ROLE);
    assert_true(p.resolved);
    assert_non_null(strstr(core_repo_errmsg(bob), "inventory"));
    assert_int_equal(core_relink_apply(bob, &p), CORE_ERR_ROLE);
    core_relink_plan_free(&p);
    /* locks on the source bib, the target bib, the holdings */
    const char *locked[] = {a, b, h};
    for (int k = 0; k < 3; k++) {
        /* holdings are locked by someone who may edit them (inventory) */
        struct core_repo *locker = k < 2 ? bob : alice;
        assert_int_equal(core_record_open(locker, locked[k], NULL, NULL, NULL), 0);
        assert_int_equal(core_relink_preview(ivan, h, b, -1, &p), CORE_ERR_CONFLICT);
        assert_true(p.resolved);
        assert_non_null(strstr(core_repo_errmsg(ivan), k < 2 ? "locked by bob" : "locked by alice"));
        assert_int_equal(core_relink_apply(ivan, &p), CORE_ERR_CONFLICT);
        core_relink_plan_free(&p);
        assert_int_equal(core_record_release(locker, locked[k]), 0);
    }
    /* a lock taken between preview and apply */
    assert_int_equal(core_relink_preview(ivan, h, b, -1, &p), 0);
    assert_int_equal(core_record_open(bob, b, NULL, NULL, NULL), 0);
    assert_int_equal(core_relink_apply(ivan, &p), CORE_ERR_CONFLICT);
    assert_int_equal(core_record_release(bob, b), 0);
    core_relink_plan_free(&p);
    /* the acting user's own lock is no obstacle */
    assert_int_equal(core_record_open(alice, a, NULL, NULL, NULL), 0);
    assert_int_equal(core_relink_preview(alice, h, b, -1, &p), 0);
    core_relink_plan_free(&p);
    assert_int_equal(core_record_release(alice, a), 0);
    /* the holdings moved elsewhere since the preview */
    assert_int_equal(core_relink_preview(ivan, h, b, -1, &p), 0);
    struct core_relink_plan other;
    assert_int_equal(core_relink_preview(admin, h, c, -1, &other), 0);
    assert_int_equal(core_relink_apply(admin, &other), 0);
    core_relink_plan_free(&other);
    assert_int_equal(core_relink_apply(ivan, &p), CORE_ERR_CONFLICT);
    assert_non_null(strstr(core_repo_errmsg(ivan), "changed since the preview"));
    core_relink_plan_free(&p);
    assert_string_equal(info(ivan, h).bib, c);
    assert_int_equal(info(ivan, b).version, vb); /* B untouched by the refused apply */
    assert_int_equal(core_relink_preview(ivan, h, a, -1, &p), 0);
    assert_int_equal(core_relink_apply(ivan, &p), 0);
    core_relink_plan_free(&p);
    /* the same bib; a deleted target */
    assert_int_equal(core_relink_preview(ivan, h, a, -1, &p), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(ivan), "already belong"));
    core_relink_plan_free(&p);
    struct marc_record *r = marc_record_new();
    assert_int_equal(core_record_get(alice, b, r, NULL), 0);
    char gone[CORE_MMS_MAX];
    assert_int_equal(core_bib_create(alice, CORE_ZONE_IZ, r, NULL, true, NULL, NULL, gone), 0);
    marc_record_free(r);
    assert_int_equal(core_record_delete(carol, gone), 0);
    assert_int_equal(core_relink_preview(ivan, h, gone, -1, &p), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(ivan), "has been deleted"));
    core_relink_plan_free(&p);
    /* bad sources and targets */
    assert_int_equal(core_relink_preview(ivan, a, b, -1, &p), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(ivan), "is a bibliographic record"));
    core_relink_plan_free(&p);
    assert_int_equal(core_relink_preview(ivan, "221999999991234", b, -1, &p), CORE_ERR_NOTFOUND);
    core_relink_plan_free(&p);
    assert_int_equal(core_relink_preview(ivan, "no-such-barcode", b, -1, &p), CORE_ERR_NOTFOUND);
    assert_non_null(strstr(core_repo_errmsg(ivan), "no holdings record, item or barcode"));
    core_relink_plan_free(&p);
    assert_int_equal(core_relink_preview(ivan, h, h, -1, &p), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(ivan), "is a holdings ID"));
    core_relink_plan_free(&p);
    assert_int_equal(core_relink_preview(ivan, h, "991999999991234", -1, &p), CORE_ERR_NOTFOUND);
    core_relink_plan_free(&p);
    assert_int_equal(core_relink_preview(ivan, h, "", -1, &p), CORE_ERR_USER);
    core_relink_plan_free(&p);
    /* every refusal left A where it was, apart from the two relinks that went through */
    assert_int_equal(info(ivan, a).version, va + 2);
    assert_string_equal(info(ivan, h).bib, a);
    check_consistent();
    core_repo_close(alice);
    core_repo_close(carol);
    core_repo_close(admin);
    core_repo_close(bob);
    core_repo_close(ivan);
}

static void
test_items_between_holdings(void **state)
{
    struct core_repo *ivan = cf_as("ivan"), *bob = cf_as("bob");
    const char *a = cf_bib("80082329"), *b = cf_bib("ACD-3792");
    char h1[CORE_MMS_MAX], h2[CORE_MMS_MAX], h3[CORE_MMS_MAX];
    char i1[CORE_MMS_MAX], i2[CORE_MMS_MAX], i3[CORE_MMS_MAX];
    holdings(ivan, a, "STACKS", "BS1450", h1);
    holdings(ivan, a, "REF", "BS1450 ref", h2);
    holdings(ivan, b, "STACKS", "PN1992.8", h3);
    item(ivan, h1, "39401", "v.1", CORE_ITEM_IN_PLACE, i1);
    item(ivan, h1, "39402", "v.2", CORE_ITEM_LOST, i2);
    item(ivan, h3, "39403", "", CORE_ITEM_IN_PLACE, i3);
    struct core_record_info a0 = info(ivan, a), b0 = info(ivan, b);
    int vh1 = info(ivan, h1).version, vh3 = info(ivan, h3).version;
    /* by barcode to a holdings record of another bib */
    struct core_relink_plan p;
    assert_int_equal(core_relink_preview(ivan, "39401", h3, -1, &p), 0);
    assert_int_equal(p.kind, CORE_RELINK_ITEM);
    assert_int_equal(p.nitems, 1);
    assert_string_equal(p.items[0].mms, i1);
    assert_string_equal(p.holdings.mms, h1);
    assert_string_equal(p.to_holdings.mms, h3);
    assert_string_equal(p.from.mms, a);
    assert_string_equal(p.to.mms, b);
    assert_int_equal(p.items_left, 1);
    assert_int_equal(p.from.items_after, a0.items - 1);
    assert_int_equal(p.to.items_after, b0.items + 1);
    assert_int_equal(p.from.holdings_after, a0.holdings);
    assert_int_equal(core_relink_apply(ivan, &p), 0);
    assert_int_equal(p.to_holdings_version, vh3 + 1);
    assert_int_equal(p.holdings_version, vh1 + 1);
    assert_string_equal(p.holdings.mms, h1);
    assert_string_equal(p.to_holdings.mms, h3);
    assert_int_equal(p.holdings.items, 1);
    assert_int_equal(p.to_holdings.items, 2);
    assert_int_equal(p.items_left, 1);
    core_relink_plan_free(&p);
    struct core_item_info it;
    assert_int_equal(core_item_by_barcode(ivan, "39401", &it), 0);
    assert_string_equal(it.holdings, h3);
    assert_int_equal(info(ivan, a).items, a0.items - 1);
    assert_int_equal(info(ivan, b).items, b0.items + 1);
    assert_int_equal(info(ivan, a).holdings, a0.holdings);
    assert_int_equal(info(ivan, h1).items, 1);
    assert_int_equal(info(ivan, h3).items, 2);
    /* versions: both bibs and both holdings, content unchanged */
    relink_version_same_content(ivan, a, "ivan");
    relink_version_same_content(ivan, b, "ivan");
    relink_version_same_content(ivan, h1, "ivan");
    relink_version_same_content(ivan, h3, "ivan");
    /* by item ID, between two holdings of one bib: one version on the bib */
    int va = info(ivan, a).version;
    assert_int_equal(core_relink_preview(ivan, i2, h2, -1, &p), 0);
    assert_string_equal(p.from.mms, p.to.mms);
    assert_int_equal(p.items_left, 0);
    assert_int_equal(p.from.items_after, p.from.items);
    assert_int_equal(core_relink_apply(ivan, &p), 0);
    assert_int_equal(p.items_left, 0);
    core_relink_plan_free(&p);
    assert_int_equal(info(ivan, a).version, va + 1);
    assert_int_equal(info(ivan, h1).items, 0);
    assert_int_equal(info(ivan, h2).items, 1);
    /* refusals: the same holdings, a bib as target, role, lock */
    assert_int_equal(core_relink_preview(ivan, i2, h2, -1, &p), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(ivan), "already on holdings"));
    core_relink_plan_free(&p);
    assert_int_equal(core_relink_preview(ivan, i2, b, -1, &p), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(ivan), h3)); /* names B's holdings */
    core_relink_plan_free(&p);
    assert_int_equal(core_relink_preview(ivan, i2, "oclc:26273275", -1, &p), CORE_ERR_USER);
    core_relink_plan_free(&p);
    assert_int_equal(core_relink_preview(bob, i2, h3, -1, &p), CORE_ERR_ROLE);
    core_relink_plan_free(&p);
    struct core_repo *alice = cf_as("alice"); /* may edit holdings, so may lock them */
    assert_int_equal(core_record_open(alice, h3, NULL, NULL, NULL), 0);
    assert_int_equal(core_relink_preview(ivan, i2, h3, -1, &p), CORE_ERR_CONFLICT);
    core_relink_plan_free(&p);
    assert_int_equal(core_record_release(alice, h3), 0);
    core_repo_close(alice);
    /* the item moved since the preview */
    assert_int_equal(core_relink_preview(ivan, i2, h3, -1, &p), 0);
    struct core_relink_plan q;
    assert_int_equal(core_relink_preview(ivan, i2, h1, -1, &q), 0);
    assert_int_equal(core_relink_apply(ivan, &q), 0);
    core_relink_plan_free(&q);
    assert_int_equal(core_relink_apply(ivan, &p), CORE_ERR_CONFLICT);
    core_relink_plan_free(&p);
    assert_int_equal(core_item_by_barcode(ivan, "39402", &it), 0);
    assert_string_equal(it.holdings, h1);
    check_consistent();
    core_repo_close(bob);
    core_repo_close(ivan);
}

static void
test_versions_listed_with_who(void **state)
{
    struct core_repo *ivan = cf_as("ivan"), *admin = cf_as("admin");
    const char *a = cf_bib("ACD-1949"), *b = cf_bib("ACD-1947");
    char h[CORE_MMS_MAX];
    holdings(ivan, a, "MICRO", "ED 123", h);
    struct core_relink_plan p;
    assert_int_equal(core_relink_preview(ivan, h, b, -1, &p), 0);
    assert_int_equal(core_relink_apply(ivan, &p), 0);
    core_relink_plan_free(&p);
    assert_int_equal(core_relink_preview(admin, h, a, -1, &p), 0);
    assert_int_equal(core_relink_apply(admin, &p), 0);
    core_relink_plan_free(&p);
    /* A: import, relink by ivan (moved away), relink by admin (moved back) */
    struct core_version *v;
    size_t n;
    assert_int_equal(core_versions_list(ivan, a, &v, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(v[0].reason, "import");
    assert_string_equal(v[1].reason, "relink");
    assert_string_equal(v[1].user, "ivan");
    assert_string_equal(v[2].reason, "relink");
    assert_string_equal(v[2].user, "admin");
    assert_true(v[2].current);
    free(v);
    /* the holdings: created, then two relinks, each naming its bib in 004 */
    assert_int_equal(core_versions_list(ivan, h, &v, &n), 0);
    assert_int_equal(n, 3);
    struct marc_record *r = marc_record_new();
    assert_int_equal(core_version_get(ivan, h, v[1].number, r), 0);
    assert_string_equal(value(r, "004"), b);
    assert_int_equal(core_version_get(ivan, h, v[2].number, r), 0);
    assert_string_equal(value(r, "004"), a);
    marc_record_free(r);
    free(v);
    check_consistent();
    core_repo_close(admin);
    core_repo_close(ivan);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_preview_then_apply_by_mms),
        cmocka_unit_test(test_targets_by_oclc_and_isbn),
        cmocka_unit_test(test_multi_match),
        cmocka_unit_test(test_last_holdings_and_delete),
        cmocka_unit_test(test_linked_source_and_nz_target),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_items_between_holdings),
        cmocka_unit_test(test_versions_listed_with_who),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, teardown);
}
