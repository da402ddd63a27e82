/*
 * mms.h - MMS IDs: every record's permanent identifier (SPEC §2).
 *
 * An MMS ID is a decimal string: a two-digit type prefix (99 bibliographic,
 * 22 holdings, 23 item), a sequence of at least nine digits, and the zone's
 * four-digit code as suffix — so an NZ record's ID ends in 4801 and an IZ
 * record's in the institution code.  Sequences come from the repository and
 * are never reused; this module only builds and reads the strings.
 */
#ifndef CORE_MMS_H
#define CORE_MMS_H

#include <stdbool.h>
#include <stddef.h>

enum core_mms_type {
    CORE_MMS_NONE = 0,
    CORE_MMS_BIB = 99,
    CORE_MMS_HOLDINGS = 22,
    CORE_MMS_ITEM = 23,
};

#define CORE_MMS_MAX 32 /* buffer size for an MMS ID with its NUL */
#define CORE_MMS_SEQ_START 100000000LL /* first sequence: nine digits, no leading zero */

/* Write the MMS ID of (type, seq, zone) into out (CORE_MMS_MAX bytes). */
void core_mms_format(enum core_mms_type type, long long seq, const char *zone, char *out);

/*
 * Read an MMS ID.  Returns its type and fills seq and zone (5 bytes) when
 * they are not NULL; CORE_MMS_NONE when s is not an MMS ID (not all digits,
 * too short, unknown prefix).
 */
enum core_mms_type core_mms_parse(const char *s, long long *seq, char *zone);

/* A zone code is exactly four digits. */
bool core_zone_code_valid(const char *code);

/* "bibliographic", "holdings", "item". */
const char *core_mms_type_name(enum core_mms_type type);

#endif
