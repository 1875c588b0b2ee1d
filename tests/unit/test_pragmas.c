/*
** test_pragmas.c: hadolint's pragmas (model/suppress.c's grammar) and
** what each covers in a Dockerfile (dockerfile/pragmas.c): the next line
** only, the rest of a stage as hadolint keys it, the whole file; a
** voided pragma; the declared shell; disable-ignore-pragma.
*/
#include <criterion/criterion.h>
#include <string.h>

#include "dockerfile/stages.h"
#include "model/suppress.h"
#include "model_path.h"

static pol_arena arena;

static void teardown(void) { pol_arena_free(&arena); }
TestSuite(pragmas, .fini = teardown);

static pm_value *parse_off(const char *text, bool off) {
  df_build_opts o = {NULL, 0, NULL, 0, off};
  pm_value *doc = NULL;
  cr_assert_eq(df_build(&arena, "Dockerfile", text, strlen(text), &o, &doc), DFB_OK);
  return doc;
}

static pm_value *parse(const char *text) { return parse_off(text, false); }

/* The kind pm_pragma_parse gives the text; the codes joined by ','. */
static pm_pragma_kind kind_of(const char *text, char *codes, size_t size) {
  pm_pragma p;
  pm_pragma_kind k = pm_pragma_parse(text, strlen(text), &p);
  codes[0] = '\0';
  if (k == PM_PRAGMA_NONE || k == PM_PRAGMA_SHELL) {
    if (k == PM_PRAGMA_SHELL) snprintf(codes, size, "%.*s", (int)p.shell_len, p.shell);
    return k;
  }
  pm_value *ids = pm_pragma_codes(&arena, &p, pm_nopos);
  cr_assert_not_null(ids);
  for (size_t i = 0; i < ids->u.arr.len; i++)
    snprintf(codes + strlen(codes), size - strlen(codes), "%s%s", i ? "," : "", ids->u.arr.items[i]->u.str.s);
  return k;
}

Test(pragmas, grammar_as_hadolint_reads_it) {
  static const struct { const char *text; pm_pragma_kind kind; const char *codes; } cases[] = {
      {" hadolint ignore=DL3002", PM_PRAGMA_IGNORE, "DL3002"},
      {"hadolint ignore=DL3002,SC2086", PM_PRAGMA_IGNORE, "DL3002,SC2086"},
      {"  hadolint \t ignore = DL3023 , DL3021  ", PM_PRAGMA_IGNORE, "DL3023,DL3021"},
      {" hadolint ignore=DL3003 # reason, DL3004", PM_PRAGMA_IGNORE, "DL3003"},
      {" hadolint ignore=DL3003#why", PM_PRAGMA_IGNORE, "DL3003"},
      {" hadolint ignore=DL3002 ", PM_PRAGMA_IGNORE, "DL3002"},
      {" hadolint ignore=crazy,DL3002", PM_PRAGMA_NONE, ""},
      {" hadolint ignore=dl3002", PM_PRAGMA_NONE, ""},        /* case-sensitive */
      {" Hadolint ignore=DL3002", PM_PRAGMA_NONE, ""},
      {" hadolint ignore=DL3002 foo", PM_PRAGMA_NONE, ""},
      {" hadolint ignore=DL3002 DL3003", PM_PRAGMA_NONE, ""},
      {" hadolint ignore=", PM_PRAGMA_NONE, ""},
      {" hadolint ignore=DL3002,", PM_PRAGMA_NONE, ""},
      {" hadolintignore=DL3002", PM_PRAGMA_NONE, ""},
      {"# hadolint ignore=DL3002", PM_PRAGMA_NONE, ""},       /* "##" */
      {" hadolint stage ignore=DL3011", PM_PRAGMA_STAGE, "DL3011"},
      {" hadolint  stage  ignore = DL3011 ,DL3002 # x", PM_PRAGMA_STAGE, "DL3011,DL3002"},
      {" hadolint stageignore=DL3011", PM_PRAGMA_NONE, ""},
      {" hadolint global ignore = DL3023 , DL3021", PM_PRAGMA_GLOBAL, "DL3023,DL3021"},
      {" hadolint globalignore=DL3002", PM_PRAGMA_NONE, ""},
      {" hadolint shell=powershell", PM_PRAGMA_SHELL, "powershell"},
      {"  hadolint \t shell = powershell.exe  ", PM_PRAGMA_SHELL, "powershell.exe"},
      {" hadolint shell=pwsh # a comment", PM_PRAGMA_SHELL, "pwsh"},
      {" hadolint shell=powershell foo", PM_PRAGMA_NONE, ""},
      {" hadolint shell=", PM_PRAGMA_NONE, ""},
      {" hadolint is run in CI", PM_PRAGMA_NONE, ""},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    char codes[128];
    pm_pragma_kind k = kind_of(cases[c].text, codes, sizeof codes);
    cr_assert_eq(k, cases[c].kind, "'%s': kind %d, want %d", cases[c].text, k, cases[c].kind);
    cr_assert_str_eq(codes, cases[c].codes, "'%s'", cases[c].text);
  }
  cr_assert(pm_pragma_malformed(" hadolint ignore=crazy,DL3002", 29));
  cr_assert(!pm_pragma_malformed(" hadolint is run in CI", 22));
  cr_assert(pm_hadolint_comment("# hadolint ignore=X", 19));
  cr_assert(!pm_hadolint_comment("# policy ignore=X", 17));
}

