/*
** dispatch.c: the entry of the inspect builder (see dispatch.h): parse, tell
** each object's shape from its keys, hand it to its builder.
*/
#include "dispatch.h"

#include <string.h>

#include "../model/doc.h"
#include "insp.h"

enum shape { S_UNKNOWN, S_CONTAINER, S_IMAGE, S_BLOB, S_CREATE, S_AUTHZ, S_SKIP };

/* Which kind of object this is, from the keys only `docker inspect`, an
** image config blob, a create body or an AuthZ request has. Blob keys are
** lower case by specification, so they are compared exactly; the others
** the way the Engine would match them. */
static enum shape shape_of(const pm_value *o) {
  if (insp_has(o, "RequestMethod") || insp_has(o, "RequestUri")) return S_AUTHZ;
  if (pm_get(o, "rootfs") || (pm_get(o, "config") && pm_get(o, "architecture")))
    return S_BLOB;
  bool host = insp_has(o, "HostConfig");
  if (host && (insp_has(o, "State") || insp_has(o, "Id") || insp_has(o, "Config")))
    return S_CONTAINER;
  if (insp_has(o, "RootFS") || insp_has(o, "RepoTags") || insp_has(o, "RepoDigests") ||
      (insp_has(o, "Config") && (insp_has(o, "Architecture") || insp_has(o, "Os"))))
    return S_IMAGE;
  if (host || insp_has(o, "Image") || insp_has(o, "Cmd") || insp_has(o, "Entrypoint"))
    return S_CREATE;
  if ((pm_get(o, "Mountpoint") && pm_get(o, "Scope")) || pm_get(o, "IPAM"))
    return S_SKIP;
  return S_UNKNOWN;
}

static void container_inspect(insp_ctx *c, const pm_value *node) {
  insp_container_src src;
  memset(&src, 0, sizeof src);
  src.origin = "inspect";
  src.node = node;
  insp_view top = insp_view_one(c, node, "");
  insp_sub(c, &top, "Config", true, &src.cfg);
  insp_sub(c, &top, "HostConfig", true, &src.host);
  insp_sub(c, &top, "NetworkSettings", true, &src.netset);
  src.netcfg.pos = node->pos;
  src.netcfg.path = "";
  src.name = insp_field(c, &top, "Name", PM_STR, false);
  src.apparmor = insp_field(c, &top, "AppArmorProfile", PM_STR, false);
  src.image_id = insp_field(c, &top, "Image", PM_STR, false);
  src.mounts = insp_field(c, &top, "Mounts", PM_ARR, true);
  insp_container(c, &src);
}

/* One object of the input; returns whether it is a request. */
static bool build_object(insp_ctx *c, const pm_value *o) {
  if (o->type != PM_MAP) {
    insp_error(c, o->pos, "expected a JSON object (a container, an image or a "
               "request), found %s", insp_type_name(o->type));
    return false;
  }
  switch (shape_of(o)) {
  case S_CONTAINER: container_inspect(c, o); return false;
  case S_IMAGE: insp_image(c, o, false); return false;
  case S_BLOB: insp_image(c, o, true); return false;
  case S_CREATE: insp_create_body(c, o); return true;
  case S_AUTHZ: insp_authz(c, o, ""); return true;
  case S_SKIP:
    insp_warning(c, o->pos, "skipped: a volume or network, not a container, "
                 "an image or a request");
    return false;
  default:
    insp_error(c, o->pos, "not docker inspect output of a container or an "
               "image, a create request body or an AuthZ request");
    return false;
  }
}

static void ctx_init(insp_ctx *c, pol_arena *a, const char *path,
                     size_t max_nodes) {
  memset(c, 0, sizeof *c);
  c->pm.a = a;
  c->path = path;
  c->lim.max_depth = 256;
  c->lim.max_nodes = max_nodes;
  c->doc = pm_doc_new(a, "inspect", path);
  if (c->doc == NULL) c->pm.oom = true;
  else pm_b_set(&c->pm, c->doc, "requests", pm_b_arr(&c->pm, pm_nopos));
}

/* The model of a parsed input (NULL when it did not parse). */
static int build_root(insp_ctx *c, const pm_value *root, pm_value **out,
                      bool *request) {
  if (!c->pm.oom) pm_b_set(&c->pm, c->doc, "raw", insp_or_null(c, root, pm_nopos));
  size_t objects = 0, requests = 0;
  if (root && root->type == PM_ARR) {
    for (size_t i = 0; i < root->u.arr.len && !c->pm.oom && !c->over_limit; i++, objects++)
      requests += build_object(c, root->u.arr.items[i]);
  } else if (root && !c->pm.oom) {
    requests += build_object(c, root);
    objects++;
  }
  if (c->over_limit) return INSP_ERR_LIMIT;
  *request = objects > 0 && requests == objects;
  if (*request) pm_b_set(&c->pm, c->doc, "kind", pm_b_str(&c->pm, "request", pm_nopos));
  if (c->pm.oom) return INSP_ERR_NOMEM;
  *out = c->doc;
  return INSP_OK;
}

int insp_build_tree(pol_arena *a, const char *path, const pm_value *root,
                    size_t max_nodes, pm_value **out, bool *request) {
  insp_ctx c;
  *out = NULL;
  *request = false;
  ctx_init(&c, a, path, max_nodes);
  return build_root(&c, root, out, request);
}

int insp_build(pol_arena *a, const char *path, const char *data, size_t len,
               size_t max_nodes, pm_value **out, bool *request) {
  insp_ctx c;
  *out = NULL;
  *request = false;
  ctx_init(&c, a, path, max_nodes);
  if (c.pm.oom) return INSP_ERR_NOMEM;
  pm_value *root = NULL;
  pol_buf err = POL_BUF_INIT;
  pm_pos at;
  int rc = insp_json_parse(a, data, len, NULL, &c.lim, &root, &err, &at);
  if (rc == INSP_JSON_SYNTAX && !err.oom)
    insp_error(&c, at, "%s", err.data ? err.data : "invalid JSON");
  bool err_oom = err.oom;
  pol_buf_free(&err);
  if (rc == INSP_JSON_LIMIT) return INSP_ERR_LIMIT;
  if (rc == INSP_JSON_NOMEM || err_oom) return INSP_ERR_NOMEM;
  return build_root(&c, root, out, request);
}
