/*
** exceptions.c: vulnerabilities accepted for a while, with a reason
** (the `exceptions:` key of .policy.yaml; docs/vulnerabilities.md).
**
**   exceptions:
**     - id: CVE-2023-44487           # a vulnerability id, or one of its aliases
**       package: golang.org/x/net    # optional: only in this package (name or purl)
**       reason: we do not serve HTTP/2 from this image
**       expires: 2027-03-31          # YYYY-MM-DD; required
**
** reason and expires are required: an exception nobody can explain, or
** that never comes up for review again, is how a gate goes quiet. An
** exception whose date has passed is a warning and suppresses nothing.
** Each scan report parsed afterwards has the vulnerabilities an exception
** covers marked (`exception`), and the engine moves the findings about
** them to the report's suppressed list, with the exception's reason.
*/
#include "exceptions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../core/alloc.h"
#include "internal.h"

bool api_date_passed(const char *date) {
  time_t now = time(NULL);
  struct tm tm;
  char today[16];
  if (gmtime_r(&now, &tm) == NULL) return false;
  strftime(today, sizeof today, "%Y-%m-%d", &tm);
  return strcmp(date, today) < 0;
}

static bool is_date(const pm_value *v) {
  if (v == NULL || v->type != PM_STR || v->u.str.len != 10) return false;
  const char *s = v->u.str.s;
  for (int i = 0; i < 10; i++)
    if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) return false;
  int month = atoi(s + 5), day = atoi(s + 8);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

typedef struct loader {
  policy_engine *e;
  const char *path;
  int status;
} loader;

static void fail(loader *l, const pm_value *at, const char *msg) {
  if (l->status != POLICY_OK) return;
  l->status = api_fail(l->e, POLICY_ERR_PARSE, "%s:%u:%u: %s", l->path, (unsigned)at->pos.line,
                       (unsigned)at->pos.col, msg);
}

static const pm_value *text(loader *l, const pm_value *entry, const char *key, bool required) {
  const pm_value *v = pm_get(entry, key);
  if (v == NULL && !required) return NULL;
  if (v == NULL || v->type != PM_STR || v->u.str.len == 0) {
    char msg[160];
    snprintf(msg, sizeof msg, "an exception needs %s%s", key,
             !strcmp(key, "reason") ? ": why the vulnerability is accepted"
             : !strcmp(key, "id") ? ": the vulnerability id (CVE-..., GHSA-...)"
                                  : ": a non-empty string");
    fail(l, v ? v : entry, msg);
    return NULL;
  }
  return v;
}

/* Validates one entry; false when it is malformed (the engine's message
** says why). */
static bool check_entry(loader *l, const pm_value *it) {
  if (it->type != PM_MAP) {
    fail(l, it, "each exception must be a mapping with id, reason and expires "
         "(and optionally package)");
    return false;
  }
  for (size_t k = 0; k < it->u.obj.len; k++) {
    const char *key = it->u.obj.items[k].key;
    if (strcmp(key, "id") && strcmp(key, "package") && strcmp(key, "reason") && strcmp(key, "expires")) {
      char msg[200];
      snprintf(msg, sizeof msg, "unknown key '%.64s' in an exception (id, package, reason, expires)", key);
      fail(l, it->u.obj.items[k].val, msg);
      return false;
    }
  }
  text(l, it, "id", true);
  text(l, it, "package", false);
  text(l, it, "reason", true);
  const pm_value *expires = pm_get(it, "expires");
  if (l->status == POLICY_OK && !is_date(expires))
    fail(l, expires ? expires : it, "an exception needs expires: the date it ends, written "
         "YYYY-MM-DD");
  return l->status == POLICY_OK;
}

/* Without positions: they are lines of the configuration, not of a report. */
static pm_value *copy_text(pol_arena *a, const pm_value *v) {
  return v ? pm_strn(a, v->u.str.s, v->u.str.len, pm_nopos) : pm_null(a, pm_nopos);
}

