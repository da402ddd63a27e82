/*
 * util.c - messages, diagnostics and the progress bar of the CLI.
 */
#include "cli.h"

#include "buf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The bar currently on screen, if any: messages erase it first. */
static struct cli_progress *active_bar;

struct cli_progress {
    char label[32];
    long long total;
    struct timespec start;
    struct timespec last;
    bool drawn;
};

void
cli_progress_clear(void)
{
    if (active_bar && active_bar->drawn) {
        fputs("\r\033[K", stderr);
        active_bar->drawn = false;
    }
}

void
cli_error(const char *fmt, ...)
{
    cli_progress_clear();
    va_list ap;
    va_start(ap, fmt);
    fputs("colophon: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int
cli_usage_error(const struct cli_verb *v, const char *fmt, ...)
{
    cli_progress_clear();
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "colophon %s: ", v ? v->name : "");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'colophon %s%s--help'.\n", v ? v->name : "", v ? " " : "");
    return CLI_USAGE;
}

bool
cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return false;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return true;
    }
    return false;
}

int
cli_print_usage(const struct cli_verb *v)
{
    fputs(v->usage, stdout);
    return CLI_OK;
}

void
cli_print_diag(void *sink, const struct marc_diag *d)
{
    struct cli_diag_sink *s = sink;
    if (d->severity == MARC_SEV_ERROR)
        s->errors++;
    else if (d->severity == MARC_SEV_WARNING)
        s->warnings++;
    else
        s->notes++;
    if ((d->severity == MARC_SEV_NOTE && !s->verbose) ||
        (d->severity == MARC_SEV_WARNING && s->quiet_warnings))
        return;
    cli_progress_clear();
    char *line = marc_diag_format(d, s->source);
    fprintf(stderr, "%s\n", line);
    free(line);
}

static double
seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

struct cli_progress *
cli_progress_start(const char *label, long long total, bool quiet)
{
    if (quiet || !isatty(STDERR_FILENO))
        return NULL;
    struct cli_progress *p = xcalloc(1, sizeof *p);
    snprintf(p->label, sizeof p->label, "%s", label);
    p->total = total;
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    p->last = p->start;
    active_bar = p;
    return p;
}

void
cli_progress_update(struct cli_progress *p, long long done, long records)
{
    if (!p)
        return;
    struct timespec now;
    /* Checking the clock every record would cost more than the work. */
    if ((records & 255) != 0)
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (seconds_between(&p->last, &now) < 0.1)
        return;
    p->last = now;
    double secs = seconds_between(&p->start, &now);
    double rate = secs > 0 ? (double)records / secs : 0;
    if (p->total > 0) {
        int width = 30;
        double frac = (double)done / (double)p->total;
        if (frac > 1)
            frac = 1;
        int fill = (int)(frac * width);
        char bar[64];
        memset(bar, '#', (size_t)fill);
        memset(bar + fill, '.', (size_t)(width - fill));
        bar[width] = '\0';
        fprintf(stderr, "\r%s [%s] %3d%%  %ld records  %.0f/s\033[K", p->label, bar,
                (int)(frac * 100), records, rate);
    } else {
        fprintf(stderr, "\r%s  %ld records  %.0f/s\033[K", p->label, records, rate);
    }
    p->drawn = true;
}

void
cli_progress_end(struct cli_progress *p)
{
    if (!p)
        return;
    cli_progress_clear();
    active_bar = NULL;
    free(p);
}
