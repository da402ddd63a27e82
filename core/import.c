/*
 * import.c - loading a file of records into a zone: the passes over the
 * file, batched transactions, and resuming an interrupted import.
 *
 * The file is read up to three times, streaming (a record at a time):
 *   check     (without `permissive`) every record is decoded, converted and
 *             judged, holdings' 004 links and item barcodes included; any
 *             problem stops the import before anything is written;
 *   bibs      bibliographic records become bibs;
 *   holdings  (only when the file has any) MFHD records attach to their
 *             bibs, which are all in the repository by then, so a holdings
 *             record may come before its bib in the file.
 * Writes go in batches of o->batch records, one transaction each.  The
 * transaction also moves the file's row in import_run forward, so after a
 * crash the repository holds whole batches only and the row says how far
 * they reach.  Progress is counted in steps: record n of the file is step
 * n in the bibs pass and step N + n in the holdings pass (N records in the
 * file); a re-run skips every step up to records_done.  A finished row
 * holds N.
 *
 * A file is known by its size and hashes of its first and last 64 KiB, not
 * by its name: a file moved or given by another path still resumes, and a
 * file that was changed is a new file.  Standard input is spooled to a
 * temporary file first (the check pass needs a second read).
 */
#include "import-int.h"

#include "lint.h"
#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IMPORT_BATCH_DEFAULT 2000
#define IDENTITY_SPAN        (64 * 1024)

/* ---- hash sets ---- */

uint64_t
imp_hash(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h ? h : 1;
}

static void
hset_grow(struct imp_hset *s)
{
    struct imp_hset bigger = {.cap = s->cap ? s->cap * 2 : 1024};
    bigger.keys = xcalloc(bigger.cap, sizeof *bigger.keys);
    bigger.vals = xmalloc(bigger.cap * sizeof *bigger.vals);
    for (size_t i = 0; i < s->cap; i++)
        if (s->keys[i])
            imp_hset_add(&bigger, s->keys[i], s->vals[i], NULL);
    imp_hset_free(s);
    *s = bigger;
}

bool
imp_hset_add(struct imp_hset *s, uint64_t h, long val, long *old)
{
    if ((s->n + 1) * 2 > s->cap)
        hset_grow(s);
    size_t i = (size_t)h & (s->cap - 1);
    while (s->keys[i]) {
        if (s->keys[i] == h) {
            if (old)
                *old = s->vals[i];
            return false;
        }
        i = (i + 1) & (s->cap - 1);
    }
    s->keys[i] = h;
    s->vals[i] = val;
    s->n++;
    return true;
}

bool
imp_hset_has(const struct imp_hset *s, uint64_t h)
{
    if (!s->cap)
        return false;
    for (size_t i = (size_t)h & (s->cap - 1); s->keys[i]; i = (i + 1) & (s->cap - 1))
        if (s->keys[i] == h)
            return true;
    return false;
}

void
imp_hset_free(struct imp_hset *s)
{
    free(s->keys);
    free(s->vals);
    memset(s, 0, sizeof *s);
}

/* ---- problems and validation ---- */

static void
vproblem(struct imp *im, struct marc_decode_ctx *ctx, const struct marc_where *w, const char *code,
         const char *fmt, va_list ap)
{
    char msg[300];
    vsnprintf(msg, sizeof msg, fmt, ap);
    struct marc_where whole = MARC_WHERE_NONE;
    if (!w && ctx->line > 0) {
        whole.line = ctx->line; /* text formats: the record's line */
        w = &whole;
    }
    long n = im->checking ? ++im->problems : ++im->rep->skipped;
    if (n > IMP_MAX_REPORTED)
        return;
    if (im->checking)
        marc_codec_report_at(ctx, MARC_SEV_ERROR, MARC_ERR_INVALID, code, w, "%s", msg);
    else
        marc_codec_report_at(ctx, MARC_SEV_WARNING, MARC_ERR_INVALID, code, w, "skipped: %s", msg);
}

