/*
 * bench_search.c - search timings at catalogue size (SPEC §9: lookup by MMS
 * ID / OCLC / ISBN at 1,000,000 records <= 1 ms median; keyword search,
 * first 50 hits, <= 20 ms median).
 *
 * Usage: bench_search REPO [RUNS]
 *
 * REPO is a repository into which `colophon import` loaded a file made by
 * gen_records (and nothing before it), so record i (0-based) has MMS ID
 * 99<100000001+i><code>, OCLC number 100000000+7i and an ISBN-13 made from
 * 13i+7 (gen_records.c).  Lookups use random records (fixed seed) written
 * the way catalogers type them: OCLC with its ocn prefix, ISBN in its
 * ten-digit form.  Each word query runs RUNS times (default 50) after one
 * warm-up run; each lookup kind runs 20*RUNS times on different records.
 * Prints the hits of each query, the median and the 99th percentile in
 * milliseconds; a lookup that does not find its one record is counted as
 * a miss.  Never asserts timings.
 */
#include "core.h"
#include "mms.h"
#include "repo.h"
#include "search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void
report(const char *what, long hits, double *t, int n, long misses)
{
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    double median = t[n / 2];
    double p99 = t[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1];
    printf("%-44s %10ld %9.3f %9.3f", what, hits, median, p99);
    if (misses >= 0)
        printf("   %ld/%d missed", misses, n);
    putchar('\n');
}

static unsigned long long rng = 0x9E3779B97F4A7C15ULL;

static long
random_record(long n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (long)(rng % (unsigned long long)n);
}

/* The ISBN-10 of gen_records' ISBN-13 978<9 digits>: the same 9 digits, mod-11 check. */
static void
isbn10_of(long serial, char out[11])
{
    snprintf(out, 11, "%09ld", serial % 1000000000L);
    int sum = 0;
    for (int k = 0; k < 9; k++)
        sum += (out[k] - '0') * (10 - k);
    int check = (11 - sum % 11) % 11;
    out[9] = check == 10 ? 'X' : (char)('0' + check);
    out[10] = '\0';
}

enum lookup { BY_MMS, BY_OCLC, BY_ISBN };

static void
lookup_query(enum lookup kind, long i, const char *code, char *q, size_t size, char *want)
{
    core_mms_format(CORE_MMS_BIB, CORE_MMS_SEQ_START + 1 + i, code, want);
    if (kind == BY_MMS) {
        snprintf(q, size, "mms=%s", want);
    } else if (kind == BY_OCLC) {
        snprintf(q, size, "oclc=(OCoLC)ocn%ld", 100000000L + i * 7);
    } else {
        char isbn[11];
        isbn10_of(i * 13 + 7, isbn);
        snprintf(q, size, "isbn=%.1s-%.4s-%.4s-%s", isbn, isbn + 1, isbn + 5, isbn + 9);
    }
}

static int
bench_lookups(struct core_repo *repo, long nrec, int runs)
{
    static const char *names[] = {"lookup mms=ID", "lookup oclc=(OCoLC)ocnN",
                                  "lookup isbn=ISBN-10"};
    const char *code = core_repo_zone_code(repo, CORE_ZONE_IZ);
    double *t = malloc(sizeof *t * (size_t)runs);
    struct core_search_opts o = {.zone = CORE_ZONE_IZ};
    for (int kind = BY_MMS; kind <= BY_ISBN; kind++) {
        long misses = 0;
        for (int k = 0; k < runs; k++) {
            char q[128], want[CORE_MMS_MAX];
            lookup_query((enum lookup)kind, random_record(nrec), code, q, sizeof q, want);
            struct core_results res;
            double t0 = now_ms();
            int rc = core_search(repo, q, &o, &res);
            t[k] = now_ms() - t0;
            if (rc != CORE_OK) {
                fprintf(stderr, "bench_search: %s: %s\n", q, core_repo_errmsg(repo));
                free(t);
                return 1;
            }
            if (res.n != 1 || strcmp(res.hits[0].mms, want) != 0)
                misses++;
            core_results_free(&res);
        }
        report(names[kind], 1, t, runs, misses);
    }
    free(t);
    return 0;
}

