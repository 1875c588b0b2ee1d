/*
** authz.h: the pieces of `policy authz serve`, a Docker AuthZ plugin
** (docs/authz.md).
**
**   authz_http.c   the plugin protocol over HTTP (libmicrohttpd): routes,
**                  request size, the answers
**   authz_pool.c   the evaluation threads, one engine each; the policy
**                  set (a generation of engines) swapped whole on reload;
**                  jobs with a deadline
**   authz_log.c    the JSON-lines decision log and JSON text
**   cmd_authz.c    options, start, signals (SIGHUP reloads), stop
**
** Every path that cannot produce a judged answer answers Allow:false: the
** plugin fails closed.
*/
#ifndef POLICY_CLI_AUTHZ_H
#define POLICY_CLI_AUTHZ_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"

/* ---- settings ------------------------------------------------------------- */

typedef struct cli_authz_opts {
  const char *socket;       /* unix socket path, or NULL with listen */
  const char *listen;       /* "127.0.0.1:PORT", or NULL */
  const char *decision_log; /* file, "-" for standard output, or NULL */
  int mode;                 /* policy_action, 0: the configuration's */
  int deny_on;              /* policy_severity, 0: the configuration's */
  unsigned deadline_ms;     /* per request */
  size_t max_body;          /* bytes of one request */
  size_t max_buffered;      /* bytes of every request being read, together */
  unsigned max_connections;
  unsigned workers;         /* evaluation threads */
  cli_input_opts in;
  cli_policy_opts po;
} cli_authz_opts;

/* ---- the decision log (authz_log.c) ---------------------------------------- */

typedef struct cli_authz_log {
  int fd;                   /* -1: no log */
  pthread_mutex_t mu;
  atomic_ulong dropped;     /* lines not written (a full pipe, an error) */
} cli_authz_log;

/* Opens the log (O_APPEND, non-blocking: a stuck reader never stalls a
** request; lines that cannot be written are counted and dropped). */
bool cli_authz_log_open(cli_authz_log *l, const char *path);
void cli_authz_log_close(cli_authz_log *l);
/* Writes one line (a complete JSON object, newline added) in one write. */
void cli_authz_log_line(cli_authz_log *l, const char *json, size_t len);

/* Appends s as a JSON string (quotes included) to a growing buffer. */
typedef struct cli_authz_buf {
  char *data;
  size_t len, cap;
  bool oom;
} cli_authz_buf;
void cli_authz_buf_puts(cli_authz_buf *b, const char *s);
void cli_authz_buf_printf(cli_authz_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void cli_authz_buf_json(cli_authz_buf *b, const char *s);
void cli_authz_buf_free(cli_authz_buf *b);

/* ---- evaluation (authz_pool.c) --------------------------------------------- */

/* The answer to one AuthZ call. */
typedef struct cli_authz_answer {
  bool allow;
  char *msg;    /* for the client (malloc'd) */
  char *err;    /* a plugin-side failure, or NULL (malloc'd) */
} cli_authz_answer;

typedef struct cli_authz_pool cli_authz_pool;

/* Starts the evaluation threads with a first policy set built from the
** options (a broken one makes every answer a deny that says why). NULL on
** out-of-memory. */
cli_authz_pool *cli_authz_pool_start(const cli_authz_opts *o, cli_authz_log *log);
/* Builds a new policy set and swaps it in whole; a set that fails to load
** leaves the current one in place. Returns whether it was swapped; the
** reason of a failure is printed on stderr. Called by one thread. */
bool cli_authz_pool_reload(cli_authz_pool *p);
/* Stops the threads (jobs still queued are answered with a deny) and frees
** everything. */
void cli_authz_pool_stop(cli_authz_pool *p);

/* Judges one AuthZReq or AuthZRes body (`phase` "request" or "response";
** `body` is malloc'd and taken: the evaluating thread may still read it
** after the deadline): queued for an evaluation thread and waited for
** until the deadline. The answer is always filled (a deny on timeout,
** overload, out-of-memory). Thread-safe: called by every connection
** thread. */
void cli_authz_judge(cli_authz_pool *p, char *body, size_t len, const char *phase,
                     cli_authz_answer *out);
void cli_authz_answer_free(cli_authz_answer *a);

/* ---- HTTP (authz_http.c) --------------------------------------------------- */

typedef struct cli_authz_server cli_authz_server;

/* Listens on the socket or address of the options and serves the plugin
** protocol until stopped. NULL (printed) when it cannot listen. */
cli_authz_server *cli_authz_http_start(const cli_authz_opts *o, cli_authz_pool *pool);
void cli_authz_http_stop(cli_authz_server *s);

#endif
