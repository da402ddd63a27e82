/*
 * fuzz_rules.c - libFuzzer target: the rule language (rules.h), parsed and,
 * when it parses, run on real records: normalization on a bib, indication
 * on it, a merge of two bibs.
 *
 * The input is a rules text (cut at the first NUL, as a file read into a C
 * string is).  Oracles beyond "no crash":
 *   - the parser returns rules or an error, never both or neither, and the
 *     error starts "line N, column M:" inside the text;
 *   - parsed rules are of one kind, at least one, each with a name;
 *   - normalization returns 0 or a negative marc_err, leaves the record as
 *     it was when it fails, and what it makes survives the round trip of
 *     every format (a rule may not make a record the model cannot write);
 *   - a merge succeeds or fails cleanly, and its result survives it too.
 */
#include "fuzz-util.h"

#include "diff.h"
#include "mrk.h"
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char local_text[] =
    "=LDR  00000nam a2200000 a 4500\n"
    "=001  991234\n"
    "=005  20260101120000.0\n"
    "=008  850101s1985    fr            000 1 fre d\n"
    "=035  \\\\$a(OCoLC)ocm00012345$z(OCoLC)999\n"
    "=100  1\\$aG\xc3\xa9nin, J\xc3\xa9r\xc3\xb4me.\n"
    "=245  14$aLes mis\xc3\xa9rables /$cNo.\n"
    "=500  \\\\$aNote one.$aNote two.\n"
    "=650  \\0$aSummer$vFiction.\n"
    "=910  \\\\$aLocal.\n";
static const char incoming_text[] =
    "=LDR  00000cas a2200000 i 4500\n"
    "=001  ocm12345\n"
    "=008  850101c19859999nyumr p       0   a0eng d\n"
    "=022  \\\\$a0317-8471\n"
    "=035  \\\\$a(OCoLC)12345\n"
    "=245  00$aJournal.$nPart 1.\n"
    "=998  \\\\$aNo overlay.\n";

static struct marc_record *
decode(const char *text)
{
    struct marc_record *r = marc_record_new();
    struct marc_decode_ctx ctx = {.record = 1, .line = 1};
    if (marc_mrk_decode(r, text, strlen(text), &ctx) != MARC_OK)
        fuzz_fail("fuzz_rules: a built-in record does not decode");
    return r;
}

static void
check_error(const char *text, const char *error)
{
    FUZZ_CHECK(error && *error, "parse failed without a message");
    int line = 0, col = 0, used = 0;
    FUZZ_CHECK(sscanf(error, "line %d, column %d:%n", &line, &col, &used) == 2 && used > 0,
               "error does not name a line and a column: %s", error);
    int lines = 1;
    for (const char *s = text; *s; s++)
        lines += *s == '\n';
    FUZZ_CHECK(line >= 1 && line <= lines + 1 && col >= 1,
               "error at line %d, column %d of a text of %d lines: %s", line, col, lines, error);
}

static void
check_normalize(const struct core_rules *rs, const struct marc_record *local)
{
    struct marc_record *r = marc_record_clone(local);
    int changes = -1;
    int rc = core_rules_apply(rs, r, &changes);
    FUZZ_CHECK(rc <= 0, "core_rules_apply returned %d", rc);
    if (rc != 0)
        fuzz_expect_equal(r, local, "a failed normalization changed the record");
    else
        FUZZ_CHECK(changes >= 0, "normalization counted %d changes", changes);
    fuzz_round_trip(r, true);
    marc_record_free(r);
}

static void
check_merge(const struct core_rules *rs, const struct marc_record *local,
            const struct marc_record *incoming)
{
    struct marc_record *out = marc_record_new();
    int rc = core_rules_merge(rs, local, incoming, out);
    FUZZ_CHECK(rc <= 0, "core_rules_merge returned %d", rc);
    if (rc == 0)
        fuzz_round_trip(out, true);
    marc_record_free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    static struct marc_record *local, *incoming;
    if (!local) {
        local = decode(local_text);
        incoming = decode(incoming_text);
    }
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char *error = NULL;
    struct core_rules *rs = core_rules_parse(text, &error);
    FUZZ_CHECK((rs == NULL) != (error == NULL), "parser returned %s rules and %s error",
               rs ? "" : "no", error ? "an" : "no");
    if (!rs) {
        check_error(text, error);
        goto out;
    }
    size_t n = core_rules_count(rs);
    FUZZ_CHECK(n >= 1, "parsed a text into no rules");
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(core_rules_name(rs, i) != NULL, "rule %zu has no name", i);
    switch (core_rules_kind(rs)) {
    case CORE_RULE_NORMALIZATION:
        check_normalize(rs, local);
        break;
    case CORE_RULE_INDICATION:
        (void)core_rules_indicate(rs, local);
        (void)core_rules_indicate(rs, incoming);
        break;
    case CORE_RULE_MERGE:
        check_merge(rs, local, incoming);
        check_merge(rs, incoming, local);
        break;
    default:
        fuzz_fail("rules of kind %d", (int)core_rules_kind(rs));
    }
    core_rules_free(rs);
out:
    free(error);
    free(text);
    return 0;
}
