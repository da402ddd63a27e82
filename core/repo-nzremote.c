/*
 * repo-nzremote.c - a network zone on a server (nzremote.h): the target
 * named by the configuration key nz.target, searches and fetches through
 * the Z39.50/SRU client (z3950.h), contributions and replacements through
 * Extended Services (zupdate.h), and the copy of the records they bring,
 * kept in the attached zone file `nz-cache.db` ("nz" schema).
 *
 * The copy's rows are ordinary NZ bib rows (so that linking, reading a
 * linked bib, candidates and IZ searches work on them unchanged), indexed
 * like any bib; a row's version counts the changes this repository has
 * seen, its reason is "fetch" or "refresh" and its user "network zone".
 * A record the server no longer has becomes a tombstone (deleted_at) and
 * leaves the indexes.  Nothing here decides about linking: repo-link*.c
 * calls in before it reads the network zone.
 */
#include "repo-int.h"

#include "nzremote.h"
#include "search.h"
#include "z3950.h"
#include "zupdate.h"

#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Records asked for at most in one search (a page of candidates or hits). */
#define NZ_FETCH_MAX 50
/* Network records fetched by MMS ID in one search when refreshing. */
#define NZ_BATCH 20
/* Who the copy says changed a record. */
#define NZ_BY "network zone"

/* ---- the target ---- */

bool
core_nz_remote(const struct core_repo *repo)
{
    return repo->nz_remote;
}

int
core_nz_target(struct core_repo *repo, struct core_target *t)
{
    if (!repo->nz_remote)
        return repo_fail(repo, CORE_ERR_USER,
                         "this repository's network zone is a file, not a server");
    const char *v = core_config_get(repo, "nz.target", "");
    if (!*v)
        return repo_fail(repo, CORE_ERR_USER,
                         "the network zone's server is not configured; an admin sets it with "
                         "'colophon config set nz.target HOST:PORT/DATABASE [user=... "
                         "password=...]'");
    char *line = xasprintf("nz %s", v), *err = NULL;
    int rc = core_target_parse_line(line, t, &err);
    free(line);
    if (rc != CORE_OK) {
        rc = repo_fail(repo, CORE_ERR_USER, "the configuration nz.target ('%s'): %s", v,
                       err ? err : "not an address");
        free(err);
        return rc;
    }
    snprintf(t->name, sizeof t->name, "the server");
    return CORE_OK;
}

/* A failure talking to the server, with its address; takes msg (heap). */
static int
nz_fail(struct core_repo *repo, const struct core_target *t, int rc, char *msg)
{
    if (rc == CORE_ERR_IO)
        repo_fail(repo, rc, "network zone at %s unreachable: %s", t->address,
                  msg ? msg : "no answer");
    else
        repo_fail(repo, rc, "network zone at %s: %s", t->address, msg ? msg : "failed");
    free(msg);
    return rc;
}

int
repo_nz_read_only(struct core_repo *repo, enum core_zone zone, const char *what)
{
    if (zone != CORE_ZONE_NZ || !repo->nz_remote)
        return CORE_OK;
    char address[512];
    snprintf(address, sizeof address, "%s", core_config_get(repo, "nz.target", "?"));
    address[strcspn(address, " \t")] = '\0';
    return repo_fail(repo, CORE_ERR_USER,
                     "%s: this repository's network zone is the server at %s, and network "
                     "records are changed there, not in this repository's copy (contribute "
                     "with 'colophon link --contribute'; a linked record's shared fields are "
                     "saved to the server when you save it)",
                     what, address);
}

/* ---- the copy ---- */

/* The 001 of a record the server sent, which must be one of the NZ's bib IDs. */
static int
sent_mms(struct core_repo *repo, const struct core_target *t, const struct marc_record *r,
         char *mms)
{
    size_t len;
    const char *v = marc_record_value(r, "001", 0, &len);
    snprintf(mms, CORE_MMS_MAX, "%.*s", v && len < CORE_MMS_MAX ? (int)len : 0, v ? v : "");
    if (mms[0] && core_repo_zone_of(repo, mms) == CORE_ZONE_NZ &&
        core_mms_parse(mms, NULL, NULL) == CORE_MMS_BIB)
        return CORE_OK;
    return repo_fail(repo, CORE_ERR_USER,
                     "network zone at %s sent a record whose 001 is '%.*s', not a network zone "
                     "bib MMS ID (99...%s): is nz.target the network zone's server (colophon "
                     "serve --zone nz)?",
                     t->address, v ? (int)(len > 40 ? 40 : len) : 0, v ? v : "",
                     core_repo_zone_code(repo, CORE_ZONE_NZ));
}

