/*
** eval.h: running rules over one document.
**
** For every rule and document the rule's chunk runs again with a fresh
** globals table (so upvalues and globals never carry over between rules or
** documents), under a fresh instruction budget; its check function is
** called once per subject (each image, container, or the document,
** following applies_to) with (subject, document). Rules report through the
** global `report(node, [field,] message)`; the engine turns the node (or
** its field) into file:line:column. Suppression comments of the document
** move matching findings to the suppressed list.
*/
#ifndef POL_ENGINE_EVAL_H
#define POL_ENGINE_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/value.h"
#include "../report/report.h"
#include "rule.h"
#include "sandbox.h"

typedef struct eval_limits {
  uint64_t instructions;  /* for the messages only: the sandbox enforces */
  uint64_t memory;
  uint64_t findings;      /* per rule per document */
  uint64_t time_ms;       /* for the messages only */
} eval_limits;

/* Runs one rule over a document. Returns false only when the host ran out
** of memory. The caller recycles the sandbox when sb_needs_recycle(). */
bool eval_rule(sandbox *sb, const rule *r, const pm_value *doc,
               const char *path, const pm_value *data,
               const eval_limits *lim, rep_report *rep);

#endif
