/*
** outputs.c: `--format FORMAT[=FILE]`, repeatable: each format goes to
** its file, at most one to standard output (text by default).
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char formats_list[] = "text, json, sarif, junit, github, gitlab, checkstyle";

bool cli_output_add(cli_outputs *o, const char *spec) {
  const char *eq = strchr(spec, '=');
  size_t n = eq ? (size_t)(eq - spec) : strlen(spec);
  char name[32];
  int format = 0;
  if (n < sizeof name) {
    memcpy(name, spec, n);
    name[n] = '\0';
    format = policy_format_from_name(name);
  }
  if (format == 0 || format == POLICY_FORMAT_BASELINE) {
    fprintf(stderr, "policy check: --format is one of %s (FORMAT or FORMAT=FILE), not '%s'\n",
            formats_list, cli_safe(spec));
    return false;
  }
  const char *path = eq ? eq + 1 : NULL;
  if (path && *path == '\0') {
    fprintf(stderr, "policy check: --format %s= needs a file name after '='\n", cli_safe(name));
    return false;
  }
  if (path && strcmp(path, "-") == 0) path = NULL;
  for (size_t i = 0; i < o->len; i++) {
    if (path == NULL && o->items[i].path == NULL) {
      fprintf(stderr, "policy check: only one format can go to standard output; write the "
              "others to files (--format sarif=policy.sarif)\n");
      return false;
    }
  }
  if (o->len == sizeof o->items / sizeof o->items[0]) {
    fputs("policy check: too many --format options\n", stderr);
    return false;
  }
  o->items[o->len++] = (cli_output){format, path};
  return true;
}

static bool write_one(const cli_output *out, const policy_report *rep,
                      const policy_engine *e, uint32_t text_flags) {
  uint32_t flags = out->format == POLICY_FORMAT_TEXT ? (out->path ? 0 : text_flags)
                                                     : POLICY_JSON_PRETTY;
  char *text;
  size_t len;
  if (policy_report_write(&text, &len, rep, e, out->format, flags) != POLICY_OK) {
    fputs("policy: out of memory\n", stderr);
    return false;
  }
  FILE *f = out->path ? fopen(out->path, "w") : stdout;
  bool ok = f != NULL;
  if (f) {
    ok = fwrite(text, 1, len, f) == len;
    if (out->path) ok = fclose(f) == 0 && ok;
    else ok = fflush(f) == 0 && ok;
  }
  if (!ok)
    fprintf(stderr, "policy: %s: cannot write: %s\n", out->path ? cli_safe(out->path) : "standard output",
            strerror(errno));
  policy_free(text);
  return ok;
}

bool cli_outputs_write(const cli_outputs *o, const policy_report *rep,
                       const policy_engine *e, uint32_t text_flags) {
  bool ok = true;
  for (size_t i = 0; i < o->len; i++) {
    if (o->items[i].format == POLICY_FORMAT_TEXT && o->items[i].path == NULL) continue;
    ok = write_one(&o->items[i], rep, e, text_flags) && ok;
  }
  return ok;
}
