/*
** run_mounts.c: -v/--volume, --mount and --device of a docker run line,
** read as the docker CLI and the Engine's Linux mount parser read them,
** into the model's mounts (model/container_fill.h judges docker_socket and
** sensitive) and devices.
**
** -v SRC:DST[:MODE]: a source starting with '/' or '.' is a bind (the
** CLI makes a relative one absolute against its working directory, which
** is not known here: the path is kept as written), any other a named
** volume; DST alone is an anonymous volume. --mount is a CSV list of
** key=value fields (type=bind,source=/,target=/host,readonly).
*/
#include <stdio.h>
#include <string.h>

#include "../model/container_fill.h"
#include "run_int.h"

static bool word_is(const char *s, size_t n, const char *w) {
  return strlen(w) == n && memcmp(s, w, n) == 0;
}

static void spec_error(run_ctx *c, const run_arg *a, const char *why) {
  run_error(c, a->index, "invalid volume specification: '%.*s'%s%s",
            (int)(a->n > 200 ? 200 : a->n), a->s, why ? ": " : "", why ? why : "");
}

void run_volume(run_ctx *c, const run_arg *a) {
  const char *s = a->s;
  size_t n = a->n, colon[4], nc = 0;
  for (size_t i = 0; i < n && nc < 4; i++)
    if (s[i] == ':') colon[nc++] = i;
  if (n == 0 || s[0] == ':' || nc > 2) {
    spec_error(c, a, NULL);
    return;
  }
  const char *src = NULL, *dst = s, *mode = "";
  size_t sl = 0, dl = n, ml = 0;
  if (nc >= 1) {
    src = s;
    sl = colon[0];
    dst = s + colon[0] + 1;
    dl = (nc == 2 ? colon[1] : n) - colon[0] - 1;
  }
  if (nc == 2) {
    mode = s + colon[1] + 1;
    ml = n - colon[1] - 1;
  }
  bool ro, dummy;
  const char *prop, *dprop;
  size_t pl = 0, dpl;
  if (nc == 1 && dl > 0 && pm_parse_bind_mode(dst, dl, &dummy, &dprop, &dpl)) { /* /foo:rw */
    spec_error(c, a, "a volume cannot have a mode without a source");
    return;
  }
  if (!pm_parse_bind_mode(mode, ml, &ro, &prop, &pl)) {
    run_error(c, a->index, "invalid mode: %.*s", (int)(ml > 64 ? 64 : ml), mode);
    return;
  }
  if (dl == 0 || dst[0] != '/') {
    spec_error(c, a, "the path in the container must be absolute");
    return;
  }
  pm_pos pos = run_pos(a->index);
  bool bind = src && sl > 0 && (src[0] == '/' || src[0] == '.');
  pm_mount_in m = {.type = bind ? "bind" : "volume",
                   .source = src ? pm_b_strn(&c->pm, src, sl, pos) : NULL,
                   .target = pm_b_strn(&c->pm, dst, dl, pos),
                   .read_only = pm_b_bool(&c->pm, ro, pos),
                   .propagation = prop ? pm_b_strn(&c->pm, prop, pl, pos) : NULL,
                   .raw = run_str(c, a), .pos = pos};
  pm_container_add_mount(&c->pm, pm_get(c->ctr, "mounts"), &m);
}

/* ---- --mount -------------------------------------------------------------- */

/* The next CSV field of s[*i..n) (encoding/csv: "..." quotes, "" inside
** them a quote) into buf; false when a quote is not closed. */
static bool csv_field(const char *s, size_t n, size_t *i, char *buf, size_t size, size_t *len) {
  size_t o = 0, k = *i;
  bool quoted = k < n && s[k] == '"';
  if (quoted) {
    for (k++;; k++) {
      if (k >= n) return false;
      if (s[k] == '"') {
        if (k + 1 < n && s[k + 1] == '"') k++;
        else { k++; break; }
      }
      if (o + 1 < size) buf[o++] = s[k];
    }
    if (k < n && s[k] != ',') return false;
  } else {
    for (; k < n && s[k] != ','; k++)
      if (o + 1 < size) buf[o++] = s[k];
  }
  buf[o] = '\0';
  *len = o;
  *i = k + 1;
  return true;
}

static const char *const mount_keys[] = {
    "type", "source", "src", "target", "destination", "dst", "readonly", "ro",
    "consistency", "bind-propagation", "bind-nonrecursive", "bind-recursive",
    "bind-create-mountpoint", "volume-driver", "volume-label", "volume-nocopy",
    "volume-opt", "volume-subpath", "tmpfs-size", "tmpfs-mode", "image-subpath", NULL};

static const char *const mount_types[] = {"bind", "volume", "tmpfs", "npipe", "cluster",
                                          "image", NULL};

typedef struct mount_fields {
  const char *type;
  char source[1024], target[1024], prop[16];
  bool has_source, has_target, has_prop, ro;
} mount_fields;

