/*
** shsplit.c: static POSIX sh reading of a RUN script into simple commands
** (see shsplit.h for what is understood).
**
** Structure: a pull lexer turns text into words (quotes removed, $...
** kept literally) and operators; a parser state machine assembles simple
** commands and steps over compound-command syntax. Command substitutions
** are found while lexing; their end is located by running a scan-only
** parser over the text after "$(" until an unmatched ')' (so quotes,
** comments, groups and case patterns inside are honoured), and their
** commands are split by a nested parser once the enclosing command has
** been reported. Every nesting (substitution, sh -c script, group, case)
** counts against limits->max_depth, which bounds the C stack; each level
** rescans only its own text, so the work is O(length * depth).
*/
#include "shsplit.h"

#include <assert.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/buf.h"

#define DEFAULT_MAX_DEPTH 64
#define DEFAULT_MAX_COMMANDS 100000

/* ---- shared state of one shsplit call ---- */

typedef struct split_ctx {
  pol_arena *a;
  size_t max_depth, max_commands;
  df_sh_command *cmds; /* heap while splitting, copied to the arena at the end */
  size_t ncmds, cap;
  uint32_t pipelines;
  int err; /* sticky SH_ERR_* */
} split_ctx;

static bool grow_slow(split_ctx *ctx, void **items, size_t *cap, size_t need,
                      size_t size) {
  size_t ncap = *cap ? *cap * 2 : 8, bytes;
  while (ncap < need) ncap *= 2;
  void *p = pol_mul_ok(ncap, size, &bytes) ? pol_realloc(*items, bytes) : NULL;
  if (p == NULL) {
    ctx->err = SH_ERR_NOMEM;
    return false;
  }
  *items = p;
  *cap = ncap;
  return true;
}

/* Room for `need` items in *items (heap, *cap of them); false (and
** ctx->err set) when it cannot be had. */
static inline bool grow(split_ctx *ctx, void **items, size_t *cap, size_t need,
                        size_t size) {
  return need <= *cap || grow_slow(ctx, items, cap, need, size);
}

/* ---- lexer ---- */

/* Character classes, one table lookup per byte. */
enum {
  CC_BLANK = 1,   /* ends a word anywhere: space, tab, CR, newline, ';' */
  CC_OPER = 2,    /* ends a word outside [[ ]]: & | ( ) < > */
  CC_SPECIAL = 4, /* scan_word treats it apart: \ ' " $ ` ( */
  CC_DQUOTE = 8   /* scan_dquote treats it apart: " \ $ ` */
};

static const unsigned char cclass[256] = {
  [' '] = CC_BLANK, ['\t'] = CC_BLANK, ['\r'] = CC_BLANK, ['\n'] = CC_BLANK,
  [';'] = CC_BLANK, ['&'] = CC_OPER, ['|'] = CC_OPER, ['<'] = CC_OPER,
  ['>'] = CC_OPER, ['('] = CC_OPER | CC_SPECIAL, [')'] = CC_OPER,
  ['\\'] = CC_SPECIAL | CC_DQUOTE, ['\''] = CC_SPECIAL,
  ['"'] = CC_SPECIAL | CC_DQUOTE, ['$'] = CC_SPECIAL | CC_DQUOTE,
  ['`'] = CC_SPECIAL | CC_DQUOTE,
};

static unsigned char char_class(char c) {
  return cclass[(unsigned char)c];
}

enum { TK_EOF, TK_WORD, TK_OP, TK_SKIP };

enum {
  OP_AND, OP_OR, OP_SEMI, OP_DSEMI, OP_PIPE, OP_AMP, OP_LPAREN, OP_RPAREN,
  OP_NEWLINE, OP_REDIR, OP_HEREDOC, OP_HEREDOC_STRIP
};

/* The n bytes at w are the string literal lit. */
#define WORD_IS(w, n, lit) ((n) == sizeof(lit) - 1 && memcmp((w), (lit), (n)) == 0)

#define NONE ((size_t)-1)     /* no index: no '=', no argv word */
#define NOT_ARGV ((size_t)-2) /* subst tag: assignment or redirection */

typedef struct token {
  int kind, op;
  size_t b, e;  /* raw range in the lexer's text */
  bool quoted;  /* some part was quoted or escaped: never a reserved word */
  size_t eq;    /* NAME=...: index of the '=' in the value, else NONE */
} token;

enum { SUB_PAREN, SUB_BACKTICK };

typedef struct subst {
  size_t b, e; /* inner text, raw range */
  int kind;
  size_t word; /* argv index of the word holding it, NOT_ARGV, or NONE
                  while its word is still being read */
} subst;

typedef struct heredoc {
  char *delim;
  size_t len;
  bool strip_tabs;
} heredoc;

typedef struct lexer {
  split_ctx *ctx;
  const char *s;
  size_t n, pos;
  size_t base;         /* offset of s[0] in the caller's input */
  bool fixed;          /* text was transformed: every offset is the range */
  size_t fix_off, fix_end; /* ... [fix_off, fix_end) */
  size_t depth;
  bool record;         /* record command substitutions */
  bool test_mode;      /* inside [[ ]]: && || < > ( ) are words */
  unsigned quiet;      /* > 0: scanning only, append nothing */
  pol_buf word;        /* value of a word token being read */
  const char *wtext;   /* value of the last word token: word's data, or */
  size_t wlen;         /* its source text when that has nothing to remove */
  bool assign;         /* the word so far is a plain NAME */
  size_t eq;           /* where the '=' after that NAME is, or NONE */
  subst *subs;
  size_t nsubs, subcap;
  size_t ntagged;      /* subs[0..ntagged) have their word set */
  heredoc *hd;         /* heredocs whose bodies start at the next newline */
  size_t nhd, hdcap;
} lexer;

static size_t map_off(const lexer *lx, size_t pos) {
  return lx->fixed ? lx->fix_off : lx->base + pos;
}

