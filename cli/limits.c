/*
** limits.c: the one table that ties the library's limits (named by their
** API names in its messages, e.g. "POLICY_LIMIT_INSTRUCTIONS") to the
** options of the `policy` command and to .policy.yaml's limits keys.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct limit_row {
  int limit;          /* policy_limit */
  const char *api;    /* as the library's messages name it */
  const char *option; /* the command-line option, or NULL */
  const char *config; /* the key under `limits:` in .policy.yaml */
  int group;          /* CLI_LIMITS_INPUT or CLI_LIMITS_RULES */
  const char *help;   /* the option's help line */
} limit_row;

static const limit_row rows[] = {
    {POLICY_LIMIT_INPUT_BYTES, "POLICY_LIMIT_INPUT_BYTES", "--max-input-bytes", "input_bytes",
     CLI_LIMITS_INPUT, "refuse inputs larger than N (default 128M)"},
    {POLICY_LIMIT_LINE_BYTES, "POLICY_LIMIT_LINE_BYTES", "--max-line-bytes", "line_bytes",
     CLI_LIMITS_INPUT, "longest Dockerfile line (default 65535, BuildKit's own)"},
    {POLICY_LIMIT_MODEL_BYTES, "POLICY_LIMIT_MODEL_BYTES", "--max-model-bytes", "model_bytes",
     CLI_LIMITS_INPUT, "memory one input's model may use (default 1G)"},
    {POLICY_LIMIT_INSTRUCTIONS, "POLICY_LIMIT_INSTRUCTIONS", "--max-instructions", "instructions",
     CLI_LIMITS_RULES, "Lua instructions per rule per file (default 10M)"},
    {POLICY_LIMIT_LUA_MEMORY_BYTES, "POLICY_LIMIT_LUA_MEMORY_BYTES", "--max-lua-memory",
     "lua_memory", CLI_LIMITS_RULES, "memory for all rules (default 64M)"},
    {POLICY_LIMIT_FINDINGS_PER_RULE, "POLICY_LIMIT_FINDINGS_PER_RULE", "--max-findings",
     "findings", CLI_LIMITS_RULES, "findings per rule per file (default 1000)"},
    {POLICY_LIMIT_TIME_MS, "POLICY_LIMIT_TIME_MS", "--max-rule-time", "time_ms",
     CLI_LIMITS_RULES, "wall-clock milliseconds per rule per file (default 10000)"},
    {POLICY_LIMIT_TOOL_MS, "POLICY_LIMIT_TOOL_MS", "--max-tool-time", "tool_ms",
     CLI_LIMITS_RULES, "milliseconds per shellcheck run (default 2000)"},
    {POLICY_LIMIT_LOG_BYTES, "POLICY_LIMIT_LOG_BYTES", NULL, "log_bytes", CLI_LIMITS_RULES, NULL},
};
#define NROWS (sizeof rows / sizeof rows[0])

static int parse_size(const char *v, uint64_t *out, const char *name) {
  char *end;
  errno = 0;
  unsigned long long n = strtoull(v, &end, 10);
  uint64_t mult = 1;
  if (*end == 'K' || *end == 'k') { mult = 1024; end++; }
  else if (*end == 'M' || *end == 'm') { mult = 1024 * 1024; end++; }
  else if (*end == 'G' || *end == 'g') { mult = 1024ull * 1024 * 1024; end++; }
  if (errno || end == v || *end != '\0' || n == 0 || n > UINT64_MAX / mult || v[0] == '-') {
    fprintf(stderr, "policy: %s takes a positive size such as 65536, 64K or 16M, not '%s'\n",
            name, cli_safe(v));
    return -1;
  }
  *out = n * mult;
  return 1;
}

int cli_limit_option(cli_limits *l, int group, int argc, char **argv, int *i) {
  const char *a = argv[*i];
  for (size_t r = 0; r < NROWS; r++) {
    const char *opt = rows[r].option;
    if (opt == NULL || !(rows[r].group & group)) continue;
    size_t n = strlen(opt);
    if (strncmp(a, opt, n) != 0 || (a[n] != '\0' && a[n] != '=')) continue;
    const char *v = a[n] == '=' ? a + n + 1 : NULL;
    if (v == NULL) {
      if (*i + 1 >= argc) {
        fprintf(stderr, "policy: %s needs a value\n", opt);
        return -1;
      }
      v = argv[++*i];
    }
    return parse_size(v, &l->value[rows[r].limit], opt);
  }
  return 0;
}

int cli_limit_apply(const cli_limits *l, policy_engine *e) {
  for (size_t r = 0; r < NROWS; r++) {
    uint64_t v = l->value[rows[r].limit];
    int rc = v ? policy_engine_set_limit(e, rows[r].limit, v) : POLICY_OK;
    if (rc != POLICY_OK) return rc;
  }
  return POLICY_OK;
}

void cli_limit_help(FILE *f, int group) {
  for (size_t r = 0; r < NROWS; r++) {
    if (rows[r].option == NULL || !(rows[r].group & group)) continue;
    char usage[64];
    snprintf(usage, sizeof usage, "%s %s", rows[r].option,
             rows[r].limit == POLICY_LIMIT_TIME_MS || rows[r].limit == POLICY_LIMIT_TOOL_MS ? "MS" : "N");
    fprintf(f, "  %-22s %s\n", usage, rows[r].help);
  }
}

/* The row of the limit named at `at` (its name runs to `end`), or NULL. */
static const limit_row *row_named(const char *at, const char *end) {
  for (size_t r = 0; r < NROWS; r++)
    if (strlen(rows[r].api) == (size_t)(end - at) && !strncmp(rows[r].api, at, (size_t)(end - at)))
      return &rows[r];
  return NULL;
}

/* Each line that names limits gets "; option --max-..." (or the
** .policy.yaml key) per limit at its end, so the library's text stays
** whole. */
char *cli_limit_annotate(const char *msg) {
  size_t n = strlen(msg), extra = 0;
  for (const char *p = msg; (p = strstr(p, "POLICY_LIMIT_")) != NULL; p++) extra += 64;
  char *out = malloc(n + extra + 1);
  if (out == NULL) return NULL;
  char *o = out;
  for (const char *line = msg; *line;) {
    size_t len = strcspn(line, "\n");
    const char *eol = line + len;
    memcpy(o, line, len);
    o += len;
    for (const char *at = line; (at = strstr(at, "POLICY_LIMIT_")) != NULL && at < eol;) {
      const char *end = at;
      while ((*end >= 'A' && *end <= 'Z') || *end == '_') end++;
      const limit_row *r = row_named(at, end);
      if (r && r->option) o += sprintf(o, "; option %s", r->option);
      else if (r) o += sprintf(o, "; limits.%s in .policy.yaml", r->config);
      at = end;
    }
    if (*eol == '\n') *o++ = '\n';
    line = *eol ? eol + 1 : eol;
  }
  *o = '\0';
  return out;
}
