/*
** test_build.c: Dockerfile semantics: stages, references, scoping of ARG
** and ENV, effective users, ports, healthchecks, copies, mounts, RUN
** commands and the positions of each.
*/
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "dockerfile/stages.h"
#include "model/to_json.h"
#include "model_path.h"

static pol_arena arena;

static void teardown(void) { pol_arena_free(&arena); }
TestSuite(build, .fini = teardown);

static pm_value *parse_opts(const char *text, const df_build_opts *o) {
  pm_value *doc = NULL;
  cr_assert_eq(df_build(&arena, "Dockerfile", text, strlen(text), o, &doc), DFB_OK);
  cr_assert_not_null(doc);
  return doc;
}

static pm_value *parse(const char *text) { return parse_opts(text, NULL); }

Test(build, stages_names_index_and_final) {
  pm_value *d = parse("FROM golang:1.22 AS Build\nRUN go build\n"
                      "FROM alpine:3.20\nCOPY --from=build /app /app\n");
  cr_assert_eq(len(d, "images"), 2);
  cr_assert_str_eq(s(d, "images.0.name"), "build");
  cr_assert(is_null(d, "images.1.name"));
  cr_assert_eq(i(d, "images.1.index"), 1);
  cr_assert(!b(d, "images.0.final"));
  cr_assert(b(d, "images.1.final"));
  cr_assert_eq(len(d, "errors"), 0);
}

Test(build, target_chooses_the_final_stage) {
  df_build_opts o = {NULL, 0, "build", 0, false};
  pm_value *d = parse_opts("FROM a AS build\nFROM b\n", &o);
  cr_assert(b(d, "images.0.final"));
  cr_assert(!b(d, "images.1.final"));
}

Test(build, from_references) {
  pm_value *d = parse("FROM ubuntu\nFROM scratch\nFROM ghcr.io/x/y:1@sha256:"
                      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 AS z\n"
                      "FROM z\n");
  cr_assert(b(d, "images.0.from.implicit_latest"));
  cr_assert_str_eq(s(d, "images.0.from.repository"), "library/ubuntu");
  cr_assert(b(d, "images.1.from.scratch"));
  cr_assert_str_eq(s(d, "images.2.from.registry"), "ghcr.io");
  cr_assert_str_eq(s(d, "images.2.from.tag"), "1");
  cr_assert_str_eq(s(d, "images.3.from.stage"), "z");
  cr_assert_eq(i(d, "images.3.parent"), 2);
}

Test(build, global_args_only_in_from) {
  pm_value *d = parse("ARG BASE=alpine\nARG TAG=3.${MINOR:-19}\n"
                      "FROM ${BASE}:${TAG}\nRUN echo $BASE\nARG BASE\nENV X=$BASE\n");
  cr_assert_str_eq(s(d, "images.0.from.raw"), "${BASE}:${TAG}");
  cr_assert_str_eq(s(d, "images.0.from.repository"), "library/alpine");
  cr_assert_str_eq(s(d, "images.0.from.tag"), "3.19");
  /* ARG BASE without a default inside the stage takes the global value. */
  cr_assert_str_eq(s(d, "images.0.env.X"), "alpine");
  cr_assert_str_eq(s(d, "images.0.args.BASE"), "alpine");
}

Test(build, unset_arg_in_from_is_unresolved_not_guessed) {
  pm_value *d = parse("ARG IMAGE\nFROM $IMAGE\nFROM base-${TARGETARCH}\n");
  cr_assert(b(d, "images.0.from.unresolved"));
  cr_assert(b(d, "images.1.from.unresolved"));
  cr_assert(is_null(d, "images.0.from.tag"));
}

Test(build, build_args_override_defaults) {
  const char *args[] = {"TAG=3.20", "TARGETARCH=arm64"};
  df_build_opts o = {args, 2, NULL, 0, false};
  pm_value *d = parse_opts("ARG TAG=latest\nFROM alpine:$TAG\n"
                           "FROM img-${TARGETARCH}\nARG TAG=x\n", &o);
  cr_assert_str_eq(s(d, "images.0.from.tag"), "3.20");
  cr_assert_str_eq(s(d, "images.1.from.repository"), "library/img-arm64");
  cr_assert_str_eq(s(d, "images.1.args.TAG"), "3.20");
}

