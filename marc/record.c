/*
 * record.c - the MARC record model (see record.h).
 *
 * Fields live in one array; each field's bytes either borrow from the
 * record's raw backing store (filled once by a codec) or sit in a buffer the
 * field owns.  The first edit of a borrowed field copies it (copy on write),
 * so decoding never allocates per field and editing never touches the rest.
 */
#include "marc-int.h"

#include "buf.h"
#include "diag.h"

#include <stdlib.h>
#include <string.h>

static const char default_leader[] = "00000nam a2200000 i 4500";

struct marc_record *
marc_record_new(void)
{
    struct marc_record *r = xcalloc(1, sizeof *r);
    memcpy(r->leader, default_leader, sizeof default_leader);
    return r;
}

static void
field_release(struct marc_field *f)
{
    if (f->owned)
        free(f->data);
    f->data = NULL;
    f->owned = 0;
    f->len = f->cap = 0;
}

void
marc_record_clear(struct marc_record *r)
{
    /* Only owned buffers need freeing: a slot is reset when it is used again. */
    for (size_t i = 0; i < r->nfields; i++)
        if (r->fields[i].owned)
            field_release(&r->fields[i]);
    r->nfields = 0;
    r->raw_len = 0;
    memcpy(r->leader, default_leader, sizeof default_leader);
}

void
marc_record_free(struct marc_record *r)
{
    if (!r)
        return;
    marc_record_clear(r);
    free(r->fields);
    free(r->raw);
    free(r);
}

char *
marc_record_raw_reserve(struct marc_record *r, size_t n)
{
    if (n > r->raw_cap) {
        size_t cap = r->raw_cap ? r->raw_cap : 4096;
        while (cap < n)
            cap *= 2;
        /* No field borrows from raw here (caller contract), so no fix-ups. */
        free(r->raw);
        r->raw = xmalloc(cap);
        r->raw_cap = cap;
    }
    r->raw_len = n;
    return r->raw;
}

static struct marc_field *
field_slot(struct marc_record *r, size_t at)
{
    if (r->nfields == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 32;
        r->fields = xrealloc(r->fields, r->cap * sizeof *r->fields);
    }
    if (at < r->nfields)
        memmove(&r->fields[at + 1], &r->fields[at], (r->nfields - at) * sizeof *r->fields);
    r->nfields++;
    struct marc_field *f = &r->fields[at];
    memset(f, 0, sizeof *f);
    return f;
}

struct marc_field *
marc_record_push_borrowed(struct marc_record *r, const char *tag, bool control, const char *data,
                          size_t len)
{
    struct marc_field *f = field_slot(r, r->nfields);
    memcpy(f->tag, tag, 3);
    f->tag[3] = '\0';
    f->control = control;
    f->data = (char *)data;
    f->len = (uint32_t)len;
    return f;
}

static void
field_set_copy(struct marc_field *f, const char *data, size_t len)
{
    f->cap = (uint32_t)(len + 16);
    f->data = xmalloc(f->cap);
    if (len)
        memcpy(f->data, data, len);
    f->len = (uint32_t)len;
    f->owned = 1;
}

struct marc_field *
marc_record_push_copy(struct marc_record *r, const char *tag, bool control, const char *data,
                      size_t len)
{
    struct marc_field *f = field_slot(r, r->nfields);
    memcpy(f->tag, tag, 3);
    f->tag[3] = '\0';
    f->control = control;
    field_set_copy(f, data, len);
    return f;
}

void
marc_record_copy(struct marc_record *dst, const struct marc_record *src)
{
    if (dst == src)
        return;
    marc_record_clear(dst);
    memcpy(dst->leader, src->leader, sizeof dst->leader);
    /* One backing store for all fields keeps the copy to two allocations. */
    size_t total = 0;
    for (size_t i = 0; i < src->nfields; i++)
        total += src->fields[i].len;
    char *raw = marc_record_raw_reserve(dst, total);
    for (size_t i = 0; i < src->nfields; i++) {
        const struct marc_field *s = &src->fields[i];
        marc_record_push_borrowed(dst, s->tag, s->control, raw, s->len);
        if (s->len) { /* raw is NULL when every field is empty */
            memcpy(raw, s->data, s->len);
            raw += s->len;
        }
    }
}

