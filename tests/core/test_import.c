/*
 * test_import.c - importing files into a repository and exporting them
 * again, on real files: the Library of Congress records of Debian's
 * idzebra-2.0 examples (MARC-8 ISO 2709 and MARCXML), the project's own
 * records.mrk, and holdings files written for these tests.  Every test
 * gets a new repository; counts are read from the SQLite files directly.
 */
#include "testutil.h"

#include "diff.h"
#include "import.h"
#include "iso2709.h"
#include "reader.h"
#include "record.h"
#include "repo.h"
#include "search.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmp[128];
static char dir[160];

static int
setup(void **state)
{
    snprintf(tmp, sizeof tmp, "/tmp/colophon-test-import-XXXXXX");
    assert_non_null(mkdtemp(tmp));
    snprintf(dir, sizeof dir, "%s/repo", tmp);
    char *cause = NULL;
    if (core_repo_init(dir, "1234", NULL, "admin", &cause) != 0)
        fail_msg("init: %s", cause);
    struct core_repo *r = core_repo_open(dir, "admin", &cause);
    assert_non_null(r);
    assert_int_equal(core_user_add(r, "cat", CORE_ROLE_CATALOGER, NULL), 0);
    assert_int_equal(core_user_add(r, "inv", CORE_ROLE_INVENTORY, NULL), 0);
    core_repo_close(r);
    return 0;
}

static int
teardown(void **state)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

static struct core_repo *
as(const char *user)
{
    char *cause = NULL;
    struct core_repo *r = core_repo_open(dir, user, &cause);
    if (!r)
        fail_msg("open as %s: %s", user, cause);
    return r;
}

/* A file in the test's directory (static storage, overwritten). */
static const char *
tmpfile_path(const char *name)
{
    static char path[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", tmp, name);
    return path[k];
}

/* A (possibly gzipped) LoC example, uncompressed into the test's directory. */
static const char *
loc_file(const char *example, const char *name)
{
    const char *out = tmpfile_path(name);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "zcat -f '%s/%s' > '%s'", LOC_EXAMPLES_DIR, example, out);
    if (system(cmd) != 0)
        fail_msg("cannot unpack %s", example);
    return out;
}

