/*
 * verb-export.c - `colophon export`: stored records to a file in any format
 * and character set, chosen by MMS ID, from a list, or by a query; all or
 * nothing (cli/outfile.c).
 */
#include "cli.h"
#include "outfile.h"

#include "buf.h"
#include "core.h"
#include "import.h"
#include "repo.h"
#include "search.h"
#include "set.h"

#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char export_usage[] =
    "Usage: colophon export [OPTIONS] (MMSID... | --ids FILE | --query QUERY | --set NAME) OUT\n"
    "\n"
    "Write stored records (bibliographic or holdings, by MMS ID) to OUT ('-' for\n"
    "standard output).  The format is taken from OUT's extension (.mrc .marc .dat\n"
    ".iso, .xml, .mrk .mrk8, .json .jsonl) unless --to is given.  Records are\n"
    "stored in UTF-8; --to-charset marc8 writes MARC-8 (ISO 2709 and .mrk only).\n"
    "Nothing is written unless every record could be (an existing OUT is kept).\n"
    "\n"
    "Options:\n"
    "  -t, --to FORMAT           iso2709, marcxml, mrk, json\n"
    "  -c, --to-charset CHARSET  utf8 (default) or marc8\n"
    "  -n, --normalize FORM      nfc or nfd (UTF-8 output)\n"
    "      --crlf                end .mrk lines with CR LF\n"
    "  -H, --with-holdings       embed each bib's holdings (852, 866-868 with $8 N)\n"
    "                            and items (876 $8 N.M $a item MMS ID $p barcode\n"
    "                            $3 description $j status)\n"
    "  -i, --ids FILE            MMS IDs from FILE ('-': standard input), one a line\n"
    "  -Q, --query QUERY         every record QUERY finds (see 'colophon search')\n"
    "  -S, --set NAME            the records of a set (a logical set's query runs now)\n"
    "  -z, --zone ZONE           zone searched by --query: iz (default), nz, cz\n"
    "      --physical            with --query: only bibs with holdings\n"
    "  -q, --quiet               no summary\n"
    "  -h, --help                show this help\n"
    "\n"
    "Exit status: 0 written; 1 no such record, a malformed query, or a record that\n"
    "cannot be written in that format (nothing written); 2 usage; 4 I/O or\n"
    "database error.\n";

struct export_args {
    struct core_export_opts o;
    const char *query;
    const char *ids_file;
    const char *set;
    struct core_search_opts so;
    char **ids;
    int nids;
    const char *out;
    bool quiet;
};

static int
parse_charset(const char *s, enum marc_charset_choice *out)
{
    if (strcmp(s, "utf8") == 0 || strcmp(s, "utf-8") == 0)
        *out = MARC_CS_UTF8;
    else if (strcmp(s, "marc8") == 0 || strcmp(s, "marc-8") == 0)
        *out = MARC_CS_MARC8;
    else
        return -1;
    return 0;
}

static int
parse_option(int c, struct export_args *a)
{
    const struct cli_verb *v = &cli_verb_export;
    int z;
    switch (c) {
    case 't':
        if (!(a->o.write.format = marc_format_from_name(optarg)))
            return cli_usage_error(v, "unknown output format '%s'", optarg);
        return CLI_OK;
    case 'c':
        if (parse_charset(optarg, &a->o.write.charset) < 0)
            return cli_usage_error(v, "unknown character set '%s' (utf8 or marc8)", optarg);
        return CLI_OK;
    case 'n':
        if (strcmp(optarg, "nfc") == 0)
            a->o.write.normalize = MARC_NF_NFC;
        else if (strcmp(optarg, "nfd") == 0)
            a->o.write.normalize = MARC_NF_NFD;
        else
            return cli_usage_error(v, "unknown normalisation '%s' (nfc or nfd)", optarg);
        return CLI_OK;
    case 'R':
        a->o.write.crlf = true;
        return CLI_OK;
    case 'H':
        a->o.with_holdings = true;
        return CLI_OK;
    case 'i':
        a->ids_file = optarg;
        return CLI_OK;
    case 'Q':
        a->query = optarg;
        return CLI_OK;
    case 'S':
        a->set = optarg;
        return CLI_OK;
    case 'z':
        if ((z = core_zone_parse(optarg)) < 0)
            return cli_usage_error(v, "--zone takes iz, nz or cz, not '%s'", optarg);
        a->so.zone = (enum core_zone)z;
        return CLI_OK;
    case 'P':
        a->so.physical = true;
        return CLI_OK;
    case 'q':
        a->quiet = true;
        return CLI_OK;
    default:
        return cli_usage_error(v, "unknown option");
    }
}