static size_t map_end(const lexer *lx, size_t pos) {
  return lx->fixed ? lx->fix_end : lx->base + pos;
}

static int at(const lexer *lx, size_t i) {
  return i < lx->n ? (unsigned char)lx->s[i] : -1;
}

static void put(lexer *lx, const char *p, size_t n) {
  if (lx->quiet == 0) pol_buf_append(&lx->word, p, n);
}

static void track_name(lexer *lx, const char *p, size_t n, size_t len);

/* The n literal characters at p, outside quotes; tracks NAME=
** assignments. */
static void put_plain_run(lexer *lx, const char *p, size_t n) {
  if (lx->quiet) return;
  track_name(lx, p, n, lx->word.len);
  pol_buf_append(&lx->word, p, n);
}

/* Something other than a plain character before the '=' ends the NAME. */
static void not_plain(lexer *lx) {
  if (lx->eq == NONE) lx->assign = false;
}

static void record_subst(lexer *lx, size_t b, size_t e, int kind) {
  if (!lx->record || lx->ctx->err) return;
  if (!grow(lx->ctx, (void **)&lx->subs, &lx->subcap, lx->nsubs + 1,
            sizeof *lx->subs))
    return;
  lx->subs[lx->nsubs++] = (subst){b, e, kind, NONE};
}

static size_t find_cmdsub_end(lexer *lx, size_t start);
static size_t scan_dollar(lexer *lx, size_t i, bool in_dq);

static size_t scan_squote(lexer *lx, size_t i) {
  const char *q = memchr(lx->s + i, '\'', lx->n - i);
  size_t end = q ? (size_t)(q - lx->s) : lx->n;
  put(lx, lx->s + i, end - i);
  return q ? end + 1 : end;
}

static size_t scan_backtick(lexer *lx, size_t i) {
  size_t j = i + 1;
  while (j < lx->n && lx->s[j] != '`') j += lx->s[j] == '\\' ? 2 : 1;
  if (j > lx->n) j = lx->n;
  record_subst(lx, i + 1, j, SUB_BACKTICK);
  size_t after = j < lx->n ? j + 1 : lx->n;
  put(lx, lx->s + i, after - i);
  return after;
}

/* After an opening '"': up to and past the closing one. */
static size_t scan_dquote(lexer *lx, size_t i) {
  while (i < lx->n && !lx->ctx->err) {
    char c = lx->s[i];
    if (!(char_class(c) & CC_DQUOTE)) {
      /* c and the literal characters after it, in one piece */
      size_t j = i + 1;
      while (j < lx->n && !(char_class(lx->s[j]) & CC_DQUOTE)) j++;
      put(lx, lx->s + i, j - i);
      i = j;
      continue;
    }
    int d = at(lx, i + 1);
    if (c == '"') return i + 1;
    if (c == '\\' && (d == '$' || d == '`' || d == '"' || d == '\\' || d == '\n')) {
      if (d != '\n') put(lx, lx->s + i + 1, 1);
      i += 2;
    } else if (c == '$') {
      i = scan_dollar(lx, i, true);
    } else if (c == '`') {
      i = scan_backtick(lx, i);
    } else {
      put(lx, &c, 1); /* a backslash that escapes nothing */
      i++;
    }
  }
  return lx->n;
}

/* Balanced parentheses from an opening '(' at i (quotes honoured); returns
** the position after the matching ')'. */
static size_t skip_parens(const lexer *lx, size_t i) {
  size_t depth = 0;
  while (i < lx->n) {
    char c = lx->s[i];
    if (c == '\\') {
      i += 2;
      continue;
    }
    if (c == '\'' || c == '"') {
      const char *q = memchr(lx->s + i + 1, c, lx->n - i - 1);
      i = q ? (size_t)(q - lx->s) + 1 : lx->n;
      continue;
    }
    if (c == '(') depth++;
    if (c == ')' && --depth == 0) return i + 1;
    i++;
  }
  return lx->n;
}

/* After "${": up to and past the matching '}', nested ${ counted. */
static size_t scan_brace(lexer *lx, size_t i) {
  size_t depth = 1;
  lx->quiet++;
  while (i < lx->n && !lx->ctx->err) {
    char c = lx->s[i];
    if (c == '\\') i += 2;
    else if (c == '\'') i = scan_squote(lx, i + 1);
    else if (c == '"') i = scan_dquote(lx, i + 1);
    else if (c == '`') i = scan_backtick(lx, i);
    else if (c == '$' && at(lx, i + 1) == '{') {
      depth++;
      i += 2;
    } else if (c == '$') {
      i = scan_dollar(lx, i, true);
    } else if (c == '}' && --depth == 0) {
      i++;
      break;
    } else {
      i++;
    }
  }
  lx->quiet--;
  return i < lx->n ? i : lx->n;
}

/* $'...': the backslash escapes bash gives meaning to. */
static size_t scan_ansi(lexer *lx, size_t i) {
  static const char from[] = "abefnrtv\\'\"?", to[] = "\a\b\033\f\n\r\t\v\\'\"?";
  while (i < lx->n && lx->s[i] != '\'') {
    char c = lx->s[i];
    const char *m = i + 1 < lx->n && c == '\\' && lx->s[i + 1]
                        ? strchr(from, lx->s[i + 1]) : NULL;
    if (m) {
      put(lx, &to[m - from], 1);
      i += 2;
    } else {
      put(lx, &c, 1);
      i++;
    }
  }
  return i < lx->n ? i + 1 : lx->n;
}

