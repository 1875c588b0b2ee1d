/*
** policy/policy.h: the public interface of libpolicy.
**
** libpolicy reads Dockerfiles (and, in later releases, Compose files and
** `docker inspect` JSON), turns them into one object model, and runs
** security policies over it. This header is the only way in; its ABI only
** grows.
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
**    be read from several threads at once.
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
  POLICY_ERR_PARSE = -6        /* reserved for a whole-input syntax failure */
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
** An engine holds settings (limits, build arguments) and, in later
** releases, compiled policies. It reports the detail of its last failure
** through policy_engine_errmsg. */
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

/* Limits, keyed by an enum that only grows. A value of 0 means "no
** limit" where stated. */
typedef enum policy_limit {
  /* Bytes one input may have; larger inputs fail with POLICY_ERR_LIMIT.
  ** Default 128 MiB. 0 is not allowed. */
  POLICY_LIMIT_INPUT_BYTES = 1,
  /* Bytes of one Dockerfile line (BuildKit's own limit is 65535, the
  ** default). Longer lines are an input error in the document. */
  POLICY_LIMIT_LINE_BYTES = 2,
  /* Bytes of memory one document's model may use. Default 1 GiB. */
  POLICY_LIMIT_MODEL_BYTES = 3
} policy_limit;

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
  POLICY_KIND_COMPOSE = 2,    /* not yet supported */
  POLICY_KIND_INSPECT = 3     /* not yet supported */
} policy_kind;

/* Parses `len` bytes. `path` names the input in the model and in
** messages (it is copied; NULL means "-"). *out is owned: release it with
** policy_document_free. Errors: POLICY_ERR_INVALID, POLICY_ERR_NOMEM,
** POLICY_ERR_LIMIT (input or model too large), POLICY_ERR_UNSUPPORTED
** (kind unknown or not supported); the detail is in the engine's errmsg. */
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

/* Releases a document. NULL is a no-op. */
POLICY_API void policy_document_free(policy_document *doc);

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

#ifdef __cplusplus
}
#endif

#endif
