/*
 * tab-external-plan.c - the External tab's dry run and apply (SPEC §3.5):
 * Copy & Merge, Copy & Overlay and Import of a hit, planned by the core
 * (core_merge_prepare) and shown as a cataloger checks it before pressing
 * the button -- the merge rule, the normalization, a monograph's 998,
 * someone else's lock, records with the same OCLC number, then every field
 * of the result marked as surviving, going, coming or changing (`r` shows
 * the result whole) -- and applied (core_merge_apply) only after a yes.
 * cli/verb-merge.c shows the same plan on the command line.
 *
 * Knows the core's merge plans and the app's record pane; no curses.
 */
#include "tab-external-int.h"

#include "buf.h"
#include "diff.h"
#include "match.h"
#include "mms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
tui_external_drop_plan(struct external_tab *t)
{
    if (t->have_plan)
        core_merge_plan_free(&t->plan);
    t->have_plan = false;
    t->show_result = false;
    tui_textbox_clear(&t->text);
}

/* ---- the plan ---- */

/* A field as the record pane shows it, blank indicators as '_'. */
static void
field_line(const struct marc_field *f, struct marc_buf *out)
{
    marc_buf_reset(out);
    tui_field_text(f, out);
    for (size_t i = 4; !marc_field_is_control(f) && i < 6 && i < out->len; i++)
        if (out->data[i] == ' ')
            out->data[i] = '_';
}

static void
diff_lines(struct tui_textbox *tb, const struct marc_record *a, const struct marc_record *b,
           const struct core_local_tags *tags)
{
    struct marc_diff d;
    marc_diff_records(a, b, &d);
    if (d.leader_changed)
        tui_textbox_add(tb, TUI_COLOR(TUI_C_WARNING), "~ LDR %s\n  -> LDR %s",
                        marc_record_leader(a), marc_record_leader(b));
    else
        tui_textbox_add(tb, TUI_A_DIM, "= LDR %s", marc_record_leader(b));
    struct marc_buf fa = MARC_BUF_INIT, fb = MARC_BUF_INIT;
    for (size_t i = 0; i < d.n; i++) {
        const struct marc_diff_op *op = &d.ops[i];
        const struct marc_field *f =
            op->b >= 0 ? marc_record_field(b, (size_t)op->b) : marc_record_field(a, (size_t)op->a);
        const char *local = core_local_tag(tags, marc_field_tag(f)) ? "  (local)" : "";
        if (op->a >= 0)
            field_line(marc_record_field(a, (size_t)op->a), &fa);
        if (op->b >= 0)
            field_line(marc_record_field(b, (size_t)op->b), &fb);
        switch (op->kind) {
        case MARC_DIFF_SAME:
            tui_textbox_add(tb, TUI_A_DIM, "= %s%s", fb.data, local);
            break;
        case MARC_DIFF_ADDED:
            tui_textbox_add(tb, TUI_A_BOLD | TUI_COLOR(TUI_C_HINT), "+ %s%s", fb.data, local);
            break;
        case MARC_DIFF_REMOVED:
            tui_textbox_add(tb, TUI_A_BOLD | TUI_COLOR(TUI_C_ERROR), "- %s%s", fa.data, local);
            break;
        default:
            tui_textbox_add(tb, TUI_A_BOLD | TUI_COLOR(TUI_C_WARNING), "~ %s\n  -> %s%s", fa.data,
                            fb.data, local);
            break;
        }
    }
    marc_buf_free(&fa);
    marc_buf_free(&fb);
    marc_diff_free(&d);
}

/* The dry run as a cataloger checks it before pressing the button (cli/verb-merge.c says the same).
 */
