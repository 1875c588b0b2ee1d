/*
** rules.c: loading policies and data into an engine, and reading the
** loaded rules back.
*/
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/alloc.h"
#include "../model/blob.h"
#include "../model/load.h"
#include "../engine/eval.h"
#include "../engine/worker.h"
#include "../report/report.h"
#include "builtin.h"
#include "internal.h"

#define MAX_RULE_BYTES (1u << 20)

void api_drop_sandbox(policy_engine *e) {
  eng_sb_free(e->sb);
  e->sb = NULL;
  for (size_t i = 0; i < e->nrules; i++) e->rules[i]->slot = LUA_NOREF;
}

void api_hold_collector(policy_engine *e, bool hold) {
  int st;
  eng_sandbox *sb = hold ? api_sandbox(e, &st) : e->sb; /* a failure shows at the load */
  if (sb) eng_sb_hold_collector(sb, hold);
}

/* What every rule sees besides the standard library: `report`, `data`
** and the helper libraries (policies/lib: lib/shell.lua is the global
** `shell`), made once per sandbox into its read-only base. */
static bool load_libs(policy_engine *e) {
  pol_buf err = POL_BUF_INIT;
  int st = eng_eval_open(e->sb, &err);
  /* `data` is a mapping even when nothing was loaded: a rule reading
  ** data.x gets nil, like a key no data file set, whatever loaded it. */
  if (e->data == NULL && (e->data = pm_map(&e->data_arena, pm_nopos)) == NULL)
    st = ENG_SB_ERR_NOMEM;
  if (st == ENG_SB_OK) {
    eng_sb_push_value(e->sb, e->data, true);
    st = eng_sb_add_global(e->sb, "data", &err);
  }
  if (st != ENG_SB_OK) {
    api_fail(e, st == ENG_SB_ERR_NOMEM ? POLICY_ERR_NOMEM : POLICY_ERR_LIMIT, "%s",
             err.data && !err.oom ? err.data : "out of memory");
    pol_buf_free(&err);
    api_drop_sandbox(e);
    return false;
  }
  pol_buf_free(&err);
  for (size_t i = 0; i < builtin_libs_count; i++) {
    const builtin_rule *b = &builtin_libs[i];
    char origin[256], name[64];
    snprintf(origin, sizeof origin, "builtin:lib/%s", b->name);
    snprintf(name, sizeof name, "%.*s", (int)(strlen(b->name) - 4), b->name);
    eng_sb_set_trusted(e->sb, true);
    eng_sb_code code = {b->source, b->length, b->code, b->code_length, b->writes};
    st = eng_sb_add_library(e->sb, name, origin, &code, &err);
    if (st != ENG_SB_OK) {
      api_fail(e, st == ENG_SB_ERR_NOMEM ? POLICY_ERR_NOMEM : POLICY_ERR_LIMIT,
               "%s: %s", origin, err.data && !err.oom ? err.data : "out of memory");
      pol_buf_free(&err);
      api_drop_sandbox(e);
      return false;
    }
    pol_buf_free(&err);
  }
  return true;
}

