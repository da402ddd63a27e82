/*
 * editor.c - the line-based record editing model (see editor.h).
 *
 * Undo keeps whole snapshots of the lines: a record is a few kilobytes, so
 * a snapshot per command (typing runs coalesced into one) is cheaper and
 * simpler than inverse operations, and cannot drift out of step.
 */
#include "editor.h"

#include "buf.h"
#include "utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNDO_MAX 200

struct line {
    char *s;
    size_t len, cap;
};

struct snapshot {
    struct line *lines;
    size_t n;
    size_t cur_line, cur_col;
};

enum last_op { OP_NONE, OP_TYPE, OP_OTHER };

struct tui_editor {
    struct line *lines;
    size_t n, cap;
    size_t cur_line, cur_col;
    bool modified, readonly;
    unsigned long generation;
    struct snapshot undo[UNDO_MAX];
    size_t nundo;
    struct snapshot redo[UNDO_MAX];
    size_t nredo;
    enum last_op last;
    size_t last_line;
};

/* ---- lines ---- */

static void
line_set(struct line *l, const char *s, size_t len)
{
    if (len + 1 > l->cap) {
        l->cap = len + 32;
        l->s = xrealloc(l->s, l->cap);
    }
    if (len)
        memmove(l->s, s, len);
    l->len = len;
    l->s[len] = '\0';
}

static void
line_splice(struct line *l, size_t at, size_t del, const char *ins, size_t n)
{
    if (l->len - del + n + 1 > l->cap) {
        l->cap = l->len - del + n + 32;
        l->s = xrealloc(l->s, l->cap);
    }
    memmove(l->s + at + n, l->s + at + del, l->len - at - del + 1);
    if (n)
        memcpy(l->s + at, ins, n);
    l->len = l->len - del + n;
}

static void
lines_free(struct line *lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i].s);
    free(lines);
}

static struct line *
lines_copy(const struct line *src, size_t n)
{
    struct line *d = xcalloc(n ? n : 1, sizeof *d);
    for (size_t i = 0; i < n; i++)
        line_set(&d[i], src[i].s, src[i].len);
    return d;
}

static void
insert_line_at(struct tui_editor *ed, size_t at, const char *s, size_t len)
{
    if (ed->n == ed->cap) {
        ed->cap = ed->cap ? ed->cap * 2 : 32;
        ed->lines = xrealloc(ed->lines, ed->cap * sizeof *ed->lines);
    }
    memmove(&ed->lines[at + 1], &ed->lines[at], (ed->n - at) * sizeof *ed->lines);
    memset(&ed->lines[at], 0, sizeof *ed->lines);
    line_set(&ed->lines[at], s, len);
    ed->n++;
}

static void
remove_line_at(struct tui_editor *ed, size_t at)
{
    free(ed->lines[at].s);
    memmove(&ed->lines[at], &ed->lines[at + 1], (ed->n - at - 1) * sizeof *ed->lines);
    ed->n--;
}

/* ---- line shapes ---- */

static bool
is_leader(const struct line *l)
{
    return l->len >= 3 && memcmp(l->s, "LDR", 3) == 0;
}

static bool
is_control(const struct line *l)
{
    return is_leader(l) || (l->len >= 3 && l->s[0] == '0' && l->s[1] == '0' &&
                            isdigit((unsigned char)l->s[2]));
}

static size_t
content_col(const struct line *l)
{
    return is_control(l) ? TUI_CONTROL_COL : TUI_CONTENT_COL;
}

/* Typed over rather than inserted: tag, indicators, leader positions. */
static bool
overtype_col(const struct line *l, size_t col)
{
    if (is_leader(l))
        return col >= TUI_CONTROL_COL;
    if (col < 3)
        return true;
    return !is_control(l) && (col == 4 || col == 5);
}

/* ---- construction ---- */

struct tui_editor *
tui_editor_new(void)
{
    struct tui_editor *ed = xcalloc(1, sizeof *ed);
    insert_line_at(ed, 0, "LDR 00000nam a2200000 i 4500", 28);
    return ed;
}

static void
clear_history(struct snapshot *s, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        lines_free(s[i].lines, s[i].n);
    *n = 0;
}

void
tui_editor_free(struct tui_editor *ed)
{
    if (!ed)
        return;
    lines_free(ed->lines, ed->n);
    clear_history(ed->undo, &ed->nundo);
    clear_history(ed->redo, &ed->nredo);
    free(ed);
}

