/*
 * jobs.c - a job on a set from the editor (SPEC §3.9).  M-J asks for the
 * set (the newest is offered; S on the Search tab's hits saves one), then
 * for the kind and its parameters as `colophon job run` takes them, or
 * `resume ID` for a job that was stopped.
 *
 * The job runs in the foreground: the status line shows how far it is,
 * drawn at once through the show hook (term.c), and Esc or C-c stops it
 * between two batches of records (core_job_stop): what is done stays done,
 * the rest is untouched, and the job can be resumed.  Its report follows.
 * Without a show hook (headless) the job simply runs to its end.
 */
#include "app-int.h"

#include "buf.h"
#include "job.h"
#include "keys.h"
#include "set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SHOW_EVERY 0.1 /* seconds between two progress frames */
#define BAR_W 10

static char job_set[128]; /* the set the last job ran on, offered again */

static void
trim_into(const char *text, char *out, size_t size)
{
    while (*text == ' ')
        text++;
    size_t n = strlen(text);
    while (n && text[n - 1] == ' ')
        n--;
    snprintf(out, size, "%.*s", (int)n, text);
}

/* The report of job `id` as text: counts, then each record's outcome. */
static void
show_job_report(struct tui_app *app, long id, const char *title)
{
    struct core_job_count *c = NULL;
    struct core_job_result *r = NULL;
    size_t nc = 0, nr = 0;
    if (core_job_report(app->repo, id, &c, &nc, &r, &nr) != CORE_OK) {
        tui_app_core_error(app, "Job report");
        return;
    }
    struct marc_buf b = MARC_BUF_INIT;
    for (size_t i = 0; i < nc; i++)
        marc_buf_printf(&b, "%-14s %ld\n", c[i].outcome, c[i].n);
    marc_buf_puts(&b, "\n");
    for (size_t i = 0; i < nr; i++)
        marc_buf_printf(&b, "%s  %-12s %s\n", r[i].mms, r[i].outcome, r[i].detail);
    tui_app_show_text(app, title, b.data ? b.data : "");
    marc_buf_free(&b);
    free(c);
    free(r);
}

/* ---- progress ---- */

struct job_progress {
    struct tui_app *app;
    const char *what;  /* "link-to-nz on big-set" */
    long *id;          /* set by core_job_run before the first record */
    double last;       /* when the last frame was shown (0: none yet) */
    bool stopping;
};

static double
seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
progress_message(struct job_progress *jp, long done, long total)
{
    int pct = total > 0 ? (int)(done * 100 / total) : 100;
    char bar[BAR_W + 1];
    int full = total > 0 ? (int)(done * BAR_W / total) : BAR_W;
    for (int i = 0; i < BAR_W; i++)
        bar[i] = i < full ? '#' : '-';
    bar[BAR_W] = '\0';
    if (jp->stopping)
        tui_app_message(jp->app, TUI_MSG_WARNING,
                        "Job %ld %s: stopping after record %ld of %ld (what is done stays)",
                        *jp->id, jp->what, done, total);
    else
        tui_app_message(jp->app, TUI_MSG_INFO, "Job %ld %s: %ld/%ld [%s] %d%% (Esc stops)",
                        *jp->id, jp->what, done, total, bar, pct);
}

/* core_job_progress_fn: the status line, at most every SHOW_EVERY seconds,
 * and a look at the keys typed meanwhile. */
static void
on_progress(void *ctx, long done, long total)
{
    struct job_progress *jp = ctx;
    double now = seconds();
    if (jp->last > 0 && now - jp->last < SHOW_EVERY && done < total)
        return;
    jp->last = now;
    progress_message(jp, done, total);
    int key = tui_app_show_now(jp->app);
    if (!jp->stopping && (key == TUI_KEY_ESC || key == TUI_CTRL('c') || key == TUI_CTRL('g'))) {
        jp->stopping = true;
        core_job_stop(jp->app->repo);
        progress_message(jp, done, total);
        tui_app_show_now(jp->app);
    }
}

/* ---- after the job ---- */

static void
job_finished(struct tui_app *app, long id, int rc)
{
    struct core_job_info ji;
    if (core_job_get(app->repo, id, &ji) != CORE_OK) {
        tui_app_core_error(app, "Job");
        return;
    }
    char title[300];
    bool complete = strcmp(ji.state, "done") == 0;
    if (complete)
        snprintf(title, sizeof title, "Job %ld %s on set %s: %ld record(s)", id, ji.kind, ji.set,
                 ji.total);
    else
        snprintf(title, sizeof title, "Job %ld %s on set %s: %s at %ld of %ld", id, ji.kind,
                 ji.set, strcmp(ji.state, "interrupted") == 0 ? "stopped" : ji.state, ji.done,
                 ji.total);
    char msg[512];
    snprintf(msg, sizeof msg, "%s", core_repo_errmsg(app->repo));
    /* the job may have changed the record on the left: reloaded first, so
     * that the job's message is the one left on the bottom line */
    if (app->have_record && !tui_editor_modified(app->ed))
        tui_app_reload(app);
    show_job_report(app, id, title);
    if (complete)
        tui_app_message(app, TUI_MSG_INFO, "Job %ld done (colophon job show %ld shows it again)",
                        id, id);
    else if (strcmp(ji.state, "interrupted") == 0)
        tui_app_message(app, TUI_MSG_WARNING,
                        "Job %ld stopped at %ld of %ld. Resumable: M-J, then resume %ld", id,
                        ji.done, ji.total, id);
    else
        tui_app_message(app, TUI_MSG_ERROR, "Job %ld %s: %s (M-J, then resume %ld, continues it)",
                        id, ji.state, rc != CORE_OK ? msg : "", id);
}