void
imp_problem(struct imp *im, struct marc_decode_ctx *ctx, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vproblem(im, ctx, NULL, code, fmt, ap);
    va_end(ap);
}

void
imp_problem_at(struct imp *im, struct marc_decode_ctx *ctx, const struct marc_where *w,
               const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vproblem(im, ctx, w, code, fmt, ap);
    va_end(ap);
}

bool
imp_control_number(const struct marc_record *r, const char *tag, char *out, size_t size)
{
    size_t len;
    const char *v = marc_record_value(r, tag, 0, &len);
    while (v && len && v[len - 1] == ' ')
        len--;
    while (v && len && *v == ' ')
        v++, len--;
    if (!v || !len || len >= size)
        return false;
    memcpy(out, v, len);
    out[len] = '\0';
    return true;
}

struct lint_sink {
    struct imp *im;
    int errors;
};

/* Lint errors of an imported record become warnings naming what to fix. */
static void
lint_diag(void *ctx, const struct marc_diag *d)
{
    struct lint_sink *s = ctx;
    if (d->severity != MARC_SEV_ERROR)
        return;
    s->errors++;
    const struct core_import_opts *o = s->im->o;
    if (!o->diag || s->im->rep->invalid >= IMP_MAX_REPORTED)
        return;
    struct marc_diag w = *d;
    w.severity = MARC_SEV_WARNING;
    snprintf(w.message, sizeof w.message, "imported as %s, to fix: %.240s", s->im->mms, d->message);
    o->diag(o->diag_ctx, &w);
}

bool
imp_lint(struct imp *im, const struct marc_record *r, struct marc_decode_ctx *ctx)
{
    struct lint_sink sink = {.im = im};
    struct marc_decode_ctx lc = {.record = ctx->record,
                                 .offset = ctx->offset,
                                 .line = ctx->line,
                                 .diag = lint_diag,
                                 .diag_ctx = &sink};
    marc_lint_record(r, &lc);
    return sink.errors > 0;
}

/* ---- the file ---- */

static uint64_t
hash_span(int fd, long long at, size_t len, uint64_t h)
{
    char *buf = xmalloc(len ? len : 1);
    ssize_t n = len ? pread(fd, buf, len, at) : 0;
    for (ssize_t i = 0; i < n; i++) {
        h ^= (unsigned char)buf[i];
        h *= 1099511628211ULL;
    }
    free(buf);
    return h;
}

