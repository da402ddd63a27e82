/*
 * dialog.c - the boxes that pop up over the screen: their geometry, the
 * yes/no question (word wrapped, with an optional body such as a diff to
 * read before answering), the pick list (choose one of a few named things,
 * typing filters), and drawing the screen at once for work that runs in
 * the foreground (a job's progress).
 *
 * Geometry: a box is centred; one that would leave only a sliver of the
 * panes beside it (fewer than MARGIN columns a side) takes the whole width,
 * so no cut-off fragments of the right pane show at the screen's edge.
 * Knows nothing of the terminal: term.c supplies the show hook.
 */
#include "app-int.h"

#include "keys.h"
#include "textbox.h"

#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MARGIN 3       /* fewest columns of the screen a box leaves beside it */
#define QUESTION_W 76  /* widest yes/no box: lines a reader takes in at once */

/* ---- geometry ---- */

struct tui_rect
tui_modal_box(struct tui_app *app, int want_w, int want_h)
{
    int w = want_w < app->w ? want_w : app->w;
    int h = want_h < app->h - 2 ? want_h : app->h - 2;
    if (w < 1)
        w = 1;
    if (h < 1)
        h = 1;
    if (app->w - w < 2 * MARGIN)
        w = app->w;
    return (struct tui_rect){(app->w - w) / 2, (app->h - h) / 2, w, h};
}

void
tui_draw_box(struct tui_frame *f, struct tui_rect b, const char *title)
{
    tui_frame_fill(f, b.x, b.y, b.w, b.h, " ", TUI_A_NONE);
    for (int x = b.x; x < b.x + b.w; x++) {
        tui_frame_puts(f, x, b.y, "\xe2\x94\x80", 1, TUI_A_NONE);
        tui_frame_puts(f, x, b.y + b.h - 1, "\xe2\x94\x80", 1, TUI_A_NONE);
    }
    for (int y = b.y; y < b.y + b.h; y++) {
        tui_frame_puts(f, b.x, y, "\xe2\x94\x82", 1, TUI_A_NONE);
        tui_frame_puts(f, b.x + b.w - 1, y, "\xe2\x94\x82", 1, TUI_A_NONE);
    }
    tui_frame_puts(f, b.x, b.y, "\xe2\x94\x8c", 1, TUI_A_NONE);
    tui_frame_puts(f, b.x + b.w - 1, b.y, "\xe2\x94\x90", 1, TUI_A_NONE);
    tui_frame_puts(f, b.x, b.y + b.h - 1, "\xe2\x94\x94", 1, TUI_A_NONE);
    tui_frame_puts(f, b.x + b.w - 1, b.y + b.h - 1, "\xe2\x94\x98", 1, TUI_A_NONE);
    if (title && *title) {
        tui_frame_puts(f, b.x + 2, b.y, " ", b.w - 4, TUI_A_BOLD);
        int n = tui_frame_puts(f, b.x + 3, b.y, title, b.w - 6, TUI_A_BOLD);
        tui_frame_puts(f, b.x + 3 + n, b.y, " ", 1, TUI_A_BOLD);
    }
}

/* ---- word wrap ---- */

/* Bytes of s that go on a row of `cols` columns, broken after a word;
 * *skip gets the blanks to pass over before the next row. */
static size_t
wrap_row(const char *s, size_t len, int cols, size_t *skip)
{
    *skip = 0;
    size_t fit = tui_text_fit(s, len, cols > 0 ? cols : 1, NULL);
    if (fit == 0 && len > 0)
        fit = 1; /* a character wider than the row: never loop */
    if (fit < len) {
        for (size_t i = fit; i > 0; i--)
            if (s[i] == ' ') {
                fit = i;
                break;
            }
    }
    while (fit + *skip < len && s[fit + *skip] == ' ')
        (*skip)++;
    return fit;
}

/* Draw s wrapped to w columns from (x, y), at most max_rows rows (f NULL:
 * only count).  Returns the rows it takes (or took). */
