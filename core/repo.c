/*
 * repo.c - opening and creating repositories, the SQLite plumbing the other
 * repository files share, users and roles, configuration (see repo.h).
 */
#include "repo-int.h"

#include "match.h"
#include "nzremote.h"
#include "schema.h"

#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 10000
#define NZ_DEFAULT_CODE "4801"
#define CZ_DEFAULT_CODE "4802"

/* ---- small shared pieces ---- */

const char *
core_zone_name(enum core_zone z)
{
    static const char *names[] = {"IZ", "NZ", "CZ"};
    return (unsigned)z < CORE_NZONES ? names[z] : "?";
}

int
core_zone_parse(const char *s)
{
    for (int z = 0; z < CORE_NZONES; z++)
        if (s && strcasecmp(s, core_zone_name((enum core_zone)z)) == 0)
            return z;
    return -1;
}

static const struct {
    enum core_role role;
    const char *name;
} role_names[] = {
    {CORE_ROLE_CATALOGER, "cataloger"},
    {CORE_ROLE_CATALOGER_EXTENDED, "cataloger-extended"},
    {CORE_ROLE_INVENTORY, "inventory"},
    {CORE_ROLE_ADMIN, "admin"},
};

const char *
core_role_name(enum core_role role)
{
    for (size_t i = 0; i < sizeof role_names / sizeof *role_names; i++)
        if (role_names[i].role == role)
            return role_names[i].name;
    return "?";
}

enum core_role
core_role_parse(const char *name)
{
    for (size_t i = 0; i < sizeof role_names / sizeof *role_names; i++)
        if (name && strcasecmp(role_names[i].name, name) == 0)
            return role_names[i].role;
    return 0;
}

time_t
core_now(void)
{
    return time(NULL);
}

void
core_format_time(time_t t, char *out, size_t size)
{
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, size, "%Y-%m-%d %H:%M", &tm);
}

const char *
repo_schema(enum core_zone zone)
{
    static const char *names[] = {"main", "nz", "cz"};
    return names[zone];
}

int
repo_fail(struct core_repo *repo, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(repo->errmsg, sizeof repo->errmsg, fmt, ap);
    va_end(ap);
    return code;
}

int
repo_db_fail(struct core_repo *repo, const char *what)
{
    int rc = sqlite3_errcode(repo->db);
    const char *msg = sqlite3_errmsg(repo->db);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return repo_fail(repo, CORE_ERR_CONFLICT,
                         "%s: the repository is busy (another process has held it for over %d s)",
                         what, BUSY_TIMEOUT_MS / 1000);
    if (rc == SQLITE_FULL)
        return repo_fail(repo, CORE_ERR_IO, "%s: the disk is full", what);
    return repo_fail(repo, CORE_ERR_DB, "%s: %s", what, msg);
}

/* Replace each "{Z}." in sql with "<schema>." into a heap string. */
static char *
expand_zone(const char *sql, enum core_zone zone)
{
    struct marc_buf b = MARC_BUF_INIT;
    const char *schema = repo_schema(zone);
    for (const char *p = sql; *p;) {
        const char *z = strstr(p, "{Z}.");
        if (!z) {
            marc_buf_puts(&b, p);
            break;
        }
        marc_buf_append(&b, p, (size_t)(z - p));
        marc_buf_puts(&b, schema);
        marc_buf_putc(&b, '.');
        p = z + 4;
    }
    return marc_buf_steal(&b);
}

/* FNV-1a of the SQL as written (before zone expansion) plus the zone. */
static uint64_t
stmt_hash(const char *sql, enum core_zone zone)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)zone;
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

/* Open-addressing table of cache slots by hash; grows at half full. */
static void
index_insert(struct core_repo *repo, uint64_t h, size_t slot)
{
    size_t mask = repo->nindex - 1;
    size_t i = (size_t)h & mask;
    while (repo->index[i] != 0)
        i = (i + 1) & mask;
    repo->index[i] = slot + 1;
}

static void
index_grow(struct core_repo *repo)
{
    free(repo->index);
    repo->nindex = repo->nindex ? repo->nindex * 2 : 256;
    repo->index = xcalloc(repo->nindex, sizeof *repo->index);
    for (size_t k = 0; k < repo->ncache; k++)
        index_insert(repo, repo->cache[k].hash, k);
}

