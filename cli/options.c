/*
** options.c: options shared by the commands that read input.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char *option_value(int argc, char **argv, int *i,
                                const char *name) {
  size_t n = strlen(name);
  const char *a = argv[*i];
  if (strncmp(a, name, n) == 0 && a[n] == '=') return a + n + 1;
  if (strcmp(a, name) == 0) {
    if (*i + 1 >= argc) {
      fprintf(stderr, "policy: %s needs a value\n", name);
      return NULL;
    }
    return argv[++*i];
  }
  return NULL;
}

static bool is_option(const char *a, const char *name) {
  size_t n = strlen(name);
  return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

int cli_input_option(cli_input_opts *o, int argc, char **argv, int *i) {
  const char *a = argv[*i];
  const char *v;
  if (is_option(a, "--kind")) {
    if ((v = option_value(argc, argv, i, "--kind")) == NULL) return -1;
    if (!strcmp(v, "auto")) o->kind = POLICY_KIND_AUTO;
    else if (!strcmp(v, "dockerfile")) o->kind = POLICY_KIND_DOCKERFILE;
    else if (!strcmp(v, "compose")) o->kind = POLICY_KIND_COMPOSE;
    else if (!strcmp(v, "inspect")) o->kind = POLICY_KIND_INSPECT;
    else if (!strcmp(v, "request")) o->kind = POLICY_KIND_REQUEST;
    else if (!strcmp(v, "scan")) o->kind = POLICY_KIND_SCAN;
    else {
      fprintf(stderr, "policy: --kind is one of auto, dockerfile, compose, inspect, request, scan; not '%s'\n", cli_safe(v));
      return -1;
    }
    return 1;
  }
  if (is_option(a, "--build-arg")) {
    if ((v = option_value(argc, argv, i, "--build-arg")) == NULL) return -1;
    const char **list = realloc(o->build_args, (o->nbuild_args + 1) * sizeof *list);
    if (list == NULL) { fprintf(stderr, "policy: out of memory\n"); return -1; }
    o->build_args = list;
    o->build_args[o->nbuild_args++] = v;
    return 1;
  }
  if (is_option(a, "--env-file")) {
    if ((v = option_value(argc, argv, i, "--env-file")) == NULL) return -1;
    o->env_file = v;
    return 1;
  }
  if (is_option(a, "--target")) {
    if ((v = option_value(argc, argv, i, "--target")) == NULL) return -1;
    o->target = v;
    return 1;
  }
  return cli_limit_option(&o->limits, CLI_LIMITS_INPUT, argc, argv, i);
}

int cli_input_apply(const cli_input_opts *o, policy_engine *e) {
  int rc = POLICY_OK;
  for (size_t i = 0; i < o->nbuild_args && rc == POLICY_OK; i++) {
    const char *kv = o->build_args[i];
    const char *eq = strchr(kv, '=');
    char name[256];
    size_t n = eq ? (size_t)(eq - kv) : strlen(kv);
    if (n == 0 || n >= sizeof name) {
      fprintf(stderr, "policy: --build-arg takes NAME=value, not '%s'\n", cli_safe(kv));
      return EXIT_USAGE;
    }
    memcpy(name, kv, n);
    name[n] = '\0';
    /* NAME alone takes the value from the environment, as docker build does. */
    const char *val = eq ? eq + 1 : getenv(name);
    if (val) rc = policy_engine_set_build_arg(e, name, val);
  }
  if (rc == POLICY_OK && o->target) rc = policy_engine_set_target(e, o->target);
  if (rc == POLICY_OK && o->env_file) rc = policy_engine_set_env_file(e, o->env_file);
  if (rc == POLICY_OK) rc = cli_limit_apply(&o->limits, e);
  if (rc != POLICY_OK) {
    fprintf(stderr, "policy: %s\n", cli_safe(policy_engine_errmsg(e)));
    return EXIT_USAGE;
  }
  return EXIT_CLEAN;
}

int cli_input_parse(policy_document **out, policy_engine *e, const char *path,
                int kind) {
  int rc = strcmp(path, "-") == 0
               ? policy_parse_fd(out, e, "-", STDIN_FILENO, kind)
               : policy_parse_file(out, e, path, kind);
  if (rc != POLICY_OK) {
    const char *msg = policy_engine_errmsg(e);
    cli_diag_print(path, 0, 0, "error", *msg ? msg : policy_strerror(rc));
  }
  return rc;
}

