/*
** pattern.c: string.find, string.match, string.gmatch and string.gsub with
** Lua 5.4 semantics (reference manual §6.4 and §6.4.1), metered.
**
** The matcher is a backtracking interpreter over the pattern text. Every
** attempt of one pattern item at one subject position costs one unit of
** the meter's budget; bulk byte work (plain search, back-references, long
** sets, %b scans, reading the pattern for specials) costs one unit per
** BULK bytes, charged before the work or right after one bounded linear
** pass. When the budget reaches zero the meter's exhausted() raises a Lua
** error, so nothing here holds host memory across a charge: all state is
** on the C stack or in Lua-managed objects.
**
** Two shortcuts leave the units as they were: a set is read once per
** match into a 256-bit table (then charged as the scan it replaces at
** every test), and start positions where a mandatory first item fails are
** skipped in one pass and charged as the failed attempts (lead_skip).
** Classes are those of the C locale, whatever the process's locale.
**
** C recursion happens only at the same places as in the stock library
** (captures, '?', '*', '+', '-'), and its depth is capped at MAX_DEPTH
** with the stock message "pattern too complex", so the same patterns fail
** the same way.
*/
#include "pattern.h"

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>

#define ESC '%'
#define MAX_CAPTURES 32        /* as Lua's LUA_MAXCAPTURES */
#define MAX_DEPTH 200          /* nested matcher calls, as Lua's MAXCCALLS */
#define BULK 32                /* bytes of memchr/memcmp work per unit */
#define SET_BYTES 16           /* bytes of set text scanned per unit */
#define SET_MEMO 8             /* sets of a pattern read once per match */

#define CAP_UNFINISHED (-1)    /* capture opened, not yet closed */
#define CAP_POSITION (-2)      /* position capture "()" */

typedef struct capture {
  const char *init;            /* where it starts in the subject */
  ptrdiff_t len;               /* its length, or a CAP_* marker */
} capture;

typedef struct byteset {
  uint8_t bits[32];            /* byte c is bit c % 8 of bits[c / 8] */
} byteset;

/* A set of the pattern, read once per match: where it ends and which
** bytes it holds. */
typedef struct set_memo {
  const char *open;            /* its '[' */
  const char *end;             /* just past its ']' */
  byteset bytes;
} set_memo;

typedef struct mstate {
  const char *src, *src_end;   /* subject [src, src_end) */
  const char *pat_end;         /* end of the pattern text */
  lua_State *L;
  eng_pat_meter *meter;
  int64_t *budget;             /* meter->budget */
  int depth_left;              /* matcher calls still allowed to nest */
  int level;                   /* captures in cap[0 .. level) */
  int nsets;                   /* sets memoised in sets[0 .. nsets) */
  capture cap[MAX_CAPTURES];
  set_memo sets[SET_MEMO];     /* the first SET_MEMO sets met; later ones
                               ** are scanned at every test */
} mstate;

/* What one pattern item did to the match in progress. */
typedef enum outcome {
  GO_ON,                       /* matched: continue at the updated (s, p) */
  DECIDED,                     /* this frame's result is in s (NULL: fail) */
  ORDINARY                     /* not special: a single-char class item */
} outcome;

/* ---- metering ---------------------------------------------------------- */

/* The budget ran out: meter->exhausted either refills it or raises. */
static void refill(lua_State *L, eng_pat_meter *m) {
  while (*m->budget <= 0) {
    int64_t before = *m->budget;
    m->exhausted(L, m->ud);
    /* never match on without a budget: a refill must add units */
    if (*m->budget <= before) luaL_error(L, "pattern matching budget exhausted");
  }
}

/* Takes n units; once none are left meter->exhausted either refills the
** budget or raises. */
static inline void charge(lua_State *L, eng_pat_meter *m, int64_t n) {
  if ((*m->budget -= n) <= 0) refill(L, m);
}

static inline void ms_charge(mstate *ms, int64_t n) {
  if ((*ms->budget -= n) <= 0) refill(ms->L, ms->meter);
}

static eng_pat_meter *upvalue_meter(lua_State *L, int idx) {
  return (eng_pat_meter *)lua_touserdata(L, lua_upvalueindex(idx));
}

/* ---- character classes and sets --------------------------------------- */

