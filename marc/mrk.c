/*
 * mrk.c - MarcEdit / LC MARCMaker mnemonic text (see mrk.h).
 *
 * Decoding writes each field's ISO 2709 body straight into the record's
 * backing store and points the field at it, so a record costs no allocation
 * once the store is big enough.  The store is reserved at twice the text's
 * length: every text byte gives at most one byte, and no mnemonic of two or
 * more name characters expands to more than twice its spelling (the unit
 * test checks the table for that).
 *
 * The syntax is MarcEdit's: '\' is a blank in the leader, control fields
 * and indicators but a literal backslash inside subfield values; '{name}'
 * is a mnemonic wherever text is (mnemonic.c has the table).  Mnemonics keep
 * MARC-8's order, a diacritic before its letter, so in a UTF-8 record the
 * combining mark is moved after the letter.  Numeric tags 001-009 are
 * control fields; a local alphanumeric tag is a data field when its text
 * has indicators and a subfield.  The encoder escapes exactly what the
 * decoder would otherwise misread, so every record the model holds comes
 * back byte for byte (except a local alphanumeric data field without any
 * subfield, which reads back as a control field: the text cannot tell them
 * apart).
 *
 * This file knows the line syntax only; which characters mnemonics stand
 * for is mnemonic.c's business, MARC-8 conversion charset.c's.
 */
#include "mrk.h"

#include "marc-int.h"
#include "mnemonic.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A name longer than this between braces is plain text, not a mnemonic. */
#define CANDIDATE_MAX 32

/* ---- lines ---- */

struct line {
    const char *s; /* first byte */
    size_t len;    /* without "\n" or "\r\n" */
    size_t off;    /* offset of s in the buffer */
    size_t next;   /* offset of the following line */
    bool complete; /* ended by a newline (else by the end of the buffer) */
};

static bool
line_at(const char *buf, size_t avail, size_t pos, struct line *ln)
{
    if (pos >= avail)
        return false;
    const char *nl = memchr(buf + pos, '\n', avail - pos);
    size_t end = nl ? (size_t)(nl - buf) : avail;
    ln->s = buf + pos;
    ln->off = pos;
    ln->len = end - pos;
    ln->complete = nl != NULL;
    ln->next = nl ? end + 1 : avail;
    if (ln->len && ln->s[ln->len - 1] == '\r')
        ln->len--;
    return true;
}

static bool
line_blank(const struct line *ln)
{
    for (size_t i = 0; i < ln->len; i++)
        if (ln->s[i] != ' ' && ln->s[i] != '\t' && ln->s[i] != '\r')
            return false;
    return true;
}

static bool
line_comment(const struct line *ln)
{
    return ln->len > 0 && ln->s[0] == '#';
}

static bool
line_leader(const struct line *ln)
{
    return ln->len >= 4 && memcmp(ln->s, "=LDR", 4) == 0;
}

int
marc_mrk_frame(const char *buf, size_t avail, bool eof, size_t *skip, size_t *len)
{
    size_t pos = 0;
    struct line ln;
    *skip = 0;
    *len = 0;
    for (;;) {
        if (!line_at(buf, avail, pos, &ln)) {
            *skip = avail;
            return 0;
        }
        if (!ln.complete && !eof)
            return 0;
        if (!line_blank(&ln) && !line_comment(&ln))
            break;
        pos = ln.next;
    }
    size_t start = pos;
    pos = ln.next;
    /* The record runs to a blank line, the next =LDR, or the end of input. */
    while (line_at(buf, avail, pos, &ln)) {
        if (!ln.complete && !eof)
            return 0;
        if (line_blank(&ln) || line_leader(&ln))
            break;
        pos = ln.next;
    }
    if (pos >= avail && !eof)
        return 0;
    *skip = start;
    *len = pos - start;
    return 1;
}

/* ---- decoding ---- */

struct dec {
    struct marc_record *r;
    struct marc_decode_ctx *ctx;
    char *out; /* the record's backing store */
    size_t used;
    bool utf8;
    /* Where we are, for diagnostics. */
    long lineno;
    size_t line_off;
    char tag[4]; /* "" when the line has no valid tag */
};

