/*
 * test_charset.c - MARC-8 <-> UTF-8 and Unicode normalisation: every MARC-8
 * set, the errors yaz would swallow (with their exact offsets), numeric
 * character references for what MARC-8 lacks, relabelling of mislabelled
 * records, records left unchanged on failure, golden conversions checked
 * against yaz-marcdump, and exact round trips of the LoC sample records.
 */
#include "testutil.h"

#include "buf.h"
#include "charset.h"
#include "codec.h"
#include "iso2709.h"
#include "record.h"
#include "utf8.h"

/* ---- helpers ---- */

enum dir { TO_UTF8, TO_MARC8, TO_NFC, TO_NFD };

/* Run one string-level conversion; returns its result, *out owns the text. */
static int
run(enum dir d, const char *in, size_t len, struct marc_buf *out, size_t *bad)
{
    marc_buf_reset(out);
    switch (d) {
    case TO_UTF8:
        return marc_marc8_to_utf8(in, len, out, bad);
    case TO_MARC8:
        return marc_utf8_to_marc8(in, len, out, bad);
    case TO_NFC:
        return marc_utf8_normalize(in, len, MARC_NF_NFC, out, bad);
    default:
        return marc_utf8_normalize(in, len, MARC_NF_NFD, out, bad);
    }
}

/* Convert `in` and check the result is exactly `want`. */
static void
check_conv(enum dir d, const char *in, size_t inlen, const char *want, size_t wantlen)
{
    struct marc_buf out = MARC_BUF_INIT;
    size_t bad = 12345;
    int rc = run(d, in, inlen, &out, &bad);
    if (rc != MARC_OK)
        fail_msg("conversion %d of \"%s\" failed at byte %zu", d, in, bad);
    if (out.len != wantlen || (wantlen && memcmp(out.data, want, wantlen) != 0)) {
        fprintf(stderr, "# got: ");
        for (size_t i = 0; i < out.len; i++)
            fprintf(stderr, "%02X ", (unsigned char)out.data[i]);
        fprintf(stderr, "\n");
        fail_msg("conversion %d of \"%s\" gave the wrong bytes", d, in);
    }
    marc_buf_free(&out);
}

#define CONV(d, in, want) check_conv(d, in, sizeof(in) - 1, want, sizeof(want) - 1)

/* Convert `in` and check it fails with the first bad byte at `at`. */
static void
check_bad(enum dir d, const char *in, size_t inlen, size_t at)
{
    struct marc_buf out = MARC_BUF_INIT;
    size_t bad = 12345;
    assert_int_equal(run(d, in, inlen, &out, &bad), MARC_ERR_CHARSET);
    assert_int_equal(bad, at);
    marc_buf_free(&out);
}

#define BAD(d, in, at) check_bad(d, in, sizeof(in) - 1, at)

static struct marc_decode_ctx
make_ctx(struct test_diags *t)
{
    memset(t, 0, sizeof *t);
    return (struct marc_decode_ctx){
        .record = 3, .offset = 1000, .diag = test_diags_collect, .diag_ctx = t};
}

static long
add_field(struct marc_record *r, const char *tag, char code, const char *value)
{
    long i = marc_record_add_data(r, tag, ' ', ' ');
    assert_true(i >= 0);
    assert_int_equal(marc_record_append_subfield(r, (size_t)i, code, value, strlen(value)), 0);
    return i;
}

/* A record with leader/09 set to `coding`. */
static struct marc_record *
new_record(char coding)
{
    struct marc_record *r = marc_record_new();
    assert_int_equal(marc_record_set_leader_byte(r, 9, coding), 0);
    assert_int_equal(marc_record_add_control(r, "001", "cs0001", 6), 1 - 1);
    return r;
}

/* The record after an ISO 2709 encode and decode, so that fields borrow from
 * a record image and diagnostics carry absolute offsets (record at 1000). */
static struct marc_record *
through_iso(const struct marc_record *r, struct marc_buf *image)
{
    marc_buf_reset(image);
    assert_int_equal(marc_iso2709_encode(r, image, NULL), 0);
    struct marc_record *d = marc_record_new();
    struct test_diags t;
    struct marc_decode_ctx ctx = make_ctx(&t);
    assert_int_equal(marc_iso2709_decode(d, image->data, image->len, &ctx), 0);
    return d;
}

static void
assert_records_equal(const struct marc_record *a, const struct marc_record *b)
{
    assert_string_equal(marc_record_leader(a), marc_record_leader(b));
    assert_int_equal(marc_record_field_count(a), marc_record_field_count(b));
    for (size_t i = 0; i < marc_record_field_count(a); i++)
        assert_true(marc_field_equal(marc_record_field(a, i), marc_record_field(b, i)));
}

/* The first subfield of occurrence `occ` (1-based) of `tag`. */
static const char *
value_of(const struct marc_record *r, const char *tag, int occ, size_t *len)
{
    long i = -1;
    for (int k = 0; k < occ; k++)
        i = marc_record_find(r, tag, (size_t)(i + 1));
    assert_true(i >= 0);
    struct marc_subfield sf;
    assert_true(marc_field_subfield(marc_record_field(r, (size_t)i), 0, &sf));
    *len = sf.len;
    return sf.value;
}

#define ASSERT_VALUE(r, tag, occ, want)                                                            \
    do {                                                                                           \
        size_t len_;                                                                               \
        const char *v_ = value_of(r, tag, occ, &len_);                                             \
        assert_int_equal(len_, sizeof(want) - 1);                                                  \
        assert_memory_equal(v_, want, sizeof(want) - 1);                                           \
    } while (0)

/* ---- MARC-8 -> UTF-8, string level ---- */

