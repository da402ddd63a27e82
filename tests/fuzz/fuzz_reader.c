/*
 * fuzz_reader.c - libFuzzer target: the streaming reader over arbitrary
 * bytes, the format detected from the content as `colophon convert` and
 * `colophon lint` do.
 *
 * Each input is read three times: strict; permissive with conversion to
 * UTF-8 and NFC; lint with conversion to UTF-8 (fuzz_read says what is
 * checked).  Records lint mode returns are linted too.
 */
#include "fuzz-util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct marc_read_opts strict = {.format = MARC_FMT_UNKNOWN};
    struct marc_read_opts permissive = {
        .format = MARC_FMT_UNKNOWN, .permissive = true, .to_utf8 = true, .normalize = MARC_NF_NFC};
    struct marc_read_opts lint = {.format = MARC_FMT_UNKNOWN, .lint = true, .to_utf8 = true};
    fuzz_read(data, size, &strict);
    fuzz_read(data, size, &permissive);
    fuzz_read(data, size, &lint);
    return 0;
}
