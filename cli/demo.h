/*
 * demo.h - what `colophon demo` (verb-demo.c) and the code that fills the
 * demo repository (demo-build.c) share.
 *
 * The demo is two repositories in one directory, both made from the Library
 * of Congress records Debian's idzebra-2.0-examples package ships:
 *   DIR/             the demo: IZ 1234 and NZ 4801, with holdings, items,
 *                    links to the NZ, notes, reminders, an assignment, sets
 *                    and three users;
 *   DIR/loc-sample/  the full LoC records, which `colophon serve` offers on
 *                    127.0.0.1 as the Z39.50 target "loc-sample", so that
 *                    External search and Copy & Merge work without a network.
 * What was built is kept in DIR/colophon-demo (also the mark that DIR is a
 * demo, which `colophon demo` may rebuild), so that a second run can print
 * the same summary without building anything.
 */
#ifndef CLI_DEMO_H
#define CLI_DEMO_H

#include "mms.h"

#include <stdbool.h>
#include <stdio.h>

/* Where Debian's idzebra-2.0-examples puts the LoC sample records. */
#define DEMO_EXAMPLES "/usr/share/doc/idzebra-2.0/examples"
/* The mark and summary file, the LoC repository, the server's files (in DIR). */
#define DEMO_MARK "colophon-demo"
#define DEMO_LOC "loc-sample"
#define DEMO_PIDFILE "serve.pid"
#define DEMO_LOGFILE "serve.log"
/* The name of the Z39.50 target serving DIR/loc-sample. */
#define DEMO_TARGET "loc-sample"
#define DEMO_IZ_CODE "1234"
#define DEMO_LOC_CODE "0100"

/* What the build made, and the records worth trying. */
struct demo_summary {
    long iz_bibs, nz_bibs, loc_bibs;
    long holdings, items, linked;
    long notes, reminders, assignments, sets, users;
    char brief[CORE_MMS_MAX];        /* a brief record: Copy & Merge from loc-sample */
    char brief_isbn[16];             /* its ISBN, to search loc-sample with */
    char linked_bib[CORE_MMS_MAX];   /* an IZ bib linked to the NZ */
    char share[CORE_MMS_MAX];        /* unlinked, one NZ record has its OCLC number */
    char duplicate[CORE_MMS_MAX];    /* a duplicate: relink its holdings, then delete it */
    char dup_holdings[CORE_MMS_MAX]; /* the duplicate's holdings record */
    char keeper[CORE_MMS_MAX];       /* the record the duplicate duplicates */
    char no_holdings[CORE_MMS_MAX];  /* an electronic resource without holdings */
    char assigned[CORE_MMS_MAX];     /* assigned to the demo user by alice */
    char alice[64], bob[64];          /* the colleagues' names (cataloger, -extended) */
    char barcode[64];                /* an item's barcode */
};

/*
 * Build the demo in `dir` (which must not exist yet): both repositories,
 * everything in them, and the mark file.  `user` (NULL: the login name)
 * becomes the admin.  Returns 0, or -1 with *cause (heap) saying what
 * failed; the caller removes the half-built directory.
 */
int demo_build(const char *dir, const char *user, struct demo_summary *s, char **cause);

/* Write / read the summary as "key value" lines (the mark file). */
int demo_summary_write(const char *path, const struct demo_summary *s);
int demo_summary_read(const char *path, struct demo_summary *s);

#endif
