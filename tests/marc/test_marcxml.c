/*
 * test_marcxml.c - MARCXML reading and writing: the exact text written,
 * exact round trips of awkward records, every namespace layout a reader
 * meets, each content error named with its line and field, well-formedness
 * errors in strict and recovering reading, hostile input (external entities)
 * refused, and libxml2 kept silent.
 */
#include "testutil.h"

#include "buf.h"
#include "codec.h"
#include "diff.h"
#include "input.h"
#include "marcxml.h"
#include "record.h"
#include "utf8.h"

#include <fcntl.h>
#include <unistd.h>

/* ---- helpers ---- */

/* A streaming reader over a text, through a temporary file. */
struct xr {
    FILE *fp;
    struct marc_input in;
    struct marc_xml_reader *x;
    struct test_diags t;
    long n;
};

static void
xr_open_fd(struct xr *s, int fd, bool recover)
{
    memset(&s->t, 0, sizeof s->t);
    s->n = 0;
    marc_input_from_fd(&s->in, fd, false);
    s->x = marc_marcxml_reader_new(&s->in, recover);
}

static void
xr_open(struct xr *s, const char *xml, size_t len, bool recover)
{
    s->fp = tmpfile();
    assert_non_null(s->fp);
    assert_int_equal(fwrite(xml, 1, len, s->fp), len);
    fflush(s->fp);
    assert_int_equal(lseek(fileno(s->fp), 0, SEEK_SET), 0);
    xr_open_fd(s, fileno(s->fp), recover);
}

static void
xr_open_str(struct xr *s, const char *xml, bool recover)
{
    xr_open(s, xml, strlen(xml), recover);
}

static void
xr_open_file(struct xr *s, const char *name, bool recover)
{
    size_t len;
    char *text = test_read_file(test_data(name), &len);
    xr_open(s, text, len, recover);
    free(text);
}

/* Next record; *ctx (may be NULL) gets the record's context. */
static int
xr_next(struct xr *s, struct marc_record *r, struct marc_decode_ctx *out)
{
    struct marc_decode_ctx ctx = {
        .record = s->n + 1, .offset = -1, .diag = test_diags_collect, .diag_ctx = &s->t};
    int rc = marc_marcxml_reader_next(s->x, r, &ctx);
    if (rc == 1)
        s->n++;
    if (out)
        *out = ctx;
    return rc;
}

static void
xr_close(struct xr *s)
{
    marc_marcxml_reader_free(s->x);
    marc_input_close(&s->in);
    if (s->fp)
        fclose(s->fp);
    s->fp = NULL;
}

static int
decode(struct marc_record *r, const char *xml, struct test_diags *t)
{
    struct marc_decode_ctx ctx = {.record = 1, .diag = test_diags_collect, .diag_ctx = t};
    return marc_marcxml_decode(r, xml, strlen(xml), &ctx);
}

/* The n-th collected diagnostic with this code (0-based), or NULL. */
static const struct marc_diag *
nth_diag(const struct test_diags *t, const char *code, int n)
{
    for (int i = 0; i < t->n; i++)
        if (t->d[i].code && strcmp(t->d[i].code, code) == 0 && n-- == 0)
            return &t->d[i];
    return NULL;
}

static void
assert_diag(const struct test_diags *t, const char *code, long line, const char *tag, int occ,
            char subfield)
{
    const struct marc_diag *d = test_diags_find(t, code);
    if (!d) {
        test_diags_dump(t);
        fail_msg("no diagnostic %s", code);
    }
    assert_int_equal(d->line, line);
    assert_string_equal(d->tag, tag);
    assert_int_equal(d->occurrence, occ);
    assert_int_equal(d->subfield, subfield);
}

/* The value of tag (subfield code, 0 for a control field) is exactly want. */
static void
assert_value(const struct marc_record *r, const char *tag, char code, const char *want)
{
    size_t len;
    const char *v = marc_record_value(r, tag, code, &len);
    if (!v)
        fail_msg("no %s $%c", tag, code ? code : '-');
    if (len != strlen(want) || memcmp(v, want, len) != 0)
        fail_msg("%s $%c is \"%.*s\", not \"%s\"", tag, code ? code : '-', (int)len, v, want);
}

static void
assert_same_record(const struct marc_record *a, const struct marc_record *b)
{
    assert_true(marc_record_equal(a, b));
    assert_string_equal(marc_record_leader(a), marc_record_leader(b));
}

static struct marc_buf
write_collection(struct marc_record **recs, int n)
{
    struct marc_buf b = MARC_BUF_INIT;
    marc_buf_puts(&b, marc_marcxml_header());
    for (int i = 0; i < n; i++)
        assert_int_equal(marc_marcxml_encode(recs[i], &b, NULL), 0);
    marc_buf_puts(&b, marc_marcxml_trailer());
    return b;
}

/* A record with everything XML makes awkward. */
static struct marc_record *
awkward(void)
{
    struct marc_record *r = marc_record_new();
    marc_record_set_leader(r, "01234cam a2200289 i 4500", 24);
    marc_record_add_control(r, "001", " lead & trail ", 14);
    marc_record_add_control(r, "008", "910710s1991    nyu           000 0 eng  ", 40);
    long i = marc_record_add_data(r, "245", '1', '0');
    const char *specials = "<b>Tom & \"Jerry\"</b> 'quoted' ]]> &amp;";
    marc_record_append_subfield(r, (size_t)i, 'a', specials, strlen(specials));
    const char *cjk =
        "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe6\x9c\xac"; /* 日本語の本 */
    marc_record_append_subfield(r, (size_t)i, 'b', cjk, strlen(cjk));
    const char *comb =
        "Pe\xcc\x81rez, Jose\xcc\x81 \xf0\x9f\x93\x9a"; /* combining acute; U+1F4DA */
    marc_record_append_subfield(r, (size_t)i, 'c', comb, strlen(comb));
    i = marc_record_add_data(r, "500", ' ', ' ');
    const char *ws = "\ttab\nnewline\r\ncrlf\rcr  two spaces ";
    marc_record_append_subfield(r, (size_t)i, 'a', ws, strlen(ws));
    marc_record_append_subfield(r, (size_t)i, 'b', "", 0);
    marc_record_append_subfield(r, (size_t)i, '&', "code &", 6);
    marc_record_append_subfield(r, (size_t)i, '"', "code quote", 10);
    i = marc_record_add_data(r, "650", '"', '<');
    marc_record_append_subfield(r, (size_t)i, 'a', "odd indicators", 14);
    marc_record_add_data(r, "999", ' ', ' '); /* no subfields at all */
    marc_record_insert_control(r, marc_record_field_count(r), "FMT", "BK", 2);
    i = marc_record_add_data(r, "CAT", 'a', 'b');
    marc_record_append_subfield(r, (size_t)i, 'a', "local", 5);
    return r;
}

