/*
** compose.c: Compose inputs: the files a project reads besides the one
** given (.env, compose.override.yaml, extended and included files) are
** read here, through the engine's limits and only when they are regular
** files, and only while the engine allows reading files (host_access.c),
** except the files the call named; then the Dockerfiles its services
** build are linked (link.c).
*/
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../compose/compose.h"
#include "../core/alloc.h"
#include "internal.h"

/* The reads of one parse: the files the call named are always read;
** others only while the engine allows reading files. */
typedef struct io_ctx {
  policy_engine *e;
  const char *const *named;
  size_t nnamed;
} io_ctx;

static bool named(const io_ctx *io, const char *path) {
  for (size_t i = 0; i < io->nnamed; i++)
    if (!strcmp(io->named[i], path)) return true;
  return false;
}

static int io_read(void *ud, const char *path, char **data, size_t *len, pol_buf *why) {
  io_ctx *io = ud;
  const char *denied;
  if (!named(io, path) && !api_host_allows(io->e, POLICY_HOST_FILES, &denied)) {
    pol_buf_puts(why, denied);
    return CMP_IO_DENIED;
  }
  switch (api_read_regular(io->e, path, data, len, why)) {
  case API_READ_OK: return CMP_IO_OK;
  case API_READ_MISSING: return CMP_IO_MISSING;
  case API_READ_NOMEM: return CMP_IO_NOMEM;
  default: return CMP_IO_FAIL;
  }
}

static const char *io_getenv(void *ud, const char *name) {
  (void)ud;
  return getenv(name);
}

int api_compose(policy_engine *e, policy_document *doc, const char *const *files,
                size_t nfiles, const char *text, size_t len) {
  /* files[0]'s text is at hand when given: only the others are named reads */
  io_ctx ctx = {e, text ? files + 1 : files, text ? nfiles - 1 : nfiles};
  /* No getenv and no working directory when the environment is off:
  ** compose then takes variables from env files only and says so when one
  ** is unset, and relative bind sources stay relative. */
  bool env = api_host_allows(e, POLICY_HOST_ENV, NULL);
  cmp_io io = {io_read, env ? io_getenv : NULL, &ctx};
  char cwd[4096];
  cmp_opts o = {files, nfiles, text, len, nfiles == 1, e->env_file, {256, 1000000},
                env && getcwd(cwd, sizeof cwd) ? cwd : NULL};
  cmp_build_req *reqs;
  size_t nreqs;
  if (cmp_build(&doc->arena, &o, &io, &doc->root, &reqs, &nreqs) != CMP_OK)
    return POLICY_ERR_NOMEM;
  return api_link(e, &doc->arena, doc->root, reqs, nreqs);
}

int policy_engine_set_env_file(policy_engine *e, const char *path) {
  if (e == NULL) return POLICY_ERR_INVALID;
  char *copy = NULL;
  if (path && (copy = pol_strndup(path, strlen(path))) == NULL)
    return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  pol_free(e->env_file);
  e->env_file = copy;
  return api_ok(e);
}

int policy_parse_compose(policy_document **out, policy_engine *e,
                         const char *const *paths, size_t npaths) {
  if (out == NULL || e == NULL || paths == NULL || npaths == 0)
    return api_fail(e, POLICY_ERR_INVALID, "policy_parse_compose: bad argument");
  for (size_t i = 0; i < npaths; i++)
    if (paths[i] == NULL)
      return api_fail(e, POLICY_ERR_INVALID, "policy_parse_compose: NULL path");
  char *data;
  size_t len;
  pol_buf why = POL_BUF_INIT;
  int rc = api_read_regular(e, paths[0], &data, &len, &why);
  if (rc != API_READ_OK) {
    int status = rc == API_READ_NOMEM ? api_fail(e, POLICY_ERR_NOMEM, "out of memory")
                 : rc == API_READ_MISSING
                     ? api_fail(e, POLICY_ERR_IO, "%s: no such file or directory", paths[0])
                     : api_fail(e, POLICY_ERR_IO, "%s: %s", paths[0], why.data ? why.data : "");
    pol_buf_free(&why);
    return status;
  }
  pol_buf_free(&why);
  policy_document *doc = pol_calloc(1, sizeof *doc);
  if (doc == NULL) {
    pol_free(data);
    return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  }
  doc->arena.limit = (size_t)e->max_model;
  doc->kind = POLICY_KIND_COMPOSE;
  doc->path = pol_arena_strdup(&doc->arena, paths[0]);
  int status = doc->path ? api_compose(e, doc, paths, npaths, data, len) : POLICY_ERR_NOMEM;
  pol_free(data);
  return api_document_result(out, e, doc, status == POLICY_OK, false);
}
