/*
 * app.c - the editor application (see app.h): opening, editing, saving and
 * releasing the record in the left pane, drafts, validation marks, modals,
 * and building each frame.
 */
#include "app-int.h"

#include "draft.h"
#include "keys.h"
#include "view-record.h"

#include "buf.h"
#include "diff.h"
#include "lint.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TOUCH_EVERY 30 /* seconds between lock renewals while the user is active */

/* ---- construction ---- */

struct tui_app *
tui_app_new(struct core_repo *repo, const struct tui_app_opts *o)
{
    struct tui_app *app = xcalloc(1, sizeof *app);
    app->repo = repo;
    app->no_color = o && o->no_color;
    app->ed = tui_editor_new();
    app->built = marc_record_new();
    tui_editor_set_readonly(app->ed, true);
    for (int i = 0; i < TUI_NTABS && tui_tabs[i]; i++)
        app->tab_state[i] = tui_tabs[i]->create ? tui_tabs[i]->create(app) : NULL;
    tui_keys_load(app, o ? o->keys_file : NULL);
    if (o && o->open_mms)
        tui_app_open(app, o->open_mms);
    else
        tui_app_message(app, TUI_MSG_INFO,
                        "Welcome. C-o opens a record by MMS ID, C-f searches, F1 shows every key.");
    return app;
}

void
tui_app_free(struct tui_app *app)
{
    if (!app)
        return;
    for (int i = 0; i < TUI_NTABS && tui_tabs[i]; i++)
        if (tui_tabs[i]->destroy)
            tui_tabs[i]->destroy(app->tab_state[i]);
    tui_editor_free(app->ed);
    marc_record_free(app->built);
    free(app->marks);
    free(app->diags);
    free(app->modal_text);
    tui_fixed_free(app->fixed);
    tui_pick_free(app->pick);
    tui_keys_free(app);
    free(app);
}

bool
tui_app_done(const struct tui_app *app)
{
    return app->done;
}

struct core_repo *
tui_app_repo(struct tui_app *app)
{
    return app->repo;
}

const char *
tui_app_mms(const struct tui_app *app)
{
    return app->have_record ? app->mms : "";
}

int
tui_app_right_rows(const struct tui_app *app)
{
    return app->layout.right.h;
}

/* ---- messages ---- */

void
tui_app_message(struct tui_app *app, enum tui_msg_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(app->message, sizeof app->message, fmt, ap);
    va_end(ap);
    app->msg_kind = kind;
}

void
tui_app_core_error(struct tui_app *app, const char *what)
{
    tui_app_message(app, TUI_MSG_ERROR, "%s: %s", what, core_repo_errmsg(app->repo));
}

static void
notify_tabs(struct tui_app *app)
{
    for (int i = 0; i < TUI_NTABS && tui_tabs[i]; i++)
        if (tui_tabs[i]->record_changed)
            tui_tabs[i]->record_changed(app->tab_state[i], app);
}

/* ---- validation marks ---- */

static void
collect_diag(void *ctx, const struct marc_diag *d)
{
    struct tui_app *app = ctx;
    if (app->ndiags == app->capdiags) {
        app->capdiags = app->capdiags ? app->capdiags * 2 : 16;
        app->diags = xrealloc(app->diags, app->capdiags * sizeof *app->diags);
    }
    app->diags[app->ndiags++] = *d;
}

/* Editor line of a diagnostic: the leader is line 0, field k is line k+1. */
static long
diag_line(const struct tui_app *app, const struct marc_diag *d)
{
    if (!d->tag[0])
        return -1;
    if (strcmp(d->tag, "LDR") == 0)
        return 0;
    int occ = 0;
    for (size_t i = 0; i < marc_record_field_count(app->built); i++) {
        if (strcmp(marc_field_tag(marc_record_field(app->built, i)), d->tag) == 0 &&
            ++occ == (d->occurrence > 0 ? d->occurrence : 1))
            return (long)i + 1;
    }
    return -1;
}

void
tui_app_refresh_marks(struct tui_app *app)
{
    unsigned long gen = tui_editor_generation(app->ed);
    if (gen == app->marks_gen && app->marks)
        return;
    app->marks_gen = gen;
    size_t n = tui_editor_line_count(app->ed);
    free(app->marks);
    app->marks = xcalloc(n + 1, 1);
    app->nmarks = n;
    app->ndiags = 0;
    app->errors = app->warnings = 0;
    struct tui_line_error le;
    app->built_ok = tui_editor_record(app->ed, app->built, &le) == 0;
    for (size_t i = 0; i < n; i++)
        if (tui_editor_line_error(app->ed, i, NULL))
            app->marks[i] = TUI_MARK_ERROR;
    if (!app->built_ok)
        return;
    struct marc_decode_ctx ctx = {.record = 1, .offset = -1, .diag = collect_diag,
                                  .diag_ctx = app};
    marc_lint_record(app->built, &ctx);
    for (size_t k = 0; k < app->ndiags; k++) {
        const struct marc_diag *d = &app->diags[k];
        if (d->severity == MARC_SEV_ERROR)
            app->errors++;
        else if (d->severity == MARC_SEV_WARNING)
            app->warnings++;
        long line = diag_line(app, d);
        uint8_t m = d->severity == MARC_SEV_ERROR ? TUI_MARK_ERROR : TUI_MARK_WARNING;
        if (line >= 0 && (size_t)line < n && app->marks[line] < m)
            app->marks[line] = m;
    }
}

