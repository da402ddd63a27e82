/*
 * match.h - what linking to the network zone decides about records, as
 * pure functions: which fields are local, how a linked record is made of
 * a network record and local fields, whether two records' shared content
 * is the same, and whether two records are of one resource type.
 *
 * Local fields (SPEC §2): every 9XX field, and the tags an admin lists in
 * the configuration key `link.local_tags` ("590, 69X"; X is any digit).
 * 001 and 005 are never local: a record's identity and its time stamp
 * belong to the record they are in.  Local fields stay in the institution
 * zone when a record is linked, contributed or unlinked; everything else is
 * shared content, kept in the network zone.
 *
 * No repository here (link.h, repo-link.c use these), so the rules can be
 * tested alone and reused by Copy & Merge.
 */
#ifndef CORE_MATCH_H
#define CORE_MATCH_H

#include "record.h"

#include <stdbool.h>
#include <stddef.h>

#define CORE_LOCAL_TAGS_MAX 32

/* The configured local tags besides 9XX. */
struct core_local_tags {
    size_t n;
    char pattern[CORE_LOCAL_TAGS_MAX][4];
};

/*
 * Parse a `link.local_tags` value: tags or patterns ("590", "69X", "9XX")
 * separated by commas or blanks; "" is no extra tag.  Returns false for a
 * malformed entry (not three digits or X, or 001/005, or more than
 * CORE_LOCAL_TAGS_MAX entries) and copies it into bad (may be NULL); *out
 * then holds the good entries before it.
 */
bool core_local_tags_parse(const char *text, struct core_local_tags *out, char *bad,
                           size_t badsize);

/* True when tag is a local field: 9XX or one of t's patterns (t may be NULL). */
bool core_local_tag(const struct core_local_tags *t, const char *tag);

/*
 * out = the leader and the shared (not local) fields of `shared`, in their
 * order, with the local fields of `local` inserted in tag order.  This makes
 * a linked record (shared = the network record, local = the institution's
 * record), the network record a save writes (shared = the edited record,
 * local = the network record as stored, whose own local fields it keeps),
 * and a contributed record (local = NULL: no local field).  When the two
 * have the same shared content (core_match_same_shared: the usual case of
 * one OCLC record in both zones), out is `local` with the leader, 001 and
 * 005 of `shared`, so its local fields stay where they were (LoC puts 906
 * after the 0XX fields).  out must be another record than shared and local.
 */
void core_match_compose(const struct marc_record *shared, const struct marc_record *local,
                        const struct core_local_tags *t, struct marc_record *out);

/* Number of local fields of r. */
size_t core_match_local_count(const struct marc_record *r, const struct core_local_tags *t);

/*
 * True when a and b have the same shared content: the leader (without its
 * lengths, 00-04 and 12-16) and the shared fields in order, byte for byte,
 * not counting 001 and 005 (identity and time stamp).
 */
bool core_match_same_shared(const struct marc_record *a, const struct marc_record *b,
                            const struct core_local_tags *t);

/*
 * Whether two leaders describe one resource type (job parameter
 * ignore_resource_type=no): leader/06 of one family (a t language material;
 * c d music; e f maps; every other code alone) and leader/07 of one family
 * (b i s continuing resources; a c d m monographs).
 */
bool core_match_type_agrees(const char *leader_a, const char *leader_b);

/* A resource type's name for messages: "book", "serial", "map", "score" ... */
const char *core_match_type_name(const char *leader);

/* True for a continuing resource (leader/07 b, i or s): the serial match method applies. */
bool core_match_is_serial(const char *leader);

#endif