static bool append(const char ***list, size_t *n, const char *v) {
  const char **grown = realloc(*list, (*n + 1) * sizeof *grown);
  if (grown == NULL) {
    fprintf(stderr, "policy: out of memory\n");
    return false;
  }
  *list = grown;
  grown[(*n)++] = v;
  return true;
}

/* --ignore a,b,c: each id or ref of a comma-separated list (blanks around
** the commas allowed; an empty list is an error). */
static bool add_ignores(cli_policy_opts *o, const char *list) {
  size_t added = 0;
  for (const char *p = list; *p;) {
    p += strspn(p, ", \t");
    size_t n = strcspn(p, ", \t");
    if (n == 0) break;
    char **grown = realloc(o->ignores, (o->nignores + 1) * sizeof *grown);
    char *id = grown ? strndup(p, n) : NULL;
    if (grown) o->ignores = grown;
    if (id == NULL) { fputs("policy: out of memory\n", stderr); return false; }
    o->ignores[o->nignores++] = id;
    added++;
    p += n;
  }
  if (added == 0) fputs("policy: --ignore needs a rule id or ref (or a comma-separated list)\n", stderr);
  return added > 0;
}

int cli_policy_option(cli_policy_opts *o, int argc, char **argv, int *i) {
  const char *a = argv[*i];
  const char *v;
  if (!strcmp(a, "--no-builtin")) { o->no_builtin = true; return 1; }
  if (!strcmp(a, "--no-config")) { o->no_config = true; return 1; }
  if (!strcmp(a, "--strict")) { o->strict = true; return 1; }
  if (is_option(a, "--config")) {
    if ((v = option_value(argc, argv, i, "--config")) == NULL) return -1;
    o->config = v;
    return 1;
  }
  if (is_option(a, "--policy")) {
    if ((v = option_value(argc, argv, i, "--policy")) == NULL) return -1;
    return append(&o->policies, &o->npolicies, v) ? 1 : -1;
  }
  if (is_option(a, "--pack")) {
    if ((v = option_value(argc, argv, i, "--pack")) == NULL) return -1;
    return append(&o->packs, &o->npacks, v) ? 1 : -1;
  }
  if (is_option(a, "--pack-sha256")) {
    if ((v = option_value(argc, argv, i, "--pack-sha256")) == NULL) return -1;
    return append(&o->pack_sha256, &o->npack_sha256, v) ? 1 : -1;
  }
  if (is_option(a, "--data")) {
    if ((v = option_value(argc, argv, i, "--data")) == NULL) return -1;
    return append(&o->data, &o->ndata, v) ? 1 : -1;
  }
  if (is_option(a, "--ignore")) {
    if ((v = option_value(argc, argv, i, "--ignore")) == NULL) return -1;
    return add_ignores(o, v) ? 1 : -1;
  }
  if (is_option(a, "--profile")) {
    if ((v = option_value(argc, argv, i, "--profile")) == NULL) return -1;
    if (strcmp(v, "default") && strcmp(v, "strict") && strcmp(v, "all")) {
      fprintf(stderr, "policy: --profile is default, strict or all; not '%s'\n", cli_safe(v));
      return -1;
    }
    o->profile = v;
    return 1;
  }
  if (is_option(a, "--isolation")) {
    if ((v = option_value(argc, argv, i, "--isolation")) == NULL) return -1;
    static const char *const modes[] = {"none", "untrusted", "all"};
    for (int m = 0; m < 3; m++)
      if (!strcmp(v, modes[m])) {
        o->isolation = m; /* POLICY_ISOLATE_NONE, _UNTRUSTED, _ALL */
        return 1;
      }
    fprintf(stderr, "policy: --isolation is none, untrusted or all; not '%s'\n", cli_safe(v));
    return -1;
  }
  return cli_limit_option(&o->limits, CLI_LIMITS_RULES, argc, argv, i);
}

