/*
 * verb-search.c - `colophon search QUERY`: the query language of SPEC §3.2
 * from the command line, brief result lines or full records.
 *
 * The core parses and runs the query; this file joins the arguments into
 * one query, shows a malformed one with a caret under the column the core
 * names, and prints hits in the form asked for.
 */
#include "cli.h"
#include "record-io.h"

#include "core.h"
#include "repo.h"
#include "search.h"

#include "buf.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

static const char search_usage[] =
    "Usage: colophon search [OPTIONS] QUERY...\n"
    "\n"
    "Search a zone and print one line per record, newest or most relevant first:\n"
    "  MMSID  ZONE  DATE  TITLE / AUTHOR  (INVENTORY)  [linked ...] [locked by ...]\n"
    "  [assigned to ...]\n"
    "Several arguments are joined with spaces into one query; quote the query for\n"
    "the shell when it has quotes or parentheses: colophon search 'title=\"war and peace\"'\n"
    "(and put '--' before a query that begins with '-').\n"
    "\n"
    "Query language (docs/SEARCH.md):\n"
    "  tolstoy                      keyword: any word of the record, diacritics folded\n"
    "  title=\"war and peace\"        a phrase in one index\n"
    "  author=tolst* AND subject=war  trailing truncation; AND, OR, NOT, parentheses\n"
    "  isbn=0-306-40615-2           ISBN-10 and -13 find the same book; also LCCNs\n"
    "  oclc=ocm00012345             OCLC prefixes and leading zeros ignored; cancelled\n"
    "                               numbers (019, 035 $z) match too\n"
    "  linked=network  linked!=network  mms=ID  issn=ISSN  barcode=BARCODE\n"
    "Indexes: keyword, title, author, subject, mms, oclc, isbn, issn, linked, barcode.\n"
    "\n"
    "Options:\n"
    "  -z, --zone ZONE       iz (default), nz or cz\n"
    "  -s, --scope SCOPE     all (default: every title) or physical (titles with\n"
    "                        holdings)\n"
    "  -n, --limit N         at most N records (default 50)\n"
    "  -o, --offset N        skip the first N records (the next page)\n"
    "  -c, --count           print only the number of records found\n"
    "  -f, --format FORMAT   brief (default), or the full records: text, mrk,\n"
    "                        marcxml, json or iso2709\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 searched (also when nothing was found); 1 malformed query or\n"
    "missing zone; 2 usage; 4 database or output error.\n";

struct search_args {
    struct core_search_opts so;
    bool brief;
    bool text;
    enum marc_format format;
    char *query; /* heap: the arguments joined */
};

static bool
parse_count(const char *s, size_t *out, bool zero_ok)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || errno || v < 0 || (v == 0 && !zero_ok) || v > INT_MAX)
        return false;
    *out = (size_t)v;
    return true;
}

static int
parse_option(int c, struct search_args *a)
{
    const struct cli_verb *v = &cli_verb_search;
    int z;
    switch (c) {
    case 'z':
        if ((z = core_zone_parse(optarg)) < 0)
            return cli_usage_error(v, "unknown zone '%s' (iz, nz or cz)", optarg);
        a->so.zone = (enum core_zone)z;
        return CLI_OK;
    case 's':
        if (strcmp(optarg, "all") != 0 && strcmp(optarg, "physical") != 0)
            return cli_usage_error(v, "unknown scope '%s' (all or physical)", optarg);
        a->so.physical = strcmp(optarg, "physical") == 0;
        return CLI_OK;
    case 'n':
        return parse_count(optarg, &a->so.limit, false)
                   ? CLI_OK
                   : cli_usage_error(v, "--limit takes a number from 1, not '%s'", optarg);
    case 'o':
        return parse_count(optarg, &a->so.offset, true)
                   ? CLI_OK
                   : cli_usage_error(v, "--offset takes a number from 0, not '%s'", optarg);
    case 'c':
        a->so.count = true;
        return CLI_OK;
    case 'f':
        a->brief = strcmp(optarg, "brief") == 0;
        if (!a->brief && !cli_printer_parse(optarg, &a->text, &a->format))
            return cli_usage_error(v, "unknown format '%s' (brief, %s)", optarg,
                                   CLI_RECORD_FORMATS);
        return CLI_OK;
    default:
        return cli_usage_error(v, "unknown option");
    }
}

static int
parse_args(int argc, char **argv, struct search_args *a)
{
    static const struct option longopts[] = {
        {"zone", required_argument, NULL, 'z'},  {"scope", required_argument, NULL, 's'},
        {"limit", required_argument, NULL, 'n'}, {"offset", required_argument, NULL, 'o'},
        {"count", no_argument, NULL, 'c'},       {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->brief = true;
    a->so.limit = 50;
    int c;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "z:s:n:o:cf:h", longopts, NULL)) != -1) {
        if (c == 'h')
            return cli_print_usage(&cli_verb_search) == CLI_OK ? -1 : CLI_USAGE;
        int rc = parse_option(c, a);
        if (rc != CLI_OK)
            return rc;
    }
    if (optind >= argc)
        return cli_usage_error(&cli_verb_search, "no query given");
    struct marc_buf q = MARC_BUF_INIT;
    for (int i = optind; i < argc; i++) {
        if (i > optind)
            marc_buf_putc(&q, ' ');
        marc_buf_puts(&q, argv[i]);
    }
    marc_buf_putc(&q, '\0');
    a->query = marc_buf_steal(&q);
    return CLI_OK;
}

