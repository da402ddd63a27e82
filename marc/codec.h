/*
 * codec.h - what every record decoder shares: where the record came from
 * (for diagnostics) and how problems are handed over.
 *
 * A decoder turns the bytes of one framed record into a struct marc_record.
 * It reports each problem through ctx->diag with the record number, the byte
 * offset (or line) in the input, and the field, and returns MARC_OK when it
 * reported no error.  With ctx->recover set it keeps going after an error and
 * leaves the best record it could make (lint uses this); otherwise it may
 * stop at the first error.
 *
 * Every module of marc/ that reports under a decode context (decoders,
 * charset conversions, lint, the reader and writer) goes through
 * marc_codec_report_at, so that the counting of errors and warnings and the
 * rules for locating a problem live in one place.
 */
#ifndef MARC_CODEC_H
#define MARC_CODEC_H

#include "diag.h"

#include <stdarg.h>
#include <stdbool.h>

struct marc_decode_ctx {
    long record;        /* 1-based number of the record in the input */
    long long offset;   /* byte offset of the record's first byte in the input */
    long line;          /* first line of the record (text formats), 0 for binary */
    marc_diag_fn diag;  /* may be NULL */
    void *diag_ctx;
    bool recover;       /* continue after errors, best effort */
    int errors;         /* OUT: number of errors reported */
    int warnings;       /* OUT: number of warnings reported */
    enum marc_err first_error; /* OUT: the kind of the first error, MARC_OK if none */
};

/* Values of marc_where.at that are not byte offsets. */
#define MARC_AT_RECORD (-1LL) /* the record as a whole: its offset, unless a line is given */
#define MARC_AT_NONE   (-2LL) /* nowhere in the input (a problem found while encoding) */

/*
 * Where a problem is, as precisely as the reporter knows.  Start from
 * MARC_WHERE_NONE and set what is known:
 *   tag         field tag (its first three bytes are used), "LDR" for the
 *               leader, NULL when the problem is not in a field
 *   occurrence  1-based occurrence of the tag in the record, 0 when none
 *   subfield    subfield code, 0 when none
 *   position    character position in the leader or a control field, or
 *               byte in a data field, -1 when none
 *   at          byte offset from the record's first byte (reported as
 *               ctx->offset + at), or MARC_AT_RECORD, or MARC_AT_NONE
 *   line        absolute line in a text input, 0 when none
 */
struct marc_where {
    const char *tag;
    int occurrence;
    char subfield;
    int position;
    long long at;
    long line;
};

#define MARC_WHERE_NONE {NULL, 0, 0, -1, MARC_AT_RECORD, 0}

/*
 * Report a problem found while decoding, converting or checking a record:
 * count it in ctx (an error of kind `kind` sets ctx->first_error when it is
 * the first) and hand a struct marc_diag to ctx->diag naming ctx->record and
 * the place `w` (NULL: the record as a whole).  The byte offset reported is
 * ctx->offset + w->at; with MARC_AT_RECORD it is ctx->offset unless w->line
 * locates the problem, with MARC_AT_NONE there is none.
 */
void marc_codec_report_at(struct marc_decode_ctx *ctx, enum marc_severity sev, enum marc_err kind,
                          const char *code, const struct marc_where *w, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* The same with a va_list, for modules that wrap it in their own reporter. */
void marc_codec_vreport_at(struct marc_decode_ctx *ctx, enum marc_severity sev, enum marc_err kind,
                           const char *code, const struct marc_where *w, const char *fmt,
                           va_list ap) __attribute__((format(printf, 6, 0)));

/*
 * marc_codec_report_at for the common case of a field named by tag and
 * occurrence: `tag` may be NULL; `occurrence` 0 when unknown; `at` is the
 * byte offset inside the record (-1 when unknown); `line` is an absolute
 * line number or 0.
 */
void marc_codec_report(struct marc_decode_ctx *ctx, enum marc_severity sev, enum marc_err kind,
                       const char *code, const char *tag, int occurrence, long long at, long line,
                       const char *fmt, ...) __attribute__((format(printf, 9, 10)));

/* Return value for a decoder that has reported what it found. */
int marc_codec_result(const struct marc_decode_ctx *ctx);

#endif
