/*
** resources.c: memory, CPU and PID limits (service attributes and
** `deploy.resources`), ulimits and sysctls of a service.
**
** When both a service attribute and its `deploy.resources` counterpart
** are set, the deploy value is used (as docker compose does when it
** creates the container); two different non-zero values are an error,
** as in compose-go.
*/
#include <string.h>

#include "norm.h"

static const char *const deploy_keys[] = {"mode", "endpoint_mode", "replicas", "labels",
                                          "rollback_config", "update_config", "resources",
                                          "restart_policy", "placement", NULL};
static const char *const resources_keys[] = {"limits", "reservations", NULL};
static const char *const limits_keys[] = {"cpus", "memory", "pids", NULL};
static const char *const reservations_keys[] = {"cpus", "memory", "generic_resources",
                                                "devices", NULL};
static const char *const ulimit_keys[] = {"soft", "hard", NULL};

/* A mapping under `parent` (NULL when absent or not a mapping: an error). */
static const pm_value *sub_map(cmp_svc *s, const pm_value *parent, const char *key,
                               const char *field, const char *const *keys) {
  const pm_value *v = parent && parent->type == PM_MAP ? pm_get(parent, key) : NULL;
  if (v == NULL || v->type == PM_NULL) return NULL;
  if (v->type != PM_MAP) {
    cmp_svc_error(s, v, field, " must be a mapping");
    return NULL;
  }
  cmp_check_keys(s, v, field, keys);
  return v;
}

static bool nonzero(const pm_value *v) {
  return v && ((v->type == PM_INT && v->u.i != 0) || (v->type == PM_NUM && v->u.n != 0));
}

static bool differ(const pm_value *a, const pm_value *b) {
  double x = a->type == PM_INT ? (double)a->u.i : a->u.n;
  double y = b->type == PM_INT ? (double)b->u.i : b->u.n;
  return x != y;
}

/* Sets resources.<model> from the attribute, or the deploy value. */
static void limit(cmp_svc *s, const char *model, const char *attr, const pm_value *deploy,
                  const char *deploy_key, const char *deploy_field,
                  pm_value *(*read)(cmp_svc *, const pm_value *, const char *)) {
  pm_value *res = pm_get(s->ctr, "resources");
  const pm_value *a = pm_get(s->src, attr);
  pm_value *av = a ? read(s, a, attr) : NULL;
  const pm_value *d = deploy ? pm_get(deploy, deploy_key) : NULL;
  pm_value *dv = d ? read(s, d, deploy_field) : NULL;
  if (nonzero(av) && nonzero(dv) && differ(av, dv))
    cmp_svc_error(s, d, NULL, "can't set distinct values on '%s' and '%s'", attr, deploy_field);
  pm_value *v = nonzero(dv) || (dv && dv->type != PM_NULL && !av) ? dv : av;
  if (v) pm_b_set(s->pm, res, model, v);
}

static void ulimits(cmp_svc *s) {
  const pm_value *v = pm_get(s->src, "ulimits");
  if (v == NULL || v->type == PM_NULL) return;
  if (v->type != PM_MAP) {
    cmp_svc_error(s, v, "ulimits", " must be a mapping");
    return;
  }
  pm_value *out = pm_get(s->ctr, "ulimits");
  for (size_t i = 0; i < v->u.obj.len && !s->c->pm.oom; i++) {
    const pm_member *m = &v->u.obj.items[i];
    bool name_ok = m->key_len > 0;
    for (size_t k = 0; k < m->key_len; k++) name_ok &= m->key[k] >= 'a' && m->key[k] <= 'z';
    if (!name_ok) {
      cmp_svc_error(s, m->val, "ulimits", " additional properties '%s' not allowed", m->key);
      continue;
    }
    pm_value *soft, *hard;
    if (m->val->type == PM_MAP) {
      cmp_check_keys(s, m->val, "ulimits", ulimit_keys);
      const pm_value *sv = pm_get(m->val, "soft"), *hv = pm_get(m->val, "hard");
      if (sv == NULL || hv == NULL) {
        cmp_svc_error(s, m->val, "ulimits", "%s: missing property '%s'", m->key,
                      sv ? "hard" : "soft");
        continue;
      }
      soft = cmp_read_int(s, sv, "ulimits");
      hard = cmp_read_int(s, hv, "ulimits");
    } else {
      soft = hard = cmp_read_int(s, m->val, "ulimits");
    }
    pm_value *e = pm_b_obj(s->pm, PM_SCHEMA_ULIMIT, m->val->pos);
    if (e == NULL) { s->c->pm.oom = true; return; }
    pm_b_set(s->pm, e, "soft", soft);
    pm_b_set(s->pm, e, "hard", hard);
    if (!pm_setn(s->c->pm.a, out, m->key, m->key_len, e)) s->c->pm.oom = true;
  }
}

void cmp_svc_resources(cmp_svc *s) {
  const pm_value *deploy = pm_get(s->src, "deploy");
  if (deploy && deploy->type != PM_MAP && deploy->type != PM_NULL) {
    cmp_svc_error(s, deploy, "deploy", " must be a mapping");
    deploy = NULL;
  }
  if (deploy && deploy->type == PM_MAP) cmp_check_keys(s, deploy, "deploy", deploy_keys);
  const pm_value *res = sub_map(s, deploy, "resources", "deploy.resources", resources_keys);
  const pm_value *lim = sub_map(s, res, "limits", "deploy.resources.limits", limits_keys);
  const pm_value *rsv = sub_map(s, res, "reservations", "deploy.resources.reservations",
                                reservations_keys);
  limit(s, "memory", "mem_limit", lim, "memory", "deploy.resources.limits.memory",
        cmp_read_bytes);
  limit(s, "memory_swap", "memswap_limit", NULL, NULL, NULL, cmp_read_bytes);
  limit(s, "memory_reservation", "mem_reservation", rsv, "memory",
        "deploy.resources.reservations.memory", cmp_read_bytes);
  limit(s, "cpus", "cpus", lim, "cpus", "deploy.resources.limits.cpus", cmp_read_number);
  limit(s, "cpu_shares", "cpu_shares", NULL, NULL, NULL, cmp_read_int);
  limit(s, "pids_limit", "pids_limit", lim, "pids", "deploy.resources.limits.pids",
        cmp_read_int);
  if (rsv && pm_get(rsv, "cpus")) cmp_read_number(s, pm_get(rsv, "cpus"), "deploy.resources.reservations.cpus");
  ulimits(s);
  const pm_value *sys = pm_get(s->src, "sysctls");
  if (sys) pm_b_set(s->pm, s->ctr, "sysctls", cmp_read_dict(s, sys, "sysctls"));
}
