/*
 * test_fixed_tables.c - the MARC 21 fixed-field tables of the form (F2):
 * which table each leader/06-07, 006/00 and 007/00 selects (LC's rules),
 * that every table covers its field position by position with no gap or
 * overlap, that labels fit the form's label column, that the code lists
 * are well formed, and that 006/01-17 are 008/18-34 shifted.
 */
#include "testutil.h"

#include "fixed-tables.h"

static const char *
name_for(const char *tag, const char *leader, const char *value)
{
    const struct fx_table *t = fx_table_for(tag, leader, value);
    return t ? t->name : "(none)";
}

static void
test_008_by_leader(void **state)
{
    /* leader/06 type, leader/07 level (LC bd008, 18-34). */
    assert_string_equal(name_for("008", "00000nam a2200000 a 4500", ""), "008 Books");
    assert_string_equal(name_for("008", "00000ntm a2200000 a 4500", ""), "008 Books");
    assert_string_equal(name_for("008", "00000nac a2200000 a 4500", ""), "008 Books");
    assert_string_equal(name_for("008", "00000nas a2200000 a 4500", ""),
                        "008 Continuing resources");
    assert_string_equal(name_for("008", "00000nai a2200000 a 4500", ""),
                        "008 Continuing resources");
    assert_string_equal(name_for("008", "00000nab a2200000 a 4500", ""),
                        "008 Continuing resources");
    /* t with a serial level is not a continuing resource in LC's table */
    assert_string_equal(name_for("008", "00000nts a2200000 a 4500", ""), "008 Books");
    const char *music = "cdij", *maps = "ef", *visual = "gkor";
    char ldr[25] = "00000nxm a2200000 a 4500";
    for (const char *p = music; *p; p++) {
        ldr[6] = *p;
        assert_string_equal(name_for("008", ldr, ""), "008 Music");
    }
    for (const char *p = maps; *p; p++) {
        ldr[6] = *p;
        assert_string_equal(name_for("008", ldr, ""), "008 Maps");
    }
    for (const char *p = visual; *p; p++) {
        ldr[6] = *p;
        assert_string_equal(name_for("008", ldr, ""), "008 Visual materials");
    }
    ldr[6] = 'm';
    assert_string_equal(name_for("008", ldr, ""), "008 Computer files");
    ldr[6] = 'p';
    assert_string_equal(name_for("008", ldr, ""), "008 Mixed materials");
    ldr[6] = 'b'; /* obsolete type */
    assert_null(fx_table_for("008", ldr, ""));
    /* holdings: leader/06 u v x y */
    assert_string_equal(name_for("008", "00000ny  a2200000 i 4500", ""), "008 Holdings");
    assert_string_equal(name_for("LDR", "00000nx  a2200000 n 4500", ""), "Leader (holdings)");
    assert_string_equal(name_for("LDR", "00000nam a2200000 a 4500", ""),
                        "Leader (bibliographic)");
}

static void
test_006_and_007_by_first_character(void **state)
{
    const char *bib = "00000nam a2200000 a 4500";
    static const struct {
        const char *value, *name;
    } cases006[] = {
        {"a", "006 Books"},          {"t", "006 Books"},
        {"s", "006 Continuing resources"}, {"c", "006 Music"},
        {"j", "006 Music"},          {"e", "006 Maps"},
        {"g", "006 Visual materials"}, {"r", "006 Visual materials"},
        {"m", "006 Computer files"}, {"p", "006 Mixed materials"},
    };
    for (size_t i = 0; i < sizeof cases006 / sizeof *cases006; i++)
        assert_string_equal(name_for("006", bib, cases006[i].value), cases006[i].name);
    assert_null(fx_table_for("006", bib, ""));
    assert_null(fx_table_for("006", bib, "x"));

    static const struct {
        char c;
        int length;
    } cases007[] = {{'a', 8},  {'c', 14}, {'d', 6}, {'f', 10}, {'g', 9},
                    {'h', 13}, {'k', 6},  {'m', 23}, {'o', 2}, {'q', 2},
                    {'r', 11}, {'s', 14}, {'t', 2}, {'v', 9},  {'z', 2}};
    for (size_t i = 0; i < sizeof cases007 / sizeof *cases007; i++) {
        char v[2] = {cases007[i].c, 0};
        const struct fx_table *t = fx_table_for("007", bib, v);
        assert_non_null(t);
        assert_int_equal(t->length, cases007[i].length);
        /* 007/00 names its own category */
        assert_int_equal(t->elems[0].values[0], cases007[i].c);
    }
    assert_null(fx_table_for("007", bib, ""));
    assert_null(fx_table_for("007", bib, "b"));
    assert_null(fx_table_for("005", bib, "x"));
}

/* Code width of a value entry: "(fill)" counts as one character. */
static int
code_width(const char *s, size_t len)
{
    int w = 0;
    for (size_t i = 0; i < len;) {
        if (len - i >= 6 && strncmp(s + i, "(fill)", 6) == 0)
            i += 6;
        else
            i++;
        w++;
    }
    return w;
}