struct marc_record *
marc_record_clone(const struct marc_record *r)
{
    struct marc_record *c = marc_record_new();
    marc_record_copy(c, r);
    return c;
}

const char *
marc_record_leader(const struct marc_record *r)
{
    return r->leader;
}

int
marc_record_set_leader(struct marc_record *r, const char *leader, size_t len)
{
    if (len != MARC_LEADER_LEN)
        return MARC_ERR_INVALID;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)leader[i] < 0x20 || (unsigned char)leader[i] > 0x7E)
            return MARC_ERR_INVALID;
    memcpy(r->leader, leader, MARC_LEADER_LEN);
    r->leader[MARC_LEADER_LEN] = '\0';
    return MARC_OK;
}

int
marc_record_set_leader_byte(struct marc_record *r, int pos, char c)
{
    if (pos < 0 || pos >= MARC_LEADER_LEN)
        return MARC_ERR_RANGE;
    if ((unsigned char)c < 0x20 || (unsigned char)c > 0x7E)
        return MARC_ERR_INVALID;
    r->leader[pos] = c;
    return MARC_OK;
}

bool
marc_record_is_utf8(const struct marc_record *r)
{
    return r->leader[9] == 'a';
}

size_t
marc_record_field_count(const struct marc_record *r)
{
    return r->nfields;
}

const struct marc_field *
marc_record_field(const struct marc_record *r, size_t i)
{
    return i < r->nfields ? &r->fields[i] : NULL;
}

bool
marc_tag_match(const char *pattern, const char *tag)
{
    for (int k = 0; k < 3; k++) {
        char p = pattern[k];
        if (p == 'X' || p == 'x')
            continue;
        if (p != tag[k])
            return false;
    }
    return true;
}

long
marc_record_find(const struct marc_record *r, const char *pattern, size_t from)
{
    for (size_t i = from; i < r->nfields; i++)
        if (marc_tag_match(pattern, r->fields[i].tag))
            return (long)i;
    return -1;
}

int
marc_record_occurrence(const struct marc_record *r, size_t i)
{
    if (i >= r->nfields)
        return 0;
    int n = 1;
    for (size_t j = 0; j < i; j++)
        if (memcmp(r->fields[j].tag, r->fields[i].tag, 3) == 0)
            n++;
    return n;
}

int
marc_record_next_occurrence(const struct marc_record *r, const char *tag)
{
    int n = 1;
    for (size_t i = 0; i < r->nfields; i++)
        if (memcmp(r->fields[i].tag, tag, 3) == 0)
            n++;
    return n;
}

const char *
marc_record_value(const struct marc_record *r, const char *tag, char code, size_t *len)
{
    long i = marc_record_find(r, tag, 0);
    if (i < 0)
        return NULL;
    const struct marc_field *f = &r->fields[i];
    if (f->control) {
        if (len)
            *len = f->len;
        return f->data;
    }
    return marc_field_value(f, code, len);
}

/* ---- field reading ---- */

const char *
marc_field_tag(const struct marc_field *f)
{
    return f->tag;
}

bool
marc_field_is_control(const struct marc_field *f)
{
    return f->control;
}

char
marc_field_ind1(const struct marc_field *f)
{
    return f->control || f->len < 1 ? ' ' : f->data[0];
}

char
marc_field_ind2(const struct marc_field *f)
{
    return f->control || f->len < 2 ? ' ' : f->data[1];
}

const char *
marc_field_data(const struct marc_field *f, size_t *len)
{
    if (len)
        *len = f->len;
    return f->data ? f->data : "";
}

