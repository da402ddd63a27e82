/*
 * iso2709.c - ISO 2709 decode and encode (see iso2709.h).
 *
 * The decoder copies the record's bytes once into the record's backing store
 * and points each field at its slice: no per-field allocation, which keeps
 * conversion of large files well above a gigabyte per second.  Each check
 * names what it found and where, as an absolute byte offset in the input.
 */
#include "iso2709.h"

#include "marc-int.h"
#include "utf8.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* n ASCII digits at p as a number, or -1. */
static long
digits(const char *p, int n)
{
    long v = 0;
    for (int i = 0; i < n; i++) {
        unsigned d = (unsigned char)p[i] - '0';
        if (d > 9)
            return -1;
        v = v * 10 + (long)d;
    }
    return v;
}

long
marc_iso2709_declared_length(const char *buf, size_t avail)
{
    if (avail < 5)
        return -1;
    return digits(buf, 5);
}

bool
marc_iso2709_plausible_start(const char *buf, size_t avail)
{
    if (avail < 24 || digits(buf, 5) < 24 || digits(buf + 12, 5) < 24)
        return false;
    return buf[20] == '4' && buf[21] == '5';
}

/* Check leader positions a MARC 21 reader relies on; fix what recovery may. */
static void
check_leader(struct marc_record *r, const char *buf, struct marc_decode_ctx *ctx)
{
    char b[8];
    for (int i = 0; i < 24; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c < 0x20 || c > 0x7E) {
            marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "leader-byte", "LDR", 0, i, 0,
                              "leader/%02d is %s, not a printable ASCII character", i,
                              marc_show_byte(c, b));
            r->leader[i] = ' ';
        }
    }
    if (buf[10] != '2' || buf[11] != '2')
        marc_codec_report(ctx, MARC_SEV_WARNING, MARC_ERR_FORMAT, "leader-counts", "LDR", 0, 10, 0,
                          "leader/10-11 (indicator and subfield code counts) are \"%c%c\", MARC 21 "
                          "requires \"22\"; read as 22",
                          buf[10], buf[11]);
    if (memcmp(buf + 20, "4500", 4) != 0)
        marc_codec_report(ctx, MARC_SEV_WARNING, MARC_ERR_FORMAT, "leader-entry-map", "LDR", 0, 20,
                          0, "leader/20-23 (entry map) are \"%.4s\", MARC 21 requires \"4500\"",
                          buf + 20);
}

/* One field under the checking path's eye: where it is, for messages. */
struct fcheck {
    const struct marc_record *r;
    struct marc_decode_ctx *ctx;
    const char *tag;
    int occurrence;   /* 0 until a message needs it */
    const char *data; /* the field's bytes, without its terminator */
    size_t len;
    long long at;     /* offset of data[0] in the record */
    size_t from, to;  /* a repaired data field: its subfields in data */
};

