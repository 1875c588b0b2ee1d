/*
** fuzz_suppression.c: inline suppression comments (pm_suppression):
** "# policy ignore=...", "# hadolint global ignore=...", reasons after
** "--"; and hadolint's pragma grammar (pm_pragma_parse).
**
** Contract: a comment is a suppression or not, never a crash; each one
** adds one entry with at least one id to the document's suppressions. A
** pragma parse either refuses the line or yields its kind with at least
** one code (ignore kinds) or a non-empty shell name, all within the line.
** The input is split on newlines and each line is parsed as a comment, so
** one input exercises several entries in the same document.
*/
#include <string.h>

#include "fuzz.h"
#include "model/doc.h"
#include "model/to_json.h"
#include "model/suppress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FUZZ_MAX_INPUT) return 0;
  pol_arena a = POL_ARENA_INIT;
  pm_value *doc = pm_doc_new(&a, "dockerfile", "Dockerfile");
  fuzz_assert(doc != NULL);
  const char *p = (const char *)data, *end = p + size;
  uint32_t line = 1;
  size_t added = 0;
  while (p <= end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *e = nl ? nl : end;
    bool oom = false;
    pm_pos pos = pm_pos_make(line, 1, line, (uint32_t)(e - p) + 1);
    if (pm_suppression(&a, doc, p, (size_t)(e - p), pos, line + 1, line + 2, &oom))
      added++;
    fuzz_assert(!oom);
    pm_pragma prag;
    const char *t = p < e && *p == '#' ? p + 1 : p; /* the text after the '#' */
    pm_pragma_kind k = pm_pragma_parse(t, (size_t)(e - t), &prag);
    if (k == PM_PRAGMA_SHELL) {
      fuzz_assert(prag.shell >= p && prag.shell_len > 0 && prag.shell + prag.shell_len <= e);
    } else if (k != PM_PRAGMA_NONE) {
      fuzz_assert(prag.codes >= p && prag.codes < prag.codes_end && prag.codes_end <= e);
      pm_value *ids = pm_pragma_codes(&a, &prag, pos);
      fuzz_assert(ids && ids->u.arr.len > 0);
      fuzz_assert(pm_pragma_add(&a, doc, &prag, pos));
    }
    line++;
    if (nl == NULL) break;
    p = nl + 1;
  }
  const pm_value *list = pm_get(doc, "suppressions");
  fuzz_assert(added == (list ? list->u.arr.len : 0));
  for (size_t i = 0; list && i < list->u.arr.len; i++) {
    const pm_value *ids = pm_get(list->u.arr.items[i], "ids");
    fuzz_assert(ids && ids->type == PM_ARR && ids->u.arr.len > 0);
  }
  pol_buf out = POL_BUF_INIT;
  pm_json_write(&out, doc, 0);
  fuzz_assert(!out.oom);
  pol_buf_free(&out);
  pol_arena_free(&a);
  return 0;
}
