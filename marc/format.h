/*
 * format.h - the record serialisations Colophon reads and writes, their
 * names, and how to recognise them.
 */
#ifndef MARC_FORMAT_H
#define MARC_FORMAT_H

#include <stddef.h>

enum marc_format {
    MARC_FMT_UNKNOWN = 0,
    MARC_FMT_ISO2709, /* binary MARC 21 ("iso2709", .mrc .marc .dat .iso .usmarc) */
    MARC_FMT_MARCXML, /* MARC 21 slim XML ("marcxml", .xml) */
    MARC_FMT_MRK,     /* MarcEdit mnemonic text ("mrk", .mrk .mrk8 .txt) */
    MARC_FMT_JSON,    /* MARC-in-JSON ("json", .json .jsonl .ndjson) */
};

/* "iso2709", "marcxml", "mrk", "json" (or "unknown"). */
const char *marc_format_name(enum marc_format f);
/* Parse a name as given to --from/--to (also accepts "marc", "mrc", "xml",
 * "mrk8", "marc-in-json"); MARC_FMT_UNKNOWN if none. */
enum marc_format marc_format_from_name(const char *name);
/* Guess from a file name's extension; MARC_FMT_UNKNOWN if none. */
enum marc_format marc_format_from_path(const char *path);
/* Guess from the first bytes of the content (BOM and white space skipped). */
enum marc_format marc_format_detect(const char *buf, size_t len);

#endif
