/*
 * test_tabs_inventory.c - the Holdings & items, Relink and Queue tabs and
 * the assign / release-assignment / Share with Network / link / unlink
 * commands, driven headless: an application on a temporary repository
 * takes keys (tui_app_key) and its 80x24 frames (tui_app_render) are
 * compared with reference files in tests/tui/ref/.  What the repository
 * holds afterwards is checked through the core as well.
 *
 * Times on screen (lock expiry, assignment dates, 005, today's 008) are
 * masked before comparing, so the references hold at any date.  Run with
 * COLOPHON_UPDATE_REFS=1 to write the references anew (then read them!).
 */
#include "testutil.h"

#include "app-int.h"
#include "keys.h"

#include "assign.h"
#include "buf.h"
#include "job.h"
#include "link.h"
#include "reminder.h"
#include "repo.h"
#include "set.h"
#include "utf8.h"

#include <ctype.h>
#include <locale.h>
#include <time.h>
#include <unistd.h>

#define REF_DIR COLOPHON_SOURCE_ROOT "/tests/tui/ref"
#define W       80
#define H       24

/* ---- the fixture: a repository with bibs, holdings, items and users ---- */

static struct {
    char dir[64];            /* /tmp/colophon-tinv-XXXXXX */
    char repo[128];          /* dir/repo */
    struct core_repo *alice; /* every role */
    /* IZ bibs */
    char a[CORE_MMS_MAX], b[CORE_MMS_MAX], twin1[CORE_MMS_MAX], twin2[CORE_MMS_MAX];
    char e[CORE_MMS_MAX], f[CORE_MMS_MAX], g[CORE_MMS_MAX], h[CORE_MMS_MAX];
    /* NZ bibs */
    char n1[CORE_MMS_MAX], n2[CORE_MMS_MAX], n3[CORE_MMS_MAX];
    /* inventory of a */
    char ha1[CORE_MMS_MAX], ha2[CORE_MMS_MAX];
    char i1[CORE_MMS_MAX], i2[CORE_MMS_MAX], i3[CORE_MMS_MAX];
    char today[16], yymmdd[8];
} fx;

static void
bib(enum core_zone zone, const char *title, const char *author, const char *oclc, const char *isbn,
    char *out)
{
    struct marc_record *r = marc_record_new();
    marc_record_set_leader(r, "00000nam a2200000 a 4500", 24);
    marc_record_add_control(r, "008", "200101s2020    xxu           000 0 eng d", 40);
    long i;
    if (isbn) {
        i = marc_record_add_data(r, "020", ' ', ' ');
        marc_record_append_subfield(r, (size_t)i, 'a', isbn, strlen(isbn));
    }
    if (oclc) {
        char v[64];
        snprintf(v, sizeof v, "(OCoLC)%s", oclc);
        i = marc_record_add_data(r, "035", ' ', ' ');
        marc_record_append_subfield(r, (size_t)i, 'a', v, strlen(v));
    }
    i = marc_record_add_data(r, "100", '1', ' ');
    marc_record_append_subfield(r, (size_t)i, 'a', author, strlen(author));
    i = marc_record_add_data(r, "245", '1', '0');
    marc_record_append_subfield(r, (size_t)i, 'a', title, strlen(title));
    if (core_bib_create(fx.alice, zone, r, "create", false, NULL, NULL, out) != CORE_OK)
        fail_msg("bib %s: %s", title, core_repo_errmsg(fx.alice));
    marc_record_free(r);
}

static void
holdings(const char *bib_mms, const char *loc, const char *call, char *out)
{
    struct marc_record *h = marc_record_new();
    marc_record_set_leader(h, "00000nx  a22000001n 4500", 24);
    marc_record_add_control(h, "008", "2001010u    8   4001uu   0200101", 32);
    long i = marc_record_add_data(h, "852", '0', ' ');
    marc_record_append_subfield(h, (size_t)i, 'b', "MAIN", 4);
    marc_record_append_subfield(h, (size_t)i, 'c', loc, strlen(loc));
    marc_record_append_subfield(h, (size_t)i, 'h', call, strlen(call));
    if (core_holdings_create(fx.alice, bib_mms, h, NULL, NULL, NULL, out) != CORE_OK)
        fail_msg("holdings: %s", core_repo_errmsg(fx.alice));
    marc_record_free(h);
}

