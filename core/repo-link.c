/*
 * repo-link.c - linked IZ bibs in the repository (see link.h): linking,
 * contributing, unlinking, reading a linked bib as the network record with
 * the IZ's local fields, saving and reverting one, and keeping the IZ's
 * stored combination and its indexes in step with network edits.
 *
 * The IZ row of a linked bib stores the combination (network content and
 * local fields, 001 = the NZ MMS ID, the network record's 005) as of its
 * last write, so that, as for every other row, its indexes are derived from
 * what it stores and a contentless FTS5 row can be deleted with exactly the
 * words it was indexed with.  Reads never trust the stored shared part:
 * they take the network record's current content.  A save that changes
 * both zone files keeps a redo log in the IZ (table link_pending; link.h
 * says why and how), so that a crash between the two commits is finished
 * or undone.  Finding candidates and the link-to-nz job live in
 * repo-link-find.c.
 */
#include "repo-int.h"

#include "link.h"
#include "match.h"
#include "nzremote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- rows ---- */

/* A bib row as linking needs it. */
struct link_row {
    enum core_zone zone;
    sqlite3_int64 id;
    int version;
    bool deleted;
    int fmt;
    char reason[16];
    time_t updated;
    char updated_by[64];
    char linked[CORE_MMS_MAX];
    struct marc_buf blob; /* the stored record */
};

static void
row_free(struct link_row *row)
{
    marc_buf_free(&row->blob);
}

/* Read bib `mms` of `zone` (NOTFOUND naming it when absent). */
static int
row_read(struct core_repo *repo, enum core_zone zone, const char *mms, struct link_row *row)
{
    marc_buf_reset(&row->blob);
    struct marc_buf keep = row->blob;
    memset(row, 0, sizeof *row);
    row->blob = keep;
    row->zone = zone;
    sqlite3_stmt *st = repo_stmt(repo, zone,
                                 "SELECT id, version, deleted_at, fmt, reason, updated_at, "
                                 "updated_by, linked, marc FROM {Z}.bib WHERE mms = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    int step = sqlite3_step(st);
    if (step != SQLITE_ROW) {
        sqlite3_reset(st);
        if (step != SQLITE_DONE)
            return repo_db_fail(repo, "reading a record");
        return repo_fail(repo, CORE_ERR_NOTFOUND, "no %s record %s", core_zone_name(zone), mms);
    }
    row->id = sqlite3_column_int64(st, 0);
    row->version = sqlite3_column_int(st, 1);
    row->deleted = sqlite3_column_type(st, 2) != SQLITE_NULL;
    row->fmt = sqlite3_column_int(st, 3);
    snprintf(row->reason, sizeof row->reason, "%s", repo_col_text(st, 4));
    row->updated = (time_t)sqlite3_column_int64(st, 5);
    snprintf(row->updated_by, sizeof row->updated_by, "%s", repo_col_text(st, 6));
    snprintf(row->linked, sizeof row->linked, "%s", repo_col_text(st, 7));
    marc_buf_append(&row->blob, sqlite3_column_blob(st, 8), (size_t)sqlite3_column_bytes(st, 8));
    sqlite3_reset(st);
    return CORE_OK;
}

static int
row_decode(struct core_repo *repo, const struct link_row *row, struct marc_record *r)
{
    return repo_decode(repo, row->blob.data, row->blob.len, row->fmt, r);
}

/* The row's current content becomes version row->version in the history. */
static int
row_keep_version(struct core_repo *repo, const char *mms, const struct link_row *row)
{
    return repo_version_insert(repo, row->zone, mms, row->version, &row->blob, row->fmt,
                               row->updated, row->updated_by, row->reason);
}

/* Is identifier id among k's? */
static bool
has_ident(const struct core_bib_keys *k, const struct core_ident *id)
{
    for (size_t i = 0; i < k->nids; i++)
        if (k->ids[i].kind == id->kind && strcmp(k->ids[i].value, id->value) == 0)
            return true;
    return false;
}

static bool
same_buf(const struct marc_buf *a, const struct marc_buf *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/*
 * Index entries of a bib whose content goes from old to the content whose
 * keys are kn: only what differs.  A linked record usually indexes as it did (the network record
 * and the institution's are the same OCLC record), and every index page
 * not written is a page its transaction does not commit (a link-to-nz job
 * writes 100,000 of them).
 */
static int
reindex(struct core_repo *repo, enum core_zone zone, sqlite3_int64 id,
        const struct marc_record *old, const struct core_bib_keys *kn)
{
    struct core_bib_keys ko = {0};
    core_bib_keys_extract(old, &ko);
    int rc = CORE_OK;
    sqlite3_stmt *del = repo_stmt(repo, zone, "DELETE FROM {Z}.ident WHERE key = ?1 AND bib = ?2");
    if (!del)
        rc = CORE_ERR_DB;
    for (size_t i = 0; rc == CORE_OK && i < ko.nids; i++) {
        if (has_ident(kn, &ko.ids[i]))
            continue;
        char key[CORE_IDENT_MAX + 4];
        snprintf(key, sizeof key, "%c:%s", ko.ids[i].kind, ko.ids[i].value);
        repo_bind_text(del, 1, key);
        sqlite3_bind_int64(del, 2, id);
        rc = sqlite3_step(del) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "indexing");
        sqlite3_reset(del);
    }
    for (size_t i = 0; rc == CORE_OK && i < kn->nids; i++)
        if (!has_ident(&ko, &kn->ids[i]))
            rc = repo_add_key(repo, zone, id, kn->ids[i].kind, kn->ids[i].value);
    bool same_words = same_buf(&ko.fts_title, &kn->fts_title) &&
                      same_buf(&ko.fts_author, &kn->fts_author) &&
                      same_buf(&ko.fts_subject, &kn->fts_subject) &&
                      same_buf(&ko.fts_other, &kn->fts_other);
    if (rc == CORE_OK && !same_words)
        rc = repo_fts_row(repo, zone, id, &ko, false);
    if (rc == CORE_OK && !same_words)
        rc = repo_fts_row(repo, zone, id, kn, true);
    core_bib_keys_free(&ko);
    return rc;
}

/*
 * Replace the row's content with r, as a new version with `reason` and
 * `linked` (NULL clears it), and re-index: old index entries from `old`
 * (the stored content, decoded), new ones from r.  The version is the
 * acting user's, now, or, when `by` is given, that row's last change's
 * (a network edit reaching a linked IZ bib is its editor's).
 */
static int
row_replace(struct core_repo *repo, const struct link_row *row, const struct marc_record *old,
            const struct marc_record *r, const char *reason, const char *linked,
            const struct link_row *by)
{
    int fmt = 0;
    int rc = repo_encode(repo, r, &repo->blob, &fmt);
    if (rc != CORE_OK)
        return rc;
    core_bib_keys_extract(r, &repo->keys); /* the brief columns, the new index entries */
    const struct core_bib_keys *k = &repo->keys;
    sqlite3_stmt *st = repo_stmt(repo, row->zone,
                                 "UPDATE {Z}.bib SET marc = ?2, fmt = ?3, title = ?4, author = ?5, "
                                 "date = ?6, serial = ?7, version = version + 1, reason = ?8, "
                                 "updated_at = ?9, updated_by = ?10, linked = ?11 WHERE id = ?1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, row->id);
    sqlite3_bind_blob(st, 2, repo->blob.data, (int)repo->blob.len, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, fmt);
    repo_bind_text(st, 4, k->title.data ? k->title.data : "");
    repo_bind_text(st, 5, k->author.data ? k->author.data : "");
    repo_bind_text(st, 6, k->date);
    sqlite3_bind_int(st, 7, k->serial);
    repo_bind_text(st, 8, reason);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)(by ? by->updated : core_now()));
    repo_bind_text(st, 10, by ? by->updated_by : repo->user);
    repo_bind_text(st, 11, linked);
    rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "saving a record");
    sqlite3_reset(st);
    if (rc == CORE_OK)
        rc = reindex(repo, row->zone, row->id, old, k);
    return rc;
}

