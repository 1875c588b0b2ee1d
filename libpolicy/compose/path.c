/*
** path.c: file path helpers of the Compose loader (lexical only: no
** symbolic link is followed, nothing is read).
*/
#include <string.h>

#include "../core/pathname.h"
#include "ctx.h"

char *cmp_path_join(pol_arena *a, const char *dir, const char *rel) {
  if (rel[0] == '/' || dir == NULL || !strcmp(dir, "."))
    return pol_path_clean(a, rel, strlen(rel));
  size_t dl = strlen(dir), rl = strlen(rel);
  char *tmp = pol_arena_alloc(a, dl + rl + 2);
  if (tmp == NULL) return NULL;
  memcpy(tmp, dir, dl);
  tmp[dl] = '/';
  memcpy(tmp + dl + 1, rel, rl + 1);
  return pol_path_clean(a, tmp, dl + rl + 1);
}

char *cmp_path_dir(pol_arena *a, const char *path) {
  const char *slash = strrchr(path, '/');
  if (slash == NULL) return pol_arena_strdup(a, ".");
  if (slash == path) return pol_arena_strdup(a, "/");
  return pol_path_clean(a, path, (size_t)(slash - path));
}
