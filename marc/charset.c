/*
 * charset.c - character sets of whole records (see charset.h): MARC-8 <->
 * UTF-8 field by field through marc8.c, and NFC/NFD through ICU.  The only
 * file of Colophon that includes ICU's headers; marc8.c, the only one that
 * includes yaz's, asks it for the Unicode facts it needs (charset-int.h).
 *
 * Each subfield (and each control field) is converted on its own, starting in
 * the default MARC-8 sets, as yaz-marcdump, pymarc and marc4j do; MARC-8
 * writers re-designate at the start of every subfield.  Indicators and
 * subfield codes are ASCII in both encodings and are copied.  A problem is
 * reported with the field, the subfield and the byte in the field where it
 * is.
 *
 * A failed record-level conversion changes nothing: converted field bodies
 * collect in a scratch buffer and replace the fields only when all succeeded.
 */
#include "charset.h"
#include "charset-int.h"

#include "marc-int.h"
#include "utf8.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Unicode facts for marc8.c ---- */

bool
marc_charset_is_mark(uint32_t cp)
{
    int8_t t = u_charType((UChar32)cp);
    return t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_COMBINING_SPACING_MARK;
}

int
marc_charset_decompose(uint32_t cp, uint32_t out[8])
{
    UErrorCode ec = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&ec);
    UChar d[8];
    int32_t len = U_SUCCESS(ec) ? unorm2_getRawDecomposition(nfd, (UChar32)cp, d, 8, &ec) : -1;
    if (len <= 0 || U_FAILURE(ec))
        return 0;
    int n = 0;
    for (int32_t i = 0; i < len;) {
        UChar32 x;
        U16_NEXT(d, i, len, x);
        out[n++] = (uint32_t)x;
    }
    return n;
}

/* ---- normalisation ---- */

static const UNormalizer2 *
normalizer(enum marc_normal_form nf)
{
    UErrorCode ec = U_ZERO_ERROR;
    const UNormalizer2 *n =
        nf == MARC_NF_NFD ? unorm2_getNFDInstance(&ec) : unorm2_getNFCInstance(&ec);
    return U_SUCCESS(ec) ? n : NULL;
}

/* UTF-16 text: in a caller's stack buffer when it fits, else on the heap. */
struct u16 {
    UChar *s;
    int32_t len;
    bool heap;
};

static bool
u16_from_utf8(struct u16 *t, UChar *stack, size_t cap, const char *in, size_t len)
{
    /* A UTF-8 string never has more UTF-16 units than bytes. */
    t->heap = len > cap;
    t->s = t->heap ? xmalloc(len * sizeof(UChar)) : stack;
    UErrorCode ec = U_ZERO_ERROR;
    u_strFromUTF8(t->s, (int32_t)(t->heap ? len : cap), &t->len, in, (int32_t)len, &ec);
    return U_SUCCESS(ec);
}

static void
u16_free(struct u16 *t)
{
    if (t->heap)
        free(t->s);
}

#define STACK_UNITS 2048

/* True when valid, non-ASCII in[0..len) is not yet in the form nf. */
static bool
needs_normalizing(const UNormalizer2 *n, const char *in, size_t len)
{
    UChar stack[STACK_UNITS];
    struct u16 t;
    bool ok = u16_from_utf8(&t, stack, STACK_UNITS, in, len);
    UErrorCode ec = U_ZERO_ERROR;
    bool need = ok && unorm2_quickCheck(n, t.s, t.len, &ec) != UNORM_YES && U_SUCCESS(ec);
    u16_free(&t);
    return need;
}

/* Append the normal form of valid UTF-8 in[0..len) to out. */
static int
normalize_into(const UNormalizer2 *n, const char *in, size_t len, struct marc_buf *out)
{
    UChar stack[STACK_UNITS];
    struct u16 t;
    if (!u16_from_utf8(&t, stack, STACK_UNITS, in, len))
        return MARC_ERR_CHARSET;
    int32_t cap = t.len * 2 + 16;
    UChar *d = NULL;
    int32_t dlen;
    UErrorCode ec;
    do {
        d = xrealloc(d, (size_t)cap * sizeof(UChar));
        ec = U_ZERO_ERROR;
        dlen = unorm2_normalize(n, t.s, t.len, d, cap, &ec);
        cap = dlen + 1;
    } while (ec == U_BUFFER_OVERFLOW_ERROR);
    u16_free(&t);
    if (U_SUCCESS(ec)) {
        /* A UTF-16 unit is at most three bytes of UTF-8. */
        size_t room = (size_t)dlen * 3 + 1;
        char *p = marc_buf_reserve(out, room);
        int32_t olen;
        u_strToUTF8(p, (int32_t)room, &olen, d, dlen, &ec);
        if (U_SUCCESS(ec))
            out->len += (size_t)olen;
    }
    free(d);
    return U_SUCCESS(ec) ? MARC_OK : MARC_ERR_CHARSET;
}

