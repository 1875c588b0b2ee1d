/*
** host_access.c: what parsing may read from the host besides its input
** (policy_engine_set_host_access). The engine keeps the flags it does NOT
** allow, so a new engine (all zero) allows everything; the readers of
** host files (input.c) and of the environment (compose.c) ask
** api_host_allows before each read.
*/
#include "internal.h"

int policy_engine_set_host_access(policy_engine *e, unsigned allowed) {
  if (e == NULL) return POLICY_ERR_INVALID;
  if (allowed & ~(unsigned)POLICY_HOST_ALL)
    return api_fail(e, POLICY_ERR_INVALID, "unknown host access flags 0x%x (POLICY_HOST_FILES, "
                    "POLICY_HOST_ENV)", allowed & ~(unsigned)POLICY_HOST_ALL);
  e->host_denied = (unsigned)POLICY_HOST_ALL & ~allowed;
  return api_ok(e);
}

unsigned policy_engine_host_access(const policy_engine *e) {
  return e ? (unsigned)POLICY_HOST_ALL & ~e->host_denied : 0;
}

bool api_host_allows(const policy_engine *e, unsigned flag, const char **why) {
  if (!(e->host_denied & flag)) return true;
  if (why)
    *why = flag == POLICY_HOST_FILES
               ? "the engine does not allow reading files (POLICY_HOST_FILES)"
               : "the engine does not allow reading the process environment (POLICY_HOST_ENV)";
  return false;
}