static void
test_ansel_diacritics(void **state)
{
    /* Combining marks come before the base in MARC-8, after it in Unicode. */
    CONV(TO_UTF8,
         "\xE2"
         "e",
         "e\xCC\x81");
    CONV(TO_UTF8,
         "Caf\xE2"
         "e",
         "Cafe\xCC\x81");
    CONV(TO_UTF8,
         "Dvo\xE9r\xE2"
         "ak",
         "Dvor\xCC\x8C"
         "a\xCC\x81k");
    /* Two marks keep their order: circumflex, then dot below. */
    CONV(TO_UTF8,
         "\xE3\xF2"
         "a",
         "a\xCC\x82\xCC\xA3");
    /* A mark on a space is the MARC-8 way to write a spacing accent. */
    CONV(TO_UTF8, "a\xE2 ", "a \xCC\x81");
    /* Ligature halves: yaz folds the second half into U+0361. */
    CONV(TO_UTF8,
         "d\xEBi\xEC"
         "a",
         "di\xCD\xA1"
         "a");
}

static void
test_ansel_specials(void **state)
{
    /* Ł ß £ ♭ ℓ © Ơ */
    CONV(TO_UTF8, "\xA1\xC7\xB9\xA9\xC1\xC3\xAC",
         "\xC5\x81\xC3\x9F\xC2\xA3\xE2\x99\xAD\xE2\x84\x93\xC2\xA9\xC6\xA0");
    /* Non-sort begin/end and the joiners are the only C1 controls MARC-8 has. */
    CONV(TO_UTF8, "\x88The \x89x\x8D\x8E", "\xC2\x98The \xC2\x9Cx\xE2\x80\x8D\xE2\x80\x8C");
    /* A literal character reference is data and stays as it is. */
    CONV(TO_UTF8,
         "&#xFFFD; \xE2"
         "e",
         "&#xFFFD; e\xCC\x81");
}

static void
test_script_sets(void **state)
{
    CONV(TO_UTF8, "\x1B(NmOSKWA\x1B(B :", "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 :");
    CONV(TO_UTF8, "\x1B(2`ibec\x1B(B.", "\xD7\x90\xD7\x99\xD7\x92\xD7\x95\xD7\x93.");
    CONV(TO_UTF8, "\x1B(3GdQHGW\x1B(B", "\xD8\xA7\xD9\x84\xD8\xB1\xD8\xA8\xD8\xA7\xD8\xB7");
    CONV(TO_UTF8, "\x1B(Sabd\x1B(B", "\xCE\xB1\xCE\xB2\xCE\xB3");
    /* Cyrillic as G1 (high bytes) while ASCII stays in G0. */
    CONV(TO_UTF8, "\x1B)NA\xC1\xC2", "A\xD0\xB0\xD0\xB1");
    /* Technique 1: superscripts, subscripts, Greek symbols. */
    CONV(TO_UTF8,
         "x\x1Bp2\x1Bs + H\x1B"
         "b2\x1BsO",
         "x\xC2\xB2 + H\xE2\x82\x82O");
    CONV(TO_UTF8,
         "\x1Bg"
         "a\x1Bs",
         "\xCE\xB1");
    /* No escape at the end: the next subfield starts in ASCII anyway. */
    CONV(TO_UTF8, "\x1B(NmOSKWA", "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0");
}

static void
test_eacc(void **state)
{
    /* 人大 가: three bytes per character, ASCII space between. */
    CONV(TO_UTF8, "\x1B$1!0d!9%\x1B(B \x1B$1oH_\x1B(B.", "\xE4\xBA\xBA\xE5\xA4\xA7 \xEA\xB0\x80.");
    CONV(TO_UTF8, "\x1B$1!0d \x21\x30\x64", "\xE4\xBA\xBA \xE4\xBA\xBA");
}

/* ---- MARC-8 errors yaz would swallow ---- */

static void
test_bad_escapes(void **state)
{
    BAD(TO_UTF8, "ab\x1BZcd", 2); /* no such escape */
    BAD(TO_UTF8, "a\x1B(Xb", 1);  /* no such set */
    BAD(TO_UTF8, "a\x1B)!Fb", 1); /* ! only with E (ANSEL) */
    BAD(TO_UTF8, "\x1B$2", 0);    /* only EACC is multibyte */
    BAD(TO_UTF8, "abc\x1B(", 3);  /* cut off */
    BAD(TO_UTF8, "abc\x1B", 3);
    BAD(TO_UTF8,
        "Soci\x1Bt\xE2"
        "e",
        4); /* pymarc's bad_marc8_escape record */
}

static void
test_undefined_bytes(void **state)
{
    BAD(TO_UTF8,
        "ab\xAF"
        "cd",
        2); /* a hole in ANSEL */
    BAD(TO_UTF8, "x\xFC", 1);
    BAD(TO_UTF8, "x\x01y", 1); /* a control MARC-8 does not have */
    BAD(TO_UTF8, "x\x7Fy", 1);
    BAD(TO_UTF8, "abc\xFF", 3);
    BAD(TO_UTF8, "\x1BpA\x1Bs", 2); /* superscripts have no A */
    BAD(TO_UTF8, "\x1B$1!0", 3);    /* EACC characters are three bytes */
    BAD(TO_UTF8, "\x1B$1!0d!\x1B(B", 6);
    BAD(TO_UTF8, "\x1B$1!0d!!!\x1B(B", 6); /* not in the EACC table */
    BAD(TO_UTF8, "\x1B(N\x1F", 3);
}

