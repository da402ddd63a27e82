/*
 * vlist.h - a scrolling list whose entries take different numbers of rows,
 * for the trees and sectioned lists of the right pane (Holdings & items,
 * Relink, Queue).
 *
 * An entry may be hidden (0 rows: an item folded under its holdings) or
 * not selectable (a section heading, "none").  The selection only ever
 * rests on a visible, selectable entry; drawing scrolls to keep it, and
 * the heading just above it, on screen.  The owner keeps the entries; the
 * list asks for their rows and draws them through callbacks.
 */
#ifndef TUI_VLIST_H
#define TUI_VLIST_H

#include "frame.h"
#include "layout.h"

#include <stdbool.h>
#include <stddef.h>

struct tui_vlist {
    size_t count;
    size_t sel;
    size_t top; /* first entry drawn */
    /* Rows entry i takes (0: hidden). */
    int (*rows)(void *ctx, size_t i);
    /* Whether entry i can be selected; NULL: every visible entry. */
    bool (*selectable)(void *ctx, size_t i);
    /* Draw entry i at (x, y), w columns wide, on its rows. */
    void (*draw)(void *ctx, size_t i, struct tui_frame *f, int x, int y, int w, bool selected);
    void *ctx;
};

/* The entries changed: count them again and move the selection to a
 * selectable entry (the nearest one at or after it, else before it). */
void tui_vlist_reset(struct tui_vlist *l, size_t count);
/* Select entry i if it is selectable; false when not. */
bool tui_vlist_select(struct tui_vlist *l, size_t i);
/* True when the selection rests on a selectable entry (false when none is). */
bool tui_vlist_valid(const struct tui_vlist *l);
/* Up, Down, PgUp, PgDn, Home, End: true when the key was one of them. */
bool tui_vlist_key(struct tui_vlist *l, int key, int rows_visible);
/* Draw the entries that fit in r; the selection is highlighted when focused. */
void tui_vlist_draw(struct tui_vlist *l, struct tui_frame *f, struct tui_rect r, bool focused);

#endif
