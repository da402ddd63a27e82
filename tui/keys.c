/*
 * keys.c - key names (see keys.h).
 */
#include "keys.h"

#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    int key;
    const char *name;
} named[] = {
    {TUI_KEY_UP, "Up"},         {TUI_KEY_DOWN, "Down"},       {TUI_KEY_LEFT, "Left"},
    {TUI_KEY_RIGHT, "Right"},   {TUI_KEY_HOME, "Home"},       {TUI_KEY_END, "End"},
    {TUI_KEY_PGUP, "PgUp"},     {TUI_KEY_PGDN, "PgDn"},       {TUI_KEY_INSERT, "Insert"},
    {TUI_KEY_DELETE, "Delete"}, {TUI_KEY_BACKSPACE, "Backspace"}, {TUI_KEY_ENTER, "Enter"},
    {TUI_KEY_TAB, "Tab"},       {TUI_KEY_BTAB, "S-Tab"},      {TUI_KEY_ESC, "Esc"},
    {TUI_KEY_C_LEFT, "C-Left"}, {TUI_KEY_C_RIGHT, "C-Right"}, {TUI_KEY_C_UP, "C-Up"},
    {TUI_KEY_C_DOWN, "C-Down"}, {' ', "Space"},
};

void
tui_key_name(int key, char *out, size_t size)
{
    char prefix[4] = "";
    if (key & TUI_MOD_ALT) {
        snprintf(prefix, sizeof prefix, "M-");
        key &= ~TUI_MOD_ALT;
    }
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        if (named[i].key == key) {
            snprintf(out, size, "%s%s", prefix, named[i].name);
            return;
        }
    if (key >= TUI_KEY_F1 && key <= TUI_KEY_F12) {
        snprintf(out, size, "%sF%d", prefix, key - TUI_KEY_F1 + 1);
        return;
    }
    if (key >= 1 && key <= 26) {
        snprintf(out, size, "%sC-%c", prefix, 'a' + key - 1);
        return;
    }
    char u[8] = "?";
    if (key > 0 && key < TUI_KEY_BASE) {
        int n = marc_utf8_encode((unsigned)key, u);
        u[n] = '\0';
    }
    snprintf(out, size, "%s%s", prefix, u);
}

int
tui_key_parse(const char *name)
{
    int mod = 0;
    while (strncmp(name, "M-", 2) == 0 && name[2]) {
        mod |= TUI_MOD_ALT;
        name += 2;
    }
    if (strncmp(name, "C-", 2) == 0 && name[2] && !name[3]) {
        char c = name[2];
        if (c >= 'a' && c <= 'z')
            return mod | (c - 'a' + 1);
        if (c >= 'A' && c <= 'Z')
            return mod | (c - 'A' + 1);
        if (c == ']' || c == '\\' || c == '^' || c == '_')
            return mod | TUI_CTRL(c);
        return 0;
    }
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        if (strcasecmp(named[i].name, name) == 0)
            return mod | named[i].key;
    if ((name[0] == 'F' || name[0] == 'f') && name[1]) {
        char *end;
        long n = strtol(name + 1, &end, 10);
        if (!*end && n >= 1 && n <= 12)
            return mod | TUI_KEY_F((int)n);
    }
    uint32_t cp;
    size_t len = strlen(name);
    int n = marc_utf8_decode(name, len, &cp);
    if (n > 0 && (size_t)n == len && cp >= 0x20)
        return mod | (int)cp;
    return 0;
}

bool
tui_key_is_text(int key)
{
    return !(key & TUI_MOD_ALT) && key >= 0x20 && key < TUI_KEY_BASE && key != 0x7F;
}
