/*
 * repo-relink.c - relinking inventory (SPEC §3.3): holdings to another bib,
 * an item to another holdings record; the preview and the transaction.
 *
 * The target is found the way Alma's relink search finds it: by MMS ID, or
 * through a zone's identifier keys ('o:'/'z:' OCLC numbers, 'i:' ISBN).
 * The move itself is a few row updates in one transaction.  Bibs keep their
 * MARC, yet their history gets a version (same content, reason "relink") so
 * that who moved inventory, and when, is on record on both sides; counts are
 * recomputed from the rows rather than adjusted, so they cannot drift.
 */
#include "relink.h"
#include "repo-int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_CANDIDATES 50

void
core_relink_plan_free(struct core_relink_plan *p)
{
    if (!p)
        return;
    free(p->items);
    free(p->kept);
    free(p->candidates);
    memset(p, 0, sizeof *p);
}

/* ---- reading rows ---- */

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

static int
item_by_mms(struct core_repo *repo, enum core_zone zone, const char *mms,
            struct core_item_info *out)
{
    sqlite3_stmt *st = repo_stmt(repo, zone,
                                 "SELECT i.mms, h.mms, i.barcode, i.description, i.status FROM "
                                 "{Z}.item i JOIN {Z}.holding h ON h.id = i.holding WHERE i.mms = "
                                 "?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        fill_item(st, out);
    sqlite3_reset(st);
    if (step == SQLITE_ROW)
        return CORE_OK;
    return step == SQLITE_DONE ? repo_fail(repo, CORE_ERR_NOTFOUND, "no item %s", mms)
                               : repo_db_fail(repo, "finding an item");
}

/* A holdings record's brief data and the MMS ID of its bib. */
static int
read_holdings(struct core_repo *repo, enum core_zone zone, const char *mms,
              struct core_holdings_info *h, char *bib /* CORE_MMS_MAX */)
{
    sqlite3_stmt *st = repo_stmt(
        repo, zone,
        "SELECT h.library, h.location, h.call_number, b.mms, "
        "(SELECT count(*) FROM {Z}.item i WHERE i.holding = h.id) "
        "FROM {Z}.holding h JOIN {Z}.bib b ON b.id = h.bib WHERE h.mms = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        memset(h, 0, sizeof *h);
        snprintf(h->mms, sizeof h->mms, "%s", mms);
        snprintf(h->library, sizeof h->library, "%s", repo_col_text(st, 0));
        snprintf(h->location, sizeof h->location, "%s", repo_col_text(st, 1));
        snprintf(h->call_number, sizeof h->call_number, "%s", repo_col_text(st, 2));
        snprintf(bib, CORE_MMS_MAX, "%s", repo_col_text(st, 3));
        h->items = sqlite3_column_int(st, 4);
    }
    sqlite3_reset(st);
    if (step == SQLITE_ROW)
        return CORE_OK;
    return step == SQLITE_DONE ? repo_fail(repo, CORE_ERR_NOTFOUND, "no holdings record %s", mms)
                               : repo_db_fail(repo, "finding holdings");
}

/* b->mms is set: fill the rest from the repository. */
static int
fill_bib(struct core_repo *repo, struct core_relink_bib *b)
{
    struct core_record_info in;
    int rc = core_record_get(repo, b->mms, NULL, &in);
    if (rc != CORE_OK)
        return rc;
    snprintf(b->title, sizeof b->title, "%s", in.title);
    snprintf(b->linked, sizeof b->linked, "%s", in.linked);
    b->deleted = in.deleted;
    b->version = in.version;
    b->holdings = b->holdings_after = in.holdings;
    b->items = b->items_after = in.items;
    return CORE_OK;
}

/* ---- what moves ---- */

static bool
prefixed(const char *s, const char *word, const char **rest)
{
    size_t n = strlen(word);
    if (strncasecmp(s, word, n) != 0 || (s[n] != ':' && s[n] != '='))
        return false;
    *rest = s + n + 1;
    while (**rest == ' ')
        (*rest)++;
    return true;
}

/* The holdings record or item `id` names, into p (kind, zone, holdings, items, from). */
static int
find_source(struct core_repo *repo, const char *id, struct core_relink_plan *p)
{
    const char *bare = id;
    prefixed(id, "mms", &bare);
    enum core_mms_type type = core_mms_parse(bare, NULL, NULL);
    if (type == CORE_MMS_BIB)
        return repo_fail(repo, CORE_ERR_USER,
                         "%s is a bibliographic record: relink one of its holdings records "
                         "(22...) or items (23... or a barcode); 'colophon show %s --holdings' "
                         "lists them",
                         bare, bare);
    enum core_zone zone = CORE_ZONE_IZ;
    int rc = type == CORE_MMS_NONE ? CORE_ERR_NOTFOUND : repo_zone_for(repo, bare, &zone);
    p->zone = zone;
    if (rc == CORE_OK && type == CORE_MMS_HOLDINGS) {
        p->kind = CORE_RELINK_HOLDINGS;
        rc = read_holdings(repo, zone, bare, &p->holdings, p->from.mms);
        if (rc == CORE_OK)
            rc = core_items_list(repo, bare, &p->items, &p->nitems);
        return rc;
    }
    struct core_item_info it;
    if (rc == CORE_OK)
        rc = item_by_mms(repo, zone, bare, &it);
    if (rc == CORE_ERR_NOTFOUND) /* a barcode may look like anything */
        rc = core_item_by_barcode(repo, id, &it);
    if (rc == CORE_ERR_NOTFOUND)
        return repo_fail(repo, CORE_ERR_NOTFOUND,
                         "no holdings record, item or barcode '%s' (give a holdings ID 22..., "
                         "an item ID 23... or an item's barcode)",
                         id);
    if (rc != CORE_OK)
        return rc;
    p->kind = CORE_RELINK_ITEM;
    rc = repo_zone_for(repo, it.mms, &p->zone);
    if (rc == CORE_OK)
        rc = read_holdings(repo, p->zone, it.holdings, &p->holdings, p->from.mms);
    if (rc == CORE_OK) {
        p->items = xmalloc(sizeof *p->items);
        p->items[0] = it;
        p->nitems = 1;
    }
    return rc;
}

/* ---- the target ---- */

static void
add_candidate(struct core_relink_plan *p, size_t *cap, const char *mms, sqlite3_stmt *st,
              const char *matched)
{
    for (size_t i = 0; i < p->ncandidates; i++)
        if (strcmp(p->candidates[i].mms, mms) == 0)
            return;
    if (p->ncandidates == MAX_CANDIDATES)
        return;
    if (p->ncandidates == *cap) {
        *cap = *cap ? *cap * 2 : 4;
        p->candidates = xrealloc(p->candidates, *cap * sizeof *p->candidates);
    }
    struct core_relink_candidate *c = &p->candidates[p->ncandidates++];
    memset(c, 0, sizeof *c);
    snprintf(c->mms, sizeof c->mms, "%s", mms);
    snprintf(c->title, sizeof c->title, "%s", repo_col_text(st, 1));
    snprintf(c->author, sizeof c->author, "%s", repo_col_text(st, 2));
    snprintf(c->date, sizeof c->date, "%s", repo_col_text(st, 3));
    c->holdings = sqlite3_column_int(st, 4);
    snprintf(c->matched, sizeof c->matched, "%s", matched);
}

/* Bibs of `zone` holding the identifier key kind:value become candidates. */
static int
lookup_key(struct core_repo *repo, enum core_zone zone, char kind, const char *value,
           const char *what, struct core_relink_plan *p, size_t *cap)
{
    sqlite3_stmt *st = repo_stmt(repo, zone,
                                 "SELECT b.mms, b.title, b.author, b.date, b.holdings FROM "
                                 "{Z}.ident k JOIN {Z}.bib b ON b.id = k.bib WHERE k.key = ?1 AND "
                                 "b.deleted_at IS NULL ORDER BY b.id");
    if (!st)
        return CORE_ERR_DB;
    char key[CORE_IDENT_MAX + 4], matched[64];
    snprintf(key, sizeof key, "%c:%s", kind, value);
    snprintf(matched, sizeof matched, "%s %s", what, value);
    repo_bind_text(st, 1, key);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        char mms[CORE_MMS_MAX];
        snprintf(mms, sizeof mms, "%s", repo_col_text(st, 0));
        add_candidate(p, cap, mms, st, matched);
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "looking up the target");
}

