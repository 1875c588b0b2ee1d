/*
** fuzz_scan.c: vulnerability scan reports (Trivy, Grype, Docker Scout)
** through the public API (policy_parse_buffer with POLICY_KIND_SCAN, or
** AUTO by the input's length), linked to a Compose document that runs the
** image the example reports name, then the model's JSON output.
**
** Contract: POLICY_OK (input problems are errors in the document) or
** POLICY_ERR_LIMIT (the model limit); never a crash, a leak, a hang.
*/
#include "fuzz.h"
#include "policy/policy.h"

static const char compose[] =
    "services:\n  web:\n    image: registry.example.com/shop/web:1.4.2\n"
    "  api:\n    image: registry.example.com/shop/api:2.0.1\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FUZZ_MAX_INPUT) return 0;
  policy_engine *e;
  fuzz_assert(policy_engine_new(&e) == POLICY_OK);
  fuzz_assert(policy_engine_set_limit(e, POLICY_LIMIT_MODEL_BYTES, 64u << 20) == POLICY_OK);
  policy_document *c = NULL, *doc = NULL;
  fuzz_assert(policy_parse_buffer(&c, e, "compose.yaml", compose, sizeof compose - 1,
                                  POLICY_KIND_COMPOSE) == POLICY_OK);
  int kind = size % 2 ? POLICY_KIND_SCAN : POLICY_KIND_AUTO;
  int rc = policy_parse_buffer(&doc, e, "report.json", data, size, kind);
  fuzz_assert(rc == POLICY_OK || rc == POLICY_ERR_LIMIT || rc == POLICY_ERR_UNSUPPORTED);
  if (rc == POLICY_OK) {
    if (policy_document_kind(doc) == POLICY_KIND_SCAN) {
      size_t linked;
      rc = policy_document_link_scan(&linked, doc, c);
      fuzz_assert(rc == POLICY_OK || rc == POLICY_ERR_LIMIT);
    }
    char *json;
    fuzz_assert(policy_document_to_json(&json, NULL, doc, size % 3 ? POLICY_JSON_PRETTY : 0) ==
                POLICY_OK);
    policy_free(json);
    policy_document_free(doc);
  }
  policy_document_free(c);
  policy_engine_free(e);
  return 0;
}