Test(build, env_words_expand_against_previous_values) {
  pm_value *d = parse("FROM a\nENV abc=hello\nENV abc=bye def=$abc\n"
                      "ENV legacy value with  spaces\n");
  cr_assert_str_eq(s(d, "images.0.env.abc"), "bye");
  cr_assert_str_eq(s(d, "images.0.env.def"), "hello");
  cr_assert_str_eq(s(d, "images.0.env.legacy"), "value with  spaces");
}

Test(build, env_beats_arg_of_the_same_name) {
  pm_value *d = parse("FROM a\nENV V=env\nARG V=arg\nRUN true\nENV W=$V\n");
  cr_assert_str_eq(s(d, "images.0.env.W"), "env");
}

Test(build, arg_is_visible_from_its_line_on) {
  pm_value *d = parse("FROM a\nENV A=${X:-unset}\nARG X=set\nENV B=${X:-unset}\n");
  cr_assert_str_eq(s(d, "images.0.env.A"), "unset");
  cr_assert_str_eq(s(d, "images.0.env.B"), "set");
}

Test(build, user_follows_stage_chains) {
  pm_value *d = parse("FROM alpine AS base\nUSER app\n"
                      "FROM base AS mid\nRUN id\n"
                      "FROM mid\n"
                      "FROM debian\n");
  cr_assert_str_eq(s(d, "images.0.user"), "app");
  cr_assert_str_eq(s(d, "images.1.user"), "app");
  cr_assert_str_eq(s(d, "images.2.user"), "app");
  cr_assert(is_null(d, "images.3.user"), "an external base's user is unknown");
  /* The user's position is that of the USER instruction. */
  cr_assert_eq(get(d, "images.2.user")->pos.line, 2);
}

Test(build, last_user_wins_and_expands) {
  pm_value *d = parse("FROM a\nARG U=1000\nUSER root\nRUN x\nUSER ${U}:${U}\n");
  cr_assert_str_eq(s(d, "images.0.user"), "1000:1000");
}

Test(build, env_and_labels_are_inherited_from_a_stage) {
  pm_value *d = parse("FROM a AS one\nENV P=/x\nLABEL team=sec\nWORKDIR /srv\n"
                      "FROM one\nENV Q=$P/y\nWORKDIR sub/../app\n");
  cr_assert_str_eq(s(d, "images.1.env.P"), "/x");
  cr_assert_str_eq(s(d, "images.1.env.Q"), "/x/y");
  cr_assert_str_eq(s(d, "images.1.labels.team"), "sec");
  cr_assert_str_eq(s(d, "images.1.workdir"), "/srv/app");
  cr_assert_str_eq(s(d, "images.0.workdir"), "/srv");
}

Test(build, expose_ranges_protocols_and_variables) {
  pm_value *d = parse("FROM a\nARG P=\"80 443\"\nEXPOSE $P 8000-8010/udp 53/TCP bad/x\n");
  cr_assert_eq(len(d, "images.0.expose"), 5);
  cr_assert_eq(i(d, "images.0.expose.0.port"), 80);
  cr_assert_eq(i(d, "images.0.expose.1.port"), 443);
  cr_assert_eq(i(d, "images.0.expose.2.end_port"), 8010);
  cr_assert_str_eq(s(d, "images.0.expose.2.protocol"), "udp");
  cr_assert_str_eq(s(d, "images.0.expose.3.protocol"), "tcp");
  cr_assert_not_null(get(d, "images.0.expose.4.error"));
  cr_assert_eq(len(d, "warnings"), 1);
}

