/*
 * marc-int.h - what the modules of marc/ share and nobody else may use: the
 * bodies of struct marc_record and struct marc_field, the fast paths the
 * codecs use to fill a record without per-field checks they already made,
 * and the small helpers several codecs need for their messages.
 */
#ifndef MARC_INT_H
#define MARC_INT_H

#include "diag.h"
#include "record.h"

#include <stdint.h>

struct marc_field {
    char tag[4];
    uint8_t control; /* control field: data is the value; else ind1 ind2 subfields */
    uint8_t owned;   /* data is our heap buffer (else it points into record->raw) */
    uint32_t len;
    uint32_t cap;    /* capacity of an owned buffer */
    char *data;
};

struct marc_record {
    char leader[MARC_LEADER_LEN + 1];
    struct marc_field *fields;
    size_t nfields;
    size_t cap;
    /* Backing store for borrowed field data: the codecs copy a record's bytes
     * here once, and fields point into it until edited (copy on write). */
    char *raw;
    size_t raw_len;
    size_t raw_cap;
};

/* Make r->raw hold at least n bytes; returns it.  Only valid when no field
 * borrows from raw (i.e. right after marc_record_clear). */
char *marc_record_raw_reserve(struct marc_record *r, size_t n);
/* Append a field whose data points into r->raw (or any storage outliving the
 * field as borrowed); no checks.  Returns the field. */
struct marc_field *marc_record_push_borrowed(struct marc_record *r, const char *tag, bool control,
                                             const char *data, size_t len);
/* Append a field copying data into an owned buffer; no checks. */
struct marc_field *marc_record_push_copy(struct marc_record *r, const char *tag, bool control,
                                         const char *data, size_t len);

/* ---- shared helpers (record.c, diag.c, codec.c) ---- */

/* True when tag's three characters are digits (the numeric MARC 21 tags). */
bool marc_tag_is_numeric(const char *tag);
/* True when tag's three characters spell "LDR" in any case: the leader's
 * name, which marc_tag_is_valid refuses for a field (decoders say so). */
bool marc_tag_is_leader(const char *tag);
/* The occurrence a field with tag appended to r now would have: the fields
 * with that tag so far, plus one. */
int marc_record_next_occurrence(const struct marc_record *r, const char *tag);
/* A byte for a message: 'c' when printable ASCII other than a space, else
 * \xNN.  Returns out. */
const char *marc_show_byte(unsigned char c, char out[8]);
/*
 * Describe an encoder's error in err (may be NULL): in field i of r (its
 * tag and occurrence; the leader when i is r->nfields) and subfield
 * `subfield` (0 for none).  Returns rc.
 */
int marc_encode_error(struct marc_diag *err, int rc, const struct marc_record *r, size_t i,
                      char subfield, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

#endif
