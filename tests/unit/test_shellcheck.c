/*
** test_shellcheck.c: the shellcheck runner (engine/shellcheck.c) against
** fake programs that hang, flood, crash, print garbage or close their
** output early: every run ends by its deadline, kills and reaps what it
** started, and leaves no descriptor open; runs on several threads at once.
** The findings path (rule, mapping, codes) is covered by the hadolint
** pack's fixtures (policies/hadolint/tests/shellcheck) and tests/cli.
*/
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "engine/shellcheck.h"

static char dir[] = "/tmp/test_shellcheck.XXXXXX";

/* Writes an executable shell script `name` into the temporary folder;
** returns its path (static storage per call site is enough here). */
static const char *fake(const char *name, const char *body) {
  static char paths[8][512];
  static int next;
  char *path = paths[next++ % 8];
  snprintf(path, 512, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fprintf(f, "#!/bin/sh\n%s\n", body);
  fclose(f);
  chmod(path, 0755);
  return path;
}

static void setup(void) { cr_assert_not_null(mkdtemp(dir)); }

static int open_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d));) n += e->d_name[0] != '.';
  if (d) closedir(d);
  return n - 1; /* the directory's own */
}

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int run(const char *program, const char *script, uint64_t timeout_ms, size_t cap,
               pol_buf *out, char *why) {
  eng_sc_job job = {program, "sh", "1090", script, strlen(script), timeout_ms, cap};
  return eng_sc_run(&job, out, why, 400);
}

/* How many processes of process group `pgid` are alive (zombies, which
** whoever adopted them reaps, do not count). */
static int alive_in_group(int pgid) {
  DIR *d = opendir("/proc");
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d));) {
    char path[300], state = 0;
    int pid, pgrp = 0;
    snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
    FILE *f = atoi(e->d_name) > 0 ? fopen(path, "r") : NULL;
    /* pid (comm) state ppid pgrp: comm has no ')' in our fakes */
    if (f && fscanf(f, "%d %*s %c %*d %d", &pid, &state, &pgrp) == 3 && pgrp == pgid && state != 'Z')
      n++;
    if (f) fclose(f);
  }
  if (d) closedir(d);
  return n;
}

/* No child of ours is left, running or as a zombie. */
static void assert_no_child(void) {
  cr_assert_eq(waitpid(-1, NULL, WNOHANG), -1);
  cr_assert_eq(errno, ECHILD);
}

TestSuite(shellcheck, .init = setup);

Test(shellcheck, absent_program) {
  pol_buf out = POL_BUF_INIT;
  char why[400];
  int fds = open_fds();
  cr_assert_eq(run("/nonexistent/shellcheck", "echo", 1000, 1024, &out, why), ENG_SC_ABSENT);
  cr_assert(strstr(why, "cannot run"), "%s", why);
  cr_assert_eq(open_fds(), fds);
  assert_no_child();
  pol_buf_free(&out);
}

Test(shellcheck, echoes_input_and_arguments) {
  const char *p = fake("echo", "echo \"$@\"; cat");
  pol_buf out = POL_BUF_INIT;
  char why[400];
  cr_assert_eq(run(p, "echo $x\n", 2000, 1024, &out, why), ENG_SC_OK, "%s", why);
  cr_assert_str_eq(out.data, "--norc --format=json1 --shell=sh --exclude=1090 -\necho $x\n");
  assert_no_child();
  pol_buf_free(&out);
}

Test(shellcheck, hang_is_killed_at_the_deadline) {
  const char *p = fake("hang", "echo $$ > \"$(dirname \"$0\")/pid\"; sleep 1000 & wait");
  pol_buf out = POL_BUF_INIT;
  char why[400];
  int fds = open_fds();
  uint64_t t0 = now_ms();
  cr_assert_eq(run(p, "echo", 300, 1024, &out, why), ENG_SC_TIMEOUT);
  uint64_t took = now_ms() - t0;
  cr_assert(took >= 300 && took < 3000, "took %llu ms", (unsigned long long)took);
  cr_assert(strstr(why, "300 ms"), "%s", why);
  cr_assert_eq(open_fds(), fds);
  assert_no_child();
  /* The whole group is gone, the sleep it started included. */
  char pidfile[600];
  snprintf(pidfile, sizeof pidfile, "%s/pid", dir);
  FILE *f = fopen(pidfile, "r");
  int pid = 0;
  cr_assert(f && fscanf(f, "%d", &pid) == 1);
  fclose(f);
  struct timespec nap = {0, 50 * 1000 * 1000};
  nanosleep(&nap, NULL);
  cr_assert_eq(alive_in_group(pid), 0, "the fake's process group survived");
  pol_buf_free(&out);
}

