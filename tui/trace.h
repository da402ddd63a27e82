/*
 * trace.h - per-key timings of the running editor, for the benchmark
 * (tests/bench/bench_tui.c; docs/PERFORMANCE.md).
 *
 * Off unless COLOPHON_TRACE_KEYS names a file: then every key term.c reads
 * appends one line there, the time it took to handle the key, to build the
 * frame and to hand the frame to curses (refresh, which writes it).  Knows
 * nothing of curses or of what a key does.
 */
#ifndef TUI_TRACE_H
#define TUI_TRACE_H

#include <stdbool.h>

/* Open the file named by COLOPHON_TRACE_KEYS, if any; false when off. */
bool tui_trace_open(void);
void tui_trace_close(void);
/* Monotonic milliseconds. */
double tui_trace_now(void);
/* One key: read at t_read, handled at t_handled, frame built at t_built,
 * written at t_drawn (all tui_trace_now()).  No-op when off. */
void tui_trace_key(int key, double t_read, double t_handled, double t_built, double t_drawn);

#endif
