/*
 * tab-reminders.c - the Reminders tab (SPEC §2 Reminder, §3.8; seed 004):
 * the reminders of the record in the left pane (due date, type, status,
 * text, author, submitted), a filter line, and add, edit and delete.
 *
 * Adding or editing asks four short questions in turn (text, due date,
 * type, status), each prefilled: with the record's current values when
 * editing, with the zone's default type and status when adding.  The core
 * checks rights, codes and dates and words every refusal; this file only
 * shows them.  The filter is one line of words the cataloger types after f:
 *   type=CODE status=CODE due overdue open before=YYYY-MM-DD
 *   from=YYYY-MM-DD to=YYYY-MM-DD        (submitted date range)
 */
#include "app-int.h"

#include "list.h"

#include "buf.h"
#include "reminder.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FILTER_MAX 256

struct reminders_tab {
    struct core_reminder *rem;
    size_t n;
    struct tui_list list;
    char mms[CORE_MMS_MAX];
    char filter[FILTER_MAX];  /* the filter line as typed */
    /* the parsed filter (points into the strings below) */
    char f_type[CORE_REMINDER_CODE_MAX], f_status[CORE_REMINDER_CODE_MAX];
    char f_before[16], f_from[16], f_to[16];
    bool f_due, f_overdue, f_open;
    char today[16];
};

/* The questions of an add or an edit, asked one after the other. */
enum form_step { ASK_TEXT, ASK_DUE, ASK_TYPE, ASK_STATUS };

struct reminder_form {
    struct reminders_tab *t;
    bool edit;
    long id;
    enum core_zone zone;
    enum form_step step;
    char text[CORE_REMINDER_MAX + 1];
    char due[16];
    char type[CORE_REMINDER_CODE_MAX];
    char status[CORE_REMINDER_CODE_MAX];
};

static void *
reminders_create(struct tui_app *app)
{
    return xcalloc(1, sizeof(struct reminders_tab));
}

static void
reminders_destroy(void *st)
{
    struct reminders_tab *t = st;
    free(t->rem);
    free(t);
}

/* ---- the filter line ---- */

/* Parse t->filter into the f_ fields; false (with a message) on a bad word. */
static bool
parse_filter(struct reminders_tab *t, struct tui_app *app)
{
    t->f_type[0] = t->f_status[0] = t->f_before[0] = t->f_from[0] = t->f_to[0] = '\0';
    t->f_due = t->f_overdue = t->f_open = false;
    char copy[FILTER_MAX];
    snprintf(copy, sizeof copy, "%s", t->filter);
    char *save = NULL;
    for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        char *eq = strchr(w, '=');
        const char *val = eq ? eq + 1 : "";
        size_t klen = eq ? (size_t)(eq - w) : strlen(w);
        char *dst = NULL;
        size_t dsize = 0;
        if (!eq && strcasecmp(w, "due") == 0)
            t->f_due = true;
        else if (!eq && strcasecmp(w, "overdue") == 0)
            t->f_overdue = true;
        else if (!eq && strcasecmp(w, "open") == 0)
            t->f_open = true;
        else if (eq && klen == 4 && strncasecmp(w, "type", 4) == 0)
            dst = t->f_type, dsize = sizeof t->f_type;
        else if (eq && klen == 6 && strncasecmp(w, "status", 6) == 0)
            dst = t->f_status, dsize = sizeof t->f_status;
        else if (eq && klen == 6 && strncasecmp(w, "before", 6) == 0)
            dst = t->f_before, dsize = sizeof t->f_before;
        else if (eq && klen == 4 && strncasecmp(w, "from", 4) == 0)
            dst = t->f_from, dsize = sizeof t->f_from;
        else if (eq && klen == 2 && strncasecmp(w, "to", 2) == 0)
            dst = t->f_to, dsize = sizeof t->f_to;
        else {
            tui_app_message(app, TUI_MSG_ERROR,
                            "Filter: '%s' is not understood (type=CODE status=CODE due overdue "
                            "open before=DATE from=DATE to=DATE)",
                            w);
            return false;
        }
        if (dst) {
            if (!*val || strlen(val) >= dsize) {
                tui_app_message(app, TUI_MSG_ERROR, "Filter: '%s' needs a value after '='", w);
                return false;
            }
            snprintf(dst, dsize, "%s", val);
        }
    }
    return true;
}

