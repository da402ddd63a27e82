/*
 * fuzz_marcxml_reader.c - libFuzzer target: the streaming MARCXML reader
 * (SAX push parser with recovery) through marc_reader_open_fd, strict,
 * permissive and lint.
 *
 * The input is a whole file; fuzz_read says what is checked.
 */
#include "fuzz-util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct marc_read_opts strict = {.format = MARC_FMT_MARCXML};
    struct marc_read_opts permissive = {.format = MARC_FMT_MARCXML, .permissive = true};
    struct marc_read_opts lint = {.format = MARC_FMT_MARCXML, .lint = true};
    fuzz_read(data, size, &strict);
    fuzz_read(data, size, &permissive);
    fuzz_read(data, size, &lint);
    return 0;
}
