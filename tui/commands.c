/*
 * commands.c - every user action as a named command (name, keys, help,
 * function) in one table that drives both key dispatch and the help screen;
 * the user's key file; macros and snippets.
 *
 * Key file ($XDG_CONFIG_HOME/colophon/keys, one directive a line):
 *   bind KEY COMMAND        e.g.  bind C-t add-subfield
 *   unbind KEY
 *   snippet KEY TEXT        the key types TEXT in the record
 *   macro KEY KEY KEY ...   the key replays the keys (written by C-r)
 */
#include "app-int.h"

#include "buf.h"
#include "keys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- command functions ---- */

static bool
need_record(struct tui_app *app)
{
    if (app->have_record)
        return true;
    tui_app_message(app, TUI_MSG_ERROR, "No record open (C-o opens one)");
    return false;
}

/* Run an editing call on the record pane and follow it with draft/marks. */
#define EDIT(call)                                                                                 \
    do {                                                                                           \
        if (!need_record(app))                                                                     \
            return;                                                                                \
        if (tui_editor_readonly(app->ed)) {                                                        \
            tui_app_message(app, TUI_MSG_WARNING, "View Only: %s", app->view_only_why);           \
            return;                                                                                \
        }                                                                                          \
        app->focus = TUI_FOCUS_LEFT;                                                               \
        if (call)                                                                                  \
            tui_app_after_edit(app);                                                               \
    } while (0)

static void
cmd_help(struct tui_app *app)
{
    char *t = tui_help_text(app);
    tui_app_show_text(app, "Keys (remap them in ~/.config/colophon/keys)", t);
    free(t);
}

static void
cmd_quit(struct tui_app *app)
{
    tui_app_quit(app);
}

static void
cmd_save(struct tui_app *app)
{
    tui_app_save(app, false);
}

static void
cmd_save_release(struct tui_app *app)
{
    tui_app_save(app, true);
}

static void
cmd_release(struct tui_app *app)
{
    tui_app_release(app);
}

static void
open_done(struct tui_app *app, void *ctx, const char *text)
{
    if (!text)
        return;
    while (*text == ' ')
        text++;
    char mms[CORE_MMS_MAX];
    snprintf(mms, sizeof mms, "%.*s", (int)strcspn(text, " "), text);
    if (mms[0])
        tui_app_open(app, mms);
}

static void
cmd_open(struct tui_app *app)
{
    tui_app_prompt(app, "Open the record with MMS ID:", "", open_done, NULL);
}

static void
cmd_search(struct tui_app *app)
{
    tui_app_show_tab(app, "Search");
}

static void
cmd_pane(struct tui_app *app)
{
    app->focus = app->focus == TUI_FOCUS_LEFT ? TUI_FOCUS_RIGHT : TUI_FOCUS_LEFT;
    if (app->zoom == TUI_ZOOM_LEFT && app->focus == TUI_FOCUS_RIGHT)
        app->zoom = TUI_ZOOM_RIGHT;
    else if (app->zoom == TUI_ZOOM_RIGHT && app->focus == TUI_FOCUS_LEFT)
        app->zoom = TUI_ZOOM_LEFT;
}

static void
cmd_zoom(struct tui_app *app)
{
    if (app->zoom != TUI_ZOOM_NONE)
        app->zoom = TUI_ZOOM_NONE;
    else
        app->zoom = app->focus == TUI_FOCUS_LEFT ? TUI_ZOOM_LEFT : TUI_ZOOM_RIGHT;
}

static void
cmd_palette(struct tui_app *app)
{
    app->modal = TUI_MODAL_PALETTE;
    tui_input_clear(&app->modal_input);
    app->palette_sel = 0;
}

static void cmd_add_field(struct tui_app *app) { EDIT(tui_editor_add_field(app->ed)); }
static void cmd_delete_field(struct tui_app *app) { EDIT(tui_editor_delete_field(app->ed)); }
static void cmd_duplicate_field(struct tui_app *app) { EDIT(tui_editor_duplicate_field(app->ed)); }
static void cmd_move_up(struct tui_app *app) { EDIT(tui_editor_move_field(app->ed, -1)); }
static void cmd_move_down(struct tui_app *app) { EDIT(tui_editor_move_field(app->ed, 1)); }
static void cmd_delete_subfield(struct tui_app *app) { EDIT(tui_editor_delete_subfield(app->ed)); }
static void cmd_undo(struct tui_app *app) { EDIT(tui_editor_undo(app->ed)); }
static void cmd_redo(struct tui_app *app) { EDIT(tui_editor_redo(app->ed)); }

