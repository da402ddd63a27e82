/*
 * repo-assign.c - assignments (see assign.h): assign, release, list, the
 * optional e-mail through the host's sendmail, and the queue.
 *
 * The assignment row is the lock: repo-lock.c reads it whenever no live
 * editing lock exists, so an assigned record opens for its assignee and
 * View Only for everyone else.  The row lives in its record's zone file.
 *
 * Mail is sent after the commit, never inside the transaction (a slow
 * sendmail must not hold the database), from a temporary file given to the
 * program as standard input, so a sendmail that exits early cannot raise
 * SIGPIPE here; a sendmail that hangs is killed after mail.timeout.
 */
#include "repo-int.h"

#include "assign.h"
#include "notes.h"

#include "utf8.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* ---- reading ---- */

#define ASSIGN_COLUMNS                                                                             \
    "SELECT a.mms, coalesce(b.title, ''), a.assignee, a.assigner, a.note, a.at, EXISTS (SELECT "   \
    "1 FROM {Z}.lock l WHERE l.mms = a.mms AND l.user = a.assignee AND l.seen > ?9) FROM "         \
    "{Z}.assignment a LEFT JOIN {Z}.bib b ON b.mms = a.mms "

static void
fill_assignment(sqlite3_stmt *st, enum core_zone zone, struct core_assignment *a)
{
    memset(a, 0, sizeof *a);
    snprintf(a->mms, sizeof a->mms, "%s", repo_col_text(st, 0));
    a->zone = zone;
    snprintf(a->title, sizeof a->title, "%s", repo_col_text(st, 1));
    snprintf(a->assignee, sizeof a->assignee, "%s", repo_col_text(st, 2));
    snprintf(a->assigner, sizeof a->assigner, "%s", repo_col_text(st, 3));
    snprintf(a->note, sizeof a->note, "%s", repo_col_text(st, 4));
    a->at = (time_t)sqlite3_column_int64(st, 5);
    a->open = sqlite3_column_int(st, 6) != 0;
}

/* A lock row is live while now < seen + timeout, i.e. seen > now - timeout. */
static sqlite3_int64
live_after(struct core_repo *repo)
{
    return (sqlite3_int64)(core_now() - core_lock_timeout(repo));
}

