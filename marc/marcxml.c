/*
 * marcxml.c - MARCXML reader and writer (see marcxml.h).
 *
 * Reading uses libxml2's push parser with our own SAX callbacks: bytes go
 * from the marc_input to the parser in large pieces, the callbacks build each
 * <record> straight into a small queue (field bytes in one buffer, as the
 * record model stores them), and next() hands the queued records out one by
 * one.  No DOM is built, so memory stays flat whatever the file size.  We do
 * not use xmlTextReader: libxml2 2.9's reader refuses to go on after any
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
 * Writing does not touch libxml2: records are escaped with a byte table and
 * appended to the output buffer directly.
 *
 * This is the only file that includes libxml2's headers.
 */
#include "marcxml.h"

#include "marc-int.h"
#include "utf8.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MARCXML_NS "http://www.loc.gov/MARC21/slim"
#define FEED_CHUNK (64u * 1024)
#define WRAPPER    "x-colophon-recovery"

/* Namespaces whose <record> is MARC: MARCXML and MarcXchange (ISO 25577). */
static const char *const marc_namespaces[] = {
    MARCXML_NS,
    "info:lc/xmlns/marcxchange-v1",
    "info:lc/xmlns/marcxchange-v2",
};

enum diag_kind {
    D_RECORD, /* about the record it is queued with: counts in its ctx */
    D_LOOSE,  /* between records: shown, not counted against a record */
    D_FATAL,  /* the XML cannot be read further: next() fails */
};

struct pend_diag {
    struct marc_diag d;
    enum marc_err err;
    uint8_t kind;
    bool in_record;
};

struct pend_field {
    char tag[4];
    bool control;
    size_t off, len; /* in x->body */
};

/* A record parsed but not yet handed out; ranges end where the next begins. */
struct pend_record {
    char leader[MARC_LEADER_LEN + 1];
    long line;
    long long offset;
    size_t field_end, body_end, diag_end;
};

enum elem { E_NONE, E_LEADER, E_CONTROL, E_DATA, E_SUBFIELD };

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
    long long fed_end; /* input offset after the last byte given to the parser */

    /* SAX state */
    int depth;
    int rec_depth;  /* depth of the open <record>, 0 when none */
    int coll_depth; /* depth of an open MARC <collection>, 0 when none */
    int skip_depth; /* inside a subtree we ignore, opened at this depth */
    enum elem cur;
    bool drop_field, drop_sub, text_reported, have_leader;
    char tag[4];
    char code;
    long field_line;
    size_t field_mark, sub_mark;
    struct marc_buf leader;
    char rec_leader[MARC_LEADER_LEN + 1];
    long rec_line;
    long long rec_offset;
    size_t open_field0;
    long opened; /* records begun */
    bool seen_element;
    char root[80]; /* the root element when it is not a MARC collection */

    /* queue */
    struct marc_buf body;
    struct pend_field *fields;
    size_t nfields, fields_cap;
    struct pend_diag *diags;
    size_t ndiags, diags_cap;
    struct pend_record *recs;
    size_t nrecs, recs_cap, next_rec;
};

static const char default_leader[] = "00000nam a2200000 i 4500";

/* ---- diagnostics queued by the parser callbacks ---- */

static long
cur_line(const struct marc_xml_reader *x)
{
    return x->line_base + (x->ctxt && x->ctxt->input ? x->ctxt->input->line : 0);
}

static struct marc_diag *
vqueue_diag(struct marc_xml_reader *x, enum diag_kind kind, enum marc_severity sev,
            enum marc_err err, const char *code, long line, const char *fmt, va_list ap)
{
    if (x->ndiags == x->diags_cap) {
        x->diags_cap = x->diags_cap ? x->diags_cap * 2 : 16;
        x->diags = xrealloc(x->diags, x->diags_cap * sizeof *x->diags);
    }
    struct pend_diag *p = &x->diags[x->ndiags++];
    marc_diag_set(&p->d, sev, code, "%s", "");
    vsnprintf(p->d.message, sizeof p->d.message, fmt, ap);
    p->d.line = line;
    p->err = err;
    p->kind = (uint8_t)kind;
    p->in_record = x->rec_depth > 0;
    return &p->d;
}

static struct marc_diag *queue_diag(struct marc_xml_reader *x, enum diag_kind kind,
                                    enum marc_err err, const char *code, long line, const char *fmt,
                                    ...) __attribute__((format(printf, 6, 7)));
static struct marc_diag *
queue_diag(struct marc_xml_reader *x, enum diag_kind kind, enum marc_err err, const char *code,
           long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct marc_diag *d = vqueue_diag(x, kind, MARC_SEV_ERROR, err, code, line, fmt, ap);
    va_end(ap);
    return d;
}

