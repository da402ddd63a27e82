/*
 * repo-job.c - running jobs on sets, resuming them, reporting (see job.h),
 * and the generic job kinds: normalize, delete, export.
 *
 * The member list is frozen into job_result rows (outcome '' = pending) when
 * the job starts, so a logical set evaluated once is what the job works on,
 * even when it is resumed after the data changed.
 */
#include "repo-int.h"

#include "job.h"
#include "rulestore.h"
#include "set.h"

#include "writer.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- parameters ---- */

const char *
core_job_param(const struct core_job_params *p, const char *key, const char *def)
{
    for (size_t i = 0; p && i < p->n; i++)
        if (strcmp(p->key[i], key) == 0)
            return p->value[i];
    return def;
}

int
core_job_params_parse(struct core_repo *repo, int argc, char **argv, struct core_job_params *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        if (!eq || eq == argv[i] || eq - argv[i] >= 64 || strlen(eq + 1) >= 512 ||
            strchr(argv[i], '\n')) {
            core_job_params_free(out);
            return repo_fail(repo, CORE_ERR_USER, "job parameter '%s' must read key=value",
                             argv[i]);
        }
        out->key = xrealloc(out->key, (out->n + 1) * sizeof *out->key);
        out->value = xrealloc(out->value, (out->n + 1) * sizeof *out->value);
        snprintf(out->key[out->n], 64, "%.*s", (int)(eq - argv[i]), argv[i]);
        snprintf(out->value[out->n], 512, "%s", eq + 1);
        out->n++;
    }
    return CORE_OK;
}

void
core_job_params_free(struct core_job_params *p)
{
    if (!p)
        return;
    free(p->key);
    free(p->value);
    memset(p, 0, sizeof *p);
}

/* Stored one "key=value" a line (values cannot hold newlines: refused at parse). */
static void
params_text(const struct core_job_params *p, struct marc_buf *b)
{
    for (size_t i = 0; p && i < p->n; i++)
        marc_buf_printf(b, "%s=%s\n", p->key[i], p->value[i]);
}

static void
params_from_text(const char *text, struct core_job_params *p)
{
    memset(p, 0, sizeof *p);
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        const char *eq = memchr(line, '=', len);
        if (eq) {
            p->key = xrealloc(p->key, (p->n + 1) * sizeof *p->key);
            p->value = xrealloc(p->value, (p->n + 1) * sizeof *p->value);
            snprintf(p->key[p->n], 64, "%.*s", (int)(eq - line), line);
            snprintf(p->value[p->n], 512, "%.*s", (int)(len - (size_t)(eq - line) - 1), eq + 1);
            p->n++;
        }
        line += len + (nl ? 1 : 0);
    }
}

/* ---- generic kinds ---- */

/* delete: SPEC §3.7's rules for every record. */
static int
delete_begin(struct core_repo *repo, const struct core_job_params *p, long job_id, bool resuming,
             void **state)
{
    return core_require_role(repo, CORE_ROLE_CATALOGER_EXTENDED, "the delete job");
}

static int
delete_one(struct core_repo *repo, void *state, const char *mms, struct core_job_outcome *out)
{
    int rc = core_record_delete(repo, mms);
    if (rc == CORE_OK)
        snprintf(out->outcome, sizeof out->outcome, "deleted");
    return rc;
}

/* normalize rule=NAME: apply a stored normalization rule, save when it changed something. */
static int
normalize_begin(struct core_repo *repo, const struct core_job_params *p, long job_id,
                bool resuming, void **state)
{
    const char *name = core_job_param(p, "rule", NULL);
    if (!name)
        return repo_fail(repo, CORE_ERR_USER, "the normalize job needs rule=NAME");
    int rc = core_require_role(repo, CORE_ROLE_CATALOGER | CORE_ROLE_CATALOGER_EXTENDED,
                               "the normalize job");
    struct core_rules *rs = NULL;
    if (rc == CORE_OK)
        rc = core_rule_load(repo, name, &rs);
    if (rc == CORE_OK && core_rules_kind(rs) != CORE_RULE_NORMALIZATION) {
        rc = repo_fail(repo, CORE_ERR_USER, "rule %s is a %s rule, not a normalization rule", name,
                       core_rule_kind_name(core_rules_kind(rs)));
        core_rules_free(rs);
        rs = NULL;
    }
    *state = rs;
    return rc;
}

