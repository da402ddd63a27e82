/*
 * search.c - searching a zone (see search.h): the query tree of query.c
 * compiled to SQL over the zone's full-text index (bib_fts), identifier
 * index (ident) and tables, run, and turned into brief result lines.
 *
 * Compilation.  Word terms (keyword, title, author, subject) become FTS5
 * phrases.  The user's text never reaches FTS5's query syntax: it goes
 * through the same unicode61 tokenizer the index uses (so diacritics fold
 * the same way), and the tokens are written as a quoted FTS5 string.  A
 * subtree of word terms is one MATCH expression; identifier terms are
 * lookups (ident keys, MMS IDs, barcodes), and mixed subtrees are set
 * algebra over bib ids (INTERSECT, UNION, EXCEPT).  Every value is a bound
 * parameter; the SQL text depends only on the shape of the query.
 *
 * Conditions.  Scope Physical, and linked terms ANDed at the top of the
 * query, are conditions on each hit read from small indexes (holding_bib,
 * bib_linked), not sets: a set of half a catalogue is slow to build, a
 * condition costs nothing until a hit is checked.  Deleted records are
 * never found: their index entries go with the delete, and the bib rows
 * of a page are checked again.
 *
 * Ordering.  A query of words only is ranked by relevance (bm25, a title
 * match weighing most) when it matches at most RANK_MAX_MATCHES records;
 * ranking costs time in proportion to the matches, so a query of very
 * frequent words (a quarter of a catalogue matches "music") lists newest
 * first, which FTS5 does by walking its index backwards and stopping at
 * the page.  Queries with identifier terms list newest first too.
 * docs/SEARCH.md has the figures.
 */
#include "search.h"

#include "query.h"
#include "repo-int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEARCH_DEFAULT_LIMIT 50
/* Up to this many matches a word query is ranked by bm25 (see above and
 * docs/SEARCH.md for the measurements behind the figure). */
#define RANK_MAX_MATCHES 5000
/* Scope Physical walks the held bibs instead of the matches when they are
 * at most this many (each costs one seek in the full-text index). */
#define PHYSICAL_DRIVE_MAX 20000
/* bm25 weights of the columns title, author, subject, other. */
#define BM25_WEIGHTS "8.0, 4.0, 2.0, 1.0"
/* Parameters ?1..?3 of the final statements; compiled values start at ?4. */
#define FIRST_PARAM 4

/* ---- compiling ---- */

enum piece_kind {
    P_EMPTY, /* only words without letters or digits: nothing to search */
    P_FTS,   /* an FTS5 MATCH expression (text) */
    P_SET,   /* a SELECT of bib ids (SQL text) */
    P_ALL,   /* every bib: a term that became a condition on the result */
};

struct piece {
    enum piece_kind kind;
    struct marc_buf text;
};

struct compiler {
    struct core_repo *repo;
    const char *s; /* schema of the zone: "main", "nz", "cz" */
    char **params; /* values of ?FIRST_PARAM... */
    size_t nparams, capparams;
    int leaves;
    fts5_tokenizer tok;
    Fts5Tokenizer *tokenizer;
    const struct core_qnode *empty_leaf; /* first word term without words */
    bool want_linked, want_unlinked;     /* hoisted linked terms */
    /* Combined sets as common table expressions "s1 AS (...), s2 AS (...)":
     * nested as subqueries, 64 terms overflowed SQLite's parser stack. */
    struct marc_buf with;
    int nwith;
};

static const char *
text_of(struct marc_buf *b)
{
    marc_buf_reserve(b, 1);
    b->data[b->len] = '\0';
    return b->data;
}

/* Add a bound value; returns its parameter number. */
static size_t
add_param(struct compiler *c, const char *value)
{
    if (c->nparams == c->capparams) {
        c->capparams = c->capparams ? c->capparams * 2 : 8;
        c->params = xrealloc(c->params, c->capparams * sizeof *c->params);
    }
    c->params[c->nparams] = xstrdup(value);
    return FIRST_PARAM + c->nparams++;
}

/* The tokenizer of the index (schema.c: unicode61 remove_diacritics 2). */
static int
open_tokenizer(struct compiler *c)
{
    return repo_fts_tokenizer(c->repo, &c->tok, &c->tokenizer, "searching");
}

