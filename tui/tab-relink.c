/*
 * tab-relink.c - the Relink tab (SPEC §3.3, seed 000): move a holdings
 * record with its items to another bib, or an item to other holdings.
 *
 * The steps are Alma's split-screen relink: pick what moves (the current
 * bib's holdings and items, or m in the Holdings tab), name the target (an
 * MMS ID, OCLC number or ISBN typed in the box, or search words whose hits
 * are listed to pick from; F3 picks the zone), read the core's preview
 * (what moves with its barcodes, what the source keeps, whether it is left
 * without holdings), confirm, and the core relinks.  When the source bib is
 * left without holdings the tab asks whether to keep or delete it (delete
 * needs cataloger-extended and, for a bib linked to the network zone,
 * unlinking first: the core's words say which).  Nothing of one relink is
 * remembered for the next: each names its target anew.
 */
#include "app-int.h"

#include "tab-relink.h"
#include "textbox.h"
#include "vlist.h"

#include "buf.h"
#include "link.h"
#include "relink.h"
#include "search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum phase {
    PH_PICK,    /* choose what moves */
    PH_TARGET,  /* type the target */
    PH_HITS,    /* choose the target among hits, candidates or holdings */
    PH_PREVIEW, /* the core's plan (or its refusal) */
    PH_DONE,    /* what the relink did */
};

enum hits_kind { HITS_SEARCH, HITS_CANDIDATES, HITS_HOLDINGS };

/* One line to choose from: a holdings or item to move, or a target. */
struct choice {
    char mms[CORE_MMS_MAX];
    bool item;
    char line1[320], line2[320];
};

struct relink_tab {
    enum phase phase;
    /* what may move: the current bib's holdings and items */
    bool pick_stale;
    char pick_for[CORE_MMS_MAX];
    char bib[CORE_MMS_MAX];
    struct choice *picks;
    size_t npicks;
    struct tui_vlist pick_list;
    /* what moves */
    char id[CORE_MMS_MAX];
    bool is_item;
    char what[400];
    /* the target */
    struct tui_input target;
    int zone; /* where the target is looked up; -1: the inventory's zone */
    enum hits_kind hits_kind;
    char hits_head[200]; /* what to pick */
    char hits_sub[200];  /* why these */
    struct choice *hits;
    size_t nhits;
    struct tui_vlist hit_list;
    /* the preview and the result */
    struct core_relink_plan plan;
    bool can_apply;
    bool source_deleted;
    bool source_unlinked; /* unlinked here after the relink: deleting may now be allowed */
    struct tui_textbox text;
};

extern const struct tui_tab_ops tui_tab_relink;

static struct relink_tab *
tab_of(struct tui_app *app)
{
    for (int i = 0; i < TUI_NTABS && tui_tabs[i]; i++)
        if (tui_tabs[i] == &tui_tab_relink)
            return app->tab_state[i];
    return NULL;
}

/* ---- choices ---- */

static int
pick_rows(void *ctx, size_t i)
{
    return 1;
}

static int
hit_rows(void *ctx, size_t i)
{
    struct relink_tab *t = ctx;
    return t->hits[i].line2[0] ? 2 : 1;
}

static void
draw_choice(const struct choice *c, struct tui_frame *f, int x, int y, int w, bool selected,
            bool bold_first)
{
    uint16_t base = selected ? TUI_A_REVERSE : TUI_A_NONE;
    tui_frame_puts(f, x, y, c->line1, w, base | (bold_first ? TUI_A_BOLD : 0));
    if (c->line2[0])
        tui_frame_puts(f, x, y + 1, c->line2, w, base | TUI_A_DIM);
}

static void
draw_pick(void *ctx, size_t i, struct tui_frame *f, int x, int y, int w, bool selected)
{
    struct relink_tab *t = ctx;
    draw_choice(&t->picks[i], f, x, y, w, selected, !t->picks[i].item);
}

static void
draw_hit(void *ctx, size_t i, struct tui_frame *f, int x, int y, int w, bool selected)
{
    struct relink_tab *t = ctx;
    draw_choice(&t->hits[i], f, x, y, w, selected, true);
}

static struct choice *
add_choice(struct choice **list, size_t *n, const char *mms)
{
    *list = xrealloc(*list, (*n + 1) * sizeof **list);
    struct choice *c = &(*list)[(*n)++];
    memset(c, 0, sizeof *c);
    snprintf(c->mms, sizeof c->mms, "%s", mms);
    return c;
}

