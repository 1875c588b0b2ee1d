/*
** parser.h: the Dockerfile syntax layer, byte-exact with BuildKit's
** parser.Parse (frontend/dockerfile/parser).
**
** Input: the bytes of one Dockerfile. Output: a list of instruction nodes
** with their flags, arguments, JSON-form mark, heredocs, joined original
** line and exact positions. No semantic validation happens here (unknown
** instructions and flags get through, exactly as upstream); that is
** instr.c's job. Nothing here knows about Lua or the model.
**
** Positions: lines are 1-based; columns are 1-based and count Unicode code
** points (each byte of invalid UTF-8 counts as one); an end position is
** exclusive (the column just past the last character), as in SARIF.
**
** Memory: everything a df_file points to lives in the arena passed to
** df_parse and dies with it.
*/
#ifndef POL_DF_PARSER_H
#define POL_DF_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/buf.h"

typedef struct df_pos {
  uint32_t line;
  uint32_t col;
} df_pos;

typedef struct df_span {
  df_pos start;
  df_pos end; /* exclusive */
} df_span;

/* A word of the instruction: a flag, an argument, an ENV key, ... `s` is the
** processed text (NUL-terminated, may contain NUL when decoded from JSON
** \u0000, hence `len`). `off` is the byte offset in the node's `original`
** where the word's source text starts, or SIZE_MAX when the word does not
** come from `original` verbatim (JSON strings do, but are decoded). */
typedef struct df_word {
  const char *s;
  size_t len;
  size_t off;
  df_span span;
} df_word;

typedef struct df_heredoc {
  const char *name; /* delimiter with quotes removed */
  size_t name_len;
  int fd;           /* 0 unless written as N<<EOF */
  bool expand;      /* false when any part of the delimiter was quoted */
  bool chomp;       /* <<- form: later layers strip leading tabs */
  const char *content; /* raw body, lines kept with their '\n' (and '\r') */
  size_t content_len;
  df_span span;     /* first body line .. end of the terminator line */
} df_heredoc;

typedef struct df_node df_node;
struct df_node {
  const char *keyword;      /* lower-cased (Go strings.ToLower) */
  size_t keyword_len;
  const char *keyword_raw;  /* as written */
  size_t keyword_raw_len;
  df_span keyword_span;
  df_word *flags;           /* `--x=y` words, quotes and escapes processed */
  size_t nflags;
  df_word *args;            /* as BuildKit's Node.Next chain (ENV/LABEL:
                               key, value, separator triples) */
  size_t nargs;
  bool json;                /* arguments came from a JSON array */
  df_heredoc *heredocs;     /* on the top-level node, also for ONBUILD's */
  size_t nheredocs;
  const char *original;     /* joined logical line, continuations removed */
  size_t original_len;
  df_node *inner;           /* ONBUILD's wrapped instruction, else NULL */
  const char **comments;    /* comment lines just above (BuildKit's
                               PrevComment: the line minus its first byte,
                               trimmed, so "  # x" gives "# x") */
  size_t ncomments;
  df_span span;             /* first non-blank character of the first line
                               (the keyword, unless that line held only a
                               continuation) .. end of the last consumed
                               line (heredoc terminator included); for
                               ONBUILD's inner node, its keyword .. there */
  void *segments;           /* private: offset -> position map for df_locate */
  size_t nsegments;
  size_t segment_base;      /* private: offset of `original` in that map
                               (non-zero for ONBUILD's inner node) */
};

typedef struct df_directive {
  const char *name;  /* "syntax", "escape" or "check" */
  const char *value;
  df_span span;
} df_directive;

typedef struct df_warning {
  const char *message; /* "Empty continuation line found in: ..." */
  df_span span;
} df_warning;

typedef struct df_limits {
  size_t max_line_len;  /* BuildKit: 65535 bytes of content per line */
  size_t max_nodes;     /* 0 = unbounded */
} df_limits;

typedef struct df_file {
  df_node *nodes;
  size_t nnodes;
  char escape;                 /* '\\' or '`' */
  df_directive *directives;
  size_t ndirectives;
  df_warning *warnings;
  size_t nwarnings;
  /* On DF_ERR_SYNTAX: the exact upstream message (without any line
  ** prefix) and where it applies. Lines are 1-based here even for the
  ** directive errors that upstream reports 0-based. */
  const char *error;
  df_span error_span;
} df_file;

enum {
  DF_OK = 0,
  DF_ERR_SYNTAX = 1, /* out->error says why; nodes before it are kept */
  DF_ERR_NOMEM = 2
};

/* Parses `len` bytes. Always fills *out (possibly with zero nodes). */
int df_parse(pol_arena *a, const char *data, size_t len,
             const df_limits *limits, df_file *out);

/* Maps a byte offset within n->original to where it was written. */
df_pos df_locate(const df_node *n, size_t off);

/* df_locate for a caller that asks about many offsets of one node, mostly
** in increasing order: *hint (0 before the first call, then left as this
** sets it, only ever for the same node) remembers where the last lookup
** ended, so that the next one near it walks forward a few anchors
** instead of searching them all. Any order of offsets gives the same
** positions as df_locate. */
df_pos df_locate_from(const df_node *n, size_t off, size_t *hint);

/* Offsets [from, to) of a node's original that lie on one line in ASCII:
** offset k of them is at (at.line, at.col + (k - from)). */
typedef struct df_run {
  size_t from, to;
  df_pos at;
} df_run;

/* df_locate_from that also sets *run to such a stretch: the one that holds
** `off`, or (at the end of original) the one just before it, or an empty
** one (from == to) when the bytes there are not ASCII. A caller places
** the offsets that fall in it without asking again. */
df_pos df_locate_run(const df_node *n, size_t off, size_t *hint, df_run *run);

/* Appends BuildKit's Node.Dump() of every node, one "(...)\n" line each,
** exactly as in the upstream testfiles/<case>/result files. */
void df_dump(const df_file *f, pol_buf *out);

#endif
