/*
** shlex.c: BuildKit's Dockerfile word lexer and variable expander
** (ProcessWord / ProcessWords), reimplemented from its observable
** behaviour.
**
** Model: the input is read one code point at a time the way Go's
** text/scanner does it (a leading U+FEFF is skipped, each invalid byte
** reads as U+FFFD). Every nesting level appends its result to one shared
** "stack" buffer: a level's text is the tail of the stack that starts where
** the level began, so a ${...} operator decides what to keep by truncating
** the stack back to that point, and nested words are never copied upwards.
** Patterns (# % /) run on a Pike VM, O(value * pattern) per search, with
** leftmost-first priorities identical to the Go regexp upstream builds.
*/
#include "shlex.h"

#include <stdint.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/utf8.h"

#define SH_EOF (-1)
#define REPLACEMENT_CHAR 0xFFFD

/* ---- name sets: each recorded name once, O(1) membership ---- */

typedef struct name_set {
  pol_buf *b;      /* NUL-separated names; NULL when not recording */
  size_t orig_len; /* b->len on entry, restored on error */
  size_t *slot;    /* open addressing; offset + 1 into b->data, 0 = free */
  size_t cap;      /* power of two, or 0 */
  size_t count;
} name_set;

static uint64_t hash_bytes(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ull;
  }
  return h;
}

static bool ns_grow(name_set *ns) {
  size_t cap = ns->cap ? ns->cap * 2 : 64;
  size_t *slot = pol_calloc(cap, sizeof *slot);
  if (slot == NULL) return false;
  for (size_t i = 0; i < ns->cap; i++) {
    size_t v = ns->slot[i];
    if (v == 0) continue;
    const char *s = ns->b->data + v - 1;
    size_t j = hash_bytes(s, strlen(s)) & (cap - 1);
    while (slot[j]) j = (j + 1) & (cap - 1);
    slot[j] = v;
  }
  pol_free(ns->slot);
  ns->slot = slot;
  ns->cap = cap;
  return true;
}

/* Adds s[0..n) to the set unless present. `existing` is the offset of a
** copy already in the buffer, or SIZE_MAX to append one. Allocation
** failure marks the buffer oom. */
static void ns_add(name_set *ns, const char *s, size_t n, size_t existing) {
  if (ns->b == NULL || ns->b->oom) return;
  if ((ns->count + 1) * 2 > ns->cap && !ns_grow(ns)) {
    ns->b->oom = true;
    return;
  }
  size_t j = hash_bytes(s, n) & (ns->cap - 1);
  for (; ns->slot[j]; j = (j + 1) & (ns->cap - 1)) {
    const char *t = ns->b->data + ns->slot[j] - 1;
    /* t may be shorter than n: never read past its NUL. */
    if (strlen(t) == n && memcmp(t, s, n) == 0) return;
  }
  size_t off = existing;
  if (off == SIZE_MAX) {
    off = ns->b->len;
    pol_buf_append(ns->b, s, n);
    pol_buf_putc(ns->b, '\0');
    if (ns->b->oom) return;
  }
  ns->slot[j] = off + 1;
  ns->count++;
}

static void ns_init(name_set *ns, pol_buf *b) {
  memset(ns, 0, sizeof *ns);
  ns->b = b;
  if (b == NULL) return;
  ns->orig_len = b->len;
  for (size_t i = 0; i < b->len;) {
    size_t n = strlen(b->data + i);
    ns_add(ns, b->data + i, n, i);
    i += n + 1;
  }
}

static void ns_finish(name_set *ns, bool failed) {
  if (ns->b && failed && !ns->b->oom) {
    ns->b->len = ns->orig_len;
    if (ns->b->data) ns->b->data[ns->b->len] = '\0';
  }
  pol_free(ns->slot);
}

/* ---- ProcessWords splitting (top level only) ---- */

typedef struct words {
  pol_buf *out;
  size_t start; /* offset in out where the current word begins */
  size_t count;
} words;

static void words_push(words *w) {
  if (w->out->len == w->start) return;
  pol_buf_putc(w->out, '\0');
  w->count++;
  w->start = w->out->len;
}

static void words_raw_char(words *w, int32_t cp) {
  pol_buf_put_utf8(w->out, (unsigned long)cp);
}

/* A character that splits words when it is white space. */
static void words_char(words *w, int32_t cp) {
  if (pol_utf8_is_space((uint32_t)cp)) words_push(w);
  else words_raw_char(w, cp);
}

static void words_raw(words *w, const char *s, size_t n) {
  pol_buf_append(w->out, s, n);
}

/* Text from an unquoted $ expansion: split like literal characters, each
** invalid byte becoming U+FFFD as Go's range-over-string does. */
static void words_string(words *w, const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    i += pol_utf8_decode(s + i, n - i, &cp);
    words_char(w, cp == PUTF8_INVALID ? REPLACEMENT_CHAR : (int32_t)cp);
  }
}

/* ---- the lexer ---- */

typedef struct lexer {
  const char *in;
  size_t len;
  size_t pos;
  int32_t esc;
  bool raw_quotes, raw_escapes, skip_unset, skip_quotes;
  const df_shlex_env *env;
  pol_buf *stack;  /* results of the open levels, innermost last */
  pol_buf reason;  /* error text, without the "failed to process" prefix */
  unsigned depth;  /* open ${...} levels */
  size_t base;     /* stack length before this call's result */
  size_t words_base; /* the same for ProcessWords' output */
  name_set matched, unmatched;
} lexer;

