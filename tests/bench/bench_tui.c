/*
 * bench_tui.c - the editor's budgets (SPEC §9): start on a 1,000,000-record
 * repository and show a record <= 150 ms; keystroke to updated screen
 * <= 5 ms; resident memory while editing <= 64 MB.  The helper of
 * bench_tui.sh.
 *
 * Usage: bench_tui [OPTIONS] COLOPHON REPO MMSID
 *
 * Runs the real `COLOPHON --repo REPO --user USER edit MMSID` in a pseudo-
 * terminal (forkpty, TERM=xterm-256color, whose key sequences it sends;
 * 120x40 unless told) and reads everything it writes, as a terminal
 * emulator would (docs/PERFORMANCE.md has the method and the figures):
 *
 *   start     time from just before fork+exec to the last byte of the
 *             first frame (the record's title must be in it: the frame is
 *             the record drawn, not a splash); median of --runs processes
 *             with a warm page cache, and with --drop-caches, at the end,
 *             also of --cold-runs processes each started after
 *             `echo 3 > /proc/sys/vm/drop_caches` (root; it slows every
 *             other process on the machine for a moment, hence a flag);
 *   keys      in one session, each key is written to the terminal and
 *             timed until the editor's output for it is complete: the last
 *             byte before the output stays quiet for --quiet ms (curses
 *             writes a frame in one burst at refresh).  Series: characters
 *             typed into a field, cursor moves, switching tabs, the Search
 *             tab (running a query, PgDn within a page of hits, PgDn that
 *             turns to the next page: a repository query, and a key typed
 *             --idle-ms after Enter, while the editor counts the hits of
 *             the query in an idle moment); median, 95th
 *             percentile and worst; and the same keys as the editor times
 *             them itself (COLOPHON_TRACE_KEYS, tui/trace.c): handling the
 *             key, building the frame, handing it to curses;
 *   memory    VmHWM (peak resident set) and VmRSS of the editor from
 *             /proc/PID/status at the end of the session.
 *
 * The latency includes the pseudo-terminal hop both ways, which a real
 * terminal also has, and the scheduler; on a shared machine the load
 * average is printed with the figures.  Drafts go to a private
 * XDG_STATE_HOME that is removed afterwards; the session releases the
 * record without saving, so the repository is left as it was (apart from
 * lock rows taken and released).  The title to wait for comes from
 * `colophon show --info`: the editor is measured as a black box.  Prints
 * figures; never asserts timings.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct opts {
    const char *colophon, *repo, *mms, *user, *term;
    int runs, cold_runs, keys, quiet_ms, idle_ms, w, h;
    bool drop_caches, no_start;
    const char *query;
};

/* A running editor and what it has written so far, escapes stripped. */
struct session {
    pid_t pid;
    int fd;
    char *text; /* printable output, spaces dropped, runs collapsed (see feed) */
    size_t len, cap;
    int esc;    /* escape-sequence parser state */
    long bytes; /* raw bytes read */
    double last; /* time of the last byte read, ms */
};

static char state_dir[64];

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* ---- the output stream ---- */

static void
text_add(struct session *s, char c)
{
    /* Spaces may come as cursor motion or erase sequences and repeated
     * characters as REP (xterm's "rep"), so matching ignores spaces and
     * treats a run of one character as one. */
    if (c == ' ' || (s->len && s->text[s->len - 1] == c))
        return;
    if (s->len + 1 >= s->cap) {
        s->cap = s->cap ? s->cap * 2 : 65536;
        s->text = realloc(s->text, s->cap);
        if (!s->text) {
            perror("bench_tui");
            exit(1);
        }
    }
    s->text[s->len++] = c;
    s->text[s->len] = '\0';
}

enum { ES_TEXT, ES_ESC, ES_CSI, ES_OSC, ES_OSC_ESC, ES_CHARSET };