/* An OCLC number as a person types it: a prefix, then digits only. */
static bool
oclc_strict(const char *s, char *out)
{
    const char *p = s;
    while (*p == ' ')
        p++;
    if (strncasecmp(p, "(OCoLC)", 7) == 0)
        p += 7;
    else if (strncasecmp(p, "(OCLC)", 6) == 0)
        p += 6;
    while (*p == ' ')
        p++;
    if (strncasecmp(p, "ocm", 3) == 0 || strncasecmp(p, "ocn", 3) == 0)
        p += 3;
    else if (strncasecmp(p, "on", 2) == 0)
        p += 2;
    size_t n = strlen(p);
    while (n && p[n - 1] == ' ')
        n--;
    if (!n || strspn(p, "0123456789") < n)
        return false;
    return core_ident_oclc(s, strlen(s), false, out);
}

static bool
has_oclc_prefix(const char *s)
{
    while (*s == ' ')
        s++;
    return s[0] == '(' || strncasecmp(s, "ocm", 3) == 0 || strncasecmp(s, "ocn", 3) == 0 ||
           (strncasecmp(s, "on", 2) == 0 && isdigit((unsigned char)s[2]));
}

/* Candidates for an OCLC number, ISBN or bare number in `zone`. */
static int
lookup_identifier(struct core_repo *repo, enum core_zone zone, const char *target,
                  struct core_relink_plan *p)
{
    const char *v = target;
    bool want_oclc = prefixed(target, "oclc", &v) || has_oclc_prefix(target);
    bool want_isbn = !want_oclc && prefixed(target, "isbn", &v);
    if (!want_oclc && !want_isbn) /* bare: digits may be either */
        want_oclc = want_isbn = strspn(target, "0123456789-Xx ") == strlen(target);
    char oclc[CORE_IDENT_MAX], isbn[CORE_IDENT_MAX];
    bool is_oclc = want_oclc && oclc_strict(v, oclc);
    bool is_isbn = want_isbn && core_ident_isbn(v, strlen(v), isbn);
    if (!is_oclc && !is_isbn)
        return repo_fail(repo, CORE_ERR_USER,
                         "'%s' is not an MMS ID, OCLC number or ISBN (e.g. 991000000011234, "
                         "(OCoLC)ocm00012345, oclc:12345, isbn:0-306-40615-2)",
                         target);
    size_t cap = 0;
    int rc = CORE_OK;
    if (is_oclc)
        rc = lookup_key(repo, zone, CORE_ID_OCLC, oclc, "OCLC number", p, &cap);
    if (rc == CORE_OK && is_oclc)
        rc = lookup_key(repo, zone, CORE_ID_OCLC_OLD, oclc, "cancelled OCLC number", p, &cap);
    if (rc == CORE_OK && is_isbn)
        rc = lookup_key(repo, zone, CORE_ID_ISBN, isbn, "ISBN", p, &cap);
    if (rc == CORE_OK && p->ncandidates == 0)
        rc = repo_fail(repo, CORE_ERR_NOTFOUND, "no record in the %s has %s%s%s%s%s",
                       core_zone_name(zone), is_oclc ? "OCLC number " : "", is_oclc ? oclc : "",
                       is_oclc && is_isbn ? " or " : "", is_isbn ? "ISBN " : "",
                       is_isbn ? isbn : "");
    return rc;
}

