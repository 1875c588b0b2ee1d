/*
** test_scan.c: vulnerability scan reports (libpolicy/scan): Trivy, Grype
** and Docker Scout reports into the model, told by their content; several
** targets, one id in several packages, missing fields, unknown
** severities; wrong types, truncated JSON and non-reports as errors at
** their positions; a 100k-vulnerability report in linear memory and
** allocations; links to Compose services; exceptions with expiry; rules
** over each vulnerability; allocation failure at every allocation.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model_path.h"
#include "api/internal.h"
#include "core/alloc.h"
#include "core/base64.h"
#include "policy/policy.h"
#include "scan/scan.h"
#include "scan/scan_int.h"

static pol_arena arena;
static policy_engine *engine;
static char dir[] = "/tmp/policy-scan-XXXXXX";
static const char *text; /* the last report built, for positions */

#define IMAGE_ID "sha256:2f1e06ce0b2fa8b3c3b0e6c1a3a3cbb0e4f5e7b8d9c0a1b2c3d4e5f60718293a"
#define DIGEST "sha256:8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4"

/* 2026-12-01T00:00:00Z */
#define NOW ((time_t)1796083200)

static void setup(void) {
  cr_assert_eq(policy_engine_new(&engine), POLICY_OK);
  cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void) {
  pol_arena_free(&arena);
  policy_engine_free(engine);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(scan, .init = setup, .fini = teardown, .timeout = 300);

static pm_value *build(const char *t) {
  scan_opts o = {1000000, 1u << 30, NOW};
  pm_value *doc = NULL;
  text = t;
  cr_assert_eq(scan_build(&arena, "r.json", t, strlen(t), &o, &doc), SCAN_OK);
  cr_assert_not_null(doc);
  cr_assert_str_eq(s(doc, "kind"), "scan");
  return doc;
}

/* Line and column of the k-th occurrence of needle in the last report. */
static void where(const char *needle, int k, uint32_t *line, uint32_t *col) {
  const char *p = text;
  for (int j = 0; j <= k; j++) {
    p = strstr(j ? p + 1 : p, needle);
    cr_assert_not_null(p, "'%s' not in the report", needle);
  }
  *line = 1;
  *col = 1;
  for (const char *q = text; q < p; q++) {
    if (*q == '\n') { (*line)++; *col = 1; }
    else if ((*q & 0xC0) != 0x80) (*col)++;
  }
}

static void at(pm_value *v, const char *path, const char *needle, int k) {
  pm_value *x = get(v, path);
  cr_assert_not_null(x, "%s missing", path);
  uint32_t line, col;
  where(needle, k, &line, &col);
  cr_assert(x->pos.line == line && x->pos.col == col, "%s is at %u:%u, expected %u:%u ('%s')",
            path, x->pos.line, x->pos.col, line, col, needle);
}

static long diag(pm_value *doc, const char *list, const char *sub) {
  pm_value *l = pm_get(doc, list);
  for (size_t k = 0; l && k < l->u.arr.len; k++)
    if (strstr(s(l->u.arr.items[k], "message"), sub)) return (long)k;
  return -1;
}

static size_t count(pm_value *doc, const char *list, const char *sub) {
  pm_value *l = pm_get(doc, list);
  size_t n = 0;
  for (size_t k = 0; l && k < l->u.arr.len; k++)
    if (strstr(s(l->u.arr.items[k], "message"), sub)) n++;
  return n;
}

/* An error (or warning) containing sub, at the k-th occurrence of needle. */
static void has_diag(pm_value *doc, const char *list, const char *sub, const char *needle, int k) {
  long i = diag(doc, list, sub);
  cr_assert(i >= 0, "no %s containing '%s'", list, sub);
  pm_value *e = get(doc, list)->u.arr.items[i];
  if (needle) {
    uint32_t line, col;
    where(needle, k, &line, &col);
    cr_assert(e->pos.line == line && e->pos.col == col, "'%s' at %u:%u, expected %u:%u", sub,
              e->pos.line, e->pos.col, line, col);
  }
}

static const char *write_file(const char *name, const char *body) {
  static char paths[4][256];
  static int next;
  char *p = paths[next++ % 4];
  snprintf(p, sizeof paths[0], "%s/%s", dir, name);
  FILE *f = fopen(p, "w");
  cr_assert_not_null(f);
  fputs(body, f);
  fclose(f);
  return p;
}

static const char *source(const char *rel) {
  static char path[512];
  const char *src = getenv("POLICY_SOURCE_DIR");
  snprintf(path, sizeof path, "%s/%s", src ? src : ".", rel);
  return path;
}

/* ---- Trivy ------------------------------------------------------------------ */

static const char trivy_report[] =
    "{\n"
    "  \"SchemaVersion\": 2,\n"
    "  \"CreatedAt\": \"2026-11-21T10:00:00.5Z\",\n"
    "  \"ArtifactName\": \"shop/web:1.2\",\n"
    "  \"ArtifactType\": \"container_image\",\n"
    "  \"Metadata\": {\n"
    "    \"OS\": {\"Family\": \"alpine\", \"Name\": \"3.20.3\"},\n"
    "    \"ImageID\": \"" IMAGE_ID "\",\n"
    "    \"DiffIDs\": [\"sha256:l0\", \"sha256:l1\", \"sha256:l2\"],\n"
    "    \"RepoDigests\": [\"shop/web@" DIGEST "\"],\n"
    "    \"ImageConfig\": {\"history\": [\n"
    "      {\"created_by\": \"/bin/sh -c #(nop) ADD file:x in / \"},\n"
    "      {\"created_by\": \"/bin/sh -c #(nop)  CMD [\\\"/bin/sh\\\"]\", \"empty_layer\": true},\n"
    "      {\"created_by\": \"RUN /bin/sh -c apk add --no-cache curl # buildkit\"},\n"
    "      {\"created_by\": \"COPY app /app # buildkit\"},\n"
    "      {\"created_by\": \"CMD [\\\"/app/run\\\"]\", \"empty_layer\": true}\n"
    "    ]}\n"
    "  },\n"
    "  \"Results\": [\n"
    "    {\"Target\": \"shop/web:1.2 (alpine 3.20.3)\", \"Class\": \"os-pkgs\", \"Type\": \"alpine\",\n"
    "     \"Vulnerabilities\": [\n"
    "      {\"VulnerabilityID\": \"CVE-2024-0001\", \"VendorIDs\": [\"ALPINE-1\"], \"PkgName\": \"libcrypto3\",\n"
    "       \"PkgIdentifier\": {\"PURL\": \"pkg:apk/alpine/libcrypto3@3.3.1-r0\"},\n"
    "       \"InstalledVersion\": \"3.3.1-r0\", \"FixedVersion\": \"3.3.2-r0\", \"Status\": \"fixed\",\n"
    "       \"Layer\": {\"Digest\": \"sha256:g0\", \"DiffID\": \"sha256:l0\"}, \"SeveritySource\": \"nvd\",\n"
    "       \"PrimaryURL\": \"https://avd.aquasec.com/nvd/cve-2024-0001\", \"Severity\": \"CRITICAL\",\n"
    "       \"CVSS\": {\"redhat\": {\"V3Score\": 7.0}, \"nvd\": {\"V2Score\": 5.0, \"V3Score\": 9.1}}},\n"
    "      {\"VulnerabilityID\": \"CVE-2024-0001\", \"PkgName\": \"libssl3\", \"InstalledVersion\": \"3.3.1-r0\",\n"
    "       \"FixedVersion\": \"3.3.2-r0\", \"Status\": \"fixed\", \"Severity\": \"CRITICAL\",\n"
    "       \"Layer\": {\"DiffID\": \"sha256:l0\"}},\n"
    "      {\"VulnerabilityID\": \"CVE-2024-0002\", \"PkgName\": \"curl\", \"InstalledVersion\": \"8.9.0-r0\",\n"
    "       \"Status\": \"will_not_fix\", \"Severity\": \"HIGH\", \"Layer\": {\"DiffID\": \"sha256:l1\"}},\n"
    "      {\"VulnerabilityID\": \"CVE-2024-0003\", \"PkgName\": \"curl\", \"Status\": \"fix_deferred\", \"Severity\": \"MEDIUM\"},\n"
    "      {\"VulnerabilityID\": \"CVE-2024-0004\", \"PkgName\": \"busybox\", \"Status\": \"end_of_life\", \"Severity\": \"LOW\"},\n"
    "      {\"VulnerabilityID\": \"CVE-2024-0005\", \"PkgName\": \"musl\", \"Status\": \"under_investigation\", \"Severity\": \"UNKNOWN\"},\n"
    "      {\"VulnerabilityID\": \"CVE-2024-0006\", \"PkgName\": \"zlib\", \"Status\": \"affected\", \"Severity\": \"moderate\"},\n"
    "      {\"VulnerabilityID\": \"CVE-2024-0007\", \"PkgName\": \"zlib\", \"Severity\": \"BOGUS\"},\n"
    "      {\"VulnerabilityID\": \"CVE-2024-0008\", \"PkgName\": \"zlib\", \"FixedVersion\": \"1.3.1-r1\", \"Severity\": \"BOGUS\"}\n"
    "    ]},\n"
    "    {\"Target\": \"app/package-lock.json\", \"Class\": \"lang-pkgs\", \"Type\": \"npm\",\n"
    "     \"Vulnerabilities\": [\n"
    "      {\"VulnerabilityID\": \"GHSA-aaaa-bbbb-cccc\", \"PkgName\": \"lodash\", \"InstalledVersion\": \"4.17.20\",\n"
    "       \"FixedVersion\": \"4.17.21, 5.0.1\", \"Status\": \"fixed\", \"Severity\": \"HIGH\",\n"
    "       \"Layer\": {\"DiffID\": \"sha256:l2\"}, \"CVSS\": {\"ghsa\": {\"V40Score\": 8.7}}}\n"
    "    ]},\n"
    "    {\"Target\": \"usr/lib/go/bin/tool\", \"Class\": \"lang-pkgs\", \"Type\": \"gobinary\", \"Vulnerabilities\": null},\n"
    "    {\"Target\": \"etc/ssl\", \"Class\": \"secret\"}\n"
    "  ]\n"
    "}\n";

Test(scan, trivy_scan_object) {
  pm_value *doc = build(trivy_report);
  cr_assert_eq(len(doc, "errors"), 0);
  cr_assert_str_eq(s(doc, "scan.scanner"), "trivy");
  cr_assert(is_null(doc, "scan.scanner_version"));
  cr_assert_str_eq(s(doc, "scan.created"), "2026-11-21T10:00:00.5Z");
  cr_assert_eq(i(doc, "scan.age_days"), 9);
  cr_assert_str_eq(s(doc, "scan.artifact.registry"), "docker.io");
  cr_assert_str_eq(s(doc, "scan.artifact.repository"), "shop/web");
  cr_assert_str_eq(s(doc, "scan.artifact.tag"), "1.2");
  cr_assert_str_eq(s(doc, "scan.artifact_type"), "image");
  cr_assert_str_eq(s(doc, "scan.image_id"), IMAGE_ID);
  cr_assert_str_eq(s(doc, "scan.repo_digests.0"), "shop/web@" DIGEST);
  cr_assert_str_eq(s(doc, "scan.os.family"), "alpine");
  cr_assert_eq(i(doc, "scan.layers"), 3);
  cr_assert_eq(i(doc, "scan.base_layers"), 1);
  cr_assert_eq(len(doc, "scan.shipped_by"), 0);
  at(doc, "scan", "{", 0);
}

Test(scan, trivy_vulnerabilities_from_several_targets) {
  pm_value *doc = build(trivy_report);
  cr_assert_eq(len(doc, "vulnerabilities"), 10); /* the null list and the secret result add none */
  pm_value *v = get(doc, "vulnerabilities.0");
  at(doc, "vulnerabilities.0", "{\"VulnerabilityID\": \"CVE-2024-0001\"", 0);
  at(doc, "vulnerabilities.0.id", "\"VulnerabilityID\": \"CVE-2024-0001\"", 0);
  cr_assert_str_eq(s(v, "aliases.0"), "ALPINE-1");
  cr_assert_str_eq(s(v, "severity"), "critical");
  cr_assert_float_eq(num(v, "cvss"), 9.1, 1e-9); /* SeveritySource nvd, its V3Score */
  cr_assert_str_eq(s(v, "package.name"), "libcrypto3");
  cr_assert_str_eq(s(v, "package.version"), "3.3.1-r0");
  cr_assert_str_eq(s(v, "package.type"), "alpine");
  cr_assert_str_eq(s(v, "package.purl"), "pkg:apk/alpine/libcrypto3@3.3.1-r0");
  cr_assert(is_null(v, "package.path"));
  cr_assert_str_eq(s(v, "fixed_versions.0"), "3.3.2-r0");
  cr_assert_str_eq(s(v, "fix_state"), "fixed");
  cr_assert_str_eq(s(v, "target"), "shop/web:1.2 (alpine 3.20.3)");
  cr_assert_str_eq(s(v, "layer.digest"), "sha256:g0");
  cr_assert_str_eq(s(v, "layer.diff_id"), "sha256:l0");
  cr_assert_eq(i(v, "layer.index"), 0);
  cr_assert(b(v, "base_layer"));
  cr_assert_str_eq(s(v, "url"), "https://avd.aquasec.com/nvd/cve-2024-0001");
  cr_assert_str_eq(s(v, "scanner"), "trivy");
  /* The last result's vulnerability: another target, an added layer. */
  pm_value *l = get(doc, "vulnerabilities.9");
  cr_assert_str_eq(s(l, "id"), "GHSA-aaaa-bbbb-cccc");
  cr_assert_str_eq(s(l, "target"), "app/package-lock.json");
  cr_assert_str_eq(s(l, "package.type"), "npm");
  cr_assert_eq(len(l, "fixed_versions"), 2);
  cr_assert_str_eq(s(l, "fixed_versions.1"), "5.0.1");
  cr_assert_float_eq(num(l, "cvss"), 8.7, 1e-9); /* V40Score when there is no V3Score */
  cr_assert_eq(i(l, "layer.index"), 2);
  cr_assert_not(b(l, "base_layer"));
  at(doc, "vulnerabilities.9.target", "\"Target\": \"app/package-lock.json\"", 0);
}

Test(scan, trivy_same_id_in_two_packages) {
  pm_value *doc = build(trivy_report);
  cr_assert_str_eq(s(doc, "vulnerabilities.0.id"), "CVE-2024-0001");
  cr_assert_str_eq(s(doc, "vulnerabilities.1.id"), "CVE-2024-0001");
  cr_assert_str_eq(s(doc, "vulnerabilities.1.package.name"), "libssl3");
  cr_assert(is_null(doc, "vulnerabilities.1.package.purl"));
  cr_assert(is_null(doc, "vulnerabilities.1.cvss"));
  /* One layer object for both: the second entry names it by DiffID only. */
  cr_assert_eq(get(doc, "vulnerabilities.1.layer"), get(doc, "vulnerabilities.0.layer"));
  cr_assert_eq(len(doc, "vulnerabilities.1.aliases"), 0);
  /* Two vulnerabilities, two positions. */
  at(doc, "vulnerabilities.1", "{\"VulnerabilityID\": \"CVE-2024-0001\"", 1);
}

Test(scan, trivy_fix_states_and_severities) {
  pm_value *doc = build(trivy_report);
  static const char *const want[][3] = {
      {"CVE-2024-0002", "wont_fix", "high"},     {"CVE-2024-0003", "not_fixed", "medium"},
      {"CVE-2024-0004", "wont_fix", "low"},      {"CVE-2024-0005", "unknown", "unknown"},
      {"CVE-2024-0006", "not_fixed", "medium"},  {"CVE-2024-0007", "unknown", "unknown"},
      {"CVE-2024-0008", "fixed", "unknown"}};
  for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
    pm_value *v = get(doc, "vulnerabilities")->u.arr.items[k + 2];
    cr_assert_str_eq(s(v, "id"), want[k][0]);
    cr_assert_str_eq(s(v, "fix_state"), want[k][1], "%s", want[k][0]);
    cr_assert_str_eq(s(v, "severity"), want[k][2], "%s", want[k][0]);
  }
  /* Missing fields read as null, never as guesses. */
  pm_value *v = get(doc, "vulnerabilities.5");
  cr_assert(is_null(v, "package.version"));
  cr_assert(is_null(v, "layer"));
  cr_assert(is_null(v, "base_layer"));
  cr_assert(is_null(v, "url"));
  cr_assert_eq(len(v, "fixed_versions"), 0);
  /* An unknown severity word is one warning, however often it appears. */
  cr_assert_eq(count(doc, "warnings", "unknown severity 'BOGUS'"), 1);
  has_diag(doc, "warnings", "unknown severity 'BOGUS'", "\"Severity\": \"BOGUS\"", 0);
}

