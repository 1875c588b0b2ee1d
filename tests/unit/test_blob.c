/*
** test_blob.c: the binary form of a value tree (model/blob.h) gives back
** what the YAML loader built, positions included, and refuses bytes that
** are not a whole form.
*/
#include <criterion/criterion.h>
#include <string.h>

#include "model/blob.h"
#include "model/load.h"

static void same(const pm_value *a, const pm_value *b) {
  cr_assert_eq(a->type, b->type);
  cr_assert(a->pos.file == NULL && b->pos.file == NULL);
  cr_assert(a->pos.line == b->pos.line && a->pos.col == b->pos.col &&
            a->pos.end_line == b->pos.end_line && a->pos.end_col == b->pos.end_col);
  switch (a->type) {
  case PM_BOOL: cr_assert_eq(a->u.b, b->u.b); break;
  case PM_INT: cr_assert_eq(a->u.i, b->u.i); break;
  case PM_NUM: cr_assert(memcmp(&a->u.n, &b->u.n, sizeof a->u.n) == 0); break;
  case PM_STR:
    cr_assert_eq(a->u.str.len, b->u.str.len);
    cr_assert(memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0);
    break;
  case PM_ARR:
    cr_assert_eq(a->u.arr.len, b->u.arr.len);
    for (size_t i = 0; i < a->u.arr.len; i++) same(a->u.arr.items[i], b->u.arr.items[i]);
    break;
  case PM_MAP:
    cr_assert_eq(a->u.obj.len, b->u.obj.len);
    for (size_t i = 0; i < a->u.obj.len; i++) {
      const pm_member *x = &a->u.obj.items[i], *y = &b->u.obj.items[i];
      cr_assert(x->key_len == y->key_len && memcmp(x->key, y->key, x->key_len) == 0);
      same(x->val, y->val);
      /* found by key too: the rebuilt map's index works */
      cr_assert_eq(pm_getn(b, x->key, x->key_len), y->val);
    }
    break;
  default: break;
  }
}

static const char doc[] =
    "images:\n"
    "  - repository: library/python\n"
    "    tags: [\"3.7\", 3.8, 12, -4, true, null, ~, 1e3, .inf]\n"
    "    name: \"Python {version}\\u00e9\"\n"
    "    eol: 2023-06-27\n"
    "  - {a: 1, b: [], c: {}}\n"
    "k0: 0\nk1: 1\nk2: 2\nk3: 3\nk4: 4\nk5: 5\nk6: 6\nk7: 7\nk8: 8\nk9: 9\n"
    "text: |\n  two\n  lines\n";

Test(blob, gives_back_what_the_yaml_loader_built) {
  pol_arena a = POL_ARENA_INIT;
  pm_load_limits lim = {256, 1000000};
  pm_value *v, *back;
  pol_buf err = POL_BUF_INIT, form = POL_BUF_INIT;
  cr_assert_eq(pm_load_yaml(&a, doc, sizeof doc - 1, &lim, &v, &err), PM_LOAD_OK, "%s", err.data);
  cr_assert(pm_blob_write(v, &form));
  cr_assert_eq(pm_blob_read(&a, form.data, form.len, &back), PM_LOAD_OK);
  same(v, back);
  /* Every cut short, and a wrong start, is refused. */
  for (size_t n = 0; n < form.len; n++)
    cr_assert_eq(pm_blob_read(&a, form.data, n, &back), PM_LOAD_SYNTAX, "length %zu", n);
  form.data[0] = 'X';
  cr_assert_eq(pm_blob_read(&a, form.data, form.len, &back), PM_LOAD_SYNTAX);
  pol_buf_free(&form);
  pol_buf_free(&err);
  pol_arena_free(&a);
}

Test(blob, no_form_for_objects_of_a_schema) {
  pol_arena a = POL_ARENA_INIT;
  pol_buf form = POL_BUF_INIT;
  cr_assert(!pm_blob_write(pm_obj(&a, pm_nopos), &form));
  pol_buf_free(&form);
  pol_arena_free(&a);
}