static void
item(const char *hold, const char *barcode, const char *desc, enum core_item_status st, char *out)
{
    struct core_item_info it = {.status = st};
    snprintf(it.barcode, sizeof it.barcode, "%s", barcode);
    snprintf(it.description, sizeof it.description, "%s", desc);
    if (core_item_create(fx.alice, hold, &it, out) != CORE_OK)
        fail_msg("item: %s", core_repo_errmsg(fx.alice));
}

static int
setup(void **state)
{
    memset(&fx, 0, sizeof fx);
    snprintf(fx.dir, sizeof fx.dir, "/tmp/colophon-tinv-XXXXXX");
    if (!mkdtemp(fx.dir))
        return -1;
    snprintf(fx.repo, sizeof fx.repo, "%s/repo", fx.dir);
    char path[160];
    snprintf(path, sizeof path, "%s/state", fx.dir);
    setenv("XDG_STATE_HOME", path, 1);
    snprintf(path, sizeof path, "%s/config", fx.dir);
    setenv("XDG_CONFIG_HOME", path, 1);
    char *cause = NULL;
    if (core_repo_init(fx.repo, "1234", NULL, "alice", &cause) != CORE_OK) {
        fprintf(stderr, "init: %s\n", cause);
        free(cause);
        return -1;
    }
    fx.alice = core_repo_open(fx.repo, "alice", &cause);
    if (!fx.alice) {
        fprintf(stderr, "open: %s\n", cause);
        free(cause);
        return -1;
    }
    core_user_add(fx.alice, "bob", CORE_ROLE_CATALOGER, NULL);
    core_user_add(fx.alice, "carol", CORE_ROLE_INVENTORY, NULL);
    core_user_add(fx.alice, "dave", CORE_ROLE_CATALOGER, NULL);
    bib(CORE_ZONE_IZ, "Relinking for beginners", "Smith, Ann", "11111", NULL, fx.a);
    bib(CORE_ZONE_IZ, "Target of relinks", "Jones, Bo", "22222", "9780306406157", fx.b);
    bib(CORE_ZONE_IZ, "Twin one", "Twin, A.", NULL, "9781234567897", fx.twin1);
    bib(CORE_ZONE_IZ, "Twin two", "Twin, B.", NULL, "9781234567897", fx.twin2);
    bib(CORE_ZONE_IZ, "Assigned record", "Ode, Cy", NULL, NULL, fx.e);
    bib(CORE_ZONE_IZ, "Network twin", "Net, Ed", "33333", NULL, fx.f);
    bib(CORE_ZONE_IZ, "Share me", "Lee, Flo", "44444", NULL, fx.g);
    bib(CORE_ZONE_IZ, "Nobody else has this", "Solo, Han", NULL, NULL, fx.h);
    bib(CORE_ZONE_NZ, "Network twin", "Net, Ed", "33333", NULL, fx.n1);
    bib(CORE_ZONE_NZ, "Network twin (second copy)", "Net, Ed", "33333", NULL, fx.n2);
    bib(CORE_ZONE_NZ, "Share me", "Lee, Flo", "44444", NULL, fx.n3);
    holdings(fx.a, "STACKS", "QA76.9 .R45", fx.ha1);
    holdings(fx.a, "REF", "QA76.9 .R45 REF", fx.ha2);
    item(fx.ha1, "39000000000011", "v.1", CORE_ITEM_IN_PLACE, fx.i1);
    item(fx.ha1, "39000000000029", "v.2", CORE_ITEM_MISSING, fx.i2);
    item(fx.ha2, "39000000000037", "", CORE_ITEM_IN_PLACE, fx.i3);
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char day[16];
    strftime(fx.today, sizeof fx.today, "%Y-%m-%d", &tm);
    strftime(day, sizeof day, "%Y%m%d", &tm);
    snprintf(fx.yymmdd, sizeof fx.yymmdd, "%.6s", day + 2);
    return 0;
}

static int
teardown(void **state)
{
    core_repo_close(fx.alice);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx.dir);
    return system(cmd) == 0 ? 0 : -1;
}

