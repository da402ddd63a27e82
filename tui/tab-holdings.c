/*
 * tab-holdings.c - the Holdings & items tab (SPEC §2 Holdings record, Item;
 * §3.3): the bib's holdings records as a tree, each with its items folded
 * under it.
 *
 * The tree follows the record in the left pane: a bib shows its own
 * inventory, a holdings record its bib's (with itself selected).  Enter on
 * holdings opens the holdings record in the left pane, where it is edited
 * like a bib (the inventory role applies: without it the record opens View
 * Only); b goes back to the bib.  a adds a holdings record (a new MFHD
 * made from library, location and call number), i adds an item to the
 * selected holdings, e changes the selected item (barcode, description,
 * status; on holdings it opens them like Enter), m moves the selection to
 * another record through the Relink tab.  Everything goes through the core's inventory functions;
 * refusals are shown as the core words them.
 */
#include "app-int.h"

#include "tab-relink.h"
#include "vlist.h"

#include "buf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WIDE 72 /* from this width an entry takes one row instead of two */

struct entry {
    size_t h;  /* index of the holdings record */
    long item; /* index of the item in that holdings, -1 for the holdings line */
};

struct holdings_tab {
    bool stale;                    /* the record or the inventory changed: read again */
    char loaded_for[CORE_MMS_MAX]; /* the left pane's record the tree was read for */
    char bib[CORE_MMS_MAX];        /* whose inventory it is ("" when none) */
    struct core_record_info bib_info;
    struct core_holdings_info *h;
    size_t nh;
    struct core_item_info **items; /* items[k]: the items of holdings k */
    size_t *nitems;
    bool *open; /* unfolded */
    struct entry *e;
    size_t ne;
    struct tui_vlist list;
    bool wide;
    /* what the add prompts collected so far */
    char lib[64], loc[64];
    char item_holdings[CORE_MMS_MAX];
    char barcode[64], desc[128];
    struct core_item_info editing; /* the item e is changing (mms "" when adding) */
};

/* ---- the tree ---- */

static int
entry_rows(void *ctx, size_t i)
{
    struct holdings_tab *t = ctx;
    const struct entry *e = &t->e[i];
    if (e->item >= 0 && !t->open[e->h])
        return 0;
    return t->wide ? 1 : 2;
}

static const char *
entry_mms(const struct holdings_tab *t, size_t i)
{
    const struct entry *e = &t->e[i];
    return e->item < 0 ? t->h[e->h].mms : t->items[e->h][e->item].mms;
}

static void
free_tree(struct holdings_tab *t)
{
    for (size_t k = 0; k < t->nh; k++)
        free(t->items[k]);
    free(t->items);
    free(t->nitems);
    free(t->open);
    free(t->h);
    free(t->e);
    t->items = NULL;
    t->nitems = NULL;
    t->open = NULL;
    t->h = NULL;
    t->e = NULL;
    t->nh = t->ne = 0;
}

static void
build_entries(struct holdings_tab *t)
{
    size_t n = t->nh;
    for (size_t k = 0; k < t->nh; k++)
        n += t->nitems[k];
    t->e = xmalloc((n ? n : 1) * sizeof *t->e);
    t->ne = 0;
    for (size_t k = 0; k < t->nh; k++) {
        t->e[t->ne++] = (struct entry){k, -1};
        for (size_t j = 0; j < t->nitems[k]; j++)
            t->e[t->ne++] = (struct entry){k, (long)j};
    }
}

/* Select the entry of `mms` (holdings or item), unfolding its holdings. */
static bool
select_mms(struct holdings_tab *t, const char *mms)
{
    for (size_t i = 0; i < t->ne; i++)
        if (strcmp(entry_mms(t, i), mms) == 0) {
            if (t->e[i].item >= 0)
                t->open[t->e[i].h] = true;
            t->list.sel = i;
            return true;
        }
    return false;
}

/* Which bib the left pane's record stands for; "" when none. */
static void
find_bib(struct holdings_tab *t, struct tui_app *app)
{
    const char *mms = t->loaded_for;
    t->bib[0] = '\0';
    enum core_mms_type type = core_mms_parse(mms, NULL, NULL);
    if (type == CORE_MMS_BIB) {
        snprintf(t->bib, sizeof t->bib, "%s", mms);
    } else if (type == CORE_MMS_HOLDINGS) {
        struct core_record_info hi;
        if (core_record_get(tui_app_repo(app), mms, NULL, &hi) == CORE_OK)
            snprintf(t->bib, sizeof t->bib, "%s", hi.bib);
    }
}