static void
test_lone_combining(void **state)
{
    BAD(TO_UTF8, "a\xE2", 1);
    BAD(TO_UTF8, "a\xE1\xE2", 1);
    /* yaz would put this acute on the "a" before it. */
    BAD(TO_UTF8, "a\xE2\x1B(B", 1);
    BAD(TO_UTF8, "\x1B(2`\x40\x1B(B", 4); /* a Hebrew point with no letter */
    BAD(TO_UTF8, "a\x1B(N\xE2", 4);       /* the mark, not the escape before it */
    /* Seven marks on one letter are fine, eight are more than yaz handles. */
    CONV(TO_UTF8,
         "\xE1\xE2\xE3\xE4\xE5\xE6\xE7"
         "a",
         "a\xCC\x80\xCC\x81\xCC\x82\xCC\x83\xCC\x84\xCC\x86\xCC\x87");
    BAD(TO_UTF8,
        "x\xE1\xE2\xE3\xE4\xE5\xE6\xE7\xE8"
        "a",
        1);
}

/* The code of the error converting MARC-8 `in` as a record's 500 $a. */
static const char *
record_error(const char *in, size_t len, size_t *pos)
{
    static char code[64];
    struct marc_record *r = new_record(' ');
    long i = marc_record_add_data(r, "500", ' ', ' ');
    assert_int_equal(marc_record_append_subfield(r, (size_t)i, 'a', in, len), 0);
    struct test_diags t;
    struct marc_decode_ctx ctx = make_ctx(&t);
    assert_int_equal(marc_charset_to_utf8(r, &ctx), MARC_ERR_CHARSET);
    assert_int_equal(t.errors, 1);
    snprintf(code, sizeof code, "%s", t.d[0].code);
    *pos = (size_t)t.d[0].position - 4; /* byte of the value: after "  $a" */
    marc_record_free(r);
    return code;
}

#define REFUSED(in, want_code, at)                                                                 \
    do {                                                                                           \
        size_t pos_;                                                                               \
        BAD(TO_UTF8, in, at);                                                                      \
        assert_string_equal(record_error(in, sizeof(in) - 1, &pos_), want_code);                   \
        assert_int_equal(pos_, at);                                                                \
    } while (0)

/*
 * yaz reads at most seven combining characters before a base; with eight the
 * letter is lost (and yaz's count of bytes goes wrong, up to reading past
 * the input).  So runs are counted in every set that has combining
 * characters, not only ANSEL, and an eighth is an error at the run's start.
 */
static void
test_combining_runs_in_every_set(void **state)
{
    static const struct {
        const char *esc, *mark, *base, *want;
    } sets[] = {
        {"\x1B(2", "K", "g", "\xD7\x97"},           /* Hebrew points */
        {"\x1B(S", "!", "a", "\xCE\xB1"},           /* Greek accents */
        {"\x1B(3", "k", "H", "\xD8\xA8"},           /* Arabic vowels */
        {"\x1B(4", "}", "G", "\xDA\x9B"},           /* Extended Arabic marks */
        {"\x1B)2", "\xCB", "\xE7", "\xD7\x97"},     /* Hebrew as G1 */
        {"", "\xE1", "a", "a"},                     /* ANSEL */
    };
    for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++) {
        for (int marks = 7; marks <= 9; marks++) {
            char in[64], *p = in;
            p += sprintf(p, "%s", sets[k].esc);
            for (int m = 0; m < marks; m++)
                *p++ = sets[k].mark[0];
            p += sprintf(p, "%s", sets[k].base);
            struct marc_buf out = MARC_BUF_INIT;
            size_t bad = 999;
            int rc = marc_marc8_to_utf8(in, (size_t)(p - in), &out, &bad);
            if (marks == 7) {
                /* The letter first, then its seven marks. */
                assert_int_equal(rc, MARC_OK);
                assert_memory_equal(out.data, sets[k].want, strlen(sets[k].want));
            } else {
                assert_int_equal(rc, MARC_ERR_CHARSET);
                assert_int_equal(bad, strlen(sets[k].esc));
                size_t pos;
                assert_string_equal(record_error(in, (size_t)(p - in), &pos),
                                    "marc8-too-many-combining");
                assert_int_equal(pos, strlen(sets[k].esc));
            }
            marc_buf_free(&out);
        }
    }
    /* Eight Hebrew points, the eighth after an escape: the error names byte
     * 3 of 15, not a byte past the end. */
    REFUSED("\x1B(2@@@@@@@\x1B(2@!", "marc8-too-many-combining", 3);
    /* Cyrillic has no combining characters: eight letters are eight bases. */
    CONV(TO_UTF8, "\x1B(NAAAAAAAA", "\xD0\xB0\xD0\xB0\xD0\xB0\xD0\xB0\xD0\xB0\xD0\xB0\xD0\xB0\xD0\xB0");
}

/*
 * The second halves of the ligature (EC) and the double tilde (FB) close a
 * first half (EB, FA) written before the previous letter.  Alone, yaz drops
 * them silently; after marks, it puts the marks before their letter.
 */
static void
test_double_diacritic_halves(void **state)
{
    CONV(TO_UTF8,
         "\xEB"
         "t\xEC"
         "s",
         "t\xCD\xA1s");
    CONV(TO_UTF8,
         "\xFA"
         "n\xFB"
         "g",
         "n\xCD\xA0g");
    CONV(TO_MARC8, "t\xCD\xA1s",
         "\xEB"
         "t\xEC"
         "s");
    REFUSED("a\xEC"
            "b",
            "marc8-lone-second-half", 1);
    REFUSED("\xEB"
            "a\xFB"
            "b",
            "marc8-lone-second-half", 2); /* a ligature is not closed by a tilde's half */
    REFUSED("\xEB"
            "t\xE1\xEC"
            "s",
            "marc8-mark-before-second-half", 2);
    REFUSED("\xE0\xEC", "marc8-mark-before-second-half", 0);
    /* What the fuzzer found: seven marks then a second half (yaz read past
     * the input). */
    REFUSED("\x1B(2K\xB5N\xE7NN\xE7N\xE7\xFB", "marc8-mark-before-second-half", 5);
}

