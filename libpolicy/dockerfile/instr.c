/*
** instr.c: BuildKit's instruction layer (see instr.h).
**
** Invariant: df_instr_check reports at most the first problem of a node, in
** the order upstream finds them: flags first, then arguments.
*/
#include "instr.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../core/editdist.h"

enum flag_type { FLAG_STRING, FLAG_BOOL, FLAG_MULTI };

typedef struct flag_spec {
  const char *name;
  enum flag_type type;
} flag_spec;

typedef struct instr_spec {
  const char *keyword;      /* lower case */
  const flag_spec *flags;   /* NULL-terminated by name */
  bool skip_flag_check;     /* upstream never validates these flags */
} instr_spec;

static const flag_spec no_flags[] = {{NULL, FLAG_STRING}};
static const flag_spec from_flags[] = {{"platform", FLAG_STRING}, {NULL, 0}};
static const flag_spec run_flags[] = {
    {"mount", FLAG_MULTI}, {"network", FLAG_STRING},
    {"security", FLAG_STRING}, {"device", FLAG_MULTI}, {NULL, 0}};
static const flag_spec copy_flags[] = {
    {"from", FLAG_STRING}, {"chown", FLAG_STRING}, {"chmod", FLAG_STRING},
    {"link", FLAG_BOOL}, {"parents", FLAG_BOOL}, {"exclude", FLAG_MULTI},
    {NULL, 0}};
static const flag_spec add_flags[] = {
    {"chown", FLAG_STRING}, {"chmod", FLAG_STRING},
    {"checksum", FLAG_STRING}, {"link", FLAG_BOOL},
    {"keep-git-dir", FLAG_BOOL}, {"unpack", FLAG_BOOL},
    {"exclude", FLAG_MULTI}, {NULL, 0}};
static const flag_spec health_flags[] = {
    {"interval", FLAG_STRING}, {"timeout", FLAG_STRING},
    {"start-period", FLAG_STRING}, {"start-interval", FLAG_STRING},
    {"retries", FLAG_STRING}, {NULL, 0}};

static const instr_spec specs[] = {
    {"add", add_flags, false},        {"arg", no_flags, true},
    {"cmd", no_flags, false},         {"copy", copy_flags, false},
    {"entrypoint", no_flags, false},  {"env", no_flags, false},
    {"expose", no_flags, false},      {"from", from_flags, false},
    {"healthcheck", health_flags, false}, {"label", no_flags, false},
    {"maintainer", no_flags, false},  {"onbuild", no_flags, false},
    {"run", run_flags, false},        {"shell", no_flags, false},
    {"stopsignal", no_flags, true},   {"user", no_flags, false},
    {"volume", no_flags, false},      {"workdir", no_flags, false},
};

static const instr_spec *spec_for(const char *kw) {
  for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
    if (specs[i].keyword[0] == kw[0] && strcmp(specs[i].keyword, kw) == 0)
      return &specs[i];
  return NULL;
}

/* printf into the arena; "" (the out-of-memory mark) when it cannot. */
static char *fmt(pol_arena *a, const char *f, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static char *fmt(pol_arena *a, const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  int n = vsnprintf(NULL, 0, f, ap);
  va_end(ap);
  char *s = n < 0 ? NULL : pol_arena_alloc(a, (size_t)n + 1);
  if (s == NULL) return "";
  va_start(ap, f);
  vsnprintf(s, (size_t)n + 1, f, ap);
  va_end(ap);
  return s;
}

static const char *unknown_instruction(pol_arena *a, const char *raw) {
  char lower[64];
  size_t n = strlen(raw);
  bool upper = true;
  for (size_t i = 0; i < n; i++)
    if (islower((unsigned char)raw[i])) upper = false;
  const char *best = NULL;
  if (n < sizeof lower) {
    for (size_t i = 0; i <= n; i++) lower[i] = (char)tolower((unsigned char)raw[i]);
    size_t bestd = 3;
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
      size_t d = pol_edit_distance(lower, strlen(lower), specs[i].keyword,
                                   strlen(specs[i].keyword));
      if (d < bestd) { bestd = d; best = specs[i].keyword; }
    }
  }
  if (best == NULL) return fmt(a, "unknown instruction: %s", raw);
  char sugg[32];
  size_t i;
  for (i = 0; best[i] && i + 1 < sizeof sugg; i++)
    sugg[i] = upper ? (char)toupper((unsigned char)best[i]) : best[i];
  sugg[i] = '\0';
  char *tail = fmt(a, " (did you mean %s?)", sugg);
  return fmt(a, "unknown instruction: %s%s", raw, tail);
}

