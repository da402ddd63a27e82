/*
 * term.c - the terminal: ncursesw set-up, keys in, frames out, signals.
 *
 * The only file that includes curses.  Each frame is built by the app into
 * a cell grid and copied here in one pass; curses then sends only what
 * changed.  Colours follow NO_COLOR (https://no-color.org): when it is set
 * and not empty, only bold, reverse, underline and dim are used.
 */
#include "term.h"

#include "app.h"
#include "frame.h"
#include "keys.h"
#include "trace.h"

#include <curses.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t hangup;

static void
on_hangup(int sig)
{
    (void)sig;
    hangup = 1;
}

static bool
no_color_env(void)
{
    const char *nc = getenv("NO_COLOR");
    return nc && *nc;
}

static void
init_colors(bool color)
{
    if (!color || !has_colors())
        return;
    start_color();
    use_default_colors();
    init_pair(TUI_C_TITLE, COLOR_WHITE, COLOR_BLUE);
    init_pair(TUI_C_TAG, COLOR_CYAN, -1);
    init_pair(TUI_C_DELIM, COLOR_YELLOW, -1);
    init_pair(TUI_C_ERROR, COLOR_RED, -1);
    init_pair(TUI_C_WARNING, COLOR_YELLOW, -1);
    init_pair(TUI_C_SELECT, COLOR_BLACK, COLOR_CYAN);
    init_pair(TUI_C_HINT, COLOR_GREEN, -1);
}

static attr_t
curses_attr(uint16_t a, bool color)
{
    attr_t r = A_NORMAL;
    if (a & TUI_A_BOLD)
        r |= A_BOLD;
    if (a & TUI_A_REVERSE)
        r |= A_REVERSE;
    if (a & TUI_A_UNDERLINE)
        r |= A_UNDERLINE;
    if (a & TUI_A_DIM)
        r |= A_DIM;
    int c = (a & TUI_A_COLOR_MASK) >> TUI_A_COLOR_SHIFT;
    if (color && c && has_colors())
        r |= COLOR_PAIR(c);
    return r;
}

static void
draw(const struct tui_frame *f, bool color)
{
    for (int y = 0; y < f->h; y++) {
        for (int x = 0; x < f->w; x++) {
            const struct tui_cell *c = &f->cells[y * f->w + x];
            if (c->width == 0)
                continue;
            /* The last cell of the screen cannot be written without scrolling
             * on some terminals; curses reports an error we can ignore. */
            attrset(curses_attr(c->attr, color));
            mvaddstr(y, x, c->text);
        }
    }
    attrset(A_NORMAL);
    if (f->cursor_x >= 0 && f->cursor_y >= 0) {
        curs_set(1);
        move(f->cursor_y, f->cursor_x);
    } else {
        curs_set(0);
    }
    refresh();
}

/* Keys curses names but has no constant for (modified arrows). */
static int
named_key(int code)
{
    const char *n = keyname(code);
    static const struct {
        const char *name;
        int key;
    } map[] = {
        {"kLFT5", TUI_KEY_C_LEFT},           {"kRIT5", TUI_KEY_C_RIGHT},
        {"kUP5", TUI_KEY_C_UP},              {"kDN5", TUI_KEY_C_DOWN},
        {"kLFT3", TUI_MOD_ALT | TUI_KEY_LEFT}, {"kRIT3", TUI_MOD_ALT | TUI_KEY_RIGHT},
        {"kUP3", TUI_MOD_ALT | TUI_KEY_UP},  {"kDN3", TUI_MOD_ALT | TUI_KEY_DOWN},
    };
    for (size_t i = 0; n && i < sizeof map / sizeof *map; i++)
        if (strcmp(n, map[i].name) == 0)
            return map[i].key;
    return 0;
}

