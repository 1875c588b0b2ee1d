/*
** shellcheck_lua.c: the global `shellcheck`, for trusted rules only (the
** built-in packs; a rule from a file gets an error: it has no host access):
**
**   shellcheck(node, script, shell)
**     runs the shellcheck program (shellcheck.h) over `script` as `shell`
**     (sh, bash, dash or ksh), excluding SC1090, SC1091 and SC2187 (a
**     sourced file cannot be followed, a shell it cannot name), and
**     returns its findings as a list of
**       {line, column, end_line, end_column (in the script, from 1),
**        code = "SC2086", level = "error"|"warning"|"info"|"style", message}
**     or nil when it could not run. Then the report gets a warning
**     (eng_eval_warn): one without a file, once per process, when the
**     program is not installed; else one at `node` saying what went
**     wrong (timeout, crash, garbage).
**
** Each run is bounded by the engine's tool limit (eng_eval_tool_ms), what
** is left of the rule's deadline, and an output cap. The rule blocks
** while the program runs.
*/
#include <lauxlib.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../core/alloc.h"
#include "../model/load.h"
#include "eval.h"
#include "sandbox_int.h"
#include "shellcheck.h"

#define SC_PROGRAM "shellcheck"
#define SC_EXCLUDE "1090,1091,2187"
#define SC_MAX_SCRIPT (1u << 20)   /* bytes of one script */
#define SC_MAX_OUTPUT (4u << 20)   /* bytes of its output */

/* The missing program is noted once per process: a run of many files on
** many engines and threads says it once. Later calls still try to start
** it, so a program installed meanwhile is used. */
static atomic_flag absent_noted = ATOMIC_FLAG_INIT;

static const char *const shells[] = {"sh", "bash", "dash", "ksh", NULL};
static const char *const levels[] = {"error", "warning", "info", "style", NULL};

static bool one_of(const char *s, const char *const *list) {
  for (size_t i = 0; list[i]; i++)
    if (strcmp(s, list[i]) == 0) return true;
  return false;
}

/* An integer member at least 1, or 0. */
static uint32_t member_pos(const pm_value *o, const char *key) {
  const pm_value *v = pm_get(o, key);
  return v && v->type == PM_INT && v->u.i >= 1 && v->u.i <= UINT32_MAX / 2 ? (uint32_t)v->u.i : 0;
}

/* The comments of json1 output when every one has the shape documented
** (positions from 1, a code, a known level, a message), else NULL. */
static const pm_value *comments_of(const pm_value *root) {
  const pm_value *list = pm_get(root, "comments");
  if (list == NULL || list->type != PM_ARR) return NULL;
  for (size_t i = 0; i < list->u.arr.len; i++) {
    const pm_value *c = list->u.arr.items[i], *code = pm_get(c, "code"),
                   *level = pm_get(c, "level"), *msg = pm_get(c, "message");
    if (!member_pos(c, "line") || !member_pos(c, "column") || !member_pos(c, "endLine") ||
        !member_pos(c, "endColumn") || !code || code->type != PM_INT || code->u.i < 0 ||
        code->u.i > 9999 || !level || level->type != PM_STR || !one_of(level->u.str.s, levels) ||
        !msg || msg->type != PM_STR)
      return NULL;
  }
  return list;
}

static void set_int(lua_State *L, const char *key, uint32_t v) {
  lua_pushinteger(L, (lua_Integer)v);
  lua_setfield(L, -2, key);
}

