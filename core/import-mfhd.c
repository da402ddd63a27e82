/*
 * import-mfhd.c - holdings records (MFHD) in an import: the bib their 004
 * names, the items their 876-878 fields describe, and storing both.
 *
 * 004 holds the bib's original 001 (what the exporting system called it),
 * found through the bib's 'c:' key, or an MMS ID of the zone.  Each 876
 * (877 supplementary material, 878 indexes) becomes one item: $p barcode,
 * $3 description (else $t copy number), $j status.  The fields are then
 * removed from the stored holdings record: items live in the item table,
 * and an export with holdings writes them back as 876 fields, so keeping a
 * copy in the MFHD would only let the two disagree.  The mapping of $j is
 * in docs/IMPORT.md.
 */
#include "import-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *word;
    enum core_item_status status;
} status_words[] = {
    {"in place", CORE_ITEM_IN_PLACE},   {"in-place", CORE_ITEM_IN_PLACE},
    {"available", CORE_ITEM_IN_PLACE},  {"on shelf", CORE_ITEM_IN_PLACE},
    {"missing", CORE_ITEM_MISSING},     {"lost", CORE_ITEM_LOST},
    {"withdrawn", CORE_ITEM_WITHDRAWN}, {"discarded", CORE_ITEM_WITHDRAWN},
    {"deleted", CORE_ITEM_WITHDRAWN},   {"predicted", CORE_ITEM_PREDICTED},
    {"expected", CORE_ITEM_PREDICTED},  {"on order", CORE_ITEM_PREDICTED},
};

/* Status of a $j value; -1 when it is none Colophon knows. */
static int
map_status(const char *v, size_t len)
{
    while (len && (v[len - 1] == ' ' || v[len - 1] == '.' || v[len - 1] == ';'))
        len--;
    while (len && *v == ' ')
        v++, len--;
    if (!len)
        return CORE_ITEM_IN_PLACE;
    for (size_t i = 0; i < sizeof status_words / sizeof *status_words; i++)
        if (strlen(status_words[i].word) == len && strncasecmp(status_words[i].word, v, len) == 0)
            return (int)status_words[i].status;
    return -1;
}

static bool
is_item_tag(const char *tag)
{
    return strcmp(tag, "876") == 0 || strcmp(tag, "877") == 0 || strcmp(tag, "878") == 0;
}

/* Copy a subfield value trimmed of blanks; false when absent or empty. */
static bool
subfield_text(const struct marc_field *f, char code, const char **v, size_t *len)
{
    *v = marc_field_value(f, code, len);
    while (*v && *len && (*v)[*len - 1] == ' ')
        (*len)--;
    while (*v && *len && **v == ' ')
        (*v)++, (*len)--;
    return *v && *len;
}

struct items {
    struct core_item_info *v;
    size_t n, cap;
};

static void
items_free(struct items *it)
{
    free(it->v);
    memset(it, 0, sizeof *it);
}

/* The description: $3, else $t; cut (on a character boundary) to fit. */
static void
item_description(struct imp *im, const struct marc_field *f, struct marc_where *w,
                 struct marc_decode_ctx *ctx, struct core_item_info *item)
{
    const char *v;
    size_t len;
    char code = '3';
    if (!subfield_text(f, '3', &v, &len)) {
        code = 't';
        if (!subfield_text(f, 't', &v, &len))
            return;
    }
    size_t max = sizeof item->description - 1;
    if (len > max) {
        len = max;
        while (len && ((unsigned char)v[len] & 0xC0) == 0x80)
            len--; /* not inside a UTF-8 sequence */
        w->subfield = code;
        if (!im->checking)
            marc_codec_report_at(ctx, MARC_SEV_WARNING, MARC_ERR_INVALID, "import-item-description",
                                 w, "item description cut to its first %zu bytes", len);
    }
    memcpy(item->description, v, len);
    item->description[len] = '\0';
}

static void
item_status(struct imp *im, const struct marc_field *f, struct marc_where *w,
            struct marc_decode_ctx *ctx, struct core_item_info *item)
{
    const char *v;
    size_t len;
    item->status = CORE_ITEM_IN_PLACE;
    if (!subfield_text(f, 'j', &v, &len))
        return;
    int s = map_status(v, len);
    if (s >= 0) {
        item->status = (enum core_item_status)s;
        return;
    }
    w->subfield = 'j';
    if (!im->checking)
        marc_codec_report_at(ctx, MARC_SEV_WARNING, MARC_ERR_INVALID, "import-item-status", w,
                             "item status '%.*s' is not one Colophon knows (in place, missing, "
                             "lost, withdrawn, predicted); the item is in place",
                             (int)(len > 60 ? 60 : len), v);
}

