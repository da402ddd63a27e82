/*
 * test_frame.c - the cell grid: widths, clipping, inert controls.
 */
#include "testutil.h"

#include "frame.h"

#include <locale.h>

static void
test_ascii_and_clip(void **state)
{
    struct tui_frame f;
    tui_frame_init(&f, 10, 2);
    assert_int_equal(tui_frame_puts(&f, 0, 0, "Hello, world", 10, 0), 10);
    assert_int_equal(tui_frame_puts(&f, 8, 1, "abc", 5, 0), 2); /* clipped by the frame */
    char *t = tui_frame_text(&f);
    assert_string_equal(t, "Hello, wor\n        ab\n");
    free(t);
    tui_frame_free(&f);
}

static void
test_wide_and_combining(void **state)
{
    struct tui_frame f;
    tui_frame_init(&f, 8, 1);
    /* 日本 takes four columns; e + combining acute is one. */
    int used = tui_frame_puts(&f, 0, 0, "\xe6\x97\xa5\xe6\x9c\xac" "e\xcc\x81x", 8, 0);
    assert_int_equal(used, 6);
    assert_int_equal(tui_frame_at(&f, 1, 0)->width, 0);
    assert_string_equal(tui_frame_at(&f, 4, 0)->text, "e\xcc\x81");
    char *t = tui_frame_text(&f);
    assert_string_equal(t, "\xe6\x97\xa5\xe6\x9c\xac" "e\xcc\x81x\n");
    free(t);
    /* A wide character that would straddle the edge is not drawn. */
    tui_frame_clear(&f, 0);
    assert_int_equal(tui_frame_puts(&f, 0, 0, "abcdefg\xe6\x97\xa5", 8, 0), 7);
    assert_int_equal(tui_text_width("\xe6\x97\xa5" "a", 4), 3);
    int cols;
    assert_int_equal(tui_text_fit("\xe6\x97\xa5\xe6\x9c\xac", 6, 3, &cols), 3);
    assert_int_equal(cols, 2);
    tui_frame_free(&f);
}

static void
test_controls_are_inert(void **state)
{
    struct tui_frame f;
    tui_frame_init(&f, 12, 1);
    /* An escape sequence in record data must not reach the terminal. */
    tui_frame_puts(&f, 0, 0, "a\x1b[2Jb\x7f\xc2\x9b", 12, 0);
    char *t = tui_frame_text(&f);
    assert_null(strchr(t, 0x1b));
    assert_non_null(strstr(t, "\xe2\x90\x9b")); /* U+241B SYMBOL FOR ESCAPE */
    assert_non_null(strstr(t, "\xe2\x90\xa1")); /* U+2421 for DEL */
    assert_non_null(strstr(t, "\xef\xbf\xbd")); /* C1 CSI as U+FFFD */
    free(t);
    /* bidi overrides and isolates (RLO, LRI ... PDI) cannot reorder the line */
    tui_frame_clear(&f, 0);
    assert_int_equal(tui_frame_puts(&f, 0, 0, "\xe2\x80\xae" "ab" "\xe2\x81\xa6" "c", 12, 0), 5);
    t = tui_frame_text(&f);
    assert_null(strstr(t, "\xe2\x80\xae"));
    assert_null(strstr(t, "\xe2\x81\xa6"));
    assert_non_null(strstr(t, "\xef\xbf\xbd" "ab" "\xef\xbf\xbd" "c"));
    free(t);
    /* invalid UTF-8 shows as U+FFFD, one cell */
    tui_frame_clear(&f, 0);
    assert_int_equal(tui_frame_puts(&f, 0, 0, "\xff" "a", 12, 0), 2);
    tui_frame_free(&f);
}

int
main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_and_clip),
        cmocka_unit_test(test_wide_and_combining),
        cmocka_unit_test(test_controls_are_inert),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
