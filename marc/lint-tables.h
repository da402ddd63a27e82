/*
 * lint-tables.h - the MARC 21 content designation tables lint.c judges
 * records against: for each tag of the Bibliographic and the Holdings
 * format, whether it is repeatable, the values each indicator may take and
 * the subfield codes with their repeatability; and the values the leader
 * may hold at 05-09 and 17-19.
 *
 * Internal to marc/.  The tables are written as text in lint-tables.c (one
 * line per tag, see there) and parsed once, on first use, into arrays
 * indexed by tag number, so a lookup is one array access.
 */
#ifndef MARC_LINT_TABLES_H
#define MARC_LINT_TABLES_H

#include <stdbool.h>
#include <stdint.h>

/* The two formats lint knows field by field. */
enum marc_lint_format {
    MARC_LINT_BIB = 0,
    MARC_LINT_HOLDINGS = 1,
};

/*
 * One tag.  Indicator masks have a bit per allowed character (see
 * marc_lint_ind_bit); a mask of only the blank bit means "undefined".
 * Subfield masks have a bit per code (see marc_lint_sf_bit).
 */
struct marc_lint_tag {
    bool defined;  /* MARC 21 defines the tag in this format */
    bool obsolete; /* the tag was defined and is now obsolete */
    bool local;    /* MARC 21 leaves the tag to local definition */
    bool control;  /* control field: no indicators, no subfields */
    bool repeatable;
    bool any_subfield; /* every subfield code is allowed (886) */
    uint64_t ind[2];
    uint64_t sf_defined;
    uint64_t sf_repeatable;
};

/* Bit of an indicator character (' ', 0-9, a-z), or 0 for anything else. */
uint64_t marc_lint_ind_bit(char c);
/* Bit of a subfield code (0-9, a-z), or 0 for anything else. */
uint64_t marc_lint_sf_bit(char c);
/* The indicator mask of "blank only" (undefined indicator). */
#define MARC_LINT_IND_BLANK ((uint64_t)1)

/*
 * The entry for a numeric tag ("245") in `format`; never NULL (undefined
 * tags have defined == false).  NULL when the tag is not three digits.
 */
const struct marc_lint_tag *marc_lint_tables_tag(enum marc_lint_format format, const char *tag);

/*
 * Leader position pos (5-9, 17-19) of a record of `format`: true when c is a
 * value MARC 21 defines; *obsolete set when it is a value MARC 21 once
 * defined (then the function returns false).  Positions the format leaves
 * undefined accept only blank.
 */
bool marc_lint_tables_leader_ok(enum marc_lint_format format, int pos, char c,
                                bool *obsolete /* OUT */);

/* The values lint accepts at leader position pos, for a message ("a, c, d"). */
const char *marc_lint_tables_leader_values(enum marc_lint_format format, int pos);

#endif
