/*
 * test_diff.c - record equality and the field-level diff used by versions,
 * merge previews and relink previews.
 */
#include "testutil.h"

#include "diff.h"
#include "record.h"

static void
add(struct marc_record *r, const char *tag, const char *a)
{
    long i = marc_record_add_data(r, tag, ' ', ' ');
    assert_true(i >= 0);
    assert_int_equal(marc_record_append_subfield(r, (size_t)i, 'a', a, strlen(a)), 0);
}

static struct marc_record *
base(void)
{
    struct marc_record *r = marc_record_new();
    marc_record_add_control(r, "001", "1", 1);
    add(r, "100", "Author");
    add(r, "245", "Title");
    add(r, "500", "Note one");
    add(r, "650", "Subject");
    return r;
}

/* Render ops as a compact string like "= + - ~" for easy assertions. */
static void
ops_str(const struct marc_diff *d, char *out)
{
    static const char sym[] = {'=', '+', '-', '~'};
    for (size_t i = 0; i < d->n; i++)
        out[i] = sym[d->ops[i].kind];
    out[d->n] = '\0';
}

static void
test_equal_ignores_lengths(void **state)
{
    struct marc_record *a = base(), *b = base();
    assert_true(marc_record_equal(a, b));
    marc_record_set_leader(b, "01234nam a2200289 i 4500", 24);
    assert_true(marc_record_equal(a, b));
    marc_record_set_leader_byte(b, 5, 'c');
    assert_false(marc_record_equal(a, b));
    marc_record_free(a);
    marc_record_free(b);
}

static void
test_identical(void **state)
{
    struct marc_record *a = base(), *b = base();
    struct marc_diff d;
    marc_diff_records(a, b, &d);
    char s[64];
    ops_str(&d, s);
    assert_string_equal(s, "=====");
    assert_int_equal(d.added + d.removed + d.changed, 0);
    assert_false(d.leader_changed);
    marc_diff_free(&d);
    marc_record_free(a);
    marc_record_free(b);
}

static void
test_change_add_remove(void **state)
{
    struct marc_record *a = base(), *b = base();
    marc_record_set_subfield(b, 2, 0, "New title", 9); /* 245 changed */
    marc_record_delete_field(b, 3);                     /* 500 removed */
    add(b, "700", "Added entry");                        /* 700 added */
    struct marc_diff d;
    marc_diff_records(a, b, &d);
    char s[64];
    ops_str(&d, s);
    assert_string_equal(s, "==~-=+");
    assert_int_equal(d.changed, 1);
    assert_int_equal(d.removed, 1);
    assert_int_equal(d.added, 1);
    assert_int_equal(d.ops[2].a, 2);
    assert_int_equal(d.ops[2].b, 2);
    assert_int_equal(d.ops[3].a, 3);
    assert_int_equal(d.ops[3].b, -1);
    assert_int_equal(d.ops[5].a, -1);
    assert_int_equal(d.ops[5].b, 4);
    marc_diff_free(&d);
    marc_record_free(a);
    marc_record_free(b);
}

static void
test_repeated_tags_pair_in_order(void **state)
{
    struct marc_record *a = base(), *b = base();
    add(a, "650", "Second");
    add(b, "650", "Second changed");
    add(b, "650", "Third");
    struct marc_diff d;
    marc_diff_records(a, b, &d);
    char s[64];
    ops_str(&d, s);
    assert_string_equal(s, "=====~+");
    marc_diff_free(&d);
    marc_record_free(a);
    marc_record_free(b);
}

static void
test_reorder_shows_as_move(void **state)
{
    struct marc_record *a = base(), *b = base();
    marc_record_move_field(b, 4, 1); /* 650 moved before 100 */
    struct marc_diff d;
    marc_diff_records(a, b, &d);
    /* Every field of a is accounted for exactly once. */
    size_t seen_a = 0, seen_b = 0;
    for (size_t i = 0; i < d.n; i++) {
        if (d.ops[i].a >= 0)
            seen_a++;
        if (d.ops[i].b >= 0)
            seen_b++;
    }
    assert_int_equal(seen_a, 5);
    assert_int_equal(seen_b, 5);
    assert_int_equal(d.added, 1);
    assert_int_equal(d.removed, 1);
    marc_diff_free(&d);
    marc_record_free(a);
    marc_record_free(b);
}

static void
test_empty_records(void **state)
{
    struct marc_record *a = marc_record_new(), *b = base();
    struct marc_diff d;
    marc_diff_records(a, b, &d);
    assert_int_equal(d.added, 5);
    marc_diff_free(&d);
    marc_diff_records(b, a, &d);
    assert_int_equal(d.removed, 5);
    marc_diff_free(&d);
    marc_record_set_leader_byte(a, 6, 'u');
    marc_record_clear(b);
    marc_diff_records(a, b, &d);
    assert_true(d.leader_changed);
    assert_int_equal(d.n, 0);
    marc_diff_free(&d);
    marc_record_free(a);
    marc_record_free(b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equal_ignores_lengths),
        cmocka_unit_test(test_identical),
        cmocka_unit_test(test_change_add_remove),
        cmocka_unit_test(test_repeated_tags_pair_in_order),
        cmocka_unit_test(test_reorder_shows_as_move),
        cmocka_unit_test(test_empty_records),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