struct cached {
    sqlite3_int64 id;
    bool deleted;
    int fmt;
    struct marc_buf blob;
};

/* The copy's row of mms; *found says whether there is one. */
static int
cache_row(struct core_repo *repo, const char *mms, struct cached *c, bool *found)
{
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_NZ,
                                 "SELECT id, deleted_at, fmt, marc FROM {Z}.bib WHERE mms = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    int step = sqlite3_step(st);
    *found = step == SQLITE_ROW;
    if (*found) {
        c->id = sqlite3_column_int64(st, 0);
        c->deleted = sqlite3_column_type(st, 1) != SQLITE_NULL;
        c->fmt = sqlite3_column_int(st, 2);
        marc_buf_reset(&c->blob);
        marc_buf_append(&c->blob, sqlite3_column_blob(st, 3), (size_t)sqlite3_column_bytes(st, 3));
    }
    sqlite3_reset(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? CORE_OK
                                                     : repo_db_fail(repo, "reading the copy");
}

/* The stored content's index entries out (a changed or vanished record). */
static int
cache_unindex(struct core_repo *repo, const struct cached *c)
{
    struct marc_record *old = marc_record_new();
    int rc = repo_decode(repo, c->blob.data, c->blob.len, c->fmt, old);
    if (rc == CORE_OK)
        rc = repo_index_bib(repo, CORE_ZONE_NZ, c->id, old, false);
    marc_record_free(old);
    return rc;
}

/* Row c (existing) gets blob/fmt and r's brief columns, a new version. */
static int
cache_update(struct core_repo *repo, const struct cached *c, const struct marc_buf *blob, int fmt,
             const struct core_bib_keys *k)
{
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_NZ,
                                 "UPDATE {Z}.bib SET marc = ?2, fmt = ?3, title = ?4, author = ?5, "
                                 "date = ?6, serial = ?7, version = version + 1, reason = "
                                 "'refresh', updated_at = ?8, updated_by = ?9, deleted_at = NULL, "
                                 "deleted_by = NULL WHERE id = ?1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, c->id);
    sqlite3_bind_blob(st, 2, blob->data, (int)blob->len, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, fmt);
    repo_bind_text(st, 4, k->title.data ? k->title.data : "");
    repo_bind_text(st, 5, k->author.data ? k->author.data : "");
    repo_bind_text(st, 6, k->date);
    sqlite3_bind_int(st, 7, k->serial);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)core_now());
    repo_bind_text(st, 9, NZ_BY);
    int rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "updating the copy");
    sqlite3_reset(st);
    return rc;
}

static int
cache_insert(struct core_repo *repo, const char *mms, const struct marc_buf *blob, int fmt,
             const struct core_bib_keys *k, sqlite3_int64 *id)
{
    sqlite3_stmt *st = repo_stmt(
        repo, CORE_ZONE_NZ,
        "INSERT INTO {Z}.bib (mms, marc, fmt, version, reason, created_at, created_by, "
        "updated_at, updated_by, title, author, date, serial) "
        "VALUES (?1, ?2, ?3, 1, 'fetch', ?4, ?5, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    sqlite3_bind_blob(st, 2, blob->data, (int)blob->len, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, fmt);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)core_now());
    repo_bind_text(st, 5, NZ_BY);
    repo_bind_text(st, 6, k->title.data ? k->title.data : "");
    repo_bind_text(st, 7, k->author.data ? k->author.data : "");
    repo_bind_text(st, 8, k->date);
    sqlite3_bind_int(st, 9, k->serial);
    int rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "copying a record");
    sqlite3_reset(st);
    if (rc == CORE_OK)
        *id = sqlite3_last_insert_rowid(repo->db);
    return rc;
}

