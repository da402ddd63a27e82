/*
 * test_lint.c - MARC 21 validation: each check on records built with the
 * model API, with its severity, code and location; clean bibliographic and
 * holdings records that must produce nothing; the LoC sample records.
 */
#include "testutil.h"

#include "iso2709.h"
#include "lint.h"
#include "marc-int.h"
#include "record.h"

/* ---- building records ---- */

static const char bib_leader[] = "00000cam a2200000 i 4500";
static const char holdings_leader[] = "00000nx  a22000001n 4500";
static const char bib_008[] = "240101s2003    enk           000 0 eng d";
static const char holdings_008[] = "2401014p    8   4001aueng0240101";

/* Append a data field given in MARC Breaker style: "245", "14", "$aThe...".
 * '$' marks a subfield; the body is checked by the model. */
static long
add(struct marc_record *r, const char *tag, const char *ind, const char *subfields)
{
    size_t n = strlen(subfields);
    char *body = malloc(n + 3);
    body[0] = ind[0];
    body[1] = ind[1];
    for (size_t i = 0; i < n; i++)
        body[i + 2] = subfields[i] == '$' ? MARC_SUBFIELD_DELIM : subfields[i];
    size_t at = marc_record_field_count(r);
    int rc = marc_record_insert_body(r, at, tag, body, n + 2);
    free(body);
    assert_int_equal(rc, MARC_OK);
    return (long)at;
}

static void
add_control(struct marc_record *r, const char *tag, const char *value)
{
    assert_int_equal(
        marc_record_insert_control(r, marc_record_field_count(r), tag, value, strlen(value)),
        MARC_OK);
}

/* A clean RDA book record with ISBD punctuation, an 880 pair and local
 * fields: lint must say nothing about it. */
static struct marc_record *
clean_bib(void)
{
    struct marc_record *r = marc_record_new();
    assert_int_equal(marc_record_set_leader(r, bib_leader, 24), MARC_OK);
    add_control(r, "001", "9912345671234");
    add_control(r, "005", "20240101120000.0");
    add_control(r, "008", bib_008);
    add(r, "020", "  ", "$a9780140449112$q(paperback)");
    add(r, "035", "  ", "$a(OCoLC)52385472");
    add(r, "040", "  ", "$aDLC$beng$erda$cDLC$dOCLCQ");
    add(r, "050", "00", "$aPA4025.A5$bR5 2003");
    add(r, "082", "04", "$a883/.01$223");
    add(r, "100", "0 ", "$aHomer,$eauthor.");
    add(r, "240", "10", "$aOdyssey.$lEnglish");
    add(r, "245", "14", "$6880-01$aThe Odyssey /$cHomer ; translated by E.V. Rieu.");
    add(r, "246", "30", "$aOdyssey");
    add(r, "250", "  ", "$aRevised edition.");
    add(r, "264", " 1", "$aLondon ;$aNew York :$bPenguin Books,$c2003.");
    add(r, "264", " 4",
        "$c\xC2\xA9"
        "2003");
    add(r, "300", "  ", "$alii, 324 pages :$bmaps ;$c20 cm.");
    add(r, "336", "  ", "$atext$btxt$2rdacontent");
    add(r, "337", "  ", "$aunmediated$bn$2rdamedia");
    add(r, "338", "  ", "$avolume$bnc$2rdacarrier");
    add(r, "490", "1 ", "$aPenguin classics");
    add(r, "500", "  ", "$aTranslated from the Greek.");
    add(r, "504", "  ", "$aIncludes bibliographical references (pages 323-324).");
    add(r, "590", "  ", "$aLibrary copy signed by the translator.");
    add(r, "600", "00", "$aOdysseus,$cKing of Ithaca (Mythological character)$vPoetry.");
    add(r, "650", " 0", "$aEpic poetry, Greek$vTranslations into English.$9LOCAL");
    add(r, "700", "1 ", "$aRieu, E. V.$q(Emile Victor),$d1887-1972,$etranslator.");
    add(r, "830", " 0", "$aPenguin classics.");
    add(r, "856", "42", "$3Publisher description$uhttp://example.org/odyssey.html");
    add(r, "880", "14",
        "$6245-01/(N$a\xD0\x9E\xD0\xB4\xD0\xB8\xD1\x81\xD1\x81\xD0\xB5\xD1\x8F /"
        "$c\xD0\x93\xD0\xBE\xD0\xBC\xD0\xB5\xD1\x80.");
    add(r, "949", "  ", "$aLOCAL$lMAIN");
    return r;
}

/* A clean serial holdings record (MFHD). */
static struct marc_record *
clean_holdings(void)
{
    struct marc_record *r = marc_record_new();
    assert_int_equal(marc_record_set_leader(r, holdings_leader, 24), MARC_OK);
    add_control(r, "001", "22123456781234");
    add_control(r, "004", "9912345671234");
    add_control(r, "005", "20240101120000.0");
    add_control(r, "008", holdings_008);
    add(r, "852", "01", "$aDLC$bMAIN$hPA4025.A5$iR5 2003$zSigned copy");
    add(r, "853", "20", "$81$av.$bno.$u12$vr$i(year)$j(month)$wm");
    add(r, "863", "40", "$81.1$a1-3$b1-12$i1990-1992$j01-12");
    add(r, "866", "41", "$80$av.1-3 (1990-1992)");
    add(r, "876", "  ", "$p39999000123456$tc.1");
    return r;
}

