/*
 * rules.c - parsing and running Alma-style rules (see rules.h).
 *
 * A small hand-written lexer and recursive-descent parser build a list of
 * rules (condition + actions); running them works on a copy of the record
 * so that a failing action leaves the caller's record as it was.
 */
#include "rules.h"

#include "buf.h"
#include "diag.h"
#include "record.h"
#include "utf8.h"

#include <ctype.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- model ---- */

/* A field spec: TAG[.{I1,I2}][.SUB[.VALUE]] or TAG.{POS,LEN}.VALUE. */
struct spec {
    char tag[4];          /* X = any digit */
    bool has_ind;
    char ind[2];
    bool has_sub;
    char sub;
    bool has_pos;         /* control field position */
    int pos, len;
    char *value;          /* NULL when none; may hold * wildcards */
};

enum cond_kind { C_TRUE, C_EXISTS, C_MATCHES, C_NOT, C_AND, C_OR };

struct cond {
    enum cond_kind kind;
    struct spec sp;
    regex_t re;
    bool have_re;
    struct cond *a, *b;
};

enum act_kind {
    A_ADD_FIELD,
    A_ADD_CONTROL,
    A_REMOVE_FIELD,
    A_REMOVE_SUB,
    A_REPLACE_CONTENTS,
    A_ADD_SUB,
    A_CHANGE_SUB,
    A_CHANGE_FIELD,
    A_SET_INDICATION,
    M_REPLACE,
    M_REMOVE,
    M_ADD,
};

struct action {
    enum act_kind kind;
    struct spec sp;
    char *to;        /* replaceContents target */
    char to_code;    /* changeSubField */
    char to_tag[4];  /* changeField */
    bool indication; /* set indication."true" */
    char mtag[4];    /* merge: pattern with X, or "LDR" */
    char (*excl)[4]; /* merge: excluded tags */
    size_t nexcl;
};

struct rule {
    char *name;
    int priority;
    size_t order;
    bool merge;
    struct cond *cond;
    struct action *acts;
    size_t nacts;
};

struct core_rules {
    enum core_rule_kind kind;
    struct rule *rules;
    size_t n;
};

/* ---- lexer ---- */

enum tok_kind { T_EOF, T_WORD, T_STRING, T_NUMBER, T_LPAREN, T_RPAREN, T_DOT };

struct tok {
    enum tok_kind kind;
    char *text; /* word or string contents (heap) */
    int line, col;
    bool glued; /* no white space before it */
};

struct parser {
    const char *s;
    size_t i;
    int line, col;
    struct tok t;      /* current token */
    char *error;
    struct core_rules *rs;
    int depth; /* parentheses and NOTs open around the current condition */
};

/* Deeper conditions are refused: the parser recurses once per level, and
 * a file of a few million '(' overflowed the stack (found by fuzzing). */
#define RULES_MAX_DEPTH 64

