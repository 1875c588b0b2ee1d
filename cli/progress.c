/*
** progress.c: "policy: 120/5000 files" on stderr while a long scan runs,
** only when stderr is a terminal (never in logs or pipes).
*/
#include <time.h>
#include <unistd.h>

#include "cli.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_init(cli_progress *p, bool wanted) {
  p->enabled = wanted && isatty(STDERR_FILENO);
  p->shown = false;
  p->start = p->last = now();
}

void cli_progress_update(cli_progress *p, size_t done, size_t total) {
  if (!p->enabled) return;
  double t = now();
  if (t - p->start < 1.0 || t - p->last < 0.1) return;
  p->last = t;
  fprintf(stderr, "\rpolicy: %zu/%zu files", done, total);
  fflush(stderr);
  p->shown = true;
}

void cli_progress_clear(cli_progress *p) {
  if (!p->shown) return;
  fputs("\r\033[K", stderr);
  fflush(stderr);
  p->shown = false;
}
