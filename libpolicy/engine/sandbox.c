/*
** sandbox.c: the sandboxed Lua state (see sandbox.h): the allocator and
** its byte budget, the instruction budget, the protected entry points,
** and turning errors into statuses and text.
**
** Limits trip in one place (trip): the first cause is kept for the
** current entry, the state is marked for recycling, and inside a call the
** count hook is armed to fire on the very next instruction, where it
** raises; re-armed at count 1, it keeps raising until eng_sb_call returns, so
** nothing the script catches lets it go on. The allocator only records
** (it must not raise); the hook and the metered C functions raise.
**
** Entries: eng_sb_new, eng_sb_load, the protected pushes and eng_sb_call each wrap
** their work in a protected call (lua_load protects itself); that is why
** the panic handler is unreachable. An entry starts with no limit tripped
** and ends by settling a refusal Lua never retried.
*/
#include "sandbox_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <assert.h>

#include <lauxlib.h>

#include "../core/alloc.h"
#include "../core/cancel.h"

#define ERROR_TEXT_MAX 1024
#define CHUNKNAME_MAX 256

static char env_mt_key; /* registry: metatable of the per-run globals */

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- limits --------------------------------------------------------- */

static void count_hook(lua_State *L, lua_Debug *ar);

/* Records a tripped limit. Never raises: the allocator calls it. */
static void trip(eng_sandbox *sb, eng_sb_status cause) {
  if (sb->tripped == ENG_SB_OK) sb->tripped = cause;
  sb->recycle = true;
  if (sb->calls > 0) lua_sethook(sb->L, count_hook, LUA_MASKCOUNT, 1);
}

static const char *status_text(eng_sb_status s) {
  switch (s) {
  case ENG_SB_ERR_MEMORY: return "memory budget exceeded";
  case ENG_SB_ERR_INSTRUCTIONS: return "instruction budget exceeded";
  case ENG_SB_ERR_TIME: return "time limit exceeded";
  case ENG_SB_ERR_CANCELLED: return "cancelled";
  case ENG_SB_ERR_NOMEM: return "out of memory";
  default: return "the value could not be prepared";
  }
}

void eng_sb_raise_trip(lua_State *L, eng_sandbox *sb) {
  lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
  lua_pushstring(L, status_text(sb->tripped));
  lua_error(L);
}

/* What stops a call besides its budgets: the cancel flag, then the
** deadline; ENG_SB_OK when neither does. */
static eng_sb_status stop_cause(const eng_sandbox *sb) {
  if (pol_cancel_requested(sb->cancel)) return ENG_SB_ERR_CANCELLED;
  return sb->deadline_ns != 0 && now_ns() >= sb->deadline_ns ? ENG_SB_ERR_TIME : ENG_SB_OK;
}

/* Runs every ENG_SB_HOOK_STEP instructions, or every instruction once a
** limit tripped. */
static void count_hook(lua_State *L, lua_Debug *ar) {
  eng_sandbox *sb = eng_sb_of(L);
  if (ar->event == LUA_HOOKLINE) { /* only with coverage on */
    eng_cov_hit(sb->cov, L, ar);
    return;
  }
  if (sb->tripped == ENG_SB_OK) {
    sb->insn_left -= ENG_SB_HOOK_STEP;
    eng_sb_status late = stop_cause(sb);
    if (sb->insn_left > 0 && late == ENG_SB_OK) return;
    trip(sb, sb->insn_left > 0 ? late : ENG_SB_ERR_INSTRUCTIONS);
  }
  eng_sb_raise_trip(L, sb);
}

void eng_sb_raise_nomem(lua_State *L, eng_sandbox *sb) {
  trip(sb, ENG_SB_ERR_NOMEM);
  eng_sb_raise_trip(L, sb);
}

void eng_sb_charge(lua_State *L, int64_t units) {
  eng_sandbox *sb = eng_sb_of(L);
  if (sb->tripped == ENG_SB_OK) {
    /* Work done in C runs between two looks of the count hook: the clock
    ** is read here too, so a slow C loop cannot outrun the deadline. */
    bool look = ++sb->charges >= ENG_SB_CHARGES_PER_CLOCK || units >= ENG_SB_PATTERN_SLICE;
    if (look) sb->charges = 0;
    eng_sb_status late = look ? stop_cause(sb) : ENG_SB_OK;
    if (late != ENG_SB_OK) {
      trip(sb, late);
    } else if (units < sb->insn_left) {
      sb->insn_left -= units;
      return;
    } else {
      sb->insn_left = 0;
      trip(sb, ENG_SB_ERR_INSTRUCTIONS);
    }
  }
  eng_sb_raise_trip(L, sb);
}

