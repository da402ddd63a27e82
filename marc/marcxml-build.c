/*
 * marcxml-build.c - records from MARCXML element events (see marcxml-int.h).
 *
 * marcxml.c passes on what libxml2's parser sees (an element starts, ends,
 * holds text); this file knows what MARCXML means by it.  Each <record> is
 * built straight into a small queue, field bytes in one buffer as the record
 * model stores them, with the diagnostics about it; marcxml.c hands the
 * queued records out one by one.  What MARCXML cannot carry (a bad tag, a
 * separator byte in a value, text outside any field) is reported and
 * dropped so that reading goes on; only the XML itself breaking stops it.
 *
 * This file knows nothing of libxml2: it asks marcxml.c where the parser is
 * and what an element's attributes hold.
 */
#include "marcxml-int.h"

#include "marc-int.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Namespaces whose <record> is MARC: MARCXML and MarcXchange (ISO 25577). */
static const char *const marc_namespaces[] = {
    MARC_MARCXML_NS,
    "info:lc/xmlns/marcxchange-v1",
    "info:lc/xmlns/marcxchange-v2",
};

static const char default_leader[] = "00000nam a2200000 i 4500";

/* ---- diagnostics queued while parsing ---- */

/*
 * The parser runs ahead of the records handed out, so a problem is kept as a
 * diagnostic without its record number until its record goes out; then it
 * goes through the codec (marc_marcxml_forward), which counts it.
 */
static void
vqueue(struct marc_xml_build *b, enum marc_xml_diag_kind kind, enum marc_severity sev,
       enum marc_err err, const char *code, const struct marc_where *w, long long offset,
       const char *fmt, va_list ap) __attribute__((format(printf, 8, 0)));

static void
vqueue(struct marc_xml_build *b, enum marc_xml_diag_kind kind, enum marc_severity sev,
       enum marc_err err, const char *code, const struct marc_where *w, long long offset,
       const char *fmt, va_list ap)
{
    if (b->ndiags == b->diags_cap) {
        b->diags_cap = b->diags_cap ? b->diags_cap * 2 : 16;
        b->diags = xrealloc(b->diags, b->diags_cap * sizeof *b->diags);
    }
    struct marc_xml_pend_diag *p = &b->diags[b->ndiags++];
    struct marc_diag *d = &p->d;
    marc_diag_set(d, sev, code, "%s", "");
    vsnprintf(d->message, sizeof d->message, fmt, ap);
    d->offset = offset;
    d->line = w->line;
    if (w->tag) {
        memcpy(d->tag, w->tag, 3);
        d->tag[3] = '\0';
    }
    d->occurrence = w->occurrence;
    d->subfield = w->subfield;
    d->position = w->position;
    p->err = err;
    p->kind = (uint8_t)kind;
    p->in_record = b->rec_depth > 0;
}

void
marc_marcxml_queue_error(struct marc_xml_build *b, enum marc_xml_diag_kind kind, enum marc_err err,
                         const char *code, long line, long long offset, const char *fmt, ...)
{
    struct marc_where w = marc_marcxml_at_line(line);
    va_list ap;
    va_start(ap, fmt);
    vqueue(b, kind, MARC_SEV_ERROR, err, code, &w, offset, fmt, ap);
    va_end(ap);
}

void
marc_marcxml_report(struct marc_xml_build *b, enum marc_severity sev, const char *code,
                    struct marc_where w, const char *fmt, ...)
{
    /* An error outside any record (a stray field, lost text) stops a strict
     * reader; a recovering one reports it and goes on. */
    enum marc_xml_diag_kind kind = b->rec_depth                           ? MARC_XML_D_RECORD
                                   : sev == MARC_SEV_ERROR && !b->recover ? MARC_XML_D_FATAL
                                                                          : MARC_XML_D_LOOSE;
    va_list ap;
    va_start(ap, fmt);
    vqueue(b, kind, sev, MARC_ERR_FORMAT, code, &w, w.at >= 0 ? w.at : -1, fmt, ap);
    va_end(ap);
}

struct marc_where
marc_marcxml_at_line(long line)
{
    struct marc_where w = MARC_WHERE_NONE;
    w.line = line;
    return w;
}

/* The leader, at a character position (-1: none). */
static struct marc_where
in_leader(long line, int position)
{
    struct marc_where w = marc_marcxml_at_line(line);
    w.tag = "LDR";
    w.position = position;
    return w;
}