const struct marc_record *
tui_app_record(struct tui_app *app)
{
    if (!app->have_record)
        return NULL;
    tui_app_refresh_marks(app);
    return app->built_ok ? app->built : NULL;
}

/* ---- drafts ---- */

static void
write_draft(struct tui_app *app)
{
    if (!app->have_record || app->view_only || !app->draft_path[0])
        return;
    unsigned long gen = tui_editor_generation(app->ed);
    if (gen == app->saved_gen)
        return;
    app->saved_gen = gen;
    if (!tui_editor_modified(app->ed)) {
        tui_draft_remove(app->draft_path);
        return;
    }
    size_t n = tui_editor_line_count(app->ed);
    const char **lines = xmalloc((n ? n : 1) * sizeof *lines);
    size_t *lens = xmalloc((n ? n : 1) * sizeof *lens);
    for (size_t i = 0; i < n; i++)
        lines[i] = tui_editor_line(app->ed, i, &lens[i]);
    if (tui_draft_write(app->draft_path, app->version, lines, lens, n) != 0)
        tui_app_message(app, TUI_MSG_WARNING, "could not write the autosave draft %s",
                        app->draft_path);
    free(lines);
    free(lens);
}

void
tui_app_after_edit(struct tui_app *app)
{
    write_draft(app);
}

struct draft_offer {
    char **lines;
    size_t n;
    int base;
};

static void
restore_answer(struct tui_app *app, void *ctx, bool yes)
{
    struct draft_offer *o = ctx;
    if (yes) {
        tui_editor_load_lines(app->ed, o->lines, o->n);
        if (o->base != app->version)
            tui_app_message(app, TUI_MSG_WARNING,
                            "Draft restored; it was made on version %d and the record is now "
                            "version %d: saving will report the conflict",
                            o->base, app->version);
        else
            tui_app_message(app, TUI_MSG_INFO, "Draft restored (not saved yet)");
        app->version = o->base;
        app->saved_gen = 0;
        write_draft(app);
    } else {
        tui_draft_remove(app->draft_path);
        tui_app_message(app, TUI_MSG_INFO, "Draft discarded");
    }
    tui_draft_free_lines(o->lines, o->n);
    free(o);
}

static void
offer_draft(struct tui_app *app)
{
    struct tui_draft_info di;
    char **lines;
    size_t n;
    if (!app->draft_path[0] || !tui_draft_read(app->draft_path, &di, &lines, &n))
        return;
    char when[32];
    core_format_time(di.saved, when, sizeof when);
    if (app->view_only) {
        tui_app_message(app, TUI_MSG_WARNING,
                        "You have unsaved edits of %s from %s; they can be restored when you "
                        "can edit it",
                        app->mms, when);
        tui_draft_free_lines(lines, n);
        return;
    }
    struct draft_offer *o = xmalloc(sizeof *o);
    o->lines = lines;
    o->n = n;
    o->base = di.base_version;
    char q[256];
    snprintf(q, sizeof q, "Unsaved edits of %s from %s were kept. Restore them?", app->mms, when);
    tui_app_confirm(app, q, restore_answer, o);
}

/* ---- opening ---- */