static void
field_report(struct fcheck *fc, enum marc_severity sev, const char *code, size_t pos,
             char subfield, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Report a problem at byte pos of the field (in subfield `subfield`, or 0). */
static void
field_report(struct fcheck *fc, enum marc_severity sev, const char *code, size_t pos,
             char subfield, const char *fmt, ...)
{
    if (!fc->occurrence)
        fc->occurrence = marc_record_next_occurrence(fc->r, fc->tag);
    struct marc_where w = MARC_WHERE_NONE;
    w.tag = fc->tag;
    w.occurrence = fc->occurrence;
    w.subfield = subfield;
    w.position = (int)pos;
    w.at = fc->at + (long long)pos;
    va_list ap;
    va_start(ap, fmt);
    marc_codec_vreport_at(fc->ctx, sev, MARC_ERR_FORMAT, code, &w, fmt, ap);
    va_end(ap);
}

/* What recovery does about an error, for the end of its message. */
static const char *
then(const struct fcheck *fc, const char *what)
{
    return fc->ctx->recover ? what : "";
}

/* Fill bytes (blanks, backslashes, controls) before a data field's first
 * delimiter are an old writer's artefact. */
static bool
is_fill(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\\' && (unsigned char)p[i] >= 0x20)
            return false;
    return true;
}

static bool
printable(unsigned char c)
{
    return c >= 0x20 && c < 0x7F;
}

/*
 * A control field may hold neither a NUL nor a subfield delimiter (the
 * model refuses both: .mrk, JSON and MARCXML could not carry them back).
 * Records whose 00X fields really have subfields have a delimiter at byte 2
 * and are data fields.  Returns false when the field must be dropped.
 */
static bool
check_control(struct fcheck *fc)
{
    for (size_t i = 0; i < fc->len; i++) {
        unsigned char c = (unsigned char)fc->data[i];
        if (c == 0)
            field_report(fc, MARC_SEV_ERROR, "value-nul", i, 0,
                         "a NUL byte at byte %zu of a control field%s", i,
                         then(fc, "; the field is dropped"));
        else if (c == (unsigned char)MARC_SUBFIELD_DELIM)
            field_report(fc, MARC_SEV_ERROR, "control-delimiter", i, 0,
                         "a subfield delimiter at byte %zu of a control field, which cannot hold "
                         "one%s",
                         i, then(fc, "; the field is dropped"));
        else
            continue;
        return false;
    }
    return true;
}

enum sf_problem { SF_OK, SF_NO_CODE, SF_BAD_CODE, SF_NUL };

/*
 * The subfield whose delimiter is at d[i] (i + 1 < end): what is wrong with
 * it, where it ends (*next: the next delimiter or end) and, for SF_NUL,
 * where the NUL is.  A delimiter followed by another has no code; it is
 * one byte long.
 */
static enum sf_problem
subfield_at(const char *d, size_t i, size_t end, size_t *next, size_t *nul)
{
    if (d[i + 1] == MARC_SUBFIELD_DELIM) {
        *next = i + 1;
        return SF_NO_CODE;
    }
    const char *v = d + i + 2;
    const char *e = memchr(v, MARC_SUBFIELD_DELIM, end - (i + 2));
    *next = e ? (size_t)(e - d) : end;
    if (!marc_subfield_code_ok(d[i + 1]))
        return SF_BAD_CODE;
    const char *z = memchr(v, '\0', *next - (i + 2));
    if (!z)
        return SF_OK;
    *nul = (size_t)(z - d);
    return SF_NUL;
}

/* Report what is wrong with the subfield at d[i]. */
static void
report_subfield(struct fcheck *fc, enum sf_problem p, size_t i, size_t nul)
{
    char b[8];
    char code = fc->data[i + 1];
    if (p == SF_NO_CODE)
        field_report(fc, MARC_SEV_ERROR, "subfield-code", i, 0,
                     "a subfield delimiter followed by another delimiter, not a code%s",
                     then(fc, "; the empty delimiter is dropped"));
    else if (p == SF_BAD_CODE)
        field_report(fc, MARC_SEV_ERROR, "subfield-code", i + 1, 0,
                     "subfield code %s is not a printable ASCII character other than a space%s",
                     marc_show_byte((unsigned char)code, b),
                     then(fc, "; the subfield is dropped"));
    else
        field_report(fc, MARC_SEV_ERROR, "value-nul", nul, code,
                     "a NUL byte at byte %zu of the field%s", nul,
                     then(fc, "; the subfield is dropped"));
}

/*
 * The indicators of a data field: each must be printable ASCII; recovery
 * reads a bad one as a blank.  Returns the number of errors.
 */
static int
check_indicators(struct fcheck *fc, char ind[2])
{
    int errors = 0;
    for (int k = 0; k < 2; k++) {
        ind[k] = fc->data[k];
        if (printable((unsigned char)ind[k]))
            continue;
        char b[8];
        field_report(fc, MARC_SEV_ERROR, "indicator-invalid", (size_t)k, 0,
                     "indicator %d is %s, not a printable ASCII character%s", k + 1,
                     marc_show_byte((unsigned char)ind[k], b), then(fc, "; read as a blank"));
        ind[k] = ' ';
        errors++;
    }
    return errors;
}

/*
 * Where a data field's subfields start (after filler, reported as a
 * warning), or 0 when text stands before its first delimiter (an error).
 */
static size_t
subfields_start(struct fcheck *fc)
{
    const char *data = fc->data;
    size_t flen = fc->len;
    if (flen == 2 || data[2] == MARC_SUBFIELD_DELIM)
        return 2;
    const char *d = memchr(data + 2, MARC_SUBFIELD_DELIM, flen - 2);
    size_t n = d ? (size_t)(d - data) - 2 : flen - 2;
    if (!d || !is_fill(data + 2, n)) {
        /* Real text there would be lost. */
        field_report(fc, MARC_SEV_ERROR, "field-no-delimiter", 2, 0,
                     "data field has text \"%.*s\" before its first subfield delimiter",
                     n > 20 ? 20 : (int)n, data + 2);
        return 0;
    }
    field_report(fc, MARC_SEV_WARNING, "field-fill", 2, 0,
                 "%zu filler byte(s) between the indicators and the first subfield dropped", n);
    return 2 + n;
}

/* End of a data field's subfields: trailing bare delimiters hold nothing and
 * are dropped with a warning. */
static size_t
subfields_end(struct fcheck *fc, size_t start)
{
    size_t end = fc->len;
    while (end > start && fc->data[end - 1] == MARC_SUBFIELD_DELIM)
        end--;
    size_t n = fc->len - end;
    if (n == 1)
        field_report(fc, MARC_SEV_WARNING, "subfield-no-code", end, 0,
                     "data field ends with a subfield delimiter and no code; the empty "
                     "delimiter is dropped");
    else if (n > 1)
        field_report(fc, MARC_SEV_WARNING, "subfield-no-code", end, 0,
                     "data field ends with %zu subfield delimiters and no code; the empty "
                     "delimiters are dropped",
                     n);
    return end;
}

/* The body recovery keeps: indicators ind, then the good subfields of
 * data[start..end). */
static void
rebuild_body(const struct fcheck *fc, const char ind[2], size_t start, size_t end,
             struct marc_buf *out)
{
    marc_buf_reset(out);
    marc_buf_append(out, ind, 2);
    for (size_t i = start, next, nul; i < end; i = next)
        if (subfield_at(fc->data, i, end, &next, &nul) == SF_OK)
            marc_buf_append(out, fc->data + i, next - i);
}

/*
 * Check a data field.  Returns false when it must be dropped; else the body
 * to keep is data[0..*len), or fixed (when *use_fixed) holding a repaired
 * copy.
 */
static bool
check_data(struct fcheck *fc, struct marc_buf *fixed, bool *use_fixed, size_t *len)
{
    *use_fixed = false;
    if (fc->len < 2) {
        field_report(fc, MARC_SEV_ERROR, "field-short", 0, 0,
                     "data field is %zu byte(s) long, too short for its two indicators",
                     fc->len);
        return false;
    }
    char ind[2];
    int errors = check_indicators(fc, ind);
    if (errors && !fc->ctx->recover)
        return false;
    size_t start = subfields_start(fc);
    if (start == 0)
        return false;
    size_t end = subfields_end(fc, start);
    for (size_t i = start, next, nul; i < end; i = next) {
        enum sf_problem p = subfield_at(fc->data, i, end, &next, &nul);
        if (p == SF_OK)
            continue;
        report_subfield(fc, p, i, nul);
        if (!fc->ctx->recover)
            return false;
        errors++;
    }
    *len = end;
    if (errors || start > 2) {
        rebuild_body(fc, ind, start, end, fixed);
        *use_fixed = true;
        fc->from = start;
        fc->to = end;
    }
    return true;
}

/*
 * Check one field's bytes and tell its kind.  Returns false when the field
 * must be dropped; else the body to keep is data[0..*len), or fixed when
 * *use_fixed.
 */
static bool
check_field(struct fcheck *fc, bool *control, struct marc_buf *fixed, bool *use_fixed,
            size_t *len)
{
    const char *data = fc->data;
    size_t flen = fc->len;
    *use_fixed = false;
    *len = flen;
    const char *bad = memchr(data, MARC_RECORD_TERM, flen);
    if (!bad)
        bad = memchr(data, MARC_FIELD_TERM, flen);
    if (bad) {
        field_report(fc, MARC_SEV_ERROR, "field-terminator", (size_t)(bad - data), 0,
                     "a %s inside the field at byte %ld of it: the directory length is wrong",
                     *bad == MARC_RECORD_TERM ? "record terminator" : "field terminator",
                     (long)(bad - data));
        return false;
    }
    /* A data field has indicators then a delimiter.  Other numeric tags are
     * data fields whatever they hold; 00X and local alphanumeric tags are
     * told by content (non-MARC 21 records such as danMARC give 001
     * indicators and subfields; lint reports that). */
    if (marc_tag_is_numeric(fc->tag) && !marc_tag_is_control(fc->tag))
        *control = false;
    else
        *control = !(flen > 2 && data[2] == MARC_SUBFIELD_DELIM);
    if (*control)
        return check_control(fc);
    return check_data(fc, fixed, use_fixed, len);
}

/* What one pass over a record's data area tells the fast path. */
struct data_scan {
    size_t field_terms; /* 0x1E bytes */
    bool odd;           /* a 0x1D or NUL byte, or a delimiter not followed by a code */
    bool high;          /* a byte >= 0x80 */
};

/* A subfield code must be printable ASCII other than a space. */
static inline bool
bad_code_byte(unsigned char c)
{
    return c < 0x21 || c > 0x7E;
}

/*
 * Scan p[0..n) in one pass.  p[n] must be readable (the record terminator
 * follows the data area): a delimiter's code is read one byte ahead.
 */
static void
scan_data(const char *p, size_t n, struct data_scan *out)
{
    size_t i = 0, terms = 0;
    unsigned odd = 0, hi = 0;
#ifdef __SSE2__
    const __m128i v1e = _mm_set1_epi8(0x1E), v1d = _mm_set1_epi8(0x1D),
                  v1f = _mm_set1_epi8(0x1F), v21 = _mm_set1_epi8(0x21), zero = _mm_setzero_si128();
    /* A code byte c minus 0x21 is at most 0x5D exactly when c is one
     * (0x21..0x7E); lanes without a delimiter before them are masked to 0,
     * so the largest lane seen tells whether any code was bad. */
    __m128i any_rt = zero, any_hi = zero, code_max = zero, min = _mm_set1_epi8(-1);
    while (i + 16 <= n) {
        /* Count terminators in byte lanes (each compare adds 0 or 1), at
         * most 255 rounds before the lanes are summed. */
        __m128i acc = zero;
        for (int k = 0; k < 255 && i + 16 <= n; k++, i += 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            __m128i next = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 1));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(x, v1e));
            any_rt = _mm_or_si128(any_rt, _mm_cmpeq_epi8(x, v1d));
            code_max = _mm_max_epu8(
                code_max, _mm_and_si128(_mm_cmpeq_epi8(x, v1f), _mm_sub_epi8(next, v21)));
            min = _mm_min_epu8(min, x);
            any_hi = _mm_or_si128(any_hi, x);
        }
        __m128i sums = _mm_sad_epu8(acc, zero);
        terms += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
    }
    /* max(lane, 0x5D) != 0x5D: a lane above 0x5D, a bad code. */
    const __m128i v5d = _mm_set1_epi8(0x5D);
    __m128i bad_code = _mm_xor_si128(_mm_cmpeq_epi8(_mm_max_epu8(code_max, v5d), v5d),
                                     _mm_set1_epi8(-1));
    odd = (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(any_rt, bad_code), _mm_cmpeq_epi8(min, zero)));
    hi = (unsigned)_mm_movemask_epi8(any_hi);
