/*
 * commands.c - every user action as a named command (name, keys, help,
 * function) in one table that drives both key dispatch and the help screen;
 * the user's key file; macros and snippets.
 *
 * Key file ($XDG_CONFIG_HOME/colophon/keys, one directive a line):
 *   bind KEY COMMAND        e.g.  bind C-t add-subfield
 *   unbind KEY
 *   snippet KEY TEXT        the key types TEXT in the record
 *   macro KEY KEY KEY ...   the key replays the keys (written by C-r)
 */
#include "app-int.h"
#include "tab-queue.h"

#include "assign.h"
#include "buf.h"
#include "keys.h"
#include "link.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* ---- command functions ---- */

static bool
need_record(struct tui_app *app)
{
    if (app->have_record)
        return true;
    tui_app_message(app, TUI_MSG_ERROR, "No record open (C-o opens one)");
    return false;
}

/* Run an editing call on the record pane and follow it with draft/marks. */
#define EDIT(call)                                                                                 \
    do {                                                                                           \
        if (!need_record(app))                                                                     \
            return;                                                                                \
        if (tui_editor_readonly(app->ed)) {                                                        \
            tui_app_message(app, TUI_MSG_WARNING, "View Only: %s", app->view_only_why);           \
            return;                                                                                \
        }                                                                                          \
        app->focus = TUI_FOCUS_LEFT;                                                               \
        if (call)                                                                                  \
            tui_app_after_edit(app);                                                               \
    } while (0)

static void
cmd_help(struct tui_app *app)
{
    char *t = tui_help_text(app);
    tui_app_show_text(app, "Keys (remap them in ~/.config/colophon/keys)", t);
    free(t);
}

static void
cmd_quit(struct tui_app *app)
{
    tui_app_quit(app);
}

static void
cmd_save(struct tui_app *app)
{
    tui_app_save(app, false);
}

static void
cmd_save_release(struct tui_app *app)
{
    tui_app_save(app, true);
}

static void
cmd_release(struct tui_app *app)
{
    tui_app_release(app);
}

static void
open_done(struct tui_app *app, void *ctx, const char *text)
{
    if (!text)
        return;
    while (*text == ' ')
        text++;
    char mms[CORE_MMS_MAX];
    snprintf(mms, sizeof mms, "%.*s", (int)strcspn(text, " "), text);
    if (mms[0])
        tui_app_open(app, mms);
}

static void
cmd_open(struct tui_app *app)
{
    tui_app_prompt(app, "Open the record with MMS ID:", "", open_done, NULL);
}

static void
cmd_search(struct tui_app *app)
{
    tui_app_show_tab(app, "Search");
}

static void
cmd_pane(struct tui_app *app)
{
    app->focus = app->focus == TUI_FOCUS_LEFT ? TUI_FOCUS_RIGHT : TUI_FOCUS_LEFT;
    if (app->zoom == TUI_ZOOM_LEFT && app->focus == TUI_FOCUS_RIGHT)
        app->zoom = TUI_ZOOM_RIGHT;
    else if (app->zoom == TUI_ZOOM_RIGHT && app->focus == TUI_FOCUS_LEFT)
        app->zoom = TUI_ZOOM_LEFT;
}

static void
cmd_zoom(struct tui_app *app)
{
    if (app->zoom != TUI_ZOOM_NONE)
        app->zoom = TUI_ZOOM_NONE;
    else
        app->zoom = app->focus == TUI_FOCUS_LEFT ? TUI_ZOOM_LEFT : TUI_ZOOM_RIGHT;
}

static void
cmd_palette(struct tui_app *app)
{
    app->modal = TUI_MODAL_PALETTE;
    tui_input_clear(&app->modal_input);
    app->palette_sel = 0;
}