static int32_t lx_peek_w(const lexer *lx, size_t *w) {
  if (lx->pos >= lx->len) {
    *w = 0;
    return SH_EOF;
  }
  unsigned char c = (unsigned char)lx->in[lx->pos];
  if (c < 0x80) {
    *w = 1;
    return c;
  }
  uint32_t cp;
  *w = pol_utf8_decode(lx->in + lx->pos, lx->len - lx->pos, &cp);
  return cp == PUTF8_INVALID ? REPLACEMENT_CHAR : (int32_t)cp;
}

static int32_t lx_peek(const lexer *lx) {
  size_t w;
  return lx_peek_w(lx, &w);
}

static int32_t lx_next(lexer *lx) {
  size_t w;
  int32_t c = lx_peek_w(lx, &w);
  lx->pos += w;
  return c;
}

/* UTF-8 of a code point read by the lexer (SH_EOF as U+FFFD, as Go's
** string(rune(-1))) into d[0..4); returns the length. */
static size_t rune_bytes(int32_t cp, char *d) {
  uint32_t c = cp < 0 ? REPLACEMENT_CHAR : (uint32_t)cp;
  if (c < 0x80) {
    d[0] = (char)c;
    return 1;
  }
  if (c < 0x800) {
    d[0] = (char)(0xC0 | (c >> 6));
    d[1] = (char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    d[0] = (char)(0xE0 | (c >> 12));
    d[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    d[2] = (char)(0x80 | (c & 0x3F));
    return 3;
  }
  d[0] = (char)(0xF0 | (c >> 18));
  d[1] = (char)(0x80 | ((c >> 12) & 0x3F));
  d[2] = (char)(0x80 | ((c >> 6) & 0x3F));
  d[3] = (char)(0x80 | (c & 0x3F));
  return 4;
}

static void put_rune(pol_buf *b, int32_t cp) {
  if (cp >= 0 && cp < 0x80) { /* ASCII: the inline one-byte append */
    pol_buf_putc(b, (char)cp);
    return;
  }
  char d[4];
  pol_buf_append(b, d, rune_bytes(cp, d));
}

static void truncate_to(pol_buf *b, size_t len) {
  if (b->oom) return;
  b->len = len;
  if (b->data) b->data[len] = '\0';
}

static int fail(lexer *lx, const char *msg) {
  pol_buf_clear(&lx->reason);
  pol_buf_puts(&lx->reason, msg);
  return SHLEX_ERR_SYNTAX;
}

static int unsupported_modifier(lexer *lx, const char *chs, size_t n) {
  pol_buf_clear(&lx->reason);
  pol_buf_puts(&lx->reason, "unsupported modifier (");
  pol_buf_append(&lx->reason, chs, n);
  pol_buf_puts(&lx->reason, ") in substitution");
  return SHLEX_ERR_SYNTAX;
}

/* The stack's text from `from` on (never a null pointer). */
static const char *stack_at(const lexer *lx, size_t from) {
  return lx->stack->data ? lx->stack->data + from : "";
}

static int too_long(lexer *lx) {
  pol_buf_clear(&lx->reason);
  pol_buf_printf(&lx->reason, "the expansion is longer than %zu bytes (a fixed limit)",
              SHLEX_MAX_LEN);
  return SHLEX_ERR_SYNTAX;
}

/* After appending to the stack: out of memory, or over the length limit
** (every append adds at most one value, so it overshoots by at most one
** SHLEX_MAX_LEN). */
static int check_mem(lexer *lx) {
  if (lx->stack->oom) return SHLEX_ERR_NOMEM;
  return lx->stack->len - lx->base > SHLEX_MAX_LEN ? too_long(lx) : SHLEX_OK;
}

/* Looks a name up and records it as matched or unmatched. */
static bool get_env(lexer *lx, const char *name, size_t n, const char **val,
                    size_t *vlen) {
  bool found = lx->env && lx->env->lookup &&
               lx->env->lookup(name, n, val, vlen, lx->env->user_data);
  if (!found || *val == NULL) {
    *val = "";
    *vlen = 0;
  }
  ns_add(found ? &lx->matched : &lx->unmatched, name, n, SIZE_MAX);
  return found;
}

/* Reads a parameter name: a run of digits (positional), one special
** character, or a run of letters, digits and '_'. Empty when none. */
static void read_name(lexer *lx, const char **name, size_t *n) {
  size_t start = lx->pos, w;
  int32_t c = lx_peek_w(lx, &w);
  *name = lx->in + start;
  if (c != SH_EOF && pol_utf8_is_digit((uint32_t)c)) {
    while ((c = lx_peek_w(lx, &w)) != SH_EOF && pol_utf8_is_digit((uint32_t)c))
      lx->pos += w;
  } else if (c > 0 && c < 0x80 && strchr("@*#?-$!0", c)) {
    lx->pos += w;
  } else {
    while ((c = lx_peek_w(lx, &w)) != SH_EOF &&
           (c == '_' || pol_utf8_is_letter((uint32_t)c) ||
            pol_utf8_is_digit((uint32_t)c)))
      lx->pos += w;
  }
  *n = lx->pos - start;
}

static int stop_on(lexer *lx, int32_t stop, bool raw_escapes, words *w);

/* ---- patterns ---- */

enum { TK_LIT, TK_ANY, TK_STAR };

typedef struct ptok {
  uint32_t kind;
  uint32_t cp;
} ptok;

typedef struct pattern {
  ptok *t;
  size_t n;
  bool greedy;
} pattern;

/* Decodes a code point of s at *i (text/scanner style) and advances. */
static int32_t str_next(const char *s, size_t len, size_t *i) {
  if (*i >= len) return SH_EOF;
  uint32_t cp;
  *i += pol_utf8_decode(s + *i, len - *i, &cp);
  return cp == PUTF8_INVALID ? REPLACEMENT_CHAR : (int32_t)cp;
}

static int32_t str_peek(const char *s, size_t len, size_t i) {
  return str_next(s, len, &i);
}

/* Compiles a shell pattern: `*` any run of non-newline characters, `?` one
** such character, `\*` `\?` `\\` literals, `\` before `}` or `/` dropped,
** any other `\x` an error; everything else literal. Consecutive stars
** collapse into one (same matches). Returns SHLEX_OK, or SYNTAX with the
** reason in *why, or NOMEM. */
static int pattern_compile(pattern *p, const char *s, size_t len, bool greedy,
                           pol_buf *why) {
  p->n = 0;
  p->greedy = greedy;
  p->t = pol_malloc((len + 1) * sizeof *p->t);
  if (p->t == NULL) return SHLEX_ERR_NOMEM;
  size_t i = 0;
  if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) i = 3;
  for (int32_t c; (c = str_next(s, len, &i)) != SH_EOF;) {
    if (c == '*') {
      if (p->n == 0 || p->t[p->n - 1].kind != TK_STAR)
        p->t[p->n++] = (ptok){TK_STAR, 0};
      continue;
    }
    if (c == '?') {
      p->t[p->n++] = (ptok){TK_ANY, 0};
      continue;
    }
    if (c == '\\') {
      int32_t nx = str_peek(s, len, i);
      if (nx == '}' || nx == '/') continue;
      c = str_next(s, len, &i);
      if (c != '*' && c != '?' && c != '\\') {
        pol_buf_puts(why, "invalid escape '\\");
        put_rune(why, c);
        pol_buf_putc(why, '\'');
        return SHLEX_ERR_SYNTAX;
      }
    }
    p->t[p->n++] = (ptok){TK_LIT, (uint32_t)c};
  }
  return SHLEX_OK;
}

typedef struct thread {
  size_t state; /* index into the tokens; n is the match state */
  size_t start; /* byte offset where this thread's match began */
} thread;

typedef struct matcher {
  const pattern *p;
  thread *cur, *nxt;
  size_t ncur, nnxt;
  uint32_t *mark; /* generation a state was last added in */
  uint32_t gen;
  size_t *todo;   /* closure work list: state << 1 | emit-flag */
  uint64_t budget;
  uint64_t granted; /* budget at the start */
  uint64_t *shared; /* the document's budget, charged when done, or NULL */
} matcher;

static bool matcher_init(matcher *m, const pattern *p) {
  size_t states = p->n + 1;
  memset(m, 0, sizeof *m);
  m->p = p;
  m->cur = pol_malloc(states * sizeof *m->cur);
  m->nxt = pol_malloc(states * sizeof *m->nxt);
  m->mark = pol_calloc(states, sizeof *m->mark);
  m->todo = pol_malloc((2 * states + 1) * sizeof *m->todo);
  m->budget = SHLEX_MATCH_STEPS;
  return m->cur && m->nxt && m->mark && m->todo;
}

static void matcher_free(matcher *m) {
  if (m->shared) {
    uint64_t used = m->granted - m->budget;
    *m->shared = used < *m->shared ? *m->shared - used : 0;
  }
  pol_free(m->cur);
  pol_free(m->nxt);
  pol_free(m->mark);
  pol_free(m->todo);
}

static void new_generation(matcher *m) {
  if (++m->gen == 0) {
    memset(m->mark, 0, (m->p->n + 1) * sizeof *m->mark);
    m->gen = 1;
  }
}

/* Adds state s and its epsilon closure to the next list, in priority
** order: a greedy star prefers another character, a lazy one the rest. */
static void add_thread(matcher *m, size_t s, size_t start) {
  const pattern *p = m->p;
  size_t top = 0;
  m->todo[top++] = s << 1;
  while (top) {
    size_t item = m->todo[--top], k = item >> 1;
    if (item & 1) {
      m->nxt[m->nnxt++] = (thread){k, start};
      continue;
    }
    if (m->mark[k] == m->gen) continue;
    m->mark[k] = m->gen;
    if (k == p->n || p->t[k].kind != TK_STAR) {
      m->nxt[m->nnxt++] = (thread){k, start};
    } else if (p->greedy) {
      m->nxt[m->nnxt++] = (thread){k, start};
      m->todo[top++] = (k + 1) << 1;
    } else {
      m->todo[top++] = k << 1 | 1;
      m->todo[top++] = (k + 1) << 1;
    }
  }
}

static bool consumes(const ptok *t, uint32_t cp) {
  if (t->kind == TK_LIT) return t->cp == cp;
  return cp != '\n';
}

enum { FIND_NONE = 0, FIND_OK = 1, FIND_BUDGET = 2 };

/* Leftmost-first search for the pattern in v[from..n); `anchored` allows
** only a match starting at `from`. Sets the match's [*ms, *me). */
static int pattern_find(matcher *m, const char *v, size_t n, size_t from,
                        bool anchored, size_t *ms, size_t *me) {
  const pattern *p = m->p;
  bool found = false;
  m->nnxt = 0;
  new_generation(m);
  add_thread(m, 0, from);
  for (size_t pos = from;;) {
    thread *t = m->nxt;
    m->nxt = m->cur;
    m->cur = t;
    m->ncur = m->nnxt;
    m->nnxt = 0;
    new_generation(m);
    if (m->ncur == 0) break;
    uint32_t cp = 0;
    size_t w = 0;
    if (pos < n) {
      w = pol_utf8_decode(v + pos, n - pos, &cp);
      if (cp == PUTF8_INVALID) cp = REPLACEMENT_CHAR;
    }
    if (m->budget < m->ncur) return FIND_BUDGET;
    m->budget -= m->ncur;
    for (size_t i = 0; i < m->ncur; i++) {
      size_t k = m->cur[i].state;
      if (k == p->n) {
        found = true;
        *ms = m->cur[i].start;
        *me = pos;
        break; /* lower-priority threads lose */
      }
      if (pos < n && consumes(&p->t[k], cp))
        add_thread(m, p->t[k].kind == TK_STAR ? k : k + 1, m->cur[i].start);
    }
    if (pos >= n) break;
    pos += w;
    if (!found && !anchored) add_thread(m, 0, pos);
  }
  return found ? FIND_OK : FIND_NONE;
}

/* ---- pattern operators ---- */

/* Copies s with each invalid byte replaced by U+FFFD. */
static void put_valid(pol_buf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    size_t w = pol_utf8_decode(s + i, n - i, &cp);
    if (cp == PUTF8_INVALID) pol_buf_put_utf8(b, REPLACEMENT_CHAR);
    else pol_buf_append(b, s + i, w);
    i += w;
  }
}