void
tui_field_text(const struct marc_field *f, struct marc_buf *out)
{
    marc_buf_puts(out, marc_field_tag(f));
    marc_buf_putc(out, ' ');
    size_t len;
    const char *d = marc_field_data(f, &len);
    if (marc_field_is_control(f)) {
        marc_buf_append(out, d, len);
        return;
    }
    marc_buf_putc(out, marc_field_ind1(f));
    marc_buf_putc(out, marc_field_ind2(f));
    marc_buf_putc(out, ' ');
    size_t cur = 0;
    struct marc_subfield sf;
    while (marc_field_next_subfield(f, &cur, &sf)) {
        marc_buf_puts(out, "$$");
        marc_buf_putc(out, sf.code);
        marc_buf_append(out, sf.value, sf.len);
    }
}

/* The text becomes r's leader and fields, one line each (history untouched). */
static void
lines_from_record(struct tui_editor *ed, const struct marc_record *r)
{
    while (ed->n)
        remove_line_at(ed, ed->n - 1);
    struct marc_buf b = MARC_BUF_INIT;
    marc_buf_puts(&b, "LDR ");
    marc_buf_puts(&b, marc_record_leader(r));
    insert_line_at(ed, 0, b.data, b.len);
    for (size_t i = 0; i < marc_record_field_count(r); i++) {
        marc_buf_reset(&b);
        tui_field_text(marc_record_field(r, i), &b);
        insert_line_at(ed, ed->n, b.data, b.len);
    }
    marc_buf_free(&b);
}

void
tui_editor_load(struct tui_editor *ed, const struct marc_record *r)
{
    lines_from_record(ed, r);
    clear_history(ed->undo, &ed->nundo);
    clear_history(ed->redo, &ed->nredo);
    ed->cur_line = ed->n > 1 ? 1 : 0;
    ed->cur_col = content_col(&ed->lines[ed->cur_line]);
    if (ed->cur_col > ed->lines[ed->cur_line].len)
        ed->cur_col = ed->lines[ed->cur_line].len;
    ed->modified = false;
    ed->last = OP_NONE;
    ed->generation++;
}

void
tui_editor_load_lines(struct tui_editor *ed, char *const *lines, size_t n)
{
    while (ed->n)
        remove_line_at(ed, ed->n - 1);
    for (size_t i = 0; i < n; i++)
        insert_line_at(ed, ed->n, lines[i], strlen(lines[i]));
    if (ed->n == 0)
        insert_line_at(ed, 0, "LDR 00000nam a2200000 i 4500", 28);
    clear_history(ed->undo, &ed->nundo);
    clear_history(ed->redo, &ed->nredo);
    ed->cur_line = ed->n > 1 ? 1 : 0;
    ed->cur_col = 0;
    ed->modified = true;
    ed->last = OP_NONE;
    ed->generation++;
}

/* ---- parsing a line back into a field ---- */

static void
line_err(struct tui_line_error *err, size_t line, size_t col, const char *msg)
{
    if (!err)
        return;
    err->line = line;
    err->col = col;
    snprintf(err->message, sizeof err->message, "%s", msg);
}

static bool
code_char(char c)
{
    return isalnum((unsigned char)c);
}

/* Next "$$x" delimiter at or after from in s[0..len); returns len when none. */
static size_t
find_delim(const char *s, size_t len, size_t from)
{
    for (size_t i = from; i + 2 < len; i++)
        if (s[i] == '$' && s[i + 1] == '$' && code_char(s[i + 2]))
            return i;
    return len;
}

