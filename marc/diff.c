/*
 * diff.c - record equality and field-level diff (see diff.h).
 */
#include "diff.h"

#include "buf.h"
#include "marc-int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool
leader_equal(const char *a, const char *b)
{
    return memcmp(a + 5, b + 5, 7) == 0 && memcmp(a + 17, b + 17, 7) == 0;
}

bool
marc_record_equal(const struct marc_record *a, const struct marc_record *b)
{
    if (!leader_equal(a->leader, b->leader) || a->nfields != b->nfields)
        return false;
    for (size_t i = 0; i < a->nfields; i++)
        if (!marc_field_equal(&a->fields[i], &b->fields[i]))
            return false;
    return true;
}

static void
push(struct marc_diff *d, size_t *cap, enum marc_diff_kind k, long a, long b)
{
    if (d->n == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        d->ops = xrealloc(d->ops, *cap * sizeof *d->ops);
    }
    d->ops[d->n++] = (struct marc_diff_op){k, a, b};
    if (k == MARC_DIFF_ADDED)
        d->added++;
    else if (k == MARC_DIFF_REMOVED)
        d->removed++;
    else if (k == MARC_DIFF_CHANGED)
        d->changed++;
}

/*
 * Emit one gap between two anchors: fields a[a0..a1) were removed and
 * b[b0..b1) added.  A removed and an added field with the same tag pair up as
 * a change, in order; what stays unpaired is reported as removed or added at
 * its place.
 */
static void
emit_gap(const struct marc_record *a, size_t a0, size_t a1, const struct marc_record *b,
         size_t b0, size_t b1, struct marc_diff *d, size_t *cap)
{
    size_t na = a1 - a0;
    long *pair = xmalloc((na ? na : 1) * sizeof *pair); /* a index -> b index or -1 */
    bool *used = xcalloc(b1 - b0 + 1, sizeof *used);
    for (size_t i = 0; i < na; i++) {
        pair[i] = -1;
        for (size_t j = b0; j < b1; j++) {
            if (!used[j - b0] && memcmp(a->fields[a0 + i].tag, b->fields[j].tag, 3) == 0) {
                used[j - b0] = true;
                pair[i] = (long)j;
                break;
            }
        }
    }
    bool *done = xcalloc(na + 1, sizeof *done);
    for (size_t j = b0; j < b1; j++) {
        if (!used[j - b0]) {
            push(d, cap, MARC_DIFF_ADDED, -1, (long)j);
            continue;
        }
        size_t k = 0;
        while (pair[k] != (long)j)
            k++;
        /* Removed fields that stood before the changed one are shown first. */
        for (size_t x = 0; x < k; x++)
            if (pair[x] < 0 && !done[x]) {
                push(d, cap, MARC_DIFF_REMOVED, (long)(a0 + x), -1);
                done[x] = true;
            }
        push(d, cap, MARC_DIFF_CHANGED, (long)(a0 + k), (long)j);
        done[k] = true;
    }
    for (size_t x = 0; x < na; x++)
        if (!done[x])
            push(d, cap, MARC_DIFF_REMOVED, (long)(a0 + x), -1);
    free(done);
    free(pair);
    free(used);
}

void
marc_diff_records(const struct marc_record *a, const struct marc_record *b, struct marc_diff *out)
{
    memset(out, 0, sizeof *out);
    size_t cap = 0;
    out->leader_changed = !leader_equal(a->leader, b->leader);
    size_t n = a->nfields, m = b->nfields;
    /* Common prefix and suffix first: most diffs touch a few fields. */
    size_t pre = 0;
    while (pre < n && pre < m && marc_field_equal(&a->fields[pre], &b->fields[pre]))
        pre++;
    size_t suf = 0;
    while (suf < n - pre && suf < m - pre &&
           marc_field_equal(&a->fields[n - 1 - suf], &b->fields[m - 1 - suf]))
        suf++;
    for (size_t i = 0; i < pre; i++)
        push(out, &cap, MARC_DIFF_SAME, (long)i, (long)i);

    size_t ra = n - pre - suf, rb = m - pre - suf;
    /* LCS table over the middle, (ra+1) x (rb+1). */
    uint32_t *t = xcalloc((ra + 1) * (rb + 1), sizeof *t);
#define T(i, j) t[(i) * (rb + 1) + (j)]
    for (size_t i = ra; i-- > 0;)
        for (size_t j = rb; j-- > 0;)
            T(i, j) = marc_field_equal(&a->fields[pre + i], &b->fields[pre + j])
                          ? T(i + 1, j + 1) + 1
                          : (T(i + 1, j) > T(i, j + 1) ? T(i + 1, j) : T(i, j + 1));
    size_t i = 0, j = 0, gi = 0, gj = 0;
    while (i < ra && j < rb) {
        if (marc_field_equal(&a->fields[pre + i], &b->fields[pre + j])) {
            emit_gap(a, pre + gi, pre + i, b, pre + gj, pre + j, out, &cap);
            push(out, &cap, MARC_DIFF_SAME, (long)(pre + i), (long)(pre + j));
            i++, j++;
            gi = i, gj = j;
        } else if (T(i + 1, j) >= T(i, j + 1)) {
            i++;
        } else {
            j++;
        }
    }
#undef T
    free(t);
    emit_gap(a, pre + gi, pre + ra, b, pre + gj, pre + rb, out, &cap);
    for (size_t k = 0; k < suf; k++)
        push(out, &cap, MARC_DIFF_SAME, (long)(n - suf + k), (long)(m - suf + k));
}

void
marc_diff_free(struct marc_diff *d)
{
    if (!d)
        return;
    free(d->ops);
    memset(d, 0, sizeof *d);
}