/* The pattern matcher used up its slice: the next one comes from the
** call's budget after a look at the clock; none left raises. */
static void pattern_exhausted(lua_State *L, void *ud) {
  eng_sandbox *sb = ud;
  if (sb->tripped == ENG_SB_OK) {
    int64_t take = sb->insn_left < ENG_SB_PATTERN_SLICE ? sb->insn_left : ENG_SB_PATTERN_SLICE;
    eng_sb_status late = stop_cause(sb);
    if (late != ENG_SB_OK) {
      trip(sb, late);
    } else if (take > 0) {
      sb->insn_left -= take;
      sb->slice += take;
      return;
    } else {
      trip(sb, ENG_SB_ERR_INSTRUCTIONS);
    }
  }
  eng_sb_raise_trip(L, sb);
}

/* ---- allocator ------------------------------------------------------ */

/* A refusal still armed was final: Lua gave up without retrying. */
static void settle(eng_sandbox *sb) {
  if (!sb->refusal.armed) return;
  sb->refusal.armed = false;
  trip(sb, sb->refusal.cause);
}

static void *refuse(eng_sandbox *sb, bool retry, void *ptr, size_t osize,
                    size_t nsize, eng_sb_status cause) {
  if (retry) {
    trip(sb, cause); /* the emergency collection did not make room */
  } else {
    eng_sb_refusal r = {ptr, osize, nsize, cause, true};
    sb->refusal = r;
  }
  return NULL;
}

/* Growth inside a call costs instruction units: copying and collecting
** grow with the bytes allocated, and no VM instruction counts them. */
static void charge_growth(eng_sandbox *sb, size_t grow) {
  if (sb->calls == 0 || sb->tripped != ENG_SB_OK || sb->trusted) return;
  sb->insn_left -= (int64_t)(grow / ENG_SB_BYTES_PER_UNIT);
  if (sb->insn_left <= 0) trip(sb, ENG_SB_ERR_INSTRUCTIONS);
}

/* Invariant: growth never takes used past base + lim.memory_bytes (the
** budget of the current entry). Shrinks never fail. */
static void *sb_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  eng_sandbox *sb = ud;
  size_t old = ptr ? osize : 0; /* without ptr, osize is a type tag */
  if (nsize == 0) {
    eng_pool_realloc(&sb->pool, ptr, old, 0);
    sb->used -= old;
    return NULL;
  }
  if (nsize <= old) {
    void *p = eng_pool_realloc(&sb->pool, ptr, old, nsize);
    sb->used -= old - nsize;
    return p ? p : ptr; /* the old block is big enough */
  }
  eng_sb_refusal *r = &sb->refusal;
  bool retry = r->armed && r->ptr == ptr && r->osize == osize &&
               r->nsize == nsize;
  if (!retry) settle(sb);
  r->armed = false;
  size_t grow = nsize - old;
  size_t cap = sb->base + sb->lim.memory_bytes;
  if (sb->used > cap || grow > cap - sb->used)
    return refuse(sb, retry, ptr, osize, nsize, ENG_SB_ERR_MEMORY);
  void *p = eng_pool_realloc(&sb->pool, ptr, old, nsize);
  if (p == NULL) return refuse(sb, retry, ptr, osize, nsize, ENG_SB_ERR_NOMEM);
  sb->used += grow;
  if (sb->used > sb->peak) sb->peak = sb->used;
  charge_growth(sb, grow);
  return p;
}

static int panic(lua_State *L) {
  const char *msg = lua_type(L, -1) == LUA_TSTRING
                        ? lua_tostring(L, -1)
                        : lua_typename(L, lua_type(L, -1));
  fprintf(stderr, "libpolicy: Lua error outside a protected call "
                  "(a bug in libpolicy): %s\n", msg);
  abort();
}

/* ---- entries -------------------------------------------------------- */

/* An entry from the host (calls == 0) gets its own memory budget on
** top of what the state holds now: what earlier entries left alive (rules
** compiled, the document's views) never counts against the next one. */
static void begin_entry(eng_sandbox *sb) {
  settle(sb);
  sb->tripped = ENG_SB_OK;
  if (sb->calls == 0) sb->base = sb->used;
}

