/*
** walk.c: turning the PATH arguments of `policy check` into a list of
** inputs. Directories are walked depth-first in name order; only files
** whose names say what they are (Dockerfile, *.Dockerfile, Dockerfile.*,
** Containerfile, compose.yaml, docker-compose*.yml, ...) are taken from
** them. Version-control and dependency folders are skipped, and symbolic
** links to directories are not followed, so a link loop cannot recur.
*/
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"

static const char *const skipped_dirs[] = {
    ".git", ".hg", ".svn", ".bzr", "node_modules", ".venv", "venv",
    "__pycache__", ".tox", ".terraform", NULL};

static bool skip_dir(const char *name) {
  for (size_t i = 0; skipped_dirs[i]; i++)
    if (strcmp(name, skipped_dirs[i]) == 0) return true;
  return false;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int walk_kind_by_name(const char *name) {
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

static bool push(walk_list *w, const char *path, int kind, bool named) {
  if (w->len == w->cap) {
    size_t cap = w->cap ? w->cap * 2 : 64;
    walk_item *items = realloc(w->items, cap * sizeof *items);
    if (items == NULL) return false;
    w->items = items;
    w->cap = cap;
  }
  char *copy = strdup(path);
  if (copy == NULL) return false;
  w->items[w->len].path = copy;
  w->items[w->len].kind = kind;
  w->items[w->len].named = named;
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

static bool walk_dir(walk_list *w, const char *dir, int depth) {
  if (depth > MAX_WALK_DEPTH) {
    diag_print(dir, 0, 0, "error", "folders nest more than 64 levels deep below the "
               "path given; not entered (a fixed limit: give this folder as a path)");
    w->errors++;
    return true;
  }
  DIR *d = opendir(dir);
  if (d == NULL) {
    char msg[300];
    snprintf(msg, sizeof msg, "cannot open the directory: %s", strerror(errno));
    diag_print(dir, 0, 0, "error", msg);
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
      if (!skip_dir(names[i])) ok = walk_dir(w, path, depth + 1);
    } else {
      /* Also when lstat failed (the file went away since readdir): reading
      ** it reports why, like any other unreadable input. */
      int kind = walk_kind_by_name(names[i]);
      if (kind != POLICY_KIND_AUTO && !merged_override(names, n, names[i]))
        ok = push(w, path, kind, false);
    }
    free(path);
  }
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  return ok;
}

bool walk_paths(walk_list *w, char **paths, size_t n, int kind) {
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if (strcmp(paths[i], "-") != 0 && stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
      if (!walk_dir(w, paths[i], 0)) return false;
    } else if (!push(w, paths[i], kind, true)) {
      return false;
    }
  }
  return true;
}

void walk_free(walk_list *w) {
  for (size_t i = 0; i < w->len; i++) free(w->items[i].path);
  free(w->items);
  memset(w, 0, sizeof *w);
}
