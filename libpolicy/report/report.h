/*
** report.h: what a check run produced: findings, suppressed findings,
** errors (input errors and rule errors) and the rules' logs. The struct
** behind the public policy_report handle.
**
** Memory: an entry's strings live in the report's arena (file paths,
** messages, subjects and reasons are interned: one copy per distinct
** text; only logs are copied each), so an entry costs its fingerprint and
** a few words. The rule's metadata (title,
** description, refs, ...) is not copied into entries: they share one
** refcounted rep_rule, made once per loaded rule, which stays alive as
** long as an engine or a report holds it.
**
** Invariant: readers see every list sorted by file, line, column, rule,
** message, with exact duplicates dropped. Adding marks the report
** unsorted; rep_settle() restores the invariant and every reader calls
** it first.
*/
#ifndef POL_REPORT_REPORT_H
#define POL_REPORT_REPORT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/hindex.h"

/* One tool's references of a rule: "cis" -> "4.1" or "5.4,5.5". */
typedef struct rep_ref {
  const char *tool;  /* "cis", "hadolint", "trivy", "kics", "checkov" */
  const char *id;    /* the tool's ids, joined with commas */
} rep_ref;

/* A rule's metadata as reports show it. Immutable once made; one block
** (the struct, its refs and strings) freed when the last reference goes.
** The refcount is atomic: reports of several threads may share a rule. */
typedef struct rep_rule {
  atomic_size_t refcount;
  const char *id, *title, *description, *remediation, *origin;
  int severity;           /* policy_severity */
  const rep_ref *refs;    /* one per tool, in the order of rep_ref_tools */
  size_t nrefs;
} rep_rule;

/* The tools a rule may reference, in output order; NULL-terminated. */
extern const char *const rep_ref_tools[];

/* Makes a rule's metadata with one reference held by the caller. `refs`
** lists (tool, id) pairs in any order, several ids per tool allowed;
** they are grouped per tool in rep_ref_tools order, ids of a tool in the
** order given (so the output is stable). Strings are copied; NULL for
** description, remediation or origin means "". Returns NULL on
** out-of-memory. */
rep_rule *rep_rule_new(const char *id, const char *title, int severity,
                       const char *description, const char *remediation,
                       const char *origin, const rep_ref *refs, size_t nrefs);
rep_rule *rep_rule_retain(rep_rule *r);   /* returns r; NULL tolerated */
void rep_rule_release(rep_rule *r);       /* NULL tolerated */
/* The rule's ids for a tool, or NULL. */
const char *rep_rule_ref(const rep_rule *r, const char *tool);

typedef struct rep_item {
  rep_rule *rule;         /* a reference held; NULL for input errors */
  int severity;           /* findings: policy_severity; 0 for errors */
  const char *message, *file, *subject;
  const char *reason;     /* suppressed: why; otherwise NULL */
  const char *limit;      /* rule errors: "instructions", "memory", ... */
  /* warnings: "input" (the document's own) or "unknown-id" (a suppression
  ** comment naming no loaded rule); suppressed: "comment" or "baseline" */
  const char *kind;
  /* findings, suppressed and fixed entries: 16 hex digits from the rule
  ** id, the normalised file and node_hash (fingerprint.c), never the
  ** line; rep_add computes it when NULL */
  const char *fingerprint;
  uint32_t line, column, end_line, end_column;
  uint64_t node_hash;     /* findings: the engine's hash of the reported
                          ** node's content (not its position), for
                          ** fingerprints that survive line moves */
} rep_item;

typedef struct rep_list {
  rep_item *items;
  size_t len, cap;
} rep_list;

/* File names (interned): sorted by name, each once, when settled. */
typedef struct rep_files {
  const char **items;
  size_t len, cap;
} rep_files;

/* Interned strings: text -> its one copy in the report's arena. */
typedef struct rep_strings {
  const char **items;     /* arena copies, NUL-terminated */
  size_t *lens;
  size_t len, cap;
  pol_hindex index;
} rep_strings;

