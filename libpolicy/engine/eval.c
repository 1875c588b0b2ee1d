/*
** eval.c: one rule over one document (see eval.h).
**
** Invariant: everything that touches the Lua state runs inside sb_call
** (run_protected and the report function it installs), so a Lua memory
** error unwinds to sb_call instead of panicking, and every instruction is
** metered.
*/
#include "eval.h"

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#include "policy/policy.h"

#define MESSAGE_MAX 4096

typedef struct eval_ctx {
  sandbox *sb;
  const rule *r;
  const pm_value *doc, *data;
  const char *path;
  const eval_limits *lim;
  rep_report *rep;
  const char *subject;      /* describes the subject being checked */
  char subject_buf[128];
  const pm_value *exception;/* the subject's `exception` (a vulnerability's), or NULL */
  uint64_t nfindings;
  bool capped;
  bool nomem;
} eval_ctx;

static void add_error(eval_ctx *c, const char *message, const char *limit) {
  rep_item it = {0};
  it.rule = c->r->id;
  it.file = (char *)c->path;
  it.message = (char *)message;
  it.limit = (char *)limit;
  if (!rep_add(&c->rep->errors, &it)) c->nomem = true;
}

/* Position of node.field when the field has one, else of the node. */
static pm_pos finding_pos(const pm_value *node, const char *field) {
  if (field) {
    const pm_value *f = pm_get(node, field);
    if (f && f->pos.line) return f->pos;
  }
  return node->pos;
}

static bool id_matches(const rule *r, const pm_value *ids) {
  for (size_t i = 0; ids && i < ids->u.arr.len; i++) {
    const pm_value *id = ids->u.arr.items[i];
    if (id->type == PM_STR && rule_matches(r, id->u.str.s)) return true;
  }
  return false;
}

/* The suppression that covers a position for this rule, or NULL. A
** suppression with a `file` (a comment in another file of the document: a
** Compose override, a linked Dockerfile) covers positions in that file;
** one without covers the document's own file. */
static const pm_value *suppression_for(const eval_ctx *c, pm_pos pos) {
  const pm_value *list = pm_get(c->doc, "suppressions");
  for (size_t i = 0; list && i < list->u.arr.len; i++) {
    const pm_value *s = list->u.arr.items[i];
    const pm_value *g = pm_get(s, "global"), *from = pm_get(s, "line"),
                   *to = pm_get(s, "end_line"), *file = pm_get(s, "file");
    bool same_file = file ? file->type == PM_STR && pos.file && !strcmp(file->u.str.s, pos.file)
                          : pos.file == NULL;
    bool covers = same_file &&
                  ((g && g->u.b) || (from && to && pos.line >= from->u.i && pos.line <= to->u.i));
    if (covers && id_matches(c->r, pm_get(s, "ids"))) return s;
  }
  return NULL;
}

