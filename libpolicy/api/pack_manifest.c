/*
** pack_manifest.c: a pack's pack.yaml (see pack.h, docs/packs.md).
**
**   name: org-baseline              # kebab-case, like a rule id
**   version: 1.4.0                  # MAJOR.MINOR.PATCH[-pre][+build]
**   description: what the pack checks
**   requires: libpolicy >= 0.1      # the oldest libpolicy that runs it
**   severity:                       # default severities of its rules
**     org-owner-label: low
**   profile: strict                 # the profile its rules belong to
**
** Unknown keys are errors, like a configuration's: a misspelt key would
** otherwise be a setting silently not applied.
*/
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../model/load.h"
#include "pack.h"
#include "policy/version.h"

#define MAX_DESCRIPTION 4096

typedef struct reader {
  policy_engine *e;
  const char *where;
  int status;
} reader;

static void fail(reader *r, const pm_value *at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void fail(reader *r, const pm_value *at, const char *fmt, ...) {
  if (r->status != POLICY_OK) return;
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  r->status = api_fail(r->e, POLICY_ERR_PARSE, "%s:%u:%u: %s", r->where, (unsigned)at->pos.line,
                       (unsigned)at->pos.col, msg);
}

static bool kebab(const char *s, size_t n) {
  if (n == 0 || n > 64 || !islower((unsigned char)s[0])) return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!(islower((unsigned char)c) || isdigit((unsigned char)c) || c == '-')) return false;
    if (c == '-' && (i + 1 == n || s[i + 1] == '-')) return false;
  }
  return true;
}

/* Digits, a dot, digits, a dot, digits, then optionally -pre and +build
** made of letters, digits, dots and dashes. */
static bool semver(const char *s) {
  for (int part = 0; part < 3; part++) {
    if (!isdigit((unsigned char)*s)) return false;
    while (isdigit((unsigned char)*s)) s++;
    if (part < 2 && *s++ != '.') return false;
  }
  if (*s == '-' || *s == '+') {
    s++;
    if (*s == '\0') return false;
    for (; *s; s++)
      if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-' && *s != '+') return false;
  }
  return *s == '\0';
}

static char *copy_string(reader *r, const pm_value *v, const char *key, size_t max) {
  if (v->type != PM_STR || v->u.str.len == 0 || v->u.str.len > max ||
      strlen(v->u.str.s) != v->u.str.len) {
    fail(r, v, "%s must be a text of 1 to %zu bytes", key, max);
    return NULL;
  }
  char *s = pol_strndup(v->u.str.s, v->u.str.len);
  if (s == NULL) r->status = api_fail(r->e, POLICY_ERR_NOMEM, "out of memory");
  return s;
}

/* "libpolicy >= 0.1" or "libpolicy >= 0.1.2": this library must be at
** least that version. */
static void check_requires(reader *r, const pm_value *v) {
  unsigned major, minor, patch = 0;
  int used = 0;
  const char *s = v->type == PM_STR ? v->u.str.s : "";
  int got = sscanf(s, " libpolicy >= %u.%u%n", &major, &minor, &used);
  if (got == 2 && s[used] == '.') {
    int more = 0;
    if (sscanf(s + used, ".%u%n", &patch, &more) == 1) used += more;
    else used = -1;
  }
  while (got == 2 && used > 0 && s[used] == ' ') used++;
  if (got != 2 || used <= 0 || s[used] != '\0') {
    fail(r, v, "requires must read `libpolicy >= MAJOR.MINOR` (or MAJOR.MINOR.PATCH)");
    return;
  }
  unsigned long want = major * 10000ul + minor * 100ul + patch;
  if (major > 99 || minor > 99 || patch > 99 || want > POLICY_VERSION_NUMBER)
    fail(r, v, "the pack needs libpolicy >= %u.%u.%u; this is libpolicy %s", major, minor, patch,
         POLICY_VERSION_STRING);
}