/* Splits "--name=value" into name and optional value. */
static void flag_split(const df_word *w, const char **name, size_t *name_len,
                       const char **value, size_t *value_len) {
  const char *s = w->s + 2;
  size_t n = w->len >= 2 ? w->len - 2 : 0;
  const char *eq = memchr(s, '=', n);
  *name = s;
  *name_len = eq ? (size_t)(eq - s) : n;
  *value = eq ? eq + 1 : NULL;
  *value_len = eq ? n - (size_t)(eq - s) - 1 : 0;
}

const df_word *df_instr_flag_at(const df_node *n, const char *name, size_t i,
                             const char **value, size_t *value_len) {
  size_t want = strlen(name);
  for (size_t k = 0; k < n->nflags; k++) {
    const char *fn, *fv;
    size_t fnl, fvl;
    flag_split(&n->flags[k], &fn, &fnl, &fv, &fvl);
    if (fnl != want || memcmp(fn, name, want) != 0) continue;
    if (i-- > 0) continue;
    if (value) *value = fv ? fv : "";
    if (value_len) *value_len = fvl;
    return &n->flags[k];
  }
  return NULL;
}

const df_word *df_instr_flag(const df_node *n, const char *name,
                          const char **value, size_t *value_len) {
  return df_instr_flag_at(n, name, 0, value, value_len);
}

static bool bool_word(const char *v, size_t n) {
  return (n == 4 && strncasecmp(v, "true", 4) == 0) ||
         (n == 5 && strncasecmp(v, "false", 5) == 0);
}

static const char *check_flags(pol_arena *a, const df_node *n,
                               const instr_spec *spec, df_span *where) {
  for (size_t k = 0; k < n->nflags; k++) {
    const df_word *w = &n->flags[k];
    *where = w->span;
    const char *fn, *fv;
    size_t fnl, fvl;
    flag_split(w, &fn, &fnl, &fv, &fvl);
    char name[128];
    if (fnl >= sizeof name) fnl = sizeof name - 1;
    memcpy(name, fn, fnl);
    name[fnl] = '\0';
    const flag_spec *fs = NULL;
    for (const flag_spec *f = spec->flags; f->name; f++)
      if (strcmp(f->name, name) == 0) fs = f;
    if (fs == NULL) {
      const char *best = NULL;
      size_t bestd = 3;
      for (const flag_spec *f = spec->flags; f->name; f++) {
        size_t d = pol_edit_distance(name, strlen(name), f->name, strlen(f->name));
        if (d < bestd) { bestd = d; best = f->name; }
      }
      if (best) {
        char *tail = fmt(a, " (did you mean %s?)", best);
        return fmt(a, "unknown flag: --%s%s", name, tail);
      }
      return fmt(a, "unknown flag: --%s", name);
    }
    if (fs->type != FLAG_MULTI) {
      for (size_t j = 0; j < k; j++) {
        const char *pn, *pv;
        size_t pnl, pvl;
        flag_split(&n->flags[j], &pn, &pnl, &pv, &pvl);
        if (pnl == strlen(name) && memcmp(pn, name, pnl) == 0)
          return fmt(a, "duplicate flag specified: --%s", name);
      }
    }
    if (fs->type == FLAG_BOOL) {
      if (fv && fvl == 0)
        return fmt(a, "missing a value on flag: --%s", name);
      if (fv && !bool_word(fv, fvl)) {
        char *v = pol_arena_strndup(a, fv, fvl);
        return fmt(a, "expecting boolean value for flag --%s, not: %s", name,
                   v ? v : "");
      }
    } else if (fv == NULL) {
      return fmt(a, "missing a value on flag: --%s", name);
    }
  }
  return NULL;
}