Test(scan, trivy_old_schema_and_no_metadata) {
  pm_value *doc = build("{\"SchemaVersion\": 1, \"ArtifactName\": \"x\", \"ArtifactType\": \"filesystem\",\n"
                        " \"Results\": [{\"Target\": \"go.sum\", \"Vulnerabilities\": [\n"
                        "   {\"VulnerabilityID\": \"CVE-1\"}]}]}");
  has_diag(doc, "warnings", "SchemaVersion 1", "\"SchemaVersion\"", 0);
  cr_assert_str_eq(s(doc, "scan.artifact_type"), "filesystem");
  cr_assert(is_null(doc, "scan.artifact")); /* not an image: no reference */
  cr_assert_str_eq(s(doc, "scan.artifact_name"), "x");
  cr_assert(is_null(doc, "scan.base_layers"));
  cr_assert(is_null(doc, "scan.age_days"));
  pm_value *v = get(doc, "vulnerabilities.0");
  cr_assert_str_eq(s(v, "severity"), "unknown");
  cr_assert_str_eq(s(v, "fix_state"), "unknown");
  cr_assert(is_null(v, "package.name"));
}

/* ---- Grype ------------------------------------------------------------------ */

static char *grype_report(void) {
  static char buf[8192];
  const char *config =
      "{\"history\":[{\"created_by\":\"ADD rootfs.tar.xz / # buildkit\"},"
      "{\"created_by\":\"CMD [\\\"bash\\\"]\",\"empty_layer\":true},"
      "{\"created_by\":\"RUN /bin/sh -c pip install flask # buildkit\"},"
      "{\"created_by\":\"ENTRYPOINT [\\\"flask\\\"]\",\"empty_layer\":true}],"
      "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:b0\",\"sha256:b1\"]}}";
  char b64[1024];
  static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t n = strlen(config), o = 0;
  for (size_t k = 0; k < n; k += 3) {
    unsigned v = (unsigned char)config[k] << 16;
    if (k + 1 < n) v |= (unsigned char)config[k + 1] << 8;
    if (k + 2 < n) v |= (unsigned char)config[k + 2];
    b64[o++] = tbl[(v >> 18) & 63];
    b64[o++] = tbl[(v >> 12) & 63];
    b64[o++] = k + 1 < n ? tbl[(v >> 6) & 63] : '=';
    b64[o++] = k + 2 < n ? tbl[v & 63] : '=';
  }
  b64[o] = '\0';
  snprintf(buf, sizeof buf,
      "{\n"
      " \"matches\": [\n"
      "  {\"vulnerability\": {\"id\": \"CVE-2024-1000\", \"dataSource\": \"https://tracker/CVE-2024-1000\",\n"
      "    \"severity\": \"High\", \"cvss\": [],\n"
      "    \"fix\": {\"versions\": [\"2.0.1\"], \"state\": \"fixed\"}},\n"
      "   \"relatedVulnerabilities\": [{\"id\": \"CVE-2024-1000\", \"cvss\": [\n"
      "      {\"type\": \"Secondary\", \"metrics\": {\"baseScore\": 5.0}},\n"
      "      {\"type\": \"Primary\", \"metrics\": {\"baseScore\": 7.3}}]},\n"
      "     {\"id\": \"GHSA-xxxx-yyyy-zzzz\"}],\n"
      "   \"artifact\": {\"name\": \"werkzeug\", \"version\": \"2.0.0\", \"type\": \"python\",\n"
      "    \"purl\": \"pkg:pypi/werkzeug@2.0.0\",\n"
      "    \"locations\": [{\"path\": \"/usr/lib/python3/site-packages/werkzeug\", \"layerID\": \"sha256:b1\"}]}},\n"
      "  {\"vulnerability\": {\"id\": \"CVE-2024-1001\", \"severity\": \"Negligible\",\n"
      "    \"fix\": {\"versions\": [], \"state\": \"wont-fix\"}},\n"
      "   \"artifact\": {\"name\": \"libc6\", \"version\": \"2.36\", \"type\": \"deb\",\n"
      "    \"locations\": [{\"path\": \"/var/lib/dpkg/status\", \"layerID\": \"sha256:b0\"}]}},\n"
      "  {\"vulnerability\": {\"id\": \"CVE-2024-1002\", \"severity\": \"Critical\",\n"
      "    \"cvss\": [{\"type\": \"Primary\", \"metrics\": {\"baseScore\": 9.9}}],\n"
      "    \"fix\": {\"versions\": [], \"state\": \"not-fixed\"}},\n"
      "   \"artifact\": {\"name\": \"libc6\", \"version\": \"2.36\", \"type\": \"deb\"}},\n"
      "  {\"vulnerability\": {\"id\": \"CVE-2024-1003\", \"severity\": \"Unknown\", \"fix\": {\"state\": \"\"}},\n"
      "   \"artifact\": {}},\n"
      "  {\"vulnerability\": {\"id\": \"CVE-2024-1004\"}}\n"
      " ],\n"
      " \"ignoredMatches\": [{\"vulnerability\": {\"id\": \"CVE-2011-1\"}}, {\"vulnerability\": {\"id\": \"CVE-2011-2\"}}],\n"
      " \"source\": {\"type\": \"image\", \"target\": {\"userInput\": \"docker:ghcr.io/acme/api:3\",\n"
      "   \"imageID\": \"sha256:img\", \"tags\": [\"ghcr.io/acme/api:3\"],\n"
      "   \"layers\": [{\"digest\": \"sha256:b0\"}, {\"digest\": \"sha256:b1\"}],\n"
      "   \"config\": \"%s\", \"repoDigests\": [\"ghcr.io/acme/api@sha256:rd\"]}},\n"
      " \"distro\": {\"name\": \"debian\", \"version\": \"12\"},\n"
      " \"descriptor\": {\"name\": \"grype\", \"version\": \"0.84.0\", \"timestamp\": \"2026-11-30T21:00:00-02:00\"}\n"
      "}\n", b64);
  return buf;
}

