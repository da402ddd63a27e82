/*
 * writer.h - writing records to a stream in any of the four formats, with
 * the character set and normalisation asked for.
 *
 * MARCXML and MARC-in-JSON are Unicode formats: MARC-8 records are converted
 * to UTF-8 on the way out.  ISO 2709 and .mrk keep the record's character
 * set unless a conversion is asked for.
 */
#ifndef MARC_WRITER_H
#define MARC_WRITER_H

#include "charset.h"
#include "codec.h"
#include "format.h"
#include "record.h"

#include <stdbool.h>
#include <stdio.h>

enum marc_charset_choice {
    MARC_CS_KEEP = 0, /* as the record is (UTF-8 for XML and JSON) */
    MARC_CS_UTF8,
    MARC_CS_MARC8,
};

struct marc_write_opts {
    enum marc_format format;
    enum marc_charset_choice charset;
    enum marc_normal_form normalize; /* applied to UTF-8 output */
    bool crlf;                       /* .mrk lines end with CR LF (MarcEdit on Windows) */
};

struct marc_writer;

/*
 * A writer on fp (borrowed; not closed).  Fails (NULL, *cause) for a
 * combination that cannot be written, such as MARC-8 MARCXML.
 */
struct marc_writer *marc_writer_new(FILE *fp, const struct marc_write_opts *opts,
                                    char **cause /* OUT */);
/*
 * Write one record.  Conversion problems and format limits are reported
 * through ctx (record number, tag, offset) and the record is not written;
 * returns MARC_OK, the kind of the problem, or MARC_ERR_IO.
 */
int marc_writer_write(struct marc_writer *w, const struct marc_record *r,
                      struct marc_decode_ctx *ctx);
/* Write the trailer and flush.  Returns MARC_OK or MARC_ERR_IO. */
int marc_writer_finish(struct marc_writer *w);
/* Records written so far. */
long marc_writer_count(const struct marc_writer *w);
void marc_writer_free(struct marc_writer *w);

#endif
