/*
 * nzremote.h - a network zone on another host (SPEC §2 NZ, §7): the
 * repository names its NZ as a Z39.50 (or SRU) target served by `colophon
 * serve --zone nz --allow-update` instead of attaching a shared file.
 *
 * The truth is the server.  The repository keeps `nz-cache.db`, a zone
 * file of the NZ's code holding a copy of every network record it has
 * searched, looked at or linked to, as the server last sent it.  The copy
 * is what lets a linked bib be read, shown, searched in the IZ and edited
 * (its local fields) while the server is down; it is never the authority:
 *   - NZ searches (`colophon search --zone nz`) and the candidates of
 *     Share with Network (`colophon link`, the link-to-nz job: Bib-1
 *     searches by OCLC number incl. cancelled ones, ISSN, ISBN/LCCN, then
 *     title) go to the server; the records it returns replace their copies,
 *     and only records it returned are candidates.
 *   - `link --to NZMMS`, unlink and refresh fetch the network record first.
 *   - Contributing sends the shared fields with Extended Services
 *     recordInsert; the server's answer (targetReference) is the new NZ
 *     MMS ID, and the record is fetched back.  Saving a linked bib whose
 *     shared fields changed sends them with recordReplace (after checking
 *     that the server's record still has the 005 the editor read).
 *   - Showing a network record or a linked bib fetches its network record
 *     (core_nz_freshen); `colophon link --refresh` re-fetches every linked
 *     network record and re-synchronises the IZ rows (SPEC: versions with
 *     reason "refresh").  Until then, a copy is as old as its last fetch.
 *   - Network records are never written here otherwise: creating,
 *     editing, deleting or reverting one in this repository is refused
 *     (they are changed on the network zone's server).
 * When the server cannot be reached every NZ operation fails with
 * "network zone at ADDRESS unreachable: ..." (CORE_ERR_IO); the IZ's own
 * records are unaffected.
 *
 * The target is the configuration key `nz.target`: an address and options
 * in the text of targets.h ("nz.example.org:2100/NZ user=inst1111
 * password=..."), set by `colophon init --nz z3950://HOST:PORT/DB` and
 * changed by an admin with `colophon config set nz.target ...`.
 */
#ifndef CORE_NZREMOTE_H
#define CORE_NZREMOTE_H

#include "core.h"
#include "repo.h"
#include "targets.h"

#include <stdbool.h>

/* File name of the copy of a remote network zone, in the repository directory. */
#define CORE_NZ_CACHE_FILE "nz-cache.db"

/*
 * Create a repository whose network zone is the server at `address`
 * (host:port/database, "z3950://" optional, or an SRU URL) with target
 * options `options` (may be NULL: "user=NAME password=TEXT timeout=S"),
 * for network MMS IDs ending in nz_code (NULL: 4801).  The server is not
 * contacted.  Otherwise as core_repo_init.
 */
int core_repo_init_remote(const char *dir, const char *institution, const char *address,
                          const char *options, const char *nz_code, const char *user,
                          char **cause /* OUT */);

/* True when the repository's network zone is remote. */
bool core_nz_remote(const struct core_repo *repo);

/* The network zone's target (name "network zone"); CORE_ERR_USER when the
 * repository's NZ is not remote or `nz.target` is malformed. */
int core_nz_target(struct core_repo *repo, struct core_target *t);

/*
 * Bring the copy of the network record behind `mms` (a network bib, or an
 * IZ bib linked to one) up to date from the server.  CORE_OK when done or
 * when there is nothing to fetch (a local NZ, an unlinked IZ bib);
 * CORE_ERR_IO when the server is unreachable (the copy stays as it was:
 * a caller that only reads may go on with it), CORE_ERR_NOTFOUND when the
 * server no longer has the record (the copy is marked deleted).
 */
int core_nz_freshen(struct core_repo *repo, const char *mms);

/*
 * Fetch the network records linked from IZ bib mms, or from every linked
 * IZ bib when mms is NULL (batches of 20 MMS IDs a search).  *missing (may
 * be NULL) counts those the server no longer has (their copies become
 * tombstones; the IZ bibs keep their last content).  Then
 * core_link_refresh stores the new content in the IZ rows.
 */
int core_nz_refresh(struct core_repo *repo, const char *mms, long *missing);

#endif
