/*
** test_parser.c: the Dockerfile syntax layer (parser.c): directives,
** continuations, heredocs, flags, JSON form, ENV/LABEL splitting,
** positions, CRLF/BOM, hostile inputs and allocation failures.
*/
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "dockerfile/parser.h"

static pol_arena arena;
static df_file file;
static int rc;

static void teardown(void) { pol_arena_free(&arena); }

TestSuite(parser, .fini = teardown);

static int parse_n(const char *s, size_t n) {
  pol_arena_free(&arena);
  rc = df_parse(&arena, s, n, NULL, &file);
  return rc;
}

static int parse(const char *s) { return parse_n(s, strlen(s)); }

static size_t dump_len;

/* The dump of the last parse (length in dump_len), in a static buffer. */
static const char *dump(void) {
  static char out[8192];
  pol_buf b = POL_BUF_INIT;
  df_dump(&file, &b);
  cr_assert(!b.oom && b.len < sizeof out);
  memcpy(out, b.data ? b.data : "", b.len);
  out[b.len] = '\0';
  dump_len = b.len;
  pol_buf_free(&b);
  return out;
}

static void expect_dump(const char *src, const char *want) {
  cr_assert_eq(parse(src), DF_OK, "%s: %s", src, file.error ? file.error : "");
  cr_assert_str_eq(dump(), want, "source: %s", src);
}

static void expect_error(const char *src, const char *msg, uint32_t l1,
                         uint32_t l2) {
  cr_assert_eq(parse(src), DF_ERR_SYNTAX, "source: %s", src);
  cr_assert_str_eq(file.error, msg);
  cr_assert_eq(file.error_span.start.line, l1, "start line %u", file.error_span.start.line);
  cr_assert_eq(file.error_span.end.line, l2, "end line %u", file.error_span.end.line);
}

static void expect_pos(df_pos p, uint32_t line, uint32_t col) {
  cr_assert_eq(p.line, line, "line %u, want %u", p.line, line);
  cr_assert_eq(p.col, col, "col %u, want %u", p.col, col);
}

static void expect_span(df_span s, uint32_t l1, uint32_t c1, uint32_t l2,
                        uint32_t c2) {
  expect_pos(s.start, l1, c1);
  expect_pos(s.end, l2, c2);
}

/* ---- directives --------------------------------------------------------- */

Test(parser, directives_set_escape_and_are_recorded) {
  cr_assert_eq(parse("# syntax=docker/dockerfile:1\n#ESCAPE = `\nRUN a `\n b\n"), DF_OK);
  cr_assert_eq(file.escape, '`');
  cr_assert_str_eq(dump(), "(run \"a  b\")\n");
  cr_assert_eq(file.ndirectives, 2);
  cr_assert_str_eq(file.directives[0].name, "syntax");
  cr_assert_str_eq(file.directives[0].value, "docker/dockerfile:1");
  cr_assert_str_eq(file.directives[1].name, "escape");
  expect_span(file.directives[1].span, 2, 1, 2, 12);
  cr_assert_eq(file.nodes[0].ncomments, 0);
}

Test(parser, directive_block_ends_at_blank_comment_or_instruction) {
  expect_dump("\n# escape=`\nFROM a `\n", "(from \"a\" \"`\")\n");
  expect_dump("# hello\n# escape=`\nFROM a `\n", "(from \"a\" \"`\")\n");
  expect_dump("#!/bin/sh\n# escape=`\nFROM a `\n", "(from \"a\" \"`\")\n");
  expect_dump("FROM a\n# escape=`\nRUN b `\n", "(from \"a\")\n(run \"b `\")\n");
  cr_assert_eq(file.escape, '\\');
}

Test(parser, directive_errors) {
  expect_error("# escape=`\n# Escape=\\\nFROM a\n",
               "only one escape parser directive can be used", 2, 2);
  expect_error("# syntax=a\n# syntax=b\n", "only one syntax parser directive can be used", 2, 2);
  expect_error("# escape=x\nFROM a\n", "invalid escape token 'x' does not match ` or \\", 1, 1);
  /* The lazy value group keeps one blank when nothing else follows '='. */
  expect_error("# escape= \nFROM a\n", "invalid escape token ' ' does not match ` or \\", 1, 1);
  expect_dump("# escape=\nFROM a\n", "(from \"a\")\n");
}

