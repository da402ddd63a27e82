/*
 * repo-record.c - records in the repository: reading, creating, saving with
 * versions, reverting, deleting, and keeping the search indexes in step.
 *
 * Every write is one transaction: the previous content goes to the version
 * table, the new content replaces it, the identifier and full-text entries
 * derived from the old content are removed and the new ones added.  A save
 * checks the version the editor started from (no lost update, SPEC §8) and
 * the lock (SPEC §2).
 */
#include "repo-int.h"

#include "charset.h"
#include "iso2709.h"
#include "lint.h"
#include "marcxml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- storage ---- */

int
repo_encode(struct core_repo *repo, const struct marc_record *r, struct marc_buf *out, int *fmt)
{
    marc_buf_reset(out);
    struct marc_diag err;
    if (marc_iso2709_encode(r, out, &err) == MARC_OK) {
        *fmt = 0;
        return CORE_OK;
    }
    marc_buf_reset(out); /* over ISO 2709's limits: keep it whole as MARCXML */
    if (marc_marcxml_encode(r, out, &err) != MARC_OK)
        return repo_fail(repo, CORE_ERR_INVALID, "the record cannot be stored: %s", err.message);
    *fmt = 1;
    return CORE_OK;
}

int
repo_decode(struct core_repo *repo, const void *blob, size_t len, int fmt, struct marc_record *r)
{
    struct marc_decode_ctx ctx = {.record = 1};
    int rc = fmt == 1 ? marc_marcxml_decode(r, blob, len, &ctx)
                      : marc_iso2709_decode(r, blob, len, &ctx);
    if (rc != MARC_OK)
        return repo_fail(repo, CORE_ERR_DB, "a stored record could not be read back (format %d)",
                         fmt);
    return CORE_OK;
}

int
repo_normalize(struct core_repo *repo, struct marc_record *r, marc_diag_fn diag, void *dctx)
{
    struct marc_decode_ctx ctx = {.record = 1, .offset = -1, .diag = diag, .diag_ctx = dctx};
    if (!marc_record_is_utf8(r) && marc_charset_to_utf8(r, &ctx) != MARC_OK)
        return repo_fail(repo, CORE_ERR_INVALID,
                         "the record's MARC-8 text cannot be converted to UTF-8");
    if (marc_charset_normalize(r, MARC_NF_NFC, &ctx) != MARC_OK)
        return repo_fail(repo, CORE_ERR_INVALID, "the record's text is not valid UTF-8");
    return CORE_OK;
}

/* Replace the first field `tag` (or add one) with a control value. */
static void
set_control(struct marc_record *r, const char *tag, const char *value)
{
    long i = marc_record_find(r, tag, 0);
    if (i >= 0 && marc_field_is_control(marc_record_field(r, (size_t)i))) {
        marc_record_set_control(r, (size_t)i, value, strlen(value));
        return;
    }
    /* A 00X data field (a non-MARC 21 record) gives way to the control field:
     * two 001s would be worse. */
    if (i >= 0)
        marc_record_delete_field(r, (size_t)i);
    marc_record_add_control(r, tag, value, strlen(value));
}

void
repo_stamp(struct marc_record *r, const char *mms, time_t now)
{
    if (mms)
        set_control(r, "001", mms);
    struct tm tm;
    localtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S.0", &tm);
    set_control(r, "005", stamp);
}

int
repo_validate(struct core_repo *repo, const struct marc_record *r, marc_diag_fn diag, void *dctx)
{
    struct marc_decode_ctx ctx = {.record = 1, .offset = -1, .diag = diag, .diag_ctx = dctx};
    int errors = marc_lint_record(r, &ctx);
    if (errors > 0)
        return repo_fail(repo, CORE_ERR_INVALID,
                         "the record has %d validation error(s); nothing was saved", errors);
    return CORE_OK;
}

int
repo_zone_for(struct core_repo *repo, const char *mms, enum core_zone *zone)
{
    int z = core_repo_zone_of(repo, mms);
    if (z < 0) {
        if (core_mms_parse(mms, NULL, NULL) == CORE_MMS_NONE)
            return repo_fail(repo, CORE_ERR_USER, "'%s' is not an MMS ID", mms ? mms : "");
        return repo_fail(repo, CORE_ERR_NOTFOUND,
                         "%s belongs to no zone of this repository (IZ %s, NZ %s)", mms,
                         repo->zone_code[CORE_ZONE_IZ], repo->zone_code[CORE_ZONE_NZ]);
    }
    *zone = (enum core_zone)z;
    return CORE_OK;
}

/* ---- indexes ---- */

