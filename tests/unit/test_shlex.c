/*
** test_shlex.c: the BuildKit word lexer / expander, part by part (the
** full upstream data runs in conformance/test_buildkit_shell.c).
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "dockerfile/shlex.h"

/* A fixed environment: name=value pairs, "E" set but empty. */
static const char *const vars[][2] = {
    {"A", "abc"},         {"E", ""},       {"P", "/x/y/z.tar.gz"},
    {"S", "a  b"},        {"NL", "a\nxb"}, {"T", "$0"},
    {"U", "안녕"},        {"B", "b"},      {"STAR", "*"},
    {"BIG", NULL}, /* filled by tests that need a long value */
};
static const char *big_value;

static bool lookup(const char *name, size_t n, const char **val, size_t *vlen,
                   void *ud) {
  (void)ud;
  for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
    if (strlen(vars[i][0]) != n || memcmp(vars[i][0], name, n) != 0) continue;
    *val = vars[i][1] ? vars[i][1] : big_value;
    if (*val == NULL) return false;
    *vlen = strlen(*val);
    return true;
  }
  return false;
}

static const df_shlex_env env = {lookup, NULL, NULL};

typedef struct result {
  int rc;
  char out[4096];
  char err[4096];
} result;

static result run_esc(const char *in, char esc, unsigned flags) {
  result r;
  pol_buf out = POL_BUF_INIT, err = POL_BUF_INIT;
  r.rc = df_shlex_process_word(in, strlen(in), esc, flags, &env, &out, &err,
                            NULL);
  snprintf(r.out, sizeof r.out, "%s", out.data ? out.data : "");
  snprintf(r.err, sizeof r.err, "%s", err.data ? err.data : "");
  pol_buf_free(&out);
  pol_buf_free(&err);
  return r;
}

static result run(const char *in) { return run_esc(in, '\\', 0); }

static void expect(const char *in, const char *want) {
  result r = run(in);
  cr_assert_eq(r.rc, SHLEX_OK, "%s: rc %d (%s)", in, r.rc, r.err);
  cr_assert_str_eq(r.out, want, "%s", in);
}

static void expect_flags(const char *in, unsigned flags, const char *want) {
  result r = run_esc(in, '\\', flags);
  cr_assert_eq(r.rc, SHLEX_OK, "%s: rc %d (%s)", in, r.rc, r.err);
  cr_assert_str_eq(r.out, want, "%s", in);
}

static void expect_error(const char *in, const char *reason) {
  result r = run(in);
  cr_assert_eq(r.rc, SHLEX_ERR_SYNTAX, "%s: rc %d out %s", in, r.rc, r.out);
  pol_buf want = POL_BUF_INIT;
  pol_buf_puts(&want, "failed to process ");
  df_shlex_go_quote(&want, in, strlen(in));
  pol_buf_printf(&want, ": %s", reason);
  cr_assert_str_eq(r.err, want.data);
  pol_buf_free(&want);
}

/* Joins ProcessWords output with '|'. */
static int words(const char *in, unsigned flags, char *joined, size_t cap) {
  pol_buf out = POL_BUF_INIT, err = POL_BUF_INIT;
  size_t count = 99;
  int rc = df_shlex_process_words(in, strlen(in), '\\', flags, &env, &out,
                               &count, &err);
  joined[0] = '\0';
  size_t off = 0, used = 0;
  for (size_t i = 0; i < count; i++) {
    used += (size_t)snprintf(joined + used, cap - used, "%s%s", i ? "|" : "",
                             out.data + off);
    off += strlen(out.data + off) + 1;
  }
  if (rc != SHLEX_OK) cr_assert_eq(count, 0);
  pol_buf_free(&out);
  pol_buf_free(&err);
  return rc;
}

Test(shlex, plain_and_quoted_text) {
  expect("hello", "hello");
  expect("he'll'o", "hello");
  expect("\"a b\" 'c d'", "a b c d");
  expect("\"hel'lo\"", "hel'lo");
  expect("'\"x\"'", "\"x\"");
  expect("", "");
}

