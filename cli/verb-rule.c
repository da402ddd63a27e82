/*
 * verb-rule.c - `colophon rule`: Alma-style rules kept in the repository
 * (SPEC §3.10): add one from a file, list, show, test it on a record (the
 * before/after diff, nothing saved), run it on a set, delete it.
 *
 * Normalization rules run on a set as the `normalize` job (saved per
 * record, reported, resumable); indication rules filter a set into a new
 * set; merge rules are what `colophon merge` and the gateway import use.
 */
#include "cli.h"
#include "diffview.h"
#include "record-io.h"
#include "source.h"

#include "buf.h"
#include "core.h"
#include "job.h"
#include "merge.h"
#include "repo.h"
#include "rulerun.h"
#include "rulestore.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char rule_usage[] =
    "Usage: colophon rule add NAME --file FILE\n"
    "       colophon rule list\n"
    "       colophon rule show NAME\n"
    "       colophon rule test NAME MMSID [--with MMSID2 | --from SOURCE\n"
    "                                     [--record N]]\n"
    "       colophon rule run NAME --set SET [--into NEWSET]\n"
    "       colophon rule delete NAME\n"
    "\n"
    "Rules in Alma's syntax (docs/WORKFLOWS.md has the grammar):\n"
    "  normalization  rule \"NAME\" when (CONDITION) then ACTIONS end\n"
    "  indication     the same conditions, then set indication.\"true\"\n"
    "  merge          rule \"NAME\" when merge then replace/remove/add MARC.\"TAG\" ... end\n"
    "\n"
    "  add NAME --file FILE  store (or replace) the rules of FILE ('-': standard\n"
    "                     input) under NAME; a rule that does not parse is refused\n"
    "                     with the line and column of the problem.  Needs admin.\n"
    "  list               the stored rules, and the built-in ones\n"
    "  show NAME          a rule's text ('Colophon default merge' and 'Colophon\n"
    "                     serial no-overlay' are built in)\n"
    "  test NAME MMSID    try a rule on a record, nothing saved: a normalization\n"
    "                     rule prints the before/after diff; an indication rule\n"
    "                     prints true or false; a merge rule needs the incoming\n"
    "                     record (--with a stored record, --from a file) and prints\n"
    "                     the diff of what Copy & Merge with it would save\n"
    "  run NAME --set SET  a normalization rule: the 'normalize' job on SET (each\n"
    "                     record it changes is saved, reason 'rule'; a report as\n"
    "                     'colophon job show' gives); an indication rule: the records\n"
    "                     of SET it says true of become the new set NEWSET (--into)\n"
    "  delete NAME        remove a rule (needs admin)\n"
    "\n"
    "Options:\n"
    "  -f, --file FILE      the rules text (add)\n"
    "  -w, --with MMSID     test a merge rule with this stored record as incoming\n"
    "  -F, --from SOURCE    ... or with a record of a file or of a target's last\n"
    "                       search (--record N picks one)\n"
    "  -r, --record N       record N of SOURCE\n"
    "  -s, --set SET        the set to run on\n"
    "  -i, --into NEWSET    where an indication rule puts what it finds\n"
    "      --side-by-side   the two-column diff ($COLUMNS wide); --unified the lines\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 done; 1 a parse error, no such rule, record or set, the wrong\n"
    "kind of rule, a role missing, or records of a run that failed; 2 usage;\n"
    "4 I/O or database error.\n";

struct rule_opts {
    const char *file;
    const char *with;
    const char *from;
    long record;
    const char *set;
    const char *into;
    int view;
};