static int
collect_token(void *ctx, int flags, const char *token, int len, int start, int end)
{
    struct marc_buf *b = ctx;
    if (flags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    if (b->len)
        marc_buf_putc(b, ' ');
    marc_buf_append(b, token, (size_t)len);
    return SQLITE_OK;
}

static const char *
fts_column(enum core_qindex i)
{
    switch (i) {
    case CORE_QI_TITLE:
        return "title : ";
    case CORE_QI_AUTHOR:
        return "author : ";
    case CORE_QI_SUBJECT:
        return "subject : ";
    default:
        return ""; /* keyword: every column */
    }
}

/* A word term as an FTS5 phrase of its tokens: [column : ]"tok tok"[ *]. */
static int
word_leaf(struct compiler *c, const struct core_qnode *n, struct piece *out)
{
    struct marc_buf toks = MARC_BUF_INIT;
    int rc = c->tok.xTokenize(c->tokenizer, &toks, FTS5_TOKENIZE_QUERY, n->value,
                              (int)strlen(n->value), collect_token);
    if (rc != SQLITE_OK) {
        marc_buf_free(&toks);
        return repo_fail(c->repo, CORE_ERR_DB, "column %d: the words of '%s' cannot be read",
                         n->column, n->value);
    }
    if (toks.len == 0) {
        if (!c->empty_leaf)
            c->empty_leaf = n;
        out->kind = P_EMPTY;
        marc_buf_free(&toks);
        return CORE_OK;
    }
    out->kind = P_FTS;
    marc_buf_puts(&out->text, fts_column(n->index));
    marc_buf_putc(&out->text, '"');
    for (size_t i = 0; i < toks.len; i++) {
        if (toks.data[i] == '"')
            marc_buf_putc(&out->text, '"'); /* FTS5 strings double their quotes */
        marc_buf_putc(&out->text, toks.data[i]);
    }
    marc_buf_putc(&out->text, '"');
    if (n->truncated)
        marc_buf_puts(&out->text, " *");
    marc_buf_free(&toks);
    return CORE_OK;
}

/* Bibs with one of the ident keys ("o:123"), deduplicated. */
static void
keys_set(struct compiler *c, const char *const *keys, size_t nkeys, struct piece *out)
{
    out->kind = P_SET;
    marc_buf_printf(&out->text, "SELECT bib FROM %s.ident WHERE key IN (", c->s);
    for (size_t i = 0; i < nkeys; i++) {
        bool dup = false;
        for (size_t k = 0; k < i; k++)
            dup = dup || strcmp(keys[k], keys[i]) == 0;
        if (!dup)
            marc_buf_printf(&out->text, "%s?%zu", i ? ", " : "", add_param(c, keys[i]));
    }
    marc_buf_putc(&out->text, ')');
}

static int
bad_value(struct compiler *c, const struct core_qnode *n, const char *what)
{
    return repo_fail(c->repo, CORE_ERR_USER, "column %d: '%s' is not %s", n->column, n->value,
                     what);
}

/* oclc= finds 035 $a numbers and cancelled ones (035 $z, 019 $a): a merged
 * OCLC record's old number still leads to the record that absorbed it. */
static int
oclc_leaf(struct compiler *c, const struct core_qnode *n, struct piece *out)
{
    char v[CORE_IDENT_MAX], k1[CORE_IDENT_MAX + 2], k2[CORE_IDENT_MAX + 2];
    if (!core_ident_oclc(n->value, strlen(n->value), false, v))
        return bad_value(c, n, "an OCLC number (12345, ocm00012345, (OCoLC)12345)");
    snprintf(k1, sizeof k1, "%c:%s", CORE_ID_OCLC, v);
    snprintf(k2, sizeof k2, "%c:%s", CORE_ID_OCLC_OLD, v);
    const char *keys[] = {k1, k2};
    keys_set(c, keys, 2, out);
    return CORE_OK;
}

/* What LC prints as an LCCN: up to three letters, digits, perhaps a hyphen
 * and more digits ("2001-1114"), perhaps a revision suffix ("//r82"). */
static bool
looks_like_lccn(const char *s)
{
    s += strspn(s, " ");
    size_t letters = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
    s += letters;
    s += strspn(s, " ");
    size_t digits = strspn(s, "0123456789");
    s += digits;
    if (*s == '-') { /* year-serial: the serial is padded to six digits */
        size_t more = strspn(s + 1, "0123456789");
        if (more == 0 || more > 6)
            return false;
        s += 1 + more;
        digits += 6;
    }
    s += strspn(s, " ");
    return letters <= 3 && (digits == 8 || digits == 10) &&
           (*s == '\0' || (s[0] == '/' && s[1] == '/'));
}

/* isbn= takes an ISBN-10 or -13 (equal after normalising) or an LCCN (010 $a). */
static int
isbn_leaf(struct compiler *c, const struct core_qnode *n, struct piece *out)
{
    char v[CORE_IDENT_MAX], keys[2][CORE_IDENT_MAX + 2];
    const char *kp[2];
    size_t nk = 0, len = strlen(n->value);
    if (core_ident_isbn(n->value, len, v))
        snprintf(keys[nk++], sizeof keys[0], "%c:%s", CORE_ID_ISBN, v);
    if (looks_like_lccn(n->value) && core_ident_lccn(n->value, len, v))
        snprintf(keys[nk++], sizeof keys[0], "%c:%s", CORE_ID_ISBN, v);
    if (nk == 0)
        return bad_value(c, n, "an ISBN (10 or 13 digits) or an LCCN");
    kp[0] = keys[0];
    kp[1] = keys[1];
    keys_set(c, kp, nk, out);
    return CORE_OK;
}

static int
issn_leaf(struct compiler *c, const struct core_qnode *n, struct piece *out)
{
    char v[CORE_IDENT_MAX], key[CORE_IDENT_MAX + 2];
    if (!core_ident_issn(n->value, strlen(n->value), v))
        return bad_value(c, n, "an ISSN (8 characters: 1234-5679)");
    snprintf(key, sizeof key, "%c:%s", CORE_ID_ISSN, v);
    const char *keys[] = {key};
    keys_set(c, keys, 1, out);
    return CORE_OK;
}

/* mms= a bib's ID (or the NZ ID a linked IZ bib carries), or a holdings or
 * item ID, which finds the bib it belongs to. */
static int
mms_leaf(struct compiler *c, const struct core_qnode *n, struct piece *out)
{
    enum core_mms_type type = core_mms_parse(n->value, NULL, NULL);
    if (type == CORE_MMS_NONE)
        return bad_value(c, n, "an MMS ID (99...1234 for a bib, 22... holdings, 23... item)");
    size_t p = add_param(c, n->value);
    out->kind = P_SET;
    if (type == CORE_MMS_BIB)
        marc_buf_printf(&out->text,
                        "SELECT id FROM %s.bib WHERE mms = ?%zu UNION ALL "
                        "SELECT id FROM %s.bib WHERE linked = ?%zu",
                        c->s, p, c->s, p);
    else if (type == CORE_MMS_HOLDINGS)
        marc_buf_printf(&out->text, "SELECT bib FROM %s.holding WHERE mms = ?%zu", c->s, p);
    else
        marc_buf_printf(&out->text,
                        "SELECT h.bib FROM %s.item i JOIN %s.holding h ON h.id = i.holding "
                        "WHERE i.mms = ?%zu",
                        c->s, c->s, p);
    return CORE_OK;
}

static int
leaf(struct compiler *c, const struct core_qnode *n, struct piece *out)
{
    c->leaves++;
    switch (n->index) {
    case CORE_QI_KEYWORD:
    case CORE_QI_TITLE:
    case CORE_QI_AUTHOR:
    case CORE_QI_SUBJECT:
        return word_leaf(c, n, out);
    case CORE_QI_OCLC:
        return oclc_leaf(c, n, out);
    case CORE_QI_ISBN:
        return isbn_leaf(c, n, out);
    case CORE_QI_ISSN:
        return issn_leaf(c, n, out);
    case CORE_QI_MMS:
        return mms_leaf(c, n, out);
    case CORE_QI_LINKED: /* inside an OR: a set (the partial index bib_linked lists it) */
        out->kind = P_SET;
        if (n->not_equal)
            marc_buf_printf(&out->text,
                            "SELECT id FROM %s.bib EXCEPT SELECT id FROM %s.bib WHERE linked IS "
                            "NOT NULL",
                            c->s, c->s);
        else
            marc_buf_printf(&out->text, "SELECT id FROM %s.bib WHERE linked IS NOT NULL", c->s);
        return CORE_OK;
    case CORE_QI_BARCODE:
        out->kind = P_SET;
        marc_buf_printf(&out->text,
                        "SELECT h.bib FROM %s.item i JOIN %s.holding h ON h.id = i.holding "
                        "WHERE i.barcode = ?%zu",
                        c->s, c->s, add_param(c, n->value));
        return CORE_OK;
    }
    return repo_fail(c->repo, CORE_ERR_USER, "column %d: unknown index", n->column);
}

/* A MATCH expression as a set of bib ids. */
/* Make the set p a named common table expression and p a reference to it,
 * so that combining sets never nests SQL deeper than one level. */
static void
hoist(struct compiler *c, struct piece *p)
{
    marc_buf_printf(&c->with, "%ss%d AS (%s)", c->nwith ? ", " : "", c->nwith + 1,
                    text_of(&p->text));
    c->nwith++;
    marc_buf_reset(&p->text);
    marc_buf_printf(&p->text, "SELECT * FROM s%d", c->nwith);
}

static void
fts_to_set(struct compiler *c, struct piece *p)
{
    if (p->kind != P_FTS)
        return;
    size_t k = add_param(c, text_of(&p->text));
    marc_buf_reset(&p->text);
    marc_buf_printf(&p->text, "SELECT rowid FROM %s.bib_fts WHERE bib_fts MATCH ?%zu", c->s, k);
    p->kind = P_SET;
}

/* out = l OP r where both are MATCH expressions. */
static void
fts_combine(enum core_qkind kind, struct piece *l, struct piece *r, struct piece *out)
{
    static const char *ops[] = {[CORE_Q_AND] = "AND", [CORE_Q_OR] = "OR", [CORE_Q_NOT] = "NOT"};
    out->kind = P_FTS;
    marc_buf_printf(&out->text, "(%s) %s (%s)", text_of(&l->text), ops[kind], text_of(&r->text));
}

/* out = l OP r as set algebra (at least one side is a set). */
static void
set_combine(struct compiler *c, enum core_qkind kind, struct piece *l, struct piece *r,
            struct piece *out)
{
    out->kind = P_SET;
    if (kind != CORE_Q_OR && l->kind == P_FTS) {
        /* words AND/NOT a (usually small) set: FTS5 checks each id of the
         * set instead of listing every match of the words */
        size_t k = add_param(c, text_of(&l->text));
        marc_buf_printf(&out->text,
                        "SELECT rowid FROM %s.bib_fts WHERE bib_fts MATCH ?%zu AND rowid %sIN (%s)",
                        c->s, k, kind == CORE_Q_NOT ? "NOT " : "", text_of(&r->text));
        hoist(c, out);
        return;
    }
    if (kind == CORE_Q_AND && r->kind == P_FTS) {
        set_combine(c, kind, r, l, out);
        return;
    }
    fts_to_set(c, l);
    fts_to_set(c, r);
    static const char *ops[] = {
        [CORE_Q_AND] = "INTERSECT", [CORE_Q_OR] = "UNION", [CORE_Q_NOT] = "EXCEPT"};
    marc_buf_printf(&out->text, "SELECT * FROM (%s) %s SELECT * FROM (%s)", text_of(&l->text),
                    ops[kind], text_of(&r->text));
    hoist(c, out);
}

static void
piece_move(struct piece *to, struct piece *from)
{
    marc_buf_free(&to->text);
    *to = *from;
    memset(from, 0, sizeof *from);
}

/* Every bib except those of r (NOT with nothing on its left). */
static void
all_but(struct compiler *c, struct piece *r, struct piece *out)
{
    fts_to_set(c, r);
    out->kind = P_SET;
    marc_buf_printf(&out->text, "SELECT id FROM %s.bib EXCEPT SELECT * FROM (%s)", c->s,
                    text_of(&r->text));
    hoist(c, out);
}

/*
 * Where a node sits: inside the query, or among the terms ANDed at its
 * top (CTX_TOP), or as the right side of a NOT at the top (CTX_TOP_NOT).
 * A linked term at the top is a condition on the result rather than a set:
 * half a catalogue may be linked, and a set that size is slow to build.
 */
enum context { CTX_INNER, CTX_TOP, CTX_TOP_NOT };

static int compile(struct compiler *c, const struct core_qnode *n, enum context ctx,
                   struct piece *out);

static int
compile_all_but(struct compiler *c, const struct core_qnode *n, enum context ctx, struct piece *out)
{
    struct piece r = {0};
    int rc = compile(c, n->right, ctx == CTX_TOP ? CTX_TOP_NOT : CTX_INNER, &r);
    if (rc == CORE_OK && (r.kind == P_EMPTY || r.kind == P_ALL))
        out->kind = r.kind;
    else if (rc == CORE_OK)
        all_but(c, &r, out);
    marc_buf_free(&r.text);
    return rc;
}

/* Combine two compiled sides; words without letters and hoisted terms drop out. */
static void
combine(struct compiler *c, enum core_qkind kind, struct piece *l, struct piece *r,
        struct piece *out)
{
    if (r->kind == P_EMPTY || r->kind == P_ALL)
        piece_move(out, l); /* words without letters are ignored, like punctuation */
    else if ((l->kind == P_EMPTY || l->kind == P_ALL) && kind == CORE_Q_NOT)
        all_but(c, r, out);
    else if (l->kind == P_EMPTY || l->kind == P_ALL)
        piece_move(out, r);
    else if (l->kind == P_FTS && r->kind == P_FTS)
        fts_combine(kind, l, r, out);
    else
        set_combine(c, kind, l, r, out);
}

static int
compile(struct compiler *c, const struct core_qnode *n, enum context ctx, struct piece *out)
{
    if (n->kind == CORE_Q_TERM && n->index == CORE_QI_LINKED && ctx != CTX_INNER) {
        c->leaves++;
        bool linked = n->not_equal == (ctx == CTX_TOP_NOT);
        c->want_linked |= linked;
        c->want_unlinked |= !linked;
        out->kind = P_ALL;
        return CORE_OK;
    }
    if (n->kind == CORE_Q_TERM)
        return leaf(c, n, out);
    if (n->kind == CORE_Q_NOT && !n->left)
        return compile_all_but(c, n, ctx, out);
    bool top = ctx == CTX_TOP && n->kind != CORE_Q_OR;
    struct piece l = {0}, r = {0};
    int rc = compile(c, n->left, top ? CTX_TOP : CTX_INNER, &l);
    if (rc == CORE_OK)
        rc = compile(c, n->right,
                     !top                    ? CTX_INNER
                     : n->kind == CORE_Q_NOT ? CTX_TOP_NOT
                                             : CTX_TOP,
                     &r);
    if (rc == CORE_OK)
        combine(c, n->kind, &l, &r, out);
    marc_buf_free(&l.text);
    marc_buf_free(&r.text);
    return rc;
}

static void
compiler_free(struct compiler *c)
{
    for (size_t i = 0; i < c->nparams; i++)
        free(c->params[i]);
    free(c->params);
    marc_buf_free(&c->with);
    if (c->tokenizer)
        c->tok.xDelete(c->tokenizer);
}

/* ---- running ---- */

#define BRIEF_COLS                                                                                 \
    "b.mms, b.title, b.author, b.date, b.holdings, b.items, b.linked, l.user, a.assignee"
/* A live lock is one whose holder was seen after ?3 (now - lock.timeout). */
#define BRIEF_JOINS                                                                                \
    " LEFT JOIN {Z}.lock l ON l.mms = b.mms AND l.seen > ?3"                                       \
    " LEFT JOIN {Z}.assignment a ON a.mms = b.mms"

struct run {
    struct core_repo *repo;
    enum core_zone zone;
    const struct core_search_opts *o;
    struct compiler *c;
    struct core_results *out;
    struct core_hit_ids *ids; /* core_search_ids: MMS IDs only, into here */
};

/* The columns and joins of a hit: a brief line, or only its MMS ID. */
static const char *
hit_cols(const struct run *x)
{
    return x->ids ? "b.mms" : BRIEF_COLS;
}

static const char *
hit_joins(const struct run *x)
{
    return x->ids ? "" : BRIEF_JOINS;
}

static void
fill_brief(sqlite3_stmt *st, enum core_zone zone, struct core_brief *b)
{
    memset(b, 0, sizeof *b);
    snprintf(b->mms, sizeof b->mms, "%s", repo_col_text(st, 0));
    snprintf(b->title, sizeof b->title, "%s", repo_col_text(st, 1));
    snprintf(b->author, sizeof b->author, "%s", repo_col_text(st, 2));
    snprintf(b->date, sizeof b->date, "%s", repo_col_text(st, 3));
    b->zone = zone;
    b->holdings = sqlite3_column_int(st, 4);
    b->items = sqlite3_column_int(st, 5);
    snprintf(b->linked, sizeof b->linked, "%s", repo_col_text(st, 6));
    snprintf(b->lock_user, sizeof b->lock_user, "%s", repo_col_text(st, 7));
    snprintf(b->assignee, sizeof b->assignee, "%s", repo_col_text(st, 8));
}

static void
bind_values(struct run *x, sqlite3_stmt *st)
{
    for (size_t i = 0; i < x->c->nparams; i++)
        sqlite3_bind_text(st, (int)(FIRST_PARAM + i), x->c->params[i], -1, SQLITE_STATIC);
}

/* ?1 limit, ?2 offset, ?3 the lock cut-off, then the query's values. */
static void
bind_common(struct run *x, sqlite3_stmt *st)
{
    size_t limit = x->o->limit ? x->o->limit : SEARCH_DEFAULT_LIMIT;
    sqlite3_bind_int64(st, 1, limit > (size_t)LLONG_MAX ? LLONG_MAX : (sqlite3_int64)limit);
    sqlite3_bind_int64(st, 2,
                       x->o->offset > (size_t)LLONG_MAX ? LLONG_MAX : (sqlite3_int64)x->o->offset);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)(core_now() - core_lock_timeout(x->repo)));
    bind_values(x, st);
}