/* ---- running lint ---- */

struct run {
    struct test_diags t;
    struct marc_decode_ctx ctx;
    int errors;
};

static void
lint(struct run *run, const struct marc_record *r)
{
    memset(run, 0, sizeof *run);
    run->ctx.record = 7;
    run->ctx.diag = test_diags_collect;
    run->ctx.diag_ctx = &run->t;
    run->errors = marc_lint_record(r, &run->ctx);
}

/* The only diagnostic with this code, checked for severity. */
static const struct marc_diag *
expect(const struct run *run, const char *code, enum marc_severity sev)
{
    const struct marc_diag *d = test_diags_find(&run->t, code);
    if (!d) {
        test_diags_dump(&run->t);
        fail_msg("no diagnostic %s", code);
    }
    if (d->severity != sev) {
        test_diags_dump(&run->t);
        fail_msg("%s has severity %s", code, marc_severity_name(d->severity));
    }
    assert_int_equal(d->record, 7);
    return d;
}

static void
expect_none(const struct run *run)
{
    if (run->t.n) {
        test_diags_dump(&run->t);
        fail_msg("expected no diagnostics, got %d", run->t.n);
    }
    assert_int_equal(run->errors, 0);
}

static void
expect_absent(const struct run *run, const char *code)
{
    if (test_diags_find(&run->t, code)) {
        test_diags_dump(&run->t);
        fail_msg("unexpected %s", code);
    }
}

/* Index of the first field tagged tag. */
static size_t
field(const struct marc_record *r, const char *tag)
{
    long i = marc_record_find(r, tag, 0);
    assert_true(i >= 0);
    return (size_t)i;
}

/* Replace the body of the first `tag` (breaker style, as in add()). */
static void
set_body(struct marc_record *r, const char *tag, const char *ind, const char *subfields)
{
    size_t i = field(r, tag);
    marc_record_delete_field(r, i);
    size_t n = marc_record_field_count(r);
    add(r, tag, ind, subfields);
    marc_record_move_field(r, n, i);
}

/* ---- clean records ---- */

static void
test_clean_bib(void **state)
{
    struct marc_record *r = clean_bib();
    struct run run;
    lint(&run, r);
    expect_none(&run);
    assert_int_equal(run.ctx.errors, 0);
    assert_int_equal(run.ctx.warnings, 0);
    marc_record_free(r);
}

static void
test_clean_holdings(void **state)
{
    struct marc_record *r = clean_holdings();
    struct run run;
    lint(&run, r);
    expect_none(&run);
    marc_record_free(r);
}

static void
test_kind(void **state)
{
    struct marc_record *r = marc_record_new();
    const char *bib = "acdefgijkmoprt";
    for (const char *p = bib; *p; p++) {
        marc_record_set_leader_byte(r, 6, *p);
        assert_int_equal(marc_record_kind(r), MARC_KIND_BIBLIOGRAPHIC);
    }
    for (const char *p = "uvxy"; *p; p++) {
        marc_record_set_leader_byte(r, 6, *p);
        assert_int_equal(marc_record_kind(r), MARC_KIND_HOLDINGS);
    }
    marc_record_set_leader_byte(r, 6, 'z');
    assert_int_equal(marc_record_kind(r), MARC_KIND_AUTHORITY);
    marc_record_set_leader_byte(r, 6, 'w');
    assert_int_equal(marc_record_kind(r), MARC_KIND_OTHER);
    marc_record_set_leader_byte(r, 6, 'b');
    assert_int_equal(marc_record_kind(r), MARC_KIND_OTHER);
    marc_record_free(r);
}

/* ---- leader ---- */

static void
test_leader_not_printable(void **state)
{
    struct marc_record *r = clean_bib();
    r->leader[5] = '\x01'; /* only a codec could do this: the model refuses it */
    struct run run;
    lint(&run, r);
    const struct marc_diag *d = expect(&run, "leader-char", MARC_SEV_ERROR);
    assert_string_equal(d->tag, "LDR");
    assert_int_equal(d->position, 5);
    assert_true(d && strstr(d->message, "\\x01"));
    assert_int_equal(run.errors, 1);
    marc_record_free(r);
}

