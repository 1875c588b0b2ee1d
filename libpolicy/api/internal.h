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
#include "policy/policy.h"

struct policy_engine {
  uint64_t max_input;   /* POLICY_LIMIT_INPUT_BYTES */
  uint64_t max_line;    /* POLICY_LIMIT_LINE_BYTES */
  uint64_t max_model;   /* POLICY_LIMIT_MODEL_BYTES */
  uint64_t lua_memory;  /* POLICY_LIMIT_LUA_MEMORY_BYTES */
  uint64_t instructions;/* POLICY_LIMIT_INSTRUCTIONS */
  uint64_t findings;    /* POLICY_LIMIT_FINDINGS_PER_RULE */
  uint64_t log_bytes;   /* POLICY_LIMIT_LOG_BYTES */
  sandbox *sb;          /* made on first need; replaced after a budget trip */
  rule **rules;         /* in load order */
  size_t nrules;
  pol_arena data_arena; /* owns `data` */
  pm_value *data;       /* merged data documents (a map), or NULL */
  char **ignores;       /* --ignore: rule ids or refs */
  size_t nignores;
  pol_buf refbuf;       /* policy_engine_rule_ref's answer */
  pol_buf warnings;     /* notes for the user (expired config ignores) */
  int config_fail_on;   /* fail_on from the configuration, or 0 */
  int config_builtin;   /* builtin from the configuration: 1, 0, or -1 */
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

/* The engine's sandbox, made (and every rule compiled into it) when
** missing. Returns NULL with the engine's message set on failure. */
sandbox *api_sandbox(policy_engine *e);
/* Frees the sandbox; rules are compiled into the next one on demand. */
void api_drop_sandbox(policy_engine *e);

/* Decides the kind of an input from its name, then its first bytes. */
int api_detect_kind(const char *path, const char *data, size_t len);

/* Reads fd to its end, at most `limit` bytes (more is POLICY_ERR_LIMIT).
** *out is pol_malloc'd (NUL-terminated), freed by the caller. */
int api_read_fd(policy_engine *e, const char *path, int fd, uint64_t limit,
                char **out, size_t *len);

#endif
