/*
** test_buildkit_parser.c: runs df_parse against BuildKit's parser test
** data in $POLICY_SHARED_DIR/conformance/buildkit-parser (see its README):
** every testfiles/<case> dump, the negative cases with their messages, the
** testfile-line ranges and every line of derived-cases.jsonl.
**
** Prints "buildkit-parser: N passed, M failed" plus one line per failure;
** exits 1 when anything failed and 77 (skip) when the data is missing.
*/
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "dockerfile/parser.h"

typedef struct stats {
  unsigned passed, failed;
} stats;

static char dir[4096];

/* The first difference found in the current case (later ones are not
** reported, so each failure is one line). */
static char why[1024];

static void note(const char *fmt, ...) {
  if (why[0]) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
}

static void finish(stats *st, const char *name) {
  if (why[0]) {
    printf("FAIL %s: %s\n", name, why);
    st->failed++;
  } else {
    st->passed++;
  }
  why[0] = '\0';
}

/* Reads a whole file; NULL when it cannot be read. Caller frees. */
static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  while (buf != NULL) {
    if (n == cap) {
      char *nb = realloc(buf, cap * 2);
      if (nb == NULL) { free(buf); buf = NULL; break; }
      buf = nb;
      cap *= 2;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  fclose(f);
  *len = n;
  return buf;
}

static char *case_file(const char *rel, const char *file, size_t *len) {
  char path[8192];
  snprintf(path, sizeof path, "%s/%s/%s", dir, rel, file);
  return slurp(path, len);
}

/* A readable rendering of at most 60 bytes of s, for failure lines. */
static const char *show(const char *s, size_t n) {
  static char out[2][256];
  static int which;
  char *o = out[which ^= 1];
  size_t k = 0;
  for (size_t i = 0; i < n && k < 200; i++) {
    unsigned char c = (unsigned char)s[i];
    if (i == 60) { k += (size_t)snprintf(o + k, 8, "..."); break; }
    if (c >= 0x20 && c < 0x7F && c != '\\') o[k++] = (char)c;
    else k += (size_t)snprintf(o + k, 8, "\\x%02x", c);
  }
  o[k] = '\0';
  return o;
}

static void compare_text(const char *what, const char *got, size_t gl,
                         const char *want, size_t wl) {
  if (gl == wl && memcmp(got, want, gl) == 0) return;
  size_t i = 0;
  while (i < gl && i < wl && got[i] == want[i]) i++;
  size_t from = i > 20 ? i - 20 : 0;
  note("%s differs at byte %zu: got \"%s\", want \"%s\"", what, i,
       show(got + from, gl - from), show(want + from, wl - from));
}

static void dump_compare(const df_file *f, const char *want, size_t wl) {
  pol_buf b = POL_BUF_INIT;
  df_dump(f, &b);
  compare_text("dump", b.data ? b.data : "", b.len, want, wl);
  pol_buf_free(&b);
}

/* ---- upstream files ----------------------------------------------------- */

static void positive(stats *st, const char *rel) {
  size_t dl, rl;
  char *df = case_file(rel, "Dockerfile", &dl);
  char *res = case_file(rel, "result", &rl);
  if (df == NULL || res == NULL) {
    note("cannot read the case files");
  } else {
    pol_arena a = POL_ARENA_INIT;
    df_file f;
    int rc = df_parse(&a, df, dl, NULL, &f);
    if (rc != DF_OK) note("parse failed (%d): %s", rc, f.error ? f.error : "");
    else dump_compare(&f, res, rl);
    pol_arena_free(&a);
  }
  free(df);
  free(res);
  finish(st, rel);
}

static const struct {
  const char *name;
  const char *message;
} negatives[] = {
  {"empty_dockerfile", "file with no instructions"},
  {"only_comments", "file with no instructions"},
  {"env_no_value", "ENV must have two arguments"},
  {"shykes-nested-json",
   "when using JSON array syntax, arrays must be comprised of strings only"},
};

static void negative(stats *st, const char *rel) {
  const char *name = strchr(rel, '/') + 1;
  const char *want = NULL;
  for (size_t i = 0; i < sizeof negatives / sizeof negatives[0]; i++)
    if (strcmp(negatives[i].name, name) == 0) want = negatives[i].message;
  size_t dl;
  char *df = case_file(rel, "Dockerfile", &dl);
  if (want == NULL) {
    note("no expected message for this case");
  } else if (df == NULL) {
    note("cannot read the Dockerfile");
  } else {
    pol_arena a = POL_ARENA_INIT;
    df_file f;
    int rc = df_parse(&a, df, dl, NULL, &f);
    if (rc != DF_ERR_SYNTAX) note("expected a syntax error, got %d", rc);
    else if (strcmp(f.error, want) != 0) note("error \"%s\", want \"%s\"", f.error, want);
    pol_arena_free(&a);
  }
  free(df);
  finish(st, rel);
}

static void line_case(stats *st, const char *rel) {
  static const uint32_t want[3][2] = {{5, 5}, {11, 12}, {17, 31}};
  size_t dl;
  char *df = case_file(rel, "Dockerfile", &dl);
  if (df == NULL) {
    note("cannot read the Dockerfile");
  } else {
    pol_arena a = POL_ARENA_INIT;
    df_file f;
    int rc = df_parse(&a, df, dl, NULL, &f);
    if (rc != DF_OK) {
      note("parse failed: %s", f.error ? f.error : "");
    } else if (f.nnodes != 3) {
      note("%zu children, want 3", f.nnodes);
    } else {
      if (f.nodes[0].span.start.line != 5 || f.nodes[2].span.end.line != 31)
        note("root covers %u-%u, want 5-31", f.nodes[0].span.start.line,
             f.nodes[2].span.end.line);
      for (int i = 0; i < 3; i++)
        if (f.nodes[i].span.start.line != want[i][0] ||
            f.nodes[i].span.end.line != want[i][1])
          note("child %d covers %u-%u, want %u-%u", i,
               f.nodes[i].span.start.line, f.nodes[i].span.end.line,
               want[i][0], want[i][1]);
    }
    pol_arena_free(&a);
  }
  free(df);
  finish(st, rel);
}

/* ---- derived cases ------------------------------------------------------ */

static bool directive_error(const char *msg) {
  return strncmp(msg, "only one ", 9) == 0 ||
         strncmp(msg, "invalid escape token", 20) == 0 ||
         strncmp(msg, "invalid check option", 20) == 0 ||
         strncmp(msg, "failed to parse check option", 28) == 0;
}

static void check_error(const df_file *f, int rc, json_t *c) {
  const char *want = json_string_value(json_object_get(c, "error"));
  if (rc != DF_ERR_SYNTAX) { note("expected an error, got %d", rc); return; }
  if (want == NULL || strcmp(f->error, want) != 0) {
    note("error \"%s\", want \"%s\"", f->error, want ? want : "?");
    return;
  }
  json_t *lines = json_object_get(c, "error_lines");
  long shift = directive_error(f->error) ? 1 : 0;
  long first = (long)f->error_span.start.line - shift;
  long last = (long)f->error_span.end.line - shift;
  size_t n = json_array_size(lines);
  bool same = (long)n == last - first + 1;
  for (size_t i = 0; same && i < n; i++)
    same = json_integer_value(json_array_get(lines, i)) == first + (long)i;
  if (!same)
    note("error lines %ld-%ld, want %zu lines from %lld", first, last, n,
         n ? json_integer_value(json_array_get(lines, 0)) : -1LL);
}

static void check_str(const char *what, size_t node, const char *got,
                      size_t gl, json_t *want) {
  if (!json_is_string(want)) { note("node %zu: no %s in the case", node, what); return; }
  char label[64];
  snprintf(label, sizeof label, "node %zu %s", node, what);
  compare_text(label, got, gl, json_string_value(want), json_string_length(want));
}

static void check_heredocs(size_t i, const df_node *n, json_t *hs) {
  size_t want = json_array_size(hs);
  if (n->nheredocs != want) {
    note("node %zu: %zu heredocs, want %zu", i, n->nheredocs, want);
    return;
  }
  for (size_t k = 0; k < want; k++) {
    json_t *h = json_array_get(hs, k);
    const df_heredoc *d = &n->heredocs[k];
    check_str("heredoc name", i, d->name, d->name_len, json_object_get(h, "name"));
    check_str("heredoc content", i, d->content, d->content_len,
              json_object_get(h, "content"));
    if (d->fd != json_integer_value(json_object_get(h, "fd")) ||
        d->expand != json_is_true(json_object_get(h, "expand")) ||
        d->chomp != json_is_true(json_object_get(h, "chomp")))
      note("node %zu heredoc %zu: fd/expand/chomp %d/%d/%d differ", i, k,
           d->fd, d->expand, d->chomp);
  }
}

static void check_node(size_t i, const df_node *n, json_t *w) {
  long sl = (long)json_integer_value(json_object_get(w, "start_line"));
  long el = (long)json_integer_value(json_object_get(w, "end_line"));
  if ((long)n->span.start.line != sl || (long)n->span.end.line != el)
    note("node %zu: lines %u-%u, want %ld-%ld", i, n->span.start.line,
         n->span.end.line, sl, el);
  if (n->json != json_is_true(json_object_get(w, "json_form")))
    note("node %zu: json_form %d", i, n->json);
  check_str("original", i, n->original, n->original_len, json_object_get(w, "original"));
  json_t *pc = json_object_get(w, "prev_comments");
  if (n->ncomments != json_array_size(pc)) {
    note("node %zu: %zu comments, want %zu", i, n->ncomments, json_array_size(pc));
  } else {
    for (size_t k = 0; k < n->ncomments; k++)
      check_str("comment", i, n->comments[k], strlen(n->comments[k]),
                json_array_get(pc, k));
  }
  check_heredocs(i, n, json_object_get(w, "heredocs"));
}

static void check_ok(const df_file *f, int rc, json_t *c) {
  if (rc != DF_OK) { note("parse failed (%d): %s", rc, f->error ? f->error : ""); return; }
  json_t *res = json_object_get(c, "result");
  dump_compare(f, json_string_value(res), json_string_length(res));
  const char *esc = json_string_value(json_object_get(c, "escape_token"));
  if (esc == NULL || esc[0] != f->escape || esc[1] != '\0')
    note("escape token '%c'", f->escape);
  json_t *nodes = json_object_get(c, "nodes");
  if (json_array_size(nodes) != f->nnodes) {
    note("%zu nodes, want %zu", f->nnodes, json_array_size(nodes));
    return;
  }
  for (size_t i = 0; i < f->nnodes; i++) check_node(i, &f->nodes[i], json_array_get(nodes, i));
  json_t *warn = json_object_get(c, "warnings");
  if (json_array_size(warn) != f->nwarnings) {
    note("%zu warnings, want %zu", f->nwarnings, json_array_size(warn));
    return;
  }
  for (size_t i = 0; i < f->nwarnings; i++)
    check_str("warning", i, f->warnings[i].message, strlen(f->warnings[i].message),
              json_array_get(warn, i));
}

static void derived(stats *st) {
  char path[8192];
  snprintf(path, sizeof path, "%s/derived-cases.jsonl", dir);
  FILE *in = fopen(path, "rb");
  if (in == NULL) {
    note("cannot open %s: %s", path, strerror(errno));
    finish(st, "derived-cases.jsonl");
    return;
  }
  char *lineb = NULL;
  size_t cap = 0;
  ssize_t got;
  unsigned no = 0;
  while ((got = getline(&lineb, &cap, in)) > 0) {
    no++;
    json_error_t jerr;
    json_t *c = json_loadb(lineb, (size_t)got, 0, &jerr);
    char name[256];
    snprintf(name, sizeof name, "derived-cases.jsonl:%u", no);
    if (c == NULL) {
      note("bad JSON: %s", jerr.text);
      finish(st, name);
      continue;
    }
    const char *cn = json_string_value(json_object_get(c, "name"));
    if (cn) snprintf(name, sizeof name, "derived/%s", cn);
    json_t *df = json_object_get(c, "dockerfile");
    pol_arena a = POL_ARENA_INIT;
    df_file f;
    int rc = df_parse(&a, json_string_value(df), json_string_length(df), NULL, &f);
    if (json_is_true(json_object_get(c, "ok"))) check_ok(&f, rc, c);
    else check_error(&f, rc, c);
    pol_arena_free(&a);
    json_decref(c);
    finish(st, name);
  }
  free(lineb);
  fclose(in);
}

int main(void) {
  const char *shared = getenv("POLICY_SHARED_DIR");
  size_t cl = 0;
  char *cases = NULL;
  if (shared != NULL) {
    snprintf(dir, sizeof dir, "%s/conformance/buildkit-parser", shared);
    char path[8192];
    snprintf(path, sizeof path, "%s/cases.txt", dir);
    cases = slurp(path, &cl);
  }
  if (cases == NULL) {
    printf("buildkit-parser: SKIP (../shared/conformance not found)\n");
    return 77;
  }
  stats st = {0, 0};
  for (char *p = cases, *end = cases + cl; p < end;) {
    char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    char rel[1024];
    snprintf(rel, sizeof rel, "%.*s", (int)n, p);
    p += n + 1;
    if (rel[0] == '\0') continue;
    if (strncmp(rel, "testfiles/", 10) == 0) positive(&st, rel);
    else if (strncmp(rel, "testfiles-negative/", 19) == 0) negative(&st, rel);
    else if (strcmp(rel, "testfile-line") == 0) line_case(&st, rel);
    else { note("unknown case kind"); finish(&st, rel); }
  }
  free(cases);
  derived(&st);
  printf("buildkit-parser: %u passed, %u failed\n", st.passed, st.failed);
  return st.failed > 0 ? 1 : 0;
}
