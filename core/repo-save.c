/*
 * repo-save.c - changing a stored record: save, revert, delete, and the
 * version history they leave (SPEC §3.1, §3.6, §3.7).
 *
 * A save is one transaction that checks the version the editor started
 * from and the lock, moves the current content to the version table, writes
 * the new content and re-indexes.  Validation and character set work happen
 * before the transaction so that it stays short.
 */
#include "repo-int.h"

#include "lint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The stored row of a bib or holdings record, as a save needs it. */
struct current {
    enum core_zone zone;
    bool holdings;
    sqlite3_int64 id;
    int version;
    bool deleted;
    int fmt;
    char reason[16];
    time_t updated;
    char updated_by[64];
    char linked[CORE_MMS_MAX];
    int nholdings;
    struct marc_buf blob; /* stored bytes */
};

static int
read_current(struct core_repo *repo, const char *mms, struct current *c)
{
    memset(c, 0, sizeof *c);
    int rc = repo_zone_for(repo, mms, &c->zone);
    if (rc != CORE_OK)
        return rc;
    enum core_mms_type type = core_mms_parse(mms, NULL, NULL);
    if (type != CORE_MMS_BIB && type != CORE_MMS_HOLDINGS)
        return repo_fail(repo, CORE_ERR_USER, "%s is not a bib or holdings MMS ID", mms);
    c->holdings = type == CORE_MMS_HOLDINGS;
    sqlite3_stmt *st =
        c->holdings
            ? repo_stmt(repo, c->zone,
                        "SELECT id, version, NULL, fmt, reason, updated_at, updated_by, NULL, 0, "
                        "marc FROM {Z}.holding WHERE mms = ?1")
            : repo_stmt(repo, c->zone,
                        "SELECT id, version, deleted_at, fmt, reason, updated_at, updated_by, "
                        "linked, holdings, marc FROM {Z}.bib WHERE mms = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    int step = sqlite3_step(st);
    if (step != SQLITE_ROW) {
        sqlite3_reset(st);
        return step == SQLITE_DONE ? repo_fail(repo, CORE_ERR_NOTFOUND, "no record %s", mms)
                                   : repo_db_fail(repo, "reading a record");
    }
    c->id = sqlite3_column_int64(st, 0);
    c->version = sqlite3_column_int(st, 1);
    c->deleted = sqlite3_column_type(st, 2) != SQLITE_NULL;
    c->fmt = sqlite3_column_int(st, 3);
    snprintf(c->reason, sizeof c->reason, "%s", repo_col_text(st, 4));
    c->updated = (time_t)sqlite3_column_int64(st, 5);
    snprintf(c->updated_by, sizeof c->updated_by, "%s", repo_col_text(st, 6));
    snprintf(c->linked, sizeof c->linked, "%s", repo_col_text(st, 7));
    c->nholdings = sqlite3_column_int(st, 8);
    marc_buf_append(&c->blob, sqlite3_column_blob(st, 9), (size_t)sqlite3_column_bytes(st, 9));
    sqlite3_reset(st);
    return CORE_OK;
}

/* Content (blob, fmt) as it was at `at` by `user` for `reason` becomes
 * version `number` of mms in the history (repo-int.h). */
int
repo_version_insert(struct core_repo *repo, enum core_zone zone, const char *mms, int number,
                    const struct marc_buf *blob, int fmt, time_t at, const char *user,
                    const char *reason)
{
    sqlite3_stmt *st = repo_stmt(repo, zone,
                                 "INSERT INTO {Z}.version (mms, number, marc, fmt, at, user, "
                                 "reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    sqlite3_bind_int(st, 2, number);
    sqlite3_bind_blob(st, 3, blob->data, (int)blob->len, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, fmt);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)at);
    repo_bind_text(st, 6, user);
    repo_bind_text(st, 7, reason);
    int rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "keeping a version");
    sqlite3_reset(st);
    return rc;
}

/* The current content becomes version c->version in the history. */
static int
keep_version(struct core_repo *repo, const char *mms, const struct current *c)
{
    return repo_version_insert(repo, c->zone, mms, c->version, &c->blob, c->fmt, c->updated,
                               c->updated_by, c->reason);
}