/* Several bibs match: a conflict naming them. */
static int
multi_match(struct core_repo *repo, const char *target, enum core_zone zone,
            const struct core_relink_plan *p)
{
    char list[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < p->ncandidates && i < 4 && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s \"%.40s\"",
                                 i ? ", " : "", p->candidates[i].mms, p->candidates[i].title);
    return repo_fail(repo, CORE_ERR_CONFLICT,
                     "'%s' matches %zu%s records in the %s: %s%s; relink to one of them by its "
                     "MMS ID",
                     target, p->ncandidates, p->ncandidates == MAX_CANDIDATES ? " or more" : "",
                     core_zone_name(zone), list, p->ncandidates > 4 ? ", ..." : "");
}

/* The target found in the NZ: holdings go to the IZ bib linked to it. */
static int
via_linked_copy(struct core_repo *repo, const char *nz_mms, struct core_relink_plan *p)
{
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 "SELECT mms, title, author, date, holdings FROM {Z}.bib WHERE "
                                 "linked = ?1 AND deleted_at IS NULL ORDER BY id");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, nz_mms);
    size_t cap = 0;
    char matched[64];
    snprintf(matched, sizeof matched, "linked to %s", nz_mms);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        char mms[CORE_MMS_MAX];
        snprintf(mms, sizeof mms, "%s", repo_col_text(st, 0));
        add_candidate(p, &cap, mms, st, matched);
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return repo_db_fail(repo, "finding the institution zone copy");
    if (p->ncandidates == 0)
        return repo_fail(repo, CORE_ERR_USER,
                         "%s is a network zone record and no institution zone record is linked "
                         "to it; holdings belong to the institution zone copy of a network "
                         "record, so link a local record to it first (colophon link)",
                         nz_mms);
    if (p->ncandidates > 1)
        return multi_match(repo, nz_mms, CORE_ZONE_IZ, p);
    size_t n = strlen(p->matched);
    snprintf(p->matched + n, sizeof p->matched - n,
             " in the NZ (%s); its institution zone copy", nz_mms);
    snprintf(p->to.mms, sizeof p->to.mms, "%s", p->candidates[0].mms);
    return CORE_OK;
}

/* The bib the holdings are on is no target: when a search finds it beside
 * its duplicate (the usual reason to relink), the duplicate is meant. */
static int
drop_source(struct core_repo *repo, const char *target, struct core_relink_plan *p)
{
    size_t kept = 0;
    for (size_t i = 0; i < p->ncandidates; i++)
        if (strcmp(p->candidates[i].mms, p->from.mms) != 0)
            p->candidates[kept++] = p->candidates[i];
    if (kept == 0)
        return repo_fail(repo, CORE_ERR_USER,
                         "'%s' finds only %s, the bib holdings %s are already on", target,
                         p->from.mms, p->holdings.mms);
    p->ncandidates = kept;
    return CORE_OK;
}