static void
plan_text(struct external_tab *t, struct tui_app *app)
{
    const struct core_merge_plan *p = &t->plan;
    struct tui_textbox *tb = &t->text;
    if (p->mode == CORE_MERGE_IMPORT)
        tui_textbox_add(tb, TUI_A_BOLD, "Import %s record %zu as a new record in the %s",
                        t->cur.name, t->shown + 1, core_zone_name(p->zone));
    else
        tui_textbox_add(tb, TUI_A_BOLD, "%s %s record %zu onto %s \"%s\" (version %d)",
                        core_merge_mode_name(p->mode), t->cur.name, t->shown + 1, p->mms, p->title,
                        p->base_version);
    if (p->mode == CORE_MERGE_MERGE)
        tui_textbox_add(tb, TUI_A_NONE, "Merge rule: %s", p->rule);
    if (p->normalize[0])
        tui_textbox_add(tb, TUI_A_NONE, "Normalization: %s (%d change%s)", p->normalize,
                        p->normalize_changes, p->normalize_changes == 1 ? "" : "s");
    else
        tui_textbox_add(tb, TUI_A_NONE, "Normalization: none (merge.normalize is 'none')");
    if (p->removed_998)
        tui_textbox_add(tb, TUI_A_NONE,
                        "998 removed: a monograph becomes eligible for future overlays.");
    if (p->lock.locked) {
        char since[32];
        core_format_time(p->lock.since, since, sizeof since);
        tui_textbox_add(tb, TUI_A_BOLD | TUI_COLOR(TUI_C_ERROR),
                        "%s is %s %s since %s: it cannot be changed now.", p->mms,
                        p->lock.assigned ? "assigned to" : "locked by", p->lock.user, since);
    }
    if (p->ndups) {
        bool imp = p->mode == CORE_MERGE_IMPORT;
        tui_textbox_add(tb, TUI_A_BOLD | TUI_COLOR(imp ? TUI_C_WARNING : TUI_C_DEFAULT),
                        imp ? "Warning: %zu record(s) have the same OCLC number; importing makes "
                              "a duplicate (Copy & Merge onto one of them instead):"
                            : "Note: %zu other record(s) have the same OCLC number:",
                        p->ndups);
        for (size_t i = 0; i < p->ndups; i++)
            tui_textbox_add(tb, TUI_A_NONE, "  %s \"%s\" (%s)", p->dups[i].mms, p->dups[i].title,
                            p->dups[i].how);
    }
    struct core_local_tags tags;
    core_local_tags_parse(core_config_get(tui_app_repo(app), "link.local_tags", ""), &tags, NULL,
                          0);
    struct marc_diff d;
    marc_diff_records(p->local, p->result, &d);
    size_t same = d.n - d.added - d.removed - d.changed;
    if (p->mode == CORE_MERGE_IMPORT)
        tui_textbox_add(tb, TUI_A_BOLD, "%zu field(s) in the new record (001: its new MMS ID):",
                        marc_record_field_count(p->result));
    else
        tui_textbox_add(tb, TUI_A_BOLD,
                        "%zu come, %zu go, %zu change, %zu survive (%zu local):", d.added,
                        d.removed, d.changed, same, p->local_fields);
    marc_diff_free(&d);
    if (p->mode == CORE_MERGE_IMPORT) {
        struct marc_record *empty = marc_record_new();
        marc_record_set_leader(empty, marc_record_leader(p->result), MARC_LEADER_LEN);
        diff_lines(tb, empty, p->result, &tags);
        marc_record_free(empty);
    } else {
        diff_lines(tb, p->local, p->result, &tags);
    }
}

/* Whether m or o can start with what is on the left; the message says why not. */
static bool
left_ready(struct tui_app *app, enum core_merge_mode mode)
{
    const char *what = core_merge_mode_name(mode);
    const char *mms = tui_app_mms(app);
    if (!mms[0]) {
        tui_app_message(app, TUI_MSG_ERROR,
                        "%s needs the local record on the left: open it first (C-o, or the Search "
                        "tab); i imports this record as a new one",
                        what);
        return false;
    }
    if (core_mms_parse(mms, NULL, NULL) != CORE_MMS_BIB) {
        tui_app_message(app, TUI_MSG_ERROR, "%s works on a bibliographic record; %s is not one",
                        what, mms);
        return false;
    }
    if (tui_editor_modified(app->ed)) {
        tui_app_message(app, TUI_MSG_ERROR,
                        "%s has unsaved edits: save them (C-s) or discard them (M-R) before %s",
                        mms, what);
        return false;
    }
    return true;
}