static int
function_key(int code)
{
    switch (code) {
    case KEY_UP:
        return TUI_KEY_UP;
    case KEY_DOWN:
        return TUI_KEY_DOWN;
    case KEY_LEFT:
        return TUI_KEY_LEFT;
    case KEY_RIGHT:
        return TUI_KEY_RIGHT;
    case KEY_HOME:
        return TUI_KEY_HOME;
    case KEY_END:
        return TUI_KEY_END;
    case KEY_PPAGE:
        return TUI_KEY_PGUP;
    case KEY_NPAGE:
        return TUI_KEY_PGDN;
    case KEY_IC:
        return TUI_KEY_INSERT;
    case KEY_DC:
        return TUI_KEY_DELETE;
    case KEY_BACKSPACE:
        return TUI_KEY_BACKSPACE;
    case KEY_ENTER:
        return TUI_KEY_ENTER;
    case KEY_BTAB:
        return TUI_KEY_BTAB;
    case KEY_RESIZE:
        return TUI_KEY_RESIZE;
    default:
        break;
    }
    if (code >= KEY_F(1) && code <= KEY_F(12))
        return TUI_KEY_F(code - KEY_F(0));
    return named_key(code);
}

static int
char_key(wint_t c)
{
    switch (c) {
    case 9:
        return TUI_KEY_TAB;
    case 10:
    case 13:
        return TUI_KEY_ENTER;
    case 8:
    case 127:
        return TUI_KEY_BACKSPACE;
    case 27:
        return TUI_KEY_ESC;
    default:
        return (int)c;
    }
}

/* The key of an xterm-style "CSI [1;]MOD FINAL" or "CSI N[;MOD]~" sequence
 * (Alt / Ctrl arrows, Home, End, PgUp, PgDn, Delete) that the terminal
 * description does not name; 0 for anything else.  Terminals inside tmux
 * or screen (TERM=screen) send these for M-Right, C-Left ... */
static int
csi_key(int p1, int mod, int final)
{
    int key = 0;
    switch (final) {
    case 'A': key = TUI_KEY_UP; break;
    case 'B': key = TUI_KEY_DOWN; break;
    case 'C': key = TUI_KEY_RIGHT; break;
    case 'D': key = TUI_KEY_LEFT; break;
    case 'H': key = TUI_KEY_HOME; break;
    case 'F': key = TUI_KEY_END; break;
    case '~':
        key = p1 == 1 || p1 == 7 ? TUI_KEY_HOME : p1 == 4 || p1 == 8 ? TUI_KEY_END
              : p1 == 3 ? TUI_KEY_DELETE : p1 == 5 ? TUI_KEY_PGUP : p1 == 6 ? TUI_KEY_PGDN : 0;
        break;
    default:
        return 0;
    }
    if (!key || mod <= 1)
        return key;
    int m = mod - 1; /* xterm: bit 0 Shift, bit 1 Alt, bit 2 Ctrl */
    if ((m & 4) && key == TUI_KEY_LEFT)
        key = TUI_KEY_C_LEFT;
    else if ((m & 4) && key == TUI_KEY_RIGHT)
        key = TUI_KEY_C_RIGHT;
    else if ((m & 4) && key == TUI_KEY_UP)
        key = TUI_KEY_C_UP;
    else if ((m & 4) && key == TUI_KEY_DOWN)
        key = TUI_KEY_C_DOWN;
    return (m & 2) ? TUI_MOD_ALT | key : key;
}

/* After "Esc [": read the rest of a control sequence (it arrives at once)
 * and map it; an unknown sequence is swallowed whole and reads as no key,
 * so it never types its bytes into the record. */
static int
read_csi(wint_t c)
{
    int p[2] = {0, 0}, np = 0;
    for (int guard = 0; guard < 16; guard++) {
        if (guard > 0 && get_wch(&c) != OK)
            return 0;
        if (c >= '0' && c <= '9') {
            p[np] = p[np] * 10 + (int)(c - '0');
            if (p[np] > 1000)
                p[np] = 1000;
        } else if (c == ';') {
            np = np < 1 ? np + 1 : 1;
        } else if (c >= 0x40 && c <= 0x7e) {
            int mod = np ? p[1] : (c == '~' ? 1 : p[0]);
            return csi_key(p[0], mod, (int)c);
        } else if (c < 0x20 || c > 0x7e) {
            return 0;
        }
    }
    return 0;
}

/* One key, or 0 after a timeout.  Esc then a key is Alt+key. */
static int
read_key(void)
{
    wint_t c;
    int r = get_wch(&c);
    if (r == ERR)
        return 0;
    int key = r == KEY_CODE_YES ? function_key((int)c) : char_key(c);
    if (key != TUI_KEY_ESC)
        return key;
    timeout(30);
    r = get_wch(&c);
    if (r == OK && c == '[') { /* Alt+[ alone, or a control sequence */
        r = get_wch(&c);
        int csi = r == OK ? read_csi(c) : 0;
        timeout(1000);
        return r == ERR ? TUI_MOD_ALT | '[' : csi;
    }
    timeout(1000);
    if (r == ERR)
        return TUI_KEY_ESC;
    int next = r == KEY_CODE_YES ? function_key((int)c) : char_key(c);
    if (next == TUI_KEY_ESC || next == 0)
        return TUI_KEY_ESC;
    return TUI_MOD_ALT | next;
}

