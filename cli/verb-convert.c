/*
 * verb-convert.c - `colophon convert IN OUT`: any record format to any other,
 * with character set conversion, all or nothing.
 */
#include "cli.h"
#include "outfile.h"

#include "buf.h"
#include "reader.h"
#include "writer.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char convert_usage[] =
    "Usage: colophon convert [OPTIONS] IN OUT\n"
    "\n"
    "Convert MARC records between ISO 2709, MARCXML, MarcEdit .mrk and MARC-in-JSON.\n"
    "IN and OUT may be '-' for standard input and output.  The input format is\n"
    "detected from the content; the output format is taken from OUT's extension\n"
    "(.mrc .marc .dat .iso, .xml, .mrk .mrk8, .json .jsonl) unless --to is given.\n"
    "\n"
    "Without --permissive the first malformed record stops the conversion, the\n"
    "error names the record, byte offset (or line) and field, and no output file\n"
    "is written (an existing OUT is left as it was).\n"
    "\n"
    "Options:\n"
    "  -f, --from FORMAT         input format: iso2709, marcxml, mrk, json\n"
    "  -t, --to FORMAT           output format: iso2709, marcxml, mrk, json\n"
    "  -c, --to-charset CHARSET  utf8 or marc8 (default: keep; MARCXML and JSON\n"
    "                            are always UTF-8, MARC-8 records are converted)\n"
    "  -n, --normalize FORM      nfc or nfd: Unicode normalisation of UTF-8 output\n"
    "  -p, --permissive          skip malformed records (each reported and counted)\n"
    "      --crlf                end .mrk lines with CR LF (MarcEdit on Windows)\n"
    "  -q, --quiet               no progress bar and no summary\n"
    "  -v, --verbose             also report notes (padding passed over, ...)\n"
    "  -h, --help                show this help\n"
    "\n"
    "Exit status: 0 done; 1 malformed input (nothing written); 2 usage;\n"
    "4 I/O error.\n";

struct convert_opts {
    struct marc_read_opts in;
    struct marc_write_opts out;
    const char *in_path;
    const char *out_path;
    bool quiet;
    bool verbose;
};

static int
parse_args(const struct cli_globals *g, int argc, char **argv, struct convert_opts *o)
{
    static const struct option longopts[] = {
        {"from", required_argument, NULL, 'f'},     {"to", required_argument, NULL, 't'},
        {"to-charset", required_argument, NULL, 'c'}, {"normalize", required_argument, NULL, 'n'},
        {"permissive", no_argument, NULL, 'p'},      {"crlf", no_argument, NULL, 'R'},
        {"quiet", no_argument, NULL, 'q'},           {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},            {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->quiet = g->quiet;
    o->verbose = g->verbose;
    const struct cli_verb *v = &cli_verb_convert;
    int c;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "f:t:c:n:pqvh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!(o->in.format = marc_format_from_name(optarg)))
                return cli_usage_error(v, "unknown input format '%s'", optarg);
            break;
        case 't':
            if (!(o->out.format = marc_format_from_name(optarg)))
                return cli_usage_error(v, "unknown output format '%s'", optarg);
            break;
        case 'c':
            if (strcmp(optarg, "utf8") == 0 || strcmp(optarg, "utf-8") == 0)
                o->out.charset = MARC_CS_UTF8;
            else if (strcmp(optarg, "marc8") == 0 || strcmp(optarg, "marc-8") == 0)
                o->out.charset = MARC_CS_MARC8;
            else
                return cli_usage_error(v, "unknown character set '%s' (utf8 or marc8)", optarg);
            break;
        case 'n':
            if (strcmp(optarg, "nfc") == 0)
                o->out.normalize = MARC_NF_NFC;
            else if (strcmp(optarg, "nfd") == 0)
                o->out.normalize = MARC_NF_NFD;
            else
                return cli_usage_error(v, "unknown normalisation '%s' (nfc or nfd)", optarg);
            break;
        case 'p':
            o->in.permissive = true;
            break;
        case 'R':
            o->out.crlf = true;
            break;
        case 'q':
            o->quiet = true;
            break;
        case 'v':
            o->verbose = true;
            break;
        case 'h':
            return cli_print_usage(v) - 1; /* -1: stop, exit 0 */
        default:
            return cli_usage_error(v, "unknown option");
        }
    }
    if (argc - optind != 2)
        return cli_usage_error(v, "expected IN and OUT, got %d argument(s)", argc - optind);
    o->in_path = argv[optind];
    o->out_path = argv[optind + 1];
    if (!o->out.format)
        o->out.format = marc_format_from_path(o->out_path);
    if (!o->out.format)
        return cli_usage_error(v, "cannot tell the output format from '%s'; give --to", o->out_path);
    if (strcmp(o->in_path, o->out_path) == 0 && strcmp(o->in_path, "-") != 0)
        return cli_usage_error(v, "IN and OUT are the same file");
    return CLI_OK;
}

