/*
 * test_app.c - headless render tests of the whole editor: a tui_app on a
 * temporary repository holding the Library of Congress sample records,
 * driven with tui_app_key() and compared frame by frame (tui_app_render()
 * as text) with tests/tui/ref/NAME.ref, for every pane and modal: the
 * record pane (editing, wrap, marks, View Only), help, palette, prompt,
 * confirm, the fixed-field form, Search (results, compare view), Notes,
 * Versions (list, diff), Reminders (list, add, filter), at 80x24, one at
 * 120x40 and one at 60x20.  Beside the frames, the tests check what the
 * keys did in the repository (a reminder added, edited, deleted, refused).
 *
 * Determinism: the clock is fixed by linking with -Wl,--wrap=core_now
 * (tests/tui/meson.build), so every time the core writes or shows (005,
 * lock expiry, versions, notes, reminders, "today") comes from tf_now;
 * TZ is UTC; the repository's temporary path is shown as <repo>.
 *
 * COLOPHON_UPDATE_REFS=1 rewrites the .ref files instead of comparing
 * (review the change with git diff before committing it).
 */
#include "testutil.h"
#include "tui-fixture.h"

#include "app-int.h"
#include "import.h"
#include "keys.h"
#include "notes.h"
#include "reminder.h"
#include "repo.h"

#include <errno.h>
#include <locale.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- a repository per test ---- */

static struct core_repo *repo;

#define MMS_PROGRAM "991000000011234"  /* "How to program a computer" */
#define MMS_IMAGES "991000000031234"   /* a long title that wraps */

static int
setup(void **state)
{
    if (tf_scratch("app") != 0 || !(repo = tf_loc_repo()))
        return -1;
    core_user_add(repo, "jdoe", CORE_ROLE_CATALOGER, NULL);
    tf_now += 60;
    return 0;
}

static int
teardown(void **state)
{
    core_repo_close(repo);
    repo = NULL;
    return tf_remove_scratch();
}

/* ---- driving ---- */

/* Put the cursor at column col of the first field with this tag ("LDR" too). */
static void
goto_tag(struct tui_app *app, const char *tag, size_t col)
{
    for (size_t i = 0; i < tui_editor_line_count(app->ed); i++) {
        size_t len;
        const char *l = tui_editor_line(app->ed, i, &len);
        if (len >= 3 && memcmp(l, tag, 3) == 0) {
            tui_editor_set_cursor(app->ed, i, col);
            return;
        }
    }
    fail_msg("no %s in the record", tag);
}

/* The editor's text of the first field with this tag (static storage). */
static const char *
field_text(struct tui_app *app, const char *tag)
{
    static char buf[1024];
    for (size_t i = 0; i < tui_editor_line_count(app->ed); i++) {
        size_t len;
        const char *l = tui_editor_line(app->ed, i, &len);
        if (len >= 3 && memcmp(l, tag, 3) == 0) {
            snprintf(buf, sizeof buf, "%.*s", (int)len, l);
            return buf;
        }
    }
    return "";
}

/* ---- frames and references ---- */

/* ---- the record pane ---- */

static void
test_no_record(void **state)
{
    struct tui_app *app = tf_app(repo, NULL);
    tf_check_frame(app, 80, 24, "empty");
    tui_app_free(app);
}

static void
test_record_pane(void **state)
{
    struct tui_app *app = tf_app(repo, MMS_PROGRAM);
    tf_check_frame(app, 80, 24, "record");
    /* go to 245 and type: the modified marker and the edit show */
    goto_tag(app, "245", 0);
    tf_key(app, TUI_KEY_END);
    tf_type(app, " :$$bfor beginners");
    tf_check_frame(app, 80, 24, "record-edited");
    assert_true(tui_editor_modified(app->ed));
    assert_string_equal(field_text(app, "245"),
                        "245 10 $$aHow to program a computer :$$bfor beginners");
    /* no 245: an error, and the save refused with the reason */
    goto_tag(app, "245", 0);
    tf_key(app, TUI_CTRL('k'));
    tf_key(app, TUI_CTRL('s'));
    tf_check_frame(app, 80, 24, "record-error");
    assert_int_equal(app->version, 1);
    tui_app_free(app);
}

static void
test_record_wrap_and_zoom(void **state)
{
    struct tui_app *app = tf_app(repo, MMS_IMAGES);
    tf_check_frame(app, 80, 24, "record-wrap");
    tf_key(app, TUI_KEY_F(10)); /* zoom the record pane */
    tf_check_frame(app, 80, 24, "record-zoom");
    tui_app_free(app);
}