struct word_query {
    const char *label;
    const char *query;
    bool physical;
};

static const struct word_query word_queries[] = {
    {"keyword, 14k hits (symphony)", "symphony", false},
    {"keyword, 43k hits (history)", "history", false},
    {"keyword, 271k hits (music)", "music", false},
    {"keyword, 1M hits (ocolc)", "ocolc", false},
    {"keyword with diacritics (Königin)", "Königin", false},
    {"two keywords (music history)", "music history", false},
    {"title phrase", "title=\"history of music\"", false},
    {"author truncated (verd*)", "author=verd*", false},
    {"subject + keyword", "subject=congresses computer", false},
    {"OR of two titles", "title=orfeo OR title=aida", false},
    {"keyword NOT keyword", "music NOT opera", false},
    {"truncated stem, 3 letters (sym*)", "sym*", false},
    {"truncated stem, 3 letters (com*)", "com*", false},
    {"100 hits, truncated (bench0000012*)", "bench0000012*", false},
    {"1,000 hits, truncated (bench000001*)", "bench000001*", false},
    {"~5,000 hits, ranked (5 truncations)",
     "bench000010* OR bench000011* OR bench000012* OR bench000013* OR bench000014*", false},
    {"10,000 hits, truncated (bench00001*)", "bench00001*", false},
    {"no hits (zzzzqqq)", "zzzzqqq", false},
    {"scope physical (music, none held)", "music", true},
    {"words AND identifier (computer isbn=...)", "computer isbn=0000000078", false},
    {"words OR identifier", "symphony OR oclc=100000000", false},
    {"linked!=network (1M, set algebra)", "linked!=network", false},
};

static int
bench_words(struct core_repo *repo, int runs)
{
    double *t = malloc(sizeof *t * (size_t)runs);
    for (size_t w = 0; w < sizeof word_queries / sizeof *word_queries; w++) {
        const struct word_query *wq = &word_queries[w];
        struct core_search_opts o = {.zone = CORE_ZONE_IZ, .physical = wq->physical, .count = true};
        struct core_results res;
        if (core_search(repo, wq->query, &o, &res) != CORE_OK) { /* warm-up, and the count */
            fprintf(stderr, "bench_search: %s: %s\n", wq->query, core_repo_errmsg(repo));
            free(t);
            return 1;
        }
        long total = res.total;
        core_results_free(&res);
        o.count = false;
        for (int k = 0; k < runs; k++) {
            double t0 = now_ms();
            core_search(repo, wq->query, &o, &res);
            t[k] = now_ms() - t0;
            core_results_free(&res);
        }
        report(wq->label, total, t, runs, -1);
    }
    free(t);
    return 0;
}

/* Number of bibs: a count through the search itself. */
static long
count_records(struct core_repo *repo)
{
    struct core_search_opts o = {.zone = CORE_ZONE_IZ, .count = true, .limit = 1};
    struct core_results res;
    if (core_search(repo, "linked!=network", &o, &res) != CORE_OK)
        return -1;
    long n = res.total;
    core_results_free(&res);
    return n;
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_search REPO [RUNS]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 50;
    if (runs < 1)
        runs = 50;
    char *cause = NULL;
    double t0 = now_ms();
    struct core_repo *repo = core_repo_open(argv[1], NULL, &cause);
    if (!repo) {
        fprintf(stderr, "bench_search: %s\n", cause);
        free(cause);
        return 1;
    }
    double open_ms = now_ms() - t0;
    long nrec = count_records(repo);
    if (nrec <= 0) {
        fprintf(stderr, "bench_search: no records in %s\n", argv[1]);
        core_repo_close(repo);
        return 1;
    }
    printf("repository %s: %ld records, opened in %.1f ms\n", argv[1], nrec, open_ms);
    printf("%-44s %10s %9s %9s\n", "query (first 50 hits)", "hits", "median ms", "p99 ms");
    int rc = bench_lookups(repo, nrec, runs * 20);
    if (rc == 0)
        rc = bench_words(repo, runs);
    core_repo_close(repo);
    return rc;
}
