/*
** request.c: requests to the Engine: a POST /containers/create body on
** its own, and Docker AuthZ plugin requests (the JSON the daemon posts to
** AuthZPlugin.AuthZReq and AuthZPlugin.AuthZRes).
**
** A create body holds the Config fields at its top level with HostConfig
** and NetworkingConfig nested; its container has origin "request" and
** nothing of the image is assumed. An AuthZ request becomes an entry of
** the document's `requests` (method, route, query, headers, ...); its
** RequestBody is base64 (a Go []byte) and is decoded, then read as JSON
** when it is JSON. A request whose route carries its settings in a body
** (create, update, exec, service create, ...) but that arrived without
** one cannot be judged: it is flagged (body_missing) and is a document
** error, so it never passes silently (older Engines forwarded large
** bodies without them, CVE-2024-41110).
*/
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../core/alloc.h"
#include "insp.h"

static pm_value *create_container(insp_ctx *c, const pm_value *body,
                                  const pm_value *name) {
  insp_container_src src;
  memset(&src, 0, sizeof src);
  src.origin = "request";
  src.node = body;
  src.cfg = insp_view_one(c, body, "");
  insp_sub(c, &src.cfg, "HostConfig", true, &src.host);
  insp_sub(c, &src.cfg, "NetworkingConfig", true, &src.netcfg);
  src.netset.pos = body->pos;
  src.netset.path = "";
  src.name = name;
  return insp_container(c, &src);
}

void insp_create_body(insp_ctx *c, const pm_value *node) {
  create_container(c, node, NULL);
}

/* ---- base64 (Go's encoding/base64.StdEncoding, as encoding/json reads a
** []byte: padded, CR and LF ignored) ------------------------------------- */

static int b64_value(unsigned char ch) {
  if (ch >= 'A' && ch <= 'Z') return ch - 'A';
  if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
  if (ch >= '0' && ch <= '9') return ch - '0' + 52;
  if (ch == '+') return 62;
  if (ch == '/') return 63;
  return -1;
}

/* Decodes s[0..n) into out (room for n bytes); false when malformed. */
static bool b64_decode(const char *s, size_t n, char *out, size_t *out_len) {
  size_t o = 0, q = 0, pad = 0;
  uint32_t acc = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch == '\r' || ch == '\n') continue;
    int v;
    if (ch == '=') {
      if (q < 2) return false;
      pad++;
      v = 0;
    } else {
      if (pad || (v = b64_value(ch)) < 0) return false;
    }
    acc = (acc << 6) | (uint32_t)v;
    if (++q == 4) {
      out[o++] = (char)(acc >> 16);
      if (pad < 2) out[o++] = (char)(acc >> 8);
      if (pad < 1) out[o++] = (char)acc;
      q = 0;
      acc = 0;
      if (pad) {
        /* only line breaks may follow the padding */
        for (i++; i < n; i++)
          if (s[i] != '\r' && s[i] != '\n') return false;
        break;
      }
    }
  }
  if (q != 0) return false;
  *out_len = o;
  return true;
}

/* ---- the parts of a request ---------------------------------------------- */