/* One number from SQL on the IZ file. */
static long long
q(const char *sql)
{
    char path[200];
    snprintf(path, sizeof path, "%s/iz.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void
assert_integrity(void)
{
    char path[200];
    snprintf(path, sizeof path, "%s/iz.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* Everything a failed import must leave as it was. */
struct counts {
    long long bibs, holdings, items, ident, runs, counter;
};

static void
count_all(struct counts *c)
{
    c->bibs = q("SELECT count(*) FROM bib");
    c->holdings = q("SELECT count(*) FROM holding");
    c->items = q("SELECT count(*) FROM item");
    c->ident = q("SELECT count(*) FROM ident");
    c->runs = q("SELECT count(*) FROM import_run");
    c->counter = q("SELECT sum(next) FROM counter");
}

static void
assert_unchanged(const struct counts *before)
{
    struct counts now;
    count_all(&now);
    assert_int_equal(now.bibs, before->bibs);
    assert_int_equal(now.holdings, before->holdings);
    assert_int_equal(now.items, before->items);
    assert_int_equal(now.ident, before->ident);
    assert_int_equal(now.runs, before->runs);
    assert_int_equal(now.counter, before->counter);
    assert_integrity();
}

static int
import(struct core_repo *repo, const char *path, bool permissive, struct core_import_report *rep,
       struct test_diags *t)
{
    struct core_import_opts o = {
        .permissive = permissive, .diag = test_diags_collect, .diag_ctx = t};
    return core_import_file(repo, path, &o, rep);
}

/* The MMS ID of the bib whose original 001 is `orig`. */
static const char *
mms_of(const char *orig)
{
    static char out[4][CORE_MMS_MAX];
    static int k;
    k = (k + 1) % 4;
    char path[200], key[64];
    snprintf(path, sizeof path, "%s/iz.db", dir);
    snprintf(key, sizeof key, "c:%s", orig);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT b.mms FROM ident i JOIN bib b ON b.id = i.bib "
                                        "WHERE i.key = ?1 ORDER BY b.id DESC",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW)
        fail_msg("no bib with original 001 %s", orig);
    snprintf(out[k], sizeof out[k], "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out[k];
}

static const char *
value(const struct marc_record *r, const char *tag, char code)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    size_t len;
    const char *v = marc_record_value(r, tag, code, &len);
    if (!v)
        return NULL;
    snprintf(buf[k], sizeof buf[k], "%.*s", (int)len, v);
    return buf[k];
}

/* Every record of a file (UTF-8, NFC), for comparisons. */
static struct marc_record **
read_all(const char *path, size_t *n)
{
    struct marc_read_opts ro = {.to_utf8 = true, .normalize = MARC_NF_NFC};
    char *cause = NULL;
    struct marc_reader *rd = marc_reader_open(path, &ro, &cause);
    if (!rd)
        fail_msg("%s", cause);
    struct marc_record **v = NULL;
    *n = 0;
    for (;;) {
        struct marc_record *r = marc_record_new();
        int rc = marc_reader_next(rd, r);
        if (rc != 1) {
            marc_record_free(r);
            assert_int_equal(rc, 0);
            break;
        }
        v = realloc(v, (*n + 1) * sizeof *v);
        v[(*n)++] = r;
    }
    marc_reader_close(rd);
    return v;
}

static void
free_all(struct marc_record **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        marc_record_free(v[i]);
    free(v);
}

/* ---- bibs ---- */

static void
test_loc_marc8_iso2709(void **state)
{
    const char *f = loc_file("marc21/sample-marc.gz", "loc.mrc");
    struct core_repo *repo = as("admin");
    struct core_import_report rep;
    struct test_diags t = {0};
    assert_int_equal(import(repo, f, false, &rep, &t), 0);
    assert_int_equal(rep.records, 24);
    assert_int_equal(rep.bibs, 24);
    assert_int_equal(rep.skipped, 0);
    assert_int_equal(rep.resumed, 0);
    /* Record 24 has 00X fields with indicators (another MARC format): it
     * is imported, counted and reported with its new MMS ID, to be fixed. */
    assert_int_equal(rep.invalid, 1);
    assert_int_equal(q("SELECT count(*) FROM bib"), 24);
    /* Record 24's 001 is not a control field: it has no original 001. */
    assert_int_equal(q("SELECT count(*) FROM ident WHERE key LIKE 'c:%'"), 23);
    bool named = false;
    for (int i = 0; i < t.n; i++)
        named = named || (t.d[i].record == 24 && strstr(t.d[i].message, "imported as 99"));
    assert_true(named);
    /* The first record: MMS ID in 001, the LoC number in 035 and as key. */
    const char *mms = mms_of("11224466");
    struct marc_record *r = marc_record_new();
    struct core_record_info info;
    assert_int_equal(core_record_get(repo, mms, r, &info), 0);
    assert_string_equal(value(r, "001", 0), mms);
    assert_string_equal(value(r, "035", 'a'), "(DLC)11224466");
    assert_non_null(value(r, "005", 0));
    assert_true(marc_record_is_utf8(r));
    assert_string_equal(info.reason, "import");
    assert_string_equal(info.created_by, "admin");
    assert_string_equal(info.title, "How to program a computer");
    assert_int_equal(core_record_get(repo, mms_of("73090924 //r82"), r, NULL), 0);
    assert_string_equal(value(r, "035", 'a'), "(DLC)73090924 //r82");
    /* Found by the search indexes. */
    struct core_search_opts so = {.zone = CORE_ZONE_IZ};
    struct core_results res;
    assert_int_equal(core_search(repo, "title=\"puget sound region\"", &so, &res), 0);
    assert_int_equal(res.n, 1);
    core_results_free(&res);
    marc_record_free(r);
    core_repo_close(repo);
    assert_integrity();
}

static void
test_loc_marcxml_and_own_records(void **state)
{
    const char *opera = loc_file("marcxml/collection-opera-43.xml.gz", "opera.xml");
    struct core_repo *repo = as("cat");
    struct core_import_report rep;
    struct test_diags t = {0};
    assert_int_equal(import(repo, opera, false, &rep, &t), 0);
    assert_int_equal(rep.records, 43);
    assert_int_equal(rep.bibs, 43);
    assert_int_equal(
        import(repo, LOC_EXAMPLES_DIR "/marcxml/collection-sandburg-1.xml", false, &rep, &t), 0);
    assert_int_equal(rep.bibs, 1);
    assert_int_equal(import(repo, test_data("records.mrk"), false, &rep, &t), 0);
    assert_int_equal(rep.records, 3);
    assert_int_equal(rep.bibs, 3);
    assert_int_equal(rep.invalid, 0);
    assert_int_equal(q("SELECT count(*) FROM bib"), 47);
    /* 003 goes in front of the old 001; without 003 the 001 alone. */
    struct marc_record *r = marc_record_new();
    assert_int_equal(core_record_get(repo, mms_of("col0000001"), r, NULL), 0);
    assert_string_equal(value(r, "035", 'a'), "(OCoLC)ocm00012345");
    bool kept = false;
    for (long i = marc_record_find(r, "035", 0); i >= 0;
         i = marc_record_find(r, "035", (size_t)i + 1)) {
        size_t len;
        const char *a = marc_field_value(marc_record_field(r, (size_t)i), 'a', &len);
        kept = kept || (a && len == 15 && memcmp(a, "(XXc)col0000001", 15) == 0);
    }
    assert_true(kept);
    assert_int_equal(core_record_get(repo, mms_of("col0000002"), r, NULL), 0);
    assert_int_equal(q("SELECT count(*) FROM ident WHERE key = 'c:col0000002'"), 1);
    marc_record_free(r);
    core_repo_close(repo);
}

/* Authority and classification records are not bibs: strict refuses the
 * file and writes nothing, permissive skips each with its reason. */
static void
test_other_kinds_strict_and_permissive(void **state)
{
    const char *names = loc_file("marcxml/collection-namemrc.xml.gz", "names.xml");
    struct core_repo *repo = as("admin");
    struct core_import_report rep;
    struct test_diags t = {0};
    assert_int_equal(import(repo, test_data("records.mrk"), false, &rep, &t), 0);
    struct counts before;
    count_all(&before);
    t = (struct test_diags){0};
    assert_int_equal(import(repo, names, false, &rep, &t), CORE_ERR_INVALID);
    assert_non_null(strstr(core_repo_errmsg(repo), "nothing was imported"));
    assert_int_equal(t.errors, 20);
    const struct marc_diag *d = test_diags_find(&t, "import-kind");
    assert_non_null(d);
    assert_int_equal(d->record, 1);
    assert_true(d->line > 0);
    assert_non_null(strstr(d->message, "authority record"));
    assert_unchanged(&before);
    t = (struct test_diags){0};
    assert_int_equal(import(repo, names, true, &rep, &t), 0);
    assert_int_equal(rep.records, 20);
    assert_int_equal(rep.bibs, 0);
    assert_int_equal(rep.skipped, 20);
    int skipped = 0;
    for (int i = 0; i < t.n; i++)
        skipped += t.d[i].code && strcmp(t.d[i].code, "import-kind") == 0 &&
                   t.d[i].severity == MARC_SEV_WARNING && strstr(t.d[i].message, "skipped: ");
    assert_int_equal(skipped, 20);
    core_repo_close(repo);
}

/* A MARC-8 record whose escape sequence is broken, between two good ones. */
static const char *
write_bad_marc8(void)
{
    const char *path = tmpfile_path("bad-marc8.mrc");
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    struct marc_buf b = MARC_BUF_INIT;
    for (int i = 1; i <= 3; i++) {
        struct marc_record *r = marc_record_new();
        marc_record_set_leader_byte(r, 9, ' ');
        char id[16];
        snprintf(id, sizeof id, "bad%04d", i);
        marc_record_add_control(r, "001", id, strlen(id));
        marc_record_add_control(r, "008", "850101s1985    fr            000 1 fre d", 40);
        long f = marc_record_add_data(r, "245", '1', '0');
        const char *title = i == 2 ? "La Soci\x1Bt\xE2"
                                     "e"
                                   : "Plain title";
        marc_record_append_subfield(r, (size_t)f, 'a', title, strlen(title));
        marc_buf_reset(&b);
        assert_int_equal(marc_iso2709_encode(r, &b, NULL), 0);
        fwrite(b.data, 1, b.len, fp);
        marc_record_free(r);
    }
    marc_buf_free(&b);
    fclose(fp);
    return path;
}

static void
test_bad_charset_strict_and_permissive(void **state)
{
    const char *f = write_bad_marc8();
    struct core_repo *repo = as("admin");
    struct counts before;
    count_all(&before);
    struct core_import_report rep;
    struct test_diags t = {0};
    assert_int_equal(import(repo, f, false, &rep, &t), CORE_ERR_INVALID);
    assert_non_null(strstr(core_repo_errmsg(repo), "record 2"));
    assert_non_null(test_diags_find(&t, "marc8-bad-escape"));
    assert_unchanged(&before);
    t = (struct test_diags){0};
    assert_int_equal(import(repo, f, true, &rep, &t), 0);
    assert_int_equal(rep.records, 3);
    assert_int_equal(rep.bibs, 2);
    assert_int_equal(rep.skipped, 1);
    assert_int_equal(q("SELECT count(*) FROM ident WHERE key IN ('c:bad0001', 'c:bad0003')"), 2);
    assert_int_equal(q("SELECT count(*) FROM ident WHERE key = 'c:bad0002'"), 0);
    core_repo_close(repo);
}

/* ---- holdings and items ---- */

static long long
item_count(const char *status)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM item WHERE status = '%s'", status);
    return q(sql);
}

static void
test_holdings_and_items(void **state)
{
    struct core_repo *repo = as("admin");
    struct core_import_report rep;
    struct test_diags t = {0};
    assert_int_equal(import(repo, test_data("holdings/library.mrk"), false, &rep, &t), 0);
    assert_int_equal(rep.records, 5);
    assert_int_equal(rep.bibs, 2);
    assert_int_equal(rep.holdings, 3);
    assert_int_equal(rep.items, 5);
    assert_int_equal(rep.skipped, 0);
    /* The status the mapping does not know is reported; the item is in place. */
    const struct marc_diag *d = test_diags_find(&t, "import-item-status");
    assert_non_null(d);
    assert_int_equal(d->record, 4);
    assert_string_equal(d->tag, "878");
    assert_non_null(strstr(d->message, "at the bindery"));
    /* The holdings record that came before its bib found it. */
    const char *book = mms_of("hb0000001"), *serial = mms_of("hb0000002");
    struct core_holdings_info *h;
    size_t nh;
    assert_int_equal(core_holdings_list(repo, book, &h, &nh), 0);
    assert_int_equal(nh, 1);
    assert_string_equal(h[0].library, "MAIN");
    assert_string_equal(h[0].location, "STACKS");
    struct core_item_info *it;
    size_t ni;
    assert_int_equal(core_items_list(repo, h[0].mms, &it, &ni), 0);
    assert_int_equal(ni, 3);
    assert_string_equal(it[0].barcode, "39000001");
    assert_string_equal(it[0].description, "v.1");
    assert_int_equal(it[0].status, CORE_ITEM_IN_PLACE);
    assert_string_equal(it[1].barcode, "39000002");
    assert_int_equal(it[1].status, CORE_ITEM_MISSING);
    assert_string_equal(it[2].description, "2"); /* $t when there is no $3 */
    assert_int_equal(it[2].status, CORE_ITEM_LOST);
    free(it);
    /* Stored MFHD: 004 is the bib's MMS ID, the items' fields are gone,
     * the old 001 is a 035. */
    struct marc_record *r = marc_record_new();
    struct core_record_info info;
    assert_int_equal(core_record_get(repo, h[0].mms, r, &info), 0);
    assert_string_equal(value(r, "004", 0), book);
    assert_string_equal(info.bib, book);
    assert_int_equal(marc_record_find(r, "876", 0), -1);
    assert_string_equal(value(r, "035", 'a'), "(XXh)hh0000001");
    assert_string_equal(value(r, "866", 'a'), "v.1-3");
    free(h);
    assert_int_equal(core_holdings_list(repo, serial, &h, &nh), 0);
    assert_int_equal(nh, 2);
    assert_int_equal(h[0].items + h[1].items, 2);
    free(h);
    assert_int_equal(core_record_get(repo, serial, NULL, &info), 0);
    assert_int_equal(info.holdings, 2);
    assert_int_equal(info.items, 2);
    assert_int_equal(item_count("withdrawn"), 1);
    assert_int_equal(item_count("in place"), 2);
    struct core_item_info one;
    assert_int_equal(core_item_by_barcode(repo, "39000005", &one), 0);
    assert_string_equal(one.description, "Supplement");
    marc_record_free(r);
    core_repo_close(repo);
    assert_integrity();
}

static void
test_holdings_without_bib(void **state)
{
    struct core_repo *repo = as("admin");
    struct counts before;
    count_all(&before);
    struct core_import_report rep;
    struct test_diags t = {0};
    assert_int_equal(import(repo, test_data("holdings/orphan.mrk"), false, &rep, &t),
                     CORE_ERR_INVALID);
    const struct marc_diag *d = test_diags_find(&t, "import-no-bib");
    assert_non_null(d);
    assert_int_equal(d->record, 2);
    assert_non_null(strstr(d->message, "'no-such-bib'"));
    assert_unchanged(&before);
    t = (struct test_diags){0};
    assert_int_equal(import(repo, test_data("holdings/orphan.mrk"), true, &rep, &t), 0);
    assert_int_equal(rep.bibs, 1);
    assert_int_equal(rep.holdings, 0);
    assert_int_equal(rep.skipped, 1);
    d = test_diags_find(&t, "import-no-bib");
    assert_non_null(d);
    assert_non_null(strstr(d->message, "skipped"));
    assert_int_equal(q("SELECT count(*) FROM item"), 0);
    core_repo_close(repo);
}

static void
test_barcodes_unique(void **state)
{
    struct core_repo *repo = as("admin");
    struct core_import_report rep;
    struct test_diags t = {0};
    /* Twice in one file. */
    assert_int_equal(import(repo, test_data("holdings/twice.mrk"), false, &rep, &t),
                     CORE_ERR_INVALID);
    const struct marc_diag *d = test_diags_find(&t, "import-barcode-twice");
    assert_non_null(d);
    assert_int_equal(d->record, 3);
    assert_non_null(strstr(d->message, "record 2"));
    assert_int_equal(q("SELECT count(*) FROM bib"), 0);
    t = (struct test_diags){0};
    assert_int_equal(import(repo, test_data("holdings/twice.mrk"), true, &rep, &t), 0);
    assert_int_equal(rep.holdings, 1);
    assert_int_equal(rep.items, 1);
    assert_int_equal(rep.skipped, 1);
    assert_non_null(test_diags_find(&t, "import-barcode-taken"));
    /* Already in the zone: a file bringing 39000077 again is refused whole. */
    const char *again = tmpfile_path("again.mrk");
    FILE *fp = fopen(again, "w");
    fputs("=LDR  00000nx  a22000001i 4500\n=001  ha0000001\n=004  ht0000001\n"
          "=008  2611240u\\\\\\\\8\\\\\\4001uu\\\\\\0261124\n=852  0\\$bMAIN\n"
          "=876  \\\\$p39000077\n",
          fp);
    fclose(fp);
    struct counts before;
    count_all(&before);
    t = (struct test_diags){0};
    assert_int_equal(import(repo, again, false, &rep, &t), CORE_ERR_INVALID);
    d = test_diags_find(&t, "import-barcode-taken");
    assert_non_null(d);
    assert_non_null(strstr(d->message, "already belongs to item 23"));
    assert_unchanged(&before);
    core_repo_close(repo);
}

/* 004 may hold the bib's MMS ID instead of its original 001. */
static void
test_004_by_mms_id(void **state)
{
    struct core_repo *repo = as("admin");
    struct core_import_report rep;
    struct test_diags t = {0};
    assert_int_equal(import(repo, test_data("records.mrk"), false, &rep, &t), 0);
    const char *bib = mms_of("col0000003");
    const char *path = tmpfile_path("by-mms.mrk");
    FILE *fp = fopen(path, "w");
    fprintf(fp,
            "=LDR  00000nx  a22000001i 4500\n=001  hm0000001\n=004  %s\n"
            "=008  2611240u\\\\\\\\8\\\\\\4001uu\\\\\\0261124\n=852  0\\$bEAST\n"
            "=876  \\\\$p41000001$3c.1$jpredicted\n",
            bib);
    fclose(fp);
    assert_int_equal(import(repo, path, false, &rep, &t), 0);
    assert_int_equal(rep.holdings, 1);
    assert_int_equal(rep.items, 1);
    struct core_item_info it;
    assert_int_equal(core_item_by_barcode(repo, "41000001", &it), 0);
    assert_int_equal(it.status, CORE_ITEM_PREDICTED);
    struct core_record_info info;
    assert_int_equal(core_record_get(repo, it.holdings, NULL, &info), 0);
    assert_string_equal(info.bib, bib);
    core_repo_close(repo);
}

/* Two bibs with the same original 001: the newest, and a warning naming both. */
static void
test_004_names_several_bibs(void **state)
{
    struct core_repo *repo = as("admin");
    struct core_import_report rep;
    struct test_diags t = {0};
    assert_int_equal(import(repo, test_data("records.mrk"), false, &rep, &t), 0);
    const char *first = mms_of("col0000002");
    char older[CORE_MMS_MAX];
    snprintf(older, sizeof older, "%s", first);
    struct core_import_opts o = {.again = true};
    assert_int_equal(core_import_file(repo, test_data("records.mrk"), &o, &rep), 0);
    const char *newest = mms_of("col0000002");
    assert_string_not_equal(newest, older);
    const char *path = tmpfile_path("several.mrk");
    FILE *fp = fopen(path, "w");
    fputs("=LDR  00000nx  a22000001n 4500\n=001  hs0000001\n=004  col0000002\n"
          "=008  2611240u\\\\\\\\8\\\\\\4001uu\\\\\\0261124\n=852  0\\$bWEST\n",
          fp);
    fclose(fp);
    t = (struct test_diags){0};
    assert_int_equal(import(repo, path, false, &rep, &t), 0);
    assert_int_equal(rep.holdings, 1);
    const struct marc_diag *d = test_diags_find(&t, "import-004-several");
    assert_non_null(d);
    assert_non_null(strstr(d->message, older));
    assert_non_null(strstr(d->message, newest));
    struct core_holdings_info *h;
    size_t nh;
    assert_int_equal(core_holdings_list(repo, newest, &h, &nh), 0);
    assert_int_equal(nh, 1);
    free(h);
    assert_int_equal(core_holdings_list(repo, older, &h, &nh), 0);
    assert_int_equal(nh, 0);
    free(h);
    core_repo_close(repo);
}

static void
test_roles(void **state)
{
    struct core_repo *repo = as("inv");
    struct core_import_report rep;
    struct test_diags t = {0};
    /* Inventory alone cannot create the bibs of the file. */
    assert_int_equal(import(repo, test_data("holdings/library.mrk"), false, &rep, &t),
                     CORE_ERR_INVALID);
    const struct marc_diag *d = test_diags_find(&t, "import-role");
    assert_non_null(d);
    assert_non_null(strstr(d->message, "needs role cataloger"));
    assert_int_equal(q("SELECT count(*) FROM bib"), 0);
    core_repo_close(repo);
    /* A cataloger without inventory: bibs come, holdings are skipped. */
    repo = as("cat");
    t = (struct test_diags){0};
    assert_int_equal(import(repo, test_data("holdings/library.mrk"), true, &rep, &t), 0);
    assert_int_equal(rep.bibs, 2);
    assert_int_equal(rep.holdings, 0);
    assert_int_equal(rep.skipped, 3);
    core_repo_close(repo);
    /* Someone with no role at all is refused before anything is read. */
    repo = core_repo_open(dir, "nobody", NULL);
    if (repo) {
        assert_int_equal(import(repo, test_data("records.mrk"), true, &rep, &t), CORE_ERR_ROLE);
        core_repo_close(repo);
    }
}

/* ---- resume ---- */

/* N records in ISO 2709, each with its own 001, made from records.mrk. */
static const char *
write_many(const char *name, int n)
{
    size_t nt;
    struct marc_record **tpl = read_all(test_data("records.mrk"), &nt);
    const char *path = tmpfile_path(name);
    FILE *fp = fopen(path, "wb");
    struct marc_buf b = MARC_BUF_INIT;
    for (int i = 0; i < n; i++) {
        struct marc_record *r = marc_record_clone(tpl[(size_t)i % nt]);
        char id[32];
        snprintf(id, sizeof id, "gen%07d", i + 1);
        marc_record_set_control(r, (size_t)marc_record_find(r, "001", 0), id, strlen(id));
        marc_buf_reset(&b);
        assert_int_equal(marc_iso2709_encode(r, &b, NULL), 0);
        fwrite(b.data, 1, b.len, fp);
        marc_record_free(r);
    }
    fclose(fp);
    marc_buf_free(&b);
    free_all(tpl, nt);
    return path;
}

struct killer {
    long long after_bytes; /* kill once progress passes this */
};

static void
kill_me(void *ctx, long long done, long long total, long records)
{
    const struct killer *k = ctx;
    if (done > k->after_bytes)
        raise(SIGKILL);
}

/* Run an import in a child process that dies by SIGKILL mid-way. */
static void
import_and_die(const char *path, size_t batch, long long after_bytes, bool permissive)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct core_repo *repo = core_repo_open(dir, "admin", NULL);
        struct killer k = {after_bytes};
        struct core_import_opts o = {
            .batch = batch, .permissive = permissive, .progress = kill_me, .progress_ctx = &k};
        struct core_import_report rep;
        core_import_file(repo, path, &o, &rep);
        _exit(0); /* not reached when the kill came */
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
}

static void
test_resume_after_kill(void **state)
{
    const int n = 950;
    const char *f = write_many("many.mrc", n);
    struct stat st;
    assert_int_equal(stat(f, &st), 0);
    /* Strict: the check pass reads the file once (progress 0 .. size), the
     * bibs pass a second time; die halfway through the second. */
    import_and_die(f, 40, st.st_size + st.st_size / 2, false);
    assert_integrity();
    long long bibs = q("SELECT count(*) FROM bib");
    long long done = q("SELECT records_done FROM import_run");
    assert_true(bibs > 0 && bibs < n);
    assert_int_equal(bibs % 40, 0); /* whole batches only */
    assert_int_equal(done, bibs);
    assert_int_equal(q("SELECT finished FROM import_run"), 0);
    assert_int_equal(q("SELECT next FROM counter WHERE type = 99"), 100000001 + bibs);
    /* The full-text index keeps the import's settings until an import ends. */
    assert_int_equal(q("SELECT v FROM bib_fts_config WHERE k = 'automerge'"), 0);
    struct core_repo *repo = as("admin");
    struct core_import_report rep;
    struct test_diags t = {0};
    struct core_import_opts o = {.batch = 40, .diag = test_diags_collect, .diag_ctx = &t};
    assert_int_equal(core_import_file(repo, f, &o, &rep), 0);
    assert_int_equal(rep.records, n);
    assert_int_equal(rep.resumed, bibs);
    assert_int_equal(rep.bibs, n - bibs);
    /* Every record exactly once. */
    assert_int_equal(q("SELECT count(*) FROM bib"), n);
    assert_int_equal(q("SELECT count(DISTINCT key) FROM ident WHERE key LIKE 'c:gen%'"), n);
    assert_int_equal(q("SELECT count(*) FROM ident WHERE key LIKE 'c:gen%'"), n);
    assert_int_equal(q("SELECT finished FROM import_run"), 1);
    assert_int_equal(q("SELECT records_done FROM import_run"), n);
    assert_int_equal(q("SELECT v FROM bib_fts_config WHERE k = 'automerge'"), 4);
    assert_int_equal(q("SELECT v FROM bib_fts_config WHERE k = 'crisismerge'"), 16);
    assert_int_equal(q("SELECT v FROM bib_fts_config WHERE k = 'hashsize'"), 1048576);
    /* Again: nothing to do, and said so. */
    assert_int_equal(core_import_file(repo, f, &o, &rep), 0);
    assert_int_equal(rep.records, 0);
    assert_int_equal(rep.resumed, n);
    assert_non_null(strstr(core_repo_errmsg(repo), "was imported"));
    assert_int_equal(q("SELECT count(*) FROM bib"), n);
    /* --again: a second copy of everything. */
    o.again = true;
    assert_int_equal(core_import_file(repo, f, &o, &rep), 0);
    assert_int_equal(rep.bibs, n);
    assert_int_equal(q("SELECT count(*) FROM bib"), 2 * n);
    assert_int_equal(q("SELECT count(*) FROM import_run"), 1);
    core_repo_close(repo);
    assert_integrity();
}

/* Killed in the holdings pass: holdings and items come exactly once. */
static void
test_resume_in_holdings_pass(void **state)
{
    const char *f = test_data("holdings/library.mrk");
    struct stat st;
    assert_int_equal(stat(f, &st), 0);
    /* Permissive: bibs pass 0 .. size, holdings pass size .. 2 size. */
    import_and_die(f, 1, st.st_size + 1, true);
    assert_integrity();
    long long holdings = q("SELECT count(*) FROM holding");
    assert_int_equal(q("SELECT count(*) FROM bib"), 2);
    assert_true(holdings >= 1 && holdings < 3);
    assert_true(q("SELECT records_done FROM import_run") > 5);
    struct core_repo *repo = as("admin");
    struct core_import_report rep;
    struct test_diags t = {0};
    assert_int_equal(import(repo, f, true, &rep, &t), 0);
    assert_int_equal(rep.bibs, 0);
    assert_int_equal(rep.holdings, 3 - holdings);
    assert_int_equal(rep.resumed, 2 + holdings);
    assert_int_equal(q("SELECT count(*) FROM holding"), 3);
    assert_int_equal(q("SELECT count(*) FROM item"), 5);
    assert_int_equal(q("SELECT count(DISTINCT barcode) FROM item"), 5);
    assert_int_equal(q("SELECT sum(holdings) FROM bib"), 3);
    assert_int_equal(q("SELECT sum(items) FROM bib"), 5);
    core_repo_close(repo);
}

/* ---- export ---- */

/* r without what an import adds: 001, 005 and the 035 holding the old 001. */
static void
strip_added(struct marc_record *r, const char *orig035)
{
    long i;
    while ((i = marc_record_find(r, "001", 0)) >= 0)
        marc_record_delete_field(r, (size_t)i);
    while ((i = marc_record_find(r, "005", 0)) >= 0)
        marc_record_delete_field(r, (size_t)i);
    for (i = marc_record_find(r, "035", 0); orig035 && i >= 0;
         i = marc_record_find(r, "035", (size_t)i + 1)) {
        size_t len;
        const char *a = marc_field_value(marc_record_field(r, (size_t)i), 'a', &len);
        if (a && len == strlen(orig035) && memcmp(a, orig035, len) == 0) {
            marc_record_delete_field(r, (size_t)i);
            break;
        }
    }
}

static void
export_file(struct core_repo *repo, const char *const *ids, size_t n, const char *path,
            enum marc_format fmt, enum marc_charset_choice cs, bool holdings)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    struct core_export_opts eo = {.write = {.format = fmt, .charset = cs},
                                  .with_holdings = holdings};
    long written;
    int rc = core_export_ids(repo, ids, n, fp, &eo, &written);
    if (rc)
        fail_msg("export: %s", core_repo_errmsg(repo));
    assert_int_equal(written, (long)n);
    fclose(fp);
}

