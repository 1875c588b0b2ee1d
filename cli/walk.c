/*
** walk.c: turning the PATH arguments of `policy check` into a list of
** inputs. Directories are walked depth-first in name order; only files
** whose names say what they are (Dockerfile, *.Dockerfile, Dockerfile.*,
** Containerfile, compose.yaml, docker-compose*.yml, ...) are taken from
** them. Version-control and dependency folders are skipped, and so are
** policy packs found on the way (their fixtures are wrong on purpose);
** symbolic links to directories are not followed, so a link loop cannot
** recur.
**
** Every path is normalised (cli_walk_normalise) and listed once: a file named
** twice, or found by walking and named, is one input; so is a Dockerfile
** that a Compose file of the list builds (cli_walk_drop_linked).
*/
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const char *const skipped_dirs[] = {
    ".git", ".hg", ".svn", ".bzr", "node_modules", ".venv", "venv",
    "__pycache__", ".tox", ".terraform", NULL};

static bool skip_dir(const char *name) {
  for (size_t i = 0; skipped_dirs[i]; i++)
    if (strcmp(name, skipped_dirs[i]) == 0) return true;
  return false;
}

/* A policy pack (a folder with pack.yaml, docs/packs.md): its tests/
** hold fixtures that are wrong on purpose, not inputs to check. */
static bool is_pack(const char *dir) {
  char path[4200];
  struct stat st;
  snprintf(path, sizeof path, "%s/pack.yaml", dir);
  return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int cli_walk_kind_by_name(const char *name) {
  if (!strcasecmp(name, "Dockerfile") || !strcasecmp(name, "Containerfile") ||
      !strncasecmp(name, "Dockerfile.", 11) || !strncasecmp(name, "Dockerfile-", 11) ||
      !strncasecmp(name, "Containerfile.", 14) || ends_with(name, ".Dockerfile") ||
      ends_with(name, ".Containerfile"))
    return POLICY_KIND_DOCKERFILE;
  bool yaml = ends_with(name, ".yml") || ends_with(name, ".yaml");
  if (yaml && (!strncasecmp(name, "compose", 7) || !strncasecmp(name, "docker-compose", 14) ||
               strstr(name, "-compose.") != NULL))
    return POLICY_KIND_COMPOSE;
  return POLICY_KIND_AUTO;
}

char *cli_walk_normalise(const char *path) {
  char cwd[4096];
  size_t clen = 0;
  if (path[0] == '/' && getcwd(cwd, sizeof cwd) != NULL) {
    clen = strlen(cwd);
    /* Under the working directory: relative to it. */
    if (!(strncmp(path, cwd, clen) == 0 && (path[clen] == '/' || path[clen] == '\0') && clen > 1))
      clen = 0;
  }
  const char *p = path + clen;
  char *out = malloc(strlen(path) + 2), *o = out;
  if (out == NULL) return NULL;
  if (clen == 0 && path[0] == '/') *o++ = '/';
  while (*p) {
    while (*p == '/') p++;                       /* doubled slashes */
    size_t n = strcspn(p, "/");
    if (n == 1 && p[0] == '.') { p += 1; continue; } /* "." components */
    if (n == 0) break;
    if (o > out && o[-1] != '/') *o++ = '/';
    memcpy(o, p, n);
    o += n;
    p += n;
  }
  if (o == out) *o++ = '.';
  *o = '\0';
  return out;
}

/* One component of a path against a glob without '/'. */
static bool component_matches(const char *glob, const char *path) {
  for (const char *p = path; *p;) {
    size_t n = strcspn(p, "/");
    char part[1024];
    if (n < sizeof part) {
      memcpy(part, p, n);
      part[n] = '\0';
      if (fnmatch(glob, part, FNM_PERIOD) == 0) return true;
    }
    p += n + (p[n] == '/');
  }
  return false;
}

/* The path or one of its leading folders against a glob with '/'. */
static bool prefix_matches(const char *glob, const char *path) {
  char buf[4096];
  size_t len = strlen(path);
  if (len >= sizeof buf) return false;
  memcpy(buf, path, len + 1);
  for (size_t n = len; n > 0; n--) {
    if (n < len && buf[n] != '/') continue;
    buf[n] = '\0';
    if (fnmatch(glob, buf, 0) == 0) return true;
  }
  return false;
}

bool cli_walk_excluded(const cli_walk_list *w, const char *path) {
  for (size_t i = 0; i < w->nexcludes; i++) {
    const char *g = w->excludes[i];
    while (g[0] == '.' && g[1] == '/') g += 2;
    if (strchr(g, '/') ? prefix_matches(g, path) : component_matches(g, path)) return true;
  }
  return false;
}

static bool push(cli_walk_list *w, const char *raw, int kind, bool named, bool json) {
  char *path = strcmp(raw, "-") == 0 ? strdup(raw) : cli_walk_normalise(raw);
  if (path == NULL) return false;
  if (strcmp(path, "-") != 0 && cli_walk_excluded(w, path)) {
    free(path);
    return true;
  }
  if (w->len == w->cap) {
    size_t cap = w->cap ? w->cap * 2 : 64;
    cli_walk_item *items = realloc(w->items, cap * sizeof *items);
    if (items == NULL) { free(path); return false; }
    w->items = items;
    w->cap = cap;
  }
  w->items[w->len].path = path;
  w->items[w->len].kind = kind;
  w->items[w->len].named = named;
  w->items[w->len].json = json;
  w->len++;
  return true;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

#define MAX_WALK_DEPTH 64

static bool has_name(char **names, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(names[i], name) == 0) return true;
  return false;
}

/* compose.override.yaml (and docker-compose.override.yml, ...) next to a
** default Compose file is merged into it by the loader, as docker compose
** does; checking it alone would report a partial service twice. */
static bool merged_override(char **names, size_t n, const char *name) {
  static const char *const defaults[] = {"compose.yaml", "compose.yml",
                                         "docker-compose.yaml", "docker-compose.yml"};
  if (strstr(name, "compose.override.") == NULL) return false;
  for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
    if (has_name(names, n, defaults[i])) return true;
  return false;
}

static bool cli_walk_dir(cli_walk_list *w, const char *dir, int depth) {
  if (depth > MAX_WALK_DEPTH) {
    cli_diag_print(dir, 0, 0, "error", "folders nest more than 64 levels deep below the "
               "path given; not entered (a fixed limit: give this folder as a path)");
    w->errors++;
    return true;
  }
  DIR *d = opendir(dir);
  if (d == NULL) {
    char msg[300];
    snprintf(msg, sizeof msg, "cannot open the directory: %s", strerror(errno));
    cli_diag_print(dir, 0, 0, "error", msg);
    w->errors++;
    return true;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *de;
  bool ok = true;
  while (ok && (de = readdir(d))) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 32;
      char **grown = realloc(names, cap * sizeof *names);
      if (grown == NULL) { ok = false; break; }
      names = grown;
    }
    if ((names[n] = strdup(de->d_name)) == NULL) ok = false;
    else n++;
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, by_name);
  for (size_t i = 0; ok && i < n; i++) {
    size_t len = strlen(dir) + strlen(names[i]) + 2;
    char *path = malloc(len);
    if (path == NULL) { ok = false; break; }
    snprintf(path, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
      char *norm = cli_walk_normalise(path);
      if (norm == NULL) ok = false;
      else if (!skip_dir(names[i]) && !cli_walk_excluded(w, norm) && !is_pack(path))
        ok = cli_walk_dir(w, path, depth + 1);
      free(norm);
    } else {
      /* Also when lstat failed (the file went away since readdir): reading
      ** it reports why, like any other unreadable input. */
      int kind = cli_walk_kind_by_name(names[i]);
      if (kind != POLICY_KIND_AUTO && !merged_override(names, n, names[i]))
        ok = push(w, path, kind, false, false);
    }
    free(path);
  }
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  return ok;
}