int
core_assign_get(struct core_repo *repo, const char *mms, struct core_assignment *out)
{
    enum core_zone zone;
    int rc = repo_zone_for(repo, mms, &zone);
    if (rc != CORE_OK)
        return rc;
    sqlite3_stmt *st = repo_stmt(repo, zone, ASSIGN_COLUMNS "WHERE a.mms = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    sqlite3_bind_int64(st, 9, live_after(repo));
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        fill_assignment(st, zone, out);
    sqlite3_reset(st);
    if (step == SQLITE_DONE)
        return repo_fail(repo, CORE_ERR_NOTFOUND, "%s is not assigned to anyone", mms);
    return step == SQLITE_ROW ? CORE_OK : repo_db_fail(repo, "reading an assignment");
}

int
core_assign_list(struct core_repo *repo, enum core_assign_which which, struct core_assignment **out,
                 size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    int rc = CORE_OK;
    for (int z = CORE_ZONE_IZ; rc == CORE_OK && z <= CORE_ZONE_NZ; z++) {
        if (!core_repo_has_zone(repo, (enum core_zone)z))
            continue;
        sqlite3_stmt *st = repo_stmt(repo, (enum core_zone)z,
                                     ASSIGN_COLUMNS "WHERE ?1 = 0 OR (?1 = 1 AND a.assignee = "
                                                    "?2) OR (?1 = 2 AND a.assigner = ?2) ORDER BY "
                                                    "a.at, a.mms");
        if (!st)
            return CORE_ERR_DB;
        sqlite3_bind_int(st, 1, (int)which);
        repo_bind_text(st, 2, repo->user);
        sqlite3_bind_int64(st, 9, live_after(repo));
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            if (*n == cap) {
                cap = cap ? cap * 2 : 8;
                *out = xrealloc(*out, cap * sizeof **out);
            }
            fill_assignment(st, (enum core_zone)z, &(*out)[(*n)++]);
        }
        sqlite3_reset(st);
        if (step != SQLITE_DONE)
            rc = repo_db_fail(repo, "listing assignments");
    }
    if (rc != CORE_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* ---- assigning ---- */

/* The assignee exists and may catalog; not the acting user. */
static int
check_assignee(struct core_repo *repo, const char *assignee)
{
    if (!assignee || !*assignee)
        return repo_fail(repo, CORE_ERR_USER, "assign to whom? (a user name)");
    if (strcmp(assignee, repo->user) == 0)
        return repo_fail(repo, CORE_ERR_USER,
                         "a record is assigned to another cataloger, not to yourself (open it "
                         "with 'colophon edit' to lock it for you)");
    unsigned roles = core_user_roles(repo, assignee);
    if (roles == 0)
        return repo_fail(repo, CORE_ERR_NOTFOUND,
                         "no user %s in this repository (see 'colophon user list')", assignee);
    if (!(roles & (CORE_ROLE_CATALOGER | CORE_ROLE_CATALOGER_EXTENDED)))
        return repo_fail(repo, CORE_ERR_USER,
                         "%s cannot be assigned records: %s has neither the cataloger nor the "
                         "cataloger-extended role",
                         assignee, assignee);
    return CORE_OK;
}

/*
 * Inside the transaction: refuse a record already assigned or open in a
 * third person's editor; drop the acting user's own lock, which passes to
 * the assignee with the assignment.
 */
static int
check_free(struct core_repo *repo, enum core_zone zone, const char *mms, const char *assignee)
{
    struct core_assignment a;
    int rc = core_assign_get(repo, mms, &a);
    if (rc == CORE_OK) {
        char since[32];
        core_format_time(a.at, since, sizeof since);
        return repo_fail(repo, CORE_ERR_CONFLICT,
                         "%s is already assigned to %s (by %s, %s); it must be released first", mms,
                         a.assignee, a.assigner, since);
    }
    if (rc != CORE_ERR_NOTFOUND)
        return rc;
    sqlite3_stmt *st =
        repo_stmt(repo, zone, "SELECT user, since FROM {Z}.lock WHERE mms = ?1 AND seen > ?2");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    sqlite3_bind_int64(st, 2, live_after(repo));
    char holder[64] = "";
    time_t since = 0;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        snprintf(holder, sizeof holder, "%s", repo_col_text(st, 0));
        since = (time_t)sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return repo_db_fail(repo, "reading a lock");
    if (holder[0] && strcmp(holder, repo->user) != 0 && strcmp(holder, assignee) != 0) {
        char when[32];
        core_format_time(since, when, sizeof when);
        return repo_fail(repo, CORE_ERR_CONFLICT,
                         "%s is locked by %s since %s (open in the editor); it can be assigned "
                         "once %s releases it",
                         mms, holder, when, holder);
    }
    st = repo_stmt(repo, zone, "DELETE FROM {Z}.lock WHERE mms = ?1 AND user = ?2");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    repo_bind_text(st, 2, repo->user);
    step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "passing the lock on");
}

static int
insert_assignment(struct core_repo *repo, enum core_zone zone, const char *mms,
                  const char *assignee, const char *note)
{
    sqlite3_stmt *st = repo_stmt(repo, zone,
                                 "INSERT INTO {Z}.assignment (mms, assignee, assigner, note, at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, mms);
    repo_bind_text(st, 2, assignee);
    repo_bind_text(st, 3, repo->user);
    repo_bind_text(st, 4, note ? note : "");
    sqlite3_bind_int64(st, 5, (sqlite3_int64)core_now());
    int rc = sqlite3_step(st) == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "assigning a record");
    sqlite3_reset(st);
    return rc;
}

/* ---- mail ---- */

/* An address we may hand to sendmail as an argument and put in a header. */
static bool
address_ok(const char *a)
{
    const char *at = strchr(a, '@');
    if (!*a || *a == '-' || !at || at == a || !at[1] || strlen(a) > 254)
        return false;
    for (const unsigned char *p = (const unsigned char *)a; *p; p++)
        if (*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>' || *p == ',' || *p == ';')
            return false;
    return true;
}

/* Append s to b as an RFC 2047 encoded word when it is not plain ASCII. */
static void
header_text(struct marc_buf *b, const char *s)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t len = strlen(s);
    if (marc_ascii_only(s, len)) {
        marc_buf_puts(b, s);
        return;
    }
    marc_buf_puts(b, "=?UTF-8?B?");
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)u[i] << 16 | (i + 1 < len ? (unsigned)u[i + 1] << 8 : 0) |
                     (i + 2 < len ? u[i + 2] : 0);
        marc_buf_putc(b, b64[v >> 18 & 63]);
        marc_buf_putc(b, b64[v >> 12 & 63]);
        marc_buf_putc(b, i + 1 < len ? b64[v >> 6 & 63] : '=');
        marc_buf_putc(b, i + 2 < len ? b64[v & 63] : '=');
    }
    marc_buf_puts(b, "?=");
}

