/*
 * input.c - buffered input (see input.h).
 */
#include "input.h"

#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define INPUT_CHUNK (1u << 20)

void
marc_input_from_fd(struct marc_input *in, int fd, bool own)
{
    memset(in, 0, sizeof *in);
    in->fd = fd;
    in->own_fd = own;
    in->size = -1;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        in->size = (long long)st.st_size;
}

int
marc_input_open(struct marc_input *in, const char *path, char **cause)
{
    if (strcmp(path, "-") == 0) {
        marc_input_from_fd(in, STDIN_FILENO, false);
        return 0;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (cause)
            *cause = xasprintf("cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        if (cause)
            *cause = xasprintf("cannot read %s: it is a directory", path);
        return -1;
    }
    marc_input_from_fd(in, fd, true);
#ifdef POSIX_FADV_SEQUENTIAL
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    return 0;
}

void
marc_input_close(struct marc_input *in)
{
    if (in->own_fd && in->fd >= 0)
        close(in->fd);
    free(in->buf);
    memset(in, 0, sizeof *in);
    in->fd = -1;
}

ssize_t
marc_input_ensure(struct marc_input *in, size_t n)
{
    while (in->end - in->pos < n && !in->eof) {
        if (in->pos > 0 && in->cap - in->end < INPUT_CHUNK / 4) {
            /* Slide the unread bytes (fewer than n) to the front. */
            memmove(in->buf, in->buf + in->pos, in->end - in->pos);
            in->base += (long long)in->pos;
            in->end -= in->pos;
            in->pos = 0;
        }
        if (in->pos + n > in->cap || in->cap - in->end < 4096) {
            size_t cap = in->cap ? in->cap * 2 : INPUT_CHUNK;
            while (cap < in->pos + n)
                cap *= 2;
            in->buf = xrealloc(in->buf, cap);
            in->cap = cap;
        }
        ssize_t got = read(in->fd, in->buf + in->end, in->cap - in->end);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            in->error = errno;
            return -1;
        }
        if (got == 0)
            in->eof = true;
        in->end += (size_t)got;
    }
    return (ssize_t)(in->end - in->pos);
}

ssize_t
marc_input_read(struct marc_input *in, char *dst, size_t n)
{
    if (marc_input_avail(in) == 0 && marc_input_ensure(in, 1) < 0)
        return -1;
    size_t k = marc_input_avail(in);
    if (k > n)
        k = n;
    memcpy(dst, marc_input_ptr(in), k);
    in->pos += k;
    return (ssize_t)k;
}