static void cmd_add_field(struct tui_app *app) { EDIT(tui_editor_add_field(app->ed)); }
static void cmd_delete_field(struct tui_app *app) { EDIT(tui_editor_delete_field(app->ed)); }
static void cmd_duplicate_field(struct tui_app *app) { EDIT(tui_editor_duplicate_field(app->ed)); }
static void cmd_move_up(struct tui_app *app) { EDIT(tui_editor_move_field(app->ed, -1)); }
static void cmd_move_down(struct tui_app *app) { EDIT(tui_editor_move_field(app->ed, 1)); }
static void cmd_delete_subfield(struct tui_app *app) { EDIT(tui_editor_delete_subfield(app->ed)); }
static void cmd_undo(struct tui_app *app) { EDIT(tui_editor_undo(app->ed)); }
static void cmd_redo(struct tui_app *app) { EDIT(tui_editor_redo(app->ed)); }

static void
cmd_add_subfield(struct tui_app *app)
{
    if (!need_record(app))
        return;
    if (tui_editor_readonly(app->ed)) {
        tui_app_message(app, TUI_MSG_WARNING, "View Only: %s", app->view_only_why);
        return;
    }
    app->focus = TUI_FOCUS_LEFT;
    app->modal = TUI_MODAL_CODE;
}

static void
cmd_next_subfield(struct tui_app *app)
{
    if (need_record(app))
        tui_editor_next_subfield(app->ed);
}

static void
cmd_prev_subfield(struct tui_app *app)
{
    if (need_record(app))
        tui_editor_prev_subfield(app->ed);
}

static void
cmd_word_left(struct tui_app *app)
{
    if (need_record(app))
        tui_editor_word_left(app->ed);
}

static void
cmd_word_right(struct tui_app *app)
{
    if (need_record(app))
        tui_editor_word_right(app->ed);
}

static void
cmd_fixed(struct tui_app *app)
{
    if (need_record(app))
        tui_fixed_open(app);
}

static void
cmd_problems(struct tui_app *app)
{
    if (!need_record(app))
        return;
    app->marks_gen = 0;
    tui_app_refresh_marks(app);
    struct marc_buf b = MARC_BUF_INIT;
    struct tui_line_error le;
    for (size_t i = 0; i < tui_editor_line_count(app->ed); i++)
        if (tui_editor_line_error(app->ed, i, &le))
            marc_buf_printf(&b, "line %zu, column %zu: error: %s\n", i + 1, le.col + 1,
                            le.message);
    for (size_t k = 0; k < app->ndiags; k++) {
        char *s = marc_diag_format(&app->diags[k], NULL);
        marc_buf_printf(&b, "%s\n", s);
        free(s);
    }
    int line_errors = 0;
    for (size_t i = 0; i < tui_editor_line_count(app->ed); i++)
        line_errors += tui_editor_line_error(app->ed, i, NULL);
    if (!b.len)
        marc_buf_puts(&b, "No problems: the record passes validation.\n");
    char title[128];
    snprintf(title, sizeof title, "Validation: %d error(s), %d warning(s)",
             app->errors + line_errors, app->warnings);
    tui_app_show_text(app, title, b.data);
    marc_buf_free(&b);
}

static void
cmd_macro(struct tui_app *app)
{
    if (!app->recording) {
        app->recording = true;
        app->nmacro_keys = 0;
        tui_app_message(app, TUI_MSG_INFO, "Recording a macro: type the keys, then C-r again");
        return;
    }
    app->recording = false;
    if (app->nmacro_keys == 0) {
        tui_app_message(app, TUI_MSG_INFO, "Empty macro: nothing recorded");
        return;
    }
    app->modal = TUI_MODAL_BIND;
}

static void
show_tab(struct tui_app *app, const char *name)
{
    for (int i = 0; i < TUI_NTABS && tui_tabs[i]; i++)
        if (strcmp(tui_tabs[i]->name, name) == 0) {
            tui_app_show_tab(app, name);
            return;
        }
    tui_app_message(app, TUI_MSG_ERROR, "There is no %s tab", name);
}

static void cmd_tab1(struct tui_app *app) { show_tab(app, "Search"); }
static void cmd_tab2(struct tui_app *app) { show_tab(app, "External"); }
static void cmd_tab3(struct tui_app *app) { show_tab(app, "Relink"); }
static void cmd_tab4(struct tui_app *app) { show_tab(app, "Holdings"); }
static void cmd_tab5(struct tui_app *app) { show_tab(app, "Notes"); }
static void cmd_tab6(struct tui_app *app) { show_tab(app, "Reminders"); }
static void cmd_tab7(struct tui_app *app) { show_tab(app, "Versions"); }
static void cmd_tab8(struct tui_app *app) { show_tab(app, "Queue"); }

