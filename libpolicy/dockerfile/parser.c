/*
** parser.c: the Dockerfile syntax layer (see parser.h), byte-exact with
** BuildKit's parser.Parse.
**
** The file is read one physical line at a time (LF-terminated, at most
** max_line_len bytes of content). Leading parser directives are checked
** first; every other non-comment, non-blank line starts an instruction,
** which absorbs continuation lines into one joined logical line (the
** node's `original`). That line is split into keyword, flag words and
** arguments by the keyword's rule, and RUN/COPY/ADD in shell form then
** take heredoc bodies from the following lines.
**
** Every step is linear in the input: lines are found with memchr bounded
** by the line limit, joined lines grow in one buffer, ONBUILD nesting and
** JSON nesting are handled with loops, and positions come from a per-node
** anchor table with one anchor per joined piece plus one every
** ANCHOR_STRIDE bytes, so a lookup scans a bounded number of bytes.
*/
#include "parser.h"

#include <assert.h>
#include <limits.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/utf8.h"
#include "shlex.h"

#define DEFAULT_MAX_LINE 65535u
#define ANCHOR_STRIDE 64u
#define RUN_LOOKAHEAD 16u     /* anchors df_locate_run joins into a run */
#define JSON_MAX_DEPTH 10000u /* Go encoding/json's nesting limit */

/* Byte `off` of the joined line was written at (line, col). Anchors are
** sorted by off (ties: the later one wins); the bytes from one anchor to
** the next lie on one physical line and start at a code point boundary. */
typedef struct anchor {
  size_t off;
  uint32_t line;
  uint32_t col;
  bool ascii;  /* the bytes up to the next anchor (or the end) are all ASCII */
} anchor;

/* One physical line. `p` skips a BOM on line 1; `len` counts the '\n'. */
typedef struct line {
  const char *p;
  size_t len;
  size_t content; /* bytes before the trailing CR/LF run */
  uint32_t no;    /* 1-based */
} line;

typedef struct reader {
  const char *data;
  size_t len;
  size_t pos;
  size_t max;     /* content bytes allowed per line */
  bool too_long;  /* stopped at a line over the limit (sticky) */
  uint32_t count; /* lines read so far */
} reader;

/* A word found by the ENV/LABEL/ARG splitter: its text lives in the
** parser's `tmp` buffer at [text, text+len); its source is [src, src_end)
** of the joined line; eq_* locate the first '=' (SIZE_MAX: none). */
typedef struct pword {
  size_t text, len;
  size_t src, src_end;
  size_t eq_txt, eq_src;
} pword;

typedef struct span_ref {
  const char *p;
  size_t n;
} span_ref;

typedef struct wvec {
  df_word *v;
  size_t n, cap;
} wvec;

typedef struct parser {
  pol_arena *a;
  df_file *f;
  reader r;
  size_t max_nodes;
  char esc;
  bool dir_done;
  unsigned dir_seen;    /* bit per directive key */
  size_t nodes_cap, dirs_cap, warns_cap;
  pol_buf joined;       /* the logical line being built */
  anchor *anc;          /* its anchors (scratch) */
  size_t nanc, canc;
  span_ref *cm;         /* comments seen since the last instruction */
  size_t ncm, ccm;
  pword *pw;            /* split_words output (scratch) */
  size_t npw, cpw;
  pol_buf tmp, msg, shout, sherr;
} parser;

/* Position lookups over one node's anchors: a short walk from `hint` for
** nearby offsets, a binary search otherwise. */
typedef struct locator {
  const anchor *a;
  size_t n;
  size_t hint;
  const char *text;
  size_t len;
} locator;

/* The context of one logical line being split into a node. */
typedef struct ictx {
  parser *P;
  const char *t;
  locator L;
} ictx;

enum { KW_IGNORE, KW_LIST, KW_NAMES, KW_JSON, KW_ENV, KW_LABEL, KW_WORDS,
       KW_HEALTH, KW_STRING, KW_ONBUILD };

static const struct {
  const char *name;
  int kind;
} keywords[] = {
  {"add", KW_LIST},        {"arg", KW_NAMES},       {"cmd", KW_JSON},
  {"copy", KW_LIST},       {"entrypoint", KW_JSON}, {"env", KW_ENV},
  {"expose", KW_WORDS},    {"from", KW_WORDS},      {"healthcheck", KW_HEALTH},
  {"label", KW_LABEL},     {"maintainer", KW_STRING}, {"onbuild", KW_ONBUILD},
  {"run", KW_JSON},        {"shell", KW_JSON},      {"stopsignal", KW_STRING},
  {"user", KW_STRING},     {"volume", KW_LIST},     {"workdir", KW_STRING},
};

/* ---- character classes ------------------------------------------------ */

/* Go's unicode.IsSpace applied to a single byte taken as a rune. */
static bool byte_space(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0;
}

/* The keyword/word separator class [\t\v\f\r ]. */
static bool sep_space(char c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/* RE2's \s: [\t\n\f\r ]. */
static bool re_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static bool ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* pol_utf8_decode, without a call for an ASCII byte. */
static size_t decode(const char *s, size_t n, uint32_t *cp) {
  if (n > 0 && (unsigned char)s[0] < 0x80) {
    *cp = (unsigned char)s[0];
    return 1;
  }
  return pol_utf8_decode(s, n, cp);
}

/* pol_utf8_is_space, without a call for ASCII (PUTF8_INVALID: false). */
static bool uni_space(uint32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= '\t' && cp <= '\r');
  return cp != PUTF8_INVALID && pol_utf8_is_space(cp);
}

/* Bytes of Unicode white space at the start of s[0..n). */
static size_t lead_space(const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint32_t cp;
    size_t w = decode(s + i, n - i, &cp);
    if (!uni_space(cp)) break;
    i += w;
  }
  return i;
}

/* Narrows [*a, *b) of s by Unicode white space at both ends. */
static void trim_space(const char *s, size_t *a, size_t *b) {
  *a += lead_space(s + *a, *b - *a);
  while (*b > *a) {
    uint32_t cp = (unsigned char)s[*b - 1];
    size_t w = 1; /* an ASCII byte, else what ends there */
    if (cp >= 0x80) w = pol_utf8_decode_last(s + *a, *b - *a, &cp);
    if (!uni_space(cp)) break;
    *b -= w;
  }
}

/* ---- scratch vectors ---------------------------------------------------- */

/* Returns heap array v grown to hold `need` items (maybe moved), or NULL
** with v untouched. */
static void *grow(void *v, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return v;
  size_t nc = *cap ? *cap : 16;
  while (nc < need) {
    if (nc > SIZE_MAX / 2 / size) return NULL;
    nc *= 2;
  }
  void *p = pol_realloc(v, nc * size);
  if (p != NULL) *cap = nc;
  return p;
}

/* Returns arena array v with room for item n (maybe moved), or NULL. */
static void *arena_more(pol_arena *a, void *v, size_t n, size_t *cap,
                        size_t size) {
  void *items = v;
  return pol_arena_grow(a, &items, cap, n + 1, size) ? items : NULL;
}

/* ---- errors ------------------------------------------------------------- */

static int set_error(parser *P, const char *msg, size_t len, uint32_t l1,
                     uint32_t l2) {
  char *m = pol_arena_strndup(P->a, msg, len);
  if (m == NULL) return DF_ERR_NOMEM;
  P->f->error = m;
  P->f->error_span.start.line = l1;
  P->f->error_span.start.col = 1;
  P->f->error_span.end.line = l2;
  P->f->error_span.end.col = 1;
  return DF_ERR_SYNTAX;
}

