/*
** cmd_authz.c: `policy authz serve`: a Docker AuthZ plugin (docs/authz.md).
**
** The main thread parses the options, starts the evaluation pool and the
** HTTP server, then waits for signals: SIGHUP reloads the policy set (a
** broken one leaves the old in force), SIGTERM and SIGINT stop. Signals
** are blocked in every thread and taken with sigwait here, so no handler
** ever runs inside the library.
*/
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "authz.h"

#define DEFAULT_SOCKET "/run/docker/plugins/libpolicy.sock"

void cli_help_authz(FILE *f) {
  fputs(
      "Usage: policy authz serve [options]\n"
      "\n"
      "Runs a Docker AuthZ plugin: dockerd asks it about every API request\n"
      "(dockerd --authorization-plugin=libpolicy) and it answers with the\n"
      "decision of the policies, as policy admit decides. It fails closed:\n"
      "a request it cannot judge (no policy loaded, a rule error, the\n"
      "deadline passed, a body missing on a route that needs one, a body that\n"
      "is malformed, truncated or over the limit) is denied, with the reason\n"
      "in the message the docker client prints.\n"
      "\n"
      "Listening:\n"
      "  --socket PATH          unix socket (default " DEFAULT_SOCKET ")\n"
      "  --listen ADDR:PORT     TCP on a loopback address instead (tests)\n"
      "\n"
      "Decisions:\n"
      "  --mode MODE            enforce (default), warn (never deny for a\n"
      "                         finding), audit (findings only logged)\n"
      "  --deny-on SEVERITY     enforce findings at or above it (default high)\n"
      "  --decision-log FILE    one JSON line per decision (time, user, method,\n"
      "                         uri, decision, rule ids); - for standard output\n"
      "\n"
      "Bounds:\n"
      "  --deadline MS          answer within MS milliseconds, else deny\n"
      "                         (default 2000); also each rule's time limit\n"
      "  --max-request-bytes N  largest request (default 8M; 16K, 8M, 1G allowed)\n"
      "  --max-buffered-bytes N request bytes held at once (default 64M)\n"
      "  --max-connections N    connections at once (default 256)\n"
      "  --workers N            evaluation threads, one engine each (default:\n"
      "                         the CPUs)\n"
      "\n"
      "Policies (read again on SIGHUP): --policy, --no-builtin, --data,\n"
      "--ignore, --config, --no-config, --isolation, --max-* as for policy\n"
      "check; .policy.yaml's admission: sets the mode, deny-on and per-rule\n"
      "actions.\n"
      "\n"
      "Signals: SIGHUP reloads the policies atomically (a broken set keeps the\n"
      "old one and says why on stderr); SIGTERM or SIGINT stops.\n",
      f);
}

/* A size: digits with an optional K, M or G. */
static bool size_arg(const char *s, size_t *out) {
  char *end;
  unsigned long long n = strtoull(s, &end, 10);
  unsigned long long mult = *end == 'K' ? 1ull << 10 : *end == 'M' ? 1ull << 20 : *end == 'G' ? 1ull << 30 : 1;
  if (mult != 1) end++;
  if (end == s || *end || n == 0 || n > (1ull << 40) / mult) return false;
  *out = (size_t)(n * mult);
  return true;
}

static bool number_arg(const char *s, unsigned max, unsigned *out) {
  char *end;
  unsigned long n = strtoul(s, &end, 10);
  if (end == s || *end || n == 0 || n > max) return false;
  *out = (unsigned)n;
  return true;
}

