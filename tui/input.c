/*
 * input.c - one-line text input (see input.h).
 */
#include "input.h"

#include "keys.h"
#include "utf8.h"

#include <stdio.h>
#include <string.h>

void
tui_input_set(struct tui_input *in, const char *text)
{
    snprintf(in->text, sizeof in->text, "%s", text ? text : "");
    in->len = strlen(in->text);
    in->cur = in->len;
    in->scroll = 0;
}

void
tui_input_clear(struct tui_input *in)
{
    tui_input_set(in, "");
}

static size_t
prev_boundary(const struct tui_input *in, size_t at)
{
    if (at == 0)
        return 0;
    at--;
    while (at > 0 && ((unsigned char)in->text[at] & 0xC0) == 0x80)
        at--;
    return at;
}

static size_t
next_boundary(const struct tui_input *in, size_t at)
{
    if (at >= in->len)
        return in->len;
    at++;
    while (at < in->len && ((unsigned char)in->text[at] & 0xC0) == 0x80)
        at++;
    return at;
}

bool
tui_input_key(struct tui_input *in, int key)
{
    if (tui_key_is_text(key)) {
        char u[8];
        int n = marc_utf8_encode((unsigned)key, u);
        if (n <= 0 || in->len + (size_t)n >= sizeof in->text)
            return true;
        memmove(in->text + in->cur + n, in->text + in->cur, in->len - in->cur + 1);
        memcpy(in->text + in->cur, u, (size_t)n);
        in->len += (size_t)n;
        in->cur += (size_t)n;
        return true;
    }
    size_t p;
    switch (key) {
    case TUI_KEY_LEFT:
        in->cur = prev_boundary(in, in->cur);
        return true;
    case TUI_KEY_RIGHT:
        in->cur = next_boundary(in, in->cur);
        return true;
    case TUI_KEY_HOME:
    case TUI_CTRL('a'):
        in->cur = 0;
        return true;
    case TUI_KEY_END:
    case TUI_CTRL('e'):
        in->cur = in->len;
        return true;
    case TUI_KEY_BACKSPACE:
        if (in->cur == 0)
            return true;
        p = prev_boundary(in, in->cur);
        memmove(in->text + p, in->text + in->cur, in->len - in->cur + 1);
        in->len -= in->cur - p;
        in->cur = p;
        return true;
    case TUI_KEY_DELETE:
        if (in->cur >= in->len)
            return true;
        p = next_boundary(in, in->cur);
        memmove(in->text + in->cur, in->text + p, in->len - p + 1);
        in->len -= p - in->cur;
        return true;
    case TUI_CTRL('u'):
        tui_input_clear(in);
        return true;
    default:
        return false;
    }
}

void
tui_input_draw(struct tui_input *in, const char *label, bool focused, struct tui_frame *f,
               struct tui_rect r)
{
    int lw = label ? tui_frame_puts(f, r.x, r.y, label, r.w, TUI_A_BOLD) : 0;
    int room = r.w - lw - 1;
    if (room < 1)
        return;
    /* Keep the cursor inside the visible part. */
    if (in->cur < in->scroll)
        in->scroll = in->cur;
    while (tui_text_width(in->text + in->scroll, in->cur - in->scroll) >= room)
        in->scroll = next_boundary(in, in->scroll);
    int used = tui_frame_put(f, r.x + lw, r.y, in->text + in->scroll, in->len - in->scroll, room,
                             focused ? TUI_A_UNDERLINE : TUI_A_NONE);
    if (focused) {
        for (int x = used; x < room; x++)
            tui_frame_puts(f, r.x + lw + x, r.y, " ", 1, TUI_A_UNDERLINE);
        f->cursor_x = r.x + lw + tui_text_width(in->text + in->scroll, in->cur - in->scroll);
        f->cursor_y = r.y;
    }
}