/* Strip escape sequences (CSI, OSC, charset designations) and controls. */
static void
feed(struct session *s, const char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        switch (s->esc) {
        case ES_TEXT:
            if (c == 0x1b)
                s->esc = ES_ESC;
            else if (c >= 0x20 && c != 0x7f)
                text_add(s, (char)c);
            break;
        case ES_ESC:
            s->esc = c == '[' ? ES_CSI : c == ']' ? ES_OSC
                     : (c == '(' || c == ')' || c == '*' || c == '+') ? ES_CHARSET
                                                                      : ES_TEXT;
            break;
        case ES_CSI:
            if (c >= 0x40 && c <= 0x7e)
                s->esc = ES_TEXT;
            break;
        case ES_OSC:
            if (c == 0x07)
                s->esc = ES_TEXT;
            else if (c == 0x1b)
                s->esc = ES_OSC_ESC;
            break;
        case ES_OSC_ESC:
            s->esc = c == '\\' ? ES_TEXT : ES_OSC;
            break;
        default:
            s->esc = ES_TEXT;
            break;
        }
    }
}

/* Read what is there within timeout_ms; returns bytes read, 0 on timeout, -1 at EOF. */
static long
read_some(struct session *s, int timeout_ms)
{
    struct pollfd p = {.fd = s->fd, .events = POLLIN};
    int r = poll(&p, 1, timeout_ms);
    if (r < 0 && errno == EINTR)
        return 0;
    if (r <= 0)
        return r < 0 ? -1 : 0;
    char buf[65536];
    ssize_t n = read(s->fd, buf, sizeof buf);
    if (n <= 0)
        return -1; /* EIO: the editor closed the terminal */
    s->last = now_ms();
    s->bytes += n;
    feed(s, buf, (size_t)n);
    return n;
}

/* Read until nothing comes for quiet_ms; false at EOF. */
static bool
settle(struct session *s, int quiet_ms)
{
    long r;
    while ((r = read_some(s, quiet_ms)) > 0)
        ;
    return r == 0;
}

/* The needle as feed() keeps text: no spaces, runs collapsed. */
static void
normalise(const char *in, char *out, size_t size)
{
    size_t n = 0;
    for (; *in && n + 1 < size; in++)
        if (*in != ' ' && !(n && out[n - 1] == *in))
            out[n++] = *in;
    out[n] = '\0';
}

/* Wait until `needle` (normalised) has been written; false on timeout or EOF. */
static bool
wait_for(struct session *s, const char *needle, int timeout_ms, size_t from)
{
    double end = now_ms() + timeout_ms;
    for (;;) {
        if (s->text && strstr(s->text + from, needle))
            return true;
        int left = (int)(end - now_ms());
        if (left <= 0 || read_some(s, left) < 0)
            return false;
    }
}

/* ---- the editor process ---- */

static bool
spawn(struct session *s, const struct opts *o)
{
    memset(s, 0, sizeof *s);
    struct winsize ws = {.ws_row = (unsigned short)o->h, .ws_col = (unsigned short)o->w};
    pid_t pid = forkpty(&s->fd, NULL, NULL, &ws);
    if (pid < 0) {
        perror("bench_tui: forkpty");
        return false;
    }
    if (pid == 0) {
        setenv("TERM", o->term, 1);
        setenv("XDG_STATE_HOME", state_dir, 1);
        unsetenv("NO_COLOR");
        execl(o->colophon, "colophon", "--repo", o->repo, "--user", o->user, "edit", o->mms,
              (char *)NULL);
        fprintf(stderr, "bench_tui: cannot run %s: %s\n", o->colophon, strerror(errno));
        _exit(127);
    }
    s->pid = pid;
    return true;
}

static void
send_keys(struct session *s, const char *k)
{
    size_t n = strlen(k);
    if (write(s->fd, k, n) != (ssize_t)n)
        perror("bench_tui: write");
}

/* Quit and reap; returns the exit status or -1. */
static int
finish(struct session *s)
{
    int status = 0;
    for (int tries = 0; tries < 50; tries++) {
        pid_t r = waitpid(s->pid, &status, WNOHANG);
        if (r == s->pid)
            break;
        if (tries == 0)
            send_keys(s, "\x11"); /* C-q */
        if (tries == 10)
            send_keys(s, "y");
        if (tries == 40)
            kill(s->pid, SIGTERM);
        read_some(s, 100);
        if (tries == 49) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, &status, 0);
        }
    }
    close(s->fd);
    free(s->text);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* kB from a "Name:   N kB" line of /proc/PID/status, or -1. */
