/*
** test_shsplit.c: splitting RUN scripts into simple commands, on bodies
** of the kind real Dockerfiles contain.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "dockerfile/shlex.h"
#include "dockerfile/shsplit.h"

/* One line per command: "<depth> <op> {assign}... argv...", op "-" when
** there is none and "NL" for a newline; words with blanks or quotes, or
** empty ones, in Go quotes. */
static void render(pol_buf *b, const df_sh_command *c, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const char *op = c[i].op_before ? c[i].op_before : "-";
    pol_buf_printf(b, "%u %s", c[i].depth, strcmp(op, "\n") ? op : "NL");
    for (size_t k = 0; k < c[i].nassigns + c[i].argc; k++) {
      bool assign = k < c[i].nassigns;
      const df_sh_word *w = assign ? &c[i].assigns[k] : &c[i].argv[k - c[i].nassigns];
      pol_buf_puts(b, assign ? " {" : " ");
      if (w->len == 0 || strpbrk(w->s, " \t\n\"'\\"))
        df_shlex_go_quote(b, w->s, w->len);
      else
        pol_buf_append(b, w->s, w->len);
      if (assign) pol_buf_putc(b, '}');
    }
    pol_buf_putc(b, '\n');
  }
}

static void expect_split(const char *script, const char *want) {
  pol_arena a = POL_ARENA_INIT;
  df_sh_command *c;
  size_t n;
  cr_assert_eq(df_shsplit(&a, script, strlen(script), NULL, &c, &n), SH_OK);
  pol_buf got = POL_BUF_INIT;
  render(&got, c, n);
  cr_assert_str_eq(got.data ? got.data : "", want, "script:\n%s\ngot:\n%s",
                   script, got.data ? got.data : "");
  for (size_t i = 0; i < n; i++) {
    cr_assert_gt(c[i].argc, 0);
    cr_assert_leq(c[i].off, c[i].end);
    cr_assert_leq(c[i].end, strlen(script));
  }
  pol_buf_free(&got);
  pol_arena_free(&a);
}

/* Splits and hands back the commands (the arena stays alive). */
static df_sh_command *split(pol_arena *a, const char *script, size_t *n) {
  df_sh_command *c;
  cr_assert_eq(df_shsplit(a, script, strlen(script), NULL, &c, n), SH_OK);
  return c;
}

Test(shsplit, apt_get_chain) {
  expect_split(
      "apt-get update && apt-get install -y --no-install-recommends "
      "ca-certificates curl && rm -rf /var/lib/apt/lists/*",
      "0 - apt-get update\n"
      "0 && apt-get install -y --no-install-recommends ca-certificates curl\n"
      "0 && rm -rf /var/lib/apt/lists/*\n");
}

Test(shsplit, pipes_number_pipelines) {
  pol_arena a = POL_ARENA_INIT;
  size_t n;
  df_sh_command *c = split(&a, "curl -fsSL https://get.example.sh | sudo bash -s"
                            " -- -y; wget -qO- x | tar xz | cat", &n);
  cr_assert_eq(n, 5);
  cr_assert_str_eq(c[0].argv[0].s, "curl");
  cr_assert_str_eq(c[1].argv[0].s, "sudo");
  cr_assert_eq(c[0].pipeline, c[1].pipeline);
  cr_assert_eq(c[0].pipe_index, 0);
  cr_assert_eq(c[1].pipe_index, 1);
  cr_assert_str_eq(c[1].op_before, "|");
  cr_assert_neq(c[2].pipeline, c[1].pipeline);
  cr_assert_eq(c[2].pipeline, c[4].pipeline);
  cr_assert_eq(c[4].pipe_index, 2);
  pol_arena_free(&a);
}

