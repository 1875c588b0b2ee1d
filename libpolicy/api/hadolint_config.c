/*
** hadolint_config.c: a hadolint configuration (.hadolint.yaml) read by
** policy_engine_load_config as hadolint reads it (docs/hadolint.md).
**
**   ignored: [DL3008, SC2086]        -> ignores, by id or ref
**   trustedRegistries: [docker.io]   -> data.hadolint.trusted_registries
**   label-schema: {owner: text}      -> data.hadolint.label_schema
**   strict-labels: true              -> data.hadolint.strict_labels
**   failure-threshold: warning       -> the configuration's fail-on
**                                       (error high, warning medium,
**                                       info low, style info)
**
** Keys about presentation (format, no-color, verbose) are hadolint's
** command line's and are accepted silently; the others hadolint has and
** this library does not apply (override, no-fail, disable-ignore-pragma)
** are warnings, as is a key hadolint does not know. The settings reach
** the hadolint pack's rules through `data`, replacing the pack's
** defaults (policies/hadolint/data/hadolint.yaml).
*/
#include "internal.h"

#include <string.h>

#include "../core/alloc.h"
#include "../core/buf.h"

bool api_hadolint_config_name(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  return !strcmp(base, ".hadolint.yaml") || !strcmp(base, ".hadolint.yml") ||
         !strcmp(base, "hadolint.yaml") || !strcmp(base, "hadolint.yml");
}

typedef struct hcfg {
  policy_engine *e;
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

/* A list of strings as JSON into b; false (after hfail with `what`) when
** it is not. */
static bool json_strings(hcfg *c, pol_buf *b, const pm_value *v, const char *what) {
  if (v->type == PM_STR) { /* one name alone, as a list of one */
    pol_buf_puts(b, "[");
    pol_buf_put_json_string(b, v->u.str.s, v->u.str.len);
    pol_buf_puts(b, "]");
    return true;
  }
  if (v->type != PM_ARR) {
    hfail(c, v, what);
    return false;
  }
  pol_buf_puts(b, "[");
  for (size_t i = 0; i < v->u.arr.len; i++) {
    const pm_value *s = v->u.arr.items[i];
    if (s->type != PM_STR) {
      hfail(c, s, what);
      return false;
    }
    if (i) pol_buf_puts(b, ",");
    pol_buf_put_json_string(b, s->u.str.s, s->u.str.len);
  }
  pol_buf_puts(b, "]");
  return true;
}

static void ignores(hcfg *c, const pm_value *v) {
  if (v->type != PM_ARR) {
    hfail(c, v, "ignored must be a list of rule codes (DL3008, SC2086)");
    return;
  }
  for (size_t i = 0; i < v->u.arr.len && c->status == POLICY_OK; i++) {
    const pm_value *id = v->u.arr.items[i];
    if (id->type != PM_STR || id->u.str.len == 0)
      hfail(c, id, "ignored must be a list of rule codes (DL3008, SC2086)");
    else if (policy_engine_ignore(c->e, id->u.str.s) != POLICY_OK)
      c->status = POLICY_ERR_NOMEM;
  }
}

static void threshold(hcfg *c, const pm_value *v) {
  static const struct { const char *name; int severity; } levels[] = {
      {"error", POLICY_SEVERITY_HIGH}, {"warning", POLICY_SEVERITY_MEDIUM},
      {"info", POLICY_SEVERITY_LOW}, {"style", POLICY_SEVERITY_INFO}};
  if (v->type == PM_STR) {
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
      if (!strcmp(v->u.str.s, levels[i].name)) {
        c->e->config_fail_on = levels[i].severity;
        return;
      }
    if (!strcmp(v->u.str.s, "none")) {
      hwarn(c, v, "failure-threshold", "none is not supported: findings still fail at the "
            "default threshold (high)");
      return;
    }
  }
  hfail(c, v, "failure-threshold must be error, warning, info, style or none");
}

int api_hadolint_config_apply(policy_engine *e, const char *path, const pm_value *root) {
  hcfg c = {e, path, POLICY_OK};
  if (root->type == PM_NULL) return api_ok(e);
  if (root->type != PM_MAP) {
    hfail(&c, root, "a hadolint configuration must be a mapping");
    return c.status;
  }
  /* data.hadolint, whole, when the file sets any of it: the pack's
  ** defaults for the keys not given. */
  const pm_value *tr = pm_get(root, "trustedRegistries"), *schema = pm_get(root, "label-schema"),
                 *strict = pm_get(root, "strict-labels");
  bool sets_data = tr || schema || strict;
  pol_buf data = POL_BUF_INIT;
  pol_buf_puts(&data, "{\"hadolint\":{\"trusted_registries\":");
  if (tr == NULL) pol_buf_puts(&data, "[]");
  else json_strings(&c, &data, tr, "trustedRegistries must be a list of registry names");
  pol_buf_puts(&data, ",\"label_schema\":{");
  if (schema && schema->type != PM_MAP)
    hfail(&c, schema, "label-schema must map label names to types (text, url, semver, ...)");
  for (size_t i = 0; schema && schema->type == PM_MAP && i < schema->u.obj.len; i++) {
    const pm_member *m = &schema->u.obj.items[i];
    if (m->val->type != PM_STR) {
      hfail(&c, m->val, "label-schema must map label names to types (text, url, semver, ...)");
      break;
    }
    if (i) pol_buf_puts(&data, ",");
    pol_buf_put_json_string(&data, m->key, m->key_len);
    pol_buf_puts(&data, ":");
    pol_buf_put_json_string(&data, m->val->u.str.s, m->val->u.str.len);
  }
  if (strict && strict->type != PM_BOOL) hfail(&c, strict, "strict-labels must be true or false");
  pol_buf_printf(&data, "},\"strict_labels\":%s}}",
                 strict && strict->type == PM_BOOL && strict->u.b ? "true" : "false");
  for (size_t i = 0; i < root->u.obj.len && c.status == POLICY_OK; i++) {
    const pm_member *m = &root->u.obj.items[i];
    if (!strcmp(m->key, "ignored")) ignores(&c, m->val);
    else if (!strcmp(m->key, "failure-threshold")) threshold(&c, m->val);
    else if (!strcmp(m->key, "trustedRegistries") || !strcmp(m->key, "label-schema") ||
             !strcmp(m->key, "strict-labels") || !strcmp(m->key, "format") ||
             !strcmp(m->key, "no-color") || !strcmp(m->key, "verbose"))
      continue;
    else if (!strcmp(m->key, "override") || !strcmp(m->key, "no-fail") ||
             !strcmp(m->key, "disable-ignore-pragma"))
      hwarn(&c, m->val, m->key, "not supported yet; the setting is not applied");
    else
      hwarn(&c, m->val, m->key, "not a key of hadolint's configuration; ignored");
  }
  if (c.status == POLICY_OK && data.oom) c.status = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  if (c.status == POLICY_OK && sets_data)
    c.status = api_load_data_buffer(e, "hadolint-config.json", data.data, data.len, false);
  pol_buf_free(&data);
  return c.status == POLICY_OK ? api_ok(e) : c.status;
}
