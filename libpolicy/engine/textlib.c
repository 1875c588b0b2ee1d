/*
** textlib.c: the global `text`, C helpers every rule may call for work
** that Lua patterns would do many times slower:
**
**   text.credential(s)  what kind of credential s holds by its shape
**                       ("an AWS access key id", "a private key", "a
**                       GitHub token", ... "a password in a URL"), or nil
**   text.find_credential(list [, from [, prefix | names]])
**                       the first string of list[from..#list] (list: a
**                       list, or a model object: its argv) that
**                       text.credential names (its index, the kind and
**                       the string) or, when prefix is given, that starts
**                       with it, or when names is (a set of options:
**                       {["--token"] = true, ...}), that starts with "-"
**                       and is one of them alone or before "=" (its
**                       index, nil and the string); nil when there is
**                       none: one call for a whole argv
**   text.base(path)     the last part of a path ("/usr/bin/apt-get" ->
**                       "apt-get"; nil -> "")
**
** The credential scanner looks for each shape's literal prefix first
** (AKIA, -----BEGIN, ghp_, eyJ, ://, ...) with memmem, and checks the
** exact shape only where a prefix stands, so a string costs one pass per
** prefix; the work is charged by its length like the other string
** functions. The shapes, in the order they are tried (the first that
** matches names the kind):
**   AKIA|ASIA + 16 [0-9A-Z], standing alone   an AWS access key id
**   -----BEGIN [A-Z ]* PRIVATE KEY-----         a private key
**   gh[pousr]_ + 36 [A-Za-z0-9]                 a GitHub token
**   github_pat_ + 40 [A-Za-z0-9_]               a GitHub token
**   glpat- + 20 [A-Za-z0-9_-]                   a GitLab token
**   xox[abprs]- + 10 [A-Za-z0-9-]               a Slack token
**   [sr]k_live_ + 20 [A-Za-z0-9]                a Stripe key
**   AIza + 35 [A-Za-z0-9_-]                     a Google API key
**   npm_ + 36 [A-Za-z0-9]                       an npm token
**   eyJ...eyJ... three dot-separated parts      a JSON Web Token
** each starting a word (no letter or digit before it); then a password in
** a URL: scheme://user:password@ where the password is not a $variable
** or only stars (the first user:password@ after a scheme decides).
*/
#define _GNU_SOURCE /* memmem */
#include "sandbox_int.h"

#include <assert.h>
#include <ctype.h>
#include <string.h>

#include <lauxlib.h>

#include "../model/value.h"

#define SCAN_PER_UNIT 4

static bool alnum(unsigned char c) { return isalnum(c) != 0; }

/* Word start: no letter or digit just before s[i]. */
static bool starts_word(const char *s, size_t i) {
  return i == 0 || !alnum((unsigned char)s[i - 1]);
}

/* n characters from s[i] on, each in the class: 'A' [0-9A-Z], 'w'
** [A-Za-z0-9], '_' [A-Za-z0-9_], '-' [A-Za-z0-9_-], 's' [A-Za-z0-9-]. */
static bool run_of(const char *s, size_t len, size_t i, size_t n, char cls) {
  if (i + n > len) return false;
  for (size_t k = i; k < i + n; k++) {
    unsigned char c = (unsigned char)s[k];
    bool ok = cls == 'A' ? (isdigit(c) || isupper(c))
              : cls == 'w' ? alnum(c)
              : cls == '_' ? (alnum(c) || c == '_')
              : cls == '-' ? (alnum(c) || c == '_' || c == '-')
                           : (alnum(c) || c == '-');
    if (!ok) return false;
  }
  return true;
}

/* A shape: a literal prefix (a '?' byte stands for one of `alts`), then
** `count` characters of class `cls`, then (when `alone`) no letter or
** digit. */
typedef struct shape {
  const char *prefix;
  const char *alts;
  size_t count;
  char cls;
  bool alone;
  const char *kind;
} shape;

