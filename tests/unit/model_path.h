/*
** model_path.h: reading a model tree in tests by dotted path:
** get(doc, "images.1.from.tag") — numbers index arrays — and typed
** accessors that fail the test when the value is missing or of another
** type. Shared by the model tests (build, compose, inspect).
*/
#ifndef POLICY_TESTS_MODEL_PATH_H
#define POLICY_TESTS_MODEL_PATH_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/value.h"

static inline pm_value *get(pm_value *v, const char *path) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s", path);
  char *save = NULL;
  for (char *part = strtok_r(buf, ".", &save); part && v; part = strtok_r(NULL, ".", &save)) {
    if (v->type == PM_ARR) {
      size_t i = (size_t)atoi(part);
      v = i < v->u.arr.len ? v->u.arr.items[i] : NULL;
    } else {
      v = pm_get(v, part);
    }
  }
  return v;
}

static inline pm_value *must(pm_value *v, const char *path, pm_type t) {
  pm_value *x = get(v, path);
  cr_assert_not_null(x, "%s missing", path);
  cr_assert_eq(x->type, t, "%s has type %d, not %d", path, x->type, t);
  return x;
}

static inline const char *s(pm_value *v, const char *path) { return must(v, path, PM_STR)->u.str.s; }
static inline int64_t i(pm_value *v, const char *path) { return must(v, path, PM_INT)->u.i; }
static inline double num(pm_value *v, const char *path) { return must(v, path, PM_NUM)->u.n; }
static inline bool b(pm_value *v, const char *path) { return must(v, path, PM_BOOL)->u.b; }

/* Absent or null. */
static inline bool is_null(pm_value *v, const char *path) {
  pm_value *x = get(v, path);
  return x == NULL || x->type == PM_NULL;
}

/* Present, and null. */
static inline void must_be_null(pm_value *v, const char *path) { must(v, path, PM_NULL); }

/* Items of an array, or members of an object or map. */
static inline size_t len(pm_value *v, const char *path) {
  pm_value *x = get(v, path);
  cr_assert_not_null(x, "%s missing", path);
  cr_assert(x->type == PM_ARR || x->type == PM_MAP || x->type == PM_OBJ, "%s is not a container", path);
  return x->type == PM_ARR ? x->u.arr.len : x->u.obj.len;
}

#endif
