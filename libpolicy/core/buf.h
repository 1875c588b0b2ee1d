/*
** buf.h: a growable byte buffer with a sticky out-of-memory flag.
**
** A pol_buf always holds a NUL after its `len` bytes once anything has been
** appended, so `data` can be used as a C string when the content has no
** embedded NUL. After an allocation fails, `oom` is set, every later append
** is a no-op, and the caller checks `oom` once at the end: appends never
** need individual error checks.
**
** A buffer may have a sink (pol_buf_set_sink): then it is a window onto a
** stream, not the whole text. Once it has grown to POL_BUF_SINK_CHUNK
** bytes, an append that needs more room first hands what it holds to the
** sink and starts over at len 0, so it does not grow past the chunk
** (unless one append is bigger than that); pol_buf_flush hands
** over the rest. Code that writes to a sunk buffer must only append: what
** was appended earlier may be gone. A sink that fails sets `oom` and
** `sink_failed`; nothing more is written.
*/
#ifndef POL_BUF_H
#define POL_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Takes len bytes of output; returns 0 when they were written, anything
** else to stop (pol_buf.sink_failed). */
typedef int (*pol_buf_sink)(void *ctx, const char *data, size_t len);

typedef struct pol_buf {
  char  *data;  /* NULL until the first append */
  size_t len;   /* bytes used, not counting the trailing NUL */
  size_t cap;   /* bytes allocated */
  bool   oom;   /* an append failed; content is incomplete */
  bool   sink_failed;   /* the sink refused bytes (oom is set too) */
  pol_buf_sink sink;    /* NULL: the buffer keeps everything */
  void  *sink_ctx;
} pol_buf;

#define POL_BUF_INIT {NULL, 0, 0, false, false, NULL, NULL}
/* The size past which a buffer with a sink hands its bytes over. */
#define POL_BUF_SINK_CHUNK ((size_t)64 * 1024)

bool pol_buf_reserve(pol_buf *b, size_t extra);
void pol_buf_append(pol_buf *b, const void *p, size_t n);
/* Appends one byte. Inline: byte-at-a-time writers (the shell splitter,
** JSON output) call it per character; only growing leaves the fast path. */
void pol_buf_putc_grow(pol_buf *b, char c);
static inline void pol_buf_putc(pol_buf *b, char c) {
  if (b->oom || b->cap - b->len < 2) {
    pol_buf_putc_grow(b, c);
    return;
  }
  b->data[b->len++] = c;
  b->data[b->len] = '\0';
}
void pol_buf_puts(pol_buf *b, const char *s);
/* v in decimal (what "%llu" prints, without printf's cost). */
void pol_buf_put_uint(pol_buf *b, unsigned long long v);
void pol_buf_printf(pol_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void pol_buf_vprintf(pol_buf *b, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 0)))
#endif
    ;
/* Append the UTF-8 encoding of code point cp (invalid ones as U+FFFD). */
void pol_buf_put_utf8(pol_buf *b, unsigned long cp);
/* A JSON string literal (RFC 8259) for s[0..len): quotes, escapes for
** control characters; bytes that are not valid UTF-8 become \ufffd, so the
** output is always strict UTF-8. */
void pol_buf_put_json_string(pol_buf *b, const char *s, size_t len);
void pol_buf_clear(pol_buf *b);             /* len = 0, keeps memory and sink, clears oom */
void pol_buf_free(pol_buf *b);              /* releases memory; keeps the sink */
/* Hands the data (NUL-terminated, possibly empty) to the caller, who frees
** it with pol_free; NULL if the buffer ran out of memory. Resets b. */
char *pol_buf_detach(pol_buf *b, size_t *len);
/* Gives b a sink (b must be empty): see the top of this file. */
void pol_buf_set_sink(pol_buf *b, pol_buf_sink sink, void *ctx);
/* Hands what b holds to its sink (none: does nothing) and empties it.
** Returns false when b is out of memory or its sink failed, now or
** before. */
bool pol_buf_flush(pol_buf *b);

#endif