/* The status of an entry whose protected call returned rc. */
static int entry_status(eng_sandbox *sb, int rc) {
  settle(sb);
  if (sb->tripped != ENG_SB_OK) return sb->tripped;
  switch (rc) {
  case LUA_OK: return ENG_SB_OK;
  case LUA_ERRRUN: return ENG_SB_ERR_RUNTIME;
  case LUA_ERRSYNTAX: return ENG_SB_ERR_SYNTAX;
  case LUA_ERRMEM:
    sb->recycle = true;
    return ENG_SB_ERR_MEMORY;
  default: /* LUA_ERRERR: an error while handling an error */
    sb->recycle = true;
    return ENG_SB_ERR_RUNTIME;
  }
}

/* Describes the error value at idx without calling any metamethod. */
static void describe_error(lua_State *L, int idx, pol_buf *err) {
  switch (lua_type(L, idx)) {
  case LUA_TSTRING: {
    size_t n;
    const char *s = lua_tolstring(L, idx, &n);
    pol_buf_append(err, s, n < ERROR_TEXT_MAX ? n : ERROR_TEXT_MAX);
    break;
  }
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx))
      pol_buf_printf(err, "%lld", (long long)lua_tointeger(L, idx));
    else
      pol_buf_printf(err, "%.14g", (double)lua_tonumber(L, idx));
    break;
  default:
    pol_buf_printf(err, "(error object is a %s value)",
                lua_typename(L, lua_type(L, idx)));
  }
}

/* The text of a failed entry: the limit that tripped, else the error
** value on top of the stack. */
static void failure_text(eng_sandbox *sb, pol_buf *err) {
  if (sb->tripped != ENG_SB_OK)
    pol_buf_puts(err, status_text(sb->tripped));
  else
    describe_error(sb->L, -1, err);
}

static void start_budget(eng_sandbox *sb) {
  begin_entry(sb);
  uint64_t n = sb->lim.instructions;
  sb->insn_left = n > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)n;
  sb->deadline_ns = 0;
  if (sb->lim.time_ms) {
    uint64_t now = now_ns(), ms = sb->lim.time_ms;
    sb->deadline_ns =
        ms > (UINT64_MAX - now) / 1000000u ? UINT64_MAX : now + ms * 1000000u;
  }
  sb->rng = ENG_SB_RNG_SEED;
  sb->slice = 0;
  sb->charges = 0;
  int lines = sb->cov ? LUA_MASKLINE : 0; /* coverage.h: off unless asked */
  if (sb->trusted) {
    /* No hook at all: with any hook set Lua traces every instruction. */
    sb->insn_left = INT64_MAX;
    lua_sethook(sb->L, lines ? count_hook : NULL, lines, 0);
  } else {
    lua_sethook(sb->L, count_hook, LUA_MASKCOUNT | lines, ENG_SB_HOOK_STEP);
  }
}

/* After every top-level call: the libraries' cells as they were loaded. */
static void restore_libraries(eng_sandbox *sb) {
  if (sb->lib_snaps == LUA_NOREF || !lua_checkstack(sb->L, 6)) return;
  lua_rawgeti(sb->L, LUA_REGISTRYINDEX, sb->lib_snaps);
  eng_sb_restore(sb->L, -1);
  lua_pop(sb->L, 1);
}

int eng_sb_call(eng_sandbox *sb, int nargs, int nresults, pol_buf *err) {
  lua_State *L = sb->L;
  int base = lua_gettop(L) - nargs - 1;
  if (sb->calls == 0 && sb->pending != ENG_SB_OK) {
    int st = sb->pending;
    sb->pending = ENG_SB_OK;
    lua_settop(L, base);
    pol_buf_puts(err, status_text(st));
    return st;
  }
  if (sb->calls == 0) start_budget(sb);
  sb->calls++;
  int rc = lua_pcall(L, nargs, nresults, 0);
  sb->calls--;
  if (sb->calls == 0) restore_libraries(sb);
  int st = entry_status(sb, rc);
  if (st != ENG_SB_OK) {
    failure_text(sb, err);
    lua_settop(L, base);
  }
  return st;
}

/* A chunk name Lua prints as given: "@" and the name's last bytes. */
static const char *chunk_id(const char *name, char *buf, size_t size) {
  if (name[0] == '=' || name[0] == '@') return name;
  size_t n = strlen(name);
  if (n > size - 2) name += n - (size - 2);
  snprintf(buf, size, "@%s", name);
  return buf;
}

