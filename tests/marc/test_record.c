/*
 * test_record.c - the record model: fields and subfields, edits, copies.
 */
#include "testutil.h"

#include "diag.h"
#include "diff.h"
#include "record.h"

/* A small bib: 001, 008, 100, 245 with three subfields, 650. */
static struct marc_record *
sample(void)
{
    struct marc_record *r = marc_record_new();
    assert_int_equal(marc_record_insert_control(r, 0, "001", "12345", 5), 0);
    assert_int_equal(marc_record_insert_control(r, 1, "008", "910710s1991    nyu           000 0 eng  ", 40), 0);
    assert_int_equal(marc_record_insert_data(r, 2, "100", '1', ' '), 0);
    assert_int_equal(marc_record_append_subfield(r, 2, 'a', "Collins, Jack.", 14), 0);
    assert_int_equal(marc_record_insert_data(r, 3, "245", '1', '0'), 0);
    assert_int_equal(marc_record_append_subfield(r, 3, 'a', "Programming :", 13), 0);
    assert_int_equal(marc_record_append_subfield(r, 3, 'b', "a primer /", 10), 0);
    assert_int_equal(marc_record_append_subfield(r, 3, 'c', "Jack Collins.", 13), 0);
    assert_int_equal(marc_record_insert_data(r, 4, "650", ' ', '0'), 0);
    assert_int_equal(marc_record_append_subfield(r, 4, 'a', "Computers.", 10), 0);
    return r;
}

static void
sub_is(const struct marc_record *r, size_t i, size_t k, char code, const char *value)
{
    struct marc_subfield sf;
    assert_true(marc_field_subfield(marc_record_field(r, i), k, &sf));
    assert_int_equal(sf.code, code);
    assert_int_equal(sf.len, strlen(value));
    assert_memory_equal(sf.value, value, sf.len);
}

static void
test_build_and_read(void **state)
{
    struct marc_record *r = sample();
    assert_int_equal(marc_record_field_count(r), 5);
    const struct marc_field *f = marc_record_field(r, 3);
    assert_string_equal(marc_field_tag(f), "245");
    assert_false(marc_field_is_control(f));
    assert_int_equal(marc_field_ind1(f), '1');
    assert_int_equal(marc_field_ind2(f), '0');
    assert_int_equal(marc_field_subfield_count(f), 3);
    sub_is(r, 3, 1, 'b', "a primer /");
    assert_true(marc_field_is_control(marc_record_field(r, 0)));
    size_t len;
    const char *v = marc_record_value(r, "245", 'c', &len);
    assert_non_null(v);
    assert_memory_equal(v, "Jack Collins.", len);
    v = marc_record_value(r, "001", 0, &len);
    assert_memory_equal(v, "12345", 5);
    assert_null(marc_record_value(r, "500", 'a', NULL));
    assert_null(marc_record_field(r, 5));
    marc_record_free(r);
}

static void
test_find_and_occurrence(void **state)
{
    struct marc_record *r = sample();
    assert_int_equal(marc_record_duplicate_field(r, 4), 0);
    assert_int_equal(marc_record_find(r, "6XX", 0), 4);
    assert_int_equal(marc_record_find(r, "6XX", 5), 5);
    assert_int_equal(marc_record_find(r, "9XX", 0), -1);
    assert_int_equal(marc_record_occurrence(r, 5), 2);
    assert_int_equal(marc_record_occurrence(r, 4), 1);
    marc_record_free(r);
}

static void
test_field_edits(void **state)
{
    struct marc_record *r = sample();
    /* move 650 before 100 */
    assert_int_equal(marc_record_move_field(r, 4, 2), 0);
    assert_string_equal(marc_field_tag(marc_record_field(r, 2)), "650");
    assert_string_equal(marc_field_tag(marc_record_field(r, 3)), "100");
    /* and back to the end */
    assert_int_equal(marc_record_move_field(r, 2, 4), 0);
    assert_string_equal(marc_field_tag(marc_record_field(r, 4)), "650");
    /* duplicate, then change the copy only */
    assert_int_equal(marc_record_duplicate_field(r, 3), 0);
    assert_int_equal(marc_record_set_subfield(r, 4, 0, "Other", 5), 0);
    sub_is(r, 3, 0, 'a', "Programming :");
    sub_is(r, 4, 0, 'a', "Other");
    assert_int_equal(marc_record_delete_field(r, 4), 0);
    assert_int_equal(marc_record_field_count(r), 5);
    /* tag and indicators */
    assert_int_equal(marc_record_set_tag(r, 4, "651"), 0);
    assert_int_equal(marc_record_set_indicator(r, 4, 2, '7'), 0);
    assert_int_equal(marc_field_ind2(marc_record_field(r, 4)), '7');
    /* a data field cannot become a control field by a tag change */
    assert_int_equal(marc_record_set_tag(r, 4, "008"), MARC_ERR_INVALID);
    assert_int_equal(marc_record_set_tag(r, 0, "245"), MARC_ERR_INVALID);
    assert_int_equal(marc_record_set_tag(r, 4, "65"), MARC_ERR_INVALID);
    /* control field value */
    assert_int_equal(marc_record_set_control(r, 0, "ocm0001", 7), 0);
    size_t len;
    assert_memory_equal(marc_record_value(r, "001", 0, &len), "ocm0001", 7);
    assert_int_equal(len, 7);
    marc_record_free(r);
}

