/*
** fuzz.h: what every fuzz target shares.
**
** A target is one file defining LLVMFuzzerTestOneInput. It is linked two
** ways: with libFuzzer (clang, -Dfuzzing=true) to search for inputs, and
** with replay.c (any compiler, always built) to run the committed
** regression inputs as an ordinary test. A target aborts (fuzz_assert) on
** any outcome its contract forbids, so both ways report it.
*/
#ifndef POL_FUZZ_H
#define POL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define fuzz_assert(cond)                                                   \
  do {                                                                      \
    if (!(cond)) {                                                          \
      fprintf(stderr, "%s:%d: fuzz_assert(%s) failed\n", __FILE__,          \
              __LINE__, #cond);                                             \
      abort();                                                              \
    }                                                                       \
  } while (0)

/* Inputs larger than this are skipped: the parsers' cost is linear in
** input size and big inputs only slow the search down. */
#define FUZZ_MAX_INPUT (256u << 10)

#endif
