/*
 * test_rules.c - normalization, indication and merge rules (SPEC §3.10):
 * parsing with line/column errors, each condition and action, priorities,
 * atomic application, the default merge rule.
 */
#include "testutil.h"

#include "record.h"
#include "rules.h"

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

static struct marc_record *
rec(void)
{
    struct marc_record *r = marc_record_new();
    marc_record_add_control(r, "001", "991000000011234", 15);
    marc_record_add_control(r, "008", "850101s1985    fr            000 1 fre d", 40);
    add(r, "035", ' ', ' ', "a(OCoLC)12345");
    add(r, "245", '1', '0', "aTitle :|bsub /|cBy me.");
    add(r, "500", ' ', ' ', "aNote ABC here.");
    add(r, "650", ' ', '0', "aCats.");
    add(r, "998", ' ', ' ', "aLocal");
    return r;
}

static const char *
val(const struct marc_record *r, const char *tag, char code)
{
    static char buf[256];
    size_t len;
    const char *v = marc_record_value(r, tag, code, &len);
    if (!v)
        return NULL;
    snprintf(buf, sizeof buf, "%.*s", (int)len, v);
    return buf;
}

static struct core_rules *
parse_ok(const char *text)
{
    char *err = NULL;
    struct core_rules *rs = core_rules_parse(text, &err);
    if (!rs)
        fail_msg("parse: %s", err);
    return rs;
}

static void
parse_fails(const char *text, const char *want)
{
    char *err = NULL;
    assert_null(core_rules_parse(text, &err));
    assert_non_null(err);
    if (!strstr(err, want))
        fail_msg("error '%s' lacks '%s'", err, want);
    free(err);
}

static void
test_normalization_actions(void **state)
{
    struct core_rules *rs = parse_ok(
        "rule \"tidy\"\n"
        "when\n"
        "(TRUE)\n"
        "then\n"
        "addField \"910.a.Checked\"\n"
        "addField \"246.{3,0}.a.Other title\"\n"
        "replaceContents \"500.a.ABC\" with \"XYZ\"\n"
        "addSubField \"650.2.lcsh\"\n"
        "changeSubField \"245.c\" to \"d\"\n"
        "removeSubField \"245.b\"\n"
        "changeField \"998\" to \"999\"\n"
        "addControlField \"003.XXc\"\n"
        "end\n");
    assert_int_equal(core_rules_kind(rs), CORE_RULE_NORMALIZATION);
    struct marc_record *r = rec();
    int changes;
    assert_int_equal(core_rules_apply(rs, r, &changes), 0);
    assert_int_equal(changes, 8);
    assert_string_equal(val(r, "910", 'a'), "Checked");
    long i = marc_record_find(r, "246", 0);
    assert_true(i >= 0);
    assert_int_equal(marc_field_ind1(marc_record_field(r, (size_t)i)), '3');
    assert_string_equal(val(r, "500", 'a'), "Note XYZ here.");
    assert_string_equal(val(r, "650", '2'), "lcsh");
    assert_string_equal(val(r, "245", 'd'), "By me.");
    assert_null(val(r, "245", 'b'));
    assert_null(val(r, "998", 'a'));
    assert_string_equal(val(r, "999", 'a'), "Local");
    assert_string_equal(val(r, "003", 0), "XXc");
    /* tag order kept by addField */
    assert_true(marc_record_find(r, "246", 0) > marc_record_find(r, "245", 0));
    core_rules_free(rs);
    marc_record_free(r);
}

static void
test_conditions(void **state)
{
    static const struct {
        const char *cond;
        bool holds;
    } cases[] = {
        {"(TRUE)", true},
        {"(true)", true},
        {"(exists \"245\")", true},
        {"(exists \"246\")", false},
        {"(exists \"035.a.(OCoLC)*\")", true},
        {"(exists \"035.a.(DLC)*\")", false},
        {"(exists \"5XX.a.*ABC*\")", true},
        {"(not exists \"910\")", true},
        {"(NOT exists \"245\")", false},
        {"(exists \"245\" AND exists \"246\")", false},
        {"(exists \"245\" OR exists \"246\")", true},
        {"(NOT (exists \"245\" AND exists \"246\"))", true},
        {"(exists \"008.{35,3}.fre\")", true},
        {"(exists \"008.{35,3}.eng\")", false},
        {"(exists \"245.{1,0}.a.Title*\")", true},
        {"(exists \"245.{0,0}\")", false},
        {"(matches \"245.a\" \"^Tit.e\")", true},
        {"(matches \"650.a\" \"[0-9]\")", false},
        {"(matches \"035.a\" \"OCoLC\\\\)1\") OR exists \"999\"", true},
    };
    struct marc_record *r = rec();
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char text[512];
        snprintf(text, sizeof text, "rule \"c\" when %s then set indication.\"true\" end",
                 cases[k].cond);
        struct core_rules *rs = parse_ok(text);
        assert_int_equal(core_rules_kind(rs), CORE_RULE_INDICATION);
        if (core_rules_indicate(rs, r) != cases[k].holds)
            fail_msg("condition %s should be %s", cases[k].cond, cases[k].holds ? "true" : "false");
        core_rules_free(rs);
    }
    marc_record_free(r);
}

