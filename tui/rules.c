/*
 * rules.c - normalization rules on the record being edited (SPEC §3.10),
 * as in Alma's Metadata Editor: the cataloger applies a rule to the record
 * and sees the result before saving.
 *
 * apply-rule picks a stored normalization rule, shows the diff it makes to
 * the record as it is on screen (unsaved edits included) and asks; yes
 * puts the result in the editor as one edit: C-z undoes it, the record is
 * marked modified and nothing is saved until the cataloger saves.
 * test-rule shows the diff only (for an indication rule, whether it
 * holds); it changes nothing, so it works View Only too.  Merge rules
 * combine two records: they belong to Copy & Merge (the External tab) and
 * are not offered here.
 */
#include "app-int.h"

#include "buf.h"
#include "diff.h"
#include "merge.h"
#include "rules.h"
#include "rulestore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What apply-rule showed and waits to be told yes to (one question at a time). */
static struct marc_record *pending;
static char pending_name[128];
static int pending_changes;

static bool
have_record(struct tui_app *app)
{
    if (app->have_record)
        return true;
    tui_app_message(app, TUI_MSG_ERROR, "No record open (C-o opens one)");
    return false;
}

/* The rules of `name`: stored, else the built-in normalization rule. */
static struct core_rules *
load_rules(struct tui_app *app, const char *name)
{
    struct core_rules *rs = NULL;
    int rc = core_rule_load(app->repo, name, &rs);
    if (rc == CORE_ERR_NOTFOUND && strcmp(name, CORE_MERGE_DEFAULT_NORMALIZATION) == 0) {
        char *err = NULL;
        rs = core_rules_parse(core_merge_default_normalization(), &err);
        free(err);
        if (rs)
            return rs;
    }
    if (rc != CORE_OK) {
        tui_app_core_error(app, "Rule");
        return NULL;
    }
    return rs;
}

/* ---- applying ---- */

static void
apply_answer(struct tui_app *app, void *ctx, bool yes)
{
    if (!yes || !pending) {
        tui_app_message(app, TUI_MSG_INFO, "Rule %s not applied", pending_name);
    } else if (tui_editor_replace(app->ed, pending)) {
        tui_app_after_edit(app);
        app->focus = TUI_FOCUS_LEFT;
        tui_app_message(app, TUI_MSG_INFO,
                        "Rule %s applied (%d change%s): not saved yet; C-s saves, C-z undoes",
                        pending_name, pending_changes, pending_changes == 1 ? "" : "s");
    } else {
        tui_app_message(app, TUI_MSG_WARNING, "View Only: %s", app->view_only_why);
    }
    marc_record_free(pending);
    pending = NULL;
}