Test(pragmas, ignore_covers_the_next_line_only) {
  pm_value *d = parse("FROM ubuntu\n"
                      "# hadolint ignore=DL3002 # root on purpose\n"
                      "USER root\n"
                      "# hadolint ignore=DL3003\n"
                      "\n"
                      "RUN cd /x\n"
                      "# hadolint ignore=DL3004\n"
                      "# an explanation\n"
                      "RUN sudo x\n"
                      "# hadolint ignore=DL3059\n"
                      "RUN a && \\\n    b\n");
  cr_assert_eq(len(d, "pragmas"), 4);
  cr_assert_eq(len(d, "suppressions"), 2);
  cr_assert_str_eq(s(d, "suppressions.0.ids.0"), "DL3002");
  cr_assert_eq(i(d, "suppressions.0.line"), 3);
  cr_assert_eq(i(d, "suppressions.0.end_line"), 3);
  cr_assert_str_eq(s(d, "suppressions.0.reason"), "root on purpose");
  cr_assert_eq(get(d, "suppressions.0")->pos.line, 2); /* the comment */
  cr_assert_eq(i(d, "suppressions.1.line"), 11);
  cr_assert_eq(i(d, "suppressions.1.end_line"), 12); /* every line of the instruction */
  cr_assert(is_null(d, "suppressions.1.reason"));
  /* the two that cover nothing are warnings */
  cr_assert_eq(len(d, "warnings"), 2);
  cr_assert_eq(get(d, "warnings.0")->pos.line, 4);
  cr_assert_eq(get(d, "warnings.1")->pos.line, 7);
}

Test(pragmas, a_bad_code_voids_the_pragma) {
  pm_value *d = parse("FROM scratch\n# hadolint ignore=crazy,DL3002\nUSER root\n");
  cr_assert_null(get(d, "pragmas"));
  cr_assert_eq(len(d, "suppressions"), 0);
  cr_assert_eq(len(d, "warnings"), 1);
  cr_assert(strstr(s(d, "warnings.0.message"), "voids the whole comment"));
}