static void
cmd_add_subfield(struct tui_app *app)
{
    if (!need_record(app))
        return;
    if (tui_editor_readonly(app->ed)) {
        tui_app_message(app, TUI_MSG_WARNING, "View Only: %s", app->view_only_why);
        return;
    }
    app->focus = TUI_FOCUS_LEFT;
    app->modal = TUI_MODAL_CODE;
}

static void
cmd_next_subfield(struct tui_app *app)
{
    if (need_record(app))
        tui_editor_next_subfield(app->ed);
}

static void
cmd_prev_subfield(struct tui_app *app)
{
    if (need_record(app))
        tui_editor_prev_subfield(app->ed);
}

static void
cmd_word_left(struct tui_app *app)
{
    if (need_record(app))
        tui_editor_word_left(app->ed);
}

static void
cmd_word_right(struct tui_app *app)
{
    if (need_record(app))
        tui_editor_word_right(app->ed);
}

static void
cmd_fixed(struct tui_app *app)
{
    if (need_record(app))
        tui_fixed_open(app);
}

static void
cmd_problems(struct tui_app *app)
{
    if (!need_record(app))
        return;
    app->marks_gen = 0;
    tui_app_refresh_marks(app);
    struct marc_buf b = MARC_BUF_INIT;
    struct tui_line_error le;
    for (size_t i = 0; i < tui_editor_line_count(app->ed); i++)
        if (tui_editor_line_error(app->ed, i, &le))
            marc_buf_printf(&b, "line %zu, column %zu: error: %s\n", i + 1, le.col + 1,
                            le.message);
    for (size_t k = 0; k < app->ndiags; k++) {
        char *s = marc_diag_format(&app->diags[k], NULL);
        marc_buf_printf(&b, "%s\n", s);
        free(s);
    }
    if (!b.len)
        marc_buf_puts(&b, "No problems: the record passes validation.\n");
    char title[128];
    snprintf(title, sizeof title, "Validation: %d error(s), %d warning(s)", app->errors,
             app->warnings);
    tui_app_show_text(app, title, b.data);
    marc_buf_free(&b);
}

static void
cmd_macro(struct tui_app *app)
{
    if (!app->recording) {
        app->recording = true;
        app->nmacro_keys = 0;
        tui_app_message(app, TUI_MSG_INFO, "Recording a macro: type the keys, then C-r again");
        return;
    }
    app->recording = false;
    if (app->nmacro_keys == 0) {
        tui_app_message(app, TUI_MSG_INFO, "Empty macro: nothing recorded");
        return;
    }
    app->modal = TUI_MODAL_BIND;
}

static void
show_tab(struct tui_app *app, const char *name)
{
    for (int i = 0; i < TUI_NTABS && tui_tabs[i]; i++)
        if (strcmp(tui_tabs[i]->name, name) == 0) {
            tui_app_show_tab(app, name);
            return;
        }
    tui_app_message(app, TUI_MSG_ERROR, "There is no %s tab", name);
}

static void cmd_tab1(struct tui_app *app) { show_tab(app, "Search"); }
static void cmd_tab2(struct tui_app *app) { show_tab(app, "External"); }
static void cmd_tab3(struct tui_app *app) { show_tab(app, "Relink"); }
static void cmd_tab4(struct tui_app *app) { show_tab(app, "Holdings"); }
static void cmd_tab5(struct tui_app *app) { show_tab(app, "Notes"); }
static void cmd_tab6(struct tui_app *app) { show_tab(app, "Reminders"); }
static void cmd_tab7(struct tui_app *app) { show_tab(app, "Versions"); }
static void cmd_tab8(struct tui_app *app) { show_tab(app, "Queue"); }

