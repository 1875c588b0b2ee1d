/*
** threads_corpus.c: the thread-safety that policy.h promises, over the
** corpus (../shared/corpus), through the public API only. Built in every
** build and run by meson; tests/tsan.sh builds it with ThreadSanitizer,
** where any race fails it.
**
**  - own:    4 threads, one engine each, each parsing and checking a
**            quarter of the corpus at the same time; every file's report
**            is the one a single engine gives, and the 4 reports merged
**            (policy_report_merge) read as the one report of every check.
**  - shared: documents parsed once on the main thread, then checked by 4
**            threads at once, one engine each, every thread every document
**            (a document is read by several threads at the same moment).
**            The engines are made and loaded on the main thread and
**            handed to the threads (an engine may change threads between
**            calls); one baseline loaded on the main thread is applied by
**            all 4 threads at once and holds every finding; and each
**            thread calls the functions on no object (policy_strerror,
**            versions, severity and format names, policy_escape_text,
**            policy_free) all the while.
**  - cancel: a thread checks the corpus again and again while the main
**            thread sets its engine's cancel flag: the check in progress
**            stops with POLICY_ERR_CANCELLED, cleanly.
**
** Each engine loads the built-in pack and a data document from memory.
** Prints TAP lines and "threads: N passed, M failed"; exits 77 with
** "SKIP: ..." when the corpus is absent.
*/
#include <dirent.h>
#include <pthread.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy/policy.h"

#define THREADS 4

typedef struct input {
  char *path;
  int kind;
  char *expected;           /* the report JSON of a single engine */
  policy_document *doc;     /* parsed on the main thread, shared */
} input;

static input *inputs;
static size_t ninputs;
static int passed, failed;

static void verdict(int ok, const char *what) {
  printf("%sok %d - %s\n", ok ? "" : "not ", passed + failed + 1, what);
  if (ok) passed++;
  else failed++;
}

static int by_path(const void *a, const void *b) {
  return strcmp(((const input *)a)->path, ((const input *)b)->path);
}

static void add_folder(const char *root, const char *sub, int kind) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/%s", root, sub);
  DIR *d = opendir(dir);
  if (d == NULL) return;
  struct dirent *ent;
  while ((ent = readdir(d)) != NULL) {
    if (ent->d_name[0] == '.') continue;
    inputs = realloc(inputs, (ninputs + 1) * sizeof *inputs);
    char *path = malloc(strlen(dir) + strlen(ent->d_name) + 2);
    if (inputs == NULL || path == NULL) abort();
    sprintf(path, "%s/%s", dir, ent->d_name);
    inputs[ninputs++] = (input){path, kind, NULL, NULL};
  }
  closedir(d);
}

static const char data_doc[] = "registries: [docker.io, ghcr.io]\n";

static policy_engine *new_engine(void) {
  policy_engine *e;
  if (policy_engine_new(&e) != POLICY_OK || policy_engine_load_builtin(e) != POLICY_OK ||
      policy_engine_load_data_buffer(e, "threads.yaml", data_doc, sizeof data_doc - 1) !=
          POLICY_OK) {
    fprintf(stderr, "engine: %s\n", e ? policy_engine_errmsg(e) : "out of memory");
    exit(1);
  }
  return e;
}

/* Checks one document into a fresh report and returns its JSON (NULL on
** failure, with the reason on stderr); adds the check to `all` too. */
static char *check_json(policy_engine *e, const policy_document *doc, policy_report *all) {
  policy_report *r;
  char *json = NULL;
  if (policy_report_new(&r) != POLICY_OK) return NULL;
  int rc = policy_check(r, e, doc);
  if (rc != POLICY_OK)
    fprintf(stderr, "%s: %s\n", policy_document_path(doc), policy_engine_errmsg(e));
  else if (policy_report_to_json(&json, NULL, r, 0) != POLICY_OK ||
           (all && policy_report_merge(all, r) != POLICY_OK))
    json = NULL;
  policy_report_free(r);
  return json;
}

static char *report_json(const policy_report *r) {
  char *json = NULL;
  if (policy_report_to_json(&json, NULL, r, 0) != POLICY_OK) abort();
  return json;
}

/* ---- own: each thread parses and checks its quarter ------------------- */

typedef struct worker {
  pthread_t thread;
  int index;
  int mismatches;           /* reports that differ from the expected ones */
  policy_report *all;       /* own: every check of the thread */
} worker;

