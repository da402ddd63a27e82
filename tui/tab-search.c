/*
 * tab-search.c - the Search tab: a query line, the zone and scope, and the
 * brief result lines of SPEC §3.2.  Enter on a hit opens it in the record
 * pane; v shows it here, beside the record being edited, for comparison,
 * and d there lists the fields in which the two differ.  S saves the search
 * as a set (itemized or logical) for a job (M-J, SPEC §3.9).
 *
 * Paging.  Running a query fetches the MMS IDs of its first FIRST hits
 * (core_search_ids: IDs only, about the cost of one page of brief lines),
 * and when the editor is next idle widens that to WINDOW hits; it pages
 * within them, reading the visible page's brief lines by ID, and runs the
 * query again only when the page leaves the window.  The hit count does
 * not hold up the first page either: a window that is not full counts the
 * hits itself, otherwise they are counted when the editor is idle after
 * the widening (the tab's pending/io hooks: one task per idle moment), the
 * info line saying "counting" until then.
 * A remote NZ's server pages for itself: there each page is a search.
 */
#include "app-int.h"

#include "list.h"

#include "buf.h"
#include "nzremote.h"
#include "search.h"
#include "set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 50
/* Hit IDs fetched at a time: a multiple of PAGE.  1,000 IDs of the slowest
 * kind of query (a phrase) take ~11 ms at 1M records, 50 of them ~6.5 ms,
 * so Enter fetches only the first two pages' worth and the rest comes when
 * the editor is idle. */
#define WINDOW 1000
#define FIRST (2 * PAGE)

struct search_tab {
    struct tui_input query;
    bool in_list;             /* focus on the results, not the query */
    enum core_zone zone;
    bool physical;
    struct core_results res;  /* the brief lines of the page shown */
    long total;               /* -1 while not yet counted */
    size_t offset;            /* of the first hit shown */
    char ran[TUI_INPUT_MAX];  /* the query the results are of (the line may change) */
    bool windowed;            /* paging within win (not a remote NZ) */
    struct core_hit_ids win;  /* IDs of hits win_off... */
    size_t win_off;
    bool widen_due;           /* when idle: the first window from FIRST to WINDOW IDs */
    bool count_due;           /* when idle: count the hits */
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
    core_hit_ids_free(&t->win);
    tui_editor_free(t->view);
    free(t);
}

static struct core_search_opts
search_opts(const struct search_tab *t, size_t limit, size_t offset)
{
    return (struct core_search_opts){.zone = t->zone, .physical = t->physical, .limit = limit,
                                     .offset = offset};
}

/* Idle work gives way to a key (app.h). */
static bool
key_waiting(void *app)
{
    return tui_app_key_waiting(app);
}

/* Fetch the IDs of `limit` hits from the window holding the hit at
 * `offset`.  CORE_OK; another code after an error (shown); when `idle`,
 * CORE_ERR_STOPPED when a key came first (nothing changed then). */
static int
load_window(struct search_tab *t, struct tui_app *app, size_t offset, size_t limit, bool idle)
{
    size_t at = offset / WINDOW * WINDOW;
    struct core_search_opts so = search_opts(t, limit, at);
    if (idle) {
        so.stop = key_waiting;
        so.stop_ctx = app;
    }
    struct core_hit_ids ids;
    int rc = core_search_ids(tui_app_repo(app), t->ran, &so, &ids);
    if (rc == CORE_ERR_STOPPED)
        return rc;
    if (rc != CORE_OK) {
        tui_app_core_error(app, "Search");
        return rc;
    }
    core_hit_ids_free(&t->win);
    t->win = ids;
    t->win_off = at;
    t->widen_due = at == 0 && limit < WINDOW && ids.n == limit;
    if (ids.n < limit && (ids.n || at == 0)) { /* the last window: the count is known */
        t->total = (long)(at + ids.n);
        t->count_due = false;
    }
    return CORE_OK;
}

/* Make the window hold the hit at `offset`; false on an error (shown). */
static bool
fetch_window(struct search_tab *t, struct tui_app *app, size_t offset)
{
    if (offset >= t->win_off && offset < t->win_off + t->win.n)
        return true;
    return load_window(t, app, offset, WINDOW, false) == CORE_OK;
}

/* The brief lines of the page at `offset` into *res. */
static bool
read_page(struct search_tab *t, struct tui_app *app, size_t offset, struct core_results *res)
{
    memset(res, 0, sizeof *res);
    if (!t->windowed) { /* the server's own paging */
        struct core_search_opts so = search_opts(t, PAGE, offset);
        so.count = offset == 0;
        if (core_search(tui_app_repo(app), t->ran, &so, res) != CORE_OK) {
            tui_app_core_error(app, "Search");
            return false;
        }
        if (so.count)
            t->total = res->total;
        return true;
    }
    if (!fetch_window(t, app, offset))
        return false;
    size_t from = offset - t->win_off, to = from + PAGE;
    if (to > t->win.n)
        to = t->win.n;
    res->hits = xcalloc(PAGE, sizeof *res->hits);
    for (size_t i = from; i < to; i++) {
        int rc = core_brief_get(tui_app_repo(app), t->zone, t->win.mms[i], &res->hits[res->n]);
        if (rc == CORE_OK)
            res->n++;
        else if (rc != CORE_ERR_NOTFOUND) { /* not found: deleted since the search */
            tui_app_core_error(app, "Search");
            core_results_free(res);
            return false;
        }
    }
    return true;
}

