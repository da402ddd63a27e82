/*
 * repo-link-find.c - finding the network records an IZ bib matches (Share
 * with Network's candidates), the link-to-nz job (SPEC §3.4) and the queue
 * of its multi-matches (see link.h).
 *
 * Identifiers are looked up in the network zone's ident index, the keys
 * ident.c derives from every record: 'o' OCLC numbers of 035 $a, 'z'
 * cancelled ones of 035 $z and 019 $a, 's' ISSN, 'i' ISBN-13 and LCCN.
 * Titles go through the network zone's full-text index (the title column)
 * and are then compared word for word, folded by the index's own tokenizer
 * (unicode61, diacritics removed), so "The Computer Bible." and "the
 * computer bible" are one title and "Computer Bible" another.
 */
#include "repo-int.h"

#include "job.h"
#include "link.h"
#include "match.h"
#include "nzremote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
core_link_how_name(enum core_link_how how)
{
    static const char *names[] = {"OCLC number", "cancelled OCLC number", "ISSN", "ISBN", "LCCN",
                                  "title"};
    return (unsigned)how < sizeof names / sizeof *names ? names[how] : "?";
}

/* ---- the candidates found so far ---- */

struct finder {
    struct core_repo *repo;
    struct core_link_candidate *c;
    sqlite3_int64 *ids; /* network bib row of each candidate */
    size_t n, cap;
    /* A remote network zone (nzremote.h): only the rows of its copy that
     * the server returned for this record count; the others may be stale. */
    bool remote;
    sqlite3_int64 *sent;
    size_t nsent;
};

static void
finder_free(struct finder *f)
{
    free(f->c);
    free(f->ids);
    f->c = NULL;
    f->ids = NULL;
    f->n = f->cap = 0;
}

static bool
finder_sent(const struct finder *f, sqlite3_int64 id)
{
    for (size_t i = 0; i < f->nsent; i++)
        if (f->sent[i] == id)
            return true;
    return false;
}

/* A remote network zone: ask its server (identifiers, or the title). */
static int
finder_prime(struct finder *f, const struct core_bib_keys *k, bool by_title)
{
    f->remote = core_nz_remote(f->repo);
    return f->remote ? repo_nz_prime(f->repo, k, by_title, &f->sent, &f->nsent) : CORE_OK;
}

/* Add network bib `id` found by `how`, or strengthen how it was found. */
static void
finder_add(struct finder *f, sqlite3_int64 id, enum core_link_how how, const char *reason)
{
    if (f->remote && !finder_sent(f, id))
        return;
    for (size_t i = 0; i < f->n; i++) {
        if (f->ids[i] != id)
            continue;
        if (how < f->c[i].how) {
            f->c[i].how = how;
            snprintf(f->c[i].reason, sizeof f->c[i].reason, "%s", reason);
        }
        return;
    }
    if (f->n == CORE_LINK_MAX_CANDIDATES)
        return;
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 4;
        f->c = xrealloc(f->c, f->cap * sizeof *f->c);
        f->ids = xrealloc(f->ids, f->cap * sizeof *f->ids);
    }
    memset(&f->c[f->n], 0, sizeof *f->c);
    f->c[f->n].how = how;
    snprintf(f->c[f->n].reason, sizeof f->c[f->n].reason, "%s", reason);
    f->ids[f->n++] = id;
}

/* Every network bib with ident key kind:value. */
static int
find_key(struct finder *f, char kind, const char *value, enum core_link_how how,
         const char *reason)
{
    sqlite3_stmt *st = repo_stmt(f->repo, CORE_ZONE_NZ, "SELECT bib FROM {Z}.ident WHERE key = ?1");
    if (!st)
        return CORE_ERR_DB;
    char key[CORE_IDENT_MAX + 4];
    snprintf(key, sizeof key, "%c:%s", kind, value);
    repo_bind_text(st, 1, key);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        finder_add(f, sqlite3_column_int64(st, 0), how, reason);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(f->repo, "looking up identifiers");
}