#endif
    for (; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        terms += c == 0x1E;
        odd |= c == 0x1D || c == 0 || (c == 0x1F && bad_code_byte((unsigned char)p[i + 1]));
        hi |= c >> 7;
    }
    out->field_terms = terms;
    out->odd = odd != 0;
    out->high = hi != 0;
}

static inline bool
alnum3(const char *t)
{
    for (int k = 0; k < 3; k++) {
        unsigned char c = (unsigned char)t[k];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
            return false;
    }
    return true;
}

/*
 * The directory is half of what the fast path reads byte by byte, so its
 * numbers are taken four digits at a time in one 32-bit word (on
 * little-endian machines; elsewhere digit by digit).
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Each byte of the word minus '0': a mask of the bytes that were not digits
 * (a byte below '0' wraps to 0xD0 or more; one above '9' gets bit 7 when
 * 0x76 is added).  A borrow only follows a byte already found bad. */
static inline uint32_t
swar_non_digits(uint32_t x)
{
    return ((x + 0x76767676u) | x) & 0x80808080u;
}

static inline long
digits4_at(const char *p)
{
    uint32_t x;
    memcpy(&x, p, 4);
    x -= 0x30303030u;
    if (swar_non_digits(x))
        return -1;
    x = (x * 10 + (x >> 8)) & 0x00FF00FFu; /* two two-digit numbers */
    return (long)((x * 100 + (x >> 16)) & 0xFFFFu);
}

