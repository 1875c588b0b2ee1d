/*
** scan.c: the entry of the scan report readers (see scan.h): parse, tell
** the format from the top-level keys (as scan_sniff does on the text),
** hand the report to its reader.
*/
#include <string.h>

#include "scan_int.h"

static scan_format format_of(const pm_value *root) {
  if (root == NULL || root->type != PM_MAP) return SCAN_NONE;
  for (size_t i = 0; i < root->u.obj.len; i++) {
    const pm_member *m = &root->u.obj.items[i];
    if (strcmp(m->key, "SchemaVersion") == 0) return SCAN_TRIVY;
    if (strcmp(m->key, "matches") == 0 && m->val->type == PM_ARR) return SCAN_GRYPE;
    if (strcmp(m->key, "runs") == 0 && m->val->type == PM_ARR) return SCAN_SARIF;
  }
  return SCAN_NONE;
}

int scan_build(pol_arena *a, const char *path, const char *data, size_t len,
               const scan_opts *o, pm_value **doc) {
  scan_ctx c;
  *doc = NULL;
  scan_ctx_init(&c, a, path, o);
  const pm_value *root = c.oom ? NULL : scan_parse_json(&c, data, len, NULL);
  switch (format_of(root)) {
  case SCAN_TRIVY: scan_read_trivy(&c, root); break;
  case SCAN_GRYPE: scan_read_grype(&c, root); break;
  case SCAN_SARIF: scan_read_scout(&c, root); break;
  case SCAN_NONE:
    if (root)
      scan_error(&c, root->pos, "not a vulnerability scan report: libpolicy reads Trivy "
                 "JSON (trivy image -f json), Grype JSON (grype -o json) and Docker Scout "
                 "SARIF (docker scout cves --format sarif)");
    break;
  }
  if (c.scan == NULL) { /* no report: an empty scan, so rules still see the fields */
    scan_meta m;
    memset(&m, 0, sizeof m);
    m.scanner = "unknown";
    m.pos = root ? root->pos : pm_pos_make(1, 1, 1, 1);
    scan_set_meta(&c, &m);
  }
  bool over = c.over_limit || c.scratch.over_limit;
  scan_ctx_free(&c);
  if (over) return SCAN_ERR_LIMIT;
  if (c.oom) return SCAN_ERR_NOMEM;
  *doc = c.doc;
  return SCAN_OK;
}
