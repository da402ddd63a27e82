/*
 * serve-scan.c - the term lists `colophon serve` answers a Z39.50 or SRU
 * scan from (serve-int.h): the words of the zone's full-text index for the
 * title, author, subject and "any" indexes, the identifier keys for ISBN,
 * ISSN and OCLC, and the bibs' MMS IDs for the local number.  Each term
 * comes with the number of records that have it, which is the number of
 * hits a search for that term in that index finds.
 *
 * The words are read through an fts5vocab table over the contentless
 * bib_fts (made in the connection's temp schema on first use): it walks the
 * index's terms in order from a start term, and counts each term's records
 * as it goes.  It only walks forward, so the terms before the start term
 * (a scan position above 1) are found by walking from ever shorter
 * prefixes of the start term until enough were seen.  The identifier keys
 * and MMS IDs are B-tree indexes, walked either way.
 *
 * No GFS here (serve.c turns the lists into scan responses); no Bib-1:
 * serve-query.c has read the attributes into an index and a start term.
 */
#include "serve-int.h"

#include "ident.h"
#include "repo-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where the terms of an index are. */
enum source { SRC_WORDS, SRC_KEYS, SRC_MMS };

struct scan {
    struct core_repo *repo;
    enum core_zone zone;
    enum source src;
    const char *column; /* SRC_WORDS: bib_fts's column, NULL for every column */
    char kind;          /* SRC_KEYS: the key's kind (ident.h) */
    char vocab[64];     /* SRC_WORDS: the fts5vocab table */
};

static void
list_add(struct serve_scan_list *l, size_t *cap, const char *term, long long count)
{
    if (l->n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        l->e = xrealloc(l->e, *cap * sizeof *l->e);
    }
    l->e[l->n].term = xstrdup(term);
    l->e[l->n].count = count;
    l->n++;
}

void
serve_scan_list_free(struct serve_scan_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->e[i].term);
    free(l->e);
    memset(l, 0, sizeof *l);
}

/* ---- the start term, as the index holds terms ---- */

static int
first_token(void *ctx, int flags, const char *token, int len, int start, int end)
{
    (void)start;
    (void)end;
    char **out = ctx;
    if (!*out && !(flags & FTS5_TOKEN_COLOCATED))
        *out = xstrndup(token, (size_t)len);
    return SQLITE_OK;
}

/* The first word of text as bib_fts's tokenizer (schema.c) makes it, or "". */
static int
word_start(struct core_repo *repo, const char *text, char **out)
{
    fts5_tokenizer tok;
    Fts5Tokenizer *t;
    int rc = repo_fts_tokenizer(repo, &tok, &t, "scanning");
    if (rc != CORE_OK)
        return rc;
    *out = NULL;
    tok.xTokenize(t, out, FTS5_TOKENIZE_QUERY, text, (int)strlen(text), first_token);
    tok.xDelete(t);
    if (!*out)
        *out = xstrdup("");
    return CORE_OK;
}

/* Letters and digits only (a partial identifier is a start point too). */
static char *
alnum_only(const char *s, bool upper)
{
    char *out = xmalloc(strlen(s) + 1), *o = out;
    for (; *s; s++)
        if ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
            *o++ = upper && *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;
    *o = '\0';
    return out;
}

/* An identifier start term in the keys' normal form (ident.h) when it is a
 * whole one, else its letters and digits. */
static char *
key_start(enum core_qindex index, const char *s)
{
    char norm[CORE_IDENT_MAX];
    size_t len = strlen(s);
    bool whole = index == CORE_QI_ISBN   ? core_ident_isbn(s, len, norm)
                 : index == CORE_QI_ISSN ? core_ident_issn(s, len, norm)
                 : index == CORE_QI_OCLC ? core_ident_oclc(s, len, false, norm)
                                         : false;
    char *out = whole ? xstrdup(norm) : alnum_only(s, index == CORE_QI_ISSN);
    if (strlen(out) >= CORE_IDENT_MAX)
        out[CORE_IDENT_MAX - 1] = '\0'; /* no key is longer (repo_add_key) */
    return out;
}

/* ---- walking an index ---- */

