/*
 * verb-user.c - `colophon user add|list|grant|revoke`: the repository's
 * users and their roles (SPEC §2 Users and roles).
 *
 * Users are login names.  The core checks the admin role on every change
 * and says "needs role admin" to anyone else; listing is open to all, so a
 * cataloger can see whom to ask.
 */
#include "cli.h"

#include "buf.h"
#include "core.h"
#include "repo.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char user_usage[] =
    "Usage: colophon user add NAME --role ROLE[,ROLE...] [--email ADDRESS]\n"
    "       colophon user list\n"
    "       colophon user grant NAME --role ROLE[,ROLE...]\n"
    "       colophon user revoke NAME --role ROLE[,ROLE...]\n"
    "       colophon user passwd NAME [--clear]\n"
    "\n"
    "Manage the users of the repository.  A user is a login name; the first user\n"
    "(whoever ran 'colophon init') has every role.  Adding, granting and revoking\n"
    "need the role admin; anyone may list.\n"
    "\n"
    "passwd sets the password NAME logs in with over Z39.50 to 'colophon serve\n"
    "--allow-update' (typed twice on a terminal, else the first line of standard\n"
    "input; kept as a salted hash).  Users set their own; an admin anyone's.\n"
    "\n"
    "Roles:\n"
    "  cataloger           edit bibliographic records\n"
    "  cataloger-extended  also delete bibs, merge records, combine inventory\n"
    "  inventory           create, edit and relink holdings and items\n"
    "  admin               users, configuration, rules\n"
    "  all                 every role\n"
    "\n"
    "Options:\n"
    "  -r, --role ROLES     comma-separated roles (may be repeated)\n"
    "  -e, --email ADDRESS  e-mail address (for assignment notices)\n"
    "      --clear          for passwd: remove the password (no network login)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 done; 1 refused (needs role admin, no such user, user exists);\n"
    "2 usage; 4 database error.\n";

/* Roles named in a comma list; 0 after printing a usage error. */
static unsigned
parse_roles(const char *list, int *status)
{
    unsigned roles = 0;
    char *copy = xstrdup(list), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        unsigned r = strcmp(t, "all") == 0 ? CORE_ROLE_ALL : (unsigned)core_role_parse(t);
        if (!r) {
            *status = cli_usage_error(&cli_verb_user,
                                      "unknown role '%s' (cataloger, cataloger-extended, "
                                      "inventory, admin, all)",
                                      t);
            free(copy);
            return 0;
        }
        roles |= r;
    }
    free(copy);
    if (!roles)
        *status = cli_usage_error(&cli_verb_user, "--role names no role");
    return roles;
}

/* "cataloger,admin" into out. */
static void
roles_text(unsigned roles, char *out, size_t size)
{
    static const enum core_role all[] = {CORE_ROLE_CATALOGER, CORE_ROLE_CATALOGER_EXTENDED,
                                         CORE_ROLE_INVENTORY, CORE_ROLE_ADMIN};
    out[0] = '\0';
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
        if (!(roles & all[i]))
            continue;
        size_t n = strlen(out);
        snprintf(out + n, size - n, "%s%s", n ? "," : "", core_role_name(all[i]));
    }
    if (!out[0])
        snprintf(out, size, "(none)");
}

static int
list_users(struct core_repo *repo)
{
    struct core_user *u;
    size_t n;
    int rc = core_user_list(repo, &u, &n);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_user, repo, rc);
    printf("%-20s %-45s %-16s %s\n", "NAME", "ROLES", "SINCE", "EMAIL");
    for (size_t i = 0; i < n; i++) {
        char roles[96], when[32];
        roles_text(u[i].roles, roles, sizeof roles);
        core_format_time(u[i].created, when, sizeof when);
        printf("%-20s %-45s %-16s %s\n", u[i].name, roles, when, u[i].email);
    }
    free(u);
    return CLI_OK;
}

static int
change_user(struct core_repo *repo, const char *action, const char *name, unsigned roles,
            const char *email)
{
    int rc;
    if (strcmp(action, "add") == 0)
        rc = core_user_add(repo, name, roles, email);
    else if (strcmp(action, "grant") == 0)
        rc = core_user_grant(repo, name, roles);
    else
        rc = core_user_revoke(repo, name, roles);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_user, repo, rc);
    char text[96];
    roles_text(core_user_roles(repo, name), text, sizeof text);
    printf("%s %s: roles now %s\n",
           strcmp(action, "add") == 0     ? "Added"
           : strcmp(action, "grant") == 0 ? "Granted to"
                                          : "Revoked from",
           name, text);
    return CLI_OK;
}

static int
run_user(const struct cli_globals *g, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"role", required_argument, NULL, 'r'},
        {"email", required_argument, NULL, 'e'},
        {"clear", no_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_user;
    unsigned roles = 0;
    const char *email = NULL;
    bool clear = false;
    int c, status = CLI_OK;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "r:e:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'r': {
            unsigned r = parse_roles(optarg, &status);
            if (!r)
                return status;
            roles |= r;
            break;
        }
        case 'e':
            email = optarg;
            break;
        case 'C':
            clear = true;
            break;
        case 'h':
            return cli_print_usage(v);
        default:
            return cli_usage_error(v, "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error(v, "expected add, list, grant, revoke or passwd");
    const char *action = argv[optind];
    int npos = argc - optind - 1;
    if (strcmp(action, "passwd") == 0) {
        if (npos != 1 || roles || email)
            return cli_usage_error(v, "'user passwd' takes one NAME (and --clear)");
        return cli_user_passwd(g, argv[optind + 1], clear);
    }
    if (clear)
        return cli_usage_error(v, "--clear goes with 'user passwd'");
    bool list = strcmp(action, "list") == 0;
    if (!list && strcmp(action, "add") != 0 && strcmp(action, "grant") != 0 &&
        strcmp(action, "revoke") != 0)
        return cli_usage_error(v, "unknown action '%s' (add, list, grant, revoke, passwd)",
                               action);
    if (list && (npos != 0 || roles || email))
        return cli_usage_error(v, "'user list' takes no arguments");
    if (!list && npos != 1)
        return cli_usage_error(v, "'user %s' takes one NAME", action);
    if (!list && !roles)
        return cli_usage_error(v, "'user %s' needs --role", action);
    if (email && strcmp(action, "add") != 0)
        return cli_usage_error(v, "--email goes with 'user add'");
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    status = list ? list_users(repo) : change_user(repo, action, argv[optind + 1], roles, email);
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_user = {
    .name = "user",
    .summary = "add, list, grant or revoke users and their roles",
    .run = run_user,
    .usage = user_usage,
};
