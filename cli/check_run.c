/*
** check_run.c: `policy check` over a list of files on N threads.
**
** Each thread has its own engine, configured exactly like the others
** (cli_engine_setup; thread 0 uses the caller's, the others take theirs
** from the spares made while the caller made its own, or make theirs when
** they start), and takes the next file from a shared counter; each
** file gets its own report. The main thread consumes the reports in file
** order: it prints a file's text as soon as every file before it is done,
** counts, merges into one report when another format needs it (merging
** gives what one report over every file would: policy_report_merge), and
** frees. Threads never run more than a window of files ahead of the
** printing, so memory stays bounded however many files there are, and
** the output is the same for any number of threads.
**
** Waking a thread is a system call and a context switch, as dear as
** checking a small file, so the threads wake each other only when there
** is work for the woken one: the main thread sleeps until a batch of
** files in a row is done (or the last file is, or a thread waits for room
** in the window, or 100 ms passed: text still streams), and a thread
** waiting for room is woken only when the main thread made some.
*/
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

typedef struct slot {
  policy_report *rep;
  char *skipped;       /* why an input found by walking was skipped */
  uint64_t traced;     /* --trace: subjects the traced rule ran on */
  bool done;
} slot;

typedef struct run {
  const cli_check *c;
  pthread_mutex_t mu;
  pthread_cond_t ready;  /* the main thread has a batch to consume */
  pthread_cond_t room;   /* the main thread moved on, or the run stops */
  size_t next;           /* the next file to take */
  size_t consumed;       /* files the main thread has finished with */
  size_t window;         /* how far ahead of `consumed` threads may go */
  size_t batch;          /* done files in a row that wake the main thread */
  unsigned blocked;      /* threads waiting for room in the window */
  bool waiting;          /* the main thread sleeps on `ready` */
  slot *slots;
  bool nomem;
} run;

typedef struct worker {
  run *r;
  policy_engine *e;    /* thread 0: the caller's; the others a spare or their own */
  cli_spares *spares;
  unsigned index;
  pthread_t thread;
} worker;

/* ---- spare engines -------------------------------------------------- */

typedef struct spare {
  cli_spares *s;
  pthread_t thread;
  bool joined;
  policy_engine *e;    /* NULL until made, or when it could not be */
} spare;

struct cli_spares {
  const cli_input_opts *in;
  const cli_policy_opts *po;
  unsigned n;          /* threads started */
  spare *v;
};

static void *make_spare(void *arg) {
  spare *sp = arg;
  if (cli_engine_setup(&sp->e, sp->s->in, sp->s->po, true) == EXIT_USAGE) sp->e = NULL;
  return NULL;
}

cli_spares *cli_spares_start(unsigned n, const cli_input_opts *in, const cli_policy_opts *po) {
  cli_spares *s = calloc(1, sizeof *s);
  spare *v = n ? calloc(n, sizeof *v) : NULL;
  if (s == NULL || v == NULL) {
    free(s);
    free(v);
    return NULL;
  }
  *s = (cli_spares){in, po, 0, v};
  while (s->n < n) {
    v[s->n].s = s;
    if (pthread_create(&v[s->n].thread, NULL, make_spare, &v[s->n]) != 0) break;
    s->n++;
  }
  if (s->n == 0) {
    free(v);
    free(s);
    return NULL;
  }
  return s;
}

/* Spare i once it is made (NULL if it could not be); the caller owns it.
** Each index is taken by one thread only. */
static policy_engine *take_spare(cli_spares *s, unsigned i) {
  if (s == NULL || i >= s->n) return NULL;
  spare *sp = &s->v[i];
  assert(!sp->joined);
  pthread_join(sp->thread, NULL);
  sp->joined = true;
  policy_engine *e = sp->e;
  sp->e = NULL;
  return e;
}

void cli_spares_free(cli_spares *s) {
  if (s == NULL) return;
  for (unsigned i = 0; i < s->n; i++) {
    if (!s->v[i].joined) pthread_join(s->v[i].thread, NULL);
    policy_engine_free(s->v[i].e);
  }
  free(s->v);
  free(s);
}

/* ---- the run -------------------------------------------------------- */

int cli_engine_setup(policy_engine **out, const cli_input_opts *in,
                     const cli_policy_opts *po, bool quiet) {
  policy_engine *e;
  if (policy_engine_new(&e) != POLICY_OK) {
    if (!quiet) fputs("policy: out of memory\n", stderr);
    return EXIT_USAGE;
  }
  int status = cli_input_apply(in, e, quiet);
  if (status == EXIT_CLEAN) status = cli_policy_apply(po, e, quiet);
  if (status != EXIT_CLEAN && status != CLI_RULES_REFUSED) {
    policy_engine_free(e);
    return status;
  }
  *out = e;
  return status;
}