Test(scan, grype_matches) {
  pm_value *doc = build(grype_report());
  cr_assert_eq(len(doc, "errors"), 0);
  cr_assert_str_eq(s(doc, "scan.scanner"), "grype");
  cr_assert_str_eq(s(doc, "scan.scanner_version"), "0.84.0");
  cr_assert_eq(i(doc, "scan.age_days"), 0); /* 2026-11-30T23:00Z: an hour ago */
  cr_assert_str_eq(s(doc, "scan.artifact.registry"), "ghcr.io");
  cr_assert_str_eq(s(doc, "scan.artifact.repository"), "acme/api");
  cr_assert_str_eq(s(doc, "scan.artifact_name"), "ghcr.io/acme/api:3");
  cr_assert_str_eq(s(doc, "scan.image_id"), "sha256:img");
  cr_assert_str_eq(s(doc, "scan.os.name"), "12");
  cr_assert_eq(i(doc, "scan.ignored_by_scanner"), 2);
  cr_assert_eq(i(doc, "scan.base_layers"), 1); /* from the base64 image config */
  cr_assert_eq(len(doc, "vulnerabilities"), 5);
  pm_value *v = get(doc, "vulnerabilities.0");
  at(doc, "vulnerabilities.0", "{\"vulnerability\"", 0);
  cr_assert_str_eq(s(v, "severity"), "high");
  cr_assert_float_eq(num(v, "cvss"), 7.3, 1e-9); /* a related record's Primary score */
  cr_assert_eq(len(v, "aliases"), 1);
  cr_assert_str_eq(s(v, "aliases.0"), "GHSA-xxxx-yyyy-zzzz");
  cr_assert_str_eq(s(v, "fix_state"), "fixed");
  cr_assert_str_eq(s(v, "fixed_versions.0"), "2.0.1");
  cr_assert_str_eq(s(v, "package.type"), "python");
  cr_assert_str_eq(s(v, "target"), "/usr/lib/python3/site-packages/werkzeug");
  cr_assert_str_eq(s(v, "layer.diff_id"), "sha256:b1");
  cr_assert_not(b(v, "base_layer"));
  cr_assert_str_eq(s(v, "url"), "https://tracker/CVE-2024-1000");
  v = get(doc, "vulnerabilities.1");
  cr_assert_str_eq(s(v, "severity"), "info"); /* Negligible */
  cr_assert_str_eq(s(v, "fix_state"), "wont_fix");
  cr_assert(b(v, "base_layer"));
  v = get(doc, "vulnerabilities.2");
  cr_assert_str_eq(s(v, "fix_state"), "not_fixed");
  cr_assert_float_eq(num(v, "cvss"), 9.9, 1e-9);
  cr_assert(is_null(v, "layer"));
  /* The same package object serves both libc6 vulnerabilities. */
  cr_assert_eq(get(doc, "vulnerabilities.1.package"), get(doc, "vulnerabilities.2.package"));
  v = get(doc, "vulnerabilities.3");
  cr_assert_str_eq(s(v, "severity"), "unknown");
  cr_assert_str_eq(s(v, "fix_state"), "unknown"); /* an empty state is unknown, not "no fix" */
  cr_assert(is_null(v, "package.name"));
  cr_assert_str_eq(s(doc, "vulnerabilities.4.fix_state"), "unknown");
}

