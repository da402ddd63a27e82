/*
 * tab-versions.c - the Versions tab (SPEC §3.6): every version of the
 * record (number, when, who, why), a field-level diff of any version
 * against the current one or of any two (Space marks the first), and
 * revert.
 */
#include "app-int.h"

#include "list.h"

#include "buf.h"
#include "diff.h"
#include "mrk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct versions_tab {
    struct core_version *v;
    size_t n;
    struct tui_list list;
    char mms[CORE_MMS_MAX];
    int mark; /* version number marked with Space for a diff of two, 0 when none */
};

static void *
versions_create(struct tui_app *app)
{
    return xcalloc(1, sizeof(struct versions_tab));
}

static void
versions_destroy(void *st)
{
    struct versions_tab *t = st;
    free(t->v);
    free(t);
}

static void
load(struct versions_tab *t, struct tui_app *app)
{
    free(t->v);
    t->v = NULL;
    t->n = 0;
    if (strcmp(t->mms, tui_app_mms(app)) != 0)
        t->mark = 0;
    snprintf(t->mms, sizeof t->mms, "%s", tui_app_mms(app));
    if (t->mms[0] && core_versions_list(tui_app_repo(app), t->mms, &t->v, &t->n) != CORE_OK)
        tui_app_core_error(app, "Versions");
    tui_list_reset(&t->list, t->n, 1);
    t->list.sel = t->n ? t->n - 1 : 0; /* newest */
}

static void
draw_version(void *ctx, size_t i, struct tui_frame *f, int x, int y, int w, bool selected)
{
    struct versions_tab *t = ctx;
    const struct core_version *v = &t->v[i];
    char when[32], line[256];
    core_format_time(v->at, when, sizeof when);
    snprintf(line, sizeof line, "%sv%-3d %s %-10s %-8s%s",
             !t->mark ? "" : v->number == t->mark ? "*" : " ", v->number, when, v->user,
             v->reason, v->current ? " (current)" : "");
    tui_frame_puts(f, x, y, line, w, selected ? TUI_A_REVERSE : TUI_A_NONE);
}

static void
versions_draw(void *st, struct tui_app *app, struct tui_frame *f, struct tui_rect r, bool focused)
{
    struct versions_tab *t = st;
    if (strcmp(t->mms, tui_app_mms(app)) != 0)
        load(t, app);
    if (!t->mms[0]) {
        tui_frame_puts(f, r.x, r.y, "Open a record to see its versions.", r.w, TUI_A_DIM);
        return;
    }
    char head[96];
    snprintf(head, sizeof head, "%zu version(s) of %s", t->n, t->mms);
    tui_frame_puts(f, r.x, r.y, head, r.w, TUI_A_BOLD);
    tui_list_draw(&t->list, f, (struct tui_rect){r.x, r.y + 1, r.w, r.h - 2}, focused,
                  draw_version, t);
    tui_frame_puts(f, r.x, r.y + r.h - 1,
                   t->mark ? "d diff with *  Space unmark  s show  r revert"
                           : "d/Enter diff with current  s show  r revert  Space mark",
                   r.w, TUI_A_DIM | TUI_COLOR(TUI_C_HINT));
}

/* "- 245 10$aOld" / "+ ..." / "~ old -> new" lines, .mrk style (app-int.h). */
void
tui_diff_text(const struct marc_record *a, const struct marc_record *b, struct marc_buf *out)
{
    struct marc_diff d;
    marc_diff_records(a, b, &d);
    if (d.leader_changed)
        marc_buf_printf(out, "~ LDR  %s\n     -> %s\n", marc_record_leader(a), marc_record_leader(b));
    for (size_t k = 0; k < d.n; k++) {
        const struct marc_diff_op *op = &d.ops[k];
        if (op->kind == MARC_DIFF_SAME)
            continue;
        struct marc_buf fa = MARC_BUF_INIT, fb = MARC_BUF_INIT;
        if (op->a >= 0)
            marc_mrk_format_field(marc_record_field(a, (size_t)op->a), true, &fa);
        if (op->b >= 0)
            marc_mrk_format_field(marc_record_field(b, (size_t)op->b), true, &fb);
        if (op->kind == MARC_DIFF_ADDED)
            marc_buf_printf(out, "+ %s\n", fb.data);
        else if (op->kind == MARC_DIFF_REMOVED)
            marc_buf_printf(out, "- %s\n", fa.data);
        else
            marc_buf_printf(out, "~ %s\n  -> %s\n", fa.data, fb.data);
        marc_buf_free(&fa);
        marc_buf_free(&fb);
    }
    if (!d.added && !d.removed && !d.changed && !d.leader_changed)
        marc_buf_puts(out, "No difference in content (the version records who and when).\n");
    marc_diff_free(&d);
}

