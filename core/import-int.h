/*
 * import-int.h - what the files of the import share: the state of one
 * import (import.c drives the passes, batches and resume; import-mfhd.c
 * knows holdings records, their items and the 004 link to a bib).
 *
 * Private to core/import*.c, which are part of the repository module and so
 * may use SQLite through repo-int.h.
 */
#ifndef CORE_IMPORT_INT_H
#define CORE_IMPORT_INT_H

#include "import.h"
#include "repo-int.h"

#include "codec.h"
#include "lint.h"

#include <stdint.h>

/* ---- a set of 64-bit hashes, each with a value (open addressing) ---- */

struct imp_hset {
    uint64_t *keys; /* 0: empty slot */
    long *vals;
    size_t cap, n;
};

/* FNV-1a of a byte string, never 0 (0 marks an empty slot). */
uint64_t imp_hash(const char *s, size_t len);
/* Add h with val unless present; returns true when added, else false with
 * *old (may be NULL) set to the value already there. */
bool imp_hset_add(struct imp_hset *s, uint64_t h, long val, long *old);
bool imp_hset_has(const struct imp_hset *s, uint64_t h);
void imp_hset_free(struct imp_hset *s);

/* ---- one import ---- */

/* Room for a 001 or 004 value (longer ones are not control numbers). */
#define IMP_CONTROL_MAX 128

/* A holdings record's 004 seen by the check pass, resolved at its end. */
struct imp_ref {
    char value[IMP_CONTROL_MAX];
    long record;
    long long offset;
    long line;
};

/* A barcode of the file already used by an item in the zone. */
struct imp_taken {
    char barcode[64];
    char item[CORE_MMS_MAX];
    long record;
    long long offset;
    long line;
};

struct imp {
    struct core_repo *repo;
    enum core_zone zone;
    const struct core_import_opts *o;
    struct core_import_report *rep;
    unsigned roles; /* of the acting user */
    bool checking;  /* in the check pass: problems are errors, nothing is written */
    long problems;  /* problems found by the check pass */
    /* the file */
    const char *name; /* as the user gave it, for messages */
    int fd;           /* read from here (a spool for standard input) */
    long long size;
    char key[96]; /* identity for resume (see import.c) */
    /* resume */
    bool has_run;   /* an import_run row exists */
    bool restart;   /* --again over a row that exists: start it over */
    long done;      /* steps committed by earlier runs */
    long committed; /* records_done as last written */
    long nrecords;  /* records in the file, once a full pass has read it */
    bool saw_holdings;
    /* the batch in progress */
    size_t batch;
    size_t in_batch;
    bool in_tx;
    long long bib_seq; /* next bib sequence, loaded from the counter per batch */
    long long bib_seq_start;
    /* statements kept for the whole import */
    sqlite3_stmt *st_bib, *st_ident, *st_fts;
    /* scratch */
    struct marc_buf blob;
    char mms[CORE_MMS_MAX];         /* of the record being stored, for messages */
    char placeholder[CORE_MMS_MAX]; /* in 001 until the MMS ID is known (import-pipe.c) */
    /* check pass */
    struct imp_hset bib001;   /* hashes of the bibs' 001 */
    struct imp_hset barcodes; /* hashes of the file's barcodes -> record number */
    struct imp_ref *refs;
    size_t nrefs, caprefs;
    struct imp_taken *taken;
    size_t ntaken, captaken;
};

/* Problems reported before the rest are only counted (a file of a million
 * bad records should not print a million lines). */
#define IMP_MAX_REPORTED 200

/*
 * A record that cannot be imported: in the check pass an error (the import
 * will not start), in a permissive import a warning "skipped: ..." and the
 * record counted in rep->skipped.
 */