static void
test_leader_values_bib(void **state)
{
    struct marc_record *r = clean_bib();
    struct run run;
    static const struct {
        int pos;
        char bad, good;
    } cases[] = {{5, 'z', 'n'},  {7, 'x', 's'},  {8, 'b', 'a'}, {9, 'b', 'a'},
                 {17, 'x', '7'}, {18, 'x', 'a'}, {19, 'x', 'a'}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        marc_record_set_leader_byte(r, cases[i].pos, cases[i].bad);
        lint(&run, r);
        /* Only type (06) and coding (09) stop a save; the rest describe. */
        bool blocks = cases[i].pos == 9;
        const struct marc_diag *d =
            expect(&run, "leader-value", blocks ? MARC_SEV_ERROR : MARC_SEV_WARNING);
        assert_int_equal(d->position, cases[i].pos);
        assert_int_equal(run.errors, blocks ? 1 : 0);
        marc_record_set_leader_byte(r, cases[i].pos, cases[i].good);
        lint(&run, r);
        expect_absent(&run, "leader-value");
        marc_record_set_leader_byte(r, cases[i].pos, bib_leader[cases[i].pos]);
    }
    marc_record_set_leader_byte(r, 6, '0');
    lint(&run, r);
    assert_int_equal(expect(&run, "leader-value", MARC_SEV_ERROR)->position, 6);
    marc_record_free(r);
}

static void
test_leader_values_holdings(void **state)
{
    struct marc_record *r = clean_holdings();
    struct run run;
    /* 'a' is a valid record status for a bib, not for holdings. */
    marc_record_set_leader_byte(r, 5, 'a');
    lint(&run, r);
    const struct marc_diag *d = expect(&run, "leader-value", MARC_SEV_WARNING);
    assert_int_equal(d->position, 5);
    assert_string_equal(d->message,
                        "leader/05 is 'a'; MARC 21 defines c, d, n for holdings records");
    marc_record_set_leader_byte(r, 5, 'c');
    /* leader/18 must say whether item information is present */
    marc_record_set_leader_byte(r, 18, ' ');
    lint(&run, r);
    assert_int_equal(expect(&run, "leader-value", MARC_SEV_WARNING)->position, 18);
    marc_record_set_leader_byte(r, 18, 'i');
    marc_record_set_leader_byte(r, 7, 'a');
    lint(&run, r);
    assert_int_equal(expect(&run, "leader-value", MARC_SEV_WARNING)->position, 7);
    marc_record_free(r);
}

static void
test_leader_obsolete(void **state)
{
    struct marc_record *r = clean_bib();
    struct run run;
    marc_record_set_leader_byte(r, 17, 'I');
    lint(&run, r);
    const struct marc_diag *d = expect(&run, "leader-obsolete", MARC_SEV_WARNING);
    assert_int_equal(d->position, 17);
    assert_true(d && strstr(d->message, "OCLC"));
    assert_int_equal(run.errors, 0);
    marc_record_set_leader_byte(r, 17, ' ');
    marc_record_set_leader_byte(r, 18, 'p');
    lint(&run, r);
    assert_int_equal(expect(&run, "leader-obsolete", MARC_SEV_WARNING)->position, 18);
    marc_record_free(r);
}

/* ---- structure errors ---- */

static void
test_tag_invalid(void **state)
{
    struct marc_record *r = clean_bib();
    marc_record_push_copy(r, "2#5", false,
                          "00\x1f"
                          "aX",
                          5);
    struct run run;
    lint(&run, r);
    const struct marc_diag *d = expect(&run, "tag-invalid", MARC_SEV_ERROR);
    assert_string_equal(d->message, "the tag \"2#5\" of field 31 is not three letters or digits");
    assert_int_equal(run.errors, 1);
    marc_record_free(r);
}

static void
test_indicator_char(void **state)
{
    struct marc_record *r = clean_bib();
    size_t i = field(r, "500");
    assert_int_equal(marc_record_set_indicator(r, i, 2, 'A'), MARC_OK);
    struct run run;
    lint(&run, r);
    const struct marc_diag *d = expect(&run, "ind-char", MARC_SEV_ERROR);
    assert_string_equal(d->tag, "500");
    assert_int_equal(d->occurrence, 1);
    assert_int_equal(d->position, 1);
    assert_int_equal(run.errors, 1);
    /* A local field is not judged for its values, but still for characters. */
    i = field(r, "949");
    marc_record_set_indicator(r, field(r, "500"), 2, ' ');
    marc_record_set_indicator(r, i, 1, '#');
    lint(&run, r);
    assert_string_equal(expect(&run, "ind-char", MARC_SEV_ERROR)->tag, "949");
    marc_record_set_indicator(r, i, 1, 'z');
    lint(&run, r);
    expect_none(&run);
    marc_record_free(r);
}

static void
test_subfield_code(void **state)
{
    struct marc_record *r = clean_bib();
    size_t i = field(r, "500");
    assert_int_equal(marc_record_set_subfield_code(r, i, 0, 'A'), MARC_OK);
    struct run run;
    lint(&run, r);
    const struct marc_diag *d = expect(&run, "sf-code", MARC_SEV_ERROR);
    assert_string_equal(d->tag, "500");
    assert_int_equal(d->position, 2);
    assert_int_equal(run.errors, 1);
    marc_record_set_subfield_code(r, i, 0, '$');
    lint(&run, r);
    expect(&run, "sf-code", MARC_SEV_ERROR);
    marc_record_free(r);
}

