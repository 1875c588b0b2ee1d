/*
** archive_lib.c: libarchive opened on first use (see archive_lib.h).
*/
#include "archive_lib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <pthread.h>
#include <stddef.h>

#ifndef POL_LIBARCHIVE_SONAME
#error "libpolicy/meson.build defines POL_LIBARCHIVE_SONAME (the libarchive to open)"
#endif

api_la_functions api_la;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *failure; /* NULL: every function found */
static char failure_text[256];

static void open_once(void) {
  void *h = dlopen(POL_LIBARCHIVE_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (h == NULL) {
    const char *msg = dlerror();
    snprintf(failure_text, sizeof failure_text, "%s", msg ? msg : "cannot be opened");
    failure = failure_text;
    return;
  }
  /* Every function or none: a missing one leaves the table unusable. */
#define API_LA_FIND(name)                                        \
  if (failure == NULL && (*(void **)&api_la.name = dlsym(h, #name)) == NULL) \
    failure = #name " is missing";
  API_LA_FUNCTIONS(API_LA_FIND)
#undef API_LA_FIND
}

bool api_la_open(policy_engine *e) {
  pthread_once(&once, open_once);
  if (failure == NULL) return true;
  api_fail(e, POLICY_ERR_UNSUPPORTED, "pack archives need libarchive (%s): %s",
           POL_LIBARCHIVE_SONAME, failure);
  return false;
}
