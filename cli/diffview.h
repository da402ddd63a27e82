/*
 * diffview.h - showing what an operation does to a record before it is
 * done (merge previews, rule tests): the field-level diff of marc/diff.h
 * as marked lines, or the two records side by side on a wide terminal.
 */
#ifndef CLI_DIFFVIEW_H
#define CLI_DIFFVIEW_H

#include "record.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct cli_diffview {
    bool side_by_side;  /* two columns instead of marked lines */
    int width;          /* columns of the side-by-side view */
    const char *left;   /* column titles ("local 991…", "after the merge") */
    const char *right;
    /* tags whose fields are marked "(local)" in the line view (may be NULL) */
    bool (*is_local)(void *ctx, const char *tag);
    void *local_ctx;
};

/* What the diff found. */
struct cli_diffcount {
    size_t same, added, removed, changed;
    bool leader_changed;
};

/*
 * Print the diff from a to b to fp.  Line view, one line per field (the
 * Alma-like "245 10 $$a …"):
 *   = FIELD      the same in both (survives)
 *   - FIELD      only in a (goes)
 *   + FIELD      only in b (comes)
 *   ~ FIELD      changed: as in a, then "    -> FIELD" as in b
 * The side-by-side view puts a on the left, b on the right, the marker
 * between them, long fields wrapped.  Returns the counts in *count (may be
 * NULL).
 */
void cli_diffview_print(FILE *fp, const struct marc_record *a, const struct marc_record *b,
                        const struct cli_diffview *v, struct cli_diffcount *count);

/*
 * Pick the view: forced (1 side by side, 0 lines) or, when force is -1,
 * side by side when stdout is a terminal at least 120 columns wide.  Sets
 * v->side_by_side and v->width ($COLUMNS, else the terminal, else 160).
 */
void cli_diffview_choose(struct cli_diffview *v, int force);

#endif
