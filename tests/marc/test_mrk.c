/*
 * test_mrk.c - the MarcEdit mnemonic (.mrk) codec and its mnemonic table:
 * exact round trips of records built with the model API (UTF-8 and MARC-8),
 * decoding of hand-written text, framing, and every error with its line.
 */
#include "testutil.h"

#include "marc-int.h"
#include "mnemonic.h"
#include "mrk.h"
#include "utf8.h"

/* ---- helpers ---- */

/* Decode text as one record whose first line is `line`. */
static int
decode(struct marc_record *r, const char *text, long line, bool recover, struct test_diags *t)
{
    struct marc_decode_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.record = 1;
    ctx.line = line;
    ctx.diag = test_diags_collect;
    ctx.diag_ctx = t;
    ctx.recover = recover;
    return marc_mrk_decode(r, text, strlen(text), &ctx);
}

static void
assert_records_equal(const struct marc_record *a, const struct marc_record *b)
{
    assert_memory_equal(marc_record_leader(a), marc_record_leader(b), 24);
    assert_int_equal(marc_record_field_count(a), marc_record_field_count(b));
    for (size_t i = 0; i < marc_record_field_count(a); i++) {
        const struct marc_field *fa = marc_record_field(a, i), *fb = marc_record_field(b, i);
        if (!marc_field_equal(fa, fb))
            fail_msg("field %zu (%s) differs after the round trip", i, marc_field_tag(fa));
    }
}

/* Encode r, decode the text, and check that nothing changed; returns the text. */
static char *
round_trip(const struct marc_record *r, bool crlf)
{
    struct marc_buf out = MARC_BUF_INIT;
    assert_int_equal(marc_mrk_encode(r, &out, crlf, NULL), MARC_OK);
    struct marc_record *back = marc_record_new();
    struct test_diags t = {0};
    struct marc_decode_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.line = 1;
    ctx.diag = test_diags_collect;
    ctx.diag_ctx = &t;
    int rc = marc_mrk_decode(back, out.data, out.len, &ctx);
    if (rc != MARC_OK || t.warnings)
        test_diags_dump(&t);
    assert_int_equal(rc, MARC_OK);
    assert_int_equal(t.warnings, 0);
    assert_records_equal(r, back);
    marc_record_free(back);
    return marc_buf_steal(&out);
}

/* The body of field i as "ind1 ind2 $a..." with '$' for 0x1F. */
static void
assert_body(const struct marc_record *r, size_t i, const char *tag, const char *want, size_t wlen)
{
    const struct marc_field *f = marc_record_field(r, i);
    assert_non_null(f);
    assert_string_equal(marc_field_tag(f), tag);
    size_t len;
    const char *data = marc_field_data(f, &len);
    char *got = malloc(len + 1);
    for (size_t k = 0; k < len; k++)
        got[k] = data[k] == MARC_SUBFIELD_DELIM ? '$' : data[k];
    got[len] = '\0';
    if (len != wlen || memcmp(got, want, wlen) != 0)
        fail_msg("%s: got \"%s\", want \"%.*s\"", tag, got, (int)wlen, want);
    free(got);
}

#define BODY(r, i, tag, lit) assert_body(r, i, tag, lit, sizeof lit - 1)

/* ---- the mnemonic table ---- */

static void
test_table_sorted_and_bounded(void **state)
{
    size_t n = marc_mnemonic_count();
    assert_true(n > 300);
    for (size_t i = 0; i < n; i++) {
        const struct marc_mnemonic *m = marc_mnemonic_at(i);
        if (i > 0)
            assert_true(strcmp(marc_mnemonic_at(i - 1)->name, m->name) < 0);
        size_t name = strlen(m->name);
        assert_true(name >= 2 && name <= MARC_MNEMONIC_NAME_MAX);
        /* The decoder's store holds twice the text: no expansion may exceed that. */
        size_t bound = 2 * (name + 2);
        assert_true(strlen(m->marc8) <= MARC_MNEMONIC_MAX && strlen(m->marc8) <= bound);
        assert_true(strlen(m->utf8) <= MARC_MNEMONIC_MAX && strlen(m->utf8) <= bound);
        assert_true(strlen(m->marc8) > 0 && strlen(m->utf8) > 0);
        assert_true(marc_utf8_valid(m->utf8, strlen(m->utf8), NULL));
        char out[MARC_MNEMONIC_MAX];
        assert_int_equal(marc_mnemonic_expand(m->name, name, false, out), (int)strlen(m->marc8));
        assert_memory_equal(out, m->marc8, strlen(m->marc8));
    }
}

