/*
** route.c: which Engine API endpoint a request URI addresses, and whether
** its settings travel in a JSON body (Engine API 1.24 to 1.52).
**
** The path is read as the Engine's router reads it: %XX decoded (so
** "%2F" is a slash), cleaned ("//", "." and ".." resolved), and the
** optional "/v1.NN" version prefix removed. Templates: "{id}" is one path
** segment, "{name}" one or more (image and plugin names hold slashes).
** The first template in table order wins, literals before parameters.
*/
#include <assert.h>
#include <string.h>
#include <strings.h>

#include "../core/pathname.h"
#include "insp.h"

int insp_hex_digit(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

char *insp_route_path(insp_ctx *c, const char *uri, size_t n, char *version) {
  version[0] = '\0';
  const char *q = memchr(uri, '?', n);
  if (q) n = (size_t)(q - uri);
  /* Decode into dec (never longer than the URI plus its leading '/'),
  ** then clean (rooted). */
  char *dec = pol_arena_alloc(c->pm.a, n + 2);
  if (dec == NULL) {
    c->pm.oom = true;
    return NULL;
  }
  size_t d = 0;
  dec[d++] = '/';
  for (size_t i = 0; i < n; i++) {
    int hi, lo;
    /* %00 stays as written: a NUL cannot be part of a path. */
    if (uri[i] == '%' && i + 2 < n && (hi = insp_hex_digit(uri[i + 1])) >= 0 &&
        (lo = insp_hex_digit(uri[i + 2])) >= 0 && (hi || lo)) {
      dec[d++] = (char)(hi * 16 + lo);
      i += 2;
    } else {
      dec[d++] = uri[i];
    }
  }
  char *out = pol_path_clean(c->pm.a, dec, d);
  if (out == NULL) {
    c->pm.oom = true;
    return NULL;
  }
  assert(out[0] == '/'); /* dec starts with '/' */
  size_t w = strlen(out);
  /* "/v1.41/..." */
  size_t i = 1;
  if (out[i] == 'v' && out[i + 1] >= '0' && out[i + 1] <= '9') {
    i++;
    while (out[i] >= '0' && out[i] <= '9') i++;
    if (out[i] == '.') {
      i++;
      size_t minor = i;
      while (out[i] >= '0' && out[i] <= '9') i++;
      if (i > minor && (out[i] == '/' || out[i] == '\0') && i - 2 < 16) {
        memcpy(version, out + 2, i - 2);
        version[i - 2] = '\0';
        if (out[i] == '\0') return strcpy(out, "/");
        memmove(out, out + i, w - i + 1);
      }
    }
  }
  return out;
}

typedef struct route {
  const char *tmpl;
  const char *body_method; /* the method whose JSON body holds settings */
} route;

static const route routes[] = {
    {"/containers/json", NULL},
    {"/containers/create", "POST"},
    {"/containers/prune", NULL},
    {"/containers/{id}/json", NULL},
    {"/containers/{id}/top", NULL},
    {"/containers/{id}/logs", NULL},
    {"/containers/{id}/changes", NULL},
    {"/containers/{id}/export", NULL},
    {"/containers/{id}/stats", NULL},
    {"/containers/{id}/resize", NULL},
    {"/containers/{id}/start", NULL},
    {"/containers/{id}/stop", NULL},
    {"/containers/{id}/restart", NULL},
    {"/containers/{id}/kill", NULL},
    {"/containers/{id}/update", "POST"},
    {"/containers/{id}/rename", NULL},
    {"/containers/{id}/pause", NULL},
    {"/containers/{id}/unpause", NULL},
    {"/containers/{id}/attach/ws", NULL},
    {"/containers/{id}/attach", NULL},
    {"/containers/{id}/wait", NULL},
    {"/containers/{id}/archive", NULL},
    {"/containers/{id}/exec", "POST"},
    {"/containers/{id}", NULL},
    {"/exec/{id}/start", NULL},
    {"/exec/{id}/resize", NULL},
    {"/exec/{id}/json", NULL},
    {"/images/json", NULL},
    {"/images/create", NULL},
    {"/images/load", NULL},
    {"/images/get", NULL},
    {"/images/search", NULL},
    {"/images/prune", NULL},
    {"/images/{name}/json", NULL},
    {"/images/{name}/history", NULL},
    {"/images/{name}/push", NULL},
    {"/images/{name}/tag", NULL},
    {"/images/{name}/get", NULL},
    {"/images/{name}", NULL},
    {"/build/prune", NULL},
    {"/build/cancel", NULL},
    {"/build", NULL},
    {"/commit", NULL},
    {"/auth", NULL},
    {"/info", NULL},
    {"/version", NULL},
    {"/_ping", NULL},
    {"/events", NULL},
    {"/system/df", NULL},
    {"/session", NULL},
    {"/grpc", NULL},
    {"/distribution/{name}/json", NULL},
    {"/networks/create", "POST"},
    {"/networks/prune", NULL},
    {"/networks/{id}/connect", "POST"},
    {"/networks/{id}/disconnect", NULL},
    {"/networks/{id}", NULL},
    {"/networks", NULL},
    {"/volumes/create", "POST"},
    {"/volumes/prune", NULL},
    {"/volumes/{name}", NULL},
    {"/volumes", NULL},
    {"/plugins/privileges", NULL},
    {"/plugins/pull", "POST"},
    {"/plugins/create", NULL},
    {"/plugins/{name}/json", NULL},
    {"/plugins/{name}/enable", NULL},
    {"/plugins/{name}/disable", NULL},
    {"/plugins/{name}/upgrade", "POST"},
    {"/plugins/{name}/push", NULL},
    {"/plugins/{name}/set", "POST"},
    {"/plugins/{name}", NULL},
    {"/plugins", NULL},
    {"/swarm/init", "POST"},
    {"/swarm/join", "POST"},
    {"/swarm/leave", NULL},
    {"/swarm/update", "POST"},
    {"/swarm/unlockkey", NULL},
    {"/swarm/unlock", "POST"},
    {"/swarm", NULL},
    {"/nodes/{id}/update", "POST"},
    {"/nodes/{id}", NULL},
    {"/nodes", NULL},
    {"/services/create", "POST"},
    {"/services/{id}/update", "POST"},
    {"/services/{id}/logs", NULL},
    {"/services/{id}", NULL},
    {"/services", NULL},
    {"/tasks/{id}/logs", NULL},
    {"/tasks/{id}", NULL},
    {"/tasks", NULL},
    {"/secrets/create", "POST"},
    {"/secrets/{id}/update", "POST"},
    {"/secrets/{id}", NULL},
    {"/secrets", NULL},
    {"/configs/create", "POST"},
    {"/configs/{id}/update", "POST"},
    {"/configs/{id}", NULL},
    {"/configs", NULL},
};

/* Number of '/'-separated segments of a cleaned path ("/" has none). */
static size_t segments(const char *p) {
  size_t n = 0;
  for (; *p; p++)
    if (*p == '/' && p[1]) n++;
  return n;
}

/* The next segment of *p (which points at a '/'); advances *p. */
static size_t next_segment(const char **p, const char **seg) {
  const char *s = *p + 1, *e = strchr(s, '/');
  if (e == NULL) e = s + strlen(s);
  *seg = s;
  *p = e;
  return (size_t)(e - s);
}

static bool matches(const char *tmpl, const char *path, size_t path_segs) {
  size_t tsegs = segments(tmpl);
  bool greedy = strstr(tmpl, "{name}") != NULL;
  if (greedy ? path_segs < tsegs : path_segs != tsegs) return false;
  size_t extra = path_segs - tsegs; /* segments {name} takes beyond one */
  const char *t = tmpl, *p = path;
  for (size_t i = 0; i < tsegs; i++) {
    const char *ts, *ps;
    size_t tl = next_segment(&t, &ts), pl = next_segment(&p, &ps);
    if (tl == 6 && !memcmp(ts, "{name}", 6)) {
      for (size_t k = 0; k < extra; k++) next_segment(&p, &ps);
      continue;
    }
    if (tl == 4 && !memcmp(ts, "{id}", 4)) continue;
    if (tl != pl || memcmp(ts, ps, tl) != 0) return false;
  }
  return true;
}

insp_route insp_route_match(const char *method, const char *path) {
  insp_route r = {NULL, false};
  size_t segs = segments(path);
  for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
    if (!matches(routes[i].tmpl, path, segs)) continue;
    r.route = routes[i].tmpl;
    r.needs_body = routes[i].body_method && method &&
                   strcasecmp(method, routes[i].body_method) == 0;
    return r;
  }
  return r;
}
