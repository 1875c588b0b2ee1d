/*
** scanlinks.c: policy_document_link_scan, a scan report linked to the
** services, containers and images of another document (scan/shipped.c).
*/
#include "../scan/scan.h"
#include "internal.h"

int policy_document_link_scan(size_t *linked, policy_document *scan,
                              const policy_document *other) {
  if (scan == NULL || other == NULL || scan->kind != POLICY_KIND_SCAN || scan->root == NULL)
    return POLICY_ERR_INVALID;
  size_t added = 0;
  if (other->root && !scan_link(&scan->arena, scan->root, other->root, other->path, &added))
    return scan->arena.over_limit ? POLICY_ERR_LIMIT : POLICY_ERR_NOMEM;
  if (linked) *linked = added;
  return POLICY_OK;
}