static void
expect_expansion(const char *name, bool utf8, const char *want)
{
    char out[MARC_MNEMONIC_MAX];
    int n = marc_mnemonic_expand(name, strlen(name), utf8, out);
    if (n != (int)strlen(want) || memcmp(out, want, strlen(want)) != 0)
        fail_msg("{%s} in %s expands to %d bytes, not \"%s\"", name, utf8 ? "UTF-8" : "MARC-8", n,
                 want);
}

static void
test_table_values(void **state)
{
    expect_expansion("eacute", false,
                     "\xE2"
                     "e");
    expect_expansion("eacute", true, "\xC3\xA9");
    expect_expansion("acute", false, "\xE2");
    expect_expansion("acute", true, "\xCC\x81");
    expect_expansion("esc", false, "\x1B");
    expect_expansion("esc", true, "\x1B");
    expect_expansion("Lstrok", false, "\xA1");
    expect_expansion("Lstrok", true, "\xC5\x81");
    expect_expansion("joiner", false, "\x8D");
    expect_expansion("joiner", true, "\xE2\x80\x8D");
    expect_expansion("uml", false, "\xE8");
    expect_expansion("diaer", true, "\xCC\x88");
    expect_expansion("cedil", true, "\xCC\xA7");
    expect_expansion("copy", false, "\xC3");
    expect_expansion("copy", true, "\xC2\xA9");
    expect_expansion("flat", true, "\xE2\x99\xAD");
    expect_expansion("dollar", true, "$");
    expect_expansion("bsol", false, "\\");
    expect_expansion("lcub", false, "{");
    expect_expansion("rcub", true, "}");
    expect_expansion("mdash", false, "--");
    expect_expansion("mdash", true, "\xE2\x80\x94");
    expect_expansion("sup1", false, "\x1Bp1\x1Bs");
    expect_expansion("sup1", true, "\xC2\xB9");
    expect_expansion("szlig", false, "\xC7");
    expect_expansion("IEcy", true,
                     "I\xEF\xB8\xA0"
                     "E\xEF\xB8\xA1");
    expect_expansion("Dagger", true, "\xE2\x80\xA1");
    expect_expansion("dagger", true, "\xE2\x80\xA0");
    /* Two hex digits are a raw byte in both charsets; one letter or digit itself. */
    expect_expansion("1B", true, "\x1B");
    expect_expansion("e2", false, "\xE2");
    expect_expansion("C3", true, "\xC3");
    expect_expansion("a", true, "a");
    expect_expansion("7", false, "7");
    char out[MARC_MNEMONIC_MAX];
    assert_int_equal(marc_mnemonic_expand("zilch", 5, true, out), -1);
    assert_int_equal(marc_mnemonic_expand("EACUTE", 6, true, out), -1);
    assert_int_equal(marc_mnemonic_expand("", 0, true, out), -1);
    assert_int_equal(marc_mnemonic_expand("1G", 2, true, out), -1);
}

/* The name the encoder writes for a MARC-8 byte must read back as that byte. */
static void
test_marc8_names_read_back(void **state)
{
    int named = 0;
    for (int c = 0; c < 256; c++) {
        const char *name = marc_mnemonic_marc8_name((unsigned char)c);
        if (!name)
            continue;
        named++;
        char out[MARC_MNEMONIC_MAX];
        assert_int_equal(marc_mnemonic_expand(name, strlen(name), false, out), 1);
        assert_int_equal((unsigned char)out[0], c);
    }
    assert_int_equal(named, 66);
    assert_string_equal(marc_mnemonic_marc8_name(0xE2), "acute");
    assert_string_equal(marc_mnemonic_marc8_name(0x1B), "esc");
    assert_null(marc_mnemonic_marc8_name(0x80));
    assert_null(marc_mnemonic_marc8_name('a'));
}

/* ---- round trips ---- */