Test(parser, check_directive_grammar) {
  expect_dump("# check=skip=all;error=true\nFROM a\n", "(from \"a\")\n");
  /* At most three parts: the third takes the rest. */
  expect_dump("# check=experimental=all;skip=A,B;skip=x;y\nFROM a\n", "(from \"a\")\n");
  expect_error("# check=skip=A;skip=B;x=y;z\nFROM a\n", "invalid check option \"x\"", 1, 1);
  expect_error("# check=bogus\nFROM a\n", "invalid check option \"bogus\"", 1, 1);
  expect_error("#check= foo = 1\nFROM a\n", "invalid check option \"foo\"", 1, 1);
  expect_error("# check=skip=a;\nFROM a\n", "invalid check option \"\"", 1, 1);
  expect_error("# check=error=maybe\nFROM a\n",
               "failed to parse check option \"error=maybe\": strconv.ParseBool: "
               "parsing \"maybe\": invalid syntax", 1, 1);
}

/* ---- comments and lines ------------------------------------------------- */

Test(parser, comments_attach_to_the_next_instruction) {
  cr_assert_eq(parse("# c1\n\n# c2\nFROM a\n#\n# c3\n  # indented\nRUN x # not a comment\n"), DF_OK);
  cr_assert_eq(file.nodes[0].ncomments, 2);
  cr_assert_str_eq(file.nodes[0].comments[0], "c1");
  cr_assert_str_eq(file.nodes[0].comments[1], "c2");
  cr_assert_eq(file.nodes[1].ncomments, 2);
  cr_assert_str_eq(file.nodes[1].comments[0], "c3");
  /* Upstream drops the line's first byte, not the '#'. */
  cr_assert_str_eq(file.nodes[1].comments[1], "# indented");
  cr_assert_str_eq(dump(), "(from \"a\")\n(run \"x # not a comment\")\n");
}

Test(parser, crlf_bom_and_lone_cr) {
  cr_assert_eq(parse("\xEF\xBB\xBF# escape=`\r\nFROM a `\r\n  b\r\n"), DF_OK);
  cr_assert_eq(file.escape, '`');
  cr_assert_str_eq(dump(), "(from \"a\" \"b\")\n");
  cr_assert_eq(file.nodes[0].original_len, strlen("FROM a   b"));
  expect_span(file.nodes[0].keyword_span, 2, 1, 2, 5);
  expect_dump("\xEF\xBB\xBF" "FROM a\n", "(from \"a\")\n");
  expect_pos(file.nodes[0].span.start, 1, 1);
  expect_dump("FROM a\rRUN x\r", "(from \"a\" \"RUN\" \"x\")\n");
}

Test(parser, no_instructions) {
  expect_error("", "file with no instructions", 0, 0);
  expect_error("# only\n\n  \n", "file with no instructions", 3, 3);
  expect_error("# escape=`\n# syntax=x\n", "file with no instructions", 2, 2);
}

/* ---- continuation ------------------------------------------------------- */

Test(parser, continuation_rules) {
  expect_dump("RUN a \\\n  b\n", "(run \"a   b\")\n");
  expect_dump("RUN a\\\nb\n", "(run \"ab\")\n");
  expect_dump("RUN a \\ \t\n b\n", "(run \"a  b\")\n");
  expect_dump("RUN a \\\\\nRUN b\n", "(run \"a \\\\\\\\\")\n(run \"b\")\n");
  expect_dump("RUN a \\\\\\\nRUN b\n", "(run \"a \\\\\\\\\\\\\")\n(run \"b\")\n");
  expect_dump("ENV E hello\\\n\\\nworld\n", "(env \"E\" \"helloworld\" \"\")\n");
  expect_dump("\\\nFROM a\n", "(from \"a\")\n");
  cr_assert_eq(file.nodes[0].span.start.line, 1);
  cr_assert_eq(file.nodes[0].span.end.line, 2);
  expect_dump("RUN something \\", "(run \"something\")\n");
}