/* The items of r's 876-878; false (a problem reported) when one cannot be made. */
static bool
extract_items(struct imp *im, const struct marc_record *r, struct marc_decode_ctx *ctx,
              struct items *out)
{
    size_t n = marc_record_field_count(r);
    for (size_t i = 0; i < n; i++) {
        const struct marc_field *f = marc_record_field(r, i);
        if (!is_item_tag(marc_field_tag(f)) || marc_field_is_control(f))
            continue;
        struct marc_where w = MARC_WHERE_NONE;
        w.tag = marc_field_tag(f);
        w.occurrence = marc_record_occurrence(r, i);
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 8;
            out->v = xrealloc(out->v, out->cap * sizeof *out->v);
        }
        struct core_item_info *item = &out->v[out->n];
        memset(item, 0, sizeof *item);
        const char *v;
        size_t len;
        if (subfield_text(f, 'p', &v, &len)) {
            if (len >= sizeof item->barcode) {
                w.subfield = 'p';
                imp_problem_at(im, ctx, &w, "import-barcode",
                               "barcode '%.40s...' is longer than %zu bytes", v,
                               sizeof item->barcode - 1);
                return false;
            }
            memcpy(item->barcode, v, len);
            item->barcode[len] = '\0';
        }
        item_description(im, f, &w, ctx, item);
        item_status(im, f, &w, ctx, item);
        out->n++;
    }
    return true;
}

/* ---- which bib ---- */

struct bib_match {
    sqlite3_int64 id;
    char mms[CORE_MMS_MAX];
    int count; /* bibs that 004 names */
    char others[3][CORE_MMS_MAX];
};

/* The bib that `ref` (a 004 value) names: an MMS ID of the zone, else the
 * bibs whose original 001 it is (the newest first). */
static int
find_bib(struct imp *im, const char *ref, struct bib_match *m)
{
    memset(m, 0, sizeof *m);
    sqlite3_stmt *st;
    if (core_mms_parse(ref, NULL, NULL) == CORE_MMS_BIB &&
        core_repo_zone_of(im->repo, ref) == (int)im->zone) {
        st = repo_stmt(im->repo, im->zone,
                       "SELECT id, mms FROM {Z}.bib WHERE mms = ?1 AND deleted_at IS NULL");
        if (!st)
            return CORE_ERR_DB;
        repo_bind_text(st, 1, ref);
    } else {
        st = repo_stmt(im->repo, im->zone,
                       "SELECT b.id, b.mms FROM {Z}.ident i JOIN {Z}.bib b ON b.id = i.bib "
                       "WHERE i.key = ?1 AND b.deleted_at IS NULL ORDER BY b.id DESC LIMIT 4");
        if (!st)
            return CORE_ERR_DB;
        char key[CORE_IDENT_MAX + 4];
        snprintf(key, sizeof key, "%c:%s", CORE_ID_CONTROL, ref);
        repo_bind_text(st, 1, key);
    }
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (m->count == 0) {
            m->id = sqlite3_column_int64(st, 0);
            snprintf(m->mms, sizeof m->mms, "%s", repo_col_text(st, 1));
        } else {
            snprintf(m->others[m->count - 1], sizeof m->others[0], "%s", repo_col_text(st, 1));
        }
        m->count++;
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(im->repo, "finding the bib of holdings");
}

/* ---- the check pass ---- */

static void
push_ref(struct imp *im, const char *value, const struct marc_decode_ctx *ctx)
{
    if (im->nrefs == im->caprefs) {
        im->caprefs = im->caprefs ? im->caprefs * 2 : 64;
        im->refs = xrealloc(im->refs, im->caprefs * sizeof *im->refs);
    }
    struct imp_ref *ref = &im->refs[im->nrefs++];
    snprintf(ref->value, sizeof ref->value, "%s", value);
    ref->record = ctx->record;
    ref->offset = ctx->offset;
    ref->line = ctx->line;
}

/* A barcode already used in the zone: a problem unless this file's earlier
 * run put it there (known only when the pass ends: see imp_check_refs). */
static void
check_barcode_in_zone(struct imp *im, const char *barcode, const struct marc_decode_ctx *ctx)
{
    sqlite3_stmt *st = repo_stmt(im->repo, im->zone, "SELECT mms FROM {Z}.item WHERE barcode = ?1");
    if (!st)
        return;
    repo_bind_text(st, 1, barcode);
    if (sqlite3_step(st) == SQLITE_ROW) {
        if (im->ntaken == im->captaken) {
            im->captaken = im->captaken ? im->captaken * 2 : 16;
            im->taken = xrealloc(im->taken, im->captaken * sizeof *im->taken);
        }
        struct imp_taken *t = &im->taken[im->ntaken++];
        snprintf(t->barcode, sizeof t->barcode, "%s", barcode);
        snprintf(t->item, sizeof t->item, "%s", repo_col_text(st, 0));
        t->record = ctx->record;
        t->offset = ctx->offset;
        t->line = ctx->line;
    }
    sqlite3_reset(st);
}

