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

/* Printable for a message: the byte itself or \xNN. */
static const char *
show_byte(unsigned char c, char out[8])
{
    if (c >= 0x20 && c < 0x7F)
        snprintf(out, 8, "'%c'", c);
    else
        snprintf(out, 8, "\\x%02X", c);
    return out;
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
                              show_byte(c, b));
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

/* Occurrence of tag among the fields decoded so far, plus one. */
static int
next_occurrence(const struct marc_record *r, const char *tag)
{
    int n = 1;
    for (size_t i = 0; i < r->nfields; i++)
        if (memcmp(r->fields[i].tag, tag, 3) == 0)
            n++;
    return n;
}

/* Check one field's bytes; returns false when the field must be dropped. */
static bool
is_fill(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\\' && (unsigned char)p[i] >= 0x20)
            return false;
    return true;
}

static bool
check_field(const struct marc_record *r, const char *tag, const char *data, size_t flen,
            long long at, bool *control, size_t *fill, size_t *trail,
            struct marc_decode_ctx *ctx)
{
    *fill = *trail = 0;
    const char *bad = memchr(data, MARC_RECORD_TERM, flen);
    if (!bad)
        bad = memchr(data, MARC_FIELD_TERM, flen);
    if (bad) {
        marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "field-terminator", tag,
                          next_occurrence(r, tag), at + (bad - data), 0,
                          "a %s inside the field at byte %ld of it: the directory length is wrong",
                          *bad == MARC_RECORD_TERM ? "record terminator" : "field terminator",
                          (long)(bad - data));
        return false;
    }
    bool numeric = tag[0] >= '0' && tag[0] <= '9' && tag[1] >= '0' && tag[1] <= '9' &&
                   tag[2] >= '0' && tag[2] <= '9';
    /* A data field has indicators then a delimiter.  Other numeric tags are
     * data fields whatever they hold; 00X and local alphanumeric tags are
     * told by content (non-MARC 21 records such as danMARC give 001
     * indicators and subfields; lint reports that). */
    if (numeric && !marc_tag_is_control(tag))
        *control = false;
    else
        *control = !(flen > 2 && data[2] == MARC_SUBFIELD_DELIM);
    if (*control)
        return true; /* a delimiter inside is lint's to report: no data is lost */
    if (flen < 2) {
        marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "field-short", tag,
                          next_occurrence(r, tag), at, 0,
                          "data field is %zu byte(s) long, too short for its two indicators", flen);
        return false;
    }
    if (flen > 2 && data[2] != MARC_SUBFIELD_DELIM) {
        /* Fill bytes (blanks, backslashes, controls) before the first
         * delimiter are an old writer's artefact: dropped with a warning.
         * Real text there would be lost, so that is an error. */
        const char *d = memchr(data + 2, MARC_SUBFIELD_DELIM, flen - 2);
        size_t n = d ? (size_t)(d - data) - 2 : flen - 2;
        if (!d || !is_fill(data + 2, n)) {
            marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "field-no-delimiter", tag,
                              next_occurrence(r, tag), at + 2, 0,
                              "data field has text \"%.*s\" before its first subfield "
                              "delimiter",
                              n > 20 ? 20 : (int)n, data + 2);
            return false;
        }
        marc_codec_report(ctx, MARC_SEV_WARNING, MARC_ERR_FORMAT, "field-fill", tag,
                          next_occurrence(r, tag), at + 2, 0,
                          "%zu filler byte(s) between the indicators and the first subfield "
                          "dropped",
                          n);
        *fill = n;
    }
    if (data[flen - 1] == MARC_SUBFIELD_DELIM) {
        /* An empty subfield with no code holds nothing: dropped, said. */
        marc_codec_report(ctx, MARC_SEV_WARNING, MARC_ERR_FORMAT, "subfield-no-code", tag,
                          next_occurrence(r, tag), at + (long long)flen - 1, 0,
                          "data field ends with a subfield delimiter and no code; the empty "
                          "delimiter is dropped");
        *trail = 1;
    }
    return true;
}


/* What one pass over a record's data area tells the fast path. */
struct data_scan {
    size_t field_terms; /* 0x1E bytes */
    bool record_term;   /* a 0x1D byte */
    bool high;          /* a byte >= 0x80 */
};

static void
scan_data(const char *p, size_t n, struct data_scan *out)
{
    size_t i = 0, terms = 0;
    unsigned rt = 0, hi = 0;
#ifdef __SSE2__
    const __m128i v1e = _mm_set1_epi8(0x1E), v1d = _mm_set1_epi8(0x1D), zero = _mm_setzero_si128();
    __m128i any_rt = zero, any_hi = zero;
    while (i + 16 <= n) {
        /* Count terminators in byte lanes (each compare adds 0 or 1), at
         * most 255 rounds before the lanes are summed. */
        __m128i acc = zero;
        for (int k = 0; k < 255 && i + 16 <= n; k++, i += 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(x, v1e));
            any_rt = _mm_or_si128(any_rt, _mm_cmpeq_epi8(x, v1d));
            any_hi = _mm_or_si128(any_hi, x);
        }
        __m128i sums = _mm_sad_epu8(acc, zero);
        terms += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
    }
    rt = (unsigned)_mm_movemask_epi8(any_rt);
    hi = (unsigned)_mm_movemask_epi8(any_hi);