/* Spool standard input to an unlinked temporary file (read more than once). */
static int
spool_stdin(struct imp *im)
{
    const char *tmp = getenv("TMPDIR");
    char *path = xasprintf("%s/colophon-import-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    free(path);
    if (fd < 0)
        return repo_fail(im->repo, CORE_ERR_IO, "cannot spool standard input: %s", strerror(errno));
    char buf[1 << 16];
    ssize_t n;
    while ((n = read(STDIN_FILENO, buf, sizeof buf)) > 0) {
        if (write(fd, buf, (size_t)n) != n) {
            int e = errno;
            close(fd);
            return repo_fail(im->repo, CORE_ERR_IO, "cannot spool standard input: %s", strerror(e));
        }
    }
    if (n < 0) {
        int e = errno;
        close(fd);
        return repo_fail(im->repo, CORE_ERR_IO, "reading standard input: %s", strerror(e));
    }
    im->fd = fd;
    return CORE_OK;
}

/* Open the file and work out its identity (see the top of this file). */
static int
open_file(struct imp *im, const char *path)
{
    if (strcmp(path, "-") == 0) {
        int rc = spool_stdin(im);
        if (rc != CORE_OK)
            return rc;
    } else {
        /* O_NONBLOCK: opening a FIFO (or a device) must not wait for a
         * writer before the check below refuses it (found by
         * tests/cli/test_hostile.sh: `colophon import FIFO` hung). */
        im->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (im->fd < 0)
            return repo_fail(im->repo, CORE_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(im->fd, &st) != 0 || !S_ISREG(st.st_mode))
        return repo_fail(im->repo, CORE_ERR_IO, "cannot import %s: not a regular file", path);
    im->size = (long long)st.st_size;
    size_t head = im->size < IDENTITY_SPAN ? (size_t)im->size : IDENTITY_SPAN;
    uint64_t h1 = hash_span(im->fd, 0, head, 14695981039346656037ULL);
    uint64_t h2 = hash_span(im->fd, im->size - (long long)head, head, 14695981039346656037ULL);
    snprintf(im->key, sizeof im->key, "size %lld head %016llx tail %016llx", im->size,
             (unsigned long long)h1, (unsigned long long)h2);
    return CORE_OK;
}

static void
reader_diag(void *ctx, const struct marc_diag *d)
{
    struct imp *im = ctx;
    if (d->record > 0 && d->record <= im->done)
        return; /* reported by the run that imported it */
    if (im->o->diag)
        im->o->diag(im->o->diag_ctx, d);
}

/*
 * A reader at the start of the file; `report` passes its problems on.  The
 * check pass converts MARC-8 (which can fail) but does not normalise
 * (which cannot, once the text is valid UTF-8).
 */
static struct marc_reader *
open_pass(struct imp *im, bool report, bool normalize, int *rc)
{
    struct marc_read_opts ro = {.format = im->o->format,
                                .permissive = im->o->permissive,
                                .to_utf8 = true,
                                .normalize = normalize ? MARC_NF_NFC : MARC_NF_NONE,
                                .diag = report ? reader_diag : NULL,
                                .diag_ctx = im};
    char *cause = NULL;
    lseek(im->fd, 0, SEEK_SET);
    struct marc_reader *rd = marc_reader_open_fd(im->fd, im->name, &ro, &cause);
    if (!rd) {
        *rc = repo_fail(im->repo, CORE_ERR_USER, "%s", cause ? cause : "cannot read the file");
        free(cause);
    }
    return rd;
}

/* The reader stopped on an error: say what and where. */
static int
reader_failed(struct imp *im, struct marc_reader *rd, int mrc)
{
    const struct marc_diag *d = marc_reader_error(rd);
    char *where = d ? marc_diag_format(d, im->name) : NULL;
    int rc = repo_fail(im->repo, mrc == MARC_ERR_IO ? CORE_ERR_IO : CORE_ERR_INVALID, "%s",
                       where ? where : "the file could not be read");
    free(where);
    return rc;
}

void
imp_progress(struct imp *im, long long position, long record, int pass, int npasses)
{
    if (im->o->progress)
        im->o->progress(im->o->progress_ctx, im->size * pass + position, im->size * npasses,
                        record);
}

static void
record_ctx(struct marc_reader *rd, const struct imp *im, struct marc_decode_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->record = marc_reader_record_number(rd);
    ctx->offset = marc_reader_record_offset(rd);
    ctx->line = marc_reader_record_line(rd);
    ctx->diag = im->o->diag;
    ctx->diag_ctx = im->o->diag_ctx;
}

const char *
imp_kind_name(const struct marc_record *r)
{
    switch (marc_record_kind(r)) {
    case MARC_KIND_AUTHORITY:
        return "an authority record";
    case MARC_KIND_BIBLIOGRAPHIC:
        return "a bibliographic record";
    case MARC_KIND_HOLDINGS:
        return "a holdings record";
    default:
        return "not a MARC 21 bibliographic or holdings record";
    }
}

bool
imp_may_import_bibs(const struct imp *im)
{
    return im->roles & (CORE_ROLE_CATALOGER | CORE_ROLE_CATALOGER_EXTENDED);
}

/* ---- the run row and batches ---- */

static int
load_run(struct imp *im, bool *finished, char *when, size_t size, char *who, size_t wsize)
{
    sqlite3_stmt *st = repo_stmt(im->repo, im->zone,
                                 "SELECT records_done, finished, started_at, user FROM "
                                 "{Z}.import_run WHERE file_key = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, im->key);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        im->has_run = true;
        im->done = im->committed = (long)sqlite3_column_int64(st, 0);
        *finished = sqlite3_column_int(st, 1) != 0;
        core_format_time((time_t)sqlite3_column_int64(st, 2), when, size);
        snprintf(who, wsize, "%s", repo_col_text(st, 3));
    }
    sqlite3_reset(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? CORE_OK
                                                     : repo_db_fail(im->repo, "reading import_run");
}

int
imp_batch_open(struct imp *im)
{
    if (im->in_tx)
        return CORE_OK;
    int rc = repo_begin(im->repo);
    if (rc != CORE_OK)
        return rc;
    im->in_tx = true;
    im->in_batch = 0;
    sqlite3_stmt *st =
        repo_stmt(im->repo, im->zone, "SELECT next FROM {Z}.counter WHERE type = 99");
    if (!st)
        return CORE_ERR_DB;
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return repo_db_fail(im->repo, "reading the MMS ID counter");
    }
    im->bib_seq = im->bib_seq_start = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return CORE_OK;
}

int
imp_step(struct imp *im, sqlite3_stmt *st, const char *what)
{
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(im->repo, what);
}

/* Move the run row to `records_done` inside the batch transaction. */
static int
write_run(struct imp *im, long records_done, bool finished)
{
    sqlite3_stmt *st;
    if (!im->has_run) {
        st = repo_stmt(im->repo, im->zone,
                       "INSERT INTO {Z}.import_run (file_key, path, records_done, finished, "
                       "started_at, updated_at, user) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)");
    } else {
        /* Only from where this run left it: a second import of the same file
         * running at the same time must not interleave with this one. */
        st = repo_stmt(im->repo, im->zone,
                       "UPDATE {Z}.import_run SET path = ?2, records_done = ?3, finished = ?4, "
                       "updated_at = ?5, started_at = CASE WHEN ?8 THEN ?5 ELSE started_at END, "
                       "user = CASE WHEN ?8 THEN ?6 ELSE user END "
                       "WHERE file_key = ?1 AND records_done = ?7 AND (finished = 0 OR ?8)");
    }
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, im->key);
    repo_bind_text(st, 2, im->name);
    sqlite3_bind_int64(st, 3, records_done);
    sqlite3_bind_int(st, 4, finished);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)core_now());
    repo_bind_text(st, 6, core_repo_user(im->repo));
    if (im->has_run) {
        sqlite3_bind_int64(st, 7, im->committed);
        sqlite3_bind_int(st, 8, im->restart);
    }
    int step = sqlite3_step(st);
    int changes = sqlite3_changes(im->repo->db);
    sqlite3_reset(st);
    if (step == SQLITE_CONSTRAINT || (step == SQLITE_DONE && changes == 0))
        return repo_fail(im->repo, CORE_ERR_CONFLICT,
                         "another import of %s is running (its progress moved under this one)",
                         im->name);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(im->repo, "recording the import");
}

