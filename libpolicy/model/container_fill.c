/*
** container_fill.c: the container pieces every source shares (see
** container_fill.h).
*/
#include "container_fill.h"

#include <assert.h>
#include <string.h>

#include "../core/pathname.h"

pm_value *pm_container_new(pm_builder *b, const char *origin, pm_pos pos) {
  pm_value *c = pm_b_new(b, PM_SCHEMA_CONTAINER, pos);
  pm_b_set(b, c, "origin", pm_b_str(b, origin, pm_nopos));
  return b->oom ? NULL : c;
}

bool pm_path_is_engine_socket(const char *p) {
  static const char *const folders[] = {
      "/", "/run", "/var/run", "/run/docker", "/var/run/docker",
      "/run/containerd", "/var/run/containerd", "/run/podman", "/var/run/podman"};
  static const char *const sockets[] = {
      "docker.sock", "containerd.sock", "podman.sock", "crio.sock",
      "dockershim.sock", "cri-dockerd.sock"};
  for (size_t i = 0; i < sizeof folders / sizeof folders[0]; i++)
    if (!strcmp(p, folders[i])) return true;
  const char *base = strrchr(p, '/');
  base = base ? base + 1 : p;
  for (size_t i = 0; i < sizeof sockets / sizeof sockets[0]; i++)
    if (!strcmp(base, sockets[i])) return true;
  return strstr(p, "docker_engine") != NULL; /* the Windows engine pipe */
}

bool pm_path_is_sensitive(const char *p) {
  static const char *const dirs[] = {"/etc", "/proc", "/sys", "/boot", "/dev", "/root",
                                     "/var/run", "/run", "/var/lib/docker", "/usr", "/lib"};
  if (!strcmp(p, "/")) return true;
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
    size_t n = strlen(dirs[i]);
    if (!strncmp(p, dirs[i], n) && (p[n] == '\0' || p[n] == '/')) return true;
  }
  return false;
}

void pm_container_add_mount(pm_builder *b, pm_value *mounts, const pm_mount_in *m) {
  pm_value *e = pm_b_obj(b, PM_SCHEMA_MOUNT, m->pos);
  if (e == NULL) return;
  bool bind = m->type && !strcmp(m->type, "bind");
  bool path = bind || (m->type && !strcmp(m->type, "npipe"));
  bool unknown = m->type == NULL || (path && m->source_unknown);
  const pm_value *src = m->source;
  char *clean = NULL;
  if (!unknown && path && m->resolved) {
    clean = pol_path_clean(b->a, m->resolved, strlen(m->resolved));
    if (clean == NULL) {
      b->oom = true;
      return;
    }
    assert(clean[0] == '/'); /* a resolved path is absolute */
  } else if (!unknown && path && src && src->type == PM_STR) {
    clean = pol_path_clean(b->a, src->u.str.s, src->u.str.len);
    if (clean == NULL) {
      b->oom = true;
      return;
    }
  }
  pm_b_set(b, e, "type", m->type ? pm_b_str(b, m->type, m->pos) : pm_b_null(b, m->pos));
  pm_b_set(b, e, "source", m->source ? m->source : pm_b_null(b, m->pos));
  pm_b_set(b, e, "target", m->target ? m->target : pm_b_null(b, m->pos));
  pm_b_set(b, e, "read_only", m->read_only ? m->read_only : pm_b_null(b, m->pos));
  pm_b_set(b, e, "propagation", m->propagation ? m->propagation : pm_b_null(b, m->pos));
  pm_pos at = src ? src->pos : m->pos;
  bool absolute = clean && clean[0] == '/';
  pm_b_set(b, e, "host_path", absolute && bind ? pm_b_str(b, clean, at) : pm_b_null(b, at));
  if (unknown) {
    pm_b_set(b, e, "docker_socket", pm_b_null(b, at));
    pm_b_set(b, e, "sensitive", pm_b_null(b, at));
  } else {
    pm_b_set(b, e, "docker_socket", pm_b_bool(b, clean && pm_path_is_engine_socket(clean), at));
    pm_b_set(b, e, "sensitive", pm_b_bool(b, clean && bind && !m->within_project &&
                                                 pm_path_is_sensitive(clean), at));
  }
  pm_b_set(b, e, "raw", m->raw ? m->raw : pm_b_null(b, m->pos));
  pm_b_push(b, mounts, e);
}

pm_value *pm_b_capability(pm_builder *b, const char *s, size_t n, pm_pos pos) {
  if (n > 4 && (s[0] | 0x20) == 'c' && (s[1] | 0x20) == 'a' && (s[2] | 0x20) == 'p' &&
      s[3] == '_') {
    s += 4;
    n -= 4;
  }
  char *up = b->oom ? NULL : pol_arena_alloc(b->a, n + 1);
  if (up == NULL) {
    b->oom = true;
    return NULL;
  }
  for (size_t k = 0; k < n; k++)
    up[k] = (s[k] >= 'a' && s[k] <= 'z') ? (char)(s[k] - 'a' + 'A') : s[k];
  up[n] = '\0';
  return pm_b_strn(b, up, n, pos);
}

static bool word_is(const char *s, size_t n, const char *w) {
  return strlen(w) == n && memcmp(s, w, n) == 0;
}

bool pm_is_bind_propagation(const char *s, size_t n) {
  static const char *const propagations[] = {"shared", "rshared", "slave", "rslave",
                                             "private", "rprivate"};
  for (size_t i = 0; i < sizeof propagations / sizeof propagations[0]; i++)
    if (word_is(s, n, propagations[i])) return true;
  return false;
}

/* The kind of one mode word (0 rw/ro, 1 SELinux label, 2 propagation,
** 3 nocopy, 4 consistency), or -1 when the Engine does not know it. */
static int bind_mode_kind(const char *s, size_t n) {
  if (word_is(s, n, "ro") || word_is(s, n, "rw")) return 0;
  if (word_is(s, n, "z") || word_is(s, n, "Z")) return 1;
  if (pm_is_bind_propagation(s, n)) return 2;
  if (word_is(s, n, "nocopy")) return 3;
  if (word_is(s, n, "consistent") || word_is(s, n, "cached") || word_is(s, n, "delegated"))
    return 4;
  return -1;
}

bool pm_parse_bind_mode(const char *s, size_t n, bool *ro, const char **prop,
                        size_t *prop_len) {
  int count[5] = {0};
  size_t start = 0;
  *ro = false;
  *prop = NULL;
  if (n == 0) return true;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && s[i] != ',') continue;
    int k = bind_mode_kind(s + start, i - start);
    if (k < 0 || ++count[k] > 1) return false;
    if (k == 0) *ro = word_is(s + start, i - start, "ro");
    if (k == 2) {
      *prop = s + start;
      *prop_len = i - start;
    }
    start = i + 1;
  }
  return true;
}

int pm_parse_go_bool(const char *s, size_t n) {
  static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
  static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
    if (strlen(yes[i]) == n && memcmp(s, yes[i], n) == 0) return 1;
    if (strlen(no[i]) == n && memcmp(s, no[i], n) == 0) return 0;
  }
  return -1;
}
