/*
 * repo-int.h - what the repository's files share (repo*.c, search.c,
 * import.c): the struct body, SQLite helpers and the schema names of the
 * zones.  The only header of Colophon that includes sqlite3.h; code outside
 * these files goes through repo.h.
 */
#ifndef CORE_REPO_INT_H
#define CORE_REPO_INT_H

#include "ident.h"
#include "repo.h"

#include "buf.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdarg.h>

#define REPO_SCHEMA_VERSION 2

struct repo_stmt {
    char *raw;          /* the SQL as the caller wrote it, with {Z}. */
    enum core_zone zone;
    uint64_t hash;
    sqlite3_stmt *stmt;
};

struct core_repo {
    sqlite3 *db;
    char *dir;
    char *user;
    char zone_code[CORE_NZONES][5];
    bool has_zone[CORE_NZONES];
    char errmsg[768];
    char config_value[512];
    int tx_depth;
    struct repo_stmt *cache; /* prepared statements by SQL text and zone */
    size_t ncache, capcache;
    size_t *index;           /* hash table of cache slots + 1 (0 = empty) */
    size_t nindex;
    struct core_bib_keys keys;     /* scratch for indexing */
    struct marc_buf blob;          /* scratch for encoding */
    struct marc_record *scratch;   /* scratch record */
    bool nz_remote;                /* the NZ is a server; "nz" is its copy (nzremote.h) */
    bool job_stop;                 /* core_job_stop asked the running job to stop */
    bool (*stop)(void *ctx);       /* repo_set_stop: asked while SQLite works */
    void *stop_ctx;
    bool stopped;                  /* stop said yes: SQLite was interrupted */
};

/*
 * While fn is set, SQLite asks fn(ctx) every few thousand virtual-machine
 * steps of this connection's statements and, when it says true, stops the
 * running statement (SQLITE_INTERRUPT) and sets repo->stopped.  NULL takes
 * it away.  Does nothing while the crash-injection hook owns SQLite's
 * progress handler (a test environment, repo.c).
 */
void repo_set_stop(struct core_repo *repo, bool (*fn)(void *ctx), void *ctx);

/* SQLite schema of a zone: "main", "nz", "cz". */
const char *repo_schema(enum core_zone zone);

