/*
** dotenv.c: `.env` files (see dotenv.h).
*/
#include "dotenv.h"

#include <string.h>

typedef struct denv {
  pol_arena *a;
  const char *file;
  const cmp_lookup *outer;
  pm_value *vars;
  pol_buf val, out, missing, err;
} denv;

/* Variables of the file so far, then the outer environment. */
static const char *denv_get(void *ud, const char *name, size_t len, size_t *vlen) {
  denv *d = ud;
  const pm_value *v = pm_getn(d->vars, name, len);
  if (v && v->type == PM_STR) {
    *vlen = v->u.str.len;
    return v->u.str.s;
  }
  return d->outer ? d->outer->get(d->outer->ud, name, len, vlen) : NULL;
}

static bool blank(char c) { return c == ' ' || c == '\t'; }

static bool valid_name(const char *s, size_t n) {
  if (n == 0) return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!(c == '_' || c == '.' || c == '-' || (c >= '0' && c <= '9') ||
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
      return false;
  }
  return true;
}

/* Sets name to the interpolated d->val; a value that needs an unknown
** variable leaves the name unset. */
static int define(denv *d, const char *name, size_t nl, bool interpolate, uint32_t line) {
  pm_pos pos = pm_pos_make(line, 1, line, 1);
  pos.file = d->file;
  const char *s = d->val.data ? d->val.data : "";
  size_t n = d->val.len;
  if (interpolate) {
    cmp_lookup self = {denv_get, d};
    pol_buf_clear(&d->out);
    pol_buf_clear(&d->missing);
    int rc = cmp_subst(&self, s, n, &d->out, &d->missing, &d->err);
    if (rc == CMP_SUBST_NOMEM) return CMP_DOTENV_NOMEM;
    if (rc == CMP_SUBST_ERROR) return CMP_DOTENV_SYNTAX;
    if (rc == CMP_SUBST_MISSING) return CMP_DOTENV_OK;
    s = d->out.data ? d->out.data : "";
    n = d->out.len;
  }
  pm_value *v = pm_strn(d->a, s, n, pos);
  return v && pm_setn(d->a, d->vars, name, nl, v) ? CMP_DOTENV_OK : CMP_DOTENV_NOMEM;
}

/* A double-quoted value from p (after the quote); returns the position
** after the closing quote, or NULL when it never closes. */
static const char *double_quoted(denv *d, const char *p, const char *end, uint32_t *line) {
  while (p < end && *p != '"') {
    if (*p == '\\' && p + 1 < end) {
      char c = p[1];
      switch (c) {
      case 'n': pol_buf_putc(&d->val, '\n'); break;
      case 'r': pol_buf_putc(&d->val, '\r'); break;
      case 't': pol_buf_putc(&d->val, '\t'); break;
      case '\\': pol_buf_putc(&d->val, '\\'); break;
      case '"': pol_buf_putc(&d->val, '"'); break;
      case '$': pol_buf_append(&d->val, "$$", 2); break;
      default: pol_buf_putc(&d->val, '\\'); pol_buf_putc(&d->val, c); break;
      }
      if (c == '\n') (*line)++;
      p += 2;
      continue;
    }
    if (*p == '\n') (*line)++;
    pol_buf_putc(&d->val, *p++);
  }
  return p < end ? p + 1 : NULL;
}

static int fail(denv *d, const char *msg, uint32_t line, uint32_t *err_line) {
  pol_buf_clear(&d->err);
  pol_buf_puts(&d->err, msg);
  *err_line = line;
  return CMP_DOTENV_SYNTAX;
}

static int parse(denv *d, const char *text, size_t len, uint32_t *err_line) {
  const char *p = text, *end = text + len;
  uint32_t line = 1;
  if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
  while (p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (eol == NULL) eol = end;
    const char *s = p;
    while (s < eol && (blank(*s) || *s == '\r')) s++;
    if (s == eol || *s == '#') { p = eol + (eol < end); line++; continue; }
    if ((size_t)(eol - s) > 7 && memcmp(s, "export", 6) == 0 && blank(s[6])) {
      s += 7;
      while (s < eol && blank(*s)) s++;
    }
    const char *k = s;
    while (s < eol && *s != '=' && *s != ':') s++;
    const char *ke = s;
    while (ke > k && (blank(ke[-1]) || ke[-1] == '\r')) ke--;
    if (!valid_name(k, (size_t)(ke - k)))
      return fail(d, "invalid variable name", line, err_line);
    uint32_t start_line = line;
    pol_buf_clear(&d->val);
    if (s == eol) {            /* NAME alone: from the environment */
      size_t vlen;
      const char *v = d->outer ? d->outer->get(d->outer->ud, k, (size_t)(ke - k), &vlen) : NULL;
      if (v) {
        pol_buf_append(&d->val, v, vlen);
        int rc = define(d, k, (size_t)(ke - k), false, line);
        if (rc != CMP_DOTENV_OK) return rc;
      }
      p = eol + (eol < end);
      line++;
      continue;
    }
    s++;
    while (s < eol && blank(*s)) s++;
    bool interpolate = true;
    const char *next;
    if (s < end && *s == '\'') {
      const char *q = memchr(s + 1, '\'', (size_t)(end - s - 1));
      if (q == NULL) return fail(d, "unterminated single-quoted value", start_line, err_line);
      for (const char *c = s + 1; c < q; c++) if (*c == '\n') line++;
      pol_buf_append(&d->val, s + 1, (size_t)(q - s - 1));
      interpolate = false;
      next = q + 1;
    } else if (s < end && *s == '"') {
      next = double_quoted(d, s + 1, end, &line);
      if (next == NULL) return fail(d, "unterminated double-quoted value", start_line, err_line);
    } else {
      const char *ve = s;
      while (ve < eol && !(*ve == '#' && ve > s && blank(ve[-1]))) ve++;
      while (ve > s && (blank(ve[-1]) || ve[-1] == '\r')) ve--;
      pol_buf_append(&d->val, s, (size_t)(ve - s));
      next = eol;
    }
    if (d->val.oom) return CMP_DOTENV_NOMEM;
    int rc = define(d, k, (size_t)(ke - k), interpolate, start_line);
    if (rc != CMP_DOTENV_OK) {
      if (rc == CMP_DOTENV_SYNTAX) *err_line = start_line;
      return rc;
    }
    const char *nl = memchr(next, '\n', (size_t)(end - next));
    p = nl ? nl + 1 : end;
    line++;
  }
  return CMP_DOTENV_OK;
}

int cmp_dotenv(pol_arena *a, const char *text, size_t len, const char *file,
               const cmp_lookup *outer, pm_value *vars, pol_buf *err,
               uint32_t *err_line) {
  denv d = {a, file, outer, vars, POL_BUF_INIT, POL_BUF_INIT, POL_BUF_INIT, POL_BUF_INIT};
  int rc = parse(&d, text, len, err_line);
  if (rc == CMP_DOTENV_SYNTAX) pol_buf_append(err, d.err.data ? d.err.data : "", d.err.len);
  if (err->oom) rc = CMP_DOTENV_NOMEM;
  pol_buf_free(&d.val);
  pol_buf_free(&d.out);
  pol_buf_free(&d.missing);
  pol_buf_free(&d.err);
  return rc;
}