static void
test_export_round_trip(void **state)
{
    struct core_repo *repo = as("admin");
    struct core_import_report rep;
    struct test_diags t = {0};
    assert_int_equal(import(repo, test_data("records.mrk"), false, &rep, &t), 0);
    size_t n;
    struct marc_record **orig = read_all(test_data("records.mrk"), &n);
    assert_int_equal(n, 3);
    const char *ids[3], *old035[3] = {"(XXc)col0000001", "col0000002", "col0000003"};
    char idbuf[3][CORE_MMS_MAX];
    for (size_t i = 0; i < n; i++) {
        snprintf(idbuf[i], sizeof idbuf[i], "%s", mms_of(value(orig[i], "001", 0)));
        ids[i] = idbuf[i];
    }
    const enum marc_format fmts[] = {MARC_FMT_ISO2709, MARC_FMT_MARCXML, MARC_FMT_MRK,
                                     MARC_FMT_JSON};
    for (size_t k = 0; k < 4; k++) {
        const char *out = tmpfile_path("export.out");
        export_file(repo, ids, n, out, fmts[k], MARC_CS_KEEP, false);
        size_t m;
        struct marc_record **back = read_all(out, &m);
        assert_int_equal(m, n);
        for (size_t i = 0; i < n; i++) {
            assert_string_equal(value(back[i], "001", 0), ids[i]);
            struct marc_record *a = marc_record_clone(orig[i]);
            strip_added(a, NULL);
            strip_added(back[i], old035[i]);
            if (!marc_record_equal(a, back[i]))
                fail_msg("format %s, record %zu differs after import and export",
                         marc_format_name(fmts[k]), i + 1);
            marc_record_free(a);
        }
        free_all(back, m);
    }
    free_all(orig, n);
    /* No such record: an error naming it. */
    const char *missing[] = {ids[0], "991999999991234"};
    FILE *fp = fopen(tmpfile_path("x.mrc"), "wb");
    struct core_export_opts eo = {.write = {.format = MARC_FMT_ISO2709}};
    long written;
    assert_int_equal(core_export_ids(repo, missing, 2, fp, &eo, &written), CORE_ERR_NOTFOUND);
    assert_non_null(strstr(core_repo_errmsg(repo), "991999999991234"));
    /* A combination that cannot be written. */
    eo.write.format = MARC_FMT_MARCXML;
    eo.write.charset = MARC_CS_MARC8;
    assert_int_equal(core_export_ids(repo, ids, 1, fp, &eo, &written), CORE_ERR_USER);
    fclose(fp);
    core_repo_close(repo);
}

