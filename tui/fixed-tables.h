/*
 * fixed-tables.h - the positions of MARC 21 fixed fields, for the form.
 */
#ifndef TUI_FIXED_TABLES_H
#define TUI_FIXED_TABLES_H

#include <stddef.h>

struct fx_elem {
    int pos;
    int len;
    const char *label;
    const char *values; /* "a=Language material|c=Notated music" ('#' = blank, "(fill)" = '|'),
                           "" free text */
};

struct fx_table {
    const char *name; /* "Books", "Leader (bibliographic)" */
    int length;       /* the field's length (24 leader, 40 bib 008 ...) */
    const struct fx_elem *elems;
    size_t n;
};

/*
 * The table for a fixed field: tag "LDR", "006", "007" or "008"; leader is
 * the record's 24 leader characters; value the field's current value (006
 * and 007 are told by their first character).  NULL when none fits.
 */
const struct fx_table *fx_table_for(const char *tag, const char *leader, const char *value);

/* Every table (for tests): up to max pointers into out; returns how many. */
size_t fx_tables_all(const struct fx_table **out, size_t max);

#endif
