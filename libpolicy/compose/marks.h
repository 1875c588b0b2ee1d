/*
** marks.h: what the Compose loader knows about a source node beyond its
** value: the YAML tag `!reset` or `!override`, and, for a string that
** interpolation changed, the text as written and the variables it needed
** and did not have.
**
** Marks are keyed by node address. Invariant: after interpolation, scalar
** nodes are never copied (merges, extends and includes share them), so a
** mark stays attached to the node the model builder reads.
*/
#ifndef POL_COMPOSE_MARKS_H
#define POL_COMPOSE_MARKS_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/hindex.h"
#include "../model/value.h"

enum {
  CMP_TAG_RESET = 1u << 0,    /* !reset: remove the inherited value */
  CMP_TAG_OVERRIDE = 1u << 1  /* !override: replace, do not merge */
};

typedef struct cmp_mark {
  const pm_value *node;
  unsigned tags;           /* CMP_TAG_* */
  const char *written;     /* the text before interpolation, or NULL */
  size_t written_len;
  pm_value *missing;       /* array of variable names, or NULL */
} cmp_mark;

typedef struct cmp_marks {
  cmp_mark *items;
  size_t len, cap;
  pol_hindex index;
} cmp_marks;

/* The mark of a node, or NULL. */
const cmp_mark *cmp_mark_of(const cmp_marks *m, const pm_value *node);
/* The mark of a node, created empty when missing; NULL on out-of-memory. */
cmp_mark *cmp_mark_add(pol_arena *a, cmp_marks *m, const pm_value *node);
unsigned cmp_tags(const cmp_marks *m, const pm_value *node);

/* A map from nodes to nodes, for passes that must not copy a node shared
** by aliases more than once. */
typedef struct cmp_memo {
  struct cmp_memo_item { const pm_value *from; pm_value *to; } *items;
  size_t len, cap;
  pol_hindex index;
} cmp_memo;

pm_value *cmp_memo_get(const cmp_memo *m, const pm_value *from);
bool cmp_memo_put(pol_arena *a, cmp_memo *m, const pm_value *from, pm_value *to);

#endif