/* The classes are those of the C locale, whatever the process's locale
** is, so a rule matches the same bytes in every host program: as 256-bit
** sets built by the compiler, one per class letter. */
#define IN(c, lo, hi) ((c) >= (lo) && (c) <= (hi))
#define P_ALPHA(c) (IN(c, 'a', 'z') || IN(c, 'A', 'Z'))
#define P_CNTRL(c) (IN(c, 0, 31) || (c) == 127)
#define P_DIGIT(c) IN(c, '0', '9')
#define P_GRAPH(c) IN(c, 33, 126)
#define P_LOWER(c) IN(c, 'a', 'z')
#define P_PUNCT(c) (P_GRAPH(c) && !P_ALPHA(c) && !P_DIGIT(c))
#define P_SPACE(c) ((c) == ' ' || IN(c, 9, 13))
#define P_UPPER(c) IN(c, 'A', 'Z')
#define P_ALNUM(c) (P_ALPHA(c) || P_DIGIT(c))
#define P_XDIGIT(c) (P_DIGIT(c) || IN(c, 'a', 'f') || IN(c, 'A', 'F'))
#define P_ZERO(c) ((c) == 0)
#define BIT(P, c, i) ((P((c) + (i)) ? 1u : 0u) << (i))
#define BYTE8(P, c)                                                             \
  (uint8_t)(BIT(P, c, 0) | BIT(P, c, 1) | BIT(P, c, 2) | BIT(P, c, 3) |         \
            BIT(P, c, 4) | BIT(P, c, 5) | BIT(P, c, 6) | BIT(P, c, 7))
#define BYTES64(P, c) BYTE8(P, c), BYTE8(P, c + 8), BYTE8(P, c + 16),           \
  BYTE8(P, c + 24), BYTE8(P, c + 32), BYTE8(P, c + 40), BYTE8(P, c + 48),        \
  BYTE8(P, c + 56)
#define SET256(P) {{BYTES64(P, 0), BYTES64(P, 64), BYTES64(P, 128), BYTES64(P, 192)}}

static bool byteset_has(const byteset *b, unsigned char c) {
  return (b->bits[c >> 3] >> (c & 7)) & 1u;
}

enum { CL_NONE, CL_A, CL_C, CL_D, CL_G, CL_L, CL_P, CL_S, CL_U, CL_W, CL_X, CL_Z };

static const byteset class_sets[] = {
    [CL_A] = SET256(P_ALPHA), [CL_C] = SET256(P_CNTRL), [CL_D] = SET256(P_DIGIT),
    [CL_G] = SET256(P_GRAPH), [CL_L] = SET256(P_LOWER), [CL_P] = SET256(P_PUNCT),
    [CL_S] = SET256(P_SPACE), [CL_U] = SET256(P_UPPER), [CL_W] = SET256(P_ALNUM),
    [CL_X] = SET256(P_XDIGIT), [CL_Z] = SET256(P_ZERO),
};

/* The class of a letter after '%', either case; CL_NONE for a byte that
** stands for itself. */
static const uint8_t class_of[256] = {
    ['a'] = CL_A, ['A'] = CL_A, ['c'] = CL_C, ['C'] = CL_C, ['d'] = CL_D, ['D'] = CL_D,
    ['g'] = CL_G, ['G'] = CL_G, ['l'] = CL_L, ['L'] = CL_L, ['p'] = CL_P, ['P'] = CL_P,
    ['s'] = CL_S, ['S'] = CL_S, ['u'] = CL_U, ['U'] = CL_U, ['w'] = CL_W, ['W'] = CL_W,
    ['x'] = CL_X, ['X'] = CL_X, ['z'] = CL_Z, ['Z'] = CL_Z, /* %z: deprecated, still in 5.4 */
};

/* Does byte c belong to class letter cl ("%a", "%D", ...)? A letter
** without a class, or a non-letter, stands for itself. */
static bool class_has(int c, int cl) {
  int k = class_of[cl];
  if (k == CL_NONE) return cl == c;
  return byteset_has(&class_sets[k], (unsigned char)c) != P_UPPER(cl);
}

/* Is c in the set whose '[' is at p and closing ']' at close? The member
** scan is the stock one: after "%" one byte is a class letter or a literal;
** "x-y" is a range only when y comes before close. set_bits is the same
** scan for every byte at once. */
static bool set_has(mstate *ms, int c, const char *p, const char *close) {
  bool want = true;
  ms_charge(ms, (close - p) / SET_BYTES);
  if (p[1] == '^') {
    want = false;
    p++;
  }
  while (++p < close) {
    unsigned char m = (unsigned char)*p;
    if (m == ESC) {
      p++;
      if (class_has(c, (unsigned char)*p)) return want;
    } else if (p[1] == '-' && p + 2 < close) {
      p += 2;
      if (m <= c && c <= (unsigned char)*p) return want;
    } else if (m == c) {
      return want;
    }
  }
  return !want;
}

