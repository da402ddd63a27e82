/*
 * test_query.c - the search query language: the trees queries parse into
 * (precedence, implicit AND, NOT forms, indexes, phrases, truncation) and
 * the exact message and column of every kind of malformed query.
 */
#include "testutil.h"

#include "buf.h"
#include "query.h"

/* A tree as text: (AND a b), (NOT - b) for a leading NOT, index=value,
 * "phrase", trailing * for truncation, != for not_equal. */
static void
render(const struct core_qnode *n, struct marc_buf *b)
{
    static const char *ops[] = {"TERM", "AND", "OR", "NOT"};
    if (!n) {
        marc_buf_putc(b, '-');
        return;
    }
    if (n->kind == CORE_Q_TERM) {
        marc_buf_printf(b, "%s%s", core_qindex_name(n->index), n->not_equal ? "!=" : "=");
        marc_buf_printf(b, n->phrase ? "\"%s\"" : "%s", n->value);
        if (n->truncated)
            marc_buf_putc(b, '*');
        return;
    }
    marc_buf_printf(b, "(%s ", ops[n->kind]);
    render(n->left, b);
    marc_buf_putc(b, ' ');
    render(n->right, b);
    marc_buf_putc(b, ')');
}

static char rendered[2048];

static const char *
parse(const char *text)
{
    char *err = NULL;
    struct core_qnode *q = core_query_parse(text, &err);
    if (!q)
        fail_msg("'%s' did not parse: %s", text, err);
    assert_null(err);
    struct marc_buf b = MARC_BUF_INIT;
    render(q, &b);
    snprintf(rendered, sizeof rendered, "%s", b.data);
    marc_buf_free(&b);
    core_query_free(q);
    return rendered;
}

static char message[1024];

static const char *
error_of(const char *text)
{
    char *err = NULL;
    struct core_qnode *q = core_query_parse(text, &err);
    if (q) {
        core_query_free(q);
        fail_msg("'%s' parsed but should not have", text);
    }
    assert_non_null(err);
    snprintf(message, sizeof message, "%s", err);
    free(err);
    return message;
}

static void
test_keywords_and_implicit_and(void **state)
{
    assert_string_equal(parse("tolstoy"), "keyword=tolstoy");
    assert_string_equal(parse("war peace"), "(AND keyword=war keyword=peace)");
    assert_string_equal(parse("  war \t peace  "), "(AND keyword=war keyword=peace)");
    assert_string_equal(parse("a b c"), "(AND (AND keyword=a keyword=b) keyword=c)");
}

static void
test_precedence(void **state)
{
    /* AND (and juxtaposition) binds tighter than OR */
    assert_string_equal(parse("a OR b c"), "(OR keyword=a (AND keyword=b keyword=c))");
    assert_string_equal(parse("a b OR c"), "(OR (AND keyword=a keyword=b) keyword=c)");
    assert_string_equal(parse("a AND b OR c AND d"),
                        "(OR (AND keyword=a keyword=b) (AND keyword=c keyword=d))");
    assert_string_equal(parse("a OR b NOT c"), "(OR keyword=a (NOT keyword=b keyword=c))");
    assert_string_equal(parse("(a OR b) c"), "(AND (OR keyword=a keyword=b) keyword=c)");
    assert_string_equal(parse("((a))"), "keyword=a");
}

static void
test_operators_any_case(void **state)
{
    assert_string_equal(parse("a and b Or c nOt d"),
                        "(OR (AND keyword=a keyword=b) (NOT keyword=c keyword=d))");
    /* quoted or as a value, an operator word is a word */
    assert_string_equal(parse("\"and\" war"), "(AND keyword=\"and\" keyword=war)");
    assert_string_equal(parse("title=or"), "title=or");
    /* words that merely begin like operators */
    assert_string_equal(parse("android order notes"),
                        "(AND (AND keyword=android keyword=order) keyword=notes)");
}

static void
test_not_forms(void **state)
{
    assert_string_equal(parse("a NOT b"), "(NOT keyword=a keyword=b)");
    assert_string_equal(parse("a AND NOT b"), "(NOT keyword=a keyword=b)");
    assert_string_equal(parse("a NOT b"), parse("a AND NOT b"));
    assert_string_equal(parse("NOT b"), "(NOT - keyword=b)");
    assert_string_equal(parse("NOT a b"), "(NOT keyword=b keyword=a)");
    assert_string_equal(parse("NOT NOT a"), "(NOT - (NOT - keyword=a))");
    assert_string_equal(parse("(title=a OR title=b) NOT author=c"),
                        "(NOT (OR title=a title=b) author=c)");
    assert_string_equal(parse("a NOT b NOT c"), "(NOT (NOT keyword=a keyword=b) keyword=c)");
}

