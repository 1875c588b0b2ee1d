/*
** config.c: the configuration file (.policy.yaml), applied to an engine.
**
**   limits:
**     instructions: 10000000     # POLICY_LIMIT_INSTRUCTIONS
**     lua_memory: 64M            # POLICY_LIMIT_LUA_MEMORY_BYTES
**     findings: 1000             # POLICY_LIMIT_FINDINGS_PER_RULE
**     log_bytes: 64K, input_bytes: 128M, line_bytes: 65535, model_bytes: 1G
**   builtin: true                # load the built-in pack
**   packs: [hadolint]            # built-in packs to load in its place
**   policies: [org-policies/]    # rule files, folders or packs, relative to the file
**   data: [allowed.yaml]         # data documents, relative to the file
**   ignore:                      # rules to skip, by id or ref, each with
**     - id: image-runs-as-root   # the reason (required) and an optional
**       reason: the entrypoint drops privileges  # expiry date, after
**       expires: 2027-01-31      # which the ignore stops applying
**   exclude: [vendor, "*.tmpl"] # paths a folder walk leaves out (globs)
**   exceptions: [...]            # accepted vulnerabilities (exceptions.c)
**   fail_on: high                # the CLI's --fail-on default (none: never)
**   severity:                    # other severities for rules, by id or
**     DL3008: high               # ref (severity.c; names a rule of a
**                                # larger profile: it runs)
**   profile: strict              # which rules run: default, strict, all
**   admission: {deny_on, mode, rules}  # policy_decide (admission.c)
**
** Unknown keys are errors, at every level, so a typo cannot silently
** disable a setting. An ignore without a reason is an error too: the
** file is where a team records why a check is off.
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
#include "names.h"

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
      {"tool_ms", POLICY_LIMIT_TOOL_MS},
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

/* Appends s to an array of strings in the engine's data arena. */
static bool keep(cfg *c, const char ***list, size_t *n, const char *s) {
  size_t cap = *n; /* the array is always exactly full: grow by one */
  char *copy = pol_arena_strdup(&c->e->data_arena, s);
  if (copy == NULL || !pol_arena_grow(&c->e->data_arena, (void **)list, &cap, *n + 1, sizeof **list)) {
    c->status = api_fail(c->e, POLICY_ERR_NOMEM, "out of memory");
    return false;
  }
  (*list)[(*n)++] = copy;
  return true;
}

/* Remembers where an ignore was written, for policy_engine_check_config. */
static bool keep_ignore(cfg *c, const pm_value *at, const char *id) {
  char place[4200];
  snprintf(place, sizeof place, "%s:%u:%u", c->path, (unsigned)at->pos.line, (unsigned)at->pos.col);
  size_t n = 2 * c->e->nconfig_ignores;
  if (!keep(c, &c->e->config_ignores, &n, id) || !keep(c, &c->e->config_ignores, &n, place))
    return false;
  c->e->nconfig_ignores = n / 2;
  return true;
}

/* A YYYY-MM-DD date that exists (months 1-12, days of the month). */
static bool valid_date(const pm_value *v) {
  if (v->type != PM_STR || v->u.str.len != 10) return false;
  const char *s = v->u.str.s;
  for (int i = 0; i < 10; i++)
    if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) return false;
  int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m >= 1 && m <= 12 && d >= 1 && d <= (m == 2 && !leap ? 28 : days[m - 1]);
}

