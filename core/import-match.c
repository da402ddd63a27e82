/*
 * import-match.c - the gateway import (SPEC §3.5; seed 002, the Connexion
 * "export" path): each record of a file matched by OCLC number against the
 * bibs of a zone and overlaid, created or left out with its reason.
 *
 * Unlike the bulk import (import.c), which writes batches of new records,
 * every record here is one transaction of its own: the lookup, the lock
 * check and the write see the same database, and a record is written whole
 * or not at all.  Running the same file again is safe: a record created the
 * first time matches itself the second time and is overlaid, not doubled.
 *
 * For one record:
 *   no OCLC number                 refused (nothing to match on)
 *   no bib shares a number         created: a new bib (reason "import",
 *                                  created by "system", updated by the user)
 *   one bib                        overlaid with the merge rule (local
 *                                  fields kept), reason "overlay" -- unless
 *                                  it is open in an editor or assigned (any
 *                                  user: "record is locked by NAME"), or has
 *                                  a 998 no-overlay field (protected)
 *   several bibs                   "multiple matches found for this record"
 * The incoming normalization rule runs on what is created or overlaid.
 */
#include "merge-int.h"

#include "reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
core_gateway_outcome_name(enum core_gateway_outcome o)
{
    static const char *const names[CORE_GW_NOUTCOMES] = {
        "overlaid", "created", "multi-match", "locked", "protected", "refused"};
    return (unsigned)o < CORE_GW_NOUTCOMES ? names[o] : "?";
}

bool
core_gateway_outcome_conflict(enum core_gateway_outcome o)
{
    return o == CORE_GW_MULTI || o == CORE_GW_LOCKED || o == CORE_GW_PROTECTED;
}

/* One gateway import. */
struct gw {
    struct core_repo *repo;
    const struct core_gateway_opts *o;
    struct core_gateway_report *rep;
    struct merge_rules mr;
    struct marc_record *in;    /* prepared incoming record */
    struct marc_record *local; /* the match */
    struct marc_record *out;   /* what is written */
    long record;               /* number of the record in hand */
    bool in_record;            /* matching and writing it (not reading) */
    /* the reader's last error per record, for the lines of skipped records */
    long err_record;
    char err_message[320];
};

/* Problems of the reader (and of validation) go on, numbered by the file's record. */
static void
gw_diag(void *ctx, const struct marc_diag *d)
{
    struct gw *g = ctx;
    struct marc_diag copy = *d;
    if (g->in_record)
        copy.record = g->record; /* validation of one record numbers it 1 */
    if (d->severity == MARC_SEV_ERROR && g->err_record != copy.record) {
        g->err_record = copy.record;
        snprintf(g->err_message, sizeof g->err_message, "%s", d->message);
    }
    if (g->o->diag)
        g->o->diag(g->o->diag_ctx, &copy);
}

static void
emit(struct gw *g, struct core_gateway_line *l)
{
    g->rep->count[l->outcome]++;
    if (g->o->line)
        g->o->line(g->o->line_ctx, l);
}

/* Records the permissive reader skipped before record `upto`. */
static void
emit_skipped(struct gw *g, long from, long upto)
{
    for (long k = from; k < upto; k++) {
        struct core_gateway_line l;
        memset(&l, 0, sizeof l);
        l.record = k;
        l.outcome = CORE_GW_REFUSED;
        snprintf(l.detail, sizeof l.detail, "malformed: %s",
                 g->err_record == k ? g->err_message : "the record could not be read");
        emit(g, &l);
    }
}

static void
brief_title(const struct marc_record *r, char *out, size_t size)
{
    struct core_bib_keys k;
    memset(&k, 0, sizeof k);
    core_bib_keys_extract(r, &k);
    snprintf(out, size, "%s", k.title.data ? k.title.data : "");
    core_bib_keys_free(&k);
}

