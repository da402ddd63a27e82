/*
 * tab-queue.c - the Queue tab (SPEC §2 Assignment, §3.4, §3.8; seeds 001
 * and 004): what waits for the acting cataloger.
 *
 * Four sections: records assigned to me (who assigned them, when, the
 * note), records I assigned (whether the assignee still has them open or
 * released them, which is when I may release the assignment), reminders due
 * today or overdue, and the records a link-to-nz job matched to several
 * network records.  Enter opens the record in the left pane; on a
 * multi-match it also shows the candidates one by one beside it, to pick
 * the one to link.  r releases an assignment (the core decides who may).
 *
 * The same candidate view serves Share with Network (tab-queue.h): the
 * network records an IZ bib could be linked to, or, when there is none,
 * the offer to contribute it.
 */
#include "app-int.h"

#include "tab-queue.h"
#include "textbox.h"
#include "vlist.h"

#include "assign.h"
#include "buf.h"
#include "link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum qkind { Q_HEAD, Q_NONE, Q_TO_ME, Q_BY_ME, Q_DUE, Q_MULTI };

struct qrow {
    enum qkind kind;
    size_t i;      /* index in its list */
    char head[80]; /* Q_HEAD */
};

struct queue_tab {
    bool stale;
    struct core_queue q;
    struct core_link_queued *multi;
    size_t nmulti;
    struct qrow *rows;
    size_t nrows;
    struct tui_vlist list;
    /* the candidates of one IZ bib */
    bool cands;
    bool sharing; /* from Share with Network rather than the queue */
    char cand_for[CORE_MMS_MAX];
    struct core_link_candidate *c;
    size_t nc, ci;
    struct tui_editor *view;
    struct tui_record_view vstate;
    /* the release note prompt */
    char release_mms[CORE_MMS_MAX];
};

extern const struct tui_tab_ops tui_tab_queue;

static struct queue_tab *
tab_of(struct tui_app *app)
{
    for (int i = 0; i < TUI_NTABS && tui_tabs[i]; i++)
        if (tui_tabs[i] == &tui_tab_queue)
            return app->tab_state[i];
    return NULL;
}

/* ---- the lists ---- */

static void
add_row(struct queue_tab *t, enum qkind kind, size_t i, const char *head)
{
    t->rows = xrealloc(t->rows, (t->nrows + 1) * sizeof *t->rows);
    struct qrow *r = &t->rows[t->nrows++];
    r->kind = kind;
    r->i = i;
    snprintf(r->head, sizeof r->head, "%s", head ? head : "");
}

static void
add_section(struct queue_tab *t, const char *name, enum qkind kind, size_t n)
{
    char head[80];
    snprintf(head, sizeof head, "%s (%zu)", name, n);
    add_row(t, Q_HEAD, 0, head);
    for (size_t i = 0; i < n; i++)
        add_row(t, kind, i, NULL);
    if (!n)
        add_row(t, Q_NONE, 0, NULL);
}

static const char *
row_mms(const struct queue_tab *t, const struct qrow *r)
{
    switch (r->kind) {
    case Q_TO_ME:
        return t->q.to_me[r->i].mms;
    case Q_BY_ME:
        return t->q.by_me[r->i].mms;
    case Q_DUE:
        return t->q.due[r->i].mms;
    case Q_MULTI:
        return t->multi[r->i].mms;
    default:
        return "";
    }
}

static void
load(struct queue_tab *t, struct tui_app *app)
{
    struct core_repo *repo = tui_app_repo(app);
    char sel[CORE_MMS_MAX] = "";
    enum qkind sel_kind = Q_HEAD;
    if (t->nrows && t->list.sel < t->nrows) {
        snprintf(sel, sizeof sel, "%s", row_mms(t, &t->rows[t->list.sel]));
        sel_kind = t->rows[t->list.sel].kind;
    }
    core_queue_free(&t->q);
    free(t->multi);
    t->multi = NULL;
    t->nmulti = 0;
    free(t->rows);
    t->rows = NULL;
    t->nrows = 0;
    t->stale = false;
    if (core_queue_get(repo, &t->q) != CORE_OK) {
        tui_app_core_error(app, "Queue");
        memset(&t->q, 0, sizeof t->q);
    }
    if (core_link_queue(repo, &t->multi, &t->nmulti) != CORE_OK) {
        tui_app_core_error(app, "Link queue");
        t->multi = NULL;
        t->nmulti = 0;
    }
    add_section(t, "Assigned to me", Q_TO_ME, t->q.nto_me);
    add_section(t, "Assigned by me", Q_BY_ME, t->q.nby_me);
    add_section(t, "Reminders due", Q_DUE, t->q.ndue);
    add_section(t, "Link multi-matches", Q_MULTI, t->nmulti);
    for (size_t i = 0; sel[0] && i < t->nrows; i++)
        if (t->rows[i].kind == sel_kind && strcmp(row_mms(t, &t->rows[i]), sel) == 0)
            t->list.sel = i;
    tui_vlist_reset(&t->list, t->nrows);
}