static int
wrap_text(struct tui_frame *f, int x, int y, const char *s, int w, int max_rows, uint16_t attr)
{
    size_t len = strlen(s);
    int rows = 0;
    while (len > 0 && (max_rows < 0 || rows < max_rows)) {
        size_t skip;
        size_t n = wrap_row(s, len, w, &skip);
        if (f)
            tui_frame_put(f, x, y + rows, s, n, w, attr);
        s += n + skip;
        len -= n + skip;
        rows++;
    }
    return rows ? rows : 1;
}

/* ---- yes/no ---- */

void
tui_app_confirm_text(struct tui_app *app, const char *title, const char *body,
                     const char *question, tui_confirm_fn done, void *ctx)
{
    tui_app_close_modal(app);
    app->modal = TUI_MODAL_CONFIRM;
    snprintf(app->modal_title, sizeof app->modal_title, "%s", title);
    snprintf(app->modal_question, sizeof app->modal_question, "%s", question);
    app->modal_text = xstrdup(body ? body : "");
    app->modal_scroll = 0;
    app->confirm_done = done;
    app->modal_ctx = ctx;
}

/* The body of a yes/no question with one, as a wrapped text box. */
static void
body_box(struct tui_app *app, struct tui_textbox *t)
{
    memset(t, 0, sizeof *t);
    tui_textbox_add(t, TUI_A_NONE, "%s", app->modal_text);
    t->scroll = app->modal_scroll;
}

/* A question alone: a box just wide enough, the question wrapped in it. */
static void
draw_question(struct tui_app *app, struct tui_frame *f)
{
    const char *q = app->modal_title;
    int cap = app->w - 2 * MARGIN - 2 < QUESTION_W ? app->w - 2 * MARGIN - 2 : QUESTION_W;
    int tw = tui_text_width(q, strlen(q));
    int w = tw + 6 > 40 ? tw + 6 : 40;
    if (w > cap)
        w = cap;
    int rows = wrap_text(NULL, 0, 0, q, w - 4, -1, 0);
    struct tui_rect b = tui_modal_box(app, w, rows + 3);
    tui_draw_box(f, b, "");
    int shown = wrap_text(f, b.x + 2, b.y + 1, q, b.w - 4, b.h - 3, TUI_A_BOLD);
    tui_frame_puts(f, b.x + 2, b.y + 1 + shown, "y yes / n no", b.w - 4, TUI_A_DIM);
}

/* A question with a body: the whole screen between title bar and status
 * line, the body scrolled above the question. */
static void
draw_question_body(struct tui_app *app, struct tui_frame *f)
{
    struct tui_rect b = tui_modal_box(app, app->w, app->h - 2);
    tui_draw_box(f, b, app->modal_title);
    int inner = b.w - 4;
    int qrows = wrap_text(NULL, 0, 0, app->modal_question, inner, -1, 0);
    int body_h = b.h - 3 - qrows; /* borders and the hint take three rows */
    if (body_h < 1) {
        body_h = 1;
        qrows = b.h - 4 > 0 ? b.h - 4 : 0;
    }
    struct tui_textbox t;
    body_box(app, &t);
    tui_textbox_draw(&t, f, (struct tui_rect){b.x + 2, b.y + 1, inner, body_h});
    app->modal_scroll = t.scroll; /* clamped */
    tui_textbox_free(&t);
    int y = b.y + 1 + body_h;
    wrap_text(f, b.x + 2, y, app->modal_question, inner, qrows, TUI_A_BOLD);
    tui_frame_puts(f, b.x + 2, y + qrows, "y yes / n no   Up/Down/PgUp/PgDn scroll", inner,
                   TUI_A_DIM);
}

void
tui_confirm_draw(struct tui_app *app, struct tui_frame *f)
{
    if (app->modal_text)
        draw_question_body(app, f);
    else
        draw_question(app, f);
}

