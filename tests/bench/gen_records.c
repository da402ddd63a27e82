/*
 * gen_records.c - make a large, realistic test file from a few real records.
 *
 * Usage: gen_records TEMPLATES N OUT [--target-bytes AVG]
 *
 * Reads template records (any format the reader knows; MARC-8 is converted
 * to UTF-8), then writes N ISO 2709 records cycling through them.  Each copy
 * gets its own 001, an OCLC number in 035, an ISBN in 020 and, when the
 * templates are smaller than AVG bytes on average, a 500 note that brings
 * the file to about AVG bytes per record — so benchmarks run on the
 * Library of Congress records' real structure at the size of a real
 * catalogue.  Deterministic: the same input gives the same output.
 */
#include "buf.h"
#include "iso2709.h"
#include "reader.h"
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char filler[] =
    "Issued also in electronic format. Includes bibliographical references and index. "
    "Originally presented as the author's thesis. Translation of the original edition. ";

static void
replace_field(struct marc_record *r, const char *tag, char code, const char *value)
{
    long i;
    while ((i = marc_record_find(r, tag, 0)) >= 0)
        marc_record_delete_field(r, (size_t)i);
    i = marc_record_add_data(r, tag, ' ', ' ');
    marc_record_append_subfield(r, (size_t)i, code, value, strlen(value));
}

/* A valid ISBN-13 from a serial number. */
static void
make_isbn(long n, char out[14])
{
    snprintf(out, 14, "978%09ld", n % 1000000000L);
    int sum = 0;
    for (int k = 0; k < 12; k++)
        sum += (out[k] - '0') * (k % 2 ? 3 : 1);
    out[12] = (char)('0' + (10 - sum % 10) % 10);
    out[13] = '\0';
}

int
main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: gen_records TEMPLATES N OUT [--target-bytes AVG]\n");
        return 2;
    }
    long n = atol(argv[2]);
    long target = argc > 5 && strcmp(argv[4], "--target-bytes") == 0 ? atol(argv[5]) : 0;
    struct marc_read_opts ro = {.permissive = true, .to_utf8 = true};
    char *cause = NULL;
    struct marc_reader *rd = marc_reader_open(argv[1], &ro, &cause);
    if (!rd) {
        fprintf(stderr, "gen_records: %s\n", cause);
        return 1;
    }
    struct marc_record *t[1024];
    size_t nt = 0;
    struct marc_record *r = marc_record_new();
    while (nt < 1024 && marc_reader_next(rd, r) == 1) {
        t[nt++] = r;
        r = marc_record_new();
    }
    marc_reader_close(rd);
    if (nt == 0) {
        fprintf(stderr, "gen_records: no template records in %s\n", argv[1]);
        return 1;
    }
    FILE *out = fopen(argv[3], "wb");
    if (!out) {
        perror(argv[3]);
        return 1;
    }
    struct marc_buf b = MARC_BUF_INIT;
    /* Pad by what the templates lack on average: 0, 1 or 2 times the gap,
     * so the file averages the target without every record alike. */
    long long tbytes = 0;
    for (size_t k = 0; k < nt; k++) {
        marc_buf_reset(&b);
        marc_iso2709_encode(t[k], &b, NULL);
        tbytes += (long long)b.len + 40; /* 001, 020 and 035 of the copies */
    }
    long gap = target > 0 ? target - (long)(tbytes / (long long)nt) : 0;
    long long bytes = 0;
    for (long i = 0; i < n; i++) {
        marc_record_copy(r, t[i % (long)nt]);
        char id[32], oclc[32], isbn[14];
        snprintf(id, sizeof id, "bench%09ld", i + 1);
        long at = marc_record_find(r, "001", 0);
        if (at >= 0)
            marc_record_set_control(r, (size_t)at, id, strlen(id));
        else
            marc_record_add_control(r, "001", id, strlen(id));
        snprintf(oclc, sizeof oclc, "(OCoLC)%ld", 100000000L + i * 7);
        replace_field(r, "035", 'a', oclc);
        make_isbn(i * 13 + 7, isbn);
        replace_field(r, "020", 'a', isbn);
        size_t want = gap > 0 ? (size_t)gap * (size_t)(i % 3) : 0;
        if (want > 8) {
            char *note = malloc(want + 1);
            for (size_t k = 0; k < want; k++)
                note[k] = filler[k % (sizeof filler - 1)];
            long f = marc_record_add_data(r, "500", ' ', ' ');
            marc_record_append_subfield(r, (size_t)f, 'a', note, want - 5);
            free(note);
        }
        marc_buf_reset(&b);
        if (marc_iso2709_encode(r, &b, NULL) != 0)
            continue;
        fwrite(b.data, 1, b.len, out);
        bytes += (long long)b.len;
    }
    fclose(out);
    fprintf(stderr, "gen_records: %ld records, %lld bytes (%.0f bytes/record) from %zu templates\n",
            n, bytes, (double)bytes / (double)n, nt);
    for (size_t k = 0; k < nt; k++)
        marc_record_free(t[k]);
    marc_record_free(r);
    marc_buf_free(&b);
    return 0;
}
