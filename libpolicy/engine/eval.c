/*
** eval.c: compiled rules over one document (see eval.h).
**
** Invariant: everything that touches the Lua state runs inside eng_sb_call
** (run_protected and the report function it reaches), so a Lua memory
** error unwinds to eng_sb_call instead of panicking; what runs at host level
** after a call (putting the rule's globals and cells back) neither
** allocates nor raises.
*/
#include "eval.h"

#include <assert.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MESSAGE_MAX 4096

typedef struct eval_ctx {
  eng_sandbox *sb;
  const eng_rule *r;
  const pm_value *doc;
  const char *path;
  const eng_eval_limits *lim;
  const eng_eval_sink *sink;
  const pm_value *subject_node; /* the subject being checked, or NULL */
  unsigned subject_kind;    /* its ENG_RULE_* kind */
  const char *subject;      /* describes it; NULL until subject_text asks */
  char subject_buf[160];
  const pm_value *exception;/* the subject's `exception` (a vulnerability's), or NULL */
  const pm_value *lists[ENG_RULE_SUBJECT_KINDS]; /* the document's list of each
                            ** kind the rule checks, when it has items */
  uint64_t nfindings;
  bool capped;
  bool nomem;
  bool put_back;            /* the run replaced the chunk's _ENV, or the rule
                            ** has cells to restore (put_back) */
} eval_ctx;

static const char *subject_text(eval_ctx *c);

static void add_error(eval_ctx *c, const char *message, const char *limit) {
  eng_eval_error e = {c->r, message, c->path, limit};
  if (!c->sink->error(c->sink->ud, &e)) c->nomem = true;
}

/* Position of node.field when the field has one, else of the node. For
** a list, `field` is the decimal index (from 1) of an entry. */
static pm_pos finding_pos(const pm_value *node, const char *field) {
  if (field && node->type == PM_ARR) {
    char *end;
    unsigned long i = strtoul(field, &end, 10);
    const pm_value *f = *end == '\0' && i >= 1 && i <= node->u.arr.len ? node->u.arr.items[i - 1] : NULL;
    if (f && f->pos.line) return f->pos;
  } else if (field) {
    const pm_value *f = pm_get(node, field);
    if (f && f->pos.line) return f->pos;
  }
  return node->pos;
}

/* A suppression's ids name the finding: its rule (id or ref), or the
** code it was reported under. */
static bool id_matches(const eng_rule *r, const char *code, const pm_value *ids) {
  for (size_t i = 0; ids && i < ids->u.arr.len; i++) {
    const pm_value *id = ids->u.arr.items[i];
    if (id->type == PM_STR &&
        (eng_rule_matches(r, id->u.str.s) || (code && strcasecmp(code, id->u.str.s) == 0)))
      return true;
  }
  return false;
}

/* The suppression that covers a position for this rule, or NULL. A
** suppression with a `file` (a comment in another file of the document: a
** Compose override, a linked Dockerfile) covers positions in that file;
** one without covers the document's own file. */
static const pm_value *suppression_for(const eval_ctx *c, pm_pos pos, const char *code) {
  const pm_value *list = pm_get(c->doc, "suppressions");
  for (size_t i = 0; list && i < list->u.arr.len; i++) {
    const pm_value *s = list->u.arr.items[i];
    const pm_value *g = pm_get(s, "global"), *from = pm_get(s, "line"),
                   *to = pm_get(s, "end_line"), *file = pm_get(s, "file");
    bool same_file = file ? file->type == PM_STR && pos.file && !strcmp(file->u.str.s, pos.file)
                          : pos.file == NULL;
    bool covers = same_file &&
                  ((g && g->u.b) || (from && to && pos.line >= from->u.i && pos.line <= to->u.i));
    if (covers && id_matches(c->r, code, pm_get(s, "ids"))) return s;
  }
  return NULL;
}

/* ---- node hashes ---------------------------------------------------- */

static uint64_t fnv(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * UINT64_C(0x100000001b3);
  return h;
}

/* A scalar's type and value. Containers count by type only. */
static uint64_t hash_scalar(uint64_t h, const pm_value *v) {
  unsigned char t = v ? (unsigned char)v->type : (unsigned char)PM_NULL;
  h = fnv(h, &t, 1);
  if (v == NULL) return h;
  switch (v->type) {
  case PM_BOOL: return fnv(h, &v->u.b, sizeof v->u.b);
  case PM_INT: return fnv(h, &v->u.i, sizeof v->u.i);
  case PM_NUM: return fnv(h, &v->u.n, sizeof v->u.n);
  case PM_STR: return fnv(h, v->u.str.s, v->u.str.len);
  default: return h;
  }
}