/* At '$': command substitution, arithmetic, ${...}, $'...', $"..." or a
** plain '$'. Everything but the quoting forms is kept verbatim. */
static size_t scan_dollar(lexer *lx, size_t i, bool in_dq) {
  int c = at(lx, i + 1);
  size_t after;
  if (c == '(' && at(lx, i + 2) == '(') {
    after = skip_parens(lx, i + 1);
  } else if (c == '(') {
    size_t end = find_cmdsub_end(lx, i + 2);
    record_subst(lx, i + 2, end, SUB_PAREN);
    after = end < lx->n ? end + 1 : lx->n;
  } else if (c == '{') {
    after = scan_brace(lx, i + 2);
  } else if (c == '\'' && !in_dq) {
    return scan_ansi(lx, i + 2);
  } else if (c == '"' && !in_dq) {
    return scan_dquote(lx, i + 2);
  } else {
    after = i + 1;
  }
  put(lx, lx->s + i, after - i);
  return after;
}

/* The classes of the characters that end a word (metacharacters). */
static unsigned meta_classes(const lexer *lx) {
  return lx->test_mode ? CC_BLANK : CC_BLANK | CC_OPER;
}

/* Assignment tracking over n literal characters at p that come after
** `len` characters of the word (see put_plain_run). */
static void track_name(lexer *lx, const char *p, size_t n, size_t len) {
  if (!lx->assign || lx->eq != NONE) return;
  /* the NAME characters (no digit first), then what ends them, if any */
  size_t k = 0;
  for (; k < n; k++) {
    unsigned char c = (unsigned char)p[k];
    bool alpha = (unsigned)((c | 0x20) - 'a') < 26;
    if (!alpha && c != '_' && !(c >= '0' && c <= '9' && len + k > 0)) break;
  }
  if (k == n) return;
  if (p[k] == '=' && len + k > 0) lx->eq = len + k;
  else lx->assign = false;
}

/* A word of plain characters only (no quote, escape, expansion, or '(',
** and not a process substitution) from lx->pos: its value is its source
** text, taken without copying. False, with nothing changed, for any
** other word. */
static bool plain_word(lexer *lx, token *t, unsigned meta) {
  unsigned stop = meta | CC_SPECIAL;
  size_t i = lx->pos, j = i;
  assert(i < lx->n); /* lex_next stops at the end */
  char c = lx->s[i];
  if (c == '<' || c == '>') return false;
  while (j < lx->n && !(char_class(lx->s[j]) & stop)) j++;
  /* a '(' after it may open NAME=(array): scan_word decides */
  if (j == i || (j < lx->n && (!(char_class(lx->s[j]) & meta) || lx->s[j] == '(')))
    return false;
  lx->assign = true;
  lx->eq = NONE;
  track_name(lx, lx->s + i, j - i, 0);
  lx->wtext = lx->s + i;
  lx->wlen = j - i;
  lx->pos = j;
  t->kind = TK_WORD;
  t->quoted = false;
  t->e = j;
  t->eq = lx->assign ? lx->eq : NONE;
  return true;
}

static void scan_word(lexer *lx, token *t) {
  unsigned meta = meta_classes(lx);
  if (plain_word(lx, t, meta)) return;
  size_t i = lx->pos;
  pol_buf_clear(&lx->word);
  lx->assign = true;
  lx->eq = NONE;
  t->quoted = false;
  while (i < lx->n && !lx->ctx->err) {
    char c = lx->s[i];
    bool procsub = i == t->b && (c == '<' || c == '>') && at(lx, i + 1) == '(';
    if (procsub) {
      size_t end = find_cmdsub_end(lx, i + 2);
      record_subst(lx, i + 2, end, SUB_PAREN);
      size_t after = end < lx->n ? end + 1 : lx->n;
      put(lx, lx->s + i, after - i);
      not_plain(lx);
      i = after;
      continue;
    }
    if (c == '(' && lx->eq != NONE && lx->eq + 1 == lx->word.len) {
      size_t after = skip_parens(lx, i); /* NAME=(array) */
      put(lx, lx->s + i, after - i);
      i = after;
      continue;
    }
    if (char_class(c) & meta) break;
    if (c == '\\' && at(lx, i + 1) == '\n') {
      i += 2;
      continue;
    }
    if (c == '\\' || c == '\'' || c == '"' || c == '$' || c == '`') {
      not_plain(lx);
      if (c != '$' && c != '`') t->quoted = true;
    }
    if (c == '\\') {
      put(lx, lx->s + i + (i + 1 < lx->n), 1);
      i += 2;
    } else if (c == '\'') {
      i = scan_squote(lx, i + 1);
    } else if (c == '"') {
      i = scan_dquote(lx, i + 1);
    } else if (c == '$') {
      if (at(lx, i + 1) == '\'' || at(lx, i + 1) == '"') t->quoted = true;
      i = scan_dollar(lx, i, false);
    } else if (c == '`') {
      i = scan_backtick(lx, i);
    } else {
      /* c and the plain characters after it, in one piece (none of them
      ** is at the token's start, where a process substitution could be). */
      size_t j = i + 1;
      while (j < lx->n && !(char_class(lx->s[j]) & (meta | CC_SPECIAL))) j++;
      put_plain_run(lx, lx->s + i, j - i);
      i = j;
    }
  }
  if (lx->word.oom) lx->ctx->err = SH_ERR_NOMEM;
  lx->wtext = lx->word.data ? lx->word.data : "";
  lx->wlen = lx->word.len;
  lx->pos = i < lx->n ? i : lx->n;
  t->kind = TK_WORD;
  t->e = lx->pos;
  t->eq = lx->assign ? lx->eq : NONE;
}

/* After a newline: skips the bodies of the heredocs opened on its line. */
static void skip_heredoc_bodies(lexer *lx) {
  for (size_t k = 0; k < lx->nhd; k++) {
    const heredoc *h = &lx->hd[k];
    while (lx->pos < lx->n) {
      const char *line = lx->s + lx->pos;
      const char *nl = memchr(line, '\n', lx->n - lx->pos);
      size_t len = nl ? (size_t)(nl - line) : lx->n - lx->pos;
      lx->pos += len + (nl != NULL);
      if (h->strip_tabs)
        while (len && *line == '\t') line++, len--;
      if (len && line[len - 1] == '\r') len--;
      if (len == h->len && memcmp(line, h->delim, len) == 0) break;
    }
    pol_free(h->delim);
  }
  lx->nhd = 0;
}