/* ---- assignment and the network zone (SPEC §2 Assignment, §3.4) ---- */

/* The record on the left is a bib without unsaved edits (a workflow that
 * rewrites it or its lock must not race the cataloger's own edits). */
static bool
need_saved_bib(struct tui_app *app, const char *what)
{
    if (!need_record(app))
        return false;
    if (app->info.type != CORE_MMS_BIB) {
        tui_app_message(app, TUI_MSG_ERROR, "%s works on bibliographic records; %s is a %s record",
                        what, app->mms, core_mms_type_name(app->info.type));
        return false;
    }
    if (tui_editor_modified(app->ed)) {
        tui_app_message(app, TUI_MSG_ERROR, "%s: save (C-s) or release your edits of %s first",
                        what, app->mms);
        return false;
    }
    return true;
}

/* Read the record on the left again after a workflow changed it or its lock. */
static void
after_workflow(struct tui_app *app, const char *mms)
{
    if (strcmp(app->mms, mms) != 0)
        return;
    if (tui_editor_modified(app->ed))
        core_record_lock_info(app->repo, app->mms, &app->lock);
    else
        tui_app_reload(app);
}

static void
trim_into(const char *text, char *out, size_t size)
{
    while (*text == ' ')
        text++;
    size_t n = strlen(text);
    while (n && text[n - 1] == ' ')
        n--;
    snprintf(out, size, "%.*s", (int)n, text);
}

struct assign_ctx {
    char mms[CORE_MMS_MAX];
    char user[64];
};

static void
assign_note_done(struct tui_app *app, void *ctx, const char *text)
{
    struct assign_ctx *a = ctx;
    char warning[512] = "";
    if (!text) {
        tui_app_message(app, TUI_MSG_INFO, "Not assigned");
    } else if (core_assign(app->repo, a->mms, a->user, text, warning, sizeof warning) != CORE_OK) {
        tui_app_core_error(app, "Not assigned");
    } else {
        after_workflow(app, a->mms);
        if (warning[0])
            tui_app_message(app, TUI_MSG_WARNING, "Assigned %s to %s, but: %s", a->mms, a->user,
                            warning);
        else
            tui_app_message(app, TUI_MSG_INFO, "Assigned %s to %s (locked for %s, in their queue)",
                            a->mms, a->user, a->user);
    }
    free(a);
}

static void
assign_user_done(struct tui_app *app, void *ctx, const char *text)
{
    struct assign_ctx *a = ctx;
    if (text)
        trim_into(text, a->user, sizeof a->user);
    if (!text || !a->user[0]) {
        tui_app_message(app, TUI_MSG_INFO, "Not assigned%s", text ? ": no user name given" : "");
        free(a);
        return;
    }
    char q[160];
    snprintf(q, sizeof q, "Note for %s (optional):", a->user);
    tui_app_prompt(app, q, "", assign_note_done, a);
}

/* "alice, bob" : the users a record can be assigned to (catalogers but me). */
static void
assignees(struct tui_app *app, char *out, size_t size)
{
    struct core_user *u = NULL;
    size_t n = 0;
    out[0] = '\0';
    if (core_user_list(app->repo, &u, &n) != CORE_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        if (!(u[i].roles & (CORE_ROLE_CATALOGER | CORE_ROLE_CATALOGER_EXTENDED)) ||
            strcmp(u[i].name, core_repo_user(app->repo)) == 0)
            continue;
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%s%s", len ? ", " : "", u[i].name);
    }
    free(u);
}

static void
cmd_assign(struct tui_app *app)
{
    if (!need_saved_bib(app, "Assign"))
        return;
    struct assign_ctx *a = xcalloc(1, sizeof *a);
    snprintf(a->mms, sizeof a->mms, "%s", app->mms);
    char who[160], q[256];
    assignees(app, who, sizeof who);
    snprintf(q, sizeof q, "Assign %s to (%s):", app->mms, who[0] ? who : "a user name");
    tui_app_prompt(app, q, "", assign_user_done, a);
}