static void
test_add_in_tag_order(void **state)
{
    struct marc_record *r = sample();
    long i = marc_record_add_data(r, "500", ' ', ' ');
    assert_int_equal(i, 4); /* after 245, before 650 */
    i = marc_record_add_control(r, "003", "DLC", 3);
    assert_int_equal(i, 1);
    i = marc_record_add_data(r, "999", ' ', ' ');
    assert_int_equal(i, (long)marc_record_field_count(r) - 1);
    marc_record_free(r);
}

static void
test_subfield_edits(void **state)
{
    struct marc_record *r = sample();
    assert_int_equal(marc_record_insert_subfield(r, 3, 0, '6', "880-01", 6), 0);
    sub_is(r, 3, 0, '6', "880-01");
    sub_is(r, 3, 1, 'a', "Programming :");
    assert_int_equal(marc_record_move_subfield(r, 3, 0, 3), 0);
    sub_is(r, 3, 3, '6', "880-01");
    sub_is(r, 3, 0, 'a', "Programming :");
    assert_int_equal(marc_record_move_subfield(r, 3, 3, 0), 0);
    sub_is(r, 3, 0, '6', "880-01");
    assert_int_equal(marc_record_delete_subfield(r, 3, 0), 0);
    assert_int_equal(marc_field_subfield_count(marc_record_field(r, 3)), 3);
    assert_int_equal(marc_record_duplicate_subfield(r, 3, 2), 0);
    sub_is(r, 3, 3, 'c', "Jack Collins.");
    assert_int_equal(marc_record_set_subfield_code(r, 3, 3, 'n'), 0);
    sub_is(r, 3, 3, 'n', "Jack Collins.");
    assert_int_equal(marc_record_set_subfield(r, 3, 3, "", 0), 0);
    sub_is(r, 3, 3, 'n', "");
    assert_int_equal(marc_record_insert_subfield(r, 3, 4, 'p', "end", 3), 0); /* append */
    sub_is(r, 3, 4, 'p', "end");
    assert_int_equal(marc_record_insert_subfield(r, 3, 6, 'p', "x", 1), MARC_ERR_RANGE);
    assert_int_equal(marc_record_delete_subfield(r, 3, 9), MARC_ERR_RANGE);
    assert_int_equal(marc_record_set_subfield(r, 0, 0, "x", 1), MARC_ERR_RANGE); /* control */
    marc_record_free(r);
}

static void
test_refuses_separators_and_bad_codes(void **state)
{
    struct marc_record *r = sample();
    struct marc_record *before = marc_record_clone(r);
    assert_int_equal(marc_record_set_subfield(r, 3, 0, "a\x1f" "b", 3), MARC_ERR_INVALID);
    assert_int_equal(marc_record_set_subfield(r, 3, 0, "a\x1e", 2), MARC_ERR_INVALID);
    assert_int_equal(marc_record_set_control(r, 0, "1\x1d", 2), MARC_ERR_INVALID);
    assert_int_equal(marc_record_append_subfield(r, 3, ' ', "x", 1), MARC_ERR_INVALID);
    assert_int_equal(marc_record_append_subfield(r, 3, '\x1f', "x", 1), MARC_ERR_INVALID);
    assert_int_equal(marc_record_set_indicator(r, 3, 1, '\n'), MARC_ERR_INVALID);
    assert_int_equal(marc_record_insert_body(r, 0, "500", "  no delimiter", 14), MARC_ERR_INVALID);
    assert_int_equal(marc_record_insert_body(r, 0, "500", " ", 1), MARC_ERR_INVALID);
    assert_int_equal(marc_record_insert_body(r, 0, "500", "  \x1f", 3), MARC_ERR_INVALID);
    assert_int_equal(marc_record_insert_control(r, 0, "0 1", "x", 1), MARC_ERR_INVALID);
    assert_int_equal(marc_record_set_control(r, 0, "1\0" "2", 3), MARC_ERR_INVALID);
    /* "LDR" is the leader's name in .mrk and messages, never a field's. */
    assert_false(marc_tag_is_valid("LDR"));
    assert_false(marc_tag_is_valid("ldr"));
    assert_false(marc_tag_is_valid("lDr"));
    assert_true(marc_tag_is_valid("LDS"));
    assert_true(marc_tag_is_valid("FMT"));
    assert_int_equal(marc_record_insert_body(r, 0, "LDR", "  \x1f" "ax", 5), MARC_ERR_INVALID);
    assert_int_equal(marc_record_insert_control(r, 0, "Ldr", "x", 1), MARC_ERR_INVALID);
    assert_int_equal(marc_record_set_tag(r, 4, "ldr"), MARC_ERR_INVALID);
    assert_int_equal(marc_record_set_leader(r, "short", 5), MARC_ERR_INVALID);
    assert_int_equal(marc_record_set_leader_byte(r, 24, 'a'), MARC_ERR_RANGE);
    assert_true(marc_record_equal(r, before)); /* failed edits changed nothing */
    marc_record_free(before);
    marc_record_free(r);
}