eng_sandbox *api_sandbox(policy_engine *e, int *status) {
  *status = POLICY_ERR_NOMEM;
  if (e->sb == NULL) {
    eng_sb_limits lim = {(size_t)e->lua_memory, e->instructions, (size_t)e->log_bytes, e->time_ms};
    int st = eng_sb_new(&e->sb, &lim);
    if (st == ENG_SB_ERR_MEMORY) {
      *status = api_fail(e, POLICY_ERR_LIMIT, "the Lua memory limit of %llu bytes "
                         "(POLICY_LIMIT_LUA_MEMORY_BYTES) is too small for the sandbox itself",
                         (unsigned long long)e->lua_memory);
      return NULL;
    }
    if (st != ENG_SB_OK) {
      api_fail(e, POLICY_ERR_NOMEM, "out of memory creating the Lua sandbox");
      return NULL;
    }
    eng_sb_set_coverage(e->sb, e->coverage); /* NULL: off (coverage.c) */
    eng_sb_set_freeze_trusted(e->sb, e->freeze_trusted);
    if (!load_libs(e)) return NULL;
  }
  for (size_t i = 0; i < e->nrules; i++) {
    if (e->rules[i]->slot != LUA_NOREF) continue;
    pol_buf err = POL_BUF_INIT;
    int cst = eng_rule_compile(e->sb, e->rules[i], &err);
    pol_buf_free(&err);
    if (cst == ENG_SB_ERR_MEMORY) {
      *status = api_fail(e, POLICY_ERR_LIMIT, "compiling %s needs more than the Lua memory "
                         "limit of %llu bytes (POLICY_LIMIT_LUA_MEMORY_BYTES)",
                         e->rules[i]->origin, (unsigned long long)e->lua_memory);
      return NULL;
    }
    if (cst != ENG_SB_OK) {
      api_fail(e, POLICY_ERR_NOMEM, "out of memory compiling %s", e->rules[i]->origin);
      return NULL;
    }
  }
  return e->sb;
}

/* True when the rule does not run: an ignore names it, or it belongs to
** a larger profile than the engine's. */
static bool ignored(const policy_engine *e, const eng_rule *r) {
  if (r->profile > e->profile && !api_severity_override(e, r, NULL)) return true;
  for (size_t i = 0; i < e->nignores; i++)
    if (eng_rule_matches(r, e->ignores[i])) return true;
  return false;
}

/* What reports show of a loaded rule. */
static rep_rule *meta_of(const eng_rule *r) {
  rep_ref stack[16], *refs = r->nrefs <= 16 ? stack : pol_calloc(r->nrefs, sizeof *refs);
  if (refs == NULL) return NULL;
  for (size_t i = 0; i < r->nrefs; i++) refs[i] = (rep_ref){r->refs[i].tool, r->refs[i].id};
  rep_rule *m = rep_rule_new(r->id, r->title, r->severity, r->description, r->remediation,
                             r->origin, refs, r->nrefs);
  if (refs != stack) pol_free(refs);
  return m;
}

static int load_rule(policy_engine *e, const char *name, const eng_sb_code *code,
                     bool trusted, const eng_mod_set *modules);
static int add_data(policy_engine *e, const char *name, int rc, pm_value *v, pol_buf *err,
                    bool under);

int api_load_rule(policy_engine *e, const char *name, const char *source,
                  size_t len, bool trusted) {
  return api_load_pack_rule(e, name, source, len, trusted, NULL);
}

int api_load_pack_rule(policy_engine *e, const char *name, const char *source,
                       size_t len, bool trusted, const eng_mod_set *modules) {
  eng_sb_code text = {source ? source : "", len, NULL, 0, 0};
  return load_rule(e, name, &text, trusted, modules);
}

int api_load_rule_code(policy_engine *e, const char *name, const eng_sb_code *code,
                       bool trusted, const eng_mod_set *modules) {
  return load_rule(e, name, code, trusted, modules);
}

