/*
** test_sandbox.c: the Lua sandbox (engine/sandbox.h), one test per escape
** class. Each asserts containment (the status, a bounded time through
** .timeout, the process surviving) and then that a well-behaved chunk
** still runs: in the same state when it was not marked for recycling,
** else in a fresh one.
*/
#include <criterion/criterion.h>
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "engine/pool.h"
#include "engine/sandbox.h"
#include "model/value.h"

#define MIB ((size_t)1 << 20)

/* Every test is bounded in time. One value for all: Criterion 2.4.1's
** runner leaks a timeout request when parallel tests use different ones. */
TestSuite(cpu, .timeout = 30);
TestSuite(memory, .timeout = 30);
TestSuite(load, .timeout = 30);
TestSuite(reach, .timeout = 30);
TestSuite(views, .timeout = 30);
TestSuite(pool, .timeout = 30);

static const eng_sb_limits default_limits = {64 * MIB, 10000000, 64 * 1024, 0};

static eng_sandbox *make(eng_sb_limits lim) {
  eng_sandbox *sb = NULL;
  cr_assert_eq(eng_sb_new(&sb, &lim), ENG_SB_OK);
  return sb;
}

/* Loads src, gives it a fresh env, calls it with `nargs` values already
** pushed; leaves `nres` results on success. */
static int call_chunk(eng_sandbox *sb, const char *src, int nargs, int nres,
                      pol_buf *err) {
  lua_State *L = eng_sb_state(sb);
  int st = eng_sb_load(sb, "=test", src, strlen(src), err);
  if (st != ENG_SB_OK) {
    lua_pop(L, nargs);
    return st;
  }
  lua_insert(L, -1 - nargs);
  eng_sb_push_env(sb);
  eng_sb_set_env(sb, -2 - nargs);
  return eng_sb_call(sb, nargs, nres, err);
}

static int run(eng_sandbox *sb, const char *src) {
  pol_buf err = POL_BUF_INIT;
  int top = lua_gettop(eng_sb_state(sb));
  int st = call_chunk(sb, src, 0, 0, &err);
  cr_assert_eq(lua_gettop(eng_sb_state(sb)), top, "stack left unbalanced");
  pol_buf_free(&err);
  return st;
}

/* Runs src and returns its status; *msg gets the error text. */
static int run_msg(eng_sandbox *sb, const char *src, pol_buf *msg) {
  int top = lua_gettop(eng_sb_state(sb));
  int st = call_chunk(sb, src, 0, 0, msg);
  cr_assert_eq(lua_gettop(eng_sb_state(sb)), top, "stack left unbalanced");
  return st;
}

/* Runs src, which must succeed and return a string; compares it. */
static void expect_string(eng_sandbox *sb, const char *src, const char *want) {
  pol_buf err = POL_BUF_INIT;
  lua_State *L = eng_sb_state(sb);
  int st = call_chunk(sb, src, 0, 1, &err);
  cr_assert_eq(st, ENG_SB_OK, "%s -> %d: %s", src, st, err.data ? err.data : "");
  cr_assert_eq(lua_type(L, -1), LUA_TSTRING, "%s returned a %s", src,
               luaL_typename(L, -1));
  cr_assert_str_eq(lua_tostring(L, -1), want, "%s", src);
  lua_pop(L, 1);
  pol_buf_free(&err);
}

static void expect_true(eng_sandbox *sb, const char *src) {
  pol_buf err = POL_BUF_INIT;
  lua_State *L = eng_sb_state(sb);
  int st = call_chunk(sb, src, 0, 1, &err);
  cr_assert_eq(st, ENG_SB_OK, "%s -> %d: %s", src, st, err.data ? err.data : "");
  cr_assert(lua_toboolean(L, -1), "%s is not true", src);
  lua_pop(L, 1);
  pol_buf_free(&err);
}

static void expect_status(eng_sandbox *sb, const char *src, int want,
                          const char *text) {
  pol_buf err = POL_BUF_INIT;
  int st = run_msg(sb, src, &err);
  cr_assert_eq(st, want, "%s -> %d (%s), want %d", src, st,
               err.data ? err.data : "", want);
  if (text) cr_assert(err.data && strstr(err.data, text), "%s: '%s' lacks '%s'",
                      src, err.data ? err.data : "", text);
  pol_buf_free(&err);
}

/* A well-behaved chunk runs, in the same state unless it must be recycled.
** Returns the state to keep using. */
static eng_sandbox *still_works(eng_sandbox *sb, eng_sb_limits lim) {
  if (eng_sb_needs_recycle(sb)) {
    eng_sb_free(sb);
    sb = make(lim);
  }
  expect_string(sb, "local t = {} for i = 1, 10 do t[#t + 1] = i end "
                    "return ('ok'):upper() .. #t .. string.format('%d', 7)",
                "OK107");
  return sb;
}

/* Runs src in a fresh sandbox, expects `want` and a state marked (or
** not) for recycling, then checks recovery. */
static void contained(eng_sb_limits lim, const char *src, int want,
                      const char *text) {
  eng_sandbox *sb = make(lim);
  /* Each call's budget comes on top of what the state holds when it
  ** starts: the libraries, and the chunk and globals table just made. */
  size_t held = eng_sb_memory_used(sb) + 256 * 1024;
  expect_status(sb, src, want, text);
  bool limit = want != ENG_SB_OK && want != ENG_SB_ERR_RUNTIME;
  if (limit) cr_assert(eng_sb_needs_recycle(sb), "%s: not marked for recycling", src);
  cr_assert_leq(eng_sb_memory_peak(sb), held + lim.memory_bytes);
  eng_sb_free(still_works(sb, lim));
}

/* ---- CPU ------------------------------------------------------------ */

Test(cpu, infinite_loop) {
  contained(default_limits, "while true do end", ENG_SB_ERR_INSTRUCTIONS,
            "instruction budget exceeded");
}

Test(cpu, pcall_loop) {
  contained(default_limits,
            "while true do pcall(function() while true do end end) end",
            ENG_SB_ERR_INSTRUCTIONS, NULL);
}

Test(cpu, errors_in_pcall_after_the_trip) {
  contained(default_limits,
            "pcall(function() while true do end end) "
            "while true do pcall(error, 'x') end",
            ENG_SB_ERR_INSTRUCTIONS, NULL);
  /* Catching the budget error and returning normally is still a trip. */
  contained(default_limits,
            "local ok = pcall(function() while true do end end) return ok",
            ENG_SB_ERR_INSTRUCTIONS, NULL);
}

Test(cpu, coroutines_are_absent) {
  contained(default_limits,
            "while true do coroutine.resume(coroutine.create(function() "
            "while true do end end)) end",
            ENG_SB_ERR_RUNTIME, "global 'coroutine'");
  contained(default_limits,
            "while true do pcall(coroutine.wrap(function() while true do end "
            "end)) end",
            ENG_SB_ERR_RUNTIME, "global 'coroutine'");
}

