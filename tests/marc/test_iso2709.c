/*
 * test_iso2709.c - ISO 2709 decode and encode: exact round trips, the
 * format's limits, and every structural error named with its byte offset.
 */
#include "testutil.h"

#include "buf.h"
#include "codec.h"
#include "diff.h"
#include "iso2709.h"
#include "record.h"

static struct marc_record *
sample(void)
{
    struct marc_record *r = marc_record_new();
    marc_record_add_control(r, "001", "ocm12345", 8);
    marc_record_add_control(r, "008", "910710s1991    nyu           000 0 eng  ", 40);
    long i = marc_record_add_data(r, "245", '1', '0');
    marc_record_append_subfield(r, (size_t)i, 'a', "Caf\xc3\xa9 society :", 15);
    marc_record_append_subfield(r, (size_t)i, 'b', "\xe6\x97\xa5\xe6\x9c\xac /", 8);
    marc_record_append_subfield(r, (size_t)i, 'c', "by A. Writer.", 13);
    i = marc_record_add_data(r, "500", ' ', ' ');
    marc_record_append_subfield(r, (size_t)i, 'a', "", 0);
    marc_record_add_data(r, "999", ' ', ' '); /* a field with no subfields */
    return r;
}

static struct marc_buf
encode(const struct marc_record *r)
{
    struct marc_buf b = MARC_BUF_INIT;
    assert_int_equal(marc_iso2709_encode(r, &b, NULL), 0);
    return b;
}

static int
decode(struct marc_record *r, const char *buf, size_t len, struct test_diags *t, bool recover)
{
    struct marc_decode_ctx ctx = {.record = 7, .offset = 1000, .diag = test_diags_collect,
                                  .diag_ctx = t, .recover = recover};
    return marc_iso2709_decode(r, buf, len, &ctx);
}

static void
test_round_trip_exact(void **state)
{
    struct marc_record *r = sample(), *back = marc_record_new();
    struct marc_buf b = encode(r);
    /* Leader lengths are computed: base = 24 + 5*12 + 1. */
    assert_memory_equal(b.data, "00", 2);
    char len[6];
    snprintf(len, sizeof len, "%05zu", b.len);
    assert_memory_equal(b.data, len, 5);
    assert_memory_equal(b.data + 12, "00085", 5);
    assert_int_equal(b.data[b.len - 1], 0x1D);
    struct test_diags t = {0};
    assert_int_equal(decode(back, b.data, b.len, &t, false), 0);
    assert_int_equal(t.n, 0);
    assert_true(marc_record_equal(r, back));
    struct marc_buf b2 = encode(back);
    assert_int_equal(b.len, b2.len);
    assert_memory_equal(b.data, b2.data, b.len);
    /* Decoding copied the bytes: the input may be overwritten. */
    memset(b.data, 'x', b.len);
    assert_true(marc_record_equal(r, back));
    marc_buf_free(&b);
    marc_buf_free(&b2);
    marc_record_free(r);
    marc_record_free(back);
}

static void
test_decode_reuses_record(void **state)
{
    struct marc_record *r = sample(), *back = marc_record_new();
    struct marc_buf b = encode(r);
    for (int i = 0; i < 3; i++) {
        struct test_diags t = {0};
        assert_int_equal(decode(back, b.data, b.len, &t, false), 0);
        assert_int_equal(marc_record_field_count(back), 5);
    }
    /* Edits after decode are copy on write and encode correctly. */
    assert_int_equal(marc_record_set_subfield(back, 2, 0, "Tea", 3), 0);
    struct marc_buf b2 = encode(back);
    struct marc_record *again = marc_record_new();
    struct test_diags t = {0};
    assert_int_equal(decode(again, b2.data, b2.len, &t, false), 0);
    assert_true(marc_record_equal(back, again));
    marc_buf_free(&b);
    marc_buf_free(&b2);
    marc_record_free(r);
    marc_record_free(back);
    marc_record_free(again);
}

