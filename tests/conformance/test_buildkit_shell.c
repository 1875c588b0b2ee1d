/*
** test_buildkit_shell.c: runs BuildKit's shell-lexer conformance data
** ($POLICY_SHARED_DIR/conformance/buildkit-shell, see its README) against
** df_shlex_process_word / df_shlex_process_words.
**
** envVarTest: ProcessWord, escape '\', a fixed environment; A and U lines
** run, W (Windows-only) lines are counted as skipped. wordsTest:
** ProcessWords with an environment built by its ENV lines.
** derived-process-word.jsonl: ProcessWord with matched/unmatched names and
** exact error messages.
**
** Output: one line per failure, then exactly one summary line
** "buildkit-shell: N passed, M failed[, K skipped]". Exit 1 on failures,
** 77 when the data folder is missing.
*/
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "dockerfile/shlex.h"

typedef struct env_var {
  char *key, *val;
  size_t vlen;
} env_var;

/* A list of variables; lookups take the last definition of a name. */
typedef struct env_list {
  env_var *v;
  size_t n, cap;
} env_list;

typedef struct tally {
  unsigned passed, failed, skipped;
} tally;

static void env_add(env_list *e, const char *key, size_t klen,
                    const char *val, size_t vlen) {
  if (e->n == e->cap) {
    e->cap = e->cap ? e->cap * 2 : 8;
    e->v = pol_realloc(e->v, e->cap * sizeof *e->v);
    if (e->v == NULL) abort();
  }
  e->v[e->n].key = pol_strndup(key, klen);
  e->v[e->n].val = pol_strndup(val, vlen);
  e->v[e->n].vlen = vlen;
  e->n++;
}

static void env_clear(env_list *e) {
  for (size_t i = 0; i < e->n; i++) {
    pol_free(e->v[i].key);
    pol_free(e->v[i].val);
  }
  e->n = 0;
}

static bool env_lookup(const char *name, size_t n, const char **val,
                       size_t *vlen, void *ud) {
  const env_list *e = ud;
  for (size_t i = e->n; i-- > 0;) {
    if (strlen(e->v[i].key) == n && memcmp(e->v[i].key, name, n) == 0) {
      *val = e->v[i].val;
      *vlen = e->v[i].vlen;
      return true;
    }
  }
  return false;
}

/* Reads dir/name whole; NULL (and a failure line) when it cannot. */
static char *slurp(const char *dir, const char *name, size_t *len) {
  pol_buf path = POL_BUF_INIT;
  pol_buf_printf(&path, "%s/%s", dir, name);
  FILE *f = path.oom ? NULL : fopen(path.data, "rb");
  if (f == NULL) {
    printf("%s: cannot read %s: %s\n", name, path.data ? path.data : name,
           strerror(errno));
    pol_buf_free(&path);
    return NULL;
  }
  pol_buf_free(&path);
  pol_buf b = POL_BUF_INIT;
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) pol_buf_append(&b, chunk, n);
  fclose(f);
  return pol_buf_detach(&b, len);
}

/* Next line of text[*pos..len) without its '\n'; false at the end. */
static bool next_line(const char *text, size_t len, size_t *pos,
                      const char **line, size_t *n) {
  if (*pos >= len) return false;
  const char *nl = memchr(text + *pos, '\n', len - *pos);
  size_t end = nl ? (size_t)(nl - text) : len;
  *line = text + *pos;
  *n = end - *pos;
  *pos = nl ? end + 1 : len;
  return true;
}

/* Trims Unicode white space on both sides (Go's strings.TrimSpace). */
static void trim_space(const char **s, size_t *n) {
  while (*n) {
    uint32_t cp;
    size_t w = pol_utf8_decode(*s, *n, &cp);
    if (cp == PUTF8_INVALID || !pol_utf8_is_space(cp)) break;
    *s += w;
    *n -= w;
  }
  while (*n) {
    size_t i = *n - 1;
    while (i > 0 && ((unsigned char)(*s)[i] & 0xC0) == 0x80) i--;
    uint32_t cp;
    pol_utf8_decode(*s + i, *n - i, &cp);
    if (cp == PUTF8_INVALID || !pol_utf8_is_space(cp)) break;
    *n = i;
  }
}

static void trim_left_spaces(const char **s, size_t *n) {
  while (*n && **s == ' ') {
    (*s)++;
    (*n)--;
  }
}

