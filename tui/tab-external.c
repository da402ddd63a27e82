/*
 * tab-external.c - the External tab (SPEC §3.5, seed 002): copy cataloging
 * from a Z39.50 or SRU target without leaving the editor.
 *
 * The steps are Alma's external search: pick the target (F3; the choice
 * stays for the session), type a query in the language of the Search tab,
 * Enter.  The search runs in the background (core/z3950.h): the screen
 * keeps drawing with the seconds going by, Esc cancels, and the main loop
 * waits on the terminal and the search's socket together (the tab's
 * pending/io callbacks, term.c).  Hits are brief lines (title / author,
 * date, identifiers); more records are fetched as the list scrolls.  Enter
 * or v shows a hit whole in this pane, beside the local record in the left
 * one; d lists how the two differ.  m (Copy & Merge), o (Copy & Overlay)
 * and i (Import) make the core's plan (core/merge.h) and show its dry run
 * -- which fields survive, go, come and change, the merge rule, the
 * normalization, a monograph's 998, someone else's lock, records with the
 * same OCLC number -- and only Enter, then y, applies it.  Afterwards the
 * record is read again into the left pane and the message line says which
 * version was written.
 *
 * The records of a search are kept as the user's last search of the target
 * (core_external_*), as `colophon external search` keeps them, so
 * `colophon merge --from TARGET --record N` can take the same hit.
 *
 * The dry run and the apply are in tab-external-plan.c.  This file knows
 * the core's search and targets; it does not know curses, sockets beyond
 * handing one to the main loop, or SQL.
 */
#include "tab-external-int.h"
#include "tab-external.h"

#include "buf.h"
#include "ident.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the query a record offers ---- */

static bool
first_ident(const struct marc_record *r, char kind, char *out, size_t size)
{
    struct core_bib_keys k = {0};
    core_bib_keys_extract(r, &k);
    bool found = false;
    for (size_t i = 0; i < k.nids && !found; i++) {
        const char *v = k.ids[i].value;
        /* 010 LCCNs share the ISBN index in the repository; a target's ISBN index has none */
        bool isbn13 = strlen(v) == 13 && strncmp(v, "97", 2) == 0;
        if (k.ids[i].kind == kind && (kind != CORE_ID_ISBN || isbn13)) {
            snprintf(out, size, "%s", v);
            found = true;
        }
    }
    core_bib_keys_free(&k);
    return found;
}

void
tui_external_query_for(const struct marc_record *r, char *out, size_t size)
{
    char id[CORE_IDENT_MAX];
    out[0] = '\0';
    if (first_ident(r, CORE_ID_OCLC, id, sizeof id)) {
        snprintf(out, size, "oclc=%s", id);
        return;
    }
    if (first_ident(r, CORE_ID_ISBN, id, sizeof id)) {
        snprintf(out, size, "isbn=%s", id);
        return;
    }
    for (size_t i = 0; i < marc_record_field_count(r); i++) {
        const struct marc_field *f = marc_record_field(r, i);
        size_t len;
        const char *a =
            strcmp(marc_field_tag(f), "245") == 0 ? marc_field_value(f, 'a', &len) : NULL;
        if (!a)
            continue;
        /* the words of the title proper, without ISBD punctuation or quotes */
        char words[256];
        size_t n = 0;
        for (size_t j = 0; j < len && n < sizeof words - 1; j++)
            words[n++] = a[j] == '"' ? ' ' : a[j];
        while (n && strchr(" /:;,.=", words[n - 1]))
            n--;
        words[n] = '\0';
        if (n)
            snprintf(out, size, "title=\"%s\"", words);
        return;
    }
}

/* ---- targets ---- */

