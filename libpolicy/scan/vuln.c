/*
** vuln.c: the scan object and the vulnerabilities of a scan document
** (see scan_int.h and docs/model.md).
**
** Severities are normalised to the policy severities: critical, high,
** medium (GitHub's "moderate" too), low; Grype's "negligible" and any
** "info"/"informational" are info; "unknown", "unspecified" (Docker
** Scout), "none" and an absent severity are "unknown", and so is any other
** word, with a warning naming it.
*/
#include <assert.h>
#include <string.h>
#include <strings.h>

#include "../model/ref.h"
#include "scan_int.h"

/* ---- the scan object ------------------------------------------------------ */

/* Whole days from `created` to now (negative for a time in the future), or
** NULL when the report does not say or says it in another format. */
static pm_value *age_days(scan_ctx *c, const pm_value *created) {
  int64_t t;
  if (created == NULL) return NULL;
  if (!scan_parse_time(created->u.str.s, created->u.str.len, &t)) {
    scan_warning(c, created->pos, "'%.64s' is not a date and time libpolicy can read "
                 "(RFC 3339); the report's age is unknown", created->u.str.s);
    return NULL;
  }
  int64_t secs = (int64_t)c->o->now - t;
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  return scan_int(c, days, created->pos);
}

static pm_value *os_object(scan_ctx *c, const scan_meta *m) {
  if (m->os_family == NULL && m->os_name == NULL) return NULL;
  pm_pos pos = m->os_family ? m->os_family->pos : m->os_name->pos;
  pm_value *os = scan_obj(c, PM_SCHEMA_SCAN_OS, pos, 2);
  scan_put(c, os, "family", scan_copy(c, m->os_family));
  scan_put(c, os, "name", scan_copy(c, m->os_name));
  return os;
}

void scan_set_meta(scan_ctx *c, const scan_meta *m) {
  if (c->oom) return;
  c->scanner = scan_strn(c, m->scanner, strlen(m->scanner), pm_nopos);
  pm_value *s = scan_obj(c, PM_SCHEMA_SCAN, m->pos, 14);
  pm_value *artifact = NULL;
  bool image = m->artifact_type && strcmp(m->artifact_type, "image") == 0;
  if (image && m->artifact && !c->oom) {
    const pm_value *n = m->artifact;
    artifact = pm_ref_to_model(c->a, n->u.str.s, n->u.str.len, n->pos);
    if (artifact == NULL) c->oom = true;
  }
  scan_put(c, s, "scanner", c->scanner);
  scan_put(c, s, "scanner_version", scan_copy(c, m->version));
  scan_put(c, s, "created", scan_copy(c, m->created));
  scan_put(c, s, "age_days", age_days(c, m->created));
  scan_put(c, s, "artifact", artifact);
  scan_put(c, s, "artifact_name", scan_copy(c, m->artifact));
  scan_put(c, s, "artifact_type",
           m->artifact_type ? scan_strn(c, m->artifact_type, strlen(m->artifact_type), pm_nopos)
                            : NULL);
  scan_put(c, s, "image_id", scan_copy(c, m->image_id));
  scan_put(c, s, "repo_digests", scan_string_list(c, m->repo_digests, m->pos));
  scan_put(c, s, "os", os_object(c, m));
  scan_put(c, s, "layers", scan_int(c, (int64_t)c->layer_index->u.obj.len, pm_nopos));
  scan_put(c, s, "base_layers", c->base_layers == SCAN_UNKNOWN_COUNT
                                    ? NULL
                                    : scan_int(c, (int64_t)c->base_layers, pm_nopos));
  scan_put(c, s, "ignored_by_scanner", scan_int(c, m->ignored, pm_nopos));
  scan_put(c, s, "shipped_by", scan_arr(c, pm_nopos));
  if (!c->oom && (!pm_set(c->a, c->doc, "scan", s) ||
                  !pm_set(c->a, c->doc, "vulnerabilities", c->vulns)))
    c->oom = true;
  c->scan = s;
}

/* ---- severities ------------------------------------------------------------ */

static pm_value *severity(scan_ctx *c, const pm_value *word) {
  static const struct { const char *name; enum scan_word w; } names[] = {
      {"critical", W_CRITICAL}, {"high", W_HIGH}, {"medium", W_MEDIUM},
      {"moderate", W_MEDIUM}, {"low", W_LOW}, {"negligible", W_INFO},
      {"info", W_INFO}, {"informational", W_INFO}, {"unknown", W_UNKNOWN},
      {"unspecified", W_UNKNOWN}, {"none", W_UNKNOWN}};
  if (word == NULL) return c->words[W_UNKNOWN];
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (word->u.str.len == strlen(names[i].name) &&
        strncasecmp(word->u.str.s, names[i].name, word->u.str.len) == 0)
      return c->words[names[i].w];
  scan_warning_once(c, word->pos, "unknown severity '%.64s'; read as \"unknown\" (reported once)",
                    word->u.str.s);
  return c->words[W_UNKNOWN];
}

/* ---- shared packages and layers ------------------------------------------ */

/* A copy without a position: the node is shared by many vulnerabilities. */
static pm_value *unplaced(scan_ctx *c, const pm_value *v) {
  return v ? scan_strn(c, v->u.str.s, v->u.str.len, pm_nopos) : NULL;
}

