/*
 * verb-init.c - `colophon init`: create a repository (SPEC §6, §8).
 *
 * The core makes the zone files and the first user; this verb picks the
 * directory, creates the parents a new account lacks, and says what was
 * made so that the cataloger knows where the files are and who the admin is.
 */
#include "cli.h"

#include "buf.h"
#include "core.h"
#include "repo.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char init_usage[] =
    "Usage: colophon init --institution CODE [--nz PATH] [DIR]\n"
    "\n"
    "Create a repository in DIR (default: --repo, $COLOPHON_REPO, else\n"
    "$XDG_DATA_HOME/colophon).  DIR gets iz.db, the institution zone with the\n"
    "four-digit CODE as the suffix of its MMS IDs, and nz.db, a new network zone\n"
    "(code 4801) -- or, with --nz, the existing network zone file PATH that\n"
    "other institutions on this host share.\n"
    "\n"
    "The directory is made group-writable and setgid (mode 2770) and the files\n"
    "0660, so that the catalogers' Unix group shares them and nobody else reads\n"
    "them.  The user running init (or --user) becomes the first user, with\n"
    "every role; add the others with 'colophon user add'.\n"
    "\n"
    "Options:\n"
    "  -i, --institution CODE  four-digit institution code (required)\n"
    "      --nz PATH           attach this existing network zone file\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 created; 1 bad code, DIR already holds a repository, or the\n"
    "NZ file is not one; 2 usage; 4 the files could not be created.\n";

static char *
login_name(void)
{
    struct passwd *pw = getpwuid(geteuid());
    return pw && pw->pw_name ? xstrdup(pw->pw_name) : xasprintf("uid%ld", (long)geteuid());
}

/* mkdir -p of dir's parent: a new account may lack ~/.local/share. */
static int
make_parents(const char *dir)
{
    char *p = xstrdup(dir);
    int rc = 0;
    for (char *s = p + 1; *s && rc == 0; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            cli_error("cannot create %s: %s", p, strerror(errno));
            rc = -1;
        }
        *s = '/';
    }
    free(p);
    return rc;
}

static int
run_init(const struct cli_globals *g, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"institution", required_argument, NULL, 'i'},
        {"nz", required_argument, NULL, 'N'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_init;
    const char *institution = NULL, *nz = NULL;
    int c;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "i:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'i':
            institution = optarg;
            break;
        case 'N':
            nz = optarg;
            break;
        case 'h':
            return cli_print_usage(v);
        default:
            return cli_usage_error(v, "unknown option");
        }
    }
    if (!institution)
        return cli_usage_error(v, "--institution CODE is required (four digits, e.g. 1234)");
    if (argc - optind > 1)
        return cli_usage_error(v, "expected at most one DIR, got %d", argc - optind);
    char *dir = optind < argc         ? xstrdup(argv[optind])
                : g->repo && *g->repo ? xstrdup(g->repo)
                                      : core_repo_default_dir();
    char *user = g->user ? xstrdup(g->user) : login_name();
    int status = CLI_OK;
    char *cause = NULL;
    if (make_parents(dir) < 0) {
        status = CLI_IO;
    } else {
        int rc = core_repo_init(dir, institution, nz, user, &cause);
        if (rc != CORE_OK) {
            cli_error("%s", cause ? cause : "cannot create the repository");
            status = cli_exit_for(rc);
        }
    }
    if (status == CLI_OK) {
        printf("Created a Colophon repository in %s\n", dir);
        printf("  %s/iz.db  institution zone %s\n", dir, institution);
        if (nz)
            printf("  network zone: %s (shared, attached)\n", nz);
        else
            printf("  %s/nz.db  network zone 4801\n", dir);
        printf("  admin: %s (every role); add catalogers with 'colophon user add NAME --role "
               "cataloger'\n",
               user);
        printf("  directory mode 2770, files 0660: give the directory to the catalogers' group\n"
               "  (chgrp -R GROUP %s)\n",
               dir);
    }
    free(cause);
    free(user);
    free(dir);
    return status;
}

const struct cli_verb cli_verb_init = {
    .name = "init",
    .summary = "create a repository (institution and network zone files)",
    .run = run_init,
    .usage = init_usage,
};