static long
proc_status_kb(pid_t pid, const char *name)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long v = -1;
    size_t nl = strlen(name);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, name, nl) == 0 && line[nl] == ':')
            v = strtol(line + nl + 1, NULL, 10);
    if (f)
        fclose(f);
    return v;
}

static bool
drop_caches(void)
{
    sync();
    FILE *f = fopen("/proc/sys/vm/drop_caches", "w");
    if (!f || fputs("3\n", f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "bench_tui: cannot drop the page cache (root only): %s\n",
                strerror(errno));
        return false;
    }
    return true;
}

/* ---- start ---- */

struct start_run {
    double title_ms, frame_ms;
    long hwm_kb, bytes;
};

static bool
one_start(const struct opts *o, const char *needle, struct start_run *out)
{
    struct session s;
    double t0 = now_ms();
    if (!spawn(&s, o))
        return false;
    bool ok = wait_for(&s, needle, 10000, 0);
    double title = s.last;
    if (ok)
        settle(&s, o->quiet_ms);
    out->title_ms = title - t0;
    out->frame_ms = s.last - t0;
    out->hwm_kb = proc_status_kb(s.pid, "VmHWM");
    out->bytes = s.bytes;
    if (!ok)
        fprintf(stderr, "bench_tui: the title never appeared; the editor wrote:\n%s\n",
                s.text ? s.text : "(nothing)");
    finish(&s);
    return ok;
}

/* One row: n, median, 95th percentile, worst, and the median against the budget. */
static void
print_series(const char *what, double *t, int n, double budget, const char *unit)
{
    if (n <= 0) {
        printf("%-44s %6s\n", what, "-");
        return;
    }
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    double med = t[n / 2];
    int i95 = (n * 95 + 99) / 100 - 1;
    double p95 = t[i95 < 0 ? 0 : i95 >= n ? n - 1 : i95];
    printf("%-44s %6d %9.2f %9.2f %9.2f   %s %g %s: %s\n", what, n, med, p95, t[n - 1],
           "<=", budget, unit, med <= budget ? "met" : "MISSED");
}

static bool
bench_start(const struct opts *o, const char *needle, long *hwm_kb)
{
    struct start_run r;
    /* One unmeasured run warms the page cache and the binary. */
    if (!one_start(o, needle, &r))
        return false;
    double *title = calloc((size_t)o->runs, sizeof *title);
    double *frame = calloc((size_t)o->runs, sizeof *frame);
    *hwm_kb = 0;
    for (int i = 0; i < o->runs; i++) {
        if (!one_start(o, needle, &r))
            return false;
        title[i] = r.title_ms;
        frame[i] = r.frame_ms;
        if (r.hwm_kb > *hwm_kb)
            *hwm_kb = r.hwm_kb;
    }
    printf("%-44s %6s %9s %9s %9s   median vs budget (SPEC §9)\n", "", "n", "median", "p95", "worst");
    print_series("start: record drawn, warm cache (ms)", frame, o->runs, 150, "ms");
    print_series("start: title on screen, warm cache (ms)", title, o->runs, 150, "ms");
    free(title);
    free(frame);
    return true;
}

/* Starts each after the page cache was emptied (last: it leaves the cache cold). */
static bool
bench_cold(const struct opts *o, const char *needle)
{
    struct start_run r;
    double *frame = calloc((size_t)o->cold_runs + 1, sizeof *frame);
    int n = 0;
    for (int i = 0; i < o->cold_runs; i++) {
        if (!drop_caches())
            break;
        if (!one_start(o, needle, &r)) {
            free(frame);
            return false;
        }
        frame[n++] = r.frame_ms;
    }
    printf("\n%-44s %6s %9s %9s %9s   median vs budget (SPEC §9)\n", "", "n", "median", "p95",
           "worst");
    print_series("start: record drawn, cold cache (ms)", frame, n, 150, "ms");
    free(frame);
    return true;
}

