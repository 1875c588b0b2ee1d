/*
** rule.c: loading and validating rule files (see rule.h).
*/
#include "rule.h"

#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <lauxlib.h>
#include <string.h>
#include <strings.h>

#include "../core/alloc.h"

static const char *const known_tools[] = {"cis", "hadolint", "trivy", "kics",
                                          "checkov", NULL};

static const char *const severity_names[] = {"info", "low", "medium", "high",
                                             "critical", NULL};

const char *const eng_rule_profile_names[ENG_PROFILE_COUNT] = {"default", "strict", "all"};

int eng_rule_profile_of(const char *name) {
  for (int i = 0; i < ENG_PROFILE_COUNT; i++)
    if (strcmp(name, eng_rule_profile_names[i]) == 0) return i;
  return -1;
}

const char *const eng_rule_subject_names[ENG_RULE_SUBJECT_KINDS] = {
    "image", "container", "document", "request", "vulnerability"};
const char *const eng_rule_subject_lists[ENG_RULE_SUBJECT_KINDS] = {
    "images", "containers", NULL, "requests", "vulnerabilities"};

void eng_rule_free(eng_rule *r) {
  if (r == NULL) return;
  pol_free(r->id);
  pol_free(r->title);
  pol_free(r->description);
  pol_free(r->remediation);
  for (size_t i = 0; i < r->nrefs; i++) {
    pol_free(r->refs[i].tool);
    pol_free(r->refs[i].id);
  }
  pol_free(r->refs);
  pol_free(r->origin);
  if (r->code == NULL) pol_free((char *)r->source);
  pol_free(r->codes);
  pol_free(r);
}

bool eng_rule_matches(const eng_rule *r, const char *name) {
  if (strcmp(r->id, name) == 0) return true;
  for (size_t i = 0; i < r->nrefs; i++)
    if (strcasecmp(r->refs[i].id, name) == 0) return true;
  return false;
}

/* A linter's code kept as the rule id (hadolint's DL3008, ShellCheck's
** SC2086): two upper-case letters and four digits. */
static bool tool_code(const char *s, size_t n) {
  if (n != 6 || !isupper((unsigned char)s[0]) || !isupper((unsigned char)s[1])) return false;
  for (size_t i = 2; i < n; i++)
    if (!isdigit((unsigned char)s[i])) return false;
  return true;
}

bool eng_rule_code_in(const char *family, const char *code) {
  return family && tool_code(code, strlen(code)) && code[0] == family[0] && code[1] == family[1];
}

bool eng_rule_has_code(const eng_rule *r, const char *code) {
  return eng_rule_code_in(r->codes, code);
}

static bool valid_id(const char *s, size_t n) {
  if (tool_code(s, n)) return true;
  if (n == 0 || n > 64 || !islower((unsigned char)s[0])) return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!(islower((unsigned char)c) || isdigit((unsigned char)c) || c == '-')) return false;
    if (c == '-' && (i + 1 == n || s[i + 1] == '-')) return false;
  }
  return true;
}

/* Reads t[key] raw; returns its type. */
static int raw_field(lua_State *L, int t, const char *key) {
  lua_pushstring(L, key);
  return lua_rawget(L, t);
}

/* State of one metadata read. read_meta runs inside eng_sb_call, so a Lua
** memory error while pushing a key unwinds to it instead of panicking;
** every host allocation is stored in the rule at once, so eng_rule_free
** releases it whatever happens. */
typedef struct loader {
  lua_State *L;
  int t;
  pol_buf *err;
  const char *origin;
  eng_rule *r;
  bool ok;
  bool nomem;
} loader;

