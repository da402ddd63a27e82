/*
 * reader.h - reading records one at a time from a file or standard input, in
 * any of the four formats, detected from the content.
 *
 * Three modes:
 *   strict (default)  the first malformed record stops the reader: next()
 *                     returns an error and marc_reader_error() says what and
 *                     where; a caller can then refuse to write anything.
 *   permissive        a malformed record is reported, skipped and counted;
 *                     reading goes on with the next record.
 *   lint              every problem is reported and the best record that
 *                     could be made is returned, so that it can be checked
 *                     further.
 * Problems go to the diag callback as they are found (warnings and notes
 * too), each naming the record number, byte offset or line, and field.
 */
#ifndef MARC_READER_H
#define MARC_READER_H

#include "charset.h"
#include "diag.h"
#include "format.h"
#include "record.h"

#include <stdbool.h>

struct marc_read_opts {
    enum marc_format format;         /* MARC_FMT_UNKNOWN: detect from the content */
    bool permissive;                 /* skip malformed records instead of failing */
    bool lint;                       /* report everything, return best-effort records */
    bool to_utf8;                    /* convert MARC-8 records to UTF-8 */
    enum marc_normal_form normalize; /* normalise UTF-8 records (after to_utf8) */
    marc_diag_fn diag;               /* receives every problem; may be NULL */
    void *diag_ctx;
};

struct marc_reader;

/*
 * Open `path` ("-" for standard input).  The format is taken from opts or
 * detected from the first bytes.  Returns NULL with *cause (heap string, the
 * caller frees) when the file cannot be opened or its format cannot be told.
 */
struct marc_reader *marc_reader_open(const char *path, const struct marc_read_opts *opts,
                                     char **cause /* OUT */);
/* Same over an open descriptor, not closed by the reader. */
struct marc_reader *marc_reader_open_fd(int fd, const char *name,
                                        const struct marc_read_opts *opts, char **cause);
void marc_reader_close(struct marc_reader *rd);

/*
 * Read the next record into r.  Returns 1 for a record, 0 at the end of the
 * input, or a negative enum marc_err: a malformed record in strict mode, or
 * an I/O error in any mode.  After an error the reader stays failed.
 */
int marc_reader_next(struct marc_reader *rd, struct marc_record *r);

/* The first error that stopped the reader (NULL if none). */
const struct marc_diag *marc_reader_error(const struct marc_reader *rd);
enum marc_format marc_reader_format(const struct marc_reader *rd);
/* Number of the record last returned (1-based, counting skipped ones). */
long marc_reader_record_number(const struct marc_reader *rd);
/* Byte offset of the record last returned. */
long long marc_reader_record_offset(const struct marc_reader *rd);
/* First line of the record last returned (text formats; 0 for ISO 2709). */
long marc_reader_record_line(const struct marc_reader *rd);
/* Records skipped as malformed (permissive mode). */
long marc_reader_skipped(const struct marc_reader *rd);
/* Bytes of padding (newlines, NULs, Ctrl-Z, stray terminators) passed over. */
long long marc_reader_padding(const struct marc_reader *rd);
/* Input consumed so far, and its total size (-1 when not known). */
long long marc_reader_position(const struct marc_reader *rd);
long long marc_reader_size(const struct marc_reader *rd);
const char *marc_reader_name(const struct marc_reader *rd);

#endif