/* Replace the first control field `tag` (or add one). */
static void
set_control(struct marc_record *r, const char *tag, const char *value, size_t len)
{
    long i = marc_record_find(r, tag, 0);
    if (i >= 0 && marc_field_is_control(marc_record_field(r, (size_t)i)))
        marc_record_set_control(r, (size_t)i, value, len);
    else
        marc_record_add_control(r, tag, value, len);
}

static void
delete_fields(struct marc_record *r, const char *tag)
{
    long i;
    while ((i = marc_record_find(r, tag, 0)) >= 0)
        marc_record_delete_field(r, (size_t)i);
}

/* ---- local tags and the combination ---- */

int
repo_link_local_tags(struct core_repo *repo, struct core_local_tags *t, bool strict)
{
    char bad[40];
    const char *v = core_config_get(repo, "link.local_tags", "");
    if (core_local_tags_parse(v, t, bad, sizeof bad) || !strict)
        return CORE_OK;
    return repo_fail(repo, CORE_ERR_USER,
                     "the configuration link.local_tags has '%s', which is not a tag (three "
                     "digits, X for any digit; not 001 or 005); an admin fixes it with "
                     "'colophon config set link.local_tags ...'",
                     bad);
}

/* A linked bib: the network record's shared content, the IZ record's local fields, 001 = nz_mms. */
static void
combine(const struct marc_record *nz, const struct marc_record *iz, const char *nz_mms,
        const struct core_local_tags *t, struct marc_record *out)
{
    core_match_compose(nz, iz, t, out);
    set_control(out, "001", nz_mms, strlen(nz_mms));
}

int
repo_link_compose(struct core_repo *repo, const char *nz_mms, struct marc_record *r)
{
    if (!core_repo_has_zone(repo, CORE_ZONE_NZ))
        return CORE_OK; /* the stored combination is a whole record */
    struct link_row nz = {0};
    int rc = row_read(repo, CORE_ZONE_NZ, nz_mms, &nz);
    if (rc == CORE_ERR_NOTFOUND) {
        row_free(&nz);
        return CORE_OK;
    }
    struct marc_record *nzr = marc_record_new(), *out = marc_record_new();
    if (rc == CORE_OK)
        rc = row_decode(repo, &nz, nzr);
    if (rc == CORE_OK) {
        struct core_local_tags t;
        repo_link_local_tags(repo, &t, false);
        combine(nzr, r, nz_mms, &t, out);
        marc_record_copy(r, out);
    }
    marc_record_free(nzr);
    marc_record_free(out);
    row_free(&nz);
    return rc;
}

/* ---- checks ---- */

/* An undeleted IZ bib, read into row. */
static int
iz_bib(struct core_repo *repo, const char *mms, struct link_row *row)
{
    enum core_zone zone;
    int rc = repo_zone_for(repo, mms, &zone);
    if (rc != CORE_OK)
        return rc;
    if (core_mms_parse(mms, NULL, NULL) != CORE_MMS_BIB)
        return repo_fail(repo, CORE_ERR_USER,
                         "%s is not a bibliographic record; only bibs are linked to the network "
                         "zone",
                         mms);
    if (zone != CORE_ZONE_IZ)
        return repo_fail(repo, CORE_ERR_USER,
                         "%s is a %s record; only institution zone records are linked to the "
                         "network zone",
                         mms, core_zone_name(zone));
    rc = row_read(repo, CORE_ZONE_IZ, mms, row);
    if (rc == CORE_OK && row->deleted)
        rc = repo_fail(repo, CORE_ERR_USER, "%s has been deleted", mms);
    return rc;
}

/* An undeleted NZ bib, read into row. */
static int
nz_bib(struct core_repo *repo, const char *nz_mms, struct link_row *row)
{
    if (!core_repo_has_zone(repo, CORE_ZONE_NZ))
        return repo_fail(repo, CORE_ERR_USER, "this repository has no network zone");
    int zone = core_repo_zone_of(repo, nz_mms);
    if (core_mms_parse(nz_mms, NULL, NULL) != CORE_MMS_BIB || zone != CORE_ZONE_NZ)
        return repo_fail(repo, CORE_ERR_USER,
                         "'%s' is not a network zone bib: its MMS ID ends in %s and starts with 99",
                         nz_mms, core_repo_zone_code(repo, CORE_ZONE_NZ));
    int rc = row_read(repo, CORE_ZONE_NZ, nz_mms, row);
    if (rc == CORE_OK && row->deleted)
        rc = repo_fail(repo, CORE_ERR_USER, "network zone record %s has been deleted", nz_mms);
    return rc;
}

