/*
** argv.c: policy_parse_argv, a docker run or docker create command line
** into a document (runline/runline.h builds it).
*/
#include <string.h>

#include "../core/alloc.h"
#include "../runline/runline.h"
#include "internal.h"

int policy_parse_argv(policy_document **out, policy_engine *e, const char *path,
                      size_t argc, const char *const *argv) {
  if (out == NULL || e == NULL || (argv == NULL && argc > 0))
    return api_fail(e, POLICY_ERR_INVALID, "policy_parse_argv: bad argument");
  uint64_t total = 0;
  for (size_t i = 0; i < argc; i++) {
    if (argv[i] == NULL) return api_fail(e, POLICY_ERR_INVALID, "policy_parse_argv: argv[%zu] is NULL", i);
    total += strlen(argv[i]) + 1;
  }
  if (total > e->max_input)
    return api_fail(e, POLICY_ERR_LIMIT,
                    "the command line is larger than the limit POLICY_LIMIT_INPUT_BYTES "
                    "(%llu bytes)", (unsigned long long)e->max_input);
  if (path == NULL) path = "command-line";
  policy_document *doc = pol_calloc(1, sizeof *doc);
  if (doc == NULL) return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  doc->arena.limit = (size_t)e->max_model;
  doc->kind = POLICY_KIND_RUN;
  doc->path = pol_arena_strdup(&doc->arena, path);
  bool built = doc->path && run_build(&doc->arena, path, argc, argv, &doc->root) == RUN_OK;
  return api_document_result(out, e, doc, built, false);
}