char *cli_config_path(const cli_policy_opts *o) {
  if (o->no_config) return NULL;
  if (o->config) return strdup(o->config);
  char dir[4096];
  if (getcwd(dir, sizeof dir) == NULL) return NULL;
  size_t n = strlen(dir);
  if (n == 1) n = 0; /* "/" itself */
  for (;;) {
    char path[4200];
    snprintf(path, sizeof path, "%.*s/.policy.yaml", (int)n, dir);
    if (access(path, R_OK) == 0) return strdup(path);
    if (n == 0) break;
    while (n > 0 && dir[n - 1] != '/') n--; /* drop the last component */
    if (n > 0) n--;                          /* and its slash */
  }
  /* No .policy.yaml: a hadolint configuration in this folder, as hadolint
  ** finds it (docs/hadolint.md). */
  static const char *const hadolint[] = {".hadolint.yaml", ".hadolint.yml"};
  for (size_t i = 0; i < 2; i++)
    if (access(hadolint[i], R_OK) == 0) return strdup(hadolint[i]);
  return NULL;
}

/* Appends `key: ["a","b"]` for the comma- or space-separated words of
** value, as YAML flow (quotes, backslashes and controls left out). */
static size_t put_list(char *out, const char *key, const char *value) {
  size_t len = (size_t)sprintf(out, "%s: [", key);
  bool first = true;
  for (const char *p = value; *p;) {
    size_t n = strcspn(p, ", ");
    if (n) {
      if (!first) out[len++] = ',';
      out[len++] = '"';
      for (size_t k = 0; k < n; k++)
        if (p[k] != '"' && p[k] != '\\' && (unsigned char)p[k] >= 0x20) out[len++] = p[k];
      out[len++] = '"';
      first = false;
    }
    p += n + (p[n] != '\0');
  }
  len += (size_t)sprintf(out + len, "]\n");
  return len;
}

/* hadolint's environment variables, when the hadolint pack is loaded
** (docs/hadolint.md): HADOLINT_IGNORE (codes) and
** HADOLINT_TRUSTED_REGISTRIES (registries), comma-separated, applied as
** the hadolint configuration they stand for. */
static int hadolint_env(const cli_policy_opts *o, policy_engine *e) {
  bool loaded = false;
  for (size_t i = 0; i < policy_engine_pack_count(e); i++) {
    const char *name = policy_engine_pack_string(e, i, POLICY_PACK_NAME);
    loaded |= name && strcmp(name, "hadolint") == 0;
  }
  const char *ignore = getenv("HADOLINT_IGNORE"), *trusted = getenv("HADOLINT_TRUSTED_REGISTRIES");
  if (!loaded || (ignore == NULL && trusted == NULL)) return POLICY_OK;
  /* each word quoted and a comma: at most 3 bytes per byte, and the keys */
  char *yaml = malloc(3 * (strlen(ignore ? ignore : "") + strlen(trusted ? trusted : "")) + 64);
  if (yaml == NULL) return POLICY_ERR_NOMEM;
  size_t len = 0;
  if (ignore) len += put_list(yaml + len, "ignored", ignore);
  if (trusted) len += put_list(yaml + len, "trustedRegistries", trusted);
  int rc = policy_engine_load_config_buffer(e, "HADOLINT_variables/.hadolint.yaml", yaml, len);
  free(yaml);
  return rc;
}

/* Prints each line of the engine's message as an error. */
static void print_refused(policy_engine *e) {
  for (const char *p = policy_engine_errmsg(e); *p;) {
    size_t n = strcspn(p, "\n");
    char *line = strndup(p, n);
    if (line) fprintf(stderr, "policy: error: %s\n", cli_safe(line)); /* names the option */
    free(line);
    p += n + (p[n] == '\n');
  }
}