/* The diff of the selected version against the current one, or, when a
 * version is marked, of the older of the two against the newer. */
static void
show_diff(struct versions_tab *t, struct tui_app *app)
{
    const struct core_version *v = &t->v[t->list.sel];
    struct marc_record *old = marc_record_new(), *cur = marc_record_new();
    struct core_repo *repo = tui_app_repo(app);
    int from = v->number, to = 0; /* 0: the current record */
    if (t->mark && t->mark != v->number) {
        from = t->mark < v->number ? t->mark : v->number;
        to = t->mark < v->number ? v->number : t->mark;
    }
    if (core_version_get(repo, t->mms, from, old) != CORE_OK ||
        (to ? core_version_get(repo, t->mms, to, cur)
            : core_record_get(repo, t->mms, cur, NULL)) != CORE_OK) {
        tui_app_core_error(app, "Diff");
    } else {
        struct marc_buf b = MARC_BUF_INIT;
        tui_diff_text(old, cur, &b);
        char title[128], target[32];
        snprintf(target, sizeof target, to ? "version %d" : "current", to);
        snprintf(title, sizeof title, "Version %d -> %s (- removed, + added, ~ changed)", from,
                 target);
        tui_app_show_text(app, title, b.data);
        marc_buf_free(&b);
    }
    marc_record_free(old);
    marc_record_free(cur);
}

static void
show_version(struct versions_tab *t, struct tui_app *app)
{
    const struct core_version *v = &t->v[t->list.sel];
    struct marc_record *r = marc_record_new();
    if (core_version_get(tui_app_repo(app), t->mms, v->number, r) != CORE_OK) {
        tui_app_core_error(app, "Show version");
    } else {
        struct marc_buf b = MARC_BUF_INIT;
        marc_mrk_encode(r, &b, false, NULL);
        char title[96];
        snprintf(title, sizeof title, "Version %d of %s", v->number, t->mms);
        tui_app_show_text(app, title, b.data);
        marc_buf_free(&b);
    }
    marc_record_free(r);
}

static void
revert_answer(struct tui_app *app, void *ctx, bool yes)
{
    struct versions_tab *t = ctx;
    if (!yes)
        return;
    int number = t->v[t->list.sel].number, nv;
    if (core_record_revert(tui_app_repo(app), t->mms, number, &nv) != CORE_OK) {
        tui_app_core_error(app, "Revert");
        return;
    }
    tui_app_message(app, TUI_MSG_INFO, "Reverted to version %d (now version %d)", number, nv);
    tui_app_reload(app);
    load(t, app);
}

static bool
versions_key(void *st, struct tui_app *app, int key)
{
    struct versions_tab *t = st;
    if (!t->n)
        return false;
    if (tui_list_key(&t->list, key, tui_app_right_rows(app) - 2))
        return true;
    if (key == 'd' || key == TUI_KEY_ENTER) {
        show_diff(t, app);
        return true;
    }
    if (key == 's') {
        show_version(t, app);
        return true;
    }
    if (key == ' ') {
        int n = t->v[t->list.sel].number;
        t->mark = t->mark == n ? 0 : n;
        if (t->mark)
            tui_app_message(app, TUI_MSG_INFO,
                            "Version %d marked: d on another version shows the diff of the two",
                            n);
        return true;
    }
    if (key == 'r') {
        if (t->v[t->list.sel].current) {
            tui_app_message(app, TUI_MSG_INFO, "That is the current version");
            return true;
        }
        char q[128];
        snprintf(q, sizeof q, "Revert %s to version %d? (a new version is written)", t->mms,
                 t->v[t->list.sel].number);
        tui_app_confirm(app, q, revert_answer, t);
        return true;
    }
    return false;
}

static void
versions_changed(void *st, struct tui_app *app)
{
    load(st, app);
}

const struct tui_tab_ops tui_tab_versions = {
    .name = "Versions",
    .label = "Ver",
    .create = versions_create,
    .destroy = versions_destroy,
    .draw = versions_draw,
    .key = versions_key,
    .record_changed = versions_changed,
};