bool
marc_field_next_subfield(const struct marc_field *f, size_t *cursor, struct marc_subfield *out)
{
    if (f->control)
        return false;
    size_t pos = *cursor < 2 ? 2 : *cursor;
    /* Invariant: a data field's body after the indicators is empty or starts
     * with a delimiter, and every delimiter is followed by a code. */
    if (pos + 1 >= f->len || f->data[pos] != MARC_SUBFIELD_DELIM)
        return false;
    const char *start = f->data + pos + 2;
    const char *end = f->data + f->len;
    const char *next = memchr(start, MARC_SUBFIELD_DELIM, (size_t)(end - start));
    if (!next)
        next = end;
    out->code = f->data[pos + 1];
    out->value = start;
    out->len = (size_t)(next - start);
    *cursor = (size_t)(next - f->data);
    return true;
}

size_t
marc_field_subfield_count(const struct marc_field *f)
{
    if (f->control || f->len <= 2)
        return 0;
    size_t n = 0;
    const char *p = f->data + 2, *end = f->data + f->len;
    while (p < end && (p = memchr(p, MARC_SUBFIELD_DELIM, (size_t)(end - p)))) {
        n++;
        p++;
    }
    return n;
}

bool
marc_field_subfield(const struct marc_field *f, size_t k, struct marc_subfield *out)
{
    size_t cur = 0;
    struct marc_subfield sf;
    for (size_t i = 0; marc_field_next_subfield(f, &cur, &sf); i++) {
        if (i == k) {
            *out = sf;
            return true;
        }
    }
    return false;
}

const char *
marc_field_value(const struct marc_field *f, char code, size_t *len)
{
    size_t cur = 0;
    struct marc_subfield sf;
    while (marc_field_next_subfield(f, &cur, &sf)) {
        if (sf.code == code) {
            if (len)
                *len = sf.len;
            return sf.value;
        }
    }
    return NULL;
}

bool
marc_field_equal(const struct marc_field *a, const struct marc_field *b)
{
    return memcmp(a->tag, b->tag, 3) == 0 && a->control == b->control && a->len == b->len &&
           (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

bool
marc_tag_is_control(const char *tag)
{
    return tag[0] == '0' && tag[1] == '0' && tag[2] >= '0' && tag[2] <= '9';
}

static bool
is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool
marc_tag_is_leader(const char *tag)
{
    return (tag[0] | 0x20) == 'l' && (tag[1] | 0x20) == 'd' && (tag[2] | 0x20) == 'r';
}

bool
marc_tag_is_valid(const char *tag)
{
    /* "LDR" names the leader in .mrk, lint and messages: a field so tagged
     * would read back as a second leader. */
    return tag && is_alnum(tag[0]) && is_alnum(tag[1]) && is_alnum(tag[2]) && tag[3] == '\0' &&
           !marc_tag_is_leader(tag);
}

bool
marc_subfield_code_ok(char code)
{
    return (unsigned char)code > 0x20 && (unsigned char)code < 0x7F;
}

bool
marc_value_ok(const char *value, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)value[i];
        if (c == 0 || c == 0x1D || c == 0x1E || c == 0x1F)
            return false;
    }
    return true;
}

bool
marc_tag_is_numeric(const char *tag)
{
    return tag[0] >= '0' && tag[0] <= '9' && tag[1] >= '0' && tag[1] <= '9' && tag[2] >= '0' &&
           tag[2] <= '9';
}

static bool
indicator_ok(char c)
{
    return (unsigned char)c >= 0x20 && (unsigned char)c < 0x7F;
}

