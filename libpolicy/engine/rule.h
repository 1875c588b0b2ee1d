/*
** rule.h: policy rules: loading one Lua file that returns a rule table,
** validating it, and preparing it to run many times.
**
** A rule file returns
**   { id = "kebab-case-id", title = "...", severity = "high",
**     applies_to = "image" | "container" | "document" | "request" |
**                  "vulnerability" | { ... },
**     description = "...", remediation = "...",
**     refs = { cis = "4.1", hadolint = "DL3002", trivy = ..., kics = ...,
**              checkov = ... },  -- each a string or a list of strings
**     profile = "default" | "strict" | "all",   -- optional: "default"
**     codes = "SC",  -- optional: a family of codes (these two capitals
**                    -- and four digits) the rule reports findings under,
**                    -- report(node, message, {code = "SC2086"})
**     check = function(subject, document) ... end }
**
** The file runs ONCE per sandbox (eng_rule_compile): its table is read with
** raw accesses only (no metamethod runs outside a metered call), its
** metadata checked against fixed bounds (below), and then everything it
** built is frozen (eng_sb_freeze): the rule table, its globals, every table
** and closure they reach. A run (eval.c) can therefore keep nothing for
** the next: tables are read-only, a fresh globals table is given to rules
** whose functions assign globals, and the upvalue cells of rules whose
** functions assign upvalues are restored after each run.
**
** The source is kept, so the rule can be compiled into a fresh sandbox
** after one was recycled.
*/
#ifndef POL_ENGINE_RULE_H
#define POL_ENGINE_RULE_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/buf.h"
#include "modules.h"
#include "sandbox.h"

/* What a rule's check is called with (rule.applies bits). */
enum eng_rule_applies {
  ENG_RULE_IMAGE = 1u << 0,        /* each of document.images */
  ENG_RULE_CONTAINER = 1u << 1,    /* each of document.containers */
  ENG_RULE_DOCUMENT = 1u << 2,     /* the document, once */
  ENG_RULE_REQUEST = 1u << 3,      /* each of document.requests */
  ENG_RULE_VULNERABILITY = 1u << 4 /* each of document.vulnerabilities */
};
#define ENG_RULE_SUBJECT_KINDS 5

/* The profiles (rule.profile), each holding the ones before it: a rule
** names the smallest profile it runs in, and an engine runs the rules of
** its profile and of the smaller ones. */
enum eng_rule_profile {
  ENG_PROFILE_DEFAULT = 0, /* what a team keeps on */
  ENG_PROFILE_STRICT = 1,  /* hardening a security review asks for */
  ENG_PROFILE_ALL = 2      /* every rule, itemised ones too */
};
#define ENG_PROFILE_COUNT 3
extern const char *const eng_rule_profile_names[ENG_PROFILE_COUNT];
/* The profile named `name` (an eng_rule_profile), or -1. */
int eng_rule_profile_of(const char *name);

/* A subject kind's name ("image") and the document's list of it
** ("images"; NULL for the document itself), by bit index. */
extern const char *const eng_rule_subject_names[ENG_RULE_SUBJECT_KINDS];
extern const char *const eng_rule_subject_lists[ENG_RULE_SUBJECT_KINDS];

/* Bounds on what a rule file may declare, checked at load so that no
** amount of metadata costs the host more than these. */
#define ENG_RULE_MAX_TITLE 256
#define ENG_RULE_MAX_TEXT (16u << 10)  /* description, remediation */
#define ENG_RULE_MAX_REFS 64
#define ENG_RULE_MAX_REF 128           /* one ref id */

typedef struct eng_rule_ref {
  char *tool, *id;
} eng_rule_ref; /* sorted by tool (cis, hadolint, trivy, kics, checkov), the ids
            ** of a tool in the order written */

typedef struct eng_rule {
  char *id, *title, *description, *remediation;
  int severity;         /* policy_severity */
  unsigned applies;     /* eng_rule_applies bits */
  int profile;          /* eng_rule_profile */
  eng_rule_ref *refs;
  size_t nrefs;
  char *origin;         /* file path, or "builtin:<file>" */
  const char *source;   /* a copy, owned; a built-in file's (code != NULL)
                        ** borrowed from the library's data, like code */
  size_t source_len;
  const char *code;     /* a built-in file's binary form (eng_sb_code),
                        ** borrowed from the library's data; or NULL */
  size_t code_len;
  unsigned code_writes;
  bool trusted;         /* the built-in pack: runs unmetered */
  const eng_mod_set *modules; /* its pack's lib/ modules, which its file
                        ** reaches with `require` (modules.h), or NULL;
                        ** borrowed: the set outlives the rule */
  int slot;             /* registry ref of the compiled rule in the
                        ** current sandbox, or LUA_NOREF */
  bool ignored;         /* loaded but not run */
  char *codes;          /* its family of codes ("SC": SC and four digits),
                        ** or NULL; no other loaded rule's id is in it
                        ** (api/rules.c refuses the load) */
} eng_rule;

/* Compiles `code` (its text; its binary form too when it has one, which
** only the built-in pack's trusted files have: eng_sb_load_code), runs it
** once (metered unless trusted), validates the table it returns and
** freezes it. With `modules` (a pack's, or NULL) the
** file's globals hold the pack's `require`. On success *out is a new rule
** (free with eng_rule_free), compiled into `sb`. On failure appends
** "origin:line: message" or "origin: message" to *err and returns false;
** *nomem tells a host allocation failure from a bad rule. */
bool eng_rule_load(eng_sandbox *sb, const char *origin, const eng_sb_code *code,
               bool trusted, const eng_mod_set *modules,
               eng_rule **out, pol_buf *err, bool *nomem);
/* Compiles the rule into `sb` again (a fresh sandbox after a recycle).
** Returns an eng_sb_status: ENG_SB_OK, or why it failed (ENG_SB_ERR_NOMEM when the
** host ran out of memory) with the message appended to *err. */
int eng_rule_compile(eng_sandbox *sb, eng_rule *r, pol_buf *err);
void eng_rule_free(eng_rule *r);

/* True when `code` is of the rule's family: its `codes` and four digits. */
bool eng_rule_has_code(const eng_rule *r, const char *code);
/* True when a linter's code (two capitals, four digits) is of `family`. */
bool eng_rule_code_in(const char *family, const char *code);

/* True when `name` is the rule's id or one of its refs' ids. */
bool eng_rule_matches(const eng_rule *r, const char *name);

/* Pushes the compiled rule's parts for a run (eval.c): check function,
** main chunk, frozen globals, the metatable of a fresh globals table
** (nil when the rule assigns no global), its cells (nil when it assigns
** no upvalue): 5 values. Needs the rule compiled into sb; never raises
** (needs 7 free stack slots). */
void eng_rule_push_parts(eng_sandbox *sb, const eng_rule *r);
/* Pushes the compiled rule's check function alone, the one part a run
** needs when the rule assigns no global and writes no upvalue cell;
** returns true when it does either (then the run needs every part:
** eng_rule_push_parts). Never raises (needs 3 free stack slots). */
bool eng_rule_push_check(eng_sandbox *sb, const eng_rule *r);

#endif