static void add_heredoc(lexer *lx, bool strip_tabs) {
  if (!grow(lx->ctx, (void **)&lx->hd, &lx->hdcap, lx->nhd + 1, sizeof *lx->hd))
    return;
  char *d = pol_strndup(lx->wtext, lx->wlen);
  if (d == NULL) {
    lx->ctx->err = SH_ERR_NOMEM;
    return;
  }
  lx->hd[lx->nhd++] = (heredoc){d, lx->wlen, strip_tabs};
}

/* Redirection operator at i (after any IO number); sets t->op, returns
** its length, 0 when there is none. */
static size_t redir_op(const lexer *lx, size_t i, token *t) {
  int c = at(lx, i), c1 = at(lx, i + 1), c2 = at(lx, i + 2);
  t->op = OP_REDIR;
  if (c == '<') {
    if (c1 == '<' && c2 == '<') return 3;
    if (c1 == '<' && c2 == '-') return t->op = OP_HEREDOC_STRIP, 3;
    if (c1 == '<') return t->op = OP_HEREDOC, 2;
    return c1 == '&' || c1 == '>' ? 2 : 1;
  }
  if (c == '>') return c1 == '>' || c1 == '&' || c1 == '|' ? 2 : 1;
  if (c == '&' && c1 == '>') return c2 == '>' ? 3 : 2;
  return 0;
}

static size_t control_op(const lexer *lx, size_t i, token *t) {
  int c = at(lx, i), c1 = at(lx, i + 1), c2 = at(lx, i + 2);
  switch (c) {
  case '&': return c1 == '&' ? (t->op = OP_AND, 2) : (t->op = OP_AMP, 1);
  case '|':
    if (c1 == '|') return t->op = OP_OR, 2;
    t->op = OP_PIPE;
    return c1 == '&' ? 2 : 1;
  case ';':
    t->op = c1 == ';' || c1 == '&' ? OP_DSEMI : OP_SEMI;
    return c1 == ';' ? (c2 == '&' ? 3 : 2) : c1 == '&' ? 2 : 1;
  case '(': return t->op = OP_LPAREN, 1;
  case ')': return t->op = OP_RPAREN, 1;
  default: return 0;
  }
}

/* Skips blanks, line continuations and comments. */
static void skip_blanks(lexer *lx) {
  while (lx->pos < lx->n) {
    char c = lx->s[lx->pos];
    if (c == ' ' || c == '\t' || c == '\r') {
      lx->pos++;
    } else if (c == '\\' && at(lx, lx->pos + 1) == '\n') {
      lx->pos += 2;
    } else if (c == '#') {
      const char *nl = memchr(lx->s + lx->pos, '\n', lx->n - lx->pos);
      lx->pos = nl ? (size_t)(nl - lx->s) : lx->n;
    } else {
      break;
    }
  }
}

/* Next token. `cmd_pos`: a command may start here, so "((" opens an
** arithmetic command (returned as TK_SKIP). */
static void lex_next(lexer *lx, token *t, bool cmd_pos) {
  skip_blanks(lx);
  t->b = lx->pos;
  t->quoted = false;
  t->eq = NONE;
  if (lx->ctx->err || lx->pos >= lx->n) {
    t->kind = TK_EOF;
    t->e = lx->pos;
    return;
  }
  size_t i = lx->pos, len;
  char c = lx->s[i];
  t->kind = TK_OP;
  if (c == '\n') {
    t->op = OP_NEWLINE;
    t->e = ++lx->pos;
    skip_heredoc_bodies(lx);
    return;
  }
  if (!(char_class(c) & (CC_BLANK | CC_OPER)) && !(c >= '0' && c <= '9')) {
    scan_word(lx, t); /* no operator, IO number or "((" starts here */
    return;
  }
  if (cmd_pos && c == '(' && at(lx, i + 1) == '(') {
    t->kind = TK_SKIP;
    t->e = lx->pos = skip_parens(lx, i);
    return;
  }
  size_t j = i;
  while (j < lx->n && lx->s[j] >= '0' && lx->s[j] <= '9') j++;
  if (j > i && (at(lx, j) == '<' || at(lx, j) == '>')) i = j;
  bool procsub = (at(lx, i) == '<' || at(lx, i) == '>') &&
                 at(lx, i + 1) == '(';
  if (!lx->test_mode && !procsub && (len = redir_op(lx, i, t)) > 0) {
    t->e = lx->pos = i + len;
    return;
  }
  /* in [[ ]] only ';' stays an operator (newline is handled above) */
  if ((!lx->test_mode || c == ';') &&
      (len = control_op(lx, lx->pos, t)) > 0) {
    t->e = lx->pos += len;
    return;
  }
  scan_word(lx, t);
}

static void lexer_free(lexer *lx) {
  for (size_t k = 0; k < lx->nhd; k++) pol_free(lx->hd[k].delim);
  pol_free(lx->hd);
  pol_free(lx->subs);
  pol_buf_free(&lx->word);
}

/* ---- parser ---- */

enum {
  ST_START,      /* a command may start; reserved words recognised */
  ST_PREFIX,     /* after assignments or redirections */
  ST_ARGS,       /* after the command name */
  ST_END,        /* after fi/done/}/esac/) */
  ST_FOR_NAME, ST_FOR_AFTER, ST_FOR_LIST,
  ST_CASE_WORD, ST_CASE_IN, ST_CASE_PAT,
  ST_FUNC_NAME, ST_FUNC_PARENS
};