static void
test_indexes(void **state)
{
    static const char *names[] = {"keyword", "title", "author", "subject", "mms",
                                  "oclc",    "isbn",  "issn",   "linked",  "barcode"};
    for (int i = 0; i < 10; i++)
        assert_string_equal(core_qindex_name((enum core_qindex)i), names[i]);
    assert_string_equal(core_qindex_name((enum core_qindex)99), "?");
    assert_string_equal(parse("title=war author=tolstoy subject=history keyword=russia"),
                        "(AND (AND (AND title=war author=tolstoy) subject=history) "
                        "keyword=russia)");
    assert_string_equal(parse("mms=991234 oclc=ocm0012 isbn=0-306-40615-2 issn=1064-3923"),
                        "(AND (AND (AND mms=991234 oclc=ocm0012) isbn=0-306-40615-2) "
                        "issn=1064-3923)");
    assert_string_equal(parse("barcode=39012 linked=network"),
                        "(AND barcode=39012 linked=network)");
    assert_string_equal(parse("linked!=network"), "linked!=network");
    assert_string_equal(parse("LINKED != Network"), "linked!=Network");
    assert_string_equal(parse("Title = war"), "title=war");
    /* an identifier may begin with its source in parentheses, as in a 035 */
    assert_string_equal(parse("oclc=(OCoLC)ocm123"), "oclc=(OCoLC)ocm123");
    assert_string_equal(parse("(oclc=(OCoLC)1 OR isbn=1)"), "(OR oclc=(OCoLC)1 isbn=1)");
    assert_string_equal(parse("(oclc=(OCoLC))"), "oclc=(OCoLC)");
    assert_string_equal(parse("title= war"), "title=war");
}

static void
test_phrases_and_truncation(void **state)
{
    assert_string_equal(parse("title=\"war and peace\""), "title=\"war and peace\"");
    assert_string_equal(parse("\"war and peace\" tolstoy"),
                        "(AND keyword=\"war and peace\" keyword=tolstoy)");
    assert_string_equal(parse("author=tolst*"), "author=tolst*");
    assert_string_equal(parse("\"war and pea\"*"), "keyword=\"war and pea\"*");
    assert_string_equal(parse("title=\"a \\\"quoted\\\" word\""), "title=\"a \"quoted\" word\"");
    assert_string_equal(parse("\"back\\\\slash\""), "keyword=\"back\\slash\"");
    assert_string_equal(parse("title=\"war\"peace"), "(AND title=\"war\" keyword=peace)");
    /* punctuation stays in the value; search.c drops what the index does not keep */
    assert_string_equal(parse("o'brien c++ 1-2"),
                        "(AND (AND keyword=o'brien keyword=c++) keyword=1-2)");
}

static void
test_columns(void **state)
{
    char *err = NULL;
    struct core_qnode *q = core_query_parse("war  title=peace OR (x)", &err);
    assert_non_null(q);
    assert_int_equal(q->kind, CORE_Q_OR);
    assert_int_equal(q->column, 18);
    assert_int_equal(q->left->left->column, 1);
    assert_int_equal(q->left->right->column, 6);
    assert_int_equal(q->right->column, 22);
    core_query_free(q);
    /* columns count characters, not bytes */
    q = core_query_parse("Dvořák Smetana", &err);
    assert_non_null(q);
    assert_int_equal(q->right->column, 8);
    core_query_free(q);
}