int
repo_add_key(struct core_repo *repo, enum core_zone zone, sqlite3_int64 id, char kind,
             const char *value)
{
    sqlite3_stmt *st =
        repo_stmt(repo, zone, "INSERT OR IGNORE INTO {Z}.ident (key, bib) VALUES (?1, ?2)");
    if (!st)
        return CORE_ERR_DB;
    char key[CORE_IDENT_MAX + 4];
    snprintf(key, sizeof key, "%c:%s", kind, value);
    repo_bind_text(st, 1, key);
    sqlite3_bind_int64(st, 2, id);
    int rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "indexing");
    sqlite3_reset(st);
    return rc;
}

static int
remove_key(struct core_repo *repo, enum core_zone zone, sqlite3_int64 id, char kind,
           const char *value)
{
    sqlite3_stmt *st = repo_stmt(repo, zone, "DELETE FROM {Z}.ident WHERE key = ?1 AND bib = ?2");
    if (!st)
        return CORE_ERR_DB;
    char key[CORE_IDENT_MAX + 4];
    snprintf(key, sizeof key, "%c:%s", kind, value);
    repo_bind_text(st, 1, key);
    sqlite3_bind_int64(st, 2, id);
    int rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "indexing");
    sqlite3_reset(st);
    return rc;
}

int
repo_index_bib(struct core_repo *repo, enum core_zone zone, sqlite3_int64 id,
               const struct marc_record *r, bool add)
{
    struct core_bib_keys *k = &repo->keys;
    core_bib_keys_extract(r, k);
    int rc = CORE_OK;
    for (size_t i = 0; rc == CORE_OK && i < k->nids; i++)
        rc = add ? repo_add_key(repo, zone, id, k->ids[i].kind, k->ids[i].value)
                 : remove_key(repo, zone, id, k->ids[i].kind, k->ids[i].value);
    return rc == CORE_OK ? repo_fts_row(repo, zone, id, k, add) : rc;
}

/* The words of one FTS5 row in or out: a contentless FTS5 table forgets a
 * row only when told its exact words. */
int
repo_fts_row(struct core_repo *repo, enum core_zone zone, sqlite3_int64 id,
             const struct core_bib_keys *k, bool add)
{
    sqlite3_stmt *st =
        add ? repo_stmt(repo, zone,
                        "INSERT INTO {Z}.bib_fts (rowid, title, author, subject, other) "
                        "VALUES (?1, ?2, ?3, ?4, ?5)")
            : repo_stmt(repo, zone,
                        "INSERT INTO {Z}.bib_fts (bib_fts, rowid, title, author, subject, other) "
                        "VALUES ('delete', ?1, ?2, ?3, ?4, ?5)");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    const struct marc_buf *cols[] = {&k->fts_title, &k->fts_author, &k->fts_subject, &k->fts_other};
    for (int c = 0; c < 4; c++)
        sqlite3_bind_text(st, 2 + c, cols[c]->data ? cols[c]->data : "", (int)cols[c]->len,
                          SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "indexing text");
    sqlite3_reset(st);
    return rc;
}

/* ---- reading ---- */

static void
fill_info_common(struct core_record_info *info, sqlite3_stmt *st, const char *mms,
                 enum core_zone zone, enum core_mms_type type)
{
    memset(info, 0, sizeof *info);
    snprintf(info->mms, sizeof info->mms, "%s", mms);
    info->zone = zone;
    info->type = type;
    info->version = sqlite3_column_int(st, 2);
    snprintf(info->reason, sizeof info->reason, "%s", repo_col_text(st, 3));
    info->created = (time_t)sqlite3_column_int64(st, 4);
    snprintf(info->created_by, sizeof info->created_by, "%s", repo_col_text(st, 5));
    info->updated = (time_t)sqlite3_column_int64(st, 6);
    snprintf(info->updated_by, sizeof info->updated_by, "%s", repo_col_text(st, 7));
}