/* A rule file; its binary form (code->bytes) only for the built-in pack's. */
static int load_rule(policy_engine *e, const char *name, const eng_sb_code *code,
                     bool trusted, const eng_mod_set *modules) {
  const char *source = code->src;
  size_t len = code->src_len;
  if (len > MAX_RULE_BYTES)
    return api_fail(e, POLICY_ERR_LIMIT, "%s: a rule file may have at most %u bytes (a fixed limit)",
                    name, MAX_RULE_BYTES);
  int st;
  eng_sandbox *sb = api_sandbox(e, &st);
  if (sb == NULL) return st;
  pol_buf err = POL_BUF_INIT;
  /* A file that is not built in is compiled and run in a worker first,
  ** under the time limit: the parent never compiles what could hang it. */
  if (!trusted && e->isolation != POLICY_ISOLATE_NONE &&
      !eng_worker_try_load(sb, name, source, len, modules, e->time_ms, &err)) {
    int rc = api_fail(e, POLICY_ERR_LIMIT, "%s", err.data && !err.oom ? err.data : name);
    pol_buf_free(&err);
    return rc;
  }
  eng_rule *r;
  bool nomem;
  bool ok = eng_rule_load(sb, name, code, trusted, modules, &r, &err, &nomem);
  if (eng_sb_needs_recycle(sb)) api_drop_sandbox(e);
  if (!ok) {
    int rc = nomem ? api_fail(e, POLICY_ERR_NOMEM, "out of memory loading %s", name)
                   : api_fail(e, POLICY_ERR_PARSE, "%s",
                              err.data && !err.oom ? err.data : "invalid rule");
    pol_buf_free(&err);
    return rc;
  }
  pol_buf_free(&err);
  api_severity_override(e, r, &r->severity); /* before the metadata copies it */
  for (size_t i = 0; i < e->nrules; i++)
    if (strcmp(e->rules[i]->id, r->id) == 0) {
      int rc = api_fail(e, POLICY_ERR_PARSE, "rule id '%s' is defined twice: in %s and in %s",
                        r->id, e->rules[i]->origin, name);
      eng_rule_free(r);
      return rc;
    }
  if (api_code_check_load(e, r, name) != POLICY_OK) {
    eng_rule_free(r);
    return POLICY_ERR_PARSE;
  }
  rep_rule *meta = meta_of(r);
  eng_rule **rules = meta ? pol_realloc(e->rules, (e->nrules + 1) * sizeof *rules) : NULL;
  if (rules) e->rules = rules;
  rep_rule **metas = rules ? pol_realloc(e->metas, (e->nrules + 1) * sizeof *metas) : NULL;
  if (metas == NULL) {
    rep_rule_release(meta);
    eng_rule_free(r);
    return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  }
  e->metas = metas;
  r->ignored = ignored(e, r);
  e->metas[e->nrules] = meta;
  e->rules[e->nrules++] = r;
  return api_ok(e);
}

int policy_engine_load_rule_buffer(policy_engine *e, const char *name,
                                   const char *source, size_t len) {
  if (e == NULL || name == NULL || (source == NULL && len))
    return api_fail(e, POLICY_ERR_INVALID, "policy_engine_load_rule_buffer: bad argument");
  return api_load_rule(e, name, source, len, false);
}

int policy_engine_load_builtin(policy_engine *e) {
  if (e == NULL) return POLICY_ERR_INVALID;
  /* The pack's data first, as defaults: a key the caller loaded already
  ** (a configuration's data) or loads later (--data) wins. */
  for (size_t i = 0; i < builtin_data_count; i++) {
    const builtin_rule *b = &builtin_data[i];
    char name[256];
    snprintf(name, sizeof name, "builtin:%s", b->name);
    int rc;
    if (b->code) { /* its value, converted at build time (model/blob.h) */
      pm_value *v;
      pol_buf err = POL_BUF_INIT;
      rc = pm_blob_read(&e->data_arena, b->code, b->code_length, &v);
      if (rc == PM_LOAD_SYNTAX) pol_buf_puts(&err, " not the binary form of a value");
      rc = add_data(e, name, rc, v, &err, true);
      pol_buf_free(&err);
    } else {
      rc = api_load_data_buffer(e, name, b->source, b->length, true);
    }
    if (rc != POLICY_OK) return rc;
  }
  int rc = POLICY_OK;
  api_hold_collector(e, true);
  for (size_t i = 0; i < builtin_count && rc == POLICY_OK; i++) {
    const builtin_rule *b = &builtin_rules[i];
    char name[256];
    snprintf(name, sizeof name, "builtin:%s", b->name);
    eng_sb_code code = {b->source, b->length, b->code, b->code_length, b->writes};
    rc = load_rule(e, name, &code, true, NULL);
  }
  api_hold_collector(e, false);
  return rc == POLICY_OK ? api_ok(e) : rc;
}