static void
test_view_only(void **state)
{
    struct tui_app *admin = tf_app(repo, MMS_PROGRAM);
    tf_now += 120;
    char *cause = NULL;
    struct core_repo *r2 = core_repo_open(tf_repo_dir, "jdoe", &cause);
    assert_non_null(r2);
    struct tui_app *jdoe = tf_app(r2, MMS_PROGRAM);
    tf_check_frame(jdoe, 80, 24, "view-only");
    /* typing is refused and says why */
    tf_type(jdoe, "x");
    assert_false(tui_editor_modified(jdoe->ed));
    assert_true(tf_shows(jdoe, "View Only"));
    tui_app_free(jdoe);
    core_repo_close(r2);
    tui_app_free(admin);
}

/* ---- modals ---- */

static void
test_help_palette_prompt_confirm(void **state)
{
    struct tui_app *app = tf_app(repo, MMS_PROGRAM);
    tf_key(app, TUI_KEY_F(1));
    tf_check_frame(app, 80, 24, "help");
    tf_key(app, TUI_KEY_ESC);
    tf_key(app, TUI_CTRL('p'));
    tf_type(app, "remind");
    tf_check_frame(app, 80, 24, "palette");
    tf_key(app, TUI_KEY_ESC);
    tf_key(app, TUI_CTRL('o'));
    tf_type(app, "99100000");
    tf_check_frame(app, 80, 24, "prompt");
    tf_key(app, TUI_KEY_ESC);
    tf_key(app, TUI_KEY_DOWN);
    tf_key(app, TUI_KEY_END);
    tf_type(app, "9");
    tf_key(app, TUI_CTRL('q'));
    tf_check_frame(app, 80, 24, "confirm");
    tf_key(app, 'n');
    assert_false(tui_app_done(app));
    tui_app_free(app);
}

static void
test_fixed_field_form(void **state)
{
    struct tui_app *app = tf_app(repo, MMS_PROGRAM);
    goto_tag(app, "LDR", 0);
    tf_key(app, TUI_KEY_F(2));
    tf_check_frame(app, 80, 24, "fixed-leader");
    tf_key(app, TUI_KEY_ESC);
    goto_tag(app, "008", 0);
    tf_key(app, TUI_KEY_F(2));
    for (int i = 0; i < 6; i++)
        tf_key(app, TUI_KEY_DOWN); /* to 22 Target audience */
    tf_check_frame(app, 80, 24, "fixed-008-books");
    tf_type(app, "e");
    tf_key(app, TUI_KEY_ENTER);
    const char *l = field_text(app, "008");
    assert_true(strlen(l) > 4 + 22);
    assert_int_equal(l[4 + 22], 'e'); /* 008/22 now e Adult */
    assert_true(tui_editor_modified(app->ed));
    tui_app_free(app);
}

/* ---- Search ---- */

/* The key-waiting hook of a terminal where a key is always waiting. */
static bool
key_always_waiting(void *ctx)
{
    ++*(int *)ctx;
    return true;
}

/* More hits than the tab fetches IDs of at a time (100 on Enter, 1,000
 * once idle): the first page comes with "counting"; idle moments widen the
 * window and then count; pages beyond a window, before or after the
 * widening, are the hits core_search lists there. */