static int
get_bib(struct core_repo *repo, enum core_zone zone, const char *mms, struct marc_record *r,
        struct core_record_info *info)
{
    sqlite3_stmt *st = repo_stmt(
        repo, zone,
        "SELECT marc, fmt, version, reason, created_at, created_by, updated_at, updated_by, "
        "linked, deleted_at, holdings, items, title, author, date FROM {Z}.bib WHERE mms = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    int step = sqlite3_step(st);
    if (step != SQLITE_ROW) {
        sqlite3_reset(st);
        return step == SQLITE_DONE ? repo_fail(repo, CORE_ERR_NOTFOUND, "no record %s", mms)
                                   : repo_db_fail(repo, "reading a record");
    }
    int rc = CORE_OK;
    if (r)
        rc = repo_decode(repo, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                         sqlite3_column_int(st, 1), r);
    if (info) {
        fill_info_common(info, st, mms, zone, CORE_MMS_BIB);
        snprintf(info->linked, sizeof info->linked, "%s", repo_col_text(st, 8));
        info->deleted = sqlite3_column_type(st, 9) != SQLITE_NULL;
        info->holdings = sqlite3_column_int(st, 10);
        info->items = sqlite3_column_int(st, 11);
        snprintf(info->title, sizeof info->title, "%s", repo_col_text(st, 12));
        snprintf(info->author, sizeof info->author, "%s", repo_col_text(st, 13));
        snprintf(info->date, sizeof info->date, "%s", repo_col_text(st, 14));
    }
    /* A linked IZ bib reads as its network record's current content with
     * the IZ's local fields (repo-link.c, link.h). */
    char linked[CORE_MMS_MAX];
    snprintf(linked, sizeof linked, "%s", zone == CORE_ZONE_IZ ? repo_col_text(st, 8) : "");
    sqlite3_reset(st);
    if (rc == CORE_OK && r && linked[0])
        rc = repo_link_compose(repo, linked, r);
    return rc;
}

static int
get_holdings(struct core_repo *repo, enum core_zone zone, const char *mms, struct marc_record *r,
             struct core_record_info *info)
{
    sqlite3_stmt *st = repo_stmt(
        repo, zone,
        "SELECT h.marc, h.fmt, h.version, h.reason, h.created_at, h.created_by, h.updated_at, "
        "h.updated_by, b.mms, (SELECT count(*) FROM {Z}.item i WHERE i.holding = h.id), "
        "b.title, b.author FROM {Z}.holding h JOIN {Z}.bib b ON b.id = h.bib WHERE h.mms = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    int step = sqlite3_step(st);
    if (step != SQLITE_ROW) {
        sqlite3_reset(st);
        return step == SQLITE_DONE ? repo_fail(repo, CORE_ERR_NOTFOUND, "no record %s", mms)
                                   : repo_db_fail(repo, "reading a record");
    }
    int rc = CORE_OK;
    if (r)
        rc = repo_decode(repo, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                         sqlite3_column_int(st, 1), r);
    if (info) {
        fill_info_common(info, st, mms, zone, CORE_MMS_HOLDINGS);
        snprintf(info->bib, sizeof info->bib, "%s", repo_col_text(st, 8));
        info->items = sqlite3_column_int(st, 9);
        snprintf(info->title, sizeof info->title, "%s", repo_col_text(st, 10));
        snprintf(info->author, sizeof info->author, "%s", repo_col_text(st, 11));
    }
    sqlite3_reset(st);
    return rc;
}

int
core_record_get(struct core_repo *repo, const char *mms, struct marc_record *r,
                struct core_record_info *info)
{
    enum core_zone zone;
    int rc = repo_zone_for(repo, mms, &zone);
    if (rc != CORE_OK)
        return rc;
    switch (core_mms_parse(mms, NULL, NULL)) {
    case CORE_MMS_BIB:
        return get_bib(repo, zone, mms, r, info);
    case CORE_MMS_HOLDINGS:
        return get_holdings(repo, zone, mms, r, info);
    default:
        return repo_fail(repo, CORE_ERR_USER,
                         "%s is an item ID; items have no MARC record (see 'colophon show' of "
                         "its holdings)",
                         mms);
    }
}

/* ---- creating ---- */

void
repo_keep_old_001(struct marc_record *r, char *orig, size_t size)
{
    orig[0] = '\0';
    size_t len;
    const char *v = marc_record_value(r, "001", 0, &len);
    if (!v || !len)
        return;
    while (len && v[len - 1] == ' ')
        len--;
    while (len && *v == ' ')
        v++, len--;
    if (!len)
        return;
    snprintf(orig, size, "%.*s", (int)len, v);
    size_t l3;
    const char *org = marc_record_value(r, "003", 0, &l3);
    char value[256];
    if (org && l3)
        snprintf(value, sizeof value, "(%.*s)%s", (int)l3, org, orig);
    else
        snprintf(value, sizeof value, "%s", orig);
    /* Not twice: a record exported and imported again already has it. */
    for (long i = marc_record_find(r, "035", 0); i >= 0; i = marc_record_find(r, "035", (size_t)i + 1)) {
        size_t l;
        const char *a = marc_field_value(marc_record_field(r, (size_t)i), 'a', &l);
        if (a && l == strlen(value) && memcmp(a, value, l) == 0)
            return;
    }
    long at = marc_record_add_data(r, "035", ' ', ' ');
    if (at >= 0)
        marc_record_append_subfield(r, (size_t)at, 'a', value, strlen(value));
}

/* Insert the bib row for an already prepared record; id_out gets its rowid. */
static int
insert_bib(struct core_repo *repo, enum core_zone zone, const char *mms,
           const struct marc_record *r, const char *reason, sqlite3_int64 *id_out)
{
    int fmt;
    int rc = repo_encode(repo, r, &repo->blob, &fmt);
    if (rc != CORE_OK)
        return rc;
    core_bib_keys_extract(r, &repo->keys);
    sqlite3_stmt *st = repo_stmt(
        repo, zone,
        "INSERT INTO {Z}.bib (mms, marc, fmt, version, reason, created_at, created_by, "
        "updated_at, updated_by, title, author, date, serial) "
        "VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!st)
        return CORE_ERR_DB;
    const struct core_bib_keys *k = &repo->keys;
    repo_bind_text(st, 1, mms);
    sqlite3_bind_blob(st, 2, repo->blob.data, (int)repo->blob.len, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, fmt);
    repo_bind_text(st, 4, reason);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)core_now());
    repo_bind_text(st, 6, repo->user);
    repo_bind_text(st, 7, k->title.data ? k->title.data : "");
    repo_bind_text(st, 8, k->author.data ? k->author.data : "");
    repo_bind_text(st, 9, k->date);
    sqlite3_bind_int(st, 10, k->serial);
    rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "storing a record");
    sqlite3_reset(st);
    if (rc == CORE_OK)
        *id_out = sqlite3_last_insert_rowid(repo->db);
    return rc;
}