/* Reload the list; false (with the core's message shown) when it failed. */
static bool
load(struct reminders_tab *t, struct tui_app *app)
{
    bool ok = true;
    free(t->rem);
    t->rem = NULL;
    t->n = 0;
    snprintf(t->mms, sizeof t->mms, "%s", tui_app_mms(app));
    core_reminder_today(t->today, sizeof t->today);
    if (t->mms[0]) {
        struct core_reminder_filter f = {
            .mms = t->mms,
            .zone = -1,
            .from = t->f_from[0] ? t->f_from : NULL,
            .to = t->f_to[0] ? t->f_to : NULL,
            .type = t->f_type[0] ? t->f_type : NULL,
            .status = t->f_status[0] ? t->f_status : NULL,
            .due_before = t->f_before[0] ? t->f_before : NULL,
            .due = t->f_due,
            .overdue = t->f_overdue,
            .open = t->f_open,
        };
        if (core_reminder_list(tui_app_repo(app), &f, &t->rem, &t->n) != CORE_OK) {
            tui_app_core_error(app, "Reminders");
            ok = false;
        }
    }
    tui_list_reset(&t->list, t->n, 3);
    return ok;
}

/* ---- drawing ---- */

/* "OVERDUE", "TODAY" (due today), "closed" or "" for a reminder. */
static const char *
state_of(const struct reminders_tab *t, const struct core_reminder *r)
{
    if (!r->open)
        return "closed";
    if (!r->due[0])
        return "";
    int c = strcmp(r->due, t->today);
    return c < 0 ? "OVERDUE" : c == 0 ? "TODAY" : "";
}

static void
draw_reminder(void *ctx, size_t i, struct tui_frame *f, int x, int y, int w, bool selected)
{
    struct reminders_tab *t = ctx;
    const struct core_reminder *r = &t->rem[i];
    uint16_t base = selected ? TUI_A_REVERSE : TUI_A_NONE;
    char head[160], when[32], by[160];
    snprintf(head, sizeof head, "%s %s %s", r->due[0] ? r->due : "(no date)", r->type, r->status);
    int used = tui_frame_puts(f, x, y, head, w, base | TUI_A_BOLD);
    const char *state = state_of(t, r);
    if (*state && used + 1 < w) {
        bool late = strcmp(state, "OVERDUE") == 0;
        tui_frame_puts(f, x + used + 1, y, state, w - used - 1,
                       base | (late ? TUI_A_BOLD | TUI_COLOR(TUI_C_ERROR)
                                    : TUI_A_DIM | TUI_COLOR(TUI_C_WARNING)));
    }
    tui_frame_puts(f, x, y + 1, r->text, w, base);
    core_format_time(r->submitted, when, sizeof when);
    snprintf(by, sizeof by, "%.10s by %s", when, r->author);
    tui_frame_puts(f, x, y + 2, by, w, base | TUI_A_DIM);
}

static void
draw_hints(struct tui_frame *f, struct tui_rect r)
{
    static const char full[] = "a add  e edit  d delete  Enter read  f filter";
    uint16_t a = TUI_A_DIM | TUI_COLOR(TUI_C_HINT);
    if ((int)sizeof full - 1 <= r.w) {
        tui_frame_puts(f, r.x, r.y + r.h - 1, full, r.w, a);
        return;
    }
    tui_frame_puts(f, r.x, r.y + r.h - 2, "a add  e edit  d delete", r.w, a);
    tui_frame_puts(f, r.x, r.y + r.h - 1, "Enter read  f filter", r.w, a);
}

static int
hint_rows(int w)
{
    return w >= (int)strlen("a add  e edit  d delete  Enter read  f filter") ? 1 : 2;
}

