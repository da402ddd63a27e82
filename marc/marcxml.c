/*
 * marcxml.c - the MARCXML reader (see marcxml.h): libxml2's push parser fed
 * from a marc_input, its errors, recovery after them, and the records
 * marcxml-build.c makes of its element events handed out one by one.
 *
 * Bytes go from the marc_input to the parser in large pieces, our own SAX
 * callbacks pass the events on, and next() hands the queued records out.  No
 * DOM is built, so memory stays flat whatever the file size.  We do not use
 * xmlTextReader: libxml2 2.9's reader refuses to go on after any
 * well-formedness error, even with XML_PARSE_RECOVER, and the push parser
 * tells us exactly which bytes it has seen, which is what recovery needs.
 *
 * Recovery (permissive and lint reading): after a well-formedness error the
 * damaged record is handed out with what was read of it and an error, and
 * reading resumes at the next <record> start tag found in the raw bytes; from
 * then on each record is parsed on its own inside a wrapper that declares the
 * namespaces that were in scope.  That loses far less than libxml2's own
 * recovery, which closes every open element at a bad end tag and then stops
 * at "extra content".
 *
 * Safety: no network (XML_PARSE_NONET), no DTD loading, no entity
 * declarations (the SAX handler has no entity callbacks, so only the five
 * predefined entities and character references are read: a reference to an
 * external entity is an error and never opens a file).  libxml2 never
 * prints: its handlers are pointed at us for the duration of each call into
 * it and restored afterwards.
 *
 * This is the only file that includes libxml2's headers.
 */
#include "marcxml.h"
#include "marcxml-int.h"

#include "marc-int.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FEED_CHUNK (64u * 1024)
#define WRAPPER    "x-colophon-recovery"

struct marc_xml_reader {
    struct marc_input *in;
    bool recover;

    xmlParserCtxtPtr ctxt;
    long long ctxt_base; /* input offset of the parser's byte 0 */
    long line_base;      /* input lines before the parser's line 1 */
    bool finished;       /* nothing more will be parsed */
    bool stopped;        /* the current parser hit a fatal error */
    bool slices;         /* recovering: each record parsed on its own */
    long long resync_at; /* recovering: where to look for the next record */
    long resync_line;
    bool resync_lost;  /* resync follows an error (not a clean slice) */
    bool ascii_compat; /* the raw bytes can be scanned for "<record" */
    char *encoding;    /* declared encoding, for the recovery wrapper */
    char *ns_decls;    /* namespace declarations in scope, ditto */
    long long fed_start; /* input offset of the piece the parser is given now */
    const char *fed_ptr; /* that piece, when it is input (not a wrapper) */
    size_t fed_len;
    long long err_at;    /* input offset of the error being reported, -1: none */
    long long fed_end;   /* input offset after the last byte given to the parser */
    bool resync_later;   /* resync_at to be taken once xmlParseChunk returns */
    bool seen_element;

    struct marc_xml_build b; /* the records and diagnostics made so far */
};

/* ---- where the parser is (for marcxml-build.c) ---- */

long
marc_marcxml_line(const struct marc_xml_reader *x)
{
    return x->line_base + (x->ctxt && x->ctxt->input ? x->ctxt->input->line : 0);
}

/*
 * libxml2 hands attribute values over five pointers an attribute (local
 * name, prefix, URI, value, end of value), with each '&' written as "&#38;"
 * (so that a tree could be serialised again): undo that.
 */
const char *
marc_marcxml_attr(int nb, const void *attrs, const char *name, char buf[32], size_t *len)
{
    const xmlChar **all = (const xmlChar **)attrs;
    for (int i = 0; i < nb; i++) {
        const xmlChar **a = all + 5 * i;
        if (a[2] || strcmp((const char *)a[0], name) != 0)
            continue;
        const char *v = (const char *)a[3], *end = (const char *)a[4];
        size_t n = 0;
        while (v < end) {
            char c = *v;
            v += c == '&' && end - v >= 5 && memcmp(v, "&#38;", 5) == 0 ? 5 : 1;
            if (n < 31)
                buf[n] = c;
            n++;
        }
        buf[n < 31 ? n : 31] = '\0';
        *len = n;
        return buf;
    }
    return NULL;
}

