/*
** document.c: parsing into documents and reading them back.
*/
#include <string.h>
#include <time.h>

#include "../core/alloc.h"
#include "../dockerfile/stages.h"
#include "../inspect/dispatch.h"
#include "../model/to_json.h"
#include "../scan/scan.h"
#include "exceptions.h"
#include "internal.h"

static const char *kind_name(int kind) {
  switch (kind) {
  case POLICY_KIND_DOCKERFILE: return "Dockerfile";
  case POLICY_KIND_COMPOSE: return "Compose file";
  case POLICY_KIND_INSPECT: return "docker inspect output";
  case POLICY_KIND_REQUEST: return "Engine API request";
  case POLICY_KIND_SCAN: return "vulnerability scan report";
  case POLICY_KIND_RUN: return "docker run command line";
  default: return "unknown";
  }
}

/* docker inspect output, a create body or an AuthZ request: the content
** decides between POLICY_KIND_INSPECT and POLICY_KIND_REQUEST. Every JSON
** value costs the model well over 256 bytes, so a value count above
** max_model / 256 is refused (as the model limit) before it is allocated.
** Returns DFB_OK or DFB_ERR_NOMEM (*over set when a limit was the cause). */
static int build_json(policy_document *doc, const policy_engine *e,
                      const void *data, size_t len, bool *over) {
  size_t max_nodes = (size_t)(e->max_model / 256);
  bool request;
  int rc = insp_build(&doc->arena, doc->path, data, len,
                      max_nodes > 1024 ? max_nodes : 1024, &doc->root, &request);
  if (rc != INSP_OK) {
    *over = rc == INSP_ERR_LIMIT;
    return DFB_ERR_NOMEM;
  }
  doc->kind = request ? POLICY_KIND_REQUEST : POLICY_KIND_INSPECT;
  return DFB_OK;
}

/* A vulnerability scan report. The parsed report lives in a scratch arena
** bounded like the model, whose values cost it about 128 bytes each, so a
** value count above max_model / 128 is refused before it is allocated.
** The configuration's exceptions are applied to its vulnerabilities. */
static int build_scan(policy_document *doc, const policy_engine *e,
                      const void *data, size_t len, bool *over) {
  size_t max_nodes = (size_t)(e->max_model / 128);
  scan_opts o = {max_nodes > 1024 ? max_nodes : 1024, (size_t)e->max_model, time(NULL)};
  int rc = scan_build(&doc->arena, doc->path, data, len, &o, &doc->root);
  if (rc != SCAN_OK) {
    *over = rc == SCAN_ERR_LIMIT;
    return DFB_ERR_NOMEM;
  }
  doc->kind = POLICY_KIND_SCAN;
  return api_exceptions_apply(e, doc) ? DFB_OK : DFB_ERR_NOMEM;
}

int policy_parse_buffer(policy_document **out, policy_engine *e,
                        const char *path, const void *data, size_t len,
                        int kind) {
  if (out == NULL || e == NULL || (data == NULL && len > 0))
    return api_fail(e, POLICY_ERR_INVALID, "policy_parse_buffer: bad argument");
  if (path == NULL) path = "-";
  if (len > e->max_input)
    return api_fail(e, POLICY_ERR_LIMIT,
                    "input is larger than the limit POLICY_LIMIT_INPUT_BYTES "
                    "(%llu bytes)",
                    (unsigned long long)e->max_input);
  if (kind == POLICY_KIND_AUTO) kind = api_detect_kind(path, data, len);
  if (kind == POLICY_KIND_AUTO)
    return api_fail(e, POLICY_ERR_UNSUPPORTED,
                    "cannot tell what kind of file this is; name it "
                    "Dockerfile (or *.Dockerfile) or give its kind "
                    "instead of POLICY_KIND_AUTO");
  if (kind == POLICY_KIND_RUN)
    return api_fail(e, POLICY_ERR_UNSUPPORTED,
                    "a docker run command line is a list of arguments: parse it "
                    "with policy_parse_argv");
  if (kind != POLICY_KIND_DOCKERFILE && kind != POLICY_KIND_COMPOSE &&
      kind != POLICY_KIND_INSPECT && kind != POLICY_KIND_REQUEST && kind != POLICY_KIND_SCAN)
    return api_fail(e, POLICY_ERR_UNSUPPORTED,
                    "%s input is not supported yet", kind_name(kind));

  policy_document *doc = pol_calloc(1, sizeof *doc);
  if (doc == NULL) return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  doc->arena.limit = (size_t)e->max_model;
  doc->kind = kind;
  doc->path = pol_arena_strdup(&doc->arena, path);
  df_build_opts opts = {(const char *const *)e->build_args, e->nbuild_args,
                        e->target, (size_t)e->max_line, e->hadolint_ignores_off};
  int rc = DFB_ERR_NOMEM;
  bool over = false;
  if (doc->path && kind == POLICY_KIND_DOCKERFILE)
    rc = df_build(&doc->arena, path, data, len, &opts, &doc->root);
  else if (doc->path && kind == POLICY_KIND_COMPOSE)
    rc = api_compose(e, doc, &path, 1, data, len) == POLICY_OK ? DFB_OK : DFB_ERR_NOMEM;
  else if (doc->path && (kind == POLICY_KIND_SCAN || scan_sniff(data, len) != SCAN_NONE))
    rc = build_scan(doc, e, data, len, &over);
  else if (doc->path)
    rc = build_json(doc, e, data, len, &over);
  return api_document_result(out, e, doc, rc == DFB_OK, over);
}

int api_document_result(policy_document **out, policy_engine *e,
                        policy_document *doc, bool built, bool over) {
  if (!built) {
    over = over || doc->arena.over_limit;
    policy_document_free(doc);
    if (over)
      return api_fail(e, POLICY_ERR_LIMIT,
                      "the model needs more than the limit "
                      "POLICY_LIMIT_MODEL_BYTES (%llu bytes)",
                      (unsigned long long)e->max_model);
    return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  }
  *out = doc;
  return api_ok(e);
}

void policy_document_free(policy_document *doc) {
  if (doc == NULL) return;
  pol_arena_free(&doc->arena);
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

size_t policy_document_count(const policy_document *doc, const char *list) {
  static const char *const lists[] = {"images", "containers", "requests", "vulnerabilities",
                                      "errors", "warnings"};
  for (size_t i = 0; list && i < sizeof lists / sizeof lists[0]; i++) {
    if (strcmp(list, lists[i]) != 0) continue;
    const pm_value *l = diag_list(doc, list);
    return l && l->type == PM_ARR ? l->u.arr.len : 0;
  }
  return 0;
}

const char *policy_document_request_string(const policy_document *doc, size_t index,
                                           const char *field) {
  const pm_value *l = diag_list(doc, "requests");
  if (field == NULL || l == NULL || l->type != PM_ARR || index >= l->u.arr.len) return NULL;
  const pm_value *v = pm_get(l->u.arr.items[index], field);
  return v && v->type == PM_STR ? v->u.str.s : NULL;
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
  char *s = pol_buf_detach(&b, len);
  if (s == NULL) return POLICY_ERR_NOMEM;
  *out = s;
  return POLICY_OK;
}
