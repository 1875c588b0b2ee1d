/*
** stages.c: Dockerfile to model (see stages.h).
**
** Scoping follows BuildKit's dispatcher:
**  - ARGs before the first FROM are global; only FROM lines see them (plus
**    build args). The automatic platform ARGs are known but have no value
**    here: a FROM that needs one is marked unresolved, never guessed.
**  - A stage sees its ENV and its own ARGs from their line on; a stage
**    built FROM an earlier stage starts with that stage's variables, user,
**    workdir and shell.
**  - All words of one instruction expand against the variables as they
**    were before it.
** Instructions other than ARG before the first FROM are an error to
** BuildKit ("no build stage in current context", reported once, where
** BuildKit stops). So that a fragment is still linted, every instruction
** before that FROM then goes into an implicit stage: image 0, marked
** `implicit`, with no base, never final and never shipped. A file BuildKit
** accepts never has one, so its model is unchanged.
** Every model node gets the position of the text it came from.
*/
#include "stages.h"

#include "cmdfacts.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/buf.h"
#include "../core/hindex.h"
#include "../core/utf8.h"
#include "../model/build.h"
#include "../model/doc.h"
#include "../model/ref.h"
#include "../model/suppress.h"
#include "instr.h"
#include "parser.h"
#include "pragmas.h"
#include "shlex.h"
#include "shsplit.h"

/* ---- variables ---------------------------------------------------------- */

typedef struct var {
  const char *name;
  size_t name_len;
  const char *val;  /* NULL: declared without a value (unset) */
  size_t val_len;
  bool is_env;      /* set by ENV: a later ARG of the name does not win */
} var;

typedef struct scope {
  var *v;
  size_t n, cap;
  pol_hindex index;  /* name -> position in v */
} scope;

static const char *var_name(const void *items, size_t i, size_t *len) {
  const var *v = (const var *)items + i;
  *len = v->name_len;
  return v->name;
}

static var *scope_find(const scope *s, const char *name, size_t len) {
  size_t i = pol_hindex_find(&s->index, name, len, var_name, s->v);
  return i == SIZE_MAX ? NULL : &s->v[i];
}

static bool scope_set(pol_arena *a, scope *s, const char *name, size_t nl,
                      const char *val, size_t vl, bool is_env) {
  var *v = scope_find(s, name, nl);
  if (v && v->is_env && !is_env) return true;
  if (v == NULL) {
    if (!pol_arena_grow(a, (void **)&s->v, &s->cap, s->n + 1, sizeof *s->v))
      return false;
    v = &s->v[s->n++];
    v->name = pol_arena_strndup(a, name, nl);
    v->name_len = nl;
    if (v->name == NULL || !pol_hindex_add(a, &s->index, s->n - 1, s->n, var_name, s->v))
      return false;
  }
  v->val = val ? pol_arena_strndup(a, val, vl) : NULL;
  v->val_len = vl;
  v->is_env = is_env;
  return val == NULL || v->val != NULL;
}

static bool scope_copy(pol_arena *a, scope *dst, const scope *src) {
  for (size_t i = 0; i < src->n; i++)
    if (!scope_set(a, dst, src->v[i].name, src->v[i].name_len, src->v[i].val,
                   src->v[i].val_len, src->v[i].is_env))
      return false;
  return true;
}

static bool scope_lookup(const char *name, size_t len, const char **val,
                         size_t *val_len, void *ud) {
  var *v = scope_find(ud, name, len);
  if (v == NULL || v->val == NULL) return false;
  *val = v->val;
  *val_len = v->val_len;
  return true;
}

/* ---- build state -------------------------------------------------------- */

typedef struct stage {
  pm_value *img;
  const char *name;  /* lower case, NULL when unnamed */
  scope vars;        /* ENV and ARG values visible to expansion */
  pm_value *env, *args, *labels, *instructions, *commands, *expose,
           *copies, *secrets, *volumes, *onbuild;
  pm_value *user, *workdir, *shell, *cmd, *entrypoint, *healthcheck;
  const char *workdir_path;
} stage;

typedef struct build {
  pm_builder pm;     /* the arena and the sticky out-of-memory flag */
  pm_value *doc;
  const df_file *file;
  const df_build_opts *opts;
  scope globals;     /* meta ARGs */
  pm_value *global_args; /* the document's args[] */
  bool implicit;     /* stages[0] is the implicit stage */
  scope buildargs;   /* --build-arg values */
  stage *stages;
  size_t nstages, cap;
  pol_hindex stage_index;  /* stage name -> index, named stages only */
  pol_buf tmp, err;
  uint64_t match_steps; /* pattern-matching budget of the whole file */
} build;

static pm_pos span_pos(df_span s) {
  return pm_pos_make(s.start.line, s.start.col, s.end.line, s.end.col);
}

static void build_error(build *b, const char *msg, df_span where) {
  if (!pm_doc_error(b->pm.a, b->doc, msg, span_pos(where))) b->pm.oom = true;
}

static void build_warning(build *b, const char *msg, df_span where) {
  if (!pm_doc_warning(b->pm.a, b->doc, msg, span_pos(where))) b->pm.oom = true;
}

/* obj.field = v, obj being of type `type` (field: a PM_F_ index of that
** type, so that no name is looked up). */
static inline void set_field(build *b, pm_value *obj, pm_schema_id type,
                             size_t field, pm_value *v) {
  assert(obj == NULL || (obj->type == PM_OBJ && obj->u.obj.schema == type));
  (void)type;
  pm_b_set_field(&b->pm, obj, field, v);
}

static pm_value *str(build *b, const char *s, size_t n, df_span where) {
  return pm_b_strn(&b->pm, s, n, span_pos(where));
}

/* A string node over s[0..n), text the parser made in the document's
** arena and ended with a NUL (a word, keyword, heredoc, whole line):
** shared, not copied. */
static pm_value *node_str(build *b, const char *s, size_t n, df_span where) {
  assert(s[n] == '\0');
  pm_value *v = b->pm.oom ? NULL : pm_str_shared(b->pm.a, s, n, span_pos(where));
  if (v == NULL) b->pm.oom = true;
  return v;
}

static pm_value *word_value(build *b, const df_word *w) {
  return node_str(b, w->s, w->len, w->span);
}

/* Expands one word against `sc`. Returns the new string node, or the raw
** word (and records the error) when expansion fails. *unresolved is set
** when a variable it needed had no value. */
static pm_value *expand(build *b, const scope *sc, const char *s, size_t n,
                        df_span where, bool *unresolved) {
  if (df_shlex_is_literal(s, n, b->file->escape)) { /* most words */
    if (unresolved) *unresolved = false;
    return str(b, s, n, where);
  }
  df_shlex_env env = {scope_lookup, (void *)sc, &b->match_steps};
  pol_buf unmatched = POL_BUF_INIT;
  df_shlex_names names = {NULL, &unmatched};
  pol_buf_clear(&b->tmp);
  pol_buf_clear(&b->err);
  int rc = df_shlex_process_word(s, n, b->file->escape, 0, &env, &b->tmp,
                              &b->err, &names);
  bool any_unset = unmatched.len > 0;
  pol_buf_free(&unmatched);
  if (rc == SHLEX_ERR_NOMEM || b->tmp.oom) { b->pm.oom = true; return NULL; }
  if (rc != SHLEX_OK) {
    build_error(b, b->err.data ? b->err.data : "variable expansion failed",
                where);
    if (unresolved) *unresolved = true;
    return str(b, s, n, where);
  }
  if (unresolved) *unresolved = any_unset;
  return str(b, b->tmp.data ? b->tmp.data : "", b->tmp.len, where);
}

static pm_value *expand_word(build *b, const stage *st, const df_word *w) {
  return expand(b, &st->vars, w->s, w->len, w->span, NULL);
}

/* ---- instructions as written --------------------------------------------- */

static bool flag_is_multi(const char *name, size_t n) {
  return (n == 5 && memcmp(name, "mount", 5) == 0) ||
         (n == 7 && memcmp(name, "exclude", 7) == 0) ||
         (n == 6 && memcmp(name, "device", 6) == 0);
}

/* flags{}: name -> string; bare flags -> true; repeatable ones -> [..]. */
static pm_value *flags_model(build *b, const df_node *n) {
  pm_value *flags = pm_map(b->pm.a, span_pos(n->span));
  if (flags == NULL) { b->pm.oom = true; return NULL; }
  for (size_t i = 0; i < n->nflags && !b->pm.oom; i++) {
    const df_word *w = &n->flags[i];
    const char *name = w->s + 2;
    size_t nl = w->len - 2;
    const char *eq = memchr(name, '=', nl);
    size_t kl = eq ? (size_t)(eq - name) : nl;
    pm_pos pos = span_pos(w->span);
    pm_value *v = eq ? pm_str_shared(b->pm.a, eq + 1, nl - kl - 1, pos) /* the word's end */
                     : pm_bool(b->pm.a, true, pos);
    if (v == NULL) { b->pm.oom = true; break; }
    if (flag_is_multi(name, kl)) {
      pm_value *list = pm_getn(flags, name, kl);
      if (list == NULL) {
        list = pm_arr(b->pm.a, pos);
        if (!pm_setn(b->pm.a, flags, name, kl, list)) b->pm.oom = true;
      }
      pm_b_push(&b->pm, list, v);
    } else if (!pm_setn(b->pm.a, flags, name, kl, v)) {
      b->pm.oom = true;
    }
  }
  return flags;
}