static struct core_repo *
open_as(const char *user)
{
    char *cause = NULL;
    struct core_repo *r = core_repo_open(fx.repo, user, &cause);
    if (!r)
        fail_msg("open as %s: %s", user, cause);
    return r;
}

static struct tui_app *
app_on(struct core_repo *repo, const char *mms)
{
    char keys[160];
    snprintf(keys, sizeof keys, "%s/no-keys", fx.dir);
    struct tui_app_opts o = {.open_mms = mms, .no_color = true, .keys_file = keys};
    return tui_app_new(repo, &o);
}

/* ---- keys and screens ---- */

static void
key(struct tui_app *app, int k)
{
    tui_app_key(app, k);
}

/* Type UTF-8 text, one key a character. */
static void
type(struct tui_app *app, const char *s)
{
    while (*s) {
        uint32_t cp;
        int n = marc_utf8_decode(s, strlen(s), &cp);
        assert_true(n > 0);
        tui_app_key(app, (int)cp);
        s += n;
    }
}

/* Replace every match of a pattern of '9' (a digit) and literal characters. */
static void
mask(char *s, const char *pattern, const char *with)
{
    size_t n = strlen(pattern);
    for (char *p = s; *p; p++) {
        size_t k = 0;
        while (k < n && p[k] &&
               (pattern[k] == '9' ? isdigit((unsigned char)p[k]) != 0 : p[k] == pattern[k]))
            k++;
        if (k == n)
            memcpy(p, with, n);
    }
}

static void
mask_literal(char *s, const char *what, const char *with)
{
    size_t n = strlen(what);
    for (char *p = strstr(s, what); p; p = strstr(p + n, what))
        memcpy(p, with, n);
}

/*
 * The selection in a list is shown in reverse video, which plain text
 * loses: list the rows below the tab bar that have reversed cells, with
 * those cells' text, after the screen.
 */
static char *
with_reverse(const struct tui_frame *f, char *text)
{
    struct marc_buf b = MARC_BUF_INIT;
    marc_buf_puts(&b, text);
    free(text);
    for (int y = 2; y < f->h - 1; y++) {
        struct marc_buf row = MARC_BUF_INIT;
        for (int x = 0; x < f->w; x++) {
            const struct tui_cell *c = &f->cells[y * f->w + x];
            if ((c->attr & TUI_A_REVERSE) && c->width)
                marc_buf_puts(&row, c->text);
        }
        while (row.len && row.data[row.len - 1] == ' ')
            row.len--;
        if (row.len)
            marc_buf_printf(&b, "[reverse video, row %d] %.*s\n", y, (int)row.len, row.data);
        marc_buf_free(&row);
    }
    return marc_buf_steal(&b);
}

/* The screen as text, with what changes from run to run masked. */
static char *
screen(struct tui_app *app)
{
    struct tui_frame f = {0};
    tui_app_render(app, &f, W, H);
    char *s = with_reverse(&f, tui_frame_text(&f));
    tui_frame_free(&f);
    mask(s, "9999-99-99 99:99", "YYYY-MM-DD hh:mm");
    mask(s, "until 99:99", "until hh:mm");
    mask(s, "since 99:99", "since hh:mm");
    mask(s, "005 99999999999999.9", "005 yyyymmddhhmmss.f");
    mask_literal(s, fx.today, "YYYY-MM-DD");
    mask_literal(s, fx.dir, "/tmp/colophon-tinv-XXXXXX");
    mask_literal(s, fx.yymmdd, "yymmdd");
    return s;
}

static void
write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    if (!fp)
        fail_msg("cannot write %s", path);
    fputs(text, fp);
    fclose(fp);
}

/* Print the lines of `want` and `got` that differ, numbered, as TAP comments. */
static void
print_changed_lines(const char *want, const char *got)
{
    for (int n = 1; *want || *got; n++) {
        size_t lw = strcspn(want, "\n"), lg = strcspn(got, "\n");
        if (lw != lg || memcmp(want, got, lw) != 0) {
            fprintf(stderr, "# line %2d expected |%.*s|\n", n, (int)lw, want);
            fprintf(stderr, "# line %2d got      |%.*s|\n", n, (int)lg, got);
        }
        want += lw + (want[lw] == '\n');
        got += lg + (got[lg] == '\n');
    }
}

