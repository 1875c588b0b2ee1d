/*
** options.c: options shared by the commands that read input.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

int cli_input_apply(const cli_input_opts *o, policy_engine *e, bool quiet) {
  int rc = POLICY_OK;
  for (size_t i = 0; i < o->nbuild_args && rc == POLICY_OK; i++) {
    const char *kv = o->build_args[i];
    const char *eq = strchr(kv, '=');
    char name[256];
    size_t n = eq ? (size_t)(eq - kv) : strlen(kv);
    if (n == 0 || n >= sizeof name) {
      if (!quiet) fprintf(stderr, "policy: --build-arg takes NAME=value, not '%s'\n", cli_safe(kv));
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
    if (!quiet) fprintf(stderr, "policy: %s\n", cli_safe(policy_engine_errmsg(e)));
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

bool cli_hadolint_pack(const cli_policy_opts *o) {
  for (size_t i = 0; i < o->npacks; i++)
    if (strcmp(o->packs[i], "hadolint") == 0) return true;
  return false;
}

/* The first of `base`.yaml and `base`.yml that can be read, malloc'd. */
static char *readable_yaml(const char *base) {
  static const char *const ext[] = {".yaml", ".yml"};
  for (size_t i = 0; i < 2; i++) {
    char path[4200];
    snprintf(path, sizeof path, "%s%s", base, ext[i]);
    if (access(path, R_OK) == 0) return strdup(path);
  }
  return NULL;
}

/* hadolint's configuration where hadolint looks for it, first found
** wins (docs/hadolint.md): the working folder's, then the user's (with
** --pack hadolint only: they are the user's settings for hadolint). */
static char *hadolint_config_path(const cli_policy_opts *o) {
  char *found = readable_yaml(".hadolint");
  if (found || !cli_hadolint_pack(o)) return found;
  const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
  char base[4200];
  if (xdg && *xdg) snprintf(base, sizeof base, "%s/hadolint", xdg);
  else if (home && *home) snprintf(base, sizeof base, "%s/.config/hadolint", home);
  else base[0] = '\0';
  if (base[0] && (found = readable_yaml(base))) return found;
  if (home == NULL || *home == '\0') return NULL;
  static const char *const in_home[] = {"/.hadolint/hadolint", "/.hadolint/config", "/.hadolint"};
  for (size_t i = 0; i < sizeof in_home / sizeof in_home[0]; i++) {
    snprintf(base, sizeof base, "%s%s", home, in_home[i]);
    if ((found = readable_yaml(base))) return found;
  }
  return NULL;
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
  return hadolint_config_path(o);
}

/* A growing text for the YAML of hadolint's variables. */
typedef struct ybuf {
  char *data;
  size_t len, cap;
  bool oom;
} ybuf;

static void ybuf_putc(ybuf *y, char c) {
  if (y->oom) return;
  if (y->len + 2 > y->cap) {
    size_t cap = y->cap ? 2 * y->cap : 256;
    char *grown = realloc(y->data, cap);
    if (grown == NULL) { y->oom = true; return; }
    y->data = grown;
    y->cap = cap;
  }
  y->data[y->len++] = c;
  y->data[y->len] = '\0';
}

static void ybuf_puts(ybuf *y, const char *text) {
  while (*text) ybuf_putc(y, *text++);
}

/* Appends `value` as a YAML double-quoted scalar (quotes, backslashes and
** control characters left out: no code, registry or label has them). */
static void put_scalar(ybuf *y, const char *value, size_t n) {
  ybuf_putc(y, '"');
  for (size_t k = 0; k < n; k++)
    if (value[k] != '"' && value[k] != '\\' && (unsigned char)value[k] >= 0x20) ybuf_putc(y, value[k]);
  ybuf_putc(y, '"');
}

/* `[a, b]` from the comma-separated words of value (blanks around them
** dropped, empty ones skipped). */
static void put_list(ybuf *y, const char *value) {
  ybuf_putc(y, '[');
  bool first = true;
  for (const char *p = value; *p;) {
    p += strspn(p, ", \t");
    size_t n = strcspn(p, ", \t");
    if (n == 0) break;
    if (!first) ybuf_putc(y, ',');
    put_scalar(y, p, n);
    first = false;
    p += n;
  }
  ybuf_putc(y, ']');
}

/* hadolint's truthy values, any case: 1, y, yes, on, true. */
static bool truthy(const char *v) {
  static const char *const yes[] = {"1", "y", "yes", "on", "true"};
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
    if (strcasecmp(v, yes[i]) == 0) return true;
  return false;
}

/* Applies one variable as the hadolint configuration it stands for. */
static int hadolint_var(policy_engine *e, const char *var, const char *text, size_t len) {
  char name[64];
  snprintf(name, sizeof name, "$%s/.hadolint.yaml", var); /* messages name the variable */
  return policy_engine_load_config_buffer(e, name, text, len);
}