static pm_value *heredocs_model(build *b, const df_node *n) {
  pm_value *list = pm_arr(b->pm.a, span_pos(n->span));
  for (size_t i = 0; list && i < n->nheredocs && !b->pm.oom; i++) {
    const df_heredoc *h = &n->heredocs[i];
    pm_value *o = pm_obj_typed(b->pm.a, PM_SCHEMA_HEREDOC, span_pos(h->span));
    if (o == NULL) { b->pm.oom = true; break; }
    set_field(b, o, PM_SCHEMA_HEREDOC, PM_F_HEREDOC_NAME, node_str(b, h->name, h->name_len, h->span));
    set_field(b, o, PM_SCHEMA_HEREDOC, PM_F_HEREDOC_BODY, node_str(b, h->content, h->content_len, h->span));
    set_field(b, o, PM_SCHEMA_HEREDOC, PM_F_HEREDOC_EXPAND, pm_bool(b->pm.a, h->expand, span_pos(h->span)));
    set_field(b, o, PM_SCHEMA_HEREDOC, PM_F_HEREDOC_CHOMP, pm_bool(b->pm.a, h->chomp, span_pos(h->span)));
    set_field(b, o, PM_SCHEMA_HEREDOC, PM_F_HEREDOC_FD, pm_int(b->pm.a, h->fd, span_pos(h->span)));
    pm_b_push(&b->pm, list, o);
  }
  if (list == NULL) b->pm.oom = true;
  return list;
}

static const char *upper_keyword(pol_arena *a, const char *kw) {
  size_t n = strlen(kw);
  char *u = pol_arena_alloc(a, n + 1);
  if (u == NULL) return NULL;
  for (size_t i = 0; i <= n; i++) u[i] = (char)toupper((unsigned char)kw[i]);
  return u;
}

/* The instruction as written: keyword, args, flags, json, heredocs. */
static pm_value *instruction_model(build *b, const df_node *n) {
  pm_pos pos = span_pos(n->span);
  pm_value *o = pm_obj_typed(b->pm.a, PM_SCHEMA_INSTRUCTION, pos);
  if (o == NULL) { b->pm.oom = true; return NULL; }
  const char *kw = upper_keyword(b->pm.a, n->keyword);
  if (kw == NULL) { b->pm.oom = true; return NULL; }
  set_field(b, o, PM_SCHEMA_INSTRUCTION, PM_F_INSTRUCTION_KEYWORD, node_str(b, kw, strlen(kw), n->keyword_span));
  pm_value *args = pm_arr(b->pm.a, pos);
  set_field(b, o, PM_SCHEMA_INSTRUCTION, PM_F_INSTRUCTION_ARGS, args);
  for (size_t i = 0; i < n->nargs && !b->pm.oom; i++)
    pm_b_push(&b->pm, args, word_value(b, &n->args[i]));
  set_field(b, o, PM_SCHEMA_INSTRUCTION, PM_F_INSTRUCTION_FLAGS, flags_model(b, n));
  set_field(b, o, PM_SCHEMA_INSTRUCTION, PM_F_INSTRUCTION_JSON, pm_bool(b->pm.a, n->json, pos));
  if (n->nheredocs) set_field(b, o, PM_SCHEMA_INSTRUCTION, PM_F_INSTRUCTION_HEREDOCS, heredocs_model(b, n));
  /* the line ends the parser's text, but for an ONBUILD trigger written
  ** with blanks after it */
  bool ends = n->original[n->original_len] == '\0';
  set_field(b, o, PM_SCHEMA_INSTRUCTION, PM_F_INSTRUCTION_ORIGINAL,
            ends ? node_str(b, n->original, n->original_len, n->span)
                 : str(b, n->original, n->original_len, n->span));
  set_field(b, o, PM_SCHEMA_INSTRUCTION, PM_F_INSTRUCTION_LINE, pm_int(b->pm.a, n->span.start.line, pos));
  set_field(b, o, PM_SCHEMA_INSTRUCTION, PM_F_INSTRUCTION_END_LINE, pm_int(b->pm.a, n->span.end.line, pos));
  if (n->inner) set_field(b, o, PM_SCHEMA_INSTRUCTION, PM_F_INSTRUCTION_TRIGGER, instruction_model(b, n->inner));
  return o;
}

/* ---- stages ------------------------------------------------------------- */

static const char *const automatic_args[] = {
    "BUILDPLATFORM", "BUILDOS", "BUILDOSVERSION", "BUILDARCH", "BUILDVARIANT",
    "TARGETPLATFORM", "TARGETOS", "TARGETOSVERSION", "TARGETARCH",
    "TARGETVARIANT", "TARGETSTAGE"};

static var *buildarg(build *b, const char *name, size_t len) {
  return scope_find(&b->buildargs, name, len);
}

static const char *stage_key(const void *items, size_t i, size_t *len) {
  const stage *st = (const stage *)items + i;
  *len = st->name ? strlen(st->name) : 0;
  return st->name ? st->name : "";
}

/* The earlier stage named s (stage names compare case-insensitively), or
** -1. Unnamed stages sit in the index under "", which no lookup asks
** for; of repeated names the first stage is found (it was inserted first
** and probing meets it first). */
static int stage_by_name(const build *b, const char *s, size_t n) {
  char lower[256];
  if (n == 0 || n >= sizeof lower) return -1;
  for (size_t i = 0; i < n; i++) lower[i] = (char)tolower((unsigned char)s[i]);
  size_t i = pol_hindex_find(&b->stage_index, lower, n, stage_key, b->stages);
  return i == SIZE_MAX ? -1 : (int)i;
}

static pm_value *new_list(build *b, pm_value *img, size_t field, pm_pos p) {
  pm_value *l = pm_arr(b->pm.a, p);
  set_field(b, img, PM_SCHEMA_IMAGE, field, l);
  return l;
}

static pm_value *new_map(build *b, pm_value *img, size_t field, pm_pos p) {
  pm_value *m = pm_map(b->pm.a, p);
  set_field(b, img, PM_SCHEMA_IMAGE, field, m);
  return m;
}

/* Model of the FROM reference: an earlier stage, scratch, or an image. */
static pm_value *from_ref(build *b, const df_word *w, pm_value *expanded,
                          bool unresolved, int *parent) {
  pm_pos pos = expanded->pos;
  const char *s = expanded->u.str.s;
  size_t n = expanded->u.str.len;
  *parent = unresolved ? -1 : stage_by_name(b, s, n);
  pm_value *r;
  if (*parent >= 0) {
    r = pm_obj_typed(b->pm.a, PM_SCHEMA_REF, pos);
    pm_b_set(&b->pm, r, "raw", word_value(b, w));
    pm_b_set(&b->pm, r, "stage", pm_str(b->pm.a, b->stages[*parent].name, pos));
  } else if (!unresolved && n == 7 && memcmp(s, "scratch", 7) == 0) {
    r = pm_obj_typed(b->pm.a, PM_SCHEMA_REF, pos);
    pm_b_set(&b->pm, r, "raw", word_value(b, w));
    pm_b_set(&b->pm, r, "scratch", pm_bool(b->pm.a, true, pos));
  } else if (unresolved) {
    r = pm_obj_typed(b->pm.a, PM_SCHEMA_REF, pos);
    pm_b_set(&b->pm, r, "raw", word_value(b, w));
    pm_b_set(&b->pm, r, "expanded", expanded);
    pm_b_set(&b->pm, r, "unresolved", pm_bool(b->pm.a, true, pos));
  } else {
    r = pm_ref_to_model(b->pm.a, s, n, pos);
    if (r && (w->len != n || memcmp(w->s, s, n) != 0)) {
      pm_b_set(&b->pm, r, "raw", word_value(b, w));
      pm_b_set(&b->pm, r, "expanded", expanded);
    }
  }
  if (r == NULL) b->pm.oom = true;
  return r;
}

/* Room for the next stage (b->stages[b->nstages]) and its image object,
** empty: the caller sets the fields in schema order, up to `parent`, then
** stage_fill the rest, then stage_add. */
static stage *stage_alloc(build *b, pm_pos pos) {
  if (!pol_arena_grow(b->pm.a, (void **)&b->stages, &b->cap, b->nstages + 1,
                   sizeof *b->stages)) {
    b->pm.oom = true;
    return NULL;
  }
  stage *st = &b->stages[b->nstages];
  memset(st, 0, sizeof *st);
  st->img = pm_obj_typed(b->pm.a, PM_SCHEMA_IMAGE, pos);
  if (st->img == NULL) { b->pm.oom = true; return NULL; }
  return st;
}

