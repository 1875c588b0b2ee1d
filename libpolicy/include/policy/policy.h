/*
** policy/policy.h: the public interface of libpolicy.
**
** libpolicy reads Dockerfiles, Compose projects, `docker inspect` output,
** Engine API create bodies and Docker AuthZ plugin requests, turns them
** into one object model, and runs security policies over it. This header
** is the only way in; its ABI only grows.
**
** Conventions (every function below follows them):
**  - Handles are opaque; the library allocates and frees them.
**  - Fallible functions return an int status: POLICY_OK (0) or a negative
**    POLICY_ERR_* code. Outputs come first in the parameter list and are
**    written only on POLICY_OK.
**  - Strings are UTF-8 and NUL-terminated unless a length is given.
**  - Ownership is stated per function: "borrowed" pointers stay valid as
**    long as the object they came from; "owned" ones are released by the
**    caller with the function named (never with free()).
**  - Threads: the library has no global mutable state. A policy_engine is
**    used by one thread at a time; distinct engines are independent and
**    may run in parallel. A finished policy_document is immutable and may
**    be read from several threads at once, and so is a loaded
**    policy_baseline. A policy_report is used by one thread at a time;
**    reports of several threads are combined with policy_report_merge.
*/
#ifndef POLICY_POLICY_H
#define POLICY_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "policy/version.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  if defined(POLICY_BUILDING)
#    define POLICY_API __declspec(dllexport)
#  else
#    define POLICY_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define POLICY_API __attribute__((visibility("default")))
#else
#  define POLICY_API
#endif

/* ---- Status codes ---------------------------------------------------------
** Never renumbered; new codes are only added. */
typedef enum policy_status {
  POLICY_OK = 0,
  POLICY_ERR_NOMEM = -1,       /* an allocation failed */
  POLICY_ERR_INVALID = -2,     /* a bad argument from the caller */
  POLICY_ERR_IO = -3,          /* a file could not be opened or read */
  POLICY_ERR_LIMIT = -4,       /* input exceeds a configured limit */
  POLICY_ERR_UNSUPPORTED = -5, /* input kind not known or not supported */
  POLICY_ERR_PARSE = -6        /* a rule, data document or configuration is
                               ** invalid (an input's own problems are in its
                               ** document, never a failure of the call) */
} policy_status;

/* Static English text for any status value (unknown ones included).
** Never NULL. Thread-safe. */
POLICY_API const char *policy_strerror(int status);

/* ---- Versions -------------------------------------------------------------
** Compare the run-time values with POLICY_VERSION_NUMBER (version.h) at
** start-up to catch a header/library mismatch. Thread-safe. */
POLICY_API uint32_t policy_version_number(void);   /* MMmmpp */
POLICY_API const char *policy_version_string(void); /* static, e.g. "0.1.0" */
POLICY_API int policy_abi_version(void);            /* the SONAME major */

/* Releases memory the library handed over as "owned, free with
** policy_free". NULL is a no-op. Thread-safe. */
POLICY_API void policy_free(void *p);

/* ---- Engine ---------------------------------------------------------------
** An engine holds settings (limits, build arguments, the Compose env
** file), the loaded rules and data, and the sandbox the rules run in. It
** reports the detail of its last failure through policy_engine_errmsg. */
typedef struct policy_engine policy_engine;

/* Creates an engine with default limits. *out is owned: release it with
** policy_engine_free. Errors: POLICY_ERR_INVALID (out is NULL),
** POLICY_ERR_NOMEM. */
POLICY_API int policy_engine_new(policy_engine **out);

/* Releases an engine. NULL is a no-op. Documents it produced stay valid. */
POLICY_API void policy_engine_free(policy_engine *engine);

/* The detail of the last failing call on this engine, or "" when the last
** call succeeded. Borrowed: valid until the next call on the engine. Never
** NULL for a non-NULL engine. */
POLICY_API const char *policy_engine_errmsg(const policy_engine *engine);

/* Limits, keyed by an enum that only grows. Every limit is at least 1:
** setting 0 fails with POLICY_ERR_INVALID. */
typedef enum policy_limit {
  /* Bytes one input may have; larger inputs fail with POLICY_ERR_LIMIT.
  ** Default 128 MiB. 0 is not allowed. */
  POLICY_LIMIT_INPUT_BYTES = 1,
  /* Bytes of one Dockerfile line (BuildKit's own limit is 65535, the
  ** default). Longer lines are an input error in the document. */
  POLICY_LIMIT_LINE_BYTES = 2,
  /* Bytes of memory one document's model may use. Default 1 GiB. */
  POLICY_LIMIT_MODEL_BYTES = 3,
  /* Bytes the Lua state running the policies may use. Default 64 MiB. A
  ** rule that needs more gets a rule error naming this limit. */
  POLICY_LIMIT_LUA_MEMORY_BYTES = 4,
  /* Lua instructions one rule may run over one document (pattern matching
  ** counts its steps too). Default 10 million. */
  POLICY_LIMIT_INSTRUCTIONS = 5,
  /* Findings one rule may report in one document; the rest are dropped
  ** with a rule error. Default 1000. */
  POLICY_LIMIT_FINDINGS_PER_RULE = 6,
  /* Bytes of print() output kept per rule run. Default 64 KiB. */
  POLICY_LIMIT_LOG_BYTES = 7,
  /* Milliseconds of wall-clock time one rule may run over one document
  ** (and to compile and run a rule file that is not built in). In a
  ** worker process (policy_isolation) the rule is stopped at the limit
  ** whatever it does; in-process it is read between instructions and in
  ** C work the sandbox charges, so one slow C call of Lua can overrun it.
  ** Default 10000. */
  POLICY_LIMIT_TIME_MS = 8
} policy_limit;

