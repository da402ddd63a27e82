/*
 * import-bib.c - the bibs pass of an import: storing the records the
 * reading thread (import-pipe.c) prepared.
 *
 * A bib is stored as core_bib_create stores one (repo-record.c): a new MMS
 * ID in 001, the original 001 kept in 035 and as the bib's 'c:' key, 005,
 * the brief columns, the identifier keys and the full-text row.  Here it
 * is done with statements prepared once for the whole import and the MMS
 * ID counter kept in memory for the batch, because an import stores a
 * million records where the editor stores one.
 */
#include "import-int.h"

#include <stdio.h>
#include <string.h>

int
imp_bib_statements(struct imp *im)
{
    struct core_repo *repo = im->repo;
    im->st_bib = repo_stmt(repo, im->zone,
                           "INSERT INTO {Z}.bib (mms, marc, fmt, version, reason, created_at, "
                           "created_by, updated_at, updated_by, title, author, date, serial) "
                           "VALUES (?1, ?2, ?3, 1, 'import', ?4, ?5, ?4, ?5, ?6, ?7, ?8, ?9)");
    /* Texts of their own: repo_stmt shares a statement between equal texts,
     * and these stay bound for the whole import. */
    im->st_ident = im->st_bib
                       ? repo_stmt(repo, im->zone,
                                   "INSERT OR IGNORE INTO {Z}.ident (bib, key) VALUES (?2, ?1)")
                       : NULL;
    im->st_fts = im->st_ident
                     ? repo_stmt(repo, im->zone,
                                 "INSERT INTO {Z}.bib_fts (rowid, title, author, "
                                 "subject, other) VALUES (?1, ?2, ?3, ?4, ?5) /* import */")
                     : NULL;
    return im->st_fts ? CORE_OK : CORE_ERR_DB;
}

static int
add_key(struct imp *im, sqlite3_int64 id, char kind, const char *value)
{
    char key[CORE_IDENT_MAX + 4]; /* cut where repo_add_key cuts a key */
    size_t len = strlen(value);
    if (len > sizeof key - 3)
        len = sizeof key - 3;
    key[0] = kind;
    key[1] = ':';
    memcpy(key + 2, value, len);
    sqlite3_bind_text(im->st_ident, 1, key, (int)len + 2, SQLITE_STATIC);
    sqlite3_bind_int64(im->st_ident, 2, id);
    return imp_step(im, im->st_ident, "indexing");
}

static int
insert_bib(struct imp *im, const struct imp_slot *s, sqlite3_int64 *id)
{
    const struct core_bib_keys *k = &s->keys;
    sqlite3_stmt *st = im->st_bib;
    sqlite3_bind_text(st, 1, im->mms, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, s->blob.data, (int)s->blob.len, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, s->fmt);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)core_now());
    sqlite3_bind_text(st, 5, core_repo_user(im->repo), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, k->title.data ? k->title.data : "", (int)k->title.len, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, k->author.data ? k->author.data : "", (int)k->author.len,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 8, k->date, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 9, k->serial);
    int rc = imp_step(im, st, "storing a record");
    if (rc == CORE_OK)
        *id = sqlite3_last_insert_rowid(im->repo->db);
    return rc;
}

static int
index_bib(struct imp *im, const struct imp_slot *s, sqlite3_int64 id)
{
    const struct core_bib_keys *k = &s->keys;
    int rc = CORE_OK;
    for (size_t i = 0; rc == CORE_OK && i < k->nids; i++)
        rc = add_key(im, id, k->ids[i].kind, k->ids[i].value);
    if (rc == CORE_OK && s->orig[0])
        rc = add_key(im, id, CORE_ID_CONTROL, s->orig);
    if (rc != CORE_OK)
        return rc;
    sqlite3_stmt *st = im->st_fts;
    sqlite3_bind_int64(st, 1, id);
    const struct marc_buf *cols[] = {&k->fts_title, &k->fts_author, &k->fts_subject, &k->fts_other};
    for (int c = 0; c < 4; c++)
        sqlite3_bind_text(st, 2 + c, cols[c]->data ? cols[c]->data : "", (int)cols[c]->len,
                          SQLITE_STATIC);
    return imp_step(im, st, "indexing text");
}

/* Put the MMS ID into the encoded record: over the placeholder when it has
 * the same length, else by encoding the record again.  False when the
 * record cannot be stored. */
static bool
set_mms(struct imp *im, struct imp_slot *s)
{
    if (s->mms_at >= 0 && strlen(im->mms) == IMP_MMS_LEN) {
        memcpy(s->blob.data + s->mms_at, im->mms, IMP_MMS_LEN);
        return true;
    }
    /* The 001 the reading thread stamped (a record may have another 001,
     * a data field in a non-MARC 21 record). */
    size_t n = marc_record_field_count(s->r);
    for (size_t i = 0; i < n; i++) {
        const struct marc_field *f = marc_record_field(s->r, i);
        size_t len;
        const char *v = marc_field_data(f, &len);
        if (marc_field_is_control(f) && strcmp(marc_field_tag(f), "001") == 0 &&
            len == strlen(im->placeholder) && memcmp(v, im->placeholder, len) == 0) {
            marc_record_set_control(s->r, i, im->mms, strlen(im->mms));
            break;
        }
    }
    return repo_encode(im->repo, s->r, &s->blob, &s->fmt) == CORE_OK;
}