/* A problem with the record being built (or between records when none is). */
static struct marc_diag *report(struct marc_xml_reader *x, enum marc_severity sev, const char *code,
                                long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static struct marc_diag *
report(struct marc_xml_reader *x, enum marc_severity sev, const char *code, long line,
       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    /* An error outside any record (a stray field, lost text) stops a strict
     * reader; a recovering one reports it and goes on. */
    enum diag_kind kind = x->rec_depth                           ? D_RECORD
                          : sev == MARC_SEV_ERROR && !x->recover ? D_FATAL
                                                                 : D_LOOSE;
    struct marc_diag *d = vqueue_diag(x, kind, sev, MARC_ERR_FORMAT, code, line, fmt, ap);
    va_end(ap);
    return d;
}

/* Occurrence the field being read will have among the record's fields. */
static int
occurrence(const struct marc_xml_reader *x, const char *tag)
{
    int n = 1;
    for (size_t i = x->open_field0; i < x->nfields; i++)
        if (memcmp(x->fields[i].tag, tag, 3) == 0)
            n++;
    return n;
}

/* Name the current field (and subfield) in d. */
static void
locate(const struct marc_xml_reader *x, struct marc_diag *d, char subfield)
{
    if (!x->tag[0])
        return;
    memcpy(d->tag, x->tag, 4);
    d->occurrence = occurrence(x, x->tag);
    d->subfield = subfield;
}

/* ---- the record under construction ---- */

static void
push_field(struct marc_xml_reader *x, bool control)
{
    if (x->nfields == x->fields_cap) {
        x->fields_cap = x->fields_cap ? x->fields_cap * 2 : 64;
        x->fields = xrealloc(x->fields, x->fields_cap * sizeof *x->fields);
    }
    struct pend_field *f = &x->fields[x->nfields++];
    memcpy(f->tag, x->tag, 4);
    f->control = control;
    f->off = x->field_mark;
    f->len = x->body.len - x->field_mark;
}

static bool
is_marc_ns(const xmlChar *uri)
{
    if (!uri)
        return true;
    for (size_t i = 0; i < sizeof marc_namespaces / sizeof *marc_namespaces; i++)
        if (strcmp((const char *)uri, marc_namespaces[i]) == 0)
            return true;
    return false;
}

static bool
streq(const xmlChar *a, const char *b)
{
    return strcmp((const char *)a, b) == 0;
}

/*
 * Value of the un-namespaced attribute `name` copied into buf (at most 31
 * bytes kept), or NULL; *len gets its whole length.  libxml2 hands attribute
 * values over with each '&' written as "&#38;" (so that a tree could be
 * serialised again): undo that.
 */
static const char *
attr(int nb, const xmlChar **attrs, const char *name, char buf[32], size_t *len)
{
    for (int i = 0; i < nb; i++) {
        const xmlChar **a = attrs + 5 * i;
        if (a[2] || !streq(a[0], name))
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

/* Where the start tag that the parser has just read began: input offset and line. */
static void
tag_start(struct marc_xml_reader *x, long long *offset, long *line)
{
    long long after = x->ctxt_base + xmlByteConsumed(x->ctxt);
    *offset = after;
    *line = cur_line(x);
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

static void
record_open(struct marc_xml_reader *x)
{
    x->rec_depth = x->depth;
    x->cur = E_NONE;
    x->have_leader = false;
    x->text_reported = false;
    x->tag[0] = '\0';
    memcpy(x->rec_leader, default_leader, sizeof default_leader);
    x->open_field0 = x->nfields;
    x->opened++;
    tag_start(x, &x->rec_offset, &x->rec_line);
}

static void
record_queue(struct marc_xml_reader *x)
{
    if (x->nrecs == x->recs_cap) {
        x->recs_cap = x->recs_cap ? x->recs_cap * 2 : 16;
        x->recs = xrealloc(x->recs, x->recs_cap * sizeof *x->recs);
    }
    struct pend_record *p = &x->recs[x->nrecs++];
    memcpy(p->leader, x->rec_leader, sizeof p->leader);
    p->line = x->rec_line;
    p->offset = x->rec_offset;
    p->field_end = x->nfields;
    p->body_end = x->body.len;
    p->diag_end = x->ndiags;
    x->rec_depth = 0;
    x->cur = E_NONE;
    x->tag[0] = '\0';
}

static void
record_close(struct marc_xml_reader *x)
{
    if (!x->have_leader) {
        bool empty = x->nfields == x->open_field0;
        struct marc_diag *d = report(x, MARC_SEV_ERROR, "leader-missing", x->rec_line,
                                     "<record>%s has no <leader>", empty ? " is empty: it" : "");
        memcpy(d->tag, "LDR", 4);
    }
    record_queue(x);
}

/* Check the collected leader text and keep it as 24 printable ASCII bytes. */
static void
leader_close(struct marc_xml_reader *x)
{
    x->cur = E_NONE;
    if (x->have_leader) {
        struct marc_diag *d = report(x, MARC_SEV_ERROR, "leader-duplicate", x->field_line,
                                     "a second <leader> in the record; the first is kept");
        memcpy(d->tag, "LDR", 4);
        return;
    }
    x->have_leader = true;
    const char *s = x->leader.data ? x->leader.data : "";
    size_t n = x->leader.len, i = 0;
    int pos = 0;
    char out[MARC_LEADER_LEN + 1];
    memset(out, ' ', MARC_LEADER_LEN);
    out[MARC_LEADER_LEN] = '\0';
    while (i < n) {
        uint32_t cp;
        int k = marc_utf8_decode(s + i, n - i, &cp);
        if (k <= 0) {
            k = 1;
            cp = 0xFFFD;
        }
        if (pos < MARC_LEADER_LEN) {
            if (cp >= 0x20 && cp < 0x7F) {
                out[pos] = (char)cp;
            } else {
                struct marc_diag *d = report(
                    x, MARC_SEV_ERROR, "leader-byte", x->field_line,
                    "leader/%02d is U+%04X, not a printable ASCII character; read as a space", pos,
                    (unsigned)cp);
                memcpy(d->tag, "LDR", 4);
                d->position = pos;
            }
        }
        pos++;
        i += (size_t)k;
    }
    if (pos != MARC_LEADER_LEN) {
        struct marc_diag *d = report(x, MARC_SEV_ERROR, "leader-length", x->field_line,
                                     "<leader> is %d characters long, not 24 (\"%.*s\"); %s", pos,
                                     (int)(n > 40 ? 40 : n), s,
                                     pos < MARC_LEADER_LEN ? "padded with spaces" : "cut to 24");
        memcpy(d->tag, "LDR", 4);
    }
    memcpy(x->rec_leader, out, sizeof out);
}

/* Tag attribute of a field element: true when usable, else reported. */
static bool
field_tag(struct marc_xml_reader *x, const char *elem, int nb, const xmlChar **attrs)
{
    size_t len;
    char buf[32];
    const char *t = attr(nb, attrs, "tag", buf, &len);
    x->tag[0] = '\0';
    if (!t) {
        report(x, MARC_SEV_ERROR, "tag-missing", x->field_line,
               "<%s> has no tag attribute; the field is dropped", elem);
        return false;
    }
    char tag[4] = {0};
    if (len == 3)
        memcpy(tag, t, 3);
    if (len != 3 || !marc_tag_is_valid(tag)) {
        report(x, MARC_SEV_ERROR, "tag-invalid", x->field_line,
               "<%s tag=\"%.*s\">: a tag is three ASCII letters or digits; the field is dropped",
               elem, (int)(len > 20 ? 20 : len), t);
        return false;
    }
    memcpy(x->tag, tag, 4);
    bool numeric = tag[0] >= '0' && tag[0] <= '9' && tag[1] >= '0' && tag[1] <= '9' &&
                   tag[2] >= '0' && tag[2] <= '9';
    bool control = elem[0] == 'c';
    if (numeric && marc_tag_is_control(tag) != control) {
        struct marc_diag *d = report(x, MARC_SEV_ERROR, "tag-kind", x->field_line,
                                     "<%s tag=\"%s\">: %s; the field is dropped", elem, tag,
                                     control ? "only 00X tags are control fields"
                                             : "00X tags are control fields (<controlfield>)");
        locate(x, d, 0);
        return false;
    }
    return true;
}

static char
indicator(struct marc_xml_reader *x, int nb, const xmlChar **attrs, const char *name)
{
    size_t len;
    char buf[32];
    const char *v = attr(nb, attrs, name, buf, &len);
    if (v && len == 1 && (unsigned char)v[0] >= 0x20 && (unsigned char)v[0] < 0x7F)
        return v[0];
    struct marc_diag *d;
    if (!v || len == 0)
        d = report(x, MARC_SEV_WARNING, "indicator-missing", x->field_line,
                   "<datafield> has %s %s attribute; read as a blank", v ? "an empty" : "no", name);
    else
        d = report(x, MARC_SEV_ERROR, "indicator-invalid", x->field_line,
                   "%s=\"%.*s\" is not one printable ASCII character; read as a blank", name,
                   (int)(len > 20 ? 20 : len), v);
    locate(x, d, 0);
    return ' ';
}

static void
control_open(struct marc_xml_reader *x, int nb, const xmlChar **attrs)
{
    x->cur = E_CONTROL;
    x->drop_field = !field_tag(x, "controlfield", nb, attrs);
    x->field_mark = x->body.len;
}

static void
data_open(struct marc_xml_reader *x, int nb, const xmlChar **attrs)
{
    x->cur = E_DATA;
    x->text_reported = false;
    x->drop_field = !field_tag(x, "datafield", nb, attrs);
    x->field_mark = x->body.len;
    if (x->drop_field)
        return;
    char ind[2] = {indicator(x, nb, attrs, "ind1"), indicator(x, nb, attrs, "ind2")};
    marc_buf_append(&x->body, ind, 2);
}

static void
subfield_open(struct marc_xml_reader *x, int nb, const xmlChar **attrs)
{
    x->cur = E_SUBFIELD;
    x->sub_mark = x->body.len;
    x->drop_sub = x->drop_field;
    x->code = 0;
    if (x->drop_field)
        return;
    size_t len;
    char buf[32];
    const char *c = attr(nb, attrs, "code", buf, &len);
    if (c && len == 1 && marc_subfield_code_ok(c[0])) {
        x->code = c[0];
        char head[2] = {MARC_SUBFIELD_DELIM, c[0]};
        marc_buf_append(&x->body, head, 2);
        return;
    }
    struct marc_diag *d;
    if (!c)
        d = report(x, MARC_SEV_ERROR, "code-missing", cur_line(x),
                   "<subfield> has no code attribute; the subfield is dropped");
    else
        d = report(x, MARC_SEV_ERROR, "code-invalid", cur_line(x),
                   "<subfield code=\"%.*s\">: a code is one printable ASCII character other "
                   "than a space; the subfield is dropped",
                   (int)(len > 20 ? 20 : len), c);
    locate(x, d, 0);
    x->drop_sub = true;
}

/* A value may not hold the ISO 2709 separators (XML 1.1 could carry them). */
static bool
value_clean(struct marc_xml_reader *x, size_t from, char code)
{
    const char *v = x->body.data + from;
    size_t n = x->body.len - from;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c >= 0x1D && c <= 0x1F) {
            struct marc_diag *d = report(x, MARC_SEV_ERROR, "delimiter-in-value", cur_line(x),
                                         "value holds the ISO 2709 separator \\x%02X at byte %zu; "
                                         "dropped",
                                         c, i);
            locate(x, d, code);
            return false;
        }
    }
    return true;
}

static void
control_close(struct marc_xml_reader *x)
{
    x->cur = E_NONE;
    if (!x->drop_field && value_clean(x, x->field_mark, 0))
        push_field(x, true);
    else
        x->body.len = x->field_mark;
    x->tag[0] = '\0';
}

static void
subfield_close(struct marc_xml_reader *x)
{
    x->cur = E_DATA;
    if (!x->drop_sub && !value_clean(x, x->sub_mark + 2, x->code))
        x->drop_sub = true;
    if (x->drop_sub)
        x->body.len = x->sub_mark;
}

static void
data_close(struct marc_xml_reader *x)
{
    x->cur = E_NONE;
    x->text_reported = false;
    if (!x->drop_field)
        push_field(x, false);
    else
        x->body.len = x->field_mark;
    x->tag[0] = '\0';
}

/* ---- SAX callbacks ---- */

static bool
is_field_element(const xmlChar *name)
{
    return streq(name, "leader") || streq(name, "controlfield") || streq(name, "datafield") ||
           streq(name, "subfield");
}

static const char *
elem_name(enum elem e)
{
    switch (e) {
    case E_LEADER:
        return "leader";
    case E_CONTROL:
        return "controlfield";
    case E_DATA:
        return "datafield";
    case E_SUBFIELD:
        return "subfield";
    default:
        return "record";
    }
}

static void
skip_subtree(struct marc_xml_reader *x)
{
    x->skip_depth = x->depth;
}

/* An element outside any record: a wrapper to look into, or a stray field. */
static void
start_outside(struct marc_xml_reader *x, const xmlChar *localname, const xmlChar *uri)
{
    if (x->depth == 1 && !(is_marc_ns(uri) && streq(localname, "collection")))
        snprintf(x->root, sizeof x->root, "<%s>%s%s", (const char *)localname,
                 uri ? " in namespace " : " in no namespace", uri ? (const char *)uri : "");
    if (!is_marc_ns(uri))
        return;
    if (streq(localname, "record")) {
        record_open(x);
    } else if (streq(localname, "collection")) {
        x->coll_depth = x->depth;
        x->text_reported = false;
    } else if (is_field_element(localname)) {
        report(x, MARC_SEV_ERROR, "stray-field", cur_line(x),
               "<%s> outside any <record>: it belongs to no record and is not read",
               (const char *)localname);
        skip_subtree(x);
    }
}

static void
start_inside(struct marc_xml_reader *x, const xmlChar *localname, const xmlChar *uri, int nb,
             const xmlChar **attrs)
{
    x->field_line = cur_line(x);
    if (x->cur == E_LEADER || x->cur == E_CONTROL || x->cur == E_SUBFIELD) {
        struct marc_diag *d = report(x, MARC_SEV_ERROR, "element-in-value", x->field_line,
                                     "element <%s> inside <%s>: its text would be lost",
                                     (const char *)localname, elem_name(x->cur));
        locate(x, d, x->cur == E_SUBFIELD ? x->code : 0);
        skip_subtree(x);
        return;
    }
    if (!is_marc_ns(uri)) {
        skip_subtree(x); /* another vocabulary's element: not ours to read */
        return;
    }
    if (x->cur == E_DATA) {
        if (streq(localname, "subfield")) {
            subfield_open(x, nb, attrs);
            return;
        }
    } else if (streq(localname, "leader")) {
        x->cur = E_LEADER;
        marc_buf_reset(&x->leader);
        return;
    } else if (streq(localname, "controlfield")) {
        control_open(x, nb, attrs);
        return;
    } else if (streq(localname, "datafield")) {
        data_open(x, nb, attrs);
        return;
    }
    struct marc_diag *d = report(x, MARC_SEV_ERROR, "element-unknown", x->field_line,
                                 "unknown element <%s> in <%s>; its content is not read",
                                 (const char *)localname, elem_name(x->cur));
    if (x->cur == E_DATA && !x->drop_field)
        locate(x, d, 0);
    skip_subtree(x);
}

static void
sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
          int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
          const xmlChar **attributes)
{
    struct marc_xml_reader *x = ctx;
    if (x->stopped)
        return;
    x->depth++;
    x->seen_element = true;
    if (x->skip_depth)
        return;
    if (!x->rec_depth)
        start_outside(x, localname, uri);
    else
        start_inside(x, localname, uri, nb_attributes, attributes);
}

static void
sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
    struct marc_xml_reader *x = ctx;
    if (x->stopped)
        return;
    int depth = x->depth--;
    if (x->skip_depth) {
        if (depth == x->skip_depth)
            x->skip_depth = 0;
        return;
    }
    if (!x->rec_depth) {
        if (depth == x->coll_depth)
            x->coll_depth = 0;
        return;
    }
    if (depth == x->rec_depth) {
        record_close(x);
        return;
    }
    switch (x->cur) {
    case E_LEADER:
        leader_close(x);
        break;
    case E_CONTROL:
        control_close(x);
        break;
    case E_SUBFIELD:
        subfield_close(x);
        break;
    default:
        data_close(x);
        break;
    }
}