Test(parser, comments_and_blanks_inside_continuation) {
  cr_assert_eq(parse("RUN a \\\n# c \\\n\n  \t\n b\nRUN c\n"), DF_OK);
  cr_assert_str_eq(dump(), "(run \"a  b\")\n(run \"c\")\n");
  cr_assert_eq(file.nodes[0].span.end.line, 5);
  cr_assert_eq(file.nwarnings, 1);
  cr_assert_str_eq(file.warnings[0].message, "Empty continuation line found in: RUN a  b");
  cr_assert_eq(file.warnings[0].span.start.line, 5);
  expect_dump("RUN a \\\n# c\nb\nRUN c\n", "(run \"a b\")\n(run \"c\")\n");
  cr_assert_eq(file.nwarnings, 0);
}

Test(parser, backtick_continuation) {
  expect_dump("# escape=`\nRUN a `\n b \\\nRUN c\n", "(run \"a  b \\\\\")\n(run \"c\")\n");
}

/* ---- splitting and flags ------------------------------------------------ */

Test(parser, keyword_split_and_case) {
  expect_dump("from a AS b\nRun echo\n", "(from \"a\" \"AS\" \"b\")\n(run \"echo\")\n");
  cr_assert_str_eq(file.nodes[1].keyword, "run");
  cr_assert_str_eq(file.nodes[1].keyword_raw, "Run");
  expect_dump("FROM\ta\fb\vc\n", "(from \"a\" \"b\" \"c\")\n");
  expect_dump("FROM a\xC2\xA0" "b\n", "(from \"a\\u00a0b\")\n");
  expect_dump("FOO bar baz\n", "(foo \"\")\n");
  /* Keywords are lowered as Go's strings.ToLower does (KELVIN SIGN -> k). */
  expect_dump("HEALTHCHEC\xE2\x84\xAA NONE\n\xC3\x89" "CHO x\n",
              "(healthcheck \"NONE\")\n(\xC3\xA9" "cho \"\")\n");
  cr_assert_str_eq(file.nodes[1].keyword_raw, "\xC3\x89" "CHO");
  expect_dump("RUN\nCMD []\nONBUILD\n", "(run)\n(cmd)\n(onbuild)\n");
}

Test(parser, flags) {
  expect_dump("COPY --chown=\"a b\" --chmod='0755' --from=a\\ b x y\n",
              "(copy [\"--chown=a b\" \"--chmod=0755\" \"--from=a b\"] \"x\" \"y\")\n");
  expect_dump("RUN -- --mount=x echo\n", "(run \"--mount=x echo\")\n");
  expect_dump("RUN -x --mount=y echo\n", "(run \"-x --mount=y echo\")\n");
  expect_dump("COPY x --chown=1 y\n", "(copy \"x\" \"--chown=1\" \"y\")\n");
  expect_dump("COPY --chown=\"\" x y\n", "(copy [\"--chown=\"] \"x\" \"y\")\n");
  expect_dump("FOO --x=1 bar\n", "(foo [\"--x=1\"] \"\")\n");
  expect_dump("ONBUILD --foo RUN --mount=a x\n", "(onbuild [\"--foo\"] (run [\"--mount=a\"] \"x\"))\n");
  expect_dump("COPY --from=x\n", "(copy [\"--from=x\"])\n");
  /* Flags are read byte by byte: bytes >= 0x80 are taken as Latin-1. */
  expect_dump("COPY --chown=J\xC3\xA9 x y\n", "(copy [\"--chown=J\xC3\x83\xC2\xA9\"] \"x\" \"y\")\n");
}

/* ---- arguments ---------------------------------------------------------- */

