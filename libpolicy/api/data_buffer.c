/*
** data_buffer.c: data documents from memory (policy_engine_load_data_buffer),
** for programs that hold them already and must not touch the host's files.
*/
#include "internal.h"

int policy_engine_load_data_buffer(policy_engine *e, const char *name, const char *text,
                                   size_t len) {
  if (e == NULL || name == NULL || (text == NULL && len > 0))
    return api_fail(e, POLICY_ERR_INVALID, "policy_engine_load_data_buffer: bad argument");
  if (len > e->max_input)
    return api_fail(e, POLICY_ERR_LIMIT, "%s: larger than the limit POLICY_LIMIT_INPUT_BYTES "
                    "(%llu bytes)", name, (unsigned long long)e->max_input);
  return api_load_data_buffer(e, name, text ? text : "", len, false);
}
