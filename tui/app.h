/*
 * app.h - the editor application: its state, what the tabs of the right
 * pane may call, and the entry points term.c drives.
 *
 * The app never touches the terminal: tui_app_key() takes a key and
 * tui_app_render() fills a frame.  That is what lets the headless tests
 * drive whole sessions and compare frames with reference text.
 */
#ifndef TUI_APP_H
#define TUI_APP_H

#include "editor.h"
#include "frame.h"
#include "input.h"
#include "layout.h"
#include "view-record.h"

#include "repo.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tui_app;

/* A tab of the right pane. */
struct tui_tab_ops {
    const char *name;   /* "Search" */
    const char *label;  /* short label for narrow screens: "Srch" */
    void *(*create)(struct tui_app *app);
    void (*destroy)(void *st);
    void (*draw)(void *st, struct tui_app *app, struct tui_frame *f, struct tui_rect r,
                 bool focused);
    /* A key while the right pane has focus; true when handled. */
    bool (*key)(void *st, struct tui_app *app, int key);
    /* The record in the left pane changed (opened, saved, closed); may be NULL. */
    void (*record_changed)(void *st, struct tui_app *app);
    /* The tab was brought to the front; may be NULL. */
    void (*shown)(void *st, struct tui_app *app);
    /* Work going on in the background (an external search): true while there
     * is some, with the socket to watch (-1: none yet) and its poll(2)
     * events; may be NULL. */
    bool (*pending)(void *st, int *fd /* OUT */, short *events /* OUT */);
    /* Move that work on without blocking (its socket is ready, or a moment
     * passed); may be NULL. */
    void (*io)(void *st, struct tui_app *app);
};

enum tui_msg_kind { TUI_MSG_INFO, TUI_MSG_WARNING, TUI_MSG_ERROR };

/* ---- for term.c ---- */

struct tui_app_opts {
    const char *open_mms; /* open this record at start, may be NULL */
    bool no_color;
    const char *keys_file; /* NULL: $XDG_CONFIG_HOME/colophon/keys */
};

struct tui_app *tui_app_new(struct core_repo *repo, const struct tui_app_opts *o);
void tui_app_free(struct tui_app *app);
/* Handle one key. */
void tui_app_key(struct tui_app *app, int key);
/* Build the screen for a terminal of w x h into f (re-initialised on resize). */
void tui_app_render(struct tui_app *app, struct tui_frame *f, int w, int h);
/* True once the user has quit. */
bool tui_app_done(const struct tui_app *app);
/* Called about once a second while idle: renews the lock, refreshes state. */
void tui_app_tick(struct tui_app *app);
/* The connection is going away (SIGHUP, SIGTERM): keep everything recoverable. */
void tui_app_hangup(struct tui_app *app);
/*
 * Background work the main loop must wait for besides the terminal (a tab's
 * external search).  False when there is none: then the loop waits for
 * keys alone, as always.  True with the socket to poll (*fd, -1 when there
 * is none yet) for *events, and *timeout_ms, after which tui_app_io is due
 * even if nothing arrived (the screen shows the time going by, and the
 * work's own time limit is checked).
 */
bool tui_app_pending(struct tui_app *app, int *fd /* OUT */, short *events /* OUT */,
                     int *timeout_ms /* OUT */);
/* Move background work on without blocking; the next frame shows its state. */
void tui_app_io(struct tui_app *app);
/*
 * Is a key waiting to be read?  Work done while the editor is idle (the
 * Search tab's count of a big result) asks, and stops to let the key
 * through, trying again at the next idle moment.  The terminal sets the
 * hook (term.c: poll(2) on its input); without one the answer is no.
 */
typedef bool (*tui_app_key_waiting_fn)(void *ctx);
void tui_app_set_key_waiting(struct tui_app *app, tui_app_key_waiting_fn fn, void *ctx);
bool tui_app_key_waiting(struct tui_app *app);
/*
 * Work that runs in the foreground (a job started from the editor) shows
 * its progress and can be stopped through this hook: `fn` draws the app's
 * current state on the terminal at once and returns a key typed meanwhile
 * (0 when none) without waiting.  Without a hook nothing is drawn until
 * the work ends.
 */
typedef int (*tui_app_show_fn)(void *ctx, struct tui_app *app);
void tui_app_set_show(struct tui_app *app, tui_app_show_fn fn, void *ctx);

/* ---- for tabs ---- */

struct core_repo *tui_app_repo(struct tui_app *app);
/* MMS ID of the record in the left pane ("" when none). */
const char *tui_app_mms(const struct tui_app *app);
/* The left pane's record as it is on screen (unsaved edits included); NULL
 * when none or when it does not parse. Borrowed until the next edit. */
const struct marc_record *tui_app_record(struct tui_app *app);
/* Open a record in the left pane (asks first when the current one has
 * unsaved changes).  Returns false when it could not be opened. */
bool tui_app_open(struct tui_app *app, const char *mms);
/* Reload the current record from the repository (after a workflow changed it). */
void tui_app_reload(struct tui_app *app);
/* Show a message on the bottom line. */
void tui_app_message(struct tui_app *app, enum tui_msg_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Show the repository's last error as a message. */
void tui_app_core_error(struct tui_app *app, const char *what);

/* Ask for a line of text; `done` gets it (NULL when cancelled with Esc). */
typedef void (*tui_prompt_fn)(struct tui_app *app, void *ctx, const char *text);
void tui_app_prompt(struct tui_app *app, const char *question, const char *initial,
                    tui_prompt_fn done, void *ctx);
/* Ask a yes/no question; `done` gets the answer (false when cancelled). */
typedef void (*tui_confirm_fn)(struct tui_app *app, void *ctx, bool yes);
void tui_app_confirm(struct tui_app *app, const char *question, tui_confirm_fn done, void *ctx);
/* Show lines of text in a scrollable window over the screen (Esc closes). */
void tui_app_show_text(struct tui_app *app, const char *title, const char *text);
/* Bring a tab to the front by name ("Search") and focus the right pane. */
void tui_app_show_tab(struct tui_app *app, const char *name);
/* Width of the right pane body at the last render (for list paging). */
int tui_app_right_rows(const struct tui_app *app);

#endif
