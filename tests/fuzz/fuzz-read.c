/*
 * fuzz-read.c - the streaming reader's contract (see fuzz_read in
 * fuzz-util.h), checked over a memfd holding the input.
 */
#include "fuzz-util.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_READ_ROUND_TRIPS 16

struct read_state {
    int errors; /* error diagnostics since the last call to next() */
};

static void
read_diag(void *ctx, const struct marc_diag *d)
{
    struct read_state *s = ctx;
    fuzz_diag_check(NULL, d);
    if (d->severity == MARC_SEV_ERROR)
        s->errors++;
}

/* One memfd per process, refilled for every input. */
static int
input_fd(const uint8_t *data, size_t size)
{
    static int fd = -1;
    if (fd < 0)
        fd = memfd_create("fuzz-input", MFD_CLOEXEC);
    FUZZ_CHECK(fd >= 0, "memfd_create failed");
    FUZZ_CHECK(ftruncate(fd, 0) == 0, "ftruncate failed");
    size_t done = 0;
    while (done < size) {
        ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);
        FUZZ_CHECK(n > 0, "writing the memfd failed");
        done += (size_t)n;
    }
    FUZZ_CHECK(lseek(fd, 0, SEEK_SET) == 0, "lseek failed");
    return fd;
}

static void
check_failed(struct marc_reader *rd, int rc, const struct read_state *s)
{
    FUZZ_CHECK(rc >= MARC_ERR_USAGE, "reader next returned %d", rc);
    const struct marc_diag *e = marc_reader_error(rd);
    FUZZ_CHECK(e != NULL, "the reader failed (%d) without saying why", rc);
    FUZZ_CHECK(e->severity == MARC_SEV_ERROR, "the reader's error has severity %d",
               (int)e->severity);
    FUZZ_CHECK(s->errors > 0, "the reader failed without reporting an error");
    struct marc_record *r = marc_record_new();
    int again = marc_reader_next(rd, r);
    FUZZ_CHECK(again < 0, "a failed reader returned %d", again);
    marc_record_free(r);
}

void
fuzz_read(const uint8_t *data, size_t size, const struct marc_read_opts *opts)
{
    struct read_state s = {0};
    struct marc_read_opts o = *opts;
    o.diag = read_diag;
    o.diag_ctx = &s;
    char *cause = NULL;
    struct marc_reader *rd = marc_reader_open_fd(input_fd(data, size), "fuzz", &o, &cause);
    if (!rd) {
        FUZZ_CHECK(cause && *cause, "the reader did not open and gave no cause");
        FUZZ_CHECK(opts->format == MARC_FMT_UNKNOWN, "a reader for a given format did not open");
        free(cause);
        return;
    }
    FUZZ_CHECK(marc_reader_format(rd) != MARC_FMT_UNKNOWN, "reader of unknown format");
    struct marc_record *r = marc_record_new();
    long last = 0;
    for (size_t calls = 0;; calls++) {
        FUZZ_CHECK(calls <= size + 1, "the reader does not move forward");
        s.errors = 0;
        long long before = marc_reader_position(rd);
        int rc = marc_reader_next(rd, r);
        FUZZ_CHECK(marc_reader_position(rd) >= before, "the reader went backwards");
        FUZZ_CHECK(marc_reader_position(rd) <= (long long)size, "the reader read past the end");
        if (rc < 0) {
            FUZZ_CHECK(rc != MARC_ERR_IO, "I/O error reading a memfd");
            check_failed(rd, rc, &s);
            break;
        }
        if (rc == 0)
            break;
        FUZZ_CHECK(rc == 1, "reader next returned %d", rc);
        FUZZ_CHECK(opts->permissive || opts->lint || s.errors == 0,
                   "a strict reader returned a record after %d errors", s.errors);
        FUZZ_CHECK(marc_reader_record_number(rd) > last, "record numbers do not increase");
        last = marc_reader_record_number(rd);
        FUZZ_CHECK(marc_reader_record_offset(rd) >= 0 &&
                       marc_reader_record_offset(rd) <= (long long)size,
                   "record offset %lld outside the input", marc_reader_record_offset(rd));
        if (opts->to_utf8 && !opts->lint)
            FUZZ_CHECK(marc_record_is_utf8(r), "to_utf8 returned a record not in UTF-8");
        if (opts->lint)
            fuzz_lint(r);
        /* The decoders' own targets round-trip every record; here a few
         * per input keep big inputs fast. */
        if (last <= MAX_READ_ROUND_TRIPS)
            fuzz_round_trip(r, !opts->lint);
    }
    marc_record_free(r);
    marc_reader_close(rd);
}