Test(shsplit, offsets_point_into_the_script) {
  pol_arena a = POL_ARENA_INIT;
  size_t n;
  const char *s = "FOO=1 pip install  --no-cache-dir 'a b' >/dev/null 2>&1";
  df_sh_command *c = split(&a, s, &n);
  cr_assert_eq(n, 1);
  cr_assert_eq(c[0].nassigns, 1);
  cr_assert_str_eq(c[0].assigns[0].s, "FOO=1");
  cr_assert_eq(c[0].argc, 4);
  cr_assert_str_eq(c[0].argv[3].s, "a b");
  cr_assert_eq(c[0].argv[3].off, 34);
  cr_assert_eq(c[0].argv[3].end, 39);
  cr_assert_eq(c[0].argv[1].off, 10);
  cr_assert_eq(c[0].off, 0);
  cr_assert_eq(c[0].end, strlen(s));
  pol_arena_free(&a);
}

Test(shsplit, set_eux_and_continuations_with_comments) {
  expect_split("set -eux; \\\n"
               "    # fetch the sources\n"
               "    git clone --depth 1 https://example.org/r.git /src \\\n"
               "      && cd /src; \\\n"
               "    make -j\"$(nproc)\" install # and install\n"
               "echo done",
               "0 - set -eux\n"
               "0 NL git clone --depth 1 https://example.org/r.git /src\n"
               "0 && cd /src\n"
               "0 ; make -j$(nproc) install\n"
               "1 - nproc\n"
               "0 NL echo done\n");
}

Test(shsplit, quotes_and_escapes_are_removed_not_expanded) {
  expect_split("echo \"a && b\" 'c | d' e\\ f \"$HOME\" '$HOME' \"x\\\"y\" "
               "$'t\\tab' \"\\q\"",
               "0 - echo \"a && b\" \"c | d\" \"e f\" $HOME $HOME \"x\\\"y\" "
               "\"t\\tab\" \"\\\\q\"\n");
}

Test(shsplit, if_for_while_case) {
  expect_split(
      "if apt-get install -y x; then echo ok; elif true; then :; "
      "else exit 1; fi\n"
      "for p in numpy $(cat reqs); do pip install $p; done\n"
      "while read -r l; do echo \"$l\"; done < list\n"
      "case \"$ARCH\" in\n"
      "  amd64|x86_64) A=x64 echo amd ;;\n"
      "  (arm*) echo arm;;\n"
      "  *) exit 1 ;;\n"
      "esac; echo after",
      "0 - apt-get install -y x\n"
      "0 ; echo ok\n"
      "0 ; true\n"
      "0 ; :\n"
      "0 ; exit 1\n"
      "1 - cat reqs\n"
      "0 ; pip install $p\n"
      "0 NL read -r l\n"
      "0 ; echo $l\n"
      "0 NL {A=x64} echo amd\n"
      "0 ; echo arm\n"
      "0 ; exit 1\n"
      "0 ; echo after\n");
}

Test(shsplit, groups_functions_and_bash_forms) {
  expect_split(
      "(cd /tmp && make) | tee log; { echo a; echo b; } > out\n"
      "f() { apt-get install -y z; }; function g { sudo id; }\n"
      "[[ -n \"$X\" && -f y ]] && (( n++ )) || ! grep -q x f\n"
      "diff <(sort a) <(sort b)",
      "0 - cd /tmp\n"
      "0 && make\n"
      "0 | tee log\n"
      "0 ; echo a\n"
      "0 ; echo b\n"
      "0 NL apt-get install -y z\n"
      "0 ; sudo id\n"
      "0 NL [[ -n $X && -f y ]]\n"
      "0 || grep -q x f\n"
      "0 NL diff \"<(sort a)\" \"<(sort b)\"\n"
      "1 - sort a\n"
      "1 - sort b\n");
}

Test(shsplit, sh_c_scripts_are_split) {
  expect_split(
      "sh -c 'apt-get update && apt-get install -y git'; "
      "/bin/bash -ec \"pip install x\"; "
      "sudo -u app bash -o pipefail -c 'curl x | sh'; "
      "env A=1 dash -c id; su -c 'make install' build; bash script.sh",
      "0 - sh -c \"apt-get update && apt-get install -y git\"\n"
      "1 - apt-get update\n"
      "1 && apt-get install -y git\n"
      "0 ; /bin/bash -ec \"pip install x\"\n"
      "1 - pip install x\n"
      "0 ; sudo -u app bash -o pipefail -c \"curl x | sh\"\n"
      "1 - curl x\n"
      "1 | sh\n"
      "0 ; env A=1 dash -c id\n"
      "1 - id\n"
      "0 ; su -c \"make install\" build\n"
      "1 - make install\n"
      "0 ; bash script.sh\n");
}