static void
reminders_draw(void *st, struct tui_app *app, struct tui_frame *f, struct tui_rect r, bool focused)
{
    struct reminders_tab *t = st;
    if (strcmp(t->mms, tui_app_mms(app)) != 0)
        load(t, app);
    if (!t->mms[0]) {
        tui_frame_puts(f, r.x, r.y, "Open a record to see its reminders.", r.w, TUI_A_DIM);
        return;
    }
    size_t late = 0, today = 0;
    for (size_t i = 0; i < t->n; i++) {
        const char *s = state_of(t, &t->rem[i]);
        late += strcmp(s, "OVERDUE") == 0;
        today += strcmp(s, "TODAY") == 0;
    }
    char head[128];
    int n = snprintf(head, sizeof head, "%zu reminder%s", t->n, t->n == 1 ? "" : "s");
    if (late)
        n += snprintf(head + n, sizeof head - (size_t)n, "%s %zu overdue", ":", late);
    if (today)
        snprintf(head + n, sizeof head - (size_t)n, "%s %zu today", late ? "," : ":", today);
    tui_frame_puts(f, r.x, r.y, head, r.w, TUI_A_BOLD);
    char line[FILTER_MAX + 16];
    snprintf(line, sizeof line, "Filter: %s", t->filter[0] ? t->filter : "none (f sets one)");
    tui_frame_puts(f, r.x, r.y + 1, line, r.w, t->filter[0] ? TUI_A_BOLD : TUI_A_DIM);
    int hr = hint_rows(r.w);
    struct tui_rect lr = {r.x, r.y + 2, r.w, r.h - 2 - hr};
    if (t->n == 0)
        tui_frame_puts(f, r.x, r.y + 3,
                       t->filter[0] ? "No reminder matches the filter." : "No reminders yet.",
                       r.w, TUI_A_DIM);
    else
        tui_list_draw(&t->list, f, lr, focused, draw_reminder, t);
    draw_hints(f, r);
}

/* ---- add and edit ---- */

/* "GENERAL*, URGENT" - the codes of a list, the default starred. */
static void
codes_text(struct tui_app *app, enum core_zone zone, enum core_reminder_list which, char *out,
           size_t size, char *def, size_t defsize)
{
    struct core_reminder_code *c = NULL;
    size_t n = 0;
    out[0] = '\0';
    if (core_reminder_codes(tui_app_repo(app), zone, which, &c, &n) != CORE_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%s%s%s", i ? ", " : "", c[i].code,
                 c[i].is_default ? "*" : "");
        if (c[i].is_default && def)
            snprintf(def, defsize, "%s", c[i].code);
    }
    free(c);
}

static void form_ask(struct tui_app *app, struct reminder_form *fm);

static void
form_apply(struct tui_app *app, struct reminder_form *fm)
{
    struct reminders_tab *t = fm->t;
    struct core_reminder_fields fields = {
        .text = fm->text,
        .due = fm->due,
        .type = fm->type[0] ? fm->type : NULL,
        .status = fm->status[0] ? fm->status : NULL,
    };
    int rc;
    long id = fm->id;
    if (fm->edit) {
        rc = core_reminder_edit(tui_app_repo(app), fm->zone, fm->id, &fields);
    } else {
        if (!fields.due[0])
            fields.due = NULL; /* no date */
        rc = core_reminder_add(tui_app_repo(app), t->mms, &fields, &id);
    }
    if (rc != CORE_OK) {
        tui_app_core_error(app, fm->edit ? "Edit reminder" : "Add reminder");
        free(fm);
        return;
    }
    load(t, app);
    bool shown = false;
    for (size_t i = 0; i < t->n; i++)
        if (t->rem[i].id == id && t->rem[i].zone == fm->zone) {
            t->list.sel = i;
            shown = true;
        }
    if (shown)
        tui_app_message(app, TUI_MSG_INFO, "%s", fm->edit ? "Reminder changed" : "Reminder added");
    else
        tui_app_message(app, TUI_MSG_INFO,
                        "%s (the filter hides it: f, then an empty line, shows all)",
                        fm->edit ? "Reminder changed" : "Reminder added");
    free(fm);
}