/* ---- writing ---- */

static void
test_write_exact_text(void **state)
{
    struct marc_record *r = marc_record_new();
    marc_record_set_leader(r, "00000nam a2200000 a 4500", 24);
    marc_record_add_control(r, "001", "a<b", 3);
    long i = marc_record_add_data(r, "245", '1', '0');
    marc_record_append_subfield(r, (size_t)i, 'a', "Tom & \"Jerry\"\tx", 15);
    marc_record_append_subfield(r, (size_t)i, 'c', "line\nbreak", 10);
    i = marc_record_add_data(r, "650", ' ', '"');
    struct marc_buf b = write_collection(&r, 1);
    const char *want = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<collection xmlns=\"http://www.loc.gov/MARC21/slim\">\n"
                       "  <record>\n"
                       "    <leader>00000nam a2200000 a 4500</leader>\n"
                       "    <controlfield tag=\"001\">a&lt;b</controlfield>\n"
                       "    <datafield tag=\"245\" ind1=\"1\" ind2=\"0\">\n"
                       "      <subfield code=\"a\">Tom &amp; \"Jerry\"&#9;x</subfield>\n"
                       "      <subfield code=\"c\">line&#10;break</subfield>\n"
                       "    </datafield>\n"
                       "    <datafield tag=\"650\" ind1=\" \" ind2=\"&quot;\">\n"
                       "    </datafield>\n"
                       "  </record>\n"
                       "</collection>\n";
    assert_string_equal(b.data, want);
    marc_buf_free(&b);
    marc_record_free(r);
}

static void
test_round_trip_awkward(void **state)
{
    struct marc_record *r = awkward(), *back = marc_record_new();
    struct marc_buf b = write_collection(&r, 1);
    struct xr s = {0};
    xr_open(&s, b.data, b.len, false);
    assert_int_equal(xr_next(&s, back, NULL), 1);
    assert_int_equal(s.t.n, 0);
    assert_same_record(r, back);
    assert_int_equal(xr_next(&s, back, NULL), 0);
    xr_close(&s);
    /* Writing what was read gives the same text again. */
    struct marc_buf b2 = write_collection(&back, 1);
    assert_string_equal(b.data, b2.data);
    marc_buf_free(&b);
    marc_buf_free(&b2);
    marc_record_free(r);
    marc_record_free(back);
}

/* Every character XML 1.0 can carry survives, one subfield per range. */
static void
test_round_trip_all_characters(void **state)
{
    struct marc_record *r = marc_record_new(), *back = marc_record_new();
    marc_record_set_leader_byte(r, 9, 'a');
    long i = marc_record_add_data(r, "500", ' ', ' ');
    struct marc_buf v = MARC_BUF_INIT;
    const uint32_t ranges[][2] = {{0x09, 0x0A},       {0x0D, 0x0D},        {0x20, 0x7F},
                                  {0x80, 0x7FF},      {0x800, 0xD7FF},     {0xE000, 0xFFFD},
                                  {0x10000, 0x1FFFF}, {0x10FF00, 0x10FFFF}};
    for (size_t k = 0; k < sizeof ranges / sizeof *ranges; k++) {
        marc_buf_reset(&v);
        for (uint32_t cp = ranges[k][0]; cp <= ranges[k][1]; cp += cp > 0x800 ? 7 : 1) {
            char u[4];
            marc_buf_append(&v, u, (size_t)marc_utf8_encode(cp, u));
        }
        assert_int_equal(marc_record_append_subfield(r, (size_t)i, 'a', v.data, v.len), 0);
    }
    struct marc_buf b = write_collection(&r, 1);
    struct test_diags t = {0};
    assert_int_equal(decode(back, b.data, &t), 0);
    assert_same_record(r, back);
    marc_buf_free(&v);
    marc_buf_free(&b);
    marc_record_free(r);
    marc_record_free(back);
}

static void
test_write_refuses_what_xml_cannot_carry(void **state)
{
    struct marc_record *r = marc_record_new();
    marc_record_add_data(r, "245", '0', '0');
    long i = marc_record_add_data(r, "245", '0', '0');
    marc_record_append_subfield(r, (size_t)i, 'a', "ok", 2);
    marc_record_append_subfield(r, (size_t)i, 'b', "bell\x07here", 9);
    struct marc_buf b = MARC_BUF_INIT;
    marc_buf_puts(&b, "kept");
    struct marc_diag err;
    assert_int_equal(marc_marcxml_encode(r, &b, &err), MARC_ERR_CHARSET);
    assert_string_equal(b.data, "kept"); /* nothing of the record written */
    assert_string_equal(err.tag, "245");
    assert_int_equal(err.occurrence, 2);
    assert_int_equal(err.subfield, 'b');
    assert_non_null(strstr(err.message, "U+0007"));

    /* U+FFFF is not an XML character either; invalid UTF-8 is refused. */
    marc_record_set_subfield(r, (size_t)i, 1, "\xef\xbf\xbf", 3);
    assert_int_equal(marc_marcxml_encode(r, &b, &err), MARC_ERR_CHARSET);
    assert_non_null(strstr(err.message, "U+FFFF"));
    marc_record_set_subfield(r, (size_t)i, 1, "caf\xe9", 4);
    assert_int_equal(marc_marcxml_encode(r, &b, &err), MARC_ERR_CHARSET);
    assert_string_equal(err.code, "utf8-invalid");
    assert_int_equal(marc_marcxml_encode(r, &b, NULL), MARC_ERR_CHARSET);
    /* U+FFFD and other 0xEF-led characters are fine. */
    marc_record_set_subfield(r, (size_t)i, 1, "\xef\xbf\xbd\xef\xbc\xa1", 6);
    assert_int_equal(marc_marcxml_encode(r, &b, &err), 0);
    marc_buf_free(&b);
    marc_record_free(r);
}