/* Reverses the code points of s (made valid first). With `pairs`, a
** backslash and the code point after it move as one unit, as upstream's
** pattern reversal does. */
static void put_reversed(pol_buf *b, const char *s, size_t n, bool pairs) {
  pol_buf v = POL_BUF_INIT;
  put_valid(&v, s, n);
  size_t base = b->len;
  if (!v.oom && pol_buf_reserve(b, v.len)) {
    size_t i = 0;
    while (i < v.len) {
      uint32_t cp;
      size_t u = pol_utf8_decode(v.data + i, v.len - i, &cp);
      if (pairs && cp == '\\' && i + u < v.len)
        u += pol_utf8_decode(v.data + i + u, v.len - i - u, &cp);
      memcpy(b->data + base + v.len - i - u, v.data + i, u);
      i += u;
    }
    b->len = base + v.len;
    b->data[b->len] = '\0';
  } else {
    b->oom = true;
  }
  pol_buf_free(&v);
}

static int bad_pattern(lexer *lx, const char *pat, size_t plen,
                       const pol_buf *why) {
  pol_buf_clear(&lx->reason);
  pol_buf_puts(&lx->reason, "invalid pattern (");
  pol_buf_append(&lx->reason, pat, plen);
  pol_buf_puts(&lx->reason, ") in substitution: ");
  pol_buf_append(&lx->reason, why->data ? why->data : "", why->len);
  return SHLEX_ERR_SYNTAX;
}

