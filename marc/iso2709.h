/*
 * iso2709.h - MARC 21 in ISO 2709 exchange format: decode one record, encode
 * one record, and frame records in a byte stream.
 *
 * Limits of the format (checked by the encoder): a record of at most 99,999
 * bytes, a field of at most 9,999 bytes including its terminator.
 */
#ifndef MARC_ISO2709_H
#define MARC_ISO2709_H

#include "buf.h"
#include "codec.h"
#include "record.h"

#include <stddef.h>

#define MARC_ISO2709_MAX_RECORD 99999
#define MARC_ISO2709_MAX_FIELD 9999

/*
 * Decode the record in buf[0..len) (len includes the record terminator) into
 * r, replacing its content.  Checks the leader, directory, lengths,
 * terminators and, when leader/09 is 'a', that the data is UTF-8.  Problems
 * go to ctx (see codec.h); returns MARC_OK or the kind of the first error.
 * The record copies the bytes: buf may be reused afterwards.
 */
int marc_iso2709_decode(struct marc_record *r, const char *buf, size_t len,
                        struct marc_decode_ctx *ctx);

/*
 * Append r in ISO 2709 to out.  Lengths and the base address are computed,
 * leader/10-11 are written as "22" and leader/20-23 as "4500".  Fails with
 * MARC_ERR_TOO_LONG (and *err filled when err is not NULL) when the record or
 * a field exceeds the format's limits; out is unchanged then.
 */
int marc_iso2709_encode(const struct marc_record *r, struct marc_buf *out,
                        struct marc_diag *err /* OUT, may be NULL */);

/*
 * The record length the leader at buf declares (five ASCII digits), or -1
 * when fewer than five digits are there.
 */
long marc_iso2709_declared_length(const char *buf, size_t avail);

/*
 * True when buf (at least 24 bytes) looks like the start of a MARC 21
 * record: five digits, then digits at 12-16 and "4500"-shaped 20-23.  Used to
 * resynchronise after junk.
 */
bool marc_iso2709_plausible_start(const char *buf, size_t avail);

#endif