/* ---- reading layouts ---- */

#define REC_BODY(p)                                                                                \
    "<" p "leader>00000nam a2200000 a 4500</" p "leader>"                                          \
    "<" p "controlfield tag=\"001\">x1</" p "controlfield>"                                        \
    "<" p "datafield tag=\"245\" ind1=\"1\" ind2=\"0\"><" p "subfield code=\"a\">T</" p            \
    "subfield></" p "datafield>"

static void
test_namespace_layouts(void **state)
{
    const char *docs[] = {
        "<collection xmlns=\"http://www.loc.gov/MARC21/slim\"><record>" REC_BODY(
            "") "</record></collection>",
        "<?xml version=\"1.0\"?><marc:collection xmlns:marc=\"http://www.loc.gov/MARC21/slim\">"
        "<marc:record>" REC_BODY("marc:") "</marc:record></marc:collection>",
        "<record xmlns=\"http://www.loc.gov/MARC21/slim\">" REC_BODY("") "</record>",
        "<record>" REC_BODY("") "</record>",
        "<collection><record>" REC_BODY("") "</record></collection>",
        "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mx:record "
        "xmlns:mx=\"http://www.loc.gov/MARC21/slim\">" REC_BODY("mx:") "</mx:record>",
        /* Elements of other vocabularies inside a record are not ours: ignored. */
        "<record xmlns=\"http://www.loc.gov/MARC21/slim\" xmlns:x=\"urn:x\"><x:note>n<x:b/>"
        "</x:note>" REC_BODY("") "<x:extra tag=\"999\"/></record>",
    };
    struct marc_record *want = marc_record_new(), *r = marc_record_new();
    marc_record_set_leader(want, "00000nam a2200000 a 4500", 24);
    marc_record_add_control(want, "001", "x1", 2);
    long i = marc_record_add_data(want, "245", '1', '0');
    marc_record_append_subfield(want, (size_t)i, 'a', "T", 1);
    for (size_t k = 0; k < sizeof docs / sizeof *docs; k++) {
        struct test_diags t = {0};
        if (decode(r, docs[k], &t) != 0 || t.n) {
            test_diags_dump(&t);
            fail_msg("layout %zu", k);
        }
        assert_same_record(want, r);
    }
    marc_record_free(want);
    marc_record_free(r);
}

static void
test_oai_pmh_wrapper(void **state)
{
    struct xr s = {0};
    struct marc_record *r = marc_record_new();
    struct marc_decode_ctx ctx;
    xr_open_file(&s, "marcxml/oai-pmh.xml", false);
    assert_int_equal(xr_next(&s, r, &ctx), 1);
    assert_value(r, "001", 0, "oai-1");
    assert_int_equal(ctx.line, 12);
    size_t len;
    const char *v = marc_record_value(r, "245", 'a', &len);
    assert_int_equal(len, 5);
    assert_memory_equal(v, "First", 5);
    assert_int_equal(xr_next(&s, r, &ctx), 1);
    assert_int_equal(ctx.line, 27);
    v = marc_record_value(r, "001", 0, &len);
    assert_memory_equal(v, "oai-2", 5);
    assert_int_equal(xr_next(&s, r, NULL), 0);
    assert_int_equal(s.t.n, 0); /* the OAI elements are not reported */
    xr_close(&s);
    marc_record_free(r);
}

/* The record's line and byte offset, for diagnostics and the reader. */
static void
test_record_positions(void **state)
{
    const char *xml = "<?xml version=\"1.0\"?>\n" /* 0..21 */
                      "<collection>\n"            /* 22..34 */
                      "  <record\n"               /* record at 37, line 3 */
                      "      id=\"a\">" REC_BODY("") "</record>\n"
                                                     "  <record>" REC_BODY("") "</record>\n"
                                                                               "</collection>\n";
    struct xr s = {0};
    struct marc_record *r = marc_record_new();
    struct marc_decode_ctx ctx;
    xr_open_str(&s, xml, false);
    assert_int_equal(xr_next(&s, r, &ctx), 1);
    assert_int_equal(ctx.line, 3);
    assert_int_equal(ctx.offset, 37);
    assert_int_equal(xr_next(&s, r, &ctx), 1);
    assert_int_equal(ctx.line, 5);
    assert_int_equal(ctx.offset, (long long)(strstr(xml, "  <record>") - xml) + 2);
    assert_int_equal(xr_next(&s, r, &ctx), 0);
    xr_close(&s);
    marc_record_free(r);
}

static void
test_values_exactly_as_written(void **state)
{
    const char *xml =
        "<record><leader>00000nam a2200000 a 4500</leader>"
        "<controlfield tag=\"001\">  spaced  </controlfield>"
        "<datafield tag=\"500\" ind1=\" \" ind2=\" \">"
        "<subfield code=\"a\">line one\n  line two\r\n&#13;&#9;<![CDATA[<raw & cdata>]]>"
        "<!-- a comment -->&#x65E5;&#26412;</subfield>"
        "<subfield code=\"b\"/></datafield></record>";
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    assert_int_equal(decode(r, xml, &t), 0);
    size_t len;
    const char *v = marc_record_value(r, "001", 0, &len);
    assert_int_equal(len, 10);
    assert_memory_equal(v, "  spaced  ", 10);
    v = marc_record_value(r, "500", 'a', &len);
    /* XML turns a literal CR LF into LF; &#13; is how a CR survives. */
    const char *want = "line one\n  line two\n\r\t<raw & cdata>\xe6\x97\xa5\xe6\x9c\xac";
    assert_int_equal(len, strlen(want));
    assert_memory_equal(v, want, len);
    v = marc_record_value(r, "500", 'b', &len);
    assert_non_null(v);
    assert_int_equal(len, 0);
    marc_record_free(r);
}