/* "991…, 992…" of the candidates, into detail after `prefix`. */
static void
list_candidates(const struct core_merge_dup *d, size_t n, const char *prefix, char *out,
                size_t size)
{
    size_t len = (size_t)snprintf(out, size, "%s", prefix);
    for (size_t i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(out + len, size - len, "%s%s (%s)", i ? ", " : "", d[i].mms,
                                d[i].how);
}

/* No match: a new bib, created by "system" as the seed's "Created by Ex Libris". */
static int
gw_create(struct gw *g, struct core_gateway_line *l)
{
    struct merge_effects fx;
    int rc = merge_build(g->repo, CORE_MERGE_IMPORT, &g->mr, NULL, g->in, NULL, g->out, &fx);
    if (rc == CORE_OK)
        rc = core_bib_create(g->repo, g->o->zone, g->out, "import", false, gw_diag, g, l->mms);
    sqlite3_stmt *st = rc == CORE_OK ? repo_stmt(g->repo, g->o->zone,
                                                 "UPDATE {Z}.bib SET created_by = 'system' "
                                                 "WHERE mms = ?1")
                                     : NULL;
    if (st) {
        repo_bind_text(st, 1, l->mms);
        rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(g->repo, "marking a record");
        sqlite3_reset(st);
    } else if (rc == CORE_OK) {
        rc = CORE_ERR_DB;
    }
    if (rc == CORE_OK) {
        l->outcome = CORE_GW_CREATED;
        snprintf(l->detail, sizeof l->detail, "no record has OCLC number %s: created", l->oclc);
    }
    return rc;
}

/* The one match: overlaid unless it is locked or protected. */
static int
gw_overlay(struct gw *g, const struct core_merge_dup *m, struct core_gateway_line *l)
{
    snprintf(l->mms, sizeof l->mms, "%s", m->mms);
    struct core_lock_info lk;
    int rc = repo_lock_check(g->repo, g->o->zone, m->mms, &lk);
    if (rc == CORE_ERR_CONFLICT || (rc == CORE_OK && lk.locked)) {
        l->outcome = CORE_GW_LOCKED;
        snprintf(l->detail, sizeof l->detail, "record is locked by %s%s", lk.user,
                 lk.assigned ? " (assigned to them)" : "");
        return CORE_OK;
    }
    struct core_record_info info;
    if (rc == CORE_OK)
        rc = core_record_get(g->repo, m->mms, g->local, &info);
    if (rc != CORE_OK)
        return rc;
    if (marc_record_find(g->local, "998", 0) >= 0) {
        l->outcome = CORE_GW_PROTECTED;
        snprintf(l->detail, sizeof l->detail,
                 "%s has a 998 no-overlay field: not overlaid (Copy & Merge it instead)", m->mms);
        return CORE_OK;
    }
    struct merge_effects fx;
    rc = merge_build(g->repo, CORE_MERGE_MERGE, &g->mr, g->local, g->in, m->mms, g->out, &fx);
    if (rc == CORE_OK)
        rc = core_record_save(g->repo, m->mms, g->out, info.version, "overlay", false, gw_diag, g,
                              NULL);
    if (rc == CORE_OK) {
        l->outcome = CORE_GW_OVERLAID;
        snprintf(l->detail, sizeof l->detail, "matched by %s; local fields kept (rule %s)", m->how,
                 g->mr.merge_name);
    }
    return rc;
}

/* Match and write (inside the record's transaction). */
static int
gw_match(struct gw *g, char (*nums)[CORE_IDENT_MAX], size_t n, size_t ncurrent,
         struct core_gateway_line *l)
{
    struct core_merge_dup *m = NULL;
    size_t nm = 0;
    int rc = merge_find_numbers(g->repo, g->o->zone, nums, n, ncurrent, NULL, &m, &nm);
    if (rc == CORE_OK && nm == 0) {
        rc = gw_create(g, l);
    } else if (rc == CORE_OK && nm == 1) {
        rc = gw_overlay(g, &m[0], l);
    } else if (rc == CORE_OK) {
        l->outcome = CORE_GW_MULTI;
        list_candidates(m, nm, "multiple matches found for this record: ", l->detail,
                        sizeof l->detail);
    }
    free(m);
    return rc;
}

/* One record of the file: its line, or an error that stops the import. */
static int
gw_record(struct gw *g, const struct marc_record *r)
{
    struct core_gateway_line l;
    memset(&l, 0, sizeof l);
    l.record = g->record;
    l.outcome = CORE_GW_REFUSED;
    int rc = CORE_OK;
    if (marc_record_kind(r) != MARC_KIND_BIBLIOGRAPHIC) {
        snprintf(l.detail, sizeof l.detail,
                 "not a bibliographic record (leader/06 '%c'): --match oclc imports bibs only",
                 marc_record_leader(r)[6]);
        emit(g, &l);
        return CORE_OK;
    }
    if (merge_prepare_incoming(g->repo, r, g->in) != CORE_OK) {
        snprintf(l.detail, sizeof l.detail, "%s", core_repo_errmsg(g->repo));
        emit(g, &l);
        return CORE_OK;
    }
    brief_title(g->in, l.title, sizeof l.title);
    char nums[MERGE_MAX_NUMBERS][CORE_IDENT_MAX];
    size_t ncurrent = 0;
    size_t n = core_merge_oclc_numbers(g->in, nums, MERGE_MAX_NUMBERS, &ncurrent);
    if (n == 0) {
        snprintf(l.detail, sizeof l.detail,
                 "no OCLC number to match on (035 $a (OCoLC)..., 035 $z, 019 $a, or 001 with "
                 "003 OCoLC)");
        emit(g, &l);
        return CORE_OK;
    }
    snprintf(l.oclc, sizeof l.oclc, "%s", nums[0]);
    rc = repo_begin(g->repo);
    if (rc == CORE_OK)
        rc = gw_match(g, nums, n, ncurrent, &l);
    bool wrote = rc == CORE_OK && (l.outcome == CORE_GW_OVERLAID || l.outcome == CORE_GW_CREATED);
    if (wrote) {
        rc = repo_commit(g->repo);
    } else {
        repo_rollback(g->repo);
        if (rc == CORE_ERR_INVALID || rc == CORE_ERR_USER) {
            l.outcome = CORE_GW_REFUSED;
            snprintf(l.detail, sizeof l.detail, "%s", core_repo_errmsg(g->repo));
            rc = CORE_OK;
        } else if (rc == CORE_ERR_CONFLICT && l.mms[0]) {
            /* locked meanwhile, or the network record of a linked bib is */
            l.outcome = CORE_GW_LOCKED;
            snprintf(l.detail, sizeof l.detail, "%s", core_repo_errmsg(g->repo));
            rc = CORE_OK;
        }
    }
    if (rc == CORE_OK)
        emit(g, &l);
    return rc;
}

static int
gw_start(struct core_repo *repo, const struct core_gateway_opts *o)
{
    if (o->zone != CORE_ZONE_IZ && o->zone != CORE_ZONE_NZ)
        return repo_fail(repo, CORE_ERR_USER, "the gateway import goes to the IZ or the NZ");
    if (!core_repo_has_zone(repo, o->zone))
        return repo_fail(repo, CORE_ERR_USER, "this repository has no %s",
                         core_zone_name(o->zone));
    return core_require_role(repo, CORE_ROLE_CATALOGER | CORE_ROLE_CATALOGER_EXTENDED,
                             "the gateway import");
}

/* Read the file to its end; each record through gw_record. */
static int
gw_read(struct gw *g, struct marc_reader *rd)
{
    struct marc_record *r = marc_record_new();
    long last = 0, good = 0;
    int mrc = 0, rc = CORE_OK;
    while (rc == CORE_OK && (mrc = marc_reader_next(rd, r)) == 1) {
        g->record = marc_reader_record_number(rd);
        emit_skipped(g, last + 1, g->record);
        last = g->record;
        good++;
        g->in_record = true;
        rc = gw_record(g, r);
        g->in_record = false;
        if (g->o->progress)
            g->o->progress(g->o->progress_ctx, marc_reader_position(rd), marc_reader_size(rd),
                           g->record);
    }
    if (rc == CORE_OK && mrc < 0) {
        const struct marc_diag *d = marc_reader_error(rd);
        rc = repo_fail(g->repo, CORE_ERR_IO, "reading %s stopped after record %ld: %s",
                       marc_reader_name(rd), last, d ? d->message : "read error");
    }
    if (rc == CORE_OK) { /* malformed records after the last good one */
        long total = good + marc_reader_skipped(rd);
        emit_skipped(g, last + 1, total + 1);
        g->rep->records = total;
    }
    marc_record_free(r);
    return rc;
}

/*
 * A transaction per record, each fsynced (synchronous=FULL), would spend
 * most of the import waiting for the disk.  In WAL mode synchronous=NORMAL
 * loses no committed record to a crash of the process (power loss can take
 * the last ones back, never the file's integrity, never half a record), as
 * the bulk import does; the setting is this connection's and comes back
 * at the end.
 */
static long long
sync_level(struct core_repo *repo, const char *schema)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA %s.synchronous", schema);
    sqlite3_stmt *st;
    long long v = 2;
    if (sqlite3_prepare_v2(repo->db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

static void
set_sync(struct core_repo *repo, const char *schema, long long level)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA %s.synchronous=%lld", schema, level);
    sqlite3_exec(repo->db, sql, NULL, NULL, NULL); /* best effort: speed, not data */
}

int
core_gateway_import(struct core_repo *repo, const char *path, const struct core_gateway_opts *o,
                    struct core_gateway_report *rep)
{
    memset(rep, 0, sizeof *rep);
    int rc = gw_start(repo, o);
    if (rc != CORE_OK)
        return rc;
    struct gw g = {.repo = repo, .o = o, .rep = rep};
    rc = merge_rules_load(repo, NULL, &g.mr);
    if (rc != CORE_OK) {
        merge_rules_free(&g.mr);
        return rc;
    }
    struct marc_read_opts ro = {.format = o->format, .permissive = true, .diag = gw_diag,
                                .diag_ctx = &g};
    char *cause = NULL;
    struct marc_reader *rd = marc_reader_open(path, &ro, &cause);
    if (!rd) {
        rc = repo_fail(repo, CORE_ERR_IO, "%s", cause ? cause : "cannot open the file");
        free(cause);
        merge_rules_free(&g.mr);
        return rc;
    }
    g.in = marc_record_new();
    g.local = marc_record_new();
    g.out = marc_record_new();
    const char *schema[2] = {repo_schema(CORE_ZONE_IZ), repo_schema(o->zone)};
    long long saved[2];
    for (int k = 0; k < 2; k++) {
        saved[k] = sync_level(repo, schema[k]);
        set_sync(repo, schema[k], 1);
    }
    rc = gw_read(&g, rd);
    for (int k = 1; k >= 0; k--)
        set_sync(repo, schema[k], saved[k]);
    marc_reader_close(rd);
    marc_record_free(g.in);
    marc_record_free(g.local);
    marc_record_free(g.out);
    merge_rules_free(&g.mr);
    return rc;
}
