/*
** evaluate.c: policy_engine_eval, a Lua expression over a document
** (engine/expr.h), for exploring the model.
*/
#include <string.h>

#include "../core/alloc.h"
#include "../engine/expr.h"
#include "pack.h"

int policy_engine_eval(char **out, size_t *len, policy_engine *e, const policy_document *doc,
                       const char *pack, const char *expr, uint32_t flags) {
  if (out == NULL || e == NULL || doc == NULL || expr == NULL)
    return api_fail(e, POLICY_ERR_INVALID, "policy_engine_eval: NULL argument");
  const eng_mod_set *modules = NULL;
  if (pack) {
    for (size_t i = 0; i < e->npacks && modules == NULL; i++)
      if (strcmp(e->packs[i].name, pack) == 0) modules = e->packs[i].modules;
    if (modules == NULL) return api_fail(e, POLICY_ERR_INVALID, "no pack named '%s' is loaded", pack);
  }
  int st;
  eng_sandbox *sb = api_sandbox(e, &st);
  if (sb == NULL) return st;
  unsigned f = ((flags & POLICY_JSON_PRETTY) ? ENG_EXPR_PRETTY : 0) |
               ((flags & POLICY_JSON_NO_POSITIONS) ? 0 : ENG_EXPR_POSITIONS);
  pol_buf result = POL_BUF_INIT, err = POL_BUF_INIT;
  eng_sb_set_context(sb, NULL);
  st = eng_expr_eval(sb, expr, strlen(expr), doc->root, modules, f, &result, &err);
  if (eng_sb_needs_recycle(sb)) api_drop_sandbox(e);
  const char *why = err.data && !err.oom ? err.data : "out of memory";
  int rc = POLICY_OK;
  switch (st) {
  case ENG_SB_OK: break;
  case ENG_SB_ERR_SYNTAX:
  case ENG_SB_ERR_RUNTIME: rc = api_fail(e, POLICY_ERR_PARSE, "%s", why); break;
  case ENG_SB_ERR_INSTRUCTIONS:
    rc = api_fail(e, POLICY_ERR_LIMIT, "the expression used more than its %llu instructions "
                  "(limit POLICY_LIMIT_INSTRUCTIONS)", (unsigned long long)e->instructions);
    break;
  case ENG_SB_ERR_MEMORY:
    rc = api_fail(e, POLICY_ERR_LIMIT, "the expression used more than %llu bytes of memory "
                  "(limit POLICY_LIMIT_LUA_MEMORY_BYTES)", (unsigned long long)e->lua_memory);
    break;
  case ENG_SB_ERR_TIME:
    rc = api_fail(e, POLICY_ERR_LIMIT, "the expression ran longer than %llu ms (limit "
                  "POLICY_LIMIT_TIME_MS)", (unsigned long long)e->time_ms);
    break;
  default: rc = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  }
  pol_buf_free(&err);
  if (rc == POLICY_OK) {
    pol_buf_putc(&result, '\n');
    char *s = pol_buf_detach(&result, len);
    if (s == NULL) return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
    *out = s;
    return api_ok(e);
  }
  pol_buf_free(&result);
  return rc;
}
