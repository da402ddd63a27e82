/*
 * tab-external.c - the External tab (SPEC §3.5, seed 002): copy cataloging
 * from a Z39.50 or SRU target without leaving the editor.
 *
 * The steps are Alma's external search: pick the target (F3; the choice
 * stays for the session), type a query in the language of the Search tab,
 * Enter.  The search runs in the background (core/z3950.h): the screen
 * keeps drawing with the seconds going by, Esc cancels, and the main loop
 * waits on the terminal and the search's socket together (the tab's
 * pending/io callbacks, term.c).  Hits are brief lines (title / author,
 * date, identifiers); more records are fetched as the list scrolls.  Enter
 * or v shows a hit whole in this pane, beside the local record in the left
 * one; d lists how the two differ.  m (Copy & Merge), o (Copy & Overlay)
 * and i (Import) make the core's plan (core/merge.h) and show its dry run
 * -- which fields survive, go, come and change, the merge rule, the
 * normalization, a monograph's 998, someone else's lock, records with the
 * same OCLC number -- and only Enter, then y, applies it.  Afterwards the
 * record is read again into the left pane and the message line says which
 * version was written.
 *
 * The records of a search are kept as the user's last search of the target
 * (core_external_*), as `colophon external search` keeps them, so
 * `colophon merge --from TARGET --record N` can take the same hit.
 *
 * This file knows the core's search, targets and merge plans; it does not
 * know curses, sockets beyond handing one to the main loop, or SQL.
 */
#include "app-int.h"

#include "list.h"
#include "tab-external.h"
#include "textbox.h"

#include "buf.h"
#include "diff.h"
#include "ident.h"
#include "match.h"
#include "merge.h"
#include "mms.h"
#include "targets.h"
#include "z3950.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE 20 /* records asked for at a time */

enum phase {
    PH_QUERY, /* the target and the query box (results, if any, below) */
    PH_LIST,  /* moving in the results */
    PH_VIEW,  /* one hit, whole */
    PH_PLAN,  /* the dry run of Copy & Merge, Copy & Overlay or Import */
};

/* One record of the search, as it arrived. */
struct hit {
    struct marc_record *rec; /* NULL when it could not be used */
    char line1[320];         /* "3. Title" */
    char line2[400];         /* date, author, identifiers; or what is wrong */
};

struct external_tab {
    enum phase phase;
    /* the targets, read again each time the tab is shown */
    struct core_target *targets;
    size_t ntargets;
    size_t target;                        /* the chosen one */
    char chosen[CORE_TARGET_NAME_MAX];    /* its name: the choice stays for the session */
    char targets_error[400];
    struct tui_input query;
    /* the search */
    struct core_zsearch *s;
    struct core_target cur;               /* the target of s */
    char searched[TUI_INPUT_MAX];         /* the query of s */
    struct timespec since;                /* when the running step began */
    bool fetching;                        /* more records are on their way */
    bool stored;                          /* kept as the user's last search */
    long hits;                            /* the target's count; -1 until known */
    char error[700];                      /* why the search or a fetch failed */
    struct hit *res;
    size_t nres;
    struct tui_list list;
    /* the hit shown whole */
    size_t shown;
    struct tui_editor *view;
    struct tui_record_view vstate;
    /* the plan */
    struct core_merge_plan plan;
    bool have_plan;
    bool can_apply;
    bool show_result;                     /* r: the record as it will be, not the diff */
    enum phase plan_from;                 /* where Esc goes back to */
    struct tui_textbox text;
    struct tui_editor *result;
    struct tui_record_view rstate;
};

/* ---- the query a record offers ---- */

static bool
first_ident(const struct marc_record *r, char kind, char *out, size_t size)
{
    struct core_bib_keys k = {0};
    core_bib_keys_extract(r, &k);
    bool found = false;
    for (size_t i = 0; i < k.nids && !found; i++) {
        const char *v = k.ids[i].value;
        /* 010 LCCNs share the ISBN index in the repository; a target's ISBN index has none */
        bool isbn13 = strlen(v) == 13 && strncmp(v, "97", 2) == 0;
        if (k.ids[i].kind == kind && (kind != CORE_ID_ISBN || isbn13)) {
            snprintf(out, size, "%s", v);
            found = true;
        }
    }
    core_bib_keys_free(&k);
    return found;
}