static int
row_rows(void *ctx, size_t i)
{
    struct queue_tab *t = ctx;
    const struct qrow *r = &t->rows[i];
    switch (r->kind) {
    case Q_TO_ME:
        return t->q.to_me[r->i].note[0] ? 3 : 2;
    case Q_BY_ME:
        return 3;
    case Q_DUE:
        return t->q.due[r->i].text[0] ? 3 : 2;
    case Q_MULTI:
        return 2;
    default:
        return 1;
    }
}

static bool
row_selectable(void *ctx, size_t i)
{
    struct queue_tab *t = ctx;
    return t->rows[i].kind != Q_HEAD && t->rows[i].kind != Q_NONE;
}

static void
first_line(struct tui_frame *f, int x, int y, int w, const char *mms, const char *title,
           uint16_t base)
{
    int col = tui_frame_puts(f, x, y, mms, w, base | TUI_A_BOLD);
    col += tui_frame_puts(f, x + col, y, " ", w - col, base);
    tui_frame_puts(f, x + col, y, title[0] ? title : "(no title)", w - col, base);
}

static void
draw_row(void *ctx, size_t i, struct tui_frame *f, int x, int y, int w, bool selected)
{
    struct queue_tab *t = ctx;
    const struct qrow *r = &t->rows[i];
    uint16_t base = selected ? TUI_A_REVERSE : TUI_A_NONE;
    char when[32], line[CORE_REMINDER_MAX + CORE_ASSIGN_NOTE_MAX + 64];
    switch (r->kind) {
    case Q_HEAD:
        tui_frame_puts(f, x, y, r->head, w, TUI_A_BOLD | TUI_A_UNDERLINE);
        return;
    case Q_NONE:
        tui_frame_puts(f, x + 2, y, "none", w - 2, TUI_A_DIM);
        return;
    case Q_TO_ME: {
        const struct core_assignment *a = &t->q.to_me[r->i];
        core_format_time(a->at, when, sizeof when);
        first_line(f, x, y, w, a->mms, a->title, base);
        snprintf(line, sizeof line, "  from %s, %s", a->assigner, when);
        tui_frame_puts(f, x, y + 1, line, w, base | TUI_A_DIM);
        if (a->note[0]) {
            snprintf(line, sizeof line, "  \"%s\"", a->note);
            tui_frame_puts(f, x, y + 2, line, w, base);
        }
        return;
    }
    case Q_BY_ME: {
        const struct core_assignment *a = &t->q.by_me[r->i];
        core_format_time(a->at, when, sizeof when);
        first_line(f, x, y, w, a->mms, a->title, base);
        snprintf(line, sizeof line, "  to %s, %s", a->assignee, when);
        tui_frame_puts(f, x, y + 1, line, w, base | TUI_A_DIM);
        snprintf(line, sizeof line, a->open ? "  open in %s's editor" : "  released by %s",
                 a->assignee);
        tui_frame_puts(f, x, y + 2, line, w, base);
        return;
    }
    case Q_DUE: {
        const struct core_reminder *rm = &t->q.due[r->i];
        first_line(f, x, y, w, rm->mms, rm->title, base);
        bool overdue = strcmp(rm->due, t->q.today) < 0;
        snprintf(line, sizeof line, "  %s %s %s", overdue ? "OVERDUE" : "due today", rm->due,
                 rm->type);
        tui_frame_puts(f, x, y + 1, line, w,
                       base | (overdue ? TUI_A_BOLD | TUI_COLOR(TUI_C_WARNING) : TUI_A_DIM));
        if (rm->text[0]) {
            snprintf(line, sizeof line, "  %s", rm->text);
            tui_frame_puts(f, x, y + 2, line, w, base);
        }
        return;
    }
    case Q_MULTI: {
        const struct core_link_queued *m = &t->multi[r->i];
        first_line(f, x, y, w, m->mms, m->title, base);
        snprintf(line, sizeof line, "  job %ld: %s", m->job, m->detail);
        tui_frame_puts(f, x, y + 1, line, w, base | TUI_A_DIM);
        return;
    }
    }
}