/* The bytes set_has(ms, c, p, close) holds, for every c at once. */
static void set_bits(byteset *b, const char *p, const char *close) {
  bool negate = p[1] == '^';
  if (negate) p++;
  memset(b, 0, sizeof *b);
  while (++p < close) {
    unsigned char m = (unsigned char)*p;
    unsigned hi = m;
    if (m == ESC) {
      m = (unsigned char)*++p;
      int k = class_of[m];
      if (k != CL_NONE) {
        bool upper = P_UPPER(m);
        for (size_t i = 0; i < sizeof b->bits; i++)
          b->bits[i] |= upper ? (uint8_t)~class_sets[k].bits[i] : class_sets[k].bits[i];
        continue;
      }
      hi = m;
    } else if (p[1] == '-' && p + 2 < close) {
      p += 2;
      hi = (unsigned char)*p;
    }
    for (unsigned c = m; c <= hi; c++) b->bits[c >> 3] |= (uint8_t)(1u << (c & 7));
  }
  if (negate)
    for (size_t i = 0; i < sizeof b->bits; i++) b->bits[i] = (uint8_t)~b->bits[i];
}

/* The set whose '[' is at p, from the memo of this match, or NULL. */
static const set_memo *memo_find(const mstate *ms, const char *p) {
  for (int i = 0; i < ms->nsets; i++)
    if (ms->sets[i].open == p) return &ms->sets[i];
  return NULL;
}

/* The ']' that closes the set whose '[' is at p, or NULL when the
** pattern ends first. */
static const char *set_close(const mstate *ms, const char *p) {
  p++;
  if (p < ms->pat_end && *p == '^') p++;
  do {
    if (p >= ms->pat_end) return NULL;
    char c = *p++;
    if (c == ESC && p < ms->pat_end) p++;
  } while (p >= ms->pat_end || *p != ']');
  return p;
}

/* Memoises the set [open, close] while there is room. */
static void memo_add(mstate *ms, const char *open, const char *close) {
  if (ms->nsets == SET_MEMO) return;
  set_memo *m = &ms->sets[ms->nsets++];
  m->open = open;
  m->end = close + 1;
  set_bits(&m->bytes, open, close);
}

/* The end of the single-char class item at p (not its quantifier). A set
** takes its first member literally (so "[]]" and "[^]]" hold ']'). A
** set's end is found once per match (then memoised with its bytes), and
** charged as a scan every time. */
static const char *item_end(mstate *ms, const char *p) {
  const char *start = p;
  char c = *p++;
  if (c == ESC) {
    if (p >= ms->pat_end)
      luaL_error(ms->L, "malformed pattern (ends with '%%')");
    return p + 1;
  }
  if (c != '[') return p;
  const set_memo *known = memo_find(ms, start);
  if (known) {
    ms_charge(ms, (known->end - 1 - start) / SET_BYTES);
    return known->end;
  }
  const char *close = set_close(ms, start);
  if (close == NULL) luaL_error(ms->L, "malformed pattern (missing ']')");
  ms_charge(ms, (close - start) / SET_BYTES);
  memo_add(ms, start, close);
  return close + 1;
}

/* A single-char class item, read once for all the bytes it is tried on. */
typedef struct item {
  enum { IT_ANY, IT_BYTE, IT_CLASS, IT_SET, IT_SCAN } kind;
  unsigned char byte;          /* IT_BYTE */
  bool negate;                 /* IT_CLASS: an upper-case class letter */
  const byteset *bytes;        /* IT_CLASS, IT_SET */
  const char *open, *close;    /* IT_SET, IT_SCAN: the set's brackets */
} item;

/* Reads the item [p, ep) that item_end delimited. */
static void item_read(const mstate *ms, const char *p, const char *ep, item *it) {
  switch (*p) {
  case '.': it->kind = IT_ANY; return;
  case ESC: {
    unsigned char cl = (unsigned char)p[1];
    int k = class_of[cl];
    if (k == CL_NONE) {
      it->kind = IT_BYTE;
      it->byte = cl;
      return;
    }
    it->kind = IT_CLASS;
    it->bytes = &class_sets[k];
    it->negate = P_UPPER(cl);
    return;
  }
  case '[': {
    const set_memo *m = memo_find(ms, p);
    it->kind = m ? IT_SET : IT_SCAN;
    it->bytes = m ? &m->bytes : NULL;
    it->open = p;
    it->close = ep - 1;
    return;
  }
  default:
    it->kind = IT_BYTE;
    it->byte = (unsigned char)*p;
    return;
  }
}