/* ---- keys ---- */

/* A series of timed keys: from outside (pty) and, from the editor's own
 * COLOPHON_TRACE_KEYS lines, inside (handle, build, draw). */
enum { IN_HANDLE, IN_BUILD, IN_DRAW, IN_TOTAL, IN_N };

struct series {
    const char *name;
    double *t;          /* key written -> last byte of its output, ms */
    double *in[IN_N];   /* the editor's own figures for the same keys */
    int n, nin, silent;
};

struct keys_run {
    struct session *s;
    int quiet_ms;
    FILE *trace; /* the editor's trace file, read as it grows */
};

/* The editor's trace lines written since the last call; the last one in *out. */
static bool
trace_last(struct keys_run *k, double out[IN_N])
{
    char line[256];
    bool got = false;
    if (!k->trace)
        return false;
    clearerr(k->trace);
    while (fgets(line, sizeof line, k->trace)) {
        char name[64];
        if (sscanf(line, "key %63s handle %lf build %lf draw %lf total %lf", name,
                   &out[IN_HANDLE], &out[IN_BUILD], &out[IN_DRAW], &out[IN_TOTAL]) == 5)
            got = true;
    }
    return got;
}

/* Write a key, wait for output, read until quiet; into se unless NULL. */
static void
key(struct keys_run *k, const char *bytes, struct series *se)
{
    struct session *s = k->s;
    double t0 = now_ms();
    long before = s->bytes;
    send_keys(s, bytes);
    if (read_some(s, 2000) > 0)
        settle(s, k->quiet_ms);
    double in[IN_N];
    bool traced = trace_last(k, in);
    if (!se)
        return;
    if (s->bytes == before) {
        se->silent++;
        return;
    }
    se->t[se->n++] = s->last - t0;
    if (traced) {
        for (int i = 0; i < IN_N; i++)
            se->in[i][se->nin] = in[i];
        se->nin++;
    }
}

static double
percentile(double *t, int n, int pc)
{
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    int i = (n * pc + 99) / 100 - 1;
    return t[i < 0 ? 0 : i >= n ? n - 1 : i];
}

/* xterm's keys in keypad-transmit mode (curses turns it on): kcuu1 ... knp. */
#define ESC "\x1b"
#define K_UP ESC "OA"
#define K_DOWN ESC "OB"
#define K_RIGHT ESC "OC"
#define K_LEFT ESC "OD"
#define K_END ESC "OF"
#define K_PGDN ESC "[6~"

enum { S_TYPE, S_CURSOR, S_TAB, S_QUERY, S_PAGE, S_TURN, S_IDLE, S_N };