/* ---- string-level API (MARC-8: marc8.c) ---- */

int
marc_utf8_normalize(const char *in, size_t len, enum marc_normal_form nf, struct marc_buf *out,
                    size_t *bad)
{
    size_t where;
    if (!marc_utf8_valid(in, len, &where)) {
        if (bad)
            *bad = where;
        return MARC_ERR_CHARSET;
    }
    const UNormalizer2 *n = nf == MARC_NF_NONE ? NULL : normalizer(nf);
    if (!n || marc_ascii_only(in, len) || !needs_normalizing(n, in, len)) {
        marc_buf_append(out, in, len);
        return MARC_OK;
    }
    int rc = normalize_into(n, in, len, out);
    if (rc != MARC_OK && bad)
        *bad = 0;
    return rc;
}

/* ---- record-level conversions ---- */

/* A converted field body waiting in job.out to replace field `field`. */
struct edit {
    size_t field, off, len;
};

struct job {
    struct marc_record *r;
    struct marc_decode_ctx *ctx;
    struct marc_marc8 *m8; /* opened by the first value that needs it */
    const UNormalizer2 *norm;
    struct marc_buf out; /* converted bodies back to back */
    struct edit *edits;
    size_t nedits, cap;
    size_t field;    /* the field being converted */
    size_t value_at; /* offset in that field of the value being converted */
    char code;       /* its subfield code, 0 in a control field */
};

/* What to do with one value: a control field's, or one subfield's. */
typedef int (*value_fn)(struct job *j, const char *in, size_t len);

static void
job_init(struct job *j, struct marc_record *r, struct marc_decode_ctx *ctx)
{
    memset(j, 0, sizeof *j);
    j->r = r;
    j->ctx = ctx;
}

static void
job_free(struct job *j)
{
    marc_marc8_free(j->m8);
    marc_buf_free(&j->out);
    free(j->edits);
}

/* The offset of a field byte in the record's ISO 2709 image, -1 when the
 * record does not hold one (it came from another format or was edited). */
static long long
record_offset(const struct marc_record *r, size_t i, size_t pos)
{
    const struct marc_field *f = &r->fields[i];
    uintptr_t raw = (uintptr_t)r->raw, p = (uintptr_t)f->data;
    if (!r->raw || r->raw_len <= MARC_LEADER_LEN || r->raw[r->raw_len - 1] != MARC_RECORD_TERM ||
        f->owned || p < raw || p + f->len > raw + r->raw_len)
        return -1;
    return (long long)(p - raw + pos);
}

