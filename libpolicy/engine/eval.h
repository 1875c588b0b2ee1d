/*
** eval.h: running compiled rules over one document.
**
** A document's views are made once and shared by every rule that runs on
** it (eng_eval_begin .. eng_eval_end: one view generation). For each rule, its
** check function is called once per subject (each image, container,
** request or vulnerability, or the document, following applies_to) with
** (subject, document), all inside one eng_sb_call: one instruction budget,
** one memory budget, one deadline per rule per document. Rules report
** through the global `report(node, [field,] message)`; the engine turns
** the node (or its field) into file:line:column and hands every finding,
** error and log to the caller's sink. The engine knows nothing of
** reports: the sink decides what becomes of them.
**
** Isolation by construction: a rule sees the model only through read-only
** views, its own load-time state is frozen (rule.h), it gets a fresh
** globals table when it assigns globals, and its upvalue cells are put
** back after the run; so nothing one run does is visible to another rule
** or to the same rule on the next document.
*/
#ifndef POL_ENGINE_EVAL_H
#define POL_ENGINE_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/value.h"
#include "rule.h"
#include "sandbox.h"

typedef struct eng_eval_limits {
  uint64_t instructions;  /* for the messages only: the sandbox enforces */
  uint64_t memory;
  uint64_t findings;      /* per rule per document */
  uint64_t time_ms;       /* for the messages only */
} eng_eval_limits;

/* One finding, valid during the sink call only. */
typedef struct eng_eval_finding {
  const eng_rule *rule;
  const char *message;
  const char *file;       /* the node's file, else the document's path */
  const char *subject;    /* "image build", "container web", ... */
  const char *reason;     /* suppressed: why; NULL when not suppressed */
  pm_pos pos;             /* of the node, or of its field when it has one */
  uint64_t node_hash;     /* the node's own content and the field name,
                          ** not its position: stable across line moves */
} eng_eval_finding;

/* A rule that failed: its error, or the limit it went over. */
typedef struct eng_eval_error {
  const eng_rule *rule;
  const char *message;
  const char *file;
  const char *limit;      /* "instructions", "memory", "time", "findings",
                          ** "cancelled" (the cancel flag stopped it, see
                          ** eng_eval_rule) or NULL for a runtime error */
} eng_eval_error;

typedef struct eng_eval_sink {
  /* Each returns false when the host ran out of memory. */
  bool (*finding)(void *ud, const eng_eval_finding *f);
  bool (*error)(void *ud, const eng_eval_error *e);
  bool (*log)(void *ud, const eng_rule *r, const char *file, const char *text,
              size_t len);
  void *ud;
} eng_eval_sink;

/* Starts a document: a new view generation. Never fails. */
void eng_eval_begin(eng_sandbox *sb);
/* Ends it: every view of the document becomes invalid. */
void eng_eval_end(eng_sandbox *sb);

/* Runs one compiled rule over a document. Returns false only when the
** host ran out of memory. The caller recycles the sandbox when
** eng_sb_needs_recycle(). A run the cancel flag stopped (eng_sb_set_cancel)
** ends with an error whose limit is "cancelled": no failure of the rule,
** for the caller that set the flag to account for. */
bool eng_eval_rule(eng_sandbox *sb, const eng_rule *r, const pm_value *doc,
               const char *path, const eng_eval_limits *lim,
               const eng_eval_sink *sink);

/* Adds `report` to the sandbox's base (once per sandbox). Returns an
** eng_sb_status. */
int eng_eval_open(eng_sandbox *sb, pol_buf *err);

/* The hash eng_eval_finding.node_hash holds for a node and field. */
uint64_t eng_eval_node_hash(const pm_value *node, const char *field);

#endif