/* One serve option at argv[*i]: 1 consumed, 0 not one, -1 bad (printed). */
static int serve_option(cli_authz_opts *o, int argc, char **argv, int *i) {
  static const char *const names[] = {"--socket", "--listen", "--decision-log", "--mode",
                                      "--deny-on", "--deadline", "--max-request-bytes",
                                      "--max-buffered-bytes", "--max-connections", "--workers"};
  const char *a = argv[*i];
  for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
    size_t n = strlen(names[k]);
    if (strncmp(a, names[k], n) != 0 || (a[n] != '\0' && a[n] != '=')) continue;
    const char *v = a[n] == '=' ? a + n + 1 : *i + 1 < argc ? argv[++*i] : NULL;
    bool ok = v != NULL;
    if (!ok) {
      fprintf(stderr, "policy authz: %s needs a value\n", names[k]);
      return -1;
    }
    switch (k) {
    case 0: o->socket = v; break;
    case 1: o->listen = v; break;
    case 2: o->decision_log = v; break;
    case 3: ok = (o->mode = policy_action_from_name(v)) != 0; break;
    case 4: ok = (o->deny_on = policy_severity_from_name(v)) != 0; break;
    case 5: ok = number_arg(v, 600000, &o->deadline_ms); break;
    case 6: ok = size_arg(v, &o->max_body); break;
    case 7: ok = size_arg(v, &o->max_buffered); break;
    case 8: ok = number_arg(v, 100000, &o->max_connections); break;
    case 9: ok = number_arg(v, 256, &o->workers); break;
    }
    if (!ok) fprintf(stderr, "policy authz: bad value for %s: '%s' (see policy help authz)\n",
                     names[k], cli_safe(v));
    return ok ? 1 : -1;
  }
  return 0;
}

static unsigned cpus(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

/* Serves until SIGTERM or SIGINT; SIGHUP reloads. */
static int serve(cli_authz_opts *o) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, NULL); /* every thread started from here inherits it */
  signal(SIGPIPE, SIG_IGN);
  cli_authz_log log;
  if (!cli_authz_log_open(&log, o->decision_log)) return EXIT_USAGE;
  cli_authz_pool *pool = cli_authz_pool_start(o, &log);
  cli_authz_server *srv = pool ? cli_authz_http_start(o, pool) : NULL;
  if (srv == NULL) {
    if (pool == NULL) fputs("policy authz: out of memory\n", stderr);
    cli_authz_pool_stop(pool);
    cli_authz_log_close(&log);
    return EXIT_USAGE;
  }
  fprintf(stderr, "policy authz: serving on %s (mode %s, deadline %u ms)\n",
          cli_safe(o->listen ? o->listen : o->socket),
          policy_action_name(o->mode ? o->mode : POLICY_ACTION_ENFORCE), o->deadline_ms);
  for (;;) {
    int sig;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig == SIGHUP) {
      cli_authz_pool_reload(pool);
      continue;
    }
    break;
  }
  fputs("policy authz: stopping\n", stderr);
  cli_authz_http_stop(srv); /* waits for the answers in flight */
  cli_authz_pool_stop(pool);
  cli_authz_log_close(&log);
  return EXIT_CLEAN;
}

int cli_cmd_authz(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "serve") != 0) {
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
      cli_help_authz(stdout);
      return EXIT_CLEAN;
    }
    fputs("policy authz: usage: policy authz serve [options] (see policy help authz)\n", stderr);
    return EXIT_USAGE;
  }
  cli_authz_opts o = {.deadline_ms = 2000, .max_body = 8u << 20, .max_buffered = 64u << 20,
                      .max_connections = 256};
  o.po.isolation = -1;
  int status = EXIT_CLEAN;
  for (int i = 2; i < argc && status == EXIT_CLEAN; i++) {
    const char *a = argv[i];
    int r;
    if ((r = cli_input_option(&o.in, argc, argv, &i)) != 0 ||
        (r = cli_policy_option(&o.po, argc, argv, &i)) != 0 ||
        (r = serve_option(&o, argc, argv, &i)) != 0) {
      if (r < 0) status = EXIT_USAGE;
      continue;
    }
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      cli_help_authz(stdout);
      goto done;
    }
    fprintf(stderr, "policy authz serve: unexpected '%s' (try 'policy help authz')\n", cli_safe(a));
    status = EXIT_USAGE;
  }
  if (status == EXIT_CLEAN && o.socket && o.listen) {
    fputs("policy authz serve: --socket and --listen are exclusive\n", stderr);
    status = EXIT_USAGE;
  }
  if (status == EXIT_CLEAN && o.max_buffered < o.max_body) o.max_buffered = o.max_body;
  if (o.socket == NULL && o.listen == NULL) o.socket = DEFAULT_SOCKET;
  if (o.workers == 0) o.workers = cpus();
  if (status == EXIT_CLEAN) status = serve(&o);
done:
  free(o.in.build_args);
  cli_policy_opts_free(&o.po);
  return status;
}
