/*
** subjects.c: how many subjects each rule ran on (policy_engine_rule_subjects),
** so a caller can tell a rule that matched nothing in any input, which is
** most often an applies_to naming the wrong kind.
*/
#include <string.h>

#include "../core/alloc.h"
#include "internal.h"

void api_count_subjects(policy_engine *e, const policy_document *doc) {
  if (e->nsubjects < e->nrules) {
    uint64_t *grown = pol_realloc(e->subjects, e->nrules * sizeof *grown);
    if (grown == NULL) return;
    memset(grown + e->nsubjects, 0, (e->nrules - e->nsubjects) * sizeof *grown);
    e->subjects = grown;
    e->nsubjects = e->nrules;
  }
  uint64_t per_kind[ENG_RULE_SUBJECT_KINDS];
  for (unsigned k = 0; k < ENG_RULE_SUBJECT_KINDS; k++) {
    const char *list = eng_rule_subject_lists[k];
    const pm_value *items = list ? pm_get(doc->root, list) : NULL;
    per_kind[k] = list == NULL ? 1 : items && items->type == PM_ARR ? items->u.arr.len : 0;
  }
  for (size_t i = 0; i < e->nrules; i++) {
    if (e->rules[i]->ignored) continue;
    for (unsigned k = 0; k < ENG_RULE_SUBJECT_KINDS; k++)
      if (e->rules[i]->applies & (1u << k)) e->subjects[i] += per_kind[k];
  }
}

int policy_engine_rule_subjects(uint64_t *out, const policy_engine *e, size_t index) {
  if (out == NULL || e == NULL || index >= e->nrules) return POLICY_ERR_INVALID;
  *out = index < e->nsubjects ? e->subjects[index] : 0;
  return POLICY_OK;
}

int policy_engine_rule_ignored(const policy_engine *e, size_t index) {
  return e == NULL || index >= e->nrules ? -1 : e->rules[index]->ignored ? 1 : 0;
}