/* The IZ bib other than `except` linked to nz_mms, into out ("" when none). */
static int
linked_from(struct core_repo *repo, const char *nz_mms, const char *except, char *out)
{
    out[0] = '\0';
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 "SELECT mms FROM {Z}.bib WHERE linked = ?1 AND deleted_at IS NULL "
                                 "AND mms <> ?2 ORDER BY id LIMIT 1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, nz_mms);
    repo_bind_text(st, 2, except ? except : "");
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        snprintf(out, CORE_MMS_MAX, "%s", repo_col_text(st, 0));
    sqlite3_reset(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? CORE_OK
                                                     : repo_db_fail(repo, "finding linked records");
}

int
repo_link_in_use(struct core_repo *repo, const char *nz_mms)
{
    char iz[CORE_MMS_MAX];
    int rc = linked_from(repo, nz_mms, NULL, iz);
    if (rc == CORE_OK && iz[0])
        rc = repo_fail(repo, CORE_ERR_USER,
                       "%s is the network record institution zone record %s is linked to; unlink "
                       "it first (colophon unlink %s)",
                       nz_mms, iz, iz);
    return rc;
}

static int
link_role(struct core_repo *repo, const char *action)
{
    return core_require_role(repo, CORE_ROLE_CATALOGER | CORE_ROLE_CATALOGER_EXTENDED, action);
}

/* ---- link ---- */

/* Records a link works on. */
struct link_work {
    struct link_row iz, nz;
    struct marc_record *old, *nzr, *out;
    struct core_local_tags tags;
    time_t at; /* a save's time, for both zones' versions (0: now) */
};

static void
work_init(struct link_work *w)
{
    memset(w, 0, sizeof *w);
    w->old = marc_record_new();
    w->nzr = marc_record_new();
    w->out = marc_record_new();
}

static void
work_free(struct link_work *w)
{
    row_free(&w->iz);
    row_free(&w->nz);
    marc_record_free(w->old);
    marc_record_free(w->nzr);
    marc_record_free(w->out);
}

static void
result_fill(struct core_link_result *res, const char *nz_mms, const struct link_work *w)
{
    if (!res)
        return;
    memset(res, 0, sizeof *res);
    snprintf(res->nz_mms, sizeof res->nz_mms, "%s", nz_mms);
    res->kept_version = w->iz.version;
    res->version = w->iz.version + 1;
    res->local_fields = core_match_local_count(w->out, &w->tags);
}

/* Inside a transaction: link IZ bib mms to nz_mms (every check, then the writes). */
static int
link_tx(struct core_repo *repo, const char *mms, const char *nz_mms, struct link_work *w)
{
    int rc = iz_bib(repo, mms, &w->iz);
    if (rc == CORE_OK && strcmp(w->iz.linked, nz_mms) == 0)
        return repo_fail(repo, CORE_ERR_USER, "%s is already linked to %s", mms, nz_mms);
    if (rc == CORE_OK && w->iz.linked[0])
        return repo_fail(repo, CORE_ERR_USER,
                         "%s is already linked to network zone record %s; unlink it first "
                         "(colophon unlink %s)",
                         mms, w->iz.linked, mms);
    if (rc == CORE_OK)
        rc = nz_bib(repo, nz_mms, &w->nz);
    char other[CORE_MMS_MAX] = "";
    if (rc == CORE_OK)
        rc = linked_from(repo, nz_mms, mms, other);
    if (rc == CORE_OK && other[0])
        return repo_fail(repo, CORE_ERR_USER,
                         "network zone record %s is already linked to %s of this institution "
                         "(a duplicate of %s?); relink its inventory to %s instead",
                         nz_mms, other, mms, other);
    if (rc == CORE_OK)
        rc = repo_lock_check(repo, CORE_ZONE_IZ, mms, NULL);
    if (rc == CORE_OK)
        rc = row_decode(repo, &w->iz, w->old);
    if (rc == CORE_OK)
        rc = row_decode(repo, &w->nz, w->nzr);
    if (rc != CORE_OK)
        return rc;
    combine(w->nzr, w->old, nz_mms, &w->tags, w->out);
    rc = row_keep_version(repo, mms, &w->iz);
    if (rc == CORE_OK)
        rc = row_replace(repo, &w->iz, w->old, w->out, "link", nz_mms, NULL);
    return rc;
}

/* One top-level transaction around fn's work, or a nested part of the caller's. */
static int
finish_tx(struct core_repo *repo, int rc)
{
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    return repo_commit(repo);
}

int
repo_link_to_tx(struct core_repo *repo, const char *mms, const char *nz_mms,
                const struct core_local_tags *tags, struct core_link_result *res)
{
    struct link_work w;
    work_init(&w);
    w.tags = *tags;
    int rc = link_tx(repo, mms, nz_mms, &w);
    if (rc == CORE_OK)
        result_fill(res, nz_mms, &w);
    work_free(&w);
    return rc;
}

int
core_link_to(struct core_repo *repo, const char *mms, const char *nz_mms,
             struct core_link_result *res)
{
    struct core_local_tags tags;
    int rc = link_role(repo, "linking to the network zone");
    if (rc == CORE_OK)
        rc = repo_link_local_tags(repo, &tags, true);
    /* A remote network zone: the record as its server has it now. */
    if (rc == CORE_OK && core_nz_remote(repo))
        rc = repo_nz_fetch(repo, nz_mms);
    if (rc == CORE_OK)
        rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    return finish_tx(repo, repo_link_to_tx(repo, mms, nz_mms, &tags, res));
}

/* ---- contribute ---- */

int
repo_link_contribute_tx(struct core_repo *repo, const char *mms,
                        const struct core_local_tags *tags, struct core_link_result *res)
{
    struct link_row row = {0};
    int rc = iz_bib(repo, mms, &row);
    if (rc == CORE_OK && row.linked[0])
        rc = repo_fail(repo, CORE_ERR_USER, "%s is already linked to network zone record %s", mms,
                       row.linked);
    if (rc == CORE_OK)
        rc = repo_lock_check(repo, CORE_ZONE_IZ, mms, NULL);
    struct marc_record *iz = marc_record_new(), *shared = marc_record_new();
    if (rc == CORE_OK)
        rc = row_decode(repo, &row, iz);
    char nz_mms[CORE_MMS_MAX] = "";
    if (rc == CORE_OK) {
        /* The network record gets its own 001; the IZ's 001 and 003 name the IZ record. */
        core_match_compose(iz, NULL, tags, shared);
        delete_fields(shared, "001");
        delete_fields(shared, "003");
        if (core_nz_remote(repo)) /* the server checks it and assigns the MMS ID */
            rc = repo_validate(repo, shared, NULL, NULL);
        if (rc == CORE_OK)
            rc = core_nz_remote(repo)
                     ? repo_nz_contribute(repo, shared, nz_mms)
                     : core_bib_create(repo, CORE_ZONE_NZ, shared, "contribute", false, NULL,
                                       NULL, nz_mms);
        if (rc == CORE_ERR_INVALID)
            repo_fail(repo, rc,
                      "%s has validation errors and is not contributed to the shared network "
                      "zone; fix them first (colophon lint, colophon edit %s)",
                      mms, mms);
    }
    marc_record_free(iz);
    marc_record_free(shared);
    row_free(&row);
    if (rc == CORE_OK)
        rc = repo_link_to_tx(repo, mms, nz_mms, tags, res);
    return rc;
}

int
core_link_contribute(struct core_repo *repo, const char *mms, struct core_link_result *res)
{
    struct core_local_tags tags;
    int rc = link_role(repo, "contributing to the network zone");
    if (rc == CORE_OK)
        rc = repo_link_local_tags(repo, &tags, true);
    if (rc == CORE_OK)
        rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    return finish_tx(repo, repo_link_contribute_tx(repo, mms, &tags, res));
}

/* ---- unlink ---- */

static int
unlink_tx(struct core_repo *repo, const char *mms, struct link_work *w)
{
    int rc = iz_bib(repo, mms, &w->iz);
    if (rc == CORE_OK && !w->iz.linked[0])
        return repo_fail(repo, CORE_ERR_USER, "%s is not linked to the network zone", mms);
    if (rc == CORE_OK)
        rc = repo_lock_check(repo, CORE_ZONE_IZ, mms, NULL);
    if (rc == CORE_OK)
        rc = row_decode(repo, &w->iz, w->old);
    if (rc != CORE_OK)
        return rc;
    marc_record_copy(w->out, w->old);
    rc = repo_link_compose(repo, w->iz.linked, w->out);
    if (rc != CORE_OK)
        return rc;
    repo_stamp(w->out, mms, core_now());
    rc = row_keep_version(repo, mms, &w->iz);
    if (rc == CORE_OK)
        rc = row_replace(repo, &w->iz, w->old, w->out, "unlink", NULL, NULL);
    return rc;
}

int
core_unlink(struct core_repo *repo, const char *mms, struct core_link_result *res)
{
    int rc = link_role(repo, "unlinking from the network zone");
    struct link_work w;
    work_init(&w);
    if (rc == CORE_OK)
        rc = repo_link_local_tags(repo, &w.tags, true);
    /* A remote network zone: the local copy gets the record as the server
     * has it now (or, when it has none any more, as last fetched). */
    char nz[CORE_MMS_MAX] = "";
    if (rc == CORE_OK && core_nz_remote(repo))
        rc = repo_link_target(repo, mms, nz);
    if (rc == CORE_OK && nz[0] && (rc = repo_nz_fetch(repo, nz)) == CORE_ERR_NOTFOUND)
        rc = CORE_OK;
    if (rc == CORE_OK)
        rc = repo_begin(repo);
    if (rc == CORE_OK) {
        rc = finish_tx(repo, unlink_tx(repo, mms, &w));
        if (rc == CORE_OK)
            result_fill(res, w.iz.linked, &w);
    }
    work_free(&w);
    return rc;
}

/* ---- keeping the stored combination in step ---- */

/*
 * Inside a transaction: IZ bib mms, linked, stored anew as its network
 * record's current content with its local fields, when that differs from
 * what it stores: a new IZ version with the network change's user, time
 * and reason, so that the IZ's history shows who changed the record and an
 * editor that opened it before must open it again (its base version is
 * outdated).  *changed (may be NULL) says whether it did.
 */
static int
resync_one(struct core_repo *repo, const char *mms, const struct core_local_tags *t,
           bool *changed)
{
    if (changed)
        *changed = false;
    struct link_row row = {0}, nz = {0};
    struct marc_record *old = marc_record_new(), *nzr = marc_record_new(),
                       *out = marc_record_new();
    int rc = row_read(repo, CORE_ZONE_IZ, mms, &row);
    bool linked = rc == CORE_OK && row.linked[0] && !row.deleted;
    if (linked)
        rc = row_read(repo, CORE_ZONE_NZ, row.linked, &nz);
    if (linked && rc == CORE_OK)
        rc = row_decode(repo, &row, old);
    if (linked && rc == CORE_OK)
        rc = row_decode(repo, &nz, nzr);
    int fmt = 0;
    if (linked && rc == CORE_OK) {
        combine(nzr, old, row.linked, t, out);
        rc = repo_encode(repo, out, &repo->blob, &fmt);
    }
    bool differs = linked && rc == CORE_OK &&
                   (fmt != row.fmt || repo->blob.len != row.blob.len ||
                    memcmp(repo->blob.data, row.blob.data, row.blob.len) != 0);
    if (differs)
        rc = row_keep_version(repo, mms, &row);
    if (differs && rc == CORE_OK)
        rc = row_replace(repo, &row, old, out, nz.reason, row.linked, &nz);
    if (changed)
        *changed = differs && rc == CORE_OK;
    marc_record_free(old);
    marc_record_free(nzr);
    marc_record_free(out);
    row_free(&row);
    row_free(&nz);
    return rc;
}

/* The IZ bibs linked to nz_mms other than `except`; *out a heap array. */
static int
linked_list(struct core_repo *repo, const char *nz_mms, const char *except,
            char (**out)[CORE_MMS_MAX], size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 "SELECT mms FROM {Z}.bib WHERE linked = ?1 AND deleted_at IS NULL "
                                 "AND mms <> ?2 ORDER BY id");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, nz_mms);
    repo_bind_text(st, 2, except ? except : "");
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        snprintf((*out)[(*n)++], CORE_MMS_MAX, "%s", repo_col_text(st, 0));
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "finding linked records");
}