/* The fields from `user` on: inherited from the stage `up` is built FROM,
** or empty (NULL up). */
static void stage_fill(build *b, stage *st, const stage *up, pm_pos pos) {
  pm_value *img = st->img;
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_USER, st->user = up ? up->user : pm_null(b->pm.a, pos));
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_WORKDIR, st->workdir = up ? up->workdir : pm_null(b->pm.a, pos));
  st->workdir_path = up ? up->workdir_path : "/";
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_SHELL, st->shell = up ? up->shell : pm_null(b->pm.a, pos));
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_ENTRYPOINT, st->entrypoint = up ? up->entrypoint : pm_null(b->pm.a, pos));
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_CMD, st->cmd = up ? up->cmd : pm_null(b->pm.a, pos));
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_HEALTHCHECK, st->healthcheck = up ? up->healthcheck : pm_null(b->pm.a, pos));
  st->env = up ? pm_clone(b->pm.a, up->env) : pm_map(b->pm.a, pos);
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_ENV, st->env);
  st->args = new_map(b, img, PM_F_IMAGE_ARGS, pos);
  st->labels = up ? pm_clone(b->pm.a, up->labels) : pm_map(b->pm.a, pos);
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_LABELS, st->labels);
  st->expose = up ? pm_clone(b->pm.a, up->expose) : pm_arr(b->pm.a, pos);
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_EXPOSE, st->expose);
  st->volumes = up ? pm_clone(b->pm.a, up->volumes) : pm_arr(b->pm.a, pos);
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_VOLUMES, st->volumes);
  st->copies = new_list(b, img, PM_F_IMAGE_COPIES, pos);
  st->secrets = new_list(b, img, PM_F_IMAGE_SECRETS, pos);
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_STOPSIGNAL, pm_null(b->pm.a, pos));
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_MAINTAINER, pm_null(b->pm.a, pos));
  st->onbuild = new_list(b, img, PM_F_IMAGE_ONBUILD, pos);
  st->instructions = new_list(b, img, PM_F_IMAGE_INSTRUCTIONS, pos);
  st->commands = new_list(b, img, PM_F_IMAGE_COMMANDS, pos);
  if (up && !scope_copy(b->pm.a, &st->vars, &up->vars)) b->pm.oom = true;
}

/* Counts the stage filled at b->stages[b->nstages] and indexes its name.
** A repeated name keeps resolving to its first stage, as in BuildKit. */
static stage *stage_add(build *b) {
  if (b->pm.oom) return NULL;
  stage *st = &b->stages[b->nstages++];
  if (st->name && strlen(st->name) < 256 && stage_by_name(b, st->name, strlen(st->name)) < 0 &&
      !pol_hindex_add(b->pm.a, &b->stage_index, b->nstages - 1, b->nstages, stage_key, b->stages))
    b->pm.oom = true;
  return b->pm.oom ? NULL : st;
}

/* The implicit stage, opened at the file's first instruction `n` when
** instructions other than ARG come before the first FROM. */
static stage *stage_implicit(build *b, const df_node *n) {
  assert(b->nstages == 0);
  pm_pos pos = span_pos(n->span);
  stage *st = stage_alloc(b, pos);
  if (st == NULL) return NULL;
  pm_value *img = st->img;
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_NAME, pm_null(b->pm.a, pos));
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_INDEX, pm_int(b->pm.a, 0, pos));
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_FINAL, pm_bool(b->pm.a, false, pos));
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_SHIPS, pm_bool(b->pm.a, false, pos));
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_ORIGIN, pm_str(b->pm.a, "dockerfile", pos));
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_IMPLICIT, pm_bool(b->pm.a, true, pos));
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_FROM, pm_null(b->pm.a, pos));
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_PLATFORM, pm_null(b->pm.a, pos));
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_PARENT, pm_null(b->pm.a, pos));
  stage_fill(b, st, NULL, pos);
  b->implicit = true;
  return stage_add(b);
}

static stage *stage_new(build *b, const df_node *n) {
  pm_pos pos = span_pos(n->span);
  stage *st = stage_alloc(b, pos);
  if (st == NULL) return NULL;
  pm_value *img = st->img;

  bool unresolved = false;
  pm_value *base = n->nargs
      ? expand(b, &b->globals, n->args[0].s, n->args[0].len, n->args[0].span,
               &unresolved)
      : NULL;
  if (n->nargs == 3)
    st->name = pol_arena_strndup(b->pm.a, n->args[2].s, n->args[2].len);
  if (st->name)
    for (char *p = (char *)st->name; *p; p++) *p = (char)tolower((unsigned char)*p);
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_NAME, st->name ? str(b, st->name, strlen(st->name), n->args[2].span)
                               : pm_null(b->pm.a, pos));
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_INDEX, pm_int(b->pm.a, (int64_t)b->nstages, pos));
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_FINAL, pm_bool(b->pm.a, false, pos));
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_SHIPS, pm_bool(b->pm.a, false, pos));
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_ORIGIN, pm_str(b->pm.a, "dockerfile", pos));
  int parent = -1;
  if (base && base->u.str.len == 0 && !unresolved) {
    char msg[128];
    snprintf(msg, sizeof msg, "base name (%.80s) should not be blank",
             n->args[0].s);
    build_error(b, msg, n->args[0].span);
  }
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_FROM, base ? from_ref(b, &n->args[0], base, unresolved, &parent)
                           : pm_null(b->pm.a, pos));
  const char *pv;
  size_t pl;
  const df_word *pf = df_instr_flag(n, "platform", &pv, &pl);
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_PLATFORM,
      pf ? expand(b, &b->globals, pv, pl, pf->span, NULL) : pm_null(b->pm.a, pos));
  set_field(b, img, PM_SCHEMA_IMAGE, PM_F_IMAGE_PARENT, parent >= 0 ? pm_int(b->pm.a, parent, pos) : pm_null(b->pm.a, pos));
  stage_fill(b, st, parent >= 0 ? &b->stages[parent] : NULL, pos);
  return stage_add(b);
}

/* ---- simple instructions --------------------------------------------------- */

/* ENV and LABEL: key/value/separator triples, expanded against the
** variables from before the instruction, then applied in order. */
static void do_keyvalues(build *b, stage *st, const df_node *n, bool is_env) {
  size_t npairs = n->nargs / 3;
  pm_value **keys = pol_arena_calloc(b->pm.a, npairs ? npairs : 1, sizeof *keys);
  pm_value **vals = pol_arena_calloc(b->pm.a, npairs ? npairs : 1, sizeof *vals);
  if (keys == NULL || vals == NULL) { b->pm.oom = true; return; }
  for (size_t i = 0; i < npairs && !b->pm.oom; i++) {
    keys[i] = expand_word(b, st, &n->args[3 * i]);
    vals[i] = expand_word(b, st, &n->args[3 * i + 1]);
  }
  for (size_t i = 0; i < npairs && !b->pm.oom; i++) {
    pm_value *k = keys[i], *v = vals[i];
    if (!pm_setn(b->pm.a, is_env ? st->env : st->labels, k->u.str.s, k->u.str.len, v))
      b->pm.oom = true;
    if (is_env && !scope_set(b->pm.a, &st->vars, k->u.str.s, k->u.str.len,
                             v->u.str.s, v->u.str.len, true))
      b->pm.oom = true;
  }
}

/* ARG inside a stage: build arg, else expanded default, else the global
** ARG's value, else declared without a value. */
static void do_arg(build *b, stage *st, const df_node *n) {
  for (size_t i = 0; i < n->nargs && !b->pm.oom; i++) {
    const df_word *w = &n->args[i];
    const char *eq = memchr(w->s, '=', w->len);
    size_t nl = eq ? (size_t)(eq - w->s) : w->len;
    pm_value *val = NULL;
    var *ba = buildarg(b, w->s, nl);
    var *g = scope_find(&b->globals, w->s, nl);
    if (ba) val = str(b, ba->val, ba->val_len, w->span);
    else if (eq) val = expand(b, &st->vars, eq + 1, w->len - nl - 1, w->span, NULL);
    else if (g && g->val) val = str(b, g->val, g->val_len, w->span);
    if (b->pm.oom) return;
    if (!pm_setn(b->pm.a, st->args, w->s, nl, val ? val : pm_null(b->pm.a, span_pos(w->span))))
      b->pm.oom = true;
    if (!scope_set(b->pm.a, &st->vars, w->s, nl, val ? val->u.str.s : NULL,
                   val ? val->u.str.len : 0, false))
      b->pm.oom = true;
  }
}

/* ARG before the first FROM: a global, visible to FROM lines only, and an
** entry of the document's args[]. */
static void do_global_arg(build *b, const df_node *n) {
  for (size_t i = 0; i < n->nargs && !b->pm.oom; i++) {
    const df_word *w = &n->args[i];
    const char *eq = memchr(w->s, '=', w->len);
    size_t nl = eq ? (size_t)(eq - w->s) : w->len;
    pm_pos pos = span_pos(w->span);
    var *ba = buildarg(b, w->s, nl);
    pm_value *v = NULL;
    if (ba) v = str(b, ba->val, ba->val_len, w->span);
    else if (eq) v = expand(b, &b->globals, eq + 1, w->len - nl - 1, w->span, NULL);
    if (b->pm.oom) return;
    if (!scope_set(b->pm.a, &b->globals, w->s, nl, v ? v->u.str.s : NULL,
                   v ? v->u.str.len : 0, false))
      b->pm.oom = true;
    pm_value *o = pm_obj_typed(b->pm.a, PM_SCHEMA_GLOBAL_ARG, pos);
    if (o == NULL) { b->pm.oom = true; return; }
    pm_b_set(&b->pm, o, "name", str(b, w->s, nl, w->span));
    pm_b_set(&b->pm, o, "default", eq ? str(b, eq + 1, w->len - nl - 1, w->span)
                                      : pm_null(b->pm.a, pos));
    pm_b_set(&b->pm, o, "value", v ? v : pm_null(b->pm.a, pos));
    pm_b_set(&b->pm, o, "line", pm_int(b->pm.a, w->span.start.line, pos));
    pm_b_push(&b->pm, b->global_args, o);
  }
}