Test(build, healthcheck_forms) {
  pm_value *d = parse("FROM a\nHEALTHCHECK --interval=1m30s --retries=3 CMD curl -f http://x/\n"
                      "FROM b\nHEALTHCHECK CMD [\"/bin/check\", \"-q\"]\n"
                      "FROM c\nHEALTHCHECK NONE\n");
  cr_assert_str_eq(s(d, "images.0.healthcheck.test.0"), "CMD-SHELL");
  cr_assert_str_eq(s(d, "images.0.healthcheck.test.1"), "curl -f http://x/");
  cr_assert_float_eq(get(d, "images.0.healthcheck.interval")->u.n, 90.0, 1e-9);
  cr_assert_eq(i(d, "images.0.healthcheck.retries"), 3);
  cr_assert_str_eq(s(d, "images.1.healthcheck.test.0"), "CMD");
  cr_assert_str_eq(s(d, "images.1.healthcheck.test.2"), "-q");
  cr_assert(b(d, "images.2.healthcheck.disabled"));
  cr_assert(is_null(d, "images.0.healthcheck.timeout"));
}

Test(build, cmd_and_entrypoint_forms) {
  pm_value *d = parse("FROM a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"
                      "CMD echo hi\nENTRYPOINT [\"tini\", \"--\"]\n");
  cr_assert_str_eq(s(d, "images.0.cmd.form"), "shell");
  cr_assert_str_eq(s(d, "images.0.cmd.argv.0"), "/bin/bash");
  cr_assert_str_eq(s(d, "images.0.cmd.argv.4"), "echo hi");
  cr_assert_str_eq(s(d, "images.0.entrypoint.form"), "exec");
  cr_assert_eq(len(d, "images.0.entrypoint.argv"), 2);
}

Test(build, copies_with_flags_urls_and_stages) {
  pm_value *d = parse("FROM a AS build\nFROM b\nARG D=/dst\n"
                      "COPY --from=build --chown=app:app --chmod=0644 --link x y $D/\n"
                      "ADD https://example.com/f.tgz /opt/\n"
                      "COPY --from=nginx:1.25 /etc/nginx /etc/nginx\n"
                      "COPY --from=0 /a /b\n");
  cr_assert_eq(len(d, "images.1.copies"), 4);
  cr_assert_str_eq(s(d, "images.1.copies.0.from"), "build");
  cr_assert_eq(i(d, "images.1.copies.0.from_stage"), 0);
  cr_assert_str_eq(s(d, "images.1.copies.0.chown"), "app:app");
  cr_assert_str_eq(s(d, "images.1.copies.0.chmod"), "0644");
  cr_assert(b(d, "images.1.copies.0.link"));
  cr_assert_str_eq(s(d, "images.1.copies.0.dest"), "/dst/");
  cr_assert_eq(len(d, "images.1.copies.0.sources"), 2);
  cr_assert(b(d, "images.1.copies.1.add"));
  cr_assert(b(d, "images.1.copies.1.url"));
  cr_assert_str_eq(s(d, "images.1.copies.2.from_image.repository"), "library/nginx");
  cr_assert_eq(i(d, "images.1.copies.3.from_stage"), 0);
  cr_assert_eq(len(d, "errors"), 0);
}

Test(build, copy_from_a_later_stage_is_an_error) {
  pm_value *d = parse("FROM a AS one\nCOPY --from=two /x /y\nFROM b AS two\n");
  cr_assert_eq(len(d, "errors"), 0, "an unknown name is an image reference");
  d = parse("FROM a AS one\nCOPY --from=one /x /y\n");
  cr_assert_eq(len(d, "errors"), 1);
  cr_assert(strstr(s(d, "errors.0.message"), "cannot copy from stage") != NULL);
}

Test(build, copy_url_is_an_error) {
  pm_value *d = parse("FROM a\nCOPY https://x/y /z\n");
  cr_assert_str_eq(s(d, "errors.0.message"), "source can't be a URL for COPY");
}