/* Where rules run (policy_engine_set_isolation). Rules of the built-in
** pack are trusted code; rules loaded from files or buffers are not. */
typedef enum policy_isolation {
  /* Every rule in the calling process, under the sandbox's budgets (an
  ** instruction budget, the memory budget, a deadline read between
  ** instructions and in charged C work). A single slow C call of Lua
  ** itself can overrun the time limit. */
  POLICY_ISOLATE_NONE = 0,
  /* The default where the platform allows it (Linux): rules that are not
  ** built in run in a worker process forked per document, under
  ** RLIMIT_CPU, RLIMIT_AS and a seccomp filter, killed at the time limit;
  ** a rule file is compiled in such a process first. Costs a fork per
  ** document checked with such rules (docs/isolation.md). */
  POLICY_ISOLATE_UNTRUSTED = 1,
  /* Every rule, the built-in pack too, in worker processes. */
  POLICY_ISOLATE_ALL = 2
} policy_isolation;

/* Chooses where rules run, for the rules loaded and the checks made
** afterwards. Errors: POLICY_ERR_INVALID (NULL engine, unknown mode),
** POLICY_ERR_UNSUPPORTED (a worker-process mode on a platform or build
** without one: the engine keeps its mode). Since 1.2. */
POLICY_API int policy_engine_set_isolation(policy_engine *engine, int mode);
/* The engine's isolation mode (a policy_isolation); -1 for NULL. */
POLICY_API int policy_engine_isolation(const policy_engine *engine);

/* Sets or reads a limit. Errors: POLICY_ERR_INVALID (unknown limit, bad
** value, NULL engine). */
POLICY_API int policy_engine_set_limit(policy_engine *engine, int limit,
                                       uint64_t value);
POLICY_API int policy_engine_get_limit(uint64_t *out,
                                       const policy_engine *engine,
                                       int limit);

/* Sets a build argument, as `docker build --build-arg name=value` would,
** for the Dockerfiles parsed afterwards. value NULL removes it. The strings
** are copied. Errors: POLICY_ERR_INVALID, POLICY_ERR_NOMEM. */
POLICY_API int policy_engine_set_build_arg(policy_engine *engine,
                                           const char *name,
                                           const char *value);

/* Chooses the stage that counts as final (`docker build --target`); NULL
** restores the default (the last stage). Copied. */
POLICY_API int policy_engine_set_target(policy_engine *engine,
                                        const char *stage);

/* ---- Documents ------------------------------------------------------------
** A document is one parsed input: its model (images, containers) and the
** problems found in it. Input problems do not make parsing fail: they are
** recorded in the document (policy_document_error_*), and the model holds
** whatever the rest of the input gave. */
typedef struct policy_document policy_document;

typedef enum policy_kind {
  POLICY_KIND_AUTO = 0,       /* decide from the file name, then content */
  POLICY_KIND_DOCKERFILE = 1,
  POLICY_KIND_COMPOSE = 2,    /* compose.yaml, docker-compose.yml, ... */
  POLICY_KIND_INSPECT = 3,    /* docker container/image inspect JSON */
  POLICY_KIND_REQUEST = 4,    /* an Engine API create body or a Docker AuthZ
                              ** plugin request (JSON); parsing either kind
                              ** of JSON gives whichever of the two the
                              ** content is (policy_document_kind) */
  POLICY_KIND_SCAN = 5        /* a vulnerability scan report: Trivy JSON
                              ** (`trivy image -f json`), Grype JSON
                              ** (`grype -o json`) or Docker Scout SARIF
                              ** (`docker scout cves --format sarif`), told
                              ** by its top-level keys. The JSON kinds
                              ** (INSPECT, REQUEST, SCAN) give whichever the
                              ** content is; SCAN given for other JSON is a
                              ** document error ("not a vulnerability scan
                              ** report"). Since 1.2. */
} policy_kind;

/* Parses `len` bytes. `path` names the input in the model and in
** messages (it is copied; NULL means "-"). *out is owned: release it with
** policy_document_free. Errors: POLICY_ERR_INVALID, POLICY_ERR_NOMEM,
** POLICY_ERR_LIMIT (input or model too large), POLICY_ERR_UNSUPPORTED
** (kind unknown or not supported); the detail is in the engine's errmsg.
** A Compose file is one file of a project: the files it names (its .env,
** a compose.override.yaml next to a compose.yaml, extended and included
** files, the Dockerfiles its services build) are read relative to the
** folder of `path` (the current folder for "-"), as policy_parse_file
** reads; those that cannot be read are problems of the document. */
POLICY_API int policy_parse_buffer(policy_document **out,
                                   policy_engine *engine, const char *path,
                                   const void *data, size_t len, int kind);

/* Reads a file, then parses it as policy_parse_buffer does. Only regular
** files are read (a FIFO, device or directory fails with POLICY_ERR_IO
** without blocking), and never more than POLICY_LIMIT_INPUT_BYTES. */
POLICY_API int policy_parse_file(policy_document **out,
                                 policy_engine *engine, const char *path,
                                 int kind);

