/*
 * test_reader.c - the streaming reader: framing, padding, the three modes,
 * format detection, buffer refills, and charset steps.
 */
#include "testutil.h"

#include "buf.h"
#include "diff.h"
#include "iso2709.h"
#include "reader.h"
#include "record.h"
#include "writer.h"

#include <fcntl.h>
#include <unistd.h>

static struct marc_record *
make(int n)
{
    struct marc_record *r = marc_record_new();
    char id[16];
    snprintf(id, sizeof id, "rec%05d", n);
    marc_record_add_control(r, "001", id, strlen(id));
    long i = marc_record_add_data(r, "245", '0', '0');
    marc_record_append_subfield(r, (size_t)i, 'a', "Title with \xc3\xa9", 13);
    i = marc_record_add_data(r, "500", ' ', ' ');
    char note[200];
    int len = snprintf(note, sizeof note, "Note %d %.*s", n, n % 150, "....................................................................................................................................................................");
    marc_record_append_subfield(r, (size_t)i, 'a', note, (size_t)len);
    return r;
}

/* Write records 1..n as ISO 2709 to path, with `pad` between records. */
static void
write_file(const char *path, int n, const char *pad)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    struct marc_buf b = MARC_BUF_INIT;
    for (int k = 1; k <= n; k++) {
        struct marc_record *r = make(k);
        marc_buf_reset(&b);
        assert_int_equal(marc_iso2709_encode(r, &b, NULL), 0);
        fwrite(b.data, 1, b.len, fp);
        if (pad)
            fputs(pad, fp);
        marc_record_free(r);
    }
    marc_buf_free(&b);
    fclose(fp);
}

static char tmpdir[64];

static int
setup(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/colophon-test-reader-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    return 0;
}