/* Compare the screen with tests/tui/ref/NAME.ref (or write it when updating). */
static void
check_screen(struct tui_app *app, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.ref", REF_DIR, name);
    char *got = screen(app);
    const char *update = getenv("COLOPHON_UPDATE_REFS");
    if (update && *update && strcmp(update, "0") != 0) {
        write_file(path, got);
        free(got);
        return;
    }
    if (access(path, R_OK) != 0) {
        fprintf(stderr, "# %s is missing; the screen was:\n%s", path, got);
        free(got);
        fail_msg("no reference %s (COLOPHON_UPDATE_REFS=1 writes it)", name);
    }
    char *want = test_read_file(path, NULL);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "# screen %s differs from %s:\n", name, path);
        print_changed_lines(want, got);
        free(want);
        free(got);
        fail_msg("screen %s differs from its reference", name);
    }
    free(want);
    free(got);
}

/* The screen contains text (for messages whose exact words the core owns). */
static void
assert_screen_has(struct tui_app *app, const char *text)
{
    char *s = screen(app);
    if (!strstr(s, text)) {
        fprintf(stderr, "# screen:\n%s", s);
        free(s);
        fail_msg("the screen does not show \"%s\"", text);
    }
    free(s);
}

static void
assert_screen_lacks(struct tui_app *app, const char *text)
{
    char *s = screen(app);
    bool found = strstr(s, text) != NULL;
    if (found)
        fprintf(stderr, "# screen:\n%s", s);
    free(s);
    if (found)
        fail_msg("the screen still shows \"%s\"", text);
}

static struct core_record_info
info(const char *mms)
{
    struct core_record_info in;
    if (core_record_get(fx.alice, mms, NULL, &in) != CORE_OK)
        fail_msg("%s: %s", mms, core_repo_errmsg(fx.alice));
    return in;
}

/* ---- Holdings & items ---- */

static void
test_holdings_tree(void **state)
{
    struct tui_app *app = app_on(fx.alice, fx.a);
    key(app, TUI_MOD_ALT | '4');
    check_screen(app, "inventory-holdings");
    key(app, ' '); /* unfold the first holdings */
    check_screen(app, "inventory-holdings-unfolded");
    key(app, TUI_KEY_DOWN);
    key(app, TUI_KEY_DOWN); /* the missing item */
    key(app, TUI_KEY_F(10));
    check_screen(app, "inventory-holdings-wide");
    key(app, TUI_KEY_ENTER); /* an item: its details */
    assert_screen_has(app, "Status      missing");
    key(app, TUI_KEY_ESC);
    key(app, TUI_KEY_LEFT); /* fold back, onto the holdings */
    key(app, TUI_KEY_F(10));
    key(app, TUI_KEY_DOWN); /* the second holdings */
    key(app, TUI_KEY_ENTER);
    assert_string_equal(tui_app_mms(app), fx.ha2);
    key(app, TUI_KEY_TAB);
    check_screen(app, "inventory-holdings-open");
    /* The holdings record is edited and saved like a bib; the tree follows. */
    key(app, TUI_KEY_TAB);
    for (int i = 0; i < 5; i++)
        key(app, TUI_KEY_DOWN); /* LDR 001 004 005 008 852 */
    key(app, TUI_KEY_END);
    type(app, " c.2");
    key(app, TUI_CTRL('s'));
    assert_screen_has(app, "Saved 221000000021234 as version 2");
    struct core_holdings_info *h;
    size_t nh;
    assert_int_equal(core_holdings_list(fx.alice, fx.a, &h, &nh), CORE_OK);
    assert_int_equal(nh, 2);
    assert_string_equal(h[1].call_number, "QA76.9 .R45 REF c.2");
    free(h);
    key(app, TUI_KEY_TAB);
    assert_screen_has(app, "MAIN / REF  QA76.9 .R45 REF c.2");
    key(app, 'b'); /* back to the bib */
    assert_string_equal(tui_app_mms(app), fx.a);
    tui_app_free(app);
}