/* The session: cursor walk, typing, tabs, search and paging. */
static void
drive(struct keys_run *k, struct series *sr, int n, const char *query, int idle_ms)
{
    /* Cursor moves: a square walk that always moves (line 4 onwards). */
    for (int i = 0; i < 4; i++)
        key(k, K_DOWN, NULL);
    static const char *const walk[4] = {K_DOWN, K_RIGHT, K_UP, K_LEFT};
    for (int i = 0; i < n; i++)
        key(k, walk[(i / 6) % 4], &sr[S_CURSOR]);

    /* Typing at the end of the line: each key an edit (lint, draft, redraw). */
    key(k, K_END, NULL);
    static const char word[] = "benchmark ";
    for (int i = 0; i < n; i++) {
        char c[2] = {word[i % (sizeof word - 1)], '\0'};
        key(k, c, &sr[S_TYPE]);
    }

    /* Tabs: every tab brought to the front in turn (each loads its data);
     * not External (M-2), whose searches go to a Z39.50 target. */
    static const char tabkeys[] = "1345678";
    for (int i = 0; i < n; i++) {
        char c[3] = {'\x1b', tabkeys[i % (sizeof tabkeys - 1)], '\0'};
        key(k, c, &sr[S_TAB]);
    }

    /* Search: C-f, the query, Enter; then into the list and paging. */
    int queries = n / 10 > 5 ? n / 10 : 5;
    for (int q = 0; q < queries; q++) {
        key(k, "\x06", NULL); /* C-f: Search tab, focus on the query */
        for (const char *c = query; q == 0 && *c; c++) {
            char b[2] = {*c, '\0'};
            key(k, b, NULL);
        }
        key(k, "\r", &sr[S_QUERY]);
    }
    key(k, K_DOWN, NULL);
    /* Two PgDn within the page of hits, then End and the PgDn that turns it. */
    for (int i = 0; i < 2 * n && (sr[S_PAGE].n < n || sr[S_TURN].n < n); i++) {
        if (sr[S_PAGE].n < n) {
            key(k, K_PGDN, &sr[S_PAGE]);
            key(k, K_PGDN, &sr[S_PAGE]);
        }
        key(k, K_END, NULL);
        key(k, K_PGDN, &sr[S_TURN]);
    }
    /* A key typed while the editor works when idle: the query again, then
     * a pause of --idle-ms (+0..45) that ends just after the second idle
     * moment (200 ms each: the first widens the window of hit IDs, the
     * second counts the hits; 205 for a build that counts at the first),
     * then Down into the hits. */
    for (int q = 0; q < queries; q++) {
        key(k, "\x06", NULL);
        key(k, "\r", NULL);
        long ms = idle_ms + 15 * (q % 4);
        struct timespec pause = {ms / 1000, ms % 1000 * 1000000L};
        nanosleep(&pause, NULL);
        key(k, K_DOWN, &sr[S_IDLE]);
    }
}

static void
print_keys(struct series *sr)
{
    printf("\n%-44s %6s %9s %9s %9s   median vs budget (SPEC §9)\n", "keystroke to screen (ms)", "n",
           "median", "p95", "worst");
    for (int i = 0; i < S_N; i++) {
        /* Running a query is held to the search budget (first 50 hits, plus
         * the count of all of them); every other key to the keystroke one. */
        print_series(sr[i].name, sr[i].t, sr[i].n, i == S_QUERY ? 20 : 5, "ms");
        if (sr[i].silent)
            printf("%-44s %6d keys wrote nothing within 2 s (left out)\n", "", sr[i].silent);
    }
    printf("\n%-44s %6s %9s %9s %9s %9s\n", "inside the editor, median (p95) ms", "n", "handle",
           "build", "draw", "total");
    for (int i = 0; i < S_N; i++) {
        struct series *se = &sr[i];
        if (!se->nin) {
            printf("%-44s %6s\n", se->name, "-");
            continue;
        }
        printf("%-44s %6d", se->name, se->nin);
        for (int j = 0; j < IN_N; j++) {
            double med = percentile(se->in[j], se->nin, 50);
            double p95 = percentile(se->in[j], se->nin, 95);
            char cell[32];
            snprintf(cell, sizeof cell, "%.2f(%.1f)", med, p95);
            printf(" %9s", cell);
        }
        putchar('\n');
    }
}