static int
scan_setup(struct scan *s, enum core_qindex index)
{
    switch (index) {
    case CORE_QI_TITLE:
    case CORE_QI_AUTHOR:
    case CORE_QI_SUBJECT:
    case CORE_QI_KEYWORD:
        s->src = SRC_WORDS;
        s->column = index == CORE_QI_KEYWORD ? NULL : core_qindex_name(index);
        break;
    case CORE_QI_ISBN:
    case CORE_QI_ISSN:
    case CORE_QI_OCLC:
        s->src = SRC_KEYS;
        s->kind = index == CORE_QI_ISBN   ? CORE_ID_ISBN
                  : index == CORE_QI_ISSN ? CORE_ID_ISSN
                                          : CORE_ID_OCLC;
        return CORE_OK;
    case CORE_QI_MMS:
        s->src = SRC_MMS;
        return CORE_OK;
    default:
        return repo_fail(s->repo, CORE_ERR_USER, "the %s index cannot be scanned",
                         core_qindex_name(index));
    }
    /* one fts5vocab table per zone and kind, for the connection's life */
    const char *schema = repo_schema(s->zone);
    const char *type = s->column ? "col" : "row";
    snprintf(s->vocab, sizeof s->vocab, "temp.colophon_scan_%s_%s", type, schema);
    char sql[256];
    snprintf(sql, sizeof sql,
             "CREATE VIRTUAL TABLE IF NOT EXISTS %s USING fts5vocab(%s, bib_fts, %s)", s->vocab,
             schema, type);
    return repo_exec(s->repo, sql);
}

/*
 * The terms t with lo <= t (lo NULL: from the first) and t < hi (hi NULL:
 * to the last), ascending, at most limit of them (0: all); descending when
 * desc (not for words).  Terms are given without their key's kind.
 */
static int
walk(struct scan *s, const char *lo, const char *hi, bool desc, size_t limit,
     struct serve_scan_list *out, size_t *cap)
{
    char sql[512], klo[CORE_IDENT_MAX + 8], khi[CORE_IDENT_MAX + 8];
    const char *order = desc ? "DESC" : "";
    /* an upper bound only when there is one: the walk must stop at it */
    if (s->src == SRC_WORDS)
        snprintf(sql, sizeof sql, "SELECT term, doc FROM %s WHERE term >= ?1%s%s LIMIT ?3",
                 s->vocab, hi ? " AND term < ?2" : "", s->column ? " AND col = ?4" : "");
    else if (s->src == SRC_KEYS)
        snprintf(sql, sizeof sql,
                 "SELECT substr(key, 3), count(*) FROM {Z}.ident WHERE key >= ?1 AND key < ?2 "
                 "GROUP BY key ORDER BY key %s LIMIT ?3",
                 order);
    else
        snprintf(sql, sizeof sql,
                 "SELECT mms, 1 FROM {Z}.bib WHERE mms >= ?1%s AND deleted_at IS NULL "
                 "ORDER BY mms %s LIMIT ?3",
                 hi ? " AND mms < ?2" : "", order);
    sqlite3_stmt *st = repo_stmt(s->repo, s->zone, sql);
    if (!st)
        return CORE_ERR_DB;
    if (s->src == SRC_KEYS) {
        /* a kind's keys run from "k:" to "k;" */
        snprintf(klo, sizeof klo, "%c:%s", s->kind, lo ? lo : "");
        if (hi)
            snprintf(khi, sizeof khi, "%c:%s", s->kind, hi);
        else
            snprintf(khi, sizeof khi, "%c;", s->kind);
        repo_bind_text(st, 1, klo);
        repo_bind_text(st, 2, khi);
    } else {
        repo_bind_text(st, 1, lo ? lo : "");
        if (hi)
            repo_bind_text(st, 2, hi);
    }
    sqlite3_bind_int64(st, 3, limit ? (sqlite3_int64)limit : -1);
    if (s->column)
        repo_bind_text(st, 4, s->column);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        list_add(out, cap, repo_col_text(st, 0), sqlite3_column_int64(st, 1));
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(s->repo, "scanning");
}

/*
 * The bytes words are made of, in order: the tokenizer (schema.c) keeps
 * letters and digits and folds ASCII to lower case, so '0'-'9', 'a'-'z'
 * and the bytes of UTF-8 sequences (0x80-0xFF).  The rank of a byte is
 * that of the greatest of them not above it (-1: none is).
 */
static int
word_byte_rank(unsigned char b)
{
    if (b >= 0x80)
        return 36 + (b - 0x80);
    if (b >= 'a')
        return b > 'z' ? 35 : 10 + (b - 'a');
    if (b >= '0')
        return b > '9' ? 9 : b - '0';
    return -1;
}

static unsigned char
word_byte(int rank)
{
    return rank < 10   ? (unsigned char)('0' + rank)
           : rank < 36 ? (unsigned char)('a' + rank - 10)
                       : (unsigned char)(0x80 + rank - 36);
}

