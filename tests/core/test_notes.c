/*
 * test_notes.c - notes, assignments (with their lock, release rules and
 * mail), reminders (dates, types, statuses, filters), the queue and the
 * add-reminders job, on a temporary repository with records created
 * through core_bib_create, as users with different roles.
 */
#include "testutil.h"

#include "assign.h"
#include "job.h"
#include "notes.h"
#include "record.h"
#include "reminder.h"
#include "repo.h"
#include "set.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char dir[128], tmpdir[128];
static char iz1[CORE_MMS_MAX], iz2[CORE_MMS_MAX], iz3[CORE_MMS_MAX], nz1[CORE_MMS_MAX];

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
    marc_record_add_control(r, "008", "850101s1985    fr            000 1 fre d", 40);
    long i = marc_record_add_data(r, "245", '1', '0');
    marc_record_append_subfield(r, (size_t)i, 'a', title, strlen(title));
    return r;
}

static void
create(struct core_repo *repo, enum core_zone zone, const char *title, char *mms)
{
    struct marc_record *r = book(title);
    assert_int_equal(core_bib_create(repo, zone, r, NULL, false, NULL, NULL, mms), CORE_OK);
    marc_record_free(r);
}

/* Run SQL directly on a zone file (to age locks and reminders). */
static void
sql(const char *file, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *err = NULL;
    if (sqlite3_exec(db, text, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", text, err);
    sqlite3_close(db);
}

/* "YYYY-MM-DD" of today + days in local time. */
static const char *
day(int days)
{
    static char buf[4][16];
    static int k;
    k = (k + 1) % 4;
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    tm.tm_mday += days;
    tm.tm_hour = 12;
    tm.tm_isdst = -1;
    t = mktime(&tm);
    localtime_r(&t, &tm);
    strftime(buf[k], sizeof buf[k], "%Y-%m-%d", &tm);
    return buf[k];
}

static int
setup(void **state)
{
    char tmpl[] = "/tmp/colophon-test-notes-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    snprintf(tmpdir, sizeof tmpdir, "%s", tmpl);
    snprintf(dir, sizeof dir, "%s/repo", tmpl);
    char *cause = NULL;
    if (core_repo_init(dir, "1234", NULL, "admin", &cause) != CORE_OK)
        fail_msg("init: %s", cause);
    struct core_repo *r = as("admin");
    assert_int_equal(core_user_add(r, "alice", CORE_ROLE_CATALOGER, "alice@example.org"), 0);
    assert_int_equal(core_user_add(r, "bob", CORE_ROLE_CATALOGER, "bob@example.org"), 0);
    assert_int_equal(core_user_add(r, "carol", CORE_ROLE_CATALOGER_EXTENDED, NULL), 0);
    assert_int_equal(core_user_add(r, "ivan", CORE_ROLE_INVENTORY, "ivan@example.org"), 0);
    assert_int_equal(core_user_add(r, "dora", CORE_ROLE_CATALOGER, NULL), 0);
    create(r, CORE_ZONE_IZ, "Première édition", iz1);
    create(r, CORE_ZONE_IZ, "Second title", iz2);
    create(r, CORE_ZONE_IZ, "Third title", iz3);
    create(r, CORE_ZONE_NZ, "Network title", nz1);
    core_repo_close(r);
    return 0;
}

static int
teardown(void **state)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A fresh bib for a test that changes it. */
static void
fresh(const char *title, enum core_zone zone, char *mms)
{
    struct core_repo *r = as("admin");
    create(r, zone, title, mms);
    core_repo_close(r);
}

/* ---- notes ---- */

static void
test_note_add_list_delete(void **state)
{
    char mms[CORE_MMS_MAX];
    fresh("Notes", CORE_ZONE_IZ, mms);
    struct core_repo *alice = as("alice");
    long id1, id2;
    time_t before = time(NULL);
    assert_int_equal(core_note_add(alice, mms, "Vérifier la 245\n\tet la 650", &id1), CORE_OK);
    struct core_repo *bob = as("bob");
    assert_int_equal(core_note_add(bob, mms, "second", &id2), CORE_OK);
    assert_true(id2 > id1);
    struct core_note *n;
    size_t count;
    assert_int_equal(core_note_list(bob, mms, &n, &count), CORE_OK);
    assert_int_equal(count, 2);
    assert_string_equal(n[0].text, "Vérifier la 245\n\tet la 650"); /* stored as given */
    assert_string_equal(n[0].author, "alice");
    assert_string_equal(n[0].mms, mms);
    assert_int_equal(n[0].zone, CORE_ZONE_IZ);
    assert_true(n[0].at >= before && n[0].at <= time(NULL));
    assert_string_equal(n[1].author, "bob");
    free(n);
    /* A note is not record content: no version written. */
    struct core_record_info info;
    assert_int_equal(core_record_get(alice, mms, NULL, &info), CORE_OK);
    assert_int_equal(info.version, 1);
    /* Bob may not delete Alice's note; Alice may; carol (extended) may delete Bob's. */
    assert_int_equal(core_note_delete(bob, CORE_ZONE_IZ, id1), CORE_ERR_ROLE);
    assert_non_null(strstr(core_repo_errmsg(bob), "only its author (alice)"));
    assert_int_equal(core_note_delete(alice, CORE_ZONE_IZ, id1), CORE_OK);
    assert_int_equal(core_note_delete(alice, CORE_ZONE_IZ, id1), CORE_ERR_NOTFOUND);
    struct core_repo *carol = as("carol");
    assert_int_equal(core_note_delete(carol, CORE_ZONE_IZ, id2), CORE_OK);
    assert_int_equal(core_note_list(bob, mms, &n, &count), CORE_OK);
    assert_int_equal(count, 0);
    free(n);
    /* An admin may delete anyone's note. */
    assert_int_equal(core_note_add(bob, mms, "third", &id2), CORE_OK);
    struct core_repo *admin = as("admin");
    assert_int_equal(core_note_delete(admin, CORE_ZONE_IZ, id2), CORE_OK);
    core_repo_close(admin);
    core_repo_close(carol);
    core_repo_close(bob);
    core_repo_close(alice);
}

static void
test_note_nz_and_ids(void **state)
{
    struct core_repo *alice = as("alice");
    long id;
    assert_int_equal(core_note_add(alice, nz1, "for the network", &id), CORE_OK);
    struct core_note note;
    assert_int_equal(core_note_get(alice, CORE_ZONE_NZ, id, &note), CORE_OK);
    assert_string_equal(note.mms, nz1);
    assert_int_equal(note.zone, CORE_ZONE_NZ);
    char shown[32];
    core_note_id_format(CORE_ZONE_NZ, 7, shown, sizeof shown);
    assert_string_equal(shown, "nz:7");
    core_note_id_format(CORE_ZONE_IZ, 7, shown, sizeof shown);
    assert_string_equal(shown, "7");
    enum core_zone z;
    long v;
    assert_int_equal(core_note_id_parse("17", &z, &v), CORE_OK);
    assert_int_equal(z, CORE_ZONE_IZ);
    assert_int_equal(v, 17);
    assert_int_equal(core_note_id_parse("NZ:3", &z, &v), CORE_OK);
    assert_int_equal(z, CORE_ZONE_NZ);
    assert_int_equal(v, 3);
    assert_int_equal(core_note_id_parse("iz:4", &z, &v), CORE_OK);
    assert_int_equal(z, CORE_ZONE_IZ);
    const char *bad[] = {"", "x", "0", "-1", "nz:", "17a", "cz:1", "nz:-2", " 5"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(core_note_id_parse(bad[i], &z, &v), CORE_ERR_USER);
    /* The IZ has no note with the NZ note's number unless one was added there. */
    assert_int_equal(core_note_delete(alice, CORE_ZONE_NZ, id), CORE_OK);
    core_repo_close(alice);
}

static void
test_note_refusals(void **state)
{
    struct core_repo *ivan = as("ivan");
    assert_int_equal(core_note_add(ivan, iz1, "hello", NULL), CORE_ERR_ROLE);
    assert_non_null(strstr(core_repo_errmsg(ivan), "needs role cataloger"));
    core_repo_close(ivan);
    struct core_repo *stranger = as("nobody");
    assert_int_equal(core_note_add(stranger, iz1, "hello", NULL), CORE_ERR_ROLE);
    core_repo_close(stranger);
    struct core_repo *alice = as("alice");
    assert_int_equal(core_note_add(alice, iz1, "", NULL), CORE_ERR_USER);
    assert_int_equal(core_note_add(alice, iz1, " \n\t ", NULL), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(alice), "empty"));
    assert_int_equal(core_note_add(alice, iz1, "caf\xc3", NULL), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(alice), "not valid UTF-8 (byte 4)"));
    assert_int_equal(core_note_add(alice, iz1, "bell\a", NULL), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(alice), "control character (0x07 at byte 5)"));
    char *big = malloc(CORE_NOTE_MAX + 2);
    memset(big, 'x', CORE_NOTE_MAX + 1);
    big[CORE_NOTE_MAX + 1] = '\0';
    assert_int_equal(core_note_add(alice, iz1, big, NULL), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(alice), "4001 bytes long; at most 4000"));
    big[CORE_NOTE_MAX] = '\0';
    long id;
    assert_int_equal(core_note_add(alice, iz1, big, &id), CORE_OK);
    struct core_note *n = malloc(sizeof *n);
    assert_int_equal(core_note_get(alice, CORE_ZONE_IZ, id, n), CORE_OK);
    assert_int_equal(strlen(n->text), CORE_NOTE_MAX);
    free(n);
    free(big);
    assert_int_equal(core_note_delete(alice, CORE_ZONE_IZ, id), CORE_OK);
    /* Not a bib, no such bib, not an MMS ID, a deleted bib. */
    assert_int_equal(core_note_add(alice, "221000000011234", "x", NULL), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(alice), "bibliographic record"));
    assert_int_equal(core_note_add(alice, "991999999991234", "x", NULL), CORE_ERR_NOTFOUND);
    assert_int_equal(core_note_add(alice, "hello", "x", NULL), CORE_ERR_USER);
    struct core_note *list;
    size_t count;
    assert_int_equal(core_note_list(alice, "991999999991234", &list, &count), CORE_ERR_NOTFOUND);
    core_repo_close(alice);
    char gone[CORE_MMS_MAX];
    fresh("To be deleted", CORE_ZONE_IZ, gone);
    struct core_repo *carol = as("carol");
    assert_int_equal(core_record_delete(carol, gone), CORE_OK);
    assert_int_equal(core_note_add(carol, gone, "x", NULL), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(carol), "has been deleted"));
    core_repo_close(carol);
}