static bool
bench_keys(const struct opts *o, const char *needle, long *hwm_kb, long *rss_kb)
{
    char trace_path[128];
    snprintf(trace_path, sizeof trace_path, "%s/keys.trace", state_dir);
    setenv("COLOPHON_TRACE_KEYS", trace_path, 1);
    struct session s;
    bool spawned = spawn(&s, o);
    unsetenv("COLOPHON_TRACE_KEYS");
    if (!spawned)
        return false;
    if (!wait_for(&s, needle, 10000, 0)) {
        fprintf(stderr, "bench_tui: the record did not appear\n");
        finish(&s);
        return false;
    }
    settle(&s, o->quiet_ms);
    struct keys_run k = {.s = &s, .quiet_ms = o->quiet_ms, .trace = fopen(trace_path, "r")};
    if (!k.trace)
        fprintf(stderr, "bench_tui: no key trace from the editor (%s): inside figures left out\n",
                trace_path);
    static const char *const names[S_N] = {
        [S_TYPE] = "type a character in a field",
        [S_CURSOR] = "cursor move (arrows)",
        [S_TAB] = "switch tab (M-1, M-3..M-8)",
        [S_QUERY] = "search: run the query (Enter)",
        [S_PAGE] = "search: PgDn within a page of hits",
        [S_TURN] = "search: PgDn to the next page (query)",
        [S_IDLE] = "search: a key while the hits are counted",
    };
    int n = o->keys;
    /* room for n keys a series, the queries (at least 5) and PgDn pairs */
    size_t cap = (size_t)n + 8;
    struct series sr[S_N];
    for (int i = 0; i < S_N; i++) {
        sr[i] = (struct series){.name = names[i], .t = calloc(cap, sizeof(double))};
        for (int j = 0; j < IN_N; j++)
            sr[i].in[j] = calloc(cap, sizeof(double));
    }
    drive(&k, sr, n, o->query, o->idle_ms);
    *hwm_kb = proc_status_kb(s.pid, "VmHWM");
    *rss_kb = proc_status_kb(s.pid, "VmRSS");

    /* Leave the record as it was: Tab to the record, release without saving. */
    key(&k, "\t", NULL);
    key(&k, ESC "R", NULL);
    key(&k, "y", NULL);
    int rc = finish(&s);
    if (rc != 0)
        fprintf(stderr, "bench_tui: the editor exited with status %d\n", rc);
    if (k.trace)
        fclose(k.trace);
    print_keys(sr);
    for (int i = 0; i < S_N; i++) {
        free(sr[i].t);
        for (int j = 0; j < IN_N; j++)
            free(sr[i].in[j]);
    }
    return true;
}

/* ---- main ---- */

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static const char usage[] =
    "usage: bench_tui [--runs N] [--cold-runs N] [--drop-caches] [--keys N] [--query Q]\n"
    "                 [--size WxH] [--quiet MS] [--idle-ms MS] [--user NAME] [--no-start]\n"
    "                 COLOPHON REPO MMSID\n";

static bool
parse(int argc, char **argv, struct opts *o)
{
    static const struct option lo[] = {
        {"runs", required_argument, NULL, 'r'},   {"cold-runs", required_argument, NULL, 'c'},
        {"drop-caches", no_argument, NULL, 'd'},  {"keys", required_argument, NULL, 'k'},
        {"query", required_argument, NULL, 'q'},  {"size", required_argument, NULL, 's'},
        {"quiet", required_argument, NULL, 'Q'},  {"user", required_argument, NULL, 'u'},
        {"no-start", no_argument, NULL, 'n'},     {"idle-ms", required_argument, NULL, 'i'},
        {NULL, 0, NULL, 0},
    };
    *o = (struct opts){.user = "bench", .term = "xterm-256color", .runs = 21, .cold_runs = 5,
                       .keys = 200, .quiet_ms = 20, .idle_ms = 405, .w = 120, .h = 40,
                       .query = "history"};
    int c;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 'r': o->runs = atoi(optarg); break;
        case 'c': o->cold_runs = atoi(optarg); break;
        case 'd': o->drop_caches = true; break;
        case 'k': o->keys = atoi(optarg); break;
        case 'q': o->query = optarg; break;
        case 's':
            if (sscanf(optarg, "%dx%d", &o->w, &o->h) != 2 || o->w < 80 || o->h < 24)
                return false;
            break;
        case 'Q': o->quiet_ms = atoi(optarg); break;
        case 'u': o->user = optarg; break;
        case 'n': o->no_start = true; break;
        case 'i': o->idle_ms = atoi(optarg); break;
        default: return false;
        }
    }
    if (argc - optind != 3 || o->runs < 1 || o->keys < 1 || o->quiet_ms < 1)
        return false;
    o->colophon = argv[optind];
    o->repo = argv[optind + 1];
    o->mms = argv[optind + 2];
    return true;
}

/* Quote s for the shell (for popen). */
static void
shell_quote(const char *s, char *out, size_t size)
{
    size_t n = 0;
    if (size < 3)
        return;
    out[n++] = '\'';
    for (; *s && n + 5 < size; s++) {
        if (*s == '\'') {
            memcpy(out + n, "'\\''", 4);
            n += 4;
        } else {
            out[n++] = *s;
        }
    }
    out[n++] = '\'';
    out[n] = '\0';
}