static void
release_assignment_done(struct tui_app *app, void *ctx, const char *text)
{
    if (!text)
        return;
    if (core_assign_release(app->repo, app->mms, text) != CORE_OK) {
        tui_app_core_error(app, "Assignment not released");
        return;
    }
    char mms[CORE_MMS_MAX];
    snprintf(mms, sizeof mms, "%s", app->mms);
    after_workflow(app, mms);
    tui_app_message(app, TUI_MSG_INFO, "Released the assignment of %s%s", mms,
                    *text ? " (the note is kept in its notes)" : "");
}

static void
cmd_release_assignment(struct tui_app *app)
{
    if (!need_record(app))
        return;
    struct core_assignment a;
    if (core_assign_get(app->repo, app->mms, &a) != CORE_OK) {
        tui_app_core_error(app, "Release assignment");
        return;
    }
    char q[256];
    snprintf(q, sizeof q, "Release assignment of %s (to %s). Note, optional:", app->mms,
             a.assignee);
    tui_app_prompt(app, q, "", release_assignment_done, NULL);
}

/* Share with Network, link and unlink act on an IZ bib. */
static bool
need_iz_bib(struct tui_app *app, const char *what)
{
    if (!need_saved_bib(app, what))
        return false;
    if (app->info.zone != CORE_ZONE_IZ) {
        tui_app_message(app, TUI_MSG_ERROR,
                        "%s acts on institution zone bibs; %s is in the %s", what, app->mms,
                        core_zone_name(app->info.zone));
        return false;
    }
    return true;
}

static void
cmd_share(struct tui_app *app)
{
    if (!need_iz_bib(app, "Share with Network"))
        return;
    if (app->info.linked[0]) {
        tui_app_message(app, TUI_MSG_INFO,
                        "%s is already linked to network record %s (M-U unlinks it)", app->mms,
                        app->info.linked);
        return;
    }
    tui_queue_share(app, app->mms);
}

static void
link_done(struct tui_app *app, void *ctx, const char *text)
{
    char nz[CORE_MMS_MAX];
    if (!text)
        return;
    trim_into(text, nz, sizeof nz);
    if (!nz[0])
        return;
    struct core_link_result res;
    if (core_link_to(app->repo, app->mms, nz, &res) != CORE_OK) {
        tui_app_core_error(app, "Not linked");
        return;
    }
    char mms[CORE_MMS_MAX];
    snprintf(mms, sizeof mms, "%s", app->mms);
    after_workflow(app, mms);
    tui_app_message(app, TUI_MSG_INFO, "Linked %s to %s (the content before is version %d)", mms,
                    nz, res.kept_version);
}

static void
cmd_link(struct tui_app *app)
{
    if (!need_iz_bib(app, "Link"))
        return;
    char q[160];
    snprintf(q, sizeof q, "Link %s to the network record with MMS ID:", app->mms);
    tui_app_prompt(app, q, "", link_done, NULL);
}

static void
unlink_answer(struct tui_app *app, void *ctx, bool yes)
{
    if (!yes)
        return;
    struct core_link_result res;
    if (core_unlink(app->repo, app->mms, &res) != CORE_OK) {
        tui_app_core_error(app, "Not unlinked");
        return;
    }
    char mms[CORE_MMS_MAX];
    snprintf(mms, sizeof mms, "%s", app->mms);
    after_workflow(app, mms);
    tui_app_message(app, TUI_MSG_INFO, "Unlinked %s: a full local record again (version %d)", mms,
                    res.version);
}

static void
cmd_unlink(struct tui_app *app)
{
    if (!need_iz_bib(app, "Unlink"))
        return;
    if (!app->info.linked[0]) {
        tui_app_message(app, TUI_MSG_INFO, "%s is not linked to the network zone", app->mms);
        return;
    }
    char q[200];
    snprintf(q, sizeof q, "Unlink %s from network record %s? (a new version)", app->mms,
             app->info.linked);
    tui_app_confirm(app, q, unlink_answer, NULL);
}

/* ---- delete (SPEC §3.7) ---- */