Test(scan, grype_directory_source) {
  pm_value *doc = build("{\"matches\": [], \"source\": {\"type\": \"directory\", \"target\": \"/src\"},\n"
                        " \"descriptor\": {\"name\": \"grype\", \"timestamp\": \"yesterday\"}}");
  cr_assert_str_eq(s(doc, "scan.artifact_type"), "directory");
  cr_assert_str_eq(s(doc, "scan.artifact_name"), "/src");
  cr_assert(is_null(doc, "scan.artifact"));
  cr_assert(is_null(doc, "scan.age_days"));
  has_diag(doc, "warnings", "'yesterday' is not a date", "\"timestamp\"", 0);
  cr_assert_eq(len(doc, "vulnerabilities"), 0);
}

/* ---- Docker Scout ------------------------------------------------------------ */

static const char scout_report[] =
    "{\"version\": \"2.1.0\", \"runs\": [{\n"
    " \"tool\": {\"driver\": {\"name\": \"docker scout\", \"version\": \"1.15.1\", \"rules\": [\n"
    "  {\"id\": \"CVE-2024-2000\", \"helpUri\": \"https://scout.docker.com/v/CVE-2024-2000\",\n"
    "   \"properties\": {\"cvssV3_severity\": \"HIGH\", \"security-severity\": \"7.5\",\n"
    "    \"fixed_version\": \"1.2.3\", \"purls\": [\"pkg:npm/%40scope/left-pad@1.0.0\", \"pkg:npm/%40scope/left-pad@1.1.0\"]}},\n"
    "  {\"id\": \"CVE-2024-2001\", \"properties\": {\"cvssV3_severity\": \"UNSPECIFIED\",\n"
    "    \"security-severity\": \"3.1\", \"fixed_version\": \"not fixed\", \"purl\": \"pkg:deb/debian/tar@1.34%2Bdfsg-1\"}},\n"
    "  {\"id\": \"CVE-2024-2002\", \"properties\": {\"cvssV3_severity\": \"CRITICAL\"}}\n"
    " ]}},\n"
    " \"invocations\": [{\"startTimeUtc\": \"2026-10-31T00:00:00Z\"}],\n"
    " \"results\": [\n"
    "  {\"ruleId\": \"CVE-2024-2000\", \"ruleIndex\": 0, \"message\": {\"text\": \"Package: pkg:npm/%40scope/left-pad@1.1.0\"},\n"
    "   \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \"/app/node_modules/left-pad\"}}}]},\n"
    "  {\"ruleId\": \"CVE-2024-2001\", \"ruleIndex\": 7},\n"
    "  {\"ruleId\": \"CVE-2024-2002\"},\n"
    "  {\"ruleId\": \"CVE-2024-9999\"}\n"
    " ]}]}\n";

Test(scan, scout_results) {
  pm_value *doc = build(scout_report);
  cr_assert_str_eq(s(doc, "scan.scanner"), "docker-scout");
  cr_assert_str_eq(s(doc, "scan.scanner_version"), "1.15.1");
  cr_assert_eq(i(doc, "scan.age_days"), 31);
  cr_assert(is_null(doc, "scan.artifact")); /* the SARIF does not name the image */
  cr_assert_eq(len(doc, "vulnerabilities"), 3);
  pm_value *v = get(doc, "vulnerabilities.0");
  at(doc, "vulnerabilities.0", "{\"ruleId\": \"CVE-2024-2000\"", 0);
  cr_assert_str_eq(s(v, "severity"), "high");
  cr_assert_float_eq(num(v, "cvss"), 7.5, 1e-9);
  cr_assert_str_eq(s(v, "package.purl"), "pkg:npm/%40scope/left-pad@1.1.0"); /* the one the message names */
  cr_assert_str_eq(s(v, "package.name"), "left-pad");
  cr_assert_str_eq(s(v, "package.version"), "1.1.0");
  cr_assert_str_eq(s(v, "package.type"), "npm");
  cr_assert_str_eq(s(v, "fix_state"), "fixed");
  cr_assert_str_eq(s(v, "fixed_versions.0"), "1.2.3");
  cr_assert_str_eq(s(v, "target"), "/app/node_modules/left-pad");
  cr_assert_str_eq(s(v, "url"), "https://scout.docker.com/v/CVE-2024-2000");
  v = get(doc, "vulnerabilities.1"); /* a wrong ruleIndex: found by ruleId */
  cr_assert_str_eq(s(v, "severity"), "unknown");
  cr_assert(is_null(v, "cvss")); /* no score for an unspecified severity */
  cr_assert_str_eq(s(v, "fix_state"), "not_fixed");
  cr_assert_str_eq(s(v, "package.version"), "1.34+dfsg-1");
  v = get(doc, "vulnerabilities.2");
  cr_assert_str_eq(s(v, "fix_state"), "unknown");
  cr_assert(is_null(v, "package.name"));
  has_diag(doc, "errors", "names the rule 'CVE-2024-9999'", "\"ruleId\": \"CVE-2024-9999\"", 0);
}

