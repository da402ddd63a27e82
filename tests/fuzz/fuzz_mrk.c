/*
 * fuzz_mrk.c - libFuzzer target: MarcEdit mnemonic text (.mrk).
 *
 * The input is a whole file: it is framed as the reader frames it, each
 * record decoded strictly and with recovery, and every record must survive
 * all four formats byte for byte.  The framer must also give the same first
 * record when it sees only part of the input (streaming).
 */
#include "fuzz-util.h"

#include "mrk.h"

#include <string.h>

#define MAX_RECORDS 200
/* Records per input that get the (slow) round trip; the rest are decoded. */
#define MAX_ROUND_TRIPS 16

/* A framer that saw less input must either ask for more or agree. */
static void
check_prefix_frame(const char *buf, size_t avail, size_t skip, size_t len)
{
    size_t cuts[3] = {avail / 2, skip + len / 2, skip + len};
    for (int i = 0; i < 3; i++) {
        if (cuts[i] >= avail)
            continue;
        size_t s, l;
        int rc = marc_mrk_frame(buf, cuts[i], false, &s, &l);
        FUZZ_CHECK(rc == 0 || (rc == 1 && s == skip && l == len),
                   ".mrk frame of the first %zu bytes gave %d (%zu+%zu), the whole input %zu+%zu",
                   cuts[i], rc, s, l, skip, len);
    }
}

static void
decode_one(struct marc_record *r, const char *text, size_t len, long line, bool round_trip)
{
    struct marc_decode_ctx ctx;
    for (int recover = 0; recover <= 1; recover++) {
        fuzz_ctx_init(&ctx, true, recover);
        ctx.line = line;
        int rc = marc_mrk_decode(r, text, len, &ctx);
        fuzz_check_result(rc, &ctx, ".mrk decode");
        if (round_trip)
            fuzz_round_trip(r, rc == MARC_OK);
        if (rc == MARC_OK)
            break;
    }
}

static long
count_lines(const char *p, size_t n)
{
    long lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += p[i] == '\n';
    return lines;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    struct marc_record *r = marc_record_new();
    size_t pos = 0;
    long line = 1;
    for (int n = 0; n < MAX_RECORDS; n++) {
        size_t skip = 0, len = 0;
        int rc = marc_mrk_frame(buf + pos, size - pos, true, &skip, &len);
        FUZZ_CHECK(rc == 0 || rc == 1, ".mrk frame returned %d", rc);
        FUZZ_CHECK(skip <= size - pos && len <= size - pos - skip, ".mrk frame out of bounds");
        if (rc == 0) {
            FUZZ_CHECK(skip == size - pos, ".mrk frame at eof left %zu bytes", size - pos - skip);
            break;
        }
        FUZZ_CHECK(len > 0, ".mrk frame of an empty record");
        if (n == 0)
            check_prefix_frame(buf + pos, size - pos, skip, len);
        line += count_lines(buf + pos, skip);
        decode_one(r, buf + pos + skip, len, line, n < MAX_ROUND_TRIPS);
        line += count_lines(buf + pos + skip, len);
        pos += skip + len;
    }
    marc_record_free(r);
    return 0;
}
