/*
 * verb-job.c - `colophon job`: batch operations on sets (SPEC §2 Job,
 * §3.9): run one with a progress bar on a terminal, list them, show a
 * report (counts per outcome, and each record's outcome and detail),
 * resume one that was interrupted.
 *
 * The runner is the core's (core/job.h): every record is its own
 * transaction together with its result, so a job killed at any moment
 * resumes with the first record without a result -- no record done twice,
 * none lost.  This file reads the command line and prints the report.
 */
#include "cli.h"

#include "core.h"
#include "job.h"
#include "repo.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char job_usage[] =
    "Usage: colophon job run KIND --set NAME [KEY=VALUE...]\n"
    "       colophon job list\n"
    "       colophon job show ID [--records [OUTCOME]]\n"
    "       colophon job resume ID\n"
    "       colophon job kinds\n"
    "\n"
    "Run an operation on every record of a set ('colophon set create' makes sets),\n"
    "with a progress bar on a terminal and a report kept in the repository.\n"
    "\n"
    "  run KIND --set NAME [KEY=VALUE...]  run a job; parameters as KEY=VALUE:\n"
    "      normalize      rule=NAME (a stored normalization rule); a record the\n"
    "                     rule changes is saved (reason 'rule')\n"
    "      delete         delete the bibs (the rules of 'colophon delete')\n"
    "      export         file=PATH [format=iso2709|marcxml|mrk|json]\n"
    "      add-reminders  the reminder to add (see 'colophon job kinds')\n"
    "      link-to-nz     link to the network zone (see 'colophon job kinds')\n"
    "  list               every job, newest first: ID, kind, set, state, progress\n"
    "  show ID            a job's report: its parameters, state, counts per outcome;\n"
    "                     --records also lists each record's outcome and detail\n"
    "                     (the candidates of a multi-match, why a record failed),\n"
    "                     only those of OUTCOME when given ('failed', 'multi-match')\n"
    "  resume ID          continue an interrupted job (killed, crashed, the machine\n"
    "                     went down) with its first record without a result\n"
    "  kinds              the kinds of job and what they take\n"
    "\n"
    "Each record is done whole or not at all, with its result: a record that fails\n"
    "(locked by someone, say) is reported 'failed' with the reason and nothing of\n"
    "it is written; the job goes on with the next.\n"
    "\n"
    "Options:\n"
    "  -s, --set NAME       the set a job runs on\n"
    "  -r, --records        with show: list the records (an OUTCOME may follow)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 the job ran and no record failed; 1 some records failed (see\n"
    "'job show ID --records failed'), or a bad kind, set, parameter or role;\n"
    "2 usage; 3 the job is running in another process; 4 database error (the job\n"
    "stopped: 'job resume ID' continues it).\n";

struct job_opts {
    const char *set;
    bool records;
};

static int
parse_args(int argc, char **argv, struct job_opts *o)
{
    static const struct option longopts[] = {
        {"set", required_argument, NULL, 's'},
        {"records", no_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_job;
    memset(o, 0, sizeof *o);
    int c;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "s:rh", longopts, NULL)) != -1) {
        switch (c) {
        case 's':
            o->set = optarg;
            break;
        case 'r':
            o->records = true;
            break;
        case 'h':
            return cli_print_usage(v) - 1;
        default:
            return cli_usage_error(v, "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error(v, "expected run, list, show, resume or kinds");
    return CLI_OK;
}

static bool
parse_id(const char *s, long *id)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v <= 0)
        return false;
    *id = v;
    return true;
}

/* ---- progress ---- */

struct bar {
    struct cli_progress *p;
    const char *label;
    bool quiet;
};

static void
on_progress(void *ctx, long done, long total)
{
    struct bar *b = ctx;
    if (!b->p)
        b->p = cli_progress_start(b->label, total, b->quiet);
    cli_progress_update(b->p, done, done);
}

/* ---- the report ---- */

static void
print_counts(struct core_repo *repo, long id, long *failed)
{
    struct core_job_count *counts;
    size_t n;
    *failed = 0;
    if (core_job_report(repo, id, &counts, &n, NULL, NULL) != CORE_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        printf("  %-16s %ld\n", counts[i].outcome, counts[i].n);
        if (strcmp(counts[i].outcome, "failed") == 0)
            *failed = counts[i].n;
    }
    free(counts);
}

