/*
** image.c: `docker image inspect` objects, and image config blobs (what
** an image carries inside: lower-case keys config, rootfs, history), into
** the model's `image` (origin "inspect").
**
** The image starts with every field of the schema at its empty value
** (pm_b_new): the Dockerfile-only fields (args, copies, secrets,
** instructions, commands) stay empty, `from` and `parent` null (an image
** does not record its base). What inspect adds: id, repo_tags,
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
  if (v == NULL) return pm_b_null(&c->pm, cfg->pos);
  pm_value *argv;
  if (v->type == PM_STR) {
    argv = pm_b_arr(&c->pm, v->pos);
    pm_b_push(&c->pm, argv, (pm_value *)v);
  } else if (v->type == PM_ARR) {
    argv = insp_string_list(c, v, insp_path(c, cfg->path, name, -1), v->pos);
  } else {
    insp_error(c, v->pos, "%s.%s must be an array of strings, not %s", cfg->path,
               name, insp_type_name(v->type));
    return pm_b_null(&c->pm, v->pos);
  }
  if (argv == NULL) return NULL;
  pm_value *e = pm_b_obj(&c->pm, PM_SCHEMA_EXEC, v->pos);
  bool sh = argv_equal_prefix(argv, shell);
  pm_b_set(&c->pm, e, "form", pm_b_str(&c->pm, sh ? "shell" : "exec", v->pos));
  pm_b_set(&c->pm, e, "argv", argv);
  return e;
}

static pm_value *default_shell(insp_ctx *c, pm_pos pos) {
  pm_value *sh = pm_b_arr(&c->pm, pos);
  pm_b_push(&c->pm, sh, pm_b_str(&c->pm, "/bin/sh", pm_nopos));
  pm_b_push(&c->pm, sh, pm_b_str(&c->pm, "-c", pm_nopos));
  return sh;
}

/* A list of refs from RepoTags or RepoDigests ("<none>:<none>", which old
** Engines list for an untagged image, is left out). */
static pm_value *refs(insp_ctx *c, const insp_view *top, const char *name) {
  const pm_value *src = insp_field(c, top, name, PM_ARR, true);
  pm_value *out = pm_b_arr(&c->pm, src ? src->pos : top->pos);
  for (size_t i = 0; out && src && i < src->u.arr.len && !c->pm.oom; i++) {
    const pm_value *it = src->u.arr.items[i];
    if (!insp_str_item(c, it, name, i) || !strncmp(it->u.str.s, "<none>", 6))
      continue;
    pm_value *r = pm_ref_to_model(c->pm.a, it->u.str.s, it->u.str.len, it->pos);
    if (r == NULL) c->pm.oom = true;
    pm_b_push(&c->pm, out, r);
  }
  return out;
}

static pm_value *platform(insp_ctx *c, const insp_view *top, const names *k) {
  const pm_value *os = insp_field(c, top, k->os, PM_STR, false);
  const pm_value *arch = insp_field(c, top, k->arch, PM_STR, false);
  const pm_value *var = insp_field(c, top, k->variant, PM_STR, false);
  if (os == NULL || arch == NULL || !os->u.str.len || !arch->u.str.len)
    return pm_b_null(&c->pm, top->pos);
  char buf[256];
  size_t n = (size_t)snprintf(buf, sizeof buf, "%.80s/%.80s%s%.80s", os->u.str.s,
                              arch->u.str.s, var && var->u.str.len ? "/" : "",
                              var ? var->u.str.s : "");
  return pm_b_strn(&c->pm, buf, n < sizeof buf ? n : sizeof buf - 1, os->pos);
}

static pm_value *rootfs(insp_ctx *c, const insp_view *top, const names *k) {
  insp_view rv;
  if (!insp_sub(c, top, k->rootfs, true, &rv)) return pm_b_null(&c->pm, top->pos);
  pm_value *r = pm_b_obj(&c->pm, PM_SCHEMA_ROOTFS, rv.pos);
  if (r == NULL) return NULL;
  pm_b_set(&c->pm, r, "type",
           insp_str_or_null(c, insp_field(c, &rv, k->type, PM_STR, false), rv.pos));
  pm_b_set(&c->pm, r, "layers",
           insp_string_list(c, insp_field(c, &rv, k->layers, PM_ARR, true),
                            insp_path(c, rv.path, k->layers, -1), rv.pos));
  return r;
}

/* One entry of a config blob's history. */
static void history_entry(insp_ctx *c, pm_value *out, const pm_value *it,
                          const char *ip) {
  static const char *const fields[] = {"created", "created_by", "comment", "author"};
  insp_view hv = insp_view_one(c, it, ip);
  pm_value *h = pm_b_obj(&c->pm, PM_SCHEMA_HISTORY, it->pos);
  for (size_t f = 0; h && f < sizeof fields / sizeof fields[0]; f++)
    pm_b_set(&c->pm, h, fields[f],
             insp_str_or_null(c, insp_field(c, &hv, fields[f], PM_STR, false),
                              it->pos));
  const pm_value *empty = insp_field(c, &hv, "empty_layer", PM_BOOL, false);
  pm_b_set(&c->pm, h, "empty_layer", pm_b_bool(&c->pm, empty && empty->u.b, it->pos));
  pm_b_push(&c->pm, out, h);
}

