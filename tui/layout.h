/*
 * layout.h - where each part of the screen goes, computed without curses.
 *
 *   row 0        title bar
 *   rows 1..h-2  left pane (record) | right pane (tabs, then the tab's body)
 *   row h-1      key hints and messages
 *
 * Either pane can be zoomed to full width.  At 80x24 the record pane gets
 * 46 columns and the right pane 33 (one column of border between).
 */
#ifndef TUI_LAYOUT_H
#define TUI_LAYOUT_H

#include <stdbool.h>

struct tui_rect {
    int x, y, w, h;
};

enum tui_zoom { TUI_ZOOM_NONE, TUI_ZOOM_LEFT, TUI_ZOOM_RIGHT };

struct tui_layout {
    struct tui_rect title;
    struct tui_rect left;       /* record pane (w 0 when the right pane is zoomed) */
    struct tui_rect border;     /* vertical line between the panes */
    struct tui_rect tabs;       /* tab names of the right pane */
    struct tui_rect right;      /* body of the right pane (w 0 when left is zoomed) */
    struct tui_rect status;     /* bottom line */
};

/* Compute the layout for a terminal of w x h. */
void tui_layout_compute(int w, int h, enum tui_zoom zoom, struct tui_layout *out);

#endif