static void
test_control_delimiter(void **state)
{
    struct marc_record *r = clean_bib();
    /* Codecs push fields unchecked; the model would refuse this value. */
    marc_record_push_copy(r, "007", true,
                          "ta\x1f"
                          "b",
                          4);
    struct run run;
    lint(&run, r);
    const struct marc_diag *d = expect(&run, "control-delimiter", MARC_SEV_ERROR);
    assert_string_equal(d->tag, "007");
    assert_int_equal(d->position, 2);
    assert_int_equal(run.errors, 1);
    marc_record_free(r);
}

static void
test_008_length(void **state)
{
    struct marc_record *b = clean_bib();
    struct run run;
    marc_record_set_control(b, field(b, "008"), bib_008, 39);
    lint(&run, b);
    const struct marc_diag *d = expect(&run, "008-length", MARC_SEV_ERROR);
    assert_string_equal(d->message,
                        "008 has 39 characters; a bibliographic record's 008 has exactly 40");
    marc_record_free(b);

    struct marc_record *h = clean_holdings();
    marc_record_set_control(h, field(h, "008"), bib_008, 40);
    lint(&run, h);
    expect(&run, "008-length", MARC_SEV_ERROR);
    marc_record_set_control(h, field(h, "008"), holdings_008, 32);
    lint(&run, h);
    expect_none(&run);
    /* Other kinds get only the generic checks. */
    marc_record_set_leader_byte(h, 6, 'z');
    marc_record_set_control(h, field(h, "008"), "x", 1);
    lint(&run, h);
    expect_absent(&run, "008-length");
    marc_record_free(h);
}

static void
test_245_missing(void **state)
{
    struct marc_record *r = clean_bib();
    struct run run;
    marc_record_delete_field(r, field(r, "245"));
    lint(&run, r);
    const struct marc_diag *d = expect(&run, "245-missing", MARC_SEV_ERROR);
    assert_string_equal(d->tag, "");
    assert_int_equal(run.errors, 1);
    /* An authority record has no 245. */
    marc_record_set_leader_byte(r, 6, 'z');
    lint(&run, r);
    expect_absent(&run, "245-missing");
    marc_record_free(r);
}

static void
test_852_missing(void **state)
{
    struct marc_record *r = clean_holdings();
    struct run run;
    marc_record_delete_field(r, field(r, "852"));
    lint(&run, r);
    expect(&run, "852-missing", MARC_SEV_ERROR);
    assert_int_equal(run.errors, 1);
    marc_record_free(r);
}

static void
test_001_repeated(void **state)
{
    struct marc_record *r = clean_bib();
    struct run run;
    assert_true(marc_record_add_control(r, "001", "123", 3) >= 0);
    lint(&run, r);
    const struct marc_diag *d = expect(&run, "001-repeated", MARC_SEV_ERROR);
    assert_string_equal(d->tag, "001");
    assert_int_equal(d->occurrence, 2);
    expect_absent(&run, "nr-repeated");
    assert_int_equal(run.errors, 1);
    assert_int_equal(run.ctx.errors, 1);
    assert_int_equal(run.ctx.first_error, MARC_ERR_INVALID);
    marc_record_free(r);
}

/* ---- warnings ---- */

static void
test_nr_repeated(void **state)
{
    struct marc_record *r = clean_bib();
    struct run run;
    marc_record_duplicate_field(r, field(r, "245"));
    lint(&run, r);
    const struct marc_diag *d = expect(&run, "nr-repeated", MARC_SEV_WARNING);
    assert_string_equal(d->tag, "245");
    assert_int_equal(d->occurrence, 2);
    assert_int_equal(run.errors, 0);
    marc_record_free(r);
    /* 880 is repeatable whatever it links to. */
    r = clean_bib();
    marc_record_duplicate_field(r, field(r, "880"));
    lint(&run, r);
    expect_none(&run);
    marc_record_free(r);
}

static void
test_tag_unknown_and_local(void **state)
{
    struct marc_record *r = clean_bib();
    struct run run;
    add(r, "012", "  ", "$ax");
    lint(&run, r);
    const struct marc_diag *d = expect(&run, "tag-unknown", MARC_SEV_WARNING);
    assert_string_equal(d->tag, "012");
    assert_int_equal(run.t.n, 1);
    marc_record_free(r);

    r = clean_bib();
    static const char *const local[] = {"019", "029", "090", "099", "590", "690",
                                        "699", "790", "949", "999", "CAT", "FMT"};
    for (size_t i = 0; i < sizeof local / sizeof *local; i++)
        add(r, local[i], "  ", "$aLocal data");
    lint(&run, r);
    expect_none(&run);

    add(r, "440", " 0", "$aPenguin classics");
    lint(&run, r);
    assert_string_equal(expect(&run, "tag-obsolete", MARC_SEV_WARNING)->tag, "440");
    expect_absent(&run, "tag-unknown");
    marc_record_free(r);

    /* Holdings tables differ: 245 is a bibliographic field. */
    r = clean_holdings();
    add(r, "245", "10", "$aTitle.");
    lint(&run, r);
    assert_string_equal(expect(&run, "tag-unknown", MARC_SEV_WARNING)->tag, "245");
    marc_record_free(r);
}

