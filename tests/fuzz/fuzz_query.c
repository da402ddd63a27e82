/*
 * fuzz_query.c - libFuzzer target: the search query language (query.h) and
 * its compilation to SQL and FTS5 (search.c), on a real repository.
 *
 * The input is what a cataloger could type (cut at the first NUL, as a
 * command-line argument is).  Oracles beyond "no crash":
 *   - the parser returns a tree or an error, never both or neither, and the
 *     error starts "column N:" with N inside the text (or just past it);
 *   - the tree is well formed: terms have values and columns inside the
 *     text, operators their operands (only a leading NOT lacks a left one);
 *   - core_search on the same text, in both zones and both scopes, succeeds
 *     or refuses it as the user's error (CORE_ERR_USER), never as a
 *     database error: no text reaches SQL or FTS5 as syntax (SPEC §8,
 *     "inputs are bound parameters"), and a text the parser refuses is
 *     refused by the search too.
 */
#include "fuzz-repo.h"
#include "fuzz-util.h"

#include "query.h"
#include "search.h"

#include <stdlib.h>
#include <string.h>

static size_t text_len;

static void
check_tree(const struct core_qnode *q, int depth)
{
    FUZZ_CHECK(depth < 200, "query tree deeper than 200");
    switch (q->kind) {
    case CORE_Q_TERM:
        FUZZ_CHECK(q->value != NULL, "term without a value");
        FUZZ_CHECK(q->column >= 1 && (size_t)q->column <= text_len + 1,
                   "term column %d outside a text of %zu bytes", q->column, text_len);
        FUZZ_CHECK(strcmp(core_qindex_name(q->index), "?") != 0, "term with index %d",
                   (int)q->index);
        FUZZ_CHECK(!q->not_equal || q->index == CORE_QI_LINKED, "!= on index %s",
                   core_qindex_name(q->index));
        break;
    case CORE_Q_AND:
    case CORE_Q_OR:
        FUZZ_CHECK(q->left && q->right, "operator %d without both operands", (int)q->kind);
        check_tree(q->left, depth + 1);
        check_tree(q->right, depth + 1);
        break;
    case CORE_Q_NOT:
        FUZZ_CHECK(q->right != NULL, "NOT without an operand");
        if (q->left)
            check_tree(q->left, depth + 1);
        check_tree(q->right, depth + 1);
        break;
    default:
        fuzz_fail("node of kind %d", (int)q->kind);
    }
}

static void
check_error(const char *error)
{
    FUZZ_CHECK(error && *error, "parse failed without a message");
    char *end;
    FUZZ_CHECK(strncmp(error, "column ", 7) == 0, "error does not start with a column: %s", error);
    long col = strtol(error + 7, &end, 10);
    FUZZ_CHECK(end != error + 7 && *end == ':', "error without a column number: %s", error);
    FUZZ_CHECK(col >= 1 && (size_t)col <= text_len + 1,
               "error column %ld outside a text of %zu bytes: %s", col, text_len, error);
}

static void
check_search(const char *text, bool parsed, enum core_zone zone, bool physical)
{
    struct core_repo *repo = fuzz_repo();
    struct core_search_opts o = {.zone = zone, .physical = physical, .limit = 5, .count = true};
    struct core_results res = {0};
    int rc = core_search(repo, text, &o, &res);
    FUZZ_CHECK(rc == CORE_OK || rc == CORE_ERR_USER, "search in %s%s failed with %d: %s",
               core_zone_name(zone), physical ? " (physical)" : "", rc, core_repo_errmsg(repo));
    FUZZ_CHECK(parsed || rc != CORE_OK, "search ran a query the parser refuses");
    if (rc == CORE_OK) {
        FUZZ_CHECK(res.n <= 5, "search returned %zu hits for a limit of 5", res.n);
        FUZZ_CHECK(res.total >= (long)res.n, "search counted %ld hits but returned %zu",
                   res.total, res.n);
        core_results_free(&res);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0; /* a typed query; longer ones only slow the search down */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    text_len = strlen(text);
    char *error = NULL;
    struct core_qnode *q = core_query_parse(text, &error);
    FUZZ_CHECK((q == NULL) != (error == NULL), "parser returned %s tree and %s error",
               q ? "a" : "no", error ? "an" : "no");
    if (q)
        check_tree(q, 0);
    else
        check_error(error);
    check_search(text, q != NULL, CORE_ZONE_IZ, false);
    check_search(text, q != NULL, CORE_ZONE_NZ, size & 1);
    core_query_free(q);
    free(error);
    free(text);
    return 0;
}
