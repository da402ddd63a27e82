/*
 * test_workflows.c - the editor's workflows that close the gaps of the
 * issue 6 audit, driven headless (tui_app_key) on a temporary repository
 * holding the Library of Congress sample records, with 80x24 frames
 * compared with tests/tui/ref/wf-*.ref and the repository checked through
 * the core afterwards:
 *   - combining diacritics drawn in the cell of their base letter, CJK
 *     aligned;
 *   - Search: the diff of a compared hit against the record on the left;
 *     a search saved as a set (S) and a job run on it (M-J) with its report;
 *   - Versions: a diff of two versions (Space marks the first);
 *   - Holdings & items: an item's barcode, description and status changed (e);
 *   - delete-record (M-D): refused while the bib has holdings, done
 *     without, the record then shown View Only.
 *
 * The clock is fixed by wrapping core_now() (tests/tui/meson.build); TZ is
 * UTC; the repository's temporary path is shown as <repo>.
 * COLOPHON_UPDATE_REFS=1 rewrites the references (read them before
 * committing).
 */
#include "testutil.h"
#include "tui-fixture.h"

#include "app-int.h"
#include "import.h"
#include "job.h"
#include "keys.h"
#include "reminder.h"
#include "repo.h"
#include "set.h"

#include <errno.h>
#include <locale.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>

static struct core_repo *repo;

#define MMS_PROGRAM "991000000011234" /* "How to program a computer" */
#define MMS_PROGRAM2 "991000000021234" /* the same title, another record */

