/*
** fuzz_shsplit.c: splitting RUN scripts into simple commands (shsplit).
**
** Contract: SH_OK or SH_ERR_LIMIT, never a crash; every command has an
** argv word, source ranges inside the script, and a depth within the
** limit. Small limits on some inputs reach the limit paths cheaply.
*/
#include "dockerfile/shsplit.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FUZZ_MAX_INPUT) return 0;
  df_sh_limits small = {4, 16};
  const df_sh_limits *lim = size % 4 == 0 ? &small : NULL;
  size_t max_depth = lim ? small.max_depth : 64;
  pol_arena a = POL_ARENA_INIT;
  df_sh_command *cmds = NULL;
  size_t n = 0;
  int rc = df_shsplit(&a, (const char *)data, size, lim, &cmds, &n);
  fuzz_assert(rc == SH_OK || rc == SH_ERR_LIMIT);
  for (size_t i = 0; rc == SH_OK && i < n; i++) {
    const df_sh_command *c = &cmds[i];
    fuzz_assert(c->argc >= 1);
    fuzz_assert(c->off <= c->end && c->end <= size);
    fuzz_assert(c->depth <= max_depth);
    for (size_t k = 0; k < c->argc; k++) {
      fuzz_assert(c->argv[k].s != NULL && c->argv[k].s[c->argv[k].len] == '\0');
      fuzz_assert(c->argv[k].off <= c->argv[k].end && c->argv[k].end <= size);
    }
    for (size_t k = 0; k < c->nassigns; k++)
      fuzz_assert(c->assigns[k].end <= size);
  }
  pol_arena_free(&a);
  return 0;
}