static pm_value *stored(pol_arena *a, const char *path, const pm_value *it) {
  pm_value *x = pm_obj_typed(a, PM_SCHEMA_VULNERABILITY_EXCEPTION, pm_nopos);
  if (x == NULL || !pm_set(a, x, "id", copy_text(a, pm_get(it, "id"))) ||
      !pm_set(a, x, "package", copy_text(a, pm_get(it, "package"))) ||
      !pm_set(a, x, "reason", copy_text(a, pm_get(it, "reason"))) ||
      !pm_set(a, x, "expires", copy_text(a, pm_get(it, "expires"))) ||
      !pm_set(a, x, "file", pm_str(a, path, pm_nopos)) ||
      !pm_set(a, x, "line", pm_int(a, it->pos.line, pm_nopos)))
    return NULL;
  return x;
}

int api_exceptions_load(policy_engine *e, const char *path, const pm_value *list,
                        pol_buf *warnings) {
  loader l = {e, path, POLICY_OK};
  if (list->type == PM_NULL) return POLICY_OK;
  if (list->type != PM_ARR) {
    fail(&l, list, "exceptions must be a list of {id, package, reason, expires}");
    return l.status;
  }
  for (size_t i = 0; i < list->u.arr.len; i++)
    if (!check_entry(&l, list->u.arr.items[i])) return l.status;
  pol_arena *a = &e->exceptions_arena;
  if (e->exceptions == NULL && (e->exceptions = pm_arr(a, pm_nopos)) == NULL)
    return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < list->u.arr.len; i++) {
    const pm_value *it = list->u.arr.items[i], *pkg = pm_get(it, "package");
    const char *id = pm_get(it, "id")->u.str.s, *expires = pm_get(it, "expires")->u.str.s;
    if (api_date_passed(expires)) {
      pol_buf_printf(warnings, "%s:%u:%u: the exception for %s%s%s expired on %s; it no longer "
                     "applies\n", path, (unsigned)it->pos.line, (unsigned)it->pos.col, id,
                     pkg ? " in " : "", pkg ? pkg->u.str.s : "", expires);
      continue;
    }
    if (!pm_push(a, e->exceptions, stored(a, path, it)))
      return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  }
  return POLICY_OK;
}

static bool same_id(const pm_value *v, const char *id) {
  return v && v->type == PM_STR && strcasecmp(v->u.str.s, id) == 0;
}

static bool covers(const pm_value *x, const pm_value *vuln) {
  const char *id = pm_get(x, "id")->u.str.s;
  bool named = same_id(pm_get(vuln, "id"), id);
  const pm_value *aliases = pm_get(vuln, "aliases");
  for (size_t i = 0; !named && aliases && aliases->type == PM_ARR && i < aliases->u.arr.len; i++)
    named = same_id(aliases->u.arr.items[i], id);
  if (!named) return false;
  const pm_value *want = pm_get(x, "package");
  if (want == NULL || want->type != PM_STR) return true;
  const pm_value *pkg = pm_get(vuln, "package");
  const pm_value *name = pm_get(pkg, "name"), *purl = pm_get(pkg, "purl");
  return (name && name->type == PM_STR && strcmp(name->u.str.s, want->u.str.s) == 0) ||
         (purl && purl->type == PM_STR && strcmp(purl->u.str.s, want->u.str.s) == 0);
}

bool api_exceptions_apply(const policy_engine *e, policy_document *doc) {
  const pm_value *list = e->exceptions;
  pm_value *vulns = doc->root ? pm_get(doc->root, "vulnerabilities") : NULL;
  if (list == NULL || list->u.arr.len == 0 || vulns == NULL) return true;
  /* Each exception is copied into the document once, when it first applies. */
  pm_value **copies = pol_calloc(list->u.arr.len, sizeof *copies);
  bool ok = copies != NULL;
  for (size_t v = 0; ok && v < vulns->u.arr.len; v++) {
    pm_value *vuln = vulns->u.arr.items[v];
    for (size_t k = 0; ok && k < list->u.arr.len; k++) {
      if (!covers(list->u.arr.items[k], vuln)) continue;
      if (copies[k] == NULL) copies[k] = pm_clone(&doc->arena, list->u.arr.items[k]);
      ok = copies[k] && pm_set(&doc->arena, vuln, "exception", copies[k]);
      break; /* the first exception that covers it is the one reported */
    }
  }
  pol_free(copies);
  return ok;
}
