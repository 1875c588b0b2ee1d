/*
** pathname.c: Go's path.Clean (see pathname.h).
*/
#include "pathname.h"

#include <assert.h>
#include <stdbool.h>
#include <string.h>

char *pol_path_clean(pol_arena *a, const char *p, size_t n) {
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
  assert(o <= n + 1); /* the room allocated above */
  out[o] = '\0';
  return out;
}