static void
load_targets(struct external_tab *t, struct tui_app *app)
{
    free(t->targets);
    t->targets = NULL;
    t->ntargets = 0;
    t->target = 0;
    t->targets_error[0] = '\0';
    struct core_repo *repo = tui_app_repo(app);
    if (core_targets_list(repo, &t->targets, &t->ntargets) != CORE_OK) {
        snprintf(t->targets_error, sizeof t->targets_error, "%s", core_repo_errmsg(repo));
        t->targets = NULL;
        t->ntargets = 0;
        return;
    }
    for (size_t i = 0; i < t->ntargets; i++)
        if (strcmp(t->targets[i].name, t->chosen) == 0)
            t->target = i;
    if (t->ntargets)
        snprintf(t->chosen, sizeof t->chosen, "%s", t->targets[t->target].name);
}

static const struct core_target *
chosen(const struct external_tab *t)
{
    return t->ntargets ? &t->targets[t->target] : NULL;
}

/* ---- the search ---- */

static double
seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static bool
running(const struct external_tab *t)
{
    return t->s && core_zsearch_state(t->s) == CORE_ZS_RUNNING;
}

static void
clear_results(struct external_tab *t)
{
    for (size_t i = 0; i < t->nres; i++)
        marc_record_free(t->res[i].rec);
    free(t->res);
    t->res = NULL;
    t->nres = 0;
    t->list.sel = t->list.top = 0;
    tui_list_reset(&t->list, 0, 2);
}

static void
stop_search(struct external_tab *t)
{
    core_zsearch_free(t->s);
    t->s = NULL;
    t->fetching = false;
}

/* "3. Title" and "   2001  OCLC 123  ISBN 978...  Author": the identifiers, which tell
 * copies of a title apart, before the author, so that they show in a narrow pane. */
static void
brief_line(const struct marc_record *r, struct core_bib_keys *k, char *line1, size_t size1,
           char *line2, size_t size2, size_t n)
{
    core_bib_keys_extract(r, k);
    snprintf(line1, size1, "%zu. %s", n, k->title.len ? k->title.data : "(no title)");
    size_t len = (size_t)snprintf(line2, size2, "   %s", k->date[0] ? k->date : "----");
    /* OCLC numbers first: they are what a copy cataloger matches by */
    static const char *const labels[] = {"OCLC", "ISBN", "ISSN", "LCCN"};
    for (size_t pass = 0; pass < 4; pass++) {
        for (size_t i = 0; i < k->nids && len < size2 - 1; i++) {
            const char *v = k->ids[i].value;
            bool isbn13 = strlen(v) == 13; /* 010 LCCNs share the ISBN kind */
            size_t which = k->ids[i].kind == CORE_ID_OCLC   ? 0
                           : k->ids[i].kind == CORE_ID_ISSN ? 2
                           : k->ids[i].kind != CORE_ID_ISBN ? 9
                           : isbn13                         ? 1
                                                            : 3;
            if (which == pass)
                len += (size_t)snprintf(line2 + len, size2 - len, "  %s %s", labels[pass], v);
        }
    }
    if (k->author.len && len < size2 - 1)
        snprintf(line2 + len, size2 - len, "  %s", k->author.data);
}

