/*
 * record.h - the editable MARC 21 record: leader, control fields, data fields.
 *
 * A record owns its fields.  Fields are addressed by index (0-based, in
 * record order); edits go through the record so that no caller ever holds a
 * pointer that an insert could invalidate.  Getters return borrowed pointers
 * that stay valid until the record is next changed.
 *
 * All text is bytes as they appear in the record: UTF-8 when leader/09 is
 * 'a', MARC-8 otherwise (see charset.h to convert).  The model refuses the
 * three ISO 2709 separators (0x1D, 0x1E, 0x1F) inside values, so every record
 * it holds can be written to every format.  It does not judge MARC 21
 * validity (tag tables, indicator values): that is lint.h's job.
 *
 * Edits are cheap: a field keeps its body as one byte string (indicators
 * followed by 0x1F-delimited subfields, exactly its ISO 2709 form), so an
 * edit rewrites one short string and decoding or encoding a record copies
 * bytes rather than building trees.
 */
#ifndef MARC_RECORD_H
#define MARC_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#define MARC_LEADER_LEN 24
#define MARC_SUBFIELD_DELIM '\x1F'
#define MARC_FIELD_TERM '\x1E'
#define MARC_RECORD_TERM '\x1D'

struct marc_record;
struct marc_field;

/* A subfield as seen through a field: value borrowed from the field. */
struct marc_subfield {
    char code;
    const char *value; /* not NUL-terminated */
    size_t len;
};

/* ---- records ---- */

/* New empty record with the leader "00000nam a2200000 i 4500" and no fields. */
struct marc_record *marc_record_new(void);
/* Free r and everything it owns; NULL is a no-op. */
void marc_record_free(struct marc_record *r);
/* Drop all fields and reset the leader, keeping allocated storage for reuse. */
void marc_record_clear(struct marc_record *r);
/* Deep copy. */
struct marc_record *marc_record_clone(const struct marc_record *r);
/* Make dst a deep copy of src (dst's previous content is dropped). */
void marc_record_copy(struct marc_record *dst, const struct marc_record *src);

/* The 24-byte leader, NUL-terminated, borrowed. */
const char *marc_record_leader(const struct marc_record *r);
/* Replace the leader; len must be 24 and the bytes printable ASCII or the call
 * fails with MARC_ERR_INVALID. */
int marc_record_set_leader(struct marc_record *r, const char *leader, size_t len);
/* Set one leader position (0..23) to a printable ASCII byte. */
int marc_record_set_leader_byte(struct marc_record *r, int pos, char c);
/* True when leader/09 says UTF-8 ('a'). */
bool marc_record_is_utf8(const struct marc_record *r);

size_t marc_record_field_count(const struct marc_record *r);
/* Field at index i, or NULL when i is out of range.  Borrowed. */
const struct marc_field *marc_record_field(const struct marc_record *r, size_t i);
/*
 * Index of the first field at or after `from` whose tag matches `pattern`, or
 * -1.  The pattern is three characters; 'X' or 'x' matches any character
 * ("9XX", "6X0").
 */
long marc_record_find(const struct marc_record *r, const char *pattern, size_t from);
/* Number of fields before index i with the same tag, plus one (the occurrence). */
int marc_record_occurrence(const struct marc_record *r, size_t i);
/*
 * First subfield `code` of the first field tagged `tag`; NULL when none.
 * For control fields pass code 0 to get the field data.  *len gets the length.
 */
const char *marc_record_value(const struct marc_record *r, const char *tag, char code,
                              size_t *len /* OUT, may be NULL */);

/* ---- fields (read) ---- */

/* Three-character tag, NUL-terminated. */
const char *marc_field_tag(const struct marc_field *f);
bool marc_field_is_control(const struct marc_field *f);
/* Indicators of a data field; ' ' for control fields. */
char marc_field_ind1(const struct marc_field *f);
char marc_field_ind2(const struct marc_field *f);
/* Control field: the value.  Data field: the body (indicators and subfields). */
const char *marc_field_data(const struct marc_field *f, size_t *len /* OUT */);
size_t marc_field_subfield_count(const struct marc_field *f);
/* Subfield k (0-based) of a data field; false when out of range. */
bool marc_field_subfield(const struct marc_field *f, size_t k, struct marc_subfield *out /* OUT */);
/*
 * Iterate subfields: start with *cursor = 0; each call fills *out and returns
 * true, or returns false at the end.
 */
