/*
** engine.c: engine lifetime, settings, status text and versions.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../core/alloc.h"
#include "../engine/worker.h"
#include "internal.h"
#include "policy/version.h"

#define DEFAULT_MAX_INPUT ((uint64_t)128 << 20)
#define DEFAULT_MAX_LINE 65535u
#define DEFAULT_MAX_MODEL ((uint64_t)1 << 30)
#define DEFAULT_LUA_MEMORY ((uint64_t)64 << 20)
#define DEFAULT_INSTRUCTIONS 10000000u
#define DEFAULT_FINDINGS 1000u
#define DEFAULT_LOG_BYTES (64u << 10)
#define DEFAULT_TIME_MS 10000u
#define DEFAULT_TOOL_MS 2000u

const char *policy_strerror(int status) {
  switch (status) {
  case POLICY_OK: return "success";
  case POLICY_ERR_NOMEM: return "out of memory";
  case POLICY_ERR_INVALID: return "invalid argument";
  case POLICY_ERR_IO: return "input could not be read";
  case POLICY_ERR_LIMIT: return "input exceeds a limit";
  case POLICY_ERR_UNSUPPORTED: return "unsupported input kind";
  case POLICY_ERR_PARSE: return "input could not be parsed";
  case POLICY_ERR_CANCELLED: return "the check was cancelled";
  default: return "unknown status";
  }
}

uint32_t policy_version_number(void) { return POLICY_VERSION_NUMBER; }
const char *policy_version_string(void) { return POLICY_VERSION_STRING; }
int policy_abi_version(void) { return 1; }
void policy_free(void *p) { pol_free(p); }

int api_fail(policy_engine *e, int status, const char *fmt, ...) {
  if (e == NULL) return status;
  pol_buf_clear(&e->errmsg);
  va_list ap;
  va_start(ap, fmt);
  char tmp[512];
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  pol_buf_puts(&e->errmsg, tmp);
  return status;
}

int api_ok(policy_engine *e) {
  if (e) pol_buf_clear(&e->errmsg);
  return POLICY_OK;
}

int policy_engine_new(policy_engine **out) {
  if (out == NULL) return POLICY_ERR_INVALID;
  policy_engine *e = pol_calloc(1, sizeof *e);
  if (e == NULL) return POLICY_ERR_NOMEM;
  e->max_input = DEFAULT_MAX_INPUT;
  e->max_line = DEFAULT_MAX_LINE;
  e->max_model = DEFAULT_MAX_MODEL;
  e->lua_memory = DEFAULT_LUA_MEMORY;
  e->instructions = DEFAULT_INSTRUCTIONS;
  e->findings = DEFAULT_FINDINGS;
  e->log_bytes = DEFAULT_LOG_BYTES;
  e->time_ms = DEFAULT_TIME_MS;
  e->tool_ms = DEFAULT_TOOL_MS;
  e->config_builtin = -1;
  e->isolation = eng_worker_supported() ? POLICY_ISOLATE_UNTRUSTED : POLICY_ISOLATE_NONE;
  *out = e;
  return POLICY_OK;
}

void policy_engine_free(policy_engine *e) {
  if (e == NULL) return;
  for (size_t i = 0; i < e->nbuild_args; i++) pol_free(e->build_args[i]);
  pol_free(e->build_args);
  pol_free(e->target);
  pol_free(e->env_file);
  for (size_t i = 0; i < e->nrules; i++) {
    eng_rule_free(e->rules[i]);
    rep_rule_release(e->metas[i]);
  }
  pol_free(e->rules);
  pol_free(e->metas);
  for (size_t i = 0; i < e->nignores; i++) pol_free(e->ignores[i]);
  pol_free(e->ignores);
  eng_sb_free(e->sb);
  pol_arena_free(&e->data_arena);
  pol_arena_free(&e->exceptions_arena);
  pol_buf_free(&e->refbuf);
  pol_buf_free(&e->warnings);
  api_packs_free(e);
  api_codes_free(e);
  pol_buf_free(&e->errmsg);
  pol_free(e);
}

const char *policy_engine_errmsg(const policy_engine *e) {
  if (e == NULL) return "no engine";
  return e->errmsg.data && !e->errmsg.oom ? e->errmsg.data : "";
}

static uint64_t *limit_slot(policy_engine *e, int limit) {
  switch (limit) {
  case POLICY_LIMIT_INPUT_BYTES: return &e->max_input;
  case POLICY_LIMIT_LINE_BYTES: return &e->max_line;
  case POLICY_LIMIT_MODEL_BYTES: return &e->max_model;
  case POLICY_LIMIT_LUA_MEMORY_BYTES: return &e->lua_memory;
  case POLICY_LIMIT_INSTRUCTIONS: return &e->instructions;
  case POLICY_LIMIT_FINDINGS_PER_RULE: return &e->findings;
  case POLICY_LIMIT_LOG_BYTES: return &e->log_bytes;
  case POLICY_LIMIT_TIME_MS: return &e->time_ms;
  case POLICY_LIMIT_TOOL_MS: return &e->tool_ms;
  default: return NULL;
  }
}

int policy_engine_set_limit(policy_engine *e, int limit, uint64_t value) {
  if (e == NULL) return POLICY_ERR_INVALID;
  uint64_t *slot = limit_slot(e, limit);
  if (slot == NULL) return api_fail(e, POLICY_ERR_INVALID, "unknown limit %d", limit);
  if (value == 0 || value > SIZE_MAX)
    return api_fail(e, POLICY_ERR_INVALID, "limit %d must be between 1 and %zu",
                    limit, (size_t)SIZE_MAX);
  *slot = value;
  if (limit == POLICY_LIMIT_LUA_MEMORY_BYTES || limit == POLICY_LIMIT_INSTRUCTIONS ||
      limit == POLICY_LIMIT_LOG_BYTES || limit == POLICY_LIMIT_TIME_MS)
    api_drop_sandbox(e); /* the next run makes one with the new limits */
  return api_ok(e);
}

