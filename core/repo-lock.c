/*
 * repo-lock.c - editing locks (SPEC §2 Lock; Alma's model with FOLIO's
 * version check).
 *
 * Opening a record for editing locks it for the acting user.  Others open
 * it View Only and see who holds it and since when.  A lock lives in the
 * database, so it survives a dropped SSH connection; it ends with Release,
 * Save and Release, or `lock.timeout` (60 minutes by default) after the
 * holder's last activity.  The lock is advisory for readers and binding for
 * writers: every save and delete checks it inside its transaction.
 */
#include "repo-int.h"

#include <stdio.h>
#include <string.h>

/* An assignment locks the record for the assignee until it is released. */
static int
read_assignment(struct core_repo *repo, enum core_zone zone, const char *mms,
                struct core_lock_info *l)
{
    sqlite3_stmt *st =
        repo_stmt(repo, zone, "SELECT assignee, at FROM {Z}.assignment WHERE mms = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        snprintf(l->user, sizeof l->user, "%s", repo_col_text(st, 0));
        l->since = l->seen = (time_t)sqlite3_column_int64(st, 1);
        l->expires = 0;
        l->assigned = true;
        l->locked = true;
    }
    sqlite3_reset(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? CORE_OK
                                                     : repo_db_fail(repo, "reading an assignment");
}

/* Who holds mms: a live lock row, else an assignment; expired locks read as absent. */
static int
read_lock(struct core_repo *repo, enum core_zone zone, const char *mms, struct core_lock_info *l)
{
    memset(l, 0, sizeof *l);
    sqlite3_stmt *st = repo_stmt(repo, zone, "SELECT user, since, seen FROM {Z}.lock WHERE mms = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        snprintf(l->user, sizeof l->user, "%s", repo_col_text(st, 0));
        l->since = (time_t)sqlite3_column_int64(st, 1);
        l->seen = (time_t)sqlite3_column_int64(st, 2);
        l->expires = l->seen + core_lock_timeout(repo);
        l->locked = core_now() < l->expires;
    }
    sqlite3_reset(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return repo_db_fail(repo, "reading a lock");
    if (l->locked)
        return CORE_OK;
    memset(l, 0, sizeof *l);
    return read_assignment(repo, zone, mms, l);
}

static void
lock_message(struct core_repo *repo, const char *mms, const struct core_lock_info *l)
{
    char since[32], until[32];
    core_format_time(l->since, since, sizeof since);
    core_format_time(l->expires, until, sizeof until);
    if (l->assigned)
        repo_fail(repo, CORE_ERR_CONFLICT, "%s is assigned to %s (since %s): View Only", mms,
                  l->user, since);
    else
        repo_fail(repo, CORE_ERR_CONFLICT,
                  "%s is locked by %s since %s (released at %s unless %s is active): View Only",
                  mms, l->user, since, until, l->user);
}

int
repo_lock_check(struct core_repo *repo, enum core_zone zone, const char *mms,
                struct core_lock_info *holder)
{
    struct core_lock_info l;
    int rc = read_lock(repo, zone, mms, &l);
    if (rc != CORE_OK)
        return rc;
    if (holder)
        *holder = l;
    if (l.locked && strcmp(l.user, repo->user) != 0) {
        lock_message(repo, mms, &l);
        return CORE_ERR_CONFLICT;
    }
    return CORE_OK;
}

int
repo_lock_clear(struct core_repo *repo, enum core_zone zone, const char *mms)
{
    static const char *sql[] = {"DELETE FROM {Z}.lock WHERE mms = ?1",
                                "DELETE FROM {Z}.draft WHERE mms = ?1",
                                "DELETE FROM {Z}.assignment WHERE mms = ?1"};
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        sqlite3_stmt *st = repo_stmt(repo, zone, sql[i]);
        if (!st)
            return CORE_ERR_DB;
        repo_bind_text(st, 1, mms);
        int step = sqlite3_step(st);
        sqlite3_reset(st);
        if (step != SQLITE_DONE)
            return repo_db_fail(repo, "releasing locks");
    }
    return CORE_OK;
}

/* Take or renew the acting user's lock at `version`. */
static int
take_lock(struct core_repo *repo, enum core_zone zone, const char *mms, int version,
          const struct core_lock_info *old)
{
    sqlite3_stmt *st = repo_stmt(repo, zone,
                                 "INSERT OR REPLACE INTO {Z}.lock (mms, user, since, seen, version) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st)
        return CORE_ERR_DB;
    time_t now = core_now();
    bool renew = old->locked && strcmp(old->user, repo->user) == 0;
    repo_bind_text(st, 1, mms);
    repo_bind_text(st, 2, repo->user);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)(renew ? old->since : now));
    sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
    sqlite3_bind_int(st, 5, version);
    int rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "taking the lock");
    sqlite3_reset(st);
    return rc;
}