void
tui_external_query_for(const struct marc_record *r, char *out, size_t size)
{
    char id[CORE_IDENT_MAX];
    out[0] = '\0';
    if (first_ident(r, CORE_ID_OCLC, id, sizeof id)) {
        snprintf(out, size, "oclc=%s", id);
        return;
    }
    if (first_ident(r, CORE_ID_ISBN, id, sizeof id)) {
        snprintf(out, size, "isbn=%s", id);
        return;
    }
    for (size_t i = 0; i < marc_record_field_count(r); i++) {
        const struct marc_field *f = marc_record_field(r, i);
        size_t len;
        const char *a = strcmp(marc_field_tag(f), "245") == 0 ? marc_field_value(f, 'a', &len)
                                                              : NULL;
        if (!a)
            continue;
        /* the words of the title proper, without ISBD punctuation or quotes */
        char words[256];
        size_t n = 0;
        for (size_t j = 0; j < len && n < sizeof words - 1; j++)
            words[n++] = a[j] == '"' ? ' ' : a[j];
        while (n && strchr(" /:;,.=", words[n - 1]))
            n--;
        words[n] = '\0';
        if (n)
            snprintf(out, size, "title=\"%s\"", words);
        return;
    }
}

/* ---- targets ---- */

static void
load_targets(struct external_tab *t, struct tui_app *app)
{
    free(t->targets);
    t->targets = NULL;
    t->ntargets = 0;
    t->target = 0;
    t->targets_error[0] = '\0';
    struct core_repo *repo = tui_app_repo(app);
    if (core_targets_list(repo, &t->targets, &t->ntargets) != CORE_OK) {
        snprintf(t->targets_error, sizeof t->targets_error, "%s", core_repo_errmsg(repo));
        t->targets = NULL;
        t->ntargets = 0;
        return;
    }
    for (size_t i = 0; i < t->ntargets; i++)
        if (strcmp(t->targets[i].name, t->chosen) == 0)
            t->target = i;
    if (t->ntargets)
        snprintf(t->chosen, sizeof t->chosen, "%s", t->targets[t->target].name);
}

static const struct core_target *
chosen(const struct external_tab *t)
{
    return t->ntargets ? &t->targets[t->target] : NULL;
}

/* ---- the search ---- */

static double
seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static bool
running(const struct external_tab *t)
{
    return t->s && core_zsearch_state(t->s) == CORE_ZS_RUNNING;
}

static void
clear_results(struct external_tab *t)
{
    for (size_t i = 0; i < t->nres; i++)
        marc_record_free(t->res[i].rec);
    free(t->res);
    t->res = NULL;
    t->nres = 0;
    t->list.sel = t->list.top = 0;
    tui_list_reset(&t->list, 0, 2);
}

static void
drop_plan(struct external_tab *t)
{
    if (t->have_plan)
        core_merge_plan_free(&t->plan);
    t->have_plan = false;
    t->show_result = false;
    tui_textbox_clear(&t->text);
}

static void
stop_search(struct external_tab *t)
{
    core_zsearch_free(t->s);
    t->s = NULL;
    t->fetching = false;
}

/* "3. Title" and "   2001  OCLC 123  ISBN 978...  Author": the identifiers, which tell
 * copies of a title apart, before the author, so that they show in a narrow pane. */
