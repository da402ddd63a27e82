/*
 * view-record.c - the record pane (see view-record.h).
 */
#include "view-record.h"

#include <string.h>

#define GUTTER 1
#define WRAP_INDENT (GUTTER + TUI_CONTENT_COL)

/* True when a subfield delimiter ($$ and a code) starts at byte i. */
static bool
delim_at(const char *s, size_t len, size_t i)
{
    if (i + 2 >= len || s[i] != '$' || s[i + 1] != '$')
        return false;
    unsigned char c = (unsigned char)s[i + 2];
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
line_is_control(const char *s, size_t len)
{
    return (len >= 3 && memcmp(s, "LDR", 3) == 0) || (len >= 3 && s[0] == '0' && s[1] == '0');
}

/* Bytes of the next character at s[i] (UTF-8 lead byte rules). */
static size_t
char_bytes(const char *s, size_t len, size_t i)
{
    size_t n = 1;
    while (i + n < len && ((unsigned char)s[i + n] & 0xC0) == 0x80)
        n++;
    return n;
}

/*
 * Lay the line out: for each character its row and column.  Calls `put` for
 * each character when f is not NULL; returns the rows used; fills the
 * cursor position when cursor_col matches a character start (or the end).
 */
static int
layout_line(const char *s, size_t len, int width, struct tui_frame *f, int x, int y, int max_rows,
            size_t cursor_col, int *cx, int *cy, uint16_t base)
{
    bool control = line_is_control(s, len);
    int row = 0, col = GUTTER;
    size_t delim_end = 0; /* bytes before this are part of a $$x marker */
    for (size_t i = 0; i <= len;) {
        if (i == cursor_col && cx) {
            *cx = col;
            *cy = row;
        }
        if (i == len)
            break;
        size_t n = char_bytes(s, len, i);
        /* combining marks go with their base character into one cell */
        while (i + n < len && n < 24) {
            size_t m = char_bytes(s, len, i + n);
            if (n + m > 24 || tui_text_width(s + i + n, m) != 0)
                break;
            n += m;
        }
        char shown[32];
        memcpy(shown, s + i, n);
        shown[n] = '\0';
        /* a blank indicator shows as _ so it can be seen and typed over */
        if (!control && (i == 4 || i == 5) && s[i] == ' ')
            shown[0] = '_';
        int w = tui_text_width(shown, n);
        /* Wrap before a word that would not fit (or mid-word when it never can). */
        bool word_start = (i > 0 && s[i - 1] == ' ' && s[i] != ' ') ||
                          (!control && i >= TUI_CONTENT_COL && delim_at(s, len, i));
        if (word_start && col > WRAP_INDENT) {
            size_t end = i;
            while (end < len && s[end] != ' ' && !(end > i + 2 && delim_at(s, len, end)))
                end++;
            int ww = tui_text_width(s + i, end - i);
            if (col + ww > width && ww <= width - WRAP_INDENT) {
                row++;
                col = WRAP_INDENT;
                if (i == cursor_col && cx) {
                    *cx = col;
                    *cy = row;
                }
            }
        }
        if (s[i] == ' ' && col + w > width) {
            /* A space at the edge is not carried over to start the next row. */
            col += w;
            i += n;
            continue;
        }
        if (col + w > width && col > WRAP_INDENT) {
            row++;
            col = WRAP_INDENT;
            if (i == cursor_col && cx) {
                *cx = col;
                *cy = row;
            }
        }
        if (!control && i >= TUI_CONTENT_COL && delim_at(s, len, i))
            delim_end = i + 3;
        if (f && row < max_rows) {
            uint16_t a = base;
            if (i < 3)
                a |= TUI_A_BOLD | TUI_COLOR(TUI_C_TAG);
            else if (i < delim_end)
                a |= TUI_A_BOLD | TUI_COLOR(TUI_C_DELIM);
            if (!control && (i == 4 || i == 5) && s[i] == ' ')
                a |= TUI_A_DIM;
            tui_frame_put(f, x + col, y + row, shown, n, width - col, a);
        }
        col += w;
        i += n;
    }
    if (cx && cursor_col > len) {
        *cx = col;
        *cy = row;
    }
    return row + 1;
}

int
tui_record_view_rows(const char *line, size_t len, int width)
{
    return layout_line(line, len, width, NULL, 0, 0, 0, (size_t)-1, NULL, NULL, 0);
}

void
tui_record_view_draw(struct tui_record_view *v, const struct tui_editor *ed, const uint8_t *marks,
                     bool focused, struct tui_frame *f, struct tui_rect r)
{
    if (r.w <= GUTTER + 4 || r.h <= 0)
        return;
    size_t n = tui_editor_line_count(ed), cl, cc;
    tui_editor_cursor(ed, &cl, &cc);
    /* Scroll so that the cursor's line is on screen, whole when it fits. */
    if (cl < v->top)
        v->top = cl;
    for (;;) {
        int rows = 0;
        for (size_t i = v->top; i <= cl && i < n; i++) {
            size_t len;
            const char *s = tui_editor_line(ed, i, &len);
            rows += tui_record_view_rows(s, len, r.w);
        }
        if (rows <= r.h || v->top >= cl)
            break;
        v->top++;
    }
    int y = 0;
    for (size_t i = v->top; i < n && y < r.h; i++) {
        size_t len;
        const char *s = tui_editor_line(ed, i, &len);
        uint8_t m = marks ? marks[i] : TUI_MARK_NONE;
        if (m != TUI_MARK_NONE)
            tui_frame_puts(f, r.x, r.y + y, m == TUI_MARK_ERROR ? "E" : "W", 1,
                           TUI_A_BOLD |
                               TUI_COLOR(m == TUI_MARK_ERROR ? TUI_C_ERROR : TUI_C_WARNING));
        int cx = -1, cy = -1;
        int rows = layout_line(s, len, r.w, f, r.x, r.y + y, r.h - y, i == cl ? cc : (size_t)-1,
                               i == cl ? &cx : NULL, i == cl ? &cy : NULL, TUI_A_NONE);
        if (i == cl && focused && cy >= 0 && y + cy < r.h) {
            f->cursor_x = r.x + (cx < r.w ? cx : r.w - 1);
            f->cursor_y = r.y + y + cy;
        }
        y += rows;
    }
}