/* Occurrence the field being read will have among the record's fields. */
static int
occurrence(const struct marc_xml_build *b, const char *tag)
{
    int n = 1;
    for (size_t i = b->open_field0; i < b->nfields; i++)
        if (memcmp(b->fields[i].tag, tag, 3) == 0)
            n++;
    return n;
}

/* The field being read (and subfield), when it has a tag. */
static struct marc_where
in_field(const struct marc_xml_build *b, long line, char subfield)
{
    struct marc_where w = marc_marcxml_at_line(line);
    if (b->tag[0]) {
        w.tag = b->tag;
        w.occurrence = occurrence(b, b->tag);
        w.subfield = subfield;
    }
    return w;
}

/* ---- the record under construction ---- */

static void
push_field(struct marc_xml_build *b, bool control)
{
    if (b->nfields == b->fields_cap) {
        b->fields_cap = b->fields_cap ? b->fields_cap * 2 : 64;
        b->fields = xrealloc(b->fields, b->fields_cap * sizeof *b->fields);
    }
    struct marc_xml_pend_field *f = &b->fields[b->nfields++];
    memcpy(f->tag, b->tag, 4);
    f->control = control;
    f->off = b->field_mark;
    f->len = b->body.len - b->field_mark;
}

static bool
is_marc_ns(const char *uri)
{
    if (!uri)
        return true;
    for (size_t i = 0; i < sizeof marc_namespaces / sizeof *marc_namespaces; i++)
        if (strcmp(uri, marc_namespaces[i]) == 0)
            return true;
    return false;
}

static bool
streq(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

static void
record_open(struct marc_xml_build *b)
{
    b->rec_depth = b->depth;
    b->cur = MARC_XML_NONE;
    b->have_leader = false;
    b->text_reported = false;
    b->tag[0] = '\0';
    memcpy(b->rec_leader, default_leader, sizeof default_leader);
    b->open_field0 = b->nfields;
    b->opened++;
    marc_marcxml_tag_start(b->reader, &b->rec_offset, &b->rec_line);
}

static void
record_queue(struct marc_xml_build *b)
{
    if (b->nrecs == b->recs_cap) {
        b->recs_cap = b->recs_cap ? b->recs_cap * 2 : 16;
        b->recs = xrealloc(b->recs, b->recs_cap * sizeof *b->recs);
    }
    struct marc_xml_pend_record *p = &b->recs[b->nrecs++];
    memcpy(p->leader, b->rec_leader, sizeof p->leader);
    p->line = b->rec_line;
    p->offset = b->rec_offset;
    p->field_end = b->nfields;
    p->body_end = b->body.len;
    p->diag_end = b->ndiags;
    b->rec_depth = 0;
    b->cur = MARC_XML_NONE;
    b->tag[0] = '\0';
}

static void
record_close(struct marc_xml_build *b)
{
    if (!b->have_leader) {
        bool empty = b->nfields == b->open_field0;
        marc_marcxml_report(b, MARC_SEV_ERROR, "leader-missing", in_leader(b->rec_line, -1),
                            "<record>%s has no <leader>", empty ? " is empty: it" : "");
    }
    record_queue(b);
}

/* Check the collected leader text and keep it as 24 printable ASCII bytes. */
static void
leader_close(struct marc_xml_build *b)
{
    b->cur = MARC_XML_NONE;
    if (b->have_leader) {
        marc_marcxml_report(b, MARC_SEV_ERROR, "leader-duplicate", in_leader(b->field_line, -1),
                            "a second <leader> in the record; the first is kept");
        return;
    }
    b->have_leader = true;
    const char *s = b->leader.data ? b->leader.data : "";
    size_t n = b->leader.len, i = 0;
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
            if (cp >= 0x20 && cp < 0x7F)
                out[pos] = (char)cp;
            else
                marc_marcxml_report(b, MARC_SEV_ERROR, "leader-byte", in_leader(b->field_line, pos),
                                    "leader/%02d is U+%04X, not a printable ASCII character; "
                                    "read as a space",
                                    pos, (unsigned)cp);
        }
        pos++;
        i += (size_t)k;
    }
    if (pos != MARC_LEADER_LEN)
        marc_marcxml_report(b, MARC_SEV_ERROR, "leader-length", in_leader(b->field_line, -1),
                            "<leader> is %d characters long, not 24 (\"%.*s\"); %s", pos,
                            (int)(n > 40 ? 40 : n), s,
                            pos < MARC_LEADER_LEN ? "padded with spaces" : "cut to 24");
    memcpy(b->rec_leader, out, sizeof out);
}