static bool
do_open(struct tui_app *app, const char *mms)
{
    struct marc_record *r = marc_record_new();
    int version = 0;
    struct core_lock_info lock;
    memset(&lock, 0, sizeof lock);
    int rc = core_record_open(app->repo, mms, r, &version, &lock);
    bool view_only = rc == CORE_ERR_CONFLICT || rc == CORE_ERR_ROLE;
    if (rc != CORE_OK && !view_only) {
        tui_app_core_error(app, "Cannot open the record");
        marc_record_free(r);
        return false;
    }
    /* Leave the previous record: release its lock unless edits are pending. */
    if (app->have_record && !app->view_only && strcmp(app->mms, mms) != 0 &&
        !tui_editor_modified(app->ed))
        core_record_release(app->repo, app->mms);
    snprintf(app->view_only_why, sizeof app->view_only_why, "%s",
             view_only ? core_repo_errmsg(app->repo) : "");
    snprintf(app->mms, sizeof app->mms, "%s", mms);
    app->have_record = true;
    app->version = version;
    app->view_only = view_only;
    app->lock = lock;
    core_record_get(app->repo, mms, NULL, &app->info);
    tui_editor_load(app->ed, r);
    tui_editor_set_readonly(app->ed, view_only);
    app->rview.top = 0;
    app->marks_gen = 0;
    app->saved_gen = tui_editor_generation(app->ed);
    if (!tui_draft_path(core_repo_dir(app->repo), mms, app->draft_path, sizeof app->draft_path))
        app->draft_path[0] = '\0';
    marc_record_free(r);
    app->focus = TUI_FOCUS_LEFT;
    if (view_only)
        tui_app_message(app, TUI_MSG_WARNING, "%s", app->view_only_why);
    else
        tui_app_message(app, TUI_MSG_INFO, "Opened %s for editing (locked for you)", mms);
    offer_draft(app);
    notify_tabs(app);
    return true;
}

static void
open_answer(struct tui_app *app, void *ctx, bool yes)
{
    if (yes)
        do_open(app, app->pending_mms);
}

bool
tui_app_open(struct tui_app *app, const char *mms)
{
    if (app->have_record && tui_editor_modified(app->ed) && strcmp(mms, app->mms) != 0) {
        snprintf(app->pending_mms, sizeof app->pending_mms, "%s", mms);
        char q[256];
        snprintf(q, sizeof q,
                 "%s has unsaved changes (kept as a draft, its lock stays). Open %s anyway?",
                 app->mms, mms);
        tui_app_confirm(app, q, open_answer, NULL);
        return true;
    }
    return do_open(app, mms);
}

void
tui_app_reload(struct tui_app *app)
{
    if (!app->have_record)
        return;
    if (tui_editor_modified(app->ed)) {
        tui_app_message(app, TUI_MSG_WARNING,
                        "%s changed in the repository; your unsaved edits are kept (saving will "
                        "report the conflict)",
                        app->mms);
        return;
    }
    char mms[CORE_MMS_MAX];
    snprintf(mms, sizeof mms, "%s", app->mms);
    do_open(app, mms);
}

/* ---- saving and releasing ---- */

static void
show_validation(struct tui_app *app, const char *title)
{
    struct marc_buf b = MARC_BUF_INIT;
    for (size_t k = 0; k < app->ndiags; k++) {
        char *s = marc_diag_format(&app->diags[k], NULL);
        marc_buf_puts(&b, s);
        marc_buf_putc(&b, '\n');
        free(s);
    }
    tui_app_show_text(app, title, b.data ? b.data : "");
    marc_buf_free(&b);
}

static void
save_diag(void *ctx, const struct marc_diag *d)
{
    collect_diag(ctx, d);
}

/* Is the record in the editor the one stored?  An edit undone by hand
 * (not by undo) leaves the editor "modified"; saving it would write a
 * version that differs only in 005, as `colophon edit --file` does not. */
static bool
same_as_stored(struct tui_app *app)
{
    struct marc_record *stored = marc_record_new();
    bool same = core_record_get(app->repo, app->mms, stored, NULL) == CORE_OK &&
                marc_record_equal(stored, app->built);
    marc_record_free(stored);
    return same;
}

