/*
** hadolint_config.c: a hadolint configuration (.hadolint.yaml) read by
** policy_engine_load_config as hadolint reads it (docs/hadolint.md).
**
**   ignored: [DL3008, SC2086]        -> ignores, by id or ref
**   trustedRegistries: [docker.io]   -> data.hadolint.trusted_registries
**   label-schema: {owner: text}      -> data.hadolint.label_schema
**   strict-labels: true              -> data.hadolint.strict_labels
**   override: {error: [DL3008], ...} -> severity overrides (severity.c):
**                                       error high, warning medium, info
**                                       low, style info
**   failure-threshold: warning       -> the configuration's fail-on (the
**                                       same mapping; ignore is info, none
**                                       POLICY_FAIL_ON_NONE)
**   no-fail: true                    -> POLICY_FAIL_ON_NONE
**   disable-ignore-pragma: true      -> hadolint's ignore pragmas cover
**                                       nothing in documents parsed after
**
** Keys about presentation (format, formats, no-color, verbose) are
** hadolint's command line's and are accepted silently; a key hadolint does
** not know is a warning. The settings reach the hadolint pack's rules
** through `data`, replacing the pack's defaults
** (policies/hadolint/data/hadolint.yaml).
**
** Several configurations (the HADOLINT_* variables the CLI passes as one,
** then the file) merge as hadolint merges its sources: lists concatenate
** (ignored, trustedRegistries, the override lists; when a code is in
** several override lists the most severe wins), label-schema entries add
** up (a later type for the same label wins) and scalars take the last
** value set. The merged state lives in the engine (struct api_hadolint).
*/
#include "internal.h"

#include <stdio.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/buf.h"

struct api_hadolint {
  pm_value *registries; /* [string], every source's, in order */
  pm_value *schema;     /* map of string: label -> type */
  pm_value *levels;     /* map of int: code -> the highest override severity */
  int strict;           /* strict-labels: -1 unset, 0, 1 */
  int threshold;        /* failure-threshold: 0 unset, a severity or POLICY_FAIL_ON_NONE */
  int no_fail;          /* no-fail: -1 unset, 0, 1 */
  bool sets_data;       /* some source named a key of data.hadolint */
};

bool api_hadolint_config_name(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  if (!strcmp(base, "config.yaml") || !strcmp(base, "config.yml")) { /* ~/.hadolint/config.yaml */
    size_t dir = (size_t)(base - path);
    return dir >= 10 && !memcmp(path + dir - 10, ".hadolint/", 10) &&
           (dir == 10 || path[dir - 11] == '/');
  }
  return !strcmp(base, ".hadolint.yaml") || !strcmp(base, ".hadolint.yml") ||
         !strcmp(base, "hadolint.yaml") || !strcmp(base, "hadolint.yml");
}

typedef struct hcfg {
  policy_engine *e;
  struct api_hadolint *h;
  const char *path;
  int status;
} hcfg;

static void hfail(hcfg *c, const pm_value *at, const char *what) {
  if (c->status != POLICY_OK) return;
  c->status = api_fail(c->e, POLICY_ERR_PARSE, "%s:%u:%u: %s", c->path, (unsigned)at->pos.line,
                       (unsigned)at->pos.col, what);
}

static void hwarn(hcfg *c, const pm_value *at, const char *key, const char *why) {
  pol_buf_printf(&c->e->warnings, "%s:%u:%u: %s: %s\n", c->path, (unsigned)at->pos.line,
                 (unsigned)at->pos.col, key, why);
}

static void nomem(hcfg *c) {
  if (c->status == POLICY_OK) c->status = api_fail(c->e, POLICY_ERR_NOMEM, "out of memory");
}

/* The engine's merged state, made on first use. */
static struct api_hadolint *state(policy_engine *e) {
  if (e->hadolint) return e->hadolint;
  struct api_hadolint *h = pol_arena_alloc(&e->data_arena, sizeof *h);
  if (h == NULL) return NULL;
  *h = (struct api_hadolint){pm_arr(&e->data_arena, pm_nopos), pm_map(&e->data_arena, pm_nopos),
                             pm_map(&e->data_arena, pm_nopos), -1, 0, -1, false};
  if (h->registries == NULL || h->schema == NULL || h->levels == NULL) return NULL;
  return e->hadolint = h;
}