/* A data-field body: two indicators, then nothing or delimiter+code+value runs. */
static bool
body_ok(const char *body, size_t len)
{
    if (len < 2 || !indicator_ok(body[0]) || !indicator_ok(body[1]))
        return false;
    if (len == 2)
        return true;
    if (body[2] != MARC_SUBFIELD_DELIM)
        return false;
    for (size_t i = 2; i < len; i++) {
        unsigned char c = (unsigned char)body[i];
        if (c == 0 || c == 0x1D || c == 0x1E)
            return false;
        if (c == 0x1F && (i + 1 >= len || !marc_subfield_code_ok(body[i + 1])))
            return false;
    }
    return true;
}

/* ---- field editing ---- */

/* Give f an owned buffer with room for `extra` more bytes (copy on write). */
static void
field_own(struct marc_field *f, size_t extra)
{
    size_t need = f->len + extra;
    if (f->owned && need <= f->cap)
        return;
    size_t cap = need + need / 2 + 16;
    char *p = xmalloc(cap);
    if (f->len)
        memcpy(p, f->data, f->len);
    if (f->owned)
        free(f->data);
    f->data = p;
    f->cap = (uint32_t)cap;
    f->owned = 1;
}

/* Replace bytes [pos, pos+del) of field data with `ins`. */
static void
field_splice(struct marc_field *f, size_t pos, size_t del, const char *ins, size_t inslen)
{
    field_own(f, inslen > del ? inslen - del : 0);
    memmove(f->data + pos + inslen, f->data + pos + del, f->len - pos - del);
    if (inslen)
        memcpy(f->data + pos, ins, inslen);
    f->len = (uint32_t)(f->len - del + inslen);
}

static struct marc_field *
data_field(struct marc_record *r, size_t i)
{
    if (i >= r->nfields || r->fields[i].control)
        return NULL;
    return &r->fields[i];
}

int
marc_record_insert_control(struct marc_record *r, size_t at, const char *tag, const char *data,
                           size_t len)
{
    if (at > r->nfields)
        return MARC_ERR_RANGE;
    if (!marc_tag_is_valid(tag) || !marc_value_ok(data, len))
        return MARC_ERR_INVALID;
    /* Numeric tags outside 00X are data fields in every format. */
    if (marc_tag_is_numeric(tag) && !marc_tag_is_control(tag))
        return MARC_ERR_INVALID;
    struct marc_field *f = field_slot(r, at);
    memcpy(f->tag, tag, 4);
    f->control = 1;
    field_set_copy(f, data, len);
    return MARC_OK;
}

int
marc_record_insert_body(struct marc_record *r, size_t at, const char *tag, const char *body,
                        size_t len)
{
    if (at > r->nfields)
        return MARC_ERR_RANGE;
    /* A 00X data field is not MARC 21, but non-MARC 21 records have them
     * (lint reports it); refusing would make such records unreadable. */
    if (!marc_tag_is_valid(tag) || !body_ok(body, len))
        return MARC_ERR_INVALID;
    struct marc_field *f = field_slot(r, at);
    memcpy(f->tag, tag, 4);
    f->control = 0;
    field_set_copy(f, body, len);
    return MARC_OK;
}

int
marc_record_insert_data(struct marc_record *r, size_t at, const char *tag, char ind1, char ind2)
{
    char body[2] = {ind1, ind2};
    return marc_record_insert_body(r, at, tag, body, 2);
}

/* Index after the last field whose tag sorts <= tag (tag order insertion). */
static size_t
tag_order_slot(const struct marc_record *r, const char *tag)
{
    size_t at = r->nfields;
    while (at > 0 && memcmp(r->fields[at - 1].tag, tag, 3) > 0)
        at--;
    return at;
}

long
marc_record_add_control(struct marc_record *r, const char *tag, const char *data, size_t len)
{
    if (!tag || !marc_tag_is_valid(tag))
        return MARC_ERR_INVALID;
    size_t at = tag_order_slot(r, tag);
    int rc = marc_record_insert_control(r, at, tag, data, len);
    return rc < 0 ? rc : (long)at;
}

