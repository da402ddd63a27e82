/*
 * notes.h - notes on bibliographic records (SPEC §2 Note, §3.8; seed 004
 * "Bib Record Notes").
 *
 * A note is free text a cataloger attaches to a bib in the IZ or the NZ to
 * track what needs doing or was done, often together with an assignment.
 * It is kept in the zone of its record (a note on an NZ record is seen by
 * every institution sharing the NZ), with its author and time; it is not
 * part of the record's MARC, so adding or deleting one writes no version.
 *
 * Rights: cataloger and cataloger-extended add; anyone lists; the author
 * (still a cataloger) or a cataloger-extended or admin user deletes.
 *
 * Notes and reminders are numbered per zone file, so their IDs are written
 * "17" in the IZ and "nz:17" in the NZ (core_note_id_format/parse).
 */
#ifndef CORE_NOTES_H
#define CORE_NOTES_H

#include "core.h"
#include "mms.h"
#include "repo.h"

#include <stddef.h>
#include <time.h>

/* Longest note text in bytes (UTF-8); longer ones are refused, never cut. */
#define CORE_NOTE_MAX 4000

struct core_note {
    long id;
    enum core_zone zone; /* where it is stored: its record's zone */
    char mms[CORE_MMS_MAX];
    char author[64];
    time_t at;
    char text[CORE_NOTE_MAX + 1];
};

/*
 * Add a note to bib `mms` (IZ or NZ; not deleted).  The text is stored as
 * given: it must be valid UTF-8, not blank, at most CORE_NOTE_MAX bytes,
 * with no control characters but tab and line breaks.  *id (may be NULL)
 * receives the new note's number in its zone.
 */
int core_note_add(struct core_repo *repo, const char *mms, const char *text, long *id /* OUT */);

/* The notes of `mms`, oldest first; *out is a heap array the caller frees. */
int core_note_list(struct core_repo *repo, const char *mms, struct core_note **out, size_t *n);

/* One note by zone and number; CORE_ERR_NOTFOUND when there is none. */
int core_note_get(struct core_repo *repo, enum core_zone zone, long id, struct core_note *out);

/* Delete a note (its author, or cataloger-extended or admin). */
int core_note_delete(struct core_repo *repo, enum core_zone zone, long id);

/* Write a note or reminder ID as shown to users: "17", "nz:17" (out >= 24 bytes). */
void core_note_id_format(enum core_zone zone, long id, char *out, size_t size);
/*
 * Read "17" (IZ), "iz:17" or "nz:17" (any case).  Returns CORE_OK, or
 * CORE_ERR_USER for anything else (nothing set).
 */
int core_note_id_parse(const char *s, enum core_zone *zone /* OUT */, long *id /* OUT */);

#endif
