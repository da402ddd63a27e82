/*
 * test_z3950.c - the parts of the Z39.50 client and server that need no
 * peer: a record as a target sends it decoded (core_z3950_decode: MARC-8
 * and UTF-8 ISO 2709, MARCXML, and every kind of malformed record a server
 * may send), the query language translated for a target (PQF with Bib-1
 * attributes, CQL, the map.INDEX options), and the server's translations
 * of PQF and CQL back into the query language with their diagnostics.
 * The same code against real peers: tests/cli/test_z3950_*.sh.
 */
#include "testutil.h"

#include "serve.h"
#include "targets.h"
#include "z3950.h"

#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- ISO 2709 built by hand: one record with the given fields ---- */

struct field {
    const char *tag;
    const char *data; /* indicators and subfields (with \x1f), or a control value */
};

/* Into buf (size bytes); returns the length.  leader09 is ' ' (MARC-8) or 'a'. */
static size_t
iso2709(char *buf, size_t size, char leader09, const struct field *f, size_t n)
{
    char dir[1024] = "", data[4096] = "";
    size_t dlen = 0, off = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(f[i].data) + 1;
        dlen += (size_t)snprintf(dir + dlen, sizeof dir - dlen, "%s%04zu%05zu", f[i].tag, len, off);
        off += (size_t)snprintf(data + off, sizeof data - off, "%s\x1e", f[i].data);
    }
    size_t base = 24 + dlen + 1;
    size_t total = base + off + 1;
    assert_true(total < size);
    int k = snprintf(buf, size, "%05zunam %c22%05zu a 4500%s\x1e%s\x1d", total, leader09, base, dir,
                     data);
    assert_int_equal((size_t)k, total);
    return total;
}

static const struct field cafe[] = {
    {"001", "x1"},
    {"245", "10\x1f" "aCaf\xE2" "e \xA1\xE2od\xE2z /\x1f" "cDvo\xE9rak."}, /* MARC-8: Café Łódź, Dvořak */
};

static void
test_decode_marc8(void **state)
{
    (void)state;
    char buf[2048];
    size_t len = iso2709(buf, sizeof buf, ' ', cafe, 2);
    struct marc_record *r = marc_record_new();
    char *err = NULL;
    if (core_z3950_decode(buf, len, "auto", "record 1 from loc", r, &err) != CORE_OK)
        fail_msg("%s", err);
    assert_true(marc_record_is_utf8(r));
    size_t vlen;
    const char *v = marc_record_value(r, "245", 'a', &vlen);
    assert_non_null(v);
    /* NFC: é and ź precomposed, Ł the ANSEL special */
    assert_memory_equal(v, "Caf\xC3\xA9 \xC5\x81\xC3\xB3" "d\xC5\xBA /", vlen);
    marc_record_free(r);
}

static void
test_decode_charset_option(void **state)
{
    (void)state;
    /* A UTF-8 record whose leader/09 wrongly says MARC-8: charset=utf-8 reads it right. */
    static const struct field utf8[] = {{"245", "10\x1f" "aCaf\xC3\xA9."}};
    char buf[1024];
    size_t len = iso2709(buf, sizeof buf, ' ', utf8, 1);
    struct marc_record *r = marc_record_new();
    char *err = NULL;
    assert_int_equal(core_z3950_decode(buf, len, "utf-8", "record 1 from t", r, &err), CORE_OK);
    size_t vlen;
    const char *v = marc_record_value(r, "245", 'a', &vlen);
    assert_memory_equal(v, "Caf\xC3\xA9.", vlen);
    assert_true(marc_record_is_utf8(r));
    marc_record_free(r);
}

static void
test_decode_marcxml(void **state)
{
    (void)state;
    static const char xml[] =
        "<?xml version=\"1.0\"?>\n<record xmlns=\"http://www.loc.gov/MARC21/slim\">"
        "<leader>00000nam  2200000 a 4500</leader>"
        "<controlfield tag=\"001\">x2</controlfield>"
        "<datafield tag=\"245\" ind1=\"0\" ind2=\"0\"><subfield code=\"a\">Cafe\xCC\x81</subfield>"
        "</datafield></record>";
    struct marc_record *r = marc_record_new();
    char *err = NULL;
    assert_int_equal(core_z3950_decode(xml, strlen(xml), "auto", "record 2 from sru", r, &err),
                     CORE_OK);
    assert_true(marc_record_is_utf8(r)); /* MARCXML is Unicode: leader/09 set */
    size_t vlen;
    const char *v = marc_record_value(r, "245", 'a', &vlen);
    assert_memory_equal(v, "Caf\xC3\xA9", vlen); /* e + combining acute composed */
    marc_record_free(r);
}

/* A malformed record: CORE_ERR_INVALID, "WHAT is malformed: ..." holding `detail`. */
static void
malformed(const char *data, size_t len, const char *detail)
{
    struct marc_record *r = marc_record_new();
    char *err = NULL;
    int rc = core_z3950_decode(data, len, "auto", "record 3 from loc", r, &err);
    assert_int_equal(rc, CORE_ERR_INVALID);
    assert_non_null(err);
    if (strncmp(err, "record 3 from loc is malformed: ", 32) != 0 ||
        (detail && !strstr(err, detail)))
        fail_msg("message '%s' (wanted one with '%s')", err, detail ? detail : "");
    free(err);
    marc_record_free(r);
}