/* ---- candidates ---- */

static void
show_candidate(struct queue_tab *t, struct tui_app *app)
{
    struct marc_record *r = marc_record_new();
    if (core_record_get(tui_app_repo(app), t->c[t->ci].mms, r, NULL) != CORE_OK)
        tui_app_core_error(app, "Candidate");
    tui_editor_load(t->view, r);
    tui_editor_set_readonly(t->view, true);
    t->vstate.top = 0;
    marc_record_free(r);
}

static void
leave_candidates(struct queue_tab *t)
{
    free(t->c);
    t->c = NULL;
    t->nc = t->ci = 0;
    t->cands = false;
    t->sharing = false;
    t->stale = true;
}

/* Show the candidates c (n of them, taken over) of IZ bib mms. */
static void
set_candidates(struct queue_tab *t, struct tui_app *app, const char *mms,
               struct core_link_candidate *c, size_t n, bool sharing)
{
    leave_candidates(t);
    t->c = c;
    t->nc = n;
    t->cands = true;
    t->sharing = sharing;
    snprintf(t->cand_for, sizeof t->cand_for, "%s", mms);
    show_candidate(t, app);
    tui_app_show_tab(app, "Queue");
}

/* Read the candidates of mms: 1 when there are some, 0 when none, -1 on error
 * (shown as a message). */
static int
read_candidates(struct tui_app *app, const char *mms, const char *what,
                struct core_link_candidate **c, size_t *n)
{
    *c = NULL;
    *n = 0;
    if (core_link_candidates(tui_app_repo(app), mms, c, n) != CORE_OK) {
        tui_app_core_error(app, what);
        return -1;
    }
    if (*n)
        return 1;
    free(*c);
    *c = NULL;
    return 0;
}

/* No strong (OCLC) candidate: contributing a new network record is a fair choice. */
static bool
may_contribute(const struct queue_tab *t)
{
    for (size_t i = 0; i < t->nc; i++)
        if (core_link_how_strong(t->c[i].how))
            return false;
    return true;
}

/* The IZ bib must not carry unsaved edits: linking rewrites it. */
static bool
edits_pending(struct tui_app *app, const char *mms)
{
    if (strcmp(tui_app_mms(app), mms) != 0 || !tui_editor_modified(app->ed))
        return false;
    tui_app_message(app, TUI_MSG_ERROR, "%s has unsaved edits: save (C-s) or release them first",
                    mms);
    return true;
}

static void
link_answer(struct tui_app *app, void *ctx, bool yes)
{
    struct queue_tab *t = ctx;
    if (!yes || !t->cands)
        return;
    char mms[CORE_MMS_MAX], nz[CORE_MMS_MAX];
    snprintf(mms, sizeof mms, "%s", t->cand_for);
    snprintf(nz, sizeof nz, "%s", t->c[t->ci].mms);
    struct core_link_result res;
    if (core_link_to(tui_app_repo(app), mms, nz, &res) != CORE_OK) {
        tui_app_core_error(app, "Not linked");
        return;
    }
    leave_candidates(t);
    if (strcmp(tui_app_mms(app), mms) == 0)
        tui_app_reload(app);
    tui_app_message(app, TUI_MSG_INFO, "Linked %s to %s (the content before is version %d)", mms,
                    nz, res.kept_version);
}

static void
contribute_answer(struct tui_app *app, void *ctx, bool yes)
{
    struct queue_tab *t = ctx;
    if (!yes)
        return;
    char mms[CORE_MMS_MAX];
    snprintf(mms, sizeof mms, "%s", t->cand_for);
    struct core_link_result res;
    if (core_link_contribute(tui_app_repo(app), mms, &res) != CORE_OK) {
        tui_app_core_error(app, "Not contributed");
        return;
    }
    leave_candidates(t);
    if (strcmp(tui_app_mms(app), mms) == 0)
        tui_app_reload(app);
    tui_app_message(app, TUI_MSG_INFO,
                    "Contributed %s to the Network Zone as %s; it is linked to it (version %d)",
                    mms, res.nz_mms, res.version);
}