/* Reads an already open descriptor (a pipe such as standard input, or a
** file) to its end, at most POLICY_LIMIT_INPUT_BYTES, then parses it. The
** descriptor is not closed. */
POLICY_API int policy_parse_fd(policy_document **out, policy_engine *engine,
                               const char *path, int fd, int kind);

/* Parses a Compose project made of several files, merged in order as
** `docker compose -f paths[0] -f paths[1] ...` merges them (no
** compose.override.yaml is looked for; policy_parse_file adds it next to
** a compose.yaml). paths[0] names the document; relative paths in the
** files, and the project's .env, are taken from its folder. The first
** file is read as policy_parse_file reads; problems with the others are
** errors of the document. Errors: as policy_parse_file. */
POLICY_API int policy_parse_compose(policy_document **out,
                                    policy_engine *engine,
                                    const char *const *paths, size_t npaths);

/* Chooses the file of variables for Compose interpolation, instead of the
** .env in the project's folder (`docker compose --env-file`); NULL
** restores the default. Variables of the process environment win over
** the file's, as in Compose. Copied. Errors: POLICY_ERR_INVALID,
** POLICY_ERR_NOMEM. */
POLICY_API int policy_engine_set_env_file(policy_engine *engine,
                                          const char *path);

/* Releases a document. NULL is a no-op. */
POLICY_API void policy_document_free(policy_document *doc);

/* Links a scan report (a POLICY_KIND_SCAN document) to another document
** checked with it: every Compose service or container of `other` whose
** image is the image the report is about (same registry, repository and
** tag, or a digest or ID the report names), and every inspected image
** that is it, is added to the report's scan.shipped_by
** ({kind, name, file, line, image, dockerfile}; see docs/model.md), so
** its findings can name what ships the vulnerable package. Call it before
** policy_check(scan); it changes `scan`, which must not be read by another
** thread meanwhile; `other` is only read and may be freed afterwards (the
** entries are copies). *linked (may be NULL) receives the number of
** entries added (0 when nothing matches or the report names no image).
** Errors: POLICY_ERR_INVALID (a NULL document, or `scan` is not a scan
** report), POLICY_ERR_NOMEM, POLICY_ERR_LIMIT (scan's model is at
** POLICY_LIMIT_MODEL_BYTES). Since 1.2. */
POLICY_API int policy_document_link_scan(size_t *linked, policy_document *scan,
                                         const policy_document *other);

/* The document's kind (a policy_kind, never AUTO) and path (borrowed). */
POLICY_API int policy_document_kind(const policy_document *doc);
POLICY_API const char *policy_document_path(const policy_document *doc);

/* Input problems: errors make part of the input unusable (BuildKit would
** reject the file), warnings do not. */
POLICY_API size_t policy_document_error_count(const policy_document *doc);
POLICY_API size_t policy_document_warning_count(const policy_document *doc);

/* The index-th error or warning: message (borrowed, valid as long as the
** document), 1-based line and column (0 when unknown). Any output pointer
** may be NULL. Errors: POLICY_ERR_INVALID (index out of range). */
POLICY_API int policy_document_error(const char **message, uint32_t *line,
                                     uint32_t *column,
                                     const policy_document *doc,
                                     size_t index);
POLICY_API int policy_document_warning(const char **message, uint32_t *line,
                                       uint32_t *column,
                                       const policy_document *doc,
                                       size_t index);

/* The other files a document was read from: a Compose file's override,
** extended and included files and the Dockerfiles its services build,
** as the document's positions name them (in model order, each once);
** none for the other kinds. Borrowed, valid as long as the document.
** policy_document_file returns NULL past the end (and both give nothing
** when memory runs out). Reads the document only: thread-safe like any
** reader of a finished document. Since 1.2. */
POLICY_API size_t policy_document_file_count(const policy_document *doc);
POLICY_API const char *policy_document_file(const policy_document *doc,
                                            size_t index);

/* Flags for policy_document_to_json. */
enum {
  POLICY_JSON_PRETTY = 1u << 0,  /* indented, one member per line */
  POLICY_JSON_NO_POSITIONS = 1u << 1 /* omit the "pos" members */
};

/* The document model as JSON text (the names of docs/model.md). *out is
** owned, NUL-terminated: release it with policy_free; *len (may be NULL)
** receives its length. Errors: POLICY_ERR_INVALID, POLICY_ERR_NOMEM. */
POLICY_API int policy_document_to_json(char **out, size_t *len,
                                       const policy_document *doc,
                                       uint32_t flags);

/* ---- Policies -------------------------------------------------------------
** A rule is one Lua file returning a table: id, title, severity,
** applies_to, description, remediation, refs and a check function (see
** docs/writing-rules.md). Rules run in a sandbox: no file, OS or
** network access, a memory and an instruction budget, the model read-only.
** Loading validates a rule completely; a rule that fails to load is not
** added and the engine's errmsg says why (with file and line). */

typedef enum policy_severity {
  POLICY_SEVERITY_INFO = 1,
  POLICY_SEVERITY_LOW = 2,
  POLICY_SEVERITY_MEDIUM = 3,
  POLICY_SEVERITY_HIGH = 4,
  POLICY_SEVERITY_CRITICAL = 5
} policy_severity;

