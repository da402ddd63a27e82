/*
 * trace.c - per-key timings (see trace.h).
 *
 * One line a key, flushed at once so a reader sees it as soon as the frame
 * is on the terminal:
 *   key NAME handle MS build MS draw MS total MS
 * handle is tui_app_key (commands, edits, repository queries), build is
 * tui_app_render (the frame of cells), draw is copying the frame to curses
 * and refresh (which writes the changes to the terminal).  Costs nothing
 * when COLOPHON_TRACE_KEYS is unset.
 */
#include "trace.h"

#include "keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static FILE *trace_file;

bool
tui_trace_open(void)
{
    const char *path = getenv("COLOPHON_TRACE_KEYS");
    if (!path || !*path)
        return false;
    trace_file = fopen(path, "ae");
    if (!trace_file)
        fprintf(stderr, "colophon: cannot write the key trace %s (COLOPHON_TRACE_KEYS)\n", path);
    return trace_file != NULL;
}

void
tui_trace_close(void)
{
    if (trace_file)
        fclose(trace_file);
    trace_file = NULL;
}

double
tui_trace_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void
tui_trace_key(int key, double t_read, double t_handled, double t_built, double t_drawn)
{
    if (!trace_file)
        return;
    char name[32];
    tui_key_name(key, name, sizeof name);
    if (name[0] == ' ')
        snprintf(name, sizeof name, "Space"); /* one word per field */
    fprintf(trace_file, "key %s handle %.3f build %.3f draw %.3f total %.3f\n", name,
            t_handled - t_read, t_built - t_handled, t_drawn - t_built, t_drawn - t_read);
    fflush(trace_file);
}