static void
test_round_trip_utf8(void **state)
{
    struct marc_record *r = marc_record_new(); /* leader/09 'a' */
    const char f001[] = " id $1 {x} \\ end ";
    assert_int_equal(marc_record_insert_control(r, 0, "001", f001, sizeof f001 - 1), 0);
    const char f008[] = "240101s2024    xx      \t\x7F";
    assert_int_equal(marc_record_insert_control(r, 1, "008", f008, sizeof f008 - 1), 0);
    assert_int_equal(marc_record_insert_data(r, 2, "245", '1', ' '), 0);
    const char v[] = "Caf\xC3\xA9 $5 {lcub} \\ C:\\temp \x01\x1B(B \xE4\xB8\xAD\xF0\x9F\x98\x80  ";
    assert_int_equal(marc_record_append_subfield(r, 2, 'a', v, sizeof v - 1), 0);
    assert_int_equal(marc_record_append_subfield(r, 2, 'b', "", 0), 0);
    assert_int_equal(marc_record_append_subfield(r, 2, '$', " x", 2), 0);
    assert_int_equal(marc_record_append_subfield(r, 2, '\\', "y", 1), 0);
    assert_int_equal(marc_record_insert_data(r, 3, "500", '\\', '$'), 0);
    assert_int_equal(marc_record_append_subfield(r, 3, 'a', "}{", 2), 0);
    assert_int_equal(marc_record_insert_data(r, 4, "590", '{', '}'), 0); /* no subfields */
    assert_int_equal(marc_record_insert_control(r, 5, "FMT", "BK", 2), 0);
    assert_int_equal(marc_record_insert_data(r, 6, "CAT", ' ', ' '), 0);
    assert_int_equal(marc_record_append_subfield(r, 6, 'a', "x", 1), 0);
    char *text = round_trip(r, false);
    assert_string_equal(text,
                        "=LDR  00000nam\\a2200000\\i\\4500\n"
                        "=001  \\id\\{dollar}1\\{lcub}x{rcub}\\{bsol}\\end\\\n"
                        "=008  240101s2024\\\\\\\\xx\\\\\\\\\\\\{09}{7F}\n"
                        "=245  1\\$aCaf\xC3\xA9 {dollar}5 {lcub}lcub{rcub} {bsol} C:{bsol}temp "
                        "{01}{esc}(B \xE4\xB8\xAD\xF0\x9F\x98\x80  $b$$ x$\\y\n"
                        "=500  {bsol}{dollar}$a{rcub}{lcub}\n"
                        "=590  {lcub}{rcub}\n"
                        "=FMT  BK\n"
                        "=CAT  \\\\$ax\n"
                        "\n");
    free(text);
    marc_record_free(r);
}

/* Odd leaders and bytes that are not UTF-8 in a UTF-8 record come back too. */
static void
test_round_trip_odd_bytes(void **state)
{
    struct marc_record *r = marc_record_new();
    assert_int_equal(marc_record_set_leader(r, "0000{nam a22}0000\\i $500", 24), 0);
    /* A UTF-8 record holding bytes that are not UTF-8 (as a lenient read leaves it). */
    const char bad[] = "ok \xC3\xA9 bad \xE9\xFF \xC3";
    assert_int_equal(marc_record_insert_control(r, 0, "001", bad, sizeof bad - 1), 0);
    struct marc_buf out = MARC_BUF_INIT;
    marc_mrk_encode(r, &out, false, NULL);
    assert_non_null(strstr(out.data, "=LDR  0000{lcub}nam\\a22{rcub}0000{bsol}i\\{dollar}500\n"));
    assert_non_null(strstr(out.data, "=001  ok\\\xC3\xA9\\bad\\{E9}{FF}\\{C3}\n"));
    /* Reading says the record is not UTF-8, and still gives the bytes back. */
    struct marc_record *back = marc_record_new();
    struct test_diags t = {0};
    assert_int_equal(decode(back, out.data, 1, true, &t), MARC_ERR_CHARSET);
    const struct marc_diag *d = test_diags_find(&t, "utf8-invalid");
    assert_non_null(d);
    assert_string_equal(d->tag, "001");
    assert_int_equal(d->line, 2);
    assert_records_equal(r, back);
    marc_buf_free(&out);
    marc_record_free(back);
    marc_record_free(r);
}

