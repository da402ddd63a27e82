/*
 * writer.c - format-independent record writing (see writer.h).
 *
 * Records are encoded into one buffer that is handed to stdio in large
 * pieces; a record that needs a charset change is converted in a scratch
 * copy, so the caller's record is never modified.
 */
#include "writer.h"

#include "buf.h"
#include "iso2709.h"
#include "json.h"
#include "marcxml.h"
#include "mrk.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_AT (256u * 1024)

struct marc_writer {
    FILE *fp;
    struct marc_write_opts o;
    struct marc_buf buf;
    struct marc_record *scratch;
    long count;
    bool io_failed;
};

struct marc_writer *
marc_writer_new(FILE *fp, const struct marc_write_opts *opts, char **cause)
{
    bool unicode_only = opts->format == MARC_FMT_MARCXML || opts->format == MARC_FMT_JSON;
    if (opts->format == MARC_FMT_UNKNOWN) {
        if (cause)
            *cause = xstrdup("no output format given");
        return NULL;
    }
    if (unicode_only && opts->charset == MARC_CS_MARC8) {
        if (cause)
            *cause = xasprintf("%s is always Unicode; MARC-8 output needs iso2709 or mrk",
                               marc_format_name(opts->format));
        return NULL;
    }
    struct marc_writer *w = xcalloc(1, sizeof *w);
    w->fp = fp;
    w->o = *opts;
    if (unicode_only)
        w->o.charset = MARC_CS_UTF8;
    w->scratch = marc_record_new();
    return w;
}

static int
flush_buf(struct marc_writer *w)
{
    if (w->buf.len && fwrite(w->buf.data, 1, w->buf.len, w->fp) != w->buf.len)
        w->io_failed = true;
    marc_buf_reset(&w->buf);
    return w->io_failed ? MARC_ERR_IO : MARC_OK;
}

/* The record to encode: r itself, or a converted copy in w->scratch. */
static const struct marc_record *
prepare(struct marc_writer *w, const struct marc_record *r, struct marc_decode_ctx *ctx)
{
    bool utf8 = marc_record_is_utf8(r);
    bool to_utf8 = w->o.charset == MARC_CS_UTF8 && !utf8;
    bool to_marc8 = w->o.charset == MARC_CS_MARC8 && utf8;
    bool nf = w->o.normalize != MARC_NF_NONE && (utf8 || to_utf8) && !to_marc8;
    if (!to_utf8 && !to_marc8 && !nf)
        return r;
    marc_record_copy(w->scratch, r);
    int errors = ctx->errors;
    if (to_utf8)
        marc_charset_to_utf8(w->scratch, ctx);
    if (nf && ctx->errors == errors)
        marc_charset_normalize(w->scratch, w->o.normalize, ctx);
    if (to_marc8 && ctx->errors == errors)
        marc_charset_to_marc8(w->scratch, ctx);
    return ctx->errors == errors ? w->scratch : NULL;
}

/* An encoder's error: about the record, at no place in the input. */
static void
report_diag(struct marc_decode_ctx *ctx, enum marc_err kind, const struct marc_diag *e)
{
    struct marc_where w = {.tag = e->tag[0] ? e->tag : NULL,
                           .occurrence = e->occurrence,
                           .subfield = e->subfield,
                           .position = e->position,
                           .at = MARC_AT_NONE,
                           .line = e->line};
    marc_codec_report_at(ctx, MARC_SEV_ERROR, kind, e->code, &w, "%s", e->message);
    ctx->first_error = kind;
}

int
marc_writer_write(struct marc_writer *w, const struct marc_record *r, struct marc_decode_ctx *ctx)
{
    const struct marc_record *out = prepare(w, r, ctx);
    if (!out)
        return marc_codec_result(ctx);
    size_t mark = w->buf.len;
    if (w->o.format == MARC_FMT_MARCXML && w->count == 0)
        marc_buf_puts(&w->buf, marc_marcxml_header());
    if (w->o.format == MARC_FMT_JSON)
        marc_buf_puts(&w->buf, w->count == 0 ? "[\n" : ",\n");
    struct marc_diag err;
    memset(&err, 0, sizeof err);
    int rc;
    switch (w->o.format) {
    case MARC_FMT_ISO2709:
        rc = marc_iso2709_encode(out, &w->buf, &err);
        break;
    case MARC_FMT_MARCXML:
        rc = marc_marcxml_encode(out, &w->buf, &err);
        break;
    case MARC_FMT_MRK:
        rc = marc_mrk_encode(out, &w->buf, w->o.crlf, &err);
        break;
    default:
        rc = marc_json_encode(out, &w->buf, &err);
        break;
    }
    if (rc < 0) {
        w->buf.len = mark; /* nothing of this record goes out */
        if (w->buf.data)
            w->buf.data[mark] = '\0';
        report_diag(ctx, rc, &err);
        return rc;
    }
    w->count++;
    if (w->buf.len >= FLUSH_AT)
        return flush_buf(w);
    return MARC_OK;
}

int
marc_writer_finish(struct marc_writer *w)
{
    if (w->o.format == MARC_FMT_MARCXML) {
        if (w->count == 0)
            marc_buf_puts(&w->buf, marc_marcxml_header());
        marc_buf_puts(&w->buf, marc_marcxml_trailer());
    } else if (w->o.format == MARC_FMT_JSON) {
        marc_buf_puts(&w->buf, w->count == 0 ? "[]\n" : "\n]\n");
    }
    flush_buf(w);
    if (fflush(w->fp) != 0 || ferror(w->fp))
        w->io_failed = true;
    return w->io_failed ? MARC_ERR_IO : MARC_OK;
}

long
marc_writer_count(const struct marc_writer *w)
{
    return w->count;
}

void
marc_writer_free(struct marc_writer *w)
{
    if (!w)
        return;
    marc_buf_free(&w->buf);
    marc_record_free(w->scratch);
    free(w);
}
