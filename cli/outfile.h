/*
 * outfile.h - output files that appear only when complete (see outfile.c).
 */
#ifndef CLI_OUTFILE_H
#define CLI_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

struct cli_outfile {
    FILE *fp;      /* write here */
    char *path;    /* target, NULL for standard output */
    char *tmp;     /* temporary file renamed over path on commit */
    bool is_stdout;
    bool is_device; /* a character device or FIFO: written directly */
};

/*
 * Prepare output to `path` ("-" for standard output; with stream_stdout the
 * bytes go straight out, else they are spooled until commit).  Returns 0, or
 * -1 after printing why.
 */
int cli_outfile_open(struct cli_outfile *o, const char *path, bool stream_stdout);
/* Make the output visible.  Returns 0, or -1 after printing why (nothing is
 * left behind then). */
int cli_outfile_commit(struct cli_outfile *o);
/* Throw the output away; the target is untouched. */
void cli_outfile_abort(struct cli_outfile *o);

#endif