static const struct tui_command commands[] = {
    {"help", "F1 ?", "show every key and command", cmd_help, true},
    {"quit", "C-q", "quit (asks when there are unsaved changes)", cmd_quit, false},
    {"save", "C-s", "save the record (keeps the lock)", cmd_save, false},
    {"save-release", "M-r M-C-r", "save and release the record (Alma: Ctrl+Alt+R)",
     cmd_save_release, false},
    {"release", "M-R", "release the record without saving (Alma: Alt+Shift+R)", cmd_release,
     false},
    {"open", "C-o", "open a record by MMS ID", cmd_open, false},
    {"search", "C-f /", "search the repository", cmd_search, true},
    {"pane", "Tab", "switch between the record and the right pane", cmd_pane, false},
    {"zoom", "F10 M-z", "zoom the focused pane to full width (again: back)", cmd_zoom, false},
    {"palette", "C-p :", "find any command by name", cmd_palette, true},
    {"add-field", "F8 M-a", "add a field below the cursor", cmd_add_field, false},
    {"delete-field", "C-k", "delete the field under the cursor", cmd_delete_field, false},
    {"duplicate-field", "C-d", "duplicate the field under the cursor", cmd_duplicate_field,
     false},
    {"move-field-up", "M-Up M-k", "move the field up", cmd_move_up, false},
    {"move-field-down", "M-Down M-j", "move the field down", cmd_move_down, false},
    {"add-subfield", "F9 M-s", "add a subfield at the cursor (then type its code)",
     cmd_add_subfield, false},
    {"delete-subfield", "M-x", "delete the subfield under the cursor", cmd_delete_subfield,
     false},
    {"next-subfield", "M-Right M-n", "go to the next subfield", cmd_next_subfield, false},
    {"prev-subfield", "M-Left M-p", "go to the previous subfield", cmd_prev_subfield, false},
    {"word-left", "C-Left M-b", "go one word left", cmd_word_left, false},
    {"word-right", "C-Right M-f", "go one word right", cmd_word_right, false},
    {"undo", "C-z", "undo the last edit", cmd_undo, false},
    {"redo", "C-y", "redo", cmd_redo, false},
    {"fixed-field", "F2 M-e", "fixed-field form for LDR/006/007/008 with labelled positions",
     cmd_fixed, false},
    {"problems", "M-v", "explain the validation errors and warnings", cmd_problems, false},
    {"macro-record", "C-r", "record a macro (again: stop, then press the key to bind)",
     cmd_macro, false},
    {"tab-search", "M-1", "Search tab", cmd_tab1, false},
    {"tab-external", "M-2", "External tab (Z39.50 / SRU, Copy & Merge)", cmd_tab2, false},
    {"tab-relink", "M-3", "Relink tab", cmd_tab3, false},
    {"tab-holdings", "M-4", "Holdings & items tab", cmd_tab4, false},
    {"tab-notes", "M-5", "Notes tab", cmd_tab5, false},
    {"tab-reminders", "M-6", "Reminders tab", cmd_tab6, false},
    {"tab-versions", "M-7", "Versions tab", cmd_tab7, false},
    {"tab-queue", "M-8", "Queue tab (assigned records, due reminders, link multi-matches)",
     cmd_tab8, false},
};

const struct tui_command *
tui_command_table(size_t *n)
{
    *n = sizeof commands / sizeof *commands;
    return commands;
}

bool
tui_command_run(struct tui_app *app, const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(commands[i].name, name) == 0) {
            commands[i].run(app);
            return true;
        }
    return false;
}

/* ---- bindings ---- */

static int
command_index(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(commands[i].name, name) == 0)
            return (int)i;
    return -1;
}

static void
unbind(struct tui_app *app, int key)
{
    for (size_t i = 0; i < app->nbindings;) {
        if (app->bindings[i].key == key) {
            free(app->bindings[i].snippet);
            free(app->bindings[i].macro);
            memmove(&app->bindings[i], &app->bindings[i + 1],
                    (app->nbindings - i - 1) * sizeof *app->bindings);
            app->nbindings--;
        } else {
            i++;
        }
    }
}

static struct tui_binding *
add_binding(struct tui_app *app, int key)
{
    unbind(app, key);
    app->bindings = xrealloc(app->bindings, (app->nbindings + 1) * sizeof *app->bindings);
    struct tui_binding *b = &app->bindings[app->nbindings++];
    memset(b, 0, sizeof *b);
    b->key = key;
    b->command = -1;
    return b;
}

static char *
keys_path(const char *given)
{
    if (given)
        return xstrdup(given);
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg == '/')
        return xasprintf("%s/colophon/keys", xdg);
    if (home && *home)
        return xasprintf("%s/.config/colophon/keys", home);
    return NULL;
}

static char *keys_file; /* where macros are saved */

