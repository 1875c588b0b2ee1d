/*
** pack.c: loading policies from a path, packs above all (see pack.h and
** policy_engine_load_pack_path in policy.h), reading loaded packs back,
** and building a pack's archive.
**
** One way for every source: a pack folder and a pack archive both become
** an api_pack_files list first; load_pack reads that list in one order:
** the manifest, the data documents, the lib/ modules (opened into the
** sandbox, in a worker process first when rules are isolated), then the
** rules, each with the pack's `require`. What can refuse the whole pack
** is checked before any of its rules is loaded, so a refused pack leaves
** no rule behind; once its rules load, the pack (and its modules, which
** they borrow) stays with the engine.
*/
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/alloc.h"
#include "../engine/coverage.h"
#include "../engine/worker.h"
#include "pack.h"

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool is_archive(const char *path) {
  return ends_with(path, ".tar.gz") || ends_with(path, ".tgz");
}

/* How messages name a file of a pack: "dir/rules/a.lua", or
** "pack.tar.gz:rules/a.lua" inside an archive. */
static void label(char *out, size_t size, const char *origin, bool archive, const char *path) {
  snprintf(out, size, "%s%s%s", origin, archive ? ":" : "/", path);
}

/* A file directly inside `folder` (no deeper) whose name ends in one of
** the suffixes; returns its name part, or NULL. */
static const char *in_folder(const char *path, const char *folder, const char *const *suffixes) {
  size_t n = strlen(folder);
  if (strncmp(path, folder, n) != 0 || path[n] != '/' || strchr(path + n + 1, '/')) return NULL;
  for (size_t i = 0; suffixes[i]; i++)
    if (ends_with(path + n + 1, suffixes[i])) return path + n + 1;
  return NULL;
}

static const char *const lua_suffix[] = {".lua", NULL};
static const char *const data_suffixes[] = {".yaml", ".yml", ".json", NULL};

/* ---- refused rule files ---------------------------------------------- */

/* The verdicts of several rule files: as policy_engine_load_rules, one
** that is refused (invalid, over a limit, an id used twice) does not
** keep the others out, and every refusal is a line of the message. */
typedef struct refusals {
  int first;          /* the status of the first refusal, or POLICY_OK */
  pol_buf lines;
} refusals;

/* Files a status: returns the status that must stop the loading (a host
** failure), or POLICY_OK. */
static int note(refusals *r, policy_engine *e, int rc) {
  if (rc != POLICY_ERR_PARSE && rc != POLICY_ERR_LIMIT) return rc;
  if (r->first == POLICY_OK) r->first = rc;
  if (r->lines.len) pol_buf_putc(&r->lines, '\n');
  pol_buf_puts(&r->lines, policy_engine_errmsg(e));
  return POLICY_OK;
}

static int verdict(refusals *r, policy_engine *e, int rc) {
  if (rc == POLICY_OK && r->first != POLICY_OK) {
    rc = r->first;
    pol_buf_clear(&e->errmsg);
    if (r->lines.oom) pol_buf_puts(&e->errmsg, "rule files were refused (out of memory for the messages)");
    else pol_buf_append(&e->errmsg, r->lines.data, r->lines.len);
  } else if (rc == POLICY_OK) {
    api_ok(e);
  }
  pol_buf_free(&r->lines);
  return rc;
}

/* ---- plain folders ---------------------------------------------------- */