static void apply_ignores(cfg *c, const pm_value *list) {
  if (list->type != PM_ARR) { cfg_fail(c, list, "ignore must be a list"); return; }
  for (size_t i = 0; i < list->u.arr.len && c->status == POLICY_OK; i++) {
    const pm_value *it = list->u.arr.items[i];
    if (it->type != PM_MAP) {
      cfg_fail(c, it, "an ignore needs a reason: write it as a mapping, `- id: %s` "
               "with `reason: ...` (and optionally `expires: YYYY-MM-DD`) below",
               it->type == PM_STR ? it->u.str.s : "RULE");
      return;
    }
    const pm_value *id = pm_get(it, "id"), *expires = pm_get(it, "expires"),
                   *reason = pm_get(it, "reason");
    for (size_t k = 0; k < it->u.obj.len; k++) {
      const char *key = it->u.obj.items[k].key;
      if (strcmp(key, "id") && strcmp(key, "reason") && strcmp(key, "expires"))
        cfg_fail(c, it->u.obj.items[k].val, "unknown key '%s' in an ignore entry (id, reason, expires)", key);
    }
    if (c->status != POLICY_OK) return;
    if (id == NULL || id->type != PM_STR || id->u.str.len == 0) {
      cfg_fail(c, id ? id : it, "an ignore entry needs `id`: a rule id or ref");
      return;
    }
    if (reason == NULL || reason->type != PM_STR || reason->u.str.len == 0) {
      cfg_fail(c, reason ? reason : it, "the ignore of %s needs a `reason` (why the rule is off)",
               id->u.str.s);
      return;
    }
    if (expires && !valid_date(expires)) {
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
    else keep_ignore(c, id, id->u.str.s);
  }
}

/* packs: names of built-in packs (policy_builtin_pack_name), kept for the
** program to load in place of the default pack. */
static void apply_packs(cfg *c, const pm_value *v) {
  if (v->type != PM_ARR && v->type != PM_STR) {
    cfg_fail(c, v, "packs must be a built-in pack's name or a list of them");
    return;
  }
  size_t count = v->type == PM_STR ? 1 : v->u.arr.len;
  for (size_t i = 0; i < count && c->status == POLICY_OK; i++) {
    const pm_value *n = v->type == PM_STR ? v : v->u.arr.items[i];
    bool known = false;
    for (size_t k = 0; n->type == PM_STR && !known && policy_builtin_pack_name(k); k++)
      known = strcmp(n->u.str.s, policy_builtin_pack_name(k)) == 0;
    if (!known) {
      cfg_fail(c, n, "packs: '%.64s' is not a built-in pack (builtin, hadolint)",
               n->type == PM_STR ? n->u.str.s : "");
      return;
    }
    bool dup = false;
    for (size_t k = 0; k < c->e->nconfig_packs && !dup; k++)
      dup = strcmp(c->e->config_packs[k], n->u.str.s) == 0;
    if (!dup) keep(c, &c->e->config_packs, &c->e->nconfig_packs, n->u.str.s);
  }
}

static void apply_excludes(cfg *c, const pm_value *v) {
  if (v->type == PM_STR) {
    if (v->u.str.len == 0) cfg_fail(c, v, "exclude: an empty pattern");
    else keep(c, &c->e->config_excludes, &c->e->nconfig_excludes, v->u.str.s);
    return;
  }
  if (v->type != PM_ARR) { cfg_fail(c, v, "exclude must be a glob or a list of globs"); return; }
  for (size_t i = 0; i < v->u.arr.len && c->status == POLICY_OK; i++) {
    const pm_value *g = v->u.arr.items[i];
    if (g->type != PM_STR) cfg_fail(c, g, "exclude must be a glob or a list of globs");
    else apply_excludes(c, g);
  }
}

/* severity: {id or ref: info|low|medium|high|critical} */
static void apply_severity(cfg *c, const pm_value *v) {
  if (v->type != PM_MAP) {
    cfg_fail(c, v, "severity must map rule ids or refs to severities (info, low, medium, high, critical)");
    return;
  }
  for (size_t i = 0; i < v->u.obj.len && c->status == POLICY_OK; i++) {
    const pm_member *m = &v->u.obj.items[i];
    int severity = m->val->type == PM_STR ? policy_severity_from_name(m->val->u.str.s) : 0;
    if (m->key_len == 0 || severity == 0)
      cfg_fail(c, m->val, "the severity of '%s' must be info, low, medium, high or critical", m->key);
    else
      c->status = api_set_severity(c->e, m->key, severity);
  }
}

/* With POLICY_HOST_FILES off, a configuration naming rule or data files
** is refused whole, before any of it applies. Returns whether to go on. */
static bool refuse_files(cfg *c, const pm_value *root) {
  const char *why;
  if (root->type != PM_MAP || api_host_allows(c->e, POLICY_HOST_FILES, &why)) return true;
  static const char *const keys[] = {"policies", "data"};
  for (size_t i = 0; i < 2; i++) {
    const pm_value *v = pm_get(root, keys[i]);
    if (v == NULL) continue;
    c->status = api_fail(c->e, POLICY_ERR_INVALID, "%s:%u:%u: %s names files, which are not "
                         "loaded: %s", c->path, (unsigned)v->pos.line, (unsigned)v->pos.col,
                         keys[i], why);
    return false;
  }
  return true;
}

/* A rule file, a folder of them or a pack (folder or archive). */
static int load_policies(policy_engine *e, const char *path) {
  return policy_engine_load_pack_path(e, path, NULL);
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
    else if (!strcmp(m->key, "exclude")) apply_excludes(c, v);
    else if (!strcmp(m->key, "packs")) apply_packs(c, v);
    else if (!strcmp(m->key, "admission")) c->status = api_admission_config(c->e, c->path, v);
    else if (!strcmp(m->key, "builtin")) {
      if (v->type != PM_BOOL) cfg_fail(c, v, "builtin must be true or false");
      else c->e->config_builtin = v->u.b ? 1 : 0;
    } else if (!strcmp(m->key, "fail_on")) {
      if (v->type == PM_STR && !strcmp(v->u.str.s, "none")) c->e->config_fail_on = POLICY_FAIL_ON_NONE;
      else if (v->type != PM_STR || (c->e->config_fail_on = policy_severity_from_name(v->u.str.s)) == 0)
        cfg_fail(c, v, "fail_on must be info, low, medium, high, critical or none");
    } else if (!strcmp(m->key, "severity")) {
      apply_severity(c, v);
    } else if (!strcmp(m->key, "profile")) {
      if (v->type != PM_STR || policy_engine_set_profile(c->e, v->u.str.s) != POLICY_OK)
        cfg_fail(c, v, "profile must be default, strict or all");
    } else if (strcmp(m->key, "policies") && strcmp(m->key, "data")) {
      cfg_fail(c, v, "unknown key '%s' (limits, builtin, packs, policies, data, ignore, exclude, exceptions, fail_on, severity, profile, admission)", m->key);
    }
  }
  /* Policies and data after everything else: ignores and limits first. */
  if (c->status == POLICY_OK && (v = pm_get(root, "policies"))) each_path(c, v, "policies", load_policies);
  if (c->status == POLICY_OK && (v = pm_get(root, "data"))) each_path(c, v, "data", policy_engine_load_data);
}