/* ---- assignments ---- */

static void
test_assign_locks_for_assignee(void **state)
{
    char mms[CORE_MMS_MAX];
    fresh("Assigned", CORE_ZONE_IZ, mms);
    struct core_repo *bob = as("bob");
    char warn[512];
    assert_int_equal(core_assign(bob, mms, "alice", "Please check the 650s", warn, sizeof warn),
                     CORE_OK);
    assert_string_equal(warn, ""); /* mail is off */
    struct core_assignment a;
    assert_int_equal(core_assign_get(bob, mms, &a), CORE_OK);
    assert_string_equal(a.assignee, "alice");
    assert_string_equal(a.assigner, "bob");
    assert_string_equal(a.note, "Please check the 650s");
    assert_string_equal(a.title, "Assigned");
    assert_false(a.open);
    /* Others: View Only, "assigned to alice" — the assigner too. */
    struct core_repo *carol = as("carol");
    struct marc_record *r = marc_record_new();
    struct core_lock_info lock;
    int version;
    assert_int_equal(core_record_open(carol, mms, r, &version, &lock), CORE_ERR_CONFLICT);
    assert_true(lock.assigned);
    assert_string_equal(lock.user, "alice");
    assert_non_null(strstr(core_repo_errmsg(carol), "assigned to alice"));
    assert_int_equal(core_record_save(carol, mms, r, version, "edit", false, NULL, NULL, NULL),
                     CORE_ERR_CONFLICT);
    assert_int_equal(core_record_open(bob, mms, r, &version, &lock), CORE_ERR_CONFLICT);
    /* The assignee opens it for editing and saves. */
    struct core_repo *alice = as("alice");
    assert_int_equal(core_record_open(alice, mms, r, &version, &lock), CORE_OK);
    assert_int_equal(core_record_save(alice, mms, r, version, "edit", false, NULL, NULL, NULL),
                     CORE_OK);
    /* While alice has it open the assigner cannot release the assignment. */
    assert_int_equal(core_assign_get(bob, mms, &a), CORE_OK);
    assert_true(a.open);
    assert_int_equal(core_assign_release(bob, mms, NULL), CORE_ERR_CONFLICT);
    assert_non_null(strstr(core_repo_errmsg(bob), "alice still has"));
    /* Nobody else may release it at all. */
    assert_int_equal(core_assign_release(carol, mms, NULL), CORE_ERR_ROLE);
    assert_non_null(strstr(core_repo_errmsg(carol), "only alice, or bob once alice"));
    /* Alice releases the record (still assigned: still locked for her). */
    assert_int_equal(core_record_release(alice, mms), CORE_OK);
    assert_int_equal(core_record_open(carol, mms, r, &version, &lock), CORE_ERR_CONFLICT);
    assert_true(lock.assigned);
    /* Now the assigner may release the assignment, with a note kept on the record. */
    assert_int_equal(core_assign_release(bob, mms, "Thanks, all done"), CORE_OK);
    assert_int_equal(core_assign_get(bob, mms, &a), CORE_ERR_NOTFOUND);
    struct core_note *n;
    size_t count;
    assert_int_equal(core_note_list(bob, mms, &n, &count), CORE_OK);
    assert_int_equal(count, 1);
    assert_string_equal(n[0].text, "Assignment to alice released by bob: Thanks, all done");
    assert_string_equal(n[0].author, "bob");
    free(n);
    assert_int_equal(core_assign_release(bob, mms, NULL), CORE_ERR_NOTFOUND);
    /* Free for everyone again. */
    assert_int_equal(core_record_open(carol, mms, r, &version, &lock), CORE_OK);
    assert_int_equal(core_record_release(carol, mms), CORE_OK);
    marc_record_free(r);
    core_repo_close(alice);
    core_repo_close(carol);
    core_repo_close(bob);
}

