/*
** buf.c: growable byte buffer (see buf.h for the contract).
*/
#include "buf.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "utf8.h"

bool pol_buf_reserve(pol_buf *b, size_t extra) {
  if (b->oom) return false;
  if (extra > (size_t)-1 - b->len - 1) { b->oom = true; return false; }
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return true;
  if (b->sink && b->len > 0 && b->cap >= POL_BUF_SINK_CHUNK) {
    /* A window onto a stream: hand the bytes over instead of growing. */
    if (!pol_buf_flush(b)) return false;
    need = extra + 1;
    if (need <= b->cap) return true;
  }
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need) cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
  char *p = pol_realloc(b->data, cap);
  if (p == NULL) { b->oom = true; return false; }
  b->data = p;
  b->cap = cap;
  return true;
}

void pol_buf_append(pol_buf *b, const void *p, size_t n) {
  /* Fast path: room for n bytes and the NUL (cap > len always holds once
  ** data is set, and oom never leaves room behind it: see reserve). */
  if (b->oom || n >= b->cap - b->len) {
    if (!pol_buf_reserve(b, n)) return;
  }
  if (n) memcpy(b->data + b->len, p, n);
  b->len += n;
  assert(b->len < b->cap); /* room for the NUL buf.h promises */
  b->data[b->len] = '\0';
}

void pol_buf_set_sink(pol_buf *b, pol_buf_sink sink, void *ctx) {
  assert(b->len == 0 && !b->oom);
  b->sink = sink;
  b->sink_ctx = ctx;
}

bool pol_buf_flush(pol_buf *b) {
  if (b->oom) return false;
  if (b->sink == NULL || b->len == 0) return true;
  if (b->sink(b->sink_ctx, b->data, b->len) != 0) {
    b->sink_failed = true;
    b->oom = true;
    return false;
  }
  b->len = 0;
  b->data[0] = '\0';
  return true;
}

void pol_buf_putc_grow(pol_buf *b, char c) {
  if (!pol_buf_reserve(b, 1)) return;
  b->data[b->len++] = c;
  b->data[b->len] = '\0';
}

void pol_buf_puts(pol_buf *b, const char *s) { pol_buf_append(b, s, strlen(s)); }

void pol_buf_vprintf(pol_buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  if (n < 0) {
    b->oom = true;
  } else if (pol_buf_reserve(b, (size_t)n)) {
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    b->len += (size_t)n;
  }
  va_end(ap2);
}

void pol_buf_printf(pol_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pol_buf_vprintf(b, fmt, ap);
  va_end(ap);
}

void pol_buf_put_utf8(pol_buf *b, unsigned long cp) {
  char s[4];
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    s[0] = (char)cp;
    pol_buf_append(b, s, 1);
  } else if (cp < 0x800) {
    s[0] = (char)(0xC0 | (cp >> 6));
    s[1] = (char)(0x80 | (cp & 0x3F));
    pol_buf_append(b, s, 2);
  } else if (cp < 0x10000) {
    s[0] = (char)(0xE0 | (cp >> 12));
    s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    s[2] = (char)(0x80 | (cp & 0x3F));
    pol_buf_append(b, s, 3);
  } else {
    s[0] = (char)(0xF0 | (cp >> 18));
    s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    s[3] = (char)(0x80 | (cp & 0x3F));
    pol_buf_append(b, s, 4);
  }
}

void pol_buf_clear(pol_buf *b) {
  b->len = 0;
  b->oom = b->sink_failed = false;
  if (b->data) b->data[0] = '\0';
}

void pol_buf_free(pol_buf *b) {
  pol_free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
  b->oom = b->sink_failed = false;
}

char *pol_buf_detach(pol_buf *b, size_t *len) {
  if (b->oom) { pol_buf_free(b); return NULL; }
  if (b->data == NULL && !pol_buf_reserve(b, 0)) { pol_buf_free(b); return NULL; }
  if (b->len == 0) b->data[0] = '\0';
  char *p = b->data;
  if (len) *len = b->len;
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}

void pol_buf_put_uint(pol_buf *b, unsigned long long v) {
  char d[20]; /* 2^64 - 1 has 20 digits */
  size_t n = sizeof d;
  do {
    d[--n] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  pol_buf_append(b, d + n, sizeof d - n);
}

/* The number of leading bytes of s[0..n) a JSON string holds as they
** are: ASCII, no control byte, no '"', no '\\'. Eight bytes at a time: a
** word with none of them has no byte below 0x20 ((w - 0x20..) & ~w has
** the high bit of such a byte), none equal to 0x22 or 0x5c (the same test
** on w xor that byte) and no high bit. */
static size_t json_plain_prefix(const char *s, size_t n) {
  const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    uint64_t q = w ^ (ones * 0x22), bs = w ^ (ones * 0x5c);
    uint64_t special = ((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((bs - ones) & ~bs) | w;
    if (special & highs) break;
  }
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
    i++;
  }
  return i;
}

void pol_buf_put_json_string(pol_buf *out, const char *s, size_t len) {
  static const char hex[] = "0123456789abcdef";
  pol_buf_putc(out, '"');
  size_t i = 0, run = 0;
  for (;;) {
    size_t plain = json_plain_prefix(s + i, len - i); /* up to the next byte to look at */
    i += plain;
    run += plain;
    if (i >= len) break;
    unsigned char c = (unsigned char)s[i];
    pol_buf_append(out, s + i - run, run);
    run = 0;
    if (c >= 0x80) {
      uint32_t cp;
      size_t n = pol_utf8_decode(s + i, len - i, &cp);
      if (cp == PUTF8_INVALID) pol_buf_append(out, "\\ufffd", 6);
      else pol_buf_append(out, s + i, n);
      i += n;
      continue;
    }
    switch (c) {
    case '"': pol_buf_append(out, "\\\"", 2); break;
    case '\\': pol_buf_append(out, "\\\\", 2); break;
    case '\n': pol_buf_append(out, "\\n", 2); break;
    case '\r': pol_buf_append(out, "\\r", 2); break;
    case '\t': pol_buf_append(out, "\\t", 2); break;
    case '\b': pol_buf_append(out, "\\b", 2); break;
    case '\f': pol_buf_append(out, "\\f", 2); break;
    default: {
      char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      pol_buf_append(out, e, 6);
    }
    }
    i++;
  }
  pol_buf_append(out, s + i - run, run);
  pol_buf_putc(out, '"');
}
