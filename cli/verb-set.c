/*
 * verb-set.c - `colophon set`: named sets of records for jobs (SPEC §2
 * Set, §3.9).  An itemized set keeps the MMS IDs a query found (or a
 * list gave) when it was made; a logical set keeps the query and is
 * evaluated again by each job.  The core stores them (core/set.h); this
 * file reads the command line and prints.
 */
#include "cli.h"
#include "record-io.h"

#include "buf.h"
#include "core.h"
#include "repo.h"
#include "set.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char set_usage[] =
    "Usage: colophon set create NAME --query QUERY [--logical] [--zone Z] [--scope S]\n"
    "       colophon set create NAME --ids FILE\n"
    "       colophon set list\n"
    "       colophon set show NAME [--members]\n"
    "       colophon set delete NAME\n"
    "\n"
    "Sets are what jobs run on ('colophon job run KIND --set NAME').\n"
    "\n"
    "  create NAME --query QUERY  the records a search finds (the language of\n"
    "                     'colophon search'; every hit, not only the first page).\n"
    "                     Itemized by default: the hits of now are stored.  With\n"
    "                     --logical the query is stored and runs again each time\n"
    "                     a job uses the set.\n"
    "  create NAME --ids FILE  the MMS IDs of FILE, one a line ('#' starts a\n"
    "                     comment; '-' reads standard input); each must exist.\n"
    "  list               every set: name, kind, members, zone, query, creator\n"
    "  show NAME          one set; --members lists its records (a logical set's\n"
    "                     query runs now)\n"
    "  delete NAME        remove the set (its records stay; jobs' reports stay)\n"
    "\n"
    "Options:\n"
    "  -Q, --query QUERY    the search that makes the set\n"
    "  -l, --logical        store the query, not its hits\n"
    "  -z, --zone ZONE      where the query searches: iz (default), nz or cz\n"
    "  -s, --scope SCOPE    all (default: every title) or physical (with holdings)\n"
    "  -i, --ids FILE       MMS IDs, one a line\n"
    "  -m, --members        with show: list the records\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 done; 1 no such set, a name already taken, a malformed query\n"
    "or an unknown MMS ID; 2 usage; 4 database error.\n";

struct set_opts {
    const char *query;
    const char *ids;
    bool logical;
    struct core_search_opts so;
    bool zone_given, scope_given;
    bool members;
};

