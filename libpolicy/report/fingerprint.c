/*
** fingerprint.c: a finding's fingerprint, the key by which baselines,
** SARIF's partialFingerprints and GitLab's Code Quality follow a finding
** across commits.
**
** It hashes what identifies a finding and does not move with unrelated
** edits: the rule id, the file (its relative path normalised, so
** "./web/Dockerfile" and "web/Dockerfile" agree), the engine's hash of
** the reported node's content (node_hash) and the message without the
** numbers that follow "line " in it (a message may name the line of
** another node). Never the line or column. Two findings of one rule on nodes of equal content
** share a fingerprint; baselines count them (a fingerprint listed twice
** matches two findings).
*/
#include <string.h>

#include "report.h"

/* FNV-1a, 64 bits. */
#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t mix_bytes(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * FNV_PRIME;
  return h;
}

/* A string and its terminating NUL, so ("ab","c") and ("a","bc") differ. */
static uint64_t mix_str(uint64_t h, const char *s) {
  return mix_bytes(h, s ? s : "", (s ? strlen(s) : 0) + 1);
}

/* The path without "./" components and doubled slashes. */
static uint64_t mix_path(uint64_t h, const char *p) {
  p = p ? p : "";
  while (*p) {
    if (p[0] == '/' && (p[1] == '/' || (p[1] == '.' && (p[2] == '/' || p[2] == '\0')))) {
      p += p[1] == '/' ? 1 : 2; /* a doubled slash or "/." */
      continue;
    }
    if (p[0] == '.' && p[1] == '/') { /* "./" at the start */
      p += 2;
      while (*p == '/') p++;
      continue;
    }
    const char *end = strchr(p + 1, '/');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    h = mix_bytes(h, p, n);
    p += n;
  }
  return mix_bytes(h, "", 1);
}

/* The message with the digits after each "line " left out. */
static uint64_t mix_message(uint64_t h, const char *m) {
  m = m ? m : "";
  const char *run = m;
  for (const char *at; (at = strstr(m, "line ")) != NULL;) {
    m = at + 5;
    h = mix_bytes(h, run, (size_t)(m - run));
    while (*m >= '0' && *m <= '9') m++;
    run = m;
  }
  return mix_bytes(h, run, strlen(run) + 1);
}

void rep_fingerprint(char out[17], const rep_item *it) {
  static const char hex[] = "0123456789abcdef";
  uint64_t h = FNV_OFFSET;
  h = mix_str(h, rep_item_rule_id(it));
  h = mix_path(h, it->file);
  unsigned char node[8];
  for (int i = 0; i < 8; i++) node[i] = (unsigned char)(it->node_hash >> (8 * i));
  h = mix_bytes(h, node, sizeof node);
  h = mix_message(h, it->message);
  for (int i = 15; i >= 0; i--, h >>= 4) out[i] = hex[h & 15];
  out[16] = '\0';
}
