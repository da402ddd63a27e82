/*
 * test_tab_external.c - the External tab (copy cataloging, SPEC §3.5)
 * driven headless: an application takes keys (tui_app_key), its frames
 * (tui_app_render) are compared with tests/tui/ref/external-*.ref, and what
 * the repository holds afterwards is checked through the core.
 *
 * The targets are real sockets, nothing is mocked:
 *   remote  a `colophon serve` of a second repository (the LoC sample twice,
 *           its first record enriched with an OCLC number and a subject),
 *           started here in the background through core/serve.h on a free
 *           127.0.0.1 port and stopped (SIGTERM) at the end;
 *   down    a port nobody listens on (connection refused);
 *   silent  a socket of this test that listens but never answers (the
 *           search runs until Esc or its 1 s timeout).
 * The main loop of term.c is played by wait_search(): poll(2) on the
 * socket tui_app_pending hands out, then tui_app_io.
 *
 * Determinism: the clock is fixed (-Wl,--wrap=core_now), TZ is UTC, the
 * repository path shows as <repo> and the ports as <port>.  COLOPHON_UPDATE_REFS=1 rewrites the
 * references (read them!).
 */
#include "testutil.h"
#include "tui-fixture.h"

#include "app-int.h"
#include "import.h"
#include "keys.h"
#include "repo.h"
#include "serve.h"
#include "targets.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define W       80
#define H       24

#define LOCAL1  "991000000011234" /* "How to program a computer", enriched locally */
#define LOCAL2  "991000000021234" /* its twin (another LCCN) */
#define REMOTE1 "991000000015678" /* the same record at the remote target, enriched */

static struct {
    const char *dir; /* tf_dir */
    char remote[128]; /* the served repository */
    char local[128];  /* the repository the editor works on */
    char pidfile[160];
    int port, dead_port, silent_port;
    int silent_fd;
    pid_t server;
    struct core_repo *repo; /* admin on local */
} fx;

/* ---- sockets ---- */

static int
listener(int backlog, int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0 || (backlog && listen(fd, backlog) != 0))
        return -1;
    *port = ntohs(a.sin_port);
    return fd;
}

/* A port nobody listens on (bound for a moment to learn it, then let go). */
static int
free_port(void)
{
    int port = 0, fd = listener(0, &port);
    close(fd);
    return port;
}

/* ---- repositories ---- */

static struct core_repo *
make_repo(const char *path, const char *code, int copies)
{
    char *cause = NULL;
    if (core_repo_init(path, code, NULL, "admin", &cause) != CORE_OK)
        fail_msg("init %s: %s", path, cause ? cause : "?");
    struct core_repo *r = core_repo_open(path, "admin", &cause);
    if (!r)
        fail_msg("open %s: %s", path, cause ? cause : "?");
    char mrc[200];
    snprintf(mrc, sizeof mrc, "%s/loc.mrc", fx.dir);
    for (int i = 0; i < copies; i++) {
        struct core_import_opts o = {.permissive = true, .zone = CORE_ZONE_IZ, .again = i > 0};
        struct core_import_report rep;
        if (core_import_file(r, mrc, &o, &rep) != CORE_OK || rep.bibs < 20)
            fail_msg("import into %s: %s", path, core_repo_errmsg(r));
    }
    return r;
}

/* Add data fields "TAG" ind1 ind2 code value to a record and save it. */
struct add {
    const char *tag;
    char ind1, ind2, code;
    const char *value;
};

static void
enrich(struct core_repo *r, const char *mms, const struct add *adds, size_t n)
{
    struct marc_record *rec = marc_record_new();
    int version = 0, newv = 0;
    if (core_record_open(r, mms, rec, &version, NULL) != CORE_OK)
        fail_msg("open %s: %s", mms, core_repo_errmsg(r));
    for (size_t i = 0; i < n; i++) {
        long k = marc_record_add_data(rec, adds[i].tag, adds[i].ind1, adds[i].ind2);
        assert_true(k >= 0);
        marc_record_append_subfield(rec, (size_t)k, adds[i].code, adds[i].value,
                                    strlen(adds[i].value));
    }
    if (core_record_save(r, mms, rec, version, "edit", true, NULL, NULL, &newv) != CORE_OK)
        fail_msg("save %s: %s", mms, core_repo_errmsg(r));
    marc_record_free(rec);
}