static void
load(struct holdings_tab *t, struct tui_app *app)
{
    struct core_repo *repo = tui_app_repo(app);
    /* Keep what was unfolded and selected across the reading. */
    char sel[CORE_MMS_MAX] = "";
    char(*was_open)[CORE_MMS_MAX] = xcalloc(t->nh + 1, sizeof *was_open);
    size_t nopen = 0;
    if (t->ne && t->list.sel < t->ne)
        snprintf(sel, sizeof sel, "%s", entry_mms(t, t->list.sel));
    for (size_t k = 0; k < t->nh; k++)
        if (t->open[k])
            snprintf(was_open[nopen++], CORE_MMS_MAX, "%s", t->h[k].mms);
    char old_bib[CORE_MMS_MAX];
    snprintf(old_bib, sizeof old_bib, "%s", t->bib);
    free_tree(t);
    t->stale = false;
    snprintf(t->loaded_for, sizeof t->loaded_for, "%s", tui_app_mms(app));
    find_bib(t, app);
    if (t->bib[0] && core_record_get(repo, t->bib, NULL, &t->bib_info) != CORE_OK) {
        tui_app_core_error(app, "Holdings");
        t->bib[0] = '\0';
    }
    if (t->bib[0] && core_holdings_list(repo, t->bib, &t->h, &t->nh) != CORE_OK) {
        tui_app_core_error(app, "Holdings");
        t->nh = 0;
    }
    t->items = xcalloc(t->nh + 1, sizeof *t->items);
    t->nitems = xcalloc(t->nh + 1, sizeof *t->nitems);
    t->open = xcalloc(t->nh + 1, sizeof *t->open);
    for (size_t k = 0; k < t->nh; k++) {
        if (core_items_list(repo, t->h[k].mms, &t->items[k], &t->nitems[k]) != CORE_OK)
            tui_app_core_error(app, "Items");
        for (size_t j = 0; j < nopen; j++)
            if (strcmp(was_open[j], t->h[k].mms) == 0)
                t->open[k] = true;
    }
    free(was_open);
    build_entries(t);
    bool same_bib = strcmp(old_bib, t->bib) == 0;
    if (!same_bib)
        t->list.sel = t->list.top = 0;
    /* A holdings record in the left pane is selected when the tree is new. */
    if (!(same_bib && sel[0] && select_mms(t, sel)) &&
        core_mms_parse(t->loaded_for, NULL, NULL) == CORE_MMS_HOLDINGS)
        select_mms(t, t->loaded_for);
    tui_vlist_reset(&t->list, t->ne);
}

static void
ensure_loaded(struct holdings_tab *t, struct tui_app *app)
{
    if (t->stale || strcmp(t->loaded_for, tui_app_mms(app)) != 0)
        load(t, app);
}

/* ---- drawing ---- */

static void
draw_holdings_entry(struct holdings_tab *t, const struct core_holdings_info *h, size_t k,
                    struct tui_frame *f, int x, int y, int w, uint16_t base)
{
    const char *fold = !t->nitems[k] ? "  " : t->open[k] ? "\xe2\x96\xbe " : "\xe2\x96\xb8 ";
    char place[320], count[32];
    snprintf(place, sizeof place, "%s%s%s  %s", h->library[0] ? h->library : "(no library)",
             h->location[0] ? " / " : "", h->location,
             h->call_number[0] ? h->call_number : "(no call number)");
    snprintf(count, sizeof count, "%d item%s", h->items, h->items == 1 ? "" : "s");
    int col = tui_frame_puts(f, x, y, fold, w, base);
    col += tui_frame_puts(f, x + col, y, h->mms, w - col, base | TUI_A_BOLD);
    if (t->wide) {
        char line[512];
        snprintf(line, sizeof line, "  %s  (%s)", place, count);
        tui_frame_puts(f, x + col, y, line, w - col, base);
        return;
    }
    char c2[40];
    snprintf(c2, sizeof c2, "  %s", count);
    tui_frame_puts(f, x + col, y, c2, w - col, base | TUI_A_DIM);
    tui_frame_puts(f, x + 2, y + 1, place, w - 2, base);
}