/* Inside a transaction: r (sent by the server, 001 = mms) becomes the copy of mms. */
static int
cache_put_tx(struct core_repo *repo, const char *mms, const struct marc_record *r,
             sqlite3_int64 *id_out)
{
    struct cached c = {0};
    struct marc_buf blob = MARC_BUF_INIT;
    bool found = false;
    int fmt = 0;
    int rc = repo_encode(repo, r, &repo->blob, &fmt);
    if (rc == CORE_OK) {
        marc_buf_append(&blob, repo->blob.data, repo->blob.len);
        rc = cache_row(repo, mms, &c, &found);
    }
    bool same = found && !c.deleted && c.fmt == fmt && c.blob.len == blob.len &&
                memcmp(c.blob.data, blob.data, blob.len) == 0;
    if (rc == CORE_OK && !same) {
        if (found && !c.deleted)
            rc = cache_unindex(repo, &c);
        struct core_bib_keys k = {0};
        core_bib_keys_extract(r, &k);
        if (rc == CORE_OK)
            rc = found ? cache_update(repo, &c, &blob, fmt, &k)
                       : cache_insert(repo, mms, &blob, fmt, &k, &c.id);
        core_bib_keys_free(&k);
        if (rc == CORE_OK)
            rc = repo_index_bib(repo, CORE_ZONE_NZ, c.id, r, true);
    }
    if (rc == CORE_OK && id_out)
        *id_out = c.id;
    marc_buf_free(&c.blob);
    marc_buf_free(&blob);
    return rc;
}

static int
cache_put(struct core_repo *repo, const char *mms, const struct marc_record *r,
          sqlite3_int64 *id_out)
{
    int rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    rc = cache_put_tx(repo, mms, r, id_out);
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    return repo_commit(repo);
}

/* The server has no record mms: its copy (if any) becomes a tombstone. */
static int
cache_gone(struct core_repo *repo, const char *mms)
{
    struct cached c = {0};
    bool found = false;
    int rc = repo_begin(repo);
    if (rc == CORE_OK)
        rc = cache_row(repo, mms, &c, &found);
    if (rc == CORE_OK && found && !c.deleted) {
        rc = cache_unindex(repo, &c);
        sqlite3_stmt *st =
            rc == CORE_OK ? repo_stmt(repo, CORE_ZONE_NZ,
                                      "UPDATE {Z}.bib SET deleted_at = ?2, deleted_by = ?3 "
                                      "WHERE id = ?1")
                          : NULL;
        if (st) {
            sqlite3_bind_int64(st, 1, c.id);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)core_now());
            repo_bind_text(st, 3, NZ_BY);
            rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "updating the copy");
            sqlite3_reset(st);
        } else if (rc == CORE_OK) {
            rc = CORE_ERR_DB;
        }
    }
    marc_buf_free(&c.blob);
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    return repo_commit(repo);
}

/* ---- searching the server ---- */

/* What to do with each record a search brings (its MMS ID, its row in the copy). */
typedef int (*nz_got_fn)(void *ctx, const char *mms, sqlite3_int64 id);

/*
 * Run `query` (search.h's language) on the server and copy records
 * from..from+max-1 of its hits, each handed to got.  *hits (may be NULL)
 * receives the hit count.
 */
