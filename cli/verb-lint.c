/*
 * verb-lint.c - `colophon lint FILE...`: every structural, character set and
 * MARC 21 problem of every record, one line each.
 */
#include "cli.h"

#include "buf.h"
#include "charset.h"
#include "lint.h"
#include "reader.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char lint_usage[] =
    "Usage: colophon lint [OPTIONS] FILE...\n"
    "\n"
    "Check MARC records and print one line per problem:\n"
    "  FILE: record N (byte OFFSET | line L): TAG[OCCURRENCE] $CODE: error|warning: MESSAGE\n"
    "Structure (leader, directory, lengths, terminators), character sets (UTF-8,\n"
    "MARC-8 escape sequences) and MARC 21 bibliographic and holdings rules (tags,\n"
    "repeatability, indicators, subfield codes, 008 length, 245 / 852 required,\n"
    "punctuation) are checked.  Errors are what blocks a save in the editor;\n"
    "warnings do not.  FILE may be '-' for standard input.\n"
    "\n"
    "Options:\n"
    "  -f, --from FORMAT   input format: iso2709, marcxml, mrk, json (default: detect)\n"
    "  -e, --errors-only   do not print warnings\n"
    "  -q, --quiet         no progress bar and no summary\n"
    "  -v, --verbose       also print notes\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 no errors (warnings allowed); 1 errors found; 2 usage;\n"
    "4 a file could not be read.\n";

/* MARC-8 problems show only when converting: try it on a copy. */
static void
check_charset(const struct marc_record *r, struct marc_record *scratch,
              struct marc_decode_ctx *ctx)
{
    if (marc_record_is_utf8(r))
        return;
    marc_record_copy(scratch, r);
    marc_charset_to_utf8(scratch, ctx);
}

static int
lint_file(const char *path, enum marc_format fmt, struct cli_diag_sink *sink, bool quiet,
          long *records)
{
    struct marc_read_opts ro = {.format = fmt, .lint = true, .diag = cli_print_diag,
                                .diag_ctx = sink};
    char *cause = NULL;
    struct marc_reader *rd = marc_reader_open(path, &ro, &cause);
    if (!rd) {
        cli_error("%s", cause);
        free(cause);
        return CLI_IO;
    }
    struct marc_record *r = marc_record_new(), *scratch = marc_record_new();
    struct cli_progress *bar = cli_progress_start("linting", marc_reader_size(rd), quiet);
    int rc;
    while ((rc = marc_reader_next(rd, r)) == 1) {
        struct marc_decode_ctx ctx = {.record = marc_reader_record_number(rd),
                                      .offset = marc_reader_record_offset(rd),
                                      .line = marc_reader_record_line(rd),
                                      .diag = cli_print_diag,
                                      .diag_ctx = sink};
        check_charset(r, scratch, &ctx);
        marc_lint_record(r, &ctx);
        (*records)++;
        cli_progress_update(bar, marc_reader_position(rd), marc_reader_record_number(rd));
    }
    cli_progress_end(bar);
    marc_record_free(r);
    marc_record_free(scratch);
    marc_reader_close(rd);
    if (rc == MARC_ERR_IO)
        return CLI_IO;
    return CLI_OK; /* other reader failures were reported as errors */
}

static int
run_lint(const struct cli_globals *g, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"from", required_argument, NULL, 'f'}, {"errors-only", no_argument, NULL, 'e'},
        {"quiet", no_argument, NULL, 'q'},      {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
    };
    enum marc_format fmt = MARC_FMT_UNKNOWN;
    bool errors_only = false, quiet = g->quiet, verbose = g->verbose;
    int c;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "f:eqvh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!(fmt = marc_format_from_name(optarg)))
                return cli_usage_error(&cli_verb_lint, "unknown input format '%s'", optarg);
            break;
        case 'e':
            errors_only = true;
            break;
        case 'q':
            quiet = true;
            break;
        case 'v':
            verbose = true;
            break;
        case 'h':
            return cli_print_usage(&cli_verb_lint);
        default:
            return cli_usage_error(&cli_verb_lint, "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error(&cli_verb_lint, "no file given");
    long errors = 0, warnings = 0, records = 0;
    int status = CLI_OK;
    for (int i = optind; i < argc; i++) {
        struct cli_diag_sink sink = {.source = strcmp(argv[i], "-") == 0 ? "<stdin>" : argv[i],
                                     .verbose = verbose,
                                     .quiet_warnings = errors_only};
        if (lint_file(argv[i], fmt, &sink, quiet, &records) != CLI_OK)
            status = CLI_IO;
        errors += sink.errors;
        warnings += sink.warnings;
    }
    if (!quiet && isatty(STDERR_FILENO))
        cli_error("%ld record(s) checked: %ld error(s), %ld warning(s)", records, errors,
                  warnings);
    if (status != CLI_OK)
        return status;
    return errors > 0 ? CLI_USER : CLI_OK;
}

const struct cli_verb cli_verb_lint = {
    .name = "lint",
    .summary = "check records: structure, character sets, MARC 21 rules",
    .run = run_lint,
    .usage = lint_usage,
};