/* The bib a holdings record goes to; p->zone is the inventory's zone. */
static int
resolve_bib(struct core_repo *repo, const char *target, int zone_req, struct core_relink_plan *p)
{
    const char *bare = target;
    prefixed(target, "mms", &bare);
    enum core_mms_type type = core_mms_parse(bare, NULL, NULL);
    enum core_zone zone = zone_req >= 0 ? (enum core_zone)zone_req : p->zone;
    char found[CORE_MMS_MAX];
    int rc = CORE_OK;
    if (type != CORE_MMS_NONE) {
        if (type != CORE_MMS_BIB)
            return repo_fail(repo, CORE_ERR_USER,
                             "holdings are relinked to a bibliographic record; %s is a %s ID",
                             bare, core_mms_type_name(type));
        rc = repo_zone_for(repo, bare, &zone);
        if (rc == CORE_OK && zone_req >= 0 && zone != (enum core_zone)zone_req)
            rc = repo_fail(repo, CORE_ERR_USER, "%s is an MMS ID of the %s, not of the %s", bare,
                           core_zone_name(zone), core_zone_name((enum core_zone)zone_req));
        if (rc == CORE_OK && core_record_get(repo, bare, NULL, NULL) == CORE_ERR_NOTFOUND)
            rc = repo_fail(repo, CORE_ERR_NOTFOUND, "no bibliographic record %s", bare);
        snprintf(found, sizeof found, "%s", bare);
        snprintf(p->matched, sizeof p->matched, "MMS ID");
    } else {
        if (!core_repo_has_zone(repo, zone))
            return repo_fail(repo, CORE_ERR_USER, "this repository has no %s",
                             core_zone_name(zone));
        rc = lookup_identifier(repo, zone, target, p);
        if (rc == CORE_OK)
            rc = drop_source(repo, target, p);
        if (rc == CORE_OK && p->ncandidates > 1)
            rc = multi_match(repo, target, zone, p);
        if (rc == CORE_OK) {
            snprintf(found, sizeof found, "%s", p->candidates[0].mms);
            snprintf(p->matched, sizeof p->matched, "%s", p->candidates[0].matched);
            free(p->candidates);
            p->candidates = NULL;
            p->ncandidates = 0;
        }
    }
    if (rc != CORE_OK)
        return rc;
    if (zone == p->zone) {
        snprintf(p->to.mms, sizeof p->to.mms, "%s", found);
        return CORE_OK;
    }
    if (zone == CORE_ZONE_NZ && p->zone == CORE_ZONE_IZ)
        return via_linked_copy(repo, found, p);
    return repo_fail(repo, CORE_ERR_USER,
                     "the holdings are in the %s; they cannot be relinked to a record of the %s",
                     core_zone_name(p->zone), core_zone_name(zone));
}

/* The holdings record an item goes to. */
static int
resolve_holdings(struct core_repo *repo, const char *target, int zone_req,
                 struct core_relink_plan *p)
{
    const char *bare = target;
    prefixed(target, "mms", &bare);
    enum core_mms_type type = core_mms_parse(bare, NULL, NULL);
    if (type == CORE_MMS_BIB) {
        struct core_holdings_info *h = NULL;
        size_t n = 0;
        char list[256] = "";
        size_t used = 0;
        if (core_holdings_list(repo, bare, &h, &n) == CORE_OK)
            for (size_t i = 0; i < n && i < 5 && used < sizeof list; i++)
                used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                         h[i].mms);
        free(h);
        return repo_fail(repo, CORE_ERR_USER,
                         "an item is relinked to a holdings record (22...); %s is a "
                         "bibliographic record%s%s%s",
                         bare, n ? " with holdings " : " without holdings", list,
                         n > 5 ? ", ..." : "");
    }
    if (type != CORE_MMS_HOLDINGS)
        return repo_fail(repo, CORE_ERR_USER,
                         "an item is relinked to a holdings record: give its MMS ID (22...), "
                         "not '%s'",
                         target);
    enum core_zone zone;
    int rc = repo_zone_for(repo, bare, &zone);
    if (rc != CORE_OK)
        return rc;
    if ((zone_req >= 0 && zone != (enum core_zone)zone_req) || zone != p->zone)
        return repo_fail(repo, CORE_ERR_USER,
                         "the item is in the %s and %s is a holdings record of the %s; items "
                         "move only between holdings of one zone",
                         core_zone_name(p->zone), bare, core_zone_name(zone));
    snprintf(p->matched, sizeof p->matched, "holdings MMS ID");
    return read_holdings(repo, zone, bare, &p->to_holdings, p->to.mms);
}