/* "info" ... "critical" (static), or NULL for an unknown value. */
POLICY_API const char *policy_severity_name(int severity);
/* The severity named (lower case), or 0 when the name is unknown. */
POLICY_API int policy_severity_from_name(const char *name);

/* Loads the built-in pack (compiled into the library): its rules, and its
** data documents (e.g. `eol_images`, the end-of-life base images) as
** defaults under `data`: a top-level key loaded by policy_engine_load_data
** or a configuration, before or after this call, replaces the pack's.
** Errors: POLICY_ERR_NOMEM, POLICY_ERR_PARSE (a rule is invalid; errmsg). */
POLICY_API int policy_engine_load_builtin(policy_engine *engine);

/* Loads a rule file, or every *.lua file of a directory (sorted by name;
** subdirectories are not entered). A rule whose id is already loaded is an
** error (POLICY_ERR_PARSE) naming both files. A rule file that is refused
** does not keep the other files of a directory out: they are loaded, and
** the engine's errmsg holds one line per refused file. Errors:
** POLICY_ERR_IO, POLICY_ERR_PARSE (invalid rule, duplicate id),
** POLICY_ERR_LIMIT (a file over 1 MiB, metadata over its bounds, a file
** that took longer than POLICY_LIMIT_TIME_MS to compile and run),
** POLICY_ERR_NOMEM. */
POLICY_API int policy_engine_load_rules(policy_engine *engine,
                                        const char *path);

/* Loads one rule from memory; `name` is used in messages. */
POLICY_API int policy_engine_load_rule_buffer(policy_engine *engine,
                                              const char *name,
                                              const char *source,
                                              size_t len);

/* Loads a data document (YAML, or JSON when the name ends in .json),
** visible read-only to every rule as the global `data`. Its top-level
** mapping is merged into what earlier calls loaded: a later key replaces
** an earlier one. Errors: POLICY_ERR_IO, POLICY_ERR_PARSE (with
** file:line:column in errmsg), POLICY_ERR_LIMIT, POLICY_ERR_NOMEM. */
POLICY_API int policy_engine_load_data(policy_engine *engine,
                                       const char *path);

/* Skips a rule: by its id, or by any ref (a hadolint DL code, a CIS
** number, ...). Applies to rules loaded before and after the call. */
POLICY_API int policy_engine_ignore(policy_engine *engine,
                                    const char *id_or_ref);

/* The loaded rules, in load order. */
POLICY_API size_t policy_engine_rule_count(const policy_engine *engine);

typedef enum policy_rule_field {
  POLICY_RULE_ID = 1,
  POLICY_RULE_TITLE = 2,
  POLICY_RULE_SEVERITY = 3,    /* "high", ... */
  POLICY_RULE_APPLIES_TO = 4,  /* "image", "container,document", ... */
  POLICY_RULE_DESCRIPTION = 5,
  POLICY_RULE_REMEDIATION = 6,
  POLICY_RULE_ORIGIN = 7       /* file path, or "builtin:<file>" */
} policy_rule_field;

/* A field of the index-th rule (borrowed, valid until the engine is
** freed), or NULL when index or field is out of range. */
POLICY_API const char *policy_engine_rule_string(const policy_engine *engine,
                                                 size_t index, int field);
/* The index-th rule's references for a tool ("cis", "hadolint", "trivy",
** "kics", "checkov"), comma-separated; NULL when it has none. Borrowed,
** valid until the next call on the engine. */
POLICY_API const char *policy_engine_rule_ref(policy_engine *engine,
                                              size_t index,
                                              const char *tool);
/* Every rule's metadata as a JSON array. *out owned (policy_free). */
POLICY_API int policy_engine_rules_to_json(char **out, size_t *len,
                                           const policy_engine *engine,
                                           uint32_t flags);

/* ---- Packs (since 1.2) ----------------------------------------------------
** A pack is a folder, or a .tar.gz of one, that ships rules together:
** pack.yaml (name, version, description, requires, severity, profile),
** rules/NAME.lua, lib/NAME.lua (modules its rules load with `require "NAME"`),
** data/NAME.yaml|yml|json (its data documents) and tests/<rule-id>/ (fixtures,
** read by `policy test` only). docs/packs.md describes each part. */