static void
test_errors_point_at_the_column(void **state)
{
    assert_string_equal(error_of("x (title=wary"),
                        "column 14: expected ')' to close the '(' at column 3");
    assert_string_equal(error_of("(title=war OR author=tolstoy"),
                        "column 29: expected ')' to close the '(' at column 1");
    assert_string_equal(error_of("war)"), "column 4: unexpected ')': no '(' to close");
    assert_string_equal(error_of("(a) b)"), "column 6: unexpected ')': no '(' to close");
    assert_string_equal(error_of(""), "column 1: the query is empty");
    assert_string_equal(error_of("   "), "column 4: the query is empty");
    assert_string_equal(error_of(NULL), "column 1: the query is empty");
    assert_string_equal(error_of("war AND"), "column 8: expected a search term after 'AND'");
    assert_string_equal(error_of("war OR "), "column 8: expected a search term after 'OR'");
    assert_string_equal(error_of("war NOT"), "column 8: expected a search term after 'NOT'");
    assert_string_equal(error_of("NOT"), "column 4: expected a search term after 'NOT'");
    assert_string_equal(error_of("OR war"), "column 1: 'OR' needs a search term before it");
    assert_string_equal(error_of("(and war)"), "column 2: 'AND' needs a search term before it");
    assert_string_equal(error_of("war AND OR peace"),
                        "column 9: expected a search term after 'AND', found 'OR'");
    assert_string_equal(error_of("war OR )"),
                        "column 8: expected a search term after 'OR', found ')'");
    assert_string_equal(error_of("a ()"),
                        "column 4: empty parentheses: put a search term between '(' and ')'");
    assert_string_equal(error_of("title=war foo=bar"),
                        "column 11: unknown index 'foo' (indexes: keyword, title, author, "
                        "subject, mms, oclc, isbn, issn, linked, barcode; put text containing "
                        "'=' in quotes)");
    assert_string_equal(error_of("title="), "column 7: expected a value after 'title='");
    assert_string_equal(error_of("(title= )"), "column 9: expected a value after 'title='");
    assert_string_equal(error_of("oclc=(OCoLC 1)"), "column 6: expected a value after 'oclc='");
    assert_string_equal(error_of("oclc=()"), "column 6: expected a value after 'oclc='");
    assert_string_equal(error_of("title=(war OR peace)"),
                        "column 7: expected a value after 'title=' (for several words in one "
                        "index: title=war OR title=peace)");
    assert_string_equal(error_of("war \"and peace"),
                        "column 5: the quote opened here is not closed (a phrase ends with '\"')");
    assert_string_equal(error_of("a \"  \""), "column 3: empty phrase \"\": put words between "
                                              "the quotes");
    assert_string_equal(error_of("wo*rd"),
                        "column 3: '*' truncates only at the end of a word (war*)");
    assert_string_equal(error_of("war *"), "column 5: '*' must follow at least one letter (war*)");
    assert_string_equal(error_of("war a*"),
                        "column 5: truncation needs at least 2 letters before '*' (one letter "
                        "would match most of the catalogue)");
    assert_string_equal(error_of("\"war and p\"*"),
                        "column 1: truncation needs at least 2 letters before '*' (one letter "
                        "would match most of the catalogue)");
    assert_string_equal(error_of("title=x-*"),
                        "column 1: truncation needs at least 2 letters before '*' (one letter "
                        "would match most of the catalogue)");
    assert_string_equal(parse("ab* \"war pe\"* dvoř*"),
                        "(AND (AND keyword=ab* keyword=\"war pe\"*) keyword=dvoř*)");
    assert_string_equal(parse("日本*"), "keyword=日本*");
    assert_string_equal(error_of("日*"),
                        "column 1: truncation needs at least 2 letters before '*' (one letter "
                        "would match most of the catalogue)");
    assert_string_equal(error_of("isbn=978*"),
                        "column 1: isbn looks up whole values; '*' truncates only title, author, "
                        "subject and keyword words");
    assert_string_equal(error_of("a title!=war"),
                        "column 3: '!=' works only with linked (linked!=network); for title use "
                        "NOT title=...");
    assert_string_equal(error_of("linked=yes"),
                        "column 1: linked takes the value 'network' (linked=network or "
                        "linked!=network), not 'yes'");
    assert_string_equal(error_of("Dvořák (x"), "column 10: expected ')' to close the '(' at "
                                               "column 8");
    assert_string_equal(error_of("abc \xff"), "column 5: the query is not valid UTF-8");
    assert_string_equal(error_of("ab\xc3"), "column 3: the query is not valid UTF-8");
    assert_string_equal(error_of("\xed\xa0\x80"), "column 1: the query is not valid UTF-8");
}

static void
test_limits(void **state)
{
    char q[512] = "";
    for (int i = 0; i < 33; i++)
        strcat(q, "(");
    strcat(q, "a");
    assert_string_equal(error_of(q), "column 33: parentheses and NOTs nested more than 32 deep");
    q[0] = '\0';
    for (int i = 0; i < 32; i++)
        strcat(q, "(");
    strcat(q, "a");
    for (int i = 0; i < 32; i++)
        strcat(q, ")");
    assert_string_equal(parse(q), "keyword=a");
    q[0] = '\0';
    for (int i = 0; i < 65; i++)
        strcat(q, "w ");
    assert_string_equal(error_of(q), "column 129: the query has more than 64 search terms");
    q[strlen(q) - 2] = '\0'; /* 64 terms are fine */
    parse(q);
}

static void
test_hostile_text_parses_as_words(void **state)
{
    assert_string_equal(parse("'; DROP TABLE bib; --"),
                        "(AND (AND (AND (AND keyword='; keyword=DROP) keyword=TABLE) "
                        "keyword=bib;) keyword=--)");
    assert_string_equal(parse("NEAR(a b) ^x -y col:z"),
                        "(AND (AND (AND (AND keyword=NEAR (AND keyword=a keyword=b)) keyword=^x) "
                        "keyword=-y) keyword=col:z)");
    assert_string_equal(parse("title=\"x\\\" OR 1=1 --\""), "title=\"x\" OR 1=1 --\"");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keywords_and_implicit_and),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_operators_any_case),
        cmocka_unit_test(test_not_forms),
        cmocka_unit_test(test_indexes),
        cmocka_unit_test(test_phrases_and_truncation),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_errors_point_at_the_column),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_hostile_text_parses_as_words),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