/* The query string as a map; a repeated name keeps its first value, as
** the Engine's r.Form.Get does. */
static pm_value *query_map(insp_ctx *c, const pm_value *uri) {
  const char *q = memchr(uri->u.str.s, '?', uri->u.str.len);
  size_t n = q ? uri->u.str.len - (size_t)(q - uri->u.str.s) - 1 : 0;
  pm_value *m = pm_b_map(&c->pm, uri->pos);
  char *buf = m ? pol_arena_alloc(c->pm.a, n + 1) : NULL;
  if (m && buf == NULL) c->pm.oom = true;
  for (size_t i = 0; buf && i < n && !c->pm.oom;) {
    const char *part = q + 1 + i, *amp = memchr(part, '&', n - i);
    size_t pl = amp ? (size_t)(amp - part) : n - i;
    i += pl + 1;
    /* decode name=value: '+' is a space, %XX a byte */
    size_t w = 0, name_len = (size_t)-1;
    for (size_t k = 0; k < pl; k++) {
      char ch = part[k];
      if (ch == '=' && name_len == (size_t)-1) { name_len = w; continue; }
      int hi, lo;
      if (ch == '+') {
        ch = ' ';
      } else if (ch == '%' && k + 2 < pl && (hi = insp_hex_digit(part[k + 1])) >= 0 &&
                 (lo = insp_hex_digit(part[k + 2])) >= 0 && (hi || lo)) {
        ch = (char)(hi * 16 + lo);
        k += 2;
      }
      buf[w++] = ch;
    }
    if (name_len == (size_t)-1) name_len = w;
    if (name_len == 0 || pm_getn(m, buf, name_len)) continue;
    pm_b_setn(&c->pm, m, buf, name_len,
                  pm_b_strn(&c->pm, buf + name_len, w - name_len, uri->pos));
  }
  return m;
}

static bool is_safe_method(const char *m) {
  return !strcasecmp(m, "GET") || !strcasecmp(m, "HEAD") ||
         !strcasecmp(m, "OPTIONS") || !strcasecmp(m, "TRACE");
}

/* The value of an HTTP header (names compare ignoring case), or NULL. */
static const pm_value *header(const pm_value *headers, const char *name) {
  for (size_t i = 0; headers && i < headers->u.obj.len; i++)
    if (headers->u.obj.items[i].key_len == strlen(name) &&
        !strncasecmp(headers->u.obj.items[i].key, name, strlen(name)))
      return headers->u.obj.items[i].val;
  return NULL;
}

static bool is_json_type(const pm_value *ct) {
  if (ct == NULL) return false;
  const char *s = ct->u.str.s;
  size_t n = ct->u.str.len, k = 0;
  while (k < n && s[k] != ';' && s[k] != ' ') k++;
  return k == 16 && !strncasecmp(s, "application/json", 16);
}

/* POST /containers/{id}/exec: what the new process runs as. */
static pm_value *exec_model(insp_ctx *c, const pm_value *body) {
  insp_view v = insp_view_one(c, body, "");
  pm_value *e = pm_b_obj(&c->pm, PM_SCHEMA_REQUEST_EXEC, body->pos);
  if (e == NULL) return NULL;
  pm_b_set(&c->pm, e, "user",
           insp_str_or_null(c, insp_field(c, &v, "User", PM_STR, false), body->pos));
  pm_b_set(&c->pm, e, "privileged",
           insp_or_null(c, insp_field(c, &v, "Privileged", PM_BOOL, false), body->pos));
  const pm_value *cmd = insp_field(c, &v, "Cmd", PM_NULL, true);
  pm_value *argv = pm_b_arr(&c->pm, cmd ? cmd->pos : body->pos);
  if (cmd && cmd->type == PM_STR) {
    pm_b_push(&c->pm, argv, (pm_value *)cmd);
  } else if (cmd && cmd->type == PM_ARR) {
    argv = insp_string_list(c, cmd, "Cmd", cmd->pos);
  } else if (cmd) {
    insp_error(c, cmd->pos, "Cmd must be an array of strings, not %s",
               insp_type_name(cmd->type));
  }
  pm_b_set(&c->pm, e, "cmd", argv);
  pm_b_set(&c->pm, e, "env",
           insp_env(c, insp_field(c, &v, "Env", PM_ARR, true), "Env", body->pos));
  pm_b_set(&c->pm, e, "working_dir",
           insp_str_or_null(c, insp_field(c, &v, "WorkingDir", PM_STR, false),
                            body->pos));
  return e;
}