static void
test_round_trip_marc8(void **state)
{
    struct marc_record *r = marc_record_new();
    assert_int_equal(marc_record_set_leader_byte(r, 9, ' '), 0);
    /* Every byte a value may hold, 0x01..0xFF. */
    char all[256];
    size_t n = 0;
    for (int c = 1; c < 256; c++)
        if (c != 0x1D && c != 0x1E && c != 0x1F)
            all[n++] = (char)c;
    assert_int_equal(marc_record_insert_control(r, 0, "009", all, n), 0);
    assert_int_equal(marc_record_insert_data(r, 1, "100", '1', ' '), 0);
    const char name[] = "D\xE2"
                        "ej\xE1"
                        "a, \xA1\xE2od\xE2z \xC7 \x80";
    assert_int_equal(marc_record_append_subfield(r, 1, 'a', name, sizeof name - 1), 0);
    assert_int_equal(marc_record_insert_data(r, 2, "880", '1', '0'), 0);
    const char cyr[] = "\x1B(Nla{$\x1B(B \x1B"
                       "b1\x1Bs \x1B$1!0d\x1B(B";
    assert_int_equal(marc_record_append_subfield(r, 2, 'a', cyr, sizeof cyr - 1), 0);
    char *text = round_trip(r, false);
    assert_non_null(strstr(text, "=100  1\\$aD{acute}ej{grave}a, {Lstrok}{acute}od{acute}z {C7} "
                                 "{80}\n"));
    assert_non_null(
        strstr(text, "=880  10$a{esc}(Nla{lcub}{dollar}{esc}(B {esc}b1{esc}s {esc}{dollar}1!0d"
                     "{esc}(B\n"));
    assert_non_null(strstr(text, "{01}{02}"));
    assert_non_null(strstr(text, "{1C}\\!\"#{dollar}%&"));
    assert_non_null(strstr(text, "[{bsol}]^_`"));
    assert_non_null(strstr(text, "z{lcub}|{rcub}~{7F}{80}"));
    assert_non_null(strstr(text, "{joiner}{nonjoin}{8F}"));
    assert_non_null(strstr(text, "{commaa}{FF}\n"));
    free(text);
    marc_record_free(r);
}

static void
test_round_trip_crlf(void **state)
{
    struct marc_record *r = marc_record_new();
    assert_int_equal(marc_record_insert_control(r, 0, "001", "x\r", 2), 0);
    char *text = round_trip(r, true);
    assert_string_equal(text, "=LDR  00000nam\\a2200000\\i\\4500\r\n=001  x{0D}\r\n\r\n");
    free(text);
    marc_record_free(r);
}

static void
test_format_field(void **state)
{
    struct marc_record *r = marc_record_new();
    assert_int_equal(marc_record_insert_data(r, 0, "245", '1', '0'), 0);
    assert_int_equal(marc_record_append_subfield(r, 0, 'a', "Title : ", 8), 0);
    assert_int_equal(marc_record_append_subfield(r, 0, 'b',
                                                 "a $5 \xE2"
                                                 "e",
                                                 7),
                     0);
    assert_int_equal(marc_record_insert_control(r, 1, "008", "  x", 3), 0);
    struct marc_buf b = MARC_BUF_INIT;
    marc_mrk_format_field(marc_record_field(r, 0), true, &b);
    assert_string_equal(b.data, "245  10$aTitle : $ba {dollar}5 {E2}e");
    marc_buf_reset(&b);
    marc_mrk_format_field(marc_record_field(r, 0), false, &b);
    assert_string_equal(b.data, "245  10$aTitle : $ba {dollar}5 {acute}e");
    marc_buf_reset(&b);
    marc_mrk_format_field(marc_record_field(r, 1), true, &b);
    assert_string_equal(b.data, "008  \\\\x");
    marc_buf_free(&b);
    marc_record_free(r);
}

/* ---- decoding hand-written text ---- */

static void
test_decode_mnemonics_marc8(void **state)
{
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    const char *text =
        "=LDR  00000nam\\\\2200000\\a\\4500\n"
        "=001  a\\b{bsol}c$d\n"
        "=245  10$a{dollar}5 {lcub}x{rcub} C:\\dir {1B}{e2}{a}{7}$bD{acute}ej{grave}a\n"
        "=246  \\\\$a{eacute}{Lstrok}{esc}{joiner}{uml}{cedil}{copy}{flat}{sup1}\n"
        "=500  \\\\$a{zilch} {) and (} {} {lcub\n";
    assert_int_equal(decode(r, text, 1, false, &t), MARC_OK);
    assert_string_equal(marc_record_leader(r), "00000nam  2200000 a 4500");
    assert_false(marc_record_is_utf8(r));
    BODY(r, 0, "001", "a b\\c$d");
    BODY(r, 1, "245",
         "10$a$5 {x} C:\\dir \x1B\xE2"
         "a7$bD\xE2"
         "ej\xE1"
         "a");
    BODY(r, 2, "246",
         "  $a\xE2"
         "e\xA1\x1B\x8D\xE8\xF0\xC3\xA9\x1Bp1\x1Bs");
    BODY(r, 3, "500", "  $a{zilch} {) and (} {} {lcub");
    /* Only {zilch} looks like a mnemonic: one warning, naming line and tag. */
    assert_int_equal(t.errors, 0);
    assert_int_equal(t.warnings, 1);
    const struct marc_diag *d = test_diags_find(&t, "mnemonic-unknown");
    assert_non_null(d);
    assert_int_equal(d->line, 5);
    assert_string_equal(d->tag, "500");
    assert_int_equal(d->occurrence, 1);
    assert_true(d && strstr(d->message, "{zilch}"));
    marc_record_free(r);
}