/* The scalars of a list (its nested lists and objects are left out: a
** stage's instructions are not the stage's own content). */
static uint64_t hash_list(uint64_t h, const pm_value *list) {
  for (size_t i = 0; i < list->u.arr.len; i++) {
    const pm_value *v = list->u.arr.items[i];
    if (v == NULL || (v->type != PM_ARR && v->type != PM_OBJ && v->type != PM_MAP))
      h = hash_scalar(h, v);
  }
  return h;
}

/* Members that say where a node is in its file, not what it is. */
static bool positional(const char *key) {
  return !strcmp(key, "line") || !strcmp(key, "end_line") || !strcmp(key, "instruction");
}

/* The node's own content, one level deep (its scalars, and the scalars of
** its lists of scalars), and the field: what the finding is about, with
** no position in it (neither pos nor the members that hold line numbers
** or instruction indexes), so it survives lines moving. */
uint64_t eng_eval_node_hash(const pm_value *node, const char *field) {
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  if (field) h = fnv(h, field, strlen(field) + 1);
  if (node == NULL) return h;
  if (node->type == PM_ARR) return hash_list(h, node);
  if (node->type != PM_OBJ && node->type != PM_MAP) return hash_scalar(h, node);
  for (size_t i = 0; i < node->u.obj.len; i++) {
    const pm_member *m = &node->u.obj.items[i];
    const pm_value *v = m->val;
    if (positional(m->key) || (v && (v->type == PM_OBJ || v->type == PM_MAP))) continue;
    h = fnv(h, m->key, m->key_len + 1);
    h = v && v->type == PM_ARR ? hash_list(h, v) : hash_scalar(h, v);
  }
  return h;
}

/* ---- findings ------------------------------------------------------- */

/* A finding's place inside its node and the code it is reported under
** (report's options table): zeros and NULL when not given. */
typedef struct report_opts {
  const char *code;
  int severity;           /* policy_severity, 0: the rule's */
  uint32_t line, col, end_line, end_col;
} report_opts;

static void record(eval_ctx *c, const pm_value *node, const char *field,
                   const char *message, const report_opts *o) {
  if (c->nfindings++ >= c->lim->findings) {
    if (!c->capped) {
      char msg[200];
      snprintf(msg, sizeof msg, "more than %llu findings in one document; the rest "
               "were dropped (limit POLICY_LIMIT_FINDINGS_PER_RULE)",
               (unsigned long long)c->lim->findings);
      add_error(c, msg, "findings");
      c->capped = true;
    }
    return;
  }
  eng_eval_finding f = {0};
  f.rule = c->r;
  f.message = message;
  f.pos = finding_pos(node, field);
  if (o->line) {
    f.pos.line = o->line;
    f.pos.col = o->col;
    f.pos.end_line = o->end_line;
    f.pos.end_col = o->end_col;
  }
  f.code = o->code;
  f.severity = o->severity ? o->severity : c->r->severity;
  f.file = f.pos.file ? f.pos.file : c->path;
  f.subject = subject_text(c);
  f.node_hash = eng_eval_node_hash(node, field);
  const pm_value *s = suppression_for(c, f.pos, f.code);
  if (s == NULL) s = c->exception;
  char reason[96];
  if (s) {
    const pm_value *why = pm_get(s, "reason");
    if (why && why->type == PM_STR) {
      f.reason = why->u.str.s;
    } else {
      snprintf(reason, sizeof reason, "suppressed by the comment on line %u",
               (unsigned)s->pos.line);
      f.reason = reason;
    }
  }
  if (!c->sink->finding(c->sink->ud, &f)) c->nomem = true;
}

/* Pushes t[key], raw: no metamethod runs, and a string read stays alive
** as long as the table holds it. Returns its type. */
static int opt_get(lua_State *L, int t, const char *key) {
  lua_pushstring(L, key);
  return lua_rawget(L, t);
}