static inline bool
numeric_tag(const char *t)
{
    uint32_t x;
    memcpy(&x, t, 4); /* the tag and the first digit of the length */
    return (swar_non_digits(x - 0x30303030u) & 0x00808080u) == 0;
}
#else
static inline long
digits4_at(const char *p)
{
    return digits(p, 4);
}

static inline bool
numeric_tag(const char *t)
{
    return digits(t, 3) >= 0;
}
#endif

/* Length and start of the directory entry at ent, or -1 each. */
static inline void
entry_numbers(const char *ent, long *flen, long *start)
{
    *flen = digits4_at(ent + 3);
    unsigned d = (unsigned char)ent[7] - '0';
    long low = digits4_at(ent + 8);
    *start = d > 9 || low < 0 ? -1 : (long)d * 10000 + low;
}

/*
 * The common case at memory speed: a record whose fields tile the data area
 * in directory order, each ending with its terminator and holding none
 * inside, every data field starting with a delimiter.  One vector pass over
 * the data area replaces per-field scans.  Returns false, having reported
 * nothing and leaving no fields, at the first thing that needs a closer
 * look; the checking path then runs and names the problem.
 */
static bool
decode_fast(struct marc_record *r, const char *raw, size_t len, long base)
{
    size_t dirlen = (size_t)base - 1 - 24;
    size_t data_len = len - 1 - (size_t)base; /* without the record terminator */
    if (dirlen % 12 != 0)
        return false;
    struct data_scan sc;
    scan_data(raw + base, data_len, &sc);
    size_t entries = dirlen / 12;
    if (sc.odd || sc.field_terms != entries)
        return false;
    if (sc.high && raw[9] == 'a' && !marc_utf8_valid(raw + base, data_len, NULL))
        return false;
    if (r->cap < entries) {
        r->cap = entries < 32 ? 32 : entries;
        r->fields = xrealloc(r->fields, r->cap * sizeof *r->fields);
    }
    size_t expect = 0;
    struct marc_field *f = r->fields;
    for (size_t e = 24; e < (size_t)base - 1; e += 12) {
        const char *ent = raw + e;
        long flen, start;
        entry_numbers(ent, &flen, &start);
        if (flen < 1 || start != (long)expect || expect + (size_t)flen > data_len)
            goto slow;
        const char *data = raw + base + start;
        size_t body = (size_t)flen - 1;
        if (data[body] != MARC_FIELD_TERM)
            goto slow;
        bool numeric = numeric_tag(ent);
        if (!numeric && (!alnum3(ent) || marc_tag_is_leader(ent)))
            goto slow;
        bool delim = body > 2 && data[2] == MARC_SUBFIELD_DELIM;
        bool control = numeric && !(ent[0] == '0' && ent[1] == '0') ? false : !delim;
        if (control) {
            /* Control fields are few and short: a delimiter in one is
             * looked for here, the scan only sees delimiters without a code. */
            if (memchr(data, MARC_SUBFIELD_DELIM, body))
                goto slow;
        } else if ((body > 2 && !delim) || body < 2 || !printable((unsigned char)data[0]) ||
                   !printable((unsigned char)data[1]) ||
                   (body > 2 && data[body - 1] == MARC_SUBFIELD_DELIM)) {
            goto slow;
        }
        memcpy(f->tag, ent, 3);
        f->tag[3] = '\0';
        f->control = control;
        f->owned = 0;
        f->len = (uint32_t)body;
        f->cap = 0;
        f->data = (char *)data;
        f++;
        r->nfields++;
        expect += (size_t)flen;
    }
    if (expect == data_len)
        return true;
slow:
    for (size_t i = 0; i < r->nfields; i++)
        r->fields[i].data = NULL; /* all borrowed: nothing to free */
    r->nfields = 0;
    return false;
}

