/*
** link.c: the Dockerfiles of Compose services that build their image.
**
** Each Dockerfile is read (relative to the build context, itself relative
** to the folder of the file that declares it; only regular files, within
** the input limit), parsed with the service's build arguments and target,
** and linked: `build.image` is the stage that is built, `effective_user`
** falls back to that stage's user. The stages of each Dockerfile join the
** document's `images` once, positioned in the Dockerfile itself (pos.file),
** with its errors, warnings and suppression comments. A Dockerfile that
** cannot be read, or that the engine does not allow reading
** (POLICY_HOST_FILES), is a warning of the document, at the service's
** `build`.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../compose/compose.h"
#include "../compose/marks.h"
#include "../core/alloc.h"
#include "../dockerfile/stages.h"
#include "../model/doc.h"
#include "internal.h"

typedef struct linker {
  policy_engine *e;
  pol_arena *a;
  pm_value *doc;
  pm_value *seen;   /* Dockerfile paths already in the document */
  pm_value *parsed; /* parse key -> the stage built, or null */
  bool oom;
} linker;

/* Sets pos.file and shifts lines in every positioned node of a tree (and
** in its `line` and `end_line` fields), once per node however often the
** tree shares it. */
static void place(linker *l, cmp_memo *done, pm_value *v, const char *file, uint32_t shift) {
  if (v == NULL || l->oom || cmp_memo_get(done, v)) return;
  if (!cmp_memo_put(l->a, done, v, v)) { l->oom = true; return; }
  if (v->pos.line) {
    v->pos.file = file;
    v->pos.line += shift;
    v->pos.end_line += shift;
  }
  if (v->type == PM_ARR) {
    for (size_t i = 0; i < v->u.arr.len; i++) place(l, done, v->u.arr.items[i], file, shift);
    return;
  }
  if (v->type != PM_OBJ && v->type != PM_MAP) return;
  for (size_t i = 0; i < v->u.obj.len; i++) {
    pm_member *m = &v->u.obj.items[i];
    /* The model's own line numbers (instructions, commands) move too. */
    if (v->type == PM_OBJ && m->val->type == PM_INT && !cmp_memo_get(done, m->val) &&
        (!strcmp(m->key, "line") || !strcmp(m->key, "end_line")))
      m->val->u.i += shift;
    place(l, done, m->val, file, shift);
  }
}

