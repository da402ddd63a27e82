/*
 * serve-query.c - what `colophon serve` does with a query: a Z39.50 type-1
 * query with Bib-1 attributes, or SRU's CQL, turned into the query
 * language of search.h (query.h), so that the server searches exactly as
 * the editor does (serve.h lists what is supported).
 *
 * Everything a client may send is checked here and refused with the Bib-1
 * diagnostic that names it; the text produced is then parsed by query.c
 * like anything a cataloger types (values are always quoted, so no client
 * text is ever read as an operator).  No repository, no GFS here.
 */
#include "serve-int.h"
#include "serve.h"

#include "ident.h"
#include "mms.h"
#include "query.h"

#include "buf.h"
#include "utf8.h"

#include <yaz/cql.h>
#include <yaz/diagbib1.h>
#include <yaz/oid_db.h>
#include <yaz/oid_util.h>
#include <yaz/pquery.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Deeper nesting is refused before query.c's own limit is reached. */
#define SERVE_MAX_DEPTH 30

struct qx {
    struct marc_buf out;
    int diag;
    char *addinfo;
    serve_set_query_fn sets;
    void *ctx;
};

static int qx_fail(struct qx *x, int diag, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
qx_fail(struct qx *x, int diag, const char *fmt, ...)
{
    if (!x->diag) {
        x->diag = diag;
        va_list ap;
        va_start(ap, fmt);
        x->addinfo = xvasprintf(fmt, ap);
        va_end(ap);
    }
    return CORE_ERR_USER;
}

/* How the words of a term combine. */
enum words { W_PHRASE, W_ALL, W_ANY };

struct term {
    enum core_qindex index;
    enum words words;
    bool truncated;
};

static bool
is_ident(enum core_qindex i)
{
    return i == CORE_QI_MMS || i == CORE_QI_OCLC || i == CORE_QI_ISBN || i == CORE_QI_ISSN;
}

/* index="value"[*] with the value escaped for query.c. */
static void
put_one(struct marc_buf *b, enum core_qindex index, const char *v, size_t len, bool truncated)
{
    marc_buf_printf(b, "%s=\"", core_qindex_name(index));
    for (size_t i = 0; i < len; i++) {
        if (v[i] == '"' || v[i] == '\\')
            marc_buf_putc(b, '\\');
        marc_buf_putc(b, v[i]);
    }
    marc_buf_putc(b, '"');
    if (truncated)
        marc_buf_putc(b, '*');
}

static bool
blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* An identifier value must be one the index can look up. */
static int
check_ident(struct qx *x, const struct term *t, const char *v)
{
    char norm[CORE_IDENT_MAX];
    size_t len = strlen(v);
    bool ok = true;
    const char *what = "";
    switch (t->index) {
    case CORE_QI_ISBN:
        ok = core_ident_isbn(v, len, norm) || core_ident_lccn(v, len, norm);
        what = "an ISBN or LCCN";
        break;
    case CORE_QI_ISSN:
        ok = core_ident_issn(v, len, norm);
        what = "an ISSN";
        break;
    case CORE_QI_OCLC:
        ok = core_ident_oclc(v, len, false, norm);
        what = "an OCLC number";
        break;
    default:
        ok = core_mms_parse(v, NULL, NULL) != CORE_MMS_NONE;
        what = "an MMS ID";
        break;
    }
    if (!ok)
        return qx_fail(x, YAZ_BIB1_ILLEGAL_TERM_VALUE_FOR_ATTRIBUTE, "'%s' is not %s", v, what);
    if (t->truncated)
        return qx_fail(x, YAZ_BIB1_UNSUPP_TRUNCATION_ATTRIBUTE,
                       "the %s index takes whole values: no truncation", core_qindex_name(t->index));
    return CORE_OK;
}

/* A term's value (bytes from the client) as one or more index="..." terms. */
static int
put_term(struct qx *x, const struct term *t, const char *v, size_t len)
{
    if (memchr(v, '\0', len) || !marc_utf8_valid(v, len, NULL))
        return qx_fail(x, YAZ_BIB1_MALFORMED_SEARCH_TERM,
                       "the term is not UTF-8 text (this server reads terms as UTF-8)");
    /* the words, blanks collapsed */
    struct marc_buf words = MARC_BUF_INIT;
    size_t nwords = 0;
    for (size_t i = 0; i < len;) {
        while (i < len && blank(v[i]))
            i++;
        size_t start = i;
        while (i < len && !blank(v[i]))
            i++;
        if (i > start) {
            if (nwords++)
                marc_buf_putc(&words, ' ');
            marc_buf_append(&words, v + start, i - start);
        }
    }
    marc_buf_putc(&words, '\0');
    int rc = CORE_OK;
    if (nwords == 0)
        rc = qx_fail(x, YAZ_BIB1_MALFORMED_SEARCH_TERM, "the term is empty");
    else if (is_ident(t->index))
        rc = check_ident(x, t, words.data);
    if (rc == CORE_OK && (t->words == W_PHRASE || nwords == 1 || is_ident(t->index))) {
        put_one(&x->out, t->index, words.data, strlen(words.data), t->truncated);
    } else if (rc == CORE_OK) {
        marc_buf_putc(&x->out, '(');
        size_t k = 0;
        for (char *w = words.data, *save = NULL, *tok = strtok_r(w, " ", &save); tok;
             tok = strtok_r(NULL, " ", &save), k++) {
            if (k)
                marc_buf_puts(&x->out, t->words == W_ALL ? " AND " : " OR ");
            put_one(&x->out, t->index, tok, strlen(tok), t->truncated);
        }
        marc_buf_putc(&x->out, ')');
    }
    marc_buf_free(&words);
    return rc;
}

/* ---- Bib-1 ---- */

static const struct {
    int use;
    enum core_qindex index;
} bib1_uses[] = {
    {1, CORE_QI_AUTHOR},    {2, CORE_QI_AUTHOR},    {3, CORE_QI_AUTHOR},
    {4, CORE_QI_TITLE},     {5, CORE_QI_TITLE},     {6, CORE_QI_TITLE},
    {7, CORE_QI_ISBN},      {8, CORE_QI_ISSN},      {9, CORE_QI_ISBN},
    {12, CORE_QI_MMS},      {21, CORE_QI_SUBJECT},  {1003, CORE_QI_AUTHOR},
    {1004, CORE_QI_AUTHOR}, {1005, CORE_QI_AUTHOR}, {1006, CORE_QI_AUTHOR},
    {1016, CORE_QI_KEYWORD}, {1017, CORE_QI_KEYWORD}, {1035, CORE_QI_KEYWORD},
    {1211, CORE_QI_OCLC},
};

/* A string Use attribute: the query language's names, and "any". */
static int
string_use(const char *name)
{
    static const enum core_qindex named[] = {CORE_QI_KEYWORD, CORE_QI_TITLE, CORE_QI_AUTHOR,
                                             CORE_QI_SUBJECT, CORE_QI_MMS,   CORE_QI_OCLC,
                                             CORE_QI_ISBN,    CORE_QI_ISSN};
    if (strcasecmp(name, "any") == 0)
        return CORE_QI_KEYWORD;
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        if (strcasecmp(name, core_qindex_name(named[i])) == 0)
            return (int)named[i];
    return -1;
}

static bool
bib1_set(const Odr_oid *oid)
{
    return !oid || oid_oidcmp(oid, yaz_oid_attset_bib_1) == 0;
}

static int
wrong_set(struct qx *x, const Odr_oid *oid)
{
    char buf[OID_STR_MAX];
    return qx_fail(x, YAZ_BIB1_UNSUPP_ATTRIBUTE_SET, "%s (only Bib-1 is supported)",
                   oid_oid_to_dotstring(oid, buf));
}

static int
one_of(long long v, const int *ok, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v == ok[i])
            return 1;
    return 0;
}