void
marc_marcxml_tag_start(const struct marc_xml_reader *x, long long *offset, long *line)
{
    long long after = x->ctxt_base + xmlByteConsumed(x->ctxt);
    *offset = after;
    *line = marc_marcxml_line(x);
    struct marc_input *in = x->in;
    if (!x->ascii_compat || after <= in->base || after > in->base + (long long)in->end)
        return;
    const char *p = in->buf + (after - in->base);
    long nl = 0;
    while (p > in->buf && p[-1] != '<') {
        p--;
        nl += *p == '\n';
    }
    if (p > in->buf) {
        *offset = in->base + (p - 1 - in->buf);
        *line -= nl;
    }
}

/* ---- SAX callbacks ---- */

static void
sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
          int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
          const xmlChar **attributes)
{
    struct marc_xml_reader *x = ctx;
    if (x->stopped)
        return;
    x->seen_element = true;
    marc_marcxml_start(&x->b, (const char *)localname, (const char *)uri, nb_attributes,
                       attributes);
}

static void
sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
    struct marc_xml_reader *x = ctx;
    if (!x->stopped)
        marc_marcxml_end(&x->b);
}

static void
sax_text(void *ctx, const xmlChar *s, int len)
{
    struct marc_xml_reader *x = ctx;
    if (!x->stopped)
        marc_marcxml_text(&x->b, (const char *)s, len);
}

/* ---- libxml2's errors ---- */

/* Remember what a recovery parser needs: the encoding and namespaces in scope. */
static void
capture_scope(struct marc_xml_reader *x, xmlParserCtxtPtr c)
{
    struct marc_buf b = MARC_BUF_INIT;
    bool marc_bound = false;
    for (int i = c->nsNr - 2; i >= 0; i -= 2) {
        const char *pfx = (const char *)c->nsTab[i];
        const char *uri = (const char *)c->nsTab[i + 1];
        bool shadowed = false; /* an inner declaration of the same prefix wins */
        for (int j = i + 2; j < c->nsNr; j += 2)
            shadowed |= (pfx ? c->nsTab[j] && strcmp((const char *)c->nsTab[j], pfx) == 0
                             : c->nsTab[j] == NULL);
        if (shadowed || !uri || strchr(uri, '"') || strchr(uri, '<') || strchr(uri, '&'))
            continue;
        marc_bound |= pfx && strcmp(pfx, "marc") == 0;
        marc_buf_printf(&b, " xmlns%s%s=\"%s\"", pfx ? ":" : "", pfx ? pfx : "", uri);
    }
    if (!marc_bound)
        marc_buf_puts(&b, " xmlns:marc=\"" MARC_MARCXML_NS "\"");
    free(x->ns_decls);
    x->ns_decls = marc_buf_steal(&b);
}

/* " (column N)" or nothing. */
static const char *
column(int col, char buf[32])
{
    buf[0] = '\0';
    if (col > 0)
        snprintf(buf, 32, " (column %d)", col);
    return buf;
}

/*
 * Where an error is: its line, and when libxml2 gives none (an encoding it
 * cannot decode has no lines yet), the start of the piece of input it was
 * given (its byte count cannot be asked for then: see fatal_error).
 */
static struct marc_where
error_place(const struct marc_xml_reader *x, long line)
{
    struct marc_where w = marc_marcxml_at_line(line);
    if (x->err_at >= 0) {
        w.line = 0;
        w.at = x->err_at;
    } else if (line <= 0) {
        w.at = x->fed_start > 0 ? x->fed_start : 0;
    }
    return w;
}

/*
 * libxml2 names the bytes it could not convert ("0x80 0x3C 0x2F 0x73") but
 * gives the line where its parser is, which may be lines before them: find
 * them in the piece it was given.  Their input offset, or -1.
 */
static long long
conversion_error_at(const struct marc_xml_reader *x, const char *bytes)
{
    unsigned char want[4];
    size_t n = 0;
    for (const char *q = bytes; q && n < sizeof want && (q = strstr(q, "0x")) != NULL; q += 2) {
        char *end;
        unsigned long v = strtoul(q + 2, &end, 16);
        if (end == q + 2 || v > 0xFF)
            break;
        want[n++] = (unsigned char)v;
    }
    if (n == 0 || !x->fed_ptr)
        return -1;
    const char *hit = memmem(x->fed_ptr, x->fed_len, want, n);
    return hit ? x->fed_start + (hit - x->fed_ptr) : -1;
}