/* A folder without pack.yaml: its *.lua files, as ever, and its data/
** documents, as a pack's. */
static int load_plain_folder(policy_engine *e, const char *dir) {
  char data_dir[4096];
  snprintf(data_dir, sizeof data_dir, "%s/data", dir);
  int rc = POLICY_OK;
  DIR *d = opendir(data_dir);
  char **names = NULL;
  size_t n = 0;
  struct dirent *de;
  while (d && rc == POLICY_OK && (de = readdir(d))) {
    bool wanted = de->d_name[0] != '.' && (ends_with(de->d_name, ".yaml") ||
                                           ends_with(de->d_name, ".yml") ||
                                           ends_with(de->d_name, ".json"));
    if (!wanted) continue;
    char **grown = pol_realloc(names, (n + 1) * sizeof *grown);
    char *copy = grown ? pol_strndup(de->d_name, strlen(de->d_name)) : NULL;
    if (grown) names = grown;
    if (copy == NULL) rc = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
    else names[n++] = copy;
  }
  if (d) closedir(d);
  for (size_t i = 0; i + 1 < n; i++) /* sorted, so the merge order is the names' */
    for (size_t j = i + 1; j < n; j++)
      if (strcmp(names[i], names[j]) > 0) {
        char *t = names[i];
        names[i] = names[j];
        names[j] = t;
      }
  for (size_t i = 0; rc == POLICY_OK && i < n; i++) {
    char path[4400], *text;
    size_t len;
    snprintf(path, sizeof path, "%s/%s", data_dir, names[i]);
    rc = api_read_named(e, path, e->max_input, "(raise it with --max-input-bytes)", &text, &len);
    if (rc == POLICY_OK) {
      rc = api_load_data_buffer(e, path, text, len, true);
      pol_free(text);
    }
  }
  for (size_t i = 0; i < n; i++) pol_free(names[i]);
  pol_free(names);
  return rc == POLICY_OK ? policy_engine_load_rules(e, dir) : rc;
}

/* ---- packs ------------------------------------------------------------ */

static void pack_release(api_pack *p) {
  pol_free(p->name);
  pol_free(p->version);
  pol_free(p->description);
  pol_free(p->origin);
  pol_free(p->profile);
  pol_free(p->sha256);
  eng_mod_set_free(p->modules);
}

void api_packs_free(policy_engine *e) {
  for (size_t i = 0; i < e->npacks; i++) pack_release(&e->packs[i]);
  pol_free(e->packs);
  e->packs = NULL;
  e->npacks = 0;
  eng_cov_free(e->coverage);
  e->coverage = NULL;
  pol_buf_free(&e->covbuf);
  pol_free(e->subjects);
  e->subjects = NULL;
  e->nsubjects = 0;
}

static char *dup_or_null(const char *s) { return s ? pol_strndup(s, strlen(s)) : NULL; }

/* The pack's modules from lib/NAME.lua. */
static int read_modules(policy_engine *e, const char *origin, bool archive,
                        const api_pack_files *files, eng_mod_set *set) {
  for (size_t i = 0; i < files->n; i++) {
    const api_pack_file *f = &files->items[i];
    const char *base = in_folder(f->path, "lib", lua_suffix);
    if (base == NULL) continue;
    char name[ENG_MOD_MAX_NAME + 8], where[4400];
    size_t n = strlen(base) - 4;
    snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name - 1 ? n : sizeof name - 1), base);
    if (n >= sizeof name) name[0] = '\0'; /* too long: refused by its name */
    label(where, sizeof where, origin, archive, f->path);
    pol_buf err = POL_BUF_INIT;
    int rc = eng_mod_set_add(set, name[0] ? name : base, where, f->data, f->len, f->code,
                             f->code_len, &err);
    if (rc == -1) rc = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
    else if (rc == -2) rc = api_fail(e, POLICY_ERR_PARSE, "%s", err.data ? err.data : where);
    pol_buf_free(&err);
    if (rc != POLICY_OK) return rc;
  }
  return POLICY_OK;
}

/* Loads the modules into the engine's sandbox: in a worker process first
** when rules are isolated and the pack is not one built into the library,
** so one that hangs the compiler is refused before the engine's own
** process runs it. */
static int open_modules(policy_engine *e, const char *origin, bool archive, eng_mod_set *set,
                        bool trusted) {
  if (set->n == 0) return POLICY_OK;
  int st;
  eng_sandbox *sb = api_sandbox(e, &st);
  if (sb == NULL) return st;
  char where[4400];
  label(where, sizeof where, origin, archive, "lib");
  pol_buf err = POL_BUF_INIT;
  int rc = POLICY_OK;
  if (!trusted && e->isolation != POLICY_ISOLATE_NONE &&
      !eng_worker_try_load(sb, where, "", 0, set, e->time_ms, &err)) {
    rc = api_fail(e, POLICY_ERR_LIMIT, "%s (the pack's modules)", err.data && !err.oom ? err.data : where);
  } else if ((st = eng_mod_open(sb, set, &err)) != ENG_SB_OK) {
    const char *text = err.data && !err.oom ? err.data : "out of memory";
    if (st == ENG_SB_ERR_NOMEM) rc = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
    else if (st == ENG_SB_ERR_RUNTIME || st == ENG_SB_ERR_SYNTAX) rc = api_fail(e, POLICY_ERR_PARSE, "%s", text);
    else rc = api_fail(e, POLICY_ERR_LIMIT, "%s: loading the pack's modules went over a limit: %s "
                       "(POLICY_LIMIT_INSTRUCTIONS, POLICY_LIMIT_LUA_MEMORY_BYTES or "
                       "POLICY_LIMIT_TIME_MS)", where, text);
    if (eng_sb_needs_recycle(sb)) api_drop_sandbox(e);
  }
  pol_buf_free(&err);
  return rc;
}

