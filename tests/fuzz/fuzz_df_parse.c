/*
** fuzz_df_parse.c: the Dockerfile syntax layer (df_parse), its position
** map (df_locate) and BuildKit's dump format (df_dump).
**
** Contract: any bytes parse to DF_OK or DF_ERR_SYNTAX (never NOMEM with
** memory available), every position is 1-based and inside the input, and
** every word's source offset lies inside its node's joined line.
*/
#include "dockerfile/parser.h"
#include "fuzz.h"

static uint32_t count_lines(const uint8_t *data, size_t size) {
  uint32_t n = 1;
  for (size_t i = 0; i < size; i++)
    if (data[i] == '\n') n++;
  return n;
}

static void check_pos(df_pos p, uint32_t lines) {
  fuzz_assert(p.line <= lines + 1);
}

static void check_node(const df_node *n, uint32_t lines) {
  check_pos(n->span.start, lines);
  check_pos(n->span.end, lines);
  for (size_t i = 0; i < n->nargs; i++) {
    const df_word *w = &n->args[i];
    fuzz_assert(w->s != NULL && w->s[w->len] == '\0');
    fuzz_assert(w->off == SIZE_MAX || w->off <= n->original_len);
    check_pos(w->span.start, lines);
    check_pos(w->span.end, lines);
  }
  for (size_t i = 0; i < n->nflags; i++)
    fuzz_assert(n->flags[i].s != NULL);
  for (size_t i = 0; i < n->nheredocs; i++)
    fuzz_assert(n->heredocs[i].content != NULL || n->heredocs[i].content_len == 0);
  /* Every offset of the joined line maps back into the file. */
  size_t step = n->original_len / 64 + 1;
  for (size_t off = 0; off <= n->original_len; off += step)
    check_pos(df_locate(n, off), lines);
  check_pos(df_locate(n, n->original_len), lines);
  if (n->inner) check_node(n->inner, lines);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FUZZ_MAX_INPUT) return 0;
  /* Small line limits on some inputs reach the long-line paths cheaply. */
  df_limits lim = {size % 7 == 0 ? 40 : 65535, size % 5 == 0 ? 8 : 0};
  pol_arena a = POL_ARENA_INIT;
  df_file f;
  int rc = df_parse(&a, (const char *)data, size, &lim, &f);
  fuzz_assert(rc == DF_OK || rc == DF_ERR_SYNTAX);
  fuzz_assert(rc != DF_ERR_SYNTAX || f.error != NULL);
  uint32_t lines = count_lines(data, size);
  for (size_t i = 0; i < f.nnodes; i++) check_node(&f.nodes[i], lines);
  pol_buf dump = POL_BUF_INIT;
  df_dump(&f, &dump);
  fuzz_assert(!dump.oom);
  pol_buf_free(&dump);
  pol_arena_free(&a);
  return 0;
}