sqlite3_stmt *
repo_stmt(struct core_repo *repo, enum core_zone zone, const char *sql)
{
    uint64_t h = stmt_hash(sql, zone);
    if (repo->nindex) {
        size_t mask = repo->nindex - 1;
        for (size_t i = (size_t)h & mask; repo->index[i] != 0; i = (i + 1) & mask) {
            struct repo_stmt *c = &repo->cache[repo->index[i] - 1];
            if (c->hash == h && c->zone == zone && strcmp(c->raw, sql) == 0) {
                sqlite3_reset(c->stmt);
                sqlite3_clear_bindings(c->stmt);
                return c->stmt;
            }
        }
    }
    char *text = expand_zone(sql, zone);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(repo->db, text, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        repo_db_fail(repo, "preparing a query");
        free(text);
        return NULL;
    }
    free(text);
    /* Never evicted: the program has a fixed set of statements, and a caller
     * may hold one across other calls. */
    if (repo->ncache == repo->capcache) {
        repo->capcache = repo->capcache ? repo->capcache * 2 : 64;
        repo->cache = xrealloc(repo->cache, repo->capcache * sizeof *repo->cache);
    }
    struct repo_stmt *c = &repo->cache[repo->ncache];
    c->raw = xstrdup(sql);
    c->zone = zone;
    c->hash = h;
    c->stmt = st;
    repo->ncache++;
    if (repo->ncache * 2 > repo->nindex)
        index_grow(repo);
    else
        index_insert(repo, h, repo->ncache - 1);
    return st;
}

int
repo_exec(struct core_repo *repo, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(repo->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        int rc = repo_db_fail(repo, "running SQL");
        sqlite3_free(err);
        return rc;
    }
    return CORE_OK;
}

int
repo_begin(struct core_repo *repo)
{
    if (repo->tx_depth++ > 0)
        return CORE_OK;
    int rc = repo_exec(repo, "BEGIN IMMEDIATE");
    if (rc != CORE_OK)
        repo->tx_depth = 0;
    return rc;
}

int
repo_commit(struct core_repo *repo)
{
    if (repo->tx_depth == 0 || --repo->tx_depth > 0)
        return CORE_OK;
    int rc = repo_exec(repo, "COMMIT");
    if (rc != CORE_OK)
        repo_exec(repo, "ROLLBACK");
    return rc;
}

void
repo_rollback(struct core_repo *repo)
{
    if (repo->tx_depth == 0)
        return;
    repo->tx_depth = 0;
    char saved[sizeof repo->errmsg];
    memcpy(saved, repo->errmsg, sizeof saved); /* keep the message that caused it */
    if (!sqlite3_get_autocommit(repo->db))
        repo_exec(repo, "ROLLBACK");
    memcpy(repo->errmsg, saved, sizeof saved);
}

int
repo_next_mms(struct core_repo *repo, enum core_zone zone, enum core_mms_type type, char *out)
{
    sqlite3_stmt *st =
        repo_stmt(repo, zone, "UPDATE {Z}.counter SET next = next + 1 WHERE type = ?1 "
                              "RETURNING next - 1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int(st, 1, (int)type);
    if (sqlite3_step(st) != SQLITE_ROW)
        return repo_db_fail(repo, "allocating an MMS ID");
    long long seq = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    core_mms_format(type, seq, repo->zone_code[zone], out);
    return CORE_OK;
}

/* ---- opening ---- */

char *
core_repo_default_dir(void)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && *xdg == '/')
        return xasprintf("%s/colophon", xdg);
    const char *home = getenv("HOME");
    if (!home || !*home) {
        struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : "/tmp";
    }
    return xasprintf("%s/.local/share/colophon", home);
}

static char *
login_name(void)
{
    struct passwd *pw = getpwuid(geteuid());
    if (pw && pw->pw_name)
        return xstrdup(pw->pw_name);
    return xasprintf("uid%ld", (long)geteuid());
}

/* Pragmas every zone file gets; WAL and the busy timeout (SPEC §8). */
static int
configure(struct core_repo *repo, const char *schema)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "PRAGMA %s.journal_mode=WAL; PRAGMA %s.synchronous=FULL; "
             "PRAGMA %s.cache_size=-16000;",
             schema, schema, schema);
    return repo_exec(repo, sql);
}

static int
meta_get(struct core_repo *repo, enum core_zone zone, const char *key, char *out, size_t size)
{
    sqlite3_stmt *st = repo_stmt(repo, zone, "SELECT value FROM {Z}.meta WHERE key = ?1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(out, size, "%s", repo_col_text(st, 0));
        sqlite3_reset(st);
        return CORE_OK;
    }
    sqlite3_reset(st);
    out[0] = '\0';
    return rc == SQLITE_DONE ? CORE_ERR_NOTFOUND : repo_db_fail(repo, "reading meta");
}