static void
test_indicator_values(void **state)
{
    struct marc_record *r = clean_bib();
    struct run run;
    marc_record_set_indicator(r, field(r, "245"), 1, '5');
    lint(&run, r);
    const struct marc_diag *d = expect(&run, "ind-invalid", MARC_SEV_WARNING);
    assert_string_equal(d->message, "indicator 1 of 245 is '5'; MARC 21 defines 0, 1");
    assert_int_equal(d->position, 0);
    marc_record_set_indicator(r, field(r, "245"), 1, '1');

    marc_record_set_indicator(r, field(r, "100"), 2, '0');
    lint(&run, r);
    d = expect(&run, "ind-undefined", MARC_SEV_WARNING);
    assert_string_equal(d->message,
                        "indicator 2 of 100 is '0'; MARC 21 leaves it undefined (blank)");
    marc_record_set_indicator(r, field(r, "100"), 2, ' ');

    marc_record_set_indicator(r, field(r, "650"), 2, ' ');
    lint(&run, r);
    d = expect(&run, "ind-invalid", MARC_SEV_WARNING);
    assert_string_equal(d->message, "indicator 2 of 650 is blank; MARC 21 defines 0-7");
    marc_record_set_indicator(r, field(r, "650"), 2, '7');
    lint(&run, r);
    expect_none(&run);
    marc_record_free(r);
}

static void
test_subfield_checks(void **state)
{
    struct marc_record *r = clean_bib();
    struct run run;
    set_body(r, "500", "  ", "$aNote.$xbad");
    lint(&run, r);
    const struct marc_diag *d = expect(&run, "sf-unknown", MARC_SEV_WARNING);
    assert_string_equal(d->message, "subfield $x is not defined for 500 in MARC 21");
    assert_int_equal(d->subfield, 'x');
    assert_string_equal(d->tag, "500");

    set_body(r, "500", "  ", "$aNote one.$aNote two.$aNote three.");
    lint(&run, r);
    d = expect(&run, "sf-nr-repeated", MARC_SEV_WARNING);
    assert_int_equal(d->subfield, 'a');
    assert_int_equal(run.t.n, 1); /* once per field, not per extra occurrence */

    set_body(r, "500", "  ", "$a$5DLC");
    lint(&run, r);
    d = expect(&run, "sf-empty", MARC_SEV_WARNING);
    assert_int_equal(d->subfield, 'a');

    set_body(r, "500", "  ", "");
    lint(&run, r);
    assert_string_equal(expect(&run, "field-empty", MARC_SEV_WARNING)->tag, "500");

    /* Repeatable subfields and $9 (local) are fine. */
    set_body(r, "500", "  ", "$aNote.$5DLC$81\\c$81\\c$9LOCAL");
    lint(&run, r);
    expect_none(&run);
    marc_record_free(r);
}

/* ---- 880 ---- */

static void
test_880(void **state)
{
    struct marc_record *r = clean_bib();
    struct run run;
    size_t i = field(r, "880");
    marc_record_set_indicator(r, i, 1, '7');
    lint(&run, r);
    const struct marc_diag *d = expect(&run, "ind-invalid", MARC_SEV_WARNING);
    assert_string_equal(d->tag, "880");
    assert_string_equal(d->message, "indicator 1 of 245 is '7'; MARC 21 defines 0, 1");
    marc_record_set_indicator(r, i, 1, '1');

    add(r, "880", "1 ", "$6100-02/(N$aГомер,$xbad");
    lint(&run, r);
    d = expect(&run, "sf-unknown", MARC_SEV_WARNING);
    assert_string_equal(d->message, "subfield $x is not defined for 100 in MARC 21");
    assert_int_equal(d->occurrence, 2);
    marc_record_delete_field(r, marc_record_field_count(r) - 1);

    set_body(r, "880", "14", "$aNo linkage.");
    lint(&run, r);
    expect(&run, "880-link", MARC_SEV_WARNING);

    /* An 880 of a local field is not judged. */
    set_body(r, "880", "AB", "$6949-03$qanything");
    lint(&run, r);
    expect(&run, "ind-char", MARC_SEV_ERROR);
    expect_absent(&run, "sf-unknown");
    marc_record_free(r);
}

/* ---- punctuation ---- */

static void
expect_punct(struct marc_record *r, const char *tag, const char *ind, const char *body,
             const char *code, char subfield)
{
    struct run run;
    set_body(r, tag, ind, body);
    lint(&run, r);
    if (!code) {
        expect_none(&run);
        return;
    }
    const struct marc_diag *d = expect(&run, code, MARC_SEV_WARNING);
    assert_int_equal(d->subfield, subfield);
    assert_string_equal(d->tag, tag);
    assert_int_equal(run.t.n, 1);
}

