/*
** security.c: capabilities and security options of a container.
**
** CapAdd/CapDrop hold what the client sent: any case, with or without
** "CAP_"; the model has them upper case without the prefix ("ALL" kept).
** SecurityOpt is read as the Engine's parseSecurityOpt reads it: the bare
** words "no-new-privileges" and "disable" (label), else key=value, else
** (deprecated) key:value, split at the first separator.
*/
#include <string.h>

#include "../model/container_fill.h"
#include "insp.h"

static pm_value *caps(insp_ctx *c, const insp_view *host, const char *name) {
  const pm_value *src = insp_field(c, host, name, PM_ARR, true);
  const char *path = insp_path(c, host->path, name, -1);
  pm_value *out = pm_b_arr(&c->pm, src ? src->pos : host->pos);
  for (size_t i = 0; out && src && i < src->u.arr.len && !c->pm.oom; i++) {
    const pm_value *it = src->u.arr.items[i];
    if (!insp_str_item(c, it, path, i)) continue;
    pm_b_push(&c->pm, out, pm_b_capability(&c->pm, it->u.str.s, it->u.str.len, it->pos));
  }
  return out;
}

static bool key_is(const char *k, size_t kl, const char *w) {
  return strlen(w) == kl && memcmp(k, w, kl) == 0;
}

/* One SecurityOpt entry into sec (fields nnp, seccomp, apparmor, selinux). */
static void security_opt(insp_ctx *c, pm_value *sec, const pm_value *it,
                         const char *path) {
  const char *s = it->u.str.s;
  size_t n = it->u.str.len;
  pm_pos pos = it->pos;
  if (key_is(s, n, "no-new-privileges")) {
    pm_b_set(&c->pm, sec, "no_new_privileges", pm_b_bool(&c->pm, true, pos));
    return;
  }
  if (key_is(s, n, "disable")) {
    pm_b_push(&c->pm, pm_get(sec, "selinux"), pm_b_str(&c->pm, "disable", pos));
    return;
  }
  const char *sep = memchr(s, '=', n);
  if (sep == NULL) sep = memchr(s, ':', n);
  if (sep == NULL) {
    insp_error(c, pos, "%s: invalid security option \"%.*s\"", path,
               (int)(n > 100 ? 100 : n), s);
    return;
  }
  size_t kl = (size_t)(sep - s), vl = n - kl - 1;
  const char *v = sep + 1;
  if (key_is(s, kl, "label")) {
    pm_b_push(&c->pm, pm_get(sec, "selinux"), pm_b_strn(&c->pm, v, vl, pos));
  } else if (key_is(s, kl, "apparmor")) {
    pm_b_set(&c->pm, sec, "apparmor", pm_b_strn(&c->pm, v, vl, pos));
  } else if (key_is(s, kl, "seccomp")) {
    pm_b_set(&c->pm, sec, "seccomp", pm_b_strn(&c->pm, v, vl, pos));
  } else if (key_is(s, kl, "no-new-privileges")) {
    int b = pm_parse_go_bool(v, vl);
    if (b < 0)
      insp_error(c, pos, "%s: invalid value in \"%.*s\" (true or false)", path,
                 (int)(n > 100 ? 100 : n), s);
    else
      pm_b_set(&c->pm, sec, "no_new_privileges", pm_b_bool(&c->pm, b == 1, pos));
  } else if (!key_is(s, kl, "writable-cgroups")) {
    insp_warning(c, pos, "%s: the Engine rejects the unknown security option "
                 "\"%.*s\"", path, (int)(n > 100 ? 100 : n), s);
  }
}

void insp_container_security(insp_ctx *c, const insp_view *host,
                             const pm_value *apparmor, pm_value *ctr) {
  pm_b_set(&c->pm, ctr, "cap_add", caps(c, host, "CapAdd"));
  pm_b_set(&c->pm, ctr, "cap_drop", caps(c, host, "CapDrop"));
  const pm_value *opts = insp_field(c, host, "SecurityOpt", PM_ARR, true);
  pm_pos pos = opts ? opts->pos : host->pos;
  pm_value *sec = pm_b_obj(&c->pm, PM_SCHEMA_SECURITY, pos);
  if (sec == NULL) return;
  pm_b_set(&c->pm, sec, "no_new_privileges", pm_b_null(&c->pm, pos));
  pm_b_set(&c->pm, sec, "seccomp", pm_b_null(&c->pm, pos));
  pm_b_set(&c->pm, sec, "apparmor", pm_b_null(&c->pm, pos));
  pm_b_set(&c->pm, sec, "selinux", pm_b_arr(&c->pm, pos));
  const char *path = insp_path(c, host->path, "SecurityOpt", -1);
  pm_value *raw = insp_string_list(c, opts, path, pos);
  pm_b_set(&c->pm, sec, "raw", raw);
  for (size_t i = 0; raw && i < raw->u.arr.len && !c->pm.oom; i++)
    security_opt(c, sec, raw->u.arr.items[i], path);
  /* Container inspect: the profile actually applied (it reflects an
  ** apparmor= option, and privileged containers run unconfined). */
  if (apparmor && apparmor->u.str.len > 0)
    pm_b_set(&c->pm, sec, "apparmor", (pm_value *)apparmor);
  pm_b_set(&c->pm, ctr, "security", sec);
}