Test(build, run_mounts_and_secrets) {
  pm_value *d = parse("FROM a\nRUN --mount=type=secret,id=npm,target=/root/.npmrc "
                      "--mount=type=cache,target=/var/cache/apt "
                      "--mount=type=secret,target=/run/secrets/aws,required=true "
                      "--mount=type=ssh npm ci\n");
  cr_assert_eq(len(d, "images.0.secrets"), 2);
  cr_assert_str_eq(s(d, "images.0.secrets.0.id"), "npm");
  cr_assert_str_eq(s(d, "images.0.secrets.1.id"), "aws");
  cr_assert(b(d, "images.0.secrets.1.required"));
  cr_assert_str_eq(s(d, "images.0.instructions.1.mounts.1.type"), "cache");
  cr_assert(!b(d, "images.0.instructions.1.mounts.1.readonly"));
  cr_assert(b(d, "images.0.instructions.1.mounts.0.readonly"));
  cr_assert_str_eq(s(d, "images.0.instructions.1.mounts.3.type"), "ssh");
}

Test(build, bad_mount_is_an_error_with_upstream_words) {
  pm_value *d = parse("FROM a\nRUN --mount=type=foo x\n");
  cr_assert_str_eq(s(d, "errors.0.message"), "unsupported mount type \"foo\"");
  d = parse("FROM a\nRUN --mount=type=bind,mode=0700 x\n");
  cr_assert_str_eq(s(d, "errors.0.message"), "mode not allowed for \"bind\" type mounts");
}

Test(build, run_commands_split_with_positions) {
  pm_value *d = parse("FROM debian\n"
                      "RUN apt-get update && \\\n"
                      "    apt-get install -y curl \\\n"
                      "    && rm -rf /var/lib/apt/lists/*\n");
  cr_assert_eq(len(d, "images.0.commands"), 3);
  cr_assert_str_eq(s(d, "images.0.commands.1.argv.0"), "apt-get");
  cr_assert_str_eq(s(d, "images.0.commands.1.argv.3"), "curl");
  cr_assert_str_eq(s(d, "images.0.commands.1.op"), "&&");
  pm_value *c = get(d, "images.0.commands.1");
  cr_assert_eq(c->pos.line, 3);
  cr_assert_eq(c->pos.col, 5);
  pm_value *w = get(d, "images.0.commands.1.argv.3");
  cr_assert_eq(w->pos.line, 3);
  cr_assert_eq(w->pos.col, 24);
  cr_assert_eq(get(d, "images.0.commands.2")->pos.line, 4);
}

Test(build, run_pipes_share_a_pipeline) {
  pm_value *d = parse("FROM a\nRUN curl -fsSL https://x | sh\nRUN wget -qO- y | bash\n");
  cr_assert_eq(len(d, "images.0.commands"), 4);
  cr_assert_eq(i(d, "images.0.commands.0.pipeline"), i(d, "images.0.commands.1.pipeline"));
  cr_assert_eq(i(d, "images.0.commands.1.pipe_index"), 1);
  cr_assert_neq(i(d, "images.0.commands.1.pipeline"), i(d, "images.0.commands.2.pipeline"));
}

Test(build, run_exec_form_is_one_command) {
  pm_value *d = parse("FROM a\nRUN [\"apt-get\", \"install\", \"-y\", \"x && y\"]\n");
  cr_assert_eq(len(d, "images.0.commands"), 1);
  cr_assert_str_eq(s(d, "images.0.commands.0.argv.3"), "x && y");
  cr_assert_str_eq(s(d, "images.0.commands.0.source"), "exec");
}

Test(build, run_heredoc_scripts_are_split) {
  pm_value *d = parse("FROM a\nRUN <<EOF\nset -e\napt-get install -y vim\nEOF\n"
                      "RUN python3 <<EOF\nimport os\nEOF\n"
                      "RUN bash <<'X'\necho one | tee f\nX\n");
  pm_value *cmds = get(d, "images.0.commands");
  cr_assert_eq(cmds->u.arr.len, 6);
  cr_assert_str_eq(s(d, "images.0.commands.1.argv.0"), "apt-get");
  cr_assert_eq(get(d, "images.0.commands.1")->pos.line, 4);
  cr_assert_str_eq(s(d, "images.0.commands.1.source"), "heredoc");
  cr_assert_str_eq(s(d, "images.0.commands.2.argv.0"), "python3");
  cr_assert_str_eq(s(d, "images.0.commands.3.argv.0"), "bash");
  cr_assert_str_eq(s(d, "images.0.commands.5.argv.0"), "tee");
  cr_assert_eq(i(d, "images.0.commands.4.pipeline"), i(d, "images.0.commands.5.pipeline"));
  cr_assert_str_eq(s(d, "images.0.instructions.1.heredocs.0.name"), "EOF");
}

