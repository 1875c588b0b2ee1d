/*
** scan_int.h: what the readers of scan reports share (see scan.h).
**
**  - scan_ctx: the document being built, the scratch arena holding the
**    parsed report, the sticky out-of-memory flag (every helper is a no-op
**    returning NULL once it is set), and the nodes many vulnerabilities
**    share (builder.c);
**  - typed reading of the parsed report: a value of the wrong type is an
**    error at its position and reads as absent (builder.c);
**  - the vulnerability object and its pieces (vuln.c), the image's layers
**    (history.c), package URLs (purl.c), timestamps (timestamp.c);
**  - one reader per format (trivy.c, grype.c, scout.c).
**
** Source nodes come from posjson.h: objects are PM_MAP, a member's value
** is positioned from its key. Model strings are copies in the document's
** arena (the scratch arena is freed when the build ends).
**
** Shared nodes: words (severities, fix states, the scanner's name),
** booleans and null, packages and layers are made once and shared by every
** vulnerability that has them. They carry no position, so a finding at
** such a field falls back to its vulnerability's position.
*/
#ifndef POL_SCAN_INT_H
#define POL_SCAN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../inspect/posjson.h"
#include "../model/value.h"
#include "scan.h"

/* Normalised severities and fix states: indexes of scan_ctx.words. */
enum scan_word {
  W_CRITICAL, W_HIGH, W_MEDIUM, W_LOW, W_INFO, W_UNKNOWN,
  W_FIXED, W_NOT_FIXED, W_WONT_FIX,
  W_COUNT
};

#define SCAN_UNKNOWN_COUNT SIZE_MAX

typedef struct scan_ctx {
  pol_arena *a;              /* the document's */
  pol_arena scratch;         /* the parsed report, lookup tables */
  const scan_opts *o;
  insp_json_limits lim;
  pm_value *doc, *scan, *vulns;
  bool oom;
  bool over_limit;           /* the report or its image config: too many values */
  pm_value *null_node, *true_node, *false_node;
  pm_value *words[W_COUNT];
  pm_value *scanner;         /* the scanner's name, shared */
  pm_value *packages;        /* scratch map: package key -> shared package */
  pm_value *layers;          /* scratch map: layer key -> shared layer */
  pm_value *layer_index;     /* scratch map: diff ID -> its index (PM_INT) */
  pm_value *warned;          /* scratch map: the warnings given once */
  size_t base_layers;        /* the first layers that come from the base
                                image, or SCAN_UNKNOWN_COUNT */
} scan_ctx;

/* ---- context and diagnostics (builder.c) --------------------------------- */

bool scan_ctx_init(scan_ctx *c, pol_arena *a, const char *path, const scan_opts *o);
void scan_ctx_free(scan_ctx *c);

