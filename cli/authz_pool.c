/*
** authz_pool.c: the evaluation side of `policy authz serve`.
**
** N threads, each with its own engine (an engine is used by one thread at
** a time: policy.h), take jobs from one queue. The engines of all threads
** form a generation, built and swapped in whole: a reload (SIGHUP) builds
** a complete new generation first and keeps the old one when anything of
** it fails, so a request is never judged by half of a policy set. A
** generation is freed when the last thread using it lets go.
**
** Each job has a deadline: the connection's thread waits for the answer
** until then, and answers a deny when it passes (the job is abandoned; the
** evaluating thread finishes it and throws the answer away). Every
** engine's time limit is at most the deadline, so a stuck rule frees its
** thread soon after. Exactly one of the two logs the decision. Jobs beyond
** the queue's bound are denied at once.
**
** Invariants (under mu): a job is in the queue, or taken by one thread, or
** neither (answered or abandoned); refs counts its holders, and the last
** one frees it; `current` holds one reference to its generation.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "authz.h"

typedef struct gen {
  policy_engine **engines; /* one per thread; NULL when broken */
  char *broken;            /* why the policy set did not load, or NULL */
  int mode;                /* the engines' admission mode (a policy_action) */
  unsigned long id;
  unsigned refs;
} gen;

typedef struct job {
  char *body;              /* owned: the evaluating thread may outlive the call */
  size_t len;
  const char *phase;
  bool done, abandoned;
  cli_authz_answer ans;
  char *log;               /* the decision log line, when done */
  unsigned refs;
  struct job *next;
} job;

struct cli_authz_pool {
  const cli_authz_opts *o;
  cli_authz_log *log;
  pthread_mutex_t mu;
  pthread_cond_t work;     /* a job was queued, or the pool stops */
  pthread_cond_t answered; /* a job is done */
  job *head, *tail;
  size_t queued, queue_max;
  gen *current;
  unsigned long generations;
  bool stopping;
  pthread_t *threads;
  unsigned nthreads;       /* engines in a generation: one per thread index */
  unsigned started;        /* threads running (to join) */
};

typedef struct worker_arg {
  cli_authz_pool *p;
  unsigned index;
} worker_arg;

static char *dup_text(const char *s) {
  return s ? strdup(s) : NULL;
}

void cli_authz_answer_free(cli_authz_answer *a) {
  free(a->msg);
  free(a->err);
  a->msg = a->err = NULL;
}

static void deny(cli_authz_answer *a, const char *msg, const char *err) {
  a->allow = false;
  a->msg = dup_text(msg);
  a->err = dup_text(err);
}

/* ---- generations ------------------------------------------------------------- */

static void gen_free(gen *g, unsigned n) {
  for (unsigned i = 0; g->engines && i < n; i++) policy_engine_free(g->engines[i]);
  free(g->engines);
  free(g->broken);
  free(g);
}

/* One engine as every thread's is: the options, then the admission mode,
** the deny-on severity and a time limit no longer than the deadline. */
static int engine_for(const cli_authz_opts *o, policy_engine **out, bool quiet) {
  policy_engine *e;
  if (policy_engine_new(&e) != POLICY_OK) return EXIT_USAGE;
  int st = cli_input_apply(&o->in, e, quiet);
  if (st == EXIT_CLEAN) st = cli_policy_apply(&o->po, e, quiet);
  uint64_t time_ms;
  if (st == EXIT_CLEAN && policy_engine_get_limit(&time_ms, e, POLICY_LIMIT_TIME_MS) == POLICY_OK &&
      time_ms > o->deadline_ms)
    policy_engine_set_limit(e, POLICY_LIMIT_TIME_MS, o->deadline_ms);
  if (st == EXIT_CLEAN && o->mode) policy_engine_set_admission_mode(e, o->mode);
  if (st == EXIT_CLEAN && o->deny_on) policy_engine_set_deny_on(e, o->deny_on);
  if (st != EXIT_CLEAN) {
    policy_engine_free(e);
    return st;
  }
  *out = e;
  return EXIT_CLEAN;
}