static int
write_bib_row(struct core_repo *repo, const struct current *c, const struct marc_record *r,
              const char *reason, int fmt)
{
    core_bib_keys_extract(r, &repo->keys);
    const struct core_bib_keys *k = &repo->keys;
    sqlite3_stmt *st = repo_stmt(repo, c->zone,
                                 "UPDATE {Z}.bib SET marc = ?2, fmt = ?3, version = version + 1, "
                                 "reason = ?4, updated_at = ?5, updated_by = ?6, title = ?7, "
                                 "author = ?8, date = ?9, serial = ?10 WHERE id = ?1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, c->id);
    sqlite3_bind_blob(st, 2, repo->blob.data, (int)repo->blob.len, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, fmt);
    repo_bind_text(st, 4, reason);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)core_now());
    repo_bind_text(st, 6, repo->user);
    repo_bind_text(st, 7, k->title.data ? k->title.data : "");
    repo_bind_text(st, 8, k->author.data ? k->author.data : "");
    repo_bind_text(st, 9, k->date);
    sqlite3_bind_int(st, 10, k->serial);
    int rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "saving a record");
    sqlite3_reset(st);
    return rc;
}

static int
write_holdings_row(struct core_repo *repo, const struct current *c, const struct marc_record *r,
                   const char *reason, int fmt)
{
    struct core_holdings_keys hk;
    core_holdings_keys_extract(r, &hk);
    sqlite3_stmt *st = repo_stmt(repo, c->zone,
                                 "UPDATE {Z}.holding SET marc = ?2, fmt = ?3, version = version + "
                                 "1, reason = ?4, updated_at = ?5, updated_by = ?6, library = ?7, "
                                 "location = ?8, call_number = ?9 WHERE id = ?1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, c->id);
    sqlite3_bind_blob(st, 2, repo->blob.data, (int)repo->blob.len, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, fmt);
    repo_bind_text(st, 4, reason);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)core_now());
    repo_bind_text(st, 6, repo->user);
    repo_bind_text(st, 7, hk.library);
    repo_bind_text(st, 8, hk.location);
    repo_bind_text(st, 9, hk.call_number);
    int rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "saving a record");
    sqlite3_reset(st);
    return rc;
}

/* Keep the acting user's lock in step with a save, or drop it. */
static int
after_save_lock(struct core_repo *repo, const struct current *c, const char *mms, bool release)
{
    sqlite3_stmt *st =
        release ? repo_stmt(repo, c->zone, "DELETE FROM {Z}.lock WHERE mms = ?1 AND user = ?2")
                : repo_stmt(repo, c->zone,
                            "UPDATE {Z}.lock SET version = ?3, seen = ?4 WHERE mms = ?1 AND "
                            "user = ?2");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    repo_bind_text(st, 2, repo->user);
    if (!release) {
        sqlite3_bind_int(st, 3, c->version + 1);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)core_now());
    }
    int rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "updating the lock");
    sqlite3_reset(st);
    return rc;
}

static int
save_checks(struct core_repo *repo, const char *mms, const struct current *c, int base_version)
{
    if (c->deleted)
        return repo_fail(repo, CORE_ERR_USER, "%s has been deleted", mms);
    if (base_version > 0 && base_version != c->version) {
        char when[32];
        core_format_time(c->updated, when, sizeof when);
        return repo_fail(repo, CORE_ERR_CONFLICT,
                         "%s changed since you opened it (you have version %d; it is now version "
                         "%d, saved by %s at %s); nothing was saved",
                         mms, base_version, c->version, c->updated_by, when);
    }
    return repo_lock_check(repo, c->zone, mms, NULL);
}

/* The transaction of a save; r is ready (normalised, stamped, validated). */
static int
save_tx(struct core_repo *repo, const char *mms, const struct marc_record *r, int base_version,
        const char *reason, bool release, struct current *c)
{
    int rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    int fmt;
    rc = read_current(repo, mms, c);
    if (rc == CORE_OK)
        rc = repo_nz_read_only(repo, c->zone, "changing a network zone record");
    if (rc == CORE_OK)
        rc = save_checks(repo, mms, c, base_version);
    if (rc == CORE_OK)
        rc = keep_version(repo, mms, c);
    if (rc == CORE_OK && !c->holdings) {
        /* Old index entries come from the old content: decode it first. */
        rc = repo_decode(repo, c->blob.data, c->blob.len, c->fmt, repo->scratch);
        if (rc == CORE_OK)
            rc = repo_index_bib(repo, c->zone, c->id, repo->scratch, false);
        if (rc == CORE_OK)
            rc = repo_encode(repo, r, &repo->blob, &fmt);
        if (rc == CORE_OK)
            rc = write_bib_row(repo, c, r, reason, fmt);
        if (rc == CORE_OK)
            rc = repo_index_bib(repo, c->zone, c->id, r, true);
        /* IZ bibs linked to a network record store and index its content. */
        if (rc == CORE_OK && c->zone == CORE_ZONE_NZ)
            rc = repo_link_nz_changed(repo, mms);
    } else if (rc == CORE_OK) {
        rc = repo_encode(repo, r, &repo->blob, &fmt);
        if (rc == CORE_OK)
            rc = write_holdings_row(repo, c, r, reason, fmt);
    }
    if (rc == CORE_OK)
        rc = after_save_lock(repo, c, mms, release);
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    return repo_commit(repo);
}