void scan_error(scan_ctx *c, pm_pos pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void scan_warning(scan_ctx *c, pm_pos pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* A warning given once per distinct message (an unknown severity word is
** reported once, at its first place, not once per vulnerability). */
void scan_warning_once(scan_ctx *c, pm_pos pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Parses JSON text into the scratch arena; a syntax error is an error of
** the document (at `at` when set, the position in the text then going
** into the message: for JSON embedded in the report). NULL when it did
** not parse. */
const pm_value *scan_parse_json(scan_ctx *c, const char *text, size_t len,
                                const pm_pos *at);

/* ---- reading the report ---------------------------------------------------
** `want` is PM_STR, PM_ARR, PM_MAP, PM_BOOL, PM_INT or PM_NUM (which takes
** integers too). Absent and JSON null read as NULL; a value of another
** type is an error ("<key> must be a string, not a number") and reads as
** NULL. */
const pm_value *scan_get(scan_ctx *c, const pm_value *map, const char *key, pm_type want);
/* A string member, NULL when absent, null, empty or of another type. */
const pm_value *scan_get_text(scan_ctx *c, const pm_value *map, const char *key);
/* The i-th item of an array when it is an object; else an error ("each
** entry of <what> must be an object") and NULL. */
const pm_value *scan_item_map(scan_ctx *c, const pm_value *arr, size_t i, const char *what);
/* A number member (integer or not) as a double; false when absent. */
bool scan_get_number(scan_ctx *c, const pm_value *map, const char *key, double *out);
/* "a string", "a number", ... */
const char *scan_type_name(pm_type t);

/* ---- building the model -------------------------------------------------- */

/* An object of a type of model/schema.toml with room for exactly n
** members, set with scan_put in the type's order (keys are static strings). */
pm_value *scan_obj(scan_ctx *c, pm_schema_id type, pm_pos pos, size_t n);
/* Appends key -> v (NULL: null). */
void scan_put(scan_ctx *c, pm_value *obj, const char *key, pm_value *v);
pm_value *scan_arr(scan_ctx *c, pm_pos pos);
void scan_push(scan_ctx *c, pm_value *arr, pm_value *v);
/* Copies of report values into the document (NULL src: NULL). */
pm_value *scan_copy(scan_ctx *c, const pm_value *src);
pm_value *scan_strn(scan_ctx *c, const char *s, size_t n, pm_pos pos);
pm_value *scan_int(scan_ctx *c, int64_t i, pm_pos pos);
pm_value *scan_num(scan_ctx *c, double n, pm_pos pos);
pm_value *scan_bool(scan_ctx *c, bool b);
/* The strings of an array member, copied (non-strings are errors). */
pm_value *scan_string_list(scan_ctx *c, const pm_value *arr, pm_pos pos);
/* A scratch lookup table (a map with a hash index). */
pm_value *scan_table(scan_ctx *c);
void scan_table_set(scan_ctx *c, pm_value *table, const char *key, size_t n, pm_value *v);

/* ---- the scan object and the vulnerabilities (vuln.c) -------------------- */

typedef struct scan_meta {
  pm_pos pos;                   /* the report's root object */
  const char *scanner;          /* "trivy", "grype", "docker-scout" */
  const pm_value *version;      /* the scanner's version, or NULL */
  const pm_value *created;      /* when the report was made, or NULL */
  const pm_value *artifact;     /* the name of what was scanned, or NULL */
  const char *artifact_type;    /* "image", "filesystem", ..., or NULL */
  const pm_value *image_id;     /* or NULL */
  const pm_value *repo_digests; /* array of strings, or NULL */
  const pm_value *os_family, *os_name; /* or NULL */
  int64_t ignored;              /* matches the scanner itself ignored */
} scan_meta;

/* Fills doc.scan; sets c->scanner. */
void scan_set_meta(scan_ctx *c, const scan_meta *m);

typedef struct scan_package {
  const pm_value *name, *version, *type, *purl, *path; /* each may be NULL */
} scan_package;

typedef struct scan_vuln {
  pm_pos pos;                  /* the report's JSON object for it */
  const pm_value *id;          /* a non-empty string */
  pm_value *aliases;           /* built (scan_arr), or NULL */
  const pm_value *severity;    /* the scanner's word, or NULL */
  bool has_cvss;
  double cvss;
  scan_package package;
  pm_value *fixed_versions;    /* built, or NULL */
  enum scan_word fix_state;    /* W_FIXED, W_NOT_FIXED, W_WONT_FIX, W_UNKNOWN */
  pm_value *target;            /* built (shared by a report's target), or NULL */
  const pm_value *layer_digest, *layer_diff_id; /* or NULL */
  const pm_value *url;         /* or NULL */
} scan_vuln;

/* Appends a vulnerability to doc.vulnerabilities. */
void scan_add_vuln(scan_ctx *c, const scan_vuln *v);
/* The fixed versions in a text such as "1.2.3, 1.3.1" (Trivy's
** FixedVersion): one string each, positioned at the text. */
pm_value *scan_split_versions(scan_ctx *c, const pm_value *text);

/* ---- image layers (history.c) -------------------------------------------- */

/* Records the image's layers: diff_ids (an array of strings, in order),
** and, from its config's history, how many of the first ones the base
** image brought (see history.c). Either may be NULL. */
void scan_image_layers(scan_ctx *c, const pm_value *diff_ids, const pm_value *history);

/* ---- package URLs (purl.c) ----------------------------------------------- */

typedef struct scan_purl {
  const char *type;    size_t type_len;
  const char *name;    size_t name_len;    /* percent-encoded */
  const char *version; size_t version_len; /* percent-encoded; NULL: none */
} scan_purl;

/* Splits "pkg:type/namespace/name@version?qualifiers#subpath". */
bool scan_purl_split(const char *s, size_t n, scan_purl *out);
/* A percent-encoded part, decoded, as a document string. */
pm_value *scan_purl_part(scan_ctx *c, const char *s, size_t n, pm_pos pos);

/* ---- timestamps (timestamp.c) -------------------------------------------- */

/* Seconds since the epoch of an RFC 3339 time ("2024-05-01T10:00:00Z",
** fractions and offsets allowed) or a plain date. False when malformed. */
bool scan_parse_time(const char *s, size_t n, int64_t *out);

/* ---- readers --------------------------------------------------------------- */

void scan_read_trivy(scan_ctx *c, const pm_value *root);
void scan_read_grype(scan_ctx *c, const pm_value *root);
void scan_read_scout(scan_ctx *c, const pm_value *root);

#endif
