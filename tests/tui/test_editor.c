/*
 * test_editor.c - the record editing model: text round trip, typing over
 * tags and indicators, inserting content, field and subfield commands,
 * cursor movement, undo and redo, View Only.
 */
#include "testutil.h"

#include "diff.h"
#include "editor.h"
#include "record.h"

#include <locale.h>

static struct marc_record *
sample(void)
{
    struct marc_record *r = marc_record_new();
    marc_record_add_control(r, "001", "991000000011234", 15);
    marc_record_add_control(r, "008", "850101s1985    fr            000 1 fre d", 40);
    long i = marc_record_add_data(r, "245", '1', '0');
    marc_record_append_subfield(r, (size_t)i, 'a', "Caf\xc3\xa9 :", 7);
    marc_record_append_subfield(r, (size_t)i, 'b', "un $ prix /", 11);
    marc_record_append_subfield(r, (size_t)i, 'c', "Moi.", 4);
    i = marc_record_add_data(r, "650", ' ', '0');
    marc_record_append_subfield(r, (size_t)i, 'a', "Cats.", 5);
    return r;
}

static const char *
line(const struct tui_editor *ed, size_t i)
{
    static char buf[512];
    size_t len;
    const char *s = tui_editor_line(ed, i, &len);
    snprintf(buf, sizeof buf, "%.*s", (int)len, s);
    return buf;
}

static struct tui_editor *
loaded(void)
{
    struct tui_editor *ed = tui_editor_new();
    struct marc_record *r = sample();
    tui_editor_load(ed, r);
    marc_record_free(r);
    return ed;
}

static void
test_round_trip(void **state)
{
    struct tui_editor *ed = loaded();
    assert_int_equal(tui_editor_line_count(ed), 5);
    assert_string_equal(line(ed, 0), "LDR 00000nam a2200000 i 4500");
    assert_string_equal(line(ed, 1), "001 991000000011234");
    assert_string_equal(line(ed, 3), "245 10 $$aCaf\xc3\xa9 :$$bun $ prix /$$cMoi.");
    assert_string_equal(line(ed, 4), "650  0 $$aCats.");
    struct marc_record *back = marc_record_new(), *orig = sample();
    assert_int_equal(tui_editor_record(ed, back, NULL), 0);
    assert_true(marc_record_equal(orig, back));
    assert_string_equal(marc_record_leader(back), marc_record_leader(orig));
    assert_false(tui_editor_modified(ed));
    marc_record_free(back);
    marc_record_free(orig);
    tui_editor_free(ed);
}

static void
test_type_into_content(void **state)
{
    struct tui_editor *ed = loaded();
    tui_editor_set_cursor(ed, 4, strlen("650  0 $$aCats"));
    assert_true(tui_editor_type(ed, " and dogs", 9));
    assert_string_equal(line(ed, 4), "650  0 $$aCats and dogs.");
    assert_true(tui_editor_modified(ed));
    /* UTF-8 and backspace by whole characters */
    tui_editor_end(ed);
    assert_true(tui_editor_type(ed, "\xc3\xa9", 2));
    assert_true(tui_editor_backspace(ed));
    assert_string_equal(line(ed, 4), "650  0 $$aCats and dogs.");
    /* control characters never enter */
    assert_true(tui_editor_type(ed, "\x1b[1m", 4));
    assert_string_equal(line(ed, 4), "650  0 $$aCats and dogs.[1m");
    tui_editor_free(ed);
}

static void
test_overtype_tag_and_indicators(void **state)
{
    struct tui_editor *ed = loaded();
    tui_editor_set_cursor(ed, 4, 0);
    assert_true(tui_editor_type(ed, "651", 3));
    size_t l, c;
    tui_editor_cursor(ed, &l, &c);
    assert_int_equal(c, 4); /* jumped over the blank to the indicators */
    assert_true(tui_editor_type(ed, "_7", 2));
    tui_editor_cursor(ed, &l, &c);
    assert_int_equal(c, 7); /* and on to the content */
    assert_string_equal(line(ed, 4), "651  7 $$aCats.");
    /* the leader is typed over, never longer than 24 */
    tui_editor_set_cursor(ed, 0, 9);
    assert_true(tui_editor_type(ed, "cm", 2));
    assert_string_equal(line(ed, 0), "LDR 00000cmm a2200000 i 4500");
    tui_editor_set_cursor(ed, 0, 27);
    tui_editor_type(ed, "XYZ", 3);
    assert_int_equal(strlen(line(ed, 0)), 28);
    struct marc_record *r = marc_record_new();
    assert_int_equal(tui_editor_record(ed, r, NULL), 0);
    assert_string_equal(marc_field_tag(marc_record_field(r, 3)), "651");
    assert_int_equal(marc_field_ind2(marc_record_field(r, 3)), '7');
    marc_record_free(r);
    tui_editor_free(ed);
}