/* The directory entry at raw + e names a tag that is not valid. */
static void
report_bad_tag(struct marc_decode_ctx *ctx, const char *ent, size_t e)
{
    char shown[16], *o = shown;
    for (int k = 0; k < 3; k++) {
        unsigned char c = (unsigned char)ent[k];
        o += c >= 0x20 && c < 0x7F ? snprintf(o, 5, "%c", c) : snprintf(o, 5, "\\x%02X", c);
    }
    if (marc_tag_is_leader(ent))
        marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "directory-tag", NULL, 0,
                          (long long)e, 0,
                          "directory entry %zu is tagged \"%s\", the leader's name, which no "
                          "field may have",
                          (e - 24) / 12 + 1, shown);
    else
        marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "directory-tag", NULL, 0,
                          (long long)e, 0, "directory entry %zu has an invalid tag \"%s\"",
                          (e - 24) / 12 + 1, shown);
}

/*
 * Check the directory entry at raw + e and find its field: true with
 * *fstart (offset of its first byte) and *body (its length without the
 * terminator), false when reported.
 */
static bool
check_entry(const struct marc_record *r, const char *raw, size_t data_end, long base, size_t e,
            size_t *fstart, size_t *body, struct marc_decode_ctx *ctx)
{
    const char *ent = raw + e;
    char tag[4] = {ent[0], ent[1], ent[2], 0};
    long flen = digits(ent + 3, 4), start = digits(ent + 7, 5);
    if (!marc_tag_is_valid(tag)) {
        report_bad_tag(ctx, ent, e);
        return false;
    }
    if (flen < 0 || start < 0) {
        marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "directory-digits", tag,
                          marc_record_next_occurrence(r, tag), (long long)e + 3, 0,
                          "directory entry %zu has a non-numeric length or start \"%.9s\"",
                          (e - 24) / 12 + 1, ent + 3);
        return false;
    }
    *fstart = (size_t)base + (size_t)start;
    if (flen < 1 || *fstart + (size_t)flen > data_end) {
        marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "field-bounds", tag,
                          marc_record_next_occurrence(r, tag), (long long)e, 0,
                          "field of %ld bytes at %ld runs past the end of the record data "
                          "(%zu bytes)",
                          flen, start, data_end - (size_t)base);
        return false;
    }
    *body = (size_t)flen - 1;
    unsigned char c = (unsigned char)raw[*fstart + *body];
    if (c != MARC_FIELD_TERM) {
        char b[8];
        marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "field-no-terminator", tag,
                          marc_record_next_occurrence(r, tag), (long long)(*fstart + *body), 0,
                          "field does not end with a field terminator (found %s): the "
                          "directory length or start is wrong",
                          c == ' ' ? "' '" : marc_show_byte(c, b)); /* a blank is shown as ' ' */
        return false;
    }
    return true;
}

