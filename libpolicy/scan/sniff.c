/*
** sniff.c: telling a scan report from other JSON by its top-level keys
** (see scan.h), before anything is parsed.
**
** The text is walked at the top level only: each key is compared, each
** value skipped (strings with their escapes, arrays and objects by
** counting brackets outside strings). The keys that decide, none of which
** docker inspect output, create bodies or AuthZ requests have:
** "SchemaVersion" (Trivy, its first key), "matches" with an array
** (Grype, its first key), "runs" with an array (SARIF). Malformed text
** stops the walk: the parser that reads it reports why.
*/
#include <string.h>

#include "scan.h"

typedef struct sniffer {
  const char *s;
  size_t n, i;
} sniffer;

static void skip_space(sniffer *p) {
  while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' ||
                         p->s[p->i] == '\r'))
    p->i++;
}

/* Past a string that starts at p->i; false when it does not end. */
static bool skip_string(sniffer *p) {
  for (p->i++; p->i < p->n; p->i++) {
    if (p->s[p->i] == '\\') p->i++;
    else if (p->s[p->i] == '"') { p->i++; return true; }
  }
  return false;
}

/* Past one value; false at malformed or truncated text. */
static bool skip_value(sniffer *p) {
  skip_space(p);
  if (p->i >= p->n) return false;
  char ch = p->s[p->i];
  if (ch == '"') return skip_string(p);
  if (ch != '{' && ch != '[') {
    size_t start = p->i;
    while (p->i < p->n && p->s[p->i] != ',' && p->s[p->i] != '}' && p->s[p->i] != ']' &&
           p->s[p->i] != ' ' && p->s[p->i] != '\n' && p->s[p->i] != '\r' && p->s[p->i] != '\t')
      p->i++;
    return p->i > start;
  }
  size_t depth = 0;
  while (p->i < p->n) {
    ch = p->s[p->i];
    if (ch == '"') {
      if (!skip_string(p)) return false;
      continue;
    }
    if (ch == '{' || ch == '[') depth++;
    else if (ch == '}' || ch == ']') {
      if (--depth == 0) { p->i++; return true; }
    }
    p->i++;
  }
  return false;
}

static bool value_is_array(sniffer *p) {
  skip_space(p);
  return p->i < p->n && p->s[p->i] == '[';
}

scan_format scan_sniff(const char *data, size_t len) {
  sniffer p = {data, len, 0};
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) p.i = 3;
  skip_space(&p);
  if (p.i >= p.n || p.s[p.i] != '{') return SCAN_NONE;
  p.i++;
  for (;;) {
    skip_space(&p);
    if (p.i >= p.n || p.s[p.i] != '"') return SCAN_NONE;
    size_t key = p.i + 1;
    if (!skip_string(&p)) return SCAN_NONE;
    size_t key_len = p.i - 1 - key;
    skip_space(&p);
    if (p.i >= p.n || p.s[p.i] != ':') return SCAN_NONE;
    p.i++;
#define KEY_IS(lit) (key_len == sizeof lit - 1 && memcmp(p.s + key, lit, key_len) == 0)
    if (KEY_IS("SchemaVersion")) return SCAN_TRIVY;
    if (KEY_IS("matches") && value_is_array(&p)) return SCAN_GRYPE;
    if (KEY_IS("runs") && value_is_array(&p)) return SCAN_SARIF;
#undef KEY_IS
    if (!skip_value(&p)) return SCAN_NONE;
    skip_space(&p);
    if (p.i >= p.n || p.s[p.i] != ',') return SCAN_NONE;
    p.i++;
  }
}