/* LoC's MARC-8 records out in MARC-8 again read back as they came in. */
static void
test_export_marc8(void **state)
{
    const char *f = loc_file("marc21/sample-marc.gz", "loc.mrc");
    struct core_repo *repo = as("admin");
    struct core_import_report rep;
    struct test_diags t = {0};
    assert_int_equal(import(repo, f, false, &rep, &t), 0);
    size_t n;
    struct marc_record **orig = read_all(f, &n);
    assert_int_equal(n, 24);
    /* Bibs are created in file order. */
    char(*idbuf)[CORE_MMS_MAX] = calloc(n, sizeof *idbuf);
    const char **ids = calloc(n, sizeof *ids);
    for (size_t i = 0; i < n; i++) {
        snprintf(idbuf[i], sizeof idbuf[i], "99%09lld1234", 100000001LL + (long long)i);
        ids[i] = idbuf[i];
    }
    const char *out = tmpfile_path("loc-out.mrc");
    export_file(repo, ids, n, out, MARC_FMT_ISO2709, MARC_CS_MARC8, false);
    size_t m;
    struct marc_record **back = read_all(out, &m);
    assert_int_equal(m, n);
    /* Records 1-23: the same as read from the file, but for 001, 005 and the
     * 035 the import added (the last one).  Record 24 (00X fields with
     * subfields) has no original 001 and gets a second 001: not compared. */
    for (size_t i = 0; i + 1 < n; i++) {
        struct marc_record *a = marc_record_clone(orig[i]);
        strip_added(a, NULL);
        long last = -1;
        for (long j = marc_record_find(back[i], "035", 0); j >= 0;
             j = marc_record_find(back[i], "035", (size_t)j + 1))
            last = j;
        assert_true(last >= 0);
        marc_record_delete_field(back[i], (size_t)last);
        strip_added(back[i], NULL);
        if (!marc_record_equal(a, back[i]))
            fail_msg("record %zu differs after a MARC-8 round trip", i + 1);
        marc_record_free(a);
    }
    size_t len;
    char *raw = test_read_file(out, &len);
    assert_true(len > 24);
    assert_int_equal(raw[9], ' '); /* written in MARC-8 */
    free(raw);
    free_all(back, m);
    free_all(orig, n);
    free(ids);
    free(idbuf);
    core_repo_close(repo);
}