/* POST /containers/{id}/update: new resources and restart policy. */
static pm_value *update_model(insp_ctx *c, const pm_value *body) {
  insp_view v = insp_view_one(c, body, "");
  pm_value *u = pm_b_obj(&c->pm, PM_SCHEMA_REQUEST_UPDATE, body->pos);
  if (u == NULL) return NULL;
  pm_b_set(&c->pm, u, "resources", insp_resources(c, &v, NULL));
  pm_b_set(&c->pm, u, "restart", insp_restart(c, &v));
  insp_update_grants(c, &v, u);
  return u;
}

/* Decodes and reads RequestBody; returns the JSON tree or NULL. */
static pm_value *read_body(insp_ctx *c, const pm_value *raw, bool want_json,
                           bool *present) {
  *present = false;
  if (raw == NULL || raw->u.str.len == 0) return NULL;
  char *bytes = pol_malloc(raw->u.str.len + 1);
  size_t n = 0;
  if (bytes == NULL) {
    c->pm.oom = true;
    return NULL;
  }
  if (!b64_decode(raw->u.str.s, raw->u.str.len, bytes, &n)) {
    pol_free(bytes);
    insp_error(c, raw->pos, "RequestBody is not valid base64");
    *present = true;
    return NULL;
  }
  *present = n > 0;
  pm_value *tree = NULL;
  pol_buf err = POL_BUF_INIT;
  pm_pos at;
  char *file = NULL;
  if (n > 0) {
    pol_buf name = POL_BUF_INIT;
    pol_buf_printf(&name, "%s#RequestBody", c->path);
    file = name.oom ? NULL : pol_arena_strdup(c->pm.a, name.data);
    pol_buf_free(&name);
  }
  int rc = file ? insp_json_parse(c->pm.a, bytes, n, file, &c->lim, &tree, &err, &at)
                : INSP_JSON_OK;
  if (n > 0 && file == NULL) c->pm.oom = true;
  else if (rc == INSP_JSON_NOMEM || err.oom) c->pm.oom = true;
  else if (rc == INSP_JSON_LIMIT) c->over_limit = true;
  else if (rc == INSP_JSON_SYNTAX && want_json)
    insp_error(c, raw->pos, "RequestBody (decoded) %u:%u: %s", (unsigned)at.line,
               (unsigned)at.col, err.data ? err.data : "invalid JSON");
  pol_buf_free(&err);
  pol_free(bytes);
  return rc == INSP_JSON_OK ? tree : NULL;
}

/* The settings a body-carrying route takes, from its decoded body. */
static void body_settings(insp_ctx *c, pm_value *req, const char *route,
                          pm_value *body, const pm_value *query,
                          const pm_value *raw) {
  bool create = !strcmp(route, "/containers/create");
  bool exec = !strcmp(route, "/containers/{id}/exec");
  bool update = !strcmp(route, "/containers/{id}/update");
  if (!create && !exec && !update) return;
  if (body->type != PM_MAP) {
    insp_error(c, raw->pos, "RequestBody of %s must be a JSON object, not %s",
               route, insp_type_name(body->type));
    return;
  }
  c->body_at = raw->pos;
  if (create) {
    pm_value *ctr = create_container(c, body, pm_get(query, "name"));
    pm_value *list = pm_get(c->doc, "containers");
    if (ctr)
      pm_b_set(&c->pm, req, "container", pm_b_int(&c->pm, (int64_t)list->u.arr.len - 1, raw->pos));
  } else if (exec) {
    pm_b_set(&c->pm, req, "exec", exec_model(c, body));
  } else {
    pm_b_set(&c->pm, req, "update", update_model(c, body));
  }
  c->body_at = pm_nopos;
}