/* Set the message and return code (printf style). */
int repo_fail(struct core_repo *repo, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* After a failed SQLite call: message with SQLite's text; BUSY/LOCKED become
 * CORE_ERR_CONFLICT (another process holds the database longer than the
 * busy timeout), everything else CORE_ERR_DB. */
int repo_db_fail(struct core_repo *repo, const char *what);

/*
 * A prepared statement for `sql`, from the cache (reset, bindings cleared).
 * The SQL may name a zone's tables with "{Z}." which is replaced by the
 * zone's schema ("main.", "nz.").  NULL after repo_db_fail.
 */
sqlite3_stmt *repo_stmt(struct core_repo *repo, enum core_zone zone, const char *sql);

/* Nested-safe write transaction (BEGIN IMMEDIATE at depth 0). */
int repo_begin(struct core_repo *repo);
int repo_commit(struct core_repo *repo);
void repo_rollback(struct core_repo *repo);

/* Is process pid of host alive?  (Not when host is another machine.) */
bool repo_process_alive(int pid, const char *host);

/* Crash tests (repo.c): SIGKILL here when COLOPHON_CRASH_POINT is `name`
 * (nothing in builds with NDEBUG), for a point between two transactions
 * that instruction counts cannot aim at reliably. */
void repo_crash_point(const char *name);

/* Run SQL text (no results) on the repository; CORE_OK or a db failure. */
int repo_exec(struct core_repo *repo, const char *sql);

/* Allocate the next MMS ID of `type` in `zone` (inside a transaction). */
int repo_next_mms(struct core_repo *repo, enum core_zone zone, enum core_mms_type type,
                  char *out /* CORE_MMS_MAX */);

/* ---- storage (repo-record.c) ---- */

/* Encode a record for storage: ISO 2709 (fmt 0), MARCXML when too long (fmt 1). */
int repo_encode(struct core_repo *repo, const struct marc_record *r, struct marc_buf *out,
                int *fmt);
int repo_decode(struct core_repo *repo, const void *blob, size_t len, int fmt,
                struct marc_record *r);
/* Make r storable: MARC-8 converted to UTF-8, NFC.  CORE_ERR_INVALID on bad charset data. */
int repo_normalize(struct core_repo *repo, struct marc_record *r, marc_diag_fn diag, void *ctx);
/* The original 001 (with 003 as "(ORG)") kept as a 035 $a when the MMS ID
 * replaces it (not twice); orig receives the bare 001 ("" when none), the
 * value of the bib's 'c:' key that MFHD 004 fields point to. */
void repo_keep_old_001(struct marc_record *r, char *orig, size_t size);
/* Set 005 to `now` (local time, yyyymmddhhmmss.f) and 001 to `mms`. */
void repo_stamp(struct marc_record *r, const char *mms, time_t now);
/* Validate for saving: CORE_ERR_INVALID when lint reports errors (all to diag). */
int repo_validate(struct core_repo *repo, const struct marc_record *r, marc_diag_fn diag,
                  void *ctx);
/* Add (add=true) or remove a bib's content-derived index entries (ident, FTS). */
/* bib_fts's tokenizer, to cut text into the index's words (repo-record.c);
 * *t is freed with tok->xDelete. */
int repo_fts_tokenizer(struct core_repo *repo, fts5_tokenizer *tok, Fts5Tokenizer **t,
                       const char *what);
/* One bib's words in (add) or out of the zone's FTS5 index (repo-record.c). */
int repo_fts_row(struct core_repo *repo, enum core_zone zone, sqlite3_int64 id,
                 const struct core_bib_keys *k, bool add);
/* Append a row to the zone's version history (repo-save.c). */
int repo_version_insert(struct core_repo *repo, enum core_zone zone, const char *mms, int number,
                        const struct marc_buf *blob, int fmt, time_t at, const char *user,
                        const char *reason);
int repo_index_bib(struct core_repo *repo, enum core_zone zone, sqlite3_int64 id,
                   const struct marc_record *r, bool add);
/* Add one identifier key ("o:123") for bib id. */
int repo_add_key(struct core_repo *repo, enum core_zone zone, sqlite3_int64 id, char kind,
                 const char *value);
/* Zone of an MMS ID, or a CORE_ERR_NOTFOUND message naming it. */
int repo_zone_for(struct core_repo *repo, const char *mms, enum core_zone *zone);

/* Insert an item under holdings row `hid` (inside a transaction; bib's item count kept). */
int repo_item_insert(struct core_repo *repo, enum core_zone zone, sqlite3_int64 hid,
                     const struct core_item_info *item, char *mms_out);

/* ---- notes, assignments, reminders (repo-notes.c) ---- */

/* A bib that notes, reminders and assignments attach to: an existing,
 * undeleted bib of the IZ or NZ (the CZ is read-only).  `what` names the
 * action in messages; info may be NULL. */
int repo_wf_target(struct core_repo *repo, const char *mms, const char *what,
                   enum core_zone *zone /* OUT */, struct core_record_info *info /* OUT */);
/* Free text as users type it: valid UTF-8, at most max bytes, no control
 * characters but tab and line breaks, and not blank unless may_be_empty. */
int repo_wf_text(struct core_repo *repo, const char *what, const char *text, size_t max,
                 bool may_be_empty);
/* CORE_OK when the acting user may change or delete what `author` wrote:
 * the author (still a cataloger), or a cataloger-extended or admin user. */
int repo_wf_may_change(struct core_repo *repo, const char *author, const char *what);

/* ---- network zone links (repo-link.c, repo-link-find.c; link.h) ---- */

struct core_local_tags;
struct core_link_result;

/* nz_mms receives the NZ MMS ID IZ bib mms is linked to ("" when it is not,
 * or is no IZ bib). */
int repo_link_target(struct core_repo *repo, const char *mms, char *nz_mms /* CORE_MMS_MAX */);
/* r holds a linked IZ bib's stored content: make it the network record
 * nz_mms's current content with r's local fields (left as stored when the
 * network record cannot be found). */
int repo_link_compose(struct core_repo *repo, const char *nz_mms, struct marc_record *r);
/* core_record_save and core_record_revert of a linked IZ bib (link.h). */
int repo_link_save(struct core_repo *repo, const char *mms, const char *nz_mms,
                   struct marc_record *r, int base_version, const char *reason, bool release,
                   marc_diag_fn diag, void *diag_ctx, int *new_version);
int repo_link_revert(struct core_repo *repo, const char *mms, const char *nz_mms,
                     struct marc_record *r, int base_version, int *new_version);
/* Inside a transaction, after network bib nz_mms was saved: the IZ bibs
 * linked to it store and index its new content (a new IZ version each). */
int repo_link_nz_changed(struct core_repo *repo, const char *nz_mms);
/* The redo log of linked saves (link.h): finish or drop the pending saves
 * of IZ bib mms (every one when NULL) whose process is gone. */
int repo_link_recover(struct core_repo *repo, const char *mms);
/* Inside a transaction: CORE_ERR_USER when an IZ bib is linked to nz_mms. */
int repo_link_in_use(struct core_repo *repo, const char *nz_mms);
/* The configured local tags (strict: a malformed setting is an error). */
int repo_link_local_tags(struct core_repo *repo, struct core_local_tags *t, bool strict);
/* Inside a transaction: link, or contribute and link (every check included). */
int repo_link_to_tx(struct core_repo *repo, const char *mms, const char *nz_mms,
                    const struct core_local_tags *tags, struct core_link_result *res);
int repo_link_contribute_tx(struct core_repo *repo, const char *mms,
                            const struct core_local_tags *tags, struct core_link_result *res);

/* ---- a remote network zone (repo-nzremote.c; nzremote.h) ---- */

struct core_search_opts;
struct core_results;

/* CORE_OK, or CORE_ERR_USER when `zone` is a remote network zone's copy:
 * `what` ("editing a record") is done on the network zone's server. */
int repo_nz_read_only(struct core_repo *repo, enum core_zone zone, const char *what);
/* Fetch network record nz_mms from the server into the copy (NOTFOUND:
 * the server has none; the copy, if any, is marked deleted). */
int repo_nz_fetch(struct core_repo *repo, const char *nz_mms);
/* Search the server for the network records an IZ bib with keys k could
 * be linked to: by its identifiers (OCLC numbers of both kinds, ISSN,
 * ISBN, LCCN), or with by_title by its brief title; every record returned
 * is copied, and its row id in the copy appended to *ids (heap, *n). */
int repo_nz_prime(struct core_repo *repo, const struct core_bib_keys *k, bool by_title,
                  sqlite3_int64 **ids, size_t *n);
/* Contribute `shared` (no 001) to the server: nz_mms gets the new MMS ID,
 * the copy the record as the server stored it. */
int repo_nz_contribute(struct core_repo *repo, const struct marc_record *shared,
                       char *nz_mms /* CORE_MMS_MAX */);
/* Send r as the new content of network record nz_mms; then fetch it back. */
int repo_nz_replace(struct core_repo *repo, const char *nz_mms, const struct marc_record *r);
/* Fetch the network records IZ bibs are linked to (mms's, or all); *missing
 * counts those the server no longer has. */
int repo_nz_fetch_linked(struct core_repo *repo, const char *mms, long *missing);
/* core_search in a remote network zone: the server searches. */
int repo_nz_search(struct core_repo *repo, const char *query, const struct core_search_opts *o,
                   struct core_results *out);

/* ---- locks (repo-lock.c) ---- */

/* Inside a transaction: CORE_ERR_CONFLICT (message "locked by ...") when
 * someone other than the acting user holds a live lock on mms. */
int repo_lock_check(struct core_repo *repo, enum core_zone zone, const char *mms,
                    struct core_lock_info *holder /* OUT, may be NULL */);
/* Drop every lock and draft on mms (after a delete). */
int repo_lock_clear(struct core_repo *repo, enum core_zone zone, const char *mms);

/* Bind helpers returning false on failure (after repo_db_fail). */
static inline void
repo_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

/* Column text or "" (never NULL). */
static inline const char *
repo_col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

#endif