bool
tui_app_save(struct tui_app *app, bool release)
{
    if (!app->have_record) {
        tui_app_message(app, TUI_MSG_ERROR, "No record is open");
        return false;
    }
    if (app->view_only) {
        tui_app_message(app, TUI_MSG_ERROR, "View Only: %s", app->view_only_why);
        return false;
    }
    app->marks_gen = 0;
    tui_app_refresh_marks(app);
    if (!app->built_ok) {
        struct tui_line_error le;
        tui_editor_record(app->ed, app->built, &le);
        tui_editor_set_cursor(app->ed, le.line, le.col);
        tui_app_message(app, TUI_MSG_ERROR, "Not saved: line %zu: %s", le.line + 1, le.message);
        return false;
    }
    if (tui_editor_modified(app->ed) && same_as_stored(app))
        tui_editor_set_modified(app->ed, false); /* edited, then put back as it was */
    if (!tui_editor_modified(app->ed) && !release) {
        tui_app_message(app, TUI_MSG_INFO, "No changes to save");
        if (app->draft_path[0])
            tui_draft_remove(app->draft_path);
        app->saved_gen = tui_editor_generation(app->ed);
        return true;
    }
    struct marc_record *r = marc_record_clone(app->built);
    app->ndiags = 0;
    int newv = 0;
    int rc = tui_editor_modified(app->ed)
                 ? core_record_save(app->repo, app->mms, r, app->version, "edit", release,
                                    save_diag, app, &newv)
                 : core_record_release(app->repo, app->mms);
    if (rc == CORE_ERR_INVALID) {
        show_validation(app, "Not saved: validation errors (warnings do not block a save)");
        tui_app_core_error(app, "Not saved");
        marc_record_free(r);
        return false;
    }
    if (rc != CORE_OK) {
        tui_app_core_error(app, "Not saved (your edits are kept)");
        marc_record_free(r);
        return false;
    }
    bool saved = tui_editor_modified(app->ed);
    if (saved) {
        app->version = newv;
        tui_editor_load(app->ed, r); /* with the new 005 */
    }
    marc_record_free(r);
    if (app->draft_path[0])
        tui_draft_remove(app->draft_path);
    app->saved_gen = tui_editor_generation(app->ed);
    core_record_get(app->repo, app->mms, NULL, &app->info);
    if (release) {
        app->view_only = true;
        snprintf(app->view_only_why, sizeof app->view_only_why, "released; C-o %s to edit again",
                 app->mms);
        tui_editor_set_readonly(app->ed, true);
        memset(&app->lock, 0, sizeof app->lock);
    }
    if (saved)
        tui_app_message(app, TUI_MSG_INFO, "Saved %s as version %d%s%s", app->mms, app->version,
                        release ? " and released" : "",
                        app->warnings ? " (with warnings: M-v shows them)" : "");
    else
        tui_app_message(app, TUI_MSG_INFO, "Released %s", app->mms);
    notify_tabs(app);
    return true;
}

static void
release_answer(struct tui_app *app, void *ctx, bool yes)
{
    if (!yes)
        return;
    if (core_record_release(app->repo, app->mms) != CORE_OK) {
        tui_app_core_error(app, "Release");
        return;
    }
    if (app->draft_path[0])
        tui_draft_remove(app->draft_path);
    struct marc_record *r = marc_record_new();
    if (core_record_get(app->repo, app->mms, r, &app->info) == CORE_OK)
        tui_editor_load(app->ed, r);
    marc_record_free(r);
    app->view_only = true;
    snprintf(app->view_only_why, sizeof app->view_only_why, "released; C-o %s to edit again",
             app->mms);
    tui_editor_set_readonly(app->ed, true);
    app->saved_gen = tui_editor_generation(app->ed);
    memset(&app->lock, 0, sizeof app->lock);
    tui_app_message(app, TUI_MSG_INFO, "Released %s without saving", app->mms);
    notify_tabs(app);
}

void
tui_app_release(struct tui_app *app)
{
    if (!app->have_record || app->view_only) {
        tui_app_message(app, TUI_MSG_INFO, "You hold no lock to release");
        return;
    }
    if (tui_editor_modified(app->ed)) {
        tui_app_confirm(app, "Release without saving? Your changes will be lost.", release_answer,
                        NULL);
        return;
    }
    release_answer(app, NULL, true);
}

static void
quit_answer(struct tui_app *app, void *ctx, bool yes)
{
    if (yes)
        app->done = true; /* the draft stays: the next open offers it */
}

void
tui_app_quit(struct tui_app *app)
{
    if (app->have_record && tui_editor_modified(app->ed)) {
        tui_app_confirm(app, "Quit with unsaved changes? (They are kept as a draft.)", quit_answer,
                        NULL);
        return;
    }
    if (app->have_record && !app->view_only)
        core_record_release(app->repo, app->mms);
    app->done = true;
}

void
tui_app_tick(struct tui_app *app)
{
    (void)app;
}

#define PENDING_WAKE_MS 200 /* redraws while background work runs (its clock shows) */

bool
tui_app_pending(struct tui_app *app, int *fd, short *events, int *timeout_ms)
{
    *fd = -1;
    *events = 0;
    *timeout_ms = PENDING_WAKE_MS;
    for (int i = 0; i < TUI_NTABS && tui_tabs[i]; i++)
        if (tui_tabs[i]->pending && tui_tabs[i]->pending(app->tab_state[i], fd, events))
            return true;
    return false;
}

void
tui_app_set_key_waiting(struct tui_app *app, tui_app_key_waiting_fn fn, void *ctx)
{
    app->key_waiting_fn = fn;
    app->key_waiting_ctx = ctx;
}

bool
tui_app_key_waiting(struct tui_app *app)
{
    return app->key_waiting_fn && app->key_waiting_fn(app->key_waiting_ctx);
}

void
tui_app_io(struct tui_app *app)
{
    for (int i = 0; i < TUI_NTABS && tui_tabs[i]; i++)
        if (tui_tabs[i]->io)
            tui_tabs[i]->io(app->tab_state[i], app);
}