static void record(eval_ctx *c, const pm_value *node, const char *field,
                   const char *message) {
  if (c->nfindings++ >= c->lim->findings) {
    if (!c->capped) {
      char msg[200];
      snprintf(msg, sizeof msg, "more than %llu findings in one document; the "
               "rest were dropped (raise the limit with --max-findings)",
               (unsigned long long)c->lim->findings);
      add_error(c, msg, "findings");
      c->capped = true;
    }
    return;
  }
  pm_pos pos = finding_pos(node, field);
  rep_item it = {0};
  it.rule = c->r->id;
  it.severity = c->r->severity;
  it.title = c->r->title;
  it.message = (char *)message;
  it.file = (char *)(pos.file ? pos.file : c->path);
  it.subject = (char *)c->subject;
  it.line = pos.line;
  it.column = pos.col;
  it.end_line = pos.end_line;
  it.end_column = pos.end_col;
  /* One ref per tool, the ids of a tool joined with commas. */
  rep_ref refs[8];
  char joined[8][256];
  for (size_t i = 0; i < c->r->nrefs; i++) {
    const rule_ref *rr = &c->r->refs[i];
    if (it.nrefs > 0 && strcmp(refs[it.nrefs - 1].tool, rr->tool) == 0) {
      size_t used = strlen(joined[it.nrefs - 1]);
      snprintf(joined[it.nrefs - 1] + used, sizeof joined[0] - used, ",%s", rr->id);
      continue;
    }
    if (it.nrefs == 8) break;
    snprintf(joined[it.nrefs], sizeof joined[0], "%s", rr->id);
    refs[it.nrefs].tool = rr->tool;
    refs[it.nrefs].id = joined[it.nrefs];
    it.nrefs++;
  }
  it.refs = refs;
  const pm_value *s = suppression_for(c, pos);
  if (s == NULL) s = c->exception;
  rep_list *list = &c->rep->findings;
  char reason[96];
  if (s) {
    const pm_value *why = pm_get(s, "reason");
    if (why && why->type == PM_STR) {
      it.reason = (char *)why->u.str.s;
    } else {
      snprintf(reason, sizeof reason, "suppressed by the comment on line %u",
               (unsigned)s->pos.line);
      it.reason = reason;
    }
    list = &c->rep->suppressed;
  }
  if (!rep_add(list, &it)) c->nomem = true;
}

