/*
 * json.h - MARC-in-JSON (Ross Singer's code4lib proposal, as read by pymarc
 * and marc4j):
 *
 *   {"leader":"...","fields":[{"001":"..."},
 *     {"245":{"ind1":"1","ind2":"0","subfields":[{"a":"..."},{"c":"..."}]}}]}
 *
 * A file holds one record object, an array of them, or one object per line
 * (JSON Lines).  Writing produces an array with one record per line.  JSON
 * is UTF-8: the writer converts MARC-8 records first (see writer.h).
 */
#ifndef MARC_JSON_H
#define MARC_JSON_H

#include "buf.h"
#include "codec.h"
#include "record.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Frame the next top-level record object in buf[0..avail), skipping white
 * space and the punctuation of an enclosing array ('[', ',', ']').  Returns 1
 * with *skip and *len (the object's bytes) set; 0 when more input is needed,
 * or at eof when no object remains (*skip = avail); -1 on a syntax error at
 * byte *skip (something other than an object where one must start).
 */
int marc_json_frame(const char *buf, size_t avail, bool eof, size_t *skip /* OUT */,
                    size_t *len /* OUT */);

/* Decode one record object (as framed above) into r.  ctx->line is the line
 * of text[0]. */
int marc_json_decode(struct marc_record *r, const char *text, size_t len,
                     struct marc_decode_ctx *ctx);

/* Append r as one JSON object on one line, no trailing newline.  Fails with
 * MARC_ERR_CHARSET when the record's bytes are not UTF-8. */
int marc_json_encode(const struct marc_record *r, struct marc_buf *out,
                     struct marc_diag *err /* OUT, may be NULL */);

#endif