typedef struct parser {
  split_ctx *ctx;
  lexer lx;
  bool scan_only;     /* find the end of a $(...) and report nothing */
  bool stopped;       /* scan_only: an unmatched ')' was found ... */
  size_t stop_pos;    /* ... at this position of the text */
  int state;
  df_sh_word *argv, *assigns;
  size_t argc, argcap, nassigns, assigncap;
  bool in_cmd;
  size_t cmd_off, cmd_end;
  const char *op_before;
  uint32_t pipeline, pipe_index;
  bool fresh;         /* the next command starts a new pipeline */
  char *nest;         /* open groups 'g' and cases 'c' */
  size_t nnest, nestcap;
  token back;         /* a token read ahead and given back */
  bool has_back;
} parser;

static void run_parser(parser *p);

static void parser_init(parser *p, split_ctx *ctx, const char *s, size_t n,
                        size_t depth) {
  memset(p, 0, sizeof *p);
  p->ctx = ctx;
  p->fresh = true;
  p->lx.ctx = ctx;
  p->lx.s = s;
  p->lx.n = n;
  p->lx.depth = depth;
  p->lx.record = true;
}

static void parser_free(parser *p) {
  lexer_free(&p->lx);
  pol_free(p->argv);
  pol_free(p->assigns);
  pol_free(p->nest);
}

static size_t find_cmdsub_end(lexer *lx, size_t start) {
  split_ctx *ctx = lx->ctx;
  if (lx->depth + 1 > ctx->max_depth) {
    ctx->err = SH_ERR_LIMIT;
    return lx->n;
  }
  parser p;
  parser_init(&p, ctx, lx->s, lx->n, lx->depth + 1);
  p.lx.pos = start;
  p.lx.record = false;
  p.scan_only = true;
  run_parser(&p);
  size_t end = p.stopped ? p.stop_pos : lx->n;
  parser_free(&p);
  return end;
}

/* Splits text as a nested script at `depth`. `fixed`: offsets are all
** [fo, fe) (the text is not a slice of the input); else s[0] is at base. */
static void split_nested(split_ctx *ctx, const char *s, size_t n, size_t base,
                         bool fixed, size_t fo, size_t fe, size_t depth,
                         bool record) {
  if (ctx->err) return;
  if (depth > ctx->max_depth) {
    ctx->err = SH_ERR_LIMIT;
    return;
  }
  parser p;
  parser_init(&p, ctx, s, n, depth);
  p.lx.base = base;
  p.lx.fixed = fixed;
  p.lx.fix_off = fo;
  p.lx.fix_end = fe;
  p.lx.record = record;
  run_parser(&p);
  parser_free(&p);
}

static void split_subst(parser *p, const subst *sb) {
  const lexer *lx = &p->lx;
  const char *s = lx->s + sb->b;
  size_t n = sb->e - sb->b;
  bool escaped = sb->kind == SUB_BACKTICK && memchr(s, '\\', n) != NULL;
  if (!escaped) {
    split_nested(p->ctx, s, n, lx->base + sb->b, lx->fixed, lx->fix_off,
                 lx->fix_end, lx->depth + 1, true);
    return;
  }
  /* inside backquotes \\ \` \$ stand for the character itself */
  pol_buf t = POL_BUF_INIT;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\\' && i + 1 < n && s[i + 1] && strchr("\\`$", s[i + 1]))
      i++;
    pol_buf_putc(&t, s[i]);
  }
  if (t.oom) p->ctx->err = SH_ERR_NOMEM;
  else split_nested(p->ctx, t.data ? t.data : "", t.len, 0, true,
                    map_off(lx, sb->b - 1),
                    map_end(lx, sb->e < lx->n ? sb->e + 1 : lx->n),
                    lx->depth + 1, true);
  pol_buf_free(&t);
}

/* Splits and forgets the substitutions recorded so far. */
static void flush_substs(parser *p) {
  size_t n = p->lx.nsubs;
  for (size_t k = 0; k < n && !p->ctx->err; k++) split_subst(p, &p->lx.subs[k]);
  p->lx.nsubs = p->lx.ntagged = 0;
}

/* The programs script_index knows, by the basename of a word. */
enum {
  PN_OTHER,
  PN_SUDO, PN_ENV, PN_WRAPPER, /* exec, command, nohup, time */
  PN_SHELL,                    /* sh bash ash dash zsh ksh mksh */
  PN_BUSYBOX, PN_SU
};

/* The PN_ kind of the C string s (up to its first NUL, as the shell would
** pass it) by the part after its last '/'. */
static int program_name(const char *s) {
  size_t b = 0, n = 0;
  for (; s[n]; n++)
    if (s[n] == '/') b = n + 1;
  const char *w = s + b;
  n -= b;
  switch (n) {
  case 2:
    if (WORD_IS(w, n, "sh")) return PN_SHELL;
    return WORD_IS(w, n, "su") ? PN_SU : PN_OTHER;
  case 3:
    if (WORD_IS(w, n, "env")) return PN_ENV;
    return WORD_IS(w, n, "ash") || WORD_IS(w, n, "zsh") || WORD_IS(w, n, "ksh")
               ? PN_SHELL : PN_OTHER;
  case 4:
    if (WORD_IS(w, n, "sudo")) return PN_SUDO;
    if (WORD_IS(w, n, "exec") || WORD_IS(w, n, "time")) return PN_WRAPPER;
    return WORD_IS(w, n, "bash") || WORD_IS(w, n, "dash") || WORD_IS(w, n, "mksh")
               ? PN_SHELL : PN_OTHER;
  case 5: return WORD_IS(w, n, "nohup") ? PN_WRAPPER : PN_OTHER;
  case 7:
    if (WORD_IS(w, n, "command")) return PN_WRAPPER;
    return WORD_IS(w, n, "busybox") ? PN_BUSYBOX : PN_OTHER;
  default: return PN_OTHER;
  }
}

