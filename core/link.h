/*
 * link.h - linking institution zone bibs to the network zone (SPEC §2 Bib
 * record, §3.4; seed 001 "Linking IZ Bib Records to the Network Zone").
 *
 * Share with Network.  core_link_candidates finds the network records an IZ
 * bib could be linked to, strongest first: by OCLC number (the 035 $a
 * (OCoLC) numbers and the cancelled ones, 035 $z and 019 $a, of both
 * records: any number of one meeting any number of the other); when none,
 * by ISSN, ISBN or LCCN; when none, by title (the brief title, 245 $a $b $n
 * $p, with case, diacritics and punctuation folded as the search index folds
 * them, equal word for word).  The cataloger picks one (core_link_to) or,
 * when there is none, contributes the record as a new network record
 * (core_link_contribute).
 *
 * A linked bib.  Its shared content is the network record's; its 001 holds
 * the NZ MMS ID while the IZ row keeps its own MMS ID as its identity and
 * the NZ MMS ID in its `linked` column; the IZ keeps only its local fields
 * (match.h: 9XX and the tags of `link.local_tags`) and its inventory.
 * core_record_get reads the network record's current content with the
 * local fields inserted.  The IZ row stores that combination as of its
 * last write (link, save, unlink, refresh): its brief columns, identifiers
 * and words are indexed from it, so IZ searches find linked records by the
 * network record's title, OCLC number and so on.
 *
 * Network edits reach the IZ row when they are saved through this
 * repository: a save (or revert) of the network record, or of an IZ bib
 * linked to it, re-synchronises every IZ bib linked to it in the same
 * transaction, as a new IZ version with the network change's user, time
 * and reason ("edit" by bob), so the IZ's history shows who changed the
 * record and an editor that had it open must open it again.  Another
 * institution sharing the NZ file edits it from its own IZ file: those
 * changes are read here at once (core_record_get) but stored and indexed
 * only by core_link_refresh (`colophon link --refresh`); until then a save
 * here notices them by the network record's 005 (below).
 *
 * One IZ bib per network record: linking a second IZ bib to a network record
 * already linked from this IZ is refused (the two IZ bibs are duplicates;
 * relink the inventory and delete one).
 *
 * Versions.  Linking keeps the IZ record's content before linking as a
 * version (the new current version's reason is "link"), so
 * `colophon revert MMSID N` to that version undoes the link: a revert of a
 * linked bib to a version from before the link unlinks it and makes that
 * version's content the full local record; a revert to a version written
 * while it was linked to the same network record brings back that
 * version's local fields and keeps the link (the shared content stays the
 * network record's: revert the network record for that).  Unlinking writes
 * a version with reason "unlink".
 *
 * Saving a linked bib (core_record_save hands it here): the local fields go
 * to the IZ row, the shared fields to the network record when they differ
 * from it (a new network version, same reason; refused when someone else
 * holds the network record's lock, or when the network record was saved
 * since the editor read it: the 005 the editor's record carries is the
 * network record's, and must still be current).
 *
 * Two files cannot commit as one (SQLite in WAL mode commits each attached
 * file on its own), so a save whose shared fields change is three
 * transactions around a redo log in the IZ, table link_pending: 1. the
 * checks of both records, and the intent -- the edited record, the
 * network version the save will write, the IZ version it starts from, the
 * user, reason, time and process; 2. the network record (that version,
 * with the intent's time, user and reason); 3. the IZ row and the intent's
 * deletion, in one transaction.  A crash leaves an intent behind only
 * between 1 and 3.  Whenever the repository is opened, and before a record
 * is opened for editing or saved, each intent whose process is gone is
 * finished or dropped (repo_link_recover): when the network record has
 * that version from that save, the IZ part is applied as step 3 would
 * have, as the saver (their user, time, reason, lock release; not the
 * opener's roles); otherwise nothing happened and the intent is deleted.
 * So after a crash the repository is as before the save or as after it.
 * Recovery runs in one BEGIN IMMEDIATE transaction and reads the intents
 * inside it, so two processes recovering at once cannot apply one twice;
 * the saving process checks that its intent is still there before steps 2
 * and 3 (another process may have taken a stalled save for a crashed one:
 * before step 2 the save is then refused, "nothing was saved"; after it,
 * the other process has finished it).  When the IZ row changed between
 * steps 1 and 3 (someone else's version), the IZ part is not forced on it:
 * the row only takes the network's new shared content, as
 * core_link_refresh would.  A save of only local fields is one IZ
 * transaction.  A remote network zone (nzremote.h) is not covered: its
 * network part is an Extended Services update on a server, which this
 * repository cannot read back by version; there a crash between the
 * server's update and the IZ's commit leaves the IZ row as it was until
 * `colophon link --refresh`.
 *
 * Roles: linking, contributing, unlinking and saving need cataloger or
 * cataloger-extended; candidates and the queue are open to every user.
 */