Test(build, instruction_positions) {
  pm_value *d = parse("FROM a\n  run  echo \\\n   hi\n");
  pm_value *ins = get(d, "images.0.instructions.1");
  cr_assert_str_eq(s(ins, "keyword"), "RUN");
  cr_assert_eq(ins->pos.line, 2);
  cr_assert_eq(ins->pos.col, 3);
  cr_assert_eq(ins->pos.end_line, 3);
  cr_assert_eq(i(ins, "end_line"), 3);
}

Test(build, errors_carry_upstream_messages_and_the_rest_is_built) {
  pm_value *d = parse("FROM a\nFOO bar\nCOPY x\nUSER app\n");
  cr_assert_eq(len(d, "errors"), 2);
  cr_assert_str_eq(s(d, "errors.0.message"), "unknown instruction: FOO (did you mean FROM?)");
  cr_assert_str_eq(s(d, "errors.1.message"),
                   "COPY requires at least two arguments, but only one was provided. "
                   "Destination could not be determined");
  cr_assert_eq(get(d, "errors.1")->pos.line, 3);
  cr_assert_str_eq(s(d, "images.0.user"), "app");
}

Test(build, instruction_before_from) {
  pm_value *d = parse("RUN x\nFROM a\n");
  cr_assert_eq(len(d, "errors"), 1);
  cr_assert_str_eq(s(d, "errors.0.message"), "no build stage in current context");
  d = parse("ARG A\n");
  cr_assert_eq(len(d, "errors"), 1);
  cr_assert_str_eq(s(d, "errors.0.message"), "dockerfile contains no stages to build");
  cr_assert_eq(len(d, "images"), 0);
}

Test(build, instructions_before_from_form_an_implicit_stage) {
  /* BuildKit stops at line 2, once; the stage holds lines 1-4. */
  pm_value *d = parse("ARG V=1\nRUN apt-get install x\nUSER u$V\nARG W\n"
                      "FROM alpine:$V AS b\nCOPY --from=0 a b\n");
  cr_assert_eq(len(d, "errors"), 1);
  cr_assert_str_eq(s(d, "errors.0.message"), "no build stage in current context");
  cr_assert_eq(get(d, "errors.0")->pos.line, 2);
  cr_assert_eq(len(d, "images"), 2);
  cr_assert(b(d, "images.0.implicit"));
  cr_assert_eq(i(d, "images.0.index"), 0);
  must_be_null(d, "images.0.from");
  must_be_null(d, "images.0.parent");
  must_be_null(d, "images.0.name");
  cr_assert(!b(d, "images.0.final"));
  cr_assert(!b(d, "images.0.ships"));
  cr_assert_eq(len(d, "images.0.instructions"), 4);
  cr_assert_str_eq(s(d, "images.0.instructions.0.keyword"), "ARG");
  cr_assert_str_eq(s(d, "images.0.args.V"), "1");
  cr_assert_str_eq(s(d, "images.0.commands.0.argv.2"), "x");
  cr_assert_str_eq(s(d, "images.0.user"), "u1"); /* it sees its ARGs */
  /* The FROM stage is as it would be without the lines before it, but
  ** numbered after the implicit stage. */
  cr_assert(get(d, "images.1.implicit") == NULL);
  cr_assert_eq(i(d, "images.1.index"), 1);
  cr_assert_str_eq(s(d, "images.1.from.tag"), "1");
  cr_assert(is_null(d, "images.1.user"));
  cr_assert(b(d, "images.1.final"));
  cr_assert_eq(i(d, "images.1.copies.0.from_stage"), 0);
  /* Both ARGs stay global. */
  cr_assert_eq(len(d, "args"), 2);
  cr_assert_str_eq(s(d, "args.1.name"), "W");
}

