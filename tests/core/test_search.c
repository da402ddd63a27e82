/*
 * test_search.c - searching a repository of real records: the Library of
 * Congress samples Debian ships (MARC-8 ISO 2709 and MARCXML with
 * decomposed diacritics) and the project's own records, created through
 * core_bib_create and searched by every index, with phrases, truncation,
 * Boolean combinations, scopes, zones, deleted records, malformed and
 * hostile queries.
 *
 * Linking to the NZ has no core function yet in this tree; the test that
 * needs a linked bib writes the link with SQL on a second connection, the
 * way linking leaves it (and lets a lock expire the same way).
 */
#include "testutil.h"

#include "assign.h"
#include "import.h"
#include "notes.h"
#include "reader.h"
#include "record.h"
#include "relink.h"
#include "repo.h"
#include "search.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[128];

/* Original 001 of every loaded record -> its MMS ID. */
struct loaded {
    char orig[64];
    char mms[CORE_MMS_MAX];
    enum core_zone zone;
};
static struct loaded loaded[256];
static size_t nloaded;

static struct core_repo *
as(const char *user)
{
    char *cause = NULL;
    struct core_repo *r = core_repo_open(dir, user, &cause);
    if (!r)
        fail_msg("open as %s: %s", user, cause);
    return r;
}

static const char *
mms_of(const char *orig, enum core_zone zone)
{
    for (size_t i = 0; i < nloaded; i++)
        if (strcmp(loaded[i].orig, orig) == 0 && loaded[i].zone == zone)
            return loaded[i].mms;
    fail_msg("no record with 001 %s loaded", orig);
    return NULL;
}

/* Every record of `path` into `zone` (validation errors do not stop it:
 * the samples are real records, some with old practices). */
static size_t
load(struct core_repo *repo, const char *path, enum core_zone zone)
{
    struct marc_read_opts ro = {.permissive = true};
    char *cause = NULL;
    struct marc_reader *rd = marc_reader_open(path, &ro, &cause);
    if (!rd)
        fail_msg("cannot read %s: %s", path, cause);
    struct marc_record *r = marc_record_new();
    size_t n = 0;
    while (marc_reader_next(rd, r) == 1) {
        assert_true(nloaded < sizeof loaded / sizeof *loaded);
        struct loaded *l = &loaded[nloaded];
        size_t len;
        const char *v = marc_record_value(r, "001", 0, &len);
        while (v && len && v[len - 1] == ' ')
            len--;
        while (v && len && *v == ' ')
            v++, len--;
        snprintf(l->orig, sizeof l->orig, "%.*s", v ? (int)len : 0, v ? v : "");
        l->zone = zone;
        int rc = core_bib_create(repo, zone, r, "import", true, NULL, NULL, l->mms);
        if (rc != CORE_OK)
            fail_msg("%s record %zu: %s", path, n + 1, core_repo_errmsg(repo));
        nloaded++;
        n++;
    }
    marc_record_free(r);
    marc_reader_close(rd);
    return n;
}