static void
holdings_line(const struct core_holdings_info *h, char *out, size_t size)
{
    snprintf(out, size, "%s %s%s%s %s (%d item%s)", h->mms, h->library, h->location[0] ? "/" : "",
             h->location, h->call_number, h->items, h->items == 1 ? "" : "s");
}

static void
item_line(const struct core_item_info *it, char *out, size_t size)
{
    snprintf(out, size, "  %s %s%s%s %s", it->mms, it->barcode[0] ? it->barcode : "(no barcode)",
             it->description[0] ? " " : "", it->description, core_item_status_name(it->status));
}

static void
load_picks(struct relink_tab *t, struct tui_app *app)
{
    struct core_repo *repo = tui_app_repo(app);
    free(t->picks);
    t->picks = NULL;
    t->npicks = 0;
    t->pick_stale = false;
    snprintf(t->pick_for, sizeof t->pick_for, "%s", tui_app_mms(app));
    t->bib[0] = '\0';
    enum core_mms_type type = core_mms_parse(t->pick_for, NULL, NULL);
    struct core_record_info info;
    if (type == CORE_MMS_BIB)
        snprintf(t->bib, sizeof t->bib, "%s", t->pick_for);
    else if (type == CORE_MMS_HOLDINGS &&
             core_record_get(repo, t->pick_for, NULL, &info) == CORE_OK)
        snprintf(t->bib, sizeof t->bib, "%s", info.bib);
    struct core_holdings_info *h = NULL;
    size_t nh = 0;
    if (t->bib[0] && core_holdings_list(repo, t->bib, &h, &nh) != CORE_OK)
        tui_app_core_error(app, "Relink");
    for (size_t k = 0; k < nh; k++) {
        struct choice *c = add_choice(&t->picks, &t->npicks, h[k].mms);
        holdings_line(&h[k], c->line1, sizeof c->line1);
        struct core_item_info *it = NULL;
        size_t ni = 0;
        if (core_items_list(repo, h[k].mms, &it, &ni) != CORE_OK)
            tui_app_core_error(app, "Relink");
        for (size_t j = 0; j < ni; j++) {
            c = add_choice(&t->picks, &t->npicks, it[j].mms);
            c->item = true;
            item_line(&it[j], c->line1, sizeof c->line1);
        }
        free(it);
    }
    free(h);
    tui_vlist_reset(&t->pick_list, t->npicks);
}

static void
clear_hits(struct relink_tab *t)
{
    free(t->hits);
    t->hits = NULL;
    t->nhits = 0;
    t->hit_list.sel = t->hit_list.top = 0;
    tui_vlist_reset(&t->hit_list, 0);
}

/* ---- the steps ---- */

static void
to_pick(struct relink_tab *t)
{
    t->phase = PH_PICK;
    t->id[0] = '\0';
    tui_input_clear(&t->target); /* targets are never remembered */
    t->zone = -1;
    clear_hits(t);
    core_relink_plan_free(&t->plan);
    tui_textbox_clear(&t->text);
    t->pick_stale = true;
}

static void
set_source(struct relink_tab *t, struct tui_app *app, const char *id)
{
    char copy[CORE_MMS_MAX]; /* id may point into the picks read again below */
    snprintf(copy, sizeof copy, "%s", id);
    to_pick(t);
    snprintf(t->id, sizeof t->id, "%s", copy);
    id = t->id;
    t->is_item = core_mms_parse(id, NULL, NULL) == CORE_MMS_ITEM;
    load_picks(t, app);
    t->what[0] = '\0';
    for (size_t i = 0; i < t->npicks; i++)
        if (strcmp(t->picks[i].mms, id) == 0)
            snprintf(t->what, sizeof t->what, "%s, on bib %s",
                     t->picks[i].line1 + (t->is_item ? 2 : 0), t->bib);
    if (!t->what[0])
        snprintf(t->what, sizeof t->what, "%s", id);
    t->phase = PH_TARGET;
}

void
tui_relink_start(struct tui_app *app, const char *id)
{
    struct relink_tab *t = tab_of(app);
    if (!t) {
        tui_app_message(app, TUI_MSG_ERROR, "There is no Relink tab");
        return;
    }
    set_source(t, app, id);
    tui_app_show_tab(app, "Relink");
}

/* The bibs a preview or an apply touched may be on the left: read it again. */
static void
reload_if_touched(struct tui_app *app, const struct core_relink_plan *p)
{
    const char *cur = tui_app_mms(app);
    if (strcmp(cur, p->from.mms) == 0 || strcmp(cur, p->to.mms) == 0 ||
        strcmp(cur, p->holdings.mms) == 0 || strcmp(cur, p->to_holdings.mms) == 0)
        tui_app_reload(app);
}

