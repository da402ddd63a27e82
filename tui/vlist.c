/*
 * vlist.c - list of entries of different heights (see vlist.h).
 */
#include "vlist.h"

#include "keys.h"

static int
rows_of(const struct tui_vlist *l, size_t i)
{
    int n = l->rows ? l->rows(l->ctx, i) : 1;
    return n > 0 ? n : 0;
}

static bool
can_select(const struct tui_vlist *l, size_t i)
{
    return i < l->count && rows_of(l, i) > 0 && (!l->selectable || l->selectable(l->ctx, i));
}

bool
tui_vlist_valid(const struct tui_vlist *l)
{
    return can_select(l, l->sel);
}

bool
tui_vlist_select(struct tui_vlist *l, size_t i)
{
    if (!can_select(l, i))
        return false;
    l->sel = i;
    return true;
}

void
tui_vlist_reset(struct tui_vlist *l, size_t count)
{
    l->count = count;
    if (l->top >= count)
        l->top = 0;
    if (l->sel >= count)
        l->sel = count ? count - 1 : 0;
    if (can_select(l, l->sel))
        return;
    for (size_t i = l->sel; i < count; i++)
        if (can_select(l, i)) {
            l->sel = i;
            return;
        }
    for (size_t i = l->sel; i-- > 0;)
        if (can_select(l, i)) {
            l->sel = i;
            return;
        }
}

/* Move the selection by `steps` selectable entries (negative: up), or until
 * `rows` rows have been passed when rows > 0. */
static void
move(struct tui_vlist *l, int dir, int steps, int rows)
{
    size_t i = l->sel;
    int passed = 0;
    while (steps > 0 || rows > 0) {
        size_t j = i;
        do {
            if (dir < 0 ? j == 0 : j + 1 >= l->count)
                goto out;
            j = dir < 0 ? j - 1 : j + 1;
            passed += rows_of(l, j);
        } while (!can_select(l, j));
        i = j;
        if (steps > 0)
            steps--;
        if (rows > 0 && passed >= rows)
            break;
    }
out:
    l->sel = i;
}

bool
tui_vlist_key(struct tui_vlist *l, int key, int rows_visible)
{
    int page = rows_visible > 2 ? rows_visible - 1 : 1;
    switch (key) {
    case TUI_KEY_UP:
        move(l, -1, 1, 0);
        return true;
    case TUI_KEY_DOWN:
        move(l, 1, 1, 0);
        return true;
    case TUI_KEY_PGUP:
        move(l, -1, 0, page);
        return true;
    case TUI_KEY_PGDN:
        move(l, 1, 0, page);
        return true;
    case TUI_KEY_HOME:
        for (size_t i = 0; i < l->count; i++)
            if (can_select(l, i)) {
                l->sel = i;
                break;
            }
        return true;
    case TUI_KEY_END:
        for (size_t i = l->count; i-- > 0;)
            if (can_select(l, i)) {
                l->sel = i;
                break;
            }
        return true;
    default:
        return false;
    }
}

/* Rows from entry a to entry b inclusive. */
static int
span(const struct tui_vlist *l, size_t a, size_t b)
{
    int n = 0;
    for (size_t i = a; i <= b && i < l->count; i++)
        n += rows_of(l, i);
    return n;
}

static void
scroll_to_selection(struct tui_vlist *l, int height)
{
    if (!l->count)
        return;
    size_t sel = l->sel < l->count ? l->sel : l->count - 1;
    if (sel < l->top) {
        l->top = sel;
        /* Show the headings just above the selection too, when they fit. */
        while (l->top > 0 && !can_select(l, l->top - 1) && span(l, l->top - 1, sel) <= height)
            l->top--;
    }
    while (l->top < sel && span(l, l->top, sel) > height)
        l->top++;
}

void
tui_vlist_draw(struct tui_vlist *l, struct tui_frame *f, struct tui_rect r, bool focused)
{
    if (r.h <= 0 || r.w <= 0)
        return;
    scroll_to_selection(l, r.h);
    int y = r.y;
    for (size_t i = l->top; i < l->count; i++) {
        int n = rows_of(l, i);
        if (n == 0)
            continue;
        if (y + n > r.y + r.h)
            break;
        bool sel = focused && i == l->sel && can_select(l, i);
        if (sel)
            tui_frame_fill(f, r.x, y, r.w, n, " ", TUI_A_REVERSE);
        l->draw(l->ctx, i, f, r.x, y, r.w, sel);
        y += n;
    }
}
