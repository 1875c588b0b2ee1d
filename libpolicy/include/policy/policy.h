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
**  - Threads: the library has no global mutable state (the allocation-
**    failure counters of the tests are per thread). What may be shared:
**     * a policy_engine: by one thread at a time (calls on it must not
**       overlap; handing it to another thread between calls is fine).
**       Distinct engines are independent and run in parallel. Engines
**       share no compiled rules: each has its own Lua state, in which its
**       rules are compiled and their load-time values frozen, so a
**       program that checks on N threads makes N engines and loads the
**       rules into each (the built-in pack loads in milliseconds).
**     * a policy_document, once the parse that made it has returned: it
**       is immutable, and any number of threads may read it and check it
**       at once, each with its own engine. It is freed once no thread
**       uses it any more.
**       policy_document_link_scan is the one call that changes a
**       document: its `scan` must not be read by another thread then.
**     * a policy_report: by one thread at a time, even through its const
**       readers (they sort on the first read after a change). Reports of
**       several threads are combined with policy_report_merge.
**     * a loaded policy_baseline: immutable, read by any number of
**       threads at once.
**     * strings the library returns: borrowed ones follow the rule of the
**       object they came from; owned ones are the caller's.
**    Functions on no object (policy_strerror, versions, severity and
**    format names, policy_escape_text, policy_free) may be called from
**    any thread at any time. The one value a library call reads while
**    another thread may write it is the cancel flag
**    (policy_engine_set_cancel).
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
  POLICY_ERR_PARSE = -6,       /* a rule, data document or configuration is
                               ** invalid (an input's own problems are in its
                               ** document, never a failure of the call) */
  POLICY_ERR_CANCELLED = -7    /* the cancel flag stopped a check before it
                               ** was complete (policy_engine_set_cancel);
                               ** since 1.2 */
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
  /* Bytes one rule run may allocate on top of what the Lua state holds
  ** when it starts (compiled rules and the document's views never count).
  ** Default 64 MiB. A rule that needs more gets a rule error naming this
  ** limit. */
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
  POLICY_LIMIT_TIME_MS = 8,
  /* Milliseconds one run of an external checker may take: the built-in
  ** hadolint pack runs the shellcheck program once per RUN script; past
  ** the limit it is killed and the report gets a warning naming the RUN.
  ** Default 2000. Since 1.3. */
  POLICY_LIMIT_TOOL_MS = 9
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
  POLICY_KIND_SCAN = 5,       /* a vulnerability scan report: Trivy JSON
                              ** (`trivy image -f json`), Grype JSON
                              ** (`grype -o json`) or Docker Scout SARIF
                              ** (`docker scout cves --format sarif`), told
                              ** by its top-level keys. The JSON kinds
                              ** (INSPECT, REQUEST, SCAN) give whichever the
                              ** content is; SCAN given for other JSON is a
                              ** document error ("not a vulnerability scan
                              ** report"). Since 1.2. */
  POLICY_KIND_RUN = 6         /* a `docker run` or `docker create` command
                              ** line, read with policy_parse_argv (the
                              ** parse functions of bytes fail with
                              ** POLICY_ERR_UNSUPPORTED for it). Since 1.2. */
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

/* Parses a `docker run` or `docker create` command line as the docker CLI
** reads it: argv[0] is the program ("docker", or a path ending in
** "/docker"), then docker's global options, `run`, `create`, `container
** run` or `container create`, the flags, the image and its command.
** The document (kind POLICY_KIND_RUN, model kind "run") holds one
** container of origin "run", the same model a create body gives, so every
** container rule applies; docs/run-flags.md maps each flag to its
** create-body and model field. Positions: line 1, column = the index in
** argv of the argument a value comes from (argv[0] is 0, so a finding
** about `--privileged` in `docker run --privileged alpine` is at column
** 2); the image's argument is the container's position. What the CLI
** would refuse (an unknown flag, a missing or malformed value, no image)
** is an error of the document at that argument; the rest is still
** modelled. `path` names the document in messages (copied; NULL means
** "command-line"); argv and its strings are only read during the call.
** *out is owned: release it with policy_document_free. Errors:
** POLICY_ERR_INVALID (NULL out, engine, argv with argc > 0, or a NULL
** argv[i]), POLICY_ERR_LIMIT (the arguments' bytes over
** POLICY_LIMIT_INPUT_BYTES, or the model over POLICY_LIMIT_MODEL_BYTES),
** POLICY_ERR_NOMEM; the detail is in the engine's errmsg. Uses the engine
** as every parse function does (one thread at a time). Since 1.2. */
POLICY_API int policy_parse_argv(policy_document **out, policy_engine *engine,
                                 const char *path, size_t argc,
                                 const char *const *argv);