/* The message built in P->msg, or out-of-memory. */
static int msg_error(parser *P, uint32_t l1, uint32_t l2) {
  if (P->msg.oom) return DF_ERR_NOMEM;
  return set_error(P, P->msg.data ? P->msg.data : "", P->msg.len, l1, l2);
}

/* ---- physical lines ----------------------------------------------------- */

static bool read_line(reader *r, line *l) {
  if (r->too_long || r->pos >= r->len) return false;
  const char *p = r->data + r->pos;
  size_t rem = r->len - r->pos;
  size_t scan = r->max < rem ? r->max + 1 : rem;
  const char *nl = memchr(p, '\n', scan);
  size_t n;
  if (nl != NULL) n = (size_t)(nl - p) + 1;
  else if (rem <= r->max) n = rem;
  else { r->too_long = true; return false; }
  r->pos += n;
  r->count++;
  size_t c = n;
  while (c > 0 && (p[c - 1] == '\n' || p[c - 1] == '\r')) c--;
  l->p = p;
  l->len = n;
  l->content = c;
  l->no = r->count;
  if (l->no == 1 && c >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
    l->p += 3;
    l->len -= 3;
    l->content -= 3;
  }
  return true;
}

static uint32_t line_end_col(const line *l) {
  return (uint32_t)pol_utf8_count(l->p, l->content) + 1;
}

/* The continuation rule `([^E])E[ \t]*$|^E[ \t]*$`: true when s[0..n)
** continues; *keep is the length left once the match is replaced by the
** captured character. */
static bool trim_continuation(const char *s, size_t n, char esc,
                              size_t *keep) {
  size_t p = n;
  while (p > 0 && (s[p - 1] == ' ' || s[p - 1] == '\t')) p--;
  *keep = n;
  if (p == 0 || s[p - 1] != esc) return false;
  if (p >= 2 && s[p - 2] == esc) return false;
  *keep = p - 1;
  return true;
}

/* ---- comments ----------------------------------------------------------- */

/* Records the comment of a raw line whose first non-blank byte is '#': the
** line without its first byte, trimmed (an empty one clears the list). */
static bool note_comment(parser *P, const line *l) {
  size_t a = 1, b = l->len;
  trim_space(l->p, &a, &b);
  if (a == b) { P->ncm = 0; return true; }
  span_ref *cm = grow(P->cm, &P->ccm, P->ncm + 1, sizeof *cm);
  if (cm == NULL) return false;
  P->cm = cm;
  P->cm[P->ncm].p = l->p + a;
  P->cm[P->ncm].n = b - a;
  P->ncm++;
  return true;
}

static bool attach_comments(parser *P, df_node *n) {
  if (P->ncm == 0) return true;
  const char **v = pol_arena_alloc(P->a, P->ncm * sizeof *v);
  if (v == NULL) return false;
  for (size_t i = 0; i < P->ncm; i++) {
    v[i] = pol_arena_strndup(P->a, P->cm[i].p, P->cm[i].n);
    if (v[i] == NULL) return false;
  }
  n->comments = v;
  n->ncomments = P->ncm;
  P->ncm = 0;
  return true;
}

/* ---- parser directives -------------------------------------------------- */

static const char *const directive_keys[] = {"syntax", "escape", "check"};

/* Go's strconv.ParseBool. */
static bool go_bool(const char *s, size_t n) {
  static const char *const ok[] = {"1", "t", "T", "TRUE", "true", "True",
                                   "0", "f", "F", "FALSE", "false", "False"};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
    if (strlen(ok[i]) == n && memcmp(ok[i], s, n) == 0) return true;
  return false;
}

/* Validates one `;`-separated part of a check directive; appends the
** error to P->msg and returns false when it is not valid. */
static bool check_part(parser *P, const char *p, size_t n) {
  const char *eq = memchr(p, '=', n);
  if (eq == NULL) {
    pol_buf_puts(&P->msg, "invalid check option ");
    df_shlex_go_quote(&P->msg, p, n);
    return false;
  }
  size_t ka = 0, kb = (size_t)(eq - p);
  size_t va = kb + 1, vb = n;
  trim_space(p, &ka, &kb);
  trim_space(p, &va, &vb);
  size_t kn = kb - ka;
  if ((kn == 4 && memcmp(p + ka, "skip", 4) == 0) ||
      (kn == 12 && memcmp(p + ka, "experimental", 12) == 0))
    return true;
  if (kn == 5 && memcmp(p + ka, "error", 5) == 0) {
    if (go_bool(p + va, vb - va)) return true;
    pol_buf_puts(&P->msg, "failed to parse check option ");
    df_shlex_go_quote(&P->msg, p, n);
    pol_buf_puts(&P->msg, ": strconv.ParseBool: parsing ");
    df_shlex_go_quote(&P->msg, p + va, vb - va);
    pol_buf_puts(&P->msg, ": invalid syntax");
    return false;
  }
  pol_buf_puts(&P->msg, "invalid check option ");
  df_shlex_go_quote(&P->msg, p + ka, kn);
  return false;
}

/* The check directive's value grammar: up to three ';'-separated parts
** (the third takes the rest), each skip=, error= or experimental=. */
static bool check_value(parser *P, const char *v, size_t n) {
  size_t a = 0, b = n;
  trim_space(v, &a, &b);
  if (a == b) return true;
  for (int part = 0;; part++) {
    const char *semi = part < 2 ? memchr(v + a, ';', b - a) : NULL;
    size_t end = semi ? (size_t)(semi - v) : b;
    if (!check_part(P, v + a, end - a)) return false;
    if (semi == NULL) return true;
    a = end + 1;
  }
}

/* Matches `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` on t[0..n): sets
** the key and value ranges. */
static bool match_directive(const char *t, size_t n, size_t *k0, size_t *k1,
                            size_t *v0, size_t *v1) {
  if (n == 0 || t[0] != '#') return false;
  size_t i = 1;
  while (i < n && re_space(t[i])) i++;
  if (i >= n || !ascii_alpha(t[i])) return false;
  *k0 = i;
  while (i < n && (ascii_alpha(t[i]) || (t[i] >= '0' && t[i] <= '9'))) i++;
  *k1 = i;
  while (i < n && re_space(t[i])) i++;
  if (i >= n || t[i] != '=') return false;
  i++;
  if (i == n) return false;
  size_t a = i, b = n;
  while (a < b && re_space(t[a])) a++;
  while (b > a && re_space(t[b - 1])) b--;
  if (a == b) a = n - 1, b = n; /* all blank: the lazy group takes the last */
  *v0 = a;
  *v1 = b;
  return true;
}