static void
draw_item_entry(struct holdings_tab *t, const struct core_item_info *it, struct tui_frame *f, int x,
                int y, int w, uint16_t base)
{
    uint16_t sattr =
        it->status == CORE_ITEM_IN_PLACE ? base : base | TUI_A_BOLD | TUI_COLOR(TUI_C_WARNING);
    const char *barcode = it->barcode[0] ? it->barcode : "(no barcode)";
    int col = tui_frame_puts(f, x + 2, y, it->mms, w - 2, base | TUI_A_DIM) + 2;
    char rest[256];
    snprintf(rest, sizeof rest, " %s", barcode);
    col += tui_frame_puts(f, x + col, y, rest, w - col, base);
    if (!t->wide) {
        y++;
        col = 4;
    }
    if (it->description[0]) {
        snprintf(rest, sizeof rest, "  %s", it->description);
        col += tui_frame_puts(f, x + col, y, rest + (t->wide ? 0 : 2), w - col, base);
    }
    if (t->wide || it->description[0])
        col += tui_frame_puts(f, x + col, y, "  ", w - col, base);
    tui_frame_puts(f, x + col, y, core_item_status_name(it->status), w - col, sattr);
}

static void
draw_entry(void *ctx, size_t i, struct tui_frame *f, int x, int y, int w, bool selected)
{
    struct holdings_tab *t = ctx;
    const struct entry *e = &t->e[i];
    uint16_t base = selected ? TUI_A_REVERSE : TUI_A_NONE;
    if (e->item < 0)
        draw_holdings_entry(t, &t->h[e->h], e->h, f, x, y, w, base);
    else
        draw_item_entry(t, &t->items[e->h][e->item], f, x, y, w, base);
}

static void
holdings_draw(void *st, struct tui_app *app, struct tui_frame *f, struct tui_rect r, bool focused)
{
    struct holdings_tab *t = st;
    ensure_loaded(t, app);
    if (!t->bib[0]) {
        tui_frame_puts(f, r.x, r.y, "Open a bib to see its holdings", r.w, TUI_A_DIM);
        tui_frame_puts(f, r.x, r.y + 1, "and items (C-o, or C-f search).", r.w, TUI_A_DIM);
        return;
    }
    t->wide = r.w >= WIDE;
    char head[320];
    snprintf(head, sizeof head, "Holdings of %s", t->bib);
    tui_frame_puts(f, r.x, r.y, head, r.w, TUI_A_BOLD);
    int items = 0;
    for (size_t k = 0; k < t->nh; k++)
        items += (int)t->nitems[k];
    snprintf(head, sizeof head, "%zu holdings, %d item%s%s%s", t->nh, items, items == 1 ? "" : "s",
             t->bib_info.title[0] ? " - " : "", t->bib_info.title);
    tui_frame_puts(f, r.x, r.y + 1, head, r.w, TUI_A_DIM);
    if (!t->nh) {
        tui_frame_puts(f, r.x, r.y + 3, "No holdings: this bib is found", r.w, TUI_A_NONE);
        tui_frame_puts(f, r.x, r.y + 4, "only under All titles.", r.w, TUI_A_NONE);
    } else {
        tui_vlist_draw(&t->list, f, (struct tui_rect){r.x, r.y + 2, r.w, r.h - 4}, focused);
    }
    uint16_t hint = TUI_A_DIM | TUI_COLOR(TUI_C_HINT);
    if (t->wide) {
        tui_frame_puts(f, r.x, r.y + r.h - 1,
                       "Enter open  e edit  Space fold  m move  a/i add holdings/item  b bib",
                       r.w, hint);
        return;
    }
    tui_frame_puts(f, r.x, r.y + r.h - 2, "Enter open  e edit  Space fold", r.w, hint);
    tui_frame_puts(f, r.x, r.y + r.h - 1, "a holdings  i item  m move  b bib", r.w, hint);
}

/* ---- adding holdings ---- */

/* 852 first indicator (shelving scheme) from the look of the call number. */
static char
shelving_scheme(const char *call)
{
    if (!*call)
        return ' ';
    if (isdigit((unsigned char)call[0]))
        return '1'; /* Dewey */
    size_t letters = 0;
    while (isupper((unsigned char)call[letters]))
        letters++;
    size_t gap = call[letters] == ' ' ? 1 : 0; /* "KF 801" as well as "KF801" */
    if (letters >= 1 && letters <= 3 && isdigit((unsigned char)call[letters + gap]))
        return '0'; /* Library of Congress */
    return '8';     /* other scheme */
}

/*
 * A new holdings record: leader for single-part item holdings, a 008 with
 * today's date (acquisition status unknown, permanently retained, one copy)
 * and the 852.  001, 004 and 005 are the core's to set.
 */