/* Compiles pat into p and prepares a matcher; on failure sets the reason. */
static int prepare(lexer *lx, pattern *p, matcher *m, const char *pat,
                   size_t plen, bool greedy) {
  pol_buf why = POL_BUF_INIT;
  memset(m, 0, sizeof *m);
  int rc = pattern_compile(p, pat, plen, greedy, &why);
  if (rc == SHLEX_ERR_SYNTAX) rc = why.oom ? SHLEX_ERR_NOMEM
                                           : bad_pattern(lx, pat, plen, &why);
  else if (rc == SHLEX_OK && !matcher_init(m, p)) rc = SHLEX_ERR_NOMEM;
  if (rc == SHLEX_OK && lx->env && lx->env->budget) {
    m->shared = lx->env->budget;
    if (*m->shared < m->budget) m->budget = *m->shared;
  }
  m->granted = m->budget;
  pol_buf_free(&why);
  return rc;
}

static int budget_exceeded(lexer *lx, const matcher *m, const char *pat,
                           size_t plen) {
  pol_buf_clear(&lx->reason);
  pol_buf_puts(&lx->reason, "pattern (");
  pol_buf_append(&lx->reason, pat, plen);
  if (m->granted < SHLEX_MATCH_STEPS) /* the document's budget ran out */
    pol_buf_printf(&lx->reason, ") in substitution: pattern matching in this file needs more "
                "than %llu steps (a fixed limit per file)",
                (unsigned long long)SHLEX_DOC_MATCH_STEPS);
  else
    pol_buf_printf(&lx->reason, ") in substitution: matching needs more than %llu steps "
                "(a fixed limit per substitution)", (unsigned long long)SHLEX_MATCH_STEPS);
  return SHLEX_ERR_SYNTAX;
}

/* ${N#p} / ${N##p}: appends value minus its matched prefix to *out. */
static int trim_prefix(lexer *lx, const char *pat, size_t plen,
                       const char *val, size_t vlen, bool greedy,
                       pol_buf *out) {
  pattern p = {0};
  matcher m;
  int rc = prepare(lx, &p, &m, pat, plen, greedy);
  if (rc == SHLEX_OK) {
    size_t ms = 0, me = 0;
    int f = pattern_find(&m, val, vlen, 0, true, &ms, &me);
    if (f == FIND_BUDGET) rc = budget_exceeded(lx, &m, pat, plen);
    else pol_buf_append(out, val + (f == FIND_OK ? me : 0),
                     vlen - (f == FIND_OK ? me : 0));
  }
  matcher_free(&m);
  pol_free(p.t);
  return rc;
}