static void
test_search_window(void **state)
{
    char path[300];
    snprintf(path, sizeof path, "%s/loc.mrc", tf_dir);
    struct core_import_opts o = {.permissive = true, .zone = CORE_ZONE_IZ, .again = true};
    struct core_import_report rep;
    for (int i = 0; i < 44; i++) /* 45 x 24 records */
        assert_int_equal(core_import_file(repo, path, &o, &rep), CORE_OK);
    struct tui_app *app = tf_app(repo, NULL);
    tf_key(app, TUI_MOD_ALT | '1');
    tf_type(app, "NOT zzzzqqq");
    tf_key(app, TUI_KEY_ENTER);
    char *t = tf_frame_text(app, 100, 30);
    assert_non_null(strstr(t, "more than 100 hits (counting…)"));
    free(t);
    /* before any idle moment: the third page (hits 100...) is past the
     * IDs Enter fetched, and is still the right one */
    struct core_search_opts so = {.limit = 1, .offset = 100};
    struct core_results r;
    assert_int_equal(core_search(repo, "NOT zzzzqqq", &so, &r), CORE_OK);
    for (int i = 0; i < 2; i++) {
        tf_key(app, TUI_KEY_END);
        tf_key(app, TUI_KEY_PGDN);
    }
    tf_key(app, TUI_KEY_HOME);
    t = tf_frame_text(app, 100, 30);
    assert_non_null(strstr(t, r.hits[0].mms));
    free(t);
    core_results_free(&r);
    /* again, then idle: the window widens, then the hits are counted;
     * while a key is waiting, neither (each gives way and stays due) */
    tf_key(app, TUI_KEY_UP); /* to the query line */
    tf_key(app, TUI_KEY_ENTER);
    int fd, ms;
    short ev;
    int asked = 0;
    tui_app_set_key_waiting(app, key_always_waiting, &asked);
    for (int i = 0; i < 2; i++) {
        assert_true(tui_app_pending(app, &fd, &ev, &ms));
        tui_app_io(app);
    }
    assert_true(asked >= 2);
    t = tf_frame_text(app, 100, 30);
    assert_non_null(strstr(t, "more than 100 hits (counting…)"));
    free(t);
    tui_app_set_key_waiting(app, NULL, NULL);
    assert_true(tui_app_pending(app, &fd, &ev, &ms));
    tui_app_io(app);
    t = tf_frame_text(app, 100, 30);
    assert_non_null(strstr(t, "more than 1000 hits (counting…)"));
    free(t);
    asked = 0;
    tui_app_set_key_waiting(app, key_always_waiting, &asked);
    tui_app_io(app); /* the count gives way too */
    assert_true(asked >= 1);
    assert_true(tui_app_pending(app, &fd, &ev, &ms));
    t = tf_frame_text(app, 100, 30);
    assert_non_null(strstr(t, "more than 1000 hits (counting…)"));
    free(t);
    tui_app_set_key_waiting(app, NULL, NULL);
    assert_true(tui_app_pending(app, &fd, &ev, &ms));
    tui_app_io(app);
    assert_false(tui_app_pending(app, &fd, &ev, &ms));
    t = tf_frame_text(app, 100, 30);
    assert_non_null(strstr(t, "1080 hit(s)"));
    free(t);
    /* 21 page turns: the hits 1050... (the second window) */
    for (int i = 0; i < 21; i++) {
        tf_key(app, TUI_KEY_END);
        tf_key(app, TUI_KEY_PGDN);
    }
    so.offset = 1050;
    assert_int_equal(core_search(repo, "NOT zzzzqqq", &so, &r), CORE_OK);
    tf_key(app, TUI_KEY_HOME);
    t = tf_frame_text(app, 100, 30);
    assert_non_null(strstr(t, r.hits[0].mms));
    free(t);
    core_results_free(&r);
    /* the last page holds the last 30 hits; PgDn there stays */
    tf_key(app, TUI_KEY_END);
    tf_key(app, TUI_KEY_PGDN);
    tf_key(app, TUI_KEY_HOME);
    tf_key(app, TUI_KEY_PGUP); /* 1000... */
    tf_key(app, TUI_KEY_PGUP); /* 950...: back across the window */
    so.offset = 950;
    assert_int_equal(core_search(repo, "NOT zzzzqqq", &so, &r), CORE_OK);
    t = tf_frame_text(app, 100, 30);
    assert_non_null(strstr(t, r.hits[0].mms));
    free(t);
    core_results_free(&r);
    tui_app_free(app);
}

static void
test_search(void **state)
{
    struct tui_app *app = tf_app(repo, MMS_PROGRAM);
    tf_key(app, TUI_MOD_ALT | '1');
    tf_type(app, "computer");
    tf_key(app, TUI_KEY_ENTER);
    tf_check_frame(app, 80, 24, "search-results");
    tf_key(app, TUI_KEY_DOWN);
    tf_key(app, TUI_KEY_DOWN);
    tf_key(app, 'v'); /* the third hit beside the record */
    tf_check_frame(app, 80, 24, "search-compare");
    tf_key(app, TUI_KEY_ESC);
    tf_key(app, TUI_KEY_ENTER); /* open the selected hit */
    assert_string_equal(tui_app_mms(app), MMS_IMAGES);
    tui_app_free(app);
}

/* ---- Notes and Versions ---- */