/* Append line i as a field (or set the leader); false with err when it does not parse. */
static bool
parse_line(const struct line *l, size_t i, struct marc_record *out, struct tui_line_error *err)
{
    if (is_leader(l)) {
        if (l->len != 4 + MARC_LEADER_LEN || l->s[3] != ' ' ||
            marc_record_set_leader(out, l->s + 4, MARC_LEADER_LEN) != 0) {
            line_err(err, i, 4, "the leader must be 24 printable characters");
            return false;
        }
        return true;
    }
    char tag[4] = {0};
    if (l->len < 3 || (memcpy(tag, l->s, 3), !marc_tag_is_valid(tag))) {
        line_err(err, i, 0, "a tag is three letters or digits");
        return false;
    }
    if (l->len > 3 && l->s[3] != ' ') {
        line_err(err, i, 3, "a blank must follow the tag");
        return false;
    }
    if (is_control(l)) {
        const char *v = l->len > 4 ? l->s + 4 : "";
        size_t n = l->len > 4 ? l->len - 4 : 0;
        if (marc_record_insert_control(out, marc_record_field_count(out), tag, v, n) != 0) {
            line_err(err, i, 4, "a control field cannot hold field or subfield separators");
            return false;
        }
        return true;
    }
    if (l->len < 6) {
        line_err(err, i, l->len, "a data field needs two indicators after its tag");
        return false;
    }
    struct marc_buf body = MARC_BUF_INIT;
    marc_buf_putc(&body, l->s[4]);
    marc_buf_putc(&body, l->s[5]);
    const char *c = l->s + TUI_CONTENT_COL;
    size_t n = l->len > TUI_CONTENT_COL ? l->len - TUI_CONTENT_COL : 0;
    if (l->len > 6 && l->s[6] != ' ') {
        line_err(err, i, 6, "a blank must follow the indicators");
        marc_buf_free(&body);
        return false;
    }
    if (n > 0 && find_delim(c, n, 0) != 0) {
        line_err(err, i, TUI_CONTENT_COL, "text before the first $$ subfield code");
        marc_buf_free(&body);
        return false;
    }
    for (size_t p = 0; p < n;) {
        size_t next = find_delim(c, n, p + 3);
        marc_buf_putc(&body, MARC_SUBFIELD_DELIM);
        marc_buf_append(&body, c + p + 2, next - p - 2);
        p = next;
    }
    bool ok = marc_record_insert_body(out, marc_record_field_count(out), tag, body.data,
                                      body.len) == 0;
    if (!ok)
        line_err(err, i, TUI_CONTENT_COL,
                 "indicators must be printable and values cannot hold separators");
    marc_buf_free(&body);
    return ok;
}

int
tui_editor_record(const struct tui_editor *ed, struct marc_record *out, struct tui_line_error *err)
{
    marc_record_clear(out);
    for (size_t i = 0; i < ed->n; i++)
        if (!parse_line(&ed->lines[i], i, out, err))
            return -1;
    return 0;
}

bool
tui_editor_line_error(const struct tui_editor *ed, size_t line, struct tui_line_error *err)
{
    if (line >= ed->n)
        return false;
    struct marc_record *scratch = marc_record_new();
    bool bad = !parse_line(&ed->lines[line], line, scratch, err);
    marc_record_free(scratch);
    return bad;
}

/* ---- accessors ---- */

size_t
tui_editor_line_count(const struct tui_editor *ed)
{
    return ed->n;
}

const char *
tui_editor_line(const struct tui_editor *ed, size_t i, size_t *len)
{
    if (i >= ed->n) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = ed->lines[i].len;
    return ed->lines[i].s;
}

void
tui_editor_cursor(const struct tui_editor *ed, size_t *line, size_t *col)
{
    if (line)
        *line = ed->cur_line;
    if (col)
        *col = ed->cur_col;
}

bool
tui_editor_modified(const struct tui_editor *ed)
{
    return ed->modified;
}

void
tui_editor_set_modified(struct tui_editor *ed, bool modified)
{
    ed->modified = modified;
}

void
tui_editor_set_readonly(struct tui_editor *ed, bool readonly)
{
    ed->readonly = readonly;
}

bool
tui_editor_readonly(const struct tui_editor *ed)
{
    return ed->readonly;
}

unsigned long
tui_editor_generation(const struct tui_editor *ed)
{
    return ed->generation;
}

/* ---- cursor ---- */

static struct line *
cur(struct tui_editor *ed)
{
    return &ed->lines[ed->cur_line];
}

/* Start of the character containing byte `col` (skipping continuation bytes). */
static size_t
char_start(const struct line *l, size_t col)
{
    while (col > 0 && col < l->len && ((unsigned char)l->s[col] & 0xC0) == 0x80)
        col--;
    return col;
}

