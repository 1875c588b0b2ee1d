/*
** authz_log.c: the decision log of `policy authz serve` (one JSON object
** per line, appended) and the small JSON text builder the plugin answers
** with.
**
** The log never holds up an answer: it is opened non-blocking, each line
** goes out in one write(2) under a mutex, and a line that cannot be
** written whole (a full pipe, a full disk) is dropped and counted, never
** retried; the count is printed when the server stops.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "authz.h"

bool cli_authz_log_open(cli_authz_log *l, const char *path) {
  l->fd = -1;
  atomic_init(&l->dropped, 0);
  pthread_mutex_init(&l->mu, NULL);
  if (path == NULL) return true;
  if (!strcmp(path, "-")) {
    l->fd = dup(STDOUT_FILENO);
  } else {
    l->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0640);
  }
  if (l->fd < 0) {
    fprintf(stderr, "policy authz: cannot open the decision log %s: %s\n", cli_safe(path),
            strerror(errno));
    return false;
  }
  return true;
}

void cli_authz_log_close(cli_authz_log *l) {
  unsigned long dropped = atomic_load(&l->dropped);
  if (dropped)
    fprintf(stderr, "policy authz: %lu decision log lines could not be written and were dropped\n",
            dropped);
  if (l->fd >= 0) close(l->fd);
  l->fd = -1;
  pthread_mutex_destroy(&l->mu);
}

void cli_authz_log_line(cli_authz_log *l, const char *json, size_t len) {
  if (l->fd < 0) return;
  char *line = malloc(len + 1);
  if (line == NULL) {
    atomic_fetch_add(&l->dropped, 1);
    return;
  }
  memcpy(line, json, len);
  line[len] = '\n';
  pthread_mutex_lock(&l->mu);
  ssize_t n = write(l->fd, line, len + 1);
  pthread_mutex_unlock(&l->mu);
  if (n != (ssize_t)(len + 1)) atomic_fetch_add(&l->dropped, 1);
  free(line);
}

/* ---- JSON text ------------------------------------------------------------- */

static bool reserve(cli_authz_buf *b, size_t extra) {
  if (b->oom) return false;
  if (b->len + extra + 1 <= b->cap) return true;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1) cap *= 2;
  char *grown = realloc(b->data, cap);
  if (grown == NULL) {
    b->oom = true;
    return false;
  }
  b->data = grown;
  b->cap = cap;
  return true;
}

static void put(cli_authz_buf *b, const char *s, size_t n) {
  if (!reserve(b, n)) return;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void cli_authz_buf_puts(cli_authz_buf *b, const char *s) { put(b, s, strlen(s)); }

void cli_authz_buf_printf(cli_authz_buf *b, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n > 0) put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* A JSON string: quotes, backslashes and control characters escaped; the
** rest (UTF-8 included) as is. NULL is null. */
void cli_authz_buf_json(cli_authz_buf *b, const char *s) {
  if (s == NULL) {
    put(b, "null", 4);
    return;
  }
  put(b, "\"", 1);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    char esc[8];
    if (*p == '"' || *p == '\\') {
      esc[0] = '\\';
      esc[1] = (char)*p;
      put(b, esc, 2);
    } else if (*p < 0x20 || *p == 0x7f) {
      snprintf(esc, sizeof esc, "\\u%04x", *p);
      put(b, esc, 6);
    } else {
      put(b, (const char *)p, 1);
    }
  }
  put(b, "\"", 1);
}

void cli_authz_buf_free(cli_authz_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}