static int
nz_search_run(struct core_repo *repo, const struct core_target *t, const char *query, size_t from,
              size_t max, nz_got_fn got, void *ctx, long *hits)
{
    char *err = NULL;
    struct core_zsearch *zs = core_zsearch_start(t, query, from + max, &err);
    if (!zs)
        return nz_fail(repo, t, CORE_ERR_USER, err);
    int rc = core_zsearch_wait(zs);
    if (rc != CORE_OK) {
        rc = nz_fail(repo, t, core_zsearch_errcode(zs), xstrdup(core_zsearch_error(zs)));
        core_zsearch_free(zs);
        return rc;
    }
    long n = core_zsearch_hits(zs);
    if (hits)
        *hits = n;
    size_t end = n < 0 ? 0 : (size_t)n < from + max ? (size_t)n : from + max;
    struct marc_record *r = marc_record_new();
    for (size_t i = from; rc == CORE_OK && i < end; i++) {
        if (!core_zsearch_has(zs, i)) { /* the server sent fewer with the search */
            rc = core_zsearch_fetch(zs, i, end - i);
            if (rc == CORE_OK && core_zsearch_wait(zs) != CORE_OK)
                rc = nz_fail(repo, t, core_zsearch_errcode(zs), xstrdup(core_zsearch_error(zs)));
            else if (rc != CORE_OK)
                rc = nz_fail(repo, t, rc, xstrdup(core_zsearch_error(zs)));
            if (rc != CORE_OK)
                break;
        }
        rc = core_zsearch_record(zs, i, r, &err);
        if (rc != CORE_OK) {
            rc = nz_fail(repo, t, rc, err);
            break;
        }
        char mms[CORE_MMS_MAX];
        sqlite3_int64 id = 0;
        rc = sent_mms(repo, t, r, mms);
        if (rc == CORE_OK)
            rc = cache_put(repo, mms, r, &id);
        if (rc == CORE_OK && got)
            rc = got(ctx, mms, id);
    }
    marc_record_free(r);
    core_zsearch_free(zs);
    return rc;
}

/* ---- one record ---- */

struct one {
    const char *want;
    bool found;
};

static int
got_one(void *ctx, const char *mms, sqlite3_int64 id)
{
    (void)id;
    struct one *o = ctx;
    o->found = o->found || strcmp(o->want, mms) == 0;
    return CORE_OK;
}

/* A network bib MMS ID, or CORE_ERR_USER naming what it is not. */
static int
check_nz_bib(struct core_repo *repo, const char *nz_mms)
{
    if (core_mms_parse(nz_mms, NULL, NULL) == CORE_MMS_BIB &&
        core_repo_zone_of(repo, nz_mms) == CORE_ZONE_NZ)
        return CORE_OK;
    return repo_fail(repo, CORE_ERR_USER,
                     "'%s' is not a network zone bib: its MMS ID ends in %s and starts with 99",
                     nz_mms, core_repo_zone_code(repo, CORE_ZONE_NZ));
}

int
repo_nz_fetch(struct core_repo *repo, const char *nz_mms)
{
    struct core_target t;
    int rc = check_nz_bib(repo, nz_mms);
    if (rc == CORE_OK)
        rc = core_nz_target(repo, &t);
    if (rc != CORE_OK)
        return rc;
    char *query = xasprintf("mms=%s", nz_mms);
    struct one o = {nz_mms, false};
    rc = nz_search_run(repo, &t, query, 0, 5, got_one, &o, NULL);
    free(query);
    if (rc == CORE_OK && !o.found) {
        rc = cache_gone(repo, nz_mms);
        if (rc == CORE_OK)
            rc = repo_fail(repo, CORE_ERR_NOTFOUND, "network zone at %s has no record %s",
                           t.address, nz_mms);
    }
    return rc;
}

int
core_nz_freshen(struct core_repo *repo, const char *mms)
{
    if (!repo->nz_remote || core_mms_parse(mms, NULL, NULL) != CORE_MMS_BIB)
        return CORE_OK;
    int zone = core_repo_zone_of(repo, mms);
    if (zone == CORE_ZONE_NZ)
        return repo_nz_fetch(repo, mms);
    char nz[CORE_MMS_MAX] = "";
    int rc = zone == CORE_ZONE_IZ ? repo_link_target(repo, mms, nz) : CORE_OK;
    return rc == CORE_OK && nz[0] ? repo_nz_fetch(repo, nz) : rc;
}

/* ---- candidates ---- */

struct ids {
    sqlite3_int64 **ids;
    size_t *n;
};

static int
got_id(void *ctx, const char *mms, sqlite3_int64 id)
{
    (void)mms;
    struct ids *x = ctx;
    *x->ids = xrealloc(*x->ids, (*x->n + 1) * sizeof **x->ids);
    (*x->ids)[(*x->n)++] = id;
    return CORE_OK;
}

/* A phrase of the query language: in double quotes, \" and \\ escaped. */
static void
put_phrase(struct marc_buf *q, const char *s)
{
    marc_buf_putc(q, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            marc_buf_putc(q, '\\');
        marc_buf_putc(q, *s);
    }
    marc_buf_putc(q, '"');
}

