/*
** path.c: file path helpers of the Compose loader (lexical only: no
** symbolic link is followed, nothing is read).
*/
#include <string.h>

#include "ctx.h"

/* Lexical cleaning like Go's path.Clean: no empty or "." segments, ".."
** folded into the segment before it where there is one. */
char *cmp_path_clean(pol_arena *a, const char *p, size_t n) {
  char *out = pol_arena_alloc(a, n + 2);
  if (out == NULL) return NULL;
  bool abs = n > 0 && p[0] == '/';
  size_t o = 0, i = 0, floor = 0;
  if (abs) { out[o++] = '/'; floor = 1; }
  while (i < n) {
    while (i < n && p[i] == '/') i++;
    size_t s = i;
    while (i < n && p[i] != '/') i++;
    size_t len = i - s;
    if (len == 0 || (len == 1 && p[s] == '.')) continue;
    if (len == 2 && p[s] == '.' && p[s + 1] == '.') {
      if (o > floor) {
        while (o > floor && out[o - 1] != '/') o--;
        if (o > floor) o--;
        continue;
      }
      if (abs) continue;
      floor = o + (o > 0) + 2;
    }
    if (o > 0 && out[o - 1] != '/') out[o++] = '/';
    memcpy(out + o, p + s, len);
    o += len;
  }
  if (o == 0) out[o++] = '.';
  out[o] = '\0';
  return out;
}

char *cmp_path_join(pol_arena *a, const char *dir, const char *rel) {
  if (rel[0] == '/' || dir == NULL || !strcmp(dir, "."))
    return cmp_path_clean(a, rel, strlen(rel));
  size_t dl = strlen(dir), rl = strlen(rel);
  char *tmp = pol_arena_alloc(a, dl + rl + 2);
  if (tmp == NULL) return NULL;
  memcpy(tmp, dir, dl);
  tmp[dl] = '/';
  memcpy(tmp + dl + 1, rel, rl + 1);
  return cmp_path_clean(a, tmp, dl + rl + 1);
}

char *cmp_path_dir(pol_arena *a, const char *path) {
  const char *slash = strrchr(path, '/');
  if (slash == NULL) return pol_arena_strdup(a, ".");
  if (slash == path) return pol_arena_strdup(a, "/");
  return cmp_path_clean(a, path, (size_t)(slash - path));
}