static void
test_decode_mnemonics_utf8(void **state)
{
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    /* MARC-8 order in the text, a diacritic before its letter: the Unicode
     * record gets the mark after the letter. */
    const char *text = "=LDR  00000nam a2200000 i 4500\n"
                       "=100  1\\$aD{acute}ej{grave}a, Ren{eacute}, {Lstrok}{acute}od{acute}z\n"
                       "=245  10$a{llig}t{rlig}s {mdash} {copy} {1B} caf\xC3\xA9 "
                       "{acute}\xC3\xA9 {grave}{eacute} x{acute}\n";
    assert_int_equal(decode(r, text, 1, false, &t), MARC_OK);
    assert_int_equal(t.warnings, 0);
    BODY(r, 0, "100",
         "1 $aDe\xCC\x81ja\xCC\x80, Ren\xC3\xA9, \xC5\x81o\xCC\x81"
         "dz\xCC\x81");
    BODY(r, 1, "245",
         "10$at\xEF\xB8\xA0s\xEF\xB8\xA1 \xE2\x80\x94 \xC2\xA9 \x1B caf\xC3\xA9 \xC3\xA9\xCC\x81 "
         "\xC3\xA9\xCC\x80 x\xCC\x81");
    marc_record_free(r);
}

static void
test_decode_separators(void **state)
{
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    /* One space after the tag, a blank indicator typed as a space, literal
     * spaces in the leader, local tags, empty fields. */
    const char *text = "=LDR 00000nam a2200000 i 4500   \n"
                       "=001 abc\n"
                       "=245 10$aOne\n"
                       "=246   0$aTwo\n"
                       "=247  \\ $aThree\n"
                       "=FMT  BK\n"
                       "=CAT  \\\\$aX\n"
                       "=ZZZ  12\n"
                       "=003  \n"
                       "=005\n"
                       "=500  \\\\\n";
    assert_int_equal(decode(r, text, 1, false, &t), MARC_OK);
    assert_string_equal(marc_record_leader(r), "00000nam a2200000 i 4500");
    const struct marc_diag *d = test_diags_find(&t, "leader-trailing");
    assert_non_null(d);
    assert_int_equal(d->severity, MARC_SEV_WARNING);
    assert_int_equal(t.warnings, 1);
    BODY(r, 0, "001", "abc");
    BODY(r, 1, "245", "10$aOne");
    BODY(r, 2, "246", " 0$aTwo");
    BODY(r, 3, "247", "  $aThree");
    BODY(r, 4, "FMT", "BK");
    assert_true(marc_field_is_control(marc_record_field(r, 4)));
    BODY(r, 5, "CAT", "  $aX");
    assert_false(marc_field_is_control(marc_record_field(r, 5)));
    /* A local tag without subfields reads as a control field (like Aleph's FMT). */
    assert_true(marc_field_is_control(marc_record_field(r, 6)));
    BODY(r, 7, "003", "");
    BODY(r, 8, "005", "");
    BODY(r, 9, "500", "  ");
    marc_record_free(r);
}

static void
test_decode_crlf_comments_bom(void **state)
{
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    const char *text = "\xEF\xBB\xBF=LDR  00000nam\\a2200000\\i\\4500\r\n"
                       "# comment\r\n"
                       "=001  x\\\r\n"
                       "=245  00$aTitle \r\n";
    assert_int_equal(decode(r, text, 1, false, &t), MARC_OK);
    assert_int_equal(t.n, 0);
    BODY(r, 0, "001", "x ");
    BODY(r, 1, "245", "00$aTitle ");
    /* Decoding again into the same record replaces what it held. */
    assert_int_equal(decode(r, "=LDR  00000nam\\a2200000\\i\\4500\n=002  y\n", 1, false, &t),
                     MARC_OK);
    assert_int_equal(marc_record_field_count(r), 1);
    BODY(r, 0, "002", "y");
    marc_record_free(r);
}

static void
test_decode_without_leader(void **state)
{
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    assert_int_equal(decode(r, "=245  00$aCaf{eacute}\n", 7, false, &t), MARC_OK);
    assert_string_equal(marc_record_leader(r), "00000nam a2200000 i 4500");
    BODY(r, 0, "245", "00$aCaf\xC3\xA9");
    const struct marc_diag *d = test_diags_find(&t, "leader-missing");
    assert_non_null(d);
    assert_int_equal(d->severity, MARC_SEV_WARNING);
    assert_int_equal(d->line, 7);
    marc_record_free(r);
}

