/*
** config.c: the configuration file (.policy.yaml), applied to an engine.
**
**   limits:
**     instructions: 10000000     # POLICY_LIMIT_INSTRUCTIONS
**     lua_memory: 64M            # POLICY_LIMIT_LUA_MEMORY_BYTES
**     findings: 1000             # POLICY_LIMIT_FINDINGS_PER_RULE
**     log_bytes: 64K, input_bytes: 128M, line_bytes: 65535, model_bytes: 1G
**   builtin: true                # load the built-in pack
**   policies: [org-policies/]    # rule files or folders, relative to the file
**   data: [allowed.yaml]         # data documents, relative to the file
**   ignore:                      # rules to skip, by id or ref
**     - DL3008
**     - id: image-runs-as-root
**       reason: the entrypoint drops privileges
**       expires: 2027-01-31      # after this date the ignore stops applying
**   exceptions: [...]            # accepted vulnerabilities (exceptions.c)
**   fail_on: high                # the CLI's --fail-on default
**
** Unknown keys are errors, so a typo cannot silently disable a setting.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/alloc.h"
#include "../model/load.h"
#include "exceptions.h"
#include "internal.h"

#define CONFIG_MAX_BYTES (1u << 20)

typedef struct cfg {
  policy_engine *e;
  const char *path;
  char dir[4096];       /* the file's folder, for relative paths */
  pol_buf *warnings;
  int status;
} cfg;