static void complain(loader *ld, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Records the first problem as "origin: message". */
static void complain(loader *ld, const char *fmt, ...) {
  if (!ld->ok) return;
  pol_buf_printf(ld->err, "%s: ", ld->origin);
  va_list ap;
  va_start(ap, fmt);
  pol_buf_vprintf(ld->err, fmt, ap);
  va_end(ap);
  ld->ok = false;
}

/* A required (or optional) non-empty string field of at most `max`
** bytes, copied. */
static char *string_field(loader *ld, const char *key, bool required, size_t max) {
  lua_State *L = ld->L;
  int type = raw_field(L, ld->t, key);
  char *copy = NULL;
  if (type == LUA_TSTRING) {
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    if (n == 0 && required) complain(ld, "rule field '%s' must not be empty", key);
    else if (n > max) complain(ld, "rule field '%s' is longer than %zu bytes", key, max);
    else if (strlen(s) != n) complain(ld, "rule field '%s' must not hold a NUL byte", key);
    else if ((copy = pol_strndup(s, n)) == NULL) ld->ok = false, ld->nomem = true;
  } else if (type != LUA_TNIL || required) {
    complain(ld, "rule field '%s' must be a string", key);
  }
  lua_pop(L, 1);
  return copy;
}

static void read_severity(loader *ld, eng_rule *r) {
  char *s = string_field(ld, "severity", true, 16);
  for (int i = 0; s && severity_names[i]; i++)
    if (strcmp(s, severity_names[i]) == 0) r->severity = i + 1; /* policy_severity */
  if (s && r->severity == 0)
    complain(ld, "severity must be one of critical, high, medium, low, info; not '%s'", s);
  pol_free(s);
}

/* profile = "default" | "strict" | "all"; absent: "default". */
static void read_profile(loader *ld, eng_rule *r) {
  char *s = string_field(ld, "profile", false, 16);
  r->profile = s ? eng_rule_profile_of(s) : ENG_PROFILE_DEFAULT;
  if (r->profile < 0) {
    complain(ld, "profile must be one of default, strict, all; not '%s'", s);
    r->profile = ENG_PROFILE_DEFAULT;
  }
  assert(r->profile >= 0 && r->profile < ENG_PROFILE_COUNT);
  pol_free(s);
}

static unsigned applies_word(loader *ld, const char *w) {
  for (unsigned k = 0; k < ENG_RULE_SUBJECT_KINDS; k++)
    if (strcmp(w, eng_rule_subject_names[k]) == 0) return 1u << k;
  complain(ld, "applies_to must name image, container, document, request or "
           "vulnerability; not '%.64s'", w);
  return 0;
}

static void read_applies(loader *ld, eng_rule *r) {
  lua_State *L = ld->L;
  int type = raw_field(L, ld->t, "applies_to");
  if (type == LUA_TSTRING) {
    r->applies = applies_word(ld, lua_tostring(L, -1));
  } else if (type == LUA_TTABLE) {
    for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
      r->applies |= applies_word(ld, lua_tostring(L, -1));
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (r->applies == 0) complain(ld, "applies_to must list image, container or document");
  } else {
    complain(ld, "rule field 'applies_to' must be a string or a list of strings");
  }
  lua_pop(L, 1);
}

static bool add_ref(loader *ld, eng_rule *r, const char *tool, const char *id, size_t n) {
  if (r->nrefs == ENG_RULE_MAX_REFS) {
    complain(ld, "a rule may have at most %d refs", ENG_RULE_MAX_REFS);
    return true;
  }
  if (n == 0 || n > ENG_RULE_MAX_REF || strlen(id) != n) {
    complain(ld, "refs.%s: an id must have 1 to %d bytes and no NUL", tool, ENG_RULE_MAX_REF);
    return true;
  }
  eng_rule_ref *refs = pol_realloc(r->refs, (r->nrefs + 1) * sizeof *refs);
  if (refs == NULL) return false;
  r->refs = refs;
  refs[r->nrefs].tool = pol_strndup(tool, strlen(tool));
  refs[r->nrefs].id = pol_strndup(id, n);
  if (refs[r->nrefs].tool == NULL || refs[r->nrefs].id == NULL) {
    pol_free(refs[r->nrefs].tool);
    pol_free(refs[r->nrefs].id);
    return false;
  }
  r->nrefs++;
  return true;
}

/* refs = { tool = "id" | {"id", ...} } for the known tools only. */
static void read_refs(loader *ld, eng_rule *r) {
  lua_State *L = ld->L;
  int type = raw_field(L, ld->t, "refs");
  if (type == LUA_TNIL) { lua_pop(L, 1); return; }
  if (type != LUA_TTABLE) {
    complain(ld, "rule field 'refs' must be a table");
    lua_pop(L, 1);
    return;
  }
  int refs = lua_gettop(L);
  lua_pushnil(L);
  while (ld->ok && lua_next(L, refs)) {
    if (lua_type(L, -2) != LUA_TSTRING) { complain(ld, "refs keys must be tool names"); lua_pop(L, 1); break; }
    const char *tool = lua_tostring(L, -2);
    bool known = false;
    for (size_t i = 0; known_tools[i]; i++) known = known || !strcmp(known_tools[i], tool);
    if (!known) complain(ld, "refs may name cis, hadolint, trivy, kics and checkov; not '%.64s'", tool);
    if (lua_type(L, -1) == LUA_TSTRING) {
      size_t n;
      const char *id = lua_tolstring(L, -1, &n);
      if (ld->ok && !add_ref(ld, r, tool, id, n)) ld->ok = false, ld->nomem = true;
    } else if (lua_type(L, -1) == LUA_TTABLE) {
      for (lua_Integer i = 1; ld->ok && lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
        size_t n;
        const char *id = lua_tolstring(L, -1, &n);
        if (!add_ref(ld, r, tool, id, n)) ld->ok = false, ld->nomem = true;
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    } else {
      complain(ld, "refs.%s must be a string or a list of strings", tool);
    }
    lua_pop(L, 1);
  }
  lua_settop(L, refs - 1);
}

static size_t tool_rank(const char *tool) {
  size_t i = 0;
  while (known_tools[i] && strcmp(known_tools[i], tool) != 0) i++;
  return i;
}

typedef struct ranked_ref {
  eng_rule_ref ref;
  size_t rank, order;
} ranked_ref;

static int cmp_ranked(const void *pa, const void *pb) {
  const ranked_ref *a = pa, *b = pb;
  if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
  return a->order < b->order ? -1 : a->order > b->order;
}

/* Refs in the order of known_tools, ids of a tool in the order written:
** stable output whatever order Lua's table traversal gave. O(n log n). */
static bool sort_refs(eng_rule *r) {
  if (r->nrefs < 2) return true;
  ranked_ref *tmp = pol_calloc(r->nrefs, sizeof *tmp);
  if (tmp == NULL) return false;
  for (size_t i = 0; i < r->nrefs; i++)
    tmp[i] = (ranked_ref){r->refs[i], tool_rank(r->refs[i].tool), i};
  qsort(tmp, r->nrefs, sizeof *tmp, cmp_ranked);
  for (size_t i = 0; i < r->nrefs; i++) r->refs[i] = tmp[i].ref;
  pol_free(tmp);
  return true;
}

static void read_meta(loader *ld, eng_rule *r) {
  lua_State *L = ld->L;
  size_t n;
  if (raw_field(L, ld->t, "id") != LUA_TSTRING) {
    lua_pop(L, 1);
    complain(ld, "a rule needs an 'id' string");
    return;
  }
  const char *id = lua_tolstring(L, -1, &n);
  if (!valid_id(id, n)) complain(ld, "rule id '%.64s' must be kebab-case: lower-case letters, digits and single dashes (at most 64), or a linter's code such as DL3008", id);
  else if ((r->id = pol_strndup(id, n)) == NULL) ld->ok = false, ld->nomem = true;
  lua_pop(L, 1);
  r->title = string_field(ld, "title", true, ENG_RULE_MAX_TITLE);
  read_severity(ld, r);
  read_applies(ld, r);
  r->description = string_field(ld, "description", true, ENG_RULE_MAX_TEXT);
  r->remediation = string_field(ld, "remediation", true, ENG_RULE_MAX_TEXT);
  read_refs(ld, r);
  read_profile(ld, r);
  r->codes = string_field(ld, "codes", false, 2);
  if (r->codes && (!isupper((unsigned char)r->codes[0]) || !isupper((unsigned char)r->codes[1])))
    complain(ld, "codes must be two capital letters (the family SC means SC0000 to SC9999); not '%s'",
             r->codes);
  if (ld->ok && !sort_refs(r)) ld->ok = false, ld->nomem = true;
  if (raw_field(L, ld->t, "check") != LUA_TFUNCTION)
    complain(ld, "rule field 'check' must be a function");
  lua_pop(L, 1);
}

static int read_meta_protected(lua_State *L) {
  loader *ld = lua_touserdata(L, 1);
  ld->L = L;
  ld->t = 2;
  read_meta(ld, ld->r);
  return 0;
}

/* The rule's frozen globals get a copy of every base global they do not
** set themselves, so a global read is one step (the globals' shadow)
** instead of two (the shadow, then the base through its metatable). */
static void flatten_globals(lua_State *L, int globals) {
  eng_sb_push_base(L);
  eng_sb_frozen_merge(L, globals, -1);
  lua_pop(L, 1);
}

/* True when the globals a rule file left (at idx) are only the _G every
** globals table starts with. */
static bool only_g(lua_State *L, int idx) {
  lua_pushnil(L);
  if (!lua_next(L, idx)) return true;
  bool g = lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), "_G") == 0;
  lua_pop(L, 1); /* the key stays for the next step */
  if (!g) {
    lua_pop(L, 1);
    return false;
  }
  if (!lua_next(L, idx)) return true; /* _G was the only entry */
  lua_pop(L, 2);
  return false;
}

