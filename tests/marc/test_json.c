/*
 * test_json.c - MARC-in-JSON: framing of the three layouts (one object, an
 * array, JSON Lines), decoding with every escape, exact encoding, exact round
 * trips, and each error named with its line, field and subfield.
 */
#include "testutil.h"

#include "buf.h"
#include "codec.h"
#include "diff.h"
#include "json.h"
#include "record.h"
#include "utf8.h"

/* ---- helpers ---- */

/* Frame and decode a whole text as the reader does, counting lines. */
struct jfile {
    struct marc_record *recs[16];
    int n;
    int frame_rc; /* last framing result: 0 at a clean end, -1 on junk */
    size_t junk_at;
    struct test_diags t;
    int errors[16];
};

static void
read_all(struct jfile *f, const char *text, size_t len)
{
    memset(f, 0, sizeof *f);
    size_t pos = 0;
    long line = 1;
    for (;;) {
        size_t skip, n;
        int rc = marc_json_frame(text + pos, len - pos, true, &skip, &n);
        f->frame_rc = rc;
        for (size_t k = 0; k < skip; k++)
            line += text[pos + k] == '\n';
        if (rc <= 0) {
            f->junk_at = pos + skip;
            return;
        }
        assert_true(f->n < 16);
        struct marc_decode_ctx ctx = {.record = f->n + 1,
                                      .offset = (long long)(pos + skip),
                                      .line = line,
                                      .diag = test_diags_collect,
                                      .diag_ctx = &f->t};
        f->recs[f->n] = marc_record_new();
        marc_json_decode(f->recs[f->n], text + pos + skip, n, &ctx);
        f->errors[f->n++] = ctx.errors;
        for (size_t k = 0; k < n; k++)
            line += text[pos + skip + k] == '\n';
        pos += skip + n;
    }
}

static void
read_file(struct jfile *f, const char *name)
{
    size_t len;
    char *text = test_read_file(test_data(name), &len);
    read_all(f, text, len);
    free(text);
}

static void
free_all(struct jfile *f)
{
    for (int i = 0; i < f->n; i++)
        marc_record_free(f->recs[i]);
}

static int
decode(struct marc_record *r, const char *text, struct test_diags *t)
{
    struct marc_decode_ctx ctx = {
        .record = 1, .line = 1, .diag = test_diags_collect, .diag_ctx = t};
    return marc_json_decode(r, text, strlen(text), &ctx);
}

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

static const struct marc_diag *
nth_diag(const struct test_diags *t, const char *code, int n)
{
    for (int i = 0; i < t->n; i++)
        if (t->d[i].code && strcmp(t->d[i].code, code) == 0 && n-- == 0)
            return &t->d[i];
    return NULL;
}

static void
assert_diag_n(const struct test_diags *t, const char *code, int n, enum marc_severity sev,
              long line, const char *tag, int occ, char subfield)
{
    const struct marc_diag *d = nth_diag(t, code, n);
    if (!d) {
        test_diags_dump(t);
        fail_msg("no diagnostic %s #%d", code, n);
    }
    assert_int_equal(d->severity, sev);
    assert_int_equal(d->line, line);
    assert_string_equal(d->tag, tag);
    assert_int_equal(d->occurrence, occ);
    assert_int_equal(d->subfield, subfield);
}

static void
assert_same_record(const struct marc_record *a, const struct marc_record *b)
{
    assert_true(marc_record_equal(a, b));
    assert_string_equal(marc_record_leader(a), marc_record_leader(b));
}

/* ---- framing ---- */