static void read_severities(reader *r, const pm_value *v, api_manifest *m) {
  if (v->type == PM_NULL) return;
  if (v->type != PM_MAP) {
    fail(r, v, "severity must map rule ids to severities (critical, high, medium, low, info)");
    return;
  }
  size_t n = v->u.obj.len;
  m->severity_ids = pol_calloc(n ? n : 1, sizeof *m->severity_ids);
  m->severity_places = pol_calloc(n ? n : 1, sizeof *m->severity_places);
  m->severities = pol_calloc(n ? n : 1, sizeof *m->severities);
  if (!m->severity_ids || !m->severity_places || !m->severities) {
    r->status = api_fail(r->e, POLICY_ERR_NOMEM, "out of memory");
    return;
  }
  for (size_t i = 0; i < n && r->status == POLICY_OK; i++) {
    const pm_member *mem = &v->u.obj.items[i];
    int sev = mem->val->type == PM_STR ? policy_severity_from_name(mem->val->u.str.s) : 0;
    if (sev == 0) {
      fail(r, mem->val, "severity of %s must be critical, high, medium, low or info", mem->key);
      return;
    }
    char place[300];
    snprintf(place, sizeof place, "%s:%u:%u", r->where, (unsigned)mem->val->pos.line,
             (unsigned)mem->val->pos.col);
    m->severity_ids[i] = pol_strndup(mem->key, mem->key_len);
    m->severity_places[i] = pol_strndup(place, strlen(place));
    m->severities[i] = sev;
    m->nseverities = i + 1;
    if (!m->severity_ids[i] || !m->severity_places[i])
      r->status = api_fail(r->e, POLICY_ERR_NOMEM, "out of memory");
  }
}

static void read_root(reader *r, const pm_value *root, api_manifest *m) {
  if (root->type != PM_MAP) {
    fail(r, root, "pack.yaml must be a mapping (name, version, description, ...)");
    return;
  }
  for (size_t i = 0; i < root->u.obj.len && r->status == POLICY_OK; i++) {
    const pm_member *mem = &root->u.obj.items[i];
    const pm_value *v = mem->val;
    const char *k = mem->key;
    if (!strcmp(k, "name")) {
      if (v->type != PM_STR || !kebab(v->u.str.s, v->u.str.len))
        fail(r, v, "name must be kebab-case: lower-case letters, digits and single dashes (at "
             "most 64)");
      else m->name = copy_string(r, v, "name", 64);
    } else if (!strcmp(k, "version")) {
      if (v->type != PM_STR || !semver(v->u.str.s))
        fail(r, v, "version must be MAJOR.MINOR.PATCH, as a text (quote it: \"1.0.0\")");
      else m->version = copy_string(r, v, "version", 64);
    } else if (!strcmp(k, "description")) {
      m->description = copy_string(r, v, "description", MAX_DESCRIPTION);
    } else if (!strcmp(k, "requires")) {
      check_requires(r, v);
    } else if (!strcmp(k, "severity")) {
      read_severities(r, v, m);
    } else if (!strcmp(k, "profile")) {
      if (v->type != PM_STR || (strcmp(v->u.str.s, "default") && strcmp(v->u.str.s, "strict") &&
                                strcmp(v->u.str.s, "all")))
        fail(r, v, "profile must be default, strict or all");
      else m->profile = copy_string(r, v, "profile", 16);
    } else {
      fail(r, v, "unknown key '%s' (name, version, description, requires, severity, profile)", k);
    }
  }
  if (r->status != POLICY_OK) return;
  if (m->name == NULL) fail(r, root, "pack.yaml needs a `name`");
  else if (m->version == NULL) fail(r, root, "pack.yaml needs a `version`");
  else if (m->description == NULL) fail(r, root, "pack.yaml needs a `description`");
}

int api_manifest_read(policy_engine *e, const char *where, const char *text, size_t len,
                      api_manifest *out) {
  memset(out, 0, sizeof *out);
  pol_arena arena = POL_ARENA_INIT;
  pm_load_limits lim = {32, 10000};
  pm_value *root;
  pol_buf err = POL_BUF_INIT;
  int rc = pm_load_yaml(&arena, text, len, &lim, &root, &err);
  reader r = {e, where, POLICY_OK};
  if (rc == PM_LOAD_NOMEM) r.status = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  else if (rc != PM_LOAD_OK)
    r.status = api_fail(e, POLICY_ERR_PARSE, "%s:%s", where, err.data ? err.data : " invalid");
  else read_root(&r, root, out);
  pol_buf_free(&err);
  pol_arena_free(&arena);
  if (r.status != POLICY_OK) api_manifest_free(out);
  return r.status;
}

void api_manifest_free(api_manifest *m) {
  pol_free(m->name);
  pol_free(m->version);
  pol_free(m->description);
  pol_free(m->profile);
  for (size_t i = 0; i < m->nseverities; i++) {
    pol_free(m->severity_ids[i]);
    pol_free(m->severity_places[i]);
  }
  pol_free(m->severity_ids);
  pol_free(m->severity_places);
  pol_free(m->severities);
  memset(m, 0, sizeof *m);
}
