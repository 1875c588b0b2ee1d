/*
** modules.c: a pack's lib/ modules and its `require` (see modules.h).
**
** In a sandbox, an opened set is one C closure, `require`, kept in the
** registry under the set's address. Its upvalues are the cache (module
** name -> the module's frozen value; the closure itself under a private
** key) and the set. Nothing else refers to the cache, so scripts reach a
** module's value only through require, and never the cache.
**
** Invariant: a set is in the registry only once every one of its modules
** loaded; a failed open leaves nothing behind but garbage, so the next
** open starts afresh.
*/
#include "modules.h"

#include "sandbox_int.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"

#define CHUNKNAME_MAX 256

static char self_key;    /* in the cache: the require closure */
static char loading_key; /* a cache value: the module is loading */

bool eng_mod_valid_name(const char *name, size_t n) {
  if (n == 0 || n > ENG_MOD_MAX_NAME || (name[0] >= '0' && name[0] <= '9')) return false;
  for (size_t i = 0; i < n; i++) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_';
    if (!ok) return false;
  }
  return true;
}

eng_mod_set *eng_mod_set_new(void) { return pol_calloc(1, sizeof(eng_mod_set)); }

void eng_mod_set_free(eng_mod_set *s) {
  if (s == NULL) return;
  for (size_t i = 0; i < s->n; i++) {
    pol_free(s->mods[i].name);
    pol_free(s->mods[i].origin);
    pol_free(s->mods[i].source);
  }
  pol_free(s->mods);
  pol_free(s);
}