/* Take the records that have arrived, in order, and keep them as the user's last search. */
static void
collect(struct external_tab *t, struct tui_app *app)
{
    struct core_repo *repo = tui_app_repo(app);
    if (!t->stored) {
        t->stored = true;
        if (core_external_begin(repo, t->cur.name, t->searched, t->hits) != CORE_OK)
            tui_app_core_error(app, "The hits are shown but not kept for colophon merge");
    }
    struct core_bib_keys k = {0};
    while (t->nres < (size_t)t->hits && core_zsearch_has(t->s, t->nres)) {
        t->res = xrealloc(t->res, (t->nres + 1) * sizeof *t->res);
        struct hit *h = &t->res[t->nres++];
        memset(h, 0, sizeof *h);
        h->rec = marc_record_new();
        char *err = NULL;
        if (core_zsearch_record(t->s, t->nres - 1, h->rec, &err) != CORE_OK) {
            marc_record_free(h->rec);
            h->rec = NULL;
            snprintf(h->line1, sizeof h->line1, "%zu. (cannot be used)", t->nres);
            /* "record N from T is malformed: why": the line above says
             * which record, and the pane is narrow: keep "malformed: why" */
            const char *why = err ? strstr(err, " is malformed: ") : NULL;
            snprintf(h->line2, sizeof h->line2, "   %s",
                     why ? why + 4 : err ? err : "malformed record");
            free(err);
            continue;
        }
        brief_line(h->rec, &k, h->line1, sizeof h->line1, h->line2, sizeof h->line2, t->nres);
        if (t->stored && core_external_put(repo, t->cur.name, (long)t->nres, h->rec) != CORE_OK)
            tui_app_core_error(app, "Keeping the hit");
    }
    core_bib_keys_free(&k);
    tui_list_reset(&t->list, t->nres, 2);
}

/* Ask for the next page when the selection comes near the last record there is. */
static void
fetch_more(struct external_tab *t, int rows)
{
    size_t visible = (size_t)(rows > 2 ? rows / 2 : 1);
    if (!t->s || running(t) || core_zsearch_state(t->s) != CORE_ZS_DONE ||
        t->nres >= (size_t)t->hits || t->list.sel + visible < t->nres)
        return;
    size_t count = (size_t)t->hits - t->nres < TUI_EXTERNAL_PAGE ? (size_t)t->hits - t->nres
                                                                 : TUI_EXTERNAL_PAGE;
    if (core_zsearch_fetch(t->s, t->nres, count) == CORE_OK) {
        t->fetching = true;
        clock_gettime(CLOCK_MONOTONIC, &t->since);
    }
}

static void
search_failed(struct external_tab *t, struct tui_app *app)
{
    bool cancelled = strstr(core_zsearch_error(t->s), "cancel") != NULL;
    if (t->fetching && t->nres) {
        snprintf(t->error, sizeof t->error, "%s: fetching more records: %s", t->cur.name,
                 core_zsearch_error(t->s));
        tui_app_message(app, cancelled ? TUI_MSG_INFO : TUI_MSG_ERROR,
                        "%s (Enter in the query searches again for the rest)", t->error);
    } else {
        snprintf(t->error, sizeof t->error, "%s", core_zsearch_error(t->s));
        if (cancelled)
            tui_app_message(app, TUI_MSG_INFO, "Search of %s cancelled", t->cur.name);
        else
            tui_app_message(app, TUI_MSG_ERROR, "Search failed: %s", t->error);
    }
    t->fetching = false;
}

static void
external_io(void *st, struct tui_app *app)
{
    struct external_tab *t = st;
    if (!running(t))
        return;
    enum core_zstate s = core_zsearch_poll(t->s, 0);
    if (s == CORE_ZS_RUNNING)
        return;
    if (s == CORE_ZS_FAILED) {
        search_failed(t, app);
        return;
    }
    bool first = t->hits < 0;
    t->hits = core_zsearch_hits(t->s);
    t->fetching = false;
    collect(t, app);
    if (first && t->hits == 0)
        tui_app_message(app, TUI_MSG_INFO, "No records in %s for %s", t->cur.name, t->searched);
    else if (first)
        tui_app_message(app, TUI_MSG_INFO, "%ld record%s in %s: Enter or v shows one, m merges it",
                        t->hits, t->hits == 1 ? "" : "s", t->cur.name);
    if (first && t->nres && t->phase == PH_QUERY)
        t->phase = PH_LIST;
    /* the target may send fewer records with the search than asked for */
    if (first && t->nres < (size_t)t->hits && t->nres < TUI_EXTERNAL_PAGE)
        fetch_more(t, 2 * TUI_EXTERNAL_PAGE);
}