/* ${N%p} / ${N%%p}: upstream reverses pattern and value, trims a prefix
** and reverses back, so invalid bytes come out as U+FFFD. */
static int trim_suffix(lexer *lx, const char *pat, size_t plen,
                       const char *val, size_t vlen, bool greedy,
                       pol_buf *out) {
  pol_buf rp = POL_BUF_INIT, rv = POL_BUF_INIT, tail = POL_BUF_INIT;
  put_reversed(&rp, pat, plen, true);
  put_reversed(&rv, val, vlen, false);
  int rc = SHLEX_ERR_NOMEM;
  if (!rp.oom && !rv.oom) {
    rc = trim_prefix(lx, rp.data ? rp.data : "", rp.len,
                     rv.data ? rv.data : "", rv.len, greedy, &tail);
    if (rc == SHLEX_OK && !tail.oom)
      put_reversed(out, tail.data ? tail.data : "", tail.len, false);
    else if (rc == SHLEX_OK)
      rc = SHLEX_ERR_NOMEM;
  }
  pol_buf_free(&rp);
  pol_buf_free(&rv);
  pol_buf_free(&tail);
  return rc;
}

/* Go's Regexp.Expand over a template for a pattern without groups: $$ is
** $, $0 / ${0} the match, other well-formed references empty, malformed
** ones a literal $. */
static void expand_template(pol_buf *out, const char *t, size_t tn,
                            const char *match, size_t mlen) {
  size_t i = 0;
  while (i < tn) {
    const char *d = memchr(t + i, '$', tn - i);
    if (d == NULL) break;
    pol_buf_append(out, t + i, (size_t)(d - (t + i)));
    i = (size_t)(d - t) + 1;
    if (i < tn && t[i] == '$') {
      pol_buf_putc(out, '$');
      i++;
      continue;
    }
    bool brace = i < tn && t[i] == '{';
    size_t j = i + brace, k = j;
    while (k < tn) {
      uint32_t cp;
      size_t w = pol_utf8_decode(t + k, tn - k, &cp);
      if (cp != '_' && !pol_utf8_is_letter(cp) && !pol_utf8_is_digit(cp)) break;
      k += w;
    }
    if (k == j || (brace && (k >= tn || t[k] != '}'))) {
      pol_buf_putc(out, '$');
      continue;
    }
    long num = 0;
    for (size_t x = j; x < k; x++) {
      if (t[x] < '0' || t[x] > '9' || num >= 100000000) {
        num = -1;
        break;
      }
      num = num * 10 + (t[x] - '0');
    }
    if (t[j] == '0' && k - j > 1) num = -1;
    if (num == 0) pol_buf_append(out, match, mlen);
    i = k + brace;
  }
  pol_buf_append(out, t + i, tn - i);
}

/* ${N/p/r} and ${N//p/r}: the first replacement is literal; replacing
** all goes through Go's ReplaceAllString, template expansion included. */
static int replace(lexer *lx, const char *pat, size_t plen, const char *rep,
                   size_t rlen, const char *val, size_t vlen, bool all,
                   pol_buf *out) {
  pattern p = {0};
  matcher m;
  int rc = prepare(lx, &p, &m, pat, plen, true);
  size_t last = 0, search = 0, ms = 0, me = 0;
  while (rc == SHLEX_OK && search <= vlen) {
    int f = pattern_find(&m, val, vlen, search, false, &ms, &me);
    if (f == FIND_BUDGET) rc = budget_exceeded(lx, &m, pat, plen);
    if (f != FIND_OK) break;
    pol_buf_append(out, val + last, ms - last);
    if (!all) {
      pol_buf_append(out, rep, rlen);
      last = me;
      break;
    }
    if (me > last || ms == 0) expand_template(out, rep, rlen, val + ms, me - ms);
    if (out->len > SHLEX_MAX_LEN) { /* ${A//x/$A}: len(A) squared */
      rc = too_long(lx);
      break;
    }
    last = me;
    size_t w = 0;
    if (search < vlen) {
      uint32_t cp;
      w = pol_utf8_decode(val + search, vlen - search, &cp);
    }
    if (search + w > me) search += w;
    else if (search + 1 > me) search++;
    else search = me;
  }
  if (rc == SHLEX_OK) pol_buf_append(out, val + last, vlen - last);
  matcher_free(&m);
  pol_free(p.t);
  return rc;
}

/* ---- ${...} ---- */

/* Replaces the stack from `from` on with the contents of tmp. */
static int replace_tail(lexer *lx, size_t from, pol_buf *tmp) {
  int rc = tmp->oom ? SHLEX_ERR_NOMEM : SHLEX_OK;
  if (rc == SHLEX_OK) {
    truncate_to(lx->stack, from);
    pol_buf_append(lx->stack, tmp->data ? tmp->data : "", tmp->len);
  }
  pol_buf_free(tmp);
  return rc == SHLEX_OK ? check_mem(lx) : rc;
}

/* SKIP_UNSET: the stack holds `body` from `from`; rewrite it as
** "${" name mid body "}". */
static int keep_unset(lexer *lx, size_t from, const char *name, size_t n,
                      const char *mid, size_t midlen) {
  pol_buf tmp = POL_BUF_INIT;
  pol_buf_puts(&tmp, "${");
  pol_buf_append(&tmp, name, n);
  pol_buf_append(&tmp, mid, midlen);
  pol_buf_append(&tmp, stack_at(lx, from), lx->stack->len - from);
  pol_buf_putc(&tmp, '}');
  return replace_tail(lx, from, &tmp);
}

/* Reads a word up to `stop` for an operator; upstream reports any failure
** that leaves the input exhausted as the missing terminator. */
static int operand(lexer *lx, int32_t stop, bool raw, const char *missing) {
  int rc = stop_on(lx, stop, raw, NULL);
  if (rc == SHLEX_ERR_SYNTAX && lx_peek(lx) == SH_EOF) return fail(lx, missing);
  return rc;
}