static int
parse_args(const struct cli_globals *g, int argc, char **argv, struct export_args *a)
{
    static const struct option longopts[] = {
        {"to", required_argument, NULL, 't'},
        {"to-charset", required_argument, NULL, 'c'},
        {"normalize", required_argument, NULL, 'n'},
        {"crlf", no_argument, NULL, 'R'},
        {"with-holdings", no_argument, NULL, 'H'},
        {"ids", required_argument, NULL, 'i'},
        {"query", required_argument, NULL, 'Q'},
        {"set", required_argument, NULL, 'S'},
        {"zone", required_argument, NULL, 'z'},
        {"physical", no_argument, NULL, 'P'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_export;
    memset(a, 0, sizeof *a);
    a->quiet = g->quiet;
    a->o.write.charset = MARC_CS_UTF8;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "t:c:n:Hi:Q:S:z:qh", longopts, NULL)) != -1) {
        int rc = parse_option(c, a);
        if (rc != CLI_OK)
            return rc;
    }
    if (optind >= argc)
        return cli_usage_error(v, "expected OUT");
    a->out = argv[argc - 1];
    a->ids = argv + optind;
    a->nids = argc - optind - 1;
    int sources = (a->nids > 0) + (a->query != NULL) + (a->ids_file != NULL) + (a->set != NULL);
    if (sources != 1)
        return cli_usage_error(v, "give the records as MMS IDs, --ids FILE, --query QUERY or "
                                  "--set NAME (one of them)");
    if (!a->o.write.format)
        a->o.write.format = marc_format_from_path(a->out);
    if (!a->o.write.format)
        return cli_usage_error(v, "cannot tell the output format from '%s'; give --to", a->out);
    return CLI_OK;
}

/* MMS IDs of a list file: one a line, blanks and '#' comments ignored. */
static int
read_ids(const char *path, char ***out, size_t *n)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!fp) {
        cli_error("cannot open %s: %m", path);
        return CLI_IO;
    }
    char *line = NULL;
    size_t cap = 0, size = 0;
    *n = 0;
    *out = NULL;
    while (getline(&line, &cap, fp) > 0) {
        char *s = line;
        while (isspace((unsigned char)*s))
            s++;
        size_t len = strcspn(s, " \t\r\n#");
        if (!len)
            continue;
        if (*n == size) {
            size = size ? size * 2 : 256;
            *out = xrealloc(*out, size * sizeof **out);
        }
        (*out)[(*n)++] = xstrndup(s, len);
    }
    free(line);
    int err = ferror(fp);
    if (fp != stdin)
        fclose(fp);
    if (err) {
        cli_error("reading %s failed", path);
        return CLI_IO;
    }
    return CLI_OK;
}

static int
run_export(const struct cli_globals *g, int argc, char **argv)
{
    struct export_args a;
    int status = parse_args(g, argc, argv, &a);
    if (status != CLI_OK)
        return status;
    char **listed = NULL;
    size_t nlisted = 0;
    if (a.ids_file && (status = read_ids(a.ids_file, &listed, &nlisted)) != CLI_OK)
        return status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (repo && a.set) {
        char(*members)[CORE_MMS_MAX] = NULL;
        int rc = core_set_members(repo, a.set, &members, &nlisted);
        if (rc != CORE_OK)
            status = cli_core_error(&cli_verb_export, repo, rc);
        listed = xcalloc(nlisted ? nlisted : 1, sizeof *listed);
        for (size_t i = 0; i < nlisted; i++)
            listed[i] = xstrdup(members[i]);
        free(members);
    }
    struct cli_outfile out;
    if (repo && status == CLI_OK && cli_outfile_open(&out, a.out, false) < 0)
        status = CLI_IO;
    if (status == CLI_OK) {
        struct cli_diag_sink sink = {.source = a.out};
        a.o.diag = cli_print_diag;
        a.o.diag_ctx = &sink;
        long written = 0;
        int rc = a.query  ? core_export_query(repo, a.query, &a.so, out.fp, &a.o, &written)
                 : listed ? core_export_ids(repo, (const char *const *)listed, nlisted, out.fp,
                                            &a.o, &written)
                          : core_export_ids(repo, (const char *const *)a.ids, (size_t)a.nids,
                                            out.fp, &a.o, &written);
        const char *target = out.is_stdout ? "standard output" : a.out;
        if (rc != CORE_OK) {
            cli_outfile_abort(&out);
            status = cli_core_error(&cli_verb_export, repo, rc);
            cli_error("nothing was written to %s", target);
        } else if (cli_outfile_commit(&out) < 0) {
            status = CLI_IO;
        } else if (!a.quiet && isatty(STDERR_FILENO)) {
            cli_error("%ld record(s) exported to %s", written, target);
        }
    }
    for (size_t i = 0; i < nlisted; i++)
        free(listed[i]);
    free(listed);
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_export = {
    .name = "export",
    .summary = "export records by MMS ID or query, optionally with holdings and items",
    .run = run_export,
    .usage = export_usage,
};