static int cfg_fail(cfg *c, const pm_value *at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Records "file:line:col: message" as the engine's error. */
static int cfg_fail(cfg *c, const pm_value *at, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  c->status = api_fail(c->e, POLICY_ERR_PARSE, "%s:%u:%u: %s", c->path,
                       (unsigned)at->pos.line, (unsigned)at->pos.col, msg);
  return c->status;
}

/* A size: a non-negative integer, or a string like 64K, 16M, 1G. */
static bool size_value(const pm_value *v, uint64_t *out) {
  if (v->type == PM_INT && v->u.i > 0) { *out = (uint64_t)v->u.i; return true; }
  if (v->type != PM_STR || v->u.str.len == 0) return false;
  char *end;
  unsigned long long n = strtoull(v->u.str.s, &end, 10);
  uint64_t mult = *end == 'K' ? 1024u : *end == 'M' ? 1024u * 1024 : *end == 'G' ? 1024ull << 20 : 1;
  if (mult != 1) end++;
  if (end == v->u.str.s || *end != '\0' || n == 0) return false;
  *out = n * mult;
  return true;
}

static void apply_limits(cfg *c, const pm_value *limits) {
  static const struct { const char *key; int limit; } keys[] = {
      {"instructions", POLICY_LIMIT_INSTRUCTIONS},
      {"lua_memory", POLICY_LIMIT_LUA_MEMORY_BYTES},
      {"findings", POLICY_LIMIT_FINDINGS_PER_RULE},
      {"log_bytes", POLICY_LIMIT_LOG_BYTES},
      {"time_ms", POLICY_LIMIT_TIME_MS},
      {"input_bytes", POLICY_LIMIT_INPUT_BYTES},
      {"line_bytes", POLICY_LIMIT_LINE_BYTES},
      {"model_bytes", POLICY_LIMIT_MODEL_BYTES}};
  if (limits->type != PM_MAP) { cfg_fail(c, limits, "limits must be a mapping"); return; }
  for (size_t i = 0; i < limits->u.obj.len && c->status == POLICY_OK; i++) {
    const pm_member *m = &limits->u.obj.items[i];
    int which = 0;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
      if (!strcmp(m->key, keys[k].key)) which = keys[k].limit;
    uint64_t v;
    if (which == 0) cfg_fail(c, m->val, "unknown limit '%s'", m->key);
    else if (!size_value(m->val, &v)) cfg_fail(c, m->val, "limits.%s must be a positive number (64K, 16M, 1G allowed)", m->key);
    else if (policy_engine_set_limit(c->e, which, v) != POLICY_OK) c->status = POLICY_ERR_INVALID;
  }
}

/* Joins a path from the file with the file's folder. */
static void resolve(cfg *c, const char *p, char *out, size_t size) {
  if (p[0] == '/' || c->dir[0] == '\0') snprintf(out, size, "%s", p);
  else snprintf(out, size, "%s/%s", c->dir, p);
}

static void each_path(cfg *c, const pm_value *list, const char *key,
                      int (*load)(policy_engine *, const char *)) {
  if (list->type == PM_STR) {
    char full[8192];
    resolve(c, list->u.str.s, full, sizeof full);
    int rc = load(c->e, full);
    if (rc != POLICY_OK) c->status = rc; /* its own status: NOMEM stays NOMEM */
    return;
  }
  if (list->type != PM_ARR) { cfg_fail(c, list, "%s must be a path or a list of paths", key); return; }
  for (size_t i = 0; i < list->u.arr.len && c->status == POLICY_OK; i++)
    each_path(c, list->u.arr.items[i], key, load);
}

/* True when an ISO date (YYYY-MM-DD) is before today. */
static bool expired(const char *date) {
  time_t now = time(NULL);
  struct tm tm;
  char today[16];
  if (gmtime_r(&now, &tm) == NULL) return false;
  strftime(today, sizeof today, "%Y-%m-%d", &tm);
  return strcmp(date, today) < 0;
}

static void apply_ignores(cfg *c, const pm_value *list) {
  if (list->type != PM_ARR) { cfg_fail(c, list, "ignore must be a list"); return; }
  for (size_t i = 0; i < list->u.arr.len && c->status == POLICY_OK; i++) {
    const pm_value *it = list->u.arr.items[i], *id = it, *expires = NULL;
    if (it->type == PM_MAP) {
      id = pm_get(it, "id");
      expires = pm_get(it, "expires");
      for (size_t k = 0; k < it->u.obj.len; k++) {
        const char *key = it->u.obj.items[k].key;
        if (strcmp(key, "id") && strcmp(key, "reason") && strcmp(key, "expires"))
          cfg_fail(c, it->u.obj.items[k].val, "unknown key '%s' in an ignore entry (id, reason, expires)", key);
      }
    }
    if (c->status != POLICY_OK) return;
    if (id == NULL || id->type != PM_STR) { cfg_fail(c, it, "an ignore entry needs a rule id or ref"); return; }
    if (expires && (expires->type != PM_STR || expires->u.str.len != 10)) {
      cfg_fail(c, expires, "expires must be a date written YYYY-MM-DD");
      return;
    }
    if (expires && expired(expires->u.str.s)) {
      pol_buf_printf(c->warnings, "%s:%u:%u: the ignore of %s expired on %s; it no longer applies\n",
                  c->path, (unsigned)it->pos.line, (unsigned)it->pos.col, id->u.str.s,
                  expires->u.str.s);
      continue;
    }
    if (policy_engine_ignore(c->e, id->u.str.s) != POLICY_OK) c->status = POLICY_ERR_NOMEM;
  }
}

static void apply(cfg *c, const pm_value *root) {
  if (root->type == PM_NULL) return;
  if (root->type != PM_MAP) { cfg_fail(c, root, "the configuration must be a mapping"); return; }
  const pm_value *v;
  for (size_t i = 0; i < root->u.obj.len && c->status == POLICY_OK; i++) {
    const pm_member *m = &root->u.obj.items[i];
    v = m->val;
    if (!strcmp(m->key, "limits")) apply_limits(c, v);
    else if (!strcmp(m->key, "ignore")) apply_ignores(c, v);
    else if (!strcmp(m->key, "exceptions")) c->status = api_exceptions_load(c->e, c->path, v, c->warnings);
    else if (!strcmp(m->key, "builtin")) {
      if (v->type != PM_BOOL) cfg_fail(c, v, "builtin must be true or false");
      else c->e->config_builtin = v->u.b ? 1 : 0;
    } else if (!strcmp(m->key, "fail_on")) {
      if (v->type != PM_STR || (c->e->config_fail_on = policy_severity_from_name(v->u.str.s)) == 0)
        cfg_fail(c, v, "fail_on must be info, low, medium, high or critical");
    } else if (strcmp(m->key, "policies") && strcmp(m->key, "data")) {
      cfg_fail(c, v, "unknown key '%s' (limits, builtin, policies, data, ignore, exceptions, fail_on)", m->key);
    }
  }
  /* Policies and data after everything else: ignores and limits first. */
  if (c->status == POLICY_OK && (v = pm_get(root, "policies"))) each_path(c, v, "policies", policy_engine_load_rules);
  if (c->status == POLICY_OK && (v = pm_get(root, "data"))) each_path(c, v, "data", policy_engine_load_data);
}

int policy_engine_load_config(policy_engine *e, const char *path) {
  if (e == NULL || path == NULL) return api_fail(e, POLICY_ERR_INVALID, "no configuration file named");
  char *text;
  size_t len;
  /* Never a FIFO or device: .policy.yaml is found by walking up from the
  ** working directory, so whatever sits there must not hang or flood us. */
  int rc = api_read_named(e, path, CONFIG_MAX_BYTES, "(a fixed limit for configuration files)",
                          &text, &len);
  if (rc != POLICY_OK) return rc;
  pol_arena arena = POL_ARENA_INIT;
  pm_load_limits lim = {64, 100000};
  pm_value *root;
  pol_buf err = POL_BUF_INIT;
  rc = pm_load_yaml(&arena, text, len, &lim, &root, &err);
  pol_free(text);
  if (rc != PM_LOAD_OK) {
    rc = rc == PM_LOAD_NOMEM ? api_fail(e, POLICY_ERR_NOMEM, "out of memory")
                             : api_fail(e, POLICY_ERR_PARSE, "%s:%s", path, err.data ? err.data : "");
  } else {
    cfg c = {e, path, "", &e->warnings, POLICY_OK};
    const char *slash = strrchr(path, '/');
    if (slash) snprintf(c.dir, sizeof c.dir, "%.*s", (int)(slash - path), path);
    apply(&c, root);
    rc = c.status == POLICY_OK ? api_ok(e) : c.status;
  }
  pol_buf_free(&err);
  pol_arena_free(&arena);
  return rc;
}

int policy_engine_config_fail_on(const policy_engine *e) {
  return e ? e->config_fail_on : 0;
}

int policy_engine_config_builtin(const policy_engine *e) {
  return e ? e->config_builtin : -1;
}

const char *policy_engine_warnings(const policy_engine *e) {
  return e && e->warnings.data && !e->warnings.oom ? e->warnings.data : "";
}