Test(shellcheck, closing_output_then_hanging_times_out) {
  const char *p = fake("close", "exec >&- 2>&-; sleep 1000");
  pol_buf out = POL_BUF_INIT;
  char why[400];
  cr_assert_eq(run(p, "echo", 300, 1024, &out, why), ENG_SC_TIMEOUT);
  assert_no_child();
  pol_buf_free(&out);
}

Test(shellcheck, flood_is_cut_at_the_cap) {
  const char *p = fake("flood", "while :; do echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; done");
  pol_buf out = POL_BUF_INIT;
  char why[400];
  int fds = open_fds();
  cr_assert_eq(run(p, "echo", 5000, 100000, &out, why), ENG_SC_TOO_BIG);
  cr_assert(strstr(why, "100000 bytes"), "%s", why);
  cr_assert_eq(out.len, 0); /* nothing half-read is handed on */
  cr_assert_eq(open_fds(), fds);
  assert_no_child();
  pol_buf_free(&out);
}

Test(shellcheck, failure_status_says_why) {
  const char *p = fake("fail", "echo 'shellcheck: bad option' >&2; exit 3");
  pol_buf out = POL_BUF_INIT;
  char why[400];
  cr_assert_eq(run(p, "echo", 2000, 1024, &out, why), ENG_SC_FAILED);
  cr_assert(strstr(why, "status 3: shellcheck: bad option"), "%s", why);
  assert_no_child();
  pol_buf_free(&out);
}

Test(shellcheck, crash_by_signal) {
  const char *p = fake("crash", "kill -SEGV $$");
  pol_buf out = POL_BUF_INIT;
  char why[400];
  cr_assert_eq(run(p, "echo", 2000, 1024, &out, why), ENG_SC_FAILED);
  cr_assert(strstr(why, "signal 11"), "%s", why);
  assert_no_child();
  pol_buf_free(&out);
}

Test(shellcheck, program_that_reads_nothing) {
  /* A large script to a program that exits at once: no SIGPIPE, no hang. */
  const char *p = fake("deaf", "exec 0<&-; echo '{\"comments\":[]}'; exit 0");
  size_t n = 8u << 20;
  char *big = malloc(n + 1);
  memset(big, '#', n);
  big[n] = '\0';
  pol_buf out = POL_BUF_INIT;
  char why[400];
  eng_sc_job job = {p, "sh", NULL, big, n, 3000, 1024};
  cr_assert_eq(eng_sc_run(&job, &out, why, sizeof why), ENG_SC_OK, "%s", why);
  cr_assert_str_eq(out.data, "{\"comments\":[]}\n");
  assert_no_child();
  free(big);
  pol_buf_free(&out);
}

/* The child sees no descriptor of ours besides its standard three. */
Test(shellcheck, child_gets_only_stdio) {
  const char *p = fake("fds", "ls /proc/$$/fd");
  pol_buf out = POL_BUF_INIT;
  char why[400];
  cr_assert_eq(run(p, "echo", 2000, 4096, &out, why), ENG_SC_OK, "%s", why);
  /* 0, 1, 2 and the descriptor the shell reads its script from (>= 10) */
  for (char *tok = strtok(out.data, "\n"); tok; tok = strtok(NULL, "\n"))
    cr_assert(atoi(tok) <= 2 || atoi(tok) >= 10, "descriptor %s leaked into the child", tok);
  pol_buf_free(&out);
}

static const char *echo_path;

static void *many(void *arg) {
  (void)arg;
  for (int i = 0; i < 20; i++) {
    char script[64];
    snprintf(script, sizeof script, "run %d\n", i);
    pol_buf out = POL_BUF_INIT;
    char why[400];
    eng_sc_job job = {echo_path, "bash", NULL, script, strlen(script), 5000, 1024};
    if (eng_sc_run(&job, &out, why, sizeof why) != ENG_SC_OK || strcmp(out.data, script) != 0)
      return (void *)1;
    pol_buf_free(&out);
  }
  return NULL;
}

Test(shellcheck, threads) {
  echo_path = fake("cat", "exec cat");
  int fds = open_fds();
  pthread_t t[4];
  for (int i = 0; i < 4; i++) cr_assert_eq(pthread_create(&t[i], NULL, many, NULL), 0);
  for (int i = 0; i < 4; i++) {
    void *r;
    pthread_join(t[i], &r);
    cr_assert_null(r);
  }
  cr_assert_eq(open_fds(), fds);
  assert_no_child();
}

Test(shellcheck, real_program_when_installed) {
  pol_buf out = POL_BUF_INIT;
  char why[400];
  int st = run("shellcheck", "echo $x\n", 10000, 1u << 20, &out, why);
  if (st == ENG_SC_ABSENT) cr_skip_test("shellcheck is not installed");
  cr_assert_eq(st, ENG_SC_OK, "%s", why);
  cr_assert(strstr(out.data, "\"code\":2086"), "%s", out.data);
  pol_buf_free(&out);
}
