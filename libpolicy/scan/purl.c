/*
** purl.c: package URLs ("pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64"),
** as the package-url specification writes them: a type, an optional
** namespace, a name, an optional version, then qualifiers and a subpath.
** Name and version are percent-encoded in the URL.
*/
#include <string.h>

#include "scan_int.h"

bool scan_purl_split(const char *s, size_t n, scan_purl *out) {
  memset(out, 0, sizeof *out);
  if (n < 4 || strncmp(s, "pkg:", 4) != 0) return false;
  size_t i = 4;
  while (i < n && s[i] == '/') i++; /* "pkg://type/..." is read like "pkg:type/..." */
  size_t end = i;
  while (end < n && s[end] != '?' && s[end] != '#') end++;
  size_t slash = i;
  while (slash < end && s[slash] != '/') slash++;
  if (slash == i || slash >= end) return false;
  out->type = s + i;
  out->type_len = slash - i;
  size_t at = end;
  while (at > slash && s[at - 1] != '@' && s[at - 1] != '/') at--;
  size_t name_end = end;
  if (at > slash && s[at - 1] == '@') {
    out->version = s + at;
    out->version_len = end - at;
    name_end = at - 1;
  }
  size_t name_start = name_end;
  while (name_start > slash + 1 && s[name_start - 1] != '/') name_start--;
  if (name_start >= name_end) return false;
  out->name = s + name_start;
  out->name_len = name_end - name_start;
  return true;
}

static int hex(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

pm_value *scan_purl_part(scan_ctx *c, const char *s, size_t n, pm_pos pos) {
  if (s == NULL || c->oom) return NULL;
  char *buf = pol_arena_alloc(&c->scratch, n + 1);
  if (buf == NULL) {
    c->oom = true;
    return NULL;
  }
  size_t len = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '%' && i + 2 < n && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      buf[len++] = (char)(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      buf[len++] = s[i];
    }
  }
  return scan_strn(c, buf, len, pos);
}