static bool
external_pending(void *st, int *fd, short *events)
{
    struct external_tab *t = st;
    if (!running(t))
        return false;
    *fd = core_zsearch_fd(t->s, events);
    return true;
}

static void
start_search(struct external_tab *t, struct tui_app *app)
{
    const struct core_target *tg = chosen(t);
    if (!tg) {
        tui_app_message(app, TUI_MSG_ERROR, "%s",
                        t->targets_error[0] ? t->targets_error
                                            : "No external targets: 'colophon external add NAME "
                                              "ADDRESS' (admin) or ~/.config/colophon/targets");
        return;
    }
    if (!t->query.len) {
        tui_app_message(app, TUI_MSG_INFO,
                        "Type a query: title=\"...\", author=..., isbn=..., oclc=..., or words");
        return;
    }
    stop_search(t);
    clear_results(t);
    tui_external_drop_plan(t);
    t->cur = *tg;
    t->error[0] = '\0';
    t->hits = -1;
    t->stored = false;
    snprintf(t->searched, sizeof t->searched, "%s", t->query.text);
    char *err = NULL;
    t->s = core_zsearch_start(&t->cur, t->query.text, TUI_EXTERNAL_PAGE, &err);
    if (!t->s) {
        snprintf(t->error, sizeof t->error, "%s", err ? err : "the query cannot be sent");
        tui_app_message(app, TUI_MSG_ERROR, "Cannot search %s: %s", t->cur.name, t->error);
        free(err);
        return;
    }
    clock_gettime(CLOCK_MONOTONIC, &t->since);
    t->phase = PH_QUERY;
}

static void
cancel(struct external_tab *t, struct tui_app *app)
{
    core_zsearch_cancel(t->s);
    search_failed(t, app);
}

/* ---- one hit, whole ---- */

bool
tui_external_usable(struct external_tab *t, struct tui_app *app, size_t i)
{
    if (i >= t->nres)
        return false;
    if (!t->res[i].rec) {
        const char *why = t->res[i].line2; /* the reason collect() put on the hit's line */
        tui_app_message(app, TUI_MSG_ERROR, "Record %zu from %s cannot be used: %s", i + 1,
                        t->cur.name, why + strspn(why, " "));
        return false;
    }
    return true;
}

static void
show_hit(struct external_tab *t, struct tui_app *app, size_t i)
{
    if (!tui_external_usable(t, app, i))
        return;
    t->shown = i;
    tui_editor_load(t->view, t->res[i].rec);
    tui_editor_set_readonly(t->view, true);
    t->vstate.top = 0;
    t->phase = PH_VIEW;
}

/* d: the local record against the hit, as the Search tab compares two records. */
static void
compare(struct external_tab *t, struct tui_app *app)
{
    const struct marc_record *left = tui_app_record(app);
    if (!tui_app_mms(app)[0]) {
        tui_app_message(app, TUI_MSG_INFO, "No local record on the left to compare with (C-o)");
        return;
    }
    if (!left) {
        tui_app_message(app, TUI_MSG_ERROR,
                        "The record on the left does not parse (M-v shows why): no diff");
        return;
    }
    struct marc_buf b = MARC_BUF_INIT;
    tui_diff_text(left, t->res[t->shown].rec, &b);
    char title[200];
    snprintf(title, sizeof title, "%s (left) -> %s record %zu (- only left, + only %s, ~ differ)",
             tui_app_mms(app), t->cur.name, t->shown + 1, t->cur.name);
    tui_app_show_text(app, title, b.data);
    marc_buf_free(&b);
}

/* ---- drawing ---- */

void
tui_external_hints(struct tui_frame *f, struct tui_rect r, const char *text)
{
    tui_frame_puts(f, r.x, r.y + r.h - 1, text, r.w, TUI_A_DIM | TUI_COLOR(TUI_C_HINT));
}

