/*
** scout.c: `docker scout cves --format sarif` into the scan model.
**
** Docker Scout writes SARIF 2.1.0 with one rule per vulnerability and one
** result per place it was found:
**
**   { runs [ { tool { driver { name: "docker scout", version,
**                rules [ { id, helpUri,
**                          properties { cvssV3_severity, security-severity,
**                                       fixed_version, affected_version,
**                                       purls [...] (older: purl) } } ] } },
**              results [ { ruleId, ruleIndex, message,
**                locations [ { physicalLocation { artifactLocation { uri } } } ] } ],
**              invocations [ { startTimeUtc, endTimeUtc } ] } ] }
**
** Each result is a vulnerability, positioned at the result. Its package is
** the rule's purl (when the rule lists several, the one the result's
** message names, else the one whose name is in its location, else the
** first). fixed_version "not fixed"
** is not_fixed, another text the versions that fix it, none unknown (Scout
** does not say "won't fix"). cvssV3_severity is the severity
** ("UNSPECIFIED": unknown); security-severity, the CVSS score Scout gives
** GitHub, is the score when the severity is known. The report does not
** name the image it scanned, so its artifact is null; the time is the
** first invocation's. SARIF from other tools is an error: their rules are
** not vulnerabilities.
*/
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scan_int.h"

typedef struct scout_run {
  const pm_value *rules;  /* driver.rules */
  pm_value *by_id;        /* scratch: rule id -> rule */
} scout_run;

/* The rule a result refers to: by ruleIndex when it agrees with ruleId,
** else by ruleId. */
static const pm_value *rule_of(scan_ctx *c, const scout_run *run, const pm_value *result,
                               const pm_value *id) {
  const pm_value *index = scan_get(c, result, "ruleIndex", PM_INT);
  if (index && run->rules && index->u.i >= 0 && (uint64_t)index->u.i < run->rules->u.arr.len) {
    const pm_value *r = run->rules->u.arr.items[index->u.i];
    const pm_value *rid = r->type == PM_MAP ? pm_get(r, "id") : NULL;
    if (rid && rid->type == PM_STR && strcmp(rid->u.str.s, id->u.str.s) == 0) return r;
  }
  return pm_getn(run->by_id, id->u.str.s, id->u.str.len);
}

static bool names(const pm_value *text, const char *s, size_t n) {
  if (text == NULL || n == 0) return false;
  const char *hay = text->u.str.s;
  for (size_t i = 0; i + n <= text->u.str.len; i++)
    if (memcmp(hay + i, s, n) == 0) return true;
  return false;
}

/* The purl of the result's package (a scratch string node), or NULL. */
static const pm_value *purl_of(scan_ctx *c, const pm_value *props, const pm_value *message,
                               const pm_value *uri) {
  const pm_value *purls = scan_get(c, props, "purls", PM_ARR);
  if (purls == NULL) return scan_get_text(c, props, "purl");
  const pm_value *first = NULL;
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < purls->u.arr.len; i++) {
      const pm_value *p = purls->u.arr.items[i];
      if (p->type != PM_STR || p->u.str.len == 0) continue;
      if (first == NULL) first = p;
      scan_purl u;
      if (pass == 0 ? names(message, p->u.str.s, p->u.str.len)
                    : scan_purl_split(p->u.str.s, p->u.str.len, &u) && names(uri, u.name, u.name_len))
        return p;
    }
  return first;
}

static void set_package(scan_ctx *c, scan_vuln *x, const pm_value *purl) {
  scan_purl u;
  x->package.purl = purl;
  if (purl == NULL || !scan_purl_split(purl->u.str.s, purl->u.str.len, &u)) return;
  x->package.name = scan_purl_part(c, u.name, u.name_len, purl->pos);
  x->package.type = scan_purl_part(c, u.type, u.type_len, purl->pos);
  x->package.version = scan_purl_part(c, u.version, u.version_len, purl->pos);
}