static int
normalize_one(struct core_repo *repo, void *state, const char *mms, struct core_job_outcome *out)
{
    struct marc_record *r = marc_record_new();
    struct core_record_info info;
    int changes = 0;
    int rc = core_record_get(repo, mms, r, &info);
    if (rc == CORE_OK && core_rules_apply(state, r, &changes) != 0)
        rc = repo_fail(repo, CORE_ERR_INVALID, "the rule would make an invalid record");
    if (rc == CORE_OK && changes > 0)
        rc = core_record_save(repo, mms, r, info.version, "rule", false, NULL, NULL, NULL);
    if (rc == CORE_OK) {
        snprintf(out->outcome, sizeof out->outcome, "%s", changes ? "changed" : "unchanged");
        if (changes)
            snprintf(out->detail, sizeof out->detail, "%d change(s)", changes);
    }
    marc_record_free(r);
    return rc;
}

static int
normalize_end(struct core_repo *repo, void *state, bool complete)
{
    core_rules_free(state);
    return CORE_OK;
}

/*
 * export file=PATH [format=iso2709|marcxml|mrk|json]: each record is
 * checked readable and marked; the file is written in one pass when the job
 * completes (temporary file renamed into place), so an interrupted export
 * never leaves half a file.
 */
struct export_state {
    char *path;
    enum marc_format format;
    long job_id;
};

static int
export_begin(struct core_repo *repo, const struct core_job_params *p, long job_id, bool resuming,
             void **state)
{
    const char *path = core_job_param(p, "file", NULL);
    if (!path)
        return repo_fail(repo, CORE_ERR_USER, "the export job needs file=PATH");
    const char *fmt = core_job_param(p, "format", NULL);
    enum marc_format f = fmt ? marc_format_from_name(fmt) : marc_format_from_path(path);
    if (f == MARC_FMT_UNKNOWN)
        f = MARC_FMT_ISO2709;
    struct export_state *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    s->format = f;
    s->job_id = job_id;
    *state = s;
    return CORE_OK;
}

static int
export_one(struct core_repo *repo, void *state, const char *mms, struct core_job_outcome *out)
{
    int rc = core_record_get(repo, mms, repo->scratch, NULL);
    if (rc == CORE_OK)
        snprintf(out->outcome, sizeof out->outcome, "exported");
    return rc;
}

