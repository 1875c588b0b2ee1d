/*
** test_pattern.c: the metered string.find/match/gmatch/gsub (engine/
** pattern.c) against the stock Lua 5.4 string library, and the meter.
**
** Differential: two plain Lua states run the same code, one with the stock
** library and one with eng_pat_register's functions in `string`; every result
** and error message is serialised (types included) and compared. Cases: a
** hand-written table, a cross product of patterns x subjects x operations,
** and random patterns/subjects from a fixed seed. Random cases first run
** on our side under a modest budget and are skipped (counted) if they trip
** it, so a catastrophic random pattern cannot hang the stock side.
*/
#include <criterion/criterion.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/pattern.h"

#define HUGE_BUDGET (INT64_C(1) << 60)

static int64_t budget;
static int exhausted_calls;

static void on_exhausted(lua_State *L, void *ud) {
  (void)ud;
  exhausted_calls++;
  luaL_error(L, "budget exhausted");
}

/* gsub's table replacement reads as the stock gsub does. */
static void get_element(lua_State *L, int t) { lua_gettable(L, t); }

static eng_pat_meter meter = {&budget, on_exhausted, NULL, get_element};

/* Serialiser and drivers, loaded into both states. Only string.format,
** table.* and select are used, never the functions under test. */
static const char prelude[] =
    "local fmt, concat, mtype, pack = string.format, table.concat, "
    "math.type, table.pack\n"
    "local function ser1(v)\n"
    "  local t = type(v)\n"
    "  if t == 'string' then return fmt('%q', v)\n"
    "  elseif t == 'number' then\n"
    "    if mtype(v) == 'integer' then return 'i' .. tostring(v) end\n"
    "    return 'f' .. fmt('%.17g', v)\n"
    "  elseif t == 'table' then\n"
    "    local o = {}\n"
    "    for i = 1, (v.n or #v) do o[i] = ser1(v[i]) end\n"
    "    return '{' .. concat(o, ',') .. '}'\n"
    "  elseif t == 'nil' or t == 'boolean' then return tostring(v)\n"
    "  else return t end\n"
    "end\n"
    "function SER(...)\n"
    "  local o = {}\n"
    "  for i = 1, select('#', ...) do o[i] = ser1((select(i, ...))) end\n"
    "  return select('#', ...) .. ':' .. concat(o, ' ')\n"
    "end\n"
    "function GM(s, p, init)\n"
    "  local it, out = string.gmatch(s, p, init), {n = 0}\n"
    "  repeat\n"
    "    local r = pack(it())\n"
    "    out.n = out.n + 1; out[out.n] = r\n"
    "  until r[1] == nil or out.n >= 100\n"
    "  return out\n"
    "end\n"
    "REPL_T = {a = '[A]', b = false, ab = 7, ['()'] = 'P', [1] = 'one',\n"
    "  [3] = 3.5, x = true, ['1'] = {}}\n"
    "function REPL_F(...)\n"
    "  local a, n = ..., select('#', ...)\n"
    "  if a == 'b' then return false end\n"
    "  if a == 'x' then return {} end\n"
    "  if n == 2 then return nil end\n"
    "  if a == '1' then return 42 end\n"
    "  return '<' .. concat({...}, '|') .. '>'\n"
    "end\n"
    "local OPS = {\n"
    "  function(s, p, a) return string.find(s, p, a) end,\n"
    "  function(s, p, a) return string.find(s, p, a, true) end,\n"
    "  function(s, p, a) return string.match(s, p, a) end,\n"
    "  function(s, p, a) return GM(s, p, a) end,\n"
    "  function(s, p, a, r) return string.gsub(s, p, r, a) end,\n"
    "  function(s, p, a) return string.gsub(s, p, REPL_T, a) end,\n"
    "  function(s, p, a) return string.gsub(s, p, REPL_F, a) end,\n"
    "}\n"
    "NOPS = #OPS\n"
    "function RUNOP(op, s, p, a, r) return SER(pcall(OPS[op], s, p, a, r)) "
    "end\n"
    "function EVAL(f) return SER(pcall(f)) end\n";

static lua_State *new_state(bool ours) {
  lua_State *L = luaL_newstate();
  cr_assert_not_null(L);
  luaL_openlibs(L);
  if (ours) {
    lua_getglobal(L, "string");
    eng_pat_register(L, &meter);
    lua_pop(L, 1);
  }
  if (luaL_dostring(L, prelude) != LUA_OK)
    cr_assert_fail("prelude: %s", lua_tostring(L, -1));
  return L;
}

/* Runs `return EVAL(function() return <expr> end)` and returns a copy of
** the serialised outcome (caller frees). */
static char *eval(lua_State *L, const char *expr) {
  size_t n = strlen(expr) + 64;
  char *src = malloc(n);
  snprintf(src, n, "return EVAL(function() return %s end)", expr);
  int rc = luaL_loadbuffer(L, src, strlen(src), "=case");
  free(src);
  if (rc != LUA_OK) cr_assert_fail("case does not compile: %s", expr);
  lua_call(L, 0, 1);
  char *out = strdup(lua_tostring(L, -1));
  lua_pop(L, 1);
  return out;
}

/* One random or cross-product case: an operation and its arguments. */
typedef struct opcase {
  int op;                      /* 1-based index into OPS */
  const char *s, *p, *repl;    /* repl NULL: nil */
  size_t ls, lp;
  bool has_init;
  lua_Integer init;            /* init, or n for gsub */
} opcase;

static char *run_op(lua_State *L, const opcase *c) {
  lua_getglobal(L, "RUNOP");
  lua_pushinteger(L, c->op);
  lua_pushlstring(L, c->s, c->ls);
  lua_pushlstring(L, c->p, c->lp);
  if (c->has_init) lua_pushinteger(L, c->init);
  else lua_pushnil(L);
  if (c->repl) lua_pushstring(L, c->repl);
  else lua_pushnil(L);
  lua_call(L, 5, 1);
  char *out = strdup(lua_tostring(L, -1));
  lua_pop(L, 1);
  return out;
}