static void
bib_line(struct tui_textbox *tb, const char *label, const struct core_relink_bib *b)
{
    tui_textbox_add(tb, TUI_A_NONE, "%s %s \"%s\"%s%s%s", label, b->mms, b->title,
                    b->linked[0] ? ", linked to NZ " : "", b->linked,
                    b->deleted ? ", DELETED" : "");
}

/* The holdings and items counts of both bibs (after the relink, or as planned). */
static void
counts_after(struct tui_textbox *tb, const char *label, const struct core_relink_plan *p)
{
    if (strcmp(p->from.mms, p->to.mms) == 0)
        return;
    tui_textbox_add(tb, TUI_A_BOLD, "%s", label);
    tui_textbox_add(tb, TUI_A_NONE, " %s %d holdings, %d items", p->from.mms,
                    p->from.holdings_after, p->from.items_after);
    tui_textbox_add(tb, TUI_A_NONE, " %s %d holdings, %d items", p->to.mms, p->to.holdings_after,
                    p->to.items_after);
}

static void
plan_text(struct relink_tab *t)
{
    const struct core_relink_plan *p = &t->plan;
    struct tui_textbox *tb = &t->text;
    char line[400];
    if (p->kind == CORE_RELINK_HOLDINGS) {
        tui_textbox_add(tb, TUI_A_BOLD, "Relink holdings %s and its %zu item(s)", p->holdings.mms,
                        p->nitems);
        bib_line(tb, "From", &p->from);
        bib_line(tb, "To  ", &p->to);
        if (p->matched[0])
            tui_textbox_add(tb, TUI_A_DIM, "Target found by %s.", p->matched);
        tui_textbox_add(tb, TUI_A_BOLD, "Moving:");
        holdings_line(&p->holdings, line, sizeof line);
        tui_textbox_add(tb, TUI_A_NONE, " %s", line);
        for (size_t i = 0; i < p->nitems; i++) {
            item_line(&p->items[i], line, sizeof line);
            tui_textbox_add(tb, TUI_A_NONE, " %s", line);
        }
        if (p->nkept) {
            tui_textbox_add(tb, TUI_A_BOLD, "%s keeps %zu holdings record(s):", p->from.mms,
                            p->nkept);
            for (size_t i = 0; i < p->nkept; i++) {
                holdings_line(&p->kept[i], line, sizeof line);
                tui_textbox_add(tb, TUI_A_NONE, " %s", line);
            }
        }
    } else {
        const struct core_item_info *it = p->nitems ? &p->items[0] : NULL;
        if (it) {
            item_line(it, line, sizeof line);
            tui_textbox_add(tb, TUI_A_BOLD, "Relink item%s", line + 1);
        }
        holdings_line(&p->holdings, line, sizeof line);
        tui_textbox_add(tb, TUI_A_NONE, "From holdings %s", line);
        bib_line(tb, "  of", &p->from);
        holdings_line(&p->to_holdings, line, sizeof line);
        tui_textbox_add(tb, TUI_A_NONE, "To holdings %s", line);
        bib_line(tb, "  of", &p->to);
        if (p->items_left)
            tui_textbox_add(tb, TUI_A_NONE, "Holdings %s keeps %d item(s).", p->holdings.mms,
                            p->items_left);
        else
            tui_textbox_add(tb, TUI_A_NONE, "Holdings %s will have no items left.",
                            p->holdings.mms);
    }
    counts_after(tb, "After the relink:", p);
    if (p->source_empty) {
        tui_textbox_add(tb, TUI_A_BOLD | TUI_COLOR(TUI_C_WARNING),
                        "%s will have no holdings left: it will be found only under All titles.",
                        p->from.mms);
        if (p->delete_refusal[0])
            tui_textbox_add(tb, TUI_A_NONE, "It can then be kept, not deleted by you: %s.",
                            p->delete_refusal);
        else
            tui_textbox_add(tb, TUI_A_NONE, "You will then be asked: keep it or delete it?");
    }
}

