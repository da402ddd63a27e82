/*
 * repo-notes.c - notes on bibs (see notes.h), and the checks that notes,
 * reminders and assignments share: which records they attach to, what
 * free text is acceptable, who may change what someone else wrote.
 *
 * A note lives in its record's zone file beside the record.  It is never
 * part of the MARC record, so it writes no version; it stays when its
 * record is deleted (the tombstone keeps its history).
 */
#include "repo-int.h"

#include "notes.h"

#include "utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- shared checks ---- */

int
repo_wf_target(struct core_repo *repo, const char *mms, const char *what, enum core_zone *zone,
               struct core_record_info *info)
{
    struct core_record_info local;
    if (!info)
        info = &local;
    int rc = repo_zone_for(repo, mms, zone);
    if (rc != CORE_OK)
        return rc;
    if (core_mms_parse(mms, NULL, NULL) != CORE_MMS_BIB)
        return repo_fail(repo, CORE_ERR_USER,
                         "%s is a %s ID; %s goes on a bibliographic record (99...)", mms,
                         core_mms_type_name(core_mms_parse(mms, NULL, NULL)), what);
    if (*zone == CORE_ZONE_CZ)
        return repo_fail(repo, CORE_ERR_USER, "%s is in the Community Zone, which is read-only",
                         mms);
    rc = core_record_get(repo, mms, NULL, info);
    if (rc != CORE_OK)
        return rc;
    if (info->deleted)
        return repo_fail(repo, CORE_ERR_USER, "%s has been deleted", mms);
    return CORE_OK;
}

int
repo_wf_text(struct core_repo *repo, const char *what, const char *text, size_t max,
             bool may_be_empty)
{
    if (!text)
        text = "";
    size_t len = strlen(text), bad;
    if (len > max)
        return repo_fail(repo, CORE_ERR_USER, "the %s is %zu bytes long; at most %zu are allowed",
                         what, len, max);
    if (!marc_utf8_valid(text, len, &bad))
        return repo_fail(repo, CORE_ERR_USER, "the %s is not valid UTF-8 (byte %zu)", what,
                         bad + 1);
    bool blank = true;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
            return repo_fail(repo, CORE_ERR_USER,
                             "the %s holds a control character (0x%02X at byte %zu)", what, c,
                             i + 1);
        if (!isspace(c))
            blank = false;
    }
    if (blank && !may_be_empty)
        return repo_fail(repo, CORE_ERR_USER, "the %s is empty", what);
    return CORE_OK;
}

int
repo_wf_may_change(struct core_repo *repo, const char *author, const char *what)
{
    unsigned roles = core_user_roles(repo, repo->user);
    if (roles & (CORE_ROLE_CATALOGER_EXTENDED | CORE_ROLE_ADMIN))
        return CORE_OK;
    if (strcmp(author, repo->user) == 0)
        return core_require_role(repo, CORE_ROLE_CATALOGER, what);
    return repo_fail(repo, CORE_ERR_ROLE,
                     "%s: only its author (%s) or a cataloger-extended or admin user may do "
                     "this, and %s is neither",
                     what, author, repo->user);
}

/* ---- IDs ---- */

void
core_note_id_format(enum core_zone zone, long id, char *out, size_t size)
{
    if (zone == CORE_ZONE_IZ)
        snprintf(out, size, "%ld", id);
    else
        snprintf(out, size, "%s:%ld", zone == CORE_ZONE_NZ ? "nz" : "cz", id);
}

int
core_note_id_parse(const char *s, enum core_zone *zone, long *id)
{
    enum core_zone z = CORE_ZONE_IZ;
    if (!s)
        return CORE_ERR_USER;
    if (strncasecmp(s, "nz:", 3) == 0) {
        z = CORE_ZONE_NZ;
        s += 3;
    } else if (strncasecmp(s, "iz:", 3) == 0) {
        s += 3;
    }
    if (!isdigit((unsigned char)*s))
        return CORE_ERR_USER;
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v <= 0)
        return CORE_ERR_USER;
    *zone = z;
    *id = v;
    return CORE_OK;
}

/* ---- notes ---- */

