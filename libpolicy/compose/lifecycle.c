/*
** lifecycle.c: `healthcheck`, `restart` (and `deploy.restart_policy`,
** which wins when both are set, as in docker compose) and `logging` of a
** service.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "norm.h"

static const char *const health_keys[] = {"disable", "interval", "retries", "test",
                                          "timeout", "start_period", "start_interval",
                                          NULL};
static const char *const policy_keys[] = {"condition", "delay", "max_attempts", "window",
                                          NULL};
static const char *const logging_keys[] = {"driver", "options", NULL};

static void healthcheck(cmp_svc *s) {
  const pm_value *v = pm_get(s->src, "healthcheck");
  if (v == NULL || v->type == PM_NULL) return;
  if (v->type != PM_MAP) {
    cmp_svc_error(s, v, "healthcheck", " must be a mapping");
    return;
  }
  cmp_check_keys(s, v, "healthcheck", health_keys);
  pm_value *hc = pm_b_obj(s->pm, PM_SCHEMA_HEALTHCHECK, v->pos);
  if (hc == NULL) { s->c->pm.oom = true; return; }
  const pm_value *test = pm_get(v, "test");
  pm_value *t = NULL;
  if (test && test->type == PM_STR) {
    t = pm_b_arr(s->pm, test->pos);
    pm_b_push(s->pm, t, pm_b_str(s->pm, "CMD-SHELL", test->pos));
    pm_b_push(s->pm, t, cmp_read_string(s, test, "healthcheck.test"));
  } else if (test && test->type == PM_ARR) {
    t = cmp_read_strings(s, test, "healthcheck.test", false);
    const pm_value *first = t && t->u.arr.len ? t->u.arr.items[0] : NULL;
    if (first && first->type == PM_STR && strcmp(first->u.str.s, "CMD") &&
        strcmp(first->u.str.s, "CMD-SHELL") && strcmp(first->u.str.s, "NONE"))
      cmp_svc_error(s, test, "healthcheck.test",
                    " must start either by \"CMD\", \"CMD-SHELL\" or \"NONE\"");
    if (t && t->u.arr.len == 0) t = NULL;
  } else if (test && test->type != PM_NULL) {
    cmp_svc_error(s, test, "healthcheck.test", " must be a string or a list");
  }
  const pm_value *dis = pm_get(v, "disable");
  pm_value *d = dis ? cmp_read_bool(s, dis, "healthcheck.disable") : NULL;
  bool disabled = d && d->type == PM_BOOL && d->u.b;
  if (disabled) {
    t = pm_b_arr(s->pm, dis->pos);
    pm_b_push(s->pm, t, pm_b_str(s->pm, "NONE", dis->pos));
  }
  const pm_value *first = t && t->u.arr.len ? t->u.arr.items[0] : NULL;
  disabled |= first && first->type == PM_STR && !strcmp(first->u.str.s, "NONE");
  pm_b_set(s->pm, hc, "test", t ? t : pm_b_null(s->pm, pm_nopos));
  pm_b_set(s->pm, hc, "disabled", pm_b_bool(s->pm, disabled, d ? d->pos : v->pos));
  static const char *const durations[] = {"interval", "timeout", "start_period",
                                          "start_interval"};
  char field[48];
  for (size_t i = 0; i < sizeof durations / sizeof durations[0]; i++) {
    snprintf(field, sizeof field, "healthcheck.%s", durations[i]);
    pm_b_set(s->pm, hc, durations[i], cmp_read_duration(s, pm_get(v, durations[i]), field));
  }
  pm_b_set(s->pm, hc, "retries", cmp_read_int(s, pm_get(v, "retries"), "healthcheck.retries"));
  pm_b_set(s->pm, s->ctr, "healthcheck", hc);
}

static void set_restart(cmp_svc *s, const char *policy, pm_value *retries, pm_pos pos) {
  pm_value *r = pm_b_obj(s->pm, PM_SCHEMA_RESTART, pos);
  if (r == NULL) { s->c->pm.oom = true; return; }
  pm_b_set(s->pm, r, "policy", pm_b_str(s->pm, policy, pos));
  pm_b_set(s->pm, r, "max_retries", retries ? retries : pm_b_null(s->pm, pos));
  pm_b_set(s->pm, s->ctr, "restart", r);
}

static void restart(cmp_svc *s) {
  const pm_value *v = pm_get(s->src, "restart");
  pm_value *r = v ? cmp_read_string(s, v, "restart") : NULL;
  if (r && r->type == PM_STR && !cmp_unknown(s, r)) {
    const char *t = r->u.str.s;
    if (!strcmp(t, "no") || !strcmp(t, "always") || !strcmp(t, "unless-stopped")) {
      set_restart(s, t, NULL, v->pos);
    } else if (!strncmp(t, "on-failure", 10) && (t[10] == '\0' || t[10] == ':')) {
      pm_value *n = NULL;
      if (t[10] == ':') {
        char *end;
        long long k = strtoll(t + 11, &end, 10);
        if (t[11] == '\0' || *end != '\0' || k < 0)
          cmp_svc_error(s, v, "restart", "invalid restart policy: %.100s", t);
        else n = pm_b_int(s->pm, k, v->pos);
      }
      set_restart(s, "on-failure", n, v->pos);
    } else {
      cmp_svc_error(s, v, "restart", "invalid restart policy: %.100s", t);
    }
  }
  const pm_value *deploy = pm_get(s->src, "deploy");
  const pm_value *rp = deploy && deploy->type == PM_MAP ? pm_get(deploy, "restart_policy") : NULL;
  if (rp == NULL || rp->type == PM_NULL) return;
  if (rp->type != PM_MAP) {
    cmp_svc_error(s, rp, "deploy.restart_policy", " must be a mapping");
    return;
  }
  cmp_check_keys(s, rp, "deploy.restart_policy", policy_keys);
  const pm_value *cond = pm_get(rp, "condition");
  pm_value *cv = cond ? cmp_read_string(s, cond, "deploy.restart_policy.condition") : NULL;
  const char *policy = "always";   /* the default condition is "any" */
  if (cv && cv->type == PM_STR && !cmp_unknown(s, cv)) {
    const char *t = cv->u.str.s;
    if (!strcmp(t, "none")) policy = "no";
    else if (!strcmp(t, "on-failure")) policy = "on-failure";
    else if (strcmp(t, "any")) {
      cmp_svc_error(s, cond, "deploy.restart_policy.condition",
                    " must be one of \"none\", \"on-failure\", \"any\"");
      return;
    }
  } else if (cv && cv->type == PM_STR) {
    return;
  }
  pm_value *max = cmp_read_int(s, pm_get(rp, "max_attempts"), "deploy.restart_policy.max_attempts");
  const pm_value *delay = pm_get(rp, "delay"), *window = pm_get(rp, "window");
  if (delay) cmp_read_duration(s, delay, "deploy.restart_policy.delay");
  if (window) cmp_read_duration(s, window, "deploy.restart_policy.window");
  set_restart(s, policy, max && max->type == PM_INT ? max : NULL, rp->pos);
}

static void logging(cmp_svc *s) {
  const pm_value *v = pm_get(s->src, "logging");
  if (v == NULL || v->type == PM_NULL) return;
  if (v->type != PM_MAP) {
    cmp_svc_error(s, v, "logging", " must be a mapping");
    return;
  }
  cmp_check_keys(s, v, "logging", logging_keys);
  pm_value *l = pm_b_obj(s->pm, PM_SCHEMA_LOGGING, v->pos);
  if (l == NULL) { s->c->pm.oom = true; return; }
  pm_b_set(s->pm, l, "driver", cmp_read_string(s, pm_get(v, "driver"), "logging.driver"));
  const pm_value *opts = pm_get(v, "options");
  if (opts && opts->type != PM_MAP && opts->type != PM_NULL) {
    cmp_svc_error(s, opts, "logging.options", " must be a mapping");
    opts = NULL;
  }
  pm_b_set(s->pm, l, "options", cmp_read_dict(s, opts, "logging.options"));
  pm_b_set(s->pm, s->ctr, "logging", l);
}

void cmp_svc_lifecycle(cmp_svc *s) {
  healthcheck(s);
  restart(s);
  logging(s);
}