Test(shlex, backslash_escapes) {
  expect("a\\ b", "a b");
  expect("abc\\tdef", "abctdef");
  expect("he\\$PWD", "he$PWD");
  expect("trailing\\", "trailing");
  expect("two\\\\", "two\\");
  /* inside double quotes only \" \$ \\ are escapes */
  expect("\"a\\b\\\"c\\$d\\\\e\"", "a\\b\"c$d\\e");
  /* single quotes: no escapes at all */
  expect("'a\\'", "a\\");
}

Test(shlex, backtick_escape_token) {
  result r = run_esc("a`$A` b", '`', 0);
  cr_assert_str_eq(r.out, "a$A b");
  r = run_esc("c:\\dir \"c:\\dir\"", '`', 0);
  cr_assert_str_eq(r.out, "c:\\dir c:\\dir");
  r = run_esc("\"x`\"y``\"", '`', 0);
  cr_assert_str_eq(r.out, "x\"y`");
  r = run_esc("end`", '`', 0);
  cr_assert_str_eq(r.out, "end");
}

Test(shlex, simple_variables) {
  expect("$A-$E-$NOPE-", "abc---");
  expect("${A}x", "abcx");
  expect("$U$안녕x", "안녕");
  expect("$1abc ${10}", "abc ");
  expect("$@ $* $# $? $$ $! $0 $-", "       ");
  expect("$ $. a$", "$ $. a$");
  expect("\"$A\"'$A'", "abc$A");
}

Test(shlex, default_and_alternate) {
  expect("${NOPE:-d} ${NOPE-d} ${E:-d} ${E-d} ${A:-d} ${A-d}",
         "d d d  abc abc");
  expect("${NOPE:+x} ${NOPE+x} ${E:+x} ${E+x} ${A:+x} ${A+x}", "   x x x");
  expect("${NOPE:-${E:-${A}}}", "abc");
  expect("${A:+${A}:}", "abc:");
  expect("${NOPE:-\\${A}z}", "${Az}"); /* the first } ends the word */
  expect("${NOPE:-a b {c}", "a b {c");
  expect("${A-}}", "abc}");
}

Test(shlex, required_values) {
  expect("${A?} ${A:?} ${E?}", "abc abc ");
  expect_error("${NOPE?}", "NOPE: is not allowed to be unset");
  expect_error("${NOPE:?}", "NOPE: is not allowed to be unset");
  expect_error("${E:?}", "E: is not allowed to be empty");
  expect_error("${E:?say $A}", "E: say abc");
  /* an error inside a word that runs off the end is a missing brace */
  expect_error("${A:-${NOPE?x}", "syntax error: missing '}'");
}

Test(shlex, prefix_and_suffix_removal) {
  expect("${P#*/}", "x/y/z.tar.gz");
  expect("${P##*/}", "z.tar.gz");
  expect("${P%.*}", "/x/y/z.tar");
  expect("${P%%.*}", "/x/y/z");
  expect("${P#?x}", "/y/z.tar.gz");
  expect("${P#[/]}", "/x/y/z.tar.gz"); /* no bracket expressions */
  expect("${STAR#\\*}", "");
  expect("${P#nomatch}", "/x/y/z.tar.gz");
  /* '*' and '?' never match a newline */
  expect("${NL#*x}", "a\nxb");
  expect("${NL%x*}", "a\n");
  expect_error("${A#\\x}",
               "invalid pattern (\\x) in substitution: invalid escape '\\x'");
  /* the suffix form reports the reversed pattern, as upstream does */
  expect_error("${A%ab\\c}",
               "invalid pattern (\\cba) in substitution: invalid escape '\\c'");
}

Test(shlex, replacement) {
  expect("${P/\\//_}", "_x/y/z.tar.gz");
  expect("${P//\\//_}", "_x_y_z.tar.gz");
  expect("${P/y*/Q}", "/x/Q");
  expect("${P/#\\//_}", "/x/y/z.tar.gz"); /* '#' is not an anchor */
  expect("${A/$E/w}", "wabc");
  expect("${A//?/-}", "---");
  expect("${A//*/-} ${E//*/-}", "- -");
  expect("${A///}", "abc");
  expect("${NOPE/a/b}", "");
  /* replace-all expands Go templates ($0 is the match), replace-first not */
  expect("${A//b/'[$0]'} ${A/b/'[$0]'}", "a[b]c a[$0]c");
  expect("${A//b/$T}", "abc");
  expect_error("${A//b}", "syntax error: missing '/' in ${}");
  expect_error("${A/b/c", "syntax error: missing '}'");
}

