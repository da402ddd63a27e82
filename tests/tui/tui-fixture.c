/*
 * tui-fixture.c - the shared fixture of the whole-editor render tests (see
 * tui-fixture.h).  Test code only: it fails through cmocka.
 */
#include "tui-fixture.h"

#include "testutil.h"

#include "import.h"
#include "keys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REF_DIR COLOPHON_SOURCE_ROOT "/tests/tui/ref"

time_t tf_now = TF_T0;
char tf_dir[256];
char tf_repo_dir[300];
const char *tf_mask_path = tf_repo_dir;
bool (*tf_mask_extra)(struct marc_buf *b, const char **p);

time_t __wrap_core_now(void);
time_t
__wrap_core_now(void)
{
    return tf_now;
}

int
tf_scratch(const char *name)
{
    snprintf(tf_dir, sizeof tf_dir, "/tmp/colophon-test-%s-XXXXXX", name);
    if (!mkdtemp(tf_dir))
        return -1;
    snprintf(tf_repo_dir, sizeof tf_repo_dir, "%s/repo", tf_dir);
    char env[400];
    snprintf(env, sizeof env, "%s/state", tf_dir);
    setenv("XDG_STATE_HOME", env, 1);
    snprintf(env, sizeof env, "%s/config", tf_dir);
    setenv("XDG_CONFIG_HOME", env, 1);
    tf_now = TF_T0;
    return 0;
}

int
tf_remove_scratch(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tf_dir);
    return system(cmd) == 0 ? 0 : -1;
}

struct core_repo *
tf_loc_repo(void)
{
    char *cause = NULL;
    if (core_repo_init(tf_repo_dir, "1234", NULL, "admin", &cause) != CORE_OK) {
        fprintf(stderr, "# init: %s\n", cause ? cause : "?");
        free(cause);
        return NULL;
    }
    struct core_repo *r = core_repo_open(tf_repo_dir, "admin", &cause);
    if (!r) {
        fprintf(stderr, "# open: %s\n", cause ? cause : "?");
        free(cause);
        return NULL;
    }
    char cmd[700], file[400];
    snprintf(file, sizeof file, "%s/loc.mrc", tf_dir);
    snprintf(cmd, sizeof cmd, "zcat '%s/marc21/sample-marc.gz' > '%s'", LOC_EXAMPLES_DIR, file);
    struct core_import_opts o = {.permissive = true, .zone = CORE_ZONE_IZ};
    struct core_import_report rep;
    if (system(cmd) != 0 || core_import_file(r, file, &o, &rep) != CORE_OK || rep.bibs < 20) {
        fprintf(stderr, "# import: %s\n", core_repo_errmsg(r));
        core_repo_close(r);
        return NULL;
    }
    return r;
}

int
tf_import_mrk(struct core_repo *r, const char *name, const char *text)
{
    char path[400];
    snprintf(path, sizeof path, "%s/%s", tf_dir, name);
    FILE *fp = fopen(path, "w");
    if (!fp)
        return -1;
    fputs(text, fp);
    fclose(fp);
    struct core_import_opts o = {.permissive = true, .zone = CORE_ZONE_IZ};
    struct core_import_report rep;
    return core_import_file(r, path, &o, &rep) == CORE_OK ? 0 : -1;
}

struct tui_app *
tf_app(struct core_repo *r, const char *mms)
{
    char keys[400];
    snprintf(keys, sizeof keys, "%s/no-keys-file", tf_dir);
    struct tui_app_opts o = {.open_mms = mms, .no_color = true, .keys_file = keys};
    return tui_app_new(r, &o);
}

void
tf_key(struct tui_app *app, int k)
{
    tui_app_key(app, k);
}

void
tf_type(struct tui_app *app, const char *s)
{
    while (*s)
        tui_app_key(app, (unsigned char)*s++);
}

void
tf_answer(struct tui_app *app, const char *text)
{
    assert_int_equal(app->modal, TUI_MODAL_PROMPT);
    tui_input_set(&app->modal_input, "");
    tf_type(app, text);
    tf_key(app, TUI_KEY_ENTER);
}

