/*
** config_fields.c: the parts of a container or image Config that both share:
** Env, string maps (Labels, Sysctls, ...), string lists and Healthcheck.
*/
#include <string.h>

#include "insp.h"
#include "posjson.h"

pm_value *insp_env(insp_ctx *c, const pm_value *list, const char *path,
                   pm_pos pos) {
  insp_mapb b;
  pm_value *env = insp_mapb_init(c, &b, list ? list->u.arr.len : 0,
                                 list ? list->pos : pos);
  for (size_t i = 0; env && list && i < list->u.arr.len && !c->oom; i++) {
    const pm_value *it = list->u.arr.items[i];
    if (!insp_str_item(c, it, path, i)) continue;
    const char *s = it->u.str.s, *eq = memchr(s, '=', it->u.str.len);
    size_t kl = eq ? (size_t)(eq - s) : it->u.str.len;
    pm_value *v = eq ? insp_strn(c, eq + 1, it->u.str.len - kl - 1, it->pos)
                     : insp_null(c, it->pos);
    insp_mapb_set(c, &b, s, kl, v);
  }
  insp_mapb_free(&b);
  return env;
}

pm_value *insp_string_map(insp_ctx *c, const insp_view *m, pm_pos pos) {
  const pm_value *src = insp_merged(c, m);
  pm_value *out = insp_map(c, src ? src->pos : pos);
  for (size_t i = 0; out && src && i < src->u.obj.len && !c->oom; i++) {
    const pm_member *mem = &src->u.obj.items[i];
    if (mem->val->type != PM_STR) {
      insp_error(c, mem->val->pos, "%s[\"%.*s\"] must be a string, not %s",
                 m->path, (int)(mem->key_len > 64 ? 64 : mem->key_len),
                 mem->key, insp_type_name(mem->val->type));
      continue;
    }
    /* src has each key once (one JSON object, or a merged map). */
    if (!insp_map_append(c->a, out, mem->key, mem->key_len, mem->val))
      c->oom = true;
  }
  return out;
}

pm_value *insp_string_list(insp_ctx *c, const pm_value *arr, const char *path,
                           pm_pos pos) {
  pm_value *out = insp_arr(c, arr ? arr->pos : pos);
  for (size_t i = 0; out && arr && i < arr->u.arr.len && !c->oom; i++)
    if (insp_str_item(c, arr->u.arr.items[i], path, i))
      insp_push(c, out, arr->u.arr.items[i]);
  return out;
}

/* A duration in nanoseconds as seconds; 0 (unset) is null. */
static pm_value *duration(insp_ctx *c, const insp_view *hc, const char *name,
                          pm_pos pos) {
  const pm_value *ns = insp_field(c, hc, name, PM_INT, false);
  if (ns == NULL || ns->u.i == 0) return insp_null(c, ns ? ns->pos : pos);
  return insp_num(c, (double)ns->u.i / 1e9, ns->pos);
}

pm_value *insp_healthcheck(insp_ctx *c, const insp_view *cfg) {
  insp_view hv;
  if (!insp_sub(c, cfg, "Healthcheck", true, &hv))
    return insp_null(c, cfg->pos);
  pm_pos pos = hv.pos;
  pm_value *hc = insp_obj(c, pos);
  if (hc == NULL) return NULL;
  const pm_value *test = insp_field(c, &hv, "Test", PM_ARR, true);
  pm_value *list = insp_string_list(c, test, insp_path(c, hv.path, "Test", -1), pos);
  bool disabled = list && list->u.arr.len > 0 &&
                  strcmp(list->u.arr.items[0]->u.str.s, "NONE") == 0;
  insp_set(c, hc, "test", list);
  insp_set(c, hc, "disabled", insp_bool(c, disabled, test ? test->pos : pos));
  insp_set(c, hc, "interval", duration(c, &hv, "Interval", pos));
  insp_set(c, hc, "timeout", duration(c, &hv, "Timeout", pos));
  insp_set(c, hc, "start_period", duration(c, &hv, "StartPeriod", pos));
  insp_set(c, hc, "start_interval", duration(c, &hv, "StartInterval", pos));
  const pm_value *r = insp_field(c, &hv, "Retries", PM_INT, false);
  insp_set(c, hc, "retries",
           r && r->u.i != 0 ? (pm_value *)r : insp_null(c, r ? r->pos : pos));
  return hc;
}
