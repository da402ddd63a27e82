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
 */
#ifndef MARC_CODEC_H
#define MARC_CODEC_H

#include "diag.h"

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

/*
 * Report a problem found while decoding.  `tag` may be NULL; `occurrence` 0
 * when unknown; `at` is the byte offset inside the record (-1 when unknown),
 * made absolute with ctx->offset; `line` is an absolute line number or 0.
 */
void marc_codec_report(struct marc_decode_ctx *ctx, enum marc_severity sev, enum marc_err kind,
                       const char *code, const char *tag, int occurrence, long long at, long line,
                       const char *fmt, ...) __attribute__((format(printf, 9, 10)));

/* Return value for a decoder that has reported what it found. */
int marc_codec_result(const struct marc_decode_ctx *ctx);

#endif