long
marc_record_add_data(struct marc_record *r, const char *tag, char ind1, char ind2)
{
    if (!tag || !marc_tag_is_valid(tag))
        return MARC_ERR_INVALID;
    size_t at = tag_order_slot(r, tag);
    int rc = marc_record_insert_data(r, at, tag, ind1, ind2);
    return rc < 0 ? rc : (long)at;
}

int
marc_record_delete_field(struct marc_record *r, size_t i)
{
    if (i >= r->nfields)
        return MARC_ERR_RANGE;
    field_release(&r->fields[i]);
    memmove(&r->fields[i], &r->fields[i + 1], (r->nfields - i - 1) * sizeof *r->fields);
    r->nfields--;
    return MARC_OK;
}

int
marc_record_move_field(struct marc_record *r, size_t i, size_t to)
{
    if (i >= r->nfields || to >= r->nfields)
        return MARC_ERR_RANGE;
    struct marc_field f = r->fields[i];
    if (to > i)
        memmove(&r->fields[i], &r->fields[i + 1], (to - i) * sizeof f);
    else if (to < i)
        memmove(&r->fields[to + 1], &r->fields[to], (i - to) * sizeof f);
    r->fields[to] = f;
    return MARC_OK;
}

int
marc_record_duplicate_field(struct marc_record *r, size_t i)
{
    if (i >= r->nfields)
        return MARC_ERR_RANGE;
    struct marc_field *f = field_slot(r, i + 1);
    const struct marc_field *src = &r->fields[i]; /* after the slot shifted the tail */
    memcpy(f->tag, src->tag, 4);
    f->control = src->control;
    field_set_copy(f, src->data, src->len);
    return MARC_OK;
}

int
marc_record_set_tag(struct marc_record *r, size_t i, const char *tag)
{
    if (i >= r->nfields)
        return MARC_ERR_RANGE;
    if (!marc_tag_is_valid(tag))
        return MARC_ERR_INVALID;
    struct marc_field *f = &r->fields[i];
    /* A numeric tag must keep its kind; alphanumeric local tags may be either. */
    if (marc_tag_is_numeric(tag) && marc_tag_is_control(tag) != (bool)f->control)
        return MARC_ERR_INVALID;
    memcpy(f->tag, tag, 4);
    return MARC_OK;
}

int
marc_record_set_indicator(struct marc_record *r, size_t i, int which, char c)
{
    struct marc_field *f = data_field(r, i);
    if (!f || (which != 1 && which != 2))
        return MARC_ERR_RANGE;
    if (!indicator_ok(c))
        return MARC_ERR_INVALID;
    field_own(f, 0);
    f->data[which - 1] = c;
    return MARC_OK;
}

int
marc_record_set_control(struct marc_record *r, size_t i, const char *data, size_t len)
{
    if (i >= r->nfields || !r->fields[i].control)
        return MARC_ERR_RANGE;
    if (!marc_value_ok(data, len))
        return MARC_ERR_INVALID;
    struct marc_field *f = &r->fields[i];
    field_splice(f, 0, f->len, data, len);
    return MARC_OK;
}

int
marc_record_set_body(struct marc_record *r, size_t i, const char *body, size_t len)
{
    struct marc_field *f = data_field(r, i);
    if (!f)
        return MARC_ERR_RANGE;
    if (!body_ok(body, len))
        return MARC_ERR_INVALID;
    field_splice(f, 0, f->len, body, len);
    return MARC_OK;
}

/* Byte span [*start, *end) of subfield k including its delimiter and code. */
static bool
subfield_span(const struct marc_field *f, size_t k, size_t *start, size_t *end)
{
    size_t cur = 0, i = 0;
    struct marc_subfield sf;
    size_t begin = 2;
    while (marc_field_next_subfield(f, &cur, &sf)) {
        if (i == k) {
            *start = begin;
            *end = cur;
            return true;
        }
        begin = cur;
        i++;
    }
    if (k == i) { /* one past the last: an empty span at the end */
        *start = *end = f->len;
        return false;
    }
    *start = *end = 0;
    return false;
}