/* Length of the character at col plus the combining marks after it. */
static size_t
char_len(const struct line *l, size_t col)
{
    if (col >= l->len)
        return 0;
    size_t n = 1;
    while (col + n < l->len && ((unsigned char)l->s[col + n] & 0xC0) == 0x80)
        n++;
    /* combining marks (U+0300-U+036F, U+1AB0-U+1AFF, U+20D0-U+20FF, U+FE20-U+FE2F) */
    for (;;) {
        uint32_t cp;
        int k = marc_utf8_decode(l->s + col + n, l->len - col - n, &cp);
        if (k <= 0 || !((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
                        (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F)))
            break;
        n += (size_t)k;
    }
    return n;
}

/* Start of the character before col (with its combining marks). */
static size_t
prev_char(const struct line *l, size_t col)
{
    size_t p = 0, last = 0;
    while (p < col && p < l->len) {
        last = p;
        p += char_len(l, p);
    }
    return last;
}

void
tui_editor_set_cursor(struct tui_editor *ed, size_t line, size_t col)
{
    ed->cur_line = line < ed->n ? line : ed->n - 1;
    struct line *l = cur(ed);
    ed->cur_col = char_start(l, col > l->len ? l->len : col);
    ed->last = OP_NONE;
}

void
tui_editor_left(struct tui_editor *ed)
{
    struct line *l = cur(ed);
    if (ed->cur_col > 0) {
        ed->cur_col = prev_char(l, ed->cur_col);
        if (!is_control(l) && ed->cur_col == 6)
            ed->cur_col = 5; /* skip the separator blanks */
        else if (ed->cur_col == 3)
            ed->cur_col = 2;
    } else if (ed->cur_line > 0) {
        ed->cur_line--;
        ed->cur_col = cur(ed)->len;
    }
    ed->last = OP_NONE;
}

void
tui_editor_right(struct tui_editor *ed)
{
    struct line *l = cur(ed);
    if (ed->cur_col < l->len) {
        ed->cur_col += char_len(l, ed->cur_col);
        if (ed->cur_col == 3)
            ed->cur_col = 4;
        else if (!is_control(l) && ed->cur_col == 6)
            ed->cur_col = TUI_CONTENT_COL > l->len ? l->len : TUI_CONTENT_COL;
    } else if (ed->cur_line + 1 < ed->n) {
        ed->cur_line++;
        ed->cur_col = 0;
    }
    ed->last = OP_NONE;
}

static void
vertical(struct tui_editor *ed, size_t to)
{
    size_t col = ed->cur_col;
    ed->cur_line = to;
    struct line *l = cur(ed);
    ed->cur_col = char_start(l, col > l->len ? l->len : col);
    ed->last = OP_NONE;
}

void
tui_editor_up(struct tui_editor *ed)
{
    if (ed->cur_line > 0)
        vertical(ed, ed->cur_line - 1);
}

void
tui_editor_down(struct tui_editor *ed)
{
    if (ed->cur_line + 1 < ed->n)
        vertical(ed, ed->cur_line + 1);
}

void
tui_editor_page(struct tui_editor *ed, int lines)
{
    long to = (long)ed->cur_line + lines;
    if (to < 0)
        to = 0;
    if (to >= (long)ed->n)
        to = (long)ed->n - 1;
    vertical(ed, (size_t)to);
}

void
tui_editor_first(struct tui_editor *ed)
{
    vertical(ed, 0);
}

void
tui_editor_last(struct tui_editor *ed)
{
    vertical(ed, ed->n - 1);
}

void
tui_editor_home(struct tui_editor *ed)
{
    struct line *l = cur(ed);
    size_t c = content_col(l);
    if (c > l->len)
        c = l->len;
    /* Data fields: first to the first value (after $$a), then the content, then the tag. */
    size_t first = c + (l->len >= c + 3 && l->s[c] == '$' ? 3 : 0);
    if (ed->cur_col > first)
        ed->cur_col = first;
    else if (ed->cur_col > c)
        ed->cur_col = c;
    else
        ed->cur_col = 0;
    ed->last = OP_NONE;
}

void
tui_editor_end(struct tui_editor *ed)
{
    ed->cur_col = cur(ed)->len;
    ed->last = OP_NONE;
}

static bool
word_char(const struct line *l, size_t i)
{
    unsigned char c = (unsigned char)l->s[i];
    return c >= 0x80 || isalnum(c);
}

void
tui_editor_word_right(struct tui_editor *ed)
{
    struct line *l = cur(ed);
    size_t i = ed->cur_col;
    if (i >= l->len) {
        tui_editor_right(ed);
        return;
    }
    while (i < l->len && word_char(l, i))
        i++;
    while (i < l->len && !word_char(l, i))
        i++;
    ed->cur_col = char_start(l, i);
    ed->last = OP_NONE;
}

void
tui_editor_word_left(struct tui_editor *ed)
{
    struct line *l = cur(ed);
    size_t i = ed->cur_col;
    if (i == 0) {
        tui_editor_left(ed);
        return;
    }
    while (i > 0 && !word_char(l, i - 1))
        i--;
    while (i > 0 && word_char(l, i - 1))
        i--;
    ed->cur_col = char_start(l, i);
    ed->last = OP_NONE;
}

void
tui_editor_next_subfield(struct tui_editor *ed)
{
    for (size_t li = ed->cur_line; li < ed->n; li++) {
        struct line *l = &ed->lines[li];
        if (is_control(l))
            continue;
        size_t from = li == ed->cur_line ? (ed->cur_col > 2 ? ed->cur_col - 2 : 0) : 0;
        if (from < TUI_CONTENT_COL)
            from = TUI_CONTENT_COL;
        size_t d = find_delim(l->s, l->len, from);
        /* The delimiter the cursor sits right after does not count. */
        if (li == ed->cur_line && d < l->len && d + 3 <= ed->cur_col)
            d = find_delim(l->s, l->len, d + 1);
        if (d < l->len) {
            ed->cur_line = li;
            ed->cur_col = d + 3;
            ed->last = OP_NONE;
            return;
        }
    }
}

void
tui_editor_prev_subfield(struct tui_editor *ed)
{
    /* The subfield before the one the cursor is in (Shift+Tab in a form). */
    bool skip_current = true;
    for (long li = (long)ed->cur_line; li >= 0; li--) {
        struct line *l = &ed->lines[li];
        if (is_control(l)) {
            skip_current = false;
            continue;
        }
        size_t starts[512];
        size_t n = 0;
        for (size_t d = find_delim(l->s, l->len, TUI_CONTENT_COL); d < l->len && n < 512;
             d = find_delim(l->s, l->len, d + 1)) {
            if (li == (long)ed->cur_line && d >= ed->cur_col)
                break;
            starts[n++] = d;
        }
        /* On the cursor's line, the last start found is the current subfield. */
        if (li == (long)ed->cur_line && skip_current && n > 0)
            n--;
        skip_current = false;
        if (n > 0) {
            ed->cur_line = (size_t)li;
            ed->cur_col = starts[n - 1] + 3;
            ed->last = OP_NONE;
            return;
        }
    }
}

/* ---- undo ---- */

static void
snapshot_take(struct tui_editor *ed, struct snapshot *s)
{
    s->lines = lines_copy(ed->lines, ed->n);
    s->n = ed->n;
    s->cur_line = ed->cur_line;
    s->cur_col = ed->cur_col;
}

static void
push(struct snapshot *stack, size_t *n, struct snapshot *s)
{
    if (*n == UNDO_MAX) {
        lines_free(stack[0].lines, stack[0].n);
        memmove(&stack[0], &stack[1], (UNDO_MAX - 1) * sizeof *stack);
        (*n)--;
    }
    stack[(*n)++] = *s;
}

/* Before an edit: remember the text (typing on one line coalesces). */
static bool
begin_edit(struct tui_editor *ed, enum last_op op)
{
    if (ed->readonly)
        return false;
    if (!(op == OP_TYPE && ed->last == OP_TYPE && ed->last_line == ed->cur_line)) {
        struct snapshot s;
        snapshot_take(ed, &s);
        push(ed->undo, &ed->nundo, &s);
    }
    clear_history(ed->redo, &ed->nredo);
    ed->last = op;
    ed->last_line = ed->cur_line;
    return true;
}

static void
end_edit(struct tui_editor *ed)
{
    ed->modified = true;
    ed->generation++;
}

static void
restore(struct tui_editor *ed, struct snapshot *s)
{
    lines_free(ed->lines, ed->n);
    ed->lines = s->lines;
    ed->n = ed->cap = s->n;
    ed->cur_line = s->cur_line < ed->n ? s->cur_line : ed->n - 1;
    ed->cur_col = s->cur_col;
    if (ed->cur_col > cur(ed)->len)
        ed->cur_col = cur(ed)->len;
}

bool
tui_editor_undo(struct tui_editor *ed)
{
    if (ed->readonly || ed->nundo == 0)
        return false;
    struct snapshot now;
    snapshot_take(ed, &now);
    push(ed->redo, &ed->nredo, &now);
    restore(ed, &ed->undo[--ed->nundo]);
    ed->last = OP_NONE;
    end_edit(ed);
    return true;
}

bool
tui_editor_redo(struct tui_editor *ed)
{
    if (ed->readonly || ed->nredo == 0)
        return false;
    struct snapshot now;
    snapshot_take(ed, &now);
    push(ed->undo, &ed->nundo, &now);
    restore(ed, &ed->redo[--ed->nredo]);
    ed->last = OP_NONE;
    end_edit(ed);
    return true;
}

bool
tui_editor_replace(struct tui_editor *ed, const struct marc_record *r)
{
    if (!begin_edit(ed, OP_OTHER))
        return false;
    size_t line = ed->cur_line;
    lines_from_record(ed, r);
    ed->cur_line = line < ed->n ? line : ed->n - 1;
    ed->cur_col = content_col(&ed->lines[ed->cur_line]);
    if (ed->cur_col > ed->lines[ed->cur_line].len)
        ed->cur_col = ed->lines[ed->cur_line].len;
    ed->last = OP_NONE;
    end_edit(ed);
    return true;
}

/* ---- editing ---- */

/* A data line shorter than its content column gets its blanks back. */
static void
pad_line(struct line *l)
{
    size_t want = is_control(l) ? TUI_CONTROL_COL : TUI_CONTENT_COL;
    while (l->len < want)
        line_splice(l, l->len, 0, " ", 1);
}

/* The third tag character was typed: a new control field drops the $$a template. */
static void
tag_completed(struct line *l)
{
    if (is_control(l) && !is_leader(l) && l->len == TUI_CONTENT_COL + 3 &&
        memcmp(l->s + 3, "    $$a", 7) == 0)
        line_splice(l, 3, l->len - 3, " ", 1);
}

static void
type_char(struct tui_editor *ed, const char *c, size_t n)
{
    struct line *l = cur(ed);
    size_t col = ed->cur_col;
    if (col == 3 || (!is_control(l) && col == 6)) {
        pad_line(l);
        col = ed->cur_col = col + 1;
    }
    if (overtype_col(l, col)) {
        if (is_leader(l) && col >= TUI_CONTROL_COL + MARC_LEADER_LEN)
            return; /* the leader is exactly 24 positions */
        char b = (n == 1) ? c[0] : '?';
        if (n != 1)
            return; /* tags, indicators and the leader are ASCII */
        if (!is_control(l) && (col == 4 || col == 5) && (b == '_' || b == '#'))
            b = ' ';
        if (col < l->len)
            l->s[col] = b;
        else
            line_splice(l, l->len, 0, &b, 1);
        ed->cur_col = col + 1;
        if (ed->cur_col == 3) {
            tag_completed(l);
            pad_line(l);
            ed->cur_col = 4;
        } else if (!is_control(l) && ed->cur_col == 6) {
            pad_line(l);
            ed->cur_col = TUI_CONTENT_COL;
        }
        return;
    }
    if (col > l->len)
        col = l->len;
    line_splice(l, col, 0, c, n);
    ed->cur_col = col + n;
}

bool
tui_editor_type(struct tui_editor *ed, const char *s, size_t len)
{
    if (len == 0 || !begin_edit(ed, OP_TYPE))
        return false;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = marc_utf8_decode(s + i, len - i, &cp);
        if (n <= 0 || cp < 0x20 || cp == 0x7F) { /* controls never enter a record */
            i += n > 0 ? (size_t)n : 1;
            continue;
        }
        type_char(ed, s + i, (size_t)n);
        i += (size_t)n;
    }
    end_edit(ed);
    return true;
}