/* Step st to the end, appending MMS IDs. */
static int
collect_ids(struct run *x, sqlite3_stmt *st)
{
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (x->ids->n == cap) {
            cap = cap ? cap * 2 : 64;
            x->ids->mms = xrealloc(x->ids->mms, cap * sizeof *x->ids->mms);
        }
        snprintf(x->ids->mms[x->ids->n++], CORE_MMS_MAX, "%s", repo_col_text(st, 0));
    }
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(x->repo, "searching");
}

/* Step st to the end, appending brief lines (or MMS IDs). */
static int
collect(struct run *x, sqlite3_stmt *st)
{
    if (x->ids)
        return collect_ids(x, st);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (x->out->n == cap) {
            cap = cap ? cap * 2 : 16;
            x->out->hits = xrealloc(x->out->hits, cap * sizeof *x->out->hits);
        }
        fill_brief(st, x->zone, &x->out->hits[x->out->n++]);
    }
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(x->repo, "searching");
}

/* The count statements are "SELECT count(*) FROM (SELECT 1 ... LIMIT ?1)":
 * ?1 is opts.count_max, or -1 (no limit) when it is 0. */
static void
bind_count(struct run *x, sqlite3_stmt *st)
{
    sqlite3_bind_int64(st, 1, x->o->count_max > 0 ? (sqlite3_int64)x->o->count_max : -1);
    bind_values(x, st);
}