int eng_sb_load(eng_sandbox *sb, const char *chunkname, const char *src, size_t len,
            pol_buf *err) {
  char id[CHUNKNAME_MAX];
  if (sb->calls == 0) begin_entry(sb);
  int rc = luaL_loadbufferx(sb->L, src, len, chunk_id(chunkname, id, sizeof id),
                            "t");
  int st = entry_status(sb, rc);
  if (st != ENG_SB_OK) {
    failure_text(sb, err);
    lua_pop(sb->L, 1); /* the message, or a function loaded past a limit */
  }
  return st;
}

int eng_sb_load_code(eng_sandbox *sb, const char *chunkname, const eng_sb_code *code,
                     unsigned *writes, pol_buf *err) {
  if (code->bytes != NULL) {
    char id[CHUNKNAME_MAX];
    if (sb->calls == 0) begin_entry(sb);
    int rc = luaL_loadbufferx(sb->L, code->bytes, code->len, chunk_id(chunkname, id, sizeof id),
                              "b");
    int st = entry_status(sb, rc);
    if (st == ENG_SB_OK) {
      *writes = code->writes;
      return st;
    }
    /* Refused as binary by this Lua (another format): the text below.
    ** A limit or the host's memory ends the load as for text. */
    if (st != ENG_SB_ERR_SYNTAX) failure_text(sb, err);
    lua_pop(sb->L, 1); /* the message, or a function loaded past a limit */
    if (st != ENG_SB_ERR_SYNTAX) return st;
  }
  int st = eng_sb_load(sb, chunkname, code->src, code->src_len, err);
  if (st == ENG_SB_OK) *writes = eng_sb_chunk_writes(sb->L, -1);
  return st;
}

/* ---- pushes --------------------------------------------------------- */

static void push_env(lua_State *L) {
  lua_createtable(L, 0, 2);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &env_mt_key);
  lua_setmetatable(L, -2);
  lua_pushliteral(L, "_G");
  lua_pushvalue(L, -2);
  lua_rawset(L, -3);
}

static int push_env_protected(lua_State *L) {
  push_env(L);
  return 1;
}

static int push_node_protected(lua_State *L) {
  eng_sb_push_node(L, eng_sb_of(L), lua_touserdata(L, 1), lua_toboolean(L, 2));
  return 1;
}

/* A failure at host level, reported by the next eng_sb_call. */
static void defer(eng_sandbox *sb, int st) {
  if (sb->pending == ENG_SB_OK) sb->pending = st;
}

/* Room for n more values. Inside a call a failure raises there; at host
** level it is deferred and the answer is false. */
static bool reserve(eng_sandbox *sb, int n) {
  if (sb->calls > 0) {
    luaL_checkstack(sb->L, n, NULL);
    return true;
  }
  if (lua_checkstack(sb->L, n)) return true;
  defer(sb, entry_status(sb, LUA_ERRMEM));
  return false;
}

/* A push from host level, under lua_pcall. On failure it leaves nil in
** place of the value and defers the cause. */
static void push_protected(eng_sandbox *sb, lua_CFunction fn, const pm_value *v,
                           bool permanent) {
  lua_State *L = sb->L;
  begin_entry(sb);
  if (reserve(sb, 3)) {
    lua_pushcfunction(L, fn);
    lua_pushlightuserdata(L, (void *)v);
    lua_pushboolean(L, permanent);
    int st = entry_status(sb, lua_pcall(L, 2, 1, 0));
    if (st == ENG_SB_OK) return;
    lua_pop(L, 1);
    defer(sb, st);
  }
  lua_pushnil(L);
}

void eng_sb_push_env(eng_sandbox *sb) {
  if (sb->calls > 0)
    push_env(sb->L);
  else
    push_protected(sb, push_env_protected, NULL, false);
}

void eng_sb_push_value(eng_sandbox *sb, const pm_value *v, bool permanent) {
  if (sb->calls > 0)
    eng_sb_push_node(sb->L, sb, v, permanent);
  else
    push_protected(sb, push_node_protected, v, permanent);
}

void eng_sb_set_env(eng_sandbox *sb, int fn_index) {
  lua_State *L = sb->L;
  int fn = lua_absindex(L, fn_index);
  if (sb->calls == 0) begin_entry(sb);
  if (!reserve(sb, 1)) {
    lua_pop(L, 1); /* the call that would see the old env will fail */
    return;
  }
  const char *name;
  for (int i = 1; (name = lua_getupvalue(L, fn, i)) != NULL; i++) {
    lua_pop(L, 1);
    if (strcmp(name, "_ENV") == 0) {
      lua_setupvalue(L, fn, i);
      return;
    }
  }
  lua_pop(L, 1);
}