/* The diff rule `name` makes to the record on screen; apply: ask to apply it. */
static void
rule_on_record(struct tui_app *app, const char *name, bool apply)
{
    const struct marc_record *cur = tui_app_record(app);
    if (!cur) {
        struct tui_line_error le;
        tui_editor_record(app->ed, app->built, &le);
        tui_app_message(app, TUI_MSG_ERROR,
                        "Rule %s not tried: line %zu of the record does not parse (%s)", name,
                        le.line + 1, le.message);
        return;
    }
    struct core_rules *rs = load_rules(app, name);
    if (!rs)
        return;
    enum core_rule_kind kind = core_rules_kind(rs);
    if (kind == CORE_RULE_INDICATION && !apply) {
        bool holds = core_rules_indicate(rs, cur);
        tui_app_message(app, TUI_MSG_INFO, "Indication rule %s is %s of %s (as on screen)", name,
                        holds ? "TRUE" : "false", app->mms);
        core_rules_free(rs);
        return;
    }
    if (kind != CORE_RULE_NORMALIZATION) {
        tui_app_message(app, TUI_MSG_ERROR,
                        "%s is %s %s rule: only normalization rules change a record here", name,
                        kind == CORE_RULE_INDICATION ? "an" : "a", core_rule_kind_name(kind));
        core_rules_free(rs);
        return;
    }
    struct marc_record *after = marc_record_clone(cur);
    int changes = 0;
    int rc = core_rules_apply(rs, after, &changes);
    core_rules_free(rs);
    struct marc_diff d;
    marc_diff_records(cur, after, &d);
    bool same = !d.added && !d.removed && !d.changed && !d.leader_changed;
    marc_diff_free(&d);
    if (rc != 0) {
        tui_app_message(app, TUI_MSG_ERROR,
                        "Rule %s would make an invalid record of %s; nothing changed", name,
                        app->mms);
    } else if (same) {
        tui_app_message(app, TUI_MSG_INFO, "Rule %s changes nothing in %s (as on screen)", name,
                        app->mms);
    } else {
        struct marc_buf diff = MARC_BUF_INIT;
        tui_diff_text(cur, after, &diff);
        char title[300];
        snprintf(title, sizeof title, "Rule %s on %s%s: %d change%s", name, app->mms,
                 tui_editor_modified(app->ed) ? " (with your unsaved edits)" : "", changes,
                 changes == 1 ? "" : "s");
        if (apply) {
            marc_record_free(pending);
            pending = after;
            after = NULL;
            snprintf(pending_name, sizeof pending_name, "%s", name);
            pending_changes = changes;
            tui_app_confirm_text(app, title, diff.data,
                                 "Apply these changes to the record? It is an edit like any "
                                 "other: C-z undoes it, nothing is saved until you save.",
                                 apply_answer, NULL);
        } else {
            char t[400];
            snprintf(t, sizeof t, "%s - a test, nothing changed", title);
            tui_app_show_text(app, t, diff.data);
        }
        marc_buf_free(&diff);
    }
    marc_record_free(after);
}

/* ---- picking ---- */

static void
apply_picked(struct tui_app *app, void *ctx, const char *name)
{
    if (name)
        rule_on_record(app, name, true);
}

static void
test_picked(struct tui_app *app, void *ctx, const char *name)
{
    if (name)
        rule_on_record(app, name, false);
}

/* Offer the stored rules of the kinds wanted (and the built-in
 * normalization rule when no stored rule has its name). */
static void
pick_rule(struct tui_app *app, bool apply)
{
    struct core_rule_info *ri = NULL;
    size_t n = 0;
    if (core_rule_list(app->repo, &ri, &n) != CORE_OK) {
        tui_app_core_error(app, "Rules");
        return;
    }
    const char **names = xmalloc((n + 1) * sizeof *names);
    char **details = xmalloc((n + 1) * sizeof *details);
    size_t k = 0;
    bool builtin_stored = false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(ri[i].name, CORE_MERGE_DEFAULT_NORMALIZATION) == 0)
            builtin_stored = true;
        if (ri[i].kind == CORE_RULE_MERGE || (apply && ri[i].kind != CORE_RULE_NORMALIZATION))
            continue;
        char when[32];
        core_format_time(ri[i].updated, when, sizeof when);
        names[k] = ri[i].name;
        details[k++] = xasprintf("%s, %s by %s", core_rule_kind_name(ri[i].kind), when,
                                 ri[i].updated_by);
    }
    if (!builtin_stored) {
        names[k] = CORE_MERGE_DEFAULT_NORMALIZATION;
        details[k++] = xstrdup("normalization, built in (998 on serials)");
    }
    char title[200];
    snprintf(title, sizeof title, "%s which rule on %s?", apply ? "Apply" : "Test", app->mms);
    tui_app_pick(app, title, names, (const char *const *)details, k,
                 apply ? apply_picked : test_picked, NULL);
    if (k == 1 && !builtin_stored)
        tui_app_message(app, TUI_MSG_INFO,
                        "Only the built-in rule: colophon rule add NAME --file FILE stores yours "
                        "(admin)");
    for (size_t i = 0; i < k; i++)
        free(details[i]);
    free(details);
    free(names);
    free(ri);
}

void
tui_cmd_apply_rule(struct tui_app *app)
{
    if (!have_record(app))
        return;
    if (tui_editor_readonly(app->ed)) {
        tui_app_message(app, TUI_MSG_WARNING,
                        "View Only: no rule applied (M-T tests one without changing the record)");
        return;
    }
    pick_rule(app, true);
}

void
tui_cmd_test_rule(struct tui_app *app)
{
    if (have_record(app))
        pick_rule(app, false);
}