static void
test_punctuation_245(void **state)
{
    struct marc_record *r = clean_bib();
    expect_punct(r, "245", "14", "$aThe Odyssey /$cHomer", "punct-245", 'c');
    expect_punct(r, "245", "14", "$aThe Odyssey$cHomer.", "punct-245", 'c');
    expect_punct(r, "245", "14", "$aThe Odyssey.$bepic poem.", "punct-245", 'b');
    expect_punct(r, "245", "10",
                 "$aWhat is life? :$bthe physical aspect /$cSchr\xC3\xB6"
                 "dinger.",
                 NULL, 0);
    expect_punct(r, "245", "10", "$aHamlet ;$bOthello /$cShakespeare.", NULL, 0);
    expect_punct(r, "245", "10", "$aCanada =$bLe Canada.", NULL, 0);
    expect_punct(r, "245", "10", "$aWho's afraid?", NULL, 0);
    expect_punct(r, "245", "10", "$a[Map of Ithaca]", NULL, 0);
    expect_punct(r, "245", "10", "$a\"Sure!\"", NULL, 0);
    expect_punct(r, "245", "10", "$aJournal.$nPart A,$pAstronomy.", NULL, 0);
    const struct marc_diag *d;
    struct run run;
    set_body(r, "245", "10", "$aThe Odyssey /$cHomer");
    lint(&run, r);
    d = expect(&run, "punct-245", MARC_SEV_WARNING);
    assert_string_equal(d->message,
                        "245 should end with a period (or ?, !) (ISBD); it ends \"Homer\"");
    /* Leader/18 c or n: punctuation omitted on purpose, nothing to check. */
    marc_record_set_leader_byte(r, 18, 'c');
    lint(&run, r);
    expect_none(&run);
    marc_record_set_leader_byte(r, 18, ' ');
    lint(&run, r);
    expect_none(&run);
    marc_record_free(r);
}

static void
test_punctuation_other(void **state)
{
    struct marc_record *r = clean_bib();
    expect_punct(r, "300", "  ", "$a324 pages$bmaps ;$c20 cm", "punct-300", 'b');
    expect_punct(r, "300", "  ", "$a324 pages :$bmaps$c20 cm", "punct-300", 'c');
    expect_punct(r, "300", "  ", "$a1 score (24 pages) ;$c31 cm +$e1 part.", NULL, 0);
    expect_punct(r, "264", " 1", "$aLondon$bPenguin,$c2003.", "punct-264", 'b');
    expect_punct(r, "264", " 1", "$aLondon :$bPenguin$c2003.", "punct-264", 'c');
    expect_punct(r, "264", " 1",
                 "$a[Place of publication not identified] :"
                 "$b[publisher not identified],$c[2003]",
                 NULL, 0);
    expect_punct(r, "264", " 4",
                 "$c\xC2\xA9"
                 "2003",
                 NULL, 0);
    /* The comma before $c may sit inside closing quotation marks. */
    expect_punct(r, "264", " 1", "$aTbilisi :$b\"Sakartvelo,\"$c1990.", NULL, 0);
    marc_record_delete_field(r, field(r, "264"));
    add(r, "260", "  ", "$aNew York :$bWiley$c1990.");
    struct run run;
    lint(&run, r);
    assert_int_equal(expect(&run, "punct-260", MARC_SEV_WARNING)->subfield, 'c');
    expect_punct(r, "260", "  ", "$aNew York :$bWiley,$c1990.", NULL, 0);
    expect_punct(r, "100", "1 ", "$aRieu, E. V.$d1887-1972.", "punct-1xx", 'd');
    expect_punct(r, "100", "1 ", "$aRieu, E. V.,$d1887-1972$eauthor.", "punct-1xx", 'e');
    expect_punct(r, "100", "1 ", "$aSmith, John,$d1950-$eauthor.", NULL, 0);
    expect_punct(r, "100", "3 ", "$aPasten (Family :$d1400-1600)", NULL, 0);
    marc_record_delete_field(r, field(r, "100"));
    add(r, "110", "2 ", "$aUnited States$bCongress.");
    lint(&run, r);
    assert_int_equal(expect(&run, "punct-1xx", MARC_SEV_WARNING)->subfield, 'b');
    expect_punct(r, "110", "1 ", "$aUnited States.$bCongress,$eauthor.", NULL, 0);
    marc_record_free(r);
}

/* ---- locations, counts, API ---- */

static void
test_location_and_format(void **state)
{
    struct marc_record *r = clean_bib();
    struct run run;
    set_body(r, "650", " 0", "$aEpic poetry.$aAgain.");
    lint(&run, r);
    const struct marc_diag *d = expect(&run, "sf-nr-repeated", MARC_SEV_WARNING);
    char *s = marc_diag_format(d, "books.mrc");
    assert_string_equal(s, "books.mrc: record 7 (byte 0): 650[1] $a: warning: subfield $a of "
                           "650 is not repeatable but occurs more than once");
    free(s);
    marc_record_free(r);
}

