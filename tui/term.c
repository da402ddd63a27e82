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

#include <curses.h>
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
    timeout(1000);
    if (r == ERR)
        return TUI_KEY_ESC;
    int next = r == KEY_CODE_YES ? function_key((int)c) : char_key(c);
    if (next == TUI_KEY_ESC || next == 0)
        return TUI_KEY_ESC;
    return TUI_MOD_ALT | next;
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
    while (!tui_app_done(app) && !hangup) {
        int h, w;
        getmaxyx(stdscr, h, w);
        tui_app_render(app, &frame, w, h);
        draw(&frame, color);
        int key = read_key();
        if (hangup)
            break;
        if (key == 0)
            tui_app_tick(app);
        else
            tui_app_key(app, key);
    }
    if (hangup)
        tui_app_hangup(app);
    endwin();
    delscreen(scr);
    tui_app_free(app);
    tui_frame_free(&frame);
    return 0;
}