/* Loads policies from `path`, whatever it holds:
**  - a .lua file: as policy_engine_load_rules;
**  - a folder with pack.yaml, or a .tar.gz (.tgz) file of one (pack.yaml
**    at its top or in its one top folder): a pack. Its manifest is read
**    (unknown keys are errors; `requires: libpolicy >= X.Y` is checked
**    against this library), its data documents are merged into `data` as
**    defaults (as the built-in pack's: a key loaded by
**    policy_engine_load_data, before or after, wins, and so does a key an
**    earlier pack loaded), its lib/ modules are loaded (sandboxed and
**    metered like rules, frozen once loaded, in a worker process first
**    when rules are isolated), then its rules, each with the pack's own
**    `require`, which reaches the modules of that pack only: no paths, no
**    files, no C modules. The manifest's severities replace its rules'
**    own; a severity naming no rule of the pack adds a note to
**    policy_engine_warnings;
**  - any other folder: its *.lua files as policy_engine_load_rules loads
**    them, and the documents of its data/ folder, as a pack's.
** `sha256` (64 hex digits, either case, or NULL) is compared with an
** archive's SHA-256 before anything in it is read; for a folder or a .lua
** file it is POLICY_ERR_INVALID. An archive is read in memory, never
** extracted, and refused whole for an entry that is not a regular file or
** a folder (links, devices), an absolute path or a ".." part, more than
** 4096 entries, a file over 16 MiB, 64 MiB in all or 16 MiB compressed.
** A rule file that is refused does not keep the pack's other rules out
** (as policy_engine_load_rules: every refusal is a line of errmsg); a
** manifest, data document or module that is refused keeps the whole pack
** out, and so does a pack whose name is loaded already.
** Errors: POLICY_ERR_INVALID (NULL path, a SHA-256 for a folder or not 64
** hex digits), POLICY_ERR_IO, POLICY_ERR_PARSE (an invalid manifest, rule,
** module or data document, an archive that is not a .tar.gz or holds what
** a pack may not, a SHA-256 that differs, a pack that needs a newer
** libpolicy), POLICY_ERR_LIMIT, POLICY_ERR_NOMEM; the detail, with
** file:line:column where there is one, in errmsg. Not thread-safe with
** other calls on the engine. Since 1.2. */
POLICY_API int policy_engine_load_pack_path(policy_engine *engine,
                                            const char *path,
                                            const char *sha256);

/* Loads a pack compiled into the library by name: "builtin" (the same
** as policy_engine_load_builtin) or "hadolint" (hadolint's DL rules,
** docs/hadolint.md), loaded as a pack folder is (its rules trusted, as
** the built-in pack's). Packs combine: each may be loaded once.
** Errors: POLICY_ERR_INVALID (NULL argument, no built-in pack of that
** name), those of policy_engine_load_pack_path (a pack of that name is
** loaded already); the detail in errmsg. Not thread-safe with other calls
** on the engine. Since 1.2. */
POLICY_API int policy_engine_load_builtin_pack(policy_engine *engine, const char *name);

/* The name of the index-th built-in pack ("builtin" first), or NULL past
** the last: a static string. Thread-safe. Since 1.2. */
POLICY_API const char *policy_builtin_pack_name(size_t index);

/* The packs loaded, in load order. */
POLICY_API size_t policy_engine_pack_count(const policy_engine *engine);

typedef enum policy_pack_field {
  POLICY_PACK_NAME = 1,
  POLICY_PACK_VERSION = 2,
  POLICY_PACK_DESCRIPTION = 3,
  POLICY_PACK_ORIGIN = 4,      /* the path it was loaded from */
  POLICY_PACK_SHA256 = 5,      /* an archive's SHA-256 in hex; NULL for a folder */
  POLICY_PACK_PROFILE = 6      /* the manifest's profile, or NULL */
} policy_pack_field;

/* A field of the index-th pack (borrowed, valid until the engine is
** freed), or NULL when index or field is out of range or the field is
** not set. Since 1.2. */
POLICY_API const char *policy_engine_pack_string(const policy_engine *engine,
                                                 size_t index, int field);
/* The name of the pack the index-th rule came from (borrowed, valid until
** the engine is freed), or NULL for a rule of no pack. Since 1.2. */
POLICY_API const char *policy_engine_rule_pack(const policy_engine *engine,
                                               size_t index);

/* Builds a pack archive: loads the pack folder `dir` into `engine` first
** (a pack that does not load, or a rule of it that is refused, is never
** shipped: the error is policy_engine_load_pack_path's), then writes to
** out_path a gzip-compressed tar of its pack.yaml, rules/, lib/, data/,
** tests/ and top-level README, LICENSE and COPYING files, under a folder
** named after the pack: the same bytes for the same files (entries
** sorted, no times, no owners). *sha256 receives the archive's SHA-256 in
** hex (owned: policy_free), what policy_engine_load_pack_path checks.
** Errors: those of policy_engine_load_pack_path, POLICY_ERR_INVALID (NULL
** argument, `dir` is not a folder with pack.yaml), POLICY_ERR_IO (out_path
** cannot be written; nothing is left there). Since 1.2. */
POLICY_API int policy_pack_build(char **sha256, policy_engine *engine,
                                 const char *dir, const char *out_path);

/* ---- Rule coverage and subjects (since 1.2) -------------------------------
** For testing rules: which lines of a rule ran, and how many subjects a
** rule was run on. */

/* Turns line coverage on (1: counting starts from nothing) or off (0:
** what was counted is forgotten). While it is on, every rule run in the
** calling process reports its lines to the engine through a Lua line hook
** (slower; off, rules run exactly as without it). Lines are counted only
** in the calling process, so the engine's isolation must be
** POLICY_ISOLATE_NONE (policy_engine_set_isolation) when it is turned on;
** rules that run in worker processes count no line. Errors:
** POLICY_ERR_INVALID, POLICY_ERR_UNSUPPORTED (isolation is not
** POLICY_ISOLATE_NONE), POLICY_ERR_NOMEM. Since 1.2. */
POLICY_API int policy_engine_set_coverage(policy_engine *engine, int on);

/* The index-th rule's line coverage since coverage was turned on: *total
** is the number of lines of its functions that hold code (check and the
** helpers its file defines; not the file's top level, which runs when it
** loads, nor the `end` of a function, which runs only when the function
** falls off its end), *run how many of them ran. *missed (may be NULL)
** receives the lines that did not run, as "12, 14-16" ("" when none;
** borrowed, valid until the next call on the engine). Errors:
** POLICY_ERR_INVALID (NULL run or total, index out of range, coverage
** off), POLICY_ERR_NOMEM. Since 1.2. */
POLICY_API int policy_engine_rule_coverage(size_t *run, size_t *total,
                                           const char **missed,
                                           policy_engine *engine,
                                           size_t index);