char *
tf_frame_text(struct tui_app *app, int w, int h)
{
    struct tui_frame f = {0};
    tui_app_render(app, &f, w, h);
    char *t = tui_frame_text(&f);
    struct marc_buf b = MARC_BUF_INIT;
    size_t dl = tf_mask_path ? strlen(tf_mask_path) : 0;
    for (const char *p = t; *p;) {
        if (dl && strncmp(p, tf_mask_path, dl) == 0) {
            marc_buf_puts(&b, "<repo>");
            p += dl;
        } else if (!tf_mask_extra || !tf_mask_extra(&b, &p)) {
            marc_buf_putc(&b, *p++);
        }
    }
    marc_buf_printf(&b, "\n-- cursor %d,%d\n", f.cursor_x, f.cursor_y);
    free(t);
    tui_frame_free(&f);
    return marc_buf_steal(&b);
}

/* Line n (from 0) of s and its length; length -1 past the end. */
static const char *
line_of(const char *s, int n, int *len)
{
    for (; n > 0 && s; n--) {
        s = strchr(s, '\n');
        if (s)
            s++;
    }
    if (!s || !*s) {
        *len = -1;
        return "";
    }
    const char *nl = strchr(s, '\n');
    *len = nl ? (int)(nl - s) : (int)strlen(s);
    return s;
}

/* Print the lines that differ, numbered, as TAP comments. */
static void
print_diff(const char *want, const char *got)
{
    for (int i = 0;; i++) {
        int lw, lg;
        const char *a = line_of(want, i, &lw), *b = line_of(got, i, &lg);
        if (lw < 0 && lg < 0)
            break;
        if (lw == lg && memcmp(a, b, (size_t)(lw > 0 ? lw : 0)) == 0)
            continue;
        fprintf(stderr, "# line %2d expected |%.*s|\n", i + 1, lw < 0 ? 0 : lw, a);
        fprintf(stderr, "# line %2d got      |%.*s|\n", i + 1, lg < 0 ? 0 : lg, b);
    }
}

/* Compare got with ref/NAME.ref, or write it; false with the differing
 * lines on stderr and the reason in why.  Never fails by itself, so that the
 * caller can free what it holds first. */
static bool
same_as_ref(const char *got, const char *name, char *why, size_t size)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.ref", REF_DIR, name);
    const char *upd = getenv("COLOPHON_UPDATE_REFS");
    if (upd && strcmp(upd, "1") == 0) {
        FILE *fp = fopen(path, "w");
        if (!fp) {
            snprintf(why, size, "cannot write %s: %s", path, strerror(errno));
            return false;
        }
        fputs(got, fp);
        fclose(fp);
        return true;
    }
    if (access(path, R_OK) != 0) {
        snprintf(why, size, "no reference %s (run with COLOPHON_UPDATE_REFS=1 to write it)", path);
        return false;
    }
    char *want = test_read_file(path, NULL);
    bool same = strcmp(want, got) == 0;
    if (!same) {
        fprintf(stderr, "# frame %s differs from %s:\n", name, path);
        print_diff(want, got);
        snprintf(why, size, "frame %s differs (COLOPHON_UPDATE_REFS=1 rewrites the reference)",
                 name);
    }
    free(want);
    return same;
}

void
tf_check_text(const char *got, const char *name)
{
    char why[700];
    if (!same_as_ref(got, name, why, sizeof why))
        fail_msg("%s", why);
}

void
tf_check_frame(struct tui_app *app, int w, int h, const char *name)
{
    char *got = tf_frame_text(app, w, h);
    char why[700];
    bool same = same_as_ref(got, name, why, sizeof why);
    free(got);
    if (!same)
        fail_msg("%s", why);
}

bool
tf_shows(struct tui_app *app, const char *text)
{
    char *t = tf_frame_text(app, 80, 24);
    bool r = strstr(t, text) != NULL;
    free(t);
    return r;
}
