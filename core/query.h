/*
 * query.h - the search query language (see search.h): parsing into a tree.
 *
 * No SQLite here: the tree is what search.c compiles to SQL, what the
 * Z39.50 client maps to Bib-1 or CQL, and what tests check directly.
 *
 * Grammar (AND binds tighter than OR; NOT is "and not"; juxtaposition is AND):
 *   query   := or
 *   or      := and ("OR" and)*
 *   and     := unary (("AND" | "NOT" | <nothing>) unary)*
 *   unary   := "NOT" unary | "(" or ")" | term
 *   term    := [index ("=" | "!=")] value
 *   value   := word | word* | "phrase" | "phrase*"
 * Operators are case-insensitive; an index name is one of the SPEC §3.2
 * indexes followed by = or != (only `linked` takes !=).
 */
#ifndef CORE_QUERY_H
#define CORE_QUERY_H

#include <stdbool.h>
#include <stddef.h>

enum core_qindex {
    CORE_QI_KEYWORD,
    CORE_QI_TITLE,
    CORE_QI_AUTHOR,
    CORE_QI_SUBJECT,
    CORE_QI_MMS,
    CORE_QI_OCLC,
    CORE_QI_ISBN,
    CORE_QI_ISSN,
    CORE_QI_LINKED,
    CORE_QI_BARCODE,
};

enum core_qkind {
    CORE_Q_TERM,
    CORE_Q_AND,
    CORE_Q_OR,
    CORE_Q_NOT, /* left AND NOT right; left NULL for a leading NOT */
};

struct core_qnode {
    enum core_qkind kind;
    /* term */
    enum core_qindex index;
    bool not_equal;  /* linked!=network */
    bool phrase;     /* was quoted */
    bool truncated;  /* ended with '*' */
    char *value;     /* without quotes and '*' */
    int column;      /* 1-based position in the query text */
    /* operators */
    struct core_qnode *left, *right;
};

/*
 * Parse `text`.  Returns the tree (free with core_query_free) or NULL with
 * *error (heap string: "column 12: expected ')' ...") when malformed.
 */
struct core_qnode *core_query_parse(const char *text, char **error /* OUT */);
void core_query_free(struct core_qnode *q);

/* Name of an index ("keyword", "title", ...). */
const char *core_qindex_name(enum core_qindex i);

#endif