struct policy_report {
  bool unsorted;   /* entries were added since the lists were last sorted */
  bool baselined;  /* a baseline was applied (baseline.c) */
  rep_list findings, suppressed, errors;
  rep_list logs;   /* what rules printed: rule, file, message = the text */
  rep_list warnings; /* input warnings and unknown ids in comments */
  rep_list fixed;  /* baseline entries no finding matched any more */
  rep_files checked; /* the files checked: one each once settled */
  size_t files;
  pol_arena arena; /* every string of every entry */
  rep_strings strings;
};
typedef struct policy_report rep_report;

/* Appends a copy of *item to one of r's lists: its strings are copied
** into r (file, subject and reason interned), its rule retained. Returns
** false on out-of-memory (the list is unchanged). */
bool rep_add(rep_report *r, rep_list *list, const rep_item *item);
/* Sorts every list and drops exact duplicates when entries were added:
** readers call it, so adding stays O(1) per entry and a run sorts once. */
void rep_settle(rep_report *r);
/* The rule id of an entry, or NULL for input errors. */
static inline const char *rep_item_rule_id(const rep_item *it) {
  return it->rule ? it->rule->id : NULL;
}

/* qsort's comparison of two const char * (file names) by strcmp. */
int rep_cmp_names(const void *a, const void *b);

/* Records that a file was checked (interned; duplicates dropped when
** settled). Returns false on out-of-memory. */
bool rep_add_checked(rep_report *r, const char *file);

/* The fingerprint of a finding as 16 hex digits and a NUL (fingerprint.c). */
void rep_fingerprint(char out[17], const rep_item *it);

/* Writers (write*.c). `rules` (may be empty) are the loaded rules, for
** the formats that list them (SARIF's driver, JUnit's test cases). */
typedef struct rep_rules {
  const rep_rule *const *items;
  size_t len;
} rep_rules;

enum {
  REP_PRETTY = 1u << 0,     /* JSON formats: indented */
  REP_COLOR = 1u << 1,      /* text: ANSI colours */
  REP_NO_SUMMARY = 1u << 2  /* text: no summary line */
};

/* Text with control characters escaped (escape.c): rep_put_escaped keeps
** newlines when asked; rep_put_text (NULL: nothing) never does. */
void rep_put_escaped(pol_buf *b, const char *s, size_t n, bool keep_newlines);
void rep_put_text(pol_buf *b, const char *s);

/* XML text or attribute content (write_xml.c): escaped as rep_put_text
** (newlines as &#10; when kept), then & < > " ' as entities. */
void rep_put_xml(pol_buf *b, const char *s, bool keep_newlines);
/* The distinct files of the report (checked or named by an entry),
** sorted; pol_malloc'd array of borrowed strings, NULL on out-of-memory. */
const char **rep_report_files(const rep_report *r, size_t *n);

void rep_write_json(pol_buf *out, const rep_report *r, bool pretty);
void rep_write_text(pol_buf *out, const rep_report *r, unsigned flags);
void rep_write_sarif(pol_buf *out, const rep_report *r, const rep_rules *rules,
                     unsigned flags);
void rep_write_junit(pol_buf *out, const rep_report *r, const rep_rules *rules);
void rep_write_github(pol_buf *out, const rep_report *r);
void rep_write_gitlab(pol_buf *out, const rep_report *r, unsigned flags);
void rep_write_checkstyle(pol_buf *out, const rep_report *r);
void rep_write_baseline(pol_buf *out, const rep_report *r);

const char *rep_severity_name(int severity);

/* JSON pieces: `"k":` preceded by a comma unless first; a string or null. */
void rep_json_key(pol_buf *out, const char *k, bool first);
void rep_json_str(pol_buf *out, const char *s);

/* {"tool": "id[,id...]", ...} */
void rep_write_refs(pol_buf *out, const rep_ref *refs, size_t n);

#endif
