/*
** undefined.c: globals a chunk reads that nothing defines (see sandbox.h:
** eng_sb_check_globals).
**
** A misspelt global (`dat.org`, `if imgae then`, `string.lenn` is a field
** and not this) reads nil at run time, and a rule that reads nil where it
** meant a setting checks nothing, silently. Every read of a global is an
** instruction GETTABUP on the chunk's _ENV with a constant name, and every
** write a SETTABUP; so a read of a name that no function of the chunk
** writes, that the environment does not hold and that the base does not
** define can only be a mistake, known before the chunk ever runs.
**
** Read from the chunk's binary form with its debug information (lua_dump,
** not stripped), per the Lua 5.4 format, as bytecode.c does: header, then
** each function's source, lines, code, constants, upvalue descriptors,
** nested functions, line information, locals and upvalue names. An
** upvalue is the chunk's _ENV when it is the main function's first one
** or a copy of an enclosing function's _ENV (a `local _ENV` is another
** table: its reads are not judged). Two passes: the first collects every
** written name into a table, the second judges the reads in order, so the
** first unknown one is reported, with its line. Anything unexpected in
** the dump ends the check with nothing to say (the run-time nil stays).
*/
#include "sandbox_int.h"

#include <string.h>

#include <lauxlib.h>

#include "../core/editdist.h"

enum { OP_GETTABUP = 11, OP_SETTABUP = 15 };
#define OPCODE(i) ((i) & 0x7Fu)
#define ARG_A(i) (((i) >> 7) & 0xFFu)
#define ARG_B(i) (((i) >> 16) & 0xFFu)
#define ARG_C(i) (((i) >> 24) & 0xFFu)
#define ABSLINEINFO (-0x80)

enum {
  TAG_NIL = 0, TAG_FALSE = 1, TAG_TRUE = 17, TAG_INT = 3, TAG_FLOAT = 19,
  TAG_SHORT_STR = 4, TAG_LONG_STR = 20
};

typedef struct kstr {
  const char *s; /* NULL: not a string */
  size_t len;
} kstr;

typedef struct scan {
  lua_State *L;
  const unsigned char *p, *end;
  bool bad;
  int pass;         /* 1: collect writes; 2: judge reads */
  int written;      /* stack index: set of written names */
  int env;          /* stack index: the chunk's environment */
  const char *origin;
} scan;

static unsigned char byte(scan *s) {
  if (s->p >= s->end) {
    s->bad = true;
    return 0;
  }
  return *s->p++;
}

static void skip(scan *s, size_t n) {
  if ((size_t)(s->end - s->p) < n) {
    s->bad = true;
    s->p = s->end;
  } else {
    s->p += n;
  }
}

static size_t varint(scan *s) {
  size_t x = 0;
  for (int i = 0; i < 10 && !s->bad; i++) {
    unsigned char b = byte(s);
    x = (x << 7) | (b & 0x7Fu);
    if (b & 0x80u) return x;
  }
  s->bad = true;
  return 0;
}

/* A dumped string: its bytes in place (NULL for a null string). */
static kstr string(scan *s) {
  size_t n = varint(s);
  kstr k = {NULL, 0};
  if (n == 0 || s->bad) return k;
  k.s = (const char *)s->p;
  k.len = n - 1;
  skip(s, n - 1);
  if (s->bad) k.s = NULL;
  return k;
}

/* Room for n items of `size` bytes, owned by the Lua state (so a raise
** leaks nothing); n is bounded by the dump's remaining bytes first. */
static void *items(scan *s, size_t n, size_t size) {
  if (n > (size_t)(s->end - s->p)) {
    s->bad = true;
    return NULL;
  }
  return lua_newuserdatauv(s->L, n ? n * size : 1, 0);
}

static bool known(scan *s, const kstr *k) {
  lua_State *L = s->L;
  lua_pushlstring(L, k->s, k->len);
  bool yes = lua_rawget(L, s->written) != LUA_TNIL;
  if (!yes) {
    lua_pushlstring(L, k->s, k->len);
    yes = lua_rawget(L, s->env) != LUA_TNIL;
    lua_pop(L, 1);
  }
  if (!yes) {
    eng_sb_push_base(L);
    lua_pushlstring(L, k->s, k->len);
    yes = lua_rawget(L, -2) != LUA_TNIL;
    lua_pop(L, 2);
  }
  lua_pop(L, 1);
  return yes;
}

