/*
** grype.c: `grype -o json` into the scan model.
**
**   { matches [ { vulnerability { id, dataSource, severity, cvss [...],
**                                 fix { versions, state } },
**                 relatedVulnerabilities [ { id, cvss [...] } ],
**                 artifact { name, version, type, purl,
**                            locations [ { path, layerID } ] } } ],
**     ignoredMatches [...],
**     source { type, target }, distro { name, version },
**     descriptor { name, version, timestamp } }
**
** fix.state is Grype's own: fixed, not-fixed, wont-fix, unknown (an empty
** state too). The CVSS score is the vulnerability's own (a "Primary" entry
** first), else that of a related record (NVD's, for a distribution's
** advisory). Related records' ids are the aliases. The target is the
** first location's path; its layerID is the layer's diff ID.
**
** For an image, source.target holds the image: userInput (as the user
** named it, possibly with a "docker:"-like scheme), tags, imageID,
** repoDigests, layers (diff IDs in order) and config, the image config as
** base64 JSON, whose history tells the base image's layers (history.c).
** Matches Grype itself ignored (ignoredMatches) are counted, not modelled.
*/
#include <string.h>

#include "../core/base64.h"
#include "scan_int.h"

static enum scan_word fix_state(scan_ctx *c, const pm_value *state) {
  static const struct { const char *word; enum scan_word state; } states[] = {
      {"fixed", W_FIXED}, {"not-fixed", W_NOT_FIXED}, {"wont-fix", W_WONT_FIX},
      {"unknown", W_UNKNOWN}};
  if (state == NULL) return W_UNKNOWN;
  for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
    if (strcmp(state->u.str.s, states[i].word) == 0) return states[i].state;
  scan_warning_once(c, state->pos, "unknown fix state '%.64s'; read as \"unknown\" "
                    "(reported once)", state->u.str.s);
  return W_UNKNOWN;
}

/* The base score of a cvss list: a Primary entry first, else any. */
static bool list_score(scan_ctx *c, const pm_value *list, double *out) {
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; list && i < list->u.arr.len; i++) {
      const pm_value *e = list->u.arr.items[i];
      if (e->type != PM_MAP) continue;
      const pm_value *type = pm_get(e, "type");
      bool primary = type && type->type == PM_STR && strcmp(type->u.str.s, "Primary") == 0;
      if (pass == 0 && !primary) continue;
      if (scan_get_number(c, scan_get(c, e, "metrics", PM_MAP), "baseScore", out) && *out > 0)
        return true;
    }
  return false;
}

static bool cvss_score(scan_ctx *c, const pm_value *vuln, const pm_value *related, double *out) {
  if (list_score(c, scan_get(c, vuln, "cvss", PM_ARR), out)) return true;
  for (size_t i = 0; related && i < related->u.arr.len; i++) {
    const pm_value *r = related->u.arr.items[i];
    if (r->type == PM_MAP && list_score(c, scan_get(c, r, "cvss", PM_ARR), out)) return true;
  }
  return false;
}

static pm_value *aliases(scan_ctx *c, const pm_value *id, const pm_value *related) {
  pm_value *out = scan_arr(c, related ? related->pos : pm_nopos);
  for (size_t i = 0; related && i < related->u.arr.len && !c->oom; i++) {
    const pm_value *r = related->u.arr.items[i];
    const pm_value *rid = r->type == PM_MAP ? scan_get_text(c, r, "id") : NULL;
    if (rid == NULL || strcmp(rid->u.str.s, id->u.str.s) == 0) continue;
    bool seen = false;
    for (size_t k = 0; k < out->u.arr.len && !seen; k++)
      seen = strcmp(out->u.arr.items[k]->u.str.s, rid->u.str.s) == 0;
    if (!seen) scan_push(c, out, scan_copy(c, rid));
  }
  return out;
}

static void read_match(scan_ctx *c, const pm_value *m) {
  const pm_value *vuln = scan_get(c, m, "vulnerability", PM_MAP);
  const pm_value *related = scan_get(c, m, "relatedVulnerabilities", PM_ARR);
  const pm_value *art = scan_get(c, m, "artifact", PM_MAP);
  scan_vuln x;
  memset(&x, 0, sizeof x);
  x.pos = m->pos;
  x.id = scan_get_text(c, vuln, "id");
  if (x.id == NULL) {
    scan_error(c, m->pos, "a match without vulnerability.id; left out");
    return;
  }
  x.aliases = aliases(c, x.id, related);
  x.severity = scan_get_text(c, vuln, "severity");
  x.has_cvss = cvss_score(c, vuln, related, &x.cvss);
  const pm_value *fix = scan_get(c, vuln, "fix", PM_MAP);
  const pm_value *versions = scan_get(c, fix, "versions", PM_ARR);
  x.fixed_versions = scan_string_list(c, versions, fix ? fix->pos : m->pos);
  x.fix_state = fix_state(c, scan_get_text(c, fix, "state"));
  x.package.name = scan_get_text(c, art, "name");
  x.package.version = scan_get_text(c, art, "version");
  x.package.type = scan_get_text(c, art, "type");
  x.package.purl = scan_get_text(c, art, "purl");
  const pm_value *locations = scan_get(c, art, "locations", PM_ARR);
  const pm_value *loc = locations && locations->u.arr.len
                            ? scan_item_map(c, locations, 0, "locations") : NULL;
  x.target = scan_copy(c, scan_get_text(c, loc, "path"));
  x.layer_diff_id = scan_get_text(c, loc, "layerID");
  x.url = scan_get_text(c, vuln, "dataSource");
  scan_add_vuln(c, &x);
}

