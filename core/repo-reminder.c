/*
 * repo-reminder.c - reminders, their type and status lists, and the
 * add-reminders job kind (see reminder.h).
 *
 * A reminder is stored in its record's zone and refers to that zone's type
 * and status lists (foreign keys), so the lists are per zone file: an NZ
 * shared by a consortium has its own.  Dates are text "YYYY-MM-DD", which
 * sorts and compares as dates; "today" is the local calendar day, the one
 * catalogers read on their wall.
 */
#include "repo-int.h"

#include "job.h"
#include "notes.h"
#include "reminder.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- dates ---- */

static bool
leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Fill y, m, d from "YYYY-MM-DD"; false unless it is a real day. */
static bool
parse_date(const char *s, int *y, int *m, int *d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return false;
    *y = atoi(s);
    *m = atoi(s + 5);
    *d = atoi(s + 8);
    if (*y < 1000 || *m < 1 || *m > 12 || *d < 1)
        return false;
    int last = mdays[*m - 1] + (*m == 2 && leap(*y));
    return *d <= last;
}

int
core_reminder_date_check(struct core_repo *repo, const char *what, const char *date)
{
    int y, m, d;
    if (parse_date(date, &y, &m, &d))
        return CORE_OK;
    return repo_fail(repo, CORE_ERR_USER,
                     "%s '%s' is not a date: write YYYY-MM-DD, a real day (e.g. 2026-02-28)", what,
                     date ? date : "");
}

void
core_reminder_today(char *out, size_t size)
{
    time_t now = core_now();
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(out, size, "%Y-%m-%d", &tm);
}

/* Local midnight starting `date` plus `days` days, as UTC seconds. */
static time_t
day_start(const char *date, int days)
{
    int y, m, d;
    parse_date(date, &y, &m, &d);
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d + days, .tm_isdst = -1};
    return mktime(&tm);
}

/* The day after `date` ("YYYY-MM-DD"). */
static void
next_day(const char *date, char *out, size_t size)
{
    time_t t = day_start(date, 1);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, size, "%Y-%m-%d", &tm);
}

/* ---- codes ---- */

static const char *
list_table(enum core_reminder_list which)
{
    return which == CORE_REMINDER_TYPES ? "type" : "status";
}

/* A code as stored: upper case; CORE_ERR_USER when malformed. */
static int
norm_code(struct core_repo *repo, enum core_reminder_list which, const char *in,
          char out[CORE_REMINDER_CODE_MAX])
{
    size_t len = in ? strlen(in) : 0;
    bool ok = len > 0 && len < CORE_REMINDER_CODE_MAX;
    for (size_t i = 0; ok && i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        ok = isalnum(c) || c == '_' || c == '-';
        out[i] = (char)toupper(c);
    }
    if (!ok)
        return repo_fail(repo, CORE_ERR_USER,
                         "'%s' is not a reminder %s code: 1 to %d letters, digits, '_' or '-'",
                         in ? in : "", list_table(which), CORE_REMINDER_CODE_MAX - 1);
    out[len] = '\0';
    return CORE_OK;
}

