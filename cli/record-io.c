/*
 * record-io.c - single records in and out for the record verbs (see
 * record-io.h): the --format choices, the Alma-like text view, and the
 * reading of one record from an edit file with every problem kept.
 *
 * It knows the MARC layer's readers and writers, not the repository.
 */
#include "record-io.h"

#include "charset.h"
#include "codec.h"
#include "diff.h"
#include "mrk.h"
#include "reader.h"
#include "writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- output ---- */

bool
cli_printer_parse(const char *name, bool *text, enum marc_format *fmt)
{
    *text = false;
    *fmt = MARC_FMT_UNKNOWN;
    if (strcmp(name, "text") == 0) {
        *text = true;
        return true;
    }
    *fmt = marc_format_from_name(name);
    return *fmt != MARC_FMT_UNKNOWN;
}

int
cli_printer_open(struct cli_printer *p, FILE *fp, bool text, enum marc_format fmt)
{
    memset(p, 0, sizeof *p);
    p->fp = fp;
    p->text = text;
    p->format = fmt;
    if (text)
        return CLI_OK;
    struct marc_write_opts wo = {.format = fmt};
    char *cause = NULL;
    p->w = marc_writer_new(fp, &wo, &cause);
    if (!p->w) {
        cli_error("%s", cause);
        free(cause);
        return CLI_USAGE;
    }
    return CLI_OK;
}

int
cli_printer_write(struct cli_printer *p, const struct marc_record *r)
{
    if (p->text) {
        struct marc_buf b = MARC_BUF_INIT;
        if (p->written > 0)
            marc_buf_putc(&b, '\n');
        cli_record_text(r, &b);
        size_t n = fwrite(b.data, 1, b.len, p->fp);
        bool ok = n == b.len;
        marc_buf_free(&b);
        p->written++;
        return ok ? CLI_OK : CLI_IO;
    }
    struct cli_diag_sink sink = {.source = "output"};
    struct marc_decode_ctx ctx = {
        .record = p->written + 1, .offset = -1, .diag = cli_print_diag, .diag_ctx = &sink};
    int rc = marc_writer_write(p->w, r, &ctx);
    if (rc == MARC_OK) {
        p->written++;
        return CLI_OK;
    }
    return rc == MARC_ERR_IO ? CLI_IO : CLI_USER;
}

int
cli_printer_finish(struct cli_printer *p)
{
    int status = CLI_OK;
    if (p->w) {
        if (marc_writer_finish(p->w) != MARC_OK)
            status = CLI_IO;
        marc_writer_free(p->w);
        p->w = NULL;
    }
    if (fflush(p->fp) != 0 || ferror(p->fp))
        status = CLI_IO;
    if (status == CLI_IO)
        cli_error("writing the output failed: %s", strerror(errno));
    return status;
}

/* ---- the text view ---- */

static void
put_indicator(struct marc_buf *out, char c)
{
    marc_buf_putc(out, c == ' ' ? '#' : c);
}

static void
text_field(const struct marc_field *f, struct marc_buf *out)
{
    marc_buf_puts(out, marc_field_tag(f));
    size_t len;
    const char *data = marc_field_data(f, &len);
    if (marc_field_is_control(f)) {
        marc_buf_puts(out, "    ");
        marc_buf_append(out, data, len);
        marc_buf_putc(out, '\n');
        return;
    }
    marc_buf_putc(out, ' ');
    put_indicator(out, marc_field_ind1(f));
    put_indicator(out, marc_field_ind2(f));
    size_t cursor = 0;
    struct marc_subfield sf;
    while (marc_field_next_subfield(f, &cursor, &sf)) {
        marc_buf_puts(out, " $$");
        marc_buf_putc(out, sf.code);
        marc_buf_putc(out, ' ');
        marc_buf_append(out, sf.value, sf.len);
    }
    marc_buf_putc(out, '\n');
}

void
cli_record_text(const struct marc_record *r, struct marc_buf *out)
{
    struct marc_record *u = NULL;
    if (!marc_record_is_utf8(r)) {
        /* A terminal shows UTF-8; a record that cannot be converted is shown as it is. */
        u = marc_record_clone(r);
        struct marc_decode_ctx ctx = {.recover = true};
        if (marc_charset_to_utf8(u, &ctx) == MARC_OK)
            r = u;
    }
    marc_buf_puts(out, "LDR    ");
    marc_buf_append(out, marc_record_leader(r), MARC_LEADER_LEN);
    marc_buf_putc(out, '\n');
    for (size_t i = 0; i < marc_record_field_count(r); i++)
        text_field(marc_record_field(r, i), out);
    marc_record_free(u);
}

/* ---- comparing ---- */

static void
drop_stamped(struct marc_record *r)
{
    long i;
    while ((i = marc_record_find(r, "001", 0)) >= 0)
        marc_record_delete_field(r, (size_t)i);
    while ((i = marc_record_find(r, "005", 0)) >= 0)
        marc_record_delete_field(r, (size_t)i);
}