/* The record open at a fatal error: keep what was read, say what was lost. */
static void
abandon_record(struct marc_xml_reader *x, long line, int col, const char *msg)
{
    char cb[32];
    marc_marcxml_report(&x->b, MARC_SEV_ERROR, "xml-syntax", error_place(x, line),
                        "not well-formed XML%s: %s; the rest of this record is lost",
                        column(col, cb), msg);
    marc_marcxml_abandon(&x->b);
}

/* Keep the declared encoding for the recovery wrapper if libxml2 knows it. */
static void
capture_encoding(struct marc_xml_reader *x, xmlParserCtxtPtr c)
{
    if (x->encoding || !c->encoding)
        return;
    xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler((const char *)c->encoding);
    if (!h)
        return;
    xmlCharEncCloseFunc(h);
    x->encoding = xstrdup((const char *)c->encoding);
}

/*
 * `converting`: libxml2 raised the error while converting input to UTF-8,
 * when its input pointers are not yet moved to the buffer it has just grown;
 * xmlByteConsumed would read freed memory, so the resync position is taken
 * once xmlParseChunk has returned.
 */
static void
fatal_error(struct marc_xml_reader *x, xmlParserCtxtPtr c, long line, int col, const char *msg,
            bool converting)
{
    char cb[32];
    x->stopped = true;
    if (x->recover && x->ascii_compat && c) {
        x->resync_later = converting;
        if (!converting)
            x->resync_at = x->ctxt_base + xmlByteConsumed(c);
        x->resync_line = x->line_base + (c->input ? c->input->line : 0);
        x->resync_lost = true;
        capture_encoding(x, c);
        capture_scope(x, c);
        if (x->b.rec_depth)
            abandon_record(x, line, col, msg);
        else
            marc_marcxml_report(&x->b, MARC_SEV_ERROR, "xml-syntax", error_place(x, line),
                                "not well-formed XML%s: %s", column(col, cb), msg);
        return;
    }
    struct marc_where w = error_place(x, line);
    marc_marcxml_queue_error(&x->b, MARC_XML_D_FATAL, MARC_ERR_FORMAT, "xml-syntax", w.line, w.at,
                             "not well-formed XML%s: %s%s", column(col, cb), msg,
                             x->recover ? "; reading cannot resume in a document in this encoding"
                                        : "");
    x->finished = true;
}

/*
 * libxml2's push parser says "Extra content at the end of the document" both
 * for a truncated file and for bytes its decoder could not convert (it stops
 * converting silently).  Say which it is.
 */
static bool
explain_end(struct marc_xml_reader *x, xmlParserCtxtPtr c, int code, char *msg, size_t size)
{
    if (code != XML_ERR_DOCUMENT_END && code != XML_ERR_DOCUMENT_EMPTY)
        return false;
    long long stop = x->ctxt_base + xmlByteConsumed(c);
    const struct marc_input *in = x->in;
    if (!x->slices && stop >= in->base && stop < x->fed_end &&
        stop < in->base + (long long)in->end) {
        snprintf(msg, size,
                 "the input cannot be decoded as %s from byte %lld on (\\x%02X); the parser "
                 "stopped there",
                 c->encoding ? (const char *)c->encoding : "UTF-8", stop,
                 (unsigned char)in->buf[stop - in->base]);
        return true;
    }
    if (c->nameNr > 0 && c->name) {
        snprintf(msg, size, "the input ends inside <%s> (a truncated file?)",
                 (const char *)c->name);
        return true;
    }
    if (!x->seen_element) {
        snprintf(msg, size, "the input holds no XML element");
        return true;
    }
    return false;
}