/* ---- framing ---- */

static void
test_frame(void **state)
{
    const char *in = "# head\r\n"
                     "\r\n"
                     "=LDR  00000nam\\a2200000\\i\\4500\r\n"
                     "=001  a\r\n"
                     "# inside\r\n"
                     " \t \r\n"
                     "\n"
                     "=LDR  00000nam\\a2200000\\i\\4500\n"
                     "=001  b\n"
                     "=LDR  00000nam\\a2200000\\i\\4500\n"
                     "=001  c";
    size_t avail = strlen(in), skip, len;
    const char *rec2 = strstr(in, "=LDR");
    assert_int_equal(marc_mrk_frame(in, avail, false, &skip, &len), 1);
    assert_int_equal(skip, (size_t)(rec2 - in));
    assert_memory_equal(in + skip + len, " \t \r\n", 5);
    assert_int_equal(in[skip + len - 1], '\n');
    size_t pos = skip + len;
    /* The second record ends where the third's =LDR starts. */
    assert_int_equal(marc_mrk_frame(in + pos, avail - pos, false, &skip, &len), 1);
    assert_string_equal(in + pos + skip + len, "=LDR  00000nam\\a2200000\\i\\4500\n=001  c");
    pos += skip + len;
    /* The last record has no newline: it needs eof. */
    assert_int_equal(marc_mrk_frame(in + pos, avail - pos, false, &skip, &len), 0);
    assert_int_equal(marc_mrk_frame(in + pos, avail - pos, true, &skip, &len), 1);
    assert_int_equal(skip, 0);
    assert_int_equal(len, avail - pos);
    /* Nothing but blank and comment lines left. */
    const char *tail = "\n# bye\n  \n";
    assert_int_equal(marc_mrk_frame(tail, strlen(tail), true, &skip, &len), 0);
    assert_int_equal(skip, strlen(tail));
    assert_int_equal(marc_mrk_frame("", 0, true, &skip, &len), 0);
}

/* A record is framed only once its end is in the buffer. */
static void
test_frame_partial(void **state)
{
    const char *in = "=LDR  00000nam\\a2200000\\i\\4500\n=001  a\n\n=LDR";
    size_t full = strlen("=LDR  00000nam\\a2200000\\i\\4500\n=001  a\n");
    size_t skip, len;
    for (size_t avail = 0; avail <= full; avail++)
        assert_int_equal(marc_mrk_frame(in, avail, false, &skip, &len), 0);
    assert_int_equal(marc_mrk_frame(in, full + 1, false, &skip, &len), 1);
    assert_int_equal(len, full);
}

/* Frame and decode the fixture file as the reader does. */
static void
test_fixture_file(void **state)
{
    size_t n;
    char *buf = test_read_file(test_data("mrk/sample.mrk"), &n);
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    size_t pos = 0, skip, len;
    long line = 1;
    long starts[3];
    struct marc_record *recs[3];
    int count = 0;
    while (marc_mrk_frame(buf + pos, n - pos, true, &skip, &len) == 1) {
        for (size_t i = 0; i < skip; i++)
            line += buf[pos + i] == '\n';
        assert_true(count < 3);
        starts[count] = line;
        struct marc_decode_ctx ctx;
        memset(&ctx, 0, sizeof ctx);
        ctx.record = count + 1;
        ctx.line = line;
        ctx.diag = test_diags_collect;
        ctx.diag_ctx = &t;
        assert_int_equal(marc_mrk_decode(r, buf + pos + skip, len, &ctx), MARC_OK);
        recs[count++] = marc_record_clone(r);
        for (size_t i = 0; i < len; i++)
            line += buf[pos + skip + i] == '\n';
        pos += skip + len;
    }
    assert_int_equal(count, 3);
    assert_int_equal(starts[0], 5);
    assert_int_equal(starts[1], 15);
    assert_int_equal(starts[2], 18);

    assert_string_equal(marc_record_leader(recs[0]), "00000nam  2200000 a 4500");
    BODY(recs[0], 0, "001", "cph 0001");
    BODY(recs[0], 1, "008", "240101s2024    xx            000 0 fre d");
    BODY(recs[0], 2, "040", "  $aXX$beng$cXX");
    BODY(recs[0], 3, "100",
         "1 $aD\xE2"
         "ej\xE1"
         "a, Ren\xE2"
         "e,$d1900-");
    BODY(recs[0], 4, "245", "10$aPrix : $5 {sic} \\ C:\\temp /$cNo\x1Bp1\x1Bs.");
    BODY(recs[0], 5, "500", "  $aKept: {zilch}, {) and (}, \x1B(NA\x1B(B.");
    BODY(recs[1], 1, "245",
         "00$aD\xC3\xA9j\xC3\xA0 vu \xE2\x80\x94 \xC5\x81o\xCC\x81"
         "dz\xCC\x81");
    BODY(recs[2], 0, "245", "00$aThird");
    assert_int_equal(t.errors, 0);
    assert_int_equal(t.warnings, 1);
    assert_int_equal(t.d[0].line, 12);
    assert_int_equal(t.d[0].record, 1);
    for (int i = 0; i < count; i++) {
        free(round_trip(recs[i], false));
        marc_record_free(recs[i]);
    }
    marc_record_free(r);
    free(buf);
}

