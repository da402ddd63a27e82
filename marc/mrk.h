/*
 * mrk.h - MarcEdit mnemonic text (.mrk / .mrk8), also LC MARCMaker text.
 *
 *   =LDR  00714cam a2200205 a 4500
 *   =001  \\\12345
 *   =245  10$aTitle :$bsubtitle /$cBy {dollar}5 author.
 *
 * One field per line: '=', the tag, two spaces, then for data fields two
 * indicators ('\' is a blank) and '$'-delimited subfields; for the leader and
 * control fields the value with '\' for each blank.  A blank line ends a
 * record; lines starting with '#' are comments.  Characters that would be
 * read as syntax are written as mnemonics: {dollar} '$', {bsol} '\',
 * {lcub} '{', {rcub} '}'; other bytes that are not printable text as {XX}
 * (two hex digits).  Reading also accepts the LC MARCMaker character
 * mnemonics ({eacute}, {acute}, {esc}, ...): a MARC-8 record (leader/09 ' ')
 * gets their MARC-8 bytes, a UTF-8 record their Unicode characters.
 */
#ifndef MARC_MRK_H
#define MARC_MRK_H

#include "buf.h"
#include "codec.h"
#include "record.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Frame the next record in buf[0..avail).  Skips blank and comment lines
 * (*skip bytes), then finds the record's lines (*len bytes, up to and
 * including the newline of its last line).  Returns 1 when a record is
 * framed; 0 when more input is needed, or at eof when nothing but blank
 * lines remains (*skip = avail then).
 */
int marc_mrk_frame(const char *buf, size_t avail, bool eof, size_t *skip /* OUT */,
                   size_t *len /* OUT */);

/*
 * Decode one record's text (as framed above) into r.  ctx->line is the line
 * number of text[0]; diagnostics carry absolute line numbers.
 */
int marc_mrk_decode(struct marc_record *r, const char *text, size_t len,
                    struct marc_decode_ctx *ctx);

/* Append r as .mrk lines followed by one blank line.  Lines end with "\n"
 * (or "\r\n" when crlf).  Never fails for a record the model holds. */
int marc_mrk_encode(const struct marc_record *r, struct marc_buf *out, bool crlf,
                    struct marc_diag *err /* OUT, may be NULL */);

/* Append one field as its .mrk line without the "=" and the newline, e.g.
 * "245  10$aTitle" (used by diff and text views). */
void marc_mrk_format_field(const struct marc_field *f, bool utf8, struct marc_buf *out);

#endif