static char shared_globals_key; /* registry: the frozen globals rules share */

/* Pushes the engine's shared globals: a frozen copy of the base with _G,
** made by the first rule file that needs it. */
static void push_shared_globals(lua_State *L, eng_sandbox *sb) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &shared_globals_key) == LUA_TTABLE) return;
  lua_pop(L, 1);
  eng_sb_push_env(sb); /* {_G}, reading through to the base */
  lua_newtable(L);
  lua_newtable(L);
  eng_sb_freeze(L, -3, -2, -1); /* no closure in it: no cells */
  lua_pop(L, 2);
  flatten_globals(L, lua_gettop(L));
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &shared_globals_key);
}

/* (record parts...) after the rule table, its globals and its main
** chunk, the chunk's writes and whether it is trusted: freezes what the
** file built and keeps what a run needs in one registry slot: {check,
** main, globals, fresh globals' metatable or false, cells or false}.
**
** A trusted rule (the built-in pack's) that defines no global and writes
** no upvalue cell is not frozen: what it built is reachable from its own
** functions only (the libraries and base globals it shares are frozen),
** so freezing would only guard it against itself, at a step through a
** metatable on every read of its constant tables and 5.5M instructions
** (27%) of loading the pack. tests/unit/test_worker.c runs the built-in
** packs frozen (eng_sb_set_freeze_trusted) over the examples and the
** corpus and compares: a write to its own state would show there. */
static int prepare_protected(lua_State *L) {
  /* 1: rule table, 2: globals, 3: main chunk, 4: writes, 5: sandbox,
  ** 6: trusted */
  unsigned writes = (unsigned)lua_tointeger(L, 4);
  eng_sandbox *sb = lua_touserdata(L, 5);
  bool trusted = lua_toboolean(L, 6);
  lua_settop(L, 4);
  lua_pushliteral(L, "check");
  if (lua_rawget(L, 1) != LUA_TFUNCTION)
    return luaL_error(L, "rule field 'check' must be a function");
  lua_newtable(L); /* 6: seen */
  lua_newtable(L); /* 7: cells */
  if (!(writes & ENG_SB_WRITES_GLOBALS) && only_g(L, 2)) {
    /* No globals of its own, none written later: the file's functions
    ** read the engine's shared frozen globals (the chunk's _ENV cell is
    ** the one every function of the file holds). */
    push_shared_globals(L, sb);
    lua_replace(L, 2);
    lua_pushvalue(L, 2);
    lua_setupvalue(L, 3, 1);
    if (!trusted || (writes & ENG_SB_WRITES_UPVALUES)) eng_sb_freeze(L, 1, 6, 7);
  } else {
    eng_sb_freeze(L, 1, 6, 7);
    eng_sb_freeze(L, 2, 6, 7);
    flatten_globals(L, 2);
  }
  lua_createtable(L, 5, 0);
  int rec = lua_gettop(L);
  lua_pushvalue(L, 5);
  lua_rawseti(L, rec, 1);
  lua_pushvalue(L, 3);
  lua_rawseti(L, rec, 2);
  lua_pushvalue(L, 2);
  lua_rawseti(L, rec, 3);
  if (writes & ENG_SB_WRITES_GLOBALS) {
    /* A fresh globals table per run reads through to the frozen ones. */
    lua_createtable(L, 0, 2);
    if (!eng_sb_frozen_shadow(L, 2)) lua_pushvalue(L, 2);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
  } else {
    lua_pushboolean(L, 0);
  }
  lua_rawseti(L, rec, 4);
  if (writes & ENG_SB_WRITES_UPVALUES) lua_pushvalue(L, 7);
  else lua_pushboolean(L, 0);
  lua_rawseti(L, rec, 5);
  lua_pushinteger(L, luaL_ref(L, LUA_REGISTRYINDEX));
  return 1;
}