/* Parses and checks one input into a new report; unreadable inputs
** become report errors. Runs on a worker thread: prints nothing. */
static policy_report *check_one(policy_engine *e, const cli_check *c, const cli_walk_item *it,
                                char **skipped) {
  const policy_baseline *baseline = c->baseline;
  cli_scan_reports *held = c->held;
  policy_report *rep;
  if (policy_report_new(&rep) != POLICY_OK) return NULL;
  policy_document *doc;
  int rc = it->kind == POLICY_KIND_RUN
               ? policy_parse_argv(&doc, e, it->path, c->nrun, (const char *const *)c->run_line)
           : strcmp(it->path, "-") == 0
               ? policy_parse_fd(&doc, e, "-", STDIN_FILENO, it->kind)
               : policy_parse_file(&doc, e, it->path, it->kind);
  int added = POLICY_OK;
  if (rc == POLICY_ERR_UNSUPPORTED && !it->named) {
    *skipped = strdup(policy_engine_errmsg(e));
  } else if (rc != POLICY_OK) {
    const char *msg = policy_engine_errmsg(e);
    added = policy_report_add_error(rep, it->path, 0, 0, *msg ? msg : policy_strerror(rc));
  } else {
    if (held) cli_scan_reports_link(held, doc);
    if (policy_check(rep, e, doc) != POLICY_OK)
      added = policy_report_add_error(rep, it->path, 0, 0, policy_engine_errmsg(e));
    policy_document_free(doc);
  }
  if (added == POLICY_OK && baseline) added = policy_report_apply_baseline(rep, baseline);
  if (added != POLICY_OK) {
    policy_report_free(rep);
    return NULL;
  }
  return rep;
}

/* Whether the main thread, waiting for file `consumed`, should wake: a
** batch of files in a row from it is done, or the files done in a row
** reach the end, or a thread waits for room (the window is full), or the
** run stops. Called with r->mu held. */
static bool batch_ready(const run *r) {
  size_t n = r->c->files->len, i = r->consumed, k = 0;
  if (r->nomem) return true;
  while (i + k < n && k < r->batch && r->slots[i + k].done) k++;
  return k > 0 && (k == r->batch || i + k == n || r->blocked > 0);
}

/* Adds what each rule of engine e ran on to c->subjects (the same rules
** in every engine). Called with the run's mutex held, or alone. */
static void tally(const cli_check *c, policy_engine *e) {
  for (size_t j = 0; c->subjects && j < c->nrules && j < policy_engine_rule_count(e); j++) {
    uint64_t ran = 0;
    policy_engine_rule_subjects(&ran, e, j);
    c->subjects[j] += ran;
  }
}

static void *work(void *arg) {
  worker *w = arg;
  run *r = w->r;
  size_t n = r->c->files->len;
  /* Threads 1..n-1 take a spare, or make their engine here, in parallel
  ** with the first files; one that cannot be made leaves its share to
  ** the others (thread 0 has the caller's engine). */
  if (w->e == NULL) w->e = take_spare(w->spares, w->index - 1);
  if (w->e == NULL && cli_engine_setup(&w->e, r->c->in, r->c->po, true) == EXIT_USAGE)
    return NULL; /* w->e stays NULL */
  for (;;) {
    pthread_mutex_lock(&r->mu);
    while (r->next < n && r->next >= r->consumed + r->window && !r->nomem) {
      r->blocked++;
      if (r->waiting && batch_ready(r)) pthread_cond_signal(&r->ready);
      pthread_cond_wait(&r->room, &r->mu);
      assert(r->blocked > 0);
      r->blocked--;
    }
    if (r->next >= n || r->nomem) {
      /* Thread 0's engine is the caller's, which checks the held inputs
      ** last; the others are done with theirs: freeing it here overlaps
      ** the files still being checked. */
      policy_engine *own = w->index > 0 ? w->e : NULL;
      if (own) tally(r->c, own);
      pthread_mutex_unlock(&r->mu);
      if (own) {
        policy_engine_free(own);
        w->e = NULL;
      }
      return NULL;
    }
    size_t i = r->next++;
    pthread_mutex_unlock(&r->mu);
    char *skipped = NULL;
    cli_scan_reports *held = r->c->held;
    policy_report *rep = NULL;
    bool taken = held && held->taken[i]; /* checked at the end, with the reports */
    uint64_t before = 0, after = 0;
    if (r->c->trace != SIZE_MAX) policy_engine_rule_subjects(&before, w->e, r->c->trace);
    if (!taken) rep = check_one(w->e, r->c, &r->c->files->items[i], &skipped);
    if (r->c->trace != SIZE_MAX) policy_engine_rule_subjects(&after, w->e, r->c->trace);
    pthread_mutex_lock(&r->mu);
    r->slots[i].rep = rep;
    r->slots[i].skipped = skipped;
    r->slots[i].traced = after - before;
    r->slots[i].done = true;
    if (rep == NULL && !taken) r->nomem = true;
    if (r->waiting && batch_ready(r)) pthread_cond_signal(&r->ready);
    pthread_mutex_unlock(&r->mu);
  }
}