/* Role needed to change a record of this kind. */
static int
edit_role(struct core_repo *repo, const char *mms)
{
    if (core_mms_parse(mms, NULL, NULL) == CORE_MMS_HOLDINGS)
        return core_require_role(repo, CORE_ROLE_INVENTORY, "editing holdings");
    return core_require_role(repo, CORE_ROLE_CATALOGER | CORE_ROLE_CATALOGER_EXTENDED,
                             "editing a bibliographic record");
}

int
core_record_save(struct core_repo *repo, const char *mms, struct marc_record *r, int base_version,
                 const char *reason, bool release, marc_diag_fn diag, void *dctx,
                 int *new_version)
{
    int rc = edit_role(repo, mms);
    if (rc != CORE_OK)
        return rc;
    /* A linked IZ bib: local fields to the IZ row, shared ones to the NZ (repo-link.c). */
    char nz[CORE_MMS_MAX];
    rc = repo_link_target(repo, mms, nz);
    if (rc != CORE_OK || nz[0])
        return rc != CORE_OK ? rc
                             : repo_link_save(repo, mms, nz, r, base_version, reason ? reason : "edit",
                                              release, diag, dctx, new_version);
    rc = repo_normalize(repo, r, diag, dctx);
    if (rc != CORE_OK)
        return rc;
    repo_stamp(r, mms, core_now());
    rc = repo_validate(repo, r, diag, dctx);
    if (rc != CORE_OK)
        return rc;
    struct current c;
    rc = save_tx(repo, mms, r, base_version, reason ? reason : "edit", release, &c);
    if (rc == CORE_OK && new_version)
        *new_version = c.version + 1;
    marc_buf_free(&c.blob);
    return rc;
}

/* ---- versions ---- */

int
core_versions_list(struct core_repo *repo, const char *mms, struct core_version **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct core_record_info info;
    int rc = core_record_get(repo, mms, NULL, &info);
    if (rc != CORE_OK)
        return rc;
    sqlite3_stmt *st = repo_stmt(repo, info.zone,
                                 "SELECT number, at, user, reason FROM {Z}.version WHERE mms = ?1 "
                                 "ORDER BY number");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    size_t cap = 8;
    *out = xmalloc(cap * sizeof **out);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n + 1 == cap) {
            cap *= 2;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        struct core_version *v = &(*out)[(*n)++];
        memset(v, 0, sizeof *v);
        v->number = sqlite3_column_int(st, 0);
        v->at = (time_t)sqlite3_column_int64(st, 1);
        snprintf(v->user, sizeof v->user, "%s", repo_col_text(st, 2));
        snprintf(v->reason, sizeof v->reason, "%s", repo_col_text(st, 3));
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return repo_db_fail(repo, "listing versions");
    struct core_version *cur = &(*out)[(*n)++];
    memset(cur, 0, sizeof *cur);
    cur->number = info.version;
    cur->at = info.updated;
    snprintf(cur->user, sizeof cur->user, "%s", info.updated_by);
    snprintf(cur->reason, sizeof cur->reason, "%s", info.reason);
    cur->current = true;
    return CORE_OK;
}

int
core_version_get(struct core_repo *repo, const char *mms, int number, struct marc_record *r)
{
    struct core_record_info info;
    int rc = core_record_get(repo, mms, NULL, &info);
    if (rc != CORE_OK)
        return rc;
    if (number == info.version)
        return core_record_get(repo, mms, r, NULL);
    sqlite3_stmt *st = repo_stmt(repo, info.zone,
                                 "SELECT marc, fmt FROM {Z}.version WHERE mms = ?1 AND number = ?2");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    sqlite3_bind_int(st, 2, number);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        rc = repo_decode(repo, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                         sqlite3_column_int(st, 1), r);
    sqlite3_reset(st);
    if (step == SQLITE_DONE)
        return repo_fail(repo, CORE_ERR_NOTFOUND, "%s has no version %d (versions 1 to %d)", mms,
                         number, info.version);
    return step == SQLITE_ROW ? rc : repo_db_fail(repo, "reading a version");
}

