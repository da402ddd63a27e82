/*
 * verb-edit.c - `colophon edit MMSID`: change a stored record through its
 * .mrk text in the user's editor, or from a file (SPEC §3.1).
 *
 * The cycle is the editor's in miniature: open (take the lock, or stop
 * with View Only and who holds it), edit, validate, save with the version
 * check, release.  An invalid record goes back into the editor with the
 * problems as '#' lines on top (the .mrk reader skips comments) until it is
 * valid or the user gives up; a save refused because someone else changed
 * the record keeps the user's text in a file and says where, so nothing
 * typed is ever lost.
 */
#include "cli.h"
#include "term.h"
#include "record-io.h"

#include "buf.h"
#include "core.h"
#include "mrk.h"
#include "repo.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char edit_usage[] =
    "Usage: colophon edit [OPTIONS] MMSID\n"
    "\n"
    "Edit a stored record (bibliographic or holdings).  On a terminal this opens\n"
    "the full-screen editor on the record (F1 there lists every key).\n"
    "\n"
    "With --text the record is locked for you, written as MarcEdit .mrk text to a\n"
    "temporary file and opened in $VISUAL or $EDITOR (default vi).  When you save\n"
    "and quit, the text is read and validated; if it has errors, the editor opens\n"
    "again with the errors as '#' lines on top.  A valid record is saved as a new\n"
    "version and the lock is released.  Quit without changes, or empty the file,\n"
    "to leave the record as it was.  Without a terminal, --text is the default.\n"
    "\n"
    "If someone else holds the lock, nothing is opened: the message says who and\n"
    "since when (View Only; 'colophon show' reads the record).  If the record\n"
    "changed since you opened it (your lock expired and someone else saved), the\n"
    "save is refused and your text is kept in a file whose name is printed.\n"
    "\n"
    "Options:\n"
    "      --text              edit the .mrk text in $EDITOR, not the full-screen editor\n"
    "  -F, --file FILE         no editor: save the record in FILE (.mrk, ISO 2709,\n"
    "                          MARCXML or MARC-in-JSON; '-' for standard input)\n"
    "  -b, --base-version N    with --file: save only if the record is still at\n"
    "                          version N (the version FILE was made from, as\n"
    "                          'colophon show --info' tells); else exit 3\n"
    "  -k, --keep-lock         keep the lock after saving (default: release it)\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 saved, or nothing to save; 1 invalid record or refused (role,\n"
    "deleted record, editor failed); 2 usage; 3 locked by someone else or changed\n"
    "since opened; 4 I/O or database error.\n";

/* Lines of the file that are ours: the help or the errors, above the record. */
#define HEADER_MARK "# "
/* Editor rounds before an edit that stays invalid is given up. */
#define MAX_ROUNDS 100

struct edit_opts {
    const char *mms;
    const char *file;
    bool text;        /* --text: the $EDITOR mode, not the full-screen editor */
    int base_version; /* 0: the version opened */
    bool keep_lock;
};

static int
parse_args(int argc, char **argv, struct edit_opts *o)
{
    static const struct option longopts[] = {
        {"text", no_argument, NULL, 't'},
        {"file", required_argument, NULL, 'F'},
        {"base-version", required_argument, NULL, 'b'},
        {"keep-lock", no_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_edit;
    memset(o, 0, sizeof *o);
    int c;
    char *end;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "F:b:kh", longopts, NULL)) != -1) {
        switch (c) {
        case 't':
            o->text = true;
            break;
        case 'F':
            o->file = optarg;
            break;
        case 'b':
            o->base_version = (int)strtol(optarg, &end, 10);
            if (end == optarg || *end || o->base_version < 1)
                return cli_usage_error(v, "--base-version takes a version number, not '%s'",
                                       optarg);
            break;
        case 'k':
            o->keep_lock = true;
            break;
        case 'h':
            return cli_print_usage(v) - 1;
        default:
            return cli_usage_error(v, "unknown option");
        }
    }
    if (argc - optind != 1)
        return cli_usage_error(v, "expected one MMS ID, got %d argument(s)", argc - optind);
    o->mms = argv[optind];
    if (o->base_version && !o->file)
        return cli_usage_error(v, "--base-version goes with --file (the editor checks the "
                                  "version it opened)");
    return CLI_OK;
}