typedef struct tally {
  int compared, mismatches, skipped;
} tally;

static void compare(tally *t, const char *what, char *ours, char *stock) {
  t->compared++;
  if (strcmp(ours, stock) != 0) {
    t->mismatches++;
    if (t->mismatches <= 20)
      cr_log_error("mismatch: %s\n  ours:  %s\n  stock: %s", what, ours,
                   stock);
  }
  free(ours);
  free(stock);
}

static void diff_expr(tally *t, lua_State *ours, lua_State *stock,
                      const char *expr) {
  budget = HUGE_BUDGET;
  compare(t, expr, eval(ours, expr), eval(stock, expr));
}

/* Runs an opcase on our side under `limit` (skipping it if the meter
** trips), then on the stock side, and compares. */
static void diff_op(tally *t, lua_State *ours, lua_State *stock,
                    const opcase *c, int64_t limit) {
  budget = limit;
  int before = exhausted_calls;
  char *mine = run_op(ours, c);
  if (exhausted_calls != before) {
    t->skipped++;
    free(mine);
    return;
  }
  char what[256];
  snprintf(what, sizeof what, "op %d s=%.*s p=%.*s init=%lld repl=%s",
           c->op, (int)c->ls, c->s, (int)c->lp, c->p,
           c->has_init ? (long long)c->init : -999LL,
           c->repl ? c->repl : "nil");
  compare(t, what, mine, run_op(stock, c));
}

static void report(const char *name, const tally *t) {
  fprintf(stderr, "pattern differential (%s): %d compared, %d mismatches, "
                  "%d skipped\n", name, t->compared, t->mismatches,
          t->skipped);
  cr_expect_eq(t->mismatches, 0, "%s: %d mismatches", name, t->mismatches);
}

/* ---- hand-written expressions ----------------------------------------- */

