/*
 * repo.h - the repository: one SQLite file per zone, records, holdings and
 * items, versions, locks, users and roles, configuration.
 *
 * A repository is a directory.  `iz.db` holds the institution zone; the
 * network zone is `nz.db` beside it or a shared file named at init (several
 * IZs on one host can share one NZ file), or a server on another host
 * whose records `nz-cache.db` copies (nzremote.h); an optional `cz.db` holds the
 * community zone.  The IZ opens with the others ATTACHed, in WAL mode with a
 * busy timeout, foreign keys on; every write is one BEGIN IMMEDIATE
 * transaction (SPEC §8).  Files are created group-writable and not
 * world-readable: catalogers share a Unix group.
 *
 * Records are stored in UTF-8 (NFC) as ISO 2709 (MARCXML when a record
 * exceeds ISO 2709's limits).  Every change keeps the previous content as a
 * version, records who and when, and updates 005.
 *
 * Errors: functions return CORE_OK or a negative enum core_err (core.h) and
 * leave a message in core_repo_errmsg().
 */
#ifndef CORE_REPO_H
#define CORE_REPO_H

#include "core.h"
#include "mms.h"

#include "diag.h"
#include "record.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct core_repo;

/* ---- opening ---- */

/*
 * Create a repository in `dir` (created if missing; must not already hold
 * one) for institution `institution` (four digits).  The network zone is a
 * new `nz.db` (code 4801) or, when nz_path is given, that existing NZ file
 * (shared with other institutions).  `user` becomes the first user with
 * every role.  Returns CORE_OK or an error with *cause (heap; caller frees).
 */
int core_repo_init(const char *dir, const char *institution, const char *nz_path,
                   const char *user, char **cause /* OUT */);

/*
 * Open the repository in `dir` as `user` (NULL: the login name).  A user
 * other than the login name is accepted only for the Unix account that owns
 * the repository (SPEC §6).  With create_default, a missing repository at
 * the default location is created first (institution 0001).  Returns NULL
 * with *cause on failure.
 */
struct core_repo *core_repo_open(const char *dir, const char *user, char **cause /* OUT */);
void core_repo_close(struct core_repo *repo);

/* The default repository directory: $XDG_DATA_HOME/colophon (~/.local/share/colophon). */
char *core_repo_default_dir(void);

/* Message of the last failing call (never NULL). */
const char *core_repo_errmsg(const struct core_repo *repo);
const char *core_repo_dir(const struct core_repo *repo);
/* The acting user. */
const char *core_repo_user(const struct core_repo *repo);
/* Four-digit code of a zone ("" when the zone is not present). */
const char *core_repo_zone_code(const struct core_repo *repo, enum core_zone zone);
bool core_repo_has_zone(const struct core_repo *repo, enum core_zone zone);
/* Zone an MMS ID belongs to, by its suffix; -1 when none of ours. */
int core_repo_zone_of(const struct core_repo *repo, const char *mms);

/* ---- users and roles ---- */

/* Roles of `name` (0 when not a user). */
unsigned core_user_roles(struct core_repo *repo, const char *name);
/* Fails with CORE_ERR_ROLE ("needs role X") unless the acting user holds one of `roles`. */
int core_require_role(struct core_repo *repo, unsigned roles, const char *action);
/* Add a user with roles (admin only). */
int core_user_add(struct core_repo *repo, const char *name, unsigned roles, const char *email);
int core_user_grant(struct core_repo *repo, const char *name, unsigned roles);
int core_user_revoke(struct core_repo *repo, const char *name, unsigned roles);
struct core_user {
    char name[64];
    unsigned roles;
    char email[128];
    time_t created;
};
/* All users, sorted by name; *out is a heap array the caller frees. */
int core_user_list(struct core_repo *repo, struct core_user **out, size_t *n);

/* ---- configuration (key = value, SPEC and docs list the keys) ---- */

/* Value of key, or def when unset.  Returned string is valid until the next call. */
const char *core_config_get(struct core_repo *repo, const char *key, const char *def);
int core_config_set(struct core_repo *repo, const char *key, const char *value);
/* The lock timeout in seconds (config "lock.timeout": "60m", "90s", "2h"). */
long core_lock_timeout(struct core_repo *repo);

/* ---- records ---- */

/* What the repository knows about a record besides its MARC. */
struct core_record_info {
    char mms[CORE_MMS_MAX];
    enum core_zone zone;
    enum core_mms_type type;
    int version;                  /* current version number, 1 = as created */
    char reason[16];              /* why the current version exists */
    char linked[CORE_MMS_MAX];    /* IZ bib linked to the NZ: the NZ MMS ID */
    char bib[CORE_MMS_MAX];       /* holdings: its bib */
    time_t created, updated;
    char created_by[64], updated_by[64];
    bool deleted;
    int holdings;                 /* bib: number of holdings records */
    int items;                    /* bib or holdings: number of items */
    char title[256], author[160], date[8];
};

/*
 * Read the current content of a record (bib or holdings, any zone, by MMS
 * ID) into r (may be NULL) and info (may be NULL).  A linked IZ bib reads as
 * the NZ record with the IZ's local fields.  CORE_ERR_NOTFOUND when there is
 * no such record (deleted records are found, with info->deleted set).
 */
int core_record_get(struct core_repo *repo, const char *mms, struct marc_record *r,
                    struct core_record_info *info);