void
tui_external_plan(struct external_tab *t, struct tui_app *app, enum core_merge_mode mode, size_t i)
{
    if (!tui_external_usable(t, app, i))
        return;
    if (mode != CORE_MERGE_IMPORT && !left_ready(app, mode))
        return;
    const char *mms = tui_app_mms(app);
    bool bib = mms[0] && core_mms_parse(mms, NULL, NULL) == CORE_MMS_BIB;
    enum phase from = t->phase == PH_PLAN ? t->plan_from : t->phase;
    tui_external_drop_plan(t);
    t->shown = i;
    struct core_repo *repo = tui_app_repo(app);
    int rc = core_merge_prepare(repo, mode, bib ? mms : NULL, CORE_ZONE_IZ, t->res[i].rec, NULL,
                                &t->plan);
    if (rc != CORE_OK) {
        core_merge_plan_free(&t->plan);
        tui_app_message(app, TUI_MSG_ERROR, "%s refused: %s", core_merge_mode_name(mode),
                        core_repo_errmsg(repo));
        return;
    }
    t->have_plan = true;
    t->can_apply = !t->plan.lock.locked;
    t->plan_from = from;
    tui_textbox_clear(&t->text);
    plan_text(t, app);
    tui_editor_load(t->result, t->plan.result);
    tui_editor_set_readonly(t->result, true);
    t->rstate.top = 0;
    t->phase = PH_PLAN;
    if (t->plan.lock.locked)
        tui_app_message(app, TUI_MSG_ERROR, "%s is %s %s: nothing can be changed now", t->plan.mms,
                        t->plan.lock.assigned ? "assigned to" : "locked by", t->plan.lock.user);
    else
        tui_app_message(app, TUI_MSG_INFO, "Dry run of %s: nothing is changed until Enter, y",
                        core_merge_mode_name(mode));
}

struct first_problem {
    char text[300];
};

static void
keep_first_error(void *ctx, const struct marc_diag *d)
{
    struct first_problem *fp = ctx;
    if (fp->text[0] || d->severity != MARC_SEV_ERROR)
        return;
    char *s = marc_diag_format(d, NULL);
    snprintf(fp->text, sizeof fp->text, "%s", s);
    free(s);
}

/* The record the plan goes onto got unsaved edits in the left pane after
 * the dry run (Tab, typing, Tab back): those come first; says so. */
static bool
edited_since(struct tui_app *app, const struct core_merge_plan *p)
{
    bool onto_left = p->mode != CORE_MERGE_IMPORT && strcmp(tui_app_mms(app), p->mms) == 0;
    if (!onto_left || !tui_editor_modified(app->ed))
        return false;
    tui_app_message(app, TUI_MSG_ERROR,
                    "%s has unsaved edits since the dry run: save (C-s) or discard them (M-R) "
                    "first; nothing was changed",
                    p->mms);
    return true;
}

static void
apply_answer(struct tui_app *app, void *ctx, bool yes)
{
    struct external_tab *t = ctx;
    if (!t->have_plan)
        return;
    struct core_merge_plan *p = &t->plan;
    const char *what = core_merge_mode_name(p->mode);
    if (!yes) {
        tui_app_message(app, TUI_MSG_INFO, "%s not applied: nothing was changed", what);
        return;
    }
    if (edited_since(app, p))
        return;
    struct core_repo *repo = tui_app_repo(app);
    struct first_problem fp = {{0}};
    if (core_merge_apply(repo, p, keep_first_error, &fp) != CORE_OK) {
        char why[700];
        snprintf(why, sizeof why, "%s%s%s", core_repo_errmsg(repo), fp.text[0] ? ": " : "",
                 fp.text);
        tui_textbox_clear(&t->text);
        tui_textbox_add(&t->text, TUI_A_BOLD | TUI_COLOR(TUI_C_ERROR), "Not applied: %s", why);
        plan_text(t, app);
        t->can_apply = false;
        tui_app_message(app, TUI_MSG_ERROR, "%s not applied (nothing was changed): %s", what, why);
        return;
    }
    char mms[CORE_MMS_MAX], msg[400];
    if (p->mode == CORE_MERGE_IMPORT) {
        snprintf(mms, sizeof mms, "%s", p->created);
        snprintf(msg, sizeof msg, "Imported %s record %zu as %s (a new record, reason import)",
                 t->cur.name, t->shown + 1, mms);
    } else {
        snprintf(mms, sizeof mms, "%s", p->mms);
        snprintf(msg, sizeof msg, "%s: %s is now version %d (M-7 Versions can revert it)", what,
                 mms, p->new_version);
    }
    t->phase = t->plan_from == PH_VIEW ? PH_VIEW : PH_LIST;
    tui_external_drop_plan(t);
    if (app->zoom == TUI_ZOOM_RIGHT)
        app->zoom = TUI_ZOOM_NONE; /* the record just written must be in sight */
    if (strcmp(tui_app_mms(app), mms) == 0)
        tui_app_reload(app);
    else
        tui_app_open(app, mms);
    tui_app_message(app, TUI_MSG_INFO, "%s", msg);
}

