/*
 * bench_z3950.c - search and fetch latency of a Z39.50 server, as a client
 * sees it (tests/bench/bench_z3950.sh runs it against `colophon serve` and
 * against zebrasrv on the same records).
 *
 * Usage: bench_z3950 HOST:PORT/DB ROUNDS LABEL=PQF...
 *
 * One connection (the Init is not timed).  For each query, ROUNDS times:
 * a search (no records piggybacked), then a present of record 1, then a
 * present of records 1-10 from a second search (so that none is cached by
 * the client).  Prints one line per query and phase: label, phase, hits,
 * median and 95th percentile in milliseconds.  Figures only: it asserts
 * nothing about them.  Uses libyaz's ZOOM in its blocking mode: the
 * latency of the server, not of Colophon's asynchronous client.
 */
#include <yaz/zoom.h>

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
report(const char *label, const char *phase, long hits, double *t, int n)
{
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    int p95 = (int)(0.95 * (n - 1) + 0.5);
    printf("%s\t%s\t%ld\t%.3f\t%.3f\n", label, phase, hits, t[n / 2], t[p95]);
}

/* The error of c, if any, on stderr; true when there was one. */
static int
failed(ZOOM_connection c, const char *what)
{
    const char *msg, *add;
    int e = ZOOM_connection_error(c, &msg, &add);
    if (e)
        fprintf(stderr, "bench_z3950: %s: %s (%d) %s\n", what, msg, e, add ? add : "");
    return e;
}

/* Present count records from the start of rs; -1 when they did not all come. */
static int
present(ZOOM_resultset rs, size_t count)
{
    ZOOM_record recs[10];
    ZOOM_resultset_records(rs, recs, 0, count);
    for (size_t i = 0; i < count; i++) {
        int len = 0;
        if (!recs[i] || !ZOOM_record_get(recs[i], "raw", &len) || len <= 0)
            return -1;
    }
    return 0;
}

static int
run_query(ZOOM_connection c, const char *label, const char *pqf, int rounds)
{
    double *ts = calloc((size_t)rounds, sizeof *ts);
    double *t1 = calloc((size_t)rounds, sizeof *t1);
    double *t10 = calloc((size_t)rounds, sizeof *t10);
    long hits = 0;
    int rc = 0;
    for (int r = 0; r < rounds && rc == 0; r++) {
        double a = now_ms();
        ZOOM_resultset rs = ZOOM_connection_search_pqf(c, pqf);
        double b = now_ms();
        if (failed(c, pqf)) {
            rc = 1;
        } else {
            hits = (long)ZOOM_resultset_size(rs);
            size_t n1 = hits > 0 ? 1 : 0;
            double d = now_ms();
            if (n1 && present(rs, n1) != 0)
                rc = 1;
            double e = now_ms();
            ts[r] = b - a;
            t1[r] = e - d;
        }
        ZOOM_resultset_destroy(rs);
        if (rc)
            break;
        rs = ZOOM_connection_search_pqf(c, pqf);
        size_t n10 = hits >= 10 ? 10 : (size_t)hits;
        double f = now_ms();
        if (n10 && present(rs, n10) != 0)
            rc = 1;
        t10[r] = now_ms() - f;
        ZOOM_resultset_destroy(rs);
    }
    if (rc == 0) {
        report(label, "search", hits, ts, rounds);
        report(label, "present 1", hits, t1, rounds);
        report(label, hits >= 10 ? "present 10" : "present all", hits, t10, rounds);
    } else {
        fprintf(stderr, "bench_z3950: %s: the query failed or records did not come\n", label);
    }
    free(ts);
    free(t1);
    free(t10);
    return rc;
}

int
main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_z3950 HOST:PORT/DB ROUNDS LABEL=PQF...\n");
        return 2;
    }
    int rounds = atoi(argv[2]);
    if (rounds < 1)
        rounds = 1;
    ZOOM_options o = ZOOM_options_create();
    ZOOM_options_set(o, "preferredRecordSyntax", "usmarc");
    ZOOM_options_set(o, "count", "0");
    ZOOM_options_set(o, "implementationName", "bench_z3950");
    ZOOM_connection c = ZOOM_connection_create(o);
    ZOOM_connection_connect(c, argv[1], 0);
    if (failed(c, argv[1]))
        return 1;
    int rc = 0;
    for (int i = 3; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq) {
            fprintf(stderr, "bench_z3950: '%s' is not LABEL=PQF\n", argv[i]);
            return 2;
        }
        *eq = '\0';
        rc |= run_query(c, argv[i], eq + 1, rounds);
    }
    ZOOM_connection_destroy(c);
    ZOOM_options_destroy(o);
    return rc;
}