/* Decode a damaged copy and check the first error's code and absolute offset. */
static void
expect_error(struct marc_buf *b, const char *code, long long offset)
{
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    int rc = decode(r, b->data, b->len, &t, false);
    if (rc == 0 || !test_diags_find(&t, code))
        test_diags_dump(&t);
    assert_true(rc < 0);
    const struct marc_diag *d = test_diags_find(&t, code);
    assert_non_null(d);
    assert_int_equal(d->severity, MARC_SEV_ERROR);
    assert_int_equal(d->record, 7);
    if (offset >= 0)
        assert_int_equal(d->offset, offset);
    marc_record_free(r);
}

static void
test_structural_errors(void **state)
{
    struct marc_record *r = sample();
    struct marc_buf b = encode(r);
    size_t base = 85;

    b.data[3] = '0'; /* leader length off */
    expect_error(&b, "leader-length", 1000);
    marc_buf_free(&b);

    b = encode(r);
    b.data[2] = 'x';
    expect_error(&b, "leader-length", 1000);
    marc_buf_free(&b);

    b = encode(r);
    memcpy(b.data + 12, "00090", 5); /* base address wrong */
    expect_error(&b, "leader-base", 1012);
    marc_buf_free(&b);

    b = encode(r);
    b.data[24 + 12 * 2 + 0] = '#'; /* third directory tag */
    expect_error(&b, "directory-tag", 1000 + 24 + 24);
    marc_buf_free(&b);

    b = encode(r);
    memcpy(b.data + 24 + 12 + 3, "0045", 4); /* 008 length runs into 245 */
    expect_error(&b, "field-no-terminator", -1);
    marc_buf_free(&b);

    b = encode(r);
    memcpy(b.data + 24 + 12 * 4 + 7, "09000", 5); /* 999 starts past the end */
    expect_error(&b, "field-bounds", 1000 + 24 + 48);
    marc_buf_free(&b);

    b = encode(r);
    b.data[b.len - 1] = 'X'; /* no record terminator */
    expect_error(&b, "record-terminator", 1000 + (long long)b.len - 1);
    marc_buf_free(&b);

    b = encode(r);
    /* 245 starts at base + 9 (001) + 41 (008); put a bad byte inside $a */
    size_t at = base + 9 + 41 + 2 + 2 + 3;
    b.data[at] = (char)0xC3;
    b.data[at + 1] = '(';
    expect_error(&b, "utf8-invalid", 1000 + (long long)at);
    marc_buf_free(&b);

    b = encode(r);
    b.data[base + 9 + 41 + 2] = 'x'; /* 245 without its first delimiter */
    expect_error(&b, "field-no-delimiter", -1);
    marc_buf_free(&b);

    struct marc_record *none = marc_record_new();
    struct test_diags t = {0};
    assert_true(decode(none, "00010", 5, &t, false) < 0);
    assert_non_null(test_diags_find(&t, "record-short"));
    marc_record_free(none);
    marc_record_free(r);
}

static void
test_leader_counts_are_warnings(void **state)
{
    struct marc_record *r = sample(), *back = marc_record_new();
    struct marc_buf b = encode(r);
    b.data[10] = ' ';
    b.data[11] = ' ';
    memcpy(b.data + 20, "    ", 4);
    struct test_diags t = {0};
    assert_int_equal(decode(back, b.data, b.len, &t, false), 0);
    assert_int_equal(t.warnings, 2);
    assert_non_null(test_diags_find(&t, "leader-counts"));
    /* Re-encoding writes what MARC 21 requires. */
    struct marc_buf b2 = encode(back);
    assert_memory_equal(b2.data + 10, "22", 2);
    assert_memory_equal(b2.data + 20, "4500", 4);
    marc_buf_free(&b);
    marc_buf_free(&b2);
    marc_record_free(r);
    marc_record_free(back);
}