static void print_warnings(const cli_check *c, const policy_report *rep) {
  size_t n = policy_report_count(rep, POLICY_LIST_WARNINGS);
  for (size_t i = 0; i < n; i++) {
    const char *kind = policy_report_get_string(rep, POLICY_LIST_WARNINGS, i, POLICY_FIELD_KIND);
    bool unknown_id = kind && strcmp(kind, "unknown-id") == 0;
    cli_diag_print(policy_report_get_string(rep, POLICY_LIST_WARNINGS, i, POLICY_FIELD_FILE),
               (uint32_t)policy_report_get_number(rep, POLICY_LIST_WARNINGS, i, POLICY_FIELD_LINE),
               (uint32_t)policy_report_get_number(rep, POLICY_LIST_WARNINGS, i, POLICY_FIELD_COLUMN),
               unknown_id && c->po->strict ? "error" : "warning",
               policy_report_get_string(rep, POLICY_LIST_WARNINGS, i, POLICY_FIELD_MESSAGE));
  }
  n = policy_report_count(rep, POLICY_LIST_FIXED);
  for (size_t i = 0; i < n; i++)
    fprintf(stderr, "%s:%u: fixed [%s] %s (in the baseline, no longer found)\n",
            cli_safe(policy_report_get_string(rep, POLICY_LIST_FIXED, i, POLICY_FIELD_FILE)),
            (unsigned)policy_report_get_number(rep, POLICY_LIST_FIXED, i, POLICY_FIELD_LINE),
            cli_safe(policy_report_get_string(rep, POLICY_LIST_FIXED, i, POLICY_FIELD_RULE)),
            cli_safe(policy_report_get_string(rep, POLICY_LIST_FIXED, i, POLICY_FIELD_MESSAGE)));
}

static void print_logs(const policy_report *rep) {
  size_t n = policy_report_count(rep, POLICY_LIST_LOGS);
  for (size_t i = 0; i < n; i++)
    fprintf(stderr, "policy: [%s] on %s printed:\n%s\n",
            cli_safe(policy_report_get_string(rep, POLICY_LIST_LOGS, i, POLICY_FIELD_RULE)),
            cli_safe(policy_report_get_string(rep, POLICY_LIST_LOGS, i, POLICY_FIELD_FILE)),
            cli_safe_lines(policy_report_get_string(rep, POLICY_LIST_LOGS, i, POLICY_FIELD_MESSAGE)));
}

static void count(const cli_check *c, const policy_report *rep, cli_counts *k) {
  size_t findings = policy_report_count(rep, POLICY_LIST_FINDINGS);
  k->files += policy_report_file_count(rep);
  k->findings += findings;
  k->below += findings - policy_report_count_at_least(rep, c->fail_on);
  k->suppressed += policy_report_count(rep, POLICY_LIST_SUPPRESSED);
  k->errors += policy_report_count(rep, POLICY_LIST_ERRORS);
  k->fixed += policy_report_count(rep, POLICY_LIST_FIXED);
  size_t nwarn = policy_report_count(rep, POLICY_LIST_WARNINGS);
  k->warnings += nwarn;
  for (size_t i = 0; i < nwarn; i++) {
    const char *kind = policy_report_get_string(rep, POLICY_LIST_WARNINGS, i, POLICY_FIELD_KIND);
    if (kind && strcmp(kind, "unknown-id") == 0) k->unknown_ids++;
  }
}