/*
 * MARC-8's combining characters are not Unicode's: Arabic superscript alef
 * (U+0670, a Unicode mark) is a letter of its own in MARC-8, so it may stand
 * alone and reads back as it was written.
 */
static void
test_marc8_letters_that_are_unicode_marks(void **state)
{
    CONV(TO_UTF8, "\x1B(3t", "\xD9\xB0");
    CONV(TO_MARC8, "\xD9\xB0", "\x1B(3t\x1B(B");
    CONV(TO_MARC8, "\xD8\xA8\xD9\xB0", "\x1B(3Ht\x1B(B");
}

/* ---- UTF-8 -> MARC-8, string level ---- */

static void
test_to_marc8(void **state)
{
    CONV(TO_MARC8, "plain ASCII", "plain ASCII");
    CONV(TO_MARC8, "e\xCC\x81",
         "\xE2"
         "e");
    CONV(TO_MARC8, "\xC3\xA9",
         "\xE2"
         "e"); /* precomposed */
    CONV(TO_MARC8, "\xC5\x91",
         "\xEE"
         "o");                                    /* ő: yaz alone would drop it */
    CONV(TO_MARC8, "S\xE1\xBB\x9F", "S\xE0\xBC"); /* ở is ơ + hook */
    CONV(TO_MARC8, "\xC5\x81\xC3\x9F\xE2\x99\xAD", "\xA1\xC7\xA9");
    CONV(TO_MARC8, "\xC2\x98The \xC2\x9Cx", "\x88The \x89x");
    /* Spaces stay inside a run of Cyrillic, as MARC-8 writers do it. */
    CONV(TO_MARC8, "\xD0\xB0\xD0\xB1 \xD0\xB2\xD0\xB3 :", "\x1B(NAB WG\x1B(B :");
    /* EACC: spaces in ASCII. */
    CONV(TO_MARC8, "\xE4\xBA\xBA\xE5\xA4\xA7 \xEA\xB0\x80", "\x1B$1!0d!9%\x1B(B \x1B$1oH_\x1B(B");
    /* yaz leaves a superscript for EACC without designating EACC. */
    CONV(TO_MARC8, "\xC2\xB2\xE4\xBA\xBA", "\x1Bp2\x1Bs\x1B$1!0d\x1B(B");
    CONV(TO_MARC8, "\xC2\xB2\xC2\xB3 \xE2\x82\x82",
         "\x1Bp23\x1Bs \x1B"
         "b2\x1Bs");
    /* U+F93F is EF A4 BF, which yaz's UTF-8 reader takes for a byte order
     * mark when it starts the input. */
    CONV(TO_MARC8, "\xEF\xA4\xBF", "\x1B$1!]t\x1B(B");
    BAD(TO_MARC8, "ab\xC3\x28", 2);
    BAD(TO_MARC8, "\xED\xA0\x80", 0); /* a surrogate */
}

static void
test_to_marc8_references(void **state)
{
    /* Tifinagh is not in MARC-8. */
    CONV(TO_MARC8, "a\xE2\xB4\xB0z", "a&#x2D30;z");
    CONV(TO_MARC8, "\xF0\x9F\x98\x80", "&#x1F600;");
    CONV(TO_MARC8, "\xE2\x80\x99", "&#x2019;");
    /* A mark on a reference, or on nothing, becomes a reference too. */
    CONV(TO_MARC8, "\xE2\xB4\xB0\xCC\x81", "&#x2D30;&#x0301;");
    CONV(TO_MARC8,
         "\xCC\x81"
         "a",
         "&#x0301;a");
    /* ESC in UTF-8 text would start an escape sequence in MARC-8. */
    CONV(TO_MARC8, "a\x1B(Nb", "a&#x001B;(Nb");
    /* Inside a Cyrillic run the reference is written in ASCII. */
    CONV(TO_MARC8, "\xD0\xB0\xE2\xB4\xB0\xD0\xB1", "\x1B(NA\x1B(B&#x2D30;\x1B(NB\x1B(B");
}

/*
 * Marks past the seventh on one letter are written as references: MARC-8
 * with eight would not read back (yaz keeps seven).  yaz writes e-acute as
 * acute + e, so its acute counts.
 */
static void
test_to_marc8_marks_limit(void **state)
{
    CONV(TO_MARC8,
         "=\xCC\xA6\xCC\xA6\xCC\xA6\xCC\xA6\xCC\xA6\xCC\xA6\xCC\xA6\xCC\xA6"
         "A",
         "\xF7\xF7\xF7\xF7\xF7\xF7\xF7=&#x0326;A");
    CONV(TO_MARC8,
         "\xC3\xA9\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81"
         "x",
         "\xE2\xE2\xE2\xE2\xE2\xE2\xE2"
         "e&#x0301;x");
    /* Seven are written as they are, and read back. */
    const char seven[] = "\xF7\xF7\xF7\xF7\xF7\xF7\xF7=";
    CONV(TO_MARC8,
         "=\xCC\xA6\xCC\xA6\xCC\xA6\xCC\xA6\xCC\xA6\xCC\xA6\xCC\xA6",
         seven);
    struct marc_buf out = MARC_BUF_INIT;
    assert_int_equal(marc_marc8_to_utf8(seven, sizeof seven - 1, &out, NULL), MARC_OK);
    marc_buf_free(&out);
    /* In a record, each reference is a warning naming the field. */
    struct marc_record *r = new_record('a');
    add_field(r, "245", 'a',
              "=\xCC\xA6\xCC\xA6\xCC\xA6\xCC\xA6\xCC\xA6\xCC\xA6\xCC\xA6\xCC\xA6"
              "A");
    struct test_diags t;
    struct marc_decode_ctx ctx = make_ctx(&t);
    assert_int_equal(marc_charset_to_marc8(r, &ctx), 0);
    assert_int_equal(t.warnings, 1);
    assert_string_equal(t.d[0].code, "marc8-unencodable");
    assert_non_null(strstr(t.d[0].message, "U+0326"));
    assert_string_equal(t.d[0].tag, "245");
    ctx = make_ctx(&t);
    assert_int_equal(marc_charset_to_utf8(r, &ctx), 0);
    marc_record_free(r);
}

