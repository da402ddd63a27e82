/*
 * query.c - the search query language (see query.h): a lexer and a
 * recursive-descent parser that turn what a cataloger types into a tree.
 *
 * Every error names the column (in characters, 1-based) where the problem
 * is, so the CLI can put a caret under it and the TUI can move the cursor
 * there.  The parser knows the index names and which values they take, but
 * nothing of SQL or identifier normalisation (search.c does that).
 *
 * Limits keep a typed (or pasted) query from turning into a huge SQL
 * statement or a deep recursion: at most CORE_QUERY_MAX_TERMS terms and
 * CORE_QUERY_MAX_DEPTH nested parentheses or NOTs; and a truncated word
 * needs CORE_QUERY_MIN_STEM letters.
 */
#include "query.h"

#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CORE_QUERY_MAX_TERMS 64
#define CORE_QUERY_MAX_DEPTH 32
/* Letters a truncated word needs: FTS5 merges the lists of every word
 * with the prefix, and one letter's words cover most of a catalogue. */
#define CORE_QUERY_MIN_STEM 2

static const char *const index_names[] = {
    [CORE_QI_KEYWORD] = "keyword", [CORE_QI_TITLE] = "title", [CORE_QI_AUTHOR] = "author",
    [CORE_QI_SUBJECT] = "subject", [CORE_QI_MMS] = "mms",     [CORE_QI_OCLC] = "oclc",
    [CORE_QI_ISBN] = "isbn",       [CORE_QI_ISSN] = "issn",   [CORE_QI_LINKED] = "linked",
    [CORE_QI_BARCODE] = "barcode",
};
#define NINDEXES (sizeof index_names / sizeof index_names[0])

const char *
core_qindex_name(enum core_qindex i)
{
    return (unsigned)i < NINDEXES ? index_names[i] : "?";
}

/* Word indexes search the full text; the others look up one value. */
static bool
is_word_index(enum core_qindex i)
{
    return i == CORE_QI_KEYWORD || i == CORE_QI_TITLE || i == CORE_QI_AUTHOR ||
           i == CORE_QI_SUBJECT;
}

/* ---- lexer ---- */

enum tok_kind { T_END, T_LPAREN, T_RPAREN, T_AND, T_OR, T_NOT, T_TERM };

struct token {
    enum tok_kind kind;
    int column;
    /* T_TERM */
    enum core_qindex index;
    bool has_index;
    bool not_equal, phrase, truncated;
    char *value; /* heap, owned by the token until taken */
};

struct parser {
    const char *text;
    size_t pos;       /* next byte to lex */
    struct token tok; /* current token */
    int terms;
    int depth;
    char *error;
};

static int fail(struct parser *p, int column, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct parser *p, int column, const char *fmt, ...)
{
    if (p->error)
        return -1; /* the first problem is the one to show */
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->error = xasprintf("column %d: %s", column, msg);
    return -1;
}

