/*
 * lint.h - MARC 21 validation of a record in the model.
 *
 * Structure (leader, directory, lengths, terminators) is checked by the
 * decoders as they read (see iso2709.h and codec.h).  This module checks what
 * a record in memory can still get wrong, and the MARC 21 rules for
 * bibliographic records (leader/06 a c d e f g i j k m o p r t) and holdings
 * records (leader/06 u v x y):
 *
 * errors (SPEC §3.1: they block a save)
 *   leader not 24 printable bytes, leader/06 (type) or /09 (coding) invalid,
 *   tag not three letters or digits, indicator not [0-9a-z ], subfield code
 *   not [0-9a-z], control field with a delimiter, a 00X field with
 *   indicators and subfields (non-MARC 21 formats), 008 not 40 characters
 *   (bibliographic) / 32 (holdings), missing 245 in a bib, missing 852 in a
 *   holdings record, 001 repeated;
 * warnings (they do not)
 *   leader/05, 07, 08, 17, 18, 19 not a MARC 21 value (they describe the
 *   record but do not change how it is read), obsolete values,
 *   unknown tag, non-repeatable field or subfield repeated, indicator value
 *   not defined for the tag, subfield code not defined for the tag, empty
 *   subfield, ISBD punctuation of 245, 100-111, 260/264, 300.
 *
 * Local tags (9XX and the XX9 local fields, alphanumeric tags) are not judged.
 */
#ifndef MARC_LINT_H
#define MARC_LINT_H

#include "codec.h"
#include "record.h"

#include <stdbool.h>

enum marc_record_kind {
    MARC_KIND_BIBLIOGRAPHIC,
    MARC_KIND_HOLDINGS,
    MARC_KIND_AUTHORITY,
    MARC_KIND_OTHER,
};

/* Kind of record from leader/06. */
enum marc_record_kind marc_record_kind(const struct marc_record *r);

/*
 * Check r and report every problem through ctx (record number, tag,
 * occurrence, subfield, position).  Returns the number of errors found.
 */
int marc_lint_record(const struct marc_record *r, struct marc_decode_ctx *ctx);

/* True when MARC 21 defines `tag` for records of this kind. */
bool marc_lint_tag_known(enum marc_record_kind kind, const char *tag);

#endif
