/*
** coverage.c: lines run, per chunk (see coverage.h).
**
** Hits: one entry per chunk source name ("@path"), a bit per line. The
** hook compares the running chunk's source with the entry it used last
** (the common case: a rule runs line after line) before searching.
**
** Lines that hold code come from the chunk's binary form with its debug
** information (lua_dump, not stripped), read per the Lua 5.4 format as
** bytecode.c reads it: each function's instruction count, then, after its
** nested functions, its line information, from which the line of every
** instruction follows (luaG_getfuncline's walk: start at linedefined, add
** each instruction's signed byte, or jump to an absolute entry).
*/
#include "coverage.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/buf.h"

/* Rule files have at most 1 MiB, so no more lines than that. */
#define MAX_LINE (1u << 20)
#define ABSLINEINFO (-0x80)

typedef struct cov_entry {
  char *source;
  unsigned char *bits;
  size_t nbytes;
} cov_entry;

struct eng_cov {
  cov_entry *entries;
  size_t n;
  size_t last;          /* the entry of the last hit, when n > 0 */
  bool oom;
};

eng_cov *eng_cov_new(void) { return pol_calloc(1, sizeof(eng_cov)); }

void eng_cov_free(eng_cov *c) {
  if (c == NULL) return;
  for (size_t i = 0; i < c->n; i++) {
    pol_free(c->entries[i].source);
    pol_free(c->entries[i].bits);
  }
  pol_free(c->entries);
  pol_free(c);
}

bool eng_cov_complete(const eng_cov *c) { return c && !c->oom; }

static cov_entry *lookup(const eng_cov *c, const char *source) {
  for (size_t i = 0; i < c->n; i++)
    if (strcmp(c->entries[i].source, source) == 0) return &c->entries[i];
  return NULL;
}

static cov_entry *entry_for(eng_cov *c, const char *source) {
  if (c->n && strcmp(c->entries[c->last].source, source) == 0) return &c->entries[c->last];
  cov_entry *e = lookup(c, source);
  if (e == NULL) {
    cov_entry *grown = pol_realloc(c->entries, (c->n + 1) * sizeof *grown);
    char *copy = grown ? pol_strndup(source, strlen(source)) : NULL;
    if (grown) c->entries = grown;
    if (copy == NULL) return NULL;
    e = &c->entries[c->n++];
    *e = (cov_entry){copy, NULL, 0};
  }
  c->last = (size_t)(e - c->entries);
  return e;
}

void eng_cov_hit(eng_cov *c, lua_State *L, lua_Debug *ar) {
  if (c == NULL || c->oom || ar->currentline <= 0 || (unsigned)ar->currentline >= MAX_LINE)
    return;
  if (!lua_getinfo(L, "S", ar) || ar->source == NULL || strcmp(ar->what, "Lua") != 0) return;
  cov_entry *e = entry_for(c, ar->source);
  size_t line = (size_t)ar->currentline, byte = line / 8;
  if (e && byte >= e->nbytes) {
    size_t want = byte + 64;
    unsigned char *grown = pol_realloc(e->bits, want);
    if (grown == NULL) {
      e = NULL;
    } else {
      memset(grown + e->nbytes, 0, want - e->nbytes);
      e->bits = grown;
      e->nbytes = want;
    }
  }
  if (e == NULL) {
    c->oom = true;
    return;
  }
  e->bits[byte] |= (unsigned char)(1u << (line % 8));
}

static bool was_hit(const cov_entry *e, uint32_t line) {
  return e && line / 8 < e->nbytes && (e->bits[line / 8] & (1u << (line % 8)));
}

/* ---- lines that hold code ------------------------------------------- */

typedef struct reader {
  const unsigned char *p, *end;
  bool bad;
  unsigned char *code_lines; /* a byte per line: 1 holds code */
  size_t nlines;
} reader;

