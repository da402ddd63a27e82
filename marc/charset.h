/*
 * charset.h - MARC-8 and Unicode: conversion and normalisation.
 *
 * MARC-8 has no glibc iconv module, so conversions go through libyaz's
 * yaz_iconv (the only file that includes yaz's iconv headers is marc8.c,
 * which also holds the two MARC-8 string functions below).  Unicode
 * normalisation (NFC/NFD) uses ICU, which libyaz already depends on
 * (charset.c, which also converts whole records).
 *
 * Record-level functions report each problem through a decode context (see
 * codec.h) naming the record, the tag and occurrence, and the byte offset of
 * the bad sequence inside the field; a failed conversion leaves the record
 * unchanged.
 */
#ifndef MARC_CHARSET_H
#define MARC_CHARSET_H

#include "buf.h"
#include "codec.h"
#include "record.h"

#include <stdbool.h>
#include <stddef.h>

enum marc_normal_form { MARC_NF_NONE = 0, MARC_NF_NFC, MARC_NF_NFD };

/*
 * Convert a MARC-8 record (leader/09 not 'a') to UTF-8 and set leader/09 to
 * 'a'.  A record already marked UTF-8 is left alone.  A record marked MARC-8
 * whose bytes are in fact well-formed UTF-8 with non-ASCII characters and no
 * MARC-8 escape sequences is relabelled instead of converted, with a warning.
 * Invalid MARC-8 (bad escape sequences, a combining mark with nothing to
 * combine with, bytes undefined in the current set) is an error.
 */
int marc_charset_to_utf8(struct marc_record *r, struct marc_decode_ctx *ctx);

/*
 * Convert a UTF-8 record to MARC-8 (leader/09 set to ' ').  Characters MARC-8
 * cannot encode are written as numeric character references "&#xXXXX;" (the
 * LC convention) and each is reported as a warning.
 */
int marc_charset_to_marc8(struct marc_record *r, struct marc_decode_ctx *ctx);

/* Normalise every field of a UTF-8 record to the given form. */
int marc_charset_normalize(struct marc_record *r, enum marc_normal_form nf,
                           struct marc_decode_ctx *ctx);

/*
 * String-level conversions (append to out).  Return MARC_OK, or
 * MARC_ERR_CHARSET with *bad (may be NULL) set to the byte offset in `in` of
 * the first bad sequence.
 */
int marc_marc8_to_utf8(const char *in, size_t len, struct marc_buf *out, size_t *bad);
int marc_utf8_to_marc8(const char *in, size_t len, struct marc_buf *out, size_t *bad);
int marc_utf8_normalize(const char *in, size_t len, enum marc_normal_form nf,
                        struct marc_buf *out, size_t *bad);

#endif
