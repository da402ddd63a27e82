/*
 * frame.h - a screen as a grid of cells, built without curses.
 *
 * Every view draws into a frame with pure functions; term.c copies the
 * finished frame to the terminal in one pass, and tests compare frames as
 * text.  Text is UTF-8: wide (CJK) characters take two cells, combining
 * marks join the cell before them, and control characters (an ESC in a
 * record, say) are drawn as visible symbols so record data can never act on
 * the terminal.
 */
#ifndef TUI_FRAME_H
#define TUI_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Attributes, combined with | . Colours are roles; term.c maps them (or
 * drops them under NO_COLOR). */
enum tui_attr {
    TUI_A_NONE = 0,
    TUI_A_BOLD = 1 << 0,
    TUI_A_REVERSE = 1 << 1,
    TUI_A_UNDERLINE = 1 << 2,
    TUI_A_DIM = 1 << 3,
    TUI_A_CURSOR = 1 << 4,  /* where the terminal cursor goes */
    /* colour roles (3 bits) */
    TUI_A_COLOR_SHIFT = 8,
    TUI_A_COLOR_MASK = 7 << 8,
};
enum tui_color {
    TUI_C_DEFAULT = 0,
    TUI_C_TITLE = 1,   /* title bar */
    TUI_C_TAG = 2,     /* field tags */
    TUI_C_DELIM = 3,   /* $$a */
    TUI_C_ERROR = 4,
    TUI_C_WARNING = 5,
    TUI_C_SELECT = 6,  /* selected list line, active tab */
    TUI_C_HINT = 7,    /* key hints */
};
#define TUI_COLOR(c) ((uint16_t)((c) << TUI_A_COLOR_SHIFT))

struct tui_cell {
    char text[20];  /* one character and its combining marks, UTF-8; "" for the
                       second cell of a wide character */
    uint8_t width;  /* 1 or 2 (0 for the continuation cell) */
    uint16_t attr;
};

struct tui_frame {
    int w, h;
    struct tui_cell *cells;
    int cursor_x, cursor_y; /* -1 when hidden */
};

void tui_frame_init(struct tui_frame *f, int w, int h);
void tui_frame_free(struct tui_frame *f);
/* Blank every cell with attr. */
void tui_frame_clear(struct tui_frame *f, uint16_t attr);
/* Cell at (x, y) or NULL outside. */
struct tui_cell *tui_frame_at(struct tui_frame *f, int x, int y);
/* Fill a rectangle with a one-column character. */
void tui_frame_fill(struct tui_frame *f, int x, int y, int w, int h, const char *ch, uint16_t attr);

/*
 * Draw UTF-8 text at (x, y), at most maxw columns (a wide character that
 * would straddle the edge is not drawn).  Returns the columns used.
 */
int tui_frame_put(struct tui_frame *f, int x, int y, const char *s, size_t len, int maxw,
                  uint16_t attr);
/* Same with a NUL-terminated string. */
int tui_frame_puts(struct tui_frame *f, int x, int y, const char *s, int maxw, uint16_t attr);

/*
 * Display width of UTF-8 text (controls count as the one cell they are drawn
 * in; invalid bytes as one cell each).
 */
int tui_text_width(const char *s, size_t len);
/*
 * Bytes of s that fit in `cols` columns (never splitting a character from
 * its combining marks).  *used (may be NULL) gets the columns they take.
 */
size_t tui_text_fit(const char *s, size_t len, int cols, int *used);

/* The frame as plain text, lines joined by '\n', trailing blanks trimmed
 * (heap string; for tests and text captures in the docs). */
char *tui_frame_text(const struct tui_frame *f);

#endif