static void
delete_answer(struct tui_app *app, void *ctx, bool yes)
{
    if (!yes)
        return;
    char mms[CORE_MMS_MAX];
    snprintf(mms, sizeof mms, "%s", app->mms);
    if (core_record_delete(app->repo, mms) != CORE_OK) {
        tui_app_core_error(app, "Not deleted");
        return;
    }
    /* a deleted record stays readable: the pane shows it View Only, unlocked */
    if (!app->view_only)
        tui_app_release(app);
    core_record_get(app->repo, mms, NULL, &app->info);
    snprintf(app->view_only_why, sizeof app->view_only_why, "%s is deleted", mms);
    tui_app_message(app, TUI_MSG_INFO,
                    "Deleted %s: its versions are kept and its MMS ID is never reused", mms);
}

static void
cmd_delete_record(struct tui_app *app)
{
    if (!need_saved_bib(app, "Delete"))
        return;
    if (app->info.deleted) {
        tui_app_message(app, TUI_MSG_INFO, "%s is deleted already", app->mms);
        return;
    }
    char q[200];
    snprintf(q, sizeof q, "Delete bib %s \"%.30s\"?", app->mms,
             app->info.title);
    tui_app_confirm(app, q, delete_answer, NULL);
}

/* sets and jobs: jobs.c; rules: rules.c */

static const struct tui_command commands[] = {
    {"help", "F1 ?", "show every key and command", cmd_help, true},
    {"quit", "C-q", "quit (asks when there are unsaved changes)", cmd_quit, false},
    {"save", "C-s", "save the record (keeps the lock)", cmd_save, false},
    {"save-release", "M-r M-C-r", "save and release the record (Alma: Ctrl+Alt+R)",
     cmd_save_release, false},
    {"release", "M-R", "release the record without saving (Alma: Alt+Shift+R)", cmd_release,
     false},
    {"open", "C-o", "open a record by MMS ID", cmd_open, false},
    {"search", "C-f /", "search the repository", cmd_search, true},
    {"pane", "Tab", "switch between the record and the right pane", cmd_pane, false},
    {"zoom", "F10 M-z", "zoom the focused pane to full width (again: back)", cmd_zoom, false},
    {"palette", "C-p :", "find any command by name", cmd_palette, true},
    {"add-field", "F8 M-a", "add a field below the cursor", cmd_add_field, false},
    {"delete-field", "C-k", "delete the field under the cursor", cmd_delete_field, false},
    {"duplicate-field", "C-d", "duplicate the field under the cursor", cmd_duplicate_field,
     false},
    {"move-field-up", "M-Up M-k", "move the field up", cmd_move_up, false},
    {"move-field-down", "M-Down M-j", "move the field down", cmd_move_down, false},
    {"add-subfield", "F9 M-s", "add a subfield at the cursor (then type its code)",
     cmd_add_subfield, false},
    {"delete-subfield", "M-x", "delete the subfield under the cursor", cmd_delete_subfield,
     false},
    {"next-subfield", "M-Right M-n", "go to the next subfield", cmd_next_subfield, false},
    {"prev-subfield", "M-Left M-p", "go to the previous subfield", cmd_prev_subfield, false},
    {"word-left", "C-Left M-b", "go one word left", cmd_word_left, false},
    {"word-right", "C-Right M-f", "go one word right", cmd_word_right, false},
    {"undo", "C-z", "undo the last edit", cmd_undo, false},
    {"redo", "C-y", "redo", cmd_redo, false},
    {"fixed-field", "F2 M-e", "fixed-field form for LDR/006/007/008 with labelled positions",
     cmd_fixed, false},
    {"problems", "M-v", "explain the validation errors and warnings", cmd_problems, false},
    {"macro-record", "C-r", "record a macro (again: stop, then press the key to bind)",
     cmd_macro, false},
    {"tab-search", "M-1", "Search tab", cmd_tab1, false},
    {"tab-external", "M-2", "External tab (Z39.50 / SRU, Copy & Merge)", cmd_tab2, false},
    {"tab-relink", "M-3", "Relink tab", cmd_tab3, false},
    {"tab-holdings", "M-4", "Holdings & items tab", cmd_tab4, false},
    {"tab-notes", "M-5", "Notes tab", cmd_tab5, false},
    {"tab-reminders", "M-6", "Reminders tab", cmd_tab6, false},
    {"tab-versions", "M-7", "Versions tab", cmd_tab7, false},
    {"tab-queue", "M-8", "Queue tab (assigned records, due reminders, link multi-matches)",
     cmd_tab8, false},
    {"assign", "M-g", "assign the record to another cataloger with a note (locked for them)",
     cmd_assign, false},
    {"release-assignment", "M-G",
     "release the record's assignment (the assignee; the assigner once they released it)",
     cmd_release_assignment, false},
    {"share-with-network", "M-l",
     "Share with Network: pick a network zone match and link, or contribute the record", cmd_share,
     false},
    {"link", "M-C-l", "link the record to the network zone record with a given MMS ID", cmd_link,
     false},
    {"unlink", "M-U", "unlink the record from the network zone (a full local record again)",
     cmd_unlink, false},
    {"run-job", "M-J",
     "run a job (link-to-nz, add-reminders, normalize, delete, export) on a set, or resume one; "
     "progress on the bottom line, Esc stops it (resumable), then its report",
     tui_cmd_run_job, false},
    {"apply-rule", "M-N",
     "apply a normalization rule to the record: see the diff, then y makes it an edit (C-z "
     "undoes; saved only when you save)",
     tui_cmd_apply_rule, false},
    {"test-rule", "M-T",
     "test a normalization rule (the diff) or an indication rule (true/false) on the record; "
     "changes nothing",
     tui_cmd_test_rule, false},
    {"delete-record", "M-D",
     "delete the bib (cataloger-extended; not while it has holdings, is linked or locked)",
     cmd_delete_record, false},
};