static void
form_answer(struct tui_app *app, void *ctx, const char *text)
{
    struct reminder_form *fm = ctx;
    if (!text) {
        tui_app_message(app, TUI_MSG_INFO, "%s",
                        fm->edit ? "Reminder unchanged" : "No reminder added");
        free(fm);
        return;
    }
    while (*text == ' ')
        text++;
    switch (fm->step) {
    case ASK_TEXT:
        if (!*text) {
            tui_app_message(app, TUI_MSG_ERROR, "A reminder needs a text (Esc cancels)");
            break; /* ask again */
        }
        snprintf(fm->text, sizeof fm->text, "%s", text);
        fm->step = ASK_DUE;
        app->message[0] = '\0';
        break;
    case ASK_DUE:
        if (*text &&
            core_reminder_date_check(tui_app_repo(app), "the due date", text) != CORE_OK) {
            tui_app_message(app, TUI_MSG_ERROR, "%s", core_repo_errmsg(tui_app_repo(app)));
            break;
        }
        snprintf(fm->due, sizeof fm->due, "%.10s", text);
        fm->step = ASK_TYPE;
        app->message[0] = '\0'; /* an earlier complaint about the date is answered */
        break;
    case ASK_TYPE:
        snprintf(fm->type, sizeof fm->type, "%.*s", (int)strcspn(text, " "), text);
        fm->step = ASK_STATUS;
        break;
    case ASK_STATUS:
        snprintf(fm->status, sizeof fm->status, "%.*s", (int)strcspn(text, " "), text);
        form_apply(app, fm);
        return;
    }
    form_ask(app, fm);
}

static void
form_ask(struct tui_app *app, struct reminder_form *fm)
{
    char q[256], codes[160];
    const char *verb = fm->edit ? "Edit reminder" : "New reminder";
    switch (fm->step) {
    case ASK_TEXT:
        snprintf(q, sizeof q, "%s - text:", verb);
        tui_app_prompt(app, q, fm->text, form_answer, fm);
        return;
    case ASK_DUE:
        snprintf(q, sizeof q, "%s - due date (YYYY-MM-DD, empty: no date):", verb);
        tui_app_prompt(app, q, fm->due, form_answer, fm);
        return;
    case ASK_TYPE:
        codes_text(app, fm->zone, CORE_REMINDER_TYPES, codes, sizeof codes,
                   fm->type[0] ? NULL : fm->type, sizeof fm->type);
        snprintf(q, sizeof q, "%s - type (%s):", verb, codes[0] ? codes : "none defined");
        tui_app_prompt(app, q, fm->type, form_answer, fm);
        return;
    case ASK_STATUS:
        codes_text(app, fm->zone, CORE_REMINDER_STATUSES, codes, sizeof codes,
                   fm->status[0] ? NULL : fm->status, sizeof fm->status);
        snprintf(q, sizeof q, "%s - status (%s):", verb, codes[0] ? codes : "none defined");
        tui_app_prompt(app, q, fm->status, form_answer, fm);
        return;
    }
}

static void
start_add(struct reminders_tab *t, struct tui_app *app)
{
    struct reminder_form *fm = xcalloc(1, sizeof *fm);
    fm->t = t;
    fm->zone = app->info.zone;
    form_ask(app, fm);
}

static void
start_edit(struct reminders_tab *t, struct tui_app *app)
{
    const struct core_reminder *r = &t->rem[t->list.sel];
    struct reminder_form *fm = xcalloc(1, sizeof *fm);
    fm->t = t;
    fm->edit = true;
    fm->id = r->id;
    fm->zone = r->zone;
    snprintf(fm->text, sizeof fm->text, "%s", r->text);
    snprintf(fm->due, sizeof fm->due, "%s", r->due);
    snprintf(fm->type, sizeof fm->type, "%s", r->type);
    snprintf(fm->status, sizeof fm->status, "%s", r->status);
    form_ask(app, fm);
}

/* ---- delete, read, filter ---- */

static void
delete_answer(struct tui_app *app, void *ctx, bool yes)
{
    struct reminders_tab *t = ctx;
    if (!yes)
        return;
    const struct core_reminder *r = &t->rem[t->list.sel];
    if (core_reminder_delete(tui_app_repo(app), r->zone, r->id) != CORE_OK) {
        tui_app_core_error(app, "Delete reminder");
        return;
    }
    load(t, app);
    tui_app_message(app, TUI_MSG_INFO, "Reminder deleted");
}

