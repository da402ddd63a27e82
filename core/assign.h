/*
 * assign.h - assigning records to other catalogers, and the queue (SPEC §2
 * Assignment, §3.8; seed 004 "Assign to Another Cataloger").
 *
 * A cataloger assigns a bib (IZ or NZ) to another user who holds a
 * cataloger role, with an optional note.  From then on the record is locked
 * for the assignee: others open it View Only "assigned to NAME" (the lock
 * module reads the assignment row), and it appears in the assignee's queue
 * marked Assigned.  A record someone else has open, or one already
 * assigned, cannot be assigned; when the assigner has it open, the lock
 * passes to the assignee with the assignment, as in Alma.
 *
 * Release (Alma's "Release Assignment"): the assignee may release the
 * assignment at any time; the assigner may once the assignee has released
 * the record, i.e. the assignee holds no live editing lock on it.  Nobody
 * else may.  An optional release note is kept as a note on the record.
 *
 * E-mail: when the configuration key `mail.sendmail` names a program (the
 * host's sendmail), assigning also mails the assignee (user e-mail
 * address), from `mail.from` when set.  The message is written after the
 * assignment is committed and sendmail gets `mail.timeout` seconds (10 by
 * default); when mail fails the assignment stands and the caller receives a
 * warning.
 */
#ifndef CORE_ASSIGN_H
#define CORE_ASSIGN_H

#include "core.h"
#include "mms.h"
#include "reminder.h"
#include "repo.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define CORE_ASSIGN_NOTE_MAX 1000 /* longest assignment note in bytes */

struct core_assignment {
    char mms[CORE_MMS_MAX];
    enum core_zone zone;
    char title[256];
    char assignee[64];
    char assigner[64];
    char note[CORE_ASSIGN_NOTE_MAX + 1];
    time_t at;
    bool open; /* the assignee has the record open (a live editing lock) */
};

/*
 * Assign bib `mms` to user `assignee` with an optional note (NULL or "").
 * Needs cataloger or cataloger-extended; the assignee must be another user
 * with one of those roles.  CORE_ERR_CONFLICT when the record is already
 * assigned or someone other than the acting user and the assignee has it
 * open.  When mail is configured and could not be sent, the assignment
 * still succeeds and `warning` (may be NULL; "" when all went well) says
 * why.
 */
int core_assign(struct core_repo *repo, const char *mms, const char *assignee, const char *note,
                char *warning /* OUT */, size_t warning_size);

/*
 * Release the assignment of `mms` (the assignee; or the assigner once the
 * assignee holds no live lock on it).  A non-empty note is added to the
 * record's notes.  CORE_ERR_NOTFOUND when the record is not assigned,
 * CORE_ERR_CONFLICT when the assigner asks while the assignee still has it
 * open, CORE_ERR_ROLE for anyone else.
 */
int core_assign_release(struct core_repo *repo, const char *mms, const char *note);

/* The assignment of `mms`; CORE_ERR_NOTFOUND when it is not assigned. */
int core_assign_get(struct core_repo *repo, const char *mms, struct core_assignment *out);

enum core_assign_which {
    CORE_ASSIGN_ALL,   /* every assignment */
    CORE_ASSIGN_TO_ME, /* assigned to the acting user */
    CORE_ASSIGN_BY_ME, /* assigned by the acting user */
};
/* Assignments in the IZ and NZ, oldest first; *out is a heap array. */
int core_assign_list(struct core_repo *repo, enum core_assign_which which,
                     struct core_assignment **out, size_t *n);

/* ---- the queue (SPEC §3.8, §5 Queue tab) ---- */

struct core_queue {
    struct core_assignment *to_me; /* records assigned to me */
    size_t nto_me;
    struct core_assignment *by_me; /* records I assigned */
    size_t nby_me;
    struct core_reminder *due; /* open reminders due today or earlier, by due date */
    size_t ndue;
    char today[11]; /* the day "due" was computed for */
};

/* The acting user's queue; free it with core_queue_free. */
int core_queue_get(struct core_repo *repo, struct core_queue *q /* OUT */);
/* Free the lists (the struct itself is the caller's); NULL is a no-op. */
void core_queue_free(struct core_queue *q);

#endif