static const char *const exprs[] = {
    /* find: plain and pattern, init handling */
    "string.find('hello world', 'o w')",
    "string.find('hello', 'l')",
    "string.find('hello', 'xyz')",
    "string.find('hello', '')",
    "string.find('', '')",
    "string.find('', 'a')",
    "string.find('hello', '', 5)",
    "string.find('hello', '', 6)",
    "string.find('hello', '', 7)",
    "string.find('hello', 'l', -2)",
    "string.find('hello', 'l', -100)",
    "string.find('hello', 'l', 0)",
    "string.find('hello', 'h', 1.0)",
    "string.find('hello', 'h', 1.5)",
    "string.find('hello', 'l', '3')",
    "string.find('hello', 'l', ' 0x3 ')",
    "string.find('hello', 'h', 'x')",
    "string.find('hello', 'l', math.mininteger)",
    "string.find('hello', 'l', math.maxinteger)",
    "string.find('hello', 'l+', math.mininteger)",
    "string.find('hello', 'l+', math.maxinteger)",
    "string.find('a.b', '.', 1, true)",
    "string.find('a.b', '%.', 1)",
    "string.find('a+b', '+', 1, true)",
    "string.find('a+b', 'a+b', 1, 1)",
    "string.find('a+b', 'a+b', 1, false)",
    "string.find('a+b', 'a+b', 1, nil)",
    "string.find('a+b', 'a+b', nil, true)",
    "string.find('aaa', 'a-', 2)",
    "string.find('hello', '(l)(l)')",
    "string.find('hello', '()ll()')",
    "string.find('hello', 'l()')",
    "string.find(123454321, 5)",
    "string.find(1.5, '.', 2)",
    "string.find()",
    "string.find('x')",
    "string.find({}, 'x')",
    "string.find('x', {})",
    "string.find('x', nil)",
    "('abc'):find('b', 1, true)",
    "(''):find('')",
    "('abc'):find('(')",
    "string.find('abc', 'a)')",
    "string.match('abc', 'a)')",
    "string.find('a)', 'a)')",
    "string.find('aaab', 'aab', 1, true)",
    "string.find('ababac', 'abac', 1, true)",
    "string.find('abc', 'abcd', 1, true)",
    "string.find('abc', 'c', 3, true)",
    "string.find('abc', 'c', 4, true)",
    "string.find('abc', '', 4, true)",
    "string.find('abc', '', 5, true)",
    /* embedded zeros */
    "string.find('a\\0b', '\\0')",
    "string.find('a\\0b', '%z')",
    "string.find('a\\0b', '%Z+')",
    "string.find('a\\0b', '[\\0]')",
    "string.find('a\\0b', '[%z]')",
    "string.find('a\\0b', 'a\\0b')",
    "string.find('a\\0b', '.\\0.')",
    "string.find('a\\0b', '\\0', 1, true)",
    "string.find('a\\0b', 'b\\0')",
    "string.find('a\\0b', '\\0.*')",
    "string.find('a\\0b', '%\\0')",
    "string.match('a\\0b\\0', '(%Z+)')",
    "string.match('a\\0b\\0', '[^\\0]+$')",
    "string.match('a\\0', '%f[%z]')",
    "string.match('a\\0', '()%f[%z]')",
    "string.match('\\0a', '%f[a]()')",
    "string.gsub('a\\0b', '%z', '0')",
    "string.gsub('a\\0b', '', '\\0')",
    "string.gsub('abc', 'b', 'x\\0y')",
    "string.gsub('abc', 'b', '%\\0')",
    "string.find('x', 'x$\\0')",
    "string.find('x\\0', 'x$')",
    "string.find('(\\0)', '%b\\0)')",
    /* match: captures, anchors */
    "string.match('key = value', '(%w+)%s*=%s*(%w+)')",
    "string.match('  trim  ', '^%s*(.-)%s*$')",
    "string.match('2024-01-15', '(%d+)-(%d+)-(%d+)')",
    "string.match('hello', '.-')",
    "string.match('hello', '.-$')",
    "string.match('hello', '^(h)(e)')",
    "string.match('hello', '()')",
    "string.match('hello', '()', 3)",
    "string.match('hello', '()', 6)",
    "string.match('hello', '()', 7)",
    "string.match('hello', '()', -1)",
    "string.match('hello', '$')",
    "string.match('hello', '^$')",
    "string.match('', '^$')",
    "string.match('', '$')",
    "string.match('', '')",
    "string.match('hello', 'o$')",
    "string.match('hello', 'l$')",
    "string.match('hel$lo', 'l$l')",
    "string.match('a$', '$$')",
    "string.match('a$', 'a$$')",
    "string.match('a', '$*')",
    "string.match('$$', '$+')",
    "string.match('a^b', 'a^b')",
    "string.match('^a', '^^a')",
    "string.match('a', '^^a')",
    "string.match('aa', '^a*')",
    "string.match('ba', '^a*')",
    "string.match('ab', '(a$)')",
    "string.match('a', '(a$)')",
    "string.match('a$', '(a$)')",
    "string.match('a', '(a)$')",
    "string.match('THE (quick) fox', '%((%a+)%)')",
    "string.match('hello', '(h)(e)(l)(l)(o)')",
    "string.match('hello', '((h)(e))((l)(l))')",
    "string.match('hello', '(h(e(l)))')",
    "string.match('hello', '()(h)()')",
    "string.match('hello', '(()h())')",
    "string.match('hello', '(')",
    "string.match('hello', '(()')",
    "string.match('hello', '(h')",
    "string.match('hello', 'h)')",
    "string.match('hello', ')')",
    "string.match('hello', '())')",
    "string.match('hello', 'x)')",
    "string.match('hello', '(x')",
    "string.match(string.rep('a', 40), string.rep('(a)', 32))",
    "string.match(string.rep('a', 40), string.rep('(a)', 33))",
    "string.match('a', string.rep('()', 32))",
    "string.match('a', string.rep('()', 33))",
    "string.match('a', string.rep('(', 32))",
    "string.match('a', string.rep('(', 33))",
    "string.match('a', string.rep('(', 100) .. 'a' .. string.rep(')', 100))",
    "string.find('a', string.rep('(', 100))",
    "string.match('b', string.rep('(', 33) .. 'a')",
    "string.match('a', string.rep(')', 100))",
    /* balance and frontier */
    "string.match('f(a(b)c)d', '%b()')",
    "string.match('f(a(b)c', '%b()')",
    "string.match('[[x]]', '%b[]')",
    "string.match('abba', '%bab')",
    "string.match('aaa', '%baa')",
    "string.match('xaay', '%baa')",
    "string.match('(((', '%b()')",
    "string.match(')()', '%b()')",
    "string.match('a(b)c', '%b()*')",
    "string.match('a(b)*c', '%b()*')",
    "string.match('a', '%b')",
    "string.match('a', '%ba')",
    "string.match('', '%ba')",
    "string.match('', '%bab')",
    "string.match('x', '%b')",
    "string.gsub('(a)(b)((c))', '%b()', '[%0]')",
    "string.match('THE (quick) fox', '%f[%a]%a+')",
    "string.match('hello world', '%f[%w]%w+', 2)",
    "string.match('THE', '%f[%l]')",
    "string.match(' x', '%f[%S]()')",
    "string.match('x', '%f[%z]()')",
    "string.match('ab', '%f[%z]()')",
    "string.match('', '%f[%z]()')",
    "string.match('', '%f[%Z]()')",
    "string.match('a', '%f[a]()')",
    "string.match('a', '%f[^a]()')",
    "string.match('a', '%f')",
    "string.match('a', '%fa')",
    "string.match('a', '%f[a')",
    "string.match('a', '%f[')",
    "string.match('a', '%f[]')",
    "string.match('a', '%f[]]')",
    "string.gsub('THE (quick) fox', '%f[%a]%a+', '<%0>')",
    "string.gsub('hello world', '%f[%w]', '|')",
    "string.gsub('hello world', '%f[%W]', '|')",
    "string.gsub('THE (quick) fox', '%f[%a]%a+', string.lower)",
    /* back-references */
    "string.match('abab', '(ab)%1')",
    "string.match('abcabcb', '(a(b)c)%1%2')",
    "string.match('xyzz', '(x)(y)(z)%3')",
    "string.match('aa', '()a%1')",
    "string.match('aa', '(a)%0')",
    "string.match('aa', '(a%1)')",
    "string.match('a', '%1')",
    "string.match('aa', '(a)%2')",
    "string.match('aa', '(a)%9')",
    "string.match('aa', '(a)%1*')",
    "string.match('a\"hi\"b', '([\"\\'])(.-)%1')",
    "string.match('x = [==[ s ]==]', '%[(=*)%[(.-)%]%1%]')",
    "string.match('aaaa', '(a*)%1')",
    "string.match('aaaaa', '^(a*)%1$')",
    /* quantifiers */
    "string.match('aaab', 'a*')",
    "string.match('aaab', 'a+b')",
    "string.match('aaab', 'a-b')",
    "string.match('aaab', 'a?a?a?a?b')",
    "string.match('b', 'a+')",
    "string.match('', 'a*')",
    "string.match('ab', 'a-')",
    "string.match('ab', '[ab]-b')",
    "string.match('xaaay', 'xa-y')",
    "string.match('xy', 'x.?y')",
    "string.match('xay', 'x.?y')",
    "string.match('<<a>>', '<(.-)>')",
    "string.match('<<a>>', '<(.*)>')",
    "string.match('aaa', 'a**')",
    "string.match('a*', 'a**')",
    "string.match('a+', 'a+?')",
    "string.match('aaa', '.-a')",
    "string.match('123abc', '%d+()')",
    "string.match('abc', '*a')",
    "string.match('abc', '+')",
    "string.match('+', '+')",
    "string.match('?', '?')",
    "string.match('-', '-')",
    "string.match('a-', 'a--')",
    /* sets */
    "string.match(']', '[]]')",
    "string.match('a]', '[^]]')",
    "string.match('-', '[a-]')",
    "string.match('-', '[-a]')",
    "string.match('b', '[a-c]')",
    "string.match('d', '[a-c]')",
    "string.match('b', '[c-a]')",
    "string.match('%', '[%%]')",
    "string.match('5', '[%d]')",
    "string.match('x', '[%D]')",
    "string.match('^', '[%^]')",
    "string.match('^', '[a^]')",
    "string.match('^', '[^^]')",
    "string.match('z', '[%a-z]')",
    "string.match('-', '[%a-z]')",
    "string.match(']', '[%]]')",
    "string.match(']', '[a-%]]')",
    "string.match('%', '[a-%]]')",
    "string.match('%', '[a-%%]')",
    "string.match('b', '[a-%%]')",
    "string.match('a', '[]')",
    "string.match('a', '[^]')",
    "string.match('a', '[a')",
    "string.match('a', '[a%')",
    "string.match('a', '[%')",
    "string.match('a', '[')",
    "string.match('a', '[^')",
    "string.match('a', '[]a')",
    "string.match('a]', '[]a]+')",
    "string.match('\\200\\255', '[\\128-\\255]+')",
    "string.match('A1_b-', '[%w_]+')",
    "string.match('a-b', '[a-]+')",
    "string.match('\\t \\n', '[%s]+')",
    "string.match('AbC', '[%u]+')",
    "string.match('x1', '[^%a]')",
    "string.match('ABCd', '[^a-z]+')",
    "string.match('-', '[+--]')",
    "string.match(',', '[+--]')",
    "string.match('a', '[a-]]')",
    "string.match('a]', '[a-]]')",
    "string.match('b', '[%a-]')",
    "string.match('.', '[.]')",
    "string.match('x', '[.]')",
    "string.match('x', '[%x]')",
    "string.match('g', '[%x]')",
    "string.match('ab', '[ab]*$')",
    "string.match('ab', '[ab]-$')",
    "string.match('', '[^a]')",
    "string.match('x', '[%z]')",
    /* classes and escapes */
    "string.match('a.b', '%.')",
    "string.match('a%b', '%%')",
    "string.match('a(b', '%(')",
    "string.match('a', '%a%')",
    "string.match('a', '%')",
    "string.match('aq', '%q')",
    "string.match('a1', '%1')",
    "string.match('x', '%X')",
    "string.match('1', '%X')",
    "string.match('!', '%G')",
    "string.match(' ', '%G')",
    /* pattern too complex: the nesting limit is exact */
    "string.match(string.rep('a', 300), string.rep('a?', 300))",
    "string.match(string.rep('a', 300), string.rep('a?', 199))",
    "string.match(string.rep('a', 300), string.rep('a?', 200))",
    "string.match(string.rep('a', 300), string.rep('a?', 201))",
    "string.match(string.rep('a', 300), string.rep('a*', 199))",
    "string.match(string.rep('a', 300), string.rep('a*', 200))",
    "string.match(string.rep('a', 300), string.rep('a-', 199))",
    "string.match(string.rep('a', 300), string.rep('a-', 200))",
    "string.match(string.rep('a', 300), 'a+' .. string.rep('a*', 198))",
    "string.match(string.rep('a', 300), 'a+' .. string.rep('a*', 199))",
    "string.match('aaa', string.rep('a*', 300))",
    "string.match('', string.rep('a*', 300))",
    "string.match('', string.rep('a?', 1000))",
    "string.match(string.rep('a', 300), string.rep('(a)', 31) .. "
    "string.rep('a?', 168))",
    "string.match(string.rep('a', 300), string.rep('(a)', 31) .. "
    "string.rep('a?', 169))",
    "string.match(string.rep('a', 300), string.rep('(a)', 31) .. "
    "string.rep('a?', 170))",
    "string.gsub(string.rep('a', 300), string.rep('a?', 300), 'x')",
    "string.find(string.rep('a', 300), string.rep('a?', 300))",
    "string.find(string.rep('ab', 500), string.rep('%b()', 500))",
    "string.find(string.rep('(a)', 500), string.rep('%b()', 500))",
    /* gmatch */
    "GM('hello world from Lua', '%a+')",
    "GM('k1=v1, k2=v2', '(%w+)=(%w+)')",
    "GM('abc', '')",
    "GM('abc', '', 2)",
    "GM('abc', '', 3)",
    "GM('abc', '', 4)",
    "GM('abc', '', 5)",
    "GM('abc', '', math.maxinteger)",
    "GM('abc', '', math.mininteger)",
    "GM('abc', 'a*')",
    "GM('baaac', 'a*')",
    "GM('abc', '()')",
    "GM('^a^b', '^.')",
    "GM('abc', '^a')",
    "GM('abc', '.', -1)",
    "GM('abc', '.', -10)",
    "GM('abc', '.', 0)",
    "GM('abc', '.', 2.0)",
    "GM('abc', '.', 2.5)",
    "GM('abc', '.', '2')",
    "GM('a,b,,c', '([^,]*)')",
    "GM('abc', '(a')",
    "GM('abc', '%')",
    "GM('abc', '.$')",
    "GM('a b c', '%a()')",
    "GM('aaa', 'a-')",
    "GM('aaa', 'a?')",
    "GM(12345, 3)",
    "GM()",
    "GM('x')",
    "GM('x', {})",
    "string.gmatch('a')",
    "type(string.gmatch('a', 'a'))",
    "(function() local t = {} for k, v in ('a=1, b=2'):gmatch('(%w+)=(%w+)') "
    "do t[#t + 1] = k .. v end return table.concat(t, ';') end)()",
    "(function() local it = string.gmatch('ab', '.') "
    "return it(), it(), it(), it() end)()",
    /* gsub: string replacements */
    "string.gsub('hello world', 'o', '0')",
    "string.gsub('hello world', 'o', '0', 1)",
    "string.gsub('hello', '', '-')",
    "string.gsub('hello', '', '-', 2)",
    "string.gsub('abc', '%w', '%0%0')",
    "string.gsub('abc', '%w', '%1')",
    "string.gsub('abc', '(%w)', '%1-')",
    "string.gsub('abc', '%w', '%2')",
    "string.gsub('abc', '%w', '%0%1%2')",
    "string.gsub('hello world', '(%w+)', '<%1>')",
    "string.gsub('hello world', '(%w+) (%w+)', '%2 %1')",
    "string.gsub('abc', 'b', '%%')",
    "string.gsub('abc', 'b', '%')",
    "string.gsub('abc', 'b', 'x%')",
    "string.gsub('abc', 'b', '%x')",
    "string.gsub('abc', 'x', '%x')",
    "string.gsub('abc', 'b', '%a%')",
    "string.gsub('abc', '()b', '%1')",
    "string.gsub('abc', '()b()', '%2%1%0')",
    "string.gsub('abc', 'b', 5)",
    "string.gsub('abc', 'b', 2.5)",
    "string.gsub('abc', 'b', 2^63)",
    "string.gsub('abc', '(a)(b)(c)', '%3%2%1%0%%')",
    "string.gsub('abc', '(a)(b)(c)(d?)(e?)(f?)(g?)(h?)(i?)', '%9%8%1|')",
    "string.gsub('abc', '(a', '%1')",
    "string.gsub('abc', 'a)', '%1')",
    "string.gsub('x = 1, y = 2', '(%w+) = (%w+)', '%2 = %1')",
    "string.gsub(12321, 2, 9)",
    "string.gsub('abc', 'b', 'x', '2')",
    "string.gsub('abc', 'b', 'x', 'y')",
    "string.gsub('abc', 'b', 'x', -1)",
    "string.gsub('abc', 'b', 'x', 0)",
    "string.gsub('abc', 'b', 'x', 1.0)",
    "string.gsub('abc', 'b', 'x', 1.5)",
    "string.gsub('abc', 'b', 'x', 1e308)",
    "string.gsub('abc', 'b', 'x', 2^53)",
    "string.gsub('abc', 'b', 'x', math.mininteger)",
    "string.gsub('abc', 'b', 'x', math.maxinteger)",
    "string.gsub('abc', '^a', 'x')",
    "string.gsub('aaa', '^a', 'x')",
    "string.gsub('aaa', '^a*', 'x')",
    "string.gsub('abc', '^', 'x')",
    "string.gsub('abc', '$', 'x')",
    "string.gsub('abc', '^$', 'x')",
    "string.gsub('', '', 'x')",
    "string.gsub('', '^', 'x')",
    "string.gsub('', '$', 'x')",
    "string.gsub('', 'a*', 'x')",
    "string.gsub('abc', 'a*', '-')",
    "string.gsub('baaac', 'a*', '-')",
    "string.gsub('abc', '.-', '-')",
    "string.gsub('abc', '.*', '-')",
    "string.gsub('abc', '.?', '-')",
    "string.gsub('a,b,,c', ',*', ';')",
    "string.gsub('a,b,,c', '[^,]*', '<%0>')",
    "string.gsub('abc', '(', 'x')",
    "string.gsub('abc', '[', 'x')",
    "string.gsub('abc', '%', 'x')",
    "string.gsub('abc', '%f[%w]', '^')",
    "string.gsub(string.rep('a', 10000), 'a', 'b')",
    "#string.gsub(string.rep('ab', 5000), 'b', '%0%0')",
    "string.gsub('^a^', '^^', '!')",
    /* gsub: table and function replacements */
    "string.gsub('abc', 'b', {b = 'B'})",
    "string.gsub('abc', 'b', {b = false})",
    "string.gsub('abc', 'b', {})",
    "string.gsub('abc', 'b', {b = {}})",
    "string.gsub('abc', 'b', {b = true})",
    "string.gsub('abc', 'b', {b = 12})",
    "string.gsub('abc', 'b', {b = 1.25})",
    "string.gsub('abc', '(b)(c)', {b = 'X'})",
    "string.gsub('abc', '()b', {[2] = 'pos'})",
    "string.gsub('abc', '()b', {['2'] = 'str'})",
    "string.gsub('abc', '.', {a = 1, b = 2.5})",
    "string.gsub('abc', '%w', setmetatable({}, {__index = function(t, k) "
    "return k:upper() end}))",
    "string.gsub('abc', '%w', function(c) return c:upper() end)",
    "string.gsub('abc', '%w', function() end)",
    "string.gsub('abc', '%w', function() return false end)",
    "string.gsub('abc', '%w', function() return nil, 'x' end)",
    "string.gsub('abc', '%w', function() return true end)",
    "string.gsub('abc', '%w', function() return print end)",
    "string.gsub('abc', '(%w)()', function(a, b) return a .. b end)",
    "string.gsub('abc', '', function(...) return select('#', ...) end)",
    "string.gsub('abc', '()', function(p) return p end)",
    "string.gsub('abc', 'b', function() error('boom') end)",
    "string.gsub('abc', 'b', function() error({}) end)",
    "string.gsub('abc', 'b', function() error('boom', 0) end)",
    "string.gsub('hello world', 'l+', function(m) return #m end)",
    "string.gsub('abc', 'b', function() return 1.5 end)",
    "string.gsub('abc', '(b', function() return 'x' end)",
    "string.gsub('abc', 'b', string.upper)",
    "string.gsub('abc', '%w', string.rep)",
    "string.gsub('a b', '%w', function(c) return string.gsub(c, '.', '%0%0') "
    "end)",
    /* gsub: argument errors, in Lua's order */
    "string.gsub('abc', 'b', true)",
    "string.gsub('abc', 'b')",
    "string.gsub('abc', 'b', nil)",
    "string.gsub('abc', 'b', nil, 1)",
    "string.gsub('abc', 'b', true, 'x')",
    "string.gsub('abc', 'b', io.stdout)",
    "string.gsub('abc', 'b', coroutine.create(print))",
    "string.gsub('abc')",
    "string.gsub()",
    "string.gsub({}, 'b', 'x')",
    "string.gsub('abc', {}, 'x')",
    "('abc'):gsub('b', 'x')",
    "('abc'):gsub()",
    "('abc'):match()",
    "('abc'):find({})",
    "pcall(string.gsub)",
    "select(2, pcall(string.find, 'x', '%'))",
    "select(2, pcall(string.gsub, 'x', 'x', true))",
};