/* A gzipped sample, unpacked next to the repository. */
static const char *
gunzip(const char *name, const char *out)
{
    static char path[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/../%s", dir, out);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "gzip -dc %s/%s > %s", LOC_EXAMPLES_DIR, name, path[k]);
    if (system(cmd) != 0)
        fail_msg("cannot unpack %s", name);
    return path[k];
}

static int
setup(void **state)
{
    char tmpl[] = "/tmp/colophon-test-search-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    snprintf(dir, sizeof dir, "%s/repo", tmpl);
    char *cause = NULL;
    if (core_repo_init(dir, "1234", NULL, "admin", &cause) != CORE_OK)
        fail_msg("init: %s", cause);
    struct core_repo *r = as("admin");
    assert_int_equal(core_user_add(r, "alice", CORE_ROLE_CATALOGER | CORE_ROLE_INVENTORY, NULL), 0);
    assert_int_equal(core_user_add(r, "carol", CORE_ROLE_CATALOGER_EXTENDED, NULL), 0);
    core_repo_close(r);
    r = as("alice");
    assert_int_equal(load(r, gunzip("marc21/sample-marc.gz", "loc.mrc"), CORE_ZONE_IZ), 24);
    assert_int_equal(
        load(r, gunzip("marcxml/collection-opera-43.xml.gz", "opera.xml"), CORE_ZONE_IZ), 43);
    assert_int_equal(load(r, gunzip("marcxml/collection-2.xml.gz", "c2.xml"), CORE_ZONE_IZ), 2);
    assert_int_equal(load(r, LOC_EXAMPLES_DIR "/marcxml/collection-sandburg-1.xml", CORE_ZONE_IZ),
                     1);
    assert_int_equal(load(r, test_data("records.mrk"), CORE_ZONE_IZ), 3);
    assert_int_equal(load(r, test_data("search/records.mrk"), CORE_ZONE_IZ), 3);
    /* the NZ holds the project's three records only */
    assert_int_equal(load(r, test_data("records.mrk"), CORE_ZONE_NZ), 3);
    core_repo_close(r);
    return 0;
}

static int
teardown(void **state)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %.*s", (int)(strrchr(dir, '/') - dir), dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* SQL on a second connection, for states no core function makes yet. */
static void
sql(const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/iz.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *err = NULL;
    if (sqlite3_exec(db, text, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", text, err);
    sqlite3_close(db);
}

static struct core_results res;

/* Search the IZ (all titles) and return the number of hits. */
static size_t
find_in(struct core_repo *repo, const char *q, enum core_zone zone, bool physical)
{
    core_results_free(&res);
    struct core_search_opts o = {.zone = zone, .physical = physical, .limit = 200};
    int rc = core_search(repo, q, &o, &res);
    if (rc != CORE_OK)
        fail_msg("search '%s' failed (%d): %s", q, rc, core_repo_errmsg(repo));
    return res.n;
}

static size_t
find(struct core_repo *repo, const char *q)
{
    return find_in(repo, q, CORE_ZONE_IZ, false);
}

static bool
hit(const char *mms)
{
    for (size_t i = 0; i < res.n; i++)
        if (strcmp(res.hits[i].mms, mms) == 0)
            return true;
    return false;
}

/* The query finds exactly the record with this original 001. */
static void
finds_only(struct core_repo *repo, const char *q, const char *orig)
{
    size_t n = find(repo, q);
    if (n != 1 || !hit(mms_of(orig, CORE_ZONE_IZ)))
        fail_msg("'%s' found %zu record(s)%s%s, expected only %s", q, n, n ? ", first: " : "",
                 n ? res.hits[0].title : "", orig);
}

/* A refused query: CORE_ERR_USER with this message. */
static void
refused(struct core_repo *repo, const char *q, const char *message)
{
    struct core_results r;
    int rc = core_search(repo, q, NULL, &r);
    if (rc != CORE_ERR_USER)
        fail_msg("'%s' gave %d, not CORE_ERR_USER (%s)", q, rc, core_repo_errmsg(repo));
    assert_string_equal(core_repo_errmsg(repo), message);
    assert_null(r.hits);
    assert_int_equal(r.n, 0);
}

static void
test_words_by_index(void **state)
{
    struct core_repo *repo = as("alice");
    finds_only(repo, "title=\"puget sound\"", "76357895 /MAP/r82");
    finds_only(repo, "author=mairs", "76357895 /MAP/r82");
    finds_only(repo, "subject=cartography", "76357895 /MAP/r82");
    finds_only(repo, "keyword=hoerauf", "76357895 /MAP/r82"); /* 245 $c */
    finds_only(repo, "Hoerauf", "76357895 /MAP/r82");
    /* the index decides: Mairs is an author, not a subject; Puget not an author */
    assert_int_equal(find(repo, "subject=mairs"), 0);
    assert_int_equal(find(repo, "author=puget"), 0);
    /* every word of the sample's computer books, across the MARC-8 file */
    size_t n = find(repo, "computer");
    assert_true(n >= 10);
    assert_true(hit(mms_of("77005558", CORE_ZONE_IZ))); /* The use of passwords ... computer */
    assert_int_equal(find(repo, "subject=\"data processing\""), 3);
    /* the brief line comes from the record */
    finds_only(repo, "title=passwords", "77005558");
    assert_string_equal(res.hits[0].title, "The use of passwords for controlled access to computer "
                                           "resources");
    assert_string_equal(res.hits[0].author, "Wood, Helen M");
    assert_string_equal(res.hits[0].date, "1977");
    assert_int_equal(res.hits[0].zone, CORE_ZONE_IZ);
    core_repo_close(repo);
}

static void
test_identifiers(void **state)
{
    struct core_repo *repo = as("alice");
    /* MMS ID: exact */
    const char *mms = mms_of("77005558", CORE_ZONE_IZ);
    char q[128];
    snprintf(q, sizeof q, "mms=%s", mms);
    finds_only(repo, q, "77005558");
    assert_int_equal(find(repo, "mms=991999999991234"), 0);
    /* OCLC: prefixes and leading zeros do not matter */
    finds_only(repo, "oclc=26273275", "ACD-3837");
    finds_only(repo, "oclc=ocm026273275", "ACD-3837");
    finds_only(repo, "oclc=(OCoLC)26273275", "ACD-3837");
    finds_only(repo, "oclc=\"(OCoLC) ocn26273275\"", "ACD-3837");
    finds_only(repo, "oclc=77777", "srch0001");
    finds_only(repo, "oclc=on00077777", "srch0001");
    /* cancelled numbers (019 $a, 035 $z) lead to the record too */
    finds_only(repo, "oclc=55555", "srch0001");
    finds_only(repo, "oclc=(OCoLC)66666", "srch0001");
    /* the original 001 moved to 035 is not an OCLC number */
    assert_int_equal(find(repo, "oclc=11224466"), 0);
    /* ISBN-10 and -13 are the same book, with or without hyphens */
    finds_only(repo, "isbn=0839108826", "77000348");
    finds_only(repo, "isbn=9780839108825", "77000348");
    finds_only(repo, "isbn=978-0-8391-0882-5", "77000348");
    finds_only(repo, "isbn=1-56619-909-3", "srch0001");
    finds_only(repo, "isbn=9781566199094", "srch0001");
    finds_only(repo, "isbn=0-306-40615-2", "col0000001"); /* stored as 13 digits */
    finds_only(repo, "isbn=4-10-109205-x", "col0000003");
    finds_only(repo, "isbn=9784101092058", "col0000003");
    /* an LCCN (010 $a) is found through isbn too */
    finds_only(repo, "isbn=73090924", "73090924 //r82");
    finds_only(repo, "isbn=\"73090924 //r82\"", "73090924 //r82");
    /* ISSN */
    finds_only(repo, "issn=1064-3923", "ACD-3837");
    finds_only(repo, "issn=10643923", "ACD-3837");
    finds_only(repo, "issn=0317-8471", "srch0001");
    /* the same OCLC number on two records: both, newest first */
    assert_int_equal(find(repo, "oclc=88888"), 2);
    assert_string_equal(res.hits[0].mms, mms_of("srch0003", CORE_ZONE_IZ));
    assert_string_equal(res.hits[1].mms, mms_of("srch0002", CORE_ZONE_IZ));
    /* values an index cannot take are refused, pointing at the term */
    refused(repo, "computer isbn=12-x",
            "column 10: '12-x' is not an ISBN (10 or 13 digits) or an LCCN");
    refused(repo, "oclc=abc",
            "column 1: 'abc' is not an OCLC number (12345, ocm00012345, "
            "(OCoLC)12345)");
    refused(repo, "isbn=12345", "column 1: '12345' is not an ISBN (10 or 13 digits) or an LCCN");
    assert_int_equal(find(repo, "isbn=\"n  73090924\""), 0); /* another LCCN (prefix n) */
    finds_only(repo, "isbn=73-90924", "73090924 //r82");     /* year-serial form */
    refused(repo, "issn=123", "column 1: '123' is not an ISSN (8 characters: 1234-5679)");
    refused(repo, "a OR mms=12",
            "column 6: '12' is not an MMS ID (99...1234 for a bib, 22... "
            "holdings, 23... item)");
    core_repo_close(repo);
}

static void
test_diacritics_folded(void **state)
{
    struct core_repo *repo = as("alice");
    /* Dvořák in the project's record (UTF-8 NFC) */
    finds_only(repo, "dvorak", "col0000001");
    finds_only(repo, "DVORAK", "col0000001");
    finds_only(repo, "Dvořák", "col0000001");
    finds_only(repo,
               "Dvor\xcc\x8c"
               "a\xcc\x81k",
               "col0000001"); /* typed decomposed (NFD) */
    finds_only(repo, "author=dvořak", "col0000001");
    finds_only(repo, "title=\"z noveho sveta\"", "col0000001");
    finds_only(repo, "title=\"Z nového světa\"", "col0000001");
    /* Génin's Misérables (French) */
    finds_only(repo, "author=genin miserables", "col0000002");
    finds_only(repo, "title=\"les misérables de l'ete\"", "col0000002");
    /* the opera collection's MARCXML has decomposed ö; stored NFC, found by plain o */
    assert_int_equal(find(repo, "title=konigin"), 2);
    assert_int_equal(find(repo, "title=Königin"), 2);
    /* CJK words are indexed too */
    finds_only(repo, "title=日本の歴史", "col0000003");
    core_repo_close(repo);
}

static void
test_phrases_and_truncation(void **state)
{
    struct core_repo *repo = as("alice");
    finds_only(repo, "title=\"thematic computer maps\"", "76357895 /MAP/r82");
    assert_int_equal(find(repo, "title=\"computer thematic maps\""), 0); /* order matters */
    assert_int_equal(find(repo, "thematic computer maps"), 1);           /* words: any order */
    finds_only(repo, "author=dvo*", "col0000001");
    finds_only(repo, "title=\"thematic comp\"*", "76357895 /MAP/r82");
    assert_int_equal(find(repo, "title=\"thematic comp\""), 0);
    finds_only(repo, "passw*", "77005558"); /* passwords */
    assert_int_equal(find(repo, "passw"), 0);
    assert_int_equal(find(repo, "title=comput* NOT title=computer"), 0);
    assert_int_equal(find(repo, "comput*"), find(repo, "computer OR computers OR computing"));
    assert_int_equal(find(repo, "title=zebr*"), 1);
    assert_int_equal(find(repo, "zebr*"), 2);
    core_repo_close(repo);
}

static void
test_boolean(void **state)
{
    struct core_repo *repo = as("alice");
    size_t computer = find(repo, "computer");
    size_t cong = find(repo, "computer AND congresses");
    size_t without = find(repo, "computer NOT congresses");
    assert_true(cong > 0 && without > 0);
    assert_int_equal(cong + without, computer);
    assert_int_equal(find(repo, "computer congresses"), cong); /* juxtaposition is AND */
    assert_int_equal(find(repo, "computer and not congresses"), without);
    assert_int_equal(find(repo, "subject=tomography OR subject=cartography"), 2);
    assert_int_equal(find(repo, "(subject=tomography OR subject=cartography) NOT author=mairs"), 1);
    assert_true(hit(mms_of("77000348", CORE_ZONE_IZ)));
    /* words with identifiers: set algebra */
    finds_only(repo, "isbn=0839108826 AND tomography", "77000348");
    assert_int_equal(find(repo, "isbn=0839108826 NOT tomography"), 0);
    assert_int_equal(find(repo, "tomography NOT isbn=0839108826"), 0);
    assert_int_equal(find(repo, "issn=1064-3923 OR oclc=26244844"), 2);
    assert_int_equal(find(repo, "(issn=1064-3923 OR oclc=26244844) AND title=internet"), 1);
    assert_int_equal(find(repo, "title=internet OR issn=1187-7081"), 3);
    /* a leading NOT: everything else */
    size_t total = find(repo, "NOT zzzzqqq");
    assert_int_equal(total, 76);
    assert_int_equal(find(repo, "NOT computer"), total - computer);
    assert_int_equal(find(repo, "title=passwords OR NOT computer"), total - computer + 1);
    assert_int_equal(find(repo, "NOT computer OR NOT zebra"), total);
    core_repo_close(repo);
}

static void
test_scope_physical(void **state)
{
    struct core_repo *repo = as("alice");
    const char *a = mms_of("srch0001", CORE_ZONE_IZ), *b = mms_of("srch0002", CORE_ZONE_IZ);
    struct marc_record *h = marc_record_new();
    marc_record_set_leader(h, "00000nx  a2200000un 4500", 24);
    marc_record_add_control(h, "008", "2611240u    8   4001aaeng0000000", 32);
    long i = marc_record_add_data(h, "852", '0', ' ');
    marc_record_append_subfield(h, (size_t)i, 'b', "MAIN", 4);
    char hold[CORE_MMS_MAX], item[CORE_MMS_MAX];
    assert_int_equal(core_holdings_create(repo, a, h, NULL, NULL, NULL, hold), 0);
    struct core_item_info it = {.status = CORE_ITEM_IN_PLACE};
    snprintf(it.barcode, sizeof it.barcode, "BC-0001'x");
    assert_int_equal(core_item_create(repo, hold, &it, item), 0);
    /* the barcode and the holdings and item IDs find the bib */
    finds_only(repo, "barcode=\"BC-0001'x\"", "srch0001");
    assert_int_equal(find(repo, "barcode=bc-0001'x"), 0); /* barcodes are exact */
    char q[128];
    snprintf(q, sizeof q, "mms=%s", hold);
    finds_only(repo, q, "srch0001");
    snprintf(q, sizeof q, "mms=%s", item);
    finds_only(repo, q, "srch0001");
    /* Physical titles: only the bib with inventory */
    assert_int_equal(find_in(repo, "zebra", CORE_ZONE_IZ, true), 1);
    assert_string_equal(res.hits[0].mms, a);
    assert_int_equal(res.hits[0].holdings, 1);
    assert_int_equal(res.hits[0].items, 1);
    assert_int_equal(find_in(repo, "oclc=77777", CORE_ZONE_IZ, true), 1);
    /* relink the holdings to B: A is found only under All titles */
    struct core_relink_plan plan;
    if (core_relink_preview(repo, hold, b, -1, &plan) != CORE_OK ||
        core_relink_apply(repo, &plan) != CORE_OK)
        fail_msg("relink: %s", core_repo_errmsg(repo));
    assert_true(plan.source_empty);
    core_relink_plan_free(&plan);
    assert_int_equal(find_in(repo, "zebra", CORE_ZONE_IZ, true), 1);
    assert_string_equal(res.hits[0].mms, b);
    assert_int_equal(res.hits[0].holdings, 1);
    assert_int_equal(res.hits[0].items, 1);
    assert_int_equal(find_in(repo, "oclc=77777", CORE_ZONE_IZ, true), 0);
    assert_int_equal(find_in(repo, "oclc=77777", CORE_ZONE_IZ, false), 1);
    assert_int_equal(find_in(repo, "zebra", CORE_ZONE_IZ, false), 2);
    finds_only(repo, "barcode=\"BC-0001'x\"", "srch0002");
    marc_record_free(h);
    core_repo_close(repo);
}

static void
test_zones_and_linked(void **state)
{
    struct core_repo *repo = as("alice");
    /* the NZ has its own copy of the project's records */
    assert_int_equal(find_in(repo, "dvorak", CORE_ZONE_NZ, false), 1);
    assert_string_equal(res.hits[0].mms, mms_of("col0000001", CORE_ZONE_NZ));
    assert_int_equal(res.hits[0].zone, CORE_ZONE_NZ);
    assert_string_equal(res.hits[0].mms + strlen(res.hits[0].mms) - 4, "4801");
    assert_int_equal(find_in(repo, "computer", CORE_ZONE_NZ, false), 0);
    assert_int_equal(find_in(repo, "isbn=0-306-40615-2", CORE_ZONE_NZ, false), 1);
    /* no CZ in this repository */
    struct core_search_opts o = {.zone = CORE_ZONE_CZ};
    struct core_results r;
    assert_int_equal(core_search(repo, "dvorak", &o, &r), CORE_ERR_USER);
    assert_string_equal(core_repo_errmsg(repo), "this repository has no CZ to search");
    /* linked=network: the IZ bib carrying an NZ MMS ID (as linking leaves it) */
    const char *iz = mms_of("col0000002", CORE_ZONE_IZ), *nz = mms_of("col0000002", CORE_ZONE_NZ);
    char link[256];
    snprintf(link, sizeof link, "UPDATE bib SET linked = '%s' WHERE mms = '%s'", nz, iz);
    sql(link);
    finds_only(repo, "linked=network", "col0000002");
    assert_string_equal(res.hits[0].linked, nz);
    assert_int_equal(find(repo, "linked!=network"), 75);
    assert_false(hit(iz));
    finds_only(repo, "genin AND linked=network", "col0000002");
    assert_int_equal(find(repo, "genin NOT linked=network"), 0);
    assert_int_equal(find(repo, "NOT linked=network"), 75);
    assert_int_equal(find(repo, "linked=network linked!=network"), 0);
    finds_only(repo, "linked=network NOT zebra", "col0000002");
    assert_int_equal(find(repo, "linked!=network NOT computer"), 61);
    assert_int_equal(find(repo, "NOT computer NOT linked=network"), 61);
    /* inside an OR, linked is a set */
    assert_int_equal(find(repo, "linked=network OR zebra"), 3);
    assert_true(hit(iz));
    assert_int_equal(find(repo, "(linked!=network OR zebra) AND genin"), 0);
    assert_int_equal(find(repo, "(linked!=network OR zebra) AND miserables"), 0);
    assert_int_equal(find(repo, "(linked=network OR zebra) AND miserables"), 1);
    /* scope and hoisted terms together (the holdings went to srch0002 above) */
    assert_int_equal(find_in(repo, "zebra linked!=network", CORE_ZONE_IZ, true), 1);
    assert_string_equal(res.hits[0].mms, mms_of("srch0002", CORE_ZONE_IZ));
    assert_int_equal(find_in(repo, "linked=network", CORE_ZONE_IZ, true), 0);
    /* the NZ MMS ID finds the IZ bib linked to it */
    char q[64];
    snprintf(q, sizeof q, "mms=%s", nz);
    finds_only(repo, q, "col0000002");
    assert_int_equal(find_in(repo, "linked=network", CORE_ZONE_NZ, false), 0);
    sql("UPDATE bib SET linked = NULL");
    core_repo_close(repo);
}

static void
test_deleted_never_found(void **state)
{
    struct core_repo *alice = as("alice"), *carol = as("carol");
    struct marc_record *r = marc_record_new();
    marc_record_set_leader(r, "00000nam a2200000 i 4500", 24);
    marc_record_add_control(r, "008", "261124s2026    xxu           000 0 eng d", 40);
    long i = marc_record_add_data(r, "020", ' ', ' ');
    marc_record_append_subfield(r, (size_t)i, 'a', "0-8044-2957-X", 13);
    i = marc_record_add_data(r, "245", '0', '0');
    marc_record_append_subfield(r, (size_t)i, 'a', "Ephemeral quokka", 16);
    char mms[CORE_MMS_MAX], q[64];
    assert_int_equal(core_bib_create(alice, CORE_ZONE_IZ, r, NULL, false, NULL, NULL, mms), 0);
    snprintf(q, sizeof q, "mms=%s", mms);
    assert_int_equal(find(alice, "quokka"), 1);
    assert_int_equal(find(alice, q), 1);
    assert_int_equal(find(alice, "isbn=080442957x"), 1);
    assert_int_equal(core_record_delete(carol, mms), 0);
    assert_int_equal(find(alice, "quokka"), 0);
    assert_int_equal(find(alice, "title=ephemeral"), 0);
    assert_int_equal(find(alice, q), 0);
    assert_int_equal(find(alice, "isbn=080442957x"), 0);
    size_t all = find(alice, "NOT zzzzqqq");
    for (size_t k = 0; k < all; k++)
        assert_string_not_equal(res.hits[k].mms, mms);
    marc_record_free(r);
    core_repo_close(alice);
    core_repo_close(carol);
}

static void
test_badges_and_paging(void **state)
{
    struct core_repo *alice = as("alice"), *admin = as("admin");
    const char *z = mms_of("srch0001", CORE_ZONE_IZ), *n = mms_of("srch0002", CORE_ZONE_IZ);
    assert_int_equal(core_record_open(alice, z, NULL, NULL, NULL), 0);
    assert_int_equal(core_assign(admin, n, "carol", "please check", NULL, 0), 0);
    assert_int_equal(find(admin, "zebra"), 2);
    const struct core_brief *bz =
        hit(z) && strcmp(res.hits[0].mms, z) == 0 ? &res.hits[0] : &res.hits[1];
    const struct core_brief *bn = bz == &res.hits[0] ? &res.hits[1] : &res.hits[0];
    assert_string_equal(bz->lock_user, "alice");
    assert_string_equal(bz->assignee, "");
    assert_string_equal(bn->lock_user, "");
    assert_string_equal(bn->assignee, "carol");
    /* an expired lock is no badge */
    char expire[256];
    snprintf(expire, sizeof expire, "UPDATE lock SET seen = 1000 WHERE mms = '%s'", z);
    sql(expire);
    find(admin, "zebra");
    assert_string_equal(res.hits[0].lock_user, "");
    assert_string_equal(res.hits[1].lock_user, "");
    assert_int_equal(core_record_release(alice, z), 0);
    assert_int_equal(core_assign_release(admin, n, NULL), 0);
    find(admin, "zebra");
    assert_string_equal(res.hits[0].assignee, "");
    assert_string_equal(res.hits[1].assignee, "");
    /* paging: limit, offset, count */
    struct core_search_opts o = {.limit = 4, .count = true};
    struct core_results p1, p2, p3;
    assert_int_equal(core_search(admin, "comput*", &o, &p1), 0);
    assert_int_equal(p1.n, 4);
    assert_true(p1.total > 8);
    o.offset = 4;
    assert_int_equal(core_search(admin, "comput*", &o, &p2), 0);
    assert_int_equal(p2.n, 4);
    assert_int_equal(p2.total, p1.total);
    for (size_t a = 0; a < 4; a++)
        for (size_t b = 0; b < 4; b++)
            assert_string_not_equal(p1.hits[a].mms, p2.hits[b].mms);
    o.offset = (size_t)p1.total - 1;
    assert_int_equal(core_search(admin, "comput*", &o, &p3), 0);
    assert_int_equal(p3.n, 1);
    core_results_free(&p1);
    core_results_free(&p2);
    core_results_free(&p3);
    /* without count, total is -1; default limit 50; counting a set query */
    struct core_search_opts d = {0};
    assert_int_equal(core_search(admin, "NOT zzzzqqq", &d, &p1), 0);
    assert_int_equal(p1.n, 50);
    assert_int_equal(p1.total, -1);
    core_results_free(&p1);
    d.count = true;
    assert_int_equal(core_search(admin, "oclc=88888 OR oclc=77777", &d, &p1), 0);
    assert_int_equal(p1.total, 3);
    assert_int_equal(p1.n, 3);
    core_results_free(&p1);
    core_repo_close(alice);
    core_repo_close(admin);
}

/* core_search_ids lists the MMS IDs core_search does, in its order, at any
 * offset; count_max stops counting; core_brief_get reads the same brief line. */
static void
test_ids_and_count_cap(void **state)
{
    struct core_repo *alice = as("alice"), *admin = as("admin");
    const char *z = mms_of("srch0001", CORE_ZONE_IZ);
    assert_int_equal(core_record_open(alice, z, NULL, NULL, NULL), 0);
    static const char *const queries[] = {"comput*", "NOT zzzzqqq", "oclc=88888 OR oclc=77777",
                                          "zebra", "title=\"war and peace\""};
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        for (size_t offset = 0; offset < 6; offset += 5) {
            struct core_search_opts o = {.limit = 7, .offset = offset, .count = true};
            struct core_results r;
            struct core_hit_ids h;
            assert_int_equal(core_search(admin, queries[q], &o, &r), CORE_OK);
            assert_int_equal(core_search_ids(admin, queries[q], &o, &h), CORE_OK);
            assert_int_equal(h.n, r.n);
            assert_int_equal(h.total, r.total);
            for (size_t i = 0; i < r.n; i++) {
                assert_string_equal(h.mms[i], r.hits[i].mms);
                struct core_brief b;
                assert_int_equal(core_brief_get(admin, CORE_ZONE_IZ, h.mms[i], &b), CORE_OK);
                assert_memory_equal(&b, &r.hits[i], sizeof b);
            }
            core_results_free(&r);
            core_hit_ids_free(&h);
        }
    }
    /* the lock badge comes with the brief line read by ID */
    struct core_brief b;
    assert_int_equal(core_brief_get(admin, CORE_ZONE_IZ, z, &b), CORE_OK);
    assert_string_equal(b.lock_user, "alice");
    assert_int_equal(core_brief_get(admin, CORE_ZONE_IZ, "991999999991234", &b),
                     CORE_ERR_NOTFOUND);
    assert_non_null(strstr(core_repo_errmsg(admin), "991999999991234"));
    /* counting up to a cap: the cap when there are more, the count when fewer */
    struct core_search_opts all = {.limit = 1, .count = true};
    struct core_results r;
    assert_int_equal(core_search(admin, "NOT zzzzqqq", &all, &r), CORE_OK);
    long total = r.total;
    core_results_free(&r);
    assert_true(total > 20);
    struct core_hit_ids h;
    for (long cap = 1; cap <= total + 1; cap += total / 3) {
        struct core_search_opts o = {.limit = 1, .count = true, .count_max = cap};
        assert_int_equal(core_search_ids(admin, "NOT zzzzqqq", &o, &h), CORE_OK);
        assert_int_equal(h.total, cap < total ? cap : total);
        core_hit_ids_free(&h);
        assert_int_equal(core_search(admin, "comput*", &o, &r), CORE_OK);
        assert_true(r.total >= 1 && r.total <= cap);
        core_results_free(&r);
    }
    /* a malformed query: an error and nothing to free */
    assert_int_equal(core_search_ids(admin, "title=", NULL, &h), CORE_ERR_USER);
    assert_null(h.mms);
    assert_int_equal(h.n, 0);
    assert_int_equal(core_record_release(alice, z), 0);
    core_repo_close(alice);
    core_repo_close(admin);
}

static void
test_relevance_and_newest_first(void **state)
{
    struct core_repo *repo = as("alice");
    /* "Zebra stripes" (older, zebra in the title) ranks above the newer
     * record that mentions a zebra in a note */
    assert_int_equal(find(repo, "zebra"), 2);
    assert_string_equal(res.hits[0].mms, mms_of("srch0001", CORE_ZONE_IZ));
    assert_string_equal(res.hits[1].mms, mms_of("srch0002", CORE_ZONE_IZ));
    /* identifier queries list the newest first */
    assert_int_equal(find(repo, "oclc=77777 OR oclc=88888"), 3);
    assert_string_equal(res.hits[0].mms, mms_of("srch0003", CORE_ZONE_IZ));
    assert_string_equal(res.hits[2].mms, mms_of("srch0001", CORE_ZONE_IZ));
    core_repo_close(repo);
}

static void
test_malformed_queries(void **state)
{
    struct core_repo *repo = as("alice");
    refused(repo, "x (title=wary", "column 14: expected ')' to close the '(' at column 3");
    refused(repo, "", "column 1: the query is empty");
    refused(repo, "computer AND", "column 13: expected a search term after 'AND'");
    refused(repo, "frobnicate=1",
            "column 1: unknown index 'frobnicate' (indexes: keyword, title, "
            "author, subject, mms, oclc, isbn, issn, linked, barcode; put "
            "text containing '=' in quotes)");
    refused(repo, "-", "column 1: '-' has no letters or digits to search for");
    refused(repo, "title=\"...\" OR ;", "column 1: '...' has no letters or digits to search for");
    core_repo_close(repo);
}

/* Text that would break SQL or FTS5 syntax if it were pasted into either. */
static void
test_hostile_input(void **state)
{
    struct core_repo *repo = as("alice");
    static const char *queries[] = {
        "'; DROP TABLE bib; --",
        "computer' OR '1'='1",
        "NEAR(computer maps)",
        "\"NEAR(x y)\"",
        "computer\"",
        "\"",
        "-computer",
        "^computer",
        "computer:maps",
        "title:computer",
        "{title}",
        "a + b",
        "computer*)",
        "c*mputer",
        "AND",
        "OR OR",
        "NOT",
        ")(",
        "\\",
        "title=\"a\"\"b\"",
        "mms='1' OR 1=1",
        "barcode=';--",
        "isbn=\"'); DROP\"",
        "author=\"x\" AND \"y",
        "col : \"z\"",
        "%",
        "_",
        "*",
        "\x01\x02",
        "😀",
        "keyword=NEAR",
        "x NEAR/2 y",
        "(((",
        ")))",
        "title=\"\\\"\"",
    };
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        struct core_results r;
        int rc = core_search(repo, queries[i], NULL, &r);
        if (rc != CORE_OK && rc != CORE_ERR_USER)
            fail_msg("'%s' gave %d: %s", queries[i], rc, core_repo_errmsg(repo));
        if (rc == CORE_ERR_USER && strncmp(core_repo_errmsg(repo), "column ", 7) != 0)
            fail_msg("'%s': message without a column: %s", queries[i], core_repo_errmsg(repo));
        core_results_free(&r);
    }
    /* searched as text: the odd title is found by its words and its punctuation is ignored */
    finds_only(repo, "'; DROP TABLE bib; --", "srch0003");
    finds_only(repo, "\"NEAR(x y)\"", "srch0003");
    finds_only(repo, "title=\"^odd: -titles\"", "srch0003");
    finds_only(repo, "title=\"robert'); drop\"", "srch0003");
    assert_int_equal(find(repo, "-computer"), find(repo, "computer"));
    assert_int_equal(find(repo, "computer ; & ..."), find(repo, "computer"));
    /* and the tables are all still there */
    assert_true(find(repo, "NOT zzzzqqq") > 70);
    core_repo_close(repo);
}

/*
 * The longest and deepest queries the parser accepts (64 terms, 32 levels)
 * compile to SQL SQLite can parse: words alternating with identifiers
 * once nested one subquery per term and overflowed SQLite's parser stack
 * ("parser stack overflow", exit 4) - found by fuzzing (fuzz_query).
 */
static void
test_deepest_queries(void **state)
{
    struct core_repo *repo = as("alice");
    char q[4096];
    size_t n = 0;
    for (int i = 0; i < 32; i++)
        n += (size_t)snprintf(q + n, sizeof q - n, "%scomputer isbn=030640615%d", i ? " " : "",
                              i % 10);
    struct core_results r;
    int rc = core_search(repo, q, NULL, &r);
    if (rc != CORE_OK)
        fail_msg("64 alternating terms: %d: %s", rc, core_repo_errmsg(repo));
    core_results_free(&r);
    n = 0;
    for (int i = 0; i < 31; i++)
        n += (size_t)snprintf(q + n, sizeof q - n, "(computer OR ");
    n += (size_t)snprintf(q + n, sizeof q - n, "isbn=0306406152");
    for (int i = 0; i < 31; i++)
        n += (size_t)snprintf(q + n, sizeof q - n, ")");
    assert_int_equal(core_search(repo, q, NULL, &r), CORE_OK);
    core_results_free(&r);
    n = 0;
    for (int i = 0; i < 31; i++)
        n += (size_t)snprintf(q + n, sizeof q - n, "NOT ");
    snprintf(q + n, sizeof q - n, "zzzzqqq");
    assert_int_equal(core_search(repo, q, NULL, &r), CORE_OK);
    core_results_free(&r);
    core_repo_close(repo);
}

/*
 * A word in more records than search.c ranks (5,000): the hits come newest
 * first, page after page; a narrower query over the same records is ranked.
 * In the NZ, so the other tests' counts stay as they are.
 */
static void
test_frequent_words_newest_first(void **state)
{
    char path[256];
    snprintf(path, sizeof path, "%s/../many.mrk", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    for (int i = 1; i <= 6000; i++)
        fprintf(
            fp,
            "=LDR  00000nam a2200000 i 4500\n=008  261124s2026\\\\xxu\\\\\\\\\\\\000\\0\\eng\\d\n"
            "=245  10$aPlentiful wombats, part %d%s\n\n",
            i, i % 1000 == 0 ? " : rare marsupial" : "");
    fclose(fp);
    struct core_repo *repo = as("alice");
    struct core_import_opts io = {.zone = CORE_ZONE_NZ, .permissive = true};
    struct core_import_report rep;
    if (core_import_file(repo, path, &io, &rep) != CORE_OK)
        fail_msg("import: %s", core_repo_errmsg(repo));
    assert_int_equal(rep.bibs, 6000);
    struct core_search_opts o = {.zone = CORE_ZONE_NZ, .limit = 50, .count = true};
    struct core_results p1, p2;
    assert_int_equal(core_search(repo, "wombats", &o, &p1), 0);
    assert_int_equal(p1.total, 6000);
    assert_int_equal(p1.n, 50);
    assert_string_equal(p1.hits[0].title, "Plentiful wombats, part 6000 : rare marsupial");
    for (size_t k = 1; k < p1.n; k++)
        assert_true(strcmp(p1.hits[k - 1].mms, p1.hits[k].mms) > 0);
    o.offset = 50;
    assert_int_equal(core_search(repo, "wombats", &o, &p2), 0);
    assert_string_equal(p2.hits[0].title, "Plentiful wombats, part 5950");
    assert_true(strcmp(p1.hits[49].mms, p2.hits[0].mms) > 0);
    core_results_free(&p1);
    core_results_free(&p2);
    /* six records: ranked; all equal in relevance here, so newest first too */
    o.offset = 0;
    assert_int_equal(core_search(repo, "wombats marsupial", &o, &p1), 0);
    assert_int_equal(p1.total, 6);
    assert_string_equal(p1.hits[0].title, "Plentiful wombats, part 6000 : rare marsupial");
    assert_string_equal(p1.hits[5].title, "Plentiful wombats, part 1000 : rare marsupial");
    core_results_free(&p1);
    /* the last page of the frequent word */
    o.offset = 5990;
    assert_int_equal(core_search(repo, "title=wombats", &o, &p1), 0);
    assert_int_equal(p1.n, 10);
    assert_string_equal(p1.hits[9].title, "Plentiful wombats, part 1");
    core_results_free(&p1);
    core_repo_close(repo);
}

/* A stop callback: says true from its `at`-th question on (0: never). */
struct stopper {
    int asked, at;
};

static bool
stop_at(void *ctx)
{
    struct stopper *s = ctx;
    return ++s->asked >= s->at && s->at > 0;
}

/*
 * opts.stop (the editor's idle count, stopped by a key): asked while the
 * search runs; true ends it with CORE_ERR_STOPPED and no results, and the
 * repository searches as before afterwards.  Over the 6,000 NZ records of
 * the test above, enough work for SQLite to ask more than once.
 */
static void
test_stop(void **state)
{
    struct core_repo *repo = as("alice");
    struct core_search_opts o = {.zone = CORE_ZONE_NZ, .limit = 1000, .count = true};
    struct core_hit_ids h;
    struct stopper never = {0};
    o.stop = stop_at;
    o.stop_ctx = &never;
    assert_int_equal(core_search_ids(repo, "NOT zzzzqqq", &o, &h), CORE_OK);
    assert_true(h.total >= 6000);
    long total = h.total;
    assert_int_equal(h.n, 1000);
    core_hit_ids_free(&h);
    assert_true(never.asked > 1); /* asked along the way */
    for (int at = 1; at <= 2; at++) {
        struct stopper s = {.at = at};
        o.stop_ctx = &s;
        assert_int_equal(core_search_ids(repo, "NOT zzzzqqq", &o, &h), CORE_ERR_STOPPED);
        assert_int_equal(s.asked, at); /* stopped at once */
        assert_null(h.mms);
        assert_int_equal(h.n, 0);
        assert_non_null(strstr(core_repo_errmsg(repo), "stopped"));
        struct core_results r;
        assert_int_equal(core_search(repo, "wombats", &o, &r), CORE_ERR_STOPPED);
        assert_null(r.hits);
    }
    /* without a stop: the same search, whole */
    o.stop = NULL;
    assert_int_equal(core_search_ids(repo, "NOT zzzzqqq", &o, &h), CORE_OK);
    assert_int_equal(h.total, total);
    core_hit_ids_free(&h);
    /* and writes go through: no read transaction was left open */
    assert_int_equal(core_note_add(repo, mms_of("srch0001", CORE_ZONE_IZ), "after a stop", NULL),
                     CORE_OK);
    core_repo_close(repo);
}

static void
test_brief_format(void **state)
{
    struct core_brief b = {.mms = "991000000011234",
                           .title = "War and peace",
                           .author = "Tolstoy, Leo",
                           .date = "1869",
                           .zone = CORE_ZONE_IZ,
                           .holdings = 2,
                           .items = 1};
    char line[512];
    core_brief_format(&b, line, sizeof line);
    assert_string_equal(line, "991000000011234  IZ  1869  War and peace / Tolstoy, Leo  "
                              "(2 holdings, 1 item)");
    snprintf(b.linked, sizeof b.linked, "991000000024801");
    snprintf(b.lock_user, sizeof b.lock_user, "alice");
    snprintf(b.assignee, sizeof b.assignee, "bob");
    b.holdings = b.items = 0;
    b.author[0] = b.date[0] = '\0';
    core_brief_format(&b, line, sizeof line);
    assert_string_equal(line, "991000000011234  IZ  ----  War and peace  (no inventory)  "
                              "[linked 991000000024801]  [locked by alice]  [assigned to bob]");
    core_brief_format(&b, line, 20);
    assert_string_equal(line, "991000000011234  IZ");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_by_index),
        cmocka_unit_test(test_identifiers),
        cmocka_unit_test(test_diacritics_folded),
        cmocka_unit_test(test_phrases_and_truncation),
        cmocka_unit_test(test_boolean),
        cmocka_unit_test(test_deepest_queries),
        cmocka_unit_test(test_relevance_and_newest_first),
        cmocka_unit_test(test_scope_physical),
        cmocka_unit_test(test_zones_and_linked),
        cmocka_unit_test(test_badges_and_paging),
        cmocka_unit_test(test_ids_and_count_cap),
        cmocka_unit_test(test_malformed_queries),
        cmocka_unit_test(test_hostile_input),
        cmocka_unit_test(test_deleted_never_found),
        cmocka_unit_test(test_frequent_words_newest_first),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_brief_format),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    core_results_free(&res);
    return rc;
}