static void print_quoted(const char *s, size_t n) {
  pol_buf q = POL_BUF_INIT;
  df_shlex_go_quote(&q, s, n);
  fwrite(q.data, 1, q.len, stdout);
  pol_buf_free(&q);
}

static void report(const char *file, size_t line, const char *in, size_t inlen,
                   const char *expected, size_t elen, const char *got,
                   size_t glen) {
  printf("%s:%zu: input ", file, line);
  print_quoted(in, inlen);
  printf(", expected ");
  fwrite(expected, 1, elen, stdout);
  printf(", got ");
  fwrite(got, 1, glen, stdout);
  putchar('\n');
}

/* Describes a ProcessWord outcome for failure reports. */
static void describe(pol_buf *d, int rc, const pol_buf *out,
                     const pol_buf *err) {
  if (rc == SHLEX_OK) {
    df_shlex_go_quote(d, out->data ? out->data : "", out->len);
  } else if (rc == SHLEX_ERR_SYNTAX) {
    pol_buf_puts(d, "error ");
    df_shlex_go_quote(d, err->data ? err->data : "", err->len);
  } else {
    pol_buf_puts(d, "out of memory");
  }
}

static void run_env_var_test(const char *dir, tally *t) {
  size_t len;
  char *text = slurp(dir, "envVarTest", &len);
  if (text == NULL) {
    t->failed++;
    return;
  }
  env_list env = {0};
  env_add(&env, "PWD", 3, "/home", 5);
  env_add(&env, "SHELL", 5, "bash", 4);
  env_add(&env, "KOREAN", 6, "한국어", strlen("한국어"));
  env_add(&env, "NULL", 4, "", 0);
  df_shlex_env senv = {env_lookup, &env, NULL};

  size_t pos = 0, lineno = 0, n;
  const char *line;
  while (next_line(text, len, &pos, &line, &n)) {
    lineno++;
    trim_space(&line, &n);
    if (n == 0 || line[0] == '#') continue;
    const char *bar1 = memchr(line, '|', n);
    const char *bar2 = bar1 ? memchr(bar1 + 1, '|', n - (size_t)(bar1 + 1 - line)) : NULL;
    if (bar2 == NULL) {
      printf("envVarTest:%zu: malformed line\n", lineno);
      t->failed++;
      continue;
    }
    const char *plat = line, *src = bar1 + 1, *exp = bar2 + 1;
    size_t platn = (size_t)(bar1 - line), srcn = (size_t)(bar2 - src);
    size_t expn = n - (size_t)(exp - line);
    trim_space(&plat, &platn);
    trim_space(&src, &srcn);
    trim_space(&exp, &expn);
    if (platn == 1 && plat[0] == 'W') {
      t->skipped++;
      continue;
    }
    pol_buf out = POL_BUF_INIT, err = POL_BUF_INIT, d = POL_BUF_INIT;
    int rc = df_shlex_process_word(src, srcn, '\\', 0, &senv, &out, &err, NULL);
    bool want_err = expn == 5 && memcmp(exp, "error", 5) == 0;
    bool ok = want_err ? rc == SHLEX_ERR_SYNTAX
                       : rc == SHLEX_OK && out.len == expn &&
                             memcmp(out.data ? out.data : "", exp, expn) == 0;
    if (ok) {
      t->passed++;
    } else {
      t->failed++;
      pol_buf e = POL_BUF_INIT;
      if (want_err) pol_buf_puts(&e, "error");
      else df_shlex_go_quote(&e, exp, expn);
      describe(&d, rc, &out, &err);
      report("envVarTest", lineno, src, srcn, e.data, e.len, d.data, d.len);
      pol_buf_free(&e);
    }
    pol_buf_free(&out);
    pol_buf_free(&err);
    pol_buf_free(&d);
  }
  env_clear(&env);
  pol_free(env.v);
  pol_free(text);
}

/* Compares ProcessWords output (NUL-terminated words) to the expected
** comma-separated list. */
static bool words_equal(const pol_buf *out, size_t count, const char *exp,
                        size_t expn) {
  size_t off = 0, i = 0, seen = 0;
  for (;;) {
    const char *comma = memchr(exp + i, ',', expn - i);
    size_t end = comma ? (size_t)(comma - exp) : expn;
    if (seen == count) return false;
    const char *w = out->data + off;
    size_t wl = strlen(w);
    if (wl != end - i || memcmp(w, exp + i, wl) != 0) return false;
    off += wl + 1;
    seen++;
    if (comma == NULL) break;
    i = end + 1;
  }
  return seen == count;
}

