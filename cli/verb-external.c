/*
 * verb-external.c - `colophon external`: the Z39.50 and SRU targets
 * (core/targets.h) and searching them (core/z3950.h) for copy cataloging
 * (SPEC §3.5).
 *
 * A search polls the target in short steps, so that Ctrl-C cancels it at
 * once and a terminal shows how long it has waited; the records it brings
 * are kept in the repository as the user's last search of that target,
 * where `external show` and `colophon merge --from` find them.
 */
#include "cli.h"
#include "record-io.h"

#include "buf.h"
#include "core.h"
#include "ident.h"
#include "repo.h"
#include "targets.h"
#include "z3950.h"

#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXTERNAL_DEFAULT_LIMIT 10
#define EXTERNAL_MAX_LIMIT 500

static const char external_usage[] =
    "Usage: colophon external list\n"
    "       colophon external add NAME ADDRESS [OPTION=VALUE...] [--replace]\n"
    "       colophon external remove NAME\n"
    "       colophon external search TARGET QUERY [--limit N]\n"
    "       colophon external show TARGET N [--format FORMAT]\n"
    "\n"
    "External resources: Z39.50 and SRU targets to copy records from.\n"
    "\n"
    "  list    the targets you can search: the repository's and those of your own\n"
    "          file $XDG_CONFIG_HOME/colophon/targets (yours win on a name in both)\n"
    "  add     define a target in the repository (role admin).  ADDRESS is\n"
    "          host:port/database (Z39.50) or an http:// or https:// URL (SRU).\n"
    "          Options: syntax=usmarc|marcxml  charset=auto|marc8|utf-8|NAME\n"
    "          timeout=SECONDS  user=NAME  password=TEXT\n"
    "          map.INDEX=VALUE (INDEX: keyword title author subject mms oclc isbn\n"
    "          issn; VALUE: a Bib-1 Use attribute such as 1211 or a list such as\n"
    "          1=1211,4=1 for Z39.50, a CQL index such as alma.isbn for SRU, or none)\n"
    "  remove  delete a repository target (role admin)\n"
    "  search  search TARGET with the query language of 'colophon search'\n"
    "          (title=\"...\", author=, isbn=, issn=, oclc=, mms=, subject=, words,\n"
    "          AND/OR/NOT, trailing *); lists the first N records and keeps them as\n"
    "          your last search of TARGET.  Ctrl-C cancels.\n"
    "  show    record N (from 1) of your last search of TARGET, converted to UTF-8\n"
    "          (fetched now if the search did not bring it)\n"
    "\n"
    "Options:\n"
    "  -n, --limit N        records to fetch and list (default 10, at most 500)\n"
    "  -f, --format FORMAT  for show: text (default), mrk, marcxml, json, iso2709\n"
    "      --replace        for add: redefine a target of that name\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 done; 1 no such target, bad query, the target answered with a\n"
    "diagnostic or sent a malformed record; 2 usage; 4 the target cannot be reached\n"
    "or did not answer in time, or a database error.\n";

static volatile sig_atomic_t interrupted;

static void
on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

static int
fail(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_progress_clear();
    fputs("colophon external: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return cli_exit_for(rc);
}

/* ---- list, add, remove ---- */

static int
list_targets(struct core_repo *repo)
{
    struct core_target *t;
    size_t n;
    int rc = core_targets_list(repo, &t, &n);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_external, repo, rc);
    if (n == 0)
        fprintf(stderr, "no targets yet: 'colophon external add NAME ADDRESS' defines one, or "
                        "list them in %s\n",
                "$XDG_CONFIG_HOME/colophon/targets");
    for (size_t i = 0; i < n; i++) {
        struct core_target shown = t[i];
        if (shown.password[0])
            snprintf(shown.password, sizeof shown.password, "***");
        char *opts = core_target_options_text(&shown);
        printf("%-16s %-6s %s%s%s  (%s)\n", t[i].name,
               t[i].proto == CORE_TARGET_SRU ? "SRU" : "Z39.50", t[i].address, *opts ? "  " : "",
               opts, t[i].origin);
        free(opts);
    }
    free(t);
    return CLI_OK;
}

static int
add_target(struct core_repo *repo, int argc, char **argv, bool replace)
{
    struct core_target t;
    core_target_init(&t);
    char *err = NULL;
    snprintf(t.name, sizeof t.name, "%s", argv[0]);
    if (strlen(argv[0]) >= sizeof t.name)
        return fail(CORE_ERR_USER, "the target name '%s' is too long", argv[0]);
    int rc = core_target_set_address(&t, argv[1], &err);
    for (int i = 2; rc == CORE_OK && i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq) {
            err = xasprintf("'%s' is not OPTION=VALUE", argv[i]);
            rc = CORE_ERR_USER;
            break;
        }
        char *key = xstrndup(argv[i], (size_t)(eq - argv[i]));
        rc = core_target_set_option(&t, key, eq + 1, &err);
        free(key);
    }
    if (rc != CORE_OK) {
        int status = fail(rc, "%s", err ? err : "bad target");
        free(err);
        return status;
    }
    rc = core_target_add(repo, &t, replace);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_external, repo, rc);
    printf("%s target %s: %s\n", replace ? "Defined" : "Added", t.name, t.address);
    return CLI_OK;
}