Test(shlex, unsupported_and_bad_forms) {
  expect_error("${A:=x}", "unsupported modifier (:=) in substitution");
  expect_error("${A=x}", "unsupported modifier (=) in substitution");
  expect_error("${#A}", "unsupported modifier (A) in substitution");
  expect_error("${A:1}", "unsupported modifier (:1) in substitution");
  expect_error("${A^^}", "unsupported modifier (^) in substitution");
  expect_error("${A:#x}", "unsupported modifier (:#) in substitution");
  expect_error("${A:%x}", "unsupported modifier (:%) in substitution");
  expect_error("${A", "unsupported modifier (\xEF\xBF\xBD) in substitution");
  expect_error("${}", "syntax error: bad substitution");
  expect_error("${:-x}", "syntax error: bad substitution");
  expect_error("${{A}", "syntax error: bad substitution");
  expect_error("${", "syntax error: missing '}'");
  expect_error("${A:-x", "syntax error: missing '}'");
  expect_error("'open", "unexpected end of statement while looking for "
                        "matching single-quote");
  expect_error("\"open\\\"", "unexpected end of statement while looking for "
                             "matching double-quote");
}

Test(shlex, error_message_quotes_input_like_go) {
  expect_error("\"\t\x01\xff", "unexpected end of statement while looking "
                               "for matching double-quote");
  result r = run("\"\t\x01\xff\xc2\xa0");
  cr_assert_str_eq(r.err, "failed to process \"\\\"\\t\\x01\\xff\\u00a0\": "
                          "unexpected end of statement while looking for "
                          "matching double-quote");
}

Test(shlex, raw_quotes_and_escapes) {
  unsigned heredoc = SHLEX_RAW_QUOTES | SHLEX_RAW_ESCAPES | SHLEX_SKIP_UNSET;
  expect_flags("<<'EOF' \"x\" a\\ b", heredoc, "<<'EOF' \"x\" a\\ b");
  expect_flags("\"\\q\\$\"", SHLEX_RAW_ESCAPES, "\\\\q\\$");
  expect_flags("'a'\"b\"", SHLEX_RAW_QUOTES, "'a'\"b\"");
}

Test(shlex, skip_unset) {
  expect_flags("$NOPE ${NOPE} $A ${NOPE:-x} ${NOPE#p} ${NOPE:=v}",
               SHLEX_SKIP_UNSET, "$NOPE ${NOPE} abc ${NOPE:-x} ${NOPE#p} "
                                 "${NOPE:=v}");
  /* upstream writes the substitution back with a single '/' */
  expect_flags("${NOPE//a/b}", SHLEX_SKIP_UNSET, "${NOPE/a/b}");
  expect_flags("${E:-x}", SHLEX_SKIP_UNSET, "x");
}

Test(shlex, skip_quotes) {
  expect_flags("a'$A'\"\\$A\\n\"", SHLEX_SKIP_QUOTES, "a'abc'\"$An\"");
}

Test(shlex, names_are_recorded_once_in_first_seen_order) {
  pol_buf out = POL_BUF_INIT, m = POL_BUF_INIT, u = POL_BUF_INIT;
  df_shlex_names names = {&m, &u};
  const char *in = "$B ${A:-$X} $X $A ${Y+$B} ${B/$Z/}";
  cr_assert_eq(df_shlex_process_word(in, strlen(in), '\\', 0, &env, &out, NULL,
                                  &names), SHLEX_OK);
  cr_assert_eq(m.len, 4);
  cr_assert(memcmp(m.data, "B\0A\0", 4) == 0);
  cr_assert_eq(u.len, 6);
  cr_assert(memcmp(u.data, "X\0Y\0Z\0", 6) == 0);
  /* a second call into the same buffers adds only new names */
  cr_assert_eq(df_shlex_process_word("$A$W", 4, '\\', 0, &env, &out, NULL,
                                  &names), SHLEX_OK);
  cr_assert_eq(m.len, 4);
  cr_assert_eq(u.len, 8);
  /* on error neither the output nor the names change */
  size_t outlen = out.len;
  cr_assert_eq(df_shlex_process_word("$Q${", 4, '\\', 0, &env, &out, NULL,
                                  &names), SHLEX_ERR_SYNTAX);
  cr_assert_eq(out.len, outlen);
  cr_assert_eq(u.len, 8);
  pol_buf_free(&out);
  pol_buf_free(&m);
  pol_buf_free(&u);
}