const struct tui_command *
tui_command_table(size_t *n)
{
    *n = sizeof commands / sizeof *commands;
    return commands;
}

bool
tui_command_run(struct tui_app *app, const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(commands[i].name, name) == 0) {
            commands[i].run(app);
            return true;
        }
    return false;
}

/* ---- bindings ---- */

static int
command_index(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(commands[i].name, name) == 0)
            return (int)i;
    return -1;
}

static void
unbind(struct tui_app *app, int key)
{
    for (size_t i = 0; i < app->nbindings;) {
        if (app->bindings[i].key == key) {
            free(app->bindings[i].snippet);
            free(app->bindings[i].macro);
            memmove(&app->bindings[i], &app->bindings[i + 1],
                    (app->nbindings - i - 1) * sizeof *app->bindings);
            app->nbindings--;
        } else {
            i++;
        }
    }
}

static struct tui_binding *
add_binding(struct tui_app *app, int key)
{
    unbind(app, key);
    app->bindings = xrealloc(app->bindings, (app->nbindings + 1) * sizeof *app->bindings);
    struct tui_binding *b = &app->bindings[app->nbindings++];
    memset(b, 0, sizeof *b);
    b->key = key;
    b->command = -1;
    return b;
}

static char *
keys_path(const char *given)
{
    if (given)
        return xstrdup(given);
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg == '/')
        return xasprintf("%s/colophon/keys", xdg);
    if (home && *home)
        return xasprintf("%s/.config/colophon/keys", home);
    return NULL;
}

static char *keys_file; /* where macros are saved */

static bool
load_line(struct tui_app *app, char *line)
{
    char *save = NULL;
    char *verb = strtok_r(line, " \t", &save);
    if (!verb || verb[0] == '#')
        return true;
    char *kname = strtok_r(NULL, " \t", &save);
    int key = kname ? tui_key_parse(kname) : 0;
    if (!key)
        return false;
    if (strcmp(verb, "unbind") == 0) {
        unbind(app, key);
        return true;
    }
    if (strcmp(verb, "bind") == 0) {
        char *cmd = strtok_r(NULL, " \t", &save);
        int ci = cmd ? command_index(cmd) : -1;
        if (ci < 0)
            return false;
        add_binding(app, key)->command = ci;
        return true;
    }
    if (strcmp(verb, "snippet") == 0) {
        char *rest = save ? save + strspn(save, " \t") : NULL;
        if (!rest || !*rest)
            return false;
        add_binding(app, key)->snippet = xstrdup(rest);
        return true;
    }
    if (strcmp(verb, "macro") == 0) {
        struct tui_binding *b = add_binding(app, key);
        for (char *k = strtok_r(NULL, " \t", &save); k; k = strtok_r(NULL, " \t", &save)) {
            int mk = tui_key_parse(k);
            if (!mk)
                return false;
            b->macro = xrealloc(b->macro, (b->nmacro + 1) * sizeof *b->macro);
            b->macro[b->nmacro++] = mk;
        }
        return b->nmacro > 0;
    }
    return false;
}

