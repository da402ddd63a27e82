/*
 * user-passwd.c - `colophon user passwd NAME`: set a user's network
 * password (core/auth.h), the one `colophon serve --allow-update` checks
 * when a Z39.50 client logs in.
 *
 * On a terminal the password is typed twice without echo; otherwise the
 * first line of standard input is the password (for scripts), so it never
 * appears on a command line where `ps` would show it.
 */
#include "cli.h"

#include "auth.h"
#include "buf.h"
#include "repo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* One line from stdin into out without its newline; false at EOF or when too long. */
static bool
read_line(char *out, size_t size)
{
    if (!fgets(out, (int)size, stdin))
        return false;
    size_t n = strcspn(out, "\r\n");
    bool whole = out[n] != '\0' || feof(stdin);
    out[n] = '\0';
    return whole;
}

/* Prompt on the terminal with echo off. */
static bool
read_hidden(const char *prompt, char *out, size_t size)
{
    struct termios old, quiet;
    fputs(prompt, stderr);
    fflush(stderr);
    bool restore = tcgetattr(STDIN_FILENO, &old) == 0;
    if (restore) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    bool ok = read_line(out, size);
    if (restore)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
    return ok;
}

int
cli_user_passwd(const struct cli_globals *g, const char *name, bool clear)
{
    char pw[CORE_PASSWORD_MAX + 2] = "", again[CORE_PASSWORD_MAX + 2] = "";
    int status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    if (!clear) {
        bool ok;
        if (isatty(STDIN_FILENO)) {
            char prompt[128];
            snprintf(prompt, sizeof prompt, "New network password for %s: ", name);
            ok = read_hidden(prompt, pw, sizeof pw) && read_hidden("Again: ", again, sizeof again);
            if (ok && strcmp(pw, again) != 0) {
                cli_error("user passwd: the two passwords differ; nothing changed");
                core_repo_close(repo);
                return CLI_USER;
            }
        } else {
            ok = read_line(pw, sizeof pw);
        }
        if (!ok || !pw[0]) {
            cli_error("user passwd: no password read (type it, or give it as the first line of "
                      "standard input; --clear removes a password)");
            core_repo_close(repo);
            return CLI_USER;
        }
    }
    int rc = core_user_set_password(repo, name, clear ? NULL : pw);
    explicit_bzero(pw, sizeof pw);
    explicit_bzero(again, sizeof again);
    if (rc != CORE_OK) {
        status = cli_core_error(&cli_verb_user, repo, rc);
    } else {
        printf(clear ? "Removed the network password of %s\n"
                     : "Set the network password of %s\n",
               name);
        status = CLI_OK;
    }
    core_repo_close(repo);
    return status;
}