static void
test_holdings_add(void **state)
{
    struct tui_app *app = app_on(fx.alice, fx.a);
    key(app, TUI_MOD_ALT | '4');
    key(app, 'a');
    check_screen(app, "inventory-holdings-add-prompt");
    /* The prompts offer the selected holdings' values: replace them. */
    key(app, TUI_CTRL('u'));
    type(app, "LAW");
    key(app, TUI_KEY_ENTER);
    key(app, TUI_CTRL('u'));
    type(app, "RESERVE");
    key(app, TUI_KEY_ENTER);
    key(app, TUI_CTRL('u'));
    type(app, "KF 801 .A2");
    key(app, TUI_KEY_ENTER);
    struct core_holdings_info *h;
    size_t nh;
    assert_int_equal(core_holdings_list(fx.alice, fx.a, &h, &nh), CORE_OK);
    assert_int_equal(nh, 3);
    assert_string_equal(h[2].library, "LAW");
    assert_string_equal(h[2].location, "RESERVE");
    assert_string_equal(h[2].call_number, "KF 801 .A2");
    char new_h[CORE_MMS_MAX];
    snprintf(new_h, sizeof new_h, "%s", h[2].mms);
    free(h);
    /* The new MFHD: 852 with an LC shelving scheme, a holdings 008 of today. */
    struct marc_record *r = marc_record_new();
    assert_int_equal(core_record_get(fx.alice, new_h, r, NULL), CORE_OK);
    size_t len;
    const char *v = marc_record_value(r, "008", 0, &len);
    assert_int_equal(len, 32);
    assert_memory_equal(v, fx.yymmdd, 6);
    long i852 = marc_record_find(r, "852", 0);
    assert_true(i852 >= 0);
    /* first indicator: Library of Congress */
    assert_int_equal(marc_field_ind1(marc_record_field(r, (size_t)i852)), '0');
    marc_record_free(r);
    /* An item in it; a barcode in use is refused before anything is asked. */
    key(app, 'i');
    type(app, "39000000000011");
    key(app, TUI_KEY_ENTER);
    assert_screen_has(app, "Barcode 39000000000011 already belongs to item");
    key(app, 'i');
    type(app, "39000000000045");
    key(app, TUI_KEY_ENTER);
    type(app, "c.2");
    key(app, TUI_KEY_ENTER);
    key(app, TUI_CTRL('u'));
    type(app, "sideways");
    key(app, TUI_KEY_ENTER);
    assert_screen_has(app, "Unknown status \"sideways\"");
    key(app, TUI_CTRL('u'));
    type(app, "lost");
    key(app, TUI_KEY_ENTER);
    check_screen(app, "inventory-holdings-added");
    struct core_item_info it;
    assert_int_equal(core_item_by_barcode(fx.alice, "39000000000045", &it), CORE_OK);
    assert_string_equal(it.holdings, new_h);
    assert_string_equal(it.description, "c.2");
    assert_int_equal(it.status, CORE_ITEM_LOST);
    tui_app_free(app);
}

static void
test_holdings_role(void **state)
{
    /* dave catalogs but has no inventory role: the core refuses, in its words. */
    struct core_repo *dave = open_as("dave");
    struct tui_app *app = app_on(dave, fx.a);
    key(app, TUI_MOD_ALT | '4');
    key(app, 'a');
    type(app, "X");
    key(app, TUI_KEY_ENTER);
    key(app, TUI_KEY_ENTER);
    key(app, TUI_KEY_ENTER);
    assert_screen_has(app, "Holdings not added: ");
    assert_screen_has(app, "inventory");
    struct core_holdings_info *h;
    size_t nh;
    assert_int_equal(core_holdings_list(fx.alice, fx.a, &h, &nh), CORE_OK);
    assert_int_equal(nh, 2);
    free(h);
    /* Opening holdings without the role shows them View Only. */
    key(app, TUI_KEY_ENTER);
    assert_string_equal(tui_app_mms(app), fx.ha1);
    assert_true(app->view_only);
    tui_app_free(app);
    core_repo_close(dave);
}

/* ---- Relink ---- */