/* Inside a transaction: every IZ bib linked to nz_mms but `except` in step with it. */
static int
resync_linked(struct core_repo *repo, const char *nz_mms, const char *except,
              const struct core_local_tags *t)
{
    char (*ids)[CORE_MMS_MAX];
    size_t n;
    int rc = linked_list(repo, nz_mms, except, &ids, &n);
    for (size_t i = 0; rc == CORE_OK && i < n; i++)
        rc = resync_one(repo, ids[i], t, NULL);
    free(ids);
    return rc;
}

int
repo_link_nz_changed(struct core_repo *repo, const char *nz_mms)
{
    struct core_local_tags t;
    repo_link_local_tags(repo, &t, false);
    return resync_linked(repo, nz_mms, NULL, &t);
}

int
core_link_refresh(struct core_repo *repo, const char *mms, long *count)
{
    if (count)
        *count = 0;
    struct core_local_tags t;
    int rc = link_role(repo, "refreshing linked records");
    if (rc == CORE_OK)
        rc = repo_link_local_tags(repo, &t, true);
    char (*ids)[CORE_MMS_MAX] = NULL;
    size_t n = 0;
    if (rc == CORE_OK && mms) {
        struct link_row row = {0};
        rc = iz_bib(repo, mms, &row);
        if (rc == CORE_OK && !row.linked[0])
            rc = repo_fail(repo, CORE_ERR_USER, "%s is not linked to the network zone", mms);
        row_free(&row);
        ids = xmalloc(sizeof *ids);
        snprintf(ids[0], CORE_MMS_MAX, "%s", mms);
        n = rc == CORE_OK;
    } else if (rc == CORE_OK) {
        sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                     "SELECT mms FROM {Z}.bib WHERE linked IS NOT NULL AND "
                                     "deleted_at IS NULL ORDER BY id");
        int step = SQLITE_DONE;
        while (st && (step = sqlite3_step(st)) == SQLITE_ROW) {
            ids = xrealloc(ids, (n + 1) * sizeof *ids);
            snprintf(ids[n++], CORE_MMS_MAX, "%s", repo_col_text(st, 0));
        }
        if (st)
            sqlite3_reset(st);
        rc = !st ? CORE_ERR_DB : step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "listing");
    }
    /* Batches of 256: a refresh of a whole catalogue is not one huge transaction. */
    for (size_t i = 0; rc == CORE_OK && i < n; i += 256) {
        rc = repo_begin(repo);
        for (size_t k = i; rc == CORE_OK && k < n && k < i + 256; k++) {
            bool changed = false;
            rc = resync_one(repo, ids[k], &t, &changed);
            if (count)
                *count += changed;
        }
        rc = finish_tx(repo, rc);
    }
    free(ids);
    return rc;
}