/* ---- search ---- */

/* "   3  1991  Title / Author  [OCLC 123]" for one record. */
static void
print_brief(long n, const struct marc_record *r, struct core_bib_keys *k)
{
    core_bib_keys_extract(r, k);
    char ids[160] = "";
    size_t len = 0;
    for (size_t i = 0; i < k->nids && len < sizeof ids - 40; i++) {
        const char *kind = k->ids[i].kind == CORE_ID_OCLC   ? "OCLC"
                           : k->ids[i].kind == CORE_ID_ISBN ? "ISBN/LCCN"
                           : k->ids[i].kind == CORE_ID_ISSN ? "ISSN"
                                                            : NULL;
        if (kind)
            len += (size_t)snprintf(ids + len, sizeof ids - len, "  [%s %s]", kind,
                                    k->ids[i].value);
    }
    const char *title = k->title.len ? k->title.data : "(no title)";
    printf("%4ld  %-4s  %s%s%s%s\n", n, k->date[0] ? k->date : "----", title,
           k->author.len ? " / " : "", k->author.len ? k->author.data : "", ids);
}

/* Poll until done or failed; Ctrl-C cancels; a terminal sees the seconds go by. */
static enum core_zstate
wait_for(struct core_zsearch *s, const char *what, bool show)
{
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool drawn = false;
    enum core_zstate st;
    while ((st = core_zsearch_poll(s, 100)) == CORE_ZS_RUNNING) {
        if (interrupted) {
            core_zsearch_cancel(s);
            st = core_zsearch_state(s);
            break;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        double secs = (double)(now.tv_sec - t0.tv_sec) + (now.tv_nsec - t0.tv_nsec) / 1e9;
        if (show && secs >= 0.5) {
            fprintf(stderr, "\r\033[K%s ... %.1f s (Ctrl-C cancels)", what, secs);
            drawn = true;
        }
    }
    if (drawn)
        fputs("\r\033[K", stderr);
    return st;
}

static int
search_target(const struct cli_globals *g, struct core_repo *repo, const char *name,
              const char *query, long limit)
{
    struct core_target t;
    int rc = core_target_get(repo, name, &t);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_external, repo, rc);
    char *err = NULL;
    struct core_zsearch *s = core_zsearch_start(&t, query, (size_t)limit, &err);
    if (!s) {
        int status = fail(CORE_ERR_USER, "%s", err);
        free(err);
        return status;
    }
    if (g->verbose)
        fprintf(stderr, "colophon external: sending %s to %s (%s)\n", core_zsearch_query(s),
                t.name, t.address);
    bool show = !g->quiet && isatty(2);
    char *what = xasprintf("searching %s", t.name);
    signal(SIGINT, on_sigint);
    enum core_zstate st = wait_for(s, what, show);
    long hits = core_zsearch_hits(s);
    size_t want = st == CORE_ZS_DONE ? (size_t)(hits < limit ? hits : limit) : 0;
    bool missing = false;
    for (size_t i = 0; i < want; i++)
        missing = missing || !core_zsearch_has(s, i);
    if (missing && core_zsearch_fetch(s, 0, want) == CORE_OK)
        st = wait_for(s, what, show);
    signal(SIGINT, SIG_DFL);
    free(what);
    if (st != CORE_ZS_DONE) {
        int status = fail(core_zsearch_errcode(s), "%s", core_zsearch_error(s));
        core_zsearch_free(s);
        return status;
    }
    rc = core_external_begin(repo, t.name, query, hits);
    if (rc != CORE_OK) {
        core_zsearch_free(s);
        return cli_core_error(&cli_verb_external, repo, rc);
    }
    if (!g->quiet)
        fprintf(stderr, "%s: %ld record%s for %s%s\n", t.name, hits, hits == 1 ? "" : "s", query,
                hits > (long)want ? " (showing the first ones; --limit shows more)" : "");
    struct marc_record *r = marc_record_new();
    struct core_bib_keys k = {0};
    int status = CLI_OK;
    for (size_t i = 0; i < want; i++) {
        rc = core_zsearch_record(s, i, r, &err);
        if (rc != CORE_OK) {
            printf("%4zu  (unusable: see the message)\n", i + 1);
            int bad = fail(rc, "%s", err);
            if (status == CLI_OK)
                status = bad; /* the help's "sent a malformed record": exit 1 */
            free(err);
            err = NULL;
            continue;
        }
        print_brief((long)i + 1, r, &k);
        rc = core_external_put(repo, t.name, (long)i + 1, r);
        if (rc != CORE_OK) {
            status = cli_core_error(&cli_verb_external, repo, rc);
            break;
        }
    }
    core_bib_keys_free(&k);
    marc_record_free(r);
    core_zsearch_free(s);
    return status;
}

