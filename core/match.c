/*
 * match.c - local fields, linked records made of network and local parts,
 * shared-content comparison and resource types (see match.h).
 */
#include "match.h"

#include <stdio.h>
#include <string.h>

/* ---- local tags ---- */

static bool
pattern_ok(const char *p)
{
    for (int i = 0; i < 3; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || p[i] == 'X' || p[i] == 'x'))
            return false;
    /* Identity and time stamp belong to the record they are in. */
    return !marc_tag_match(p, "001") && !marc_tag_match(p, "005");
}

bool
core_local_tags_parse(const char *text, struct core_local_tags *out, char *bad, size_t badsize)
{
    memset(out, 0, sizeof *out);
    if (bad && badsize)
        bad[0] = '\0';
    for (const char *p = text ? text : ""; *p;) {
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        size_t len = strcspn(p, ", \t");
        if (!len)
            break;
        if (len != 3 || out->n == CORE_LOCAL_TAGS_MAX || !pattern_ok(p)) {
            if (bad && badsize)
                snprintf(bad, badsize, "%.*s", (int)(len > 32 ? 32 : len), p);
            return false;
        }
        for (int i = 0; i < 3; i++)
            out->pattern[out->n][i] = p[i] == 'x' ? 'X' : p[i];
        out->pattern[out->n][3] = '\0';
        out->n++;
        p += len;
    }
    return true;
}

bool
core_local_tag(const struct core_local_tags *t, const char *tag)
{
    if (tag[0] == '9')
        return true;
    for (size_t i = 0; t && i < t->n; i++)
        if (marc_tag_match(t->pattern[i], tag))
            return true;
    return false;
}

/* ---- composing ---- */

/* Insert a copy of f in tag order (after the last field whose tag <= f's). */
static void
add_copy(struct marc_record *out, const struct marc_field *f)
{
    size_t len;
    const char *data = marc_field_data(f, &len);
    const char *tag = marc_field_tag(f);
    if (marc_field_is_control(f)) {
        marc_record_add_control(out, tag, data, len);
        return;
    }
    long at = marc_record_add_data(out, tag, marc_field_ind1(f), marc_field_ind2(f));
    if (at >= 0)
        marc_record_set_body(out, (size_t)at, data, len);
}

/* Append a copy of f at the end (the shared part keeps its order). */
static void
append_copy(struct marc_record *out, const struct marc_field *f)
{
    size_t len;
    const char *data = marc_field_data(f, &len);
    size_t at = marc_record_field_count(out);
    if (marc_field_is_control(f))
        marc_record_insert_control(out, at, marc_field_tag(f), data, len);
    else
        marc_record_insert_body(out, at, marc_field_tag(f), data, len);
}

/* out's control field `tag` as in `from` (removed when from has none). */
static void
control_from(struct marc_record *out, const struct marc_record *from, const char *tag)
{
    size_t len;
    const char *v = marc_record_value(from, tag, 0, &len);
    long i = marc_record_find(out, tag, 0);
    if (v && i >= 0)
        marc_record_set_control(out, (size_t)i, v, len);
    else if (v)
        marc_record_add_control(out, tag, v, len);
    else if (i >= 0)
        marc_record_delete_field(out, (size_t)i);
}

void
core_match_compose(const struct marc_record *shared, const struct marc_record *local,
                   const struct core_local_tags *t, struct marc_record *out)
{
    if (local && core_match_same_shared(shared, local, t)) {
        /* Nothing shared differs: the local record as it is, with the
         * shared record's identity, time stamp and leader. */
        marc_record_copy(out, local);
        marc_record_set_leader(out, marc_record_leader(shared), MARC_LEADER_LEN);
        control_from(out, shared, "001");
        control_from(out, shared, "005");
        return;
    }
    marc_record_clear(out);
    marc_record_set_leader(out, marc_record_leader(shared), MARC_LEADER_LEN);
    size_t n = marc_record_field_count(shared);
    for (size_t i = 0; i < n; i++) {
        const struct marc_field *f = marc_record_field(shared, i);
        if (!core_local_tag(t, marc_field_tag(f)))
            append_copy(out, f);
    }
    n = local ? marc_record_field_count(local) : 0;
    for (size_t i = 0; i < n; i++) {
        const struct marc_field *f = marc_record_field(local, i);
        if (core_local_tag(t, marc_field_tag(f)))
            add_copy(out, f);
    }
}

size_t
core_match_local_count(const struct marc_record *r, const struct core_local_tags *t)
{
    size_t k = 0, n = marc_record_field_count(r);
    for (size_t i = 0; i < n; i++)
        k += core_local_tag(t, marc_field_tag(marc_record_field(r, i)));
    return k;
}

/* Index of the next shared field at or after i that is not 001 or 005. */
static size_t
next_compared(const struct marc_record *r, size_t i, const struct core_local_tags *t)
{
    size_t n = marc_record_field_count(r);
    for (; i < n; i++) {
        const char *tag = marc_field_tag(marc_record_field(r, i));
        if (!core_local_tag(t, tag) && strcmp(tag, "001") != 0 && strcmp(tag, "005") != 0)
            break;
    }
    return i;
}

bool
core_match_same_shared(const struct marc_record *a, const struct marc_record *b,
                       const struct core_local_tags *t)
{
    const char *la = marc_record_leader(a), *lb = marc_record_leader(b);
    if (memcmp(la + 5, lb + 5, 7) != 0 || memcmp(la + 17, lb + 17, 7) != 0)
        return false;
    size_t na = marc_record_field_count(a), nb = marc_record_field_count(b);
    size_t i = next_compared(a, 0, t), k = next_compared(b, 0, t);
    while (i < na && k < nb) {
        if (!marc_field_equal(marc_record_field(a, i), marc_record_field(b, k)))
            return false;
        i = next_compared(a, i + 1, t);
        k = next_compared(b, k + 1, t);
    }
    return i >= na && k >= nb;
}

/* ---- resource types ---- */

static char
type_family(char c)
{
    switch (c) {
    case 't':
        return 'a'; /* manuscript language material: a book all the same */
    case 'd':
        return 'c'; /* manuscript music */
    case 'f':
        return 'e'; /* manuscript map */
    default:
        return c;
    }
}

static bool
level_continuing(char c)
{
    return c == 'b' || c == 'i' || c == 's';
}

bool
core_match_is_serial(const char *leader)
{
    return level_continuing(leader[7]);
}

bool
core_match_type_agrees(const char *leader_a, const char *leader_b)
{
    return type_family(leader_a[6]) == type_family(leader_b[6]) &&
           level_continuing(leader_a[7]) == level_continuing(leader_b[7]);
}

const char *
core_match_type_name(const char *leader)
{
    bool serial = level_continuing(leader[7]);
    switch (type_family(leader[6])) {
    case 'a':
        return serial ? "serial" : "book";
    case 'c':
        return "score";
    case 'e':
        return "map";
    case 'g':
        return "video";
    case 'i':
    case 'j':
        return "sound recording";
    case 'k':
        return "image";
    case 'm':
        return serial ? "electronic serial" : "computer file";
    case 'o':
        return "kit";
    case 'p':
        return "mixed material";
    case 'r':
        return "object";
    default:
        return "other";
    }
}