bool
tui_editor_backspace(struct tui_editor *ed)
{
    struct line *l = cur(ed);
    if (ed->cur_col == 0)
        return false;
    size_t c = content_col(l);
    if (ed->cur_col <= c && !overtype_col(l, ed->cur_col - 1) && ed->cur_col != c) {
        tui_editor_left(ed);
        return true;
    }
    if (!begin_edit(ed, OP_TYPE))
        return false;
    size_t prev = prev_char(l, ed->cur_col);
    if (overtype_col(l, prev)) {
        l->s[prev] = ' '; /* blank the position, keep the columns */
        ed->cur_col = prev;
    } else if (ed->cur_col > c) {
        line_splice(l, prev, ed->cur_col - prev, NULL, 0);
        ed->cur_col = prev;
    } else {
        ed->cur_col = prev; /* at the content start: just move into the indicators */
        if (!is_control(l) && ed->cur_col == 6)
            ed->cur_col = 5;
    }
    end_edit(ed);
    return true;
}

bool
tui_editor_delete(struct tui_editor *ed)
{
    struct line *l = cur(ed);
    if (ed->cur_col >= l->len)
        return false;
    if (!begin_edit(ed, OP_TYPE))
        return false;
    if (overtype_col(l, ed->cur_col))
        l->s[ed->cur_col] = ' ';
    else if (ed->cur_col >= content_col(l))
        line_splice(l, ed->cur_col, char_len(l, ed->cur_col), NULL, 0);
    end_edit(ed);
    return true;
}