static void
compose_mail(struct core_repo *repo, const char *mms, enum core_zone zone, const char *title,
             const char *to, const char *from, const char *assignee, const char *note,
             struct marc_buf *m)
{
    if (*from)
        marc_buf_printf(m, "From: Colophon <%s>\n", from);
    marc_buf_printf(m, "To: %s\n", to);
    marc_buf_puts(m, "Subject: [Colophon] ");
    char *subject = xasprintf("%s assigned record %s to you", repo->user, mms);
    header_text(m, subject);
    free(subject);
    marc_buf_puts(m, "\nMIME-Version: 1.0\n"
                     "Content-Type: text/plain; charset=UTF-8\n"
                     "Content-Transfer-Encoding: 8bit\n"
                     "Auto-Submitted: auto-generated\n\n");
    marc_buf_printf(m, "%s assigned a record to you in Colophon.\n\n", repo->user);
    marc_buf_printf(m, "  MMS ID:      %s (%s)\n", mms, core_zone_name(zone));
    marc_buf_printf(m, "  Title:       %s\n", title[0] ? title : "(no title)");
    if (note && *note)
        marc_buf_printf(m, "  Note:        %s\n", note);
    marc_buf_printf(m, "  Repository:  %s\n\n", repo->dir);
    marc_buf_printf(m,
                    "The record is locked for you (%s) until the assignment is released:\n"
                    "  colophon edit %s\n"
                    "  colophon assign --release %s\n",
                    assignee, mms, mms);
}

/* First line of what the program wrote, for the warning. */
static void
first_line(FILE *fp, char *out, size_t size)
{
    out[0] = '\0';
    rewind(fp);
    if (!fgets(out, (int)size, fp))
        out[0] = '\0';
    out[strcspn(out, "\r\n")] = '\0';
}

/* Wait for pid at most `timeout` seconds; kill it after.  *status from waitpid. */
static bool
wait_bounded(pid_t pid, long timeout, int *status)
{
    struct timespec tick = {0, 10 * 1000 * 1000};
    for (long waited = 0; waited <= timeout * 100; waited++) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR))
            return r == pid;
        nanosleep(&tick, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, status, 0);
    return false;
}

