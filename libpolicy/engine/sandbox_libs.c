/*
** sandbox_libs.c: the library functions policies see (see sandbox.h).
**
** Allow-list: the stock base, string, table, math and utf8 libraries are
** opened into the registry only; the names listed here are copied into
** private tables that scripts reach through read-only views (the string
** metatable's __index is the private string table, so methods on strings
** see the same functions). Nothing else is reachable.
**
** Replaced: print and warn (into the run log), setmetatable (refuses
** __gc, since finalizers run with hooks off), xpcall (the handler runs
** after the stack unwound, with hooks on), math.random (deterministic,
** restarted by every eng_sb_call), and find/match/gmatch/gsub (metered, in
** pattern.c).
**
** Metered: a C function whose loop grows with an argument is invisible to
** the count hook, so it charges the work before doing it (or right after,
** when the bytes it must allocate bound it). table.insert, remove and
** sort are rewritten: the stock ones read the length through __len
** themselves, and a __len that answers differently the second time would
** widen the loop after the charge. concat, move and unpack charge their
** span and then call the stock function with explicit bounds. Stock
** functions that scan a string without allocating charge the bytes they
** will scan; allocation itself is charged by the allocator.
*/
#include "sandbox_int.h"

#include <limits.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

/* Bytes a C function scans (or loop turns it makes) per budget unit: four
** bytes of UTF-8 decoding or number parsing take about as long as one or
** two VM instructions. Allocation is charged by the allocator. */
#define SCAN_PER_UNIT 4

typedef struct lib_entry {
  const char *name;
  lua_CFunction wrap; /* NULL: copy the stock value; else a closure over it */
} lib_entry;

/* ---- metering helpers ------------------------------------------------- */

static void charge_scan(lua_State *L, size_t n) {
  eng_sb_charge(L, (int64_t)(n / SCAN_PER_UNIT));
}

/* Units for the elements i..j (i <= j), saturating. */
static int64_t span_units(lua_Integer i, lua_Integer j) {
  lua_Unsigned d = (lua_Unsigned)j - (lua_Unsigned)i;
  return d >= (lua_Unsigned)INT64_MAX ? INT64_MAX : (int64_t)d + 1;
}

/* A string position made absolute as string.sub does (0: before start). */
static lua_Integer abs_pos(lua_Integer pos, size_t len) {
  if (pos >= 0) return pos;
  if ((lua_Unsigned)-(pos + 1) >= len) return 0;
  return (lua_Integer)len + pos + 1;
}

/* Bytes of a string of length len between positions i and j. */
static size_t byte_span(size_t len, lua_Integer i, lua_Integer j) {
  i = abs_pos(i, len);
  j = abs_pos(j, len);
  if (i < 1) i = 1;
  if (j > (lua_Integer)len) j = (lua_Integer)len;
  return i > j ? 0 : (size_t)(j - i) + 1;
}

/* Calls the stock function (upvalue 1) with this call's arguments. */
static int call_stock(lua_State *L) {
  int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, n, LUA_MULTRET);
  return lua_gettop(L);
}

/* ---- base ------------------------------------------------------------- */

/* tostring without addresses: "table", "function", a __name, or what
** __tostring (which must give a string) says; numbers, strings, booleans
** and nil as Lua writes them. Pushes the text and returns it. */
static const char *safe_tolstring(lua_State *L, int idx, size_t *len) {
  idx = lua_absindex(L, idx);
  switch (lua_type(L, idx)) {
  case LUA_TSTRING: /* itself: the locked string metatable has no __tostring */
    lua_pushvalue(L, idx);
    return lua_tolstring(L, -1, len);
  case LUA_TNUMBER:
  case LUA_TBOOLEAN:
  case LUA_TNIL:
    return luaL_tolstring(L, idx, len);
  default:
    break;
  }
  if (luaL_callmeta(L, idx, "__tostring")) {
    if (!lua_isstring(L, -1)) luaL_error(L, "'__tostring' must return a string");
    return lua_tolstring(L, -1, len);
  }
  if (luaL_getmetafield(L, idx, "__name") == LUA_TSTRING) return lua_tolstring(L, -1, len);
  if (lua_type(L, -1) != LUA_TNIL && lua_type(L, -1) != LUA_TSTRING) lua_pop(L, 1);
  lua_pushstring(L, luaL_typename(L, idx));
  return lua_tolstring(L, -1, len);
}