static int
meta_set(struct core_repo *repo, enum core_zone zone, const char *key, const char *value)
{
    sqlite3_stmt *st =
        repo_stmt(repo, zone, "INSERT OR REPLACE INTO {Z}.meta (key, value) VALUES (?1, ?2)");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "writing meta");
    sqlite3_reset(st);
    return rc;
}

/* Bring a zone file to the current schema; a new file gets everything. */
static int
migrate(struct core_repo *repo, enum core_zone zone)
{
    char v[32];
    int have = 0;
    sqlite3_stmt *st = repo_stmt(repo, zone,
                                 "SELECT count(*) FROM {Z}.sqlite_master WHERE name = 'meta'");
    if (!st)
        return CORE_ERR_DB;
    bool fresh = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0;
    sqlite3_reset(st);
    if (!fresh && meta_get(repo, zone, "schema_version", v, sizeof v) == CORE_OK)
        have = atoi(v);
    if (have > schema_nmigrations)
        return repo_fail(repo, CORE_ERR_USER,
                         "the %s file was written by a newer Colophon (schema %d; this one knows "
                         "up to %d)",
                         core_zone_name(zone), have, schema_nmigrations);
    if (have == schema_nmigrations)
        return CORE_OK;
    int rc = repo_begin(repo);
    for (int k = have; rc == CORE_OK && k < schema_nmigrations; k++) {
        char *sql = expand_zone(schema_migrations[k], zone);
        rc = repo_exec(repo, sql);
        free(sql);
    }
    if (rc == CORE_OK) {
        snprintf(v, sizeof v, "%d", schema_nmigrations);
        rc = meta_set(repo, zone, "schema_version", v);
    }
    if (rc == CORE_OK)
        return repo_commit(repo);
    repo_rollback(repo);
    return rc;
}

/* Files are for the catalogers' group: rw for owner and group, nothing for others. */
static void
share_with_group(const char *path)
{
    chmod(path, 0660);
}

static int
attach(struct core_repo *repo, enum core_zone zone, const char *path)
{
    sqlite3_stmt *st;
    char sql[64];
    snprintf(sql, sizeof sql, "ATTACH DATABASE ?1 AS %s", repo_schema(zone));
    if (sqlite3_prepare_v2(repo->db, sql, -1, &st, NULL) != SQLITE_OK)
        return repo_db_fail(repo, "attaching a zone");
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return repo_db_fail(repo, "attaching a zone");
    repo->has_zone[zone] = true;
    return configure(repo, repo_schema(zone));
}

/* Read a zone's kind and code; checks that the file is what it claims. */
static int
load_zone(struct core_repo *repo, enum core_zone zone, const char *path)
{
    char kind[8];
    if (meta_get(repo, zone, "zone_kind", kind, sizeof kind) != CORE_OK ||
        meta_get(repo, zone, "zone_code", repo->zone_code[zone], sizeof repo->zone_code[zone]) !=
            CORE_OK)
        return repo_fail(repo, CORE_ERR_USER, "%s is not a Colophon zone file", path);
    if (strcmp(kind, core_zone_name(zone)) != 0)
        return repo_fail(repo, CORE_ERR_USER, "%s holds the %s, not the %s", path, kind,
                         core_zone_name(zone));
    return CORE_OK;
}

#ifndef NDEBUG
/*
 * The crash-injection hook of tests/stress/crash.sh (docs/RELIABILITY.md):
 * with COLOPHON_CRASH_AT=N in the environment, the process sends itself
 * SIGKILL once SQLite has run about N virtual-machine instructions on the
 * repository connection -- a `kill -9` at a chosen point inside a statement
 * or transaction, so that crash tests can aim at every step of an operation
 * instead of hoping a timer lands inside a short transaction.  Unset
 * (always, outside tests) it installs nothing and costs nothing; builds
 * with NDEBUG (-Db_ndebug=true) leave it out altogether.
 */

static long crash_left, crash_count;

static int
crash_tick(void *arg)
{
    (void)arg;
    crash_count++;
    if (crash_left > 0 && --crash_left == 0)
        raise(SIGKILL);
    return 0;
}

/* COLOPHON_CRASH_COUNT=FILE: write the number of instructions run to FILE
 * at exit, so a test learns an operation's length from an uninterrupted run. */
