/*
** shellcheck.c: one bounded run of the shellcheck program (see shellcheck.h).
**
** The script is written through a socket (send with MSG_NOSIGNAL: a
** program that exits without reading cannot raise SIGPIPE in the host),
** standard output and error are read from pipes, all three polled
** together so neither side can block the other. The child runs in its own
** process group, so a kill reaches what it started too.
*/
#define _GNU_SOURCE
#include "shellcheck.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STDERR_KEEP 512   /* bytes of standard error kept for messages */

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

static bool nonblocking(int fd) {
  int fl = fcntl(fd, F_GETFL);
  return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0;
}

/* The child's end of each stream (in[0], out[1], err[1]) and ours. */
typedef struct streams {
  int in[2], out[2], err[2];
} streams;

static void streams_close(streams *s) {
  for (int i = 0; i < 2; i++) {
    close_fd(&s->in[i]);
    close_fd(&s->out[i]);
    close_fd(&s->err[i]);
  }
}

static bool streams_open(streams *s) {
  s->in[0] = s->in[1] = s->out[0] = s->out[1] = s->err[0] = s->err[1] = -1;
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s->in) != 0 ||
      pipe2(s->out, O_CLOEXEC) != 0 || pipe2(s->err, O_CLOEXEC) != 0 ||
      !nonblocking(s->in[1]) || !nonblocking(s->out[0]) || !nonblocking(s->err[0])) {
    int saved = errno;
    streams_close(s);
    errno = saved;
    return false;
  }
  return true;
}

/* Starts the program with the child's ends as its 0, 1, 2 and nothing
** else open. Returns the spawn error (0 on success). */
static int spawn(pid_t *pid, const eng_sc_job *job, streams *s) {
  char shell[32], exclude[128];
  snprintf(shell, sizeof shell, "--shell=%s", job->shell);
  snprintf(exclude, sizeof exclude, "--exclude=%s", job->exclude ? job->exclude : "");
  char *argv[8];
  int n = 0;
  argv[n++] = (char *)job->program;
  argv[n++] = "--norc";
  argv[n++] = "--format=json1";
  argv[n++] = shell;
  if (job->exclude && *job->exclude) argv[n++] = exclude;
  argv[n++] = "-";
  argv[n] = NULL;
  char *envp[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C.UTF-8", NULL};
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  if (posix_spawn_file_actions_init(&fa) != 0) return ENOMEM;
  if (posix_spawnattr_init(&attr) != 0) {
    posix_spawn_file_actions_destroy(&fa);
    return ENOMEM;
  }
  sigset_t none, dflt;
  sigemptyset(&none);
  sigemptyset(&dflt);
  sigaddset(&dflt, SIGPIPE);
  sigaddset(&dflt, SIGINT);
  sigaddset(&dflt, SIGTERM);
  int rc = posix_spawn_file_actions_adddup2(&fa, s->in[0], 0);
  if (rc == 0) rc = posix_spawn_file_actions_adddup2(&fa, s->out[1], 1);
  if (rc == 0) rc = posix_spawn_file_actions_adddup2(&fa, s->err[1], 2);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  /* Descriptors of the host that are not close-on-exec stay ours. */
  if (rc == 0) rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
  if (rc == 0) rc = posix_spawnattr_setpgroup(&attr, 0);
  if (rc == 0) rc = posix_spawnattr_setsigmask(&attr, &none);
  if (rc == 0) rc = posix_spawnattr_setsigdefault(&attr, &dflt);
  if (rc == 0)
    rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                             POSIX_SPAWN_SETSIGDEF);
  if (rc == 0) rc = posix_spawnp(pid, job->program, &fa, &attr, argv, envp);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  return rc;
}

/* Kills the child's process group and reaps the child. */
static void kill_and_reap(pid_t pid) {
  kill(-pid, SIGKILL);
  kill(pid, SIGKILL);
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
}