static int base_tostring(lua_State *L) {
  luaL_checkany(L, 1);
  safe_tolstring(L, 1, NULL);
  return 1;
}

static int base_print(lua_State *L) {
  eng_sandbox *sb = eng_sb_of(L);
  int n = lua_gettop(L);
  for (int i = 1; i <= n && sb->log.len < sb->lim.log_bytes; i++) {
    size_t len;
    const char *s = safe_tolstring(L, i, &len);
    if (i > 1) eng_sb_log_append(sb, "\t", 1);
    eng_sb_log_append(sb, s, len);
    lua_pop(L, 1);
  }
  eng_sb_log_append(sb, "\n", 1);
  return 0;
}

/* warn(msg1, ...): one line in the log; "@on"/"@off" style control
** messages are accepted and ignored. */
static int base_warn(lua_State *L) {
  eng_sandbox *sb = eng_sb_of(L);
  int n = lua_gettop(L);
  luaL_checkstring(L, 1);
  for (int i = 2; i <= n; i++) luaL_checkstring(L, i);
  if (n == 1 && lua_tostring(L, 1)[0] == '@') return 0;
  eng_sb_log_append(sb, "warning: ", 9);
  for (int i = 1; i <= n; i++) {
    size_t len;
    const char *s = lua_tolstring(L, i, &len);
    eng_sb_log_append(sb, s, len);
  }
  eng_sb_log_append(sb, "\n", 1);
  return 0;
}

