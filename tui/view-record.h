/*
 * view-record.h - drawing the record being edited into the left pane.
 *
 * One field a line as the editor model holds it; long fields wrap under
 * their content column.  A gutter column marks fields with validation errors
 * (E) or warnings (W); blank indicators show as '_'; $$ and the subfield
 * code are drawn in their own colour.  The view scrolls to keep the cursor
 * visible and places the terminal cursor on it.
 */
#ifndef TUI_VIEW_RECORD_H
#define TUI_VIEW_RECORD_H

#include "editor.h"
#include "frame.h"
#include "layout.h"

#include <stddef.h>
#include <stdint.h>

enum tui_mark { TUI_MARK_NONE = 0, TUI_MARK_WARNING = 1, TUI_MARK_ERROR = 2 };

struct tui_record_view {
    size_t top; /* first editor line on screen */
};

/*
 * Draw ed into r.  marks[i] is the mark of line i (may be NULL); with
 * `focused` the terminal cursor is placed on the editing position.
 */
void tui_record_view_draw(struct tui_record_view *v, const struct tui_editor *ed,
                          const uint8_t *marks, bool focused, struct tui_frame *f,
                          struct tui_rect r);

/* Rows the line takes when drawn `width` columns wide (for scrolling). */
int tui_record_view_rows(const char *line, size_t len, int width);

#endif