/* Look a code up in `zone`'s list: CORE_OK with *closed, or CORE_ERR_NOTFOUND. */
static int
code_find(struct core_repo *repo, enum core_zone zone, enum core_reminder_list which,
          const char *code, bool *closed)
{
    sqlite3_stmt *st =
        which == CORE_REMINDER_TYPES
            ? repo_stmt(repo, zone, "SELECT 0 FROM {Z}.reminder_type WHERE code = ?1")
            : repo_stmt(repo, zone, "SELECT closed FROM {Z}.reminder_status WHERE code = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, code);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW && closed)
        *closed = sqlite3_column_int(st, 0) != 0;
    sqlite3_reset(st);
    if (step == SQLITE_ROW)
        return CORE_OK;
    if (step != SQLITE_DONE)
        return repo_db_fail(repo, "reading reminder codes");
    return repo_fail(repo, CORE_ERR_NOTFOUND,
                     "no reminder %s '%s' in the %s (see 'colophon reminder %ss list')",
                     list_table(which), code, core_zone_name(zone),
                     which == CORE_REMINDER_TYPES ? "type" : "statuse");
}

/* The default code of a list. */
static int
code_default(struct core_repo *repo, enum core_zone zone, enum core_reminder_list which,
             char out[CORE_REMINDER_CODE_MAX])
{
    sqlite3_stmt *st =
        which == CORE_REMINDER_TYPES
            ? repo_stmt(repo, zone, "SELECT code FROM {Z}.reminder_type WHERE is_default")
            : repo_stmt(repo, zone, "SELECT code FROM {Z}.reminder_status WHERE is_default");
    if (!st)
        return CORE_ERR_DB;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        snprintf(out, CORE_REMINDER_CODE_MAX, "%s", repo_col_text(st, 0));
    sqlite3_reset(st);
    if (step == SQLITE_ROW)
        return CORE_OK;
    if (step != SQLITE_DONE)
        return repo_db_fail(repo, "reading reminder codes");
    return repo_fail(repo, CORE_ERR_USER, "the %s has no default reminder %s", core_zone_name(zone),
                     list_table(which));
}

/* `given` (any case) or the default, checked against zone's list, into out. */
static int
code_resolve(struct core_repo *repo, enum core_zone zone, enum core_reminder_list which,
             const char *given, char out[CORE_REMINDER_CODE_MAX])
{
    if (!given)
        return code_default(repo, zone, which, out);
    int rc = norm_code(repo, which, given, out);
    return rc == CORE_OK ? code_find(repo, zone, which, out, NULL) : rc;
}

/* ---- reminders ---- */

static int
check_fields(struct core_repo *repo, const struct core_reminder_fields *f, bool adding)
{
    if (adding && !f->text)
        return repo_fail(repo, CORE_ERR_USER, "a reminder needs a text");
    int rc =
        f->text ? repo_wf_text(repo, "reminder text", f->text, CORE_REMINDER_MAX, false) : CORE_OK;
    if (rc == CORE_OK && f->due && *f->due)
        rc = core_reminder_date_check(repo, "the due date", f->due);
    return rc;
}

/* Insert a checked reminder (inside a transaction); codes NULL take the defaults. */
static int
insert_reminder(struct core_repo *repo, enum core_zone zone, const char *mms,
                const struct core_reminder_fields *f, long *id)
{
    char type[CORE_REMINDER_CODE_MAX], status[CORE_REMINDER_CODE_MAX];
    int rc = code_resolve(repo, zone, CORE_REMINDER_TYPES, f->type, type);
    if (rc == CORE_OK)
        rc = code_resolve(repo, zone, CORE_REMINDER_STATUSES, f->status, status);
    if (rc != CORE_OK)
        return rc;
    sqlite3_stmt *st = repo_stmt(repo, zone,
                                 "INSERT INTO {Z}.reminder (mms, text, due, type, status, "
                                 "submitted_at, author) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    repo_bind_text(st, 2, f->text);
    repo_bind_text(st, 3, f->due && *f->due ? f->due : NULL);
    repo_bind_text(st, 4, type);
    repo_bind_text(st, 5, status);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)core_now());
    repo_bind_text(st, 7, repo->user);
    rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "adding a reminder");
    sqlite3_reset(st);
    if (rc == CORE_OK && id)
        *id = (long)sqlite3_last_insert_rowid(repo->db);
    return rc;
}

int
core_reminder_add(struct core_repo *repo, const char *mms, const struct core_reminder_fields *f,
                  long *id)
{
    int rc = core_require_role(repo, CORE_ROLE_CATALOGER | CORE_ROLE_CATALOGER_EXTENDED,
                               "adding a reminder");
    if (rc == CORE_OK)
        rc = check_fields(repo, f, true);
    if (rc == CORE_OK)
        rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    enum core_zone zone;
    rc = repo_wf_target(repo, mms, "a reminder", &zone, NULL);
    if (rc == CORE_OK)
        rc = insert_reminder(repo, zone, mms, f, id);
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    return repo_commit(repo);
}

