/*
** rule.c: loading and validating rule files (see rule.h).
*/
#include "rule.h"

#include <ctype.h>
#include <stdarg.h>
#include <lauxlib.h>
#include <string.h>
#include <strings.h>

#include "../core/alloc.h"
#include "policy/policy.h"

static const char *const known_tools[] = {"cis", "hadolint", "trivy", "kics",
                                          "checkov", NULL};

void rule_free(rule *r) {
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
  pol_free(r->source);
  pol_free(r);
}

bool rule_matches(const rule *r, const char *name) {
  if (strcmp(r->id, name) == 0) return true;
  for (size_t i = 0; i < r->nrefs; i++)
    if (strcasecmp(r->refs[i].id, name) == 0) return true;
  return false;
}

static bool valid_id(const char *s, size_t n) {
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

/* State of one metadata read. read_meta runs inside sb_call, so a Lua
** memory error while pushing a key unwinds to it instead of panicking;
** every host allocation is stored in the rule at once, so rule_free
** releases it whatever happens. */
typedef struct loader {
  lua_State *L;
  int t;
  pol_buf *err;
  const char *origin;
  rule *r;
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

/* A required (or optional) non-empty string field, copied. */
static char *string_field(loader *ld, const char *key, bool required) {
  lua_State *L = ld->L;
  int type = raw_field(L, ld->t, key);
  char *copy = NULL;
  if (type == LUA_TSTRING) {
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    if (n == 0 && required) complain(ld, "rule field '%s' must not be empty", key);
    else if ((copy = pol_strndup(s, n)) == NULL) ld->ok = false, ld->nomem = true;
  } else if (type != LUA_TNIL || required) {
    complain(ld, "rule field '%s' must be a string", key);
  }
  lua_pop(L, 1);
  return copy;
}

static void read_severity(loader *ld, rule *r) {
  char *s = string_field(ld, "severity", true);
  if (s && (r->severity = policy_severity_from_name(s)) == 0)
    complain(ld, "severity must be one of critical, high, medium, low, info; not '%s'", s);
  pol_free(s);
}

static unsigned applies_word(loader *ld, const char *w) {
  if (!strcmp(w, "image")) return RULE_IMAGE;
  if (!strcmp(w, "container")) return RULE_CONTAINER;
  if (!strcmp(w, "document")) return RULE_DOCUMENT;
  if (!strcmp(w, "vulnerability")) return RULE_VULNERABILITY;
  complain(ld, "applies_to must name image, container, document or vulnerability; not '%s'", w);
  return 0;
}

static void read_applies(loader *ld, rule *r) {
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
    if (r->applies == 0) complain(ld, "applies_to must list image, container, document or vulnerability");
  } else {
    complain(ld, "rule field 'applies_to' must be a string or a list of strings");
  }
  lua_pop(L, 1);
}

static bool add_ref(rule *r, const char *tool, const char *id, size_t n) {
  rule_ref *refs = pol_realloc(r->refs, (r->nrefs + 1) * sizeof *refs);
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
static void read_refs(loader *ld, rule *r) {
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
    if (!known) complain(ld, "refs may name cis, hadolint, trivy, kics and checkov; not '%s'", tool);
    if (lua_type(L, -1) == LUA_TSTRING) {
      size_t n;
      const char *id = lua_tolstring(L, -1, &n);
      if (ld->ok && !add_ref(r, tool, id, n)) ld->ok = false, ld->nomem = true;
    } else if (lua_type(L, -1) == LUA_TTABLE) {
      for (lua_Integer i = 1; ld->ok && lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
        size_t n;
        const char *id = lua_tolstring(L, -1, &n);
        if (!add_ref(r, tool, id, n)) ld->ok = false, ld->nomem = true;
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

/* Refs in the order of known_tools, ids of a tool in the order written:
** stable output whatever order Lua's table traversal gave. */
static void sort_refs(rule *r) {
  for (size_t i = 1; i < r->nrefs; i++) {
    rule_ref x = r->refs[i];
    size_t j = i;
    while (j > 0 && tool_rank(r->refs[j - 1].tool) > tool_rank(x.tool)) {
      r->refs[j] = r->refs[j - 1];
      j--;
    }
    r->refs[j] = x;
  }
}

static void read_meta(loader *ld, rule *r) {
  lua_State *L = ld->L;
  size_t n;
  if (raw_field(L, ld->t, "id") != LUA_TSTRING) {
    lua_pop(L, 1);
    complain(ld, "a rule needs an 'id' string");
    return;
  }
  const char *id = lua_tolstring(L, -1, &n);
  if (!valid_id(id, n)) complain(ld, "rule id '%s' must be kebab-case: lower-case letters, digits and single dashes", id);
  else if ((r->id = pol_strndup(id, n)) == NULL) ld->ok = false, ld->nomem = true;
  lua_pop(L, 1);
  r->title = string_field(ld, "title", true);
  read_severity(ld, r);
  read_applies(ld, r);
  r->description = string_field(ld, "description", true);
  r->remediation = string_field(ld, "remediation", true);
  read_refs(ld, r);
  sort_refs(r);
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

/* luaL_ref allocates, so it runs inside sb_call like every other call
** that can raise. */
static int ref_protected(lua_State *L) {
  lua_pushinteger(L, luaL_ref(L, LUA_REGISTRYINDEX));
  return 1;
}

int rule_compile(sandbox *sb, rule *r, pol_buf *err) {
  int st = sb_load(sb, r->origin, r->source, r->source_len, err);
  if (st != SB_OK) return st;
  lua_State *L = sb_state(sb);
  lua_pushcfunction(L, ref_protected);
  lua_insert(L, -2);
  if ((st = sb_call(sb, 1, 1, err)) != SB_OK) return st;
  r->fn_ref = (int)lua_tointeger(L, -1);
  lua_pop(L, 1);
  return SB_OK;
}

/* A budget that ran out while the rule file itself ran: the message says
** which, and the option that raises it (replacing the sandbox's text). */
static void limit_hint(pol_buf *err, size_t start, const char *origin, int status) {
  const char *what = status == SB_ERR_MEMORY         ? "memory"
                     : status == SB_ERR_INSTRUCTIONS ? "instruction"
                     : status == SB_ERR_TIME         ? "time"
                                                     : NULL;
  const char *option = status == SB_ERR_MEMORY         ? "--max-lua-memory"
                       : status == SB_ERR_INSTRUCTIONS ? "--max-instructions"
                                                       : "--max-rule-time";
  if (what == NULL || err->oom || err->len < start) return;
  err->len = start;
  if (err->data) err->data[start] = '\0';
  pol_buf_printf(err, "%s: running the rule file used up its %s budget (raise the limit with %s)",
              origin, what, option);
}

bool rule_load(sandbox *sb, const char *origin, const char *source,
               size_t len, rule **out, pol_buf *err, bool *nomem) {
  *out = NULL;
  *nomem = false;
  rule *r = pol_calloc(1, sizeof *r);
  if (r == NULL) { *nomem = true; return false; }
  r->fn_ref = LUA_NOREF;
  r->origin = pol_strndup(origin, strlen(origin));
  r->source = pol_strndup(source, len);
  r->source_len = len;
  if (r->origin == NULL || r->source == NULL) { rule_free(r); *nomem = true; return false; }
  size_t err_start = err->len;
  int st = rule_compile(sb, r, err);
  if (st != SB_OK) {
    *nomem = st == SB_ERR_NOMEM; /* the host's memory, not a bad rule */
    /* Lua names the chunk in syntax errors, not in every load error. */
    size_t olen = strlen(origin);
    if (err->len - err_start < olen || memcmp(err->data + err_start, origin, olen) != 0) {
      pol_buf named = POL_BUF_INIT;
      pol_buf_printf(&named, "%s: %s", origin, err->data ? err->data + err_start : "");
      err->len = err_start;
      pol_buf_append(err, named.data, named.len);
      pol_buf_free(&named);
    }
    rule_free(r);
    return false;
  }
  lua_State *L = sb_state(sb);
  int top = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->fn_ref);
  sb_push_env(sb);
  sb_set_env(sb, -2);
  size_t run_start = err->len;
  int rc = sb_call(sb, 0, 1, err);
  loader ld = {L, 0, err, origin, r, true, false};
  if (rc != SB_OK) {
    ld.ok = false;
    ld.nomem = rc == SB_ERR_NOMEM;
    limit_hint(err, run_start, origin, rc);
  } else if (lua_type(L, -1) != LUA_TTABLE) {
    complain(&ld, "a rule file must return a table (the rule)");
  } else {
    int table = lua_gettop(L);
    lua_pushcfunction(L, read_meta_protected);
    lua_pushlightuserdata(L, &ld);
    lua_pushvalue(L, table);
    size_t meta_start = err->len;
    int mrc = sb_call(sb, 2, 0, err);
    if (mrc != SB_OK) {
      ld.ok = false;
      if (mrc == SB_ERR_NOMEM) ld.nomem = true;
      limit_hint(err, meta_start, origin, mrc);
    }
  }
  *nomem = ld.nomem;
  lua_settop(L, top);
  if (!ld.ok) {
    luaL_unref(L, LUA_REGISTRYINDEX, r->fn_ref);
    rule_free(r);
    return false;
  }
  *out = r;
  return true;
}