static void
test_condition_limits_actions(void **state)
{
    struct core_rules *rs = parse_ok("rule \"a\" when (exists \"246\") then addField \"910.a.x\" end\n"
                                     "rule \"b\" when (exists \"245\") then removeField \"5XX\" end");
    assert_int_equal(core_rules_count(rs), 2);
    assert_string_equal(core_rules_name(rs, 1), "b");
    struct marc_record *r = rec();
    int changes;
    assert_int_equal(core_rules_apply(rs, r, &changes), 0);
    assert_int_equal(changes, 1);
    assert_int_equal(marc_record_find(r, "910", 0), -1);
    assert_int_equal(marc_record_find(r, "500", 0), -1);
    core_rules_free(rs);
    marc_record_free(r);
}

static void
test_priority_order(void **state)
{
    /* The higher priority rule runs first: it adds 910, then the other sees it. */
    struct core_rules *rs =
        parse_ok("rule \"second\" priority 1 when (exists \"910\") then addField \"911.a.seen\" end\n"
                 "rule \"first\" priority 10 when (TRUE) then addField \"910.a.x\" end\n");
    struct marc_record *r = rec();
    assert_int_equal(core_rules_apply(rs, r, NULL), 0);
    assert_string_equal(val(r, "911", 'a'), "seen");
    core_rules_free(rs);
    marc_record_free(r);
}

static void
test_failed_action_leaves_record(void **state)
{
    /* changeField to a control tag cannot apply to a data field: nothing changes. */
    struct core_rules *rs = parse_ok("rule \"x\" when (TRUE) then addField \"910.a.added\" "
                                     "changeField \"650\" to \"007\" end");
    struct marc_record *r = rec(), *before = marc_record_clone(r);
    assert_true(core_rules_apply(rs, r, NULL) < 0);
    assert_int_equal(marc_record_find(r, "910", 0), -1);
    assert_int_equal(marc_record_field_count(r), marc_record_field_count(before));
    core_rules_free(rs);
    marc_record_free(r);
    marc_record_free(before);
}

static void
test_parse_errors(void **state)
{
    parse_fails("", "no rule");
    parse_fails("rule \"x\" when (TRUE) then addField \"910.a.x\"", "has no 'end'");
    parse_fails("rule x", "line 1, column 6: expected a quoted string after rule");
    parse_fails("rule \"x\"\nwhen\n(exists 245)\nthen end", "line 3, column 9");
    parse_fails("rule \"x\" when (exists \"245\" then end", "expected ')'");
    parse_fails("rule \"x\" when (TRUE) then frobnicate \"245\" end", "unknown action");
    parse_fails("rule \"x\" when (TRUE) then addField \"910\" end", "needs a subfield");
    parse_fails("rule \"x\" when (TRUE) then addField \"24.a.x\" end", "three-character tag");
    parse_fails("rule \"x\" when (TRUE) then changeSubField \"245.a\" to \"ab\" end",
                "not a subfield code");
    parse_fails("rule \"x\" when (matches \"245.a\" \"([\") then addField \"910.a.x\" end",
                "regular expression");
    parse_fails("rule \"x\" when (TRUE) then addField \"008.a.x\" end", "addControlField");
    parse_fails("rule \"a\" when (TRUE) then addField \"910.a.x\" end\n"
                "rule \"b\" when merge then add MARC.\"9\"XX end",
                "line 2, column 1: rule \"b\" is a merge rule");
    parse_fails("rule \"m\" when merge then remove MARC.\"LDR\" end", "only be replaced");
    parse_fails("rule \"x\" when (TRUE) then addField \"910.a.unterminated end", "not closed");
    /* found by fuzzing: a value with a byte that is not UTF-8 made a record
     * no format could write back; deep nesting overflowed the stack */
    parse_fails("rule \"x\" when (TRUE)\nthen addField \"910.a.Ch\xff\" end",
                "line 2, column 24: invalid UTF-8");
    char deep[400];
    size_t n = (size_t)snprintf(deep, sizeof deep, "rule \"x\" when ");
    for (int i = 0; i < 70; i++)
        deep[n++] = '(';
    snprintf(deep + n, sizeof deep - n, "TRUE) then addField \"910.a.x\" end");
    parse_fails(deep, "nested deeper than 64");
}