#define REMINDER_COLUMNS                                                                           \
    "SELECT r.id, r.mms, coalesce(b.title, ''), r.text, coalesce(r.due, ''), r.type, r.status, "   \
    "coalesce(s.closed, 0), r.submitted_at, r.author FROM {Z}.reminder r LEFT JOIN {Z}.bib b ON "  \
    "b.mms = r.mms LEFT JOIN {Z}.reminder_status s ON s.code = r.status "

static void
fill_reminder(sqlite3_stmt *st, enum core_zone zone, struct core_reminder *r)
{
    memset(r, 0, sizeof *r);
    r->id = (long)sqlite3_column_int64(st, 0);
    r->zone = zone;
    snprintf(r->mms, sizeof r->mms, "%s", repo_col_text(st, 1));
    snprintf(r->title, sizeof r->title, "%s", repo_col_text(st, 2));
    snprintf(r->text, sizeof r->text, "%s", repo_col_text(st, 3));
    snprintf(r->due, sizeof r->due, "%s", repo_col_text(st, 4));
    snprintf(r->type, sizeof r->type, "%s", repo_col_text(st, 5));
    snprintf(r->status, sizeof r->status, "%s", repo_col_text(st, 6));
    r->open = sqlite3_column_int(st, 7) == 0;
    r->submitted = (time_t)sqlite3_column_int64(st, 8);
    snprintf(r->author, sizeof r->author, "%s", repo_col_text(st, 9));
}

