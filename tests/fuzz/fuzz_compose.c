/*
** fuzz_compose.c: Compose files through the public API (policy_parse_buffer
** with POLICY_KIND_COMPOSE), then the model's JSON output.
**
** The file is named inside an empty folder made at start-up, so `include`,
** `extends`, `env_file` and `build` references resolve to files that do not
** exist (or, when absolute, to whatever regular file the path names: the
** readers must refuse FIFOs and devices and stay within the input limit).
**
** Contract: POLICY_OK (input problems are errors in the document) or
** POLICY_ERR_LIMIT (the model limit); never a crash, a leak, a hang.
*/
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "policy/policy.h"

static char dir[] = "/tmp/policy-fuzz-compose-XXXXXX";
static char path[64];

static void cleanup(void) { rmdir(dir); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FUZZ_MAX_INPUT) return 0;
  if (path[0] == '\0') {
    if (mkdtemp(dir) == NULL) abort();
    snprintf(path, sizeof path, "%s/compose.yaml", dir);
    atexit(cleanup);
  }
  policy_engine *e;
  fuzz_assert(policy_engine_new(&e) == POLICY_OK);
  fuzz_assert(policy_engine_set_limit(e, POLICY_LIMIT_MODEL_BYTES, 64u << 20) == POLICY_OK);
  fuzz_assert(policy_engine_set_limit(e, POLICY_LIMIT_INPUT_BYTES, 1u << 20) == POLICY_OK);
  policy_document *doc = NULL;
  int rc = policy_parse_buffer(&doc, e, path, data, size, POLICY_KIND_COMPOSE);
  fuzz_assert(rc == POLICY_OK || rc == POLICY_ERR_LIMIT);
  if (rc == POLICY_OK) {
    char *json;
    fuzz_assert(policy_document_to_json(&json, NULL, doc, size % 2 ? POLICY_JSON_PRETTY : 0) ==
                POLICY_OK);
    policy_free(json);
    policy_document_free(doc);
  }
  policy_engine_free(e);
  return 0;
}
