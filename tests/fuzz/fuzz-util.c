/*
 * fuzz-util.c - the oracles the fuzz targets share (see fuzz-util.h).
 *
 * A crash is only the loudest kind of bug a fuzzer can find; these checks
 * turn quieter ones into aborts too: a decoder whose return value disagrees
 * with its diagnostics, a diagnostic that names no place.  The round trip is
 * in fuzz-round-trip.c, the reader's contract in fuzz-read.c.
 */
#include "fuzz-util.h"

#include "buf.h"
#include "diff.h"
#include "lint.h"
#include "mrk.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fuzz_current_input;

/* The last error handed to fuzz_diag_check since fuzz_ctx_init, shown when
 * a round trip fails (it usually says why). */
static struct marc_diag last_error;
static bool have_last_error;

void
fuzz_print_last_error(void)
{
    if (!have_last_error)
        return;
    char *s = marc_diag_format(&last_error, NULL);
    fprintf(stderr, "last error reported: %s (%s)\n", s, last_error.code);
    free(s);
}

void
fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("fuzz oracle failed: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (fuzz_current_input)
        fprintf(stderr, "input: %s\n", fuzz_current_input);
    abort();
}

void
fuzz_diag_check(void *ctx, const struct marc_diag *d)
{
    FUZZ_CHECK(d->severity == MARC_SEV_NOTE || d->severity == MARC_SEV_WARNING ||
                   d->severity == MARC_SEV_ERROR,
               "diagnostic with severity %d", (int)d->severity);
    FUZZ_CHECK(d->code && d->code[0], "diagnostic without a code");
    FUZZ_CHECK(memchr(d->message, '\0', sizeof d->message), "diagnostic message not terminated");
    FUZZ_CHECK(d->message[0], "diagnostic \"%s\" with an empty message", d->code);
    size_t taglen = strnlen(d->tag, sizeof d->tag);
    FUZZ_CHECK(taglen == 0 || taglen == 3, "diagnostic \"%s\" with a %zu-byte tag", d->code,
               taglen);
    FUZZ_CHECK(d->record >= 0, "diagnostic \"%s\" with record %ld", d->code, d->record);
    FUZZ_CHECK(d->severity != MARC_SEV_ERROR || d->record > 0 || d->offset >= 0 || d->line > 0,
               "error \"%s\" (%s) names no place", d->code, d->message);
    char *s = marc_diag_format(d, "fuzz");
    FUZZ_CHECK(s && strstr(s, d->message), "marc_diag_format lost the message of \"%s\"", d->code);
    free(s);
    if (d->severity == MARC_SEV_ERROR) {
        last_error = *d;
        have_last_error = true;
    }
}

void
fuzz_ctx_init(struct marc_decode_ctx *ctx, bool text, bool recover)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->record = 1;
    ctx->offset = 0;
    ctx->line = text ? 1 : 0;
    ctx->diag = fuzz_diag_check;
    ctx->recover = recover;
    have_last_error = false;
}

void
fuzz_check_result(int rc, const struct marc_decode_ctx *ctx, const char *what)
{
    FUZZ_CHECK(rc <= 0, "%s returned %d", what, rc);
    FUZZ_CHECK((rc == MARC_OK) == (ctx->errors == 0), "%s returned %d after reporting %d errors",
               what, rc, ctx->errors);
    FUZZ_CHECK(rc == MARC_OK || rc == (int)ctx->first_error,
               "%s returned %d but its first error was %d", what, rc, (int)ctx->first_error);
}

void
fuzz_dump_record(const char *label, const struct marc_record *r)
{
    struct marc_buf b = MARC_BUF_INIT;
    marc_mrk_encode(r, &b, false, NULL);
    fprintf(stderr, "%s:\n", label);
    fwrite(b.data ? b.data : "", 1, b.len, stderr);
    marc_buf_free(&b);
}

/* Where a and b part: the leader, or the first field that differs, in hex. */
static void
dump_difference(const struct marc_record *a, const struct marc_record *b)
{
    fprintf(stderr, "leaders: \"%s\" / \"%s\"; fields: %zu / %zu\n", marc_record_leader(a),
            marc_record_leader(b), marc_record_field_count(a), marc_record_field_count(b));
    for (size_t i = 0; i < marc_record_field_count(a) && i < marc_record_field_count(b); i++) {
        const struct marc_field *fa = marc_record_field(a, i), *fb = marc_record_field(b, i);
        if (marc_field_equal(fa, fb))
            continue;
        const struct marc_field *f[2] = {fa, fb};
        for (int k = 0; k < 2; k++) {
            size_t len;
            const unsigned char *p = (const unsigned char *)marc_field_data(f[k], &len);
            fprintf(stderr, "field %zu %s %s (%zu bytes):", i, marc_field_tag(f[k]),
                    marc_field_is_control(f[k]) ? "control" : "data", len);
            for (size_t j = 0; j < len && j < 64; j++)
                fprintf(stderr, " %02X", p[j]);
            fputc('\n', stderr);
        }
        break;
    }
}

void
fuzz_expect_equal(const struct marc_record *a, const struct marc_record *b, const char *what)
{
    if (marc_record_equal(a, b))
        return;
    fuzz_dump_record("before", a);
    fuzz_dump_record("after", b);
    dump_difference(a, b);
    fuzz_print_last_error();
    fuzz_fail("%s: the record changed", what);
}

bool
fuzz_known(const char *name)
{
    const char *env = getenv("FUZZ_KNOWN");
    size_t n = strlen(name);
    for (const char *p = env ? strstr(env, name) : NULL; p; p = strstr(p + 1, name))
        if ((p == env || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            return true;
    return false;
}

void
fuzz_lint(const struct marc_record *r)
{
    struct marc_decode_ctx ctx;
    fuzz_ctx_init(&ctx, false, true);
    int n = marc_lint_record(r, &ctx);
    FUZZ_CHECK(n >= 0, "lint returned %d", n);
    FUZZ_CHECK(n == ctx.errors, "lint returned %d but reported %d errors", n, ctx.errors);
}