void imp_problem(struct imp *im, struct marc_decode_ctx *ctx, const char *code, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));
/* The same for a problem in one field (w names it). */
void imp_problem_at(struct imp *im, struct marc_decode_ctx *ctx, const struct marc_where *w,
                    const char *code, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The bare 001 of a record (blanks trimmed) into out; false when none. */
bool imp_control_number(const struct marc_record *r, const char *tag, char *out, size_t size);

/* ---- the reading thread (import-pipe.c) ---- */

/*
 * The bibs pass runs on two threads: a reading thread decodes, converts,
 * validates, encodes and indexes (in memory) each record, and hands it over
 * in a slot; the calling thread, the only one that uses SQLite, stores what
 * it is given.  The reading thread never touches the repository.
 */

/* A problem found by the reading thread, handed over for the caller to report. */
struct imp_note {
    struct marc_diag d;
    bool lint; /* a validation error of an imported record (reported with its MMS ID) */
};

enum imp_slot_what { IMP_SLOT_RECORD, IMP_SLOT_END, IMP_SLOT_FAIL };

struct imp_slot {
    enum imp_slot_what what;
    struct marc_decode_ctx where; /* record number, offset, line */
    long long position;           /* reader position after the record */
    long skipped;                 /* records the reader skipped so far */
    enum marc_record_kind kind;
    bool prepared; /* a bib made ready to store (not one done before) */
    struct marc_record *r;
    char orig[128];       /* the bib's original 001 */
    bool invalid;         /* validation errors */
    struct marc_buf blob; /* encoded, with a placeholder MMS ID in 001 */
    int fmt;
    long mms_at; /* offset of 001's data in blob, -1: encode again */
    struct core_bib_keys keys;
    struct imp_note *notes;
    size_t nnotes, capnotes;
    /* IMP_SLOT_END: records in the file; IMP_SLOT_FAIL: what stopped the reader */
    long nrecords;
    int code;
    char message[640];
};

/* The length of the placeholder MMS ID (a bib sequence of nine digits). */
#define IMP_MMS_LEN 15

struct imp_pipe;
/* Open the file again and start the reading thread; NULL with rc set on failure. */
struct imp_pipe *imp_pipe_start(struct imp *im, bool report, int *rc);
/* The next slot, in file order (blocks); the last is END or FAIL. */
struct imp_slot *imp_pipe_next(struct imp_pipe *p);
/* Give the slot back once stored. */
void imp_pipe_release(struct imp_pipe *p);
/* Stop the thread (wherever it is) and free everything. */
void imp_pipe_stop(struct imp_pipe *p);

/* ---- holdings (import-mfhd.c) ---- */

/* Check pass: 004 and items of a holdings record (problems through imp_problem). */
void imp_check_holdings(struct imp *im, const struct marc_record *r, struct marc_decode_ctx *ctx);
/* Check pass, at its end: every 004 names a bib of the file or of the zone. */
void imp_check_refs(struct imp *im);
/* Store one holdings record with its items (inside the batch transaction). */
int imp_store_holdings(struct imp *im, struct marc_record *r, struct marc_decode_ctx *ctx);

/* ---- batches and passes (import.c, import-bib.c) ---- */

/* Open the batch transaction unless one is open; loads the MMS ID counter. */
int imp_batch_open(struct imp *im);
/* Commit the batch, moving the run row to records_done (and finished). */
int imp_batch_commit(struct imp *im, long records_done, bool finished);
/* Step a statement that returns no rows; reset it either way. */
int imp_step(struct imp *im, sqlite3_stmt *st, const char *what);
/* Report progress: pass (0-based) of npasses, at a byte position of the file. */
void imp_progress(struct imp *im, long long position, long record, int pass, int npasses);
bool imp_may_import_bibs(const struct imp *im);
/* "an authority record", ... for messages. */
const char *imp_kind_name(const struct marc_record *r);
/* Prepare the statements the bibs pass keeps. */
int imp_bib_statements(struct imp *im);
/* The bibs pass (steps 1 ... N). */
int imp_bibs_pass(struct imp *im, int pass);

/* Lint r as stored (MMS ID in im->mms): errors are reported as warnings that
 * name the MMS ID to fix; true when r has errors. */
bool imp_lint(struct imp *im, const struct marc_record *r, struct marc_decode_ctx *ctx);

#endif