/* Show the page of hits at `offset` (a multiple of PAGE). */
static void
show_page(struct search_tab *t, struct tui_app *app, size_t offset)
{
    struct core_results res;
    if (!read_page(t, app, offset, &res))
        return;
    if (res.n == 0 && offset > 0) { /* deleted since, or past the end of an uncounted result */
        core_results_free(&res);
        tui_app_message(app, TUI_MSG_INFO, "No more hits");
        return;
    }
    core_results_free(&t->res);
    t->res = res;
    t->offset = offset;
    t->list.sel = 0;
    t->list.top = 0;
    tui_list_reset(&t->list, res.n, 2);
    t->in_list = res.n > 0;
}

/* Run the query on the query line (Enter, F3, F4): the first page of hits. */
static void
run_search(struct search_tab *t, struct tui_app *app)
{
    if (!t->query.len) {
        tui_app_message(app, TUI_MSG_INFO, "Type a query (F1 in the Search tab: examples)");
        return;
    }
    snprintf(t->ran, sizeof t->ran, "%s", t->query.text);
    t->windowed = !(t->zone == CORE_ZONE_NZ && core_nz_remote(tui_app_repo(app)));
    core_hit_ids_free(&t->win);
    t->win_off = 0;
    t->total = -1;
    t->count_due = t->widen_due = false;
    /* The results of the last search go: a failed one (a malformed query)
     * leaves none rather than old hits under the new query line. */
    t->searched = false;
    t->in_list = false;
    core_results_free(&t->res);
    tui_list_reset(&t->list, 0, 2);
    if (t->windowed && load_window(t, app, 0, FIRST, false) != CORE_OK)
        return;
    t->count_due = t->windowed && t->total < 0;
    show_page(t, app, 0);
    t->searched = t->res.n > 0 || t->total >= 0;
    if (t->res.n == 0)
        tui_app_message(app, TUI_MSG_INFO, "No hits for %s in the %s%s", t->query.text,
                        core_zone_name(t->zone), t->physical ? " (Physical titles)" : "");
}

/* Idle: widen the first window, then count the hits of a search that has
 * more than a window of them. */
static bool
search_pending(void *st, int *fd, short *events)
{
    struct search_tab *t = st;
    *fd = -1;
    *events = 0;
    return t->widen_due || t->count_due;
}

static void
search_io(void *st, struct tui_app *app)
{
    struct search_tab *t = st;
    if (t->widen_due) { /* the pages shown stay; only the IDs behind them grow */
        /* stopped by a key: still due; an error (shown): not again */
        if (t->win_off != 0 || load_window(t, app, 0, WINDOW, true) != CORE_ERR_STOPPED)
            t->widen_due = false;
        return;
    }
    if (!t->count_due)
        return;
    struct core_search_opts so = search_opts(t, 1, 0);
    so.count = true;
    so.stop = key_waiting; /* a million hits take ~70 ms: a key does not wait for them */
    so.stop_ctx = app;
    struct core_hit_ids ids;
    int rc = core_search_ids(tui_app_repo(app), t->ran, &so, &ids);
    if (rc == CORE_ERR_STOPPED)
        return; /* still due: the next idle moment counts again */
    t->count_due = false;
    if (rc != CORE_OK) {
        tui_app_core_error(app, "Counting the hits");
        return;
    }
    t->total = ids.total;
    core_hit_ids_free(&ids);
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
    if (t->total >= 0)
        snprintf(q, sizeof q, "Save the %ld hit(s) of this search as the set named:", t->total);
    else
        snprintf(q, sizeof q, "Save the hits of this search (more than %zu) as the set named:",
                 t->win_off + t->win.n);
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
    if (t->searched && t->total >= 0)
        snprintf(info, sizeof info, "%ld hit(s)%s", t->total,
                 t->total > (long)PAGE ? "; PgDn/PgUp at the ends turn pages" : "");
    else if (t->searched)
        snprintf(info, sizeof info, "more than %zu hits (counting…); PgDn/PgUp at the ends turn "
                                    "pages", t->win_off + t->win.n);
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
            run_search(t, app);
        return true;
    }
    if (key == TUI_KEY_F(4)) {
        t->physical = !t->physical;
        if (t->searched)
            run_search(t, app);
        return true;
    }
    if (!t->in_list) {
        if (key == TUI_KEY_ENTER) {
            run_search(t, app);
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
        (t->total < 0 || t->offset + PAGE < (size_t)t->total)) {
        show_page(t, app, t->offset + PAGE);
        return true;
    }
    if (key == TUI_KEY_PGUP && t->list.sel == 0 && t->offset > 0) {
        show_page(t, app, t->offset >= PAGE ? t->offset - PAGE : 0);
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
    .pending = search_pending,
    .io = search_io,
};
