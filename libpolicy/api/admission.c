/*
** admission.c: what policy_decide does with a finding: the severity from
** which findings deny, the action set per rule, the global mode, and the
** `admission:` mapping of a configuration file:
**
**   admission:
**     deny_on: high             # findings at or above deny, below warn
**     mode: enforce             # enforce | warn | audit (a dry run)
**     rules:                    # per rule, by id or ref
**       container-privileged: enforce
**       image-not-pinned-by-digest: audit
**       DL3002: warn
**
** Order of precedence for one finding: the rule's own action (the last
** setting that names it), else the threshold; then the mode: `warn`
** turns enforce into warn, `audit` turns everything into audit.
*/
#include <stdio.h>
#include <string.h>

#include "../core/alloc.h"
#include "internal.h"

const char *policy_action_name(int action) {
  switch (action) {
  case POLICY_ACTION_ENFORCE: return "enforce";
  case POLICY_ACTION_WARN: return "warn";
  case POLICY_ACTION_AUDIT: return "audit";
  default: return NULL;
  }
}

int policy_action_from_name(const char *name) {
  for (int a = POLICY_ACTION_ENFORCE; name && a <= POLICY_ACTION_AUDIT; a++)
    if (!strcmp(name, policy_action_name(a))) return a;
  return 0;
}

int policy_engine_set_deny_on(policy_engine *e, int severity) {
  if (e == NULL || policy_severity_name(severity) == NULL)
    return api_fail(e, POLICY_ERR_INVALID, "policy_engine_set_deny_on: not a policy_severity");
  e->deny_on = severity;
  return api_ok(e);
}

int policy_engine_deny_on(const policy_engine *e) {
  return e == NULL ? 0 : e->deny_on ? e->deny_on : POLICY_SEVERITY_HIGH;
}

int policy_engine_set_admission_mode(policy_engine *e, int mode) {
  if (e == NULL || policy_action_name(mode) == NULL)
    return api_fail(e, POLICY_ERR_INVALID, "policy_engine_set_admission_mode: not a policy_action");
  e->admission_mode = mode;
  return api_ok(e);
}

int policy_engine_admission_mode(const policy_engine *e) {
  return e == NULL ? 0 : e->admission_mode ? e->admission_mode : POLICY_ACTION_ENFORCE;
}

int policy_engine_set_rule_action(policy_engine *e, const char *id_or_ref, int action) {
  if (e == NULL || id_or_ref == NULL || *id_or_ref == '\0' || policy_action_name(action) == NULL)
    return api_fail(e, POLICY_ERR_INVALID, "policy_engine_set_rule_action: bad argument");
  size_t n = e->nactions, cap = n; /* both arrays are always exactly full */
  char *name = pol_arena_strdup(&e->data_arena, id_or_ref);
  if (name == NULL ||
      !pol_arena_grow(&e->data_arena, (void **)&e->action_names, &cap, n + 1, sizeof *e->action_names))
    return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  cap = n;
  if (!pol_arena_grow(&e->data_arena, (void **)&e->actions, &cap, n + 1, sizeof *e->actions))
    return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  e->action_names[n] = name;
  e->actions[n] = action;
  e->nactions = n + 1;
  return api_ok(e);
}

int api_admission_action(const policy_engine *e, size_t index, int severity) {
  int action = 0;
  for (size_t i = e->nactions; i-- > 0 && action == 0;)
    if (eng_rule_matches(e->rules[index], e->action_names[i])) action = e->actions[i];
  if (action == 0)
    action = severity >= policy_engine_deny_on(e) ? POLICY_ACTION_ENFORCE : POLICY_ACTION_WARN;
  int mode = policy_engine_admission_mode(e);
  if (mode == POLICY_ACTION_AUDIT) return POLICY_ACTION_AUDIT;
  if (mode == POLICY_ACTION_WARN && action == POLICY_ACTION_ENFORCE) return POLICY_ACTION_WARN;
  return action;
}

/* ---- the configuration's `admission:` -------------------------------------- */

static int config_fail(policy_engine *e, const char *path, const pm_value *at, const char *what) {
  return api_fail(e, POLICY_ERR_PARSE, "%s:%u:%u: %s", path, (unsigned)at->pos.line,
                  (unsigned)at->pos.col, what);
}

static int config_rules(policy_engine *e, const char *path, const pm_value *rules) {
  if (rules->type != PM_MAP)
    return config_fail(e, path, rules, "admission.rules must be a mapping of rule ids or refs "
                       "to enforce, warn or audit");
  for (size_t i = 0; i < rules->u.obj.len; i++) {
    const pm_member *m = &rules->u.obj.items[i];
    int action = m->val->type == PM_STR ? policy_action_from_name(m->val->u.str.s) : 0;
    if (action == 0) {
      char msg[400];
      snprintf(msg, sizeof msg, "admission.rules.%.200s must be enforce, warn or audit", m->key);
      return config_fail(e, path, m->val, msg);
    }
    int rc = policy_engine_set_rule_action(e, m->key, action);
    if (rc != POLICY_OK) return rc;
  }
  return POLICY_OK;
}

int api_admission_config(policy_engine *e, const char *path, const pm_value *v) {
  if (v->type != PM_MAP)
    return config_fail(e, path, v, "admission must be a mapping (deny_on, mode, rules)");
  int rc = POLICY_OK;
  for (size_t i = 0; i < v->u.obj.len && rc == POLICY_OK; i++) {
    const pm_member *m = &v->u.obj.items[i];
    const char *s = m->val->type == PM_STR ? m->val->u.str.s : "";
    if (!strcmp(m->key, "deny_on")) {
      int sev = policy_severity_from_name(s);
      rc = sev ? policy_engine_set_deny_on(e, sev)
               : config_fail(e, path, m->val, "admission.deny_on must be info, low, medium, "
                             "high or critical");
    } else if (!strcmp(m->key, "mode")) {
      int mode = policy_action_from_name(s);
      rc = mode ? policy_engine_set_admission_mode(e, mode)
                : config_fail(e, path, m->val, "admission.mode must be enforce, warn or audit");
    } else if (!strcmp(m->key, "rules")) {
      rc = config_rules(e, path, m->val);
    } else {
      char msg[300];
      snprintf(msg, sizeof msg, "unknown key '%.100s' in admission (deny_on, mode, rules)", m->key);
      rc = config_fail(e, path, m->val, msg);
    }
  }
  return rc;
}
