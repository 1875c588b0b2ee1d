/*
** interp.c: Compose variable interpolation (see interp.h).
**
** Invariant: every step consumes at least one byte of the text, and a
** braced reference is scanned once to find its closing brace and once
** more per nesting level (at most MAX_NESTING), so the work is linear in
** the length of the text.
*/
#include "interp.h"

#include <assert.h>
#include <string.h>

#define MAX_NESTING 32

typedef struct subst {
  const cmp_lookup *env;
  pol_buf *missing, *err;
  const char *whole;        /* the text of the outermost call, for messages */
  size_t whole_len;
  int status;
} subst;

static bool name_start(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

static void set_status(subst *S, int status) {
  if (S->status == CMP_SUBST_OK || status > S->status) S->status = status;
}

static void invalid(subst *S) {
  if (S->status == CMP_SUBST_ERROR) return;
  pol_buf_clear(S->err);
  size_t n = S->whole_len > 200 ? 200 : S->whole_len;
  pol_buf_printf(S->err, "Invalid template: \"%.*s%s\"", (int)n, S->whole,
              n < S->whole_len ? "..." : "");
  set_status(S, CMP_SUBST_ERROR);
}

/* The index of the brace closing the "${" at s[0], counting nested "${",
** or n when there is none. */
static size_t closing_brace(const char *s, size_t n) {
  size_t open = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '}') {
      if (--open == 0) return i;
    } else if (s[i] == '$' && i + 1 < n && s[i + 1] == '{') {
      open++;
      i++;
    }
  }
  return n;
}

static const char *lookup(subst *S, const char *name, size_t len, size_t *vlen) {
  return S->env->get(S->env->ud, name, len, vlen);
}

static void note_missing(subst *S, const char *name, size_t len) {
  pol_buf_append(S->missing, name, len);
  pol_buf_putc(S->missing, '\0');
  set_status(S, CMP_SUBST_MISSING);
}

static void run(subst *S, const char *s, size_t n, pol_buf *out, int depth);

/* ${...}: `body` is the text between the braces; `whole` the reference. */
static void braced(subst *S, const char *body, size_t n, const char *whole,
                   size_t whole_n, pol_buf *out, int depth) {
  size_t k = 0;
  while (k < n && !(body[k] == '-' || body[k] == '?' || body[k] == '+' ||
                    (body[k] == ':' && k + 1 < n &&
                     (body[k + 1] == '-' || body[k + 1] == '?' || body[k + 1] == '+'))))
    k++;
  if (k == 0 || !name_start(body[0])) { invalid(S); return; }
  for (size_t i = 1; i < k; i++)
    if (!name_char(body[i])) { invalid(S); return; }
  size_t vlen = 0;
  const char *val = lookup(S, body, k, &vlen);
  if (k == n) {
    if (val) pol_buf_append(out, val, vlen);
    else { pol_buf_append(out, whole, whole_n); note_missing(S, body, k); }
    return;
  }
  bool colon = body[k] == ':';
  char op = body[k + colon];
  const char *arg = body + k + colon + 1;
  size_t arg_n = n - k - colon - 1;
  bool usable = val && (!colon || vlen > 0);  /* counts as "set" for op */
  if (depth >= MAX_NESTING) {
    pol_buf_clear(S->err);
    pol_buf_printf(S->err, "variable references are nested more than %d deep", MAX_NESTING);
    set_status(S, CMP_SUBST_ERROR);
    return;
  }
  switch (op) {
  case '-':
    if (usable) pol_buf_append(out, val, vlen);
    else run(S, arg, arg_n, out, depth + 1);
    break;
  case '+':
    if (usable) run(S, arg, arg_n, out, depth + 1);
    break;
  default: /* '?' */
    if (usable) { pol_buf_append(out, val, vlen); break; }
    if (S->status == CMP_SUBST_ERROR) break;
    pol_buf msg = POL_BUF_INIT, ignored = POL_BUF_INIT;
    pol_buf *keep = S->missing;
    S->missing = &ignored;
    run(S, arg, arg_n, &msg, depth + 1);
    S->missing = keep;
    if (S->status != CMP_SUBST_ERROR) {
      pol_buf_clear(S->err);
      if (msg.len)
        pol_buf_printf(S->err, "required variable %.*s is missing a value: %.*s",
                    (int)k, body, (int)(msg.len > 300 ? 300 : msg.len), msg.data);
      else
        pol_buf_printf(S->err, "required variable %.*s is missing a value", (int)k, body);
      set_status(S, CMP_SUBST_ERROR);
    }
    if (msg.oom || ignored.oom) set_status(S, CMP_SUBST_NOMEM);
    pol_buf_free(&msg);
    pol_buf_free(&ignored);
    break;
  }
}

static void run(subst *S, const char *s, size_t n, pol_buf *out, int depth) {
  size_t i = 0;
  while (i < n && S->status != CMP_SUBST_ERROR) {
    size_t step_from = i; /* every step consumes at least one byte */
    const char *dollar = memchr(s + i, '$', n - i);
    size_t stop = dollar ? (size_t)(dollar - s) : n;
    pol_buf_append(out, s + i, stop - i);
    i = stop;
    if (i >= n) break;
    if (i + 1 >= n) { pol_buf_putc(out, '$'); i++; break; }
    char c = s[i + 1];
    if (c == '$') {
      pol_buf_putc(out, '$');
      i += 2;
    } else if (c == '{') {
      size_t close = closing_brace(s + i, n - i);
      if (close == n - i) { invalid(S); return; }
      braced(S, s + i + 2, close - 2, s + i, close + 1, out, depth);
      i += close + 1;
    } else if (name_start(c)) {
      size_t e = i + 1;
      while (e < n && name_char(s[e])) e++;
      size_t vlen = 0;
      const char *val = lookup(S, s + i + 1, e - i - 1, &vlen);
      if (val) pol_buf_append(out, val, vlen);
      else { pol_buf_append(out, s + i, e - i); note_missing(S, s + i + 1, e - i - 1); }
      i = e;
    } else {
      pol_buf_putc(out, '$');
      i++;
    }
    assert(i > step_from && i <= n);
    (void)step_from;
  }
}

int cmp_subst(const cmp_lookup *env, const char *s, size_t n, pol_buf *out,
              pol_buf *missing, pol_buf *err) {
  subst S = {env, missing, err, s, n, CMP_SUBST_OK};
  run(&S, s, n, out, 0);
  if (out->oom || missing->oom || err->oom) return CMP_SUBST_NOMEM;
  return S.status;
}

bool cmp_subst_uses(const char *s, size_t n, const char *missing,
                    size_t missing_len) {
  for (size_t i = 0; i + 1 < n; i++) {
    if (s[i] != '$') continue;
    size_t start = i + 1 + (s[i + 1] == '{');
    size_t e = start;
    while (e < n && name_char(s[e])) e++;
    if (e == start) continue;
    for (size_t m = 0; m < missing_len;) {
      size_t len = strlen(missing + m);
      if (len == e - start && memcmp(missing + m, s + start, len) == 0) return true;
      m += len + 1;
    }
  }
  return false;
}
