/*
 * codec.c - shared reporting for the decoders (see codec.h).
 */
#include "codec.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
marc_codec_report(struct marc_decode_ctx *ctx, enum marc_severity sev, enum marc_err kind,
                  const char *code, const char *tag, int occurrence, long long at, long line,
                  const char *fmt, ...)
{
    if (sev == MARC_SEV_ERROR) {
        if (ctx->errors++ == 0)
            ctx->first_error = kind;
    } else if (sev == MARC_SEV_WARNING) {
        ctx->warnings++;
    }
    if (!ctx->diag)
        return;
    struct marc_diag d;
    marc_diag_set(&d, sev, code, "%s", "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d.message, sizeof d.message, fmt, ap);
    va_end(ap);
    d.record = ctx->record;
    d.offset = at >= 0 ? ctx->offset + at : (line > 0 ? -1 : ctx->offset);
    d.line = line;
    if (tag) {
        memcpy(d.tag, tag, 3);
        d.tag[3] = '\0';
    }
    d.occurrence = occurrence;
    ctx->diag(ctx->diag_ctx, &d);
}

int
marc_codec_result(const struct marc_decode_ctx *ctx)
{
    return ctx->errors ? (int)ctx->first_error : MARC_OK;
}