void insp_authz(insp_ctx *c, const pm_value *node, const char *path) {
  insp_view top = insp_view_one(c, node, path);
  pm_pos pos = node->pos;
  const pm_value *method = insp_field(c, &top, "RequestMethod", PM_STR, false);
  const pm_value *uri = insp_field(c, &top, "RequestUri", PM_STR, false);
  const pm_value *user = insp_field(c, &top, "User", PM_STR, false);
  const pm_value *authn = insp_field(c, &top, "UserAuthNMethod", PM_STR, false);
  const pm_value *raw = insp_field(c, &top, "RequestBody", PM_STR, true);
  const pm_value *status = insp_field(c, &top, "ResponseStatusCode", PM_INT, false);
  insp_view hv;
  insp_sub(c, &top, "RequestHeaders", true, &hv);
  pm_value *headers = insp_string_map(c, &hv, pos);
  pm_value *req = pm_b_new(&c->pm, PM_SCHEMA_REQUEST, pos);
  if (req == NULL || headers == NULL) return;
  const char *m = method ? method->u.str.s : "";
  char version[16] = "";
  char *p = uri ? insp_route_path(c, uri->u.str.s, uri->u.str.len, version)
                : NULL;
  insp_route rt = p ? insp_route_match(m, p) : (insp_route){NULL, false};
  pm_value *query = uri ? query_map(c, uri) : pm_b_map(&c->pm, pos);
  const pm_value *ct = header(headers, "Content-Type");
  bool present;
  pm_value *body = read_body(c, raw, rt.needs_body || is_json_type(ct), &present);
  pm_pos mpos = method ? method->pos : pos, upos = uri ? uri->pos : pos;
  pm_pos bpos = raw ? raw->pos : pos;
  bool response = status && status->u.i != 0;

  pm_b_set(&c->pm, req, "phase", pm_b_str(&c->pm, response ? "response" : "request", pos));
  pm_b_set(&c->pm, req, "method", insp_str_or_null(c, method, pos));
  pm_b_set(&c->pm, req, "uri", insp_or_null(c, uri, pos));
  pm_b_set(&c->pm, req, "path", p ? pm_b_str(&c->pm, p, upos) : pm_b_null(&c->pm, pos));
  pm_b_set(&c->pm, req, "api_version",
           version[0] ? pm_b_str(&c->pm, version, upos) : pm_b_null(&c->pm, upos));
  pm_b_set(&c->pm, req, "query", query);
  pm_b_set(&c->pm, req, "route",
           rt.route ? pm_b_str(&c->pm, rt.route, upos) : pm_b_null(&c->pm, upos));
  pm_b_set(&c->pm, req, "state_changing", pm_b_bool(&c->pm, *m && !is_safe_method(m), mpos));
  pm_b_set(&c->pm, req, "needs_body", pm_b_bool(&c->pm, rt.needs_body, upos));
  pm_b_set(&c->pm, req, "body_present", pm_b_bool(&c->pm, present, bpos));
  pm_b_set(&c->pm, req, "body_missing", pm_b_bool(&c->pm, rt.needs_body && !present, bpos));
  pm_b_set(&c->pm, req, "content_type", insp_str_or_null(c, ct, pos));
  pm_b_set(&c->pm, req, "user", insp_str_or_null(c, user, pos));
  pm_b_set(&c->pm, req, "auth_method", insp_str_or_null(c, authn, pos));
  pm_b_set(&c->pm, req, "headers", headers);
  pm_b_set(&c->pm, req, "response_status",
           response ? (pm_value *)status : pm_b_null(&c->pm, pos));
  pm_b_set(&c->pm, req, "body", insp_or_null(c, body, bpos));
  if (method == NULL || uri == NULL)
    insp_error(c, pos, "AuthZ request without %s",
               method == NULL ? "RequestMethod" : "RequestUri");
  if (rt.needs_body && !present)
    insp_error(c, raw ? raw->pos : mpos,
               "%.10s %.200s arrived without a body: its settings cannot be "
               "checked, so the request must be denied",
               m, uri ? uri->u.str.s : "");
  else if (body && rt.route)
    body_settings(c, req, rt.route, body, query, raw);
  if (rt.route && p)
    insp_request_grants(c, req, rt.route, m, p, body, query, raw ? raw->pos : upos);
  pm_b_push(&c->pm, pm_get(c->doc, "requests"), req);
}