void
tui_app_hangup(struct tui_app *app)
{
    /* Everything on screen is in the draft already (written at every edit);
     * the lock stays in the repository and expires on its own. */
    write_draft(app);
}

/* ---- modals ---- */

void
tui_app_close_modal(struct tui_app *app)
{
    app->modal = TUI_MODAL_NONE;
    free(app->modal_text);
    app->modal_text = NULL;
    tui_pick_free(app->pick);
    app->pick = NULL;
}

void
tui_app_prompt(struct tui_app *app, const char *question, const char *initial, tui_prompt_fn done,
               void *ctx)
{
    app->modal = TUI_MODAL_PROMPT;
    snprintf(app->modal_title, sizeof app->modal_title, "%s", question);
    tui_input_set(&app->modal_input, initial);
    app->prompt_done = done;
    app->modal_ctx = ctx;
}

void
tui_app_confirm(struct tui_app *app, const char *question, tui_confirm_fn done, void *ctx)
{
    free(app->modal_text); /* a question alone, no body (dialog.c draws it) */
    app->modal_text = NULL;
    app->modal = TUI_MODAL_CONFIRM;
    snprintf(app->modal_title, sizeof app->modal_title, "%s", question);
    app->confirm_done = done;
    app->modal_ctx = ctx;
}

void
tui_app_show_text(struct tui_app *app, const char *title, const char *text)
{
    free(app->modal_text);
    app->modal = TUI_MODAL_TEXT;
    snprintf(app->modal_title, sizeof app->modal_title, "%s", title);
    app->modal_text = xstrdup(text ? text : "");
    app->modal_scroll = 0;
}

void
tui_app_show_tab(struct tui_app *app, const char *name)
{
    for (int i = 0; i < TUI_NTABS && tui_tabs[i]; i++)
        if (strcmp(tui_tabs[i]->name, name) == 0) {
            app->tab = i;
            app->focus = TUI_FOCUS_RIGHT;
            if (app->zoom == TUI_ZOOM_LEFT)
                app->zoom = TUI_ZOOM_NONE;
            if (tui_tabs[i]->shown)
                tui_tabs[i]->shown(app->tab_state[i], app);
            return;
        }
}

static int
text_lines(const char *t)
{
    int n = 1;
    for (; *t; t++)
        n += *t == '\n';
    return n;
}

static void
modal_key(struct tui_app *app, int key)
{
    switch (app->modal) {
    case TUI_MODAL_TEXT: {
        int page = app->h - 6;
        int max = text_lines(app->modal_text) - page;
        if (key == TUI_KEY_DOWN || key == TUI_CTRL('n'))
            app->modal_scroll++;
        else if (key == TUI_KEY_UP || key == TUI_CTRL('p'))
            app->modal_scroll--;
        else if (key == TUI_KEY_PGDN || key == ' ')
            app->modal_scroll += page;
        else if (key == TUI_KEY_PGUP)
            app->modal_scroll -= page;
        else if (key == TUI_KEY_HOME)
            app->modal_scroll = 0;
        else if (key == TUI_KEY_END)
            app->modal_scroll = max;
        else
            tui_app_close_modal(app);
        if (app->modal_scroll > max)
            app->modal_scroll = max;
        if (app->modal_scroll < 0)
            app->modal_scroll = 0;
        return;
    }
    case TUI_MODAL_PROMPT: {
        if (key == TUI_KEY_ESC || key == TUI_CTRL('g')) {
            tui_prompt_fn done = app->prompt_done;
            void *ctx = app->modal_ctx;
            tui_app_close_modal(app);
            if (done)
                done(app, ctx, NULL);
        } else if (key == TUI_KEY_ENTER) {
            char *text = xstrdup(app->modal_input.text);
            tui_prompt_fn done = app->prompt_done;
            void *ctx = app->modal_ctx;
            tui_app_close_modal(app);
            if (done)
                done(app, ctx, text);
            free(text);
        } else {
            tui_input_key(&app->modal_input, key);
        }
        return;
    }
    case TUI_MODAL_CONFIRM:
        tui_confirm_key(app, key);
        return;
    case TUI_MODAL_PICK:
        tui_pick_key(app, key);
        return;
    case TUI_MODAL_PALETTE:
        tui_palette_key(app, key);
        return;
    case TUI_MODAL_FIXED:
        tui_fixed_key(app, key);
        return;
    case TUI_MODAL_BIND:
        tui_keys_bind_macro(app, key);
        return;
    case TUI_MODAL_CODE:
        tui_app_close_modal(app);
        if (key == TUI_KEY_ESC)
            return;
        if (key < 0x80 && tui_editor_add_subfield(app->ed, (char)key))
            tui_app_after_edit(app);
        else
            tui_app_message(app, TUI_MSG_ERROR, "A subfield code is a letter or a digit");
        return;
    default:
        tui_app_close_modal(app);
        return;
    }
}