static const shape shapes[] = {
    {"AKIA", NULL, 16, 'A', true, "an AWS access key id"},
    {"ASIA", NULL, 16, 'A', true, "an AWS access key id"},
    {NULL, NULL, 0, 0, false, "a private key"}, /* special: see private_key */
    {"gh?_", "pousr", 36, 'w', false, "a GitHub token"},
    {"github_pat_", NULL, 40, '_', false, "a GitHub token"},
    {"glpat-", NULL, 20, '-', false, "a GitLab token"},
    {"xox?-", "abprs", 10, 's', false, "a Slack token"},
    {"?k_live_", "sr", 20, 'w', false, "a Stripe key"},
    {"AIza", NULL, 35, '-', false, "a Google API key"},
    {"npm_", NULL, 36, 'w', false, "an npm token"},
    {NULL, NULL, 0, 0, false, "a JSON Web Token"}, /* special: see jwt */
};

/* Where the prefix matches at i ('?' against its alternatives). */
static bool prefix_at(const shape *sh, const char *s, size_t len, size_t i) {
  size_t n = strlen(sh->prefix);
  if (i + n > len) return false;
  for (size_t k = 0; k < n; k++) {
    char p = sh->prefix[k];
    if (p == '?' ? strchr(sh->alts, s[i + k]) == NULL || s[i + k] == '\0' : p != s[i + k])
      return false;
  }
  return true;
}

static bool match_shape(const shape *sh, const char *s, size_t len) {
  /* The literal bytes before the first '?' find the candidates; a shape
  ** that starts with '?' is found by the bytes after it. */
  const char *q = strchr(sh->prefix, '?');
  size_t lead = q ? (size_t)(q - sh->prefix) : strlen(sh->prefix);
  const char *key = lead ? sh->prefix : sh->prefix + 1;
  size_t keylen = lead ? lead : strlen(key);
  size_t back = lead ? 0 : 1, plen = strlen(sh->prefix);
  for (size_t from = back; from < len;) {
    const char *hit = memmem(s + from, len - from, key, keylen);
    if (hit == NULL) return false;
    size_t at = (size_t)(hit - s) - back, end = at + plen + sh->count;
    if (starts_word(s, at) && prefix_at(sh, s, len, at) &&
        run_of(s, len, at + plen, sh->count, sh->cls) &&
        (!sh->alone || end == len || !alnum((unsigned char)s[end])))
      return true;
    from = (size_t)(hit - s) + 1;
  }
  return false;
}

/* -----BEGIN, then [A-Z ]*, with " PRIVATE KEY-----" starting inside or
** right after that run. */
static bool private_key(const char *s, size_t len) {
  static const char begin[] = "-----BEGIN", tail[] = " PRIVATE KEY-----";
  const char *hit = s;
  while ((hit = memmem(hit, len - (size_t)(hit - s), begin, sizeof begin - 1)) != NULL) {
    size_t i = (size_t)(hit - s) + sizeof begin - 1, j = i;
    while (j < len && (isupper((unsigned char)s[j]) || s[j] == ' ')) j++;
    for (size_t k = i; k <= j; k++)
      if (k + sizeof tail - 1 <= len && memcmp(s + k, tail, sizeof tail - 1) == 0) return true;
    hit++;
  }
  return false;
}

static bool jwt_char(unsigned char c) { return alnum(c) || c == '_' || c == '-'; }

/* eyJ[A-Za-z0-9_-]+ . eyJ[A-Za-z0-9_-]+ . [A-Za-z0-9_-]+, at a word start. */
static bool jwt(const char *s, size_t len) {
  const char *hit = s;
  while ((hit = memmem(hit, len - (size_t)(hit - s), "eyJ", 3)) != NULL) {
    size_t i = (size_t)(hit - s);
    hit++;
    if (!starts_word(s, i)) continue;
    size_t k = i + 3, n = 0;
    while (k < len && jwt_char((unsigned char)s[k])) k++, n++;
    if (n == 0 || k + 4 > len || s[k] != '.' || memcmp(s + k + 1, "eyJ", 3) != 0) continue;
    k += 4;
    n = 0;
    while (k < len && jwt_char((unsigned char)s[k])) k++, n++;
    if (n == 0 || k >= len || s[k] != '.') continue;
    if (k + 1 < len && jwt_char((unsigned char)s[k + 1])) return true;
  }
  return false;
}

static bool url_text_char(unsigned char c, bool colon_ends) {
  return c != '/' && c != '@' && !isspace(c) && !(colon_ends && c == ':');
}

