/*
** shellcheck.h: runs the `shellcheck` program over one shell script and
** returns what it printed (its json1 format), for the built-in pack's
** ShellCheck rule (shellcheck_lua.c). The engine knows nothing of where
** the script came from: the rule builds it and maps positions back.
**
** Bounded: the script goes to the program's standard input, its output is
** read up to a cap, and the whole run has a deadline; past either, the
** program's process group is killed and reaped. The program gets a
** minimal environment (PATH, a UTF-8 locale), no descriptor of ours but
** its three standard ones, and `--norc` (no user configuration is read).
** Never a zombie, never a descriptor left open, whatever the program does
** (exits, crashes, hangs, floods its output, closes its input).
**
** Thread-safe: no global state; every descriptor it makes is close-on-exec
** from its creation, so a spawn on another thread cannot inherit it.
*/
#ifndef POL_ENGINE_SHELLCHECK_H
#define POL_ENGINE_SHELLCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"

/* How a run ended. */
typedef enum eng_sc_status {
  ENG_SC_OK = 0,      /* exited 0 or 1 (1: it found something): *out holds its output */
  ENG_SC_ABSENT,      /* the program could not be started (not installed) */
  ENG_SC_TIMEOUT,     /* the deadline passed: killed */
  ENG_SC_TOO_BIG,     /* its output passed the cap: killed */
  ENG_SC_FAILED,      /* another exit status, or a signal: *why says which */
  ENG_SC_NOMEM        /* the host could not allocate */
} eng_sc_status;

typedef struct eng_sc_job {
  const char *program;   /* a name looked up in PATH, or a path; "shellcheck" */
  const char *shell;     /* --shell: sh, bash, dash or ksh */
  const char *exclude;   /* --exclude: "1090,1091,2187", or NULL */
  const char *script;
  size_t len;
  uint64_t timeout_ms;   /* > 0 */
  size_t max_output;     /* bytes of standard output kept; more is ENG_SC_TOO_BIG */
} eng_sc_job;

/* Runs the job. On ENG_SC_OK, *out holds the standard output (appended;
** at most max_output bytes). Otherwise *why gets a sentence (what the
** program wrote to standard error, at most a line of it, when it failed).
** Returns an eng_sc_status. */
int eng_sc_run(const eng_sc_job *job, pol_buf *out, char *why, size_t whysize);

#endif
