/*
 * fuzz_marc8.c - libFuzzer target: MARC-8 to UTF-8 (charset.h's string
 * functions).
 *
 * Whatever the input, the conversion either succeeds with well-formed UTF-8
 * or names a byte inside the input.  What it produced must convert back to
 * MARC-8, that MARC-8 must convert to UTF-8 again, and the text must be the
 * same as the first conversion's (up to canonical equivalence: MARC-8 has
 * one spelling for a letter with a mark, Unicode two).
 */
#include "fuzz-util.h"

#include "buf.h"
#include "charset.h"
#include "utf8.h"

#include <string.h>

/* Bytes of b; never NULL, which memcpy and friends must not be given. */
static const char *
bytes(const struct marc_buf *b)
{
    return b->data ? b->data : "";
}

static bool
same_nfc(const struct marc_buf *a, const struct marc_buf *b)
{
    struct marc_buf na = MARC_BUF_INIT, nb = MARC_BUF_INIT;
    int ra = marc_utf8_normalize(bytes(a), a->len, MARC_NF_NFC, &na, NULL);
    int rb = marc_utf8_normalize(bytes(b), b->len, MARC_NF_NFC, &nb, NULL);
    FUZZ_CHECK(ra == MARC_OK && rb == MARC_OK, "NFC of converted text failed");
    bool same = na.len == nb.len && memcmp(na.data, nb.data, na.len) == 0;
    marc_buf_free(&na);
    marc_buf_free(&nb);
    return same;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    struct marc_buf u = MARC_BUF_INIT, m = MARC_BUF_INIT, u2 = MARC_BUF_INIT;
    size_t bad = (size_t)-1;
    int rc = marc_marc8_to_utf8(in, size, &u, &bad);
    FUZZ_CHECK(rc == MARC_OK || rc == MARC_ERR_CHARSET, "MARC-8 to UTF-8 returned %d", rc);
    if (rc != MARC_OK) {
        FUZZ_CHECK(bad < size, "bad MARC-8 at byte %zu of %zu", bad, size);
        goto out;
    }
    size_t where;
    FUZZ_CHECK(marc_utf8_valid(bytes(&u), u.len, &where),
               "MARC-8 to UTF-8 produced invalid UTF-8 at byte %zu", where);
    rc = marc_utf8_to_marc8(bytes(&u), u.len, &m, &bad);
    FUZZ_CHECK(rc == MARC_OK, "converting back to MARC-8 failed (%d) at byte %zu", rc, bad);
    rc = marc_marc8_to_utf8(bytes(&m), m.len, &u2, &bad);
    FUZZ_CHECK(rc == MARC_OK || fuzz_known("marks-limit"),
               "MARC-8 written by utf8_to_marc8 does not convert (%d, byte %zu)", rc, bad);
    FUZZ_CHECK(rc != MARC_OK || same_nfc(&u, &u2) || fuzz_known("marc8-marks"),
               "MARC-8 -> UTF-8 -> MARC-8 -> UTF-8 changed the text");
out:
    marc_buf_free(&u);
    marc_buf_free(&m);
    marc_buf_free(&u2);
    return 0;
}