int
marc_record_insert_subfield(struct marc_record *r, size_t i, size_t k, char code,
                            const char *value, size_t len)
{
    struct marc_field *f = data_field(r, i);
    if (!f)
        return MARC_ERR_RANGE;
    if (!marc_subfield_code_ok(code) || !marc_value_ok(value, len))
        return MARC_ERR_INVALID;
    size_t start, end;
    if (!subfield_span(f, k, &start, &end) && start == 0)
        return MARC_ERR_RANGE;
    field_own(f, len + 2);
    memmove(f->data + start + len + 2, f->data + start, f->len - start);
    f->data[start] = MARC_SUBFIELD_DELIM;
    f->data[start + 1] = code;
    if (len)
        memcpy(f->data + start + 2, value, len);
    f->len = (uint32_t)(f->len + len + 2);
    return MARC_OK;
}

int
marc_record_append_subfield(struct marc_record *r, size_t i, char code, const char *value,
                            size_t len)
{
    struct marc_field *f = data_field(r, i);
    if (!f)
        return MARC_ERR_RANGE;
    return marc_record_insert_subfield(r, i, marc_field_subfield_count(f), code, value, len);
}

int
marc_record_delete_subfield(struct marc_record *r, size_t i, size_t k)
{
    struct marc_field *f = data_field(r, i);
    size_t start, end;
    if (!f || !subfield_span(f, k, &start, &end))
        return MARC_ERR_RANGE;
    field_splice(f, start, end - start, NULL, 0);
    return MARC_OK;
}

int
marc_record_move_subfield(struct marc_record *r, size_t i, size_t k, size_t to)
{
    struct marc_field *f = data_field(r, i);
    size_t start, end;
    if (!f || !subfield_span(f, k, &start, &end) || to >= marc_field_subfield_count(f))
        return MARC_ERR_RANGE;
    if (to == k)
        return MARC_OK;
    size_t n = end - start;
    char *tmp = xmalloc(n);
    memcpy(tmp, f->data + start, n);
    field_splice(f, start, n, NULL, 0);
    size_t s2, e2;
    if (!subfield_span(f, to, &s2, &e2))
        s2 = f->len; /* moving past the last remaining one */
    field_splice(f, s2, 0, tmp, n);
    free(tmp);
    return MARC_OK;
}

int
marc_record_duplicate_subfield(struct marc_record *r, size_t i, size_t k)
{
    struct marc_field *f = data_field(r, i);
    size_t start, end;
    if (!f || !subfield_span(f, k, &start, &end))
        return MARC_ERR_RANGE;
    size_t n = end - start;
    char *tmp = xmalloc(n);
    memcpy(tmp, f->data + start, n);
    field_splice(f, end, 0, tmp, n);
    free(tmp);
    return MARC_OK;
}

int
marc_record_set_subfield(struct marc_record *r, size_t i, size_t k, const char *value, size_t len)
{
    struct marc_field *f = data_field(r, i);
    size_t start, end;
    if (!f || !subfield_span(f, k, &start, &end))
        return MARC_ERR_RANGE;
    if (!marc_value_ok(value, len))
        return MARC_ERR_INVALID;
    field_splice(f, start + 2, end - start - 2, value, len);
    return MARC_OK;
}

int
marc_record_set_subfield_code(struct marc_record *r, size_t i, size_t k, char code)
{
    struct marc_field *f = data_field(r, i);
    size_t start, end;
    if (!f || !subfield_span(f, k, &start, &end))
        return MARC_ERR_RANGE;
    if (!marc_subfield_code_ok(code))
        return MARC_ERR_INVALID;
    field_own(f, 0);
    f->data[start + 1] = code;
    return MARC_OK;
}