/* One key=value field into m; false (reported) when the CLI refuses it. */
static bool mount_field(run_ctx *c, const run_arg *a, mount_fields *m, char *field, size_t len) {
  char *eq = strchr(field, '=');
  size_t kl = eq ? (size_t)(eq - field) : len;
  const char *v = eq ? eq + 1 : NULL;
  bool known = false;
  for (size_t k = 0; mount_keys[k]; k++) known |= word_is(field, kl, mount_keys[k]);
  if (!known) {
    run_error(c, a->index, "invalid argument for --mount: unexpected key '%.*s' in '%.*s'",
              (int)(kl > 64 ? 64 : kl), field, (int)(a->n > 200 ? 200 : a->n), a->s);
    return false;
  }
  if (word_is(field, kl, "readonly") || word_is(field, kl, "ro")) {
    int b = v ? pm_parse_go_bool(v, strlen(v)) : 1;
    if (b < 0) {
      run_error(c, a->index, "invalid argument for --mount: invalid value for %.*s: %.64s",
                (int)kl, field, v);
      return false;
    }
    m->ro = b == 1;
    return true;
  }
  if (v == NULL) {
    run_error(c, a->index, "invalid argument for --mount: invalid field '%.64s' must be a "
              "key=value pair", field);
    return false;
  }
  if (word_is(field, kl, "type")) {
    m->type = NULL;
    for (size_t k = 0; mount_types[k]; k++)
      if (!strcmp(v, mount_types[k])) m->type = mount_types[k];
    if (m->type == NULL) {
      run_error(c, a->index, "invalid argument for --mount: unknown mount type '%.32s'", v);
      return false;
    }
  } else if (word_is(field, kl, "source") || word_is(field, kl, "src")) {
    snprintf(m->source, sizeof m->source, "%s", v);
    m->has_source = true;
  } else if (word_is(field, kl, "target") || word_is(field, kl, "destination") ||
             word_is(field, kl, "dst")) {
    snprintf(m->target, sizeof m->target, "%s", v);
    m->has_target = true;
  } else if (word_is(field, kl, "bind-propagation")) {
    if (!pm_is_bind_propagation(v, strlen(v))) {
      run_error(c, a->index, "invalid argument for --mount: invalid propagation mode '%.32s'", v);
      return false;
    }
    snprintf(m->prop, sizeof m->prop, "%s", v);
    m->has_prop = true;
  }
  return true;
}

void run_mount(run_ctx *c, const run_arg *a) {
  mount_fields m;
  memset(&m, 0, sizeof m);
  m.type = "volume";
  char field[2048];
  size_t len;
  for (size_t i = 0; i < a->n;) {
    if (!csv_field(a->s, a->n, &i, field, sizeof field, &len)) {
      run_error(c, a->index, "invalid argument for --mount: a quote is not closed");
      return;
    }
    if (len == 0) continue;
    if (!mount_field(c, a, &m, field, len)) return;
  }
  if (!m.has_target) {
    run_error(c, a->index, "invalid argument for --mount: target is required");
    return;
  }
  bool bind = !strcmp(m.type, "bind");
  if (bind && !m.has_source) {
    run_error(c, a->index, "invalid argument for --mount: source is required when "
              "specifying bind mount");
    return;
  }
  if (!strcmp(m.type, "tmpfs") && m.has_source) {
    run_error(c, a->index, "invalid argument for --mount: source is not supported for tmpfs");
    return;
  }
  pm_pos pos = run_pos(a->index);
  pm_mount_in in = {.type = m.type,
                    .source = m.has_source && m.source[0] ? pm_b_str(&c->pm, m.source, pos) : NULL,
                    .target = pm_b_str(&c->pm, m.target, pos),
                    .read_only = pm_b_bool(&c->pm, m.ro, pos),
                    .propagation = m.has_prop ? pm_b_str(&c->pm, m.prop, pos) : NULL,
                    .pos = pos};
  pm_container_add_mount(&c->pm, pm_get(c->ctr, "mounts"), &in);
}

/* ---- --device -------------------------------------------------------------- */

/* r, w and m, each at most once. */
static bool device_mode(const char *s, size_t n) {
  static const char modes[] = "rwm";
  int seen[3] = {0};
  if (n == 0 || n > 3) return false;
  for (size_t i = 0; i < n; i++) {
    const char *k = s[i] ? strchr(modes, s[i]) : NULL;
    if (k == NULL || seen[k - modes]++) return false;
  }
  return true;
}

/* HOST[:CONTAINER][:PERMISSIONS] (permissions rwm by default, as the CLI
** sends them). */
void run_device(run_ctx *c, const run_arg *a) {
  const char *s = a->s, *parts[3] = {s, NULL, NULL};
  size_t lens[3] = {a->n, 0, 0}, np = 1;
  for (size_t i = 0; i < a->n; i++) {
    if (s[i] != ':') continue;
    if (np == 3) {
      run_error(c, a->index, "invalid device specification: %.*s",
                (int)(a->n > 200 ? 200 : a->n), s);
      return;
    }
    lens[np - 1] = (size_t)(s + i - parts[np - 1]);
    parts[np] = s + i + 1;
    lens[np] = a->n - i - 1;
    np++;
  }
  const char *dst = NULL, *perm = "rwm";
  size_t dl = 0, pl = 3;
  if (np == 3) {
    perm = parts[2];
    pl = lens[2];
  }
  if (np >= 2) {
    if (np == 2 && device_mode(parts[1], lens[1])) {
      perm = parts[1];
      pl = lens[1];
    } else {
      dst = parts[1];
      dl = lens[1];
    }
  }
  if (!device_mode(perm, pl) || lens[0] == 0) {
    run_error(c, a->index, "invalid device specification: %.*s",
              (int)(a->n > 200 ? 200 : a->n), s);
    return;
  }
  if (dst == NULL) {
    dst = parts[0];
    dl = lens[0];
  }
  pm_pos pos = run_pos(a->index);
  pm_value *d = pm_b_obj(&c->pm, PM_SCHEMA_DEVICE, pos);
  pm_b_set(&c->pm, d, "host", pm_b_strn(&c->pm, parts[0], lens[0], pos));
  pm_b_set(&c->pm, d, "container", pm_b_strn(&c->pm, dst, dl, pos));
  pm_b_set(&c->pm, d, "permissions", pm_b_strn(&c->pm, perm, pl, pos));
  pm_b_set(&c->pm, d, "raw", run_str(c, a));
  pm_b_push(&c->pm, pm_get(c->ctr, "devices"), d);
}