static void
show_reminder(struct reminders_tab *t, struct tui_app *app)
{
    const struct core_reminder *r = &t->rem[t->list.sel];
    char when[32], title[160];
    core_format_time(r->submitted, when, sizeof when);
    struct marc_buf b = MARC_BUF_INIT;
    const char *state = state_of(t, r);
    marc_buf_printf(&b, "Record:    %s %s\n", r->mms, r->title);
    marc_buf_printf(&b, "Due:       %s%s%s%s\n", r->due[0] ? r->due : "(no date)",
                    *state ? " (" : "", state, *state ? ")" : "");
    marc_buf_printf(&b, "Type:      %s\nStatus:    %s\n", r->type, r->status);
    marc_buf_printf(&b, "Submitted: %s by %s\n\n%s\n", when, r->author, r->text);
    snprintf(title, sizeof title, "Reminder %s%ld", r->zone == CORE_ZONE_NZ ? "nz:" : "", r->id);
    tui_app_show_text(app, title, b.data);
    marc_buf_free(&b);
}

static void
filter_done(struct tui_app *app, void *ctx, const char *text)
{
    struct reminders_tab *t = ctx;
    if (!text)
        return;
    char old[FILTER_MAX];
    snprintf(old, sizeof old, "%s", t->filter);
    snprintf(t->filter, sizeof t->filter, "%s", text + strspn(text, " "));
    if (!parse_filter(t, app)) {
        snprintf(t->filter, sizeof t->filter, "%s", old);
        parse_filter(t, app);
        return;
    }
    t->list.sel = 0;
    t->list.top = 0;
    if (!load(t, app)) {
        /* a bad date: the core's message is shown; the old filter stays */
        snprintf(t->filter, sizeof t->filter, "%s", old);
        parse_filter(t, app);
        char msg[sizeof app->message];
        snprintf(msg, sizeof msg, "%s", app->message);
        load(t, app);
        tui_app_message(app, TUI_MSG_ERROR, "%s", msg);
        return;
    }
    if (t->filter[0])
        tui_app_message(app, TUI_MSG_INFO, "%zu reminder%s the filter", t->n,
                        t->n == 1 ? " matches" : "s match");
    else
        tui_app_message(app, TUI_MSG_INFO, "%zu reminder%s (no filter)", t->n,
                        t->n == 1 ? "" : "s");
}

static bool
reminders_key(void *st, struct tui_app *app, int key)
{
    struct reminders_tab *t = st;
    if (!t->mms[0])
        return false;
    if (key == 'a') {
        start_add(t, app);
        return true;
    }
    if (key == 'f') {
        tui_app_prompt(app,
                       "Filter: type=CODE status=CODE due overdue open before=DATE from=DATE "
                       "to=DATE",
                       t->filter, filter_done, t);
        return true;
    }
    if (!t->n)
        return false;
    if (tui_list_key(&t->list, key, tui_app_right_rows(app) - 2 - hint_rows(app->layout.right.w)))
        return true;
    if (key == 'e') {
        start_edit(t, app);
        return true;
    }
    if (key == 'd') {
        const struct core_reminder *r = &t->rem[t->list.sel];
        char q[200];
        snprintf(q, sizeof q, "Delete the reminder \"%.60s%s\"?", r->text,
                 strlen(r->text) > 60 ? "..." : "");
        tui_app_confirm(app, q, delete_answer, t);
        return true;
    }
    if (key == TUI_KEY_ENTER) {
        show_reminder(t, app);
        return true;
    }
    return false;
}

static void
reminders_changed(void *st, struct tui_app *app)
{
    load(st, app);
}

static void
reminders_shown(void *st, struct tui_app *app)
{
    load(st, app); /* a reminder may have been added elsewhere, or the day changed */
}

const struct tui_tab_ops tui_tab_reminders = {
    .name = "Reminders",
    .label = "Rem",
    .create = reminders_create,
    .destroy = reminders_destroy,
    .draw = reminders_draw,
    .key = reminders_key,
    .record_changed = reminders_changed,
    .shown = reminders_shown,
};