static void
brief_line(const struct marc_record *r, struct core_bib_keys *k, char *line1, size_t size1,
           char *line2, size_t size2, size_t n)
{
    core_bib_keys_extract(r, k);
    snprintf(line1, size1, "%zu. %s", n, k->title.len ? k->title.data : "(no title)");
    size_t len = (size_t)snprintf(line2, size2, "   %s", k->date[0] ? k->date : "----");
    /* OCLC numbers first: they are what a copy cataloger matches by */
    static const char *const labels[] = {"OCLC", "ISBN", "ISSN", "LCCN"};
    for (size_t pass = 0; pass < 4; pass++) {
        for (size_t i = 0; i < k->nids && len < size2 - 1; i++) {
            const char *v = k->ids[i].value;
            bool isbn13 = strlen(v) == 13; /* 010 LCCNs share the ISBN kind */
            size_t which = k->ids[i].kind == CORE_ID_OCLC   ? 0
                           : k->ids[i].kind == CORE_ID_ISSN ? 2
                           : k->ids[i].kind != CORE_ID_ISBN ? 9
                           : isbn13                         ? 1
                                                            : 3;
            if (which == pass)
                len += (size_t)snprintf(line2 + len, size2 - len, "  %s %s", labels[pass], v);
        }
    }
    if (k->author.len && len < size2 - 1)
        snprintf(line2 + len, size2 - len, "  %s", k->author.data);
}

/* Take the records that have arrived, in order, and keep them as the user's last search. */
static void
collect(struct external_tab *t, struct tui_app *app)
{
    struct core_repo *repo = tui_app_repo(app);
    if (!t->stored) {
        t->stored = true;
        if (core_external_begin(repo, t->cur.name, t->searched, t->hits) != CORE_OK)
            tui_app_core_error(app, "The hits are shown but not kept for colophon merge");
    }
    struct core_bib_keys k = {0};
    while (t->nres < (size_t)t->hits && core_zsearch_has(t->s, t->nres)) {
        t->res = xrealloc(t->res, (t->nres + 1) * sizeof *t->res);
        struct hit *h = &t->res[t->nres++];
        memset(h, 0, sizeof *h);
        h->rec = marc_record_new();
        char *err = NULL;
        if (core_zsearch_record(t->s, t->nres - 1, h->rec, &err) != CORE_OK) {
            marc_record_free(h->rec);
            h->rec = NULL;
            snprintf(h->line1, sizeof h->line1, "%zu. (cannot be used)", t->nres);
            snprintf(h->line2, sizeof h->line2, "   %s", err ? err : "malformed record");
            free(err);
            continue;
        }
        brief_line(h->rec, &k, h->line1, sizeof h->line1, h->line2, sizeof h->line2, t->nres);
        if (t->stored && core_external_put(repo, t->cur.name, (long)t->nres, h->rec) != CORE_OK)
            tui_app_core_error(app, "Keeping the hit");
    }
    core_bib_keys_free(&k);
    tui_list_reset(&t->list, t->nres, 2);
}

/* Ask for the next page when the selection comes near the last record there is. */
static void
fetch_more(struct external_tab *t, int rows)
{
    size_t visible = (size_t)(rows > 2 ? rows / 2 : 1);
    if (!t->s || running(t) || core_zsearch_state(t->s) != CORE_ZS_DONE ||
        t->nres >= (size_t)t->hits || t->list.sel + visible < t->nres)
        return;
    size_t count = (size_t)t->hits - t->nres < PAGE ? (size_t)t->hits - t->nres : PAGE;
    if (core_zsearch_fetch(t->s, t->nres, count) == CORE_OK) {
        t->fetching = true;
        clock_gettime(CLOCK_MONOTONIC, &t->since);
    }
}

static void
search_failed(struct external_tab *t, struct tui_app *app)
{
    bool cancelled = strstr(core_zsearch_error(t->s), "cancel") != NULL;
    if (t->fetching && t->nres) {
        snprintf(t->error, sizeof t->error, "%s: fetching more records: %s", t->cur.name,
                 core_zsearch_error(t->s));
        tui_app_message(app, cancelled ? TUI_MSG_INFO : TUI_MSG_ERROR,
                        "%s (Enter in the query searches again for the rest)", t->error);
    } else {
        snprintf(t->error, sizeof t->error, "%s", core_zsearch_error(t->s));
        if (cancelled)
            tui_app_message(app, TUI_MSG_INFO, "Search of %s cancelled", t->cur.name);
        else
            tui_app_message(app, TUI_MSG_ERROR, "Search failed: %s", t->error);
    }
    t->fetching = false;
}