static int
occurrence(const struct dec *d)
{
    if (!d->tag[0] || strcmp(d->tag, "LDR") == 0)
        return 0;
    return marc_record_next_occurrence(d->r, d->tag);
}

/* Report a problem at column col of the current line. */
static void report(struct dec *d, enum marc_severity sev, enum marc_err kind, const char *code,
                   size_t col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void
report(struct dec *d, enum marc_severity sev, enum marc_err kind, const char *code, size_t col,
       const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    marc_codec_report(d->ctx, sev, kind, code, d->tag[0] ? d->tag : NULL, occurrence(d),
                      (long long)(d->line_off + col), d->lineno, "%s (column %zu)", msg, col + 1);
}

static bool
is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/*
 * Length of the mnemonic candidate "{name}" at s[0..n) (s[0] is '{'), or 0
 * when the brace does not open one and is plain text.
 */
static size_t
candidate_len(const char *s, size_t n)
{
    size_t j = 1;
    while (j < n && j <= CANDIDATE_MAX && is_alnum(s[j]))
        j++;
    return j > 1 && j < n && s[j] == '}' ? j + 1 : 0;
}

static bool
forbidden(unsigned char c)
{
    return c == 0 || c == 0x1D || c == 0x1E || c == 0x1F;
}

static bool
report_forbidden(struct dec *d, const char *src, size_t k, size_t col, unsigned char c)
{
    const char *what = c == 0x1F   ? "a subfield delimiter"
                       : c == 0x1E ? "a field terminator"
                       : c == 0x1D ? "a record terminator"
                                   : "a NUL byte";
    if (k > 1)
        report(d, MARC_SEV_ERROR, MARC_ERR_FORMAT, "value-separator", col,
               "%.*s stands for byte \\x%02X, %s, which a value cannot hold", (int)k, src, c, what);
    else
        report(d, MARC_SEV_ERROR, MARC_ERR_FORMAT, "value-separator", col,
               "byte \\x%02X (%s) in the text, which a value cannot hold", c, what);
    return false;
}

/* True when t[0..n) (UTF-8) is nothing but combining marks. */
static bool
combining_only(const char *t, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        int k = marc_utf8_decode(t + i, n - i, &cp);
        if (k <= 0 || !((cp >= 0x300 && cp <= 0x36F) || (cp >= 0xFE20 && cp <= 0xFE2F)))
            return false;
        i += (size_t)k;
    }
    return n > 0;
}

/*
 * Mnemonics follow MARC-8's order, a diacritic before its letter
 * ("{acute}e"); Unicode puts combining marks after it.  So in a UTF-8 record
 * a mnemonic that is only combining marks waits here and is written after
 * the next character.
 */
struct pending {
    char marks[4 * MARC_MNEMONIC_MAX];
    size_t n;
};

static char *
flush_marks(char *o, struct pending *p)
{
    memcpy(o, p->marks, p->n);
    o += p->n;
    p->n = 0;
    return o;
}

/*
 * Append src[0..n) (starting at column col of the line) to the store with
 * mnemonics expanded; '\' becomes a blank when blank_bs.  Unknown mnemonics
 * stay as they are, with a warning.  False (reported) when the value would
 * hold a separator byte.
 */
static bool
expand(struct dec *d, const char *src, size_t n, size_t col, bool blank_bs)
{
    char *o = d->out + d->used;
    struct pending p = {.n = 0};
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)src[i];
        size_t k = c == '{' ? candidate_len(src + i, n - i) : 0;
        if (k) {
            char buf[MARC_MNEMONIC_MAX];
            int m = marc_mnemonic_expand(src + i + 1, k - 2, d->utf8, buf);
            if (m >= 0) {
                for (int j = 0; j < m; j++)
                    if (forbidden((unsigned char)buf[j]))
                        return report_forbidden(d, src + i, k, col + i, (unsigned char)buf[j]);
                i += k;
                if (d->utf8 && p.n + (size_t)m <= sizeof p.marks &&
                    combining_only(buf, (size_t)m)) {
                    memcpy(p.marks + p.n, buf, (size_t)m);
                    p.n += (size_t)m;
                    continue;
                }
                memcpy(o, buf, (size_t)m);
                o = flush_marks(o + m, &p);
                continue;
            }
            report(d, MARC_SEV_WARNING, MARC_ERR_FORMAT, "mnemonic-unknown", col + i,
                   "unknown mnemonic %.*s kept as it is", (int)k, src + i);
        } else if (c == '\\' && blank_bs) {
            c = ' ';
        } else if (forbidden(c)) {
            return report_forbidden(d, src + i, 1, col + i, c);
        }
        *o++ = (char)c;
        i++;
        /* Marks go after the whole character, continuation bytes included. */
        if (p.n && (i >= n || ((unsigned char)src[i] & 0xC0) != 0x80))
            o = flush_marks(o, &p);
    }
    o = flush_marks(o, &p);
    d->used = (size_t)(o - d->out);
    return true;
}

