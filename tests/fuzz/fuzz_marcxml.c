/*
 * fuzz_marcxml.c - libFuzzer target: marc_marcxml_decode, the one-record
 * MARCXML decoder used for records arriving over Z39.50 and SRU.
 *
 * Strict and recovering decodes must agree with what they report; a record
 * decoded without errors, and every record recovery makes, must survive all
 * four formats byte for byte.
 */
#include "fuzz-util.h"

#include "marcxml.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct marc_record *r = marc_record_new();
    struct marc_decode_ctx ctx;
    for (int recover = 0; recover <= 1; recover++) {
        fuzz_ctx_init(&ctx, true, recover);
        int rc = marc_marcxml_decode(r, (const char *)data, size, &ctx);
        fuzz_check_result(rc, &ctx, "MARCXML decode");
        fuzz_round_trip(r, rc == MARC_OK);
        if (rc == MARC_OK)
            break;
    }
    marc_record_free(r);
    return 0;
}