/* OCLC: every number of the IZ bib, current or cancelled, against both kinds of the NZ's. */
static int
find_oclc(struct finder *f, const struct core_bib_keys *k)
{
    int rc = CORE_OK;
    for (size_t i = 0; rc == CORE_OK && i < k->nids; i++) {
        const struct core_ident *id = &k->ids[i];
        if (id->kind != CORE_ID_OCLC && id->kind != CORE_ID_OCLC_OLD)
            continue;
        bool mine_old = id->kind == CORE_ID_OCLC_OLD;
        char reason[160];
        snprintf(reason, sizeof reason,
                 mine_old ? "OCLC number %s, cancelled in this record (035 $z or 019)"
                          : "OCLC number %s",
                 id->value);
        rc = find_key(f, CORE_ID_OCLC, id->value,
                      mine_old ? CORE_LINK_OCLC_CANCELLED : CORE_LINK_OCLC, reason);
        snprintf(reason, sizeof reason,
                 mine_old ? "cancelled OCLC number %s of both records (035 $z or 019)"
                          : "OCLC number %s, cancelled in the network record (035 $z or 019)",
                 id->value);
        if (rc == CORE_OK)
            rc = find_key(f, CORE_ID_OCLC_OLD, id->value, CORE_LINK_OCLC_CANCELLED, reason);
    }
    return rc;
}

/* An 'i' key holds an ISBN-13 or an LCCN. */
static bool
is_isbn(const char *v)
{
    return strlen(v) == 13 && v[0] == '9' && v[1] == '7' && strspn(v, "0123456789") == 13;
}

/* ISSN, ISBN or LCCN keys of the IZ bib (how says which). */
static int
find_ident(struct finder *f, const struct core_bib_keys *k, enum core_link_how how)
{
    int rc = CORE_OK;
    for (size_t i = 0; rc == CORE_OK && i < k->nids; i++) {
        const struct core_ident *id = &k->ids[i];
        bool want = how == CORE_LINK_ISSN   ? id->kind == CORE_ID_ISSN
                    : how == CORE_LINK_ISBN ? id->kind == CORE_ID_ISBN && is_isbn(id->value)
                                            : id->kind == CORE_ID_ISBN && !is_isbn(id->value);
        if (!want)
            continue;
        char reason[160];
        if (how == CORE_LINK_ISSN) /* as printed: 1234-5679 */
            snprintf(reason, sizeof reason, "ISSN %.4s-%s", id->value, id->value + 4);
        else
            snprintf(reason, sizeof reason, "%s %s", core_link_how_name(how), id->value);
        rc = find_key(f, id->kind, id->value, how, reason);
    }
    return rc;
}

/* ---- titles ---- */

struct words {
    fts5_tokenizer tok;
    Fts5Tokenizer *tokenizer;
};

static int
words_open(struct core_repo *repo, struct words *w)
{
    memset(w, 0, sizeof *w);
    return repo_fts_tokenizer(repo, &w->tok, &w->tokenizer, "matching titles");
}