/* The manifest's severities replace the pack's rules' own; one naming no
** rule of the pack is a note, like an ignore naming no rule. */
static void apply_severities(policy_engine *e, const api_pack *p, const api_manifest *m) {
  for (size_t k = 0; k < m->nseverities; k++) {
    bool found = false;
    for (size_t i = p->first_rule; i < p->first_rule + p->nrules; i++) {
      if (strcmp(e->rules[i]->id, m->severity_ids[k]) != 0) continue;
      found = true;
      if (api_severity_override(e, e->rules[i], NULL)) continue; /* the configuration's wins */
      e->rules[i]->severity = m->severities[k];
      e->metas[i]->severity = m->severities[k];
    }
    if (!found)
      pol_buf_printf(&e->warnings, "%s: severity names '%s', which is not a rule of the pack %s\n",
                     m->severity_places[k], m->severity_ids[k], p->name);
  }
}

int api_pack_load(policy_engine *e, const char *origin, const char *digest,
                  const api_pack_files *files, bool trusted) {
  for (size_t i = 0; i < files->n; i++) /* binary forms: the library's own packs only */
    assert(files->items[i].code == NULL || trusted);
  bool archive = digest != NULL;
  char where[4400];
  label(where, sizeof where, origin, archive, "pack.yaml");
  const api_pack_file *mf = api_pack_files_get(files, "pack.yaml");
  if (mf == NULL)
    return api_fail(e, POLICY_ERR_PARSE, "%s: no pack.yaml at the top of the archive (nor in its "
                    "one top folder)", origin);
  api_manifest m;
  int rc = api_manifest_read(e, where, mf->data, mf->len, &m);
  if (rc != POLICY_OK) return rc;
  for (size_t i = 0; i < e->npacks && rc == POLICY_OK; i++)
    if (strcmp(e->packs[i].name, m.name) == 0)
      rc = api_fail(e, POLICY_ERR_PARSE, "%s: a pack named %s is loaded already (from %s)", where,
                    m.name, e->packs[i].origin);
  for (size_t i = 0; i < files->n && rc == POLICY_OK; i++) {
    const api_pack_file *f = &files->items[i];
    if (!in_folder(f->path, "data", data_suffixes)) continue;
    label(where, sizeof where, origin, archive, f->path);
    rc = api_load_data_buffer(e, where, f->data, f->len, true);
  }
  eng_mod_set *set = rc == POLICY_OK ? eng_mod_set_new() : NULL;
  if (rc == POLICY_OK && set == NULL) rc = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  if (rc == POLICY_OK) rc = read_modules(e, origin, archive, files, set);
  if (rc == POLICY_OK) rc = open_modules(e, origin, archive, set, trusted);
  char *origin_copy = rc == POLICY_OK ? dup_or_null(origin) : NULL;
  char *sha_copy = rc == POLICY_OK ? dup_or_null(digest) : NULL;
  api_pack *grown = origin_copy && (sha_copy || !digest)
                        ? pol_realloc(e->packs, (e->npacks + 1) * sizeof *grown) : NULL;
  if (rc == POLICY_OK && grown == NULL) rc = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  if (rc != POLICY_OK) {
    pol_free(origin_copy);
    pol_free(sha_copy);
    eng_mod_set_free(set);
    api_manifest_free(&m);
    return rc;
  }
  e->packs = grown;
  api_pack *p = &e->packs[e->npacks++];
  *p = (api_pack){m.name, m.version, m.description, origin_copy, m.profile, sha_copy, set,
                  e->nrules, 0};
  m.name = m.version = m.description = m.profile = NULL; /* the pack's now */
  refusals r = {POLICY_OK, POL_BUF_INIT};
  for (size_t i = 0; i < files->n && rc == POLICY_OK; i++) {
    const api_pack_file *f = &files->items[i];
    if (!in_folder(f->path, "rules", lua_suffix)) continue;
    label(where, sizeof where, origin, archive, f->path);
    eng_sb_code code = {f->data, f->len, f->code, f->code_len, f->code_writes};
    rc = note(&r, e, api_load_rule_code(e, where, &code, trusted, set));
  }
  p->nrules = e->nrules - p->first_rule;
  if (rc == POLICY_OK) apply_severities(e, p, &m);
  api_manifest_free(&m);
  return verdict(&r, e, rc);
}