static void
show_preview(struct relink_tab *t, struct tui_app *app, const char *target_in)
{
    char target[TUI_INPUT_MAX]; /* target_in may point into the hits freed below */
    snprintf(target, sizeof target, "%s", target_in);
    struct core_repo *repo = tui_app_repo(app);
    core_relink_plan_free(&t->plan);
    int rc = core_relink_preview(repo, t->id, target, t->zone, &t->plan);
    if (rc == CORE_ERR_CONFLICT && t->plan.ncandidates) {
        clear_hits(t);
        for (size_t i = 0; i < t->plan.ncandidates; i++) {
            const struct core_relink_candidate *c = &t->plan.candidates[i];
            struct choice *h = add_choice(&t->hits, &t->nhits, c->mms);
            snprintf(h->line1, sizeof h->line1, "%s", c->title[0] ? c->title : "(no title)");
            snprintf(h->line2, sizeof h->line2, " %s %s h%d %s; %s", c->mms,
                     c->date[0] ? c->date : "----", c->holdings, c->author, c->matched);
        }
        tui_vlist_reset(&t->hit_list, t->nhits);
        t->hits_kind = HITS_CANDIDATES;
        snprintf(t->hits_head, sizeof t->hits_head, "%zu bibs match: pick one", t->nhits);
        snprintf(t->hits_sub, sizeof t->hits_sub, "%.150s", target);
        t->phase = PH_HITS;
        tui_app_message(app, TUI_MSG_WARNING, "%s", core_repo_errmsg(repo));
        return;
    }
    tui_textbox_clear(&t->text);
    t->can_apply = rc == CORE_OK;
    if (rc != CORE_OK) {
        tui_textbox_add(&t->text, TUI_A_BOLD | TUI_COLOR(TUI_C_ERROR), "Refused: %s",
                        core_repo_errmsg(repo));
        tui_app_core_error(app, "Relink refused");
    }
    if (t->plan.resolved)
        plan_text(t);
    t->phase = PH_PREVIEW;
}

static void
search_hits(struct relink_tab *t, struct tui_app *app, const char *query)
{
    struct core_search_opts so = {
        .zone = t->zone < 0 ? CORE_ZONE_IZ : (enum core_zone)t->zone, .limit = 50, .count = true};
    struct core_results res;
    if (core_search(tui_app_repo(app), query, &so, &res) != CORE_OK) {
        tui_app_core_error(app, "Search");
        return;
    }
    if (res.n == 0) {
        tui_app_message(app, TUI_MSG_INFO, "No bib in the %s matches %s", core_zone_name(so.zone),
                        query);
        core_results_free(&res);
        return;
    }
    clear_hits(t);
    for (size_t i = 0; i < res.n; i++) {
        const struct core_brief *b = &res.hits[i];
        struct choice *c = add_choice(&t->hits, &t->nhits, b->mms);
        snprintf(c->line1, sizeof c->line1, "%s", b->title[0] ? b->title : "(no title)");
        snprintf(c->line2, sizeof c->line2, " %s %s %s%s h%d i%d %s", b->mms,
                 b->date[0] ? b->date : "----", core_zone_name(b->zone),
                 b->linked[0] ? " linked" : "", b->holdings, b->items, b->author);
    }
    tui_vlist_reset(&t->hit_list, t->nhits);
    t->hits_kind = HITS_SEARCH;
    snprintf(t->hits_head, sizeof t->hits_head, "%ld hit(s): pick the target", res.total);
    snprintf(t->hits_sub, sizeof t->hits_sub, "%s in the %s%s", query, core_zone_name(so.zone),
             res.total > (long)res.n ? " (first 50)" : "");
    t->phase = PH_HITS;
    core_results_free(&res);
}

/* An item goes to a holdings record: list the holdings of bib `bib`. */
static void
holdings_hits(struct relink_tab *t, struct tui_app *app, const char *bib_in)
{
    char bib[CORE_MMS_MAX]; /* bib_in may point into the hits freed below */
    snprintf(bib, sizeof bib, "%s", bib_in);
    struct core_holdings_info *h = NULL;
    size_t nh = 0;
    if (core_holdings_list(tui_app_repo(app), bib, &h, &nh) != CORE_OK) {
        tui_app_core_error(app, "Relink");
        return;
    }
    if (!nh) {
        tui_app_message(app, TUI_MSG_ERROR,
                        "%s has no holdings: an item moves to a holdings record (add one in the "
                        "Holdings tab)",
                        bib);
        free(h);
        return;
    }
    clear_hits(t);
    for (size_t k = 0; k < nh; k++) {
        struct choice *c = add_choice(&t->hits, &t->nhits, h[k].mms);
        holdings_line(&h[k], c->line1, sizeof c->line1);
    }
    free(h);
    tui_vlist_reset(&t->hit_list, t->nhits);
    t->hits_kind = HITS_HOLDINGS;
    snprintf(t->hits_head, sizeof t->hits_head, "Pick the holdings");
    snprintf(t->hits_sub, sizeof t->hits_sub, "of %s", bib);
    t->phase = PH_HITS;
}

