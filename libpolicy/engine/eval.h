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
  uint64_t tool_ms;       /* one run of an external checker (shellcheck_lua.c);
                          ** 0: ENG_EVAL_TOOL_MS */
} eng_eval_limits;
#define ENG_EVAL_TOOL_MS 2000

/* One finding, valid during the sink call only. */
typedef struct eng_eval_finding {
  const eng_rule *rule;
  const char *message;
  const char *file;       /* the node's file, else the document's path */
  const char *subject;    /* "image build", "container web", ... */
  const char *reason;     /* suppressed: why; NULL when not suppressed */
  int severity;           /* policy_severity: the rule's unless report's
                          ** options set another */
  const char *code;       /* the code of the rule's family it was reported
                          ** under (rule.codes; "SC2086"), or NULL */
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
  /* A note for the user that is no finding (an external checker could not
  ** run); file NULL for one about the whole run. NULL: notes are dropped. */
  bool (*warning)(void *ud, const eng_rule *r, const char *file, pm_pos pos,
                  const char *message);
} eng_eval_sink;

/* Starts a document: a new view generation. Never fails. */
void eng_eval_begin(eng_sandbox *sb);
/* Ends it: every view of the document becomes invalid. */
void eng_eval_end(eng_sandbox *sb);

/* Runs one compiled rule over a document; a rule with no subject in it
** (no item of the lists its applies_to names) does not enter Lua. Returns
** false only when the host ran out of memory. The caller recycles the sandbox when
** eng_sb_needs_recycle(). A run the cancel flag stopped (eng_sb_set_cancel)
** ends with an error whose limit is "cancelled": no failure of the rule,
** for the caller that set the flag to account for. */
bool eng_eval_rule(eng_sandbox *sb, const eng_rule *r, const pm_value *doc,
               const char *path, const eng_eval_limits *lim,
               const eng_eval_sink *sink);

/* Adds `report`, `position(node)` (a node's line, column, end_line,
** end_column) and `shellcheck` (shellcheck_lua.c) to the sandbox's base
** (once per sandbox). Returns an eng_sb_status. */
int eng_eval_open(eng_sandbox *sb, pol_buf *err);

/* For C functions a rule calls (shellcheck_lua.c), inside a run: the
** rule running (NULL outside eng_eval_rule) and its limits. */
const eng_rule *eng_eval_running_rule(lua_State *L);
uint64_t eng_eval_tool_ms(lua_State *L);
/* The model node behind the view at idx, or NULL. Never raises. */
const pm_value *eng_eval_node_at(lua_State *L, int idx);
/* Hands a note to the sink: at the node (NULL: about the whole run, with
** no file). Never raises; the run fails with out-of-memory when the sink
** could not keep it. */
void eng_eval_warn(lua_State *L, const pm_value *node, const char *message);

/* Pushes the function `shellcheck` (shellcheck_lua.c). Protected. */
void eng_sc_open(lua_State *L);

/* The hash eng_eval_finding.node_hash holds for a node and field. */
uint64_t eng_eval_node_hash(const pm_value *node, const char *field);

#endif