/* Tests one leading line for a directive. Returns DF_OK, or an error with
** *is_directive telling whether the line was consumed as one. */
static int directive_line(parser *P, const line *l, const char *t, size_t n,
                          bool *is_directive) {
  *is_directive = false;
  size_t k0, k1, v0, v1;
  if (!match_directive(t, n, &k0, &k1, &v0, &v1)) { P->dir_done = true; return DF_OK; }
  unsigned key = 0;
  for (; key < 3; key++) {
    const char *name = directive_keys[key];
    size_t kl = strlen(name), j = 0;
    if (kl != k1 - k0) continue;
    while (j < kl && ((unsigned char)t[k0 + j] | 0x20) == (unsigned char)name[j]) j++;
    if (j == kl) break;
  }
  if (key == 3) { P->dir_done = true; return DF_OK; }
  pol_buf_clear(&P->msg);
  if (P->dir_seen & (1u << key)) {
    pol_buf_printf(&P->msg, "only one %s parser directive can be used",
                directive_keys[key]);
    return msg_error(P, l->no, l->no);
  }
  P->dir_seen |= 1u << key;
  if (key == 1) {
    if (v1 - v0 != 1 || (t[v0] != '\\' && t[v0] != '`')) {
      pol_buf_puts(&P->msg, "invalid escape token '");
      pol_buf_append(&P->msg, t + v0, v1 - v0);
      pol_buf_puts(&P->msg, "' does not match ` or \\");
      return msg_error(P, l->no, l->no);
    }
    P->esc = t[v0];
  } else if (key == 2 && !check_value(P, t + v0, v1 - v0)) {
    return msg_error(P, l->no, l->no);
  }
  df_directive *d = arena_more(P->a, P->f->directives, P->f->ndirectives,
                              &P->dirs_cap, sizeof *d);
  if (d == NULL) return DF_ERR_NOMEM;
  P->f->directives = d;
  d += P->f->ndirectives++;
  d->name = directive_keys[key];
  d->value = pol_arena_strndup(P->a, t + v0, v1 - v0);
  if (d->value == NULL) return DF_ERR_NOMEM;
  d->span.start.line = d->span.end.line = l->no;
  d->span.start.col = (uint32_t)pol_utf8_count(l->p, (size_t)(t - l->p)) + 1;
  d->span.end.col = line_end_col(l);
  *is_directive = true;
  return DF_OK;
}

/* ---- positions ---------------------------------------------------------- */

static bool add_anchor(parser *P, size_t off, uint32_t line_no, uint32_t col) {
  anchor *anc = grow(P->anc, &P->canc, P->nanc + 1, sizeof *anc);
  if (anc == NULL) return false;
  P->anc = anc;
  P->anc[P->nanc].off = off;
  P->anc[P->nanc].line = line_no;
  P->anc[P->nanc].col = col;
  P->anc[P->nanc].ascii = false; /* set by mark_ascii */
  P->nanc++;
  return true;
}

/* Appends one physical line's share of the logical line; `first` pieces
** always get an anchor, so every node has at least one. */
static bool add_piece(parser *P, const char *s, size_t n, uint32_t line_no,
                      uint32_t col, bool first) {
  if (n == 0 && !first) return true;
  size_t base = P->joined.len;
  pol_buf_append(&P->joined, s, n);
  if (P->joined.oom || !add_anchor(P, base, line_no, col)) return false;
  size_t i = 0, next = ANCHOR_STRIDE;
  while (n > ANCHOR_STRIDE && i < n) {
    if (i >= next) {
      if (!add_anchor(P, base + i, line_no, col)) return false;
      next = i + ANCHOR_STRIDE;
    }
    /* ASCII up to the next anchor: one byte, one column */
    size_t k = pol_utf8_ascii_prefix(s + i, (next < n ? next : n) - i);
    if (k > 0) {
      i += k;
      col += (uint32_t)k;
      continue;
    }
    uint32_t cp;
    i += pol_utf8_decode(s + i, n - i, &cp);
    col++;
  }
  return true;
}

/* Sets each anchor's `ascii` over the joined line text[0..len). */
static void mark_ascii(anchor *a, size_t n, const char *text, size_t len) {
  for (size_t k = 0; k < n; k++) {
    size_t off = a[k].off, end = k + 1 < n ? a[k + 1].off : len;
    a[k].ascii = pol_utf8_ascii_prefix(text + off, end - off) == end - off;
  }
}

static size_t anchor_search(const anchor *a, size_t n, size_t off) {
  size_t lo = 0, hi = n;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (a[mid].off <= off) lo = mid;
    else hi = mid;
  }
  return lo;
}

/* The position of the code point containing byte `off`. */
static df_pos loc_at(locator *L, size_t off) {
  df_pos p = {0, 0};
  if (L->n == 0) return p;
  size_t h = L->hint;
  if (L->a[h].off > off || (h + 8 < L->n && L->a[h + 8].off <= off))
    h = anchor_search(L->a, L->n, off);
  else
    while (h + 1 < L->n && L->a[h + 1].off <= off) h++;
  L->hint = h;
  size_t i = L->a[h].off;
  size_t bound = h + 1 < L->n ? L->a[h + 1].off : L->len;
  p.line = L->a[h].line;
  p.col = L->a[h].col;
  if (L->a[h].ascii) { /* one column per byte */
    size_t stop = off < bound ? off : bound;
    if (stop > i) p.col += (uint32_t)(stop - i);
    return p;
  }
  while (i < off && i < bound) {
    if ((unsigned char)L->text[i] < 0x80) { i++; p.col++; continue; } /* ASCII */
    uint32_t cp;
    size_t w = pol_utf8_decode(L->text + i, bound - i, &cp);
    if (i + w > off) break;
    i += w;
    p.col++;
  }
  return p;
}

/* The span of source bytes [off, off+n): exclusive end just past the last
** code point; an empty range is a point. */
static df_span loc_span(locator *L, size_t off, size_t n) {
  df_span s;
  s.start = loc_at(L, off);
  if (n == 0) { s.end = s.start; return s; }
  s.end = loc_at(L, off + n - 1);
  s.end.col++;
  return s;
}

df_pos df_locate_from(const df_node *n, size_t off, size_t *hint) {
  locator L = {n->segments, n->nsegments, *hint, n->original - n->segment_base,
               n->segment_base + n->original_len};
  assert(L.n == 0 || L.hint < L.n);
  if (off > n->original_len) off = n->original_len;
  df_pos p = loc_at(&L, n->segment_base + off);
  *hint = L.hint;
  return p;
}

df_pos df_locate_run(const df_node *n, size_t off, size_t *hint, df_run *run) {
  df_pos p = df_locate_from(n, off, hint);
  run->from = run->to = 0;
  if (n->nsegments == 0) return p;
  const anchor *a = n->segments;
  size_t h = *hint, k = h, na = n->nsegments;
  size_t base = n->segment_base, end = base + n->original_len;
  if (!a[h].ascii) return p;
  /* Later anchors of the same line, ASCII too, carry the stretch on (a
  ** bounded look, so that any order of calls stays linear). */
  while (k + 1 < na && k - h < RUN_LOOKAHEAD && a[k + 1].ascii &&
         a[k + 1].line == a[h].line &&
         (size_t)(a[k + 1].col - a[h].col) == a[k + 1].off - a[h].off)
    k++;
  size_t from = a[h].off, to = k + 1 < na ? a[k + 1].off : end;
  if (to > end) to = end; /* ONBUILD's trigger may end before the line */
  if (to <= base) return p;
  /* one column per byte from the anchor on */
  run->at.line = a[h].line;
  run->at.col = a[h].col;
  if (from < base) { /* ONBUILD's inner node starts inside this stretch */
    run->at.col += (uint32_t)(base - from);
    from = base;
  }
  run->from = from - base;
  run->to = to - base;
  return p;
}

df_pos df_locate(const df_node *n, size_t off) {
  size_t hint = 0;
  return df_locate_from(n, off, &hint);
}

/* ---- words -------------------------------------------------------------- */