/* Appends path.Clean(base + "/" + p) semantics for a relative WORKDIR. */
static const char *join_path(pol_arena *a, const char *base, const char *p,
                             size_t n) {
  pol_buf in = POL_BUF_INIT, out = POL_BUF_INIT;
  if (n == 0 || p[0] != '/') { pol_buf_puts(&in, base); pol_buf_putc(&in, '/'); }
  pol_buf_append(&in, p, n);
  /* Clean: collapse //, drop ., resolve .. against what precedes. */
  size_t i = 0;
  while (i < in.len && !in.oom) {
    while (i < in.len && in.data[i] == '/') i++;
    size_t start = i;
    while (i < in.len && in.data[i] != '/') i++;
    size_t len = i - start;
    if (len == 0 || (len == 1 && in.data[start] == '.')) continue;
    if (len == 2 && in.data[start] == '.' && in.data[start + 1] == '.') {
      while (out.len && out.data[out.len - 1] != '/') out.len--;
      if (out.len) out.len--;
      continue;
    }
    pol_buf_putc(&out, '/');
    pol_buf_append(&out, in.data + start, len);
  }
  if (out.len == 0) pol_buf_putc(&out, '/');
  const char *r = out.oom || in.oom ? NULL : pol_arena_strndup(a, out.data, out.len);
  pol_buf_free(&in);
  pol_buf_free(&out);
  return r;
}

static void do_workdir(build *b, stage *st, const df_node *n, pm_value *instr) {
  pm_value *v = expand_word(b, st, &n->args[0]);
  if (v == NULL) return;
  const char *path = join_path(b->pm.a, st->workdir_path, v->u.str.s, v->u.str.len);
  if (path == NULL) { b->pm.oom = true; return; }
  st->workdir_path = path;
  st->workdir = pm_str(b->pm.a, path, v->pos);
  pm_b_set(&b->pm, st->img, "workdir", st->workdir);
  pm_b_set(&b->pm, instr, "value", v);
}

static void do_user(build *b, stage *st, const df_node *n, pm_value *instr) {
  pm_value *v = expand_word(b, st, &n->args[0]);
  if (v == NULL) return;
  st->user = v;
  pm_b_set(&b->pm, st->img, "user", v);
  pm_b_set(&b->pm, instr, "value", v);
}

/* EXPOSE words: port[-end][/protocol]. */
static void expose_entry(build *b, stage *st, const char *w, size_t n,
                         df_span where) {
  pm_pos pos = span_pos(where);
  pm_value *e = pm_obj_typed(b->pm.a, PM_SCHEMA_EXPOSE, pos);
  if (e == NULL) { b->pm.oom = true; return; }
  pm_b_set(&b->pm, e, "raw", str(b, w, n, where));
  const char *slash = memchr(w, '/', n);
  size_t pn = slash ? (size_t)(slash - w) : n;
  const char *proto = slash ? slash + 1 : "tcp";
  size_t protol = slash ? n - pn - 1 : 3;
  unsigned long lo = 0, hi = 0;
  size_t i = 0;
  bool ok = pn > 0;
  while (i < pn && isdigit((unsigned char)w[i]) && lo <= 65535) lo = lo * 10 + (unsigned)(w[i++] - '0');
  hi = lo;
  if (i < pn && w[i] == '-') {
    i++;
    size_t s = i;
    hi = 0;
    while (i < pn && isdigit((unsigned char)w[i]) && hi <= 65535) hi = hi * 10 + (unsigned)(w[i++] - '0');
    ok = ok && i > s;
  }
  ok = ok && i == pn && lo >= 1 && lo <= 65535 && hi >= lo && hi <= 65535;
  char pr[16];
  size_t k;
  for (k = 0; k < protol && k + 1 < sizeof pr; k++) pr[k] = (char)tolower((unsigned char)proto[k]);
  pr[k] = '\0';
  ok = ok && protol < sizeof pr &&
       (!strcmp(pr, "tcp") || !strcmp(pr, "udp") || !strcmp(pr, "sctp"));
  if (ok) {
    pm_b_set(&b->pm, e, "port", pm_int(b->pm.a, (int64_t)lo, pos));
    pm_b_set(&b->pm, e, "end_port", pm_int(b->pm.a, (int64_t)hi, pos));
    pm_b_set(&b->pm, e, "protocol", pm_str(b->pm.a, pr, pos));
  } else {
    pm_b_set(&b->pm, e, "error", pm_str(b->pm.a, "invalid port specification", pos));
    char msg[160];
    snprintf(msg, sizeof msg, "invalid port specification in EXPOSE: \"%.*s\"",
             (int)(n > 100 ? 100 : n), w);
    build_warning(b, msg, where);
  }
  pm_b_push(&b->pm, st->expose, e);
}

static void do_expose(build *b, stage *st, const df_node *n) {
  df_shlex_env env = {scope_lookup, &st->vars, &b->match_steps};
  for (size_t i = 0; i < n->nargs && !b->pm.oom; i++) {
    const df_word *w = &n->args[i];
    pol_buf words = POL_BUF_INIT;
    size_t count = 0;
    pol_buf_clear(&b->err);
    int rc = df_shlex_process_words(w->s, w->len, b->file->escape, 0, &env, &words,
                                 &count, &b->err);
    if (rc == SHLEX_ERR_NOMEM || words.oom) b->pm.oom = true;
    else if (rc != SHLEX_OK) build_error(b, b->err.data ? b->err.data : "bad word", w->span);
    else {
      const char *p = words.data;
      for (size_t k = 0; k < count && !b->pm.oom; k++) {
        size_t len = strlen(p);
        expose_entry(b, st, p, len, w->span);
        p += len + 1;
      }
    }
    pol_buf_free(&words);
  }
}

/* Go's time.ParseDuration, in seconds; false when malformed. */
static bool parse_duration(const char *s, size_t n, double *out) {
  static const struct { const char *u; double scale; } units[] = {
      {"ns", 1e-9}, {"us", 1e-6}, {"\xC2\xB5s", 1e-6}, {"\xCE\xBCs", 1e-6},
      {"ms", 1e-3}, {"s", 1}, {"m", 60}, {"h", 3600}};
  size_t i = 0;
  double total = 0, sign = 1;
  if (i < n && (s[i] == '+' || s[i] == '-')) sign = s[i++] == '-' ? -1 : 1;
  if (i == n) return false;
  if (n - i == 1 && s[i] == '0') { *out = 0; return true; }
  while (i < n) {
    double v = 0, frac = 0.1;
    size_t digits = 0;
    while (i < n && isdigit((unsigned char)s[i])) { v = v * 10 + (s[i++] - '0'); digits++; }
    if (i < n && s[i] == '.') {
      i++;
      while (i < n && isdigit((unsigned char)s[i])) { v += frac * (s[i++] - '0'); frac /= 10; digits++; }
    }
    if (digits == 0) return false;
    size_t us = i;
    while (i < n && !isdigit((unsigned char)s[i]) && s[i] != '.') i++;
    size_t ul = i - us;
    bool found = false;
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
      if (strlen(units[k].u) == ul && memcmp(units[k].u, s + us, ul) == 0) {
        total += v * units[k].scale;
        found = true;
      }
    if (!found) return false;
  }
  *out = sign * total;
  return true;
}

static void health_duration(build *b, const df_node *n, pm_value *hc,
                            const char *flag, const char *key) {
  const char *v;
  size_t vl;
  const df_word *w = df_instr_flag(n, flag, &v, &vl);
  pm_pos pos = span_pos(n->span);
  if (w == NULL) { pm_b_set(&b->pm, hc, key, pm_null(b->pm.a, pos)); return; }
  double secs;
  char msg[200];
  if (!parse_duration(v, vl, &secs)) {
    snprintf(msg, sizeof msg, "time: invalid duration \"%.*s\"", (int)(vl > 80 ? 80 : vl), v);
    build_error(b, msg, w->span);
    pm_b_set(&b->pm, hc, key, pm_null(b->pm.a, pos));
    return;
  }
  if (secs != 0 && secs < 0.001) {
    snprintf(msg, sizeof msg, "Interval \"%s\" cannot be less than 1ms", flag);
    build_error(b, msg, w->span);
  }
  pm_b_set(&b->pm, hc, key, pm_num(b->pm.a, secs, span_pos(w->span)));
}