static void
test_assignee_releases_while_open(void **state)
{
    char mms[CORE_MMS_MAX];
    fresh("Released by assignee", CORE_ZONE_IZ, mms);
    struct core_repo *bob = as("bob");
    assert_int_equal(core_assign(bob, mms, "alice", NULL, NULL, 0), CORE_OK);
    struct core_repo *alice = as("alice");
    struct marc_record *r = marc_record_new();
    int version;
    assert_int_equal(core_record_open(alice, mms, r, &version, NULL), CORE_OK);
    /* The assignee may release the assignment any time; her editing lock stays hers. */
    assert_int_equal(core_assign_release(alice, mms, NULL), CORE_OK);
    struct core_note *n;
    size_t count;
    assert_int_equal(core_note_list(alice, mms, &n, &count), CORE_OK);
    assert_int_equal(count, 0); /* no note without a release note */
    free(n);
    struct core_lock_info lock;
    assert_int_equal(core_record_lock_info(bob, mms, &lock), CORE_OK);
    assert_true(lock.locked);
    assert_false(lock.assigned);
    assert_string_equal(lock.user, "alice");
    assert_int_equal(core_record_release(alice, mms), CORE_OK);
    assert_int_equal(core_record_lock_info(bob, mms, &lock), CORE_OK);
    assert_false(lock.locked);
    marc_record_free(r);
    core_repo_close(alice);
    core_repo_close(bob);
}

static void
test_assign_refusals(void **state)
{
    char mms[CORE_MMS_MAX];
    fresh("Refusals", CORE_ZONE_IZ, mms);
    struct core_repo *bob = as("bob");
    assert_int_equal(core_assign(bob, mms, "bob", NULL, NULL, 0), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(bob), "not to yourself"));
    assert_int_equal(core_assign(bob, mms, "zoe", NULL, NULL, 0), CORE_ERR_NOTFOUND);
    assert_non_null(strstr(core_repo_errmsg(bob), "no user zoe"));
    assert_int_equal(core_assign(bob, mms, "ivan", NULL, NULL, 0), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(bob), "ivan cannot be assigned records"));
    assert_int_equal(core_assign(bob, mms, "", NULL, NULL, 0), CORE_ERR_USER);
    assert_int_equal(core_assign(bob, "221000000011234", "alice", NULL, NULL, 0), CORE_ERR_USER);
    assert_int_equal(core_assign(bob, "991999999991234", "alice", NULL, NULL, 0),
                     CORE_ERR_NOTFOUND);
    char *big = malloc(CORE_ASSIGN_NOTE_MAX + 2);
    memset(big, 'n', CORE_ASSIGN_NOTE_MAX + 1);
    big[CORE_ASSIGN_NOTE_MAX + 1] = '\0';
    assert_int_equal(core_assign(bob, mms, "alice", big, NULL, 0), CORE_ERR_USER);
    free(big);
    struct core_repo *ivan = as("ivan");
    assert_int_equal(core_assign(ivan, mms, "alice", NULL, NULL, 0), CORE_ERR_ROLE);
    core_repo_close(ivan);
    /* Open in a third person's editor: refused; the failed attempt left nothing. */
    struct core_repo *carol = as("carol");
    struct marc_record *r = marc_record_new();
    int version;
    assert_int_equal(core_record_open(carol, mms, r, &version, NULL), CORE_OK);
    assert_int_equal(core_assign(bob, mms, "alice", NULL, NULL, 0), CORE_ERR_CONFLICT);
    assert_non_null(strstr(core_repo_errmsg(bob), "locked by carol"));
    struct core_assignment a;
    assert_int_equal(core_assign_get(bob, mms, &a), CORE_ERR_NOTFOUND);
    /* An expired lock does not count. */
    char q[256];
    snprintf(q, sizeof q,
             "UPDATE lock SET seen = seen - 7200, since = since - 7200 WHERE mms = '%s'", mms);
    sql("iz.db", q);
    assert_int_equal(core_assign(bob, mms, "alice", NULL, NULL, 0), CORE_OK);
    /* Already assigned. */
    assert_int_equal(core_assign(carol, mms, "dora", NULL, NULL, 0), CORE_ERR_CONFLICT);
    assert_non_null(strstr(core_repo_errmsg(carol), "already assigned to alice (by bob"));
    assert_int_equal(core_assign_get(bob, mms, &a), CORE_OK);
    assert_string_equal(a.assignee, "alice");
    assert_int_equal(core_assign_release(bob, mms, NULL), CORE_OK);
    marc_record_free(r);
    core_repo_close(carol);
    core_repo_close(bob);
}

static void
test_assign_passes_own_lock(void **state)
{
    char mms[CORE_MMS_MAX], mms2[CORE_MMS_MAX];
    fresh("Open by assigner", CORE_ZONE_IZ, mms);
    fresh("Open by assignee", CORE_ZONE_IZ, mms2);
    struct core_repo *bob = as("bob");
    struct marc_record *r = marc_record_new();
    int version;
    struct core_lock_info lock;
    /* The assigner has it open: the lock passes to the assignee (Alma). */
    assert_int_equal(core_record_open(bob, mms, r, &version, NULL), CORE_OK);
    assert_int_equal(core_assign(bob, mms, "alice", NULL, NULL, 0), CORE_OK);
    assert_int_equal(core_record_open(bob, mms, r, &version, &lock), CORE_ERR_CONFLICT);
    assert_true(lock.assigned);
    assert_string_equal(lock.user, "alice");
    /* The assignee already has it open: assigning is fine. */
    struct core_repo *alice = as("alice");
    assert_int_equal(core_record_open(alice, mms2, r, &version, NULL), CORE_OK);
    assert_int_equal(core_assign(bob, mms2, "alice", NULL, NULL, 0), CORE_OK);
    struct core_assignment a;
    assert_int_equal(core_assign_get(bob, mms2, &a), CORE_OK);
    assert_true(a.open);
    assert_int_equal(core_record_release(alice, mms2), CORE_OK);
    assert_int_equal(core_assign_release(alice, mms, NULL), CORE_OK);
    assert_int_equal(core_assign_release(alice, mms2, NULL), CORE_OK);
    marc_record_free(r);
    core_repo_close(alice);
    core_repo_close(bob);
}