static void *own(void *arg) {
  worker *w = arg;
  policy_engine *e = new_engine();
  for (size_t i = (size_t)w->index; i < ninputs; i += THREADS) {
    policy_document *doc;
    char *json = NULL;
    if (policy_parse_file(&doc, e, inputs[i].path, inputs[i].kind) == POLICY_OK) {
      json = check_json(e, doc, w->all);
      policy_document_free(doc);
    }
    if (json == NULL || strcmp(json, inputs[i].expected) != 0) {
      fprintf(stderr, "own %d: %s differs\n", w->index, inputs[i].path);
      w->mismatches++;
    }
    policy_free(json);
  }
  policy_engine_free(e);
  return NULL;
}

/* ---- shared: every thread checks every document parsed by main -------- */

static policy_engine *handed[THREADS];  /* made on the main thread */
static policy_baseline *baseline;        /* every finding of the corpus */
static int baseline_misses;              /* reports a baseline left findings in */
static int free_function_misses;         /* wrong answers of object-free calls */

/* The functions on no object, from any thread at any time. */
static void call_object_free_functions(void) {
  char *esc = NULL;
  size_t len;
  if (strcmp(policy_strerror(POLICY_ERR_CANCELLED), policy_strerror(POLICY_ERR_CANCELLED)) ||
      policy_version_number() == 0 || policy_version_string()[0] == '\0' ||
      policy_abi_version() < 1 || strcmp(policy_severity_name(POLICY_SEVERITY_HIGH), "high") ||
      policy_severity_from_name("high") != POLICY_SEVERITY_HIGH ||
      policy_format_from_name("sarif") == 0 ||
      policy_escape_text(&esc, &len, "a\033[31mb", 0) != POLICY_OK || strchr(esc, '\033'))
    __atomic_add_fetch(&free_function_misses, 1, __ATOMIC_RELAXED);
  policy_free(esc);
}

/* Applies the shared baseline to a check of doc: nothing stays new. */
static void check_against_baseline(policy_engine *e, const policy_document *doc) {
  policy_report *r;
  if (policy_report_new(&r) != POLICY_OK) abort();
  if (policy_check(r, e, doc) != POLICY_OK || policy_report_apply_baseline(r, baseline) != POLICY_OK ||
      policy_report_count(r, POLICY_LIST_FINDINGS) != 0)
    __atomic_add_fetch(&baseline_misses, 1, __ATOMIC_RELAXED);
  policy_report_free(r);
}

static void *shared(void *arg) {
  worker *w = arg;
  policy_engine *e = handed[w->index];
  /* Threads start a quarter apart and wrap around: at any moment several
  ** of them read documents the others read too. */
  for (size_t k = 0; k < ninputs; k++) {
    size_t i = (k + (size_t)w->index * ninputs / THREADS / 2) % ninputs;
    if (inputs[i].doc == NULL) continue;
    char *json = check_json(e, inputs[i].doc, NULL);
    if (json == NULL || strcmp(json, inputs[i].expected) != 0) {
      fprintf(stderr, "shared %d: %s differs\n", w->index, inputs[i].path);
      w->mismatches++;
    }
    policy_free(json);
    check_against_baseline(e, inputs[i].doc);
    call_object_free_functions();
  }
  return NULL; /* the main thread frees the engine it handed over */
}

/* Writes every finding of `all` as a baseline file and loads it. */
static policy_baseline *baseline_of(policy_engine *e, const policy_report *all) {
  char path[] = "/tmp/threads-baseline-XXXXXX";
  char *text;
  size_t len;
  policy_baseline *b;
  int fd = mkstemp(path);
  if (fd < 0 || policy_report_write(&text, &len, all, e, policy_format_from_name("baseline"), 0) != POLICY_OK ||
      write(fd, text, len) != (ssize_t)len || close(fd) != 0 ||
      policy_baseline_load(&b, e, path) != POLICY_OK) {
    fprintf(stderr, "baseline: %s\n", policy_engine_errmsg(e));
    abort();
  }
  policy_free(text);
  unlink(path);
  return b;
}

/* ---- cancel: a flag set by another thread stops a check --------------- */

static int cancel_flag; /* stored with __atomic_store_n, as policy.h asks */

typedef struct canceller {
  int cancelled;            /* checks that returned POLICY_ERR_CANCELLED */
  int other;                /* checks that failed otherwise */
} canceller;

static void *check_until_cancelled(void *arg) {
  canceller *c = arg;
  policy_engine *e = new_engine();
  policy_engine_set_cancel(e, &cancel_flag);
  for (int round = 0; round < 1000 && !c->cancelled; round++) {
    for (size_t i = 0; i < ninputs && !c->cancelled; i++) {
      if (inputs[i].doc == NULL) continue;
      policy_report *r;
      if (policy_report_new(&r) != POLICY_OK) abort();
      int rc = policy_check(r, e, inputs[i].doc);
      if (rc == POLICY_ERR_CANCELLED) c->cancelled++;
      else if (rc != POLICY_OK) c->other++;
      policy_report_free(r);
    }
  }
  policy_engine_free(e);
  return NULL;
}