static void do_healthcheck(build *b, stage *st, const df_node *n) {
  pm_pos pos = span_pos(n->span);
  pm_value *hc = pm_obj_typed(b->pm.a, PM_SCHEMA_HEALTHCHECK, pos), *test = pm_arr(b->pm.a, pos);
  if (hc == NULL || test == NULL) { b->pm.oom = true; return; }
  bool none = n->nargs > 0 && n->args[0].len == 4 &&
              strncasecmp(n->args[0].s, "NONE", 4) == 0;
  pm_b_set(&b->pm, hc, "test", test);
  pm_b_set(&b->pm, hc, "disabled", pm_bool(b->pm.a, none, pos));
  if (none) {
    pm_b_push(&b->pm, test, pm_str(b->pm.a, "NONE", pos));
  } else {
    pm_b_push(&b->pm, test, pm_str(b->pm.a, n->json ? "CMD" : "CMD-SHELL", pos));
    for (size_t i = 1; i < n->nargs; i++) pm_b_push(&b->pm, test, word_value(b, &n->args[i]));
    health_duration(b, n, hc, "interval", "interval");
    health_duration(b, n, hc, "timeout", "timeout");
    health_duration(b, n, hc, "start-period", "start_period");
    health_duration(b, n, hc, "start-interval", "start_interval");
    const char *v;
    size_t vl;
    const df_word *w = df_instr_flag(n, "retries", &v, &vl);
    if (w) {
      char *end, *tmp = pol_arena_strndup(b->pm.a, v, vl);
      long long r = tmp ? strtoll(tmp, &end, 10) : 0;
      if (tmp == NULL) { b->pm.oom = true; return; }
      if (vl == 0 || *end != '\0') {
        char msg[160];
        snprintf(msg, sizeof msg, "strconv.ParseInt: parsing \"%.80s\": invalid syntax", tmp);
        build_error(b, msg, w->span);
      } else if (r < 0) {
        char msg[80];
        snprintf(msg, sizeof msg, "--retries cannot be negative (%lld)", r);
        build_error(b, msg, w->span);
      }
      pm_b_set(&b->pm, hc, "retries", pm_int(b->pm.a, r, span_pos(w->span)));
    } else {
      pm_b_set(&b->pm, hc, "retries", pm_null(b->pm.a, pos));
    }
  }
  st->healthcheck = hc;
  pm_b_set(&b->pm, st->img, "healthcheck", hc);
}

static pm_value *default_shell(build *b, pm_pos pos) {
  pm_value *sh = pm_arr(b->pm.a, pos);
  pm_b_push(&b->pm, sh, pm_str(b->pm.a, "/bin/sh", pos));
  pm_b_push(&b->pm, sh, pm_str(b->pm.a, "-c", pos));
  return sh;
}

/* CMD and ENTRYPOINT: {form: "exec"|"shell", argv: [...]}; the shell form
** runs through the stage's SHELL (default /bin/sh -c). */
static pm_value *exec_model(build *b, stage *st, const df_node *n) {
  pm_pos pos = span_pos(n->span);
  pm_value *o = pm_obj_typed(b->pm.a, PM_SCHEMA_EXEC, pos), *argv = pm_arr(b->pm.a, pos);
  if (o == NULL || argv == NULL) { b->pm.oom = true; return NULL; }
  pm_b_set(&b->pm, o, "form", pm_str(b->pm.a, n->json ? "exec" : "shell", pos));
  if (!n->json) {
    pm_value *sh = st->shell && st->shell->type == PM_ARR ? st->shell : default_shell(b, pos);
    for (size_t i = 0; sh && i < sh->u.arr.len; i++) pm_b_push(&b->pm, argv, sh->u.arr.items[i]);
  }
  for (size_t i = 0; i < n->nargs; i++) pm_b_push(&b->pm, argv, word_value(b, &n->args[i]));
  pm_b_set(&b->pm, o, "argv", argv);
  return o;
}

static void do_shell(build *b, stage *st, const df_node *n) {
  pm_value *sh = pm_arr(b->pm.a, span_pos(n->span));
  for (size_t i = 0; sh && i < n->nargs; i++) pm_b_push(&b->pm, sh, word_value(b, &n->args[i]));
  if (sh == NULL) b->pm.oom = true;
  st->shell = sh;
  pm_b_set(&b->pm, st->img, "shell", sh);
}

static void do_volume(build *b, stage *st, const df_node *n) {
  for (size_t i = 0; i < n->nargs && !b->pm.oom; i++)
    pm_b_push(&b->pm, st->volumes, expand_word(b, st, &n->args[i]));
}

/* ---- COPY and ADD --------------------------------------------------------- */

static bool has_prefix(const char *s, size_t n, const char *p) {
  size_t pl = strlen(p);
  return n >= pl && strncasecmp(s, p, pl) == 0;
}

static bool is_url(const char *s, size_t n) {
  return has_prefix(s, n, "http://") || has_prefix(s, n, "https://");
}

static bool is_git(const char *s, size_t n) {
  return has_prefix(s, n, "git@") || has_prefix(s, n, "git://") ||
         (is_url(s, n) && n > 4 && (strstr(s, ".git#") || memcmp(s + n - 4, ".git", 4) == 0));
}

static bool is_heredoc_source(const char *s, size_t n) {
  while (n && isdigit((unsigned char)*s)) { s++; n--; }
  return n > 2 && s[0] == '<' && s[1] == '<';
}

/* COPY --from: a stage name or index, or an image reference. */
static void copy_from(build *b, stage *st, const df_node *n, pm_value *c) {
  const char *v;
  size_t vl;
  const df_word *w = df_instr_flag(n, "from", &v, &vl);
  pm_pos pos = span_pos(n->span);
  if (w == NULL) {
    set_field(b, c, PM_SCHEMA_COPY, PM_F_COPY_FROM, pm_null(b->pm.a, pos));
    return;
  }
  pm_pos wp = span_pos(w->span);
  set_field(b, c, PM_SCHEMA_COPY, PM_F_COPY_FROM, pm_strn(b->pm.a, v, vl, wp));
  if (memchr(v, '$', vl)) {
    pm_value *e = expand(b, &st->vars, v, vl, w->span, NULL);
    if (e && (e->u.str.len != vl || memcmp(e->u.str.s, v, vl) != 0))
      build_error(b, "variable expansion is not supported for --from, define a "
                     "new stage with FROM using ARG from global scope as a "
                     "workaround", w->span);
  }
  int idx = stage_by_name(b, v, vl);
  bool numeric = vl > 0 && vl < 10;
  int number = 0;
  for (size_t i = 0; i < vl && numeric; i++) {
    numeric = isdigit((unsigned char)v[i]);
    number = number * 10 + (v[i] - '0');
  }
  if (idx < 0 && numeric) idx = number;
  size_t self = b->nstages - 1;
  if (idx >= 0 && (size_t)idx >= self) {
    char msg[200];
    if ((size_t)idx >= b->nstages)
      snprintf(msg, sizeof msg, "invalid stage index %d", idx);
    else
      snprintf(msg, sizeof msg, "cannot copy from stage \"%.*s\", it needs to "
               "be defined before current stage \"%s\"", (int)(vl > 40 ? 40 : vl),
               v, st->name ? st->name : "");
    build_error(b, msg, w->span);
    idx = -1;
  }
  if (idx >= 0) {
    set_field(b, c, PM_SCHEMA_COPY, PM_F_COPY_FROM_STAGE, pm_int(b->pm.a, idx, wp));
  } else if (!numeric) {
    set_field(b, c, PM_SCHEMA_COPY, PM_F_COPY_FROM_IMAGE, pm_ref_to_model(b->pm.a, v, vl, wp));
  }
}

static void optional_flag(build *b, stage *st, const df_node *n, pm_value *c,
                          const char *flag, size_t field, bool expand_it) {
  const char *v;
  size_t vl;
  const df_word *w = df_instr_flag(n, flag, &v, &vl);
  if (w == NULL) { set_field(b, c, PM_SCHEMA_COPY, field, pm_null(b->pm.a, span_pos(n->span))); return; }
  set_field(b, c, PM_SCHEMA_COPY, field, expand_it ? expand(b, &st->vars, v, vl, w->span, NULL)
                                     : pm_strn(b->pm.a, v, vl, span_pos(w->span)));
}

static void bool_flag(build *b, const df_node *n, pm_value *c, const char *flag,
                      size_t field) {
  const char *v;
  size_t vl;
  const df_word *w = df_instr_flag(n, flag, &v, &vl);
  bool on = w && (vl == 0 || strncasecmp(v, "true", vl) == 0);
  set_field(b, c, PM_SCHEMA_COPY, field, pm_bool(b->pm.a, on, w ? span_pos(w->span) : span_pos(n->span)));
}