static int
export_write(struct core_repo *repo, struct export_state *s)
{
    char *tmp = xasprintf("%s.partial-%ld", s->path, (long)getpid());
    FILE *fp = fopen(tmp, "w");
    if (!fp) {
        int rc = repo_fail(repo, CORE_ERR_IO, "cannot create %s: %s", tmp, strerror(errno));
        free(tmp);
        return rc;
    }
    struct marc_write_opts wo = {.format = s->format};
    struct marc_writer *w = marc_writer_new(fp, &wo, NULL);
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 "SELECT mms FROM {Z}.job_result WHERE job = ?1 AND outcome = "
                                 "'exported' ORDER BY position");
    int rc = st ? CORE_OK : CORE_ERR_DB;
    char (*ids)[CORE_MMS_MAX] = NULL;
    size_t n = 0;
    if (st) {
        sqlite3_bind_int64(st, 1, s->job_id);
        while (sqlite3_step(st) == SQLITE_ROW) {
            ids = xrealloc(ids, (n + 1) * sizeof *ids);
            snprintf(ids[n++], CORE_MMS_MAX, "%s", repo_col_text(st, 0));
        }
        sqlite3_reset(st);
    }
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        rc = core_record_get(repo, ids[i], repo->scratch, NULL);
        struct marc_decode_ctx ctx = {.record = (long)i + 1};
        if (rc == CORE_OK && marc_writer_write(w, repo->scratch, &ctx) != MARC_OK)
            rc = repo_fail(repo, CORE_ERR_IO, "writing %s failed", s->path);
    }
    if (rc == CORE_OK && marc_writer_finish(w) != MARC_OK)
        rc = repo_fail(repo, CORE_ERR_IO, "writing %s failed", s->path);
    marc_writer_free(w);
    if (fclose(fp) != 0 && rc == CORE_OK)
        rc = repo_fail(repo, CORE_ERR_IO, "writing %s failed: %s", s->path, strerror(errno));
    if (rc == CORE_OK && rename(tmp, s->path) != 0)
        rc = repo_fail(repo, CORE_ERR_IO, "cannot create %s: %s", s->path, strerror(errno));
    if (rc != CORE_OK)
        unlink(tmp);
    free(tmp);
    free(ids);
    return rc;
}

static int
export_end(struct core_repo *repo, void *state, bool complete)
{
    struct export_state *s = state;
    int rc = complete ? export_write(repo, s) : CORE_OK;
    free(s->path);
    free(s);
    return rc;
}

static const struct core_job_kind kind_delete = {"delete", "delete bibs (SPEC §3.7 rules)",
                                                 delete_begin, delete_one, NULL};
static const struct core_job_kind kind_normalize = {
    "normalize", "apply a normalization rule (rule=NAME)", normalize_begin, normalize_one,
    normalize_end};
static const struct core_job_kind kind_export = {
    "export", "write the records to a file (file=PATH format=...)", export_begin, export_one,
    export_end};

/* The kinds workflow modules define (each in its own file). */
extern const struct core_job_kind core_job_add_reminders;
extern const struct core_job_kind core_job_link_to_nz;

static const struct core_job_kind *const kinds[] = {&kind_normalize, &kind_delete, &kind_export,
                                               &core_job_add_reminders, &core_job_link_to_nz, NULL};

const struct core_job_kind *const *
core_job_kinds(void)
{
    return kinds;
}

static const struct core_job_kind *
find_kind(const char *name)
{
    for (size_t i = 0; kinds[i]; i++)
        if (strcmp(kinds[i]->name, name) == 0)
            return kinds[i];
    return NULL;
}

/* ---- running ---- */

static int
job_update(struct core_repo *repo, long job_id, const char *state, bool finished)
{
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 "UPDATE {Z}.job SET state = ?2, finished_at = CASE WHEN ?3 THEN "
                                 "?4 ELSE finished_at END, pid = ?5 WHERE id = ?1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, job_id);
    repo_bind_text(st, 2, state);
    sqlite3_bind_int(st, 3, finished);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)core_now());
    sqlite3_bind_int(st, 5, (int)getpid());
    int rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "updating a job");
    sqlite3_reset(st);
    return rc;
}

/* Record one result (inside the record's transaction) and count it done. */
static int
job_result(struct core_repo *repo, long job_id, long position, const struct core_job_outcome *o)
{
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 "UPDATE {Z}.job_result SET outcome = ?3, detail = ?4 WHERE job = "
                                 "?1 AND position = ?2");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, job_id);
    sqlite3_bind_int64(st, 2, position);
    repo_bind_text(st, 3, o->outcome[0] ? o->outcome : "done");
    repo_bind_text(st, 4, o->detail);
    int rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "recording a result");
    sqlite3_reset(st);
    if (rc != CORE_OK)
        return rc;
    st = repo_stmt(repo, CORE_ZONE_IZ, "UPDATE {Z}.job SET done = done + 1 WHERE id = ?1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, job_id);
    rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "counting progress");
    sqlite3_reset(st);
    return rc;
}

