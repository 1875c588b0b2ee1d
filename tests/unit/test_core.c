/*
** test_core.c: the core utilities (buffer, arena, allocation failure).
*/
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"

Test(buf, appends_and_detaches) {
  pol_buf b = POL_BUF_INIT;
  pol_buf_puts(&b, "abc");
  pol_buf_putc(&b, '-');
  pol_buf_printf(&b, "%d", 42);
  size_t n;
  char *s = pol_buf_detach(&b, &n);
  cr_assert_str_eq(s, "abc-42");
  cr_assert_eq(n, 6);
  pol_free(s);
}

Test(buf, utf8_encoding) {
  pol_buf b = POL_BUF_INIT;
  pol_buf_put_utf8(&b, 0x41);
  pol_buf_put_utf8(&b, 0xE9);
  pol_buf_put_utf8(&b, 0x2603);
  pol_buf_put_utf8(&b, 0x1F600);
  pol_buf_put_utf8(&b, 0xD800); /* surrogate -> U+FFFD */
  cr_assert_eq(b.len, 1 + 2 + 3 + 4 + 3);
  cr_assert(memcmp(b.data, "A\xC3\xA9\xE2\x98\x83\xF0\x9F\x98\x80\xEF\xBF\xBD", b.len) == 0);
  pol_buf_free(&b);
}

Test(buf, oom_is_sticky) {
  pol_buf b = POL_BUF_INIT;
  pol_alloc_inject_failure(1, 1);
  pol_buf_puts(&b, "x");
  pol_alloc_inject_failure(0, 0);
  cr_assert(b.oom);
  pol_buf_puts(&b, "y");
  cr_assert(b.oom);
  cr_assert_null(pol_buf_detach(&b, NULL));
}

/* The JSON escaping of byte strings, as a plain byte-by-byte writer
** would do it: every byte that needs an escape, at every place in the
** eight-byte words the fast path reads (random strings over the bytes
** that matter, and every single special byte at every offset). */
static void json_by_bytes(pol_buf *b, const unsigned char *s, size_t n) {
  pol_buf_putc(b, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = s[i];
    char e[8];
    if (c == '"') pol_buf_puts(b, "\\\"");
    else if (c == '\\') pol_buf_puts(b, "\\\\");
    else if (c == '\n') pol_buf_puts(b, "\\n");
    else if (c == '\r') pol_buf_puts(b, "\\r");
    else if (c == '\t') pol_buf_puts(b, "\\t");
    else if (c == '\b') pol_buf_puts(b, "\\b");
    else if (c == '\f') pol_buf_puts(b, "\\f");
    else if (c < 0x20) {
      snprintf(e, sizeof e, "\\u%04x", c);
      pol_buf_puts(b, e);
    } else if (c >= 0x80) {
      break; /* the cases below hold ASCII only */
    } else pol_buf_putc(b, (char)c);
  }
  pol_buf_putc(b, '"');
}

Test(buf, json_strings_escape_every_special_byte_at_every_offset) {
  static const unsigned char alphabet[] = {'a', 'Z', ' ', '~', 0x1f, 0x20, '"', '\\', '\n',
                                           '\t', 0x01, 0x7f, 0x21, 0x5b, 0x5d, 0x00};
  unsigned seed = 12345;
  unsigned char s[40];
  for (int round = 0; round < 20000; round++) {
    size_t n = (size_t)(round % 40);
    for (size_t i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      s[i] = round < 16 * 40 ? (i == (size_t)(round / 40) % (n ? n : 1) ? alphabet[round % 16] : 'x')
                             : alphabet[(seed >> 16) % sizeof alphabet];
    }
    pol_buf got = POL_BUF_INIT, want = POL_BUF_INIT;
    pol_buf_put_json_string(&got, (const char *)s, n);
    json_by_bytes(&want, s, n);
    cr_assert_eq(got.len, want.len, "round %d", round);
    cr_assert(memcmp(got.data, want.data, got.len) == 0, "round %d: %s vs %s", round, got.data,
              want.data);
    pol_buf_free(&got);
    pol_buf_free(&want);
  }
}

Test(arena, allocations_are_aligned_and_survive_growth) {
  pol_arena a = POL_ARENA_INIT;
  char *first = pol_arena_strdup(&a, "first");
  for (int i = 0; i < 10000; i++) {
    void *p = pol_arena_alloc(&a, (size_t)(i % 97) + 1);
    cr_assert_not_null(p);
    cr_assert_eq((uintptr_t)p % 8, 0);
  }
  char *big = pol_arena_alloc(&a, 3u << 20);
  cr_assert_not_null(big);
  memset(big, 'x', 3u << 20);
  cr_assert_str_eq(first, "first");
  pol_arena_free(&a);
}