int
core_record_revert(struct core_repo *repo, const char *mms, int number, int *new_version)
{
    struct core_record_info info;
    int rc = core_record_get(repo, mms, NULL, &info);
    if (rc != CORE_OK)
        return rc;
    if (info.deleted)
        return repo_fail(repo, CORE_ERR_USER, "%s has been deleted", mms);
    if (number == info.version)
        return repo_fail(repo, CORE_ERR_USER, "version %d is already the current one", number);
    struct marc_record *r = marc_record_new();
    rc = core_version_get(repo, mms, number, r);
    if (rc == CORE_OK)
        rc = edit_role(repo, mms);
    /* A linked IZ bib: back to a version from before the link unlinks it (link.h). */
    if (rc == CORE_OK && info.linked[0] && info.zone == CORE_ZONE_IZ) {
        rc = repo_link_revert(repo, mms, info.linked, r, info.version, new_version);
        marc_record_free(r);
        return rc;
    }
    if (rc == CORE_OK) {
        repo_stamp(r, mms, core_now());
        struct current c;
        /* An old version may not pass today's validation: it was accepted
         * once, and reverting must always be possible. */
        rc = save_tx(repo, mms, r, info.version, "revert", false, &c);
        if (rc == CORE_OK && new_version)
            *new_version = c.version + 1;
        marc_buf_free(&c.blob);
    }
    marc_record_free(r);
    return rc;
}

/* ---- delete ---- */

static int
delete_checks(struct core_repo *repo, const char *mms, const struct current *c)
{
    if (c->holdings)
        return repo_fail(repo, CORE_ERR_USER,
                         "%s is a holdings record; holdings are deleted or relinked with their "
                         "items (inventory)",
                         mms);
    if (c->deleted)
        return repo_fail(repo, CORE_ERR_USER, "%s is already deleted", mms);
    int ro = repo_nz_read_only(repo, c->zone, "deleting a network zone record");
    if (ro != CORE_OK)
        return ro;
    if (c->nholdings > 0)
        return repo_fail(repo, CORE_ERR_USER,
                         "%s has %d holdings record(s); relink or delete them first", mms,
                         c->nholdings);
    if (c->linked[0])
        return repo_fail(repo, CORE_ERR_USER,
                         "%s is linked to network zone record %s; unlink it first (colophon "
                         "unlink %s)",
                         mms, c->linked, mms);
    if (c->zone == CORE_ZONE_NZ) { /* an IZ bib linked to it reads its content */
        int rc = repo_link_in_use(repo, mms);
        if (rc != CORE_OK)
            return rc;
    }
    return repo_lock_check(repo, c->zone, mms, NULL);
}

int
core_record_delete(struct core_repo *repo, const char *mms)
{
    int rc = core_require_role(repo, CORE_ROLE_CATALOGER_EXTENDED, "deleting a bibliographic record");
    if (rc != CORE_OK)
        return rc;
    rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    struct current c;
    rc = read_current(repo, mms, &c);
    if (rc == CORE_OK)
        rc = delete_checks(repo, mms, &c);
    if (rc == CORE_OK)
        rc = keep_version(repo, mms, &c);
    if (rc == CORE_OK)
        rc = repo_decode(repo, c.blob.data, c.blob.len, c.fmt, repo->scratch);
    if (rc == CORE_OK)
        rc = repo_index_bib(repo, c.zone, c.id, repo->scratch, false);
    if (rc == CORE_OK) {
        /* The tombstone keeps the last content (readable, revertible from
         * the versions) and the MMS ID, which is never reused. */
        sqlite3_stmt *st = repo_stmt(repo, c.zone,
                                     "UPDATE {Z}.bib SET deleted_at = ?2, deleted_by = ?3, "
                                     "version = version + 1, reason = 'delete', updated_at = ?2, "
                                     "updated_by = ?3 WHERE id = ?1");
        rc = st ? CORE_OK : CORE_ERR_DB;
        if (st) {
            sqlite3_bind_int64(st, 1, c.id);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)core_now());
            repo_bind_text(st, 3, repo->user);
            rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "deleting");
            sqlite3_reset(st);
        }
    }
    /* The original-001 key stays: lookups by it skip deleted bibs. */
    if (rc == CORE_OK)
        rc = repo_lock_clear(repo, c.zone, mms);
    marc_buf_free(&c.blob);
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    return repo_commit(repo);
}