int policy_engine_set_isolation(policy_engine *e, int mode) {
  if (e == NULL) return POLICY_ERR_INVALID;
  if (mode < POLICY_ISOLATE_NONE || mode > POLICY_ISOLATE_ALL)
    return api_fail(e, POLICY_ERR_INVALID, "unknown isolation mode %d", mode);
  if (mode != POLICY_ISOLATE_NONE && !eng_worker_supported())
    return api_fail(e, POLICY_ERR_UNSUPPORTED, "worker processes are not available in this "
                    "build (they need Linux and libseccomp)");
  e->isolation = mode;
  return api_ok(e);
}

int policy_engine_isolation(const policy_engine *e) {
  return e ? e->isolation : -1;
}

int policy_engine_get_limit(uint64_t *out, const policy_engine *e, int limit) {
  if (out == NULL || e == NULL) return POLICY_ERR_INVALID;
  uint64_t *slot = limit_slot((policy_engine *)e, limit);
  if (slot == NULL) return POLICY_ERR_INVALID;
  *out = *slot;
  return POLICY_OK;
}

int policy_engine_set_build_arg(policy_engine *e, const char *name,
                                const char *value) {
  if (e == NULL || name == NULL || *name == '\0' || strchr(name, '='))
    return api_fail(e, POLICY_ERR_INVALID, "a build argument needs a name without '='");
  size_t nl = strlen(name);
  for (size_t i = 0; i < e->nbuild_args; i++) {
    if (strncmp(e->build_args[i], name, nl) == 0 && e->build_args[i][nl] == '=') {
      pol_free(e->build_args[i]);
      e->build_args[i] = e->build_args[--e->nbuild_args];
      break;
    }
  }
  if (value == NULL) return api_ok(e);
  size_t vl = strlen(value);
  char *kv = pol_malloc(nl + vl + 2);
  char **list = kv ? pol_realloc(e->build_args, (e->nbuild_args + 1) * sizeof *list) : NULL;
  if (list == NULL) {
    pol_free(kv);
    return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  }
  memcpy(kv, name, nl);
  kv[nl] = '=';
  memcpy(kv + nl + 1, value, vl + 1);
  e->build_args = list;
  e->build_args[e->nbuild_args++] = kv;
  return api_ok(e);
}

int policy_engine_set_target(policy_engine *e, const char *stage) {
  if (e == NULL) return POLICY_ERR_INVALID;
  char *copy = NULL;
  if (stage && (copy = pol_strndup(stage, strlen(stage))) == NULL)
    return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  pol_free(e->target);
  e->target = copy;
  return api_ok(e);
}