/* Run sendmail on the message; "" in why on success, else the reason. */
static void
run_sendmail(const char *prog, const char *from, const char *to, const struct marc_buf *msg,
             long timeout, char *why, size_t size)
{
    why[0] = '\0';
    FILE *in = tmpfile(), *out = tmpfile();
    if (!in || !out) {
        snprintf(why, size, "cannot create a temporary file: %s", strerror(errno));
        if (in)
            fclose(in);
        if (out)
            fclose(out);
        return;
    }
    fwrite(msg->data, 1, msg->len, in);
    fflush(in);
    rewind(in);
    const char *argv[8];
    int argc = 0;
    argv[argc++] = prog;
    argv[argc++] = "-i";
    if (*from) {
        argv[argc++] = "-f";
        argv[argc++] = from;
    }
    argv[argc++] = "--";
    argv[argc++] = to;
    argv[argc] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fileno(in), 0);
    posix_spawn_file_actions_adddup2(&fa, fileno(out), 1);
    posix_spawn_file_actions_adddup2(&fa, fileno(out), 2);
    pid_t pid;
    int e = strchr(prog, '/') ? posix_spawn(&pid, prog, &fa, NULL, (char *const *)argv, environ)
                              : posix_spawnp(&pid, prog, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    char line[200];
    if (e != 0) {
        snprintf(why, size, "cannot run %s: %s", prog, strerror(e));
    } else if (!wait_bounded(pid, timeout, &status)) {
        snprintf(why, size, "%s did not finish within %ld s and was stopped", prog, timeout);
    } else if (WIFSIGNALED(status)) {
        snprintf(why, size, "%s was killed by signal %d", prog, WTERMSIG(status));
    } else if (WEXITSTATUS(status) != 0) {
        first_line(out, line, sizeof line);
        snprintf(why, size, "%s exited with status %d%s%s", prog, WEXITSTATUS(status),
                 line[0] ? ": " : "", line);
    }
    fclose(in);
    fclose(out);
}

/* Mail the assignee when mail.sendmail is set; a warning when that fails. */
static void
notify(struct core_repo *repo, const char *mms, enum core_zone zone, const char *title,
       const char *assignee, const char *note, char *warning, size_t wsize)
{
    char prog[512], from[256], to[128] = "";
    snprintf(prog, sizeof prog, "%s", core_config_get(repo, "mail.sendmail", ""));
    if (!prog[0])
        return;
    snprintf(from, sizeof from, "%s", core_config_get(repo, "mail.from", ""));
    long timeout = strtol(core_config_get(repo, "mail.timeout", "10"), NULL, 10);
    if (timeout <= 0)
        timeout = 10;
    struct core_user *users;
    size_t n;
    if (core_user_list(repo, &users, &n) == CORE_OK) {
        for (size_t i = 0; i < n; i++)
            if (strcmp(users[i].name, assignee) == 0)
                snprintf(to, sizeof to, "%s", users[i].email);
        free(users);
    }
    char why[1024] = "";
    if (!to[0])
        snprintf(why, sizeof why, "%s has no e-mail address in this repository", assignee);
    else if (!address_ok(to))
        snprintf(why, sizeof why, "%s's e-mail address '%s' is not usable", assignee, to);
    else if (from[0] && !address_ok(from))
        snprintf(why, sizeof why, "mail.from '%s' is not an e-mail address", from);
    if (!why[0]) {
        struct marc_buf m = MARC_BUF_INIT;
        compose_mail(repo, mms, zone, title, to, from, assignee, note, &m);
        run_sendmail(prog, from, to, &m, timeout, why, sizeof why);
        marc_buf_free(&m);
    }
    if (why[0] && warning)
        snprintf(warning, wsize, "%s is assigned to %s, but no e-mail was sent: %s", mms, assignee,
                 why);
}