/*
 * Create a bibliographic record in `zone`.  The record is converted to
 * UTF-8 NFC, gets a new MMS ID in 001 (the old 001, with 003, moves to
 * 035), and 005; warnings from validation go to diag.  Errors from
 * validation refuse the record (CORE_ERR_INVALID) unless `force`.
 * mms_out (CORE_MMS_MAX bytes) receives the new ID.
 */
int core_bib_create(struct core_repo *repo, enum core_zone zone, struct marc_record *r,
                    const char *reason, bool force, marc_diag_fn diag, void *diag_ctx,
                    char *mms_out);

/* Create a holdings record (MFHD) for bib `bib_mms`; 004 is set to the bib's MMS ID. */
int core_holdings_create(struct core_repo *repo, const char *bib_mms, struct marc_record *r,
                         const char *reason, marc_diag_fn diag, void *diag_ctx, char *mms_out);

/* ---- editing: locks, save, release (SPEC §2 Lock, §3.1) ---- */

struct core_lock_info {
    bool locked;
    char user[64];
    time_t since;    /* when the lock was taken */
    time_t seen;     /* last activity of the holder */
    time_t expires;  /* seen + timeout */
    bool assigned;   /* held through an assignment */
};

/*
 * Open a record for editing: takes the lock for the acting user (or renews
 * it), reads the record into r.  When someone else holds a live lock the
 * record is opened View Only: returns CORE_ERR_CONFLICT with *lock telling
 * who and since when, and r still filled.  A user without the role to
 * change the record gets CORE_ERR_ROLE, also with r filled (View Only), and
 * takes no lock.  *version receives the version the caller must pass to save.
 */
int core_record_open(struct core_repo *repo, const char *mms, struct marc_record *r,
                     int *version /* OUT */, struct core_lock_info *lock /* OUT, may be NULL */);
/* Who holds the lock on a record (expired locks read as unlocked). */
int core_record_lock_info(struct core_repo *repo, const char *mms, struct core_lock_info *lock);
/* The holder is active: push the expiry forward. */
int core_record_touch(struct core_repo *repo, const char *mms);

/*
 * Save r as the new content of `mms`.  Validation runs first: errors refuse
 * the save (CORE_ERR_INVALID, each problem through diag), warnings do not.
 * The save fails with CORE_ERR_CONFLICT when the record changed since
 * `base_version` or someone else holds the lock.  005 is updated, the
 * previous content becomes a version (reason as given: "edit", "merge" ...),
 * and with `release` the lock is dropped.  *new_version may be NULL.
 */
int core_record_save(struct core_repo *repo, const char *mms, struct marc_record *r,
                     int base_version, const char *reason, bool release, marc_diag_fn diag,
                     void *diag_ctx, int *new_version);
/* Drop the acting user's lock without saving (no-op when not held). */
int core_record_release(struct core_repo *repo, const char *mms);

/* ---- versions (SPEC §3.6) ---- */

struct core_version {
    int number;
    time_t at;
    char user[64];
    char reason[16];
    bool current;
};
/* Versions of a record, oldest first, the current one last. */
int core_versions_list(struct core_repo *repo, const char *mms, struct core_version **out,
                       size_t *n);
/* Content of one version into r. */
int core_version_get(struct core_repo *repo, const char *mms, int number, struct marc_record *r);
/* Make version `number`'s content current (a new version, reason "revert"). */
int core_record_revert(struct core_repo *repo, const char *mms, int number, int *new_version);

/* ---- delete (SPEC §3.7) ---- */

/*
 * Delete a bib: needs cataloger-extended; refused while it has holdings, is
 * linked to the NZ, or is locked by someone else.  The record keeps its
 * versions and its MMS ID is never reused.
 */
int core_record_delete(struct core_repo *repo, const char *mms);

/* ---- inventory ---- */

struct core_holdings_info {
    char mms[CORE_MMS_MAX];
    char library[64], location[64], call_number[128];
    int items;
};
enum core_item_status {
    CORE_ITEM_IN_PLACE,
    CORE_ITEM_MISSING,
    CORE_ITEM_LOST,
    CORE_ITEM_WITHDRAWN,
    CORE_ITEM_PREDICTED,
};
const char *core_item_status_name(enum core_item_status s);
int core_item_status_parse(const char *s); /* -1 when unknown */
struct core_item_info {
    char mms[CORE_MMS_MAX];
    char holdings[CORE_MMS_MAX];
    char barcode[64];
    char description[128];
    enum core_item_status status;
};
/* Holdings of a bib. */
int core_holdings_list(struct core_repo *repo, const char *bib_mms,
                       struct core_holdings_info **out, size_t *n);
/* Items of a holdings record. */
int core_items_list(struct core_repo *repo, const char *holdings_mms, struct core_item_info **out,
                    size_t *n);
/* Create an item (inventory role); barcode must be unique. */
int core_item_create(struct core_repo *repo, const char *holdings_mms,
                     const struct core_item_info *item, char *mms_out);
/* Change an item's barcode, description and status (inventory role); the
 * item is named by item->mms, its holdings do not change (relink moves it). */
int core_item_update(struct core_repo *repo, const struct core_item_info *item);
/* Find an item by barcode. */
int core_item_by_barcode(struct core_repo *repo, const char *barcode, struct core_item_info *out);

#endif