/* hadolint's environment variables, when the hadolint pack is loaded
** (docs/hadolint.md), each applied as the hadolint configuration it
** stands for, before the configuration file: the file's scalars win and
** the lists add up, as hadolint merges them. HADOLINT_FORMAT is
** cmd_check.c's; HADOLINT_VERBOSE changes nothing here. */
static int hadolint_env(const cli_policy_opts *o, policy_engine *e) {
  if (!cli_hadolint_pack(o)) return POLICY_OK;
  static const struct { const char *var, *key; char form; } vars[] = {
      /* form: 'l' list, 'b' truthy, 's' scalar, 'o' override level, 'm' name:type map */
      {"HADOLINT_IGNORE", "ignored", 'l'},
      {"HADOLINT_TRUSTED_REGISTRIES", "trustedRegistries", 'l'},
      {"HADOLINT_ALLOWED_REGISTRIES", "trustedRegistries", 'l'}, /* an older name */
      {"HADOLINT_OVERRIDE_ERROR", "error", 'o'},
      {"HADOLINT_OVERRIDE_WARNING", "warning", 'o'},
      {"HADOLINT_OVERRIDE_INFO", "info", 'o'},
      {"HADOLINT_OVERRIDE_STYLE", "style", 'o'},
      {"HADOLINT_REQUIRE_LABELS", "label-schema", 'm'},
      {"HADOLINT_STRICT_LABELS", "strict-labels", 'b'},
      {"HADOLINT_DISABLE_IGNORE_PRAGMA", "disable-ignore-pragma", 'b'},
      {"HADOLINT_NOFAIL", "no-fail", 'b'},
      {"HADOLINT_FAILURE_THRESHOLD", "failure-threshold", 's'}};
  int rc = POLICY_OK;
  for (size_t i = 0; i < sizeof vars / sizeof vars[0] && rc == POLICY_OK; i++) {
    const char *v = getenv(vars[i].var);
    if (v == NULL) continue;
    ybuf y = {0};
    switch (vars[i].form) {
    case 'l':
      ybuf_puts(&y, vars[i].key);
      ybuf_puts(&y, ": ");
      put_list(&y, v);
      break;
    case 'o':
      ybuf_puts(&y, "override:\n  ");
      ybuf_puts(&y, vars[i].key);
      ybuf_puts(&y, ": ");
      put_list(&y, v);
      break;
    case 'b':
      ybuf_puts(&y, vars[i].key);
      ybuf_puts(&y, truthy(v) ? ": true" : ": false");
      break;
    case 's':
      ybuf_puts(&y, vars[i].key);
      ybuf_puts(&y, ": ");
      put_scalar(&y, v, strlen(v));
      break;
    default: /* name:type,... ; a pair without a type is left out, as hadolint does */
      ybuf_puts(&y, vars[i].key);
      ybuf_puts(&y, ": {");
      bool first = true;
      for (const char *p = v; *p;) {
        p += strspn(p, ", \t");
        size_t n = strcspn(p, ",");
        const char *colon = memchr(p, ':', n), *end = p + n;
        while (end > p && (end[-1] == ' ' || end[-1] == '\t')) end--;
        if (colon && colon > p && colon + 1 < end) {
          if (!first) ybuf_putc(&y, ',');
          put_scalar(&y, p, (size_t)(colon - p));
          ybuf_putc(&y, ':');
          put_scalar(&y, colon + 1, (size_t)(end - colon - 1));
          first = false;
        } else if (n) {
          fprintf(stderr, "policy: warning: HADOLINT_REQUIRE_LABELS: '%.*s' is not name:type; "
                  "left out\n", (int)(n > 200 ? 200 : n), p);
        }
        p += n;
      }
      ybuf_putc(&y, '}');
      break;
    }
    ybuf_putc(&y, '\n');
    rc = y.oom ? POLICY_ERR_NOMEM : hadolint_var(e, vars[i].var, y.data, y.len);
    free(y.data);
  }
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
  rc = hadolint_env(o, e); /* below the configuration file */
  if (config && rc == POLICY_OK) rc = policy_engine_load_config(e, config);
  free(config);
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
      if (!quiet)
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
  size_t archives = 0;
  for (size_t i = 0; i < o->npolicies; i++) archives += cli_is_pack_archive(o->policies[i]);
  if (o->npack_sha256 > archives) {
    if (!quiet) fprintf(stderr, "policy: %zu --pack-sha256 for %zu pack archive%s (--policy FILE.tar.gz); "
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
    if (!quiet) fprintf(stderr, "policy: %s\n", cli_safe(policy_engine_errmsg(e)));
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
