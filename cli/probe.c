/*
** probe.c: what each path named to `policy check` is (a directory, or a
** file whose first bytes open JSON), looked at on a thread of its own
** while the engines load. Looking means a stat, and for a regular file
** whose name does not say what it holds an open and a read of its first
** bytes: for hundreds of named files that is milliseconds of system
** calls, which would otherwise delay the first check. The walk
** (cli_walk_paths) and the held inputs (scan_reports.c) read the answers.
*/
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* Below this many paths the probe runs on the caller's thread: starting
** a thread costs more than it saves. */
#define PROBE_THREAD_MIN 16

struct cli_probe {
  char **paths;
  size_t n;
  int kind;           /* the --kind given, POLICY_KIND_AUTO when none */
  unsigned char *what; /* per path: CLI_PROBE_* bits */
  pthread_t thread;
  bool threaded;
  bool done;
};

/* Whether the regular file's first byte that is not blank opens JSON:
** scan reports, inspect output and requests are JSON; a Dockerfile or
** Compose file under a name that does not say so is not. An unreadable
** file does not: it is checked in order, where its thread reports why. */
static bool starts_like_json(const char *path) {
  int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[512];
  ssize_t got = read(fd, buf, sizeof buf);
  close(fd);
  size_t n = got > 0 ? (size_t)got : 0;
  size_t i = n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  while (i < n && strchr(" \t\r\n", buf[i])) i++;
  return i < n && (buf[i] == '{' || buf[i] == '[');
}

/* Whether a name ends in "Dockerfile" or "Containerfile", in any case
** (web-Dockerfile, app_containerfile): such a file is never peeked at.
** It is still read by content when its name is not one the walk knows
** (cli_walk_kind_by_name), but nobody names JSON so, and peeking costs
** three system calls per file, most of the probe's time. */
static bool ends_like_a_dockerfile(const char *name) {
  size_t n = strlen(name);
  return (n >= 10 && strcasecmp(name + n - 10, "dockerfile") == 0) ||
         (n >= 13 && strcasecmp(name + n - 13, "containerfile") == 0);
}

static unsigned char probe_one(const char *path, int kind) {
  struct stat st;
  if (strcmp(path, "-") == 0 || stat(path, &st) != 0) return 0;
  if (S_ISDIR(st.st_mode)) return CLI_PROBE_DIR;
  /* Only a regular file is peeked at: opening a FIFO would wait for a
  ** writer, and a device may never end. */
  if (!S_ISREG(st.st_mode) || kind != POLICY_KIND_AUTO) return 0;
  const char *slash = strrchr(path, '/');
  const char *name = slash ? slash + 1 : path;
  if (cli_walk_kind_by_name(name) != POLICY_KIND_AUTO || ends_like_a_dockerfile(name)) return 0;
  return starts_like_json(path) ? CLI_PROBE_JSON : 0;
}

static void *probe_all(void *arg) {
  cli_probe *p = arg;
  for (size_t i = 0; i < p->n; i++) p->what[i] = probe_one(p->paths[i], p->kind);
  return NULL;
}

cli_probe *cli_probe_start(char **paths, size_t n, int kind) {
  cli_probe *p = calloc(1, sizeof *p);
  if (p == NULL) return NULL;
  p->what = calloc(n ? n : 1, 1);
  if (p->what == NULL) {
    free(p);
    return NULL;
  }
  p->paths = paths;
  p->n = n;
  p->kind = kind;
  p->threaded = n >= PROBE_THREAD_MIN && pthread_create(&p->thread, NULL, probe_all, p) == 0;
  return p;
}

const unsigned char *cli_probe_wait(cli_probe *p) {
  if (p->done) return p->what;
  if (p->threaded) pthread_join(p->thread, NULL);
  else probe_all(p);
  p->done = true;
  return p->what;
}

void cli_probe_free(cli_probe *p) {
  if (p == NULL) return;
  if (p->threaded && !p->done) pthread_join(p->thread, NULL); /* answers nobody asked for */
  free(p->what);
  free(p);
}
