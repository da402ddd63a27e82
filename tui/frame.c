/*
 * frame.c - the cell grid (see frame.h).
 *
 * Character widths come from the C library's wcwidth() for the decoded
 * code point (the process runs in a UTF-8 locale: main sets it, tests set
 * C.UTF-8), with our own rules for controls and invalid bytes so that no
 * byte of a record ever reaches the terminal as a control.
 */
#include "frame.h"

#include "buf.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

void
tui_frame_init(struct tui_frame *f, int w, int h)
{
    f->w = w > 0 ? w : 1;
    f->h = h > 0 ? h : 1;
    f->cells = xcalloc((size_t)f->w * (size_t)f->h, sizeof *f->cells);
    tui_frame_clear(f, TUI_A_NONE);
}

void
tui_frame_free(struct tui_frame *f)
{
    free(f->cells);
    f->cells = NULL;
    f->w = f->h = 0;
}

void
tui_frame_clear(struct tui_frame *f, uint16_t attr)
{
    for (int i = 0; i < f->w * f->h; i++) {
        struct tui_cell *c = &f->cells[i];
        c->text[0] = ' ';
        c->text[1] = '\0';
        c->width = 1;
        c->attr = attr;
    }
    f->cursor_x = f->cursor_y = -1;
}

struct tui_cell *
tui_frame_at(struct tui_frame *f, int x, int y)
{
    if (x < 0 || y < 0 || x >= f->w || y >= f->h)
        return NULL;
    return &f->cells[y * f->w + x];
}

void
tui_frame_fill(struct tui_frame *f, int x, int y, int w, int h, const char *ch, uint16_t attr)
{
    for (int yy = y; yy < y + h; yy++)
        for (int xx = x; xx < x + w; xx++) {
            struct tui_cell *c = tui_frame_at(f, xx, yy);
            if (!c)
                continue;
            snprintf(c->text, sizeof c->text, "%s", ch);
            c->width = 1;
            c->attr = attr;
        }
}

/* Bidirectional embeddings, overrides and isolates: a terminal that
 * applies them would reorder what the rest of the line shows (record data
 * could make "Smith" read "htimS", or hide text), so they are drawn as a
 * stand-in like the C1 controls.  The record keeps them. */
static bool
is_bidi_control(uint32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* How a code point is drawn: its own UTF-8, or a visible stand-in. */
static int
glyph(uint32_t cp, char out[8])
{
    if (cp < 0x20)
        cp = 0x2400 + cp; /* control pictures: ESC shows as U+241B */
    else if (cp == 0x7F)
        cp = 0x2421;
    else if ((cp >= 0x80 && cp < 0xA0) || is_bidi_control(cp))
        cp = 0xFFFD;
    int n = marc_utf8_encode(cp, out);
    out[n] = '\0';
    return n;
}

static int
cp_width(uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || is_bidi_control(cp))
        return 1;
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : w;
}

/* Next character at s: its width, byte length, code point (U+FFFD for a bad byte). */
static size_t
next_char(const char *s, size_t len, uint32_t *cp, int *width)
{
    int n = marc_utf8_decode(s, len, cp);
    if (n == 0) {
        *cp = 0xFFFD;
        n = 1;
    }
    *width = cp_width(*cp);
    return (size_t)n;
}

size_t
tui_text_fit(const char *s, size_t len, int cols, int *used)
{
    size_t i = 0;
    int w = 0;
    while (i < len) {
        uint32_t cp;
        int cw;
        size_t n = next_char(s + i, len - i, &cp, &cw);
        if (cw > 0 && w + cw > cols)
            break;
        w += cw;
        i += n;
    }
    if (used)
        *used = w;
    return i;
}

int
tui_text_width(const char *s, size_t len)
{
    int used;
    tui_text_fit(s, len, 1 << 30, &used);
    return used;
}

int
tui_frame_put(struct tui_frame *f, int x, int y, const char *s, size_t len, int maxw,
              uint16_t attr)
{
    if (y < 0 || y >= f->h)
        return 0;
    int col = 0;
    struct tui_cell *last = NULL;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int cw;
        size_t n = next_char(s + i, len - i, &cp, &cw);
        if (cw == 0) { /* combining: joins the previous cell */
            if (last && strlen(last->text) + n < sizeof last->text) {
                size_t have = strlen(last->text);
                memcpy(last->text + have, s + i, n);
                last->text[have + n] = '\0';
            }
            i += n;
            continue;
        }
        if (col + cw > maxw || x + col + cw > f->w)
            break;
        struct tui_cell *c = tui_frame_at(f, x + col, y);
        if (c) {
            glyph(cp, c->text);
            c->width = (uint8_t)cw;
            c->attr = attr;
            if (cw == 2) {
                struct tui_cell *c2 = tui_frame_at(f, x + col + 1, y);
                if (c2) {
                    c2->text[0] = '\0';
                    c2->width = 0;
                    c2->attr = attr;
                }
            }
            last = c;
        }
        col += cw;
        i += n;
    }
    return col;
}

int
tui_frame_puts(struct tui_frame *f, int x, int y, const char *s, int maxw, uint16_t attr)
{
    return tui_frame_put(f, x, y, s, strlen(s), maxw, attr);
}

char *
tui_frame_text(const struct tui_frame *f)
{
    struct marc_buf b = MARC_BUF_INIT;
    for (int y = 0; y < f->h; y++) {
        size_t start = b.len;
        for (int x = 0; x < f->w; x++) {
            const struct tui_cell *c = &f->cells[y * f->w + x];
            if (c->width == 0)
                continue;
            marc_buf_puts(&b, c->text);
        }
        while (b.len > start && b.data[b.len - 1] == ' ')
            b.len--;
        marc_buf_putc(&b, '\n');
    }
    return marc_buf_steal(&b);
}
