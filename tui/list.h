/*
 * list.h - a scrolling list with a selection, for the tabs of the right
 * pane.  Items take a fixed number of rows each; the caller draws an item
 * when asked.
 */
#ifndef TUI_LIST_H
#define TUI_LIST_H

#include "frame.h"
#include "layout.h"

#include <stdbool.h>
#include <stddef.h>

struct tui_list {
    size_t count;
    size_t sel;
    size_t top;
    int item_rows; /* rows per item, at least 1 */
};

/* Draw item i at (x, y), `w` columns wide, `selected` when it is the selection. */
typedef void (*tui_list_item_fn)(void *ctx, size_t i, struct tui_frame *f, int x, int y, int w,
                                 bool selected);

void tui_list_reset(struct tui_list *l, size_t count, int item_rows);
/* Up, Down, PgUp, PgDn, Home, End: true when the key was one of them. */
bool tui_list_key(struct tui_list *l, int key, int rows_visible);
/* Draw the visible items in r (keeps the selection visible). */
void tui_list_draw(struct tui_list *l, struct tui_frame *f, struct tui_rect r, bool focused,
                   tui_list_item_fn item, void *ctx);

#endif
