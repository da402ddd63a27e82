/*
 * diff.h - comparing records: equality and a field-level diff.
 *
 * Versions, merge previews and relink previews all show "what changes" as a
 * list of fields added, removed and changed.  The diff aligns the two field
 * lists by longest common subsequence of whole fields, then pairs a removed
 * and an added field with the same tag in the same gap as one change.
 */
#ifndef MARC_DIFF_H
#define MARC_DIFF_H

#include "record.h"

#include <stdbool.h>
#include <stddef.h>

enum marc_diff_kind {
    MARC_DIFF_SAME,
    MARC_DIFF_ADDED,   /* only in b */
    MARC_DIFF_REMOVED, /* only in a */
    MARC_DIFF_CHANGED, /* same tag, different content */
};

struct marc_diff_op {
    enum marc_diff_kind kind;
    long a; /* field index in a, -1 for ADDED */
    long b; /* field index in b, -1 for REMOVED */
};

struct marc_diff {
    struct marc_diff_op *ops; /* in display order: b's order, removals where they stood */
    size_t n;
    bool leader_changed; /* leader differs outside the computed length positions */
    size_t added, removed, changed;
};

/*
 * Leaders equal except positions 0-4 and 12-16 (lengths an encoder computes),
 * and the same fields in the same order.
 */
bool marc_record_equal(const struct marc_record *a, const struct marc_record *b);

/* Compute the field-level diff from a to b into *out (free with marc_diff_free). */
void marc_diff_records(const struct marc_record *a, const struct marc_record *b,
                       struct marc_diff *out /* OUT */);
void marc_diff_free(struct marc_diff *d);

#endif