static void
sax_error(void *ctx, xmlErrorPtr e)
{
    struct marc_xml_reader *x = ctx;
    if (x->stopped || x->finished || !e)
        return;
    char msg[240], cb[32];
    xmlParserCtxtPtr c = e->ctxt ? (xmlParserCtxtPtr)e->ctxt : x->ctxt;
    if (!c || !explain_end(x, c, e->code, msg, sizeof msg))
        snprintf(msg, sizeof msg, "%s", e->message ? e->message : "unknown XML error");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    for (char *q = msg; (q = strchr(q, '\n')) != NULL;)
        *q = ' ';
    if (e->code == XML_ERR_NAME_REQUIRED && strstr(msg, "EntityRef"))
        snprintf(msg + n, sizeof msg - n, " (a '&' in text must be written &amp;)");
    if (e->code == XML_ERR_UNDECLARED_ENTITY || e->code == XML_WAR_UNDECLARED_ENTITY)
        snprintf(msg + n, sizeof msg - n,
                 " (only the predefined entities and character "
                 "references are read, never declared or external ones)");
    long line = e->line > 0 ? x->line_base + e->line : marc_marcxml_line(x);
    int col = x->slices && e->line == 1 ? 0 : e->int2; /* the wrapper shifts line 1 */
    bool converting = e->domain == XML_FROM_I18N;
    x->err_at = converting ? conversion_error_at(x, e->str1) : -1;
    if (x->err_at >= 0)
        col = 0;
    if (e->level == XML_ERR_FATAL)
        fatal_error(x, c, line, col, msg, converting);
    else if (e->level == XML_ERR_WARNING)
        marc_marcxml_report(&x->b, MARC_SEV_WARNING, "xml-warning", error_place(x, line),
                            "XML%s: %s", column(col, cb), msg);
    else
        marc_marcxml_report(&x->b, MARC_SEV_ERROR, "xml-error", error_place(x, line),
                            "XML%s: %s", column(col, cb), msg);
    x->err_at = -1;
}

/* libxml2 also reports some problems outside any parser context. */
static void
generic_error(void *ctx, const char *fmt, ...)
{
}

/* libxml2's handlers, saved while ours are installed. */
struct xml_guard {
    xmlGenericErrorFunc gfn;
    void *gctx;
    xmlStructuredErrorFunc sfn;
    void *sctx;
};

static void
guard_on(struct marc_xml_reader *x, struct xml_guard *g)
{
    g->gfn = xmlGenericError;
    g->gctx = xmlGenericErrorContext;
    g->sfn = xmlStructuredError;
    g->sctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(x, generic_error);
    xmlSetStructuredErrorFunc(x, sax_error);
}

static void
guard_off(const struct xml_guard *g)
{
    xmlSetGenericErrorFunc(g->gctx, g->gfn);
    xmlSetStructuredErrorFunc(g->sctx, g->sfn);
}

/* ---- feeding the parser ---- */

static xmlParserCtxtPtr
parser_new(struct marc_xml_reader *x, const char *first, int n)
{
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = sax_start;
    sax.endElementNs = sax_end;
    sax.characters = sax_text;
    sax.cdataBlock = sax_text;
    sax.ignorableWhitespace = sax_text;
    sax.serror = sax_error;
    xmlParserCtxtPtr c = xmlCreatePushParserCtxt(&sax, x, first, n, NULL);
    if (!c) {
        fprintf(stderr, "colophon: out of memory (libxml2)\n");
        abort();
    }
    xmlCtxtUseOptions(c, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
    return c;
}

static void
parser_free(struct marc_xml_reader *x)
{
    if (x->ctxt) {
        /* Entity declarations make libxml2 keep a stub document (its
         * "SAX compatibility mode"); it is ours to free. */
        if (x->ctxt->myDoc)
            xmlFreeDoc(x->ctxt->myDoc);
        xmlFreeParserCtxt(x->ctxt);
        x->ctxt = NULL;
    }
}

static void
reset_sax(struct marc_xml_reader *x)
{
    marc_marcxml_build_reset(&x->b);
    x->stopped = false;
}

static void
io_failure(struct marc_xml_reader *x)
{
    marc_marcxml_queue_error(&x->b, MARC_XML_D_FATAL, MARC_ERR_IO, "io", 0,
                             marc_input_offset(x->in), "read error: %s", strerror(x->in->error));
    x->finished = true;
}

/*
 * xmlParseChunk, and the one failure it does not report: bytes its decoder
 * cannot convert in a later piece make it halt silently.
 */
static void
parse_chunk(struct marc_xml_reader *x, const char *p, size_t k, bool last)
{
    int rc = xmlParseChunk(x->ctxt, p, (int)k, last);
    if (x->resync_later) {
        x->resync_at = x->ctxt_base + xmlByteConsumed(x->ctxt);
        x->resync_later = false;
    }
    if (rc != 0 && !x->stopped && !x->finished) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "the XML parser stopped (error %d): the input may not be in the declared "
                 "encoding %s",
                 rc, x->ctxt->encoding ? (const char *)x->ctxt->encoding : "UTF-8");
        fatal_error(x, x->ctxt, marc_marcxml_line(x), 0, msg, false);
    }
}