static void
add_target(struct core_repo *r, const char *name, int port, const char *timeout)
{
    struct core_target t;
    core_target_init(&t);
    snprintf(t.name, sizeof t.name, "%s", name);
    char addr[64], *err = NULL;
    snprintf(addr, sizeof addr, "127.0.0.1:%d/Default", port);
    if (core_target_set_address(&t, addr, &err) != CORE_OK ||
        core_target_set_option(&t, "timeout", timeout, &err) != CORE_OK)
        fail_msg("target %s: %s", name, err ? err : "?");
    if (core_target_add(r, &t, false) != CORE_OK)
        fail_msg("target %s: %s", name, core_repo_errmsg(r));
}

static void
add_targets(void)
{
    add_target(fx.repo, "down", fx.dead_port, "5");
    add_target(fx.repo, "remote", fx.port, "10");
    add_target(fx.repo, "silent", fx.silent_port, "1");
}

/* "127.0.0.1:PORT" and "port PORT" (the core's words) with the port masked. */
static bool
mask_port(struct marc_buf *b, const char **p)
{
    static const char *const forms[] = {"127.0.0.1:", "port "}; /* "port" may wrap */
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(forms[i]);
        if (strncmp(*p, forms[i], n) != 0 || !isdigit((unsigned char)(*p)[n]))
            continue;
        marc_buf_puts(b, forms[i]);
        marc_buf_puts(b, "<port>");
        for (*p += n; isdigit((unsigned char)**p); (*p)++)
            ;
        return true;
    }
    return false;
}

/* ---- the served repository, once for the file ---- */

static int
group_setup(void **state)
{
    if (tf_scratch("ext") != 0)
        return -1;
    fx.dir = tf_dir;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "zcat '%s/marc21/sample-marc.gz' > '%s/loc.mrc'", LOC_EXAMPLES_DIR,
             fx.dir);
    if (system(cmd) != 0)
        return -1;
    snprintf(fx.remote, sizeof fx.remote, "%s/remote", fx.dir);
    snprintf(fx.local, sizeof fx.local, "%s/local", fx.dir);
    tf_mask_path = fx.local;
    tf_mask_extra = mask_port;
    /* twice the sample: more hits than a page for some queries */
    struct core_repo *r = make_repo(fx.remote, "5678", 2);
    const struct add remote_adds[] = {
        {"035", ' ', ' ', 'a', "(OCoLC)ocm00012345"},
        {"650", ' ', '0', 'a', "Computer programming."},
    };
    enrich(r, REMOTE1, remote_adds, 2);
    core_repo_close(r);
    fx.silent_fd = listener(16, &fx.silent_port);
    fx.dead_port = free_port();
    fx.port = free_port();
    snprintf(fx.pidfile, sizeof fx.pidfile, "%s/serve.pid", fx.dir);
    char listen[64], *cause = NULL;
    snprintf(listen, sizeof listen, "tcp:127.0.0.1:%d", fx.port);
    struct core_serve_opts so = {.repo_dir = fx.remote,
                                 .listen = listen,
                                 .zone = CORE_ZONE_IZ,
                                 .daemon = true,
                                 .pidfile = fx.pidfile};
    if (fx.silent_fd < 0 || core_serve_run(&so, &cause) != CORE_OK) {
        fprintf(stderr, "# serve: %s\n", cause ? cause : strerror(errno));
        free(cause);
        return -1;
    }
    char *pid = test_read_file(fx.pidfile, NULL);
    fx.server = (pid_t)atol(pid);
    free(pid);
    return fx.server > 1 ? 0 : -1;
}

