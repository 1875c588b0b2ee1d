/*
** cancel.h: reading a cancel flag that another thread (or a signal
** handler) may set at any moment (policy_engine_set_cancel). The read is
** a relaxed atomic load: the flag carries no data, so no ordering is
** needed, only a read that is not torn and that ThreadSanitizer sees as
** atomic when the writer stores atomically too.
*/
#ifndef POL_CORE_CANCEL_H
#define POL_CORE_CANCEL_H

#include <stdbool.h>

/* True when flag is set (non-NULL and non-zero). */
static inline bool pol_cancel_requested(const volatile int *flag) {
  if (flag == 0) return false;
#if defined(__GNUC__) || defined(__clang__)
  return __atomic_load_n(flag, __ATOMIC_RELAXED) != 0;
#else
  return *flag != 0;
#endif
}

#endif