static int
parse_args(int argc, char **argv, struct rule_opts *o)
{
    static const struct option longopts[] = {
        {"file", required_argument, NULL, 'f'},   {"with", required_argument, NULL, 'w'},
        {"from", required_argument, NULL, 'F'},   {"record", required_argument, NULL, 'r'},
        {"set", required_argument, NULL, 's'},    {"into", required_argument, NULL, 'i'},
        {"side-by-side", no_argument, NULL, 'S'}, {"unified", no_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_rule;
    memset(o, 0, sizeof *o);
    o->view = -1;
    int c;
    char *end;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "f:w:F:r:s:i:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            o->file = optarg;
            break;
        case 'w':
            o->with = optarg;
            break;
        case 'F':
            o->from = optarg;
            break;
        case 'r':
            o->record = strtol(optarg, &end, 10);
            if (end == optarg || *end || o->record < 1)
                return cli_usage_error(v, "--record takes a record number, not '%s'", optarg);
            break;
        case 's':
            o->set = optarg;
            break;
        case 'i':
            o->into = optarg;
            break;
        case 'S':
        case 'U':
            o->view = c == 'S';
            break;
        case 'h':
            return cli_print_usage(v) - 1;
        default:
            return cli_usage_error(v, "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error(v, "expected add, list, show, test, run or delete");
    return CLI_OK;
}

static int
check_action(const char *a, int npos, const struct rule_opts *o)
{
    const struct cli_verb *v = &cli_verb_rule;
    static const char *const actions[] = {"add", "list", "show", "test", "run", "delete"};
    static const int want[] = {1, 0, 1, 2, 1, 1};
    size_t k = 0;
    while (k < 6 && strcmp(a, actions[k]) != 0)
        k++;
    if (k == 6)
        return cli_usage_error(v, "unknown action '%s' (add, list, show, test, run, delete)", a);
    if (npos != want[k])
        return cli_usage_error(v, "'rule %s' takes %s", a,
                               want[k] == 0   ? "no arguments"
                               : want[k] == 2 ? "NAME MMSID"
                                              : "NAME");
    bool add = k == 0, test = k == 3, run = k == 4;
    if (!!o->file != add)
        return cli_usage_error(v, add ? "add takes --file FILE" : "--file goes with add");
    if ((o->with || o->from || o->record) && !test)
        return cli_usage_error(v, "--with, --from and --record go with test");
    if (o->with && o->from)
        return cli_usage_error(v, "--with and --from exclude each other");
    if (o->record && !o->from)
        return cli_usage_error(v, "--record goes with --from SOURCE");
    if (!!o->set != run)
        return cli_usage_error(v, run ? "run takes --set SET" : "--set goes with run");
    if (o->into && !run)
        return cli_usage_error(v, "--into goes with run");
    return CLI_OK;
}

/* ---- add, list, show, delete ---- */

static int
rule_add(struct core_repo *repo, const char *name, const char *file)
{
    int rc = core_require_role(repo, CORE_ROLE_ADMIN, "changing rules");
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_rule, repo, rc);
    struct marc_buf text = MARC_BUF_INIT;
    if (cli_read_file(file, &text) < 0)
        return CLI_IO;
    marc_buf_putc(&text, '\0');
    /* Parsed here first, so that the error names the file. */
    char *err = NULL;
    struct core_rules *rs = core_rules_parse(text.data, &err);
    int status = CLI_OK;
    if (!rs) {
        cli_error("%s: %s; the rule was not stored", strcmp(file, "-") ? file : "<stdin>", err);
        free(err);
        status = CLI_USER;
    } else {
        enum core_rule_kind kind = core_rules_kind(rs);
        size_t n = core_rules_count(rs);
        core_rules_free(rs);
        rc = core_rule_save(repo, name, text.data);
        if (rc != CORE_OK)
            status = cli_core_error(&cli_verb_rule, repo, rc);
        else
            printf("Stored %s rule '%s' (%zu rule%s).\n", core_rule_kind_name(kind), name, n,
                   n == 1 ? "" : "s");
    }
    marc_buf_free(&text);
    return status;
}

/* The built-in rules: in force while the configuration names no other. */
static const char *
builtin(const char *name)
{
    if (strcmp(name, CORE_MERGE_DEFAULT_RULE) == 0)
        return core_rules_default_merge();
    if (strcmp(name, CORE_MERGE_DEFAULT_NORMALIZATION) == 0)
        return core_merge_default_normalization();
    return NULL;
}

static int
rule_list(struct core_repo *repo)
{
    struct core_rule_info *ri;
    size_t n;
    int rc = core_rule_list(repo, &ri, &n);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_rule, repo, rc);
    for (size_t i = 0; i < n; i++) {
        char when[32];
        core_format_time(ri[i].updated, when, sizeof when);
        printf("%-32s %-13s %s by %s\n", ri[i].name, core_rule_kind_name(ri[i].kind), when,
               ri[i].updated_by);
    }
    free(ri);
    char merge[128], norm[128];
    snprintf(merge, sizeof merge, "%s", core_config_get(repo, "merge.rule", ""));
    snprintf(norm, sizeof norm, "%s", core_config_get(repo, "merge.normalize", ""));
    printf("%-32s %-13s built in%s\n", CORE_MERGE_DEFAULT_RULE, "merge",
           merge[0] ? "" : " (in force: config merge.rule is unset)");
    printf("%-32s %-13s built in%s\n", CORE_MERGE_DEFAULT_NORMALIZATION, "normalization",
           norm[0] ? "" : " (in force: config merge.normalize is unset)");
    return CLI_OK;
}

static int
rule_show(struct core_repo *repo, const char *name)
{
    char *text = NULL;
    int rc = core_rule_get(repo, name, &text);
    if (rc == CORE_ERR_NOTFOUND && builtin(name)) {
        fputs(builtin(name), stdout);
        return CLI_OK;
    }
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_rule, repo, rc);
    fputs(text, stdout);
    if (*text && text[strlen(text) - 1] != '\n')
        putchar('\n');
    free(text);
    return CLI_OK;
}