/* A budget that ran out while the rule file itself ran: the message says
** which (replacing the sandbox's text), by the limit's API name. */
static void limit_hint(pol_buf *err, size_t start, const char *origin, int status) {
  const char *limit = status == ENG_SB_ERR_MEMORY         ? "POLICY_LIMIT_LUA_MEMORY_BYTES"
                      : status == ENG_SB_ERR_INSTRUCTIONS ? "POLICY_LIMIT_INSTRUCTIONS"
                      : status == ENG_SB_ERR_TIME         ? "POLICY_LIMIT_TIME_MS"
                                                      : NULL;
  if (limit == NULL || err->oom || err->len < start) return;
  err->len = start;
  if (err->data) err->data[start] = '\0';
  pol_buf_printf(err, "%s: running the rule file went over its limit %s", origin, limit);
}

/* Messages of a failed load always start with the rule file's name. */
static void name_origin(pol_buf *err, size_t start, const char *origin) {
  size_t olen = strlen(origin);
  if (err->oom || err->len < start) return;
  if (err->len - start >= olen && memcmp(err->data + start, origin, olen) == 0) return;
  pol_buf named = POL_BUF_INIT;
  pol_buf_printf(&named, "%s: %s", origin, err->data ? err->data + start : "");
  err->len = start;
  pol_buf_append(err, named.data, named.len);
  pol_buf_free(&named);
}