static void
crash_count_write(void)
{
    FILE *f = fopen(getenv("COLOPHON_CRASH_COUNT"), "w");
    if (f) {
        fprintf(f, "%ld\n", crash_count);
        fclose(f);
    }
}

static bool
crash_hook_active(void)
{
    const char *count = getenv("COLOPHON_CRASH_COUNT");
    return crash_left > 0 || (count && *count);
}

static void
crash_hook_install(sqlite3 *db)
{
    const char *at = getenv("COLOPHON_CRASH_AT");
    const char *count = getenv("COLOPHON_CRASH_COUNT");
    crash_left = at ? strtol(at, NULL, 10) : 0;
    if (count && *count)
        atexit(crash_count_write);
    else if (crash_left <= 0)
        return;
    sqlite3_progress_handler(db, 1, crash_tick, NULL);
}

void
repo_crash_point(const char *name)
{
    const char *at = getenv("COLOPHON_CRASH_POINT");
    if (at && strcmp(at, name) == 0)
        raise(SIGKILL);
}
#else
static bool
crash_hook_active(void)
{
    return false;
}

static void
crash_hook_install(sqlite3 *db)
{
    (void)db;
}

void
repo_crash_point(const char *name)
{
    (void)name;
}
#endif

/* Virtual-machine steps between two questions to the stop callback: a
 * few hundred microseconds of SQLite's work against one poll(2) or so. */
#define STOP_PERIOD 4000

static int
stop_tick(void *arg)
{
    struct core_repo *repo = arg;
    if (repo->stop && repo->stop(repo->stop_ctx)) {
        repo->stopped = true;
        return 1;
    }
    return 0;
}

void
repo_set_stop(struct core_repo *repo, bool (*fn)(void *ctx), void *ctx)
{
    if (crash_hook_active())
        return;
    repo->stop = fn;
    repo->stop_ctx = ctx;
    repo->stopped = false;
    sqlite3_progress_handler(repo->db, fn ? STOP_PERIOD : 0, fn ? stop_tick : NULL, repo);
}

static char *
zone_path(const char *dir, const char *stored)
{
    return stored[0] == '/' ? xstrdup(stored) : xasprintf("%s/%s", dir, stored);
}

static struct core_repo *
open_db(const char *dir, char **cause, bool create)
{
    struct core_repo *repo = xcalloc(1, sizeof *repo);
    repo->dir = xstrdup(dir);
    repo->scratch = marc_record_new();
    char *path = xasprintf("%s/iz.db", dir);
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &repo->db, flags, NULL) != SQLITE_OK) {
        if (cause)
            *cause = create ? xasprintf("cannot create %s: %s", path, sqlite3_errmsg(repo->db))
                            : xasprintf("no Colophon repository in %s (run 'colophon init')", dir);
        sqlite3_close(repo->db);
        free(path);
        free(repo->dir);
        free(repo);
        return NULL;
    }
    if (create)
        share_with_group(path);
    free(path);
    crash_hook_install(repo->db);
    sqlite3_busy_timeout(repo->db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(repo->db, 0);
    repo->has_zone[CORE_ZONE_IZ] = true;
    if (configure(repo, "main") != CORE_OK || repo_exec(repo, "PRAGMA foreign_keys=ON") != CORE_OK) {
        if (cause)
            *cause = xstrdup(repo->errmsg);
        core_repo_close(repo);
        return NULL;
    }
    return repo;
}