/* Handle one record: its writes and its result together, or its failure alone. */
static int
run_one(struct core_repo *repo, const struct core_job_kind *k, void *state, long job_id,
        long position, const char *mms)
{
    struct core_job_outcome o;
    memset(&o, 0, sizeof o);
    int rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    rc = k->one(repo, state, mms, &o);
    if (rc == CORE_OK)
        rc = job_result(repo, job_id, position, &o);
    if (rc == CORE_OK)
        return repo_commit(repo);
    repo_rollback(repo); /* nothing of this record stays */
    if (rc == CORE_ERR_DB || rc == CORE_ERR_IO)
        return rc;
    memset(&o, 0, sizeof o);
    snprintf(o.outcome, sizeof o.outcome, "failed");
    snprintf(o.detail, sizeof o.detail, "%s", core_repo_errmsg(repo));
    rc = repo_begin(repo);
    if (rc == CORE_OK)
        rc = job_result(repo, job_id, position, &o);
    if (rc == CORE_OK)
        return repo_commit(repo);
    repo_rollback(repo);
    return rc;
}

static double
seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Records per transaction, and seconds a transaction may last (job.h). */
#define JOB_BATCH 256
#define JOB_BATCH_SECONDS 0.1

/*
 * Records from..n-1 in one transaction: JOB_BATCH records at most, and
 * JOB_BATCH_SECONDS at most (other writers wait for it).  *done gets how
 * many were handled and committed.  When one fails, nothing of the batch
 * stays and *done is how many to do again one by one: up to the failing
 * record.
 */
static int
run_batch(struct core_repo *repo, const struct core_job_kind *k, void *state, long job_id,
          const long *pos, char (*mms)[CORE_MMS_MAX], size_t from, size_t n, size_t *done)
{
    int rc = repo_begin(repo);
    double t0 = seconds();
    size_t i = from;
    for (; rc == CORE_OK && i < n && i - from < JOB_BATCH; i++) {
        if (i > from && seconds() - t0 > JOB_BATCH_SECONDS)
            break;
        struct core_job_outcome o;
        memset(&o, 0, sizeof o);
        rc = k->one(repo, state, mms[i], &o);
        if (rc == CORE_OK)
            rc = job_result(repo, job_id, pos[i], &o);
    }
    if (rc == CORE_OK)
        rc = repo_commit(repo);
    if (rc == CORE_OK) {
        *done = i - from;
        return CORE_OK;
    }
    repo_rollback(repo); /* nothing of the batch stays */
    *done = i > from ? i - from : 1;
    return rc;
}

static int
run_pending(struct core_repo *repo, const struct core_job_kind *k, void *state, long job_id,
            long total, core_job_progress_fn progress, void *pctx)
{
    long last = 0; /* positions up to here are done: the scan starts after them */
    for (;;) {
        /* Read a batch of pending positions, handled in order. */
        sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                     "SELECT position, mms FROM {Z}.job_result WHERE job = ?1 AND "
                                     "position > ?2 AND outcome = '' ORDER BY position LIMIT 256");
        if (!st)
            return CORE_ERR_DB;
        sqlite3_bind_int64(st, 1, job_id);
        sqlite3_bind_int64(st, 2, last);
        long pos[256];
        char mms[256][CORE_MMS_MAX];
        size_t n = 0;
        while (n < 256 && sqlite3_step(st) == SQLITE_ROW) {
            pos[n] = (long)sqlite3_column_int64(st, 0);
            snprintf(mms[n], CORE_MMS_MAX, "%s", repo_col_text(st, 1));
            n++;
        }
        sqlite3_reset(st);
        if (n == 0)
            return CORE_OK;
        last = pos[n - 1];
        for (size_t i = 0; i < n;) {
            /* asked from the progress callback: stop between batches (the
             * positions before this one all have their result) */
            if (repo->job_stop)
                return repo_fail(repo, CORE_ERR_USER,
                                 "job %ld stopped: %ld of %ld records done; resuming it "
                                 "continues with the next",
                                 job_id, pos[i] - 1, total);
            size_t done = 1;
            bool batched = run_batch(repo, k, state, job_id, pos, mms, i, n, &done) == CORE_OK;
            /* A record of the batch failed: the batch again, one by one. */
            for (size_t d = 0; !batched && d < done; d++) {
                int rc = run_one(repo, k, state, job_id, pos[i + d], mms[i + d]);
                if (rc != CORE_OK)
                    return rc;
            }
            for (size_t d = 0; progress && d < done; d++)
                progress(pctx, pos[i + d], total);
            i += done;
        }
    }
}