/* "oclc=1 OR oclc=2 OR isbn=... OR issn=..." from the identifiers of k. */
static void
ident_query(const struct core_bib_keys *k, struct marc_buf *q)
{
    for (size_t i = 0; i < k->nids; i++) {
        const struct core_ident *id = &k->ids[i];
        const char *index = id->kind == CORE_ID_OCLC || id->kind == CORE_ID_OCLC_OLD ? "oclc"
                            : id->kind == CORE_ID_ISSN                                ? "issn"
                            : id->kind == CORE_ID_ISBN                                ? "isbn"
                                                                                      : NULL;
        if (!index)
            continue;
        marc_buf_printf(q, "%s%s=", q->len ? " OR " : "", index);
        put_phrase(q, id->value);
    }
}

int
repo_nz_prime(struct core_repo *repo, const struct core_bib_keys *k, bool by_title,
              sqlite3_int64 **ids, size_t *n)
{
    struct core_target t;
    int rc = core_nz_target(repo, &t);
    if (rc != CORE_OK)
        return rc;
    struct marc_buf q = MARC_BUF_INIT;
    if (by_title && k->title.len) {
        marc_buf_puts(&q, "title=");
        put_phrase(&q, k->title.data);
    } else if (!by_title) {
        ident_query(k, &q);
    }
    struct ids x = {ids, n};
    if (q.len)
        rc = nz_search_run(repo, &t, q.data, 0, NZ_FETCH_MAX, got_id, &x, NULL);
    marc_buf_free(&q);
    return rc;
}

/* ---- writing to the server ---- */

int
repo_nz_contribute(struct core_repo *repo, const struct marc_record *shared, char *nz_mms)
{
    struct core_target t;
    char *err = NULL;
    nz_mms[0] = '\0';
    int rc = core_nz_target(repo, &t);
    if (rc != CORE_OK)
        return rc;
    char id[CORE_MMS_MAX];
    rc = core_zupdate(&t, CORE_ZUPDATE_INSERT, NULL, shared, id, &err);
    if (rc != CORE_OK)
        return nz_fail(repo, &t, rc, err);
    if (check_nz_bib(repo, id) != CORE_OK)
        return repo_fail(repo, CORE_ERR_USER,
                         "network zone at %s stored the contribution as '%s', which is not a "
                         "network zone bib MMS ID (99...%s)",
                         t.address, id, core_repo_zone_code(repo, CORE_ZONE_NZ));
    snprintf(nz_mms, CORE_MMS_MAX, "%s", id);
    rc = repo_nz_fetch(repo, id);
    if (rc != CORE_OK) {
        char msg[sizeof repo->errmsg];
        snprintf(msg, sizeof msg, "%s", repo->errmsg);
        repo_fail(repo, rc, "contributed as network zone record %s, but fetching it back failed: %s",
                  id, msg);
    }
    return rc;
}

int
repo_nz_replace(struct core_repo *repo, const char *nz_mms, const struct marc_record *r)
{
    struct core_target t;
    char *err = NULL;
    int rc = core_nz_target(repo, &t);
    if (rc != CORE_OK)
        return rc;
    char id[CORE_MMS_MAX];
    rc = core_zupdate(&t, CORE_ZUPDATE_REPLACE, nz_mms, r, id, &err);
    if (rc != CORE_OK)
        return nz_fail(repo, &t, rc, err);
    return repo_nz_fetch(repo, nz_mms);
}

/* ---- refreshing ---- */

struct batch {
    char (*want)[CORE_MMS_MAX];
    bool *found;
    size_t n;
};

static int
got_batch(void *ctx, const char *mms, sqlite3_int64 id)
{
    (void)id;
    struct batch *b = ctx;
    for (size_t i = 0; i < b->n; i++)
        if (strcmp(b->want[i], mms) == 0)
            b->found[i] = true;
    return CORE_OK;
}

