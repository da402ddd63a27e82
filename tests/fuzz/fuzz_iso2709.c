/*
 * fuzz_iso2709.c - libFuzzer target: one ISO 2709 record.
 *
 * The input is the framed record (as the reader hands it to the decoder).
 * It is decoded strictly and with recovery; a record that decoded without
 * errors, and every record recovery makes, must then survive all four
 * formats byte for byte (fuzz_round_trip).
 */
#include "fuzz-util.h"

#include "iso2709.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    long declared = marc_iso2709_declared_length(buf, size);
    FUZZ_CHECK(declared >= -1 && declared <= 99999, "declared length %ld", declared);
    if (size >= 24)
        (void)marc_iso2709_plausible_start(buf, size);

    struct marc_record *r = marc_record_new();
    struct marc_decode_ctx ctx;
    for (int recover = 0; recover <= 1; recover++) {
        fuzz_ctx_init(&ctx, false, recover);
        int rc = marc_iso2709_decode(r, buf, size, &ctx);
        fuzz_check_result(rc, &ctx, "ISO 2709 decode");
        fuzz_round_trip(r, rc == MARC_OK);
        if (rc == MARC_OK)
            break; /* recovery would give the same record */
    }
    marc_record_free(r);
    return 0;
}
