/*
 * list.c - scrolling list (see list.h).
 */
#include "list.h"

#include "keys.h"

void
tui_list_reset(struct tui_list *l, size_t count, int item_rows)
{
    l->count = count;
    l->item_rows = item_rows > 0 ? item_rows : 1;
    if (l->sel >= count)
        l->sel = count ? count - 1 : 0;
    if (l->top > l->sel)
        l->top = l->sel;
}

bool
tui_list_key(struct tui_list *l, int key, int rows_visible)
{
    size_t page = (size_t)(rows_visible / (l->item_rows ? l->item_rows : 1));
    if (page < 1)
        page = 1;
    switch (key) {
    case TUI_KEY_UP:
        if (l->sel > 0)
            l->sel--;
        return true;
    case TUI_KEY_DOWN:
        if (l->sel + 1 < l->count)
            l->sel++;
        return true;
    case TUI_KEY_PGUP:
        l->sel = l->sel > page ? l->sel - page : 0;
        return true;
    case TUI_KEY_PGDN:
        l->sel = l->sel + page < l->count ? l->sel + page : (l->count ? l->count - 1 : 0);
        return true;
    case TUI_KEY_HOME:
        l->sel = 0;
        return true;
    case TUI_KEY_END:
        l->sel = l->count ? l->count - 1 : 0;
        return true;
    default:
        return false;
    }
}

void
tui_list_draw(struct tui_list *l, struct tui_frame *f, struct tui_rect r, bool focused,
              tui_list_item_fn item, void *ctx)
{
    if (l->item_rows < 1)
        l->item_rows = 1; /* a list never reset yet */
    size_t visible = (size_t)(r.h / l->item_rows);
    if (visible == 0)
        return;
    if (l->sel < l->top)
        l->top = l->sel;
    if (l->sel >= l->top + visible)
        l->top = l->sel - visible + 1;
    for (size_t k = 0; k < visible && l->top + k < l->count; k++) {
        size_t i = l->top + k;
        int y = r.y + (int)k * l->item_rows;
        bool sel = i == l->sel;
        if (sel && focused)
            tui_frame_fill(f, r.x, y, r.w, l->item_rows, " ", TUI_A_REVERSE);
        item(ctx, i, f, r.x, y, r.w, sel && focused);
        if (sel && focused) {
            f->cursor_x = -1;
            f->cursor_y = -1;
        }
    }
}
