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

#include <stdio.h>
#include <string.h>

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

/*
 * Walk the directory and attach each field.  Returns false when the directory
 * is unusable as a whole.
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
    if (!decode_directory(r, raw, len, base, ctx))
        return marc_codec_result(ctx);
    if (r->leader[9] == 'a')
        check_utf8(r, ctx);
    return marc_codec_result(ctx);
}

static void
put_digits(char *p, unsigned long v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

int
marc_iso2709_encode(const struct marc_record *r, struct marc_buf *out, struct marc_diag *err)
{
    size_t base = 24 + 12 * r->nfields + 1;
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
    size_t total = base + data + 1;
    if (total > MARC_ISO2709_MAX_RECORD) {
        if (err)
            marc_diag_set(err, MARC_SEV_ERROR, "record-too-long",
                          "record is %zu bytes; ISO 2709 allows at most %d (write MARCXML, "
                          "MARC-in-JSON or .mrk instead)",
                          total, MARC_ISO2709_MAX_RECORD);
        return MARC_ERR_TOO_LONG;
    }
    char *p = marc_buf_reserve(out, total);
    memcpy(p, r->leader, 24);
    put_digits(p, total, 5);
    p[10] = '2';
    p[11] = '2';
    put_digits(p + 12, base, 5);
    memcpy(p + 20, "4500", 4);
    char *dir = p + 24;
    char *dat = p + base;
    size_t off = 0;
    for (size_t i = 0; i < r->nfields; i++) {
        const struct marc_field *f = &r->fields[i];
        memcpy(dir, f->tag, 3);
        put_digits(dir + 3, f->len + 1, 4);
        put_digits(dir + 7, off, 5);
        dir += 12;
        if (f->len)
            memcpy(dat + off, f->data, f->len);
        off += f->len;
        dat[off++] = MARC_FIELD_TERM;
    }
    *dir = MARC_FIELD_TERM;
    dat[off] = MARC_RECORD_TERM;
    out->len += total;
    out->data[out->len] = '\0';
    return MARC_OK;
}
