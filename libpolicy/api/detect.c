/*
** detect.c: which kind of input a file is.
**
** By name first (the conventions Docker's own tools use), then by content:
** a JSON object whose top-level keys are a scan report's (scan_sniff:
** Trivy's SchemaVersion, Grype's matches, SARIF's runs) is a scan report;
** other JSON that starts with '[' or '{' is an AuthZ plugin request when its
** first bytes name RequestMethod or RequestUri, else inspect output (the
** inspect builder tells a create body from inspect output by its keys and
** sets the document's kind accordingly); text whose first word (after
** blank lines, comments and parser directives such as `# syntax=`) is a
** Dockerfile instruction keyword, in any case, followed by a blank is a
** Dockerfile, as hadolint lints fragments such as `RUN apt-get install x`;
** YAML with a top-level "services:" key is Compose. No YAML mapping starts
** with a keyword and a blank (its keys end in ':'), so the keyword test
** comes before the search for "services:", which a heredoc of a
** Dockerfile may hold.
*/
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "../scan/scan.h"
#include "internal.h"

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static int kind_by_name(const char *path) {
  const char *b = base_name(path);
  if (!strcasecmp(b, "Dockerfile") || !strcasecmp(b, "Containerfile") ||
      !strncasecmp(b, "Dockerfile.", 11) || !strncasecmp(b, "Containerfile.", 14) ||
      ends_with(b, ".Dockerfile") || ends_with(b, ".Containerfile"))
    return POLICY_KIND_DOCKERFILE;
  if (!strcasecmp(b, "compose.yaml") || !strcasecmp(b, "compose.yml") ||
      ((!strncasecmp(b, "docker-compose", 14) || !strncasecmp(b, "compose.", 8)) &&
       (ends_with(b, ".yml") || ends_with(b, ".yaml"))))
    return POLICY_KIND_COMPOSE;
  return POLICY_KIND_AUTO;
}

/* Whether an AuthZ request's keys appear in the first 64 KiB. */
static bool looks_like_authz(const char *data, size_t len) {
  static const char *const keys[] = {"\"RequestMethod\"", "\"RequestUri\""};
  size_t n = len < 65536 ? len : 65536;
  for (size_t k = 0; k < 2; k++) {
    size_t kl = strlen(keys[k]);
    for (size_t i = 0; i + kl <= n; i++)
      if (data[i] == '"' && memcmp(data + i, keys[k], kl) == 0) return true;
  }
  return false;
}

/* Whether text starts with an instruction keyword (any case) and a blank
** (space or tab; an instruction has arguments). */
static bool starts_with_instruction(const char *text, size_t len) {
  static const char *const keywords[] = {
      "FROM", "ARG", "RUN", "COPY", "ADD", "ENV", "LABEL", "EXPOSE", "CMD",
      "ENTRYPOINT", "USER", "WORKDIR", "VOLUME", "SHELL", "HEALTHCHECK",
      "ONBUILD", "STOPSIGNAL", "MAINTAINER"};
  for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
    size_t n = strlen(keywords[k]);
    if (len > n && strncasecmp(text, keywords[k], n) == 0 &&
        (text[n] == ' ' || text[n] == '\t'))
      return true;
  }
  return false;
}

/* The first word of the first line that is not blank or a comment. */
static int kind_by_content(const char *data, size_t len) {
  size_t i = 0;
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) i = 3;
  while (i < len) {
    while (i < len && isspace((unsigned char)data[i])) i++;
    if (i < len && data[i] == '#') {
      while (i < len && data[i] != '\n') i++;
      continue;
    }
    break;
  }
  if (i >= len) return POLICY_KIND_AUTO;
  if (data[i] == '{' && scan_sniff(data + i, len - i) != SCAN_NONE) return POLICY_KIND_SCAN;
  if (data[i] == '[' || data[i] == '{')
    return looks_like_authz(data + i, len - i) ? POLICY_KIND_REQUEST
                                               : POLICY_KIND_INSPECT;
  if (starts_with_instruction(data + i, len - i)) return POLICY_KIND_DOCKERFILE;
  for (size_t j = i; j + 9 <= len; j++) {
    if ((j == 0 || data[j - 1] == '\n') && memcmp(data + j, "services:", 9) == 0)
      return POLICY_KIND_COMPOSE;
  }
  return POLICY_KIND_AUTO;
}

int api_detect_kind(const char *path, const char *data, size_t len) {
  int k = path ? kind_by_name(path) : POLICY_KIND_AUTO;
  return k != POLICY_KIND_AUTO ? k : kind_by_content(data, len);
}
