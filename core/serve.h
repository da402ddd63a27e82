/*
 * serve.h - `colophon serve`: one zone of a repository as a Z39.50 and SRU
 * server (SPEC §7), built on libyaz's generic front-end server (GFS).
 *
 * Any Z39.50 client (yaz-client, zoomsh, Koha, MarcEdit) and any SRU
 * client (a browser, curl) can search the zone and fetch its records; this
 * is how a network zone reaches institutions on other hosts.
 *
 * Searching.  Z39.50 type-1 queries with Bib-1 attributes and SRU's CQL
 * are translated into the query language of search.h and run by
 * core_search, so the server finds what the editor finds:
 *   Use 1=4 title, 1=7 ISBN (and 1=9 LCCN), 1=8 ISSN, 1=12 local number
 *   (the MMS ID), 1=1003 author (1, 2, 3, 1004-1006 too), 1=21 subject,
 *   1=1016 any (1017, 1035 too), 1=1211 OCLC number, and the index names
 *   of search.h as string Use attributes ("@attr 1=title");
 *   relation 3 (equal) and 102 (relevance); position 1, 2, 3 (searched as
 *   "any position"); structure 1 phrase, 2 word, 3 key, 6 word list (all
 *   words), 105/106 free text (any word); truncation 100 (none) and 1
 *   (right); completeness 1, 2, 3.  Anything else is answered with the
 *   Bib-1 diagnostic that names it (113 attribute type, 114 Use, 117
 *   relation, 118 structure, 119 position, 120 truncation, 121 attribute
 *   set, 122 completeness, 110 operator (prox), 125 malformed term ...),
 *   never a crash.  A result set name may be a search term (its query).
 *   CQL indexes: cql.serverChoice (cql.anywhere, cql.keywords, keyword),
 *   dc.title, dc.creator (dc.author, author), dc.subject, bath.isbn,
 *   bath.issn, bath.lccn, rec.id (mms), oclc (bath.oclc, local.oclc);
 *   relations =, ==, adj, exact (phrase), all, any; a trailing '*'
 *   truncates; "cql.allRecords=1 not X" subtracts.  SRU clients get the
 *   SRU diagnostics libyaz maps these to.
 * Result sets are per session (at most 16 named ones; the oldest goes).
 *
 * Records.  MARC 21 in ISO 2709 (record syntax USMARC/MARC21; UTF-8,
 * leader/09 'a') or MARCXML (syntax XML; SRU recordSchema marcxml or
 * info:srw/schema/1/marcxml-v1.1).  A linked IZ bib is served as the
 * network record with the IZ's local fields (core_record_get).
 *
 * Updates.  Read-only unless `allow_update`: then Z39.50 Extended Services
 * Record Update (recordInsert, recordReplace, specialUpdate, recordDelete)
 * changes the zone, as the user named in the Init (user and password,
 * checked with auth.h; roles apply as everywhere: cataloger to create and
 * replace, cataloger-extended to delete).  The record id is the MMS ID
 * (ZOOM's recordIdOpaque), or the record's own 001 when it holds one of
 * the zone's MMS IDs.  The task package's targetReference is the MMS ID
 * written.  Failures are answered with Bib-1 diagnostics (222 not
 * logged in or read-only, 223 role, 224 refused with the reason, 1026
 * locked).
 *
 * Processes.  The listener forks a process per connection (the GFS
 * default), which opens the repository for that session only: no SQLite
 * handle crosses a fork, and a session that fails takes nobody else down.
 * SIGTERM ends the server; the pid file, when asked for, is removed then.
 */
#ifndef CORE_SERVE_H
#define CORE_SERVE_H

#include "core.h"

#include <stdbool.h>

struct core_serve_opts {
    const char *repo_dir;      /* the repository (opened by each session) */
    const char *listen;        /* "tcp:127.0.0.1:9999" ("tcp:" may be left out) */
    enum core_zone zone;       /* the zone served */
    bool allow_update;         /* Extended Services record update */
    bool daemon;               /* detach; return once listening */
    const char *pidfile;       /* written once listening, removed at exit; may be NULL */
    const char *logfile;       /* libyaz's log; NULL: stderr (foreground) or none (daemon) */
    int idle_timeout;          /* seconds before an idle session is closed; 0: 900 */
    /* Called once listening, in the serving process before it detaches
     * from nothing (foreground only); may be NULL. */
    void (*ready)(void *ctx, const char *listen);
    void *ready_ctx;
};

/*
 * Serve until SIGTERM (foreground: does not return then; the process
 * exits 0), or with o->daemon return CORE_OK as soon as the detached
 * server listens.  Fails before serving with *cause (heap): the repository
 * cannot be opened or lacks the zone (CORE_ERR_USER), the address is
 * malformed (CORE_ERR_USER) or cannot be listened on (CORE_ERR_IO: in use,
 * not allowed), the pid file cannot be written (CORE_ERR_IO).
 */
int core_serve_run(const struct core_serve_opts *o, char **cause /* OUT */);

/*
 * The translations the server applies, for tests and for the curious:
 * a PQF query (as yaz-client's find takes it) or a CQL query into the
 * query language of search.h.  CORE_OK with *query (heap), or
 * CORE_ERR_USER with the Bib-1 diagnostic in *diag and its additional
 * information in *addinfo (heap, may be NULL).
 */
int core_serve_pqf_query(const char *pqf, char **query /* OUT */, int *diag /* OUT */,
                         char **addinfo /* OUT */);
int core_serve_cql_query(const char *cql, char **query /* OUT */, int *diag /* OUT */,
                         char **addinfo /* OUT */);

#endif