int
core_assign(struct core_repo *repo, const char *mms, const char *assignee, const char *note,
            char *warning, size_t wsize)
{
    if (warning && wsize)
        warning[0] = '\0';
    int rc = core_require_role(repo, CORE_ROLE_CATALOGER | CORE_ROLE_CATALOGER_EXTENDED,
                               "assigning a record");
    if (rc == CORE_OK)
        rc = check_assignee(repo, assignee);
    if (rc == CORE_OK)
        rc = repo_wf_text(repo, "assignment note", note, CORE_ASSIGN_NOTE_MAX, true);
    if (rc == CORE_OK)
        rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    enum core_zone zone;
    struct core_record_info info;
    rc = repo_wf_target(repo, mms, "an assignment", &zone, &info);
    if (rc == CORE_OK)
        rc = check_free(repo, zone, mms, assignee);
    if (rc == CORE_OK)
        rc = insert_assignment(repo, zone, mms, assignee, note);
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    rc = repo_commit(repo);
    if (rc == CORE_OK)
        notify(repo, mms, zone, info.title, assignee, note, warning, wsize);
    return rc;
}

/* ---- releasing ---- */

static int
may_release(struct core_repo *repo, const struct core_assignment *a)
{
    if (strcmp(a->assignee, repo->user) == 0)
        return CORE_OK;
    if (strcmp(a->assigner, repo->user) != 0)
        return repo_fail(repo, CORE_ERR_ROLE,
                         "%s is assigned to %s by %s: only %s, or %s once %s has released the "
                         "record, can release the assignment",
                         a->mms, a->assignee, a->assigner, a->assignee, a->assigner, a->assignee);
    if (a->open)
        return repo_fail(repo, CORE_ERR_CONFLICT,
                         "%s still has %s open in the editor: you can release the assignment "
                         "once %s releases the record (or the lock expires)",
                         a->assignee, a->mms, a->assignee);
    return CORE_OK;
}

int
core_assign_release(struct core_repo *repo, const char *mms, const char *note)
{
    int rc = repo_wf_text(repo, "release note", note, CORE_NOTE_MAX - 200, true);
    if (rc == CORE_OK)
        rc = repo_begin(repo);
    if (rc != CORE_OK)
        return rc;
    struct core_assignment a;
    enum core_zone zone = CORE_ZONE_IZ;
    rc = core_assign_get(repo, mms, &a);
    if (rc == CORE_OK)
        rc = may_release(repo, &a);
    if (rc == CORE_OK)
        zone = a.zone;
    sqlite3_stmt *st =
        rc == CORE_OK ? repo_stmt(repo, zone, "DELETE FROM {Z}.assignment WHERE mms = ?1") : NULL;
    if (rc == CORE_OK && !st)
        rc = CORE_ERR_DB;
    if (st) {
        repo_bind_text(st, 1, mms);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = repo_db_fail(repo, "releasing an assignment");
        sqlite3_reset(st);
    }
    if (rc == CORE_OK && note && *note) {
        char *text = xasprintf("Assignment to %s released by %s: %s", a.assignee, repo->user, note);
        rc = core_note_add(repo, mms, text, NULL);
        free(text);
    }
    if (rc != CORE_OK) {
        repo_rollback(repo);
        return rc;
    }
    return repo_commit(repo);
}

/* ---- the queue ---- */

int
core_queue_get(struct core_repo *repo, struct core_queue *q)
{
    memset(q, 0, sizeof *q);
    core_reminder_today(q->today, sizeof q->today);
    int rc = core_assign_list(repo, CORE_ASSIGN_TO_ME, &q->to_me, &q->nto_me);
    if (rc == CORE_OK)
        rc = core_assign_list(repo, CORE_ASSIGN_BY_ME, &q->by_me, &q->nby_me);
    struct core_reminder_filter f = {.zone = -1, .due = true};
    if (rc == CORE_OK)
        rc = core_reminder_list(repo, &f, &q->due, &q->ndue);
    if (rc != CORE_OK)
        core_queue_free(q);
    return rc;
}

void
core_queue_free(struct core_queue *q)
{
    if (!q)
        return;
    free(q->to_me);
    free(q->by_me);
    free(q->due);
    memset(q, 0, sizeof *q);
}