static void
test_decode_malformed(void **state)
{
    (void)state;
    char buf[2048];
    size_t len = iso2709(buf, sizeof buf, ' ', cafe, 2);
    malformed("", 0, "empty");
    malformed(buf, 20, "shorter than a MARC leader");
    /* cut short: the leader's length says more than came */
    malformed(buf, len - 10, NULL);
    /* a directory entry that is not digits */
    char bad[2048];
    memcpy(bad, buf, len);
    memcpy(bad + 24 + 3, "xxxx", 4);
    malformed(bad, len, NULL);
    /* a record length that is not a number */
    memcpy(bad, buf, len);
    memcpy(bad, "abcde", 5);
    malformed(bad, len, NULL);
    /* a directory pointing past the end */
    memcpy(bad, buf, len);
    memcpy(bad + 24 + 7, "99999", 5);
    malformed(bad, len, NULL);
    /* binary noise */
    static const char noise[64] = "\x01\x02\x03\xff\xfe garbage that is no record at all .....";
    malformed(noise, sizeof noise, NULL);
    /* XML that is not well-formed, and XML that is not MARC */
    static const char broken[] = "<record xmlns=\"http://www.loc.gov/MARC21/slim\"><leader>";
    malformed(broken, strlen(broken), NULL);
    static const char dc[] = "<dc:title xmlns:dc=\"http://purl.org/dc/elements/1.1/\">x</dc:title>";
    malformed(dc, strlen(dc), NULL);
    /* the same record, well-formed, still decodes: the damage above was the only problem */
    struct marc_record *r = marc_record_new();
    char *err = NULL;
    if (core_z3950_decode(buf, len, "auto", "record 1 from loc", r, &err) != CORE_OK)
        fail_msg("%s", err);
    marc_record_free(r);
}

/* ---- translating the query for a target ---- */

static void
target(struct core_target *t, const char *address, const char *opt_key, const char *opt_value)
{
    core_target_init(t);
    snprintf(t->name, sizeof t->name, "loc");
    char *err = NULL;
    assert_int_equal(core_target_set_address(t, address, &err), CORE_OK);
    if (opt_key)
        assert_int_equal(core_target_set_option(t, opt_key, opt_value, &err), CORE_OK);
}

static void
sent(const struct core_target *t, const char *query, const char *want)
{
    char *out = NULL, *err = NULL;
    int rc = core_z3950_translate(t, query, &out, &err);
    if (rc != CORE_OK)
        fail_msg("'%s': %s", query, err ? err : "?");
    assert_string_equal(out, want);
    free(out);
}

static void
refused(const struct core_target *t, const char *query, const char *detail)
{
    char *out = NULL, *err = NULL;
    assert_int_equal(core_z3950_translate(t, query, &out, &err), CORE_ERR_USER);
    assert_null(out);
    assert_non_null(err);
    if (!strstr(err, detail))
        fail_msg("'%s': message '%s' (wanted '%s')", query, err, detail);
    free(err);
}

static void
test_translate_pqf(void **state)
{
    (void)state;
    struct core_target t;
    target(&t, "lx2.loc.gov:210/LCDB", NULL, NULL);
    sent(&t, "title=computer", "@attr 1=4 \"computer\"");
    sent(&t, "author=collins", "@attr 1=1003 \"collins\"");
    sent(&t, "isbn=0-8391-0882-6", "@attr 1=7 \"0839108826\"");
    sent(&t, "issn=1064-3923", "@attr 1=8 \"1064-3923\"");
    sent(&t, "mms=ACD-3792", "@attr 1=12 \"ACD-3792\"");
    sent(&t, "oclc=(OCoLC)ocm00012345", "@attr 1=1211 \"12345\"");
    sent(&t, "subject=periodicals", "@attr 1=21 \"periodicals\"");
    sent(&t, "computer", "@attr 1=1016 \"computer\"");
    sent(&t, "title=\"how to program\"", "@attr 1=4 @attr 4=1 \"how to program\"");
    sent(&t, "title=comput*", "@attr 1=4 @attr 5=1 \"comput\"");
    sent(&t, "a AND b", "@and @attr 1=1016 \"a\" @attr 1=1016 \"b\"");
    sent(&t, "(a OR b) NOT c", "@not @or @attr 1=1016 \"a\" @attr 1=1016 \"b\" @attr 1=1016 \"c\"");
    sent(&t, "title=\"say \\\"hi\\\"\"", "@attr 1=4 @attr 4=1 \"say \\\"hi\\\"\"");
    refused(&t, "NOT computer", "cannot start with NOT");
    refused(&t, "barcode=123", "barcode is an index of the repository");
    refused(&t, "oclc=abc", "'abc' is not an OCLC number");
    refused(&t, "title=(x", "column");
    /* map options */
    target(&t, "zcat.oclc.org:210/OLUCWorldCat", "map.oclc", "1=1211,4=1");
    sent(&t, "oclc=123", "@attr 1=1211 @attr 4=1 \"123\"");
    target(&t, "lx2.loc.gov:210/LCDB", "map.oclc", "none");
    refused(&t, "oclc=123", "loc has no oclc index (its map.oclc is none)");
    target(&t, "lx2.loc.gov:210/LCDB", "map.title", "1=4,4=1");
    sent(&t, "title=\"how to\"", "@attr 1=4 @attr 4=1 \"how to\""); /* no second 4= */
}