/* ---- the preview ---- */

/* Would the acting user be allowed to delete the source bib once it is empty? */
static void
predict_delete(struct core_repo *repo, struct core_relink_plan *p)
{
    p->delete_refusal[0] = '\0';
    if (!p->source_empty)
        return;
    struct core_lock_info l;
    if (!(core_user_roles(repo, core_repo_user(repo)) & CORE_ROLE_CATALOGER_EXTENDED))
        snprintf(p->delete_refusal, sizeof p->delete_refusal,
                 "deleting a bibliographic record needs role cataloger-extended, which %s does "
                 "not have",
                 core_repo_user(repo));
    else if (p->from.linked[0])
        snprintf(p->delete_refusal, sizeof p->delete_refusal,
                 "%s is linked to network zone record %s; unlink it first (colophon unlink %s)",
                 p->from.mms, p->from.linked, p->from.mms);
    else if (core_record_lock_info(repo, p->from.mms, &l) == CORE_OK && l.locked &&
             strcmp(l.user, core_repo_user(repo)) != 0)
        snprintf(p->delete_refusal, sizeof p->delete_refusal, "%s is %s %s", p->from.mms,
                 l.assigned ? "assigned to" : "locked by", l.user);
}

static void
predict(struct core_repo *repo, struct core_relink_plan *p)
{
    bool same = strcmp(p->from.mms, p->to.mms) == 0;
    if (p->kind == CORE_RELINK_HOLDINGS && !same) {
        p->from.holdings_after = p->from.holdings - 1;
        p->from.items_after = p->from.items - (int)p->nitems;
        p->to.holdings_after = p->to.holdings + 1;
        p->to.items_after = p->to.items + (int)p->nitems;
    } else if (p->kind == CORE_RELINK_ITEM && !same) {
        p->from.items_after = p->from.items - 1;
        p->to.items_after = p->to.items + 1;
    }
    p->items_left = p->kind == CORE_RELINK_ITEM ? p->holdings.items - 1 : 0;
    p->source_empty = p->kind == CORE_RELINK_HOLDINGS && !same && p->nkept == 0;
    predict_delete(repo, p);
}

/* The holdings the source bib keeps. */
static int
list_kept(struct core_repo *repo, struct core_relink_plan *p)
{
    free(p->kept);
    p->kept = NULL;
    p->nkept = 0;
    if (p->kind != CORE_RELINK_HOLDINGS)
        return CORE_OK;
    struct core_holdings_info *all;
    size_t n;
    int rc = core_holdings_list(repo, p->from.mms, &all, &n);
    if (rc != CORE_OK)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].mms, p->holdings.mms) != 0)
            all[p->nkept++] = all[i];
    p->kept = all;
    return CORE_OK;
}

/* Every refusal, in the order a cataloger would want to hear them. */
static int
check_plan(struct core_repo *repo, const struct core_relink_plan *p)
{
    bool holdings = p->kind == CORE_RELINK_HOLDINGS;
    int rc = core_require_role(repo, CORE_ROLE_INVENTORY,
                               holdings ? "relinking holdings" : "relinking items");
    if (rc != CORE_OK)
        return rc;
    if (p->to.deleted)
        return repo_fail(repo, CORE_ERR_USER,
                         "%s has been deleted; relink to a record that exists", p->to.mms);
    if (holdings && strcmp(p->from.mms, p->to.mms) == 0)
        return repo_fail(repo, CORE_ERR_USER, "holdings %s already belong to %s",
                         p->holdings.mms, p->to.mms);
    if (!holdings && strcmp(p->holdings.mms, p->to_holdings.mms) == 0)
        return repo_fail(repo, CORE_ERR_USER, "item %s is already on holdings %s",
                         p->items[0].mms, p->to_holdings.mms);
    const char *check[] = {p->from.mms, p->to.mms, p->holdings.mms,
                           holdings ? NULL : p->to_holdings.mms};
    for (size_t i = 0; rc == CORE_OK && i < 4; i++)
        if (check[i])
            rc = repo_lock_check(repo, p->zone, check[i], NULL);
    return rc;
}

int
core_relink_preview(struct core_repo *repo, const char *id, const char *target, int zone,
                    struct core_relink_plan *p)
{
    memset(p, 0, sizeof *p);
    if (!id || !*id || !target || !*target)
        return repo_fail(repo, CORE_ERR_USER, "a relink needs what to move and a target");
    if (zone >= CORE_NZONES || (zone >= 0 && !core_repo_has_zone(repo, (enum core_zone)zone)))
        return repo_fail(repo, CORE_ERR_USER, "this repository has no such zone");
    int rc = find_source(repo, id, p);
    if (rc == CORE_OK)
        rc = p->kind == CORE_RELINK_HOLDINGS ? resolve_bib(repo, target, zone, p)
                                             : resolve_holdings(repo, target, zone, p);
    if (rc == CORE_OK)
        rc = fill_bib(repo, &p->from);
    if (rc == CORE_OK)
        rc = fill_bib(repo, &p->to);
    if (rc == CORE_OK)
        rc = list_kept(repo, p);
    if (rc != CORE_OK)
        return rc;
    predict(repo, p);
    p->resolved = true;
    return check_plan(repo, p);
}