/* ---- keys ---- */

static bool
editor_key(struct tui_app *app, int key)
{
    struct tui_editor *ed = app->ed;
    bool edit = false, handled = true;
    switch (key) {
    case TUI_KEY_LEFT:
        tui_editor_left(ed);
        break;
    case TUI_KEY_RIGHT:
        tui_editor_right(ed);
        break;
    case TUI_KEY_UP:
        tui_editor_up(ed);
        break;
    case TUI_KEY_DOWN:
    case TUI_KEY_ENTER:
        tui_editor_down(ed);
        break;
    case TUI_KEY_HOME:
        tui_editor_home(ed);
        break;
    case TUI_KEY_END:
        tui_editor_end(ed);
        break;
    case TUI_KEY_PGUP:
        tui_editor_page(ed, -(app->layout.left.h - 1));
        break;
    case TUI_KEY_PGDN:
        tui_editor_page(ed, app->layout.left.h - 1);
        break;
    case TUI_KEY_C_LEFT:
        tui_editor_word_left(ed);
        break;
    case TUI_KEY_C_RIGHT:
        tui_editor_word_right(ed);
        break;
    case TUI_KEY_BACKSPACE:
        edit = tui_editor_backspace(ed);
        break;
    case TUI_KEY_DELETE:
        edit = tui_editor_delete(ed);
        break;
    default:
        if (tui_key_is_text(key)) {
            char u[8];
            int n = marc_utf8_encode((unsigned)key, u);
            edit = tui_editor_type(ed, u, (size_t)n);
            if (!edit && tui_editor_readonly(ed))
                tui_app_message(app, TUI_MSG_WARNING, "View Only: %s",
                                app->have_record ? app->view_only_why : "no record open (C-o)");
        } else {
            handled = false;
        }
    }
    if (edit)
        tui_app_after_edit(app);
    return handled;
}

static void
replay(struct tui_app *app, const int *keys, size_t n)
{
    if (app->replaying)
        return; /* a macro never plays a macro */
    app->replaying = true;
    for (size_t i = 0; i < n && !app->done; i++)
        tui_app_key(app, keys[i]);
    app->replaying = false;
}

void
tui_app_key(struct tui_app *app, int key)
{
    if (key == TUI_KEY_RESIZE)
        return;
    if (app->modal != TUI_MODAL_NONE) {
        modal_key(app, key);
        return;
    }
    if (app->message[0] && app->msg_kind == TUI_MSG_INFO)
        app->message[0] = '\0';
    /* Activity keeps the lock alive; an idle editor lets it expire (SPEC §2). */
    time_t now = time(NULL);
    if (app->have_record && !app->view_only && now - app->last_touch >= TOUCH_EVERY) {
        app->last_touch = now;
        if (core_record_touch(app->repo, app->mms) == CORE_ERR_CONFLICT) {
            app->view_only = true;
            snprintf(app->view_only_why, sizeof app->view_only_why,
                     "your lock on %s expired and someone else took it; your edits are in the "
                     "draft",
                     app->mms);
            tui_editor_set_readonly(app->ed, true);
            tui_app_message(app, TUI_MSG_ERROR, "%s", app->view_only_why);
        }
        core_record_lock_info(app->repo, app->mms, &app->lock);
    }
    /* Text typed in the right pane goes to its tab first (search boxes). */
    if (app->focus == TUI_FOCUS_RIGHT && tui_key_is_text(key)) {
        const struct tui_tab_ops *t = tui_tabs[app->tab];
        if (app->recording && app->nmacro_keys < TUI_MACRO_MAX)
            app->macro_keys[app->nmacro_keys++] = key;
        if (t->key && t->key(app->tab_state[app->tab], app, key))
            return;
        if (app->recording)
            app->nmacro_keys--;
    }
    const struct tui_binding *b = tui_keys_lookup(app, key);
    size_t ncmd;
    const struct tui_command *cmds = tui_command_table(&ncmd);
    bool text_here = app->focus == TUI_FOCUS_LEFT && tui_key_is_text(key);
    if (app->recording && !(b && b->command >= 0 && strcmp(cmds[b->command].name, "macro-record") == 0) &&
        app->nmacro_keys < TUI_MACRO_MAX)
        app->macro_keys[app->nmacro_keys++] = key;
    if (b && b->command >= 0 && !(text_here && cmds[b->command].text_context)) {
        cmds[b->command].run(app);
        return;
    }
    if (b && b->snippet && app->focus == TUI_FOCUS_LEFT) {
        if (tui_editor_type(app->ed, b->snippet, strlen(b->snippet)))
            tui_app_after_edit(app);
        return;
    }
    if (b && b->macro) {
        replay(app, b->macro, b->nmacro);
        return;
    }
    if (app->focus == TUI_FOCUS_RIGHT) {
        const struct tui_tab_ops *t = tui_tabs[app->tab];
        if (t->key && t->key(app->tab_state[app->tab], app, key))
            return;
        if (key == '?') {
            tui_command_run(app, "help");
            return;
        }
        if (key == TUI_KEY_ESC) {
            app->focus = TUI_FOCUS_LEFT;
            return;
        }
        return;
    }
    if (!editor_key(app, key) && key != TUI_KEY_ESC) {
        char name[32];
        tui_key_name(key, name, sizeof name);
        tui_app_message(app, TUI_MSG_INFO, "%s does nothing here (F1 lists the keys)", name);
    }
}

