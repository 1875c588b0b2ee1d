/*
** image.c: `docker image inspect` objects, and image config blobs (what
** an image carries inside: lower-case keys config, rootfs, history), into
** the model's `image` (origin "inspect").
**
** The Dockerfile-only fields of an image (args, copies, secrets,
** instructions, commands) are empty; `from` and `parent` are null: an
** image does not record its base. What inspect adds: id, repo_tags,
** repo_digests, created, rootfs and, from a config blob, history.
*/
#include <stdio.h>
#include <string.h>

#include "../model/ref.h"
#include "insp.h"

typedef struct names {
  const char *config, *rootfs, *type, *layers, *arch, *os, *variant, *created,
      *author;
} names;

static const names upper = {"Config", "RootFS", "Type", "Layers", "Architecture",
                            "Os", "Variant", "Created", "Author"};
static const names lower = {"config", "rootfs", "type", "diff_ids", "architecture",
                            "os", "variant", "created", "author"};

static bool argv_equal_prefix(const pm_value *argv, const pm_value *shell) {
  if (argv->u.arr.len != shell->u.arr.len + 1) return false;
  for (size_t i = 0; i < shell->u.arr.len; i++) {
    const pm_value *a = argv->u.arr.items[i], *b = shell->u.arr.items[i];
    if (a->u.str.len != b->u.str.len || memcmp(a->u.str.s, b->u.str.s, a->u.str.len))
      return false;
  }
  return true;
}

/* Entrypoint or Cmd (a string or a list of strings) as {form, argv}. The
** Engine stores a shell-form instruction as [shell..., text]; such a list
** reads as the shell form, since it runs exactly as one. */
static pm_value *exec_of(insp_ctx *c, const insp_view *cfg, const char *name,
                         const pm_value *shell) {
  const pm_value *v = insp_field(c, cfg, name, PM_NULL, true);
  if (v == NULL) return insp_null(c, cfg->pos);
  pm_value *argv;
  if (v->type == PM_STR) {
    argv = insp_arr(c, v->pos);
    insp_push(c, argv, (pm_value *)v);
  } else if (v->type == PM_ARR) {
    argv = insp_string_list(c, v, insp_path(c, cfg->path, name, -1), v->pos);
  } else {
    insp_error(c, v->pos, "%s.%s must be an array of strings, not %s", cfg->path,
               name, insp_type_name(v->type));
    return insp_null(c, v->pos);
  }
  if (argv == NULL) return NULL;
  pm_value *e = insp_obj(c, v->pos);
  bool sh = argv_equal_prefix(argv, shell);
  insp_set(c, e, "form", insp_str(c, sh ? "shell" : "exec", v->pos));
  insp_set(c, e, "argv", argv);
  return e;
}

static pm_value *default_shell(insp_ctx *c, pm_pos pos) {
  pm_value *sh = insp_arr(c, pos);
  insp_push(c, sh, insp_str(c, "/bin/sh", pm_nopos));
  insp_push(c, sh, insp_str(c, "-c", pm_nopos));
  return sh;
}

/* A list of refs from RepoTags or RepoDigests ("<none>:<none>", which old
** Engines list for an untagged image, is left out). */
static pm_value *refs(insp_ctx *c, const insp_view *top, const char *name) {
  const pm_value *src = insp_field(c, top, name, PM_ARR, true);
  pm_value *out = insp_arr(c, src ? src->pos : top->pos);
  for (size_t i = 0; out && src && i < src->u.arr.len && !c->oom; i++) {
    const pm_value *it = src->u.arr.items[i];
    if (!insp_str_item(c, it, name, i) || !strncmp(it->u.str.s, "<none>", 6))
      continue;
    pm_value *r = pm_ref_to_model(c->a, it->u.str.s, it->u.str.len, it->pos);
    if (r == NULL) c->oom = true;
    insp_push(c, out, r);
  }
  return out;
}

static pm_value *platform(insp_ctx *c, const insp_view *top, const names *k) {
  const pm_value *os = insp_field(c, top, k->os, PM_STR, false);
  const pm_value *arch = insp_field(c, top, k->arch, PM_STR, false);
  const pm_value *var = insp_field(c, top, k->variant, PM_STR, false);
  if (os == NULL || arch == NULL || !os->u.str.len || !arch->u.str.len)
    return insp_null(c, top->pos);
  char buf[256];
  size_t n = (size_t)snprintf(buf, sizeof buf, "%.80s/%.80s%s%.80s", os->u.str.s,
                              arch->u.str.s, var && var->u.str.len ? "/" : "",
                              var ? var->u.str.s : "");
  return insp_strn(c, buf, n < sizeof buf ? n : sizeof buf - 1, os->pos);
}

static pm_value *rootfs(insp_ctx *c, const insp_view *top, const names *k) {
  insp_view rv;
  if (!insp_sub(c, top, k->rootfs, true, &rv)) return insp_null(c, top->pos);
  pm_value *r = insp_obj(c, rv.pos);
  if (r == NULL) return NULL;
  insp_set(c, r, "type",
           insp_str_or_null(c, insp_field(c, &rv, k->type, PM_STR, false), rv.pos));
  insp_set(c, r, "layers",
           insp_string_list(c, insp_field(c, &rv, k->layers, PM_ARR, true),
                            insp_path(c, rv.path, k->layers, -1), rv.pos));
  return r;
}

