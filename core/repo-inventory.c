/*
 * repo-inventory.c - holdings and items of a bib (SPEC §2): listing,
 * creating and changing items, finding an item by barcode.
 */
#include "repo-int.h"

#include <stdio.h>
#include <string.h>

static const char *const status_names[] = {"in place", "missing", "lost", "withdrawn",
                                           "predicted"};

const char *
core_item_status_name(enum core_item_status s)
{
    return (unsigned)s < sizeof status_names / sizeof *status_names ? status_names[s] : "?";
}

int
core_item_status_parse(const char *s)
{
    for (size_t i = 0; s && i < sizeof status_names / sizeof *status_names; i++)
        if (strcmp(s, status_names[i]) == 0)
            return (int)i;
    if (s && strcmp(s, "in-place") == 0)
        return CORE_ITEM_IN_PLACE;
    return -1;
}

int
core_holdings_list(struct core_repo *repo, const char *bib_mms, struct core_holdings_info **out,
                   size_t *n)
{
    *out = NULL;
    *n = 0;
    enum core_zone zone;
    int rc = repo_zone_for(repo, bib_mms, &zone);
    if (rc != CORE_OK)
        return rc;
    sqlite3_stmt *st = repo_stmt(
        repo, zone,
        "SELECT h.mms, h.library, h.location, h.call_number, "
        "(SELECT count(*) FROM {Z}.item i WHERE i.holding = h.id) "
        "FROM {Z}.holding h JOIN {Z}.bib b ON b.id = h.bib WHERE b.mms = ?1 ORDER BY h.id");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, bib_mms);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 4;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        struct core_holdings_info *h = &(*out)[(*n)++];
        memset(h, 0, sizeof *h);
        snprintf(h->mms, sizeof h->mms, "%s", repo_col_text(st, 0));
        snprintf(h->library, sizeof h->library, "%s", repo_col_text(st, 1));
        snprintf(h->location, sizeof h->location, "%s", repo_col_text(st, 2));
        snprintf(h->call_number, sizeof h->call_number, "%s", repo_col_text(st, 3));
        h->items = sqlite3_column_int(st, 4);
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "listing holdings");
}

static void
fill_item(sqlite3_stmt *st, struct core_item_info *it)
{
    memset(it, 0, sizeof *it);
    snprintf(it->mms, sizeof it->mms, "%s", repo_col_text(st, 0));
    snprintf(it->holdings, sizeof it->holdings, "%s", repo_col_text(st, 1));
    snprintf(it->barcode, sizeof it->barcode, "%s", repo_col_text(st, 2));
    snprintf(it->description, sizeof it->description, "%s", repo_col_text(st, 3));
    int s = core_item_status_parse(repo_col_text(st, 4));
    it->status = s < 0 ? CORE_ITEM_IN_PLACE : (enum core_item_status)s;
}

int
core_items_list(struct core_repo *repo, const char *holdings_mms, struct core_item_info **out,
                size_t *n)
{
    *out = NULL;
    *n = 0;
    enum core_zone zone;
    int rc = repo_zone_for(repo, holdings_mms, &zone);
    if (rc != CORE_OK)
        return rc;
    sqlite3_stmt *st = repo_stmt(repo, zone,
                                 "SELECT i.mms, h.mms, i.barcode, i.description, i.status FROM "
                                 "{Z}.item i JOIN {Z}.holding h ON h.id = i.holding WHERE h.mms = "
                                 "?1 ORDER BY i.id");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, holdings_mms);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        fill_item(st, &(*out)[(*n)++]);
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "listing items");
}

int
core_item_by_barcode(struct core_repo *repo, const char *barcode, struct core_item_info *out)
{
    for (int z = 0; z < CORE_NZONES; z++) {
        if (!repo->has_zone[z])
            continue;
        sqlite3_stmt *st = repo_stmt(repo, (enum core_zone)z,
                                     "SELECT i.mms, h.mms, i.barcode, i.description, i.status "
                                     "FROM {Z}.item i JOIN {Z}.holding h ON h.id = i.holding "
                                     "WHERE i.barcode = ?1");
        if (!st)
            return CORE_ERR_DB;
        repo_bind_text(st, 1, barcode);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW)
            fill_item(st, out);
        sqlite3_reset(st);
        if (step == SQLITE_ROW)
            return CORE_OK;
        if (step != SQLITE_DONE)
            return repo_db_fail(repo, "finding an item");
    }
    return repo_fail(repo, CORE_ERR_NOTFOUND, "no item with barcode %s", barcode);
}