/* Commit the batch (opening one when none is open, to record progress). */
int
imp_batch_commit(struct imp *im, long records_done, bool finished)
{
    int rc = imp_batch_open(im);
    if (rc == CORE_OK && im->bib_seq != im->bib_seq_start) {
        sqlite3_stmt *st =
            repo_stmt(im->repo, im->zone, "UPDATE {Z}.counter SET next = ?1 WHERE type = 99");
        if (!st)
            rc = CORE_ERR_DB;
        else {
            sqlite3_bind_int64(st, 1, im->bib_seq);
            rc = imp_step(im, st, "advancing the MMS ID counter");
        }
    }
    if (rc == CORE_OK)
        rc = write_run(im, records_done, finished);
    if (rc != CORE_OK) {
        repo_rollback(im->repo);
        im->in_tx = false;
        return rc;
    }
    rc = repo_commit(im->repo);
    im->in_tx = false;
    if (rc != CORE_OK)
        return rc;
    im->has_run = true;
    im->restart = false;
    im->committed = records_done;
    im->in_batch = 0;
    return CORE_OK;
}

/* After a failure: the open batch goes, committed ones stay. */
static void
batch_abort(struct imp *im)
{
    if (im->in_tx)
        repo_rollback(im->repo);
    im->in_tx = false;
}