struct core_repo *
core_repo_open(const char *dir, const char *user, char **cause)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if (cause)
            *cause = xasprintf("no Colophon repository in %s (run 'colophon init')", dir);
        return NULL;
    }
    char *login = login_name();
    if (user && strcmp(user, login) != 0 && st.st_uid != geteuid()) {
        if (cause)
            *cause = xasprintf("--user is honoured only for the account that owns %s; you are %s",
                               dir, login);
        free(login);
        return NULL;
    }
    struct core_repo *repo = open_db(dir, cause, false);
    if (!repo) {
        free(login);
        return NULL;
    }
    repo->user = user ? xstrdup(user) : xstrdup(login);
    free(login);
    int rc = migrate(repo, CORE_ZONE_IZ);
    if (rc == CORE_OK)
        rc = load_zone(repo, CORE_ZONE_IZ, "iz.db");
    static const char *keys[] = {NULL, "nz_path", "cz_path"};
    for (int z = CORE_ZONE_NZ; rc == CORE_OK && z < CORE_NZONES; z++) {
        char stored[PATH_MAX];
        if (meta_get(repo, CORE_ZONE_IZ, keys[z], stored, sizeof stored) != CORE_OK || !*stored)
            continue;
        char *p = zone_path(dir, stored);
        rc = attach(repo, (enum core_zone)z, p);
        if (rc == CORE_OK)
            rc = migrate(repo, (enum core_zone)z);
        if (rc == CORE_OK)
            rc = load_zone(repo, (enum core_zone)z, p);
        free(p);
    }
    char remote[8];
    if (rc == CORE_OK && meta_get(repo, CORE_ZONE_IZ, "nz_remote", remote, sizeof remote) == CORE_OK)
        repo->nz_remote = strcmp(remote, "1") == 0; /* "nz" is a server's copy (nzremote.h) */
    /* A linked save a crash interrupted is finished or dropped (link.h).
     * Should this fail (the files busy), it is tried again before the
     * record is opened for editing or saved. */
    if (rc == CORE_OK)
        repo_link_recover(repo, NULL);
    if (rc != CORE_OK) {
        if (cause)
            *cause = xstrdup(repo->errmsg);
        core_repo_close(repo);
        return NULL;
    }
    return repo;
}

void
core_repo_close(struct core_repo *repo)
{
    if (!repo)
        return;
    for (size_t i = 0; i < repo->ncache; i++) {
        sqlite3_finalize(repo->cache[i].stmt);
        free(repo->cache[i].raw);
    }
    free(repo->cache);
    free(repo->index);
    core_bib_keys_free(&repo->keys);
    marc_buf_free(&repo->blob);
    marc_record_free(repo->scratch);
    sqlite3_close(repo->db);
    free(repo->dir);
    free(repo->user);
    free(repo);
}

