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

#define T0 1772443800 /* 2026-03-02 09:30:00 UTC */
static time_t test_now = T0;

time_t __wrap_core_now(void);
time_t
__wrap_core_now(void)
{
    return test_now;
}

static char dir[256];
static char repo_dir[300];
static struct core_repo *repo;

#define MMS_PROGRAM "991000000011234" /* "How to program a computer" */
#define MMS_PROGRAM2 "991000000021234" /* the same title, another record */

static int
import_mrk(const char *name, const char *text)
{
    char path[400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    if (!fp)
        return -1;
    fputs(text, fp);
    fclose(fp);
    struct core_import_opts o = {.permissive = true, .zone = CORE_ZONE_IZ};
    struct core_import_report rep;
    return core_import_file(repo, path, &o, &rep) == CORE_OK ? 0 : -1;
}

static int
setup(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/colophon-test-wf-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(repo_dir, sizeof repo_dir, "%s/repo", dir);
    char env[400];
    snprintf(env, sizeof env, "%s/state", dir);
    setenv("XDG_STATE_HOME", env, 1);
    snprintf(env, sizeof env, "%s/config", dir);
    setenv("XDG_CONFIG_HOME", env, 1);
    test_now = T0;
    char *cause = NULL;
    if (core_repo_init(repo_dir, "1234", NULL, "admin", &cause) != CORE_OK) {
        fprintf(stderr, "# init: %s\n", cause ? cause : "?");
        free(cause);
        return -1;
    }
    repo = core_repo_open(repo_dir, "admin", &cause);
    if (!repo) {
        fprintf(stderr, "# open: %s\n", cause ? cause : "?");
        free(cause);
        return -1;
    }
    char cmd[700];
    snprintf(cmd, sizeof cmd, "zcat '%s/marc21/sample-marc.gz' > '%s/loc.mrc'", LOC_EXAMPLES_DIR,
             dir);
    if (system(cmd) != 0)
        return -1;
    snprintf(cmd, sizeof cmd, "%s/loc.mrc", dir);
    struct core_import_opts o = {.permissive = true, .zone = CORE_ZONE_IZ};
    struct core_import_report rep;
    if (core_import_file(repo, cmd, &o, &rep) != CORE_OK || rep.bibs < 20)
        return -1;
    test_now += 60;
    return 0;
}

static int
teardown(void **state)
{
    core_repo_close(repo);
    repo = NULL;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static struct tui_app *
new_app(const char *mms)
{
    char keys[400];
    snprintf(keys, sizeof keys, "%s/no-keys-file", dir);
    struct tui_app_opts o = {.open_mms = mms, .no_color = true, .keys_file = keys};
    return tui_app_new(repo, &o);
}

static void
key(struct tui_app *app, int k)
{
    tui_app_key(app, k);
}

static void
type(struct tui_app *app, const char *s)
{
    while (*s)
        tui_app_key(app, (unsigned char)*s++);
}

/* Answer the prompt on screen with text (what was prefilled is replaced). */
static void
answer(struct tui_app *app, const char *text)
{
    assert_int_equal(app->modal, TUI_MODAL_PROMPT);
    tui_input_set(&app->modal_input, "");
    type(app, text);
    key(app, TUI_KEY_ENTER);
}

static char *
frame_text(struct tui_app *app, int w, int h)
{
    struct tui_frame f = {0};
    tui_app_render(app, &f, w, h);
    char *t = tui_frame_text(&f);
    struct marc_buf b = MARC_BUF_INIT;
    size_t dl = strlen(repo_dir);
    for (const char *p = t; *p;) {
        if (strncmp(p, repo_dir, dl) == 0) {
            marc_buf_puts(&b, "<repo>");
            p += dl;
        } else {
            marc_buf_putc(&b, *p++);
        }
    }
    marc_buf_printf(&b, "\n-- cursor %d,%d\n", f.cursor_x, f.cursor_y);
    free(t);
    tui_frame_free(&f);
    return marc_buf_steal(&b);
}

static void
check_frame(struct tui_app *app, const char *name)
{
    char *got = frame_text(app, 80, 24);
    char path[512];
    snprintf(path, sizeof path, "%s/%s.ref", TUI_REF_DIR, name);
    const char *upd = getenv("COLOPHON_UPDATE_REFS");
    if (upd && strcmp(upd, "1") == 0) {
        FILE *fp = fopen(path, "w");
        if (!fp)
            fail_msg("cannot write %s: %s", path, strerror(errno));
        fputs(got, fp);
        fclose(fp);
        free(got);
        return;
    }
    if (access(path, R_OK) != 0) {
        free(got);
        fail_msg("no reference %s (run with COLOPHON_UPDATE_REFS=1 to write it)", path);
    }
    char *want = test_read_file(path, NULL);
    if (strcmp(want, got) != 0) {
        fprintf(stderr, "# frame %s differs from %s; got:\n", name, path);
        for (const char *p = got; *p;) {
            const char *nl = strchr(p, '\n');
            int len = nl ? (int)(nl - p) : (int)strlen(p);
            fprintf(stderr, "#   |%.*s|\n", len, p);
            p += len + (nl ? 1 : 0);
        }
        free(want);
        free(got);
        fail_msg("frame %s differs (COLOPHON_UPDATE_REFS=1 rewrites the reference)", name);
    }
    free(want);
    free(got);
}

static bool
shows(struct tui_app *app, const char *text)
{
    char *t = frame_text(app, 80, 24);
    bool r = strstr(t, text) != NULL;
    free(t);
    return r;
}

/* ---- combining diacritics and CJK in the record pane ---- */

static void
test_combining_and_cjk(void **state)
{
    assert_int_equal(
        import_mrk("cjk.mrk",
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
    struct tui_app *app = new_app(res.hits[0].mms);
    core_results_free(&res);
    /* the marks stay with q and Z: the line keeps its width, "ahir" is not shifted */
    assert_true(shows(app, "$$a\xe7\xb4\x85\xe6\xa8\x93\xe5\xa4\xa2 /$$cYaq\xcc\x83ub "));
    check_frame(app, "wf-combining");
    tui_app_free(app);
}

/* ---- Search: compare and diff, sets and jobs ---- */

static void
test_search_compare_diff(void **state)
{
    struct tui_app *app = new_app(MMS_PROGRAM);
    key(app, TUI_MOD_ALT | '1');
    type(app, "title=\"how to program\"");
    key(app, TUI_KEY_ENTER);
    /* pick the other record of the same title */
    for (size_t i = 0; i < 4 && !shows(app, "Comparing: " MMS_PROGRAM2); i++) {
        key(app, 'v');
        if (!shows(app, "Comparing: " MMS_PROGRAM2)) {
            key(app, TUI_KEY_ESC);
            key(app, TUI_KEY_DOWN);
        }
    }
    assert_true(shows(app, "Comparing: " MMS_PROGRAM2));
    key(app, 'd');
    assert_int_equal(app->modal, TUI_MODAL_TEXT);
    check_frame(app, "wf-search-diff");
    tui_app_free(app);
}

static void
test_set_and_job(void **state)
{
    struct tui_app *app = new_app(NULL);
    key(app, TUI_MOD_ALT | '1');
    type(app, "title=\"how to program\"");
    key(app, TUI_KEY_ENTER);
    assert_true(shows(app, "S save set"));
    key(app, 'S');
    answer(app, "program");
    answer(app, "sometimes"); /* neither itemized nor logical */
    assert_true(shows(app, "Set not saved: the kind is itemized or logical"));
    key(app, 'S');
    answer(app, "program");
    assert_int_equal(app->modal, TUI_MODAL_PROMPT); /* the kind, prefilled */
    assert_string_equal(app->modal_input.text, "itemized");
    key(app, TUI_KEY_ENTER);
    struct core_set_info si;
    assert_int_equal(core_set_get(repo, "program", &si), CORE_OK);
    assert_false(si.logical);
    assert_int_equal(si.count, 2);
    key(app, TUI_MOD_ALT | 'J');
    assert_string_equal(app->modal_input.text, "program"); /* the newest set is offered */
    key(app, TUI_KEY_ENTER);
    answer(app, "add-reminders text=Check the imprint date=2026-04-01");
    assert_int_equal(app->modal, TUI_MODAL_TEXT);
    check_frame(app, "wf-job-report");
    struct core_reminder_filter f = {.mms = MMS_PROGRAM2, .zone = -1};
    struct core_reminder *rem;
    size_t n;
    assert_int_equal(core_reminder_list(repo, &f, &rem, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rem[0].text, "Check the imprint");
    assert_string_equal(rem[0].due, "2026-04-01");
    free(rem);
    /* a bad parameter is refused before anything runs */
    key(app, TUI_KEY_ESC);
    key(app, TUI_MOD_ALT | 'J');
    key(app, TUI_KEY_ENTER);
    answer(app, "add-reminders text=x due=2026-04-01");
    assert_true(shows(app, "Job not run:"));
    assert_int_equal(core_reminder_list(repo, &f, &rem, &n), CORE_OK);
    assert_int_equal(n, 1); /* no second reminder */
    free(rem);
    tui_app_free(app);
}

/* ---- Versions: a diff of any two ---- */

static void
test_versions_two(void **state)
{
    struct tui_app *app = new_app(MMS_PROGRAM);
    for (int k = 0; k < 2; k++) {
        size_t len;
        for (size_t i = 0; i < tui_editor_line_count(app->ed); i++)
            if (memcmp(tui_editor_line(app->ed, i, &len), "245", 3) == 0)
                tui_editor_set_cursor(app->ed, i, len);
        type(app, k ? " / 2nd ed." : " (revised)");
        test_now += 600;
        key(app, TUI_CTRL('s'));
    }
    assert_int_equal(app->version, 3);
    key(app, TUI_MOD_ALT | '7');
    key(app, TUI_KEY_HOME); /* v1 */
    key(app, ' ');
    assert_true(shows(app, "*v1"));
    key(app, TUI_KEY_DOWN); /* v2 */
    key(app, 'd');
    assert_int_equal(app->modal, TUI_MODAL_TEXT);
    assert_non_null(strstr(app->modal_title, "Version 1 -> version 2"));
    assert_non_null(strstr(app->modal_text, "(revised)"));
    assert_null(strstr(app->modal_text, "2nd ed."));
    check_frame(app, "wf-versions-two");
    key(app, TUI_KEY_ESC);
    key(app, ' '); /* unmark: d is against the current record again */
    key(app, 'd');
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

    struct tui_app *app = new_app(MMS_PROGRAM);
    key(app, TUI_MOD_ALT | '4');
    key(app, TUI_KEY_RIGHT); /* unfold */
    key(app, TUI_KEY_DOWN);  /* the first item */
    key(app, 'e');
    assert_string_equal(app->modal_input.text, "39000000000011");
    answer(app, "39000000000029"); /* the other item's */
    assert_true(shows(app, "Barcode 39000000000029 already belongs to item"));
    key(app, 'e');
    key(app, TUI_KEY_ENTER); /* the barcode stays */
    answer(app, "v.1 (rebound)");
    answer(app, "lost?");
    assert_true(shows(app, "Unknown status \"lost?\""));
    answer(app, "missing");
    check_frame(app, "wf-item-edit");
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
    struct tui_app *app = new_app(MMS_PROGRAM2);
    key(app, TUI_MOD_ALT | 'D');
    assert_int_equal(app->modal, TUI_MODAL_CONFIRM);
    key(app, 'n');
    struct core_record_info info;
    assert_int_equal(core_record_get(repo, MMS_PROGRAM2, NULL, &info), CORE_OK);
    assert_false(info.deleted);
    key(app, TUI_MOD_ALT | 'D');
    key(app, 'y');
    assert_int_equal(core_record_get(repo, MMS_PROGRAM2, NULL, &info), CORE_OK);
    assert_true(info.deleted);
    assert_true(app->view_only);
    check_frame(app, "wf-deleted");
    /* typing does nothing now, and the record cannot be opened for editing */
    type(app, "x");
    assert_true(shows(app, "View Only: " MMS_PROGRAM2 " is deleted"));
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
