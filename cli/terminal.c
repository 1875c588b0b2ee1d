/*
** terminal.c: what the command prints is escaped first, whoever wrote it
** (a scanned file, a rule, the library): one entry stays one line, and
** no escape sequence or bidi control reaches the terminal.
*/
#include <stdlib.h>

#include "cli.h"

static char *slots[CLI_SAFE_SLOTS];
static size_t next_slot;

static const char *safe(const char *s, uint32_t flags) {
  char *annotated = cli_limit_annotate(s ? s : "");
  char *escaped = NULL;
  if (annotated == NULL || policy_escape_text(&escaped, NULL, annotated, flags) != POLICY_OK) {
    free(annotated);
    return "(out of memory)";
  }
  free(annotated);
  size_t k = next_slot++ % CLI_SAFE_SLOTS;
  policy_free(slots[k]);
  slots[k] = escaped;
  return escaped;
}

const char *cli_safe(const char *s) { return safe(s, 0); }
const char *cli_safe_lines(const char *s) { return safe(s, POLICY_ESCAPE_KEEP_NEWLINES); }