void
tui_queue_share(struct tui_app *app, const char *mms)
{
    struct queue_tab *t = tab_of(app);
    if (!t) {
        tui_app_message(app, TUI_MSG_ERROR, "There is no Queue tab");
        return;
    }
    if (edits_pending(app, mms))
        return;
    struct core_link_candidate *c;
    size_t n;
    int got = read_candidates(app, mms, "Share with Network", &c, &n);
    if (got < 0)
        return;
    if (got > 0) {
        set_candidates(t, app, mms, c, n, true);
        tui_app_message(app, TUI_MSG_INFO,
                        "%zu network record(s) match %s: Left/Right to compare, l links", n, mms);
        return;
    }
    leave_candidates(t);
    snprintf(t->cand_for, sizeof t->cand_for, "%s", mms);
    char q[200];
    snprintf(q, sizeof q, "Nothing in the Network Zone matches %s. Contribute it?", mms);
    tui_app_confirm(app, q, contribute_answer, t);
}

static void
draw_candidates(struct queue_tab *t, struct tui_frame *f, struct tui_rect r)
{
    const struct core_link_candidate *c = &t->c[t->ci];
    char head[160];
    snprintf(head, sizeof head, "%s %zu/%zu for %s", t->sharing ? "Share:" : "Candidate", t->ci + 1,
             t->nc, t->cand_for);
    tui_frame_puts(f, r.x, r.y, head, r.w, TUI_A_BOLD);
    struct tui_textbox tb = {0};
    tui_textbox_add(&tb, TUI_A_BOLD, "%s %s%s%s%s%s", c->mms, c->title, c->author[0] ? " / " : "",
                    c->author, c->date[0] ? ", " : "", c->date);
    tui_textbox_add(&tb, core_link_how_strong(c->how) ? TUI_A_NONE : TUI_COLOR(TUI_C_WARNING),
                    "Matched by %s%s", c->reason,
                    core_link_how_strong(c->how) ? "" : " (check it: not an OCLC match)");
    if (!c->type_agrees)
        tui_textbox_add(&tb, TUI_A_BOLD | TUI_COLOR(TUI_C_WARNING),
                        "Resource type differs (leader/06-07 %.2s)", c->leader + 6);
    if (c->linked_from[0])
        tui_textbox_add(&tb, TUI_A_BOLD | TUI_COLOR(TUI_C_WARNING), "Already linked from %s",
                        c->linked_from);
    int rows = tui_textbox_rows(&tb, r.w);
    if (rows > 6)
        rows = 6;
    tui_textbox_draw(&tb, f, (struct tui_rect){r.x, r.y + 1, r.w, rows});
    tui_textbox_free(&tb);
    int top = r.y + 1 + rows;
    tui_record_view_draw(&t->vstate, t->view, NULL, false, f,
                         (struct tui_rect){r.x, top, r.w, r.y + r.h - 1 - top});
    tui_frame_puts(f, r.x, r.y + r.h - 1,
                   may_contribute(t) ? "Left/Right  l link  c contribute  Esc"
                                     : "Left/Right next  l link  Esc back",
                   r.w, TUI_A_DIM | TUI_COLOR(TUI_C_HINT));
}

static bool
candidates_key(struct queue_tab *t, struct tui_app *app, int key)
{
    int page = tui_app_right_rows(app) - 4;
    switch (key) {
    case TUI_KEY_RIGHT:
    case 'n':
        if (t->ci + 1 < t->nc) {
            t->ci++;
            show_candidate(t, app);
        }
        return true;
    case TUI_KEY_LEFT:
    case 'p':
        if (t->ci > 0) {
            t->ci--;
            show_candidate(t, app);
        }
        return true;
    case TUI_KEY_DOWN:
        tui_editor_down(t->view);
        return true;
    case TUI_KEY_UP:
        tui_editor_up(t->view);
        return true;
    case TUI_KEY_PGDN:
        tui_editor_page(t->view, page);
        return true;
    case TUI_KEY_PGUP:
        tui_editor_page(t->view, -page);
        return true;
    case 'l':
    case TUI_KEY_ENTER: {
        if (edits_pending(app, t->cand_for))
            return true;
        char q[200];
        snprintf(q, sizeof q, "Link %s to network record %s?", t->cand_for, t->c[t->ci].mms);
        tui_app_confirm(app, q, link_answer, t);
        return true;
    }
    case 'c':
        if (!may_contribute(t))
            return false;
        if (edits_pending(app, t->cand_for))
            return true;
        tui_app_confirm(app, "Contribute it as a new network record instead of linking?",
                        contribute_answer, t);
        return true;
    case TUI_KEY_ESC:
        leave_candidates(t);
        return true;
    default:
        return false;
    }
}

