/*
** baseline.h: known findings, matched by fingerprint (the struct behind
** the public policy_baseline handle; api/baseline_load.c reads the file,
** report/write_baseline.c writes it).
**
** Invariant: items are sorted by fingerprint, then line; a loaded baseline
** is never changed, so threads may apply it at once.
*/
#ifndef POL_REPORT_BASELINE_H
#define POL_REPORT_BASELINE_H

#include "report.h"

typedef struct rep_baseline_entry {
  const char *fingerprint;  /* 16 hex digits */
  rep_rule *rule;           /* a reference held */
  const char *file, *message;
  uint32_t line;
} rep_baseline_entry;

struct policy_baseline {
  pol_arena arena;          /* the strings and the items array */
  rep_baseline_entry *items;
  size_t len;
  const char *name;         /* the file it was read from */
};
typedef struct policy_baseline rep_baseline;

/* Sorts the entries (call once, after filling items). */
void rep_baseline_sort(rep_baseline *b);
/* Releases the rules and the arena; b itself is the caller's. */
void rep_baseline_clear(rep_baseline *b);
/* policy_report_apply_baseline. Returns false on out-of-memory. */
bool rep_baseline_apply(rep_report *r, const rep_baseline *b);

#endif