Test(cpu, xpcall_with_spinning_handler) {
  const char *spin = "local function spin() while true do end end ";
  char src[256];
  snprintf(src, sizeof src, "%s xpcall(spin, spin)", spin);
  contained(default_limits, src, ENG_SB_ERR_INSTRUCTIONS, NULL);
  snprintf(src, sizeof src, "%s xpcall(error, spin, 'x')", spin);
  contained(default_limits, src, ENG_SB_ERR_INSTRUCTIONS, NULL);
  snprintf(src, sizeof src, "%s while true do xpcall(spin, spin) end", spin);
  contained(default_limits, src, ENG_SB_ERR_INSTRUCTIONS, NULL);
}

Test(cpu, xpcall_keeps_its_meaning) {
  eng_sandbox *sb = make(default_limits);
  expect_true(sb, "local ok, a, b = xpcall(function(x, y) return x + y, x * y "
                  "end, print, 2, 3) return ok and a == 5 and b == 6");
  expect_string(sb, "local ok, m = xpcall(error, function(e) return 'handled: ' "
                    ".. e end, 'boom', 0) return tostring(ok) .. ' ' .. m",
                "false handled: boom");
  expect_string(sb, "local ok, m = xpcall(error, function(e) error('again', 0) "
                    "end, 'boom', 0) return m",
                "again");
  eng_sb_free(sb);
}

Test(cpu, close_handler_spin) {
  contained(default_limits,
            "while true do pcall(function() "
            "local x <close> = setmetatable({}, {__close = function() "
            "while true do end end}) error('x') end) end",
            ENG_SB_ERR_INSTRUCTIONS, NULL);
}

Test(cpu, gc_metamethods_refused) {
  contained(default_limits,
            "setmetatable({}, {__gc = function() while true do end end})",
            ENG_SB_ERR_RUNTIME, "__gc metamethods are not allowed");
  /* Any value marks an object for finalization; false is refused too. */
  contained(default_limits, "setmetatable({}, {__gc = false})", ENG_SB_ERR_RUNTIME,
            "__gc");
  /* A __gc added afterwards never runs (the object was not marked). */
  contained(default_limits,
            "local mt = {} local t = setmetatable({}, mt) "
            "mt.__gc = function() while true do end end t = nil "
            "for i = 1, 200000 do local g = {i} end",
            ENG_SB_OK, NULL);
}

Test(cpu, error_object_metamethods_never_run) {
  contained(default_limits,
            "local spin = function() while true do end end "
            "error(setmetatable({}, {__tostring = spin, __index = spin, "
            "__name = 'x', __concat = spin}))",
            ENG_SB_ERR_RUNTIME, "(error object is a table value)");
  contained(default_limits, "error(42)", ENG_SB_ERR_RUNTIME, "42");
  contained(default_limits, "error()", ENG_SB_ERR_RUNTIME,
            "(error object is a nil value)");
}

Test(cpu, pattern_matching_bombs) {
  contained(default_limits,
            "return string.find(string.rep('a', 5000), "
            "string.rep('a*', 30) .. 'b')",
            ENG_SB_ERR_INSTRUCTIONS, NULL);
  /* Methods on strings use the same metered functions. */
  contained(default_limits,
            "local s = ('a'):rep(5000) "
            "while true do pcall(s.match, s, ('a*'):rep(30) .. 'b') end",
            ENG_SB_ERR_INSTRUCTIONS, NULL);
  contained(default_limits,
            "local s = ('a'):rep(400) return s:gsub(('a*'):rep(4) .. 'b', '')",
            ENG_SB_ERR_INSTRUCTIONS, NULL);
}

/* The stock table functions loop in C over a length the script controls
** (a __len, a border of a sparse table, explicit bounds); the hook never
** sees those loops. */
Test(cpu, table_function_loops) {
  const char *huge = "local t = setmetatable({}, {__len = function() "
                     "return 1 << 50 end}) ";
  char src[256];
  snprintf(src, sizeof src, "%s table.insert(t, 1, 0)", huge);
  contained(default_limits, src, ENG_SB_ERR_INSTRUCTIONS, NULL);
  snprintf(src, sizeof src, "%s table.remove(t, 1)", huge);
  contained(default_limits, src, ENG_SB_ERR_INSTRUCTIONS, NULL);
  contained(default_limits, "table.move({}, 1, 1 << 50, 2)",
            ENG_SB_ERR_INSTRUCTIONS, NULL);
  contained(default_limits,
            "local t = setmetatable({}, {__index = rawlen}) "
            "return table.concat(t, '', 1, 1 << 40)",
            ENG_SB_ERR_INSTRUCTIONS, NULL);
  /* Elements are read raw: no __index runs inside the library's loops. */
  contained(default_limits,
            "local t = setmetatable({}, {__index = rawlen, __len = function() "
            "return (1 << 31) - 2 end}) table.sort(t, math.ult)",
            ENG_SB_ERR_RUNTIME, "number expected, got nil");
  contained(default_limits,
            "return select('#', table.unpack({}, 1, 1 << 40))",
            ENG_SB_ERR_INSTRUCTIONS, NULL);
  /* A __len that answers small first and huge next gains nothing. */
  contained(default_limits,
            "local n = 0 local t = setmetatable({'a'}, {__len = function() "
            "n = n + 1 return n == 1 and 1 or 1 << 50 end}) "
            "return #table.concat(t)",
            ENG_SB_OK, NULL);
}

Test(cpu, empty_string_rep) {
  eng_sandbox *sb = make(default_limits);
  expect_true(sb, "return string.rep('', 1 << 40) == '' and "
                  "string.rep('', 1 << 40, '') == '' and "
                  "('ab'):rep(3, ',') == 'ab,ab,ab'");
  eng_sb_free(sb);
}

Test(cpu, table_functions_keep_their_meaning) {
  eng_sandbox *sb = make(default_limits);
  expect_string(sb, "local t = {5, 3, 1, 4, 2, 9, 7} table.sort(t) "
                    "return table.concat(t, ',')", "1,2,3,4,5,7,9");
  expect_string(sb, "local t = {'b', 'c', 'a'} "
                    "table.sort(t, function(a, b) return a > b end) "
                    "return table.concat(t)", "cba");
  expect_string(sb, "local t = {1, 2, 3} table.insert(t, 4) "
                    "table.insert(t, 1, 0) table.insert(t, 3, 'x') "
                    "return table.concat(t, ' ')", "0 1 x 2 3 4");
  expect_string(sb, "local t = {1, 2, 3, 4} local a = table.remove(t, 1) "
                    "local b = table.remove(t) local c = table.remove({}) "
                    "return a .. b .. tostring(c) .. table.concat(t)",
                "14nil23");
  expect_string(sb, "local t = table.move({1, 2, 3}, 1, 3, 2) "
                    "return table.concat(t, '') .. select('#', "
                    "table.unpack({1, 2, 3}))", "11233");
  expect_status(sb, "table.insert({}, 5, 1)", ENG_SB_ERR_RUNTIME,
                "position out of bounds");
  expect_status(sb, "table.concat({1, {}, 3})", ENG_SB_ERR_RUNTIME,
                "invalid value");
  expect_status(sb, "table.sort({1, 'x', 2})", ENG_SB_ERR_RUNTIME, "compare");
  eng_sb_free(sb);
}

