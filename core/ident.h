/*
 * ident.h - what the repository indexes about a record: normalised
 * identifiers (OCLC number, ISBN, ISSN, LCCN, original control number),
 * brief display data, and the text of each search index.
 *
 * Pure functions on the record model: no SQLite, so matching rules can be
 * tested alone and reused by search, import matching and NZ linking.
 *
 * Normal forms:
 *   OCLC  digits without leading zeros, from "(OCoLC)ocm00012345",
 *         "(OCoLC)ocn…", "(OCoLC)on…", "ocm00012345" or "12345"
 *   ISBN  13 digits; an ISBN-10 is converted (978 prefix, new check digit)
 *   ISSN  8 characters, upper-case X
 *   LCCN  the normalised form of the LC's LCCN rules ("n  79021425" -> "n79021425",
 *         "73090924 //r82" -> "73090924")
 */
#ifndef CORE_IDENT_H
#define CORE_IDENT_H

#include "buf.h"
#include "record.h"

#include <stdbool.h>
#include <stddef.h>

#define CORE_IDENT_MAX 48

/* Identifier kinds, the first character of a key in the repository's index. */
enum core_ident_kind {
    CORE_ID_OCLC = 'o',      /* 035 $a (OCoLC) */
    CORE_ID_OCLC_OLD = 'z',  /* cancelled: 035 $z (OCoLC), 019 $a */
    CORE_ID_ISBN = 'i',      /* 020 $a (and 010 $a LCCN, as SPEC §3.2 lists) */
    CORE_ID_ISSN = 's',      /* 022 $a */
    CORE_ID_CONTROL = 'c',   /* original 001 (what MFHD 004 points to); set at creation
                                by the repository, not derived from content */
};

/*
 * Normalise what a user typed or a field holds.  Each returns false when
 * nothing usable is there; out has CORE_IDENT_MAX bytes.  For OCLC, with
 * `prefixed` set the "(OCoLC)" prefix is required (035 $a holds other
 * systems' numbers too).
 */
bool core_ident_oclc(const char *s, size_t len, bool prefixed, char *out);
bool core_ident_isbn(const char *s, size_t len, char *out);
bool core_ident_issn(const char *s, size_t len, char *out);
bool core_ident_lccn(const char *s, size_t len, char *out);

struct core_ident {
    char kind; /* enum core_ident_kind */
    char value[CORE_IDENT_MAX];
};

/* Everything indexed about one bibliographic record. */
struct core_bib_keys {
    struct core_ident *ids; /* owned */
    size_t nids, capids;
    char date[8];           /* a year, "" when none */
    struct marc_buf title;  /* brief display */
    struct marc_buf author;
    struct marc_buf fts_title; /* index texts, space separated */
    struct marc_buf fts_author;
    struct marc_buf fts_subject;
    struct marc_buf fts_other;
    bool serial;            /* leader/07 s or b (serial match rules) */
};

/* Fill k from r (k is reset first; reuse one struct across records). */
void core_bib_keys_extract(const struct marc_record *r, struct core_bib_keys *k);
void core_bib_keys_free(struct core_bib_keys *k);

/* Holdings record: 852 $b library, $c location, $h $i call number. */
struct core_holdings_keys {
    char library[64];
    char location[64];
    char call_number[128];
};
void core_holdings_keys_extract(const struct marc_record *r, struct core_holdings_keys *k);

#endif