void
core_job_stop(struct core_repo *repo)
{
    repo->job_stop = true;
}

static int
finish(struct core_repo *repo, const struct core_job_kind *k, void *state, long job_id, int rc)
{
    int erc = k->end ? k->end(repo, state, rc == CORE_OK) : CORE_OK;
    if (rc == CORE_OK)
        rc = erc;
    char msg[sizeof repo->errmsg];
    memcpy(msg, repo->errmsg, sizeof msg);
    /* stopped on request: resumable, like a job whose process went away */
    job_update(repo, job_id,
               rc == CORE_OK ? "done" : repo->job_stop ? "interrupted" : "failed", true);
    memcpy(repo->errmsg, msg, sizeof msg);
    repo->job_stop = false;
    return rc;
}

static int
create_job(struct core_repo *repo, const char *kind, const struct core_set_info *set,
           const struct core_job_params *p, char (*mms)[CORE_MMS_MAX], size_t n, long *job_id)
{
    int rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    struct marc_buf text = MARC_BUF_INIT;
    params_text(p, &text);
    char host[128] = "";
    gethostname(host, sizeof host - 1);
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 "INSERT INTO {Z}.job (kind, set_id, params, state, total, "
                                 "started_at, user, pid, host) VALUES (?1, ?2, ?3, 'running', ?4, "
                                 "?5, ?6, ?7, ?8)");
    if (!st) {
        rc = CORE_ERR_DB;
    } else {
        repo_bind_text(st, 1, kind);
        sqlite3_bind_int64(st, 2, set->id);
        repo_bind_text(st, 3, text.data ? text.data : "");
        sqlite3_bind_int64(st, 4, (sqlite3_int64)n);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)core_now());
        repo_bind_text(st, 6, repo->user);
        sqlite3_bind_int(st, 7, (int)getpid());
        repo_bind_text(st, 8, host);
        rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "creating a job");
        sqlite3_reset(st);
    }
    marc_buf_free(&text);
    *job_id = (long)sqlite3_last_insert_rowid(repo->db);
    st = rc == CORE_OK ? repo_stmt(repo, CORE_ZONE_IZ,
                                   "INSERT INTO {Z}.job_result (job, position, mms) VALUES (?1, "
                                   "?2, ?3)")
                       : NULL;
    for (size_t i = 0; st && rc == CORE_OK && i < n; i++) {
        sqlite3_bind_int64(st, 1, *job_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
        repo_bind_text(st, 3, mms[i]);
        rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "creating a job");
        sqlite3_reset(st);
    }
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    return repo_commit(repo);
}

/* Remove a job that could not start (its begin() refused). */
static void
forget_job(struct core_repo *repo, long id)
{
    char msg[sizeof repo->errmsg];
    memcpy(msg, repo->errmsg, sizeof msg);
    static const char *sql[] = {"DELETE FROM {Z}.job_result WHERE job = ?1",
                                "DELETE FROM {Z}.job WHERE id = ?1"};
    if (repo_begin(repo) == CORE_OK) {
        for (size_t i = 0; i < 2; i++) {
            sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ, sql[i]);
            if (st) {
                sqlite3_bind_int64(st, 1, id);
                sqlite3_step(st);
                sqlite3_reset(st);
            }
        }
        repo_commit(repo);
    }
    memcpy(repo->errmsg, msg, sizeof msg);
}

