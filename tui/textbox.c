/*
 * textbox.c - word-wrapped, scrolled lines of text (see textbox.h).
 */
#include "textbox.h"

#include "keys.h"

#include "buf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define INDENT 2 /* continuation rows of a wrapped line */

void
tui_textbox_clear(struct tui_textbox *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->lines[i]);
    t->n = 0;
    t->scroll = 0;
}

void
tui_textbox_free(struct tui_textbox *t)
{
    tui_textbox_clear(t);
    free(t->lines);
    free(t->attrs);
    t->lines = NULL;
    t->attrs = NULL;
    t->cap = 0;
}

static void
push(struct tui_textbox *t, uint16_t attr, const char *s, size_t len)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->lines = xrealloc(t->lines, t->cap * sizeof *t->lines);
        t->attrs = xrealloc(t->attrs, t->cap * sizeof *t->attrs);
    }
    t->lines[t->n] = xstrndup(s, len);
    t->attrs[t->n++] = attr;
}

void
tui_textbox_add(struct tui_textbox *t, uint16_t attr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    const char *p = s;
    for (;;) {
        const char *nl = strchr(p, '\n');
        push(t, attr, p, nl ? (size_t)(nl - p) : strlen(p));
        if (!nl)
            break;
        p = nl + 1;
    }
    free(s);
}

/*
 * Bytes of s (len) that go on one row of `cols` columns, breaking after a
 * space when the text does not fit; *skip gets the bytes to skip after
 * them (the space the row broke at).
 */
static size_t
row_bytes(const char *s, size_t len, int cols, size_t *skip)
{
    *skip = 0;
    size_t fit = tui_text_fit(s, len, cols > 0 ? cols : 1, NULL);
    if (fit == 0 && len > 0)
        fit = 1; /* a character wider than the row: never loop */
    if (fit >= len)
        return len;
    for (size_t i = fit; i > 0; i--)
        if (s[i] == ' ') {
            *skip = 1;
            return i;
        }
    return fit;
}

/* Draw the rows first..last-1 of line s, its row 0 at y (f may be NULL to only
 * count); returns the rows the line takes. */
static int
wrap_line(const char *s, int w, struct tui_frame *f, int x, int y, int first, int last,
          uint16_t attr)
{
    size_t len = strlen(s);
    int row = 0;
    do {
        int indent = row ? INDENT : 0;
        size_t skip;
        size_t n = row_bytes(s, len, w - indent, &skip);
        if (f && row >= first && row < last)
            tui_frame_put(f, x + indent, y + row, s, n, w - indent, attr);
        s += n + skip;
        len -= n + skip;
        row++;
    } while (len > 0);
    return row;
}

int
tui_textbox_rows(const struct tui_textbox *t, int w)
{
    int rows = 0;
    for (size_t i = 0; i < t->n; i++)
        rows += wrap_line(t->lines[i], w, NULL, 0, 0, 0, 0, 0);
    return rows;
}

static void
clamp(struct tui_textbox *t, int w, int h)
{
    int max = tui_textbox_rows(t, w) - h;
    if (t->scroll > max)
        t->scroll = max;
    if (t->scroll < 0)
        t->scroll = 0;
}

int
tui_textbox_draw(struct tui_textbox *t, struct tui_frame *f, struct tui_rect r)
{
    if (r.w <= INDENT || r.h <= 0)
        return 0;
    clamp(t, r.w, r.h);
    int row = 0; /* rows of the text before line i */
    for (size_t i = 0; i < t->n && row < t->scroll + r.h; i++)
        row += wrap_line(t->lines[i], r.w, f, r.x, r.y + row - t->scroll, t->scroll - row,
                         t->scroll + r.h - row, t->attrs[i]);
    int drawn = row - t->scroll;
    return drawn < r.h ? drawn : r.h;
}

bool
tui_textbox_key(struct tui_textbox *t, int key, int w, int h)
{
    int page = h > 2 ? h - 1 : 1;
    switch (key) {
    case TUI_KEY_UP:
        t->scroll--;
        break;
    case TUI_KEY_DOWN:
        t->scroll++;
        break;
    case TUI_KEY_PGUP:
        t->scroll -= page;
        break;
    case TUI_KEY_PGDN:
        t->scroll += page;
        break;
    case TUI_KEY_HOME:
        t->scroll = 0;
        break;
    case TUI_KEY_END:
        t->scroll = 1 << 20;
        break;
    default:
        return false;
    }
    clamp(t, w, h);
    return true;
}
