/*
** doc.h: the document node every source builder fills in.
**
**   { kind, path, images[], containers[], errors[], warnings[],
**     suppressions[], ... }
**
** errors[] holds input problems that make part of the file unusable (the
** message in the upstream tool's words where one exists), warnings[]
** problems that do not. Each entry is {message, pos}. A document with
** errors still carries whatever could be built from the rest of the file.
*/
#ifndef POL_MODEL_DOC_H
#define POL_MODEL_DOC_H

#include <stdbool.h>

#include "value.h"

/* Creates the document node with its lists empty. */
pm_value *pm_doc_new(pol_arena *a, const char *kind, const char *path);

/* Appends {message, pos} to the document's errors[] or warnings[]. */
bool pm_doc_error(pol_arena *a, pm_value *doc, const char *message, pm_pos pos);
bool pm_doc_warning(pol_arena *a, pm_value *doc, const char *message,
                    pm_pos pos);

#endif
