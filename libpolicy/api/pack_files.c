/*
** pack_files.c: a pack's files in memory (see pack.h), and reading them
** from a folder.
*/
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/alloc.h"
#include "pack.h"

void api_pack_files_free(api_pack_files *f) {
  for (size_t i = 0; i < f->n; i++) {
    pol_free(f->items[i].path);
    pol_free(f->items[i].data);
  }
  pol_free(f->items);
  *f = (api_pack_files){NULL, 0, 0};
}

const api_pack_file *api_pack_files_get(const api_pack_files *f, const char *path) {
  size_t lo = 0, hi = f->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(f->items[mid].path, path);
    if (c == 0) return &f->items[mid];
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

int api_pack_files_add(policy_engine *e, const char *where, api_pack_files *f,
                       const char *path, char *data, size_t len) {
  if (f->n >= API_PACK_MAX_ENTRIES) {
    pol_free(data);
    return api_fail(e, POLICY_ERR_LIMIT, "%s: more than %u files (a fixed limit for packs)",
                    where, API_PACK_MAX_ENTRIES);
  }
  if (len > API_PACK_MAX_FILE || f->total + len > API_PACK_MAX_TOTAL) {
    pol_free(data);
    return api_fail(e, POLICY_ERR_LIMIT, "%s: %s: the pack's files are larger than %u bytes "
                    "(a fixed limit for packs)", where, path,
                    len > API_PACK_MAX_FILE ? API_PACK_MAX_FILE : API_PACK_MAX_TOTAL);
  }
  api_pack_file *grown = pol_realloc(f->items, (f->n + 1) * sizeof *grown);
  char *copy = grown ? pol_strndup(path, strlen(path)) : NULL;
  if (grown) f->items = grown;
  if (copy == NULL) {
    pol_free(data);
    return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  }
  f->items[f->n++] = (api_pack_file){copy, data, len, NULL, 0, 0};
  f->total += len;
  return POLICY_OK;
}

static int by_path(const void *a, const void *b) {
  return strcmp(((const api_pack_file *)a)->path, ((const api_pack_file *)b)->path);
}

int api_pack_files_finish(policy_engine *e, const char *where, api_pack_files *f) {
  if (f->n) qsort(f->items, f->n, sizeof *f->items, by_path);
  for (size_t i = 1; i < f->n; i++)
    if (strcmp(f->items[i - 1].path, f->items[i].path) == 0)
      return api_fail(e, POLICY_ERR_PARSE, "%s: %s is in the pack twice", where, f->items[i].path);
  return POLICY_OK;
}

/* ---- folders -------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Which names of a folder the pack takes. */
typedef bool (*wanted_fn)(const char *name);

static bool lua_file(const char *name) { return ends_with(name, ".lua"); }

static bool data_file(const char *name) {
  return ends_with(name, ".yaml") || ends_with(name, ".yml") || ends_with(name, ".json");
}

static bool any_file(const char *name) { (void)name; return true; }

static bool top_file(const char *name) {
  return !strcmp(name, "pack.yaml") || !strncmp(name, "README", 6) || !strncmp(name, "LICENSE", 7) ||
         !strncmp(name, "COPYING", 7);
}

typedef struct walker {
  policy_engine *e;
  const char *root, *where;
  api_pack_files *out;
} walker;

static int read_into(walker *w, const char *full, const char *rel) {
  char *data;
  size_t len;
  int rc = api_read_named(w->e, full, API_PACK_MAX_FILE, "(a fixed limit for pack files)", &data,
                          &len);
  if (rc != POLICY_OK) return rc;
  return api_pack_files_add(w->e, w->where, w->out, rel, data, len);
}

/* The files of root/rel whose names `want` takes; with `deep`, the
** folders below too (at most API_PACK_MAX_DEPTH down). A missing folder
** is empty. */
static int walk(walker *w, const char *rel, wanted_fn want, bool deep, int depth) {
  char full[4096];
  snprintf(full, sizeof full, "%s%s%s", w->root, *rel ? "/" : "", rel);
  DIR *d = opendir(full);
  if (d == NULL)
    return errno == ENOENT ? POLICY_OK : api_fail(w->e, POLICY_ERR_IO, "%s: %s", full, strerror(errno));
  int rc = POLICY_OK;
  struct dirent *de;
  while (rc == POLICY_OK && (de = readdir(d))) {
    if (de->d_name[0] == '.') continue;
    char child_rel[API_PACK_MAX_PATH + 2], child_full[4352];
    int n = snprintf(child_rel, sizeof child_rel, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
    snprintf(child_full, sizeof child_full, "%s/%s", full, de->d_name);
    if (n < 0 || (size_t)n > API_PACK_MAX_PATH) {
      rc = api_fail(w->e, POLICY_ERR_LIMIT, "%s: a path longer than %d bytes (a fixed limit for "
                    "packs)", child_full, API_PACK_MAX_PATH);
      break;
    }
    struct stat st;
    if (stat(child_full, &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      if (!deep) continue;
      if (depth >= API_PACK_MAX_DEPTH)
        rc = api_fail(w->e, POLICY_ERR_LIMIT, "%s: folders deeper than %d (a fixed limit for "
                      "packs)", child_full, API_PACK_MAX_DEPTH);
      else
        rc = walk(w, child_rel, want, deep, depth + 1);
    } else if (S_ISREG(st.st_mode) && want(de->d_name)) {
      rc = read_into(w, child_full, child_rel);
    }
  }
  closedir(d);
  return rc;
}

int api_pack_read_dir(policy_engine *e, const char *dir, bool everything,
                      api_pack_files *out) {
  *out = (api_pack_files){NULL, 0, 0};
  walker w = {e, dir, dir, out};
  int rc = POLICY_OK;
  if (everything) {
    rc = walk(&w, "", top_file, false, 0);
  } else {
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/pack.yaml", dir);
    if (stat(path, &st) == 0) rc = read_into(&w, path, "pack.yaml");
  }
  if (rc == POLICY_OK) rc = walk(&w, "rules", lua_file, false, 1);
  if (rc == POLICY_OK) rc = walk(&w, "lib", lua_file, false, 1);
  if (rc == POLICY_OK) rc = walk(&w, "data", data_file, false, 1);
  if (rc == POLICY_OK && everything) rc = walk(&w, "tests", any_file, true, 1);
  if (rc == POLICY_OK) rc = api_pack_files_finish(e, dir, out);
  if (rc != POLICY_OK) api_pack_files_free(out);
  return rc;
}