static void describe_words(pol_buf *d, int rc, const pol_buf *out,
                           size_t count, const pol_buf *err) {
  if (rc != SHLEX_OK) {
    describe(d, rc, out, err);
    return;
  }
  pol_buf_putc(d, '[');
  for (size_t i = 0, off = 0; i < count; i++) {
    size_t wl = strlen(out->data + off);
    if (i) pol_buf_puts(d, ", ");
    df_shlex_go_quote(d, out->data + off, wl);
    off += wl + 1;
  }
  pol_buf_putc(d, ']');
}

static void run_words_test(const char *dir, tally *t) {
  size_t len;
  char *text = slurp(dir, "wordsTest", &len);
  if (text == NULL) {
    t->failed++;
    return;
  }
  env_list env = {0};
  df_shlex_env senv = {env_lookup, &env, NULL};
  size_t pos = 0, lineno = 0, n;
  const char *line;
  while (next_line(text, len, &pos, &line, &n)) {
    lineno++;
    if (n && line[n - 1] == '\r') n--;
    if (n == 0 || line[0] == '#') continue;
    if (n >= 4 && memcmp(line, "ENV ", 4) == 0) {
      const char *kv = line + 3;
      size_t kvn = n - 3;
      trim_left_spaces(&kv, &kvn);
      const char *eq = memchr(kv, '=', kvn);
      size_t kl = eq ? (size_t)(eq - kv) : kvn;
      const char *v = eq ? eq + 1 : "";
      env_add(&env, kv, kl, v, eq ? kvn - kl - 1 : 0);
      continue;
    }
    const char *bar = memchr(line, '|', n);
    if (bar == NULL || memchr(bar + 1, '|', n - (size_t)(bar + 1 - line))) {
      printf("wordsTest:%zu: malformed line\n", lineno);
      t->failed++;
      continue;
    }
    const char *src = line, *exp = bar + 1;
    size_t srcn = (size_t)(bar - line), expn = n - (size_t)(exp - line);
    trim_space(&src, &srcn);
    trim_left_spaces(&exp, &expn);
    pol_buf out = POL_BUF_INIT, err = POL_BUF_INIT, d = POL_BUF_INIT;
    size_t count = 0;
    int rc = df_shlex_process_words(src, srcn, '\\', 0, &senv, &out, &count, &err);
    bool want_err = expn == 5 && memcmp(exp, "error", 5) == 0;
    bool ok = want_err ? rc == SHLEX_ERR_SYNTAX
                       : rc == SHLEX_OK && words_equal(&out, count, exp, expn);
    if (ok) {
      t->passed++;
    } else {
      t->failed++;
      describe_words(&d, rc, &out, count, &err);
      report("wordsTest", lineno, src, srcn, exp, expn, d.data, d.len);
    }
    pol_buf_free(&out);
    pol_buf_free(&err);
    pol_buf_free(&d);
  }
  env_clear(&env);
  pol_free(env.v);
  pol_free(text);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names from a NUL-separated buffer as a JSON-like list. */
static void names_list(pol_buf *d, const pol_buf *names) {
  size_t count = 0;
  for (size_t i = 0; i < names->len; i += strlen(names->data + i) + 1) count++;
  const char **v = pol_calloc(count ? count : 1, sizeof *v);
  if (v == NULL) abort();
  size_t k = 0;
  for (size_t i = 0; i < names->len; i += strlen(names->data + i) + 1)
    v[k++] = names->data + i;
  qsort(v, count, sizeof *v, cmp_str);
  pol_buf_putc(d, '[');
  for (size_t i = 0; i < count; i++) {
    if (i) pol_buf_putc(d, ',');
    df_shlex_go_quote(d, v[i], strlen(v[i]));
  }
  pol_buf_putc(d, ']');
  pol_free(v);
}

static void json_names(pol_buf *d, json_t *arr) {
  size_t count = json_is_array(arr) ? json_array_size(arr) : 0;
  pol_buf_putc(d, '[');
  for (size_t i = 0; i < count; i++) {
    const char *s = json_string_value(json_array_get(arr, i));
    if (i) pol_buf_putc(d, ',');
    df_shlex_go_quote(d, s ? s : "", s ? strlen(s) : 0);
  }
  pol_buf_putc(d, ']');
}

/* Runs one derived case; returns true when it passes and fills *exp and
** *got with descriptions. */
static bool derived_case(json_t *c, env_list *env, pol_buf *exp,
                         pol_buf *got) {
  json_t *jin = json_object_get(c, "input");
  const char *in = json_string_value(jin);
  size_t inlen = json_string_length(jin);
  const char *esc = json_string_value(json_object_get(c, "escape"));
  bool want_ok = json_is_true(json_object_get(c, "ok"));
  env_clear(env);
  const char *key;
  json_t *val;
  json_object_foreach(json_object_get(c, "env"), key, val)
      env_add(env, key, strlen(key), json_string_value(val),
              json_string_length(val));
  df_shlex_env senv = {env_lookup, env, NULL};
  pol_buf out = POL_BUF_INIT, err = POL_BUF_INIT;
  pol_buf matched = POL_BUF_INIT, unmatched = POL_BUF_INIT;
  df_shlex_names names = {&matched, &unmatched};
  int rc = df_shlex_process_word(in ? in : "", inlen, esc ? esc[0] : '\\', 0,
                              &senv, &out, &err, &names);
  if (want_ok) {
    json_t *jr = json_object_get(c, "result");
    df_shlex_go_quote(exp, json_string_value(jr), json_string_length(jr));
    pol_buf_puts(exp, " matched=");
    json_names(exp, json_object_get(c, "matched"));
    pol_buf_puts(exp, " unmatched=");
    json_names(exp, json_object_get(c, "unmatched"));
  } else {
    json_t *je = json_object_get(c, "error");
    pol_buf_puts(exp, "error ");
    df_shlex_go_quote(exp, json_string_value(je), json_string_length(je));
  }
  describe(got, rc, &out, &err);
  if (rc == SHLEX_OK) {
    pol_buf_puts(got, " matched=");
    names_list(got, &matched);
    pol_buf_puts(got, " unmatched=");
    names_list(got, &unmatched);
  }
  bool ok = exp->len == got->len && memcmp(exp->data, got->data, exp->len) == 0;
  pol_buf_free(&out);
  pol_buf_free(&err);
  pol_buf_free(&matched);
  pol_buf_free(&unmatched);
  return ok;
}

static void run_derived(const char *dir, tally *t) {
  size_t len;
  char *text = slurp(dir, "derived-process-word.jsonl", &len);
  if (text == NULL) {
    t->failed++;
    return;
  }
  env_list env = {0};
  size_t pos = 0, lineno = 0, n;
  const char *line;
  while (next_line(text, len, &pos, &line, &n)) {
    lineno++;
    if (n == 0) continue;
    json_error_t jerr;
    json_t *c = json_loadb(line, n, JSON_ALLOW_NUL, &jerr);
    pol_buf exp = POL_BUF_INIT, got = POL_BUF_INIT;
    if (c == NULL) {
      printf("derived-process-word.jsonl:%zu: bad JSON: %s\n", lineno,
             jerr.text);
      t->failed++;
    } else if (derived_case(c, &env, &exp, &got)) {
      t->passed++;
    } else {
      json_t *jin = json_object_get(c, "input");
      t->failed++;
      report("derived-process-word.jsonl", lineno, json_string_value(jin),
             json_string_length(jin), exp.data, exp.len, got.data, got.len);
    }
    json_decref(c);
    pol_buf_free(&exp);
    pol_buf_free(&got);
  }
  env_clear(&env);
  pol_free(env.v);
  pol_free(text);
}

int main(void) {
  const char *shared = getenv("POLICY_SHARED_DIR");
  pol_buf dir = POL_BUF_INIT;
  pol_buf_printf(&dir, "%s/conformance/buildkit-shell",
              shared && *shared ? shared : "../shared");
  struct stat st;
  if (dir.oom || stat(dir.data, &st) != 0 || !S_ISDIR(st.st_mode)) {
    printf("buildkit-shell: SKIP (../shared/conformance not found)\n");
    pol_buf_free(&dir);
    return 77;
  }
  tally t = {0, 0, 0};
  run_env_var_test(dir.data, &t);
  run_words_test(dir.data, &t);
  run_derived(dir.data, &t);
  pol_buf_free(&dir);
  printf("buildkit-shell: %u passed, %u failed", t.passed, t.failed);
  if (t.skipped) printf(", %u skipped", t.skipped);
  putchar('\n');
  return t.failed ? 1 : 0;
}