static void
test_notes(void **state)
{
    long id;
    assert_int_equal(core_note_add(repo, MMS_PROGRAM, "Check the imprint against the piece.", &id),
                     CORE_OK);
    tf_now += 300;
    struct tui_app *app = tf_app(repo, MMS_PROGRAM);
    tf_key(app, TUI_MOD_ALT | '5');
    tf_key(app, 'a');
    tf_type(app, "Second note, added with the keyboard.");
    tf_key(app, TUI_KEY_ENTER);
    tf_check_frame(app, 80, 24, "notes");
    struct core_note *notes;
    size_t n;
    assert_int_equal(core_note_list(repo, MMS_PROGRAM, &notes, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(notes[1].text, "Second note, added with the keyboard.");
    free(notes);
    tui_app_free(app);
}

static void
test_versions(void **state)
{
    struct tui_app *app = tf_app(repo, MMS_PROGRAM);
    goto_tag(app, "245", 0);
    tf_key(app, TUI_KEY_END);
    tf_type(app, " (revised)");
    tf_now += 600;
    tf_key(app, TUI_CTRL('s'));
    assert_int_equal(app->version, 2);
    tf_key(app, TUI_MOD_ALT | '7');
    tf_check_frame(app, 80, 24, "versions");
    tf_key(app, TUI_KEY_UP);
    tf_key(app, TUI_KEY_ENTER);
    tf_check_frame(app, 80, 24, "versions-diff");
    tf_key(app, TUI_KEY_ESC);
    tf_key(app, 'r');
    tf_key(app, 'y');
    assert_int_equal(app->version, 3);
    assert_string_equal(field_text(app, "245"), "245 10 $$aHow to program a computer");
    tui_app_free(app);
}

/* Typing and then deleting by hand (not undo) changes nothing: no version. */
static void
test_save_unchanged_writes_no_version(void **state)
{
    struct tui_app *app = tf_app(repo, MMS_PROGRAM);
    int before = app->version;
    goto_tag(app, "245", 0);
    tf_key(app, TUI_KEY_END);
    tf_type(app, "xy");
    tf_key(app, TUI_KEY_BACKSPACE);
    tf_key(app, TUI_KEY_BACKSPACE);
    tf_key(app, TUI_CTRL('s'));
    assert_int_equal(app->version, before);
    assert_non_null(strstr(app->message, "No changes to save"));
    struct core_version *v = NULL;
    size_t n = 0;
    assert_int_equal(core_versions_list(repo, MMS_PROGRAM, &v, &n), CORE_OK);
    assert_int_equal(n, (size_t)before);
    free(v);
    tui_app_free(app);
}

/* ---- Reminders ---- */

static void
add_reminders(void)
{
    struct core_reminder_fields a = {.text = "Withdraw when the 2nd edition arrives.",
                                     .due = "2026-02-15"};
    struct core_reminder_fields b = {.text = "Add a local note for the exhibition.",
                                     .due = "2026-03-02"};
    struct core_reminder_fields c = {.text = "Review the subject headings."};
    struct core_reminder_fields d = {.text = "Check the series statement.", .due = "2026-06-30"};
    assert_int_equal(core_reminder_add(repo, MMS_PROGRAM, &a, NULL), CORE_OK);
    assert_int_equal(core_reminder_add(repo, MMS_PROGRAM, &b, NULL), CORE_OK);
    assert_int_equal(core_reminder_add(repo, MMS_PROGRAM, &c, NULL), CORE_OK);
    assert_int_equal(core_reminder_add(repo, MMS_PROGRAM, &d, NULL), CORE_OK);
    assert_int_equal(core_reminder_code_add(repo, CORE_ZONE_IZ, CORE_REMINDER_TYPES, "WITHDRAW",
                                            "Withdraw", false, false),
                     CORE_OK);
    assert_int_equal(core_reminder_code_add(repo, CORE_ZONE_IZ, CORE_REMINDER_STATUSES, "DONE",
                                            "Done", false, true),
                     CORE_OK);
}

static void
test_reminders_list_and_filter(void **state)
{
    add_reminders();
    struct tui_app *app = tf_app(repo, MMS_PROGRAM);
    tf_key(app, TUI_MOD_ALT | '6');
    tf_check_frame(app, 80, 24, "reminders");
    tf_key(app, TUI_KEY_ENTER);
    tf_check_frame(app, 80, 24, "reminders-read");
    tf_key(app, TUI_KEY_ESC);
    tf_key(app, 'f');
    tf_type(app, "overdue");
    tf_key(app, TUI_KEY_ENTER);
    tf_check_frame(app, 80, 24, "reminders-filter");
    assert_true(tf_shows(app, "1 reminder: 1 overdue"));
    /* a bad filter word is refused with the reason, the filter stays */
    tf_key(app, 'f');
    tf_key(app, TUI_CTRL('u'));
    tf_type(app, "kind=x");
    tf_key(app, TUI_KEY_ENTER);
    assert_true(tf_shows(app, "'kind=x' is not understood"));
    assert_true(tf_shows(app, "Filter: overdue"));
    /* a bad date: the core's words */
    tf_key(app, 'f');
    tf_key(app, TUI_CTRL('u'));
    tf_type(app, "before=2026-02-30");
    tf_key(app, TUI_KEY_ENTER);
    assert_true(tf_shows(app, "2026-02-30"));
    assert_true(tf_shows(app, "Filter: overdue"));
    /* clearing it shows all four again */
    tf_key(app, 'f');
    tf_key(app, TUI_CTRL('u'));
    tf_key(app, TUI_KEY_ENTER);
    assert_true(tf_shows(app, "4 reminders: 1 overdue, 1 today"));
    tui_app_free(app);
}

static void
test_reminders_add_edit_delete(void **state)
{
    add_reminders();
    struct tui_app *app = tf_app(repo, MMS_PROGRAM);
    tf_key(app, TUI_MOD_ALT | '6');
    tf_key(app, 'a');
    tf_type(app, "Send to the bindery.");
    tf_key(app, TUI_KEY_ENTER);
    tf_type(app, "2026-13-01"); /* not a date: asked again with the reason */
    tf_key(app, TUI_KEY_ENTER);
    assert_true(tf_shows(app, "is not a date"));
    tf_key(app, TUI_CTRL('u'));
    tf_type(app, "2026-04-01");
    tf_key(app, TUI_KEY_ENTER);
    tf_check_frame(app, 80, 24, "reminders-add-type");
    tf_key(app, TUI_CTRL('u'));
    tf_type(app, "withdraw");
    tf_key(app, TUI_KEY_ENTER);
    tf_key(app, TUI_KEY_ENTER); /* status: the default NEW */
    struct core_reminder_filter f = {.mms = MMS_PROGRAM, .zone = -1};
    struct core_reminder *r;
    size_t n;
    assert_int_equal(core_reminder_list(repo, &f, &r, &n), CORE_OK);
    assert_int_equal(n, 5);
    bool found = false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(r[i].text, "Send to the bindery.") == 0) {
            assert_string_equal(r[i].due, "2026-04-01");
            assert_string_equal(r[i].type, "WITHDRAW");
            assert_string_equal(r[i].status, "NEW");
            assert_string_equal(r[i].author, "admin");
            found = true;
        }
    assert_true(found);
    free(r);
    tf_check_frame(app, 80, 24, "reminders-added");
    /* edit the selected (new) one: status DONE closes it */
    tf_key(app, 'e');
    tf_key(app, TUI_KEY_ENTER);
    tf_key(app, TUI_KEY_ENTER);
    tf_key(app, TUI_KEY_ENTER);
    tf_key(app, TUI_CTRL('u'));
    tf_type(app, "DONE");
    tf_key(app, TUI_KEY_ENTER);
    assert_true(tf_shows(app, "Reminder changed"));
    assert_true(tf_shows(app, "closed"));
    /* delete asks first; n keeps it, y removes it */
    tf_key(app, 'd');
    assert_true(tf_shows(app, "Delete the reminder \"Send to the bindery.\"?"));
    tf_key(app, 'n');
    assert_true(tf_shows(app, "5 reminders: 1 overdue, 1 today"));
    tf_key(app, 'd');
    tf_key(app, 'y');
    assert_true(tf_shows(app, "4 reminders: 1 overdue, 1 today"));
    tui_app_free(app);
}

static void
test_reminders_refusal(void **state)
{
    add_reminders();
    char *cause = NULL;
    struct core_repo *r2 = core_repo_open(tf_repo_dir, "jdoe", &cause);
    assert_non_null(r2);
    struct tui_app *app = tf_app(r2, MMS_PROGRAM);
    tf_key(app, TUI_MOD_ALT | '6');
    tf_key(app, 'd'); /* jdoe is not the author nor cataloger-extended */
    tf_key(app, 'y');
    tf_check_frame(app, 80, 24, "reminders-refused");
    assert_true(tf_shows(app, "4 reminders: 1 overdue, 1 today"));
    tui_app_free(app);
    core_repo_close(r2);
}

/* ---- other sizes ---- */

static void
test_large_and_small_screens(void **state)
{
    add_reminders();
    struct tui_app *app = tf_app(repo, MMS_PROGRAM);
    tf_key(app, TUI_MOD_ALT | '1');
    tf_type(app, "computer");
    tf_key(app, TUI_KEY_ENTER);
    tf_check_frame(app, 120, 40, "large-120x40");
    tf_key(app, TUI_MOD_ALT | '6');
    tf_check_frame(app, 60, 20, "small-60x20");
    tui_app_free(app);
}

int
main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    setenv("TZ", "UTC", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_pane, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_wrap_and_zoom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_view_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_help_palette_prompt_confirm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fixed_field_form, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_window, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_unchanged_writes_no_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reminders_list_and_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reminders_add_edit_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reminders_refusal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_and_small_screens, setup, teardown),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
