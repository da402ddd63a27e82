/*
 * help.c - the help screen (F1) and the command palette (C-p), both made
 * from the command table so they can never disagree with the keys.
 */
#include "app-int.h"

#include "buf.h"
#include "keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *
tui_help_text(struct tui_app *app)
{
    struct marc_buf b = MARC_BUF_INIT;
    size_t n;
    const struct tui_command *cmds = tui_command_table(&n);
    marc_buf_puts(&b, "In the record: type to edit; tag, indicators and the leader are typed over\n"
                      "('_' or '#' type a blank indicator); $$ and a letter start a subfield.\n"
                      "Arrows, Home/End, PgUp/PgDn move; Enter goes to the next field.\n\n");
    for (size_t i = 0; i < n; i++) {
        char keys[128];
        tui_keys_for(app, (int)i, keys, sizeof keys);
        marc_buf_printf(&b, "%-18s %-22s %s\n", keys[0] ? keys : "(no key)", cmds[i].name,
                        cmds[i].help);
    }
    bool any = false;
    for (size_t i = 0; i < app->nbindings; i++) {
        const struct tui_binding *bd = &app->bindings[i];
        if (bd->command >= 0)
            continue;
        if (!any)
            marc_buf_puts(&b, "\nYour snippets and macros:\n");
        any = true;
        char name[32];
        tui_key_name(bd->key, name, sizeof name);
        if (bd->snippet)
            marc_buf_printf(&b, "%-18s types \"%s\"\n", name, bd->snippet);
        else
            marc_buf_printf(&b, "%-18s replays %zu recorded keys\n", name, bd->nmacro);
    }
    marc_buf_puts(&b, "\nIn the right pane: Up/Down choose, Enter opens or acts, the keys shown\n"
                      "in each tab's last line do the rest; Esc or Tab goes back to the record.\n");
    return marc_buf_steal(&b);
}

/* Commands whose name or help contains the palette's text. */
static size_t
matches(struct tui_app *app, int *out, size_t max)
{
    size_t n, k = 0;
    const struct tui_command *cmds = tui_command_table(&n);
    const char *q = app->modal_input.text;
    for (size_t i = 0; i < n && k < max; i++)
        if (!*q || strcasestr(cmds[i].name, q) || strcasestr(cmds[i].help, q))
            out[k++] = (int)i;
    return k;
}

void
tui_palette_draw(struct tui_app *app, struct tui_frame *f)
{
    struct tui_rect b = tui_modal_box(app, 76, app->h - 4 < 18 ? app->h - 4 : 18);
    b.y = 2; /* under the title bar, like a menu */
    tui_frame_fill(f, b.x, b.y, b.w, b.h, " ", TUI_A_NONE);
    tui_frame_puts(f, b.x + 1, b.y, "Command palette: type to filter, Enter runs, Esc closes",
                   b.w - 2, TUI_A_BOLD | TUI_A_REVERSE);
    tui_input_draw(&app->modal_input, ": ", true, f, (struct tui_rect){b.x + 1, b.y + 1, b.w - 2, 1});
    int idx[128];
    size_t n = matches(app, idx, 128);
    size_t ncmd;
    const struct tui_command *cmds = tui_command_table(&ncmd);
    if (app->palette_sel >= (int)n)
        app->palette_sel = n ? (int)n - 1 : 0;
    int rows = b.h - 3;
    int first = app->palette_sel >= rows ? app->palette_sel - rows + 1 : 0;
    for (int r = 0; r < rows && first + r < (int)n; r++) {
        const struct tui_command *c = &cmds[idx[first + r]];
        char keys[64], line[256];
        tui_keys_for(app, idx[first + r], keys, sizeof keys);
        snprintf(line, sizeof line, "%-18s %-12s %s", c->name, keys, c->help);
        tui_frame_puts(f, b.x + 1, b.y + 2 + r, line, b.w - 2,
                       first + r == app->palette_sel ? TUI_A_REVERSE : TUI_A_NONE);
    }
}

void
tui_palette_key(struct tui_app *app, int key)
{
    int idx[128];
    size_t n = matches(app, idx, 128);
    if (key == TUI_KEY_ESC || key == TUI_CTRL('g')) {
        tui_app_close_modal(app);
    } else if (key == TUI_KEY_DOWN) {
        if (app->palette_sel + 1 < (int)n)
            app->palette_sel++;
    } else if (key == TUI_KEY_UP) {
        if (app->palette_sel > 0)
            app->palette_sel--;
    } else if (key == TUI_KEY_ENTER) {
        tui_app_close_modal(app);
        size_t ncmd;
        const struct tui_command *cmds = tui_command_table(&ncmd);
        if (n > 0)
            cmds[idx[app->palette_sel < (int)n ? app->palette_sel : 0]].run(app);
    } else if (tui_input_key(&app->modal_input, key)) {
        app->palette_sel = 0;
    }
}
