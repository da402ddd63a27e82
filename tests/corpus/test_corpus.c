/*
 * test_corpus.c - the MARC layer against real records from other projects.
 *
 * Reads ../shared/corpus (or $COLOPHON_CORPUS): MARC files other MARC
 * projects ship as test data, valid and malformed, described one by one in
 * the corpus README and manifest.tsv.  When the folder is missing (a user's
 * fresh clone) the suite says so and skips: the project's own tests do not
 * depend on it (SPEC §11).
 *
 * For every file: reading in all three modes finishes (never a crash) and
 * every record lint sees is checked without a crash.  For valid files: a
 * strict read gives the manifest's record count, and every record survives
 * ISO 2709, MARCXML, .mrk and JSON round trips unchanged.  Twins (the same
 * records in two formats or charsets) are equal.  Malformed files behave as
 * written in the table below: a strict read fails and its error names the
 * record and an offset or line, a permissive read keeps exactly the good
 * records.  Prints TAP.
 */
#include "buf.h"
#include "charset.h"
#include "diff.h"
#include "iso2709.h"
#include "json.h"
#include "lint.h"
#include "marcxml.h"
#include "mrk.h"
#include "reader.h"
#include "record.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int tap_n, tap_failed;
static char corpus[1024];

static void
ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
ok(int cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s %d - ", cond ? "ok" : "not ok", ++tap_n);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
    if (!cond)
        tap_failed++;
    fflush(stdout);
}

static void
diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void
diag(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("# ", stdout);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
}

static const char *
path(const char *rel)
{
    static char p[4][1400];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", corpus, rel);
    return p[k];
}

/* ---- reading a whole file ---- */

struct readout {
    int rc;               /* 0 or the reader's error */
    long n;               /* records returned */
    struct marc_record **recs;
    struct marc_diag first_error;
    bool have_error;
    long errors, warnings;
};

static void
collect(void *ctx, const struct marc_diag *d)
{
    struct readout *o = ctx;
    if (d->severity == MARC_SEV_ERROR) {
        if (!o->have_error) {
            o->first_error = *d;
            o->have_error = true;
        }
        o->errors++;
    } else if (d->severity == MARC_SEV_WARNING) {
        o->warnings++;
    }
}

static void
read_file(const char *file, struct marc_read_opts o, struct readout *out, bool keep)
{
    memset(out, 0, sizeof *out);
    o.diag = collect;
    o.diag_ctx = out;
    char *cause = NULL;
    struct marc_reader *rd = marc_reader_open(file, &o, &cause);
    if (!rd) {
        out->rc = -100;
        diag("cannot open %s: %s", file, cause);
        free(cause);
        return;
    }
    struct marc_record *r = marc_record_new();
    int rc;
    size_t cap = 0;
    while ((rc = marc_reader_next(rd, r)) == 1) {
        if (keep) {
            if ((size_t)out->n == cap) {
                cap = cap ? cap * 2 : 16;
                out->recs = realloc(out->recs, cap * sizeof *out->recs);
            }
            out->recs[out->n] = marc_record_clone(r);
        }
        out->n++;
        if (o.lint) {
            struct marc_decode_ctx ctx = {.record = marc_reader_record_number(rd),
                                          .diag = collect, .diag_ctx = out};
            marc_lint_record(r, &ctx);
        }
    }
    out->rc = rc;
    marc_record_free(r);
    marc_reader_close(rd);
}

static void
readout_free(struct readout *o)
{
    for (long i = 0; i < o->n && o->recs; i++)
        marc_record_free(o->recs[i]);
    free(o->recs);
    o->recs = NULL;
}

/* ---- round trips ---- */

typedef int (*encode_fn)(const struct marc_record *, struct marc_buf *, struct marc_diag *);

static int
enc_iso(const struct marc_record *r, struct marc_buf *b, struct marc_diag *e)
{
    return marc_iso2709_encode(r, b, e);
}

static int
enc_xml(const struct marc_record *r, struct marc_buf *b, struct marc_diag *e)
{
    marc_buf_puts(b, marc_marcxml_header());
    int rc = marc_marcxml_encode(r, b, e);
    marc_buf_puts(b, marc_marcxml_trailer());
    return rc;
}

static int
enc_mrk(const struct marc_record *r, struct marc_buf *b, struct marc_diag *e)
{
    return marc_mrk_encode(r, b, false, e);
}

static int
enc_json(const struct marc_record *r, struct marc_buf *b, struct marc_diag *e)
{
    return marc_json_encode(r, b, e);
}

