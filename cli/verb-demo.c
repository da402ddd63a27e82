/*
 * verb-demo.c - `colophon demo`: a repository to try Colophon on (SPEC §10),
 * built from the Library of Congress records Debian ships, with a local
 * Z39.50 target, then the editor on it.  This is what `./bootstrap demo`
 * runs.
 *
 * This file decides where the demo lives and when it is (re)built: it is
 * built once into a sibling directory and renamed into place, so that an
 * interrupted build never leaves a half demo and two runs at once do not
 * mix; a directory that holds anything but a demo is never touched.  It
 * keeps the demo's `colophon serve` running (a daemon with its pid file in
 * the demo directory, restarted when its process has gone, stopped by
 * --stop) and registers it as the repository's target "loc-sample".
 * What goes into the repositories is demo-build.c's business.
 */
#include "cli.h"
#include "demo.h"
#include "term.h"

#include "buf.h"
#include "core.h"
#include "repo.h"
#include "serve.h"
#include "targets.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char demo_usage[] =
    "Usage: colophon demo [--no-editor] [--reset] [DIR]\n"
    "       colophon demo --stop [DIR]\n"
    "\n"
    "Build a demo repository from the Library of Congress records that Debian's\n"
    "idzebra-2.0-examples package ships, start a local Z39.50 server for External\n"
    "search and Copy & Merge, and open the editor on it.\n"
    "\n"
    "DIR (default: --repo, $COLOPHON_REPO, else $XDG_DATA_HOME/colophon/demo) gets\n"
    "an institution zone 1234 and a network zone 4801: opera records and two\n"
    "serials shared in the NZ, nine IZ records linked to them, a brief record to\n"
    "Copy & Merge, holdings and items for all but two bibs, a duplicate to relink,\n"
    "notes, reminders, an assignment each way, two sets, and the users alice\n"
    "(cataloger) and bob (cataloger-extended) beside you (admin).  DIR/loc-sample\n"
    "holds every LoC record whole; 'colophon serve' offers it on 127.0.0.1 (a free\n"
    "port; pid file DIR/serve.pid, log DIR/serve.log) as the target 'loc-sample'.\n"
    "\n"
    "Running demo again builds nothing: it restarts the server if it has stopped,\n"
    "prints the summary and opens the editor.  A DIR that holds anything other\n"
    "than a demo is refused, never overwritten.\n"
    "\n"
    "Options:\n"
    "      --no-editor  build (if needed) and print what the demo holds and what to\n"
    "                   try, without opening the editor (also when not on a terminal)\n"
    "      --reset      throw the demo away and build it again (stops its server)\n"
    "      --stop       stop the demo's Z39.50 server\n"
    "  -h, --help       show this help\n"
    "\n"
    "Exit status: 0 done; 1 DIR is not a demo, or the LoC records are not installed\n"
    "(apt-get install idzebra-2.0-examples); 2 usage; 4 the files or the server\n"
    "could not be made.\n";

struct demo_opts {
    bool no_editor, reset, stop;
    const char *dir;
};

/* ---- the directory ---- */

enum demo_state { DEMO_ABSENT, DEMO_PRESENT, DEMO_FOREIGN };