Test(parser, json_form_and_fallback) {
  expect_dump("CMD [\"a\", \"b\"]\n", "(cmd \"a\" \"b\")\n");
  cr_assert(file.nodes[0].json);
  expect_dump("CMD [\"a\",]\n", "(cmd \"[\\\"a\\\",]\")\n");
  cr_assert(!file.nodes[0].json);
  expect_dump("CMD [\"a\"] extra\n", "(cmd \"[\\\"a\\\"] extra\")\n");
  expect_dump("ENTRYPOINT ['a']\n", "(entrypoint \"['a']\")\n");
  expect_dump("VOLUME /c /d\n", "(volume \"/c\" \"/d\")\n");
  expect_dump("CMD [\"\\u00e9\\t\", \"\\ud83d\\ude00\", \"\\u0000\"]\n",
              "(cmd \"\xC3\xA9\\t\" \"\xF0\x9F\x98\x80\" \"\\x00\")\n");
  cr_assert_eq(file.nodes[0].args[2].len, 1);
  expect_error("CMD [\"a\", 1]\n",
               "when using JSON array syntax, arrays must be comprised of strings only", 1, 1);
  expect_error("RUN [\"a\", [\"b\"], {\"c\": null}]\n",
               "when using JSON array syntax, arrays must be comprised of strings only", 1, 1);
  /* A number Go cannot hold in a float64 fails decoding: shell form. */
  expect_dump("RUN [\"a\", 1e400]\n", "(run \"[\\\"a\\\", 1e400]\")\n");
  expect_error("RUN [\"a\", 1.7976931348623157e308]\n",
               "when using JSON array syntax, arrays must be comprised of strings only", 1, 1);
}

Test(parser, json_nesting_limit) {
  size_t depth = 10001;
  char *s = malloc(2 * depth + 8);
  memcpy(s, "CMD ", 4);
  memset(s + 4, '[', depth);
  memset(s + 4 + depth, ']', depth);
  s[4 + 2 * depth] = '\n';
  cr_assert_eq(parse_n(s, 5 + 2 * depth), DF_OK);
  cr_assert(!file.nodes[0].json);
  s[4] = s[3 + 2 * depth] = ' '; /* 10000 deep: valid, but not strings */
  cr_assert_eq(parse_n(s, 5 + 2 * depth), DF_ERR_SYNTAX);
  free(s);
}

Test(parser, env_label_arg) {
  expect_dump("ENV a= b=\"\" d=1 e=\"2 3\" f=4\\ 5\n",
              "(env \"a\" \"\" \"=\" \"b\" \"\\\"\\\"\" \"=\" \"d\" \"1\" \"=\" "
              "\"e\" \"\\\"2 3\\\"\" \"=\" \"f\" \"4\\\\ 5\" \"=\")\n");
  expect_dump("ENV c   value  with   spaces  \n", "(env \"c\" \"value  with   spaces\" \"\")\n");
  expect_dump("LABEL \"com.x\"=\"y z\" k=v\n", "(label \"\\\"com.x\\\"\" \"\\\"y z\\\"\" \"=\" \"k\" \"v\" \"=\")\n");
  expect_dump("ARG abc=\"123 456\" def\n", "(arg \"abc=\\\"123 456\\\"\" \"def\")\n");
  expect_dump("ENV a\\=b=c\n", "(env \"a\\\\\" \"b=c\" \"=\")\n");
  expect_error("FROM a\nENV a=b c\n",
               "Syntax error - can't find = in \"c\". Must be of the form: name=value", 2, 2);
  expect_error("ENV PATH\n", "ENV must have two arguments", 1, 1);
  expect_error("label x\n", "LABEL must have two arguments", 1, 1);
  expect_dump("ENV a=\xFF\n", "(env \"a\" \"\xEF\xBF\xBD\" \"=\")\n");
}

Test(parser, healthcheck_and_strings) {
  expect_dump("HEALTHCHECK --interval=30s CMD [\"curl\",\"-f\"]\n",
              "(healthcheck [\"--interval=30s\"] \"CMD\" \"curl\" \"-f\")\n");
  cr_assert(file.nodes[0].json);
  expect_dump("HEALTHCHECK NONE\nUSER a b\nMAINTAINER  J D  \n",
              "(healthcheck \"NONE\")\n(user \"a b\")\n(maintainer \"J D\")\n");
}

/* ---- heredocs ----------------------------------------------------------- */