static int
dec(enum marc_format f, struct marc_record *r, const char *buf, size_t len)
{
    struct marc_decode_ctx ctx = {.record = 1, .line = 1};
    switch (f) {
    case MARC_FMT_ISO2709:
        return marc_iso2709_decode(r, buf, len, &ctx);
    case MARC_FMT_MARCXML:
        return marc_marcxml_decode(r, buf, len, &ctx);
    case MARC_FMT_MRK:
        return marc_mrk_decode(r, buf, len, &ctx);
    default:
        return marc_json_decode(r, buf, len, &ctx);
    }
}

/* Every record through one format and back: how many came back different. */
static long
round_trip(struct readout *o, enum marc_format f, encode_fn enc, long *tried)
{
    long bad = 0;
    struct marc_buf b = MARC_BUF_INIT;
    struct marc_record *back = marc_record_new(), *u = marc_record_new();
    *tried = 0;
    for (long i = 0; i < o->n; i++) {
        const struct marc_record *r = o->recs[i];
        bool unicode = f == MARC_FMT_MARCXML || f == MARC_FMT_JSON;
        if (unicode && !marc_record_is_utf8(r)) {
            /* XML and JSON are Unicode: compare with the converted record. */
            marc_record_copy(u, r);
            struct marc_decode_ctx c = {.record = i + 1};
            if (marc_charset_to_utf8(u, &c) != 0)
                continue;
            r = u;
        }
        marc_buf_reset(&b);
        struct marc_diag e;
        if (enc(r, &b, &e) != 0)
            continue; /* e.g. invalid UTF-8 cannot go to XML: refused, not lost */
        (*tried)++;
        if (dec(f, back, b.data, b.len) != 0 || !marc_record_equal(r, back) ||
            memcmp(marc_record_leader(r) + 5, marc_record_leader(back) + 5, 7) != 0) {
            if (bad++ == 0)
                diag("record %ld differs after a %s round trip", i + 1, marc_format_name(f));
        }
    }
    marc_buf_free(&b);
    marc_record_free(back);
    marc_record_free(u);
    return bad;
}

/* ---- expectations ---- */

struct expect {
    const char *file;
    bool strict_ok;      /* a strict read succeeds */
    long strict_records; /* records before a strict failure, or in all */
    long permissive;     /* records a permissive read keeps */
    const char *why;
};

/* Malformed files, each as the corpus README describes it. */
static const struct expect malformed[] = {
    {"malformed/pymarc-bad_records.mrc", false, 1, 3,
     "records 2-6 broken (base address, directory, non-ASCII entry); 1, 7 (no fields) and 8 kept"},
    {"malformed/pymarc-bad_indicator.dat", false, 0, 0, "tag '0 2' in the directory"},
    {"malformed/pymarc-bad_subfield_code.dat", false, 0, 0, "record one byte longer than its leader says"},
    {"malformed/pymarc-bad_marc8_escape.dat", true, 1, 1, "structurally valid; its MARC-8 is not (below)"},
    {"malformed/marc-perl-baddir.usmarc", false, 0, 0, "corrupt directory"},
    {"malformed/marc-perl-badldr.usmarc", false, 6, 6, "stray terminator is padding; a stray byte at the end"},
    {"malformed/marc-perl-cameleof.usmarc", true, 10, 10, "Ctrl-Z between records is padding"},
    {"malformed/marc-perl-filler.usmarc", true, 3, 3, "NUL/space/newline junk between records is padding"},
    {"malformed/file-marc-wronglen.mrc", false, 0, 0, "leader length shorter than the record"},
    {"malformed/file-marc-bad_example2.mrc", false, 0, 0, "16-byte leader"},
    {"malformed/marc4j-bad_leaders_10_11.mrc", true, 1, 1, "blank leader/10-11, 20-23: warnings, read as 22/4500"},
    {"malformed/marc4j-error.mrc", false, 0, 0, "terminator not where the length says"},
    {"malformed/marc4j-008008027.mrc", false, 18, 18, "19th record truncated"},
    {"malformed/marc4j-bad_oversize_field_bad_directory.mrc", false, 1, 4, "record 2's directory is corrupt"},
    {"malformed/ruby-marc-utf8_with_bad_bytes.marc", false, 0, 0, "invalid UTF-8 under leader/09 'a'"},
    {"malformed/ruby-marc-marc8_accented_chars.marc", false, 0, 0, "MARC-8 bytes under leader/09 'a'"},
    {"malformed/yaz-marc4.marc", false, 0, 0, "leader shifted by a repeated length"},
    {"malformed/marc4j-chabon-missing-subfield-code.xml", false, 0, 0, "<subfield> without code"},
    {"malformed/marc4j-chabon-missing-datafield-tag.xml", false, 0, 0, "<datafield> without tag"},
    {"malformed/marc-perl-invalid.xml", false, 0, 0, "<datafield> outside any <record>"},
    {"malformed/marc-perl-empty-record.xml", false, 0, 0, "<record/> with no leader"},
    {"malformed/pymarc-bad_tag.xml", false, 0, 0, "17-character leader, bad tag"},
    {"malformed/ruby-marc-three-records-second-bad.xml", false, 1, 2, "record 2 not well-formed"},
};