Test(scan, sarif_of_another_tool_is_an_error) {
  pm_value *doc = build("{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"hadolint\"}},\n"
                        " \"results\": [{\"ruleId\": \"DL3008\"}]}]}");
  has_diag(doc, "errors", "a SARIF report from hadolint", "\"name\"", 0);
  cr_assert_eq(len(doc, "vulnerabilities"), 0);
  doc = build("{\"version\": \"2.1.0\", \"runs\": []}");
  has_diag(doc, "errors", "without runs", "\"runs\"", 0);
}

/* ---- detection ------------------------------------------------------------------ */

Test(scan, told_by_content) {
  cr_assert_eq(scan_sniff(trivy_report, strlen(trivy_report)), SCAN_TRIVY);
  cr_assert_eq(scan_sniff(scout_report, strlen(scout_report)), SCAN_SARIF);
  const char *g = grype_report();
  cr_assert_eq(scan_sniff(g, strlen(g)), SCAN_GRYPE);
  /* Keys after others, nested look-alikes, and other JSON. */
  const char *late = "\xEF\xBB\xBF {\"$schema\": \"x\", \"a\": {\"runs\": 1, \"s\": \"}\\\"\"}, \"runs\": []}";
  cr_assert_eq(scan_sniff(late, strlen(late)), SCAN_SARIF);
  const char *nested = "{\"Config\": {\"SchemaVersion\": 2}, \"HostConfig\": {}}";
  cr_assert_eq(scan_sniff(nested, strlen(nested)), SCAN_NONE);
  const char *runs_obj = "{\"runs\": {}}";
  cr_assert_eq(scan_sniff(runs_obj, strlen(runs_obj)), SCAN_NONE);
  cr_assert_eq(scan_sniff("[{\"SchemaVersion\": 2}]", 22), SCAN_NONE);
  cr_assert_eq(scan_sniff("{\"Schema", 8), SCAN_NONE);
  cr_assert_eq(scan_sniff("", 0), SCAN_NONE);
  cr_assert_eq(api_detect_kind("report.json", trivy_report, strlen(trivy_report)), POLICY_KIND_SCAN);
  cr_assert_eq(api_detect_kind("-", "{\"Id\": \"x\", \"HostConfig\": {}}", 29), POLICY_KIND_INSPECT);
}

Test(scan, every_json_kind_reads_a_report) {
  policy_document *doc;
  int kinds[] = {POLICY_KIND_AUTO, POLICY_KIND_INSPECT, POLICY_KIND_REQUEST, POLICY_KIND_SCAN};
  for (size_t k = 0; k < 4; k++) {
    cr_assert_eq(policy_parse_buffer(&doc, engine, "r.json", trivy_report, strlen(trivy_report), kinds[k]),
                 POLICY_OK);
    cr_assert_eq(policy_document_kind(doc), POLICY_KIND_SCAN);
    cr_assert_eq(policy_document_error_count(doc), 0);
    policy_document_free(doc);
  }
  /* SCAN for inspect output: an error of the document, not another kind. */
  const char *inspect = "[{\"Id\": \"abc\", \"HostConfig\": {\"Privileged\": true}}]";
  cr_assert_eq(policy_parse_buffer(&doc, engine, "i.json", inspect, strlen(inspect), POLICY_KIND_SCAN), POLICY_OK);
  cr_assert_eq(policy_document_kind(doc), POLICY_KIND_SCAN);
  const char *msg;
  uint32_t line, col;
  cr_assert_eq(policy_document_error(&msg, &line, &col, doc, 0), POLICY_OK);
  cr_assert(strstr(msg, "not a vulnerability scan report"), "%s", msg);
  cr_assert(line == 1 && col == 1);
  policy_document_free(doc);
  cr_assert_eq(policy_parse_buffer(&doc, engine, "i.json", inspect, strlen(inspect), POLICY_KIND_INSPECT), POLICY_OK);
  cr_assert_eq(policy_document_kind(doc), POLICY_KIND_INSPECT);
  policy_document_free(doc);
}

Test(scan, the_examples_read_cleanly) {
  static const char *const files[] = {"examples/scan-trivy.json", "examples/scan-grype.json",
                                      "examples/scan-scout.sarif.json"};
  static const size_t vulns[] = {8, 9, 4};
  for (size_t k = 0; k < 3; k++) {
    policy_document *doc;
    cr_assert_eq(policy_parse_file(&doc, engine, source(files[k]), POLICY_KIND_AUTO), POLICY_OK, "%s", files[k]);
    cr_assert_eq(policy_document_kind(doc), POLICY_KIND_SCAN);
    cr_assert_eq(policy_document_error_count(doc), 0, "%s", files[k]);
    cr_assert_eq(policy_document_warning_count(doc), 0, "%s", files[k]);
    cr_assert_eq(pm_get(doc->root, "vulnerabilities")->u.arr.len, vulns[k], "%s", files[k]);
    policy_document_free(doc);
  }
}

/* ---- bad input ---------------------------------------------------------------- */

Test(scan, truncated_json_is_an_error_at_its_end) {
  const char *t = "{\"SchemaVersion\": 2,\n \"Results\": [{\"Target\": \"x\", \"Vulnerabilities\": [\n"
                  "  {\"VulnerabilityID\": \"CVE-1\", \"Sev";
  pm_value *doc = build(t);
  cr_assert_eq(len(doc, "errors"), 1);
  pm_value *e = get(doc, "errors.0");
  cr_assert_eq(e->pos.line, 3);
  cr_assert(e->pos.col >= 30, "column %u", e->pos.col);
  cr_assert_eq(len(doc, "vulnerabilities"), 0);
  cr_assert_str_eq(s(doc, "scan.scanner"), "unknown");
}

Test(scan, wrong_types_are_errors_at_their_values) {
  pm_value *doc = build(
      "{\"SchemaVersion\": 2, \"ArtifactName\": 7, \"Metadata\": [],\n"
      " \"Results\": [\"x\", {\"Target\": \"t\", \"Vulnerabilities\": {\"a\": 1}},\n"
      "  {\"Target\": \"t2\", \"Vulnerabilities\": [1,\n"
      "   {\"VulnerabilityID\": \"CVE-1\", \"Severity\": 4, \"FixedVersion\": [\"1\"], \"VendorIDs\": [\"A\", 2],\n"
      "    \"CVSS\": {\"nvd\": {\"V3Score\": \"9.8\"}}},\n"
      "   {\"PkgName\": \"no-id\"},\n"
      "   {\"VulnerabilityID\": \"\"}]}]}");
  has_diag(doc, "errors", "ArtifactName must be a string, not a number", "\"ArtifactName\"", 0);
  has_diag(doc, "errors", "Metadata must be an object, not an array", "\"Metadata\"", 0);
  has_diag(doc, "errors", "each entry of Results must be an object, not a string", "\"x\"", 0);
  has_diag(doc, "errors", "Vulnerabilities must be an array, not an object", "\"Vulnerabilities\": {", 0);
  has_diag(doc, "errors", "each entry of Vulnerabilities must be an object, not a number", "1,", 0);
  has_diag(doc, "errors", "Severity must be a string, not a number", "\"Severity\"", 0);
  has_diag(doc, "errors", "FixedVersion must be a string, not an array", "\"FixedVersion\"", 0);
  has_diag(doc, "errors", "a list of strings holds a number", "2]", 0);
  has_diag(doc, "errors", "V3Score must be a number, not a string", "\"V3Score\"", 0);
  has_diag(doc, "errors", "without a VulnerabilityID", "{\"PkgName\"", 0);
  cr_assert_eq(count(doc, "errors", "without a VulnerabilityID"), 2);
  /* What could be read is still there. */
  cr_assert_eq(len(doc, "vulnerabilities"), 1);
  cr_assert_str_eq(s(doc, "vulnerabilities.0.severity"), "unknown");
  cr_assert_eq(len(doc, "vulnerabilities.0.aliases"), 1);
}