static void
test_relink_holdings(void **state)
{
    struct tui_app *app = app_on(fx.alice, fx.a);
    key(app, TUI_MOD_ALT | '3');
    check_screen(app, "inventory-relink-pick");
    key(app, TUI_KEY_ENTER); /* the first holdings */
    type(app, "oclc:22222");
    check_screen(app, "inventory-relink-target");
    key(app, TUI_KEY_ENTER);
    check_screen(app, "inventory-relink-preview");
    key(app, TUI_KEY_ENTER);
    check_screen(app, "inventory-relink-confirm");
    key(app, 'y');
    check_screen(app, "inventory-relink-done");
    assert_int_equal(info(fx.a).holdings, 1);
    assert_int_equal(info(fx.b).holdings, 1);
    assert_int_equal(info(fx.b).items, 2);
    assert_string_equal(info(fx.ha1).bib, fx.b);
    /* The next relink starts afresh: no target is remembered. */
    key(app, TUI_KEY_ESC);
    key(app, TUI_KEY_ENTER); /* the last holdings of a */
    assert_screen_has(app, "target>");
    assert_screen_lacks(app, "22222");
    type(app, fx.b);
    key(app, TUI_KEY_ENTER);
    assert_screen_has(app, "will have no");
    key(app, TUI_KEY_ENTER);
    key(app, 'y');
    check_screen(app, "inventory-relink-empty-question");
    key(app, 'y'); /* delete it (alice is cataloger-extended) */
    assert_true(info(fx.a).deleted);
    /* The deleted bib cannot stay open: the target is shown instead. */
    assert_string_equal(tui_app_mms(app), fx.b);
    check_screen(app, "inventory-relink-deleted");
    tui_app_free(app);
}

static void
test_relink_keep_and_refusals(void **state)
{
    /* carol (inventory only) may relink but not delete: the bib is kept, the
     * core's reason shown. */
    struct core_repo *carol = open_as("carol");
    struct tui_app *app = app_on(carol, fx.a);
    key(app, TUI_MOD_ALT | '3');
    key(app, TUI_KEY_ENTER);
    type(app, fx.a); /* the same bib */
    key(app, TUI_KEY_ENTER);
    check_screen(app, "inventory-relink-refused");
    key(app, TUI_KEY_ESC);
    key(app, TUI_CTRL('u'));
    type(app, "9781234567897"); /* two bibs carry this ISBN */
    key(app, TUI_KEY_ENTER);
    check_screen(app, "inventory-relink-candidates");
    key(app, TUI_KEY_DOWN);
    key(app, TUI_KEY_ENTER);
    assert_screen_has(app, "Relink holdings");
    key(app, TUI_KEY_ENTER);
    key(app, 'y');
    assert_string_equal(info(fx.ha1).bib, fx.twin2);
    key(app, TUI_KEY_ESC);
    key(app, TUI_KEY_ENTER);
    type(app, "twin");
    key(app, TUI_KEY_ENTER); /* words: the hits to pick from */
    check_screen(app, "inventory-relink-hits");
    key(app, TUI_KEY_ENTER);
    key(app, TUI_KEY_ENTER);
    key(app, 'y');
    check_screen(app, "inventory-relink-kept");
    assert_false(info(fx.a).deleted);
    assert_int_equal(info(fx.a).holdings, 0);
    tui_app_free(app);
    core_repo_close(carol);
}

static void
test_relink_item(void **state)
{
    struct tui_app *app = app_on(fx.alice, fx.a);
    key(app, TUI_MOD_ALT | '4');
    key(app, ' ');
    key(app, TUI_KEY_DOWN); /* item v.1 */
    key(app, 'm');          /* move: to the Relink tab with it */
    type(app, fx.a);        /* a bib: its holdings are listed */
    key(app, TUI_KEY_ENTER);
    check_screen(app, "inventory-relink-item-holdings");
    key(app, TUI_KEY_DOWN);
    key(app, TUI_KEY_ENTER);
    check_screen(app, "inventory-relink-item-preview");
    key(app, TUI_KEY_ENTER);
    key(app, 'y');
    struct core_item_info it;
    assert_int_equal(core_item_by_barcode(fx.alice, "39000000000011", &it), CORE_OK);
    assert_string_equal(it.holdings, fx.ha2);
    /* Back by search words: the hits, then the holdings of the bib picked. */
    key(app, TUI_KEY_ESC);
    key(app, TUI_KEY_HOME); /* holdings 1, its item v.2, holdings 2, its items v.1 ... */
    key(app, TUI_KEY_DOWN);
    key(app, TUI_KEY_DOWN);
    key(app, TUI_KEY_DOWN);
    key(app, TUI_KEY_ENTER);
    assert_screen_has(app, "231000000011234 39000000000011");
    key(app, TUI_KEY_F(3));
    assert_screen_has(app, "IZ>");
    type(app, "beginners");
    key(app, TUI_KEY_ENTER);
    assert_screen_has(app, "1 hit(s): pick the target");
    key(app, TUI_KEY_ENTER);
    assert_screen_has(app, "Pick the holdings");
    key(app, TUI_KEY_ENTER);
    assert_screen_has(app, "To holdings 221000000011234");
    key(app, TUI_KEY_ENTER);
    key(app, 'y');
    assert_int_equal(core_item_by_barcode(fx.alice, "39000000000011", &it), CORE_OK);
    assert_string_equal(it.holdings, fx.ha1);
    tui_app_free(app);
}