static void
test_frame_layouts(void **state)
{
    size_t skip, len;
    /* One object; braces and escaped quotes inside strings do not count. */
    const char *one = " \n{\"a\":\"}\\\"{\",\"b\":[{\"c\":\"\\\\\"}]}\n";
    assert_int_equal(marc_json_frame(one, strlen(one), true, &skip, &len), 1);
    assert_int_equal(skip, 2);
    assert_int_equal(len, strlen(one) - 3);
    size_t rest = skip + len;
    assert_int_equal(marc_json_frame(one + rest, strlen(one) - rest, true, &skip, &len), 0);
    assert_int_equal(skip, 1);

    /* An array: its punctuation is passed over. */
    const char *arr = "[\n  {\"x\":1},\n  {\"y\":2}\n]\n";
    assert_int_equal(marc_json_frame(arr, strlen(arr), true, &skip, &len), 1);
    assert_int_equal(skip, 4);
    assert_int_equal(len, 7);
    rest = skip + len;
    assert_int_equal(marc_json_frame(arr + rest, strlen(arr) - rest, true, &skip, &len), 1);
    assert_memory_equal(arr + rest + skip, "{\"y\":2}", 7);
    rest += skip + len;
    assert_int_equal(marc_json_frame(arr + rest, strlen(arr) - rest, true, &skip, &len), 0);
    assert_int_equal(skip, strlen(arr) - rest);

    /* A byte order mark before the first object. */
    const char *bom = "\xef\xbb\xbf{}";
    assert_int_equal(marc_json_frame(bom, 5, true, &skip, &len), 1);
    assert_int_equal(skip, 3);
    assert_int_equal(len, 2);
    /* Only part of the mark read so far (streaming): wait for more, do not
     * call it an error (found by fuzz_json: regress/json/partial-bom-*). */
    assert_int_equal(marc_json_frame(bom, 2, false, &skip, &len), 0);
    assert_int_equal(marc_json_frame(",\xef", 2, false, &skip, &len), 0);
    assert_int_equal(skip, 1);
    /* ... but at the end of the input, a lone half mark is not an object. */
    assert_int_equal(marc_json_frame(bom, 2, true, &skip, &len), -1);
}

static void
test_frame_needs_more_and_errors(void **state)
{
    size_t skip, len;
    const char *part = "{\"leader\":\"0000";
    assert_int_equal(marc_json_frame(part, strlen(part), false, &skip, &len), 0);
    /* At the end of input an unterminated object goes to the decoder. */
    assert_int_equal(marc_json_frame(part, strlen(part), true, &skip, &len), 1);
    assert_int_equal(len, strlen(part));
    /* A string ending in a backslash is not closed by the next quote. */
    assert_int_equal(marc_json_frame("{\"a\":\"\\\"}", 9, false, &skip, &len), 0);
    assert_int_equal(marc_json_frame("  ", 2, false, &skip, &len), 0);

    const char *junk = "[{}, \n x{}]";
    assert_int_equal(marc_json_frame(junk, strlen(junk), true, &skip, &len), 1);
    size_t rest = skip + len;
    assert_int_equal(marc_json_frame(junk + rest, strlen(junk) - rest, true, &skip, &len), -1);
    assert_int_equal(rest + skip, 7); /* the byte offset of the 'x' */
    assert_int_equal(marc_json_frame("\"str\"", 5, true, &skip, &len), -1);
    assert_int_equal(skip, 0);
}

/* ---- decoding ---- */

static void
test_three_layouts_same_records(void **state)
{
    struct jfile a, b;
    read_file(&a, "json/records.jsonl");
    read_file(&b, "json/array.json");
    assert_int_equal(a.frame_rc, 0);
    assert_int_equal(b.frame_rc, 0);
    assert_int_equal(a.n, 3);
    assert_int_equal(b.n, 3);
    assert_int_equal(a.t.n, 0);
    assert_int_equal(b.t.n, 0);
    for (int i = 0; i < 3; i++)
        assert_same_record(a.recs[i], b.recs[i]);
    assert_value(a.recs[0], "245", 'a', "First \"quoted\" title");
    assert_value(a.recs[1], "245", 'a', "Caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac / tab\there");
    assert_value(a.recs[2], "001", 0, "three");
    assert_int_equal(marc_field_ind1(marc_record_field(b.recs[1], 1)), '1');
    assert_int_equal(marc_field_ind2(marc_record_field(b.recs[1], 1)), '0');
    free_all(&a);
    free_all(&b);
}

