/*
 * tab-search.c - the Search tab: a query line, the zone and scope, and the
 * brief result lines of SPEC §3.2.  Enter on a hit opens it in the record
 * pane; v shows it here, beside the record being edited, for comparison.
 */
#include "app-int.h"

#include "list.h"

#include "buf.h"
#include "search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 50

struct search_tab {
    struct tui_input query;
    bool in_list;             /* focus on the results, not the query */
    enum core_zone zone;
    bool physical;
    struct core_results res;
    long total;
    size_t offset;            /* of the first hit shown */
    bool searched;
    struct tui_list list;
    /* comparison view of one hit */
    bool viewing;
    struct tui_editor *view;
    struct tui_record_view vstate;
    char view_mms[CORE_MMS_MAX];
};

static void *
search_create(struct tui_app *app)
{
    struct search_tab *t = xcalloc(1, sizeof *t);
    t->view = tui_editor_new();
    tui_editor_set_readonly(t->view, true);
    return t;
}

static void
search_destroy(void *st)
{
    struct search_tab *t = st;
    core_results_free(&t->res);
    tui_editor_free(t->view);
    free(t);
}

static void
run_search(struct search_tab *t, struct tui_app *app, size_t offset)
{
    if (!t->query.len) {
        tui_app_message(app, TUI_MSG_INFO, "Type a query (F1 in the Search tab: examples)");
        return;
    }
    struct core_search_opts so = {.zone = t->zone, .physical = t->physical, .limit = PAGE,
                                  .offset = offset, .count = true};
    struct core_results res;
    if (core_search(tui_app_repo(app), t->query.text, &so, &res) != CORE_OK) {
        tui_app_core_error(app, "Search");
        return;
    }
    core_results_free(&t->res);
    t->res = res;
    t->total = res.total;
    t->offset = offset;
    t->searched = true;
    t->list.sel = 0;
    t->list.top = 0;
    tui_list_reset(&t->list, res.n, 2);
    t->in_list = res.n > 0;
    if (res.n == 0)
        tui_app_message(app, TUI_MSG_INFO, "No hits for %s in the %s%s", t->query.text,
                        core_zone_name(t->zone), t->physical ? " (Physical titles)" : "");
}

static void
draw_hit(void *ctx, size_t i, struct tui_frame *f, int x, int y, int w, bool selected)
{
    struct search_tab *t = ctx;
    const struct core_brief *b = &t->res.hits[i];
    uint16_t base = selected ? TUI_A_REVERSE : TUI_A_NONE;
    tui_frame_puts(f, x, y, b->title[0] ? b->title : "(no title)", w, base | TUI_A_BOLD);
    char line[512];
    char badge[160] = "";
    if (b->lock_user[0])
        snprintf(badge, sizeof badge, " [locked %s]", b->lock_user);
    if (b->assignee[0])
        snprintf(badge + strlen(badge), sizeof badge - strlen(badge), " [assigned %s]",
                 b->assignee);
    snprintf(line, sizeof line, " %s %s %s %s%s h%d i%d%s %s", b->mms, b->date[0] ? b->date : "----",
             core_zone_name(b->zone), b->linked[0] ? "linked " : "", "", b->holdings, b->items,
             badge, b->author);
    tui_frame_puts(f, x, y + 1, line, w, base | TUI_A_DIM);
}

static void
show_view(struct search_tab *t, struct tui_app *app)
{
    const struct core_brief *b = &t->res.hits[t->list.sel];
    struct marc_record *r = marc_record_new();
    if (core_record_get(tui_app_repo(app), b->mms, r, NULL) != CORE_OK) {
        tui_app_core_error(app, "Cannot show the record");
    } else {
        tui_editor_load(t->view, r);
        tui_editor_set_readonly(t->view, true);
        snprintf(t->view_mms, sizeof t->view_mms, "%s", b->mms);
        t->vstate.top = 0;
        t->viewing = true;
    }
    marc_record_free(r);
}