/* "  \\$a..." (a backslash written by an old converter) reads as "  $a...". */
static void
test_filler_before_first_subfield(void **state)
{
    const char raw[] = "00000nam a2200000 i 4500"
                       "245001100000"
                       "\x1e"
                       "10\\\x1f" "aTitle\x1e"
                       "\x1d";
    char buf[sizeof raw];
    memcpy(buf, raw, sizeof raw);
    size_t len = sizeof raw - 1;
    char digits[8];
    snprintf(digits, sizeof digits, "%05zu", len);
    memcpy(buf, digits, 5);
    memcpy(buf + 12, "00037", 5);
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    assert_int_equal(decode(r, buf, len, &t, false), 0);
    const struct marc_diag *d = test_diags_find(&t, "field-fill");
    assert_non_null(d);
    assert_int_equal(d->severity, MARC_SEV_WARNING);
    assert_string_equal(d->tag, "245");
    const struct marc_field *f = marc_record_field(r, 0);
    size_t n;
    const char *body = marc_field_data(f, &n);
    assert_int_equal(n, 9);
    assert_memory_equal(body, "10\x1f" "aTitle", 9);
    /* Text there is data: an error, not silently dropped. */
    buf[37 + 2] = 'x';
    memset(&t, 0, sizeof t);
    assert_true(decode(r, buf, len, &t, false) < 0);
    assert_non_null(test_diags_find(&t, "field-no-delimiter"));
    marc_record_free(r);
}

static void
test_recover_keeps_good_fields(void **state)
{
    struct marc_record *r = sample(), *back = marc_record_new();
    struct marc_buf b = encode(r);
    b.data[24 + 12 * 2] = '#'; /* 245's tag broken: the rest survives */
    struct test_diags t = {0};
    assert_true(decode(back, b.data, b.len, &t, true) < 0);
    assert_int_equal(marc_record_field_count(back), 4);
    assert_string_equal(marc_field_tag(marc_record_field(back, 2)), "500");
    marc_buf_free(&b);
    marc_record_free(r);
    marc_record_free(back);
}

static void
test_limits(void **state)
{
    struct marc_record *r = sample();
    char *big = malloc(12000);
    memset(big, 'a', 12000);
    long i = marc_record_add_data(r, "520", ' ', ' ');
    assert_int_equal(marc_record_append_subfield(r, (size_t)i, 'a', big, 9995), 0); /* 10000 bytes with its terminator */
    struct marc_buf b = MARC_BUF_INIT;
    struct marc_diag err;
    assert_int_equal(marc_iso2709_encode(r, &b, &err), MARC_ERR_TOO_LONG);
    assert_string_equal(err.tag, "520");
    assert_string_equal(err.code, "field-too-long");
    assert_int_equal(b.len, 0); /* nothing appended */
    marc_record_set_subfield(r, (size_t)i, 0, big, 9000);
    for (int k = 0; k < 11; k++)
        marc_record_duplicate_field(r, (size_t)i);
    assert_int_equal(marc_iso2709_encode(r, &b, &err), MARC_ERR_TOO_LONG);
    assert_string_equal(err.code, "record-too-long");
    /* At the limit exactly: fits. */
    marc_record_clear(r);
    marc_record_add_control(r, "001", "1", 1);
    size_t room = 99999 - 24 - 12 * 11 - 1 - 2 - 1; /* 001 + 10 x 500, terminators */
    for (int k = 0; k < 10; k++) {
        i = marc_record_add_data(r, "500", ' ', ' ');
        size_t n = room / 10 - 5; /* ind(2) + delim(2) + term(1) */
        if (k == 9)
            n = room - 9 * (room / 10) - 5;
        marc_record_append_subfield(r, (size_t)i, 'a', big, n);
    }
    int rc = marc_iso2709_encode(r, &b, &err);
    if (rc)
        fprintf(stderr, "# %s\n", err.message);
    assert_int_equal(rc, 0);
    assert_int_equal(b.len, 99999);
    assert_memory_equal(b.data, "99999", 5);
    free(big);
    marc_buf_free(&b);
    marc_record_free(r);
}