/* Copying big strings costs units by the bytes allocated, so a loop of
** large concatenations ends by the budget, not after terabytes. */
Test(cpu, allocation_is_charged) {
  contained(default_limits,
            "local s = string.rep('x', 1 << 20) "
            "while true do local t = s .. 'y' end",
            ENG_SB_ERR_INSTRUCTIONS, NULL);
  contained(default_limits,
            "local s = string.rep('x', 1 << 22) "
            "while true do local n = utf8.len(s) end",
            ENG_SB_ERR_INSTRUCTIONS, NULL);
}

Test(cpu, wall_clock_limit) {
  eng_sb_limits lim = {256 * MIB, UINT64_MAX / 2, 1024, 300};
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  /* Distinct equal long strings: each == is a 4 MiB memcmp. */
  contained(lim,
            "local a = string.rep('a', 1 << 22) "
            "local b = string.rep('a', 1 << 21) .. string.rep('a', 1 << 21) "
            "while true do local _ = a == b end",
            ENG_SB_ERR_TIME, "time limit exceeded");
  clock_gettime(CLOCK_MONOTONIC, &b);
  double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
  cr_assert_lt(s, 5.0, "took %.2f s", s);
}

/* A nested eng_sb_call (from C code the running call called) shares the
** running call's budget instead of starting a fresh one. */
static eng_sandbox *nested_sb;
static int nested_call(lua_State *L) {
  pol_buf err = POL_BUF_INIT;
  lua_pushvalue(L, 1);
  int st = eng_sb_call(nested_sb, 0, 0, &err);
  pol_buf_free(&err);
  if (st != ENG_SB_OK) return luaL_error(L, "nested call failed: %d", st);
  return 0;
}

Test(cpu, nested_calls_share_the_budget) {
  eng_sb_limits lim = {64 * MIB, 1000000, 1024, 0};
  nested_sb = make(lim);
  lua_pushcfunction(eng_sb_state(nested_sb), nested_call);
  pol_buf err = POL_BUF_INIT;
  int st = call_chunk(nested_sb,
                      "local nested = ... for i = 1, 100 do "
                      "nested(function() for j = 1, 100000 do end end) end",
                      1, 0, &err);
  cr_assert_eq(st, ENG_SB_ERR_INSTRUCTIONS, "%d: %s", st, err.data ? err.data : "");
  pol_buf_free(&err);
  eng_sb_free(nested_sb);
}

/* ---- memory --------------------------------------------------------- */

static const eng_sb_limits small_memory = {16 * MIB, 100000000, 1024, 0};

Test(memory, string_rep_bomb) {
  contained(small_memory, "return string.rep('x', 1 << 30)", ENG_SB_ERR_MEMORY,
            "memory budget exceeded");
  /* Beyond 2 GiB the stock rep refuses before allocating anything. */
  contained(small_memory, "return string.rep('x', 1 << 40)", ENG_SB_ERR_RUNTIME,
            "resulting string too large");
  contained(small_memory, "return ('x'):rep(1000, ('y'):rep(1000000))",
            ENG_SB_ERR_MEMORY, NULL);
  /* Caught by the script: still reported. */
  contained(small_memory, "pcall(string.rep, 'x', 1 << 30) return 1",
            ENG_SB_ERR_MEMORY, NULL);
  contained(small_memory,
            "while true do pcall(string.rep, 'x', 1 << 30) end",
            ENG_SB_ERR_MEMORY, NULL);
}

Test(memory, concat_growth) {
  contained(small_memory,
            "local t = {} for i = 1, 200 do t[i] = string.rep('x', 65536) end "
            "local s = table.concat(t) return #s:rep(100)",
            ENG_SB_ERR_MEMORY, NULL);
  contained(small_memory, "local s = 'x' while true do s = s .. s end",
            ENG_SB_ERR_MEMORY, NULL);
  contained(small_memory, "local t = {} for i = 1, 1e8 do t[i] = i end",
            ENG_SB_ERR_MEMORY, NULL);
}

Test(memory, garbage_near_the_limit_is_not_a_trip) {
  /* 6 MiB live, lots of garbage: the collector's pacing may hit the
  ** budget, the emergency collection makes room, and that is fine. */
  eng_sb_limits lim = {16 * MIB, 1000000000, 1024, 0};
  contained(lim,
            "local keep = string.rep('k', 7 << 20) "
            "for i = 1, 300 do local g = string.rep('g', 1 << 20) .. i end",
            ENG_SB_OK, NULL);
}

Test(memory, too_small_to_start) {
  eng_sandbox *sb = NULL;
  eng_sb_limits lim = {4096, 1000, 16, 0};
  cr_assert_eq(eng_sb_new(&sb, &lim), ENG_SB_ERR_MEMORY);
  cr_assert_null(sb);
}

Test(memory, host_out_of_memory) {
  eng_sandbox *sb = make(default_limits);
  pol_buf err = POL_BUF_INIT;
  const char *src = "local t = {} for i = 1, 1e6 do t[i] = {} end";
  cr_assert_eq(eng_sb_load(sb, "=t", src, strlen(src), &err), ENG_SB_OK);
  eng_sb_push_env(sb);
  eng_sb_set_env(sb, -2);
  pol_alloc_inject_failure(1000, 1);
  int st = eng_sb_call(sb, 0, 0, &err);
  pol_alloc_inject_failure(0, 0);
  cr_assert_eq(st, ENG_SB_ERR_NOMEM);
  cr_assert(eng_sb_needs_recycle(sb));
  pol_buf_free(&err);
  eng_sb_free(sb);
}

Test(memory, host_push_failure_is_reported_by_the_call) {
  eng_sandbox *sb = make(default_limits);
  lua_State *L = eng_sb_state(sb);
  pol_buf err = POL_BUF_INIT;
  cr_assert_eq(eng_sb_load(sb, "=t", "return 1", 8, &err), ENG_SB_OK);
  pol_alloc_inject_failure(1, 1);
  eng_sb_push_env(sb);
  pol_alloc_inject_failure(0, 0);
  cr_assert(lua_isnil(L, -1));
  eng_sb_set_env(sb, -2);
  int top = lua_gettop(L);
  cr_assert_eq(eng_sb_call(sb, 0, 1, &err), ENG_SB_ERR_NOMEM);
  cr_assert_eq(lua_gettop(L), top - 1);
  cr_assert(eng_sb_needs_recycle(sb));
  pol_buf_free(&err);
  eng_sb_free(sb);
}

Test(memory, sb_new_under_allocation_failures) {
  for (unsigned long n = 1; n < 400; n++) {
    eng_sandbox *sb = NULL;
    pol_alloc_inject_failure(n, 1);
    int st = eng_sb_new(&sb, &default_limits);
    pol_alloc_inject_failure(0, 0);
    if (st == ENG_SB_OK) {
      sb = still_works(sb, default_limits);
      eng_sb_free(sb);
      return;
    }
    cr_assert_eq(st, ENG_SB_ERR_NOMEM);
    cr_assert_null(sb);
  }
  cr_assert_fail("eng_sb_new never succeeded");
}