static void read_result(scan_ctx *c, const scout_run *run, const pm_value *result) {
  scan_vuln x;
  memset(&x, 0, sizeof x);
  x.pos = result->pos;
  x.id = scan_get_text(c, result, "ruleId");
  if (x.id == NULL) {
    scan_error(c, result->pos, "a result without a ruleId; left out");
    return;
  }
  const pm_value *rule = rule_of(c, run, result, x.id);
  if (rule == NULL) {
    scan_error(c, x.id->pos, "the result names the rule '%.64s', which the run does not "
               "define; left out", x.id->u.str.s);
    return;
  }
  const pm_value *props = scan_get(c, rule, "properties", PM_MAP);
  const pm_value *message = scan_get_text(c, scan_get(c, result, "message", PM_MAP), "text");
  const pm_value *locations = scan_get(c, result, "locations", PM_ARR);
  const pm_value *loc = locations && locations->u.arr.len
                            ? scan_item_map(c, locations, 0, "locations") : NULL;
  const pm_value *uri = scan_get_text(
      c, scan_get(c, scan_get(c, loc, "physicalLocation", PM_MAP), "artifactLocation", PM_MAP),
      "uri");
  x.severity = scan_get_text(c, props, "cvssV3_severity");
  const pm_value *score = scan_get_text(c, props, "security-severity");
  bool known = x.severity && strcasecmp(x.severity->u.str.s, "unspecified") != 0;
  if (score && known) {
    char *end;
    x.cvss = strtod(score->u.str.s, &end);
    x.has_cvss = *end == '\0' && x.cvss > 0 && x.cvss <= 10;
  }
  set_package(c, &x, purl_of(c, props, message, uri));
  const pm_value *fixed = scan_get_text(c, props, "fixed_version");
  if (fixed && strcasecmp(fixed->u.str.s, "not fixed") == 0) {
    x.fix_state = W_NOT_FIXED;
  } else {
    x.fix_state = fixed ? W_FIXED : W_UNKNOWN;
    x.fixed_versions = scan_split_versions(c, fixed);
  }
  x.target = scan_copy(c, uri);
  x.url = scan_get_text(c, rule, "helpUri");
  scan_add_vuln(c, &x);
}

static bool is_scout(const pm_value *name) {
  return name && strcasecmp(name->u.str.s, "docker scout") == 0;
}

/* The driver of a run; an error when it is not Docker Scout's. */
static const pm_value *driver_of(scan_ctx *c, const pm_value *run) {
  const pm_value *driver = scan_get(c, scan_get(c, run, "tool", PM_MAP), "driver", PM_MAP);
  const pm_value *name = scan_get_text(c, driver, "name");
  if (is_scout(name)) return driver;
  if (name)
    scan_error(c, name->pos, "a SARIF report from %.64s: libpolicy reads Docker Scout's SARIF "
               "(for Trivy and Grype, give their JSON output: trivy image -f json, grype -o json)",
               name->u.str.s);
  else
    scan_error(c, run->pos, "a SARIF run without tool.driver.name: not a Docker Scout report");
  return NULL;
}

static void read_run(scan_ctx *c, const pm_value *run, const pm_value *driver) {
  scout_run r = {scan_get(c, driver, "rules", PM_ARR), scan_table(c)};
  for (size_t i = 0; r.rules && i < r.rules->u.arr.len && !c->oom; i++) {
    const pm_value *rule = scan_item_map(c, r.rules, i, "rules");
    const pm_value *id = scan_get_text(c, rule, "id");
    if (id && !pm_getn(r.by_id, id->u.str.s, id->u.str.len))
      scan_table_set(c, r.by_id, id->u.str.s, id->u.str.len, (pm_value *)rule);
  }
  const pm_value *results = scan_get(c, run, "results", PM_ARR);
  for (size_t i = 0; results && i < results->u.arr.len && !c->oom; i++) {
    const pm_value *result = scan_item_map(c, results, i, "results");
    if (result) read_result(c, &r, result);
  }
}

void scan_read_scout(scan_ctx *c, const pm_value *root) {
  const pm_value *runs = scan_get(c, root, "runs", PM_ARR);
  const pm_value *first = runs && runs->u.arr.len ? scan_item_map(c, runs, 0, "runs") : NULL;
  const pm_value *driver = first ? driver_of(c, first) : NULL;
  const pm_value *invocations = scan_get(c, first, "invocations", PM_ARR);
  const pm_value *inv = invocations && invocations->u.arr.len
                            ? scan_item_map(c, invocations, 0, "invocations") : NULL;
  scan_meta m;
  memset(&m, 0, sizeof m);
  m.pos = root->pos;
  m.scanner = "docker-scout";
  m.version = scan_get_text(c, driver, "version");
  m.created = scan_get_text(c, inv, "startTimeUtc");
  if (m.created == NULL) m.created = scan_get_text(c, inv, "endTimeUtc");
  m.artifact_type = "image";
  scan_set_meta(c, &m);
  if (runs && runs->u.arr.len == 0)
    scan_error(c, runs->pos, "a SARIF report without runs: it reports nothing, not even "
               "that the image is clean");
  if (driver) read_run(c, first, driver);
  for (size_t i = 1; runs && i < runs->u.arr.len && !c->oom; i++) {
    const pm_value *run = scan_item_map(c, runs, i, "runs");
    const pm_value *d = run ? driver_of(c, run) : NULL;
    if (d) read_run(c, run, d);
  }
}