/* Adds a word with text s[0..len); its source is [src, src+srclen) of the
** joined line; `verbatim` records src as the word's offset. */
static bool add_word(ictx *c, df_node *n, wvec *v, const char *s, size_t len,
                     size_t src, size_t srclen, bool verbatim) {
  df_word *items = arena_more(c->P->a, v->v, v->n, &v->cap, sizeof *items);
  if (items == NULL) return false;
  v->v = items;
  df_word *w = &items[v->n++];
  w->s = pol_arena_strndup(c->P->a, s, len);
  if (w->s == NULL) return false;
  w->len = len;
  w->off = verbatim ? src - n->segment_base : SIZE_MAX;
  w->span = loc_span(&c->L, src, srclen);
  return true;
}

static bool add_source_word(ictx *c, df_node *n, wvec *v, size_t a, size_t b) {
  return add_word(c, n, v, c->t + a, b - a, a, b - a, true);
}

/* Appends byte b as Go's strings.Builder.WriteRune(rune(b)) would. */
static void put_byte_rune(pol_buf *b, unsigned char c) {
  if (c < 0x80) { pol_buf_putc(b, (char)c); return; }
  pol_buf_putc(b, (char)(0xC0 | (c >> 6)));
  pol_buf_putc(b, (char)(0x80 | (c & 0x3F)));
}

/* Extracts the `--flag` words after the keyword (byte-wise, as upstream:
** quotes removed, the escape token taking the next byte). Returns the
** offset where the arguments start. */
static size_t extract_flags(ictx *c, df_node *n, wvec *flags, size_t pos,
                            size_t e, bool *ok) {
  const char *t = c->t;
  pol_buf *w = &c->P->tmp;
  char esc = c->P->esc;
  *ok = true;
  for (;;) {
    while (pos < e && byte_space((unsigned char)t[pos])) pos++;
    if (pos >= e || t[pos] != '-' || pos + 1 >= e || t[pos + 1] != '-')
      return pos;
    size_t start = pos;
    char quote = 0;
    bool blank_ok = false;
    pol_buf_clear(w);
    while (pos < e) {
      unsigned char ch = (unsigned char)t[pos];
      if (quote == 0 && byte_space(ch)) break;
      pos++;
      if (quote == 0 && (ch == '\'' || ch == '"')) {
        quote = (char)ch;
        blank_ok = true;
        continue;
      }
      if (quote != 0 && ch == (unsigned char)quote) { quote = 0; continue; }
      if (ch == (unsigned char)esc) {
        if (pos == e) { quote = 0; continue; }
        ch = (unsigned char)t[pos++];
      }
      put_byte_rune(w, ch);
    }
    if (w->len == 2 && memcmp(w->data, "--", 2) == 0) return pos;
    if (blank_ok || w->len > 0) {
      if (w->oom || !add_word(c, n, flags, w->data ? w->data : "", w->len,
                              start, pos - start, true)) {
        *ok = false;
        return e;
      }
    }
  }
}

/* Splits [s, e) into words the way ENV, LABEL and ARG do: white space
** outside quotes separates; quotes and escape pairs stay in the text;
** invalid bytes become U+FFFD; a final lone escape token is dropped. */
static bool split_words(parser *P, const char *t, size_t s, size_t e) {
  enum { SPACES, WORD, QUOTE } phase = SPACES;
  pol_buf *b = &P->tmp;
  uint32_t quote = 0, esc = (unsigned char)P->esc;
  bool blank_ok = false;
  pword cur = {0, 0, 0, 0, SIZE_MAX, SIZE_MAX};
  pol_buf_clear(b);
  P->npw = 0;
  for (size_t pos = s;;) {
    uint32_t ch = 0;
    size_t w = 0;
    if (pos < e) w = decode(t + pos, e - pos, &ch);
    if (phase == SPACES) {
      if (pos >= e) break;
      if (uni_space(ch)) { pos += w; continue; }
      phase = WORD;
      blank_ok = false;
      cur.text = b->len;
      cur.src = pos;
      cur.eq_txt = cur.eq_src = SIZE_MAX;
    }
    bool at_space = pos < e && phase == WORD && uni_space(ch);
    if (pos >= e || at_space) {
      cur.len = b->len - cur.text;
      cur.src_end = pos;
      if (blank_ok || cur.len > 0) {
        pword *pw = grow(P->pw, &P->cpw, P->npw + 1, sizeof *pw);
        if (pw == NULL) return false;
        P->pw = pw;
        P->pw[P->npw++] = cur;
      } else {
        b->len = cur.text;
      }
      if (pos >= e) break;
      phase = SPACES;
      pos += w;
      continue;
    }
    if (phase == WORD && (ch == '\'' || ch == '"')) {
      quote = ch;
      blank_ok = true;
      phase = QUOTE;
    } else if (phase == QUOTE && ch == quote) {
      phase = WORD;
    } else if (ch == esc && (phase == WORD || quote != '\'')) {
      if (pos + w == e) { phase = WORD; pos += w; continue; }
      pol_buf_putc(b, (char)esc);
      pos += w;
      w = decode(t + pos, e - pos, &ch);
    }
    if (ch == '=' && cur.eq_txt == SIZE_MAX) {
      cur.eq_txt = b->len - cur.text;
      cur.eq_src = pos;
    }
    if (ch < 0x80) pol_buf_putc(b, (char)ch);
    else pol_buf_put_utf8(b, ch == PUTF8_INVALID ? 0xFFFD : ch);
    pos += w;
  }
  return !b->oom;
}

/* ---- argument rules ----------------------------------------------------- */

/* FROM, EXPOSE and the shell form of ADD/COPY/VOLUME: [s, e) split on
** runs of [\t\v\f\r ], quotes not honoured. */
static int split_ws(ictx *c, df_node *n, wvec *v, size_t s, size_t e) {
  size_t i = s;
  while (i < e) {
    size_t j = i;
    while (j < e && !sep_space(c->t[j])) j++;
    if (!add_source_word(c, n, v, i, j)) return DF_ERR_NOMEM;
    i = j;
    while (i < e && sep_space(c->t[i])) i++;
  }
  return DF_OK;
}

/* The whole rest as one argument, if any. */
static int one_string(ictx *c, df_node *n, wvec *v, size_t s, size_t e) {
  if (s == e) return DF_OK;
  return add_source_word(c, n, v, s, e) ? DF_OK : DF_ERR_NOMEM;
}

static size_t json_ws(const char *s, size_t n, size_t i) {
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
  return i;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10;
  return -1;
}