static void
test_new_field(void **state)
{
    struct tui_editor *ed = loaded();
    tui_editor_set_cursor(ed, 3, 10);
    assert_true(tui_editor_add_field(ed));
    assert_true(tui_editor_type(ed, "500", 3));
    assert_true(tui_editor_type(ed, "  ", 2));
    tui_editor_end(ed);
    assert_true(tui_editor_type(ed, "A note.", 7));
    assert_string_equal(line(ed, 4), "500    $$aA note.");
    /* a new control field loses the $$a template when its tag is typed */
    assert_true(tui_editor_add_field(ed));
    assert_true(tui_editor_type(ed, "003", 3));
    assert_true(tui_editor_type(ed, "DLC", 3));
    assert_string_equal(line(ed, 5), "003 DLC");
    struct marc_record *r = marc_record_new();
    assert_int_equal(tui_editor_record(ed, r, NULL), 0);
    assert_int_equal(marc_record_field_count(r), 6);
    marc_record_free(r);
    tui_editor_free(ed);
}

static void
test_parse_errors(void **state)
{
    struct tui_editor *ed = loaded();
    tui_editor_add_field(ed); /* tag still blank */
    struct marc_record *r = marc_record_new();
    struct tui_line_error err;
    assert_int_equal(tui_editor_record(ed, r, &err), -1);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.message, "tag"));
    assert_true(tui_editor_line_error(ed, 2, &err));
    assert_false(tui_editor_line_error(ed, 1, &err));
    assert_true(tui_editor_delete_field(ed));
    assert_true(tui_editor_set_line(ed, 3, "245 10 text$$aX", 15));
    assert_true(tui_editor_line_error(ed, 3, &err));
    assert_int_equal(err.col, 7);
    marc_record_free(r);
    tui_editor_free(ed);
}

static void
test_field_commands(void **state)
{
    struct tui_editor *ed = loaded();
    tui_editor_set_cursor(ed, 3, 0);
    assert_true(tui_editor_duplicate_field(ed));
    assert_int_equal(tui_editor_line_count(ed), 6);
    assert_string_equal(line(ed, 4), line(ed, 3));
    assert_true(tui_editor_delete_field(ed)); /* the copy: the cursor is on 650 now */
    assert_string_equal(line(ed, 4), "650  0 $$aCats.");
    tui_editor_set_cursor(ed, 3, 0);
    assert_true(tui_editor_move_field(ed, 1)); /* 245 below 650 */
    assert_string_equal(line(ed, 4), "245 10 $$aCaf\xc3\xa9 :$$bun $ prix /$$cMoi.");
    tui_editor_set_cursor(ed, 1, 0);
    assert_false(tui_editor_move_field(ed, -1)); /* nothing goes above the leader */
    tui_editor_set_cursor(ed, 0, 0);
    assert_false(tui_editor_delete_field(ed)); /* the leader stays */
    tui_editor_free(ed);
}

static void
test_subfields(void **state)
{
    struct tui_editor *ed = loaded();
    tui_editor_set_cursor(ed, 3, 0);
    tui_editor_next_subfield(ed);
    size_t l, c;
    tui_editor_cursor(ed, &l, &c);
    assert_int_equal(c, 10); /* after $$a */
    tui_editor_next_subfield(ed);
    tui_editor_cursor(ed, &l, &c);
    assert_string_equal(line(ed, 3) + c, "un $ prix /$$cMoi.");
    assert_true(tui_editor_delete_subfield(ed));
    assert_string_equal(line(ed, 3), "245 10 $$aCaf\xc3\xa9 :$$cMoi.");
    tui_editor_end(ed);
    assert_true(tui_editor_add_subfield(ed, '6'));
    assert_true(tui_editor_type(ed, "880-01", 6));
    assert_string_equal(line(ed, 3), "245 10 $$aCaf\xc3\xa9 :$$cMoi.$$6880-01");
    tui_editor_prev_subfield(ed);
    tui_editor_cursor(ed, &l, &c);
    assert_string_equal(line(ed, 3) + c, "Moi.$$6880-01");
    /* next subfield continues on the next data field */
    tui_editor_end(ed);
    tui_editor_next_subfield(ed);
    tui_editor_cursor(ed, &l, &c);
    assert_int_equal(l, 4);
    assert_false(tui_editor_add_subfield(ed, '$')); /* not a code */
    tui_editor_set_cursor(ed, 1, 5);
    assert_false(tui_editor_add_subfield(ed, 'a')); /* control fields have none */
    tui_editor_free(ed);
}