/* The first scheme://user:password@ decides: true when its password is a
** literal (not $VAR, not only stars). */
static bool url_password(const char *s, size_t len) {
  const char *hit = s;
  while ((hit = memmem(hit, len - (size_t)(hit - s), "://", 3)) != NULL) {
    size_t at = (size_t)(hit - s);
    hit++;
    /* A scheme: [A-Za-z][A-Za-z0-9+.-]* right before "://". */
    size_t b = at;
    bool letter = false;
    while (b > 0 && (alnum((unsigned char)s[b - 1]) || strchr("+.-", s[b - 1]))) {
      b--;
      if (isalpha((unsigned char)s[b])) letter = true;
    }
    if (!letter) continue;
    size_t u = at + 3, k = u;
    while (k < len && url_text_char((unsigned char)s[k], true)) k++;
    if (k == u || k >= len || s[k] != ':') continue;
    size_t p = ++k;
    while (k < len && url_text_char((unsigned char)s[k], false)) k++;
    if (k == p || k >= len || s[k] != '@') continue;
    if (s[p] == '$') return false;
    for (size_t i = p; i < k; i++)
      if (s[i] != '*') return true;
    return false;
  }
  return false;
}

/* The shortest text any shape can match: "a://u:p@". */
#define CREDENTIAL_MIN 8

/* The anchors each shape needs somewhere in the text, as bits: one pass
** over the byte pairs tells which shapes may match at all. */
enum {
  A_AK = 1u << 0, A_AS = 1u << 1, A_DASHES = 1u << 2, A_GH = 1u << 3, A_GL = 1u << 4,
  A_XO = 1u << 5, A_K_ = 1u << 6, A_AI = 1u << 7, A_NP = 1u << 8, A_EY = 1u << 9,
  A_URL = 1u << 10, A_GI = 1u << 11
};
static const unsigned shape_anchor[] = {A_AK, A_AS, A_DASHES, A_GH, A_GI, A_GL, A_XO,
                                        A_K_, A_AI, A_NP, A_EY};

static unsigned anchors(const char *s, size_t len) {
  unsigned seen = 0;
  for (size_t i = 0; i + 1 < len; i++) {
    char n = s[i + 1];
    switch (s[i]) {
    case 'A': seen |= n == 'K' ? A_AK : n == 'S' ? A_AS : n == 'I' ? A_AI : 0u; break;
    case '-': seen |= n == '-' ? A_DASHES : 0u; break;
    case 'g': seen |= n == 'h' ? A_GH : n == 'l' ? A_GL : n == 'i' ? A_GI : 0u; break;
    case 'x': seen |= n == 'o' ? A_XO : 0u; break;
    case 'k': seen |= n == '_' ? A_K_ : 0u; break;
    case 'n': seen |= n == 'p' ? A_NP : 0u; break;
    case 'e': seen |= n == 'y' ? A_EY : 0u; break;
    case ':': seen |= n == '/' ? A_URL : 0u; break;
    default: break;
    }
  }
  return seen;
}

/* The kind of credential s holds, or NULL. */
static const char *credential(const char *s, size_t len) {
  if (len < CREDENTIAL_MIN) return NULL;
  unsigned seen = anchors(s, len);
  if (seen == 0) return NULL;
  for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
    const shape *sh = &shapes[i];
    if (!(seen & shape_anchor[i])) continue;
    bool hit = sh->prefix ? match_shape(sh, s, len)
               : i == 2   ? private_key(s, len)
                          : jwt(s, len);
    if (hit) return sh->kind;
  }
  return (seen & A_URL) && url_password(s, len) ? "a password in a URL" : NULL;
}

static int text_credential(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  eng_sb_charge(L, (int64_t)(len * 12 / SCAN_PER_UNIT)); /* a pass per shape */
  const char *kind = credential(s, len);
  if (kind) lua_pushstring(L, kind);
  else lua_pushnil(L);
  return 1;
}

/* A list argument: a model view of an array is read from its node (no
** # or [] through the view, no string pushed), and so is the argv of a
** model object that has one (a command, an exec form: the rule need not
** read cmd.argv, which would make its view); anything else (a table, a
** guarded view gone stale) through # and [], metamethods included. All
** give what list[i] (object.argv[i]) gives for i in 1..#list. */
typedef struct list {
  const pm_value *node; /* the array behind a view, or NULL */
  lua_Integer n;        /* #list */
} list;

