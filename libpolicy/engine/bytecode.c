/*
** bytecode.c: what a compiled chunk may write after it loaded (see
** sandbox.h: eng_sb_chunk_writes).
**
** After a rule file ran once, its closures can change two kinds of state
** that outlive a run: upvalue cells (only the instruction SETUPVAL writes
** one) and tables held in upvalues, the globals table _ENV among them
** (SETTABUP; other table writes go through tables, which freeze.c makes
** read-only). Knowing that no function of the chunk but its main one (which
** ran at load and never runs again) holds either instruction lets the
** engine skip restoring cells and making a fresh globals table per run.
**
** The answer comes from the chunk's own binary form (lua_dump, stripped),
** read per the Lua 5.4 format: header, then each function's code,
** constants, upvalue descriptors, nested functions and (empty) debug
** information. Anything unexpected (another format, a short read) answers
** "may write both", which is always safe.
*/
#include "bytecode.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../core/buf.h"

#include <lauxlib.h>

/* Lua 5.4 opcodes (lopcodes.h; the order is fixed for the 5.4 format). */
enum { OP_SETUPVAL = 10, OP_SETTABUP = 15 };
#define OPCODE(i) ((i) & 0x7Fu)

/* Constant tags of the dump format (lobject.h: type | variant << 4). */
enum {
  TAG_NIL = 0, TAG_FALSE = 1, TAG_TRUE = 17, TAG_INT = 3, TAG_FLOAT = 19,
  TAG_SHORT_STR = 4, TAG_LONG_STR = 20
};

typedef struct reader {
  const unsigned char *p, *end;
  bool bad;
  unsigned writes; /* ENG_SB_WRITES_* bits found so far */
} reader;

static unsigned char byte(reader *r) {
  if (r->p >= r->end) {
    r->bad = true;
    return 0;
  }
  return *r->p++;
}

static void skip(reader *r, size_t n) {
  if ((size_t)(r->end - r->p) < n) {
    r->bad = true;
    r->p = r->end;
  } else {
    r->p += n;
  }
}

/* The format's unsigned integers: 7 bits a byte, most significant first,
** the last byte marked with 0x80. */
static size_t varint(reader *r) {
  size_t x = 0;
  for (int i = 0; i < 10 && !r->bad; i++) {
    unsigned char b = byte(r);
    x = (x << 7) | (b & 0x7Fu);
    if (b & 0x80u) return x;
  }
  r->bad = true;
  return 0;
}

static void skip_string(reader *r) {
  size_t n = varint(r);
  if (n > 0) skip(r, n - 1);
}

static void function(reader *r, bool main, int depth) {
  if (depth > 200) { r->bad = true; return; }
  skip_string(r);           /* source */
  varint(r);                /* linedefined */
  varint(r);                /* lastlinedefined */
  skip(r, 3);               /* numparams, is_vararg, maxstacksize */
  size_t ncode = varint(r);
  if (ncode > (size_t)(r->end - r->p) / 4) { r->bad = true; return; }
  for (size_t i = 0; i < ncode; i++) {
    uint32_t ins;
    memcpy(&ins, r->p + 4 * i, 4);
    if (main) continue;
    if (OPCODE(ins) == OP_SETUPVAL) r->writes |= ENG_SB_WRITES_UPVALUES;
    if (OPCODE(ins) == OP_SETTABUP) r->writes |= ENG_SB_WRITES_GLOBALS;
  }
  skip(r, 4 * ncode);
  size_t nk = varint(r);
  for (size_t i = 0; i < nk && !r->bad; i++) {
    switch (byte(r)) {
    case TAG_NIL: case TAG_FALSE: case TAG_TRUE: break;
    case TAG_INT: case TAG_FLOAT: skip(r, 8); break;
    case TAG_SHORT_STR: case TAG_LONG_STR: skip_string(r); break;
    default: r->bad = true;
    }
  }
  skip(r, 3 * varint(r));   /* upvalues: instack, idx, kind */
  size_t np = varint(r);
  for (size_t i = 0; i < np && !r->bad; i++) function(r, false, depth + 1);
  skip(r, varint(r));       /* lineinfo */
  size_t nabs = varint(r);  /* abslineinfo: pc, line */
  for (size_t i = 0; i < nabs && !r->bad; i++) { varint(r); varint(r); }
  size_t nloc = varint(r);  /* locvars: name, startpc, endpc */
  for (size_t i = 0; i < nloc && !r->bad; i++) { skip_string(r); varint(r); varint(r); }
  size_t nup = varint(r);   /* upvalue names */
  for (size_t i = 0; i < nup && !r->bad; i++) skip_string(r);
}

static int collect(lua_State *L, const void *p, size_t n, void *ud) {
  (void)L;
  return pol_buf_append(ud, p, n), ((pol_buf *)ud)->oom;
}

unsigned eng_sb_chunk_writes(lua_State *L, int fn) {
  const unsigned all = ENG_SB_WRITES_UPVALUES | ENG_SB_WRITES_GLOBALS;
  pol_buf b = POL_BUF_INIT;
  lua_pushvalue(L, fn);
  int rc = lua_dump(L, collect, &b, 1);
  lua_pop(L, 1);
  if (rc != 0 || b.oom) {
    pol_buf_free(&b);
    return all;
  }
  static const unsigned char header[] = {
      0x1b, 'L', 'u', 'a', 0x54, 0, 0x19, 0x93, '\r', '\n', 0x1a, '\n', 4, 8, 8};
  reader r = {(const unsigned char *)b.data, (const unsigned char *)b.data + b.len, false, 0};
  if (b.len < sizeof header + 16 || memcmp(b.data, header, sizeof header) != 0) {
    pol_buf_free(&b);
    return all;
  }
  skip(&r, sizeof header + 16 + 1); /* LUAC_INT, LUAC_NUM, sizeupvalues */
  function(&r, true, 0);
  if (r.p != r.end) r.bad = true;
  pol_buf_free(&b);
  return r.bad ? all : r.writes;
}