/* The last `want` terms of the walk [lo, hi) when it has that many (or lo is
 * the very first term): into out, nearest hi first; *done tells. */
static int
walk_tail(struct scan *s, const char *lo, const char *hi, size_t want, struct serve_scan_list *out,
          size_t *cap, bool *done)
{
    struct serve_scan_list range = {0};
    size_t rcap = 0;
    int rc = walk(s, lo, hi, false, 0, &range, &rcap);
    *done = rc != CORE_OK || range.n >= want || !*lo;
    if (rc == CORE_OK && *done)
        for (size_t i = range.n; i > 0 && out->n < want; i--)
            list_add(out, cap, range.e[i - 1].term, range.e[i - 1].count);
    serve_scan_list_free(&range);
    return rc;
}

/*
 * The `want` terms just before start, descending (nearest first).  Words
 * walk forward only, and counting a word's records reads its whole list,
 * so the walk starts as near start as it can: the last byte of ever
 * shorter prefixes of start lowered by 1, 2, 4, ... bytes a word can have,
 * then the prefix itself, until the range holds enough.
 */
static int
walk_back(struct scan *s, const char *start, size_t want, struct serve_scan_list *out, size_t *cap)
{
    if (want == 0)
        return CORE_OK;
    if (s->src != SRC_WORDS)
        return walk(s, NULL, start, true, want, out, cap);
    size_t len = strlen(start);
    char *lo = xmalloc(len + 1);
    bool done = false;
    int rc = CORE_OK;
    if (len == 0)
        done = true; /* nothing is before the first term */
    for (; !done && len > 0; len--) {
        int c = word_byte_rank((unsigned char)start[len - 1]);
        memcpy(lo, start, len - 1);
        for (int k = 1; !done; k *= 2) {
            bool prefix = c - k < 0;
            lo[len - 1] = prefix ? '\0' : (char)word_byte(c - k);
            lo[len] = '\0';
            rc = walk_tail(s, lo, start, want, out, cap, &done);
            if (prefix)
                break;
        }
    }
    free(lo);
    return rc;
}

static int
normal_start(struct scan *s, enum core_qindex index, const char *start, char **out)
{
    if (s->src == SRC_WORDS)
        return word_start(s->repo, start, out);
    *out = s->src == SRC_KEYS ? key_start(index, start) : alnum_only(start, false);
    return CORE_OK;
}

int
serve_scan_terms(struct core_repo *repo, enum core_zone zone, enum core_qindex index,
                 const char *start, int position, int number, struct serve_scan_list *out)
{
    memset(out, 0, sizeof *out);
    struct scan s = {.repo = repo, .zone = zone};
    char *from = NULL;
    int rc = scan_setup(&s, index);
    if (rc == CORE_OK)
        rc = normal_start(&s, index, start ? start : "", &from);
    if (rc != CORE_OK || number <= 0) {
        free(from);
        return rc;
    }
    /* The terms wanted are those at offsets first .. first+number-1 from
     * the first term >= from (offset 0); negative offsets are before it. */
    long first = 1L - position;
    long last = first + number - 1;
    struct serve_scan_list back = {0}, fwd = {0};
    size_t bcap = 0, fcap = 0;
    if (first < 0)
        rc = walk_back(&s, from, (size_t)-first, &back, &bcap);
    if (rc == CORE_OK && last >= 0)
        rc = walk(&s, from, NULL, false, (size_t)last + 1, &fwd, &fcap);
    if (rc == CORE_OK) {
        size_t cap = 0;
        /* before: back[] nearest first, so the farthest wanted comes first */
        size_t nb = first < 0 ? back.n : 0;
        for (size_t i = nb; i > 0; i--) {
            long off = -(long)i;
            if (off <= last)
                list_add(out, &cap, back.e[i - 1].term, back.e[i - 1].count);
        }
        for (size_t i = first > 0 ? (size_t)first : 0; i < fwd.n && (long)i <= last; i++)
            list_add(out, &cap, fwd.e[i].term, fwd.e[i].count);
        /* the start term's position in the list: 1 + the terms before it */
        long lead = first < 0 ? (long)nb : -first;
        out->position = (int)(lead + 1);
        out->partial = out->n < (size_t)number;
    }
    serve_scan_list_free(&back);
    serve_scan_list_free(&fwd);
    free(from);
    if (rc != CORE_OK)
        serve_scan_list_free(out);
    return rc;
}
