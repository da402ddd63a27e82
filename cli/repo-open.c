/*
 * repo-open.c - how every repository verb finds and opens the repository,
 * and how core error codes become exit codes and messages.
 */
#include "cli.h"

#include "buf.h"
#include "core.h"
#include "repo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The default repository appears on first use (SPEC §6). */
static int
create_default(const char *dir, const struct cli_globals *g)
{
    struct stat st;
    if (stat(dir, &st) == 0)
        return 0;
    char *parent = xstrdup(dir);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        /* XDG_DATA_HOME may not exist yet on a new account. */
        for (char *p = parent + 1; *p; p++) {
            if (*p == '/') {
                *p = '\0';
                mkdir(parent, 0755);
                *p = '/';
            }
        }
        mkdir(parent, 0755);
    }
    free(parent);
    char *cause = NULL;
    int rc = core_repo_init(dir, "0001", NULL, g->user, &cause);
    if (rc != CORE_OK) {
        cli_error("cannot create the default repository %s: %s", dir, cause);
        free(cause);
        return -1;
    }
    if (!g->quiet)
        cli_error("created a new repository in %s (institution 0001; 'colophon init' makes one "
                  "with your code)",
                  dir);
    return 0;
}

struct core_repo *
cli_open_repo(const struct cli_globals *g, int *status)
{
    char *dir = g->repo && *g->repo ? xstrdup(g->repo) : core_repo_default_dir();
    if (!(g->repo && *g->repo) && create_default(dir, g) < 0) {
        free(dir);
        *status = CLI_IO;
        return NULL;
    }
    char *cause = NULL;
    struct core_repo *repo = core_repo_open(dir, g->user, &cause);
    if (!repo) {
        cli_error("%s", cause);
        free(cause);
        *status = CLI_USER;
    }
    free(dir);
    return repo;
}

int
cli_exit_for(int core_rc)
{
    switch (core_rc) {
    case CORE_OK:
        return CLI_OK;
    case CORE_ERR_CONFLICT:
        return CLI_CONFLICT;
    case CORE_ERR_DB:
    case CORE_ERR_IO:
        return CLI_IO;
    default:
        return CLI_USER;
    }
}

int
cli_core_error(const struct cli_verb *v, struct core_repo *repo, int core_rc)
{
    cli_progress_clear();
    fprintf(stderr, "colophon %s: %s\n", v->name, core_repo_errmsg(repo));
    return cli_exit_for(core_rc);
}
