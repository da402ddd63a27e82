/*
 * main.c - the `colophon` command: global options, then one verb.
 *
 * Every capability of Colophon is a verb here (SPEC §6) so that batch work
 * can be scripted and tests can drive the core without a terminal.  This file
 * only dispatches; each verb lives in its own verb-*.c.
 */
#include "cli.h"
#include "repo.h"
#include "term.h"

#include <getopt.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_verb *const verbs[] = {
    &cli_verb_convert,
    &cli_verb_lint,
    &cli_verb_import,
    &cli_verb_export,
    &cli_verb_init,
    &cli_verb_show,
    &cli_verb_search,
    &cli_verb_edit,
    &cli_verb_versions,
    &cli_verb_revert,
    &cli_verb_delete,
    &cli_verb_relink,
    &cli_verb_link,
    &cli_verb_unlink,
    &cli_verb_release,
    &cli_verb_note,
    &cli_verb_assign,
    &cli_verb_reminder,
    &cli_verb_queue,
    &cli_verb_user,
    &cli_verb_config,
    &cli_verb_merge,
    &cli_verb_set,
    &cli_verb_job,
    &cli_verb_rule,
    &cli_verb_external,
    &cli_verb_serve,
    &cli_verb_demo,
};

#define NVERBS (sizeof verbs / sizeof verbs[0])

static void
print_help(FILE *fp)
{
    fputs("Usage: colophon [GLOBAL OPTIONS] [VERB [OPTIONS] [ARGS]]\n"
          "\n"
          "Colophon - a terminal MARC 21 metadata editor for catalogers.  Without a\n"
          "verb it opens the full-screen editor (F1 there lists every key).\n"
          "\n"
          "Verbs:\n",
          fp);
    for (size_t i = 0; i < NVERBS; i++)
        fprintf(fp, "  %-10s %s\n", verbs[i]->name, verbs[i]->summary);
    fputs("\n"
          "Global options:\n"
          "  --repo DIR     repository directory (default: $COLOPHON_REPO, then\n"
          "                 $XDG_DATA_HOME/colophon)\n"
          "  --user NAME    act as NAME (only for the account owning the repository)\n"
          "  -q, --quiet    no progress bars or summaries\n"
          "  -v, --verbose  more messages\n"
          "  --version      print the version\n"
          "  -h, --help     show this help; 'colophon VERB --help' shows a verb's\n"
          "\n"
          "Exit status: 0 success, 1 user error, 2 usage, 3 conflict, 4 I/O or database error.\n",
          fp);
}

static const struct cli_verb *
find_verb(const char *name)
{
    for (size_t i = 0; i < NVERBS; i++)
        if (strcmp(verbs[i]->name, name) == 0)
            return verbs[i];
    return NULL;
}

int
main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    static const struct option longopts[] = {
        {"repo", required_argument, NULL, 'r'}, {"user", required_argument, NULL, 'u'},
        {"quiet", no_argument, NULL, 'q'},      {"verbose", no_argument, NULL, 'v'},
        {"version", no_argument, NULL, 'V'},    {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct cli_globals g = {.repo = getenv("COLOPHON_REPO")};
    int c;
    /* '+' stops at the verb: its options are its own. */
    while ((c = getopt_long(argc, argv, "+qvh", longopts, NULL)) != -1) {
        switch (c) {
        case 'r':
            g.repo = optarg;
            break;
        case 'u':
            g.user = optarg;
            break;
        case 'q':
            g.quiet = true;
            break;
        case 'v':
            g.verbose = true;
            break;
        case 'V':
            printf("colophon %s\n", COLOPHON_VERSION);
            return CLI_OK;
        case 'h':
            print_help(stdout);
            return CLI_OK;
        default:
            fputs("Try 'colophon --help'.\n", stderr);
            return CLI_USAGE;
        }
    }
    if (optind >= argc) {
        /* No verb: the editor on the repository (SPEC §6). */
        int status;
        struct core_repo *repo = cli_open_repo(&g, &status);
        if (!repo)
            return status;
        status = tui_run(repo, NULL) == 0 ? CLI_OK : CLI_USER;
        core_repo_close(repo);
        return status;
    }
    const struct cli_verb *v = find_verb(argv[optind]);
    if (!v) {
        fprintf(stderr, "colophon: unknown verb '%s'\nTry 'colophon --help'.\n", argv[optind]);
        return CLI_USAGE;
    }
    int vargc = argc - optind;
    char **vargv = argv + optind;
    if (cli_wants_help(vargc, vargv))
        return cli_print_usage(v);
    return v->run(&g, vargc, vargv);
}