static void
test_round_trip_strings(void **state)
{
    static const char *const m8[] = {
        "Caf\xE2"
        "e \xA1\xE2"
        "od\xE2z, Stra\xC7"
        "e",
        "\x1B(NmOSKWA\x1B(B : \x1B(N\\KSMO\x1B(B, 2013.",
        "\x1B(2`ibec klli\x1B(B.",
        "\x1B$1!0d!9%\x1B(B \x1B$1oH_\x1B(B",
        "x\x1Bp2\x1Bs + H\x1B"
        "b2\x1BsO",
        "d\xEBi\xEC"
        "a S\xE0\xBC",
    };
    for (size_t i = 0; i < sizeof m8 / sizeof m8[0]; i++) {
        struct marc_buf u = MARC_BUF_INIT, back = MARC_BUF_INIT;
        size_t bad;
        assert_int_equal(marc_marc8_to_utf8(m8[i], strlen(m8[i]), &u, &bad), 0);
        assert_true(marc_utf8_valid(u.data, u.len, NULL));
        assert_int_equal(marc_utf8_to_marc8(u.data, u.len, &back, &bad), 0);
        assert_int_equal(back.len, strlen(m8[i]));
        assert_memory_equal(back.data, m8[i], back.len);
        marc_buf_free(&u);
        marc_buf_free(&back);
    }
}

/* ---- normalisation, string level ---- */

static void
test_normalize(void **state)
{
    CONV(TO_NFC, "e\xCC\x81", "\xC3\xA9");
    CONV(TO_NFD, "\xC3\xA9", "e\xCC\x81");
    CONV(TO_NFC, "\xC3\xA9", "\xC3\xA9");
    CONV(TO_NFD, "e\xCC\x81", "e\xCC\x81");
    /* MARC-8 order circumflex + dot below: NFC reorders and composes to ậ. */
    CONV(TO_NFC, "a\xCC\x82\xCC\xA3", "\xE1\xBA\xAD");
    CONV(TO_NFD, "\xE1\xBA\xAD", "a\xCC\xA3\xCC\x82");
    CONV(TO_NFC, "plain", "plain");
    BAD(TO_NFC, "ab\xC3\x28", 2);
    BAD(TO_NFD, "\xFF", 0);
    struct marc_buf out = MARC_BUF_INIT;
    assert_int_equal(marc_utf8_normalize("e\xCC\x81", 3, MARC_NF_NONE, &out, NULL), 0);
    assert_int_equal(out.len, 3);
    marc_buf_free(&out);
}

/* ---- records ---- */

static void
test_record_to_utf8(void **state)
{
    struct marc_record *r = new_record(' ');
    add_field(r, "100", 'a',
              "Dvo\xE9r\xE2"
              "ak, Anton\xE2in");
    add_field(r, "880", 'a', "\x1B(NmOSKWA\x1B(B");
    add_field(r, "500", 'a', "All ASCII.");
    struct test_diags t;
    struct marc_decode_ctx ctx = make_ctx(&t);
    assert_int_equal(marc_charset_to_utf8(r, &ctx), 0);
    assert_int_equal(t.n, 0);
    assert_true(marc_record_is_utf8(r));
    ASSERT_VALUE(r, "100", 1,
                 "Dvor\xCC\x8C"
                 "a\xCC\x81k, Antoni\xCC\x81n");
    ASSERT_VALUE(r, "880", 1, "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0");
    /* NFC composes what MARC-8 decomposed. */
    assert_int_equal(marc_charset_normalize(r, MARC_NF_NFC, &ctx), 0);
    ASSERT_VALUE(r, "100", 1, "Dvo\xC5\x99\xC3\xA1k, Anton\xC3\xADn");
    /* A UTF-8 record is left alone. */
    struct marc_record *copy = marc_record_clone(r);
    assert_int_equal(marc_charset_to_utf8(r, &ctx), 0);
    assert_records_equal(r, copy);
    marc_record_free(copy);
    marc_record_free(r);
}