/* The record's title as the title bar starts it (the first 20 bytes, whole
 * characters), from `colophon show --info`: the editor is measured as a
 * black box, the bench links nothing of it. */
static bool
record_needle(const struct opts *o, char *needle, size_t size)
{
    char qc[1024], qr[1024], qu[256], qm[256], cmd[4096], line[1024];
    shell_quote(o->colophon, qc, sizeof qc);
    shell_quote(o->repo, qr, sizeof qr);
    shell_quote(o->user, qu, sizeof qu);
    shell_quote(o->mms, qm, sizeof qm);
    snprintf(cmd, sizeof cmd, "%s --repo %s --user %s show --info %s", qc, qr, qu, qm);
    FILE *p = popen(cmd, "r");
    char title[1024] = "";
    while (p && fgets(line, sizeof line, p))
        if (strncmp(line, "Title:", 6) == 0) {
            const char *t = line + 6;
            t += strspn(t, " ");
            snprintf(title, sizeof title, "%.*s", (int)strcspn(t, "\n"), t);
        }
    int st = p ? pclose(p) : -1;
    if (st != 0 || !title[0]) {
        fprintf(stderr, "bench_tui: %s: no title (%s)\n", o->mms,
                st != 0 ? "colophon show --info failed" : "the record has none to wait for");
        return false;
    }
    size_t n = strlen(title) < 20 ? strlen(title) : 20;
    while (n > 0 && ((unsigned char)title[n] & 0xC0) == 0x80)
        n--; /* not inside a UTF-8 sequence */
    title[n] = '\0';
    normalise(title, needle, size);
    return true;
}

int
main(int argc, char **argv)
{
    struct opts o;
    if (!parse(argc, argv, &o)) {
        fputs(usage, stderr);
        return 2;
    }
    char needle[128];
    if (!record_needle(&o, needle, sizeof needle))
        return 1;
    snprintf(state_dir, sizeof state_dir, "/tmp/bench_tui.XXXXXX");
    if (!mkdtemp(state_dir)) {
        perror("bench_tui: mkdtemp");
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    unsetenv("COLOPHON_TRACE_KEYS"); /* only the keys session traces, into state_dir */
    double load[3] = {0};
    FILE *la = fopen("/proc/loadavg", "r");
    if (la) {
        if (fscanf(la, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
            load[0] = -1;
        fclose(la);
    }
    printf("editor: %s --repo %s edit %s in a %dx%d pty (TERM=%s)\n", o.colophon, o.repo, o.mms,
           o.w, o.h, o.term);
    printf("machine: %ld CPUs, load average %.2f %.2f %.2f at the start\n\n",
           sysconf(_SC_NPROCESSORS_ONLN), load[0], load[1], load[2]);
    long start_hwm = 0, hwm = 0, rss = 0;
    bool ok = (o.no_start || bench_start(&o, needle, &start_hwm)) &&
              bench_keys(&o, needle, &hwm, &rss);
    if (ok) {
        printf("\n%-44s %9s   budget (SPEC §9)\n", "memory (MB)", "");
        if (!o.no_start)
            printf("%-44s %9.1f\n", "peak RSS after the first frame (VmHWM)",
                   start_hwm / 1024.0);
        printf("%-44s %9.1f   <= 64 MB: %s\n", "peak RSS, whole editing session (VmHWM)",
               hwm / 1024.0, hwm <= 64 * 1024 ? "met" : "MISSED");
        printf("%-44s %9.1f\n", "RSS at the end of the session (VmRSS)", rss / 1024.0);
    }
    if (ok && o.drop_caches)
        ok = bench_cold(&o, needle);
    la = fopen("/proc/loadavg", "r");
    if (la) {
        if (fscanf(la, "%lf %lf %lf", &load[0], &load[1], &load[2]) == 3)
            printf("\nmachine: load average %.2f %.2f %.2f at the end\n", load[0], load[1],
                   load[2]);
        fclose(la);
    }
    nftw(state_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return ok ? 0 : 1;
}