/* Create a zone file at path with its kind and code. */
static int
create_zone_file(const char *path, enum core_zone zone, const char *code, char **cause)
{
    struct core_repo *z = xcalloc(1, sizeof *z);
    z->user = xstrdup("system");
    if (sqlite3_open_v2(path, &z->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        if (cause)
            *cause = xasprintf("cannot create %s: %s", path, sqlite3_errmsg(z->db));
        core_repo_close(z);
        return CORE_ERR_IO;
    }
    share_with_group(path);
    sqlite3_busy_timeout(z->db, BUSY_TIMEOUT_MS);
    z->has_zone[CORE_ZONE_IZ] = true;
    int rc = configure(z, "main");
    if (rc == CORE_OK)
        rc = migrate(z, CORE_ZONE_IZ);
    if (rc == CORE_OK)
        rc = meta_set(z, CORE_ZONE_IZ, "zone_kind", core_zone_name(zone));
    if (rc == CORE_OK)
        rc = meta_set(z, CORE_ZONE_IZ, "zone_code", code);
    if (rc != CORE_OK && cause)
        *cause = xasprintf("creating %s: %s", path, z->errmsg);
    core_repo_close(z);
    return rc;
}

static int config_put(struct core_repo *repo, const char *key, const char *value);

/*
 * core_repo_init and core_repo_init_remote: the IZ file, the NZ file (a new
 * nz.db, a shared one at nz_path, or with remote the copy of a server's NZ
 * with code nz_code and the configuration nz.target = remote), the first user.
 */
static int
init_repo(const char *dir, const char *institution, const char *nz_path, const char *remote,
          const char *nz_code, const char *user, char **cause)
{
    if (!core_zone_code_valid(institution)) {
        if (cause)
            *cause = xasprintf("the institution code must be four digits, not '%s'",
                               institution ? institution : "");
        return CORE_ERR_USER;
    }
    if (strcmp(institution, NZ_DEFAULT_CODE) == 0) {
        if (cause)
            *cause = xasprintf("%s is the network zone's code; choose another institution code",
                               NZ_DEFAULT_CODE);
        return CORE_ERR_USER;
    }
    if (mkdir(dir, 02770) != 0 && errno != EEXIST) {
        if (cause)
            *cause = xasprintf("cannot create %s: %s", dir, strerror(errno));
        return CORE_ERR_IO;
    }
    chmod(dir, 02770); /* group-writable, setgid: files keep the catalogers' group */
    char *izpath = xasprintf("%s/iz.db", dir);
    if (access(izpath, F_OK) == 0) {
        if (cause)
            *cause = xasprintf("%s already holds a Colophon repository", dir);
        free(izpath);
        return CORE_ERR_USER;
    }
    int rc = create_zone_file(izpath, CORE_ZONE_IZ, institution, cause);
    free(izpath);
    if (rc != CORE_OK)
        return rc;
    char *nz_stored;
    if (remote) {
        char *p = xasprintf("%s/%s", dir, CORE_NZ_CACHE_FILE);
        rc = create_zone_file(p, CORE_ZONE_NZ, nz_code, cause);
        free(p);
        if (rc != CORE_OK)
            return rc;
        nz_stored = xstrdup(CORE_NZ_CACHE_FILE);
    } else if (nz_path) {
        char real[PATH_MAX];
        if (!realpath(nz_path, real)) {
            if (cause)
                *cause = xasprintf("cannot find the network zone file %s: %s", nz_path,
                                   strerror(errno));
            return CORE_ERR_USER;
        }
        nz_stored = xstrdup(real);
    } else {
        char *p = xasprintf("%s/nz.db", dir);
        rc = create_zone_file(p, CORE_ZONE_NZ, NZ_DEFAULT_CODE, cause);
        free(p);
        if (rc != CORE_OK)
            return rc;
        nz_stored = xstrdup("nz.db");
    }
    struct core_repo *repo = open_db(dir, cause, false);
    if (!repo) {
        free(nz_stored);
        return CORE_ERR_DB;
    }
    /* Without a name the first user is whoever runs this (SPEC §6: the login name). */
    repo->user = user ? xstrdup(user) : login_name();
    rc = meta_set(repo, CORE_ZONE_IZ, "nz_path", nz_stored);
    free(nz_stored);
    if (rc == CORE_OK && remote)
        rc = meta_set(repo, CORE_ZONE_IZ, "nz_remote", "1");
    if (rc == CORE_OK && remote)
        rc = config_put(repo, "nz.target", remote);
    if (rc == CORE_OK) {
        /* The first user administers the repository and may do everything. */
        sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                     "INSERT INTO {Z}.user (name, roles, created_at, created_by) "
                                     "VALUES (?1, ?2, ?3, ?1)");
        if (!st) {
            rc = CORE_ERR_DB;
        } else {
            repo_bind_text(st, 1, repo->user);
            sqlite3_bind_int(st, 2, CORE_ROLE_ALL);
            sqlite3_bind_int64(st, 3, (sqlite3_int64)core_now());
            rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "adding the user");
            sqlite3_reset(st);
        }
    }
    if (rc != CORE_OK && cause)
        *cause = xstrdup(repo->errmsg);
    core_repo_close(repo);
    if (rc != CORE_OK)
        return rc;
    /* Opening once attaches the NZ and checks it is one. */
    struct core_repo *check = core_repo_open(dir, user, cause);
    if (!check)
        return CORE_ERR_USER;
    core_repo_close(check);
    return CORE_OK;
}

int
core_repo_init(const char *dir, const char *institution, const char *nz_path, const char *user,
               char **cause)
{
    return init_repo(dir, institution, nz_path, NULL, NULL, user, cause);
}

/* "HOST:PORT/DB OPTIONS" as nz.target stores it, checked; NULL with *cause. */
static char *
nz_target_text(const char *address, const char *options, char **cause)
{
    if (strncasecmp(address, "z3950://", 8) == 0)
        address += 8;
    struct core_target t;
    char *err = NULL;
    char *line = xasprintf("nz %s %s", address, options ? options : "");
    int rc = core_target_parse_line(line, &t, &err);
    free(line);
    if (rc != CORE_OK) {
        if (cause)
            *cause = xasprintf("the network zone's address '%s'%s%s: %s", address,
                               options && *options ? " with " : "", options ? options : "",
                               err ? err : "not an address");
        free(err);
        return NULL;
    }
    char *opts = core_target_options_text(&t);
    char *text = xasprintf("%s%s%s", t.address, opts && *opts ? " " : "", opts ? opts : "");
    free(opts);
    return text;
}

int
core_repo_init_remote(const char *dir, const char *institution, const char *address,
                      const char *options, const char *nz_code, const char *user, char **cause)
{
    if (!nz_code)
        nz_code = NZ_DEFAULT_CODE;
    if (!core_zone_code_valid(nz_code) || strcmp(nz_code, institution ? institution : "") == 0) {
        if (cause)
            *cause = xasprintf("the network zone's code must be four digits other than the "
                               "institution's, not '%s'",
                               nz_code);
        return CORE_ERR_USER;
    }
    char *text = nz_target_text(address ? address : "", options, cause);
    if (!text)
        return CORE_ERR_USER;
    int rc = init_repo(dir, institution, NULL, text, nz_code, user, cause);
    free(text);
    return rc;
}