/* ---- drawing ---- */

static void
draw_title(struct tui_app *app, struct tui_frame *f)
{
    struct tui_rect r = app->layout.title;
    uint16_t a = TUI_A_REVERSE | TUI_COLOR(TUI_C_TITLE);
    tui_frame_fill(f, r.x, r.y, r.w, 1, " ", a);
    if (!app->have_record) {
        char buf[600];
        snprintf(buf, sizeof buf, " Colophon | %s | no record open", core_repo_dir(app->repo));
        tui_frame_puts(f, r.x, r.y, buf, r.w, a);
        return;
    }
    /* Right: ID, zone, version, lock state (always shown); left: the title in what is left. */
    char state[320];
    if (app->view_only) {
        if (app->lock.locked && strcmp(app->lock.user, core_repo_user(app->repo)) != 0) {
            char since[32];
            core_format_time(app->lock.since, since, sizeof since);
            snprintf(state, sizeof state, "View Only - %s %s since %s",
                     app->lock.assigned ? "assigned to" : "locked by", app->lock.user, since + 11);
        } else {
            snprintf(state, sizeof state, "View Only");
        }
    } else {
        char until[32] = "";
        if (app->lock.expires)
            core_format_time(app->lock.expires, until, sizeof until);
        snprintf(state, sizeof state, "Locked by you%s%s", until[0] ? " until " : "",
                 until[0] ? until + 11 : "");
    }
    char right[512];
    snprintf(right, sizeof right, " %s %s%s v%d %s ", app->mms, core_zone_name(app->info.zone),
             app->info.linked[0] ? "+linked" : "", app->version, state);
    int rw = tui_text_width(right, strlen(right));
    if (rw > r.w)
        rw = r.w;
    tui_frame_puts(f, r.x + r.w - rw, r.y, right, rw, a | TUI_A_BOLD);
    char left[400];
    snprintf(left, sizeof left, " %s%s", tui_editor_modified(app->ed) ? "[+] " : "",
             app->info.title[0] ? app->info.title : "(no title)");
    tui_frame_puts(f, r.x, r.y, left, r.w - rw - 1, a);
}

static void
draw_tabs(struct tui_app *app, struct tui_frame *f)
{
    struct tui_rect r = app->layout.tabs;
    if (r.w <= 0)
        return;
    int full = 0;
    for (int i = 0; i < TUI_NTABS && tui_tabs[i]; i++)
        full += (int)strlen(tui_tabs[i]->name) + 1;
    bool shortn = full > r.w;
    int x = r.x;
    for (int i = 0; i < TUI_NTABS && tui_tabs[i] && x < r.x + r.w; i++) {
        const char *name = shortn ? tui_tabs[i]->label : tui_tabs[i]->name;
        uint16_t a = i == app->tab ? TUI_A_REVERSE | TUI_A_BOLD | TUI_COLOR(TUI_C_SELECT)
                                   : TUI_A_UNDERLINE;
        x += tui_frame_puts(f, x, r.y, name, r.x + r.w - x, a);
        x += tui_frame_puts(f, x, r.y, " ", r.x + r.w - x, TUI_A_NONE);
    }
}

static void
draw_status(struct tui_app *app, struct tui_frame *f)
{
    struct tui_rect r = app->layout.status;
    if (app->message[0]) {
        uint16_t a = app->msg_kind == TUI_MSG_ERROR     ? TUI_A_BOLD | TUI_COLOR(TUI_C_ERROR)
                     : app->msg_kind == TUI_MSG_WARNING ? TUI_A_BOLD | TUI_COLOR(TUI_C_WARNING)
                                                        : TUI_A_NONE;
        tui_frame_puts(f, r.x, r.y, app->message, r.w, a);
        return;
    }
    char hints[512];
    if (app->recording)
        snprintf(hints, sizeof hints, "Recording a macro (%zu keys): C-r again to stop",
                 app->nmacro_keys);
    else if (app->focus == TUI_FOCUS_LEFT)
        snprintf(hints, sizeof hints,
                 "C-s Save  M-r Save+Release  M-R Release  F8 Field  F9 Subfield  Tab Pane  F1 "
                 "Keys  C-q Quit%s",
                 app->have_record && (app->errors || app->warnings) ? "  M-v Problems" : "");
    else
        snprintf(hints, sizeof hints,
                 "Enter Open  M-1..8 Tabs  Tab Record  Esc Back  F1 Keys  C-q Quit");
    tui_frame_puts(f, r.x, r.y, hints, r.w, TUI_A_DIM | TUI_COLOR(TUI_C_HINT));
}