static void
words_close(struct words *w)
{
    if (w->tokenizer)
        w->tok.xDelete(w->tokenizer);
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

/* The folded words of text, blank-separated, into out. */
static void
words_of(struct words *w, const char *text, struct marc_buf *out)
{
    marc_buf_reset(out);
    w->tok.xTokenize(w->tokenizer, out, FTS5_TOKENIZE_DOCUMENT, text, (int)strlen(text),
                     collect_token);
    marc_buf_putc(out, '\0');
    out->len--;
}

/* Network bibs whose brief title is the IZ bib's, word for word. */
static int
find_title(struct finder *f, const char *title)
{
    struct words w;
    int rc = words_open(f->repo, &w);
    if (rc != CORE_OK)
        return rc;
    struct marc_buf mine = MARC_BUF_INIT, query = MARC_BUF_INIT, theirs = MARC_BUF_INIT;
    words_of(&w, title, &mine);
    if (mine.len == 0)
        goto out;
    /* A phrase on the title column: its tokens are already folded, and an
     * FTS5 string doubles its quotes. */
    marc_buf_puts(&query, "title : \"");
    for (size_t i = 0; i < mine.len; i++) {
        if (mine.data[i] == '"')
            marc_buf_putc(&query, '"');
        marc_buf_putc(&query, mine.data[i]);
    }
    marc_buf_putc(&query, '"');
    sqlite3_stmt *st = repo_stmt(f->repo, CORE_ZONE_NZ,
                                 "SELECT b.id, b.title FROM {Z}.bib b WHERE b.id IN (SELECT rowid "
                                 "FROM {Z}.bib_fts WHERE bib_fts MATCH ?1 LIMIT 500) AND "
                                 "b.deleted_at IS NULL ORDER BY b.id");
    if (!st) {
        rc = CORE_ERR_DB;
        goto out;
    }
    repo_bind_text(st, 1, query.data);
    char reason[160];
    snprintf(reason, sizeof reason, "title \"%.140s\"", title);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        words_of(&w, repo_col_text(st, 1), &theirs);
        if (theirs.len == mine.len && memcmp(theirs.data, mine.data, mine.len) == 0)
            finder_add(f, sqlite3_column_int64(st, 0), CORE_LINK_TITLE, reason);
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        rc = repo_db_fail(f->repo, "searching titles");
out:
    marc_buf_free(&mine);
    marc_buf_free(&query);
    marc_buf_free(&theirs);
    words_close(&w);
    return rc;
}

/* ---- what the candidates are ---- */

/* Brief data, leader and the IZ bib linked to each candidate. */
static int
fill_details(struct finder *f, const char *iz_leader)
{
    sqlite3_stmt *st = repo_stmt(f->repo, CORE_ZONE_NZ,
                                 "SELECT mms, title, author, date, fmt, marc FROM {Z}.bib WHERE "
                                 "id = ?1");
    if (!st)
        return CORE_ERR_DB;
    struct marc_record *r = NULL;
    int rc = CORE_OK;
    for (size_t i = 0; rc == CORE_OK && i < f->n; i++) {
        struct core_link_candidate *c = &f->c[i];
        sqlite3_bind_int64(st, 1, f->ids[i]);
        if (sqlite3_step(st) != SQLITE_ROW) {
            rc = repo_db_fail(f->repo, "reading a candidate");
            break;
        }
        snprintf(c->mms, sizeof c->mms, "%s", repo_col_text(st, 0));
        snprintf(c->title, sizeof c->title, "%s", repo_col_text(st, 1));
        snprintf(c->author, sizeof c->author, "%s", repo_col_text(st, 2));
        snprintf(c->date, sizeof c->date, "%s", repo_col_text(st, 3));
        const void *blob = sqlite3_column_blob(st, 5);
        size_t len = (size_t)sqlite3_column_bytes(st, 5);
        if (sqlite3_column_int(st, 4) == 0 && len >= 24) { /* ISO 2709 starts with the leader */
            memcpy(c->leader, blob, 24);
        } else {
            if (!r)
                r = marc_record_new();
            rc = repo_decode(f->repo, blob, len, sqlite3_column_int(st, 4), r);
            memcpy(c->leader, marc_record_leader(r), 24);
        }
        c->leader[24] = '\0';
        sqlite3_reset(st);
        c->type_agrees = core_match_type_agrees(iz_leader, c->leader);
    }
    sqlite3_reset(st);
    marc_record_free(r);
    st = rc == CORE_OK ? repo_stmt(f->repo, CORE_ZONE_IZ,
                                   "SELECT mms FROM {Z}.bib WHERE linked = ?1 AND deleted_at IS "
                                   "NULL ORDER BY id LIMIT 1")
                       : NULL;
    for (size_t i = 0; st && i < f->n; i++) {
        repo_bind_text(st, 1, f->c[i].mms);
        if (sqlite3_step(st) == SQLITE_ROW)
            snprintf(f->c[i].linked_from, sizeof f->c[i].linked_from, "%s", repo_col_text(st, 0));
        sqlite3_reset(st);
    }
    return rc == CORE_OK && !st ? CORE_ERR_DB : rc;
}

static int
by_strength(const void *a, const void *b)
{
    const struct core_link_candidate *x = a, *y = b;
    if (x->how != y->how)
        return (int)x->how - (int)y->how;
    return strcmp(x->mms, y->mms);
}

/* ---- Share with Network ---- */

/* The IZ bib (undeleted) into r and info. */
static int
iz_record(struct core_repo *repo, const char *mms, struct marc_record *r,
          struct core_record_info *info)
{
    if (core_repo_zone_of(repo, mms) != CORE_ZONE_IZ || core_mms_parse(mms, NULL, NULL) != CORE_MMS_BIB) {
        enum core_zone z;
        int rc = repo_zone_for(repo, mms, &z);
        return rc != CORE_OK ? rc
                             : repo_fail(repo, CORE_ERR_USER,
                                         "%s is not an institution zone bib; only those are linked "
                                         "to the network zone",
                                         mms);
    }
    int rc = core_record_get(repo, mms, r, info);
    if (rc == CORE_OK && info->deleted)
        rc = repo_fail(repo, CORE_ERR_USER, "%s has been deleted", mms);
    return rc;
}

int
core_link_candidates(struct core_repo *repo, const char *mms, struct core_link_candidate **out,
                     size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!core_repo_has_zone(repo, CORE_ZONE_NZ))
        return repo_fail(repo, CORE_ERR_USER, "this repository has no network zone");
    struct marc_record *r = marc_record_new();
    struct core_record_info info;
    struct core_bib_keys k = {0};
    struct finder f = {.repo = repo};
    int rc = iz_record(repo, mms, r, &info);
    if (rc == CORE_OK) {
        core_bib_keys_extract(r, &k);
        rc = finder_prime(&f, &k, false);
    }
    if (rc == CORE_OK)
        rc = find_oclc(&f, &k);
    static const enum core_link_how ids[] = {CORE_LINK_ISSN, CORE_LINK_ISBN, CORE_LINK_LCCN};
    for (size_t i = 0; rc == CORE_OK && f.n == 0 && i < 3; i++)
        rc = find_ident(&f, &k, ids[i]);
    if (rc == CORE_OK && f.n == 0 && k.title.len && f.remote)
        rc = finder_prime(&f, &k, true);
    if (rc == CORE_OK && f.n == 0 && k.title.len)
        rc = find_title(&f, k.title.data);
    if (rc == CORE_OK)
        rc = fill_details(&f, marc_record_leader(r));
    if (rc == CORE_OK && f.n) {
        qsort(f.c, f.n, sizeof *f.c, by_strength);
        *out = f.c;
        *n = f.n;
        f.c = NULL;
    }
    finder_free(&f);
    free(f.sent);
    core_bib_keys_free(&k);
    marc_record_free(r);
    return rc;
}