static char *
demo_path(const char *dir, const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

static enum demo_state
demo_inspect(const char *dir)
{
    char *mark = demo_path(dir, DEMO_MARK);
    bool marked = access(mark, F_OK) == 0;
    free(mark);
    if (marked)
        return DEMO_PRESENT;
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? DEMO_ABSENT : DEMO_FOREIGN;
    struct dirent *e;
    bool empty = true;
    while (empty && (e = readdir(d)))
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    return empty ? DEMO_ABSENT : DEMO_FOREIGN;
}

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void
remove_tree(const char *dir)
{
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* mkdir -p of dir's parent (a new account lacks ~/.local/share). */
static int
make_parents(const char *dir)
{
    char *p = xstrdup(dir);
    int rc = 0;
    for (char *s = p + 1; *s && rc == 0; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            cli_error("demo: cannot create %s: %s", p, strerror(errno));
            rc = -1;
        }
        *s = '/';
    }
    free(p);
    return rc;
}

/*
 * Build into DIR.building-PID, then rename it to DIR (replacing an empty
 * DIR).  Another demo that got there first wins: ours is thrown away.
 */
static int
demo_build_into(const char *dir, const struct cli_globals *g, bool quiet)
{
    if (make_parents(dir) < 0)
        return CLI_IO;
    char *tmp = xasprintf("%s.building-%ld", dir, (long)getpid());
    remove_tree(tmp);
    if (!quiet)
        fprintf(stderr, "colophon demo: building the demo repository in %s\n", dir);
    struct demo_summary s;
    char *cause = NULL;
    int status = CLI_OK;
    if (demo_build(tmp, g->user, &s, &cause) < 0) {
        cli_error("demo: %s", cause ? cause : "the build failed");
        status = access(DEMO_EXAMPLES "/marc21/sample-marc.gz", R_OK) == 0 ? CLI_IO : CLI_USER;
    } else if (rename(tmp, dir) != 0 && demo_inspect(dir) != DEMO_PRESENT) {
        cli_error("demo: cannot move %s to %s: %s", tmp, dir, strerror(errno));
        status = CLI_IO;
    }
    remove_tree(tmp); /* nothing left after a rename; the half-built demo otherwise */
    free(cause);
    free(tmp);
    return status;
}

/* ---- the Z39.50 server ---- */

/* The state letter of process pid in /proc (R, S, D, Z ...), or 0 when
 * there is no such process. */
static char
process_state(long pid)
{
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return 0;
    size_t n = fread(line, 1, sizeof line - 1, fp);
    fclose(fp);
    line[n] = '\0';
    const char *paren = strrchr(line, ')'); /* the command name may hold spaces */
    return paren && paren[1] == ' ' && paren[2] ? paren[2] : 0;
}

/* Has pid not finished exiting?  A zombie has: only its parent's wait is
 * missing.  (Its cmdline is empty while it exits, so that cannot tell.) */
static bool
process_running(long pid)
{
    char st = process_state(pid);
    return st != 0 && st != 'Z' && st != 'X';
}

/* Is pid a live colophon process (not some other program that got the pid)? */
static bool
colophon_alive(long pid)
{
    if (!process_running(pid))
        return false;
    char path[64], cmd[256] = "";
    snprintf(path, sizeof path, "/proc/%ld/cmdline", pid);
    FILE *cf = fopen(path, "r");
    size_t n = cf ? fread(cmd, 1, sizeof cmd - 1, cf) : 0;
    if (cf)
        fclose(cf);
    cmd[n] = '\0';
    return n > 0 && strstr(cmd, "colophon");
}

/* The pid in DIR/serve.pid when that process is alive and a colophon; else 0. */
static long
server_pid(const char *dir)
{
    char *pidfile = demo_path(dir, DEMO_PIDFILE);
    FILE *fp = fopen(pidfile, "r");
    free(pidfile);
    long pid = 0;
    if (!fp)
        return 0;
    if (fscanf(fp, "%ld", &pid) != 1 || pid <= 1)
        pid = 0;
    fclose(fp);
    if (pid == 0)
        return 0;
    return colophon_alive(pid) ? pid : 0;
}

/* A port on 127.0.0.1 nobody listens on: `want` when free, else one the system picks. */
static int
free_port(int want)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    a.sin_port = htons((unsigned short)want);
    if (want <= 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        a.sin_port = 0;
        if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
            close(fd);
            return -1;
        }
    }
    socklen_t len = sizeof a;
    int port = getsockname(fd, (struct sockaddr *)&a, &len) == 0 ? ntohs(a.sin_port) : -1;
    close(fd);
    return port;
}

/* The port of the loc-sample target the repository has (0 when none). */
static int
target_port(const char *dir, const struct cli_globals *g)
{
    char *cause = NULL;
    struct core_repo *repo = core_repo_open(dir, g->user, &cause);
    free(cause);
    struct core_target t;
    int port = 0;
    if (repo && core_target_get(repo, DEMO_TARGET, &t) == CORE_OK) {
        const char *colon = strrchr(t.address, ':');
        port = colon ? atoi(colon + 1) : 0;
    }
    core_repo_close(repo);
    return port;
}