static void
test_escapes(void **state)
{
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    const char *text = "{\"leader\":\"00000nam a2200000 a 4500\",\"fields\":["
                       "{\"001\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"},"
                       "{\"500\":{\"ind1\":\"\\u0020\",\"ind2\":\"\\\"\",\"subfields\":["
                       "{\"a\":\"\\u00e9\\u00E9 \\u65e5 \\ud83d\\ude00 \\uD834\\uDD1E\"},"
                       "{\"\\u0062\":\"\\u0001\\u007f\"}]}}]}";
    assert_int_equal(decode(r, text, &t), 0);
    assert_int_equal(t.n, 0);
    assert_value(r, "001", 0, "\"\\/\b\f\n\r\t");
    assert_value(r, "500", 'a', "\xc3\xa9\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80 \xf0\x9d\x84\x9e");
    assert_value(r, "500", 'b', "\x01\x7f");
    assert_int_equal(marc_field_ind1(marc_record_field(r, 1)), ' ');
    assert_int_equal(marc_field_ind2(marc_record_field(r, 1)), '"');
    marc_record_free(r);
}

static void
test_errors_named_with_lines(void **state)
{
    struct jfile f;
    read_file(&f, "json/errors.json");
    assert_int_equal(f.n, 1);
    const struct test_diags *t = &f.t;
    assert_diag_n(t, "json-unknown-key", 0, MARC_SEV_WARNING, 3, "", 0, 0);
    assert_diag_n(t, "tag-invalid", 0, MARC_SEV_ERROR, 6, "", 0, 0);
    assert_diag_n(t, "json-type", 0, MARC_SEV_ERROR, 7, "245", 1, 0);
    /* Line 8, an 008 object, is a data field (non-MARC 21 records have them). */
    assert_diag_n(t, "code-invalid", 0, MARC_SEV_ERROR, 9, "245", 1, 0);
    assert_diag_n(t, "json-type", 1, MARC_SEV_ERROR, 9, "245", 1, 'c');
    assert_diag_n(t, "indicator-invalid", 0, MARC_SEV_ERROR, 9, "245", 1, 0);
    assert_diag_n(t, "json-unknown-key", 1, MARC_SEV_WARNING, 9, "245", 1, 0);
    assert_diag_n(t, "json-value", 0, MARC_SEV_ERROR, 10, "500", 1, 'a');
    assert_non_null(strstr(nth_diag(t, "json-value", 0)->message, "surrogate"));
    assert_diag_n(t, "json-type", 2, MARC_SEV_ERROR, 11, "650", 1, 0);
    assert_diag_n(t, "json-type", 3, MARC_SEV_ERROR, 12, "", 0, 0);
    assert_diag_n(t, "tag-missing", 0, MARC_SEV_ERROR, 13, "", 0, 0);
    assert_int_equal(f.errors[0], 9);
    assert_int_equal(t->warnings, 2);
    for (int i = 0; i < t->n; i++) {
        assert_int_equal(t->d[i].record, 1);
        assert_true(t->d[i].offset > 0);
    }
    /* The best record that could be made (lint shows it). */
    struct marc_record *r = f.recs[0];
    assert_int_equal(marc_record_field_count(r), 5);
    assert_value(r, "001", 0, "id1");
    const struct marc_field *f008 = marc_record_field(r, 1);
    assert_string_equal(marc_field_tag(f008), "008");
    assert_false(marc_field_is_control(f008));
    assert_value(r, "245", 'a', "Title");
    assert_null(marc_record_value(r, "245", 'c', NULL));
    assert_int_equal(marc_field_ind1(marc_record_field(r, 2)), ' ');
    assert_null(marc_record_value(r, "500", 'a', NULL));
    assert_value(r, "500", 'b', "kept \xf0\x9f\x98\x80");
    free_all(&f);
}

/* A 00X field with indicators and subfields (danMARC's 001, say) is written
 * as an object and read back as the data field it is. */