static int question(lexer *lx, const char *name, size_t n, bool found,
                    bool null_is_unset, const char *val, size_t vlen,
                    size_t from) {
  const char *word = stack_at(lx, from);
  size_t wlen = lx->stack->len - from;
  const char *why = NULL;
  if (!found) why = "is not allowed to be unset";
  else if (null_is_unset && vlen == 0) why = "is not allowed to be empty";
  if (why == NULL) {
    truncate_to(lx->stack, from);
    pol_buf_append(lx->stack, val, vlen);
    return check_mem(lx);
  }
  pol_buf_clear(&lx->reason);
  pol_buf_append(&lx->reason, name, n);
  pol_buf_puts(&lx->reason, ": ");
  if (wlen) pol_buf_append(&lx->reason, word, wlen);
  else pol_buf_puts(&lx->reason, why);
  return SHLEX_ERR_SYNTAX;
}

static int trim(lexer *lx, int32_t op, const char *val, size_t vlen,
                size_t from) {
  const char *word = stack_at(lx, from);
  size_t wlen = lx->stack->len - from;
  bool greedy = wlen > 0 && word[0] == (char)op;
  if (greedy) {
    word++;
    wlen--;
  }
  pol_buf tmp = POL_BUF_INIT;
  int rc = op == '%' ? trim_suffix(lx, word, wlen, val, vlen, greedy, &tmp)
                     : trim_prefix(lx, word, wlen, val, vlen, greedy, &tmp);
  if (rc != SHLEX_OK) {
    pol_buf_free(&tmp);
    return rc;
  }
  return replace_tail(lx, from, &tmp);
}

/* ${N<op>word} for the ops - + ? # % with or without ':' (ch is the
** character read after the name). */
static int modifier(lexer *lx, const char *name, size_t n, int32_t ch) {
  char chbuf[8]; /* the operator as written: one or two code points */
  size_t chlen = rune_bytes(ch, chbuf);
  bool null_is_unset = ch == ':';
  if (null_is_unset) {
    ch = lx_next(lx);
    chlen += rune_bytes(ch, chbuf + chlen);
  }
  bool raw = ch == '#' || ch == '%';
  if (null_is_unset && raw) return unsupported_modifier(lx, chbuf, chlen);
  size_t from = lx->stack->len;
  int rc = operand(lx, '}', raw, "syntax error: missing '}'");
  if (rc != SHLEX_OK) return rc;
  if ((rc = check_mem(lx)) != SHLEX_OK) return rc;
  const char *val;
  size_t vlen;
  bool found = get_env(lx, name, n, &val, &vlen);
  if (lx->skip_unset && !found)
    return keep_unset(lx, from, name, n, chbuf, chlen);
  bool empty = !found || (null_is_unset && vlen == 0);
  switch (ch) {
  case '-':
    if (!empty) {
      truncate_to(lx->stack, from);
      pol_buf_append(lx->stack, val, vlen);
    }
    return check_mem(lx);
  case '+':
    if (empty) truncate_to(lx->stack, from);
    return SHLEX_OK;
  case '?':
    return question(lx, name, n, found, null_is_unset, val, vlen, from);
  case '#':
  case '%':
    return trim(lx, ch, val, vlen, from);
  default:
    return unsupported_modifier(lx, chbuf, chlen);
  }
}

/* ${N/p/r} and ${N//p/r}, after the first '/'. */
static int substitute(lexer *lx, const char *name, size_t n) {
  bool all = lx_peek(lx) == '/';
  if (all) lx_next(lx);
  size_t from = lx->stack->len;
  int rc = operand(lx, '/', true, "syntax error: missing '/' in ${}");
  if (rc != SHLEX_OK) return rc;
  size_t rfrom = lx->stack->len;
  rc = operand(lx, '}', true, "syntax error: missing '}'");
  if (rc == SHLEX_OK) rc = check_mem(lx);
  if (rc != SHLEX_OK) return rc;
  const char *val;
  size_t vlen;
  bool found = get_env(lx, name, n, &val, &vlen);
  if (lx->skip_unset && !found) {
    /* upstream prints "${N/p/r}" even for //; the '/' between p and r
    ** was consumed, so put it back in the body */
    pol_buf body = POL_BUF_INIT;
    pol_buf_append(&body, stack_at(lx, from), rfrom - from);
    pol_buf_putc(&body, '/');
    pol_buf_append(&body, stack_at(lx, rfrom), lx->stack->len - rfrom);
    rc = replace_tail(lx, from, &body);
    return rc == SHLEX_OK ? keep_unset(lx, from, name, n, "/", 1) : rc;
  }
  pol_buf tmp = POL_BUF_INIT;
  rc = replace(lx, stack_at(lx, from), rfrom - from, stack_at(lx, rfrom),
               lx->stack->len - rfrom, val, vlen, all, &tmp);
  if (rc != SHLEX_OK) {
    pol_buf_free(&tmp);
    return rc;
  }
  return replace_tail(lx, from, &tmp);
}

static int braced(lexer *lx) {
  lx_next(lx); /* '{' */
  int32_t c = lx_peek(lx);
  if (c == SH_EOF) return fail(lx, "syntax error: missing '}'");
  if (c == '{' || c == '}' || c == ':')
    return fail(lx, "syntax error: bad substitution");
  const char *name;
  size_t n;
  read_name(lx, &name, &n);
  int32_t ch = lx_next(lx);
  switch (ch) {
  case '}': {
    const char *val;
    size_t vlen;
    if (get_env(lx, name, n, &val, &vlen) || !lx->skip_unset) {
      pol_buf_append(lx->stack, val, vlen);
    } else {
      pol_buf_puts(lx->stack, "${");
      pol_buf_append(lx->stack, name, n);
      pol_buf_putc(lx->stack, '}');
    }
    return check_mem(lx);
  }
  case ':': case '+': case '-': case '?': case '#': case '%':
    return modifier(lx, name, n, ch);
  case '/':
    return substitute(lx, name, n);
  default: {
    char chs[4];
    return unsupported_modifier(lx, chs, rune_bytes(ch, chs));
  }
  }
}