/*
 * The role a save will need, checked before the lock is taken: someone who
 * may not edit must neither lock the record against others nor type into
 * an editor for nothing.  (The core checks again on save.)
 */
static int
require_edit_role(struct core_repo *repo, const char *mms)
{
    if (core_mms_parse(mms, NULL, NULL) == CORE_MMS_HOLDINGS)
        return core_require_role(repo, CORE_ROLE_INVENTORY, "editing holdings");
    return core_require_role(repo, CORE_ROLE_CATALOGER | CORE_ROLE_CATALOGER_EXTENDED,
                             "editing a bibliographic record");
}

/* Take the lock; View Only and other refusals are printed. */
static int
open_record(struct core_repo *repo, const char *mms, struct marc_record *r, int *version)
{
    struct core_lock_info lock;
    int rc = require_edit_role(repo, mms);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_edit, repo, rc);
    rc = core_record_open(repo, mms, r, version, &lock);
    if (rc == CORE_OK)
        return CLI_OK;
    int status = cli_core_error(&cli_verb_edit, repo, rc);
    if (rc == CORE_ERR_CONFLICT)
        cli_error("nothing was changed; 'colophon show %s' reads the record", mms);
    return status;
}

static void
finish_lock(struct core_repo *repo, const char *mms, bool keep)
{
    if (!keep && core_record_release(repo, mms) != CORE_OK)
        cli_error("could not release the lock on %s: %s", mms, core_repo_errmsg(repo));
}

/* Print diagnostics kept from a save or a parse (warnings after a save). */
static void
print_diags(const struct cli_diags *ds, const char *source)
{
    struct cli_diag_sink sink = {.source = source};
    for (size_t i = 0; i < ds->n; i++)
        cli_print_diag(&sink, &ds->d[i]);
}

static void
report_saved(const char *mms, int version, bool keep)
{
    printf("Saved %s as version %d; %s.\n", mms, version,
           keep ? "you keep the lock" : "lock released");
}

/* ---- files ---- */

