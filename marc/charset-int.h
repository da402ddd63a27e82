/*
 * charset-int.h - what the two halves of the charset module share, and
 * nobody else may use.
 *
 * marc8.c converts MARC-8 strings through libyaz; charset.c converts whole
 * records, reports what goes wrong in them, and normalises Unicode through
 * ICU.  Each outside library stays behind one file, so the MARC-8 encoder
 * asks charset.c for the two Unicode facts it needs (is a character a
 * combining mark, what does it decompose to).
 */
#ifndef MARC_CHARSET_INT_H
#define MARC_CHARSET_INT_H

#include "buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The escape byte: a MARC-8 string holding none uses only the default sets. */
#define MARC_MARC8_ESC 0x1B

/* ---- marc8.c ---- */

/* The yaz converters of one conversion job, opened when first needed. */
struct marc_marc8;

struct marc_marc8 *marc_marc8_new(void);
/* Close the converters; NULL is a no-op. */
void marc_marc8_free(struct marc_marc8 *c);

/* The first problem of a MARC-8 string, for a message. */
struct marc_marc8_error {
    const char *code; /* "marc8-bad-escape", "marc8-undefined", ... */
    size_t at;        /* byte offset of the offending sequence in the string */
    char text[128]; /* "invalid MARC-8 escape sequence 1B 74", "undefined character AF in set ANSEL"
                     */
};

/*
 * Convert the MARC-8 string in[0..len), which starts in the default sets (G0
 * ASCII, G1 ANSEL), to UTF-8 appended to out.  Returns MARC_OK, or
 * MARC_ERR_CHARSET with *err filled and out as it was.
 */
int marc_marc8_decode(struct marc_marc8 *c, const char *in, size_t len, struct marc_buf *out,
                      struct marc_marc8_error *err /* OUT */);

/* Called for each character written as a numeric character reference;
 * `at` is its byte offset in the UTF-8 input. */
typedef void (*marc_marc8_ncr_fn)(void *ctx, uint32_t cp, size_t at);

/*
 * Convert the UTF-8 string in[0..len) to MARC-8 appended to out; characters
 * MARC-8 lacks become "&#xXXXX;", each passed to ncr (may be NULL).  Returns
 * MARC_OK, or MARC_ERR_CHARSET with *bad (may be NULL) the offset of the
 * first byte that is not UTF-8.
 */
int marc_marc8_encode(struct marc_marc8 *c, const char *in, size_t len, struct marc_buf *out,
                      size_t *bad, marc_marc8_ncr_fn ncr, void *ncr_ctx);

/* ---- charset.c ---- */

/* True when cp is a combining mark (Unicode general category Mn, Me or Mc). */
bool marc_charset_is_mark(uint32_t cp);
/* The one-step canonical decomposition of cp into out: the number of code
 * points (at most 8), or 0 when cp has none. */
int marc_charset_decompose(uint32_t cp, uint32_t out[8]);

#endif