/* Index past wrappers that run their arguments as a command (sudo, env,
** exec, command, nohup, time) and their options; *kind is the PN_ kind of
** the word there (PN_OTHER past the end). */
static size_t skip_wrappers(const df_sh_command *c, int *kind) {
  static const char *const sudo_args[] = {"-u", "-g", "-C", "-D", "-h", "-p",
                                          "-r", "-t", "-U", "-T"};
  size_t i = 0;
  *kind = PN_OTHER;
  while (i < c->argc) {
    int name = program_name(c->argv[i].s);
    bool sudo = name == PN_SUDO, env = name == PN_ENV;
    if (!sudo && !env && name != PN_WRAPPER) {
      *kind = name;
      return i;
    }
    for (i++; i < c->argc; i++) {
      const char *a = c->argv[i].s;
      if (env && a[0] != '-' && strchr(a, '=')) continue;
      if (a[0] != '-' || a[1] == '\0') break;
      if (strcmp(a, "--") == 0) {
        i++;
        break;
      }
      for (size_t k = 0; sudo && k < sizeof sudo_args / sizeof *sudo_args; k++)
        if (strcmp(a, sudo_args[k]) == 0) i++;
      if (env && (strcmp(a, "-u") == 0 || strcmp(a, "-C") == 0)) i++;
    }
  }
  return i;
}

/* argv index of the script run by `sh -c SCRIPT` (or su -c), else NONE. */
static size_t script_index(const df_sh_command *c) {
  int kind;
  size_t i = skip_wrappers(c, &kind);
  if (kind == PN_BUSYBOX && i + 1 < c->argc &&
      program_name(c->argv[i + 1].s) == PN_SHELL) {
    i++;
    kind = PN_SHELL;
  }
  if (i >= c->argc) return NONE;
  bool su = kind == PN_SU, seen_c = false, opts = true;
  if (!su && kind != PN_SHELL) return NONE;
  for (size_t j = i + 1; j < c->argc; j++) {
    const char *a = c->argv[j].s;
    if (su) {
      if (strcmp(a, "-c") == 0 || strcmp(a, "--command") == 0)
        return j + 1 < c->argc ? j + 1 : NONE;
      continue;
    }
    if (opts && (a[0] == '-' || a[0] == '+') && a[1] != '\0') {
      if (strcmp(a, "--") == 0) opts = false;
      else if (!strcmp(a + 1, "o") || !strcmp(a + 1, "O") ||
               !strcmp(a, "--rcfile") || !strcmp(a, "--init-file"))
        j++;
      else if (a[0] == '-' && a[1] != '-' && strchr(a + 1, 'c'))
        seen_c = true;
      continue;
    }
    return seen_c ? j : NONE;
  }
  return NONE;
}

static void split_script(parser *p, const df_sh_command *c, const subst *subs,
                         size_t nsubs) {
  size_t k = script_index(c);
  if (k == NONE) return;
  /* substitutions the outer shell performs were already split */
  bool outer_subst = false;
  for (size_t j = 0; j < nsubs; j++) outer_subst |= subs[j].word == k;
  const df_sh_word *w = &c->argv[k];
  /* A script written as one quoted word ('...', or "..." that needs no
  ** unquoting) is a slice of the input: its commands keep their own
  ** places. Any other script is a transformed text, placed at its word. */
  const lexer *lx = &p->lx;
  if (!lx->fixed && w->off >= lx->base && w->end - w->off == w->len + 2 &&
      w->end - lx->base <= lx->n) {
    const char *raw = lx->s + (w->off - lx->base);
    if ((raw[0] == '\'' || raw[0] == '"') && raw[w->len + 1] == raw[0] &&
        memcmp(raw + 1, w->s, w->len) == 0) {
      split_nested(p->ctx, raw + 1, w->len, w->off + 1, false, 0, 0, lx->depth + 1,
                   !outer_subst);
      return;
    }
  }
  split_nested(p->ctx, w->s, w->len, 0, true, w->off, w->end,
               p->lx.depth + 1, !outer_subst);
}

static void emit(parser *p) {
  split_ctx *ctx = p->ctx;
  if (ctx->ncmds >= ctx->max_commands) {
    ctx->err = SH_ERR_LIMIT;
    return;
  }
  if (!grow(ctx, (void **)&ctx->cmds, &ctx->cap, ctx->ncmds + 1,
            sizeof *ctx->cmds))
    return;
  df_sh_command *c = &ctx->cmds[ctx->ncmds];
  memset(c, 0, sizeof *c);
  c->argv = pol_arena_alloc(ctx->a, p->argc * sizeof *c->argv);
  if (p->nassigns)
    c->assigns = pol_arena_alloc(ctx->a, p->nassigns * sizeof *c->assigns);
  if (c->argv == NULL || (p->nassigns && c->assigns == NULL)) {
    ctx->err = SH_ERR_NOMEM;
    return;
  }
  memcpy(c->argv, p->argv, p->argc * sizeof *c->argv);
  if (p->nassigns)
    memcpy(c->assigns, p->assigns, p->nassigns * sizeof *c->assigns);
  c->argc = p->argc;
  c->nassigns = p->nassigns;
  if (p->fresh) {
    p->pipeline = ++ctx->pipelines;
    p->pipe_index = 0;
    p->fresh = false;
  }
  c->pipeline = p->pipeline;
  c->pipe_index = p->pipe_index;
  c->op_before = p->op_before;
  c->depth = (uint32_t)p->lx.depth;
  c->off = p->cmd_off;
  c->end = p->cmd_end;
  ctx->ncmds++;
}

/* Reports the command being built (if it has a name), then the commands
** of its substitutions and of its sh -c script. */
static void end_command(parser *p) {
  bool has = p->argc > 0 && !p->scan_only && !p->ctx->err;
  if (has) emit(p);
  has = has && !p->ctx->err;
  /* a copy: the array moves while the nested commands are added */
  df_sh_command c = has ? p->ctx->cmds[p->ctx->ncmds - 1] : (df_sh_command){0};
  for (size_t k = 0; k < p->lx.nsubs && !p->ctx->err; k++)
    split_subst(p, &p->lx.subs[k]);
  if (has && !p->ctx->err) split_script(p, &c, p->lx.subs, p->lx.nsubs);
  p->lx.nsubs = p->lx.ntagged = 0;
  p->argc = p->nassigns = 0;
  p->in_cmd = false;
  p->lx.test_mode = false;
}