/* Define (or redefine) the target for the server on `port`. */
static int
register_target(const char *dir, const struct cli_globals *g, int port)
{
    char *cause = NULL;
    struct core_repo *repo = core_repo_open(dir, g->user, &cause);
    if (!repo) {
        cli_error("demo: %s", cause);
        free(cause);
        return CLI_USER;
    }
    struct core_target t;
    core_target_init(&t);
    snprintf(t.name, sizeof t.name, "%s", DEMO_TARGET);
    char *addr = xasprintf("127.0.0.1:%d/Default", port);
    int rc = core_target_set_address(&t, addr, &cause);
    t.timeout = 10;
    if (rc == CORE_OK)
        rc = core_target_add(repo, &t, true);
    int status = rc == CORE_OK ? CLI_OK : cli_core_error(&cli_verb_demo, repo, rc);
    free(cause);
    free(addr);
    core_repo_close(repo);
    return status;
}

/*
 * Start `colophon serve` on DIR/loc-sample unless it runs.  No repository
 * is open here: the server forks from this process, and no SQLite handle
 * may cross a fork.  *port gets where it listens.
 */
static int
server_ensure(const char *dir, const struct cli_globals *g, int *port, long *pid)
{
    *port = target_port(dir, g);
    if ((*pid = server_pid(dir)) > 0 && *port > 0)
        return CLI_OK;
    char *pidfile = demo_path(dir, DEMO_PIDFILE), *logfile = demo_path(dir, DEMO_LOGFILE);
    char *loc = demo_path(dir, DEMO_LOC);
    unlink(pidfile); /* stale: its process has gone */
    int rc = CORE_ERR_IO;
    char *cause = NULL;
    for (int attempt = 0; attempt < 3 && rc == CORE_ERR_IO; attempt++) {
        int p = free_port(attempt == 0 ? *port : 0);
        char listen[64];
        snprintf(listen, sizeof listen, "tcp:127.0.0.1:%d", p);
        struct core_serve_opts o = {.repo_dir = loc, .listen = listen, .zone = CORE_ZONE_IZ,
                                    .daemon = true, .pidfile = pidfile, .logfile = logfile};
        free(cause);
        cause = NULL;
        rc = p > 0 ? core_serve_run(&o, &cause) : CORE_ERR_IO;
        *port = p;
    }
    int status = CLI_OK;
    if (rc != CORE_OK) {
        cli_error("demo: cannot start the Z39.50 server: %s", cause ? cause : "no free port");
        status = cli_exit_for(rc);
    }
    free(cause);
    free(loc);
    free(logfile);
    free(pidfile);
    *pid = status == CLI_OK ? server_pid(dir) : 0;
    return status == CLI_OK ? register_target(dir, g, *port) : status;
}

/* SIGTERM to the server, then wait (5 s at most) until it has gone. */
static int
server_stop(const char *dir, bool quiet)
{
    long pid = server_pid(dir);
    if (pid == 0) {
        if (!quiet)
            printf("The demo's Z39.50 server in %s is not running.\n", dir);
        return CLI_OK;
    }
    if (kill((pid_t)pid, SIGTERM) != 0) {
        cli_error("demo: cannot stop the server (pid %ld): %s", pid, strerror(errno));
        return CLI_IO;
    }
    char *pidfile = demo_path(dir, DEMO_PIDFILE);
    struct timespec step = {0, 20 * 1000 * 1000};
    for (int i = 0; i < 250 && process_running(pid); i++)
        nanosleep(&step, NULL);
    bool gone = !process_running(pid);
    if (gone)
        unlink(pidfile); /* gone already, unless it died before removing it */
    free(pidfile);
    if (!gone) {
        cli_error("demo: the server (pid %ld) did not stop within 5 seconds", pid);
        return CLI_IO;
    }
    if (!quiet)
        printf("Stopped the demo's Z39.50 server (pid %ld).\n", pid);
    return CLI_OK;
}

/*
 * Two demos run at once must not both start a server: the second waits
 * here for the first.  A POSIX record lock on the mark file, because the
 * server forks from this process and such locks, unlike flock's, do not
 * pass to a child.  Returns the descriptor to close (-1: no lock, go on).
 */