static int
count_of(struct run *x, sqlite3_stmt *st, long *total)
{
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *total = (long)sqlite3_column_int64(st, 0);
    return step == SQLITE_ROW ? CORE_OK : repo_db_fail(x->repo, "counting hits");
}

/*
 * Conditions on the bib id `id` (an SQL expression): scope Physical and
 * hoisted linked terms.  Written so that they read indexes (holding_bib,
 * the partial bib_linked) rather than the bib rows, which hold the records.
 */
static void
filters(struct run *x, const char *id, struct marc_buf *out)
{
    if (x->o->physical)
        marc_buf_printf(out, " AND EXISTS (SELECT 1 FROM {Z}.holding h WHERE h.bib = %s)", id);
    if (x->c->want_linked && x->c->want_unlinked)
        marc_buf_puts(out, " AND 0");
    else if (x->c->want_linked || x->c->want_unlinked)
        marc_buf_printf(out, " AND %s %sIN (SELECT id FROM {Z}.bib WHERE linked IS NOT NULL)", id,
                        x->c->want_unlinked ? "NOT " : "");
}

/* Does the MATCH expression ?4 match more than RANK_MAX_MATCHES records? */
static int
too_many_to_rank(struct run *x, bool *many)
{
    sqlite3_stmt *st = repo_stmt(x->repo, x->zone,
                                 "SELECT count(*) FROM (SELECT 1 FROM {Z}.bib_fts "
                                 "WHERE bib_fts MATCH ?4 LIMIT ?1)");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int(st, 1, RANK_MAX_MATCHES + 1);
    bind_values(x, st);
    long n = 0;
    int rc = count_of(x, st, &n);
    sqlite3_reset(st);
    *many = n > RANK_MAX_MATCHES;
    return rc;
}