/* Four hex digits at s[0..4), or -1. */
static long hex4(const char *s) {
  long v = 0;
  for (int k = 0; k < 4; k++) {
    int h = hexval(s[k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

/* The index past the JSON string starting at s[i] == '"', or 0. */
static size_t json_string_end(const char *s, size_t n, size_t i) {
  for (i++; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"') return i + 1;
    if (c < 0x20) return 0;
    if (c != '\\') continue;
    if (++i >= n) return 0;
    if (s[i] == 'u') {
      if (n - i < 5 || hex4(s + i + 1) < 0) return 0;
      i += 4;
    } else if (s[i] == '\0' || strchr("\"\\/bfnrt", s[i]) == NULL) {
      return 0;
    }
  }
  return 0;
}

/* 2^1024 - 2^970, the smallest decimal that Go's ParseFloat rounds to
** +Inf, as the digits of 0.d1d2... x 10^309. */
static const char float_overflow_digits[] =
    "1797693134862315807937289714053034150799341327100378269361737789804449"
    "6829276475094664901797758720709633028641669288791094655554785194040263"
    "0657488671505820681908902000708383676273854845817711531764475730270069"
    "8555713669596228429148198608349364752927190741684443655107043427115596"
    "99508093042880177904174497792";

/* The index past the JSON number at s[i], or 0; *inf is set when the
** number is too large for a float64 (Go reports that as an error). */
static size_t json_number_end(const char *s, size_t n, size_t i, bool *inf) {
  if (i < n && s[i] == '-') i++;
  size_t ia = i;
  if (i < n && s[i] == '0') i++;
  else if (i < n && s[i] >= '1' && s[i] <= '9')
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  else return 0;
  size_t ib = i, fa = i, fb = i;
  if (i < n && s[i] == '.') {
    fa = ++i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    if (i == fa) return 0;
    fb = i;
  }
  long long x = 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    bool neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    size_t ea = i;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
      if (x < 1000000000LL) x = x * 10 + (s[i] - '0');
    if (i == ea) return 0;
    if (neg) x = -x;
  }
  /* The first significant digit and the decimal exponent E such that the
  ** value is 0.d1d2... x 10^E. */
  size_t k = ia;
  while (k < ib && s[k] == '0') k++;
  long long e;
  if (k < ib) {
    size_t il = ib - k;
    e = (il > 1000000000u ? 1000000000LL : (long long)il) + x;
  } else {
    k = fa;
    while (k < fb && s[k] == '0') k++;
    if (k == fb) return i; /* zero */
    size_t z = k - fa;
    e = x - (z > 1000000000u ? 1000000000LL : (long long)z);
  }
  if (e > 309) { *inf = true; return i; }
  if (e < 309) return i;
  const char *m = float_overflow_digits;
  for (size_t j = k; *m; j++) {
    if (j == ib) j = fa;
    if (j >= fb || j >= n) return i;     /* shorter: below the threshold */
    if (s[j] != *m) { if (s[j] > *m) *inf = true; return i; }
    m++;
  }
  *inf = true; /* equal prefix and at least as long: rounds up to Inf */
  return i;
}

/* ":" after an object key that starts at s[i]; returns the index after
** the colon, or 0. */
static size_t json_key(const char *s, size_t n, size_t i) {
  if (i >= n || s[i] != '"') return 0;
  i = json_string_end(s, n, i);
  if (i == 0) return 0;
  i = json_ws(s, n, i);
  if (i >= n || s[i] != ':') return 0;
  return i + 1;
}

typedef struct jscan {
  bool all_strings; /* every element of the outer array is a string */
  bool overflow;    /* some number does not fit a float64 */
} jscan;

/* Go's json.Unmarshal syntax check over s[0..n) (which starts with '['),
** iteratively, with its nesting limit. */
static bool json_validate(const char *s, size_t n, jscan *js) {
  char stack[JSON_MAX_DEPTH];
  size_t depth = 0, i = 0;
  bool have_value = false;
  js->all_strings = true;
  js->overflow = false;
  for (;;) {
    if (have_value) {
      if (depth == 0) return json_ws(s, n, i) == n;
      i = json_ws(s, n, i);
      if (i >= n) return false;
      char close = stack[depth - 1] == '[' ? ']' : '}';
      if (s[i] == close) { depth--; i++; continue; }
      if (s[i] != ',') return false;
      i++;
      if (stack[depth - 1] == '{' && (i = json_key(s, n, json_ws(s, n, i))) == 0)
        return false;
      have_value = false;
      continue;
    }
    i = json_ws(s, n, i);
    if (i >= n) return false;
    char c = s[i];
    if (depth == 1 && stack[0] == '[' && c != '"') js->all_strings = false;
    if (c == '[' || c == '{') {
      if (depth == JSON_MAX_DEPTH) return false;
      stack[depth++] = c;
      i = json_ws(s, n, i + 1);
      if (i < n && s[i] == (c == '[' ? ']' : '}')) {
        depth--;
        i++;
        have_value = true;
      } else if (c == '{' && (i = json_key(s, n, i)) == 0) {
        return false;
      }
      continue;
    }
    if (c == '"') i = json_string_end(s, n, i);
    else if (c == '-' || (c >= '0' && c <= '9')) i = json_number_end(s, n, i, &js->overflow);
    else if (n - i >= 4 && memcmp(s + i, "true", 4) == 0) i += 4;
    else if (n - i >= 5 && memcmp(s + i, "false", 5) == 0) i += 5;
    else if (n - i >= 4 && memcmp(s + i, "null", 4) == 0) i += 4;
    else return false;
    if (i == 0) return false;
    have_value = true;
  }
}

/* Decodes the JSON string token s[a..b) (quotes included) into *out the
** way Go does: invalid UTF-8 and unpaired surrogates become U+FFFD. */
static void json_decode_string(pol_buf *out, const char *s, size_t a, size_t b) {
  size_t i = a + 1, end = b - 1;
  while (i < end) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\\') {
      char e = s[i + 1];
      i += 2;
      switch (e) {
      case 'b': pol_buf_putc(out, '\b'); continue;
      case 'f': pol_buf_putc(out, '\f'); continue;
      case 'n': pol_buf_putc(out, '\n'); continue;
      case 'r': pol_buf_putc(out, '\r'); continue;
      case 't': pol_buf_putc(out, '\t'); continue;
      case 'u': break;
      default: pol_buf_putc(out, e); continue;
      }
      long r = hex4(s + i);
      i += 4;
      if (r >= 0xD800 && r < 0xE000) {
        long r2 = end - i >= 6 && s[i] == '\\' && s[i + 1] == 'u' ? hex4(s + i + 2) : -1;
        if (r < 0xDC00 && r2 >= 0xDC00 && r2 < 0xE000) {
          pol_buf_put_utf8(out, 0x10000 + (((unsigned long)r - 0xD800) << 10) +
                                 ((unsigned long)r2 - 0xDC00));
          i += 6;
          continue;
        }
        r = 0xFFFD;
      }
      pol_buf_put_utf8(out, (unsigned long)r);
      continue;
    }
    uint32_t cp;
    size_t w = pol_utf8_decode(s + i, end - i, &cp);
    if (cp == PUTF8_INVALID) pol_buf_put_utf8(out, 0xFFFD);
    else pol_buf_append(out, s + i, w);
    i += w;
  }
}

enum { JSON_NO, JSON_YES, JSON_BAD, JSON_NOMEM };

/* Tries the JSON form on [s, e): JSON_YES with the arguments set, JSON_NO
** to fall back to the shell form, JSON_BAD for a non-string element. */
static int parse_json(ictx *c, df_node *n, wvec *v, size_t s, size_t e) {
  s += lead_space(c->t + s, e - s);
  if (s >= e || c->t[s] != '[') return JSON_NO;
  const char *j = c->t + s;
  size_t len = e - s;
  jscan js;
  if (!json_validate(j, len, &js) || js.overflow) return JSON_NO;
  if (!js.all_strings) return JSON_BAD;
  pol_buf *b = &c->P->tmp;
  for (size_t i = json_ws(j, len, 1); j[i] != ']';) {
    size_t end = json_string_end(j, len, i);
    pol_buf_clear(b);
    json_decode_string(b, j, i, end);
    if (b->oom || !add_word(c, n, v, b->data ? b->data : "", b->len, s + i,
                            end - i, true))
      return JSON_NOMEM;
    i = json_ws(j, len, end);
    if (j[i] == ',') i = json_ws(j, len, i + 1);
  }
  n->json = true;
  return JSON_YES;
}

static int json_error(parser *P) {
  static const char m[] =
      "when using JSON array syntax, arrays must be comprised of strings only";
  return set_error(P, m, sizeof m - 1, 0, 0);
}

/* RUN, CMD, ENTRYPOINT, SHELL (and HEALTHCHECK after its type word). */
static int maybe_json(ictx *c, df_node *n, wvec *v, size_t s, size_t e) {
  if (s == e) return DF_OK;
  int r = parse_json(c, n, v, s, e);
  if (r == JSON_YES) return DF_OK;
  if (r == JSON_BAD) return json_error(c->P);
  if (r == JSON_NOMEM) return DF_ERR_NOMEM;
  return one_string(c, n, v, s, e);
}

/* ADD, COPY, VOLUME. */
static int maybe_json_list(ictx *c, df_node *n, wvec *v, size_t s, size_t e) {
  int r = parse_json(c, n, v, s, e);
  if (r == JSON_YES) return DF_OK;
  if (r == JSON_BAD) return json_error(c->P);
  if (r == JSON_NOMEM) return DF_ERR_NOMEM;
  return split_ws(c, n, v, s, e);
}

/* HEALTHCHECK: the type word (found byte-wise), then the command. */
static int health(ictx *c, df_node *n, wvec *v, size_t s, size_t e) {
  size_t sep = s;
  while (sep < e && !byte_space((unsigned char)c->t[sep])) sep++;
  if (sep == s) return DF_OK;
  size_t next = sep;
  while (next < e && byte_space((unsigned char)c->t[next])) next++;
  if (!add_source_word(c, n, v, s, sep)) return DF_ERR_NOMEM;
  return maybe_json(c, n, v, next, e);
}

/* ARG: one argument per word. */
static int names(ictx *c, df_node *n, wvec *v, size_t s, size_t e) {
  parser *P = c->P;
  if (!split_words(P, c->t, s, e)) return DF_ERR_NOMEM;
  for (size_t i = 0; i < P->npw; i++) {
    const pword *w = &P->pw[i];
    if (!add_word(c, n, v, P->tmp.data + w->text, w->len, w->src,
                  w->src_end - w->src, true))
      return DF_ERR_NOMEM;
  }
  return DF_OK;
}

/* ENV and LABEL: key, value, separator triples. */
static int key_values(ictx *c, df_node *n, wvec *v, size_t s, size_t e,
                      const char *what) {
  parser *P = c->P;
  if (!split_words(P, c->t, s, e)) return DF_ERR_NOMEM;
  if (P->npw == 0) return DF_OK;
  if (P->pw[0].eq_txt == SIZE_MAX) {
    size_t k = s;
    while (k < e && !sep_space(c->t[k])) k++;
    if (k == e) {
      pol_buf_clear(&P->msg);
      pol_buf_printf(&P->msg, "%s must have two arguments", what);
      return msg_error(P, 0, 0);
    }
    size_t vs = k;
    while (vs < e && sep_space(c->t[vs])) vs++;
    if (!add_source_word(c, n, v, s, k) || !add_source_word(c, n, v, vs, e) ||
        !add_word(c, n, v, "", 0, k, 0, false))
      return DF_ERR_NOMEM;
    return DF_OK;
  }
  for (size_t i = 0; i < P->npw; i++) {
    const pword *w = &P->pw[i];
    const char *text = P->tmp.data + w->text;
    if (w->eq_txt == SIZE_MAX) {
      pol_buf_clear(&P->msg);
      pol_buf_puts(&P->msg, "Syntax error - can't find = in ");
      df_shlex_go_quote(&P->msg, text, w->len);
      pol_buf_puts(&P->msg, ". Must be of the form: name=value");
      return msg_error(P, 0, 0);
    }
    if (!add_word(c, n, v, text, w->eq_txt, w->src, w->eq_src - w->src, true) ||
        !add_word(c, n, v, text + w->eq_txt + 1, w->len - w->eq_txt - 1,
                  w->eq_src + 1, w->src_end - w->eq_src - 1, true) ||
        !add_word(c, n, v, "=", 1, w->eq_src, 1, true))
      return DF_ERR_NOMEM;
  }
  return DF_OK;
}

/* Go's strings.ToLower of the keyword into the arena. */
static bool lower_keyword(parser *P, df_node *n, const char *s, size_t len) {
  pol_buf *b = &P->tmp;
  pol_buf_clear(b);
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t w = decode(s + i, len - i, &cp);
    if (cp < 0x80) pol_buf_putc(b, (char)pol_utf8_to_lower(cp));
    else pol_buf_put_utf8(b, cp == PUTF8_INVALID ? 0xFFFD : pol_utf8_to_lower(cp));
    i += w;
  }
  if (b->oom) return false;
  n->keyword = pol_arena_strndup(P->a, b->data ? b->data : "", b->len);
  n->keyword_len = b->len;
  n->keyword_raw = pol_arena_strndup(P->a, s, len);
  n->keyword_raw_len = len;
  return n->keyword != NULL && n->keyword_raw != NULL;
}