/* Copy every record; returns the exit code. */
static int
convert_stream(struct convert_opts *o, struct marc_reader *rd, struct marc_writer *w,
               struct cli_diag_sink *sink, long *written, long *dropped)
{
    struct marc_record *r = marc_record_new();
    struct cli_progress *bar =
        cli_progress_start("converting", marc_reader_size(rd), o->quiet);
    int rc, status = CLI_OK;
    while ((rc = marc_reader_next(rd, r)) == 1) {
        struct marc_decode_ctx ctx = {.record = marc_reader_record_number(rd),
                                      .offset = marc_reader_record_offset(rd),
                                      .line = marc_reader_record_line(rd),
                                      .diag = cli_print_diag,
                                      .diag_ctx = sink};
        int wr = marc_writer_write(w, r, &ctx);
        if (wr == MARC_ERR_IO) {
            status = CLI_IO;
            break;
        }
        if (wr < 0) {
            if (!o->in.permissive) {
                status = CLI_USER;
                break;
            }
            (*dropped)++;
        }
        cli_progress_update(bar, marc_reader_position(rd), marc_reader_record_number(rd));
    }
    cli_progress_end(bar);
    if (rc < 0)
        status = rc == MARC_ERR_IO ? CLI_IO : CLI_USER;
    *written = marc_writer_count(w);
    marc_record_free(r);
    return status;
}

static int
run_convert(const struct cli_globals *g, int argc, char **argv)
{
    struct convert_opts o;
    int rc = parse_args(g, argc, argv, &o);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    struct cli_diag_sink sink = {.source = strcmp(o.in_path, "-") == 0 ? "<stdin>" : o.in_path,
                                 .verbose = o.verbose};
    o.in.diag = cli_print_diag;
    o.in.diag_ctx = &sink;
    char *cause = NULL;
    struct marc_reader *rd = marc_reader_open(o.in_path, &o.in, &cause);
    if (!rd) {
        cli_error("%s", cause);
        free(cause);
        return CLI_IO;
    }
    struct cli_outfile out;
    if (cli_outfile_open(&out, o.out_path, o.in.permissive) < 0) {
        marc_reader_close(rd);
        return CLI_IO;
    }
    struct marc_writer *w = marc_writer_new(out.fp, &o.out, &cause);
    if (!w) {
        cli_outfile_abort(&out);
        marc_reader_close(rd);
        int st = cli_usage_error(&cli_verb_convert, "%s", cause);
        free(cause);
        return st;
    }
    long written = 0, dropped = 0;
    int status = convert_stream(&o, rd, w, &sink, &written, &dropped);
    if (status == CLI_OK && marc_writer_finish(w) != MARC_OK) {
        cli_error("writing %s failed", o.out_path);
        status = CLI_IO;
    }
    if (status == CLI_OK && cli_outfile_commit(&out) < 0)
        status = CLI_IO;
    else if (status != CLI_OK)
        cli_outfile_abort(&out);
    long skipped = marc_reader_skipped(rd) + dropped;
    if (status != CLI_OK) {
        cli_error("conversion stopped; %s",
                  out.is_stdout ? "nothing was written" : "no output file was written");
    } else if (skipped > 0 || (!o.quiet && isatty(2))) {
        cli_error("%ld record(s) converted from %s to %s", written,
                  marc_format_name(marc_reader_format(rd)), marc_format_name(o.out.format));
        if (skipped > 0)
            cli_error("%ld malformed record(s) skipped (see the messages above)", skipped);
    }
    marc_writer_free(w);
    marc_reader_close(rd);
    return status;
}

const struct cli_verb cli_verb_convert = {
    .name = "convert",
    .summary = "convert records between ISO 2709, MARCXML, .mrk and MARC-in-JSON",
    .run = run_convert,
    .usage = convert_usage,
};