/* Protected: pushes the Lua list of the comments (light userdata at 1). */
static int push_comments(lua_State *L) {
  const pm_value *list = lua_touserdata(L, 1);
  lua_createtable(L, (int)list->u.arr.len, 0);
  for (size_t i = 0; i < list->u.arr.len; i++) {
    const pm_value *c = list->u.arr.items[i];
    lua_createtable(L, 0, 7);
    set_int(L, "line", member_pos(c, "line"));
    set_int(L, "column", member_pos(c, "column"));
    set_int(L, "end_line", member_pos(c, "endLine"));
    set_int(L, "end_column", member_pos(c, "endColumn"));
    char code[16];
    snprintf(code, sizeof code, "SC%04d", (int)pm_get(c, "code")->u.i);
    lua_pushstring(L, code);
    lua_setfield(L, -2, "code");
    lua_pushstring(L, pm_get(c, "level")->u.str.s);
    lua_setfield(L, -2, "level");
    const pm_value *m = pm_get(c, "message");
    lua_pushlstring(L, m->u.str.s, m->u.str.len);
    lua_setfield(L, -2, "message");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static int fail_soft(lua_State *L, const pm_value *node, const char *what, const char *why) {
  char msg[600];
  snprintf(msg, sizeof msg, "%s: %s", what, why);
  eng_eval_warn(L, node, msg);
  lua_pushnil(L);
  return 1;
}

static int l_shellcheck(lua_State *L) {
  const eng_rule *r = eng_eval_running_rule(L);
  if (r == NULL || !r->trusted)
    return luaL_error(L, "shellcheck() is for the built-in packs only (it runs a program on the host)");
  size_t len;
  const char *script = luaL_checklstring(L, 2, &len);
  const char *shell = luaL_checkstring(L, 3);
  if (!one_of(shell, shells))
    return luaL_error(L, "shellcheck: the shell must be sh, bash, dash or ksh; not '%s'", shell);
  lua_settop(L, 3);
  const pm_value *node = eng_eval_node_at(L, 1);
  if (node == NULL) return luaL_error(L, "shellcheck: the first argument must be a node of the model");
  if (len > SC_MAX_SCRIPT)
    return fail_soft(L, node, "shellcheck did not check this script",
                     "it is longer than 1 MiB");
  /* Within the rule's own deadline too (POLICY_LIMIT_TIME_MS): the time
  ** spent here is the rule's. Past it, nothing runs and the rule ends
  ** with the time limit's error (a charge that looks at the clock). */
  uint64_t timeout = eng_eval_tool_ms(L);
  const eng_sandbox *sb = eng_sb_of(L);
  if (sb->deadline_ns) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    if (now >= sb->deadline_ns) {
      eng_sb_charge(L, ENG_SB_PATTERN_SLICE); /* raises: the deadline passed */
      lua_pushnil(L);
      return 1;
    }
    uint64_t left = (sb->deadline_ns - now) / 1000000u + 1;
    if (left < timeout) timeout = left;
  }
  eng_sc_job job = {SC_PROGRAM, shell, SC_EXCLUDE, script, len, timeout, SC_MAX_OUTPUT};
  pol_buf out = POL_BUF_INIT;
  char why[400] = "";
  int st = eng_sc_run(&job, &out, why, sizeof why);
  if (st == ENG_SC_NOMEM) {
    pol_buf_free(&out);
    return luaL_error(L, "not enough memory");
  }
  if (st == ENG_SC_ABSENT) {
    pol_buf_free(&out);
    if (!atomic_flag_test_and_set(&absent_noted))
      eng_eval_warn(L, NULL, "the shellcheck program is not installed (not found on PATH): the "
                  "ShellCheck findings (SCxxxx) of RUN instructions were not checked");
    lua_pushnil(L);
    return 1;
  }
  if (st != ENG_SC_OK) {
    pol_buf_free(&out);
    return fail_soft(L, node, "shellcheck could not check this script", why);
  }
  pol_arena a = POL_ARENA_INIT;
  pol_buf err = POL_BUF_INIT;
  pm_value *root = NULL;
  pm_load_limits lim = {64, 1000000};
  int lr = pm_load_json(&a, out.data ? out.data : "", out.len, &lim, &root, &err);
  const pm_value *list = lr == PM_LOAD_OK ? comments_of(root) : NULL;
  int rc = LUA_OK;
  if (list) {
    lua_pushcfunction(L, push_comments);
    lua_pushlightuserdata(L, (void *)list);
    rc = lua_pcall(L, 1, 1, 0);
  }
  pol_arena_free(&a);
  pol_buf_free(&err);
  pol_buf_free(&out);
  if (rc != LUA_OK) return lua_error(L); /* after the host's memory is back */
  if (lr == PM_LOAD_NOMEM) return luaL_error(L, "not enough memory");
  if (list == NULL)
    return fail_soft(L, node, "shellcheck could not check this script",
                     "its output is not the json1 format it was asked for");
  return 1;
}

void eng_sc_open(lua_State *L) { lua_pushcfunction(L, l_shellcheck); }