/*
 * A query of words only: one MATCH, ranked or newest first.  The page is
 * chosen in the full-text index alone (FTS entries exist only for live
 * bibs: a delete removes them), then joined to the bib rows for its brief
 * lines, so that no record outside the page is read.
 */
/* Bibs with inventory, counted up to PHYSICAL_DRIVE_MAX + 1 (partial index). */
static int
few_physical(struct run *x, bool *few)
{
    sqlite3_stmt *st = repo_stmt(x->repo, x->zone,
                                 "SELECT count(*) FROM (SELECT 1 FROM {Z}.bib WHERE holdings > 0 "
                                 "LIMIT ?1)");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_int(st, 1, PHYSICAL_DRIVE_MAX + 1);
    long n = 0;
    int rc = count_of(x, st, &n);
    sqlite3_reset(st);
    *few = n <= PHYSICAL_DRIVE_MAX;
    return rc;
}

/*
 * Scope Physical when few bibs have inventory: walk those bibs (newest
 * first) and ask the full-text index about each one, instead of walking
 * every match of a common word to find the few that are held.
 */
static int
run_fts_physical(struct run *x)
{
    struct marc_buf sql = MARC_BUF_INIT, cond = MARC_BUF_INIT;
    filters(x, "b.id", &cond);
    const char *match =
        " AND EXISTS (SELECT 1 FROM {Z}.bib_fts WHERE bib_fts MATCH ?4 AND rowid = b.id)";
    marc_buf_printf(&sql,
                    "SELECT %s FROM {Z}.bib b%s"
                    " WHERE b.holdings > 0 AND b.deleted_at IS NULL%s%s ORDER BY b.id DESC "
                    "LIMIT ?1 OFFSET ?2",
                    hit_cols(x), hit_joins(x), match, text_of(&cond));
    sqlite3_stmt *st = repo_stmt(x->repo, x->zone, text_of(&sql));
    int rc = st ? CORE_OK : CORE_ERR_DB;
    if (st) {
        bind_common(x, st);
        rc = collect(x, st);
        sqlite3_reset(st);
    }
    if (rc == CORE_OK && x->o->count) {
        marc_buf_reset(&sql);
        marc_buf_printf(&sql,
                        "SELECT count(*) FROM (SELECT 1 FROM {Z}.bib b WHERE b.holdings > 0 AND "
                        "b.deleted_at IS NULL%s%s LIMIT ?1)",
                        match, text_of(&cond));
        st = repo_stmt(x->repo, x->zone, text_of(&sql));
        rc = st ? CORE_OK : CORE_ERR_DB;
        if (st) {
            bind_count(x, st);
            rc = count_of(x, st, &x->out->total);
            sqlite3_reset(st);
        }
    }
    marc_buf_free(&sql);
    marc_buf_free(&cond);
    return rc;
}

