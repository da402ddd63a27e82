/*
 * verb-import.c - `colophon import FILE...`: records from files into a zone,
 * with a progress bar on a terminal and a summary per file.
 *
 * The rules (strict and permissive, holdings and items, resume) are the
 * core's (core/import.h, docs/IMPORT.md); this file reads the command line,
 * prints what the core reports, and turns the result into an exit code.
 */
#include "cli.h"

#include "core.h"
#include "import.h"
#include "repo.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char import_usage[] =
    "Usage: colophon import [OPTIONS] FILE...\n"
    "       colophon import --match oclc [OPTIONS] FILE...\n"
    "\n"
    "Import MARC records (ISO 2709, MARCXML, .mrk or MARC-in-JSON; MARC-8 is\n"
    "converted to UTF-8) into the repository.  FILE may be '-' for standard input.\n"
    "\n"
    "Bibliographic records become new bibs: each gets an MMS ID in 001, its old\n"
    "001 (with 003) is kept in a 035.  Holdings records (MFHD, leader/06 u v x y)\n"
    "attach to the bib whose old 001 (or MMS ID) their 004 holds, wherever that\n"
    "bib is in the file, and their 876-878 fields become items ($p barcode, $3 or\n"
    "$t description, $j status).  Records with validation errors are imported and\n"
    "listed, to be fixed in the editor.\n"
    "\n"
    "Without --permissive every record is checked first, and a record that cannot\n"
    "be imported (malformed, bad MARC-8, a holdings record whose bib cannot be\n"
    "found, a barcode already used) stops the import before anything is written.\n"
    "Files are imported one after the other, each all or nothing.\n"
    "\n"
    "An interrupted import resumes where it stopped when run again on the same\n"
    "file: no record is imported twice.  A file imported before is not imported\n"
    "again unless --again.\n"
    "\n"
    "With --match oclc (the gateway import, as OCLC Connexion's export): each\n"
    "record is matched by its OCLC numbers (035 $a (OCoLC), 035 $z, 019 $a; 001\n"
    "with 003 OCoLC) against the bibs of the zone, and is its own transaction:\n"
    "  one match     overlaid, its local fields kept (the merge rule; reason\n"
    "                'overlay'); refused when it is open in an editor (\"record\n"
    "                is locked by NAME\") or has a 998 no-overlay field\n"
    "  no match      created (reason 'import', created by 'system')\n"
    "  several       \"multiple matches found for this record\" (the MMS IDs)\n"
    "A line per record says what happened to it, then the counts per outcome.\n"
    "\n"
    "Options:\n"
    "  -f, --from FORMAT   input format: iso2709, marcxml, mrk, json (default: detect)\n"
    "  -p, --permissive    skip the records that cannot be imported (each reported\n"
    "                      with its record number, byte offset and reason)\n"
    "  -z, --zone ZONE     iz (default) or nz\n"
    "  -b, --batch N       records per transaction (default 2000)\n"
    "      --again         import a file imported before once more (new records)\n"
    "  -q, --quiet         no progress bar, no summary\n"
    "  -v, --verbose       also print notes\n"
    "  -m, --match oclc    the gateway import (above); --permissive, --batch and\n"
    "                      --again do not apply\n"
    "  -h, --help          show this help\n"
    "\n"
    "A summary per file goes to standard output:\n"
    "  FILE: records N, bibs N, holdings N, items N, skipped N, invalid N, resumed N\n"
    "\n"
    "Exit status: 0 imported (records skipped under --permissive are reported);\n"
    "1 a record cannot be imported (nothing of that file was written), or a\n"
    "missing role; 2 usage; 3 another import of the file is running or the\n"
    "repository is busy; 4 I/O or database error.  With --match: 0 every record\n"
    "went in; 1 some were refused as bad data (malformed, not a bib, no OCLC\n"
    "number, validation errors); 3 some were left out by a conflict (several\n"
    "matches, locked, 998); 4 I/O or database error.\n";

struct import_args {
    struct core_import_opts o;
    bool quiet;
    bool verbose;
    bool match; /* --match oclc: the gateway import (import-match.c) */
    char **files;
    int nfiles;
};

static int
parse_batch(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s || v < 1 || v > 10000000)
        return -1;
    *out = (size_t)v;
    return 0;
}

