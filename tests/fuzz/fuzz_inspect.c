/*
** fuzz_inspect.c: `docker inspect` output and Engine API / AuthZ request
** bodies through the public API (policy_parse_buffer with
** POLICY_KIND_INSPECT or POLICY_KIND_REQUEST, by the input's length), then
** the model's JSON output.
**
** Contract: POLICY_OK (input problems are errors in the document) or
** POLICY_ERR_LIMIT (the model limit); never a crash, a leak, a hang.
*/
#include "fuzz.h"
#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FUZZ_MAX_INPUT) return 0;
  policy_engine *e;
  fuzz_assert(policy_engine_new(&e) == POLICY_OK);
  fuzz_assert(policy_engine_set_limit(e, POLICY_LIMIT_MODEL_BYTES, 64u << 20) == POLICY_OK);
  int kind = size % 2 ? POLICY_KIND_INSPECT : POLICY_KIND_REQUEST;
  policy_document *doc = NULL;
  int rc = policy_parse_buffer(&doc, e, "inspect.json", data, size, kind);
  fuzz_assert(rc == POLICY_OK || rc == POLICY_ERR_LIMIT);
  if (rc == POLICY_OK) {
    char *json;
    fuzz_assert(policy_document_to_json(&json, NULL, doc, size % 3 ? POLICY_JSON_PRETTY : 0) ==
                POLICY_OK);
    policy_free(json);
    policy_document_free(doc);
  }
  policy_engine_free(e);
  return 0;
}
