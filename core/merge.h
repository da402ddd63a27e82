/*
 * merge.h - copy cataloging (SPEC §3.5; seed 002 "If record already exists
 * in Alma"): a record from outside brought onto a local record or next to
 * it, and the gateway import that matches a file's records by OCLC number.
 *
 *   Copy & Merge    (best practice) the merge rule combines the local record
 *                   (primary) with the external one (secondary): with the
 *                   default rule the external content replaces the shared
 *                   fields while the local 001, 035s and 9XX stay
 *                   (rules.h).  A monograph (leader/07 m) then loses its
 *                   998, which makes it eligible for future overlays.
 *                   Saved with reason "merge".
 *   Copy & Overlay  the external record replaces the whole record except
 *                   its local fields (9XX and the tags of link.local_tags,
 *                   match.h) and its 001.  Reason "overlay".
 *   Import          a new record made from the external one (reason
 *                   "import"), the way core_bib_create makes one.
 *
 * In all three, and in the gateway import, the record that comes in passes
 * the incoming normalization rule last (config `merge.normalize`; unset:
 * the shipped rule of core_merge_default_normalization, which gives a
 * serial the 998 no-overlay field).  Before anything else the external
 * record is prepared as an import prepares one: converted to UTF-8 NFC, its
 * 001 (with 003, "(OCoLC)ocm123") kept as a 035 $a, then its 001, 003 and
 * 005 dropped (identity and time stamp are the local record's).  A 001
 * "ocm…", "ocn…" or "on…" without 003 counts as an OCLC number.
 *
 * OCLC numbers (Alma's "unique OCLC identifier" match): a record's numbers
 * are its 035 $a "(OCoLC)…" and its cancelled ones, 035 $z and 019 $a,
 * normalised (ident.h: prefixes ocm/ocn/on and leading zeros go).  Two
 * records share a number when any number of one is any number of the other
 * (a WorldCat merge moves the old number to 019 of the surviving record:
 * the local record that still has it as 035 $a is the same resource).
 *
 * Each interactive operation is planned first (core_merge_prepare: the
 * result and what it changes, nothing written), so that the caller can show
 * the field-level diff and ask, then applied (core_merge_apply: one
 * transaction, version check and lock check as every save).
 *
 * Roles (SPEC §2): Copy & Merge and Copy & Overlay need cataloger-extended
 * ("merge records"), Import and the gateway import need cataloger (or
 * cataloger-extended).
 */
#ifndef CORE_MERGE_H
#define CORE_MERGE_H

#include "core.h"
#include "ident.h"
#include "mms.h"
#include "repo.h"

#include "diag.h"
#include "format.h"
#include "record.h"

#include <stdbool.h>
#include <stddef.h>

enum core_merge_mode {
    CORE_MERGE_MERGE,   /* Copy & Merge */
    CORE_MERGE_OVERLAY, /* Copy & Overlay */
    CORE_MERGE_IMPORT,  /* Import: a new record */
};

/* "Copy & Merge", "Copy & Overlay", "Import". */
const char *core_merge_mode_name(enum core_merge_mode mode);

/* The shipped incoming normalization rule (used while `merge.normalize` is unset). */
const char *core_merge_default_normalization(void);
/* Its name, as plans and reports give it. */
#define CORE_MERGE_DEFAULT_NORMALIZATION "Colophon serial no-overlay"
/* The merge rule used while `merge.rule` is unset (core_rules_default_merge). */
#define CORE_MERGE_DEFAULT_RULE "Colophon default merge"

/* A record of the zone that shares an OCLC number with the incoming one. */
struct core_merge_dup {
    char mms[CORE_MMS_MAX];
    char title[256];
    char how[96]; /* "OCLC number 26273275", "cancelled OCLC number 123" */
};

/* What an operation will do; filled by core_merge_prepare. */
struct core_merge_plan {
    enum core_merge_mode mode;
    enum core_zone zone;
    char mms[CORE_MMS_MAX];      /* the local record ("" for an Import without one) */
    char title[256];             /* its brief title */
    int base_version;            /* the version the result replaces */
    struct marc_record *local;   /* the local record as stored (empty for an Import) */
    struct marc_record *result;  /* what will be saved, or created (no 001 yet) */
    char rule[128];              /* the merge rule (Copy & Merge) */
    char normalize[128];         /* the incoming normalization rule, "" when none */
    int normalize_changes;       /* what it changed */
    int removed_998;             /* 998 fields a monograph lost (Copy & Merge) */
    size_t local_fields;         /* local fields the result keeps (9XX, link.local_tags) */
    struct core_lock_info lock;  /* someone else's lock on the local record (locked false: none) */
    struct core_merge_dup *dups; /* other records of the zone with one of its OCLC numbers */
    size_t ndups;
    /* after core_merge_apply */
    int new_version;             /* Copy & Merge, Copy & Overlay */
    char created[CORE_MMS_MAX];  /* Import */
};

