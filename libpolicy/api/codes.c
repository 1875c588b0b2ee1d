/*
** codes.c: findings reported under a code of their rule's family.
**
** A rule may declare a family of codes (rule.codes = "SC": SC0000 to
** SC9999) and report each finding under one of them (the hadolint pack's
** ShellCheck rule: SC2086, SC2154, ...). Reports show the code where they
** show a rule id, in every format, because the finding's entry points at
** metadata whose id is the code (made here, once per code per engine, with
** the rule's title, text and refs plus the code as its hadolint ref). The
** code can be ignored like a rule (policy_engine_ignore, a configuration's
** ignore, hadolint's `ignored:`) and suppressed by a comment naming it
** (eval.c) without switching off the other codes of the rule.
**
** Invariant (api_code_check_load): no loaded rule's id is in another
** rule's family, and no two rules share a family; so a code names one
** rule, and no rule reports under another rule's id.
*/
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../core/alloc.h"
#include "internal.h"

rep_rule *api_code_meta(policy_engine *e, size_t index, const char *code) {
  for (size_t i = 0; i < e->ncode_metas; i++)
    if (strcmp(e->code_metas[i]->id, code) == 0) return e->code_metas[i];
  const eng_rule *r = e->rules[index];
  rep_ref stack[17], *refs = r->nrefs < 17 ? stack : pol_calloc(r->nrefs + 1, sizeof *refs);
  if (refs == NULL) return NULL;
  size_t n = 0;
  for (size_t i = 0; i < r->nrefs; i++)
    if (strcmp(r->refs[i].tool, "hadolint") != 0) refs[n++] = (rep_ref){r->refs[i].tool, r->refs[i].id};
  refs[n++] = (rep_ref){"hadolint", code};
  rep_rule *m = rep_rule_new(code, r->title, r->severity, r->description, r->remediation,
                             r->origin, refs, n);
  if (refs != stack) pol_free(refs);
  rep_rule **list = m ? pol_realloc(e->code_metas, (e->ncode_metas + 1) * sizeof *list) : NULL;
  if (list == NULL) {
    rep_rule_release(m);
    return NULL;
  }
  e->code_metas = list;
  return list[e->ncode_metas++] = m;
}

bool api_code_ignored(const policy_engine *e, const char *code) {
  for (size_t i = 0; i < e->nignores; i++)
    if (strcasecmp(e->ignores[i], code) == 0) return true;
  return false;
}

size_t api_code_family(const policy_engine *e, const char *code) {
  for (size_t i = 0; i < e->nrules; i++)
    if (eng_rule_has_code(e->rules[i], code)) return i;
  return SIZE_MAX;
}

int api_code_check_load(policy_engine *e, const eng_rule *r, const char *name) {
  for (size_t i = 0; i < e->nrules; i++) {
    const eng_rule *o = e->rules[i];
    if (eng_rule_has_code(o, r->id))
      return api_fail(e, POLICY_ERR_PARSE, "rule id '%s' of %s is a code of the family %s "
                      "that %s reports under", r->id, name, o->codes, o->origin);
    if (r->codes && eng_rule_has_code(r, o->id))
      return api_fail(e, POLICY_ERR_PARSE, "the codes %s of %s hold the id of the rule "
                      "in %s (%s)", r->codes, name, o->origin, o->id);
    if (r->codes && o->codes && strcmp(r->codes, o->codes) == 0)
      return api_fail(e, POLICY_ERR_PARSE, "the codes %s of %s are the family of %s already",
                      r->codes, name, o->origin);
  }
  return POLICY_OK;
}

void api_codes_free(policy_engine *e) {
  for (size_t i = 0; i < e->ncode_metas; i++) rep_rule_release(e->code_metas[i]);
  pol_free(e->code_metas);
  e->code_metas = NULL;
  e->ncode_metas = 0;
}