/* ---- what no decoder may let through (the record model's invariants) ---- */

/* A field of a hand-made record: any bytes, as a broken writer may write. */
struct raw_field {
    const char *tag;
    const char *body;
    size_t len;
};

#define RAW(tag, body) {tag, body, sizeof(body) - 1}

/*
 * An ISO 2709 record holding exactly these fields (leader/09 `coding`), laid
 * out in directory order.  *at gets the offset of each field's first byte.
 */
static struct marc_buf
build_iso(const struct raw_field *f, size_t n, char coding, size_t *at)
{
    struct marc_buf b = MARC_BUF_INIT;
    size_t base = 24 + 12 * n + 1, off = 0, total = base + 1;
    for (size_t i = 0; i < n; i++)
        total += f[i].len + 1;
    marc_buf_printf(&b, "%05zunam %c22%05zu i 4500", total, coding, base);
    for (size_t i = 0; i < n; i++) {
        marc_buf_printf(&b, "%.3s%04zu%05zu", f[i].tag, f[i].len + 1, off);
        off += f[i].len + 1;
    }
    marc_buf_putc(&b, 0x1E);
    for (size_t i = 0; i < n; i++) {
        if (at)
            at[i] = b.len;
        marc_buf_append(&b, f[i].body, f[i].len);
        marc_buf_putc(&b, 0x1E);
    }
    marc_buf_putc(&b, 0x1D);
    assert_int_equal(b.len, total);
    return b;
}

/* Decode b strictly (one error, `code`, at record byte `at`, in tag[occ] $sf,
 * its message saying `says`) and with recovery; returns the recovered record. */
static struct marc_record *
expect_refused(const struct marc_buf *b, const char *code, size_t at, const char *tag, int occ,
               char sf, const char *says)
{
    struct marc_record *r = marc_record_new();
    for (int recover = 0; recover <= 1; recover++) {
        struct test_diags t = {0};
        int rc = decode(r, b->data, b->len, &t, recover);
        const struct marc_diag *d = test_diags_find(&t, code);
        if (!d || rc != MARC_ERR_FORMAT || t.errors != 1)
            test_diags_dump(&t);
        assert_int_equal(rc, MARC_ERR_FORMAT);
        assert_int_equal(t.errors, 1);
        assert_non_null(d);
        assert_int_equal(d->severity, MARC_SEV_ERROR);
        assert_int_equal(d->record, 7);
        assert_int_equal(d->offset, 1000 + (long long)at);
        assert_string_equal(d->tag, tag);
        assert_int_equal(d->occurrence, occ);
        assert_int_equal(d->subfield, sf);
        if (!strstr(d->message, says))
            fail_msg("\"%s\" does not say \"%s\"", d->message, says);
    }
    return r;
}

/* Every field of r satisfies what record.h promises, so every format can
 * carry it: its ISO 2709 text decodes cleanly into the same record. */
static void
assert_model_ok(const struct marc_record *r)
{
    struct marc_buf b = encode(r);
    struct marc_record *back = marc_record_new();
    struct test_diags t = {0};
    assert_int_equal(decode(back, b.data, b.len, &t, false), 0);
    assert_int_equal(t.n, 0);
    assert_true(marc_record_equal(r, back));
    marc_record_free(back);
    marc_buf_free(&b);
}

/* A NUL byte is no value's: .mrk and JSON could not read it back. */
static void
test_nul_refused(void **state)
{
    const struct raw_field f[] = {
        RAW("001", "ocm1"),
        RAW("245", "10\x1f" "aTi\0tle\x1f" "cby me"),
    };
    size_t at[2];
    struct marc_buf b = build_iso(f, 2, ' ', at);
    /* The subfield holding it is dropped when recovering; the rest is kept. */
    struct marc_record *r = expect_refused(&b, "value-nul", at[1] + 6, "245", 1, 'a', "NUL byte at byte 6");
    assert_int_equal(marc_record_field_count(r), 2);
    size_t len;
    const char *v = marc_field_data(marc_record_field(r, 1), &len);
    assert_int_equal(len, 9);
    assert_memory_equal(v, "10\x1f" "cby me", 9);
    assert_model_ok(r);
    marc_record_free(r);
    marc_buf_free(&b);
    /* In a control field: the field is dropped. */
    const struct raw_field g[] = {RAW("001", "ocm1"), RAW("008", "9107\0")};
    b = build_iso(g, 2, ' ', at);
    r = expect_refused(&b, "value-nul", at[1] + 4, "008", 1, 0, "control field");
    assert_int_equal(marc_record_field_count(r), 1);
    marc_record_free(r);
    marc_buf_free(&b);
}