static void
draw_hit(void *ctx, size_t i, struct tui_frame *f, int x, int y, int w, bool selected)
{
    struct external_tab *t = ctx;
    uint16_t base = selected ? TUI_A_REVERSE : TUI_A_NONE;
    const struct hit *h = &t->res[i];
    tui_frame_puts(f, x, y, h->line1, w, base | TUI_A_BOLD);
    tui_frame_puts(f, x, y + 1, h->line2, w, base | (h->rec ? TUI_A_DIM : TUI_COLOR(TUI_C_ERROR)));
}

/* The second line of the tab: what the search is doing. */
static void
status_line(struct external_tab *t, struct tui_frame *f, struct tui_rect r)
{
    char line[700];
    uint16_t a = TUI_A_DIM;
    if (running(t) && t->fetching) {
        snprintf(line, sizeof line, "Fetching %zu-%zu of %ld from %s... %.0f s", t->nres + 1,
                 t->nres + TUI_EXTERNAL_PAGE < (size_t)t->hits ? t->nres + TUI_EXTERNAL_PAGE
                                                               : (size_t)t->hits,
                 t->hits, t->cur.name, seconds_since(&t->since));
        a = TUI_A_BOLD;
    } else if (running(t)) {
        snprintf(line, sizeof line, "Searching %s... %.0f s", t->cur.name,
                 seconds_since(&t->since));
        a = TUI_A_BOLD;
    } else if (t->hits >= 0 && t->nres < (size_t)t->hits &&
               core_zsearch_state(t->s) != CORE_ZS_DONE) {
        snprintf(line, sizeof line, "%zu of %ld records from %s; Enter searches again for more",
                 t->nres, t->hits, t->cur.name);
    } else if (t->hits >= 0 && t->nres < (size_t)t->hits) {
        snprintf(line, sizeof line, "%zu of %ld records from %s; more as you scroll", t->nres,
                 t->hits, t->cur.name);
    } else if (t->hits >= 0) {
        snprintf(line, sizeof line, "%ld record%s from %s", t->hits, t->hits == 1 ? "" : "s",
                 t->cur.name);
    } else if (chosen(t)) {
        snprintf(line, sizeof line, "Target %zu of %zu (F3 switches)", t->target + 1, t->ntargets);
    } else {
        snprintf(line, sizeof line, "No targets to search");
    }
    tui_frame_puts(f, r.x, r.y + 1, line, r.w, a);
}

/* Below the query when there are no results: the target, the error, or how to begin. */
static void
draw_help(struct external_tab *t, struct tui_frame *f, struct tui_rect r)
{
    struct tui_textbox tb = {0};
    const struct core_target *tg = chosen(t);
    if (t->error[0] && !running(t)) {
        tui_textbox_add(&tb, TUI_A_BOLD | TUI_COLOR(TUI_C_ERROR), "%s", t->error);
        tui_textbox_add(&tb, TUI_A_NONE, "Enter searches again; F3 picks another target.");
    } else if (running(t)) {
        tui_textbox_add(&tb, TUI_A_NONE, "%s at %s", t->searched, t->cur.address);
    } else if (t->hits == 0) {
        tui_textbox_add(&tb, TUI_A_NONE, "No records for %s.", t->searched);
    } else if (!tg) {
        tui_textbox_add(&tb, t->targets_error[0] ? TUI_A_BOLD | TUI_COLOR(TUI_C_ERROR) : 0, "%s",
                        t->targets_error[0] ? t->targets_error : "No Z39.50 or SRU targets yet.");
        tui_textbox_add(&tb, TUI_A_DIM,
                        "An admin adds one with 'colophon external add NAME ADDRESS'; your own "
                        "go in ~/.config/colophon/targets (docs/Z3950.md).");
    } else {
        tui_textbox_add(&tb, TUI_A_NONE, "%s: %s %s", tg->name,
                        tg->proto == CORE_TARGET_SRU ? "SRU" : "Z39.50", tg->address);
        tui_textbox_add(&tb, TUI_A_DIM,
                        "Query as in Search: title=\"...\", author=..., isbn=..., issn=..., "
                        "oclc=..., subject=..., words; AND OR NOT; a trailing * truncates.");
    }
    tui_textbox_draw(&tb, f, r);
    tui_textbox_free(&tb);
}

