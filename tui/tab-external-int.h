/*
 * tab-external-int.h - what the two files of the External tab share:
 * tab-external.c (targets, the search, the hits, a hit shown whole) and
 * tab-external-plan.c (the dry run of Copy & Merge, Copy & Overlay or
 * Import, and applying it).
 */
#ifndef TUI_TAB_EXTERNAL_INT_H
#define TUI_TAB_EXTERNAL_INT_H

#include "app-int.h"
#include "list.h"
#include "textbox.h"

#include "merge.h"
#include "targets.h"
#include "z3950.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define TUI_EXTERNAL_PAGE 20 /* records asked for at a time */

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
    size_t target;                     /* the chosen one */
    char chosen[CORE_TARGET_NAME_MAX]; /* its name: the choice stays for the session */
    char targets_error[400];
    struct tui_input query;
    /* the search */
    struct core_zsearch *s;
    struct core_target cur;       /* the target of s */
    char searched[TUI_INPUT_MAX]; /* the query of s */
    struct timespec since;        /* when the running step began */
    bool fetching;                /* more records are on their way */
    bool stored;                  /* kept as the user's last search */
    long hits;                    /* the target's count; -1 until known */
    char error[700];              /* why the search or a fetch failed */
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
    bool show_result;     /* r: the record as it will be, not the diff */
    enum phase plan_from; /* where Esc goes back to */
    struct tui_textbox text;
    struct tui_editor *result;
    struct tui_record_view rstate;
};

/* ---- tab-external.c ---- */
/* True when hit i can be merged or imported; else the message says why. */
bool tui_external_usable(struct external_tab *t, struct tui_app *app, size_t i);
/* The key hints on the last row of the tab. */
void tui_external_hints(struct tui_frame *f, struct tui_rect r, const char *text);

/* ---- tab-external-plan.c ---- */
/* Make the core's plan of `mode` for hit i and show its dry run (PH_PLAN),
 * or say in a message why it cannot be made. */
void tui_external_plan(struct external_tab *t, struct tui_app *app, enum core_merge_mode mode,
                       size_t i);
/* Forget the plan (nothing is applied). */
void tui_external_drop_plan(struct external_tab *t);
void tui_external_plan_draw(struct external_tab *t, struct tui_frame *f, struct tui_rect r);
bool tui_external_plan_key(struct external_tab *t, struct tui_app *app, int key);

#endif