/* Orders item indices by path, then position. */
static const cli_walk_list *sorting;
static int by_path(const void *a, const void *b) {
  size_t i = *(const size_t *)a, j = *(const size_t *)b;
  int c = strcmp(sorting->items[i].path, sorting->items[j].path);
  return c ? c : (i < j ? -1 : 1);
}

/* Keeps the first item of each path (standard input may repeat: each
** "-" reads what is left of it). */
static bool unique(cli_walk_list *w) {
  size_t *order = malloc((w->len ? w->len : 1) * sizeof *order);
  bool *dup = calloc(w->len ? w->len : 1, sizeof *dup);
  if (order == NULL || dup == NULL) { free(order); free(dup); return false; }
  for (size_t i = 0; i < w->len; i++) order[i] = i;
  sorting = w;
  qsort(order, w->len, sizeof *order, by_path);
  size_t first = 0; /* the first item of the current path */
  for (size_t k = 0; k < w->len; k++) {
    cli_walk_item *it = &w->items[order[k]];
    if (k == 0 || strcmp(it->path, w->items[first].path) != 0 || strcmp(it->path, "-") == 0) {
      first = order[k];
      continue;
    }
    dup[order[k]] = true;
    w->items[first].named |= it->named; /* named files are never skipped */
    w->items[first].json |= it->json;
  }
  size_t kept = 0;
  for (size_t i = 0; i < w->len; i++) {
    if (dup[i]) free(w->items[i].path);
    else w->items[kept++] = w->items[i];
  }
  w->len = kept;
  free(order);
  free(dup);
  return true;
}