static void job_report(struct job *j, enum marc_severity sev, enum marc_err kind, const char *code,
                       size_t pos, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Report a problem at byte `pos` of the current field (and subfield). */
static void
job_report(struct job *j, enum marc_severity sev, enum marc_err kind, const char *code, size_t pos,
           const char *fmt, ...)
{
    char msg[240];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const struct marc_field *f = &j->r->fields[j->field];
    struct marc_where w = {.tag = f->tag,
                           .occurrence = marc_record_occurrence(j->r, j->field),
                           .subfield = j->code,
                           .position = (int)pos,
                           .at = record_offset(j->r, j->field, pos),
                           .line = j->ctx->line};
    marc_codec_report_at(j->ctx, sev, kind, code, &w, "%s (byte %zu of the field)", msg, pos);
}

/* The converters, opened when the first value needs them. */
static struct marc_marc8 *
job_marc8(struct job *j)
{
    if (!j->m8)
        j->m8 = marc_marc8_new();
    return j->m8;
}

static int
value_to_utf8(struct job *j, const char *in, size_t len)
{
    struct marc_marc8_error e;
    if (marc_marc8_decode(job_marc8(j), in, len, &j->out, &e) == MARC_OK)
        return MARC_OK;
    job_report(j, MARC_SEV_ERROR, MARC_ERR_CHARSET, e.code, j->value_at + e.at, "%s", e.text);
    return MARC_ERR_CHARSET;
}

static void
report_utf8(struct job *j, const char *in, size_t bad)
{
    job_report(j, MARC_SEV_ERROR, MARC_ERR_CHARSET, "utf8-invalid", j->value_at + bad,
               "invalid UTF-8 (byte \\x%02X)", (unsigned char)in[bad]);
}

static void
report_ncr(void *ctx, uint32_t cp, size_t at)
{
    struct job *j = ctx;
    job_report(j, MARC_SEV_WARNING, MARC_ERR_CHARSET, "marc8-unencodable", j->value_at + at,
               "U+%04" PRIX32 " cannot be written in MARC-8; written as &#x%04" PRIX32 ";", cp, cp);
}

static int
value_to_marc8(struct job *j, const char *in, size_t len)
{
    size_t bad = 0;
    int rc = marc_marc8_encode(job_marc8(j), in, len, &j->out, &bad, report_ncr, j);
    if (rc != MARC_OK)
        report_utf8(j, in, bad);
    return rc;
}

static int
value_normalize(struct job *j, const char *in, size_t len)
{
    size_t bad;
    if (!marc_utf8_valid(in, len, &bad)) {
        report_utf8(j, in, bad);
        return MARC_ERR_CHARSET;
    }
    if (marc_ascii_only(in, len) || !needs_normalizing(j->norm, in, len)) {
        marc_buf_append(&j->out, in, len);
        return MARC_OK;
    }
    int rc = normalize_into(j->norm, in, len, &j->out);
    if (rc != MARC_OK)
        job_report(j, MARC_SEV_ERROR, rc, "normalize", j->value_at, "Unicode normalisation failed");
    return rc;
}

/* Indicators and subfield codes are ASCII in both encodings. */
static bool
check_ascii(struct job *j, const char *what, const char *s, size_t n, size_t pos)
{
    for (size_t k = 0; k < n; k++) {
        if ((unsigned char)s[k] < 0x20 || (unsigned char)s[k] > 0x7E) {
            job_report(j, MARC_SEV_ERROR, MARC_ERR_CHARSET, "charset-not-ascii", pos + k,
                       "%s byte \\x%02X is not printable ASCII", what, (unsigned char)s[k]);
            return false;
        }
    }
    return true;
}

/* The subfields of a data field body, after the indicators. */
static int
convert_subfields(struct job *j, const char *d, size_t len, value_fn fn, bool ascii_codes)
{
    size_t pos = len < 2 ? len : 2;
    while (pos < len) {
        size_t start = pos;
        j->code = 0;
        if (d[pos] == MARC_SUBFIELD_DELIM) {
            marc_buf_putc(&j->out, MARC_SUBFIELD_DELIM);
            start = pos + 1;
            if (start < len) {
                if (ascii_codes && !check_ascii(j, "subfield code", d + start, 1, start))
                    return MARC_ERR_CHARSET;
                j->code = d[start];
                marc_buf_putc(&j->out, d[start++]);
            }
        }
        const char *next = memchr(d + start, MARC_SUBFIELD_DELIM, len - start);
        size_t end = next ? (size_t)(next - d) : len;
        j->value_at = start;
        int rc = fn(j, d + start, end - start);
        if (rc != MARC_OK)
            return rc;
        pos = end;
    }
    return MARC_OK;
}

/* Convert field i into j->out and queue the result; the record is not touched. */
static int
convert_field(struct job *j, size_t i, value_fn fn, bool ascii_codes)
{
    const struct marc_field *f = &j->r->fields[i];
    size_t mark = j->out.len;
    int rc = MARC_OK;
    j->field = i;
    j->code = 0;
    j->value_at = 0;
    if (f->control) {
        rc = fn(j, f->data, f->len);
    } else {
        size_t n = f->len < 2 ? f->len : 2;
        if (ascii_codes && !check_ascii(j, "indicator", f->data, n, 0))
            rc = MARC_ERR_CHARSET;
        marc_buf_append(&j->out, f->data, n);
        if (rc == MARC_OK)
            rc = convert_subfields(j, f->data, f->len, fn, ascii_codes);
    }
    size_t len = j->out.len - mark;
    if (rc != MARC_OK || (len == f->len && memcmp(j->out.data + mark, f->data, len) == 0)) {
        j->out.len = mark;
        return rc;
    }
    if (j->nedits == j->cap) {
        j->cap = j->cap ? j->cap * 2 : 16;
        j->edits = xrealloc(j->edits, j->cap * sizeof *j->edits);
    }
    j->edits[j->nedits++] = (struct edit){i, mark, len};
    return MARC_OK;
}

/* Swap the converted bodies in: nothing can fail any more. */
static void
job_apply(struct job *j)
{
    for (size_t k = 0; k < j->nedits; k++) {
        const struct edit *e = &j->edits[k];
        struct marc_field *f = &j->r->fields[e->field];
        char *p = xmalloc(e->len + 16);
        memcpy(p, j->out.data + e->off, e->len);
        if (f->owned)
            free(f->data);
        f->data = p;
        f->len = (uint32_t)e->len;
        f->cap = (uint32_t)(e->len + 16);
        f->owned = 1;
    }
}

/* Fields that need no work are skipped before anything is allocated. */
typedef bool (*skip_fn)(const struct job *j, const struct marc_field *f);

/* Same bytes in MARC-8 and UTF-8: printable ASCII and subfield delimiters. */
static bool
field_plain(const struct job *j, const struct marc_field *f)
{
    for (size_t k = 0; k < f->len; k++) {
        unsigned char b = (unsigned char)f->data[k];
        if ((b < 0x20 && b != MARC_SUBFIELD_DELIM) || b > 0x7E)
            return false;
    }
    return true;
}

/*
 * Already in normal form.  The whole body can be checked at once: the
 * delimiters and codes between values are starters that no mark can combine
 * across, so a body that passes the quick check has values that all pass.
 */
static bool
field_normalized(const struct job *j, const struct marc_field *f)
{
    return marc_ascii_only(f->data, f->len) ||
           (marc_utf8_valid(f->data, f->len, NULL) && !needs_normalizing(j->norm, f->data, f->len));
}

/* Run fn over every field that skip does not pass; the record changes only
 * when every field converted. */
static int
convert_record(struct job *j, value_fn fn, bool ascii_codes, skip_fn skip)
{
    int rc = MARC_OK;
    for (size_t i = 0; i < j->r->nfields; i++) {
        if (skip(j, &j->r->fields[i]))
            continue;
        int e = convert_field(j, i, fn, ascii_codes);
        if (e != MARC_OK && rc == MARC_OK)
            rc = e;
        if (e != MARC_OK && !j->ctx->recover)
            break;
    }
    if (rc == MARC_OK)
        job_apply(j);
    return rc;
}

/* Marked MARC-8, but well-formed UTF-8 with non-ASCII text and no escapes. */
static bool
mislabelled(const struct marc_record *r)
{
    bool high = false;
    for (size_t i = 0; i < r->nfields; i++) {
        const struct marc_field *f = &r->fields[i];
        if (f->len == 0)
            continue; /* an empty field may have no buffer at all */
        if (memchr(f->data, MARC_MARC8_ESC, f->len))
            return false;
        if (!marc_ascii_only(f->data, f->len)) {
            if (!marc_utf8_valid(f->data, f->len, NULL))
                return false;
            high = true;
        }
    }
    return high;
}

int
marc_charset_to_utf8(struct marc_record *r, struct marc_decode_ctx *ctx)
{
    if (marc_record_is_utf8(r))
        return MARC_OK;
    if (mislabelled(r)) {
        bool image =
            r->raw && r->raw_len > MARC_LEADER_LEN && r->raw[r->raw_len - 1] == MARC_RECORD_TERM;
        marc_codec_report(ctx, MARC_SEV_WARNING, MARC_ERR_CHARSET, "charset-mislabelled", "LDR", 0,
                          image ? 9 : -1, ctx->line,
                          "leader/09 says MARC-8 but the data is UTF-8 (no MARC-8 escape "
                          "sequences); relabelled as UTF-8 without conversion");
        r->leader[9] = 'a';
        return MARC_OK;
    }
    struct job j;
    job_init(&j, r, ctx);
    int rc = convert_record(&j, value_to_utf8, true, field_plain);
    if (rc == MARC_OK)
        r->leader[9] = 'a';
    job_free(&j);
    return rc;
}

int
marc_charset_to_marc8(struct marc_record *r, struct marc_decode_ctx *ctx)
{
    if (!marc_record_is_utf8(r))
        return MARC_OK;
    struct job j;
    job_init(&j, r, ctx);
    int rc = convert_record(&j, value_to_marc8, true, field_plain);
    if (rc == MARC_OK)
        r->leader[9] = ' ';
    job_free(&j);
    return rc;
}

int
marc_charset_normalize(struct marc_record *r, enum marc_normal_form nf, struct marc_decode_ctx *ctx)
{
    /* Normal forms are defined on Unicode text; MARC-8 records are left alone. */
    if (nf == MARC_NF_NONE || !marc_record_is_utf8(r))
        return MARC_OK;
    struct job j;
    job_init(&j, r, ctx);
    j.norm = normalizer(nf);
    int rc =
        j.norm ? convert_record(&j, value_normalize, false, field_normalized) : MARC_ERR_CHARSET;
    job_free(&j);
    return rc;
}
