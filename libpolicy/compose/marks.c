/*
** marks.c: node marks of the Compose loader (see marks.h).
*/
#include "marks.h"

#include <string.h>

static const char *mark_key(const void *items, size_t i, size_t *len) {
  const cmp_mark *mk = (const cmp_mark *)items + i;
  *len = sizeof mk->node;
  return (const char *)&mk->node;
}

const cmp_mark *cmp_mark_of(const cmp_marks *m, const pm_value *node) {
  size_t i = pol_hindex_find(&m->index, (const char *)&node, sizeof node, mark_key,
                      m->items);
  return i == SIZE_MAX ? NULL : &m->items[i];
}

cmp_mark *cmp_mark_add(pol_arena *a, cmp_marks *m, const pm_value *node) {
  size_t i = pol_hindex_find(&m->index, (const char *)&node, sizeof node, mark_key,
                      m->items);
  if (i != SIZE_MAX) return &m->items[i];
  if (!pol_arena_grow(a, (void **)&m->items, &m->cap, m->len + 1, sizeof *m->items))
    return NULL;
  cmp_mark *mk = &m->items[m->len++];
  memset(mk, 0, sizeof *mk);
  mk->node = node;
  if (!pol_hindex_add(a, &m->index, m->len - 1, m->len, mark_key, m->items)) return NULL;
  return mk;
}

unsigned cmp_tags(const cmp_marks *m, const pm_value *node) {
  const cmp_mark *mk = cmp_mark_of(m, node);
  return mk ? mk->tags : 0;
}

static const char *memo_key(const void *items, size_t i, size_t *len) {
  const struct cmp_memo_item *it = (const struct cmp_memo_item *)items + i;
  *len = sizeof it->from;
  return (const char *)&it->from;
}

pm_value *cmp_memo_get(const cmp_memo *m, const pm_value *from) {
  size_t i = pol_hindex_find(&m->index, (const char *)&from, sizeof from, memo_key,
                      m->items);
  return i == SIZE_MAX ? NULL : m->items[i].to;
}

bool cmp_memo_put(pol_arena *a, cmp_memo *m, const pm_value *from, pm_value *to) {
  if (!pol_arena_grow(a, (void **)&m->items, &m->cap, m->len + 1, sizeof *m->items))
    return false;
  m->items[m->len].from = from;
  m->items[m->len].to = to;
  m->len++;
  return pol_hindex_add(a, &m->index, m->len - 1, m->len, memo_key, m->items);
}