/* Does byte c match the item (not IT_SCAN)? Charges nothing. */
static bool item_test(const item *it, int c) {
  assert(it->kind != IT_SCAN);
  switch (it->kind) {
  case IT_ANY: return true;
  case IT_BYTE: return c == it->byte;
  case IT_CLASS: return byteset_has(it->bytes, (unsigned char)c) != it->negate;
  default: return byteset_has(it->bytes, (unsigned char)c);
  }
}

/* Does byte c match the item? A set costs what scanning it costs. */
static bool item_has(mstate *ms, const item *it, int c) {
  switch (it->kind) {
  case IT_SET: ms_charge(ms, (it->close - it->open) / SET_BYTES); return item_test(it, c);
  case IT_SCAN: return set_has(ms, c, it->open, it->close);
  default: return item_test(it, c);
  }
}

/* Does the subject byte at s (if any) match the item? */
static bool single(mstate *ms, const char *s, const item *it) {
  return s < ms->src_end && item_has(ms, it, (unsigned char)*s);
}

/* The pattern byte at q, or '\0' at its end (as Lua's terminator reads). */
static char peek(const mstate *ms, const char *q) {
  return q < ms->pat_end ? *q : '\0';
}

/* ---- the matcher ------------------------------------------------------- */

static const char *do_match(mstate *ms, const char *s, const char *p);

/* Greedy repetition of [p, ep) from s, then the rest after the quantifier
** at ep, giving back one byte at a time. */
static const char *expand_max(mstate *ms, const char *s, const item *it,
                              const char *ep) {
  size_t n = 0;
  while (single(ms, s + n, it)) {
    ms_charge(ms, 1);
    n++;
  }
  for (;;) {
    const char *r = do_match(ms, s + n, ep + 1);
    if (r != NULL || n == 0) return r;
    n--;
  }
}

/* Lazy repetition: the rest first, one more byte of [p, ep) on failure. */
static const char *expand_min(mstate *ms, const char *s, const item *it,
                              const char *ep) {
  for (;;) {
    const char *r = do_match(ms, s, ep + 1);
    if (r != NULL) return r;
    if (!single(ms, s, it)) return NULL;
    ms_charge(ms, 1);
    s++;
  }
}

/* "(" at p - 1: opens a capture (a position capture for "()") and matches
** the rest; the capture is dropped again if the rest fails. */
static const char *open_capture(mstate *ms, const char *s, const char *p) {
  ptrdiff_t what = CAP_UNFINISHED;
  if (peek(ms, p) == ')') {
    what = CAP_POSITION;
    p++;
  }
  if (ms->level >= MAX_CAPTURES) luaL_error(ms->L, "too many captures");
  ms->cap[ms->level].init = s;
  ms->cap[ms->level].len = what;
  ms->level++;
  const char *r = do_match(ms, s, p);
  if (r == NULL) ms->level--;
  return r;
}

/* ")" at p - 1: closes the innermost open capture at s. */
static const char *close_capture(mstate *ms, const char *s, const char *p) {
  int l = ms->level - 1;
  while (l >= 0 && ms->cap[l].len != CAP_UNFINISHED) l--;
  if (l < 0) luaL_error(ms->L, "invalid pattern capture");
  ms->cap[l].len = s - ms->cap[l].init;
  const char *r = do_match(ms, s, p);
  if (r == NULL) ms->cap[l].len = CAP_UNFINISHED;
  return r;
}

/* "%1".."%9" (digit d): the text of a closed capture again at s. A
** position capture never matches; "%0" and open captures are errors. */
static const char *backref(mstate *ms, const char *s, int d) {
  int l = d - '1';
  if (l < 0 || l >= ms->level || ms->cap[l].len == CAP_UNFINISHED)
    luaL_error(ms->L, "invalid capture index %%%d", l + 1);
  ptrdiff_t len = ms->cap[l].len;
  if (len < 0 || ms->src_end - s < len) return NULL;
  ms_charge(ms, len / BULK);
  return memcmp(ms->cap[l].init, s, (size_t)len) == 0 ? s + len : NULL;
}

/* "%bxy" with p at x: a balanced run from s, or NULL. */
static const char *balance(mstate *ms, const char *s, const char *p) {
  if (p + 2 > ms->pat_end)
    luaL_error(ms->L, "malformed pattern (missing arguments to '%%b')");
  if (s >= ms->src_end || *s != p[0]) return NULL;
  const char *q = s + 1;
  const char *r = NULL;
  for (int depth = 1; q < ms->src_end; q++) {
    if (*q == p[1]) {
      if (--depth == 0) {
        r = q + 1;
        break;
      }
    } else if (*q == p[0]) {
      depth++;
    }
  }
  ms_charge(ms, q - s); /* one linear pass, charged per byte */
  return r;
}