/* Loads, runs and prepares the rule's file in sb; with `ld`, reads and
** checks its metadata on the way. Returns an eng_sb_status (ENG_SB_ERR_RUNTIME for
** a rule whose table is wrong) with the message in *err. */
static int compile(eng_sandbox *sb, eng_rule *r, pol_buf *err, loader *ld) {
  lua_State *L = eng_sb_state(sb);
  int top = lua_gettop(L);
  size_t start = err->len;
  eng_sb_code code = {r->source, r->source_len, r->code, r->code_len, r->code_writes};
  unsigned writes;
  int st = eng_sb_load_code(sb, r->origin, &code, &writes, err);
  if (st != ENG_SB_OK) {
    name_origin(err, start, r->origin);
    return st;
  }
  int chunk = lua_gettop(L);
  eng_sb_push_env(sb);
  if (r->modules && (st = eng_mod_bind(sb, r->modules, -1, err)) != ENG_SB_OK) {
    name_origin(err, start, r->origin);
    lua_settop(L, top);
    return st;
  }
  if (r->modules) { /* a pack's rule: a global defined nowhere is refused */
    if (!lua_checkstack(L, 4)) {
      pol_buf_puts(err, "out of memory");
      lua_settop(L, top);
      return ENG_SB_ERR_NOMEM;
    }
    lua_pushcfunction(L, eng_sb_check_globals);
    lua_pushvalue(L, chunk);
    lua_pushvalue(L, chunk + 1);
    lua_pushlightuserdata(L, r->origin); /* no allocation out here */
    if ((st = eng_sb_call(sb, 3, 0, err)) != ENG_SB_OK) {
      name_origin(err, start, r->origin);
      lua_settop(L, top);
      return st;
    }
  }
  lua_pushvalue(L, -1);
  eng_sb_set_env(sb, chunk);
  lua_pushvalue(L, chunk);
  eng_sb_set_trusted(sb, r->trusted);
  st = eng_sb_call(sb, 0, 1, err); /* chunk, globals, rule table */
  if (st != ENG_SB_OK) {
    limit_hint(err, start, r->origin, st);
    name_origin(err, start, r->origin);
    lua_settop(L, top);
    return st;
  }
  if (lua_type(L, -1) != LUA_TTABLE) {
    pol_buf_printf(err, "%s: a rule file must return a table (the rule)", r->origin);
    lua_settop(L, top);
    return ENG_SB_ERR_RUNTIME;
  }
  int table = lua_gettop(L);
  if (ld) {
    lua_pushcfunction(L, read_meta_protected);
    lua_pushlightuserdata(L, ld);
    lua_pushvalue(L, table);
    size_t meta_start = err->len;
    st = eng_sb_call(sb, 2, 0, err);
    if (st != ENG_SB_OK) {
      limit_hint(err, meta_start, r->origin, st);
      if (st == ENG_SB_ERR_NOMEM) ld->nomem = true;
    } else if (!ld->ok) {
      st = ld->nomem ? ENG_SB_ERR_NOMEM : ENG_SB_ERR_RUNTIME;
    }
    if (st != ENG_SB_OK) {
      lua_settop(L, top);
      return st;
    }
  }
  if (!lua_checkstack(L, 7)) {
    lua_settop(L, top);
    pol_buf_puts(err, "out of memory");
    return ENG_SB_ERR_NOMEM;
  }
  lua_pushcfunction(L, prepare_protected);
  lua_pushvalue(L, table);
  lua_pushvalue(L, chunk + 1); /* the globals */
  lua_pushvalue(L, chunk);
  lua_pushinteger(L, (lua_Integer)writes);
  lua_pushlightuserdata(L, sb);
  lua_pushboolean(L, r->trusted && !eng_sb_freeze_trusted(sb));
  st = eng_sb_call(sb, 6, 1, err);
  if (st == ENG_SB_OK) r->slot = (int)lua_tointeger(L, -1);
  else name_origin(err, start, r->origin);
  lua_settop(L, top);
  return st;
}