void
imp_check_holdings(struct imp *im, const struct marc_record *r, struct marc_decode_ctx *ctx)
{
    if (!(im->roles & CORE_ROLE_INVENTORY)) {
        imp_problem(im, ctx, "import-role",
                    "importing a holdings record needs role inventory, which %s does not have",
                    core_repo_user(im->repo));
        return;
    }
    char ref[IMP_CONTROL_MAX];
    if (!imp_control_number(r, "004", ref, sizeof ref)) {
        imp_problem(im, ctx, "import-no-004",
                    "this holdings record has no 004 (the control number of its bib)");
        return;
    }
    push_ref(im, ref, ctx);
    struct items items = {0};
    if (extract_items(im, r, ctx, &items)) {
        for (size_t i = 0; i < items.n; i++) {
            const char *b = items.v[i].barcode;
            long first;
            if (!*b)
                continue;
            if (!imp_hset_add(&im->barcodes, imp_hash(b, strlen(b)), ctx->record, &first))
                imp_problem(im, ctx, "import-barcode-twice",
                            "barcode %s is also on an item of record %ld of this file", b, first);
            else
                check_barcode_in_zone(im, b, ctx);
        }
    }
    items_free(&items);
}

void
imp_check_refs(struct imp *im)
{
    for (size_t i = 0; i < im->nrefs; i++) {
        const struct imp_ref *ref = &im->refs[i];
        if (imp_hset_has(&im->bib001, imp_hash(ref->value, strlen(ref->value))))
            continue;
        struct bib_match m;
        if (find_bib(im, ref->value, &m) != CORE_OK || m.count > 0)
            continue;
        struct marc_decode_ctx ctx = {.record = ref->record,
                                      .offset = ref->offset,
                                      .line = ref->line,
                                      .diag = im->o->diag,
                                      .diag_ctx = im->o->diag_ctx};
        imp_problem(im, &ctx, "import-no-bib",
                    "its 004 '%s' names no bib: none in this file has that 001, and the %s has "
                    "no bib with that original 001 or MMS ID",
                    ref->value, core_zone_name(im->zone));
    }
    for (size_t i = 0; i < im->ntaken; i++) {
        const struct imp_taken *t = &im->taken[i];
        if (im->nrecords + t->record <= im->done)
            continue; /* imported by this file's interrupted run */
        struct marc_decode_ctx ctx = {.record = t->record,
                                      .offset = t->offset,
                                      .line = t->line,
                                      .diag = im->o->diag,
                                      .diag_ctx = im->o->diag_ctx};
        imp_problem(im, &ctx, "import-barcode-taken", "barcode %s already belongs to item %s",
                    t->barcode, t->item);
    }
}

/* ---- storing ---- */

static void
strip_items(struct marc_record *r)
{
    for (size_t i = marc_record_field_count(r); i-- > 0;)
        if (is_item_tag(marc_field_tag(marc_record_field(r, i))))
            marc_record_delete_field(r, i);
}

static void
set_004(struct marc_record *r, const char *mms)
{
    long i = marc_record_find(r, "004", 0);
    if (i >= 0 && marc_field_is_control(marc_record_field(r, (size_t)i)))
        marc_record_set_control(r, (size_t)i, mms, strlen(mms));
    else
        marc_record_add_control(r, "004", mms, strlen(mms));
}

static int
insert_holding(struct imp *im, sqlite3_int64 bib_id, const struct marc_record *r, int fmt,
               sqlite3_int64 *hid)
{
    struct core_holdings_keys hk;
    core_holdings_keys_extract(r, &hk);
    sqlite3_stmt *st =
        repo_stmt(im->repo, im->zone,
                  "INSERT INTO {Z}.holding (mms, bib, marc, fmt, reason, created_at, "
                  "created_by, updated_at, updated_by, library, location, "
                  "call_number) VALUES (?1, ?2, ?3, ?4, 'import', ?5, ?6, ?5, ?6, "
                  "?7, ?8, ?9)");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, im->mms);
    sqlite3_bind_int64(st, 2, bib_id);
    sqlite3_bind_blob(st, 3, im->blob.data, (int)im->blob.len, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, fmt);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)core_now());
    repo_bind_text(st, 6, core_repo_user(im->repo));
    repo_bind_text(st, 7, hk.library);
    repo_bind_text(st, 8, hk.location);
    repo_bind_text(st, 9, hk.call_number);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return repo_db_fail(im->repo, "storing holdings");
    *hid = sqlite3_last_insert_rowid(im->repo->db);
    st = repo_stmt(im->repo, im->zone, "UPDATE {Z}.bib SET holdings = holdings + 1 WHERE id = ?1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, bib_id);
    step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(im->repo, "counting holdings");
}