static int
write_text(const char *path, const struct marc_buf *b)
{
    int fd = open(path, O_WRONLY | O_TRUNC | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        cli_error("cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    size_t done = 0;
    while (done < b->len) {
        ssize_t n = write(fd, b->data + done, b->len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            cli_error("cannot write %s: %s", path, strerror(errno));
            close(fd);
            return -1;
        }
        done += (size_t)n;
    }
    if (close(fd) != 0) {
        cli_error("cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* A private file in $TMPDIR named after the record. */
static char *
make_temp(const char *mms)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    char *path = xasprintf("%s/colophon-%s-XXXXXX.mrk", dir, mms);
    int fd = mkstemps(path, 4);
    if (fd < 0) {
        cli_error("cannot create a temporary file in %s: %s", dir, strerror(errno));
        free(path);
        return NULL;
    }
    close(fd);
    return path;
}

/* ---- --file ---- */

/*
 * After a refused save: a regular file still holds the user's text; what
 * came through a pipe or standard input is written to a file of its own.
 */
static void
keep_text(const struct edit_opts *o, const struct marc_record *r)
{
    struct stat st;
    if (strcmp(o->file, "-") != 0 && stat(o->file, &st) == 0 && S_ISREG(st.st_mode)) {
        cli_error("nothing was saved; your text is still in %s", o->file);
        return;
    }
    char *path = make_temp(o->mms);
    struct marc_buf b = MARC_BUF_INIT;
    marc_mrk_encode(r, &b, false, NULL);
    if (path && write_text(path, &b) == 0)
        cli_error("nothing was saved; your text is kept in %s", path);
    marc_buf_free(&b);
    free(path);
}

/* Save the record read from --file; returns the exit code (printed). */
static int
save_from_file(struct core_repo *repo, const struct edit_opts *o, struct marc_record *r, int base,
               const char *source)
{
    struct cli_diags ds = {0};
    int newv = 0;
    int rc = core_record_save(repo, o->mms, r, base, "edit", !o->keep_lock, cli_diags_collect, &ds,
                              &newv);
    print_diags(&ds, source);
    int status = CLI_OK;
    if (rc == CORE_OK) {
        report_saved(o->mms, newv, o->keep_lock);
    } else {
        status = cli_core_error(&cli_verb_edit, repo, rc);
        if (rc == CORE_ERR_INVALID)
            cli_error("%ld error(s) in %s; nothing was saved", ds.errors, source);
        else
            keep_text(o, r);
    }
    cli_diags_free(&ds);
    return status;
}

static int
edit_from_file(struct core_repo *repo, const struct edit_opts *o)
{
    struct marc_record *cur = marc_record_new(), *r = marc_record_new();
    int opened;
    const char *source = strcmp(o->file, "-") == 0 ? "<stdin>" : o->file;
    struct cli_diag_sink sink = {.source = source};
    int status = open_record(repo, o->mms, cur, &opened);
    if (status != CLI_OK) {
        /* View Only: the text was not used, and must not be lost either. */
        if (status == CLI_CONFLICT && cli_record_read_file(o->file, r, &sink) == CLI_OK)
            keep_text(o, r);
        marc_record_free(cur);
        marc_record_free(r);
        return status;
    }
    status = cli_record_read_file(o->file, r, &sink);
    bool saved = false;
    if (status != CLI_OK) {
        cli_error("nothing was saved");
    } else if (cli_record_same_content(cur, r)) {
        printf("No changes: %s is already as in %s.\n", o->mms, source);
    } else {
        status = save_from_file(repo, o, r, o->base_version ? o->base_version : opened, source);
        saved = status == CLI_OK;
    }
    if (!saved)
        finish_lock(repo, o->mms, o->keep_lock);
    marc_record_free(cur);
    marc_record_free(r);
    return status;
}

/* ---- the editor ---- */

struct session {
    struct core_repo *repo;
    const struct edit_opts *o;
    int version;              /* the version opened: the save's base */
    struct marc_record *orig; /* as opened */
    struct marc_record *r;    /* as parsed from the file */
    char *path;               /* the text file the editor works on */
    struct marc_buf written;  /* what we last put in it */
    struct cli_diags diags;
    bool saved; /* the save released (or kept) the lock itself */
};

/* Run $VISUAL / $EDITOR on path through the shell, as git does.  Returns its status. */
static int
run_editor(const char *path)
{
    const char *ed = getenv("VISUAL");
    if (!ed || !*ed)
        ed = getenv("EDITOR");
    if (!ed || !*ed)
        ed = "vi";
    char *cmd = xasprintf("%s \"$1\"", ed);
    struct sigaction ign = {.sa_handler = SIG_IGN}, oldint, oldquit;
    sigemptyset(&ign.sa_mask);
    /* ^C belongs to the editor while it runs. */
    sigaction(SIGINT, &ign, &oldint);
    sigaction(SIGQUIT, &ign, &oldquit);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        sigaction(SIGINT, &oldint, NULL);
        sigaction(SIGQUIT, &oldquit, NULL);
        execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
        _exit(127);
    }
    int st = -1;
    if (pid < 0)
        cli_error("cannot start the editor: %s", strerror(errno));
    else
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
    sigaction(SIGINT, &oldint, NULL);
    sigaction(SIGQUIT, &oldquit, NULL);
    if (pid > 0 && !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
        if (WIFEXITED(st))
            cli_error("the editor (%s) exited with status %d", ed, WEXITSTATUS(st));
        else
            cli_error("the editor (%s) was killed by signal %d", ed, WTERMSIG(st));
    }
    free(cmd);
    return pid > 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Offset of the record text: after the leading '#' lines (ours, rewritten each round). */
static size_t
body_start(const char *t, size_t len)
{
    size_t pos = 0;
    while (pos < len && t[pos] == '#') {
        const char *nl = memchr(t + pos, '\n', len - pos);
        pos = nl ? (size_t)(nl - t) + 1 : len;
    }
    return pos;
}

/* Line (1-based, in body) of occurrence `occ` of field `tag`; 0 when not there. */
static long
field_line(const char *body, size_t len, const char *tag, int occ)
{
    long line = 1;
    int seen = 0;
    for (size_t pos = 0; pos < len; line++) {
        const char *nl = memchr(body + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - body) : len;
        if (end - pos >= 4 && body[pos] == '=' && memcmp(body + pos + 1, tag, 3) == 0 &&
            (++seen == occ || occ == 0))
            return line;
        pos = end + 1;
    }
    return 0;
}

static void
header_help(struct marc_buf *b, const struct session *s)
{
    marc_buf_printf(b,
                    HEADER_MARK "Editing %s (version %d).  Save and quit to store it; quit "
                                "without changes\n" HEADER_MARK
                                "or empty the file to leave it as it is.  '#' lines are "
                                "ignored.\n",
                    s->o->mms, s->version);
}

/* The errors as comment lines, located in the file as it will be written. */
static void
header_errors(struct marc_buf *b, struct session *s, const char *body, size_t len)
{
    long nerr = s->diags.errors;
    marc_buf_printf(b,
                    HEADER_MARK "%s was NOT saved: %ld error(s).  Fix them, then save and "
                                "quit to try again;\n" HEADER_MARK
                                "quit without changes or empty the file to give up.\n",
                    s->o->mms, nerr);
    long shift = 2 + (long)s->diags.n;
    for (size_t i = 0; i < s->diags.n; i++) {
        struct marc_diag d = s->diags.d[i];
        if (d.line == 0 && d.tag[0])
            d.line = field_line(body, len, strcmp(d.tag, "LDR") == 0 ? "LDR" : d.tag, d.occurrence);
        if (d.line > 0)
            d.line += shift;
        d.record = 0;
        d.offset = -1;
        char *line = marc_diag_format(&d, NULL);
        marc_buf_printf(b, HEADER_MARK "%s\n", line);
        free(line);
    }
}

static int
rewrite(struct session *s, const char *body, size_t len, bool errors)
{
    struct marc_buf b = MARC_BUF_INIT;
    if (errors)
        header_errors(&b, s, body, len);
    else
        header_help(&b, s);
    marc_buf_append(&b, body, len);
    marc_buf_free(&s->written);
    s->written = b;
    return write_text(s->path, &s->written);
}

enum step { STEP_AGAIN, STEP_DONE };

/*
 * The file holds one record, so a blank line inside it (a field added
 * after the last line, say) cannot mean "next record" as it does in .mrk:
 * such lines become comments, which keeps every line number.  A second
 * =LDR still starts a second record, and is refused.
 */
static char *
one_record_text(const char *body, size_t len, size_t *out_len)
{
    struct marc_buf b = MARC_BUF_INIT;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(body + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - body) : len;
        bool blank = true;
        for (size_t i = pos; i < end && blank; i++)
            blank = body[i] == ' ' || body[i] == '\t' || body[i] == '\r';
        if (blank)
            marc_buf_putc(&b, '#');
        else
            marc_buf_append(&b, body + pos, end - pos);
        if (nl)
            marc_buf_putc(&b, '\n');
        pos = end + 1;
    }
    *out_len = b.len;
    marc_buf_putc(&b, '\0');
    return marc_buf_steal(&b);
}

/* Parse and try to save what the editor left; *status is the exit code when done. */
static enum step
try_save(struct session *s, const char *body, size_t len, int *status)
{
    cli_diags_clear(&s->diags);
    size_t tlen;
    char *text = one_record_text(body, len, &tlen);
    int n = cli_mrk_parse_one(text, tlen, s->r, &s->diags);
    free(text);
    if (n == 0) {
        printf("The file is empty: %s was not changed.\n", s->o->mms);
        *status = CLI_OK;
        return STEP_DONE;
    }
    if (s->diags.errors > 0)
        return STEP_AGAIN;
    if (cli_record_same_content(s->orig, s->r)) {
        printf("No changes: %s was not changed.\n", s->o->mms);
        *status = CLI_OK;
        return STEP_DONE;
    }
    int newv = 0;
    int rc = core_record_save(s->repo, s->o->mms, s->r, s->version, "edit", !s->o->keep_lock,
                              cli_diags_collect, &s->diags, &newv);
    if (rc == CORE_ERR_INVALID)
        return STEP_AGAIN;
    print_diags(&s->diags, NULL);
    if (rc == CORE_OK) {
        report_saved(s->o->mms, newv, s->o->keep_lock);
        s->saved = true;
        *status = CLI_OK;
    } else {
        *status = cli_core_error(&cli_verb_edit, s->repo, rc);
    }
    return STEP_DONE;
}

/* One editor round; *keep says the file must stay (it holds unsaved text). */
static enum step
edit_round(struct session *s, int n, int *status, bool *keep)
{
    core_record_touch(s->repo, s->o->mms); /* a slow editor session stays locked */
    int ed = run_editor(s->path);
    struct marc_buf text = MARC_BUF_INIT;
    if (cli_read_file(s->path, &text) < 0) {
        *status = CLI_IO;
        return STEP_DONE;
    }
    bool same = text.len == s->written.len && memcmp(text.data, s->written.data, text.len) == 0;
    enum step st = STEP_DONE;
    if (ed != 0) {
        /* Whatever the editor left may be work: keep it unless it is untouched. */
        cli_error("nothing was saved");
        *status = CLI_USER;
        *keep = !same;
    } else if (same) {
        /* Quitting unchanged on the first round leaves the record; later, it gives up. */
        if (n == 1)
            printf("No changes: %s was not changed.\n", s->o->mms);
        else
            cli_error("%s still has errors and was not saved", s->o->mms);
        *status = n == 1 ? CLI_OK : CLI_USER;
        *keep = n > 1;
    } else {
        size_t off = body_start(text.data, text.len);
        st = try_save(s, text.data + off, text.len - off, status);
        if (st == STEP_AGAIN && rewrite(s, text.data + off, text.len - off, true) < 0) {
            *status = CLI_IO;
            st = STEP_DONE;
        }
        *keep = st == STEP_DONE && *status != CLI_OK;
    }
    marc_buf_free(&text);
    return st;
}

/* The editor rounds on an opened record; the lock is the caller's business. */
static int
edit_rounds(struct session *s)
{
    if (!(s->path = make_temp(s->o->mms)))
        return CLI_IO;
    struct marc_buf mrk = MARC_BUF_INIT;
    marc_mrk_encode(s->orig, &mrk, false, NULL);
    int status = rewrite(s, mrk.data, mrk.len, false) < 0 ? CLI_IO : CLI_OK;
    marc_buf_free(&mrk);
    bool keep = false;
    for (int n = 1; status == CLI_OK; n++) {
        if (n > MAX_ROUNDS) {
            /* A scripted $EDITOR that never fixes the record must not loop forever. */
            cli_error("%s still has errors after %d rounds in the editor; giving up", s->o->mms,
                      MAX_ROUNDS);
            status = CLI_USER;
            keep = true;
            break;
        }
        if (edit_round(s, n, &status, &keep) == STEP_DONE)
            break;
    }
    if (keep)
        cli_error("your text is kept in %s", s->path);
    else
        unlink(s->path);
    return status;
}

static int
edit_in_editor(struct core_repo *repo, const struct edit_opts *o)
{
    struct session s = {.repo = repo, .o = o, .orig = marc_record_new(), .r = marc_record_new()};
    int status = open_record(repo, o->mms, s.orig, &s.version);
    if (status == CLI_OK) {
        status = edit_rounds(&s);
        if (!s.saved)
            finish_lock(repo, o->mms, o->keep_lock);
    }
    free(s.path);
    marc_buf_free(&s.written);
    cli_diags_free(&s.diags);
    marc_record_free(s.orig);
    marc_record_free(s.r);
    return status;
}

static int
run_edit(const struct cli_globals *g, int argc, char **argv)
{
    struct edit_opts o;
    int status = parse_args(argc, argv, &o);
    if (status != CLI_OK)
        return status < 0 ? CLI_OK : status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    if (!o.file && !o.text && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
        /* The full-screen editor, on the record. */
        struct tui_app_opts to = {.open_mms = o.mms};
        status = tui_run(repo, &to) == 0 ? CLI_OK : CLI_USER;
        core_repo_close(repo);
        return status;
    }
    status = o.file ? edit_from_file(repo, &o) : edit_in_editor(repo, &o);
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_edit = {
    .name = "edit",
    .summary = "edit a record in $EDITOR (.mrk text) or from a file, with lock and versions",
    .run = run_edit,
    .usage = edit_usage,
};