/* An identifier the core resolves (MMS ID, OCLC number, ISBN), not search words. */
static bool
looks_like_id(const char *s)
{
    bool digit = false;
    for (const char *p = s; *p; p++) {
        if (*p == ' ' || *p == '=' || *p == '"')
            return false;
        if (*p >= '0' && *p <= '9')
            digit = true;
    }
    return digit;
}

static void
find_target(struct relink_tab *t, struct tui_app *app)
{
    char text[TUI_INPUT_MAX];
    const char *s = t->target.text;
    while (*s == ' ')
        s++;
    snprintf(text, sizeof text, "%s", s);
    for (size_t n = strlen(text); n && text[n - 1] == ' ';)
        text[--n] = '\0';
    if (!text[0]) {
        tui_app_message(app, TUI_MSG_INFO,
                        t->is_item ? "Type the holdings (22...) or bib the item goes to"
                                   : "Type the target bib: MMS ID, OCLC number, ISBN or words");
        return;
    }
    enum core_mms_type type = core_mms_parse(text, NULL, NULL);
    if (t->is_item && type == CORE_MMS_BIB)
        holdings_hits(t, app, text);
    else if (t->is_item ? type == CORE_MMS_HOLDINGS : looks_like_id(text))
        show_preview(t, app, text);
    else
        search_hits(t, app, text);
}

static void
pick_hit(struct relink_tab *t, struct tui_app *app)
{
    const struct choice *c = &t->hits[t->hit_list.sel];
    if (t->is_item && t->hits_kind == HITS_SEARCH)
        holdings_hits(t, app, c->mms);
    else
        show_preview(t, app, c->mms);
}

/* ---- applying, and the emptied source ---- */

/* What the relink did, the state of an emptied source first (it needs a decision). */
static void
result_text(struct relink_tab *t)
{
    const struct core_relink_plan *p = &t->plan;
    struct tui_textbox *tb = &t->text;
    tui_textbox_clear(tb);
    if (p->kind == CORE_RELINK_HOLDINGS)
        tui_textbox_add(tb, TUI_A_BOLD, "Relinked holdings %s (%zu item%s)", p->holdings.mms,
                        p->nitems, p->nitems == 1 ? "" : "s");
    else
        tui_textbox_add(tb, TUI_A_BOLD, "Relinked item %s", p->nitems ? p->items[0].mms : t->id);
    if (p->kind == CORE_RELINK_ITEM)
        tui_textbox_add(tb, TUI_A_NONE, "from holdings %s\nto   holdings %s.", p->holdings.mms,
                        p->to_holdings.mms);
    else
        tui_textbox_add(tb, TUI_A_NONE, "from %s\nto   %s.", p->from.mms, p->to.mms);
    if (p->source_empty) {
        if (t->source_deleted) {
            tui_textbox_add(tb, TUI_A_BOLD,
                            "%s had no holdings left and was deleted; its versions "
                            "are kept.",
                            p->from.mms);
        } else {
            tui_textbox_add(tb, TUI_A_BOLD | TUI_COLOR(TUI_C_WARNING),
                            "%s has no holdings left: it is found only under All titles.",
                            p->from.mms);
            if (t->source_unlinked)
                tui_textbox_add(tb, TUI_A_NONE, "It is unlinked from the network zone now.");
            else if (p->delete_refusal[0])
                tui_textbox_add(tb, TUI_A_NONE, "It is kept: you cannot delete it now (%s).",
                                p->delete_refusal);
        }
    }
    counts_after(tb, "Now:", p);
    if (p->kind == CORE_RELINK_HOLDINGS)
        tui_textbox_add(tb, TUI_A_DIM,
                        "New versions (reason relink): %s v%d, %s v%d, holdings %s v%d.",
                        p->from.mms, p->from.version, p->to.mms, p->to.version, p->holdings.mms,
                        p->holdings_version);
    else
        tui_textbox_add(tb, TUI_A_DIM, "New versions (reason relink): holdings %s v%d, %s v%d.",
                        p->holdings.mms, p->holdings_version, p->to_holdings.mms,
                        p->to_holdings_version);
}

static void
delete_answer(struct tui_app *app, void *ctx, bool yes)
{
    struct relink_tab *t = ctx;
    const struct core_relink_plan *p = &t->plan;
    if (!yes) {
        tui_app_message(app, TUI_MSG_INFO,
                        "Kept %s (found only under All titles; d in the Relink tab deletes it)",
                        p->from.mms);
        return;
    }
    if (core_record_delete(tui_app_repo(app), p->from.mms) != CORE_OK) {
        tui_app_core_error(app, "Not deleted");
        return;
    }
    t->source_deleted = true;
    result_text(t);
    /* The deleted bib cannot stay open for editing: show where the holdings went. */
    bool shown = strcmp(tui_app_mms(app), p->from.mms) == 0;
    if (shown) {
        tui_app_open(app, p->to.mms);
        tui_app_show_tab(app, "Relink");
    }
    tui_app_message(app, TUI_MSG_INFO, "Deleted %s; its versions are kept%s%s", p->from.mms,
                    shown ? ". Showing " : "", shown ? p->to.mms : "");
}