static void
test_assign_nz_and_list(void **state)
{
    char a1[CORE_MMS_MAX], a2[CORE_MMS_MAX], a3[CORE_MMS_MAX];
    fresh("List one", CORE_ZONE_IZ, a1);
    fresh("List NZ", CORE_ZONE_NZ, a2);
    fresh("List three", CORE_ZONE_IZ, a3);
    struct core_repo *bob = as("bob"), *alice = as("alice"), *dora = as("dora");
    assert_int_equal(core_assign(bob, a1, "alice", "one", NULL, 0), CORE_OK);
    assert_int_equal(core_assign(bob, a2, "alice", "nz", NULL, 0), CORE_OK);
    assert_int_equal(core_assign(alice, a3, "dora", NULL, NULL, 0), CORE_OK);
    /* The NZ record is locked for alice too. */
    struct core_lock_info lock;
    assert_int_equal(core_record_lock_info(dora, a2, &lock), CORE_OK);
    assert_true(lock.assigned);
    assert_string_equal(lock.user, "alice");
    struct core_assignment *l;
    size_t n;
    assert_int_equal(core_assign_list(alice, CORE_ASSIGN_TO_ME, &l, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(l[0].mms, a1);
    assert_int_equal(l[0].zone, CORE_ZONE_IZ);
    assert_string_equal(l[1].mms, a2);
    assert_int_equal(l[1].zone, CORE_ZONE_NZ);
    assert_string_equal(l[1].title, "List NZ");
    free(l);
    assert_int_equal(core_assign_list(alice, CORE_ASSIGN_BY_ME, &l, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(l[0].mms, a3);
    assert_string_equal(l[0].assignee, "dora");
    free(l);
    assert_int_equal(core_assign_list(dora, CORE_ASSIGN_ALL, &l, &n), CORE_OK);
    size_t mine = 0;
    for (size_t i = 0; i < n; i++)
        mine += !strcmp(l[i].mms, a1) || !strcmp(l[i].mms, a2) || !strcmp(l[i].mms, a3);
    assert_int_equal(mine, 3);
    free(l);
    assert_int_equal(core_assign_release(alice, a1, NULL), CORE_OK);
    assert_int_equal(core_assign_release(alice, a2, NULL), CORE_OK);
    assert_int_equal(core_assign_release(dora, a3, NULL), CORE_OK);
    core_repo_close(dora);
    core_repo_close(alice);
    core_repo_close(bob);
}

/* ---- mail ---- */

static void
write_script(const char *name, const char *body, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", tmpdir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "#!/bin/sh\n%s\n", body);
    fclose(fp);
    assert_int_equal(chmod(path, 0755), 0);
}

static void
set_config(const char *key, const char *value)
{
    struct core_repo *admin = as("admin");
    assert_int_equal(core_config_set(admin, key, value), CORE_OK);
    core_repo_close(admin);
}

/* Decode base64 (the test's own reading of an RFC 2047 encoded word). */
static void
unbase64(const char *in, size_t len, char *out)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len && in[i] != '='; i++) {
        const char *p = strchr(alphabet, in[i]);
        assert_non_null(p);
        acc = acc << 6 | (unsigned)(p - alphabet);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *out++ = (char)(acc >> bits & 0xff);
        }
    }
    *out = '\0';
}

static void
test_assign_mail(void **state)
{
    char prog[256], out[256], body[600], mms[CORE_MMS_MAX];
    snprintf(out, sizeof out, "%s/mail.out", tmpdir);
    snprintf(body, sizeof body, "{ echo \"ARGS: $*\"; cat; } > '%s'", out);
    write_script("sendmail-ok", body, prog, sizeof prog);
    set_config("mail.sendmail", prog);
    set_config("mail.from", "colophon@example.org");
    fresh("Mailed title ☃", CORE_ZONE_IZ, mms);
    struct core_repo *bob = as("bob");
    char warn[1024];
    assert_int_equal(core_assign(bob, mms, "alice", "Fix 650", warn, sizeof warn), CORE_OK);
    assert_string_equal(warn, "");
    char *m = test_read_file(out, NULL);
    assert_non_null(strstr(m, "ARGS: -i -f colophon@example.org -- alice@example.org\n"));
    assert_non_null(strstr(m, "\nTo: alice@example.org\n"));
    assert_non_null(strstr(m, "\nFrom: Colophon <colophon@example.org>\n"));
    char subject[128];
    snprintf(subject, sizeof subject, "Subject: [Colophon] bob assigned record %s to you\n", mms);
    assert_non_null(strstr(m, subject));
    assert_non_null(strstr(m, "charset=UTF-8"));
    assert_non_null(strstr(m, "Title:       Mailed title ☃\n"));
    assert_non_null(strstr(m, "Note:        Fix 650\n"));
    free(m);
    assert_int_equal(core_assign_release(bob, mms, NULL), CORE_OK);
    /* A subject that is not ASCII (a user name) is an RFC 2047 encoded word. */
    struct core_repo *admin = as("admin");
    assert_int_equal(core_user_add(admin, "josé", CORE_ROLE_CATALOGER, NULL), CORE_OK);
    core_repo_close(admin);
    struct core_repo *jose = as("josé");
    assert_int_equal(core_assign(jose, mms, "alice", NULL, warn, sizeof warn), CORE_OK);
    assert_string_equal(warn, "");
    m = test_read_file(out, NULL);
    const char *word = strstr(m, "\nSubject: [Colophon] =?UTF-8?B?");
    assert_non_null(word);
    word += strlen("\nSubject: [Colophon] =?UTF-8?B?");
    const char *end = strstr(word, "?=\n");
    assert_non_null(end);
    char decoded[256], expect[256];
    unbase64(word, (size_t)(end - word), decoded);
    snprintf(expect, sizeof expect, "josé assigned record %s to you", mms);
    assert_string_equal(decoded, expect);
    free(m);
    assert_int_equal(core_assign_release(jose, mms, NULL), CORE_OK);
    core_repo_close(jose);
    /* sendmail fails: the assignment stands, with a warning naming why. */
    write_script("sendmail-fail", "echo 'no route to host' >&2; exit 3", prog, sizeof prog);
    set_config("mail.sendmail", prog);
    assert_int_equal(core_assign(bob, mms, "alice", NULL, warn, sizeof warn), CORE_OK);
    assert_non_null(strstr(warn, "exited with status 3: no route to host"));
    assert_non_null(strstr(warn, "is assigned to alice, but no e-mail was sent"));
    struct core_assignment a;
    assert_int_equal(core_assign_get(bob, mms, &a), CORE_OK);
    assert_int_equal(core_assign_release(bob, mms, NULL), CORE_OK);
    /* No such program. */
    snprintf(prog, sizeof prog, "%s/no-such-sendmail", tmpdir);
    set_config("mail.sendmail", prog);
    assert_int_equal(core_assign(bob, mms, "alice", NULL, warn, sizeof warn), CORE_OK);
    assert_non_null(strstr(warn, "cannot run"));
    assert_int_equal(core_assign_release(bob, mms, NULL), CORE_OK);
    /* A sendmail that hangs is stopped after mail.timeout. */
    write_script("sendmail-hang", "exec sleep 30", prog, sizeof prog);
    set_config("mail.sendmail", prog);
    set_config("mail.timeout", "1");
    time_t t0 = time(NULL);
    assert_int_equal(core_assign(bob, mms, "alice", NULL, warn, sizeof warn), CORE_OK);
    assert_true(time(NULL) - t0 < 10);
    assert_non_null(strstr(warn, "did not finish within 1 s"));
    assert_int_equal(core_assign_release(bob, mms, NULL), CORE_OK);
    /* The assignee has no address. */
    assert_int_equal(core_assign(bob, mms, "dora", NULL, warn, sizeof warn), CORE_OK);
    assert_non_null(strstr(warn, "dora has no e-mail address"));
    assert_int_equal(core_assign_release(bob, mms, NULL), CORE_OK);
    /* Mail off again: no warning, nothing run. */
    set_config("mail.sendmail", "");
    unlink(out);
    assert_int_equal(core_assign(bob, mms, "alice", NULL, warn, sizeof warn), CORE_OK);
    assert_string_equal(warn, "");
    assert_int_not_equal(access(out, F_OK), 0);
    assert_int_equal(core_assign_release(bob, mms, NULL), CORE_OK);
    core_repo_close(bob);
}

/* ---- reminders ---- */

static void
test_reminder_dates(void **state)
{
    struct core_repo *alice = as("alice");
    const char *good[] = {"2024-02-29", "2000-02-29", "2026-12-31", "1999-01-01"};
    const char *bad[] = {"2026-02-29",
                         "1900-02-29",
                         "2026-13-01",
                         "2026-04-31",
                         "2026-1-01",
                         "26-01-01",
                         "2026/01/01",
                         "abcd-ef-gh",
                         "0999-01-01",
                         "2026-00-10",
                         "2026-01-00",
                         "2026-01-011",
                         ""};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_int_equal(core_reminder_date_check(alice, "d", good[i]), CORE_OK);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(core_reminder_date_check(alice, "d", bad[i]), CORE_ERR_USER);
    struct core_reminder_fields f = {.text = "x", .due = "2026-02-30"};
    assert_int_equal(core_reminder_add(alice, iz1, &f, NULL), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(alice), "the due date '2026-02-30' is not a date"));
    char today[16];
    core_reminder_today(today, sizeof today);
    assert_string_equal(today, day(0));
    core_repo_close(alice);
}