int
core_reminder_get(struct core_repo *repo, enum core_zone zone, long id, struct core_reminder *out)
{
    char shown[32];
    core_note_id_format(zone, id, shown, sizeof shown);
    if (!core_repo_has_zone(repo, zone))
        return repo_fail(repo, CORE_ERR_NOTFOUND, "no reminder %s (this repository has no %s)",
                         shown, core_zone_name(zone));
    sqlite3_stmt *st = repo_stmt(repo, zone, REMINDER_COLUMNS "WHERE r.id = ?1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        fill_reminder(st, zone, out);
    sqlite3_reset(st);
    if (step == SQLITE_DONE)
        return repo_fail(repo, CORE_ERR_NOTFOUND, "no reminder %s", shown);
    return step == SQLITE_ROW ? CORE_OK : repo_db_fail(repo, "reading a reminder");
}

static int
update_reminder(struct core_repo *repo, enum core_zone zone, long id,
                const struct core_reminder_fields *f)
{
    char type[CORE_REMINDER_CODE_MAX], status[CORE_REMINDER_CODE_MAX];
    int rc = f->type ? code_resolve(repo, zone, CORE_REMINDER_TYPES, f->type, type) : CORE_OK;
    if (rc == CORE_OK && f->status)
        rc = code_resolve(repo, zone, CORE_REMINDER_STATUSES, f->status, status);
    if (rc != CORE_OK)
        return rc;
    /* ?N IS NULL keeps a column; ?6 says whether the due date changes at all. */
    sqlite3_stmt *st = repo_stmt(repo, zone,
                                 "UPDATE {Z}.reminder SET text = coalesce(?2, text), due = CASE "
                                 "WHEN ?6 THEN ?3 ELSE due END, type = coalesce(?4, type), status "
                                 "= coalesce(?5, status) WHERE id = ?1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    repo_bind_text(st, 2, f->text);
    repo_bind_text(st, 3, f->due && *f->due ? f->due : NULL);
    repo_bind_text(st, 4, f->type ? type : NULL);
    repo_bind_text(st, 5, f->status ? status : NULL);
    sqlite3_bind_int(st, 6, f->due != NULL);
    rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "editing a reminder");
    sqlite3_reset(st);
    return rc;
}

/* Run `change` on reminder (zone, id) after checking who may; one transaction. */
static int
change_reminder(struct core_repo *repo, enum core_zone zone, long id,
                const struct core_reminder_fields *f, const char *what)
{
    struct core_reminder *r = xmalloc(sizeof *r);
    int rc = repo_begin(repo);
    if (rc == CORE_OK) {
        rc = core_reminder_get(repo, zone, id, r);
        if (rc == CORE_OK)
            rc = repo_wf_may_change(repo, r->author, what);
        if (rc == CORE_OK && f) {
            rc = update_reminder(repo, zone, id, f);
        } else if (rc == CORE_OK) {
            sqlite3_stmt *st = repo_stmt(repo, zone, "DELETE FROM {Z}.reminder WHERE id = ?1");
            rc = st ? CORE_OK : CORE_ERR_DB;
            if (st) {
                sqlite3_bind_int64(st, 1, id);
                if (sqlite3_step(st) != SQLITE_DONE)
                    rc = repo_db_fail(repo, what);
                sqlite3_reset(st);
            }
        }
        if (rc == CORE_OK)
            rc = repo_commit(repo);
        else
            repo_rollback(repo);
    }
    free(r);
    return rc;
}

int
core_reminder_edit(struct core_repo *repo, enum core_zone zone, long id,
                   const struct core_reminder_fields *f)
{
    if (!f->text && !f->due && !f->type && !f->status)
        return repo_fail(repo, CORE_ERR_USER,
                         "nothing to change: give a text, due date, type or "
                         "status");
    int rc = check_fields(repo, f, false);
    return rc == CORE_OK ? change_reminder(repo, zone, id, f, "editing a reminder") : rc;
}

int
core_reminder_delete(struct core_repo *repo, enum core_zone zone, long id)
{
    return change_reminder(repo, zone, id, NULL, "deleting a reminder");
}

/* ---- listing ---- */

/* The bounds a filter sets, checked and in stored form. */
struct bounds {
    bool has_from, has_to;
    time_t from, to_excl;
    char type[CORE_REMINDER_CODE_MAX], status[CORE_REMINDER_CODE_MAX];
    char due_lt[16];
    bool open;
};

static int
filter_bounds(struct core_repo *repo, const struct core_reminder_filter *f, struct bounds *b)
{
    memset(b, 0, sizeof *b);
    int rc = CORE_OK;
    if (f->from && (rc = core_reminder_date_check(repo, "--from", f->from)) == CORE_OK) {
        b->has_from = true;
        b->from = day_start(f->from, 0);
    }
    if (rc == CORE_OK && f->to && (rc = core_reminder_date_check(repo, "--to", f->to)) == CORE_OK) {
        b->has_to = true;
        b->to_excl = day_start(f->to, 1);
    }
    if (rc == CORE_OK && f->from && f->to && strcmp(f->from, f->to) > 0)
        rc = repo_fail(repo, CORE_ERR_USER, "the date range %s to %s ends before it starts",
                       f->from, f->to);
    if (rc == CORE_OK && f->type)
        rc = norm_code(repo, CORE_REMINDER_TYPES, f->type, b->type);
    if (rc == CORE_OK && f->status)
        rc = norm_code(repo, CORE_REMINDER_STATUSES, f->status, b->status);
    if (rc == CORE_OK && f->due_before) {
        rc = core_reminder_date_check(repo, "--due-before", f->due_before);
        snprintf(b->due_lt, sizeof b->due_lt, "%s", f->due_before);
    }
    char today[16], bound[16];
    core_reminder_today(today, sizeof today);
    if (f->due || f->overdue) {
        if (f->overdue)
            snprintf(bound, sizeof bound, "%s", today);
        else
            next_day(today, bound, sizeof bound);
        if (!b->due_lt[0] || strcmp(bound, b->due_lt) < 0)
            snprintf(b->due_lt, sizeof b->due_lt, "%s", bound);
    }
    b->open = f->open || f->due || f->overdue;
    return rc;
}

static int
list_zone(struct core_repo *repo, enum core_zone zone, const struct core_reminder_filter *f,
          const struct bounds *b, struct core_reminder **out, size_t *n, size_t *cap)
{
    sqlite3_stmt *st =
        repo_stmt(repo, zone,
                  REMINDER_COLUMNS "WHERE (?1 IS NULL OR r.mms = ?1) AND (?2 IS NULL OR "
                                   "r.submitted_at >= ?2) AND (?3 IS NULL OR r.submitted_at < ?3) "
                                   "AND (?4 IS NULL OR r.type = ?4) AND (?5 IS NULL OR r.status = "
                                   "?5) AND (?6 IS NULL OR r.due < ?6) AND (?7 = 0 OR "
                                   "coalesce(s.closed, 0) = 0) ORDER BY r.id");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, f->mms);
    if (b->has_from)
        sqlite3_bind_int64(st, 2, (sqlite3_int64)b->from);
    if (b->has_to)
        sqlite3_bind_int64(st, 3, (sqlite3_int64)b->to_excl);
    repo_bind_text(st, 4, b->type[0] ? b->type : NULL);
    repo_bind_text(st, 5, b->status[0] ? b->status : NULL);
    repo_bind_text(st, 6, b->due_lt[0] ? b->due_lt : NULL);
    sqlite3_bind_int(st, 7, b->open);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 16;
            *out = xrealloc(*out, *cap * sizeof **out);
        }
        fill_reminder(st, zone, &(*out)[(*n)++]);
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "listing reminders");
}

