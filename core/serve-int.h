/*
 * serve-int.h - what serve.c (the GFS server), serve-query.c (Bib-1 and
 * CQL queries into the query language), serve-scan.c (the term lists of a
 * scan) and serve-update.c (Extended Services record update) share.
 * Private to them: it names libyaz's protocol structures.
 */
#ifndef CORE_SERVE_INT_H
#define CORE_SERVE_INT_H

#include "core.h"
#include "query.h"
#include "repo.h"

#include <stdbool.h>
#include <yaz/proto.h>

/* libyaz's <yaz/xmalloc.h> names its allocators as macros with the names of
 * ours (buf.h); the files of the server use ours. */
#undef xmalloc
#undef xcalloc
#undef xrealloc
#undef xstrdup
#undef xstrndup
#undef xfree

/* The query text of a named result set of the session, or NULL when there
 * is none of that name (a result set used as a search term). */
typedef const char *(*serve_set_query_fn)(void *ctx, const char *name);

/*
 * A type-1 (RPN) query into the query language: CORE_OK with *query
 * (heap), or CORE_ERR_USER with a Bib-1 diagnostic in *diag and its
 * additional information in *addinfo (heap, may be NULL).
 */
int serve_rpn_to_query(const Z_RPNQuery *q, serve_set_query_fn sets, void *ctx, char **query,
                       int *diag, char **addinfo);

/* A CQL query likewise (the Bib-1 codes are those libyaz maps to the SRU
 * diagnostics: 114 -> 16 unsupported index, 117 -> 19 relation, ...). */
int serve_cql_to_query(const char *cql, char **query, int *diag, char **addinfo);

/*
 * The start point of a Z39.50 scan: the index its Bib-1 attributes name
 * (checked as a search's are, with the same diagnostics; `attrset` is the
 * scan request's attribute set) and the term as UTF-8 (heap, may be "").
 * CORE_OK, or CORE_ERR_USER with a Bib-1 diagnostic as above.
 */
int serve_scan_start(const Z_AttributesPlusTerm *apt, const Odr_oid *attrset,
                     enum core_qindex *index, char **term, int *diag, char **addinfo);

/* The same for an SRU scanClause ("dc.title = comp"). */
int serve_cql_scan_start(const char *clause, enum core_qindex *index, char **term, int *diag,
                         char **addinfo);

/* One term of a scan: the term as the index holds it, and how many records have it. */
struct serve_scan_entry {
    char *term; /* heap */
    long long count;
};

struct serve_scan_list {
    struct serve_scan_entry *e; /* heap, n of them */
    size_t n;
    int position; /* where the start term is (or would be) in e, from 1 */
    bool partial; /* the index ended before `number` terms were found */
};

/* Most terms one scan returns (more: diagnostic 1029). */
#define SERVE_SCAN_MAX 1000

/*
 * The terms of `index` in the zone around `start`, as a scan request asks
 * (serve-scan.c): `number` terms with the first term >= start at
 * `position` (1 = first; 0 and below start after it; beyond `number`
 * end before it).  CORE_OK with *out filled (free with
 * serve_scan_list_free), or an error with the repository's message.
 */
int serve_scan_terms(struct core_repo *repo, enum core_zone zone, enum core_qindex index,
                     const char *start, int position, int number, struct serve_scan_list *out);
void serve_scan_list_free(struct serve_scan_list *l);

/* "Default", the zone's name (IZ, NZ) or its code (4801): the databases served. */
bool serve_database_ok(struct core_repo *repo, enum core_zone zone, const char *db);

/* What an update may do in this session. */
struct serve_update_ctx {
    struct core_repo *repo; /* acting user: the one logged in */
    enum core_zone zone;
    bool allow_update;      /* colophon serve --allow-update */
    bool logged_in;         /* the Init named a user and the password matched */
};

/*
 * Carry out the record update in an Extended Services request's
 * task-specific parameters.  CORE_OK with *tp (allocated in o; its
 * targetReference is the MMS ID written), or CORE_ERR_USER with a Bib-1
 * diagnostic in *diag and the reason in *addinfo (heap).
 */
int serve_update(const struct serve_update_ctx *c, const Z_External *ext, ODR o,
                 const Odr_oid *package_type, Z_TaskPackage **tp, int *diag, char **addinfo);

#endif