/*
 * The next key, as read_key.  While the app has background work (an
 * external search) this waits on the terminal and the work's socket
 * together, moves the work on when its socket is ready or the app's
 * timeout passes, and returns -1 then (no key: draw the new state).
 * Without such work it is read_key alone, so keystrokes take the same
 * path and latency as ever.
 */
static int
next_key(struct tui_app *app)
{
    int fd, ms;
    short events;
    if (!tui_app_pending(app, &fd, &events, &ms))
        return read_key();
    /* curses may hold keys it has read already: poll(2) would not see them */
    timeout(0);
    int key = read_key();
    timeout(1000);
    if (key)
        return key;
    struct pollfd p[2] = {{.fd = STDIN_FILENO, .events = POLLIN},
                          {.fd = fd, .events = events}};
    int n = poll(p, fd >= 0 ? 2 : 1, ms);
    if (n > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR)))
        return read_key();
    tui_app_io(app);
    return -1;
}

/* The key-waiting hook (app.h).  Idle work runs only after next_key found
 * nothing in curses' own buffer, so the terminal's descriptor tells. */
static bool
key_waiting(void *ctx)
{
    (void)ctx;
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    return poll(&p, 1, 0) > 0;
}

/* The show hook (app.h): a job's progress drawn now, a key typed meanwhile. */
struct live {
    struct tui_frame *frame;
    bool color;
};

static int
show_now(void *ctx, struct tui_app *app)
{
    struct live *l = ctx;
    if (hangup)
        return TUI_CTRL('c'); /* the terminal is gone: stop the work, keep what is done */
    int h, w;
    getmaxyx(stdscr, h, w);
    tui_app_render(app, l->frame, w, h);
    draw(l->frame, l->color);
    timeout(0);
    int key = read_key();
    timeout(1000);
    return key;
}

int
tui_run(struct core_repo *repo, const struct tui_app_opts *opts)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "colophon: the editor needs a terminal; for scripts use the verbs "
                        "(colophon --help) or 'colophon edit --text'\n");
        return 1;
    }
    SCREEN *scr = newterm(NULL, stdout, stdin);
    if (!scr) {
        fprintf(stderr, "colophon: cannot use the terminal type '%s' (set TERM, e.g. "
                        "TERM=xterm-256color)\n",
                getenv("TERM") ? getenv("TERM") : "");
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_hangup;
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    timeout(1000);
    struct tui_app_opts o = opts ? *opts : (struct tui_app_opts){0};
    bool color = !o.no_color && !no_color_env();
    o.no_color = !color;
    init_colors(color);
    struct tui_app *app = tui_app_new(repo, &o);
    struct tui_frame frame = {0};
    struct live live = {&frame, color};
    tui_app_set_show(app, show_now, &live);
    tui_app_set_key_waiting(app, key_waiting, NULL);
    bool trace = tui_trace_open(); /* COLOPHON_TRACE_KEYS: per-key timings */
    int traced = 0;
    double t_read = 0, t_handled = 0;
    while (!tui_app_done(app) && !hangup) {
        int h, w;
        getmaxyx(stdscr, h, w);
        tui_app_render(app, &frame, w, h);
        double t_built = traced ? tui_trace_now() : 0;
        draw(&frame, color);
        if (traced)
            tui_trace_key(traced, t_read, t_handled, t_built, tui_trace_now());
        int key = next_key(app);
        if (hangup)
            break;
        traced = trace && key > 0 ? key : 0;
        t_read = traced ? tui_trace_now() : 0;
        if (key == 0)
            tui_app_tick(app);
        else if (key > 0)
            tui_app_key(app, key);
        t_handled = traced ? tui_trace_now() : 0;
    }
    if (hangup)
        tui_app_hangup(app);
    endwin();
    delscreen(scr);
    tui_app_free(app);
    tui_frame_free(&frame);
    tui_trace_close();
    return 0;
}