/* Attribute type `type` with numeric value v into t. */
static int
numeric_attr(struct qx *x, long long type, long long v, struct term *t, bool *have_use)
{
    static const int relations[] = {3, 102};
    static const int positions[] = {1, 2, 3};
    static const int completeness[] = {1, 2, 3};
    switch (type) {
    case 1:
        for (size_t i = 0; i < sizeof bib1_uses / sizeof *bib1_uses; i++)
            if (bib1_uses[i].use == v) {
                t->index = bib1_uses[i].index;
                *have_use = true;
                return CORE_OK;
            }
        return qx_fail(x, YAZ_BIB1_UNSUPP_USE_ATTRIBUTE, "%lld", v);
    case 2:
        return one_of(v, relations, 2) ? CORE_OK
                                       : qx_fail(x, YAZ_BIB1_UNSUPP_RELATION_ATTRIBUTE, "%lld", v);
    case 3:
        return one_of(v, positions, 3) ? CORE_OK
                                       : qx_fail(x, YAZ_BIB1_UNSUPP_POSITION_ATTRIBUTE, "%lld", v);
    case 4:
        if (v == 1 || v == 2 || v == 3)
            t->words = W_PHRASE;
        else if (v == 6)
            t->words = W_ALL;
        else if (v == 105 || v == 106)
            t->words = W_ANY;
        else
            return qx_fail(x, YAZ_BIB1_UNSUPP_STRUCTURE_ATTRIBUTE, "%lld", v);
        return CORE_OK;
    case 5:
        if (v == 1 || v == 100) {
            t->truncated = v == 1;
            return CORE_OK;
        }
        return qx_fail(x, YAZ_BIB1_UNSUPP_TRUNCATION_ATTRIBUTE, "%lld (only 1, right, and 100, none)",
                       v);
    case 6:
        return one_of(v, completeness, 3)
                   ? CORE_OK
                   : qx_fail(x, YAZ_BIB1_UNSUPP_COMPLETENESS_ATTRIBUTE, "%lld", v);
    default:
        return qx_fail(x, YAZ_BIB1_UNSUPP_ATTRIBUTE_TYPE, "%lld", type);
    }
}

