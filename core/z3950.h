/*
 * z3950.h - searching external Z39.50 and SRU targets (SPEC §3.5, §7),
 * without blocking.
 *
 * A search is an object that advances when polled: core_zsearch_start
 * connects, sends the Init and the search and asks for the first records
 * in the same round trip, all in the background; core_zsearch_poll moves
 * it on for at most the time it is given, so the TUI keeps drawing and the
 * user can cancel (core_zsearch_cancel) at any moment.  Every step has the
 * target's timeout: nothing waits longer.  A CLI simply polls until done
 * (core_zsearch_wait).
 *
 * The query is the query language of search.h, translated for the target
 * (core_z3950_translate): to PQF with Bib-1 attributes for Z39.50 (1=4
 * title, 1=7 ISBN, 1=8 ISSN, 1=12 local number, 1=1003 author, 1=1016
 * keyword, 1=21 subject, 1=1211 OCLC number; phrases with structure 4=1,
 * a trailing '*' as right truncation 5=1; AND, OR, NOT as @and, @or, @not),
 * to CQL for SRU (cql.serverChoice, dc.title, dc.creator, dc.subject,
 * rec.id, oclc, bath.isbn, bath.issn); the target's map.INDEX options
 * override (targets.h).
 *
 * Records arrive as the target sends them (ISO 2709 or MARCXML, MARC-8 or
 * UTF-8) and are handed out converted: UTF-8, NFC, leader/09 'a'.  A
 * malformed record is an error for that record only, with a message naming
 * the record and the problem; the others stay usable.
 *
 * Errors are messages (heap strings, or owned by the search) and enum
 * core_err codes: CORE_ERR_IO when the target cannot be reached, refuses
 * the connection, closes it or does not answer in time; CORE_ERR_USER when
 * it answers with a diagnostic (its Bib-1 or SRU text is quoted) or the
 * query cannot be sent to it; CORE_ERR_INVALID for a malformed record.
 *
 * This module and serve.c are the only users of libyaz's ZOOM and GFS;
 * z3950.c is the only file that includes <yaz/zoom.h> for searching;
 * z3950-update.c (zupdate.h) sends Extended Services record updates.
 */
#ifndef CORE_Z3950_H
#define CORE_Z3950_H

#include "core.h"
#include "targets.h"

#include "record.h"

#include <stdbool.h>
#include <stddef.h>

/* The query as it will be sent to t: PQF or CQL (heap string in *out), or
 * CORE_ERR_USER with *error ("column 1: loc has no subject index"). */
int core_z3950_translate(const struct core_target *t, const char *query, char **out /* OUT */,
                         char **error /* OUT */);

/*
 * Make r from one record as a target sent it (ISO 2709 or MARCXML, told
 * apart by the content) for a target with the given charset option
 * ("auto", "marc8", "utf-8"; other names are converted by libyaz before
 * this, see core_zsearch_record): UTF-8, NFC, leader/09 'a'.  `what`
 * ("record 3 from loc") starts the message of a failure.  CORE_OK, or
 * CORE_ERR_INVALID with *error (heap) saying what is wrong and where.
 */
int core_z3950_decode(const char *data, size_t len, const char *charset, const char *what,
                      struct marc_record *r, char **error /* OUT */);

struct core_zsearch;

enum core_zstate {
    CORE_ZS_RUNNING = 0, /* waiting for the target */
    CORE_ZS_DONE = 1,    /* the search (or the last fetch) is complete */
    CORE_ZS_FAILED = 2,  /* see core_zsearch_error; also after a cancel */
};

/*
 * Start searching target t for `query` (search.h's language), asking for
 * the first `prefetch` records with the search (0: none).  Returns the
 * search, RUNNING, or NULL with *error when the query cannot be translated.
 * Connecting, the Init and the search happen in core_zsearch_poll.
 */
struct core_zsearch *core_zsearch_start(const struct core_target *t, const char *query,
                                        size_t prefetch, char **error /* OUT */);

/*
 * Advance the search, waiting at most timeout_ms milliseconds (0: only
 * what is ready now; negative: until done or failed).  Returns the state.
 * Past the target's timeout since the last request the search fails with
 * "no answer from NAME (ADDRESS) within N s".
 */
enum core_zstate core_zsearch_poll(struct core_zsearch *s, int timeout_ms);

/* Poll until done or failed; CORE_OK or the error code (message in core_zsearch_error). */
int core_zsearch_wait(struct core_zsearch *s);

/*
 * The socket to watch for a caller's own poll(2) loop (-1 when none yet)
 * and the events (POLLIN/POLLOUT) to watch for; call core_zsearch_poll(s,
 * 0) when it is ready.
 */
int core_zsearch_fd(const struct core_zsearch *s, short *events /* OUT */);

/* Stop now: the connection is closed, the state becomes FAILED ("cancelled"). */
void core_zsearch_cancel(struct core_zsearch *s);

enum core_zstate core_zsearch_state(const struct core_zsearch *s);
/* Why the search failed ("" while it has not), and the code for it. */
const char *core_zsearch_error(const struct core_zsearch *s);
int core_zsearch_errcode(const struct core_zsearch *s);
/* Hits the target reported; -1 until the search is done. */
long core_zsearch_hits(const struct core_zsearch *s);
/* The query as sent (PQF or CQL). */
const char *core_zsearch_query(const struct core_zsearch *s);

/*
 * Ask for records from..from+count-1 (0-based) that have not arrived yet;
 * the state is RUNNING until they have (poll as above).  CORE_ERR_USER
 * when the range lies beyond the hits or the search has not succeeded.
 */
int core_zsearch_fetch(struct core_zsearch *s, size_t from, size_t count);

/* True when record n (0-based) has arrived (well-formed or not). */
bool core_zsearch_has(const struct core_zsearch *s, size_t n);

/*
 * Record n (0-based), converted as core_z3950_decode does.  CORE_OK;
 * CORE_ERR_NOTFOUND when it has not arrived (fetch it); CORE_ERR_INVALID
 * when malformed and CORE_ERR_USER when the target sent a diagnostic in its
 * place, with *error (heap) "record 3 from loc: ...".
 */
int core_zsearch_record(struct core_zsearch *s, size_t n, struct marc_record *r,
                        char **error /* OUT */);

/* Free the search (closing the connection); NULL is a no-op. */
void core_zsearch_free(struct core_zsearch *s);

#endif
