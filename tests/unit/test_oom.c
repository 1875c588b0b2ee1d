/*
** test_oom.c: allocation failure at every allocation (SQLite-style sweeps).
**
** Each scenario runs once per allocation point N with the N-th allocation
** failing (pol_alloc_inject_failure), until a run makes fewer than N
** allocations. Every run must end in success or POLICY_ERR_NOMEM (the
** loaders' PM_LOAD_NOMEM) with nothing written to the outputs, never in a
** crash or another status, and must free everything it allocated: the
** count of live blocks (pol_alloc_live) is the same after the run as
** before it. (LeakSanitizer cannot do this check here: tests/lsan.supp
** hides every leak whose stack passes through libcriterion, i.e. all of
** them.) tests/sanitize.sh also runs this under ASan and UBSan.
** Some scenarios also run "sticky" (every allocation from the N-th on
** fails), the way a machine that is really out of memory behaves.
**
** What the sweeps cannot reach: libyaml and jansson allocate with their
** own malloc, so only our side of the loaders is swept. The Lua state's
** allocator (engine/sandbox.c) does go through pol_realloc: a failure
** there is either absorbed (Lua collects and retries) or becomes
** POLICY_ERR_NOMEM; a rule's own memory budget is a separate limit.
**
** Each sweep prints "oom: <scenario>: N allocation points" to stderr.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/internal.h"
#include "core/alloc.h"
#include "model/to_json.h"
#include "model/load.h"
#include "policy/policy.h"


/* Allocation failure is swept in-process: a worker process (where rules
** that are not built in run by default) is a fork per check, too slow to
** repeat at every allocation point, and tested in test_worker.c. */
static int new_engine(policy_engine **e) {
  int rc = policy_engine_new(e);
  if (rc == POLICY_OK) policy_engine_set_isolation(*e, POLICY_ISOLATE_NONE);
  return rc;
}

static char dir[] = "/tmp/policy-oom-XXXXXX";

static void setup(void) { cr_assert_not_null(mkdtemp(dir)); }