static lua_Integer list_open(lua_State *L, int from_arg, list *l) {
  luaL_checkany(L, 1);
  lua_Integer from = luaL_optinteger(L, from_arg, 1);
  l->node = NULL;
  int t = lua_type(L, 1);
  if (t == LUA_TTABLE || t == LUA_TUSERDATA) {
    const pm_value *v = eng_sb_view_node(L, eng_sb_of(L), 1);
    if (v && v->type == PM_OBJ) v = pm_getn(v, "argv", 4);
    if (v && v->type == PM_ARR) l->node = v;
  }
  l->n = l->node ? (lua_Integer)l->node->u.arr.len : luaL_len(L, 1);
  return from < 1 ? 1 : from;
}

/* list[i] as a string, or raises as text.credential(list[i]) would (a
** number is converted). *pushed tells whether a value was left on the
** stack for the caller to pop. */
static const char *list_string(lua_State *L, const list *l, lua_Integer i, size_t *len,
                               bool *pushed, const char *fn) {
  assert(i >= 1 && i <= l->n);
  if (l->node) {
    const pm_value *e = l->node->u.arr.items[i - 1];
    if (e && e->type == PM_STR) {
      *len = e->u.str.len;
      *pushed = false;
      return e->u.str.s;
    }
  }
  lua_geti(L, 1, i);
  *pushed = true;
  const char *s = lua_tolstring(L, -1, len);
  if (s == NULL)
    luaL_error(L, "bad element #%I to '%s' (string expected, got %s)", i, fn,
               luaL_typename(L, -1));
  return s;
}

/* Whether option s (len bytes, "-" first) before its first "=" is a key
** of the set at index 3 (names[key] true). */
static bool named_option(lua_State *L, const char *s, size_t len) {
  const char *eq = memchr(s, '=', len);
  lua_pushlstring(L, s, eq ? (size_t)(eq - s) : len);
  eng_sb_get_element(L, 3);
  bool hit = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return hit;
}

static int text_find_credential(lua_State *L) {
  list l;
  lua_Integer i = list_open(L, 2, &l);
  size_t plen = 0;
  const char *prefix = NULL;
  bool names = lua_type(L, 3) == LUA_TTABLE;
  if (!names) prefix = luaL_optlstring(L, 3, NULL, &plen);
  lua_settop(L, 3);
  for (; i <= l.n; i++) {
    size_t len;
    bool pushed;
    const char *s = list_string(L, &l, i, &len, &pushed, "find_credential");
    /* As text.credential, plus a unit for the element itself. */
    eng_sb_charge(L, (int64_t)(len * 12 / SCAN_PER_UNIT) + 1);
    const char *kind = credential(s, len);
    bool starts = names ? len > 0 && s[0] == '-' && named_option(L, s, len)
                        : prefix && len >= plen && memcmp(s, prefix, plen) == 0;
    if (kind || starts) {
      lua_pushinteger(L, i);
      if (kind) lua_pushstring(L, kind);
      else lua_pushnil(L);
      if (pushed) lua_rotate(L, -3, -1); /* the element itself, third */
      else lua_pushlstring(L, s, len);
      return 3;
    }
    if (pushed) lua_pop(L, 1);
  }
  lua_pushnil(L);
  return 1;
}

static int text_base(lua_State *L) {
  if (lua_isnoneornil(L, 1)) {
    lua_pushliteral(L, "");
    return 1;
  }
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  eng_sb_charge(L, (int64_t)(len / SCAN_PER_UNIT));
  const char *slash = memrchr(s, '/', len);
  if (slash == NULL) {
    lua_settop(L, 1);
    return 1;
  }
  lua_pushlstring(L, slash + 1, len - (size_t)(slash - s) - 1);
  return 1;
}

void eng_sb_open_textlib(lua_State *L) {
  static const luaL_Reg fns[] = {{"credential", text_credential},
                                 {"find_credential", text_find_credential},
                                 {"base", text_base}, {NULL, NULL}};
  lua_createtable(L, 0, 3);
  luaL_setfuncs(L, fns, 0);
}
