/*
** cancel.c: the cancel flag of an engine's checks (policy_engine_set_cancel).
** check.c looks at it before each rule and hands it to the sandbox, which
** looks at it where it looks at the clock (engine/sandbox.c, worker.c).
*/
#include "../core/cancel.h"
#include "internal.h"

int policy_engine_set_cancel(policy_engine *e, const volatile int *flag) {
  if (e == NULL) return POLICY_ERR_INVALID;
  e->cancel = flag;
  return api_ok(e);
}

bool api_cancel_requested(const policy_engine *e) {
  return pol_cancel_requested(e->cancel);
}

int api_check_cancelled(policy_report *rep, policy_engine *e, const policy_document *doc) {
  rep_item it = {0};
  it.file = doc->path;
  it.message = "the check was cancelled (policy_engine_set_cancel) before every rule had run "
               "over this file: its findings are incomplete";
  if (!rep_add(rep, &rep->errors, &it)) return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  return api_fail(e, POLICY_ERR_CANCELLED, "the check of %s was cancelled", doc->path);
}