Test(differential, handwritten_expressions) {
  lua_State *ours = new_state(true), *stock = new_state(false);
  tally t = {0, 0, 0};
  for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++)
    diff_expr(&t, ours, stock, exprs[i]);
  report("expressions", &t);
  lua_close(ours);
  lua_close(stock);
}

/* Every class letter (and its complement) over all 256 bytes. */
Test(differential, classes_over_all_bytes) {
  lua_State *ours = new_state(true), *stock = new_state(false);
  tally t = {0, 0, 0};
  const char *letters = "acdglpsuwxzACDGLPSUWXZbefhijkmnoqrtvyBEF.%";
  char expr[256];
  for (const char *c = letters; *c; c++) {
    static const char *const around[][2] = {
        {"string.gsub(ALL, '%", "', '')"},
        {"string.gsub(ALL, '[%", "]', '')"},
        {"string.gsub(ALL, '[^%", "]+', '')"},
        {"string.gsub(ALL, '%f[%", "]', '|')"},
    };
    for (size_t f = 0; f < sizeof around / sizeof around[0]; f++) {
      snprintf(expr, sizeof expr, "%s%c%s", around[f][0], *c, around[f][1]);
      char full[400];
      snprintf(full, sizeof full,
               "(function() local b = {} for i = 0, 255 do b[#b + 1] = "
               "string.char(i) end local ALL = table.concat(b) "
               "return %s end)()", expr);
      diff_expr(&t, ours, stock, full);
    }
  }
  report("classes", &t);
  lua_close(ours);
  lua_close(stock);
}

