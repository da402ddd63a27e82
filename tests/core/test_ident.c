/*
 * test_ident.c - identifier normalisation and the index data of a record.
 */
#include "testutil.h"

#include "ident.h"
#include "mms.h"
#include "record.h"

static void
oclc(const char *in, bool prefixed, const char *want)
{
    char out[CORE_IDENT_MAX];
    bool ok = core_ident_oclc(in, strlen(in), prefixed, out);
    if (!want) {
        assert_false(ok);
        return;
    }
    assert_true(ok);
    assert_string_equal(out, want);
}

static void
test_oclc(void **state)
{
    oclc("(OCoLC)ocm00012345", true, "12345");
    oclc("(OCoLC)ocn123456789", true, "123456789");
    oclc("(OCoLC)on1234567890", true, "1234567890");
    oclc("(OCoLC)00012345", true, "12345");
    oclc("(ocolc)12345", true, "12345");
    oclc("(DLC)12345", true, NULL); /* another system's number */
    oclc("ocm00012345", false, "12345");
    oclc(" 12345 ", false, "12345");
    oclc("000", false, NULL);
    oclc("", false, NULL);
}

static void
isbn(const char *in, const char *want)
{
    char out[CORE_IDENT_MAX];
    bool ok = core_ident_isbn(in, strlen(in), out);
    if (!want) {
        assert_false(ok);
        return;
    }
    assert_true(ok);
    assert_string_equal(out, want);
}

static void
test_isbn(void **state)
{
    isbn("0-306-40615-2", "9780306406157");
    isbn("0306406152 (pbk.)", "9780306406157");
    isbn("978-0-306-40615-7", "9780306406157");
    isbn("4-10-109205-X", "9784101092058");
    isbn("043942089X", "9780439420891");
    isbn("12345", NULL);
    isbn("X123456789", NULL);
    isbn("1234567890123", NULL); /* 13 digits but not 978/979 */
}

static void
test_issn_lccn(void **state)
{
    char out[CORE_IDENT_MAX];
    assert_true(core_ident_issn("0317-8471", 9, out));
    assert_string_equal(out, "03178471");
    assert_true(core_ident_issn("1234-567x", 9, out));
    assert_string_equal(out, "1234567X");
    assert_false(core_ident_issn("123-4567", 8, out));
    assert_true(core_ident_lccn("   73090924 //r82", 17, out));
    assert_string_equal(out, "73090924");
    assert_true(core_ident_lccn("n  79021425 ", 12, out));
    assert_string_equal(out, "n79021425");
    assert_true(core_ident_lccn("2001-1114", 9, out));
    assert_string_equal(out, "2001001114");
}

static void
test_mms(void **state)
{
    char out[CORE_MMS_MAX];
    core_mms_format(CORE_MMS_BIB, 100000001, "1234", out);
    assert_string_equal(out, "991000000011234");
    long long seq;
    char zone[5];
    assert_int_equal(core_mms_parse(out, &seq, zone), CORE_MMS_BIB);
    assert_int_equal(seq, 100000001);
    assert_string_equal(zone, "1234");
    core_mms_format(CORE_MMS_HOLDINGS, 1234567890123LL, "4801", out);
    assert_string_equal(out, "2212345678901234801");
    assert_int_equal(core_mms_parse(out, NULL, zone), CORE_MMS_HOLDINGS);
    assert_string_equal(zone, "4801");
    assert_int_equal(core_mms_parse("9912341234", NULL, NULL), CORE_MMS_NONE); /* too short */
    assert_int_equal(core_mms_parse("991000000011234x", NULL, NULL), CORE_MMS_NONE);
    assert_int_equal(core_mms_parse("881000000011234", NULL, NULL), CORE_MMS_NONE);
    assert_true(core_zone_code_valid("0001"));
    assert_false(core_zone_code_valid("123"));
}

static void
add(struct marc_record *r, const char *tag, char i1, char i2, const char *subs)
{
    long i = marc_record_add_data(r, tag, i1, i2);
    for (const char *p = subs; *p;) {
        char code = *p++;
        const char *end = strchr(p, '|');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        marc_record_append_subfield(r, (size_t)i, code, p, len);
        p += len + (end ? 1 : 0);
    }
}

static void
test_bib_keys(void **state)
{
    struct marc_record *r = marc_record_new();
    marc_record_add_control(r, "001", "12345", 5);
    marc_record_add_control(r, "008", "850101s1985    fr            000 1 fre d", 40);
    add(r, "019", ' ', ' ', "a777");
    add(r, "020", ' ', ' ', "a0-306-40615-2 (pbk.)");
    add(r, "022", ' ', ' ', "a0317-8471");
    add(r, "035", ' ', ' ', "a(OCoLC)ocm00012345|z(OCoLC)999");
    add(r, "035", ' ', ' ', "a(DLC)555");
    add(r, "100", '1', ' ', "aGénin, Jérôme,|d1950-");
    add(r, "245", '1', '4', "aLes misérables de l'été /|cJérôme Génin.");
    add(r, "650", ' ', '0', "aFrench fiction|y20th century.|0http://id.loc.gov/x");
    add(r, "880", '1', '0', "6245-01|aЛес");
    struct core_bib_keys k = {0};
    core_bib_keys_extract(r, &k);
    assert_string_equal(k.title.data, "Les misérables de l'été");
    assert_string_equal(k.author.data, "Génin, Jérôme, 1950-");
    assert_string_equal(k.date, "1985");
    bool o = false, z1 = false, z2 = false, i = false, s = false;
    for (size_t n = 0; n < k.nids; n++) {
        const struct core_ident *id = &k.ids[n];
        o |= id->kind == 'o' && !strcmp(id->value, "12345");
        z1 |= id->kind == 'z' && !strcmp(id->value, "999");
        z2 |= id->kind == 'z' && !strcmp(id->value, "777");
        i |= id->kind == 'i' && !strcmp(id->value, "9780306406157");
        s |= id->kind == 's' && !strcmp(id->value, "03178471");
        assert_false(id->kind == 'o' && !strcmp(id->value, "555"));
    }
    assert_true(o && z1 && z2 && i && s);
    assert_non_null(strstr(k.fts_title.data, "misérables"));
    assert_non_null(strstr(k.fts_title.data, "Лес")); /* 880 indexed as its linked 245 */
    assert_null(strstr(k.fts_title.data, "Génin."));   /* 245 $c is not title ... */
    assert_non_null(strstr(k.fts_other.data, "Génin.")); /* ... but still found by keyword */
    assert_non_null(strstr(k.fts_subject.data, "French fiction"));
    assert_null(strstr(k.fts_subject.data, "http")); /* $0 is a link, not words */
    core_bib_keys_free(&k);
    marc_record_free(r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oclc),     cmocka_unit_test(test_isbn),
        cmocka_unit_test(test_issn_lccn), cmocka_unit_test(test_mms),
        cmocka_unit_test(test_bib_keys),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