static void
perr(struct parser *p, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void
perr(struct parser *p, int line, int col, const char *fmt, ...)
{
    if (p->error)
        return;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->error = xasprintf("line %d, column %d: %s", line, col, msg);
}

static void
advance_char(struct parser *p)
{
    if (p->s[p->i] == '\n') {
        p->line++;
        p->col = 1;
    } else {
        p->col++;
    }
    p->i++;
}

/* Skip white space and comments; true when any was skipped. */
static bool
skip_space(struct parser *p)
{
    bool any = false;
    for (;;) {
        char c = p->s[p->i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            advance_char(p);
            any = true;
        } else if (c == '#' || (c == '/' && p->s[p->i + 1] == '/')) {
            while (p->s[p->i] && p->s[p->i] != '\n')
                advance_char(p);
            any = true;
        } else {
            return any;
        }
    }
}

static void
next(struct parser *p)
{
    free(p->t.text);
    memset(&p->t, 0, sizeof p->t);
    bool space = skip_space(p);
    p->t.line = p->line;
    p->t.col = p->col;
    p->t.glued = !space;
    char c = p->s[p->i];
    if (!c) {
        p->t.kind = T_EOF;
        return;
    }
    if (c == '(' || c == ')' || c == '.') {
        p->t.kind = c == '(' ? T_LPAREN : c == ')' ? T_RPAREN : T_DOT;
        advance_char(p);
        return;
    }
    if (c == '"') {
        advance_char(p);
        struct marc_buf b = MARC_BUF_INIT;
        while (p->s[p->i] && p->s[p->i] != '"') {
            if (p->s[p->i] == '\\' && (p->s[p->i + 1] == '"' || p->s[p->i + 1] == '\\'))
                advance_char(p);
            marc_buf_putc(&b, p->s[p->i]);
            advance_char(p);
        }
        if (!p->s[p->i])
            perr(p, p->t.line, p->t.col, "a quoted string is not closed");
        else
            advance_char(p);
        p->t.kind = T_STRING;
        p->t.text = marc_buf_steal(&b);
        return;
    }
    if (isalnum((unsigned char)c) || c == '_' || c == '-') {
        size_t start = p->i;
        while (isalnum((unsigned char)p->s[p->i]) || p->s[p->i] == '_' || p->s[p->i] == '-')
            advance_char(p);
        p->t.text = xstrndup(p->s + start, p->i - start);
        bool digits = true;
        for (const char *q = p->t.text; *q; q++)
            digits = digits && (isdigit((unsigned char)*q) || (q == p->t.text && *q == '-'));
        p->t.kind = digits ? T_NUMBER : T_WORD;
        return;
    }
    perr(p, p->line, p->col, "unexpected character '%c'", c);
    p->t.kind = T_EOF;
}

static bool
is_word(const struct parser *p, const char *w)
{
    return p->t.kind == T_WORD && strcasecmp(p->t.text, w) == 0;
}

static bool
expect_word(struct parser *p, const char *w)
{
    if (is_word(p, w)) {
        next(p);
        return true;
    }
    perr(p, p->t.line, p->t.col, "expected '%s'%s%s", w, p->t.text ? " but found " : "",
         p->t.text ? p->t.text : "");
    return false;
}

/* A quoted string; returns it (heap) or NULL after an error. */
static char *
expect_string(struct parser *p, const char *after)
{
    if (p->t.kind != T_STRING) {
        perr(p, p->t.line, p->t.col, "expected a quoted string after %s", after);
        return NULL;
    }
    char *s = p->t.text;
    p->t.text = NULL;
    next(p);
    return s;
}

/* ---- specs ---- */

static bool
tag_pattern_ok(const char *t)
{
    if (strlen(t) != 3)
        return false;
    for (int i = 0; i < 3; i++)
        if (!isalnum((unsigned char)t[i]))
            return false;
    return true;
}

static bool
is_control_tag(const char *tag)
{
    return tag[0] == '0' && tag[1] == '0';
}

/* "LDR": conditions may test the leader by position, as Alma's do
 * (exists "LDR.{7,1}.s"); actions cannot change it. */
static bool
is_leader_tag(const char *tag)
{
    return strcasecmp(tag, "LDR") == 0;
}

/* Parse "TAG.{..}.SUB.VALUE" (what parts are allowed depends on `need`). */
static bool
parse_spec(struct parser *p, const char *text, int line, int col, struct spec *sp, bool need_sub,
           bool need_value)
{
    memset(sp, 0, sizeof *sp);
    const char *s = text;
    if (strlen(s) < 3 || (s[3] && s[3] != '.')) {
        perr(p, line, col, "\"%s\" does not start with a three-character tag", text);
        return false;
    }
    memcpy(sp->tag, s, 3);
    if (!tag_pattern_ok(sp->tag)) {
        perr(p, line, col, "\"%.3s\" is not a tag", s);
        return false;
    }
    s += 3;
    if (*s == '.' && s[1] == '{') {
        const char *close = strchr(s, '}');
        if (!close) {
            perr(p, line, col, "'{' without '}' in \"%s\"", text);
            return false;
        }
        if (is_control_tag(sp->tag) || is_leader_tag(sp->tag)) {
            if (sscanf(s + 2, "%d,%d", &sp->pos, &sp->len) != 2 || sp->pos < 0 || sp->len <= 0) {
                perr(p, line, col, "control field position must read {POSITION,LENGTH}");
                return false;
            }
            sp->has_pos = true;
        } else {
            if (close - s != 5 || s[3] != ',') {
                perr(p, line, col, "indicators must read {I1,I2}, e.g. {1,0} or { ,4}");
                return false;
            }
            sp->has_ind = true;
            sp->ind[0] = s[2];
            sp->ind[1] = s[4];
        }
        s = close + 1;
    }
    if (*s == '.' && !sp->has_pos) {
        s++;
        if (!*s || (s[1] && s[1] != '.')) {
            perr(p, line, col, "expected one subfield code after \"%.3s.\" in \"%s\"", sp->tag,
                 text);
            return false;
        }
        sp->has_sub = true;
        sp->sub = *s++;
    }
    if (*s == '.') {
        sp->value = xstrdup(s + 1);
    } else if (*s) {
        perr(p, line, col, "cannot read \"%s\"", text);
        return false;
    }
    if (is_leader_tag(sp->tag) && (sp->has_sub || (sp->value && !sp->has_pos))) {
        perr(p, line, col, "the leader is tested by position: \"LDR.{POSITION,LENGTH}.VALUE\"");
        return false;
    }
    if (need_sub && !sp->has_sub) {
        perr(p, line, col, "\"%s\" needs a subfield: TAG.SUB%s", text, need_value ? ".VALUE" : "");
        return false;
    }
    if (need_value && !sp->value) {
        perr(p, line, col, "\"%s\" needs a value: TAG.SUB.VALUE", text);
        return false;
    }
    return true;
}

static void
spec_free(struct spec *sp)
{
    free(sp->value);
}

/* ---- conditions ---- */

static struct cond *parse_or(struct parser *p);

static struct cond *
new_cond(enum cond_kind k)
{
    struct cond *c = xcalloc(1, sizeof *c);
    c->kind = k;
    return c;
}

static void
cond_free(struct cond *c)
{
    if (!c)
        return;
    cond_free(c->a);
    cond_free(c->b);
    spec_free(&c->sp);
    if (c->have_re)
        regfree(&c->re);
    free(c);
}

static struct cond *
parse_exists(struct parser *p, bool negated)
{
    int line = p->t.line, col = p->t.col;
    char *s = expect_string(p, "exists");
    if (!s)
        return NULL;
    struct cond *c = new_cond(C_EXISTS);
    bool ok = parse_spec(p, s, line, col + 7, &c->sp, false, false);
    free(s);
    if (!ok) {
        cond_free(c);
        return NULL;
    }
    if (!negated)
        return c;
    struct cond *n = new_cond(C_NOT);
    n->a = c;
    return n;
}

static struct cond *
parse_matches(struct parser *p)
{
    int line = p->t.line, col = p->t.col;
    char *s = expect_string(p, "matches");
    char *re = s ? expect_string(p, "matches \"TAG.SUB\"") : NULL;
    if (!re) {
        free(s);
        return NULL;
    }
    struct cond *c = new_cond(C_MATCHES);
    bool ok = parse_spec(p, s, line, col, &c->sp, false, false);
    if (ok) {
        int rc = regcomp(&c->re, re, REG_EXTENDED | REG_NOSUB);
        if (rc != 0) {
            char msg[128];
            regerror(rc, &c->re, msg, sizeof msg);
            perr(p, line, col, "the regular expression \"%s\" is invalid: %s", re, msg);
            ok = false;
        } else {
            c->have_re = true;
        }
    }
    free(s);
    free(re);
    if (!ok) {
        cond_free(c);
        return NULL;
    }
    return c;
}

static struct cond *parse_unary_inner(struct parser *p);

static struct cond *
parse_unary(struct parser *p)
{
    if (p->depth >= RULES_MAX_DEPTH) {
        perr(p, p->t.line, p->t.col, "conditions nested deeper than %d levels", RULES_MAX_DEPTH);
        return NULL;
    }
    p->depth++;
    struct cond *c = parse_unary_inner(p);
    p->depth--;
    return c;
}

static struct cond *
parse_unary_inner(struct parser *p)
{
    if (p->t.kind == T_LPAREN) {
        int line = p->t.line, col = p->t.col;
        next(p);
        struct cond *c = parse_or(p);
        if (c && p->t.kind != T_RPAREN) {
            perr(p, p->t.line, p->t.col, "expected ')' to close the '(' at line %d, column %d",
                 line, col);
            cond_free(c);
            return NULL;
        }
        next(p);
        return c;
    }
    if (is_word(p, "TRUE")) {
        next(p);
        return new_cond(C_TRUE);
    }
    if (is_word(p, "NOT")) {
        next(p);
        if (is_word(p, "exists")) {
            next(p);
            return parse_exists(p, true);
        }
        struct cond *inner = parse_unary(p);
        if (!inner)
            return NULL;
        struct cond *c = new_cond(C_NOT);
        c->a = inner;
        return c;
    }
    if (is_word(p, "exists")) {
        next(p);
        return parse_exists(p, false);
    }
    if (is_word(p, "matches")) {
        next(p);
        return parse_matches(p);
    }
    perr(p, p->t.line, p->t.col,
         "expected a condition (TRUE, exists \"...\", not exists \"...\", matches \"...\" "
         "\"...\" or '(')%s%s",
         p->t.text ? " but found " : "", p->t.text ? p->t.text : "");
    return NULL;
}

static struct cond *
parse_and(struct parser *p)
{
    struct cond *left = parse_unary(p);
    while (left && is_word(p, "AND")) {
        next(p);
        struct cond *right = parse_unary(p);
        if (!right) {
            cond_free(left);
            return NULL;
        }
        struct cond *c = new_cond(C_AND);
        c->a = left;
        c->b = right;
        left = c;
    }
    return left;
}

static struct cond *
parse_or(struct parser *p)
{
    struct cond *left = parse_and(p);
    while (left && is_word(p, "OR")) {
        next(p);
        struct cond *right = parse_and(p);
        if (!right) {
            cond_free(left);
            return NULL;
        }
        struct cond *c = new_cond(C_OR);
        c->a = left;
        c->b = right;
        left = c;
    }
    return left;
}

/* ---- actions ---- */

static void
action_free(struct action *a)
{
    spec_free(&a->sp);
    free(a->to);
    free(a->excl);
}

static struct action *
push_action(struct rule *r)
{
    r->acts = xrealloc(r->acts, (r->nacts + 1) * sizeof *r->acts);
    struct action *a = &r->acts[r->nacts++];
    memset(a, 0, sizeof *a);
    return a;
}

/* An action keyword and what its string must hold. */
static const struct {
    const char *word;
    enum act_kind kind;
    bool sub, value;
} action_words[] = {
    {"addField", A_ADD_FIELD, true, true},      {"addControlField", A_ADD_CONTROL, false, true},
    {"removeField", A_REMOVE_FIELD, false, false}, {"removeSubField", A_REMOVE_SUB, true, false},
    {"replaceContents", A_REPLACE_CONTENTS, true, true}, {"addSubField", A_ADD_SUB, true, true},
    {"changeSubField", A_CHANGE_SUB, true, false}, {"changeField", A_CHANGE_FIELD, false, false},
};

static bool
parse_normalization_action(struct parser *p, struct rule *r)
{
    size_t k = 0;
    while (k < sizeof action_words / sizeof *action_words && !is_word(p, action_words[k].word))
        k++;
    if (k == sizeof action_words / sizeof *action_words) {
        perr(p, p->t.line, p->t.col, "unknown action '%s'", p->t.text ? p->t.text : "");
        return false;
    }
    next(p);
    int line = p->t.line, col = p->t.col;
    char *s = expect_string(p, action_words[k].word);
    if (!s)
        return false;
    struct action *a = push_action(r);
    a->kind = action_words[k].kind;
    bool ok;
    if (a->kind == A_ADD_CONTROL) {
        ok = strlen(s) >= 4 && s[3] == '.' && is_control_tag(s);
        if (ok) {
            memcpy(a->sp.tag, s, 3);
            a->sp.value = xstrdup(s + 4);
        } else {
            perr(p, line, col, "addControlField takes \"00X.VALUE\"");
        }
    } else {
        ok = parse_spec(p, s, line, col, &a->sp, action_words[k].sub, action_words[k].value);
        if (ok && is_leader_tag(a->sp.tag)) {
            perr(p, line, col, "%s cannot change the leader; conditions can test it",
                 action_words[k].word);
            ok = false;
        } else if (ok && a->kind == A_ADD_FIELD && is_control_tag(a->sp.tag)) {
            perr(p, line, col, "%.3s is a control field: use addControlField", a->sp.tag);
            ok = false;
        }
    }
    free(s);
    if (!ok)
        return false;
    if (a->kind == A_REPLACE_CONTENTS) {
        if (!expect_word(p, "with") || !(a->to = expect_string(p, "with")))
            return false;
    } else if (a->kind == A_CHANGE_SUB || a->kind == A_CHANGE_FIELD) {
        if (!expect_word(p, "to"))
            return false;
        line = p->t.line, col = p->t.col;
        char *to = expect_string(p, "to");
        if (!to)
            return false;
        bool good = a->kind == A_CHANGE_SUB ? strlen(to) == 1 && isalnum((unsigned char)*to)
                                            : tag_pattern_ok(to) && !strchr(to, 'X');
        if (!good)
            perr(p, line, col, "\"%s\" is not a %s", to,
                 a->kind == A_CHANGE_SUB ? "subfield code" : "tag");
        else if (a->kind == A_CHANGE_SUB)
            a->to_code = *to;
        else
            memcpy(a->to_tag, to, 4);
        free(to);
        return good;
    }
    return true;
}

static bool
parse_indication_action(struct parser *p, struct rule *r)
{
    next(p); /* set */
    if (!expect_word(p, "indication") || p->t.kind != T_DOT) {
        perr(p, p->t.line, p->t.col, "expected indication.\"true\" or indication.\"false\"");
        return false;
    }
    next(p);
    char *v = expect_string(p, "indication.");
    if (!v)
        return false;
    struct action *a = push_action(r);
    a->kind = A_SET_INDICATION;
    a->indication = strcasecmp(v, "true") == 0;
    bool ok = a->indication || strcasecmp(v, "false") == 0;
    if (!ok)
        perr(p, p->t.line, p->t.col, "indication is \"true\" or \"false\", not \"%s\"", v);
    free(v);
    return ok;
}

/* MARC."LDR" or MARC."0"XX or MARC."245" */
static bool
parse_marc_tag(struct parser *p, char out[4])
{
    int line = p->t.line, col = p->t.col;
    if (!expect_word(p, "MARC") || p->t.kind != T_DOT) {
        perr(p, line, col, "expected MARC.\"TAG\"");
        return false;
    }
    next(p);
    if (p->t.kind != T_STRING) {
        perr(p, p->t.line, p->t.col, "expected a quoted tag after MARC.");
        return false;
    }
    char t[8];
    snprintf(t, sizeof t, "%s", p->t.text);
    next(p);
    if (p->t.kind == T_WORD && p->t.glued) { /* MARC."0"XX */
        size_t have = strlen(t);
        for (const char *x = p->t.text; *x && have < 6; x++)
            t[have++] = *x == 'x' ? 'X' : *x;
        t[have] = '\0';
        next(p);
    }
    if (strcasecmp(t, "LDR") == 0) {
        memcpy(out, "LDR", 4);
        return true;
    }
    if (!tag_pattern_ok(t)) {
        perr(p, line, col, "MARC.\"%s\" is not a tag or a tag pattern like MARC.\"6\"XX", t);
        return false;
    }
    memcpy(out, t, 4);
    return true;
}

static bool
parse_excluding(struct parser *p, struct action *a)
{
    if (!is_word(p, "excluding"))
        return true;
    next(p);
    int line = p->t.line, col = p->t.col;
    char *list = expect_string(p, "excluding");
    if (!list)
        return false;
    bool ok = true;
    for (char *save = NULL, *t = strtok_r(list, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
        if (!tag_pattern_ok(t)) {
            perr(p, line, col, "\"%s\" in excluding is not a tag", t);
            ok = false;
            break;
        }
        a->excl = xrealloc(a->excl, (a->nexcl + 1) * sizeof *a->excl);
        memcpy(a->excl[a->nexcl++], t, 4);
    }
    free(list);
    return ok;
}

static bool
parse_merge_action(struct parser *p, struct rule *r)
{
    enum act_kind k = is_word(p, "replace") ? M_REPLACE : is_word(p, "remove") ? M_REMOVE
                      : is_word(p, "add")   ? M_ADD
                                            : A_SET_INDICATION;
    if (k == A_SET_INDICATION) {
        perr(p, p->t.line, p->t.col, "a merge rule's actions are replace, remove and add");
        return false;
    }
    next(p);
    struct action *a = push_action(r);
    a->kind = k;
    if (!parse_marc_tag(p, a->mtag))
        return false;
    if (strcmp(a->mtag, "LDR") == 0 && k != M_REPLACE) {
        perr(p, p->t.line, p->t.col, "the leader can only be replaced");
        return false;
    }
    return parse_excluding(p, a);
}

/* ---- rules ---- */

static void
rule_free(struct rule *r)
{
    free(r->name);
    cond_free(r->cond);
    for (size_t i = 0; i < r->nacts; i++)
        action_free(&r->acts[i]);
    free(r->acts);
}

static bool
parse_rule(struct parser *p, struct rule *r)
{
    if (!expect_word(p, "rule"))
        return false;
    if (!(r->name = expect_string(p, "rule")))
        return false;
    if (is_word(p, "priority")) {
        next(p);
        if (p->t.kind != T_NUMBER) {
            perr(p, p->t.line, p->t.col, "expected a number after priority");
            return false;
        }
        r->priority = atoi(p->t.text);
        next(p);
    }
    if (!expect_word(p, "when"))
        return false;
    if (is_word(p, "merge")) {
        next(p);
        r->merge = true;
    } else if (!(r->cond = parse_or(p))) {
        return false;
    }
    if (!expect_word(p, "then"))
        return false;
    while (!p->error && !is_word(p, "end")) {
        if (p->t.kind == T_EOF) {
            perr(p, p->t.line, p->t.col, "rule \"%s\" has no 'end'", r->name);
            return false;
        }
        bool ok = r->merge               ? parse_merge_action(p, r)
                  : is_word(p, "set")    ? parse_indication_action(p, r)
                                         : parse_normalization_action(p, r);
        if (!ok)
            return false;
    }
    next(p);
    return !p->error;
}

static enum core_rule_kind
rule_kind(const struct rule *r)
{
    if (r->merge)
        return CORE_RULE_MERGE;
    for (size_t i = 0; i < r->nacts; i++)
        if (r->acts[i].kind == A_SET_INDICATION)
            return CORE_RULE_INDICATION;
    return CORE_RULE_NORMALIZATION;
}

/* Rules put their values into records, which hold UTF-8 only: refuse a
 * text that is not, naming where (found by fuzzing: a value with a stray
 * 0xFF byte made a record no format could write back). */
static void
check_utf8(struct parser *p)
{
    size_t bad;
    if (marc_utf8_valid(p->s, strlen(p->s), &bad))
        return;
    int line = 1, col = 1;
    for (size_t i = 0; i < bad; i++) {
        if (p->s[i] == '\n')
            line++, col = 1;
        else
            col++;
    }
    perr(p, line, col, "invalid UTF-8 (byte 0x%02X); rules are UTF-8 text",
         (unsigned char)p->s[bad]);
}

struct core_rules *
core_rules_parse(const char *text, char **error)
{
    struct parser p = {.s = text ? text : "", .line = 1, .col = 1};
    struct core_rules *rs = xcalloc(1, sizeof *rs);
    check_utf8(&p);
    if (!p.error)
        next(&p);
    while (!p.error && p.t.kind != T_EOF) {
        rs->rules = xrealloc(rs->rules, (rs->n + 1) * sizeof *rs->rules);
        struct rule *r = &rs->rules[rs->n++];
        memset(r, 0, sizeof *r);
        r->order = rs->n;
        int line = p.t.line, col = p.t.col;
        if (!parse_rule(&p, r))
            break;
        enum core_rule_kind k = rule_kind(r);
        if (rs->n == 1)
            rs->kind = k;
        else if (k != rs->kind)
            perr(&p, line, col, "rule \"%s\" is a %s rule; this text holds %s rules", r->name,
                 core_rule_kind_name(k), core_rule_kind_name(rs->kind));
    }
    if (!p.error && rs->n == 0)
        perr(&p, p.line, p.col, "no rule found (a rule starts with: rule \"NAME\")");
    free(p.t.text);
    if (p.error) {
        if (error)
            *error = p.error;
        else
            free(p.error);
        core_rules_free(rs);
        return NULL;
    }
    return rs;
}

void
core_rules_free(struct core_rules *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->n; i++)
        rule_free(&rs->rules[i]);
    free(rs->rules);
    free(rs);
}

enum core_rule_kind
core_rules_kind(const struct core_rules *rs)
{
    return rs->kind;
}

size_t
core_rules_count(const struct core_rules *rs)
{
    return rs->n;
}

const char *
core_rules_name(const struct core_rules *rs, size_t i)
{
    return i < rs->n ? rs->rules[i].name : "";
}

const char *
core_rule_kind_name(enum core_rule_kind k)
{
    switch (k) {
    case CORE_RULE_MERGE:
        return "merge";
    case CORE_RULE_INDICATION:
        return "indication";
    default:
        return "normalization";
    }
}

/* ---- matching ---- */

/* Glob match: '*' is any run of bytes (linear backtracking, no recursion). */
static bool
glob(const char *pat, const char *s, size_t len)
{
    size_t p = 0, i = 0, star = (size_t)-1, mark = 0, plen = strlen(pat);
    while (i < len) {
        if (p < plen && pat[p] == '*') {
            star = p++;
            mark = i;
        } else if (p < plen && pat[p] == s[i]) {
            p++;
            i++;
        } else if (star != (size_t)-1) {
            p = star + 1;
            i = ++mark;
        } else {
            return false;
        }
    }
    while (p < plen && pat[p] == '*')
        p++;
    return p == plen;
}

static bool
tag_matches(const char *pattern, const char *tag)
{
    for (int i = 0; i < 3; i++)
        if (pattern[i] != 'X' && pattern[i] != 'x' && pattern[i] != tag[i])
            return false;
    return true;
}

/* Does field f satisfy sp (value as glob, or by regex when re is given)? */
static bool
field_matches(const struct marc_field *f, const struct spec *sp, const regex_t *re)
{
    if (!tag_matches(sp->tag, marc_field_tag(f)))
        return false;
    if (marc_field_is_control(f)) {
        size_t len;
        const char *d = marc_field_data(f, &len);
        if (sp->has_pos) {
            if ((size_t)(sp->pos + sp->len) > len)
                return false;
            d += sp->pos;
            len = (size_t)sp->len;
        }
        if (re) {
            char *tmp = xstrndup(d, len);
            bool m = regexec(re, tmp, 0, NULL, 0) == 0;
            free(tmp);
            return m;
        }
        return !sp->value || glob(sp->value, d, len);
    }
    if (sp->has_ind && ((sp->ind[0] != '*' && sp->ind[0] != marc_field_ind1(f)) ||
                        (sp->ind[1] != '*' && sp->ind[1] != marc_field_ind2(f))))
        return false;
    if (!sp->has_sub)
        return !re;
    size_t cur = 0;
    struct marc_subfield sf;
    while (marc_field_next_subfield(f, &cur, &sf)) {
        if (sf.code != sp->sub)
            continue;
        if (re) {
            char *tmp = xstrndup(sf.value, sf.len);
            bool m = regexec(re, tmp, 0, NULL, 0) == 0;
            free(tmp);
            if (m)
                return true;
        } else if (!sp->value || glob(sp->value, sf.value, sf.len)) {
            return true;
        }
    }
    return false;
}

/* The leader tested like a control field (positions, value or regex). */
static bool
leader_matches(const struct marc_record *r, const struct spec *sp, const regex_t *re)
{
    const char *d = marc_record_leader(r);
    size_t len = MARC_LEADER_LEN;
    if (sp->has_pos) {
        if ((size_t)(sp->pos + sp->len) > len)
            return false;
        d += sp->pos;
        len = (size_t)sp->len;
    }
    if (re) {
        char *tmp = xstrndup(d, len);
        bool m = regexec(re, tmp, 0, NULL, 0) == 0;
        free(tmp);
        return m;
    }
    return !sp->value || glob(sp->value, d, len);
}

static bool
any_field(const struct marc_record *r, const struct spec *sp, const regex_t *re)
{
    if (is_leader_tag(sp->tag))
        return leader_matches(r, sp, re);
    size_t n = marc_record_field_count(r);
    for (size_t i = 0; i < n; i++)
        if (field_matches(marc_record_field(r, i), sp, re))
            return true;
    return false;
}

static bool
eval(const struct cond *c, const struct marc_record *r)
{
    switch (c->kind) {
    case C_TRUE:
        return true;
    case C_EXISTS:
        return any_field(r, &c->sp, NULL);
    case C_MATCHES:
        return any_field(r, &c->sp, &c->re);
    case C_NOT:
        return !eval(c->a, r);
    case C_AND:
        return eval(c->a, r) && eval(c->b, r);
    default:
        return eval(c->a, r) || eval(c->b, r);
    }
}

/* ---- normalization actions ---- */

/* Apply one action to r; returns changes made (>= 0) or a negative error. */
static int
act(const struct action *a, struct marc_record *r)
{
    const struct spec *sp = &a->sp;
    int changes = 0, rc = 0;
    switch (a->kind) {
    case A_ADD_FIELD: {
        long i = marc_record_add_data(r, sp->tag, sp->has_ind ? sp->ind[0] : ' ',
                                      sp->has_ind ? sp->ind[1] : ' ');
        if (i < 0)
            return (int)i;
        rc = marc_record_append_subfield(r, (size_t)i, sp->sub, sp->value, strlen(sp->value));
        return rc < 0 ? rc : 1;
    }
    case A_ADD_CONTROL: {
        long i = marc_record_find(r, sp->tag, 0);
        if (i >= 0)
            rc = marc_record_set_control(r, (size_t)i, sp->value, strlen(sp->value));
        else
            rc = (int)marc_record_add_control(r, sp->tag, sp->value, strlen(sp->value));
        return rc < 0 ? rc : 1;
    }
    case A_REMOVE_FIELD:
        for (long i = (long)marc_record_field_count(r) - 1; i >= 0; i--)
            if (field_matches(marc_record_field(r, (size_t)i), sp, NULL)) {
                marc_record_delete_field(r, (size_t)i);
                changes++;
            }
        return changes;
    default:
        break;
    }
    if (a->kind == A_CHANGE_FIELD) {
        for (size_t i = 0; i < marc_record_field_count(r); i++)
            if (tag_matches(sp->tag, marc_field_tag(marc_record_field(r, i)))) {
                if ((rc = marc_record_set_tag(r, i, a->to_tag)) < 0)
                    return rc;
                changes++;
            }
        return changes;
    }
    /* The rest work on subfields of the fields the tag names. */
    for (long i = 0; i < (long)marc_record_field_count(r); i++) {
        const struct marc_field *f = marc_record_field(r, (size_t)i);
        if (marc_field_is_control(f) || !tag_matches(sp->tag, marc_field_tag(f)))
            continue;
        if (a->kind == A_ADD_SUB) {
            if ((rc = marc_record_append_subfield(r, (size_t)i, sp->sub, sp->value,
                                                  strlen(sp->value))) < 0)
                return rc;
            changes++;
            continue;
        }
        for (long k = (long)marc_field_subfield_count(f) - 1; k >= 0; k--) {
            struct marc_subfield sf;
            marc_field_subfield(marc_record_field(r, (size_t)i), (size_t)k, &sf);
            if (sf.code != sp->sub)
                continue;
            if (a->kind == A_REMOVE_SUB) {
                rc = marc_record_delete_subfield(r, (size_t)i, (size_t)k);
                changes++;
            } else if (a->kind == A_CHANGE_SUB) {
                rc = marc_record_set_subfield_code(r, (size_t)i, (size_t)k, a->to_code);
                changes++;
            } else if (a->kind == A_REPLACE_CONTENTS && *sp->value) {
                struct marc_buf b = MARC_BUF_INIT;
                size_t from = strlen(sp->value), hits = 0;
                for (size_t x = 0; x < sf.len;) {
                    if (x + from <= sf.len && memcmp(sf.value + x, sp->value, from) == 0) {
                        marc_buf_puts(&b, a->to);
                        x += from;
                        hits++;
                    } else {
                        marc_buf_putc(&b, sf.value[x++]);
                    }
                }
                if (hits)
                    rc = marc_record_set_subfield(r, (size_t)i, (size_t)k, b.data ? b.data : "",
                                                  b.len);
                changes += hits > 0;
                marc_buf_free(&b);
            }
            if (rc < 0)
                return rc;
        }
        /* A field left without subfields is gone (it could not be valid). */
        if (a->kind == A_REMOVE_SUB &&
            marc_field_subfield_count(marc_record_field(r, (size_t)i)) == 0) {
            marc_record_delete_field(r, (size_t)i);
            i--;
        }
    }
    return changes;
}

/* Rules in the order they run: priority high to low, then text order. */
static int
by_priority(const void *x, const void *y)
{
    const struct rule *a = *(const struct rule *const *)x, *b = *(const struct rule *const *)y;
    if (a->priority != b->priority)
        return a->priority > b->priority ? -1 : 1;
    return a->order < b->order ? -1 : 1;
}

int
core_rules_apply(const struct core_rules *rs, struct marc_record *r, int *changes)
{
    if (changes)
        *changes = 0;
    if (rs->kind != CORE_RULE_NORMALIZATION)
        return MARC_ERR_USAGE;
    const struct rule **order = xmalloc((rs->n ? rs->n : 1) * sizeof *order);
    for (size_t i = 0; i < rs->n; i++)
        order[i] = &rs->rules[i];
    qsort(order, rs->n, sizeof *order, by_priority);
    struct marc_record *work = marc_record_clone(r);
    int total = 0, rc = 0;
    for (size_t i = 0; rc >= 0 && i < rs->n; i++) {
        if (!eval(order[i]->cond, work))
            continue;
        for (size_t k = 0; rc >= 0 && k < order[i]->nacts; k++) {
            rc = act(&order[i]->acts[k], work);
            if (rc > 0)
                total += rc;
        }
    }
    free(order);
    if (rc >= 0) {
        marc_record_copy(r, work);
        if (changes)
            *changes = total;
    }
    marc_record_free(work);
    return rc < 0 ? rc : 0;
}

bool
core_rules_indicate(const struct core_rules *rs, const struct marc_record *r)
{
    for (size_t i = 0; i < rs->n; i++) {
        const struct rule *ru = &rs->rules[i];
        if (ru->merge || !eval(ru->cond, r))
            continue;
        for (size_t k = 0; k < ru->nacts; k++)
            if (ru->acts[k].kind == A_SET_INDICATION)
                return ru->acts[k].indication;
    }
    return false;
}

/* ---- merge ---- */

static bool
excluded(const struct action *a, const char *tag)
{
    for (size_t i = 0; i < a->nexcl; i++)
        if (tag_matches(a->excl[i], tag))
            return true;
    return false;
}

static bool
merge_selects(const struct action *a, const char *tag)
{
    return tag_matches(a->mtag, tag) && !excluded(a, tag);
}

static void
remove_selected(const struct action *a, struct marc_record *out)
{
    for (long i = (long)marc_record_field_count(out) - 1; i >= 0; i--)
        if (merge_selects(a, marc_field_tag(marc_record_field(out, (size_t)i))))
            marc_record_delete_field(out, (size_t)i);
}

/* Copy f into out in tag order, unless an identical field is there already. */
static int
add_field(struct marc_record *out, const struct marc_field *f)
{
    size_t n = marc_record_field_count(out);
    for (size_t i = 0; i < n; i++)
        if (marc_field_equal(marc_record_field(out, i), f))
            return 0;
    size_t len;
    const char *d = marc_field_data(f, &len);
    const char *tag = marc_field_tag(f);
    size_t at = n;
    while (at > 0 && strcmp(marc_field_tag(marc_record_field(out, at - 1)), tag) > 0)
        at--;
    return marc_field_is_control(f) ? marc_record_insert_control(out, at, tag, d, len)
                                    : marc_record_insert_body(out, at, tag, d, len);
}

static int
add_selected(const struct action *a, const struct marc_record *from, struct marc_record *out)
{
    size_t n = marc_record_field_count(from);
    for (size_t i = 0; i < n; i++) {
        const struct marc_field *f = marc_record_field(from, i);
        if (merge_selects(a, marc_field_tag(f))) {
            int rc = add_field(out, f);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

int
core_rules_merge(const struct core_rules *rs, const struct marc_record *primary,
                 const struct marc_record *secondary, struct marc_record *out)
{
    const struct rule *ru = NULL;
    for (size_t i = 0; i < rs->n && !ru; i++)
        if (rs->rules[i].merge)
            ru = &rs->rules[i];
    if (!ru)
        return MARC_ERR_USAGE;
    marc_record_copy(out, primary);
    for (size_t k = 0; k < ru->nacts; k++) {
        const struct action *a = &ru->acts[k];
        int rc = 0;
        if (strcmp(a->mtag, "LDR") == 0) {
            marc_record_set_leader(out, marc_record_leader(secondary), MARC_LEADER_LEN);
            continue;
        }
        if (a->kind == M_REMOVE) {
            remove_selected(a, out);
        } else if (a->kind == M_ADD) {
            rc = add_selected(a, secondary, out);
        } else { /* replace: only when the secondary has such fields */
            bool has = false;
            for (size_t i = 0; i < marc_record_field_count(secondary) && !has; i++)
                has = merge_selects(a, marc_field_tag(marc_record_field(secondary, i)));
            if (has) {
                remove_selected(a, out);
                rc = add_selected(a, secondary, out);
            }
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

const char *
core_rules_default_merge(void)
{
    return "# Colophon's default merge rule: the incoming record's content with\n"
           "# the local record's 001, its 035s and its local 9XX fields.\n"
           "rule \"Colophon default merge\"\n"
           "when merge\n"
           "then\n"
           "replace MARC.\"LDR\"\n"
           "remove MARC.\"0\"XX excluding \"001,035\"\n"
           "add MARC.\"0\"XX excluding \"001\"\n"
           "remove MARC.\"1\"XX\n"
           "add MARC.\"1\"XX\n"
           "remove MARC.\"2\"XX\n"
           "add MARC.\"2\"XX\n"
           "remove MARC.\"3\"XX\n"
           "add MARC.\"3\"XX\n"
           "remove MARC.\"4\"XX\n"
           "add MARC.\"4\"XX\n"
           "remove MARC.\"5\"XX\n"
           "add MARC.\"5\"XX\n"
           "remove MARC.\"6\"XX\n"
           "add MARC.\"6\"XX\n"
           "remove MARC.\"7\"XX\n"
           "add MARC.\"7\"XX\n"
           "remove MARC.\"8\"XX\n"
           "add MARC.\"8\"XX\n"
           "end\n";
}
