/*
 * test_repo.c - the repository on real SQLite files: creating it, records,
 * locks, versions, revert, delete rules, roles, inventory.
 */
#include "testutil.h"

#include "diff.h"
#include "record.h"
#include "repo.h"

#include <sys/stat.h>
#include <unistd.h>

static char dir[128];

static int
setup(void **state)
{
    char tmpl[] = "/tmp/colophon-test-repo-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    snprintf(dir, sizeof dir, "%s/repo", tmpl);
    char *cause = NULL;
    int rc = core_repo_init(dir, "1234", NULL, "admin", &cause);
    if (rc)
        fail_msg("init: %s", cause);
    struct core_repo *r = core_repo_open(dir, "admin", &cause);
    assert_non_null(r);
    assert_int_equal(core_user_add(r, "alice", CORE_ROLE_CATALOGER | CORE_ROLE_INVENTORY, NULL), 0);
    assert_int_equal(core_user_add(r, "bob", CORE_ROLE_CATALOGER, NULL), 0);
    assert_int_equal(core_user_add(r, "carol", CORE_ROLE_CATALOGER_EXTENDED, NULL), 0);
    core_repo_close(r);
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
as(const char *user)
{
    char *cause = NULL;
    struct core_repo *r = core_repo_open(dir, user, &cause);
    if (!r)
        fail_msg("open as %s: %s", user, cause);
    return r;
}

static struct marc_record *
book(const char *title)
{
    struct marc_record *r = marc_record_new();
    marc_record_add_control(r, "001", "ocm00012345", 11);
    marc_record_add_control(r, "003", "OCoLC", 5);
    marc_record_add_control(r, "008", "850101s1985    fr            000 1 fre d", 40);
    long i = marc_record_add_data(r, "245", '1', '0');
    marc_record_append_subfield(r, (size_t)i, 'a', title, strlen(title));
    return r;
}

static const char *
value(const struct marc_record *r, const char *tag, char code)
{
    static char buf[512];
    size_t len;
    const char *v = marc_record_value(r, tag, code, &len);
    if (!v)
        return NULL;
    snprintf(buf, sizeof buf, "%.*s", (int)len, v);
    return buf;
}

static void
test_init_files_and_modes(void **state)
{
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 07777, 02770);
    char p[256];
    snprintf(p, sizeof p, "%s/iz.db", dir);
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0660);
    snprintf(p, sizeof p, "%s/nz.db", dir);
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0660);
    char *cause = NULL;
    assert_int_not_equal(core_repo_init(dir, "1234", NULL, "x", &cause), 0);
    assert_non_null(strstr(cause, "already"));
    free(cause);
    cause = NULL;
    assert_int_equal(core_repo_init("/tmp/x-colophon-never", "12a4", NULL, "x", &cause),
                     CORE_ERR_USER);
    assert_non_null(strstr(cause, "four digits"));
    free(cause);
    struct core_repo *r = as("admin");
    assert_string_equal(core_repo_zone_code(r, CORE_ZONE_IZ), "1234");
    assert_string_equal(core_repo_zone_code(r, CORE_ZONE_NZ), "4801");
    assert_int_equal(core_user_roles(r, "admin"), CORE_ROLE_ALL);
    core_repo_close(r);
}