Test(memory, deep_recursion) {
  eng_sb_limits big = {512 * MIB, 100000000, 1024, 0};
  contained(big, "local function f(n) return 1 + f(n + 1) end return f(1)",
            ENG_SB_ERR_RUNTIME, "stack overflow");
  contained(small_memory,
            "local function f(n) return 1 + f(n + 1) end return f(1)",
            ENG_SB_ERR_MEMORY, NULL);
  contained(default_limits,
            "local t = setmetatable({}, {__index = function(t, k) "
            "return t[k] end}) return t.x",
            ENG_SB_ERR_RUNTIME, "stack overflow");
  contained(default_limits,
            "local t = setmetatable({}, {}) getmetatable(t).__tostring = "
            "function(x) return tostring(x) end return tostring(t)",
            ENG_SB_ERR_RUNTIME, "stack overflow");
  contained(default_limits,
            "local function f(s) return (s:gsub('.', f)) end return f('x')",
            ENG_SB_ERR_RUNTIME, "stack overflow");
}

/* ---- loading -------------------------------------------------------- */

Test(load, binary_chunks_refused) {
  eng_sandbox *sb = make(default_limits);
  pol_buf err = POL_BUF_INIT;
  static const char bin[] = "\x1bLua\x54\x00\x19\x93\r\n\x1a\n\x04\x08\x08";
  int top = lua_gettop(eng_sb_state(sb));
  cr_assert_eq(eng_sb_load(sb, "=bin", bin, sizeof bin - 1, &err), ENG_SB_ERR_SYNTAX);
  cr_assert(strstr(err.data, "binary chunk"), "%s", err.data);
  cr_assert_eq(lua_gettop(eng_sb_state(sb)), top);
  expect_true(sb, "return load == nil and string.dump == nil");
  pol_buf_free(&err);
  eng_sb_free(sb);
}

static int dump_to(lua_State *L, const void *p, size_t n, void *ud) {
  (void)L;
  return pol_buf_append(ud, p, n), 0;
}

/* The one load that takes binary chunks (the built-in pack's, compiled at
** build time) runs them as given; one another Lua made is compiled from
** its text instead. */
Test(load, trusted_code_binary_or_text) {
  lua_State *C = luaL_newstate();
  cr_assert_eq(luaL_loadstring(C, "return 41 + 1"), LUA_OK);
  pol_buf bin = POL_BUF_INIT;
  cr_assert_eq(lua_dump(C, dump_to, &bin, 0), 0);
  lua_close(C);
  eng_sandbox *sb = make(default_limits);
  lua_State *L = eng_sb_state(sb);
  pol_buf err = POL_BUF_INIT;
  static const char text[] = "return 7";
  eng_sb_code code = {text, sizeof text - 1, bin.data, bin.len, ENG_SB_WRITES_GLOBALS};
  unsigned writes = 99;
  cr_assert_eq(eng_sb_load_code(sb, "=t", &code, &writes, &err), ENG_SB_OK);
  cr_assert_eq(writes, ENG_SB_WRITES_GLOBALS); /* as compiled, not recomputed */
  cr_assert_eq(eng_sb_call(sb, 0, 1, &err), ENG_SB_OK, "%s", err.data);
  cr_assert_eq(lua_tointeger(L, -1), 42);
  lua_pop(L, 1);
  bin.data[4] = 0x53; /* another Lua's version byte */
  cr_assert_eq(eng_sb_load_code(sb, "=t", &code, &writes, &err), ENG_SB_OK);
  cr_assert_eq(writes, 0);
  cr_assert_eq(eng_sb_call(sb, 0, 1, &err), ENG_SB_OK, "%s", err.data);
  cr_assert_eq(lua_tointeger(L, -1), 7);
  lua_pop(L, 1);
  pol_buf_free(&bin);
  pol_buf_free(&err);
  eng_sb_free(sb);
}

Test(load, syntax_errors_name_the_chunk) {
  eng_sandbox *sb = make(default_limits);
  pol_buf err = POL_BUF_INIT;
  cr_assert_eq(eng_sb_load(sb, "rules/no-root.lua", "x = = 1", 7, &err),
               ENG_SB_ERR_SYNTAX);
  cr_assert(strncmp(err.data, "rules/no-root.lua:1:", 20) == 0, "%s", err.data);
  cr_assert(!eng_sb_needs_recycle(sb));
  pol_buf_free(&err);
  sb = still_works(sb, default_limits);
  eng_sb_free(sb);
}

Test(load, error_text_is_capped) {
  eng_sandbox *sb = make(default_limits);
  pol_buf err = POL_BUF_INIT;
  cr_assert_eq(run_msg(sb, "error(string.rep('e', 5000))", &err),
               ENG_SB_ERR_RUNTIME);
  cr_assert_eq(err.len, 1024);
  pol_buf_free(&err);
  eng_sb_free(sb);
}

/* ---- what scripts can reach ----------------------------------------- */

Test(reach, dangerous_globals_absent) {
  eng_sandbox *sb = make(default_limits);
  static const char *absent[] = {
      "io", "os", "debug", "package", "require", "dofile", "loadfile",
      "load", "loadstring", "collectgarbage", "coroutine", "string.dump",
      "math.randomseed", "newproxy", "module", "setfenv", "getfenv"};
  for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
    char src[96];
    snprintf(src, sizeof src, "return %s == nil", absent[i]);
    expect_true(sb, src);
  }
  expect_true(sb, "return type(print) == 'function' and type(pcall) == "
                  "'function' and math.pi > 3 and utf8.char(72) == 'H' and "
                  "_VERSION == 'Lua 5.4' and _G == _ENV");
  eng_sb_free(sb);
}

Test(reach, string_metatable_locked) {
  eng_sandbox *sb = make(default_limits);
  expect_true(sb, "return getmetatable('') == false and ('x'):upper() == 'X' "
                  "and ('10') + 1 == 11 and ('%d'):format(3) == '3'");
  expect_status(sb, "setmetatable('', {})", ENG_SB_ERR_RUNTIME, NULL);
  expect_status(sb, "string.upper = function() return 'PWNED' end",
                ENG_SB_ERR_RUNTIME, "read-only");
  expect_status(sb, "rawset(string, 'upper', print)", ENG_SB_ERR_RUNTIME,
                "table expected");
  expect_string(sb, "return ('hello'):upper() .. string.upper('!')", "HELLO!");
  eng_sb_free(sb);
}

Test(reach, libraries_iterate_without_leaking_tables) {
  eng_sandbox *sb = make(default_limits);
  expect_true(sb, "local n, state = 0, select(2, pairs(string)) "
                  "for k, v in pairs(string) do n = n + 1 end "
                  "return n > 10 and state == nil");
  eng_sb_free(sb);
}

Test(reach, globals_do_not_leak_between_runs) {
  eng_sandbox *sb = make(default_limits);
  expect_true(sb, "x = 42 _G.y = 1 string = nil rawset(_G, 'print', false) "
                  "return x == 42 and print == false");
  expect_true(sb, "return x == nil and y == nil and string.upper('a') == 'A' "
                  "and type(print) == 'function'");
  eng_sb_free(sb);
}