/* A new generation; *why says what failed (then the generation is NULL). */
static gen *gen_build(const cli_authz_opts *o, unsigned n, const char **why) {
  gen *g = calloc(1, sizeof *g);
  if (g == NULL || (g->engines = calloc(n, sizeof *g->engines)) == NULL) {
    free(g);
    *why = "out of memory";
    return NULL;
  }
  for (unsigned i = 0; i < n; i++) {
    int st = engine_for(o, &g->engines[i], i > 0);
    if (st != EXIT_CLEAN) {
      *why = st == CLI_RULES_REFUSED ? "a rule file was refused (see above)"
                                     : "the configuration or a policy could not be loaded (see above)";
      gen_free(g, n);
      return NULL;
    }
  }
  if (n > 0) cli_policy_warnings(&o->po, g->engines[0]);
  g->mode = n > 0 ? policy_engine_admission_mode(g->engines[0]) : POLICY_ACTION_ENFORCE;
  return g;
}

/* The generation that denies every request, saying why. */
static gen *gen_broken(const char *why) {
  gen *g = calloc(1, sizeof *g);
  if (g == NULL) return NULL;
  size_t n = strlen(why) + 200;
  if ((g->broken = malloc(n)) == NULL) {
    free(g);
    return NULL;
  }
  snprintf(g->broken, n, "policy authz: the policy set could not be loaded (%s); every request "
           "is denied until it loads", why);
  g->mode = POLICY_ACTION_ENFORCE;
  return g;
}

static void gen_release(cli_authz_pool *p, gen *g) {
  /* under mu */
  if (--g->refs == 0) gen_free(g, p->nthreads);
}

/* ---- jobs -------------------------------------------------------------------- */

static void job_release(job *j) {
  /* under mu */
  if (--j->refs > 0) return;
  cli_authz_answer_free(&j->ans);
  free(j->body);
  free(j->log);
  free(j);
}