/* ---- Queue, assignment ---- */

static void
run_link_job(void)
{
    const char *members[] = {fx.f};
    assert_int_equal(core_set_create_ids(fx.alice, "to-link", members, 1), CORE_OK);
    struct core_job_params p;
    assert_int_equal(core_job_params_parse(fx.alice, 0, NULL, &p), CORE_OK);
    long id;
    assert_int_equal(core_job_run(fx.alice, "link-to-nz", "to-link", &p, NULL, NULL, &id), CORE_OK);
    core_job_params_free(&p);
}

static void
test_assign_and_queue(void **state)
{
    struct core_reminder_fields rf = {.text = "Close the serial", .due = "2020-01-02"};
    assert_int_equal(core_reminder_add(fx.alice, fx.b, &rf, NULL), CORE_OK);
    struct core_reminder_fields rt = {.text = "Check the 035", .due = fx.today};
    assert_int_equal(core_reminder_add(fx.alice, fx.twin1, &rt, NULL), CORE_OK);
    run_link_job();

    struct tui_app *app = app_on(fx.alice, fx.e);
    key(app, TUI_MOD_ALT | 'g');
    check_screen(app, "inventory-assign-prompt");
    type(app, "bob");
    key(app, TUI_KEY_ENTER);
    type(app, "Please add the 650s");
    key(app, TUI_KEY_ENTER);
    struct core_assignment as;
    assert_int_equal(core_assign_get(fx.alice, fx.e, &as), CORE_OK);
    assert_string_equal(as.assignee, "bob");
    assert_string_equal(as.note, "Please add the 650s");
    /* The lock passed to bob: alice now sees it View Only. */
    assert_true(app->view_only);
    check_screen(app, "inventory-assigned");
    /* Assigning again is refused in the core's words. */
    key(app, TUI_MOD_ALT | 'g');
    type(app, "dave");
    key(app, TUI_KEY_ENTER);
    key(app, TUI_KEY_ENTER);
    assert_screen_has(app, "already assigned to bob");

    struct core_repo *bob = open_as("bob");
    struct tui_app *bapp = app_on(bob, NULL);
    key(bapp, TUI_MOD_ALT | '8');
    check_screen(bapp, "inventory-queue-bob");
    key(bapp, TUI_KEY_ENTER); /* opens the assigned record, for bob to edit */
    assert_string_equal(tui_app_mms(bapp), fx.e);
    assert_false(bapp->view_only);

    /* alice's queue: what she assigned (bob has it open), the reminders due, the
     * multi-match of the link job. */
    key(app, TUI_MOD_ALT | '8');
    check_screen(app, "inventory-queue-alice");
    /* The assigner may not release while the assignee has it open. */
    key(app, 'r');
    key(app, TUI_KEY_ENTER);
    assert_screen_has(app, "Assignment not released: ");
    assert_int_equal(core_assign_get(fx.alice, fx.e, &as), CORE_OK);
    /* bob releases it with a note, from the record (M-G). */
    key(bapp, TUI_MOD_ALT | 'G');
    check_screen(bapp, "inventory-release-prompt");
    type(bapp, "Done");
    key(bapp, TUI_KEY_ENTER);
    assert_int_equal(core_assign_get(fx.alice, fx.e, &as), CORE_ERR_NOTFOUND);
    assert_screen_has(bapp, "Released the assignment of");
    tui_app_free(bapp);
    core_repo_close(bob);

    /* The multi-match: Enter opens the record and shows the candidates. */
    key(app, 'g');
    key(app, TUI_KEY_END);
    key(app, TUI_KEY_ENTER);
    assert_string_equal(tui_app_mms(app), fx.f);
    check_screen(app, "inventory-queue-candidates");
    key(app, TUI_KEY_RIGHT);
    check_screen(app, "inventory-queue-candidate2");
    key(app, 'l');
    key(app, 'y');
    assert_string_equal(info(fx.f).linked, fx.n2);
    check_screen(app, "inventory-queue-linked");
    tui_app_free(app);
}