static bool
is_malformed_listed(const char *file)
{
    for (size_t i = 0; i < sizeof malformed / sizeof *malformed; i++)
        if (strcmp(malformed[i].file, file) == 0)
            return true;
    return false;
}

/* ---- the checks ---- */

static void
check_valid(const char *file, long want)
{
    struct readout o;
    read_file(path(file), (struct marc_read_opts){0}, &o, true);
    ok(o.rc == 0 && o.n == want, "%s: strict read gives %ld record(s) (got %ld, rc %d)", file,
       want, o.n, o.rc);
    if (o.have_error)
        diag("first error: %s", marc_diag_format(&o.first_error, file));
    static const struct {
        enum marc_format f;
        encode_fn enc;
    } fmts[] = {{MARC_FMT_ISO2709, enc_iso},
                {MARC_FMT_MARCXML, enc_xml},
                {MARC_FMT_MRK, enc_mrk},
                {MARC_FMT_JSON, enc_json}};
    for (size_t k = 0; k < 4; k++) {
        long tried;
        long bad = round_trip(&o, fmts[k].f, fmts[k].enc, &tried);
        ok(bad == 0 && (tried > 0 || o.n == 0), "%s: %ld record(s) unchanged through %s", file,
           tried, marc_format_name(fmts[k].f));
    }
    readout_free(&o);
}

static void
check_all_modes(const char *file)
{
    struct readout o;
    read_file(path(file), (struct marc_read_opts){.permissive = true}, &o, false);
    struct readout l;
    read_file(path(file), (struct marc_read_opts){.lint = true}, &l, false);
    ok(o.rc == 0 || o.rc == MARC_ERR_FORMAT,
       "%s: permissive and lint reads finish (%ld kept; lint: %ld error(s), %ld warning(s))",
       file, o.n, l.errors, l.warnings);
}

static void
check_malformed(const struct expect *e)
{
    struct readout o;
    read_file(path(e->file), (struct marc_read_opts){0}, &o, false);
    if (e->strict_ok) {
        ok(o.rc == 0 && o.n == e->strict_records, "%s: strict read succeeds with %ld (%s)",
           e->file, o.n, e->why);
    } else {
        bool located = o.have_error &&
                       (o.first_error.offset >= 0 || o.first_error.line > 0);
        ok(o.rc < 0 && o.n == e->strict_records && located,
           "%s: strict read stops after %ld record(s), error located (%s)", e->file, o.n, e->why);
        if (o.have_error) {
            char *s = marc_diag_format(&o.first_error, e->file);
            diag("%s", s);
            free(s);
        }
    }
    read_file(path(e->file), (struct marc_read_opts){.permissive = true}, &o, false);
    ok(o.rc == 0 && o.n == e->permissive, "%s: permissive read keeps %ld record(s) (got %ld)",
       e->file, e->permissive, o.n);
}

static void
check_equal_files(const char *a, struct marc_read_opts oa, const char *b,
                  struct marc_read_opts ob, bool ignore_lengths, const char *what)
{
    struct readout ra, rb;
    read_file(path(a), oa, &ra, true);
    read_file(path(b), ob, &rb, true);
    long diff = ra.n == rb.n ? 0 : -1;
    for (long i = 0; diff >= 0 && i < ra.n; i++) {
        bool same = marc_record_equal(ra.recs[i], rb.recs[i]);
        if (!ignore_lengths)
            same = same && strcmp(marc_record_leader(ra.recs[i]) + 5,
                                  marc_record_leader(rb.recs[i]) + 5) == 0;
        if (!same) {
            if (diff++ == 0) {
                struct marc_diff d;
                marc_diff_records(ra.recs[i], rb.recs[i], &d);
                diag("record %ld: %zu changed, %zu added, %zu removed, leader %s", i + 1,
                     d.changed, d.added, d.removed, d.leader_changed ? "differs" : "same");
                marc_diff_free(&d);
            }
        }
    }
    ok(ra.rc == 0 && rb.rc == 0 && ra.n > 0 && diff == 0, "twins: %s = %s (%s; %ld records)",
       a, b, what, ra.n);
    readout_free(&ra);
    readout_free(&rb);
}