static void
check_values(const struct fx_table *t, const struct fx_elem *e)
{
    const char *p = e->values;
    if (!*p)
        return; /* free text */
    while (*p) {
        /* an entry runs to the next '|' that is not part of "(fill)" */
        const char *q = p;
        while (*q && *q != '|')
            q++;
        const char *eq = memchr(p, '=', (size_t)(q - p));
        if (!eq || eq == p || eq + 1 == q)
            fail_msg("%s %02d %s: malformed entry '%.*s'", t->name, e->pos, e->label,
                     (int)(q - p), p);
        int w = code_width(p, (size_t)(eq - p));
        bool range = memchr(p, '-', (size_t)(eq - p)) && w > 1;
        if (!(w == 1 || w == e->len || range))
            fail_msg("%s %02d %s: code '%.*s' is neither one character nor %d", t->name,
                     e->pos, e->label, (int)(eq - p), p, e->len);
        p = *q ? q + 1 : q;
    }
}

static void
test_every_table_covers_its_field(void **state)
{
    const struct fx_table *all[64];
    size_t n = fx_tables_all(all, 64);
    assert_int_equal(n, 2 + 7 + 7 + 1 + 15);
    for (size_t i = 0; i < n; i++) {
        const struct fx_table *t = all[i];
        int next = 0;
        for (size_t k = 0; k < t->n; k++) {
            const struct fx_elem *e = &t->elems[k];
            if (e->pos != next)
                fail_msg("%s: element %zu (%s) starts at %d, expected %d", t->name, k,
                         e->label, e->pos, next);
            assert_true(e->len >= 1);
            size_t lw = strlen(e->label);
            if (lw == 0 || lw > 36)
                fail_msg("%s %02d: label '%s' is %zu columns (1-36 fit the form)", t->name,
                         e->pos, e->label, lw);
            check_values(t, e);
            next = e->pos + e->len;
        }
        if (next != t->length)
            fail_msg("%s: elements end at %d, the field has %d positions", t->name, next,
                     t->length);
    }
}

static void
test_006_is_008_shifted(void **state)
{
    const char *leaders[] = {"00000nam a2200000 a 4500", "00000nas a2200000 a 4500",
                             "00000ncm a2200000 a 4500", "00000nem a2200000 a 4500",
                             "00000ngm a2200000 a 4500", "00000nmm a2200000 a 4500",
                             "00000npm a2200000 a 4500"};
    const char *forms = "ascegmp";
    for (size_t i = 0; i < 7; i++) {
        const struct fx_table *t8 = fx_table_for("008", leaders[i], "");
        char v[2] = {forms[i], 0};
        const struct fx_table *t6 = fx_table_for("006", leaders[0], v);
        assert_non_null(t8);
        assert_non_null(t6);
        assert_int_equal(t6->length, 18);
        /* 008: 00-17 head (5 elements), then 18-34, then 35-39 (3 elements) */
        assert_int_equal(t6->n - 1, t8->n - 5 - 3);
        for (size_t k = 1; k < t6->n; k++) {
            const struct fx_elem *a = &t6->elems[k], *b = &t8->elems[5 + k - 1];
            assert_int_equal(a->pos + 17, b->pos);
            assert_int_equal(a->len, b->len);
            assert_string_equal(a->label, b->label);
            assert_string_equal(a->values, b->values);
        }
    }
}

static void
test_a_few_codes_as_lc_defines_them(void **state)
{
    const struct fx_table *t = fx_table_for("007", "00000ngm a2200000 a 4500", "v");
    /* 007/04 Videorecording format: v DVD, s Blu-ray disc */
    assert_string_equal(t->elems[4].label, "Videorecording format");
    assert_non_null(strstr(t->elems[4].values, "v=DVD"));
    assert_non_null(strstr(t->elems[4].values, "s=Blu-ray disc"));
    t = fx_table_for("008", "00000ny  a2200000 i 4500", "");
    /* holdings 008/16 Completeness */
    assert_int_equal(t->elems[8].pos, 16);
    assert_non_null(strstr(t->elems[8].values, "1=Complete (95%-100% held)"));
    t = fx_table_for("008", "00000nmm a2200000 a 4500", "");
    /* computer files 008/26 Type of computer file, 008/23 form of item o/q */
    bool found = false;
    for (size_t k = 0; k < t->n; k++)
        if (t->elems[k].pos == 26) {
            assert_string_equal(t->elems[k].label, "Type of computer file");
            found = true;
        } else if (t->elems[k].pos == 23) {
            assert_non_null(strstr(t->elems[k].values, "o=Online|q=Direct electronic"));
        }
    assert_true(found);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_008_by_leader),
        cmocka_unit_test(test_006_and_007_by_first_character),
        cmocka_unit_test(test_every_table_covers_its_field),
        cmocka_unit_test(test_006_is_008_shifted),
        cmocka_unit_test(test_a_few_codes_as_lc_defines_them),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