static void
test_record_error_offsets(void **state)
{
    struct marc_record *src = new_record(' ');
    add_field(src, "260", 'a', "Paris :");
    long i = add_field(src, "260", 'a', "Bordeaux :");
    assert_int_equal(marc_record_append_subfield(src, (size_t)i, 'b',
                                                 "La Soci\x1Bt\xE2"
                                                 "e,",
                                                 12),
                     0);
    struct marc_buf image = MARC_BUF_INIT;
    struct marc_record *r = through_iso(src, &image);
    struct marc_record *before = marc_record_clone(r);
    struct test_diags t;
    struct marc_decode_ctx ctx = make_ctx(&t);
    assert_int_equal(marc_charset_to_utf8(r, &ctx), MARC_ERR_CHARSET);
    /* The record is exactly as it was, leader included. */
    assert_records_equal(r, before);
    assert_int_equal(t.errors, 1);
    const struct marc_diag *d = test_diags_find(&t, "marc8-bad-escape");
    assert_non_null(d);
    assert_int_equal(d->record, 3);
    assert_string_equal(d->tag, "260");
    assert_int_equal(d->occurrence, 2);
    const char *esc = memchr(image.data, 0x1B, image.len);
    assert_non_null(esc);
    assert_int_equal(d->offset, 1000 + (esc - image.data));
    /* ind ind $a Bordeaux : $b La Soci|ESC: byte 2 + 12 + 2 + 7 */
    assert_true(d && strstr(d->message, "(byte 23 of the field)"));
    assert_int_equal(d->subfield, 'b');
    assert_int_equal(d->position, 23);
    assert_true(d && strstr(d->message, "1B 74"));
    assert_int_equal(ctx.first_error, MARC_ERR_CHARSET);
    marc_record_free(before);
    marc_record_free(r);
    marc_record_free(src);
    marc_buf_free(&image);
}

static void
test_record_all_errors_when_recovering(void **state)
{
    struct marc_record *r = new_record(' ');
    add_field(r, "245", 'a',
              "ab\xAF"
              "cd");
    add_field(r, "246", 'a',
              "fine \xE2"
              "e");
    add_field(r, "250", 'a', "trailing \xE2");
    struct marc_record *before = marc_record_clone(r);
    struct test_diags t;
    struct marc_decode_ctx ctx = make_ctx(&t);
    ctx.recover = true;
    assert_int_equal(marc_charset_to_utf8(r, &ctx), MARC_ERR_CHARSET);
    assert_int_equal(t.errors, 2);
    const struct marc_diag *d = test_diags_find(&t, "marc8-undefined");
    assert_non_null(d);
    assert_string_equal(d->tag, "245");
    assert_true(d && strstr(d->message, "AF in set ANSEL (byte 6 of the field)"));
    assert_int_equal(d->subfield, 'a');
    assert_int_equal(d->position, 6);
    /* Built with the model API, not decoded: the record's own offset. */
    assert_int_equal(d->offset, 1000);
    char *line = marc_diag_format(d, NULL);
    assert_string_equal(line, "record 3 (byte 1000): 245[1] $a: error: undefined character AF "
                              "in set ANSEL (byte 6 of the field)");
    free(line);
    d = test_diags_find(&t, "marc8-lone-combining");
    assert_non_null(d);
    assert_string_equal(d->tag, "250");
    assert_true(d && strstr(d->message, "byte 13 of the field"));
    assert_int_equal(d->subfield, 'a');
    assert_int_equal(d->position, 13);
    assert_records_equal(r, before);
    marc_record_free(before);
    marc_record_free(r);
}

static void
test_record_error_in_control_field(void **state)
{
    struct marc_record *r = new_record(' ');
    assert_true(marc_record_add_control(r, "008", "abc\xAF", 4) >= 0);
    struct test_diags t;
    struct marc_decode_ctx ctx = make_ctx(&t);
    assert_int_equal(marc_charset_to_utf8(r, &ctx), MARC_ERR_CHARSET);
    const struct marc_diag *d = test_diags_find(&t, "marc8-undefined");
    assert_non_null(d);
    /* No subfield; the byte is the control field's position. */
    assert_int_equal(d->subfield, 0);
    assert_int_equal(d->position, 3);
    char *line = marc_diag_format(d, NULL);
    assert_string_equal(line, "record 3 (byte 1000): 008[1]/03: error: undefined character AF "
                              "in set ANSEL (byte 3 of the field)");
    free(line);
    marc_record_free(r);
}

static void
test_mislabelled_record(void **state)
{
    struct marc_record *src = new_record(' ');
    add_field(src, "245", 'a', "Sonata in B\xE2\x99\xAD");
    struct marc_buf image = MARC_BUF_INIT;
    struct marc_record *r = through_iso(src, &image);
    size_t len;
    const char *data = marc_field_data(marc_record_field(r, 1), &len);
    struct test_diags t;
    struct marc_decode_ctx ctx = make_ctx(&t);
    assert_int_equal(marc_charset_to_utf8(r, &ctx), 0);
    assert_true(marc_record_is_utf8(r));
    assert_int_equal(t.warnings, 1);
    const struct marc_diag *d = test_diags_find(&t, "charset-mislabelled");
    assert_non_null(d);
    assert_int_equal(d->severity, MARC_SEV_WARNING);
    assert_string_equal(d->tag, "LDR");
    assert_int_equal(d->offset, 1009); /* leader/09 */
    /* Relabelled, not converted: the bytes are where they were. */
    assert_ptr_equal(marc_field_data(marc_record_field(r, 1), &len), data);
    /* With an escape sequence in it, the same text is MARC-8 after all. */
    struct marc_record *m8 = new_record(' ');
    add_field(m8, "245", 'a', "B\xE2\x99\xAD \x1B(NA\x1B(B");
    ctx = make_ctx(&t);
    assert_int_equal(marc_charset_to_utf8(m8, &ctx), MARC_ERR_CHARSET);
    assert_false(marc_record_is_utf8(m8));
    marc_record_free(m8);
    marc_record_free(r);
    marc_record_free(src);
    marc_buf_free(&image);
}