static int
rpn_attrs(struct qx *x, const Z_AttributeList *list, struct term *t)
{
    bool have_use = false;
    t->index = CORE_QI_KEYWORD;
    t->words = W_PHRASE;
    t->truncated = false;
    for (int i = 0; list && i < list->num_attributes; i++) {
        const Z_AttributeElement *a = list->attributes[i];
        if (!bib1_set(a->attributeSet))
            return wrong_set(x, a->attributeSet);
        long long type = *a->attributeType;
        if (a->which == Z_AttributeValue_numeric) {
            if (numeric_attr(x, type, *a->value.numeric, t, &have_use) != CORE_OK)
                return CORE_ERR_USER;
            continue;
        }
        const Z_ComplexAttribute *c = a->value.complex;
        const Z_StringOrNumeric *sn = c && c->num_list > 0 ? c->list[0] : NULL;
        if (!sn)
            return qx_fail(x, YAZ_BIB1_UNSUPP_ATTRIBUTE, "type %lld without a value", type);
        if (sn->which == Z_StringOrNumeric_numeric) {
            if (numeric_attr(x, type, *sn->u.numeric, t, &have_use) != CORE_OK)
                return CORE_ERR_USER;
            continue;
        }
        int idx = type == 1 ? string_use(sn->u.string) : -1;
        if (idx < 0)
            return qx_fail(x, type == 1 ? YAZ_BIB1_UNSUPP_USE_ATTRIBUTE : YAZ_BIB1_UNSUPP_ATTRIBUTE,
                           "%s", sn->u.string);
        t->index = (enum core_qindex)idx;
        have_use = true;
    }
    return CORE_OK;
}

static int
rpn_apt(struct qx *x, const Z_AttributesPlusTerm *apt)
{
    struct term t;
    if (rpn_attrs(x, apt->attributes, &t) != CORE_OK)
        return CORE_ERR_USER;
    const Z_Term *term = apt->term;
    char num[32];
    switch (term->which) {
    case Z_Term_general:
        return put_term(x, &t, term->u.general->buf, (size_t)term->u.general->len);
    case Z_Term_characterString:
        return put_term(x, &t, term->u.characterString, strlen(term->u.characterString));
    case Z_Term_numeric:
        snprintf(num, sizeof num, "%lld", (long long)*term->u.numeric);
        return put_term(x, &t, num, strlen(num));
    default:
        return qx_fail(x, YAZ_BIB1_TERM_TYPE_UNSUPP, "only general, numeric and character terms");
    }
}