Test(parser, heredoc_bodies) {
  cr_assert_eq(parse("FROM a\nCOPY <<F1 3<<-'F2' /dst/\none\nF1\n\ttwo\r\n\tF2\nRUN x\n"), DF_OK);
  cr_assert_str_eq(dump(), "(from \"a\")\n(copy \"<<F1\" \"3<<-'F2'\" \"/dst/\")\n(run \"x\")\n");
  const df_node *n = &file.nodes[1];
  cr_assert_eq(n->nheredocs, 2);
  cr_assert_str_eq(n->heredocs[0].name, "F1");
  cr_assert_str_eq(n->heredocs[0].content, "one\n");
  cr_assert(n->heredocs[0].expand);
  cr_assert_str_eq(n->heredocs[1].name, "F2");
  cr_assert_str_eq(n->heredocs[1].content, "\ttwo\r\n");
  cr_assert_eq(n->heredocs[1].fd, 3);
  cr_assert(n->heredocs[1].chomp);
  cr_assert(!n->heredocs[1].expand);
  expect_span(n->heredocs[1].span, 5, 1, 6, 4);
  expect_span(n->span, 2, 1, 6, 4);
}

Test(parser, heredoc_traps) {
  expect_dump("RUN << EOF\nx\nEOF\nRUN <<- EOF\nx\n",
              "(run \"<< EOF\")\n(run \"<<- EOF\")\n(x \"\")\n");
  cr_assert_eq(file.nodes[0].nheredocs, 1);
  cr_assert_eq(file.nodes[1].nheredocs, 0);
  expect_dump("RUN [\"<<EOF\"]\nEOF\n", "(run \"<<EOF\")\n(eof \"\")\n");
  expect_dump("USER <<EOF\nEOF\n", "(user \"<<EOF\")\n(eof \"\")\n");
  expect_dump("RUN echo \\<<EOF \"<<X\"\n", "(run \"echo \\\\<<EOF \\\"<<X\\\"\")\n");
  expect_dump("RUN <<'EOF\nx\n", "(run \"<<'EOF\")\n(x \"\")\n");
  expect_dump("onbuild copy <<EOF /x\nhi\nEOF\n", "(onbuild (copy \"<<EOF\" \"/x\"))\n");
  cr_assert_str_eq(file.nodes[0].heredocs[0].content, "hi\n");
  expect_error("FROM a\nRUN echo <<EOF>out\nx\nEOF\n", "unterminated heredoc", 2, 4);
  expect_error("RUN <<EOF\nbody\n  EOF\nEOF \n", "unterminated heredoc", 1, 4);
}

/* ---- positions ---------------------------------------------------------- */

Test(parser, word_positions) {
  cr_assert_eq(parse("FROM a\n  COPY --from=b \xC3\xA9x \\\n   /dst\n"), DF_OK);
  const df_node *n = &file.nodes[1];
  expect_span(n->keyword_span, 2, 3, 2, 7);
  expect_span(n->flags[0].span, 2, 8, 2, 16);
  cr_assert_eq(n->flags[0].off, 5);
  expect_span(n->args[0].span, 2, 17, 2, 19);
  expect_span(n->args[1].span, 3, 4, 3, 8);
  expect_span(n->span, 2, 3, 3, 8);
  /* A word split by a continuation ends on its last line. */
  cr_assert_eq(parse("RUN echo a\\\nb\n"), DF_OK);
  expect_span(file.nodes[0].args[0].span, 1, 5, 2, 2);
}

Test(parser, locate_maps_every_offset) {
  cr_assert_eq(parse("RUN a \\\n\t# c\n  \xE2\x98\x83" "b \\\n\n c\n"), DF_OK);
  const df_node *n = &file.nodes[0];
  cr_assert_eq(n->original_len, strlen("RUN a   \xE2\x98\x83" "b  c"));
  expect_pos(df_locate(n, 0), 1, 1);
  expect_pos(df_locate(n, 5), 1, 6);
  expect_pos(df_locate(n, 6), 3, 1);
  expect_pos(df_locate(n, 8), 3, 3);
  expect_pos(df_locate(n, 9), 3, 3);  /* inside the snowman */
  expect_pos(df_locate(n, 11), 3, 4);
  expect_pos(df_locate(n, 12), 3, 5);
  expect_pos(df_locate(n, 13), 5, 1);
  expect_pos(df_locate(n, 14), 5, 2);
  expect_pos(df_locate(n, n->original_len), 5, 3);
}