/* ---- cross product: patterns x subjects x operations ------------------ */

static const char *const xpats[] = {
    "", "a", "ab", "b+", "a*", "a-", "a?", ".", ".-", ".*", "^a", "^a*",
    "^", "$", "^$", "a$", "()", "(a)", "(a*)", "(a)(b)", "((a)b)", "(.)%1",
    "%a+", "%d+", "%s", "%w*", "%p", "[ab]+", "[^ab]+", "[a-c]", "[]]",
    "[^]]", "[%d_]+", "%b()", "%bab", "%f[%w]", "%f[%W]", "%f[ab]a",
    "(%w+)=(%w*)", "%((.-)%)", "(%b())", "()a()", "a.b", "%.", "%%",
    "x", "[a-]", "[-]", "^(a-)b", "(ab)*", "a+b?", "[%a%d]-%d", "((.))",
    "%", "[a", "(", ")", "%1", "(a%1)", "%0", "%b", "%f", "%fa",
    "^%s*(.-)%s*$", "[%]]", "[%^]", "^^", "$$", "a^", "(()", "%z",
};

static const char *const xsubjects[] = {
    "", "a", "ab", "aab", "ba", "abab", "a=b", "(ab)", "((a)b", " a1 b2 ",
    "x]y^", "a-b.c%d", "k1=v1,k2=", "\tab\n",
};

