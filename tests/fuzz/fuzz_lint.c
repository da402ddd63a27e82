/*
 * fuzz_lint.c - libFuzzer target: MARC 21 lint, and the record-level
 * character set conversions, on whatever records the decoders make.
 *
 * The input's format is detected as the reader detects it (text that is no
 * known format is read as .mrk, the easiest format to build records in); each
 * record is decoded with recovery, as `colophon lint` does, and linted.  Then
 * the record is converted to UTF-8, normalised and converted to MARC-8 and
 * back: each step agrees with what it reports, a failed step leaves the
 * record unchanged, and lint is run again on what it made.
 */
#include "fuzz-util.h"

#include "charset.h"
#include "format.h"
#include "iso2709.h"
#include "json.h"
#include "lint.h"
#include "marcxml.h"
#include "mrk.h"

#include <string.h>

#define MAX_RECORDS 50

/* Run one record-level step on a copy of r; returns the copy, or NULL if it failed. */
static struct marc_record *
step(const struct marc_record *r, const char *what,
     int (*fn)(struct marc_record *, struct marc_decode_ctx *))
{
    struct marc_record *c = marc_record_clone(r);
    struct marc_decode_ctx ctx;
    fuzz_ctx_init(&ctx, false, true);
    int rc = fn(c, &ctx);
    fuzz_check_result(rc, &ctx, what);
    if (rc == MARC_OK) {
        fuzz_lint(c);
        return c;
    }
    FUZZ_CHECK(rc == MARC_ERR_CHARSET, "%s returned %d", what, rc);
    fuzz_expect_equal(r, c, what);
    FUZZ_CHECK(strcmp(marc_record_leader(r), marc_record_leader(c)) == 0,
               "%s failed and changed the leader", what);
    marc_record_free(c);
    return NULL;
}

static int
to_nfc(struct marc_record *r, struct marc_decode_ctx *ctx)
{
    return marc_charset_normalize(r, MARC_NF_NFC, ctx);
}

static void
check_record(const struct marc_record *r)
{
    fuzz_lint(r);
    (void)marc_record_kind(r);
    struct marc_record *u = step(r, "record to UTF-8", marc_charset_to_utf8);
    if (!u)
        return;
    FUZZ_CHECK(marc_record_is_utf8(u), "record to UTF-8 left leader/09 '%c'",
               marc_record_leader(u)[9]);
    struct marc_record *n = step(u, "record NFC", to_nfc);
    struct marc_record *m = step(n ? n : u, "record to MARC-8", marc_charset_to_marc8);
    if (m) {
        struct marc_record *back = step(m, "record to UTF-8 after to MARC-8", marc_charset_to_utf8);
        FUZZ_CHECK(back || fuzz_known("marks-limit"),
                   "a record written in MARC-8 does not convert back to UTF-8");
        marc_record_free(back);
    }
    marc_record_free(m);
    marc_record_free(n);
    marc_record_free(u);
}

static void
decode_text(struct marc_record *r, const char *buf, size_t size, enum marc_format fmt)
{
    size_t pos = 0;
    for (int k = 0; k < MAX_RECORDS; k++) {
        size_t skip = 0, len = 0;
        int rc = fmt == MARC_FMT_JSON ? marc_json_frame(buf + pos, size - pos, true, &skip, &len)
                                      : marc_mrk_frame(buf + pos, size - pos, true, &skip, &len);
        if (rc != 1)
            return;
        struct marc_decode_ctx ctx;
        fuzz_ctx_init(&ctx, true, true);
        rc = fmt == MARC_FMT_JSON ? marc_json_decode(r, buf + pos + skip, len, &ctx)
                                  : marc_mrk_decode(r, buf + pos + skip, len, &ctx);
        fuzz_check_result(rc, &ctx, fmt == MARC_FMT_JSON ? "JSON decode" : ".mrk decode");
        check_record(r);
        pos += skip + len;
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    struct marc_record *r = marc_record_new();
    struct marc_decode_ctx ctx;
    int rc;
    enum marc_format fmt = marc_format_detect(buf, size);
    switch (fmt) {
    case MARC_FMT_ISO2709:
        fuzz_ctx_init(&ctx, false, true);
        rc = marc_iso2709_decode(r, buf, size, &ctx);
        fuzz_check_result(rc, &ctx, "ISO 2709 decode");
        check_record(r);
        break;
    case MARC_FMT_MARCXML:
        fuzz_ctx_init(&ctx, true, true);
        rc = marc_marcxml_decode(r, buf, size, &ctx);
        fuzz_check_result(rc, &ctx, "MARCXML decode");
        check_record(r);
        break;
    case MARC_FMT_JSON:
        decode_text(r, buf, size, MARC_FMT_JSON);
        break;
    default:
        decode_text(r, buf, size, MARC_FMT_MRK);
        break;
    }
    marc_record_free(r);
    return 0;
}
