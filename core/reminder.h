/*
 * reminder.h - reminders on bibliographic records, their types and
 * statuses (SPEC §2 Reminder, §3.8, §3.9 add-reminders; seed 004
 * "Reminders").
 *
 * A reminder tells catalogers to do something to a record at a date (close
 * a serial, add a local note, withdraw a title when the new edition
 * arrives).  It has a text, an optional due date (YYYY-MM-DD, the
 * institution's local calendar), a type and a status from configurable
 * lists, the date it was submitted and its author.  It lives in the zone of
 * its record, IZ or NZ, and takes its type and status from that zone's
 * lists.  Its ID is written like a note's: "17" in the IZ, "nz:17" in the
 * NZ (core_note_id_format/parse in notes.h).
 *
 * Types and statuses are lists of (code, description, default).  Exactly
 * one entry of each list is the default, used when a reminder names none;
 * out of the box the type GENERAL "General" and the status NEW "New".
 * Codes are letters, digits, '_' and '-', kept in upper case (input in any
 * case).  Beyond Alma, a status may be marked closed (e.g. DONE): a
 * reminder with a closed status is finished, so it is never due or overdue
 * and leaves the queue; every other status is open.  Admins manage the
 * lists; a code still used by a reminder, or the default, cannot be removed.
 *
 * Alma only lists reminders; Colophon also shows the due ones (due today or
 * before, open status) in the queue.  Rights: cataloger and
 * cataloger-extended add; anyone lists; the author (still a cataloger) or a
 * cataloger-extended or admin user edits and deletes.
 *
 * The job kind `add-reminders` (date=YYYY-MM-DD type=CODE status=CODE
 * text=TEXT) adds one reminder to each IZ record of a set; an NZ member
 * fails with a message pointing to `colophon reminder add`, as Alma runs
 * the job on IZ sets only.
 */
#ifndef CORE_REMINDER_H
#define CORE_REMINDER_H

#include "core.h"
#include "mms.h"
#include "repo.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define CORE_REMINDER_MAX      2000 /* longest text in bytes */
#define CORE_REMINDER_CODE_MAX 32   /* buffer for a type or status code */
#define CORE_REMINDER_DESC_MAX 128  /* longest description in bytes */

struct core_reminder {
    long id;
    enum core_zone zone;
    char mms[CORE_MMS_MAX];
    char title[256]; /* the record's title, for lists */
    char text[CORE_REMINDER_MAX + 1];
    char due[11]; /* "YYYY-MM-DD", "" when it has no date */
    char type[CORE_REMINDER_CODE_MAX];
    char status[CORE_REMINDER_CODE_MAX];
    bool open; /* its status is not a closed one */
    time_t submitted;
    char author[64];
};

/*
 * What to set on a reminder.  NULL leaves a field as it is (edit) or takes
 * the default (add: the default type and status, no due date); due = ""
 * removes the date.  text is required when adding.
 */
struct core_reminder_fields {
    const char *text;
    const char *due;
    const char *type;
    const char *status;
};

/* Add a reminder to bib `mms` (IZ or NZ).  *id (may be NULL) gets its number. */
int core_reminder_add(struct core_repo *repo, const char *mms, const struct core_reminder_fields *f,
                      long *id /* OUT */);
int core_reminder_get(struct core_repo *repo, enum core_zone zone, long id,
                      struct core_reminder *out);
/* Change the fields f names (author, or cataloger-extended or admin). */
int core_reminder_edit(struct core_repo *repo, enum core_zone zone, long id,
                       const struct core_reminder_fields *f);
int core_reminder_delete(struct core_repo *repo, enum core_zone zone, long id);

/*
 * Which reminders to list.  Zero/NULL fields do not filter.  Dates are
 * "YYYY-MM-DD" (validated; a bad one fails the listing with CORE_ERR_USER).
 */
struct core_reminder_filter {
    const char *mms;           /* one record's reminders */
    int zone;                  /* -1: IZ and NZ; else that zone only */
    const char *from, *to;     /* submitted on or after `from`, on or before `to` */
    const char *type, *status; /* codes */
    const char *due_before;    /* due date before this day (undated ones never match) */
    bool due;                  /* due today or earlier, open status */
    bool overdue;              /* due before today, open status */
    bool open;                 /* open status only */
};

/* Reminders matching f, by due date (undated last), then zone and number. */
int core_reminder_list(struct core_repo *repo, const struct core_reminder_filter *f,
                       struct core_reminder **out, size_t *n);

/* ---- types and statuses ---- */

enum core_reminder_list {
    CORE_REMINDER_TYPES,
    CORE_REMINDER_STATUSES,
};

struct core_reminder_code {
    char code[CORE_REMINDER_CODE_MAX];
    char description[CORE_REMINDER_DESC_MAX + 1];
    bool is_default;
    bool closed; /* statuses only */
    long used;   /* reminders of the zone using it */
};

/* The entries of a list in `zone`, by code. */
int core_reminder_codes(struct core_repo *repo, enum core_zone zone, enum core_reminder_list which,
                        struct core_reminder_code **out, size_t *n);
/*
 * Add an entry (admin).  With make_default it becomes the only default.
 * closed applies to statuses (CORE_ERR_USER for a type).
 */
int core_reminder_code_add(struct core_repo *repo, enum core_zone zone,
                           enum core_reminder_list which, const char *code, const char *description,
                           bool make_default, bool closed);
/* Make an existing entry the default (admin). */
int core_reminder_code_default(struct core_repo *repo, enum core_zone zone,
                               enum core_reminder_list which, const char *code);
/* Remove an entry (admin); refused while a reminder uses it or it is the default. */
int core_reminder_code_remove(struct core_repo *repo, enum core_zone zone,
                              enum core_reminder_list which, const char *code);

/*
 * Check a date "YYYY-MM-DD" (a real calendar day, years 1000-9999).
 * CORE_OK, or CORE_ERR_USER with a message naming `what` and the value.
 */
int core_reminder_date_check(struct core_repo *repo, const char *what, const char *date);
/* Today in the local calendar, "YYYY-MM-DD" (out >= 11 bytes). */
void core_reminder_today(char *out, size_t size);

#endif