static void key_part(pol_buf *k, const pm_value *v) {
  if (v) pol_buf_append(k, v->u.str.s, v->u.str.len);
  pol_buf_putc(k, '\0');
}

/* One package object per distinct (name, version, type, purl, path). */
static pm_value *package(scan_ctx *c, const scan_package *p) {
  pol_buf k = POL_BUF_INIT;
  key_part(&k, p->name);
  key_part(&k, p->version);
  key_part(&k, p->type);
  key_part(&k, p->purl);
  key_part(&k, p->path);
  pm_value *pkg = NULL;
  if (k.oom) c->oom = true;
  else if ((pkg = pm_getn(c->packages, k.data, k.len)) == NULL && !c->oom) {
    pkg = scan_obj(c, PM_SCHEMA_VULNERABLE_PACKAGE, pm_nopos, 5);
    scan_put(c, pkg, "name", unplaced(c, p->name));
    scan_put(c, pkg, "version", unplaced(c, p->version));
    scan_put(c, pkg, "type", unplaced(c, p->type));
    scan_put(c, pkg, "purl", unplaced(c, p->purl));
    scan_put(c, pkg, "path", unplaced(c, p->path));
    scan_table_set(c, c->packages, k.data, k.len, pkg);
  }
  pol_buf_free(&k);
  return pkg;
}

/* The layer's index among the image's layers, or -1 when unknown. */
static int64_t layer_index(scan_ctx *c, const pm_value *diff_id) {
  const pm_value *i = diff_id ? pm_getn(c->layer_index, diff_id->u.str.s, diff_id->u.str.len) : NULL;
  return i ? i->u.i : -1;
}

/* One layer object per distinct layer: {digest, diff_id, index}. */
static pm_value *layer(scan_ctx *c, const pm_value *digest, const pm_value *diff_id) {
  const pm_value *key = diff_id ? diff_id : digest;
  if (key == NULL || c->oom) return NULL;
  pm_value *l = pm_getn(c->layers, key->u.str.s, key->u.str.len);
  if (l) return l;
  int64_t index = layer_index(c, diff_id);
  l = scan_obj(c, PM_SCHEMA_LAYER, pm_nopos, 3);
  scan_put(c, l, "digest", unplaced(c, digest));
  scan_put(c, l, "diff_id", unplaced(c, diff_id));
  scan_put(c, l, "index", index >= 0 ? scan_int(c, index, pm_nopos) : NULL);
  scan_table_set(c, c->layers, key->u.str.s, key->u.str.len, l);
  return l;
}

/* true when the layer came with the base image, false when the image's
** own build added it, NULL when the report cannot tell. */
static pm_value *base_layer(scan_ctx *c, const pm_value *diff_id) {
  int64_t index = layer_index(c, diff_id);
  if (index < 0 || c->base_layers == SCAN_UNKNOWN_COUNT) return NULL;
  return scan_bool(c, (size_t)index < c->base_layers);
}

/* ---- vulnerabilities ------------------------------------------------------- */

void scan_add_vuln(scan_ctx *c, const scan_vuln *v) {
  assert(v->id && v->id->type == PM_STR && v->id->u.str.len > 0);
  assert(v->fix_state == W_FIXED || v->fix_state == W_NOT_FIXED ||
         v->fix_state == W_WONT_FIX || v->fix_state == W_UNKNOWN);
  if (c->oom) return;
  pm_value *o = scan_obj(c, PM_SCHEMA_VULNERABILITY, v->pos, 12);
  scan_put(c, o, "id", scan_copy(c, v->id));
  scan_put(c, o, "aliases", v->aliases ? v->aliases : scan_arr(c, pm_nopos));
  scan_put(c, o, "severity", severity(c, v->severity));
  scan_put(c, o, "cvss", v->has_cvss ? scan_num(c, v->cvss, pm_nopos) : NULL);
  scan_put(c, o, "package", package(c, &v->package));
  scan_put(c, o, "fixed_versions", v->fixed_versions ? v->fixed_versions : scan_arr(c, pm_nopos));
  scan_put(c, o, "fix_state", c->words[v->fix_state]);
  scan_put(c, o, "target", v->target);
  scan_put(c, o, "layer", layer(c, v->layer_digest, v->layer_diff_id));
  scan_put(c, o, "base_layer", base_layer(c, v->layer_diff_id));
  scan_put(c, o, "url", scan_copy(c, v->url));
  scan_put(c, o, "scanner", c->scanner);
  scan_push(c, c->vulns, o);
}

pm_value *scan_split_versions(scan_ctx *c, const pm_value *text) {
  pm_value *out = scan_arr(c, text ? text->pos : pm_nopos);
  const char *s = text ? text->u.str.s : "";
  size_t n = text ? text->u.str.len : 0;
  for (size_t i = 0; i < n && !c->oom;) {
    while (i < n && (s[i] == ',' || s[i] == ' ')) i++;
    size_t start = i;
    while (i < n && s[i] != ',') i++;
    size_t end = i;
    while (end > start && s[end - 1] == ' ') end--;
    if (end > start) scan_push(c, out, scan_strn(c, s + start, end - start, text->pos));
  }
  return out;
}