static void do_copy(build *b, stage *st, const df_node *n, size_t instr_index) {
  bool add = strcmp(n->keyword, "add") == 0;
  pm_pos pos = span_pos(n->span);
  pm_value *c = pm_obj_typed(b->pm.a, PM_SCHEMA_COPY, pos), *sources = pm_arr(b->pm.a, pos);
  if (c == NULL || sources == NULL || n->nargs < 2) { b->pm.oom = c == NULL || sources == NULL; return; }
  set_field(b, c, PM_SCHEMA_COPY, PM_F_COPY_ADD, pm_bool(b->pm.a, add, pos));
  set_field(b, c, PM_SCHEMA_COPY, PM_F_COPY_INSTRUCTION, pm_int(b->pm.a, (int64_t)instr_index, pos));
  copy_from(b, st, n, c);
  bool url = false, git = false, heredoc = false;
  for (size_t i = 0; i + 1 < n->nargs && !b->pm.oom; i++) {
    const df_word *w = &n->args[i];
    if (!n->json && is_heredoc_source(w->s, w->len)) {
      heredoc = true;
      pm_b_push(&b->pm, sources, word_value(b, w));
      continue;
    }
    pm_value *s = expand_word(b, st, w);
    if (s == NULL) return;
    url = url || is_url(s->u.str.s, s->u.str.len);
    git = git || is_git(s->u.str.s, s->u.str.len);
    pm_b_push(&b->pm, sources, s);
  }
  set_field(b, c, PM_SCHEMA_COPY, PM_F_COPY_SOURCES, sources);
  set_field(b, c, PM_SCHEMA_COPY, PM_F_COPY_DEST, expand_word(b, st, &n->args[n->nargs - 1]));
  optional_flag(b, st, n, c, "chown", PM_F_COPY_CHOWN, true);
  optional_flag(b, st, n, c, "chmod", PM_F_COPY_CHMOD, true);
  if (add) optional_flag(b, st, n, c, "checksum", PM_F_COPY_CHECKSUM, true);
  bool_flag(b, n, c, "link", PM_F_COPY_LINK);
  set_field(b, c, PM_SCHEMA_COPY, PM_F_COPY_URL, pm_bool(b->pm.a, url, pos));
  set_field(b, c, PM_SCHEMA_COPY, PM_F_COPY_GIT, pm_bool(b->pm.a, git, pos));
  set_field(b, c, PM_SCHEMA_COPY, PM_F_COPY_HEREDOC, pm_bool(b->pm.a, heredoc, pos));
  if (!add && (url || git))
    build_error(b, git && !url ? "source can't be a git ref for COPY"
                               : "source can't be a URL for COPY", n->span);
  pm_b_push(&b->pm, st->copies, c);
}

/* ---- RUN ------------------------------------------------------------------ */

/* The --mounts of RUN n into instr.mounts; a secret mount is also a build
** secret of the stage unless n is an ONBUILD trigger (`onbuild`): those
** are a later build's. */
static void do_mounts(build *b, stage *st, const df_node *n, pm_value *instr,
                      size_t instr_index, bool onbuild) {
  pm_value *mounts = pm_arr(b->pm.a, span_pos(n->span));
  pm_b_set(&b->pm, instr, "mounts", mounts);
  const char *v;
  size_t vl;
  const df_word *w;
  for (size_t i = 0; (w = df_instr_flag_at(n, "mount", i, &v, &vl)) && !b->pm.oom; i++) {
    df_instr_mount m;
    const char *bad = df_instr_parse_mount(b->pm.a, v, vl, &m);
    if (bad && *bad == '\0') { b->pm.oom = true; return; }
    if (bad) continue; /* reported */
    pm_pos p = span_pos(w->span);
    pm_value *o = pm_obj_typed(b->pm.a, PM_SCHEMA_RUN_MOUNT, p);
    if (o == NULL) { b->pm.oom = true; return; }
    const char *keys[] = {"type", "source", "target", "from", "id", "env",
                          "mode", "uid", "gid", "sharing", "size"};
    const char *vals[] = {m.type, m.source, m.target, m.from, m.id, m.env,
                          m.mode, m.uid, m.gid, m.sharing, m.size};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
      pm_b_set(&b->pm, o, keys[k], vals[k] ? pm_str(b->pm.a, vals[k], p) : pm_null(b->pm.a, p));
    bool secretish = !strcmp(m.type, "secret") || !strcmp(m.type, "ssh");
    bool ro_default = strcmp(m.type, "cache") != 0 && strcmp(m.type, "tmpfs") != 0;
    pm_b_set(&b->pm, o, "readonly", pm_bool(b->pm.a, m.readonly >= 0 ? m.readonly : ro_default, p));
    pm_b_set(&b->pm, o, "required", secretish ? pm_bool(b->pm.a, m.required == 1, p) : pm_null(b->pm.a, p));
    pm_b_push(&b->pm, mounts, o);
    if (onbuild || strcmp(m.type, "secret") != 0) continue;
    const char *id = m.id ? m.id : m.source;
    if (id == NULL && m.target) {
      const char *slash = strrchr(m.target, '/');
      id = slash ? slash + 1 : m.target;
    }
    pm_value *sec = pm_obj_typed(b->pm.a, PM_SCHEMA_BUILD_SECRET, p);
    if (sec == NULL) { b->pm.oom = true; return; }
    pm_b_set(&b->pm, sec, "id", id ? pm_str(b->pm.a, id, p) : pm_null(b->pm.a, p));
    pm_b_set(&b->pm, sec, "target", m.target ? pm_str(b->pm.a, m.target, p) : pm_null(b->pm.a, p));
    pm_b_set(&b->pm, sec, "env", m.env ? pm_str(b->pm.a, m.env, p) : pm_null(b->pm.a, p));
    pm_b_set(&b->pm, sec, "required", pm_bool(b->pm.a, m.required == 1, p));
    pm_b_set(&b->pm, sec, "instruction", pm_int(b->pm.a, (int64_t)instr_index, p));
    pm_b_push(&b->pm, st->secrets, sec);
  }
}

/* Maps byte offsets of a text to positions. Over a node, any offset
** (df_locate). Over a plain text (a heredoc body) the walk only goes
** forward: an offset before the last one asked for gets the last
** position, which is where a nested command ($(...), sh -c) comes after
** the command that holds it. */
typedef struct cursor {
  const df_node *node;     /* when set: offsets in node->original + delta */
  size_t delta;
  size_t hint;             /* df_locate_run's, for node */
  df_run run;              /* the last stretch it reported, for node */
  const char *text;        /* else: walk text from `at` */
  size_t off;
  df_pos at;
} cursor;

/* cursor_pos past its last stretch: asks the node, or walks the text. */
static df_pos cursor_seek(cursor *c, size_t off) {
  if (c->node) return df_locate_run(c->node, c->delta + off, &c->hint, &c->run);
  if (off < c->off) return c->at;
  while (c->off < off) {
    unsigned char ch = (unsigned char)c->text[c->off];
    size_t k = 1;
    if (ch >= 0x80) {
      uint32_t cp;
      k = pol_utf8_decode(c->text + c->off, off - c->off, &cp);
    }
    if (ch == '\n') { c->at.line++; c->at.col = 1; }
    else c->at.col++;
    c->off += k ? k : 1;
  }
  return c->at;
}

static inline df_pos cursor_pos(cursor *c, size_t off) {
  size_t o = c->delta + off;
  if (c->node && o - c->run.from < c->run.to - c->run.from) { /* from <= o < to */
    df_pos p = c->run.at;
    p.col += (uint32_t)(o - c->run.from);
    return p;
  }
  return cursor_seek(c, off);
}

static df_span cursor_span(cursor *c, size_t off, size_t end) {
  df_span s;
  s.start = cursor_pos(c, off);
  s.end = cursor_pos(c, end);
  return s;
}

static const char *basename_of(const char *s) {
  const char *slash = strrchr(s, '/');
  return slash ? slash + 1 : s;
}

static bool is_posix_shell(const char *argv0) {
  static const char *shells[] = {"sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"};
  const char *base = basename_of(argv0);
  for (size_t i = 0; i < sizeof shells / sizeof shells[0]; i++)
    if (strcmp(base, shells[i]) == 0) return true;
  return false;
}