Test(reach, the_base_is_read_only) {
  eng_sandbox *sb = make(default_limits);
  lua_State *L = eng_sb_state(sb);
  pol_buf err = POL_BUF_INIT;
  /* Without eng_sb_set_env a chunk's globals are the base itself. */
  static const char *writes[] = {"rawset(_ENV, 'x', 1)", "x = 1",
                                 "string = nil", "setmetatable(_ENV, {})"};
  for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) {
    cr_assert_eq(eng_sb_load(sb, "=t", writes[i], strlen(writes[i]), &err), ENG_SB_OK);
    cr_assert_eq(eng_sb_call(sb, 0, 0, &err), ENG_SB_ERR_RUNTIME, "%s", writes[i]);
  }
  cr_assert_eq(eng_sb_load(sb, "=t", "return getmetatable(_ENV)", 25, &err), ENG_SB_OK);
  cr_assert_eq(eng_sb_call(sb, 0, 1, &err), ENG_SB_OK);
  cr_assert(lua_isboolean(L, -1) && !lua_toboolean(L, -1));
  lua_pop(L, 1);
  expect_true(sb, "return getmetatable(_G) == false and x == nil");
  pol_buf_free(&err);
  eng_sb_free(sb);
}

Test(reach, print_capture_bounded) {
  eng_sb_limits lim = default_limits;
  lim.log_bytes = 100;
  eng_sandbox *sb = make(lim);
  cr_assert_eq(run(sb, "for i = 1, 1000 do print('line', i) end"), ENG_SB_OK);
  pol_buf log = POL_BUF_INIT;
  eng_sb_take_log(sb, &log);
  cr_assert_eq(log.len, 100);
  cr_assert(strncmp(log.data, "line\t1\nline\t2\n", 14) == 0);
  pol_buf_clear(&log);
  cr_assert_eq(run(sb, "warn('@on') warn('a', 'b') print(nil, true, {} ~= nil)"),
               ENG_SB_OK);
  eng_sb_take_log(sb, &log);
  cr_assert_str_eq(log.data, "warning: ab\nnil\ttrue\ttrue\n");
  pol_buf_clear(&log);
  eng_sb_take_log(sb, &log);
  cr_assert_eq(log.len, 0);
  pol_buf_free(&log);
  eng_sb_free(sb);
}

Test(reach, math_random_is_deterministic) {
  const char *src = "local r = {} for i = 1, 5 do r[#r + 1] = math.random(1, "
                    "1000000) end r[#r + 1] = math.random(6) "
                    "r[#r + 1] = string.format('%.6f', math.random()) "
                    "r[#r + 1] = math.random(0) return table.concat(r, ' ')";
  eng_sandbox *a = make(default_limits), *b = make(default_limits);
  pol_buf err = POL_BUF_INIT;
  cr_assert_eq(call_chunk(a, src, 0, 1, &err), ENG_SB_OK);
  char first[256];
  snprintf(first, sizeof first, "%s", lua_tostring(eng_sb_state(a), -1));
  lua_pop(eng_sb_state(a), 1);
  expect_string(a, src, first);
  expect_string(b, src, first);
  expect_true(a, "for i = 1, 1000 do local x = math.random(-3, 3) "
                 "if x < -3 or x > 3 or math.type(x) ~= 'integer' then "
                 "return false end local f = math.random() "
                 "if f < 0 or f >= 1 then return false end end "
                 "return math.random(math.mininteger, math.maxinteger) ~= nil");
  expect_status(a, "math.random(2, 1)", ENG_SB_ERR_RUNTIME, "interval is empty");
  pol_buf_free(&err);
  eng_sb_free(a);
  eng_sb_free(b);
}

/* ---- views ---------------------------------------------------------- */

typedef struct model {
  pol_arena arena;
  pm_value *root, *list, *labels;
} model;

/* {name = "web", list = {"a", null, 3}, labels = {z = "1", n = null,
** a = "2"}, ok = true, ratio = 0.5, nul = null, bin = "x\0y"} */
static void build(model *m) {
  pol_arena *a = &m->arena;
  *a = (pol_arena)POL_ARENA_INIT;
  m->root = pm_obj(a, pm_pos_make(3, 1, 3, 9));
  pm_set(a, m->root, "name", pm_str(a, "web", pm_nopos));
  m->list = pm_arr(a, pm_nopos);
  pm_push(a, m->list, pm_str(a, "a", pm_nopos));
  pm_push(a, m->list, pm_null(a, pm_nopos));
  pm_push(a, m->list, pm_int(a, 3, pm_nopos));
  pm_set(a, m->root, "list", m->list);
  m->labels = pm_map(a, pm_nopos);
  pm_set(a, m->labels, "z", pm_str(a, "1", pm_nopos));
  pm_set(a, m->labels, "n", pm_null(a, pm_nopos));
  pm_set(a, m->labels, "a", pm_str(a, "2", pm_nopos));
  pm_set(a, m->root, "labels", m->labels);
  pm_set(a, m->root, "ok", pm_bool(a, true, pm_nopos));
  pm_set(a, m->root, "ratio", pm_num(a, 0.5, pm_nopos));
  pm_set(a, m->root, "nul", pm_null(a, pm_nopos));
  pm_set(a, m->root, "bin", pm_strn(a, "x\0y", 3, pm_nopos));
}

static void expect_view_true(eng_sandbox *sb, const pm_value *v, const char *src) {
  pol_buf err = POL_BUF_INIT;
  eng_sb_push_value(sb, v, false);
  int st = call_chunk(sb, src, 1, 1, &err);
  cr_assert_eq(st, ENG_SB_OK, "%s: %s", src, err.data ? err.data : "");
  cr_assert(lua_toboolean(eng_sb_state(sb), -1), "%s is not true", src);
  lua_pop(eng_sb_state(sb), 1);
  pol_buf_free(&err);
}

static void expect_view_status(eng_sandbox *sb, const pm_value *v, const char *src,
                               int want, const char *text) {
  pol_buf err = POL_BUF_INIT;
  eng_sb_push_value(sb, v, false);
  int st = call_chunk(sb, src, 1, 0, &err);
  cr_assert_eq(st, want, "%s -> %d: %s", src, st, err.data ? err.data : "");
  if (text) cr_assert(strstr(err.data, text), "%s: %s", src, err.data);
  pol_buf_free(&err);
}

Test(views, read_the_model) {
  model m;
  build(&m);
  eng_sandbox *sb = make(default_limits);
  expect_view_true(sb, m.root,
                   "local v = ... return v.name == 'web' and v.ok == true and "
                   "v.ratio == 0.5 and v.nul == nil and v.missing == nil and "
                   "v[1] == nil and #v.bin == 3 and v.bin == 'x\\0y'");
  expect_view_true(sb, m.root,
                   "local l = (...).list return #l == 3 and l[1] == 'a' and "
                   "l[2] == nil and l[3] == 3 and math.type(l[3]) == 'integer' "
                   "and l[0] == nil and l[4] == nil and l['1'] == nil and "
                   "l[1.0] == 'a' and l[1.5] == nil");
  expect_view_true(sb, m.root,
                   "local seen = {} for i, x in ipairs((...).list) do "
                   "seen[#seen + 1] = i .. '=' .. x end "
                   "local all = {} for i, x in pairs((...).list) do "
                   "all[#all + 1] = i .. '=' .. tostring(x) end "
                   "return table.concat(seen, ',') == '1=a' and "
                   "table.concat(all, ',') == '1=a,2=nil,3=3'");
  expect_view_true(sb, m.root,
                   "local keys = {} for k, x in pairs((...).labels) do "
                   "keys[#keys + 1] = k .. '=' .. x end "
                   "return table.concat(keys, ',') == 'z=1,a=2' and "
                   "#(...).labels == 2");
  expect_view_true(sb, m.root,
                   "local v = ... return v.list == v.list and v == v and "
                   "tostring(v) == 'model view' and "
                   "tostring(v.list) == 'model view' and "
                   "getmetatable(v) == false and type(v) == 'userdata' and "
                   "select('#', table.unpack(v.list)) == 3");
  pol_arena_free(&m.arena);
  eng_sb_free(sb);
}

