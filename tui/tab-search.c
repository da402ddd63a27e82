/*
 * tab-search.c - the Search tab: a query line, the zone and scope, and the
 * brief result lines of SPEC §3.2.  Enter on a hit opens it in the record
 * pane; v shows it here, beside the record being edited, for comparison,
 * and d there lists the fields in which the two differ.  S saves the search
 * as a set (itemized or logical) for a job (M-J, SPEC §3.9).
 */
#include "app-int.h"

#include "list.h"

#include "buf.h"
#include "search.h"
#include "set.h"

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
    /* The query, zone and scope `total` was counted for: turning a page of
     * the same search keeps the count (counting every hit is a second pass
     * over them, most of a page turn's time at 1M records). */
    char counted[TUI_INPUT_MAX];
    enum core_zone counted_zone;
    bool counted_physical;
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

/* A new search (fresh) counts its hits; a page turn of the same search does not. */
static void
run_search(struct search_tab *t, struct tui_app *app, size_t offset, bool fresh)
{
    if (!t->query.len) {
        tui_app_message(app, TUI_MSG_INFO, "Type a query (F1 in the Search tab: examples)");
        return;
    }
    bool count = fresh || strcmp(t->counted, t->query.text) != 0 || t->counted_zone != t->zone ||
                 t->counted_physical != t->physical;
    struct core_search_opts so = {.zone = t->zone, .physical = t->physical, .limit = PAGE,
                                  .offset = offset, .count = count};
    struct core_results res;
    if (core_search(tui_app_repo(app), t->query.text, &so, &res) != CORE_OK) {
        tui_app_core_error(app, "Search");
        return;
    }
    core_results_free(&t->res);
    t->res = res;
    if (count) {
        t->total = res.total;
        snprintf(t->counted, sizeof t->counted, "%s", t->query.text);
        t->counted_zone = t->zone;
        t->counted_physical = t->physical;
    }
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

/* ---- saving the search as a set ---- */

struct set_ask {
    struct search_tab *t;
    char name[128];
};

static void
set_kind_answer(struct tui_app *app, void *ctx, const char *text)
{
    struct set_ask *a = ctx;
    struct search_tab *t = a->t;
    while (text && *text == ' ')
        text++;
    bool logical = text && strncmp(text, "logical", 7) == 0;
    if (!text || (!logical && strncmp(text, "itemized", 8) != 0)) {
        tui_app_message(app, text ? TUI_MSG_ERROR : TUI_MSG_INFO, "%s",
                        text ? "Set not saved: the kind is itemized or logical" : "No set saved");
        free(a);
        return;
    }
    struct core_search_opts so = {.zone = t->zone, .physical = t->physical};
    long count = 0;
    if (core_set_create_query(tui_app_repo(app), a->name, t->query.text, &so, logical, &count) !=
        CORE_OK)
        tui_app_core_error(app, "Set not saved");
    else
        tui_app_message(app, TUI_MSG_INFO, "Saved %s set %s (%ld record%s); M-J runs a job on it",
                        logical ? "logical" : "itemized", a->name, count, count == 1 ? "" : "s");
    free(a);
}

static void
set_name_done(struct tui_app *app, void *ctx, const char *text)
{
    struct set_ask *a = ctx;
    while (text && *text == ' ')
        text++;
    if (!text || !*text) {
        tui_app_message(app, TUI_MSG_INFO, "No set saved");
        free(a);
        return;
    }
    snprintf(a->name, sizeof a->name, "%s", text);
    size_t n = strlen(a->name);
    while (n && a->name[n - 1] == ' ')
        a->name[--n] = '\0';
    tui_app_prompt(app, "Kind: itemized (these hits) or logical (query re-run by jobs):",
                   "itemized", set_kind_answer, a);
}

static void
save_set(struct search_tab *t, struct tui_app *app)
{
    struct set_ask *a = xcalloc(1, sizeof *a);
    a->t = t;
    char q[160];
    snprintf(q, sizeof q, "Save the %ld hit(s) of this search as the set named:", t->total);
    tui_app_prompt(app, q, "", set_name_done, a);
}

/* d in the comparison: the fields of the left record against the hit's. */
static void
compare_diff(struct search_tab *t, struct tui_app *app)
{
    const struct marc_record *left = tui_app_record(app);
    if (!tui_app_mms(app)[0]) {
        tui_app_message(app, TUI_MSG_INFO, "No record on the left to compare with (Enter opens "
                                           "this one)");
        return;
    }
    if (!left) {
        tui_app_message(app, TUI_MSG_ERROR,
                        "The record on the left does not parse (M-v shows why): no diff");
        return;
    }
    struct marc_record *hit = marc_record_new();
    struct tui_line_error le;
    if (tui_editor_record(t->view, hit, &le) != 0) {
        tui_app_message(app, TUI_MSG_ERROR, "Cannot read %s for the diff", t->view_mms);
    } else {
        struct marc_buf b = MARC_BUF_INIT;
        tui_diff_text(left, hit, &b);
        char title[128];
        snprintf(title, sizeof title, "%s (left) -> %s (- only left, + only right, ~ differ)",
                 tui_app_mms(app), t->view_mms);
        tui_app_show_text(app, title, b.data);
        marc_buf_free(&b);
    }
    marc_record_free(hit);
}

static void
search_draw(void *st, struct tui_app *app, struct tui_frame *f, struct tui_rect r, bool focused)
{
    struct search_tab *t = st;
    if (t->viewing) {
        char head[128];
        snprintf(head, sizeof head, "Comparing: %s (d diff, Enter open, Esc back)",
                 t->view_mms);
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
                   t->in_list && t->res.n
                       ? "Enter open  v compare  S save set  F3 zone  F4 scope"
                       : "Enter search/open  v compare  F3 zone  F4 scope  Down hits",
                   r.w,
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
        else if (key == 'd')
            compare_diff(t, app);
        else
            return false;
        return true;
    }
    if (key == TUI_KEY_F(3)) {
        do {
            t->zone = (enum core_zone)((t->zone + 1) % CORE_NZONES);
        } while (!core_repo_has_zone(tui_app_repo(app), t->zone));
        if (t->searched)
            run_search(t, app, 0, true);
        return true;
    }
    if (key == TUI_KEY_F(4)) {
        t->physical = !t->physical;
        if (t->searched)
            run_search(t, app, 0, true);
        return true;
    }
    if (!t->in_list) {
        if (key == TUI_KEY_ENTER) {
            run_search(t, app, 0, true);
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
        run_search(t, app, t->offset + PAGE, false);
        return true;
    }
    if (key == TUI_KEY_PGUP && t->list.sel == 0 && t->offset > 0) {
        run_search(t, app, t->offset >= PAGE ? t->offset - PAGE : 0, false);
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
    if (key == 'S' && t->res.n) {
        save_set(t, app);
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
