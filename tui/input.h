/*
 * input.h - a one-line text input (queries, notes, prompts), UTF-8 aware.
 */
#ifndef TUI_INPUT_H
#define TUI_INPUT_H

#include "frame.h"
#include "layout.h"

#include <stdbool.h>
#include <stddef.h>

#define TUI_INPUT_MAX 2048

struct tui_input {
    char text[TUI_INPUT_MAX];
    size_t len;
    size_t cur; /* byte offset, on a character boundary */
    size_t scroll;
};

void tui_input_set(struct tui_input *in, const char *text);
void tui_input_clear(struct tui_input *in);
/* Handle an editing key; true when it was one (text, arrows, Home/End,
 * Backspace, Delete, C-u clear, C-a/C-e). */
bool tui_input_key(struct tui_input *in, int key);
/* Draw at r (one row), `label` first; places the frame cursor when focused. */
void tui_input_draw(struct tui_input *in, const char *label, bool focused, struct tui_frame *f,
                    struct tui_rect r);

#endif
