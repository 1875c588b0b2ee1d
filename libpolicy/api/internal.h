/*
** internal.h: the structures behind the public handles of policy.h.
*/
#ifndef POL_API_INTERNAL_H
#define POL_API_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/buf.h"
#include "../engine/rule.h"
#include "../engine/sandbox.h"
#include "../model/value.h"
#include "../report/report.h"
#include "policy/policy.h"

/* A severity override (severity.c): the rules `name` names get `severity`. */
typedef struct api_override {
  const char *name;
  int severity;
} api_override;

struct policy_engine {
  uint64_t max_input;   /* POLICY_LIMIT_INPUT_BYTES */
  uint64_t max_line;    /* POLICY_LIMIT_LINE_BYTES */
  uint64_t max_model;   /* POLICY_LIMIT_MODEL_BYTES */
  uint64_t lua_memory;  /* POLICY_LIMIT_LUA_MEMORY_BYTES */
  uint64_t instructions;/* POLICY_LIMIT_INSTRUCTIONS */
  uint64_t findings;    /* POLICY_LIMIT_FINDINGS_PER_RULE */
  uint64_t log_bytes;   /* POLICY_LIMIT_LOG_BYTES */
  uint64_t time_ms;     /* POLICY_LIMIT_TIME_MS */
  uint64_t tool_ms;     /* POLICY_LIMIT_TOOL_MS */
  int isolation;        /* policy_isolation */
  eng_sandbox *sb;          /* made on first need; replaced after a budget trip */
  bool freeze_trusted;      /* tests only: every sandbox made freezes the
                            ** built-in rules' own state too
                            ** (eng_sb_set_freeze_trusted) */
  eng_rule **rules;         /* in load order */
  rep_rule **metas;     /* metas[i]: what reports show of rules[i] */
  size_t nrules;
  pol_arena data_arena; /* owns `data` */
  pm_value *data;       /* merged data documents (a map), or NULL */
  int profile;          /* eng_rule_profile: rules of a larger one do not run */
  char **ignores;       /* --ignore: rule ids or refs */
  size_t nignores;
  pol_buf refbuf;       /* policy_engine_rule_ref's answer */
  pol_buf warnings;     /* notes for the user (expired config ignores) */
  pol_arena exceptions_arena; /* owns `exceptions` */
  pm_value *exceptions; /* vulnerability exceptions of the configuration
                           (exceptions.c), or NULL */
  /* config.c, allocated in data_arena: the configurations' exclude globs,
  ** and for each of their ignores the id and where it was written
  ** ("file:line:col"), for policy_engine_check_config */
  const char **config_excludes;
  size_t nconfig_excludes;
  const char **config_packs;   /* the configurations' packs, no name twice */
  size_t nconfig_packs;
  const char **config_ignores;  /* id, place, id, place, ... */
  size_t nconfig_ignores;       /* pairs */
  /* admission.c, for policy_decide: the severity from which findings
  ** deny (0: high), the mode (a policy_action; 0: enforce), and the
  ** actions set per rule (ids or refs, in data_arena; the last that
  ** names a rule wins) */
  int deny_on;
  int admission_mode;
  const char **action_names;
  int *actions;
  size_t nactions;
  int config_fail_on;   /* fail_on from the configuration, or 0 */
  api_override *overrides;  /* severity.c, in data_arena, in the order set */
  size_t noverrides, overrides_cap;
  /* hadolint_config.c: what hadolint's configurations set (its lists
  ** concatenate over the files and variables applied, as hadolint merges
  ** its sources), owned by data_arena; NULL before the first */
  struct api_hadolint *hadolint;
  bool hadolint_ignores_off; /* disable-ignore-pragma: documents parsed
                             ** from then on get no suppressions from
                             ** hadolint's ignore pragmas */
  int config_builtin;   /* builtin from the configuration: 1, 0, or -1 */
  char **build_args;    /* "NAME=value", owned */
  size_t nbuild_args;
  char *target;         /* owned, or NULL */
  char *env_file;       /* Compose --env-file: owned, or NULL */
  unsigned host_denied; /* policy_host_access flags NOT allowed (0: all
                           allowed, the default); host_access.c */
  const volatile int *cancel; /* policy_engine_set_cancel's flag, or NULL */
  /* pack.c: the packs loaded (their modules outlive every sandbox) */
  struct api_pack *packs;
  size_t npacks;
  /* rule_coverage.c: lines run, or NULL when coverage is off; its answers */
  struct eng_cov *coverage;
  pol_buf covbuf;
  /* subjects.c: subjects[i] is how many subjects rules[i] ran on */
  uint64_t *subjects;
  size_t nsubjects;
  /* codes.c: what reports show of a finding reported under a code of a
  ** rule's family (rule.codes): one per code seen, made on first use */
  rep_rule **code_metas;
  size_t ncode_metas;
  pol_buf errmsg;       /* detail of the last failure; "" after success */
};