#endif
    for (; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        terms += c == 0x1E;
        rt |= c == 0x1D;
        hi |= c >> 7;
    }
    out->field_terms = terms;
    out->record_term = rt != 0;
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
    if (sc.record_term || sc.field_terms != entries)
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
        long flen = digits(ent + 3, 4), start = digits(ent + 7, 5);
        if (!alnum3(ent) || flen < 1 || start != (long)expect || expect + (size_t)flen > data_len)
            goto slow;
        const char *data = raw + base + start;
        size_t body = (size_t)flen - 1;
        if (data[body] != MARC_FIELD_TERM)
            goto slow;
        bool numeric = ent[0] <= '9' && ent[1] <= '9' && ent[2] <= '9';
        bool delim = body > 2 && data[2] == MARC_SUBFIELD_DELIM;
        bool control = numeric && !(ent[0] == '0' && ent[1] == '0') ? false : !delim;
        if (!control && ((body > 2 && !delim) || body < 2 ||
                         (body > 2 && data[body - 1] == MARC_SUBFIELD_DELIM)))
            goto slow;
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

/*
 * Walk the directory and attach each field, checking everything and
 * reporting each problem.  Returns false when the directory is unusable as a
 * whole.
 */
static bool
decode_directory(struct marc_record *r, const char *raw, size_t len, long base,
                 struct marc_decode_ctx *ctx)
{
    size_t dirlen = (size_t)base - 1 - 24;
    if (dirlen % 12 != 0)
        marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "directory-length", NULL, 0, 24, 0,
                          "directory is %zu bytes long, not a multiple of 12 (base address %ld)",
                          dirlen, base);
    size_t data_end = len - 1; /* the record terminator */
    for (size_t e = 24; e + 12 <= (size_t)base - 1; e += 12) {
        const char *ent = raw + e;
        char tag[4] = {ent[0], ent[1], ent[2], 0};
        long flen = digits(ent + 3, 4), start = digits(ent + 7, 5);
        if (!marc_tag_is_valid(tag)) {
            char shown[16], *o = shown;
            for (int k = 0; k < 3; k++) {
                unsigned char c = (unsigned char)ent[k];
                o += c >= 0x20 && c < 0x7F ? snprintf(o, 5, "%c", c) : snprintf(o, 5, "\\x%02X", c);
            }
            marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "directory-tag", NULL, 0,
                              (long long)e, 0, "directory entry %zu has an invalid tag \"%s\"",
                              (e - 24) / 12 + 1, shown);
            if (!ctx->recover)
                return false;
            continue;
        }
        if (flen < 0 || start < 0) {
            marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "directory-digits", tag,
                              next_occurrence(r, tag), (long long)e + 3, 0,
                              "directory entry %zu has a non-numeric length or start \"%.9s\"",
                              (e - 24) / 12 + 1, ent + 3);
            if (!ctx->recover)
                return false;
            continue;
        }
        size_t fstart = (size_t)base + (size_t)start;
        if (flen < 1 || fstart + (size_t)flen > data_end) {
            marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "field-bounds", tag,
                              next_occurrence(r, tag), (long long)e, 0,
                              "field of %ld bytes at %ld runs past the end of the record data "
                              "(%zu bytes)",
                              flen, start, data_end - (size_t)base);
            if (!ctx->recover)
                return false;
            continue;
        }
        const char *data = raw + fstart;
        size_t body = (size_t)flen - 1;
        if (data[body] != MARC_FIELD_TERM) {
            char b[8];
            marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_FORMAT, "field-no-terminator", tag,
                              next_occurrence(r, tag), (long long)(fstart + body), 0,
                              "field does not end with a field terminator (found %s): the "
                              "directory length or start is wrong",
                              show_byte((unsigned char)data[body], b));
            if (!ctx->recover)
                return false;
            continue;
        }
        bool control;
        size_t fill, trail;
        if (!check_field(r, tag, data, body, (long long)fstart, &control, &fill, &trail, ctx)) {
            if (!ctx->recover)
                return false;
            continue;
        }
        body -= trail;
        if (fill) {
            /* Indicators, then the subfields after the filler. */
            struct marc_field *f = marc_record_push_copy(r, tag, false, data, body - fill);
            memcpy(f->data + 2, data + 2 + fill, body - fill - 2);
        } else {
            marc_record_push_borrowed(r, tag, control, data, body);
        }
    }
    return true;
}

/* When leader/09 says UTF-8, name the first field that is not. */
static void
check_utf8(struct marc_record *r, struct marc_decode_ctx *ctx)
{
    for (size_t i = 0; i < r->nfields; i++) {
        const struct marc_field *f = &r->fields[i];
        size_t bad;
        if (!marc_utf8_valid(f->data, f->len, &bad)) {
            marc_codec_report(ctx, MARC_SEV_ERROR, MARC_ERR_CHARSET, "utf8-invalid", f->tag,
                              marc_record_occurrence(r, i), (long long)(f->data - r->raw) + (long long)bad,
                              0,
                              "invalid UTF-8 (byte \\x%02X at byte %zu of the field) although "
                              "leader/09 says UTF-8",
                              (unsigned char)f->data[bad], bad);
            if (!ctx->recover)
                return;
        }
    }
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
    if (!decode_directory(r, raw, len, base, ctx))
        return marc_codec_result(ctx);
    if (r->leader[9] == 'a')
        check_utf8(r, ctx);
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
            if (err) {
                marc_diag_set(err, MARC_SEV_ERROR, "field-too-long",
                              "field is %zu bytes; ISO 2709 allows at most %d per field (write "
                              "MARCXML, MARC-in-JSON or .mrk instead)",
                              flen, MARC_ISO2709_MAX_FIELD);
                memcpy(err->tag, r->fields[i].tag, 4);
                err->occurrence = marc_record_occurrence(r, i);
            }
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
    return !f->owned && f->data >= r->raw && f->data + f->len < r->raw + r->raw_len &&
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
