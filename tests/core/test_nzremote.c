/*
 * test_nzremote.c - a repository whose network zone is a server
 * (nzremote.h), on real SQLite files and a real closed port: creating it,
 * the nz.target configuration and its checks, network records refused
 * locally, and every NZ operation failing with "network zone at ...
 * unreachable" while the IZ's own records work.  The behaviour against a
 * live server is tests/cli/test_remote_nz.sh.
 */
#include "testutil.h"

#include "link.h"
#include "nzremote.h"
#include "record.h"
#include "repo.h"
#include "search.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[128], addr[64];

/* A 127.0.0.1 port nothing listens on: bound, then closed. */
static int
closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        return 9;
    close(fd);
    return ntohs(a.sin_port);
}

static int
setup(void **state)
{
    char tmpl[] = "/tmp/colophon-test-nzremote-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    snprintf(dir, sizeof dir, "%s/repo", tmpl);
    snprintf(addr, sizeof addr, "z3950://127.0.0.1:%d/NZ", closed_port());
    char *cause = NULL;
    int rc = core_repo_init_remote(dir, "1111", addr, "user=inst password=\"a b\" timeout=5", NULL,
                                   "admin", &cause);
    if (rc)
        fail_msg("init: %s", cause);
    return 0;
}

static int
teardown(void **state)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %.*s", (int)(strrchr(dir, '/') - dir), dir);
    return system(cmd) == 0 ? 0 : -1;
}

static struct core_repo *
open_repo(void)
{
    char *cause = NULL;
    struct core_repo *r = core_repo_open(dir, "admin", &cause);
    if (!r)
        fail_msg("open: %s", cause);
    return r;
}

static struct marc_record *
book(void)
{
    struct marc_record *r = marc_record_new();
    marc_record_add_control(r, "008", "850101s1985    fr            000 1 fre d", 40);
    long i = marc_record_add_data(r, "035", ' ', ' ');
    marc_record_append_subfield(r, (size_t)i, 'a', "(OCoLC)123456", 13);
    i = marc_record_add_data(r, "245", '1', '0');
    marc_record_append_subfield(r, (size_t)i, 'a', "Le livre", 8);
    return r;
}

static void
test_init_and_target(void **state)
{
    struct stat st;
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, CORE_NZ_CACHE_FILE);
    assert_int_equal(stat(path, &st), 0);
    snprintf(path, sizeof path, "%s/nz.db", dir);
    assert_int_not_equal(stat(path, &st), 0);
    struct core_repo *r = open_repo();
    assert_true(core_nz_remote(r));
    assert_string_equal(core_repo_zone_code(r, CORE_ZONE_NZ), "4801");
    struct core_target t;
    assert_int_equal(core_nz_target(r, &t), CORE_OK);
    assert_string_equal(t.address, addr + 8); /* "z3950://" dropped */
    assert_string_equal(t.user, "inst");
    assert_string_equal(t.password, "a b");
    assert_int_equal(t.timeout, 5);
    /* an admin changes it; a malformed value is refused and changes nothing */
    assert_int_equal(core_config_set(r, "nz.target", "127.0.0.1:1/NZ sytax=x"), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(r), "sytax"));
    assert_int_equal(core_nz_target(r, &t), CORE_OK);
    assert_int_equal(t.timeout, 5);
    core_repo_close(r);
}

static void
test_init_refusals(void **state)
{
    char other[160], *cause = NULL;
    snprintf(other, sizeof other, "%s-2", dir);
    assert_int_equal(core_repo_init_remote(other, "1111", "127.0.0.1:1/NZ", NULL, "48", "a", &cause),
                     CORE_ERR_USER);
    free(cause);
    cause = NULL;
    assert_int_equal(core_repo_init_remote(other, "1111", "127.0.0.1:1/NZ", "nosuch=1", NULL, "a",
                                           &cause),
                     CORE_ERR_USER);
    assert_non_null(strstr(cause, "nosuch"));
    free(cause);
    /* a repository with an NZ file takes no nz.target */
    char local[160];
    snprintf(local, sizeof local, "%s-3", dir);
    assert_int_equal(core_repo_init(local, "2222", NULL, "admin", NULL), CORE_OK);
    struct core_repo *r = core_repo_open(local, "admin", NULL);
    assert_non_null(r);
    assert_false(core_nz_remote(r));
    assert_int_equal(core_config_set(r, "nz.target", "127.0.0.1:1/NZ"), CORE_ERR_USER);
    assert_int_equal(core_nz_freshen(r, "991000000014801"), CORE_OK); /* nothing to fetch */
    core_repo_close(r);
}

static void
test_unreachable(void **state)
{
    struct core_repo *r = open_repo();
    char expect[128];
    snprintf(expect, sizeof expect, "network zone at %s unreachable", addr + 8);
    struct core_results res;
    struct core_search_opts o = {.zone = CORE_ZONE_NZ};
    assert_int_equal(core_search(r, "title=livre", &o, &res), CORE_ERR_IO);
    assert_non_null(strstr(core_repo_errmsg(r), expect));
    /* the IZ's own records work */
    struct marc_record *b = book();
    char mms[CORE_MMS_MAX];
    assert_int_equal(core_bib_create(r, CORE_ZONE_IZ, b, NULL, false, NULL, NULL, mms), CORE_OK);
    o.zone = CORE_ZONE_IZ;
    assert_int_equal(core_search(r, "oclc=123456", &o, &res), CORE_OK);
    assert_int_equal(res.n, 1);
    core_results_free(&res);
    /* link operations go to the server */
    struct core_link_candidate *c = NULL;
    size_t n = 9;
    assert_int_equal(core_link_candidates(r, mms, &c, &n), CORE_ERR_IO);
    assert_non_null(strstr(core_repo_errmsg(r), expect));
    assert_int_equal(n, 0);
    assert_int_equal(core_link_contribute(r, mms, NULL), CORE_ERR_IO);
    assert_non_null(strstr(core_repo_errmsg(r), expect));
    assert_int_equal(core_link_to(r, mms, "991000000014801", NULL), CORE_ERR_IO);
    struct core_record_info info;
    assert_int_equal(core_record_get(r, mms, NULL, &info), CORE_OK);
    assert_string_equal(info.linked, ""); /* nothing changed */
    assert_int_equal(info.version, 1);
    assert_int_equal(core_nz_freshen(r, "991000000014801"), CORE_ERR_IO);
    assert_int_equal(core_nz_freshen(r, mms), CORE_OK); /* not linked: nothing to fetch */
    marc_record_free(b);
    core_repo_close(r);
}

static void
test_network_records_read_only(void **state)
{
    struct core_repo *r = open_repo();
    struct marc_record *b = book();
    char mms[CORE_MMS_MAX];
    assert_int_equal(core_bib_create(r, CORE_ZONE_NZ, b, NULL, false, NULL, NULL, mms),
                     CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(r), "network zone is the server at"));
    marc_record_free(b);
    core_repo_close(r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_and_target),
        cmocka_unit_test(test_init_refusals),
        cmocka_unit_test(test_unreachable),
        cmocka_unit_test(test_network_records_read_only),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, teardown);
}
