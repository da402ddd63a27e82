/*
 * verb-release.c - `colophon release MMSID`: drop your lock on a record
 * without saving (SPEC §2 Lock, §3.1).
 *
 * A lock outlives the process that took it (a dropped SSH session, an
 * editor killed, `edit --keep-lock`), so releasing is its own verb.  Only
 * the holder's own lock is dropped; someone else's ends when they release
 * it or when it expires.
 */
#include "cli.h"

#include "core.h"
#include "repo.h"

#include <getopt.h>
#include <string.h>

static const char release_usage[] =
    "Usage: colophon release MMSID...\n"
    "\n"
    "Release your lock on records without saving anything, so that others can\n"
    "edit them.  Someone else's lock cannot be released: it ends when they\n"
    "release it, save and release, or after lock.timeout of inactivity\n"
    "('colophon config get lock.timeout').\n"
    "\n"
    "Exit status: 0 released (or you held no lock); 1 no such record; 2 usage;\n"
    "3 the lock is someone else's; 4 database error.\n";

static int
release_one(struct core_repo *repo, const char *mms)
{
    const struct cli_verb *v = &cli_verb_release;
    struct core_lock_info l;
    int rc = core_record_get(repo, mms, NULL, NULL);
    if (rc == CORE_OK)
        rc = core_record_lock_info(repo, mms, &l);
    if (rc != CORE_OK)
        return cli_core_error(v, repo, rc);
    const char *me = core_repo_user(repo);
    if (l.locked && strcmp(l.user, me) != 0) {
        char since[32];
        core_format_time(l.since, since, sizeof since);
        cli_error("%s is %s %s since %s, not by you (%s); only they can release it, or it "
                  "expires",
                  mms, l.assigned ? "assigned to" : "locked by", l.user, since, me);
        return CLI_CONFLICT;
    }
    /* An expired lock of ours reads as unlocked but its row may remain: drop it too. */
    rc = core_record_release(repo, mms);
    if (rc != CORE_OK)
        return cli_core_error(v, repo, rc);
    if (l.locked)
        printf("Released your lock on %s.\n", mms);
    else
        printf("You held no lock on %s; nothing to release.\n", mms);
    return CLI_OK;
}

static int
run_release(const struct cli_globals *g, int argc, char **argv)
{
    static const struct option longopts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const struct cli_verb *v = &cli_verb_release;
    int c;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'h')
            return cli_print_usage(v);
        return cli_usage_error(v, "unknown option");
    }
    if (optind >= argc)
        return cli_usage_error(v, "expected at least one MMS ID");
    int status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    status = CLI_OK;
    for (int i = optind; i < argc; i++) {
        int st = release_one(repo, argv[i]);
        if (status == CLI_OK)
            status = st;
    }
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_release = {
    .name = "release",
    .summary = "release your lock on a record without saving",
    .run = run_release,
    .usage = release_usage,
};
