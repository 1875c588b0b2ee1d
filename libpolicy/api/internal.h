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
#include "../model/value.h"
#include "policy/policy.h"

struct policy_engine {
  uint64_t max_input;   /* POLICY_LIMIT_INPUT_BYTES */
  uint64_t max_line;    /* POLICY_LIMIT_LINE_BYTES */
  uint64_t max_model;   /* POLICY_LIMIT_MODEL_BYTES */
  char **build_args;    /* "NAME=value", owned */
  size_t nbuild_args;
  char *target;         /* owned, or NULL */
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

/* Decides the kind of an input from its name, then its first bytes. */
int api_detect_kind(const char *path, const char *data, size_t len);

/* Reads fd to its end, at most `limit` bytes (more is POLICY_ERR_LIMIT).
** *out is pol_malloc'd (NUL-terminated), freed by the caller. */
int api_read_fd(policy_engine *e, const char *path, int fd, uint64_t limit,
                char **out, size_t *len);

#endif
