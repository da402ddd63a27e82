/*
 * repo-set.c - sets of records (see set.h).
 *
 * Sets live in the IZ file.  An itemized set stores its members with their
 * position; a logical set stores its query, zone and scope, and is
 * evaluated by whoever asks for its members.
 */
#include "repo-int.h"

#include "set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 1000

/* Sets are shared by everyone's jobs: any role may make and remove them,
 * someone who is not a user (or holds no role) may not (SPEC §2: every
 * write checks the role). */
static int
check_writer(struct core_repo *repo, const char *action)
{
    return core_require_role(repo, CORE_ROLE_ALL, action);
}

static int
check_name(struct core_repo *repo, const char *name)
{
    if (!name || !*name || strlen(name) >= 128)
        return repo_fail(repo, CORE_ERR_USER, "a set needs a name (up to 127 characters)");
    return CORE_OK;
}

static int
insert_set(struct core_repo *repo, const char *name, bool logical, const char *query,
           const struct core_search_opts *so, sqlite3_int64 *id)
{
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 "INSERT INTO {Z}.record_set (name, logical, query, zone, physical, "
                                 "created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, name);
    sqlite3_bind_int(st, 2, logical);
    repo_bind_text(st, 3, query ? query : "");
    repo_bind_text(st, 4, core_zone_name(so ? so->zone : CORE_ZONE_IZ));
    sqlite3_bind_int(st, 5, so ? so->physical : 0);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)core_now());
    repo_bind_text(st, 7, repo->user);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step == SQLITE_CONSTRAINT)
        return repo_fail(repo, CORE_ERR_USER, "a set named '%s' already exists", name);
    if (step != SQLITE_DONE)
        return repo_db_fail(repo, "creating a set");
    *id = sqlite3_last_insert_rowid(repo->db);
    return CORE_OK;
}

static int
add_member(struct core_repo *repo, sqlite3_int64 id, long position, const char *mms)
{
    sqlite3_stmt *st = repo_stmt(
        repo, CORE_ZONE_IZ, "INSERT INTO {Z}.set_member (set_id, position, mms) VALUES (?1, ?2, ?3)");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, position);
    repo_bind_text(st, 3, mms);
    int rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "adding to a set");
    sqlite3_reset(st);
    return rc;
}

/* Run a query over all its pages; each hit to fn. */
static int
each_hit(struct core_repo *repo, const char *query, const struct core_search_opts *so,
         int (*fn)(struct core_repo *, void *, const char *), void *ctx, long *count)
{
    struct core_search_opts o = *so;
    o.limit = PAGE;
    o.offset = 0;
    o.count = false;
    *count = 0;
    for (;;) {
        struct core_results res;
        int rc = core_search(repo, query, &o, &res);
        if (rc != CORE_OK)
            return rc;
        for (size_t i = 0; rc == CORE_OK && i < res.n; i++) {
            rc = fn(repo, ctx, res.hits[i].mms);
            (*count)++;
        }
        size_t got = res.n;
        core_results_free(&res);
        if (rc != CORE_OK || got < PAGE)
            return rc;
        o.offset += PAGE;
    }
}

struct member_ctx {
    sqlite3_int64 id;
    long position;
};

static int
store_hit(struct core_repo *repo, void *ctx, const char *mms)
{
    struct member_ctx *m = ctx;
    return add_member(repo, m->id, ++m->position, mms);
}

int
core_set_create_query(struct core_repo *repo, const char *name, const char *query,
                      const struct core_search_opts *so, bool logical, long *count)
{
    int rc = check_writer(repo, "creating a set");
    if (rc == CORE_OK)
        rc = check_name(repo, name);
    if (rc != CORE_OK)
        return rc;
    if (!query || !*query)
        return repo_fail(repo, CORE_ERR_USER, "a set from a query needs a query");
    struct core_search_opts def = {.zone = CORE_ZONE_IZ};
    if (!so)
        so = &def;
    /* Check the query before anything is stored (its error names the column). */
    struct core_search_opts probe = *so;
    probe.limit = 1;
    struct core_results res;
    rc = core_search(repo, query, &probe, &res);
    if (rc != CORE_OK)
        return rc;
    core_results_free(&res);
    rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    struct member_ctx m = {0};
    long n = -1;
    rc = insert_set(repo, name, logical, query, so, &m.id);
    if (rc == CORE_OK && !logical)
        rc = each_hit(repo, query, so, store_hit, &m, &n);
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    rc = repo_commit(repo);
    if (rc == CORE_OK && count)
        *count = n;
    return rc;
}

