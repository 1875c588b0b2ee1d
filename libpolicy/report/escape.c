/*
** escape.c: text that is safe to print on a terminal or in a line-based
** log, whatever a scanned file or a rule put in it.
**
** Invariant: the output holds no byte below 0x20, no DEL, no C1 control
** (U+0080-U+009F), no byte that is not part of valid UTF-8, and none of
** the Unicode controls that reorder or break what a reader sees (bidi
** embeddings, overrides, isolates and marks; line and paragraph
** separators). Each becomes a visible escape: \xNN for a byte, \uNNNN
** for a code point. So one entry written on one line stays one line, and
** nothing in it can move the cursor, change colours or reverse text.
*/
#include <string.h>

#include "../core/alloc.h"
#include "../core/utf8.h"
#include "policy/policy.h"
#include "report.h"

static bool reorders(uint32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

void rep_put_escaped(pol_buf *b, const char *s, size_t n, bool keep_newlines) {
  static const char hex[] = "0123456789ABCDEF";
  size_t i = 0, run = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= 0x20 && c < 0x7F) || (c == '\n' && keep_newlines)) { i++; run++; continue; }
    if (c >= 0x80) {
      uint32_t cp;
      size_t len = pol_utf8_decode(s + i, n - i, &cp);
      if (cp != PUTF8_INVALID && cp >= 0xA0 && !reorders(cp)) { i += len; run += len; continue; }
      pol_buf_append(b, s + i - run, run);
      run = 0;
      if (cp == PUTF8_INVALID) {
        char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
        pol_buf_append(b, e, 4);
      } else {
        pol_buf_printf(b, "\\u%04X", (unsigned)cp);
      }
      i += len;
      continue;
    }
    pol_buf_append(b, s + i - run, run);
    run = 0;
    char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
    pol_buf_append(b, e, 4);
    i++;
  }
  pol_buf_append(b, s + i - run, run);
}

void rep_put_text(pol_buf *b, const char *s) {
  if (s) rep_put_escaped(b, s, strlen(s), false);
}

int policy_escape_text(char **out, size_t *len, const char *text,
                       uint32_t flags) {
  if (out == NULL || text == NULL) return POLICY_ERR_INVALID;
  pol_buf b = POL_BUF_INIT;
  rep_put_escaped(&b, text, strlen(text), (flags & POLICY_ESCAPE_KEEP_NEWLINES) != 0);
  char *s = pol_buf_detach(&b, len);
  if (s == NULL) return POLICY_ERR_NOMEM;
  *out = s;
  return POLICY_OK;
}