static void
test_ascii_records_not_copied(void **state)
{
    struct marc_record *src = new_record(' ');
    for (int k = 0; k < 50; k++)
        add_field(src, "500", 'a', "Plain ASCII note, nothing to convert.");
    struct marc_buf image = MARC_BUF_INIT;
    struct marc_record *r = through_iso(src, &image);
    const char *ptrs[64];
    size_t n = marc_record_field_count(r), len;
    for (size_t i = 0; i < n; i++)
        ptrs[i] = marc_field_data(marc_record_field(r, i), &len);
    struct test_diags t;
    struct marc_decode_ctx ctx = make_ctx(&t);
    assert_int_equal(marc_charset_to_utf8(r, &ctx), 0);
    assert_true(marc_record_is_utf8(r));
    assert_int_equal(marc_charset_normalize(r, MARC_NF_NFC, &ctx), 0);
    assert_int_equal(marc_charset_to_marc8(r, &ctx), 0);
    assert_false(marc_record_is_utf8(r));
    for (size_t i = 0; i < n; i++)
        assert_ptr_equal(marc_field_data(marc_record_field(r, i), &len), ptrs[i]);
    assert_int_equal(t.n, 0);
    marc_record_free(r);
    marc_record_free(src);
    marc_buf_free(&image);
}

static void
test_record_to_marc8(void **state)
{
    struct marc_record *r = new_record('a');
    add_field(r, "245", 'a', "Caf\xC3\xA9");
    add_field(r, "500", 'a', "Plain.");
    add_field(r, "500", 'a', "Tifinagh \xE2\xB4\xB0 and \xE2\xB4\xB1.");
    struct test_diags t;
    struct marc_decode_ctx ctx = make_ctx(&t);
    assert_int_equal(marc_charset_to_marc8(r, &ctx), 0);
    assert_false(marc_record_is_utf8(r));
    ASSERT_VALUE(r, "245", 1,
                 "Caf\xE2"
                 "e");
    ASSERT_VALUE(r, "500", 2, "Tifinagh &#x2D30; and &#x2D31;.");
    /* One warning per character, naming the field and where in it. */
    assert_int_equal(t.warnings, 2);
    assert_int_equal(t.errors, 0);
    assert_string_equal(t.d[0].code, "marc8-unencodable");
    assert_string_equal(t.d[0].tag, "500");
    assert_int_equal(t.d[0].occurrence, 2);
    assert_non_null(strstr(t.d[0].message, "U+2D30"));
    assert_non_null(strstr(t.d[0].message, "(byte 13 of the field)"));
    assert_int_equal(t.d[0].subfield, 'a');
    assert_int_equal(t.d[0].position, 13);
    assert_non_null(strstr(t.d[1].message, "U+2D31"));
    assert_non_null(strstr(t.d[1].message, "(byte 21 of the field)"));
    assert_int_equal(t.d[1].position, 21);
    /* Invalid UTF-8 stops the conversion and changes nothing. */
    struct marc_record *u = new_record('a');
    add_field(u, "245", 'a', "ok \xC3\xA9");
    add_field(u, "246", 'a', "bad \xC3\x28");
    struct marc_record *before = marc_record_clone(u);
    ctx = make_ctx(&t);
    assert_int_equal(marc_charset_to_marc8(u, &ctx), MARC_ERR_CHARSET);
    assert_non_null(test_diags_find(&t, "utf8-invalid"));
    assert_string_equal(t.d[0].tag, "246");
    assert_records_equal(u, before);
    marc_record_free(before);
    marc_record_free(u);
    marc_record_free(r);
}

static void
test_record_normalize(void **state)
{
    struct marc_record *r = new_record('a');
    add_field(r, "100", 'a',
              "Dvor\xCC\x8C"
              "a\xCC\x81k");
    add_field(r, "245", 'a', "Already NFC: \xC3\xA9t\xC3\xA9");
    size_t len;
    const char *nfc245 = marc_field_data(marc_record_field(r, 2), &len);
    struct test_diags t;
    struct marc_decode_ctx ctx = make_ctx(&t);
    assert_int_equal(marc_charset_normalize(r, MARC_NF_NFC, &ctx), 0);
    ASSERT_VALUE(r, "100", 1, "Dvo\xC5\x99\xC3\xA1k");
    /* A field that passes the quick check is not touched. */
    assert_ptr_equal(marc_field_data(marc_record_field(r, 2), &len), nfc245);
    assert_int_equal(marc_charset_normalize(r, MARC_NF_NFD, &ctx), 0);
    ASSERT_VALUE(r, "100", 1,
                 "Dvor\xCC\x8C"
                 "a\xCC\x81k");
    ASSERT_VALUE(r, "245", 1, "Already NFC: e\xCC\x81te\xCC\x81");
    assert_int_equal(t.n, 0);
    /* Invalid UTF-8: an error naming the field, and no change. */
    add_field(r, "500", 'a', "x\xE2\x82");
    struct marc_record *before = marc_record_clone(r);
    assert_int_equal(marc_charset_normalize(r, MARC_NF_NFC, &ctx), MARC_ERR_CHARSET);
    const struct marc_diag *d = test_diags_find(&t, "utf8-invalid");
    assert_non_null(d);
    assert_string_equal(d->tag, "500");
    assert_true(d && strstr(d->message, "byte 5 of the field"));
    assert_int_equal(d->subfield, 'a');
    assert_int_equal(d->position, 5);
    assert_records_equal(r, before);
    marc_record_free(before);
    marc_record_free(r);
}

/* ---- golden files: MARC-8 written here, UTF-8 from yaz-marcdump ---- */

static struct marc_record *
read_fixture(const char *name, char **bytes, size_t *len)
{
    *bytes = test_read_file(test_data(name), len);
    struct marc_record *r = marc_record_new();
    struct test_diags t;
    struct marc_decode_ctx ctx = make_ctx(&t);
    assert_int_equal(marc_iso2709_decode(r, *bytes, *len, &ctx), 0);
    return r;
}