/* A subfield code is printable ASCII other than a space. */
static void
test_bad_subfield_code_refused(void **state)
{
    const struct raw_field f[] = {
        RAW("245", "10\x1f" "aTitle\x1f\xe1" "gone\x1f" "cby me"),
    };
    size_t at[1];
    struct marc_buf b = build_iso(f, 1, 'a', at);
    struct marc_record *r = expect_refused(&b, "subfield-code", at[0] + 10, "245", 1, 0, "\\xE1");
    size_t len;
    const char *v = marc_field_data(marc_record_field(r, 0), &len);
    assert_int_equal(len, 16);
    assert_memory_equal(v, "10\x1f" "aTitle\x1f" "cby me", 16);
    assert_model_ok(r);
    marc_record_free(r);
    marc_buf_free(&b);
    /* A control character or a space as a code, and a delimiter followed by
     * another (no code at all): the same error. */
    static const char *const bodies[] = {"10\x1f" "a1\x1f\x01" "x", "10\x1f" "a1\x1f" " x",
                                         "10\x1f" "a1\x1f\x1f" "bx"};
    for (size_t k = 0; k < 3; k++) {
        struct raw_field g = {"500", bodies[k], strlen(bodies[k])};
        b = build_iso(&g, 1, ' ', at);
        r = expect_refused(&b, "subfield-code", at[0] + (k == 2 ? 5 : 6), "500", 1, 0,
                           k == 2 ? "another delimiter" : "not a printable");
        assert_model_ok(r);
        marc_record_free(r);
        marc_buf_free(&b);
    }
}

/* Indicators are printable ASCII; recovery reads a bad one as a blank. */
static void
test_bad_indicator_refused(void **state)
{
    const struct raw_field f[] = {RAW("001", "x"), RAW("245", "1\x01\x1f" "aTitle")};
    size_t at[2];
    struct marc_buf b = build_iso(f, 2, ' ', at);
    struct marc_record *r = expect_refused(&b, "indicator-invalid", at[1] + 1, "245", 1, 0,
                                           "indicator 2 is \\x01");
    const struct marc_field *g = marc_record_field(r, 1);
    assert_int_equal(marc_field_ind1(g), '1');
    assert_int_equal(marc_field_ind2(g), ' ');
    assert_model_ok(r);
    marc_record_free(r);
    marc_buf_free(&b);
}

/* A control field cannot hold a delimiter; a 00X field whose byte 2 is one
 * is a data field (non-MARC 21 records: danMARC's 001 has subfields). */
static void
test_control_field_delimiter(void **state)
{
    const struct raw_field f[] = {RAW("001", "ocm\x1f" "a1"), RAW("245", "10\x1f" "aT")};
    size_t at[2];
    struct marc_buf b = build_iso(f, 2, ' ', at);
    struct marc_record *r = expect_refused(&b, "control-delimiter", at[0] + 3, "001", 1, 0,
                                           "subfield delimiter at byte 3");
    assert_int_equal(marc_record_field_count(r), 1); /* dropped */
    assert_string_equal(marc_field_tag(marc_record_field(r, 0)), "245");
    marc_record_free(r);
    marc_buf_free(&b);
    const struct raw_field g[] = {RAW("001", "00\x1f" "a123\x1f" "bdbc")};
    b = build_iso(g, 1, ' ', NULL);
    r = marc_record_new();
    struct test_diags t = {0};
    assert_int_equal(decode(r, b.data, b.len, &t, false), 0);
    assert_false(marc_field_is_control(marc_record_field(r, 0)));
    assert_int_equal(marc_field_subfield_count(marc_record_field(r, 0)), 2);
    marc_record_free(r);
    marc_buf_free(&b);
}

