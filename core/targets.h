/*
 * targets.h - external resources (SPEC §3.5, §7): the Z39.50 and SRU
 * targets a cataloger searches for copy cataloging, and each user's last
 * search of each target.
 *
 * A target is configured in the repository (shared by its users; `colophon
 * external add`, admin) or in the user's own file
 * $XDG_CONFIG_HOME/colophon/targets (~/.config/colophon/targets), where
 * personal credentials belong.  A name defined in both is the file's: the
 * personal definition wins.  Both use the same text, one target per line
 * (docs/Z3950.md):
 *
 *   # NAME      ADDRESS                            OPTIONS
 *   loc         lx2.loc.gov:210/LCDB               map.oclc=none
 *   worldcat    zcat.oclc.org:210/OLUCWorldCat     user=100 password="s3 cret"
 *   alma        https://x.alma.exlibrisgroup.com/view/sru/01ABC map.isbn=alma.isbn
 *
 * ADDRESS is host[:port][/database] for Z39.50 (port 210, database
 * "Default" when omitted) or an http:// or https:// URL for SRU.  OPTIONS
 * are key=value, values in double quotes when they hold blanks (\" and \\
 * escape):
 *   syntax=usmarc|marcxml   record syntax asked for (default usmarc; SRU
 *                           always marcxml)
 *   charset=auto|marc8|utf-8|NAME  how ISO 2709 records are encoded: auto
 *                           (default) follows leader/09, NAME is any
 *                           character set libyaz converts from
 *   timeout=SECONDS         a search or a fetch gives up after this (30)
 *   user=NAME password=TEXT credentials sent in the Init (Z39.50) or as
 *                           x-username/x-password (SRU)
 *   map.INDEX=VALUE         how an index of the query language is sent:
 *                           for Z39.50 a Bib-1 Use attribute ("1211") or
 *                           attribute list ("1=1211,4=1"), for SRU a CQL
 *                           index ("alma.isbn"); "none" when the target
 *                           has no such index.  INDEX is keyword, title,
 *                           author, subject, mms, oclc, isbn or issn.
 *
 * No I/O with targets here: z3950.h talks to them.
 */
#ifndef CORE_TARGETS_H
#define CORE_TARGETS_H

#include "core.h"
#include "query.h"
#include "repo.h"

#include "record.h"

#include <stdbool.h>
#include <stddef.h>

#define CORE_TARGET_NAME_MAX 64
/* Indexes of the query language a target maps (query.h: keyword .. barcode). */
#define CORE_TARGET_NINDEXES (CORE_QI_BARCODE + 1)
#define CORE_TARGET_TIMEOUT_DEFAULT 30

enum core_target_proto { CORE_TARGET_Z3950, CORE_TARGET_SRU };
enum core_target_syntax { CORE_TARGET_USMARC, CORE_TARGET_MARCXML };
enum core_target_source { CORE_TARGET_REPO, CORE_TARGET_FILE };

struct core_target {
    char name[CORE_TARGET_NAME_MAX];
    char address[512];              /* host:port/database or the SRU URL */
    enum core_target_proto proto;   /* from the address */
    enum core_target_syntax syntax;
    char charset[32];               /* "auto", "marc8", "utf-8" or a libyaz name */
    int timeout;                    /* seconds */
    char user[128];
    char password[128];
    char map[CORE_TARGET_NINDEXES][96]; /* "" = the default mapping */
    enum core_target_source source;
    char origin[300];               /* "repository" or "FILE:LINE" */
};

/* A target with every option at its default (name and address empty). */
void core_target_init(struct core_target *t);

/*
 * Parse one line of the text format ("NAME ADDRESS key=value ...") into t.
 * Returns CORE_OK, CORE_ERR_NOTFOUND for a blank or comment line (t
 * untouched), or CORE_ERR_USER with *error (heap) naming the problem
 * ("unknown option 'sytax'", "timeout takes seconds (1-3600), not 'x'").
 */
int core_target_parse_line(const char *line, struct core_target *t, char **error /* OUT */);

/*
 * Set one option (the key=value of the text format) on t; the same checks
 * as the parser.  Used by `colophon external add --option`.
 */
int core_target_set_option(struct core_target *t, const char *key, const char *value,
                           char **error /* OUT */);

/* Set t->address (and t->proto) after checking its form. */
int core_target_set_address(struct core_target *t, const char *address, char **error /* OUT */);

/* The options that differ from the defaults, as the text format writes
 * them ("syntax=marcxml map.oclc=1211"), into a heap string. */
char *core_target_options_text(const struct core_target *t);

/*
 * Parse a whole targets file's text.  `source` names it in messages
 * ("FILE:LINE: ...").  *out is a heap array (free it), *n its length; a
 * name given twice is an error.
 */
int core_targets_parse(const char *text, const char *source, struct core_target **out,
                       size_t *n, char **error /* OUT */);

/* The user's targets file: $XDG_CONFIG_HOME/colophon/targets (heap string). */
char *core_targets_file_path(void);

/*
 * Every target this user can search: the repository's and those of the
 * user's file (a missing file is no error; a malformed one is, naming the
 * line), the file's winning on a name defined in both; sorted by name.
 * *out is a heap array the caller frees.
 */
int core_targets_list(struct core_repo *repo, struct core_target **out, size_t *n);

/* One target by name (as core_targets_list sees it); CORE_ERR_NOTFOUND when none. */
int core_target_get(struct core_repo *repo, const char *name, struct core_target *t);

/* Add (or, with replace, redefine) a repository target; needs role admin. */
int core_target_add(struct core_repo *repo, const struct core_target *t, bool replace);

/* Remove a repository target (admin); CORE_ERR_NOTFOUND when the repository has none of the name. */
int core_target_remove(struct core_repo *repo, const char *name);

/* ---- the acting user's last search of a target ---- */

/*
 * Remember a search of `target`: its query and hit count, forgetting the
 * records of the previous one.  Then core_external_put stores each record
 * fetched (position 1-based, converted to UTF-8 NFC).
 */
int core_external_begin(struct core_repo *repo, const char *target, const char *query, long hits);
int core_external_put(struct core_repo *repo, const char *target, long position,
                      const struct marc_record *r);

/* The last search of target: query into `query` (size bytes) and hits; CORE_ERR_NOTFOUND when none. */
int core_external_last(struct core_repo *repo, const char *target, char *query, size_t size,
                       long *hits);

/*
 * Record `position` (1-based) of the acting user's last search of
 * `target`, as a UTF-8 NFC struct marc_record: the copy kept when the
 * search fetched it, else fetched now by running the search again (the
 * target's timeout applies; the record is kept for next time).  This is
 * what Copy & Merge takes (`colophon merge MMSID --from TARGET --record N`).
 * CORE_ERR_NOTFOUND: no such target, no search of it yet, or position
 * beyond its hits (the message says which); CORE_ERR_IO: the target could
 * not be reached; CORE_ERR_INVALID: it sent a malformed record (message
 * names the record and the problem).
 */
int core_external_record(struct core_repo *repo, const char *target, long position,
                         struct marc_record *r);

#endif
