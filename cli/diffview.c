/*
 * diffview.c - a record diff for a person to read (see diffview.h): marked
 * lines for pipes and narrow terminals, two columns for wide ones.
 *
 * Widths are display columns, not bytes: catalog text carries combining
 * diacritics and CJK, so cutting and padding go by wcwidth() under the
 * user's locale (main() sets it).
 */
#include "diffview.h"

#include "buf.h"
#include "diff.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

/* ---- one field as text ---- */

static void
put_indicator(struct marc_buf *out, char c)
{
    marc_buf_putc(out, c == ' ' ? '#' : c);
}

/* "245 10 $$a Title : $$b sub" (control fields: "008    data"), no newline. */
static void
field_text(const struct marc_field *f, struct marc_buf *out)
{
    marc_buf_reset(out);
    marc_buf_puts(out, marc_field_tag(f));
    size_t len;
    const char *data = marc_field_data(f, &len);
    if (marc_field_is_control(f)) {
        marc_buf_puts(out, "    ");
        marc_buf_append(out, data, len);
    } else {
        marc_buf_putc(out, ' ');
        put_indicator(out, marc_field_ind1(f));
        put_indicator(out, marc_field_ind2(f));
        size_t cursor = 0;
        struct marc_subfield sf;
        while (marc_field_next_subfield(f, &cursor, &sf)) {
            marc_buf_puts(out, " $$");
            marc_buf_putc(out, sf.code);
            marc_buf_putc(out, ' ');
            marc_buf_append(out, sf.value, sf.len);
        }
    }
    marc_buf_putc(out, '\0');
    out->len--;
}

static void
leader_text(const struct marc_record *r, struct marc_buf *out)
{
    marc_buf_reset(out);
    marc_buf_puts(out, "LDR    ");
    marc_buf_append(out, marc_record_leader(r), MARC_LEADER_LEN);
    marc_buf_putc(out, '\0');
    out->len--;
}

/* ---- display widths ---- */

/* Bytes of s that fill at most `cols` columns; *used gets the columns. */
static size_t
cut(const char *s, int cols, int *used)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t i = 0, n = strlen(s);
    int w = 0;
    while (i < n) {
        wchar_t wc;
        size_t k = mbrtowc(&wc, s + i, n - i, &st);
        int cw = 1;
        if (k == (size_t)-1 || k == (size_t)-2) {
            memset(&st, 0, sizeof st);
            k = 1; /* a byte the locale cannot read: one column */
        } else if (k == 0) {
            break;
        } else {
            cw = wcwidth(wc);
            if (cw < 0)
                cw = 1; /* control characters show as one cell */
        }
        if (w + cw > cols)
            break;
        w += cw;
        i += k;
    }
    *used = w;
    return i;
}

/* The next piece of at most cols columns from *s (advanced), padded to cols when pad. */
static void
put_piece(FILE *fp, const char **s, int cols, bool pad)
{
    int used = 0;
    size_t k = cut(*s, cols, &used);
    if (k == 0 && **s) { /* one character wider than the column */
        k = 1;
        while ((*s)[k] && ((unsigned char)(*s)[k] & 0xC0) == 0x80)
            k++;
        used = cols;
    }
    /* Words stay whole when the field goes on past the column. */
    if ((*s)[k]) {
        size_t space = k;
        while (space > k / 2 && (*s)[space - 1] != ' ')
            space--;
        if (space > k / 2 && space < k) {
            char *piece = xstrndup(*s, space); /* its columns, counted again */
            cut(piece, cols, &used);
            free(piece);
            k = space;
        }
    }
    fwrite(*s, 1, k, fp);
    *s += k;
    if (pad)
        fprintf(fp, "%*s", cols - used, "");
}

/* ---- the views ---- */

static char
marker(enum marc_diff_kind k)
{
    switch (k) {
    case MARC_DIFF_SAME:
        return '=';
    case MARC_DIFF_ADDED:
        return '+';
    case MARC_DIFF_REMOVED:
        return '-';
    default:
        return '~';
    }
}