/* Reads what is there; false at end of stream or on an error. */
static bool drain(int fd, pol_buf *b, size_t cap, bool *over) {
  char chunk[16384];
  for (;;) {
    ssize_t k = read(fd, chunk, sizeof chunk);
    if (k > 0) {
      size_t room = b->len < cap ? cap - b->len : 0;
      if ((size_t)k > room) *over = true;
      pol_buf_append(b, chunk, (size_t)k < room ? (size_t)k : room);
      continue;
    }
    if (k < 0 && errno == EINTR) continue;
    return k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
}

/* The first line of what the program wrote to standard error. */
static void first_line(char *dst, size_t size, const pol_buf *err) {
  size_t n = 0;
  while (n < err->len && err->data[n] != '\n' && n + 1 < size) n++;
  memcpy(dst, err->data ? err->data : "", n);
  dst[n] = '\0';
}

int eng_sc_run(const eng_sc_job *job, pol_buf *out, char *why, size_t whysize) {
  assert(job->timeout_ms > 0 && job->program && job->shell);
  streams s;
  if (!streams_open(&s)) {
    int saved = errno;
    snprintf(why, whysize, "cannot make pipes for shellcheck: %s", strerror(saved));
    return saved == ENOMEM ? ENG_SC_NOMEM : ENG_SC_FAILED;
  }
  pid_t pid;
  int rc = spawn(&pid, job, &s);
  close_fd(&s.in[0]);
  close_fd(&s.out[1]);
  close_fd(&s.err[1]);
  if (rc != 0) {
    streams_close(&s);
    snprintf(why, whysize, "cannot run %s: %s", job->program, strerror(rc));
    return rc == ENOENT || rc == EACCES || rc == ENOTDIR ? ENG_SC_ABSENT : ENG_SC_FAILED;
  }
  uint64_t deadline = now_ms() + job->timeout_ms;
  pol_buf err = POL_BUF_INIT;
  size_t sent = 0, start = out->len;
  bool over = false, err_over = false, timed_out = false;
  if (job->len == 0) close_fd(&s.in[1]);
  /* Until both outputs end: write what the socket takes, read what is there. */
  while (s.out[0] >= 0 || s.err[0] >= 0) {
    uint64_t now = now_ms();
    if (now >= deadline) { timed_out = true; break; }
    struct pollfd p[3];
    int np = 0, iin = -1, iout = -1, ierr = -1;
    if (s.in[1] >= 0) p[iin = np++] = (struct pollfd){s.in[1], POLLOUT, 0};
    if (s.out[0] >= 0) p[iout = np++] = (struct pollfd){s.out[0], POLLIN, 0};
    if (s.err[0] >= 0) p[ierr = np++] = (struct pollfd){s.err[0], POLLIN, 0};
    uint64_t wait = deadline - now;
    int k = poll(p, (nfds_t)np, wait > 1000 ? 1000 : (int)wait);
    if (k < 0 && errno != EINTR) break;
    if (k <= 0) continue;
    if (iin >= 0 && p[iin].revents) {
      ssize_t w = send(s.in[1], job->script + sent, job->len - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (w > 0) sent += (size_t)w;
      /* All sent, or the program stopped reading: it gets end of input. */
      if (sent == job->len || (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
        close_fd(&s.in[1]);
    }
    if (iout >= 0 && p[iout].revents && !drain(s.out[0], out, start + job->max_output, &over))
      close_fd(&s.out[0]);
    if (ierr >= 0 && p[ierr].revents && !drain(s.err[0], &err, STDERR_KEEP, &err_over))
      close_fd(&s.err[0]);
    if (over) break;
  }
  streams_close(&s);
  /* The outputs ended: the program is exiting, but it may also have
  ** closed them and gone on running; it gets what is left of the deadline. */
  int status = 0;
  bool reaped = false;
  while (!over && !timed_out) {
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) { reaped = true; break; }
    if (w < 0 && errno != EINTR) break;
    if (now_ms() >= deadline) { timed_out = true; break; }
    struct timespec nap = {0, 2 * 1000 * 1000};
    nanosleep(&nap, NULL);
  }
  if (!reaped) kill_and_reap(pid);
  int result = ENG_SC_OK;
  if (out->oom || err.oom) {
    result = ENG_SC_NOMEM;
    snprintf(why, whysize, "out of memory reading shellcheck's output");
  } else if (timed_out) {
    result = ENG_SC_TIMEOUT;
    snprintf(why, whysize, "shellcheck did not finish within %llu ms; it was stopped",
             (unsigned long long)job->timeout_ms);
  } else if (over) {
    result = ENG_SC_TOO_BIG;
    snprintf(why, whysize, "shellcheck printed more than %zu bytes; it was stopped",
             job->max_output);
  } else if (!reaped) {
    result = ENG_SC_FAILED;
    snprintf(why, whysize, "shellcheck could not be waited for: %s", strerror(errno));
  } else if (WIFSIGNALED(status)) {
    result = ENG_SC_FAILED;
    snprintf(why, whysize, "shellcheck was killed by signal %d", WTERMSIG(status));
  } else if (WEXITSTATUS(status) > 1) {
    char line[STDERR_KEEP + 1];
    first_line(line, sizeof line, &err);
    result = ENG_SC_FAILED;
    snprintf(why, whysize, "shellcheck exited with status %d%s%s", WEXITSTATUS(status),
             line[0] ? ": " : "", line);
  }
  if (result != ENG_SC_OK && out->data) out->data[out->len = start] = '\0';
  pol_buf_free(&err);
  return result;
}
