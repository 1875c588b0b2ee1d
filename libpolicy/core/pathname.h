/*
** pathname.h: lexical path cleaning, as Go's path.Clean does it (nothing
** is read and no symbolic link is followed). Shared by the Compose loader
** (file and mount paths), inspect (mount sources) and the AuthZ router
** (request paths), which must all agree with the Go programs they copy.
*/
#ifndef POL_CORE_PATHNAME_H
#define POL_CORE_PATHNAME_H

#include <stddef.h>

#include "arena.h"

/* p[0..n) with no empty or "." segments and each ".." folded into the
** segment before it where there is one ("/.." is "/"; "" is "."). The
** result is in the arena, never longer than n + 1 bytes plus its NUL;
** NULL on out-of-memory. */
char *pol_path_clean(pol_arena *a, const char *p, size_t n);

#endif