static void iso_time(char *buf, size_t size) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  size_t n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(buf + n, size - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The rule ids of a decision list as a JSON array. */
static void rule_ids(cli_authz_buf *b, const policy_decision *d, int list) {
  cli_authz_buf_puts(b, "[");
  size_t n = d ? policy_decision_count(d, list) : 0;
  for (size_t i = 0; i < n; i++) {
    if (i) cli_authz_buf_puts(b, ",");
    const char *id = policy_decision_get_string(d, list, i, POLICY_FIELD_RULE);
    cli_authz_buf_json(b, id ? id : policy_decision_get_string(d, list, i, POLICY_FIELD_KIND));
  }
  cli_authz_buf_puts(b, "]");
}

/* The decision log line. doc and d may be NULL. */
static char *log_line(const char *phase, const policy_document *doc, const policy_decision *d,
                      const cli_authz_answer *a, const gen *g, double ms) {
  cli_authz_buf b = {0};
  char when[40];
  iso_time(when, sizeof when);
  cli_authz_buf_puts(&b, "{\"time\":");
  cli_authz_buf_json(&b, when);
  cli_authz_buf_puts(&b, ",\"phase\":");
  cli_authz_buf_json(&b, phase);
  static const char *const fields[] = {"user", "method", "uri"};
  for (size_t i = 0; i < 3; i++) {
    cli_authz_buf_printf(&b, ",\"%s\":", fields[i]);
    cli_authz_buf_json(&b, doc ? policy_document_request_string(doc, 0, fields[i]) : NULL);
  }
  cli_authz_buf_puts(&b, ",\"decision\":");
  cli_authz_buf_json(&b, a->allow ? "allow" : "deny");
  cli_authz_buf_puts(&b, ",\"mode\":");
  cli_authz_buf_json(&b, policy_action_name(g->mode));
  cli_authz_buf_puts(&b, ",\"rules\":");
  rule_ids(&b, d, POLICY_ACTION_ENFORCE);
  cli_authz_buf_puts(&b, ",\"warn\":");
  rule_ids(&b, d, POLICY_ACTION_WARN);
  cli_authz_buf_puts(&b, ",\"audit\":");
  rule_ids(&b, d, POLICY_ACTION_AUDIT);
  cli_authz_buf_puts(&b, ",\"msg\":");
  cli_authz_buf_json(&b, a->msg);
  cli_authz_buf_puts(&b, ",\"err\":");
  cli_authz_buf_json(&b, a->err);
  cli_authz_buf_printf(&b, ",\"policy_set\":%lu,\"ms\":%.3f}", g->id, ms);
  if (b.oom) {
    cli_authz_buf_free(&b);
    return NULL;
  }
  return b.data;
}

/* Exactly one Docker AuthZ request, nothing else. */
static bool one_request(const policy_document *doc) {
  return policy_document_kind(doc) == POLICY_KIND_REQUEST &&
         policy_document_count(doc, "requests") == 1 &&
         policy_document_count(doc, "images") == 0 &&
         policy_document_count(doc, "containers") <= 1;
}

/* Judges one job with the thread's engine of generation g (outside mu). */
static void evaluate(cli_authz_pool *p, gen *g, unsigned index, job *j) {
  double start = now_ms();
  policy_document *doc = NULL;
  policy_decision *d = NULL;
  cli_authz_answer *a = &j->ans;
  if (g->broken) {
    deny(a, g->broken, "no policy is loaded");
  } else {
    policy_engine *e = g->engines[index];
    const char *name = strcmp(j->phase, "request") ? "AuthZRes" : "AuthZReq";
    int rc = policy_parse_buffer(&doc, e, name, j->body, j->len, POLICY_KIND_REQUEST);
    if (rc != POLICY_OK) {
      char msg[700];
      snprintf(msg, sizeof msg, "policy authz: the request could not be read: %s",
               policy_engine_errmsg(e));
      deny(a, msg, policy_strerror(rc));
    } else if (policy_decide(&d, e, doc) != POLICY_OK) {
      deny(a, "policy authz: the request could not be judged (out of memory)",
           policy_engine_errmsg(e));
    } else if (!policy_decision_allowed(d)) {
      char msg[1400];
      snprintf(msg, sizeof msg, "policy: %s", policy_decision_reason(d));
      deny(a, msg, NULL);
    } else if (!one_request(doc)) {
      deny(a, "policy authz: the body is not one Docker AuthZ plugin request", "not an AuthZ request");
    } else {
      a->allow = true;
      a->msg = dup_text("");
    }
  }
  if (a->msg == NULL) { /* out of memory: still a deny */
    a->allow = false;
    cli_authz_answer_free(a);
  }
  j->log = log_line(j->phase, doc, d, a, g, now_ms() - start);
  policy_decision_free(d);
  policy_document_free(doc);
}

static void *worker(void *arg) {
  worker_arg *w = arg;
  cli_authz_pool *p = w->p;
  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (!p->stopping && p->head == NULL) pthread_cond_wait(&p->work, &p->mu);
    if (p->head == NULL) break; /* stopping, and nothing queued */
    job *j = p->head;
    p->head = j->next;
    if (p->head == NULL) p->tail = NULL;
    p->queued--;
    if (j->abandoned || p->stopping) { /* its connection answered already, or we stop */
      if (!j->abandoned) {
        deny(&j->ans, "policy authz: the plugin is stopping", "stopping");
        j->done = true;
        pthread_cond_broadcast(&p->answered);
      }
      job_release(j);
      continue;
    }
    gen *g = p->current;
    g->refs++;
    pthread_mutex_unlock(&p->mu);
    evaluate(p, g, w->index, j);
    pthread_mutex_lock(&p->mu);
    bool log_it = !j->abandoned; /* an abandoned job was logged at its deadline */
    char *line = j->log;
    j->log = NULL;
    j->done = true;
    pthread_cond_broadcast(&p->answered);
    job_release(j);
    gen_release(p, g);
    pthread_mutex_unlock(&p->mu);
    if (line && log_it) cli_authz_log_line(p->log, line, strlen(line));
    free(line);
    pthread_mutex_lock(&p->mu);
  }
  pthread_mutex_unlock(&p->mu);
  free(w);
  return NULL;
}

/* ---- the pool ------------------------------------------------------------------ */

cli_authz_pool *cli_authz_pool_start(const cli_authz_opts *o, cli_authz_log *log) {
  cli_authz_pool *p = calloc(1, sizeof *p);
  if (p == NULL) return NULL;
  p->o = o;
  p->log = log;
  p->nthreads = o->workers ? o->workers : 1;
  p->queue_max = o->max_connections ? o->max_connections : 1;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->work, NULL);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&p->answered, &ca);
  pthread_condattr_destroy(&ca);
  const char *why = NULL;
  p->current = gen_build(o, p->nthreads, &why);
  if (p->current == NULL) {
    fprintf(stderr, "policy authz: %s; every request is denied until a reload (SIGHUP) "
            "loads the policy set\n", why);
    p->current = gen_broken(why);
  }
  p->threads = calloc(p->nthreads, sizeof *p->threads);
  if (p->current == NULL || p->threads == NULL) {
    if (p->current) gen_free(p->current, p->nthreads);
    free(p->threads);
    free(p);
    return NULL;
  }
  p->current->id = ++p->generations;
  p->current->refs = 1;
  /* Every thread index has an engine; an index whose thread did not
  ** start never takes a job. */
  for (unsigned i = 0; i < p->nthreads; i++) {
    worker_arg *w = malloc(sizeof *w);
    if (w == NULL) break;
    *w = (worker_arg){p, i};
    if (pthread_create(&p->threads[i], NULL, worker, w) != 0) {
      free(w);
      break;
    }
    p->started++;
  }
  if (p->started == 0) {
    cli_authz_pool_stop(p);
    return NULL;
  }
  return p;
}