/*
 * Plan `mode` of `incoming` onto bib `mms` (Import: mms may be NULL, the
 * new record then goes to `zone`; with mms, to that record's zone).
 * `rule` names a stored merge rule for Copy & Merge (NULL: `merge.rule`,
 * else the default).  Refused: the role (CORE_ERR_ROLE); mms not an
 * undeleted bib of the IZ or NZ, a rule that is not a merge rule, an
 * incoming record that is not bibliographic or whose text cannot be
 * converted (CORE_ERR_USER / CORE_ERR_NOTFOUND).  A lock held by someone
 * else does not stop the plan: plan->lock tells, and the apply will be
 * refused.  Free the plan with core_merge_plan_free (also after a failure).
 */
int core_merge_prepare(struct core_repo *repo, enum core_merge_mode mode, const char *mms,
                       enum core_zone zone, const struct marc_record *incoming, const char *rule,
                       struct core_merge_plan *plan /* OUT */);

/*
 * Apply a plan: Copy & Merge and Copy & Overlay save the result over the
 * local record (core_record_save: validation, the version the plan read,
 * the lock; CORE_ERR_CONFLICT when it changed since or someone else holds
 * it); Import creates the record (plan->created).  Validation problems go
 * to diag.
 */
int core_merge_apply(struct core_repo *repo, struct core_merge_plan *plan, marc_diag_fn diag,
                     void *diag_ctx);
void core_merge_plan_free(struct core_merge_plan *plan);

/*
 * The normalised OCLC numbers of r: its current ones (035 $a (OCoLC)) first,
 * *ncurrent of them (may be NULL), then the cancelled ones (035 $z, 019 $a);
 * out has room for max.  Returns how many (at most max).
 */
size_t core_merge_oclc_numbers(const struct marc_record *r, char (*out)[CORE_IDENT_MAX],
                               size_t max, size_t *ncurrent);

/*
 * The undeleted bibs of `zone` sharing an OCLC number with r (see above),
 * without `except` (may be NULL).  *out is a heap array (NULL when *n is 0).
 */
int core_merge_find_oclc(struct core_repo *repo, enum core_zone zone, const struct marc_record *r,
                         const char *except, struct core_merge_dup **out, size_t *n);

/* ---- the gateway import (`colophon import --match oclc FILE`) ---- */

/* What happened to one record of the file. */
enum core_gateway_outcome {
    CORE_GW_OVERLAID,  /* the one match overlaid, local fields kept (the merge rule) */
    CORE_GW_CREATED,   /* no match: a new record, created by "system" */
    CORE_GW_MULTI,     /* "multiple matches found for this record" */
    CORE_GW_LOCKED,    /* "record is locked by NAME": the match is open in an editor */
    CORE_GW_PROTECTED, /* the match has a 998 no-overlay field */
    CORE_GW_REFUSED,   /* bad data: malformed, not bibliographic, no OCLC number, invalid */
};
#define CORE_GW_NOUTCOMES 6

/* "overlaid", "created", "multi-match", "locked", "protected", "refused". */
const char *core_gateway_outcome_name(enum core_gateway_outcome o);
/* True for the outcomes a cataloger resolves (multi-match, locked, protected): exit 3. */
bool core_gateway_outcome_conflict(enum core_gateway_outcome o);

struct core_gateway_line {
    long record;                /* 1-based number in the file */
    enum core_gateway_outcome outcome;
    char mms[CORE_MMS_MAX];     /* the record overlaid, created or in the way; "" when none */
    char oclc[CORE_IDENT_MAX];  /* the incoming record's first OCLC number, "" when none */
    char title[160];            /* the incoming record's brief title */
    char detail[640];           /* why: the candidates, the lock holder, the problem */
};

struct core_gateway_opts {
    enum core_zone zone;     /* IZ or NZ */
    enum marc_format format; /* MARC_FMT_UNKNOWN: detect */
    marc_diag_fn diag;       /* malformed records, validation problems (record numbered) */
    void *diag_ctx;
    /* every record's line, in file order */
    void (*line)(void *ctx, const struct core_gateway_line *l);
    void *line_ctx;
    /* bytes done, bytes total (-1 unknown), records so far */
    void (*progress)(void *ctx, long long done, long long total, long records);
    void *progress_ctx;
};

struct core_gateway_report {
    long records;                 /* records in the file (malformed ones included) */
    long count[CORE_GW_NOUTCOMES]; /* per outcome */
};

/*
 * Import the file at `path` ("-": standard input) matching each record by
 * OCLC number in o->zone: one match is overlaid (the merge rule keeps its
 * local fields; reason "overlay", updated by the acting user), none gives a
 * new record (reason "import", created by "system"), several or a locked
 * or protected match leave the record out, reported.  Each record is its
 * own transaction: written whole or not at all.  Returns CORE_OK when the
 * file was read to its end (the outcomes are in rep and went to o->line),
 * or an error that stopped it (role, unreadable file, database): the
 * records before stay imported, as reported.
 */
int core_gateway_import(struct core_repo *repo, const char *path,
                        const struct core_gateway_opts *o, struct core_gateway_report *rep);

#endif