static void
external_io(void *st, struct tui_app *app)
{
    struct external_tab *t = st;
    if (!running(t))
        return;
    enum core_zstate s = core_zsearch_poll(t->s, 0);
    if (s == CORE_ZS_RUNNING)
        return;
    if (s == CORE_ZS_FAILED) {
        search_failed(t, app);
        return;
    }
    bool first = t->hits < 0;
    t->hits = core_zsearch_hits(t->s);
    t->fetching = false;
    collect(t, app);
    if (first && t->hits == 0)
        tui_app_message(app, TUI_MSG_INFO, "No records in %s for %s", t->cur.name, t->searched);
    else if (first)
        tui_app_message(app, TUI_MSG_INFO, "%ld record%s in %s: Enter or v shows one, m merges it",
                        t->hits, t->hits == 1 ? "" : "s", t->cur.name);
    if (first && t->nres && t->phase == PH_QUERY)
        t->phase = PH_LIST;
    /* the target may send fewer records with the search than asked for */
    if (first && t->nres < (size_t)t->hits && t->nres < PAGE)
        fetch_more(t, 2 * PAGE);
}

static bool
external_pending(void *st, int *fd, short *events)
{
    struct external_tab *t = st;
    if (!running(t))
        return false;
    *fd = core_zsearch_fd(t->s, events);
    return true;
}

static void
start_search(struct external_tab *t, struct tui_app *app)
{
    const struct core_target *tg = chosen(t);
    if (!tg) {
        tui_app_message(app, TUI_MSG_ERROR, "%s",
                        t->targets_error[0] ? t->targets_error
                                            : "No external targets: 'colophon external add NAME "
                                              "ADDRESS' (admin) or ~/.config/colophon/targets");
        return;
    }
    if (!t->query.len) {
        tui_app_message(app, TUI_MSG_INFO,
                        "Type a query: title=\"...\", author=..., isbn=..., oclc=..., or words");
        return;
    }
    stop_search(t);
    clear_results(t);
    drop_plan(t);
    t->cur = *tg;
    t->error[0] = '\0';
    t->hits = -1;
    t->stored = false;
    snprintf(t->searched, sizeof t->searched, "%s", t->query.text);
    char *err = NULL;
    t->s = core_zsearch_start(&t->cur, t->query.text, PAGE, &err);
    if (!t->s) {
        snprintf(t->error, sizeof t->error, "%s", err ? err : "the query cannot be sent");
        tui_app_message(app, TUI_MSG_ERROR, "Cannot search %s: %s", t->cur.name, t->error);
        free(err);
        return;
    }
    clock_gettime(CLOCK_MONOTONIC, &t->since);
    t->phase = PH_QUERY;
}

static void
cancel(struct external_tab *t, struct tui_app *app)
{
    core_zsearch_cancel(t->s);
    search_failed(t, app);
}

/* ---- one hit, whole ---- */

static bool
usable(struct external_tab *t, struct tui_app *app, size_t i)
{
    if (i >= t->nres)
        return false;
    if (!t->res[i].rec) {
        tui_app_message(app, TUI_MSG_ERROR, "Record %zu from %s cannot be used:%s", i + 1,
                        t->cur.name, t->res[i].line2 + 2);
        return false;
    }
    return true;
}

static void
show_hit(struct external_tab *t, struct tui_app *app, size_t i)
{
    if (!usable(t, app, i))
        return;
    t->shown = i;
    tui_editor_load(t->view, t->res[i].rec);
    tui_editor_set_readonly(t->view, true);
    t->vstate.top = 0;
    t->phase = PH_VIEW;
}