static int
rpn_node(struct qx *x, const Z_RPNStructure *s, int depth)
{
    if (depth > SERVE_MAX_DEPTH)
        return qx_fail(x, YAZ_BIB1_TOO_MANY_BOOLEAN_OPERATORS, "nested more than %d deep",
                       SERVE_MAX_DEPTH);
    if (s->which == Z_RPNStructure_simple) {
        const Z_Operand *o = s->u.simple;
        if (o->which == Z_Operand_APT)
            return rpn_apt(x, o->u.attributesPlusTerm);
        if (o->which == Z_Operand_resultSetId) {
            const char *q = x->sets ? x->sets(x->ctx, o->u.resultSetId) : NULL;
            if (!q)
                return qx_fail(x, YAZ_BIB1_SPECIFIED_RESULT_SET_DOES_NOT_EXIST, "%s",
                               o->u.resultSetId);
            marc_buf_printf(&x->out, "(%s)", q);
            return CORE_OK;
        }
        return qx_fail(x, YAZ_BIB1_RESULT_SET_UNSUPP_AS_A_SEARCH_TERM,
                       "a result set with attributes");
    }
    const Z_Complex *c = s->u.complex;
    const char *op = c->roperator->which == Z_Operator_and     ? " AND "
                     : c->roperator->which == Z_Operator_or     ? " OR "
                     : c->roperator->which == Z_Operator_and_not ? " NOT "
                                                                 : NULL;
    if (!op)
        return qx_fail(x, YAZ_BIB1_OPERATOR_UNSUPP, "proximity");
    marc_buf_putc(&x->out, '(');
    if (rpn_node(x, c->s1, depth + 1) != CORE_OK)
        return CORE_ERR_USER;
    marc_buf_printf(&x->out, ")%s(", op);
    if (rpn_node(x, c->s2, depth + 1) != CORE_OK)
        return CORE_ERR_USER;
    marc_buf_putc(&x->out, ')');
    return CORE_OK;
}

static int
qx_result(struct qx *x, int rc, char **query, int *diag, char **addinfo)
{
    *query = NULL;
    *diag = 0;
    *addinfo = NULL;
    if (rc == CORE_OK) {
        marc_buf_putc(&x->out, '\0');
        *query = marc_buf_steal(&x->out);
        free(x->addinfo);
        return CORE_OK;
    }
    marc_buf_free(&x->out);
    *diag = x->diag ? x->diag : YAZ_BIB1_MALFORMED_QUERY;
    *addinfo = x->addinfo;
    return CORE_ERR_USER;
}

int
serve_rpn_to_query(const Z_RPNQuery *q, serve_set_query_fn sets, void *ctx, char **query,
                   int *diag, char **addinfo)
{
    struct qx x = {.sets = sets, .ctx = ctx};
    int rc;
    if (!q || !q->RPNStructure)
        rc = qx_fail(&x, YAZ_BIB1_MALFORMED_QUERY, "no query");
    else if (!bib1_set(q->attributeSetId))
        rc = wrong_set(&x, q->attributeSetId);
    else
        rc = rpn_node(&x, q->RPNStructure, 0);
    return qx_result(&x, rc, query, diag, addinfo);
}

int
core_serve_pqf_query(const char *pqf, char **query, int *diag, char **addinfo)
{
    ODR odr = odr_createmem(ODR_ENCODE);
    YAZ_PQF_Parser p = yaz_pqf_create();
    Z_RPNQuery *q = yaz_pqf_parse(p, odr, pqf);
    int rc;
    if (!q) {
        const char *msg = "";
        size_t off = 0;
        yaz_pqf_error(p, &msg, &off);
        *query = NULL;
        *diag = YAZ_BIB1_MALFORMED_QUERY;
        *addinfo = xasprintf("PQF: %s at offset %zu", msg, off);
        rc = CORE_ERR_USER;
    } else {
        rc = serve_rpn_to_query(q, NULL, NULL, query, diag, addinfo);
    }
    yaz_pqf_destroy(p);
    odr_destroy(odr);
    return rc;
}

