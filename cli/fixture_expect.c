/*
** fixture_expect.c: a fail fixture's .expect file (see fixtures.h).
*/
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fixtures.h"

void cli_expect_free(cli_expect_list *l) {
  for (size_t i = 0; i < l->n; i++) {
    free(l->items[i].text);
    free(l->items[i].written);
    if (l->items[i].has_re) regfree(&l->items[i].re);
  }
  free(l->items);
  free(l->requires);
  l->items = NULL;
  l->requires = NULL;
  l->n = 0;
}

static char *format(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

static char *format(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (s) {
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  return s;
}

/* Reads a quoted TEXT or a /REGEX/ starting at *p (its opening
** character); the unescaped body is malloc'd into *out. NULL: no closing
** character. */
static const char *delimited(const char *p, char **out) {
  char close = *p == '"' ? '"' : '/';
  size_t n = strlen(p);
  char *body = malloc(n + 1), *w = body;
  if (body == NULL) return NULL;
  for (p++; *p && *p != close; p++) {
    if (*p == '\\' && (p[1] == close || (close == '"' && p[1] == '\\'))) p++;
    *w++ = *p;
  }
  *w = '\0';
  if (*p != close) {
    free(body);
    return NULL;
  }
  *out = body;
  return p + 1;
}

static const char *skip_blank(const char *p) {
  while (*p == ' ' || *p == '\t') p++;
  return p;
}

/* Parses one line (comments and blanks already known not to be all of
** it). Returns NULL, or the problem. */
static const char *parse_line(const char *p, cli_expect *x, cli_expect_list *l) {
  memset(x, 0, sizeof *x);
  if (!strncmp(p, "count", 5) && (p[5] == ' ' || p[5] == '\t')) {
    char *end;
    errno = 0;
    long n = strtol(skip_blank(p + 5), &end, 10);
    end = (char *)skip_blank(end);
    if (errno || n < 0 || end == skip_blank(p + 5) || (*end && *end != '#'))
      return "expected `count N`";
    l->count = n;
    return "";
  }
  if (!strncmp(p, "requires", 8) && (p[8] == ' ' || p[8] == '\t')) {
    const char *name = skip_blank(p + 8);
    size_t n = strcspn(name, " \t#");
    const char *rest = skip_blank(name + n);
    if (n == 0 || (*rest != '\0' && *rest != '#') || memchr(name, '/', n) || l->requires)
      return "expected one `requires PROGRAM` (a name found on PATH)";
    if ((l->requires = strndup(name, n)) == NULL) return "out of memory";
    return "";
  }
  char *end;
  if (*p == '*') {
    end = (char *)p + 1;
  } else {
    errno = 0;
    x->line = strtol(p, &end, 10);
    if (errno || end == p || x->line <= 0) return "expected `LINE[:COLUMN]` or `*` first";
    if (*end == ':') {
      const char *c = end + 1;
      x->column = strtol(c, &end, 10);
      if (end == c || x->column <= 0) return "expected a column after `LINE:`";
    }
  }
  p = end;
  if (*p && *p != ' ' && *p != '\t' && *p != '#') return "expected `LINE[:COLUMN]` or `*` first";
  p = skip_blank(p);
  if (isalpha((unsigned char)*p)) {
    size_t n = 0;
    while (isalpha((unsigned char)p[n])) n++;
    char word[16];
    snprintf(word, sizeof word, "%.*s", (int)(n < 15 ? n : 15), p);
    if ((x->severity = policy_severity_from_name(word)) == 0)
      return "expected a severity (critical, high, medium, low, info), a \"TEXT\" or a /REGEX/";
    p = skip_blank(p + n);
  }
  if (*p == '"' || *p == '/') {
    bool re = *p == '/';
    char *body;
    const char *after = delimited(p, &body);
    if (after == NULL) return re ? "a /REGEX/ without its closing /" : "a \"TEXT\" without its closing quote";
    if (re) {
      int rc = regcomp(&x->re, body, REG_EXTENDED | REG_NOSUB);
      free(body);
      if (rc != 0) return "the /REGEX/ is not a valid POSIX extended regular expression";
      x->has_re = true;
    } else {
      x->text = body;
    }
    p = skip_blank(after);
  }
  if (*p && *p != '#') {
    if (x->has_re) regfree(&x->re);
    x->has_re = false;
    free(x->text);
    x->text = NULL;
    return "unexpected text after the expectation (quote a message: \"TEXT\")";
  }
  return NULL;
}

bool cli_expect_read(const char *path, cli_expect_list *out, char **why) {
  *out = (cli_expect_list){NULL, 0, -1, NULL};
  *why = NULL;
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    *why = format("%s: %s", path, strerror(errno));
    return false;
  }
  char buf[4096];
  unsigned lineno = 0;
  while (*why == NULL && fgets(buf, sizeof buf, f)) {
    lineno++;
    buf[strcspn(buf, "\r\n")] = '\0';
    const char *p = skip_blank(buf);
    if (*p == '\0' || *p == '#') continue;
    cli_expect x;
    const char *problem = parse_line(p, &x, out);
    if (problem && *problem == '\0') continue; /* count, requires */
    if (problem) {
      *why = format("%s:%u: %s, not '%s'", path, lineno, problem, p);
      break;
    }
    cli_expect *grown = realloc(out->items, (out->n + 1) * sizeof *grown);
    x.written = strdup(p);
    if (grown == NULL || x.written == NULL) {
      free(x.written);
      free(x.text);
      if (x.has_re) regfree(&x.re);
      if (grown) out->items = grown;
      *why = format("%s: out of memory", path);
      break;
    }
    char *hash = strstr(x.written, " #");
    if (hash && x.text == NULL && !x.has_re) *hash = '\0';
    out->items = grown;
    out->items[out->n++] = x;
  }
  fclose(f);
  if (*why) {
    cli_expect_free(out);
    return false;
  }
  return true;
}

static bool fits(const cli_expect *x, const cli_found *f) {
  if (x->line && f->line != x->line) return false;
  if (x->column && f->column != x->column) return false;
  if (x->severity && f->severity != x->severity) return false;
  if (x->text && (f->message == NULL || strstr(f->message, x->text) == NULL) &&
      (f->code == NULL || strcmp(f->code, x->text) != 0))
    return false;
  if (x->has_re && (f->message == NULL || regexec(&x->re, f->message, 0, NULL, 0) != 0)) return false;
  return true;
}

bool cli_expect_match(cli_expect_list *x, cli_found *found, size_t n) {
  /* The most precise expectations first, so that a looser one cannot
  ** take the finding a precise one needs. */
  for (int pass = 0; pass < 3; pass++)
    for (size_t i = 0; i < x->n; i++) {
      cli_expect *e = &x->items[i];
      int rank = e->line && e->column ? 0 : e->line ? 1 : 2;
      if (rank != pass) continue;
      for (size_t j = 0; j < n && !e->matched; j++)
        if (!found[j].matched && fits(e, &found[j])) e->matched = found[j].matched = true;
    }
  bool ok = true;
  for (size_t i = 0; i < x->n; i++) ok = ok && x->items[i].matched;
  if (x->count >= 0) return ok && (long)n == x->count;
  for (size_t j = 0; j < n; j++) ok = ok && found[j].matched;
  return ok;
}