static int
by_due(const void *a, const void *b)
{
    const struct core_reminder *x = a, *y = b;
    if (!x->due[0] != !y->due[0])
        return x->due[0] ? -1 : 1;
    int c = strcmp(x->due, y->due);
    if (c)
        return c;
    if (x->zone != y->zone)
        return x->zone < y->zone ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* A code a filter names must exist in one of the zones listed (catches typos). */
static int
filter_code_known(struct core_repo *repo, const bool *zones, enum core_reminder_list which,
                  const char *code)
{
    int rc = CORE_ERR_NOTFOUND;
    for (int z = 0; z < CORE_NZONES && rc != CORE_OK; z++)
        if (zones[z]) {
            rc = code_find(repo, (enum core_zone)z, which, code, NULL);
            if (rc == CORE_ERR_DB)
                return rc;
        }
    if (rc != CORE_OK)
        return repo_fail(repo, CORE_ERR_NOTFOUND,
                         "no reminder %s '%s' (see 'colophon reminder "
                         "%ss list')",
                         list_table(which), code,
                         which == CORE_REMINDER_TYPES ? "type" : "statuse");
    return CORE_OK;
}

int
core_reminder_list(struct core_repo *repo, const struct core_reminder_filter *f,
                   struct core_reminder **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct bounds b;
    int rc = filter_bounds(repo, f, &b);
    bool zones[CORE_NZONES] = {false};
    if (rc == CORE_OK && f->mms) {
        enum core_zone z;
        rc = repo_zone_for(repo, f->mms, &z);
        if (rc == CORE_OK)
            rc = core_record_get(repo, f->mms, NULL, NULL);
        if (rc == CORE_OK)
            zones[z] = true;
    } else if (rc == CORE_OK && f->zone >= 0) {
        if (f->zone != CORE_ZONE_IZ && f->zone != CORE_ZONE_NZ)
            return repo_fail(repo, CORE_ERR_USER, "reminders are kept in the IZ and the NZ only");
        zones[f->zone] = core_repo_has_zone(repo, (enum core_zone)f->zone);
    } else if (rc == CORE_OK) {
        zones[CORE_ZONE_IZ] = true;
        zones[CORE_ZONE_NZ] = core_repo_has_zone(repo, CORE_ZONE_NZ);
    }
    if (rc == CORE_OK && b.type[0])
        rc = filter_code_known(repo, zones, CORE_REMINDER_TYPES, b.type);
    if (rc == CORE_OK && b.status[0])
        rc = filter_code_known(repo, zones, CORE_REMINDER_STATUSES, b.status);
    size_t cap = 0;
    for (int z = 0; rc == CORE_OK && z < CORE_NZONES; z++)
        if (zones[z])
            rc = list_zone(repo, (enum core_zone)z, f, &b, out, n, &cap);
    if (rc != CORE_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
        return rc;
    }
    if (*n > 1)
        qsort(*out, *n, sizeof **out, by_due);
    return CORE_OK;
}

/* ---- types and statuses ---- */

static int
codes_zone(struct core_repo *repo, enum core_zone zone)
{
    if ((zone != CORE_ZONE_IZ && zone != CORE_ZONE_NZ) || !core_repo_has_zone(repo, zone))
        return repo_fail(repo, CORE_ERR_USER,
                         "reminder types and statuses are kept in the IZ and the NZ only");
    return CORE_OK;
}

int
core_reminder_codes(struct core_repo *repo, enum core_zone zone, enum core_reminder_list which,
                    struct core_reminder_code **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int rc = codes_zone(repo, zone);
    if (rc != CORE_OK)
        return rc;
    sqlite3_stmt *st =
        which == CORE_REMINDER_TYPES
            ? repo_stmt(repo, zone,
                        "SELECT c.code, c.description, c.is_default, 0, (SELECT count(*) FROM "
                        "{Z}.reminder r WHERE r.type = c.code) FROM {Z}.reminder_type c ORDER BY "
                        "c.code")
            : repo_stmt(repo, zone,
                        "SELECT c.code, c.description, c.is_default, c.closed, (SELECT count(*) "
                        "FROM {Z}.reminder r WHERE r.status = c.code) FROM {Z}.reminder_status c "
                        "ORDER BY c.code");
    if (!st)
        return CORE_ERR_DB;
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        struct core_reminder_code *c = &(*out)[(*n)++];
        memset(c, 0, sizeof *c);
        snprintf(c->code, sizeof c->code, "%s", repo_col_text(st, 0));
        snprintf(c->description, sizeof c->description, "%s", repo_col_text(st, 1));
        c->is_default = sqlite3_column_int(st, 2) != 0;
        c->closed = sqlite3_column_int(st, 3) != 0;
        c->used = (long)sqlite3_column_int64(st, 4);
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "listing reminder codes");
}