bool
tui_editor_add_field(struct tui_editor *ed)
{
    if (!begin_edit(ed, OP_OTHER))
        return false;
    insert_line_at(ed, ed->cur_line + 1, "       $$a", 10);
    ed->cur_line++;
    ed->cur_col = 0;
    end_edit(ed);
    ed->last = OP_OTHER;
    return true;
}

bool
tui_editor_insert_line(struct tui_editor *ed, const char *text, size_t len)
{
    if (!begin_edit(ed, OP_OTHER))
        return false;
    insert_line_at(ed, ed->cur_line + 1, text, len);
    ed->cur_line++;
    ed->cur_col = content_col(cur(ed)) < len ? content_col(cur(ed)) : len;
    end_edit(ed);
    return true;
}

bool
tui_editor_delete_field(struct tui_editor *ed)
{
    if (is_leader(cur(ed)) || !begin_edit(ed, OP_OTHER))
        return false;
    remove_line_at(ed, ed->cur_line);
    if (ed->cur_line >= ed->n)
        ed->cur_line = ed->n - 1;
    ed->cur_col = 0;
    end_edit(ed);
    return true;
}

bool
tui_editor_duplicate_field(struct tui_editor *ed)
{
    if (is_leader(cur(ed)) || !begin_edit(ed, OP_OTHER))
        return false;
    struct line *l = cur(ed);
    char *copy = xstrndup(l->s, l->len);
    size_t len = l->len;
    insert_line_at(ed, ed->cur_line + 1, copy, len);
    free(copy);
    ed->cur_line++;
    end_edit(ed);
    return true;
}