/* At '$': appends the expansion to the stack. */
static int dollar(lexer *lx) {
  lx_next(lx);
  if (lx_peek(lx) != '{') {
    const char *name, *val;
    size_t n, vlen;
    read_name(lx, &name, &n);
    if (n == 0) {
      pol_buf_putc(lx->stack, '$');
    } else if (get_env(lx, name, n, &val, &vlen) || !lx->skip_unset) {
      pol_buf_append(lx->stack, val, vlen);
    } else {
      pol_buf_putc(lx->stack, '$');
      pol_buf_append(lx->stack, name, n);
    }
    return check_mem(lx);
  }
  if (lx->depth >= SHLEX_MAX_DEPTH) {
    pol_buf_clear(&lx->reason);
    pol_buf_printf(&lx->reason, "syntax error: ${} nested more than %d levels (a fixed limit)",
                SHLEX_MAX_DEPTH);
    return SHLEX_ERR_SYNTAX;
  }
  lx->depth++;
  int rc = braced(lx);
  lx->depth--;
  return rc;
}

static int single_quote(lexer *lx) {
  int32_t c = lx_next(lx);
  if (lx->raw_quotes) put_rune(lx->stack, c);
  for (;;) {
    c = lx_next(lx);
    if (c == SH_EOF)
      return fail(lx, "unexpected end of statement while looking for "
                      "matching single-quote");
    if (c == '\'') {
      if (lx->raw_quotes) put_rune(lx->stack, c);
      return check_mem(lx);
    }
    put_rune(lx->stack, c);
  }
}

static int double_quote(lexer *lx) {
  int32_t c = lx_next(lx);
  if (lx->raw_quotes) put_rune(lx->stack, c);
  for (;;) {
    c = lx_peek(lx);
    if (c == SH_EOF)
      return fail(lx, "unexpected end of statement while looking for "
                      "matching double-quote");
    if (c == '"') {
      lx_next(lx);
      if (lx->raw_quotes) put_rune(lx->stack, c);
      return check_mem(lx);
    }
    if (c == '$') {
      int rc = dollar(lx);
      if (rc != SHLEX_OK) return rc;
      continue;
    }
    c = lx_next(lx);
    if (c == lx->esc) {
      if (lx->raw_escapes) put_rune(lx->stack, c);
      int32_t nx = lx_peek(lx);
      if (nx == SH_EOF) continue;
      if (nx == '"' || nx == '$' || nx == lx->esc) c = lx_next(lx);
    }
    put_rune(lx->stack, c);
  }
}

/* At '<': "<<" and the blanks right after it form one piece, so that in
** ProcessWords they stay glued to the heredoc word that follows. */
static int heredoc_op(lexer *lx) {
  lx_next(lx);
  pol_buf_putc(lx->stack, '<');
  if (lx_peek(lx) == '<') {
    lx_next(lx);
    pol_buf_putc(lx->stack, '<');
    for (int32_t c; (c = lx_peek(lx)) == ' ' || c == '\t' || c == '\r';) {
      lx_next(lx);
      pol_buf_putc(lx->stack, (char)c);
    }
  }
  return check_mem(lx);
}

static bool is_special(const lexer *lx, int32_t c) {
  if (c == '$' || c == '<') return true;
  return !lx->skip_quotes && (c == '\'' || c == '"');
}

static int special(lexer *lx, int32_t c) {
  switch (c) {
  case '$': return dollar(lx);
  case '<': return heredoc_op(lx);
  case '\'': return single_quote(lx);
  default: return double_quote(lx);
  }
}

/* Processes input up to `stop` (consumed; SH_EOF: the end) and appends the
** result to the stack, or, when w is set (top level of ProcessWords),
** feeds it to the word splitter instead. */
static int stop_on_body(lexer *lx, int32_t stop, words *w) {
  for (int32_t c; (c = lx_peek(lx)) != SH_EOF;) {
    if (stop != SH_EOF && c == stop) {
      lx_next(lx);
      return SHLEX_OK;
    }
    if (is_special(lx, c)) {
      size_t mark = lx->stack->len;
      int rc = special(lx, c);
      if (rc != SHLEX_OK) return rc;
      if (w) {
        const char *s = stack_at(lx, mark);
        size_t n = lx->stack->len - mark;
        if (c == '$') words_string(w, s, n);
        else words_raw(w, s, n);
        truncate_to(lx->stack, mark);
        if (w->out->len - lx->words_base > SHLEX_MAX_LEN) return too_long(lx);
      }
      continue;
    }
    c = lx_next(lx);
    if (c == lx->esc) {
      if (lx->raw_escapes) {
        if (w) words_raw_char(w, c);
        else put_rune(lx->stack, c);
      }
      c = lx_next(lx);
      if (c == SH_EOF) break;
      if (w) words_raw_char(w, c);
    } else if (w) {
      words_char(w, c);
    }
    if (!w) put_rune(lx->stack, c);
  }
  if (stop != SH_EOF) {
    pol_buf_clear(&lx->reason);
    pol_buf_puts(&lx->reason,
              "unexpected end of statement while looking for matching ");
    put_rune(&lx->reason, stop);
    return SHLEX_ERR_SYNTAX;
  }
  return check_mem(lx);
}