Test(shlex, many_distinct_names_stay_fast) {
  pol_buf in = POL_BUF_INIT, out = POL_BUF_INIT, u = POL_BUF_INIT;
  for (int i = 0; i < 50000; i++) pol_buf_printf(&in, "$V%d", i);
  df_shlex_names names = {NULL, &u};
  cr_assert_eq(df_shlex_process_word(in.data, in.len, '\\', 0, &env, &out, NULL,
                                  &names), SHLEX_OK);
  size_t n = 0;
  for (size_t i = 0; i < u.len; i++) n += u.data[i] == '\0';
  cr_assert_eq(n, 50000);
  pol_buf_free(&in);
  pol_buf_free(&out);
  pol_buf_free(&u);
}

Test(shlex, process_words_splits_unquoted_expansions) {
  char j[512];
  cr_assert_eq(words("hello${S}bye \"${S}\" 'a  b'", 0, j, sizeof j),
               SHLEX_OK);
  cr_assert_str_eq(j, "helloa|bbye|a  b|a  b");
  cr_assert_eq(words("  a\\ b  \"\"  c ", 0, j, sizeof j), SHLEX_OK);
  cr_assert_str_eq(j, "a b|c");
  /* a nested ${} does not disturb the words already collected */
  cr_assert_eq(words("one ${NOPE:-${NOPE:-two}} three", 0, j, sizeof j),
               SHLEX_OK);
  cr_assert_str_eq(j, "one|two|three");
  cr_assert_eq(words("x \"open", 0, j, sizeof j), SHLEX_ERR_SYNTAX);
}

Test(shlex, process_words_keeps_heredoc_operator_with_its_word) {
  char j[512];
  unsigned heredoc = SHLEX_RAW_QUOTES | SHLEX_RAW_ESCAPES | SHLEX_SKIP_UNSET;
  cr_assert_eq(words("RUN <<  EOF cat 3<<\"A\" <<-B a<b", heredoc, j,
                     sizeof j), SHLEX_OK);
  cr_assert_str_eq(j, "RUN|<<  EOF|cat|3<<\"A\"|<<-B|a<b");
  cr_assert_eq(words("RUN <<- EOF \\<<X \"<<Y\" <<$Z", heredoc, j, sizeof j),
               SHLEX_OK);
  cr_assert_str_eq(j, "RUN|<<-|EOF|\\<<X|\"<<Y\"|<<$Z");
}

/* "${a:-" * depth + "x" + "}" * depth */
static char *nested(size_t depth) {
  pol_buf b = POL_BUF_INIT;
  for (size_t i = 0; i < depth; i++) pol_buf_puts(&b, "${a:-");
  pol_buf_putc(&b, 'x');
  for (size_t i = 0; i < depth; i++) pol_buf_putc(&b, '}');
  return pol_buf_detach(&b, NULL);
}

Test(shlex, nesting_is_bounded) {
  char *ok = nested(SHLEX_MAX_DEPTH);
  result r = run(ok);
  cr_assert_eq(r.rc, SHLEX_OK);
  cr_assert_str_eq(r.out, "x");
  pol_free(ok);

  char *deep = nested(100000);
  pol_buf out = POL_BUF_INIT, err = POL_BUF_INIT;
  cr_assert_eq(df_shlex_process_word(deep, strlen(deep), '\\', 0, &env, &out,
                                  &err, NULL), SHLEX_ERR_SYNTAX);
  cr_assert(strstr(err.data, "syntax error: ${} nested more than 1000 "
                             "levels") != NULL);
  cr_assert_eq(out.len, 0);
  pol_buf_free(&out);
  pol_buf_free(&err);
  pol_free(deep);
}