int
core_set_create_ids(struct core_repo *repo, const char *name, const char *const *mms, size_t n)
{
    int rc = check_writer(repo, "creating a set");
    if (rc == CORE_OK)
        rc = check_name(repo, name);
    if (rc != CORE_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        struct core_record_info info;
        rc = core_record_get(repo, mms[i], NULL, &info);
        if (rc != CORE_OK)
            return repo_fail(repo, rc, "set member %zu: %s", i + 1, core_repo_errmsg(repo));
    }
    rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    sqlite3_int64 id;
    rc = insert_set(repo, name, false, NULL, NULL, &id);
    for (size_t i = 0; rc == CORE_OK && i < n; i++)
        rc = add_member(repo, id, (long)i + 1, mms[i]);
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    return repo_commit(repo);
}

int
core_set_delete(struct core_repo *repo, const char *name)
{
    if (check_writer(repo, "deleting a set") != CORE_OK)
        return CORE_ERR_ROLE;
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ, "DELETE FROM {Z}.record_set WHERE name = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, name);
    int step = sqlite3_step(st);
    int changed = sqlite3_changes(repo->db);
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return repo_db_fail(repo, "deleting a set");
    return changed ? CORE_OK : repo_fail(repo, CORE_ERR_NOTFOUND, "no set named '%s'", name);
}

static void
fill_info(sqlite3_stmt *st, struct core_set_info *s)
{
    memset(s, 0, sizeof *s);
    s->id = (long)sqlite3_column_int64(st, 0);
    snprintf(s->name, sizeof s->name, "%s", repo_col_text(st, 1));
    s->logical = sqlite3_column_int(st, 2);
    snprintf(s->query, sizeof s->query, "%s", repo_col_text(st, 3));
    int z = core_zone_parse(repo_col_text(st, 4));
    s->zone = z < 0 ? CORE_ZONE_IZ : (enum core_zone)z;
    s->physical = sqlite3_column_int(st, 5);
    s->created = (time_t)sqlite3_column_int64(st, 6);
    snprintf(s->created_by, sizeof s->created_by, "%s", repo_col_text(st, 7));
    s->count = s->logical ? -1 : (long)sqlite3_column_int64(st, 8);
}

#define SET_COLUMNS                                                                                \
    "SELECT s.id, s.name, s.logical, s.query, s.zone, s.physical, s.created_at, s.created_by, "   \
    "(SELECT count(*) FROM {Z}.set_member m WHERE m.set_id = s.id) FROM {Z}.record_set s "

int
core_set_get(struct core_repo *repo, const char *name, struct core_set_info *info)
{
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ, SET_COLUMNS "WHERE s.name = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, name);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        fill_info(st, info);
    sqlite3_reset(st);
    if (step == SQLITE_DONE)
        return repo_fail(repo, CORE_ERR_NOTFOUND, "no set named '%s' (colophon set list)", name);
    return step == SQLITE_ROW ? CORE_OK : repo_db_fail(repo, "reading a set");
}

int
core_set_list(struct core_repo *repo, struct core_set_info **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ, SET_COLUMNS "ORDER BY s.name");
    if (!st)
        return CORE_ERR_DB;
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        fill_info(st, &(*out)[(*n)++]);
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "listing sets");
}

struct collect_ctx {
    char (*mms)[CORE_MMS_MAX];
    size_t n, cap;
};

static int
collect(struct core_repo *repo, void *ctx, const char *mms)
{
    struct collect_ctx *c = ctx;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->mms = xrealloc(c->mms, c->cap * sizeof *c->mms);
    }
    snprintf(c->mms[c->n++], CORE_MMS_MAX, "%s", mms);
    return CORE_OK;
}

int
core_set_members(struct core_repo *repo, const char *name, char (**mms)[CORE_MMS_MAX], size_t *n)
{
    *mms = NULL;
    *n = 0;
    struct core_set_info info;
    int rc = core_set_get(repo, name, &info);
    if (rc != CORE_OK)
        return rc;
    struct collect_ctx c = {0};
    if (info.logical) {
        struct core_search_opts so = {.zone = info.zone, .physical = info.physical};
        long count;
        rc = each_hit(repo, info.query, &so, collect, &c, &count);
    } else {
        sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                     "SELECT mms FROM {Z}.set_member WHERE set_id = ?1 ORDER BY "
                                     "position");
        if (!st)
            return CORE_ERR_DB;
        sqlite3_bind_int64(st, 1, info.id);
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW)
            collect(repo, &c, repo_col_text(st, 0));
        sqlite3_reset(st);
        if (step != SQLITE_DONE)
            rc = repo_db_fail(repo, "reading a set");
    }
    if (rc != CORE_OK) {
        free(c.mms);
        return rc;
    }
    *mms = c.mms;
    *n = c.n;
    return CORE_OK;
}
