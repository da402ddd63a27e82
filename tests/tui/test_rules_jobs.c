/*
 * test_rules_jobs.c - rules and jobs from the editor, and the pop-up boxes,
 * driven headless (tui_app_key) on a temporary repository holding the
 * Library of Congress sample records; frames compared with
 * tests/tui/ref/rj-*.ref and the repository checked through the core:
 *   - apply-rule (M-N): the pick list (normalization rules only), the diff
 *     before the question, n changes nothing, y makes an unsaved edit that
 *     C-z undoes and C-s saves; View Only refuses; a rule with nothing to
 *     do says so;
 *   - test-rule (M-T): a normalization rule's diff with nothing changed, an
 *     indication rule's verdict;
 *   - run-job (M-J): progress on the status line through the show hook,
 *     Esc stops the job between batches (resumable: it says so), `resume
 *     ID` finishes it;
 *   - boxes: a long yes/no question and a long prompt wrapped, boxes that
 *     would leave slivers of the panes take the whole width (80x24 and
 *     132x43).
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
#include "repo.h"
#include "rulestore.h"
#include "search.h"
#include "set.h"

#include <errno.h>
#include <locale.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>

static struct core_repo *repo;

#define MMS_PROGRAM "991000000011234"  /* "How to program a computer" */
#define MMS_PROGRAM2 "991000000021234" /* the same title, another record */
#define GENERATED 600                  /* records for the job: more than one batch */

static const char rule_note[] = "rule \"Checked note\"\n"
                                "when (exists \"245\" AND NOT exists \"910\")\n"
                                "then\n"
                                "addField \"910.a.Checked by rule\"\n"
                                "replaceContents \"040.a.DLC\" with \"DLC-R\"\n"
                                "end\n";
static const char rule_indication[] = "rule \"Has an LCCN\"\n"
                                      "when (exists \"010\")\n"
                                      "then set indication.\"true\"\n"
                                      "end\n";
static const char rule_merge[] = "rule \"Keep 500\"\n"
                                 "when merge\n"
                                 "then\n"
                                 "replace MARC.\"LDR\"\n"
                                 "end\n";