/* The image config embedded in source.target (base64 JSON), parsed. */
static const pm_value *image_config(scan_ctx *c, const pm_value *target) {
  const pm_value *b64 = scan_get_text(c, target, "config");
  if (b64 == NULL || c->oom) return NULL;
  char *text = pol_arena_alloc(&c->scratch, b64->u.str.len + 1);
  size_t n;
  if (text == NULL) {
    c->oom = true;
    return NULL;
  }
  if (!pol_base64_decode(b64->u.str.s, b64->u.str.len, text, &n)) {
    scan_warning(c, b64->pos, "source.target.config is not base64; the base image's "
                 "layers are unknown");
    return NULL;
  }
  const pm_value *cfg = scan_parse_json(c, text, n, &b64->pos);
  if (cfg && cfg->type != PM_MAP) {
    scan_warning(c, b64->pos, "source.target.config is not an image config; the base "
                 "image's layers are unknown");
    return NULL;
  }
  return cfg;
}

/* The diff IDs of source.target.layers, in order. */
static pm_value *layer_list(scan_ctx *c, const pm_value *target) {
  const pm_value *layers = scan_get(c, target, "layers", PM_ARR);
  pm_value *ids = layers ? pm_arr(&c->scratch, layers->pos) : NULL;
  if (layers && ids == NULL) c->oom = true;
  for (size_t i = 0; ids && i < layers->u.arr.len && !c->oom; i++) {
    const pm_value *l = scan_item_map(c, layers, i, "layers");
    const pm_value *d = scan_get_text(c, l, "digest");
    if (d && !pm_push(&c->scratch, ids, (pm_value *)d)) c->oom = true;
  }
  return ids;
}

/* "docker:app:1.2" names the image app:1.2 from the docker daemon; an
** archive or a directory is not an image reference. */
static const char *image_name(const char *input, bool *is_ref) {
  static const char *const image_schemes[] = {"docker:", "registry:", "podman:", "containerd:"};
  static const char *const other_schemes[] = {"docker-archive:", "oci-archive:", "oci-dir:",
                                              "singularity:", "dir:", "file:"};
  *is_ref = true;
  for (size_t i = 0; i < sizeof image_schemes / sizeof image_schemes[0]; i++)
    if (strncmp(input, image_schemes[i], strlen(image_schemes[i])) == 0)
      return input + strlen(image_schemes[i]);
  for (size_t i = 0; i < sizeof other_schemes / sizeof other_schemes[0]; i++)
    if (strncmp(input, other_schemes[i], strlen(other_schemes[i])) == 0) *is_ref = false;
  return input;
}

static void read_source(scan_ctx *c, const pm_value *root, scan_meta *m) {
  const pm_value *source = scan_get(c, root, "source", PM_MAP);
  const pm_value *type = scan_get_text(c, source, "type");
  const pm_value *target = source ? pm_get(source, "target") : NULL;
  m->artifact_type = type ? type->u.str.s : NULL;
  if (target && target->type == PM_STR && target->u.str.len) {
    m->artifact = target; /* a directory or a file */
    return;
  }
  if (target == NULL || target->type != PM_MAP) return;
  const pm_value *input = scan_get_text(c, target, "userInput");
  bool is_ref = false;
  const char *name = input ? image_name(input->u.str.s, &is_ref) : NULL;
  if (!is_ref) {
    const pm_value *tags = scan_get(c, target, "tags", PM_ARR);
    const pm_value *tag = tags && tags->u.arr.len ? tags->u.arr.items[0] : NULL;
    m->artifact = tag && tag->type == PM_STR && tag->u.str.len ? tag : NULL;
  } else if (name != input->u.str.s) {
    pm_value *n = pm_str(&c->scratch, name, input->pos);
    if (n == NULL) c->oom = true;
    m->artifact = n;
  } else {
    m->artifact = input;
  }
  m->image_id = scan_get_text(c, target, "imageID");
  m->repo_digests = scan_get(c, target, "repoDigests", PM_ARR);
  const pm_value *cfg = image_config(c, target);
  const pm_value *rootfs = scan_get(c, cfg, "rootfs", PM_MAP);
  const pm_value *diff_ids = scan_get(c, rootfs, "diff_ids", PM_ARR);
  scan_image_layers(c, diff_ids ? diff_ids : layer_list(c, target),
                    scan_get(c, cfg, "history", PM_ARR));
}

void scan_read_grype(scan_ctx *c, const pm_value *root) {
  const pm_value *descriptor = scan_get(c, root, "descriptor", PM_MAP);
  const pm_value *distro = scan_get(c, root, "distro", PM_MAP);
  const pm_value *ignored = scan_get(c, root, "ignoredMatches", PM_ARR);
  scan_meta m;
  memset(&m, 0, sizeof m);
  m.pos = root->pos;
  m.scanner = "grype";
  m.version = scan_get_text(c, descriptor, "version");
  m.created = scan_get_text(c, descriptor, "timestamp");
  m.os_family = scan_get_text(c, distro, "name");
  m.os_name = scan_get_text(c, distro, "version");
  m.ignored = ignored ? (int64_t)ignored->u.arr.len : 0;
  read_source(c, root, &m);
  scan_set_meta(c, &m);
  const pm_value *matches = scan_get(c, root, "matches", PM_ARR);
  for (size_t i = 0; matches && i < matches->u.arr.len && !c->oom; i++) {
    const pm_value *mt = scan_item_map(c, matches, i, "matches");
    if (mt) read_match(c, mt);
  }
}