/* Length of the expansion of in, which must succeed. */
static size_t out_len(const char *in) {
  pol_buf out = POL_BUF_INIT;
  cr_assert_eq(df_shlex_process_word(in, strlen(in), '\\', 0, &env, &out, NULL,
                                  NULL), SHLEX_OK, "%s", in);
  size_t n = out.len;
  pol_buf_free(&out);
  return n;
}

/* A few bytes must not make gigabytes or minutes: results longer than
** SHLEX_MAX_LEN fail, and callers share one matching budget per file. */
Test(shlex, expansion_is_bounded_in_size_and_work, .timeout = 60) {
  pol_buf v = POL_BUF_INIT;
  for (int i = 0; i < (1 << 20); i++) pol_buf_putc(&v, 'a');
  big_value = v.data;
  pol_buf in = POL_BUF_INIT, out = POL_BUF_INIT, err = POL_BUF_INIT;
  for (int i = 0; i < 17; i++) pol_buf_puts(&in, "$BIG"); /* 17 MiB */
  cr_assert_eq(df_shlex_process_word(in.data, in.len, '\\', 0, &env, &out, &err, NULL),
               SHLEX_ERR_SYNTAX);
  cr_assert(strstr(err.data, "the expansion is longer than 16777216 bytes (a fixed limit)"),
            "%s", err.data);
  cr_assert_eq(out.len, 0);
  size_t count = 7;
  pol_buf_clear(&err);
  cr_assert_eq(df_shlex_process_words(in.data, in.len, '\\', 0, &env, &out, &count, &err),
               SHLEX_ERR_SYNTAX);
  cr_assert_eq(count, 0);
  cr_assert(strstr(err.data, "longer than 16777216 bytes"), "%s", err.data);
  /* ${BIG//a/$BIG} would be 1 TiB: it stops at the limit */
  pol_buf_clear(&err);
  const char *square = "${BIG//a/$BIG}";
  cr_assert_eq(df_shlex_process_word(square, strlen(square), '\\', 0, &env, &out, &err, NULL),
               SHLEX_ERR_SYNTAX);
  cr_assert(strstr(err.data, "longer than 16777216 bytes"), "%s", err.data);
  /* 16 copies fit */
  cr_assert_eq(out_len("$BIG$BIG$BIG$BIG$BIG$BIG$BIG$BIG$BIG$BIG$BIG$BIG$BIG$BIG$BIG$BIG"),
               16u << 20);

  /* A shared budget: spent by every call, then each substitution fails. */
  uint64_t budget = 12u << 20;
  df_shlex_env shared = {env.lookup, NULL, &budget};
  const char *strip = "${BIG//a/}";
  pol_buf_clear(&err);
  cr_assert_eq(df_shlex_process_word(strip, strlen(strip), '\\', 0, &shared, &out, &err, NULL),
               SHLEX_OK, "%s", err.data ? err.data : "");
  cr_assert_lt(budget, 12u << 20);
  int failed = 0;
  for (int i = 0; i < 12 && !failed; i++) {
    pol_buf_clear(&out);
    failed = df_shlex_process_word(strip, strlen(strip), '\\', 0, &shared, &out, &err, NULL) ==
             SHLEX_ERR_SYNTAX;
  }
  cr_assert(failed);
  cr_assert(strstr(err.data, "pattern matching in this file needs more than 67108864 steps "
                             "(a fixed limit per file)"), "%s", err.data);
  big_value = NULL;
  pol_buf_free(&in);
  pol_buf_free(&out);
  pol_buf_free(&err);
  pol_buf_free(&v);
}