/* ---- CQL ---- */

static const struct {
    const char *name;
    enum core_qindex index;
} cql_indexes[] = {
    {"cql.serverChoice", CORE_QI_KEYWORD}, {"cql.anywhere", CORE_QI_KEYWORD},
    {"cql.keywords", CORE_QI_KEYWORD},     {"keyword", CORE_QI_KEYWORD},
    {"dc.title", CORE_QI_TITLE},           {"title", CORE_QI_TITLE},
    {"dc.creator", CORE_QI_AUTHOR},        {"dc.author", CORE_QI_AUTHOR},
    {"author", CORE_QI_AUTHOR},            {"dc.subject", CORE_QI_SUBJECT},
    {"subject", CORE_QI_SUBJECT},          {"bath.isbn", CORE_QI_ISBN},
    {"isbn", CORE_QI_ISBN},                {"bath.lccn", CORE_QI_ISBN},
    {"bath.issn", CORE_QI_ISSN},           {"issn", CORE_QI_ISSN},
    {"rec.id", CORE_QI_MMS},               {"mms", CORE_QI_MMS},
    {"oclc", CORE_QI_OCLC},                {"bath.oclc", CORE_QI_OCLC},
    {"local.oclc", CORE_QI_OCLC},
};

static bool
all_records(const struct cql_node *n)
{
    return n && n->which == CQL_NODE_ST && n->u.st.index &&
           strcasecmp(n->u.st.index, "cql.allRecords") == 0;
}

/* A CQL term: backslash escapes; a trailing '*' truncates; other masking is refused. */
static int
cql_term_text(struct qx *x, const char *term, struct marc_buf *out, bool *truncated)
{
    size_t n = strlen(term);
    *truncated = false;
    for (size_t i = 0; i < n; i++) {
        char c = term[i];
        if (c == '\\' && i + 1 < n) {
            marc_buf_putc(out, term[++i]);
        } else if (c == '*' && i == n - 1 && i > 0) {
            *truncated = true;
        } else if (c == '*' || c == '?' || c == '^') {
            return qx_fail(x, YAZ_BIB1_UNSUPP_TRUNCATION_ATTRIBUTE,
                           "masking character '%c' (only a trailing '*')", c);
        } else {
            marc_buf_putc(out, c);
        }
    }
    return CORE_OK;
}

static int
cql_st(struct qx *x, const struct cql_node *n)
{
    const char *index = n->u.st.index ? n->u.st.index : "cql.serverChoice";
    struct term t = {.index = CORE_QI_KEYWORD, .words = W_PHRASE};
    size_t i = 0, ni = sizeof cql_indexes / sizeof *cql_indexes;
    while (i < ni && strcasecmp(cql_indexes[i].name, index) != 0)
        i++;
    if (all_records(n))
        return qx_fail(x, YAZ_BIB1_UNSUPP_USE_ATTRIBUTE,
                       "cql.allRecords (only in 'cql.allRecords=1 not ...')");
    if (i == ni)
        return qx_fail(x, YAZ_BIB1_UNSUPP_USE_ATTRIBUTE, "%s", index);
    t.index = cql_indexes[i].index;
    const char *rel = n->u.st.relation ? n->u.st.relation : "=";
    if (n->u.st.modifiers)
        return qx_fail(x, YAZ_BIB1_UNSUPP_RELATION_ATTRIBUTE, "relation modifiers on %s", rel);
    if (strcasecmp(rel, "all") == 0)
        t.words = W_ALL;
    else if (strcasecmp(rel, "any") == 0)
        t.words = W_ANY;
    else if (strcmp(rel, "=") != 0 && strcmp(rel, "==") != 0 && strcasecmp(rel, "adj") != 0 &&
             strcasecmp(rel, "exact") != 0 && strcasecmp(rel, "scr") != 0)
        return qx_fail(x, YAZ_BIB1_UNSUPP_RELATION_ATTRIBUTE, "%s", rel);
    struct marc_buf v = MARC_BUF_INIT;
    int rc = cql_term_text(x, n->u.st.term ? n->u.st.term : "", &v, &t.truncated);
    if (rc == CORE_OK)
        rc = put_term(x, &t, v.data ? v.data : "", v.len);
    marc_buf_free(&v);
    return rc;
}