static void
test_00x_data_field_round_trip(void **state)
{
    struct marc_record *r = marc_record_new();
    assert_int_equal(marc_record_insert_body(r, 0, "001", "00\x1f" "a123\x1f" "fdbc", 11), 0);
    assert_int_equal(marc_record_insert_body(r, 1, "005", "  ", 2), 0);
    assert_int_equal(marc_record_insert_control(r, 2, "008", "x", 1), 0);
    struct marc_buf b = MARC_BUF_INIT;
    assert_int_equal(marc_json_encode(r, &b, NULL), 0);
    assert_non_null(strstr(b.data, "{\"001\":{\"ind1\":\"0\",\"ind2\":\"0\""));
    struct marc_record *back = marc_record_new();
    struct test_diags t = {0};
    assert_int_equal(decode(back, b.data, &t), 0);
    assert_int_equal(t.n, 0);
    assert_true(marc_record_equal(r, back));
    assert_false(marc_field_is_control(marc_record_field(back, 1)));
    assert_true(marc_field_is_control(marc_record_field(back, 2)));
    /* A field tagged "LDR" is refused and said to be the leader's name. */
    memset(&t, 0, sizeof t);
    assert_int_equal(decode(back,
                            "{\"leader\":\"00000nam a2200000 a 4500\",\"fields\":[{\"LDR\":\"x\"}]}",
                            &t),
                     MARC_ERR_FORMAT);
    const struct marc_diag *d = test_diags_find(&t, "tag-invalid");
    assert_non_null(d);
    assert_non_null(strstr(d->message, "leader's name"));
    assert_int_equal(marc_record_field_count(back), 0);
    marc_buf_free(&b);
    marc_record_free(back);
    marc_record_free(r);
}