/* "LDR" names the leader: a field so tagged would read back from .mrk as a
 * second record. */
static void
test_ldr_tag_refused(void **state)
{
    static const char *const tags[] = {"LDR", "ldr", "Ldr"};
    for (size_t k = 0; k < 3; k++) {
        struct raw_field f[] = {RAW("001", "x"), {tags[k], "  \x1f" "ax", 5}};
        struct marc_buf b = build_iso(f, 2, ' ', NULL);
        struct marc_record *r =
            expect_refused(&b, "directory-tag", 24 + 12, "", 0, 0, "the leader's name");
        assert_int_equal(marc_record_field_count(r), 1);
        marc_record_free(r);
        marc_buf_free(&b);
    }
}

/* Every empty delimiter at a field's end is dropped, with one warning that
 * counts them, so that decoding what was encoded changes nothing. */
static void
test_trailing_delimiters_dropped(void **state)
{
    const struct raw_field f[] = {RAW("245", "10\x1f" "aTitle\x1f\x1f\x1f"), RAW("500", "  \x1f")};
    size_t at[2];
    struct marc_buf b = build_iso(f, 2, ' ', at);
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    assert_int_equal(decode(r, b.data, b.len, &t, false), 0);
    assert_int_equal(t.warnings, 2);
    const struct marc_diag *d = test_diags_find(&t, "subfield-no-code");
    assert_non_null(d);
    assert_int_equal(d->offset, 1000 + (long long)at[0] + 9);
    assert_non_null(strstr(d->message, "3 subfield delimiters and no code"));
    size_t len;
    const char *v = marc_field_data(marc_record_field(r, 0), &len);
    assert_int_equal(len, 9);
    assert_memory_equal(v, "10\x1f" "aTitle", 9);
    marc_field_data(marc_record_field(r, 1), &len);
    assert_int_equal(len, 2);
    assert_model_ok(r);
    marc_record_free(r);
    marc_buf_free(&b);
}

/*
 * The fast path checks 16 bytes at a time: a NUL, a bad code or a record
 * terminator is caught wherever it falls (in a block, at a block's last
 * byte with its code in the next block, in the tail), and named exactly.
 */
static void
test_bad_bytes_anywhere(void **state)
{
    char body[82]; /* "10", then twenty "$abc" */
    memcpy(body, "10", 2);
    for (size_t k = 2; k + 4 <= sizeof body; k += 4)
        memcpy(body + k, "\x1f" "abc", 4);
    static const struct {
        char bad[2];
        int width;
        const char *code;
    } kinds[] = {{"\0", 1, "value-nul"}, {"\x1f\x80", 2, "subfield-code"},
                 {"\x1f\x1e", 2, "field-terminator"}, {"\x1d", 1, "field-terminator"}};
    for (size_t kind = 0; kind < 4; kind++) {
        for (size_t pos = 3; pos + 2 < sizeof body; pos++) {
            char copy[sizeof body];
            memcpy(copy, body, sizeof body);
            memcpy(copy + pos, kinds[kind].bad, (size_t)kinds[kind].width);
            if (kind < 2 && copy[pos - 1] == 0x1f)
                continue; /* a bad code before it is reported first */
            struct raw_field f[] = {RAW("001", "x"), {"520", copy, sizeof copy}};
            size_t at[2];
            struct marc_buf b = build_iso(f, 2, ' ', at);
            struct marc_record *r = marc_record_new();
            struct test_diags t = {0};
            assert_int_equal(decode(r, b.data, b.len, &t, false), MARC_ERR_FORMAT);
            const struct marc_diag *d = test_diags_find(&t, kinds[kind].code);
            if (!d)
                test_diags_dump(&t);
            assert_non_null(d);
            size_t want = pos + (kind == 1 ? 1 : 0);
            if (kind < 2)
                assert_int_equal(d->offset, 1000 + (long long)(at[1] + want));
            marc_record_free(r);
            marc_buf_free(&b);
        }
    }
}

