/*
** scan.h: vulnerability scan reports into a document of the model
** (docs/model.md, "scan documents"): Trivy JSON (`trivy image -f json`,
** SchemaVersion 2), Grype JSON (`grype -o json`) and Docker Scout SARIF
** (`docker scout cves --format sarif`), each told by its content.
**
** The document has kind "scan", a `scan` object (what was scanned, by
** which scanner, when) and `vulnerabilities`, one per reported
** (vulnerability, package) pair, positioned at the JSON object of the
** report it came from. Input problems (JSON syntax, wrong types, a
** document that is no report) are errors of the document with their line
** and column; the rest of the report is still modelled.
**
** Memory: the report is parsed into a scratch arena that is freed before
** scan_build returns; the document keeps only the model. Both arenas are
** bounded by `max_model_bytes`, and the JSON values by `max_nodes`, checked
** before they are allocated. Time is linear in the size of the report.
**
** This module knows nothing of Lua or of the engine.
*/
#ifndef POL_SCAN_SCAN_H
#define POL_SCAN_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "../model/value.h"

typedef enum scan_format {
  SCAN_NONE = 0,  /* not a report this module reads */
  SCAN_TRIVY,     /* a top-level SchemaVersion */
  SCAN_GRYPE,     /* a top-level matches list */
  SCAN_SARIF      /* a top-level runs list (SARIF; Docker Scout's is read) */
} scan_format;

/* The format of a JSON text from its top-level keys, without parsing it
** (a linear scan that allocates nothing and stops at the first key that
** decides). SCAN_NONE for anything else, JSON or not. */
scan_format scan_sniff(const char *data, size_t len);

typedef struct scan_opts {
  size_t max_nodes;        /* JSON values of the report (and of an embedded
                              image config); more is SCAN_ERR_LIMIT */
  size_t max_model_bytes;  /* the scratch arena's bound (the document's
                              arena carries its own) */
  time_t now;              /* for scan.age_days */
} scan_opts;

enum { SCAN_OK = 0, SCAN_ERR_NOMEM = 1, SCAN_ERR_LIMIT = 2 };

/* Builds the document for len bytes read from path, into arena a. Returns
** SCAN_OK with *doc set (input problems are in its errors), SCAN_ERR_LIMIT
** when the report has more values than max_nodes or needs more scratch
** memory than max_model_bytes, or SCAN_ERR_NOMEM (also when a's own limit
** was hit: the caller tells the two apart by a->over_limit). */
int scan_build(pol_arena *a, const char *path, const char *data, size_t len,
               const scan_opts *o, pm_value **doc);

/* Links a scan document to another document of the model: every Compose
** service or container whose image is the scanned image, and every
** inspected image that is it (by tag, digest or ID), is appended to
** scan.shipped_by as {kind ("service", "container" or "image"), name,
** file, line, image, dockerfile}. Strings are copied into a. Returns the
** number of entries added through *added; false on out-of-memory. */
bool scan_link(pol_arena *a, pm_value *scan_doc, const pm_value *other,
               const char *other_path, size_t *added);

#endif