/* ---- the check pass ---- */

static void
check_record(struct imp *im, const struct marc_record *r, struct marc_decode_ctx *ctx)
{
    switch (marc_record_kind(r)) {
    case MARC_KIND_BIBLIOGRAPHIC: {
        char id[IMP_CONTROL_MAX];
        if (imp_control_number(r, "001", id, sizeof id))
            imp_hset_add(&im->bib001, imp_hash(id, strlen(id)), ctx->record, NULL);
        if (!imp_may_import_bibs(im))
            imp_problem(im, ctx, "import-role",
                        "importing a bibliographic record needs role cataloger, which %s does "
                        "not have",
                        core_repo_user(im->repo));
        break;
    }
    case MARC_KIND_HOLDINGS:
        im->saw_holdings = true;
        imp_check_holdings(im, r, ctx);
        break;
    default:
        imp_problem(im, ctx, "import-kind",
                    "this is %s (leader/06 '%c'); only bibliographic and holdings records are "
                    "imported",
                    imp_kind_name(r), marc_record_leader(r)[6]);
        break;
    }
}

static int
check_pass(struct imp *im)
{
    int rc = CORE_OK;
    struct marc_reader *rd = open_pass(im, true, false, &rc);
    if (!rd)
        return rc;
    struct marc_record *r = marc_record_new();
    im->checking = true;
    int mrc;
    while ((mrc = marc_reader_next(rd, r)) == 1) {
        struct marc_decode_ctx ctx;
        record_ctx(rd, im, &ctx);
        check_record(im, r, &ctx);
        imp_progress(im, marc_reader_position(rd), ctx.record, 0, im->saw_holdings ? 3 : 2);
    }
    im->nrecords = marc_reader_record_number(rd);
    if (mrc < 0) {
        reader_failed(im, rd, mrc);
        char why[sizeof im->repo->errmsg];
        snprintf(why, sizeof why, "%s", core_repo_errmsg(im->repo));
        rc = repo_fail(im->repo, mrc == MARC_ERR_IO ? CORE_ERR_IO : CORE_ERR_INVALID,
                       "%.640s; nothing was imported", why);
    } else {
        imp_check_refs(im);
    }
    im->checking = false;
    marc_record_free(r);
    marc_reader_close(rd);
    if (rc != CORE_OK)
        return rc;
    if (im->problems > 0)
        return repo_fail(im->repo, CORE_ERR_INVALID,
                         "%ld problem(s) in %s (%s above); nothing was imported "
                         "(--permissive imports the records that can be)",
                         im->problems, im->name,
                         im->problems > IMP_MAX_REPORTED ? "the first ones listed" : "listed");
    return CORE_OK;
}

/* ---- the import passes ---- */

/* One record of the holdings pass. */
static int
holdings_record(struct imp *im, struct marc_record *r, struct marc_decode_ctx *ctx)
{
    if (marc_record_kind(r) != MARC_KIND_HOLDINGS)
        return CORE_OK;
    if (im->nrecords + ctx->record <= im->done) {
        im->rep->resumed++;
        return CORE_OK;
    }
    int rc = imp_batch_open(im);
    return rc == CORE_OK ? imp_store_holdings(im, r, ctx) : rc;
}

/* Read the file again for its holdings records (steps N + 1 ... 2N). */
static int
holdings_pass(struct imp *im, int pass)
{
    int rc = CORE_OK;
    struct marc_reader *rd = open_pass(im, false, true, &rc);
    if (!rd)
        return rc;
    struct marc_record *r = marc_record_new();
    int mrc;
    while ((mrc = marc_reader_next(rd, r)) == 1) {
        struct marc_decode_ctx ctx;
        record_ctx(rd, im, &ctx);
        rc = holdings_record(im, r, &ctx);
        if (rc == CORE_OK && im->in_tx && ++im->in_batch >= im->batch)
            rc = imp_batch_commit(im, im->nrecords + ctx.record, false);
        if (rc != CORE_OK)
            break;
        imp_progress(im, marc_reader_position(rd), ctx.record, pass, pass + 1);
    }
    if (rc == CORE_OK && mrc < 0)
        rc = reader_failed(im, rd, mrc);
    marc_record_free(r);
    marc_reader_close(rd);
    return rc;
}

