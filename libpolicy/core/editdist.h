/*
** editdist.h: Levenshtein distance, for "did you mean" suggestions (an
** unknown Dockerfile instruction or flag, a model field a rule misspelt).
*/
#ifndef POL_CORE_EDITDIST_H
#define POL_CORE_EDITDIST_H

#include <stddef.h>

/* Insertions, deletions and substitutions that turn a[0..an) into
** b[0..bn); SIZE_MAX when either is longer than POL_EDIT_MAX bytes (only
** short words are compared). Constant memory, O(an * bn) time. */
#define POL_EDIT_MAX 64
size_t pol_edit_distance(const char *a, size_t an, const char *b, size_t bn);

#endif
