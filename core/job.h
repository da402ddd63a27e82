/*
 * job.h - batch jobs on sets (SPEC §2 Job, §3.9).
 *
 * A job runs one operation on every record of a set.  A record's writes
 * and its result row commit together, so a job interrupted at any moment
 * (kill -9 included) has every record either done and reported or
 * untouched; `resume` continues with the first record without a result,
 * so no record is done twice and none is lost.  The report keeps counts per
 * outcome and the records of each outcome, in the repository.
 *
 * Records are committed in batches (up to 256 records, 100 ms: a commit's
 * pages and full-text flush cost as much for one record as for many; the
 * link-to-nz job on 100,000 records went from 45 s to 14 s).  When a
 * record fails, its batch is rolled back and done again one record per
 * transaction, so the failure is reported alone and the others stand.
 *
 * Kinds are listed in repo-job.c's table; each defines a per-record function:
 *   link-to-nz    (repo-link-find.c)       add-reminders  (reminder.c)
 *   normalize     (rule=NAME)              delete         (SPEC §3.7 rules)
 *   export        (file=PATH, format=...)
 */
#ifndef CORE_JOB_H
#define CORE_JOB_H

#include "core.h"
#include "mms.h"
#include "repo.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Parameters "key=value" as given on the command line. */
struct core_job_params {
    size_t n;
    char (*key)[64];
    char (*value)[512];
};
/* Value of key, or def. */
const char *core_job_param(const struct core_job_params *p, const char *key, const char *def);
/* Parse "k=v" strings; CORE_ERR_USER naming the bad one. */
int core_job_params_parse(struct core_repo *repo, int argc, char **argv,
                          struct core_job_params *out);
void core_job_params_free(struct core_job_params *p);

/* What happened to one record. */
struct core_job_outcome {
    char outcome[32];  /* e.g. "linked", "skipped", "failed" */
    char detail[512];  /* reason, candidates, ... */
};

/*
 * A job kind.  begin() checks parameters and roles once (may set *state);
 * one() handles one record and must do all its writes inside the
 * transaction it is called in (it may fail: the record is reported
 * "failed" with the message, nothing of it is written); end() finishes
 * (e.g. closes an export file).
 */
struct core_job_kind {
    const char *name;
    const char *summary;
    int (*begin)(struct core_repo *repo, const struct core_job_params *p, long job_id,
                 bool resuming, void **state);
    int (*one)(struct core_repo *repo, void *state, const char *mms,
               struct core_job_outcome *out);
    int (*end)(struct core_repo *repo, void *state, bool complete);
};

/* The kinds Colophon knows, NULL-terminated. */
const struct core_job_kind *const *core_job_kinds(void);

struct core_job_info {
    long id;
    char kind[32];
    char set[128];
    char params[1024];
    char state[16];   /* running, done, failed, interrupted */
    long total, done;
    time_t started, finished;
    char user[64];
    int pid;
};

/* Progress: records done of total. */
typedef void (*core_job_progress_fn)(void *ctx, long done, long total);

/* Run kind on the members of set; *job_id gets the new job's number. */
int core_job_run(struct core_repo *repo, const char *kind, const char *set,
                 const struct core_job_params *p, core_job_progress_fn progress, void *pctx,
                 long *job_id);
/* Continue an interrupted job (or one stopped with core_job_stop). */
int core_job_resume(struct core_repo *repo, long job_id, core_job_progress_fn progress,
                    void *pctx);
/*
 * Ask the job running on repo to stop: meant for its progress callback
 * (the editor's Esc).  The records committed so far stay, with their
 * results; the job stops before the next batch (a batch lasts at most
 * 0.1 s), is left "interrupted", and core_job_run / core_job_resume return
 * CORE_ERR_USER saying so.  core_job_resume continues it later.
 */
void core_job_stop(struct core_repo *repo);
int core_job_get(struct core_repo *repo, long job_id, struct core_job_info *info);
int core_job_list(struct core_repo *repo, struct core_job_info **out, size_t *n);

/* One line of a report. */
struct core_job_result {
    long position;
    char mms[CORE_MMS_MAX];
    char outcome[32];
    char detail[512];
};
struct core_job_count {
    char outcome[32];
    long n;
};
/* Counts per outcome, and (when results is not NULL) every record's line. */
int core_job_report(struct core_repo *repo, long job_id, struct core_job_count **counts,
                    size_t *ncounts, struct core_job_result **results, size_t *nresults);

#endif
