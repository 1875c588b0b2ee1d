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
** C recursion happens only at the same places as in the stock library
** (captures, '?', '*', '+', '-'), and its depth is capped at MAX_DEPTH
** with the stock message "pattern too complex", so the same patterns fail
** the same way.
*/
#include "pattern.h"

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <lauxlib.h>

#define ESC '%'
#define SPECIALS "^$*+?.([%-"
#define MAX_CAPTURES 32        /* as Lua's LUA_MAXCAPTURES */
#define MAX_DEPTH 200          /* nested matcher calls, as Lua's MAXCCALLS */
#define BULK 32                /* bytes of memchr/memcmp work per unit */
#define SET_BYTES 16           /* bytes of set text scanned per unit */

#define CAP_UNFINISHED (-1)    /* capture opened, not yet closed */
#define CAP_POSITION (-2)      /* position capture "()" */

typedef struct capture {
  const char *init;            /* where it starts in the subject */
  ptrdiff_t len;               /* its length, or a CAP_* marker */
} capture;

typedef struct mstate {
  const char *src, *src_end;   /* subject [src, src_end) */
  const char *pat_end;         /* end of the pattern text */
  lua_State *L;
  lpat_meter *meter;
  int depth_left;              /* matcher calls still allowed to nest */
  int level;                   /* captures in cap[0 .. level) */
  capture cap[MAX_CAPTURES];
} mstate;

/* What one pattern item did to the match in progress. */
typedef enum outcome {
  GO_ON,                       /* matched: continue at the updated (s, p) */
  DECIDED,                     /* this frame's result is in s (NULL: fail) */
  ORDINARY                     /* not special: a single-char class item */
} outcome;

/* ---- metering ---------------------------------------------------------- */

/* Takes n units; once none are left meter->exhausted either refills the
** budget or raises. */
static void charge(lua_State *L, lpat_meter *m, int64_t n) {
  *m->budget -= n;
  while (*m->budget <= 0) {
    int64_t before = *m->budget;
    m->exhausted(L, m->ud);
    /* never match on without a budget: a refill must add units */
    if (*m->budget <= before) luaL_error(L, "pattern matching budget exhausted");
  }
}

static void ms_charge(mstate *ms, int64_t n) { charge(ms->L, ms->meter, n); }

static lpat_meter *upvalue_meter(lua_State *L, int idx) {
  return (lpat_meter *)lua_touserdata(L, lua_upvalueindex(idx));
}

/* ---- character classes and sets --------------------------------------- */

/* Does byte c belong to class letter cl ("%a", "%D", ...)? A letter
** without a class, or a non-letter, stands for itself. */
static bool class_has(int c, int cl) {
  int r;
  switch (tolower(cl)) {
  case 'a': r = isalpha(c); break;
  case 'c': r = iscntrl(c); break;
  case 'd': r = isdigit(c); break;
  case 'g': r = isgraph(c); break;
  case 'l': r = islower(c); break;
  case 'p': r = ispunct(c); break;
  case 's': r = isspace(c); break;
  case 'u': r = isupper(c); break;
  case 'w': r = isalnum(c); break;
  case 'x': r = isxdigit(c); break;
  case 'z': r = (c == 0); break; /* deprecated, still honoured by 5.4 */
  default: return cl == c;
  }
  return isupper(cl) ? !r : r != 0;
}

/* Is c in the set whose '[' is at p and closing ']' at close? The member
** scan is the stock one: after "%" one byte is a class letter or a literal;
** "x-y" is a range only when y comes before close. */
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

/* The end of the single-char class item at p (not its quantifier). A set
** takes its first member literally (so "[]]" and "[^]]" hold ']'). */
static const char *item_end(mstate *ms, const char *p) {
  const char *start = p;
  char c = *p++;
  if (c == ESC) {
    if (p >= ms->pat_end)
      luaL_error(ms->L, "malformed pattern (ends with '%%')");
    return p + 1;
  }
  if (c != '[') return p;
  if (p < ms->pat_end && *p == '^') p++;
  do {
    if (p >= ms->pat_end)
      luaL_error(ms->L, "malformed pattern (missing ']')");
    c = *p++;
    if (c == ESC && p < ms->pat_end) p++;
  } while (p >= ms->pat_end || *p != ']');
  ms_charge(ms, (p - start) / SET_BYTES);
  return p + 1;
}