static void
test_reminder_add_edit_delete(void **state)
{
    char mms[CORE_MMS_MAX];
    fresh("Reminded", CORE_ZONE_IZ, mms);
    struct core_repo *alice = as("alice");
    struct core_reminder_fields f = {.text = "Close the serial", .due = "2030-01-15"};
    long id;
    time_t t0 = time(NULL);
    assert_int_equal(core_reminder_add(alice, mms, &f, &id), CORE_OK);
    struct core_reminder r;
    assert_int_equal(core_reminder_get(alice, CORE_ZONE_IZ, id, &r), CORE_OK);
    assert_string_equal(r.mms, mms);
    assert_string_equal(r.title, "Reminded");
    assert_string_equal(r.text, "Close the serial");
    assert_string_equal(r.due, "2030-01-15");
    assert_string_equal(r.type, "GENERAL");
    assert_string_equal(r.status, "NEW");
    assert_string_equal(r.author, "alice");
    assert_true(r.open);
    assert_true(r.submitted >= t0 && r.submitted <= time(NULL));
    /* Codes are read in any case; unknown ones refused. */
    struct core_reminder_fields g = {.text = "lower", .type = "general", .status = "new"};
    long id2;
    assert_int_equal(core_reminder_add(alice, mms, &g, &id2), CORE_OK);
    assert_int_equal(core_reminder_get(alice, CORE_ZONE_IZ, id2, &r), CORE_OK);
    assert_string_equal(r.type, "GENERAL");
    assert_string_equal(r.due, ""); /* no due date */
    g.type = "NOPE";
    assert_int_equal(core_reminder_add(alice, mms, &g, NULL), CORE_ERR_NOTFOUND);
    assert_non_null(strstr(core_repo_errmsg(alice), "no reminder type 'NOPE' in the IZ"));
    g.type = "bad code!";
    assert_int_equal(core_reminder_add(alice, mms, &g, NULL), CORE_ERR_USER);
    struct core_reminder_fields none = {.due = "2030-01-01"};
    assert_int_equal(core_reminder_add(alice, mms, &none, NULL), CORE_ERR_USER);
    none.text = "  ";
    assert_int_equal(core_reminder_add(alice, mms, &none, NULL), CORE_ERR_USER);
    struct core_repo *ivan = as("ivan");
    assert_int_equal(core_reminder_add(ivan, mms, &f, NULL), CORE_ERR_ROLE);
    core_repo_close(ivan);
    /* Edit: only the fields given; due "" removes the date. */
    struct core_reminder_fields e = {.status = "new", .due = ""};
    assert_int_equal(core_reminder_edit(alice, CORE_ZONE_IZ, id, &e), CORE_OK);
    assert_int_equal(core_reminder_get(alice, CORE_ZONE_IZ, id, &r), CORE_OK);
    assert_string_equal(r.due, "");
    assert_string_equal(r.text, "Close the serial");
    struct core_reminder_fields e2 = {.text = "Withdraw", .due = "2031-03-01"};
    assert_int_equal(core_reminder_edit(alice, CORE_ZONE_IZ, id, &e2), CORE_OK);
    assert_int_equal(core_reminder_get(alice, CORE_ZONE_IZ, id, &r), CORE_OK);
    assert_string_equal(r.text, "Withdraw");
    assert_string_equal(r.due, "2031-03-01");
    struct core_reminder_fields empty = {0};
    assert_int_equal(core_reminder_edit(alice, CORE_ZONE_IZ, id, &empty), CORE_ERR_USER);
    struct core_reminder_fields baddate = {.due = "2031-02-29"};
    assert_int_equal(core_reminder_edit(alice, CORE_ZONE_IZ, id, &baddate), CORE_ERR_USER);
    struct core_reminder_fields badstatus = {.status = "GONE"};
    assert_int_equal(core_reminder_edit(alice, CORE_ZONE_IZ, id, &badstatus), CORE_ERR_NOTFOUND);
    assert_int_equal(core_reminder_get(alice, CORE_ZONE_IZ, id, &r), CORE_OK);
    assert_string_equal(r.status, "NEW");
    /* Others: bob refused, carol (extended) and admin allowed. */
    struct core_repo *bob = as("bob"), *carol = as("carol"), *admin = as("admin");
    assert_int_equal(core_reminder_edit(bob, CORE_ZONE_IZ, id, &e2), CORE_ERR_ROLE);
    assert_int_equal(core_reminder_delete(bob, CORE_ZONE_IZ, id), CORE_ERR_ROLE);
    assert_int_equal(core_reminder_edit(carol, CORE_ZONE_IZ, id, &e), CORE_OK);
    assert_int_equal(core_reminder_delete(admin, CORE_ZONE_IZ, id2), CORE_OK);
    assert_int_equal(core_reminder_delete(alice, CORE_ZONE_IZ, id), CORE_OK);
    assert_int_equal(core_reminder_get(alice, CORE_ZONE_IZ, id, &r), CORE_ERR_NOTFOUND);
    assert_int_equal(core_reminder_delete(alice, CORE_ZONE_IZ, id), CORE_ERR_NOTFOUND);
    core_repo_close(admin);
    core_repo_close(carol);
    core_repo_close(bob);
    core_repo_close(alice);
}

