/*
 * buf.c - allocation wrappers and growable byte buffers (see buf.h).
 */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
oom(size_t n)
{
    fprintf(stderr, "colophon: out of memory (asked for %zu bytes)\n", n);
    abort();
}

void *
xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *
xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *
xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *
xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0)
        n = 0;
    char *p = xmalloc((size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *
xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = xvasprintf(fmt, ap);
    va_end(ap);
    return p;
}

char *
marc_buf_reserve(struct marc_buf *b, size_t extra)
{
    /* +1 keeps room for the terminating NUL that appends maintain. */
    if (b->len + extra + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + extra + 1)
            cap *= 2;
        b->data = xrealloc(b->data, cap);
        b->cap = cap;
    }
    return b->data + b->len;
}

void
marc_buf_append(struct marc_buf *b, const void *p, size_t n)
{
    char *end = marc_buf_reserve(b, n);
    if (n)
        memcpy(end, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void
marc_buf_putc(struct marc_buf *b, char c)
{
    char *end = marc_buf_reserve(b, 1);
    *end = c;
    b->len++;
    b->data[b->len] = '\0';
}

void
marc_buf_puts(struct marc_buf *b, const char *s)
{
    marc_buf_append(b, s, strlen(s));
}

void
marc_buf_printf(struct marc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n > 0) {
        char *end = marc_buf_reserve(b, (size_t)n);
        vsnprintf(end, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
}

void
marc_buf_reset(struct marc_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void
marc_buf_free(struct marc_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *
marc_buf_steal(struct marc_buf *b)
{
    if (!b->data)
        return xstrdup("");
    char *p = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