Test(views, writes_fail) {
  model m;
  build(&m);
  eng_sandbox *sb = make(default_limits);
  expect_view_status(sb, m.root, "(...).name = 'x'", ENG_SB_ERR_RUNTIME,
                     "model is read-only");
  expect_view_status(sb, m.root, "(...).list[1] = 'x'", ENG_SB_ERR_RUNTIME,
                     "model is read-only");
  expect_view_status(sb, m.root, "rawset(..., 'name', 'x')", ENG_SB_ERR_RUNTIME,
                     "table expected, got model view");
  expect_view_status(sb, m.root, "table.insert((...).list, 'x')",
                     ENG_SB_ERR_RUNTIME, "table expected");
  expect_view_status(sb, m.root, "setmetatable(..., {})", ENG_SB_ERR_RUNTIME,
                     "table expected");
  expect_view_status(sb, m.root, "rawget(..., 'name')", ENG_SB_ERR_RUNTIME,
                     "table expected");
  expect_view_true(sb, m.root, "return (...).name == 'web'");
  pol_arena_free(&m.arena);
  eng_sb_free(sb);
}

Test(views, to_value_and_generations) {
  model m;
  build(&m);
  eng_sandbox *sb = make(default_limits);
  lua_State *L = eng_sb_state(sb);
  pol_buf err = POL_BUF_INIT;
  /* Keep a closure over a view and a permanent view across generations. */
  eng_sb_push_value(sb, m.root, false);
  eng_sb_push_value(sb, m.labels, true);
  /* (a child not read yet: scalars read before are plain copies in Lua,
  ** harmless after the node is gone) */
  cr_assert_eq(call_chunk(sb, "local v, d = ... return function(which) "
                              "if which then return d.z end return v.list end, v",
                          2, 2, &err), ENG_SB_OK);
  cr_assert_eq(eng_sb_to_value(sb, -1), m.root);
  cr_assert_null(eng_sb_to_value(sb, -2));
  lua_pushinteger(L, 1);
  cr_assert_null(eng_sb_to_value(sb, -1));
  lua_pop(L, 1);
  eng_sb_next_generation(sb);
  cr_assert_null(eng_sb_to_value(sb, -1)); /* stale */
  lua_pop(L, 1);
  lua_pushvalue(L, -1);
  cr_assert_eq(eng_sb_call(sb, 0, 1, &err), ENG_SB_ERR_RUNTIME);
  cr_assert(strstr(err.data, "this model view is no longer valid"), "%s",
               err.data);
  lua_pushboolean(L, 1);
  cr_assert_eq(eng_sb_call(sb, 1, 1, &err), ENG_SB_OK, "%s", err.data);
  cr_assert_str_eq(lua_tostring(L, -1), "1");
  lua_pop(L, 1);
  /* A fresh view of the same node in the new generation works. */
  expect_view_true(sb, m.root, "return (...).name == 'web'");
  pol_arena_free(&m.arena);
  pol_buf_free(&err);
  eng_sb_free(sb);
}

/* The engine pushes views from C code running inside eng_sb_call. */
static eng_sandbox *inner_sb;
static const pm_value *inner_node;
static int push_from_c(lua_State *L) {
  eng_sb_push_value(inner_sb, inner_node, lua_toboolean(L, 1));
  eng_sb_push_env(inner_sb);
  return 2;
}

Test(views, pushed_inside_a_call) {
  model m;
  build(&m);
  inner_sb = make(default_limits);
  inner_node = m.root;
  lua_pushcfunction(eng_sb_state(inner_sb), push_from_c);
  pol_buf err = POL_BUF_INIT;
  int st = call_chunk(inner_sb,
                      "local get = ... local a, env = get(false) "
                      "local b = get(false) local p = get(true) "
                      "return a == b and a ~= p and p.name == 'web' and "
                      "a.list[3] == 3 and env.string == string and "
                      "env._G == env",
                      1, 1, &err);
  cr_assert_eq(st, ENG_SB_OK, "%s", err.data ? err.data : "");
  cr_assert(lua_toboolean(eng_sb_state(inner_sb), -1));
  lua_pop(eng_sb_state(inner_sb), 1);
  pol_buf_free(&err);
  pol_arena_free(&m.arena);
  eng_sb_free(inner_sb);
}

/* Open views (trusted code) read as guarded ones, and a complete array
** (every item there) reads the same before and after it becomes one. */
Test(views, open_views_read_as_guarded_ones) {
  model m;
  build(&m);
  pol_arena *a = &m.arena;
  pm_value *tags = pm_arr(a, pm_nopos), *stages = pm_arr(a, pm_nopos);
  pm_push(a, tags, pm_str(a, "x", pm_nopos));
  pm_push(a, tags, pm_str(a, "y", pm_nopos));
  for (int i = 0; i < 2; i++) {
    pm_value *st = pm_obj(a, pm_nopos);
    pm_set(a, st, "name", pm_str(a, i ? "b" : "a", pm_nopos));
    pm_push(a, stages, st);
  }
  pm_set(a, m.root, "tags", tags);
  pm_set(a, m.root, "stages", stages);
  pm_set(a, m.root, "none", pm_arr(a, pm_nopos));
  eng_sandbox *sb = make(default_limits);
  eng_sb_set_trusted(sb, true);
  static const char *const reads[] = {
      "local v = ... return v.name == 'web' and v.ok == true and v.ratio == 0.5 and "
      "v.nul == nil and v.missing == nil and v[1] == nil and v.bin == 'x\\0y'",
      "local l = (...).list return #l == 3 and l[1] == 'a' and l[2] == nil and "
      "l[3] == 3 and l[0] == nil and l[4] == nil and l['1'] == nil and l[1.0] == 'a'",
      "local all = {} for i, x in pairs((...).list) do all[#all + 1] = i .. '=' .. "
      "tostring(x) end return table.concat(all, ',') == '1=a,2=nil,3=3'",
      "local keys = {} for k, x in pairs((...).labels) do keys[#keys + 1] = k .. '=' .. x "
      "end return table.concat(keys, ',') == 'z=1,a=2' and #(...).labels == 2",
      "local v = ... return type(v) == 'table' and getmetatable(v) == false and "
      "getmetatable(v.tags) == false and v.list == v.list and v.stages == v.stages and "
      "tostring(v.tags) == 'model view' and select('#', table.unpack(v.stages)) == 2",
      "local t = (...).tags return #t == 2 and t[1] == 'x' and t[3] == nil and "
      "t[0] == nil and t.x == nil and table.concat(t, ',') == 'x,y'",
      "local o = {} for i, x in pairs((...).tags) do o[#o + 1] = i .. x end "
      "return table.concat(o) == '1x2y'",
      "local n = #(...).none return n == 0 and (...).none[1] == nil",
      /* twice: the first loop reads past the end and completes the array */
      "local s, o = (...).stages, {} for i, x in ipairs(s) do o[i] = x.name end "
      "return table.concat(o) == 'ab' and #s == 2 and s[3] == nil and s[1] == s[1]",
      "local s, o = (...).stages, {} for i, x in ipairs(s) do o[i] = x.name end "
      "for i, x in pairs(s) do o[#o + 1] = i .. x.name end "
      "return table.concat(o) == 'ab1a2b' and #s == 2 and s[3] == nil",
  };
  for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) expect_view_true(sb, m.root, reads[i]);
  /* New keys are refused; an open view cannot refuse overwriting one it
  ** holds (view.c), which is why only the built-in pack gets them. */
  static const char *const writes[] = {
      "(...).tags[3] = 'z'", "(...).stages[3] = 1",
      "(...).stages[1].extra = 1", "(...).none[1] = 1", "rawset((...).tags, 3, 'z')",
      "rawset((...).stages[1], 'name', 'c')",
  };
  for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++)
    expect_view_status(sb, m.root, writes[i], ENG_SB_ERR_RUNTIME, "model is read-only");
  pol_arena_free(&m.arena);
  eng_sb_free(sb);
}