static void
test_clone_is_deep(void **state)
{
    struct marc_record *r = sample();
    struct marc_record *c = marc_record_clone(r);
    assert_true(marc_record_equal(r, c));
    assert_int_equal(marc_record_set_subfield(c, 3, 0, "Changed", 7), 0);
    assert_false(marc_record_equal(r, c));
    sub_is(r, 3, 0, 'a', "Programming :");
    /* copy onto an existing record replaces its content */
    marc_record_copy(c, r);
    assert_true(marc_record_equal(r, c));
    marc_record_free(r);
    /* c is independent of r's storage */
    sub_is(c, 3, 2, 'c', "Jack Collins.");
    marc_record_free(c);
}

/* Copying a record whose fields are all empty: nothing to copy, and the copy
 * equals the original (no bytes to point at, no pointer arithmetic on none). */
static void
test_copy_of_empty_fields(void **state)
{
    struct marc_record *r = marc_record_new();
    assert_int_equal(marc_record_insert_control(r, 0, "001", "", 0), 0);
    assert_int_equal(marc_record_insert_control(r, 1, "005", "", 0), 0);
    struct marc_record *c = marc_record_clone(r);
    assert_int_equal(marc_record_field_count(c), 2);
    assert_true(marc_record_equal(r, c));
    size_t len = 99;
    marc_field_data(marc_record_field(c, 1), &len);
    assert_int_equal(len, 0);
    /* and it can be edited */
    assert_int_equal(marc_record_set_control(c, 0, "x", 1), 0);
    assert_false(marc_record_equal(r, c));
    marc_record_free(c);
    marc_record_free(r);
}

static void
test_leader_and_clear(void **state)
{
    struct marc_record *r = sample();
    assert_string_equal(marc_record_leader(r), "00000nam a2200000 i 4500");
    assert_true(marc_record_is_utf8(r));
    assert_int_equal(marc_record_set_leader_byte(r, 9, ' '), 0);
    assert_false(marc_record_is_utf8(r));
    marc_record_clear(r);
    assert_int_equal(marc_record_field_count(r), 0);
    assert_string_equal(marc_record_leader(r), "00000nam a2200000 i 4500");
    marc_record_free(r);
    marc_record_free(NULL); /* no-op */
}

static void
test_many_fields(void **state)
{
    struct marc_record *r = marc_record_new();
    char tag[4];
    for (int i = 0; i < 1000; i++) {
        snprintf(tag, sizeof tag, "%03d", 100 + i % 800);
        assert_int_equal(marc_record_insert_data(r, (size_t)i, tag, ' ', ' '), 0);
        assert_int_equal(marc_record_append_subfield(r, (size_t)i, 'a', "value", 5), 0);
    }
    assert_int_equal(marc_record_field_count(r), 1000);
    for (int i = 999; i >= 0; i -= 2)
        assert_int_equal(marc_record_delete_field(r, (size_t)i), 0);
    assert_int_equal(marc_record_field_count(r), 500);
    marc_record_free(r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_and_read),
        cmocka_unit_test(test_find_and_occurrence),
        cmocka_unit_test(test_field_edits),
        cmocka_unit_test(test_add_in_tag_order),
        cmocka_unit_test(test_subfield_edits),
        cmocka_unit_test(test_refuses_separators_and_bad_codes),
        cmocka_unit_test(test_clone_is_deep),
        cmocka_unit_test(test_copy_of_empty_fields),
        cmocka_unit_test(test_leader_and_clear),
        cmocka_unit_test(test_many_fields),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
