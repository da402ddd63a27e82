/*
 * utf8.h - UTF-8 validation and decoding, without any outside library.
 *
 * The codecs validate every field of a record that claims UTF-8, so the check
 * has an ASCII fast path that looks at eight bytes at a time.
 */
#ifndef MARC_UTF8_H
#define MARC_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF).  Otherwise false and *bad is the offset of the
 * first byte of the offending sequence.
 */
bool marc_utf8_valid(const char *s, size_t len, size_t *bad /* OUT, may be NULL */);

/* True when every byte is below 0x80. */
bool marc_ascii_only(const char *s, size_t len);

/*
 * Decode one code point at s (at most len bytes).  Returns the sequence
 * length (1-4) and sets *cp, or returns 0 for an invalid sequence.
 */
int marc_utf8_decode(const char *s, size_t len, uint32_t *cp /* OUT */);

/* Encode cp into out (at least 4 bytes); returns the length, 0 if invalid. */
int marc_utf8_encode(uint32_t cp, char *out);

#endif