/* Splits `text` and appends its commands; offsets map through `cur`.
** `source` is a static string ("run", "heredoc", "onbuild"). */
static void add_commands(build *b, stage *st, const char *text, size_t len,
                         cursor *cur, size_t instr_index, const char *source,
                         uint32_t *pipeline_base) {
  df_sh_limits lim = {64, 100000};
  df_sh_command *cmds;
  size_t count;
  int rc = df_shsplit(b->pm.a, text, len, &lim, &cmds, &count);
  if (rc == SH_ERR_NOMEM) { b->pm.oom = true; return; }
  if (rc == SH_ERR_LIMIT) {
    build_warning(b, "RUN script nests more than 64 levels or has more than "
                     "100000 commands (fixed limits); its commands are not in the model",
                  cursor_span(cur, 0, 0));
    return;
  }
  uint32_t max_pipeline = 0;
  for (size_t i = 0; i < count && !b->pm.oom; i++) {
    const df_sh_command *c = &cmds[i];
    df_span sp = cursor_span(cur, c->off, c->end);
    pm_pos p = span_pos(sp);
    pm_value *o = pm_obj_typed(b->pm.a, PM_SCHEMA_COMMAND, p), *argv = pm_arr(b->pm.a, p), *env = pm_map(b->pm.a, p);
    if (o == NULL || argv == NULL || env == NULL) { b->pm.oom = true; return; }
    for (size_t k = 0; k < c->argc; k++) {
      df_span ws = c->depth ? sp : cursor_span(cur, c->argv[k].off, c->argv[k].end);
      /* the split's words live in the document's arena: shared, not copied */
      pm_value *wv = pm_str_shared(b->pm.a, c->argv[k].s, c->argv[k].len, span_pos(ws));
      if (wv == NULL) b->pm.oom = true;
      pm_b_push(&b->pm, argv, wv);
    }
    for (size_t k = 0; k < c->nassigns; k++) {
      const df_sh_word *w = &c->assigns[k];
      const char *eq = memchr(w->s, '=', w->len);
      size_t nl = eq ? (size_t)(eq - w->s) : w->len;
      df_span ws = c->depth ? sp : cursor_span(cur, w->off, w->end);
      if (!pm_setn(b->pm.a, env, w->s, nl,
                   str(b, eq ? eq + 1 : "", eq ? w->len - nl - 1 : 0, ws)))
        b->pm.oom = true;
    }
    set_field(b, o, PM_SCHEMA_COMMAND, PM_F_COMMAND_ARGV, argv);
    set_field(b, o, PM_SCHEMA_COMMAND, PM_F_COMMAND_ENV, env);
    if (!df_cmdfacts(b->pm.a, o, argv)) b->pm.oom = true;
    set_field(b, o, PM_SCHEMA_COMMAND, PM_F_COMMAND_INSTRUCTION, pm_int(b->pm.a, (int64_t)instr_index, p));
    set_field(b, o, PM_SCHEMA_COMMAND, PM_F_COMMAND_LINE, pm_int(b->pm.a, sp.start.line, p));
    set_field(b, o, PM_SCHEMA_COMMAND, PM_F_COMMAND_PIPELINE, pm_int(b->pm.a, *pipeline_base + c->pipeline, p));
    set_field(b, o, PM_SCHEMA_COMMAND, PM_F_COMMAND_PIPE_INDEX, pm_int(b->pm.a, c->pipe_index, p));
    /* op_before and source are static strings: shared, not copied */
    set_field(b, o, PM_SCHEMA_COMMAND, PM_F_COMMAND_OP, c->op_before ? pm_str_shared(b->pm.a, c->op_before, strlen(c->op_before), p) : pm_null(b->pm.a, p));
    set_field(b, o, PM_SCHEMA_COMMAND, PM_F_COMMAND_DEPTH, pm_int(b->pm.a, c->depth, p));
    set_field(b, o, PM_SCHEMA_COMMAND, PM_F_COMMAND_SOURCE, pm_str_shared(b->pm.a, source, strlen(source), p));
    pm_b_push(&b->pm, st->commands, o);
    if (c->pipeline > max_pipeline) max_pipeline = c->pipeline;
  }
  *pipeline_base += max_pipeline + 1;
}

/* A heredoc is a script when the RUN line is nothing but the heredoc, or
** feeds it to a shell; a #! line naming another interpreter says no. */
static bool heredoc_is_script(const df_node *n, const df_heredoc *h,
                              const pm_value *commands, size_t first_cmd) {
  if (h->content_len >= 2 && h->content[0] == '#' && h->content[1] == '!') {
    const char *e = memchr(h->content, '\n', h->content_len);
    size_t l = e ? (size_t)(e - h->content) : h->content_len;
    char line[128];
    if (l >= sizeof line) return false;
    memcpy(line, h->content + 2, l - 2);
    line[l - 2] = '\0';
    char *tok = strtok(line, " \t\r");
    if (tok && strcmp(basename_of(tok), "env") == 0) tok = strtok(NULL, " \t\r");
    return tok && is_posix_shell(tok);
  }
  if (commands->u.arr.len == first_cmd) return true; /* RUN <<EOF alone */
  const pm_value *argv = pm_get(commands->u.arr.items[first_cmd], "argv");
  if (argv == NULL || argv->u.arr.len == 0) return true;
  const pm_value *a0 = argv->u.arr.items[0];
  if (!is_posix_shell(a0->u.str.s)) return false;
  for (size_t i = 1; i < argv->u.arr.len; i++)
    if (strcmp(argv->u.arr.items[i]->u.str.s, "-c") == 0) return false;
  (void)n;
  return true;
}

/* The commands of a RUN (n), or of an ONBUILD's RUN trigger: `onbuild`
** marks them as a later build's (their source is "onbuild"). */
static void run_commands(build *b, stage *st, const df_node *n, size_t instr_index,
                         uint32_t *pipeline_base, bool onbuild) {
  if (n->nargs == 0 || b->pm.oom) return;
  if (n->json) {
    pm_pos p = span_pos(n->span);
    pm_value *o = pm_obj_typed(b->pm.a, PM_SCHEMA_COMMAND, p), *argv = pm_arr(b->pm.a, p);
    if (o == NULL || argv == NULL) { b->pm.oom = true; return; }
    for (size_t i = 0; i < n->nargs; i++) pm_b_push(&b->pm, argv, word_value(b, &n->args[i]));
    set_field(b, o, PM_SCHEMA_COMMAND, PM_F_COMMAND_ARGV, argv);
    set_field(b, o, PM_SCHEMA_COMMAND, PM_F_COMMAND_ENV, pm_map(b->pm.a, p));
    set_field(b, o, PM_SCHEMA_COMMAND, PM_F_COMMAND_INSTRUCTION, pm_int(b->pm.a, (int64_t)instr_index, p));
    set_field(b, o, PM_SCHEMA_COMMAND, PM_F_COMMAND_LINE, pm_int(b->pm.a, n->span.start.line, p));
    set_field(b, o, PM_SCHEMA_COMMAND, PM_F_COMMAND_PIPELINE, pm_int(b->pm.a, (*pipeline_base)++, p));
    set_field(b, o, PM_SCHEMA_COMMAND, PM_F_COMMAND_PIPE_INDEX, pm_int(b->pm.a, 0, p));
    set_field(b, o, PM_SCHEMA_COMMAND, PM_F_COMMAND_OP, pm_null(b->pm.a, p));
    set_field(b, o, PM_SCHEMA_COMMAND, PM_F_COMMAND_DEPTH, pm_int(b->pm.a, 0, p));
    set_field(b, o, PM_SCHEMA_COMMAND, PM_F_COMMAND_SOURCE, pm_str(b->pm.a, onbuild ? "onbuild" : "exec", p));
    pm_b_push(&b->pm, st->commands, o);
    return;
  }
  const pm_value *sh = st->shell;
  if (sh && sh->type == PM_ARR && sh->u.arr.len > 0 &&
      !is_posix_shell(sh->u.arr.items[0]->u.str.s))
    return; /* SHELL ["powershell", ...]: not ours to split */
  const df_word *text = &n->args[0];
  size_t first_cmd = st->commands->u.arr.len;
  cursor cur = {0};
  if (text->off != (size_t)-1) { cur.node = n; cur.delta = text->off; }
  else { cur.text = text->s; cur.at = text->span.start; }
  add_commands(b, st, text->s, text->len, &cur, instr_index, onbuild ? "onbuild" : "run",
               pipeline_base);
  for (size_t i = 0; i < n->nheredocs && !b->pm.oom; i++) {
    const df_heredoc *h = &n->heredocs[i];
    if (!heredoc_is_script(n, h, st->commands, first_cmd)) continue;
    cursor hc = {0};
    hc.text = h->content;
    hc.at = h->span.start;
    add_commands(b, st, h->content, h->content_len, &hc, instr_index,
                 onbuild ? "onbuild" : "heredoc", pipeline_base);
  }
}

/* RUN n, or (onbuild) the RUN an ONBUILD triggers, whose model is instr. */
static void do_run(build *b, stage *st, const df_node *n, pm_value *instr,
                   size_t instr_index, uint32_t *pipeline_base, bool onbuild) {
  do_mounts(b, st, n, instr, instr_index, onbuild);
  const char *v;
  size_t vl;
  const df_word *w = df_instr_flag(n, "network", &v, &vl);
  set_field(b, instr, PM_SCHEMA_INSTRUCTION, PM_F_INSTRUCTION_NETWORK, w ? pm_strn(b->pm.a, v, vl, span_pos(w->span)) : pm_null(b->pm.a, span_pos(n->span)));
  w = df_instr_flag(n, "security", &v, &vl);
  set_field(b, instr, PM_SCHEMA_INSTRUCTION, PM_F_INSTRUCTION_SECURITY, w ? pm_strn(b->pm.a, v, vl, span_pos(w->span)) : pm_null(b->pm.a, span_pos(n->span)));
  run_commands(b, st, n, instr_index, pipeline_base, onbuild);
}

/* ---- the walk --------------------------------------------------------------- */

