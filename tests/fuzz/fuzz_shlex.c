/*
** fuzz_shlex.c: BuildKit's word expander (df_shlex_process_word and
** df_shlex_process_words), with both escape tokens, every flag, and an
** environment taken from the input.
**
** Input: one flags byte, then NUL-separated fields: the word, then up to
** 32 NAME=value variables (a field without '=' is a name that is set but
** empty). Flag bits: 0-3 the SHLEX_* flags, 4 the backtick escape, 5
** ProcessWords instead of ProcessWord, 6 record the names looked up.
**
** Contract: SHLEX_OK, or SHLEX_ERR_SYNTAX with a message and the outputs
** left as they were; ProcessWords' count matches the words written.
*/
#include <string.h>

#include "dockerfile/shlex.h"
#include "fuzz.h"

#define MAX_VARS 32
#define MAX_VALUE 256   /* keeps $A$A$A... from growing outputs past MiBs */
#define MAX_WORD 8192

typedef struct var {
  const char *name, *value;
  size_t name_len, value_len;
} var;

typedef struct vars {
  var v[MAX_VARS];
  size_t n;
} vars;

static bool lookup(const char *name, size_t n, const char **val, size_t *len,
                   void *ud) {
  const vars *vs = ud;
  for (size_t i = vs->n; i-- > 0;) /* the last definition wins */
    if (vs->v[i].name_len == n && memcmp(vs->v[i].name, name, n) == 0) {
      *val = vs->v[i].value;
      *len = vs->v[i].value_len;
      return true;
    }
  return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > FUZZ_MAX_INPUT) return 0;
  unsigned flags = data[0] & 0x0f;
  char escape = data[0] & 0x10 ? '`' : '\\';
  bool words = data[0] & 0x20, names_on = data[0] & 0x40;
  const char *p = (const char *)data + 1, *end = (const char *)data + size;
  const char *nul = memchr(p, '\0', (size_t)(end - p));
  const char *word = p;
  size_t word_len = (size_t)((nul ? nul : end) - p);
  if (word_len > MAX_WORD) return 0;
  vars vs = {0};
  p = nul ? nul + 1 : end;
  while (p < end && vs.n < MAX_VARS) {
    nul = memchr(p, '\0', (size_t)(end - p));
    const char *f_end = nul ? nul : end;
    const char *eq = memchr(p, '=', (size_t)(f_end - p));
    var *v = &vs.v[vs.n++];
    v->name = p;
    v->name_len = (size_t)((eq ? eq : f_end) - p);
    v->value = eq ? eq + 1 : f_end;
    v->value_len = eq ? (size_t)(f_end - eq - 1) : 0;
    if (v->value_len > MAX_VALUE) v->value_len = MAX_VALUE;
    p = nul ? nul + 1 : end;
  }
  df_shlex_env env = {lookup, &vs, NULL};
  const df_shlex_env *envp = data[0] & 0x80 ? NULL : &env;

  pol_buf out = POL_BUF_INIT, err = POL_BUF_INIT, matched = POL_BUF_INIT,
          unmatched = POL_BUF_INIT;
  pol_buf_puts(&out, "prefix"); /* an error must leave it exactly so */
  df_shlex_names names = {&matched, &unmatched};
  int rc;
  if (words) {
    size_t count = 99;
    rc = df_shlex_process_words(word, word_len, escape, flags, envp, &out, &count, &err);
    if (rc == SHLEX_OK) {
      size_t nuls = 0;
      for (size_t i = 6; i < out.len; i++) nuls += out.data[i] == '\0';
      fuzz_assert(nuls == count);
    } else {
      fuzz_assert(count == 0);
    }
  } else {
    rc = df_shlex_process_word(word, word_len, escape, flags, envp, &out, &err,
                            names_on ? &names : NULL);
  }
  fuzz_assert(rc == SHLEX_OK || rc == SHLEX_ERR_SYNTAX);
  fuzz_assert(!out.oom && !err.oom);
  if (rc == SHLEX_ERR_SYNTAX) {
    fuzz_assert(out.len == 6 && memcmp(out.data, "prefix", 6) == 0);
    fuzz_assert(err.len > 0);
  }
  pol_buf_free(&out);
  pol_buf_free(&err);
  pol_buf_free(&matched);
  pol_buf_free(&unmatched);
  return 0;
}