int
core_job_run(struct core_repo *repo, const char *kind, const char *set,
             const struct core_job_params *p, core_job_progress_fn progress, void *pctx,
             long *job_id)
{
    const struct core_job_kind *k = find_kind(kind);
    if (!k) {
        struct marc_buf b = MARC_BUF_INIT;
        for (size_t i = 0; kinds[i]; i++)
            marc_buf_printf(&b, "%s%s", i ? ", " : "", kinds[i]->name);
        int rc = repo_fail(repo, CORE_ERR_USER, "no job kind '%s' (kinds: %s)", kind, b.data);
        marc_buf_free(&b);
        return rc;
    }
    struct core_set_info info;
    int rc = core_set_get(repo, set, &info);
    if (rc != CORE_OK)
        return rc;
    char (*mms)[CORE_MMS_MAX];
    size_t n;
    rc = core_set_members(repo, set, &mms, &n);
    long id = 0;
    if (rc == CORE_OK)
        rc = create_job(repo, kind, &info, p, mms, n, &id);
    free(mms);
    if (rc != CORE_OK)
        return rc;
    void *state = NULL;
    repo->job_stop = false;
    rc = k->begin ? k->begin(repo, p, id, false, &state) : CORE_OK;
    if (rc != CORE_OK) { /* parameters or role refused: the job never was */
        forget_job(repo, id);
        return rc;
    }
    if (job_id)
        *job_id = id;
    rc = run_pending(repo, k, state, id, (long)n, progress, pctx);
    return finish(repo, k, state, id, rc);
}

bool
repo_process_alive(int pid, const char *host)
{
    char me[128] = "";
    gethostname(me, sizeof me - 1);
    if (pid <= 0 || strcmp(host, me) != 0)
        return false;
    return kill(pid, 0) == 0 || errno == EPERM;
}

int
core_job_resume(struct core_repo *repo, long job_id, core_job_progress_fn progress, void *pctx)
{
    struct core_job_info info;
    int rc = core_job_get(repo, job_id, &info);
    if (rc != CORE_OK)
        return rc;
    if (strcmp(info.state, "done") == 0)
        return repo_fail(repo, CORE_ERR_USER, "job %ld is complete", job_id);
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ, "SELECT host FROM {Z}.job WHERE id = ?1");
    char host[128] = "";
    if (st) {
        sqlite3_bind_int64(st, 1, job_id);
        if (sqlite3_step(st) == SQLITE_ROW)
            snprintf(host, sizeof host, "%s", repo_col_text(st, 0));
        sqlite3_reset(st);
    }
    if (strcmp(info.state, "running") == 0 && info.pid != (int)getpid() &&
        repo_process_alive(info.pid, host))
        return repo_fail(repo, CORE_ERR_CONFLICT, "job %ld is still running (process %d)", job_id,
                         info.pid);
    const struct core_job_kind *k = find_kind(info.kind);
    if (!k)
        return repo_fail(repo, CORE_ERR_USER, "job %ld is of an unknown kind '%s'", job_id,
                         info.kind);
    struct core_job_params p;
    params_from_text(info.params, &p);
    void *state = NULL;
    repo->job_stop = false;
    rc = k->begin ? k->begin(repo, &p, job_id, true, &state) : CORE_OK;
    core_job_params_free(&p);
    if (rc != CORE_OK)
        return rc;
    rc = job_update(repo, job_id, "running", false);
    if (rc == CORE_OK)
        rc = run_pending(repo, k, state, job_id, info.total, progress, pctx);
    return finish(repo, k, state, job_id, rc);
}