static int
setup(void **state)
{
    if (tf_scratch("wf") != 0 || !(repo = tf_loc_repo()))
        return -1;
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

/* ---- combining diacritics and CJK in the record pane ---- */

static void
test_combining_and_cjk(void **state)
{
    assert_int_equal(
        tf_import_mrk(repo, "cjk.mrk",
                   "=LDR  00000cam a2200000 a 4500\n"
                   "=008  200101s2020\\\\\\\\ch\\\\\\\\\\\\\\\\\\\\\\\\000\\0\\chi\\d\n"
                   "=245  10$a\xe7\xb4\x85\xe6\xa8\x93\xe5\xa4\xa2 /$cYaq\xcc\x83ub "
                   "Z\xcc\xa3\xcc\x8c"
                   "ahir.\n"),
        0);
    struct core_search_opts so = {.limit = 1};
    struct core_results res;
    assert_int_equal(core_search(repo, "yaqub", &so, &res), CORE_OK);
    assert_int_equal(res.n, 1);
    struct tui_app *app = tf_app(repo, res.hits[0].mms);
    core_results_free(&res);
    /* the marks stay with q and Z: the line keeps its width, "ahir" is not shifted */
    assert_true(tf_shows(app, "$$a\xe7\xb4\x85\xe6\xa8\x93\xe5\xa4\xa2 /$$cYaq\xcc\x83ub "));
    tf_check_frame(app, 80, 24, "wf-combining");
    tui_app_free(app);
}

/* ---- Search: compare and diff, sets and jobs ---- */

static void
test_search_compare_diff(void **state)
{
    struct tui_app *app = tf_app(repo, MMS_PROGRAM);
    tf_key(app, TUI_MOD_ALT | '1');
    tf_type(app, "title=\"how to program\"");
    tf_key(app, TUI_KEY_ENTER);
    /* pick the other record of the same title */
    for (size_t i = 0; i < 4 && !tf_shows(app, "Comparing: " MMS_PROGRAM2); i++) {
        tf_key(app, 'v');
        if (!tf_shows(app, "Comparing: " MMS_PROGRAM2)) {
            tf_key(app, TUI_KEY_ESC);
            tf_key(app, TUI_KEY_DOWN);
        }
    }
    assert_true(tf_shows(app, "Comparing: " MMS_PROGRAM2));
    tf_key(app, 'd');
    assert_int_equal(app->modal, TUI_MODAL_TEXT);
    tf_check_frame(app, 80, 24, "wf-search-diff");
    tui_app_free(app);
}

static void
test_set_and_job(void **state)
{
    struct tui_app *app = tf_app(repo, NULL);
    tf_key(app, TUI_MOD_ALT | '1');
    tf_type(app, "title=\"how to program\"");
    tf_key(app, TUI_KEY_ENTER);
    assert_true(tf_shows(app, "S save set"));
    tf_key(app, 'S');
    tf_answer(app, "program");
    tf_answer(app, "sometimes"); /* neither itemized nor logical */
    assert_true(tf_shows(app, "Set not saved: the kind is itemized or logical"));
    tf_key(app, 'S');
    tf_answer(app, "program");
    assert_int_equal(app->modal, TUI_MODAL_PROMPT); /* the kind, prefilled */
    assert_string_equal(app->modal_input.text, "itemized");
    tf_key(app, TUI_KEY_ENTER);
    struct core_set_info si;
    assert_int_equal(core_set_get(repo, "program", &si), CORE_OK);
    assert_false(si.logical);
    assert_int_equal(si.count, 2);
    tf_key(app, TUI_MOD_ALT | 'J');
    assert_string_equal(app->modal_input.text, "program"); /* the newest set is offered */
    tf_key(app, TUI_KEY_ENTER);
    tf_answer(app, "add-reminders text=Check the imprint date=2026-04-01");
    assert_int_equal(app->modal, TUI_MODAL_TEXT);
    tf_check_frame(app, 80, 24, "wf-job-report");
    struct core_reminder_filter f = {.mms = MMS_PROGRAM2, .zone = -1};
    struct core_reminder *rem;
    size_t n;
    assert_int_equal(core_reminder_list(repo, &f, &rem, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rem[0].text, "Check the imprint");
    assert_string_equal(rem[0].due, "2026-04-01");
    free(rem);
    /* a bad parameter is refused before anything runs */
    tf_key(app, TUI_KEY_ESC);
    tf_key(app, TUI_MOD_ALT | 'J');
    tf_key(app, TUI_KEY_ENTER);
    tf_answer(app, "add-reminders text=x due=2026-04-01");
    assert_true(tf_shows(app, "Job not run:"));
    assert_int_equal(core_reminder_list(repo, &f, &rem, &n), CORE_OK);
    assert_int_equal(n, 1); /* no second reminder */
    free(rem);
    tui_app_free(app);
}

/* ---- Versions: a diff of any two ---- */

static void
test_versions_two(void **state)
{
    struct tui_app *app = tf_app(repo, MMS_PROGRAM);
    for (int k = 0; k < 2; k++) {
        size_t len;
        for (size_t i = 0; i < tui_editor_line_count(app->ed); i++)
            if (memcmp(tui_editor_line(app->ed, i, &len), "245", 3) == 0)
                tui_editor_set_cursor(app->ed, i, len);
        tf_type(app, k ? " / 2nd ed." : " (revised)");
        tf_now += 600;
        tf_key(app, TUI_CTRL('s'));
    }
    assert_int_equal(app->version, 3);
    tf_key(app, TUI_MOD_ALT | '7');
    tf_key(app, TUI_KEY_HOME); /* v1 */
    tf_key(app, ' ');
    assert_true(tf_shows(app, "*v1"));
    tf_key(app, TUI_KEY_DOWN); /* v2 */
    tf_key(app, 'd');
    assert_int_equal(app->modal, TUI_MODAL_TEXT);
    assert_non_null(strstr(app->modal_title, "Version 1 -> version 2"));
    assert_non_null(strstr(app->modal_text, "(revised)"));
    assert_null(strstr(app->modal_text, "2nd ed."));
    tf_check_frame(app, 80, 24, "wf-versions-two");
    tf_key(app, TUI_KEY_ESC);
    tf_key(app, ' '); /* unmark: d is against the current record again */
    tf_key(app, 'd');
    assert_non_null(strstr(app->modal_title, "Version 2 -> current"));
    assert_non_null(strstr(app->modal_text, "2nd ed."));
    tui_app_free(app);
}

/* ---- Holdings & items: edit an item ---- */

static void
test_item_edit(void **state)
{
    struct marc_record *h = marc_record_new();
    marc_record_set_leader(h, "00000nx  a22000001n 4500", 24);
    marc_record_add_control(h, "008", "2603020u    8   4001uu   0260302", 32);
    long f = marc_record_add_data(h, "852", '0', ' ');
    marc_record_append_subfield(h, (size_t)f, 'b', "MAIN", 4);
    char hold[CORE_MMS_MAX], item[CORE_MMS_MAX], other[CORE_MMS_MAX];
    assert_int_equal(core_holdings_create(repo, MMS_PROGRAM, h, "create", NULL, NULL, hold), 0);
    marc_record_free(h);
    struct core_item_info it = {.status = CORE_ITEM_IN_PLACE};
    snprintf(it.barcode, sizeof it.barcode, "39000000000011");
    snprintf(it.description, sizeof it.description, "v.1");
    assert_int_equal(core_item_create(repo, hold, &it, item), 0);
    snprintf(it.barcode, sizeof it.barcode, "39000000000029");
    assert_int_equal(core_item_create(repo, hold, &it, other), 0);

    struct tui_app *app = tf_app(repo, MMS_PROGRAM);
    tf_key(app, TUI_MOD_ALT | '4');
    tf_key(app, TUI_KEY_RIGHT); /* unfold */
    tf_key(app, TUI_KEY_DOWN);  /* the first item */
    tf_key(app, 'e');
    assert_string_equal(app->modal_input.text, "39000000000011");
    tf_answer(app, "39000000000029"); /* the other item's */
    assert_true(tf_shows(app, "Barcode 39000000000029 already belongs to item"));
    tf_key(app, 'e');
    tf_key(app, TUI_KEY_ENTER); /* the barcode stays */
    tf_answer(app, "v.1 (rebound)");
    tf_answer(app, "lost?");
    assert_true(tf_shows(app, "Unknown status \"lost?\""));
    tf_answer(app, "missing");
    tf_check_frame(app, 80, 24, "wf-item-edit");
    struct core_item_info got;
    assert_int_equal(core_item_by_barcode(repo, "39000000000011", &got), 0);
    assert_string_equal(got.mms, item);
    assert_string_equal(got.description, "v.1 (rebound)");
    assert_int_equal(got.status, CORE_ITEM_MISSING);
    tui_app_free(app);
}

/* ---- delete-record ---- */

static void
test_delete_record(void **state)
{
    struct tui_app *app = tf_app(repo, MMS_PROGRAM2);
    tf_key(app, TUI_MOD_ALT | 'D');
    assert_int_equal(app->modal, TUI_MODAL_CONFIRM);
    tf_key(app, 'n');
    struct core_record_info info;
    assert_int_equal(core_record_get(repo, MMS_PROGRAM2, NULL, &info), CORE_OK);
    assert_false(info.deleted);
    tf_key(app, TUI_MOD_ALT | 'D');
    tf_key(app, 'y');
    assert_int_equal(core_record_get(repo, MMS_PROGRAM2, NULL, &info), CORE_OK);
    assert_true(info.deleted);
    assert_true(app->view_only);
    tf_check_frame(app, 80, 24, "wf-deleted");
    /* typing does nothing now, and the record cannot be opened for editing */
    tf_type(app, "x");
    assert_true(tf_shows(app, "View Only: " MMS_PROGRAM2 " is deleted"));
    tui_app_free(app);
}

int
main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    setenv("TZ", "UTC", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_combining_and_cjk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_compare_diff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_and_job, setup, teardown),
        cmocka_unit_test_setup_teardown(test_versions_two, setup, teardown),
        cmocka_unit_test_setup_teardown(test_item_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_record, setup, teardown),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