static void
test_reminder_codes(void **state)
{
    struct core_repo *admin = as("admin"), *alice = as("alice");
    struct core_reminder_code *c;
    size_t n;
    assert_int_equal(core_reminder_codes(alice, CORE_ZONE_IZ, CORE_REMINDER_TYPES, &c, &n),
                     CORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(c[0].code, "GENERAL");
    assert_string_equal(c[0].description, "General");
    assert_true(c[0].is_default);
    free(c);
    assert_int_equal(core_reminder_codes(alice, CORE_ZONE_NZ, CORE_REMINDER_STATUSES, &c, &n),
                     CORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(c[0].code, "NEW");
    assert_true(c[0].is_default);
    assert_false(c[0].closed);
    free(c);
    /* Admin only. */
    assert_int_equal(
        core_reminder_code_add(alice, CORE_ZONE_IZ, CORE_REMINDER_TYPES, "X", "X", false, false),
        CORE_ERR_ROLE);
    /* A new default replaces the old: exactly one. */
    assert_int_equal(core_reminder_code_add(admin, CORE_ZONE_IZ, CORE_REMINDER_TYPES, "close",
                                            "Close record", true, false),
                     CORE_OK);
    assert_int_equal(core_reminder_codes(alice, CORE_ZONE_IZ, CORE_REMINDER_TYPES, &c, &n),
                     CORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(c[0].code, "CLOSE");
    assert_true(c[0].is_default);
    assert_false(c[1].is_default);
    free(c);
    /* New reminders take the new default. */
    struct core_reminder_fields f = {.text = "default type"};
    long id;
    assert_int_equal(core_reminder_add(alice, iz2, &f, &id), CORE_OK);
    struct core_reminder r;
    assert_int_equal(core_reminder_get(alice, CORE_ZONE_IZ, id, &r), CORE_OK);
    assert_string_equal(r.type, "CLOSE");
    /* Refusals: duplicate, bad code, blank description, closed type, closed default. */
    assert_int_equal(core_reminder_code_add(admin, CORE_ZONE_IZ, CORE_REMINDER_TYPES, "CLOSE",
                                            "again", false, false),
                     CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(admin), "already has a reminder type 'CLOSE'"));
    assert_int_equal(
        core_reminder_code_add(admin, CORE_ZONE_IZ, CORE_REMINDER_TYPES, "A B", "x", false, false),
        CORE_ERR_USER);
    assert_int_equal(
        core_reminder_code_add(admin, CORE_ZONE_IZ, CORE_REMINDER_TYPES, "", "x", false, false),
        CORE_ERR_USER);
    assert_int_equal(
        core_reminder_code_add(admin, CORE_ZONE_IZ, CORE_REMINDER_TYPES, "OK", " ", false, false),
        CORE_ERR_USER);
    assert_int_equal(core_reminder_code_add(admin, CORE_ZONE_IZ, CORE_REMINDER_TYPES, "OK",
                                            "two\nlines", false, false),
                     CORE_ERR_USER);
    assert_int_equal(
        core_reminder_code_add(admin, CORE_ZONE_IZ, CORE_REMINDER_TYPES, "OK", "x", false, true),
        CORE_ERR_USER);
    assert_int_equal(core_reminder_code_add(admin, CORE_ZONE_IZ, CORE_REMINDER_STATUSES, "DONE",
                                            "Done", true, true),
                     CORE_ERR_USER);
    assert_int_equal(core_reminder_code_add(admin, CORE_ZONE_IZ, CORE_REMINDER_STATUSES, "DONE",
                                            "Done", false, true),
                     CORE_OK);
    assert_int_equal(
        core_reminder_code_default(admin, CORE_ZONE_IZ, CORE_REMINDER_STATUSES, "done"),
        CORE_ERR_USER);
    assert_int_equal(core_reminder_code_default(admin, CORE_ZONE_IZ, CORE_REMINDER_TYPES, "NONE"),
                     CORE_ERR_NOTFOUND);
    /* Removing: used -> refused; default -> refused; unused -> done. */
    assert_int_equal(core_reminder_code_remove(admin, CORE_ZONE_IZ, CORE_REMINDER_TYPES, "close"),
                     CORE_ERR_CONFLICT);
    assert_non_null(strstr(core_repo_errmsg(admin), "used by 1 reminder(s)"));
    assert_int_equal(
        core_reminder_code_default(admin, CORE_ZONE_IZ, CORE_REMINDER_TYPES, "general"), CORE_OK);
    assert_int_equal(core_reminder_code_remove(admin, CORE_ZONE_IZ, CORE_REMINDER_TYPES, "GENERAL"),
                     CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(admin), "is the default"));
    assert_int_equal(core_reminder_delete(alice, CORE_ZONE_IZ, id), CORE_OK);
    assert_int_equal(core_reminder_code_remove(admin, CORE_ZONE_IZ, CORE_REMINDER_TYPES, "CLOSE"),
                     CORE_OK);
    assert_int_equal(core_reminder_code_remove(admin, CORE_ZONE_IZ, CORE_REMINDER_TYPES, "CLOSE"),
                     CORE_ERR_NOTFOUND);
    /* Lists are per zone: the NZ does not have the IZ's DONE. */
    struct core_reminder_fields nzf = {.text = "nz", .status = "DONE"};
    assert_int_equal(core_reminder_add(alice, nz1, &nzf, NULL), CORE_ERR_NOTFOUND);
    assert_non_null(strstr(core_repo_errmsg(alice), "in the NZ"));
    assert_int_equal(core_reminder_code_add(admin, CORE_ZONE_NZ, CORE_REMINDER_STATUSES, "DONE",
                                            "Done", false, true),
                     CORE_OK);
    assert_int_equal(core_reminder_add(alice, nz1, &nzf, &id), CORE_OK);
    assert_int_equal(core_reminder_get(alice, CORE_ZONE_NZ, id, &r), CORE_OK);
    assert_false(r.open);
    assert_int_equal(core_reminder_delete(alice, CORE_ZONE_NZ, id), CORE_OK);
    assert_int_equal(core_reminder_codes(alice, CORE_ZONE_CZ, CORE_REMINDER_TYPES, &c, &n),
                     CORE_ERR_USER);
    core_repo_close(alice);
    core_repo_close(admin);
}

/* True when the list holds reminder (zone, id). */
static bool
has(const struct core_reminder *r, size_t n, enum core_zone zone, long id)
{
    for (size_t i = 0; i < n; i++)
        if (r[i].zone == zone && r[i].id == id)
            return true;
    return false;
}

static void
test_reminder_filters(void **state)
{
    char m1[CORE_MMS_MAX], m2[CORE_MMS_MAX], mz[CORE_MMS_MAX];
    fresh("Filter one", CORE_ZONE_IZ, m1);
    fresh("Filter two", CORE_ZONE_IZ, m2);
    fresh("Filter NZ", CORE_ZONE_NZ, mz);
    struct core_repo *admin = as("admin"), *alice = as("alice");
    core_reminder_code_add(admin, CORE_ZONE_IZ, CORE_REMINDER_STATUSES, "DONE", "Done", false,
                           true);
    assert_int_equal(core_reminder_code_add(admin, CORE_ZONE_IZ, CORE_REMINDER_TYPES, "LOCAL",
                                            "Add local note", false, false),
                     CORE_OK);
    long past, today, future, undated, closed, nz;
    struct core_reminder_fields f = {.text = "past", .due = day(-3)};
    assert_int_equal(core_reminder_add(alice, m1, &f, &past), CORE_OK);
    f = (struct core_reminder_fields){.text = "today", .due = day(0), .type = "LOCAL"};
    assert_int_equal(core_reminder_add(alice, m1, &f, &today), CORE_OK);
    f = (struct core_reminder_fields){.text = "future", .due = day(5)};
    assert_int_equal(core_reminder_add(alice, m2, &f, &future), CORE_OK);
    f = (struct core_reminder_fields){.text = "undated"};
    assert_int_equal(core_reminder_add(alice, m2, &f, &undated), CORE_OK);
    f = (struct core_reminder_fields){.text = "closed", .due = day(-10), .status = "done"};
    assert_int_equal(core_reminder_add(alice, m2, &f, &closed), CORE_OK);
    f = (struct core_reminder_fields){.text = "nz past", .due = day(-1)};
    assert_int_equal(core_reminder_add(alice, mz, &f, &nz), CORE_OK);
    /* Submitted dates: 'past' a week ago, 'future' yesterday. */
    char q[256];
    snprintf(q, sizeof q,
             "UPDATE reminder SET submitted_at = submitted_at - 7*86400 WHERE id = %ld", past);
    sql("iz.db", q);
    snprintf(q, sizeof q, "UPDATE reminder SET submitted_at = submitted_at - 86400 WHERE id = %ld",
             future);
    sql("iz.db", q);

    struct core_reminder *r;
    size_t n;
    /* One record: by due date, undated last. */
    struct core_reminder_filter flt = {.mms = m2, .zone = -1};
    assert_int_equal(core_reminder_list(alice, &flt, &r, &n), CORE_OK);
    assert_int_equal(n, 3);
    assert_int_equal(r[0].id, closed);
    assert_false(r[0].open);
    assert_int_equal(r[1].id, future);
    assert_int_equal(r[2].id, undated);
    free(r);
    /* Overdue: before today, open status, both zones. */
    flt = (struct core_reminder_filter){.zone = -1, .overdue = true};
    assert_int_equal(core_reminder_list(alice, &flt, &r, &n), CORE_OK);
    assert_true(has(r, n, CORE_ZONE_IZ, past));
    assert_true(has(r, n, CORE_ZONE_NZ, nz));
    assert_false(has(r, n, CORE_ZONE_IZ, today));
    assert_false(has(r, n, CORE_ZONE_IZ, closed));
    assert_false(has(r, n, CORE_ZONE_IZ, future));
    assert_false(has(r, n, CORE_ZONE_IZ, undated));
    for (size_t i = 1; i < n; i++)
        assert_true(strcmp(r[i - 1].due, r[i].due) <= 0);
    free(r);
    /* Due: today included. */
    flt = (struct core_reminder_filter){.zone = -1, .due = true};
    assert_int_equal(core_reminder_list(alice, &flt, &r, &n), CORE_OK);
    assert_true(has(r, n, CORE_ZONE_IZ, today));
    assert_true(has(r, n, CORE_ZONE_IZ, past));
    assert_false(has(r, n, CORE_ZONE_IZ, closed));
    free(r);
    /* Due before a date (closed ones too: no status filter). */
    flt = (struct core_reminder_filter){.zone = CORE_ZONE_IZ, .due_before = day(0)};
    assert_int_equal(core_reminder_list(alice, &flt, &r, &n), CORE_OK);
    assert_true(has(r, n, CORE_ZONE_IZ, past));
    assert_true(has(r, n, CORE_ZONE_IZ, closed));
    assert_false(has(r, n, CORE_ZONE_IZ, today));
    assert_false(has(r, n, CORE_ZONE_NZ, nz)); /* zone filter */
    free(r);
    /* Type, status, open. */
    flt = (struct core_reminder_filter){.zone = -1, .type = "local"};
    assert_int_equal(core_reminder_list(alice, &flt, &r, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].id, today);
    free(r);
    flt = (struct core_reminder_filter){.zone = -1, .status = "DONE"};
    assert_int_equal(core_reminder_list(alice, &flt, &r, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].id, closed);
    free(r);
    flt = (struct core_reminder_filter){.mms = m2, .zone = -1, .open = true};
    assert_int_equal(core_reminder_list(alice, &flt, &r, &n), CORE_OK);
    assert_int_equal(n, 2);
    free(r);
    /* Submitted date range. */
    flt = (struct core_reminder_filter){.mms = m1, .zone = -1, .from = day(-8), .to = day(-6)};
    assert_int_equal(core_reminder_list(alice, &flt, &r, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].id, past);
    free(r);
    flt = (struct core_reminder_filter){.zone = CORE_ZONE_IZ, .from = day(-1), .to = day(-1)};
    assert_int_equal(core_reminder_list(alice, &flt, &r, &n), CORE_OK);
    assert_true(has(r, n, CORE_ZONE_IZ, future));
    assert_false(has(r, n, CORE_ZONE_IZ, past));
    assert_false(has(r, n, CORE_ZONE_IZ, today));
    free(r);
    flt = (struct core_reminder_filter){.mms = m1, .zone = -1, .from = day(0)};
    assert_int_equal(core_reminder_list(alice, &flt, &r, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].id, today);
    free(r);
    /* Bad filters. */
    flt = (struct core_reminder_filter){.zone = -1, .from = "2026-02-30"};
    assert_int_equal(core_reminder_list(alice, &flt, &r, &n), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(alice), "--from '2026-02-30' is not a date"));
    flt = (struct core_reminder_filter){.zone = -1, .from = "2026-03-01", .to = "2026-02-01"};
    assert_int_equal(core_reminder_list(alice, &flt, &r, &n), CORE_ERR_USER);
    flt = (struct core_reminder_filter){.zone = -1, .type = "NOSUCH"};
    assert_int_equal(core_reminder_list(alice, &flt, &r, &n), CORE_ERR_NOTFOUND);
    flt = (struct core_reminder_filter){.zone = -1, .due_before = "tomorrow"};
    assert_int_equal(core_reminder_list(alice, &flt, &r, &n), CORE_ERR_USER);
    flt = (struct core_reminder_filter){.mms = "991999999991234", .zone = -1};
    assert_int_equal(core_reminder_list(alice, &flt, &r, &n), CORE_ERR_NOTFOUND);
    assert_null(r);
    /* The queue: due ones of both zones, not future, undated or closed. */
    struct core_queue qu;
    assert_int_equal(core_queue_get(alice, &qu), CORE_OK);
    assert_string_equal(qu.today, day(0));
    assert_true(has(qu.due, qu.ndue, CORE_ZONE_IZ, past));
    assert_true(has(qu.due, qu.ndue, CORE_ZONE_IZ, today));
    assert_true(has(qu.due, qu.ndue, CORE_ZONE_NZ, nz));
    assert_false(has(qu.due, qu.ndue, CORE_ZONE_IZ, future));
    assert_false(has(qu.due, qu.ndue, CORE_ZONE_IZ, undated));
    assert_false(has(qu.due, qu.ndue, CORE_ZONE_IZ, closed));
    core_queue_free(&qu);
    core_queue_free(NULL);
    /* Closing a reminder takes it out of the queue. */
    struct core_reminder_fields done = {.status = "DONE"};
    assert_int_equal(core_reminder_edit(alice, CORE_ZONE_IZ, past, &done), CORE_OK);
    assert_int_equal(core_queue_get(alice, &qu), CORE_OK);
    assert_false(has(qu.due, qu.ndue, CORE_ZONE_IZ, past));
    core_queue_free(&qu);
    core_repo_close(alice);
    core_repo_close(admin);
}

