/*
 * app-int.h - what the files of the application share (app.c, commands.c,
 * help.c, fixed.c and the tabs): the struct body and internal helpers.
 */
#ifndef TUI_APP_INT_H
#define TUI_APP_INT_H

#include "app.h"
#include "keys.h"

#include "buf.h"
#include "diag.h"
#include "record.h"
#include "repo.h"

#define TUI_NTABS 8
#define TUI_MACRO_MAX 256

enum tui_focus { TUI_FOCUS_LEFT, TUI_FOCUS_RIGHT };

enum tui_modal {
    TUI_MODAL_NONE,
    TUI_MODAL_TEXT,    /* scrollable text: help, validation details, diffs */
    TUI_MODAL_PROMPT,  /* one line of input */
    TUI_MODAL_CONFIRM, /* y/n */
    TUI_MODAL_PALETTE, /* find a command by name */
    TUI_MODAL_CODE,    /* the next key is a subfield code */
    TUI_MODAL_BIND,    /* the next key gets the recorded macro */
    TUI_MODAL_FIXED,   /* fixed-field form (fixed.c) */
    TUI_MODAL_PICK,    /* choose one of a list (dialog.c) */
};

struct tui_binding {
    int key;
    int command;      /* index in the command table, -1 for a snippet or macro */
    char *snippet;    /* constant text typed by the key */
    int *macro;       /* recorded keys replayed by the key */
    size_t nmacro;
};

struct tui_fixed; /* fixed.c */
struct tui_pick;  /* dialog.c */

struct tui_app {
    struct core_repo *repo;
    bool no_color;
    bool done;
    int w, h;
    struct tui_layout layout;
    enum tui_zoom zoom;
    enum tui_focus focus;

    /* the record in the left pane */
    struct tui_editor *ed;
    struct tui_record_view rview;
    bool have_record;
    char mms[CORE_MMS_MAX];
    int version;               /* version the edits are based on */
    bool view_only;
    char view_only_why[256];
    struct core_record_info info;
    struct core_lock_info lock;
    char draft_path[4200];
    time_t last_touch;         /* last lock renewal */
    unsigned long saved_gen;   /* editor generation last written to the draft */
    /* validation of what is on screen */
    unsigned long marks_gen;
    uint8_t *marks;
    size_t nmarks;
    struct marc_record *built; /* the record the text makes, when it parses */
    bool built_ok;
    struct marc_diag *diags;
    size_t ndiags, capdiags;
    int errors, warnings;

    /* the right pane */
    int tab;
    void *tab_state[TUI_NTABS];

    /* bottom line */
    char message[512];
    enum tui_msg_kind msg_kind;

    /* modal */
    enum tui_modal modal;
    char modal_title[256];
    char *modal_text;
    int modal_scroll;
    struct tui_input modal_input;
    tui_prompt_fn prompt_done;
    tui_confirm_fn confirm_done;
    void *modal_ctx;
    int palette_sel;
    struct tui_fixed *fixed;
    char modal_question[512]; /* a yes/no question with a body (dialog.c) */
    struct tui_pick *pick;
    /* drawing at once while work runs in the foreground (set by term.c) */
    tui_app_show_fn show_fn;
    void *show_ctx;
    tui_app_key_waiting_fn key_waiting_fn;
    void *key_waiting_ctx;

    /* keys */
    struct tui_binding *bindings;
    size_t nbindings;
    bool recording;
    int macro_keys[TUI_MACRO_MAX];
    size_t nmacro_keys;
    bool replaying;
    int pending_open; /* a record to open once a modal confirms, unused when 0 */
    char pending_mms[CORE_MMS_MAX];
};

/* The tabs, in the order of the tab bar; NULL-terminated (tabs.c). */
extern const struct tui_tab_ops *const tui_tabs[TUI_NTABS + 1];

/* ---- app.c ---- */
void tui_app_refresh_marks(struct tui_app *app);
bool tui_app_save(struct tui_app *app, bool release);
void tui_app_release(struct tui_app *app);
void tui_app_quit(struct tui_app *app);
void tui_app_close_modal(struct tui_app *app);
/* Edits go through here: after one, the draft and the marks follow. */
void tui_app_after_edit(struct tui_app *app);

