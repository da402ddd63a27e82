/*
 * core-fixture.c - the shared fixture of the core workflow tests (see
 * core-fixture.h).  Test code only: it fails through cmocka.
 */
#include "core-fixture.h"

#include "testutil.h"

#include "reader.h"
#include "record.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char cf_dir[128];

struct loaded {
    char orig[64];
    char mms[CORE_MMS_MAX];
};
static struct loaded loaded[64];
static size_t nloaded;

void
cf_make_repo(const char *name)
{
    char tmpl[96];
    snprintf(tmpl, sizeof tmpl, "/tmp/colophon-test-%s-XXXXXX", name);
    assert_non_null(mkdtemp(tmpl));
    snprintf(cf_dir, sizeof cf_dir, "%s/repo", tmpl);
    char *cause = NULL;
    if (core_repo_init(cf_dir, "1234", NULL, "admin", &cause) != CORE_OK)
        fail_msg("init: %s", cause);
}

int
cf_remove(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %.*s", (int)(strrchr(cf_dir, '/') - cf_dir), cf_dir);
    return system(cmd) == 0 ? 0 : -1;
}

struct core_repo *
cf_as(const char *user)
{
    char *cause = NULL;
    struct core_repo *r = core_repo_open(cf_dir, user, &cause);
    if (!r)
        fail_msg("open as %s: %s", user, cause);
    return r;
}

const char *
cf_bib(const char *orig)
{
    for (size_t i = 0; i < nloaded; i++)
        if (strcmp(loaded[i].orig, orig) == 0)
            return loaded[i].mms;
    fail_msg("no LoC record with 001 %s", orig);
    return NULL;
}

/* The record's 001 without the blanks LoC pads it with. */
static void
original_001(const struct marc_record *r, char *out, size_t size)
{
    size_t len;
    const char *v = marc_record_value(r, "001", 0, &len);
    while (v && len && v[len - 1] == ' ')
        len--;
    while (v && len && *v == ' ')
        v++, len--;
    snprintf(out, size, "%.*s", v ? (int)len : 0, v ? v : "");
}

void
cf_load_loc(struct core_repo *repo)
{
    char path[256], cmd[512];
    snprintf(path, sizeof path, "%s/../loc.mrc", cf_dir);
    snprintf(cmd, sizeof cmd, "gzip -dc %s/marc21/sample-marc.gz > %s", LOC_EXAMPLES_DIR, path);
    assert_int_equal(system(cmd), 0);
    struct marc_read_opts ro = {.permissive = true};
    char *cause = NULL;
    struct marc_reader *rd = marc_reader_open(path, &ro, &cause);
    if (!rd)
        fail_msg("cannot read %s: %s", path, cause);
    struct marc_record *r = marc_record_new();
    nloaded = 0;
    while (marc_reader_next(rd, r) == 1) {
        assert_true(nloaded < sizeof loaded / sizeof *loaded);
        struct loaded *l = &loaded[nloaded++];
        original_001(r, l->orig, sizeof l->orig);
        if (core_bib_create(repo, CORE_ZONE_IZ, r, "import", true, NULL, NULL, l->mms) != CORE_OK)
            fail_msg("LoC record %zu: %s", nloaded, core_repo_errmsg(repo));
    }
    marc_record_free(r);
    marc_reader_close(rd);
    assert_int_equal(nloaded, 24);
}

static sqlite3 *
open_iz(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/iz.db", cf_dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    return db;
}

void
cf_sql(const char *text)
{
    sqlite3 *db = open_iz();
    char *err = NULL;
    if (sqlite3_exec(db, text, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", text, err);
    sqlite3_close(db);
}

long
cf_sql_int(const char *text)
{
    sqlite3 *db = open_iz();
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, text, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", text, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}
