/*
 * marcxml.h - MARC 21 XML (MARCXML, the "slim" schema,
 * http://www.loc.gov/MARC21/slim): streaming reader and writer.
 *
 * The reader (marcxml.c and marcxml-build.c) is built on libxml2's push
 * parser so that files of millions of records stream in constant memory.  It
 * accepts a <collection> or a bare <record>, the default or a prefixed
 * namespace, no namespace at all, a BOM and any encoding libxml2 knows.
 * MARCXML is always Unicode: the writer (marcxml-write.c) needs UTF-8
 * records (see writer.h, which converts MARC-8 first).
 */
#ifndef MARC_MARCXML_H
#define MARC_MARCXML_H

#include "buf.h"
#include "codec.h"
#include "input.h"
#include "record.h"

#include <stdbool.h>
#include <stddef.h>

struct marc_xml_reader;

/*
 * A reader pulling bytes from `in` (borrowed; must outlive the reader).
 * With recover, libxml2's recovery mode is used so that records after a
 * well-formedness error can still be read.
 */
struct marc_xml_reader *marc_marcxml_reader_new(struct marc_input *in, bool recover);
/*
 * Read the next <record> into r.  Returns 1 for a record (decode problems
 * reported through ctx and reflected in ctx->errors), 0 at the end, or a
 * negative error when the XML itself is broken (reported through ctx with its
 * line; the reader cannot continue).  Sets ctx->line to the record's line and
 * ctx->offset to the reader's byte position.
 */
int marc_marcxml_reader_next(struct marc_xml_reader *x, struct marc_record *r,
                             struct marc_decode_ctx *ctx);
void marc_marcxml_reader_free(struct marc_xml_reader *x);

/* Decode the single record in a standalone XML text (<record> or a
 * <collection> holding one).  Used for records arriving over Z39.50/SRU. */
int marc_marcxml_decode(struct marc_record *r, const char *xml, size_t len,
                        struct marc_decode_ctx *ctx);

/* XML declaration and <collection ...> start tag, and the end tag. */
const char *marc_marcxml_header(void);
const char *marc_marcxml_trailer(void);
/* Append one <record> element (indented, newline-terminated).  Fails with
 * MARC_ERR_CHARSET when the bytes are not UTF-8 or hold characters XML 1.0
 * cannot carry. */
int marc_marcxml_encode(const struct marc_record *r, struct marc_buf *out,
                        struct marc_diag *err /* OUT, may be NULL */);

#endif
