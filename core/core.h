/*
 * core.h - what every module of core/ and its callers share: error codes,
 * zones, roles and the acting user.
 *
 * core/ functions return 0 (CORE_OK) or a negative enum core_err and leave a
 * message naming the problem in the repository (core_repo_errmsg), the way
 * sqlite3_errmsg works; they never print and never exit.  The CLI maps the
 * codes to exit statuses (SPEC §6): USER/NOTFOUND/ROLE/INVALID -> 1,
 * CONFLICT -> 3, DB/IO -> 4.
 */
#ifndef CORE_CORE_H
#define CORE_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum core_err {
    CORE_OK = 0,
    CORE_ERR_USER = -1,     /* bad argument or input the user can fix */
    CORE_ERR_NOTFOUND = -2, /* no such record, user, set, version ... */
    CORE_ERR_CONFLICT = -3, /* locked by someone else, changed since opened, multi-match */
    CORE_ERR_ROLE = -4,     /* the acting user lacks the role */
    CORE_ERR_INVALID = -5,  /* the record has validation errors (lint) */
    CORE_ERR_DB = -6,       /* SQLite failed */
    CORE_ERR_IO = -7,       /* a file could not be read or written */
    CORE_ERR_STOPPED = -8,  /* the caller's stop callback ended the work (search.h) */
};

/* Zones (SPEC §2).  Each is one SQLite file; the IZ opens with the others attached. */
enum core_zone {
    CORE_ZONE_IZ = 0,
    CORE_ZONE_NZ = 1,
    CORE_ZONE_CZ = 2,
};
#define CORE_NZONES 3

/* "IZ", "NZ", "CZ". */
const char *core_zone_name(enum core_zone z);
/* Parse "iz"/"nz"/"cz" (any case); returns -1 when unknown. */
int core_zone_parse(const char *s);

/* Roles (SPEC §2), as bits so a user can hold several. */
enum core_role {
    CORE_ROLE_CATALOGER = 1 << 0,          /* edit bibs */
    CORE_ROLE_CATALOGER_EXTENDED = 1 << 1, /* also delete bibs, merge, combine inventory */
    CORE_ROLE_INVENTORY = 1 << 2,          /* holdings and items: create, edit, relink */
    CORE_ROLE_ADMIN = 1 << 3,              /* users, configuration, rules */
};
#define CORE_ROLE_ALL 0xF

/* "cataloger", "cataloger-extended", "inventory", "admin". */
const char *core_role_name(enum core_role role);
/* Parse one role name; 0 when unknown. */
enum core_role core_role_parse(const char *name);

/* Why a record version exists (SPEC §2 Version). */
#define CORE_REASONS "create import edit merge overlay relink link unlink revert rule delete"

/* Current time as the repository sees it (UTC seconds). */
time_t core_now(void);
/* Format t as "2026-11-24 14:03" (local time) into out (at least 20 bytes). */
void core_format_time(time_t t, char *out, size_t size);

#endif
