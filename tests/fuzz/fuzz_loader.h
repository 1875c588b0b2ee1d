/*
** fuzz_loader.h: the body shared by the JSON and YAML loader targets:
** load, then write the model back as JSON.
**
** Contract: PM_LOAD_OK with a tree, or PM_LOAD_SYNTAX with a
** "line:column: message" text and no tree; never PM_LOAD_NOMEM while
** memory is available. Small limits on some inputs reach the depth and
** node-count paths cheaply.
*/
#ifndef POLICY_FUZZ_LOADER_H
#define POLICY_FUZZ_LOADER_H

#include <string.h>

#include "fuzz.h"
#include "model/to_json.h"
#include "model/load.h"

typedef int (*fuzz_load_fn)(pol_arena *a, const char *text, size_t len,
                            const pm_load_limits *limits, pm_value **out,
                            pol_buf *err);

static inline int fuzz_loader(fuzz_load_fn load, const uint8_t *data,
                              size_t size) {
  if (size > FUZZ_MAX_INPUT) return 0;
  pm_load_limits lim = size % 3 == 0 ? (pm_load_limits){8, 100}
                                     : (pm_load_limits){256, 1000000};
  pol_arena a = POL_ARENA_INIT;
  pol_buf err = POL_BUF_INIT;
  pm_value *v = NULL;
  int rc = load(&a, (const char *)data, size, &lim, &v, &err);
  fuzz_assert(rc == PM_LOAD_OK || rc == PM_LOAD_SYNTAX);
  if (rc == PM_LOAD_OK) {
    fuzz_assert(v != NULL);
    pol_buf out = POL_BUF_INIT;
    pm_json_write(&out, v, size % 2 ? PM_JSON_PRETTY : 0);
    fuzz_assert(!out.oom);
    pol_buf_free(&out);
  } else {
    fuzz_assert(v == NULL && err.len > 0 && !err.oom);
  }
  pol_buf_free(&err);
  pol_arena_free(&a);
  return 0;
}

#endif