bool
tui_editor_move_field(struct tui_editor *ed, int delta)
{
    long to = (long)ed->cur_line + delta;
    if (is_leader(cur(ed)) || to < 1 || to >= (long)ed->n || !begin_edit(ed, OP_OTHER))
        return false;
    struct line t = ed->lines[ed->cur_line];
    ed->lines[ed->cur_line] = ed->lines[to];
    ed->lines[to] = t;
    ed->cur_line = (size_t)to;
    end_edit(ed);
    return true;
}

bool
tui_editor_add_subfield(struct tui_editor *ed, char code)
{
    struct line *l = cur(ed);
    if (is_control(l) || !code_char(code) || !begin_edit(ed, OP_OTHER))
        return false;
    pad_line(l);
    size_t at = ed->cur_col < TUI_CONTENT_COL ? l->len : ed->cur_col;
    char ins[3] = {'$', '$', code};
    line_splice(l, at, 0, ins, 3);
    ed->cur_col = at + 3;
    end_edit(ed);
    return true;
}

bool
tui_editor_delete_subfield(struct tui_editor *ed)
{
    struct line *l = cur(ed);
    if (is_control(l) || ed->cur_col < TUI_CONTENT_COL)
        return false;
    size_t start = TUI_CONTENT_COL, end = l->len;
    for (size_t d = find_delim(l->s, l->len, TUI_CONTENT_COL); d < l->len;
         d = find_delim(l->s, l->len, d + 1)) {
        if (d <= ed->cur_col)
            start = d;
        else {
            end = d;
            break;
        }
    }
    if (start >= l->len || !begin_edit(ed, OP_OTHER))
        return false;
    line_splice(l, start, end - start, NULL, 0);
    ed->cur_col = start > l->len ? l->len : start;
    if (ed->cur_col + 3 <= l->len)
        ed->cur_col += 3;
    end_edit(ed);
    return true;
}

bool
tui_editor_set_line(struct tui_editor *ed, size_t line, const char *text, size_t len)
{
    if (line >= ed->n || !begin_edit(ed, OP_OTHER))
        return false;
    line_set(&ed->lines[line], text, len);
    if (line == ed->cur_line && ed->cur_col > len)
        ed->cur_col = len;
    end_edit(ed);
    return true;
}