static int
cql_walk(struct qx *x, const struct cql_node *n, int depth)
{
    if (depth > SERVE_MAX_DEPTH)
        return qx_fail(x, YAZ_BIB1_TOO_MANY_BOOLEAN_OPERATORS, "nested more than %d deep",
                       SERVE_MAX_DEPTH);
    if (n->which == CQL_NODE_SORT)
        return cql_walk(x, n->u.sort.search, depth + 1); /* our order: relevance, newest */
    if (n->which == CQL_NODE_ST)
        return cql_st(x, n);
    const char *v = n->u.boolean.value;
    if (n->u.boolean.modifiers || !v ||
        (strcasecmp(v, "and") != 0 && strcasecmp(v, "or") != 0 && strcasecmp(v, "not") != 0))
        return qx_fail(x, YAZ_BIB1_OPERATOR_UNSUPP, "%s%s", v ? v : "?",
                       n->u.boolean.modifiers ? " with modifiers" : "");
    const struct cql_node *l = n->u.boolean.left, *r = n->u.boolean.right;
    bool and_ = strcasecmp(v, "and") == 0, not_ = strcasecmp(v, "not") == 0;
    if (all_records(l) && (and_ || not_)) {
        marc_buf_puts(&x->out, not_ ? "NOT (" : "(");
        int rc = cql_walk(x, r, depth + 1);
        marc_buf_putc(&x->out, ')');
        return rc;
    }
    if (all_records(r) && and_)
        return cql_walk(x, l, depth + 1);
    marc_buf_putc(&x->out, '(');
    if (cql_walk(x, l, depth + 1) != CORE_OK)
        return CORE_ERR_USER;
    marc_buf_printf(&x->out, ") %s (", and_ ? "AND" : not_ ? "NOT" : "OR");
    if (cql_walk(x, r, depth + 1) != CORE_OK)
        return CORE_ERR_USER;
    marc_buf_putc(&x->out, ')');
    return CORE_OK;
}

int
serve_cql_to_query(const char *cql, char **query, int *diag, char **addinfo)
{
    struct qx x = {0};
    CQL_parser cp = cql_parser_create();
    int rc;
    if (!cql || cql_parser_string(cp, cql) != 0)
        rc = qx_fail(&x, YAZ_BIB1_MALFORMED_QUERY, "CQL syntax error in '%s'", cql ? cql : "");
    else
        rc = cql_walk(&x, cql_parser_result(cp), 0);
    cql_parser_destroy(cp);
    return qx_result(&x, rc, query, diag, addinfo);
}

int
core_serve_cql_query(const char *cql, char **query, int *diag, char **addinfo)
{
    return serve_cql_to_query(cql, query, diag, addinfo);
}

/* ---- scan start points ---- */

/* A start term from the client's bytes: UTF-8, no NUL; blanks at the ends dropped. */
static int
scan_term(struct qx *x, const char *v, size_t len, char **term)
{
    if (memchr(v, '\0', len) || !marc_utf8_valid(v, len, NULL))
        return qx_fail(x, YAZ_BIB1_MALFORMED_SEARCH_TERM,
                       "the term is not UTF-8 text (this server reads terms as UTF-8)");
    while (len && blank(*v)) {
        v++;
        len--;
    }
    while (len && blank(v[len - 1]))
        len--;
    *term = xstrndup(v, len);
    return CORE_OK;
}

static int
scan_result(struct qx *x, int rc, int *diag, char **addinfo)
{
    *diag = rc == CORE_OK ? 0 : x->diag ? x->diag : YAZ_BIB1_SCAN_MALFORMED_SCAN;
    *addinfo = rc == CORE_OK ? NULL : x->addinfo;
    if (rc == CORE_OK)
        free(x->addinfo);
    marc_buf_free(&x->out);
    return rc;
}