/* "%f[set]" with p at '[': true at a transition from a byte outside the
** set to one inside it; the subject's ends read as '\0'. Sets *ep to the
** item after the set. */
static bool frontier(mstate *ms, const char *s, const char *p,
                     const char **ep) {
  if (peek(ms, p) != '[')
    luaL_error(ms->L, "missing '[' after '%%f' in pattern");
  *ep = item_end(ms, p);
  item it;
  item_read(ms, p, *ep, &it);
  int before = s == ms->src ? 0 : (unsigned char)s[-1];
  int here = s < ms->src_end ? (unsigned char)*s : 0;
  return !item_has(ms, &it, before) && item_has(ms, &it, here);
}

/* The items that are not single-char classes: captures, a final '$',
** %b, %f and back-references. */
static outcome special_item(mstate *ms, const char **sp, const char **pp) {
  const char *s = *sp, *p = *pp;
  switch (*p) {
  case '(':
    *sp = open_capture(ms, s, p + 1);
    return DECIDED;
  case ')':
    *sp = close_capture(ms, s, p + 1);
    return DECIDED;
  case '$':
    if (p + 1 != ms->pat_end) return ORDINARY;
    *sp = s == ms->src_end ? s : NULL;
    return DECIDED;
  case ESC:
    break;
  default:
    return ORDINARY;
  }
  char kind = peek(ms, p + 1);
  if (kind == 'b') {
    *sp = balance(ms, s, p + 2);
    *pp = p + 4;
    return *sp ? GO_ON : DECIDED;
  }
  if (kind == 'f') {
    const char *ep;
    bool hit = frontier(ms, s, p + 2, &ep);
    *pp = ep;
    if (!hit) *sp = NULL;
    return hit ? GO_ON : DECIDED;
  }
  if (P_DIGIT(kind)) {
    *sp = backref(ms, s, (unsigned char)kind);
    *pp = p + 2;
    return *sp ? GO_ON : DECIDED;
  }
  return ORDINARY;
}

/* A single-char class at p with its optional quantifier. */
static outcome class_item(mstate *ms, const char **sp, const char **pp) {
  const char *s = *sp, *p = *pp;
  const char *ep = item_end(ms, p);
  item it;
  item_read(ms, p, ep, &it);
  char q = peek(ms, ep);
  if (!single(ms, s, &it)) {
    if (q == '*' || q == '?' || q == '-') {
      *pp = ep + 1; /* zero repetitions */
      return GO_ON;
    }
    *sp = NULL;
    return DECIDED;
  }
  switch (q) {
  case '?': {
    const char *r = do_match(ms, s + 1, ep + 1);
    if (r != NULL) {
      *sp = r;
      return DECIDED;
    }
    *pp = ep + 1;
    return GO_ON;
  }
  case '+': *sp = expand_max(ms, s + 1, &it, ep); return DECIDED;
  case '*': *sp = expand_max(ms, s, &it, ep); return DECIDED;
  case '-': *sp = expand_min(ms, s, &it, ep); return DECIDED;
  default:
    *sp = s + 1;
    *pp = ep;
    return GO_ON;
  }
}

/* Matches pattern [p, pat_end) at s: the end of the match, or NULL. One
** unit per item attempted; nesting is bounded by MAX_DEPTH. */
static const char *do_match(mstate *ms, const char *s, const char *p) {
  if (ms->depth_left-- == 0) luaL_error(ms->L, "pattern too complex");
  while (p < ms->pat_end) {
    ms_charge(ms, 1);
    outcome o = special_item(ms, &s, &p);
    if (o == ORDINARY) o = class_item(ms, &s, &p);
    if (o == DECIDED) break;
  }
  ms->depth_left++;
  return s;
}

/* ---- shared by the four functions -------------------------------------- */

static void ms_init(mstate *ms, lua_State *L, eng_pat_meter *m, const char *s,
                    size_t ls, const char *p, size_t lp) {
  ms->src = s;
  ms->src_end = s + ls;
  ms->pat_end = p + lp;
  ms->L = L;
  ms->meter = m;
  ms->budget = m->budget;
  ms->depth_left = MAX_DEPTH;
  ms->level = 0;
  ms->nsets = 0;
}

/* Readies for a match attempt at a new start position (one unit). */
static void ms_restart(mstate *ms) {
  ms_charge(ms, 1);
  ms->level = 0;
}