int main(void) {
  const char *shared_dir = getenv("POLICY_SHARED_DIR");
  char root[4096];
  snprintf(root, sizeof root, "%s/corpus", shared_dir ? shared_dir : "../shared");
  add_folder(root, "dockerfiles", POLICY_KIND_DOCKERFILE);
  add_folder(root, "compose", POLICY_KIND_COMPOSE);
  if (ninputs == 0) {
    printf("SKIP: no corpus at %s (../shared is absent)\n", root);
    return 77;
  }
  qsort(inputs, ninputs, sizeof *inputs, by_path);

  /* What a single engine on a single thread gives. */
  policy_engine *e = new_engine();
  policy_report *expected_all;
  if (policy_report_new(&expected_all) != POLICY_OK) abort();
  size_t parsed = 0;
  for (size_t i = 0; i < ninputs; i++) {
    if (policy_parse_file(&inputs[i].doc, e, inputs[i].path, inputs[i].kind) != POLICY_OK) {
      fprintf(stderr, "%s: %s\n", inputs[i].path, policy_engine_errmsg(e));
      inputs[i].doc = NULL;
      continue;
    }
    parsed++;
    inputs[i].expected = check_json(e, inputs[i].doc, expected_all);
    if (inputs[i].expected == NULL) abort();
  }
  baseline = baseline_of(e, expected_all);
  policy_engine_free(e);
  printf("# %zu files, %zu parsed, %zu findings in the baseline\n", ninputs, parsed,
         policy_baseline_count(baseline));
  verdict(parsed == ninputs, "every corpus file parses on one engine");

  worker w[THREADS];
  for (int t = 0; t < THREADS; t++) {
    w[t] = (worker){0};
    w[t].index = t;
    if (policy_report_new(&w[t].all) != POLICY_OK) abort();
    if (pthread_create(&w[t].thread, NULL, own, &w[t]) != 0) abort();
  }
  int mismatches = 0;
  policy_report *merged;
  if (policy_report_new(&merged) != POLICY_OK) abort();
  for (int t = 0; t < THREADS; t++) {
    pthread_join(w[t].thread, NULL);
    mismatches += w[t].mismatches;
    if (policy_report_merge(merged, w[t].all) != POLICY_OK) abort();
    policy_report_free(w[t].all);
  }
  verdict(mismatches == 0, "4 engines on 4 threads, each parsing and checking a quarter: "
                           "every report as one engine's");
  char *a = report_json(merged), *b = report_json(expected_all);
  verdict(strcmp(a, b) == 0, "the 4 threads' reports merged read as one report of every check");
  policy_free(a);
  policy_free(b);
  policy_report_free(merged);
  policy_report_free(expected_all);

  for (int t = 0; t < THREADS; t++) {
    w[t] = (worker){0};
    w[t].index = t;
    handed[t] = new_engine();
    if (pthread_create(&w[t].thread, NULL, shared, &w[t]) != 0) abort();
  }
  mismatches = 0;
  for (int t = 0; t < THREADS; t++) {
    pthread_join(w[t].thread, NULL);
    mismatches += w[t].mismatches;
    policy_engine_free(handed[t]);
  }
  verdict(mismatches == 0, "documents parsed once, checked by 4 threads at once with engines "
                           "made on the main thread: every report as one engine's");
  verdict(policy_baseline_count(baseline) > 0 && baseline_misses == 0,
          "one baseline applied by 4 threads at once holds every finding");
  verdict(free_function_misses == 0,
          "the functions on no object answer right from 4 threads at once");
  policy_baseline_free(baseline);

  canceller c = {0, 0};
  pthread_t ct;
  if (pthread_create(&ct, NULL, check_until_cancelled, &c) != 0) abort();
  struct timespec wait = {0, 50 * 1000 * 1000};
  nanosleep(&wait, NULL);
  __atomic_store_n(&cancel_flag, 1, __ATOMIC_RELAXED);
  pthread_join(ct, NULL);
  verdict(c.cancelled == 1 && c.other == 0, "a flag set by another thread cancels the check "
                                            "in progress");

  for (size_t i = 0; i < ninputs; i++) {
    policy_document_free(inputs[i].doc);
    policy_free(inputs[i].expected);
    free(inputs[i].path);
  }
  free(inputs);
  printf("threads: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