/* report(node, [field,] message) */
static int l_report(lua_State *L) {
  eval_ctx *c = lua_touserdata(L, lua_upvalueindex(1));
  int n = lua_gettop(L);
  if (n < 2 || n > 3)
    return luaL_error(L, "report(node, [field,] message) takes 2 or 3 arguments");
  const pm_value *node = sb_to_value(c->sb, 1);
  if (node == NULL)
    return luaL_error(L, "report: the first argument must be a node of the model");
  const char *field = NULL;
  if (n == 3) {
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
  record(c, node, field, msg);
  return 0;
}

static const char *subject_name(const pm_value *v, unsigned kind, char *buf,
                                size_t size) {
  const pm_value *name = pm_get(v, kind == RULE_VULNERABILITY ? "id" : "name"),
                 *index = pm_get(v, "index");
  if (kind == RULE_DOCUMENT) return "document";
  const char *what = kind == RULE_IMAGE ? "image"
                     : kind == RULE_VULNERABILITY ? "vulnerability" : "container";
  if (name && name->type == PM_STR)
    snprintf(buf, size, "%s %.100s", what, name->u.str.s);
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

/* Calls check(subject, document) for one subject; a runtime error becomes
** a rule error and the next subject still runs. Returns false when the
** state must stop (a budget tripped). */
static bool run_subject(lua_State *L, eval_ctx *c, int check, int docview,
                        const pm_value *subject, unsigned kind) {
  c->subject = subject_name(subject, kind, c->subject_buf, sizeof c->subject_buf);
  /* A vulnerability under an exception of the configuration (set when the
  ** report was parsed) has its findings suppressed with the exception's reason. */
  const pm_value *x = kind == RULE_VULNERABILITY ? pm_get(subject, "exception") : NULL;
  c->exception = x && x->type == PM_OBJ ? x : NULL;
  lua_pushvalue(L, check);
  sb_push_value(c->sb, subject, false);
  lua_pushvalue(L, docview);
  if (lua_pcall(L, 2, 0, 0) == LUA_OK) return true;
  if (sb_needs_recycle(c->sb)) {
    lua_pop(L, 1);
    return false;
  }
  char text[1024];
  error_text(L, text, sizeof text);
  lua_pop(L, 1);
  char msg[1200];
  snprintf(msg, sizeof msg, "%s (checking %s)", text, c->subject);
  add_error(c, msg, NULL);
  return true;
}

static bool run_subjects(lua_State *L, eval_ctx *c, int check, int docview,
                         const char *list, unsigned kind) {
  const pm_value *items = pm_get(c->doc, list);
  for (size_t i = 0; items && i < items->u.arr.len; i++)
    if (!run_subject(L, c, check, docview, items->u.arr.items[i], kind))
      return false;
  return true;
}

static int run_protected(lua_State *L) {
  eval_ctx *c = lua_touserdata(L, 1);
  lua_rawgeti(L, LUA_REGISTRYINDEX, c->r->fn_ref);
  int chunk = lua_gettop(L);
  sb_push_env(c->sb);
  lua_pushliteral(L, "report");
  lua_pushlightuserdata(L, c);
  lua_pushcclosure(L, l_report, 1);
  lua_rawset(L, -3);
  lua_pushliteral(L, "data");
  sb_push_value(c->sb, c->data, true);
  lua_rawset(L, -3);
  sb_set_env(c->sb, chunk);
  lua_call(L, 0, 1);
  if (lua_type(L, -1) != LUA_TTABLE)
    return luaL_error(L, "the rule file did not return its rule table");
  lua_pushliteral(L, "check");
  if (lua_rawget(L, -2) != LUA_TFUNCTION)
    return luaL_error(L, "the rule table has no check function");
  int check = lua_gettop(L);
  sb_push_value(c->sb, c->doc, false);
  int docview = lua_gettop(L);
  unsigned a = c->r->applies;
  if ((a & RULE_IMAGE) && !run_subjects(L, c, check, docview, "images", RULE_IMAGE)) return 0;
  if ((a & RULE_CONTAINER) && !run_subjects(L, c, check, docview, "containers", RULE_CONTAINER)) return 0;
  if ((a & RULE_VULNERABILITY) &&
      !run_subjects(L, c, check, docview, "vulnerabilities", RULE_VULNERABILITY))
    return 0;
  if (a & RULE_DOCUMENT) run_subject(L, c, check, docview, c->doc, RULE_DOCUMENT);
  return 0;
}

static const char *limit_name(int status) {
  switch (status) {
  case SB_ERR_INSTRUCTIONS: return "instructions";
  case SB_ERR_MEMORY: return "memory";
  case SB_ERR_TIME: return "time";
  default: return NULL;
  }
}

bool eval_rule(sandbox *sb, const rule *r, const pm_value *doc,
               const char *path, const pm_value *data,
               const eval_limits *lim, rep_report *rep) {
  eval_ctx c = {0};
  c.sb = sb;
  c.r = r;
  c.doc = doc;
  c.data = data;
  c.path = path;
  c.lim = lim;
  c.rep = rep;
  lua_State *L = sb_state(sb);
  sb_next_generation(sb);
  lua_pushcfunction(L, run_protected);
  lua_pushlightuserdata(L, &c);
  pol_buf err = POL_BUF_INIT;
  int rc = sb_call(sb, 1, 0, &err);
  if (rc == SB_ERR_NOMEM) c.nomem = true;
  else if (rc != SB_OK) {
    char msg[1400];
    const char *text = err.data && !err.oom ? err.data : "error";
    if (rc == SB_ERR_INSTRUCTIONS)
      snprintf(msg, sizeof msg, "the rule used more than its %llu instructions "
               "(raise the limit with --max-instructions)",
               (unsigned long long)lim->instructions);
    else if (rc == SB_ERR_TIME)
      snprintf(msg, sizeof msg, "the rule ran longer than %llu ms "
               "(raise the limit with --max-rule-time)",
               (unsigned long long)lim->time_ms);
    else if (rc == SB_ERR_MEMORY)
      snprintf(msg, sizeof msg, "the rule used more than %llu bytes of memory "
               "(raise the limit with --max-lua-memory)",
               (unsigned long long)lim->memory);
    else
      snprintf(msg, sizeof msg, "%s", text);
    if (c.subject && rc != SB_ERR_RUNTIME) {
      size_t n = strlen(msg);
      snprintf(msg + n, sizeof msg - n, " (checking %s)", c.subject);
    }
    add_error(&c, msg, limit_name(rc));
  }
  pol_buf_free(&err);
  return !c.nomem;
}