/* Give the document parser its next piece of input (the whole-file pass). */
static void
feed_document(struct marc_xml_reader *x)
{
    struct marc_input *in = x->in;
    ssize_t n = marc_input_ensure(in, FEED_CHUNK);
    if (n < 0) {
        io_failure(x);
        return;
    }
    size_t k = (size_t)n < FEED_CHUNK ? (size_t)n : FEED_CHUNK;
    bool last = in->eof && k == (size_t)n;
    const char *p = marc_input_ptr(in);
    if (!x->ctxt) {
        const unsigned char *u = (const unsigned char *)p;
        x->ascii_compat = k < 2 || (u[0] != 0 && u[1] != 0 && u[0] != 0xFE && u[0] != 0xFF &&
                                    u[0] != 0x4C); /* not UTF-16/32, not EBCDIC */
        int first = k < 4 ? (int)k : 4;
        x->ctxt_base = marc_input_offset(in);
        x->fed_start = x->ctxt_base;
        x->fed_ptr = p;
        x->fed_len = (size_t)first;
        x->ctxt = parser_new(x, p, first);
        p += first;
        marc_input_consume(in, (size_t)first);
        k -= (size_t)first;
    }
    long long start = marc_input_offset(in);
    x->fed_start = start;
    x->fed_ptr = p;
    x->fed_len = k;
    x->fed_end = start + (long long)k;
    parse_chunk(x, p, k, last);
    if (x->stopped && x->recover && !x->finished) {
        /* Rewind to the error so the resync scan sees what followed it. */
        long long at = x->resync_at < in->base ? in->base : x->resync_at;
        if (at > start + (long long)k)
            at = start + (long long)k;
        in->pos = (size_t)(at - in->base);
        x->resync_at = at;
        x->slices = true;
        parser_free(x);
        return;
    }
    marc_input_consume(in, k);
    if (last)
        x->finished = true;
}

/* Length of an XML name at p (up to a delimiter). */
static size_t
name_len(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && p[i] != '>' && p[i] != '/' && p[i] != ' ' && p[i] != '\t' && p[i] != '\n' &&
           p[i] != '\r')
        i++;
    return i;
}

static bool
is_record_name(const char *p, size_t len)
{
    const char *colon = memchr(p, ':', len);
    const char *local = colon ? colon + 1 : p;
    return (size_t)(p + len - local) == 6 && memcmp(local, "record", 6) == 0;
}

/*
 * Find the next record element at or after rel bytes into the input: its start
 * and end (both relative to the input position).  Returns 1, 0 at the end of
 * input with no record, -1 on a read error.
 */
static int
scan_record(struct marc_xml_reader *x, size_t rel, size_t *start, size_t *end)
{
    struct marc_input *in = x->in;
    size_t want = FEED_CHUNK, i = rel, s = 0, qlen = 0;
    int depth = 0;
    bool found = false;
    for (;;) {
        ssize_t n = marc_input_ensure(in, want);
        if (n < 0)
            return -1;
        const char *p = marc_input_ptr(in);
        size_t avail = (size_t)n;
        for (; i < avail; i++) {
            if (p[i] != '<')
                continue;
            if (i + 1 >= avail) {
                if (in->eof)
                    continue;
                break; /* look again once more is read */
            }
            bool close = p[i + 1] == '/';
            size_t at = i + 1 + close;
            size_t len = name_len(p + at, avail - at);
            if (at + len >= avail && !in->eof)
                break; /* the name may go on in bytes not read yet */
            if (!found) {
                if (close || !is_record_name(p + at, len))
                    continue;
                found = true;
                s = i;
                qlen = len;
                depth = 0;
            }
            if (len != qlen || memcmp(p + at, p + s + 1, qlen) != 0)
                continue;
            const char *gt = memchr(p + at + len, '>', avail - at - len);
            if (!gt)
                break;
            if (close)
                depth--;
            else if (gt[-1] != '/')
                depth++;
            if (depth <= 0) {
                *start = s;
                *end = (size_t)(gt - p) + 1;
                return 1;
            }
            i = (size_t)(gt - p);
        }
        if (in->eof) {
            if (!found)
                return 0;
            *start = s;
            *end = avail; /* unterminated: the parser will say so */
            return 1;
        }
        want = avail * 2;
    }
}