static void
draw_query_phase(struct external_tab *t, struct tui_frame *f, struct tui_rect r, bool focused)
{
    char label[CORE_TARGET_NAME_MAX + 4];
    snprintf(label, sizeof label, "%s> ", chosen(t) ? chosen(t)->name : "none");
    tui_input_draw(&t->query, label, focused && t->phase == PH_QUERY, f,
                   (struct tui_rect){r.x, r.y, r.w, 1});
    status_line(t, f, r);
    struct tui_rect lr = {r.x, r.y + 2, r.w, r.h - 3};
    if (t->nres)
        tui_list_draw(&t->list, f, lr, focused && t->phase == PH_LIST, draw_hit, t);
    else
        draw_help(t, f, lr);
    if (running(t))
        tui_external_hints(f, r, "Esc cancels the search");
    else if (t->phase == PH_LIST)
        tui_external_hints(f, r, "v view m merge o overlay i import");
    else
        tui_external_hints(f, r, "Enter search F3 target Down hits");
}

static void
draw_view(struct external_tab *t, struct tui_frame *f, struct tui_rect r)
{
    char head[160];
    snprintf(head, sizeof head, "%s record %zu of %ld", t->cur.name, t->shown + 1, t->hits);
    tui_frame_puts(f, r.x, r.y, head, r.w, TUI_A_BOLD);
    tui_record_view_draw(&t->vstate, t->view, NULL, false, f,
                         (struct tui_rect){r.x, r.y + 1, r.w, r.h - 2});
    tui_external_hints(f, r, "m merge o overlay i import d diff");
}

static void
external_draw(void *st, struct tui_app *app, struct tui_frame *f, struct tui_rect r, bool focused)
{
    struct external_tab *t = st;
    switch (t->phase) {
    case PH_VIEW:
        draw_view(t, f, r);
        return;
    case PH_PLAN:
        tui_external_plan_draw(t, f, r);
        return;
    default:
        draw_query_phase(t, f, r, focused);
        return;
    }
}

/* ---- keys ---- */

static bool
merge_key(struct external_tab *t, struct tui_app *app, int key, size_t i)
{
    switch (key) {
    case 'm':
        tui_external_plan(t, app, CORE_MERGE_MERGE, i);
        return true;
    case 'o':
        tui_external_plan(t, app, CORE_MERGE_OVERLAY, i);
        return true;
    case 'i':
        tui_external_plan(t, app, CORE_MERGE_IMPORT, i);
        return true;
    default:
        return false;
    }
}

static bool
query_key(struct external_tab *t, struct tui_app *app, int key)
{
    switch (key) {
    case TUI_KEY_ENTER:
        start_search(t, app);
        return true;
    case TUI_KEY_F(3):
        if (t->ntargets) {
            t->target = (t->target + 1) % t->ntargets;
            snprintf(t->chosen, sizeof t->chosen, "%s", t->targets[t->target].name);
            tui_app_message(app, TUI_MSG_INFO, "Target %s: %s", t->chosen,
                            t->targets[t->target].address);
        } else {
            tui_app_message(app, TUI_MSG_ERROR, "No targets to choose from");
        }
        return true;
    case TUI_KEY_DOWN:
        if (t->nres)
            t->phase = PH_LIST;
        return true;
    default:
        return tui_input_key(&t->query, key);
    }
}