static void warn(linker *l, const pm_value *at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void warn(linker *l, const pm_value *at, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (!pm_doc_warning(l->a, l->doc, msg, at->pos)) l->oom = true;
}

static void append_all(linker *l, const char *list, const pm_value *from, const char *file) {
  const pm_value *items = pm_get(from, list);
  pm_value *to = pm_get(l->doc, list);
  for (size_t i = 0; items && i < items->u.arr.len; i++) {
    pm_value *it = items->u.arr.items[i];
    if (file && !strcmp(list, "suppressions") && !pm_set(l->a, it, "file", pm_str(l->a, file, it->pos)))
      l->oom = true;
    if (to == NULL || !pm_push(l->a, to, it)) l->oom = true;
  }
}

/* The stage the build produces: the one marked final. */
static pm_value *final_stage(const pm_value *ddoc) {
  const pm_value *images = pm_get(ddoc, "images");
  for (size_t i = 0; images && i < images->u.arr.len; i++) {
    const pm_value *f = pm_get(images->u.arr.items[i], "final");
    if (f && f->type == PM_BOOL && f->u.b) return images->u.arr.items[i];
  }
  return NULL;
}

/* Parses a Dockerfile's text; the first parse of each path joins the
** document. Returns the built stage or NULL. */
static pm_value *parse(linker *l, const cmp_build_req *r, const char *label,
                       const char *file, uint32_t shift, const char *text, size_t len,
                       bool first) {
  df_build_opts o = {r->args, r->nargs, r->target, (size_t)l->e->max_line,
                     l->e->hadolint_ignores_off};
  pm_value *ddoc;
  if (df_build(l->a, label, text, len, &o, &ddoc) != DFB_OK) { l->oom = true; return NULL; }
  cmp_memo done = {0};
  place(l, &done, ddoc, file, shift);
  if (l->oom) return NULL;
  if (first) {
    append_all(l, "images", ddoc, NULL);
    append_all(l, "errors", ddoc, NULL);
    append_all(l, "warnings", ddoc, NULL);
    if (file && shift == 0) append_all(l, "suppressions", ddoc, file);
  }
  return final_stage(ddoc);
}

static bool remote(const char *ctx) {
  return strstr(ctx, "://") || !strncmp(ctx, "git@", 4) || !strncmp(ctx, "github.com/", 11);
}

/* The key of one parse: the path, the target and the arguments. */
static char *parse_key(linker *l, const char *path, const cmp_build_req *r) {
  pol_buf b = POL_BUF_INIT;
  pol_buf_printf(&b, "%s\n%s", path, r->target ? r->target : "");
  for (size_t i = 0; i < r->nargs; i++) pol_buf_printf(&b, "\n%s", r->args[i]);
  char *k = b.oom ? NULL : pol_arena_strdup(l->a, b.data);
  pol_buf_free(&b);
  if (k == NULL) l->oom = true;
  return k;
}

static pm_value *from_file(linker *l, const cmp_build_req *r, const pm_value *at) {
  if (remote(r->context)) {
    warn(l, at, "build context %s is remote; its Dockerfile is not checked", r->context);
    return NULL;
  }
  char *ctx = cmp_path_join(l->a, r->dir, r->context);
  char *path = ctx ? cmp_path_join(l->a, ctx, r->dockerfile ? r->dockerfile : "Dockerfile") : NULL;
  char *key = path ? parse_key(l, path, r) : NULL;
  if (key == NULL) { l->oom = true; return NULL; }
  const pm_value *known = pm_get(l->parsed, key);
  if (known) return known->type == PM_NULL ? NULL : (pm_value *)known;
  bool first = pm_get(l->seen, path) == NULL;
  char *data;
  size_t len;
  pol_buf why = POL_BUF_INIT;
  const char *denied = NULL;
  bool allowed = api_host_allows(l->e, POLICY_HOST_FILES, &denied);
  int rc = allowed ? api_read_regular(l->e, path, &data, &len, &why) : API_READ_FAIL;
  pm_value *img = NULL;
  if (!allowed)
    warn(l, at, "the Dockerfile %s is not read: %s", path, denied);
  else if (rc == API_READ_NOMEM) l->oom = true;
  else if (rc == API_READ_MISSING)
    warn(l, at, "the Dockerfile %s could not be read: no such file or directory", path);
  else if (rc != API_READ_OK)
    warn(l, at, "the Dockerfile %s could not be read: %s", path, why.data ? why.data : "");
  else {
    img = parse(l, r, path, path, 0, data, len, first);
    pol_free(data);
  }
  pol_buf_free(&why);
  if (l->oom) return NULL;
  if ((first && !pm_set(l->a, l->seen, path, pm_null(l->a, pm_nopos))) ||
      !pm_set(l->a, l->parsed, key, img ? img : pm_null(l->a, pm_nopos)))
    l->oom = true;
  return img;
}

/* dockerfile_inline: positioned in the Compose file that holds it (a block
** scalar's text starts on the line after its key). */
static pm_value *from_inline(linker *l, const cmp_build_req *r) {
  const pm_value *t = r->inline_text;
  uint32_t shift = t->pos.end_line > t->pos.line ? t->pos.line : t->pos.line - 1;
  return parse(l, r, t->pos.file ? t->pos.file : "dockerfile_inline", t->pos.file, shift,
               t->u.str.s, t->u.str.len, true);
}

int api_link(policy_engine *e, pol_arena *a, pm_value *doc, cmp_build_req *reqs,
             size_t n) {
  linker l = {e, a, doc, pm_map(a, pm_nopos), pm_map(a, pm_nopos), false};
  if (l.seen == NULL || l.parsed == NULL) return POLICY_ERR_NOMEM;
  for (size_t i = 0; i < n && !l.oom; i++) {
    const cmp_build_req *r = &reqs[i];
    pm_value *build = pm_get(r->container, "build");
    pm_value *img = r->inline_text ? from_inline(&l, r) : from_file(&l, r, build);
    if (img == NULL) continue;
    if (!pm_set(a, build, "image", img)) l.oom = true;
    pm_value *user = pm_get(r->container, "user");
    pm_value *iu = pm_get(img, "user");
    if ((user == NULL || user->type == PM_NULL) && iu &&
        !pm_set(a, r->container, "effective_user", iu))
      l.oom = true;
  }
  return l.oom ? POLICY_ERR_NOMEM : POLICY_OK;
}