static long
count_nl(const char *p, size_t n)
{
    long k = 0;
    for (size_t i = 0; i < n; i++)
        k += p[i] == '\n';
    return k;
}

/* Recovery: parse the next record found in the raw bytes on its own. */
static void
feed_slice(struct marc_xml_reader *x)
{
    struct marc_input *in = x->in;
    long long from = x->resync_at;
    if (from < marc_input_offset(in))
        from = marc_input_offset(in);
    size_t rel = (size_t)(from - marc_input_offset(in)), s = 0, e = 0;
    int rc = scan_record(x, rel, &s, &e);
    if (rc < 0) {
        io_failure(x);
        return;
    }
    if (rc == 0) {
        if (x->resync_lost)
            marc_marcxml_report(
                &x->b, MARC_SEV_NOTE, "xml-recovery", marc_marcxml_at_line(x->resync_line),
                "no <record> follows the error; the rest of the input was not read");
        marc_input_consume(in, marc_input_avail(in));
        x->finished = true;
        return;
    }
    const char *p = marc_input_ptr(in);
    long line = x->resync_line + count_nl(p + rel, s - rel);
    if (x->resync_lost)
        marc_marcxml_report(&x->b, MARC_SEV_NOTE, "xml-recovery", marc_marcxml_at_line(line),
                            "reading resumes at the <record> on line %ld", line);
    struct marc_buf pro = MARC_BUF_INIT;
    marc_buf_printf(&pro, "<?xml version=\"1.0\" encoding=\"%s\"?><" WRAPPER "%s>",
                    x->encoding ? x->encoding : "UTF-8", x->ns_decls ? x->ns_decls : "");
    reset_sax(x);
    x->line_base = line - 1;
    x->ctxt_base = in->base + (long long)(in->pos + s) - (long long)pro.len;
    x->resync_lost = false;
    x->fed_start = marc_input_offset(in) + (long long)s;
    x->fed_ptr = NULL; /* the wrapper is not input */
    x->ctxt = parser_new(x, pro.data, 4);
    parse_chunk(x, pro.data + 4, pro.len - 4, false);
    marc_buf_free(&pro);
    for (size_t at = s; at < e && !x->stopped; at += FEED_CHUNK) {
        size_t k = e - at < FEED_CHUNK ? e - at : FEED_CHUNK;
        x->fed_start = marc_input_offset(in) + (long long)at;
        x->fed_ptr = p + at;
        x->fed_len = k;
        parse_chunk(x, p + at, k, false);
    }
    if (!x->stopped)
        parse_chunk(x, "</" WRAPPER ">", strlen("</" WRAPPER ">"), true);
    if (x->b.rec_depth && !x->stopped) /* cannot happen when the parser saw the end */
        abandon_record(x, marc_marcxml_line(x), 0, "the record does not end");
    parser_free(x);
    if (x->finished)
        return;
    long long slice_start = marc_input_offset(in) + (long long)s;
    long long slice_end = marc_input_offset(in) + (long long)e;
    if (x->stopped && x->resync_at > slice_start && x->resync_at < slice_end) {
        marc_input_consume(in, (size_t)(x->resync_at - marc_input_offset(in)));
    } else {
        x->resync_line = line + count_nl(p + s, e - s);
        x->resync_lost = false;
        marc_input_consume(in, e);
        x->resync_at = marc_input_offset(in);
    }
}