static void
confirm_apply(struct external_tab *t, struct tui_app *app)
{
    const struct core_merge_plan *p = &t->plan;
    if (!t->can_apply) {
        tui_app_message(app, TUI_MSG_ERROR, "This %s cannot be applied (see why above)",
                        core_merge_mode_name(p->mode));
        return;
    }
    if (edited_since(app, p))
        return;
    char q[200];
    if (p->mode == CORE_MERGE_IMPORT)
        snprintf(q, sizeof q, "Import %s record %zu as a new record%s?", t->cur.name, t->shown + 1,
                 p->ndups ? " anyway" : "");
    else
        snprintf(q, sizeof q, "%s onto %s? (a new version)", core_merge_mode_name(p->mode), p->mms);
    tui_app_confirm(app, q, apply_answer, t);
}

void
tui_external_plan_draw(struct external_tab *t, struct tui_frame *f, struct tui_rect r)
{
    if (t->show_result) {
        char head[160];
        snprintf(head, sizeof head,
                 "After %s (not saved yet):", core_merge_mode_name(t->plan.mode));
        tui_frame_puts(f, r.x, r.y, head, r.w, TUI_A_BOLD);
        tui_record_view_draw(&t->rstate, t->result, NULL, false, f,
                             (struct tui_rect){r.x, r.y + 1, r.w, r.h - 2});
        tui_external_hints(f, r, "r the changes  Enter apply  Esc back");
        return;
    }
    int h = r.h - 1;
    int total = tui_textbox_rows(&t->text, r.w);
    if (total <= h) {
        tui_textbox_draw(&t->text, f, (struct tui_rect){r.x, r.y, r.w, h});
    } else {
        tui_textbox_draw(&t->text, f, (struct tui_rect){r.x, r.y, r.w, h - 1});
        bool end = t->text.scroll + h - 1 >= total;
        tui_frame_puts(f, r.x, r.y + h - 1, end ? "(end; PgUp scrolls back)" : "(more: PgDn)", r.w,
                       TUI_A_DIM);
    }
    tui_external_hints(f, r,
                       t->can_apply ? "Enter apply  r result  Esc back" : "r result  Esc back");
}

bool
tui_external_plan_key(struct external_tab *t, struct tui_app *app, int key)
{
    int rows = tui_app_right_rows(app);
    switch (key) {
    case TUI_KEY_ENTER:
    case 'y':
        confirm_apply(t, app);
        return true;
    case TUI_KEY_ESC:
    case 'n':
    case 'q':
        t->phase = t->plan_from == PH_VIEW ? PH_VIEW : PH_LIST;
        tui_external_drop_plan(t);
        tui_app_message(app, TUI_MSG_INFO, "Nothing was changed");
        return true;
    case 'r':
        t->show_result = !t->show_result;
        return true;
    default:
        break;
    }
    if (!t->show_result)
        return tui_textbox_key(&t->text, key, app->layout.right.w, rows - 2);
    if (key == TUI_KEY_DOWN)
        tui_editor_down(t->result);
    else if (key == TUI_KEY_UP)
        tui_editor_up(t->result);
    else if (key == TUI_KEY_PGDN)
        tui_editor_page(t->result, rows - 3);
    else if (key == TUI_KEY_PGUP)
        tui_editor_page(t->result, -(rows - 3));
    else
        return false;
    return true;
}