static void
test_release_refusals(void **state)
{
    assert_int_equal(core_assign(fx.alice, fx.e, "bob", "", NULL, 0), CORE_OK);
    struct core_repo *dave = open_as("dave");
    struct tui_app *app = app_on(dave, fx.e);
    assert_true(app->view_only);
    key(app, TUI_MOD_ALT | 'G');
    key(app, TUI_KEY_ENTER);
    assert_screen_has(app, "Assignment not released: ");
    struct core_assignment as;
    assert_int_equal(core_assign_get(fx.alice, fx.e, &as), CORE_OK);
    tui_app_free(app);
    core_repo_close(dave);
    /* A record with unsaved edits is not assigned. */
    app = app_on(fx.alice, fx.b);
    type(app, "x");
    key(app, TUI_MOD_ALT | 'g');
    assert_screen_has(app, "save (C-s) or release your edits");
    key(app, TUI_MOD_ALT | 'R');
    key(app, 'y');
    /* Not to oneself: the core's words. */
    key(app, TUI_MOD_ALT | 'g');
    type(app, "alice");
    key(app, TUI_KEY_ENTER);
    key(app, TUI_KEY_ENTER);
    assert_screen_has(app, "not to yourself");
    tui_app_free(app);
}

/* ---- Share with Network, link, unlink ---- */

static void
test_share_link_unlink(void **state)
{
    struct tui_app *app = app_on(fx.alice, fx.g);
    key(app, TUI_MOD_ALT | 'l');
    check_screen(app, "inventory-share-candidate");
    key(app, 'l');
    check_screen(app, "inventory-share-confirm");
    key(app, 'y');
    assert_string_equal(info(fx.g).linked, fx.n3);
    check_screen(app, "inventory-share-linked");
    key(app, TUI_MOD_ALT | 'l'); /* already linked */
    assert_screen_has(app, "is already linked to network record");
    key(app, TUI_MOD_ALT | 'U');
    key(app, 'y');
    assert_string_equal(info(fx.g).linked, "");
    assert_screen_has(app, "Unlinked ");
    /* Link by MMS ID; a bad ID is refused in the core's words. */
    key(app, TUI_MOD_ALT | TUI_CTRL('l'));
    type(app, fx.h);
    key(app, TUI_KEY_ENTER);
    assert_screen_has(app, "Not linked: ");
    assert_string_equal(info(fx.g).linked, "");
    key(app, TUI_MOD_ALT | TUI_CTRL('l'));
    type(app, fx.n3);
    key(app, TUI_KEY_ENTER);
    assert_string_equal(info(fx.g).linked, fx.n3);
    /* Nothing matches h: the offer to contribute it. */
    assert_true(tui_app_open(app, fx.h));
    key(app, TUI_MOD_ALT | 'l');
    check_screen(app, "inventory-contribute-question");
    key(app, 'y');
    struct core_record_info in = info(fx.h);
    assert_true(in.linked[0] != '\0');
    assert_int_equal(core_repo_zone_of(fx.alice, in.linked), CORE_ZONE_NZ);
    /* NZ records and holdings cannot be shared. */
    assert_true(tui_app_open(app, fx.n1));
    key(app, TUI_MOD_ALT | 'l');
    assert_screen_has(app, "acts on institution zone bibs");
    tui_app_free(app);
}

int
main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_holdings_tree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_holdings_add, setup, teardown),
        cmocka_unit_test_setup_teardown(test_holdings_role, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relink_holdings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relink_keep_and_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relink_item, setup, teardown),
        cmocka_unit_test_setup_teardown(test_assign_and_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_release_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_share_link_unlink, setup, teardown),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