/* d: the local record against the hit, as the Search tab compares two records. */
static void
compare(struct external_tab *t, struct tui_app *app)
{
    const struct marc_record *left = tui_app_record(app);
    if (!tui_app_mms(app)[0]) {
        tui_app_message(app, TUI_MSG_INFO, "No local record on the left to compare with (C-o)");
        return;
    }
    if (!left) {
        tui_app_message(app, TUI_MSG_ERROR,
                        "The record on the left does not parse (M-v shows why): no diff");
        return;
    }
    struct marc_buf b = MARC_BUF_INIT;
    tui_diff_text(left, t->res[t->shown].rec, &b);
    char title[200];
    snprintf(title, sizeof title, "%s (left) -> %s record %zu (- only left, + only %s, ~ differ)",
             tui_app_mms(app), t->cur.name, t->shown + 1, t->cur.name);
    tui_app_show_text(app, title, b.data);
    marc_buf_free(&b);
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
        const struct marc_field *f = op->b >= 0 ? marc_record_field(b, (size_t)op->b)
                                                : marc_record_field(a, (size_t)op->a);
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

/* The dry run as a cataloger checks it before pressing the button (cli/verb-merge.c says the same). */
static void
plan_text(struct external_tab *t, struct tui_app *app)
{
    const struct core_merge_plan *p = &t->plan;
    struct tui_textbox *tb = &t->text;
    tui_textbox_clear(tb);
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
        tui_textbox_add(tb, TUI_A_BOLD, "%zu come, %zu go, %zu change, %zu survive (%zu local):",
                        d.added, d.removed, d.changed, same, p->local_fields);
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

static void
make_plan(struct external_tab *t, struct tui_app *app, enum core_merge_mode mode, size_t i)
{
    if (!usable(t, app, i))
        return;
    if (mode != CORE_MERGE_IMPORT && !left_ready(app, mode))
        return;
    const char *mms = tui_app_mms(app);
    bool bib = mms[0] && core_mms_parse(mms, NULL, NULL) == CORE_MMS_BIB;
    enum phase from = t->phase == PH_PLAN ? t->plan_from : t->phase;
    drop_plan(t);
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
    plan_text(t, app);
    tui_editor_load(t->result, t->plan.result);
    tui_editor_set_readonly(t->result, true);
    t->rstate.top = 0;
    t->phase = PH_PLAN;
    if (t->plan.lock.locked)
        tui_app_message(app, TUI_MSG_ERROR, "%s is %s %s: nothing can be changed now",
                        t->plan.mms, t->plan.lock.assigned ? "assigned to" : "locked by",
                        t->plan.lock.user);
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
    bool onto_left = p->mode != CORE_MERGE_IMPORT && strcmp(tui_app_mms(app), p->mms) == 0;
    if (onto_left && tui_editor_modified(app->ed)) {
        tui_app_message(app, TUI_MSG_ERROR,
                        "%s has unsaved edits since the dry run: save (C-s) or discard them (M-R) "
                        "first; nothing was changed",
                        p->mms);
        return;
    }
    struct core_repo *repo = tui_app_repo(app);
    struct first_problem fp = {{0}};
    if (core_merge_apply(repo, p, keep_first_error, &fp) != CORE_OK) {
        char why[700];
        snprintf(why, sizeof why, "%s%s%s", core_repo_errmsg(repo), fp.text[0] ? ": " : "",
                 fp.text);
        tui_textbox_clear(&t->text);
        tui_textbox_add(&t->text, TUI_A_BOLD | TUI_COLOR(TUI_C_ERROR), "Not applied: %s", why);
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
    drop_plan(t);
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
    char q[200];
    if (p->mode == CORE_MERGE_IMPORT)
        snprintf(q, sizeof q, "Import %s record %zu as a new record%s?", t->cur.name,
                 t->shown + 1, p->ndups ? " anyway" : "");
    else
        snprintf(q, sizeof q, "%s onto %s? (a new version)", core_merge_mode_name(p->mode),
                 p->mms);
    tui_app_confirm(app, q, apply_answer, t);
}

/* ---- drawing ---- */

static void
hints(struct tui_frame *f, struct tui_rect r, const char *text)
{
    tui_frame_puts(f, r.x, r.y + r.h - 1, text, r.w, TUI_A_DIM | TUI_COLOR(TUI_C_HINT));
}

static void
draw_hit(void *ctx, size_t i, struct tui_frame *f, int x, int y, int w, bool selected)
{
    struct external_tab *t = ctx;
    uint16_t base = selected ? TUI_A_REVERSE : TUI_A_NONE;
    const struct hit *h = &t->res[i];
    tui_frame_puts(f, x, y, h->line1, w, base | TUI_A_BOLD);
    tui_frame_puts(f, x, y + 1, h->line2, w,
                   base | (h->rec ? TUI_A_DIM : TUI_COLOR(TUI_C_ERROR)));
}

/* The second line of the tab: what the search is doing. */
static void
status_line(struct external_tab *t, struct tui_frame *f, struct tui_rect r)
{
    char line[700];
    uint16_t a = TUI_A_DIM;
    if (running(t) && t->fetching) {
        snprintf(line, sizeof line, "Fetching %zu-%zu of %ld from %s... %.0f s",
                 t->nres + 1,
                 t->nres + PAGE < (size_t)t->hits ? t->nres + PAGE : (size_t)t->hits, t->hits,
                 t->cur.name, seconds_since(&t->since));
        a = TUI_A_BOLD;
    } else if (running(t)) {
        snprintf(line, sizeof line, "Searching %s... %.0f s", t->cur.name,
                 seconds_since(&t->since));
        a = TUI_A_BOLD;
    } else if (t->hits >= 0 && t->nres < (size_t)t->hits) {
        snprintf(line, sizeof line, "%zu of %ld records from %s; more as you scroll", t->nres,
                 t->hits, t->cur.name);
    } else if (t->hits >= 0) {
        snprintf(line, sizeof line, "%ld record%s from %s", t->hits, t->hits == 1 ? "" : "s",
                 t->cur.name);
    } else if (chosen(t)) {
        snprintf(line, sizeof line, "Target %zu of %zu (F3 switches)", t->target + 1,
                 t->ntargets);
    } else {
        snprintf(line, sizeof line, "No targets to search");
    }
    tui_frame_puts(f, r.x, r.y + 1, line, r.w, a);
}

/* Below the query when there are no results: the target, the error, or how to begin. */
static void
draw_help(struct external_tab *t, struct tui_frame *f, struct tui_rect r)
{
    struct tui_textbox tb = {0};
    const struct core_target *tg = chosen(t);
    if (t->error[0] && !running(t)) {
        tui_textbox_add(&tb, TUI_A_BOLD | TUI_COLOR(TUI_C_ERROR), "%s", t->error);
        tui_textbox_add(&tb, TUI_A_NONE, "Enter searches again; F3 picks another target.");
    } else if (running(t)) {
        tui_textbox_add(&tb, TUI_A_NONE, "%s at %s", t->searched, t->cur.address);
    } else if (t->hits == 0) {
        tui_textbox_add(&tb, TUI_A_NONE, "No records for %s.", t->searched);
    } else if (!tg) {
        tui_textbox_add(&tb, t->targets_error[0] ? TUI_A_BOLD | TUI_COLOR(TUI_C_ERROR) : 0, "%s",
                        t->targets_error[0] ? t->targets_error : "No Z39.50 or SRU targets yet.");
        tui_textbox_add(&tb, TUI_A_DIM,
                        "An admin adds one with 'colophon external add NAME ADDRESS'; your own "
                        "go in ~/.config/colophon/targets (docs/Z3950.md).");
    } else {
        tui_textbox_add(&tb, TUI_A_NONE, "%s: %s %s", tg->name,
                        tg->proto == CORE_TARGET_SRU ? "SRU" : "Z39.50", tg->address);
        tui_textbox_add(&tb, TUI_A_DIM,
                        "Query as in Search: title=\"...\", author=..., isbn=..., issn=..., "
                        "oclc=..., subject=..., words; AND OR NOT; a trailing * truncates.");
    }
    tui_textbox_draw(&tb, f, r);
    tui_textbox_free(&tb);
}

static void
draw_query_phase(struct external_tab *t, struct tui_frame *f, struct tui_rect r, bool focused)
{
    char label[CORE_TARGET_NAME_MAX + 4];
    snprintf(label, sizeof label, "%s> ", chosen(t) ? chosen(t)->name : "none");
    tui_input_draw(&t->query, label, focused && t->phase == PH_QUERY, f,
                   (struct tui_rect){r.x, r.y, r.w, 1});
    status_line(t, f, r);
    struct tui_rect lr = {r.x, r.y + 2, r.w, r.h - 3};
    if (t->nres)
        tui_list_draw(&t->list, f, lr, focused && t->phase == PH_LIST, draw_hit, t);
    else
        draw_help(t, f, lr);
    if (running(t))
        hints(f, r, "Esc cancels the search");
    else if (t->phase == PH_LIST)
        hints(f, r, "v view m merge o overlay i import");
    else
        hints(f, r, "Enter search F3 target Down hits");
}

static void
draw_view(struct external_tab *t, struct tui_frame *f, struct tui_rect r)
{
    char head[160];
    snprintf(head, sizeof head, "%s record %zu of %ld", t->cur.name, t->shown + 1, t->hits);
    tui_frame_puts(f, r.x, r.y, head, r.w, TUI_A_BOLD);
    tui_record_view_draw(&t->vstate, t->view, NULL, false, f,
                         (struct tui_rect){r.x, r.y + 1, r.w, r.h - 2});
    hints(f, r, "m merge o overlay i import d diff");
}

static void
draw_plan(struct external_tab *t, struct tui_frame *f, struct tui_rect r)
{
    if (t->show_result) {
        char head[160];
        snprintf(head, sizeof head, "After %s (not saved yet):",
                 core_merge_mode_name(t->plan.mode));
        tui_frame_puts(f, r.x, r.y, head, r.w, TUI_A_BOLD);
        tui_record_view_draw(&t->rstate, t->result, NULL, false, f,
                             (struct tui_rect){r.x, r.y + 1, r.w, r.h - 2});
        hints(f, r, "r the changes  Enter apply  Esc back");
        return;
    }
    int h = r.h - 1;
    int total = tui_textbox_rows(&t->text, r.w);
    if (total <= h) {
        tui_textbox_draw(&t->text, f, (struct tui_rect){r.x, r.y, r.w, h});
    } else {
        tui_textbox_draw(&t->text, f, (struct tui_rect){r.x, r.y, r.w, h - 1});
        bool end = t->text.scroll + h - 1 >= total;
        tui_frame_puts(f, r.x, r.y + h - 1, end ? "(end; PgUp scrolls back)" : "(more: PgDn)",
                       r.w, TUI_A_DIM);
    }
    hints(f, r, t->can_apply ? "Enter apply  r result  Esc back" : "r result  Esc back");
}

static void
external_draw(void *st, struct tui_app *app, struct tui_frame *f, struct tui_rect r, bool focused)
{
    struct external_tab *t = st;
    switch (t->phase) {
    case PH_VIEW:
        draw_view(t, f, r);
        return;
    case PH_PLAN:
        draw_plan(t, f, r);
        return;
    default:
        draw_query_phase(t, f, r, focused);
        return;
    }
}

/* ---- keys ---- */

static bool
merge_key(struct external_tab *t, struct tui_app *app, int key, size_t i)
{
    switch (key) {
    case 'm':
        make_plan(t, app, CORE_MERGE_MERGE, i);
        return true;
    case 'o':
        make_plan(t, app, CORE_MERGE_OVERLAY, i);
        return true;
    case 'i':
        make_plan(t, app, CORE_MERGE_IMPORT, i);
        return true;
    default:
        return false;
    }
}

static bool
query_key(struct external_tab *t, struct tui_app *app, int key)
{
    switch (key) {
    case TUI_KEY_ENTER:
        start_search(t, app);
        return true;
    case TUI_KEY_F(3):
        if (t->ntargets) {
            t->target = (t->target + 1) % t->ntargets;
            snprintf(t->chosen, sizeof t->chosen, "%s", t->targets[t->target].name);
            tui_app_message(app, TUI_MSG_INFO, "Target %s: %s", t->chosen,
                            t->targets[t->target].address);
        } else {
            tui_app_message(app, TUI_MSG_ERROR, "No targets to choose from");
        }
        return true;
    case TUI_KEY_DOWN:
        if (t->nres)
            t->phase = PH_LIST;
        return true;
    default:
        return tui_input_key(&t->query, key);
    }
}

static bool
list_key(struct external_tab *t, struct tui_app *app, int key)
{
    int rows = tui_app_right_rows(app) - 3;
    if (key == TUI_KEY_UP && t->list.sel == 0) {
        t->phase = PH_QUERY;
        return true;
    }
    if (tui_list_key(&t->list, key, rows)) {
        fetch_more(t, rows);
        return true;
    }
    if (key == TUI_KEY_ENTER || key == 'v') {
        show_hit(t, app, t->list.sel);
        return true;
    }
    if (merge_key(t, app, key, t->list.sel))
        return true;
    if (tui_key_is_text(key) || key == TUI_KEY_BACKSPACE) {
        t->phase = PH_QUERY; /* typing goes back to the query */
        return tui_input_key(&t->query, key);
    }
    return false;
}

static bool
view_key(struct external_tab *t, struct tui_app *app, int key)
{
    int page = tui_app_right_rows(app) - 3;
    switch (key) {
    case TUI_KEY_ESC:
    case 'v':
    case 'q':
        t->phase = PH_LIST;
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
    case 'd':
        compare(t, app);
        return true;
    default:
        return merge_key(t, app, key, t->shown);
    }
}

static bool
plan_key(struct external_tab *t, struct tui_app *app, int key)
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
        drop_plan(t);
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

static bool
external_key(void *st, struct tui_app *app, int key)
{
    struct external_tab *t = st;
    if (key == TUI_KEY_ESC && running(t)) {
        cancel(t, app);
        return true;
    }
    switch (t->phase) {
    case PH_QUERY:
        return query_key(t, app, key);
    case PH_LIST:
        return list_key(t, app, key);
    case PH_VIEW:
        return view_key(t, app, key);
    case PH_PLAN:
        return plan_key(t, app, key);
    }
    return false;
}

/* ---- the tab ---- */

static void *
external_create(struct tui_app *app)
{
    struct external_tab *t = xcalloc(1, sizeof *t);
    t->hits = -1;
    t->view = tui_editor_new();
    t->result = tui_editor_new();
    tui_editor_set_readonly(t->view, true);
    tui_editor_set_readonly(t->result, true);
    tui_list_reset(&t->list, 0, 2);
    load_targets(t, app);
    return t;
}

static void
external_destroy(void *st)
{
    struct external_tab *t = st;
    if (!t)
        return;
    stop_search(t);
    clear_results(t);
    drop_plan(t);
    tui_textbox_free(&t->text);
    tui_editor_free(t->view);
    tui_editor_free(t->result);
    free(t->targets);
    free(t);
}

static void
external_shown(void *st, struct tui_app *app)
{
    struct external_tab *t = st;
    load_targets(t, app); /* an admin may have added one meanwhile */
    const struct marc_record *r = tui_app_record(app);
    if (!t->query.len && !t->nres && r) {
        char q[400];
        tui_external_query_for(r, q, sizeof q);
        tui_input_set(&t->query, q);
    }
}

/* A plan made against another record, or another version of it, is stale. */
static void
external_record_changed(void *st, struct tui_app *app)
{
    struct external_tab *t = st;
    if (t->phase != PH_PLAN || !t->have_plan || t->plan.mode == CORE_MERGE_IMPORT)
        return;
    if (strcmp(t->plan.mms, tui_app_mms(app)) != 0 || t->plan.base_version != app->version) {
        t->phase = t->plan_from == PH_VIEW ? PH_VIEW : PH_LIST;
        drop_plan(t);
    }
}

const struct tui_tab_ops tui_tab_external = {
    .name = "External",
    .label = "Ext",
    .create = external_create,
    .destroy = external_destroy,
    .draw = external_draw,
    .key = external_key,
    .record_changed = external_record_changed,
    .shown = external_shown,
    .pending = external_pending,
    .io = external_io,
};