Test(shsplit, nested_offsets_keep_their_place_in_a_quoted_script) {
  pol_arena a = POL_ARENA_INIT;
  size_t n;
  /* One quoted word: the script is a slice of the input. */
  const char *s = "x; sh -c \"cd /app && make\"";
  df_sh_command *c = split(&a, s, &n);
  cr_assert_eq(n, 4);
  cr_assert_eq(c[2].depth, 1);
  cr_assert_eq(c[2].off, 10);
  cr_assert_eq(c[2].end, 17);
  cr_assert_eq(c[3].argv[0].off, 21);
  cr_assert_null(c[2].op_before);
  /* su -c 'script' too. */
  s = "su -c 'apt-get update' root";
  c = split(&a, s, &n);
  cr_assert_eq(n, 2);
  cr_assert_eq(c[1].off, 7);
  cr_assert_eq(c[1].end, 21);
  pol_arena_free(&a);
}

Test(shsplit, nested_offsets_use_the_containing_word_when_unquoted) {
  pol_arena a = POL_ARENA_INIT;
  size_t n;
  /* Escapes inside the string: the script is not a slice of the input. */
  const char *s = "x; sh -c \"echo \\\"hi\\\" && make\"";
  df_sh_command *c = split(&a, s, &n);
  cr_assert_eq(n, 4);
  cr_assert_eq(c[2].depth, 1);
  cr_assert_eq(c[2].off, 9);
  cr_assert_eq(c[2].end, strlen(s));
  cr_assert_eq(c[3].argv[0].off, 9);
  pol_arena_free(&a);
}

Test(shsplit, command_substitutions) {
  expect_split(
      "echo $(curl -s x | sh) `id -u` \"$(date)\"; "
      "V=$(wget -qO- y); echo ${V:-$(hostname)}; echo `echo \\`pwd\\``",
      "0 - echo \"$(curl -s x | sh)\" \"`id -u`\" $(date)\n"
      "1 - curl -s x\n"
      "1 | sh\n"
      "1 - id -u\n"
      "1 - date\n"
      "1 - wget -qO- y\n"
      "0 ; echo ${V:-$(hostname)}\n"
      "1 - hostname\n"
      "0 ; echo \"`echo \\\\`pwd\\\\``\"\n"
      "1 - echo `pwd`\n"
      "2 - pwd\n");
}

Test(shsplit, substitution_end_honours_quotes_and_case) {
  expect_split("x=$(echo ')' \"(\" ; case $a in b) echo b;; esac) && y",
               "1 - echo ) (\n"
               "1 ; echo b\n"
               "0 && y\n");
}

Test(shsplit, sh_c_of_a_substitution_is_not_split_twice) {
  expect_split("sh -c \"$(curl -fsSL https://x)\"",
               "0 - sh -c \"$(curl -fsSL https://x)\"\n"
               "1 - curl -fsSL https://x\n"
               "1 - \"$(curl -fsSL https://x)\"\n");
}

Test(shsplit, redirections_and_heredocs) {
  expect_split("cat <<EOF > /etc/apt/sources.list\n"
               "deb http://x stable main && rm -rf /\n"
               "EOF\n"
               "cat <<-'END' | sh\n"
               "\tcurl evil\n"
               "\tEND\n"
               "grep -q x <<< \"$v\" 2>/dev/null && exec 3>&1 &>log",
               "0 - cat\n"
               "0 NL cat\n"
               "0 | sh\n"
               "0 NL grep -q x\n"
               "0 && exec\n");
}

Test(shsplit, comments_only_at_word_start) {
  expect_split("echo a#b # c && d\n#whole line; rm -rf /\necho e",
               "0 - echo a#b\n"
               "0 NL echo e\n");
}