static bool
list_key(struct external_tab *t, struct tui_app *app, int key)
{
    int rows = tui_app_right_rows(app) - 3;
    if (key == TUI_KEY_UP && t->list.sel == 0) {
        t->phase = PH_QUERY;
        return true;
    }
    if (tui_list_key(&t->list, key, rows)) {
        fetch_more(t, rows);
        return true;
    }
    if (key == TUI_KEY_ENTER || key == 'v') {
        show_hit(t, app, t->list.sel);
        return true;
    }
    if (merge_key(t, app, key, t->list.sel))
        return true;
    if (tui_key_is_text(key) || key == TUI_KEY_BACKSPACE) {
        t->phase = PH_QUERY; /* typing goes back to the query */
        return tui_input_key(&t->query, key);
    }
    return false;
}

static bool
view_key(struct external_tab *t, struct tui_app *app, int key)
{
    int page = tui_app_right_rows(app) - 3;
    switch (key) {
    case TUI_KEY_ESC:
    case 'v':
    case 'q':
        t->phase = PH_LIST;
        return true;
    case TUI_KEY_DOWN:
        tui_editor_down(t->view);
        return true;
    case TUI_KEY_UP:
        tui_editor_up(t->view);
        return true;
    case TUI_KEY_PGDN:
        tui_editor_page(t->view, page);
        return true;
    case TUI_KEY_PGUP:
        tui_editor_page(t->view, -page);
        return true;
    case 'd':
        compare(t, app);
        return true;
    default:
        return merge_key(t, app, key, t->shown);
    }
}

static bool
external_key(void *st, struct tui_app *app, int key)
{
    struct external_tab *t = st;
    if (key == TUI_KEY_ESC && running(t)) {
        cancel(t, app);
        return true;
    }
    switch (t->phase) {
    case PH_QUERY:
        return query_key(t, app, key);
    case PH_LIST:
        return list_key(t, app, key);
    case PH_VIEW:
        return view_key(t, app, key);
    case PH_PLAN:
        return tui_external_plan_key(t, app, key);
    }
    return false;
}

/* ---- the tab ---- */

static void *
external_create(struct tui_app *app)
{
    struct external_tab *t = xcalloc(1, sizeof *t);
    t->hits = -1;
    t->view = tui_editor_new();
    t->result = tui_editor_new();
    tui_editor_set_readonly(t->view, true);
    tui_editor_set_readonly(t->result, true);
    tui_list_reset(&t->list, 0, 2);
    load_targets(t, app);
    return t;
}

static void
external_destroy(void *st)
{
    struct external_tab *t = st;
    if (!t)
        return;
    stop_search(t);
    clear_results(t);
    tui_external_drop_plan(t);
    tui_textbox_free(&t->text);
    tui_editor_free(t->view);
    tui_editor_free(t->result);
    free(t->targets);
    free(t);
}

static void
external_shown(void *st, struct tui_app *app)
{
    struct external_tab *t = st;
    load_targets(t, app); /* an admin may have added one meanwhile */
    const struct marc_record *r = tui_app_record(app);
    if (!t->query.len && !t->nres && r) {
        char q[400];
        tui_external_query_for(r, q, sizeof q);
        tui_input_set(&t->query, q);
    }
}

/* A plan made against another record, or another version of it, is stale. */
static void
external_record_changed(void *st, struct tui_app *app)
{
    struct external_tab *t = st;
    if (t->phase != PH_PLAN || !t->have_plan || t->plan.mode == CORE_MERGE_IMPORT)
        return;
    if (strcmp(t->plan.mms, tui_app_mms(app)) != 0 || t->plan.base_version != app->version) {
        t->phase = t->plan_from == PH_VIEW ? PH_VIEW : PH_LIST;
        tui_external_drop_plan(t);
    }
}

const struct tui_tab_ops tui_tab_external = {
    .name = "External",
    .label = "Ext",
    .create = external_create,
    .destroy = external_destroy,
    .draw = external_draw,
    .key = external_key,
    .record_changed = external_record_changed,
    .shown = external_shown,
    .pending = external_pending,
    .io = external_io,
};