#ifndef CORE_LINK_H
#define CORE_LINK_H

#include "core.h"
#include "mms.h"
#include "repo.h"

#include <stdbool.h>
#include <stddef.h>

/* How a candidate matched, strongest first. */
enum core_link_how {
    CORE_LINK_OCLC,           /* an OCLC number (035 $a) of each */
    CORE_LINK_OCLC_CANCELLED, /* a cancelled number (035 $z, 019 $a) on one side or both */
    CORE_LINK_ISSN,
    CORE_LINK_ISBN,
    CORE_LINK_LCCN,
    CORE_LINK_TITLE,
};

/* "OCLC number", "cancelled OCLC number", "ISSN", "ISBN", "LCCN", "title". */
const char *core_link_how_name(enum core_link_how how);
/* OCLC matches are strong; the others are offered, never taken automatically. */
static inline bool
core_link_how_strong(enum core_link_how how)
{
    return how <= CORE_LINK_OCLC_CANCELLED;
}

/* A network record an IZ bib could be linked to. */
struct core_link_candidate {
    char mms[CORE_MMS_MAX];
    char title[256];
    char author[160];
    char date[8];
    char leader[25];
    enum core_link_how how;
    char reason[160];             /* "OCLC number 26273275", "cancelled OCLC number 123
                                     (019 $a of the network record)", "ISBN 9780132896610" */
    bool type_agrees;             /* leader/06-07 of one resource type with the IZ bib's */
    char linked_from[CORE_MMS_MAX]; /* the IZ bib of this repository already linked to it */
};

/* Longest candidate list (a title shared by many records lists this many). */
#define CORE_LINK_MAX_CANDIDATES 50

/*
 * The candidates for linking IZ bib `mms`, strongest first (OCLC; when none,
 * ISSN, ISBN, LCCN; when none, title).  *out is a heap array the caller
 * frees (NULL when *n is 0).  CORE_ERR_USER when mms is not an undeleted IZ
 * bib.  An IZ bib already linked gets its candidates all the same.
 */
int core_link_candidates(struct core_repo *repo, const char *mms,
                         struct core_link_candidate **out, size_t *n);

/* What a link, a contribution or an unlink did. */
struct core_link_result {
    char nz_mms[CORE_MMS_MAX];  /* the network record */
    int kept_version;           /* the IZ version holding the content before */
    int version;                /* the IZ record's new current version */
    size_t local_fields;        /* local fields the IZ kept */
};

/*
 * Link IZ bib `mms` to network record `nz_mms`: the IZ content becomes a
 * version, the network record's content with the IZ's local fields the
 * current one (reason "link").  Refused: the role (CORE_ERR_ROLE); not an
 * undeleted IZ bib, nz_mms not an undeleted NZ bib, already linked, or the
 * network record already linked to another IZ bib here (CORE_ERR_USER);
 * the IZ bib locked or assigned by someone else (CORE_ERR_CONFLICT).
 * res may be NULL.
 */
int core_link_to(struct core_repo *repo, const char *mms, const char *nz_mms,
                 struct core_link_result *res);

/*
 * Contribute IZ bib `mms` to the network zone: a new network record (an NZ
 * MMS ID, reason "contribute") from its shared content, without its local
 * fields, 001 and 003; then linked to it as core_link_to does.  A record with
 * validation errors is refused (CORE_ERR_INVALID): the network zone is
 * shared.
 */
int core_link_contribute(struct core_repo *repo, const char *mms, struct core_link_result *res);

/*
 * Unlink IZ bib `mms`: it becomes a full local record again, the network
 * record's current content with its local fields, 001 back to its own MMS
 * ID (a new version, reason "unlink").  CORE_ERR_USER when not linked.
 */
int core_unlink(struct core_repo *repo, const char *mms, struct core_link_result *res);

/*
 * Re-synchronise linked IZ bibs with their network records (content and
 * indexes): mms or, when NULL, every linked bib, each that differs from its
 * network record's current content getting a new version as described
 * above.  *count (may be NULL) gets how many changed.
 */
int core_link_refresh(struct core_repo *repo, const char *mms, long *count);

/* A record a link-to-nz job found several candidates for, waiting for a choice. */
struct core_link_queued {
    char mms[CORE_MMS_MAX];
    char title[256];
    long job;                 /* the job that found the multi-match */
    char detail[512];         /* the job's report line */
};

/*
 * The multi-match queue: IZ bibs whose latest link-to-nz result is
 * "multi-match" and that are still unlinked and undeleted, newest job
 * first.  `colophon link MMSID --to NZMMS` (core_link_to) resolves one;
 * core_link_candidates shows its candidates side by side.
 */
int core_link_queue(struct core_repo *repo, struct core_link_queued **out, size_t *n);

#endif