const char *
core_repo_errmsg(const struct core_repo *repo)
{
    return repo->errmsg;
}

const char *
core_repo_dir(const struct core_repo *repo)
{
    return repo->dir;
}

const char *
core_repo_user(const struct core_repo *repo)
{
    return repo->user;
}

const char *
core_repo_zone_code(const struct core_repo *repo, enum core_zone zone)
{
    return (unsigned)zone < CORE_NZONES && repo->has_zone[zone] ? repo->zone_code[zone] : "";
}

bool
core_repo_has_zone(const struct core_repo *repo, enum core_zone zone)
{
    return (unsigned)zone < CORE_NZONES && repo->has_zone[zone];
}

int
core_repo_zone_of(const struct core_repo *repo, const char *mms)
{
    char zone[8];
    if (core_mms_parse(mms, NULL, zone) == CORE_MMS_NONE)
        return -1;
    for (int z = 0; z < CORE_NZONES; z++)
        if (repo->has_zone[z] && strcmp(repo->zone_code[z], zone) == 0)
            return z;
    return -1;
}

/* ---- users and roles ---- */

unsigned
core_user_roles(struct core_repo *repo, const char *name)
{
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ, "SELECT roles FROM {Z}.user WHERE name = ?1");
    if (!st)
        return 0;
    repo_bind_text(st, 1, name);
    unsigned roles = sqlite3_step(st) == SQLITE_ROW ? (unsigned)sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    return roles;
}

/* A user whose roles were all revoked is still a user (core_user_roles says
 * 0 for both): the refusal must not tell them to ask to be added. */
static bool
user_exists(struct core_repo *repo, const char *name)
{
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ, "SELECT 1 FROM {Z}.user WHERE name = ?1");
    if (!st)
        return false;
    repo_bind_text(st, 1, name);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

/* "cataloger or cataloger-extended" for a message. */
static void
roles_text(unsigned roles, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < sizeof role_names / sizeof *role_names; i++) {
        if (!(roles & role_names[i].role))
            continue;
        size_t n = strlen(out);
        snprintf(out + n, size - n, "%s%s", n ? " or " : "", role_names[i].name);
    }
}

int
core_require_role(struct core_repo *repo, unsigned roles, const char *action)
{
    unsigned have = core_user_roles(repo, repo->user);
    if (have & roles)
        return CORE_OK;
    char need[128];
    roles_text(roles, need, sizeof need);
    if (!have && !user_exists(repo, repo->user))
        return repo_fail(repo, CORE_ERR_ROLE,
                         "%s is not a user of this repository; %s needs role %s (ask an admin: "
                         "colophon user add %s --role ...)",
                         repo->user, action, need, repo->user);
    return repo_fail(repo, CORE_ERR_ROLE, "%s needs role %s, which %s does not have", action, need,
                     repo->user);
}

static int
user_write(struct core_repo *repo, const char *sql, const char *name, unsigned roles,
           const char *email, const char *action)
{
    int rc = core_require_role(repo, CORE_ROLE_ADMIN, action);
    if (rc != CORE_OK)
        return rc;
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ, sql);
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, name);
    sqlite3_bind_int(st, 2, (int)roles);
    repo_bind_text(st, 3, email ? email : "");
    sqlite3_bind_int64(st, 4, (sqlite3_int64)core_now());
    repo_bind_text(st, 5, repo->user);
    int step = sqlite3_step(st);
    int changes = sqlite3_changes(repo->db);
    sqlite3_reset(st);
    if (step == SQLITE_CONSTRAINT)
        return repo_fail(repo, CORE_ERR_USER, "user %s already exists", name);
    if (step != SQLITE_DONE)
        return repo_db_fail(repo, action);
    if (changes == 0)
        return repo_fail(repo, CORE_ERR_NOTFOUND, "no user %s", name);
    return CORE_OK;
}

int
core_user_add(struct core_repo *repo, const char *name, unsigned roles, const char *email)
{
    if (!name || !*name || strlen(name) >= 64 || strpbrk(name, " \t\n,"))
        return repo_fail(repo, CORE_ERR_USER, "'%s' is not a valid user name", name ? name : "");
    return user_write(repo,
                      "INSERT INTO {Z}.user (name, roles, email, created_at, created_by) "
                      "VALUES (?1, ?2, ?3, ?4, ?5)",
                      name, roles, email, "adding a user");
}