/* How many subjects (images, containers, requests, vulnerabilities, or
** the document itself, as its applies_to says) policy_check has run the
** index-th rule on with this engine so far. 0 after checks tells a rule
** that matched nothing in any input: most often an applies_to that names
** the wrong kind. Ignored rules count none. Errors: POLICY_ERR_INVALID.
** Since 1.2. */
POLICY_API int policy_engine_rule_subjects(uint64_t *out,
                                           const policy_engine *engine,
                                           size_t index);

/* 1 when the index-th rule does not run (an ignore names it), 0 when it
** runs, -1 for a NULL engine or an index out of range. Since 1.2. */
POLICY_API int policy_engine_rule_ignored(const policy_engine *engine, size_t index);

/* Evaluates `expr`, a Lua expression (or statements that end in `return
** ...`), in the rules' sandbox over a document, for exploring the model.
** It sees what rules see (data, text, model_type, the helper libraries)
** and the globals `document` (the document's model) and `image`,
** `container`, `request` and `vulnerability` (the document's first of
** each, or nil); with `pack` (a loaded pack's name, or NULL) that pack's
** `require` too. *out receives its result as JSON (owned, policy_free;
** *len, may be NULL, its length): nil as null, model values as
** policy_document_to_json writes them (positions only without
** POLICY_JSON_NO_POSITIONS), tables as arrays (keys 1..n) or objects (keys
** sorted), other values as their type's name; several results as an
** array. Flags: POLICY_JSON_PRETTY, POLICY_JSON_NO_POSITIONS. It runs in
** the calling process whatever the isolation, as untrusted code under the
** rules' limits. Errors: POLICY_ERR_INVALID (NULL argument, no pack of
** that name), POLICY_ERR_PARSE (a syntax or runtime error; errmsg has
** it), POLICY_ERR_LIMIT (errmsg names the limit), POLICY_ERR_NOMEM.
** Since 1.2. */
POLICY_API int policy_engine_eval(char **out, size_t *len, policy_engine *engine,
                                  const policy_document *doc, const char *pack,
                                  const char *expr, uint32_t flags);

/* Applies a configuration file (YAML; see docs/configuration.md): limits,
** ignores (with reason and expiry), vulnerability exceptions (id, optional
** package, required reason and expiry: they apply to the scan reports
** parsed afterwards, docs/vulnerabilities.md), rule folders and data files
** (paths relative to the file), and the defaults `builtin` and `fail_on`,
** which the caller reads back below. Unknown keys are errors. Errors:
** POLICY_ERR_IO, POLICY_ERR_PARSE (file:line:column in errmsg), any error
** of the loads it makes. */
POLICY_API int policy_engine_load_config(policy_engine *engine,
                                         const char *path);
/* The configuration's fail_on (a policy_severity), or 0 when unset. */
POLICY_API int policy_engine_config_fail_on(const policy_engine *engine);
/* The configuration's builtin: 1, 0, or -1 when unset. */
POLICY_API int policy_engine_config_builtin(const policy_engine *engine);
/* The index-th glob of the configurations' `exclude` lists (paths a
** program walking folders leaves out), or NULL past the end. Borrowed,
** valid until the engine is freed. Since 1.2. */
POLICY_API const char *policy_engine_config_exclude(const policy_engine *engine,
                                                    size_t index);
/* Checks the configurations loaded so far against the rules loaded now:
** every ignore that names no loaded rule, neither by id nor by ref, adds
** the note "FILE:LINE:COL: ..." to policy_engine_warnings. Call it after
** the last rule is loaded. Returns the number of such ignores (0 for a
** NULL engine). Since 1.2. */
POLICY_API size_t policy_engine_check_config(policy_engine *engine);

/* The first loaded rule whose id is `id_or_ref`, or one of whose refs is
** (refs compare case-insensitively), into *index. Errors:
** POLICY_ERR_INVALID (NULL argument, or no such rule). Since 1.2. */
POLICY_API int policy_engine_rule_find(size_t *index,
                                       const policy_engine *engine,
                                       const char *id_or_ref);
/* Notes for the user gathered so far (an ignore or a vulnerability
** exception that expired, ...), one per line; "" when none. Borrowed,
** valid until the next call. */
POLICY_API const char *policy_engine_warnings(const policy_engine *engine);

/* ---- Checking -------------------------------------------------------------
** A report collects what checks found: findings, suppressed findings (with
** the reason) and errors (inputs that could not be read or parsed, rules
** that failed or hit a limit). Readers see every list sorted by file,
** line, column, rule (sorting happens at the first read after a change,
** so even the const accessors must not race with other calls on the same
** report). A report is not tied to an engine. */
typedef struct policy_report policy_report;

POLICY_API int policy_report_new(policy_report **out);
POLICY_API void policy_report_free(policy_report *report);