/* Both passes; on failure the open batch is rolled back. */
static int
import_passes(struct imp *im, int first_pass)
{
    int rc = imp_bib_statements(im);
    if (rc == CORE_OK)
        rc = imp_bibs_pass(im, first_pass);
    if (rc == CORE_OK && im->saw_holdings) {
        if (im->nrecords > im->committed || im->in_tx)
            rc = imp_batch_commit(im, im->nrecords, false);
        if (rc == CORE_OK)
            rc = holdings_pass(im, first_pass + 1);
    }
    if (rc == CORE_OK)
        rc = imp_batch_commit(im, im->nrecords, true);
    if (rc != CORE_OK) {
        batch_abort(im);
        if (im->committed > 0 && im->committed > im->done) {
            char why[sizeof im->repo->errmsg];
            snprintf(why, sizeof why, "%s", core_repo_errmsg(im->repo));
            repo_fail(im->repo, rc,
                      "%.600s; the import stopped after committing %ld of its steps (whole "
                      "batches); running it again resumes it",
                      why, im->committed);
        }
    }
    return rc;
}

/* What the import changes for speed, as it was before (restored after). */
struct bulk_saved {
    long long synchronous, cache_size, wal_autocheckpoint;
    long long fts[3];
};

static const char *const fts_keys[3] = {"hashsize", "automerge", "crisismerge"};
static const long long fts_defaults[3] = {1048576, 4, 16}; /* FTS5's own */
static const long long fts_bulk[3] = {67108864, 0, 64};

static long long
query_int(struct imp *im, const char *sql, const char *arg, long long def)
{
    sqlite3_stmt *st = repo_stmt(im->repo, im->zone, sql);
    if (!st)
        return def;
    if (arg)
        repo_bind_text(st, 1, arg);
    long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : def;
    sqlite3_reset(st);
    return v;
}

static void
exec_quietly(struct imp *im, const char *sql)
{
    char *err = NULL;
    sqlite3_exec(im->repo->db, sql, NULL, NULL, &err); /* best effort: speed, not data */
    sqlite3_free(err);
}

static void
set_fts(struct imp *im, const long long v[3])
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO %s.bib_fts (bib_fts, rank) VALUES ('hashsize', %lld), "
             "('automerge', %lld), ('crisismerge', %lld)",
             repo_schema(im->zone), v[0], v[1], v[2]);
    exec_quietly(im, sql);
}

/*
 * Faster writes while importing.  WAL with synchronous=NORMAL never loses a
 * committed batch to a crash of the process (power loss can take the last
 * ones, never the file); a 256 MB page cache; checkpoints every 64 MB of
 * WAL.  FTS5 flushes its pending terms every 1 MB and merges every 4
 * segments: right for a record saved now and then, slow for a million at
 * once.  For the import: a 64 MB buffer, and segments merged only 64 at a
 * time (a fifth less work at a million records; an import killed before it
 * restores the settings leaves an index that still merges).  FTS5 keeps
 * its settings in the database, the pragmas hold for this connection.
 */