static void
resume_job(struct tui_app *app, const char *arg)
{
    char *end;
    long id = strtol(arg, &end, 10);
    if (end == arg || *end || id <= 0) {
        tui_app_message(app, TUI_MSG_ERROR, "resume takes a job number, not '%s'", arg);
        return;
    }
    struct core_job_info ji;
    if (core_job_get(app->repo, id, &ji) != CORE_OK) {
        tui_app_core_error(app, "Job not resumed");
        return;
    }
    char what[200];
    snprintf(what, sizeof what, "%s on %s (resumed)", ji.kind, ji.set);
    struct job_progress jp = {.app = app, .what = what, .id = &id};
    int rc = core_job_resume(app->repo, id, on_progress, &jp);
    if (rc != CORE_OK && jp.last == 0) {
        /* refused before any record: complete, running elsewhere, a role */
        tui_app_core_error(app, "Job not resumed");
        return;
    }
    job_finished(app, id, rc);
}

/* Split a line into words; words without '=' after the second continue
 * the value before them (text=Check the imprint needs no quotes). */
static int
split_words(char *line, char **argv, int max)
{
    int argc = 0;
    char *save = NULL;
    for (char *w = strtok_r(line, " \t", &save); w && argc < max;
         w = strtok_r(NULL, " \t", &save)) {
        if (argc >= 2 && !strchr(w, '=')) {
            char *gap = w - 1;
            while (*gap != '\0')
                gap--;
            *gap = ' ';
            continue;
        }
        argv[argc++] = w;
    }
    return argc;
}

static void
job_line_done(struct tui_app *app, void *ctx, const char *text)
{
    if (!text)
        return;
    char line[1024];
    snprintf(line, sizeof line, "%s", text);
    char *argv[32];
    int argc = split_words(line, argv, 32);
    if (!argc) {
        tui_app_message(app, TUI_MSG_INFO, "No job run");
        return;
    }
    if (strcmp(argv[0], "resume") == 0) {
        resume_job(app, argc > 1 ? argv[1] : "");
        return;
    }
    struct core_job_params p = {0};
    if (core_job_params_parse(app->repo, argc - 1, argv + 1, &p) != CORE_OK) {
        tui_app_core_error(app, "Job not run");
        return;
    }
    long id = 0;
    char what[200];
    snprintf(what, sizeof what, "%s on %s", argv[0], job_set);
    struct job_progress jp = {.app = app, .what = what, .id = &id};
    int rc = core_job_run(app->repo, argv[0], job_set, &p, on_progress, &jp, &id);
    core_job_params_free(&p);
    if (rc != CORE_OK && id == 0) {
        tui_app_core_error(app, "Job not run");
        return;
    }
    job_finished(app, id, rc);
}

/* ---- asking ---- */

static void
job_set_done(struct tui_app *app, void *ctx, const char *text)
{
    if (!text)
        return;
    trim_into(text, job_set, sizeof job_set);
    struct core_set_info si;
    if (core_set_get(app->repo, job_set, &si) != CORE_OK) {
        tui_app_core_error(app, "Job");
        return;
    }
    char kinds[256] = "";
    for (const struct core_job_kind *const *k = core_job_kinds(); *k; k++) {
        size_t n = strlen(kinds);
        snprintf(kinds + n, sizeof kinds - n, "%s%s", n ? ", " : "", (*k)->name);
    }
    char q[400];
    snprintf(q, sizeof q,
             "Job on %s (%s): KIND key=value ...  (resume ID continues a stopped job)", job_set,
             si.logical ? "logical" : "itemized");
    tui_app_prompt(app, q, "", job_line_done, NULL);
    tui_app_message(app, TUI_MSG_INFO, "Kinds: %s (parameters as for colophon job run)", kinds);
}

void
tui_cmd_run_job(struct tui_app *app)
{
    struct core_set_info *sets = NULL;
    size_t n = 0;
    char names[200] = "", newest[128] = "";
    time_t when = 0;
    if (core_set_list(app->repo, &sets, &n) == CORE_OK)
        for (size_t i = 0; i < n; i++) {
            size_t len = strlen(names);
            snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "", sets[i].name);
            if (sets[i].created >= when) {
                when = sets[i].created;
                snprintf(newest, sizeof newest, "%s", sets[i].name);
            }
        }
    free(sets);
    if (!job_set[0]) /* offer the newest set, likely the one just saved */
        snprintf(job_set, sizeof job_set, "%s", newest);
    if (!n) {
        tui_app_message(app, TUI_MSG_INFO, "No sets yet: S on the Search tab's hits saves one");
        return;
    }
    char q[300];
    snprintf(q, sizeof q, "Run a job on the set (%s):", names);
    tui_app_prompt(app, q, job_set, job_set_done, NULL);
}
