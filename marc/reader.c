/*
 * reader.c - the streaming record reader (see reader.h).
 *
 * This file frames records in the input and applies the reading mode; the
 * format modules decode what it frames.  ISO 2709 is framed here by the
 * leader's length, checked against the record terminator; text formats by
 * their own framers; MARCXML by libxml2's push parser inside marcxml.c.
 */
#include "reader.h"

#include "buf.h"
#include "codec.h"
#include "input.h"
#include "iso2709.h"
#include "json.h"
#include "marcxml.h"
#include "mrk.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How far past a wrong leader length we look for the record terminator. */
#define RESYNC_WINDOW (1u << 20)

enum { NEXT_RECORD = 1, NEXT_END = 0, NEXT_SKIP = 2 };

struct marc_reader {
    struct marc_input in;
    char *name;
    struct marc_read_opts o;
    enum marc_format fmt;
    struct marc_xml_reader *xml;
    long recno;
    long long rec_offset;
    long rec_line;      /* first line of the record last returned (text formats) */
    long line;          /* line number at the input position (text formats) */
    long skipped;
    long long padding;
    bool failed;
    bool have_error;
    struct marc_diag error;
};

/* Every diagnostic passes here: remember the first error, then forward. */
static void
reader_diag(void *ctx, const struct marc_diag *d)
{
    struct marc_reader *rd = ctx;
    if (d->severity == MARC_SEV_ERROR && !rd->have_error) {
        rd->error = *d;
        rd->have_error = true;
    }
    if (rd->o.diag)
        rd->o.diag(rd->o.diag_ctx, d);
}

static void
ctx_init(struct marc_reader *rd, struct marc_decode_ctx *ctx, long long offset)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->record = rd->recno;
    ctx->offset = offset;
    ctx->line = rd->fmt == MARC_FMT_ISO2709 ? 0 : rd->line;
    ctx->diag = reader_diag;
    ctx->diag_ctx = rd;
    ctx->recover = rd->o.lint;
}