static void
print_info(const struct core_job_info *j)
{
    char started[32], finished[32];
    core_format_time(j->started, started, sizeof started);
    printf("Job %ld: %s on set '%s'\n", j->id, j->kind, j->set[0] ? j->set : "(deleted)");
    printf("  state:      %s (%ld of %ld records done)\n", j->state, j->done, j->total);
    printf("  started:    %s by %s\n", started, j->user);
    if (j->finished) {
        core_format_time(j->finished, finished, sizeof finished);
        printf("  finished:   %s\n", finished);
    }
    if (j->params[0]) {
        printf("  parameters:");
        for (const char *p = j->params; *p;) {
            size_t len = strcspn(p, "\n");
            printf(" %.*s", (int)len, p);
            p += len + (p[len] == '\n');
        }
        printf("\n");
    }
}

/* After run or resume: the state, the counts, and the exit code they give. */
static int
finish_report(struct core_repo *repo, long id, int rc)
{
    const struct cli_verb *v = &cli_verb_job;
    struct core_job_info j;
    long failed = 0;
    if (id > 0 && core_job_get(repo, id, &j) == CORE_OK) {
        print_info(&j);
        printf("  outcomes:\n");
        print_counts(repo, id, &failed);
    }
    if (rc != CORE_OK) {
        int status = cli_core_error(v, repo, rc);
        if (id > 0)
            cli_error("job %ld stopped; 'colophon job resume %ld' continues it", id, id);
        return status;
    }
    if (failed > 0) {
        cli_error("%ld record(s) failed: 'colophon job show %ld --records failed' lists them "
                  "with the reasons",
                  failed, id);
        return CLI_USER;
    }
    printf("'colophon job show %ld --records' lists each record's outcome.\n", id);
    return CLI_OK;
}

/* ---- actions ---- */

static int
job_run(struct core_repo *repo, const struct cli_globals *g, const char *kind,
        const struct job_opts *o, int nparams, char **params)
{
    const struct cli_verb *v = &cli_verb_job;
    struct core_job_params p;
    int rc = core_job_params_parse(repo, nparams, params, &p);
    if (rc != CORE_OK)
        return cli_core_error(v, repo, rc);
    struct bar b = {.label = kind, .quiet = g->quiet};
    long id = 0;
    rc = core_job_run(repo, kind, o->set, &p, on_progress, &b, &id);
    cli_progress_end(b.p);
    core_job_params_free(&p);
    if (rc != CORE_OK && id == 0)
        return cli_core_error(v, repo, rc);
    return finish_report(repo, id, rc);
}

static int
job_resume(struct core_repo *repo, const struct cli_globals *g, long id)
{
    struct bar b = {.label = "resuming", .quiet = g->quiet};
    struct core_job_info j;
    int rc = core_job_get(repo, id, &j);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_job, repo, rc);
    long before = j.done;
    rc = core_job_resume(repo, id, on_progress, &b);
    cli_progress_end(b.p);
    if (rc == CORE_OK || rc == CORE_ERR_DB || rc == CORE_ERR_IO) {
        if (core_job_get(repo, id, &j) == CORE_OK)
            printf("Resumed job %ld: %ld record(s) had been done, %ld done now.\n", id, before,
                   j.done - before);
        return finish_report(repo, id, rc);
    }
    return cli_core_error(&cli_verb_job, repo, rc);
}

static int
job_list(struct core_repo *repo)
{
    struct core_job_info *jobs;
    size_t n;
    int rc = core_job_list(repo, &jobs, &n);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_job, repo, rc);
    if (n == 0)
        printf("No jobs ('colophon job run KIND --set NAME' runs one).\n");
    else
        printf("%5s  %-14s %-20s %-12s %15s  %-16s  %s\n", "ID", "KIND", "SET", "STATE", "DONE",
               "STARTED", "BY");
    for (size_t i = 0; i < n; i++) {
        char when[32], done[40];
        core_format_time(jobs[i].started, when, sizeof when);
        snprintf(done, sizeof done, "%ld/%ld", jobs[i].done, jobs[i].total);
        printf("%5ld  %-14s %-20s %-12s %15s  %-16s  %s\n", jobs[i].id, jobs[i].kind,
               jobs[i].set[0] ? jobs[i].set : "(deleted)", jobs[i].state, done, when,
               jobs[i].user);
    }
    free(jobs);
    return CLI_OK;
}

