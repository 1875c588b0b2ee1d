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

static int parse_size(const char *v, uint64_t *out, const char *name) {
  char *end;
  errno = 0;
  unsigned long long n = strtoull(v, &end, 10);
  uint64_t mult = 1;
  if (*end == 'K' || *end == 'k') { mult = 1024; end++; }
  else if (*end == 'M' || *end == 'm') { mult = 1024 * 1024; end++; }
  else if (*end == 'G' || *end == 'g') { mult = 1024ull * 1024 * 1024; end++; }
  if (errno || end == v || *end != '\0' || n == 0 || n > UINT64_MAX / mult) {
    fprintf(stderr, "policy: %s takes a positive size such as 65536, 64K or 16M, not '%s'\n",
            name, v);
    return -1;
  }
  *out = n * mult;
  return 1;
}

int input_option(input_opts *o, int argc, char **argv, int *i) {
  const char *a = argv[*i];
  const char *v;
  if (is_option(a, "--kind")) {
    if ((v = option_value(argc, argv, i, "--kind")) == NULL) return -1;
    if (!strcmp(v, "auto")) o->kind = POLICY_KIND_AUTO;
    else if (!strcmp(v, "dockerfile")) o->kind = POLICY_KIND_DOCKERFILE;
    else if (!strcmp(v, "compose")) o->kind = POLICY_KIND_COMPOSE;
    else if (!strcmp(v, "inspect")) o->kind = POLICY_KIND_INSPECT;
    else {
      fprintf(stderr, "policy: --kind is one of auto, dockerfile, compose, inspect; not '%s'\n", v);
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
  if (is_option(a, "--target")) {
    if ((v = option_value(argc, argv, i, "--target")) == NULL) return -1;
    o->target = v;
    return 1;
  }
  if (is_option(a, "--max-input-bytes")) {
    if ((v = option_value(argc, argv, i, "--max-input-bytes")) == NULL) return -1;
    return parse_size(v, &o->max_input, "--max-input-bytes");
  }
  if (is_option(a, "--max-line-bytes")) {
    if ((v = option_value(argc, argv, i, "--max-line-bytes")) == NULL) return -1;
    return parse_size(v, &o->max_line, "--max-line-bytes");
  }
  return 0;
}

int input_apply(const input_opts *o, policy_engine *e) {
  int rc = POLICY_OK;
  for (size_t i = 0; i < o->nbuild_args && rc == POLICY_OK; i++) {
    const char *kv = o->build_args[i];
    const char *eq = strchr(kv, '=');
    char name[256];
    size_t n = eq ? (size_t)(eq - kv) : strlen(kv);
    if (n == 0 || n >= sizeof name) {
      fprintf(stderr, "policy: --build-arg takes NAME=value, not '%s'\n", kv);
      return EXIT_USAGE;
    }
    memcpy(name, kv, n);
    name[n] = '\0';
    /* NAME alone takes the value from the environment, as docker build does. */
    const char *val = eq ? eq + 1 : getenv(name);
    if (val) rc = policy_engine_set_build_arg(e, name, val);
  }
  if (rc == POLICY_OK && o->target) rc = policy_engine_set_target(e, o->target);
  if (rc == POLICY_OK && o->max_input)
    rc = policy_engine_set_limit(e, POLICY_LIMIT_INPUT_BYTES, o->max_input);
  if (rc == POLICY_OK && o->max_line)
    rc = policy_engine_set_limit(e, POLICY_LIMIT_LINE_BYTES, o->max_line);
  if (rc != POLICY_OK) {
    fprintf(stderr, "policy: %s\n", policy_engine_errmsg(e));
    return EXIT_USAGE;
  }
  return EXIT_CLEAN;
}

int input_parse(policy_document **out, policy_engine *e, const char *path,
                int kind) {
  int rc = strcmp(path, "-") == 0
               ? policy_parse_fd(out, e, "-", STDIN_FILENO, kind)
               : policy_parse_file(out, e, path, kind);
  if (rc != POLICY_OK) {
    const char *msg = policy_engine_errmsg(e);
    diag_print(path, 0, 0, "error", *msg ? msg : policy_strerror(rc));
  }
  return rc;
}