Test(parser, locate_long_line_and_inner_node) {
  size_t len = 60000;
  char *s = malloc(len + 32);
  memcpy(s, "ONBUILD RUN ", 12);
  for (size_t i = 12; i < len; i++) s[i] = i % 3 ? 'x' : ' ';
  memcpy(s + len, "\xC3\xA9z\n", 4);
  cr_assert_eq(parse_n(s, len + 4), DF_OK);
  const df_node *in = file.nodes[0].inner;
  cr_assert_not_null(in);
  cr_assert_str_eq(in->keyword, "run");
  expect_pos(df_locate(in, 0), 1, 9);
  expect_pos(df_locate(in, in->original_len - 1), 1, (uint32_t)len + 2);
  expect_pos(df_locate(&file.nodes[0], len + 2), 1, (uint32_t)len + 2);
  expect_span(in->args[0].span, 1, 14, 1, (uint32_t)len + 3);
  free(s);
}

/* ---- dump quoting ------------------------------------------------------- */

Test(parser, dump_quoting) {
  expect_dump("RUN printf 'x\x07y\x1bz' \xC3\xA9\xE2\x80\x8B\xE2\x99\xA5\xC2\xAD\n",
              "(run \"printf 'x\\ay\\x1bz' \xC3\xA9\\u200b\xE2\x99\xA5\\u00ad\")\n");
  expect_dump("RUN a\xFF\xC3" "b\n", "(run \"a\\xff\\xc3b\")\n");
  expect_dump("RUN \xEB\x8B\xA4 \xE4\xB8\xAD \xF0\x9F\x98\x80 \xEE\x80\x80\n",
              "(run \"\xEB\x8B\xA4 \xE4\xB8\xAD \xF0\x9F\x98\x80 \\ue000\")\n");
}

/* ---- hostile inputs ----------------------------------------------------- */

Test(parser, nul_bytes_and_invalid_utf8) {
  static const char src[] = "FROM a\0b\nR\0N x\n\xFF\xFE \xC0\x80\nRUN [\"\0\"]\nENV \0=\0\n";
  static const char want[] =
      "(from \"a\\x00b\")\n(r\0n \"\")\n(\xEF\xBF\xBD\xEF\xBF\xBD \"\")\n"
      "(run \"[\\\"\\x00\\\"]\")\n(env \"\\x00\" \"\\x00\" \"=\")\n";
  cr_assert_eq(parse_n(src, sizeof src - 1), DF_OK);
  const char *got = dump();
  cr_assert(dump_len == sizeof want - 1 && memcmp(got, want, dump_len) == 0, "%s", got);
}

Test(parser, line_length_limit) {
  size_t big = (size_t)64 << 20;
  char *s = malloc(big + 16);
  memcpy(s, "FROM a\n", 7);
  memset(s + 7, 'x', big);
  clock_t t0 = clock();
  cr_assert_eq(parse_n(s, big + 7), DF_ERR_SYNTAX);
  cr_assert_str_eq(file.error, "dockerfile line greater than max allowed size of 65535");
  cr_assert_eq(file.error_span.start.line, 2);
  cr_assert_eq(file.nnodes, 1); /* nodes before the long line are kept */
  /* Upstream reports a long line before any instruction as an empty file. */
  cr_assert_eq(parse_n(s + 7, big), DF_ERR_SYNTAX);
  cr_assert_str_eq(file.error, "file with no instructions");
  cr_assert_lt((double)(clock() - t0) / CLOCKS_PER_SEC, 0.5);
  /* 65535 bytes of content are allowed, with or without the newline. */
  memset(s, 'x', 70000);
  memcpy(s, "RUN ", 4);
  cr_assert_eq(parse_n(s, 65535), DF_OK);
  s[65535] = '\n';
  cr_assert_eq(parse_n(s, 65536), DF_OK);
  cr_assert_eq(parse_n(s + 1, 65535), DF_OK);
  s[65535] = 'x';
  cr_assert_eq(parse_n(s, 65536), DF_ERR_SYNTAX);
  s[65536] = '\n';
  cr_assert_eq(parse_n(s, 65537), DF_ERR_SYNTAX);
  cr_assert_str_eq(file.error, "file with no instructions");
  free(s);
}