static int
demo_lock(const char *dir)
{
    char *mark = demo_path(dir, DEMO_MARK);
    int fd = open(mark, O_RDWR | O_CLOEXEC);
    free(mark);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fd >= 0 && fcntl(fd, F_SETLKW, &fl) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* ---- what to print ---- */

/* "  COMMAND   what it shows": a command alone when it is long, the text below it. */
static void
try_line(const char *cmd, const char *what)
{
    if (cmd)
        printf("  %-34s %s\n", cmd, what);
    else
        printf("  %-34s %s\n", "", what);
}

static void try_cmd(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
try_cmd(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("  ", stdout);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
}

static void
print_summary(const char *dir, const struct demo_summary *s, const char *user, int port,
              long pid, bool default_dir)
{
    printf("Colophon demo repository: %s\n", dir);
    printf("  institution zone %s: %ld bibs (%ld linked to the network zone), %ld holdings, "
           "%ld items\n",
           DEMO_IZ_CODE, s->iz_bibs, s->linked, s->holdings, s->items);
    printf("  network zone 4801: %ld bibs\n", s->nz_bibs);
    printf("  %ld notes, %ld reminders, %ld assignments, %ld sets (opera, not-linked)\n",
           s->notes, s->reminders, s->assignments, s->sets);
    printf("  users: %s (admin), %s (cataloger), %s (cataloger-extended)\n", user, s->alice,
           s->bob);
    if (pid > 0)
        printf("  Z39.50 target '%s': 127.0.0.1:%d/Default, %ld LoC records (server pid %ld;\n"
               "    'colophon demo --stop%s%s' stops it)\n",
               DEMO_TARGET, port, s->loc_bibs, pid, default_dir ? "" : " ",
               default_dir ? "" : dir);
    else
        printf("  Z39.50 target '%s': not running\n", DEMO_TARGET);
    printf("\nTry (with COLOPHON_REPO=%s, or --repo DIR before the verb):\n", dir);
    try_line("colophon", "the editor (F1 lists every key)");
    try_line("colophon search opera", "search the institution zone");
    try_line("colophon queue", "what is assigned to you, reminders due");
    try_cmd("colophon show --holdings %s", s->keeper);
    try_line(NULL, "holdings and items (the duplicate has its own)");
    try_cmd("colophon show %s", s->linked_bib);
    try_line(NULL, "linked to the network zone; its 950 is local");
    try_cmd("colophon external search %s isbn=%s", DEMO_TARGET, s->brief_isbn);
    try_line(NULL, "search the local Z39.50 target, then");
    try_cmd("colophon merge %s --from %s --record 1", s->brief, DEMO_TARGET);
    try_line(NULL, "Copy & Merge the LC record onto a brief one");
    try_cmd("colophon link %s", s->share);
    try_line(NULL, "Share with Network: a match by OCLC number");
    try_cmd("colophon relink %s --to %s", s->dup_holdings, s->keeper);
    try_line(NULL, "move the duplicate's holdings to the other copy, then");
    try_cmd("colophon delete %s", s->duplicate);
    try_line(NULL, "delete the duplicate");
}

/* ---- the verb ---- */

static int
parse(int argc, char **argv, struct demo_opts *o)
{
    enum { OPT_NO_EDITOR = 256, OPT_RESET, OPT_STOP };
    static const struct option longopts[] = {
        {"no-editor", no_argument, NULL, OPT_NO_EDITOR},
        {"reset", no_argument, NULL, OPT_RESET},
        {"stop", no_argument, NULL, OPT_STOP},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_demo;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_NO_EDITOR:
            o->no_editor = true;
            break;
        case OPT_RESET:
            o->reset = true;
            break;
        case OPT_STOP:
            o->stop = true;
            break;
        case 'h':
            cli_print_usage(v);
            return -1;
        default:
            cli_usage_error(v, "unknown option");
            return CLI_USAGE;
        }
    }
    if (argc - optind > 1)
        return cli_usage_error(v, "expected at most one DIR, got %d", argc - optind);
    if (o->stop && o->reset)
        return cli_usage_error(v, "--stop and --reset do not go together");
    o->dir = optind < argc ? argv[optind] : NULL;
    return CLI_OK;
}

static char *
demo_dir(const struct demo_opts *o, const struct cli_globals *g)
{
    if (o->dir)
        return xstrdup(o->dir);
    if (g->repo && *g->repo)
        return xstrdup(g->repo);
    char *base = core_repo_default_dir();
    char *dir = demo_path(base, "demo");
    free(base);
    return dir;
}

/* Make sure DIR holds a demo: build it, or rebuild it with --reset. */
static int
demo_ready(const char *dir, const struct demo_opts *o, const struct cli_globals *g)
{
    enum demo_state st = demo_inspect(dir);
    if (st == DEMO_FOREIGN) {
        cli_error("demo: %s holds something other than a Colophon demo (no %s file); demo "
                  "will not touch it: name another directory (colophon demo DIR)",
                  dir, DEMO_MARK);
        return CLI_USER;
    }
    if (st == DEMO_PRESENT && !o->reset)
        return CLI_OK;
    if (st == DEMO_PRESENT) {
        int status = server_stop(dir, true);
        if (status != CLI_OK)
            return status;
        char *old = xasprintf("%s.old-%ld", dir, (long)getpid());
        if (rename(dir, old) != 0) {
            cli_error("demo: cannot move the old demo %s aside: %s", dir, strerror(errno));
            free(old);
            return CLI_IO;
        }
        status = demo_build_into(dir, g, g->quiet);
        if (status != CLI_OK)
            rename(old, dir); /* the old demo comes back */
        else
            remove_tree(old);
        free(old);
        return status;
    }
    return demo_build_into(dir, g, g->quiet);
}

static int
open_editor(const char *dir, const struct cli_globals *g, const struct demo_summary *s)
{
    struct cli_globals eg = *g;
    eg.repo = dir;
    int status;
    struct core_repo *repo = cli_open_repo(&eg, &status);
    if (!repo)
        return status;
    struct tui_app_opts to = {.open_mms = s->assigned[0] ? s->assigned : NULL};
    status = tui_run(repo, &to) == 0 ? CLI_OK : CLI_USER;
    core_repo_close(repo);
    return status;
}

static int
run_demo(const struct cli_globals *g, int argc, char **argv)
{
    struct demo_opts o = {0};
    int status = parse(argc, argv, &o);
    if (status != CLI_OK)
        return status < 0 ? CLI_OK : status;
    char *dir = demo_dir(&o, g);
    if (o.stop) {
        status = demo_inspect(dir) == DEMO_PRESENT ? server_stop(dir, g->quiet) : CLI_USER;
        if (status == CLI_USER)
            cli_error("demo: %s is not a Colophon demo", dir);
        free(dir);
        return status;
    }
    status = demo_ready(dir, &o, g);
    char real[PATH_MAX];
    if (status == CLI_OK && realpath(dir, real)) {
        free(dir);
        dir = xstrdup(real);
    }
    struct demo_summary s;
    char *mark = demo_path(dir, DEMO_MARK);
    if (status == CLI_OK && demo_summary_read(mark, &s) < 0) {
        cli_error("demo: cannot read %s: %s", mark, strerror(errno));
        status = CLI_IO;
    }
    free(mark);
    int port = 0;
    long pid = 0;
    int lock = status == CLI_OK ? demo_lock(dir) : -1;
    int served = status == CLI_OK ? server_ensure(dir, g, &port, &pid) : status;
    if (lock >= 0)
        close(lock); /* drops the lock */
    bool editor = status == CLI_OK && !o.no_editor && isatty(STDIN_FILENO) &&
                  isatty(STDOUT_FILENO);
    if (status == CLI_OK && editor)
        status = open_editor(dir, g, &s);
    if (status == CLI_OK && !g->quiet) {
        char *cause = NULL;
        struct core_repo *repo = core_repo_open(dir, g->user, &cause);
        print_summary(dir, &s, repo ? core_repo_user(repo) : "you", port, pid,
                      !o.dir && !(g->repo && *g->repo));
        core_repo_close(repo);
        free(cause);
    }
    free(dir);
    return status != CLI_OK ? status : served;
}

const struct cli_verb cli_verb_demo = {
    .name = "demo",
    .summary = "build a demo repository from LoC records, serve it, open the editor",
    .run = run_demo,
    .usage = demo_usage,
};