/* ---- the reader ---- */

static void
no_records_warning(struct marc_xml_reader *x)
{
    if (x->b.opened == 0 && x->b.root[0])
        marc_marcxml_report(&x->b, MARC_SEV_WARNING, "xml-no-records", marc_marcxml_at_line(0),
                            "no MARC <record> element found; the root element is %s", x->b.root);
    x->b.opened = -1; /* said once */
}

struct marc_xml_reader *
marc_marcxml_reader_new(struct marc_input *in, bool recover)
{
    struct marc_xml_reader *x = xcalloc(1, sizeof *x);
    x->in = in;
    x->recover = recover;
    x->ascii_compat = true;
    x->err_at = -1;
    marc_marcxml_build_init(&x->b, x, recover);
    return x;
}

int
marc_marcxml_reader_next(struct marc_xml_reader *x, struct marc_record *r,
                         struct marc_decode_ctx *ctx)
{
    struct xml_guard g;
    guard_on(x, &g);
    while (x->b.next_rec == x->b.nrecs && !x->finished) {
        marc_marcxml_compact(&x->b);
        if (x->slices)
            feed_slice(x);
        else
            feed_document(x);
        if (x->finished && x->b.opened == 0)
            no_records_warning(x);
    }
    guard_off(&g);
    return marc_marcxml_hand_out(&x->b, r, ctx);
}

void
marc_marcxml_reader_free(struct marc_xml_reader *x)
{
    if (!x)
        return;
    if (x->ctxt) {
        struct xml_guard g;
        guard_on(x, &g);
        parser_free(x);
        guard_off(&g);
    }
    marc_marcxml_build_free(&x->b);
    free(x->encoding);
    free(x->ns_decls);
    free(x);
}

/* Keeps the first error of a decode whose other reports do not matter. */
struct first_error {
    bool have;
    struct marc_diag d;
};

static void
keep_first_error(void *arg, const struct marc_diag *d)
{
    struct first_error *f = arg;
    if (d->severity == MARC_SEV_ERROR && !f->have) {
        f->have = true;
        f->d = *d;
    }
}

/* After the one record of a text: more records are ignored (say so), broken
 * XML after it is an error. */
static void
check_rest(struct marc_xml_reader *x, struct marc_decode_ctx *ctx)
{
    struct first_error first = {false, {0}};
    struct marc_decode_ctx more = *ctx;
    more.errors = more.warnings = 0;
    more.diag = keep_first_error;
    more.diag_ctx = &first;
    struct marc_record *extra = marc_record_new();
    int rc = marc_marcxml_reader_next(x, extra, &more);
    marc_record_free(extra);
    if (rc == 1) {
        marc_codec_report(ctx, MARC_SEV_WARNING, MARC_ERR_FORMAT, "xml-extra-record", NULL, 0, -1,
                          more.line,
                          "the text holds more than one <record>; only the first was read");
    } else if (rc < 0 && first.have) {
        marc_marcxml_forward(ctx, (enum marc_err)rc, &first.d, true);
    }
}

int
marc_marcxml_decode(struct marc_record *r, const char *xml, size_t len, struct marc_decode_ctx *ctx)
{
    struct marc_input mem;
    memset(&mem, 0, sizeof mem);
    mem.fd = -1;
    mem.buf = (char *)xml; /* never written: the input is already at its end */
    mem.cap = mem.end = len;
    mem.base = ctx->offset > 0 ? ctx->offset : 0;
    mem.size = (long long)len;
    mem.eof = true;
    struct marc_xml_reader *x = marc_marcxml_reader_new(&mem, ctx->recover);
    x->line_base = ctx->line > 1 ? ctx->line - 1 : 0;
    int rc = marc_marcxml_reader_next(x, r, ctx);
    if (rc == 0) {
        marc_record_clear(r);
        marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "xml-no-record", NULL, 0, -1,
                          x->line_base + 1, "the text holds no MARCXML <record>");
    } else if (rc > 0) {
        long line = ctx->line;
        long long offset = ctx->offset;
        check_rest(x, ctx);
        ctx->line = line;
        ctx->offset = offset;
    }
    marc_marcxml_reader_free(x);
    return marc_codec_result(ctx);
}