static void
ask_delete(struct relink_tab *t, struct tui_app *app)
{
    const struct core_relink_plan *p = &t->plan;
    char q[200];
    snprintf(q, sizeof q, "%s has no holdings left. Delete it? (n keeps it)", p->from.mms);
    tui_app_confirm(app, q, delete_answer, t);
}

static void
unlink_answer(struct tui_app *app, void *ctx, bool yes)
{
    struct relink_tab *t = ctx;
    if (!yes)
        return;
    struct core_link_result res;
    if (core_unlink(tui_app_repo(app), t->plan.from.mms, &res) != CORE_OK) {
        tui_app_core_error(app, "Not unlinked");
        return;
    }
    t->plan.from.linked[0] = '\0';
    t->source_unlinked = true;
    result_text(t);
    if (strcmp(tui_app_mms(app), t->plan.from.mms) == 0) {
        tui_app_reload(app);
        tui_app_show_tab(app, "Relink");
    }
    tui_app_message(app, TUI_MSG_INFO, "Unlinked %s (version %d); d deletes it", t->plan.from.mms,
                    res.version);
}

static void
apply_answer(struct tui_app *app, void *ctx, bool yes)
{
    struct relink_tab *t = ctx;
    if (!yes)
        return;
    struct core_relink_plan *p = &t->plan;
    if (core_relink_apply(tui_app_repo(app), p) != CORE_OK) {
        tui_textbox_clear(&t->text);
        tui_textbox_add(&t->text, TUI_A_BOLD | TUI_COLOR(TUI_C_ERROR), "Not relinked: %s",
                        core_repo_errmsg(tui_app_repo(app)));
        plan_text(t);
        t->can_apply = false;
        tui_app_core_error(app, "Not relinked");
        return;
    }
    reload_if_touched(app, p);
    tui_app_show_tab(app, "Relink");
    t->phase = PH_DONE;
    t->source_deleted = false;
    t->source_unlinked = false;
    result_text(t);
    const char *moved = p->nitems ? p->items[0].mms : t->id;
    if (p->kind == CORE_RELINK_HOLDINGS)
        tui_app_message(app, TUI_MSG_INFO, "Relinked holdings %s and its %zu item(s) to %s",
                        p->holdings.mms, p->nitems, p->to.mms);
    else
        tui_app_message(app, TUI_MSG_INFO, "Relinked item %s to holdings %s", moved,
                        p->to_holdings.mms);
    if (!p->source_empty)
        return;
    if (p->delete_refusal[0]) {
        tui_app_message(app, TUI_MSG_WARNING, "%s has no holdings left; kept: %s", p->from.mms,
                        p->delete_refusal);
        return;
    }
    ask_delete(t, app);
}

static void
confirm_apply(struct relink_tab *t, struct tui_app *app)
{
    const struct core_relink_plan *p = &t->plan;
    char q[240];
    if (p->kind == CORE_RELINK_HOLDINGS)
        snprintf(q, sizeof q, "Relink holdings %s (%zu item%s) to %s?", p->holdings.mms, p->nitems,
                 p->nitems == 1 ? "" : "s", p->to.mms);
    else
        snprintf(q, sizeof q, "Relink item %s to holdings %s?", p->nitems ? p->items[0].mms : t->id,
                 p->to_holdings.mms);
    tui_app_confirm(app, q, apply_answer, t);
}

/* Deleting the emptied source is worth offering: the core foresaw no refusal,
 * or the refusal may have gone with the unlink done here. */
static bool
may_delete(const struct relink_tab *t)
{
    return !t->plan.delete_refusal[0] || t->source_unlinked;
}

/* ---- drawing ---- */

static void
hints(struct tui_frame *f, struct tui_rect r, const char *text)
{
    tui_frame_puts(f, r.x, r.y + r.h - 1, text, r.w, TUI_A_DIM | TUI_COLOR(TUI_C_HINT));
}

