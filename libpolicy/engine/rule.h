/*
** rule.h: policy rules: loading one Lua file that returns a rule table,
** validating it, and the rule set of an engine.
**
** A rule file returns
**   { id = "kebab-case-id", title = "...", severity = "high",
**     applies_to = "image" | "container" | "document" | "vulnerability" | { ... },
**     description = "...", remediation = "...",
**     refs = { cis = "4.1", hadolint = "DL3002", trivy = ..., kics = ...,
**              checkov = ... }   -- each a string or a list of strings
**     check = function(subject, document) ... end }
** Metadata is read with raw accesses only (no metamethod runs outside a
** metered call). The source is kept so the rule can be compiled again
** into a fresh sandbox after a recycle.
*/
#ifndef POL_ENGINE_RULE_H
#define POL_ENGINE_RULE_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/buf.h"
#include "../report/report.h"
#include "sandbox.h"

enum rule_applies {
  RULE_IMAGE = 1u << 0,
  RULE_CONTAINER = 1u << 1,
  RULE_DOCUMENT = 1u << 2,
  RULE_VULNERABILITY = 1u << 3  /* each of document.vulnerabilities */
};

typedef rep_ref rule_ref; /* refs of one tool are adjacent */

typedef struct rule {
  char *id, *title, *description, *remediation;
  int severity;         /* policy_severity */
  unsigned applies;     /* rule_applies bits */
  rule_ref *refs;
  size_t nrefs;
  char *origin;         /* file path, or "builtin:<file>" */
  char *source;
  size_t source_len;
  int fn_ref;           /* compiled chunk in the current sandbox, or LUA_NOREF */
  bool ignored;         /* --ignore: loaded but not run */
} rule;

/* Compiles `source`, runs it once (metered) and validates the table it
** returns. On success *out is a new rule (free with rule_free). On failure
** appends "origin:line: message" to *err and returns false. The compiled
** chunk stays registered in the sandbox (fn_ref). */
bool rule_load(sandbox *sb, const char *origin, const char *source,
               size_t len, rule **out, pol_buf *err, bool *nomem);
/* Compiles the rule's source into `sb` again (after a recycle). Returns
** an sb_status: SB_OK, or why it failed (SB_ERR_NOMEM when the host ran
** out of memory) with the message appended to *err. */
int rule_compile(sandbox *sb, rule *r, pol_buf *err);
void rule_free(rule *r);

/* True when `name` is the rule's id or one of its refs' ids. */
bool rule_matches(const rule *r, const char *name);

#endif
