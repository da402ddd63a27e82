/*
 * fuzz_utf8.c - libFuzzer target: UTF-8 to MARC-8 and back, and Unicode
 * normalisation (charset.h's string functions).
 *
 * UTF-8 to MARC-8 succeeds exactly when the input is well-formed UTF-8 and
 * otherwise names the byte marc_utf8_valid names.  The MARC-8 it writes must
 * convert back to UTF-8, and converting that to MARC-8 again must give the
 * same bytes (what MARC-8 cannot hold is lost once, not again).  NFC and NFD
 * succeed on the same inputs, and NFC(NFD(x)) = NFC(NFC(x)) = NFC(x).
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
buf_equal(const struct marc_buf *a, const struct marc_buf *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static void
check_marc8(const char *in, size_t size, bool valid, size_t vbad)
{
    struct marc_buf m = MARC_BUF_INIT, u = MARC_BUF_INIT, m2 = MARC_BUF_INIT;
    size_t bad = (size_t)-1;
    int rc = marc_utf8_to_marc8(in, size, &m, &bad);
    FUZZ_CHECK(rc == (valid ? MARC_OK : MARC_ERR_CHARSET),
               "UTF-8 to MARC-8 returned %d for %s UTF-8", rc, valid ? "valid" : "invalid");
    if (!valid) {
        FUZZ_CHECK(bad == vbad, "UTF-8 to MARC-8 names byte %zu, the bad sequence is at %zu", bad,
                   vbad);
        goto out;
    }
    rc = marc_marc8_to_utf8(bytes(&m), m.len, &u, &bad);
    if (rc != MARC_OK && fuzz_known("marks-limit"))
        goto out;
    FUZZ_CHECK(rc == MARC_OK, "MARC-8 written by utf8_to_marc8 does not convert (%d, byte %zu)", rc,
               bad);
    FUZZ_CHECK(marc_utf8_valid(bytes(&u), u.len, NULL), "MARC-8 to UTF-8 produced invalid UTF-8");
    rc = marc_utf8_to_marc8(bytes(&u), u.len, &m2, &bad);
    FUZZ_CHECK(rc == MARC_OK, "UTF-8 to MARC-8 of converted text failed (%d)", rc);
    FUZZ_CHECK(buf_equal(&m, &m2), "UTF-8 -> MARC-8 is not stable over a round trip");
out:
    marc_buf_free(&m);
    marc_buf_free(&u);
    marc_buf_free(&m2);
}

static void
normalize(const char *in, size_t len, enum marc_normal_form nf, struct marc_buf *out)
{
    size_t bad;
    int rc = marc_utf8_normalize(in, len, nf, out, &bad);
    FUZZ_CHECK(rc == MARC_OK, "normalising valid UTF-8 failed (%d)", rc);
    FUZZ_CHECK(marc_utf8_valid(bytes(out), out->len, NULL), "normalising gave invalid UTF-8");
}

static void
check_normalize(const char *in, size_t size, bool valid)
{
    struct marc_buf nfc = MARC_BUF_INIT, nfd = MARC_BUF_INIT, x = MARC_BUF_INIT;
    size_t bad;
    int rc = marc_utf8_normalize(in, size, MARC_NF_NFC, &nfc, &bad);
    FUZZ_CHECK(rc == (valid ? MARC_OK : MARC_ERR_CHARSET), "NFC returned %d for %s UTF-8", rc,
               valid ? "valid" : "invalid");
    if (!valid)
        goto out;
    normalize(in, size, MARC_NF_NFD, &nfd);
    normalize(bytes(&nfd), nfd.len, MARC_NF_NFC, &x);
    FUZZ_CHECK(buf_equal(&x, &nfc), "NFC(NFD(x)) != NFC(x)");
    marc_buf_reset(&x);
    normalize(bytes(&nfc), nfc.len, MARC_NF_NFC, &x);
    FUZZ_CHECK(buf_equal(&x, &nfc), "NFC is not idempotent");
out:
    marc_buf_free(&nfc);
    marc_buf_free(&nfd);
    marc_buf_free(&x);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    size_t vbad = 0;
    bool valid = marc_utf8_valid(in, size, &vbad);
    check_marc8(in, size, valid, vbad);
    check_normalize(in, size, valid);
    return 0;
}