static int
run_fts(struct run *x)
{
    if (x->o->physical) {
        bool few = false;
        int rc = few_physical(x, &few);
        if (rc != CORE_OK)
            return rc;
        if (few)
            return run_fts_physical(x);
    }
    bool many = false;
    int rc = too_many_to_rank(x, &many);
    if (rc != CORE_OK)
        return rc;
    struct marc_buf sql = MARC_BUF_INIT, cond = MARC_BUF_INIT;
    filters(x, "bib_fts.rowid", &cond);
    const char *score = many ? "" : ", bm25(bib_fts, " BM25_WEIGHTS ") AS score";
    const char *order = many ? "id DESC" : "score, id DESC";
    const char *outer = many ? "f.id DESC" : "f.score, f.id DESC";
    marc_buf_printf(&sql,
                    "SELECT %s FROM (SELECT rowid AS id%s FROM {Z}.bib_fts WHERE "
                    "bib_fts MATCH ?4%s ORDER BY %s LIMIT ?1 OFFSET ?2) f "
                    "JOIN {Z}.bib b ON b.id = f.id%s"
                    " WHERE b.deleted_at IS NULL ORDER BY %s",
                    hit_cols(x), score, text_of(&cond), order, hit_joins(x), outer);
    sqlite3_stmt *st = repo_stmt(x->repo, x->zone, text_of(&sql));
    rc = st ? CORE_OK : CORE_ERR_DB;
    if (st) {
        bind_common(x, st);
        rc = collect(x, st);
        sqlite3_reset(st);
    }
    if (rc == CORE_OK && x->o->count) {
        marc_buf_reset(&sql);
        marc_buf_printf(&sql,
                        "SELECT count(*) FROM (SELECT 1 FROM {Z}.bib_fts WHERE bib_fts MATCH "
                        "?4%s LIMIT ?1)",
                        text_of(&cond));
        st = repo_stmt(x->repo, x->zone, text_of(&sql));
        rc = st ? CORE_OK : CORE_ERR_DB;
        if (st) {
            bind_count(x, st);
            rc = count_of(x, st, &x->out->total);
            sqlite3_reset(st);
        }
    }
    marc_buf_free(&sql);
    marc_buf_free(&cond);
    return rc;
}