/* Marks the substitutions of the word just read as belonging to `word`. */
static void tag_substs(parser *p, size_t word) {
  lexer *lx = &p->lx;
  for (; lx->ntagged < lx->nsubs; lx->ntagged++) lx->subs[lx->ntagged].word = word;
}

static void extend(parser *p, const token *t) {
  size_t off = map_off(&p->lx, t->b), end = map_end(&p->lx, t->e);
  if (!p->in_cmd) {
    p->in_cmd = true;
    p->cmd_off = off;
  }
  p->cmd_end = end;
}

/* Adds the current word to argv (or assigns) of the command being built. */
static void add_word(parser *p, const token *t, bool assign) {
  extend(p, t);
  if (p->scan_only) return;
  split_ctx *ctx = p->ctx;
  df_sh_word **v = assign ? &p->assigns : &p->argv;
  size_t *n = assign ? &p->nassigns : &p->argc;
  size_t *cap = assign ? &p->assigncap : &p->argcap;
  if (!grow(ctx, (void **)v, cap, *n + 1, sizeof **v)) return;
  const lexer *lx = &p->lx;
  char *s = pol_arena_strndup(ctx->a, lx->wtext, lx->wlen);
  if (s == NULL) {
    ctx->err = SH_ERR_NOMEM;
    return;
  }
  (*v)[*n] = (df_sh_word){s, lx->wlen, map_off(lx, t->b), map_end(lx, t->e)};
  tag_substs(p, assign ? NOT_ARGV : *n);
  ++*n;
}

static bool push_nest(parser *p, char kind) {
  if (p->nnest + 1 > p->ctx->max_depth) {
    p->ctx->err = SH_ERR_LIMIT;
    return false;
  }
  if (!grow(p->ctx, (void **)&p->nest, &p->nestcap, p->nnest + 1, 1))
    return false;
  p->nest[p->nnest++] = kind;
  return true;
}

static bool top_is(const parser *p, char kind) {
  return p->nnest > 0 && p->nest[p->nnest - 1] == kind;
}

static void separator(parser *p, int op) {
  static const char *const names[] = {
      [OP_AND] = "&&", [OP_OR] = "||", [OP_SEMI] = ";", [OP_DSEMI] = ";",
      [OP_PIPE] = "|", [OP_AMP] = "&", [OP_NEWLINE] = "\n"};
  p->op_before = names[op];
  if (op != OP_PIPE) p->fresh = true;
  else if (!p->fresh) p->pipe_index++;
}

static bool building(const parser *p) {
  return p->state <= ST_END;
}

static void on_redirect(parser *p, token *t) {
  bool cmd = building(p);
  if (cmd) {
    extend(p, t);
    if (p->state == ST_START) p->state = ST_PREFIX;
  }
  token target;
  lex_next(&p->lx, &target, false);
  if (target.kind != TK_WORD) {
    p->back = target; /* not a target: handle it as usual */
    p->has_back = true;
    return;
  }
  if (t->op != OP_REDIR)
    add_heredoc(&p->lx, t->op == OP_HEREDOC_STRIP);
  if (cmd) {
    extend(p, &target);
    tag_substs(p, NOT_ARGV);
  } else {
    flush_substs(p);
  }
}

/* Returns false when a scan-only parser reached its closing ')'. */
static bool on_op(parser *p, token *t) {
  int op = t->op;
  if (op == OP_REDIR || op == OP_HEREDOC || op == OP_HEREDOC_STRIP) {
    on_redirect(p, t);
    return true;
  }
  if (op == OP_LPAREN) {
    if (p->state == ST_START) {
      push_nest(p, 'g');
    } else if (p->state == ST_ARGS && p->argc == 1 && p->nassigns == 0) {
      p->argc = 0; /* name() : a function definition */
      p->in_cmd = false;
      p->state = ST_FUNC_PARENS;
    }
    return true;
  }
  if (op == OP_RPAREN) {
    if (p->state == ST_CASE_PAT || p->state == ST_FUNC_PARENS) {
      p->state = ST_START;
      return true;
    }
    end_command(p);
    if (top_is(p, 'g')) {
      p->nnest--;
    } else if (p->scan_only) {
      p->stopped = true;
      p->stop_pos = t->b;
      return false;
    }
    p->state = ST_END;
    return true;
  }
  switch (p->state) {
  case ST_CASE_WORD: case ST_CASE_IN: case ST_FUNC_NAME: case ST_FUNC_PARENS:
    if (op == OP_NEWLINE) return true;
    break;
  case ST_CASE_PAT:
    if (op == OP_NEWLINE || op == OP_PIPE) return true;
    break;
  case ST_FOR_NAME: case ST_FOR_AFTER: case ST_FOR_LIST:
    if (op == OP_SEMI || op == OP_NEWLINE) {
      separator(p, op);
      p->state = ST_START;
      return true;
    }
    break;
  default:
    break;
  }
  end_command(p);
  separator(p, op);
  p->state = op == OP_DSEMI && top_is(p, 'c') ? ST_CASE_PAT : ST_START;
  return true;
}

/* What an unquoted word means to the parser where it is special. */
enum {
  RW_NONE,
  RW_SKIP,     /* if then elif else while until ! { */
  RW_DO,       /* do (skipped too) */
  RW_CLOSE,    /* fi done } */
  RW_ESAC, RW_FOR /* for, select */, RW_CASE, RW_FUNCTION,
  RW_TEST_OPEN, RW_TEST_CLOSE /* [[ ]] */
};