static void
test_syntax_errors(void **state)
{
    const struct {
        const char *text;
        long line;
        const char *says;
    } cases[] = {
        {"{\"leader\": \"00000nam a2200000 a 4500\",\n \"fields\": [\n {\"001\": \"a\"}\n ,,]}", 4,
         "found ','"},
        {"{\"leader\": \"00000nam a2200000 a 4500\",\n\"fields\": [{\"001\": \"a\\q\"}]}", 2,
         "an escape"},
        {"{\"leader\": \"00000nam a2200000 a 4500\",\n\"fields\": [{\"001\": \"open", 2,
         "the end of the string"},
        {"{\"leader\": \"00000nam a2200000 a 4500\"\n\n\"fields\": []}", 3, "',' or '}'"},
        {"{\"leader\": \"00000nam a2200000 a 4500\", \"fields\": [{\"001\": \"\\u12G4\"}]}", 1,
         "hexadecimal"},
        {"{\"fields\": [], \"leader\": \"00000nam a2200000 a 4500\"} trailing", 1, "the end"},
        {"{leader: 1}", 1, "a key"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        struct marc_record *r = marc_record_new();
        struct test_diags t = {0};
        assert_int_equal(decode(r, cases[k].text, &t), MARC_ERR_FORMAT);
        const struct marc_diag *d = test_diags_find(&t, "json-syntax");
        if (!d || d->line != cases[k].line || !strstr(d->message, cases[k].says)) {
            test_diags_dump(&t);
            fail_msg("case %zu", k);
        }
        marc_record_free(r);
    }
}

static void
test_content_errors(void **state)
{
    struct marc_record *r = marc_record_new();
    struct test_diags t = {0};
    /* Invalid UTF-8 is a charset error naming the field. */
    assert_int_equal(decode(r,
                            "{\"leader\":\"00000nam a2200000 a 4500\",\"fields\":["
                            "{\"001\":\"ok\"},{\"001\":\"caf\xe9\"}]}",
                            &t),
                     MARC_ERR_CHARSET);
    assert_diag_n(&t, "json-value", 0, MARC_SEV_ERROR, 1, "001", 2, 0);
    assert_int_equal(marc_record_field_count(r), 1);

    /* A raw control character, a NUL and a separator cannot be values. */
    memset(&t, 0, sizeof t);
    assert_int_equal(decode(r,
                            "{\"leader\":\"00000nam a2200000 a 4500\",\"fields\":["
                            "{\"001\":\"tab\there\"},{\"002\":\"\\u0000\"},"
                            "{\"003\":\"\\u001f\"},{\"004\":\"\\ud800x\"}]}",
                            &t),
                     MARC_ERR_FORMAT);
    assert_int_equal(t.errors, 4);
    assert_int_equal(marc_record_field_count(r), 0);

    /* Leader: length, type, absence. */
    memset(&t, 0, sizeof t);
    assert_int_equal(decode(r, "{\"leader\":\"00000nam\",\"fields\":[]}", &t), MARC_ERR_FORMAT);
    assert_diag_n(&t, "leader-length", 0, MARC_SEV_ERROR, 1, "LDR", 0, 0);
    assert_string_equal(marc_record_leader(r), "00000nam                ");
    memset(&t, 0, sizeof t);
    assert_int_equal(decode(r, "{\"leader\":24,\"fields\":[]}", &t), MARC_ERR_FORMAT);
    assert_diag_n(&t, "json-type", 0, MARC_SEV_ERROR, 1, "LDR", 0, 0);
    memset(&t, 0, sizeof t);
    assert_int_equal(decode(r, "{\"fields\":[{\"001\":\"x\"}]}", &t), MARC_ERR_FORMAT);
    assert_non_null(test_diags_find(&t, "leader-missing"));

    /* Missing indicators and subfields are warnings; the field is kept. */
    memset(&t, 0, sizeof t);
    assert_int_equal(decode(r,
                            "{\"leader\":\"00000nam a2200000 a 4500\",\"fields\":["
                            "{\"245\":{}},{\"FMT\":\"BK\"},{\"CAT\":{\"ind1\":\"a\","
                            "\"ind2\":\"b\",\"subfields\":[]}},{\"001\":\"a\",\"003\":\"b\"}]}",
                            &t),
                     0);
    assert_int_equal(t.warnings, 4);
    assert_int_equal(marc_record_field_count(r), 5);
    assert_true(marc_field_is_control(marc_record_field(r, 1)));
    assert_false(marc_field_is_control(marc_record_field(r, 2)));
    assert_value(r, "003", 0, "b");
    marc_record_free(r);
}

/* ---- encoding ---- */

static void
test_encode_exact_text(void **state)
{
    struct marc_record *r = marc_record_new();
    marc_record_set_leader(r, "00000nam a2200000 a 4500", 24);
    marc_record_add_control(r, "001", "a\"b\\c", 5);
    long i = marc_record_add_data(r, "245", '1', '0');
    marc_record_append_subfield(r, (size_t)i, 'a', "Tom\n\x01\t\x7f", 7);
    marc_record_append_subfield(r, (size_t)i, 'b', "Caf\xc3\xa9 \xe6\x97\xa5", 9);
    marc_record_add_data(r, "999", '"', '\\');
    struct marc_buf b = MARC_BUF_INIT;
    assert_int_equal(marc_json_encode(r, &b, NULL), 0);
    assert_string_equal(
        b.data, "{\"leader\":\"00000nam a2200000 a 4500\",\"fields\":[{\"001\":\"a\\\"b\\\\c\"},"
                "{\"245\":{\"ind1\":\"1\",\"ind2\":\"0\",\"subfields\":[{\"a\":\"Tom\\n\\u0001\\t"
                "\x7f\"},{\"b\":\"Caf\xc3\xa9 \xe6\x97\xa5\"}]}},{\"999\":{\"ind1\":\"\\\"\","
                "\"ind2\":\"\\\\\",\"subfields\":[]}}]}");
    marc_buf_free(&b);
    marc_record_free(r);
}

static void
test_round_trip_exact(void **state)
{
    struct marc_record *r = marc_record_new();
    marc_record_set_leader(r, "01234cam a2200289 \"\\ 4500", 24);
    char all[64];
    size_t n = 0;
    for (int c = 1; c < 0x20; c++)
        if (c < 0x1D)
            all[n++] = (char)c;
    all[n++] = '"';
    all[n++] = '\\';
    all[n++] = '/';
    all[n++] = 0x7f;
    marc_record_add_control(r, "001", all, n);
    long i = marc_record_add_data(r, "245", '1', '0');
    const char *v = "\xe6\x97\xa5\xe6\x9c\xac Pe\xcc\x81rez \xf0\x9f\x93\x9a \xe2\x80\xa8 <&>";
    marc_record_append_subfield(r, (size_t)i, 'a', v, strlen(v));
    marc_record_append_subfield(r, (size_t)i, '"', "", 0);
    marc_record_append_subfield(r, (size_t)i, '\\', "  spaces  ", 10);
    marc_record_add_data(r, "650", ' ', ' ');
    marc_record_insert_control(r, marc_record_field_count(r), "FMT", "BK", 2);
    struct marc_buf b = MARC_BUF_INIT;
    marc_buf_puts(&b, "[\n");
    assert_int_equal(marc_json_encode(r, &b, NULL), 0);
    marc_buf_puts(&b, ",\n");
    assert_int_equal(marc_json_encode(r, &b, NULL), 0);
    marc_buf_puts(&b, "\n]\n");
    struct jfile f;
    read_all(&f, b.data, b.len);
    assert_int_equal(f.n, 2);
    assert_int_equal(f.t.n, 0);
    assert_same_record(r, f.recs[0]);
    assert_same_record(r, f.recs[1]);
    /* Encoding what was decoded gives the same text. */
    struct marc_buf b2 = MARC_BUF_INIT;
    assert_int_equal(marc_json_encode(f.recs[0], &b2, NULL), 0);
    assert_memory_equal(b.data + 2, b2.data, b2.len);
    assert_null(memchr(b2.data, '\n', b2.len)); /* one record, one line */
    free_all(&f);
    marc_buf_free(&b);
    marc_buf_free(&b2);
    marc_record_free(r);
}

static void
test_encode_refuses_invalid_utf8(void **state)
{
    struct marc_record *r = marc_record_new();
    marc_record_add_control(r, "001", "ok", 2);
    long i = marc_record_add_data(r, "650", ' ', '0');
    marc_record_append_subfield(r, (size_t)i, 'a', "ok", 2);
    i = marc_record_add_data(r, "650", ' ', '0');
    marc_record_append_subfield(r, (size_t)i, 'a', "Dvo\xf8\xe1k", 6); /* MARC-8 bytes */
    struct marc_buf b = MARC_BUF_INIT;
    marc_buf_puts(&b, "kept");
    struct marc_diag err;
    assert_int_equal(marc_json_encode(r, &b, &err), MARC_ERR_CHARSET);
    assert_string_equal(b.data, "kept");
    assert_string_equal(err.tag, "650");
    assert_int_equal(err.occurrence, 2);
    assert_string_equal(err.code, "utf8-invalid");
    assert_int_equal(marc_json_encode(r, &b, NULL), MARC_ERR_CHARSET);
    marc_buf_free(&b);
    marc_record_free(r);
}

/* A record far larger than ISO 2709 allows, full of what must be escaped. */
static void
test_large_record(void **state)
{
    struct marc_record *r = marc_record_new(), *back = marc_record_new();
    long i = marc_record_add_data(r, "520", ' ', ' ');
    size_t big = 200000;
    char *text = malloc(big);
    for (size_t k = 0; k < big; k++)
        text[k] = "ab\"\\\n\x02 {}[],:"[k % 14];
    marc_record_append_subfield(r, (size_t)i, 'a', text, big);
    struct marc_buf b = MARC_BUF_INIT;
    assert_int_equal(marc_json_encode(r, &b, NULL), 0);
    size_t skip, len;
    assert_int_equal(marc_json_frame(b.data, b.len / 2, false, &skip, &len), 0);
    assert_int_equal(marc_json_frame(b.data, b.len, false, &skip, &len), 1);
    assert_int_equal(len, b.len);
    struct test_diags t = {0};
    assert_int_equal(decode(back, b.data, &t), 0);
    assert_same_record(r, back);
    free(text);
    marc_buf_free(&b);
    marc_record_free(r);
    marc_record_free(back);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frame_layouts),
        cmocka_unit_test(test_frame_needs_more_and_errors),
        cmocka_unit_test(test_three_layouts_same_records),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_errors_named_with_lines),
        cmocka_unit_test(test_00x_data_field_round_trip),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_content_errors),
        cmocka_unit_test(test_encode_exact_text),
        cmocka_unit_test(test_round_trip_exact),
        cmocka_unit_test(test_encode_refuses_invalid_utf8),
        cmocka_unit_test(test_large_record),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