static void
test_translate_cql(void **state)
{
    (void)state;
    struct core_target t;
    target(&t, "https://example.org/sru", NULL, NULL);
    assert_int_equal(t.proto, CORE_TARGET_SRU);
    sent(&t, "title=computer", "dc.title=\"computer\"");
    sent(&t, "isbn=0839108826", "bath.isbn=\"0839108826\"");
    sent(&t, "mms=991234", "rec.id=\"991234\"");
    sent(&t, "title=comput*", "dc.title=\"comput*\"");
    sent(&t, "title=\"a*b\"", "dc.title=\"a\\*b\"");
    sent(&t, "a AND b", "(cql.serverChoice=\"a\") and (cql.serverChoice=\"b\")");
    sent(&t, "NOT a", "(cql.allRecords=1) not (cql.serverChoice=\"a\")");
    target(&t, "https://example.org/sru", "map.isbn", "alma.isbn");
    sent(&t, "isbn=0839108826", "alma.isbn=\"0839108826\"");
}

/* ---- the server's side: PQF and CQL into the query language ---- */

static void
served(int (*fn)(const char *, char **, int *, char **), const char *in, const char *want)
{
    char *q = NULL, *add = NULL;
    int diag = 0;
    int rc = fn(in, &q, &diag, &add);
    if (rc != CORE_OK)
        fail_msg("'%s': diagnostic %d (%s)", in, diag, add ? add : "");
    assert_string_equal(q, want);
    free(q);
    free(add);
}

static void
diagnosed(int (*fn)(const char *, char **, int *, char **), const char *in, int want)
{
    char *q = NULL, *add = NULL;
    int diag = 0;
    assert_int_equal(fn(in, &q, &diag, &add), CORE_ERR_USER);
    assert_null(q);
    if (diag != want)
        fail_msg("'%s': diagnostic %d (%s), wanted %d", in, diag, add ? add : "", want);
    free(add);
}

static void
test_serve_pqf(void **state)
{
    (void)state;
    served(core_serve_pqf_query, "@attr 1=4 computer", "title=\"computer\"");
    served(core_serve_pqf_query, "@attr 1=1211 26273275", "oclc=\"26273275\"");
    served(core_serve_pqf_query, "@attr 1=4 @attr 4=1 \"how to\"", "title=\"how to\"");
    served(core_serve_pqf_query, "@attr 1=4 @attr 5=1 comp", "title=\"comp\"*");
    served(core_serve_pqf_query, "@and @attr 1=4 a @attr 1=1003 b",
           "(title=\"a\") AND (author=\"b\")");
    diagnosed(core_serve_pqf_query, "@attr 1=9999 x", 114);
    diagnosed(core_serve_pqf_query, "@attr 2=5 @attr 1=4 x", 117);
    diagnosed(core_serve_pqf_query, "@attr 4=104 @attr 1=4 x", 118);
    diagnosed(core_serve_pqf_query, "@attr 5=2 @attr 1=4 x", 120);
    diagnosed(core_serve_pqf_query, "@attr 1=7 notanisbn", 126);
    diagnosed(core_serve_pqf_query, "@attr 1=7 @attr 5=1 0839", 120);
    /* a deep tree is refused, not recursed into */
    char deep[4096] = "";
    for (int i = 0; i < 200; i++)
        strcat(deep, "@and a ");
    strcat(deep, "b");
    char *q = NULL, *add = NULL;
    int diag = 0;
    assert_int_equal(core_serve_pqf_query(deep, &q, &diag, &add), CORE_ERR_USER);
    assert_true(diag != 0);
    free(add);
}

static void
test_serve_cql(void **state)
{
    (void)state;
    served(core_serve_cql_query, "dc.title=computer", "title=\"computer\"");
    served(core_serve_cql_query, "bath.isbn=0839108826", "isbn=\"0839108826\"");
    served(core_serve_cql_query, "rec.id=991000000141234", "mms=\"991000000141234\"");
    served(core_serve_cql_query, "oclc=26273275", "oclc=\"26273275\"");
    diagnosed(core_serve_cql_query, "foo.bar=x", 114);
    diagnosed(core_serve_cql_query, "dc.title > x", 117);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_marc8),   cmocka_unit_test(test_decode_charset_option),
        cmocka_unit_test(test_decode_marcxml), cmocka_unit_test(test_decode_malformed),
        cmocka_unit_test(test_translate_pqf),  cmocka_unit_test(test_translate_cql),
        cmocka_unit_test(test_serve_pqf),      cmocka_unit_test(test_serve_cql),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