/* The RW_ kind of the word token just read. */
static int reserved_word(const parser *p, const token *t) {
  const char *w = p->lx.wtext;
  size_t n = p->lx.wlen;
  if (t->quoted || n == 0 || n > 8) return RW_NONE;
  switch (w[0]) {
  case '!': case '{': return n == 1 ? RW_SKIP : RW_NONE;
  case '}': return n == 1 ? RW_CLOSE : RW_NONE;
  case '[': return WORD_IS(w, n, "[[") ? RW_TEST_OPEN : RW_NONE;
  case ']': return WORD_IS(w, n, "]]") ? RW_TEST_CLOSE : RW_NONE;
  case 'c': return WORD_IS(w, n, "case") ? RW_CASE : RW_NONE;
  case 'd': return WORD_IS(w, n, "do") ? RW_DO : WORD_IS(w, n, "done") ? RW_CLOSE : RW_NONE;
  case 'e':
    if (WORD_IS(w, n, "elif") || WORD_IS(w, n, "else")) return RW_SKIP;
    return WORD_IS(w, n, "esac") ? RW_ESAC : RW_NONE;
  case 'f':
    if (WORD_IS(w, n, "fi")) return RW_CLOSE;
    if (WORD_IS(w, n, "for")) return RW_FOR;
    return WORD_IS(w, n, "function") ? RW_FUNCTION : RW_NONE;
  case 'i': return WORD_IS(w, n, "if") ? RW_SKIP : RW_NONE;
  case 's': return WORD_IS(w, n, "select") ? RW_FOR : RW_NONE;
  case 't': return WORD_IS(w, n, "then") ? RW_SKIP : RW_NONE;
  case 'u': return WORD_IS(w, n, "until") ? RW_SKIP : RW_NONE;
  case 'w': return WORD_IS(w, n, "while") ? RW_SKIP : RW_NONE;
  default: return RW_NONE;
  }
}

/* A reserved word (of kind rw) in command position; false when the word
** is none. */
static bool on_reserved(parser *p, int rw) {
  switch (rw) {
  case RW_SKIP: case RW_DO:
    break;
  case RW_CLOSE:
    p->state = ST_END;
    break;
  case RW_ESAC:
    if (top_is(p, 'c')) p->nnest--;
    p->state = ST_END;
    break;
  case RW_FOR:
    p->state = ST_FOR_NAME;
    break;
  case RW_CASE:
    if (push_nest(p, 'c')) p->state = ST_CASE_WORD;
    break;
  case RW_FUNCTION:
    p->state = ST_FUNC_NAME;
    break;
  default:
    return false;
  }
  return true;
}

static void on_word(parser *p, token *t) {
  int rw = reserved_word(p, t);
  switch (p->state) {
  case ST_FUNC_PARENS:
    p->state = ST_START;
    /* fall through */
  case ST_START:
    if (on_reserved(p, rw)) return;
    if (rw == RW_TEST_OPEN) p->lx.test_mode = true;
    /* fall through */
  case ST_PREFIX:
  case ST_END:
    if (t->eq != NONE) {
      add_word(p, t, true);
      p->state = ST_PREFIX;
      return;
    }
    add_word(p, t, false);
    p->state = ST_ARGS;
    return;
  case ST_ARGS:
    add_word(p, t, false);
    if (rw == RW_TEST_CLOSE) p->lx.test_mode = false;
    return;
  case ST_FOR_NAME:
    p->state = ST_FOR_AFTER;
    break;
  case ST_FOR_AFTER:
    p->state = rw == RW_DO ? ST_START : ST_FOR_LIST;
    break;
  case ST_CASE_WORD:
    p->state = ST_CASE_IN;
    break;
  case ST_CASE_IN:
    p->state = ST_CASE_PAT;
    break;
  case ST_CASE_PAT:
    if (rw == RW_ESAC) {
      if (top_is(p, 'c')) p->nnest--;
      p->state = ST_END;
    }
    break;
  case ST_FUNC_NAME:
    p->state = ST_FUNC_PARENS;
    break;
  default:
    break;
  }
  flush_substs(p); /* words outside commands: for lists, case words... */
}

static void run_parser(parser *p) {
  while (!p->ctx->err) {
    token t;
    bool cmd_pos = p->state == ST_START || p->state == ST_FOR_NAME;
    if (p->has_back) {
      t = p->back;
      p->has_back = false;
    } else {
      lex_next(&p->lx, &t, cmd_pos);
    }
    if (t.kind == TK_EOF) break;
    if (t.kind == TK_SKIP) {
      p->state = p->state == ST_FOR_NAME ? ST_FOR_LIST : ST_END;
    } else if (t.kind == TK_OP) {
      if (!on_op(p, &t)) return;
    } else {
      on_word(p, &t);
    }
  }
  end_command(p);
}

int df_shsplit(pol_arena *a, const char *text, size_t len,
            const df_sh_limits *limits, df_sh_command **out, size_t *count) {
  split_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.a = a;
  ctx.max_depth = limits && limits->max_depth ? limits->max_depth
                                              : DEFAULT_MAX_DEPTH;
  ctx.max_commands = limits && limits->max_commands ? limits->max_commands
                                                    : DEFAULT_MAX_COMMANDS;
  *out = NULL;
  *count = 0;
  split_nested(&ctx, text ? text : "", text ? len : 0, 0, false, 0, 0, 0,
               true);
  if (!ctx.err && ctx.ncmds) {
    *out = pol_arena_alloc(a, ctx.ncmds * sizeof **out);
    if (*out == NULL) ctx.err = SH_ERR_NOMEM;
    else memcpy(*out, ctx.cmds, ctx.ncmds * sizeof **out);
  }
  pol_free(ctx.cmds);
  if (ctx.err) {
    *out = NULL;
    return ctx.err;
  }
  *count = ctx.ncmds;
  return SH_OK;
}