static void
draw_modal(struct tui_app *app, struct tui_frame *f)
{
    switch (app->modal) {
    case TUI_MODAL_TEXT: {
        struct tui_rect b = tui_modal_box(app, app->w, app->h - 2);
        tui_draw_box(f, b, app->modal_title);
        const char *t = app->modal_text;
        for (int skip = app->modal_scroll; skip > 0 && *t; t++)
            if (*t == '\n')
                skip--;
        for (int y = 1; y < b.h - 2 && *t; y++) {
            const char *nl = strchr(t, '\n');
            size_t len = nl ? (size_t)(nl - t) : strlen(t);
            tui_frame_put(f, b.x + 2, b.y + y, t, len, b.w - 4, TUI_A_NONE);
            t += len + (nl ? 1 : 0);
        }
        tui_frame_puts(f, b.x + 2, b.y + b.h - 2, "Up/Down/PgUp/PgDn scroll, any other key closes",
                       b.w - 4, TUI_A_DIM);
        break;
    }
    case TUI_MODAL_PROMPT:
        tui_prompt_draw(app, f);
        break;
    case TUI_MODAL_CONFIRM:
        tui_confirm_draw(app, f);
        break;
    case TUI_MODAL_PICK:
        tui_pick_draw(app, f);
        break;
    case TUI_MODAL_PALETTE:
        tui_palette_draw(app, f);
        break;
    case TUI_MODAL_FIXED:
        tui_fixed_draw(app, f);
        break;
    case TUI_MODAL_CODE: {
        struct tui_rect b = tui_modal_box(app, 40, 3);
        tui_draw_box(f, b, "");
        tui_frame_puts(f, b.x + 2, b.y + 1, "Subfield code? (a-z, 0-9; Esc cancels)", b.w - 4,
                       TUI_A_BOLD);
        break;
    }
    case TUI_MODAL_BIND: {
        struct tui_rect b = tui_modal_box(app, 56, 3);
        tui_draw_box(f, b, "");
        tui_frame_puts(f, b.x + 2, b.y + 1, "Press the key to bind the macro to (Esc cancels)",
                       b.w - 4, TUI_A_BOLD);
        break;
    }
    default:
        break;
    }
}

void
tui_app_render(struct tui_app *app, struct tui_frame *f, int w, int h)
{
    if (f->w != w || f->h != h || !f->cells) {
        tui_frame_free(f);
        tui_frame_init(f, w, h);
    }
    tui_frame_clear(f, TUI_A_NONE);
    app->w = w;
    app->h = h;
    tui_layout_compute(w, h, app->zoom, &app->layout);
    draw_title(app, f);
    struct tui_rect lr = app->layout.left;
    if (lr.w > 0) {
        if (app->have_record) {
            tui_app_refresh_marks(app);
            tui_record_view_draw(&app->rview, app->ed, app->marks,
                                 app->focus == TUI_FOCUS_LEFT && app->modal == TUI_MODAL_NONE, f,
                                 lr);
        } else {
            tui_frame_puts(f, lr.x + 1, lr.y + 1, "No record open.", lr.w - 2, TUI_A_BOLD);
            tui_frame_puts(f, lr.x + 1, lr.y + 3, "C-o  open a record by MMS ID", lr.w - 2, 0);
            tui_frame_puts(f, lr.x + 1, lr.y + 4, "C-f  search the repository", lr.w - 2, 0);
            tui_frame_puts(f, lr.x + 1, lr.y + 5, "F1   every key", lr.w - 2, 0);
        }
    }
    struct tui_rect br = app->layout.border;
    for (int y = br.y; br.w > 0 && y < br.y + br.h; y++)
        tui_frame_puts(f, br.x, y, "\xe2\x94\x82", 1, TUI_A_DIM);
    draw_tabs(app, f);
    struct tui_rect rr = app->layout.right;
    if (rr.w > 0 && tui_tabs[app->tab]->draw)
        tui_tabs[app->tab]->draw(app->tab_state[app->tab], app, f, rr,
                                 app->focus == TUI_FOCUS_RIGHT && app->modal == TUI_MODAL_NONE);
    draw_status(app, f);
    draw_modal(app, f);
}