static int keyword_kind(const df_node *n) {
  for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
    if (keywords[i].name[0] == n->keyword[0] && /* a cheap first test */
        strlen(keywords[i].name) == n->keyword_len &&
        memcmp(keywords[i].name, n->keyword, n->keyword_len) == 0)
      return keywords[i].kind;
  return KW_IGNORE;
}

/* Splits the argument text [s, e) by the rule of keyword kind `kind`. */
static int split_args(ictx *c, df_node *n, wvec *v, int kind, size_t s,
                      size_t e) {
  switch (kind) {
  case KW_LIST: return maybe_json_list(c, n, v, s, e);
  case KW_NAMES: return names(c, n, v, s, e);
  case KW_JSON: return maybe_json(c, n, v, s, e);
  case KW_ENV: return key_values(c, n, v, s, e, "ENV");
  case KW_LABEL: return key_values(c, n, v, s, e, "LABEL");
  case KW_WORDS: return split_ws(c, n, v, s, e);
  case KW_HEALTH: return health(c, n, v, s, e);
  case KW_STRING: return one_string(c, n, v, s, e);
  default:
    /* Unknown keywords keep one empty argument, upstream's parseIgnore. */
    return add_word(c, n, v, "", 0, s, 0, false) ? DF_OK : DF_ERR_NOMEM;
  }
}

/* Splits the logical line [s, e) of c->t into node n: keyword, flags,
** arguments. ONBUILD's rest becomes n->inner, handled by the same loop. */
static int split_instruction(ictx *c, df_node *n, size_t s, size_t e) {
  for (;;) {
    n->original = c->t + s;
    n->original_len = e - s;
    n->segment_base = s;
    n->segments = (void *)c->L.a;
    n->nsegments = c->L.n;
    trim_space(c->t, &s, &e);
    size_t k = s;
    while (k < e && !sep_space(c->t[k])) k++;
    if (!lower_keyword(c->P, n, c->t + s, k - s)) return DF_ERR_NOMEM;
    n->keyword_span = loc_span(&c->L, s, k - s);
    n->span.start = n->keyword_span.start;
    size_t as = e;
    if (k < e) {
      while (k < e && sep_space(c->t[k])) k++;
      wvec flags = {NULL, 0, 0};
      bool ok;
      as = extract_flags(c, n, &flags, k, e, &ok);
      if (!ok) return DF_ERR_NOMEM;
      n->flags = flags.v;
      n->nflags = flags.n;
    }
    size_t ae = e;
    trim_space(c->t, &as, &ae);
    int kind = keyword_kind(n);
    if (kind != KW_ONBUILD) {
      wvec v = {NULL, 0, 0};
      int rc = split_args(c, n, &v, kind, as, ae);
      n->args = v.v;
      n->nargs = v.n;
      return rc;
    }
    if (as == ae) return DF_OK;
    n->inner = pol_arena_calloc(c->P->a, 1, sizeof *n->inner);
    if (n->inner == NULL) return DF_ERR_NOMEM;
    n = n->inner;
    s = as;
    e = ae;
  }
}