/* True when each field's data follows the previous one's, in directory order. */
static bool
canonical_layout(const char *rec)
{
    long base = (rec[12] - '0') * 10000 + (rec[13] - '0') * 1000 + (rec[14] - '0') * 100 +
                (rec[15] - '0') * 10 + (rec[16] - '0');
    long expect = 0;
    for (const char *e = rec + 24; e < rec + base - 1; e += 12) {
        long flen = strtol((char[]){e[3], e[4], e[5], e[6], 0}, NULL, 10);
        long start = strtol((char[]){e[7], e[8], e[9], e[10], e[11], 0}, NULL, 10);
        if (start != expect)
            return false;
        expect += flen;
    }
    return true;
}

/* The LoC sample shipped by Debian's idzebra-2.0-examples (MARC-8). */
static void
test_loc_sample(void **state)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "zcat %s/marc21/sample-marc.gz", LOC_EXAMPLES_DIR);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    struct marc_buf in = MARC_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        marc_buf_append(&in, chunk, n);
    assert_int_equal(pclose(p), 0);
    assert_true(in.len > 20000);
    struct marc_record *r = marc_record_new();
    size_t off = 0;
    int records = 0, clean = 0, canonical = 0;
    struct marc_buf out = MARC_BUF_INIT;
    while (off + 5 <= in.len) {
        long len = marc_iso2709_declared_length(in.data + off, in.len - off);
        assert_true(len >= 24 && off + (size_t)len <= in.len);
        struct test_diags t = {0};
        struct marc_decode_ctx ctx = {.record = records + 1, .offset = (long long)off,
                                      .diag = test_diags_collect, .diag_ctx = &t};
        int rc = marc_iso2709_decode(r, in.data + off, (size_t)len, &ctx);
        records++;
        if (rc == 0 && t.warnings == 0) {
            clean++;
            marc_buf_reset(&out);
            assert_int_equal(marc_iso2709_encode(r, &out, NULL), 0);
            assert_int_equal(out.len, (size_t)len);
            if (canonical_layout(in.data + off)) {
                /* Data in directory order: re-encodes to exactly its bytes. */
                assert_memory_equal(out.data, in.data + off, out.len);
                canonical++;
            } else {
                /* Otherwise the same record, laid out in directory order. */
                struct marc_record *again = marc_record_new();
                struct marc_decode_ctx c2 = {.record = 1};
                assert_int_equal(marc_iso2709_decode(again, out.data, out.len, &c2), 0);
                assert_true(marc_record_equal(r, again));
                marc_record_free(again);
            }
        }
        off += (size_t)len;
    }
    assert_int_equal(records, 24);
    assert_true(clean >= 20);
    assert_true(canonical >= 1);
    marc_buf_free(&in);
    marc_buf_free(&out);
    marc_record_free(r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_exact),
        cmocka_unit_test(test_decode_reuses_record),
        cmocka_unit_test(test_structural_errors),
        cmocka_unit_test(test_leader_counts_are_warnings),
        cmocka_unit_test(test_filler_before_first_subfield),
        cmocka_unit_test(test_recover_keeps_good_fields),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_nul_refused),
        cmocka_unit_test(test_bad_subfield_code_refused),
        cmocka_unit_test(test_bad_indicator_refused),
        cmocka_unit_test(test_control_field_delimiter),
        cmocka_unit_test(test_ldr_tag_refused),
        cmocka_unit_test(test_trailing_delimiters_dropped),
        cmocka_unit_test(test_bad_bytes_anywhere),
        cmocka_unit_test(test_loc_sample),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