/*
 * Statements of one-term queries (mms=, isbn=, ...) come from the
 * repository's cache: their text repeats.  Longer queries are prepared
 * for this search only, so that the cache does not grow with every shape
 * of query a session types.
 */
static sqlite3_stmt *
prepare(struct run *x, struct marc_buf *sql, bool *owned)
{
    *owned = x->c->leaves > 1;
    if (!*owned)
        return repo_stmt(x->repo, x->zone, text_of(sql));
    struct marc_buf expanded = MARC_BUF_INIT;
    for (const char *p = text_of(sql); *p;) { /* repo_stmt's {Z}. */
        const char *z = strstr(p, "{Z}.");
        if (!z) {
            marc_buf_puts(&expanded, p);
            break;
        }
        marc_buf_append(&expanded, p, (size_t)(z - p));
        marc_buf_printf(&expanded, "%s.", x->c->s);
        p = z + 4;
    }
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(x->repo->db, text_of(&expanded), -1, &st, NULL);
    marc_buf_free(&expanded);
    if (rc != SQLITE_OK) {
        repo_db_fail(x->repo, "preparing a search");
        return NULL;
    }
    return st;
}

static void
done(sqlite3_stmt *st, bool owned)
{
    if (owned)
        sqlite3_finalize(st);
    else
        sqlite3_reset(st);
}

/* A query with identifier terms (set), or of hoisted terms only (NULL):
 * newest first. */
static int
run_set(struct run *x, struct piece *set)
{
    struct marc_buf sql = MARC_BUF_INIT, cond = MARC_BUF_INIT, with = MARC_BUF_INIT;
    filters(x, "b.id", &cond);
    if (set)
        marc_buf_printf(&cond, " AND b.id IN (%s)", text_of(&set->text));
    if (x->c->nwith)
        marc_buf_printf(&with, "WITH %s ", text_of(&x->c->with));
    marc_buf_printf(&sql,
                    "%sSELECT %s FROM {Z}.bib b%s"
                    " WHERE b.deleted_at IS NULL%s ORDER BY b.id DESC LIMIT ?1 OFFSET ?2",
                    text_of(&with), hit_cols(x), hit_joins(x), text_of(&cond));
    bool owned;
    sqlite3_stmt *st = prepare(x, &sql, &owned);
    int rc = st ? CORE_OK : CORE_ERR_DB;
    if (st) {
        bind_common(x, st);
        rc = collect(x, st);
        done(st, owned);
    }
    if (rc == CORE_OK && x->o->count) {
        marc_buf_reset(&sql);
        marc_buf_printf(&sql,
                        "%sSELECT count(*) FROM (SELECT 1 FROM {Z}.bib b WHERE b.deleted_at IS "
                        "NULL%s LIMIT ?1)",
                        text_of(&with), text_of(&cond));
        st = prepare(x, &sql, &owned);
        rc = st ? CORE_OK : CORE_ERR_DB;
        if (st) {
            bind_count(x, st);
            rc = count_of(x, st, &x->out->total);
            done(st, owned);
        }
    }
    marc_buf_free(&sql);
    marc_buf_free(&cond);
    marc_buf_free(&with);
    return rc;
}

static int
check_zone(struct core_repo *repo, enum core_zone zone)
{
    if (!core_repo_has_zone(repo, zone))
        return repo_fail(repo, CORE_ERR_USER, "this repository has no %s to search",
                         core_zone_name(zone));
    return CORE_OK;
}

/* Compile q and run it. */
static int
search_tree(struct run *x, const struct core_qnode *q)
{
    struct piece top = {0};
    int rc = open_tokenizer(x->c);
    if (rc == CORE_OK)
        rc = compile(x->c, q, CTX_TOP, &top);
    if (rc == CORE_OK && top.kind == P_EMPTY)
        rc = repo_fail(x->repo, CORE_ERR_USER,
                       "column %d: '%s' has no letters or digits to search for",
                       x->c->empty_leaf->column, x->c->empty_leaf->value);
    if (rc == CORE_OK && top.kind == P_FTS) {
        /* the MATCH expression becomes ?4 (no other values were bound) */
        add_param(x->c, text_of(&top.text));
        rc = run_fts(x);
    } else if (rc == CORE_OK) {
        rc = run_set(x, top.kind == P_SET ? &top : NULL);
    }
    marc_buf_free(&top.text);
    return rc;
}