static const struct marc_field *
nth(const struct marc_record *r, const char *tag, int k)
{
    long i = -1;
    for (int j = 0; j <= k; j++) {
        i = marc_record_find(r, tag, (size_t)(i + 1));
        if (i < 0)
            return NULL;
    }
    return marc_record_field(r, (size_t)i);
}

static const char *
sub(const struct marc_field *f, char code)
{
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    size_t len;
    const char *v = f ? marc_field_value(f, code, &len) : NULL;
    if (!v)
        return NULL;
    snprintf(buf[k], sizeof buf[k], "%.*s", (int)len, v);
    return buf[k];
}

static void
test_export_with_holdings(void **state)
{
    struct core_repo *repo = as("admin");
    struct core_import_report rep;
    struct test_diags t = {0};
    assert_int_equal(import(repo, test_data("holdings/library.mrk"), false, &rep, &t), 0);
    const char *ids[2];
    char a[CORE_MMS_MAX], b[CORE_MMS_MAX];
    snprintf(a, sizeof a, "%s", mms_of("hb0000001"));
    snprintf(b, sizeof b, "%s", mms_of("hb0000002"));
    ids[0] = a;
    ids[1] = b;
    const char *out = tmpfile_path("with-holdings.xml");
    export_file(repo, ids, 2, out, MARC_FMT_MARCXML, MARC_CS_KEEP, true);
    size_t n;
    struct marc_record **v = read_all(out, &n);
    assert_int_equal(n, 2);
    /* The book: one holdings record, three items, linked by $8. */
    const struct marc_field *f = nth(v[0], "852", 0);
    assert_non_null(f);
    assert_string_equal(sub(f, '8'), "1");
    assert_string_equal(sub(f, 'b'), "MAIN");
    assert_string_equal(sub(f, 'h'), "QA76.73.C15");
    f = nth(v[0], "866", 0);
    assert_string_equal(sub(f, 'a'), "v.1-3");
    assert_string_equal(sub(f, '8'), "1"); /* ours first, the MFHD's own $8 0 after */
    f = nth(v[0], "876", 1);
    assert_string_equal(sub(f, '8'), "1.2");
    assert_string_equal(sub(f, 'p'), "39000002");
    assert_string_equal(sub(f, '3'), "v.2");
    assert_string_equal(sub(f, 'j'), "missing");
    assert_int_equal(core_mms_parse(sub(f, 'a'), NULL, NULL), CORE_MMS_ITEM);
    assert_null(nth(v[0], "876", 3));
    /* The serial: two holdings records, their items under 2.x and 1.x. */
    assert_string_equal(sub(nth(v[1], "852", 0), '8'), "1");
    assert_string_equal(sub(nth(v[1], "852", 1), '8'), "2");
    assert_string_equal(sub(nth(v[1], "852", 0), 'b'), "BRANCH");
    assert_string_equal(sub(nth(v[1], "876", 0), '8'), "1.1");
    assert_string_equal(sub(nth(v[1], "876", 0), 'j'), "withdrawn");
    assert_string_equal(sub(nth(v[1], "876", 1), '8'), "1.2");
    assert_null(nth(v[1], "876", 2));
    /* Without --with-holdings the bib is as stored. */
    export_file(repo, ids, 1, out, MARC_FMT_MARCXML, MARC_CS_KEEP, false);
    free_all(v, n);
    v = read_all(out, &n);
    assert_null(nth(v[0], "852", 0));
    assert_null(nth(v[0], "876", 0));
    free_all(v, n);
    core_repo_close(repo);
}