/* hadolint's levels onto severities; 0 for another word. */
static int level(const char *name) {
  static const struct { const char *name; int severity; } levels[] = {
      {"error", POLICY_SEVERITY_HIGH}, {"warning", POLICY_SEVERITY_MEDIUM},
      {"info", POLICY_SEVERITY_LOW}, {"style", POLICY_SEVERITY_INFO}};
  for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
    if (!strcmp(name, levels[i].name)) return levels[i].severity;
  return 0;
}

/* Each string of v (a list of strings, or one string alone) to fn; false
** (after hfail with `what`) when v is neither. */
static bool each_string(hcfg *c, const pm_value *v, const char *what,
                        void (*fn)(hcfg *, const pm_value *, void *), void *ud) {
  if (v->type == PM_STR) {
    fn(c, v, ud);
    return true;
  }
  if (v->type != PM_ARR) {
    hfail(c, v, what);
    return false;
  }
  for (size_t i = 0; i < v->u.arr.len && c->status == POLICY_OK; i++) {
    const pm_value *s = v->u.arr.items[i];
    if (s->type != PM_STR || s->u.str.len == 0) hfail(c, s, what);
    else fn(c, s, ud);
  }
  return c->status == POLICY_OK;
}

static void ignore_one(hcfg *c, const pm_value *id, void *ud) {
  (void)ud;
  if (policy_engine_ignore(c->e, id->u.str.s) != POLICY_OK) c->status = POLICY_ERR_NOMEM;
}

static void registry_one(hcfg *c, const pm_value *r, void *ud) {
  (void)ud;
  if (!pm_push(&c->e->data_arena, c->h->registries,
               pm_strn(&c->e->data_arena, r->u.str.s, r->u.str.len, pm_nopos)))
    nomem(c);
}

static void override_one(hcfg *c, const pm_value *code, void *ud) {
  int severity = *(const int *)ud;
  const pm_value *had = pm_getn(c->h->levels, code->u.str.s, code->u.str.len);
  if (had && had->u.i >= severity) return; /* the most severe list wins */
  if (!pm_setn(&c->e->data_arena, c->h->levels, code->u.str.s, code->u.str.len,
               pm_int(&c->e->data_arena, severity, pm_nopos)))
    nomem(c);
}

static void overrides(hcfg *c, const pm_value *v) {
  if (v->type == PM_NULL) return;
  if (v->type != PM_MAP) {
    hfail(c, v, "override must map levels (error, warning, info, style) to lists of rule codes");
    return;
  }
  for (size_t i = 0; i < v->u.obj.len && c->status == POLICY_OK; i++) {
    const pm_member *m = &v->u.obj.items[i];
    int severity = level(m->key);
    if (severity == 0) hwarn(c, m->val, m->key, "not a level of hadolint's override (error, warning, "
                             "info, style); ignored");
    else if (m->val->type != PM_NULL)
      each_string(c, m->val, "an override level takes a list of rule codes (DL3008, SC2086)",
                  override_one, &severity);
  }
}

static void schema(hcfg *c, const pm_value *v) {
  if (v->type == PM_NULL) return;
  if (v->type != PM_MAP) {
    hfail(c, v, "label-schema must map label names to types (text, url, semver, ...)");
    return;
  }
  for (size_t i = 0; i < v->u.obj.len && c->status == POLICY_OK; i++) {
    const pm_member *m = &v->u.obj.items[i];
    if (m->val->type != PM_STR) hfail(c, m->val, "label-schema must map label names to types "
                                      "(text, url, semver, ...)");
    else if (!pm_setn(&c->e->data_arena, c->h->schema, m->key, m->key_len,
                      pm_strn(&c->e->data_arena, m->val->u.str.s, m->val->u.str.len, pm_nopos)))
      nomem(c);
  }
}

static void threshold(hcfg *c, const pm_value *v) {
  if (v->type == PM_STR) {
    int severity = level(v->u.str.s);
    if (severity == 0 && !strcmp(v->u.str.s, "ignore")) severity = POLICY_SEVERITY_INFO;
    if (severity == 0 && !strcmp(v->u.str.s, "none")) severity = POLICY_FAIL_ON_NONE;
    if (severity) {
      c->h->threshold = severity;
      return;
    }
  }
  hfail(c, v, "failure-threshold must be error, warning, info, style, ignore or none");
}