/* ---- test ---- */

static int
rule_test(struct core_repo *repo, const char *name, const char *mms, const struct rule_opts *o)
{
    const struct cli_verb *v = &cli_verb_rule;
    struct marc_record *in = NULL;
    char label[300] = "";
    int status = CLI_OK;
    if (o->with || o->from) {
        in = marc_record_new();
        status = cli_source_read(repo, o->with ? o->with : o->from, o->with ? 0 : o->record, in,
                                 label, sizeof label);
    }
    struct core_rule_test t;
    memset(&t, 0, sizeof t);
    int rc = status == CLI_OK ? core_rule_test(repo, name, mms, in, &t) : CORE_OK;
    if (status == CLI_OK && rc != CORE_OK) {
        status = cli_core_error(v, repo, rc);
    } else if (status == CLI_OK && t.kind == CORE_RULE_INDICATION) {
        printf("%s\n", t.indication ? "true" : "false");
    } else if (status == CLI_OK) {
        struct cli_diffview dv = {.left = mms};
        char right[400];
        if (t.kind == CORE_RULE_MERGE)
            snprintf(right, sizeof right, "merged with %s", label);
        else
            snprintf(right, sizeof right, "after rule %s", name);
        dv.right = right;
        cli_diffview_choose(&dv, o->view);
        printf("Rule %s (%s) on %s%s%s, nothing saved:\n", name, core_rule_kind_name(t.kind), mms,
               in ? " with " : "", label);
        struct cli_diffcount n;
        cli_diffview_print(stdout, t.before, t.after, &dv, &n);
        printf("%zu field(s) added, %zu removed, %zu changed%s\n", n.added, n.removed, n.changed,
               n.leader_changed ? "; the leader changes" : "");
    }
    core_rule_test_free(&t);
    marc_record_free(in);
    return status;
}

/* ---- run ---- */

static void
on_progress(void *ctx, long done, long total)
{
    struct cli_progress **p = ctx;
    if (!*p)
        *p = cli_progress_start("rule", total, false);
    cli_progress_update(*p, done, done);
}