/* ---- the link-to-nz job (SPEC §3.4) ---- */

struct job_state {
    bool multi_serial, multi_nonserial; /* multi-step, else oclc-unique */
    bool ignore_type, contribute;
    struct core_local_tags tags;
    struct marc_record *r;
    struct core_bib_keys keys;
    long long synchronous[2], cache[2], autocheckpoint;
    /* A remote network zone: records contributed by this run.  A batch
     * that fails is rolled back and done again record by record, but the
     * server keeps what it was sent; the second time links to it. */
    char (*sent)[2][CORE_MMS_MAX];
    size_t nsent;
};

/* The network record this run contributed IZ bib mms as ("" when none). */
static const char *
contributed_as(const struct job_state *s, const char *mms)
{
    for (size_t i = 0; i < s->nsent; i++)
        if (strcmp(s->sent[i][0], mms) == 0)
            return s->sent[i][1];
    return "";
}

static long long
pragma_int(struct core_repo *repo, const char *sql, long long def)
{
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ, sql);
    long long v = def;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    if (st)
        sqlite3_reset(st);
    return v;
}

/*
 * Each record is its own transaction (job.h).  With synchronous=FULL every
 * commit waits for the disk (about 5 ms here: 500 s for 100,000 records);
 * WAL with synchronous=NORMAL never loses a committed record to a crash of
 * the process, and after a power cut the file is as it was a few commits
 * earlier, the records' results with them, so a resumed job still does each
 * record once.  Checkpoints every 64 MB of WAL instead of 4.  The settings
 * are this connection's and come back when the job ends.
 */
