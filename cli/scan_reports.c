/*
** scan_reports.c: vulnerability scan reports checked with the files that
** ship their image (see cli.h). A report names the image it scanned; a
** Compose service, a container or an inspected image given on the same
** command line that is this image is linked to it
** (policy_document_link_scan), so its findings say which service ships
** the vulnerable package. Reports are named on the command line (a walk
** finds Dockerfiles and Compose files only), so the named inputs whose
** names do not say what they are are read first and held until every
** other input, on whichever thread it was checked, was linked to them.
** Uses policy.h only.
*/
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Held: a named input of a kind given that is neither a Dockerfile nor a
** Compose file, or one whose name says nothing and whose content starts
** like JSON (cli_probe). A Dockerfile or Compose file under a name that
** says nothing is checked on the threads like any other: holding every
** such file would parse them all up front, on one thread. */
static bool held_first(const cli_walk_item *it) {
  if (!it->named || it->kind == POLICY_KIND_DOCKERFILE || it->kind == POLICY_KIND_COMPOSE)
    return false;
  if (strcmp(it->path, "-") == 0) return false; /* standard input is read once, in order */
  return it->kind != POLICY_KIND_AUTO || it->json; /* cli_probe: JSON under a name that says nothing */
}

bool cli_scan_reports_parse(cli_scan_reports *s, policy_engine *e, const cli_walk_list *w) {
  memset(s, 0, sizeof *s);
  pthread_mutex_init(&s->mu, NULL);
  s->taken = calloc(w->len ? w->len : 1, sizeof *s->taken);
  s->docs = calloc(w->len ? w->len : 1, sizeof *s->docs);
  s->paths = calloc(w->len ? w->len : 1, sizeof *s->paths);
  if (s->taken == NULL || s->docs == NULL || s->paths == NULL ||
      policy_report_new(&s->rep) != POLICY_OK)
    return false;
  for (size_t i = 0; i < w->len; i++) {
    const cli_walk_item *it = &w->items[i];
    if (!held_first(it)) continue;
    s->taken[i] = true;
    policy_document *doc;
    int rc = policy_parse_file(&doc, e, it->path, it->kind);
    if (rc != POLICY_OK) {
      const char *msg = policy_engine_errmsg(e);
      if (policy_report_add_error(s->rep, it->path, 0, 0, *msg ? msg : policy_strerror(rc)) !=
          POLICY_OK)
        return false;
      continue;
    }
    s->docs[s->len] = doc;
    s->paths[s->len++] = it->path;
  }
  return true;
}

void cli_scan_reports_link(cli_scan_reports *s, const policy_document *doc) {
  pthread_mutex_lock(&s->mu);
  for (size_t i = 0; i < s->len; i++)
    if (s->docs[i] && policy_document_kind(s->docs[i]) == POLICY_KIND_SCAN)
      policy_document_link_scan(NULL, s->docs[i], doc); /* a failure leaves it unlinked */
  pthread_mutex_unlock(&s->mu);
}

policy_report *cli_scan_reports_check(cli_scan_reports *s, policy_engine *e,
                                      const policy_baseline *baseline) {
  for (size_t i = 0; i < s->len; i++)
    for (size_t j = 0; j < s->len; j++)
      if (i != j && policy_document_kind(s->docs[i]) == POLICY_KIND_SCAN &&
          policy_document_kind(s->docs[j]) != POLICY_KIND_SCAN)
        policy_document_link_scan(NULL, s->docs[i], s->docs[j]);
  bool ok = true;
  for (size_t i = 0; i < s->len; i++) {
    if (ok && policy_check(s->rep, e, s->docs[i]) != POLICY_OK)
      ok = policy_report_add_error(s->rep, s->paths[i], 0, 0, policy_engine_errmsg(e)) == POLICY_OK;
    policy_document_free(s->docs[i]);
    s->docs[i] = NULL;
  }
  s->len = 0;
  if (ok && baseline) ok = policy_report_apply_baseline(s->rep, baseline) == POLICY_OK;
  policy_report *rep = s->rep;
  s->rep = NULL;
  if (!ok) {
    policy_report_free(rep);
    return NULL;
  }
  return rep;
}

void cli_scan_reports_free(cli_scan_reports *s) {
  for (size_t i = 0; i < s->len; i++) policy_document_free(s->docs[i]);
  policy_report_free(s->rep);
  free(s->docs);
  free(s->paths);
  free(s->taken);
  pthread_mutex_destroy(&s->mu);
  memset(s, 0, sizeof *s);
}