Test(scan, not_a_report) {
  pm_value *doc = build("  [1, 2]");
  has_diag(doc, "errors", "not a vulnerability scan report", "[", 0);
  doc = build("{\"matches\": {\"x\": 1}}");
  has_diag(doc, "errors", "not a vulnerability scan report", "{", 0);
  doc = build("{\"matches\": [{\"vulnerability\": \"CVE-1\"}, 3]}");
  has_diag(doc, "errors", "vulnerability must be an object, not a string", "\"vulnerability\"", 0);
  has_diag(doc, "errors", "each entry of matches must be an object", "3]", 0);
  doc = build("{\"matches\": [], \"source\": {\"type\": \"image\", \"target\": {\"config\": \"not base64!\"}}}");
  has_diag(doc, "warnings", "source.target.config is not base64", "\"config\"", 0);
  /* Embedded JSON that does not parse: an error at the member, the place in the message. */
  doc = build("{\"matches\": [], \"source\": {\"type\": \"image\", \"target\": {\"config\": \"eyJhIjo=\"}}}");
  has_diag(doc, "errors", "1:6:", "\"config\"", 0);
}

Test(scan, limits_are_errors_not_crashes) {
  scan_opts o = {20, 1u << 30, NOW};
  pm_value *doc = NULL;
  cr_assert_eq(scan_build(&arena, "r.json", trivy_report, strlen(trivy_report), &o, &doc), SCAN_ERR_LIMIT);
  cr_assert_null(doc);
  cr_assert_eq(policy_engine_set_limit(engine, POLICY_LIMIT_MODEL_BYTES, 4096), POLICY_OK);
  policy_document *d;
  cr_assert_eq(policy_parse_buffer(&d, engine, "r.json", trivy_report, strlen(trivy_report), 0), POLICY_ERR_LIMIT);
  cr_assert(strstr(policy_engine_errmsg(engine), "limit"));
}

/* ---- small pieces --------------------------------------------------------------- */

Test(scan, times) {
  int64_t t;
  cr_assert(scan_parse_time("1970-01-01T00:00:00Z", 20, &t) && t == 0);
  cr_assert(scan_parse_time("2026-12-01", 10, &t) && t == NOW);
  cr_assert(scan_parse_time("2026-12-01T02:00:00.123456789+02:00", 35, &t) && t == NOW);
  cr_assert(scan_parse_time("2024-02-29T12:00:00z", 20, &t));
  cr_assert_not(scan_parse_time("2026-12-01T00:00:00", 19, &t)); /* no zone: no point in time */
  cr_assert_not(scan_parse_time("2026-13-01", 10, &t));
  cr_assert_not(scan_parse_time("2026-12-01T24:00:00Z", 20, &t));
  cr_assert_not(scan_parse_time("12/01/2026", 10, &t));
  cr_assert_not(scan_parse_time("2026-12-01T00:00:00Zjunk", 24, &t));
}

Test(scan, package_urls) {
  scan_purl u;
  const char *p = "pkg:maven/com.google.guava/guava@29.0-jre?type=jar#sub";
  cr_assert(scan_purl_split(p, strlen(p), &u));
  cr_assert(u.type_len == 5 && strncmp(u.type, "maven", 5) == 0);
  cr_assert(u.name_len == 5 && strncmp(u.name, "guava", 5) == 0);
  cr_assert(u.version_len == 8 && strncmp(u.version, "29.0-jre", 8) == 0);
  p = "pkg:deb/debian/tar";
  cr_assert(scan_purl_split(p, strlen(p), &u) && u.version == NULL);
  cr_assert_not(scan_purl_split("pkg:npm", 7, &u));
  cr_assert_not(scan_purl_split("npm/x@1", 7, &u));
  cr_assert_not(scan_purl_split("pkg:npm/@1", 10, &u));
}

Test(scan, base64) {
  char out[32];
  size_t n;
  cr_assert(pol_base64_decode("aGVsbG8=", 8, out, &n) && n == 5 && memcmp(out, "hello", 5) == 0);
  cr_assert(pol_base64_decode("aGVs\nbG8h", 9, out, &n) && n == 6);
  cr_assert_not(pol_base64_decode("aGVsbG8", 7, out, &n));
  cr_assert_not(pol_base64_decode("aG=sbG8=", 8, out, &n));
  cr_assert_not(pol_base64_decode("aGVsbG8=x", 9, out, &n));
}

/* ---- huge reports ------------------------------------------------------------ */

/* A Trivy report of n vulnerabilities over 500 packages. */
static char *huge_report(size_t n, size_t *len) {
  pol_buf b = POL_BUF_INIT;
  pol_buf_puts(&b, "{\"SchemaVersion\": 2, \"ArtifactName\": \"big:1\", \"ArtifactType\": \"container_image\",\n"
                   " \"Results\": [{\"Target\": \"big:1 (debian 12.8)\", \"Type\": \"debian\", \"Vulnerabilities\": [\n");
  static const char *const sev[] = {"CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"};
  for (size_t k = 0; k < n; k++)
    pol_buf_printf(&b, "%s  {\"VulnerabilityID\": \"CVE-2026-%zu\", \"PkgName\": \"pkg%zu\", "
                   "\"InstalledVersion\": \"1.%zu\", \"FixedVersion\": \"1.%zu.1\", \"Status\": \"fixed\", "
                   "\"Severity\": \"%s\", \"Layer\": {\"DiffID\": \"sha256:%zu\"}, "
                   "\"PrimaryURL\": \"https://avd.aquasec.com/nvd/cve-2026-%zu\"}\n",
                   k ? "," : "", 10000 + k, k % 500, k % 500, k % 500, sev[k % 5], k % 4, 10000 + k);
  pol_buf_puts(&b, "]}]}\n");
  cr_assert_not(b.oom);
  return pol_buf_detach(&b, len);
}

typedef struct cost { size_t model_bytes, allocations, vulns; } cost;

static cost parse_cost(size_t n) {
  size_t len;
  char *t = huge_report(n, &len);
  pol_arena a = POL_ARENA_INIT;
  scan_opts o = {(size_t)1 << 26, (size_t)1 << 31, NOW};
  pm_value *doc = NULL;
  pol_alloc_inject_failure(0, 0); /* resets the allocation count */
  cr_assert_eq(scan_build(&a, "big.json", t, len, &o, &doc), SCAN_OK);
  cost c = {a.used, (size_t)pol_alloc_inject_failure(0, 0), pm_get(doc, "vulnerabilities")->u.arr.len};
  cr_assert_eq(pm_get(doc, "errors")->u.arr.len, 0);
  pol_arena_free(&a);
  pol_free(t);
  return c;
}

Test(scan, huge_reports_cost_linear_memory_and_allocations) {
  cost small = parse_cost(10000), big = parse_cost(100000);
  fprintf(stderr, "scan: 10k vulnerabilities: %zu model bytes, %zu allocations; "
          "100k: %zu model bytes, %zu allocations\n", small.model_bytes, small.allocations,
          big.model_bytes, big.allocations);
  cr_assert_eq(small.vulns, 10000);
  cr_assert_eq(big.vulns, 100000);
  /* The model: under 1 KiB per vulnerability here (shared packages and
  ** layers), and ten times the reports cost at most ten times as much. */
  cr_assert_lt(big.model_bytes / big.vulns, 1024, "%zu bytes per vulnerability", big.model_bytes / big.vulns);
  cr_assert_leq(big.model_bytes, small.model_bytes * 105 / 10, "%zu vs %zu", big.model_bytes, small.model_bytes);
  /* Work: allocations grow linearly (no rescans, no quadratic regrowth). */
  cr_assert_leq(big.allocations, small.allocations * 105 / 10, "%zu vs %zu", big.allocations, small.allocations);
}

