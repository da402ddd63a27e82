/*
 * keys.h - keys as Colophon sees them, and their names.
 *
 * A key is an int: a Unicode code point for text (>= 0x20), a control
 * character (C-a = 1 ... C-z = 26) for Ctrl+letter, or one of the TUI_KEY_
 * codes; TUI_MOD_ALT is or'ed in for Alt (or Esc then the key, which is what
 * terminals send).  Names are what the key file and the help screen use:
 * "C-s", "M-r", "M-C-r", "M-R", "F1", "Up", "M-Up", "Tab", "S-Tab", "Enter".
 */
#ifndef TUI_KEYS_H
#define TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#define TUI_KEY_BASE 0x110000
enum tui_key {
    TUI_KEY_UP = TUI_KEY_BASE,
    TUI_KEY_DOWN,
    TUI_KEY_LEFT,
    TUI_KEY_RIGHT,
    TUI_KEY_HOME,
    TUI_KEY_END,
    TUI_KEY_PGUP,
    TUI_KEY_PGDN,
    TUI_KEY_INSERT,
    TUI_KEY_DELETE,
    TUI_KEY_BACKSPACE,
    TUI_KEY_ENTER,
    TUI_KEY_TAB,
    TUI_KEY_BTAB,
    TUI_KEY_ESC,
    TUI_KEY_C_LEFT,
    TUI_KEY_C_RIGHT,
    TUI_KEY_C_UP,
    TUI_KEY_C_DOWN,
    TUI_KEY_RESIZE,
    TUI_KEY_F1, /* F1..F12 follow */
    TUI_KEY_F12 = TUI_KEY_F1 + 11,
    TUI_KEY_LAST,
};
#define TUI_KEY_F(n) (TUI_KEY_F1 + (n) - 1)
#define TUI_MOD_ALT (1 << 24)
#define TUI_CTRL(c) ((c) & 0x1f)

/* Name of a key into out (at least 32 bytes). */
void tui_key_name(int key, char *out, size_t size);
/* Parse a key name; 0 when not a key. */
int tui_key_parse(const char *name);
/* True for a key that types text (a printable code point without Alt). */
bool tui_key_is_text(int key);

#endif