Test(parser, custom_limits) {
  df_limits lim = {10, 2};
  pol_arena_free(&arena);
  cr_assert_eq(df_parse(&arena, "RUN a\nRUN b\n", 12, &lim, &file), DF_OK);
  cr_assert_eq(df_parse(&arena, "RUN 0123456789\n", 15, &lim, &file), DF_ERR_SYNTAX);
  cr_assert_str_eq(file.error, "file with no instructions");
  cr_assert_eq(df_parse(&arena, "RUN a\nRUN b\nRUN c\n", 18, &lim, &file), DF_ERR_SYNTAX);
  cr_assert_str_eq(file.error, "dockerfile has more than 2 instructions");
  cr_assert_eq(file.nnodes, 2);
}

Test(parser, two_million_continuation_lines) {
  size_t lines = 2000000;
  char *s = malloc(lines * 4 + 16);
  size_t n = 0;
  memcpy(s, "RUN a \\\n", 8);
  n = 8;
  for (size_t i = 0; i < lines; i++) {
    memcpy(s + n, i % 2 ? "b \\\n" : "\\\n\n", i % 2 ? 4 : 3);
    n += i % 2 ? 4 : 3;
  }
  memcpy(s + n, "c\n", 2);
  n += 2;
  clock_t t0 = clock();
  cr_assert_eq(parse_n(s, n), DF_OK);
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  cr_assert_eq(file.nnodes, 1);
  cr_assert_eq(file.nodes[0].span.end.line, (uint32_t)(lines * 3 / 2 + 2));
  cr_assert_eq(file.nwarnings, 1);
  expect_pos(df_locate(&file.nodes[0], file.nodes[0].original_len - 1),
             (uint32_t)(lines * 3 / 2 + 2), 1);
  cr_assert_lt(secs, 3.0, "took %.2fs", secs);
  free(s);
}

Test(parser, deep_onbuild_chain) {
  size_t depth = 100000;
  char *s = malloc(depth * 10 + 16);
  for (size_t i = 0; i < depth; i++) memcpy(s + 10 * i, "ONBUILD \\\n", 10);
  memcpy(s + 10 * depth, "RUN x\n", 6);
  cr_assert_eq(parse_n(s, 10 * depth + 6), DF_OK);
  pol_buf b = POL_BUF_INIT;
  df_dump(&file, &b);
  cr_assert_eq(b.len, depth * 10 + 10);
  cr_assert(memcmp(b.data + b.len - 10 - depth, "(run \"x\")", 9) == 0);
  pol_buf_free(&b);
  free(s);
}

Test(parser, broken_inputs_do_not_crash) {
  static const char *const srcs[] = {
    "RUN [\"a", "RUN [\"\\u12", "RUN [1, \"", "CMD [{\"a\":[1,{\"b\":", "RUN <<EOF",
    "ENV \"a", "COPY --x=\"", "COPY --x=\\", "RUN <<${X\nEOF\n", "ONBUILD ONBUILD",
    "ARG a\\", "LABEL 'a", "HEALTHCHECK", "\\", "#", "# escape=`\n`",
  };
  for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
    int r = parse(srcs[i]);
    cr_assert(r == DF_OK || r == DF_ERR_SYNTAX, "%s", srcs[i]);
    dump();
  }
}

Test(parser, allocation_failures_are_reported) {
  static const char src[] =
      "# syntax=x\n# c\nFROM a AS b\nENV a=1 b=\"2 3\"\nRUN --mount=x <<EOF \\\n"
      "\n  && echo\nbody\nEOF\nCMD [\"a\", \"\\u00e9\"]\nONBUILD COPY x y\n";
  for (unsigned long k = 1;; k++) {
    pol_arena_free(&arena);
    pol_alloc_inject_failure(k, 1);
    int r = df_parse(&arena, src, sizeof src - 1, NULL, &file);
    unsigned long used = pol_alloc_inject_failure(0, 0);
    if (r == DF_OK) {
      cr_assert_lt(used, k, "succeeded although allocation %lu failed", k);
      cr_assert_gt(k, 5, "only %lu allocations", k);
      break;
    }
    cr_assert_eq(r, DF_ERR_NOMEM, "allocation %lu: rc %d", k, r);
  }
}
