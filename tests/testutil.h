/*
 * testutil.h - what the unit tests share: TAP output, fixture paths, file
 * reading and a diagnostic collector.  Header-only so every test stays one
 * file.
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"

/* Absolute path of a file under tests/data (static storage, overwritten). */
static inline const char *
test_data(const char *name)
{
    static char path[4][1024];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", TEST_DATA_DIR, name);
    return path[k];
}

/* Whole file into a heap buffer (NUL-terminated); fails the test if absent. */
static inline char *
test_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot open %s", path);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    if (len)
        *len = (size_t)n;
    return buf;
}

/* Collects diagnostics handed to a marc_diag_fn. */
struct test_diags {
    int n;
    int errors;
    int warnings;
    struct marc_diag d[256];
};

static inline void
test_diags_collect(void *ctx, const struct marc_diag *d)
{
    struct test_diags *t = ctx;
    if (d->severity == MARC_SEV_ERROR)
        t->errors++;
    else if (d->severity == MARC_SEV_WARNING)
        t->warnings++;
    if (t->n < 256)
        t->d[t->n++] = *d;
}

/* First collected diagnostic with this code, or NULL. */
static inline const struct marc_diag *
test_diags_find(const struct test_diags *t, const char *code)
{
    for (int i = 0; i < t->n; i++)
        if (t->d[i].code && strcmp(t->d[i].code, code) == 0)
            return &t->d[i];
    return NULL;
}

/* Print all collected diagnostics (to help read a failing test). */
static inline void
test_diags_dump(const struct test_diags *t)
{
    for (int i = 0; i < t->n; i++) {
        char *s = marc_diag_format(&t->d[i], NULL);
        fprintf(stderr, "# %s\n", s);
        free(s);
    }
}

/* Run a cmocka group with TAP output. */
#define TEST_MAIN(tests)                                                                           \
    int main(void)                                                                                 \
    {                                                                                              \
        cmocka_set_message_output(CM_OUTPUT_TAP);                                                  \
        return cmocka_run_group_tests(tests, NULL, NULL);                                          \
    }

#endif