static unsigned char byte_of(reader *r) {
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

static size_t varint(reader *r) {
  size_t x = 0;
  for (int i = 0; i < 10 && !r->bad; i++) {
    unsigned char b = byte_of(r);
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

static void mark(reader *r, long line) {
  if (line <= 0 || (unsigned long)line >= MAX_LINE) return;
  if ((size_t)line >= r->nlines) {
    size_t want = (size_t)line + 256;
    unsigned char *grown = pol_realloc(r->code_lines, want);
    if (grown == NULL) {
      r->bad = true;
      return;
    }
    memset(grown + r->nlines, 0, want - r->nlines);
    r->code_lines = grown;
    r->nlines = want;
  }
  r->code_lines[line] = 1;
}

typedef struct abs_line {
  size_t pc;
  long line;
} abs_line;

static void function(reader *r, bool main, int depth) {
  if (depth > 200) {
    r->bad = true;
    return;
  }
  skip_string(r);                       /* source */
  long linedefined = (long)varint(r);
  varint(r);                            /* lastlinedefined */
  skip(r, 1);                           /* numparams */
  bool vararg = byte_of(r) != 0;
  skip(r, 1);                           /* maxstacksize */
  size_t ncode = varint(r);
  if (ncode > (size_t)(r->end - r->p) / 4) {
    r->bad = true;
    return;
  }
  skip(r, 4 * ncode);
  size_t nk = varint(r);
  for (size_t i = 0; i < nk && !r->bad; i++) {
    switch (byte_of(r)) {
    case 0: case 1: case 17: break;           /* nil, false, true */
    case 3: case 19: skip(r, 8); break;       /* integer, float */
    case 4: case 20: skip_string(r); break;   /* strings */
    default: r->bad = true;
    }
  }
  skip(r, 3 * varint(r));               /* upvalues */
  size_t np = varint(r);
  for (size_t i = 0; i < np && !r->bad; i++) function(r, false, depth + 1);
  size_t nline = varint(r);
  const unsigned char *lineinfo = r->p;
  skip(r, nline);
  size_t nabs = varint(r);
  if (r->bad || nabs > (size_t)(r->end - r->p) / 2) {
    r->bad = true;
    return;
  }
  abs_line *abs = nabs ? pol_calloc(nabs, sizeof *abs) : NULL;
  if (nabs && abs == NULL) {
    r->bad = true;
    return;
  }
  for (size_t i = 0; i < nabs && !r->bad; i++) {
    abs[i].pc = varint(r);
    abs[i].line = (long)varint(r);
  }
  if (!main && !r->bad && nline == ncode) {
    long line = linedefined;
    size_t k = 0;
    /* The last instruction is the return at `end`; a vararg function's
    ** first sets up its arguments before line events start. */
    for (size_t pc = 0; pc + 1 < ncode; pc++) {
      if (k < nabs && abs[k].pc == pc) line = abs[k++].line;
      else line += (signed char)lineinfo[pc];
      if (!(vararg && pc == 0)) mark(r, line);
    }
  }
  pol_free(abs);
  size_t nloc = varint(r);              /* locvars: name, startpc, endpc */
  for (size_t i = 0; i < nloc && !r->bad; i++) {
    skip_string(r);
    varint(r);
    varint(r);
  }
  size_t nup = varint(r);               /* upvalue names */
  for (size_t i = 0; i < nup && !r->bad; i++) skip_string(r);
}

static int collect(lua_State *L, const void *p, size_t n, void *ud) {
  (void)L;
  return pol_buf_append(ud, p, n), ((pol_buf *)ud)->oom;
}

void eng_cov_lines_free(eng_cov_lines *l) {
  pol_free(l->lines);
  pol_free(l->ran);
  *l = (eng_cov_lines){NULL, NULL, 0, 0};
}

bool eng_cov_chunk(const eng_cov *c, lua_State *L, int fn, eng_cov_lines *out) {
  *out = (eng_cov_lines){NULL, NULL, 0, 0};
  fn = lua_absindex(L, fn);
  if (!lua_isfunction(L, fn) || lua_iscfunction(L, fn) || !lua_checkstack(L, 2)) return false;
  lua_Debug ar;
  lua_pushvalue(L, fn);
  lua_getinfo(L, ">S", &ar);
  const cov_entry *hits = c ? lookup(c, ar.source) : NULL;
  pol_buf b = POL_BUF_INIT;
  lua_pushvalue(L, fn);
  int rc = lua_dump(L, collect, &b, 0);
  lua_pop(L, 1);
  static const unsigned char header[] = {
      0x1b, 'L', 'u', 'a', 0x54, 0, 0x19, 0x93, '\r', '\n', 0x1a, '\n', 4, 8, 8};
  if (rc != 0 || b.oom || b.len < sizeof header + 17 || memcmp(b.data, header, sizeof header)) {
    pol_buf_free(&b);
    return false;
  }
  reader r = {(const unsigned char *)b.data, (const unsigned char *)b.data + b.len, false, NULL, 0};
  skip(&r, sizeof header + 16 + 1);     /* LUAC_INT, LUAC_NUM, sizeupvalues */
  function(&r, true, 0);
  if (r.p != r.end) r.bad = true;
  pol_buf_free(&b);
  size_t n = 0;
  for (size_t i = 0; !r.bad && i < r.nlines; i++) n += r.code_lines[i];
  out->lines = pol_calloc(n ? n : 1, sizeof *out->lines);
  out->ran = pol_calloc(n ? n : 1, sizeof *out->ran);
  if (r.bad || out->lines == NULL || out->ran == NULL) {
    pol_free(r.code_lines);
    eng_cov_lines_free(out);
    return false;
  }
  for (size_t i = 0; i < r.nlines; i++) {
    if (!r.code_lines[i]) continue;
    out->lines[out->n] = (uint32_t)i;
    out->ran[out->n] = was_hit(hits, (uint32_t)i);
    out->nrun += out->ran[out->n];
    out->n++;
  }
  pol_free(r.code_lines);
  return true;
}