/* ---- links ------------------------------------------------------------------- */

Test(scan, linked_to_the_compose_service_that_runs_the_image) {
  write_file("Dockerfile", "FROM alpine:3.20\nUSER 10001\n");
  const char *compose = write_file("compose.yaml",
      "services:\n"
      "  web:\n"
      "    image: shop/web:1.2\n"
      "    build: .\n"
      "  other:\n"
      "    image: shop/web:1.3\n"
      "  pinned:\n"
      "    image: docker.io/shop/web@" DIGEST "\n"
      "  latest:\n"
      "    image: shop/web\n");
  const char *report = write_file("web.trivy.json", trivy_report);
  policy_document *c, *r;
  cr_assert_eq(policy_parse_file(&c, engine, compose, POLICY_KIND_AUTO), POLICY_OK);
  cr_assert_eq(policy_parse_file(&r, engine, report, POLICY_KIND_AUTO), POLICY_OK);
  size_t linked = 99;
  cr_assert_eq(policy_document_link_scan(&linked, r, c), POLICY_OK);
  cr_assert_eq(linked, 2); /* web by tag, pinned by a repository digest of the report */
  pm_value *list = get(r->root, "scan.shipped_by");
  cr_assert_eq(list->u.arr.len, 2);
  cr_assert_str_eq(s(list, "0.kind"), "service");
  cr_assert_str_eq(s(list, "0.name"), "web");
  cr_assert_str_eq(s(list, "0.file"), compose);
  cr_assert_eq(i(list, "0.line"), 2);
  cr_assert_str_eq(s(list, "0.image"), "shop/web:1.2");
  cr_assert(strstr(s(list, "0.dockerfile"), "/Dockerfile") != NULL);
  cr_assert_str_eq(s(list, "1.name"), "pinned");
  cr_assert(is_null(list, "1.dockerfile"));
  /* The finding names the service. */
  cr_assert_eq(policy_engine_load_builtin(engine), POLICY_OK);
  policy_report *rep;
  cr_assert_eq(policy_report_new(&rep), POLICY_OK);
  cr_assert_eq(policy_check(rep, engine, r), POLICY_OK);
  bool named = false;
  for (size_t k = 0; k < policy_report_count(rep, POLICY_LIST_FINDINGS); k++) {
    const char *m = policy_report_get_string(rep, POLICY_LIST_FINDINGS, k, POLICY_FIELD_MESSAGE);
    named = named || strstr(m, "shipped by service web (") != NULL;
    cr_assert_null(strstr(m, "nil"), "%s", m);
  }
  cr_assert(named);
  policy_report_free(rep);
  /* Invalid uses. */
  cr_assert_eq(policy_document_link_scan(NULL, c, r), POLICY_ERR_INVALID);
  cr_assert_eq(policy_document_link_scan(NULL, r, NULL), POLICY_ERR_INVALID);
  policy_document_free(c);
  policy_document_free(r);
}

Test(scan, linked_to_inspected_containers_and_images) {
  const char *inspect =
      "[{\"Id\": \"c1\", \"Name\": \"/web-1\", \"Image\": \"" IMAGE_ID "\", \"State\": {},\n"
      "  \"Config\": {\"Image\": \"" IMAGE_ID "\"}, \"HostConfig\": {}},\n"
      " {\"Id\": \"" IMAGE_ID "\", \"RepoTags\": [\"shop/web:1.2\"], \"RootFS\": {\"Layers\": []}},\n"
      " {\"Id\": \"sha256:bbbb\", \"RepoTags\": [\"shop/other:1\"], \"RootFS\": {\"Layers\": []}}]";
  policy_document *c, *r;
  cr_assert_eq(policy_parse_buffer(&c, engine, "inspect.json", inspect, strlen(inspect), 0), POLICY_OK);
  cr_assert_eq(policy_document_kind(c), POLICY_KIND_INSPECT);
  cr_assert_eq(policy_parse_buffer(&r, engine, "r.json", trivy_report, strlen(trivy_report), 0), POLICY_OK);
  size_t linked;
  cr_assert_eq(policy_document_link_scan(&linked, r, c), POLICY_OK);
  cr_assert_eq(linked, 2);
  pm_value *list = get(r->root, "scan.shipped_by");
  cr_assert_str_eq(s(list, "0.kind"), "container");
  cr_assert_str_eq(s(list, "0.name"), "web-1");
  cr_assert_str_eq(s(list, "1.kind"), "image");
  cr_assert_str_eq(s(list, "1.name"), "shop/web:1.2");
  policy_document_free(c);
  policy_document_free(r);
}

/* ---- exceptions ------------------------------------------------------------------ */

static policy_report *check_with(const char *config, const char *report_text) {
  cr_assert_eq(policy_engine_load_builtin(engine), POLICY_OK);
  if (config) cr_assert_eq(policy_engine_load_config(engine, write_file("policy.yaml", config)), POLICY_OK,
                           "%s", policy_engine_errmsg(engine));
  policy_document *doc;
  cr_assert_eq(policy_parse_buffer(&doc, engine, "r.json", report_text, strlen(report_text), 0), POLICY_OK);
  policy_report *rep;
  cr_assert_eq(policy_report_new(&rep), POLICY_OK);
  cr_assert_eq(policy_check(rep, engine, doc), POLICY_OK);
  policy_document_free(doc);
  return rep;
}

static size_t rule_count(const policy_report *rep, int list, const char *id) {
  size_t n = 0;
  for (size_t k = 0; k < policy_report_count(rep, list); k++) {
    const char *r = policy_report_get_string(rep, list, k, POLICY_FIELD_RULE);
    if (r && strcmp(r, id) == 0) n++;
  }
  return n;
}

Test(scan, exceptions_suppress_with_their_reason) {
  policy_report *rep = check_with(
      "exceptions:\n"
      "  - id: cve-2024-0001\n"
      "    package: libssl3\n"
      "    reason: only the client side is used\n"
      "    expires: 2099-01-31\n"
      "  - id: GHSA-aaaa-bbbb-cccc\n"
      "    reason: lodash is a build-time dependency only\n"
      "    expires: 2099-01-31\n",
      trivy_report);
  /* CVE-2024-0001 in libcrypto3 is still reported; in libssl3 it is not. */
  cr_assert_eq(rule_count(rep, POLICY_LIST_FINDINGS, "vulnerability-fixable"), 1);
  cr_assert_eq(rule_count(rep, POLICY_LIST_SUPPRESSED, "vulnerability-fixable"), 2);
  bool reason = false;
  for (size_t k = 0; k < policy_report_count(rep, POLICY_LIST_SUPPRESSED); k++)
    reason = reason || !strcmp(policy_report_get_string(rep, POLICY_LIST_SUPPRESSED, k, POLICY_FIELD_REASON),
                               "only the client side is used");
  cr_assert(reason);
  cr_assert_str_eq(policy_engine_warnings(engine), "");
  policy_report_free(rep);
}

Test(scan, exceptions_by_alias_and_for_every_package) {
  policy_report *rep = check_with("exceptions:\n"
                                  "  - id: ALPINE-1\n"
                                  "    reason: backported fix\n"
                                  "    expires: 2099-01-31\n",
                                  trivy_report);
  /* The alias is on the libcrypto3 entry only. */
  cr_assert_eq(rule_count(rep, POLICY_LIST_SUPPRESSED, "vulnerability-fixable"), 1);
  policy_report_free(rep);
}