static void
check_twins(void)
{
    struct marc_read_opts plain = {0}, utf8 = {.to_utf8 = true};
    check_equal_files("iso2709/pymarc-test.dat", plain, "mrk/marc-perl-camel.mrk", plain, false,
                      "ISO 2709 and MARCMaker text");
    check_equal_files("marc8/marc4j-brkrtest.mrc", plain, "mrk/marc4j-brkrtest.mrk", plain, false,
                      "MARC-8 ISO 2709 and MARC-8 mnemonics");
    check_equal_files("iso2709/marc4j-brkrtest_UTF8.mrc", plain, "mrk/marc4j-brkrtest.mrk8", plain,
                      true, "UTF-8 ISO 2709 and .mrk8; the .mrk8 keeps MARC-8 lengths");
    check_equal_files("iso2709/marc4j-chabon.mrc", plain, "marcxml/marc4j-chabon.xml", plain, false,
                      "ISO 2709 and MARCXML");
    check_equal_files("iso2709/marc4j-summerland.mrc", plain, "marcxml/marc4j-summerland.xml",
                      plain, false, "ISO 2709 and MARCXML");
    check_equal_files("authority/idzebra-loc-collection-namemrc.yaz.mrc", plain,
                      "authority/idzebra-loc-collection-namemrc.xml", plain, false,
                      "yaz's ISO 2709 of LoC authority MARCXML");
    check_equal_files("marc8/yaz-marc9.marc", utf8, "marc8/yaz-marc9.xml", plain, false,
                      "MARC-8 converted = yaz's expected UTF-8");
    check_equal_files("iso2709/pymarc-utf8_without_leader_flag.dat", utf8,
                      "iso2709/pymarc-utf8_with_leader_flag.dat", plain, false,
                      "UTF-8 labelled MARC-8 is relabelled, not garbled");
}

static void
check_marc8(void)
{
    static const char *files[] = {
        "marc8/pymarc-marc8.dat",          "marc8/marc4j-brkrtest.mrc",
        "marc8/marc-perl-charset-cjk1.marc", "marc8/marc-perl-charset-hebrew1.marc",
        "marc8/marc-perl-charset-cyrillic.marc", "marc8/yaz-marc9.marc",
        "marc8/marc4j-cyrillic_capital_e.mrc", "iso2709/solrmarc-uva_001-200.mrc",
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        struct readout o;
        read_file(path(files[i]), (struct marc_read_opts){.to_utf8 = true, .normalize = MARC_NF_NFC},
                  &o, true);
        long utf8 = 0;
        for (long k = 0; k < o.n; k++)
            utf8 += marc_record_is_utf8(o.recs[k]);
        ok(o.rc == 0 && o.n > 0 && utf8 == o.n, "%s: %ld MARC-8 record(s) converted to UTF-8 NFC",
           files[i], o.n);
        readout_free(&o);
    }
    /* A bogus escape sequence is an error naming the field, not silent loss. */
    struct readout o;
    read_file(path("malformed/pymarc-bad_marc8_escape.dat"),
              (struct marc_read_opts){.to_utf8 = true}, &o, false);
    ok(o.rc < 0 && o.have_error && o.first_error.tag[0] && o.first_error.offset > 0,
       "malformed/pymarc-bad_marc8_escape.dat: bad MARC-8 escape reported at %s, byte %lld",
       o.first_error.tag, o.first_error.offset);
}

int
main(void)
{
    const char *env = getenv("COLOPHON_CORPUS");
    snprintf(corpus, sizeof corpus, "%s", env && *env ? env : COLOPHON_SOURCE_ROOT "/../shared/corpus");
    struct stat st;
    char manifest[1400];
    snprintf(manifest, sizeof manifest, "%s/manifest.tsv", corpus);
    FILE *mf = fopen(manifest, "r");
    if (stat(corpus, &st) != 0 || !mf) {
        printf("1..0 # SKIP corpus not found at %s (set COLOPHON_CORPUS)\n", corpus);
        return 0;
    }
    char line[4096];
    bool header = true;
    while (fgets(line, sizeof line, mf)) {
        if (header) {
            header = false;
            continue;
        }
        char *cols[11] = {0};
        int n = 0;
        for (char *p = strtok(line, "\t\n"); p && n < 11; p = strtok(NULL, "\t\n"))
            cols[n++] = p;
        if (n < 7)
            continue;
        const char *file = cols[0], *status = cols[1];
        long records = atol(cols[6]);
        check_all_modes(file);
        if (strcmp(status, "valid") == 0)
            check_valid(file, records);
        else if (!is_malformed_listed(file))
            ok(0, "%s: a malformed file this suite has no expectation for", file);
    }
    fclose(mf);
    for (size_t i = 0; i < sizeof malformed / sizeof *malformed; i++)
        check_malformed(&malformed[i]);
    check_twins();
    check_marc8();
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}
