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

#include "insp.h"

static pm_value *caps(insp_ctx *c, const insp_view *host, const char *name) {
  const pm_value *src = insp_field(c, host, name, PM_ARR, true);
  const char *path = insp_path(c, host->path, name, -1);
  pm_value *out = insp_arr(c, src ? src->pos : host->pos);
  for (size_t i = 0; out && src && i < src->u.arr.len && !c->oom; i++) {
    const pm_value *it = src->u.arr.items[i];
    if (!insp_str_item(c, it, path, i)) continue;
    const char *s = it->u.str.s;
    size_t n = it->u.str.len;
    char *up = pol_arena_alloc(c->a, n + 1);
    if (up == NULL) {
      c->oom = true;
      return out;
    }
    for (size_t k = 0; k < n; k++)
      up[k] = (s[k] >= 'a' && s[k] <= 'z') ? (char)(s[k] - 'a' + 'A') : s[k];
    up[n] = '\0';
    size_t skip = n > 4 && memcmp(up, "CAP_", 4) == 0 ? 4 : 0;
    insp_push(c, out, insp_strn(c, up + skip, n - skip, it->pos));
  }
  return out;
}

/* Go's strconv.ParseBool; -1 when the text is none of its words. */
static int parse_bool(const char *s, size_t n) {
  static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
  static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
  for (size_t i = 0; i < 6; i++) {
    if (strlen(yes[i]) == n && memcmp(s, yes[i], n) == 0) return 1;
    if (strlen(no[i]) == n && memcmp(s, no[i], n) == 0) return 0;
  }
  return -1;
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
    insp_set(c, sec, "no_new_privileges", insp_bool(c, true, pos));
    return;
  }
  if (key_is(s, n, "disable")) {
    insp_push(c, pm_get(sec, "selinux"), insp_str(c, "disable", pos));
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
    insp_push(c, pm_get(sec, "selinux"), insp_strn(c, v, vl, pos));
  } else if (key_is(s, kl, "apparmor")) {
    insp_set(c, sec, "apparmor", insp_strn(c, v, vl, pos));
  } else if (key_is(s, kl, "seccomp")) {
    insp_set(c, sec, "seccomp", insp_strn(c, v, vl, pos));
  } else if (key_is(s, kl, "no-new-privileges")) {
    int b = parse_bool(v, vl);
    if (b < 0)
      insp_error(c, pos, "%s: invalid value in \"%.*s\" (true or false)", path,
                 (int)(n > 100 ? 100 : n), s);
    else
      insp_set(c, sec, "no_new_privileges", insp_bool(c, b == 1, pos));
  } else if (!key_is(s, kl, "writable-cgroups")) {
    insp_warning(c, pos, "%s: the Engine rejects the unknown security option "
                 "\"%.*s\"", path, (int)(n > 100 ? 100 : n), s);
  }
}

void insp_container_security(insp_ctx *c, const insp_view *host,
                             const pm_value *apparmor, pm_value *ctr) {
  insp_set(c, ctr, "cap_add", caps(c, host, "CapAdd"));
  insp_set(c, ctr, "cap_drop", caps(c, host, "CapDrop"));
  const pm_value *opts = insp_field(c, host, "SecurityOpt", PM_ARR, true);
  pm_pos pos = opts ? opts->pos : host->pos;
  pm_value *sec = insp_obj(c, pos);
  if (sec == NULL) return;
  insp_set(c, sec, "no_new_privileges", insp_null(c, pos));
  insp_set(c, sec, "seccomp", insp_null(c, pos));
  insp_set(c, sec, "apparmor", insp_null(c, pos));
  insp_set(c, sec, "selinux", insp_arr(c, pos));
  const char *path = insp_path(c, host->path, "SecurityOpt", -1);
  pm_value *raw = insp_string_list(c, opts, path, pos);
  insp_set(c, sec, "raw", raw);
  for (size_t i = 0; raw && i < raw->u.arr.len && !c->oom; i++)
    security_opt(c, sec, raw->u.arr.items[i], path);
  /* Container inspect: the profile actually applied (it reflects an
  ** apparmor= option, and privileged containers run unconfined). */
  if (apparmor && apparmor->u.str.len > 0)
    insp_set(c, sec, "apparmor", (pm_value *)apparmor);
  insp_set(c, ctr, "security", sec);
}