struct policy_document {
  pol_arena arena;      /* owns everything below */
  int kind;
  const char *path;
  pm_value *root;       /* the document node (model/doc.h) */
};

/* Sets the engine's message (printf-style) and returns status. */
int api_fail(policy_engine *e, int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Clears the engine's message; returns POLICY_OK. */
int api_ok(policy_engine *e);

/* The engine's sandbox, made (and every rule compiled into it) when
** missing. Returns NULL with the engine's message set and *status
** POLICY_ERR_LIMIT (the Lua memory limit is too small for the sandbox
** itself) or POLICY_ERR_NOMEM. */
eng_sandbox *api_sandbox(policy_engine *e, int *status);
/* Frees the sandbox; rules are compiled into the next one on demand. */
void api_drop_sandbox(policy_engine *e);
/* Holds the sandbox's collector while the library's own rule files load
** (eng_sb_hold_collector); releasing applies to whatever sandbox the
** engine has then. */
void api_hold_collector(policy_engine *e, bool hold);

/* Loads one rule; trusted rules (the built-in pack) run unmetered. */
int api_load_rule(policy_engine *e, const char *name, const char *source,
                  size_t len, bool trusted);
/* The same for a rule of a pack whose lib/ modules (owned by the engine,
** pack.c) its file may require; modules NULL is api_load_rule. */
int api_load_pack_rule(policy_engine *e, const char *name, const char *source,
                       size_t len, bool trusted, const eng_mod_set *modules);
/* A rule file in the form eng_sb_code gives (the binary form only for the
** library's own packs, trusted); what api_load_pack_rule does. */
int api_load_rule_code(policy_engine *e, const char *name, const eng_sb_code *code,
                       bool trusted, const eng_mod_set *modules);

/* codes.c: the metadata reports show for a finding of rules[index]
** reported under `code` (its id is the code; NULL on out-of-memory);
** whether an ignore names the code; whether a loaded rule's family holds
** `code` (the index of the first, or SIZE_MAX); and the check a rule
** being loaded passes so that no code of a family is another rule's id
** (returns POLICY_OK, or POLICY_ERR_PARSE with the engine's message set). */
rep_rule *api_code_meta(policy_engine *e, size_t index, const char *code);
bool api_code_ignored(const policy_engine *e, const char *code);
size_t api_code_family(const policy_engine *e, const char *code);
int api_code_check_load(policy_engine *e, const eng_rule *r, const char *name);
void api_codes_free(policy_engine *e);

/* Counts the subjects each rule that runs over doc is called with
** (subjects.c; policy_check calls it). Never fails: without memory the
** counts stay as they were. */
void api_count_subjects(policy_engine *e, const policy_document *doc);

/* Releases what pack.c, rule_coverage.c and subjects.c keep in the engine. */
void api_packs_free(policy_engine *e);

/* Parses a data document (JSON when name ends in .json, else YAML) and
** merges its top-level keys into the engine's data: replacing earlier
** keys, or, when `under`, only adding keys not loaded yet (the built-in
** pack's defaults). */
int api_load_data_buffer(policy_engine *e, const char *name, const char *text,
                         size_t len, bool under);

/* severity.c: gives the rules `name` names (by id or ref) `severity`
** (a policy_severity), those loaded now and later; POLICY_OK or
** POLICY_ERR_NOMEM. */
int api_set_severity(policy_engine *e, const char *name, int severity);
/* Whether an override names r; *severity (may be NULL) gets the last
** one's severity. */
bool api_severity_override(const policy_engine *e, const eng_rule *r, int *severity);
/* rules.c: recomputes whether rules[i] runs (after an override). */
void api_rule_refresh(policy_engine *e, size_t i);

/* hadolint_config.c: whether `path` names a hadolint configuration
** (.hadolint.yaml, .hadolint.yml, hadolint.yaml, hadolint.yml, or
** config.yaml or config.yml in a folder .hadolint), and
** applies one (its ignores, failure threshold and the hadolint pack's
** settings in data.hadolint). */
bool api_hadolint_config_name(const char *path);
int api_hadolint_config_apply(policy_engine *e, const char *path, const pm_value *root);

/* Hands a built document to the caller (*out), or frees it and reports
** why it could not be built: the model limit when the arena went over it
** (or `over`), else out-of-memory. */
int api_document_result(policy_document **out, policy_engine *e,
                        policy_document *doc, bool built, bool over);

/* The admission settings of a configuration's `admission:` mapping
** (admission.c); `path` names the file in messages. Returns a status
** (POLICY_ERR_PARSE with file:line:col in errmsg). */
int api_admission_config(policy_engine *e, const char *path, const pm_value *v);
/* The action policy_decide gives a finding of rule `index` at `severity`
** (the mode applied). */
int api_admission_action(const policy_engine *e, size_t index, int severity);

/* Decides the kind of an input from its name, then its first bytes. */
int api_detect_kind(const char *path, const char *data, size_t len);

/* Reads a regular file of at most the input limit for a loader (a
** Compose project's other files, a Dockerfile a service builds). *out is
** pol_malloc'd; `why` receives the reason of API_READ_FAIL. */
enum { API_READ_OK = 0, API_READ_MISSING = 1, API_READ_FAIL = 2, API_READ_NOMEM = 3 };
int api_read_regular(policy_engine *e, const char *path, char **out, size_t *len,
                     pol_buf *why);

/* Parses Compose files (merged in order; `text`: files[0]'s text when
** already read) into doc, and links the Dockerfiles its services build.
** Returns POLICY_OK or POLICY_ERR_NOMEM (over the model limit too). */
int api_compose(policy_engine *e, policy_document *doc, const char *const *files,
                size_t nfiles, const char *text, size_t len);

/* Whether the engine may read what a policy_host_access flag names
** (host_access.c); when not, *why (may be NULL) gets the sentence that
** documents' warnings end with. */
bool api_host_allows(const policy_engine *e, unsigned flag, const char **why);

/* Whether the engine's cancel flag is set (cancel.c). */
bool api_cancel_requested(const policy_engine *e);
/* Records in the report that the check of doc stopped early; returns
** POLICY_ERR_CANCELLED (or POLICY_ERR_NOMEM) with the engine's message set. */
int api_check_cancelled(policy_report *rep, policy_engine *e, const policy_document *doc);

/* Links the Dockerfiles of the services that build (link.c). */
struct cmp_build_req;
int api_link(policy_engine *e, pol_arena *a, pm_value *doc,
             struct cmp_build_req *reqs, size_t n);

/* Reads a file of settings (a rule, a data document, a configuration):
** like policy_parse_file, only a regular file is opened (a FIFO or device
** fails without blocking) and at most `limit` bytes are read. Messages
** name the path; `raise` ends the one for a file over the limit ("(raise
** it with --max-input-bytes)", "(a fixed limit)"). */
int api_read_named(policy_engine *e, const char *path, uint64_t limit,
                   const char *raise, char **out, size_t *len);

#endif