int
repo_item_insert(struct core_repo *repo, enum core_zone zone, sqlite3_int64 hid,
                 const struct core_item_info *item, char *mms_out)
{
    char mms[CORE_MMS_MAX];
    int rc = repo_next_mms(repo, zone, CORE_MMS_ITEM, mms);
    if (rc != CORE_OK)
        return rc;
    sqlite3_stmt *st = repo_stmt(repo, zone,
                                 "INSERT INTO {Z}.item (mms, holding, barcode, description, status, "
                                 "created_at, created_by, updated_at, updated_by) VALUES (?1, ?2, "
                                 "?3, ?4, ?5, ?6, ?7, ?6, ?7)");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    sqlite3_bind_int64(st, 2, hid);
    repo_bind_text(st, 3, item->barcode[0] ? item->barcode : NULL);
    repo_bind_text(st, 4, item->description);
    repo_bind_text(st, 5, core_item_status_name(item->status));
    sqlite3_bind_int64(st, 6, (sqlite3_int64)core_now());
    repo_bind_text(st, 7, repo->user);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step == SQLITE_CONSTRAINT) {
        struct core_item_info other;
        if (core_item_by_barcode(repo, item->barcode, &other) == CORE_OK)
            return repo_fail(repo, CORE_ERR_USER, "barcode %s already belongs to item %s",
                             item->barcode, other.mms);
        return repo_fail(repo, CORE_ERR_USER, "barcode %s is already used", item->barcode);
    }
    if (step != SQLITE_DONE)
        return repo_db_fail(repo, "storing an item");
    st = repo_stmt(repo, zone,
                   "UPDATE {Z}.bib SET items = items + 1 WHERE id = (SELECT bib FROM {Z}.holding "
                   "WHERE id = ?1)");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, hid);
    step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return repo_db_fail(repo, "counting items");
    if (mms_out)
        snprintf(mms_out, CORE_MMS_MAX, "%s", mms);
    return CORE_OK;
}

int
core_item_create(struct core_repo *repo, const char *holdings_mms,
                 const struct core_item_info *item, char *mms_out)
{
    enum core_zone zone;
    int rc = repo_zone_for(repo, holdings_mms, &zone);
    if (rc == CORE_OK)
        rc = core_require_role(repo, CORE_ROLE_INVENTORY, "creating an item");
    if (rc != CORE_OK)
        return rc;
    rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    sqlite3_stmt *st = repo_stmt(repo, zone, "SELECT id FROM {Z}.holding WHERE mms = ?1");
    sqlite3_int64 hid = 0;
    if (!st) {
        rc = CORE_ERR_DB;
    } else {
        repo_bind_text(st, 1, holdings_mms);
        int step = sqlite3_step(st);
        hid = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
        if (step == SQLITE_DONE)
            rc = repo_fail(repo, CORE_ERR_NOTFOUND, "no holdings record %s", holdings_mms);
        else if (step != SQLITE_ROW)
            rc = repo_db_fail(repo, "finding holdings");
    }
    if (rc == CORE_OK)
        rc = repo_item_insert(repo, zone, hid, item, mms_out);
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    return repo_commit(repo);
}

int
core_item_update(struct core_repo *repo, const struct core_item_info *item)
{
    enum core_zone zone;
    int rc = repo_zone_for(repo, item->mms, &zone);
    if (rc == CORE_OK && core_mms_parse(item->mms, NULL, NULL) != CORE_MMS_ITEM)
        rc = repo_fail(repo, CORE_ERR_USER, "%s is not an item's MMS ID", item->mms);
    if (rc == CORE_OK)
        rc = core_require_role(repo, CORE_ROLE_INVENTORY, "changing an item");
    if (rc != CORE_OK)
        return rc;
    sqlite3_stmt *st = repo_stmt(repo, zone,
                                 "UPDATE {Z}.item SET barcode = ?2, description = ?3, status = ?4, "
                                 "updated_at = ?5, updated_by = ?6 WHERE mms = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, item->mms);
    repo_bind_text(st, 2, item->barcode[0] ? item->barcode : NULL);
    repo_bind_text(st, 3, item->description);
    repo_bind_text(st, 4, core_item_status_name(item->status));
    sqlite3_bind_int64(st, 5, (sqlite3_int64)core_now());
    repo_bind_text(st, 6, repo->user);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step == SQLITE_CONSTRAINT) {
        struct core_item_info other;
        if (core_item_by_barcode(repo, item->barcode, &other) == CORE_OK)
            return repo_fail(repo, CORE_ERR_USER, "barcode %s already belongs to item %s",
                             item->barcode, other.mms);
        return repo_fail(repo, CORE_ERR_USER, "barcode %s is already used", item->barcode);
    }
    if (step != SQLITE_DONE)
        return repo_db_fail(repo, "changing an item");
    if (sqlite3_changes(repo->db) == 0)
        return repo_fail(repo, CORE_ERR_NOTFOUND, "no item %s", item->mms);
    return CORE_OK;
}