/* Convert, validate and stamp a new bib; orig receives its original 001. */
static int
prepare_new_bib(struct core_repo *repo, struct marc_record *r, const char *mms, bool force,
                marc_diag_fn diag, void *dctx, char *orig, size_t size)
{
    int rc = repo_normalize(repo, r, diag, dctx);
    if (rc != CORE_OK)
        return rc;
    repo_keep_old_001(r, orig, size);
    repo_stamp(r, mms, core_now());
    rc = repo_validate(repo, r, diag, dctx);
    return rc == CORE_ERR_INVALID && force ? CORE_OK : rc;
}

int
core_bib_create(struct core_repo *repo, enum core_zone zone, struct marc_record *r,
                const char *reason, bool force, marc_diag_fn diag, void *dctx, char *mms_out)
{
    if (!core_repo_has_zone(repo, zone))
        return repo_fail(repo, CORE_ERR_USER, "this repository has no %s", core_zone_name(zone));
    int rc = repo_nz_read_only(repo, zone, "creating a network zone record");
    if (rc != CORE_OK)
        return rc;
    rc = core_require_role(repo, CORE_ROLE_CATALOGER | CORE_ROLE_CATALOGER_EXTENDED,
                           "creating a record");
    if (rc != CORE_OK)
        return rc;
    if (marc_record_kind(r) == MARC_KIND_HOLDINGS)
        return repo_fail(repo, CORE_ERR_USER,
                         "this is a holdings record (leader/06 '%c'); create it under its bib",
                         marc_record_leader(r)[6]);
    rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    char mms[CORE_MMS_MAX], orig[128];
    sqlite3_int64 id = 0;
    rc = repo_next_mms(repo, zone, CORE_MMS_BIB, mms);
    if (rc == CORE_OK)
        rc = prepare_new_bib(repo, r, mms, force, diag, dctx, orig, sizeof orig);
    if (rc == CORE_OK)
        rc = insert_bib(repo, zone, mms, r, reason ? reason : "create", &id);
    if (rc == CORE_OK)
        rc = repo_index_bib(repo, zone, id, r, true);
    if (rc == CORE_OK && orig[0])
        rc = repo_add_key(repo, zone, id, CORE_ID_CONTROL, orig);
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    rc = repo_commit(repo);
    if (rc == CORE_OK && mms_out)
        snprintf(mms_out, CORE_MMS_MAX, "%s", mms);
    return rc;
}

/* Row id and MMS ID of the bib `mms` names, or that holds MFHD 004 `ctl`. */
static int
find_bib_id(struct core_repo *repo, enum core_zone zone, const char *mms, sqlite3_int64 *id)
{
    sqlite3_stmt *st = repo_stmt(repo, zone,
                                 "SELECT id FROM {Z}.bib WHERE mms = ?1 AND deleted_at IS NULL");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    int step = sqlite3_step(st);
    *id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (step == SQLITE_ROW)
        return CORE_OK;
    return step == SQLITE_DONE ? repo_fail(repo, CORE_ERR_NOTFOUND, "no bib %s", mms)
                               : repo_db_fail(repo, "finding a bib");
}