/* setmetatable(t, mt) refusing any __gc: an object is marked for
** finalization when its metatable has the field at this moment, whatever
** its value, and finalizers run with hooks off. */
static int base_setmetatable(lua_State *L) {
  int t = lua_type(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
  if (t == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL)
      return luaL_error(L, "__gc metamethods are not allowed");
    lua_pop(L, 1);
  }
  if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
    return luaL_error(L, "cannot change a protected metatable");
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

/* xpcall(f, handler, ...): f runs under pcall; on a runtime error the
** handler gets the error after the stack unwound, so it runs with hooks
** on (the stock handler runs inside the error, where a hook cannot stop
** it). The handler cannot see the failing frames; there is no debug
** library to look at them anyway. */
static int base_xpcall(lua_State *L) {
  int n = lua_gettop(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 2);
  lua_replace(L, 1);
  lua_replace(L, 2); /* handler, f, args... */
  int rc = lua_pcall(L, n - 2, LUA_MULTRET, 0);
  if (rc == LUA_OK) {
    lua_pushboolean(L, 1);
    lua_replace(L, 1);
    return lua_gettop(L);
  }
  if (rc == LUA_ERRRUN) {
    lua_pushvalue(L, 1);
    lua_insert(L, -2);
    lua_pcall(L, 1, 1, 0); /* its own error replaces the result */
  }
  lua_pushboolean(L, 0);
  lua_insert(L, -2);
  return 2;
}

static int base_tonumber(lua_State *L) {
  if (lua_type(L, 1) == LUA_TSTRING) charge_scan(L, lua_rawlen(L, 1));
  return call_stock(L);
}

/* The raw functions see a frozen table's entries (freeze.c) and refuse
** to write them, or any open view of the model (view.c). */
static int base_rawget(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  lua_settop(L, 2);
  if (eng_sb_frozen_shadow(L, 1)) lua_replace(L, 1);
  lua_rawget(L, 1);
  return 1;
}

static int base_rawset(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  luaL_checkany(L, 3);
  if (eng_sb_frozen_shadow(L, 1)) return luaL_error(L, "attempt to modify a read-only table");
  if (eng_sb_is_open_view(L, 1)) return luaL_error(L, "model is read-only");
  lua_settop(L, 3);
  lua_rawset(L, 1);
  return 1;
}

static int base_rawlen(lua_State *L) {
  int t = lua_type(L, 1);
  luaL_argexpected(L, t == LUA_TTABLE || t == LUA_TSTRING, 1, "table or string");
  if (eng_sb_frozen_shadow(L, 1)) lua_replace(L, 1);
  lua_pushinteger(L, (lua_Integer)lua_rawlen(L, 1));
  return 1;
}

static int base_next(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  if (eng_sb_frozen_shadow(L, 1)) lua_replace(L, 1);
  if (lua_next(L, 1)) return 2;
  lua_pushnil(L);
  return 1;
}

/* pairs(t) of a table without __pairs iterates with the sandbox's next. */
static int base_pairs(lua_State *L) {
  luaL_checkany(L, 1);
  if (luaL_getmetafield(L, 1, "__pairs") == LUA_TNIL) {
    lua_pushcfunction(L, base_next);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
  } else {
    lua_pushvalue(L, 1);
    lua_call(L, 1, 3);
  }
  return 3;
}

static const lib_entry base_allowed[] = {
    {"assert", NULL},   {"error", NULL},    {"getmetatable", NULL},
    {"ipairs", NULL},   {"pcall", NULL},    {"rawequal", NULL},
    {"select", NULL},   {"type", NULL},     {"_VERSION", NULL},
    {"tonumber", base_tonumber}, {NULL, NULL}};

static const luaL_Reg base_own[] = {
    {"print", base_print}, {"warn", base_warn},
    {"setmetatable", base_setmetatable}, {"xpcall", base_xpcall},
    {"tostring", base_tostring}, {"rawget", base_rawget},
    {"rawset", base_rawset}, {"rawlen", base_rawlen}, {"next", base_next},
    {"pairs", base_pairs}, {NULL, NULL}};

/* ---- string ----------------------------------------------------------- */

/* string.byte, as the stock one, charged by the bytes it returns. */
static int str_byte(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer i = luaL_optinteger(L, 2, 1);
  lua_Integer j = luaL_optinteger(L, 3, i);
  i = abs_pos(i, len);
  j = abs_pos(j, len);
  if (i < 1) i = 1;
  if (j > (lua_Integer)len) j = (lua_Integer)len;
  if (i > j) return 0;
  if (j - i >= INT_MAX) return luaL_error(L, "string slice too long");
  int n = (int)(j - i) + 1;
  charge_scan(L, (size_t)n);
  luaL_checkstack(L, n, "string slice too long");
  for (int k = 0; k < n; k++) lua_pushinteger(L, (unsigned char)s[i + k - 1]);
  return n;
}

/* The stock rep loops n times even when every copy is empty. Otherwise
** its loop is bounded by the bytes it allocates (so a huge n fails on
** memory first), and the turns are charged once done. */
static int str_rep(lua_State *L) {
  size_t len, lsep;
  luaL_checklstring(L, 1, &len);
  lua_Integer n = luaL_checkinteger(L, 2);
  luaL_optlstring(L, 3, "", &lsep);
  if (n <= 0 || len + lsep == 0) {
    lua_pushliteral(L, "");
    return 1;
  }
  int nres = call_stock(L);
  charge_scan(L, (size_t)n);
  return nres;
}

/* pack, packsize, unpack: a pass over the format per call. */
static int str_format_pass(lua_State *L) {
  size_t len;
  luaL_checklstring(L, 1, &len);
  charge_scan(L, len);
  return call_stock(L);
}

/* format without %p (an address) and with %s through safe_tolstring. */
static int str_format(lua_State *L) {
  size_t len;
  const char *f = luaL_checklstring(L, 1, &len);
  charge_scan(L, len);
  int arg = 1;
  for (size_t i = 0; i < len; i++) {
    if (f[i] != '%') continue;
    if (++i < len && f[i] == '%') continue;
    while (i < len && strchr("-+ #0123456789.", f[i])) i++;
    if (i >= len) break;
    arg++;
    if (f[i] == 'p') return luaL_error(L, "invalid conversion '%%p' to 'format'");
    if (f[i] == 's' && arg <= lua_gettop(L) && !lua_isstring(L, arg)) {
      safe_tolstring(L, arg, NULL);
      lua_replace(L, arg);
    }
  }
  return call_stock(L);
}

static const lib_entry string_allowed[] = {
    {"char", NULL},   {"format", str_format},  {"len", NULL},
    {"lower", NULL},  {"reverse", NULL}, {"sub", NULL},
    {"upper", NULL},  {"rep", str_rep},
    {"pack", str_format_pass}, {"packsize", str_format_pass},
    {"unpack", str_format_pass}, {NULL, NULL}};

/* ---- table ------------------------------------------------------------ */

/* Argument 1 of insert, remove and sort: a table the call may write,
** read and written raw (so no __index or __newindex chain runs inside
** one charged step). Frozen tables are refused. */
static void check_writable(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  if (eng_sb_frozen_shadow(L, 1)) luaL_error(L, "attempt to modify a read-only table");
}

static int tab_insert(lua_State *L) {
  check_writable(L);
  lua_Integer n = luaL_len(L, 1);
  luaL_argcheck(L, n < LUA_MAXINTEGER, 1, "table too big");
  lua_Integer pos = n + 1;
  switch (lua_gettop(L)) {
  case 2:
    break;
  case 3:
    pos = luaL_checkinteger(L, 2);
    luaL_argcheck(L, pos >= 1 && pos <= n + 1, 2, "position out of bounds");
    eng_sb_charge(L, n + 1 - pos);
    for (lua_Integer i = n + 1; i > pos; i--) {
      lua_rawgeti(L, 1, i - 1);
      lua_rawseti(L, 1, i);
    }
    break;
  default:
    return luaL_error(L, "wrong number of arguments to 'insert'");
  }
  lua_rawseti(L, 1, pos);
  return 0;
}

static int tab_remove(lua_State *L) {
  check_writable(L);
  lua_Integer n = luaL_len(L, 1);
  lua_Integer pos = luaL_optinteger(L, 2, n);
  if (pos != n)
    luaL_argcheck(L, n < LUA_MAXINTEGER && pos >= 1 && pos <= n + 1, 2,
                  "position out of bounds");
  lua_rawgeti(L, 1, pos); /* the result */
  if (pos < n) eng_sb_charge(L, n - pos);
  for (; pos < n; pos++) {
    lua_rawgeti(L, 1, pos + 1);
    lua_rawseti(L, 1, pos);
  }
  lua_pushnil(L);
  lua_rawseti(L, 1, pos);
  return 1;
}

/* Sorting is a heap sort over t (index 1) with the comparator at index 2
** (nil: the < operator); each comparison costs one unit, and comparing
** two strings with < costs their shorter length too (the C comparison
** runs within the one step). */
static bool sort_less(lua_State *L, lua_Integer a, lua_Integer b) {
  eng_sb_charge(L, 1);
  bool custom = !lua_isnil(L, 2);
  if (custom) lua_pushvalue(L, 2);
  lua_rawgeti(L, 1, a);
  lua_rawgeti(L, 1, b);
  bool less;
  if (custom) {
    lua_call(L, 2, 1);
    less = lua_toboolean(L, -1);
    lua_pop(L, 1);
  } else {
    if (lua_type(L, -1) == LUA_TSTRING && lua_type(L, -2) == LUA_TSTRING) {
      size_t la = lua_rawlen(L, -2), lb = lua_rawlen(L, -1);
      charge_scan(L, la < lb ? la : lb);
    }
    less = lua_compare(L, -2, -1, LUA_OPLT);
    lua_pop(L, 2);
  }
  return less;
}

static void sort_swap(lua_State *L, lua_Integer a, lua_Integer b) {
  lua_rawgeti(L, 1, a);
  lua_rawgeti(L, 1, b);
  lua_rawseti(L, 1, a);
  lua_rawseti(L, 1, b);
}

/* Restores the heap order below `root` within t[1..last]. */
static void sift_down(lua_State *L, lua_Integer root, lua_Integer last) {
  for (;;) {
    lua_Integer child = 2 * root;
    if (child > last) return;
    if (child < last && sort_less(L, child, child + 1)) child++;
    if (!sort_less(L, root, child)) return;
    sort_swap(L, root, child);
    root = child;
  }
}

static int tab_sort(lua_State *L) {
  check_writable(L);
  lua_Integer n = luaL_len(L, 1);
  luaL_argcheck(L, n < INT_MAX, 1, "array too big");
  if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_settop(L, 2);
  for (lua_Integer i = n / 2; i >= 1; i--) sift_down(L, i, n);
  for (lua_Integer last = n; last > 1; last--) {
    sort_swap(L, 1, last);
    sift_down(L, 1, last - 1);
  }
  return 0;
}

/* Views (userdata with __index and __len) are as good as tables to the
** functions that only read. */
static void check_readable(lua_State *L) {
  if (lua_type(L, 1) != LUA_TUSERDATA) luaL_checktype(L, 1, LUA_TTABLE);
}

/* The end bound at idx; by default the length of argument 1, asked once. */
static lua_Integer opt_end(lua_State *L, int idx) {
  return lua_isnoneornil(L, idx) ? luaL_len(L, 1) : luaL_checkinteger(L, idx);
}

static int tab_concat(lua_State *L) {
  check_readable(L);
  size_t lsep;
  const char *sep = luaL_optlstring(L, 2, "", &lsep);
  lua_Integer i = luaL_optinteger(L, 3, 1);
  lua_Integer j = opt_end(L, 4);
  if (i <= j) eng_sb_charge(L, span_units(i, j));
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (; i <= j; i++) {
    lua_pushinteger(L, i);
    eng_sb_get_element(L, 1);
    if (!lua_isstring(L, -1))
      return luaL_error(L, "invalid value (at index %I) in table for 'concat'", (LUAI_UACINT)i);
    luaL_addvalue(&b);
    if (i != j) luaL_addlstring(&b, sep, lsep);
    if (i == LUA_MAXINTEGER) break;
  }
  luaL_pushresult(&b);
  return 1;
}

static int tab_unpack(lua_State *L) {
  lua_Integer i = luaL_optinteger(L, 2, 1);
  lua_Integer j = opt_end(L, 3);
  if (i > j) return 0;
  eng_sb_charge(L, span_units(i, j));
  lua_Unsigned n = (lua_Unsigned)j - (lua_Unsigned)i;
  if (n >= (unsigned int)INT_MAX || !lua_checkstack(L, (int)(++n)))
    return luaL_error(L, "too many results to unpack");
  for (; i < j; i++) {
    lua_pushinteger(L, i);
    eng_sb_get_element(L, 1);
  }
  lua_pushinteger(L, j);
  eng_sb_get_element(L, 1);
  return (int)n;
}

static int tab_move(lua_State *L) {
  lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
  if (f <= e) eng_sb_charge(L, span_units(f, e));
  return call_stock(L);
}

static const lib_entry table_allowed[] = {
    {"pack", NULL},
    {"concat", tab_concat},
    {"unpack", tab_unpack},
    {"move", tab_move},
    {NULL, NULL}};

static const luaL_Reg table_own[] = {
    {"insert", tab_insert}, {"remove", tab_remove}, {"sort", tab_sort},
    {NULL, NULL}};

/* ---- math ------------------------------------------------------------- */

/* splitmix64 over the sandbox's state. */
static uint64_t rng_next(eng_sandbox *sb) {
  uint64_t z = (sb->rng += UINT64_C(0x9E3779B97F4A7C15));
  z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  return z ^ (z >> 31);
}

/* A uniform value in [0, range]: r under the smallest covering mask,
** drawing again while it falls above range. */
static uint64_t rng_below(eng_sandbox *sb, uint64_t r, uint64_t range) {
  uint64_t mask = range;
  for (int s = 1; s < 64; s *= 2) mask |= mask >> s;
  while ((r & mask) > range) r = rng_next(sb);
  return r & mask;
}

/* math.random with the stock argument forms: () a float in [0, 1),
** (m) an integer in [1, m], (m, n) one in [m, n], (0) any integer. */
static int math_random(lua_State *L) {
  eng_sandbox *sb = eng_sb_of(L);
  uint64_t r = rng_next(sb);
  lua_Integer lo = 1, hi;
  switch (lua_gettop(L)) {
  case 0:
    lua_pushnumber(L, (lua_Number)(r >> 11) * 0x1.0p-53);
    return 1;
  case 1:
    hi = luaL_checkinteger(L, 1);
    if (hi == 0) {
      lua_pushinteger(L, (lua_Integer)r);
      return 1;
    }
    break;
  case 2:
    lo = luaL_checkinteger(L, 1);
    hi = luaL_checkinteger(L, 2);
    break;
  default:
    return luaL_error(L, "wrong number of arguments");
  }
  luaL_argcheck(L, lo <= hi, 1, "interval is empty");
  uint64_t range = (lua_Unsigned)hi - (lua_Unsigned)lo;
  lua_pushinteger(L, (lua_Integer)((lua_Unsigned)lo + rng_below(sb, r, range)));
  return 1;
}

static const lib_entry math_allowed[] = {
    {"abs", NULL},  {"acos", NULL},  {"asin", NULL},       {"atan", NULL},
    {"ceil", NULL}, {"cos", NULL},   {"deg", NULL},        {"exp", NULL},
    {"floor", NULL}, {"fmod", NULL}, {"huge", NULL},       {"log", NULL},
    {"max", NULL},  {"maxinteger", NULL}, {"min", NULL},   {"mininteger", NULL},
    {"modf", NULL}, {"pi", NULL},    {"rad", NULL},        {"sin", NULL},
    {"sqrt", NULL}, {"tan", NULL},   {"tointeger", NULL},  {"type", NULL},
    {"ult", NULL},  {NULL, NULL}};

static const luaL_Reg math_own[] = {{"random", math_random}, {NULL, NULL}};

/* ---- utf8 ------------------------------------------------------------- */

/* codepoint(s, i, j) with j defaulting to i, len(s, i, j) to -1. */
static int utf8_span(lua_State *L, bool to_end) {
  size_t len;
  luaL_checklstring(L, 1, &len);
  lua_Integer i = luaL_optinteger(L, 2, 1);
  charge_scan(L, byte_span(len, i, luaL_optinteger(L, 3, to_end ? -1 : i)));
  return call_stock(L);
}

static int utf8_codepoint(lua_State *L) { return utf8_span(L, false); }

static int utf8_len(lua_State *L) { return utf8_span(L, true); }

/* offset(s, n, i) walks at most |n| characters of at most 4 bytes. */
static int utf8_offset(lua_State *L) {
  size_t len;
  luaL_checklstring(L, 1, &len);
  lua_Integer n = luaL_checkinteger(L, 2);
  lua_Unsigned steps = n < 0 ? 0u - (lua_Unsigned)n : (lua_Unsigned)n;
  charge_scan(L, steps < len / 4 ? (size_t)steps * 4 : len);
  return call_stock(L);
}

static const lib_entry utf8_allowed[] = {
    {"char", NULL}, {"charpattern", NULL}, {"codes", NULL},
    {"codepoint", utf8_codepoint}, {"len", utf8_len},
    {"offset", utf8_offset}, {NULL, NULL}};

/* ---- assembly --------------------------------------------------------- */

/* Opens a stock library into the registry only and leaves on the stack a
** new table holding its allowed entries and the sandbox's own. */
static void open_lib(lua_State *L, const char *name, lua_CFunction open,
                     const lib_entry *allowed, const luaL_Reg *own) {
  luaL_requiref(L, name, open, 0);
  int stock = lua_gettop(L);
  lua_newtable(L);
  for (const lib_entry *e = allowed; e->name; e++) {
    lua_getfield(L, stock, e->name);
    if (e->wrap) lua_pushcclosure(L, e->wrap, 1);
    lua_setfield(L, -2, e->name);
  }
  if (own) luaL_setfuncs(L, own, 0);
  lua_remove(L, stock);
}

/* base[name] = a read-only view of the library on top, which is popped. */
static void publish(lua_State *L, const char *name) {
  eng_sb_push_readonly(L, -1);
  lua_setfield(L, -3, name);
  lua_pop(L, 1);
}

/* The string metatable's __index becomes the private string table, and
** getmetatable("") returns false. */
static void lock_string_metatable(lua_State *L) {
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushvalue(L, -3);
  lua_setfield(L, -2, "__index");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 2);
}