const pm_value *eng_sb_to_value(eng_sandbox *sb, int idx) {
  return eng_sb_view_node(sb->L, sb, idx);
}

void eng_sb_next_generation(eng_sandbox *sb) { sb->gen++; }

/* ---- log ------------------------------------------------------------ */

void eng_sb_log_append(eng_sandbox *sb, const char *s, size_t n) {
  size_t room = sb->lim.log_bytes - sb->log.len;
  if (n > room) n = room;
  if (n == 0) return;
  pol_buf_append(&sb->log, s, n);
  if (sb->log.oom) trip(sb, ENG_SB_ERR_NOMEM);
}

void eng_sb_take_log(eng_sandbox *sb, pol_buf *out) {
  if (sb->log.len == 0 && !sb->log.oom) return; /* most runs log nothing */
  pol_buf_append(out, sb->log.data, sb->log.len);
  pol_buf_clear(&sb->log);
}

/* (value, name as light userdata): base[name] = value. The name is made
** a Lua string here, where allocating is protected. */
static int add_global_protected(lua_State *L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &env_mt_key);
  lua_pushliteral(L, "__index");
  lua_rawget(L, -2);                 /* the base table */
  lua_pushstring(L, lua_touserdata(L, 2));
  lua_pushvalue(L, 1);
  lua_rawset(L, -3);
  return 0;
}

void eng_sb_push_base(lua_State *L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &env_mt_key);
  lua_pushliteral(L, "__index");
  lua_rawget(L, -2);
  lua_remove(L, -2);
}

int eng_sb_add_global(eng_sandbox *sb, const char *name, pol_buf *err) {
  lua_State *L = sb->L;
  lua_pushcfunction(L, add_global_protected);
  lua_insert(L, -2);                 /* function, value */
  lua_pushlightuserdata(L, (void *)name);
  return eng_sb_call(sb, 2, 0, err);
}

void eng_sb_keep_cells(lua_State *L, int cells) {
  eng_sandbox *sb = eng_sb_of(L);
  cells = lua_absindex(L, cells);
  luaL_checkstack(L, 2, NULL);
  if (sb->lib_snaps == LUA_NOREF) {
    lua_newtable(L);
    sb->lib_snaps = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, sb->lib_snaps);
  lua_Integer have = (lua_Integer)lua_rawlen(L, -1);
  lua_Integer add = (lua_Integer)lua_rawlen(L, cells);
  for (lua_Integer i = 1; i <= add; i++) {
    lua_rawgeti(L, cells, i);
    lua_rawseti(L, -2, have + i);
  }
  lua_pop(L, 1);
}

/* (module table, name, writes): freezes the module, keeps its cells for
** restoring when its functions write them, and publishes it. */
static int add_library_protected(lua_State *L) {
  if (lua_type(L, 1) != LUA_TTABLE)
    return luaL_error(L, "a helper library must return a table");
  lua_newtable(L);                   /* 4: seen */
  lua_newtable(L);                   /* 5: this library's cells */
  eng_sb_freeze(L, 1, 4, 5);
  if (lua_tointeger(L, 3) & ENG_SB_WRITES_UPVALUES) eng_sb_keep_cells(L, 5);
  lua_pushcfunction(L, add_global_protected);
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 2);
  lua_call(L, 2, 0);                 /* add_global_protected(module, name) */
  return 0;
}

int eng_sb_add_library(eng_sandbox *sb, const char *name, const char *chunkname,
                   const eng_sb_code *code, pol_buf *err) {
  lua_State *L = sb->L;
  int top = lua_gettop(L);
  unsigned writes;
  int st = eng_sb_load_code(sb, chunkname, code, &writes, err);
  if (st != ENG_SB_OK) return st;
  if ((st = eng_sb_call(sb, 0, 1, err)) != ENG_SB_OK) return st;
  if (!lua_checkstack(L, 4)) {
    lua_settop(L, top);
    pol_buf_puts(err, "out of memory");
    return ENG_SB_ERR_NOMEM;
  }
  lua_pushcfunction(L, add_library_protected);
  lua_insert(L, -2);
  lua_pushlightuserdata(L, (void *)name);
  lua_pushinteger(L, (lua_Integer)writes);
  return eng_sb_call(sb, 3, 0, err);
}

void eng_sb_set_coverage(eng_sandbox *sb, eng_cov *cov) { sb->cov = cov; }