/* Tag attribute of a field element: true when usable, else reported. */
static bool
field_tag(struct marc_xml_build *b, const char *elem, int nb, const void *attrs)
{
    size_t len;
    char buf[32];
    const char *t = marc_marcxml_attr(nb, attrs, "tag", buf, &len);
    b->tag[0] = '\0';
    if (!t) {
        marc_marcxml_report(b, MARC_SEV_ERROR, "tag-missing", marc_marcxml_at_line(b->field_line),
                            "<%s> has no tag attribute; the field is dropped", elem);
        return false;
    }
    char tag[4] = {0};
    if (len == 3)
        memcpy(tag, t, 3);
    if (len != 3 || !marc_tag_is_valid(tag)) {
        marc_marcxml_report(b, MARC_SEV_ERROR, "tag-invalid", marc_marcxml_at_line(b->field_line),
                            "<%s tag=\"%.*s\">: %s; the field is dropped", elem,
                            (int)(len > 20 ? 20 : len), t,
                            len == 3 && marc_tag_is_leader(tag)
                                ? "the leader's name, which no field may have"
                                : "a tag is three ASCII letters or digits");
        return false;
    }
    memcpy(b->tag, tag, 4);
    /* A <datafield> may carry a 00X tag: records in other MARC formats
     * (danMARC) give 001 indicators and subfields, and lint reports them. */
    if (elem[0] == 'c' && marc_tag_is_numeric(tag) && !marc_tag_is_control(tag)) {
        marc_marcxml_report(b, MARC_SEV_ERROR, "tag-kind", in_field(b, b->field_line, 0),
                            "<%s tag=\"%s\">: only 00X tags are control fields; the field is "
                            "dropped",
                            elem, tag);
        return false;
    }
    return true;
}

static char
indicator(struct marc_xml_build *b, int nb, const void *attrs, const char *name)
{
    size_t len;
    char buf[32];
    const char *v = marc_marcxml_attr(nb, attrs, name, buf, &len);
    if (v && len == 1 && (unsigned char)v[0] >= 0x20 && (unsigned char)v[0] < 0x7F)
        return v[0];
    struct marc_where w = in_field(b, b->field_line, 0);
    if (!v || len == 0)
        marc_marcxml_report(b, MARC_SEV_WARNING, "indicator-missing", w,
                            "<datafield> has %s %s attribute; read as a blank",
                            v ? "an empty" : "no", name);
    else
        marc_marcxml_report(b, MARC_SEV_ERROR, "indicator-invalid", w,
                            "%s=\"%.*s\" is not one printable ASCII character; read as a blank",
                            name, (int)(len > 20 ? 20 : len), v);
    return ' ';
}

static void
control_open(struct marc_xml_build *b, int nb, const void *attrs)
{
    b->cur = MARC_XML_CONTROL;
    b->drop_field = !field_tag(b, "controlfield", nb, attrs);
    b->field_mark = b->body.len;
}

static void
data_open(struct marc_xml_build *b, int nb, const void *attrs)
{
    b->cur = MARC_XML_DATA;
    b->text_reported = false;
    b->drop_field = !field_tag(b, "datafield", nb, attrs);
    b->field_mark = b->body.len;
    if (b->drop_field)
        return;
    char ind[2] = {indicator(b, nb, attrs, "ind1"), indicator(b, nb, attrs, "ind2")};
    marc_buf_append(&b->body, ind, 2);
}

static void
subfield_open(struct marc_xml_build *b, int nb, const void *attrs)
{
    b->cur = MARC_XML_SUBFIELD;
    b->sub_mark = b->body.len;
    b->drop_sub = b->drop_field;
    b->code = 0;
    if (b->drop_field)
        return;
    size_t len;
    char buf[32];
    const char *c = marc_marcxml_attr(nb, attrs, "code", buf, &len);
    if (c && len == 1 && marc_subfield_code_ok(c[0])) {
        b->code = c[0];
        char head[2] = {MARC_SUBFIELD_DELIM, c[0]};
        marc_buf_append(&b->body, head, 2);
        return;
    }
    struct marc_where w = in_field(b, marc_marcxml_line(b->reader), 0);
    if (!c)
        marc_marcxml_report(b, MARC_SEV_ERROR, "code-missing", w,
                            "<subfield> has no code attribute; the subfield is dropped");
    else
        marc_marcxml_report(b, MARC_SEV_ERROR, "code-invalid", w,
                            "<subfield code=\"%.*s\">: a code is one printable ASCII character "
                            "other than a space; the subfield is dropped",
                            (int)(len > 20 ? 20 : len), c);
    b->drop_sub = true;
}