static int load_rule_file(policy_engine *e, const char *path) {
  char *src;
  size_t len;
  int rc = api_read_named(e, path, MAX_RULE_BYTES, "(a fixed limit for rule files)", &src,
                          &len);
  if (rc != POLICY_OK) return rc;
  rc = policy_engine_load_rule_buffer(e, path, src, len);
  pol_free(src);
  return rc;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int policy_engine_load_rules(policy_engine *e, const char *path) {
  if (e == NULL || path == NULL) return api_fail(e, POLICY_ERR_INVALID, "no path");
  struct stat st;
  if (stat(path, &st) != 0) return api_fail(e, POLICY_ERR_IO, "%s: %s", path, strerror(errno));
  if (!S_ISDIR(st.st_mode)) return load_rule_file(e, path);
  DIR *d = opendir(path);
  if (d == NULL) return api_fail(e, POLICY_ERR_IO, "%s: cannot open the directory", path);
  char **names = NULL;
  size_t n = 0;
  int rc = POLICY_OK;
  struct dirent *de;
  while ((de = readdir(d)) && rc == POLICY_OK) {
    size_t l = strlen(de->d_name);
    if (de->d_name[0] == '.' || l < 5 || strcmp(de->d_name + l - 4, ".lua") != 0) continue;
    char **grown = pol_realloc(names, (n + 1) * sizeof *names);
    char *copy = grown ? pol_strndup(de->d_name, l) : NULL;
    if (grown) names = grown;
    if (copy == NULL) rc = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
    else names[n++] = copy;
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, by_name);
  /* A rule file that is refused (invalid, over a limit, an id used
  ** twice) does not keep the others out: each gets its verdict, and the
  ** messages of all refused files are the engine's message. */
  int first = POLICY_OK;
  pol_buf refused = POL_BUF_INIT;
  for (size_t i = 0; i < n && rc == POLICY_OK; i++) {
    size_t len = strlen(path) + strlen(names[i]) + 2;
    char *full = pol_malloc(len);
    if (full == NULL) { rc = api_fail(e, POLICY_ERR_NOMEM, "out of memory"); break; }
    snprintf(full, len, "%s/%s", path, names[i]);
    int one = load_rule_file(e, full);
    pol_free(full);
    if (one == POLICY_ERR_PARSE || one == POLICY_ERR_LIMIT) {
      if (first == POLICY_OK) first = one;
      if (refused.len) pol_buf_putc(&refused, '\n');
      pol_buf_puts(&refused, policy_engine_errmsg(e));
    } else {
      rc = one;
    }
  }
  for (size_t i = 0; i < n; i++) pol_free(names[i]);
  pol_free(names);
  if (rc == POLICY_OK && first != POLICY_OK) {
    rc = first;
    pol_buf_clear(&e->errmsg);
    if (refused.oom) pol_buf_puts(&e->errmsg, "rule files were refused (out of memory for the messages)");
    else pol_buf_append(&e->errmsg, refused.data, refused.len);
  }
  pol_buf_free(&refused);
  return rc == POLICY_OK ? api_ok(e) : rc;
}

int api_load_data_buffer(policy_engine *e, const char *name, const char *text,
                         size_t len, bool under) {
  size_t nl = strlen(name);
  bool json = nl > 5 && strcmp(name + nl - 5, ".json") == 0;
  pm_load_limits lim = {256, 1000000};
  pm_value *v;
  pol_buf err = POL_BUF_INIT;
  int rc = json ? pm_load_json(&e->data_arena, text, len, &lim, &v, &err)
                : pm_load_yaml(&e->data_arena, text, len, &lim, &v, &err);
  rc = add_data(e, name, rc, v, &err, under);
  pol_buf_free(&err);
  return rc;
}

/* A data document loaded (rc: a PM_LOAD_ status, with the message in
** *err) as `v`, merged into `data`. */
static int add_data(policy_engine *e, const char *name, int rc, pm_value *v, pol_buf *err,
                    bool under) {
  if (rc == PM_LOAD_NOMEM) rc = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  else if (rc != PM_LOAD_OK)
    rc = api_fail(e, POLICY_ERR_PARSE, "%s:%s", name, err->data ? err->data : " invalid");
  else if (v->type != PM_MAP)
    rc = api_fail(e, POLICY_ERR_PARSE, "%s: a data document must be a mapping at the top", name);
  else {
    api_drop_sandbox(e); /* the next one sees the new `data` */
    if (e->data == NULL) e->data = v;
    else
      for (size_t i = 0; i < v->u.obj.len; i++) {
        const pm_member *m = &v->u.obj.items[i];
        /* Defaults (`under`) never replace what the caller loaded. */
        if (under && pm_getn(e->data, m->key, m->key_len) != NULL) continue;
        if (!pm_setn(&e->data_arena, e->data, m->key, m->key_len, m->val)) {
          rc = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
          break;
        }
      }
    if (rc == PM_LOAD_OK) rc = api_ok(e);
  }
  return rc;
}

int policy_engine_load_data(policy_engine *e, const char *path) {
  if (e == NULL || path == NULL) return api_fail(e, POLICY_ERR_INVALID, "no path");
  char *text;
  size_t len;
  int rc = api_read_named(e, path, e->max_input, "(raise it with --max-input-bytes)", &text,
                          &len);
  if (rc != POLICY_OK) return rc;
  rc = api_load_data_buffer(e, path, text, len, false);
  pol_free(text);
  return rc;
}

int policy_engine_ignore(policy_engine *e, const char *name) {
  if (e == NULL || name == NULL || *name == '\0')
    return api_fail(e, POLICY_ERR_INVALID, "policy_engine_ignore: no rule named");
  char **list = pol_realloc(e->ignores, (e->nignores + 1) * sizeof *list);
  if (list == NULL) return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  e->ignores = list;
  if ((list[e->nignores] = pol_strndup(name, strlen(name))) == NULL)
    return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  e->nignores++;
  for (size_t i = 0; i < e->nrules; i++)
    if (eng_rule_matches(e->rules[i], name)) e->rules[i]->ignored = true;
  return api_ok(e);
}

void api_rule_refresh(policy_engine *e, size_t i) {
  assert(i < e->nrules);
  e->rules[i]->ignored = ignored(e, e->rules[i]);
}

int policy_engine_set_profile(policy_engine *e, const char *name) {
  if (e == NULL || name == NULL) return api_fail(e, POLICY_ERR_INVALID, "policy_engine_set_profile: NULL argument");
  int p = eng_rule_profile_of(name);
  if (p < 0)
    return api_fail(e, POLICY_ERR_INVALID, "unknown profile '%.64s' (default, strict, all)", name);
  e->profile = p;
  for (size_t i = 0; i < e->nrules; i++) e->rules[i]->ignored = ignored(e, e->rules[i]);
  return api_ok(e);
}

const char *policy_engine_profile(const policy_engine *e) {
  return e ? eng_rule_profile_names[e->profile] : NULL;
}

size_t policy_engine_rule_count(const policy_engine *e) {
  return e ? e->nrules : 0;
}

/* "image,container" and the like: the names of a rule's subject kinds
** (eng_rule_subject_names, in bit order), for every combination. */
_Static_assert(ENG_RULE_SUBJECT_KINDS == 5, "applies_text lists the combinations of five kinds");

static const char *applies_text(unsigned a) {
  static const char *const names[1u << ENG_RULE_SUBJECT_KINDS] = {
      NULL, "image", "container", "image,container", "document", "image,document",
      "container,document", "image,container,document", "request", "image,request",
      "container,request", "image,container,request", "document,request",
      "image,document,request", "container,document,request",
      "image,container,document,request", "vulnerability", "image,vulnerability",
      "container,vulnerability", "image,container,vulnerability", "document,vulnerability",
      "image,document,vulnerability", "container,document,vulnerability",
      "image,container,document,vulnerability", "request,vulnerability",
      "image,request,vulnerability", "container,request,vulnerability",
      "image,container,request,vulnerability", "document,request,vulnerability",
      "image,document,request,vulnerability", "container,document,request,vulnerability",
      "image,container,document,request,vulnerability"};
  return a < (1u << ENG_RULE_SUBJECT_KINDS) ? names[a] : NULL;
}

const char *policy_engine_rule_string(const policy_engine *e, size_t i,
                                      int field) {
  if (e == NULL || i >= e->nrules) return NULL;
  const eng_rule *r = e->rules[i];
  switch (field) {
  case POLICY_RULE_ID: return r->id;
  case POLICY_RULE_TITLE: return r->title;
  case POLICY_RULE_SEVERITY: return policy_severity_name(r->severity);
  case POLICY_RULE_APPLIES_TO: return applies_text(r->applies);
  case POLICY_RULE_DESCRIPTION: return r->description;
  case POLICY_RULE_REMEDIATION: return r->remediation;
  case POLICY_RULE_ORIGIN: return r->origin;
  case POLICY_RULE_PROFILE: return eng_rule_profile_names[r->profile];
  default: return NULL;
  }
}

const char *policy_engine_rule_ref(policy_engine *e, size_t i,
                                   const char *tool) {
  if (e == NULL || i >= e->nrules || tool == NULL) return NULL;
  const eng_rule *r = e->rules[i];
  pol_buf_clear(&e->refbuf);
  for (size_t k = 0; k < r->nrefs; k++) {
    if (strcmp(r->refs[k].tool, tool) != 0) continue;
    if (e->refbuf.len) pol_buf_puts(&e->refbuf, ",");
    pol_buf_puts(&e->refbuf, r->refs[k].id);
  }
  return e->refbuf.len && !e->refbuf.oom ? e->refbuf.data : NULL;
}

static void json_field(pol_buf *b, const char *key, const char *value) {
  pol_buf_putc(b, ',');
  pol_buf_put_json_string(b, key, strlen(key));
  pol_buf_putc(b, ':');
  pol_buf_put_json_string(b, value, strlen(value));
}

int policy_engine_rules_to_json(char **out, size_t *len,
                                const policy_engine *e, uint32_t flags) {
  if (out == NULL || e == NULL) return POLICY_ERR_INVALID;
  bool pretty = flags & POLICY_JSON_PRETTY;
  pol_buf b = POL_BUF_INIT;
  pol_buf_putc(&b, '[');
  for (size_t i = 0; i < e->nrules; i++) {
    const eng_rule *r = e->rules[i];
    pol_buf_puts(&b, i ? (pretty ? ",\n  " : ",") : (pretty ? "\n  " : ""));
    pol_buf_puts(&b, "{\"id\":");
    pol_buf_put_json_string(&b, r->id, strlen(r->id));
    json_field(&b, "title", r->title);
    json_field(&b, "severity", policy_severity_name(r->severity));
    pol_buf_puts(&b, ",\"applies_to\":[");
    const char *sep = "";
    for (unsigned k = 0; k < ENG_RULE_SUBJECT_KINDS; k++)
      if (r->applies & (1u << k)) {
        pol_buf_printf(&b, "%s\"%s\"", sep, eng_rule_subject_names[k]);
        sep = ",";
      }
    pol_buf_putc(&b, ']');
    json_field(&b, "description", r->description);
    json_field(&b, "remediation", r->remediation);
    pol_buf_puts(&b, ",\"refs\":");
    rep_write_refs(&b, e->metas[i]->refs, e->metas[i]->nrefs);
    json_field(&b, "origin", r->origin);
    json_field(&b, "profile", eng_rule_profile_names[r->profile]);
    pol_buf_printf(&b, ",\"ignored\":%s}", r->ignored ? "true" : "false");
  }
  pol_buf_puts(&b, pretty ? "\n]\n" : "]\n");
  char *s = pol_buf_detach(&b, len);
  if (s == NULL) return POLICY_ERR_NOMEM; /* *out is written only on success */
  *out = s;
  return POLICY_OK;
}