static void
test_golden_files(void **state)
{
    size_t m8len, u8len;
    char *m8, *u8;
    struct marc_record *r = read_fixture("charset/scripts-marc8.mrc", &m8, &m8len);
    struct marc_record *u = read_fixture("charset/scripts-utf8.mrc", &u8, &u8len);
    struct test_diags t;
    struct marc_decode_ctx ctx = make_ctx(&t);
    struct marc_buf out = MARC_BUF_INIT;
    /* MARC-8 -> UTF-8 gives yaz-marcdump's bytes (-f marc8 -t utf8). */
    assert_int_equal(marc_charset_to_utf8(r, &ctx), 0);
    assert_int_equal(marc_iso2709_encode(r, &out, NULL), 0);
    assert_int_equal(out.len, u8len);
    assert_memory_equal(out.data, u8, u8len);
    /* ... and back to the MARC-8 bytes written by hand. */
    assert_int_equal(marc_charset_to_marc8(u, &ctx), 0);
    marc_buf_reset(&out);
    assert_int_equal(marc_iso2709_encode(u, &out, NULL), 0);
    assert_int_equal(out.len, m8len);
    assert_memory_equal(out.data, m8, m8len);
    /* Stored as NFC, it still goes back to the same MARC-8. */
    assert_int_equal(marc_charset_to_utf8(u, &ctx), 0);
    assert_int_equal(marc_charset_normalize(u, MARC_NF_NFC, &ctx), 0);
    assert_int_equal(marc_charset_to_marc8(u, &ctx), 0);
    marc_buf_reset(&out);
    assert_int_equal(marc_iso2709_encode(u, &out, NULL), 0);
    assert_memory_equal(out.data, m8, m8len);
    assert_int_equal(t.n, 0);
    marc_buf_free(&out);
    marc_record_free(r);
    marc_record_free(u);
    free(m8);
    free(u8);
}

/* ---- the LoC sample records (MARC-8, ANSEL) ---- */

static char *
loc_sample(size_t *len)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "gzip -dc '%s/marc21/sample-marc.gz' 2>/dev/null", LOC_EXAMPLES_DIR);
    FILE *gz = popen(cmd, "r"); /* gzip is everywhere; zlib is not linked */
    size_t cap = 1 << 16, n;
    char *buf = malloc(cap);
    *len = 0;
    while (gz && (n = fread(buf + *len, 1, cap - *len, gz)) > 0) {
        *len += n;
        if (*len == cap)
            buf = realloc(buf, cap *= 2);
    }
    if (gz)
        pclose(gz);
    return buf;
}

static void
test_loc_round_trip(void **state)
{
    size_t len;
    char *buf = loc_sample(&len);
    if (len == 0) {
        free(buf);
        skip(); /* idzebra-2.0-examples not installed */
    }
    int records = 0, converted = 0;
    struct marc_record *r = marc_record_new();
    for (size_t off = 0; off + MARC_LEADER_LEN <= len;) { /* the file ends in 1D 1D 00 */
        long n = marc_iso2709_declared_length(buf + off, len - off);
        assert_true(n > 0 && off + (size_t)n <= len);
        struct test_diags t;
        struct marc_decode_ctx ctx = make_ctx(&t);
        ctx.offset = (long long)off;
        marc_iso2709_decode(r, buf + off, (size_t)n, &ctx);
        ctx = make_ctx(&t); /* only the charset steps must be silent */
        ctx.offset = (long long)off;
        struct marc_record *orig = marc_record_clone(r);
        assert_false(marc_record_is_utf8(r));
        assert_int_equal(marc_charset_to_utf8(r, &ctx), 0);
        assert_int_equal(marc_charset_normalize(r, MARC_NF_NFC, &ctx), 0);
        for (size_t i = 0; i < marc_record_field_count(r); i++) {
            size_t flen;
            const char *d = marc_field_data(marc_record_field(r, i), &flen);
            assert_true(marc_utf8_valid(d, flen, NULL));
            converted += !marc_field_equal(marc_record_field(r, i), marc_record_field(orig, i));
        }
        assert_int_equal(marc_charset_to_marc8(r, &ctx), 0);
        assert_records_equal(r, orig);
        assert_int_equal(t.n, 0);
        marc_record_free(orig);
        records++;
        off += (size_t)n;
    }
    assert_int_equal(records, 24);
    assert_true(converted > 0); /* the sample has ANSEL diacritics */
    marc_record_free(r);
    free(buf);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ansel_diacritics),
        cmocka_unit_test(test_ansel_specials),
        cmocka_unit_test(test_script_sets),
        cmocka_unit_test(test_eacc),
        cmocka_unit_test(test_bad_escapes),
        cmocka_unit_test(test_undefined_bytes),
        cmocka_unit_test(test_lone_combining),
        cmocka_unit_test(test_combining_runs_in_every_set),
        cmocka_unit_test(test_double_diacritic_halves),
        cmocka_unit_test(test_marc8_letters_that_are_unicode_marks),
        cmocka_unit_test(test_to_marc8),
        cmocka_unit_test(test_to_marc8_references),
        cmocka_unit_test(test_to_marc8_marks_limit),
        cmocka_unit_test(test_round_trip_strings),
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_record_to_utf8),
        cmocka_unit_test(test_record_error_offsets),
        cmocka_unit_test(test_record_all_errors_when_recovering),
        cmocka_unit_test(test_record_error_in_control_field),
        cmocka_unit_test(test_mislabelled_record),
        cmocka_unit_test(test_ascii_records_not_copied),
        cmocka_unit_test(test_record_to_marc8),
        cmocka_unit_test(test_record_normalize),
        cmocka_unit_test(test_golden_files),
        cmocka_unit_test(test_loc_round_trip),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