static void dispatch(build *b, stage *st, const df_node *n, pm_value *instr,
                     size_t index, uint32_t *pipeline_base) {
  const char *kw = n->keyword;
  /* the most frequent keywords first: a RUN costs one strcmp */
  if (!strcmp(kw, "run")) do_run(b, st, n, instr, index, pipeline_base, false);
  else if (!strcmp(kw, "copy") || !strcmp(kw, "add")) do_copy(b, st, n, index);
  else if (!strcmp(kw, "env")) do_keyvalues(b, st, n, true);
  else if (!strcmp(kw, "label")) do_keyvalues(b, st, n, false);
  else if (!strcmp(kw, "arg")) do_arg(b, st, n);
  else if (!strcmp(kw, "user")) do_user(b, st, n, instr);
  else if (!strcmp(kw, "workdir")) do_workdir(b, st, n, instr);
  else if (!strcmp(kw, "expose")) do_expose(b, st, n);
  else if (!strcmp(kw, "healthcheck")) do_healthcheck(b, st, n);
  else if (!strcmp(kw, "shell")) do_shell(b, st, n);
  else if (!strcmp(kw, "volume")) do_volume(b, st, n);
  else if (!strcmp(kw, "cmd")) set_field(b, st->img, PM_SCHEMA_IMAGE, PM_F_IMAGE_CMD, st->cmd = exec_model(b, st, n));
  else if (!strcmp(kw, "entrypoint"))
    set_field(b, st->img, PM_SCHEMA_IMAGE, PM_F_IMAGE_ENTRYPOINT, st->entrypoint = exec_model(b, st, n));
  else if (!strcmp(kw, "stopsignal"))
    set_field(b, st->img, PM_SCHEMA_IMAGE, PM_F_IMAGE_STOPSIGNAL, expand_word(b, st, &n->args[0]));
  else if (!strcmp(kw, "maintainer"))
    set_field(b, st->img, PM_SCHEMA_IMAGE, PM_F_IMAGE_MAINTAINER, word_value(b, &n->args[0]));
  else if (!strcmp(kw, "onbuild")) {
    pm_b_push(&b->pm, st->onbuild, str(b, n->inner->original, n->inner->original_len, n->inner->span));
    if (!strcmp(n->inner->keyword, "run"))
      do_run(b, st, n->inner, pm_get(instr, "trigger"), index, pipeline_base, true);
  }
}

/* Suppression comments just above an instruction cover all its lines;
** hadolint's are pragmas, placed by df_pragmas. */
static void suppressions(build *b, const df_node *n) {
  for (size_t i = 0; i < n->ncomments && !b->pm.oom; i++)
    if (!pm_hadolint_comment(n->comments[i], strlen(n->comments[i])))
      pm_suppression(b->pm.a, b->doc, n->comments[i], strlen(n->comments[i]),
                   span_pos(n->span), n->span.start.line, n->span.end.line,
                   &b->pm.oom);
}

static void seed_buildargs(build *b) {
  const df_build_opts *o = b->opts;
  for (size_t i = 0; o && i < o->nbuild_args && !b->pm.oom; i++) {
    const char *s = o->build_args[i];
    const char *eq = strchr(s, '=');
    size_t nl = eq ? (size_t)(eq - s) : strlen(s);
    const char *val = eq ? eq + 1 : "";
    if (!scope_set(b->pm.a, &b->buildargs, s, nl, val, strlen(val), false))
      b->pm.oom = true;
    for (size_t k = 0; k < sizeof automatic_args / sizeof automatic_args[0]; k++)
      if (strlen(automatic_args[k]) == nl && !memcmp(automatic_args[k], s, nl) &&
          !scope_set(b->pm.a, &b->globals, s, nl, val, strlen(val), false))
        b->pm.oom = true;
  }
}

static void report_parse(build *b) {
  const df_file *f = b->file;
  for (size_t i = 0; i < f->nwarnings; i++)
    build_warning(b, f->warnings[i].message, f->warnings[i].span);
  if (f->error) build_error(b, f->error, f->error_span);
  pm_value *dirs = pm_map(b->pm.a, pm_nopos);
  for (size_t i = 0; dirs && i < f->ndirectives; i++) {
    const df_directive *d = &f->directives[i];
    if (!pm_set(b->pm.a, dirs, d->name, pm_str(b->pm.a, d->value, span_pos(d->span))))
      b->pm.oom = true;
  }
  pm_b_set(&b->pm, b->doc, "directives", dirs);
  char esc[2] = {f->escape, '\0'};
  pm_b_set(&b->pm, b->doc, "escape", pm_str(b->pm.a, esc, pm_nopos));
  pm_b_set(&b->pm, b->doc, "args", b->global_args = pm_arr(b->pm.a, pm_nopos));
}

/* no_stage_reported: "no build stage in current context" was reported,
** where BuildKit stops; it never gets to say there are no stages. */
static void mark_final(build *b, bool no_stage_reported) {
  if (b->nstages == (b->implicit ? 1u : 0u)) {
    if (!b->file->error && b->file->nnodes && !no_stage_reported)
      build_error(b, "dockerfile contains no stages to build", b->file->nodes[0].span);
    return;
  }
  size_t final = b->nstages - 1;
  const char *target = b->opts ? b->opts->target : NULL;
  if (target) {
    int t = stage_by_name(b, target, strlen(target));
    if (t < 0) {
      char msg[160];
      snprintf(msg, sizeof msg, "target stage \"%.100s\" could not be found", target);
      build_error(b, msg, b->file->nodes[0].span);
    } else {
      final = (size_t)t;
    }
  }
  pm_value *img = b->stages[final].img;
  pm_b_set(&b->pm, img, "final", pm_bool(b->pm.a, true, img->pos));
  /* What ships: the final stage and its FROM <stage> chain (parents are
  ** always earlier stages, so the walk ends). */
  for (size_t k = final;;) {
    pm_value *s = b->stages[k].img;
    pm_b_set(&b->pm, s, "ships", pm_bool(b->pm.a, true, s->pos));
    const pm_value *parent = pm_get(s, "parent");
    if (parent == NULL || parent->type != PM_INT) break;
    assert(parent->u.i >= 0 && (size_t)parent->u.i < k);
    k = (size_t)parent->u.i;
  }
}

/* Whether an instruction other than ARG comes before the first FROM that
** starts a stage (a FROM without arguments starts none). */
static bool needs_implicit_stage(const df_file *f) {
  for (size_t i = 0; i < f->nnodes; i++) {
    const df_node *n = &f->nodes[i];
    if (!strcmp(n->keyword, "from") && n->nargs > 0) return false;
    if (strcmp(n->keyword, "arg") != 0 && strcmp(n->keyword, "from") != 0) return true;
  }
  return false;
}

int df_build(pol_arena *a, const char *path, const char *data, size_t len,
             const df_build_opts *opts, pm_value **out) {
  build b = {0};
  b.pm.a = a;
  b.match_steps = SHLEX_DOC_MATCH_STEPS;
  b.opts = opts;
  *out = NULL;
  b.doc = pm_doc_new(a, "dockerfile", path);
  if (b.doc == NULL) return DFB_ERR_NOMEM;
  df_file file;
  df_limits lim = {opts && opts->max_line_len ? opts->max_line_len : 65535, 0};
  if (df_parse(a, data, len, &lim, &file) == DF_ERR_NOMEM) return DFB_ERR_NOMEM;
  b.file = &file;
  seed_buildargs(&b);
  report_parse(&b);
  pm_value *images = pm_get(b.doc, "images");
  uint32_t pipeline_base = 0;
  bool implicit = needs_implicit_stage(&file), seen_from = false, no_stage = false;
  for (size_t i = 0; i < file.nnodes && !b.pm.oom; i++) {
    const df_node *n = &file.nodes[i];
    suppressions(&b, n);
    df_span where;
    const char *err = df_instr_check(a, n, &where);
    if (err && *err == '\0') { b.pm.oom = true; break; }
    if (err) build_error(&b, err, where);
    bool is_from = strcmp(n->keyword, "from") == 0;
    if (!seen_from && !is_from) {
      if (!strcmp(n->keyword, "arg")) {
        if (!err) do_global_arg(&b, n);
      } else if (!err && !no_stage) {
        build_error(&b, "no build stage in current context", n->span);
        no_stage = true;
      }
      if (!implicit) continue;
      if (b.nstages == 0) {
        stage *st = stage_implicit(&b, n);
        if (st == NULL) break;
        pm_b_push(&b.pm, images, st->img);
      }
    }
    if (is_from) {
      if (n->nargs == 0) continue; /* reported; nothing to build on */
      stage *st = stage_new(&b, n);
      if (st == NULL) break;
      pm_b_push(&b.pm, images, st->img);
      pipeline_base = 0;
      seen_from = true;
    }
    stage *st = &b.stages[b.nstages - 1];
    pm_value *instr = instruction_model(&b, n);
    size_t index = st->instructions->u.arr.len;
    pm_b_push(&b.pm, st->instructions, instr);
    if (!err && !is_from) dispatch(&b, st, n, instr, index, &pipeline_base);
  }
  if (!b.pm.oom) mark_final(&b, no_stage);
  if (!b.pm.oom && !df_pragmas(a, b.doc, &file, data, len, opts && opts->hadolint_ignores_off))
    b.pm.oom = true;
  pol_buf_free(&b.tmp);
  pol_buf_free(&b.err);
  if (b.pm.oom) return DFB_ERR_NOMEM;
  *out = b.doc;
  return DFB_OK;
}