bool cli_authz_pool_reload(cli_authz_pool *p) {
  const char *why = NULL;
  gen *g = gen_build(p->o, p->nthreads, &why);
  if (g == NULL) {
    pthread_mutex_lock(&p->mu);
    unsigned long id = p->current->id;
    pthread_mutex_unlock(&p->mu);
    fprintf(stderr, "policy authz: reload failed: %s; the policy set loaded before (#%lu) "
            "stays in force\n", why, id);
    return false;
  }
  pthread_mutex_lock(&p->mu);
  g->id = ++p->generations;
  g->refs = 1;
  gen *old = p->current;
  p->current = g;
  gen_release(p, old);
  pthread_mutex_unlock(&p->mu);
  fprintf(stderr, "policy authz: reloaded: policy set #%lu in force\n", g->id);
  return true;
}

void cli_authz_pool_stop(cli_authz_pool *p) {
  if (p == NULL) return;
  pthread_mutex_lock(&p->mu);
  p->stopping = true;
  pthread_cond_broadcast(&p->work);
  pthread_mutex_unlock(&p->mu);
  for (unsigned i = 0; i < p->started; i++) pthread_join(p->threads[i], NULL);
  gen_free(p->current, p->nthreads);
  pthread_cond_destroy(&p->work);
  pthread_cond_destroy(&p->answered);
  pthread_mutex_destroy(&p->mu);
  free(p->threads);
  free(p);
}

void cli_authz_judge(cli_authz_pool *p, char *body, size_t len, const char *phase,
                     cli_authz_answer *out) {
  memset(out, 0, sizeof *out);
  job *j = calloc(1, sizeof *j);
  if (j == NULL) {
    free(body);
    deny(out, "policy authz: out of memory", "out of memory");
    return;
  }
  *j = (job){.body = body, .len = len, .phase = phase, .refs = 2};
  double start = now_ms();
  struct timespec until;
  clock_gettime(CLOCK_MONOTONIC, &until);
  until.tv_sec += p->o->deadline_ms / 1000;
  until.tv_nsec += (long)(p->o->deadline_ms % 1000) * 1000000L;
  if (until.tv_nsec >= 1000000000L) {
    until.tv_sec++;
    until.tv_nsec -= 1000000000L;
  }
  const char *refused = NULL;
  bool late = false;
  pthread_mutex_lock(&p->mu);
  if (p->stopping) refused = "the plugin is stopping";
  else if (p->queued >= p->queue_max) refused = "too many requests are waiting to be judged";
  if (refused == NULL) {
    if (p->tail) p->tail->next = j;
    else p->head = j;
    p->tail = j;
    p->queued++;
    pthread_cond_signal(&p->work);
    int rc = 0;
    while (!j->done && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&p->answered, &p->mu, &until);
    if (!j->done) {
      j->abandoned = true; /* the evaluating thread drops its answer */
      refused = "the request was not judged within the deadline";
      late = true;
    }
  } else {
    j->refs = 1;
  }
  if (refused == NULL) {
    *out = j->ans; /* handed over */
    memset(&j->ans, 0, sizeof j->ans);
  }
  job_release(j);
  gen *g = p->current;
  g->refs++; /* for the log line */
  pthread_mutex_unlock(&p->mu);
  if (refused) {
    char msg[300];
    if (late) snprintf(msg, sizeof msg, "policy authz: %s (%u ms)", refused, p->o->deadline_ms);
    else snprintf(msg, sizeof msg, "policy authz: %s", refused);
    deny(out, msg, refused);
    char *line = log_line(phase, NULL, NULL, out, g, now_ms() - start);
    if (line) cli_authz_log_line(p->log, line, strlen(line));
    free(line);
  }
  pthread_mutex_lock(&p->mu);
  gen_release(p, g);
  pthread_mutex_unlock(&p->mu);
  if (out->msg == NULL) { /* out of memory on the way */
    cli_authz_answer_free(out);
    out->allow = false;
  }
}
