/*
 * verb-assign.c - `colophon assign`: assign a record to another cataloger,
 * release an assignment, list assignments (SPEC §2 Assignment, §3.8;
 * Alma's "Assign Record to Another Cataloger" and "Release Assignment").
 *
 * Mail trouble never fails an assignment: the core reports it as a warning,
 * printed here on stderr with exit status 0.
 */
#include "cli.h"

#include "assign.h"
#include "core.h"
#include "repo.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char assign_usage[] =
    "Usage: colophon assign MMSID --to USER [--note TEXT]\n"
    "       colophon assign --release MMSID [--note TEXT]\n"
    "       colophon assign --list [--to-me | --by-me]\n"
    "\n"
    "Assign a bibliographic record (IZ or NZ) to another cataloger, with an\n"
    "optional note.  The record is then locked for the assignee: everyone else\n"
    "opens it View Only, \"assigned to USER\", and it appears in the assignee's\n"
    "queue ('colophon queue').  A record someone else has open, or one already\n"
    "assigned, cannot be assigned; if you have it open yourself, your lock passes\n"
    "to the assignee.\n"
    "\n"
    "The assignee can release the assignment at any time; the cataloger who\n"
    "assigned it can once the assignee has released the record (does not have it\n"
    "open in the editor).  A --note given with --release is kept as a note on the\n"
    "record ('colophon note list').\n"
    "\n"
    "When the configuration names a sendmail program (colophon config set\n"
    "mail.sendmail /usr/sbin/sendmail; optional mail.from ADDRESS and\n"
    "mail.timeout SECONDS, default 10), the assignee is sent an e-mail at the\n"
    "address of their user entry.  If that fails the assignment still stands and\n"
    "a warning says why.\n"
    "\n"
    "Options:\n"
    "  -t, --to USER      the assignee (roles cataloger or cataloger-extended)\n"
    "  -n, --note TEXT    a note for the assignee (at most 1000 bytes), or the\n"
    "                     release note\n"
    "  -r, --release      release the assignment of MMSID\n"
    "  -l, --list         list assignments in the IZ and NZ: MMS ID, assignee,\n"
    "                     assigner, since, whether the assignee has it open, title\n"
    "      --to-me        only those assigned to you\n"
    "      --by-me        only those you assigned\n"
    "  -h, --help         show this help\n"
    "\n"
    "Assigning needs the role cataloger or cataloger-extended.\n"
    "\n"
    "Exit status: 0 done (also when the e-mail failed: see the warning); 1 refused\n"
    "(no such record or user, role, not yours to release); 2 usage; 3 conflict\n"
    "(already assigned, open in someone's editor, the assignee still has it open);\n"
    "4 database error.\n";

enum assign_mode { MODE_ASSIGN, MODE_RELEASE, MODE_LIST };

struct assign_opts {
    enum assign_mode mode;
    const char *to, *note;
    enum core_assign_which which;
};

static int
parse_args(int argc, char **argv, struct assign_opts *o)
{
    enum { OPT_TO_ME = 256, OPT_BY_ME };
    static const struct option longopts[] = {
        {"to", required_argument, NULL, 't'},    {"note", required_argument, NULL, 'n'},
        {"release", no_argument, NULL, 'r'},     {"list", no_argument, NULL, 'l'},
        {"to-me", no_argument, NULL, OPT_TO_ME}, {"by-me", no_argument, NULL, OPT_BY_ME},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_assign;
    bool release = false, list = false;
    int c;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "t:n:rlh", longopts, NULL)) != -1) {
        switch (c) {
        case 't':
            o->to = optarg;
            break;
        case 'n':
            o->note = optarg;
            break;
        case 'r':
            release = true;
            break;
        case 'l':
            list = true;
            break;
        case OPT_TO_ME:
        case OPT_BY_ME:
            if (o->which != CORE_ASSIGN_ALL)
                return cli_usage_error(v, "--to-me and --by-me exclude each other");
            o->which = c == OPT_TO_ME ? CORE_ASSIGN_TO_ME : CORE_ASSIGN_BY_ME;
            break;
        case 'h':
            return cli_print_usage(v);
        default:
            return cli_usage_error(v, "unknown option");
        }
    }
    int npos = argc - optind;
    if (release && list)
        return cli_usage_error(v, "--release and --list exclude each other");
    o->mode = list ? MODE_LIST : release ? MODE_RELEASE : MODE_ASSIGN;
    if (o->mode != MODE_LIST && o->which != CORE_ASSIGN_ALL)
        return cli_usage_error(v, "--to-me and --by-me go with --list");
    if (o->mode == MODE_LIST && (npos || o->to || o->note))
        return cli_usage_error(v, "--list takes no MMS ID, --to or --note");
    if (o->mode != MODE_LIST && npos != 1)
        return cli_usage_error(v, "expected one MMS ID");
    if (o->mode == MODE_RELEASE && o->to)
        return cli_usage_error(v, "--to goes with assigning, not --release");
    if (o->mode == MODE_ASSIGN && !o->to)
        return cli_usage_error(v, "assign to whom? (--to USER)");
    return -1;
}

static int
do_list(struct core_repo *repo, enum core_assign_which which)
{
    struct core_assignment *a;
    size_t n;
    int rc = core_assign_list(repo, which, &a, &n);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_assign, repo, rc);
    if (n == 0) {
        printf("No assignments.\n");
        return CLI_OK;
    }
    printf("%-18s %-12s %-12s %-16s %-5s %s\n", "MMS ID", "ASSIGNED TO", "BY", "SINCE", "OPEN",
           "TITLE");
    for (size_t i = 0; i < n; i++) {
        char when[32];
        core_format_time(a[i].at, when, sizeof when);
        printf("%-18s %-12s %-12s %-16s %-5s %s\n", a[i].mms, a[i].assignee, a[i].assigner, when,
               a[i].open ? "yes" : "no", a[i].title);
        if (a[i].note[0])
            printf("    note: %s\n", a[i].note);
    }
    free(a);
    return CLI_OK;
}

static int
run_assign(const struct cli_globals *g, int argc, char **argv)
{
    struct assign_opts o = {.which = CORE_ASSIGN_ALL};
    int status = parse_args(argc, argv, &o);
    if (status >= 0)
        return status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    const char *mms = argv[optind];
    const struct cli_verb *v = &cli_verb_assign;
    int rc;
    char warning[1536];
    switch (o.mode) {
    case MODE_LIST:
        status = do_list(repo, o.which);
        break;
    case MODE_RELEASE:
        rc = core_assign_release(repo, mms, o.note);
        status = rc == CORE_OK ? CLI_OK : cli_core_error(v, repo, rc);
        if (rc == CORE_OK)
            printf("Released the assignment of %s.\n", mms);
        break;
    case MODE_ASSIGN:
        rc = core_assign(repo, mms, o.to, o.note, warning, sizeof warning);
        status = rc == CORE_OK ? CLI_OK : cli_core_error(v, repo, rc);
        if (rc == CORE_OK) {
            printf("Assigned %s to %s.\n", mms, o.to);
            if (warning[0])
                cli_error("warning: %s", warning);
        }
        break;
    }
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_assign = {
    .name = "assign",
    .summary = "assign a record to another cataloger, release, list",
    .run = run_assign,
    .usage = assign_usage,
};