static int
group_teardown(void **state)
{
    if (fx.server > 1)
        kill(fx.server, SIGTERM);
    close(fx.silent_fd);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx.dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- the local repository, anew for each test ---- */

static int
setup(void **state)
{
    tf_now = TF_T0;
    fx.repo = make_repo(fx.local, "1234", 1);
    char env[200]; /* drafts of one test are not offered in the next */
    snprintf(env, sizeof env, "%s/state", fx.local);
    setenv("XDG_STATE_HOME", env, 1);
    const struct add local_adds[] = {
        {"035", ' ', ' ', 'a', "(OCoLC)12345"},
        {"910", ' ', ' ', 'a', "Local note: gift of the Friends"},
        {"998", ' ', ' ', 'a', "no overlay"},
    };
    enrich(fx.repo, LOCAL1, local_adds, 3);
    core_user_add(fx.repo, "jdoe", CORE_ROLE_CATALOGER, NULL);
    tf_now += 60;
    return 0;
}

static int
teardown(void **state)
{
    core_repo_close(fx.repo);
    fx.repo = NULL;
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx.local);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- driving ---- */

/* Put the cursor at the end of the first field with this tag. */
static void
goto_tag(struct tui_app *app, const char *tag)
{
    for (size_t i = 0; i < tui_editor_line_count(app->ed); i++) {
        size_t len;
        const char *l = tui_editor_line(app->ed, i, &len);
        if (len >= 3 && memcmp(l, tag, 3) == 0) {
            tui_editor_set_cursor(app->ed, i, len);
            return;
        }
    }
    fail_msg("no %s in the record", tag);
}

/* What term.c does while a search runs: wait on its socket, move it on. */
static void
wait_search(struct tui_app *app)
{
    for (int i = 0; i < 300; i++) {
        int fd, ms;
        short events;
        if (!tui_app_pending(app, &fd, &events, &ms))
            return;
        assert_true(ms > 0 && ms <= 1000);
        struct pollfd p = {.fd = fd, .events = events};
        poll(fd >= 0 ? &p : NULL, fd >= 0 ? 1 : 0, ms);
        tui_app_io(app);
    }
    fail_msg("the search did not end within a minute");
}

/* ---- frames ---- */

/* Like assert_true(tf_shows(...)), printing the frame when it fails. */
#define assert_shows(app, text) assert_shows_at(app, text, __LINE__)
static void
assert_shows_at(struct tui_app *app, const char *text, int line)
{
    char *t = tf_frame_text(app, W, H);
    bool found = strstr(t, text) != NULL;
    if (!found)
        fprintf(stderr, "# line %d: the frame lacks '%s':\n%s", line, text, t);
    free(t);
    if (!found)
        fail_msg("'%s' is not on the screen", text);
}

/* The External tab with target `name` chosen (F3 goes round the list). */
static void
external_tab(struct tui_app *app, const char *name)
{
    tf_key(app, TUI_MOD_ALT | '2');
    for (int i = 0; i < 4 && !strstr(app->message, name); i++)
        tf_key(app, TUI_KEY_F(3));
    char want[64];
    snprintf(want, sizeof want, "%s>", name);
    assert_shows(app, want);
}

static void
assert_message(struct tui_app *app, const char *part)
{
    if (!strstr(app->message, part))
        fail_msg("message '%s' lacks '%s'", app->message, part);
}

/* Does the repository's record hold a field with this tag and text? */
static bool
has_field(const char *mms, const char *tag, const char *text)
{
    struct marc_record *r = marc_record_new();
    assert_int_equal(core_record_get(fx.repo, mms, r, NULL), CORE_OK);
    bool found = false;
    struct marc_buf b = MARC_BUF_INIT;
    for (size_t i = 0; i < marc_record_field_count(r) && !found; i++) {
        const struct marc_field *f = marc_record_field(r, i);
        marc_buf_reset(&b);
        tui_field_text(f, &b);
        found = strcmp(marc_field_tag(f), tag) == 0 && (!text || strstr(b.data, text));
    }
    marc_buf_free(&b);
    marc_record_free(r);
    return found;
}

static int
version_of(const char *mms)
{
    struct core_record_info info;
    assert_int_equal(core_record_get(fx.repo, mms, NULL, &info), CORE_OK);
    return info.version;
}

/* ---- the tests ---- */

static void
test_no_targets(void **state)
{
    struct tui_app *app = tf_app(fx.repo, LOCAL1);
    tf_key(app, TUI_MOD_ALT | '2');
    tf_check_frame(app, W, H, "external-none");
    tf_key(app, TUI_KEY_ENTER);
    assert_message(app, "No external targets");
    tui_app_free(app);
}

static void
test_target_down(void **state)
{
    add_targets();
    struct tui_app *app = tf_app(fx.repo, LOCAL1);
    tf_key(app, TUI_MOD_ALT | '2');
    /* the first target, the query made from the record's OCLC number */
    tf_check_frame(app, W, H, "external-query");
    assert_true(tf_shows(app, "down> oclc=12345"));
    tf_key(app, TUI_KEY_ENTER);
    wait_search(app);
    tf_check_frame(app, W, H, "external-down");
    assert_message(app, "Search failed");
    assert_message(app, "down");
    tui_app_free(app);
}

static void
test_search_cancel_and_timeout(void **state)
{
    add_targets();
    struct tui_app *app = tf_app(fx.repo, LOCAL1);
    external_tab(app, "silent");
    tf_key(app, TUI_KEY_ENTER);
    /* the socket connects and nothing answers: the screen says so, Esc cancels */
    int fd, ms;
    short events;
    tui_app_io(app);
    assert_true(tui_app_pending(app, &fd, &events, &ms));
    tf_check_frame(app, W, H, "external-searching");
    tf_key(app, TUI_KEY_ESC);
    assert_false(tui_app_pending(app, &fd, &events, &ms));
    assert_message(app, "Search of silent cancelled");
    tf_check_frame(app, W, H, "external-cancelled");
    /* again, waiting: the target's 1 s timeout ends it */
    tf_key(app, TUI_KEY_ENTER);
    time_t t0 = time(NULL);
    wait_search(app);
    assert_true(time(NULL) - t0 <= 3);
    assert_message(app, "no answer from silent");
    tf_check_frame(app, W, H, "external-timeout");
    tui_app_free(app);
}

static void
test_results_view_merge(void **state)
{
    add_targets();
    struct tui_app *app = tf_app(fx.repo, LOCAL1);
    external_tab(app, "remote");
    tf_key(app, TUI_CTRL('u'));
    tf_type(app, "title=\"How to program a computer\"");
    tf_key(app, TUI_KEY_ENTER);
    wait_search(app);
    tf_check_frame(app, W, H, "external-results");
    assert_message(app, "4 records in remote");
    /* the hits are kept as the user's last search (colophon merge --from remote --record N) */
    char q[200];
    long hits = 0;
    assert_int_equal(core_external_last(fx.repo, "remote", q, sizeof q, &hits), CORE_OK);
    assert_int_equal(hits, 4);
    /* the enriched remote record is the one with the OCLC number */
    int pick = -1;
    for (int i = 0; i < 4 && pick < 0; i++) {
        tf_key(app, i ? TUI_KEY_DOWN : TUI_KEY_ENTER);
        if (i)
            tf_key(app, TUI_KEY_ENTER);
        if (tf_shows(app, "(OCoLC)ocm00012345"))
            pick = i;
        else
            tf_key(app, TUI_KEY_ESC);
    }
    assert_true(pick >= 0);
    tf_check_frame(app, W, H, "external-view");
    /* the dry run of Copy & Merge */
    tf_key(app, 'm');
    tf_check_frame(app, W, H, "external-plan");
    assert_true(tf_shows(app, "998 removed"));
    tf_key(app, 'r');
    tf_check_frame(app, W, H, "external-plan-result");
    tf_key(app, 'r');
    tf_key(app, TUI_KEY_ENTER);
    tf_check_frame(app, W, H, "external-confirm");
    assert_int_equal(version_of(LOCAL1), 2); /* nothing yet */
    tf_key(app, 'y');
    tf_check_frame(app, W, H, "external-merged");
    assert_int_equal(version_of(LOCAL1), 3);
    assert_int_equal(app->version, 3);
    assert_message(app, "is now version 3");
    /* what the merge did: the external content, the local 910 and 035 kept, the 998 gone */
    assert_true(has_field(LOCAL1, "650", "Computer programming"));
    assert_true(has_field(LOCAL1, "910", "gift of the Friends"));
    assert_true(has_field(LOCAL1, "035", "(OCoLC)12345"));
    assert_false(has_field(LOCAL1, "998", NULL));
    assert_true(has_field(LOCAL1, "001", LOCAL1));
    struct core_version *v = NULL;
    size_t nv = 0;
    assert_int_equal(core_versions_list(fx.repo, LOCAL1, &v, &nv), CORE_OK);
    assert_int_equal(nv, 3);
    assert_string_equal(v[nv - 1].reason, "merge");
    free(v);
    tui_app_free(app);
}

/* Search remote for the local record's title and move to the enriched hit. */
static void
to_enriched_hit(struct tui_app *app)
{
    external_tab(app, "remote");
    tf_key(app, TUI_CTRL('u'));
    tf_type(app, "oclc=12345");
    tf_key(app, TUI_KEY_ENTER);
    wait_search(app);
    assert_message(app, "1 record in remote");
    assert_shows(app, "OCLC 12345");
}

static void
test_refusals(void **state)
{
    add_targets();
    /* unsaved edits on the left: save or discard first */
    struct tui_app *app = tf_app(fx.repo, LOCAL1);
    goto_tag(app, "245");
    tf_type(app, " x");
    assert_true(tui_editor_modified(app->ed));
    to_enriched_hit(app);
    tf_key(app, 'm');
    assert_message(app, "unsaved edits");
    tf_check_frame(app, W, H, "external-unsaved");
    /* Overlay as well; Import does not touch the left record */
    tf_key(app, 'o');
    assert_message(app, "unsaved edits");
    tui_app_free(app);
    core_record_release(fx.repo, LOCAL1);

    /* no record on the left: m says to open one */
    app = tf_app(fx.repo, NULL);
    to_enriched_hit(app);
    tf_key(app, 'm');
    assert_message(app, "needs the local record on the left");
    tui_app_free(app);

    /* a cataloger without cataloger-extended: the core's refusal, shown */
    char *cause = NULL;
    struct core_repo *jr = core_repo_open(fx.local, "jdoe", &cause);
    assert_non_null(jr);
    app = tf_app(jr, LOCAL2);
    to_enriched_hit(app);
    tf_key(app, 'm');
    assert_message(app, "Copy & Merge refused");
    assert_message(app, "cataloger-extended");
    tf_check_frame(app, W, H, "external-role");
    /* jdoe holds LOCAL2 now: admin's plan onto it says so and cannot be applied */
    struct tui_app *admin = tf_app(fx.repo, LOCAL2);
    to_enriched_hit(admin);
    tf_key(admin, 'o');
    assert_true(tf_shows(admin, "locked by jdoe"));
    tf_check_frame(admin, W, H, "external-locked");
    tf_key(admin, TUI_KEY_ENTER);
    assert_message(admin, "cannot be applied");
    assert_int_equal(admin->modal, TUI_MODAL_NONE);
    assert_int_equal(version_of(LOCAL2), 1);
    tui_app_free(admin);
    tui_app_free(app);
    core_repo_close(jr);
}

static void
test_import_warns(void **state)
{
    add_targets();
    struct tui_app *app = tf_app(fx.repo, LOCAL2);
    to_enriched_hit(app);
    tf_key(app, 'i');
    tf_key(app, TUI_KEY_F(10)); /* the right pane zoomed to the full width */
    /* the record with the same OCLC number is named before anything happens */
    assert_shows(app, "Warning: 1 record(s) have the same OCLC number");
    assert_shows(app, LOCAL1 " \"How to program a computer\" (OCLC number 12345)");
    tf_check_frame(app, W, H, "external-import");
    tf_key(app, TUI_KEY_ENTER);
    assert_true(tf_shows(app, "anyway?"));
    tf_key(app, 'n');
    assert_message(app, "nothing was changed");
    tf_key(app, TUI_KEY_ENTER);
    tf_key(app, 'y');
    assert_message(app, "Imported remote record");
    /* the new record is open on the left, with the external content */
    assert_string_not_equal(tui_app_mms(app), LOCAL2);
    assert_true(has_field(tui_app_mms(app), "650", "Computer programming"));
    assert_true(has_field(tui_app_mms(app), "035", "(OCoLC)ocm00012345"));
    tui_app_free(app);
}

/* Between the dry run and the yes: edits on the left, or a save elsewhere. */
static void
test_stale_plan(void **state)
{
    add_targets();
    struct tui_app *app = tf_app(fx.repo, LOCAL1);
    to_enriched_hit(app);
    tf_key(app, 'm');
    assert_shows(app, "Enter apply");
    tf_key(app, TUI_KEY_TAB); /* to the record, an edit, and back */
    goto_tag(app, "245");
    tf_type(app, " y");
    tf_key(app, TUI_KEY_TAB);
    tf_key(app, TUI_KEY_ENTER);
    assert_message(app, "unsaved edits since the dry run");
    assert_int_equal(app->modal, TUI_MODAL_NONE);
    /* saving the edit makes a new version: the dry run of the old one goes */
    tf_key(app, TUI_CTRL('s'));
    assert_int_equal(version_of(LOCAL1), 3);
    assert_false(tf_shows(app, "Enter apply"));
    assert_shows(app, "m merge o overlay i import");
    /* a new dry run; the same user saves the record elsewhere (colophon edit) */
    tf_key(app, 'm');
    assert_shows(app, "(version 3)");
    const struct add note = {"500", ' ', ' ', 'a', "Saved meanwhile."};
    enrich(fx.repo, LOCAL1, &note, 1);
    assert_int_equal(version_of(LOCAL1), 4);
    tf_key(app, TUI_KEY_ENTER);
    tf_key(app, 'y');
    assert_message(app, "not applied (nothing was changed)");
    assert_shows(app, "Not applied:");
    assert_int_equal(version_of(LOCAL1), 4);
    assert_false(has_field(LOCAL1, "650", NULL));
    tui_app_free(app);
}

static void
test_paging(void **state)
{
    add_targets();
    struct tui_app *app = tf_app(fx.repo, LOCAL1);
    external_tab(app, "remote");
    tf_key(app, TUI_CTRL('u'));
    tf_type(app, "the OR of");
    tf_key(app, TUI_KEY_ENTER);
    wait_search(app);
    assert_shows(app, "20 of 30 records from");
    /* moving near the end of what arrived fetches the next page in the background */
    tf_key(app, TUI_KEY_END);
    int fd, ms;
    short events;
    assert_true(tui_app_pending(app, &fd, &events, &ms));
    assert_true(tf_shows(app, "Fetching 21-30 of 30"));
    wait_search(app);
    assert_true(tf_shows(app, "30 records from remote"));
    tf_key(app, TUI_KEY_END);
    assert_true(tf_shows(app, "30. "));
    assert_false(tui_app_pending(app, &fd, &events, &ms));
    tf_check_frame(app, W, H, "external-paged");
    tui_app_free(app);
}

int
main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    setenv("TZ", "UTC", 1);
    tzset();
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_targets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_target_down, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_cancel_and_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_results_view_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_warns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_plan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paging, setup, teardown),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