static int
parse_args(const struct cli_globals *g, int argc, char **argv, struct import_args *a)
{
    static const struct option longopts[] = {
        {"from", required_argument, NULL, 'f'},
        {"permissive", no_argument, NULL, 'p'},
        {"zone", required_argument, NULL, 'z'},
        {"batch", required_argument, NULL, 'b'},
        {"again", no_argument, NULL, 'A'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"match", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_import;
    memset(a, 0, sizeof *a);
    a->quiet = g->quiet;
    a->verbose = g->verbose;
    int c, z;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:pz:b:qvm:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!(a->o.format = marc_format_from_name(optarg)))
                return cli_usage_error(v, "unknown input format '%s'", optarg);
            break;
        case 'p':
            a->o.permissive = true;
            break;
        case 'z':
            z = core_zone_parse(optarg);
            if (z != CORE_ZONE_IZ && z != CORE_ZONE_NZ)
                return cli_usage_error(v, "--zone takes iz or nz, not '%s'", optarg);
            a->o.zone = (enum core_zone)z;
            break;
        case 'b':
            if (parse_batch(optarg, &a->o.batch) < 0)
                return cli_usage_error(v,
                                       "--batch takes a number of records from 1 to "
                                       "10000000, not '%s'",
                                       optarg);
            break;
        case 'A':
            a->o.again = true;
            break;
        case 'q':
            a->quiet = true;
            break;
        case 'v':
            a->verbose = true;
            break;
        case 'm':
            if (strcmp(optarg, "oclc") != 0)
                return cli_usage_error(v, "--match takes oclc (the OCLC number), not '%s'", optarg);
            a->match = true;
            break;
        default:
            return cli_usage_error(v, "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error(v, "expected at least one FILE");
    a->files = argv + optind;
    a->nfiles = argc - optind;
    int stdin_count = 0;
    for (int i = 0; i < a->nfiles; i++)
        stdin_count += strcmp(a->files[i], "-") == 0;
    if (stdin_count > 1)
        return cli_usage_error(v, "standard input ('-') can be imported only once");
    if (a->match && (a->o.permissive || a->o.batch || a->o.again))
        return cli_usage_error(v, "--permissive, --batch and --again do not go with --match");
    return CLI_OK;
}

/* The bar of one file; the core's total grows when it finds holdings
 * records (one more pass), and the bar is drawn anew then. */
struct bar {
    struct cli_progress *p;
    long long total;
};

static void
on_progress(void *ctx, long long done, long long total, long records)
{
    struct bar *b = ctx;
    if (total != b->total) {
        cli_progress_end(b->p);
        b->p = cli_progress_start("importing", total, false);
        b->total = total;
    }
    cli_progress_update(b->p, done, records);
}

static void
print_summary(const char *name, const struct core_import_report *rep)
{
    printf("%s: records %ld, bibs %ld, holdings %ld, items %ld, skipped %ld, invalid %ld, "
           "resumed %ld\n",
           name, rep->records, rep->bibs, rep->holdings, rep->items, rep->skipped, rep->invalid,
           rep->resumed);
    fflush(stdout);
}

/* Notes after a file that a user should act on. */
static void
print_advice(const struct core_import_report *rep)
{
    if (rep->invalid > 0)
        cli_error("%ld imported record(s) have validation errors (listed above with their MMS "
                  "IDs, the first 200 at most); fix them in the editor",
                  rep->invalid);
    if (rep->skipped > 0)
        cli_error("%ld record(s) skipped (reasons above)", rep->skipped);
    if (rep->resumed > 0 && rep->records > 0)
        cli_error("resumed an interrupted import: %ld record(s) had been imported before",
                  rep->resumed);
}

static int
import_one(struct core_repo *repo, struct import_args *a, const char *file,
           struct cli_diag_sink *sink)
{
    const char *name = strcmp(file, "-") == 0 ? "<stdin>" : file;
    sink->source = name;
    struct core_import_report rep;
    struct bar bar = {cli_progress_start("importing", -1, a->quiet), -1};
    a->o.progress = bar.p ? on_progress : NULL;
    a->o.progress_ctx = &bar;
    int rc = core_import_file(repo, file, &a->o, &rep);
    cli_progress_end(bar.p);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_import, repo, rc);
    if (rep.records == 0 && rep.resumed > 0) {
        if (!a->quiet)
            cli_error("%s", core_repo_errmsg(repo));
        return CLI_OK;
    }
    if (!a->quiet) {
        print_summary(name, &rep);
        print_advice(&rep);
    }
    return CLI_OK;
}

static int
run_import(const struct cli_globals *g, int argc, char **argv)
{
    struct import_args a;
    int status = parse_args(g, argc, argv, &a);
    if (status != CLI_OK)
        return status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    struct cli_diag_sink sink = {.verbose = a.verbose};
    a.o.diag = cli_print_diag;
    a.o.diag_ctx = &sink;
    for (int i = 0; a.match && i < a.nfiles; i++) { /* each file reported whole */
        int st = cli_import_match(&cli_verb_import, repo, a.files[i], a.o.zone, a.o.format,
                                  a.quiet, a.verbose);
        if (st == CLI_IO || (st != CLI_OK && (status == CLI_OK || status == CLI_CONFLICT)))
            status = st;
        if (st == CLI_IO)
            break;
    }
    for (int i = 0; !a.match && i < a.nfiles && status == CLI_OK; i++) {
        status = import_one(repo, &a, a.files[i], &sink);
        if (status != CLI_OK && i > 0)
            cli_error("stopped at %s; the file(s) before it were imported", a.files[i]);
    }
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_import = {
    .name = "import",
    .summary = "import records (bibs, holdings and items) from files",
    .run = run_import,
    .usage = import_usage,
};