/* Where in data[from..to) the first byte that is not UTF-8 is, or to. */
static size_t
first_non_utf8(const char *data, size_t from, size_t to)
{
    size_t bad;
    return marc_utf8_valid(data + from, to - from, &bad) ? to : from + bad;
}

/* When leader/09 says UTF-8, the bytes a field keeps must be UTF-8 (a
 * repaired field keeps its good subfields: only those are looked at). */
static bool
check_utf8(struct fcheck *fc, bool repaired)
{
    size_t bad = fc->len;
    if (!repaired) {
        bad = first_non_utf8(fc->data, 0, fc->len);
    } else {
        for (size_t i = fc->from, next, nul; i < fc->to && bad == fc->len; i = next)
            if (subfield_at(fc->data, i, fc->to, &next, &nul) == SF_OK &&
                (bad = first_non_utf8(fc->data, i, next)) == next)
                bad = fc->len;
    }
    if (bad == fc->len)
        return true;
    if (!fc->occurrence)
        fc->occurrence = marc_record_next_occurrence(fc->r, fc->tag);
    marc_codec_report(fc->ctx, MARC_SEV_ERROR, MARC_ERR_CHARSET, "utf8-invalid", fc->tag,
                      fc->occurrence, fc->at + (long long)bad, 0,
                      "invalid UTF-8 (byte \\x%02X at byte %zu of the field) although leader/09 "
                      "says UTF-8",
                      (unsigned char)fc->data[bad], bad);
    return false;
}

/*
 * Walk the directory and attach each field, checking everything and
 * reporting each problem.  Returns false when decoding must stop (an error
 * without recovery).
 */