void eng_sb_set_context(eng_sandbox *sb, void *context) { sb->context = context; }

void *eng_sb_context(lua_State *L) { return eng_sb_of(L)->context; }

/* ---- life cycle ----------------------------------------------------- */

/* Runs once, protected, on the new state. */
static int build_state(lua_State *L) {
  eng_sb_open_libs(L, eng_sb_of(L)); /* the base table */
  lua_createtable(L, 0, 2);
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, "__index");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &env_mt_key);
  /* Chunks see the read-only base until eng_sb_set_env gives them more. */
  eng_sb_push_readonly(L, -1);
  lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  eng_sb_open_views(L);
  return 0;
}

int eng_sb_new(eng_sandbox **out, const eng_sb_limits *limits) {
  *out = NULL;
  eng_sandbox *sb = pol_calloc(1, sizeof *sb);
  if (sb == NULL) return ENG_SB_ERR_NOMEM;
  sb->lim = *limits;
  sb->gen = 1;
  sb->lib_snaps = LUA_NOREF;
  sb->meter.budget = &sb->slice;
  sb->meter.get_element = eng_sb_get_element;
  sb->meter.exhausted = pattern_exhausted;
  sb->meter.ud = sb;
  sb->L = lua_newstate(sb_alloc, sb);
  if (sb->L == NULL) {
    settle(sb);
    int st = sb->tripped == ENG_SB_ERR_MEMORY ? ENG_SB_ERR_MEMORY : ENG_SB_ERR_NOMEM;
    eng_pool_free_all(&sb->pool);
    pol_free(sb);
    return st;
  }
  lua_atpanic(sb->L, panic);
  /* A state checks document after document, and each leaves its views
  ** as garbage, young: the generational collector frees them in minor
  ** cycles that do not walk the rules (old). Over the corpus Dockerfiles
  ** 2.4% fewer instructions than the incremental collector at pause 150,
  ** for 0.3 MB more peak RSS with two engines over the corpus copied 16
  ** times (pause 150 itself was 1.9 MB less than Lua's default 200). */
  lua_gc(sb->L, LUA_GCGEN, 0, 0);
  /* Before anything runs: every instruction is counted from now on. */
  lua_sethook(sb->L, count_hook, LUA_MASKCOUNT, ENG_SB_HOOK_STEP);
  begin_entry(sb);
  lua_pushcfunction(sb->L, build_state);
  int st = entry_status(sb, lua_pcall(sb->L, 0, 0, 0));
  if (st != ENG_SB_OK) {
    eng_sb_free(sb);
    return st == ENG_SB_ERR_MEMORY ? ENG_SB_ERR_MEMORY : ENG_SB_ERR_NOMEM;
  }
  *out = sb;
  return ENG_SB_OK;
}

void eng_sb_free(eng_sandbox *sb) {
  if (sb == NULL) return;
  lua_close(sb->L);
  eng_sb_free_open_index(sb);
  eng_pool_free_all(&sb->pool);
  pol_buf_free(&sb->log);
  pol_free(sb);
}

lua_State *eng_sb_state(eng_sandbox *sb) { return sb->L; }

bool eng_sb_needs_recycle(const eng_sandbox *sb) { return sb->recycle; }

uint64_t eng_sb_units_used(const eng_sandbox *sb) {
  if (sb->trusted) return 0;
  uint64_t budget = sb->lim.instructions > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX
                                                                : sb->lim.instructions;
  int64_t left = sb->insn_left + (sb->slice > 0 ? sb->slice : 0);
  return left < 0 ? budget : budget - (uint64_t)left;
}

void eng_sb_set_trusted(eng_sandbox *sb, bool trusted) {
  assert(sb->calls == 0);
  sb->trusted = trusted;
}

void eng_sb_set_freeze_trusted(eng_sandbox *sb, bool on) { sb->freeze_trusted = on; }

bool eng_sb_freeze_trusted(const eng_sandbox *sb) { return sb->freeze_trusted; }

void eng_sb_set_cancel(eng_sandbox *sb, const volatile int *flag) { sb->cancel = flag; }

void eng_sb_hold_collector(eng_sandbox *sb, bool hold) {
  lua_gc(sb->L, hold ? LUA_GCSTOP : LUA_GCRESTART);
}

size_t eng_sb_memory_used(const eng_sandbox *sb) { return sb->used; }

size_t eng_sb_memory_peak(const eng_sandbox *sb) { return sb->peak; }