/* core_search, or core_search_ids when ids is not NULL (out then keeps only the total). */
static int
search(struct core_repo *repo, const char *query, const struct core_search_opts *opts,
       struct core_results *out, struct core_hit_ids *ids)
{
    static const struct core_search_opts defaults = {.zone = CORE_ZONE_IZ};
    const struct core_search_opts *o = opts ? opts : &defaults;
    memset(out, 0, sizeof *out);
    out->total = -1;
    int rc = check_zone(repo, o->zone);
    if (rc != CORE_OK)
        return rc;
    if (o->zone == CORE_ZONE_NZ && repo->nz_remote) /* its server searches (nzremote.h) */
        return repo_nz_search(repo, query, o, out);
    char *error = NULL;
    struct core_qnode *q = core_query_parse(query, &error);
    if (!q) {
        rc = repo_fail(repo, CORE_ERR_USER, "%s", error);
        free(error);
        return rc;
    }
    struct compiler c = {.repo = repo, .s = repo_schema(o->zone)};
    struct run x = {.repo = repo, .zone = o->zone, .o = o, .c = &c, .out = out, .ids = ids};
    if (o->stop)
        repo_set_stop(repo, o->stop, o->stop_ctx);
    rc = search_tree(&x, q);
    if (o->stop) {
        bool stopped = repo->stopped;
        repo_set_stop(repo, NULL, NULL);
        if (rc != CORE_OK && stopped)
            rc = repo_fail(repo, CORE_ERR_STOPPED, "the search was stopped");
    }
    compiler_free(&c);
    core_query_free(q);
    if (rc != CORE_OK) {
        core_results_free(out);
        out->total = -1;
    } else if (!o->count) {
        out->total = -1;
    }
    return rc;
}

int
core_search(struct core_repo *repo, const char *query, const struct core_search_opts *opts,
            struct core_results *out)
{
    return search(repo, query, opts, out, NULL);
}

int
core_search_ids(struct core_repo *repo, const char *query, const struct core_search_opts *opts,
                struct core_hit_ids *out)
{
    memset(out, 0, sizeof *out);
    struct core_results res;
    int rc = search(repo, query, opts, &res, out);
    /* A remote NZ's server sends brief lines: keep their IDs. */
    for (size_t i = 0; rc == CORE_OK && i < res.n; i++) {
        if (i == 0)
            out->mms = xcalloc(res.n, sizeof *out->mms);
        memcpy(out->mms[out->n++], res.hits[i].mms, CORE_MMS_MAX);
    }
    out->total = res.total;
    core_results_free(&res);
    if (rc != CORE_OK)
        core_hit_ids_free(out);
    return rc;
}

void
core_hit_ids_free(struct core_hit_ids *h)
{
    if (!h)
        return;
    free(h->mms);
    h->mms = NULL;
    h->n = 0;
}

int
core_brief_get(struct core_repo *repo, enum core_zone zone, const char *mms,
               struct core_brief *out)
{
    memset(out, 0, sizeof *out);
    int rc = check_zone(repo, zone);
    if (rc != CORE_OK)
        return rc;
    sqlite3_stmt *st = repo_stmt(repo, zone,
                                 "SELECT " BRIEF_COLS " FROM {Z}.bib b" BRIEF_JOINS
                                 " WHERE b.mms = ?1 AND b.deleted_at IS NULL");
    if (!st)
        return CORE_ERR_DB;
    sqlite3_bind_text(st, 1, mms, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)(core_now() - core_lock_timeout(repo)));
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        fill_brief(st, zone, out);
    rc = step == SQLITE_ROW    ? CORE_OK
         : step == SQLITE_DONE ? repo_fail(repo, CORE_ERR_NOTFOUND, "no bib %s in the %s", mms,
                                           core_zone_name(zone))
                               : repo_db_fail(repo, "reading a brief line");
    sqlite3_reset(st);
    return rc;
}

void
core_results_free(struct core_results *r)
{
    if (!r)
        return;
    free(r->hits);
    r->hits = NULL;
    r->n = 0;
}

/* ---- brief lines ---- */

void
core_brief_format(const struct core_brief *b, char *out, size_t size)
{
    char inv[64], badges[256];
    if (b->holdings == 0 && b->items == 0)
        snprintf(inv, sizeof inv, "no inventory");
    else
        snprintf(inv, sizeof inv, "%d holding%s, %d item%s", b->holdings,
                 b->holdings == 1 ? "" : "s", b->items, b->items == 1 ? "" : "s");
    size_t n = 0;
    badges[0] = '\0';
    if (b->linked[0])
        n += (size_t)snprintf(badges + n, sizeof badges - n, "  [linked %s]", b->linked);
    if (b->lock_user[0] && n < sizeof badges)
        n += (size_t)snprintf(badges + n, sizeof badges - n, "  [locked by %s]", b->lock_user);
    if (b->assignee[0] && n < sizeof badges)
        snprintf(badges + n, sizeof badges - n, "  [assigned to %s]", b->assignee);
    snprintf(out, size, "%s  %s  %-4s  %s%s%s  (%s)%s", b->mms, core_zone_name(b->zone),
             b->date[0] ? b->date : "----", b->title[0] ? b->title : "(no title)",
             b->author[0] ? " / " : "", b->author, inv, badges);
}
