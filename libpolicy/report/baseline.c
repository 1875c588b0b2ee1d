/*
** baseline.c: applying a baseline to a report (see baseline.h).
**
** Each finding takes the first untaken entry with its fingerprint (a
** fingerprint listed k times covers k findings, in report order) and
** moves to the suppressed list as kind "baseline". Entries left untaken
** whose file the report checked are what was fixed since the baseline.
*/
#include "baseline.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"

static int entry_cmp(const void *pa, const void *pb) {
  const rep_baseline_entry *a = pa, *b = pb;
  int c = strcmp(a->fingerprint, b->fingerprint);
  if (c) return c;
  return a->line < b->line ? -1 : a->line > b->line;
}

void rep_baseline_sort(rep_baseline *b) {
  if (b->len > 1) qsort(b->items, b->len, sizeof *b->items, entry_cmp);
}

void rep_baseline_clear(rep_baseline *b) {
  for (size_t i = 0; i < b->len; i++) rep_rule_release(b->items[i].rule);
  pol_arena_free(&b->arena);
  b->items = NULL;
  b->len = 0;
}

/* The first entry with this fingerprint, or b->len. */
static size_t first_of(const rep_baseline *b, const char *fp) {
  size_t lo = 0, hi = b->len;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(b->items[mid].fingerprint, fp) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static bool was_checked(const rep_report *r, const char *file) {
  size_t lo = 0, hi = r->checked.len;
  while (lo < hi) { /* checked is sorted by file (settled) */
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(r->checked.items[mid], file);
    if (c == 0) return true;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

/* Moves the findings the baseline holds; marks their entries taken. */
static bool move_known(rep_report *r, const rep_baseline *b, bool *taken,
                       const char *reason) {
  size_t kept = 0;
  rep_list *f = &r->findings;
  bool ok = true;
  for (size_t i = 0; i < f->len; i++) {
    rep_item *it = &f->items[i];
    size_t at = it->fingerprint ? first_of(b, it->fingerprint) : b->len;
    while (at < b->len && taken[at] && !strcmp(b->items[at].fingerprint, it->fingerprint)) at++;
    bool known = ok && at < b->len && !strcmp(b->items[at].fingerprint, it->fingerprint);
    if (known) {
      rep_item moved = *it;
      moved.kind = "baseline";
      moved.reason = reason;
      if (rep_add(r, &r->suppressed, &moved)) {
        taken[at] = true;
        rep_rule_release(it->rule);
        continue;
      }
      ok = false;
    }
    f->items[kept++] = *it;
  }
  f->len = kept;
  return ok;
}

bool rep_baseline_apply(rep_report *r, const rep_baseline *b) {
  rep_settle(r);
  bool *taken = pol_calloc(b->len ? b->len : 1, sizeof *taken);
  if (taken == NULL) return false;
  pol_buf reason = POL_BUF_INIT;
  pol_buf_printf(&reason, "in the baseline %s", b->name ? b->name : "");
  pol_buf_putc(&reason, '\0');
  bool ok = !reason.oom && move_known(r, b, taken, reason.data);
  for (size_t i = 0; ok && i < b->len; i++) {
    const rep_baseline_entry *e = &b->items[i];
    if (taken[i] || !was_checked(r, e->file)) continue;
    rep_item it = {0};
    it.rule = e->rule;
    it.file = e->file;
    it.message = e->message;
    it.line = it.end_line = e->line;
    it.fingerprint = e->fingerprint;
    ok = rep_add(r, &r->fixed, &it);
  }
  r->baselined = true;
  r->unsorted = true;
  pol_buf_free(&reason);
  pol_free(taken);
  return ok;
}