/* ---- the tab ---- */

static void
queue_draw(void *st, struct tui_app *app, struct tui_frame *f, struct tui_rect r, bool focused)
{
    struct queue_tab *t = st;
    if (t->cands) {
        draw_candidates(t, f, r);
        return;
    }
    if (t->stale)
        load(t, app);
    char head[120];
    snprintf(head, sizeof head, "Queue of %s", core_repo_user(tui_app_repo(app)));
    tui_frame_puts(f, r.x, r.y, head, r.w, TUI_A_BOLD);
    tui_vlist_draw(&t->list, f, (struct tui_rect){r.x, r.y + 1, r.w, r.h - 2}, focused);
    tui_frame_puts(f, r.x, r.y + r.h - 1, "Enter open  r release  g reload", r.w,
                   TUI_A_DIM | TUI_COLOR(TUI_C_HINT));
}

static void
release_done(struct tui_app *app, void *ctx, const char *text)
{
    struct queue_tab *t = ctx;
    if (!text)
        return;
    if (core_assign_release(tui_app_repo(app), t->release_mms, text) != CORE_OK) {
        tui_app_core_error(app, "Assignment not released");
        return;
    }
    t->stale = true;
    if (strcmp(tui_app_mms(app), t->release_mms) == 0)
        tui_app_reload(app);
    tui_app_message(app, TUI_MSG_INFO, "Released the assignment of %s%s", t->release_mms,
                    *text ? " (the note is kept in its notes)" : "");
}

static void
open_row(struct queue_tab *t, struct tui_app *app, const struct qrow *r)
{
    char mms[CORE_MMS_MAX];
    snprintf(mms, sizeof mms, "%s", row_mms(t, r));
    if (strcmp(tui_app_mms(app), mms) != 0)
        tui_app_open(app, mms);
    if (r->kind != Q_MULTI)
        return;
    struct core_link_candidate *c;
    size_t n;
    int got = read_candidates(app, mms, "Candidates", &c, &n);
    if (got > 0)
        set_candidates(t, app, mms, c, n, false);
    else if (got == 0)
        tui_app_message(app, TUI_MSG_INFO, "%s has no network candidates any more", mms);
}

static bool
queue_key(void *st, struct tui_app *app, int key)
{
    struct queue_tab *t = st;
    if (t->cands)
        return candidates_key(t, app, key);
    if (t->stale)
        load(t, app);
    if (key == 'g') {
        load(t, app);
        tui_app_message(app, TUI_MSG_INFO, "Queue read again");
        return true;
    }
    if (tui_vlist_key(&t->list, key, tui_app_right_rows(app) - 2))
        return true;
    if (!tui_vlist_valid(&t->list))
        return false;
    const struct qrow *r = &t->rows[t->list.sel];
    if (key == TUI_KEY_ENTER) {
        open_row(t, app, r);
        return true;
    }
    if (key == 'r') {
        if (r->kind != Q_TO_ME && r->kind != Q_BY_ME) {
            tui_app_message(app, TUI_MSG_INFO, "r releases an assignment: pick one first");
            return true;
        }
        snprintf(t->release_mms, sizeof t->release_mms, "%s", row_mms(t, r));
        char q[160];
        snprintf(q, sizeof q, "Release the assignment of %s. Note, optional:", t->release_mms);
        tui_app_prompt(app, q, "", release_done, t);
        return true;
    }
    return false;
}

static void *
queue_create(struct tui_app *app)
{
    struct queue_tab *t = xcalloc(1, sizeof *t);
    t->stale = true;
    t->view = tui_editor_new();
    tui_editor_set_readonly(t->view, true);
    t->list.rows = row_rows;
    t->list.selectable = row_selectable;
    t->list.draw = draw_row;
    t->list.ctx = t;
    return t;
}

static void
queue_destroy(void *st)
{
    struct queue_tab *t = st;
    core_queue_free(&t->q);
    free(t->multi);
    free(t->rows);
    free(t->c);
    tui_editor_free(t->view);
    free(t);
}

static void
queue_changed(void *st, struct tui_app *app)
{
    ((struct queue_tab *)st)->stale = true;
}

const struct tui_tab_ops tui_tab_queue = {
    .name = "Queue",
    .label = "Que",
    .create = queue_create,
    .destroy = queue_destroy,
    .draw = queue_draw,
    .key = queue_key,
    .record_changed = queue_changed,
    .shown = queue_changed,
};
