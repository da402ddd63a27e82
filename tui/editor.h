/*
 * editor.h - the record being edited, as the left pane sees it: one text
 * line per field, a cursor, undo and redo.  No curses here.
 *
 *   LDR 00000nam a2200000 i 4500
 *   001 991000000011234
 *   245 10 $$aTitle :$$bsubtitle /$$cAuthor.
 *
 * Columns 0-2 hold the tag, 4-5 the indicators of a data field (a blank is
 * a space; '_' and '#' typed there mean blank), and the content starts at
 * column 7 (data fields: subfields as $$ and a code, like Alma's editor) or
 * 4 (leader and control fields).  Tag, indicator and leader positions are
 * typed over; content is inserted.  Each edit re-parses only its line, so
 * the record behind the text is always known: validation marks and the
 * autosave draft follow every keystroke.
 *
 * Cursor columns are byte offsets into the line, always on a character
 * boundary.
 */
#ifndef TUI_EDITOR_H
#define TUI_EDITOR_H

#include "buf.h"
#include "diag.h"
#include "record.h"

#include <stdbool.h>
#include <stddef.h>

#define TUI_CONTENT_COL 7  /* data field content */
#define TUI_CONTROL_COL 4  /* leader and control field content */

struct tui_editor;

struct tui_editor *tui_editor_new(void);
void tui_editor_free(struct tui_editor *ed);

/* Replace the text with r's fields; clears undo, modified and the cursor. */
void tui_editor_load(struct tui_editor *ed, const struct marc_record *r);
/* Replace the text with saved lines (a draft); marks the editor modified. */
void tui_editor_load_lines(struct tui_editor *ed, char *const *lines, size_t n);

/* A line that cannot be a field (bad tag, text before the first $$ ...). */
struct tui_line_error {
    size_t line;
    size_t col;
    char message[160];
};

/*
 * Build the record from the text into out.  Returns 0, or -1 with *err
 * naming the first line that does not parse (out then holds the lines
 * before it).
 */
int tui_editor_record(const struct tui_editor *ed, struct marc_record *out,
                      struct tui_line_error *err /* OUT, may be NULL */);
/* Parse problems of one line (false when it parses). */
bool tui_editor_line_error(const struct tui_editor *ed, size_t line, struct tui_line_error *err);

size_t tui_editor_line_count(const struct tui_editor *ed);
const char *tui_editor_line(const struct tui_editor *ed, size_t i, size_t *len /* OUT */);
void tui_editor_cursor(const struct tui_editor *ed, size_t *line, size_t *col);
/* Place the cursor (clamped to the text, moved onto a character boundary). */
void tui_editor_set_cursor(struct tui_editor *ed, size_t line, size_t col);
bool tui_editor_modified(const struct tui_editor *ed);
void tui_editor_set_modified(struct tui_editor *ed, bool modified);
/* View Only: every edit is refused (returns false). */
void tui_editor_set_readonly(struct tui_editor *ed, bool readonly);
bool tui_editor_readonly(const struct tui_editor *ed);
/* Counts edits ever made: lets the app see that something changed. */
unsigned long tui_editor_generation(const struct tui_editor *ed);

/* ---- movement (never changes the text) ---- */
void tui_editor_left(struct tui_editor *ed);
void tui_editor_right(struct tui_editor *ed);
void tui_editor_up(struct tui_editor *ed);
void tui_editor_down(struct tui_editor *ed);
void tui_editor_home(struct tui_editor *ed);  /* start of content, then column 0 */
void tui_editor_end(struct tui_editor *ed);
void tui_editor_word_left(struct tui_editor *ed);
void tui_editor_word_right(struct tui_editor *ed);
void tui_editor_next_subfield(struct tui_editor *ed); /* to the next $$x value */
void tui_editor_prev_subfield(struct tui_editor *ed);
void tui_editor_page(struct tui_editor *ed, int lines); /* +down / -up */
void tui_editor_first(struct tui_editor *ed);
void tui_editor_last(struct tui_editor *ed);

/* ---- editing: each returns false (and changes nothing) when refused ---- */
/* Type text at the cursor (over tag/indicator/leader positions, else insert). */
bool tui_editor_type(struct tui_editor *ed, const char *utf8, size_t len);
bool tui_editor_backspace(struct tui_editor *ed);
bool tui_editor_delete(struct tui_editor *ed);
/* Split: Enter inside content is refused (fields are one line); see add_field. */
/* Insert a new empty data field line after the cursor's line, cursor on its tag. */
bool tui_editor_add_field(struct tui_editor *ed);
bool tui_editor_delete_field(struct tui_editor *ed);
bool tui_editor_duplicate_field(struct tui_editor *ed);
bool tui_editor_move_field(struct tui_editor *ed, int delta); /* -1 up, +1 down */
/* Insert "$$" + code at the cursor of a data field's content. */
bool tui_editor_add_subfield(struct tui_editor *ed, char code);
/* Delete the subfield the cursor is in. */
bool tui_editor_delete_subfield(struct tui_editor *ed);
/* Replace a line's whole text (fixed-field form, macros); cursor kept in range. */
bool tui_editor_set_line(struct tui_editor *ed, size_t line, const char *text, size_t len);
/* Insert a whole line (a field's text) after the cursor's line. */
bool tui_editor_insert_line(struct tui_editor *ed, const char *text, size_t len);

/* Replace the whole text with r's fields as one edit (a rule applied):
 * undo brings the text before back; the cursor stays on its line number. */
bool tui_editor_replace(struct tui_editor *ed, const struct marc_record *r);

bool tui_editor_undo(struct tui_editor *ed);
bool tui_editor_redo(struct tui_editor *ed);

/* The text of one field as the editor writes it (for views and tests). */
void tui_field_text(const struct marc_field *f, struct marc_buf *out);

#endif
