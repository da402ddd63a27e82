/*
 * marcxml-int.h - what the files of the MARCXML module share, and nobody
 * else may use.
 *
 * marcxml.c drives libxml2 (the only file that includes its headers): it
 * feeds the push parser, turns its errors into diagnostics, recovers after
 * them, and hands records out.  marcxml-build.c turns the parser's element
 * events into records and diagnostics, queued until they are handed out; it
 * knows MARCXML, not libxml2.  marcxml-write.c writes records.
 */
#ifndef MARC_MARCXML_INT_H
#define MARC_MARCXML_INT_H

#include "buf.h"
#include "codec.h"
#include "diag.h"
#include "marcxml.h"
#include "record.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MARC_MARCXML_NS "http://www.loc.gov/MARC21/slim"

/* How a queued diagnostic counts when it is handed out. */
enum marc_xml_diag_kind {
    MARC_XML_D_RECORD, /* about the record it is queued with: counts in its ctx */
    MARC_XML_D_LOOSE,  /* between records: shown, not counted against a record */
    MARC_XML_D_FATAL,  /* the XML cannot be read further: next() fails */
};

struct marc_xml_pend_diag {
    struct marc_diag d; /* record number filled in when handed out */
    enum marc_err err;
    uint8_t kind;
    bool in_record;
};

struct marc_xml_pend_field {
    char tag[4];
    bool control;
    size_t off, len; /* in body */
};

/* A record parsed but not yet handed out; ranges end where the next begins. */
struct marc_xml_pend_record {
    char leader[MARC_LEADER_LEN + 1];
    long line;
    long long offset;
    size_t field_end, body_end, diag_end;
};

enum marc_xml_elem {
    MARC_XML_NONE,
    MARC_XML_LEADER,
    MARC_XML_CONTROL,
    MARC_XML_DATA,
    MARC_XML_SUBFIELD
};

/* The element state of the records being built, and the queue they wait in. */
struct marc_xml_build {
    struct marc_xml_reader *reader; /* asked where the parser is */
    bool recover;

    int depth;
    int rec_depth;  /* depth of the open <record>, 0 when none */
    int coll_depth; /* depth of an open MARC <collection>, 0 when none */
    int skip_depth; /* inside a subtree we ignore, opened at this depth */
    enum marc_xml_elem cur;
    bool drop_field, drop_sub, text_reported, have_leader;
    char tag[4];
    char code;
    long field_line;
    size_t field_mark, sub_mark;
    struct marc_buf leader;
    char rec_leader[MARC_LEADER_LEN + 1];
    long rec_line;
    long long rec_offset;
    size_t open_field0;
    long opened;   /* records begun */
    char root[80]; /* the root element when it is not a MARC collection */

    /* the queue */
    struct marc_buf body;
    struct marc_xml_pend_field *fields;
    size_t nfields, fields_cap;
    struct marc_xml_pend_diag *diags;
    size_t ndiags, diags_cap;
    struct marc_xml_pend_record *recs;
    size_t nrecs, recs_cap, next_rec;
};

/* ---- marcxml.c: where the parser is ---- */

/* The input line the parser is on. */
long marc_marcxml_line(const struct marc_xml_reader *x);
/* Where the start tag the parser has just read began: input offset and line. */
void marc_marcxml_tag_start(const struct marc_xml_reader *x, long long *offset /* OUT */,
                            long *line /* OUT */);
/*
 * The value of the un-namespaced attribute `name` among the nb attributes of
 * an element event, copied into buf (at most 31 bytes kept), or NULL; *len
 * gets its whole length.
 */
const char *marc_marcxml_attr(int nb, const void *attrs, const char *name, char buf[32],
                              size_t *len /* OUT */);

/* ---- marcxml-build.c: element events ---- */

void marc_marcxml_build_init(struct marc_xml_build *b, struct marc_xml_reader *reader,
                             bool recover);
void marc_marcxml_build_free(struct marc_xml_build *b);
/* Forget the element state (a new parser starts); the queue is kept. */
void marc_marcxml_build_reset(struct marc_xml_build *b);

/* An element starts (attrs: see marc_marcxml_attr), ends, or holds text. */
void marc_marcxml_start(struct marc_xml_build *b, const char *localname, const char *uri, int nb,
                        const void *attrs);
void marc_marcxml_end(struct marc_xml_build *b);
void marc_marcxml_text(struct marc_xml_build *b, const char *s, int len);
/* The XML broke inside a record: queue what was read of it. */
void marc_marcxml_abandon(struct marc_xml_build *b);

/* ---- marcxml-build.c: diagnostics and the queue ---- */

/*
 * Queue a problem with the record being built (or between records when none
 * is: an error there stops a strict reader).  w locates it by tag,
 * subfield, position and line; its `at`, when not negative, is an absolute
 * byte offset in the input (for problems libxml2 cannot give a line for).
 */
void marc_marcxml_report(struct marc_xml_build *b, enum marc_severity sev, const char *code,
                         struct marc_where w, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Queue an error of the given kind at an absolute input offset (-1: none). */
void marc_marcxml_queue_error(struct marc_xml_build *b, enum marc_xml_diag_kind kind,
                              enum marc_err err, const char *code, long line, long long offset,
                              const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* A where holding only a line. */
struct marc_where marc_marcxml_at_line(long line);

/* Drop what has been handed out, keeping the record still being parsed. */
void marc_marcxml_compact(struct marc_xml_build *b);
/*
 * Hand the next queued record to r, its diagnostics to ctx (ctx->line and
 * ctx->offset set to the record's) and return 1; with none queued, hand over
 * the diagnostics left and return the kind of a fatal one, or 0.
 */
int marc_marcxml_hand_out(struct marc_xml_build *b, struct marc_record *r,
                          struct marc_decode_ctx *ctx);
/* Hand a finished diagnostic d to ctx through the codec, counted as `kind`
 * unless !counted; d's record number and offset are kept. */
void marc_marcxml_forward(struct marc_decode_ctx *ctx, enum marc_err kind,
                          const struct marc_diag *d, bool counted);

#endif