typedef struct nearest {
  const char *key;
  size_t key_len, d;
  kstr best;
} nearest;

static void consider(nearest *n, const char *c, size_t len) {
  if (c == NULL || len == 0 || (len == n->key_len && memcmp(c, n->key, len) == 0)) return;
  if (len >= 2 && c[0] == '(') return; /* "(for state)" and other internal locals */
  size_t d = pol_edit_distance(n->key, n->key_len, c, len);
  size_t longer = len > n->key_len ? len : n->key_len;
  if (d < n->d && 2 * d <= longer) {
    n->d = d;
    n->best = (kstr){c, len};
  }
}

/* The string keys of the table at t. */
static void consider_keys(nearest *n, lua_State *L, int t) {
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING) {
      size_t len;
      const char *c = lua_tolstring(L, -1, &len);
      consider(n, c, len);
    }
  }
}

/* Raises "ORIGIN:LINE: ...", suggesting the closest name among the
** globals and the function's locals and upvalues. */
static int unknown(scan *s, const kstr *k, long line, const kstr *locals, size_t nlocals,
                   const kstr *upnames, size_t nupnames) {
  lua_State *L = s->L;
  nearest n = {k->s, k->len, SIZE_MAX, {NULL, 0}};
  if (k->len <= POL_EDIT_MAX) {
    for (size_t i = 0; i < nlocals; i++) consider(&n, locals[i].s, locals[i].len);
    for (size_t i = 0; i < nupnames; i++) consider(&n, upnames[i].s, upnames[i].len);
    consider_keys(&n, L, s->written);
    consider_keys(&n, L, s->env);
    eng_sb_push_base(L);
    consider_keys(&n, L, lua_gettop(L));
    lua_pop(L, 1);
  }
  lua_pushfstring(L, "%s:%d: the global '", s->origin, (int)line);
  lua_pushlstring(L, k->s, k->len);
  lua_pushliteral(L, "' is defined nowhere (it would read nil)");
  if (n.best.s) {
    lua_pushliteral(L, "; did you mean '");
    lua_pushlstring(L, n.best.s, n.best.len);
    lua_pushliteral(L, "'?");
    lua_concat(L, 6);
  } else {
    lua_concat(L, 3);
  }
  return lua_error(L);
}