static void
test_other_encodings(void **state)
{
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    const char latin1[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><record>"
                          "<leader>00000nam a2200000 a 4500</leader>"
                          "<controlfield tag=\"001\">caf\xe9</controlfield></record>";
    assert_int_equal(decode(r, latin1, &t), 0);
    assert_value(r, "001", 0, "caf\xc3\xa9");

    /* UTF-16 with a byte order mark, through the streaming reader. */
    const char *u8 = "<record><leader>00000nam a2200000 a 4500</leader>"
                     "<controlfield tag=\"001\">\xc3\xa9t\xc3\xa9</controlfield></record>";
    char u16[512];
    size_t n = 0;
    u16[n++] = (char)0xFF;
    u16[n++] = (char)0xFE;
    for (const unsigned char *p = (const unsigned char *)u8; *p; p++) {
        uint32_t cp = *p;
        if (*p >= 0x80) { /* only two-byte sequences in this text */
            cp = ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
            p++;
        }
        u16[n++] = (char)(cp & 0xFF);
        u16[n++] = (char)(cp >> 8);
    }
    struct xr s = {0};
    xr_open(&s, u16, n, false);
    assert_int_equal(xr_next(&s, r, NULL), 1);
    assert_int_equal(s.t.n, 0);
    assert_value(r, "001", 0, "\xc3\xa9t\xc3\xa9");
    xr_close(&s);
    marc_record_free(r);
}

static void
test_decode_one_record(void **state)
{
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    const char *two = "<collection>\n<record>" REC_BODY("") "</record>\n<record>" REC_BODY(
        "") "</record></collection>";
    assert_int_equal(decode(r, two, &t), 0);
    assert_int_equal(marc_record_field_count(r), 2);
    const struct marc_diag *d = test_diags_find(&t, "xml-extra-record");
    assert_non_null(d);
    assert_int_equal(d->severity, MARC_SEV_WARNING);
    assert_int_equal(d->line, 3);

    memset(&t, 0, sizeof t);
    assert_int_equal(decode(r, "<collection xmlns=\"http://www.loc.gov/MARC21/slim\"/>", &t),
                     MARC_ERR_FORMAT);
    assert_non_null(test_diags_find(&t, "xml-no-record"));

    /* Lines and offsets count from where the caller says the text starts. */
    memset(&t, 0, sizeof t);
    const char *bad = "<record>\n<leader>short</leader></record>";
    struct marc_decode_ctx ctx = {
        .record = 4, .line = 10, .offset = 5000, .diag = test_diags_collect, .diag_ctx = &t};
    assert_int_equal(marc_marcxml_decode(r, bad, strlen(bad), &ctx), MARC_ERR_FORMAT);
    assert_int_equal(ctx.line, 10);
    assert_int_equal(ctx.offset, 5000);
    assert_diag(&t, "leader-length", 11, "LDR", 0, 0);
    assert_int_equal(t.d[0].record, 4);

    memset(&t, 0, sizeof t);
    assert_int_equal(decode(r, "<record><leader>00000nam a2200000 a 4500</leader>", &t),
                     MARC_ERR_FORMAT);
    d = test_diags_find(&t, "xml-syntax");
    assert_non_null(d);
    assert_true(d && strstr(d->message, "ends inside <record>"));
    marc_record_free(r);
}

/* A file of many records, one of them far larger than a parser chunk. */
static void
test_streams_many_records(void **state)
{
    struct marc_record **recs = calloc(3001, sizeof *recs);
    for (int k = 0; k < 3000; k++) {
        recs[k] = marc_record_new();
        char id[16];
        snprintf(id, sizeof id, "id%05d", k);
        marc_record_add_control(recs[k], "001", id, strlen(id));
        long i = marc_record_add_data(recs[k], "245", '0', '0');
        marc_record_append_subfield(recs[k], (size_t)i, 'a', "T\xc3\xadtulo & <m\xc3\xa1s>", 18);
    }
    long i = marc_record_add_data(recs[1500], "520", ' ', ' ');
    size_t big = 300000;
    char *text = malloc(big);
    for (size_t k = 0; k < big; k++)
        text[k] = "abc &<>\"\nyz"[k % 11];
    marc_record_append_subfield(recs[1500], (size_t)i, 'a', text, big);
    struct marc_buf b = write_collection(recs, 3000);
    struct xr s = {0};
    xr_open(&s, b.data, b.len, false);
    struct marc_record *r = marc_record_new();
    for (int k = 0; k < 3000; k++) {
        assert_int_equal(xr_next(&s, r, NULL), 1);
        if (!marc_record_equal(r, recs[k]))
            fail_msg("record %d differs", k + 1);
    }
    assert_int_equal(xr_next(&s, r, NULL), 0);
    assert_int_equal(s.t.n, 0);
    xr_close(&s);
    for (int k = 0; k < 3000; k++)
        marc_record_free(recs[k]);
    free(recs);
    free(text);
    marc_buf_free(&b);
    marc_record_free(r);
}

/* ---- content errors ---- */

static void
test_content_errors_named(void **state)
{
    struct xr s = {0};
    struct marc_record *r = marc_record_new();
    struct marc_decode_ctx ctx;
    xr_open_file(&s, "marcxml/errors.xml", false);
    assert_int_equal(xr_next(&s, r, &ctx), 1);
    assert_int_equal(ctx.errors, 8);
    assert_int_equal(ctx.first_error, MARC_ERR_FORMAT);
    assert_diag(&s.t, "tag-missing", 6, "", 0, 0);
    assert_diag(&s.t, "tag-invalid", 7, "", 0, 0);
    assert_diag(&s.t, "code-missing", 11, "245", 1, 0);
    assert_diag(&s.t, "element-unknown", 12, "245", 1, 0);
    assert_non_null(strstr(test_diags_find(&s.t, "element-unknown")->message, "<subfields>"));
    assert_diag(&s.t, "tag-kind", 15, "245", 2, 0);
    /* Line 16, <datafield tag="008">, is read: non-MARC 21 records have them. */
    assert_null(nth_diag(&s.t, "tag-kind", 1));
    assert_diag(&s.t, "text-lost", 17, "", 0, 0);
    assert_non_null(strstr(test_diags_find(&s.t, "text-lost")->message, "\"stray text\""));
    assert_diag(&s.t, "indicator-invalid", 18, "500", 1, 0);
    assert_diag(&s.t, "element-in-value", 19, "500", 1, 'a');
    for (int k = 0; k < s.t.n; k++)
        assert_int_equal(s.t.d[k].record, 1);
    /* What could be read is kept (lint shows it). */
    assert_int_equal(marc_record_field_count(r), 4);
    size_t len;
    const char *body = marc_field_data(marc_record_field(r, 1), &len);
    assert_int_equal(len, 8);
    assert_memory_equal(body,
                        "10\x1f"
                        "ckept",
                        8);
    const struct marc_field *f008 = marc_record_field(r, 2);
    assert_string_equal(marc_field_tag(f008), "008");
    assert_false(marc_field_is_control(f008));
    body = marc_field_data(f008, &len);
    assert_int_equal(len, 5);
    assert_memory_equal(body, "  \x1f" "ax", 5);
    assert_value(r, "500", 'a', "bold ");
    assert_int_equal(marc_field_ind1(marc_record_field(r, 3)), ' ');
    xr_close(&s);
    marc_record_free(r);
}

static void
test_leader_errors(void **state)
{
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    assert_int_equal(decode(r, "<record>\n<leader>00000nam a22</leader></record>", &t),
                     MARC_ERR_FORMAT);
    assert_diag(&t, "leader-length", 2, "LDR", 0, 0);
    assert_string_equal(marc_record_leader(r), "00000nam a22            "); /* padded */

    memset(&t, 0, sizeof t);
    assert_int_equal(
        decode(r, "<record><leader>00000nam a2200000 a 4500 and more</leader></record>", &t),
        MARC_ERR_FORMAT);
    assert_non_null(test_diags_find(&t, "leader-length"));
    assert_string_equal(marc_record_leader(r), "00000nam a2200000 a 4500");

    /* A non-ASCII character is named by its position (characters, not bytes). */
    memset(&t, 0, sizeof t);
    assert_int_equal(decode(r,
                            "<record><leader>00000nam a22\xc2\xa0\x30\x30\x30\x30 a "
                            "4500</leader></record>",
                            &t),
                     MARC_ERR_FORMAT);
    const struct marc_diag *d = test_diags_find(&t, "leader-byte");
    assert_non_null(d);
    assert_int_equal(d->position, 12);
    assert_true(d && strstr(d->message, "U+00A0"));
    assert_null(test_diags_find(&t, "leader-length"));
    assert_string_equal(marc_record_leader(r), "00000nam a22 0000 a 4500");

    memset(&t, 0, sizeof t);
    assert_int_equal(decode(r,
                            "<record><leader>00000nam a2200000 a 4500</leader>\n<leader>"
                            "00000nam a2200000 a 4500</leader></record>",
                            &t),
                     MARC_ERR_FORMAT);
    assert_diag(&t, "leader-duplicate", 2, "LDR", 0, 0);
    marc_record_free(r);
}

static void
test_empty_record_and_stray_field(void **state)
{
    struct xr s = {0};
    struct marc_record *r = marc_record_new();
    struct marc_decode_ctx ctx;
    xr_open_str(&s, "<record xmlns=\"http://www.loc.gov/MARC21/slim\" />", false);
    assert_int_equal(xr_next(&s, r, &ctx), 1);
    assert_int_equal(ctx.errors, 1);
    assert_diag(&s.t, "leader-missing", 1, "LDR", 0, 0);
    assert_non_null(strstr(s.t.d[0].message, "empty"));
    xr_close(&s);

    /* A data field directly in the collection belongs to no record: strict
     * reading stops; recovering reading reports it and goes on. */
    const char *xml = "<collection xmlns=\"http://www.loc.gov/MARC21/slim\">\n"
                      "<datafield tag=\"952\" ind1=\" \" ind2=\" \">\n"
                      "<subfield code=\"a\">CPL</subfield>\n"
                      "</datafield>\n"
                      "<record>" REC_BODY("") "</record>\n"
                                              "</collection>\n";
    xr_open_str(&s, xml, false);
    assert_int_equal(xr_next(&s, r, &ctx), 1);
    assert_int_equal(ctx.errors, 1); /* the record that follows is refused with it */
    assert_diag(&s.t, "stray-field", 2, "", 0, 0);
    assert_int_equal(test_diags_find(&s.t, "stray-field")->record, 0);
    xr_close(&s);

    xr_open_str(&s, xml, true);
    assert_int_equal(xr_next(&s, r, &ctx), 1);
    assert_int_equal(ctx.errors, 0); /* not held against the record that follows */
    assert_diag(&s.t, "stray-field", 2, "", 0, 0);
    assert_int_equal(marc_record_field_count(r), 2);
    assert_int_equal(xr_next(&s, r, &ctx), 0);
    xr_close(&s);
    marc_record_free(r);
}

static void
test_no_marc_records_warned(void **state)
{
    struct xr s = {0};
    struct marc_record *r = marc_record_new();
    xr_open_str(&s, "<mods xmlns=\"http://www.loc.gov/mods/v3\"><record/></mods>", false);
    assert_int_equal(xr_next(&s, r, NULL), 0);
    const struct marc_diag *d = test_diags_find(&s.t, "xml-no-records");
    assert_non_null(d);
    assert_int_equal(d->severity, MARC_SEV_WARNING);
    assert_true(d && strstr(d->message, "http://www.loc.gov/mods/v3"));
    xr_close(&s);
    marc_record_free(r);
}

/* ---- broken XML ---- */

static void
test_not_well_formed_strict(void **state)
{
    struct xr s = {0};
    struct marc_record *r = marc_record_new();
    xr_open_file(&s, "marcxml/broken.xml", false);
    assert_int_equal(xr_next(&s, r, NULL), 1);
    assert_value(r, "001", 0, "one");
    assert_int_equal(xr_next(&s, r, NULL), MARC_ERR_FORMAT);
    const struct marc_diag *d = test_diags_find(&s.t, "xml-syntax");
    assert_non_null(d);
    assert_int_equal(d->line, 11);
    assert_int_equal(d->record, 2);
    assert_true(d && strstr(d->message, "&amp;"));
    assert_true(d && strstr(d->message, "column"));
    xr_close(&s);
    marc_record_free(r);
}

static void
test_not_well_formed_recover(void **state)
{
    struct xr s = {0};
    struct marc_record *r = marc_record_new();
    struct marc_decode_ctx ctx;
    xr_open_file(&s, "marcxml/broken.xml", true);
    assert_int_equal(xr_next(&s, r, &ctx), 1);
    assert_int_equal(ctx.errors, 0);
    /* The damaged record: what came before the error, and an error. */
    assert_int_equal(xr_next(&s, r, &ctx), 1);
    assert_int_equal(ctx.errors, 1);
    assert_int_equal(ctx.line, 7);
    assert_value(r, "001", 0, "two");
    assert_null(marc_record_value(r, "245", 'a', NULL));
    const struct marc_diag *d = test_diags_find(&s.t, "xml-syntax");
    assert_int_equal(d->line, 11);
    assert_int_equal(d->record, 2);
    assert_true(d && strstr(d->message, "rest of this record is lost"));
    /* Reading resumes with the next record. */
    assert_int_equal(xr_next(&s, r, &ctx), 1);
    assert_int_equal(ctx.errors, 0);
    assert_int_equal(ctx.line, 14);
    assert_value(r, "001", 0, "three");
    d = test_diags_find(&s.t, "xml-recovery");
    assert_non_null(d);
    assert_int_equal(d->line, 14);
    assert_int_equal(xr_next(&s, r, NULL), 0);
    xr_close(&s);
    marc_record_free(r);
}

/* After recovery each record is parsed alone, with the namespaces in scope. */
static void
test_recover_keeps_reading_prefixed_records(void **state)
{
    struct marc_buf b = MARC_BUF_INIT;
    marc_buf_puts(&b, "<?xml version=\"1.0\"?>\n<x:collection "
                      "xmlns:x=\"http://www.loc.gov/MARC21/slim\">\n");
    for (int k = 0; k < 50; k++) {
        marc_buf_printf(&b,
                        "<x:record><x:leader>00000nam a2200000 a 4500</x:leader>"
                        "<x:controlfield tag=\"001\">%d</x:controlfield>%s</x:record>\n",
                        k,
                        k % 10 == 3 ? "<x:datafield tag=\"245\" ind1=\"0\" ind2=\"0\" "
                                      "ind1=\"1\"/>"
                                    : "");
    }
    marc_buf_puts(&b, "</x:collection>\n");
    struct xr s = {0};
    struct marc_record *r = marc_record_new();
    struct marc_decode_ctx ctx;
    xr_open(&s, b.data, b.len, true);
    int good = 0, damaged = 0;
    while (xr_next(&s, r, &ctx) == 1) {
        char want[24];
        snprintf(want, sizeof want, "%ld", s.n - 1);
        assert_value(r, "001", 0, want);
        if (ctx.errors)
            damaged++;
        else
            good++;
    }
    assert_int_equal(good, 45);
    assert_int_equal(damaged, 5); /* a duplicate attribute in records 3, 13, ... */
    xr_close(&s);
    marc_buf_free(&b);
    marc_record_free(r);
}

static void
test_truncated_and_empty_input(void **state)
{
    struct xr s = {0};
    struct marc_record *r = marc_record_new();
    xr_open_str(&s,
                "<collection>\n<record><leader>00000nam a2200000 a 4500</leader>\n"
                "<datafield tag=\"245\" ind1=\"0\" ind2=\"0\"><subfield code=\"a\">Cut",
                false);
    assert_int_equal(xr_next(&s, r, NULL), MARC_ERR_FORMAT);
    const struct marc_diag *d = test_diags_find(&s.t, "xml-syntax");
    assert_non_null(d);
    assert_int_equal(d->line, 3);
    assert_true(d && strstr(d->message, "ends inside <subfield>"));
    xr_close(&s);

    xr_open_str(&s, "", false);
    assert_int_equal(xr_next(&s, r, NULL), MARC_ERR_FORMAT);
    assert_non_null(strstr(s.t.d[0].message, "no XML element"));
    xr_close(&s);
    marc_record_free(r);
}

static void
test_wrong_encoding_named(void **state)
{
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    assert_int_equal(decode(r,
                            "<?xml version=\"1.0\" encoding=\"US-ASCII\"?>\n<record>"
                            "<leader>00000nam a2200000 a 4500</leader>"
                            "<controlfield tag=\"001\">caf\xe9</controlfield></record>",
                            &t),
                     MARC_ERR_FORMAT);
    const struct marc_diag *d = test_diags_find(&t, "xml-syntax");
    assert_non_null(d);
    assert_int_equal(d->line, 2);
    assert_true(d && strstr(d->message, "US-ASCII"));
    assert_true(d && strstr(d->message, "\\xE9"));

    memset(&t, 0, sizeof t);
    assert_int_equal(decode(r,
                            "<record><leader>00000nam a2200000 a 4500</leader>\n"
                            "<controlfield tag=\"001\">caf\xe9</controlfield></record>",
                            &t),
                     MARC_ERR_FORMAT);
    d = test_diags_find(&t, "xml-syntax");
    assert_int_equal(d->line, 2);
    assert_true(d && strstr(d->message, "UTF-8"));
    marc_record_free(r);
}

/* Bytes libxml2 cannot decode at all (UCS-4 that is not) still get a place:
 * the byte where its parser stopped, as there are no lines yet. */
static void
test_undecodable_input_located(void **state)
{
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    struct marc_decode_ctx ctx = {.record = 1, .offset = 500, .diag = test_diags_collect,
                                  .diag_ctx = &t};
    assert_int_equal(marc_marcxml_decode(r, "<\0\0\0", 4, &ctx), MARC_ERR_FORMAT);
    const struct marc_diag *d = test_diags_find(&t, "xml-syntax");
    assert_non_null(d);
    assert_int_equal(d->line, 0);
    assert_true(d->offset >= 500 && d->offset <= 504);
    char *s = marc_diag_format(d, NULL);
    assert_non_null(strstr(s, "byte 50"));
    free(s);
    marc_record_free(r);
}

/*
 * Bytes libxml2 cannot convert (here from UTF-7) once its buffer has grown:
 * the error comes while its input pointers are stale, so where to resume is
 * asked only after the parser returns (ASan saw freed memory read before).
 */
static void
test_unconvertible_bytes_after_buffer_growth(void **state)
{
    struct marc_buf xml = MARC_BUF_INIT;
    marc_buf_puts(&xml, "<?xml version=\"1.0\" encoding=\"UTF-7\"?>\n"
                        "<collection xmlns=\"http://www.loc.gov/MARC21/slim\">\n"
                        "<record><leader>00000nam a2200000 a 4500</leader>\n"
                        "<datafield tag=\"500\" ind1=\" \" ind2=\" \"><subfield code=\"a\">");
    for (int k = 0; k < 3000; k++)
        marc_buf_putc(&xml, 'x');
    marc_buf_puts(&xml, "\x80</subfield></datafield></record>\n</collection>\n");
    struct marc_record *r = marc_record_new();
    for (int recover = 0; recover <= 1; recover++) {
        struct test_diags t = {0};
        struct marc_decode_ctx ctx = {.record = 1, .diag = test_diags_collect, .diag_ctx = &t,
                                      .recover = recover};
        assert_int_equal(marc_marcxml_decode(r, xml.data, xml.len, &ctx), MARC_ERR_FORMAT);
        const struct marc_diag *d = test_diags_find(&t, "xml-syntax");
        if (!d)
            test_diags_dump(&t);
        assert_non_null(d);
        /* The byte itself, not the line libxml2's parser had reached. */
        assert_int_equal(d->line, 0);
        assert_int_equal(d->offset, (long long)(strstr(xml.data, "\x80") - xml.data));
        assert_non_null(strstr(d->message, "conversion"));
    }
    marc_buf_free(&xml);
    marc_record_free(r);
}

/* 00X fields with indicators and subfields (records in other MARC formats)
 * are written as <datafield> and read back as such; an empty control field
 * comes back empty. */
static void
test_00x_data_field_and_empty_control(void **state)
{
    struct marc_record *r = marc_record_new();
    assert_int_equal(marc_record_insert_body(r, 0, "001", "00\x1f" "a123", 6), 0);
    assert_int_equal(marc_record_insert_control(r, 1, "003", "", 0), 0);
    assert_int_equal(marc_record_insert_body(r, 2, "005", "  ", 2), 0);
    struct marc_buf b = MARC_BUF_INIT;
    marc_buf_puts(&b, marc_marcxml_header());
    assert_int_equal(marc_marcxml_encode(r, &b, NULL), 0);
    marc_buf_puts(&b, marc_marcxml_trailer());
    assert_non_null(strstr(b.data, "<datafield tag=\"001\" ind1=\"0\" ind2=\"0\">"));
    struct marc_record *back = marc_record_new();
    struct test_diags t = {0};
    assert_int_equal(decode(back, b.data, &t), 0);
    assert_int_equal(t.n, 0);
    assert_true(marc_record_equal(r, back));
    size_t len = 9;
    marc_field_data(marc_record_field(back, 1), &len);
    assert_int_equal(len, 0);
    /* A <controlfield> still cannot carry a tag outside 00X. */
    memset(&t, 0, sizeof t);
    assert_int_equal(decode(back,
                            "<record><leader>00000nam a2200000 a 4500</leader>"
                            "<controlfield tag=\"100\">x</controlfield></record>",
                            &t),
                     MARC_ERR_FORMAT);
    assert_non_null(test_diags_find(&t, "tag-kind"));
    marc_buf_free(&b);
    marc_record_free(back);
    marc_record_free(r);
}

/* Hostile input: no file is ever read through an entity or a DTD. */
static void
test_external_entities_refused(void **state)
{
    char path[] = "/tmp/colophon-secret-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "SECRET", 6), 6);
    close(fd);
    char xml[1024];
    for (size_t k = 0; k < 3; k++) {
        char doctype[256];
        if (k == 0)
            snprintf(doctype, sizeof doctype,
                     "<!DOCTYPE collection [<!ENTITY x SYSTEM "
                     "\"file://%s\">]>",
                     path);
        else if (k == 1)
            snprintf(doctype, sizeof doctype, "<!DOCTYPE collection SYSTEM \"file://%s\">", path);
        else
            snprintf(doctype, sizeof doctype,
                     "<!DOCTYPE collection [<!ENTITY %% p SYSTEM "
                     "\"file://%s\"> %%p;]>",
                     path);
        snprintf(xml, sizeof xml,
                 "<?xml version=\"1.0\"?>\n%s\n<collection><record>\n"
                 "<leader>00000nam a2200000 a 4500</leader>\n"
                 "<controlfield tag=\"001\">A&x;B</controlfield></record></collection>",
                 doctype);
        for (int recover = 0; recover < 2; recover++) {
            struct xr s = {0};
            struct marc_record *r = marc_record_new();
            struct marc_decode_ctx ctx;
            xr_open_str(&s, xml, recover);
            while (xr_next(&s, r, &ctx) == 1) {
                size_t len = 0;
                const char *v = marc_record_value(r, "001", 0, &len);
                assert_true(!v || !memmem(v, len, "SECRET", 6));
                assert_true(ctx.errors > 0);
            }
            bool named = false;
            for (int i = 0; i < s.t.n; i++) {
                assert_null(strstr(s.t.d[i].message, "SECRET"));
                named |= strstr(s.t.d[i].message, "'x' not defined") != NULL ||
                         strstr(s.t.d[i].message, "%p;") != NULL;
            }
            if (!named) {
                test_diags_dump(&s.t);
                fail_msg("form %zu: the entity is not named", k);
            }
            xr_close(&s);
            marc_record_free(r);
        }
    }
    unlink(path);
}

/* Entity declarations are not expanded at all (no "billion laughs"). */
static void
test_internal_entities_not_expanded(void **state)
{
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    assert_int_equal(decode(r,
                            "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
                            "\"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n<record>"
                            "<leader>00000nam a2200000 a 4500</leader>\n"
                            "<controlfield tag=\"001\">&b;</controlfield></record>",
                            &t),
                     MARC_ERR_FORMAT);
    const struct marc_diag *d = test_diags_find(&t, "xml-syntax");
    assert_non_null(d);
    assert_int_equal(d->line, 3);
    assert_true(d && strstr(d->message, "'b' not defined"));
    marc_record_free(r);
}

/* libxml2 must never write to stderr, whatever the input. */
static void
test_libxml2_stays_silent(void **state)
{
    FILE *cap = tmpfile();
    assert_non_null(cap);
    fflush(stderr);
    int saved = dup(2);
    dup2(fileno(cap), 2);
    const char *docs[] = {
        "<record><leader>x</leader><controlfield tag=\"001\">a & b</controlfield></record>",
        "<?xml version=\"1.0\" encoding=\"bogus-charset\"?><record/>",
        "<?xml version=\"1.0\" encoding=\"US-ASCII\"?><record>\xff</record>",
        "<record xmlns:a=\"rel/uri\"><a:x/></record>",
        "<!DOCTYPE r SYSTEM \"http://example.invalid/x.dtd\"><record>&nbsp;</record>",
        "<record><leader>",
        "\xfe\xff\x00<\x00r",
        "<a:record/>",
    };
    for (size_t k = 0; k < sizeof docs / sizeof *docs; k++)
        for (int recover = 0; recover < 2; recover++) {
            struct xr s = {0};
            struct marc_record *r = marc_record_new();
            xr_open_str(&s, docs[k], recover);
            while (xr_next(&s, r, NULL) == 1)
                ;
            assert_true(s.t.n > 0);
            xr_close(&s);
            marc_record_free(r);
        }
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    assert_int_equal(ftell(cap), 0);
    fseek(cap, 0, SEEK_END);
    assert_int_equal(ftell(cap), 0);
    fclose(cap);
}

/* ---- the Library of Congress samples shipped by Debian ---- */

static void
test_loc_samples(void **state)
{
    const struct {
        const char *file;
        int records;
    } samples[] = {
        {"collection-2.xml.gz", 2},
        {"collection-opera-43.xml.gz", 43},
        {"collection-namemrc.xml.gz", 20},
        {"collection-subjmrc.xml.gz", 20},
    };
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s/marcxml/collection-2.xml.gz", LOC_EXAMPLES_DIR);
    if (access(cmd, R_OK) != 0)
        skip();
    for (size_t k = 0; k < sizeof samples / sizeof *samples; k++) {
        snprintf(cmd, sizeof cmd, "gzip -dc '%s/marcxml/%s'", LOC_EXAMPLES_DIR, samples[k].file);
        FILE *p = popen(cmd, "r");
        assert_non_null(p);
        struct xr s = {0};
        xr_open_fd(&s, fileno(p), false);
        struct marc_record *r = marc_record_new(), *back = marc_record_new();
        struct marc_buf b = MARC_BUF_INIT;
        while (xr_next(&s, r, NULL) == 1) {
            marc_buf_reset(&b);
            assert_int_equal(marc_marcxml_encode(r, &b, NULL), 0);
            struct test_diags t = {0};
            assert_int_equal(decode(back, b.data, &t), 0);
            assert_same_record(r, back);
            assert_true(marc_record_field_count(r) > 5);
        }
        assert_int_equal(s.n, samples[k].records);
        assert_int_equal(s.t.n, 0);
        marc_marcxml_reader_free(s.x);
        marc_input_close(&s.in);
        pclose(p);
        marc_buf_free(&b);
        marc_record_free(r);
        marc_record_free(back);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_exact_text),
        cmocka_unit_test(test_round_trip_awkward),
        cmocka_unit_test(test_round_trip_all_characters),
        cmocka_unit_test(test_write_refuses_what_xml_cannot_carry),
        cmocka_unit_test(test_namespace_layouts),
        cmocka_unit_test(test_oai_pmh_wrapper),
        cmocka_unit_test(test_record_positions),
        cmocka_unit_test(test_values_exactly_as_written),
        cmocka_unit_test(test_other_encodings),
        cmocka_unit_test(test_decode_one_record),
        cmocka_unit_test(test_streams_many_records),
        cmocka_unit_test(test_content_errors_named),
        cmocka_unit_test(test_leader_errors),
        cmocka_unit_test(test_empty_record_and_stray_field),
        cmocka_unit_test(test_no_marc_records_warned),
        cmocka_unit_test(test_not_well_formed_strict),
        cmocka_unit_test(test_not_well_formed_recover),
        cmocka_unit_test(test_recover_keeps_reading_prefixed_records),
        cmocka_unit_test(test_truncated_and_empty_input),
        cmocka_unit_test(test_wrong_encoding_named),
        cmocka_unit_test(test_undecodable_input_located),
        cmocka_unit_test(test_unconvertible_bytes_after_buffer_growth),
        cmocka_unit_test(test_00x_data_field_and_empty_control),
        cmocka_unit_test(test_external_entities_refused),
        cmocka_unit_test(test_internal_entities_not_expanded),
        cmocka_unit_test(test_libxml2_stays_silent),
        cmocka_unit_test(test_loc_samples),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