/* Chooses the file of variables for Compose interpolation, instead of the
** .env in the project's folder (`docker compose --env-file`); NULL
** restores the default. Variables of the process environment win over
** the file's, as in Compose. Copied. Errors: POLICY_ERR_INVALID,
** POLICY_ERR_NOMEM. */
POLICY_API int policy_engine_set_env_file(policy_engine *engine,
                                          const char *path);

/* What parsing may read from the host besides the input it is given
** (policy_engine_set_host_access). */
typedef enum policy_host_access {
  /* Files an input names: a Compose file's .env, the env file of
  ** policy_engine_set_env_file, compose.override.yaml next to it, env_file
  ** of include, extended and included files, the Dockerfiles its
  ** services build; and the rule files and data files a configuration
  ** names (policy_engine_load_config, policy_engine_load_config_buffer). */
  POLICY_HOST_FILES = 1u << 0,
  /* The process environment: variables of Compose interpolation,
  ** COMPOSE_PROJECT_NAME, COMPOSE_DISABLE_ENV_FILE, PWD. */
  POLICY_HOST_ENV = 1u << 1,
  POLICY_HOST_ALL = POLICY_HOST_FILES | POLICY_HOST_ENV /* the default */
} policy_host_access;

/* Chooses what the parses made afterwards may read from the host: an OR
** of policy_host_access flags; 0 forbids both, for a service that parses
** buffers it was sent. What is not allowed is not read, and each
** document says so in a warning naming it ("compose.override.yaml is not
** read: the engine does not allow reading files (POLICY_HOST_FILES)");
** an interpolated variable that only the environment could have set is
** unset, with the usual warning saying the environment was not read. A
** configuration that names rule or data files fails with
** POLICY_ERR_INVALID when POLICY_HOST_FILES is off. What a call is given
** is always read: the file of policy_parse_file, the descriptor of
** policy_parse_fd, every file of policy_parse_compose. Errors:
** POLICY_ERR_INVALID (NULL engine, an unknown flag). Since 1.2. */
POLICY_API int policy_engine_set_host_access(policy_engine *engine,
                                             unsigned allowed);
/* The engine's policy_host_access flags (POLICY_HOST_ALL for a new
** engine; 0 for NULL). Since 1.2. */
POLICY_API unsigned policy_engine_host_access(const policy_engine *engine);

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

/* The number of entries of one of the document's model lists: "images",
** "containers", "requests", "vulnerabilities", "errors" or "warnings" (0
** for another name, a list the document's kind does not have, or NULL).
** A gate uses it to check that an input is what it expects (one AuthZ
** request, one container). Reads the document only: thread-safe like any
** reader of a finished document. Since 1.2. */
POLICY_API size_t policy_document_count(const policy_document *doc, const char *list);

/* A text field of the index-th AuthZ request of a document ("phase",
** "method", "uri", "path", "api_version", "route", "content_type", "user",
** "auth_method": see docs/model.md, request), or NULL when it is null, not
** a text field, or index is out of range. Borrowed, valid as long as the
** document. Thread-safe like any reader of a finished document. Since
** 1.2. */
POLICY_API const char *policy_document_request_string(const policy_document *doc,
                                                      size_t index, const char *field);

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

/* Loads a data document from memory, as policy_engine_load_data loads a
** file: `name` (copied; required) names it in messages and decides the
** syntax (JSON when it ends in .json, YAML otherwise). Nothing is read
** from the host. Errors: POLICY_ERR_INVALID (NULL engine or name, NULL
** text with len > 0), POLICY_ERR_LIMIT (len over POLICY_LIMIT_INPUT_BYTES),
** POLICY_ERR_PARSE (name:line:column in errmsg), POLICY_ERR_NOMEM.
** Since 1.2. */
POLICY_API int policy_engine_load_data_buffer(policy_engine *engine,
                                              const char *name,
                                              const char *text, size_t len);

/* Skips a rule: by its id, or by any ref (a hadolint DL code, a CIS
** number, ...). Applies to rules loaded before and after the call. */
POLICY_API int policy_engine_ignore(policy_engine *engine,
                                    const char *id_or_ref);

/* Chooses which of the loaded rules run: the rules of a profile and of
** the smaller ones. "default" (the default: what a team keeps on),
** "strict" (adds hardening: digest pinning, health checks, the
** containers' hardening baseline, ...) or "all" (every rule, the
** hardening items one rule each too). A rule names its profile in its
** `profile` field ("default" when it has none). Applies to rules loaded
** before and after the call; an ignore still skips a rule of the
** profile. Errors: POLICY_ERR_INVALID (NULL argument, unknown name: the
** engine keeps its profile). Not thread-safe with other calls on the
** engine. Since 1.2. */
POLICY_API int policy_engine_set_profile(policy_engine *engine,
                                         const char *name);