Test(shsplit, assignments_only_are_not_commands) {
  expect_split("A=1 B=\"x y\"; export C=2; ARR=(1 2) run",
               "0 ; export C=2\n"
               "0 ; {\"ARR=(1 2)\"} run\n");
}

Test(shsplit, garbage_never_crashes) {
  static const char *const bad[] = {
      "\"unterminated", "echo 'open", "echo $(unclosed", ")))) ((((",
      "a && && || ; ;; | & > < <<", "`", "${", "$((", "<<", "case", "for",
      "if then fi done esac }", "\\", "f() (", "[[ ", "x <<E\nno end",
      "$'\\", "echo \"$(\"", "\0\xff\xfe", "((()))))(((", ";;&|&&>>|",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    pol_arena a = POL_ARENA_INIT;
    df_sh_command *c;
    size_t n;
    size_t len = strlen(bad[i]) ? strlen(bad[i]) : 3;
    cr_assert_eq(df_shsplit(&a, bad[i], len, NULL, &c, &n), SH_OK, "%s", bad[i]);
    for (size_t k = 0; k < n; k++) cr_assert_leq(c[k].end, len);
    pol_arena_free(&a);
  }
}

Test(shsplit, limits) {
  pol_buf b = POL_BUF_INIT;
  for (int i = 0; i < 100000; i++) pol_buf_puts(&b, "$(");
  pol_arena a = POL_ARENA_INIT;
  df_sh_command *c;
  size_t n;
  df_sh_limits lim = {16, 10};
  cr_assert_eq(df_shsplit(&a, b.data, b.len, &lim, &c, &n), SH_ERR_LIMIT);
  cr_assert_eq(n, 0);
  pol_buf_clear(&b);
  for (int i = 0; i < 11; i++) pol_buf_puts(&b, "a;");
  cr_assert_eq(df_shsplit(&a, b.data, b.len, &lim, &c, &n), SH_ERR_LIMIT);
  pol_buf_clear(&b);
  for (int i = 0; i < 10; i++) pol_buf_puts(&b, "a;");
  cr_assert_eq(df_shsplit(&a, b.data, b.len, &lim, &c, &n), SH_OK);
  cr_assert_eq(n, 10);
  pol_buf_clear(&b);
  for (int i = 0; i < 100000; i++) pol_buf_puts(&b, "( ");
  cr_assert_eq(df_shsplit(&a, b.data, b.len, &lim, &c, &n), SH_ERR_LIMIT);
  pol_buf_free(&b);
  pol_arena_free(&a);
}

Test(shsplit, long_scripts_take_linear_time) {
  pol_buf b = POL_BUF_INIT;
  for (int i = 0; i < 15000; i++) pol_buf_puts(&b, "echo $(a) \"$(b)\" `c` | d && ");
  pol_arena a = POL_ARENA_INIT;
  df_sh_command *c;
  size_t n;
  cr_assert_eq(df_shsplit(&a, b.data, b.len, NULL, &c, &n), SH_OK);
  cr_assert_eq(n, 15000 * 5);
  pol_buf_free(&b);
  pol_arena_free(&a);
}

Test(shsplit, out_of_memory_is_reported_cleanly) {
  const char *s = "apt-get install -y $(cat l) && sh -c 'curl x | sh' | tee";
  for (unsigned long k = 1;; k++) {
    pol_arena a = POL_ARENA_INIT;
    df_sh_command *c;
    size_t n;
    pol_alloc_inject_failure(k, 0);
    int rc = df_shsplit(&a, s, strlen(s), NULL, &c, &n);
    unsigned long used = pol_alloc_inject_failure(0, 0);
    pol_arena_free(&a);
    if (used < k) {
      cr_assert_eq(rc, SH_OK);
      cr_assert_eq(n, 6);
      break;
    }
    cr_assert_eq(rc, SH_ERR_NOMEM, "failure %lu gave %d", k, rc);
    cr_assert_null(c);
  }
}
