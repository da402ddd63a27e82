/*
 * codec.c - how the modules of marc/ report problems (see codec.h), and the
 * shared form of an encoder's error (see marc-int.h).  The one place that
 * counts errors and warnings in a decode context and turns a struct
 * marc_where into the location of a struct marc_diag.
 */
#include "codec.h"

#include "marc-int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct marc_where nowhere = MARC_WHERE_NONE;

void
marc_codec_vreport_at(struct marc_decode_ctx *ctx, enum marc_severity sev, enum marc_err kind,
                      const char *code, const struct marc_where *w, const char *fmt, va_list ap)
{
    if (sev == MARC_SEV_ERROR) {
        if (ctx->errors++ == 0)
            ctx->first_error = kind;
    } else if (sev == MARC_SEV_WARNING) {
        ctx->warnings++;
    }
    if (!ctx->diag)
        return;
    if (!w)
        w = &nowhere;
    struct marc_diag d;
    marc_diag_set(&d, sev, code, "%s", "");
    vsnprintf(d.message, sizeof d.message, fmt, ap);
    d.record = ctx->record;
    if (w->at >= 0)
        d.offset = ctx->offset + w->at;
    else if (w->at == MARC_AT_RECORD && w->line <= 0)
        d.offset = ctx->offset;
    d.line = w->line;
    if (w->tag) {
        memcpy(d.tag, w->tag, 3);
        d.tag[3] = '\0';
    }
    d.occurrence = w->occurrence;
    d.subfield = w->subfield;
    d.position = w->position;
    ctx->diag(ctx->diag_ctx, &d);
}

void
marc_codec_report_at(struct marc_decode_ctx *ctx, enum marc_severity sev, enum marc_err kind,
                     const char *code, const struct marc_where *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    marc_codec_vreport_at(ctx, sev, kind, code, w, fmt, ap);
    va_end(ap);
}

void
marc_codec_report(struct marc_decode_ctx *ctx, enum marc_severity sev, enum marc_err kind,
                  const char *code, const char *tag, int occurrence, long long at, long line,
                  const char *fmt, ...)
{
    struct marc_where w = {
        .tag = tag, .occurrence = occurrence, .position = -1, .at = at, .line = line};
    va_list ap;
    va_start(ap, fmt);
    marc_codec_vreport_at(ctx, sev, kind, code, &w, fmt, ap);
    va_end(ap);
}

int
marc_codec_result(const struct marc_decode_ctx *ctx)
{
    return ctx->errors ? (int)ctx->first_error : MARC_OK;
}

int
marc_encode_error(struct marc_diag *err, int rc, const struct marc_record *r, size_t i,
                  char subfield, const char *code, const char *fmt, ...)
{
    if (!err)
        return rc;
    marc_diag_set(err, MARC_SEV_ERROR, code, "%s", "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    if (i < r->nfields) {
        memcpy(err->tag, r->fields[i].tag, 4);
        err->occurrence = marc_record_occurrence(r, i);
    } else {
        memcpy(err->tag, "LDR", 4);
    }
    err->subfield = subfield;
    return rc;
}