static struct marc_record *
new_mfhd(const char *lib, const char *loc, const char *call)
{
    struct marc_record *r = marc_record_new();
    marc_record_set_leader(r, "00000nx  a22000001n 4500", 24);
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char day[16], f008[40];
    strftime(day, sizeof day, "%Y%m%d", &tm); /* 008 dates are yymmdd */
    snprintf(f008, sizeof f008, "%.6s0u    8   4001uu   0%.6s", day + 2, day + 2);
    marc_record_add_control(r, "008", f008, strlen(f008));
    long i = marc_record_add_data(r, "852", shelving_scheme(call), ' ');
    marc_record_append_subfield(r, (size_t)i, 'b', lib, strlen(lib));
    if (*loc)
        marc_record_append_subfield(r, (size_t)i, 'c', loc, strlen(loc));
    if (*call)
        marc_record_append_subfield(r, (size_t)i, 'h', call, strlen(call));
    return r;
}

/* Leading and trailing blanks off a prompt answer into out. */
static void
trimmed(const char *text, char *out, size_t size)
{
    while (*text == ' ')
        text++;
    size_t n = strlen(text);
    while (n && text[n - 1] == ' ')
        n--;
    snprintf(out, size, "%.*s", (int)n, text);
}

/* The selected holdings (or the holdings of the selected item); NULL when none. */
static const struct core_holdings_info *
selected_holdings(const struct holdings_tab *t)
{
    if (!t->ne || t->list.sel >= t->ne)
        return NULL;
    return &t->h[t->e[t->list.sel].h];
}

static void
call_done(struct tui_app *app, void *ctx, const char *text)
{
    struct holdings_tab *t = ctx;
    if (!text)
        return;
    char call[128];
    trimmed(text, call, sizeof call);
    struct marc_record *r = new_mfhd(t->lib, t->loc, call);
    char mms[CORE_MMS_MAX];
    if (core_holdings_create(tui_app_repo(app), t->bib, r, "create", NULL, NULL, mms) != CORE_OK) {
        tui_app_core_error(app, "Holdings not added");
    } else {
        load(t, app);
        select_mms(t, mms);
        tui_vlist_reset(&t->list, t->ne);
        tui_app_message(app, TUI_MSG_INFO, "Added holdings %s (%s%s%s) to %s; Enter opens it", mms,
                        t->lib, t->loc[0] ? " / " : "", t->loc, t->bib);
    }
    marc_record_free(r);
}

static void
location_done(struct tui_app *app, void *ctx, const char *text)
{
    struct holdings_tab *t = ctx;
    if (!text)
        return;
    trimmed(text, t->loc, sizeof t->loc);
    const struct core_holdings_info *h = selected_holdings(t);
    tui_app_prompt(app, "Call number (852 $h; may be empty):", h ? h->call_number : "", call_done,
                   t);
}

static void
library_done(struct tui_app *app, void *ctx, const char *text)
{
    struct holdings_tab *t = ctx;
    if (!text)
        return;
    trimmed(text, t->lib, sizeof t->lib);
    if (!t->lib[0]) {
        tui_app_message(app, TUI_MSG_ERROR,
                        "Holdings not added: a holdings record needs a library (852 $b)");
        return;
    }
    const struct core_holdings_info *h = selected_holdings(t);
    tui_app_prompt(app, "Location code (852 $c):", h ? h->location : "", location_done, t);
}

static void
add_holdings(struct holdings_tab *t, struct tui_app *app)
{
    if (t->bib_info.deleted) {
        tui_app_message(app, TUI_MSG_ERROR, "%s is deleted: it cannot get holdings", t->bib);
        return;
    }
    const struct core_holdings_info *h = selected_holdings(t);
    char q[128];
    snprintf(q, sizeof q, "New holdings for %s: library code (852 $b):", t->bib);
    tui_app_prompt(app, q, h ? h->library : "", library_done, t);
}

/* ---- adding an item ---- */

static void status_done(struct tui_app *app, void *ctx, const char *text);

/* The changed item (t->editing) goes to the core. */
static void
apply_item_edit(struct holdings_tab *t, struct tui_app *app, enum core_item_status status)
{
    struct core_item_info it = t->editing;
    snprintf(it.barcode, sizeof it.barcode, "%s", t->barcode);
    snprintf(it.description, sizeof it.description, "%s", t->desc);
    it.status = status;
    t->editing.mms[0] = '\0';
    if (core_item_update(tui_app_repo(app), &it) != CORE_OK) {
        tui_app_core_error(app, "Item not changed");
        return;
    }
    load(t, app);
    select_mms(t, it.mms);
    tui_vlist_reset(&t->list, t->ne);
    tui_app_message(app, TUI_MSG_INFO, "Item %s: barcode %s, %s%s%s", it.mms,
                    it.barcode[0] ? it.barcode : "none", it.description,
                    it.description[0] ? ", " : "", core_item_status_name(it.status));
}

