/*
 * relink.h - moving inventory between records (SPEC §3.3, seed 000): a
 * holdings record with all its items to another bib, or an item to another
 * holdings record.
 *
 * A relink is two calls, the way Alma's split-screen Relink shows the
 * target before anything moves.  core_relink_preview resolves what moves
 * and where to (the target by MMS ID, OCLC number or ISBN), lists it, says
 * what the source bib keeps and whether it is left without holdings, and
 * checks every refusal.  core_relink_apply then moves it in one transaction
 * and checks everything again, because the repository may have changed in
 * between.  Nothing is remembered from one relink to the next: each names
 * its target anew.
 *
 * What a relink writes: the holdings record's 004 becomes the new bib's MMS
 * ID (a new holdings version, reason "relink").  Every bib that loses or
 * gains inventory gets a new version with unchanged content and reason
 * "relink", so its history says who moved inventory and when; an item
 * relink versions both holdings records the same way.  The bibs' holdings
 * and items counts are recomputed from the rows.  A bib left without
 * holdings stays (found only under All titles); deleting it is a separate
 * step (core_record_delete: cataloger-extended, and unlinked from the NZ
 * first) that plan->delete_refusal predicts.
 *
 * Zones: a holdings record, its items and its bib are in one zone, in
 * practice the IZ.  In Alma holdings belong to the institution's copy of a
 * network record, so a target found in the NZ means the IZ bib linked to
 * it; when no IZ bib is linked to it the relink is refused (link one first).
 * Other cross-zone targets are refused.
 *
 * A bib the acting user has open in the editor gets a new version too: the
 * editor must read it again before saving (its base version is outdated).
 */
#ifndef CORE_RELINK_H
#define CORE_RELINK_H

#include "core.h"
#include "mms.h"
#include "repo.h"

#include <stdbool.h>
#include <stddef.h>

enum core_relink_kind {
    CORE_RELINK_HOLDINGS, /* a holdings record and its items to another bib */
    CORE_RELINK_ITEM,     /* one item to another holdings record */
};

/* A bib a relink touches. */
struct core_relink_bib {
    char mms[CORE_MMS_MAX];
    char title[256];
    char linked[CORE_MMS_MAX]; /* the NZ MMS ID when linked, else "" */
    bool deleted;
    int version;               /* current; after apply, the version the relink wrote */
    int holdings, items;       /* counts now */
    int holdings_after, items_after; /* predicted by the preview; actual after apply */
};

/* A bib matched by a target that matches several (multi-match). */
struct core_relink_candidate {
    char mms[CORE_MMS_MAX];
    char title[256];
    char author[160];
    char date[8];
    int holdings;
    char matched[64]; /* "OCLC number 12345", "cancelled OCLC number ...", "ISBN ..." */
};

struct core_relink_plan {
    enum core_relink_kind kind;
    enum core_zone zone;     /* the zone of the inventory */
    bool resolved;           /* what moves and where to are known: the plan can be shown */
    char matched[160];       /* how the target was found: "MMS ID", "OCLC number 26273275" ... */
    struct core_relink_bib from, to;
    /* HOLDINGS: the holdings record moving; ITEM: the holdings the item leaves */
    struct core_holdings_info holdings;
    int holdings_version;    /* after apply: the version the relink wrote */
    /* ITEM: the holdings record the item goes to */
    struct core_holdings_info to_holdings;
    int to_holdings_version; /* after apply */
    struct core_item_info *items; /* what moves (owned) */
    size_t nitems;
    struct core_holdings_info *kept; /* HOLDINGS: the holdings the source bib keeps (owned) */
    size_t nkept;
    int items_left;          /* ITEM: items left on the holdings the item leaves */
    bool source_empty;       /* HOLDINGS: the source bib is left without holdings */
    /* With source_empty: why the acting user could not delete the source bib
     * afterwards (role, linked to the NZ, locked), "" when it could. */
    char delete_refusal[256];
    struct core_relink_candidate *candidates; /* a multi-match target (owned) */
    size_t ncandidates;
};

/*
 * Work out the relink of `id` to `target` into *plan (overwritten, not
 * freed: free a previous plan first; free this one with
 * core_relink_plan_free whatever the result).
 *
 *   id      a holdings MMS ID (22...): the holdings and all its items go to a
 *           bib; or an item MMS ID (23...) or barcode: the item goes to a
 *           holdings record.
 *   target  for holdings: a bib by MMS ID ("mms:" optional), OCLC number
 *           ("(OCoLC)ocm00012345", "ocn…", "oclc:12345"; cancelled numbers
 *           count) or ISBN ("isbn:0-306-40615-2"; ISBN-10 and -13 equal);
 *           bare digits are tried as both ISBN and OCLC number.  For an
 *           item: a holdings MMS ID.
 *   zone    where to look the target up (-1: the inventory's zone).
 *
 * Returns CORE_OK when the relink may go ahead.  Otherwise the refusal,
 * with core_repo_errmsg naming it: CORE_ERR_NOTFOUND (no such holdings,
 * item or target), CORE_ERR_CONFLICT (the target matches several bibs:
 * plan->candidates lists them; or a record is locked by someone else),
 * CORE_ERR_ROLE (needs inventory), CORE_ERR_USER (target deleted, the same
 * bib or holdings, another zone, a malformed target).  plan->resolved says
 * whether the plan was filled before the refusal (a locked record, say),
 * so it can still be shown.
 */
int core_relink_preview(struct core_repo *repo, const char *id, const char *target, int zone,
                        struct core_relink_plan *plan /* OUT */);

/*
 * Do the relink a successful preview planned, in one transaction.  Every
 * check runs again; when the holdings or item no longer is where the
 * preview found it, CORE_ERR_CONFLICT and nothing changes.  On success the
 * plan is brought up to date: the items that moved, the counts after, the
 * version numbers written (from.version, to.version, holdings_version,
 * to_holdings_version), source_empty and delete_refusal.  The *_after
 * counts are then the actual ones; holdings and items keep the counts
 * before.  Deleting an emptied source is left to core_record_delete.
 */
int core_relink_apply(struct core_repo *repo, struct core_relink_plan *plan);

/* Free what a plan owns and clear it; NULL is a no-op. */
void core_relink_plan_free(struct core_relink_plan *plan);

#endif