static bool
decode_directory(struct marc_record *r, const char *raw, size_t len, long base,
                 struct marc_buf *fixed, struct marc_decode_ctx *ctx)
{
    size_t dirlen = (size_t)base - 1 - 24;
    if (dirlen % 12 != 0)
        marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "directory-length", NULL, 0, 24, 0,
                          "directory is %zu bytes long, not a multiple of 12 (base address %ld)",
                          dirlen, base);
    bool utf8 = r->leader[9] == 'a';
    for (size_t e = 24; e + 12 <= (size_t)base - 1; e += 12) {
        size_t fstart, body, keep;
        bool control, use_fixed;
        if (!check_entry(r, raw, len - 1, base, e, &fstart, &body, ctx)) {
            if (!ctx->recover)
                return false;
            continue;
        }
        char tag[4] = {raw[e], raw[e + 1], raw[e + 2], 0};
        struct fcheck fc = {r, ctx, tag, 0, raw + fstart, body, (long long)fstart, 0, 0};
        bool ok = check_field(&fc, &control, fixed, &use_fixed, &keep);
        /* Invalid UTF-8 is reported, and kept when recovering: the bytes are data. */
        if (ok && utf8 && !check_utf8(&fc, use_fixed) && !ctx->recover)
            return false;
        if (!ok) {
            if (!ctx->recover)
                return false;
        } else if (use_fixed) {
            marc_record_push_copy(r, tag, false, fixed->data, fixed->len);
        } else {
            marc_record_push_borrowed(r, tag, control, raw + fstart, keep);
        }
    }
    return true;
}

int
marc_iso2709_decode(struct marc_record *r, const char *buf, size_t len,
                    struct marc_decode_ctx *ctx)
{
    marc_record_clear(r);
    if (len < 24 + 2) {
        marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "record-short", NULL, 0, 0, 0,
                          "record is %zu bytes, shorter than a leader and a directory", len);
        return marc_codec_result(ctx);
    }
    char *raw = marc_record_raw_reserve(r, len);
    memcpy(raw, buf, len);
    memcpy(r->leader, raw, 24);
    r->leader[24] = '\0';
    check_leader(r, raw, ctx);

    long declared = digits(raw, 5);
    if (declared < 0)
        marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "leader-length", "LDR", 0, 0, 0,
                          "leader/00-04 record length \"%.5s\" is not five digits", raw);
    else if ((size_t)declared != len)
        marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "leader-length", "LDR", 0, 0, 0,
                          "leader/00-04 declares %ld bytes but the record is %zu bytes long "
                          "(up to its record terminator)",
                          declared, len);
    if (raw[len - 1] != MARC_RECORD_TERM)
        marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "record-terminator", NULL, 0,
                          (long long)len - 1, 0, "record does not end with a record terminator");
    if (ctx->errors && !ctx->recover)
        return marc_codec_result(ctx);

    /* The directory ends at the first field terminator after the leader. */
    const char *dir_end = memchr(raw + 24, MARC_FIELD_TERM, len - 24);
    long base = digits(raw + 12, 5);
    long found = dir_end ? (long)(dir_end - raw) + 1 : -1;
    if (base < 0) {
        marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "leader-base", "LDR", 0, 12, 0,
                          "leader/12-16 base address \"%.5s\" is not five digits", raw + 12);
        base = found;
    } else if (base != found) {
        if (found < 0)
            marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "directory-terminator", NULL,
                              0, 24, 0, "directory has no field terminator");
        else
            marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "leader-base", "LDR", 0, 12,
                              0,
                              "leader/12-16 base address is %ld but the directory ends at byte "
                              "%ld",
                              base, found);
        if (found > 0)
            base = found;
    }
    if (base < 25 || (size_t)base > len - 1) {
        if (base >= 0)
            marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "leader-base", "LDR", 0, 12,
                              0, "base address %ld is outside the record (%zu bytes)", base, len);
        return marc_codec_result(ctx);
    }
    if (ctx->errors && !ctx->recover)
        return marc_codec_result(ctx);
    if (decode_fast(r, raw, len, base))
        return marc_codec_result(ctx);
    struct marc_buf fixed = MARC_BUF_INIT;
    decode_directory(r, raw, len, base, &fixed, ctx);
    marc_buf_free(&fixed);
    return marc_codec_result(ctx);
}

/* "0000".."9999": four digits by lookup, the encoder's inner loop. */
static char digits4[10000][4];

