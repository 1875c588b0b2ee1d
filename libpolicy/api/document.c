/*
** document.c: parsing into documents and reading them back.
*/
#include <string.h>

#include "../core/alloc.h"
#include "../dockerfile/build.h"
#include "../model/json.h"
#include "internal.h"

static const char *kind_name(int kind) {
  switch (kind) {
  case POLICY_KIND_DOCKERFILE: return "Dockerfile";
  case POLICY_KIND_COMPOSE: return "Compose file";
  case POLICY_KIND_INSPECT: return "docker inspect output";
  default: return "unknown";
  }
}

int policy_parse_buffer(policy_document **out, policy_engine *e,
                        const char *path, const void *data, size_t len,
                        int kind) {
  if (out == NULL || e == NULL || (data == NULL && len > 0))
    return api_fail(e, POLICY_ERR_INVALID, "policy_parse_buffer: bad argument");
  if (path == NULL) path = "-";
  if (len > e->max_input)
    return api_fail(e, POLICY_ERR_LIMIT,
                    "input is larger than the limit of %llu bytes "
                    "(raise it with --max-input-bytes)",
                    (unsigned long long)e->max_input);
  if (kind == POLICY_KIND_AUTO) kind = api_detect_kind(path, data, len);
  if (kind == POLICY_KIND_AUTO)
    return api_fail(e, POLICY_ERR_UNSUPPORTED,
                    "cannot tell what kind of file this is; name it "
                    "Dockerfile (or *.Dockerfile) or pass --kind");
  if (kind != POLICY_KIND_DOCKERFILE)
    return api_fail(e, POLICY_ERR_UNSUPPORTED,
                    "%s input is not supported yet", kind_name(kind));

  policy_document *doc = pol_calloc(1, sizeof *doc);
  if (doc == NULL) return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  doc->arena.limit = (size_t)e->max_model;
  doc->kind = kind;
  doc->path = parena_strdup(&doc->arena, path);
  df_build_opts opts = {(const char *const *)e->build_args, e->nbuild_args,
                        e->target, (size_t)e->max_line};
  int rc = doc->path ? df_build(&doc->arena, path, data, len, &opts, &doc->root)
                     : DFB_ERR_NOMEM;
  if (rc != DFB_OK) {
    bool over = doc->arena.over_limit;
    policy_document_free(doc);
    if (over)
      return api_fail(e, POLICY_ERR_LIMIT,
                      "the model needs more than the limit of %llu bytes "
                      "(raise it with --max-model-bytes)",
                      (unsigned long long)e->max_model);
    return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  }
  *out = doc;
  return api_ok(e);
}

void policy_document_free(policy_document *doc) {
  if (doc == NULL) return;
  parena_free(&doc->arena);
  pol_free(doc);
}

int policy_document_kind(const policy_document *doc) {
  return doc ? doc->kind : POLICY_KIND_AUTO;
}

const char *policy_document_path(const policy_document *doc) {
  return doc ? doc->path : NULL;
}

static const pm_value *diag_list(const policy_document *doc, const char *key) {
  return doc && doc->root ? pm_get(doc->root, key) : NULL;
}

static size_t diag_count(const policy_document *doc, const char *key) {
  const pm_value *l = diag_list(doc, key);
  return l ? l->u.arr.len : 0;
}

size_t policy_document_error_count(const policy_document *doc) {
  return diag_count(doc, "errors");
}

size_t policy_document_warning_count(const policy_document *doc) {
  return diag_count(doc, "warnings");
}

static int diag_get(const char **message, uint32_t *line, uint32_t *column,
                    const policy_document *doc, const char *key, size_t i) {
  const pm_value *l = diag_list(doc, key);
  if (l == NULL || i >= l->u.arr.len) return POLICY_ERR_INVALID;
  const pm_value *d = l->u.arr.items[i];
  const pm_value *m = pm_get(d, "message");
  if (message) *message = m ? m->u.str.s : "";
  if (line) *line = d->pos.line;
  if (column) *column = d->pos.col;
  return POLICY_OK;
}

int policy_document_error(const char **message, uint32_t *line,
                          uint32_t *column, const policy_document *doc,
                          size_t index) {
  return diag_get(message, line, column, doc, "errors", index);
}

int policy_document_warning(const char **message, uint32_t *line,
                            uint32_t *column, const policy_document *doc,
                            size_t index) {
  return diag_get(message, line, column, doc, "warnings", index);
}

int policy_document_to_json(char **out, size_t *len,
                            const policy_document *doc, uint32_t flags) {
  if (out == NULL || doc == NULL) return POLICY_ERR_INVALID;
  pol_buf b = POL_BUF_INIT;
  unsigned f = 0;
  if (flags & POLICY_JSON_PRETTY) f |= PM_JSON_PRETTY;
  if (flags & POLICY_JSON_NO_POSITIONS) f |= PM_JSON_NO_POS;
  pm_json_write(&b, doc->root, f);
  char *s = pbuf_detach(&b, len);
  if (s == NULL) return POLICY_ERR_NOMEM;
  *out = s;
  return POLICY_OK;
}