/* Runs every loaded, not ignored rule over the document and adds what
** they find to the report, together with the document's own input errors
** and warnings, and a warning for each id or ref in its suppression
** comments that names no loaded rule (since 1.2). Findings about a
** vulnerability an exception of the configuration covers go to the
** suppressed list with the exception's reason.
** A rule that fails becomes an error entry; the other rules still run.
** Errors: POLICY_ERR_INVALID, POLICY_ERR_NOMEM. */
POLICY_API int policy_check(policy_report *report, policy_engine *engine,
                            const policy_document *doc);

/* Adds a copy of every entry of `src` (findings, suppressed findings,
** errors, logs) and its count of files to `dst`; src is unchanged. For
** programs that check on several threads, one report per thread, and
** merge at the end: the merged report reads exactly as one report that
** received every check would (lists are sorted, exact duplicates
** dropped). Errors: POLICY_ERR_INVALID (NULL, or dst == src),
** POLICY_ERR_NOMEM (dst then holds part of src's entries). Neither
** report may be used by another thread during the call. Since 1.2. */
POLICY_API int policy_report_merge(policy_report *dst,
                                   const policy_report *src);

/* Records an input that could not be read (line and column may be 0). */
POLICY_API int policy_report_add_error(policy_report *report,
                                       const char *file, uint32_t line,
                                       uint32_t column, const char *message);

typedef enum policy_list {
  POLICY_LIST_FINDINGS = 1,
  POLICY_LIST_SUPPRESSED = 2,
  POLICY_LIST_ERRORS = 3,
  POLICY_LIST_LOGS = 4,       /* what rules printed: rule, file, message */
  /* Since 1.2: problems that do not stop a check: the document's input
  ** warnings (a Compose variable that is not set, a build context that
  ** cannot be read, ...; kind "input") and suppression comments naming
  ** no loaded rule by id or ref (kind "unknown-id"): file, line, column,
  ** message, kind. */
  POLICY_LIST_WARNINGS = 5,
  /* Since 1.2: entries of an applied baseline that no finding matches any
  ** more (policy_report_apply_baseline): rule, file, line (where it was),
  ** message, fingerprint. */
  POLICY_LIST_FIXED = 6
} policy_list;

typedef enum policy_field {
  POLICY_FIELD_RULE = 1,      /* string; NULL for input errors */
  POLICY_FIELD_SEVERITY = 2,  /* string ("high"), or number (policy_severity) */
  POLICY_FIELD_TITLE = 3,
  POLICY_FIELD_MESSAGE = 4,
  POLICY_FIELD_FILE = 5,
  POLICY_FIELD_SUBJECT = 6,   /* "image build", "container web", ... */
  POLICY_FIELD_REASON = 7,    /* suppressed entries */
  POLICY_FIELD_LIMIT = 8,     /* errors: the limit a rule hit, or NULL */
  POLICY_FIELD_LINE = 9,      /* numbers: 1-based, 0 when unknown */
  POLICY_FIELD_COLUMN = 10,
  POLICY_FIELD_END_LINE = 11,
  POLICY_FIELD_END_COLUMN = 12,
  /* Since 1.2: findings, suppressed and fixed entries: 16 hex digits from
  ** the rule id, the file (its relative path normalised: no "./", no
  ** doubled slashes) and the content of the reported node, never its
  ** line, so a finding keeps it when lines move. */
  POLICY_FIELD_FINGERPRINT = 13,
  /* Since 1.2: warnings: "input" or "unknown-id"; suppressed: "baseline"
  ** for findings a baseline holds, NULL for a suppression comment. */
  POLICY_FIELD_KIND = 14
} policy_field;

POLICY_API size_t policy_report_count(const policy_report *report, int list);
/* Files checked or attempted. */
POLICY_API size_t policy_report_file_count(const policy_report *report);
/* A string field of an entry (borrowed, valid until the report changes or
** is freed), or NULL. */
POLICY_API const char *policy_report_get_string(const policy_report *report,
                                                int list, size_t index,
                                                int field);
/* A number field of an entry, or -1 when out of range. */
POLICY_API int64_t policy_report_get_number(const policy_report *report,
                                            int list, size_t index,
                                            int field);
/* An entry's reference for a tool ("hadolint", ...), or NULL. Borrowed. */
POLICY_API const char *policy_report_get_ref(const policy_report *report,
                                             int list, size_t index,
                                             const char *tool);
/* Findings at or above a severity. */
POLICY_API size_t policy_report_count_at_least(const policy_report *report,
                                               int severity);

/* Flags for policy_report_to_text. */
enum { POLICY_TEXT_COLOR = 1u << 0 };

/* The report as JSON (the contract of docs/report.md; POLICY_JSON_PRETTY
** applies) or as text lines `file:line:col: severity [rule] message`.
** *out owned (policy_free). */
POLICY_API int policy_report_to_json(char **out, size_t *len,
                                     const policy_report *report,
                                     uint32_t flags);
POLICY_API int policy_report_to_text(char **out, size_t *len,
                                     const policy_report *report,
                                     uint32_t flags);