static const char *upper_name(const char *kw) {
  static const char *names[] = {
      "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM",
      "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL",
      "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcasecmp(names[i], kw) == 0) return names[i];
  return kw;
}

static bool valid_stage_name(const char *s, size_t n) {
  if (n == 0 || !isalpha((unsigned char)s[0])) return false;
  for (size_t i = 1; i < n; i++) {
    unsigned char c = (unsigned char)tolower((unsigned char)s[i]);
    if (!(islower(c) || isdigit(c) || c == '-' || c == '_' || c == '.'))
      return false;
  }
  return true;
}

static bool is_heredoc_word(const df_node *n, const df_word *w) {
  for (size_t h = 0; h < n->nheredocs; h++) {
    const char *p = w->s;
    size_t len = w->len;
    while (len && isdigit((unsigned char)*p)) { p++; len--; }
    if (len >= 2 && p[0] == '<' && p[1] == '<') return true;
  }
  return false;
}

static const char *check_healthcheck(pol_arena *a, const df_node *n,
                                     df_span *where) {
  if (n->nargs == 0) return "HEALTHCHECK requires at least one argument";
  char type[16];
  size_t tl = n->args[0].len < sizeof type - 1 ? n->args[0].len : sizeof type - 1;
  for (size_t i = 0; i < tl; i++) type[i] = (char)toupper((unsigned char)n->args[0].s[i]);
  type[tl] = '\0';
  *where = n->args[0].span;
  if (strcmp(type, "NONE") == 0) {
    if (n->nargs > 1) return "HEALTHCHECK NONE takes no arguments";
    return NULL;
  }
  if (strcmp(type, "CMD") != 0) {
    char *t = pol_arena_strndup(a, n->args[0].s, n->args[0].len);
    return fmt(a, "Unknown type \"%s\" in HEALTHCHECK (try CMD)", t ? t : "");
  }
  if (n->nargs < 2 || (n->nargs == 2 && !n->json && n->args[1].len == 0))
    return "Missing command after HEALTHCHECK CMD";
  return NULL;
}

const char *df_instr_check(pol_arena *a, const df_node *n, df_span *where) {
  *where = n->keyword_span;
  const instr_spec *spec = spec_for(n->keyword);
  if (spec == NULL) return unknown_instruction(a, n->keyword_raw);
  bool health_none = strcmp(n->keyword, "healthcheck") == 0 && n->nargs > 0 &&
                     n->args[0].len == 4 &&
                     strncasecmp(n->args[0].s, "NONE", 4) == 0;
  if (!spec->skip_flag_check && !health_none) {
    const char *e = check_flags(a, n, spec, where);
    if (e) return e;
  }
  *where = n->span;
  const char *kw = n->keyword;
  if (strcmp(kw, "maintainer") == 0 || strcmp(kw, "workdir") == 0 ||
      strcmp(kw, "user") == 0 || strcmp(kw, "stopsignal") == 0) {
    if (n->nargs != 1 || n->args[0].len == 0)
      return fmt(a, "%s requires exactly one argument", upper_name(kw));
    return NULL;
  }
  if (strcmp(kw, "copy") == 0 || strcmp(kw, "add") == 0) {
    if (n->nargs < 2)
      return fmt(a, "%s requires at least two arguments, but only one was "
                    "provided. Destination could not be determined", upper_name(kw));
    if (is_heredoc_word(n, &n->args[n->nargs - 1])) {
      *where = n->args[n->nargs - 1].span;
      return fmt(a, "%s cannot accept a heredoc as a destination", upper_name(kw));
    }
    return NULL;
  }
  if (strcmp(kw, "from") == 0) {
    if (n->nargs != 1 && n->nargs != 3)
      return "FROM requires either one or three arguments";
    if (n->nargs == 3) {
      if (strcasecmp(n->args[1].s, "as") != 0)
        return "FROM requires either one or three arguments";
      if (!valid_stage_name(n->args[2].s, n->args[2].len)) {
        *where = n->args[2].span;
        return fmt(a, "invalid name for build stage: \"%s\", name can't start "
                      "with a number or contain symbols", n->args[2].s);
      }
    }
    return NULL;
  }
  if (strcmp(kw, "healthcheck") == 0) return check_healthcheck(a, n, where);
  if (strcmp(kw, "shell") == 0) {
    if (!n->json) return "SHELL requires the arguments to be in JSON form";
    if (n->nargs == 0) return "SHELL requires at least one argument";
    return NULL;
  }
  if (strcmp(kw, "onbuild") == 0) {
    if (n->inner == NULL) return "ONBUILD requires at least one argument";
    const char *ik = n->inner->keyword;
    if (strcmp(ik, "onbuild") == 0)
      return "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed";
    if (strcmp(ik, "from") == 0 || strcmp(ik, "maintainer") == 0)
      return fmt(a, "%s isn't allowed as an ONBUILD trigger", upper_name(ik));
    return df_instr_check(a, n->inner, where);
  }
  if (strcmp(kw, "env") == 0 || strcmp(kw, "label") == 0 ||
      strcmp(kw, "expose") == 0 || strcmp(kw, "volume") == 0 ||
      strcmp(kw, "arg") == 0) {
    if (n->nargs == 0)
      return fmt(a, "%s requires at least one argument", upper_name(kw));
    if (strcmp(kw, "env") == 0 || strcmp(kw, "label") == 0) {
      for (size_t i = 0; i < n->nargs; i += 3)
        if (n->args[i].len == 0) {
          *where = n->args[i].span;
          return fmt(a, "%s names can not be blank", upper_name(kw));
        }
    }
    if (strcmp(kw, "arg") == 0) {
      for (size_t i = 0; i < n->nargs; i++)
        if (n->args[i].len == 0 || n->args[i].s[0] == '=') {
          *where = n->args[i].span;
          return "ARG names can not be blank";
        }
    }
    if (strcmp(kw, "volume") == 0) {
      for (size_t i = 0; i < n->nargs; i++) {
        const char *s = n->args[i].s;
        size_t len = n->args[i].len;
        while (len && isspace((unsigned char)*s)) { s++; len--; }
        while (len && isspace((unsigned char)s[len - 1])) len--;
        if (len == 0) {
          *where = n->args[i].span;
          return "VOLUME specified can not be an empty string";
        }
      }
    }
    return NULL;
  }
  if (strcmp(kw, "run") == 0) {
    const char *v;
    size_t vl;
    const df_word *w = df_instr_flag(n, "network", &v, &vl);
    if (w && !((vl == 7 && memcmp(v, "default", 7) == 0) ||
               (vl == 4 && memcmp(v, "none", 4) == 0) ||
               (vl == 4 && memcmp(v, "host", 4) == 0))) {
      *where = w->span;
      char *s = pol_arena_strndup(a, v, vl);
      return fmt(a, "invalid network mode \"%s\"", s ? s : "");
    }
    w = df_instr_flag(n, "security", &v, &vl);
    if (w && !((vl == 7 && memcmp(v, "sandbox", 7) == 0) ||
               (vl == 8 && memcmp(v, "insecure", 8) == 0))) {
      *where = w->span;
      char *s = pol_arena_strndup(a, v, vl);
      return fmt(a, "security \"%s\" is not valid", s ? s : "");
    }
    for (size_t i = 0; (w = df_instr_flag_at(n, "mount", i, &v, &vl)); i++) {
      df_instr_mount m;
      const char *e = df_instr_parse_mount(a, v, vl, &m);
      if (e) { *where = w->span; return e; }
    }
    return NULL;
  }
  return NULL;
}

/* Reads one CSV field (RFC 4180 quoting, as Go's encoding/csv) starting at
** *pos. Returns 1, 0 for a malformed quoted field, or -1 when memory ran
** out (which must not pass for a malformed field). */
static int csv_field(pol_arena *a, const char *s, size_t len, size_t *pos,
                     char **out) {
  size_t i = *pos;
  pol_buf b = POL_BUF_INIT;
  if (i < len && s[i] == '"') {
    i++;
    for (;;) {
      if (i >= len) { pol_buf_free(&b); return 0; }
      if (s[i] == '"') {
        if (i + 1 < len && s[i + 1] == '"') { pol_buf_putc(&b, '"'); i += 2; continue; }
        i++;
        break;
      }
      pol_buf_putc(&b, s[i++]);
    }
    if (i < len && s[i] != ',') { pol_buf_free(&b); return 0; }
  } else {
    size_t start = i;
    while (i < len && s[i] != ',') {
      if (s[i] == '"') { pol_buf_free(&b); return 0; }
      i++;
    }
    pol_buf_append(&b, s + start, i - start);
  }
  *out = b.oom ? NULL : pol_arena_strndup(a, b.data ? b.data : "", b.len);
  pol_buf_free(&b);
  *pos = i < len ? i + 1 : i;
  return *out != NULL ? 1 : -1;
}

static int parse_bool_value(const char *v) {
  if (strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0 ||
      strcasecmp(v, "t") == 0)
    return 1;
  if (strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0 ||
      strcasecmp(v, "f") == 0)
    return 0;
  return -1;
}

static const char *mount_set(pol_arena *a, df_instr_mount *m, const char *field) {
  const char *eq = strchr(field, '=');
  size_t kl = eq ? (size_t)(eq - field) : strlen(field);
  char key[32];
  if (kl >= sizeof key) kl = sizeof key - 1;
  for (size_t i = 0; i < kl; i++) key[i] = (char)tolower((unsigned char)field[i]);
  key[kl] = '\0';
  const char *val = eq ? eq + 1 : NULL;
  if (val == NULL) {
    if (!strcmp(key, "readonly") || !strcmp(key, "ro")) { m->readonly = 1; return NULL; }
    if (!strcmp(key, "readwrite") || !strcmp(key, "rw")) { m->readonly = 0; return NULL; }
    if (!strcmp(key, "required")) { m->required = 1; return NULL; }
    return fmt(a, "invalid field '%s' must be a key=value pair", field);
  }
  const char **slot = NULL;
  if (!strcmp(key, "type")) {
    static const char *types[] = {"bind", "cache", "tmpfs", "secret", "ssh"};
    for (size_t i = 0; i < 5; i++)
      if (strcasecmp(val, types[i]) == 0) { m->type = types[i]; return NULL; }
    return fmt(a, "unsupported mount type \"%s\"", val);
  }
  if (!strcmp(key, "readonly") || !strcmp(key, "ro") ||
      !strcmp(key, "readwrite") || !strcmp(key, "rw") ||
      !strcmp(key, "required")) {
    int b = parse_bool_value(val);
    if (b < 0) return fmt(a, "invalid value for %s: %s", key, val);
    if (key[0] == 'r' && (key[1] == 'w' || !strcmp(key, "readwrite"))) b = !b;
    if (!strcmp(key, "required")) m->required = b;
    else m->readonly = b;
    return NULL;
  }
  if (!strcmp(key, "from")) slot = &m->from;
  else if (!strcmp(key, "source") || !strcmp(key, "src")) slot = &m->source;
  else if (!strcmp(key, "target") || !strcmp(key, "dst") ||
           !strcmp(key, "destination")) slot = &m->target;
  else if (!strcmp(key, "id")) slot = &m->id;
  else if (!strcmp(key, "sharing")) slot = &m->sharing;
  else if (!strcmp(key, "mode")) slot = &m->mode;
  else if (!strcmp(key, "uid")) slot = &m->uid;
  else if (!strcmp(key, "gid")) slot = &m->gid;
  else if (!strcmp(key, "size")) slot = &m->size;
  else if (!strcmp(key, "env")) slot = &m->env;
  if (slot == NULL) return fmt(a, "unexpected key '%s' in '%s'", key, field);
  *slot = val;
  return NULL;
}

const char *df_instr_parse_mount(pol_arena *a, const char *value, size_t len,
                              df_instr_mount *m) {
  memset(m, 0, sizeof *m);
  m->type = "bind";
  m->readonly = m->required = -1;
  size_t pos = 0;
  while (pos < len) {
    char *field;
    int got = csv_field(a, value, len, &pos, &field);
    if (got < 0) return ""; /* out of memory */
    if (got == 0) return "failed to parse csv mounts: bare \" in non-quoted-field";
    if (*field == '\0') continue;
    const char *e = mount_set(a, m, field);
    if (e) return e;
  }
  const char *t = m->type;
  bool secretish = !strcmp(t, "secret") || !strcmp(t, "ssh");
  if (m->from) {
    const char *dollar = strchr(m->from, '$');
    if (dollar && dollar[1] != '\0')
      return "'from' doesn't support variable expansion, define alias stage instead";
  }
  if (m->required >= 0 && !secretish)
    return fmt(a, "unexpected key 'required' for mount type '%s'", t);
  if (m->size && strcmp(t, "tmpfs") != 0)
    return fmt(a, "unexpected key 'size' for mount type '%s'", t);
  if (!strcmp(t, "bind")) {
    if (m->mode) return "mode not allowed for \"bind\" type mounts";
    if (m->uid) return "uid not allowed for \"bind\" type mounts";
    if (m->gid) return "gid not allowed for \"bind\" type mounts";
  }
  if (m->sharing) {
    if (strcmp(t, "cache") != 0)
      return fmt(a, "invalid cache sharing set for %s mount", t);
    if (strcasecmp(m->sharing, "shared") && strcasecmp(m->sharing, "private") &&
        strcasecmp(m->sharing, "locked"))
      return fmt(a, "unsupported sharing value \"%s\"", m->sharing);
  }
  if (!strcmp(t, "secret")) {
    if (m->from) return "secret mount should not have a from";
    if (m->source && m->id) return "both source and id can't be set";
    if (!m->source && !m->id && !m->target)
      return "invalid secret mount. one of source, target required";
  }
  return NULL;
}
