/*
 * buf.h - growable byte buffers and the one place that handles out-of-memory.
 *
 * Every layer allocates through xmalloc/xrealloc/xstrdup: Colophon treats
 * running out of memory as fatal (it prints one line and aborts) so that no
 * caller has to carry an error path for it.  struct marc_buf is the byte
 * accumulator the codecs write into; it owns its storage.
 */
#ifndef MARC_BUF_H
#define MARC_BUF_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new heap string (caller frees). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

struct marc_buf {
    char *data;  /* owned; NUL-terminated after every append when len < cap */
    size_t len;
    size_t cap;
};

#define MARC_BUF_INIT {NULL, 0, 0}

/* Make room for at least `extra` more bytes; returns a pointer to the end. */
char *marc_buf_reserve(struct marc_buf *b, size_t extra);
void marc_buf_append(struct marc_buf *b, const void *p, size_t n);
void marc_buf_putc(struct marc_buf *b, char c);
void marc_buf_puts(struct marc_buf *b, const char *s);
void marc_buf_printf(struct marc_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Forget the contents, keep the storage. */
void marc_buf_reset(struct marc_buf *b);
/* Release the storage; the buffer may be reused afterwards. */
void marc_buf_free(struct marc_buf *b);
/* Hand the contents over as a NUL-terminated heap string; the buffer is empty after. */
char *marc_buf_steal(struct marc_buf *b);

#endif