/* An open list's objects are converted all at once, the first time one is
** read: the others are then in its table, each the view rules read, and
** known to the host as its node. A null item reads as nil and keeps its
** place, before and after. */
Test(views, open_lists_are_converted_at_once) {
  model m;
  build(&m);
  pol_arena *a = &m.arena;
  pm_value *stages = pm_arr(a, pm_nopos), *third = NULL;
  for (int i = 0; i < 4; i++) {
    pm_value *st = i == 1 ? pm_null(a, pm_nopos) : pm_obj(a, pm_nopos);
    if (i != 1) pm_set(a, st, "name", pm_str(a, (const char *[]){"a", "", "c", "d"}[i], pm_nopos));
    pm_push(a, stages, st);
    if (i == 2) third = st;
  }
  pm_set(a, m.root, "stages", stages);
  eng_sandbox *sb = make(default_limits);
  eng_sb_set_trusted(sb, true);
  expect_view_true(sb, m.root,
                   "local s = (...).stages local one = s[4] return rawget(s, 1) ~= nil and "
                   "rawget(s, 3) ~= nil and rawget(s, 2) == nil and one == rawget(s, 4) and "
                   "s[1] == rawget(s, 1) and s[3].name == 'c' and s[2] == nil and #s == 4 and "
                   "s[5] == nil");
  expect_view_true(sb, m.root,
                   "local o = {} for i, x in pairs((...).stages) do o[#o + 1] = i .. "
                   "(x and x.name or '-') end return table.concat(o) == '1a2-3c4d'");
  eng_sb_next_generation(sb); /* views made afresh */
  pol_buf err = POL_BUF_INIT;
  eng_sb_push_value(sb, m.root, false);
  cr_assert_eq(call_chunk(sb, "local s = (...).stages local _ = s[1] return rawget(s, 3)", 1, 1,
                          &err),
               ENG_SB_OK, "%s", err.data ? err.data : "");
  cr_assert_eq(eng_sb_to_value(sb, -1), third, "an item converted with the first is a node");
  lua_pop(eng_sb_state(sb), 1);
  pol_buf_free(&err);
  pol_arena_free(&m.arena);
  eng_sb_free(sb);
}

/* An open view of a typed object is made with the fields rules have read
** (ENG_SB_HOT_READS reads that had to convert them, in views made
** before); the others are converted when read. Either way every field
** reads the same, an unset one reads nil, a misspelled one raises. */
Test(views, open_views_fill_the_fields_rules_read) {
  model m;
  build(&m);
  pol_arena *a = &m.arena;
  pm_value *refs = pm_arr(a, pm_nopos);
  for (int i = 0; i < 8; i++) {
    pm_value *r = pm_obj_typed(a, PM_SCHEMA_PACKAGE_REF, pm_nopos);
    char name[8], raw[8];
    snprintf(name, sizeof name, "p%d", i + 1);
    snprintf(raw, sizeof raw, "p%d=1", i + 1);
    pm_set(a, r, "name", pm_str(a, name, pm_nopos));
    pm_set(a, r, "raw", pm_str(a, raw, pm_nopos));
    pm_set(a, r, "version", pm_null(a, pm_nopos));
    pm_push(a, refs, r);
  }
  pm_set(a, m.root, "refs", refs);
  eng_sandbox *sb = make(default_limits);
  eng_sb_set_trusted(sb, true);
  static const char *const first =
      "local refs, n = (...).refs, 0 for i, r in ipairs(refs) do "
      "  if rawget(r, 'name') == nil and r.name == 'p' .. i and rawget(r, 'name') == r.name "
      "     and r.version == nil then n = n + 1 end end "
      "return n == 8 and rawget(refs[1], 'raw') == nil";
  expect_view_true(sb, m.root, first);
  eng_sb_next_generation(sb); /* views made afresh, after the reads */
  expect_view_true(sb, m.root,
                   "local r = (...).refs[2] return rawget(r, 'name') == 'p2' and "
                   "rawget(r, 'raw') == nil and r.raw == 'p2=1' and rawget(r, 'raw') == 'p2=1' "
                   "and r.version == nil");
  expect_view_status(sb, m.root, "return (...).refs[3].nmae", ENG_SB_ERR_RUNTIME,
                     "package_ref has no field 'nmae'; did you mean 'name'?");
  expect_view_true(sb, m.root,
                   "local o = {} for k, x in pairs((...).refs[4]) do o[#o + 1] = k .. '=' .. "
                   "x end return table.concat(o, ',') == 'name=p4,raw=p4=1'");
  pol_arena_free(&m.arena);
  eng_sb_free(sb);
}

/* Every empty map (most commands' env) has one open view, shared by the
** generations: it reads, counts and iterates as an empty map, refuses
** writes, and is a model node (an empty map) for the host. */
Test(views, open_views_share_one_empty_map) {
  model m;
  build(&m);
  pol_arena *a = &m.arena;
  pm_set(a, m.root, "e1", pm_map(a, pm_nopos));
  pm_set(a, m.root, "e2", pm_map(a, pm_nopos));
  eng_sandbox *sb = make(default_limits);
  eng_sb_set_trusted(sb, true);
  static const char *const reads =
      "local v = ... local e, n = v.e1, 0 for _ in pairs(e) do n = n + 1 end "
      "return rawequal(e, v.e2) and not rawequal(e, v.labels) and #e == 0 and n == 0 and "
      "next(e) == nil and e.x == nil and e[1] == nil and getmetatable(e) == false and "
      "tostring(e) == 'model view'";
  static const char *const writes[] = {"(...).e1.x = 1", "rawset((...).e2, 'x', 1)",
                                       "(...).e1[1] = 1"};
  for (int round = 0; round < 2; round++) {
    expect_view_true(sb, m.root, reads);
    for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++)
      expect_view_status(sb, m.root, writes[i], ENG_SB_ERR_RUNTIME, "model is read-only");
    pol_buf err = POL_BUF_INIT;
    eng_sb_push_value(sb, m.root, false);
    cr_assert_eq(call_chunk(sb, "return (...).e2", 1, 1, &err), ENG_SB_OK, "%s",
                 err.data ? err.data : "");
    const pm_value *e = eng_sb_to_value(sb, -1);
    cr_assert(e && e->type == PM_MAP && e->u.obj.len == 0, "an empty map for the host");
    lua_pop(eng_sb_state(sb), 1);
    pol_buf_free(&err);
    eng_sb_next_generation(sb); /* the shared view serves the next one too */
  }
  pol_arena_free(&m.arena);
  eng_sb_free(sb);
}

