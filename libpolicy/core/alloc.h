/*
** alloc.h: the one place libpolicy gets heap memory.
**
** Every allocation in the library goes through pol_malloc/pol_realloc/
** pol_free so that tests can make the N-th allocation fail (SQLite-style
** fault injection) and check that every caller turns that into
** POLICY_ERR_NOMEM without crashing or leaking.
**
** Invariants: pol_malloc(0) returns a valid unique pointer or NULL on
** failure; pol_realloc(p, 0) is never called by library code; pol_free(NULL)
** is a no-op. The fault-injection counters are thread-local: each thread
** has its own, so the wrappers are thread-safe and a test hook acts on
** the calling thread only.
*/
#ifndef POL_ALLOC_H
#define POL_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

/* 1 in builds under AddressSanitizer or ThreadSanitizer (test builds),
** which bring their own allocator; 0 otherwise. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define POL_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define POL_SANITIZED 1
#endif
#endif
#ifndef POL_SANITIZED
#define POL_SANITIZED 0
#endif

void *pol_malloc(size_t n);
void *pol_calloc(size_t count, size_t size);
void *pol_realloc(void *p, size_t n);
void  pol_free(void *p);
char *pol_strndup(const char *s, size_t n);

/* Test hook: fail the n-th allocation from now (1 = the next one) and every
** later one while `sticky` is set; n == 0 turns injection off. Returns the
** number of allocations attempted since the last call. */
unsigned long pol_alloc_inject_failure(unsigned long n, int sticky);

/* Test hook: blocks allocated through these functions and not yet freed
** by the calling thread (a leak check that needs no LeakSanitizer):
** meaningful when one thread allocates and frees. */
long pol_alloc_live(void);

/* An allocation point for allocators built on top of these (blocks taken
** from a pool): true when the injected failure falls on it. */
bool pol_alloc_fail_point(void);

#if POL_SANITIZED
/* In a child process just forked, before it allocates: from now on the
** functions above take memory from a heap of the child's own, and leave
** the blocks it inherited where they are (a worker child lives for one
** document and ends with _exit). The sanitizers' allocators (GCC 12's)
** have no fork handler: a child forked while another thread of the parent
** held one of their locks would wait on that lock forever. glibc's malloc
** takes its locks around fork, so other builds need none of this.
** Returns false when the heap could not be mapped. */
bool pol_alloc_child_heap(void);
#endif

/* Overflow-checked a*b; returns 0 and leaves *out alone on overflow. */
int pol_mul_ok(size_t a, size_t b, size_t *out);

#endif