static const char *const xrepls[] = {"<%0>", "%1%1", "-", "%2", "%%", "%"};

Test(differential, cross_product) {
  lua_State *ours = new_state(true), *stock = new_state(false);
  tally t = {0, 0, 0};
  static const lua_Integer inits[] = {1, 2, -1, 0, 10};
  size_t np = sizeof xpats / sizeof xpats[0];
  size_t ns = sizeof xsubjects / sizeof xsubjects[0];
  for (size_t i = 0; i < np; i++) {
    for (size_t j = 0; j < ns; j++) {
      for (int op = 1; op <= 7; op++) {
        for (size_t k = 0; k < 6; k++) {
          opcase c = {op, xsubjects[j], xpats[i], NULL,
                      strlen(xsubjects[j]), strlen(xpats[i]), k < 5, 0};
          if (k < 5) c.init = op >= 5 ? (lua_Integer)k - 1 : inits[k];
          if (op == 5) c.repl = xrepls[k];
          diff_op(&t, ours, stock, &c, HUGE_BUDGET);
        }
      }
    }
  }
  report("cross product", &t);
  lua_close(ours);
  lua_close(stock);
}

/* ---- random patterns and subjects (fixed seed) ------------------------ */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static unsigned rnd(unsigned n) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (unsigned)(rng_state % n);
}

static const char *pick(const char *const *list, size_t n) {
  return list[rnd((unsigned)n)];
}

#define PICK(list) pick(list, sizeof list / sizeof list[0])

static const char *const r_classes[] = {
    ".", "%a", "%d", "%s", "%w", "%p", "%l", "%u", "%x", "%c", "%g", "%A",
    "%D", "%S", "%W", "%P", "%.", "%%", "%(", "%z", "%]", "%-",
};
static const char *const r_sets[] = {
    "[ab]", "[^a]", "[a-c]", "[%d_]", "[]a]", "[^]]", "[a-]", "[%a-z]",
    "[-a]", "[()]", "[^%s]", "[%]]", "[a-%]]", "[.%-]",
};
static const char *const r_specials[] = {
    "%b()", "%bab", "%f[%w]", "%f[ab]", "%f[%z]", "%f[^a]", "(", "(", ")",
    ")", "()", "%1", "%2", "%0", "%", "[", "]", "%b", "%f", "$", "^",
};
static const char *const r_quant[] = {"*", "+", "-", "?"};

