/*
 * mnemonic.h - the LC MARCMaker character mnemonics ("{eacute}", "{esc}",
 * "{1B}"), private to marc/ (the .mrk codec uses them).
 *
 * A mnemonic names a character by a short word between braces.  Each has
 * two spellings in a record: its MARC-8 bytes (what LC's MARCMaker writes)
 * and its Unicode text as UTF-8.  Besides the named table, two hexadecimal
 * digits name that raw byte ("{1B}", "{e2}") and a single letter or digit
 * names itself ("{a}", "{0}"), as in LC's table.
 */
#ifndef MARC_MNEMONIC_H
#define MARC_MNEMONIC_H

#include <stdbool.h>
#include <stddef.h>

/* Longest expansion of any mnemonic, in bytes (either charset). */
#define MARC_MNEMONIC_MAX 8
/* Longest name the table holds (without braces). */
#define MARC_MNEMONIC_NAME_MAX 8

struct marc_mnemonic {
    const char *name;  /* without braces, case matters ("Dagger" vs "dagger") */
    const char *marc8; /* MARC-8 bytes, NUL-terminated */
    const char *utf8;  /* Unicode text (NFC) as UTF-8, NUL-terminated */
};

/*
 * Expand the mnemonic name[0..len) (without braces) for a record in UTF-8
 * (utf8 true) or MARC-8.  Writes at most MARC_MNEMONIC_MAX bytes to out and
 * returns their number, or -1 when the name is not a mnemonic.
 */
int marc_mnemonic_expand(const char *name, size_t len, bool utf8,
                         char out[MARC_MNEMONIC_MAX] /* OUT */);

/*
 * The name to write for the single MARC-8 byte c, chosen so that expanding
 * it gives back exactly c (e.g. 0xE2 "acute", 0x1B "esc"); NULL when the
 * table has no such name and "{XX}" must be written instead.
 */
const char *marc_mnemonic_marc8_name(unsigned char c);

/* The named table, sorted by name in byte order (for tests and help). */
size_t marc_mnemonic_count(void);
const struct marc_mnemonic *marc_mnemonic_at(size_t i);

#endif