/* ---- saving and reverting a linked bib ---- */

int
repo_link_target(struct core_repo *repo, const char *mms, char *nz_mms)
{
    nz_mms[0] = '\0';
    if (core_repo_zone_of(repo, mms) != CORE_ZONE_IZ ||
        core_mms_parse(mms, NULL, NULL) != CORE_MMS_BIB)
        return CORE_OK;
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 "SELECT linked FROM {Z}.bib WHERE mms = ?1 AND linked IS NOT NULL");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        snprintf(nz_mms, CORE_MMS_MAX, "%s", repo_col_text(st, 0));
    sqlite3_reset(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? CORE_OK
                                                     : repo_db_fail(repo, "reading a record");
}

/* Keep the acting user's lock in step with a save of the IZ bib, or drop it. */
static int
save_lock(struct core_repo *repo, const char *mms, int version, bool release)
{
    sqlite3_stmt *st =
        release ? repo_stmt(repo, CORE_ZONE_IZ, "DELETE FROM {Z}.lock WHERE mms = ?1 AND user = ?2")
                : repo_stmt(repo, CORE_ZONE_IZ,
                            "UPDATE {Z}.lock SET version = ?3, seen = ?4 WHERE mms = ?1 AND "
                            "user = ?2");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    repo_bind_text(st, 2, repo->user);
    if (!release) {
        sqlite3_bind_int(st, 3, version);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)core_now());
    }
    int rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "updating the lock");
    sqlite3_reset(st);
    return rc;
}

/* The IZ row's checks for a save: still linked to nz_mms, the version, the lock. */
static int
save_checks(struct core_repo *repo, const char *mms, const char *nz_mms, int base_version,
            const struct link_row *row)
{
    if (row->deleted)
        return repo_fail(repo, CORE_ERR_USER, "%s has been deleted", mms);
    if (base_version > 0 && base_version != row->version) {
        char when[32];
        core_format_time(row->updated, when, sizeof when);
        return repo_fail(repo, CORE_ERR_CONFLICT,
                         "%s changed since you opened it (you have version %d; it is now version "
                         "%d, saved by %s at %s); nothing was saved",
                         mms, base_version, row->version, row->updated_by, when);
    }
    if (strcmp(row->linked, nz_mms) != 0)
        return repo_fail(repo, CORE_ERR_CONFLICT,
                         "%s is no longer linked to %s (it was changed meanwhile); nothing was "
                         "saved",
                         mms, nz_mms);
    return repo_lock_check(repo, CORE_ZONE_IZ, mms, NULL);
}

/* 005 of r into out ("" when none). */
static void
stamp_of(const struct marc_record *r, char *out, size_t size)
{
    size_t len;
    const char *v = marc_record_value(r, "005", 0, &len);
    snprintf(out, size, "%.*s", v ? (int)len : 0, v ? v : "");
}

/*
 * save_network for a remote network zone: w->out (the network record to
 * be) goes to the server, whose copy is fetched first so that the 005
 * check below compares with what the server has now; w->nzr becomes the
 * record as the server stored it.
 */
static int
save_remote(struct core_repo *repo, const char *nz_mms, struct link_work *w, bool *wrote)
{
    char have[32], now[32];
    stamp_of(w->nzr, have, sizeof have);
    int rc = repo_nz_fetch(repo, nz_mms);
    if (rc == CORE_OK)
        rc = nz_bib(repo, nz_mms, &w->nz);
    if (rc == CORE_OK)
        rc = row_decode(repo, &w->nz, w->nzr);
    if (rc != CORE_OK)
        return rc;
    stamp_of(w->nzr, now, sizeof now);
    if (strcmp(have, now) != 0)
        return repo_fail(repo, CORE_ERR_CONFLICT,
                         "network zone record %s changed on the server since this repository "
                         "fetched it; nothing was saved: open the record again",
                         nz_mms);
    set_control(w->out, "001", nz_mms, strlen(nz_mms));
    rc = repo_nz_replace(repo, nz_mms, w->out);
    if (rc == CORE_OK)
        rc = nz_bib(repo, nz_mms, &w->nz);
    if (rc == CORE_OK)
        rc = row_decode(repo, &w->nz, w->nzr);
    *wrote = rc == CORE_OK;
    return rc;
}

/* The acting user at the work's time (now when w->at is 0), for row_replace. */
static void
work_by(const struct core_repo *repo, const struct link_work *w, struct link_row *by)
{
    memset(by, 0, sizeof *by);
    by->updated = w->at ? w->at : core_now();
    snprintf(by->updated_by, sizeof by->updated_by, "%s", repo->user);
}

/*
 * The network part of a save, its checks: *need says whether the edited
 * record's shared content differs from the network record's; w->out then
 * holds the network record to be (its own local fields kept), w->nz and
 * w->nzr the network record as it is.
 */
static int
network_plan(struct core_repo *repo, const char *nz_mms, const struct marc_record *r,
             struct link_work *w, bool *need)
{
    *need = false;
    int rc = nz_bib(repo, nz_mms, &w->nz);
    if (rc == CORE_OK)
        rc = row_decode(repo, &w->nz, w->nzr);
    if (rc != CORE_OK || core_match_same_shared(r, w->nzr, &w->tags))
        return rc;
    char have[32], now[32];
    stamp_of(r, have, sizeof have);
    stamp_of(w->nzr, now, sizeof now);
    if (have[0] && strcmp(have, now) != 0) {
        char when[32];
        core_format_time(w->nz.updated, when, sizeof when);
        return repo_fail(repo, CORE_ERR_CONFLICT,
                         "network zone record %s changed since you opened it (saved by %s at %s); "
                         "nothing was saved: open the record again",
                         nz_mms, w->nz.updated_by, when);
    }
    rc = repo_lock_check(repo, CORE_ZONE_NZ, nz_mms, NULL);
    if (rc != CORE_OK)
        return rc;
    core_match_compose(r, w->nzr, &w->tags, w->out);
    *need = true;
    return CORE_OK;
}

