/*
** request_grants.c: what an AuthZ request grants beyond a container's
** settings, for the rules that judge requests: the limits a container
** update lifts and the devices it names, the image /images/create pulls,
** and the privileges a plugin install or upgrade grants.
**
** Bodies are read as the Engine's Go decoder reads them (insp_view: key
** case folded, the last key winning), so a policy cannot be bypassed by
** writing "pidslimit" instead of "PidsLimit".
*/
#include <string.h>
#include <strings.h>

#include "../core/buf.h"
#include "../model/ref.h"
#include "insp.h"

/* The integer field `name` when test() holds for it, or NULL. */
static const pm_value *int_field_is(insp_ctx *c, const insp_view *v, const char *name,
                                    bool ptr, bool (*test)(int64_t)) {
  const pm_value *x = insp_field(c, v, name, PM_INT, ptr);
  return x && test(x->u.i) ? x : NULL;
}

static bool at_most_zero(int64_t v) { return v <= 0; }
static bool minus_one(int64_t v) { return v == -1; }

void insp_update_grants(insp_ctx *c, const insp_view *v, pm_value *u) {
  /* PidsLimit: null leaves the limit alone; 0 and -1 lift it. */
  static const struct { const char *field, *model; bool ptr; bool (*test)(int64_t); } lifts[] = {
      {"PidsLimit", "pids_limit", true, at_most_zero},
      {"MemorySwap", "memory_swap", false, minus_one},
      {"CpuQuota", "cpus", false, minus_one}};
  pm_value *unlimited = pm_b_arr(&c->pm, v->pos);
  for (size_t i = 0; i < sizeof lifts / sizeof lifts[0]; i++) {
    const pm_value *x = int_field_is(c, v, lifts[i].field, lifts[i].ptr, lifts[i].test);
    if (x) pm_b_push(&c->pm, unlimited, pm_b_str(&c->pm, lifts[i].model, x->pos));
  }
  pm_b_set(&c->pm, u, "unlimited", unlimited);
  pm_b_set(&c->pm, u, "devices", insp_devices(c, v));
  pm_b_set(&c->pm, u, "device_cgroup_rules",
           insp_string_list(c, insp_field(c, v, "DeviceCgroupRules", PM_ARR, true),
                            insp_path(c, v->path, "DeviceCgroupRules", -1), v->pos));
  const pm_value *dr = insp_field(c, v, "DeviceRequests", PM_ARR, true);
  pm_b_set(&c->pm, u, "device_requests",
           pm_b_int(&c->pm, dr ? (int64_t)dr->u.arr.len : 0, dr ? dr->pos : v->pos));
}

/* /images/create?fromImage=NAME[&tag=TAG]: the image pulled. The tag may
** be a digest (the CLI sends `tag=sha256:...` for `name@sha256:...`). */
static pm_value *pulled_image(insp_ctx *c, const pm_value *query) {
  const pm_value *from = pm_get(query, "fromImage");
  const pm_value *tag = pm_get(query, "tag");
  if (from == NULL || from->type != PM_STR || from->u.str.len == 0) return NULL;
  pol_buf text = POL_BUF_INIT;
  pol_buf_append(&text, from->u.str.s, from->u.str.len);
  if (tag && tag->type == PM_STR && tag->u.str.len > 0) {
    bool digest = memchr(tag->u.str.s, ':', tag->u.str.len) != NULL;
    pol_buf_putc(&text, digest ? '@' : ':');
    pol_buf_append(&text, tag->u.str.s, tag->u.str.len);
  }
  pm_value *ref = text.oom ? NULL : pm_ref_to_model(c->pm.a, text.data, text.len, from->pos);
  pol_buf_free(&text);
  if (ref == NULL) c->pm.oom = true;
  return ref;
}

/* One PluginPrivilege {Name, Description, Value}. */
static void privilege(insp_ctx *c, pm_value *out, const pm_value *it, const char *ip) {
  insp_view pv = insp_view_one(c, it, ip);
  const pm_value *name = insp_field(c, &pv, "Name", PM_STR, false);
  const pm_value *value = insp_field(c, &pv, "Value", PM_ARR, true);
  pm_value *p = pm_b_obj(&c->pm, PM_SCHEMA_PLUGIN_PRIVILEGE, it->pos);
  if (p == NULL) return;
  pm_b_set(&c->pm, p, "name", name ? (pm_value *)name : pm_b_str(&c->pm, "", it->pos));
  pm_b_set(&c->pm, p, "value",
           insp_string_list(c, value, insp_path(c, ip, "Value", -1), it->pos));
  pm_b_push(&c->pm, out, p);
}

/* The plugin's name in /plugins/{name}/upgrade. */
static pm_value *name_in_path(insp_ctx *c, const char *path, pm_pos pos) {
  static const char prefix[] = "/plugins/", suffix[] = "/upgrade";
  size_t n = strlen(path), pl = sizeof prefix - 1, sl = sizeof suffix - 1;
  if (n <= pl + sl || strncmp(path, prefix, pl) || strcmp(path + n - sl, suffix))
    return pm_b_null(&c->pm, pos);
  return pm_b_strn(&c->pm, path + pl, n - pl - sl, pos);
}

static pm_value *plugin(insp_ctx *c, const char *route, const char *path,
                        const pm_value *body, const pm_value *query, pm_pos pos) {
  pm_value *pl = pm_b_new(&c->pm, PM_SCHEMA_REQUEST_PLUGIN, pos);
  if (pl == NULL) return NULL;
  const pm_value *remote = pm_get(query, "remote");
  if (remote && remote->type == PM_STR && remote->u.str.len > 0) {
    pm_value *ref = pm_ref_to_model(c->pm.a, remote->u.str.s, remote->u.str.len, remote->pos);
    if (ref == NULL) c->pm.oom = true;
    pm_b_set(&c->pm, pl, "remote", ref);
  }
  const pm_value *name = pm_get(query, "name");
  if (!strcmp(route, "/plugins/pull"))
    pm_b_set(&c->pm, pl, "name", insp_str_or_null(c, name, pos));
  else
    pm_b_set(&c->pm, pl, "name", name_in_path(c, path, pos));
  pm_value *privileges = pm_get(pl, "privileges");
  if (body && body->type != PM_ARR && body->type != PM_NULL) {
    insp_error(c, pos, "RequestBody of %s must be a JSON array of privileges, not %s",
               route, insp_type_name(body->type));
    return pl;
  }
  c->body_at = pos;
  insp_each(c, privileges, body && body->type == PM_ARR ? body : NULL, "RequestBody", PM_MAP,
            privilege);
  c->body_at = pm_nopos;
  return pl;
}

void insp_request_grants(insp_ctx *c, pm_value *req, const char *route,
                         const char *method, const char *path,
                         const pm_value *body, const pm_value *query, pm_pos pos) {
  if (strcasecmp(method, "POST") != 0) return;
  if (!strcmp(route, "/images/create")) {
    pm_value *ref = pulled_image(c, query);
    if (ref) pm_b_set(&c->pm, req, "pull", ref);
  } else if (!strcmp(route, "/plugins/pull") || !strcmp(route, "/plugins/{name}/upgrade")) {
    pm_b_set(&c->pm, req, "plugin", plugin(c, route, path, body, query, pos));
  }
}