/* The first item of a pattern, when it is a single-char class item that
** must match once (no '*', '?' or '-' after it): an attempt at a start
** position whose byte the item lacks then fails after a fixed number of
** units (the attempt, the item, and for a set its scan to the ']' and
** over its members, each the set's length / SET_BYTES). Such positions
** are skipped in one pass and charged right after it, unit for unit as
** the attempts would have been. */
typedef struct lead {
  bool on;
  item it;
  int64_t miss;                /* units of one failing attempt */
} lead;

/* Reads the lead of pattern p (after any '^' anchor). Charges nothing
** and raises nothing: a malformed first item is left to the matcher. */
static void lead_init(mstate *ms, const char *p, lead *ld) {
  ld->on = false;
  if (p >= ms->pat_end) return;
  const char *ep = p + 1;
  int64_t set_units = 0;
  switch (*p) {
  case '(':
  case ')':
  case '.':
    return;
  case '$':
    if (p + 1 == ms->pat_end) return;
    break;
  case ESC: {
    char k = peek(ms, p + 1);
    if (p + 1 >= ms->pat_end || k == 'b' || k == 'f' || P_DIGIT(k)) return;
    ep = p + 2;
    break;
  }
  case '[': {
    assert(ms->nsets == 0);
    const char *close = set_close(ms, p);
    if (close == NULL) return;
    memo_add(ms, p, close);
    ep = close + 1;
    set_units = (close - p) / SET_BYTES;
    break;
  }
  }
  char q = peek(ms, ep);
  if (q == '*' || q == '?' || q == '-') return;
  item_read(ms, p, ep, &ld->it);
  ld->miss = 2 + 2 * set_units;
  ld->on = true;
}

/* The first start position from at whose byte the lead holds, or the
** subject's end; charges the attempts skipped. */
static const char *lead_skip(mstate *ms, const lead *ld, const char *at) {
  const char *s = at;
  if (ld->it.kind == IT_BYTE) {
    s = memchr(at, ld->it.byte, (size_t)(ms->src_end - at));
    if (s == NULL) s = ms->src_end;
  } else {
    while (s < ms->src_end && !item_test(&ld->it, (unsigned char)*s)) s++;
  }
  if (s > at) ms_charge(ms, (int64_t)(s - at) * ld->miss);
  return s;
}

/* A 1-based start position from an argument: negatives count from the
** end, and anything before the start clamps to 1. */
static size_t start_pos(lua_Integer pos, size_t len) {
  if (pos > 0) return (size_t)pos;
  if (pos == 0 || pos < -(lua_Integer)len) return 1;
  return (size_t)((lua_Integer)len + pos) + 1;
}

/* Capture i of the match [s, e) as text (*text, *len), or as a position
** (returns true, *pos). With no captures, capture 0 is the whole match. */
static bool capture_value(mstate *ms, int i, const char *s, const char *e,
                          const char **text, size_t *len, lua_Integer *pos) {
  if (i >= ms->level) {
    if (i != 0) luaL_error(ms->L, "invalid capture index %%%d", i + 1);
    *text = s;
    *len = (size_t)(e - s);
    return false;
  }
  const capture *c = &ms->cap[i];
  if (c->len == CAP_UNFINISHED) luaL_error(ms->L, "unfinished capture");
  if (c->len == CAP_POSITION) {
    *pos = (lua_Integer)(c->init - ms->src) + 1;
    return true;
  }
  *text = c->init;
  *len = (size_t)c->len;
  return false;
}

static void push_capture(mstate *ms, int i, const char *s, const char *e) {
  const char *text;
  size_t len;
  lua_Integer pos;
  if (capture_value(ms, i, s, e, &text, &len, &pos))
    lua_pushinteger(ms->L, pos);
  else
    lua_pushlstring(ms->L, text, len);
}

/* Pushes the captures of the match [s, e); when there are none, the whole
** match, unless s is NULL (find pushes nothing then). */
static int push_captures(mstate *ms, const char *s, const char *e) {
  int n = (ms->level == 0 && s != NULL) ? 1 : ms->level;
  luaL_checkstack(ms->L, n, "too many captures");
  for (int i = 0; i < n; i++) push_capture(ms, i, s, e);
  return n;
}

/* Does the pattern use any magic character? (One linear pass.) */
static bool has_specials(lua_State *L, eng_pat_meter *m, const char *p,
                         size_t lp) {
  charge(L, m, 1 + (int64_t)(lp / BULK));
  static const bool special[256] = {['^'] = true, ['$'] = true, ['*'] = true, ['+'] = true,
                                    ['?'] = true, ['.'] = true, ['('] = true, ['['] = true,
                                    ['%'] = true, ['-'] = true};
  for (size_t i = 0; i < lp; i++)
    if (special[(unsigned char)p[i]]) return true;
  return false;
}