int
core_user_grant(struct core_repo *repo, const char *name, unsigned roles)
{
    return user_write(repo, "UPDATE {Z}.user SET roles = roles | ?2 WHERE name = ?1", name, roles,
                      NULL, "granting a role");
}

int
core_user_revoke(struct core_repo *repo, const char *name, unsigned roles)
{
    if (strcmp(name, repo->user) == 0 && (roles & CORE_ROLE_ADMIN))
        return repo_fail(repo, CORE_ERR_USER,
                         "you cannot take the admin role from yourself (ask another admin)");
    return user_write(repo, "UPDATE {Z}.user SET roles = roles & ~?2 WHERE name = ?1", name,
                      roles, NULL, "revoking a role");
}

int
core_user_list(struct core_repo *repo, struct core_user **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 "SELECT name, roles, email, created_at FROM {Z}.user ORDER BY name");
    if (!st)
        return CORE_ERR_DB;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        struct core_user *u = &(*out)[(*n)++];
        memset(u, 0, sizeof *u);
        snprintf(u->name, sizeof u->name, "%s", repo_col_text(st, 0));
        u->roles = (unsigned)sqlite3_column_int(st, 1);
        snprintf(u->email, sizeof u->email, "%s", repo_col_text(st, 2));
        u->created = (time_t)sqlite3_column_int64(st, 3);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "listing users");
}

/* ---- configuration ---- */

const char *
core_config_get(struct core_repo *repo, const char *key, const char *def)
{
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ, "SELECT value FROM {Z}.config WHERE key = ?1");
    if (!st)
        return def;
    repo_bind_text(st, 1, key);
    const char *v = def;
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(repo->config_value, sizeof repo->config_value, "%s", repo_col_text(st, 0));
        v = repo->config_value;
    }
    sqlite3_reset(st);
    return v;
}

/* Seconds in "60m", "90s", "2h", "45" (minutes); -1 when malformed. */
static long
parse_duration(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || v < 0)
        return -1;
    if (*end == '\0' || strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
        return v * 60;
    if (strcmp(end, "s") == 0)
        return v;
    if (strcmp(end, "h") == 0)
        return v * 3600;
    return -1;
}

static int
config_put(struct core_repo *repo, const char *key, const char *value)
{
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 "INSERT OR REPLACE INTO {Z}.config (key, value) VALUES (?1, ?2)");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, key);
    repo_bind_text(st, 2, value);
    int rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK
                                             : repo_db_fail(repo, "changing the configuration");
    sqlite3_reset(st);
    return rc;
}

int
core_config_set(struct core_repo *repo, const char *key, const char *value)
{
    int rc = core_require_role(repo, CORE_ROLE_ADMIN, "changing the configuration");
    if (rc != CORE_OK)
        return rc;
    if (strcmp(key, "lock.timeout") == 0 && parse_duration(value) <= 0)
        return repo_fail(repo, CORE_ERR_USER,
                         "lock.timeout takes a duration such as 60m, 90s or 2h, not '%s'", value);
    struct core_local_tags tags; /* link.h: local fields of linked records */
    char bad[40];
    if (strcmp(key, "link.local_tags") == 0 && !core_local_tags_parse(value, &tags, bad, sizeof bad))
        return repo_fail(repo, CORE_ERR_USER,
                         "link.local_tags takes tags such as '590, 69X' (three digits, X for any "
                         "digit; not 001 or 005), not '%s'",
                         bad);
    char *nz_text = NULL;
    if (strcmp(key, "nz.target") == 0) {
        char *cause = NULL;
        if (!repo->nz_remote)
            return repo_fail(repo, CORE_ERR_USER,
                             "nz.target names a network zone server, and this repository's "
                             "network zone is a file (colophon init --nz z3950://HOST:PORT/DB "
                             "makes a repository with a remote one)");
        nz_text = nz_target_text(value, NULL, &cause);
        if (!nz_text) {
            rc = repo_fail(repo, CORE_ERR_USER, "%s", cause);
            free(cause);
            return rc;
        }
        value = nz_text;
    }
    rc = config_put(repo, key, value);
    free(nz_text);
    return rc;
}

long
core_lock_timeout(struct core_repo *repo)
{
    long s = parse_duration(core_config_get(repo, "lock.timeout", "60m"));
    return s > 0 ? s : 3600;
}
