/*
 * verb-config.c - `colophon config get|set|list`: the repository's settings.
 *
 * The keys are listed here, with their defaults and what they do, so that
 * `config list` documents them and a mistyped key is refused rather than
 * stored and silently ignored.  A module that reads a new key adds it to
 * the table below.  The core checks the admin role and each value.
 */
#include "cli.h"

#include "core.h"
#include "repo.h"

#include <getopt.h>
#include <string.h>

static const char config_usage[] =
    "Usage: colophon config get KEY\n"
    "       colophon config set KEY VALUE\n"
    "       colophon config list\n"
    "\n"
    "Read or change the repository's settings.  Changing one needs the role\n"
    "admin.  'config list' shows every key, its value and what it does.\n"
    "\n"
    "Keys:\n"
    "  lock.timeout  how long a lock outlives its holder's last activity:\n"
    "                a number with s, m (the default unit) or h; default 60m\n"
    "  mail.sendmail the sendmail program that mails a cataloger a record is\n"
    "                assigned to (e.g. /usr/sbin/sendmail); empty: no mail\n"
    "  mail.from     sender address of that mail; empty: sendmail's default\n"
    "  mail.timeout  seconds sendmail may take (default 10); mail that fails\n"
    "                never fails the assignment, it gives a warning\n"
    "  link.local_tags  tags that are local fields besides 9XX, kept in the IZ\n"
    "                when a record is linked to the network zone ('590, 69X');\n"
    "                default empty\n"
    "  merge.rule    the stored merge rule of Copy & Merge and the gateway import\n"
    "                (colophon rule add); empty: Colophon's default merge rule\n"
    "  merge.normalize  the stored normalization rule run on every record merge\n"
    "                and import --match bring in; 'none': no rule; empty: the\n"
    "                built-in rule giving serials the 998 no-overlay field\n"
    "  nz.target     a remote network zone's server (colophon init --nz\n"
    "                z3950://...): HOST:PORT/DB or an SRU URL, then options as for\n"
    "                'colophon external add' (user=NAME password=TEXT timeout=S);\n"
    "                readable by every user of the repository\n"
    "\n"
    "Exit status: 0 done; 1 unknown key, bad value or needs role admin; 2 usage;\n"
    "4 database error.\n";

static const struct config_key {
    const char *key;
    const char *def;
    const char *about;
} config_keys[] = {
    {"lock.timeout", "60m",
     "a lock ends this long after its holder's last activity (90s, 60m, 2h)"},
    {"mail.sendmail", "", "sendmail program that mails assignees (empty: no mail)"},
    {"mail.from", "", "sender address of assignment mail (empty: sendmail's default)"},
    {"mail.timeout", "10", "seconds sendmail may take before the mail is given up"},
    {"link.local_tags", "", "local fields besides 9XX, kept in the IZ by linking ('590, 69X')"},
    {"merge.rule", "", "merge rule of Copy & Merge and import --match (empty: the default)"},
    {"merge.normalize", "",
     "normalization of what merge and import --match bring in ('none'; empty: built in)"},
    {"nz.target", "", "a remote network zone's server and options (empty: the NZ is a file)"},
};

#define NKEYS (sizeof config_keys / sizeof config_keys[0])

static const struct config_key *
find_key(const char *key)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(config_keys[i].key, key) == 0)
            return &config_keys[i];
    cli_error("unknown configuration key '%s'; 'colophon config list' shows the keys", key);
    return NULL;
}

static int
config_list(struct core_repo *repo)
{
    for (size_t i = 0; i < NKEYS; i++) {
        const struct config_key *k = &config_keys[i];
        const char *v = core_config_get(repo, k->key, NULL);
        printf("%-14s %-10s %s%s\n", k->key, v ? v : k->def, v ? "" : "(default) ", k->about);
    }
    return CLI_OK;
}

static int
run_config(const struct cli_globals *g, int argc, char **argv)
{
    static const struct option longopts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const struct cli_verb *v = &cli_verb_config;
    int c;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'h')
            return cli_print_usage(v);
        return cli_usage_error(v, "unknown option");
    }
    if (optind >= argc)
        return cli_usage_error(v, "expected get, set or list");
    const char *action = argv[optind];
    int npos = argc - optind - 1;
    int want = strcmp(action, "get") == 0 ? 1 : strcmp(action, "set") == 0 ? 2 : 0;
    if (want == 0 && strcmp(action, "list") != 0)
        return cli_usage_error(v, "unknown action '%s' (get, set, list)", action);
    if (npos != want)
        return cli_usage_error(v, "'config %s' takes %s", action,
                               want == 2   ? "KEY VALUE"
                               : want == 1 ? "KEY"
                                           : "no arguments");
    const struct config_key *k = NULL;
    if (want && !(k = find_key(argv[optind + 1])))
        return CLI_USER;
    int status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    status = CLI_OK;
    if (want == 0) {
        status = config_list(repo);
    } else if (want == 1) {
        printf("%s\n", core_config_get(repo, k->key, k->def));
    } else {
        int rc = core_config_set(repo, k->key, argv[optind + 2]);
        if (rc != CORE_OK)
            status = cli_core_error(v, repo, rc);
        else
            printf("%s = %s\n", k->key, argv[optind + 2]);
    }
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_config = {
    .name = "config",
    .summary = "get, set or list the repository's settings (lock.timeout ...)",
    .run = run_config,
    .usage = config_usage,
};