int eng_rule_compile(eng_sandbox *sb, eng_rule *r, pol_buf *err) {
  r->slot = LUA_NOREF;
  return compile(sb, r, err, NULL);
}

bool eng_rule_load(eng_sandbox *sb, const char *origin, const eng_sb_code *code,
               bool trusted, const eng_mod_set *modules,
               eng_rule **out, pol_buf *err, bool *nomem) {
  const char *source = code->src;
  size_t len = code->src_len;
  *out = NULL;
  *nomem = false;
  eng_rule *r = pol_calloc(1, sizeof *r);
  if (r == NULL) { *nomem = true; return false; }
  r->slot = LUA_NOREF;
  r->trusted = trusted;
  r->modules = modules;
  r->origin = pol_strndup(origin, strlen(origin));
  assert(code->bytes == NULL || trusted); /* binary: the library's own files only */
  /* The library's own text lives as long as the library: not copied. */
  r->source = code->bytes ? source : pol_strndup(source, len);
  r->source_len = len;
  r->code = code->bytes;
  r->code_len = code->len;
  r->code_writes = code->writes;
  if (r->origin == NULL || r->source == NULL) { eng_rule_free(r); *nomem = true; return false; }
  loader ld = {NULL, 0, err, origin, r, true, false};
  int st = compile(sb, r, err, &ld);
  if (st != ENG_SB_OK) {
    *nomem = st == ENG_SB_ERR_NOMEM || ld.nomem; /* the host's memory, not a bad eng_rule */
    eng_rule_free(r);
    return false;
  }
  *out = r;
  return true;
}

bool eng_rule_push_check(eng_sandbox *sb, const eng_rule *r) {
  lua_State *L = eng_sb_state(sb);
  assert(r->slot != LUA_NOREF && lua_checkstack(L, 3));
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->slot);
  bool parts = lua_rawgeti(L, -1, 4) != LUA_TBOOLEAN; /* a fresh globals table */
  parts |= lua_rawgeti(L, -2, 5) != LUA_TBOOLEAN;      /* cells to restore */
  lua_pop(L, 2);
  lua_rawgeti(L, -1, 1);
  lua_replace(L, -2);
  return parts;
}

void eng_rule_push_parts(eng_sandbox *sb, const eng_rule *r) {
  lua_State *L = eng_sb_state(sb);
  assert(r->slot != LUA_NOREF && lua_checkstack(L, 7));
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->slot);
  for (int i = 1; i <= 5; i++) {
    if (lua_rawgeti(L, -i, i) == LUA_TBOOLEAN) {
      lua_pop(L, 1);
      lua_pushnil(L);
    }
  }
  lua_remove(L, -6);
}
