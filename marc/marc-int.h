/*
 * marc-int.h - what the modules of marc/ share and nobody else may use: the
 * bodies of struct marc_record and struct marc_field, and the fast paths the
 * codecs use to fill a record without per-field checks they already made.
 */
#ifndef MARC_INT_H
#define MARC_INT_H

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

#endif