/* history of a config blob: [{created, created_by, empty_layer, comment}]. */
static pm_value *history(insp_ctx *c, const insp_view *top, bool blob) {
  const pm_value *src = blob ? insp_field(c, top, "history", PM_ARR, true) : NULL;
  pm_value *out = insp_arr(c, src ? src->pos : top->pos);
  static const char *const fields[] = {"created", "created_by", "comment", "author"};
  for (size_t i = 0; out && src && i < src->u.arr.len && !c->oom; i++) {
    const pm_value *it = src->u.arr.items[i];
    const char *ip = insp_path(c, "history", "", (long)i);
    if (it->type != PM_MAP) {
      insp_error(c, it->pos, "%s must be an object, not %s", ip,
                 insp_type_name(it->type));
      continue;
    }
    insp_view hv = insp_view_one(c, it, ip);
    pm_value *h = insp_obj(c, it->pos);
    for (size_t f = 0; h && f < sizeof fields / sizeof fields[0]; f++)
      insp_set(c, h, fields[f],
               insp_str_or_null(c, insp_field(c, &hv, fields[f], PM_STR, false),
                                it->pos));
    const pm_value *empty = insp_field(c, &hv, "empty_layer", PM_BOOL, false);
    insp_set(c, h, "empty_layer", insp_bool(c, empty && empty->u.b, it->pos));
    insp_push(c, out, h);
  }
  return out;
}

static pm_value *volumes(insp_ctx *c, const insp_view *cfg) {
  insp_view vv;
  insp_sub(c, cfg, "Volumes", true, &vv);
  const pm_value *m = insp_merged(c, &vv);
  pm_value *out = insp_arr(c, m ? m->pos : cfg->pos);
  for (size_t i = 0; out && m && i < m->u.obj.len; i++)
    insp_push(c, out, insp_strn(c, m->u.obj.items[i].key, m->u.obj.items[i].key_len,
                                m->u.obj.items[i].val->pos));
  return out;
}

/* A string field of v, null when absent or empty. */
static pm_value *str_field(insp_ctx *c, const insp_view *v, const char *name) {
  return insp_str_or_null(c, insp_field(c, v, name, PM_STR, false), v->pos);
}

static pm_value *list_field(insp_ctx *c, const insp_view *v, const char *name) {
  const pm_value *arr = insp_field(c, v, name, PM_ARR, true);
  return insp_string_list(c, arr, insp_path(c, v->path, name, -1), v->pos);
}

void insp_image(insp_ctx *c, const pm_value *node, bool blob) {
  const names *k = blob ? &lower : &upper;
  insp_view top = insp_view_one(c, node, ""), cfg;
  insp_sub(c, &top, k->config, true, &cfg);
  pm_pos pos = node->pos;
  pm_value *img = insp_obj(c, pos), *images = pm_get(c->doc, "images");
  if (img == NULL) return;
  pm_value *tags = blob ? insp_arr(c, pos) : refs(c, &top, "RepoTags");
  pm_value *first = tags && tags->u.arr.len ? pm_get(tags->u.arr.items[0], "raw") : NULL;
  insp_set(c, img, "name", insp_or_null(c, first, pos));
  insp_set(c, img, "index", insp_int(c, (int64_t)images->u.arr.len, pm_nopos));
  insp_set(c, img, "final", insp_bool(c, true, pm_nopos));
  insp_set(c, img, "origin", insp_str(c, "inspect", pm_nopos));
  insp_set(c, img, "from", insp_null(c, pos));
  insp_set(c, img, "platform", platform(c, &top, k));
  insp_set(c, img, "parent", insp_null(c, pos));
  insp_set(c, img, "user", str_field(c, &cfg, "User"));
  insp_set(c, img, "workdir", str_field(c, &cfg, "WorkingDir"));
  const pm_value *shell = insp_field(c, &cfg, "Shell", PM_ARR, true);
  pm_value *sh = shell ? insp_string_list(c, shell, insp_path(c, cfg.path, "Shell", -1),
                                          shell->pos)
                       : NULL;
  insp_set(c, img, "shell", insp_or_null(c, sh, cfg.pos));
  if (sh == NULL) sh = default_shell(c, cfg.pos);
  if (sh == NULL) return;
  insp_set(c, img, "entrypoint", exec_of(c, &cfg, "Entrypoint", sh));
  insp_set(c, img, "cmd", exec_of(c, &cfg, "Cmd", sh));
  insp_set(c, img, "healthcheck", insp_healthcheck(c, &cfg));
  insp_set(c, img, "env",
           insp_env(c, insp_field(c, &cfg, "Env", PM_ARR, true),
                    insp_path(c, cfg.path, "Env", -1), cfg.pos));
  insp_set(c, img, "args", insp_map(c, pos));
  insp_view lv;
  insp_sub(c, &cfg, "Labels", true, &lv);
  insp_set(c, img, "labels", insp_string_map(c, &lv, cfg.pos));
  insp_set(c, img, "expose", insp_image_expose(c, &cfg, cfg.pos));
  insp_set(c, img, "volumes", volumes(c, &cfg));
  insp_set(c, img, "copies", insp_arr(c, pos));
  insp_set(c, img, "secrets", insp_arr(c, pos));
  insp_set(c, img, "stopsignal", str_field(c, &cfg, "StopSignal"));
  insp_set(c, img, "maintainer", str_field(c, &top, k->author));
  insp_set(c, img, "onbuild", list_field(c, &cfg, "OnBuild"));
  insp_set(c, img, "instructions", insp_arr(c, pos));
  insp_set(c, img, "commands", insp_arr(c, pos));
  insp_set(c, img, "id", blob ? insp_null(c, pos) : str_field(c, &top, "Id"));
  insp_set(c, img, "repo_tags", tags);
  insp_set(c, img, "repo_digests",
           blob ? insp_arr(c, pos) : refs(c, &top, "RepoDigests"));
  insp_set(c, img, "created", str_field(c, &top, k->created));
  insp_set(c, img, "rootfs", rootfs(c, &top, k));
  insp_set(c, img, "history", history(c, &top, blob));
  insp_push(c, images, img);
}
