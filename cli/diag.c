/*
** diag.c: compiler-style diagnostics on stderr, escaped.
*/
#include "cli.h"

void cli_diag_print(const char *file, uint32_t line, uint32_t col,
                const char *severity, const char *message) {
  if (line)
    fprintf(stderr, "%s:%u:%u: %s: %s\n", cli_safe(file), (unsigned)line,
            (unsigned)(col ? col : 1), severity, cli_safe(message));
  else
    fprintf(stderr, "%s: %s: %s\n", file ? cli_safe(file) : "policy", severity, cli_safe(message));
}

size_t cli_diag_document(const policy_document *doc) {
  const char *file = policy_document_path(doc);
  size_t nerr = policy_document_error_count(doc);
  size_t nwarn = policy_document_warning_count(doc);
  for (size_t i = 0; i < nerr; i++) {
    const char *msg;
    uint32_t line, col;
    if (policy_document_error(&msg, &line, &col, doc, i) == POLICY_OK)
      cli_diag_print(file, line, col, "error", msg);
  }
  for (size_t i = 0; i < nwarn; i++) {
    const char *msg;
    uint32_t line, col;
    if (policy_document_warning(&msg, &line, &col, doc, i) == POLICY_OK)
      cli_diag_print(file, line, col, "warning", msg);
  }
  return nerr;
}