void
tui_keys_load(struct tui_app *app, const char *path)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        char keys[64];
        snprintf(keys, sizeof keys, "%s", commands[i].keys);
        char *save = NULL;
        for (char *k = strtok_r(keys, " ", &save); k; k = strtok_r(NULL, " ", &save)) {
            int key = tui_key_parse(k);
            if (key)
                add_binding(app, key)->command = (int)i;
        }
    }
    free(keys_file);
    keys_file = keys_path(path);
    FILE *fp = keys_file ? fopen(keys_file, "r") : NULL;
    if (!fp)
        return;
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, fp)) {
        n++;
        line[strcspn(line, "\r\n")] = '\0';
        char copy[1024];
        snprintf(copy, sizeof copy, "%s", line);
        if (!load_line(app, copy))
            tui_app_message(app, TUI_MSG_WARNING, "%s line %d not understood: %s", keys_file, n,
                            line);
    }
    fclose(fp);
}

void
tui_keys_free(struct tui_app *app)
{
    for (size_t i = 0; i < app->nbindings; i++) {
        free(app->bindings[i].snippet);
        free(app->bindings[i].macro);
    }
    free(app->bindings);
    app->bindings = NULL;
    app->nbindings = 0;
}

void
tui_keys_bind_macro(struct tui_app *app, int key)
{
    /* The key pressed now gets the macro just recorded. */
    app->modal = TUI_MODAL_NONE;
    if (key == TUI_KEY_ESC) {
        tui_app_message(app, TUI_MSG_INFO, "Macro discarded");
        return;
    }
    struct tui_binding *b = add_binding(app, key);
    b->macro = xmalloc(app->nmacro_keys * sizeof *b->macro);
    memcpy(b->macro, app->macro_keys, app->nmacro_keys * sizeof *b->macro);
    b->nmacro = app->nmacro_keys;
    char name[32];
    tui_key_name(key, name, sizeof name);
    FILE *fp = keys_file ? fopen(keys_file, "a") : NULL;
    if (!fp && keys_file) { /* the folder may not exist yet */
        char *dir = xstrdup(keys_file);
        char *slash = strrchr(dir, '/');
        if (slash) {
            *slash = '\0';
            mkdir(dir, 0700);
        }
        free(dir);
        fp = fopen(keys_file, "a");
    }
    if (fp) {
        fprintf(fp, "macro %s", name);
        for (size_t i = 0; i < b->nmacro; i++) {
            char kn[32];
            tui_key_name(b->macro[i], kn, sizeof kn);
            fprintf(fp, " %s", kn);
        }
        fputc('\n', fp);
        fclose(fp);
    }
    tui_app_message(app, TUI_MSG_INFO, "Macro of %zu keys bound to %s%s", b->nmacro, name,
                    fp ? " (saved in the key file)" : "");
}

const struct tui_binding *
tui_keys_lookup(struct tui_app *app, int key)
{
    for (size_t i = app->nbindings; i-- > 0;)
        if (app->bindings[i].key == key)
            return &app->bindings[i];
    return NULL;
}

void
tui_keys_for(struct tui_app *app, int command, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < app->nbindings; i++) {
        if (app->bindings[i].command != command)
            continue;
        char name[32];
        tui_key_name(app->bindings[i].key, name, sizeof name);
        size_t n = strlen(out);
        snprintf(out + n, size - n, "%s%s", n ? ", " : "", name);
    }
}
