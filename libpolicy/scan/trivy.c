/*
** trivy.c: `trivy image -f json` (SchemaVersion 2) into the scan model.
**
**   { SchemaVersion, CreatedAt, ArtifactName, ArtifactType,
**     Metadata { OS {Family, Name}, ImageID, DiffIDs, RepoDigests,
**                ImageConfig { history, rootfs {diff_ids} } },
**     Results [ { Target, Class, Type,
**                 Vulnerabilities [ { VulnerabilityID, VendorIDs, PkgName,
**                   PkgPath, PkgIdentifier {PURL}, InstalledVersion,
**                   FixedVersion, Status, Severity, SeveritySource, CVSS,
**                   Layer {Digest, DiffID}, PrimaryURL } ] } ] }
**
** Fix states from Status: fixed; affected and fix_deferred are not_fixed;
** will_not_fix and end_of_life are wont_fix; under_investigation, unknown
** and any other word are unknown. Reports older than the Status field
** (Trivy before 0.44) say only FixedVersion: fixed when it is set, else
** unknown (an empty FixedVersion never meant "will not be fixed").
** The CVSS score is the one of the source that gave the severity
** (SeveritySource), else NVD's, else the first: its V3Score, else
** V40Score, else V2Score.
*/
#include <string.h>

#include "scan_int.h"

static enum scan_word fix_state(scan_ctx *c, const pm_value *status, const pm_value *fixed) {
  static const struct { const char *word; enum scan_word state; } states[] = {
      {"fixed", W_FIXED}, {"affected", W_NOT_FIXED}, {"fix_deferred", W_NOT_FIXED},
      {"will_not_fix", W_WONT_FIX}, {"end_of_life", W_WONT_FIX},
      {"under_investigation", W_UNKNOWN}, {"unknown", W_UNKNOWN}};
  if (status == NULL) return fixed ? W_FIXED : W_UNKNOWN;
  for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
    if (strcmp(status->u.str.s, states[i].word) == 0) return states[i].state;
  scan_warning_once(c, status->pos, "unknown Status '%.64s'; its fix state is read as "
                    "\"unknown\" (reported once)", status->u.str.s);
  return W_UNKNOWN;
}

static bool source_score(scan_ctx *c, const pm_value *src, double *out) {
  static const char *const keys[] = {"V3Score", "V40Score", "V2Score"};
  if (src == NULL || src->type != PM_MAP) return false;
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (scan_get_number(c, src, keys[i], out) && *out > 0) return true;
  return false;
}

static bool cvss_score(scan_ctx *c, const pm_value *v, double *out) {
  const pm_value *cvss = scan_get(c, v, "CVSS", PM_MAP);
  if (cvss == NULL) return false;
  const pm_value *source = scan_get_text(c, v, "SeveritySource");
  if (source && source_score(c, pm_get(cvss, source->u.str.s), out)) return true;
  if (source_score(c, pm_get(cvss, "nvd"), out)) return true;
  for (size_t i = 0; i < cvss->u.obj.len; i++)
    if (source_score(c, cvss->u.obj.items[i].val, out)) return true;
  return false;
}

static void read_vuln(scan_ctx *c, const pm_value *v, pm_value *target, const pm_value *type) {
  scan_vuln x;
  memset(&x, 0, sizeof x);
  x.pos = v->pos;
  x.id = scan_get_text(c, v, "VulnerabilityID");
  if (x.id == NULL) {
    scan_error(c, v->pos, "a vulnerability without a VulnerabilityID; left out");
    return;
  }
  const pm_value *vendor = scan_get(c, v, "VendorIDs", PM_ARR);
  if (vendor) x.aliases = scan_string_list(c, vendor, vendor->pos);
  x.severity = scan_get_text(c, v, "Severity");
  x.has_cvss = cvss_score(c, v, &x.cvss);
  x.package.name = scan_get_text(c, v, "PkgName");
  x.package.version = scan_get_text(c, v, "InstalledVersion");
  x.package.type = type;
  x.package.purl = scan_get_text(c, scan_get(c, v, "PkgIdentifier", PM_MAP), "PURL");
  x.package.path = scan_get_text(c, v, "PkgPath");
  const pm_value *fixed = scan_get_text(c, v, "FixedVersion");
  x.fixed_versions = scan_split_versions(c, fixed);
  x.fix_state = fix_state(c, scan_get_text(c, v, "Status"), fixed);
  x.target = target;
  const pm_value *layer = scan_get(c, v, "Layer", PM_MAP);
  x.layer_digest = scan_get_text(c, layer, "Digest");
  x.layer_diff_id = scan_get_text(c, layer, "DiffID");
  x.url = scan_get_text(c, v, "PrimaryURL");
  scan_add_vuln(c, &x);
}

static void read_result(scan_ctx *c, const pm_value *r) {
  pm_value *target = scan_copy(c, scan_get_text(c, r, "Target"));
  const pm_value *type = scan_get_text(c, r, "Type");
  const pm_value *vulns = scan_get(c, r, "Vulnerabilities", PM_ARR);
  for (size_t i = 0; vulns && i < vulns->u.arr.len && !c->oom; i++) {
    const pm_value *v = scan_item_map(c, vulns, i, "Vulnerabilities");
    if (v) read_vuln(c, v, target, type);
  }
}

static const char *artifact_type(const pm_value *t) {
  if (t == NULL) return NULL;
  if (strcmp(t->u.str.s, "container_image") == 0) return "image";
  return t->u.str.s;
}

void scan_read_trivy(scan_ctx *c, const pm_value *root) {
  const pm_value *sv = scan_get(c, root, "SchemaVersion", PM_INT);
  if (sv && sv->u.i != 2)
    scan_warning(c, sv->pos, "SchemaVersion %lld: libpolicy reads Trivy's version 2; "
                 "what it does not know is left out", (long long)sv->u.i);
  const pm_value *md = scan_get(c, root, "Metadata", PM_MAP);
  const pm_value *cfg = scan_get(c, md, "ImageConfig", PM_MAP);
  const pm_value *diff_ids = scan_get(c, md, "DiffIDs", PM_ARR);
  if (diff_ids == NULL) diff_ids = scan_get(c, scan_get(c, cfg, "rootfs", PM_MAP), "diff_ids", PM_ARR);
  scan_image_layers(c, diff_ids, scan_get(c, cfg, "history", PM_ARR));
  const pm_value *os = scan_get(c, md, "OS", PM_MAP);
  scan_meta m;
  memset(&m, 0, sizeof m);
  m.pos = root->pos;
  m.scanner = "trivy";
  m.version = scan_get_text(c, scan_get(c, root, "Trivy", PM_MAP), "Version");
  m.created = scan_get_text(c, root, "CreatedAt");
  m.artifact = scan_get_text(c, root, "ArtifactName");
  m.artifact_type = artifact_type(scan_get_text(c, root, "ArtifactType"));
  m.image_id = scan_get_text(c, md, "ImageID");
  m.repo_digests = scan_get(c, md, "RepoDigests", PM_ARR);
  m.os_family = scan_get_text(c, os, "Family");
  m.os_name = scan_get_text(c, os, "Name");
  scan_set_meta(c, &m);
  const pm_value *results = scan_get(c, root, "Results", PM_ARR);
  for (size_t i = 0; results && i < results->u.arr.len && !c->oom; i++) {
    const pm_value *r = scan_item_map(c, results, i, "Results");
    if (r) read_result(c, r);
  }
}
