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
#include "nzremote.h"
#include "repo.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const char init_usage[] =
    "Usage: colophon init --institution CODE [--nz PATH | --nz z3950://HOST:PORT/DB\n"
    "                     [--nz-option KEY=VALUE...] [--nz-code CODE]] [DIR]\n"
    "\n"
    "Create a repository in DIR (default: --repo, $COLOPHON_REPO, else\n"
    "$XDG_DATA_HOME/colophon).  DIR gets iz.db, the institution zone with the\n"
    "four-digit CODE as the suffix of its MMS IDs, and nz.db, a new network zone\n"
    "(code 4801) -- or, with --nz PATH, the existing network zone file PATH that\n"
    "other institutions on this host share.\n"
    "\n"
    "A remote network zone: with --nz z3950://HOST:PORT/DB (or HOST:PORT/DB, or\n"
    "an SRU http:// URL) the network zone is the one a 'colophon serve --zone nz\n"
    "--allow-update' (or any Z39.50 server with record update) serves on another\n"
    "host.  NZ searches, Share with Network (link), contributions and network\n"
    "edits go through the protocol; DIR gets nz-cache.db, this repository's copy\n"
    "of the network records it has looked at or linked to ('colophon link\n"
    "--refresh' fetches them anew).  --nz-option passes the options of 'colophon\n"
    "external add' (user=NAME password=TEXT timeout=SECONDS ...): contributing\n"
    "needs a user of the network zone's repository with the cataloger role.  The\n"
    "server is not contacted now; an admin changes its address later with\n"
    "'colophon config set nz.target \"HOST:PORT/DB user=... password=...\"'.\n"
    "\n"
    "The directory is made group-writable and setgid (mode 2770) and the files\n"
    "0660, so that the catalogers' Unix group shares them and nobody else reads\n"
    "them.  The user running init (or --user) becomes the first user, with\n"
    "every role; add the others with 'colophon user add'.\n"
    "\n"
    "Options:\n"
    "  -i, --institution CODE  four-digit institution code (required)\n"
    "      --nz PATH           attach this existing network zone file\n"
    "      --nz z3950://HOST:PORT/DB\n"
    "                          the network zone is this Z39.50 server (SRU: a URL)\n"
    "      --nz-option KEY=VALUE\n"
    "                          an option of the remote network zone (repeatable)\n"
    "      --nz-code CODE      the remote network zone's code: its MMS IDs' suffix\n"
    "                          (default 4801)\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 created; 1 bad code, DIR already holds a repository, the\n"
    "NZ file is not one, or the NZ address or an option is malformed; 2 usage;\n"
    "4 the files could not be created.\n";

/* A remote network zone's address rather than a file: z3950://, http(s)://,
 * or HOST:PORT/DB (a file path has no colon before its first slash). */
static bool
is_address(const char *nz)
{
    if (strncasecmp(nz, "z3950://", 8) == 0 || strncasecmp(nz, "http://", 7) == 0 ||
        strncasecmp(nz, "https://", 8) == 0)
        return true;
    size_t colon = strcspn(nz, ":"), slash = strcspn(nz, "/");
    return nz[colon] == ':' && colon < slash && access(nz, F_OK) != 0;
}

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
    enum { OPT_NZ_OPTION = 256, OPT_NZ_CODE };
    static const struct option longopts[] = {
        {"institution", required_argument, NULL, 'i'},
        {"nz", required_argument, NULL, 'N'},
        {"nz-option", required_argument, NULL, OPT_NZ_OPTION},
        {"nz-code", required_argument, NULL, OPT_NZ_CODE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_init;
    const char *institution = NULL, *nz = NULL, *nz_code = NULL;
    struct marc_buf nz_options = MARC_BUF_INIT;
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
        case OPT_NZ_OPTION:
            if (!strchr(optarg, '=')) {
                marc_buf_free(&nz_options);
                return cli_usage_error(v, "--nz-option takes KEY=VALUE (e.g. user=inst1111), "
                                          "not '%s'",
                                       optarg);
            }
            /* the targets text: a value with blanks goes in double quotes */
            marc_buf_printf(&nz_options, "%s%.*s=\"", nz_options.len ? " " : "",
                            (int)(strchr(optarg, '=') - optarg), optarg);
            for (const char *p = strchr(optarg, '=') + 1; *p; p++) {
                if (*p == '"' || *p == '\\')
                    marc_buf_putc(&nz_options, '\\');
                marc_buf_putc(&nz_options, *p);
            }
            marc_buf_putc(&nz_options, '"');
            break;
        case OPT_NZ_CODE:
            nz_code = optarg;
            break;
        case 'h':
            marc_buf_free(&nz_options);
            return cli_print_usage(v);
        default:
            marc_buf_free(&nz_options);
            return cli_usage_error(v, "unknown option");
        }
    }
    bool remote = nz && is_address(nz);
    const char *bad = !institution                      ? "--institution CODE is required (four "
                                                          "digits, e.g. 1234)"
                      : argc - optind > 1               ? "expected at most one DIR"
                      : (nz_options.len || nz_code) && !remote
                          ? "--nz-option and --nz-code go with --nz z3950://HOST:PORT/DB"
                          : NULL;
    if (bad) {
        marc_buf_free(&nz_options);
        return cli_usage_error(v, "%s", bad);
    }
    char *dir = optind < argc         ? xstrdup(argv[optind])
                : g->repo && *g->repo ? xstrdup(g->repo)
                                      : core_repo_default_dir();
    char *user = g->user ? xstrdup(g->user) : login_name();
    int status = CLI_OK;
    char *cause = NULL;
    if (make_parents(dir) < 0) {
        status = CLI_IO;
    } else {
        int rc = remote ? core_repo_init_remote(dir, institution, nz, nz_options.data, nz_code,
                                                user, &cause)
                        : core_repo_init(dir, institution, nz, user, &cause);
        if (rc != CORE_OK) {
            cli_error("%s", cause ? cause : "cannot create the repository");
            status = cli_exit_for(rc);
        }
    }
    if (status == CLI_OK) {
        printf("Created a Colophon repository in %s\n", dir);
        printf("  %s/iz.db  institution zone %s\n", dir, institution);
        if (remote)
            printf("  network zone: the server at %s (code %s); %s/%s holds this "
                   "repository's copy of its records\n",
                   nz, nz_code ? nz_code : "4801", dir, CORE_NZ_CACHE_FILE);
        else if (nz)
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
    marc_buf_free(&nz_options);
    return status;
}

const struct cli_verb cli_verb_init = {
    .name = "init",
    .summary = "create a repository (institution and network zone files)",
    .run = run_init,
    .usage = init_usage,
};