/* Column (in characters) of byte offset `off`: continuation bytes do not count. */
static int
column_at(const char *text, size_t off)
{
    int col = 1;
    for (size_t i = 0; i < off; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            col++;
    return col;
}

/* Byte offset of the first invalid UTF-8 sequence, or -1. */
static long
invalid_utf8(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (u[i]) {
        unsigned c = u[i];
        size_t n = c < 0x80             ? 0
                   : (c & 0xE0) == 0xC0 ? 1
                   : (c & 0xF0) == 0xE0 ? 2
                   : (c & 0xF8) == 0xF0 ? 3
                                        : 9;
        if (n == 9 || (n == 1 && c < 0xC2) || (c == 0xF4 && u[i + 1] > 0x8F) || c > 0xF4 ||
            (c == 0xE0 && u[i + 1] < 0xA0) || (c == 0xF0 && u[i + 1] < 0x90) ||
            (c == 0xED && u[i + 1] > 0x9F))
            return (long)i;
        for (size_t k = 1; k <= n; k++)
            if ((u[i + k] & 0xC0) != 0x80)
                return (long)i;
        i += n + 1;
    }
    return -1;
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A word ends at a blank, a parenthesis, a quote or the end. */
static bool
ends_word(char c)
{
    return c == '\0' || is_space(c) || c == '(' || c == ')' || c == '"';
}

static void
skip_spaces(struct parser *p)
{
    while (is_space(p->text[p->pos]))
        p->pos++;
}

static int
lookup_index(const char *name, size_t len)
{
    for (size_t i = 0; i < NINDEXES; i++)
        if (strlen(index_names[i]) == len && strncasecmp(index_names[i], name, len) == 0)
            return (int)i;
    return -1;
}

/* A quoted phrase at p->pos (on the opening quote) into t; \" and \\ escape. */
static int
lex_phrase(struct parser *p, struct token *t)
{
    size_t open = p->pos++;
    struct marc_buf b = MARC_BUF_INIT;
    for (;;) {
        char c = p->text[p->pos];
        if (c == '\0') {
            marc_buf_free(&b);
            return fail(p, column_at(p->text, open),
                        "the quote opened here is not closed (a phrase ends with '\"')");
        }
        p->pos++;
        if (c == '"')
            break;
        if (c == '\\' && (p->text[p->pos] == '"' || p->text[p->pos] == '\\'))
            c = p->text[p->pos++];
        marc_buf_putc(&b, c);
    }
    const char *v = b.data ? b.data : "";
    if (strspn(v, " \t\n\r\f\v") == b.len) {
        marc_buf_free(&b);
        return fail(p, column_at(p->text, open), "empty phrase \"\": put words between the quotes");
    }
    if (p->text[p->pos] == '*') {
        t->truncated = true;
        p->pos++;
    }
    t->phrase = true;
    t->value = marc_buf_steal(&b);
    return 0;
}

/* End of a "(...)" at text[at] without blanks or quotes inside; `at` when there is none. */
static size_t
paren_prefix_end(const char *text, size_t at)
{
    if (text[at] != '(')
        return at;
    size_t close = at + 1 + strcspn(text + at + 1, ")\" \t\n\r\f\v");
    return text[close] == ')' && close > at + 1 ? close + 1 : at;
}

/*
 * An unquoted word at p->pos: up to a blank, parenthesis or quote; a final
 * '*' truncates.  With `prefix`, a leading "(...)" belongs to the word, so
 * that oclc=(OCoLC)12345 reads as typed from a 035.
 */
static int
lex_word(struct parser *p, struct token *t, bool prefix)
{
    size_t start = p->pos;
    if (prefix)
        p->pos = paren_prefix_end(p->text, start);
    while (!ends_word(p->text[p->pos]))
        p->pos++;
    size_t len = p->pos - start;
    if (len && p->text[start + len - 1] == '*') {
        t->truncated = true;
        len--;
    }
    const char *star = memchr(p->text + start, '*', len);
    if (star)
        return fail(p, column_at(p->text, (size_t)(star - p->text)),
                    "'*' truncates only at the end of a word (war*)");
    if (len == 0)
        return fail(p, column_at(p->text, start), "'*' must follow at least one letter (war*)");
    t->value = xstrndup(p->text + start, len);
    return 0;
}

/* After "index=" or "index!=": the value, a phrase or a word. */
static int
lex_value(struct parser *p, struct token *t, const char *op_text, size_t name_start)
{
    skip_spaces(p);
    char c = p->text[p->pos];
    int name_len = (int)strcspn(p->text + name_start, "=! \t");
    const char *name = p->text + name_start;
    if (c == '(' && !is_word_index(t->index) && paren_prefix_end(p->text, p->pos) > p->pos)
        return lex_word(p, t, true);
    if (c == '(' && is_word_index(t->index))
        return fail(p, column_at(p->text, p->pos),
                    "expected a value after '%.*s%s' (for several words in one index: "
                    "%.*s=war OR %.*s=peace)",
                    name_len, name, op_text, name_len, name, name_len, name);
    if (c == '\0' || c == ')' || c == '(')
        return fail(p, column_at(p->text, p->pos), "expected a value after '%.*s%s'", name_len,
                    name, op_text);
    return c == '"' ? lex_phrase(p, t) : lex_word(p, t, false);
}

/* Letters only, then '=' or '!=' (blanks allowed around): an index. */
static int
lex_indexed(struct parser *p, struct token *t, size_t start, size_t name_len, bool *matched)
{
    size_t q = start + name_len;
    while (is_space(p->text[q]))
        q++;
    bool ne = p->text[q] == '!' && p->text[q + 1] == '=';
    if (p->text[q] != '=' && !ne) {
        *matched = false;
        return 0;
    }
    *matched = true;
    int idx = lookup_index(p->text + start, name_len);
    if (idx < 0)
        return fail(p, t->column,
                    "unknown index '%.*s' (indexes: keyword, title, author, subject, mms, oclc, "
                    "isbn, issn, linked, barcode; put text containing '=' in quotes)",
                    (int)name_len, p->text + start);
    t->index = (enum core_qindex)idx;
    t->has_index = true;
    t->not_equal = ne;
    p->pos = q + (ne ? 2 : 1);
    return lex_value(p, t, ne ? "!=" : "=", start);
}

/* Operators are bare words AND, OR, NOT in any case. */
static enum tok_kind
operator_kind(const char *s, size_t len)
{
    if (len == 3 && strncasecmp(s, "and", 3) == 0)
        return T_AND;
    if (len == 2 && strncasecmp(s, "or", 2) == 0)
        return T_OR;
    if (len == 3 && strncasecmp(s, "not", 3) == 0)
        return T_NOT;
    return T_TERM;
}

static int
lex_term(struct parser *p, struct token *t)
{
    size_t start = p->pos;
    if (p->text[start] == '"')
        return lex_phrase(p, t);
    size_t n = 0;
    while ((p->text[start + n] | 0x20) >= 'a' && (p->text[start + n] | 0x20) <= 'z')
        n++;
    if (n > 0) {
        bool matched;
        if (lex_indexed(p, t, start, n, &matched) < 0 || matched)
            return p->error ? -1 : 0;
        if (ends_word(p->text[start + n])) {
            enum tok_kind k = operator_kind(p->text + start, n);
            if (k != T_TERM) {
                t->kind = k;
                p->pos = start + n;
                return 0;
            }
        }
    }
    return lex_word(p, t, false);
}

/* Read the next token into p->tok (the previous one's value must be taken or freed). */
static int
next_token(struct parser *p)
{
    free(p->tok.value);
    memset(&p->tok, 0, sizeof p->tok);
    skip_spaces(p);
    struct token *t = &p->tok;
    t->column = column_at(p->text, p->pos);
    switch (p->text[p->pos]) {
    case '\0':
        t->kind = T_END;
        return 0;
    case '(':
        t->kind = T_LPAREN;
        p->pos++;
        return 0;
    case ')':
        t->kind = T_RPAREN;
        p->pos++;
        return 0;
    default:
        t->kind = T_TERM;
        return lex_term(p, t);
    }
}

/* ---- parser ---- */

static struct core_qnode *
new_node(enum core_qkind kind, int column)
{
    struct core_qnode *n = xcalloc(1, sizeof *n);
    n->kind = kind;
    n->column = column;
    return n;
}

static struct core_qnode *
binary(enum core_qkind kind, struct core_qnode *left, struct core_qnode *right, int column)
{
    struct core_qnode *n = new_node(kind, column);
    n->left = left;
    n->right = right;
    return n;
}

/* Characters of the last word of a value: what a trailing '*' extends. */
static int
stem_length(const char *v)
{
    size_t end = strlen(v);
    while (end > 0 && strchr(" \t-.,;:!?'\"()/", v[end - 1]))
        end--;
    size_t start = end;
    while (start > 0 && !strchr(" \t-.,;:!?'\"()/", v[start - 1]))
        start--;
    return column_at(v + start, end - start) - 1;
}

/* Rules of one index: what values it takes. */
static int
check_term(struct parser *p, const struct token *t)
{
    if (t->not_equal && t->index != CORE_QI_LINKED)
        return fail(p, t->column,
                    "'!=' works only with linked (linked!=network); for %s use NOT %s=...",
                    core_qindex_name(t->index), core_qindex_name(t->index));
    if (t->index == CORE_QI_LINKED && strcasecmp(t->value, "network") != 0)
        return fail(p, t->column,
                    "linked takes the value 'network' (linked=network or linked!=network), "
                    "not '%s'",
                    t->value);
    if (t->truncated && !is_word_index(t->index))
        return fail(p, t->column,
                    "%s looks up whole values; '*' truncates only title, author, subject and "
                    "keyword words",
                    core_qindex_name(t->index));
    if (t->truncated && stem_length(t->value) < CORE_QUERY_MIN_STEM)
        return fail(p, t->column,
                    "truncation needs at least %d letters before '*' (one letter would match "
                    "most of the catalogue)",
                    CORE_QUERY_MIN_STEM);
    return 0;
}

static struct core_qnode *
take_term(struct parser *p)
{
    struct token *t = &p->tok;
    if (!t->has_index)
        t->index = CORE_QI_KEYWORD;
    if (check_term(p, t) < 0)
        return NULL;
    if (++p->terms > CORE_QUERY_MAX_TERMS) {
        fail(p, t->column, "the query has more than %d search terms", CORE_QUERY_MAX_TERMS);
        return NULL;
    }
    struct core_qnode *n = new_node(CORE_Q_TERM, t->column);
    n->index = t->index;
    n->not_equal = t->not_equal;
    n->phrase = t->phrase;
    n->truncated = t->truncated;
    n->value = t->value;
    t->value = NULL;
    return next_token(p) < 0 ? (core_query_free(n), NULL) : n;
}

static const char *
token_text(enum tok_kind k)
{
    switch (k) {
    case T_AND:
        return "AND";
    case T_OR:
        return "OR";
    case T_NOT:
        return "NOT";
    case T_LPAREN:
        return "(";
    case T_RPAREN:
        return ")";
    default:
        return "";
    }
}

static struct core_qnode *parse_or(struct parser *p, enum tok_kind after);

/* Why no term is where one must be; `after` is the token before it (T_END: none). */
static struct core_qnode *
missing_term(struct parser *p, enum tok_kind after)
{
    const struct token *t = &p->tok;
    bool first = after == T_END || after == T_LPAREN;
    if (first && (t->kind == T_AND || t->kind == T_OR))
        fail(p, t->column, "'%s' needs a search term before it", token_text(t->kind));
    else if (after == T_LPAREN && t->kind == T_RPAREN)
        fail(p, t->column, "empty parentheses: put a search term between '(' and ')'");
    else if (after == T_END && t->kind == T_RPAREN)
        fail(p, t->column, "unexpected ')': no '(' to close");
    else if (after == T_END && t->kind == T_END)
        fail(p, t->column, "the query is empty");
    else if (t->kind == T_END)
        fail(p, t->column, "expected a search term after '%s'", token_text(after));
    else
        fail(p, t->column, "expected a search term after '%s', found '%s'", token_text(after),
             token_text(t->kind));
    return NULL;
}

static struct core_qnode *
parse_unary(struct parser *p, enum tok_kind after)
{
    struct token *t = &p->tok;
    if (t->kind == T_TERM)
        return take_term(p);
    if (t->kind != T_NOT && t->kind != T_LPAREN)
        return missing_term(p, after);
    if (++p->depth > CORE_QUERY_MAX_DEPTH) {
        fail(p, t->column, "parentheses and NOTs nested more than %d deep", CORE_QUERY_MAX_DEPTH);
        return NULL;
    }
    int column = t->column;
    enum tok_kind kind = t->kind;
    if (next_token(p) < 0)
        return NULL;
    struct core_qnode *inner = kind == T_NOT ? parse_unary(p, T_NOT) : parse_or(p, T_LPAREN);
    p->depth--;
    if (!inner)
        return NULL;
    if (kind == T_NOT)
        return binary(CORE_Q_NOT, NULL, inner, column);
    if (p->tok.kind != T_RPAREN) {
        core_query_free(inner);
        fail(p, p->tok.column, "expected ')' to close the '(' at column %d", column);
        return NULL;
    }
    return next_token(p) < 0 ? (core_query_free(inner), NULL) : inner;
}

/* a AND NOT b is a NOT b: the set difference, which every engine does well. */
static struct core_qnode *
make_and(struct core_qnode *left, struct core_qnode *right, int column)
{
    if (right->kind == CORE_Q_NOT && !right->left) {
        right->left = left;
        return right;
    }
    if (left->kind == CORE_Q_NOT && !left->left) {
        left->left = right;
        return left;
    }
    return binary(CORE_Q_AND, left, right, column);
}

/* `after`: the token before the first term (T_END at the start, T_LPAREN inside '('). */
static struct core_qnode *
parse_and(struct parser *p, enum tok_kind after)
{
    struct core_qnode *left = parse_unary(p, after);
    while (left) {
        enum tok_kind k = p->tok.kind;
        int column = p->tok.column;
        if (k != T_AND && k != T_NOT && k != T_TERM && k != T_LPAREN)
            break;
        if ((k == T_AND || k == T_NOT) && next_token(p) < 0)
            break;
        struct core_qnode *right = parse_unary(p, k == T_AND || k == T_NOT ? k : T_END);
        if (!right) {
            core_query_free(left);
            return NULL;
        }
        left = k == T_NOT ? binary(CORE_Q_NOT, left, right, column) : make_and(left, right, column);
    }
    if (p->error) {
        core_query_free(left);
        return NULL;
    }
    return left;
}

static struct core_qnode *
parse_or(struct parser *p, enum tok_kind after)
{
    struct core_qnode *left = parse_and(p, after);
    while (left && p->tok.kind == T_OR) {
        int column = p->tok.column;
        if (next_token(p) < 0)
            break;
        struct core_qnode *right = parse_and(p, T_OR);
        if (!right)
            break;
        left = binary(CORE_Q_OR, left, right, column);
    }
    if (p->error) {
        core_query_free(left);
        return NULL;
    }
    return left;
}

struct core_qnode *
core_query_parse(const char *text, char **error)
{
    struct parser p = {.text = text ? text : ""};
    if (error)
        *error = NULL;
    long bad = invalid_utf8(p.text);
    struct core_qnode *q = NULL;
    if (bad >= 0)
        fail(&p, column_at(p.text, (size_t)bad), "the query is not valid UTF-8");
    else if (next_token(&p) == 0)
        q = parse_or(&p, T_END);
    if (q && p.tok.kind != T_END) {
        /* parse_or stops only at the end or at a ')' nothing opened */
        fail(&p, p.tok.column, "unexpected ')': no '(' to close");
        core_query_free(q);
        q = NULL;
    }
    free(p.tok.value);
    if (!q && !p.error)
        p.error = xstrdup("column 1: the query is empty");
    if (!q && error)
        *error = p.error;
    else
        free(p.error);
    return q;
}

void
core_query_free(struct core_qnode *q)
{
    if (!q)
        return;
    core_query_free(q->left);
    core_query_free(q->right);
    free(q->value);
    free(q);
}