/* The holdings row and its items; CORE_ERR_USER for an item refused (barcode). */
static int
store(struct imp *im, struct marc_record *r, const struct bib_match *m, const struct items *items,
      struct marc_decode_ctx *ctx, bool *invalid)
{
    char orig[128];
    strip_items(r);
    repo_keep_old_001(r, orig, sizeof orig);
    int rc = repo_next_mms(im->repo, im->zone, CORE_MMS_HOLDINGS, im->mms);
    if (rc != CORE_OK)
        return rc;
    repo_stamp(r, im->mms, core_now());
    set_004(r, m->mms);
    int fmt;
    rc = repo_encode(im->repo, r, &im->blob, &fmt);
    sqlite3_int64 hid = 0;
    if (rc == CORE_OK)
        rc = insert_holding(im, m->id, r, fmt, &hid);
    for (size_t i = 0; rc == CORE_OK && i < items->n; i++)
        rc = repo_item_insert(im->repo, im->zone, hid, &items->v[i], NULL);
    /* Validation last: only a record that is stored is reported as one to fix. */
    if (rc == CORE_OK)
        *invalid = imp_lint(im, r, ctx);
    return rc;
}

static int
savepoint(struct imp *im, const char *sql)
{
    return repo_exec(im->repo, sql);
}

int
imp_store_holdings(struct imp *im, struct marc_record *r, struct marc_decode_ctx *ctx)
{
    if (!(im->roles & CORE_ROLE_INVENTORY)) {
        imp_problem(im, ctx, "import-role",
                    "importing a holdings record needs role inventory, which %s does not have",
                    core_repo_user(im->repo));
        return CORE_OK;
    }
    char ref[IMP_CONTROL_MAX];
    if (!imp_control_number(r, "004", ref, sizeof ref)) {
        imp_problem(im, ctx, "import-no-004",
                    "this holdings record has no 004 (the control number of its bib)");
        return CORE_OK;
    }
    struct bib_match m;
    int rc = find_bib(im, ref, &m);
    if (rc != CORE_OK)
        return rc;
    if (m.count == 0) {
        imp_problem(im, ctx, "import-no-bib",
                    "its 004 '%s' names no bib: the %s has no bib with that original 001 or "
                    "MMS ID",
                    ref, core_zone_name(im->zone));
        return CORE_OK;
    }
    if (m.count > 1)
        marc_codec_report_at(ctx, MARC_SEV_WARNING, MARC_ERR_INVALID, "import-004-several", NULL,
                             "its 004 '%s' is the original 001 of %s bibs (%s, %s%s%s%s); "
                             "attached to the newest, %s",
                             ref,
                             m.count > 3    ? "several"
                             : m.count == 3 ? "three"
                                            : "two",
                             m.mms, m.others[0], m.count > 2 ? ", " : "",
                             m.count > 2 ? m.others[1] : "", m.count > 3 ? ", ..." : "", m.mms);
    struct items items = {0};
    if (!extract_items(im, r, ctx, &items)) {
        items_free(&items);
        return CORE_OK;
    }
    bool invalid = false;
    rc = savepoint(im, "SAVEPOINT import_holdings");
    if (rc == CORE_OK)
        rc = store(im, r, &m, &items, ctx, &invalid);
    if (rc == CORE_ERR_USER) {
        /* An item was refused (its barcode is taken): the record goes whole. */
        char why[300];
        snprintf(why, sizeof why, "%s", core_repo_errmsg(im->repo));
        rc = savepoint(im, "ROLLBACK TO import_holdings");
        if (rc == CORE_OK)
            rc = savepoint(im, "RELEASE import_holdings");
        if (rc == CORE_OK)
            imp_problem(im, ctx, "import-barcode-taken", "%s", why);
    } else if (rc == CORE_OK) {
        rc = savepoint(im, "RELEASE import_holdings");
        if (rc == CORE_OK) {
            im->rep->holdings++;
            im->rep->items += (long)items.n;
            im->rep->invalid += invalid;
        }
    }
    items_free(&items);
    return rc;
}
