/*
** rule_coverage.c: line coverage of the loaded rules
** (policy_engine_set_coverage, policy_engine_rule_coverage;
** engine/coverage.h counts the lines).
*/
#include <lauxlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../engine/coverage.h"
#include "internal.h"

int policy_engine_set_coverage(policy_engine *e, int on) {
  if (e == NULL) return POLICY_ERR_INVALID;
  if (on && e->isolation != POLICY_ISOLATE_NONE)
    return api_fail(e, POLICY_ERR_UNSUPPORTED, "coverage is counted in the calling process only: "
                    "set POLICY_ISOLATE_NONE (policy_engine_set_isolation) first");
  eng_cov_free(e->coverage);
  e->coverage = NULL;
  if (on && (e->coverage = eng_cov_new()) == NULL) {
    if (e->sb) eng_sb_set_coverage(e->sb, NULL);
    return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  }
  if (e->sb) eng_sb_set_coverage(e->sb, e->coverage);
  return api_ok(e);
}

/* "3, 7-9": the lines of l that did not run, as ranges. */
static void missed_text(pol_buf *b, const eng_cov_lines *l) {
  pol_buf_clear(b);
  for (size_t i = 0; i < l->n;) {
    if (l->ran[i]) {
      i++;
      continue;
    }
    size_t j = i;
    while (j + 1 < l->n && !l->ran[j + 1] && l->lines[j + 1] == l->lines[j] + 1) j++;
    if (b->len) pol_buf_puts(b, ", ");
    if (j == i) pol_buf_printf(b, "%u", (unsigned)l->lines[i]);
    else pol_buf_printf(b, "%u-%u", (unsigned)l->lines[i], (unsigned)l->lines[j]);
    i = j + 1;
  }
  if (b->len == 0) pol_buf_puts(b, "");
}

int policy_engine_rule_coverage(size_t *run, size_t *total, const char **missed,
                                policy_engine *e, size_t index) {
  if (e == NULL || run == NULL || total == NULL || index >= e->nrules)
    return api_fail(e, POLICY_ERR_INVALID, "policy_engine_rule_coverage: bad argument");
  if (e->coverage == NULL)
    return api_fail(e, POLICY_ERR_INVALID, "coverage is off (policy_engine_set_coverage)");
  if (!eng_cov_complete(e->coverage))
    return api_fail(e, POLICY_ERR_NOMEM, "out of memory counting the lines that ran");
  int st;
  eng_sandbox *sb = api_sandbox(e, &st);
  if (sb == NULL) return st;
  lua_State *L = eng_sb_state(sb);
  if (!lua_checkstack(L, 10)) return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  eng_rule_push_parts(sb, e->rules[index]); /* check, main, globals, envmt, cells */
  eng_cov_lines lines;
  bool ok = eng_cov_chunk(e->coverage, L, -4, &lines);
  lua_pop(L, 5);
  if (!ok) return api_fail(e, POLICY_ERR_NOMEM, "out of memory reading %s's lines",
                           e->rules[index]->origin);
  *run = lines.nrun;
  *total = lines.n;
  missed_text(&e->covbuf, &lines);
  eng_cov_lines_free(&lines);
  if (e->covbuf.oom) return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  if (missed) *missed = e->covbuf.data;
  return api_ok(e);
}
