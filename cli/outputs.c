/*
** outputs.c: `--format FORMAT[=FILE]`, repeatable: each format goes to
** its file, at most one to standard output (text by default).
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char formats_list[] = "text, json, sarif, junit, github, gitlab, checkstyle";

/* hadolint's --format names (docs/hadolint.md): the ones with an
** equivalent here, and the others, named in the error. */
static const struct { const char *hadolint, *ours; } hadolint_names[] = {
    {"tty", "text"},
    {"gnu", "text"}, /* our text lines start file:line:col:, GNU's convention */
    {"gitlab_codeclimate", "gitlab"},
    {"codeclimate", NULL}, {"codacy", NULL}, {"sonarqube", NULL}};

int cli_format_named(const char *name) {
  for (size_t i = 0; i < sizeof hadolint_names / sizeof hadolint_names[0]; i++)
    if (!strcmp(name, hadolint_names[i].hadolint))
      return hadolint_names[i].ours ? policy_format_from_name(hadolint_names[i].ours) : 0;
  int format = policy_format_from_name(name);
  return format == POLICY_FORMAT_BASELINE ? 0 : format;
}

void cli_format_unknown(const char *what, const char *name) {
  for (size_t i = 0; i < sizeof hadolint_names / sizeof hadolint_names[0]; i++)
    if (!strcmp(name, hadolint_names[i].hadolint)) {
      fprintf(stderr, "policy check: %s %s: hadolint's %s format has no equivalent here; "
              "formats: %s (and hadolint's tty, gnu, gitlab_codeclimate)\n", what, name, name,
              formats_list);
      return;
    }
  fprintf(stderr, "policy check: %s is one of %s (FORMAT or FORMAT=FILE), not '%s'\n", what,
          formats_list, cli_safe(name));
}

bool cli_output_add(cli_outputs *o, const char *spec) {
  const char *eq = strchr(spec, '=');
  size_t n = eq ? (size_t)(eq - spec) : strlen(spec);
  char name[32];
  int format = 0;
  if (n < sizeof name) {
    memcpy(name, spec, n);
    name[n] = '\0';
    format = cli_format_named(name);
  }
  if (format == 0) {
    cli_format_unknown("--format", n < sizeof name ? name : spec);
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

/* policy_write_fn onto a FILE *. */
static int write_to_file(void *ctx, const char *data, size_t len) {
  return fwrite(data, 1, len, ctx) == len ? 0 : -1;
}

/* One format to its file or standard output, streamed: the text of a big
** report is never held whole. */
static bool write_one(const cli_output *out, const policy_report *rep,
                      const policy_engine *e, uint32_t text_flags) {
  uint32_t flags = out->format == POLICY_FORMAT_TEXT ? (out->path ? 0 : text_flags)
                                                     : POLICY_JSON_PRETTY;
  FILE *f = out->path ? fopen(out->path, "w") : stdout;
  int rc = f ? policy_report_write_cb(rep, e, out->format, flags, write_to_file, f) : POLICY_ERR_IO;
  int saved = errno;
  bool ok = rc == POLICY_OK;
  if (f && out->path) ok = fclose(f) == 0 && ok;
  else if (f) ok = fflush(f) == 0 && ok;
  if (rc == POLICY_ERR_NOMEM) {
    fputs("policy: out of memory\n", stderr);
  } else if (!ok) {
    if (rc != POLICY_OK) errno = saved;
    fprintf(stderr, "policy: %s: cannot write: %s\n", out->path ? cli_safe(out->path) : "standard output",
            strerror(errno));
  }
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
