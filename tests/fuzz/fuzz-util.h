/*
 * fuzz-util.h - what the fuzz targets share: the libFuzzer entry point's
 * prototype, a failure that names the broken oracle, a decode context whose
 * diagnostic callback checks every diagnostic it is handed, and the
 * round-trip oracles (a record must survive every format it can be written
 * to, byte for byte, as SPEC §4 promises).
 *
 * The targets are built twice: with libFuzzer (clang, -Dfuzz=true) and with
 * replay.c's main() (any compiler, in every `meson test`), so nothing here may
 * depend on libFuzzer.
 */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include "codec.h"
#include "reader.h"
#include "record.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The entry point every target defines (libFuzzer's contract). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Name of the input being replayed, for failure messages (set by replay.c). */
extern const char *fuzz_current_input;

/* Print "fuzz oracle failed: ..." and abort, so that libFuzzer keeps the input. */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#define FUZZ_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fuzz_fail(__VA_ARGS__);                                                                \
    } while (0)

/*
 * A decode context for record 1 at offset 0 (line 1 for text formats), whose
 * callback checks each diagnostic: a known severity and code, a non-empty
 * message, a tag of three characters or none, a location, and that
 * marc_diag_format() can print it.
 */
void fuzz_ctx_init(struct marc_decode_ctx *ctx, bool text, bool recover);
/* The same check as a marc_diag_fn, for readers (ctx is unused). */
void fuzz_diag_check(void *ctx, const struct marc_diag *d);

/* A decoder's return value must agree with what it reported. */
void fuzz_check_result(int rc, const struct marc_decode_ctx *ctx, const char *what);

/* Print r as .mrk to standard error, after a label line. */
void fuzz_dump_record(const char *label, const struct marc_record *r);
/* Print the last error fuzz_diag_check saw since fuzz_ctx_init, if any. */
void fuzz_print_last_error(void);

/* Abort (printing both records as .mrk) unless marc_record_equal(a, b). */
void fuzz_expect_equal(const struct marc_record *a, const struct marc_record *b, const char *what);

/*
 * The round-trip oracle.  For each of ISO 2709, .mrk, MARC-in-JSON and
 * MARCXML: encode r; when the encoder refuses, it must be for a documented
 * reason (ISO 2709 limits, a record that is not UTF-8 or holds characters XML
 * cannot carry); otherwise the text must decode into a record equal to r
 * (ISO 2709: up to leader/10-11 and 20-23, which the encoder writes as "22"
 * and "4500", and the kind of fields that only content can tell), and
 * encoding that record again must give the same bytes.  `clean`: r decoded
 * without errors, so its encoding must decode without errors too; a record
 * recovery made may carry its problem (invalid UTF-8, say) into the next
 * decode, which then recovers too.
 *
 * Records holding what a bug named in $FUZZ_KNOWN trips over are skipped:
 * nul, control-delimiter, indicator, code, ldr-tag, 00x-data.
 */
void fuzz_round_trip(const struct marc_record *r, bool clean);

/*
 * True when `name` is listed in $FUZZ_KNOWN (comma-separated): a known bug,
 * not yet fixed, that a fuzzing campaign asks to look past so that it can
 * find others (README.md lists the names).  The replay test never sets it.
 */
bool fuzz_known(const char *name);

/* Lint r (the record must not change) and check what lint reports. */
void fuzz_lint(const struct marc_record *r);

/*
 * Read data as a file, through marc_reader_open_fd on a memfd, with opts
 * (diag and diag_ctx are the checker's).  Checks what reader.h promises: a
 * strict reader returns no record after an error, a reader that fails says
 * why and stays failed, every call moves forward, and it ends.  Every record
 * it returns must survive all four formats.
 */
void fuzz_read(const uint8_t *data, size_t size, const struct marc_read_opts *opts);

#endif