static bool
load_line(struct tui_app *app, char *line)
{
    char *save = NULL;
    char *verb = strtok_r(line, " \t", &save);
    if (!verb || verb[0] == '#')
        return true;
    char *kname = strtok_r(NULL, " \t", &save);
    int key = kname ? tui_key_parse(kname) : 0;
    if (!key)
        return false;
    if (strcmp(verb, "unbind") == 0) {
        unbind(app, key);
        return true;
    }
    if (strcmp(verb, "bind") == 0) {
        char *cmd = strtok_r(NULL, " \t", &save);
        int ci = cmd ? command_index(cmd) : -1;
        if (ci < 0)
            return false;
        add_binding(app, key)->command = ci;
        return true;
    }
    if (strcmp(verb, "snippet") == 0) {
        char *rest = save ? save + strspn(save, " \t") : NULL;
        if (!rest || !*rest)
            return false;
        add_binding(app, key)->snippet = xstrdup(rest);
        return true;
    }
    if (strcmp(verb, "macro") == 0) {
        struct tui_binding *b = add_binding(app, key);
        for (char *k = strtok_r(NULL, " \t", &save); k; k = strtok_r(NULL, " \t", &save)) {
            int mk = tui_key_parse(k);
            if (!mk)
                return false;
            b->macro = xrealloc(b->macro, (b->nmacro + 1) * sizeof *b->macro);
            b->macro[b->nmacro++] = mk;
        }
        return b->nmacro > 0;
    }
    return false;
}

void
tui_keys_load(struct tui_app *app, const char *path)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        char keys[64];
        snprintf(keys, sizeof keys, "%s", commands[i].keys);
        char *save = NULL;
        for (char *k = strtok_r(keys, " ", &save); k; k = strtok_r(NULL, " ", &save)) {
            int key = tui_key_parse(k);
            if (key)
                add_binding(app, key)->command = (int)i;
        }
    }
    free(keys_file);
    keys_file = keys_path(path);
    FILE *fp = keys_file ? fopen(keys_file, "r") : NULL;
    if (!fp)
        return;
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, fp)) {
        n++;
        line[strcspn(line, "\r\n")] = '\0';
        char copy[1024];
        snprintf(copy, sizeof copy, "%s", line);
        if (!load_line(app, copy))
            tui_app_message(app, TUI_MSG_WARNING, "%s line %d not understood: %s", keys_file, n,
                            line);
    }
    fclose(fp);
}

void
tui_keys_free(struct tui_app *app)
{
    for (size_t i = 0; i < app->nbindings; i++) {
        free(app->bindings[i].snippet);
        free(app->bindings[i].macro);
    }
    free(app->bindings);
    app->bindings = NULL;
    app->nbindings = 0;
}

void
tui_keys_bind_macro(struct tui_app *app, int key)
{
    /* The key pressed now gets the macro just recorded. */
    app->modal = TUI_MODAL_NONE;
    if (key == TUI_KEY_ESC) {
        tui_app_message(app, TUI_MSG_INFO, "Macro discarded");
        return;
    }
    struct tui_binding *b = add_binding(app, key);
    b->macro = xmalloc(app->nmacro_keys * sizeof *b->macro);
    memcpy(b->macro, app->macro_keys, app->nmacro_keys * sizeof *b->macro);
    b->nmacro = app->nmacro_keys;
    char name[32];
    tui_key_name(key, name, sizeof name);
    FILE *fp = keys_file ? fopen(keys_file, "a") : NULL;
    if (!fp && keys_file) { /* the folder may not exist yet */
        char *dir = xstrdup(keys_file);
        char *slash = strrchr(dir, '/');
        if (slash) {
            *slash = '\0';
            mkdir(dir, 0700);
        }
        free(dir);
        fp = fopen(keys_file, "a");
    }
    if (fp) {
        fprintf(fp, "macro %s", name);
        for (size_t i = 0; i < b->nmacro; i++) {
            char kn[32];
            tui_key_name(b->macro[i], kn, sizeof kn);
            fprintf(fp, " %s", kn);
        }
        fputc('\n', fp);
        fclose(fp);
    }
    tui_app_message(app, TUI_MSG_INFO, "Macro of %zu keys bound to %s%s", b->nmacro, name,
                    fp ? " (saved in the key file)" : "");
}

const struct tui_binding *
tui_keys_lookup(struct tui_app *app, int key)
{
    for (size_t i = app->nbindings; i-- > 0;)
        if (app->bindings[i].key == key)
            return &app->bindings[i];
    return NULL;
}

void
tui_keys_for(struct tui_app *app, int command, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < app->nbindings; i++) {
        if (app->bindings[i].command != command)
            continue;
        char name[32];
        tui_key_name(app->bindings[i].key, name, sizeof name);
        size_t n = strlen(out);
        snprintf(out + n, size - n, "%s%s", n ? ", " : "", name);
    }
}
