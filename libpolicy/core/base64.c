/*
** base64.c: base64 decoding (see base64.h).
*/
#include "base64.h"

#include <stdint.h>

static int digit(unsigned char ch) {
  if (ch >= 'A' && ch <= 'Z') return ch - 'A';
  if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
  if (ch >= '0' && ch <= '9') return ch - '0' + 52;
  if (ch == '+') return 62;
  if (ch == '/') return 63;
  return -1;
}

bool pol_base64_decode(const char *s, size_t n, char *out, size_t *out_len) {
  size_t o = 0, q = 0, pad = 0;
  uint32_t acc = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch == '\r' || ch == '\n') continue;
    int v = 0;
    if (ch == '=') {
      if (q < 2) return false;
      pad++;
    } else if (pad || (v = digit(ch)) < 0) {
      return false;
    }
    acc = (acc << 6) | (uint32_t)v;
    if (++q < 4) continue;
    out[o++] = (char)(acc >> 16);
    if (pad < 2) out[o++] = (char)(acc >> 8);
    if (pad < 1) out[o++] = (char)acc;
    q = 0;
    acc = 0;
    if (pad) { /* nothing but line breaks after the padding */
      for (i++; i < n; i++)
        if (s[i] != '\r' && s[i] != '\n') return false;
    }
  }
  if (q != 0) return false;
  *out_len = o;
  return true;
}