/* Plain substring search: each memchr pass is charged after it (it is
** linear and bounded), each candidate comparison before it. */
static const char *plain_find(lua_State *L, eng_pat_meter *m, const char *s,
                              size_t ls, const char *p, size_t lp) {
  if (lp == 0) return s;
  if (lp > ls) return NULL;
  const char *last = s + (ls - lp); /* last possible start */
  while (s <= last) {
    const char *hit = memchr(s, p[0], (size_t)(last - s) + 1);
    charge(L, m, 1 + ((hit ? hit : last) - s) / BULK);
    if (hit == NULL) return NULL;
    charge(L, m, (int64_t)(lp / BULK));
    if (memcmp(hit + 1, p + 1, lp - 1) == 0) return hit;
    s = hit + 1;
  }
  return NULL;
}

/* ---- string.find and string.match -------------------------------------- */

static int find_or_match(lua_State *L, bool find) {
  eng_pat_meter *m = upvalue_meter(L, 1);
  size_t ls, lp;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  size_t init = start_pos(luaL_optinteger(L, 3, 1), ls);
  if (init > ls + 1) {
    luaL_pushfail(L);
    return 1;
  }
  if (find && (lua_toboolean(L, 4) || !has_specials(L, m, p, lp))) {
    const char *hit = plain_find(L, m, s + init - 1, ls - init + 1, p, lp);
    if (hit == NULL) {
      luaL_pushfail(L);
      return 1;
    }
    lua_pushinteger(L, (lua_Integer)(hit - s) + 1);
    lua_pushinteger(L, (lua_Integer)(hit - s) + (lua_Integer)lp);
    return 2;
  }
  bool anchor = lp > 0 && *p == '^';
  if (anchor) {
    p++;
    lp--;
  }
  mstate ms;
  ms_init(&ms, L, m, s, ls, p, lp);
  lead ld;
  if (anchor) ld.on = false;
  else lead_init(&ms, p, &ld);
  for (const char *at = s + init - 1;; at++) {
    if (ld.on) at = lead_skip(&ms, &ld, at);
    ms_restart(&ms);
    const char *e = do_match(&ms, at, p);
    if (e != NULL && find) {
      lua_pushinteger(L, (lua_Integer)(at - s) + 1);
      lua_pushinteger(L, (lua_Integer)(e - s));
      return push_captures(&ms, NULL, NULL) + 2;
    }
    if (e != NULL) return push_captures(&ms, at, e);
    if (anchor || at >= ms.src_end) break;
  }
  luaL_pushfail(L);
  return 1;
}

static int pat_find(lua_State *L) { return find_or_match(L, true); }

static int pat_match(lua_State *L) { return find_or_match(L, false); }

/* ---- string.gmatch ----------------------------------------------------- */

/* Iterator state: the next start offset and the end offset of the last
** match (an empty match there is skipped), -1 before the first match. */
typedef struct gmatch_state {
  size_t next;
  ptrdiff_t last;
} gmatch_state;

/* Upvalues: subject, pattern, gmatch_state, meter. '^' is not an anchor
** here (it would stop the iteration), so it matches itself. */
static int gmatch_step(lua_State *L) {
  size_t ls, lp;
  const char *s = lua_tolstring(L, lua_upvalueindex(1), &ls);
  const char *p = lua_tolstring(L, lua_upvalueindex(2), &lp);
  gmatch_state *gs = (gmatch_state *)lua_touserdata(L, lua_upvalueindex(3));
  mstate ms;
  ms_init(&ms, L, upvalue_meter(L, 4), s, ls, p, lp);
  lead ld;
  lead_init(&ms, p, &ld);
  for (const char *at = s + gs->next; at <= ms.src_end; at++) {
    if (ld.on) at = lead_skip(&ms, &ld, at);
    ms_restart(&ms);
    const char *e = do_match(&ms, at, p);
    if (e != NULL && e - s != gs->last) {
      gs->next = (size_t)(e - s);
      gs->last = e - s;
      return push_captures(&ms, at, e);
    }
  }
  gs->next = ls + 1; /* exhausted: later calls return nothing at once */
  return 0;
}

static int pat_gmatch(lua_State *L) {
  size_t ls;
  luaL_checklstring(L, 1, &ls);
  luaL_checkstring(L, 2);
  size_t init = start_pos(luaL_optinteger(L, 3, 1), ls) - 1;
  lua_settop(L, 2);
  gmatch_state *gs = (gmatch_state *)lua_newuserdatauv(L, sizeof *gs, 0);
  gs->next = init > ls ? ls + 1 : init;
  gs->last = -1;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushcclosure(L, gmatch_step, 4);
  return 1;
}