/* Make `code` the list's only default (inside a transaction). */
static int
set_default(struct core_repo *repo, enum core_zone zone, enum core_reminder_list which,
            const char *code)
{
    sqlite3_stmt *st =
        which == CORE_REMINDER_TYPES
            ? repo_stmt(repo, zone, "UPDATE {Z}.reminder_type SET is_default = (code = ?1)")
            : repo_stmt(repo, zone, "UPDATE {Z}.reminder_status SET is_default = (code = ?1)");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, code);
    int rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "changing the default");
    sqlite3_reset(st);
    return rc;
}

/* Admin check, zone check and code form shared by the list changes. */
static int
codes_prepare(struct core_repo *repo, enum core_zone zone, enum core_reminder_list which,
              const char *given, char code[CORE_REMINDER_CODE_MAX], const char *action)
{
    int rc = core_require_role(repo, CORE_ROLE_ADMIN, action);
    if (rc == CORE_OK)
        rc = codes_zone(repo, zone);
    if (rc == CORE_OK)
        rc = norm_code(repo, which, given, code);
    return rc;
}

static int
insert_code(struct core_repo *repo, enum core_zone zone, enum core_reminder_list which,
            const char *code, const char *description, bool closed)
{
    sqlite3_stmt *st =
        which == CORE_REMINDER_TYPES
            ? repo_stmt(repo, zone,
                        "INSERT INTO {Z}.reminder_type (code, description) VALUES (?1, ?2)")
            : repo_stmt(repo, zone,
                        "INSERT INTO {Z}.reminder_status (code, description, closed) VALUES (?1, "
                        "?2, ?3)");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, code);
    repo_bind_text(st, 2, description);
    if (which == CORE_REMINDER_STATUSES)
        sqlite3_bind_int(st, 3, closed);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step == SQLITE_CONSTRAINT)
        return repo_fail(repo, CORE_ERR_USER, "the %s already has a reminder %s '%s'",
                         core_zone_name(zone), list_table(which), code);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "adding a reminder code");
}