int cli_policy_apply(const cli_policy_opts *o, policy_engine *e, bool quiet) {
  int rc = POLICY_OK;
  bool refused = false;
  char *config = cli_config_path(o);
  if (config) {
    rc = policy_engine_load_config(e, config);
    free(config);
  }
  if (rc == POLICY_OK) rc = cli_limit_apply(&o->limits, e);
  if (rc == POLICY_OK && o->isolation >= 0) rc = policy_engine_set_isolation(e, o->isolation);
  if (rc == POLICY_OK && o->profile) rc = policy_engine_set_profile(e, o->profile);
  for (size_t i = 0; rc == POLICY_OK && i < o->nignores; i++)
    rc = policy_engine_ignore(e, o->ignores[i]);
  /* --pack names the built-in packs to load, in place of the default
  ** built-in pack (`--pack builtin --pack hadolint` combines them). */
  for (size_t i = 0; rc == POLICY_OK && i < o->npacks; i++) {
    rc = policy_engine_load_builtin_pack(e, o->packs[i]);
    if (rc != POLICY_OK) {
      fprintf(stderr, "policy: --pack %s: %s\n", cli_safe(o->packs[i]), cli_safe(policy_engine_errmsg(e)));
      return EXIT_USAGE;
    }
  }
  /* Without --pack, the configuration's packs (in place of the default) */
  for (size_t i = 0; rc == POLICY_OK && o->npacks == 0 && policy_engine_config_pack(e, i); i++) {
    const char *name = policy_engine_config_pack(e, i);
    if (o->no_builtin && !strcmp(name, "builtin")) continue;
    rc = policy_engine_load_builtin_pack(e, name);
  }
  if (rc == POLICY_OK && o->npacks == 0 && policy_engine_config_pack(e, 0) == NULL &&
      !o->no_builtin && policy_engine_config_builtin(e) != 0)
    rc = policy_engine_load_builtin(e);
  if (rc == POLICY_OK) rc = hadolint_env(o, e);
  size_t archives = 0;
  for (size_t i = 0; i < o->npolicies; i++) archives += cli_is_pack_archive(o->policies[i]);
  if (o->npack_sha256 > archives) {
    fprintf(stderr, "policy: %zu --pack-sha256 for %zu pack archive%s (--policy FILE.tar.gz); "
            "the i-th --pack-sha256 checks the i-th archive\n", o->npack_sha256, archives,
            archives == 1 ? "" : "s");
    return EXIT_USAGE;
  }
  archives = 0;
  for (size_t i = 0; rc == POLICY_OK && i < o->npolicies; i++) {
    const char *sha = NULL;
    if (cli_is_pack_archive(o->policies[i]) && archives < o->npack_sha256)
      sha = o->pack_sha256[archives++];
    rc = policy_engine_load_pack_path(e, o->policies[i], sha);
    /* A refused rule file is reported; the other rules still run. */
    if (rc == POLICY_ERR_PARSE || rc == POLICY_ERR_LIMIT) {
      if (!quiet) print_refused(e);
      refused = true;
      rc = POLICY_OK;
    }
  }
  for (size_t i = 0; rc == POLICY_OK && i < o->ndata; i++)
    rc = policy_engine_load_data(e, o->data[i]);
  if (rc != POLICY_OK) {
    fprintf(stderr, "policy: %s\n", cli_safe(policy_engine_errmsg(e)));
    return EXIT_USAGE;
  }
  return refused ? CLI_RULES_REFUSED : EXIT_CLEAN;
}

/* Prints the engine's notes ("place: text" lines) from byte `from` on. */
static void print_notes(policy_engine *e, size_t from, const char *level) {
  for (const char *p = policy_engine_warnings(e) + from; *p;) {
    size_t n = strcspn(p, "\n");
    char *line = strndup(p, n);
    if (line) fprintf(stderr, "policy: %s: %s\n", level, cli_safe(line));
    free(line);
    p += n + (p[n] == '\n');
  }
}

size_t cli_policy_warnings(const cli_policy_opts *o, policy_engine *e) {
  const char *level = o->strict ? "error" : "warning";
  size_t before = strlen(policy_engine_warnings(e)); /* expired ignores */
  print_notes(e, 0, "warning");
  size_t unknown = policy_engine_check_config(e);
  print_notes(e, before, level);
  for (size_t i = 0; i < o->nignores; i++) {
    size_t index;
    if (policy_engine_rule_find(&index, e, o->ignores[i]) == POLICY_OK) continue;
    fprintf(stderr, "policy: %s: --ignore %s: no loaded rule has this id or ref (see policy rules)\n",
            level, cli_safe(o->ignores[i]));
    unknown++;
  }
  return unknown;
}

bool cli_is_pack_archive(const char *path) {
  size_t n = strlen(path);
  return (n > 7 && !strcmp(path + n - 7, ".tar.gz")) || (n > 4 && !strcmp(path + n - 4, ".tgz"));
}

void cli_policy_opts_free(cli_policy_opts *o) {
  free(o->policies);
  free(o->pack_sha256);
  free(o->packs);
  free(o->data);
  for (size_t i = 0; i < o->nignores; i++) free(o->ignores[i]);
  free(o->ignores);
}