static int
setup(void **state)
{
    if (tf_scratch("rj") != 0 || !(repo = tf_loc_repo()))
        return -1;
    if (core_rule_save(repo, "Checked note", rule_note) != CORE_OK ||
        core_rule_save(repo, "Has an LCCN", rule_indication) != CORE_OK ||
        core_rule_save(repo, "Keep 500", rule_merge) != CORE_OK)
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

/* The editor's text holds a line starting with prefix. */
static bool
has_line(struct tui_app *app, const char *prefix)
{
    size_t len;
    for (size_t i = 0; i < tui_editor_line_count(app->ed); i++)
        if (strncmp(tui_editor_line(app->ed, i, &len), prefix, strlen(prefix)) == 0)
            return true;
    return false;
}

/* The stored record has a field with tag. */
static bool
stored_has(const char *mms, const char *tag)
{
    struct marc_record *r = marc_record_new();
    struct core_record_info info;
    assert_int_equal(core_record_get(repo, mms, r, &info), CORE_OK);
    bool found = false;
    for (size_t i = 0; i < marc_record_field_count(r); i++)
        if (strcmp(marc_field_tag(marc_record_field(r, i)), tag) == 0)
            found = true;
    marc_record_free(r);
    return found;
}

/* ---- apply-rule ---- */

static void
test_apply_rule(void **state)
{
    struct tui_app *app = tf_app(repo, MMS_PROGRAM);
    tf_key(app, TUI_MOD_ALT | 'N');
    assert_int_equal(app->modal, TUI_MODAL_PICK);
    /* normalization rules only: neither the indication nor the merge rule */
    assert_true(tf_shows(app, "Checked note"));
    assert_true(tf_shows(app, "Colophon serial no-overlay"));
    char *t = tf_frame_text(app, 80, 24);
    assert_null(strstr(t, "Keep 500"));
    assert_null(strstr(t, "Has an LCCN"));
    free(t);
    tf_check_frame(app, 80, 24, "rj-apply-pick");
    /* typing filters; Enter picks; the diff comes before the question */
    tf_type(app, "checked");
    tf_key(app, TUI_KEY_ENTER);
    assert_int_equal(app->modal, TUI_MODAL_CONFIRM);
    assert_non_null(strstr(app->modal_text, "Checked by rule"));
    assert_non_null(strstr(app->modal_text, "DLC-R"));
    tf_check_frame(app, 80, 24, "rj-apply-preview");
    tf_check_frame(app, 132, 43, "rj-apply-preview-132");
    tf_key(app, 'n');
    assert_false(tui_editor_modified(app->ed));
    assert_false(has_line(app, "910"));
    assert_true(tf_shows(app, "Rule Checked note not applied"));
    /* yes: an edit, not saved */
    tf_key(app, TUI_MOD_ALT | 'N');
    tf_type(app, "checked");
    tf_key(app, TUI_KEY_ENTER);
    tf_key(app, 'y');
    assert_true(tui_editor_modified(app->ed));
    assert_true(has_line(app, "910    $$aChecked by rule"));
    tf_check_frame(app, 80, 24, "rj-applied");
    assert_false(stored_has(MMS_PROGRAM, "910"));
    /* C-z undoes it whole, C-y brings it back, C-s saves it */
    tf_key(app, TUI_CTRL('z'));
    assert_false(has_line(app, "910"));
    tf_key(app, TUI_CTRL('y'));
    assert_true(has_line(app, "910    $$aChecked by rule"));
    tf_key(app, TUI_CTRL('s'));
    assert_int_equal(app->version, 2);
    assert_true(stored_has(MMS_PROGRAM, "910"));
    /* again: the condition no longer holds */
    tf_key(app, TUI_MOD_ALT | 'N');
    tf_type(app, "checked");
    tf_key(app, TUI_KEY_ENTER);
    assert_int_equal(app->modal, TUI_MODAL_NONE);
    assert_true(tf_shows(app, "Rule Checked note changes nothing in " MMS_PROGRAM));
    /* Esc in the list cancels */
    tf_key(app, TUI_MOD_ALT | 'N');
    tf_key(app, TUI_KEY_ESC);
    assert_int_equal(app->modal, TUI_MODAL_NONE);
    tui_app_free(app);
}

static void
test_apply_rule_view_only(void **state)
{
    /* someone else holds the record */
    assert_int_equal(core_user_add(repo, "bob", CORE_ROLE_CATALOGER, NULL), CORE_OK);
    char *cause = NULL;
    struct core_repo *bob = core_repo_open(tf_repo_dir, "bob", &cause);
    assert_non_null(bob);
    struct marc_record *r = marc_record_new();
    int v;
    struct core_lock_info li;
    assert_int_equal(core_record_open(bob, MMS_PROGRAM2, r, &v, &li), CORE_OK);
    marc_record_free(r);
    struct tui_app *app = tf_app(repo, MMS_PROGRAM2);
    assert_true(app->view_only);
    tf_key(app, TUI_MOD_ALT | 'N');
    assert_int_equal(app->modal, TUI_MODAL_NONE);
    assert_true(tf_shows(app, "View Only: no rule applied (M-T tests one"));
    /* the test works View Only: a diff, nothing changed */
    tf_key(app, TUI_MOD_ALT | 'T');
    assert_int_equal(app->modal, TUI_MODAL_PICK);
    assert_true(tf_shows(app, "Has an LCCN")); /* indication rules can be tested */
    tf_type(app, "checked");
    tf_key(app, TUI_KEY_ENTER);
    assert_int_equal(app->modal, TUI_MODAL_TEXT);
    assert_non_null(strstr(app->modal_title, "a test, nothing changed"));
    assert_non_null(strstr(app->modal_text, "Checked by rule"));
    tf_check_frame(app, 80, 24, "rj-test-diff");
    tf_key(app, TUI_KEY_ESC);
    assert_false(tui_editor_modified(app->ed));
    assert_false(has_line(app, "910"));
    /* an indication rule: its verdict */
    tf_key(app, TUI_MOD_ALT | 'T');
    tf_type(app, "lccn");
    tf_key(app, TUI_KEY_ENTER);
    assert_true(tf_shows(app, "Indication rule Has an LCCN is TRUE of " MMS_PROGRAM2));
    tui_app_free(app);
    core_record_release(bob, MMS_PROGRAM2);
    core_repo_close(bob);
}

/* ---- jobs: progress, stop, resume ---- */

struct hook {
    int calls;
    int stop_at;   /* return Esc at this call (0: never) */
    char *first;   /* the frame at the first call */
    char *stopping; /* the frame right after Esc */
};

static int
show_hook(void *ctx, struct tui_app *app)
{
    struct hook *h = ctx;
    h->calls++;
    if (h->calls == 1 && !h->first)
        h->first = tf_frame_text(app, 80, 24);
    if (h->stop_at && h->calls == h->stop_at + 1 && !h->stopping)
        h->stopping = tf_frame_text(app, 80, 24);
    return h->stop_at && h->calls == h->stop_at ? TUI_KEY_ESC : 0;
}

static void
make_big_set(void)
{
    char path[400];
    snprintf(path, sizeof path, "%s/gen.mrk", tf_dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    for (int i = 1; i <= GENERATED; i++)
        fprintf(fp,
                "=LDR  00000nam a2200000 a 4500\n=008  200101s2020\\\\\\\\xxu\\\\\\\\\\\\\\\\\\\\\\"
                "000\\0\\eng\\d\n=040  \\\\$aDLC\n=245  10$aGenerated record %d\n\n",
                i);
    fclose(fp);
    struct core_import_opts o = {.permissive = true, .zone = CORE_ZONE_IZ};
    struct core_import_report rep;
    assert_int_equal(core_import_file(repo, path, &o, &rep), CORE_OK);
    struct core_search_opts so = {.limit = GENERATED + 10};
    long n = 0;
    assert_int_equal(core_set_create_query(repo, "generated", "title=generated", &so, false, &n),
                     CORE_OK);
    assert_int_equal(n, GENERATED);
}

static void
test_job_progress_stop_resume(void **state)
{
    make_big_set();
    struct tui_app *app = tf_app(repo, NULL);
    struct hook h = {.stop_at = 1};
    tui_app_set_show(app, show_hook, &h);
    tf_key(app, TUI_MOD_ALT | 'J');
    assert_string_equal(app->modal_input.text, "generated");
    tf_key(app, TUI_KEY_ENTER);
    tf_check_frame(app, 80, 24, "rj-job-prompt"); /* the long prompt wraps */
    tf_answer(app, "normalize rule=Checked note");
    /* the first progress frame, then the one after Esc */
    assert_non_null(h.first);
    tf_check_text(h.first, "rj-job-progress");
    assert_non_null(h.stopping);
    assert_non_null(strstr(h.stopping, "stopping after record"));
    struct core_job_info ji;
    assert_int_equal(core_job_get(repo, 1, &ji), CORE_OK);
    assert_string_equal(ji.state, "interrupted");
    assert_true(ji.done > 0);
    assert_true(ji.done < GENERATED);
    assert_int_equal(app->modal, TUI_MODAL_TEXT); /* the report so far */
    assert_non_null(strstr(app->modal_title, "stopped at"));
    assert_non_null(strstr(app->modal_text, "pending"));
    assert_non_null(strstr(app->message, "Resumable: M-J, then resume 1"));
    tf_key(app, TUI_KEY_ESC);
    /* resume it to the end */
    free(h.first);
    free(h.stopping);
    memset(&h, 0, sizeof h);
    tf_key(app, TUI_MOD_ALT | 'J');
    tf_key(app, TUI_KEY_ENTER);
    tf_answer(app, "resume 1");
    assert_int_equal(core_job_get(repo, 1, &ji), CORE_OK);
    assert_string_equal(ji.state, "done");
    assert_int_equal(ji.done, GENERATED);
    assert_true(h.calls > 0);
    assert_non_null(strstr(app->message, "Job 1 done"));
    /* every generated record got its 910 exactly once */
    struct core_search_opts so = {.limit = 5};
    struct core_results res;
    assert_int_equal(core_search(repo, "title=\"generated record 600\"", &so, &res), CORE_OK);
    assert_true(res.n >= 1);
    assert_true(stored_has(res.hits[0].mms, "910"));
    core_results_free(&res);
    struct core_job_count *c;
    size_t nc;
    assert_int_equal(core_job_report(repo, 1, &c, &nc, NULL, NULL), CORE_OK);
    long total = 0;
    for (size_t i = 0; i < nc; i++) {
        assert_string_not_equal(c[i].outcome, "pending");
        assert_string_not_equal(c[i].outcome, "failed");
        total += c[i].n;
    }
    assert_int_equal(total, GENERATED);
    free(c);
    /* a finished job is not resumed again */
    tf_key(app, TUI_KEY_ESC);
    tf_key(app, TUI_MOD_ALT | 'J');
    tf_key(app, TUI_KEY_ENTER);
    tf_answer(app, "resume 1");
    assert_true(tf_shows(app, "Job not resumed: job 1 is complete"));
    free(h.first);
    free(h.stopping);
    tui_app_free(app);
}

/* ---- boxes ---- */

static void
test_long_question_wraps(void **state)
{
    struct tui_app *app = tf_app(repo, MMS_PROGRAM);
    tf_type(app, "x"); /* an unsaved change */
    tf_key(app, TUI_CTRL('o'));
    tf_answer(app, MMS_PROGRAM2);
    assert_int_equal(app->modal, TUI_MODAL_CONFIRM);
    /* the whole question, on two lines at 80 columns, on one at 132 */
    assert_true(tf_shows(app, "Open " MMS_PROGRAM2 " anyway?"));
    tf_check_frame(app, 80, 24, "rj-question-80");
    tf_check_frame(app, 132, 43, "rj-question-132");
    tf_key(app, 'n');
    /* a text box covers the panes' width whole, at either size */
    tf_key(app, TUI_KEY_F(1));
    assert_int_equal(app->modal, TUI_MODAL_TEXT);
    tf_check_frame(app, 132, 43, "rj-text-132");
    tui_app_free(app);
}

int
main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    setenv("TZ", "UTC", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_apply_rule, setup, teardown),
        cmocka_unit_test_setup_teardown(test_apply_rule_view_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_job_progress_stop_resume, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_question_wraps, setup, teardown),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
