/*
 * tui-fixture.h - what the whole-editor render tests share: a scratch
 * directory with its own XDG folders, a repository holding the Library of
 * Congress sample records, a fixed clock, keys into a tui_app, and frames
 * compared with tests/tui/ref/NAME.ref.
 *
 * The clock: the tests link with -Wl,--wrap=core_now (tests/tui/meson.build)
 * and tui-fixture.c's __wrap_core_now returns tf_now, so every time the core
 * writes or shows (005, locks, versions, notes, reminders) is the test's.
 * Frames show tf_mask_path as <repo>, and anything tf_mask_extra masks.
 * COLOPHON_UPDATE_REFS=1 rewrites the references instead of comparing
 * (review the change with git diff before committing it).
 */
#ifndef TESTS_TUI_FIXTURE_H
#define TESTS_TUI_FIXTURE_H

#include "app-int.h"
#include "buf.h"
#include "repo.h"

#include <stdbool.h>
#include <time.h>

#define TF_T0 ((time_t)1772443800) /* 2026-03-02 09:30:00 UTC */

extern time_t tf_now;       /* what core_now() returns */
extern char tf_dir[256];    /* the test's scratch directory */
extern char tf_repo_dir[300]; /* tf_dir/repo */
extern const char *tf_mask_path; /* shown as <repo> in frames (default tf_repo_dir) */
/* Masks a varying text at *p into b and moves *p past it (true), or does nothing. */
extern bool (*tf_mask_extra)(struct marc_buf *b, const char **p);

/* A new scratch directory /tmp/colophon-test-NAME-XXXXXX with XDG_STATE_HOME
 * and XDG_CONFIG_HOME inside it; the clock set to TF_T0.  0 or -1. */
int tf_scratch(const char *name);
/* Remove the scratch directory.  0 or -1. */
int tf_remove_scratch(void);
/* A repository in tf_repo_dir (institution 1234, opened as its admin "admin")
 * holding the LoC sample records; NULL with a message on stderr. */
struct core_repo *tf_loc_repo(void);
/* Import .mrk text into the IZ of r (written to tf_dir/name first).  0 or -1. */
int tf_import_mrk(struct core_repo *r, const char *name, const char *text);

/* An editor on r (no colours, no key file), on record mms (may be NULL). */
struct tui_app *tf_app(struct core_repo *r, const char *mms);
void tf_key(struct tui_app *app, int k);
void tf_type(struct tui_app *app, const char *s);
/* Answer the prompt on screen with text (what was prefilled is replaced). */
void tf_answer(struct tui_app *app, const char *text);

/* The frame at w x h as text, masked, the cursor appended (caller frees). */
char *tf_frame_text(struct tui_app *app, int w, int h);
/* Compare text with ref/NAME.ref (or write it); a cmocka failure names the lines. */
void tf_check_text(const char *got, const char *name);
void tf_check_frame(struct tui_app *app, int w, int h, const char *name);
/* True when the 80x24 frame shows text. */
bool tf_shows(struct tui_app *app, const char *text);

#endif