/* Exponential matching would never end: the timeout is the hang guard;
** the bound itself is the matcher's work limit, asserted below. */
Test(shlex, pathological_patterns_finish_quickly, .timeout = 120) {
  pol_buf v = POL_BUF_INIT;
  for (int i = 0; i < 200000; i++) pol_buf_putc(&v, 'a');
  big_value = v.data;
  /* classic backtracking killers: no match possible, value unchanged */
  cr_assert_eq(out_len("${BIG#*a*a*a*a*a*a*a*a*a*a*b}"), 200000);
  cr_assert_eq(out_len("${BIG%%*a*a*a*a*a*a*a*a*a*a*b}"), 200000);
  cr_assert_eq(out_len("${BIG//a*a*a*a*b/-}"), 200000);
  cr_assert_eq(out_len("${BIG%a*}"), 199999);
  cr_assert_eq(out_len("${BIG%%a*}"), 0);
  expect("${BIG//a/}|${BIG//*/-}|${BIG/**********/-}", "|-|-");

  /* a huge pattern against a huge value hits the work limit, not a hang */
  pol_buf in = POL_BUF_INIT;
  pol_buf_puts(&in, "${BIG#");
  for (int i = 0; i < 20000; i++) pol_buf_puts(&in, "*a");
  pol_buf_puts(&in, "b}");
  pol_buf out = POL_BUF_INIT, err = POL_BUF_INIT;
  cr_assert_eq(df_shlex_process_word(in.data, in.len, '\\', 0, &env, &out, &err,
                                  NULL), SHLEX_ERR_SYNTAX);
  cr_assert(strstr(err.data, "matching needs more than 33554432 steps (a fixed limit per "
                            "substitution)") != NULL, "%s", err.data);
  big_value = NULL;
  pol_buf_free(&in);
  pol_buf_free(&out);
  pol_buf_free(&err);
  pol_buf_free(&v);
}

Test(shlex, go_quote) {
  pol_buf q = POL_BUF_INIT;
  const char *s = "a\"\\\n\x7f\xe2\x80\x8b\xf0\x9f\x98\x80\xf3\xa0\x80\x81";
  df_shlex_go_quote(&q, s, strlen(s));
  cr_assert_str_eq(q.data, "\"a\\\"\\\\\\n\\x7f\\u200b\xf0\x9f\x98\x80"
                           "\\U000e0001\"");
  pol_buf_free(&q);
}

Test(shlex, unicode_classes) {
  cr_assert(pol_utf8_is_letter('Z') && pol_utf8_is_letter(0x3B1) &&
            pol_utf8_is_letter(0x416) && pol_utf8_is_letter(0x4E2D) &&
            pol_utf8_is_letter(0xD55C) && pol_utf8_is_letter(0x31350));
  cr_assert(!pol_utf8_is_letter('1') && !pol_utf8_is_letter('_') &&
            !pol_utf8_is_letter(0x2003));
  cr_assert(pol_utf8_is_digit('7') && pol_utf8_is_digit(0x663) &&
            !pol_utf8_is_digit(0xBD));
  cr_assert(pol_utf8_is_print(' ') && pol_utf8_is_print(0xE9) &&
            !pol_utf8_is_print(0xA0) && !pol_utf8_is_print(0x200B));
}

Test(shlex, out_of_memory_is_reported_cleanly) {
  const char *in = "${P%%.*}-${A//b/'[$0]'}-${NOPE:-$S}-\"$U\"";
  pol_buf ref = POL_BUF_INIT;
  cr_assert_eq(df_shlex_process_word(in, strlen(in), '\\', 0, &env, &ref, NULL,
                                  NULL), SHLEX_OK);
  for (unsigned long n = 1;; n++) {
    pol_buf out = POL_BUF_INIT, m = POL_BUF_INIT, u = POL_BUF_INIT;
    df_shlex_names names = {&m, &u};
    pol_alloc_inject_failure(n, 0);
    int rc = df_shlex_process_word(in, strlen(in), '\\', 0, &env, &out, NULL,
                                &names);
    unsigned long used = pol_alloc_inject_failure(0, 0);
    pol_buf_free(&out);
    pol_buf_free(&m);
    pol_buf_free(&u);
    if (used < n) {
      cr_assert_eq(rc, SHLEX_OK);
      break;
    }
    cr_assert_eq(rc, SHLEX_ERR_NOMEM, "failure %lu gave %d", n, rc);
  }
  for (unsigned long n = 1;; n++) {
    pol_buf out = POL_BUF_INIT;
    size_t count;
    pol_alloc_inject_failure(n, 0);
    int rc = df_shlex_process_words(in, strlen(in), '\\', 0, &env, &out, &count,
                                 NULL);
    unsigned long used = pol_alloc_inject_failure(0, 0);
    pol_buf_free(&out);
    if (used < n) {
      cr_assert_eq(rc, SHLEX_OK);
      break;
    }
    cr_assert_eq(rc, SHLEX_ERR_NOMEM, "failure %lu gave %d", n, rc);
  }
  pol_buf_free(&ref);
}