/* One row of two columns, wrapping either side onto more lines. */
static void
side_row(FILE *fp, const char *l, const char *r, char mark, int col)
{
    bool first = true;
    while (first || *l || *r) {
        put_piece(fp, &l, col, true);
        fprintf(fp, " %c ", first ? mark : ' ');
        put_piece(fp, &r, col, false);
        fputc('\n', fp);
        first = false;
    }
}

static bool
is_local(const struct cli_diffview *v, const struct marc_field *f)
{
    return v->is_local && v->is_local(v->local_ctx, marc_field_tag(f));
}

static void
line_row(FILE *fp, const struct cli_diffview *v, const struct marc_diff_op *op,
         const struct marc_record *a, const struct marc_record *b, struct marc_buf *la,
         struct marc_buf *lb)
{
    const struct marc_field *f = op->b >= 0 ? marc_record_field(b, (size_t)op->b)
                                            : marc_record_field(a, (size_t)op->a);
    const char *note = is_local(v, f) ? "   (local)" : "";
    if (op->kind == MARC_DIFF_CHANGED) {
        fprintf(fp, "~ %s\n    -> %s%s\n", la->data, lb->data, note);
        return;
    }
    fprintf(fp, "%c %s%s\n", marker(op->kind), op->kind == MARC_DIFF_ADDED ? lb->data : la->data,
            note);
}

void
cli_diffview_print(FILE *fp, const struct marc_record *a, const struct marc_record *b,
                   const struct cli_diffview *v, struct cli_diffcount *count)
{
    struct marc_diff d;
    marc_diff_records(a, b, &d);
    struct marc_buf la = MARC_BUF_INIT, lb = MARC_BUF_INIT;
    int col = v->side_by_side ? (v->width - 3) / 2 : 0;
    if (col < 20)
        col = 20;
    if (v->side_by_side) {
        side_row(fp, v->left ? v->left : "before", v->right ? v->right : "after", '|', col);
        leader_text(a, &la);
        leader_text(b, &lb);
        side_row(fp, la.data, lb.data, d.leader_changed ? '~' : '=', col);
    } else if (d.leader_changed) {
        leader_text(a, &la);
        leader_text(b, &lb);
        fprintf(fp, "~ %s\n    -> %s\n", la.data, lb.data);
    } else {
        leader_text(a, &la);
        fprintf(fp, "= %s\n", la.data);
    }
    size_t same = 0;
    for (size_t i = 0; i < d.n; i++) {
        const struct marc_diff_op *op = &d.ops[i];
        marc_buf_reset(&la);
        marc_buf_reset(&lb);
        marc_buf_putc(&la, '\0');
        marc_buf_putc(&lb, '\0');
        if (op->a >= 0)
            field_text(marc_record_field(a, (size_t)op->a), &la);
        if (op->b >= 0)
            field_text(marc_record_field(b, (size_t)op->b), &lb);
        same += op->kind == MARC_DIFF_SAME;
        if (v->side_by_side)
            side_row(fp, op->a >= 0 ? la.data : "", op->b >= 0 ? lb.data : "",
                     marker(op->kind), col);
        else
            line_row(fp, v, op, a, b, &la, &lb);
    }
    if (count) {
        count->same = same;
        count->added = d.added;
        count->removed = d.removed;
        count->changed = d.changed;
        count->leader_changed = d.leader_changed;
    }
    marc_buf_free(&la);
    marc_buf_free(&lb);
    marc_diff_free(&d);
}

void
cli_diffview_choose(struct cli_diffview *v, int force)
{
    int width = 0;
    const char *env = getenv("COLUMNS");
    if (env && atoi(env) > 0)
        width = atoi(env);
    struct winsize ws;
    bool tty = isatty(STDOUT_FILENO);
    if (!width && tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        width = ws.ws_col;
    if (!width)
        width = 160;
    v->width = width;
    v->side_by_side = force == 1 || (force < 0 && tty && width >= 120);
}
