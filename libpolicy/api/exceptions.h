/*
** exceptions.h: vulnerability exceptions of the configuration (the
** `exceptions:` key of .policy.yaml; see exceptions.c).
*/
#ifndef POL_API_EXCEPTIONS_H
#define POL_API_EXCEPTIONS_H

#include <stdbool.h>

#include "../core/buf.h"
#include "../model/value.h"
#include "policy/policy.h"

/* Reads the `exceptions` list of the configuration file `path` into the
** engine (added to those read before). An exception whose date has passed
** is a line of `warnings` and is not kept. Returns POLICY_OK, or
** POLICY_ERR_PARSE with "path:line:col: message" as the engine's message
** (a malformed entry: the whole list is then dropped), or
** POLICY_ERR_NOMEM. */
int api_exceptions_load(policy_engine *e, const char *path, const pm_value *list,
                        pol_buf *warnings);

/* Marks the vulnerabilities of a scan document that an exception of the
** engine covers: `exception` {id, package, reason, expires, file, line}.
** False on out-of-memory. */
bool api_exceptions_apply(const policy_engine *e, policy_document *doc);

/* True when an ISO date (YYYY-MM-DD) is before today (UTC). */
bool api_date_passed(const char *date);

#endif