/* Bytes of the value separator after the tag: two spaces, or one. */
static size_t
separator(const char *rest, size_t n)
{
    if (n >= 2 && rest[0] == ' ' && rest[1] == ' ')
        return 2;
    return n >= 1 && rest[0] == ' ' ? 1 : 0;
}

static bool
decode_leader(struct dec *d, const char *v, size_t n, size_t col)
{
    size_t start = d->used;
    if (!expand(d, v, n, col, true))
        return false;
    char *ldr = d->out + start;
    size_t got = d->used - start, keep = got;
    d->used = start; /* the leader is not a field: give the bytes back */
    while (keep > MARC_LEADER_LEN && (ldr[keep - 1] == ' ' || ldr[keep - 1] == '\t'))
        keep--;
    if (keep != MARC_LEADER_LEN) {
        report(d, MARC_SEV_ERROR, MARC_ERR_FORMAT, "leader-size", col,
               "leader is %zu characters long, not 24", keep);
        return false;
    }
    for (size_t i = 0; i < MARC_LEADER_LEN; i++) {
        if ((unsigned char)ldr[i] < 0x20 || (unsigned char)ldr[i] > 0x7E) {
            char b[8];
            report(d, MARC_SEV_ERROR, MARC_ERR_FORMAT, "leader-byte", col,
                   "leader/%02zu is %s, not a printable ASCII character", i,
                   marc_show_byte((unsigned char)ldr[i], b));
            return false;
        }
    }
    if (keep < got)
        report(d, MARC_SEV_WARNING, MARC_ERR_FORMAT, "leader-trailing", col + MARC_LEADER_LEN,
               "%zu blank(s) after the 24 leader characters ignored", got - keep);
    memcpy(d->r->leader, ldr, MARC_LEADER_LEN);
    d->utf8 = ldr[9] == 'a';
    return true;
}

/*
 * One indicator at s[0..n): its byte in *ind and the text bytes it takes,
 * or 0 when there is none ('$' or the end of the line).  '\' and ' ' are
 * blanks; a mnemonic standing for one byte ({bsol}, {dollar}) is that byte.
 */
static size_t
indicator(const char *s, size_t n, bool utf8, char *ind)
{
    if (n == 0 || s[0] == '$')
        return 0;
    size_t k = s[0] == '{' ? candidate_len(s, n) : 0;
    if (k) {
        char buf[MARC_MNEMONIC_MAX];
        if (marc_mnemonic_expand(s + 1, k - 2, utf8, buf) == 1) {
            *ind = buf[0];
            return k;
        }
    }
    *ind = s[0] == '\\' ? ' ' : s[0];
    return 1;
}

/* Text bytes both indicators take in s[0..n), or 0 when one is missing. */
static size_t
indicators(const char *s, size_t n, bool utf8, char ind[2])
{
    size_t a = indicator(s, n, utf8, &ind[0]);
    if (a == 0)
        return 0;
    size_t b = indicator(s + a, n - a, utf8, &ind[1]);
    return b ? a + b : 0;
}

/*
 * Is s[0..n), the text after a local (alphanumeric) tag, a data field?  Only
 * when indicators are followed by a subfield: a two-character value such as
 * Aleph's "=FMT  BK" is a control field.
 */
static bool
local_data_field(const char *s, size_t n, bool utf8)
{
    char ind[2];
    size_t k = indicators(s, n, utf8, ind);
    return k > 0 && k < n && s[k] == '$';
}