bool
cli_record_same_content(const struct marc_record *a, const struct marc_record *b)
{
    struct marc_record *ca = marc_record_clone(a), *cb = marc_record_clone(b);
    drop_stamped(ca);
    drop_stamped(cb);
    bool same = marc_record_equal(ca, cb);
    marc_record_free(ca);
    marc_record_free(cb);
    return same;
}

/* ---- diagnostics kept ---- */

void
cli_diags_collect(void *diags, const struct marc_diag *d)
{
    struct cli_diags *ds = diags;
    if (ds->n == ds->cap) {
        ds->cap = ds->cap ? ds->cap * 2 : 8;
        ds->d = xrealloc(ds->d, ds->cap * sizeof *ds->d);
    }
    ds->d[ds->n++] = *d;
    if (d->severity == MARC_SEV_ERROR)
        ds->errors++;
    else if (d->severity == MARC_SEV_WARNING)
        ds->warnings++;
}

void
cli_diags_clear(struct cli_diags *ds)
{
    ds->n = 0;
    ds->errors = ds->warnings = 0;
}

void
cli_diags_free(struct cli_diags *ds)
{
    free(ds->d);
    memset(ds, 0, sizeof *ds);
}

/* ---- reading ---- */

static long
count_lines(const char *s, size_t n)
{
    long lines = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n')
            lines++;
    return lines;
}

int
cli_mrk_parse_one(const char *text, size_t len, struct marc_record *r, struct cli_diags *diags)
{
    size_t skip, rlen;
    if (marc_mrk_frame(text, len, true, &skip, &rlen) != 1)
        return 0;
    struct marc_decode_ctx ctx = {.record = 1,
                                  .offset = (long long)skip,
                                  .line = 1 + count_lines(text, skip),
                                  .diag = cli_diags_collect,
                                  .diag_ctx = diags,
                                  .recover = true};
    marc_mrk_decode(r, text + skip, rlen, &ctx);
    size_t end = skip + rlen, skip2, rlen2;
    struct marc_record *extra = NULL;
    while (marc_mrk_frame(text + end, len - end, true, &skip2, &rlen2) == 1) {
        struct marc_diag d;
        marc_diag_set(&d, MARC_SEV_ERROR, "mrk-second-record",
                      "a second record starts here: one record per edit (a blank line ends a "
                      "record in .mrk; remove blank lines inside the record)");
        d.line = 1 + count_lines(text, end + skip2);
        cli_diags_collect(diags, &d);
        /* Its lines are most likely the rest of this record: their errors count too. */
        struct cli_diags more = {0};
        struct marc_decode_ctx c2 = {.record = 1,
                                     .line = d.line,
                                     .offset = -1,
                                     .diag = cli_diags_collect,
                                     .diag_ctx = &more,
                                     .recover = true};
        if (!extra)
            extra = marc_record_new();
        marc_mrk_decode(extra, text + end + skip2, rlen2, &c2);
        for (size_t i = 0; i < more.n; i++)
            if (more.d[i].severity == MARC_SEV_ERROR)
                cli_diags_collect(diags, &more.d[i]);
        cli_diags_free(&more);
        end += skip2 + rlen2;
    }
    marc_record_free(extra);
    return 1;
}

int
cli_read_file(const char *path, struct marc_buf *out)
{
    bool std = strcmp(path, "-") == 0;
    int fd = std ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        cli_error("cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    marc_buf_reset(out);
    for (;;) {
        char *p = marc_buf_reserve(out, 65536);
        ssize_t n = read(fd, p, 65536);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            cli_error("cannot read %s: %s", path, strerror(errno));
            if (!std)
                close(fd);
            return -1;
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
    }
    if (!std)
        close(fd);
    return 0;
}

int
cli_record_read_file(const char *path, struct marc_record *r, struct cli_diag_sink *sink)
{
    struct marc_read_opts o = {.lint = true, .diag = cli_print_diag, .diag_ctx = sink};
    char *cause = NULL;
    struct marc_reader *rd = marc_reader_open(path, &o, &cause);
    if (!rd) {
        cli_error("%s", cause);
        free(cause);
        return CLI_IO;
    }
    int status = CLI_OK;
    int rc = marc_reader_next(rd, r);
    if (rc == 0) {
        cli_error("%s holds no record", path);
        status = CLI_USER;
    } else if (rc < 0) {
        status = rc == MARC_ERR_IO ? CLI_IO : CLI_USER;
    } else {
        struct marc_record *extra = marc_record_new();
        /* A second record would be dropped silently: refuse instead. */
        if (marc_reader_next(rd, extra) != 0) {
            cli_error("%s holds more than one record; give one record per edit", path);
            status = CLI_USER;
        }
        marc_record_free(extra);
    }
    if (status == CLI_OK && sink->errors > 0)
        status = CLI_USER;
    marc_reader_close(rd);
    return status;
}
