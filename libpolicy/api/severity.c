/*
** severity.c: severity overrides. A configuration may give a rule
** another severity (`.policy.yaml`'s `severity:`, a hadolint
** configuration's `override:`); its findings then carry that severity in
** every report and output format, so the fail-on gate and admission use
** it too, and a rule of a larger profile than the engine's runs anyway
** (naming a rule's severity asks for the rule, as hadolint's override
** turns on a rule that is off by default). An ignore still wins.
**
** Overrides name rules by id or ref, like ignores, and apply to the rules
** loaded before and after; for a rule several overrides name, the last
** one set wins.
*/
#include <assert.h>
#include <string.h>

#include "internal.h"

bool api_severity_override(const policy_engine *e, const eng_rule *r, int *severity) {
  for (size_t i = e->noverrides; i-- > 0;)
    if (eng_rule_matches(r, e->overrides[i].name)) {
      if (severity) *severity = e->overrides[i].severity;
      return true;
    }
  return false;
}

int api_set_severity(policy_engine *e, const char *name, int severity) {
  assert(severity >= POLICY_SEVERITY_INFO && severity <= POLICY_SEVERITY_CRITICAL);
  char *copy = pol_arena_strdup(&e->data_arena, name);
  if (copy == NULL || !pol_arena_grow(&e->data_arena, (void **)&e->overrides, &e->overrides_cap,
                                      e->noverrides + 1, sizeof *e->overrides))
    return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  e->overrides[e->noverrides++] = (api_override){copy, severity};
  for (size_t i = 0; i < e->nrules; i++)
    if (eng_rule_matches(e->rules[i], name)) {
      /* Before any check: the rule's report metadata changes in place,
      ** as a pack manifest's severities do (pack.c). */
      e->rules[i]->severity = severity;
      e->metas[i]->severity = severity;
      api_rule_refresh(e, i);
    }
  return api_ok(e);
}