/* ---- string.gsub ------------------------------------------------------- */

/* Appends the string replacement (argument 3) for the match [s, e):
** "%0" the match, "%1".."%9" captures, "%%" a '%'. One unit per escape. */
static void add_string_repl(mstate *ms, luaL_Buffer *b, const char *s,
                            const char *e) {
  lua_State *L = ms->L;
  size_t l;
  const char *r = lua_tolstring(L, 3, &l);
  const char *end = r + l;
  const char *esc;
  while ((esc = memchr(r, ESC, (size_t)(end - r))) != NULL) {
    ms_charge(ms, 1);
    luaL_addlstring(b, r, (size_t)(esc - r));
    char d = esc + 1 < end ? esc[1] : '\0';
    if (d == ESC) {
      luaL_addchar(b, ESC);
    } else if (d == '0') {
      luaL_addlstring(b, s, (size_t)(e - s));
    } else if (P_DIGIT(d)) {
      const char *text;
      size_t len;
      lua_Integer pos;
      if (capture_value(ms, d - '1', s, e, &text, &len, &pos)) {
        lua_pushinteger(L, pos);
        luaL_addvalue(b);
      } else {
        luaL_addlstring(b, text, len);
      }
    } else {
      luaL_error(L, "invalid use of '%c' in replacement string", ESC);
    }
    r = esc + 2;
  }
  luaL_addlstring(b, r, (size_t)(end - r));
}

/* Appends the replacement for the match [s, e) given by repl type tr.
** Returns whether the text changed (false/nil from a table or function
** keeps the original match). */
static bool add_replacement(mstate *ms, luaL_Buffer *b, const char *s,
                            const char *e, int tr) {
  lua_State *L = ms->L;
  if (tr == LUA_TFUNCTION) {
    lua_pushvalue(L, 3);
    int n = push_captures(ms, s, e);
    lua_call(L, n, 1);
  } else if (tr == LUA_TTABLE) {
    push_capture(ms, 0, s, e);
    ms->meter->get_element(L, 3);
  } else {
    add_string_repl(ms, b, s, e);
    return true;
  }
  if (!lua_toboolean(L, -1)) {
    lua_pop(L, 1);
    luaL_addlstring(b, s, (size_t)(e - s));
    return false;
  }
  if (!lua_isstring(L, -1))
    luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
  luaL_addvalue(b);
  return true;
}

static int pat_gsub(lua_State *L) {
  eng_pat_meter *m = upvalue_meter(L, 1);
  size_t ls, lp;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  int tr = lua_type(L, 3);
  lua_Integer max_n = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
  luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING ||
                          tr == LUA_TFUNCTION || tr == LUA_TTABLE,
                   3, "string/function/table");
  bool anchor = lp > 0 && *p == '^';
  if (anchor) {
    p++;
    lp--;
  }
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  mstate ms;
  ms_init(&ms, L, m, s, ls, p, lp);
  lead ld;
  if (anchor) ld.on = false;
  else lead_init(&ms, p, &ld);
  /* The subject is copied into b up to `copied`; the bytes no match
  ** replaced since are copied in one go before the next replacement. */
  const char *at = s, *last = NULL, *copied = s;
  lua_Integer n = 0;
  bool changed = false;
  while (n < max_n) {
    if (ld.on) at = lead_skip(&ms, &ld, at);
    ms_restart(&ms);
    const char *e = do_match(&ms, at, p);
    if (e != NULL && e != last) { /* an empty match right after a match
                                     does not count */
      n++;
      luaL_addlstring(&b, copied, (size_t)(at - copied));
      changed = add_replacement(&ms, &b, at, e, tr) || changed;
      at = last = copied = e;
    } else if (at < ms.src_end) {
      at++;
    } else {
      break;
    }
    if (anchor) break;
  }
  if (!changed) {
    lua_pushvalue(L, 1);
  } else {
    luaL_addlstring(&b, copied, (size_t)(ms.src_end - copied));
    luaL_pushresult(&b);
  }
  lua_pushinteger(L, n);
  return 2;
}

/* ---- registration ------------------------------------------------------ */

void eng_pat_register(lua_State *L, eng_pat_meter *meter) {
  static const luaL_Reg fns[] = {
      {"find", pat_find},
      {"match", pat_match},
      {"gmatch", pat_gmatch},
      {"gsub", pat_gsub},
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    lua_pushlightuserdata(L, meter);
    lua_pushcclosure(L, fns[i].func, 1);
    lua_setfield(L, -2, fns[i].name);
  }
}