static bool
check_indicator(struct dec *d, int which, char c, size_t col)
{
    if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7F)
        return true;
    char b[8];
    report(d, MARC_SEV_ERROR, MARC_ERR_FORMAT, "indicator-invalid", col,
           "indicator %d is %s, not a printable ASCII character", which,
           marc_show_byte((unsigned char)c, b));
    return false;
}

/* The subfields of a data field: s[0..n) starts at a '$', column col. */
static bool
decode_subfields(struct dec *d, const char *s, size_t n, size_t col)
{
    size_t i = 0;
    while (i < n) {
        if (i + 1 >= n) {
            report(d, MARC_SEV_ERROR, MARC_ERR_FORMAT, "subfield-no-code", col + i,
                   "subfield delimiter '$' at the end of the line has no code");
            return false;
        }
        char code = s[i + 1];
        if (!marc_subfield_code_ok(code)) {
            char b[8];
            report(d, MARC_SEV_ERROR, MARC_ERR_FORMAT, "subfield-code", col + i + 1,
                   "subfield code %s after '$' is not a printable ASCII character",
                   marc_show_byte((unsigned char)code, b));
            return false;
        }
        d->out[d->used++] = MARC_SUBFIELD_DELIM;
        d->out[d->used++] = code;
        const char *v = s + i + 2;
        const char *next = memchr(v, '$', n - i - 2);
        size_t vlen = next ? (size_t)(next - v) : n - i - 2;
        if (!expand(d, v, vlen, col + i + 2, false))
            return false;
        i += 2 + vlen;
    }
    return true;
}

static bool
separator_error(struct dec *d, const char *rest, size_t n)
{
    report(d, MARC_SEV_ERROR, MARC_ERR_FORMAT, "mrk-separator", 4,
           "expected two spaces after the tag, found \"%.*s\"", n < 8 ? (int)n : 8, rest);
    return false;
}

static bool
decode_data(struct dec *d, const char *rest, size_t n, size_t sep)
{
    if (sep == 0 && n > 0)
        return separator_error(d, rest, n);
    const char *s = rest + sep;
    size_t len = n - sep, col = 4 + sep;
    char ind[2];
    size_t k = indicators(s, len, d->utf8, ind);
    if (k == 0) {
        report(d, MARC_SEV_ERROR, MARC_ERR_FORMAT, "indicators-missing", col,
               "data field has no indicators: expected two characters ('\\' for a blank) "
               "before the first '$'");
        return false;
    }
    if (!check_indicator(d, 1, ind[0], col) || !check_indicator(d, 2, ind[1], col + 1))
        return false;
    if (k < len && s[k] != '$') {
        report(d, MARC_SEV_ERROR, MARC_ERR_FORMAT, "field-no-delimiter", col + k,
               "text after the indicators does not start with a subfield delimiter '$'");
        return false;
    }
    d->out[d->used++] = ind[0];
    d->out[d->used++] = ind[1];
    return decode_subfields(d, s + k, len - k, col + k);
}

static bool
decode_control(struct dec *d, const char *rest, size_t n)
{
    size_t sep = separator(rest, n);
    if (sep == 0 && n > 0)
        return separator_error(d, rest, n);
    return expand(d, rest + sep, n - sep, 4 + sep, true);
}

/* Report invalid UTF-8 in the field just built (kept: the bytes are data). */
static bool
check_utf8(struct dec *d, const char *data, size_t len)
{
    size_t bad;
    if (marc_utf8_valid(data, len, &bad))
        return true;
    report(d, MARC_SEV_ERROR, MARC_ERR_CHARSET, "utf8-invalid", 0,
           "invalid UTF-8 (byte \\x%02X at byte %zu of the field) although leader/09 says UTF-8",
           (unsigned char)data[bad], bad);
    return false;
}