static int
show_record(struct core_repo *repo, const char *target, const char *nstr, bool text,
            enum marc_format fmt)
{
    char *end;
    long n = strtol(nstr, &end, 10);
    if (*end || n < 1)
        return cli_usage_error(&cli_verb_external, "N is a record number from 1, not '%s'", nstr);
    struct marc_record *r = marc_record_new();
    signal(SIGINT, SIG_DFL);
    int rc = core_external_record(repo, target, n, r);
    int status;
    if (rc != CORE_OK) {
        status = cli_core_error(&cli_verb_external, repo, rc);
    } else {
        struct cli_printer p;
        status = cli_printer_open(&p, stdout, text, fmt);
        if (status == CLI_OK)
            status = cli_printer_write(&p, r);
        int fin = cli_printer_finish(&p);
        if (status == CLI_OK)
            status = fin;
    }
    marc_record_free(r);
    return status;
}

/* ---- the verb ---- */

struct ext_args {
    long limit;
    bool limit_given;
    bool text;
    enum marc_format format;
    bool format_given;
    bool replace;
};

static int
check_args(const char *action, int npos, const struct ext_args *a)
{
    const struct cli_verb *v = &cli_verb_external;
    static const struct {
        const char *action;
        int min, max;
        const char *usage;
    } shapes[] = {
        {"list", 0, 0, "'external list' takes no arguments"},
        {"add", 2, 1000, "'external add' takes NAME ADDRESS [OPTION=VALUE...]"},
        {"remove", 1, 1, "'external remove' takes one NAME"},
        {"search", 2, 2, "'external search' takes TARGET QUERY (quote the query)"},
        {"show", 2, 2, "'external show' takes TARGET N"},
    };
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        if (strcmp(shapes[i].action, action) != 0)
            continue;
        if (npos < shapes[i].min || npos > shapes[i].max)
            return cli_usage_error(v, "%s", shapes[i].usage);
        if (a->limit_given && strcmp(action, "search") != 0)
            return cli_usage_error(v, "--limit goes with 'external search'");
        if (a->format_given && strcmp(action, "show") != 0)
            return cli_usage_error(v, "--format goes with 'external show'");
        if (a->replace && strcmp(action, "add") != 0)
            return cli_usage_error(v, "--replace goes with 'external add'");
        return CLI_OK;
    }
    return cli_usage_error(v, "unknown action '%s' (list, add, remove, search, show)", action);
}

static int
run_external(const struct cli_globals *g, int argc, char **argv)
{
    enum { OPT_REPLACE = 256 };
    static const struct option longopts[] = {
        {"limit", required_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'f'},
        {"replace", no_argument, NULL, OPT_REPLACE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_external;
    struct ext_args a = {.limit = EXTERNAL_DEFAULT_LIMIT, .text = true};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "n:f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'n': {
            char *end;
            a.limit = strtol(optarg, &end, 10);
            if (*end || a.limit < 1 || a.limit > EXTERNAL_MAX_LIMIT)
                return cli_usage_error(v, "--limit takes 1 to %d, not '%s'", EXTERNAL_MAX_LIMIT,
                                       optarg);
            a.limit_given = true;
            break;
        }
        case 'f':
            if (!cli_printer_parse(optarg, &a.text, &a.format))
                return cli_usage_error(v, "unknown format '%s' (%s)", optarg, CLI_RECORD_FORMATS);
            a.format_given = true;
            break;
        case OPT_REPLACE:
            a.replace = true;
            break;
        case 'h':
            return cli_print_usage(v);
        default:
            return cli_usage_error(v, "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error(v, "expected list, add, remove, search or show");
    const char *action = argv[optind];
    char **pos = argv + optind + 1;
    int npos = argc - optind - 1;
    int status = check_args(action, npos, &a);
    if (status != CLI_OK)
        return status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    if (strcmp(action, "list") == 0) {
        status = list_targets(repo);
    } else if (strcmp(action, "add") == 0) {
        status = add_target(repo, npos, pos, a.replace);
    } else if (strcmp(action, "remove") == 0) {
        int rc = core_target_remove(repo, pos[0]);
        status = rc == CORE_OK ? CLI_OK : cli_core_error(v, repo, rc);
        if (rc == CORE_OK)
            printf("Removed target %s\n", pos[0]);
    } else if (strcmp(action, "search") == 0) {
        status = search_target(g, repo, pos[0], pos[1], a.limit);
    } else {
        status = show_record(repo, pos[0], pos[1], a.text, a.format);
    }
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_external = {
    .name = "external",
    .summary = "Z39.50 / SRU targets: list, add, remove, search, show",
    .run = run_external,
    .usage = external_usage,
};