static void
fast_commits(struct core_repo *repo, struct job_state *s)
{
    s->synchronous[0] = pragma_int(repo, "PRAGMA main.synchronous", 2);
    s->synchronous[1] = pragma_int(repo, "PRAGMA nz.synchronous", 2);
    s->cache[0] = pragma_int(repo, "PRAGMA main.cache_size", -16000);
    s->cache[1] = pragma_int(repo, "PRAGMA nz.cache_size", -16000);
    s->autocheckpoint = pragma_int(repo, "PRAGMA wal_autocheckpoint", 1000);
    repo_exec(repo, "PRAGMA main.synchronous=NORMAL; PRAGMA nz.synchronous=NORMAL; "
                    "PRAGMA main.cache_size=-131072; PRAGMA nz.cache_size=-65536; "
                    "PRAGMA wal_autocheckpoint=16384");
}

static void
restore_commits(struct core_repo *repo, const struct job_state *s)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "PRAGMA main.synchronous=%lld; PRAGMA nz.synchronous=%lld; "
             "PRAGMA main.cache_size=%lld; PRAGMA nz.cache_size=%lld; "
             "PRAGMA wal_autocheckpoint=%lld",
             s->synchronous[0], s->synchronous[1], s->cache[0], s->cache[1], s->autocheckpoint);
    repo_exec(repo, sql);
}

static int
method_param(struct core_repo *repo, const struct core_job_params *p, const char *key, bool *multi)
{
    const char *v = core_job_param(p, key, "oclc-unique");
    *multi = strcmp(v, "multi-step") == 0;
    if (*multi || strcmp(v, "oclc-unique") == 0)
        return CORE_OK;
    return repo_fail(repo, CORE_ERR_USER, "job parameter %s takes oclc-unique or multi-step, not '%s'",
                     key, v);
}

static int
yes_no_param(struct core_repo *repo, const struct core_job_params *p, const char *key, bool *yes)
{
    const char *v = core_job_param(p, key, "no");
    *yes = strcmp(v, "yes") == 0;
    if (*yes || strcmp(v, "no") == 0)
        return CORE_OK;
    return repo_fail(repo, CORE_ERR_USER, "job parameter %s takes yes or no, not '%s'", key, v);
}

static int
link_begin(struct core_repo *repo, const struct core_job_params *p, long job_id, bool resuming,
           void **state)
{
    static const char *known[] = {"serial", "nonserial", "ignore_resource_type",
                                  "contribute_unmatched"};
    for (size_t i = 0; p && i < p->n; i++) {
        bool ok = false;
        for (size_t k = 0; k < 4; k++)
            ok = ok || strcmp(p->key[i], known[k]) == 0;
        if (!ok)
            return repo_fail(repo, CORE_ERR_USER,
                             "the link-to-nz job takes serial=, nonserial= (oclc-unique or "
                             "multi-step), ignore_resource_type= and contribute_unmatched= (yes "
                             "or no), not %s=",
                             p->key[i]);
    }
    struct job_state *s = xcalloc(1, sizeof *s);
    int rc = core_require_role(repo, CORE_ROLE_CATALOGER | CORE_ROLE_CATALOGER_EXTENDED,
                               "the link-to-nz job");
    if (rc == CORE_OK && !core_repo_has_zone(repo, CORE_ZONE_NZ))
        rc = repo_fail(repo, CORE_ERR_USER, "this repository has no network zone");
    if (rc == CORE_OK)
        rc = method_param(repo, p, "serial", &s->multi_serial);
    if (rc == CORE_OK)
        rc = method_param(repo, p, "nonserial", &s->multi_nonserial);
    if (rc == CORE_OK)
        rc = yes_no_param(repo, p, "ignore_resource_type", &s->ignore_type);
    if (rc == CORE_OK)
        rc = yes_no_param(repo, p, "contribute_unmatched", &s->contribute);
    if (rc == CORE_OK)
        rc = repo_link_local_tags(repo, &s->tags, true);
    if (rc != CORE_OK) {
        free(s);
        return rc;
    }
    s->r = marc_record_new();
    fast_commits(repo, s);
    *state = s;
    return CORE_OK;
}