/* ---- errors ---- */

/* Decode text whose first line is line 20: exactly one error, `code`, at `line`. */
static void
expect_error(const char *text, const char *code, long line, const char *tag, int occurrence,
             enum marc_err kind)
{
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    int rc = decode(r, text, 20, false, &t);
    const struct marc_diag *d = test_diags_find(&t, code);
    if (!d) {
        test_diags_dump(&t);
        fail_msg("no \"%s\" diagnostic for:\n%s", code, text);
    }
    assert_int_equal(rc, kind);
    assert_int_equal(t.errors, 1);
    assert_int_equal(d->severity, MARC_SEV_ERROR);
    assert_int_equal(d->record, 1);
    assert_int_equal(d->line, line);
    assert_string_equal(d->tag, tag);
    assert_int_equal(d->occurrence, occurrence);
    assert_true(d->message[0] != '\0');
    marc_record_free(r);
}

#define LDR "=LDR  00000nam\\a2200000\\i\\4500\n"

static void
test_errors(void **state)
{
    expect_error(LDR "=001  a\nno equals sign\n", "mrk-syntax", 22, "", 0, MARC_ERR_FORMAT);
    expect_error(LDR "=24  10$aTitle\n", "mrk-tag", 21, "", 0, MARC_ERR_FORMAT);
    expect_error(LDR "=2-5  10$aTitle\n", "mrk-tag", 21, "", 0, MARC_ERR_FORMAT);
    expect_error(LDR "=\n", "mrk-tag", 21, "", 0, MARC_ERR_FORMAT);
    expect_error("=LDR  00000nam\\a2200000\\i\\450\n", "leader-size", 20, "LDR", 0,
                 MARC_ERR_FORMAT);
    expect_error("=LDR  00000nam\\a2200000\\i\\4500x\n", "leader-size", 20, "LDR", 0,
                 MARC_ERR_FORMAT);
    expect_error("=LDR  00000nam\\a2200000\\i\\450{09}\n", "leader-byte", 20, "LDR", 0,
                 MARC_ERR_FORMAT);
    expect_error(LDR "=245  10$aA\n=245  $aTitle\n", "indicators-missing", 22, "245", 2,
                 MARC_ERR_FORMAT);
    expect_error(LDR "=245  1$aTitle\n", "indicators-missing", 21, "245", 1, MARC_ERR_FORMAT);
    expect_error(LDR "=245 1$aTitle\n", "indicators-missing", 21, "245", 1, MARC_ERR_FORMAT);
    expect_error(LDR "=245\n", "indicators-missing", 21, "245", 1, MARC_ERR_FORMAT);
    expect_error(LDR "=245  \xC3\xA9"
                     "0$aT\n",
                 "indicator-invalid", 21, "245", 1, MARC_ERR_FORMAT);
    expect_error(LDR "=245  10 $aTitle\n", "field-no-delimiter", 21, "245", 1, MARC_ERR_FORMAT);
    expect_error(LDR "=245  10$aTitle$\n", "subfield-no-code", 21, "245", 1, MARC_ERR_FORMAT);
    expect_error(LDR "=245  10$ Title\n", "subfield-code", 21, "245", 1, MARC_ERR_FORMAT);
    expect_error(LDR "=245  10$aA{1F}B\n", "value-separator", 21, "245", 1, MARC_ERR_FORMAT);
    expect_error(LDR "=245  10$aA{us}B\n", "value-separator", 21, "245", 1, MARC_ERR_FORMAT);
    expect_error(LDR "=001  A{rs}\n", "value-separator", 21, "001", 1, MARC_ERR_FORMAT);
    expect_error(LDR "=500  \\\\$aA{00}\n", "value-separator", 21, "500", 1, MARC_ERR_FORMAT);
    expect_error(LDR "=500  \\\\$aA\x1D\n", "value-separator", 21, "500", 1, MARC_ERR_FORMAT);
    expect_error(LDR "=2451 10$aTitle\n", "mrk-separator", 21, "245", 1, MARC_ERR_FORMAT);
    expect_error(LDR "=001  a\n=LDR  00000nam\\a2200000\\i\\4500\n", "leader-repeated", 22, "LDR",
                 0, MARC_ERR_FORMAT);
    expect_error(LDR "=245  00$aOK\n=245  00$aBad {C3}(\n", "utf8-invalid", 22, "245", 2,
                 MARC_ERR_CHARSET);
    expect_error("\n# only a comment\n", "mrk-empty", 20, "", 0, MARC_ERR_FORMAT);
    /* "LDR" in any other case is no field tag: the model refuses it. */
    expect_error(LDR "=ldr  00000nam\\a2200000\\i\\4500\n", "mrk-tag", 21, "", 0,
                 MARC_ERR_FORMAT);
    expect_error(LDR "=Ldr  \\\\$ax\n", "mrk-tag", 21, "", 0, MARC_ERR_FORMAT);
}