static void function(scan *s, const bool *parent_env, size_t parent_nup, int depth) {
  lua_State *L = s->L;
  if (depth > 200) { s->bad = true; return; }
  luaL_checkstack(L, 8, NULL);
  int top = lua_gettop(L);
  string(s);                        /* source */
  long line = (long)varint(s);      /* linedefined */
  varint(s);                        /* lastlinedefined */
  skip(s, 3);                       /* numparams, is_vararg, maxstacksize */
  size_t ncode = varint(s);
  if (ncode > (size_t)(s->end - s->p) / 4) { s->bad = true; return; }
  const unsigned char *code = s->p;
  skip(s, 4 * ncode);
  eng_sb_charge(L, (int64_t)ncode);
  size_t nk = varint(s);
  kstr *k = items(s, nk, sizeof *k);
  for (size_t i = 0; i < nk && !s->bad; i++) {
    k[i] = (kstr){NULL, 0};
    switch (byte(s)) {
    case TAG_NIL: case TAG_FALSE: case TAG_TRUE: break;
    case TAG_INT: case TAG_FLOAT: skip(s, 8); break;
    case TAG_SHORT_STR: case TAG_LONG_STR: k[i] = string(s); break;
    default: s->bad = true;
    }
  }
  size_t nup = s->bad ? 0 : varint(s);
  bool *env = s->bad ? NULL : items(s, nup, sizeof *env);
  for (size_t i = 0; i < nup && !s->bad; i++) {
    unsigned char instack = byte(s), idx = byte(s);
    byte(s); /* kind */
    env[i] = parent_env == NULL ? i == 0 : !instack && idx < parent_nup && parent_env[idx];
  }
  size_t np = s->bad ? 0 : varint(s);
  for (size_t i = 0; i < np && !s->bad; i++) function(s, env, nup, depth + 1);
  size_t nline = s->bad ? 0 : varint(s);
  const unsigned char *lineinfo = s->p;
  skip(s, nline);
  size_t nabs = s->bad ? 0 : varint(s);
  scan abs = *s;                    /* read in step with the code below */
  for (size_t i = 0; i < nabs && !s->bad; i++) { varint(s); varint(s); }
  size_t nloc = s->bad ? 0 : varint(s);
  kstr *locals = s->bad ? NULL : items(s, nloc, sizeof *locals);
  for (size_t i = 0; i < nloc && !s->bad; i++) {
    locals[i] = string(s);
    varint(s); /* startpc */
    varint(s); /* endpc */
  }
  size_t nupn = s->bad ? 0 : varint(s);
  kstr *upnames = s->bad ? NULL : items(s, nupn, sizeof *upnames);
  for (size_t i = 0; i < nupn && !s->bad; i++) upnames[i] = string(s);
  if (s->bad) return;
  for (size_t pc = 0; pc < ncode; pc++) {
    if (pc < nline) {
      int delta = (signed char)lineinfo[pc];
      if (delta == ABSLINEINFO) {
        varint(&abs);
        line = (long)varint(&abs);
      } else {
        line += delta;
      }
    }
    uint32_t ins;
    memcpy(&ins, code + 4 * pc, 4);
    unsigned op = OPCODE(ins);
    if (s->pass == 1 && op == OP_SETTABUP) {
      unsigned up = ARG_A(ins), key = ARG_B(ins);
      if (up < nup && env[up] && key < nk && k[key].s) {
        lua_pushlstring(L, k[key].s, k[key].len);
        lua_pushboolean(L, 1);
        lua_rawset(L, s->written);
      }
    } else if (s->pass == 2 && op == OP_GETTABUP) {
      unsigned up = ARG_B(ins), key = ARG_C(ins);
      if (up < nup && env[up] && key < nk && k[key].s && !known(s, &k[key]))
        unknown(s, &k[key], line, locals, nloc, upnames, nupn);
    }
  }
  if (abs.bad) s->bad = true;
  lua_settop(L, top);
}

/* As string.dump does: the buffer starts above the function lua_dump
** reads, at the first write, and stays on top while it grows. */
typedef struct dumping {
  bool started;
  luaL_Buffer b;
} dumping;

static int dump_writer(lua_State *L, const void *p, size_t n, void *ud) {
  dumping *d = ud;
  if (!d->started) {
    luaL_buffinit(L, &d->b);
    d->started = true;
  }
  luaL_addlstring(&d->b, p, n);
  return 0;
}

int eng_sb_check_globals(lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  luaL_checktype(L, 2, LUA_TTABLE);
  const char *origin = luaL_checkstring(L, 3);
  lua_settop(L, 3);
  lua_pushvalue(L, 1);              /* 4: what lua_dump reads */
  dumping d;
  d.started = false;
  if (lua_dump(L, dump_writer, &d, 0) != 0 || !d.started) return 0;
  luaL_pushresult(&d.b);            /* 5: the dump */
  lua_remove(L, 4);                 /* 4: the dump */
  lua_newtable(L);                  /* 5: written names */
  size_t len;
  const unsigned char *dump = (const unsigned char *)lua_tolstring(L, 4, &len);
  static const unsigned char header[] = {
      0x1b, 'L', 'u', 'a', 0x54, 0, 0x19, 0x93, '\r', '\n', 0x1a, '\n', 4, 8, 8};
  if (len < sizeof header + 17 || memcmp(dump, header, sizeof header) != 0) return 0;
  for (int pass = 1; pass <= 2; pass++) {
    scan s = {L, dump + sizeof header + 17, dump + len, false, pass, 5, 2, origin};
    function(&s, NULL, 0, 0);
    if (s.bad || s.p != s.end) return 0; /* not the format read here: nothing to say */
  }
  return 0;
}
