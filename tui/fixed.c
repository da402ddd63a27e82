/*
 * fixed.c - the fixed-field form (F2) for LDR, 006, 007 and 008: one line
 * per element with its position, label and value, the defined codes of the
 * selected element, and typing over the value.  Enter writes the field back
 * into the record (one undo step), Esc leaves it unchanged.
 *
 * The element tables are MARC 21's (Bibliographic and Holdings), written
 * here from the LC documentation; fixed-tables.c holds them.
 */
#include "app-int.h"

#include "fixed-tables.h"

#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tui_fixed {
    size_t line;              /* editor line being edited */
    char tag[4];
    char value[128];          /* the field's positions, spaces kept */
    size_t len;
    const struct fx_table *table;
    size_t sel;               /* element */
    int col;                  /* position inside the element */
};

void
tui_fixed_free(struct tui_fixed *fx)
{
    free(fx);
}

bool
tui_fixed_open(struct tui_app *app)
{
    size_t line, col;
    tui_editor_cursor(app->ed, &line, &col);
    size_t len;
    const char *s = tui_editor_line(app->ed, line, &len);
    char tag[4] = {0};
    if (len >= 3)
        memcpy(tag, s, 3);
    if (strcmp(tag, "LDR") && strcmp(tag, "006") && strcmp(tag, "007") && strcmp(tag, "008")) {
        tui_app_message(app, TUI_MSG_INFO,
                        "The fixed-field form is for LDR, 006, 007 and 008: put the cursor on one");
        return false;
    }
    const char *leader = tui_editor_line(app->ed, 0, NULL) + TUI_CONTROL_COL;
    const char *value = len > TUI_CONTROL_COL ? s + TUI_CONTROL_COL : "";
    const struct fx_table *t = fx_table_for(tag, leader, value);
    if (!t) {
        tui_app_message(app, TUI_MSG_WARNING, "No form for this %s (unknown type)", tag);
        return false;
    }
    struct tui_fixed *fx = xcalloc(1, sizeof *fx);
    fx->line = line;
    memcpy(fx->tag, tag, 4);
    size_t vlen = len > TUI_CONTROL_COL ? len - TUI_CONTROL_COL : 0;
    if (vlen > sizeof fx->value - 1)
        vlen = sizeof fx->value - 1;
    memcpy(fx->value, value, vlen);
    /* Pad a short field to the form's length so every element can be typed. */
    fx->len = vlen < (size_t)t->length ? (size_t)t->length : vlen;
    for (size_t i = vlen; i < fx->len; i++)
        fx->value[i] = ' ';
    fx->value[fx->len] = '\0';
    fx->table = t;
    tui_fixed_free(app->fixed);
    app->fixed = fx;
    app->modal = TUI_MODAL_FIXED;
    return true;
}

static void
apply(struct tui_app *app)
{
    struct tui_fixed *fx = app->fixed;
    char line[160];
    int n = snprintf(line, sizeof line, "%s %s", fx->tag, fx->value);
    if (tui_editor_set_line(app->ed, fx->line, line, (size_t)n))
        tui_app_after_edit(app);
}

void
tui_fixed_key(struct tui_app *app, int key)
{
    struct tui_fixed *fx = app->fixed;
    const struct fx_elem *e = &fx->table->elems[fx->sel];
    switch (key) {
    case TUI_KEY_ESC:
    case TUI_CTRL('g'):
        app->modal = TUI_MODAL_NONE;
        tui_app_message(app, TUI_MSG_INFO, "%s unchanged", fx->tag);
        return;
    case TUI_KEY_ENTER:
        apply(app);
        app->modal = TUI_MODAL_NONE;
        return;
    case TUI_KEY_UP:
        if (fx->sel > 0)
            fx->sel--;
        fx->col = 0;
        return;
    case TUI_KEY_DOWN:
    case TUI_KEY_TAB:
        if (fx->sel + 1 < fx->table->n)
            fx->sel++;
        fx->col = 0;
        return;
    case TUI_KEY_LEFT:
        if (fx->col > 0)
            fx->col--;
        return;
    case TUI_KEY_RIGHT:
        if (fx->col + 1 < e->len)
            fx->col++;
        return;
    default:
        break;
    }
    if (key >= 0x20 && key < 0x7F) {
        char c = (char)key;
        if (c == '#' && fx->tag[0] != 'L')
            c = ' '; /* '#' is how MARC documentation writes a blank */
        size_t at = (size_t)(e->pos + fx->col);
        if (at < fx->len)
            fx->value[at] = c;
        if (fx->col + 1 < e->len)
            fx->col++;
        else if (fx->sel + 1 < fx->table->n) {
            fx->sel++;
            fx->col = 0;
        }
    }
}

void
tui_fixed_draw(struct tui_app *app, struct tui_frame *f)
{
    struct tui_fixed *fx = app->fixed;
    /* the whole width: a column left at either side would show slivers of the panes */
    struct tui_rect b = {0, 1, app->w, app->h - 2};
    tui_frame_fill(f, b.x, b.y, b.w, b.h, " ", TUI_A_NONE);
    char title[160];
    snprintf(title, sizeof title, "%s  %s  (type over a value; Up/Down element; Enter apply; Esc cancel)",
             fx->tag, fx->table->name);
    tui_frame_puts(f, b.x, b.y, title, b.w, TUI_A_BOLD | TUI_A_REVERSE);
    tui_frame_puts(f, b.x + 1, b.y + 1, fx->value, b.w - 2, TUI_A_NONE);
    const struct fx_elem *sel = &fx->table->elems[fx->sel];
    int hint_rows = 5;
    int rows = b.h - 3 - hint_rows;
    size_t first = fx->sel >= (size_t)rows ? fx->sel - (size_t)rows + 1 : 0;
    for (int r = 0; r < rows && first + (size_t)r < fx->table->n; r++) {
        const struct fx_elem *e = &fx->table->elems[first + (size_t)r];
        char pos[16], val[64], line[256];
        if (e->len == 1)
            snprintf(pos, sizeof pos, "%02d", e->pos);
        else
            snprintf(pos, sizeof pos, "%02d-%02d", e->pos, e->pos + e->len - 1);
        snprintf(val, sizeof val, "%.*s", e->len, fx->value + e->pos);
        for (char *p = val; *p; p++)
            if (*p == ' ')
                *p = '#';
        snprintf(line, sizeof line, "%-6s %-36s [%s]", pos, e->label, val);
        bool is_sel = e == sel;
        tui_frame_puts(f, b.x + 1, b.y + 2 + r, line, b.w - 2, is_sel ? TUI_A_REVERSE : TUI_A_NONE);
        if (is_sel) {
            f->cursor_x = b.x + 1 + 6 + 1 + 36 + 2 + fx->col;
            f->cursor_y = b.y + 2 + r;
        }
    }
    /* the codes of the selected element */
    struct marc_buf hint = MARC_BUF_INIT;
    marc_buf_puts(&hint, sel->values && *sel->values ? sel->values : "(free text: type the value)");
    for (size_t i = 0; i < hint.len; i++)
        if (hint.data[i] == '|')
            hint.data[i] = ' ';
    int hy = b.y + b.h - hint_rows;
    const char *p = hint.data;
    for (int r = 0; r < hint_rows && *p; r++) {
        size_t fit = tui_text_fit(p, strlen(p), b.w - 2, NULL);
        tui_frame_put(f, b.x + 1, hy + r, p, fit, b.w - 2, TUI_A_DIM);
        p += fit;
    }
    marc_buf_free(&hint);
}