/* A value may not hold the ISO 2709 separators (XML 1.1 could carry them). */
static bool
value_clean(struct marc_xml_build *b, size_t from, char code)
{
    size_t n = b->body.len - from;
    if (n == 0)
        return true; /* body.data may still be NULL */
    const char *v = b->body.data + from;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c >= 0x1D && c <= 0x1F) {
            marc_marcxml_report(b, MARC_SEV_ERROR, "delimiter-in-value",
                                in_field(b, marc_marcxml_line(b->reader), code),
                                "value holds the ISO 2709 separator \\x%02X at byte %zu; dropped",
                                c, i);
            return false;
        }
    }
    return true;
}

/* The end of a field: keep it, or give its bytes back when it is dropped. */
static void
field_close(struct marc_xml_build *b, bool keep, bool control)
{
    b->cur = MARC_XML_NONE;
    if (keep)
        push_field(b, control);
    else
        b->body.len = b->field_mark;
    b->tag[0] = '\0';
}

static void
subfield_close(struct marc_xml_build *b)
{
    b->cur = MARC_XML_DATA;
    if (!b->drop_sub && !value_clean(b, b->sub_mark + 2, b->code))
        b->drop_sub = true;
    if (b->drop_sub)
        b->body.len = b->sub_mark;
}

/* ---- element events ---- */

static bool
is_field_element(const char *name)
{
    return streq(name, "leader") || streq(name, "controlfield") || streq(name, "datafield") ||
           streq(name, "subfield");
}

static const char *
elem_name(enum marc_xml_elem e)
{
    switch (e) {
    case MARC_XML_LEADER:
        return "leader";
    case MARC_XML_CONTROL:
        return "controlfield";
    case MARC_XML_DATA:
        return "datafield";
    case MARC_XML_SUBFIELD:
        return "subfield";
    default:
        return "record";
    }
}

static void
skip_subtree(struct marc_xml_build *b)
{
    b->skip_depth = b->depth;
}

/* An element outside any record: a wrapper to look into, or a stray field. */
static void
start_outside(struct marc_xml_build *b, const char *localname, const char *uri)
{
    if (b->depth == 1 && !(is_marc_ns(uri) && streq(localname, "collection")))
        snprintf(b->root, sizeof b->root, "<%s>%s%s", localname,
                 uri ? " in namespace " : " in no namespace", uri ? uri : "");
    if (!is_marc_ns(uri))
        return;
    if (streq(localname, "record")) {
        record_open(b);
    } else if (streq(localname, "collection")) {
        b->coll_depth = b->depth;
        b->text_reported = false;
    } else if (is_field_element(localname)) {
        marc_marcxml_report(
            b, MARC_SEV_ERROR, "stray-field", marc_marcxml_at_line(marc_marcxml_line(b->reader)),
            "<%s> outside any <record>: it belongs to no record and is not read", localname);
        skip_subtree(b);
    }
}

static void
start_inside(struct marc_xml_build *b, const char *localname, const char *uri, int nb,
             const void *attrs)
{
    b->field_line = marc_marcxml_line(b->reader);
    if (b->cur == MARC_XML_LEADER || b->cur == MARC_XML_CONTROL || b->cur == MARC_XML_SUBFIELD) {
        marc_marcxml_report(b, MARC_SEV_ERROR, "element-in-value",
                            in_field(b, b->field_line, b->cur == MARC_XML_SUBFIELD ? b->code : 0),
                            "element <%s> inside <%s>: its text would be lost", localname,
                            elem_name(b->cur));
        skip_subtree(b);
        return;
    }
    if (!is_marc_ns(uri)) {
        skip_subtree(b); /* another vocabulary's element: not ours to read */
        return;
    }
    if (b->cur == MARC_XML_DATA) {
        if (streq(localname, "subfield")) {
            subfield_open(b, nb, attrs);
            return;
        }
    } else if (streq(localname, "leader")) {
        b->cur = MARC_XML_LEADER;
        marc_buf_reset(&b->leader);
        return;
    } else if (streq(localname, "controlfield")) {
        control_open(b, nb, attrs);
        return;
    } else if (streq(localname, "datafield")) {
        data_open(b, nb, attrs);
        return;
    }
    bool located = b->cur == MARC_XML_DATA && !b->drop_field;
    marc_marcxml_report(
        b, MARC_SEV_ERROR, "element-unknown",
        located ? in_field(b, b->field_line, 0) : marc_marcxml_at_line(b->field_line),
        "unknown element <%s> in <%s>; its content is not read", localname, elem_name(b->cur));
    skip_subtree(b);
}