/* The network records linked from the IZ (mms's, or every one). */
static int
linked_targets(struct core_repo *repo, const char *mms, char (**out)[CORE_MMS_MAX], size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st =
        mms ? repo_stmt(repo, CORE_ZONE_IZ,
                        "SELECT linked FROM {Z}.bib WHERE mms = ?1 AND linked IS NOT NULL")
            : repo_stmt(repo, CORE_ZONE_IZ,
                        "SELECT DISTINCT linked FROM {Z}.bib WHERE linked IS NOT NULL AND "
                        "deleted_at IS NULL ORDER BY linked");
    if (!st)
        return CORE_ERR_DB;
    if (mms)
        repo_bind_text(st, 1, mms);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        snprintf((*out)[(*n)++], CORE_MMS_MAX, "%s", repo_col_text(st, 0));
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "listing linked records");
}

/* One batch: "mms=A OR mms=B ...", the ones not returned become tombstones. */
static int
fetch_batch(struct core_repo *repo, const struct core_target *t, struct batch *b, long *missing)
{
    struct marc_buf q = MARC_BUF_INIT;
    for (size_t i = 0; i < b->n; i++)
        marc_buf_printf(&q, "%smms=%s", i ? " OR " : "", b->want[i]);
    int rc = nz_search_run(repo, t, q.data, 0, b->n, got_batch, b, NULL);
    marc_buf_free(&q);
    for (size_t i = 0; rc == CORE_OK && i < b->n; i++) {
        if (b->found[i])
            continue;
        rc = cache_gone(repo, b->want[i]);
        if (missing)
            (*missing)++;
    }
    return rc;
}

int
repo_nz_fetch_linked(struct core_repo *repo, const char *mms, long *missing)
{
    if (missing)
        *missing = 0;
    struct core_target t;
    int rc = core_nz_target(repo, &t);
    char (*ids)[CORE_MMS_MAX] = NULL;
    size_t n = 0;
    if (rc == CORE_OK)
        rc = linked_targets(repo, mms, &ids, &n);
    bool found[NZ_BATCH];
    for (size_t i = 0; rc == CORE_OK && i < n; i += NZ_BATCH) {
        memset(found, 0, sizeof found);
        struct batch b = {ids + i, found, n - i < NZ_BATCH ? n - i : NZ_BATCH};
        rc = fetch_batch(repo, &t, &b, missing);
    }
    free(ids);
    return rc;
}

int
core_nz_refresh(struct core_repo *repo, const char *mms, long *missing)
{
    if (missing)
        *missing = 0;
    return repo->nz_remote ? repo_nz_fetch_linked(repo, mms, missing) : CORE_OK;
}

/* ---- core_search in the network zone ---- */

struct briefs {
    struct core_repo *repo;
    struct core_results *out;
};

static int
got_brief(void *ctx, const char *mms, sqlite3_int64 id)
{
    struct briefs *b = ctx;
    sqlite3_stmt *st = repo_stmt(b->repo, CORE_ZONE_NZ,
                                 "SELECT title, author, date FROM {Z}.bib WHERE id = ?1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        struct core_results *out = b->out;
        out->hits = xrealloc(out->hits, (out->n + 1) * sizeof *out->hits);
        struct core_brief *h = &out->hits[out->n++];
        memset(h, 0, sizeof *h);
        snprintf(h->mms, sizeof h->mms, "%s", mms);
        snprintf(h->title, sizeof h->title, "%s", repo_col_text(st, 0));
        snprintf(h->author, sizeof h->author, "%s", repo_col_text(st, 1));
        snprintf(h->date, sizeof h->date, "%s", repo_col_text(st, 2));
        h->zone = CORE_ZONE_NZ;
    }
    sqlite3_reset(st);
    return step == SQLITE_ROW ? CORE_OK : repo_db_fail(b->repo, "reading the copy");
}

int
repo_nz_search(struct core_repo *repo, const char *query, const struct core_search_opts *o,
               struct core_results *out)
{
    struct core_target t;
    int rc = core_nz_target(repo, &t);
    if (rc != CORE_OK)
        return rc;
    if (o->physical)
        return repo_fail(repo, CORE_ERR_USER,
                         "the network zone holds no inventory: search it under All titles");
    long hits = -1;
    struct briefs b = {repo, out};
    rc = nz_search_run(repo, &t, query, o->offset, o->limit ? o->limit : 50, got_brief, &b, &hits);
    if (rc != CORE_OK) {
        core_results_free(out);
        return rc;
    }
    out->total = o->count ? hits : -1;
    return CORE_OK;
}