int
core_reminder_code_add(struct core_repo *repo, enum core_zone zone, enum core_reminder_list which,
                       const char *given, const char *description, bool make_default, bool closed)
{
    char code[CORE_REMINDER_CODE_MAX];
    int rc = codes_prepare(repo, zone, which, given, code, "changing reminder codes");
    if (rc == CORE_OK)
        rc = repo_wf_text(repo, "description", description, CORE_REMINDER_DESC_MAX, false);
    if (rc == CORE_OK && strpbrk(description, "\t\r\n"))
        rc = repo_fail(repo, CORE_ERR_USER, "a description is one line");
    if (rc == CORE_OK && closed && which == CORE_REMINDER_TYPES)
        rc = repo_fail(repo, CORE_ERR_USER, "only statuses can be closed, not types");
    if (rc == CORE_OK && closed && make_default)
        rc = repo_fail(repo, CORE_ERR_USER,
                       "a closed status cannot be the default: new reminders would start closed");
    if (rc == CORE_OK)
        rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    rc = insert_code(repo, zone, which, code, description, closed);
    if (rc == CORE_OK && make_default)
        rc = set_default(repo, zone, which, code);
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    return repo_commit(repo);
}

int
core_reminder_code_default(struct core_repo *repo, enum core_zone zone,
                           enum core_reminder_list which, const char *given)
{
    char code[CORE_REMINDER_CODE_MAX];
    int rc = codes_prepare(repo, zone, which, given, code, "changing reminder codes");
    if (rc == CORE_OK)
        rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    bool closed = false;
    rc = code_find(repo, zone, which, code, &closed);
    if (rc == CORE_OK && closed)
        rc = repo_fail(repo, CORE_ERR_USER,
                       "%s is a closed status; the default must be open (new reminders start "
                       "with it)",
                       code);
    if (rc == CORE_OK)
        rc = set_default(repo, zone, which, code);
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    return repo_commit(repo);
}

/* How many reminders of `zone` use `code`, and whether it is the default. */
static int
code_usage(struct core_repo *repo, enum core_zone zone, enum core_reminder_list which,
           const char *code, long *used, bool *is_default)
{
    sqlite3_stmt *st =
        which == CORE_REMINDER_TYPES
            ? repo_stmt(repo, zone,
                        "SELECT (SELECT count(*) FROM {Z}.reminder WHERE type = ?1), (SELECT "
                        "is_default FROM {Z}.reminder_type WHERE code = ?1)")
            : repo_stmt(repo, zone,
                        "SELECT (SELECT count(*) FROM {Z}.reminder WHERE status = ?1), (SELECT "
                        "is_default FROM {Z}.reminder_status WHERE code = ?1)");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, code);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *used = (long)sqlite3_column_int64(st, 0);
        *is_default = sqlite3_column_int(st, 1) != 0;
    }
    sqlite3_reset(st);
    return step == SQLITE_ROW ? CORE_OK : repo_db_fail(repo, "reading reminder codes");
}

int
core_reminder_code_remove(struct core_repo *repo, enum core_zone zone,
                          enum core_reminder_list which, const char *given)
{
    char code[CORE_REMINDER_CODE_MAX];
    int rc = codes_prepare(repo, zone, which, given, code, "changing reminder codes");
    if (rc == CORE_OK)
        rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    long used = 0;
    bool is_default = false;
    rc = code_find(repo, zone, which, code, NULL);
    if (rc == CORE_OK)
        rc = code_usage(repo, zone, which, code, &used, &is_default);
    if (rc == CORE_OK && used > 0)
        rc = repo_fail(repo, CORE_ERR_CONFLICT,
                       "reminder %s %s is used by %ld reminder(s) in the %s; change or delete "
                       "them first",
                       list_table(which), code, used, core_zone_name(zone));
    if (rc == CORE_OK && is_default)
        rc = repo_fail(repo, CORE_ERR_USER,
                       "%s is the default reminder %s; make another one the default first", code,
                       list_table(which));
    sqlite3_stmt *st = NULL;
    if (rc == CORE_OK) {
        st = which == CORE_REMINDER_TYPES
                 ? repo_stmt(repo, zone, "DELETE FROM {Z}.reminder_type WHERE code = ?1")
                 : repo_stmt(repo, zone, "DELETE FROM {Z}.reminder_status WHERE code = ?1");
        rc = st ? CORE_OK : CORE_ERR_DB;
    }
    if (st) {
        repo_bind_text(st, 1, code);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = repo_db_fail(repo, "removing a reminder code");
        sqlite3_reset(st);
    }
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    return repo_commit(repo);
}