static void
test_queue_assignments(void **state)
{
    char q1[CORE_MMS_MAX], q2[CORE_MMS_MAX];
    fresh("Queue one", CORE_ZONE_IZ, q1);
    fresh("Queue two", CORE_ZONE_IZ, q2);
    struct core_repo *dora = as("dora"), *carol = as("carol");
    assert_int_equal(core_assign(carol, q1, "dora", "look at this", NULL, 0), CORE_OK);
    assert_int_equal(core_assign(dora, q2, "carol", NULL, NULL, 0), CORE_OK);
    struct core_queue q;
    assert_int_equal(core_queue_get(dora, &q), CORE_OK);
    assert_int_equal(q.nto_me, 1);
    assert_string_equal(q.to_me[0].mms, q1);
    assert_string_equal(q.to_me[0].assigner, "carol");
    assert_string_equal(q.to_me[0].note, "look at this");
    assert_string_equal(q.to_me[0].title, "Queue one");
    assert_int_equal(q.nby_me, 1);
    assert_string_equal(q.by_me[0].mms, q2);
    assert_string_equal(q.by_me[0].assignee, "carol");
    assert_false(q.by_me[0].open);
    core_queue_free(&q);
    /* The assignee opens q2: dora's queue shows it open (not yet releasable by her). */
    struct marc_record *r = marc_record_new();
    int version;
    assert_int_equal(core_record_open(carol, q2, r, &version, NULL), CORE_OK);
    assert_int_equal(core_queue_get(dora, &q), CORE_OK);
    assert_true(q.by_me[0].open);
    core_queue_free(&q);
    assert_int_equal(core_record_release(carol, q2), CORE_OK);
    assert_int_equal(core_assign_release(dora, q2, NULL), CORE_OK);
    assert_int_equal(core_assign_release(dora, q1, NULL), CORE_OK);
    assert_int_equal(core_queue_get(dora, &q), CORE_OK);
    assert_int_equal(q.nto_me, 0);
    assert_int_equal(q.nby_me, 0);
    core_queue_free(&q);
    marc_record_free(r);
    core_repo_close(carol);
    core_repo_close(dora);
}