/* --trace: what the traced rule did with one file: how many subjects it
** ran on, what it printed, what it reported (and suppressed), its
** errors; on stderr, beside the report. */
static void print_trace(const cli_check *c, const policy_report *rep, const char *path,
                        uint64_t subjects, policy_engine *e) {
  const char *id = policy_engine_rule_string(e, c->trace, POLICY_RULE_ID);
  fprintf(stderr, "trace [%s] %s: ran on %llu subject%s (applies to %s)\n", cli_safe(id),
          cli_safe(path), (unsigned long long)subjects, subjects == 1 ? "" : "s",
          cli_safe(policy_engine_rule_string(e, c->trace, POLICY_RULE_APPLIES_TO)));
  static const struct { int list; const char *what; } lists[] = {
      {POLICY_LIST_LOGS, "printed"}, {POLICY_LIST_FINDINGS, "reported"},
      {POLICY_LIST_SUPPRESSED, "reported (suppressed)"}, {POLICY_LIST_ERRORS, "failed"}};
  for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
    int list = lists[l].list;
    size_t n = policy_report_count(rep, list);
    for (size_t i = 0; i < n; i++) {
      const char *rule = policy_report_get_string(rep, list, i, POLICY_FIELD_RULE);
      if (rule == NULL || strcmp(rule, id) != 0) continue;
      const char *msg = policy_report_get_string(rep, list, i, POLICY_FIELD_MESSAGE);
      if (list == POLICY_LIST_LOGS) {
        for (const char *p = msg; p && *p;) {
          size_t len = strcspn(p, "\n");
          char *line = strndup(p, len);
          if (line) fprintf(stderr, "  printed: %s\n", cli_safe(line));
          free(line);
          p += len + (p[len] == '\n');
        }
        continue;
      }
      const char *subject = policy_report_get_string(rep, list, i, POLICY_FIELD_SUBJECT);
      fprintf(stderr, "  %s %s:%lld:%lld%s%s%s: %s\n", lists[l].what,
              cli_safe(policy_report_get_string(rep, list, i, POLICY_FIELD_FILE)),
              (long long)policy_report_get_number(rep, list, i, POLICY_FIELD_LINE),
              (long long)policy_report_get_number(rep, list, i, POLICY_FIELD_COLUMN),
              subject ? " (" : "", subject ? cli_safe(subject) : "", subject ? ")" : "",
              cli_safe(msg));
    }
  }
}

/* The text of one file's report on standard output. */
static bool print_text(const cli_check *c, const policy_report *rep) {
  char *text;
  if (policy_report_write(&text, NULL, rep, NULL, POLICY_FORMAT_TEXT,
                          c->text_flags | POLICY_TEXT_NO_SUMMARY) != POLICY_OK)
    return false;
  char *annotated = cli_limit_annotate(text); /* the text is escaped already */
  policy_free(text);
  if (annotated == NULL) return false;
  fputs(annotated, stdout);
  free(annotated);
  return true;
}

/* What the main thread does with file i's report, in file order. */
static bool consume(const cli_check *c, slot *s, const cli_walk_item *it,
                    policy_report *merged, cli_counts *k, policy_engine *e,
                    const char *traced) {
  if (s->skipped) fprintf(stderr, "policy: %s: skipped: %s\n", cli_safe(it->path), cli_safe(s->skipped));
  if (s->rep == NULL) return s->skipped != NULL || !s->done || (c->held && it && c->held->taken[it - c->files->items]);
  count(c, s->rep, k);
  if (c->warnings_on_stderr) print_warnings(c, s->rep);
  bool ok = true;
  if (c->stream_text) {
    fflush(stderr);
    ok = print_text(c, s->rep);
    fflush(stdout); /* the file's findings now, not at exit */
  }
  if (c->verbose) print_logs(s->rep);
  if (c->trace != SIZE_MAX && traced) print_trace(c, s->rep, traced, s->traced, e);
  if (ok && merged) ok = policy_report_merge(merged, s->rep) == POLICY_OK;
  return ok;
}

/* Waits until slot i is done, and until a batch from it is (or 100 ms
** passed since it was: the text streams), showing progress meanwhile. */
static void wait_for(run *r, size_t i, cli_progress *p) {
  pthread_mutex_lock(&r->mu);
  assert(r->consumed == i);
  bool waited = false; /* 100 ms at least */
  while (!r->nomem && !(r->slots[i].done && (waited || batch_ready(r)))) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 100 * 1000 * 1000;
    if (until.tv_nsec >= 1000000000L) { until.tv_sec++; until.tv_nsec -= 1000000000L; }
    r->waiting = true;
    int rc = pthread_cond_timedwait(&r->ready, &r->mu, &until);
    r->waiting = false;
    if (rc != ETIMEDOUT) continue;
    waited = true;
    size_t done = 0;
    for (size_t k = i; k < r->next; k++) done += r->slots[k].done;
    pthread_mutex_unlock(&r->mu);
    cli_progress_update(p, i + done, r->c->files->len);
    pthread_mutex_lock(&r->mu);
  }
  pthread_mutex_unlock(&r->mu);
}

