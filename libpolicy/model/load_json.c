/*
** load_json.c: JSON text to a model tree, through jansson.
**
** jansson keeps no positions for values, so nodes carry the position of
** the document's first byte; errors carry jansson's exact line and column.
*/
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "load.h"

typedef struct jload {
  pol_arena *a;
  const pm_load_limits *lim;
  size_t nodes;
  pm_pos pos;
  bool too_big;
} jload;

static pm_value *convert(jload *j, json_t *v, size_t depth) {
  if (++j->nodes > j->lim->max_nodes || depth > j->lim->max_depth) {
    j->too_big = true;
    return NULL;
  }
  pol_arena *a = j->a;
  switch (json_typeof(v)) {
  case JSON_NULL: return pm_null(a, j->pos);
  case JSON_TRUE: return pm_bool(a, true, j->pos);
  case JSON_FALSE: return pm_bool(a, false, j->pos);
  case JSON_INTEGER: return pm_int(a, (int64_t)json_integer_value(v), j->pos);
  case JSON_REAL: return pm_num(a, json_real_value(v), j->pos);
  case JSON_STRING:
    return pm_strn(a, json_string_value(v), json_string_length(v), j->pos);
  case JSON_ARRAY: {
    pm_value *arr = pm_arr(a, j->pos);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
      if (!pm_push(a, arr, convert(j, item, depth + 1))) return NULL;
    }
    return arr;
  }
  case JSON_OBJECT: {
    pm_value *map = pm_map(a, j->pos);
    const char *key;
    size_t klen;
    json_t *item;
    void *tmp;
    json_object_keylen_foreach_safe(v, tmp, key, klen, item) {
      if (!pm_setn(a, map, key, klen, convert(j, item, depth + 1))) return NULL;
    }
    return map;
  }
  }
  return NULL;
}

int pm_load_json(pol_arena *a, const char *text, size_t len,
                 const pm_load_limits *limits, pm_value **out, pol_buf *err) {
  json_error_t je;
  *out = NULL;
  json_t *root = json_loadb(text, len,
                            JSON_REJECT_DUPLICATES | JSON_DECODE_ANY |
                                JSON_ALLOW_NUL,
                            &je);
  if (root == NULL) {
    pol_buf_printf(err, "%d:%d: %s", je.line, je.column, je.text);
    return PM_LOAD_SYNTAX;
  }
  jload j = {a, limits, 0, pm_pos_make(1, 1, 1, 1), false};
  pm_value *v = convert(&j, root, 0);
  json_decref(root);
  if (j.too_big) {
    pol_buf_printf(err, "1:1: document nests deeper than %zu levels or has more "
                "than %zu values (fixed limits)", limits->max_depth, limits->max_nodes);
    return PM_LOAD_SYNTAX;
  }
  if (v == NULL) return PM_LOAD_NOMEM;
  *out = v;
  return PM_LOAD_OK;
}