/* Appends a random pattern of a few items to buf (at most 4 quantifiers,
** so backtracking stays small on short subjects). */
static size_t random_pattern(char *buf, size_t cap) {
  size_t n = 0;
  int quants = 0;
#define PUT(str) do { const char *s_ = (str); size_t l_ = strlen(s_); \
    if (n + l_ < cap) { memcpy(buf + n, s_, l_); n += l_; } } while (0)
  if (rnd(6) == 0) PUT("^");
  unsigned items = rnd(7);
  for (unsigned i = 0; i < items; i++) {
    unsigned k = rnd(20);
    if (k < 7) {
      char lit[2] = {"aab()1 =_.-x"[rnd(12)], 0};
      if (strchr("().-", lit[0]) && rnd(2)) PUT("%");
      PUT(lit);
    } else if (k < 11) {
      PUT(PICK(r_classes));
    } else if (k < 14) {
      PUT(PICK(r_sets));
    } else {
      PUT(PICK(r_specials));
      continue;
    }
    if (quants < 4 && rnd(3) == 0) {
      PUT(PICK(r_quant));
      quants++;
    }
  }
  if (rnd(6) == 0) PUT("$");
#undef PUT
  buf[n] = '\0';
  return n;
}

static size_t random_subject(char *buf, size_t cap) {
  static const char alphabet[] = "aab()1 =_.-x]^%";
  size_t n = rnd(4) == 0 ? rnd(48) : rnd(17);
  if (n >= cap) n = cap - 1;
  for (size_t i = 0; i < n; i++) {
    unsigned r = rnd(40);
    buf[i] = r == 0 ? '\0' : r == 1 ? '\xC8' : alphabet[r % (sizeof alphabet - 1)];
  }
  buf[n] = '\0';
  return n;
}

static const char *const r_repls[] = {
    "x", "%0", "%1", "%2", "%%", "%", "%a", "<%1|%2>", "", "%0%0", "()",
};

Test(differential, random_cases, .timeout = 120) {
  lua_State *ours = new_state(true), *stock = new_state(false);
  tally t = {0, 0, 0};
  char pat[128], subj[48];
  for (int i = 0; i < 40000; i++) {
    opcase c = {0};
    c.lp = random_pattern(pat, sizeof pat);
    c.ls = random_subject(subj, sizeof subj);
    c.p = pat;
    c.s = subj;
    c.op = 1 + (int)rnd(7);
    c.has_init = rnd(2);
    c.init = (lua_Integer)rnd(41) - 20;
    if (c.op >= 5) c.init = (lua_Integer)rnd(5) - 1;
    if (c.op == 5) c.repl = PICK(r_repls);
    diff_op(&t, ours, stock, &c, 5000000);
  }
  report("random", &t);
  cr_expect_lt(t.skipped, 100, "too many random cases skipped: %d", t.skipped);
  lua_close(ours);
  lua_close(stock);
}

/* ---- the meter -------------------------------------------------------- */

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs `code` (a chunk) on our side under `limit`; returns whether it
** succeeded, with the units used in *used and the time in *secs. */
static bool run_metered(lua_State *L, const char *code, int64_t limit,
                        int64_t *used, double *secs) {
  if (luaL_loadstring(L, code) != LUA_OK)
    cr_assert_fail("does not compile: %s", lua_tostring(L, -1));
  budget = limit;
  double t0 = now();
  int rc = lua_pcall(L, 0, 0, 0);
  *secs = now() - t0;
  *used = limit - budget;
  if (rc != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    cr_log_info("%s -> %s", code, msg ? msg : "?");
    lua_pop(L, 1);
  }
  return rc == LUA_OK;
}

/* Must be stopped by the meter: exhausted() called once. The time is
** printed for the record only: the meter's bound is in units, and the
** test's .timeout catches a meter that never fires. */
static void expect_stopped(lua_State *L, const char *code) {
  int64_t used;
  double secs;
  exhausted_calls = 0;
  bool ok = run_metered(L, code, 10000000, &used, &secs);
  cr_expect_not(ok, "not stopped: %s", code);
  cr_expect_eq(exhausted_calls, 1, "%s: exhausted %d times", code,
               exhausted_calls);
  fprintf(stderr, "budget 10M stopped in %.3f s: %s\n", secs, code);
}

Test(budget, catastrophic_pattern_is_stopped, .timeout = 5) {
  lua_State *L = new_state(true);
  expect_stopped(L, "string.find(string.rep('a', 400), "
                    "string.rep('a*', 30) .. 'b')");
  lua_close(L);
}

Test(budget, quadratic_shapes_are_charged, .timeout = 20) {
  lua_State *L = new_state(true);
  static const char *const codes[] = {
      /* plain search with a long near-miss needle */
      "string.find(string.rep('a', 1 << 20), string.rep('a', 1 << 19) .. "
      "'b', 1, true)",
      /* a pattern without specials takes the plain path too */
      "string.find(string.rep('a', 1 << 20), string.rep('a', 1 << 19) .. "
      "'b')",
      /* %b rescans from every start */
      "string.find(string.rep('(', 1 << 17), '%b()')",
      /* back-references compare long captures */
      "string.find(string.rep('a', 1 << 16), '(a*)%1b')",
      /* a long set is scanned at every position */
      "string.find(string.rep('z', 1 << 16), '[' .. string.rep('a', 1 << 16)"
      " .. ']')",
      /* replacement escapes that produce nothing */
      "string.gsub(string.rep('y', 20000), '(x*)', string.rep('%1', 20000))",
      /* gmatch and gsub with catastrophic items */
      "for _ in string.gmatch(string.rep('a', 200), string.rep('a*', 20) .. "
      "'b') do end",
      "string.gsub(string.rep('a', 200), string.rep('a-', 20) .. 'b', 'x')",
      "string.match(string.rep('a', 200), string.rep('(a*)', 20) .. 'b')",
  };
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
    expect_stopped(L, codes[i]);
  lua_close(L);
}