/* A problem not tied to one record's decode (framing, I/O). */
static void
report(struct marc_reader *rd, enum marc_severity sev, const char *code, long long offset,
       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Located at an absolute offset (and, in text formats, the current line). */
static void
report_at(struct marc_reader *rd, long record, enum marc_severity sev, const char *code,
          long long offset, const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

static void
report_at(struct marc_reader *rd, long record, enum marc_severity sev, const char *code,
          long long offset, const char *fmt, va_list ap)
{
    struct marc_decode_ctx ctx;
    ctx_init(rd, &ctx, offset);
    ctx.record = record;
    struct marc_where w = MARC_WHERE_NONE;
    w.at = 0;
    w.line = ctx.line;
    marc_codec_vreport_at(&ctx, sev, MARC_ERR_FORMAT, code, &w, fmt, ap);
}

/* A problem between records: located by offset only. */
static void
report_between(struct marc_reader *rd, enum marc_severity sev, const char *code,
               long long offset, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void
report_between(struct marc_reader *rd, enum marc_severity sev, const char *code,
               long long offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_at(rd, 0, sev, code, offset, fmt, ap);
    va_end(ap);
}

static void
report(struct marc_reader *rd, enum marc_severity sev, const char *code, long long offset,
       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_at(rd, rd->recno, sev, code, offset, fmt, ap);
    va_end(ap);
}

static int
fail(struct marc_reader *rd, int rc)
{
    rd->failed = true;
    return rc;
}

static int
io_error(struct marc_reader *rd)
{
    report(rd, MARC_SEV_ERROR, "io", marc_input_offset(&rd->in), "read error: %s",
           strerror(rd->in.error));
    return fail(rd, MARC_ERR_IO);
}

static struct marc_reader *
reader_start(struct marc_reader *rd, const char *name, const struct marc_read_opts *opts,
             char **cause)
{
    rd->name = xstrdup(name);
    rd->o = *opts;
    rd->line = 1;
    ssize_t n = marc_input_ensure(&rd->in, 4096);
    if (n < 0) {
        if (cause)
            *cause = xasprintf("cannot read %s: %s", name, strerror(rd->in.error));
        marc_reader_close(rd);
        return NULL;
    }
    rd->fmt = opts->format;
    if (rd->fmt == MARC_FMT_UNKNOWN)
        rd->fmt = marc_format_detect(marc_input_ptr(&rd->in), (size_t)n);
    if (rd->fmt == MARC_FMT_UNKNOWN && n == 0)
        rd->fmt = MARC_FMT_ISO2709; /* an empty file holds no records in any format */
    if (rd->fmt == MARC_FMT_UNKNOWN) {
        if (cause)
            *cause = xasprintf("cannot tell the format of %s from its first bytes; give it with "
                               "--from iso2709|marcxml|mrk|json",
                               name);
        marc_reader_close(rd);
        return NULL;
    }
    if (rd->fmt == MARC_FMT_MARCXML)
        rd->xml = marc_marcxml_reader_new(&rd->in, opts->permissive || opts->lint);
    return rd;
}

struct marc_reader *
marc_reader_open(const char *path, const struct marc_read_opts *opts, char **cause)
{
    struct marc_reader *rd = xcalloc(1, sizeof *rd);
    if (marc_input_open(&rd->in, path, cause) < 0) {
        free(rd);
        return NULL;
    }
    return reader_start(rd, strcmp(path, "-") == 0 ? "<stdin>" : path, opts, cause);
}

struct marc_reader *
marc_reader_open_fd(int fd, const char *name, const struct marc_read_opts *opts, char **cause)
{
    struct marc_reader *rd = xcalloc(1, sizeof *rd);
    marc_input_from_fd(&rd->in, fd, false);
    return reader_start(rd, name, opts, cause);
}

void
marc_reader_close(struct marc_reader *rd)
{
    if (!rd)
        return;
    marc_marcxml_reader_free(rd->xml);
    marc_input_close(&rd->in);
    free(rd->name);
    free(rd);
}

static bool
is_padding(unsigned char c)
{
    return c == '\n' || c == '\r' || c == ' ' || c == '\t' || c == 0 || c == 0x1A || c == 0x1D ||
           c == 0x1E;
}

/* Pass over padding between ISO 2709 records; false at the end of input. */
static int
iso_skip_padding(struct marc_reader *rd)
{
    long long start = marc_input_offset(&rd->in);
    for (;;) {
        ssize_t n = marc_input_ensure(&rd->in, 1);
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        const unsigned char *p = (const unsigned char *)marc_input_ptr(&rd->in);
        size_t k = 0;
        while (k < (size_t)n && is_padding(p[k]))
            k++;
        marc_input_consume(&rd->in, k);
        if (k < (size_t)n)
            break;
    }
    long long skipped = marc_input_offset(&rd->in) - start;
    if (skipped > 0) {
        rd->padding += skipped;
        report_between(rd, MARC_SEV_NOTE, "padding", start,
                       "passed over %lld byte(s) of padding after record %ld", skipped,
                       rd->recno);
    }
    return marc_input_avail(&rd->in) > 0 ? 1 : 0;
}

/* Junk where a record should start: find the next plausible record start. */
static int
iso_resync(struct marc_reader *rd)
{
    long long start = marc_input_offset(&rd->in);
    unsigned char first = (unsigned char)*marc_input_ptr(&rd->in);
    report_between(rd, MARC_SEV_ERROR, "junk", start,
                   "byte \\x%02X after record %ld where a record should start (not a record "
                   "length)",
                   first, rd->recno);
    if (!rd->o.permissive && !rd->o.lint)
        return fail(rd, MARC_ERR_FORMAT);
    marc_input_consume(&rd->in, 1);
    for (;;) {
        ssize_t n = marc_input_ensure(&rd->in, 24);
        if (n < 0)
            return io_error(rd);
        if (n < 24) {
            marc_input_consume(&rd->in, (size_t)n);
            break;
        }
        if (marc_iso2709_plausible_start(marc_input_ptr(&rd->in), (size_t)n))
            break;
        marc_input_consume(&rd->in, 1);
    }
    report_between(rd, MARC_SEV_NOTE, "skipped", start,
                   "skipped %lld byte(s) up to the next record",
                   marc_input_offset(&rd->in) - start);
    return NEXT_SKIP;
}

/* Length of the record at the input position, checked against its terminator. */
static size_t
iso_frame(struct marc_reader *rd, long declared, size_t avail)
{
    const char *p = marc_input_ptr(&rd->in);
    if (declared >= 24 && (size_t)declared <= avail && p[declared - 1] == MARC_RECORD_TERM)
        return (size_t)declared;
    /* The leader's length is wrong: the record runs to its terminator. */
    size_t window = avail < RESYNC_WINDOW ? avail : RESYNC_WINDOW;
    const char *t = window > 24 ? memchr(p + 24, MARC_RECORD_TERM, window - 24) : NULL;
    if (t)
        return (size_t)(t - p) + 1;
    return declared >= 24 && (size_t)declared <= avail ? (size_t)declared : avail;
}

static int
next_iso(struct marc_reader *rd, struct marc_record *r)
{
    int pad = iso_skip_padding(rd);
    if (pad < 0)
        return io_error(rd);
    if (pad == 0)
        return NEXT_END;
    const char *p = marc_input_ptr(&rd->in);
    if (*p < '0' || *p > '9')
        return iso_resync(rd);
    ssize_t n = marc_input_ensure(&rd->in, 5);
    if (n < 0)
        return io_error(rd);
    long declared = marc_iso2709_declared_length(marc_input_ptr(&rd->in), (size_t)n);
    size_t want = declared >= 24 ? (size_t)declared : RESYNC_WINDOW;
    n = marc_input_ensure(&rd->in, want + 1);
    if (n < 0)
        return io_error(rd);
    long long offset = marc_input_offset(&rd->in);
    if (rd->in.eof && (size_t)n < 24) {
        report_between(rd, MARC_SEV_ERROR, "trailing", offset,
                       "input ends with %zd byte(s) after record %ld that are not a record", n,
                       rd->recno);
        marc_input_consume(&rd->in, (size_t)n);
        if (!rd->o.permissive && !rd->o.lint)
            return fail(rd, MARC_ERR_FORMAT);
        return NEXT_SKIP;
    }
    rd->recno++;
    rd->rec_offset = offset;
    if (declared >= 24 && (size_t)n < (size_t)declared &&
        !memchr(marc_input_ptr(&rd->in), MARC_RECORD_TERM, (size_t)n)) {
        report(rd, MARC_SEV_ERROR, "truncated", offset,
               "input ends %zd byte(s) into a record whose leader declares %ld bytes (truncated "
               "file?)",
               n, declared);
        marc_input_consume(&rd->in, (size_t)n);
        if (!rd->o.permissive && !rd->o.lint)
            return fail(rd, MARC_ERR_FORMAT);
        rd->skipped++;
        return NEXT_SKIP;
    }
    size_t len = iso_frame(rd, declared, (size_t)n);
    struct marc_decode_ctx ctx;
    ctx_init(rd, &ctx, offset);
    marc_iso2709_decode(r, marc_input_ptr(&rd->in), len, &ctx);
    marc_input_consume(&rd->in, len);
    return ctx.errors && !rd->o.lint ? -ctx.errors - 100 : NEXT_RECORD;
}

static long
count_lines(const char *p, size_t n)
{
    long lines = 0;
    const char *end = p + n;
    while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
        lines++;
        p++;
    }
    return lines;
}

static int
next_text(struct marc_reader *rd, struct marc_record *r)
{
    size_t want = 1u << 16;
    for (;;) {
        ssize_t n = marc_input_ensure(&rd->in, want);
        if (n < 0)
            return io_error(rd);
        size_t skip = 0, len = 0;
        const char *p = marc_input_ptr(&rd->in);
        int f = rd->fmt == MARC_FMT_MRK ? marc_mrk_frame(p, (size_t)n, rd->in.eof, &skip, &len)
                                        : marc_json_frame(p, (size_t)n, rd->in.eof, &skip, &len);
        if (f == 0 && !rd->in.eof) {
            want = (size_t)n * 2;
            continue;
        }
        rd->line += count_lines(p, skip);
        if (f == 0) {
            marc_input_consume(&rd->in, skip);
            return NEXT_END;
        }
        if (f < 0) {
            rd->recno++;
            if (rd->fmt == MARC_FMT_JSON)
                report(rd, MARC_SEV_ERROR, "json-syntax",
                       marc_input_offset(&rd->in) + (long long)skip,
                       "JSON syntax: a record object must start here");
            else
                report(rd, MARC_SEV_ERROR, "mrk-syntax",
                       marc_input_offset(&rd->in) + (long long)skip,
                       "cannot find a record here");
            return fail(rd, MARC_ERR_FORMAT);
        }
        marc_input_consume(&rd->in, skip);
        long long offset = marc_input_offset(&rd->in);
        rd->recno++;
        rd->rec_offset = offset;
        rd->rec_line = rd->line;
        struct marc_decode_ctx ctx;
        ctx_init(rd, &ctx, offset);
        p = marc_input_ptr(&rd->in);
        if (rd->fmt == MARC_FMT_MRK)
            marc_mrk_decode(r, p, len, &ctx);
        else
            marc_json_decode(r, p, len, &ctx);
        rd->line += count_lines(p, len);
        marc_input_consume(&rd->in, len);
        return ctx.errors && !rd->o.lint ? -ctx.errors - 100 : NEXT_RECORD;
    }
}

static int
next_xml(struct marc_reader *rd, struct marc_record *r)
{
    struct marc_decode_ctx ctx;
    ctx_init(rd, &ctx, -1);
    ctx.record = rd->recno + 1;
    int rc = marc_marcxml_reader_next(rd->xml, r, &ctx);
    if (rc < 0)
        return fail(rd, rc);
    if (rc == 0)
        return NEXT_END;
    rd->recno++;
    rd->rec_offset = ctx.offset;
    rd->rec_line = ctx.line;
    rd->line = ctx.line;
    return ctx.errors && !rd->o.lint ? -ctx.errors - 100 : NEXT_RECORD;
}

/* Charset steps after a clean decode; false when the record must go. */
static bool
post_process(struct marc_reader *rd, struct marc_record *r)
{
    struct marc_decode_ctx ctx;
    ctx_init(rd, &ctx, rd->rec_offset);
    if (rd->o.to_utf8 && !marc_record_is_utf8(r))
        marc_charset_to_utf8(r, &ctx);
    if (!ctx.errors && rd->o.normalize != MARC_NF_NONE && marc_record_is_utf8(r))
        marc_charset_normalize(r, rd->o.normalize, &ctx);
    return ctx.errors == 0 || rd->o.lint;
}

int
marc_reader_next(struct marc_reader *rd, struct marc_record *r)
{
    if (rd->failed)
        return rd->have_error && rd->error.code && strcmp(rd->error.code, "io") == 0
                   ? MARC_ERR_IO
                   : MARC_ERR_FORMAT;
    for (;;) {
        int rc;
        switch (rd->fmt) {
        case MARC_FMT_ISO2709:
            rc = next_iso(rd, r);
            break;
        case MARC_FMT_MARCXML:
            rc = next_xml(rd, r);
            break;
        default:
            rc = next_text(rd, r);
            break;
        }
        if (rc == NEXT_END)
            return 0;
        if (rc == NEXT_SKIP) {
            rd->have_error = false; /* reported and skipped: not the reader's error */
            continue;
        }
        if (rc < 0 && rc > -100)
            return rc; /* fatal: I/O, broken framing */
        if (rc == NEXT_RECORD && post_process(rd, r))
            return 1;
        /* A malformed record (decode or charset). */
        if (!rd->o.permissive)
            return fail(rd, MARC_ERR_FORMAT);
        rd->skipped++;
        report(rd, MARC_SEV_NOTE, "skipped", rd->rec_offset, "record %ld skipped", rd->recno);
        rd->have_error = false;
    }
}

const struct marc_diag *
marc_reader_error(const struct marc_reader *rd)
{
    return rd->failed && rd->have_error ? &rd->error : NULL;
}

enum marc_format
marc_reader_format(const struct marc_reader *rd)
{
    return rd->fmt;
}

long
marc_reader_record_number(const struct marc_reader *rd)
{
    return rd->recno;
}

long long
marc_reader_record_offset(const struct marc_reader *rd)
{
    return rd->rec_offset;
}

long
marc_reader_record_line(const struct marc_reader *rd)
{
    return rd->fmt == MARC_FMT_ISO2709 ? 0 : rd->rec_line;
}

long
marc_reader_skipped(const struct marc_reader *rd)
{
    return rd->skipped;
}

long long
marc_reader_padding(const struct marc_reader *rd)
{
    return rd->padding;
}

long long
marc_reader_position(const struct marc_reader *rd)
{
    return marc_input_offset(&rd->in);
}

long long
marc_reader_size(const struct marc_reader *rd)
{
    return rd->in.size;
}

const char *
marc_reader_name(const struct marc_reader *rd)
{
    return rd->name;
}