static void
fill_job(sqlite3_stmt *st, struct core_job_info *j)
{
    memset(j, 0, sizeof *j);
    j->id = (long)sqlite3_column_int64(st, 0);
    snprintf(j->kind, sizeof j->kind, "%s", repo_col_text(st, 1));
    snprintf(j->set, sizeof j->set, "%s", repo_col_text(st, 2));
    snprintf(j->params, sizeof j->params, "%s", repo_col_text(st, 3));
    snprintf(j->state, sizeof j->state, "%s", repo_col_text(st, 4));
    j->total = (long)sqlite3_column_int64(st, 5);
    j->done = (long)sqlite3_column_int64(st, 6);
    j->started = (time_t)sqlite3_column_int64(st, 7);
    j->finished = (time_t)sqlite3_column_int64(st, 8);
    snprintf(j->user, sizeof j->user, "%s", repo_col_text(st, 9));
    j->pid = sqlite3_column_int(st, 10);
    /* A job left "running" by a process that is gone was interrupted. */
    if (strcmp(j->state, "running") == 0 && !repo_process_alive(j->pid, repo_col_text(st, 11)))
        snprintf(j->state, sizeof j->state, "interrupted");
}

#define JOB_COLUMNS                                                                                \
    "SELECT j.id, j.kind, coalesce(s.name, ''), j.params, j.state, j.total, j.done, "             \
    "j.started_at, coalesce(j.finished_at, 0), j.user, j.pid, j.host FROM {Z}.job j LEFT JOIN "   \
    "{Z}.record_set s ON s.id = j.set_id "

int
core_job_get(struct core_repo *repo, long job_id, struct core_job_info *info)
{
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ, JOB_COLUMNS "WHERE j.id = ?1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, job_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        fill_job(st, info);
    sqlite3_reset(st);
    if (step == SQLITE_DONE)
        return repo_fail(repo, CORE_ERR_NOTFOUND, "no job %ld", job_id);
    if (step != SQLITE_ROW)
        return repo_db_fail(repo, "reading a job");
    return CORE_OK;
}

int
core_job_list(struct core_repo *repo, struct core_job_info **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ, JOB_COLUMNS "ORDER BY j.id DESC");
    if (!st)
        return CORE_ERR_DB;
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        fill_job(st, &(*out)[(*n)++]);
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "listing jobs");
}

int
core_job_report(struct core_repo *repo, long job_id, struct core_job_count **counts,
                size_t *ncounts, struct core_job_result **results, size_t *nresults)
{
    *counts = NULL;
    *ncounts = 0;
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 "SELECT CASE outcome WHEN '' THEN 'pending' ELSE outcome END, "
                                 "count(*) FROM {Z}.job_result WHERE job = ?1 GROUP BY 1 ORDER BY 1");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, job_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        *counts = xrealloc(*counts, (*ncounts + 1) * sizeof **counts);
        struct core_job_count *c = &(*counts)[(*ncounts)++];
        snprintf(c->outcome, sizeof c->outcome, "%s", repo_col_text(st, 0));
        c->n = (long)sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (!results)
        return CORE_OK;
    *results = NULL;
    *nresults = 0;
    st = repo_stmt(repo, CORE_ZONE_IZ,
                   "SELECT position, mms, CASE outcome WHEN '' THEN 'pending' ELSE outcome END, "
                   "detail FROM {Z}.job_result WHERE job = ?1 ORDER BY position");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int64(st, 1, job_id);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*nresults == cap) {
            cap = cap ? cap * 2 : 64;
            *results = xrealloc(*results, cap * sizeof **results);
        }
        struct core_job_result *r = &(*results)[(*nresults)++];
        r->position = (long)sqlite3_column_int64(st, 0);
        snprintf(r->mms, sizeof r->mms, "%s", repo_col_text(st, 1));
        snprintf(r->outcome, sizeof r->outcome, "%s", repo_col_text(st, 2));
        snprintf(r->detail, sizeof r->detail, "%s", repo_col_text(st, 3));
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "reading a job report");
}
