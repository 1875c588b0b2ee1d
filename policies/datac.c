/*
** datac.c: the build-time converter of the built-in pack's YAML data
** documents.
**
**   datac IN.yaml OUT.pmb
**
** Loads IN.yaml with this library's own YAML loader, under the limits
** api/rules.c gives a data document, and writes the value's binary form
** (model/blob.h) to OUT.pmb, which policy_engine_load_builtin reads back
** instead of parsing the YAML. Refuses a document that is not a mapping
** or whose tree shares a node (a YAML alias): its form would not be the
** same tree.
*/
#include <stdio.h>
#include <stdlib.h>

#include "model/blob.h"
#include "model/load.h"

static int by_address(const void *a, const void *b) {
  const pm_value *x = *(const pm_value *const *)a, *y = *(const pm_value *const *)b;
  return x < y ? -1 : x > y;
}

static void collect(const pm_value *v, const pm_value ***all, size_t *n, size_t *cap) {
  if (*n == *cap) {
    *cap = *cap ? 2 * *cap : 256;
    *all = realloc(*all, *cap * sizeof **all);
    if (*all == NULL) exit(1);
  }
  (*all)[(*n)++] = v;
  if (v->type == PM_ARR)
    for (size_t i = 0; i < v->u.arr.len; i++) collect(v->u.arr.items[i], all, n, cap);
  if (v->type == PM_MAP || v->type == PM_OBJ)
    for (size_t i = 0; i < v->u.obj.len; i++) collect(v->u.obj.items[i].val, all, n, cap);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: datac IN.yaml OUT.pmb\n");
    return 2;
  }
  FILE *in = fopen(argv[1], "rb");
  if (in == NULL) {
    perror(argv[1]);
    return 1;
  }
  pol_buf text = POL_BUF_INIT;
  char chunk[4096];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, in)) > 0) pol_buf_append(&text, chunk, got);
  fclose(in);
  pol_arena a = POL_ARENA_INIT;
  pm_load_limits lim = {256, 1000000}; /* api/rules.c: api_load_data_buffer */
  pm_value *v;
  pol_buf err = POL_BUF_INIT;
  if (text.oom || pm_load_yaml(&a, text.data ? text.data : "", text.len, &lim, &v, &err) != PM_LOAD_OK) {
    fprintf(stderr, "datac: %s:%s\n", argv[1], err.data ? err.data : " out of memory");
    return 1;
  }
  if (v->type != PM_MAP) {
    fprintf(stderr, "datac: %s: a data document must be a mapping at the top\n", argv[1]);
    return 1;
  }
  const pm_value **all = NULL;
  size_t n = 0, cap = 0;
  collect(v, &all, &n, &cap);
  qsort(all, n, sizeof *all, by_address);
  for (size_t i = 1; i < n; i++)
    if (all[i] == all[i - 1]) {
      fprintf(stderr, "datac: %s: a node is shared (a YAML alias): not supported\n", argv[1]);
      return 1;
    }
  pol_buf out = POL_BUF_INIT;
  if (!pm_blob_write(v, &out)) {
    fprintf(stderr, "datac: %s: the value has no binary form\n", argv[1]);
    return 1;
  }
  FILE *f = fopen(argv[2], "wb");
  if (f == NULL || fwrite(out.data, 1, out.len, f) != out.len || fclose(f) != 0) {
    perror(argv[2]);
    return 1;
  }
  free(all);
  pol_buf_free(&out);
  pol_buf_free(&err);
  pol_buf_free(&text);
  pol_arena_free(&a);
  return 0;
}