int
core_holdings_create(struct core_repo *repo, const char *bib_mms, struct marc_record *r,
                     const char *reason, marc_diag_fn diag, void *dctx, char *mms_out)
{
    enum core_zone zone;
    int rc = repo_zone_for(repo, bib_mms, &zone);
    if (rc == CORE_OK)
        rc = repo_nz_read_only(repo, zone, "creating holdings in the network zone");
    if (rc == CORE_OK)
        rc = core_require_role(repo, CORE_ROLE_INVENTORY, "creating holdings");
    if (rc != CORE_OK)
        return rc;
    if (marc_record_kind(r) != MARC_KIND_HOLDINGS)
        return repo_fail(repo, CORE_ERR_USER,
                         "leader/06 is '%c': a holdings record has u, v, x or y",
                         marc_record_leader(r)[6]);
    rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    sqlite3_int64 bib_id;
    char mms[CORE_MMS_MAX];
    rc = find_bib_id(repo, zone, bib_mms, &bib_id);
    if (rc == CORE_OK)
        rc = repo_next_mms(repo, zone, CORE_MMS_HOLDINGS, mms);
    if (rc == CORE_OK)
        rc = repo_normalize(repo, r, diag, dctx);
    if (rc == CORE_OK) {
        repo_stamp(r, mms, core_now());
        set_control(r, "004", bib_mms);
        rc = repo_validate(repo, r, diag, dctx);
    }
    int fmt = 0;
    if (rc == CORE_OK)
        rc = repo_encode(repo, r, &repo->blob, &fmt);
    struct core_holdings_keys hk;
    core_holdings_keys_extract(r, &hk);
    sqlite3_stmt *st = rc != CORE_OK ? NULL
                       : repo_stmt(repo, zone,
                                   "INSERT INTO {Z}.holding (mms, bib, marc, fmt, reason, "
                                   "created_at, created_by, updated_at, updated_by, library, "
                                   "location, call_number) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                                   "?6, ?7, ?8, ?9, ?10)");
    if (st) {
        repo_bind_text(st, 1, mms);
        sqlite3_bind_int64(st, 2, bib_id);
        sqlite3_bind_blob(st, 3, repo->blob.data, (int)repo->blob.len, SQLITE_STATIC);
        sqlite3_bind_int(st, 4, fmt);
        repo_bind_text(st, 5, reason ? reason : "create");
        sqlite3_bind_int64(st, 6, (sqlite3_int64)core_now());
        repo_bind_text(st, 7, repo->user);
        repo_bind_text(st, 8, hk.library);
        repo_bind_text(st, 9, hk.location);
        repo_bind_text(st, 10, hk.call_number);
        rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "storing holdings");
        sqlite3_reset(st);
    } else if (rc == CORE_OK) {
        rc = CORE_ERR_DB;
    }
    if (rc == CORE_OK) {
        st = repo_stmt(repo, zone, "UPDATE {Z}.bib SET holdings = holdings + 1 WHERE id = ?1");
        rc = st ? CORE_OK : CORE_ERR_DB;
        if (st) {
            sqlite3_bind_int64(st, 1, bib_id);
            rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "counting holdings");
            sqlite3_reset(st);
        }
    }
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    rc = repo_commit(repo);
    if (rc == CORE_OK && mms_out)
        snprintf(mms_out, CORE_MMS_MAX, "%s", mms);
    return rc;
}

/* The tokenizer of bib_fts (schema.c: unicode61 remove_diacritics 2), so
 * that words are cut and folded as the index holds them.  The caller frees
 * *t with tok->xDelete.  `what` names the work for the message. */
int
repo_fts_tokenizer(struct core_repo *repo, fts5_tokenizer *tok, Fts5Tokenizer **t,
                   const char *what)
{
    *t = NULL;
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ, "SELECT fts5(?1)");
    if (!st)
        return CORE_ERR_DB;
    fts5_api *api = NULL;
    sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_reset(st);
    void *ud = NULL;
    static const char *args[] = {"remove_diacritics", "2"};
    if (!api || api->xFindTokenizer(api, "unicode61", &ud, tok) != SQLITE_OK ||
        tok->xCreate(ud, args, 2, t) != SQLITE_OK) {
        *t = NULL;
        return repo_fail(repo, CORE_ERR_DB, "%s: this SQLite has no FTS5 unicode61 tokenizer",
                         what);
    }
    return CORE_OK;
}
