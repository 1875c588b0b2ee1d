/*
** names.h: names users give to rules (ignores, suppression comments)
** checked against the loaded rules, and the notes a check adds to a
** report beside the rules' findings.
*/
#ifndef POL_API_NAMES_H
#define POL_API_NAMES_H

#include "internal.h"

/* The index of the first loaded rule whose id or one of whose refs is
** `name` (refs compare case-insensitively), else of the rule whose family
** of codes holds `name` (codes.c), or SIZE_MAX. */
size_t api_rule_named(const policy_engine *e, const char *name);

/* What policy_check adds to a report for a document besides findings:
** the files it checked (the document's and the ones it was read from),
** the document's warnings, and a warning for each id in its suppression
** comments that names no loaded rule. Returns POLICY_OK or
** POLICY_ERR_NOMEM (the engine's message set). */
int api_document_notes(policy_report *rep, policy_engine *e,
                       const policy_document *doc);

#endif