/* Whether slot i is done already. */
static bool is_done(run *r, size_t i) {
  pthread_mutex_lock(&r->mu);
  bool done = r->slots[i].done;
  pthread_mutex_unlock(&r->mu);
  return done;
}

static void release(run *r, size_t i) {
  pthread_mutex_lock(&r->mu);
  policy_report_free(r->slots[i].rep);
  free(r->slots[i].skipped);
  r->slots[i].rep = NULL;
  r->slots[i].skipped = NULL;
  r->consumed = i + 1;
  if (r->blocked > 0) pthread_cond_broadcast(&r->room);
  pthread_mutex_unlock(&r->mu);
}

bool cli_check_run(const cli_check *c, policy_engine *first, cli_spares *spares,
                   policy_report **merged, cli_counts *counts) {
  size_t n = c->files->len;
  unsigned jobs = c->jobs ? c->jobs : 1;
  if (jobs > n) jobs = n ? (unsigned)n : 1;
  run r = {.c = c, .window = 4 * (size_t)jobs + 8};
  r.batch = r.window / 2;
  r.slots = calloc(n ? n : 1, sizeof *r.slots);
  worker *w = calloc(jobs, sizeof *w);
  *merged = NULL;
  bool ok = r.slots && w && (!c->keep_report || policy_report_new(merged) == POLICY_OK);
  if (!ok) {
    fputs("policy: out of memory\n", stderr);
    free(r.slots);
    free(w);
    return false;
  }
  w[0].e = first;
  pthread_mutex_init(&r.mu, NULL);
  pthread_cond_init(&r.ready, NULL);
  pthread_cond_init(&r.room, NULL);
  unsigned started = 0;
  for (unsigned i = 0; i < jobs; i++) {
    w[i].r = &r;
    w[i].spares = spares;
    w[i].index = i;
    if (pthread_create(&w[i].thread, NULL, work, &w[i]) != 0) break;
    started++;
  }
  cli_progress progress;
  cli_progress_init(&progress, c->progress);
  for (size_t i = 0; ok && started > 0 && i < n; i++) {
    if (!is_done(&r, i)) {
      wait_for(&r, i, &progress);
      cli_progress_clear(&progress);
    }
    ok = consume(c, &r.slots[i], &c->files->items[i], *merged, counts, first,
                 c->files->items[i].path) && !r.nomem;
    release(&r, i);
  }
  cli_progress_clear(&progress);
  if (ok && started > 0 && c->held) {
    /* The held inputs last, once every other input was linked to them. */
    uint64_t before = 0, after = 0;
    bool any = c->held->len > 0;
    if (c->trace != SIZE_MAX) policy_engine_rule_subjects(&before, first, c->trace);
    slot held = {cli_scan_reports_check(c->held, first, c->baseline), NULL, 0, true};
    if (c->trace != SIZE_MAX) policy_engine_rule_subjects(&after, first, c->trace);
    held.traced = after - before;
    ok = held.rep != NULL && consume(c, &held, NULL, *merged, counts, first,
                                     any ? "the inputs checked last (named JSON and YAML)" : NULL);
    policy_report_free(held.rep);
  }
  pthread_mutex_lock(&r.mu);
  if (!ok) r.nomem = true; /* stop the threads */
  pthread_cond_broadcast(&r.room);
  pthread_mutex_unlock(&r.mu);
  for (unsigned i = 0; i < started; i++) pthread_join(w[i].thread, NULL);
  for (size_t i = 0; i < n; i++) {
    policy_report_free(r.slots[i].rep);
    free(r.slots[i].skipped);
  }
  tally(c, first); /* the other threads tallied and freed theirs */
  for (unsigned i = 1; i < jobs; i++) assert(w[i].e == NULL);
  pthread_cond_destroy(&r.ready);
  pthread_cond_destroy(&r.room);
  pthread_mutex_destroy(&r.mu);
  if (started == 0 || !ok) fputs("policy: out of memory\n", stderr);
  free(r.slots);
  free(w);
  return ok && started > 0;
}