/* ---- the transaction ---- */

/* A bib or holdings row: its current content becomes a version, and a new
 * version with the same content records the relink. */
static int
relink_version(struct core_repo *repo, enum core_zone zone, bool holdings, sqlite3_int64 id)
{
    sqlite3_stmt *st =
        holdings ? repo_stmt(repo, zone,
                             "INSERT INTO {Z}.version (mms, number, marc, fmt, at, user, reason) "
                             "SELECT mms, version, marc, fmt, updated_at, updated_by, reason "
                             "FROM {Z}.holding WHERE id = ?1")
                 : repo_stmt(repo, zone,
                             "INSERT INTO {Z}.version (mms, number, marc, fmt, at, user, reason) "
                             "SELECT mms, version, marc, fmt, updated_at, updated_by, reason "
                             "FROM {Z}.bib WHERE id = ?1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return repo_db_fail(repo, "keeping a version");
    st = holdings ? repo_stmt(repo, zone,
                              "UPDATE {Z}.holding SET version = version + 1, reason = 'relink', "
                              "updated_at = ?2, updated_by = ?3 WHERE id = ?1")
                  : repo_stmt(repo, zone,
                              "UPDATE {Z}.bib SET version = version + 1, reason = 'relink', "
                              "updated_at = ?2, updated_by = ?3 WHERE id = ?1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)core_now());
    repo_bind_text(st, 3, core_repo_user(repo));
    step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "recording the relink");
}

/* The counts of bibs a and b, from the rows. */
static int
recount(struct core_repo *repo, enum core_zone zone, sqlite3_int64 a, sqlite3_int64 b)
{
    sqlite3_stmt *st = repo_stmt(
        repo, zone,
        "UPDATE {Z}.bib SET holdings = (SELECT count(*) FROM {Z}.holding h WHERE h.bib = bib.id), "
        "items = (SELECT count(*) FROM {Z}.item i JOIN {Z}.holding h ON h.id = i.holding "
        "WHERE h.bib = bib.id) WHERE id IN (?1, ?2)");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "counting inventory");
}

/* Row id of a live bib. */
static int
bib_row(struct core_repo *repo, enum core_zone zone, const char *mms, sqlite3_int64 *id)
{
    sqlite3_stmt *st = repo_stmt(repo, zone, "SELECT id, deleted_at FROM {Z}.bib WHERE mms = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    int step = sqlite3_step(st);
    bool deleted = step == SQLITE_ROW && sqlite3_column_type(st, 1) != SQLITE_NULL;
    *id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (step == SQLITE_DONE)
        return repo_fail(repo, CORE_ERR_NOTFOUND, "no bibliographic record %s", mms);
    if (step != SQLITE_ROW)
        return repo_db_fail(repo, "finding a bib");
    return deleted ? repo_fail(repo, CORE_ERR_USER,
                               "%s has been deleted; relink to a record that exists", mms)
                   : CORE_OK;
}

/* A holdings row: its id and its bib's id and MMS ID. */
struct hold_row {
    sqlite3_int64 id, bib;
    char bib_mms[CORE_MMS_MAX];
    int fmt;
    struct marc_buf blob;
};

static int
holdings_row(struct core_repo *repo, enum core_zone zone, const char *mms, struct hold_row *h)
{
    sqlite3_stmt *st = repo_stmt(repo, zone,
                                 "SELECT h.id, h.bib, b.mms, h.fmt, h.marc FROM {Z}.holding h "
                                 "JOIN {Z}.bib b ON b.id = h.bib WHERE h.mms = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        h->id = sqlite3_column_int64(st, 0);
        h->bib = sqlite3_column_int64(st, 1);
        snprintf(h->bib_mms, sizeof h->bib_mms, "%s", repo_col_text(st, 2));
        h->fmt = sqlite3_column_int(st, 3);
        marc_buf_reset(&h->blob);
        marc_buf_append(&h->blob, sqlite3_column_blob(st, 4), (size_t)sqlite3_column_bytes(st, 4));
    }
    sqlite3_reset(st);
    if (step == SQLITE_DONE)
        return repo_fail(repo, CORE_ERR_NOTFOUND, "no holdings record %s", mms);
    return step == SQLITE_ROW ? CORE_OK : repo_db_fail(repo, "finding holdings");
}

static int
moved_since(struct core_repo *repo, const char *what, const char *where)
{
    return repo_fail(repo, CORE_ERR_CONFLICT,
                     "%s is no longer on %s: it changed since the preview; nothing was relinked",
                     what, where);
}

/* MFHD 004: the control number of the bib the holdings belong to. */
static void
set_004(struct marc_record *r, const char *bib)
{
    long i = marc_record_find(r, "004", 0);
    if (i >= 0 && marc_field_is_control(marc_record_field(r, (size_t)i))) {
        marc_record_set_control(r, (size_t)i, bib, strlen(bib));
        return;
    }
    size_t at = 0, n = marc_record_field_count(r);
    while (at < n && strcmp(marc_field_tag(marc_record_field(r, at)), "004") < 0)
        at++;
    marc_record_insert_control(r, at, "004", bib, strlen(bib));
}

/* The holdings row now belongs to bib `to`, with 004 saying so. */
static int
move_holdings(struct core_repo *repo, const struct core_relink_plan *p, struct hold_row *h,
              sqlite3_int64 to)
{
    struct marc_record *r = marc_record_new();
    int fmt = 0;
    int rc = repo_decode(repo, h->blob.data, h->blob.len, h->fmt, r);
    if (rc == CORE_OK) {
        set_004(r, p->to.mms);
        repo_stamp(r, p->holdings.mms, core_now());
        rc = repo_encode(repo, r, &repo->blob, &fmt);
    }
    marc_record_free(r);
    if (rc == CORE_OK)
        rc = relink_version(repo, p->zone, true, h->id);
    sqlite3_stmt *st = rc != CORE_OK ? NULL
                                     : repo_stmt(repo, p->zone,
                                                 "UPDATE {Z}.holding SET bib = ?2, marc = ?3, "
                                                 "fmt = ?4 WHERE id = ?1");
    if (!st)
        return rc != CORE_OK ? rc : CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, h->id);
    sqlite3_bind_int64(st, 2, to);
    sqlite3_bind_blob(st, 3, repo->blob.data, (int)repo->blob.len, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, fmt);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "moving holdings");
}

