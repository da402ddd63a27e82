/*
 * fuzz-round-trip.c - the round-trip oracle (see fuzz_round_trip in
 * fuzz-util.h): a record must come back byte for byte from every format it
 * was written to (SPEC §4), and an encoder may refuse a record only for a
 * reason its header gives.
 */
#include "fuzz-util.h"

#include "buf.h"
#include "iso2709.h"
#include "json.h"
#include "marcxml.h"
#include "mrk.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what each format can carry, as the headers promise ---- */

static bool
record_is_utf8(const struct marc_record *r)
{
    for (size_t i = 0; i < marc_record_field_count(r); i++) {
        size_t len;
        const char *p = marc_field_data(marc_record_field(r, i), &len);
        if (!marc_utf8_valid(p, len, NULL))
            return false;
    }
    return true;
}

static bool
xml_char_ok(uint32_t cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* UTF-8 and only characters XML 1.0 allows (delimiters are the encoder's). */
static bool
record_fits_xml(const struct marc_record *r)
{
    for (size_t i = 0; i < marc_record_field_count(r); i++) {
        const struct marc_field *f = marc_record_field(r, i);
        size_t len;
        const char *p = marc_field_data(f, &len);
        for (size_t k = 0; k < len;) {
            uint32_t cp;
            int n = marc_utf8_decode(p + k, len - k, &cp);
            if (n == 0)
                return false;
            if (!xml_char_ok(cp) && !(cp == 0x1F && !marc_field_is_control(f)))
                return false;
            k += (size_t)n;
        }
    }
    return true;
}

/* The ISO 2709 length of r, and whether one field passes the limit. */
static size_t
iso2709_length(const struct marc_record *r, bool *field_too_long)
{
    size_t n = marc_record_field_count(r);
    size_t total = MARC_LEADER_LEN + 12 * n + 1 + 1;
    *field_too_long = false;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        marc_field_data(marc_record_field(r, i), &len);
        if (len + 1 > MARC_ISO2709_MAX_FIELD)
            *field_too_long = true;
        total += len + 1;
    }
    return total;
}

/* ---- one format each: encode, frame, decode ---- */

enum rt_format { RT_ISO2709, RT_MRK, RT_MRK_CRLF, RT_JSON, RT_MARCXML, RT_COUNT };

static const char *const rt_names[RT_COUNT] = {"ISO 2709", ".mrk", ".mrk (CR LF)", "MARC-in-JSON",
                                               "MARCXML"};

static int
rt_encode(enum rt_format f, const struct marc_record *r, struct marc_buf *out)
{
    struct marc_diag err;
    int rc = MARC_OK;
    switch (f) {
    case RT_ISO2709:
        return marc_iso2709_encode(r, out, &err);
    case RT_MRK:
    case RT_MRK_CRLF:
        return marc_mrk_encode(r, out, f == RT_MRK_CRLF, &err);
    case RT_JSON:
        return marc_json_encode(r, out, &err);
    case RT_MARCXML:
        marc_buf_puts(out, marc_marcxml_header());
        rc = marc_marcxml_encode(r, out, &err);
        marc_buf_puts(out, marc_marcxml_trailer());
        return rc;
    default:
        abort();
    }
}

/* Frame the one record of a text format: it must be all there is. */
static void
rt_frame(enum rt_format f, const struct marc_buf *text, size_t *skip, size_t *len)
{
    size_t rest_skip, rest_len;
    int rc;
    if (f == RT_JSON)
        rc = marc_json_frame(text->data, text->len, true, skip, len);
    else
        rc = marc_mrk_frame(text->data, text->len, true, skip, len);
    FUZZ_CHECK(rc == 1, "%s: the framer found no record in the encoder's output", rt_names[f]);
    size_t end = *skip + *len;
    FUZZ_CHECK(end <= text->len, "%s: framed past the end", rt_names[f]);
    if (f == RT_JSON)
        rc = marc_json_frame(text->data + end, text->len - end, true, &rest_skip, &rest_len);
    else
        rc = marc_mrk_frame(text->data + end, text->len - end, true, &rest_skip, &rest_len);
    FUZZ_CHECK(rc == 0, "%s: the encoder's output frames as more than one record", rt_names[f]);
}

static int
rt_decode(enum rt_format f, struct marc_record *r, const struct marc_buf *text,
          struct marc_decode_ctx *ctx)
{
    size_t skip = 0, len = 0;
    switch (f) {
    case RT_ISO2709:
        return marc_iso2709_decode(r, text->data, text->len, ctx);
    case RT_MRK:
    case RT_MRK_CRLF:
        rt_frame(f, text, &skip, &len);
        return marc_mrk_decode(r, text->data + skip, len, ctx);
    case RT_JSON:
        rt_frame(f, text, &skip, &len);
        return marc_json_decode(r, text->data + skip, len, ctx);
    case RT_MARCXML:
        return marc_marcxml_decode(r, text->data, text->len, ctx);
    default:
        abort();
    }
}

/* Did the encoder refuse r for a reason its header gives? */
static void
check_refusal(enum rt_format f, const struct marc_record *r, int rc)
{
    bool field_too_long;
    size_t total = iso2709_length(r, &field_too_long);
    bool too_long = field_too_long || total > MARC_ISO2709_MAX_RECORD;
    switch (f) {
    case RT_ISO2709:
        FUZZ_CHECK(rc == MARC_OK || rc == MARC_ERR_TOO_LONG, "ISO 2709 encode returned %d", rc);
        FUZZ_CHECK((rc == MARC_ERR_TOO_LONG) == too_long,
                   "ISO 2709 encode returned %d for a record of %zu bytes%s", rc, total,
                   field_too_long ? " with a field over 9,999" : "");
        break;
    case RT_MRK:
    case RT_MRK_CRLF:
        FUZZ_CHECK(rc == MARC_OK, ".mrk encode failed (%d) for a record the model holds", rc);
        break;
    case RT_JSON:
        FUZZ_CHECK(rc == MARC_OK || rc == MARC_ERR_CHARSET, "JSON encode returned %d", rc);
        FUZZ_CHECK((rc == MARC_OK) == record_is_utf8(r),
                   "JSON encode returned %d for a record that is%s UTF-8", rc,
                   rc == MARC_OK ? " not" : "");
        break;
    case RT_MARCXML:
        FUZZ_CHECK(rc == MARC_OK || rc == MARC_ERR_CHARSET, "MARCXML encode returned %d", rc);
        FUZZ_CHECK((rc == MARC_OK) == record_fits_xml(r),
                   "MARCXML encode returned %d for a record that %s in XML", rc,
                   rc == MARC_OK ? "does not fit" : "fits");
        break;
    default:
        abort();
    }
}

/*
 * ISO 2709 and .mrk have no field kinds: a reader tells a 00X or
 * alphanumeric-tagged field by its content (a data field has a subfield
 * after its indicators), so such a data field without subfields comes back
 * as a control field (mrk.c's header says so).  In ISO 2709 a control field
 * whose third byte is a delimiter would come back as a data field, but
 * `data_too` is only set there: .mrk writes that delimiter as a mnemonic.
 */
static void
content_kinds(struct marc_record *e, bool data_too)
{
    for (size_t i = 0; i < marc_record_field_count(e); i++) {
        const struct marc_field *f = marc_record_field(e, i);
        char tag[4];
        memcpy(tag, marc_field_tag(f), 4);
        size_t len;
        const char *p = marc_field_data(f, &len);
        bool numeric = tag[0] >= '0' && tag[0] <= '9' && tag[1] >= '0' && tag[1] <= '9' &&
                       tag[2] >= '0' && tag[2] <= '9';
        bool control =
            !(numeric && !marc_tag_is_control(tag)) && !(len > 2 && p[2] == MARC_SUBFIELD_DELIM);
        if (control == marc_field_is_control(f) || (!control && !data_too))
            continue;
        char *copy = xstrndup(len ? p : "", len);
        marc_record_delete_field(e, i);
        int rc = control ? marc_record_insert_control(e, i, tag, copy, len)
                         : marc_record_insert_body(e, i, tag, copy, len);
        FUZZ_CHECK(rc == MARC_OK, "cannot rebuild field %s as ISO 2709 reads it", tag);
        free(copy);
    }
}

/* What r must decode back to: ISO 2709 writes leader/10-11 and 20-23. */
static struct marc_record *
rt_expected(enum rt_format f, const struct marc_record *r)
{
    struct marc_record *e = marc_record_clone(r);
    if (f == RT_ISO2709) {
        static const char fixed[] = "22........4500";
        for (int i = 10; i < 24; i++)
            if (fixed[i - 10] != '.')
                marc_record_set_leader_byte(e, i, fixed[i - 10]);
    }
    if (f == RT_ISO2709 || f == RT_MRK || f == RT_MRK_CRLF)
        content_kinds(e, f == RT_ISO2709);
    return e;
}

static void
rt_one(enum rt_format f, const struct marc_record *r, bool clean)
{
    struct marc_buf text = MARC_BUF_INIT, again = MARC_BUF_INIT;
    int rc = rt_encode(f, r, &text);
    check_refusal(f, r, rc);
    if (rc != MARC_OK) {
        marc_buf_free(&text);
        return;
    }
    if (f == RT_ISO2709) {
        bool field_too_long;
        FUZZ_CHECK(text.len == iso2709_length(r, &field_too_long),
                   "ISO 2709 encode wrote %zu bytes, expected %zu", text.len,
                   iso2709_length(r, &field_too_long));
    }
    struct marc_record *back = marc_record_new();
    struct marc_decode_ctx ctx;
    fuzz_ctx_init(&ctx, f != RT_ISO2709, !clean);
    rc = rt_decode(f, back, &text, &ctx);
    fuzz_check_result(rc, &ctx, rt_names[f]);
    if (rc != MARC_OK && clean) {
        fuzz_dump_record("record", r);
        fputs("encoded:\n", stderr);
        fwrite(text.data, 1, text.len, stderr);
        fputc('\n', stderr);
        fuzz_print_last_error();
        fuzz_fail("%s: the encoder's output does not decode (%d errors)", rt_names[f], ctx.errors);
    }
    struct marc_record *expected = rt_expected(f, r);
    fuzz_expect_equal(expected, back, rt_names[f]);
    rc = rt_encode(f, back, &again);
    FUZZ_CHECK(rc == MARC_OK, "%s: re-encoding the decoded record failed (%d)", rt_names[f], rc);
    FUZZ_CHECK(again.len == text.len && memcmp(again.data, text.data, text.len) == 0,
               "%s: encoding is not stable over a round trip", rt_names[f]);
    marc_record_free(expected);
    marc_record_free(back);
    marc_buf_free(&text);
    marc_buf_free(&again);
}

/* ---- known bugs a campaign may look past (FUZZ_KNOWN) ---- */

/* What a record holds that a known bug trips over; each has a name. */
enum oddity {
    ODD_NUL = 1 << 0,               /* a NUL byte in a value */
    ODD_CONTROL_DELIMITER = 1 << 1, /* a control field holding a subfield delimiter */
    ODD_INDICATOR = 1 << 2,         /* an indicator that is not printable ASCII */
    ODD_CODE = 1 << 3,              /* a subfield code that is not printable ASCII */
    ODD_LDR_TAG = 1 << 4,           /* a field tagged LDR */
    ODD_00X_DATA = 1 << 5,          /* a data field tagged 00X */
};

/* Their names in $FUZZ_KNOWN, in the order of the bits. */
static const char *const oddity_names[] = {
    "nul", "control-delimiter", "indicator", "code", "ldr-tag", "00x-data",
};
#define N_ODDITIES (sizeof oddity_names / sizeof oddity_names[0])

static bool
printable(unsigned char c)
{
    return c >= 0x20 && c < 0x7F;
}

static unsigned
data_field_oddities(const struct marc_field *f, const char *p, size_t len)
{
    unsigned odd = 0;
    if (len >= 2 && (!printable((unsigned char)p[0]) || !printable((unsigned char)p[1])))
        odd |= ODD_INDICATOR;
    for (size_t k = 2; k < len; k++)
        if (p[k] == MARC_SUBFIELD_DELIM && k + 1 < len && !marc_subfield_code_ok(p[k + 1]))
            odd |= ODD_CODE;
    if (marc_tag_is_control(marc_field_tag(f)))
        odd |= ODD_00X_DATA;
    return odd;
}

static unsigned
record_oddities(const struct marc_record *r)
{
    unsigned odd = 0;
    for (size_t i = 0; i < marc_record_field_count(r); i++) {
        const struct marc_field *f = marc_record_field(r, i);
        size_t len;
        const char *p = marc_field_data(f, &len);
        if (len == 0)
            continue; /* p may be NULL */
        if (memchr(p, '\0', len))
            odd |= ODD_NUL;
        if (marc_field_is_control(f) && memchr(p, MARC_SUBFIELD_DELIM, len))
            odd |= ODD_CONTROL_DELIMITER;
        if (!marc_field_is_control(f))
            odd |= data_field_oddities(f, p, len);
        if (strcmp(marc_field_tag(f), "LDR") == 0)
            odd |= ODD_LDR_TAG;
    }
    return odd;
}

/* The oddities named in $FUZZ_KNOWN, read once. */
static unsigned
known_oddities(void)
{
    static int mask = -1;
    if (mask < 0) {
        mask = 0;
        for (size_t i = 0; i < N_ODDITIES; i++)
            if (fuzz_known(oddity_names[i]))
                mask |= 1 << i;
    }
    return (unsigned)mask;
}

void
fuzz_round_trip(const struct marc_record *r, bool clean)
{
    if (record_oddities(r) & known_oddities())
        return;
    for (int f = 0; f < RT_COUNT; f++)
        rt_one((enum rt_format)f, r, clean);
}