/* A field line after its tag: separator and value.  False after an error. */
static bool
decode_field(struct dec *d, const struct line *ln)
{
    const char *rest = ln->s + 4;
    size_t n = ln->len - 4;
    size_t sep = separator(rest, n);
    /* 00X and local tags are told by their content, as ISO 2709 reads them:
     * non-MARC 21 records (danMARC, for one) have 001 with subfields. */
    bool control = marc_tag_is_numeric(d->tag) && !marc_tag_is_control(d->tag)
                       ? false
                       : !local_data_field(rest + sep, n - sep, d->utf8);
    size_t start = d->used;
    bool ok = control ? decode_control(d, rest, n) : decode_data(d, rest, n, sep);
    if (!ok) {
        d->used = start; /* drop the line */
        return false;
    }
    const char *data = d->out + start;
    size_t len = d->used - start;
    bool valid = !d->utf8 || check_utf8(d, data, len);
    marc_record_push_borrowed(d->r, d->tag, control, data, len);
    return valid;
}

static bool
decode_leader_line(struct dec *d, const struct line *ln, bool first)
{
    if (!first) {
        report(d, MARC_SEV_ERROR, MARC_ERR_FORMAT, "leader-repeated", 0,
               "=LDR must be the first line of a record");
        return false;
    }
    const char *rest = ln->s + 4;
    size_t n = ln->len - 4, sep = separator(rest, n);
    if (sep == 0 && n > 0)
        return separator_error(d, rest, n);
    return decode_leader(d, rest + sep, n - sep, 4 + sep);
}

/* One non-blank, non-comment line; first says it opens the record. */
static bool
decode_line(struct dec *d, const struct line *ln, bool first)
{
    d->tag[0] = '\0';
    if (ln->s[0] != '=') {
        report(d, MARC_SEV_ERROR, MARC_ERR_FORMAT, "mrk-syntax", 0,
               "line does not start with '=' (a field line reads \"=245  10$aTitle\")");
        return false;
    }
    if (ln->len < 4 || !is_alnum(ln->s[1]) || !is_alnum(ln->s[2]) || !is_alnum(ln->s[3])) {
        report(d, MARC_SEV_ERROR, MARC_ERR_FORMAT, "mrk-tag", 1,
               "tag \"%.*s\" is not three letters or digits", ln->len < 4 ? (int)ln->len - 1 : 3,
               ln->s + 1);
        return false;
    }
    bool leader = line_leader(ln);
    if (!leader && marc_tag_is_leader(ln->s + 1)) {
        report(d, MARC_SEV_ERROR, MARC_ERR_FORMAT, "mrk-tag", 1,
               "tag \"%.3s\" is the leader's name, which no field may have (the leader line "
               "is =LDR)",
               ln->s + 1);
        return false;
    }
    if (first && !leader)
        report(d, MARC_SEV_WARNING, MARC_ERR_FORMAT, "leader-missing", 0,
               "record does not start with =LDR; the default leader is used");
    memcpy(d->tag, ln->s + 1, 3);
    d->tag[3] = '\0';
    return leader ? decode_leader_line(d, ln, first) : decode_field(d, ln);
}