Test(pragmas, stage_reach_is_hadolints) {
  /* above a FROM: that stage's instructions (and the next FROM line) */
  pm_value *d = parse("# hadolint stage ignore=DL3011\nFROM ubuntu\nEXPOSE 80000\n"
                      "FROM ubuntu\nEXPOSE 80000\n");
  cr_assert_eq(len(d, "suppressions"), 1);
  cr_assert_eq(i(d, "suppressions.0.line"), 3);
  cr_assert_eq(i(d, "suppressions.0.end_line"), 4);
  /* inside a stage: from the second instruction after it */
  d = parse("FROM ubuntu\nEXPOSE 80000\n# hadolint stage ignore=DL3011\nEXPOSE 80001\n"
            "EXPOSE 80002\nFROM ubuntu\nEXPOSE 80003\n");
  cr_assert_eq(i(d, "suppressions.0.line"), 5);
  cr_assert_eq(i(d, "suppressions.0.end_line"), 6);
  /* a later stage pragma ends it one line after itself */
  d = parse("# hadolint stage ignore=DL3011\nFROM a\nEXPOSE 1\n# hadolint stage ignore=DL3002\n"
            "USER root\nEXPOSE 2\n");
  cr_assert_eq(len(d, "suppressions"), 2);
  cr_assert_eq(i(d, "suppressions.0.line"), 3);
  cr_assert_eq(i(d, "suppressions.0.end_line"), 5);
  cr_assert_eq(i(d, "suppressions.1.line"), 6);
  cr_assert_eq(i(d, "suppressions.1.end_line"), 6);
}

Test(pragmas, global_anywhere) {
  pm_value *d = parse("FROM ubuntu\nUSER root\n# hadolint global ignore=DL3002,DL3006\n");
  cr_assert_eq(len(d, "suppressions"), 1);
  cr_assert(b(d, "suppressions.0.global"));
  cr_assert_eq(len(d, "suppressions.0.ids"), 2);
  cr_assert_str_eq(s(d, "pragmas.0.kind"), "global");
}

Test(pragmas, comments_inside_instructions_and_heredocs_are_not_pragmas) {
  pm_value *d = parse("FROM debian\nRUN <<EOF\n# hadolint global ignore=DL3008\nEOF\n"
                      "RUN apt-get update && \\\n# hadolint global ignore=DL3009\n    true\n");
  cr_assert_null(get(d, "pragmas"));
  cr_assert_eq(len(d, "suppressions"), 0);
}

Test(pragmas, policy_comments_keep_their_semantics) {
  pm_value *d = parse("FROM ubuntu\n# policy ignore=image-runs-as-root -- by design\n\n"
                      "# another comment\nUSER root\n");
  cr_assert_eq(len(d, "suppressions"), 1);
  cr_assert_eq(i(d, "suppressions.0.line"), 5);
  cr_assert_null(get(d, "pragmas"));
}

Test(pragmas, declared_shell) {
  pm_value *d = parse("# hadolint shell=powershell\nFROM a AS one\nFROM b\n# hadolint shell=cmd\n"
                      "RUN x\nFROM one\nFROM two\n");
  cr_assert_str_eq(s(d, "images.0.declared_shell"), "powershell"); /* the file's default */
  cr_assert_str_eq(s(d, "images.1.declared_shell"), "cmd");        /* its own */
  cr_assert_str_eq(s(d, "images.2.declared_shell"), "powershell"); /* FROM one inherits */
  cr_assert_str_eq(s(d, "images.3.declared_shell"), "powershell");
  d = parse("FROM a\nRUN x\n");
  cr_assert_null(get(d, "images.0.declared_shell"));
}

Test(pragmas, disabled_ignores_are_kept_as_pragmas_only) {
  pm_value *d = parse_off("# hadolint global ignore=DL3006\n# hadolint stage ignore=DL3002\n"
                          "FROM ubuntu\n# hadolint ignore=DL3002\nUSER root\n", true);
  cr_assert_eq(len(d, "pragmas"), 3);
  cr_assert_eq(len(d, "suppressions"), 0);
  cr_assert_eq(len(d, "warnings"), 0);
}