static const eng_module *find(const eng_mod_set *s, const char *name, size_t n) {
  size_t lo = 0, hi = s->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const char *k = s->mods[mid].name;
    int c = strncmp(k, name, n);
    if (c == 0) c = k[n] == '\0' ? 0 : 1;
    if (c == 0) return &s->mods[mid];
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

int eng_mod_set_add(eng_mod_set *s, const char *name, const char *origin,
                    const char *source, size_t len, const char *code, size_t code_len,
                    pol_buf *err) {
  size_t n = strlen(name);
  if (!eng_mod_valid_name(name, n)) {
    pol_buf_printf(err, "%s: a module's file name must be NAME.lua with NAME made of 1 to %d "
                   "letters, digits and '_' (require \"NAME\" loads it)", origin, ENG_MOD_MAX_NAME);
    return -2;
  }
  if (find(s, name, n)) {
    pol_buf_printf(err, "%s: a second module named '%s'", origin, name);
    return -2;
  }
  if (s->n == ENG_MOD_MAX_MODULES) {
    pol_buf_printf(err, "%s: a pack may have at most %d modules", origin, ENG_MOD_MAX_MODULES);
    return -2;
  }
  eng_module *grown = pol_realloc(s->mods, (s->n + 1) * sizeof *grown);
  if (grown == NULL) return -1;
  s->mods = grown;
  eng_module m = {pol_strndup(name, n), pol_strndup(origin, strlen(origin)),
                  pol_strndup(source ? source : "", len), len, code, code ? code_len : 0};
  if (m.name == NULL || m.origin == NULL || m.source == NULL) {
    pol_free(m.name);
    pol_free(m.origin);
    pol_free(m.source);
    return -1;
  }
  size_t at = s->n;
  while (at > 0 && strcmp(s->mods[at - 1].name, name) > 0) {
    s->mods[at] = s->mods[at - 1];
    at--;
  }
  s->mods[at] = m;
  s->n++;
  return 0;
}

/* "@origin", keeping the end of a long origin (what Lua shows of it). */
static void chunk_name(const char *origin, char *buf, size_t size) {
  size_t n = strlen(origin);
  if (n > size - 2) origin += n - (size - 2);
  snprintf(buf, size, "@%s", origin);
}

/* Runs module m (the cache at `cache`, the name at 1) and leaves its
** frozen value on top, stored in the cache. */
static int load_module(lua_State *L, int cache, const eng_module *m) {
  eng_sandbox *sb = eng_sb_of(L);
  luaL_checkstack(L, 8, NULL);
  lua_pushvalue(L, 1);
  lua_pushlightuserdata(L, &loading_key);
  lua_rawset(L, cache);
  char chunk[CHUNKNAME_MAX];
  chunk_name(m->origin, chunk, sizeof chunk);
  /* The binary form when there is one and this Lua takes it; else the
  ** text (a failure there is the module's own). */
  if (m->code == NULL || luaL_loadbufferx(L, m->code, m->code_len, chunk, "b") != LUA_OK) {
    if (m->code) lua_pop(L, 1);
    if (luaL_loadbufferx(L, m->source, m->len, chunk, "t") != LUA_OK) return lua_error(L);
  }
  int fn = lua_gettop(L);
  unsigned writes = eng_sb_chunk_writes(L, fn);
  eng_sb_push_env(sb);                 /* fn + 1: the module's globals */
  int env = fn + 1;
  lua_pushliteral(L, "require");
  lua_rawgetp(L, cache, &self_key);
  lua_rawset(L, env);
  lua_pushcfunction(L, eng_sb_check_globals);
  lua_pushvalue(L, fn);
  lua_pushvalue(L, env);
  lua_pushlightuserdata(L, (void *)m->origin);
  lua_call(L, 3, 0);                   /* a global defined nowhere is an error */
  lua_pushvalue(L, env);
  eng_sb_set_env(sb, fn);
  lua_pushvalue(L, fn);
  lua_call(L, 0, 1);                   /* env + 1: what the module returned */
  int value = env + 1;
  if (lua_isnil(L, value))
    return luaL_error(L, "%s: a module must return its value (a table of functions, "
                      "usually), not nil", m->origin);
  lua_newtable(L);                     /* seen */
  lua_newtable(L);                     /* the cells its functions reach */
  eng_sb_freeze(L, value, value + 1, value + 2);
  eng_sb_freeze(L, env, value + 1, value + 2);
  if (writes & ENG_SB_WRITES_UPVALUES) eng_sb_keep_cells(L, value + 2);
  lua_settop(L, value);
  lua_pushvalue(L, 1);
  lua_pushvalue(L, value);
  lua_rawset(L, cache);
  return 1;
}

/* require(name): the module's value, from the cache (or loaded into it
** while the set is being opened). */
static int l_require(lua_State *L) {
  size_t n;
  const char *name = luaL_checklstring(L, 1, &n);
  lua_settop(L, 1);
  if (!eng_mod_valid_name(name, n))
    return luaL_error(L, "require: a pack's rules require the modules of its lib/ folder by "
                      "name (lib/NAME.lua: require \"NAME\"); no paths, no dots, no other modules");
  int cache = lua_upvalueindex(1);
  lua_pushvalue(L, 1);
  int type = lua_rawget(L, cache);
  if (type == LUA_TLIGHTUSERDATA && lua_touserdata(L, -1) == &loading_key)
    return luaL_error(L, "require '%s': a require cycle (the module requires itself, "
                      "directly or through other modules)", name);
  if (type != LUA_TNIL) return 1;
  lua_pop(L, 1);
  const eng_mod_set *s = lua_touserdata(L, lua_upvalueindex(2));
  const eng_module *m = find(s, name, n);
  if (m == NULL)
    return luaL_error(L, "require '%s': the pack has no lib/%s.lua (a pack's rules may "
                      "require only the modules of its own lib/ folder)", name, name);
  return load_module(L, cache, m);
}

/* (set): makes the set's require, loads every module through it, and
** keeps it in the registry. */
static int open_protected(lua_State *L) {
  const eng_mod_set *s = lua_touserdata(L, 1);
  lua_newtable(L);                     /* 2: the cache */
  lua_pushvalue(L, 2);
  lua_pushlightuserdata(L, (void *)s);
  lua_pushcclosure(L, l_require, 2);   /* 3 */
  lua_pushvalue(L, 3);
  lua_rawsetp(L, 2, &self_key);
  for (size_t i = 0; i < s->n; i++) {
    lua_pushvalue(L, 3);
    lua_pushstring(L, s->mods[i].name);
    lua_call(L, 1, 0);
  }
  lua_pushvalue(L, 3);
  lua_rawsetp(L, LUA_REGISTRYINDEX, s);
  return 0;
}

int eng_mod_open(eng_sandbox *sb, const eng_mod_set *s, pol_buf *err) {
  lua_State *L = eng_sb_state(sb);
  if (!lua_checkstack(L, 3)) {
    pol_buf_puts(err, "out of memory");
    return ENG_SB_ERR_NOMEM;
  }
  bool open = lua_rawgetp(L, LUA_REGISTRYINDEX, s) != LUA_TNIL;
  lua_pop(L, 1);
  if (open) return ENG_SB_OK;
  lua_pushcfunction(L, open_protected);
  lua_pushlightuserdata(L, (void *)s);
  eng_sb_set_trusted(sb, false);
  return eng_sb_call(sb, 1, 0, err);
}

/* (env, set): env.require = the set's require. */
static int bind_protected(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_pushliteral(L, "require");
  lua_rawgetp(L, LUA_REGISTRYINDEX, lua_touserdata(L, 2));
  lua_rawset(L, 1);
  return 0;
}

int eng_mod_bind(eng_sandbox *sb, const eng_mod_set *s, int env, pol_buf *err) {
  lua_State *L = eng_sb_state(sb);
  env = lua_absindex(L, env);
  int st = eng_mod_open(sb, s, err);
  if (st != ENG_SB_OK) return st;
  if (!lua_checkstack(L, 3)) {
    pol_buf_puts(err, "out of memory");
    return ENG_SB_ERR_NOMEM;
  }
  lua_pushcfunction(L, bind_protected);
  lua_pushvalue(L, env);
  lua_pushlightuserdata(L, (void *)s);
  return eng_sb_call(sb, 2, 0, err);
}