static void
test_create_and_read(void **state)
{
    struct core_repo *repo = as("alice");
    struct marc_record *r = book("Première édition");
    char mms[CORE_MMS_MAX];
    assert_int_equal(core_bib_create(repo, CORE_ZONE_IZ, r, NULL, false, NULL, NULL, mms), 0);
    assert_int_equal(core_mms_parse(mms, NULL, NULL), CORE_MMS_BIB);
    assert_int_equal(strlen(mms), 15);
    assert_string_equal(mms + 11, "1234");
    struct marc_record *back = marc_record_new();
    struct core_record_info info;
    assert_int_equal(core_record_get(repo, mms, back, &info), 0);
    assert_string_equal(value(back, "001", 0), mms);
    assert_string_equal(value(back, "035", 'a'), "(OCoLC)ocm00012345");
    assert_non_null(value(back, "005", 0));
    assert_int_equal(info.version, 1);
    assert_string_equal(info.created_by, "alice");
    assert_string_equal(info.title, "Première édition");
    assert_string_equal(info.date, "1985");
    /* A second record gets the next ID; NZ records end in 4801. */
    char mms2[CORE_MMS_MAX], nz[CORE_MMS_MAX];
    struct marc_record *r2 = book("Second");
    assert_int_equal(core_bib_create(repo, CORE_ZONE_IZ, r2, NULL, false, NULL, NULL, mms2), 0);
    assert_true(strcmp(mms2, mms) > 0);
    assert_int_equal(core_bib_create(repo, CORE_ZONE_NZ, r2, NULL, false, NULL, NULL, nz), 0);
    assert_string_equal(nz + strlen(nz) - 4, "4801");
    assert_int_equal(core_record_get(repo, "991999999991234", NULL, NULL), CORE_ERR_NOTFOUND);
    assert_int_equal(core_record_get(repo, "991999999995555", NULL, NULL), CORE_ERR_NOTFOUND);
    assert_int_equal(core_record_get(repo, "hello", NULL, NULL), CORE_ERR_USER);
    marc_record_free(r);
    marc_record_free(r2);
    marc_record_free(back);
    core_repo_close(repo);
}

static void
test_validation_blocks_create_and_save(void **state)
{
    struct core_repo *repo = as("alice");
    struct marc_record *r = book("x");
    marc_record_delete_field(r, (size_t)marc_record_find(r, "245", 0));
    struct test_diags t = {0};
    char mms[CORE_MMS_MAX];
    assert_int_equal(core_bib_create(repo, CORE_ZONE_IZ, r, NULL, false, test_diags_collect, &t,
                                     mms),
                     CORE_ERR_INVALID);
    assert_non_null(test_diags_find(&t, "245-missing"));
    assert_non_null(strstr(core_repo_errmsg(repo), "validation error"));
    marc_record_free(r);
    core_repo_close(repo);
}

static void
create(const char *user, const char *title, char *mms)
{
    struct core_repo *repo = as(user);
    struct marc_record *r = book(title);
    assert_int_equal(core_bib_create(repo, CORE_ZONE_IZ, r, NULL, false, NULL, NULL, mms), 0);
    marc_record_free(r);
    core_repo_close(repo);
}

static void
test_locks_and_view_only(void **state)
{
    char mms[CORE_MMS_MAX];
    create("alice", "Locked", mms);
    struct core_repo *a = as("alice"), *b = as("bob");
    struct marc_record *ra = marc_record_new(), *rb = marc_record_new();
    int va, vb;
    struct core_lock_info lock;
    assert_int_equal(core_record_open(a, mms, ra, &va, &lock), 0);
    assert_string_equal(lock.user, "alice");
    /* Bob gets View Only: told who and since when, record still readable. */
    assert_int_equal(core_record_open(b, mms, rb, &vb, &lock), CORE_ERR_CONFLICT);
    assert_string_equal(lock.user, "alice");
    assert_true(lock.since > 0);
    assert_non_null(strstr(core_repo_errmsg(b), "locked by alice"));
    assert_string_equal(value(rb, "245", 'a'), "Locked");
    /* Bob cannot save over Alice's lock. */
    marc_record_set_subfield(rb, (size_t)marc_record_find(rb, "245", 0), 0, "Bob's", 5);
    assert_int_equal(core_record_save(b, mms, rb, vb, NULL, false, NULL, NULL, NULL),
                     CORE_ERR_CONFLICT);
    /* Alice saves and releases. */
    marc_record_set_subfield(ra, (size_t)marc_record_find(ra, "245", 0), 0, "Alice's", 7);
    int v;
    assert_int_equal(core_record_save(a, mms, ra, va, NULL, true, NULL, NULL, &v), 0);
    assert_int_equal(v, 2);
    assert_int_equal(core_record_lock_info(a, mms, &lock), 0);
    assert_false(lock.locked);
    /* Bob's copy is stale now: a save based on version 1 is a conflict. */
    assert_int_equal(core_record_open(b, mms, NULL, NULL, NULL), 0);
    assert_int_equal(core_record_save(b, mms, rb, vb, NULL, true, NULL, NULL, NULL),
                     CORE_ERR_CONFLICT);
    assert_non_null(strstr(core_repo_errmsg(b), "changed since you opened it"));
    struct marc_record *now = marc_record_new();
    assert_int_equal(core_record_get(a, mms, now, NULL), 0);
    assert_string_equal(value(now, "245", 'a'), "Alice's");
    assert_int_equal(core_record_release(b, mms), 0);
    marc_record_free(now);
    marc_record_free(ra);
    marc_record_free(rb);
    core_repo_close(a);
    core_repo_close(b);
}