/* Applies a configuration's text; `path` names it in messages and its
** folder is where relative paths start. */
static int apply_text(policy_engine *e, const char *path, const char *text, size_t len) {
  pol_arena arena = POL_ARENA_INIT;
  pm_load_limits lim = {64, 100000};
  pm_value *root;
  pol_buf err = POL_BUF_INIT;
  int rc = pm_load_yaml(&arena, text, len, &lim, &root, &err);
  if (rc != PM_LOAD_OK) {
    rc = rc == PM_LOAD_NOMEM ? api_fail(e, POLICY_ERR_NOMEM, "out of memory")
                             : api_fail(e, POLICY_ERR_PARSE, "%s:%s", path, err.data ? err.data : "");
  } else {
    cfg c = {e, path, "", &e->warnings, POLICY_OK};
    const char *slash = strrchr(path, '/');
    if (slash) snprintf(c.dir, sizeof c.dir, "%.*s", (int)(slash - path), path);
    if (api_hadolint_config_name(path)) c.status = api_hadolint_config_apply(e, path, root);
    else if (refuse_files(&c, root)) apply(&c, root);
    rc = c.status == POLICY_OK ? api_ok(e) : c.status;
  }
  pol_buf_free(&err);
  pol_arena_free(&arena);
  return rc;
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
  rc = apply_text(e, path, text, len);
  pol_free(text);
  return rc;
}

int policy_engine_load_config_buffer(policy_engine *e, const char *name, const char *text,
                                     size_t len) {
  if (e == NULL || name == NULL || (text == NULL && len > 0))
    return api_fail(e, POLICY_ERR_INVALID, "policy_engine_load_config_buffer: bad argument");
  if (len > CONFIG_MAX_BYTES)
    return api_fail(e, POLICY_ERR_LIMIT, "%s: larger than the limit of %u bytes (a fixed limit "
                    "for configuration files)", name, CONFIG_MAX_BYTES);
  return apply_text(e, name, text ? text : "", len);
}

int policy_engine_config_fail_on(const policy_engine *e) {
  return e ? e->config_fail_on : 0;
}

int policy_engine_config_builtin(const policy_engine *e) {
  return e ? e->config_builtin : -1;
}

const char *policy_engine_config_pack(const policy_engine *e, size_t index) {
  return e && index < e->nconfig_packs ? e->config_packs[index] : NULL;
}

const char *policy_engine_config_exclude(const policy_engine *e, size_t index) {
  return e && index < e->nconfig_excludes ? e->config_excludes[index] : NULL;
}

size_t policy_engine_check_config(policy_engine *e) {
  size_t unknown = 0;
  for (size_t i = 0; e && i < e->nconfig_ignores; i++) {
    const char *id = e->config_ignores[2 * i], *place = e->config_ignores[2 * i + 1];
    if (api_rule_named(e, id) != SIZE_MAX) continue;
    pol_buf_printf(&e->warnings, "%s: the ignore of '%s' names no loaded rule, neither by id "
                   "nor by ref (see policy rules)\n", place, id);
    unknown++;
  }
  return unknown;
}

const char *policy_engine_warnings(const policy_engine *e) {
  return e && e->warnings.data && !e->warnings.oom ? e->warnings.data : "";
}
