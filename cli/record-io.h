/*
 * record-io.h - one record in and out, for the verbs that work on stored
 * records (show, edit, versions): the output formats of `--format`, the
 * Alma-like text view, and reading the single record of an edit file.
 */
#ifndef CLI_RECORD_IO_H
#define CLI_RECORD_IO_H

#include "cli.h"

#include "buf.h"
#include "diag.h"
#include "format.h"
#include "record.h"

#include <stdbool.h>
#include <stdio.h>

/* Names accepted by --format, for usage texts and messages. */
#define CLI_RECORD_FORMATS "text, mrk, marcxml, json, iso2709"

/* Records going out in one of the --format choices. */
struct cli_printer {
    FILE *fp;
    bool text;               /* the Alma-like view (cli_record_text) */
    enum marc_format format; /* otherwise this serialisation */
    struct marc_writer *w;
    long written;
};

/*
 * Parse a --format name: "text" or a record format name (mrk, marcxml,
 * json, iso2709 and their aliases).  False when unknown.
 */
bool cli_printer_parse(const char *name, bool *text /* OUT */, enum marc_format *fmt /* OUT */);
/* Start writing to fp in the chosen form.  Returns a CLI exit code (prints why). */
int cli_printer_open(struct cli_printer *p, FILE *fp, bool text, enum marc_format fmt);
/* Write one record; a text view is followed by a blank line between records. */
int cli_printer_write(struct cli_printer *p, const struct marc_record *r);
/* Write trailers (MARCXML, JSON), flush, free.  Returns a CLI exit code. */
int cli_printer_finish(struct cli_printer *p);

/*
 * Append r as the Alma-like text view to out: one line per field,
 *   LDR    00714cam a2200205 a 4500
 *   008    850423s1985    nyu    ...
 *   245 10 $$a Title : $$b subtitle / $$c by Someone.
 * blank indicators shown as '#', MARC-8 text converted to UTF-8.
 */
void cli_record_text(const struct marc_record *r, struct marc_buf *out);

/*
 * True when a and b differ at most in what a save sets anyway: 001 (the
 * MMS ID), 005 (the time of the change) and the leader's computed lengths.
 */
bool cli_record_same_content(const struct marc_record *a, const struct marc_record *b);

/* Diagnostics kept for later (to be written into an edit file, say). */
struct cli_diags {
    struct marc_diag *d;
    size_t n, cap;
    long errors, warnings;
};
/* A marc_diag_fn that appends a copy of each diagnostic to a struct cli_diags. */
void cli_diags_collect(void *diags, const struct marc_diag *d);
void cli_diags_clear(struct cli_diags *ds);
void cli_diags_free(struct cli_diags *ds);

/*
 * Decode the one record of .mrk text[0..len) into r, reporting every
 * problem (not only the first) into diags, with line numbers counted from
 * the first line of text.  Returns 1 when a record was read (diags->errors
 * says whether it is usable), 0 when the text holds no record (nothing but
 * blank and comment lines).  A second record in the text (a blank line
 * inside the record, say) is an error.
 */
int cli_mrk_parse_one(const char *text, size_t len, struct marc_record *r, struct cli_diags *diags);

/* Read a whole file (or "-") into out.  Returns 0, or -1 after printing why. */
int cli_read_file(const char *path, struct marc_buf *out);

/*
 * Read the one record of `path` (any format, detected from the content)
 * into r; every problem goes to sink.  Returns CLI_OK, CLI_USER when the
 * file holds no record, more than one, or an invalid one, CLI_IO when it
 * cannot be read (each printed).
 */
int cli_record_read_file(const char *path, struct marc_record *r, struct cli_diag_sink *sink);

#endif
