/*
 * layout.c - screen geometry (see layout.h).
 */
#include "layout.h"

void
tui_layout_compute(int w, int h, enum tui_zoom zoom, struct tui_layout *out)
{
    if (w < 20)
        w = 20;
    if (h < 6)
        h = 6;
    int body = h - 2;
    out->title = (struct tui_rect){0, 0, w, 1};
    out->status = (struct tui_rect){0, h - 1, w, 1};
    int left_w;
    if (zoom == TUI_ZOOM_LEFT)
        left_w = w;
    else if (zoom == TUI_ZOOM_RIGHT)
        left_w = 0;
    else
        left_w = w * 58 / 100; /* the record gets the larger share */
    int border = zoom == TUI_ZOOM_NONE ? 1 : 0;
    int right_w = w - left_w - border;
    out->left = (struct tui_rect){0, 1, left_w, body};
    out->border = (struct tui_rect){left_w, 1, border, body};
    int rx = left_w + border;
    out->tabs = (struct tui_rect){rx, 1, right_w, right_w > 0 ? 1 : 0};
    out->right = (struct tui_rect){rx, 2, right_w, right_w > 0 ? body - 1 : 0};
}