/* ---- Output formats (since 1.2) -------------------------------------------
** What CI systems read. Every format lists findings in report order and is
** the same for the same report, byte for byte. */
typedef enum policy_format {
  /* `file:line:col: severity [rule] message` lines, then a summary line.
  ** Control characters (C0, DEL, C1), invalid UTF-8 and the Unicode
  ** bidirectional controls in any field are written as \xNN or \uNNNN,
  ** so one entry is always one line. Errors first, then findings. */
  POLICY_FORMAT_TEXT = 1,
  POLICY_FORMAT_JSON = 2,      /* policy_report_to_json's text */
  /* SARIF 2.1.0 (one run): every rule of the engine as a reporting
  ** descriptor (help: description and remediation; properties: refs,
  ** severity, security-severity), results with ruleId, level, message,
  ** the file as a URI relative to the working directory (uriBaseId
  ** %SRCROOT%) or an absolute file: URI, the region, partialFingerprints;
  ** suppressed findings with suppressions [{kind, justification}];
  ** errors and warnings as tool execution notifications. */
  POLICY_FORMAT_SARIF = 3,
  /* JUnit XML: a testsuite per checked file, a testcase per rule and
  ** file; a failure lists the rule's findings in the file; input and
  ** rule errors are <error> elements. */
  POLICY_FORMAT_JUNIT = 4,
  /* GitHub Actions workflow commands: one `::error file=F,line=L,...::M`
  ** (error for high and critical, warning for medium and low, notice for
  ** info) per finding and error, escaped as the runner documents. */
  POLICY_FORMAT_GITHUB = 5,
  /* GitLab Code Quality JSON: an array of issues with description,
  ** check_name, fingerprint (unique in the report), severity (info,
  ** minor, major, critical, blocker) and location. */
  POLICY_FORMAT_GITLAB = 6,
  POLICY_FORMAT_CHECKSTYLE = 7, /* Checkstyle XML: <file> with <error> */
  /* A baseline for policy_baseline_load: the fingerprint, rule, file,
  ** line and message of every finding (and of findings an applied
  ** baseline suppressed), as indented JSON. */
  POLICY_FORMAT_BASELINE = 8
} policy_format;

/* Flags of policy_report_write: POLICY_JSON_PRETTY (JSON, SARIF, GitLab),
** POLICY_TEXT_COLOR and: */
enum { POLICY_TEXT_NO_SUMMARY = 1u << 1 }; /* text: no summary line */

/* The format named "text", "json", "sarif", "junit", "github", "gitlab",
** "checkstyle" or "baseline", or 0. Thread-safe. */
POLICY_API int policy_format_from_name(const char *name);

/* The report in a format. `engine` (may be NULL) gives the loaded rules
** that SARIF lists as its driver's rules and JUnit as test cases (without
** it, the rules seen in the report); it is only read. *out is owned,
** NUL-terminated: release it with policy_free; *len (may be NULL) gets
** its length. Errors: POLICY_ERR_INVALID (NULL out or report, unknown
** format), POLICY_ERR_NOMEM. Neither the report nor the engine may be
** used by another thread during the call. */
POLICY_API int policy_report_write(char **out, size_t *len,
                                   const policy_report *report,
                                   const policy_engine *engine, int format,
                                   uint32_t flags);

/* Flags for policy_escape_text. */
enum { POLICY_ESCAPE_KEEP_NEWLINES = 1u << 0 };

/* `text` made safe for a terminal or a line-based log: control
** characters (C0, tab and newline included, DEL, C1), bytes that are not
** UTF-8, and the Unicode controls that reorder or break a line (U+061C,
** U+200E, U+200F, U+2028-U+202E, U+2066-U+2069) become \xNN or \uNNNN;
** with POLICY_ESCAPE_KEEP_NEWLINES newlines stay. The text writers of
** policy_report_write escape every field this way. *out is owned
** (policy_free); *len (may be NULL) gets its length. Errors:
** POLICY_ERR_INVALID, POLICY_ERR_NOMEM. Thread-safe. Since 1.2. */
POLICY_API int policy_escape_text(char **out, size_t *len, const char *text,
                                  uint32_t flags);

/* ---- Baselines (since 1.2) ------------------------------------------------
** A baseline is a file of known findings (POLICY_FORMAT_BASELINE): a
** check that applies it reports only what is new. Findings are matched by
** fingerprint, so moving lines keeps them matched; a fingerprint listed k
** times matches k findings. */
typedef struct policy_baseline policy_baseline;

/* Reads a baseline file, as policy_parse_file reads (at most
** POLICY_LIMIT_INPUT_BYTES). *out is owned: release it with
** policy_baseline_free. A loaded baseline is immutable: several threads
** may apply it at once. Errors: POLICY_ERR_INVALID, POLICY_ERR_IO,
** POLICY_ERR_LIMIT, POLICY_ERR_PARSE (not a baseline; file:line:column in
** the engine's errmsg), POLICY_ERR_NOMEM. */
POLICY_API int policy_baseline_load(policy_baseline **out,
                                    policy_engine *engine, const char *path);
POLICY_API void policy_baseline_free(policy_baseline *baseline);
/* Entries in the baseline. */
POLICY_API size_t policy_baseline_count(const policy_baseline *baseline);

/* Moves every finding of the report that the baseline holds to the
** suppressed list (kind "baseline", reason naming the baseline), and adds
** to POLICY_LIST_FIXED every entry of the baseline for a file this report
** checked that no finding matched. Apply it once per report, after its
** checks (a report per file and a merge at the end gives the same result
** as one report). Errors: POLICY_ERR_INVALID, POLICY_ERR_NOMEM (the report
** then holds part of the change). The report may not be used by another
** thread during the call. */
POLICY_API int policy_report_apply_baseline(policy_report *report,
                                            const policy_baseline *baseline);

#ifdef __cplusplus
}
#endif

#endif