static void
test_counts_and_null_ctx(void **state)
{
    struct marc_record *r = clean_bib();
    marc_record_delete_field(r, field(r, "245"));
    marc_record_set_leader_byte(r, 9, 'z');
    marc_record_set_indicator(r, field(r, "100"), 1, '5');
    struct run run;
    lint(&run, r);
    assert_int_equal(run.errors, 2);
    assert_int_equal(run.ctx.errors, 2);
    assert_int_equal(run.ctx.warnings, 1);
    assert_int_equal(run.t.n, 3);
    assert_int_equal(marc_lint_record(r, NULL), 2);
    struct marc_decode_ctx quiet = {0};
    assert_int_equal(marc_lint_record(r, &quiet), 2);
    assert_int_equal(quiet.errors, 2);
    assert_int_equal(quiet.warnings, 1);
    marc_record_free(r);
}

static void
test_tag_known(void **state)
{
    assert_true(marc_lint_tag_known(MARC_KIND_BIBLIOGRAPHIC, "245"));
    assert_true(marc_lint_tag_known(MARC_KIND_BIBLIOGRAPHIC, "008"));
    assert_true(marc_lint_tag_known(MARC_KIND_BIBLIOGRAPHIC, "852"));
    assert_true(marc_lint_tag_known(MARC_KIND_BIBLIOGRAPHIC, "866"));
    assert_false(marc_lint_tag_known(MARC_KIND_BIBLIOGRAPHIC, "440"));
    assert_false(marc_lint_tag_known(MARC_KIND_BIBLIOGRAPHIC, "012"));
    assert_false(marc_lint_tag_known(MARC_KIND_BIBLIOGRAPHIC, "949"));
    assert_false(marc_lint_tag_known(MARC_KIND_BIBLIOGRAPHIC, "CAT"));
    assert_false(marc_lint_tag_known(MARC_KIND_BIBLIOGRAPHIC, "24"));
    assert_true(marc_lint_tag_known(MARC_KIND_HOLDINGS, "004"));
    assert_true(marc_lint_tag_known(MARC_KIND_HOLDINGS, "853"));
    assert_false(marc_lint_tag_known(MARC_KIND_HOLDINGS, "245"));
    assert_false(marc_lint_tag_known(MARC_KIND_AUTHORITY, "100"));
}

static void
test_severities(void **state)
{
    /* Every code with the severity SPEC §3.1 gives it, from one record. */
    struct marc_record *r = clean_bib();
    r->leader[0] = '\x7f';
    marc_record_set_leader_byte(r, 17, 'I');
    marc_record_push_copy(r, "2#5", false,
                          "00\x1f"
                          "aX",
                          5);
    marc_record_push_copy(r, "006", true, "a\x1f", 2);
    marc_record_set_control(r, field(r, "008"), "x", 1);
    marc_record_delete_field(r, field(r, "245"));
    marc_record_add_control(r, "001", "2", 1);
    add(r, "012", "  ", "$ax");
    add(r, "440", " 0", "$ax");
    add(r, "240", "10", "$aOdyssey.");
    add(r, "500", "1 ", "$aNote.$aAgain.$qx$b");
    add(r, "504", "A ", "$Ax");
    add(r, "650", " 9", "$ax");
    add(r, "540", "  ", "");
    add(r, "880", "  ", "$ax");
    static const struct {
        const char *code;
        enum marc_severity sev;
    } want[] = {
        {"leader-char", MARC_SEV_ERROR},       {"tag-invalid", MARC_SEV_ERROR},
        {"control-delimiter", MARC_SEV_ERROR}, {"008-length", MARC_SEV_ERROR},
        {"245-missing", MARC_SEV_ERROR},       {"001-repeated", MARC_SEV_ERROR},
        {"ind-char", MARC_SEV_ERROR},          {"sf-code", MARC_SEV_ERROR},
        {"tag-unknown", MARC_SEV_WARNING},     {"tag-obsolete", MARC_SEV_WARNING},
        {"nr-repeated", MARC_SEV_WARNING},     {"ind-undefined", MARC_SEV_WARNING},
        {"ind-invalid", MARC_SEV_WARNING},     {"sf-unknown", MARC_SEV_WARNING},
        {"sf-nr-repeated", MARC_SEV_WARNING},  {"sf-empty", MARC_SEV_WARNING},
        {"field-empty", MARC_SEV_WARNING},     {"880-link", MARC_SEV_WARNING},
    };
    struct run run;
    lint(&run, r);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        for (int k = 0; k < run.t.n; k++)
            if (strcmp(run.t.d[k].code, want[i].code) == 0)
                assert_int_equal(run.t.d[k].severity, want[i].sev);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!test_diags_find(&run.t, want[i].code))
            fail_msg("no %s", want[i].code);
    assert_int_equal(run.errors, run.t.errors);
    marc_record_free(r);
    /* leader-value (error for 06/09, warning elsewhere) and leader-obsolete, punctuation (warnings) are
     * checked above; a leader that is not printable stops leader checks. */
}