/* An open view of an earlier generation raises on what it has not read,
** and is no model node for the host. */
Test(views, open_views_end_with_their_generation) {
  model m;
  build(&m);
  eng_sandbox *sb = make(default_limits);
  eng_sb_set_trusted(sb, true);
  lua_State *L = eng_sb_state(sb);
  pol_buf err = POL_BUF_INIT;
  eng_sb_push_value(sb, m.root, false);
  cr_assert_eq(call_chunk(sb, "local v = ... return function() return #v.list end, v", 1, 2,
                          &err),
               ENG_SB_OK);
  cr_assert_eq(eng_sb_to_value(sb, -1), m.root);
  eng_sb_next_generation(sb);
  cr_assert_null(eng_sb_to_value(sb, -1));
  lua_pop(L, 1);
  cr_assert_eq(eng_sb_call(sb, 0, 1, &err), ENG_SB_ERR_RUNTIME);
  cr_assert(strstr(err.data, "this model view is no longer valid"), "%s", err.data);
  expect_view_true(sb, m.root, "return #(...).list == 3");
  pol_arena_free(&m.arena);
  pol_buf_free(&err);
  eng_sb_free(sb);
}

/* A second root pushed in the same generation does not end the first:
** the views of both stay readable and known to the host. */
Test(views, open_roots_of_one_generation) {
  model m;
  build(&m);
  inner_sb = make(default_limits);
  eng_sb_set_trusted(inner_sb, true);
  lua_State *L = eng_sb_state(inner_sb);
  pol_buf err = POL_BUF_INIT;
  inner_node = m.root;
  lua_pushcfunction(L, push_from_c);
  cr_assert_eq(call_chunk(inner_sb, "local get = ... return get(false), get", 1, 2, &err),
               ENG_SB_OK);
  inner_node = m.labels;
  lua_pushvalue(L, -1);
  cr_assert_eq(eng_sb_call(inner_sb, 0, 1, &err), ENG_SB_OK, "%s", err.data ? err.data : "");
  cr_assert_eq(eng_sb_to_value(inner_sb, -1), m.labels);
  lua_pop(L, 2);
  lua_gc(L, LUA_GCCOLLECT);
  cr_assert_eq(eng_sb_to_value(inner_sb, -1), m.root);
  cr_assert_eq(call_chunk(inner_sb, "local v = ... return v.list[3] == 3 and v.name == 'web'",
                          1, 1, &err),
               ENG_SB_OK, "%s", err.data ? err.data : "");
  cr_assert(lua_toboolean(L, -1));
  lua_pop(L, 1);
  pol_buf_free(&err);
  pol_arena_free(&m.arena);
  eng_sb_free(inner_sb);
}

/* ---- the allocator's pool (engine/pool.h) ---------------------------- */

/* Whether the pool keeps small blocks (not under the sanitizers, where
** every block goes to the heap): two small blocks of a fresh pool are
** carved side by side. */
static bool pool_is_used(void) {
  eng_pool p = {0};
  char *a = eng_pool_realloc(&p, NULL, 0, ENG_POOL_CLASS);
  char *b = eng_pool_realloc(&p, NULL, 0, ENG_POOL_CLASS);
  bool used = a && b && b == a + ENG_POOL_CLASS;
  eng_pool_realloc(&p, a, ENG_POOL_CLASS, 0);
  eng_pool_realloc(&p, b, ENG_POOL_CLASS, 0);
  eng_pool_free_all(&p);
  return used;
}

static void fill(char *p, size_t n, char c) { memset(p, c, n); }

static bool filled(const char *p, size_t n, char c) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != c) return false;
  return true;
}

/* A heap block shrunk to a pool size moves to the pool (keeping its bytes),
** so that a small block's size says where it lives: freed, it goes to the
** pool's free list and the next block of its class is that one. */
Test(pool, shrunk_heap_block_moves_to_pool) {
  long live = pol_alloc_live();
  eng_pool p = {0};
  char *big = eng_pool_realloc(&p, NULL, 0, 4096);
  cr_assert_not_null(big);
  fill(big, 4096, 'x');
  char *small = eng_pool_realloc(&p, big, 4096, 100);
  cr_assert_not_null(small);
  cr_assert(filled(small, 100, 'x'));
  cr_assert_eq(p.strays, 0);
  eng_pool_realloc(&p, small, 100, 0);
  if (pool_is_used()) cr_assert_eq(eng_pool_realloc(&p, NULL, 0, 100), small);
  eng_pool_free_all(&p);
  cr_assert_eq(pol_alloc_live(), live, "every heap block freed");
}

/* When the pool cannot grow as a heap block shrinks, the block stays in
** the heap (a shrink never fails) as a stray: while there is one, blocks
** are told apart by address, and the stray goes back to the heap when
** freed, never to the pool's free lists. */
Test(pool, stray_when_the_pool_cannot_grow) {
  long live = pol_alloc_live();
  eng_pool p = {0};
  char *big = eng_pool_realloc(&p, NULL, 0, 4096);
  cr_assert_not_null(big);
  fill(big, 4096, 'y');
  pol_alloc_inject_failure(1, 0); /* the pool's slab for the move */
  char *small = eng_pool_realloc(&p, big, 4096, 100);
  pol_alloc_inject_failure(0, 0);
  cr_assert_not_null(small, "a shrink never fails");
  cr_assert(filled(small, 100, 'y'));
  cr_assert_eq(p.strays, pool_is_used() ? 1u : 0u);
  /* Pool blocks still grow and go back as pool blocks beside it. */
  char *a = eng_pool_realloc(&p, NULL, 0, 64);
  cr_assert_not_null(a);
  fill(a, 64, 'z');
  a = eng_pool_realloc(&p, a, 64, 300);
  cr_assert_not_null(a);
  cr_assert(filled(a, 64, 'z'));
  eng_pool_realloc(&p, a, 300, 0);
  /* The stray grows within the pool's sizes, still in the heap. */
  small = eng_pool_realloc(&p, small, 100, 200);
  cr_assert_not_null(small);
  cr_assert(filled(small, 100, 'y'));
  cr_assert_eq(p.strays, pool_is_used() ? 1u : 0u);
  eng_pool_realloc(&p, small, 200, 0);
  cr_assert_eq(p.strays, 0);
  eng_pool_free_all(&p);
  cr_assert_eq(pol_alloc_live(), live, "the stray went back to the heap");
}