static int
parse_args(int argc, char **argv, struct set_opts *o)
{
    static const struct option longopts[] = {
        {"query", required_argument, NULL, 'Q'}, {"logical", no_argument, NULL, 'l'},
        {"zone", required_argument, NULL, 'z'},  {"scope", required_argument, NULL, 's'},
        {"ids", required_argument, NULL, 'i'},   {"members", no_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_set;
    memset(o, 0, sizeof *o);
    int c, z;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "Q:lz:s:i:mh", longopts, NULL)) != -1) {
        switch (c) {
        case 'Q':
            o->query = optarg;
            break;
        case 'l':
            o->logical = true;
            break;
        case 'z':
            if ((z = core_zone_parse(optarg)) < 0)
                return cli_usage_error(v, "unknown zone '%s' (iz, nz or cz)", optarg);
            o->so.zone = (enum core_zone)z;
            o->zone_given = true;
            break;
        case 's':
            if (strcmp(optarg, "all") != 0 && strcmp(optarg, "physical") != 0)
                return cli_usage_error(v, "--scope takes all or physical, not '%s'", optarg);
            o->so.physical = strcmp(optarg, "physical") == 0;
            o->scope_given = true;
            break;
        case 'i':
            o->ids = optarg;
            break;
        case 'm':
            o->members = true;
            break;
        case 'h':
            return cli_print_usage(v) - 1;
        default:
            return cli_usage_error(v, "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error(v, "expected create, list, show or delete");
    return CLI_OK;
}

/* Check the arguments an action takes; returns CLI_OK or a usage error. */
static int
check_action(const char *action, int npos, const struct set_opts *o)
{
    const struct cli_verb *v = &cli_verb_set;
    bool create = strcmp(action, "create") == 0, show = strcmp(action, "show") == 0;
    bool list = strcmp(action, "list") == 0, del = strcmp(action, "delete") == 0;
    if (!create && !show && !list && !del)
        return cli_usage_error(v, "unknown action '%s' (create, list, show, delete)", action);
    if (npos != (list ? 0 : 1))
        return cli_usage_error(v, "'set %s' takes %s", action, list ? "no arguments" : "NAME");
    if (!create && (o->query || o->ids || o->logical || o->zone_given || o->scope_given))
        return cli_usage_error(v, "--query, --ids, --logical, --zone and --scope go with create");
    if (o->members && !show)
        return cli_usage_error(v, "--members goes with show");
    if (create && !o->query == !o->ids)
        return cli_usage_error(v, "create takes --query QUERY or --ids FILE (one of them)");
    if (create && o->ids && (o->logical || o->zone_given || o->scope_given))
        return cli_usage_error(v, "--logical, --zone and --scope go with --query");
    return CLI_OK;
}

/* The MMS IDs of a file, one a line, '#' comments. */
static int
read_ids(const char *path, char ***out, size_t *n)
{
    struct marc_buf text = MARC_BUF_INIT;
    *out = NULL;
    *n = 0;
    if (cli_read_file(path, &text) < 0)
        return CLI_IO;
    marc_buf_putc(&text, '\0');
    size_t cap = 0;
    long line = 0;
    int status = CLI_OK;
    for (char *l = text.data, *next; l; l = next) {
        next = strchr(l, '\n');
        if (next)
            *next++ = '\0';
        line++;
        char *hash = strchr(l, '#');
        if (hash)
            *hash = '\0';
        char *s = l + strspn(l, " \t\r");
        size_t len = strcspn(s, " \t\r");
        if (!len)
            continue;
        if (s[len + strspn(s + len, " \t\r")] != '\0') {
            cli_error("%s: line %ld: one MMS ID a line, not '%s'", path, line, s);
            status = CLI_USER;
            break;
        }
        s[len] = '\0';
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        (*out)[(*n)++] = xstrdup(s);
    }
    marc_buf_free(&text);
    return status;
}

static int
create_set(struct core_repo *repo, const char *name, const struct set_opts *o)
{
    const struct cli_verb *v = &cli_verb_set;
    if (o->query) {
        long count = -1;
        int rc = core_set_create_query(repo, name, o->query, &o->so, o->logical, &count);
        if (rc != CORE_OK)
            return cli_core_error(v, repo, rc);
        if (o->logical)
            printf("Created logical set '%s': the query runs each time a job uses it.\n", name);
        else
            printf("Created set '%s' with %ld record(s).\n", name, count);
        return CLI_OK;
    }
    char **ids;
    size_t n;
    int status = read_ids(o->ids, &ids, &n);
    if (status == CLI_OK) {
        int rc = core_set_create_ids(repo, name, (const char *const *)ids, n);
        status = rc == CORE_OK ? CLI_OK : cli_core_error(v, repo, rc);
        if (rc == CORE_OK)
            printf("Created set '%s' with %zu record(s).\n", name, n);
    }
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    return status;
}

static void
print_set_line(const struct core_set_info *s)
{
    char when[32], count[32];
    core_format_time(s->created, when, sizeof when);
    if (s->logical)
        snprintf(count, sizeof count, "logical");
    else
        snprintf(count, sizeof count, "%ld record%s", s->count, s->count == 1 ? "" : "s");
    printf("%-24s %-12s %s%s  %s %s", s->name, count, core_zone_name(s->zone),
           s->physical ? " physical" : "", when, s->created_by);
    if (s->query[0])
        printf("  query: %s", s->query);
    putchar('\n');
}

static int
list_sets(struct core_repo *repo)
{
    struct core_set_info *sets;
    size_t n;
    int rc = core_set_list(repo, &sets, &n);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_set, repo, rc);
    if (n == 0)
        printf("No sets ('colophon set create NAME --query QUERY' makes one).\n");
    for (size_t i = 0; i < n; i++)
        print_set_line(&sets[i]);
    free(sets);
    return CLI_OK;
}

static int
show_set(struct core_repo *repo, const char *name, bool members)
{
    const struct cli_verb *v = &cli_verb_set;
    struct core_set_info s;
    int rc = core_set_get(repo, name, &s);
    if (rc != CORE_OK)
        return cli_core_error(v, repo, rc);
    char when[32];
    core_format_time(s.created, when, sizeof when);
    printf("Set:      %s\n", s.name);
    printf("Kind:     %s\n", s.logical ? "logical (the query runs when a job uses it)"
                                       : "itemized (the records found when it was made)");
    if (s.query[0])
        printf("Query:    %s  (%s, %s titles)\n", s.query, core_zone_name(s.zone),
               s.physical ? "physical" : "all");
    if (!s.logical)
        printf("Records:  %ld\n", s.count);
    printf("Created:  %s by %s\n", when, s.created_by);
    if (!members)
        return CLI_OK;
    char (*mms)[CORE_MMS_MAX];
    size_t n;
    rc = core_set_members(repo, name, &mms, &n);
    if (rc != CORE_OK)
        return cli_core_error(v, repo, rc);
    if (s.logical)
        printf("Records:  %zu (now)\n", n);
    for (size_t i = 0; i < n; i++) {
        struct core_record_info info;
        if (core_record_get(repo, mms[i], NULL, &info) == CORE_OK)
            printf("%6zu  %s  %s%s%s\n", i + 1, mms[i], info.title[0] ? info.title : "(no title)",
                   info.author[0] ? " / " : "", info.author);
        else
            printf("%6zu  %s  (%s)\n", i + 1, mms[i], core_repo_errmsg(repo));
    }
    free(mms);
    return CLI_OK;
}

static int
run_set(const struct cli_globals *g, int argc, char **argv)
{
    struct set_opts o;
    int status = parse_args(argc, argv, &o);
    if (status != CLI_OK)
        return status < 0 ? CLI_OK : status;
    const char *action = argv[optind];
    const char *name = optind + 1 < argc ? argv[optind + 1] : NULL;
    if ((status = check_action(action, argc - optind - 1, &o)) != CLI_OK)
        return status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    if (strcmp(action, "create") == 0) {
        status = create_set(repo, name, &o);
    } else if (strcmp(action, "list") == 0) {
        status = list_sets(repo);
    } else if (strcmp(action, "show") == 0) {
        status = show_set(repo, name, o.members);
    } else {
        int rc = core_set_delete(repo, name);
        status = rc == CORE_OK ? CLI_OK : cli_core_error(&cli_verb_set, repo, rc);
        if (rc == CORE_OK)
            printf("Deleted set '%s'.\n", name);
    }
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_set = {
    .name = "set",
    .summary = "sets of records for jobs: create from a query or a list, list, show, delete",
    .run = run_set,
    .usage = set_usage,
};
