/*
 * tab-notes.c - the Notes tab (SPEC §2 Note): the record's notes, newest
 * last, with add and delete.
 */
#include "app-int.h"

#include "list.h"

#include "buf.h"
#include "notes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct notes_tab {
    struct core_note *notes;
    size_t n;
    struct tui_list list;
    char mms[CORE_MMS_MAX];
};

static void *
notes_create(struct tui_app *app)
{
    return xcalloc(1, sizeof(struct notes_tab));
}

static void
notes_destroy(void *st)
{
    struct notes_tab *t = st;
    free(t->notes);
    free(t);
}

static void
load(struct notes_tab *t, struct tui_app *app)
{
    free(t->notes);
    t->notes = NULL;
    t->n = 0;
    snprintf(t->mms, sizeof t->mms, "%s", tui_app_mms(app));
    if (t->mms[0] && core_note_list(tui_app_repo(app), t->mms, &t->notes, &t->n) != CORE_OK)
        tui_app_core_error(app, "Notes");
    tui_list_reset(&t->list, t->n, 2);
}

static void
draw_note(void *ctx, size_t i, struct tui_frame *f, int x, int y, int w, bool selected)
{
    struct notes_tab *t = ctx;
    const struct core_note *n = &t->notes[i];
    char when[32], head[160];
    core_format_time(n->at, when, sizeof when);
    snprintf(head, sizeof head, "%s %s", when, n->author);
    uint16_t base = selected ? TUI_A_REVERSE : TUI_A_NONE;
    tui_frame_puts(f, x, y, head, w, base | TUI_A_DIM);
    tui_frame_puts(f, x, y + 1, n->text, w, base);
}

static void
notes_draw(void *st, struct tui_app *app, struct tui_frame *f, struct tui_rect r, bool focused)
{
    struct notes_tab *t = st;
    if (strcmp(t->mms, tui_app_mms(app)) != 0)
        load(t, app);
    if (!t->mms[0]) {
        tui_frame_puts(f, r.x, r.y, "Open a record to see its notes.", r.w, TUI_A_DIM);
        return;
    }
    char head[96];
    snprintf(head, sizeof head, "%zu note(s) on %s", t->n, t->mms);
    tui_frame_puts(f, r.x, r.y, head, r.w, TUI_A_BOLD);
    tui_list_draw(&t->list, f, (struct tui_rect){r.x, r.y + 1, r.w, r.h - 2}, focused, draw_note,
                  t);
    tui_frame_puts(f, r.x, r.y + r.h - 1, "a add  d delete  Enter read", r.w,
                   TUI_A_DIM | TUI_COLOR(TUI_C_HINT));
}

static void
add_done(struct tui_app *app, void *ctx, const char *text)
{
    struct notes_tab *t = ctx;
    if (!text || !*text)
        return;
    long id;
    if (core_note_add(tui_app_repo(app), t->mms, text, &id) != CORE_OK) {
        tui_app_core_error(app, "Add note");
        return;
    }
    load(t, app);
    t->list.sel = t->n ? t->n - 1 : 0;
    tui_app_message(app, TUI_MSG_INFO, "Note added");
}

static void
delete_answer(struct tui_app *app, void *ctx, bool yes)
{
    struct notes_tab *t = ctx;
    if (!yes)
        return;
    const struct core_note *n = &t->notes[t->list.sel];
    if (core_note_delete(tui_app_repo(app), n->zone, n->id) != CORE_OK) {
        tui_app_core_error(app, "Delete note");
        return;
    }
    load(t, app);
    tui_app_message(app, TUI_MSG_INFO, "Note deleted");
}

static bool
notes_key(void *st, struct tui_app *app, int key)
{
    struct notes_tab *t = st;
    if (!t->mms[0])
        return false;
    if (key == 'a') {
        tui_app_prompt(app, "New note:", "", add_done, t);
        return true;
    }
    if (!t->n)
        return false;
    if (tui_list_key(&t->list, key, tui_app_right_rows(app) - 2))
        return true;
    if (key == 'd') {
        tui_app_confirm(app, "Delete this note?", delete_answer, t);
        return true;
    }
    if (key == TUI_KEY_ENTER) {
        const struct core_note *n = &t->notes[t->list.sel];
        char title[128], when[32];
        core_format_time(n->at, when, sizeof when);
        snprintf(title, sizeof title, "Note by %s, %s", n->author, when);
        tui_app_show_text(app, title, n->text);
        return true;
    }
    return false;
}

static void
notes_changed(void *st, struct tui_app *app)
{
    load(st, app);
}

const struct tui_tab_ops tui_tab_notes = {
    .name = "Notes",
    .label = "Note",
    .create = notes_create,
    .destroy = notes_destroy,
    .draw = notes_draw,
    .key = notes_key,
    .record_changed = notes_changed,
};