static void teardown(void) {
  pol_alloc_inject_failure(0, 0);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(oom, .init = setup, .fini = teardown, .timeout = 300);

static const char *write_file(const char *name, const char *text) {
  static char path[4][256];
  static int next;
  char *p = path[next++ % 4];
  snprintf(p, sizeof path[0], "%s/%s", dir, name);
  FILE *f = fopen(p, "w");
  cr_assert_not_null(f);
  fputs(text, f);
  fclose(f);
  return p;
}

/* ---- the sweep -------------------------------------------------------- */

/* The engine message of the last failing run, for assertion messages. */
static char last_message[512];

static void note(const policy_engine *e) {
  snprintf(last_message, sizeof last_message, "%s", policy_engine_errmsg(e));
}

/* A scenario runs with injection armed, frees everything it made, and
** returns a policy status. `strict`: a failed allocation must show as
** POLICY_ERR_NOMEM (no part of the scenario may absorb it). */
typedef int (*scenario)(void *ctx);

/* Every allocation point up to DENSE is tried, then about SPARSE more
** spread evenly over the rest (a check with the whole built-in pack makes
** thousands of allocations, and each run starts from scratch). Set
** POLICY_OOM_FULL=1 to try every point (slow; for runs by hand). */
#define DENSE 250u
#define SPARSE 250u

static unsigned long next_point(unsigned long n, unsigned long total) {
  const char *full = getenv("POLICY_OOM_FULL");
  if ((full && *full && strcmp(full, "0") != 0) || n < DENSE || total <= DENSE + SPARSE)
    return n + 1;
  return n + (total - DENSE) / SPARSE + 1;
}

static unsigned long sweep(const char *name, scenario run, void *ctx,
                           int ok_status, bool strict, bool sticky) {
  /* Without injection the scenario succeeds, with the expected status. */
  pol_alloc_inject_failure(0, 0);
  long live = pol_alloc_live();
  int rc = run(ctx);
  unsigned long total = pol_alloc_inject_failure(0, 0), tried = 0;
  cr_assert_eq(rc, ok_status, "%s: %d without injection", name, rc);
  cr_assert_eq(pol_alloc_live(), live, "%s leaks %ld blocks without injection", name,
               pol_alloc_live() - live);
  unsigned long n;
  for (n = 1;; n = next_point(n, total)) {
    pol_alloc_inject_failure(n, sticky);
    rc = run(ctx);
    unsigned long used = pol_alloc_inject_failure(0, 0);
    bool failed = used >= n;
    cr_assert_eq(pol_alloc_live(), live, "%s: allocation %lu failing leaks %ld blocks", name,
                 n, pol_alloc_live() - live);
    cr_assert(rc == ok_status || rc == POLICY_ERR_NOMEM,
              "%s: allocation %lu failing gave status %d (%s)", name, n, rc, last_message);
    if (strict)
      cr_assert(!failed || rc == POLICY_ERR_NOMEM,
                "%s: allocation %lu failed but the status is %d", name, n, rc);
    if (!failed) break;
    tried++;
  }
  fprintf(stderr, "oom: %s%s: %lu allocation points, %lu tried\n", name,
          sticky ? " (sticky)" : "", total, tried);
  cr_assert_gt(tried, 0, "%s allocated nothing", name);
  return tried;
}

/* ---- parsing and model building --------------------------------------- */

#define T(s) {s, sizeof(s) - 1}
static const struct { const char *s; size_t n; } dockerfiles[] = {
    /* stages, variables, flags, exec/shell forms, ports, healthcheck */
    T("# syntax=docker/dockerfile:1\n# check=skip=all\nARG V=1 BASE=alpine\n"
      "FROM --platform=$BUILDPLATFORM ${BASE}:3.$V AS build\n"
      "ENV X=1 Y=\"two words\" Z=${X:-d}\nLABEL a=b \"c d\"=e\n"
      "RUN apt-get update && apt-get install -y x | tee l; sh -c 'echo $(id -u)'\n"
      "COPY --from=build --chown=1:1 --chmod=755 s d/\nADD https://e.com/a.tgz /\n"
      "EXPOSE 80/tcp 90-91 bad/xyz\nHEALTHCHECK --interval=5s --retries=3 CMD [\"true\"]\n"
      "VOLUME [\"/data\", \"/x\"]\nWORKDIR /a\nWORKDIR b\nSHELL [\"/bin/bash\", \"-c\"]\n"
      "STOPSIGNAL SIGTERM\nMAINTAINER me\nUSER 1000:1000\n"
      "ENTRYPOINT [\"/bin/app\"]\nCMD run --flag\n"
      "FROM build AS second\nUSER root\nFROM scratch\nCOPY --from=second / /\n"),
    /* heredocs: RUN with several, COPY with a quoted delimiter, <<- */
    T("FROM alpine\nRUN <<EOF bash && <<-TWO sh\nset -e\necho $HOME\nEOF\n\techo two\n\tTWO\n"
      "COPY <<'A' <<\"B\" /dest/\nno $expansion\nA\nline $X\nB\n"
      "RUN 3<<EOF cat /proc/self/fd/3\nx\nEOF\n"
      "RUN --mount=type=secret,id=npm,env=TOKEN --mount=type=cache,target=/c <<EOF\nnpm ci\nEOF\n"),
    /* ONBUILD, escape directive, continuations, comments, suppressions */
    T("# escape=`\nFROM mcr.microsoft.com/windows:ltsc2022\n"
      "# policy ignore=image-runs-as-root,DL3002 -- by design\n"
      "# hadolint global ignore=DL3008\n"
      "# hadolint shell=pwsh # why\n# hadolint stage ignore=DL3003\n# hadolint ignore=DL3004\n"
      "RUN echo a `\n  b `\n\n  c\nONBUILD RUN make\nONBUILD COPY . /src\n"
      "ONBUILD [\"x\"]\nUSER ContainerAdministrator\n"),
    /* JSON forms: valid, invalid (falls back to shell form), escapes */
    T("FROM alpine\nCMD [\"a\", \"b\\u0000c\", \"\\ud83d\\ude00\"]\n"
      "ENTRYPOINT [\"sh\", 1]\nRUN [\"sh\", \"-c\", \"echo 'x' && ls\"]\n"
      "CMD [ \"unterminated\nSHELL [\"powershell\"]\nRUN Get-Thing\n"),
    /* errors: unknown instructions, bad flags, unterminated heredoc */
    T("FOO bar\nFROM\nFROM alpine AS 1bad\nCOPY --bogus=1 a b\nEXPOSE\n"
      "ENV\nARG\nHEALTHCHECK --interval=x CMD y\nUSER\nRUN <<EOF\nnever ends\n"),
    /* an implicit stage (instructions before FROM) and global ARGs */
    T("ARG A=1 B\nRUN pip install x && npm i y\nONBUILD RUN apk add z\nARG C=$A\nFROM a:$A\n"),
    /* an empty file and comments only */
    T(""),
    T("# only a comment\n\n"),
    /* invalid UTF-8, NUL bytes, CRLF, BOM */
    T("\xef\xbb\xbf" "FROM alpine\r\nRUN echo \xff\xfe\x00 bad\r\nENV A=\xc3\x28\r\n"),
};

typedef struct parse_ctx {
  const char *text;
  size_t len;
  int kind;   /* 0: POLICY_KIND_DOCKERFILE */
  const char *name;
} parse_ctx;

static int parse_one(policy_engine *e, const parse_ctx *c);

/* A fresh engine each run (made under injection too), so that each run
** starts from nothing and must end with nothing. */
static int run_parse(void *p) {
  policy_engine *e;
  int rc = new_engine(&e);
  if (rc != POLICY_OK) return rc;
  rc = policy_engine_set_build_arg(e, "V", "2");
  if (rc == POLICY_OK) rc = policy_engine_set_target(e, "build");
  if (rc == POLICY_OK) rc = parse_one(e, p);
  policy_engine_free(e);
  return rc;
}

static int parse_one(policy_engine *e, const parse_ctx *c) {
  policy_document *doc = (policy_document *)0x1;
  int rc = policy_parse_buffer(&doc, e, c->name ? c->name : "Dockerfile", c->text, c->len,
                               c->kind ? c->kind : POLICY_KIND_DOCKERFILE);
  if (rc != POLICY_OK) {
    cr_assert_eq(doc, (policy_document *)0x1, "an output was written on failure");
    return rc;
  }
  char *json = NULL;
  rc = policy_document_to_json(&json, NULL, doc, POLICY_JSON_PRETTY);
  policy_free(json);
  json = (char *)0x1;
  if (rc == POLICY_OK) {
    rc = policy_document_to_json(&json, NULL, doc, POLICY_JSON_NO_POSITIONS);
    if (rc == POLICY_OK) policy_free(json);
    else cr_assert_eq(json, (char *)0x1, "an output was written on failure");
  }
  policy_document_free(doc);
  return rc;
}

Test(oom, parsing_and_model_building) {
  parse_ctx c = {0};
  unsigned long total = 0;
  for (size_t i = 0; i < sizeof dockerfiles / sizeof dockerfiles[0]; i++) {
    char name[64];
    snprintf(name, sizeof name, "dockerfile %zu", i);
    c.text = dockerfiles[i].s;
    c.len = dockerfiles[i].n;
    total += sweep(name, run_parse, &c, POLICY_OK, true, false);
  }
  /* Many instructions: the arena grows through several blocks. */
  pol_buf big = POL_BUF_INIT;
  pol_buf_puts(&big, "FROM alpine AS s0\n");
  for (int i = 0; i < 400; i++)
    pol_buf_printf(&big, "RUN echo %d && apk add p%d\nENV V%d=$V%d%d\nLABEL l%d=%d\n%s", i, i,
                i, i > 0 ? i - 1 : 0, i, i, i, i % 50 == 49 ? "FROM s0\n" : "");
  cr_assert(!big.oom);
  c.text = big.data;
  c.len = big.len;
  total += sweep("dockerfile with 1200 instructions", run_parse, &c, POLICY_OK, true, false);
  c.text = dockerfiles[0].s;
  c.len = dockerfiles[0].n;
  sweep("dockerfile 0", run_parse, &c, POLICY_OK, true, true);
  pol_buf_free(&big);
  cr_assert_gt(total, 50);
}

/* Compose files and docker inspect / request JSON through the public API. */
Test(oom, compose_and_inspect) {
  char path[300];
  snprintf(path, sizeof path, "%s/compose.yaml", dir);
  parse_ctx c = {0};
  c.name = path; /* in an empty folder: no .env, no Dockerfiles to link */
  c.kind = POLICY_KIND_COMPOSE;
  c.text = "name: demo\nx-base: &base\n  restart: unless-stopped\n  cap_drop: [ALL]\n"
           "services:\n  web:\n    <<: *base\n    image: \"nginx:${TAG:-1.27}\"\n"
           "    user: \"1000\"\n    privileged: true\n    cap_add: [NET_ADMIN, CAP_SYS_TIME]\n"
           "    security_opt: [\"no-new-privileges:true\", \"seccomp=unconfined\"]\n"
           "    ports: [\"127.0.0.1:8080-8081:80-81/tcp\", {target: 443, published: \"8443\"}]\n"
           "    volumes: [\"/var/run/docker.sock:/var/run/docker.sock:ro\"]\n"
           "    environment: {A: \"1\", PASSWORD: x}\n"
           "    deploy: {resources: {limits: {memory: 512M, cpus: \"0.5\"}}}\n"
           "    healthcheck: {test: [\"CMD\", \"true\"], interval: 30s}\n"
           "    build: {context: ., dockerfile: Dockerfile}\n"
           "  db:\n    extends: {service: web}\n    image: postgres\n    bogus: 1\n";
  c.len = strlen(c.text);
  unsigned long n = sweep("compose file", run_parse, &c, POLICY_OK, true, false);
  c.kind = POLICY_KIND_INSPECT;
  c.name = "inspect.json";
  c.text = "[{\"Id\":\"abc\",\"Name\":\"/web\",\"Config\":{\"User\":\"\",\"Image\":\"nginx\","
           "\"Env\":[\"PASSWORD=x\"],\"ExposedPorts\":{\"80/tcp\":{}}},\"HostConfig\":"
           "{\"Privileged\":true,\"CapAdd\":[\"SYS_ADMIN\"],\"SecurityOpt\":[\"seccomp=unconfined\"],"
           "\"PidMode\":\"host\",\"Binds\":[\"/:/host\"],\"PortBindings\":{\"80/tcp\":"
           "[{\"HostIp\":\"\",\"HostPort\":\"8080\"}]}},\"Mounts\":[{\"Type\":\"bind\","
           "\"Source\":\"/\",\"Destination\":\"/host\",\"RW\":true}]}]";
  c.len = strlen(c.text);
  n += sweep("inspect output", run_parse, &c, POLICY_OK, true, false);
  c.kind = POLICY_KIND_REQUEST;
  c.text = "{\"Image\":\"alpine\",\"User\":\"root\",\"HostConfig\":{\"Privileged\":true,"
           "\"Devices\":[{\"PathOnHost\":\"/dev/mem\",\"PathInContainer\":\"/dev/mem\"}]}}";
  c.len = strlen(c.text);
  n += sweep("create request", run_parse, &c, POLICY_OK, true, false);
  cr_assert_gt(n, 50);
}

/* ---- the YAML and JSON loaders ---------------------------------------- */

typedef struct load_ctx {
  bool json;
  const char *text;
  pm_load_limits lim;
} load_ctx;

static int run_load(void *p) {
  load_ctx *c = p;
  pol_arena a = POL_ARENA_INIT;
  pol_buf err = POL_BUF_INIT;
  pm_value *v = (pm_value *)0x1;
  int rc = c->json ? pm_load_json(&a, c->text, strlen(c->text), &c->lim, &v, &err)
                   : pm_load_yaml(&a, c->text, strlen(c->text), &c->lim, &v, &err);
  if (rc == PM_LOAD_OK) {
    pol_buf out = POL_BUF_INIT;
    pm_json_write(&out, v, PM_JSON_PRETTY);
    if (out.oom) rc = PM_LOAD_NOMEM;
    pol_buf_free(&out);
  } else {
    cr_assert_null(v);
  }
  pol_buf_free(&err);
  pol_arena_free(&a);
  return rc == PM_LOAD_OK ? POLICY_OK : rc == PM_LOAD_NOMEM ? POLICY_ERR_NOMEM
                                                          : POLICY_ERR_PARSE;
}

static const char compose_yaml[] =
    "x-base: &base\n  image: alpine:3.20\n  environment: {A: 1, B: \"two\"}\n"
    "  cap_add: [NET_ADMIN, SYS_TIME]\nservices:\n  web:\n    <<: *base\n"
    "    ports: [\"80:80\", {target: 443, published: 8443}]\n"
    "    deploy: {resources: {limits: {memory: 512M, cpus: 0.5}}}\n"
    "  db: *base\n  list:\n    - [1, 0x1f, 0o17, -2, 1.5e3, .inf, .nan, ~, null, true, yes]\n"
    "    - |\n      literal\n      block\n    - >-\n      folded\n    - !!str 123\n"
    "    - {? complex : key}\n---\nsecond: document\n";

Test(oom, yaml_loader) {
  load_ctx c = {false, compose_yaml, {256, 1000000}};
  unsigned long n = sweep("yaml compose file", run_load, &c, POLICY_OK, true, false);
  sweep("yaml compose file", run_load, &c, POLICY_OK, true, true);
  c.text = "a: 1\na: 2\n";
  n += sweep("yaml duplicate key", run_load, &c, POLICY_ERR_PARSE, false, false);
  c.text = "a: [1, 2\nb: &x {c: *undefined}\n";
  n += sweep("yaml syntax error", run_load, &c, POLICY_ERR_PARSE, false, false);
  c.text = "a: &a [1, 2, 3, 4]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: [*c, *c, *c]\n";
  c.lim.max_nodes = 100;
  n += sweep("yaml alias expansion over the node limit", run_load, &c, POLICY_ERR_PARSE, false,
             false);
  c.text = "[[[[[[[[[[[[1]]]]]]]]]]]]";
  c.lim.max_depth = 8;
  n += sweep("yaml nesting over the depth limit", run_load, &c, POLICY_ERR_PARSE, false, false);
  cr_assert_gt(n, 10);
}

Test(oom, json_loader) {
  load_ctx c = {true,
                "[{\"Id\":\"abc\",\"Config\":{\"User\":\"\",\"Env\":[\"A=1\",\"B=2\"],"
                "\"ExposedPorts\":{\"80/tcp\":{}},\"Labels\":null},\"HostConfig\":"
                "{\"Privileged\":true,\"CapAdd\":[\"SYS_ADMIN\"],\"Memory\":0},"
                "\"n\":-1.5e3,\"big\":9007199254740993,\"u\":\"a\\u0000b\\ud83d\\ude00\"}]",
                {256, 1000000}};
  unsigned long n = sweep("json inspect output", run_load, &c, POLICY_OK, true, false);
  sweep("json inspect output", run_load, &c, POLICY_OK, true, true);
  c.text = "{\"a\": [1, 2,]}";
  n += sweep("json syntax error", run_load, &c, POLICY_ERR_PARSE, false, false);
  c.text = "[[[[[[[[[[[[1]]]]]]]]]]]]";
  c.lim.max_depth = 8;
  n += sweep("json nesting over the depth limit", run_load, &c, POLICY_ERR_PARSE, false, false);
  cr_assert_gt(n, 5);
}

/* Data documents through the engine: read the file, load, merge. */
typedef struct data_ctx {
  const char *yaml, *json;
} data_ctx;

static int run_load_data(void *p) {
  data_ctx *c = p;
  policy_engine *e;
  int rc = new_engine(&e);
  if (rc != POLICY_OK) return rc;
  rc = policy_engine_load_data(e, c->yaml);
  if (rc == POLICY_OK) rc = policy_engine_load_data(e, c->json);
  if (rc == POLICY_OK) rc = policy_engine_load_data(e, c->yaml); /* replaces keys */
  policy_engine_free(e);
  return rc;
}

Test(oom, data_documents) {
  data_ctx c;
  c.yaml = write_file("data.yaml", compose_yaml);
  c.json = write_file("data.json", "{\"allowed\": [\"alpine\", \"ubuntu\"], \"services\": 1}");
  sweep("data documents", run_load_data, &c, POLICY_OK, true, false);
  sweep("data documents", run_load_data, &c, POLICY_OK, true, true);
}

/* ---- rules ------------------------------------------------------------ */

static const char custom_rule[] =
    "return {\n"
    "  id = 'custom-healthcheck', title = 'No HEALTHCHECK', severity = 'low',\n"
    "  applies_to = {'image', 'document'}, description = 'd', remediation = 'r',\n"
    "  refs = { hadolint = 'DLX1', cis = {'4.6', '4.7'} },\n"
    "  check = function(node, doc)\n"
    "    local image = model_type(node) == 'image'\n"
    "    if image then print('checking', node.name, #doc.images)\n"
    "    else print('checking', node.kind, #doc.images) end\n"
    "    if image and node.healthcheck == nil and not data.exempt[1] then\n"
    "      report(node, 'healthcheck', 'no HEALTHCHECK in ' .. tostring(node.name))\n"
    "    end\n"
    "    for _, c in ipairs(image and node.commands or {}) do\n"
    "      if c.argv[1] == 'apt-get' and c.argv[2]:find('^inst') then\n"
    "        report(c, 'argv', string.format('%s without --no-install-recommends', c.argv[1]))\n"
    "      end\n"
    "    end\n"
    "  end,\n"
    "}\n";

typedef struct rules_ctx {
  const char *folder;
} rules_ctx;

static int run_load_rules(void *p) {
  rules_ctx *c = p;
  policy_engine *e;
  int rc = new_engine(&e);
  if (rc != POLICY_OK) return rc;
  rc = policy_engine_ignore(e, "DL3002");
  if (rc == POLICY_OK) rc = policy_engine_load_builtin(e);
  if (rc == POLICY_OK)
    rc = policy_engine_load_rule_buffer(e, "custom.lua", custom_rule, sizeof custom_rule - 1);
  if (rc == POLICY_OK && c->folder) rc = policy_engine_load_rules(e, c->folder);
  note(e);
  if (rc == POLICY_OK) {
    char *json = (char *)0x1;
    rc = policy_engine_rules_to_json(&json, NULL, e, POLICY_JSON_PRETTY);
    if (rc == POLICY_OK) policy_free(json);
    else cr_assert_eq(json, (char *)0x1);
  }
  policy_engine_free(e);
  return rc;
}

Test(oom, rule_loading) {
  char folder[300];
  snprintf(folder, sizeof folder, "%s/rules", dir);
  cr_assert_eq(mkdir(folder, 0700), 0);
  write_file("rules/b.lua", "return { id = 'b', title = 't', severity = 'info', applies_to = 'document',"
                            " description = 'd', remediation = 'r', check = function() end }\n");
  write_file("rules/a.lua", "return { id = 'a', title = 't', severity = 'critical', applies_to = 'image',"
                            " description = 'd', remediation = 'r', refs = {trivy = 'DS001'},"
                            " check = function(i) report(i, 'x') end }\n");
  write_file("rules/notes.txt", "not a rule");
  rules_ctx c = {folder};
  /* Lua absorbs some failures (it collects garbage and retries): not strict. */
  sweep("rule loading", run_load_rules, &c, POLICY_OK, false, false);
  sweep("rule loading", run_load_rules, &c, POLICY_OK, false, true);
}

/* A configuration file that sets limits and ignores and loads rules and
** data. */
static int run_config(void *p) {
  const char *path = p;
  policy_engine *e;
  int rc = new_engine(&e);
  if (rc != POLICY_OK) return rc;
  rc = policy_engine_load_config(e, path);
  note(e);
  policy_engine_free(e);
  return rc;
}

Test(oom, configuration) {
  char folder[300];
  snprintf(folder, sizeof folder, "%s/rules", dir);
  cr_assert_eq(mkdir(folder, 0700), 0);
  write_file("rules/r.lua", custom_rule);
  write_file("allowed.yaml", "exempt: [x]\n");
  const char *path = write_file(".policy.yaml",
      "limits:\n  instructions: 1000000\n  lua_memory: 32M\n  findings: 50\n"
      "ignore:\n  - id: DL3008\n    reason: r\n  - id: image-runs-as-root\n    reason: r\n    expires: 2000-01-01\n"
      "  - id: base-image-latest\n    reason: r\n    expires: 2999-01-01\n"
      "builtin: false\nfail_on: high\npolicies: [rules]\ndata: allowed.yaml\n");
  sweep("configuration", run_config, (void *)path, POLICY_OK, false, false);
}

/* ---- packs ------------------------------------------------------------- */

/* A pack (manifest, two modules, data, a rule) loaded from its folder or
** its archive, checked, evaluated over and counted for coverage; or built. */
typedef struct pack_ctx {
  const char *path;     /* the folder, or the archive */
  const char *sha256;   /* for the archive */
  const char *out;      /* building: the archive to write */
} pack_ctx;

static int run_pack(void *p) {
  pack_ctx *c = p;
  policy_engine *e;
  int rc = new_engine(&e);
  if (rc != POLICY_OK) return rc;
  if (c->out) {
    char *sha = (char *)0x1;
    rc = policy_pack_build(&sha, e, c->path, c->out);
    if (rc == POLICY_OK) policy_free(sha);
    else cr_assert_eq(sha, (char *)0x1, "an output was written on failure");
    note(e);
    policy_engine_free(e);
    return rc;
  }
  rc = policy_engine_load_pack_path(e, c->path, c->sha256);
  if (rc == POLICY_OK) rc = policy_engine_set_coverage(e, 1);
  policy_document *doc = NULL;
  static const char text[] = "FROM evil.io/x:1\nFROM registry.example.com/ok:1\n";
  if (rc == POLICY_OK)
    rc = policy_parse_buffer(&doc, e, "Dockerfile", text, sizeof text - 1, POLICY_KIND_DOCKERFILE);
  policy_report *rep = NULL;
  if (rc == POLICY_OK) rc = policy_report_new(&rep);
  if (rc == POLICY_OK) rc = policy_check(rep, e, doc);
  if (rc == POLICY_OK) {
    char *json = (char *)0x1;
    rc = policy_engine_eval(&json, NULL, e, doc, "oom", "require('util').approved(image.from.raw)",
                            POLICY_JSON_PRETTY);
    if (rc == POLICY_OK) policy_free(json);
    else cr_assert_eq(json, (char *)0x1, "an output was written on failure");
  }
  size_t run = 0, total = 0;
  if (rc == POLICY_OK) rc = policy_engine_rule_coverage(&run, &total, NULL, e, 0);
  note(e);
  policy_report_free(rep);
  policy_document_free(doc);
  policy_engine_free(e);
  return rc;
}

Test(oom, packs) {
  char folder[300];
  snprintf(folder, sizeof folder, "%s/pack", dir);
  cr_assert_eq(mkdir(folder, 0700), 0);
  for (const char *sub = "lib\0rules\0data\0"; *sub; sub += strlen(sub) + 1) {
    char path[400];
    snprintf(path, sizeof path, "%s/%s", folder, sub);
    cr_assert_eq(mkdir(path, 0700), 0);
  }
  write_file("pack/pack.yaml", "name: oom\nversion: 1.0.0\ndescription: d\n"
                               "requires: libpolicy >= 0.1\nseverity: {oom-rule: high}\n");
  write_file("pack/lib/strs.lua", "return { starts = function(s, p) return s:sub(1, #p) == p end }\n");
  write_file("pack/lib/util.lua", "local strs = require 'strs'\n"
             "return { approved = function(r) return strs.starts(r, data.oom.allowed) end }\n");
  write_file("pack/data/oom.yaml", "oom: {allowed: registry.example.com/}\n");
  write_file("pack/rules/r.lua", "local util = require 'util'\n"
             "return { id = 'oom-rule', title = 't', severity = 'low', applies_to = 'image',\n"
             "  description = 'd', remediation = 'r', check = function(i)\n"
             "    if not util.approved(i.from.raw) then report(i, 'from', 'no') end end }\n");
  char archive[300];
  snprintf(archive, sizeof archive, "%s/pack.tar.gz", dir);
  pack_ctx build = {folder, NULL, archive};
  sweep("building a pack", run_pack, &build, POLICY_OK, false, false);
  /* The archive the sweep's last run wrote, and its hash. */
  policy_engine *e;
  cr_assert_eq(policy_engine_new(&e), POLICY_OK);
  char *sha;
  cr_assert_eq(policy_pack_build(&sha, e, folder, archive), POLICY_OK);
  policy_engine_free(e);
  pack_ctx from_folder = {folder, NULL, NULL}, from_archive = {archive, sha, NULL};
  sweep("a pack folder", run_pack, &from_folder, POLICY_OK, false, false);
  sweep("a pack folder", run_pack, &from_folder, POLICY_OK, false, true);
  sweep("a pack archive", run_pack, &from_archive, POLICY_OK, false, false);
  policy_free(sha);
}

/* ---- checking and reports --------------------------------------------- */

static const char check_dockerfile[] =
    "FROM ubuntu\n# policy ignore=custom-healthcheck -- tested\nRUN apt-get install -y curl\n"
    "FROM alpine:latest AS two\nRUN apt-get install x && apt-get update\nUSER root\n"
    "FROM two\nFOO error\n";

typedef struct check_ctx {
  policy_document *doc, *doc2; /* the same text under two names */
  const char *data;
  policy_report *prepared;
} check_ctx;

static policy_engine *check_engine(const check_ctx *c) {
  policy_engine *e;
  cr_assert_eq(new_engine(&e), POLICY_OK);
  cr_assert_eq(policy_engine_load_builtin(e), POLICY_OK);
  cr_assert_eq(policy_engine_load_rule_buffer(e, "custom.lua", custom_rule,
                                              sizeof custom_rule - 1), POLICY_OK);
  cr_assert_eq(policy_engine_load_data(e, c->data), POLICY_OK);
  int st;
  cr_assert_not_null(api_sandbox(e, &st)); /* made here, not under injection */
  return e;
}

static int write_outputs(policy_report *r) {
  int (*const writers[])(char **, size_t *, const policy_report *, uint32_t) = {
      policy_report_to_json, policy_report_to_json, policy_report_to_text,
      policy_report_to_text};
  const uint32_t flags[] = {POLICY_JSON_PRETTY, 0, POLICY_TEXT_COLOR, 0};
  for (size_t i = 0; i < 4; i++) {
    char *out = (char *)0x1;
    size_t len = 12345;
    int rc = writers[i](&out, &len, r, flags[i]);
    if (rc != POLICY_OK) {
      cr_assert_eq(out, (char *)0x1, "an output was written on failure");
      return rc;
    }
    cr_assert_eq(strlen(out), len);
    policy_free(out);
  }
  return POLICY_OK;
}

/* Every format of policy_report_write (SARIF, JUnit, ... and baseline). */
/* policy_write_fn: counts the bytes it is given. */
static int count_bytes(void *ctx, const char *data, size_t len) {
  (void)data;
  *(size_t *)ctx += len;
  return 0;
}

static int write_formats(policy_report *r) {
  for (int format = POLICY_FORMAT_TEXT; format <= POLICY_FORMAT_BASELINE; format++) {
    char *out = (char *)0x1;
    int rc = policy_report_write(&out, NULL, r, NULL, format, POLICY_JSON_PRETTY);
    if (rc != POLICY_OK) {
      cr_assert_eq(out, (char *)0x1, "format %d was written on failure", format);
      return rc;
    }
    policy_free(out);
    /* The streamed form: the same allocations, and a failure says so. */
    size_t streamed = 0;
    rc = policy_report_write_cb(r, NULL, format, POLICY_JSON_PRETTY, count_bytes, &streamed);
    if (rc != POLICY_OK) return rc;
    cr_assert_gt(streamed, 0, "format %d streamed nothing", format);
  }
  return POLICY_OK;
}

static int run_outputs(void *p) {
  check_ctx *c = p;
  int rc = write_outputs(c->prepared);
  return rc == POLICY_OK ? write_formats(c->prepared) : rc;
}

/* The check sweep has its own loop: each run gets a fresh engine (the
** built-in pack, a custom rule, data, the sandbox) made with injection
** off, so every run starts from the same state; then policy_check and the
** outputs run with injection armed. */
static unsigned long sweep_check(check_ctx *c, bool sticky) {
  unsigned long n, total = 0, tried = 0;
  long live = pol_alloc_live();
  for (n = 0;; n = next_point(n, total)) {
    policy_engine *e = check_engine(c);
    policy_report *r = NULL;
    pol_alloc_inject_failure(n, sticky); /* n == 0: the uninjected run */
    int rc = policy_report_new(&r);
    if (rc == POLICY_OK) rc = policy_check(r, e, c->doc);
    if (rc == POLICY_OK) rc = policy_check(r, e, c->doc2); /* merged into one report */
    if (rc == POLICY_OK) rc = write_outputs(r);
    unsigned long used = pol_alloc_inject_failure(0, 0);
    if (n == 0) {
      total = used;
      cr_assert_eq(rc, POLICY_OK, "check without injection: %s", policy_engine_errmsg(e));
      /* Per document: the custom rule's 4 findings and 1 suppressed one,
      ** the input error, its log; the built-in pack adds findings of its
      ** own and must not fail on this file. */
      size_t custom = 0;
      for (size_t i = 0; i < policy_report_count(r, POLICY_LIST_FINDINGS); i++)
        custom += !strcmp(policy_report_get_string(r, POLICY_LIST_FINDINGS, i, POLICY_FIELD_RULE),
                          "custom-healthcheck");
      cr_assert_eq(custom, 8);
      cr_assert_gt(policy_report_count(r, POLICY_LIST_FINDINGS), custom);
      cr_assert_geq(policy_report_count(r, POLICY_LIST_SUPPRESSED), 2);
      cr_assert_eq(policy_report_count(r, POLICY_LIST_ERRORS), 2, "%s",
                   policy_report_get_string(r, POLICY_LIST_ERRORS, 1, POLICY_FIELD_MESSAGE));
      cr_assert_geq(policy_report_count(r, POLICY_LIST_LOGS), 2);
    } else {
      cr_assert(rc == POLICY_OK || rc == POLICY_ERR_NOMEM,
                "check: allocation %lu failing gave status %d", n, rc);
      tried++;
    }
    policy_report_free(r);
    policy_engine_free(e);
    cr_assert_eq(pol_alloc_live(), live, "check: allocation %lu failing leaks %ld blocks", n,
                 pol_alloc_live() - live);
    if (n > 0 && used < n) break;
  }
  fprintf(stderr, "oom: policy_check with the built-in pack%s: %lu allocation points, "
          "%lu tried\n", sticky ? " (sticky)" : "", total, tried);
  return tried;
}

Test(oom, checking_with_the_builtin_pack) {
  check_ctx c = {0};
  c.data = write_file("data.yaml", "exempt: [false]\n");
  policy_engine *e;
  cr_assert_eq(new_engine(&e), POLICY_OK);
  cr_assert_eq(policy_parse_buffer(&c.doc, e, "Dockerfile", check_dockerfile,
                                   sizeof check_dockerfile - 1, 0), POLICY_OK);
  cr_assert_eq(policy_parse_buffer(&c.doc2, e, "other/Dockerfile", check_dockerfile,
                                   sizeof check_dockerfile - 1, 0), POLICY_OK);
  policy_engine_free(e);
  cr_assert_gt(sweep_check(&c, false), 50);
  sweep_check(&c, true);
  policy_document_free(c.doc);
  policy_document_free(c.doc2);
}

Test(oom, report_output) {
  check_ctx c = {0};
  c.data = write_file("data.yaml", "exempt: [false]\n");
  policy_engine *e;
  cr_assert_eq(new_engine(&e), POLICY_OK);
  cr_assert_eq(policy_parse_buffer(&c.doc, e, "Dockerfile", check_dockerfile,
                                   sizeof check_dockerfile - 1, 0), POLICY_OK);
  policy_engine_free(e);
  e = check_engine(&c);
  cr_assert_eq(policy_report_new(&c.prepared), POLICY_OK);
  cr_assert_eq(policy_check(c.prepared, e, c.doc), POLICY_OK);
  cr_assert_eq(policy_report_add_error(c.prepared, "unreadable", 0, 0, "is a FIFO"), POLICY_OK);
  sweep("report output", run_outputs, &c, POLICY_OK, true, false);
  policy_report_free(c.prepared);
  policy_engine_free(e);
  policy_document_free(c.doc);
}

/* A baseline: loaded (with an engine), applied to a copy of a report. */
typedef struct baseline_ctx {
  const char *path;
  const policy_report *checked;
} baseline_ctx;

static int run_baseline(void *p) {
  baseline_ctx *c = p;
  policy_engine *e = NULL;
  policy_baseline *b = NULL;
  policy_report *r = NULL;
  int rc = new_engine(&e);
  if (rc == POLICY_OK) rc = policy_baseline_load(&b, e, c->path);
  if (rc == POLICY_OK) rc = policy_report_new(&r);
  if (rc == POLICY_OK) rc = policy_report_merge(r, c->checked);
  if (rc == POLICY_OK) rc = policy_report_apply_baseline(r, b);
  if (rc == POLICY_OK) cr_assert_eq(policy_report_count(r, POLICY_LIST_FINDINGS), 0);
  policy_report_free(r);
  policy_baseline_free(b);
  policy_engine_free(e);
  return rc;
}

Test(oom, baselines) {
  check_ctx c = {0};
  c.data = write_file("data.yaml", "exempt: [false]\n");
  policy_engine *e;
  cr_assert_eq(new_engine(&e), POLICY_OK);
  cr_assert_eq(policy_parse_buffer(&c.doc, e, "Dockerfile", check_dockerfile,
                                   sizeof check_dockerfile - 1, 0), POLICY_OK);
  policy_engine_free(e);
  e = check_engine(&c);
  cr_assert_eq(policy_report_new(&c.prepared), POLICY_OK);
  cr_assert_eq(policy_check(c.prepared, e, c.doc), POLICY_OK);
  char *text;
  cr_assert_eq(policy_report_write(&text, NULL, c.prepared, e, POLICY_FORMAT_BASELINE, 0), POLICY_OK);
  baseline_ctx b = {write_file("baseline.json", text), c.prepared};
  policy_free(text);
  sweep("baselines", run_baseline, &b, POLICY_OK, true, false);
  policy_report_free(c.prepared);
  policy_engine_free(e);
  policy_document_free(c.doc);
}

/* ---- engine settings -------------------------------------------------- */

static int run_settings(void *p) {
  (void)p;
  policy_engine *e;
  int rc = new_engine(&e);
  if (rc != POLICY_OK) return rc;
  const char *calls[][2] = {{"A", "1"}, {"B", "2"}, {"A", "3"}, {"B", NULL}};
  for (size_t i = 0; rc == POLICY_OK && i < 4; i++)
    rc = policy_engine_set_build_arg(e, calls[i][0], calls[i][1]);
  if (rc == POLICY_OK) rc = policy_engine_set_target(e, "stage");
  if (rc == POLICY_OK) rc = policy_engine_ignore(e, "DL3002");
  if (rc == POLICY_OK) rc = policy_engine_ignore(e, "base-image-latest");
  policy_report *r = NULL;
  if (rc == POLICY_OK) rc = policy_report_new(&r);
  if (rc == POLICY_OK) rc = policy_report_add_error(r, "f", 1, 2, "message");
  policy_report_free(r);
  policy_engine_free(e);
  return rc;
}

Test(oom, engine_settings) {
  sweep("engine settings", run_settings, NULL, POLICY_OK, true, false);
}
