/*
** fuzz_df_build.c: the whole Dockerfile front end (parser, instruction
** checks, variable scoping and expansion, RUN splitting, suppression
** comments, the model) and the model's JSON output.
**
** Contract: any bytes build a document (input problems land in its
** errors[]), or fail only because the model limit was reached; the JSON
** written for it is well formed enough to start and end as an object.
** Options vary with the input's length so runs reach --target, build
** arguments and small line limits without spending input bytes on them.
*/
#include <string.h>

#include "dockerfile/stages.h"
#include "fuzz.h"
#include "model/to_json.h"

#define MODEL_LIMIT (64u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FUZZ_MAX_INPUT) return 0;
  static const char *const args[] = {"V=1", "TAG=3.20", "EMPTY=", "A=$B"};
  df_build_opts opts = {args, size % 2 ? 4 : 0, size % 3 == 0 ? "build" : NULL,
                        size % 5 == 0 ? 64 : 0, size % 7 == 0};
  pol_arena a = POL_ARENA_INIT;
  a.limit = MODEL_LIMIT;
  pm_value *doc = NULL;
  int rc = df_build(&a, "fuzz/Dockerfile", (const char *)data, size, &opts, &doc);
  fuzz_assert(rc == DFB_OK || (rc == DFB_ERR_NOMEM && a.over_limit));
  if (rc == DFB_OK) {
    fuzz_assert(doc != NULL);
    pol_buf out = POL_BUF_INIT;
    pm_json_write(&out, doc, size % 2 ? PM_JSON_PRETTY : PM_JSON_NO_POS);
    fuzz_assert(!out.oom && out.len >= 2 && out.data[0] == '{');
    pol_buf_free(&out);
  }
  pol_arena_free(&a);
  return 0;
}
