/*
 * verb-delete.c - `colophon delete MMSID`: delete a bib with the rules of
 * SPEC §3.7.
 *
 * The core decides (cataloger-extended; no holdings; not linked to the NZ;
 * not locked by someone else) and keeps the record's versions and MMS ID.
 * This verb names the record and asks on a terminal, because a delete is
 * the one change a cataloger cannot take back from the command line.
 */
#include "cli.h"

#include "core.h"
#include "repo.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char delete_usage[] =
    "Usage: colophon delete [--yes] MMSID...\n"
    "\n"
    "Delete bibliographic records.  Needs the role cataloger-extended.  Refused\n"
    "while the record has holdings (relink or delete them first), is linked to\n"
    "a network zone record (unlink it first), or is locked by someone else.  A\n"
    "deleted record keeps its versions, and its MMS ID is never reused.\n"
    "\n"
    "On a terminal each delete is confirmed first; elsewhere --yes is required.\n"
    "\n"
    "Options:\n"
    "  -y, --yes   do not ask\n"
    "  -h, --help  show this help\n"
    "\n"
    "Exit status: 0 deleted; 1 refused (holdings, linked, role, no such record)\n"
    "or not confirmed; 2 usage; 3 locked by someone else; 4 database error.\n";

/* Ask on the terminal; true for "y" or "yes". */
static bool
confirm(const struct core_record_info *in)
{
    fprintf(stderr, "Delete %s", in->mms);
    if (in->title[0])
        fprintf(stderr, " \"%s\"", in->title);
    if (in->author[0])
        fprintf(stderr, " / %s", in->author);
    fprintf(stderr, " (version %d)? [y/N] ", in->version);
    char line[32];
    if (!fgets(line, sizeof line, stdin))
        return false;
    line[strcspn(line, "\r\n")] = '\0';
    return strcmp(line, "y") == 0 || strcmp(line, "Y") == 0 || strcmp(line, "yes") == 0;
}

static int
delete_one(struct core_repo *repo, const char *mms, bool ask)
{
    const struct cli_verb *v = &cli_verb_delete;
    struct core_record_info in;
    /* The role first: asking someone who may not delete would waste the answer. */
    int rc =
        core_require_role(repo, CORE_ROLE_CATALOGER_EXTENDED, "deleting a bibliographic record");
    if (rc == CORE_OK)
        rc = core_record_get(repo, mms, NULL, &in);
    if (rc != CORE_OK)
        return cli_core_error(v, repo, rc);
    if (ask && !in.deleted && !confirm(&in)) {
        fprintf(stderr, "%s was not deleted.\n", mms);
        return CLI_USER;
    }
    rc = core_record_delete(repo, mms);
    if (rc != CORE_OK)
        return cli_core_error(v, repo, rc);
    printf("Deleted %s; its versions are kept ('colophon versions %s' lists them).\n", mms, mms);
    return CLI_OK;
}

static int
run_delete(const struct cli_globals *g, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"yes", no_argument, NULL, 'y'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_delete;
    bool yes = false;
    int c;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "yh", longopts, NULL)) != -1) {
        switch (c) {
        case 'y':
            yes = true;
            break;
        case 'h':
            return cli_print_usage(v);
        default:
            return cli_usage_error(v, "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error(v, "expected at least one MMS ID");
    if (!yes && !isatty(STDIN_FILENO))
        return cli_usage_error(v, "not on a terminal, so there is no one to ask: give --yes to "
                                  "confirm the delete");
    int status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    status = CLI_OK;
    for (int i = optind; i < argc; i++) {
        int st = delete_one(repo, argv[i], !yes);
        if (status == CLI_OK)
            status = st;
    }
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_delete = {
    .name = "delete",
    .summary = "delete bibliographic records (SPEC rules: no holdings, not linked, not locked)",
    .run = run_delete,
    .usage = delete_usage,
};
