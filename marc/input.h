/*
 * input.h - buffered byte input for the readers: a file or standard input,
 * with room to look ahead by a whole record and absolute byte offsets for
 * diagnostics.  Owned by one reader; not shared.
 */
#ifndef MARC_INPUT_H
#define MARC_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct marc_input {
    int fd;
    bool own_fd;
    char *buf;
    size_t cap;
    size_t pos;        /* next unread byte */
    size_t end;        /* end of valid bytes */
    long long base;    /* input offset of buf[0] */
    long long size;    /* total size when known (regular file), else -1 */
    bool eof;
    int error;         /* errno of a failed read, 0 if none */
};

/* Open `path` ("-" is standard input).  On failure returns -1 and *cause (heap). */
int marc_input_open(struct marc_input *in, const char *path, char **cause /* OUT */);
/* Use an open descriptor (not closed by marc_input_close unless own is true). */
void marc_input_from_fd(struct marc_input *in, int fd, bool own);
void marc_input_close(struct marc_input *in);
/*
 * Make at least n bytes available from the current position, reading as
 * needed.  Returns the number of bytes available (less than n only at end of input),
 * or -1 on a read error (in->error set).
 */
ssize_t marc_input_ensure(struct marc_input *in, size_t n);
static inline const char *
marc_input_ptr(const struct marc_input *in)
{
    return in->buf + in->pos;
}
static inline size_t
marc_input_avail(const struct marc_input *in)
{
    return in->end - in->pos;
}
static inline void
marc_input_consume(struct marc_input *in, size_t n)
{
    in->pos += n;
}
/* Absolute input offset of the current position. */
static inline long long
marc_input_offset(const struct marc_input *in)
{
    return in->base + (long long)in->pos;
}
/* Copy up to n bytes out and consume them (for pull parsers); -1 on error. */
ssize_t marc_input_read(struct marc_input *in, char *dst, size_t n);

#endif