static void
test_lock_expires(void **state)
{
    char mms[CORE_MMS_MAX];
    create("alice", "Expiring", mms);
    struct core_repo *admin = as("admin");
    assert_int_equal(core_config_set(admin, "lock.timeout", "1s"), 0);
    assert_int_equal(core_config_set(admin, "lock.timeout", "soon"), CORE_ERR_USER);
    struct core_repo *a = as("alice"), *b = as("bob");
    assert_int_equal(core_record_open(a, mms, NULL, NULL, NULL), 0);
    assert_int_equal(core_record_open(b, mms, NULL, NULL, NULL), CORE_ERR_CONFLICT);
    sleep(2);
    assert_int_equal(core_record_open(b, mms, NULL, NULL, NULL), 0);
    assert_int_equal(core_record_touch(a, mms), CORE_ERR_CONFLICT); /* alice lost it */
    assert_int_equal(core_config_set(admin, "lock.timeout", "60m"), 0);
    core_repo_close(admin);
    core_repo_close(a);
    core_repo_close(b);
}

static void
test_versions_and_revert(void **state)
{
    char mms[CORE_MMS_MAX];
    create("alice", "One", mms);
    struct core_repo *repo = as("alice");
    struct marc_record *r = marc_record_new();
    int v;
    const char *titles[] = {"Two", "Three"};
    for (int k = 0; k < 2; k++) {
        assert_int_equal(core_record_open(repo, mms, r, &v, NULL), 0);
        marc_record_set_subfield(r, (size_t)marc_record_find(r, "245", 0), 0, titles[k],
                                 strlen(titles[k]));
        assert_int_equal(core_record_save(repo, mms, r, v, NULL, true, NULL, NULL, NULL), 0);
    }
    struct core_version *vs;
    size_t n;
    assert_int_equal(core_versions_list(repo, mms, &vs, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(vs[0].number, 1);
    assert_string_equal(vs[0].reason, "create");
    assert_string_equal(vs[1].reason, "edit");
    assert_true(vs[2].current);
    assert_string_equal(vs[2].user, "alice");
    free(vs);
    struct marc_record *old = marc_record_new();
    assert_int_equal(core_version_get(repo, mms, 1, old), 0);
    assert_string_equal(value(old, "245", 'a'), "One");
    struct marc_diff d;
    marc_diff_records(old, r, &d);
    bool title_changed = false; /* 005 too, unless all happened within a second */
    for (size_t k = 0; k < d.n; k++)
        if (d.ops[k].kind == MARC_DIFF_CHANGED &&
            !strcmp(marc_field_tag(marc_record_field(r, (size_t)d.ops[k].b)), "245"))
            title_changed = true;
    assert_true(title_changed);
    assert_int_equal(d.added + d.removed, 0);
    marc_diff_free(&d);
    assert_int_equal(core_record_revert(repo, mms, 1, &v), 0);
    assert_int_equal(v, 4);
    assert_int_equal(core_record_get(repo, mms, r, NULL), 0);
    assert_string_equal(value(r, "245", 'a'), "One");
    assert_int_equal(core_versions_list(repo, mms, &vs, &n), 0);
    assert_int_equal(n, 4);
    assert_string_equal(vs[3].reason, "revert");
    free(vs);
    assert_int_equal(core_version_get(repo, mms, 9, old), CORE_ERR_NOTFOUND);
    marc_record_free(old);
    marc_record_free(r);
    core_repo_close(repo);
}

static void
test_delete_rules(void **state)
{
    char mms[CORE_MMS_MAX];
    create("alice", "To delete", mms);
    struct core_repo *alice = as("alice"), *carol = as("carol");
    /* cataloger alone may not delete */
    assert_int_equal(core_record_delete(alice, mms), CORE_ERR_ROLE);
    assert_non_null(strstr(core_repo_errmsg(alice), "cataloger-extended"));
    /* not while someone holds the lock */
    assert_int_equal(core_record_open(alice, mms, NULL, NULL, NULL), 0);
    assert_int_equal(core_record_delete(carol, mms), CORE_ERR_CONFLICT);
    assert_int_equal(core_record_release(alice, mms), 0);
    /* not while it has holdings */
    struct marc_record *h = marc_record_new();
    marc_record_set_leader(h, "00000nx  a2200000un 4500", 24);
    marc_record_add_control(h, "008", "2611240u    8   4001aaeng0000000", 32);
    long i = marc_record_add_data(h, "852", '0', ' ');
    marc_record_append_subfield(h, (size_t)i, 'b', "MAIN", 4);
    marc_record_append_subfield(h, (size_t)i, 'h', "PQ2607", 6);
    char hold[CORE_MMS_MAX], item[CORE_MMS_MAX];
    assert_int_equal(core_holdings_create(alice, mms, h, NULL, NULL, NULL, hold), 0);
    struct core_item_info it = {.status = CORE_ITEM_IN_PLACE};
    snprintf(it.barcode, sizeof it.barcode, "39000000001");
    snprintf(it.description, sizeof it.description, "v.1");
    assert_int_equal(core_item_create(alice, hold, &it, item), 0);
    assert_int_equal(core_item_create(alice, hold, &it, item), CORE_ERR_USER); /* same barcode */
    assert_non_null(strstr(core_repo_errmsg(alice), "already belongs"));
    struct core_repo *bob = as("bob");
    assert_int_equal(core_item_create(bob, hold, &it, item), CORE_ERR_ROLE);
    core_repo_close(bob);
    assert_int_equal(core_record_delete(carol, mms), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(carol), "holdings"));
    struct core_record_info info;
    assert_int_equal(core_record_get(alice, mms, NULL, &info), 0);
    assert_int_equal(info.holdings, 1);
    assert_int_equal(info.items, 1);
    struct core_item_info found;
    assert_int_equal(core_item_by_barcode(alice, "39000000001", &found), 0);
    assert_string_equal(found.holdings, hold);
    /* an item's barcode, description and status change in place */
    struct core_item_info second = {.status = CORE_ITEM_IN_PLACE};
    char item2[CORE_MMS_MAX];
    snprintf(second.barcode, sizeof second.barcode, "39000000002");
    assert_int_equal(core_item_create(alice, hold, &second, item2), 0);
    snprintf(second.mms, sizeof second.mms, "%s", item2);
    snprintf(second.barcode, sizeof second.barcode, "39000000001"); /* taken */
    assert_int_equal(core_item_update(alice, &second), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(alice), "already belongs to item"));
    snprintf(second.barcode, sizeof second.barcode, "39000000009");
    snprintf(second.description, sizeof second.description, "v.2");
    second.status = CORE_ITEM_MISSING;
    bob = as("bob");
    assert_int_equal(core_item_update(bob, &second), CORE_ERR_ROLE);
    core_repo_close(bob);
    assert_int_equal(core_item_update(alice, &second), 0);
    assert_int_equal(core_item_by_barcode(alice, "39000000009", &found), 0);
    assert_string_equal(found.mms, item2);
    assert_string_equal(found.description, "v.2");
    assert_int_equal(found.status, CORE_ITEM_MISSING);
    assert_int_equal(core_item_by_barcode(alice, "39000000002", &found), CORE_ERR_NOTFOUND);
    snprintf(second.mms, sizeof second.mms, "%s", hold); /* not an item */
    assert_int_equal(core_item_update(alice, &second), CORE_ERR_USER);
    assert_int_equal(core_record_get(alice, mms, NULL, &info), 0);
    assert_int_equal(info.items, 2);
    /* a bib without holdings goes, keeping versions; its ID is not reused */
    char other[CORE_MMS_MAX], next[CORE_MMS_MAX];
    create("alice", "Other", other);
    assert_int_equal(core_record_delete(carol, other), 0);
    assert_int_equal(core_record_get(carol, other, NULL, &info), 0);
    assert_true(info.deleted);
    assert_int_equal(core_record_delete(carol, other), CORE_ERR_USER);
    assert_int_equal(core_record_open(alice, other, NULL, NULL, NULL), CORE_ERR_USER);
    create("alice", "Next", next);
    assert_true(strcmp(next, other) > 0);
    struct core_version *vs;
    size_t n;
    assert_int_equal(core_versions_list(carol, other, &vs, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(vs[1].reason, "delete");
    free(vs);
    marc_record_free(h);
    core_repo_close(alice);
    core_repo_close(carol);
}

static void
test_roles(void **state)
{
    struct core_repo *stranger = as("mallory");
    struct marc_record *r = book("No");
    char mms[CORE_MMS_MAX];
    assert_int_equal(core_bib_create(stranger, CORE_ZONE_IZ, r, NULL, false, NULL, NULL, mms),
                     CORE_ERR_ROLE);
    assert_non_null(strstr(core_repo_errmsg(stranger), "not a user"));
    /* Opening for edit without a role is View Only and takes no lock. */
    char mine[CORE_MMS_MAX];
    create("alice", "Readable", mine);
    struct marc_record *seen = marc_record_new();
    struct core_lock_info lk;
    assert_int_equal(core_record_open(stranger, mine, seen, NULL, &lk), CORE_ERR_ROLE);
    assert_string_equal(value(seen, "245", 'a'), "Readable");
    assert_int_equal(core_record_lock_info(stranger, mine, &lk), 0);
    assert_false(lk.locked);
    marc_record_free(seen);
    core_repo_close(stranger);
    struct core_repo *bob = as("bob");
    assert_int_equal(core_user_add(bob, "eve", CORE_ROLE_ADMIN, NULL), CORE_ERR_ROLE);
    assert_int_equal(core_config_set(bob, "lock.timeout", "1s"), CORE_ERR_ROLE);
    core_repo_close(bob);
    struct core_repo *admin = as("admin");
    assert_int_equal(core_user_add(admin, "bob", CORE_ROLE_ADMIN, NULL), CORE_ERR_USER);
    assert_int_equal(core_user_grant(admin, "bob", CORE_ROLE_CATALOGER_EXTENDED), 0);
    assert_int_equal(core_user_roles(admin, "bob"),
                     CORE_ROLE_CATALOGER | CORE_ROLE_CATALOGER_EXTENDED);
    assert_int_equal(core_user_revoke(admin, "bob", CORE_ROLE_CATALOGER_EXTENDED), 0);
    assert_int_equal(core_user_revoke(admin, "admin", CORE_ROLE_ADMIN), CORE_ERR_USER);
    assert_int_equal(core_user_grant(admin, "nobody", CORE_ROLE_ADMIN), CORE_ERR_NOTFOUND);
    struct core_user *users;
    size_t n;
    assert_int_equal(core_user_list(admin, &users, &n), 0);
    assert_int_equal(n, 4);
    assert_string_equal(users[0].name, "admin");
    free(users);
    core_repo_close(admin);
    marc_record_free(r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_files_and_modes),
        cmocka_unit_test(test_create_and_read),
        cmocka_unit_test(test_validation_blocks_create_and_save),
        cmocka_unit_test(test_locks_and_view_only),
        cmocka_unit_test(test_lock_expires),
        cmocka_unit_test(test_versions_and_revert),
        cmocka_unit_test(test_delete_rules),
        cmocka_unit_test(test_roles),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, teardown);
}