/* An integer member of the options table at `t`, or `dflt` when absent;
** raises unless it lies in [lo, hi]. */
static uint32_t opt_int(lua_State *L, int t, const char *key, uint32_t dflt, uint32_t lo,
                        uint32_t hi) {
  int type = opt_get(L, t, key);
  lua_Integer v = dflt;
  if (type != LUA_TNIL) {
    if (!lua_isinteger(L, -1))
      return (uint32_t)luaL_error(L, "report: option '%s' must be an integer", key);
    v = lua_tointeger(L, -1);
    if (v < (lua_Integer)lo || v > (lua_Integer)hi)
      return (uint32_t)luaL_error(L, "report: option '%s' = %d lies outside the node (%d to %d)",
                                  key, (int)v, (int)lo, (int)hi);
  }
  lua_pop(L, 1);
  return (uint32_t)v;
}

/* report's options {code =, severity =, line =, column =, end_line =,
** end_column =}:
** a code of the rule's own family only (so no rule reports under another
** rule's id), a place inside the node's lines only. */
static void read_opts(lua_State *L, eval_ctx *c, int t, pm_pos at, report_opts *o) {
  if (opt_get(L, t, "code") != LUA_TNIL) {
    const char *code = lua_tostring(L, -1);
    if (lua_type(L, -1) != LUA_TSTRING || !eng_rule_has_code(c->r, code))
      return (void)luaL_error(L, "report: the code must be a string of the rule's family "
                              "(codes = \"%s\", then four digits)", c->r->codes ? c->r->codes : "");
    o->code = code; /* kept alive by the options table until report returns */
  }
  lua_pop(L, 1);
  if (opt_get(L, t, "severity") != LUA_TNIL) {
    static const char *const names[] = {"info", "low", "medium", "high", "critical", NULL};
    const char *name = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
    for (int i = 0; names[i]; i++)
      if (strcmp(name, names[i]) == 0) o->severity = i + 1; /* policy_severity */
    if (o->severity == 0)
      return (void)luaL_error(L, "report: option 'severity' must be one of critical, high, "
                              "medium, low, info");
  }
  lua_pop(L, 1);
  if (opt_get(L, t, "line") == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  if (at.line == 0) luaL_error(L, "report: this node has no position to place the finding in");
  uint32_t last = at.end_line ? at.end_line : at.line;
  o->line = opt_int(L, t, "line", at.line, at.line, last);
  o->col = opt_int(L, t, "column", 1, 1, UINT32_MAX / 2);
  o->end_line = opt_int(L, t, "end_line", o->line, o->line, last);
  o->end_col = opt_int(L, t, "end_column", o->end_line == o->line ? o->col : 1,
                       o->end_line == o->line ? o->col : 1, UINT32_MAX / 2);
}

/* report(node, [field,] message [, options]) */
static int l_report(lua_State *L) {
  eval_ctx *c = eng_sb_context(L);
  if (c == NULL)
    return luaL_error(L, "report() may only be called while a rule checks a document");
  int n = lua_gettop(L), opts = 0;
  if (n >= 3 && lua_type(L, n) == LUA_TTABLE) opts = n--;
  if (n < 2 || n > 3)
    return luaL_error(L, "report(node, [field,] message [, options]) takes 2 to 4 arguments");
  const pm_value *node = eng_sb_to_value(c->sb, 1);
  if (node == NULL)
    return luaL_error(L, "report: the first argument must be a node of the model");
  const char *field = NULL;
  char index[24];
  if (n == 3 && lua_type(L, 2) == LUA_TNUMBER && node->type == PM_ARR) {
    lua_Integer i = lua_isinteger(L, 2) ? lua_tointeger(L, 2) : 0;
    if (i < 1) return luaL_error(L, "report: a list's entry is an integer index from 1");
    snprintf(index, sizeof index, "%lld", (long long)i);
    field = index; /* the entry of a list */
  } else if (n == 3) {
    if (lua_type(L, 2) != LUA_TSTRING)
      return luaL_error(L, "report: the field name must be a string");
    field = lua_tostring(L, 2);
  }
  if (lua_type(L, n) != LUA_TSTRING)
    return luaL_error(L, "report: the message must be a string");
  size_t len;
  const char *msg = lua_tolstring(L, n, &len);
  char buf[MESSAGE_MAX + 4];
  if (len > MESSAGE_MAX || strlen(msg) != len) {
    size_t keep = strlen(msg) < MESSAGE_MAX ? strlen(msg) : MESSAGE_MAX;
    memcpy(buf, msg, keep);
    memcpy(buf + keep, "...", 4);
    msg = buf;
  }
  report_opts o = {0};
  if (opts) read_opts(L, c, opts, finding_pos(node, field), &o);
  record(c, node, field, msg, &o);
  return 0;
}

const eng_rule *eng_eval_running_rule(lua_State *L) {
  eval_ctx *c = eng_sb_context(L);
  return c ? c->r : NULL;
}

const pm_value *eng_eval_node_at(lua_State *L, int idx) {
  eval_ctx *c = eng_sb_context(L);
  return c ? eng_sb_to_value(c->sb, idx) : NULL;
}

uint64_t eng_eval_tool_ms(lua_State *L) {
  eval_ctx *c = eng_sb_context(L);
  return c && c->lim->tool_ms ? c->lim->tool_ms : ENG_EVAL_TOOL_MS;
}

void eng_eval_warn(lua_State *L, const pm_value *node, const char *message) {
  eval_ctx *c = eng_sb_context(L);
  if (c == NULL || c->sink->warning == NULL) return;
  pm_pos pos = node ? node->pos : pm_nopos;
  const char *file = node ? (pos.file ? pos.file : c->path) : NULL;
  if (!c->sink->warning(c->sink->ud, c->r, file, pos, message)) c->nomem = true;
}

/* position(node) -> line, column, end_line, end_column of a model node
** (end exclusive), or nothing when it has no place in a file. */
static int l_position(lua_State *L) {
  eval_ctx *c = eng_sb_context(L);
  const pm_value *node = c ? eng_sb_to_value(c->sb, 1) : NULL;
  if (node == NULL) return luaL_error(L, "position: the argument must be a node of the model");
  if (node->pos.line == 0) return 0;
  lua_pushinteger(L, node->pos.line);
  lua_pushinteger(L, node->pos.col);
  lua_pushinteger(L, node->pos.end_line);
  lua_pushinteger(L, node->pos.end_col);
  return 4;
}

static int open_protected(lua_State *L) {
  lua_pushcfunction(L, l_position);
  lua_pushcfunction(L, l_report);
  eng_sc_open(L);
  return 3;
}

int eng_eval_open(eng_sandbox *sb, pol_buf *err) {
  lua_State *L = eng_sb_state(sb);
  lua_pushcfunction(L, open_protected);
  int st = eng_sb_call(sb, 0, 3, err);
  if (st != ENG_SB_OK) return st;
  st = eng_sb_add_global(sb, "shellcheck", err);
  if (st == ENG_SB_OK) st = eng_sb_add_global(sb, "report", err);
  else lua_pop(L, 1);
  if (st != ENG_SB_OK) {
    lua_pop(L, 1);
    return st;
  }
  return eng_sb_add_global(sb, "position", err);
}

/* ---- subjects ------------------------------------------------------- */

/* Text of a scalar member, or NULL. */
static const char *text_of(const pm_value *v, const char *key) {
  const pm_value *m = pm_get(v, key);
  return m && m->type == PM_STR && m->u.str.len ? m->u.str.s : NULL;
}

/* "image build", "container web", "container nginx:1.25 #2": a name a
** user recognises, never "nil". */
static const char *subject_name(const pm_value *v, unsigned kind, char *buf,
                                size_t size) {
  if (kind == ENG_RULE_DOCUMENT) return "document";
  const char *what = eng_rule_subject_names[__builtin_ctz(kind)];
  const char *name = text_of(v, "name");
  if (name == NULL && kind == ENG_RULE_VULNERABILITY) name = text_of(v, "id");
  if (name == NULL && kind == ENG_RULE_REQUEST) name = text_of(v, "uri");
  const pm_value *index = pm_get(v, "index");
  const char *image = text_of(pm_get(v, "image"), "raw");
  if (name)
    snprintf(buf, size, "%s %.100s", what, name);
  else if (image && index && index->type == PM_INT)
    snprintf(buf, size, "%s %.100s #%lld", what, image, (long long)index->u.i);
  else if (image)
    snprintf(buf, size, "%s %.100s", what, image);
  else if (index && index->type == PM_INT)
    snprintf(buf, size, "%s #%lld", what, (long long)index->u.i);
  else
    snprintf(buf, size, "%s", what);
  return buf;
}

/* Describes an error value without running any of its metamethods. */
static void error_text(lua_State *L, char *buf, size_t size) {
  if (lua_type(L, -1) == LUA_TSTRING)
    snprintf(buf, size, "%s", lua_tostring(L, -1));
  else
    snprintf(buf, size, "(error object is a %s value)", luaL_typename(L, -1));
}

/* The description of the subject being checked, made the first time a
** finding or an error needs it; NULL before the first subject. */
static const char *subject_text(eval_ctx *c) {
  if (c->subject == NULL && c->subject_node != NULL)
    c->subject = subject_name(c->subject_node, c->subject_kind, c->subject_buf,
                              sizeof c->subject_buf);
  return c->subject;
}

/* Calls check(subject, document) for one subject, whose view is on top
** of the stack (popped); a runtime error becomes a rule error and the
** next subject still runs. Returns false when the state must stop (a
** budget tripped). */
static bool run_subject(lua_State *L, eval_ctx *c, int check, int docview,
                        const pm_value *subject, unsigned kind) {
  c->subject_node = subject;
  c->subject_kind = kind;
  c->subject = NULL;
  /* A vulnerability under an exception of the configuration (set when the
  ** report was parsed) has its findings suppressed with the exception's reason. */
  const pm_value *x = kind == ENG_RULE_VULNERABILITY ? pm_get(subject, "exception") : NULL;
  c->exception = x && x->type == PM_OBJ ? x : NULL;
  lua_pushvalue(L, check);
  lua_insert(L, -2);
  lua_pushvalue(L, docview);
  int rc = lua_pcall(L, 2, 0, 0);
  if (rc == LUA_OK) return true;
  /* A budget tripped, or an allocation was refused: the call's own status
  ** (eng_sb_call) says which, once; no second error here. */
  if (rc == LUA_ERRMEM || eng_sb_needs_recycle(c->sb)) {
    lua_pop(L, 1);
    return false;
  }
  char text[1024];
  error_text(L, text, sizeof text);
  lua_pop(L, 1);
  char msg[1200];
  snprintf(msg, sizeof msg, "%s (checking %s)", text, subject_text(c));
  add_error(c, msg, NULL);
  return true;
}

static int run_protected(lua_State *L) {
  eval_ctx *c = lua_touserdata(L, 1);
  int check = 2;
  c->put_back = eng_rule_push_check(c->sb, c->r);
  if (c->put_back) {
    lua_pop(L, 1);
    eng_rule_push_parts(c->sb, c->r); /* check, main, globals, envmt, cells */
    int main = 3, envmt = 5;
    if (!lua_isnil(L, envmt)) {
      lua_createtable(L, 0, 0);
      lua_pushvalue(L, envmt);
      lua_setmetatable(L, -2);
      lua_setupvalue(L, main, 1); /* the chunk's _ENV, shared by its functions */
    }
  }
  eng_sb_push_value(c->sb, c->doc, false);
  int docview = lua_gettop(L);
  for (unsigned k = 0; k < ENG_RULE_SUBJECT_KINDS; k++) {
    unsigned kind = 1u << k;
    if (!(c->r->applies & kind)) continue;
    if (kind == ENG_RULE_DOCUMENT) {
      lua_pushvalue(L, docview);
      if (!run_subject(L, c, check, docview, c->doc, kind)) return 0;
      continue;
    }
    /* Through the document's view: the subject is the very view rules
    ** reach as document.images[i]. */
    const pm_value *items = c->lists[k];
    if (items == NULL) continue;
    lua_getfield(L, docview, eng_rule_subject_lists[k]);
    int list = lua_gettop(L);
    for (size_t i = 0; i < items->u.arr.len; i++) {
      lua_geti(L, list, (lua_Integer)i + 1);
      if (!run_subject(L, c, check, docview, items->u.arr.items[i], kind)) return 0;
    }
    lua_settop(L, list - 1);
  }
  return 0;
}

/* After a run, whatever it did: the rule's globals and cells as loaded.
** Neither allocates nor raises. */
static void put_back(eng_sandbox *sb, const eng_rule *r) {
  lua_State *L = eng_sb_state(sb);
  if (!lua_checkstack(L, 8)) return; /* cannot happen after a call */
  eng_rule_push_parts(sb, r);
  int main = lua_gettop(L) - 3, globals = main + 1, envmt = main + 2, cells = main + 3;
  if (!lua_isnil(L, envmt)) {
    lua_pushvalue(L, globals);
    lua_setupvalue(L, main, 1);
  }
  if (!lua_isnil(L, cells)) eng_sb_restore(L, cells);
  lua_settop(L, main - 2);
}

static const char *limit_name(int status) {
  switch (status) {
  case ENG_SB_ERR_INSTRUCTIONS: return "instructions";
  case ENG_SB_ERR_MEMORY: return "memory";
  case ENG_SB_ERR_TIME: return "time";
  default: return NULL;
  }
}

/* Finds the document's lists of the subjects the rule checks (c->lists);
** returns whether there is anything to check: a rule for containers has
** nothing to do in a Dockerfile, and then it does not enter Lua at all
** (nothing it could do without a subject is seen). */
static bool find_subjects(eval_ctx *c) {
  bool any = (c->r->applies & ENG_RULE_DOCUMENT) != 0;
  for (unsigned k = 0; k < ENG_RULE_SUBJECT_KINDS; k++) {
    if (!(c->r->applies & (1u << k)) || eng_rule_subject_lists[k] == NULL) continue;
    const pm_value *items = pm_get(c->doc, eng_rule_subject_lists[k]);
    if (items == NULL || items->type != PM_ARR || items->u.arr.len == 0) continue;
    c->lists[k] = items;
    any = true;
  }
  return any;
}

void eng_eval_begin(eng_sandbox *sb) { eng_sb_next_generation(sb); }

void eng_eval_end(eng_sandbox *sb) { eng_sb_next_generation(sb); }

bool eng_eval_rule(eng_sandbox *sb, const eng_rule *r, const pm_value *doc,
               const char *path, const eng_eval_limits *lim,
               const eng_eval_sink *sink) {
  assert(r->slot != LUA_NOREF);
  eval_ctx c = {0};
  c.sb = sb;
  c.r = r;
  c.doc = doc;
  if (!find_subjects(&c)) return true;
  c.path = path;
  c.lim = lim;
  c.sink = sink;
  lua_State *L = eng_sb_state(sb);
  int top = lua_gettop(L);
  eng_sb_set_trusted(sb, r->trusted);
  eng_sb_set_context(sb, &c);
  lua_pushcfunction(L, run_protected);
  lua_pushlightuserdata(L, &c);
  pol_buf err = POL_BUF_INIT;
  int rc = eng_sb_call(sb, 1, 0, &err);
  eng_sb_set_context(sb, NULL);
  /* A rule that neither assigns a global nor writes an upvalue cell has
  ** nothing to put back; when run_protected could not tell (a failure
  ** before), put_back runs. */
  if (c.put_back || rc != ENG_SB_OK) put_back(sb, r);
  assert(lua_gettop(L) == top);
  if (rc == ENG_SB_ERR_NOMEM) c.nomem = true;
  else if (rc == ENG_SB_ERR_CANCELLED)
    add_error(&c, "the check was cancelled while the rule ran", "cancelled");
  else if (rc != ENG_SB_OK) {
    char msg[1400];
    const char *text = err.data && !err.oom ? err.data : "error";
    if (rc == ENG_SB_ERR_INSTRUCTIONS)
      snprintf(msg, sizeof msg, "the rule used more than its %llu instructions "
               "(limit POLICY_LIMIT_INSTRUCTIONS)", (unsigned long long)lim->instructions);
    else if (rc == ENG_SB_ERR_TIME)
      snprintf(msg, sizeof msg, "the rule ran longer than %llu ms (limit POLICY_LIMIT_TIME_MS)",
               (unsigned long long)lim->time_ms);
    else if (rc == ENG_SB_ERR_MEMORY)
      snprintf(msg, sizeof msg, "the rule used more than %llu bytes of memory "
               "(limit POLICY_LIMIT_LUA_MEMORY_BYTES)", (unsigned long long)lim->memory);
    else
      snprintf(msg, sizeof msg, "%s", text);
    if (c.subject_node && rc != ENG_SB_ERR_RUNTIME) {
      size_t n = strlen(msg);
      snprintf(msg + n, sizeof msg - n, " (checking %s)", subject_text(&c));
    }
    add_error(&c, msg, limit_name(rc));
  }
  pol_buf_free(&err);
  pol_buf log = POL_BUF_INIT;
  eng_sb_take_log(sb, &log);
  if (log.len && !log.oom && !sink->log(sink->ud, r, path, log.data, log.len)) c.nomem = true;
  if (log.oom) c.nomem = true;
  pol_buf_free(&log);
  return !c.nomem;
}