/* ---- heredocs ----------------------------------------------------------- */

static bool keyword_is(const df_node *n, const char *kw) {
  return n->keyword_len == strlen(kw) && memcmp(n->keyword, kw, n->keyword_len) == 0;
}

/* Whether node n (or ONBUILD's wrapped node) is RUN, COPY or ADD in shell
** form. */
static bool takes_heredocs(const df_node *n) {
  if (n->inner != NULL && keyword_is(n, "onbuild")) n = n->inner;
  if (n->json) return false;
  return keyword_is(n, "run") || keyword_is(n, "copy") || keyword_is(n, "add");
}

/* Whether s[0..n) contains "<<". */
static bool has_heredoc_op(const char *s, size_t n) {
  for (const char *p = s; n > 1 && (p = memchr(p, '<', n - 1 - (size_t)(p - s))) != NULL; p++)
    if (p[1] == '<') return true;
  return false;
}

static size_t quote_count(const char *s, size_t n) {
  size_t q = 0;
  for (size_t i = 0; i < n; i++) q += s[i] == '\'' || s[i] == '"';
  return q;
}

/* Tests one word of the line against `^(\d*)<<(-?)\s*([^<]*)$` and lexes
** its delimiter. Returns DF_OK with *found telling whether h was filled. */
static int heredoc_word(parser *P, const char *w, size_t wl, df_heredoc *h,
                        bool *found) {
  *found = false;
  size_t i = 0;
  while (i < wl && w[i] >= '0' && w[i] <= '9') i++;
  size_t digits = i;
  if (wl - i < 2 || w[i] != '<' || w[i + 1] != '<') return DF_OK;
  i += 2;
  bool chomp = i < wl && w[i] == '-';
  if (chomp) i++;
  while (i < wl && re_space(w[i])) i++;
  if (i == wl || memchr(w + i, '<', wl - i) != NULL) return DF_OK;
  const char *tail = w + i;
  size_t tl = wl - i;
  df_shlex_env env = {NULL, NULL, NULL};
  size_t cooked, raw;
  pol_buf_clear(&P->tmp);
  pol_buf_clear(&P->sherr);
  int rc = df_shlex_process_words(tail, tl, '\\', SHLEX_SKIP_UNSET, &env,
                               &P->tmp, &cooked, &P->sherr);
  if (rc == SHLEX_ERR_NOMEM) return DF_ERR_NOMEM;
  if (rc != SHLEX_OK) {
    pol_buf_clear(&P->msg);
    pol_buf_append(&P->msg, P->sherr.data, P->sherr.len);
    return msg_error(P, 0, 0);
  }
  if (cooked != 1) return DF_OK;
  size_t name_len = P->tmp.len - 1;
  rc = df_shlex_process_words(tail, tl, '\\', SHLEX_SKIP_UNSET | SHLEX_RAW_QUOTES,
                           &env, &P->tmp, &raw, &P->sherr);
  if (rc == SHLEX_ERR_NOMEM) return DF_ERR_NOMEM;
  if (rc != SHLEX_OK) {
    pol_buf_clear(&P->msg);
    pol_buf_append(&P->msg, P->sherr.data, P->sherr.len);
    return msg_error(P, 0, 0);
  }
  if (raw != cooked) {
    pol_buf_clear(&P->msg);
    pol_buf_puts(&P->msg, "internal lexing of heredoc produced inconsistent results: ");
    pol_buf_append(&P->msg, tail, tl);
    return msg_error(P, 0, 0);
  }
  const char *name = P->tmp.data;
  const char *rawname = P->tmp.data + name_len + 1;
  size_t raw_len = P->tmp.len - name_len - 2;
  h->name = pol_arena_strndup(P->a, name, name_len);
  if (h->name == NULL) return DF_ERR_NOMEM;
  h->name_len = name_len;
  h->expand = quote_count(name, name_len) == quote_count(rawname, raw_len);
  h->chomp = chomp;
  long long fd = 0; /* saturates at INT_MAX */
  for (size_t k = 0; k < digits && fd <= INT_MAX; k++) fd = fd * 10 + (w[k] - '0');
  h->fd = fd > INT_MAX ? INT_MAX : (int)fd;
  *found = true;
  return DF_OK;
}

/* Finds the heredocs of the logical line t[0..len) into *out. */
static int find_heredocs(parser *P, const char *t, size_t len, df_heredoc **out,
                         size_t *count) {
  df_shlex_env env = {NULL, NULL, NULL};
  size_t nw;
  pol_buf_clear(&P->shout);
  pol_buf_clear(&P->sherr);
  int rc = df_shlex_process_words(t, len, '\\',
                               SHLEX_RAW_QUOTES | SHLEX_RAW_ESCAPES | SHLEX_SKIP_UNSET,
                               &env, &P->shout, &nw, &P->sherr);
  if (rc == SHLEX_ERR_NOMEM) return DF_ERR_NOMEM;
  if (rc != SHLEX_OK) return DF_OK;
  size_t cap = 0;
  const char *w = P->shout.data;
  for (size_t i = 0; i < nw; i++) {
    size_t wl = strlen(w);
    df_heredoc h;
    memset(&h, 0, sizeof h);
    bool found;
    rc = heredoc_word(P, w, wl, &h, &found);
    if (rc != DF_OK) return rc;
    if (found) {
      df_heredoc *v = arena_more(P->a, *out, *count, &cap, sizeof *v);
      if (v == NULL) return DF_ERR_NOMEM;
      *out = v;
      v[(*count)++] = h;
    }
    w += wl + 1;
  }
  return DF_OK;
}

/* Reads the body of h up to its terminator line; false at end of input. */
static bool read_heredoc_body(parser *P, df_heredoc *h, line *last, bool *oom) {
  line l;
  pol_buf *body = &P->tmp;
  pol_buf_clear(body);
  bool first = true;
  while (read_line(&P->r, &l)) {
    if (first) {
      h->span.start.line = l.no;
      h->span.start.col = 1;
      first = false;
    }
    *last = l;
    const char *p = l.p;
    size_t n = l.content;
    if (h->chomp)
      while (n > 0 && *p == '\t') p++, n--;
    if (n == h->name_len && memcmp(p, h->name, n) == 0) {
      h->content = pol_arena_strndup(P->a, body->data ? body->data : "", body->len);
      h->content_len = body->len;
      h->span.end.line = l.no;
      h->span.end.col = line_end_col(&l);
      *oom = body->oom || h->content == NULL;
      return true;
    }
    pol_buf_append(body, l.p, l.len);
  }
  return false;
}

/* ---- instructions ------------------------------------------------------- */

static int add_warning(parser *P, const line *last) {
  df_warning *w = arena_more(P->a, P->f->warnings, P->f->nwarnings,
                            &P->warns_cap, sizeof *w);
  if (w == NULL) return DF_ERR_NOMEM;
  P->f->warnings = w;
  w += P->f->nwarnings++;
  pol_buf_clear(&P->msg);
  pol_buf_puts(&P->msg, "Empty continuation line found in: ");
  pol_buf_append(&P->msg, P->joined.data, P->joined.len);
  if (P->msg.oom) return DF_ERR_NOMEM;
  w->message = pol_arena_strndup(P->a, P->msg.data, P->msg.len);
  w->span.start.line = w->span.end.line = last->no;
  w->span.start.col = 1;
  w->span.end.col = line_end_col(last);
  return w->message ? DF_OK : DF_ERR_NOMEM;
}