static void
bulk_begin(struct imp *im, struct bulk_saved *saved)
{
    const char *s = repo_schema(im->zone);
    char sql[160];
    snprintf(sql, sizeof sql, "PRAGMA %s.synchronous", s);
    saved->synchronous = query_int(im, sql, NULL, 2);
    snprintf(sql, sizeof sql, "PRAGMA %s.cache_size", s);
    saved->cache_size = query_int(im, sql, NULL, -2000);
    saved->wal_autocheckpoint = query_int(im, "PRAGMA wal_autocheckpoint", NULL, 1000);
    bool left = true; /* by an import killed before it restored them */
    for (int i = 0; i < 3; i++) {
        saved->fts[i] = query_int(im, "SELECT v FROM {Z}.bib_fts_config WHERE k = ?1", fts_keys[i],
                                  fts_defaults[i]);
        left = left && saved->fts[i] == fts_bulk[i];
    }
    if (left)
        memcpy(saved->fts, fts_defaults, sizeof saved->fts);
    snprintf(sql, sizeof sql,
             "PRAGMA %s.synchronous=NORMAL; PRAGMA %s.cache_size=-262144; "
             "PRAGMA wal_autocheckpoint=16384;",
             s, s);
    exec_quietly(im, sql);
    set_fts(im, fts_bulk);
}

static void
bulk_end(struct imp *im, const struct bulk_saved *saved)
{
    const char *s = repo_schema(im->zone);
    char sql[200];
    snprintf(sql, sizeof sql,
             "PRAGMA %s.synchronous=%lld; PRAGMA %s.cache_size=%lld; "
             "PRAGMA wal_autocheckpoint=%lld;",
             s, saved->synchronous, s, saved->cache_size, saved->wal_autocheckpoint);
    exec_quietly(im, sql);
    set_fts(im, saved->fts);
}

static void
imp_free(struct imp *im)
{
    if (im->fd >= 0)
        close(im->fd);
    marc_buf_free(&im->blob);
    imp_hset_free(&im->bib001);
    imp_hset_free(&im->barcodes);
    free(im->refs);
    free(im->taken);
}

/* The file was imported before: say so, import nothing. */
static int
already_done(struct imp *im, const char *when, const char *who)
{
    im->rep->resumed = im->done;
    return repo_fail(im->repo, CORE_OK,
                     "%s was imported into the %s on %s by %s (%ld records); nothing was "
                     "imported this time (--again imports it once more)",
                     im->name, core_zone_name(im->zone), when, who, im->done);
}

static int
start(struct imp *im, const char *path)
{
    if (!core_repo_has_zone(im->repo, im->zone))
        return repo_fail(im->repo, CORE_ERR_USER, "this repository has no %s",
                         core_zone_name(im->zone));
    int rc = core_require_role(
        im->repo, CORE_ROLE_CATALOGER | CORE_ROLE_CATALOGER_EXTENDED | CORE_ROLE_INVENTORY,
        "importing records");
    if (rc != CORE_OK)
        return rc;
    im->roles = core_user_roles(im->repo, core_repo_user(im->repo));
    return open_file(im, path);
}

int
core_import_file(struct core_repo *repo, const char *path, const struct core_import_opts *o,
                 struct core_import_report *rep)
{
    memset(rep, 0, sizeof *rep);
    struct imp im = {.repo = repo,
                     .zone = o->zone,
                     .o = o,
                     .rep = rep,
                     .fd = -1,
                     .name = strcmp(path, "-") == 0 ? "<stdin>" : path,
                     .batch = o->batch ? o->batch : IMPORT_BATCH_DEFAULT};
    int rc = start(&im, path);
    bool finished = false;
    char when[32] = "", who[64] = "";
    if (rc == CORE_OK)
        rc = load_run(&im, &finished, when, sizeof when, who, sizeof who);
    if (rc == CORE_OK && finished && !o->again) {
        rc = already_done(&im, when, who);
        imp_free(&im);
        return rc;
    }
    if (rc == CORE_OK && o->again && im.has_run) {
        im.restart = true;
        im.done = 0;
    }
    if (rc == CORE_OK && !o->permissive)
        rc = check_pass(&im);
    if (rc == CORE_OK) {
        struct bulk_saved saved;
        bulk_begin(&im, &saved);
        rc = import_passes(&im, o->permissive ? 0 : 1);
        bulk_end(&im, &saved);
    }
    imp_free(&im);
    return rc;
}
