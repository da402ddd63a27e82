/*
 * bench_iso2709.c - parse + re-encode throughput of the ISO 2709 codec.
 *
 * Usage: bench_iso2709 FILE [ROUNDS]
 *
 * Reads FILE into memory once, then for each round decodes every record
 * (leader, directory, all fields; UTF-8 validated when leader/09 says so)
 * into a reused record and encodes it again into a reused buffer.  Prints
 * records, bytes, best-round seconds and MB/s.  This is the codec's own
 * speed; `run-bench.sh` also times the whole `colophon convert` command
 * against `yaz-marcdump -o marc` (SPEC §9).
 */
#include "buf.h"
#include "codec.h"
#include "iso2709.h"
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_iso2709 FILE [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    FILE *fp = fopen(argv[1], "rb");
    if (!fp) {
        perror(argv[1]);
        return 1;
    }
    fseek(fp, 0, SEEK_END);
    size_t size = (size_t)ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *data = malloc(size);
    if (fread(data, 1, size, fp) != size) {
        perror("read");
        return 1;
    }
    fclose(fp);
    struct marc_record *r = marc_record_new();
    struct marc_buf out = MARC_BUF_INIT;
    double best = 1e9;
    long records = 0, errors = 0;
    size_t written = 0;
    for (int round = 0; round < rounds; round++) {
        records = errors = 0;
        written = 0;
        double t0 = now();
        size_t off = 0;
        while (off + 24 <= size) {
            long len = marc_iso2709_declared_length(data + off, size - off);
            if (len < 24 || off + (size_t)len > size)
                break;
            struct marc_decode_ctx ctx = {.record = records + 1, .offset = (long long)off};
            if (marc_iso2709_decode(r, data + off, (size_t)len, &ctx) != 0)
                errors++;
            if (out.len > (1u << 20)) {
                written += out.len;
                marc_buf_reset(&out);
            }
            marc_iso2709_encode(r, &out, NULL);
            off += (size_t)len;
            records++;
        }
        written += out.len;
        marc_buf_reset(&out);
        double t = now() - t0;
        if (t < best)
            best = t;
    }
    printf("records %ld\nbytes %zu\nwritten %zu\nerrors %ld\nseconds %.4f\nMB/s %.0f\n", records,
           size, written, errors, best, (double)size / best / 1e6);
    marc_record_free(r);
    marc_buf_free(&out);
    free(data);
    return 0;
}