int
core_note_add(struct core_repo *repo, const char *mms, const char *text, long *id)
{
    int rc = core_require_role(repo, CORE_ROLE_CATALOGER | CORE_ROLE_CATALOGER_EXTENDED,
                               "adding a note");
    if (rc == CORE_OK)
        rc = repo_wf_text(repo, "note", text, CORE_NOTE_MAX, false);
    enum core_zone zone;
    if (rc == CORE_OK)
        rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    rc = repo_wf_target(repo, mms, "a note", &zone, NULL);
    sqlite3_stmt *st = rc == CORE_OK ? repo_stmt(repo, zone,
                                                 "INSERT INTO {Z}.note (mms, text, author, at) "
                                                 "VALUES (?1, ?2, ?3, ?4)")
                                     : NULL;
    if (rc == CORE_OK && !st)
        rc = CORE_ERR_DB;
    if (st) {
        repo_bind_text(st, 1, mms);
        repo_bind_text(st, 2, text);
        repo_bind_text(st, 3, repo->user);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)core_now());
        rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "adding a note");
        sqlite3_reset(st);
        if (rc == CORE_OK && id)
            *id = (long)sqlite3_last_insert_rowid(repo->db);
    }
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    return repo_commit(repo);
}

static void
fill_note(sqlite3_stmt *st, enum core_zone zone, struct core_note *n)
{
    memset(n, 0, sizeof *n);
    n->id = (long)sqlite3_column_int64(st, 0);
    n->zone = zone;
    snprintf(n->mms, sizeof n->mms, "%s", repo_col_text(st, 1));
    snprintf(n->author, sizeof n->author, "%s", repo_col_text(st, 2));
    n->at = (time_t)sqlite3_column_int64(st, 3);
    snprintf(n->text, sizeof n->text, "%s", repo_col_text(st, 4));
}

int
core_note_list(struct core_repo *repo, const char *mms, struct core_note **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    enum core_zone zone;
    int rc = repo_zone_for(repo, mms, &zone);
    if (rc == CORE_OK)
        rc = core_record_get(repo, mms, NULL, NULL);
    if (rc != CORE_OK)
        return rc;
    sqlite3_stmt *st = repo_stmt(repo, zone,
                                 "SELECT id, mms, author, at, text FROM {Z}.note WHERE mms = ?1 "
                                 "ORDER BY at, id");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 4;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        fill_note(st, zone, &(*out)[(*n)++]);
    }
    sqlite3_reset(st);
    if (step == SQLITE_DONE)
        return CORE_OK;
    free(*out);
    *out = NULL;
    *n = 0;
    return repo_db_fail(repo, "listing notes");
}

int
core_note_get(struct core_repo *repo, enum core_zone zone, long id, struct core_note *out)
{
    char shown[32];
    core_note_id_format(zone, id, shown, sizeof shown);
    if (!core_repo_has_zone(repo, zone))
        return repo_fail(repo, CORE_ERR_NOTFOUND, "no note %s (this repository has no %s)", shown,
                         core_zone_name(zone));
    sqlite3_stmt *st =
        repo_stmt(repo, zone, "SELECT id, mms, author, at, text FROM {Z}.note WHERE id = ?1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        fill_note(st, zone, out);
    sqlite3_reset(st);
    if (step == SQLITE_DONE)
        return repo_fail(repo, CORE_ERR_NOTFOUND, "no note %s", shown);
    return step == SQLITE_ROW ? CORE_OK : repo_db_fail(repo, "reading a note");
}

int
core_note_delete(struct core_repo *repo, enum core_zone zone, long id)
{
    struct core_note *note = xmalloc(sizeof *note);
    int rc = repo_begin(repo);
    if (rc == CORE_OK) {
        rc = core_note_get(repo, zone, id, note);
        if (rc == CORE_OK)
            rc = repo_wf_may_change(repo, note->author, "deleting a note");
        sqlite3_stmt *st =
            rc == CORE_OK ? repo_stmt(repo, zone, "DELETE FROM {Z}.note WHERE id = ?1") : NULL;
        if (rc == CORE_OK && !st)
            rc = CORE_ERR_DB;
        if (st) {
            sqlite3_bind_int64(st, 1, id);
            rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "deleting a note");
            sqlite3_reset(st);
        }
        if (rc == CORE_OK)
            rc = repo_commit(repo);
        else
            repo_rollback(repo);
    }
    free(note);
    return rc;
}