int
marc_mrk_decode(struct marc_record *r, const char *text, size_t len, struct marc_decode_ctx *ctx)
{
    marc_record_clear(r);
    struct dec d = {.r = r, .ctx = ctx};
    d.out = marc_record_raw_reserve(r, 2 * len + 64);
    d.utf8 = marc_record_is_utf8(r);
    long no = ctx->line > 0 ? ctx->line : 1;
    size_t pos = 0;
    /* A byte order mark may open a file written on Windows. */
    if (no == 1 && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    bool seen = false;
    struct line ln;
    for (; line_at(text, len, pos, &ln); pos = ln.next, no++) {
        if (line_blank(&ln) || line_comment(&ln))
            continue;
        d.lineno = no;
        d.line_off = ln.off;
        bool first = !seen;
        seen = true;
        if (!decode_line(&d, &ln, first) && !ctx->recover && ctx->errors)
            break;
    }
    if (!seen) {
        d.lineno = ctx->line > 0 ? ctx->line : 1;
        report(&d, MARC_SEV_ERROR, MARC_ERR_FORMAT, "mrk-empty", 0,
               "record has no lines (expected =LDR and field lines)");
    }
    r->raw_len = d.used;
    return marc_codec_result(ctx);
}

/* ---- encoding ---- */

static const char hexdig[] = "0123456789ABCDEF";

static void
put_hex(struct marc_buf *out, unsigned char c)
{
    char m[4] = {'{', hexdig[c >> 4], hexdig[c & 15], '}'};
    marc_buf_append(out, m, 4);
}

/* Write one byte that cannot stand for itself. */
static void
put_special(struct marc_buf *out, unsigned char c, bool utf8)
{
    const char *name = NULL;
    switch (c) {
    case '$':
        name = "dollar";
        break;
    case '{':
        name = "lcub";
        break;
    case '}':
        name = "rcub";
        break;
    case '\\':
        name = "bsol";
        break;
    case 0x1B:
        name = "esc";
        break;
    default:
        if (c >= 0x80 && !utf8)
            name = marc_mnemonic_marc8_name(c);
        break;
    }
    if (!name) {
        put_hex(out, c);
        return;
    }
    marc_buf_putc(out, '{');
    marc_buf_puts(out, name);
    marc_buf_putc(out, '}');
}

/*
 * Append s[0..n) with everything the decoder would misread escaped.  blank_bs:
 * blanks are written '\' (leader, control fields, indicators).
 */
static void
put_escaped(struct marc_buf *out, const char *s, size_t n, bool utf8, bool blank_bs)
{
    bool text_ok = utf8 && marc_utf8_valid(s, n, NULL);
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n) {
            unsigned char c = (unsigned char)s[run];
            bool plain =
                c >= 0x80 ? text_ok
                          : c > 0x20 && c < 0x7F && c != '$' && c != '{' && c != '}' && c != '\\';
            if (!plain && !(c == ' ' && !blank_bs))
                break;
            run++;
        }
        marc_buf_append(out, s + i, run - i);
        if (run >= n)
            break;
        unsigned char c = (unsigned char)s[run];
        uint32_t cp;
        int k = c >= 0x80 && utf8 ? marc_utf8_decode(s + run, n - run, &cp) : 0;
        if (k > 0) {
            marc_buf_append(out, s + run, (size_t)k); /* one valid character amid bad bytes */
            i = run + (size_t)k;
        } else if (c == ' ') {
            marc_buf_putc(out, '\\');
            i = run + 1;
        } else {
            put_special(out, c, utf8);
            i = run + 1;
        }
    }
}

static void
put_data_body(struct marc_buf *out, const char *data, size_t len, bool utf8)
{
    for (size_t k = 0; k < 2; k++) {
        if (k < len)
            put_escaped(out, data + k, 1, utf8, true);
        else
            marc_buf_putc(out, '\\');
    }
    size_t i = 2;
    while (i < len) {
        if (data[i] == MARC_SUBFIELD_DELIM) {
            marc_buf_putc(out, '$');
            if (i + 1 < len)
                marc_buf_putc(out, data[i + 1]);
            i += 2;
        }
        if (i >= len)
            break;
        const char *next = memchr(data + i, MARC_SUBFIELD_DELIM, len - i);
        size_t end = next ? (size_t)(next - data) : len;
        put_escaped(out, data + i, end - i, utf8, false);
        i = end;
    }
}

void
marc_mrk_format_field(const struct marc_field *f, bool utf8, struct marc_buf *out)
{
    marc_buf_append(out, f->tag, 3);
    marc_buf_append(out, "  ", 2);
    if (f->control)
        put_escaped(out, f->data, f->len, utf8, true);
    else
        put_data_body(out, f->data, f->len, utf8);
}

int
marc_mrk_encode(const struct marc_record *r, struct marc_buf *out, bool crlf, struct marc_diag *err)
{
    const char *nl = crlf ? "\r\n" : "\n";
    bool utf8 = marc_record_is_utf8(r);
    marc_buf_puts(out, "=LDR  ");
    put_escaped(out, r->leader, MARC_LEADER_LEN, utf8, true);
    marc_buf_puts(out, nl);
    for (size_t i = 0; i < r->nfields; i++) {
        marc_buf_putc(out, '=');
        marc_mrk_format_field(&r->fields[i], utf8, out);
        marc_buf_puts(out, nl);
    }
    marc_buf_puts(out, nl);
    return MARC_OK;
}