Test(build, a_fragment_without_from_is_one_implicit_stage) {
  pm_value *d = parse("# a comment\nCOPY a b\nRUN pip install x\nONBUILD RUN npm i y\n");
  cr_assert_eq(len(d, "errors"), 1);
  cr_assert_str_eq(s(d, "errors.0.message"), "no build stage in current context");
  cr_assert_eq(get(d, "errors.0")->pos.line, 2);
  cr_assert_eq(len(d, "images"), 1);
  cr_assert(b(d, "images.0.implicit"));
  cr_assert(!b(d, "images.0.final"));
  cr_assert_eq(len(d, "images.0.copies"), 1);
  cr_assert_str_eq(s(d, "images.0.commands.0.source"), "run");
  cr_assert_str_eq(s(d, "images.0.commands.1.source"), "onbuild");
  cr_assert_eq(len(d, "args"), 0);
}

Test(build, a_valid_file_has_no_implicit_stage) {
  pm_value *d = parse("# syntax=docker/dockerfile:1\nARG A=x\n# c\nFROM a:$A\nRUN b\n");
  cr_assert_eq(len(d, "errors"), 0);
  cr_assert_eq(len(d, "images"), 1);
  cr_assert(get(d, "images.0.implicit") == NULL);
  cr_assert_eq(i(d, "images.0.index"), 0);
  cr_assert_str_eq(s(d, "images.0.instructions.0.keyword"), "FROM");
}

Test(build, global_args_are_listed_with_positions) {
  const char *args[] = {"B=over"};
  df_build_opts o = {.build_args = args, .nbuild_args = 1};
  pm_value *d = parse_opts("ARG A=1 B=${A}2\nARG C\nFROM x\nARG D\n", &o);
  cr_assert_eq(len(d, "args"), 3);
  cr_assert_str_eq(s(d, "args.0.name"), "A");
  cr_assert_str_eq(s(d, "args.0.default"), "1");
  cr_assert_str_eq(s(d, "args.0.value"), "1");
  cr_assert_str_eq(s(d, "args.1.name"), "B");
  cr_assert_str_eq(s(d, "args.1.default"), "${A}2");
  cr_assert_str_eq(s(d, "args.1.value"), "over");
  cr_assert_eq(get(d, "args.1")->pos.col, 9);
  cr_assert_eq(i(d, "args.1.line"), 1);
  cr_assert_str_eq(s(d, "args.2.name"), "C");
  must_be_null(d, "args.2.default");
  must_be_null(d, "args.2.value");
  cr_assert_eq(i(d, "args.2.line"), 2);
  d = parse("ARG A=1 B=${A}2\nFROM x\n");
  cr_assert_str_eq(s(d, "args.1.value"), "12");
}

Test(build, flags_are_validated) {
  pm_value *d = parse("FROM a\nCOPY --chwon=1 a b\nRUN --network=bad x\n"
                      "COPY --link=maybe a b\n");
  cr_assert_str_eq(s(d, "errors.0.message"), "unknown flag: --chwon (did you mean chown?)");
  cr_assert_str_eq(s(d, "errors.1.message"), "invalid network mode \"bad\"");
  cr_assert_str_eq(s(d, "errors.2.message"), "expecting boolean value for flag --link, not: maybe");
}

Test(build, parse_errors_keep_earlier_nodes) {
  pm_value *d = parse("FROM a\nUSER x\nRUN <<EOF\nno end\n");
  cr_assert_str_eq(s(d, "errors.0.message"), "unterminated heredoc");
  cr_assert_str_eq(s(d, "images.0.user"), "x");
}

Test(build, empty_file) {
  pm_value *d = parse("");
  cr_assert_str_eq(s(d, "errors.0.message"), "file with no instructions");
  cr_assert_eq(len(d, "images"), 0);
}

Test(build, json_output_is_valid_and_has_positions) {
  pm_value *d = parse("FROM alpine:3.20\nUSER 1000\n");
  pol_buf out = POL_BUF_INIT;
  pm_json_write(&out, d, 0);
  cr_assert(strstr(out.data, "\"pos\":{\"line\":1,\"column\":1") != NULL, "%s", out.data);
  cr_assert(strstr(out.data, "\"user\":\"1000\"") != NULL);
  pol_buf_free(&out);
}