static int stop_on(lexer *lx, int32_t stop, bool raw_escapes, words *w) {
  bool saved = lx->raw_escapes;
  lx->raw_escapes = raw_escapes;
  int rc = stop_on_body(lx, stop, w);
  lx->raw_escapes = saved;
  return rc;
}

/* ---- entry points ---- */

void df_shlex_go_quote(pol_buf *out, const char *s, size_t len) {
  static const char hex[] = "0123456789abcdef";
  pol_buf_putc(out, '"');
  for (size_t i = 0; i < len;) {
    uint32_t r;
    size_t w = pol_utf8_decode(s + i, len - i, &r);
    unsigned char b = (unsigned char)s[i];
    i += w;
    if (r == PUTF8_INVALID || r < 0x20 || r == 0x7F) {
      const char *e = NULL;
      switch (r) {
      case '\a': e = "\\a"; break;
      case '\b': e = "\\b"; break;
      case '\f': e = "\\f"; break;
      case '\n': e = "\\n"; break;
      case '\r': e = "\\r"; break;
      case '\t': e = "\\t"; break;
      case '\v': e = "\\v"; break;
      }
      if (e) {
        pol_buf_puts(out, e);
      } else {
        char x[4] = {'\\', 'x', hex[b >> 4], hex[b & 15]};
        pol_buf_append(out, x, 4);
      }
    } else if (r == '"' || r == '\\') {
      pol_buf_putc(out, '\\');
      pol_buf_putc(out, (char)r);
    } else if (pol_utf8_is_print(r)) {
      pol_buf_append(out, s + i - w, w);
    } else if (r < 0x10000) {
      pol_buf_printf(out, "\\u%04x", (unsigned)r);
    } else {
      pol_buf_printf(out, "\\U%08x", (unsigned)r);
    }
  }
  pol_buf_putc(out, '"');
}

static int run(const char *in, size_t len, char escape, unsigned flags,
               const df_shlex_env *env, pol_buf *stack, words *w, pol_buf *err,
               df_shlex_names *names) {
  lexer lx;
  memset(&lx, 0, sizeof lx);
  lx.in = in ? in : "";
  lx.len = in ? len : 0;
  if (lx.len >= 3 && memcmp(lx.in, "\xEF\xBB\xBF", 3) == 0) lx.pos = 3;
  lx.esc = (unsigned char)escape;
  lx.raw_quotes = flags & SHLEX_RAW_QUOTES;
  lx.skip_unset = flags & SHLEX_SKIP_UNSET;
  lx.skip_quotes = flags & SHLEX_SKIP_QUOTES;
  lx.env = env;
  lx.stack = stack;
  lx.base = stack->len;
  lx.words_base = w ? w->out->len : 0;
  ns_init(&lx.matched, names ? names->matched : NULL);
  ns_init(&lx.unmatched, names ? names->unmatched : NULL);

  int rc = stop_on(&lx, SH_EOF, flags & SHLEX_RAW_ESCAPES, w);
  if (rc == SHLEX_OK && w) words_push(w);
  if (rc == SHLEX_OK && ((w && w->out->oom) ||
                         (lx.matched.b && lx.matched.b->oom) ||
                         (lx.unmatched.b && lx.unmatched.b->oom)))
    rc = SHLEX_ERR_NOMEM;
  if (rc == SHLEX_ERR_SYNTAX && lx.reason.oom) rc = SHLEX_ERR_NOMEM;
  if (rc == SHLEX_ERR_SYNTAX && err) {
    pol_buf_puts(err, "failed to process ");
    df_shlex_go_quote(err, lx.in, lx.len);
    pol_buf_puts(err, ": ");
    pol_buf_append(err, lx.reason.data ? lx.reason.data : "", lx.reason.len);
  }
  ns_finish(&lx.matched, rc != SHLEX_OK);
  ns_finish(&lx.unmatched, rc != SHLEX_OK);
  pol_buf_free(&lx.reason);
  return rc;
}

bool df_shlex_is_literal(const char *in, size_t len, char escape) {
  if (len > SHLEX_MAX_LEN) return false;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)in[i];
    /* is_special's characters, the escape token, and anything that is
    ** not ASCII (a BOM is skipped, invalid UTF-8 becomes U+FFFD) */
    if (c >= 0x80 || c == '$' || c == '<' || c == '\'' || c == '"' ||
        c == (unsigned char)escape)
      return false;
  }
  return true;
}

int df_shlex_process_word(const char *in, size_t len, char escape,
                       unsigned flags, const df_shlex_env *env, pol_buf *out,
                       pol_buf *err, df_shlex_names *names) {
  size_t orig = out->len;
  int rc = run(in, len, escape, flags, env, out, NULL, err, names);
  if (rc != SHLEX_OK) truncate_to(out, orig);
  return rc;
}

int df_shlex_process_words(const char *in, size_t len, char escape,
                        unsigned flags, const df_shlex_env *env, pol_buf *out,
                        size_t *count, pol_buf *err) {
  pol_buf stack = POL_BUF_INIT;
  words w = {out, out->len, 0};
  size_t orig = out->len;
  int rc = run(in, len, escape, flags, env, &stack, &w, err, NULL);
  if (rc == SHLEX_OK && stack.oom) rc = SHLEX_ERR_NOMEM;
  pol_buf_free(&stack);
  if (rc != SHLEX_OK) {
    truncate_to(out, orig);
    w.count = 0;
  }
  *count = w.count;
  return rc;
}