/* ---- the add-reminders job ---- */

static long
count_outcome(struct core_job_count *c, size_t n, const char *outcome)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].outcome, outcome) == 0)
            return c[i].n;
    return 0;
}

static void
test_job_add_reminders(void **state)
{
    char j1[CORE_MMS_MAX], j2[CORE_MMS_MAX], jn[CORE_MMS_MAX], gone[CORE_MMS_MAX];
    fresh("Job one", CORE_ZONE_IZ, j1);
    fresh("Job two", CORE_ZONE_IZ, j2);
    fresh("Job NZ", CORE_ZONE_NZ, jn);
    fresh("Job deleted", CORE_ZONE_IZ, gone);
    struct core_repo *carol = as("carol");
    assert_int_equal(core_record_delete(carol, gone), CORE_OK);
    const char *ids[] = {j1, jn, j2, gone};
    assert_int_equal(core_set_create_ids(carol, "remind-me", ids, 4), CORE_OK);
    bool known = false;
    for (const struct core_job_kind *const *k = core_job_kinds(); *k; k++)
        known |= strcmp((*k)->name, "add-reminders") == 0;
    assert_true(known);
    /* Parameters are checked before anything runs; a refused job leaves nothing. */
    char *bad[][2] = {{"date=2026-02-30", "text=x"},
                      {"type=NOPE", "text=x"},
                      {"status=GONE", "text=x"},
                      {"date=2030-01-01", "colour=red"},
                      {"text=", "date=2030-01-01"}};
    struct core_job_params p;
    long job;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(core_job_params_parse(carol, 2, bad[i], &p), CORE_OK);
        assert_int_not_equal(
            core_job_run(carol, "add-reminders", "remind-me", &p, NULL, NULL, &job), CORE_OK);
        core_job_params_free(&p);
    }
    char *notext[] = {"date=2030-01-01"};
    assert_int_equal(core_job_params_parse(carol, 1, notext, &p), CORE_OK);
    assert_int_equal(core_job_run(carol, "add-reminders", "remind-me", &p, NULL, NULL, &job),
                     CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(carol), "needs text=TEXT"));
    core_job_params_free(&p);
    struct core_job_info *jobs;
    size_t njobs;
    assert_int_equal(core_job_list(carol, &jobs, &njobs), CORE_OK);
    assert_int_equal(njobs, 0);
    free(jobs);
    char *good[] = {"date=2030-06-30", "type=general", "status=NEW",
                    "text=Withdraw when the 2nd "
                    "edition arrives"};
    assert_int_equal(core_job_params_parse(carol, 4, good, &p), CORE_OK);
    struct core_repo *ivan = as("ivan");
    assert_int_equal(core_job_run(ivan, "add-reminders", "remind-me", &p, NULL, NULL, &job),
                     CORE_ERR_ROLE);
    core_repo_close(ivan);
    assert_int_equal(core_job_run(carol, "add-reminders", "remind-me", &p, NULL, NULL, &job),
                     CORE_OK);
    core_job_params_free(&p);
    struct core_job_count *counts;
    size_t ncounts;
    struct core_job_result *res;
    size_t nres;
    assert_int_equal(core_job_report(carol, job, &counts, &ncounts, &res, &nres), CORE_OK);
    assert_int_equal(count_outcome(counts, ncounts, "added"), 2);
    assert_int_equal(count_outcome(counts, ncounts, "failed"), 2);
    assert_int_equal(nres, 4);
    assert_string_equal(res[0].outcome, "added");
    assert_string_equal(res[1].mms, jn);
    assert_string_equal(res[1].outcome, "failed");
    assert_non_null(strstr(res[1].detail, "is an NZ record: this job adds reminders to IZ "
                                          "records only"));
    assert_string_equal(res[3].outcome, "failed");
    assert_non_null(strstr(res[3].detail, "has been deleted"));
    free(counts);
    free(res);
    struct core_reminder *r;
    size_t n;
    struct core_reminder_filter f = {.mms = j1, .zone = -1};
    assert_int_equal(core_reminder_list(carol, &f, &r, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].text, "Withdraw when the 2nd edition arrives");
    assert_string_equal(r[0].due, "2030-06-30");
    assert_string_equal(r[0].type, "GENERAL");
    assert_string_equal(r[0].status, "NEW");
    assert_string_equal(r[0].author, "carol");
    free(r);
    f.mms = jn;
    assert_int_equal(core_reminder_list(carol, &f, &r, &n), CORE_OK);
    assert_int_equal(n, 0);
    free(r);
    /* A finished job does not run again: no record gets a second reminder. */
    assert_int_equal(core_job_resume(carol, job, NULL, NULL), CORE_ERR_USER);
    f.mms = j2;
    assert_int_equal(core_reminder_list(carol, &f, &r, &n), CORE_OK);
    assert_int_equal(n, 1);
    free(r);
    core_repo_close(carol);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_note_add_list_delete),
        cmocka_unit_test(test_note_nz_and_ids),
        cmocka_unit_test(test_note_refusals),
        cmocka_unit_test(test_assign_locks_for_assignee),
        cmocka_unit_test(test_assignee_releases_while_open),
        cmocka_unit_test(test_assign_refusals),
        cmocka_unit_test(test_assign_passes_own_lock),
        cmocka_unit_test(test_assign_nz_and_list),
        cmocka_unit_test(test_assign_mail),
        cmocka_unit_test(test_reminder_dates),
        cmocka_unit_test(test_reminder_add_edit_delete),
        cmocka_unit_test(test_reminder_codes),
        cmocka_unit_test(test_reminder_filters),
        cmocka_unit_test(test_queue_assignments),
        cmocka_unit_test(test_job_add_reminders),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, teardown);
}