static void
status_done(struct tui_app *app, void *ctx, const char *text)
{
    struct holdings_tab *t = ctx;
    if (!text) {
        t->editing.mms[0] = '\0';
        return;
    }
    char s[32];
    trimmed(text, s, sizeof s);
    int status = s[0] ? core_item_status_parse(s) : CORE_ITEM_IN_PLACE;
    if (status < 0) {
        tui_app_message(app, TUI_MSG_ERROR,
                        "Unknown status \"%s\": in place, missing, lost, withdrawn or predicted",
                        s);
        tui_app_prompt(app, "Status (in place, missing, lost, withdrawn, predicted):",
                       t->editing.mms[0] ? core_item_status_name(t->editing.status) : "in place",
                       status_done, t);
        return;
    }
    if (t->editing.mms[0]) {
        apply_item_edit(t, app, (enum core_item_status)status);
        return;
    }
    struct core_item_info it;
    memset(&it, 0, sizeof it);
    snprintf(it.barcode, sizeof it.barcode, "%s", t->barcode);
    snprintf(it.description, sizeof it.description, "%s", t->desc);
    it.status = (enum core_item_status)status;
    char mms[CORE_MMS_MAX];
    if (core_item_create(tui_app_repo(app), t->item_holdings, &it, mms) != CORE_OK) {
        tui_app_core_error(app, "Item not added");
        return;
    }
    load(t, app);
    select_mms(t, mms);
    tui_vlist_reset(&t->list, t->ne);
    tui_app_message(app, TUI_MSG_INFO, "Added item %s (barcode %s) to holdings %s", mms,
                    t->barcode[0] ? t->barcode : "none", t->item_holdings);
}

static void
description_done(struct tui_app *app, void *ctx, const char *text)
{
    struct holdings_tab *t = ctx;
    if (!text)
        return;
    trimmed(text, t->desc, sizeof t->desc);
    tui_app_prompt(app, "Status (in place, missing, lost, withdrawn, predicted):",
                   t->editing.mms[0] ? core_item_status_name(t->editing.status) : "in place",
                   status_done, t);
}

static void
barcode_done(struct tui_app *app, void *ctx, const char *text)
{
    struct holdings_tab *t = ctx;
    if (!text) {
        t->editing.mms[0] = '\0';
        return;
    }
    trimmed(text, t->barcode, sizeof t->barcode);
    if (t->barcode[0]) {
        struct core_item_info other;
        if (core_item_by_barcode(tui_app_repo(app), t->barcode, &other) == CORE_OK &&
            strcmp(other.mms, t->editing.mms) != 0) {
            tui_app_message(app, TUI_MSG_ERROR, "Barcode %s already belongs to item %s", t->barcode,
                            other.mms);
            t->editing.mms[0] = '\0';
            return;
        }
    }
    tui_app_prompt(app, "Description (e.g. v.3; may be empty):", t->editing.description,
                   description_done, t);
}

static void
add_item(struct holdings_tab *t, struct tui_app *app)
{
    const struct core_holdings_info *h = selected_holdings(t);
    if (!h) {
        tui_app_message(app, TUI_MSG_ERROR, "Items belong to holdings: add holdings first (a)");
        return;
    }
    snprintf(t->item_holdings, sizeof t->item_holdings, "%s", h->mms);
    memset(&t->editing, 0, sizeof t->editing);
    char q[128];
    snprintf(q, sizeof q, "New item in holdings %s: barcode:", h->mms);
    tui_app_prompt(app, q, "", barcode_done, t);
}

/* e on an item: its barcode, description and status, asked in turn. */
static void
edit_item(struct holdings_tab *t, struct tui_app *app)
{
    const struct entry *e = &t->e[t->list.sel];
    if (e->item < 0) { /* a holdings record is edited as MARC in the left pane */
        const char *mms = t->h[e->h].mms;
        if (strcmp(mms, tui_app_mms(app)) == 0)
            app->focus = TUI_FOCUS_LEFT;
        else
            tui_app_open(app, mms);
        return;
    }
    t->editing = t->items[e->h][e->item];
    char q[128];
    snprintf(q, sizeof q, "Item %s: barcode:", t->editing.mms);
    tui_app_prompt(app, q, t->editing.barcode, barcode_done, t);
}