void
tui_confirm_key(struct tui_app *app, int key)
{
    if (app->modal_text) {
        struct tui_textbox t;
        body_box(app, &t);
        int rows = app->h - 7 > 1 ? app->h - 7 : 1; /* about the body's rows */
        if (tui_textbox_key(&t, key, app->w - 4, rows)) {
            app->modal_scroll = t.scroll;
            tui_textbox_free(&t);
            return;
        }
        tui_textbox_free(&t);
    }
    bool yes = key == 'y' || key == 'Y';
    bool no = key == 'n' || key == 'N' || key == TUI_KEY_ESC || key == TUI_KEY_ENTER ||
              key == TUI_CTRL('g');
    if (!yes && !no)
        return;
    tui_confirm_fn done = app->confirm_done;
    void *ctx = app->modal_ctx;
    tui_app_close_modal(app);
    if (done)
        done(app, ctx, yes);
}

/* ---- a line of input ---- */

void
tui_prompt_draw(struct tui_app *app, struct tui_frame *f)
{
    int inner = tui_modal_box(app, 70, 5).w - 4;
    int rows = wrap_text(NULL, 0, 0, app->modal_title, inner, -1, 0);
    struct tui_rect b = tui_modal_box(app, 70, rows + 4);
    tui_draw_box(f, b, "");
    int shown = wrap_text(f, b.x + 2, b.y + 1, app->modal_title, b.w - 4, b.h - 4, TUI_A_BOLD);
    tui_input_draw(&app->modal_input, "> ", true, f,
                   (struct tui_rect){b.x + 2, b.y + 1 + shown, b.w - 4, 1});
    tui_frame_puts(f, b.x + 2, b.y + 2 + shown, "Enter accepts, Esc cancels", b.w - 4, TUI_A_DIM);
}

/* ---- pick list ---- */

struct tui_pick {
    char title[256];
    char **names, **details;
    size_t n;
    int sel;   /* among the items the filter lets through */
    int first; /* first of them drawn */
    tui_pick_fn done;
    void *ctx;
};

void
tui_pick_free(struct tui_pick *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->names[i]);
        free(p->details[i]);
    }
    free(p->names);
    free(p->details);
    free(p);
}

void
tui_app_pick(struct tui_app *app, const char *title, const char *const *names,
             const char *const *details, size_t n, tui_pick_fn done, void *ctx)
{
    tui_app_close_modal(app);
    struct tui_pick *p = xcalloc(1, sizeof *p);
    snprintf(p->title, sizeof p->title, "%s", title);
    p->names = xmalloc((n ? n : 1) * sizeof *p->names);
    p->details = xmalloc((n ? n : 1) * sizeof *p->details);
    for (size_t i = 0; i < n; i++) {
        p->names[i] = xstrdup(names[i]);
        p->details[i] = xstrdup(details && details[i] ? details[i] : "");
    }
    p->n = n;
    p->done = done;
    p->ctx = ctx;
    app->pick = p;
    app->modal = TUI_MODAL_PICK;
    tui_input_clear(&app->modal_input);
}

/* Items the filter lets through, as indexes into p (out has room for p->n). */
static size_t
pick_matches(const struct tui_pick *p, const char *q, size_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < p->n; i++)
        if (!*q || strcasestr(p->names[i], q) || strcasestr(p->details[i], q))
            out[k++] = i;
    return k;
}

/* Rows of the list in the box the list is drawn in. */
static int
pick_rows(struct tui_app *app)
{
    int want = (int)app->pick->n + 5;
    return tui_modal_box(app, 72, want < 20 ? want : 20).h - 5;
}

