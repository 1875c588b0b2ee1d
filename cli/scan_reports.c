/*
** scan_reports.c: vulnerability scan reports checked with the files that
** ship their image (see cli.h). A report names the image it scanned; a
** Compose service, a container or an inspected image given on the same
** command line that is this image is linked to it
** (policy_document_link_scan), so its findings say which service ships
** the vulnerable package. Reports are named on the command line (a walk
** finds Dockerfiles and Compose files only), so the named inputs whose
** names do not say what they are are read first and held until every
** other input was linked to them. Uses policy.h only.
*/
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static bool held_first(const walk_item *it) {
  if (!it->named || it->kind == POLICY_KIND_DOCKERFILE || it->kind == POLICY_KIND_COMPOSE)
    return false;
  const char *slash = strrchr(it->path, '/');
  return it->kind != POLICY_KIND_AUTO || walk_kind_by_name(slash ? slash + 1 : it->path) == POLICY_KIND_AUTO;
}

bool scan_reports_parse(scan_reports *s, policy_report *rep, policy_engine *e,
                        const walk_list *w) {
  s->taken = calloc(w->len ? w->len : 1, sizeof *s->taken);
  s->docs = calloc(w->len ? w->len : 1, sizeof *s->docs);
  s->paths = calloc(w->len ? w->len : 1, sizeof *s->paths);
  if (s->taken == NULL || s->docs == NULL || s->paths == NULL) return false;
  for (size_t i = 0; i < w->len; i++) {
    if (!held_first(&w->items[i])) continue;
    s->taken[i] = true;
    policy_document *doc = check_parse(rep, e, &w->items[i]);
    if (doc == NULL) continue;
    s->docs[s->len] = doc;
    s->paths[s->len++] = w->items[i].path;
  }
  return true;
}

void scan_reports_link(const scan_reports *s, const policy_document *doc) {
  for (size_t i = 0; i < s->len; i++)
    if (s->docs[i] && policy_document_kind(s->docs[i]) == POLICY_KIND_SCAN)
      policy_document_link_scan(NULL, s->docs[i], doc); /* a failure leaves it unlinked */
}

void scan_reports_check(scan_reports *s, policy_report *rep, policy_engine *e) {
  for (size_t i = 0; i < s->len; i++)
    for (size_t j = 0; j < s->len; j++)
      if (i != j && policy_document_kind(s->docs[i]) == POLICY_KIND_SCAN &&
          policy_document_kind(s->docs[j]) != POLICY_KIND_SCAN)
        policy_document_link_scan(NULL, s->docs[i], s->docs[j]);
  for (size_t i = 0; i < s->len; i++) {
    check_document(rep, e, s->paths[i], s->docs[i]);
    s->docs[i] = NULL;
  }
  s->len = 0;
}

void scan_reports_free(scan_reports *s) {
  for (size_t i = 0; i < s->len; i++) policy_document_free(s->docs[i]);
  free(s->docs);
  free(s->paths);
  free(s->taken);
  memset(s, 0, sizeof *s);
}