Test(scan, an_expired_exception_warns_and_suppresses_nothing) {
  policy_report *rep = check_with("exceptions:\n"
                                  "  - id: CVE-2024-0001\n"
                                  "    reason: was fine last year\n"
                                  "    expires: 2020-01-31\n",
                                  trivy_report);
  cr_assert_eq(rule_count(rep, POLICY_LIST_SUPPRESSED, "vulnerability-fixable"), 0);
  cr_assert_eq(rule_count(rep, POLICY_LIST_FINDINGS, "vulnerability-fixable"), 3);
  const char *w = policy_engine_warnings(engine);
  cr_assert(strstr(w, "policy.yaml:2:5: the exception for CVE-2024-0001 expired on 2020-01-31"), "%s", w);
  policy_report_free(rep);
}

Test(scan, malformed_exceptions_are_errors_with_positions) {
  static const char *const bad[][2] = {
      {"exceptions:\n  - id: CVE-1\n    expires: 2099-01-01\n", "policy.yaml:2:5: an exception needs reason"},
      {"exceptions:\n  - id: CVE-1\n    reason: x\n", "policy.yaml:2:5: an exception needs expires"},
      {"exceptions:\n  - id: CVE-1\n    reason: x\n    expires: soon\n", "policy.yaml:4:14: an exception needs expires"},
      {"exceptions:\n  - reason: x\n    expires: 2099-01-01\n", "policy.yaml:2:5: an exception needs id"},
      {"exceptions:\n  - id: CVE-1\n    reason: \"\"\n    expires: 2099-01-01\n", "policy.yaml:3:13: an exception needs reason"},
      {"exceptions:\n  - id: CVE-1\n    reason: x\n    expires: 2099-01-01\n    until: 2099-01-01\n",
       "policy.yaml:5:12: unknown key 'until'"},
      {"exceptions: CVE-1\n", "policy.yaml:1:13: exceptions must be a list"},
      {"exceptions:\n  - CVE-1\n", "policy.yaml:2:5: each exception must be a mapping"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    cr_assert_eq(policy_engine_load_config(engine, write_file("policy.yaml", bad[k][0])), POLICY_ERR_PARSE);
    cr_assert(strstr(policy_engine_errmsg(engine), bad[k][1]), "'%s' does not say '%s'",
              policy_engine_errmsg(engine), bad[k][1]);
  }
  cr_assert_null(engine->exceptions); /* a malformed list is dropped whole */
}

/* ---- rules over each vulnerability ---------------------------------------------- */

Test(scan, rules_run_once_per_vulnerability) {
  const char *src =
      "return { id = 'count-vulns', title = 't', severity = 'low', applies_to = 'vulnerability',\n"
      "  description = 'd', remediation = 'r',\n"
      "  check = function(v, document)\n"
      "    if v.severity == 'critical' then report(v, 'severity', v.id .. ' in ' .. v.package.name) end\n"
      "  end }";
  cr_assert_eq(policy_engine_load_rule_buffer(engine, "count.lua", src, strlen(src)), POLICY_OK);
  cr_assert_str_eq(policy_engine_rule_string(engine, 0, POLICY_RULE_APPLIES_TO), "vulnerability");
  policy_document *doc;
  cr_assert_eq(policy_parse_buffer(&doc, engine, "r.json", trivy_report, strlen(trivy_report), 0), POLICY_OK);
  policy_report *rep;
  cr_assert_eq(policy_report_new(&rep), POLICY_OK);
  cr_assert_eq(policy_check(rep, engine, doc), POLICY_OK);
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_FINDINGS), 2);
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_ERRORS), 0);
  /* A field without a position of its own (a shared word) falls back to the vulnerability. */
  text = trivy_report;
  uint32_t line, col;
  where("{\"VulnerabilityID\": \"CVE-2024-0001\"", 1, &line, &col);
  cr_assert_eq(policy_report_get_number(rep, POLICY_LIST_FINDINGS, 1, POLICY_FIELD_LINE), line);
  cr_assert_eq(policy_report_get_number(rep, POLICY_LIST_FINDINGS, 1, POLICY_FIELD_COLUMN), col);
  cr_assert_str_eq(policy_report_get_string(rep, POLICY_LIST_FINDINGS, 1, POLICY_FIELD_SUBJECT),
                   "vulnerability CVE-2024-0001");
  policy_report_free(rep);
  policy_document_free(doc);
  const char *wrong = "return { id = 'x', title = 't', severity = 'low', applies_to = 'vulns',\n"
                      "  description = 'd', remediation = 'r', check = function() end }";
  cr_assert_eq(policy_engine_load_rule_buffer(engine, "x.lua", wrong, strlen(wrong)), POLICY_ERR_PARSE);
  cr_assert(strstr(policy_engine_errmsg(engine), "vulnerability; not 'vulns'"), "%s", policy_engine_errmsg(engine));
}

/* ---- allocation failure ---------------------------------------------------------- */

typedef struct oom_run {
  const char *config, *report;
} oom_run;

/* A fresh engine each run: configuration (an exception), a Compose file
** and a report parsed, the report linked and checked by a rule over each
** vulnerability; everything freed. */
static int run_once(const oom_run *o) {
  static const char compose[] = "services:\n  web:\n    image: shop/web:1.2\n";
  static const char src[] =
      "return { id = 'v', title = 't', severity = 'low', applies_to = 'vulnerability',\n"
      "  description = 'd', remediation = 'r', check = function(v) report(v, v.id) end }";
  policy_engine *e;
  policy_document *c = NULL, *r = NULL;
  policy_report *rep = NULL;
  int rc = policy_engine_new(&e);
  if (rc != POLICY_OK) return rc;
  /* In-process: the sweep is about the reports, not about worker processes. */
  rc = policy_engine_set_isolation(e, POLICY_ISOLATE_NONE);
  if (rc == POLICY_OK) rc = policy_engine_load_config(e, o->config);
  if (rc == POLICY_OK) rc = policy_engine_load_rule_buffer(e, "v.lua", src, sizeof src - 1);
  if (rc == POLICY_OK) rc = policy_parse_buffer(&c, e, "compose.yaml", compose, sizeof compose - 1, 0);
  if (rc == POLICY_OK) rc = policy_parse_buffer(&r, e, "r.json", o->report, strlen(o->report), 0);
  if (rc == POLICY_OK) rc = policy_document_link_scan(NULL, r, c);
  if (rc == POLICY_OK) rc = policy_report_new(&rep);
  if (rc == POLICY_OK) rc = policy_check(rep, e, r);
  policy_report_free(rep);
  policy_document_free(c);
  policy_document_free(r);
  policy_engine_free(e);
  return rc;
}

Test(scan, allocation_failure_at_every_allocation) {
  const char *config = write_file("policy.yaml",
      "exceptions:\n  - id: CVE-2024-0002\n    reason: r\n    expires: 2099-01-01\n");
  const char *reports[] = {trivy_report, grype_report(), scout_report};
  for (size_t k = 0; k < 3; k++) {
    oom_run o = {config, reports[k]};
    pol_alloc_inject_failure(0, 0);
    long live = pol_alloc_live();
    cr_assert_eq(run_once(&o), POLICY_OK);
    unsigned long total = pol_alloc_inject_failure(0, 0);
    cr_assert_eq(pol_alloc_live(), live);
    /* Every point up to 400, then 200 more spread over the rest. */
    for (unsigned long n = 1; n <= total; n += n < 400 ? 1 : total / 200 + 1) {
      pol_alloc_inject_failure(n, 0);
      int rc = run_once(&o);
      pol_alloc_inject_failure(0, 0);
      cr_assert(rc == POLICY_OK || rc == POLICY_ERR_NOMEM, "report %zu, allocation %lu: %d", k, n, rc);
      cr_assert_eq(pol_alloc_live(), live, "report %zu, allocation %lu leaks %ld blocks", k, n,
                   pol_alloc_live() - live);
    }
  }
}
