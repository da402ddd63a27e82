/*
 * verb-serve.c - `colophon serve`: a zone of the repository as a Z39.50
 * and SRU server (SPEC §7; core/serve.h does the work).
 */
#include "cli.h"

#include "buf.h"
#include "core.h"
#include "repo.h"
#include "serve.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERVE_DEFAULT_LISTEN "tcp:127.0.0.1:9999"

static const char serve_usage[] =
    "Usage: colophon serve [--listen tcp:HOST:PORT] [--zone iz|nz|cz] [--allow-update]\n"
    "                      [--daemon] [--pidfile FILE] [--log FILE] [--idle-timeout SECONDS]\n"
    "\n"
    "Serve a zone of the repository over Z39.50 and SRU (HTTP, same port), so that\n"
    "other institutions and any Z39.50 client (yaz-client, Koha, MarcEdit) can\n"
    "search it and fetch its records in MARC 21 (ISO 2709, UTF-8) or MARCXML.\n"
    "Searches take Bib-1 attributes (1=4 title, 1=7 ISBN, 1=8 ISSN, 1=12 MMS ID,\n"
    "1=1003 author, 1=21 subject, 1=1016 any, 1=1211 OCLC number) or CQL\n"
    "(dc.title, dc.creator, dc.subject, bath.isbn, bath.issn, rec.id, oclc).\n"
    "docs/Z3950.md has the details.\n"
    "\n"
    "The server is read-only unless --allow-update: then Z39.50 Extended Services\n"
    "record update (insert, replace, specialUpdate, delete) changes the zone as\n"
    "the user named in the Init, whose password 'colophon user passwd' sets.\n"
    "\n"
    "Options:\n"
    "  -l, --listen ADDR       where to listen (default " SERVE_DEFAULT_LISTEN ")\n"
    "  -z, --zone ZONE         the zone to serve: iz (default), nz or cz\n"
    "      --allow-update      accept record updates from logged-in users\n"
    "  -d, --daemon            run in the background; return once listening\n"
    "  -p, --pidfile FILE      write the server's process id to FILE (removed at exit)\n"
    "      --log FILE          write the server's log to FILE (default: stderr in the\n"
    "                          foreground, nowhere as a daemon)\n"
    "      --idle-timeout SEC  close a session idle this long (default 900)\n"
    "  -h, --help              show this help\n"
    "\n"
    "The server stops on SIGTERM (kill $(cat FILE)) or, in the foreground, Ctrl-C.\n"
    "\n"
    "Exit status: 0 stopped normally (or, with --daemon, listening); 1 bad\n"
    "repository or zone; 2 usage; 4 cannot listen or write the pid file.\n";

static void
announce(void *ctx, const char *listen)
{
    const char *what = ctx;
    fprintf(stderr, "colophon serve: serving %s on %s\n", what, listen);
}

static int
run_serve(const struct cli_globals *g, int argc, char **argv)
{
    enum { OPT_ALLOW = 256, OPT_LOG, OPT_IDLE };
    static const struct option longopts[] = {
        {"listen", required_argument, NULL, 'l'},
        {"zone", required_argument, NULL, 'z'},
        {"allow-update", no_argument, NULL, OPT_ALLOW},
        {"daemon", no_argument, NULL, 'd'},
        {"pidfile", required_argument, NULL, 'p'},
        {"log", required_argument, NULL, OPT_LOG},
        {"idle-timeout", required_argument, NULL, OPT_IDLE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_serve;
    struct core_serve_opts o = {.listen = SERVE_DEFAULT_LISTEN, .zone = CORE_ZONE_IZ};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "l:z:dp:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'l':
            o.listen = optarg;
            break;
        case 'z': {
            int z = core_zone_parse(optarg);
            if (z < 0)
                return cli_usage_error(v, "--zone takes iz, nz or cz, not '%s'", optarg);
            o.zone = (enum core_zone)z;
            break;
        }
        case OPT_ALLOW:
            o.allow_update = true;
            break;
        case 'd':
            o.daemon = true;
            break;
        case 'p':
            o.pidfile = optarg;
            break;
        case OPT_LOG:
            o.logfile = optarg;
            break;
        case OPT_IDLE: {
            char *end;
            long s = strtol(optarg, &end, 10);
            if (*end || s < 1 || s > 86400)
                return cli_usage_error(v, "--idle-timeout takes seconds (1-86400), not '%s'",
                                       optarg);
            o.idle_timeout = (int)s;
            break;
        }
        case 'h':
            return cli_print_usage(v);
        default:
            return cli_usage_error(v, "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error(v, "unexpected argument '%s'", argv[optind]);
    int status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    char *dir = xstrdup(core_repo_dir(repo));
    core_repo_close(repo); /* each session opens its own */
    char *what = xasprintf("the %s of %s%s", core_zone_name(o.zone), dir,
                           o.allow_update ? " (updates allowed)" : " (read-only)");
    o.repo_dir = dir;
    if (!g->quiet) {
        o.ready = announce;
        o.ready_ctx = what;
    }
    char *cause = NULL;
    int rc = core_serve_run(&o, &cause);
    if (rc != CORE_OK)
        fprintf(stderr, "colophon serve: %s\n", cause ? cause : "the server failed");
    free(cause);
    free(what);
    free(dir);
    return cli_exit_for(rc);
}

const struct cli_verb cli_verb_serve = {
    .name = "serve",
    .summary = "serve a zone over Z39.50 and SRU",
    .run = run_serve,
    .usage = serve_usage,
};