static void
init_digits4(void)
{
    for (int v = 0; v < 10000; v++) {
        digits4[v][0] = (char)('0' + v / 1000);
        digits4[v][1] = (char)('0' + v / 100 % 10);
        digits4[v][2] = (char)('0' + v / 10 % 10);
        digits4[v][3] = (char)('0' + v % 10);
    }
}

static inline void
put4(char *p, size_t v)
{
    memcpy(p, digits4[v], 4);
}

static inline void
put5(char *p, size_t v)
{
    p[0] = (char)('0' + v / 10000);
    memcpy(p + 1, digits4[v % 10000], 4);
}

/* Check the limits; fills err and returns MARC_ERR_TOO_LONG when exceeded. */
static int
check_limits(const struct marc_record *r, size_t *total, size_t *base, struct marc_diag *err)
{
    *base = 24 + 12 * r->nfields + 1;
    size_t data = 0;
    for (size_t i = 0; i < r->nfields; i++) {
        size_t flen = (size_t)r->fields[i].len + 1;
        if (flen > MARC_ISO2709_MAX_FIELD) {
            marc_encode_error(err, MARC_ERR_TOO_LONG, r, i, 0, "field-too-long",
                              "field is %zu bytes; ISO 2709 allows at most %d per field "
                              "(write MARCXML, MARC-in-JSON or .mrk instead)",
                              flen, MARC_ISO2709_MAX_FIELD);
            return MARC_ERR_TOO_LONG;
        }
        data += flen;
    }
    *total = *base + data + 1;
    if (*total > MARC_ISO2709_MAX_RECORD) {
        if (err)
            marc_diag_set(err, MARC_SEV_ERROR, "record-too-long",
                          "record is %zu bytes; ISO 2709 allows at most %d (write MARCXML, "
                          "MARC-in-JSON or .mrk instead)",
                          *total, MARC_ISO2709_MAX_RECORD);
        return MARC_ERR_TOO_LONG;
    }
    return MARC_OK;
}

/*
 * True when field f's bytes are followed, inside the record's backing store,
 * by a field terminator: then f and a next field starting right after that
 * terminator can be copied as one run (a decoded record that was not edited
 * is copied in one piece).
 */
static inline bool
ends_with_term_in_raw(const struct marc_record *r, const struct marc_field *f)
{
    return !f->owned && f->data && f->data >= r->raw && f->data + f->len < r->raw + r->raw_len &&
           f->data[f->len] == MARC_FIELD_TERM;
}

int
marc_iso2709_encode(const struct marc_record *r, struct marc_buf *out, struct marc_diag *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_digits4);
    size_t total, base;
    int rc = check_limits(r, &total, &base, err);
    if (rc != MARC_OK)
        return rc;
    char *p = marc_buf_reserve(out, total);
    memcpy(p, r->leader, 24);
    put5(p, total);
    p[10] = '2';
    p[11] = '2';
    put5(p + 12, base);
    memcpy(p + 20, "4500", 4);
    char *dir = p + 24;
    char *dat = p + base;
    size_t off = 0;
    const char *run = NULL; /* start of a pending run of contiguous source bytes */
    size_t run_len = 0;
    for (size_t i = 0; i < r->nfields; i++) {
        const struct marc_field *f = &r->fields[i];
        memcpy(dir, f->tag, 3);
        put4(dir + 3, f->len + 1);
        put5(dir + 7, off);
        dir += 12;
        if (run && f->data == run + run_len && ends_with_term_in_raw(r, f)) {
            run_len += f->len + 1; /* joins the run, terminator included */
        } else {
            if (run) {
                memcpy(dat, run, run_len);
                dat += run_len;
            }
            if (ends_with_term_in_raw(r, f)) {
                run = f->data;
                run_len = f->len + 1;
            } else {
                run = NULL;
                if (f->len)
                    memcpy(dat, f->data, f->len);
                dat += f->len;
                *dat++ = MARC_FIELD_TERM;
            }
        }
        off += f->len + 1;
    }
    if (run) {
        memcpy(dat, run, run_len);
        dat += run_len;
    }
    *dir = MARC_FIELD_TERM;
    *dat = MARC_RECORD_TERM;
    out->len += total;
    out->data[out->len] = '\0';
    return MARC_OK;
}