void
tui_pick_draw(struct tui_app *app, struct tui_frame *f)
{
    struct tui_pick *p = app->pick;
    int want = (int)p->n + 5;
    struct tui_rect b = tui_modal_box(app, 72, want < 20 ? want : 20);
    tui_draw_box(f, b, p->title);
    tui_input_draw(&app->modal_input, "Filter: ", true, f,
                   (struct tui_rect){b.x + 2, b.y + 1, b.w - 4, 1});
    size_t *idx = xmalloc((p->n ? p->n : 1) * sizeof *idx);
    size_t n = pick_matches(p, app->modal_input.text, idx);
    int rows = b.h - 5;
    if (p->sel >= (int)n)
        p->sel = n ? (int)n - 1 : 0;
    if (p->sel < p->first)
        p->first = p->sel;
    if (rows > 0 && p->sel >= p->first + rows)
        p->first = p->sel - rows + 1;
    int namew = 0;
    for (size_t i = 0; i < n; i++) {
        int w = tui_text_width(p->names[idx[i]], strlen(p->names[idx[i]]));
        namew = w > namew ? w : namew;
    }
    if (namew > (b.w - 4) / 2)
        namew = (b.w - 4) / 2;
    for (int r = 0; r < rows && p->first + r < (int)n; r++) {
        size_t i = idx[p->first + r];
        uint16_t a = p->first + r == p->sel ? TUI_A_REVERSE : TUI_A_NONE;
        int x = b.x + 2;
        tui_frame_fill(f, x, b.y + 2 + r, b.w - 4, 1, " ", a);
        tui_frame_puts(f, x, b.y + 2 + r, p->names[i], namew, a | TUI_A_BOLD);
        tui_frame_puts(f, x + namew + 2, b.y + 2 + r, p->details[i], b.w - 6 - namew, a);
    }
    if (n == 0)
        tui_frame_puts(f, b.x + 2, b.y + 2, "(nothing matches the filter)", b.w - 4, TUI_A_DIM);
    tui_frame_puts(f, b.x + 2, b.y + b.h - 2, "Up/Down choose, Enter picks, Esc cancels", b.w - 4,
                   TUI_A_DIM);
    free(idx);
}

void
tui_pick_key(struct tui_app *app, int key)
{
    struct tui_pick *p = app->pick;
    size_t *idx = xmalloc((p->n ? p->n : 1) * sizeof *idx);
    size_t n = pick_matches(p, app->modal_input.text, idx);
    int page = pick_rows(app) > 1 ? pick_rows(app) - 1 : 1;
    char *chosen = NULL;
    bool finish = false;
    if (key == TUI_KEY_ESC || key == TUI_CTRL('g')) {
        finish = true;
    } else if (key == TUI_KEY_ENTER) {
        if (n == 0) {
            free(idx);
            return; /* nothing to pick: the filter is wrong, not the wish */
        }
        chosen = xstrdup(p->names[idx[p->sel < (int)n ? p->sel : 0]]);
        finish = true;
    } else if (key == TUI_KEY_DOWN || key == TUI_KEY_PGDN) {
        p->sel += key == TUI_KEY_DOWN ? 1 : page;
        if (p->sel >= (int)n)
            p->sel = n ? (int)n - 1 : 0;
    } else if (key == TUI_KEY_UP || key == TUI_KEY_PGUP) {
        p->sel -= key == TUI_KEY_UP ? 1 : page;
        if (p->sel < 0)
            p->sel = 0;
    } else if (tui_input_key(&app->modal_input, key)) {
        p->sel = 0;
        p->first = 0;
    }
    free(idx);
    if (!finish)
        return;
    tui_pick_fn done = p->done;
    void *ctx = p->ctx;
    tui_app_close_modal(app); /* frees the list: done may open the next modal */
    if (done)
        done(app, ctx, chosen);
    free(chosen);
}

/* ---- foreground work ---- */

void
tui_app_set_show(struct tui_app *app, tui_app_show_fn fn, void *ctx)
{
    app->show_fn = fn;
    app->show_ctx = ctx;
}

int
tui_app_show_now(struct tui_app *app)
{
    return app->show_fn ? app->show_fn(app->show_ctx, app) : 0;
}