void
marc_marcxml_start(struct marc_xml_build *b, const char *localname, const char *uri, int nb,
                   const void *attrs)
{
    b->depth++;
    if (b->skip_depth)
        return;
    if (!b->rec_depth)
        start_outside(b, localname, uri);
    else
        start_inside(b, localname, uri, nb, attrs);
}

void
marc_marcxml_end(struct marc_xml_build *b)
{
    int depth = b->depth--;
    if (b->skip_depth) {
        if (depth == b->skip_depth)
            b->skip_depth = 0;
        return;
    }
    if (!b->rec_depth) {
        if (depth == b->coll_depth)
            b->coll_depth = 0;
        return;
    }
    if (depth == b->rec_depth) {
        record_close(b);
        return;
    }
    switch (b->cur) {
    case MARC_XML_LEADER:
        leader_close(b);
        break;
    case MARC_XML_CONTROL:
        field_close(b, !b->drop_field && value_clean(b, b->field_mark, 0), true);
        break;
    case MARC_XML_SUBFIELD:
        subfield_close(b);
        break;
    default:
        b->text_reported = false;
        field_close(b, !b->drop_field, false);
        break;
    }
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Text where MARCXML has none: say once per element that it is lost. */
static void
stray_text(struct marc_xml_build *b, const char *s, int len)
{
    if (b->text_reported)
        return;
    int i = 0;
    while (i < len && is_space(s[i]))
        i++;
    if (i == len)
        return; /* white space between elements */
    b->text_reported = true;
    int end = len;
    while (end > i && is_space(s[end - 1]))
        end--;
    int show = end - i > 30 ? 30 : end - i;
    long line = marc_marcxml_line(b->reader); /* where the text ends: count back to its start */
    for (int k = i; k < len; k++)
        line -= s[k] == '\n';
    bool located = b->cur == MARC_XML_DATA && !b->drop_field;
    marc_marcxml_report(b, MARC_SEV_ERROR, "text-lost",
                        located ? in_field(b, line, 0) : marc_marcxml_at_line(line),
                        "text \"%.*s\" directly inside <%s> belongs to no field and is lost", show,
                        s + i, b->rec_depth ? elem_name(b->cur) : "collection");
}

void
marc_marcxml_text(struct marc_xml_build *b, const char *s, int len)
{
    if (b->skip_depth)
        return;
    switch (b->cur) {
    case MARC_XML_LEADER:
        marc_buf_append(&b->leader, s, (size_t)len);
        return;
    case MARC_XML_CONTROL:
        if (!b->drop_field)
            marc_buf_append(&b->body, s, (size_t)len);
        return;
    case MARC_XML_SUBFIELD:
        if (!b->drop_sub)
            marc_buf_append(&b->body, s, (size_t)len);
        return;
    default:
        break;
    }
    if (b->rec_depth || (b->coll_depth && b->depth == b->coll_depth))
        stray_text(b, s, len);
}

void
marc_marcxml_abandon(struct marc_xml_build *b)
{
    if (b->cur == MARC_XML_SUBFIELD || b->cur == MARC_XML_DATA || b->cur == MARC_XML_CONTROL)
        b->body.len = b->field_mark; /* the open field is incomplete */
    record_queue(b);
}

void
marc_marcxml_build_init(struct marc_xml_build *b, struct marc_xml_reader *reader, bool recover)
{
    memset(b, 0, sizeof *b);
    b->reader = reader;
    b->recover = recover;
}

void
marc_marcxml_build_reset(struct marc_xml_build *b)
{
    b->depth = b->rec_depth = b->coll_depth = b->skip_depth = 0;
    b->cur = MARC_XML_NONE;
    b->tag[0] = '\0';
}

void
marc_marcxml_build_free(struct marc_xml_build *b)
{
    marc_buf_free(&b->leader);
    marc_buf_free(&b->body);
    free(b->fields);
    free(b->diags);
    free(b->recs);
}

/* ---- handing records out ---- */

void
marc_marcxml_compact(struct marc_xml_build *b)
{
    if (b->next_rec < b->nrecs || b->nrecs == 0)
        return;
    const struct marc_xml_pend_record *last = &b->recs[b->nrecs - 1];
    size_t f0 = last->field_end, b0 = last->body_end, d0 = last->diag_end;
    if (b->nfields > f0)
        memmove(b->fields, b->fields + f0, (b->nfields - f0) * sizeof *b->fields);
    b->nfields -= f0;
    for (size_t i = 0; i < b->nfields; i++)
        b->fields[i].off -= b0;
    if (b->body.len > b0)
        memmove(b->body.data, b->body.data + b0, b->body.len - b0);
    b->body.len -= b0;
    b->field_mark = b->field_mark >= b0 ? b->field_mark - b0 : 0;
    b->sub_mark = b->sub_mark >= b0 ? b->sub_mark - b0 : 0;
    b->open_field0 = b->open_field0 >= f0 ? b->open_field0 - f0 : 0;
    if (b->ndiags > d0)
        memmove(b->diags, b->diags + d0, (b->ndiags - d0) * sizeof *b->diags);
    b->ndiags -= d0;
    b->nrecs = b->next_rec = 0;
}

void
marc_marcxml_forward(struct marc_decode_ctx *ctx, enum marc_err kind, const struct marc_diag *d,
                     bool counted)
{
    /* A copy of ctx carries d's own record number (0 between records) and
     * offset (at 0 from it, so exactly d's); its counts go back to ctx only
     * when d counts against the record. */
    struct marc_decode_ctx c = *ctx;
    c.record = d->record;
    c.offset = d->offset;
    struct marc_where w = {.tag = d->tag[0] ? d->tag : NULL,
                           .occurrence = d->occurrence,
                           .subfield = d->subfield,
                           .position = d->position,
                           .at = 0,
                           .line = d->line};
    marc_codec_report_at(&c, d->severity, kind, d->code, &w, "%s", d->message);
    if (counted) {
        ctx->errors = c.errors;
        ctx->warnings = c.warnings;
        ctx->first_error = c.first_error;
    }
}

/* Hand diagnostics [from, to) to ctx; returns the kind of a fatal one or 0. */
static int
replay(struct marc_xml_build *b, size_t from, size_t to, struct marc_decode_ctx *ctx)
{
    int fatal = 0;
    for (size_t i = from; i < to; i++) {
        const struct marc_xml_pend_diag *p = &b->diags[i];
        struct marc_diag d = p->d;
        d.record = p->in_record ? ctx->record : 0;
        marc_marcxml_forward(ctx, p->err, &d, p->kind != MARC_XML_D_LOOSE);
        if (p->kind == MARC_XML_D_FATAL && !fatal)
            fatal = p->err;
    }
    return fatal;
}

static void
build_record(const struct marc_xml_build *b, size_t k, struct marc_record *r)
{
    const struct marc_xml_pend_record *p = &b->recs[k];
    size_t f0 = k ? b->recs[k - 1].field_end : 0;
    size_t b0 = k ? b->recs[k - 1].body_end : 0;
    marc_record_clear(r);
    memcpy(r->leader, p->leader, sizeof r->leader);
    size_t total = p->body_end - b0;
    char *raw = marc_record_raw_reserve(r, total ? total : 1);
    if (total)
        memcpy(raw, b->body.data + b0, total);
    for (size_t i = f0; i < p->field_end; i++) {
        const struct marc_xml_pend_field *f = &b->fields[i];
        marc_record_push_borrowed(r, f->tag, f->control, raw + (f->off - b0), f->len);
    }
}

int
marc_marcxml_hand_out(struct marc_xml_build *b, struct marc_record *r, struct marc_decode_ctx *ctx)
{
    if (b->next_rec < b->nrecs) {
        size_t k = b->next_rec++;
        size_t d0 = k ? b->recs[k - 1].diag_end : 0;
        ctx->line = b->recs[k].line;
        ctx->offset = b->recs[k].offset;
        build_record(b, k, r);
        replay(b, d0, b->recs[k].diag_end, ctx);
        return 1;
    }
    size_t d0 = b->nrecs ? b->recs[b->nrecs - 1].diag_end : 0;
    int fatal = replay(b, d0, b->ndiags, ctx);
    b->ndiags = d0;
    return fatal;
}
