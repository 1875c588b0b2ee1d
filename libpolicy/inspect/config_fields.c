/*
** config_fields.c: the parts of a container or image Config that both share:
** Env, string maps (Labels, Sysctls, ...), string lists and Healthcheck.
*/
#include <string.h>

#include "insp.h"
#include "posjson.h"

pm_value *insp_env(insp_ctx *c, const pm_value *list, const char *path,
                   pm_pos pos) {
  pm_value *env = pm_b_map(&c->pm, list ? list->pos : pos);
  for (size_t i = 0; env && list && i < list->u.arr.len && !c->pm.oom; i++) {
    const pm_value *it = list->u.arr.items[i];
    if (!insp_str_item(c, it, path, i)) continue;
    const char *s = it->u.str.s, *eq = memchr(s, '=', it->u.str.len);
    size_t kl = eq ? (size_t)(eq - s) : it->u.str.len;
    pm_value *v = eq ? pm_b_strn(&c->pm, eq + 1, it->u.str.len - kl - 1, it->pos)
                     : pm_b_null(&c->pm, it->pos);
    pm_b_setn(&c->pm, env, s, kl, v);
  }
  return env;
}

pm_value *insp_string_map(insp_ctx *c, const insp_view *m, pm_pos pos) {
  const pm_value *src = insp_merged(c, m);
  pm_value *out = pm_b_map(&c->pm, src ? src->pos : pos);
  for (size_t i = 0; out && src && i < src->u.obj.len && !c->pm.oom; i++) {
    const pm_member *mem = &src->u.obj.items[i];
    if (mem->val->type != PM_STR) {
      insp_error(c, mem->val->pos, "%s[\"%.*s\"] must be a string, not %s",
                 m->path, (int)(mem->key_len > 64 ? 64 : mem->key_len),
                 mem->key, insp_type_name(mem->val->type));
      continue;
    }
    pm_b_setn(&c->pm, out, mem->key, mem->key_len, mem->val);
  }
  return out;
}

pm_value *insp_string_list(insp_ctx *c, const pm_value *arr, const char *path,
                           pm_pos pos) {
  pm_value *out = pm_b_arr(&c->pm, arr ? arr->pos : pos);
  for (size_t i = 0; out && arr && i < arr->u.arr.len && !c->pm.oom; i++)
    if (insp_str_item(c, arr->u.arr.items[i], path, i))
      pm_b_push(&c->pm, out, arr->u.arr.items[i]);
  return out;
}

/* A duration in nanoseconds as seconds; 0 (unset) is null. */
static pm_value *duration(insp_ctx *c, const insp_view *hc, const char *name,
                          pm_pos pos) {
  const pm_value *ns = insp_field(c, hc, name, PM_INT, false);
  if (ns == NULL || ns->u.i == 0) return pm_b_null(&c->pm, ns ? ns->pos : pos);
  return pm_b_num(&c->pm, (double)ns->u.i / 1e9, ns->pos);
}

pm_value *insp_healthcheck(insp_ctx *c, const insp_view *cfg) {
  insp_view hv;
  if (!insp_sub(c, cfg, "Healthcheck", true, &hv))
    return pm_b_null(&c->pm, cfg->pos);
  pm_pos pos = hv.pos;
  pm_value *hc = pm_b_obj(&c->pm, PM_SCHEMA_HEALTHCHECK, pos);
  if (hc == NULL) return NULL;
  const pm_value *test = insp_field(c, &hv, "Test", PM_ARR, true);
  pm_value *list = insp_string_list(c, test, insp_path(c, hv.path, "Test", -1), pos);
  bool disabled = list && list->u.arr.len > 0 &&
                  strcmp(list->u.arr.items[0]->u.str.s, "NONE") == 0;
  pm_b_set(&c->pm, hc, "test", list);
  pm_b_set(&c->pm, hc, "disabled", pm_b_bool(&c->pm, disabled, test ? test->pos : pos));
  pm_b_set(&c->pm, hc, "interval", duration(c, &hv, "Interval", pos));
  pm_b_set(&c->pm, hc, "timeout", duration(c, &hv, "Timeout", pos));
  pm_b_set(&c->pm, hc, "start_period", duration(c, &hv, "StartPeriod", pos));
  pm_b_set(&c->pm, hc, "start_interval", duration(c, &hv, "StartInterval", pos));
  const pm_value *r = insp_field(c, &hv, "Retries", PM_INT, false);
  pm_b_set(&c->pm, hc, "retries",
           r && r->u.i != 0 ? (pm_value *)r : pm_b_null(&c->pm, r ? r->pos : pos));
  return hc;
}
