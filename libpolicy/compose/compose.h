/*
** compose.h: Compose files into the model (docs/model.md, "container").
**
** cmp_build loads the files of one project the way `docker compose -f a
** -f b` does (each file's documents, interpolation, `include`, merging,
** `extends`), normalises every service into a `container` node and keeps
** the merged source as the document's `raw`. Problems are errors or
** warnings of the document, with file, line and column.
**
** The module does no IO of its own: files (.env, overrides, extended and
** included files) are read through `cmp_io`, so the caller decides what
** may be read and how much. Dockerfiles of `build:` are not read here:
** each service with a build is returned as a cmp_build_req for the caller
** to link (api/link.c).
*/
#ifndef POL_COMPOSE_COMPOSE_H
#define POL_COMPOSE_COMPOSE_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/buf.h"
#include "../model/load.h"
#include "../model/value.h"

enum { CMP_IO_OK = 0, CMP_IO_MISSING = 1, CMP_IO_FAIL = 2, CMP_IO_NOMEM = 3,
       CMP_IO_DENIED = 4 };

typedef struct cmp_io {
  /* Reads the file at `path` into *data (pol_malloc'd, NUL-terminated;
  ** the caller frees it with pol_free). CMP_IO_MISSING: there is no such
  ** file; CMP_IO_FAIL: it cannot be read (`why` says why); CMP_IO_DENIED:
  ** the caller does not read it (`why` says why): the document gets a
  ** warning naming it, never an error, and goes on without it. */
  int (*read)(void *ud, const char *path, char **data, size_t *len,
              pol_buf *why);
  /* The process environment: the value of `name`, or NULL when unset.
  ** NULL: the environment is not read; variables come from env files
  ** only, and the warning for an unset one says so. */
  const char *(*getenv)(void *ud, const char *name);
  void *ud;
} cmp_io;

typedef struct cmp_opts {
  const char *const *files;  /* merged in order; files[0] names the document */
  size_t nfiles;
  const char *text;          /* files[0]'s text when already read, else NULL */
  size_t text_len;
  bool find_override;        /* merge compose.override.yaml (or .yml, or the
                                docker-compose.override.* names) found next
                                to files[0] when files[0] has a default name */
  const char *env_file;      /* replaces the project's .env; NULL: default */
  pm_load_limits limits;     /* per file */
  const char *cwd;           /* the working directory, absolute: relative
                                bind sources are made absolute from it (as
                                Compose does); NULL: they stay relative */
} cmp_opts;

/* A service that builds its image, for the caller to link. */
typedef struct cmp_build_req {
  pm_value *container;       /* its `build.image` and `effective_user` wait */
  const char *dir;           /* the folder relative paths start from */
  const char *context;       /* as written ("." when not given) */
  const char *dockerfile;    /* as written, relative to the context; NULL:
                                "Dockerfile" */
  const pm_value *inline_text; /* dockerfile_inline (a string), or NULL */
  const char *target;        /* NULL: the last stage */
  const char *const *args;   /* "NAME=value" build arguments */
  size_t nargs;
} cmp_build_req;

enum { CMP_OK = 0, CMP_ERR_NOMEM = 1 };

/* Builds the document (kind "compose"). Input problems are recorded in it;
** the result is CMP_ERR_NOMEM only when memory ran out. */
int cmp_build(pol_arena *a, const cmp_opts *opts, const cmp_io *io,
              pm_value **doc, cmp_build_req **reqs, size_t *nreqs);

/* Path helpers (path.c), lexical only; results in the arena. */
char *cmp_path_join(pol_arena *a, const char *dir, const char *rel);
char *cmp_path_dir(pol_arena *a, const char *path);

#endif