static void
test_export_query(void **state)
{
    struct core_repo *repo = as("admin");
    struct core_import_report rep;
    struct test_diags t = {0};
    const char *f = loc_file("marc21/sample-marc.gz", "loc.mrc");
    assert_int_equal(import(repo, f, false, &rep, &t), 0);
    const char *out = tmpfile_path("query.mrk");
    FILE *fp = fopen(out, "wb");
    struct core_export_opts eo = {.write = {.format = MARC_FMT_MRK}};
    struct core_search_opts so = {.zone = CORE_ZONE_IZ};
    long written = -1;
    assert_int_equal(core_export_query(repo, "computer", &so, fp, &eo, &written), 0);
    fclose(fp);
    struct core_results res;
    so.limit = 1000;
    assert_int_equal(core_search(repo, "computer", &so, &res), 0);
    assert_true(res.n > 1);
    assert_int_equal(written, (long)res.n);
    core_results_free(&res);
    size_t n;
    struct marc_record **v = read_all(out, &n);
    assert_int_equal(n, (size_t)written);
    free_all(v, n);
    fp = fopen(out, "wb");
    assert_int_equal(core_export_query(repo, "title=(", &so, fp, &eo, &written), CORE_ERR_USER);
    fclose(fp);
    core_repo_close(repo);
}