static int
teardown(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *
tmp(const char *name)
{
    static char p[2][128];
    static int k;
    k ^= 1;
    snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
    return p[k];
}

static int
read_all(const char *path, struct marc_read_opts *o, struct test_diags *t, long *count)
{
    o->diag = test_diags_collect;
    o->diag_ctx = t;
    struct marc_reader *rd = marc_reader_open(path, o, NULL);
    assert_non_null(rd);
    struct marc_record *r = marc_record_new();
    int rc;
    *count = 0;
    while ((rc = marc_reader_next(rd, r)) == 1)
        (*count)++;
    marc_record_free(r);
    marc_reader_close(rd);
    return rc;
}

static void
test_many_records_across_refills(void **state)
{
    const char *path = tmp("many.mrc");
    write_file(path, 20000, NULL); /* several megabytes: many buffer refills */
    struct marc_read_opts o = {0};
    struct test_diags t = {0};
    struct marc_reader *rd = marc_reader_open(path, &o, NULL);
    assert_non_null(rd);
    assert_int_equal(marc_reader_format(rd), MARC_FMT_ISO2709);
    struct marc_record *r = marc_record_new();
    long n = 0;
    long long expect_off = 0;
    struct marc_buf b = MARC_BUF_INIT;
    while (marc_reader_next(rd, r) == 1) {
        n++;
        assert_int_equal(marc_reader_record_number(rd), n);
        assert_int_equal(marc_reader_record_offset(rd), expect_off);
        struct marc_record *want = make((int)n);
        assert_true(marc_record_equal(r, want));
        marc_buf_reset(&b);
        marc_iso2709_encode(want, &b, NULL);
        expect_off += (long long)b.len;
        marc_record_free(want);
    }
    assert_int_equal(n, 20000);
    assert_int_equal(marc_reader_position(rd), marc_reader_size(rd));
    assert_int_equal(t.n, 0);
    marc_buf_free(&b);
    marc_record_free(r);
    marc_reader_close(rd);
}

static void
test_padding_is_not_an_error(void **state)
{
    const char *path = tmp("pad.mrc");
    write_file(path, 5, "\r\n\x1a\x1d ");
    struct marc_read_opts o = {0};
    struct test_diags t = {0};
    long n;
    assert_int_equal(read_all(path, &o, &t, &n), 0);
    assert_int_equal(n, 5);
    assert_int_equal(t.errors, 0);
    assert_int_equal(t.warnings, 0);
    assert_non_null(test_diags_find(&t, "padding"));
}

static void
test_truncated_strict_and_permissive(void **state)
{
    const char *path = tmp("trunc.mrc");
    write_file(path, 3, NULL);
    FILE *fp = fopen(path, "r+b");
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    fclose(fp);
    assert_int_equal(truncate(path, size - 10), 0);
    struct marc_read_opts o = {0};
    struct test_diags t = {0};
    long n;
    struct marc_reader *rd = marc_reader_open(path, &o, NULL);
    struct marc_record *r = marc_record_new();
    assert_int_equal(marc_reader_next(rd, r), 1);
    assert_int_equal(marc_reader_next(rd, r), 1);
    assert_int_equal(marc_reader_next(rd, r), MARC_ERR_FORMAT);
    const struct marc_diag *e = marc_reader_error(rd);
    assert_non_null(e);
    assert_string_equal(e->code, "truncated");
    assert_int_equal(e->record, 3);
    assert_true(e->offset > 0);
    assert_int_equal(marc_reader_next(rd, r), MARC_ERR_FORMAT); /* stays failed */
    marc_record_free(r);
    marc_reader_close(rd);

    o.permissive = true;
    memset(&t, 0, sizeof t);
    assert_int_equal(read_all(path, &o, &t, &n), 0);
    assert_int_equal(n, 2);
    assert_non_null(test_diags_find(&t, "truncated"));
}

static void
test_wrong_length_resyncs_on_terminator(void **state)
{
    const char *path = tmp("len.mrc");
    write_file(path, 4, NULL);
    /* Record 2 claims to be 10 bytes shorter than it is. */
    size_t len;
    char *d = test_read_file(path, &len);
    long first = marc_iso2709_declared_length(d, len);
    long second = marc_iso2709_declared_length(d + first, len - (size_t)first);
    char digits[24];
    snprintf(digits, sizeof digits, "%05ld", second - 10);
    memcpy(d + first, digits, 5);
    FILE *fp = fopen(path, "wb");
    fwrite(d, 1, len, fp);
    fclose(fp);
    free(d);

    struct marc_read_opts o = {0};
    struct test_diags t = {0};
    long n;
    assert_true(read_all(path, &o, &t, &n) < 0);
    assert_int_equal(n, 1);
    const struct marc_diag *e = test_diags_find(&t, "leader-length");
    assert_non_null(e);
    assert_int_equal(e->record, 2);
    assert_int_equal(e->offset, first);

    o.permissive = true;
    memset(&t, 0, sizeof t);
    assert_int_equal(read_all(path, &o, &t, &n), 0);
    assert_int_equal(n, 3); /* records 1, 3, 4: the next record was found intact */
}

static void
test_junk_between_records(void **state)
{
    const char *path = tmp("junk.mrc");
    write_file(path, 3, "GARBAGE!");
    struct marc_read_opts o = {0};
    struct test_diags t = {0};
    long n;
    assert_true(read_all(path, &o, &t, &n) < 0);
    assert_int_equal(n, 1);
    assert_non_null(test_diags_find(&t, "junk"));
    o.permissive = true;
    memset(&t, 0, sizeof t);
    assert_int_equal(read_all(path, &o, &t, &n), 0);
    assert_int_equal(n, 3);
}

static void
test_lint_mode_returns_damaged_records(void **state)
{
    const char *path = tmp("lint.mrc");
    write_file(path, 3, NULL);
    size_t len;
    char *d = test_read_file(path, &len);
    d[24] = '#'; /* first directory tag of record 1 */
    FILE *fp = fopen(path, "wb");
    fwrite(d, 1, len, fp);
    fclose(fp);
    free(d);
    struct marc_read_opts o = {.lint = true};
    struct test_diags t = {0};
    long n;
    assert_int_equal(read_all(path, &o, &t, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(t.errors, 1);
}

static void
test_detects_formats(void **state)
{
    struct marc_record *r = make(1);
    static const enum marc_format fmts[] = {MARC_FMT_ISO2709, MARC_FMT_MARCXML, MARC_FMT_MRK,
                                            MARC_FMT_JSON};
    for (size_t k = 0; k < 4; k++) {
        const char *path = tmp("detect.bin"); /* no telling extension */
        FILE *fp = fopen(path, "wb");
        struct marc_write_opts wo = {.format = fmts[k]};
        struct marc_writer *w = marc_writer_new(fp, &wo, NULL);
        struct marc_decode_ctx ctx = {.record = 1};
        assert_int_equal(marc_writer_write(w, r, &ctx), 0);
        assert_int_equal(marc_writer_finish(w), 0);
        marc_writer_free(w);
        fclose(fp);
        struct marc_read_opts o = {0};
        struct marc_reader *rd = marc_reader_open(path, &o, NULL);
        assert_non_null(rd);
        assert_int_equal(marc_reader_format(rd), fmts[k]);
        struct marc_record *back = marc_record_new();
        assert_int_equal(marc_reader_next(rd, back), 1);
        assert_true(marc_record_equal(r, back));
        assert_int_equal(marc_reader_next(rd, back), 0);
        marc_record_free(back);
        marc_reader_close(rd);
    }
    marc_record_free(r);
    /* Unknown content is refused with a hint. */
    const char *path = tmp("unknown.bin");
    FILE *fp = fopen(path, "wb");
    fputs("hello, world\n", fp);
    fclose(fp);
    struct marc_read_opts o = {0};
    char *cause = NULL;
    assert_null(marc_reader_open(path, &o, &cause));
    assert_non_null(strstr(cause, "--from"));
    free(cause);
    assert_null(marc_reader_open(tmp("missing.mrc"), &o, &cause));
    assert_non_null(strstr(cause, "missing.mrc"));
    free(cause);
}

static void
test_reads_from_a_pipe(void **state)
{
    const char *path = tmp("pipe.mrc");
    write_file(path, 300, NULL);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        size_t len;
        char *d = test_read_file(path, &len);
        for (size_t off = 0; off < len; off += 777) /* dribble */
            if (write(fds[1], d + off, len - off < 777 ? len - off : 777) < 0)
                _exit(1);
        _exit(0);
    }
    close(fds[1]);
    struct marc_read_opts o = {0};
    struct marc_reader *rd = marc_reader_open_fd(fds[0], "<pipe>", &o, NULL);
    assert_non_null(rd);
    assert_int_equal(marc_reader_size(rd), -1);
    struct marc_record *r = marc_record_new();
    long n = 0;
    while (marc_reader_next(rd, r) == 1)
        n++;
    assert_int_equal(n, 300);
    marc_record_free(r);
    marc_reader_close(rd);
    close(fds[0]);
}

static void
test_marc8_converted_on_request(void **state)
{
    char cmd[512];
    const char *path = tmp("loc.mrc");
    snprintf(cmd, sizeof cmd, "zcat %s/marc21/sample-marc.gz > %s", LOC_EXAMPLES_DIR, path);
    assert_int_equal(system(cmd), 0);
    struct marc_read_opts o = {.to_utf8 = true, .normalize = MARC_NF_NFC};
    struct test_diags t = {0};
    o.diag = test_diags_collect;
    o.diag_ctx = &t;
    struct marc_reader *rd = marc_reader_open(path, &o, NULL);
    struct marc_record *r = marc_record_new();
    long n = 0;
    int rc;
    while ((rc = marc_reader_next(rd, r)) == 1) {
        n++;
        assert_true(marc_record_is_utf8(r));
    }
    if (rc != 0)
        test_diags_dump(&t);
    assert_int_equal(rc, 0);
    assert_int_equal(n, 24);
    marc_record_free(r);
    marc_reader_close(rd);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_records_across_refills),
        cmocka_unit_test(test_padding_is_not_an_error),
        cmocka_unit_test(test_truncated_strict_and_permissive),
        cmocka_unit_test(test_wrong_length_resyncs_on_terminator),
        cmocka_unit_test(test_junk_between_records),
        cmocka_unit_test(test_lint_mode_returns_damaged_records),
        cmocka_unit_test(test_detects_formats),
        cmocka_unit_test(test_reads_from_a_pipe),
        cmocka_unit_test(test_marc8_converted_on_request),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, teardown);
}