static bool
blank(const xmlChar *s, int len)
{
    for (int i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return false;
    return true;
}

/* Text where MARCXML has none: say once per element that it is lost. */
static void
stray_text(struct marc_xml_reader *x, const xmlChar *s, int len)
{
    if (x->text_reported || blank(s, len))
        return;
    x->text_reported = true;
    int i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    int end = len;
    while (end > i &&
           (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\n' || s[end - 1] == '\r'))
        end--;
    int show = end - i > 30 ? 30 : end - i;
    long line = cur_line(x); /* where the text ends: count back to where it starts */
    for (int k = i; k < len; k++)
        line -= s[k] == '\n';
    struct marc_diag *d =
        report(x, MARC_SEV_ERROR, "text-lost", line,
               "text \"%.*s\" directly inside <%s> belongs to no field and is lost", show,
               (const char *)s + i, x->rec_depth ? elem_name(x->cur) : "collection");
    if (x->cur == E_DATA && !x->drop_field)
        locate(x, d, 0);
}

static void
sax_text(void *ctx, const xmlChar *s, int len)
{
    struct marc_xml_reader *x = ctx;
    if (x->stopped || x->skip_depth)
        return;
    switch (x->cur) {
    case E_LEADER:
        marc_buf_append(&x->leader, s, (size_t)len);
        return;
    case E_CONTROL:
        if (!x->drop_field)
            marc_buf_append(&x->body, s, (size_t)len);
        return;
    case E_SUBFIELD:
        if (!x->drop_sub)
            marc_buf_append(&x->body, s, (size_t)len);
        return;
    default:
        break;
    }
    if (x->rec_depth || (x->coll_depth && x->depth == x->coll_depth))
        stray_text(x, s, len);
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
        marc_buf_puts(&b, " xmlns:marc=\"" MARCXML_NS "\"");
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

/* The record open at a fatal error: keep what was read, say what was lost. */
static void
abandon_record(struct marc_xml_reader *x, long line, int col, const char *msg)
{
    char cb[32];
    if (x->cur == E_SUBFIELD || x->cur == E_DATA || x->cur == E_CONTROL)
        x->body.len = x->field_mark; /* the open field is incomplete */
    report(x, MARC_SEV_ERROR, "xml-syntax", line,
           "not well-formed XML%s: %s; the rest of this record is lost", column(col, cb), msg);
    record_queue(x);
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

static void
fatal_error(struct marc_xml_reader *x, xmlParserCtxtPtr c, long line, int col, const char *msg)
{
    char cb[32];
    x->stopped = true;
    if (x->recover && x->ascii_compat && c) {
        x->resync_at = x->ctxt_base + xmlByteConsumed(c);
        x->resync_line = x->line_base + (c->input ? c->input->line : 0);
        x->resync_lost = true;
        capture_encoding(x, c);
        capture_scope(x, c);
        if (x->rec_depth)
            abandon_record(x, line, col, msg);
        else
            report(x, MARC_SEV_ERROR, "xml-syntax", line, "not well-formed XML%s: %s",
                   column(col, cb), msg);
        return;
    }
    struct marc_diag *d =
        queue_diag(x, D_FATAL, MARC_ERR_FORMAT, "xml-syntax", line, "not well-formed XML%s: %s%s",
                   column(col, cb), msg,
                   x->recover ? "; reading cannot resume in a document in this encoding" : "");
    (void)d;
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
    long line = e->line > 0 ? x->line_base + e->line : cur_line(x);
    int col = x->slices && e->line == 1 ? 0 : e->int2; /* the wrapper shifts line 1 */
    if (e->level == XML_ERR_FATAL)
        fatal_error(x, c, line, col, msg);
    else if (e->level == XML_ERR_WARNING)
        report(x, MARC_SEV_WARNING, "xml-warning", line, "XML%s: %s", column(col, cb), msg);
    else
        report(x, MARC_SEV_ERROR, "xml-error", line, "XML%s: %s", column(col, cb), msg);
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
    x->depth = x->rec_depth = x->coll_depth = x->skip_depth = 0;
    x->cur = E_NONE;
    x->stopped = false;
    x->tag[0] = '\0';
}

static void
io_failure(struct marc_xml_reader *x)
{
    struct marc_diag *d =
        queue_diag(x, D_FATAL, MARC_ERR_IO, "io", 0, "read error: %s", strerror(x->in->error));
    d->offset = marc_input_offset(x->in);
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
    if (rc != 0 && !x->stopped && !x->finished) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "the XML parser stopped (error %d): the input may not be in the declared "
                 "encoding %s",
                 rc, x->ctxt->encoding ? (const char *)x->ctxt->encoding : "UTF-8");
        fatal_error(x, x->ctxt, cur_line(x), 0, msg);
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
        x->ctxt = parser_new(x, p, first);
        p += first;
        marc_input_consume(in, (size_t)first);
        k -= (size_t)first;
    }
    long long start = marc_input_offset(in);
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
            report(x, MARC_SEV_NOTE, "xml-recovery", x->resync_line,
                   "no <record> follows the error; the rest of the input was not read");
        marc_input_consume(in, marc_input_avail(in));
        x->finished = true;
        return;
    }
    const char *p = marc_input_ptr(in);
    long line = x->resync_line + count_nl(p + rel, s - rel);
    if (x->resync_lost)
        report(x, MARC_SEV_NOTE, "xml-recovery", line,
               "reading resumes at the <record> on line %ld", line);
    struct marc_buf pro = MARC_BUF_INIT;
    marc_buf_printf(&pro, "<?xml version=\"1.0\" encoding=\"%s\"?><" WRAPPER "%s>",
                    x->encoding ? x->encoding : "UTF-8", x->ns_decls ? x->ns_decls : "");
    reset_sax(x);
    x->line_base = line - 1;
    x->ctxt_base = in->base + (long long)(in->pos + s) - (long long)pro.len;
    x->resync_lost = false;
    x->ctxt = parser_new(x, pro.data, 4);
    parse_chunk(x, pro.data + 4, pro.len - 4, false);
    marc_buf_free(&pro);
    for (size_t at = s; at < e && !x->stopped; at += FEED_CHUNK) {
        size_t k = e - at < FEED_CHUNK ? e - at : FEED_CHUNK;
        parse_chunk(x, p + at, k, false);
    }
    if (!x->stopped)
        parse_chunk(x, "</" WRAPPER ">", strlen("</" WRAPPER ">"), true);
    if (x->rec_depth && !x->stopped) /* cannot happen when the parser saw the end */
        abandon_record(x, cur_line(x), 0, "the record does not end");
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

/* ---- handing records out ---- */

/* Drop what has been handed out, keeping the record still being parsed. */
static void
queue_compact(struct marc_xml_reader *x)
{
    if (x->next_rec < x->nrecs || x->nrecs == 0)
        return;
    const struct pend_record *last = &x->recs[x->nrecs - 1];
    size_t f0 = last->field_end, b0 = last->body_end, d0 = last->diag_end;
    if (x->nfields > f0)
        memmove(x->fields, x->fields + f0, (x->nfields - f0) * sizeof *x->fields);
    x->nfields -= f0;
    for (size_t i = 0; i < x->nfields; i++)
        x->fields[i].off -= b0;
    if (x->body.len > b0)
        memmove(x->body.data, x->body.data + b0, x->body.len - b0);
    x->body.len -= b0;
    x->field_mark = x->field_mark >= b0 ? x->field_mark - b0 : 0;
    x->sub_mark = x->sub_mark >= b0 ? x->sub_mark - b0 : 0;
    x->open_field0 = x->open_field0 >= f0 ? x->open_field0 - f0 : 0;
    if (x->ndiags > d0)
        memmove(x->diags, x->diags + d0, (x->ndiags - d0) * sizeof *x->diags);
    x->ndiags -= d0;
    x->nrecs = x->next_rec = 0;
}

/* Hand diagnostics [from, to) to ctx; returns the kind of a fatal one or 0. */
static int
replay(struct marc_xml_reader *x, size_t from, size_t to, struct marc_decode_ctx *ctx)
{
    int fatal = 0;
    for (size_t i = from; i < to; i++) {
        struct pend_diag *p = &x->diags[i];
        struct marc_diag d = p->d;
        d.record = p->in_record ? ctx->record : 0;
        if (p->kind != D_LOOSE) {
            if (d.severity == MARC_SEV_ERROR && ctx->errors++ == 0)
                ctx->first_error = p->err;
            else if (d.severity == MARC_SEV_WARNING)
                ctx->warnings++;
        }
        if (p->kind == D_FATAL && !fatal)
            fatal = p->err;
        if (ctx->diag)
            ctx->diag(ctx->diag_ctx, &d);
    }
    return fatal;
}

static void
build_record(struct marc_xml_reader *x, size_t k, struct marc_record *r)
{
    const struct pend_record *p = &x->recs[k];
    size_t f0 = k ? x->recs[k - 1].field_end : 0;
    size_t b0 = k ? x->recs[k - 1].body_end : 0;
    marc_record_clear(r);
    memcpy(r->leader, p->leader, sizeof r->leader);
    size_t total = p->body_end - b0;
    char *raw = marc_record_raw_reserve(r, total ? total : 1);
    if (total)
        memcpy(raw, x->body.data + b0, total);
    for (size_t i = f0; i < p->field_end; i++) {
        const struct pend_field *f = &x->fields[i];
        marc_record_push_borrowed(r, f->tag, f->control, raw + (f->off - b0), f->len);
    }
}

static void
no_records_warning(struct marc_xml_reader *x)
{
    if (x->opened == 0 && x->root[0])
        report(x, MARC_SEV_WARNING, "xml-no-records", 0,
               "no MARC <record> element found; the root element is %s", x->root);
    x->opened = -1; /* said once */
}

struct marc_xml_reader *
marc_marcxml_reader_new(struct marc_input *in, bool recover)
{
    struct marc_xml_reader *x = xcalloc(1, sizeof *x);
    x->in = in;
    x->recover = recover;
    x->ascii_compat = true;
    return x;
}

int
marc_marcxml_reader_next(struct marc_xml_reader *x, struct marc_record *r,
                         struct marc_decode_ctx *ctx)
{
    struct xml_guard g;
    guard_on(x, &g);
    while (x->next_rec == x->nrecs && !x->finished) {
        queue_compact(x);
        if (x->slices)
            feed_slice(x);
        else
            feed_document(x);
        if (x->finished && x->opened == 0)
            no_records_warning(x);
    }
    guard_off(&g);
    if (x->next_rec < x->nrecs) {
        size_t k = x->next_rec++;
        size_t d0 = k ? x->recs[k - 1].diag_end : 0;
        ctx->line = x->recs[k].line;
        ctx->offset = x->recs[k].offset;
        build_record(x, k, r);
        replay(x, d0, x->recs[k].diag_end, ctx);
        return 1;
    }
    size_t d0 = x->nrecs ? x->recs[x->nrecs - 1].diag_end : 0;
    int fatal = replay(x, d0, x->ndiags, ctx);
    x->ndiags = d0;
    return fatal ? fatal : 0;
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
    marc_buf_free(&x->leader);
    marc_buf_free(&x->body);
    free(x->fields);
    free(x->diags);
    free(x->recs);
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
        if (ctx->errors++ == 0)
            ctx->first_error = (enum marc_err)rc;
        if (ctx->diag)
            ctx->diag(ctx->diag_ctx, &first.d);
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

/* ---- writing ---- */

const char *
marc_marcxml_header(void)
{
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<collection xmlns=\"" MARCXML_NS "\">\n";
}

const char *
marc_marcxml_trailer(void)
{
    return "</collection>\n";
}

/*
 * What each byte needs: copy, escape, refuse (XML 1.0 has no C0 controls
 * but tab, newline and carriage return), or a closer look (0xEF leads
 * U+FFFE and U+FFFF, which XML 1.0 excludes too).  Text and attribute values
 * differ only in the quote.
 */
enum { X_COPY = 0, X_ESC = 1, X_BAD = 2, X_EF = 3 };
#define C0_CLASSES                                                                                 \
    2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 2, 2, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2
static const uint8_t text_class[256] = {
    C0_CLASSES, ['&'] = X_ESC, ['<'] = X_ESC, ['>'] = X_ESC, [0xEF] = X_EF,
};
static const uint8_t attr_class[256] = {
    C0_CLASSES, ['"'] = X_ESC, ['&'] = X_ESC, ['<'] = X_ESC, ['>'] = X_ESC, [0xEF] = X_EF,
};

static const char *
entity(unsigned char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\t':
        return "&#9;";
    case '\n':
        return "&#10;";
    default:
        return "&#13;";
    }
}

/* Append s escaped; false with *bad (offset) when XML 1.0 cannot carry it. */
static bool
put_escaped(struct marc_buf *b, const char *s, size_t n, const uint8_t *cls, size_t *bad)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && !cls[u[j]])
            j++;
        if (j > i)
            marc_buf_append(b, s + i, j - i);
        if (j == n)
            break;
        if (cls[u[j]] == X_ESC) {
            marc_buf_puts(b, entity(u[j]));
        } else if (cls[u[j]] == X_EF && !(j + 2 < n && u[j + 1] == 0xBF && u[j + 2] >= 0xBE)) {
            marc_buf_putc(b, (char)u[j]);
        } else {
            *bad = j;
            return false;
        }
        i = j + 1;
    }
    return true;
}