static void
test_movement(void **state)
{
    struct tui_editor *ed = loaded();
    tui_editor_set_cursor(ed, 3, 10);
    for (int k = 0; k < 4; k++)
        tui_editor_right(ed);
    size_t l, c;
    tui_editor_cursor(ed, &l, &c);
    assert_int_equal(c, 15); /* over the two bytes of é as one step */
    tui_editor_left(ed);
    tui_editor_cursor(ed, &l, &c);
    assert_int_equal(c, 13);
    tui_editor_word_right(ed);
    tui_editor_cursor(ed, &l, &c);
    assert_string_equal(line(ed, 3) + c, "bun $ prix /$$cMoi.");
    tui_editor_home(ed);
    tui_editor_cursor(ed, &l, &c);
    assert_int_equal(c, 10);
    tui_editor_home(ed);
    tui_editor_cursor(ed, &l, &c);
    assert_int_equal(c, 7);
    tui_editor_home(ed);
    tui_editor_cursor(ed, &l, &c);
    assert_int_equal(c, 0);
    tui_editor_down(ed);
    tui_editor_cursor(ed, &l, &c);
    assert_int_equal(l, 4);
    tui_editor_page(ed, -10);
    tui_editor_cursor(ed, &l, &c);
    assert_int_equal(l, 0);
    tui_editor_last(ed);
    tui_editor_cursor(ed, &l, &c);
    assert_int_equal(l, 4);
    tui_editor_free(ed);
}

static void
test_undo_redo(void **state)
{
    struct tui_editor *ed = loaded();
    tui_editor_set_cursor(ed, 4, 15);
    tui_editor_type(ed, "a", 1);
    tui_editor_type(ed, "b", 1); /* typing coalesces into one step */
    tui_editor_delete_field(ed);
    assert_int_equal(tui_editor_line_count(ed), 4);
    assert_true(tui_editor_undo(ed));
    assert_string_equal(line(ed, 4), "650  0 $$aCats.ab");
    assert_true(tui_editor_undo(ed));
    assert_string_equal(line(ed, 4), "650  0 $$aCats.");
    assert_false(tui_editor_undo(ed));
    assert_true(tui_editor_redo(ed));
    assert_string_equal(line(ed, 4), "650  0 $$aCats.ab");
    assert_true(tui_editor_redo(ed));
    assert_int_equal(tui_editor_line_count(ed), 4);
    assert_false(tui_editor_redo(ed));
    /* a new edit after undo drops the redo history */
    tui_editor_undo(ed);
    tui_editor_type(ed, "z", 1);
    assert_false(tui_editor_redo(ed));
    tui_editor_free(ed);
}

static void
test_view_only(void **state)
{
    struct tui_editor *ed = loaded();
    tui_editor_set_readonly(ed, true);
    tui_editor_set_cursor(ed, 4, 10);
    assert_false(tui_editor_type(ed, "x", 1));
    assert_false(tui_editor_delete_field(ed));
    assert_false(tui_editor_add_field(ed));
    assert_false(tui_editor_duplicate_field(ed));
    assert_false(tui_editor_modified(ed));
    tui_editor_free(ed);
}

int
main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_type_into_content),
        cmocka_unit_test(test_overtype_tag_and_indicators),
        cmocka_unit_test(test_new_field),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_field_commands),
        cmocka_unit_test(test_subfields),
        cmocka_unit_test(test_movement),
        cmocka_unit_test(test_undo_redo),
        cmocka_unit_test(test_view_only),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