static int
link_end(struct core_repo *repo, void *state, bool complete)
{
    struct job_state *s = state;
    restore_commits(repo, s);
    marc_record_free(s->r);
    core_bib_keys_free(&s->keys);
    free(s->sent);
    free(s);
    return CORE_OK;
}

/* "a, b, c": the candidates that count (ignore_type, or of the IZ bib's
 * type), or with other_type those of another resource type. */
static void
list_candidates(const struct finder *f, bool ignore_type, bool other_type, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < f->n && len + 1 < size; i++) {
        bool counts = ignore_type || f->c[i].type_agrees;
        if (counts == other_type)
            continue;
        len += (size_t)snprintf(out + len, size - len, "%s%s", len ? ", " : "", f->c[i].mms);
    }
}

/* How many candidates count: all, or with the resource type of the IZ bib. */
static size_t
counting(const struct finder *f, bool ignore_type, size_t *first)
{
    size_t k = 0;
    for (size_t i = f->n; i-- > 0;)
        if (ignore_type || f->c[i].type_agrees) {
            k++;
            *first = i;
        }
    return k;
}

/* The IZ bib matched: link, or report the multi-match. */
static int
decide(struct core_repo *repo, struct job_state *s, const char *mms, struct finder *f,
       struct core_job_outcome *out)
{
    qsort(f->c, f->n, sizeof *f->c, by_strength);
    size_t first = 0, k = counting(f, s->ignore_type, &first);
    if (k > 1) {
        char list[400];
        list_candidates(f, s->ignore_type, false, list, sizeof list);
        snprintf(out->outcome, sizeof out->outcome, "multi-match");
        snprintf(out->detail, sizeof out->detail, "%zu candidates by %s: %s", k,
                 core_link_how_name(f->c[first].how), list);
        return CORE_OK;
    }
    struct core_link_result res;
    int rc = repo_link_to_tx(repo, mms, f->c[first].mms, &s->tags, &res);
    if (rc == CORE_OK) {
        snprintf(out->outcome, sizeof out->outcome, "linked");
        snprintf(out->detail, sizeof out->detail, "to %s (%s)", res.nz_mms, f->c[first].reason);
    }
    return rc;
}

/* No candidate that counts: contribute, or skip saying why. */
static int
unmatched(struct core_repo *repo, struct job_state *s, const char *mms, bool multi,
          const char *other_type, struct core_job_outcome *out)
{
    if (s->contribute) {
        struct core_link_result res;
        const char *before = contributed_as(s, mms);
        int rc = CORE_OK;
        if (before[0]) {
            rc = repo_nz_fetch(repo, before);
            if (rc == CORE_OK)
                rc = repo_link_to_tx(repo, mms, before, &s->tags, &res);
        } else {
            rc = repo_link_contribute_tx(repo, mms, &s->tags, &res);
        }
        if (rc == CORE_OK && !before[0] && core_nz_remote(repo)) {
            s->sent = xrealloc(s->sent, (s->nsent + 1) * sizeof *s->sent);
            snprintf(s->sent[s->nsent][0], CORE_MMS_MAX, "%s", mms);
            snprintf(s->sent[s->nsent++][1], CORE_MMS_MAX, "%s", res.nz_mms);
        }
        if (rc == CORE_OK) {
            snprintf(out->outcome, sizeof out->outcome, "contributed");
            snprintf(out->detail, sizeof out->detail, "as %s", res.nz_mms);
        }
        return rc;
    }
    bool has_oclc = false;
    for (size_t i = 0; i < s->keys.nids; i++)
        has_oclc = has_oclc || s->keys.ids[i].kind == CORE_ID_OCLC ||
                   s->keys.ids[i].kind == CORE_ID_OCLC_OLD;
    snprintf(out->outcome, sizeof out->outcome, "skipped");
    if (other_type[0])
        snprintf(out->detail, sizeof out->detail,
                 "no match of its resource type (%s); of another type: %s",
                 core_match_type_name(marc_record_leader(s->r)), other_type);
    else
        snprintf(out->detail, sizeof out->detail, "no match%s%s", has_oclc ? "" : ": no OCLC number",
                 multi ? (has_oclc ? " by OCLC number, ISSN or ISBN" : ", ISSN or ISBN match") : "");
    return CORE_OK;
}