/* The network part's write (after network_plan): w->out becomes the
 * network record's new version, w->nzr what it now holds. */
static int
network_write(struct core_repo *repo, const char *nz_mms, const char *reason,
              struct link_work *w)
{
    struct link_row by;
    work_by(repo, w, &by);
    repo_stamp(w->out, nz_mms, by.updated);
    int rc = row_keep_version(repo, nz_mms, &w->nz);
    if (rc == CORE_OK)
        rc = row_replace(repo, &w->nz, w->nzr, w->out, reason, NULL, &by);
    if (rc == CORE_OK)
        marc_record_copy(w->nzr, w->out);
    return rc;
}

/* The network part of a save to a remote network zone (one transaction
 * with the checks of both records); *wrote says whether it wrote. */
static int
save_network_remote(struct core_repo *repo, const char *nz_mms, const struct marc_record *r,
                    struct link_work *w, bool *wrote)
{
    *wrote = false;
    bool need = false;
    int rc = network_plan(repo, nz_mms, r, w, &need);
    return rc == CORE_OK && need ? save_remote(repo, nz_mms, w, wrote) : rc;
}

/*
 * The IZ part: the row becomes the network record nzr with the local fields
 * of `local`, a new IZ version (reason), linked unchanged; every other IZ
 * bib linked to the network record is re-synchronised.
 */
static int
save_local(struct core_repo *repo, const char *mms, const char *nz_mms,
           const struct marc_record *local, const char *reason, bool release, int base_version,
           struct link_work *w, int *new_version)
{
    int rc = row_read(repo, CORE_ZONE_IZ, mms, &w->iz);
    if (rc == CORE_OK)
        rc = save_checks(repo, mms, nz_mms, base_version, &w->iz);
    if (rc == CORE_OK)
        rc = row_decode(repo, &w->iz, w->old);
    if (rc != CORE_OK)
        return rc;
    combine(w->nzr, local, nz_mms, &w->tags, w->out);
    struct link_row by;
    work_by(repo, w, &by);
    rc = row_keep_version(repo, mms, &w->iz);
    if (rc == CORE_OK)
        rc = row_replace(repo, &w->iz, w->old, w->out, reason, nz_mms, &by);
    if (rc == CORE_OK)
        rc = save_lock(repo, mms, w->iz.version + 1, release);
    if (rc == CORE_OK)
        rc = resync_linked(repo, nz_mms, mms, &w->tags);
    if (rc == CORE_OK && new_version)
        *new_version = w->iz.version + 1;
    return rc;
}

/* ---- the redo log of a linked save (link.h) ---- */

/* A pending save: a row of link_pending. */
struct pending {
    sqlite3_int64 id;
    char mms[CORE_MMS_MAX], nz_mms[CORE_MMS_MAX];
    int nz_version, iz_version; /* the network version it writes, the IZ one it starts from */
    struct marc_buf blob;       /* the edited record */
    int fmt;
    char user[64], reason[64];
    bool release;
    time_t at;
    int pid;
    char host[128];
};

/* An intent older than this is another process's crash, whatever its pid
 * now names: a save's two commits are milliseconds apart. */
#define PENDING_STALE_SECONDS 60

/* Record the intent of a save (inside its first transaction): *id gets the row. */
static int
pending_insert(struct core_repo *repo, const char *mms, const char *nz_mms,
               const struct link_work *w, const struct marc_record *r, const char *reason,
               bool release, sqlite3_int64 *id)
{
    struct marc_buf blob = MARC_BUF_INIT;
    int fmt = 0;
    int rc = repo_encode(repo, r, &blob, &fmt);
    sqlite3_stmt *st = NULL;
    if (rc == CORE_OK)
        st = repo_stmt(repo, CORE_ZONE_IZ,
                       "INSERT INTO {Z}.link_pending (mms, nz_mms, nz_version, iz_version, marc, "
                       "fmt, user, reason, release, at, pid, host) VALUES (?1, ?2, ?3, ?4, ?5, "
                       "?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    if (rc == CORE_OK && !st)
        rc = CORE_ERR_DB;
    if (rc == CORE_OK) {
        char host[128] = "";
        gethostname(host, sizeof host - 1);
        repo_bind_text(st, 1, mms);
        repo_bind_text(st, 2, nz_mms);
        sqlite3_bind_int(st, 3, w->nz.version + 1);
        sqlite3_bind_int(st, 4, w->iz.version);
        sqlite3_bind_blob(st, 5, blob.data, (int)blob.len, SQLITE_STATIC);
        sqlite3_bind_int(st, 6, fmt);
        repo_bind_text(st, 7, repo->user);
        repo_bind_text(st, 8, reason);
        sqlite3_bind_int(st, 9, release);
        sqlite3_bind_int64(st, 10, (sqlite3_int64)w->at);
        sqlite3_bind_int(st, 11, (int)getpid());
        repo_bind_text(st, 12, host);
        int step = sqlite3_step(st);
        sqlite3_reset(st);
        if (step == SQLITE_CONSTRAINT)
            rc = repo_fail(repo, CORE_ERR_CONFLICT,
                           "%s is being saved by another process at this moment; nothing was "
                           "saved",
                           mms);
        else if (step != SQLITE_DONE)
            rc = repo_db_fail(repo, "recording a save");
        *id = sqlite3_last_insert_rowid(repo->db);
    }
    marc_buf_free(&blob);
    return rc;
}

/* Is intent `id` still there?  (Another process may have finished or dropped it.) */
static int
pending_there(struct core_repo *repo, sqlite3_int64 id, bool *there)
{
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ, "SELECT 1 FROM {Z}.link_pending WHERE id = ?1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    *there = step == SQLITE_ROW;
    return step == SQLITE_ROW || step == SQLITE_DONE ? CORE_OK
                                                     : repo_db_fail(repo, "reading a save");
}

static int
pending_delete(struct core_repo *repo, sqlite3_int64 id)
{
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ, "DELETE FROM {Z}.link_pending WHERE id = ?1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "ending a save");
    sqlite3_reset(st);
    return rc;
}

/* The intents of IZ bib mms (all when NULL): *out a heap array, each blob
 * the caller's (pending_free_all). */
static int
pending_load(struct core_repo *repo, const char *mms, struct pending **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 "SELECT id, mms, nz_mms, nz_version, iz_version, marc, fmt, user, "
                                 "reason, release, at, pid, host FROM {Z}.link_pending WHERE ?1 IS "
                                 "NULL OR mms = ?1 ORDER BY id");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        struct pending *p = &(*out)[(*n)++];
        memset(p, 0, sizeof *p);
        p->id = sqlite3_column_int64(st, 0);
        snprintf(p->mms, sizeof p->mms, "%s", repo_col_text(st, 1));
        snprintf(p->nz_mms, sizeof p->nz_mms, "%s", repo_col_text(st, 2));
        p->nz_version = sqlite3_column_int(st, 3);
        p->iz_version = sqlite3_column_int(st, 4);
        marc_buf_append(&p->blob, sqlite3_column_blob(st, 5), (size_t)sqlite3_column_bytes(st, 5));
        p->fmt = sqlite3_column_int(st, 6);
        snprintf(p->user, sizeof p->user, "%s", repo_col_text(st, 7));
        snprintf(p->reason, sizeof p->reason, "%s", repo_col_text(st, 8));
        p->release = sqlite3_column_int(st, 9) != 0;
        p->at = (time_t)sqlite3_column_int64(st, 10);
        p->pid = sqlite3_column_int(st, 11);
        snprintf(p->host, sizeof p->host, "%s", repo_col_text(st, 12));
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "reading unfinished saves");
}