int
serve_scan_start(const Z_AttributesPlusTerm *apt, const Odr_oid *attrset,
                 enum core_qindex *index, char **term, int *diag, char **addinfo)
{
    struct qx x = {0};
    struct term t;
    char num[32];
    int rc;
    *term = NULL;
    if (!apt || !apt->term)
        rc = qx_fail(&x, YAZ_BIB1_SCAN_MALFORMED_SCAN, "no start term");
    else if (!bib1_set(attrset))
        rc = wrong_set(&x, attrset);
    else
        rc = rpn_attrs(&x, apt->attributes, &t);
    if (rc == CORE_OK) {
        const Z_Term *z = apt->term;
        switch (z->which) {
        case Z_Term_general:
            rc = scan_term(&x, (const char *)z->u.general->buf, (size_t)z->u.general->len, term);
            break;
        case Z_Term_characterString:
            rc = scan_term(&x, z->u.characterString, strlen(z->u.characterString), term);
            break;
        case Z_Term_numeric:
            snprintf(num, sizeof num, "%lld", (long long)*z->u.numeric);
            rc = scan_term(&x, num, strlen(num), term);
            break;
        default:
            rc = qx_fail(&x, YAZ_BIB1_TERM_TYPE_UNSUPP,
                         "only general, numeric and character terms");
        }
        *index = t.index;
    }
    return scan_result(&x, rc, diag, addinfo);
}

int
serve_cql_scan_start(const char *clause, enum core_qindex *index, char **term, int *diag,
                     char **addinfo)
{
    struct qx x = {0};
    CQL_parser cp = cql_parser_create();
    const struct cql_node *n = NULL;
    int rc = CORE_OK;
    *term = NULL;
    if (!clause || cql_parser_string(cp, clause) != 0)
        rc = qx_fail(&x, YAZ_BIB1_MALFORMED_QUERY, "CQL syntax error in '%s'",
                     clause ? clause : "");
    else if ((n = cql_parser_result(cp))->which != CQL_NODE_ST)
        rc = qx_fail(&x, YAZ_BIB1_MALFORMED_QUERY,
                     "a scan clause is one index, relation and term");
    size_t i = 0, ni = sizeof cql_indexes / sizeof *cql_indexes;
    const char *name = n && n->u.st.index ? n->u.st.index : "cql.serverChoice";
    while (rc == CORE_OK && i < ni && strcasecmp(cql_indexes[i].name, name) != 0)
        i++;
    if (rc == CORE_OK && i == ni)
        rc = qx_fail(&x, YAZ_BIB1_UNSUPP_USE_ATTRIBUTE, "%s", name);
    const char *rel = n && n->u.st.relation ? n->u.st.relation : "=";
    if (rc == CORE_OK && (n->u.st.modifiers ||
                          (strcmp(rel, "=") != 0 && strcmp(rel, "==") != 0 &&
                           strcmp(rel, ">=") != 0 && strcasecmp(rel, "exact") != 0 &&
                           strcasecmp(rel, "adj") != 0 && strcasecmp(rel, "scr") != 0 &&
                           strcasecmp(rel, "all") != 0 && strcasecmp(rel, "any") != 0)))
        rc = qx_fail(&x, YAZ_BIB1_UNSUPP_RELATION_ATTRIBUTE, "%s%s", rel,
                     n->u.st.modifiers ? " with modifiers" : "");
    if (rc == CORE_OK) {
        struct marc_buf v = MARC_BUF_INIT;
        bool truncated; /* a start point: '*' changes nothing */
        rc = cql_term_text(&x, n->u.st.term ? n->u.st.term : "", &v, &truncated);
        if (rc == CORE_OK)
            rc = scan_term(&x, v.data ? v.data : "", v.len, term);
        marc_buf_free(&v);
        *index = cql_indexes[i].index;
    }
    cql_parser_destroy(cp);
    return scan_result(&x, rc, diag, addinfo);
}