Test(budget, exhausted_called_even_when_budget_starts_spent) {
  lua_State *L = new_state(true);
  int64_t used;
  double secs;
  exhausted_calls = 0;
  cr_expect_not(run_metered(L, "string.match('a', 'a')", 0, &used, &secs));
  cr_expect_eq(exhausted_calls, 1);
  exhausted_calls = 0;
  cr_expect_not(run_metered(L, "string.find('abc', 'b', 1, true)", 1, &used,
                            &secs));
  cr_expect_eq(exhausted_calls, 1);
  lua_close(L);
}

/* Linear work on a 1 MiB subject fits a few million units. */
Test(budget, linear_work_on_a_megabyte, .timeout = 20) {
  lua_State *L = new_state(true);
  static const char *const codes[] = {
      "assert(string.find(BIG, 'x%d') == (1 << 20) - 1)",
      "assert(string.find(BIG, 'x1', 1, true) == (1 << 20) - 1)",
      "assert(string.find(BIG, 'x1') == (1 << 20) - 1)",
      "assert(#string.match(BIG, '^.*$') == 1 << 20)",
      "assert(string.match(BIG, '(%w+)$') == 'x1')",
      "local n = 0 for w in string.gmatch(BIG, '%a+') do n = n + 1 end "
      "assert(n > 100000)",
      "local s, n = string.gsub(BIG, '%s+', '_') assert(n > 100000)",
      "local s, n = string.gsub(BIG, 'cd', 'CD') assert(n > 100000)",
      "assert(string.find(BIG, '%f[%d]') == (1 << 20))",
  };
  exhausted_calls = 0;
  cr_assert(!luaL_dostring(L, "BIG = string.rep('ab cd ', ((1 << 20) - 2) // 6) "
                   "BIG = BIG .. string.rep('-', (1 << 20) - 2 - #BIG) .. "
                   "'x1' assert(#BIG == 1 << 20)"));
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    int64_t used;
    double secs;
    bool ok = run_metered(L, codes[i], 6000000, &used, &secs);
    cr_expect(ok, "did not complete within 6M units: %s", codes[i]);
    fprintf(stderr, "1 MiB: %8lld units, %.4f s: %s\n", (long long)used,
            secs, codes[i]);
  }
  cr_expect_eq(exhausted_calls, 0);
  lua_close(L);
}

/* Cost grows with the work: twice the subject, about twice the units. */
Test(budget, cost_is_proportional) {
  lua_State *L = new_state(true);
  int64_t u1, u2;
  double secs;
  cr_assert(run_metered(L, "string.find(string.rep('a', 100000), '[b]')",
                        HUGE_BUDGET, &u1, &secs));
  cr_assert(run_metered(L, "string.find(string.rep('a', 200000), '[b]')",
                        HUGE_BUDGET, &u2, &secs));
  cr_expect_gt(u1, 100000);
  cr_expect(u2 > u1 * 19 / 10 && u2 < u1 * 21 / 10, "%lld vs %lld",
            (long long)u1, (long long)u2);
  lua_close(L);
}

/* Deeply nested patterns fail with Lua's errors, never a crash. */
Test(budget, deep_patterns_are_rejected) {
  lua_State *L = new_state(true);
  static const char *const cases[][2] = {
      {"string.match(string.rep('a', 5000), string.rep('a?', 5000))",
       "pattern too complex"},
      {"string.match(string.rep('a', 5000), string.rep('a-', 5000))",
       "pattern too complex"},
      {"string.find(string.rep('a', 5000), string.rep('(a?)', 5000))",
       "too many captures"},
      {"string.match('a', string.rep('(', 100) .. 'a' .. "
       "string.rep(')', 100))", "too many captures"},
      {"string.gsub(string.rep('a', 1000), string.rep('a-', 1000) .. '$', "
       "'')", "pattern too complex"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    budget = HUGE_BUDGET;
    char *out = eval(L, cases[i][0]);
    cr_expect(strstr(out, cases[i][1]) != NULL, "%s -> %s", cases[i][0],
              out);
    free(out);
  }
  lua_close(L);
}

/* The matcher's speed, for choosing budgets: units per second while
** backtracking through a catastrophic pattern. */
Test(budget, steps_per_second, .timeout = 30) {
  lua_State *L = new_state(true);
  int64_t used;
  double secs;
  run_metered(L, "string.find(string.rep('a', 400), "
                 "string.rep('a*', 30) .. 'b')", 100000000, &used, &secs);
  fprintf(stderr, "matcher rate: %.1f million units/s (%lld units in "
                  "%.3f s)\n", (double)used / secs / 1e6, (long long)used,
          secs);
  cr_expect_geq(used, 100000000);
  lua_close(L);
}

/* What a failing attempt costs, whether the matcher makes it or skips it
** (a first item that must match once lets it skip such start positions):
** one unit for the attempt, one for the item, and for a set its length
** / 16 twice (found to its ']' and scanned). find also pays 1 + the
** pattern's length / 32 for its look for specials; the attempt at the
** subject's end costs the attempt, the item and the scan to the ']'. */
Test(budget, failing_attempts_cost_a_fixed_amount) {
  lua_State *L = new_state(true);
  static const struct {
    const char *code;
    int64_t units;
  } cases[] = {
      {"string.find(string.rep('a', 1000), '[b]')", 1 + 1000 * 2 + 2},
      {"string.find(string.rep('a', 1000), '[' .. string.rep('c', 38) .. 'b]')",
       2 + 1000 * (2 + 2 * 2) + 2 + 2},
      {"string.find(string.rep('a', 1000), '%d+x')", 1 + 1000 * 2 + 2},
      {"string.gsub(string.rep('a', 1000), 'b', 'x')", 1000 * 2 + 2},
      {"for _ in string.gmatch(string.rep('a', 1000), '[%d_]') do end", 1000 * 2 + 2},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int64_t used;
    double secs;
    cr_assert(run_metered(L, cases[i].code, HUGE_BUDGET, &used, &secs));
    cr_expect_eq(used, cases[i].units, "%s: %lld units, not %lld", cases[i].code,
                 (long long)used, (long long)cases[i].units);
  }
  lua_close(L);
}