/* A bool into *out; hfail when v is not one. */
static void flag(hcfg *c, const pm_value *v, const char *key, int *out) {
  char what[80];
  snprintf(what, sizeof what, "%s must be true or false", key);
  if (v->type == PM_BOOL) *out = v->u.b;
  else hfail(c, v, what);
}

/* data.hadolint from the merged state: the pack's defaults for what no
** source set. */
static void load_data(hcfg *c) {
  struct api_hadolint *h = c->h;
  pol_buf data = POL_BUF_INIT;
  pol_buf_puts(&data, "{\"hadolint\":{\"trusted_registries\":[");
  for (size_t i = 0; i < h->registries->u.arr.len; i++) {
    const pm_value *r = h->registries->u.arr.items[i];
    if (i) pol_buf_puts(&data, ",");
    pol_buf_put_json_string(&data, r->u.str.s, r->u.str.len);
  }
  pol_buf_puts(&data, "],\"label_schema\":{");
  for (size_t i = 0; i < h->schema->u.obj.len; i++) {
    const pm_member *m = &h->schema->u.obj.items[i];
    if (i) pol_buf_puts(&data, ",");
    pol_buf_put_json_string(&data, m->key, m->key_len);
    pol_buf_puts(&data, ":");
    pol_buf_put_json_string(&data, m->val->u.str.s, m->val->u.str.len);
  }
  pol_buf_printf(&data, "},\"strict_labels\":%s}}", h->strict == 1 ? "true" : "false");
  if (data.oom) nomem(c);
  else c->status = api_load_data_buffer(c->e, "hadolint-config.json", data.data, data.len, false);
  pol_buf_free(&data);
}

int api_hadolint_config_apply(policy_engine *e, const char *path, const pm_value *root) {
  hcfg c = {e, state(e), path, POLICY_OK};
  if (c.h == NULL) return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  if (root->type == PM_NULL) return api_ok(e);
  if (root->type != PM_MAP) {
    hfail(&c, root, "a hadolint configuration must be a mapping");
    return c.status;
  }
  int ignores_off = -1;
  for (size_t i = 0; i < root->u.obj.len && c.status == POLICY_OK; i++) {
    const pm_member *m = &root->u.obj.items[i];
    const char *k = m->key;
    const pm_value *v = m->val;
    if (!strcmp(k, "ignored")) {
      if (v->type != PM_ARR) hfail(&c, v, "ignored must be a list of rule codes (DL3008, SC2086)");
      else each_string(&c, v, "ignored must be a list of rule codes (DL3008, SC2086)", ignore_one, NULL);
    } else if (!strcmp(k, "trustedRegistries")) {
      c.h->sets_data = true;
      each_string(&c, v, "trustedRegistries must be a list of registry names", registry_one, NULL);
    } else if (!strcmp(k, "label-schema")) {
      c.h->sets_data = true;
      schema(&c, v);
    } else if (!strcmp(k, "strict-labels")) {
      c.h->sets_data = true;
      flag(&c, v, k, &c.h->strict);
    } else if (!strcmp(k, "override")) {
      overrides(&c, v);
    } else if (!strcmp(k, "failure-threshold")) {
      threshold(&c, v);
    } else if (!strcmp(k, "no-fail")) {
      flag(&c, v, k, &c.h->no_fail);
    } else if (!strcmp(k, "disable-ignore-pragma")) {
      flag(&c, v, k, &ignores_off);
    } else if (strcmp(k, "format") && strcmp(k, "formats") && strcmp(k, "no-color") &&
               strcmp(k, "verbose")) {
      hwarn(&c, v, k, "not a key of hadolint's configuration; ignored");
    }
  }
  if (c.status != POLICY_OK) return c.status;
  if (ignores_off >= 0) e->hadolint_ignores_off = ignores_off == 1;
  if (c.h->no_fail == 1) e->config_fail_on = POLICY_FAIL_ON_NONE;
  else if (c.h->threshold) e->config_fail_on = c.h->threshold;
  /* Every override again, each code at its highest level: a later source
  ** may have raised one. */
  for (size_t i = 0; i < c.h->levels->u.obj.len && c.status == POLICY_OK; i++) {
    const pm_member *m = &c.h->levels->u.obj.items[i];
    c.status = api_set_severity(e, m->key, (int)m->val->u.i);
  }
  if (c.status == POLICY_OK && c.h->sets_data) load_data(&c);
  return c.status == POLICY_OK ? api_ok(e) : c.status;
}