static void
search_draw(void *st, struct tui_app *app, struct tui_frame *f, struct tui_rect r, bool focused)
{
    struct search_tab *t = st;
    if (t->viewing) {
        char head[128];
        snprintf(head, sizeof head, "Comparing: %s (Esc back to the hits)", t->view_mms);
        tui_frame_puts(f, r.x, r.y, head, r.w, TUI_A_BOLD);
        tui_record_view_draw(&t->vstate, t->view, NULL, false, f,
                             (struct tui_rect){r.x, r.y + 1, r.w, r.h - 1});
        return;
    }
    char label[64];
    snprintf(label, sizeof label, "%s%s> ", core_zone_name(t->zone), t->physical ? " phys" : "");
    tui_input_draw(&t->query, label, focused && !t->in_list, f,
                   (struct tui_rect){r.x, r.y, r.w, 1});
    char info[160];
    if (t->searched)
        snprintf(info, sizeof info, "%ld hit(s)%s", t->total,
                 t->total > (long)PAGE ? "; PgDn/PgUp at the ends turn pages" : "");
    else
        snprintf(info, sizeof info, "e.g. title=\"war and peace\"  isbn=0306406152  tolstoy");
    tui_frame_puts(f, r.x, r.y + 1, info, r.w, TUI_A_DIM);
    struct tui_rect lr = {r.x, r.y + 2, r.w, r.h - 3};
    tui_list_draw(&t->list, f, lr, focused && t->in_list, draw_hit, t);
    tui_frame_puts(f, r.x, r.y + r.h - 1,
                   "Enter search/open  v compare  F3 zone  F4 scope  Down hits", r.w,
                   TUI_A_DIM | TUI_COLOR(TUI_C_HINT));
}

static bool
search_key(void *st, struct tui_app *app, int key)
{
    struct search_tab *t = st;
    if (t->viewing) {
        if (key == TUI_KEY_ESC || key == 'v' || key == 'q') {
            t->viewing = false;
            return true;
        }
        if (key == TUI_KEY_DOWN)
            tui_editor_down(t->view);
        else if (key == TUI_KEY_UP)
            tui_editor_up(t->view);
        else if (key == TUI_KEY_PGDN)
            tui_editor_page(t->view, tui_app_right_rows(app) - 2);
        else if (key == TUI_KEY_PGUP)
            tui_editor_page(t->view, -(tui_app_right_rows(app) - 2));
        else if (key == TUI_KEY_ENTER)
            tui_app_open(app, t->view_mms);
        else
            return false;
        return true;
    }
    if (key == TUI_KEY_F(3)) {
        do {
            t->zone = (enum core_zone)((t->zone + 1) % CORE_NZONES);
        } while (!core_repo_has_zone(tui_app_repo(app), t->zone));
        if (t->searched)
            run_search(t, app, 0);
        return true;
    }
    if (key == TUI_KEY_F(4)) {
        t->physical = !t->physical;
        if (t->searched)
            run_search(t, app, 0);
        return true;
    }
    if (!t->in_list) {
        if (key == TUI_KEY_ENTER) {
            run_search(t, app, 0);
            return true;
        }
        if (key == TUI_KEY_DOWN && t->list.count) {
            t->in_list = true;
            return true;
        }
        return tui_input_key(&t->query, key);
    }
    if (key == TUI_KEY_UP && t->list.sel == 0) {
        t->in_list = false;
        return true;
    }
    if (key == TUI_KEY_PGDN && t->list.sel + 1 >= t->list.count &&
        t->offset + t->res.n < (size_t)t->total) {
        run_search(t, app, t->offset + PAGE);
        return true;
    }
    if (key == TUI_KEY_PGUP && t->list.sel == 0 && t->offset > 0) {
        run_search(t, app, t->offset >= PAGE ? t->offset - PAGE : 0);
        return true;
    }
    if (tui_list_key(&t->list, key, tui_app_right_rows(app) - 3))
        return true;
    if (key == TUI_KEY_ENTER && t->res.n) {
        tui_app_open(app, t->res.hits[t->list.sel].mms);
        return true;
    }
    if (key == 'v' && t->res.n) {
        show_view(t, app);
        return true;
    }
    if (tui_key_is_text(key) || key == TUI_KEY_BACKSPACE) {
        t->in_list = false; /* typing goes back to the query */
        return tui_input_key(&t->query, key);
    }
    return false;
}

static void
search_shown(void *st, struct tui_app *app)
{
    struct search_tab *t = st;
    t->in_list = false;
    t->viewing = false;
}

const struct tui_tab_ops tui_tab_search = {
    .name = "Search",
    .label = "Srch",
    .create = search_create,
    .destroy = search_destroy,
    .draw = search_draw,
    .key = search_key,
    .shown = search_shown,
};