static void
pending_free_all(struct pending *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        marc_buf_free(&p[i].blob);
    free(p);
}

/*
 * Did the save's network transaction commit?  Its network version is there
 * (current or in the history) with the save's time, user and reason -- a
 * version number alone could be another repository's save made since.
 */
static int
pending_reached(struct core_repo *repo, const struct pending *p, bool *reached)
{
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_NZ,
                                 "SELECT 1 FROM {Z}.bib WHERE mms = ?1 AND version = ?2 AND "
                                 "updated_at = ?3 AND updated_by = ?4 AND reason = ?5 UNION ALL "
                                 "SELECT 1 FROM {Z}.version WHERE mms = ?1 AND number = ?2 AND "
                                 "at = ?3 AND user = ?4 AND reason = ?5");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, p->nz_mms);
    sqlite3_bind_int(st, 2, p->nz_version);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)p->at);
    repo_bind_text(st, 4, p->user);
    repo_bind_text(st, 5, p->reason);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    *reached = step == SQLITE_ROW;
    return step == SQLITE_ROW || step == SQLITE_DONE ? CORE_OK
                                                     : repo_db_fail(repo, "reading a save");
}

/*
 * Roll a save forward (inside a transaction): its IZ part, as its last
 * transaction would have written it -- its user, time, reason, lock
 * release.  When the IZ row changed meanwhile (another version, unlinked,
 * deleted: someone else's write, which the IZ part must not undo), only
 * the network's new shared content reaches it, as `link --refresh` does.
 */
static int
pending_roll_forward(struct core_repo *repo, const struct pending *p,
                     const struct core_local_tags *tags)
{
    struct link_work w;
    work_init(&w);
    w.tags = *tags;
    w.at = p->at;
    struct marc_record *local = marc_record_new();
    char *me = repo->user;
    char user[sizeof p->user];
    snprintf(user, sizeof user, "%s", p->user);
    repo->user = user; /* acting as the saver, whose roles were checked then */
    int rc = repo_decode(repo, p->blob.data, p->blob.len, p->fmt, local);
    if (rc == CORE_OK)
        rc = nz_bib(repo, p->nz_mms, &w.nz);
    if (rc == CORE_OK)
        rc = row_decode(repo, &w.nz, w.nzr);
    if (rc == CORE_OK)
        rc = row_read(repo, CORE_ZONE_IZ, p->mms, &w.iz);
    if (rc == CORE_OK) {
        int checks = save_checks(repo, p->mms, p->nz_mms, p->iz_version, &w.iz);
        if (checks == CORE_OK)
            rc = save_local(repo, p->mms, p->nz_mms, local, p->reason, p->release, p->iz_version,
                            &w, NULL);
        else if (checks == CORE_ERR_DB)
            rc = checks;
        else
            rc = resync_one(repo, p->mms, tags, NULL);
    }
    repo->user = me;
    marc_record_free(local);
    work_free(&w);
    return rc;
}

/* Inside a transaction: finish or drop the intents of mms (all when NULL)
 * but those of a live process, which is finishing them itself. */
static int
pending_recover_tx(struct core_repo *repo, const char *mms, const struct core_local_tags *tags)
{
    struct pending *p;
    size_t n;
    int rc = pending_load(repo, mms, &p, &n);
    time_t now = core_now();
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        if (p[i].pid != (int)getpid() && now - p[i].at < PENDING_STALE_SECONDS &&
            repo_process_alive(p[i].pid, p[i].host))
            continue;
        bool reached = false;
        rc = pending_reached(repo, &p[i], &reached);
        if (rc == CORE_OK && reached)
            rc = pending_roll_forward(repo, &p[i], tags);
        if (rc == CORE_OK)
            rc = pending_delete(repo, p[i].id);
    }
    pending_free_all(p, n);
    return rc;
}

int
repo_link_recover(struct core_repo *repo, const char *mms)
{
    if (!repo->has_zone[CORE_ZONE_NZ] || repo->nz_remote)
        return CORE_OK;
    /* The cheap check first: the table is empty but for a crash. */
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 "SELECT 1 FROM {Z}.link_pending WHERE ?1 IS NULL OR mms = ?1 "
                                 "LIMIT 1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step == SQLITE_DONE)
        return CORE_OK;
    if (step != SQLITE_ROW)
        return repo_db_fail(repo, "reading unfinished saves");
    struct core_local_tags tags;
    repo_link_local_tags(repo, &tags, false);
    /* BEGIN IMMEDIATE: a second process recovering at once waits, then
     * finds the rows gone. */
    int rc = repo_begin(repo);
    if (rc == CORE_OK)
        rc = finish_tx(repo, pending_recover_tx(repo, mms, &tags));
    return rc;
}

/* ---- saving and reverting: the transactions ---- */

/* A save to a remote network zone: the server first, then the IZ row (link.h). */
static int
save_remote_nz(struct core_repo *repo, const char *mms, const char *nz_mms, struct marc_record *r,
               int base_version, const char *reason, bool release, struct link_work *w,
               int *new_version)
{
    bool wrote = false;
    int rc = repo_begin(repo);
    if (rc == CORE_OK) {
        rc = row_read(repo, CORE_ZONE_IZ, mms, &w->iz);
        if (rc == CORE_OK)
            rc = save_checks(repo, mms, nz_mms, base_version, &w->iz);
        if (rc == CORE_OK)
            rc = save_network_remote(repo, nz_mms, r, w, &wrote);
        rc = finish_tx(repo, rc);
    }
    if (rc == CORE_OK)
        rc = repo_begin(repo);
    if (rc == CORE_OK) {
        int base = base_version > 0 ? base_version : w->iz.version;
        rc = finish_tx(repo,
                       save_local(repo, mms, nz_mms, r, reason, release, base, w, new_version));
        if (rc != CORE_OK && wrote) {
            char msg[sizeof repo->errmsg];
            snprintf(msg, sizeof msg, "%s", repo->errmsg);
            repo_fail(repo, rc,
                      "the shared fields were saved in network zone record %s, the local "
                      "fields of %s were not: %s",
                      nz_mms, mms, msg);
        }
    }
    return rc;
}