/* Terminal cells of one character (1 when the locale cannot tell). */
static int
cells(const char *s, size_t len)
{
    wchar_t wc;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    if (mbrtowc(&wc, s, len, &st) == len) {
        int w = wcwidth(wc);
        if (w >= 0)
            return w;
    }
    return 1;
}

/*
 * A malformed query: the core's message, then the query with a caret
 * under the column it names (in characters, so wide characters count as
 * the cells they take on the terminal).
 */
static void
show_query_error(const char *query, const char *message)
{
    cli_progress_clear();
    fprintf(stderr, "colophon search: %s\n", message);
    int column;
    if (sscanf(message, "column %d:", &column) != 1 || column < 1)
        return;
    struct marc_buf line = MARC_BUF_INIT, caret = MARC_BUF_INIT;
    int col = 1;
    for (const char *p = query; *p;) {
        size_t len = 1;
        while (((unsigned char)p[len] & 0xC0) == 0x80)
            len++;
        bool control = (unsigned char)*p < 0x20 || *p == 0x7f;
        int w = control ? 1 : cells(p, len);
        if (control)
            marc_buf_putc(&line, ' ');
        else
            marc_buf_append(&line, p, len);
        if (col < column)
            for (int k = 0; k < w; k++)
                marc_buf_putc(&caret, ' ');
        col++;
        p += len;
    }
    marc_buf_putc(&caret, '^');
    marc_buf_putc(&line, '\0');
    marc_buf_putc(&caret, '\0');
    fprintf(stderr, "  %s\n  %s\n", line.data, caret.data);
    marc_buf_free(&line);
    marc_buf_free(&caret);
}

static int
print_brief(const struct core_results *res, size_t shown)
{
    char line[1024];
    for (size_t i = 0; i < shown; i++) {
        core_brief_format(&res->hits[i], line, sizeof line);
        if (printf("%s\n", line) < 0)
            break;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("writing the output failed: %s", strerror(errno));
        return CLI_IO;
    }
    return CLI_OK;
}

static int
print_records(struct core_repo *repo, const struct search_args *a, const struct core_results *res,
              size_t shown)
{
    struct cli_printer p;
    int status = cli_printer_open(&p, stdout, a->text, a->format);
    if (status != CLI_OK)
        return status;
    struct marc_record *r = marc_record_new();
    for (size_t i = 0; i < shown && status == CLI_OK; i++) {
        int rc = core_record_get(repo, res->hits[i].mms, r, NULL);
        status =
            rc == CORE_OK ? cli_printer_write(&p, r) : cli_core_error(&cli_verb_search, repo, rc);
    }
    marc_record_free(r);
    int fin = cli_printer_finish(&p);
    return status != CLI_OK ? status : fin;
}

static int
search(struct core_repo *repo, struct search_args *a, bool quiet)
{
    struct core_search_opts so = a->so;
    if (so.count)
        so.limit = 1; /* only the number is printed */
    else
        so.limit++; /* one more tells whether there is a next page */
    struct core_results res;
    int rc = core_search(repo, a->query, &so, &res);
    if (rc == CORE_ERR_USER) {
        show_query_error(a->query, core_repo_errmsg(repo));
        return CLI_USER;
    }
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_search, repo, rc);
    if (so.count) {
        printf("%ld\n", res.total);
        core_results_free(&res);
        return fflush(stdout) == 0 ? CLI_OK : CLI_IO;
    }
    bool more = res.n > a->so.limit;
    size_t shown = more ? a->so.limit : res.n;
    int status = a->brief ? print_brief(&res, shown) : print_records(repo, a, &res, shown);
    if (status == CLI_OK && !quiet && isatty(STDERR_FILENO)) {
        if (shown == 0)
            cli_error("no records found");
        else if (more)
            cli_error("showing %zu-%zu; more with --offset %zu", a->so.offset + 1,
                      a->so.offset + shown, a->so.offset + shown);
    }
    core_results_free(&res);
    return status;
}

static int
run_search(const struct cli_globals *g, int argc, char **argv)
{
    struct search_args a;
    int status = parse_args(argc, argv, &a);
    if (status == -1)
        return CLI_OK; /* --help */
    if (status != CLI_OK)
        return status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (repo) {
        status = search(repo, &a, g->quiet);
        core_repo_close(repo);
    }
    free(a.query);
    return status;
}

const struct cli_verb cli_verb_search = {
    .name = "search",
    .summary = "search a zone: keywords, title=, isbn=, oclc=, AND/OR/NOT",
    .run = run_search,
    .usage = search_usage,
};