static int encode_error(const struct marc_record *r, size_t i, char code, struct marc_diag *err,
                        const char *errcode, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static int
encode_error(const struct marc_record *r, size_t i, char code, struct marc_diag *err,
             const char *errcode, const char *fmt, ...)
{
    if (!err)
        return MARC_ERR_CHARSET;
    marc_diag_set(err, MARC_SEV_ERROR, errcode, "%s", "");
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
    err->subfield = code;
    return MARC_ERR_CHARSET;
}

static int
bad_char(const struct marc_record *r, size_t i, char code, const char *v, size_t at,
         size_t field_at, struct marc_diag *err)
{
    uint32_t cp = (unsigned char)v[at];
    if (cp >= 0x80)
        marc_utf8_decode(v + at, 3, &cp);
    return encode_error(r, i, code, err, "xml-char",
                        "U+%04X at byte %zu of the field cannot be written in XML 1.0", cp,
                        field_at);
}

static int
encode_field(const struct marc_record *r, size_t i, struct marc_buf *out, struct marc_diag *err)
{
    const struct marc_field *f = &r->fields[i];
    size_t bad;
    if (!marc_utf8_valid(f->data, f->len, &bad))
        return encode_error(r, i, 0, err, "utf8-invalid",
                            "invalid UTF-8 (byte \\x%02X at byte %zu of the field); MARCXML is "
                            "always UTF-8",
                            (unsigned char)f->data[bad], bad);
    char tag[4];
    memcpy(tag, f->tag, 4);
    if (f->control) {
        marc_buf_append(out, "    <controlfield tag=\"", 23);
        put_escaped(out, tag, 3, attr_class, &bad);
        marc_buf_append(out, "\">", 2);
        if (!put_escaped(out, f->data, f->len, text_class, &bad))
            return bad_char(r, i, 0, f->data, bad, bad, err);
        marc_buf_append(out, "</controlfield>\n", 16);
        return MARC_OK;
    }
    char ind[2] = {marc_field_ind1(f), marc_field_ind2(f)};
    marc_buf_append(out, "    <datafield tag=\"", 20);
    put_escaped(out, tag, 3, attr_class, &bad);
    marc_buf_append(out, "\" ind1=\"", 8);
    put_escaped(out, ind, 1, attr_class, &bad);
    marc_buf_append(out, "\" ind2=\"", 8);
    put_escaped(out, ind + 1, 1, attr_class, &bad);
    marc_buf_append(out, "\">\n", 3);
    size_t cursor = 0;
    struct marc_subfield sf;
    while (marc_field_next_subfield(f, &cursor, &sf)) {
        marc_buf_append(out, "      <subfield code=\"", 22);
        put_escaped(out, &sf.code, 1, attr_class, &bad);
        marc_buf_append(out, "\">", 2);
        if (!put_escaped(out, sf.value, sf.len, text_class, &bad))
            return bad_char(r, i, sf.code, sf.value, bad, (size_t)(sf.value - f->data) + bad, err);
        marc_buf_append(out, "</subfield>\n", 12);
    }
    marc_buf_append(out, "    </datafield>\n", 17);
    return MARC_OK;
}

int
marc_marcxml_encode(const struct marc_record *r, struct marc_buf *out, struct marc_diag *err)
{
    size_t mark = out->len, bad;
    marc_buf_append(out, "  <record>\n    <leader>", 23);
    if (!put_escaped(out, r->leader, MARC_LEADER_LEN, text_class, &bad)) {
        out->len = mark;
        return encode_error(r, r->nfields, 0, err, "leader-byte",
                            "leader/%02zu is \\x%02X, which XML 1.0 cannot carry", bad,
                            (unsigned char)r->leader[bad]);
    }
    marc_buf_append(out, "</leader>\n", 10);
    for (size_t i = 0; i < r->nfields; i++) {
        int rc = encode_field(r, i, out, err);
        if (rc < 0) {
            out->len = mark;
            if (out->data)
                out->data[mark] = '\0';
            return rc;
        }
    }
    marc_buf_append(out, "  </record>\n", 12);
    return MARC_OK;
}
