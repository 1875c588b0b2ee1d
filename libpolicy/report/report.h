/*
** report.h: what a check run produced: findings, suppressed findings and
** errors (input errors and rule errors), kept sorted by file, line,
** column and rule so every output is stable. The struct behind the public
** policy_report handle.
**
** Every string is owned by the report (pol_malloc'd copies).
*/
#ifndef POL_REPORT_REPORT_H
#define POL_REPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"

typedef struct rep_ref {
  char *tool;   /* "cis", "hadolint", ... */
  char *id;
} rep_ref;

typedef struct rep_item {
  char *rule;       /* NULL for input errors */
  int severity;     /* policy_severity; 0 for errors */
  char *title, *message, *file, *subject;
  char *reason;     /* suppressed: why; errors: NULL */
  char *limit;      /* rule errors: "instructions", "memory", ... or NULL */
  uint32_t line, column, end_line, end_column;
  rep_ref *refs;
  size_t nrefs;
} rep_item;

typedef struct rep_list {
  rep_item *items;
  size_t len, cap;
} rep_list;

struct policy_report {
  bool unsorted;   /* entries were added since the lists were last sorted */
  rep_list findings, suppressed, errors;
  rep_list logs;   /* what rules printed: rule, file, message = the text */
  size_t files;
};
typedef struct policy_report rep_report;

/* Appends a copy of *item (its strings and refs are copied) to a list.
** Returns false on out-of-memory (the list is unchanged). */
bool rep_add(rep_list *list, const rep_item *item);
/* Sorts a list by file, line, column, rule, message. */
void rep_sort(rep_list *list);
/* Sorts every list when entries were added: readers call it, so adding
** stays O(1) per entry and a run sorts once, not once per document. */
void rep_settle(rep_report *r);
void rep_list_free(rep_list *list);

/* Writers. */
void rep_write_json(pol_buf *out, const rep_report *r, bool pretty);
void rep_write_text(pol_buf *out, const rep_report *r, bool color);

const char *rep_severity_name(int severity);

/* {"tool": "id[,id...]", ...}: adjacent refs of one tool are joined. */
void rep_write_refs(pol_buf *out, const rep_ref *refs, size_t n);

#endif
