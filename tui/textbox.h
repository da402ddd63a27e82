/*
 * textbox.h - a block of text lines, each with its attributes, drawn word
 * wrapped to the width of the pane and scrolled: the relink preview and
 * the description of a link candidate, which must read well in the 33
 * columns the right pane has at 80x24 as much as zoomed.
 */
#ifndef TUI_TEXTBOX_H
#define TUI_TEXTBOX_H

#include "frame.h"
#include "layout.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tui_textbox {
    char **lines;
    uint16_t *attrs;
    size_t n, cap;
    int scroll; /* screen rows scrolled off the top */
};

/* Remove every line (and scroll back to the top). */
void tui_textbox_clear(struct tui_textbox *t);
/* Free what the box holds (the struct is the caller's). */
void tui_textbox_free(struct tui_textbox *t);
/* Add a line (printf format; no newline needed; a newline starts a new line
 * with the same attributes). */
void tui_textbox_add(struct tui_textbox *t, uint16_t attr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Rows the text takes when wrapped to w columns. */
int tui_textbox_rows(const struct tui_textbox *t, int w);
/* Draw into r from the scroll position (clamped); wrapped lines continue
 * indented by two columns.  Returns the rows drawn. */
int tui_textbox_draw(struct tui_textbox *t, struct tui_frame *f, struct tui_rect r);
/* Up/Down/PgUp/PgDn/Home/End scroll (visible rows h); true when it was one. */
bool tui_textbox_key(struct tui_textbox *t, int key, int w, int h);

#endif