/* Messages say where on the line, and the byte offset is absolute. */
static void
test_error_location(void **state)
{
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    struct marc_decode_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.record = 4;
    ctx.line = 100;
    ctx.offset = 5000;
    ctx.diag = test_diags_collect;
    ctx.diag_ctx = &t;
    const char *text = LDR "=245  10$aTitle$\n";
    assert_int_equal(marc_mrk_decode(r, text, strlen(text), &ctx), MARC_ERR_FORMAT);
    assert_int_equal(t.n, 1);
    assert_int_equal(t.d[0].record, 4);
    assert_int_equal(t.d[0].line, 101);
    /* The '$' is at column 16 of the second line. */
    assert_int_equal(t.d[0].offset, 5000 + (long long)strlen(LDR) + 15);
    assert_non_null(strstr(t.d[0].message, "column 16"));
    assert_int_equal(ctx.errors, 1);
    assert_int_equal(ctx.first_error, MARC_ERR_FORMAT);
    marc_record_free(r);
}

/* Lint mode reports every bad line, drops only those, keeps the rest. */
static void
test_recover(void **state)
{
    const char *text = LDR "=001  id\n"
                           "junk line\n"
                           "=245  10$aTitle\n"
                           "=246  $aNo indicators\n"
                           "=500  \\\\$aA{1F}B\n"
                           "=500  \\\\$aKept {zilch}\n"
                           "=650  \\0$aEnd$\n"
                           "=700  1\\$aLast\n";
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    assert_int_equal(decode(r, text, 1, true, &t), MARC_ERR_FORMAT);
    assert_int_equal(t.errors, 4);
    assert_int_equal(t.warnings, 1);
    assert_int_equal(t.d[0].line, 3);
    assert_int_equal(t.d[1].line, 5);
    assert_int_equal(t.d[2].line, 6);
    assert_int_equal(t.d[3].line, 7); /* the warning */
    assert_int_equal(t.d[4].line, 8);
    assert_string_equal(t.d[4].code, "subfield-no-code");
    assert_int_equal(marc_record_field_count(r), 4);
    BODY(r, 0, "001", "id");
    BODY(r, 1, "245", "10$aTitle");
    BODY(r, 2, "500", "  $aKept {zilch}");
    BODY(r, 3, "700", "1 $aLast");
    marc_record_free(r);

    /* Strict mode stops at the first error. */
    r = marc_record_new();
    struct test_diags s = {0};
    assert_int_equal(decode(r, text, 1, false, &s), MARC_ERR_FORMAT);
    assert_int_equal(s.errors, 1);
    assert_int_equal(s.d[0].line, 3);
    marc_record_free(r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_sorted_and_bounded),
        cmocka_unit_test(test_table_values),
        cmocka_unit_test(test_marc8_names_read_back),
        cmocka_unit_test(test_round_trip_utf8),
        cmocka_unit_test(test_round_trip_odd_bytes),
        cmocka_unit_test(test_round_trip_marc8),
        cmocka_unit_test(test_round_trip_crlf),
        cmocka_unit_test(test_format_field),
        cmocka_unit_test(test_decode_mnemonics_marc8),
        cmocka_unit_test(test_decode_mnemonics_utf8),
        cmocka_unit_test(test_decode_separators),
        cmocka_unit_test(test_decode_crlf_comments_bom),
        cmocka_unit_test(test_decode_without_leader),
        cmocka_unit_test(test_frame),
        cmocka_unit_test(test_frame_partial),
        cmocka_unit_test(test_fixture_file),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_error_location),
        cmocka_unit_test(test_recover),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