static int
link_one(struct core_repo *repo, void *state, const char *mms, struct core_job_outcome *out)
{
    struct job_state *s = state;
    struct core_record_info info;
    int rc = iz_record(repo, mms, s->r, &info);
    if (rc != CORE_OK)
        return rc;
    if (info.linked[0]) {
        snprintf(out->outcome, sizeof out->outcome, "already linked");
        snprintf(out->detail, sizeof out->detail, "to %s", info.linked);
        return CORE_OK;
    }
    core_bib_keys_extract(s->r, &s->keys);
    bool multi = core_match_is_serial(marc_record_leader(s->r)) ? s->multi_serial
                                                                : s->multi_nonserial;
    static const enum core_link_how steps[] = {CORE_LINK_OCLC, CORE_LINK_ISSN, CORE_LINK_ISBN};
    char other_type[200] = "";
    struct finder f = {.repo = repo};
    rc = finder_prime(&f, &s->keys, false);
    for (size_t i = 0; rc == CORE_OK && i < (multi ? 3 : 1); i++) {
        finder_free(&f);
        rc = i == 0 ? find_oclc(&f, &s->keys) : find_ident(&f, &s->keys, steps[i]);
        if (rc == CORE_OK)
            rc = fill_details(&f, marc_record_leader(s->r));
        size_t first = 0, k = rc == CORE_OK ? counting(&f, s->ignore_type, &first) : 0;
        if (k > 0) {
            rc = decide(repo, s, mms, &f, out);
            finder_free(&f);
            free(f.sent);
            return rc;
        }
        if (rc == CORE_OK && f.n && !other_type[0]) {
            char list[160];
            list_candidates(&f, false, true, list, sizeof list);
            snprintf(other_type, sizeof other_type, "%s (%s)", list,
                     core_match_type_name(f.c[0].leader));
        }
    }
    finder_free(&f);
    free(f.sent);
    return rc == CORE_OK ? unmatched(repo, s, mms, multi, other_type, out) : rc;
}

/* Listed in repo-job.c's table of kinds. */
const struct core_job_kind core_job_link_to_nz = {
    "link-to-nz",
    "link IZ bibs to the network zone (serial=, nonserial= oclc-unique|multi-step; "
    "ignore_resource_type=, contribute_unmatched= yes|no)",
    link_begin, link_one, link_end};

/* ---- the multi-match queue ---- */

int
core_link_queue(struct core_repo *repo, struct core_link_queued **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    /* The latest result of each record among link-to-nz jobs decides. */
    sqlite3_stmt *st = repo_stmt(
        repo, CORE_ZONE_IZ,
        "WITH latest AS (SELECT r.mms AS mms, max(r.job) AS job FROM {Z}.job_result r "
        "JOIN {Z}.job j ON j.id = r.job WHERE j.kind = 'link-to-nz' AND r.outcome <> '' "
        "GROUP BY r.mms) "
        "SELECT r.mms, r.job, r.detail, b.title FROM latest l JOIN {Z}.job_result r ON "
        "r.job = l.job AND r.mms = l.mms JOIN {Z}.bib b ON b.mms = r.mms "
        "WHERE r.outcome = 'multi-match' AND b.linked IS NULL AND b.deleted_at IS NULL "
        "GROUP BY r.mms ORDER BY r.job DESC, min(r.position)");
    if (!st)
        return CORE_ERR_DB;
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        struct core_link_queued *q = &(*out)[(*n)++];
        memset(q, 0, sizeof *q);
        snprintf(q->mms, sizeof q->mms, "%s", repo_col_text(st, 0));
        q->job = (long)sqlite3_column_int64(st, 1);
        snprintf(q->detail, sizeof q->detail, "%s", repo_col_text(st, 2));
        snprintf(q->title, sizeof q->title, "%s", repo_col_text(st, 3));
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "reading the multi-match queue");
}