static int
apply_holdings(struct core_repo *repo, const struct core_relink_plan *p)
{
    struct hold_row h = {0};
    sqlite3_int64 to = 0;
    int rc = holdings_row(repo, p->zone, p->holdings.mms, &h);
    if (rc == CORE_OK && strcmp(h.bib_mms, p->from.mms) != 0)
        rc = moved_since(repo, p->holdings.mms, p->from.mms);
    if (rc == CORE_OK)
        rc = bib_row(repo, p->zone, p->to.mms, &to);
    if (rc == CORE_OK && to == h.bib)
        rc = repo_fail(repo, CORE_ERR_USER, "holdings %s already belong to %s", p->holdings.mms,
                       p->to.mms);
    if (rc == CORE_OK)
        rc = move_holdings(repo, p, &h, to);
    if (rc == CORE_OK)
        rc = relink_version(repo, p->zone, false, h.bib);
    if (rc == CORE_OK)
        rc = relink_version(repo, p->zone, false, to);
    if (rc == CORE_OK)
        rc = recount(repo, p->zone, h.bib, to);
    marc_buf_free(&h.blob);
    return rc;
}

static int
item_row(struct core_repo *repo, enum core_zone zone, const char *mms, sqlite3_int64 *id,
         char *holdings /* CORE_MMS_MAX */)
{
    sqlite3_stmt *st = repo_stmt(repo, zone,
                                 "SELECT i.id, h.mms FROM {Z}.item i JOIN {Z}.holding h ON h.id = "
                                 "i.holding WHERE i.mms = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        snprintf(holdings, CORE_MMS_MAX, "%s", repo_col_text(st, 1));
    }
    sqlite3_reset(st);
    if (step == SQLITE_DONE)
        return repo_fail(repo, CORE_ERR_NOTFOUND, "no item %s", mms);
    return step == SQLITE_ROW ? CORE_OK : repo_db_fail(repo, "finding an item");
}

static int
move_item(struct core_repo *repo, enum core_zone zone, sqlite3_int64 item, sqlite3_int64 to)
{
    sqlite3_stmt *st = repo_stmt(repo, zone,
                                 "UPDATE {Z}.item SET holding = ?2, updated_at = ?3, updated_by = "
                                 "?4 WHERE id = ?1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, item);
    sqlite3_bind_int64(st, 2, to);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)core_now());
    repo_bind_text(st, 4, core_repo_user(repo));
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "moving an item");
}