static void
test_nz_zone(void **state)
{
    struct core_repo *repo = as("admin");
    struct core_import_report rep;
    struct test_diags t = {0};
    struct core_import_opts o = {.zone = CORE_ZONE_NZ, .diag = test_diags_collect, .diag_ctx = &t};
    assert_int_equal(core_import_file(repo, test_data("records.mrk"), &o, &rep), 0);
    assert_int_equal(rep.bibs, 3);
    assert_int_equal(q("SELECT count(*) FROM bib"), 0);
    struct core_search_opts so = {.zone = CORE_ZONE_NZ};
    struct core_results res;
    assert_int_equal(core_search(repo, "title=misérables", &so, &res), 0);
    assert_int_equal(res.n, 1);
    assert_string_equal(res.hits[0].mms + strlen(res.hits[0].mms) - 4, "4801");
    core_results_free(&res);
    /* The same file into the IZ is another import. */
    assert_int_equal(import(repo, test_data("records.mrk"), false, &rep, &t), 0);
    assert_int_equal(rep.bibs, 3);
    o.zone = CORE_ZONE_CZ;
    assert_int_equal(core_import_file(repo, test_data("records.mrk"), &o, &rep), CORE_ERR_USER);
    core_repo_close(repo);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_loc_marc8_iso2709),
        T(test_loc_marcxml_and_own_records),
        T(test_other_kinds_strict_and_permissive),
        T(test_bad_charset_strict_and_permissive),
        T(test_holdings_and_items),
        T(test_holdings_without_bib),
        T(test_barcodes_unique),
        T(test_004_by_mms_id),
        T(test_004_names_several_bibs),
        T(test_roles),
        T(test_resume_after_kill),
        T(test_resume_in_holdings_pass),
        T(test_export_round_trip),
        T(test_export_marc8),
        T(test_export_with_holdings),
        T(test_export_query),
        T(test_nz_zone),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