/* The problems the reading thread found in this record, in order; a
 * validation error of a record `stored` names the MMS ID it got (those of
 * a record refused are left out: the reason it was refused says enough). */
static void
report_notes(struct imp *im, const struct imp_slot *s, bool stored)
{
    const struct core_import_opts *o = im->o;
    for (size_t i = 0; o->diag && i < s->nnotes; i++) {
        struct marc_diag d = s->notes[i].d;
        if (d.record > 0 && d.record <= im->done)
            continue; /* reported by the run that imported it */
        if (s->notes[i].lint) {
            if (!stored || im->rep->invalid >= IMP_MAX_REPORTED)
                continue;
            d.severity = MARC_SEV_WARNING;
            snprintf(d.message, sizeof d.message, "imported as %s, to fix: %.240s", im->mms,
                     s->notes[i].d.message);
        }
        o->diag(o->diag_ctx, &d);
    }
}

static int
store_bib(struct imp *im, struct imp_slot *s)
{
    struct marc_decode_ctx ctx = s->where;
    ctx.diag = im->o->diag;
    ctx.diag_ctx = im->o->diag_ctx;
    if (!imp_may_import_bibs(im)) {
        report_notes(im, s, false);
        imp_problem(im, &ctx, "import-role",
                    "importing a bibliographic record needs role cataloger, which %s does not "
                    "have",
                    core_repo_user(im->repo));
        return CORE_OK;
    }
    core_mms_format(CORE_MMS_BIB, im->bib_seq++, core_repo_zone_code(im->repo, im->zone), im->mms);
    if (!set_mms(im, s)) {
        report_notes(im, s, false);
        imp_problem(im, &ctx, "import-encode", "%s", core_repo_errmsg(im->repo));
        return CORE_OK;
    }
    report_notes(im, s, true);
    sqlite3_int64 id;
    int rc = insert_bib(im, s, &id);
    if (rc == CORE_OK)
        rc = index_bib(im, s, id);
    if (rc != CORE_OK)
        return rc;
    im->rep->bibs++;
    im->rep->invalid += s->invalid;
    return CORE_OK;
}

/* One record of the bibs pass (holdings wait for the holdings pass). */
static int
bibs_record(struct imp *im, struct imp_slot *s)
{
    if (s->kind == MARC_KIND_HOLDINGS)
        im->saw_holdings = true;
    if (s->where.record <= im->done) {
        if (s->kind != MARC_KIND_HOLDINGS)
            im->rep->resumed++;
        return CORE_OK;
    }
    int rc = imp_batch_open(im);
    if (rc != CORE_OK)
        return rc;
    if (s->kind == MARC_KIND_BIBLIOGRAPHIC)
        return store_bib(im, s);
    report_notes(im, s, false);
    if (s->kind != MARC_KIND_HOLDINGS) {
        struct marc_decode_ctx ctx = s->where;
        ctx.diag = im->o->diag;
        ctx.diag_ctx = im->o->diag_ctx;
        imp_problem(im, &ctx, "import-kind",
                    "this is %s (leader/06 '%c'); only bibliographic and holdings records are "
                    "imported",
                    imp_kind_name(s->r), marc_record_leader(s->r)[6]);
    }
    return CORE_OK;
}

int
imp_bibs_pass(struct imp *im, int pass)
{
    int rc = CORE_OK;
    struct imp_pipe *p = imp_pipe_start(im, im->o->permissive, &rc);
    if (!p)
        return rc;
    long skipped_before = 0;
    for (;;) {
        struct imp_slot *s = imp_pipe_next(p);
        if (s->what != IMP_SLOT_RECORD) {
            report_notes(im, s, false);
            if (s->what == IMP_SLOT_FAIL) {
                rc = repo_fail(im->repo, s->code, "%s", s->message);
            } else {
                im->nrecords = s->nrecords;
                im->rep->records = s->nrecords;
                im->rep->skipped += s->skipped - skipped_before;
            }
            break;
        }
        if (s->where.record <= im->done)
            skipped_before = s->skipped;
        rc = bibs_record(im, s);
        if (rc == CORE_OK && im->in_tx && ++im->in_batch >= im->batch)
            rc = imp_batch_commit(im, s->where.record, false);
        imp_progress(im, s->position, s->where.record, pass, pass + (im->saw_holdings ? 2 : 1));
        imp_pipe_release(p);
        if (rc != CORE_OK)
            break;
    }
    imp_pipe_stop(p);
    return rc;
}