static int
apply_item(struct core_repo *repo, const struct core_relink_plan *p)
{
    struct hold_row from = {0}, to = {0};
    sqlite3_int64 item = 0;
    char on[CORE_MMS_MAX] = "";
    int rc = item_row(repo, p->zone, p->items[0].mms, &item, on);
    if (rc == CORE_OK && strcmp(on, p->holdings.mms) != 0)
        rc = moved_since(repo, p->items[0].mms, p->holdings.mms);
    if (rc == CORE_OK)
        rc = holdings_row(repo, p->zone, p->holdings.mms, &from);
    if (rc == CORE_OK && strcmp(from.bib_mms, p->from.mms) != 0)
        rc = moved_since(repo, p->holdings.mms, p->from.mms);
    if (rc == CORE_OK)
        rc = holdings_row(repo, p->zone, p->to_holdings.mms, &to);
    if (rc == CORE_OK && strcmp(to.bib_mms, p->to.mms) != 0)
        rc = moved_since(repo, p->to_holdings.mms, p->to.mms);
    if (rc == CORE_OK && from.id == to.id)
        rc = repo_fail(repo, CORE_ERR_USER, "item %s is already on holdings %s",
                       p->items[0].mms, p->to_holdings.mms);
    if (rc == CORE_OK)
        rc = move_item(repo, p->zone, item, to.id);
    if (rc == CORE_OK)
        rc = relink_version(repo, p->zone, true, from.id);
    if (rc == CORE_OK)
        rc = relink_version(repo, p->zone, true, to.id);
    if (rc == CORE_OK)
        rc = relink_version(repo, p->zone, false, from.bib);
    if (rc == CORE_OK && to.bib != from.bib)
        rc = relink_version(repo, p->zone, false, to.bib);
    if (rc == CORE_OK)
        rc = recount(repo, p->zone, from.bib, to.bib);
    marc_buf_free(&from.blob);
    marc_buf_free(&to.blob);
    return rc;
}

/* After the commit: the plan says what happened. */
static int
refresh(struct core_repo *repo, struct core_relink_plan *p)
{
    struct core_record_info in;
    int rc = fill_bib(repo, &p->from);
    if (rc == CORE_OK)
        rc = fill_bib(repo, &p->to);
    if (rc == CORE_OK)
        rc = core_record_get(repo, p->holdings.mms, NULL, &in);
    if (rc != CORE_OK)
        return rc;
    p->holdings_version = in.version;
    char bib[CORE_MMS_MAX];
    if (p->kind == CORE_RELINK_HOLDINGS) {
        free(p->items);
        p->items = NULL;
        p->nitems = 0;
        rc = core_items_list(repo, p->holdings.mms, &p->items, &p->nitems);
        if (rc == CORE_OK)
            rc = list_kept(repo, p);
        p->source_empty = rc == CORE_OK && p->nkept == 0;
        predict_delete(repo, p);
        return rc;
    }
    rc = core_record_get(repo, p->to_holdings.mms, NULL, &in);
    char from[CORE_MMS_MAX], to[CORE_MMS_MAX]; /* read_holdings clears its output first */
    snprintf(from, sizeof from, "%s", p->holdings.mms);
    snprintf(to, sizeof to, "%s", p->to_holdings.mms);
    if (rc == CORE_OK) {
        p->to_holdings_version = in.version;
        rc = read_holdings(repo, p->zone, from, &p->holdings, bib);
    }
    if (rc == CORE_OK)
        rc = read_holdings(repo, p->zone, to, &p->to_holdings, bib);
    p->items_left = p->holdings.items;
    return rc;
}

int
core_relink_apply(struct core_repo *repo, struct core_relink_plan *p)
{
    if (!p->resolved)
        return repo_fail(repo, CORE_ERR_USER, "nothing to relink: the preview did not resolve");
    int rc = core_require_role(repo, CORE_ROLE_INVENTORY,
                               p->kind == CORE_RELINK_HOLDINGS ? "relinking holdings"
                                                               : "relinking items");
    if (rc == CORE_OK)
        rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    const char *check[] = {p->from.mms, p->to.mms, p->holdings.mms,
                           p->kind == CORE_RELINK_ITEM ? p->to_holdings.mms : NULL};
    for (size_t i = 0; rc == CORE_OK && i < 4; i++)
        if (check[i])
            rc = repo_lock_check(repo, p->zone, check[i], NULL);
    if (rc == CORE_OK)
        rc = p->kind == CORE_RELINK_HOLDINGS ? apply_holdings(repo, p) : apply_item(repo, p);
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    rc = repo_commit(repo);
    if (rc != CORE_OK)
        return rc;
    /* The counts before stay as the preview had them, beside the ones after. */
    int before[2][2] = {{p->from.holdings, p->from.items}, {p->to.holdings, p->to.items}};
    rc = refresh(repo, p);
    p->from.holdings_after = p->from.holdings;
    p->from.items_after = p->from.items;
    p->to.holdings_after = p->to.holdings;
    p->to.items_after = p->to.items;
    p->from.holdings = before[0][0];
    p->from.items = before[0][1];
    p->to.holdings = before[1][0];
    p->to.items = before[1][1];
    return rc;
}
