/*
 * import.h - loading files into the repository and writing records out.
 *
 * Import streams any SPEC §4 format (MARC-8 converted to UTF-8 NFC) into a
 * zone in batched transactions: bibliographic records become bibs, MFHD
 * holdings records attach to the bib their 004 names (the bib's original
 * 001), and their 876-878 item fields become items.  Without `permissive`
 * the whole file is read and checked first, so that an error anywhere
 * leaves the repository unchanged; with it, bad records are skipped with
 * their reasons.  An interrupted import of the same file resumes where its
 * last committed batch ended: no record is imported twice.
 */
#ifndef CORE_IMPORT_H
#define CORE_IMPORT_H

#include "core.h"
#include "repo.h"
#include "search.h"

#include "diag.h"
#include "format.h"
#include "writer.h"

#include <stdbool.h>
#include <stdio.h>

struct core_import_opts {
    enum marc_format format; /* MARC_FMT_UNKNOWN: detect */
    bool permissive;
    enum core_zone zone;
    size_t batch;            /* records per transaction (0: 2000) */
    bool again;              /* import a file imported before once more, from its start */
    marc_diag_fn diag;       /* every problem, with record number and offset */
    void *diag_ctx;
    /* Progress: bytes done, bytes total (-1 unknown), records so far. */
    void (*progress)(void *ctx, long long done, long long total, long records);
    void *progress_ctx;
};

struct core_import_report {
    long records;   /* records read from the file */
    long bibs;      /* bibliographic records created */
    long holdings;  /* holdings records created */
    long items;     /* items created from 876-878 */
    long skipped;   /* refused, with a reason reported */
    long resumed;   /* already imported by an earlier, interrupted run */
    long invalid;   /* imported although validation found errors (to fix in the editor) */
};

/*
 * Import the file at `path` ("-": standard input) into o->zone.  Problems
 * go to o->diag, each with its record number and byte offset.  Returns
 * CORE_OK, CORE_ERR_INVALID when a record cannot be imported without
 * o->permissive (nothing was written), or another error (a failure after
 * some batches were committed says so; running the import again resumes
 * it).  A file imported completely before is not read again unless
 * o->again: CORE_OK with rep->resumed holding its records and
 * core_repo_errmsg() saying when and by whom.  docs/IMPORT.md has the rules.
 */
int core_import_file(struct core_repo *repo, const char *path, const struct core_import_opts *o,
                     struct core_import_report *rep /* OUT */);

struct core_export_opts {
    struct marc_write_opts write;
    bool with_holdings; /* embed holdings (852, 866-868) and items (876) in each bib */
    marc_diag_fn diag;  /* conversion warnings (MARC-8 output), may be NULL */
    void *diag_ctx;
};

/* Write records (by MMS ID) to fp.  *written counts records written. */
int core_export_ids(struct core_repo *repo, const char *const *mms, size_t n, FILE *fp,
                    const struct core_export_opts *o, long *written);
/* Write every record a query finds (all hits, not only the first page). */
int core_export_query(struct core_repo *repo, const char *query,
                      const struct core_search_opts *so, FILE *fp,
                      const struct core_export_opts *o, long *written);

#endif