/* history of a config blob: [{created, created_by, comment, author,
** empty_layer}]. */
static pm_value *history(insp_ctx *c, const insp_view *top, bool blob) {
  const pm_value *src = blob ? insp_field(c, top, "history", PM_ARR, true) : NULL;
  pm_value *out = pm_b_arr(&c->pm, src ? src->pos : top->pos);
  insp_each(c, out, src, "history", PM_MAP, history_entry);
  return out;
}

static pm_value *volumes(insp_ctx *c, const insp_view *cfg) {
  insp_view vv;
  insp_sub(c, cfg, "Volumes", true, &vv);
  const pm_value *m = insp_merged(c, &vv);
  pm_value *out = pm_b_arr(&c->pm, m ? m->pos : cfg->pos);
  for (size_t i = 0; out && m && i < m->u.obj.len; i++)
    pm_b_push(&c->pm, out, pm_b_strn(&c->pm, m->u.obj.items[i].key, m->u.obj.items[i].key_len,
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
  pm_value *img = pm_b_new(&c->pm, PM_SCHEMA_IMAGE, pos), *images = pm_get(c->doc, "images");
  if (img == NULL) return;
  pm_value *tags = blob ? pm_b_arr(&c->pm, pos) : refs(c, &top, "RepoTags");
  pm_value *first = tags && tags->u.arr.len ? pm_get(tags->u.arr.items[0], "raw") : NULL;
  pm_b_set(&c->pm, img, "name", insp_or_null(c, first, pos));
  pm_b_set(&c->pm, img, "index", pm_b_int(&c->pm, (int64_t)images->u.arr.len, pm_nopos));
  pm_b_set(&c->pm, img, "final", pm_b_bool(&c->pm, true, pm_nopos));
  pm_b_set(&c->pm, img, "origin", pm_b_str(&c->pm, "inspect", pm_nopos));
  pm_b_set(&c->pm, img, "platform", platform(c, &top, k));
  pm_b_set(&c->pm, img, "user", str_field(c, &cfg, "User"));
  pm_b_set(&c->pm, img, "workdir", str_field(c, &cfg, "WorkingDir"));
  const pm_value *shell = insp_field(c, &cfg, "Shell", PM_ARR, true);
  pm_value *sh = shell ? insp_string_list(c, shell, insp_path(c, cfg.path, "Shell", -1),
                                          shell->pos)
                       : NULL;
  pm_b_set(&c->pm, img, "shell", insp_or_null(c, sh, cfg.pos));
  if (sh == NULL) sh = default_shell(c, cfg.pos);
  if (sh == NULL) return;
  pm_b_set(&c->pm, img, "entrypoint", exec_of(c, &cfg, "Entrypoint", sh));
  pm_b_set(&c->pm, img, "cmd", exec_of(c, &cfg, "Cmd", sh));
  pm_b_set(&c->pm, img, "healthcheck", insp_healthcheck(c, &cfg));
  pm_b_set(&c->pm, img, "env",
           insp_env(c, insp_field(c, &cfg, "Env", PM_ARR, true),
                    insp_path(c, cfg.path, "Env", -1), cfg.pos));
  insp_view lv;
  insp_sub(c, &cfg, "Labels", true, &lv);
  pm_b_set(&c->pm, img, "labels", insp_string_map(c, &lv, cfg.pos));
  pm_b_set(&c->pm, img, "expose", insp_image_expose(c, &cfg, cfg.pos));
  pm_b_set(&c->pm, img, "volumes", volumes(c, &cfg));
  pm_b_set(&c->pm, img, "stopsignal", str_field(c, &cfg, "StopSignal"));
  pm_b_set(&c->pm, img, "maintainer", str_field(c, &top, k->author));
  pm_b_set(&c->pm, img, "onbuild", list_field(c, &cfg, "OnBuild"));
  pm_b_set(&c->pm, img, "id", blob ? pm_b_null(&c->pm, pos) : str_field(c, &top, "Id"));
  pm_b_set(&c->pm, img, "repo_tags", tags);
  pm_b_set(&c->pm, img, "repo_digests",
           blob ? pm_b_arr(&c->pm, pos) : refs(c, &top, "RepoDigests"));
  pm_b_set(&c->pm, img, "created", str_field(c, &top, k->created));
  pm_b_set(&c->pm, img, "rootfs", rootfs(c, &top, k));
  pm_b_set(&c->pm, img, "history", history(c, &top, blob));
  pm_b_push(&c->pm, images, img);
}