bool marc_field_next_subfield(const struct marc_field *f, size_t *cursor,
                              struct marc_subfield *out /* OUT */);
/* Value of the first subfield `code`, NULL when none. */
const char *marc_field_value(const struct marc_field *f, char code, size_t *len /* OUT */);
/* Byte-for-byte equality of tag, kind, indicators and content. */
bool marc_field_equal(const struct marc_field *a, const struct marc_field *b);

/* True for tags "001".."009" and "00X"-shaped numerics: MARC 21 control fields. */
bool marc_tag_is_control(const char *tag);
/* True when tag is three ASCII letters or digits, other than "LDR" in any
 * case (the leader's name in .mrk and in messages). */
bool marc_tag_is_valid(const char *tag);
/* True when the pattern ("245", "9XX") matches the tag. */
bool marc_tag_match(const char *pattern, const char *tag);

/* ---- fields (edit) ----
 * Every edit returns 0 or a negative enum marc_err: MARC_ERR_RANGE for a bad
 * index, MARC_ERR_INVALID for a bad tag, code, indicator or value.  A failed
 * edit leaves the record unchanged.
 */

/* Insert a control field before index `at` (at == count appends). */
int marc_record_insert_control(struct marc_record *r, size_t at, const char *tag,
                               const char *data, size_t len);
/* Insert a data field with the given indicators and no subfields. */
int marc_record_insert_data(struct marc_record *r, size_t at, const char *tag, char ind1,
                            char ind2);
/*
 * Insert a data field whose body is given whole: indicators then
 * 0x1F-delimited subfields, as in ISO 2709.  The body is checked.
 */
int marc_record_insert_body(struct marc_record *r, size_t at, const char *tag, const char *body,
                            size_t len);
/* Append a field in tag order: after the last field whose tag is <= tag. Returns
 * the new index or a negative error. */
long marc_record_add_control(struct marc_record *r, const char *tag, const char *data,
                             size_t len);
long marc_record_add_data(struct marc_record *r, const char *tag, char ind1, char ind2);

int marc_record_delete_field(struct marc_record *r, size_t i);
/* Move field i so that it ends up at index `to`. */
int marc_record_move_field(struct marc_record *r, size_t i, size_t to);
/* Insert a copy of field i right after it. */
int marc_record_duplicate_field(struct marc_record *r, size_t i);
/* Change the tag; the field's kind (control or data) must stay the same. */
int marc_record_set_tag(struct marc_record *r, size_t i, const char *tag);
/* Set indicator 1 or 2 (which) of a data field. */
int marc_record_set_indicator(struct marc_record *r, size_t i, int which, char c);
/* Replace a control field's value. */
int marc_record_set_control(struct marc_record *r, size_t i, const char *data, size_t len);
/* Replace a data field's whole body (indicators and subfields), checked. */
int marc_record_set_body(struct marc_record *r, size_t i, const char *body, size_t len);

/* ---- subfields (edit), on data field i ---- */
int marc_record_insert_subfield(struct marc_record *r, size_t i, size_t k, char code,
                                const char *value, size_t len);
int marc_record_append_subfield(struct marc_record *r, size_t i, char code, const char *value,
                                size_t len);
int marc_record_delete_subfield(struct marc_record *r, size_t i, size_t k);
int marc_record_move_subfield(struct marc_record *r, size_t i, size_t k, size_t to);
int marc_record_duplicate_subfield(struct marc_record *r, size_t i, size_t k);
int marc_record_set_subfield(struct marc_record *r, size_t i, size_t k, const char *value,
                             size_t len);
int marc_record_set_subfield_code(struct marc_record *r, size_t i, size_t k, char code);

/* Valid subfield code for the model: printable ASCII other than space. */
bool marc_subfield_code_ok(char code);
/* Valid value: no 0x1D, 0x1E, 0x1F and no NUL. */
bool marc_value_ok(const char *value, size_t len);

#endif