/* ---- the add-reminders job (SPEC §3.9) ---- */

struct add_state {
    char text[CORE_REMINDER_MAX + 1];
    char due[11];
    char type[CORE_REMINDER_CODE_MAX], status[CORE_REMINDER_CODE_MAX];
};

/* Parameters checked once against the IZ's lists, so no record fails for a typo. */
static int
add_begin(struct core_repo *repo, const struct core_job_params *p, long job_id, bool resuming,
          void **state)
{
    int rc = core_require_role(repo, CORE_ROLE_CATALOGER | CORE_ROLE_CATALOGER_EXTENDED,
                               "the add-reminders job");
    const char *text = core_job_param(p, "text", NULL);
    const char *due = core_job_param(p, "date", NULL);
    if (rc == CORE_OK && !text)
        rc = repo_fail(repo, CORE_ERR_USER, "the add-reminders job needs text=TEXT");
    if (rc == CORE_OK)
        rc = repo_wf_text(repo, "reminder text", text, CORE_REMINDER_MAX, false);
    if (rc == CORE_OK && due && *due)
        rc = core_reminder_date_check(repo, "date=", due);
    for (size_t i = 0; rc == CORE_OK && i < p->n; i++)
        if (strcmp(p->key[i], "text") && strcmp(p->key[i], "date") && strcmp(p->key[i], "type") &&
            strcmp(p->key[i], "status"))
            rc = repo_fail(
                repo, CORE_ERR_USER,
                "the add-reminders job takes date=, type=, status= and text=, not %s=", p->key[i]);
    struct add_state *s = xcalloc(1, sizeof *s);
    if (rc == CORE_OK)
        rc = code_resolve(repo, CORE_ZONE_IZ, CORE_REMINDER_TYPES, core_job_param(p, "type", NULL),
                          s->type);
    if (rc == CORE_OK)
        rc = code_resolve(repo, CORE_ZONE_IZ, CORE_REMINDER_STATUSES,
                          core_job_param(p, "status", NULL), s->status);
    if (rc != CORE_OK) {
        free(s);
        return rc;
    }
    snprintf(s->text, sizeof s->text, "%s", text);
    snprintf(s->due, sizeof s->due, "%s", due ? due : "");
    *state = s;
    return CORE_OK;
}

static int
add_one(struct core_repo *repo, void *state, const char *mms, struct core_job_outcome *out)
{
    struct add_state *s = state;
    enum core_zone zone;
    int rc = repo_zone_for(repo, mms, &zone);
    if (rc == CORE_OK && zone != CORE_ZONE_IZ)
        return repo_fail(repo, CORE_ERR_USER,
                         "%s is an %s record: this job adds reminders to IZ records only; add "
                         "one to it with 'colophon reminder add %s'",
                         mms, core_zone_name(zone), mms);
    if (rc == CORE_OK)
        rc = repo_wf_target(repo, mms, "a reminder", &zone, NULL);
    struct core_reminder_fields f = {s->text, s->due, s->type, s->status};
    long id = 0;
    if (rc == CORE_OK)
        rc = insert_reminder(repo, zone, mms, &f, &id);
    if (rc == CORE_OK) {
        snprintf(out->outcome, sizeof out->outcome, "added");
        snprintf(out->detail, sizeof out->detail, "reminder %ld", id);
    }
    return rc;
}

static int
add_end(struct core_repo *repo, void *state, bool complete)
{
    free(state);
    return CORE_OK;
}

/* Listed in repo-job.c's table of kinds. */
const struct core_job_kind core_job_add_reminders = {
    "add-reminders", "add a reminder to each IZ record (date= type= status= text=)", add_begin,
    add_one, add_end};