static void
draw_pick_phase(struct relink_tab *t, struct tui_app *app, struct tui_frame *f, struct tui_rect r,
                bool focused)
{
    if (t->pick_stale || strcmp(t->pick_for, tui_app_mms(app)) != 0)
        load_picks(t, app);
    tui_frame_puts(f, r.x, r.y, "Relink: what moves?", r.w, TUI_A_BOLD);
    if (!t->npicks) {
        tui_frame_puts(f, r.x, r.y + 1,
                       t->bib[0] ? "This bib has no holdings to move." : "Open a bib with holdings",
                       r.w, TUI_A_DIM);
        if (!t->bib[0])
            tui_frame_puts(f, r.x, r.y + 2, "(C-o), or m in the Holdings tab.", r.w, TUI_A_DIM);
        return;
    }
    char head[120];
    snprintf(head, sizeof head, "Holdings and items of %s", t->bib);
    tui_frame_puts(f, r.x, r.y + 1, head, r.w, TUI_A_DIM);
    tui_vlist_draw(&t->pick_list, f, (struct tui_rect){r.x, r.y + 2, r.w, r.h - 3}, focused);
    hints(f, r, "Enter move this  Esc back");
}

static void
draw_target_phase(struct relink_tab *t, struct tui_frame *f, struct tui_rect r, bool focused)
{
    tui_frame_puts(f, r.x, r.y, t->is_item ? "Relink item" : "Relink holdings", r.w, TUI_A_BOLD);
    struct tui_textbox tb = {0};
    tui_textbox_add(&tb, TUI_A_NONE, "%s", t->what);
    int y = r.y + 1;
    y += tui_textbox_draw(&tb, f, (struct tui_rect){r.x, y, r.w, 4});
    tui_textbox_clear(&tb);
    y++;
    tui_frame_puts(f, r.x, y++, t->is_item ? "To which holdings?" : "To which bib?", r.w,
                   TUI_A_BOLD);
    char label[16];
    snprintf(label, sizeof label, "%s> ",
             t->zone < 0 ? "target" : core_zone_name((enum core_zone)t->zone));
    tui_input_draw(&t->target, label, focused, f, (struct tui_rect){r.x, y++, r.w, 1});
    y++;
    if (t->is_item)
        tui_textbox_add(&tb, TUI_A_DIM,
                        "A holdings MMS ID (22...), a bib's MMS ID to list its holdings, or search "
                        "words (title=..., oclc=...).");
    else
        tui_textbox_add(&tb, TUI_A_DIM,
                        "An MMS ID, OCLC number (oclc:12345, (OCoLC)ocm...) or ISBN; or search "
                        "words (tolstoy, title=...) to pick from the hits.");
    tui_textbox_draw(&tb, f, (struct tui_rect){r.x, y, r.w, r.y + r.h - 1 - y});
    tui_textbox_free(&tb);
    hints(f, r, "Enter find  F3 zone  Esc cancel");
}

/* The preview or result above the hint line; a last row says when more follows. */
static void
draw_text(struct relink_tab *t, struct tui_frame *f, struct tui_rect r)
{
    int h = r.h - 1;
    int total = tui_textbox_rows(&t->text, r.w);
    if (total <= h) {
        tui_textbox_draw(&t->text, f, (struct tui_rect){r.x, r.y, r.w, h});
        return;
    }
    tui_textbox_draw(&t->text, f, (struct tui_rect){r.x, r.y, r.w, h - 1});
    bool end = t->text.scroll + h - 1 >= total;
    tui_frame_puts(f, r.x, r.y + h - 1, end ? "(end; PgUp scrolls back)" : "(more: PgDn)", r.w,
                   TUI_A_DIM);
}

static void
relink_draw(void *st, struct tui_app *app, struct tui_frame *f, struct tui_rect r, bool focused)
{
    struct relink_tab *t = st;
    switch (t->phase) {
    case PH_PICK:
        draw_pick_phase(t, app, f, r, focused);
        return;
    case PH_TARGET:
        draw_target_phase(t, f, r, focused);
        return;
    case PH_HITS:
        tui_frame_puts(f, r.x, r.y, t->hits_head, r.w, TUI_A_BOLD);
        tui_frame_puts(f, r.x, r.y + 1, t->hits_sub, r.w, TUI_A_DIM);
        tui_vlist_draw(&t->hit_list, f, (struct tui_rect){r.x, r.y + 2, r.w, r.h - 3}, focused);
        hints(f, r, "Enter pick  Esc back");
        return;
    case PH_PREVIEW:
        draw_text(t, f, r);
        hints(f, r, t->can_apply ? "Enter relink  Esc change target" : "Esc change the target");
        return;
    case PH_DONE: {
        draw_text(t, f, r);
        const struct core_relink_plan *p = &t->plan;
        bool empty = p->source_empty && !t->source_deleted;
        hints(f, r,
              !empty              ? "Esc/Enter next relink"
              : p->from.linked[0] ? "u unlink source  Esc next relink"
              : may_delete(t)     ? "d delete source  Esc next relink"
                                  : "Esc/Enter next relink");
        return;
    }
    }
}

