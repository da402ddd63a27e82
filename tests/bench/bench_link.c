/*
 * bench_link.c - time the link-to-nz job (SPEC §9: a 100,000-record set in
 * at most 20 s), the helper of bench_link.sh.
 *
 * Usage: bench_link REPO N [PARAM=VALUE...]
 *
 * REPO's IZ holds N bibs imported first (MMS IDs 99100000001..1234 in
 * order) and its NZ the records they should match.  Makes an itemized set
 * of the N bibs, runs the job on it as user "bench" with the parameters
 * given (default: oclc-unique for both), and prints the wall and CPU time,
 * records per second and the report's counts.  Prints figures, never
 * asserts a timing.
 */
#include "job.h"
#include "link.h"
#include "repo.h"
#include "set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void
progress(void *ctx, long done, long total)
{
    double *t0 = ctx;
    if (done % 10000 == 0)
        fprintf(stderr, "bench_link: %ld of %ld records, %.1f s\n", done, total, now() - *t0);
}

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_link REPO N [PARAM=VALUE...]\n");
        return 2;
    }
    long n = atol(argv[2]);
    char *cause = NULL;
    struct core_repo *repo = core_repo_open(argv[1], "bench", &cause);
    if (!repo) {
        fprintf(stderr, "bench_link: %s\n", cause);
        return 1;
    }
    char (*ids)[CORE_MMS_MAX] = malloc((size_t)n * sizeof *ids);
    const char **ptrs = malloc((size_t)n * sizeof *ptrs);
    const char *code = core_repo_zone_code(repo, CORE_ZONE_IZ);
    for (long i = 0; i < n; i++) {
        core_mms_format(CORE_MMS_BIB, CORE_MMS_SEQ_START + 1 + i, code, ids[i]);
        ptrs[i] = ids[i];
    }
    char name[64];
    snprintf(name, sizeof name, "bench-link-%ld-%ld", n, (long)time(NULL));
    double t0 = now();
    if (core_set_create_ids(repo, name, ptrs, (size_t)n) != CORE_OK) {
        fprintf(stderr, "bench_link: set: %s\n", core_repo_errmsg(repo));
        return 1;
    }
    printf("set of %ld records created in %.2f s\n", n, now() - t0);
    struct core_job_params p;
    if (core_job_params_parse(repo, argc - 3, argv + 3, &p) != CORE_OK) {
        fprintf(stderr, "bench_link: %s\n", core_repo_errmsg(repo));
        return 2;
    }
    long job = 0;
    double c0 = cpu();
    t0 = now();
    int rc = core_job_run(repo, "link-to-nz", name, &p, progress, &t0, &job);
    double wall = now() - t0, used = cpu() - c0;
    if (rc != CORE_OK) {
        fprintf(stderr, "bench_link: job: %s\n", core_repo_errmsg(repo));
        return 1;
    }
    printf("link-to-nz job %ld on %ld records: %.2f s wall, %.2f s CPU, %.0f records/s "
           "(budget SPEC §9: 100,000 in 20 s)\n",
           job, n, wall, used, (double)n / wall);
    struct core_job_count *counts;
    size_t nc;
    core_job_report(repo, job, &counts, &nc, NULL, NULL);
    printf("outcomes:");
    for (size_t i = 0; i < nc; i++)
        printf(" %s %ld%s", counts[i].outcome, counts[i].n, i + 1 < nc ? "," : "\n");
    free(counts);
    core_job_params_free(&p);
    free(ids);
    free(ptrs);
    core_repo_close(repo);
    return 0;
}