static int
job_show(struct core_repo *repo, long id, bool records, const char *outcome)
{
    const struct cli_verb *v = &cli_verb_job;
    struct core_job_info j;
    int rc = core_job_get(repo, id, &j);
    if (rc != CORE_OK)
        return cli_core_error(v, repo, rc);
    print_info(&j);
    printf("  outcomes:\n");
    long failed;
    print_counts(repo, id, &failed);
    if (strcmp(j.state, "interrupted") == 0)
        printf("The job was interrupted: 'colophon job resume %ld' continues it.\n", id);
    if (!records)
        return CLI_OK;
    struct core_job_count *counts;
    struct core_job_result *res;
    size_t nc, nr;
    rc = core_job_report(repo, id, &counts, &nc, &res, &nr);
    if (rc != CORE_OK)
        return cli_core_error(v, repo, rc);
    printf("Records%s%s:\n", outcome ? " with outcome " : "", outcome ? outcome : "");
    size_t shown = 0;
    for (size_t i = 0; i < nr; i++) {
        if (outcome && strcmp(res[i].outcome, outcome) != 0)
            continue;
        printf("%6ld  %s  %-12s%s%s\n", res[i].position, res[i].mms, res[i].outcome,
               res[i].detail[0] ? "  " : "", res[i].detail);
        shown++;
    }
    if (outcome && shown == 0)
        printf("  (none)\n");
    free(counts);
    free(res);
    return CLI_OK;
}

static int
job_kinds(void)
{
    const struct core_job_kind *const *k = core_job_kinds();
    for (size_t i = 0; k[i]; i++)
        printf("%-14s %s\n", k[i]->name, k[i]->summary);
    return CLI_OK;
}

/* ---- dispatch ---- */

static int
check_action(const char *action, int npos, const struct job_opts *o)
{
    const struct cli_verb *v = &cli_verb_job;
    bool run = strcmp(action, "run") == 0, show = strcmp(action, "show") == 0;
    bool resume = strcmp(action, "resume") == 0;
    bool noarg = strcmp(action, "list") == 0 || strcmp(action, "kinds") == 0;
    if (!run && !show && !resume && !noarg)
        return cli_usage_error(v, "unknown action '%s' (run, list, show, resume, kinds)", action);
    if (o->set && !run)
        return cli_usage_error(v, "--set goes with run");
    if (o->records && !show)
        return cli_usage_error(v, "--records goes with show");
    if (run && (npos < 1 || !o->set))
        return cli_usage_error(v, "run takes KIND --set NAME [KEY=VALUE...]");
    if (noarg && npos != 0)
        return cli_usage_error(v, "'job %s' takes no arguments", action);
    if (resume && npos != 1)
        return cli_usage_error(v, "resume takes a job ID");
    if (show && (npos < 1 || npos > 2 || (npos == 2 && !o->records)))
        return cli_usage_error(v, "show takes ID [--records [OUTCOME]]");
    return CLI_OK;
}

static int
run_job(const struct cli_globals *g, int argc, char **argv)
{
    struct job_opts o;
    int status = parse_args(argc, argv, &o);
    if (status != CLI_OK)
        return status < 0 ? CLI_OK : status;
    const char *action = argv[optind];
    int npos = argc - optind - 1;
    char **pos = argv + optind + 1;
    if ((status = check_action(action, npos, &o)) != CLI_OK)
        return status;
    long id = 0;
    if ((!strcmp(action, "show") || !strcmp(action, "resume")) && !parse_id(pos[0], &id))
        return cli_usage_error(&cli_verb_job, "'%s' is not a job ID (colophon job list)", pos[0]);
    if (!strcmp(action, "kinds"))
        return job_kinds();
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    if (!strcmp(action, "run"))
        status = job_run(repo, g, pos[0], &o, npos - 1, pos + 1);
    else if (!strcmp(action, "list"))
        status = job_list(repo);
    else if (!strcmp(action, "show"))
        status = job_show(repo, id, o.records, npos == 2 ? pos[1] : NULL);
    else
        status = job_resume(repo, g, id);
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_job = {
    .name = "job",
    .summary = "run a batch job on a set, list jobs, show a report, resume one",
    .run = run_job,
    .usage = job_usage,
};