bool cli_walk_paths(cli_walk_list *w, char **paths, size_t n, int kind,
                    const unsigned char *probed) {
  for (size_t i = 0; i < n; i++) {
    bool ok = probed[i] & CLI_PROBE_DIR ? cli_walk_dir(w, paths[i], 0)
                                        : push(w, paths[i], kind, true, probed[i] & CLI_PROBE_JSON);
    if (!ok) return false;
  }
  return unique(w);
}

void cli_walk_free(cli_walk_list *w) {
  for (size_t i = 0; i < w->len; i++) free(w->items[i].path);
  free(w->items);
  w->items = NULL;
  w->len = w->cap = 0;
}

/* Removes the item at i, keeping the order. */
static void drop(cli_walk_list *w, size_t i) {
  free(w->items[i].path);
  memmove(&w->items[i], &w->items[i + 1], (w->len - i - 1) * sizeof *w->items);
  w->len--;
}

bool cli_walk_drop_linked(cli_walk_list *w, policy_engine *e) {
  for (size_t c = 0; c < w->len; c++) {
    if (w->items[c].kind != POLICY_KIND_COMPOSE || strcmp(w->items[c].path, "-") == 0) continue;
    policy_document *doc;
    if (policy_parse_file(&doc, e, w->items[c].path, POLICY_KIND_COMPOSE) != POLICY_OK)
      continue; /* checking it reports why */
    size_t n = policy_document_file_count(doc);
    for (size_t f = 0; f < n; f++) {
      char *linked = cli_walk_normalise(policy_document_file(doc, f));
      if (linked == NULL) { policy_document_free(doc); return false; }
      for (size_t i = 0; i < w->len; i++) {
        if (i == c || strcmp(w->items[i].path, linked) != 0) continue;
        drop(w, i);
        if (i < c) c--;
        break;
      }
      free(linked);
    }
    policy_document_free(doc);
  }
  return true;
}

void cli_walk_shard(cli_walk_list *w, unsigned shard, unsigned nshards) {
  size_t kept = 0;
  for (size_t i = 0; i < w->len; i++) {
    if (i % nshards == shard - 1) w->items[kept++] = w->items[i];
    else free(w->items[i].path);
  }
  w->len = kept;
}