/* Step 2 of a logged save: the network record, while the intent is still there. */
static int
save_logged_network(struct core_repo *repo, const char *mms, const char *nz_mms,
                    const struct marc_record *r, const char *reason, sqlite3_int64 id,
                    struct link_work *w)
{
    int expected = w->nz.version + 1;
    bool there = false, need = false;
    int rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    rc = pending_there(repo, id, &there);
    if (rc == CORE_OK && !there)
        rc = repo_fail(repo, CORE_ERR_CONFLICT,
                       "another process took this save of %s for an interrupted one and "
                       "dropped it; nothing was saved: save again",
                       mms);
    if (rc == CORE_OK)
        rc = network_plan(repo, nz_mms, r, w, &need);
    if (rc == CORE_OK && (!need || w->nz.version + 1 != expected))
        rc = repo_fail(repo, CORE_ERR_CONFLICT,
                       "network zone record %s changed while %s was being saved; nothing was "
                       "saved: open the record again",
                       nz_mms, mms);
    if (rc == CORE_OK)
        rc = network_write(repo, nz_mms, reason, w);
    return finish_tx(repo, rc);
}

/*
 * A save to a network zone file: three transactions (link.h).  1. the
 * checks of both records and, when the shared fields change, the intent
 * (a local-only save is done there and then); 2. the network record;
 * 3. the IZ row and the intent's end.
 */
static int
save_logged(struct core_repo *repo, const char *mms, const char *nz_mms, struct marc_record *r,
            int base_version, const char *reason, bool release, struct link_work *w,
            int *new_version)
{
    bool need = false;
    sqlite3_int64 id = 0;
    int rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    rc = pending_recover_tx(repo, mms, &w->tags); /* an earlier save of it, interrupted */
    if (rc == CORE_OK)
        rc = row_read(repo, CORE_ZONE_IZ, mms, &w->iz);
    if (rc == CORE_OK)
        rc = save_checks(repo, mms, nz_mms, base_version, &w->iz);
    if (rc == CORE_OK)
        rc = network_plan(repo, nz_mms, r, w, &need);
    int base = w->iz.version;
    if (rc == CORE_OK && need)
        rc = pending_insert(repo, mms, nz_mms, w, r, reason, release, &id);
    else if (rc == CORE_OK)
        rc = save_local(repo, mms, nz_mms, r, reason, release, base, w, new_version);
    rc = finish_tx(repo, rc);
    if (rc != CORE_OK || !need)
        return rc;
    repo_crash_point("link-intent");
    rc = save_logged_network(repo, mms, nz_mms, r, reason, id, w);
    if (rc != CORE_OK) {
        if (repo_begin(repo) == CORE_OK) /* else recovery drops it: the NZ has no such version */
            finish_tx(repo, pending_delete(repo, id));
        return rc;
    }
    repo_crash_point("link-network");
    bool there = false;
    rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    rc = pending_there(repo, id, &there);
    if (rc == CORE_OK && there)
        rc = save_local(repo, mms, nz_mms, r, reason, release, base, w, new_version);
    if (rc == CORE_OK && there)
        rc = pending_delete(repo, id);
    else if (rc == CORE_OK) { /* another process rolled it forward, as this would have */
        rc = row_read(repo, CORE_ZONE_IZ, mms, &w->iz);
        if (rc == CORE_OK && new_version)
            *new_version = w->iz.version;
    }
    rc = finish_tx(repo, rc);
    if (rc != CORE_OK) {
        char msg[sizeof repo->errmsg];
        snprintf(msg, sizeof msg, "%s", repo->errmsg);
        repo_fail(repo, rc,
                  "the shared fields were saved in network zone record %s, the local fields of "
                  "%s not yet (they will be when the record or the repository is next opened): "
                  "%s",
                  nz_mms, mms, msg);
    }
    return rc;
}

int
repo_link_save(struct core_repo *repo, const char *mms, const char *nz_mms, struct marc_record *r,
               int base_version, const char *reason, bool release, marc_diag_fn diag, void *dctx,
               int *new_version)
{
    struct link_work w;
    work_init(&w);
    w.at = core_now();
    int rc = repo_link_local_tags(repo, &w.tags, true);
    if (rc == CORE_OK)
        rc = repo_normalize(repo, r, diag, dctx);
    if (rc == CORE_OK)
        rc = repo_validate(repo, r, diag, dctx);
    if (rc == CORE_OK && core_nz_remote(repo))
        rc = save_remote_nz(repo, mms, nz_mms, r, base_version, reason, release, &w, new_version);
    else if (rc == CORE_OK)
        rc = save_logged(repo, mms, nz_mms, r, base_version, reason, release, &w, new_version);
    work_free(&w);
    return rc;
}

int
repo_link_revert(struct core_repo *repo, const char *mms, const char *nz_mms,
                 struct marc_record *r, int base_version, int *new_version)
{
    size_t len;
    const char *v001 = marc_record_value(r, "001", 0, &len);
    bool while_linked = v001 && len == strlen(nz_mms) && memcmp(v001, nz_mms, len) == 0;
    struct link_work w;
    work_init(&w);
    int rc = repo_link_local_tags(repo, &w.tags, true);
    if (rc == CORE_OK)
        rc = repo_begin(repo);
    if (rc != CORE_OK) {
        work_free(&w);
        return rc;
    }
    if (while_linked) {
        /* The version's local fields come back; the shared content stays the network's. */
        rc = nz_bib(repo, nz_mms, &w.nz);
        if (rc == CORE_OK)
            rc = row_decode(repo, &w.nz, w.nzr);
        if (rc == CORE_OK)
            rc = save_local(repo, mms, nz_mms, r, "revert", false, base_version, &w, new_version);
    } else {
        /* A version from before the link: reverting to it undoes the link. */
        rc = row_read(repo, CORE_ZONE_IZ, mms, &w.iz);
        if (rc == CORE_OK)
            rc = save_checks(repo, mms, nz_mms, base_version, &w.iz);
        if (rc == CORE_OK)
            rc = row_decode(repo, &w.iz, w.old);
        if (rc == CORE_OK) {
            repo_stamp(r, mms, core_now());
            rc = row_keep_version(repo, mms, &w.iz);
        }
        if (rc == CORE_OK)
            rc = row_replace(repo, &w.iz, w.old, r, "revert", NULL, NULL);
        if (rc == CORE_OK && new_version)
            *new_version = w.iz.version + 1;
    }
    rc = finish_tx(repo, rc);
    work_free(&w);
    return rc;
}
