/*
** document_files.c: the files a document was read from besides its own
** path (policy_document_file_count, policy_document_file).
**
** They are found where the model names them: the positions of its
** images and containers, of its errors and warnings, and the files of its
** suppression comments. Only a Compose document has such positions (an
** override, an extended or included file, a Dockerfile a service builds).
*/
#include <string.h>

#include "../core/alloc.h"
#include "internal.h"

static const char *const lists[] = {"images", "containers", "errors", "warnings", "suppressions"};
#define NLISTS (sizeof lists / sizeof lists[0])

static const char *file_of(const pm_value *node) {
  const pm_value *named = pm_get(node, "file");
  return named && named->type == PM_STR ? named->u.str.s : node->pos.file;
}

/* Fills files (room for every node of the lists) with the distinct
** files in model order; returns how many. */
static size_t collect(const policy_document *doc, const char **files) {
  size_t n = 0;
  for (size_t l = 0; l < NLISTS; l++) {
    const pm_value *list = pm_get(doc->root, lists[l]);
    for (size_t i = 0; list && list->type == PM_ARR && i < list->u.arr.len; i++) {
      const char *file = file_of(list->u.arr.items[i]);
      if (file == NULL || strcmp(file, doc->path) == 0) continue;
      size_t k = 0;
      while (k < n && strcmp(files[k], file) != 0) k++;
      if (k == n) files[n++] = file;
    }
  }
  return n;
}

/* The distinct files, pol_malloc'd (NULL on out-of-memory). */
static const char **distinct(const policy_document *doc, size_t *n) {
  size_t nodes = 1;
  for (size_t l = 0; l < NLISTS; l++) {
    const pm_value *list = pm_get(doc->root, lists[l]);
    if (list && list->type == PM_ARR) nodes += list->u.arr.len;
  }
  const char **files = pol_malloc(nodes * sizeof *files);
  *n = files ? collect(doc, files) : 0;
  return files;
}

size_t policy_document_file_count(const policy_document *doc) {
  if (doc == NULL || doc->root == NULL) return 0;
  size_t n;
  pol_free(distinct(doc, &n));
  return n;
}

const char *policy_document_file(const policy_document *doc, size_t index) {
  if (doc == NULL || doc->root == NULL) return NULL;
  size_t n;
  const char **files = distinct(doc, &n);
  const char *found = index < n ? files[index] : NULL;
  pol_free(files);
  return found;
}