/* Whatever bytes a codec leaves in a record, lint reports and never
 * crashes (run under ASan/UBSan). */
static void
test_garbage(void **state)
{
    static const char alphabet[] = "\x1f\x1f\x1f\x1e\x1d\x00 #$aAz09:/;,.=\xc3\xa9\xff";
    unsigned seed = 12345;
    struct marc_record *r = marc_record_new();
    for (int round = 0; round < 3000; round++) {
        marc_record_clear(r);
        for (int i = 0; i < MARC_LEADER_LEN; i++) {
            seed = seed * 1103515245 + 12345;
            r->leader[i] = (seed >> 16) % 4 ? bib_leader[i] : (char)(seed >> 8);
        }
        int nfields = (int)(seed >> 20) % 12;
        for (int k = 0; k < nfields; k++) {
            char tag[4], body[24];
            seed = seed * 1103515245 + 12345;
            static const char *const tags[] = {"245", "880", "008", "001",    "100",
                                               "264", "300", "852", "9\x01X", "500"};
            memcpy(tag, tags[(seed >> 16) % 10], 4);
            size_t len = (seed >> 8) % sizeof body;
            for (size_t b = 0; b < len; b++) {
                seed = seed * 1103515245 + 12345;
                body[b] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
            }
            marc_record_push_copy(r, tag, marc_tag_is_control(tag), body, len);
        }
        static struct test_diags t;
        memset(&t, 0, sizeof t);
        struct marc_decode_ctx ctx = {0};
        ctx.diag = test_diags_collect;
        ctx.diag_ctx = &t;
        int errors = marc_lint_record(r, &ctx);
        assert_int_equal(errors, ctx.errors);
        assert_int_equal(errors, t.errors);
        for (int k = 0; k < t.n; k++)
            free(marc_diag_format(&t.d[k], NULL));
    }
    marc_record_free(r);
}

/* ---- the LoC sample records ---- */

static void
test_loc_sample(void **state)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "gzip -dc '%s/marc21/sample-marc.gz' 2>/dev/null", LOC_EXAMPLES_DIR);
    FILE *gz = popen(cmd, "r"); /* gzip is everywhere; zlib is not linked */
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (gz && (n = fread(buf + len, 1, cap - len, gz)) > 0) {
        len += n;
        if (len == cap)
            buf = realloc(buf, cap *= 2);
    }
    if (gz)
        pclose(gz);
    if (len == 0) {
        free(buf);
        skip();
        return;
    }
    struct marc_record *r = marc_record_new();
    int records = 0, linted = 0;
    for (size_t pos = 0; pos < len;) {
        char *end = memchr(buf + pos, MARC_RECORD_TERM, len - pos);
        if (!end)
            break;
        size_t rlen = (size_t)(end - (buf + pos)) + 1;
        struct marc_decode_ctx ctx = {0};
        ctx.record = ++records;
        ctx.recover = true;
        marc_iso2709_decode(r, buf + pos, rlen, &ctx);
        pos += rlen;
        if (ctx.errors)
            continue; /* a record the decoder rejects is its business */
        struct run run;
        lint(&run, r);
        linted++;
        if (records == 24) {
            /* The last one is a danMARC record (001 with subfields): not MARC 21. */
            assert_non_null(test_diags_find(&run.t, "control-as-data"));
            continue;
        }
        /* Real LoC records: warnings for legacy values, never an error. */
        if (run.errors)
            test_diags_dump(&run.t);
        assert_int_equal(run.errors, 0);
    }
    assert_true(linted > 20);
    marc_record_free(r);
    free(buf);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_bib),
        cmocka_unit_test(test_clean_holdings),
        cmocka_unit_test(test_kind),
        cmocka_unit_test(test_leader_not_printable),
        cmocka_unit_test(test_leader_values_bib),
        cmocka_unit_test(test_leader_values_holdings),
        cmocka_unit_test(test_leader_obsolete),
        cmocka_unit_test(test_tag_invalid),
        cmocka_unit_test(test_indicator_char),
        cmocka_unit_test(test_subfield_code),
        cmocka_unit_test(test_control_delimiter),
        cmocka_unit_test(test_008_length),
        cmocka_unit_test(test_245_missing),
        cmocka_unit_test(test_852_missing),
        cmocka_unit_test(test_001_repeated),
        cmocka_unit_test(test_nr_repeated),
        cmocka_unit_test(test_tag_unknown_and_local),
        cmocka_unit_test(test_indicator_values),
        cmocka_unit_test(test_subfield_checks),
        cmocka_unit_test(test_880),
        cmocka_unit_test(test_punctuation_245),
        cmocka_unit_test(test_punctuation_other),
        cmocka_unit_test(test_location_and_format),
        cmocka_unit_test(test_counts_and_null_ctx),
        cmocka_unit_test(test_tag_known),
        cmocka_unit_test(test_severities),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_loc_sample),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