/* Turns the joined line into the next node, then reads its heredocs. */
static int finish_node(parser *P, uint32_t first_line, line *last) {
  df_file *f = P->f;
  if (P->max_nodes && f->nnodes >= P->max_nodes) {
    pol_buf_clear(&P->msg);
    pol_buf_printf(&P->msg, "dockerfile has more than %zu instructions", P->max_nodes);
    return msg_error(P, first_line, last->no);
  }
  size_t len = P->joined.len;
  assert(P->nanc > 0); /* add_piece anchors every first piece */
  char *text = pol_arena_strndup(P->a, P->joined.data ? P->joined.data : "", len);
  anchor *anc = pol_arena_alloc(P->a, P->nanc * sizeof *anc);
  if (text == NULL || anc == NULL) return DF_ERR_NOMEM;
  memcpy(anc, P->anc, P->nanc * sizeof *anc);
  mark_ascii(anc, P->nanc, text, len);
  ictx c = {P, text, {anc, P->nanc, 0, text, len}};
  df_node node;
  memset(&node, 0, sizeof node);
  int rc = split_instruction(&c, &node, 0, len);
  if (rc == DF_ERR_SYNTAX) {
    f->error_span.start.line = first_line;
    f->error_span.end.line = last->no;
    f->error_span.end.col = line_end_col(last);
  }
  if (rc != DF_OK) return rc;
  if (takes_heredocs(&node) && has_heredoc_op(text, len)) {
    rc = find_heredocs(P, text, len, &node.heredocs, &node.nheredocs);
    for (size_t i = 0; rc == DF_OK && i < node.nheredocs; i++) {
      bool oom = false;
      if (!read_heredoc_body(P, &node.heredocs[i], last, &oom)) {
        static const char m[] = "unterminated heredoc";
        rc = set_error(P, m, sizeof m - 1, first_line, last->no);
      } else if (oom) {
        rc = DF_ERR_NOMEM;
      }
    }
    if (rc == DF_ERR_SYNTAX) {
      f->error_span.start.line = first_line;
      f->error_span.end.line = last->no;
    }
    if (rc != DF_OK) return rc;
  }
  node.span.start.line = anc[0].line;
  node.span.start.col = anc[0].col;
  node.span.end.line = last->no;
  node.span.end.col = line_end_col(last);
  for (df_node *in = node.inner; in != NULL; in = in->inner) in->span.end = node.span.end;
  if (!attach_comments(P, &node)) return DF_ERR_NOMEM;
  df_node *v = arena_more(P->a, f->nodes, f->nnodes, &P->nodes_cap, sizeof *v);
  if (v == NULL) return DF_ERR_NOMEM;
  f->nodes = v;
  v[f->nnodes++] = node;
  return DF_OK;
}

/* Handles one line of the main loop (a possible directive, comment, blank
** or the first line of an instruction with its continuation lines). */
static int main_line(parser *P, const line *l) {
  const char *t = l->p;
  size_t ws = lead_space(t, l->content);
  bool comment = ws < l->content && t[ws] == '#';
  if (comment && !note_comment(P, l)) return DF_ERR_NOMEM;
  if (!P->dir_done) {
    bool is_dir;
    int rc = directive_line(P, l, t + ws, l->content - ws, &is_dir);
    if (is_dir) P->ncm--;
    if (rc != DF_OK) return rc;
  }
  if (comment) return DF_OK;
  size_t keep;
  bool cont = trim_continuation(t + ws, l->content - ws, P->esc, &keep);
  if (!cont && keep == 0) return DF_OK;
  uint32_t first_line = l->no;
  pol_buf_clear(&P->joined);
  P->nanc = 0;
  if (!add_piece(P, t + ws, keep, l->no, (uint32_t)pol_utf8_count(t, ws) + 1, true))
    return DF_ERR_NOMEM;
  line last = *l, next;
  bool empty_seen = false;
  while (cont && read_line(&P->r, &next)) {
    last = next;
    size_t nws = lead_space(next.p, next.content);
    if (nws < next.content && next.p[nws] == '#') continue;
    if (nws == next.content) { empty_seen = true; continue; }
    cont = trim_continuation(next.p, next.content, P->esc, &keep);
    if (!add_piece(P, next.p, keep, next.no, 1, false)) return DF_ERR_NOMEM;
  }
  if (empty_seen) {
    int rc = add_warning(P, &last);
    if (rc != DF_OK) return rc;
  }
  return finish_node(P, first_line, &last);
}

static int parse_all(parser *P) {
  line l;
  while (read_line(&P->r, &l)) {
    int rc = main_line(P, &l);
    if (rc != DF_OK) return rc;
  }
  if (P->f->nnodes == 0) {
    static const char m[] = "file with no instructions";
    return set_error(P, m, sizeof m - 1, P->r.count, P->r.count);
  }
  if (P->r.too_long) {
    pol_buf_clear(&P->msg);
    pol_buf_printf(&P->msg, "dockerfile line greater than max allowed size of %zu",
                P->r.max);
    return msg_error(P, P->r.count + 1, P->r.count + 1);
  }
  return DF_OK;
}

int df_parse(pol_arena *a, const char *data, size_t len,
             const df_limits *limits, df_file *out) {
  memset(out, 0, sizeof *out);
  out->escape = '\\';
  parser P;
  memset(&P, 0, sizeof P);
  P.a = a;
  P.f = out;
  P.esc = '\\';
  P.r.data = data;
  P.r.len = len;
  P.r.max = limits && limits->max_line_len ? limits->max_line_len : DEFAULT_MAX_LINE;
  P.max_nodes = limits ? limits->max_nodes : 0;
  int rc = parse_all(&P);
  out->escape = P.esc;
  pol_buf_free(&P.joined);
  pol_buf_free(&P.tmp);
  pol_buf_free(&P.msg);
  pol_buf_free(&P.shout);
  pol_buf_free(&P.sherr);
  pol_free(P.anc);
  pol_free(P.cm);
  pol_free(P.pw);
  return rc;
}

/* ---- dump --------------------------------------------------------------- */

static void dump_node(pol_buf *out, const df_node *n) {
  size_t open = 0;
  for (const df_node *m = n; m != NULL; m = m->inner) {
    if (m != n) {
      pol_buf_puts(out, " (");
      open++;
    }
    pol_buf_append(out, m->keyword, m->keyword_len);
    bool sep = m->keyword_len > 0;
    if (m->nflags > 0) {
      pol_buf_puts(out, sep ? " [" : "[");
      for (size_t i = 0; i < m->nflags; i++) {
        if (i) pol_buf_putc(out, ' ');
        df_shlex_go_quote(out, m->flags[i].s, m->flags[i].len);
      }
      pol_buf_putc(out, ']');
      sep = true;
    }
    for (size_t i = 0; i < m->nargs; i++) {
      if (sep) pol_buf_putc(out, ' ');
      df_shlex_go_quote(out, m->args[i].s, m->args[i].len);
      sep = true;
    }
  }
  while (open--) pol_buf_putc(out, ')');
}

void df_dump(const df_file *f, pol_buf *out) {
  for (size_t i = 0; i < f->nnodes; i++) {
    pol_buf_putc(out, '(');
    dump_node(out, &f->nodes[i]);
    pol_buf_puts(out, ")\n");
  }
}