void eng_sb_open_libs(lua_State *L, eng_sandbox *sb) {
  open_lib(L, LUA_GNAME, luaopen_base, base_allowed, base_own);
  static const luaL_Reg string_own[] = {{"byte", str_byte}, {NULL, NULL}};
  open_lib(L, LUA_STRLIBNAME, luaopen_string, string_allowed, string_own);
  eng_pat_register(L, &sb->meter);
  lock_string_metatable(L);
  publish(L, LUA_STRLIBNAME);
  open_lib(L, LUA_TABLIBNAME, luaopen_table, table_allowed, table_own);
  publish(L, LUA_TABLIBNAME);
  open_lib(L, LUA_MATHLIBNAME, luaopen_math, math_allowed, math_own);
  publish(L, LUA_MATHLIBNAME);
  open_lib(L, LUA_UTF8LIBNAME, luaopen_utf8, utf8_allowed, NULL);
  publish(L, LUA_UTF8LIBNAME);
  eng_sb_open_textlib(L);
  publish(L, "text");
  eng_sb_open_model_type(L);
  lua_setfield(L, -2, "model_type");
  eng_sb_open_model_column(L);
  lua_setfield(L, -2, "model_column");
  eng_sb_open_model_find(L);
  lua_setfield(L, -2, "model_find");
}