static void
test_comments(void **state)
{
    struct core_rules *rs = parse_ok("# a comment\nrule \"c\" // trailing\nwhen (TRUE)\nthen\n"
                                     "# inside\naddField \"910.a.x\"\nend\n");
    assert_int_equal(core_rules_count(rs), 1);
    core_rules_free(rs);
}

static void
test_default_merge(void **state)
{
    struct core_rules *rs = parse_ok(core_rules_default_merge());
    assert_int_equal(core_rules_kind(rs), CORE_RULE_MERGE);
    struct marc_record *local = rec();
    add(local, "035", ' ', ' ', "a(MyLib)abc");
    add(local, "590", ' ', ' ', "aLocal note that goes.");
    struct marc_record *ext = marc_record_new();
    marc_record_set_leader(ext, "00000cam a2200000 a 4500", 24);
    marc_record_add_control(ext, "001", "ocn999", 6);
    marc_record_add_control(ext, "008", "850101s1985    fr            000 1 fre  ", 40);
    add(ext, "035", ' ', ' ', "a(OCoLC)12345");
    add(ext, "040", ' ', ' ', "aDLC|cDLC");
    add(ext, "245", '1', '4', "aThe better title /|cby someone.");
    add(ext, "650", ' ', '0', "aDogs.");
    struct marc_record *out = marc_record_new();
    assert_int_equal(core_rules_merge(rs, local, ext, out), 0);
    assert_string_equal(marc_record_leader(out), "00000cam a2200000 a 4500"); /* replaced */
    assert_string_equal(val(out, "001", 0), "991000000011234");            /* local kept */
    assert_string_equal(val(out, "245", 'a'), "The better title /");       /* external */
    assert_string_equal(val(out, "650", 'a'), "Dogs.");
    assert_null(val(out, "500", 'a'));                                      /* local 5XX gone */
    assert_string_equal(val(out, "998", 'a'), "Local");                     /* 9XX kept */
    assert_string_equal(val(out, "040", 'a'), "DLC");
    int n035 = 0;
    for (long i = marc_record_find(out, "035", 0); i >= 0; i = marc_record_find(out, "035", (size_t)i + 1))
        n035++;
    assert_int_equal(n035, 2); /* (OCoLC)12345 once, (MyLib)abc kept */
    /* 008 comes from the external record */
    assert_string_equal(val(out, "008", 0), "850101s1985    fr            000 1 fre  ");
    core_rules_free(rs);
    marc_record_free(local);
    marc_record_free(ext);
    marc_record_free(out);
}

static void
test_custom_merge(void **state)
{
    struct core_rules *rs = parse_ok("rule \"keep subjects\" when merge then\n"
                                     "remove MARC.\"2\"XX\nadd MARC.\"2\"XX\n"
                                     "replace MARC.\"7\"XX\nend");
    struct marc_record *local = rec(), *ext = marc_record_new(), *out = marc_record_new();
    add(ext, "245", '0', '0', "aNew.");
    assert_int_equal(core_rules_merge(rs, local, ext, out), 0);
    assert_string_equal(val(out, "245", 'a'), "New.");
    assert_string_equal(val(out, "650", 'a'), "Cats."); /* untouched by the rule */
    assert_string_equal(marc_record_leader(out), marc_record_leader(local));
    /* replace with nothing to take leaves the local fields */
    add(local, "700", '1', ' ', "aSomeone.");
    assert_int_equal(core_rules_merge(rs, local, ext, out), 0);
    assert_string_equal(val(out, "700", 'a'), "Someone.");
    core_rules_free(rs);
    marc_record_free(local);
    marc_record_free(ext);
    marc_record_free(out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalization_actions),
        cmocka_unit_test(test_conditions),
        cmocka_unit_test(test_condition_limits_actions),
        cmocka_unit_test(test_priority_order),
        cmocka_unit_test(test_failed_action_leaves_record),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_comments),
        cmocka_unit_test(test_default_merge),
        cmocka_unit_test(test_custom_merge),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