/* Does the subject byte at s (if any) match the class item [p, ep)? */
static bool single(mstate *ms, const char *s, const char *p, const char *ep) {
  if (s >= ms->src_end) return false;
  int c = (unsigned char)*s;
  switch (*p) {
  case '.': return true;
  case ESC: return class_has(c, (unsigned char)p[1]);
  case '[': return set_has(ms, c, p, ep - 1);
  default: return (unsigned char)*p == c;
  }
}

/* The pattern byte at q, or '\0' at its end (as Lua's terminator reads). */
static char peek(const mstate *ms, const char *q) {
  return q < ms->pat_end ? *q : '\0';
}

/* ---- the matcher ------------------------------------------------------- */

static const char *do_match(mstate *ms, const char *s, const char *p);

/* Greedy repetition of [p, ep) from s, then the rest after the quantifier
** at ep, giving back one byte at a time. */
static const char *expand_max(mstate *ms, const char *s, const char *p,
                              const char *ep) {
  size_t n = 0;
  while (single(ms, s + n, p, ep)) {
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
static const char *expand_min(mstate *ms, const char *s, const char *p,
                              const char *ep) {
  for (;;) {
    const char *r = do_match(ms, s, ep + 1);
    if (r != NULL) return r;
    if (!single(ms, s, p, ep)) return NULL;
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
  int before = s == ms->src ? 0 : (unsigned char)s[-1];
  int here = s < ms->src_end ? (unsigned char)*s : 0;
  return !set_has(ms, before, p, *ep - 1) && set_has(ms, here, p, *ep - 1);
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
  if (isdigit((unsigned char)kind)) {
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
  char q = peek(ms, ep);
  if (!single(ms, s, p, ep)) {
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
  case '+': *sp = expand_max(ms, s + 1, p, ep); return DECIDED;
  case '*': *sp = expand_max(ms, s, p, ep); return DECIDED;
  case '-': *sp = expand_min(ms, s, p, ep); return DECIDED;
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

static void ms_init(mstate *ms, lua_State *L, lpat_meter *m, const char *s,
                    size_t ls, const char *p, size_t lp) {
  ms->src = s;
  ms->src_end = s + ls;
  ms->pat_end = p + lp;
  ms->L = L;
  ms->meter = m;
  ms->depth_left = MAX_DEPTH;
  ms->level = 0;
}

/* Readies for a match attempt at a new start position (one unit). */
static void ms_restart(mstate *ms) {
  ms_charge(ms, 1);
  ms->level = 0;
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
static bool has_specials(lua_State *L, lpat_meter *m, const char *p,
                         size_t lp) {
  charge(L, m, 1 + (int64_t)(lp / BULK));
  for (size_t i = 0; i < lp; i++)
    if (p[i] != '\0' && strchr(SPECIALS, p[i]) != NULL) return true;
  return false;
}

/* Plain substring search: each memchr pass is charged after it (it is
** linear and bounded), each candidate comparison before it. */
static const char *plain_find(lua_State *L, lpat_meter *m, const char *s,
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
  lpat_meter *m = upvalue_meter(L, 1);
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
  for (const char *at = s + init - 1;; at++) {
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
  for (const char *at = s + gs->next; at <= ms.src_end; at++) {
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
    } else if (isdigit((unsigned char)d)) {
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
  lpat_meter *m = upvalue_meter(L, 1);
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
  const char *at = s, *last = NULL;
  lua_Integer n = 0;
  bool changed = false;
  while (n < max_n) {
    ms_restart(&ms);
    const char *e = do_match(&ms, at, p);
    if (e != NULL && e != last) { /* an empty match right after a match
                                     does not count */
      n++;
      changed = add_replacement(&ms, &b, at, e, tr) || changed;
      at = last = e;
    } else if (at < ms.src_end) {
      luaL_addchar(&b, *at++);
    } else {
      break;
    }
    if (anchor) break;
  }
  if (!changed) {
    lua_pushvalue(L, 1);
  } else {
    luaL_addlstring(&b, at, (size_t)(ms.src_end - at));
    luaL_pushresult(&b);
  }
  lua_pushinteger(L, n);
  return 2;
}

/* ---- registration ------------------------------------------------------ */

void lpat_register(lua_State *L, lpat_meter *meter) {
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