void eng_sb_get_element(lua_State *L, int t) {
  t = lua_absindex(L, t);
  switch (lua_type(L, t)) {
  case LUA_TUSERDATA: /* a view or a read-only library: their own __index */
    lua_gettable(L, t);
    return;
  case LUA_TTABLE:
    if (eng_sb_is_open_view(L, t)) {
      lua_gettable(L, t); /* converts the children not read yet */
    } else if (eng_sb_frozen_shadow(L, t)) {
      lua_insert(L, -2);
      lua_rawget(L, -2);
      lua_remove(L, -2);
    } else {
      lua_rawget(L, t);
    }
    return;
  default:
    lua_gettable(L, t); /* raises the usual error */
  }
}

/* ---- read-only tables ------------------------------------------------- */

static int readonly_newindex(lua_State *L) {
  return luaL_error(L, "attempt to modify a read-only table");
}

/* The iterator over the hidden table (upvalue 1); the table itself is
** never handed out. */
static int readonly_next(lua_State *L) {
  lua_settop(L, 2);
  if (lua_next(L, lua_upvalueindex(1))) return 2;
  lua_pushnil(L);
  return 1;
}

static int readonly_pairs(lua_State *L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushnil(L);
  lua_pushnil(L);
  return 3;
}

void eng_sb_push_readonly(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  lua_newuserdatauv(L, 0, 0);
  lua_createtable(L, 0, 5);
  lua_pushvalue(L, idx);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, readonly_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_pushvalue(L, idx);
  lua_pushcclosure(L, readonly_next, 1);
  lua_pushcclosure(L, readonly_pairs, 1);
  lua_setfield(L, -2, "__pairs");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pushliteral(L, "read-only table");
  lua_setfield(L, -2, "__name");
  lua_setmetatable(L, -2);
}