static int
run_normalization(struct core_repo *repo, const char *name, const char *set)
{
    char param[600];
    snprintf(param, sizeof param, "rule=%s", name);
    char *argv[] = {param};
    struct core_job_params p;
    int rc = core_job_params_parse(repo, 1, argv, &p);
    long id = 0;
    struct cli_progress *bar = NULL;
    if (rc == CORE_OK)
        rc = core_job_run(repo, "normalize", set, &p, on_progress, &bar, &id);
    cli_progress_end(bar);
    core_job_params_free(&p);
    if (id > 0) {
        struct core_job_count *counts;
        size_t n;
        long failed = 0;
        printf("Job %ld: normalize with rule %s on set '%s'\n", id, name, set);
        if (core_job_report(repo, id, &counts, &n, NULL, NULL) == CORE_OK) {
            for (size_t i = 0; i < n; i++) {
                printf("  %-16s %ld\n", counts[i].outcome, counts[i].n);
                if (strcmp(counts[i].outcome, "failed") == 0)
                    failed = counts[i].n;
            }
            free(counts);
        }
        if (rc == CORE_OK && failed > 0) {
            cli_error("%ld record(s) failed: 'colophon job show %ld --records failed'", failed,
                      id);
            return CLI_USER;
        }
    }
    return rc == CORE_OK ? CLI_OK : cli_core_error(&cli_verb_rule, repo, rc);
}

static int
rule_run(struct core_repo *repo, const char *name, const struct rule_opts *o)
{
    const struct cli_verb *v = &cli_verb_rule;
    struct core_rules *rs = NULL;
    int rc = core_rule_load(repo, name, &rs);
    if (rc != CORE_OK)
        return cli_core_error(v, repo, rc);
    enum core_rule_kind kind = core_rules_kind(rs);
    core_rules_free(rs);
    if (kind == CORE_RULE_MERGE) {
        cli_error("rule %s is a merge rule: it combines two records ('colophon merge --rule %s', "
                  "or config merge.rule), it does not run on a set",
                  name, name);
        return CLI_USER;
    }
    if (kind == CORE_RULE_NORMALIZATION) {
        if (o->into)
            return cli_usage_error(v, "--into goes with indication rules (%s is a normalization "
                                      "rule: it changes the records of the set)",
                                   name);
        return run_normalization(repo, name, o->set);
    }
    if (!o->into)
        return cli_usage_error(v, "%s is an indication rule: run it with --into NEWSET", name);
    long kept = 0, total = 0;
    struct cli_progress *bar = NULL;
    rc = core_rule_filter_set(repo, name, o->set, o->into, on_progress, &bar, &kept, &total);
    cli_progress_end(bar);
    if (rc != CORE_OK)
        return cli_core_error(v, repo, rc);
    printf("Rule %s is true of %ld of the %ld record(s) of set '%s': they are set '%s'.\n", name,
           kept, total, o->set, o->into);
    return CLI_OK;
}

static int
run_rule(const struct cli_globals *g, int argc, char **argv)
{
    struct rule_opts o;
    int status = parse_args(argc, argv, &o);
    if (status != CLI_OK)
        return status < 0 ? CLI_OK : status;
    const char *action = argv[optind];
    int npos = argc - optind - 1;
    char **pos = argv + optind + 1;
    if ((status = check_action(action, npos, &o)) != CLI_OK)
        return status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    if (!strcmp(action, "add")) {
        status = rule_add(repo, pos[0], o.file);
    } else if (!strcmp(action, "list")) {
        status = rule_list(repo);
    } else if (!strcmp(action, "show")) {
        status = rule_show(repo, pos[0]);
    } else if (!strcmp(action, "test")) {
        status = rule_test(repo, pos[0], pos[1], &o);
    } else if (!strcmp(action, "run")) {
        status = rule_run(repo, pos[0], &o);
    } else {
        int rc = core_rule_delete(repo, pos[0]);
        status = rc == CORE_OK ? CLI_OK : cli_core_error(&cli_verb_rule, repo, rc);
        if (rc == CORE_OK)
            printf("Deleted rule '%s'.\n", pos[0]);
    }
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_rule = {
    .name = "rule",
    .summary = "normalization, indication and merge rules: add, list, show, test, run, delete",
    .run = run_rule,
    .usage = rule_usage,
};
