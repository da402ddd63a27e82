/*
 * repo-rule.c - rules stored in the repository (see rulestore.h).
 */
#include "repo-int.h"

#include "rulestore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
core_rule_save(struct core_repo *repo, const char *name, const char *text)
{
    int rc = core_require_role(repo, CORE_ROLE_ADMIN, "changing rules");
    if (rc != CORE_OK)
        return rc;
    if (!name || !*name || strlen(name) >= 128)
        return repo_fail(repo, CORE_ERR_USER, "a rule needs a name (up to 127 characters)");
    char *err = NULL;
    struct core_rules *rs = core_rules_parse(text, &err);
    if (!rs) {
        rc = repo_fail(repo, CORE_ERR_USER, "rule %s: %s", name, err);
        free(err);
        return rc;
    }
    const char *kind = core_rule_kind_name(core_rules_kind(rs));
    core_rules_free(rs);
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 "INSERT OR REPLACE INTO {Z}.rule (name, kind, text, updated_at, "
                                 "updated_by) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, name);
    repo_bind_text(st, 2, kind);
    repo_bind_text(st, 3, text);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)core_now());
    repo_bind_text(st, 5, repo->user);
    rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "storing a rule");
    sqlite3_reset(st);
    return rc;
}

int
core_rule_get(struct core_repo *repo, const char *name, char **text)
{
    *text = NULL;
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ, "SELECT text FROM {Z}.rule WHERE name = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, name);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *text = xstrdup(repo_col_text(st, 0));
    sqlite3_reset(st);
    if (step == SQLITE_DONE)
        return repo_fail(repo, CORE_ERR_NOTFOUND, "no rule named '%s' (colophon rule list)", name);
    return step == SQLITE_ROW ? CORE_OK : repo_db_fail(repo, "reading a rule");
}

int
core_rule_load(struct core_repo *repo, const char *name, struct core_rules **rs)
{
    char *text;
    int rc = core_rule_get(repo, name, &text);
    if (rc != CORE_OK)
        return rc;
    char *err = NULL;
    *rs = core_rules_parse(text, &err);
    free(text);
    if (!*rs) {
        rc = repo_fail(repo, CORE_ERR_USER, "rule %s: %s", name, err);
        free(err);
        return rc;
    }
    return CORE_OK;
}

int
core_rule_delete(struct core_repo *repo, const char *name)
{
    int rc = core_require_role(repo, CORE_ROLE_ADMIN, "changing rules");
    if (rc != CORE_OK)
        return rc;
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ, "DELETE FROM {Z}.rule WHERE name = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, name);
    int step = sqlite3_step(st);
    int changed = sqlite3_changes(repo->db);
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return repo_db_fail(repo, "deleting a rule");
    return changed ? CORE_OK : repo_fail(repo, CORE_ERR_NOTFOUND, "no rule named '%s'", name);
}

int
core_rule_list(struct core_repo *repo, struct core_rule_info **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 "SELECT name, kind, updated_at, updated_by FROM {Z}.rule ORDER BY "
                                 "name");
    if (!st)
        return CORE_ERR_DB;
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        struct core_rule_info *ri = &(*out)[(*n)++];
        memset(ri, 0, sizeof *ri);
        snprintf(ri->name, sizeof ri->name, "%s", repo_col_text(st, 0));
        const char *k = repo_col_text(st, 1);
        ri->kind = !strcmp(k, "merge")        ? CORE_RULE_MERGE
                   : !strcmp(k, "indication") ? CORE_RULE_INDICATION
                                              : CORE_RULE_NORMALIZATION;
        ri->updated = (time_t)sqlite3_column_int64(st, 2);
        snprintf(ri->updated_by, sizeof ri->updated_by, "%s", repo_col_text(st, 3));
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "listing rules");
}