int
core_record_open(struct core_repo *repo, const char *mms, struct marc_record *r, int *version,
                 struct core_lock_info *lock)
{
    enum core_zone zone;
    int rc = repo_zone_for(repo, mms, &zone);
    if (rc != CORE_OK)
        return rc;
    rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    struct core_record_info info;
    struct core_lock_info l;
    rc = repo_link_recover(repo, mms); /* a save of it a crash interrupted (link.h) */
    if (rc == CORE_OK)
        rc = core_record_get(repo, mms, r, &info);
    if (rc == CORE_OK && info.deleted)
        rc = repo_fail(repo, CORE_ERR_USER, "%s has been deleted", mms);
    if (rc == CORE_OK)
        rc = read_lock(repo, zone, mms, &l);
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    if (version)
        *version = info.version;
    /* Without the role to change it, a record opens View Only and nobody's
     * work is blocked by a lock its holder could never use. */
    unsigned need = info.type == CORE_MMS_HOLDINGS
                        ? CORE_ROLE_INVENTORY
                        : CORE_ROLE_CATALOGER | CORE_ROLE_CATALOGER_EXTENDED;
    if (!(core_user_roles(repo, repo->user) & need)) {
        repo_rollback(repo);
        if (lock)
            *lock = l;
        return core_require_role(repo, need, "editing this record");
    }
    if (repo_nz_read_only(repo, zone, "editing a network zone record") != CORE_OK) {
        repo_rollback(repo); /* a remote NZ's copy: view only, r still filled */
        if (lock)
            *lock = l;
        return CORE_ERR_USER;
    }
    if (l.locked && strcmp(l.user, repo->user) != 0) {
        repo_rollback(repo);
        if (lock)
            *lock = l;
        lock_message(repo, mms, &l);
        return CORE_ERR_CONFLICT; /* View Only: r and *version are still filled */
    }
    rc = take_lock(repo, zone, mms, info.version, &l);
    if (rc == CORE_OK)
        rc = read_lock(repo, zone, mms, &l);
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    if (lock)
        *lock = l;
    return repo_commit(repo);
}

int
core_record_lock_info(struct core_repo *repo, const char *mms, struct core_lock_info *lock)
{
    enum core_zone zone;
    int rc = repo_zone_for(repo, mms, &zone);
    return rc == CORE_OK ? read_lock(repo, zone, mms, lock) : rc;
}

int
core_record_touch(struct core_repo *repo, const char *mms)
{
    enum core_zone zone;
    int rc = repo_zone_for(repo, mms, &zone);
    if (rc != CORE_OK)
        return rc;
    sqlite3_stmt *st =
        repo_stmt(repo, zone, "UPDATE {Z}.lock SET seen = ?3 WHERE mms = ?1 AND user = ?2");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    repo_bind_text(st, 2, repo->user);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)core_now());
    int step = sqlite3_step(st);
    int changed = sqlite3_changes(repo->db);
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return repo_db_fail(repo, "renewing the lock");
    return changed ? CORE_OK
                   : repo_fail(repo, CORE_ERR_CONFLICT, "you do not hold the lock on %s", mms);
}

int
core_record_release(struct core_repo *repo, const char *mms)
{
    enum core_zone zone;
    int rc = repo_zone_for(repo, mms, &zone);
    if (rc != CORE_OK)
        return rc;
    sqlite3_stmt *st = repo_stmt(repo, zone, "DELETE FROM {Z}.lock WHERE mms = ?1 AND user = ?2");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    repo_bind_text(st, 2, repo->user);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "releasing the lock");
}
