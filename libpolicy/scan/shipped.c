/*
** shipped.c: which services, containers and images of another document
** ship the image a scan report is about (see scan.h).
**
** The report's image is known by its reference (scan.artifact), its ID
** and its repository digests. Another document's reference names it when
** registry and repository are equal and the tags are (an implicit tag is
** latest), or the digest is the report's or one of its repository
** digests; a reference by ID names it when the IDs are equal. Compose
** services and inspected containers are compared by their `image`,
** inspected images by their tags, digests and ID.
*/
#include <string.h>

#include "scan.h"

typedef struct target {
  const pm_value *ref;          /* scan.artifact (a ref), or NULL */
  const pm_value *image_id;     /* string, or NULL */
  const pm_value *repo_digests; /* [string], or NULL */
} target;

static const char *str(const pm_value *obj, const char *key) {
  const pm_value *v = pm_get(obj, key);
  return v && v->type == PM_STR ? v->u.str.s : NULL;
}

static bool same(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

/* The tag a reference pulls: its own, latest when implicit, NULL when it
** names a digest only. */
static const char *tag_of(const pm_value *ref) {
  const pm_value *implicit = pm_get(ref, "implicit_latest");
  if (implicit && implicit->type == PM_BOOL && implicit->u.b) return "latest";
  return str(ref, "tag");
}

static bool digest_known(const target *t, const char *digest) {
  if (digest == NULL) return false;
  if (t->ref && same(str(t->ref, "digest"), digest)) return true;
  for (size_t i = 0; t->repo_digests && i < t->repo_digests->u.arr.len; i++) {
    const pm_value *d = t->repo_digests->u.arr.items[i];
    const char *at = d->type == PM_STR ? strrchr(d->u.str.s, '@') : NULL;
    if (at && strcmp(at + 1, digest) == 0) return true;
  }
  return false;
}

static bool names_target(const target *t, const pm_value *ref) {
  if (ref == NULL || ref->type != PM_OBJ) return false;
  const char *id = str(ref, "id");
  if (id) return t->image_id && same(id, t->image_id->u.str.s);
  if (t->ref == NULL || !same(str(ref, "registry"), str(t->ref, "registry")) ||
      !same(str(ref, "repository"), str(t->ref, "repository")))
    return false;
  const char *digest = str(ref, "digest");
  if (digest) return digest_known(t, digest);
  return same(tag_of(ref), tag_of(t->ref));
}

typedef struct linker {
  pol_arena *a;
  pm_value *list;       /* scan.shipped_by */
  const char *path;     /* the other document's */
  size_t added;
  bool oom;
} linker;

static pm_value *text(linker *l, const char *s) {
  if (s == NULL) return pm_null(l->a, pm_nopos);
  return pm_str(l->a, s, pm_nopos);
}

static void add(linker *l, const char *kind, const pm_value *subject, const pm_value *ref,
                const char *dockerfile) {
  if (l->oom) return;
  const char *file = subject->pos.file ? subject->pos.file : l->path;
  pm_value *e = pm_obj_typed(l->a, PM_SCHEMA_SHIPPED_BY, pm_nopos);
  if (e == NULL || !pm_set(l->a, e, "kind", text(l, kind)) ||
      !pm_set(l->a, e, "name", text(l, str(subject, "name"))) ||
      !pm_set(l->a, e, "file", text(l, file)) ||
      !pm_set(l->a, e, "line", pm_int(l->a, subject->pos.line, pm_nopos)) ||
      !pm_set(l->a, e, "image", text(l, str(ref, "raw"))) ||
      !pm_set(l->a, e, "dockerfile", text(l, dockerfile)) || !pm_push(l->a, l->list, e)) {
    l->oom = true;
    return;
  }
  l->added++;
}

static void containers(linker *l, const target *t, const pm_value *list) {
  for (size_t i = 0; list && i < list->u.arr.len; i++) {
    const pm_value *ctr = list->u.arr.items[i];
    const pm_value *ref = pm_get(ctr, "image");
    if (!names_target(t, ref)) continue;
    const pm_value *built = pm_get(pm_get(ctr, "build"), "image");
    const char *dockerfile = NULL;
    if (built && built->type == PM_OBJ)
      dockerfile = built->pos.file ? built->pos.file : l->path; /* inline: in the Compose file */
    add(l, same(str(ctr, "origin"), "compose") ? "service" : "container", ctr, ref, dockerfile);
  }
}

static bool any_names(const target *t, const pm_value *refs) {
  for (size_t i = 0; refs && refs->type == PM_ARR && i < refs->u.arr.len; i++)
    if (names_target(t, refs->u.arr.items[i])) return true;
  return false;
}

static void images(linker *l, const target *t, const pm_value *list) {
  for (size_t i = 0; list && i < list->u.arr.len; i++) {
    const pm_value *img = list->u.arr.items[i];
    if (!same(str(img, "origin"), "inspect")) continue; /* a Dockerfile stage has no name */
    const char *id = str(img, "id");
    const pm_value *tags = pm_get(img, "repo_tags");
    bool by_id = id && t->image_id && same(id, t->image_id->u.str.s);
    if (by_id || any_names(t, tags) || any_names(t, pm_get(img, "repo_digests"))) {
      const pm_value *first = tags && tags->type == PM_ARR && tags->u.arr.len ? tags->u.arr.items[0] : NULL;
      add(l, "image", img, first, NULL);
    }
  }
}

bool scan_link(pol_arena *a, pm_value *scan_doc, const pm_value *other, const char *other_path,
               size_t *added) {
  *added = 0;
  pm_value *scan = pm_get(scan_doc, "scan");
  pm_value *list = pm_get(scan, "shipped_by");
  if (list == NULL || list->type != PM_ARR) return true;
  const pm_value *ref = pm_get(scan, "artifact");
  const pm_value *id = pm_get(scan, "image_id");
  target t = {ref && ref->type == PM_OBJ && !pm_get(ref, "error") ? ref : NULL,
              id && id->type == PM_STR ? id : NULL, pm_get(scan, "repo_digests")};
  if (t.ref == NULL && t.image_id == NULL) return true;
  linker l = {a, list, other_path, 0, false};
  containers(&l, &t, pm_get(other, "containers"));
  images(&l, &t, pm_get(other, "images"));
  *added = l.added;
  return !l.oom;
}