int policy_engine_load_pack_path(policy_engine *e, const char *path, const char *sha256) {
  if (e == NULL || path == NULL)
    return api_fail(e, POLICY_ERR_INVALID, "policy_engine_load_pack_path: no path");
  struct stat st;
  if (stat(path, &st) != 0) return api_fail(e, POLICY_ERR_IO, "%s: %s", path, strerror(errno));
  bool archive = S_ISREG(st.st_mode) && is_archive(path);
  if (sha256 && !archive)
    return api_fail(e, POLICY_ERR_INVALID, "%s: a SHA-256 is checked for a pack archive "
                    "(.tar.gz) only", path);
  if (!S_ISDIR(st.st_mode) && !archive) return policy_engine_load_rules(e, path);
  api_pack_files files;
  char digest[65] = "";
  int rc;
  if (archive) {
    rc = api_pack_read_archive(e, path, sha256, &files, digest);
  } else {
    char manifest[4096];
    snprintf(manifest, sizeof manifest, "%s/pack.yaml", path);
    if (stat(manifest, &st) != 0) return load_plain_folder(e, path);
    rc = api_pack_read_dir(e, path, false, &files);
  }
  if (rc != POLICY_OK) return rc;
  rc = api_pack_load(e, path, archive ? digest : NULL, &files, false);
  api_pack_files_free(&files);
  return rc;
}

/* ---- reading back ------------------------------------------------------ */

size_t policy_engine_pack_count(const policy_engine *e) { return e ? e->npacks : 0; }

const char *policy_engine_pack_string(const policy_engine *e, size_t index, int field) {
  if (e == NULL || index >= e->npacks) return NULL;
  const api_pack *p = &e->packs[index];
  switch (field) {
  case POLICY_PACK_NAME: return p->name;
  case POLICY_PACK_VERSION: return p->version;
  case POLICY_PACK_DESCRIPTION: return p->description;
  case POLICY_PACK_ORIGIN: return p->origin;
  case POLICY_PACK_SHA256: return p->sha256;
  case POLICY_PACK_PROFILE: return p->profile;
  default: return NULL;
  }
}

const api_pack *api_pack_of_rule(const policy_engine *e, size_t index) {
  for (size_t i = 0; e && i < e->npacks; i++)
    if (index >= e->packs[i].first_rule && index < e->packs[i].first_rule + e->packs[i].nrules)
      return &e->packs[i];
  return NULL;
}

const char *policy_engine_rule_pack(const policy_engine *e, size_t index) {
  const api_pack *p = api_pack_of_rule(e, index);
  return p ? p->name : NULL;
}

/* ---- building ----------------------------------------------------------- */

int policy_pack_build(char **sha256, policy_engine *e, const char *dir, const char *out_path) {
  if (sha256 == NULL || e == NULL || dir == NULL || out_path == NULL)
    return api_fail(e, POLICY_ERR_INVALID, "policy_pack_build: NULL argument");
  char manifest[4096];
  struct stat st;
  snprintf(manifest, sizeof manifest, "%s/pack.yaml", dir);
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || stat(manifest, &st) != 0)
    return api_fail(e, POLICY_ERR_INVALID, "%s: not a pack folder (a folder with pack.yaml)", dir);
  size_t before = e->npacks;
  int rc = policy_engine_load_pack_path(e, dir, NULL);
  if (rc != POLICY_OK) return rc;
  assert(e->npacks == before + 1);
  api_pack_files files;
  rc = api_pack_read_dir(e, dir, true, &files);
  char digest[65];
  if (rc == POLICY_OK) rc = api_pack_write_archive(e, out_path, e->packs[before].name, &files, digest);
  api_pack_files_free(&files);
  if (rc != POLICY_OK) return rc;
  char *copy = pol_strndup(digest, 64);
  if (copy == NULL) return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  *sha256 = copy;
  return api_ok(e);
}