/* ---- commands.c ---- */
struct tui_command {
    const char *name;
    const char *keys;  /* default keys, space-separated names */
    const char *help;
    void (*run)(struct tui_app *app);
    bool text_context; /* a text key must not trigger it in the record pane */
};
const struct tui_command *tui_command_table(size_t *n);
/* Load default bindings and the user's key file; messages for bad lines. */
void tui_keys_load(struct tui_app *app, const char *path);
void tui_keys_free(struct tui_app *app);
/* Bind the macro just recorded to key (and save it in the key file). */
void tui_keys_bind_macro(struct tui_app *app, int key);
/* The binding for key in the current context, NULL when none. */
const struct tui_binding *tui_keys_lookup(struct tui_app *app, int key);
/* Keys bound to command i, as names ("C-s, M-r"). */
void tui_keys_for(struct tui_app *app, int command, char *out, size_t size);
/* Run command by name; false when unknown. */
bool tui_command_run(struct tui_app *app, const char *name);

/* ---- tab-versions.c ---- */
/* Field-level diff of a -> b as text lines ("- 245 ...", "+ ...", "~ old
 * -> new", .mrk style), or a sentence saying there is no difference. */
void tui_diff_text(const struct marc_record *a, const struct marc_record *b,
                   struct marc_buf *out);

/* ---- help.c ---- */
char *tui_help_text(struct tui_app *app);
void tui_palette_draw(struct tui_app *app, struct tui_frame *f);
void tui_palette_key(struct tui_app *app, int key);

/* ---- dialog.c ---- */
/* A box of want_w x want_h centred on the screen; the whole width when it
 * would leave only slivers of the panes beside it. */
struct tui_rect tui_modal_box(struct tui_app *app, int want_w, int want_h);
void tui_draw_box(struct tui_frame *f, struct tui_rect b, const char *title);
/* The yes/no question (tui_app_confirm, tui_app_confirm_text) drawn and answered. */
void tui_confirm_draw(struct tui_app *app, struct tui_frame *f);
void tui_confirm_key(struct tui_app *app, int key);
/* The one-line prompt (tui_app_prompt), its question wrapped. */
void tui_prompt_draw(struct tui_app *app, struct tui_frame *f);
/* Ask a yes/no question below a body of text to read first (a diff): the
 * body scrolls, `done` gets the answer as for tui_app_confirm. */
void tui_app_confirm_text(struct tui_app *app, const char *title, const char *body,
                          const char *question, tui_confirm_fn done, void *ctx);
/* Choose one of n items (a name and a detail beside it); typing filters;
 * `done` gets the chosen name (NULL when cancelled). */
typedef void (*tui_pick_fn)(struct tui_app *app, void *ctx, const char *name);
void tui_app_pick(struct tui_app *app, const char *title, const char *const *names,
                  const char *const *details, size_t n, tui_pick_fn done, void *ctx);
void tui_pick_draw(struct tui_app *app, struct tui_frame *f);
void tui_pick_key(struct tui_app *app, int key);
void tui_pick_free(struct tui_pick *p);
/* Draw the screen now through the show hook; a key typed meanwhile, 0 when
 * none (or when there is no hook: headless, no terminal). */
int tui_app_show_now(struct tui_app *app);

/* ---- rules.c (SPEC 3.10: normalization rules on the record being edited) ---- */
void tui_cmd_apply_rule(struct tui_app *app);
void tui_cmd_test_rule(struct tui_app *app);

/* ---- jobs.c (SPEC 3.9: a job on a set, with progress; Esc stops it) ---- */
void tui_cmd_run_job(struct tui_app *app);

/* ---- fixed.c ---- */
bool tui_fixed_open(struct tui_app *app);
void tui_fixed_draw(struct tui_app *app, struct tui_frame *f);
void tui_fixed_key(struct tui_app *app, int key);
void tui_fixed_free(struct tui_fixed *fx);

#endif