/* The engine's profile ("default", "strict" or "all"), static text;
** NULL for a NULL engine. Since 1.2. */
POLICY_API const char *policy_engine_profile(const policy_engine *engine);

/* The loaded rules, in load order. */
POLICY_API size_t policy_engine_rule_count(const policy_engine *engine);

typedef enum policy_rule_field {
  POLICY_RULE_ID = 1,
  POLICY_RULE_TITLE = 2,
  POLICY_RULE_SEVERITY = 3,    /* "high", ... */
  POLICY_RULE_APPLIES_TO = 4,  /* "image", "container,document", ... */
  POLICY_RULE_DESCRIPTION = 5,
  POLICY_RULE_REMEDIATION = 6,
  POLICY_RULE_ORIGIN = 7,      /* file path, or "builtin:<file>" */
  POLICY_RULE_PROFILE = 8      /* "default", "strict" or "all" (since 1.2) */
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
/* Every rule's metadata as a JSON array: id, title, severity,
** applies_to, description, remediation, refs, origin, profile (since
** 1.2) and ignored (true when the rule does not run: an ignore names it
** or its profile is larger than the engine's). *out owned (policy_free). */
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
** (paths relative to the file), severity overrides (`severity:`: the
** findings of the rules named carry that severity, and a rule named runs
** whatever the profile; since 1.3), and the defaults `builtin` and
** `fail_on`, which the caller reads back below. Unknown keys are errors.
** A file named .hadolint.yaml, .hadolint.yml, hadolint.yaml, hadolint.yml
** (or config.yaml/.yml in a folder .hadolint) is read as hadolint's
** configuration instead (docs/hadolint.md): its ignores, overrides,
** failure threshold and no-fail, the hadolint pack's settings under
** `data.hadolint`, and disable-ignore-pragma, which applies to the
** documents parsed afterwards; several such configurations add up as
** hadolint merges its sources. Errors:
** POLICY_ERR_IO, POLICY_ERR_PARSE (file:line:column in errmsg), any error
** of the loads it makes. */
POLICY_API int policy_engine_load_config(policy_engine *engine,
                                         const char *path);
/* Applies a configuration held in memory, as policy_engine_load_config
** applies a file. `name` (required) stands for its path: messages say
** name:line:column, and the rule folders and data files it names are
** relative to name's folder (the working directory when name has no
** '/'); with POLICY_HOST_FILES off (policy_engine_set_host_access) a
** configuration that names any fails with POLICY_ERR_INVALID before
** anything of it is applied. At most 1 MiB. Errors: as
** policy_engine_load_config, POLICY_ERR_INVALID (NULL engine or name,
** NULL text with len > 0), POLICY_ERR_LIMIT (over 1 MiB). Since 1.2. */
POLICY_API int policy_engine_load_config_buffer(policy_engine *engine,
                                                const char *name,
                                                const char *text, size_t len);
/* The configuration's fail_on (a policy_severity), POLICY_FAIL_ON_NONE,
** or 0 when unset. */
POLICY_API int policy_engine_config_fail_on(const policy_engine *engine);
/* What policy_engine_config_fail_on answers for a configuration under
** which no finding fails a run: `fail_on: none`, or a hadolint
** configuration's `no-fail: true` or `failure-threshold: none`. It is
** above every severity, so no finding is "at or above" it. Since 1.3. */
enum { POLICY_FAIL_ON_NONE = 6 };
/* The configuration's builtin: 1, 0, or -1 when unset. */
POLICY_API int policy_engine_config_builtin(const policy_engine *engine);
/* The index-th glob of the configurations' `exclude` lists (paths a
** program walking folders leaves out), or NULL past the end. Borrowed,
** valid until the engine is freed. Since 1.2. */
POLICY_API const char *policy_engine_config_exclude(const policy_engine *engine,
                                                    size_t index);
/* The index-th name of the configurations' `packs` lists (built-in packs,
** policy_builtin_pack_name, that a program loads in place of the default
** built-in pack; each name once, in the order first written), or NULL
** past the end. The configuration only names them: loading them is the
** caller's choice (policy_engine_load_builtin_pack). Borrowed, valid
** until the engine is freed. Not thread-safe with a configuration being
** loaded into the same engine. Since 1.3. */
POLICY_API const char *policy_engine_config_pack(const policy_engine *engine,
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

/* Runs every loaded rule of the engine's profile that is not ignored
** (policy_engine_set_profile, policy_engine_ignore) over the document and adds what
** they find to the report, together with the document's own input errors
** and warnings, and a warning for each id or ref in its suppression
** comments that names no loaded rule (since 1.2). Findings about a
** vulnerability an exception of the configuration covers go to the
** suppressed list with the exception's reason.
** A rule that fails becomes an error entry; the other rules still run.
** Errors: POLICY_ERR_INVALID, POLICY_ERR_NOMEM, POLICY_ERR_CANCELLED
** (policy_engine_set_cancel; since 1.2). */
POLICY_API int policy_check(policy_report *report, policy_engine *engine,
                            const policy_document *doc);

/* Lets another thread (or a signal handler) stop the checks of this
** engine: while *flag is non-zero, policy_check stops at the next point
** it looks, and returns POLICY_ERR_CANCELLED. It looks before each rule;
** inside a rule that runs in-process, every thousand Lua instructions of
** a rule that is not built in and at the work the sandbox charges (string
** and table functions, pattern matching, allocation); and every 10 ms
** while worker processes run rules (policy_isolation), which are then
** killed. The report keeps what the rules that ran found, and gains an
** error entry for the document saying the check was cancelled, so a
** cancelled check is never mistaken for a clean one. The flag is only
** read: the caller sets it (any non-zero value) and clears it again
** before the engine's next check, which otherwise stops at once. Write it
** with an atomic store (C11: pass an atomic_int's address; GCC and Clang:
** __atomic_store_n); the library reads it with a relaxed atomic load. The
** flag must stay valid until it is replaced; NULL (the default) removes
** it. Parsing is not cancelled: it is bounded by the input and model
** limits. Errors: POLICY_ERR_INVALID (NULL engine). Since 1.2. */
POLICY_API int policy_engine_set_cancel(policy_engine *engine,
                                        const volatile int *flag);

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

/* ---- Admission decisions (since 1.2) ---------------------------------------
** An admission gate (`policy admit`, the Docker AuthZ plugin of `policy
** authz serve`, your own) asks for a decision about one document: allow
** or deny, the findings that decided it and those that only warn. What a
** finding does is its rule's action: set per rule (by id or ref), else by
** severity (at or above the engine's deny-on severity: enforce; below:
** warn); the engine's mode then applies to every finding (warn: nothing
** is enforced; audit: everything is only audited, a dry run). The gate
** fails closed: an input that could not be read or has errors, a rule
** that failed or hit a limit, and an engine with no rule to run are deny
** entries in every mode, each with its reason: a decision never allows
** what it could not judge. */
typedef enum policy_action {
  POLICY_ACTION_ENFORCE = 1, /* the finding denies (the deny list) */
  POLICY_ACTION_WARN = 2,    /* allowed; the finding is reported (warn list) */
  POLICY_ACTION_AUDIT = 3    /* allowed; the finding is only logged (audit list) */
} policy_action;

/* "enforce", "warn", "audit" (static), or NULL for another value. The
** action named (lower case), or 0. Thread-safe. */
POLICY_API const char *policy_action_name(int action);
POLICY_API int policy_action_from_name(const char *name);

/* Findings at or above `severity` (a policy_severity) are enforced unless
** their rule has its own action; below it they warn. Default
** POLICY_SEVERITY_HIGH; a configuration's `admission: {deny_on}` sets it
** too. Errors: POLICY_ERR_INVALID (NULL engine, unknown severity). */
POLICY_API int policy_engine_set_deny_on(policy_engine *engine, int severity);
/* The deny-on severity (POLICY_SEVERITY_HIGH unless set); 0 for NULL. */
POLICY_API int policy_engine_deny_on(const policy_engine *engine);

/* The action of every rule `id_or_ref` names (its id, or one of its refs
** compared as policy_engine_ignore compares them), for rules loaded
** before and after the call; a later call naming the same rule wins. The
** string is copied. A configuration's `admission: {rules: {ID: action}}`
** calls it. Errors: POLICY_ERR_INVALID (NULL or empty name, unknown
** action), POLICY_ERR_NOMEM. */
POLICY_API int policy_engine_set_rule_action(policy_engine *engine,
                                             const char *id_or_ref, int action);

/* The mode, a policy_action: POLICY_ACTION_ENFORCE (the default: actions
** as set), POLICY_ACTION_WARN (enforced findings only warn) or
** POLICY_ACTION_AUDIT (every finding is only audited). Errors:
** POLICY_ERR_INVALID. policy_engine_admission_mode returns it (0 for
** NULL). */
POLICY_API int policy_engine_set_admission_mode(policy_engine *engine, int mode);
POLICY_API int policy_engine_admission_mode(const policy_engine *engine);

typedef struct policy_decision policy_decision;

/* Decides about a document: runs every loaded, not ignored rule over it
** as policy_check does (suppression comments apply) and sorts what comes
** out into three lists by action. The deny list also holds, as entries of
** kind "input", the document's errors (and for an AuthZ request whose
** route needs a body and has none, that error), as kind "rule" every rule
** that failed or hit a limit, and as kind "no-policy" the absence of any
** rule to run. *out is owned: release it with policy_decision_free; it is
** immutable and may be read from several threads at once. Uses the engine
** as policy_check does (one thread at a time); the document is only read.
** Errors: POLICY_ERR_INVALID (a NULL argument), POLICY_ERR_NOMEM: no
** decision is made then, and a caller that gates must deny. */
POLICY_API int policy_decide(policy_decision **out, policy_engine *engine,
                             const policy_document *doc);
POLICY_API void policy_decision_free(policy_decision *decision);

/* 1 when the document is allowed (the deny list is empty), else 0 (NULL
** included). */
POLICY_API int policy_decision_allowed(const policy_decision *decision);
/* Why the document is denied, one line for a user: "[rule] message;
** [rule] message (and N more)", input errors as "input error: ...", at
** most about 1 KiB, control characters and bidirectional controls escaped
** as policy_escape_text escapes them; "" when allowed. Borrowed, valid as
** long as the decision; NULL for NULL. */
POLICY_API const char *policy_decision_reason(const policy_decision *decision);

/* The entries of a list (`list` is a policy_action: ENFORCE is the deny
** list, WARN the warn list, AUDIT the audit list), sorted as reports are.
** Count: 0 for an unknown list. Strings (borrowed, valid as long as the
** decision; NULL when the entry has none or index is out of range):
** POLICY_FIELD_KIND ("finding", "input", "rule", "no-policy"), RULE,
** SEVERITY ("high", ...), TITLE, MESSAGE, FILE, SUBJECT, LIMIT (rule
** errors), FINGERPRINT (findings). Numbers: SEVERITY (a policy_severity;
** 0 for errors), LINE, COLUMN, END_LINE, END_COLUMN (0 when unknown), -1
** out of range. */
POLICY_API size_t policy_decision_count(const policy_decision *decision, int list);
POLICY_API const char *policy_decision_get_string(const policy_decision *decision,
                                                  int list, size_t index, int field);
POLICY_API int64_t policy_decision_get_number(const policy_decision *decision,
                                              int list, size_t index, int field);
/* Everything the rules reported (findings, suppressed findings, errors,
** logs, warnings), to write in any policy_format. Borrowed, valid as long
** as the decision; read-only. */
POLICY_API const policy_report *policy_decision_report(const policy_decision *decision);

/* The decision as JSON: {"allow": bool, "reason": text, "deny": [...],
** "warn": [...], "audit": [...]}, each entry {"rule", "kind", "severity",
** "title", "message", "file", "line", "column", "subject"}
** (docs/admission.md); POLICY_JSON_PRETTY indents. *out is owned
** (policy_free); *len (may be NULL) gets its length. Errors:
** POLICY_ERR_INVALID, POLICY_ERR_NOMEM. Thread-safe on a decision. */
POLICY_API int policy_decision_to_json(char **out, size_t *len,
                                       const policy_decision *decision,
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

/* Receives the next `len` bytes of a report's text (not NUL-terminated;
** valid only during the call). Returns 0 when it took them, any other
** value to stop the writing. */
typedef int (*policy_write_fn)(void *ctx, const char *data, size_t len);

/* The same bytes as policy_report_write, handed to `write` in order, in
** chunks of about 64 KiB, instead of one string: the whole text is never
** in memory at once (a report of thousands of files costs the chunk, not
** its text). `engine` as for policy_report_write; `ctx` is passed to
** every call of `write`, which is called from this thread only, before
** this returns. Errors: POLICY_ERR_INVALID (NULL report or write, unknown
** format), POLICY_ERR_NOMEM, POLICY_ERR_IO (write returned nonzero: it is
** not called again). After an error, what `write` already got is a
** prefix of the text. Neither the report nor the engine may be used by
** another thread during the call. Since 1.4. */
POLICY_API int policy_report_write_cb(const policy_report *report,
                                      const policy_engine *engine, int format,
                                      uint32_t flags, policy_write_fn write,
                                      void *ctx);

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
