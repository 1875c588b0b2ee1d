/*
** editdist.c: Levenshtein distance (see editdist.h), one row at a time.
*/
#include "editdist.h"

#include <assert.h>
#include <stdint.h>

size_t pol_edit_distance(const char *a, size_t an, const char *b, size_t bn) {
  if (an > POL_EDIT_MAX || bn > POL_EDIT_MAX) return SIZE_MAX;
  size_t row[POL_EDIT_MAX + 1];
  for (size_t j = 0; j <= bn; j++) row[j] = j;
  for (size_t i = 1; i <= an; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= bn; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  assert(row[bn] <= (an > bn ? an : bn));
  return row[bn];
}