Test(arena, limit_is_enforced) {
  pol_arena a = POL_ARENA_INIT;
  a.limit = 1000;
  cr_assert_not_null(pol_arena_alloc(&a, 800));
  cr_assert_null(pol_arena_alloc(&a, 800));
  cr_assert(a.over_limit);
  pol_arena_free(&a);
}

Test(arena, grow_keeps_items) {
  pol_arena a = POL_ARENA_INIT;
  int *items = NULL;
  size_t cap = 0;
  for (size_t i = 0; i < 1000; i++) {
    cr_assert(pol_arena_grow(&a, (void **)&items, &cap, i + 1, sizeof *items));
    items[i] = (int)i;
  }
  for (size_t i = 0; i < 1000; i++) cr_assert_eq(items[i], (int)i);
  pol_arena_free(&a);
}

Test(arena, allocation_failure_returns_null) {
  pol_arena a = POL_ARENA_INIT;
  pol_alloc_inject_failure(1, 0);
  cr_assert_null(pol_arena_alloc(&a, 16));
  cr_assert_not_null(pol_arena_alloc(&a, 16));
  pol_alloc_inject_failure(0, 0);
  pol_arena_free(&a);
}

/* A worker child's own heap (sanitized builds; see alloc.h): blocks it
** makes, grows and frees there, and blocks it inherited from the parent,
** read and grown but never handed back to the parent's allocator. */
#include <sys/wait.h>
#include <unistd.h>

Test(alloc, a_child_heap_serves_the_child) {
#if POL_SANITIZED
  char *inherited = pol_malloc(100);
  cr_assert_not_null(inherited);
  memset(inherited, 'p', 100);
  pid_t pid = fork();
  cr_assert_geq(pid, 0);
  if (pid == 0) {
    int bad = 0;
    if (!pol_alloc_child_heap()) _exit(10);
    char *a = pol_malloc(10), *z = pol_calloc(100, 10);
    if (a == NULL || z == NULL) _exit(11);
    for (size_t i = 0; i < 1000; i++) bad |= z[i] != 0;
    memcpy(a, "012345678", 10);
    a = pol_realloc(a, 5000); /* another class: moved, kept */
    bad |= a == NULL || memcmp(a, "012345678", 10) != 0;
    char *g = pol_realloc(inherited, 200); /* a parent block: copied */
    bad |= g == NULL || g == inherited || g[0] != 'p' || g[99] != 'p';
    pol_free(z);
    char *again = pol_calloc(100, 10); /* z's block again, zeroed */
    bad |= again != z || again[0] != 0;
    pol_free(inherited); /* left alone */
    pol_free(a);
    pol_free(g);
    _exit(bad ? 12 : 0);
  }
  int status = 0;
  cr_assert_eq(waitpid(pid, &status, 0), pid);
  cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
  cr_assert_eq(inherited[0], 'p'); /* the parent's block is untouched */
  pol_free(inherited);
#else
  cr_skip("the child heap exists in sanitized builds only (alloc.h)");
#endif
}

#include "model/value.h"

Test(value, large_maps_keep_order_and_find_every_key, .timeout = 10) {
  pol_arena a = POL_ARENA_INIT;
  pm_value *m = pm_map(&a, pm_nopos);
  char key[32];
  for (int i = 0; i < 200000; i++) {
    int n = snprintf(key, sizeof key, "k%d", i);
    cr_assert(pm_setn(&a, m, key, (size_t)n, pm_int(&a, i, pm_nopos)));
  }
  for (int i = 0; i < 200000; i += 7) {
    int n = snprintf(key, sizeof key, "k%d", i);
    cr_assert_eq(pm_getn(m, key, (size_t)n)->u.i, i);
  }
  cr_assert(pm_setn(&a, m, "k5", 2, pm_int(&a, -5, pm_nopos)));
  cr_assert_eq(m->u.obj.len, 200000, "replacing keeps one entry");
  cr_assert_eq(m->u.obj.items[5].val->u.i, -5, "in its first place");
  cr_assert_str_eq(m->u.obj.items[199999].key, "k199999");
  cr_assert_null(pm_get(m, "absent"));
  pol_arena_free(&a);
}