/* ---- keys ---- */

static bool
target_key(struct relink_tab *t, struct tui_app *app, int key)
{
    if (key == TUI_KEY_ENTER) {
        find_target(t, app);
        return true;
    }
    if (key == TUI_KEY_ESC) {
        to_pick(t);
        tui_app_message(app, TUI_MSG_INFO, "Relink cancelled: nothing moved");
        return true;
    }
    if (key == TUI_KEY_F(3)) {
        bool nz = core_repo_has_zone(tui_app_repo(app), CORE_ZONE_NZ);
        t->zone = t->zone < 0 ? CORE_ZONE_IZ : t->zone == CORE_ZONE_IZ && nz ? CORE_ZONE_NZ : -1;
        return true;
    }
    return tui_input_key(&t->target, key);
}

static bool
done_key(struct relink_tab *t, struct tui_app *app, int key)
{
    const struct core_relink_plan *p = &t->plan;
    bool empty = p->source_empty && !t->source_deleted;
    if (key == 'd' && empty && !p->from.linked[0] && may_delete(t)) {
        ask_delete(t, app);
        return true;
    }
    if (key == 'u' && empty && p->from.linked[0]) {
        char q[200];
        snprintf(q, sizeof q, "Unlink %s from network record %s? (a new version)", p->from.mms,
                 p->from.linked);
        tui_app_confirm(app, q, unlink_answer, t);
        return true;
    }
    if (key == TUI_KEY_ESC || key == TUI_KEY_ENTER) {
        to_pick(t);
        return true;
    }
    return tui_textbox_key(&t->text, key, app->layout.right.w, tui_app_right_rows(app) - 2);
}

static bool
relink_key(void *st, struct tui_app *app, int key)
{
    struct relink_tab *t = st;
    int rows = tui_app_right_rows(app);
    switch (t->phase) {
    case PH_PICK:
        if (t->pick_stale || strcmp(t->pick_for, tui_app_mms(app)) != 0)
            load_picks(t, app);
        if (!t->npicks)
            return false;
        if (tui_vlist_key(&t->pick_list, key, rows - 3))
            return true;
        if (key == TUI_KEY_ENTER && tui_vlist_valid(&t->pick_list)) {
            set_source(t, app, t->picks[t->pick_list.sel].mms);
            return true;
        }
        return false;
    case PH_TARGET:
        return target_key(t, app, key);
    case PH_HITS:
        if (tui_vlist_key(&t->hit_list, key, rows - 3))
            return true;
        if (key == TUI_KEY_ENTER && t->nhits) {
            pick_hit(t, app);
            return true;
        }
        if (key == TUI_KEY_ESC) {
            t->phase = PH_TARGET;
            return true;
        }
        return false;
    case PH_PREVIEW:
        if (key == TUI_KEY_ENTER && t->can_apply) {
            confirm_apply(t, app);
            return true;
        }
        if (key == TUI_KEY_ESC) {
            t->phase = PH_TARGET;
            return true;
        }
        return tui_textbox_key(&t->text, key, app->layout.right.w, rows - 2);
    case PH_DONE:
        return done_key(t, app, key);
    }
    return false;
}

/* ---- the tab ---- */

static void *
relink_create(struct tui_app *app)
{
    struct relink_tab *t = xcalloc(1, sizeof *t);
    t->zone = -1;
    t->pick_stale = true;
    t->pick_list.rows = pick_rows;
    t->pick_list.draw = draw_pick;
    t->pick_list.ctx = t;
    t->hit_list.rows = hit_rows;
    t->hit_list.draw = draw_hit;
    t->hit_list.ctx = t;
    return t;
}

static void
relink_destroy(void *st)
{
    struct relink_tab *t = st;
    free(t->picks);
    free(t->hits);
    core_relink_plan_free(&t->plan);
    tui_textbox_free(&t->text);
    free(t);
}

static void
relink_changed(void *st, struct tui_app *app)
{
    ((struct relink_tab *)st)->pick_stale = true;
}

const struct tui_tab_ops tui_tab_relink = {
    .name = "Relink",
    .label = "Rel",
    .create = relink_create,
    .destroy = relink_destroy,
    .draw = relink_draw,
    .key = relink_key,
    .record_changed = relink_changed,
    .shown = relink_changed,
};