/* ---- keys ---- */

static void
show_item(struct holdings_tab *t, struct tui_app *app, const struct core_item_info *it)
{
    const struct core_holdings_info *h = selected_holdings(t);
    struct marc_buf b = MARC_BUF_INIT;
    marc_buf_printf(&b, "Item        %s\n", it->mms);
    marc_buf_printf(&b, "Barcode     %s\n", it->barcode[0] ? it->barcode : "(none)");
    marc_buf_printf(&b, "Description %s\n", it->description[0] ? it->description : "(none)");
    marc_buf_printf(&b, "Status      %s\n", core_item_status_name(it->status));
    marc_buf_printf(&b, "Holdings    %s\n", it->holdings);
    if (h)
        marc_buf_printf(&b, "            %s / %s  %s\n", h->library, h->location, h->call_number);
    marc_buf_printf(&b, "Bib         %s\n", t->bib);
    marc_buf_puts(&b, "\ne in the Holdings tab changes the item (barcode, description,\n"
                      "status); m moves it to other holdings (Relink).\n");
    char title[64];
    snprintf(title, sizeof title, "Item %s", it->mms);
    tui_app_show_text(app, title, b.data);
    marc_buf_free(&b);
}

static void
enter(struct holdings_tab *t, struct tui_app *app)
{
    const struct entry *e = &t->e[t->list.sel];
    if (e->item >= 0) {
        show_item(t, app, &t->items[e->h][e->item]);
        return;
    }
    const char *mms = t->h[e->h].mms;
    if (strcmp(mms, tui_app_mms(app)) == 0) {
        app->focus = TUI_FOCUS_LEFT;
        return;
    }
    tui_app_open(app, mms);
}

static void
fold(struct holdings_tab *t, int how /* 1 open, 0 close, -1 toggle */)
{
    struct entry *e = &t->e[t->list.sel];
    if (e->item >= 0 && how != 1) {
        t->open[e->h] = false;
        /* the selection goes to the holdings the item folded into */
        for (size_t i = 0; i < t->ne; i++)
            if (t->e[i].item < 0 && t->e[i].h == e->h)
                t->list.sel = i;
        return;
    }
    if (e->item < 0)
        t->open[e->h] = how < 0 ? !t->open[e->h] : how == 1;
}

static bool
holdings_key(void *st, struct tui_app *app, int key)
{
    struct holdings_tab *t = st;
    ensure_loaded(t, app);
    if (!t->bib[0])
        return false;
    switch (key) {
    case 'a':
        add_holdings(t, app);
        return true;
    case 'i':
        add_item(t, app);
        return true;
    case 'b':
        if (strcmp(t->bib, tui_app_mms(app)) == 0)
            tui_app_message(app, TUI_MSG_INFO, "The bib %s is the record on the left", t->bib);
        else
            tui_app_open(app, t->bib);
        return true;
    default:
        break;
    }
    if (!t->ne)
        return false;
    if (tui_vlist_key(&t->list, key, tui_app_right_rows(app) - 4))
        return true;
    switch (key) {
    case TUI_KEY_ENTER:
        enter(t, app);
        return true;
    case ' ':
        fold(t, -1);
        return true;
    case TUI_KEY_RIGHT:
        fold(t, 1);
        return true;
    case TUI_KEY_LEFT:
        fold(t, 0);
        return true;
    case 'm':
        tui_relink_start(app, entry_mms(t, t->list.sel));
        return true;
    case 'e':
        edit_item(t, app);
        return true;
    default:
        return false;
    }
}

/* ---- the tab ---- */

static void *
holdings_create(struct tui_app *app)
{
    struct holdings_tab *t = xcalloc(1, sizeof *t);
    t->stale = true;
    t->list.rows = entry_rows;
    t->list.draw = draw_entry;
    t->list.ctx = t;
    return t;
}

static void
holdings_destroy(void *st)
{
    struct holdings_tab *t = st;
    free_tree(t);
    free(t);
}

static void
holdings_changed(void *st, struct tui_app *app)
{
    ((struct holdings_tab *)st)->stale = true;
}

const struct tui_tab_ops tui_tab_holdings = {
    .name = "Holdings",
    .label = "Hld",
    .create = holdings_create,
    .destroy = holdings_destroy,
    .draw = holdings_draw,
    .key = holdings_key,
    .record_changed = holdings_changed,
    .shown = holdings_changed,
};
