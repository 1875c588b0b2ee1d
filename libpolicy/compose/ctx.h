/*
** ctx.h: the state shared by the parts of the Compose loader: the files
** of the project, node marks, the document that collects problems.
*/
#ifndef POL_COMPOSE_CTX_H
#define POL_COMPOSE_CTX_H

#include <stdarg.h>

#include "../core/pathname.h"
#include "../model/build.h"
#include "compose.h"
#include "interp.h"
#include "marks.h"
#include "yaml.h"

/* The variables of one project: the process environment first, then the
** projects that include it (outermost first), then its own .env. */
typedef struct cmp_env {
  const cmp_io *io;
  pm_value *vars;               /* PM_MAP name -> string */
  const struct cmp_env *parent; /* the including project, or NULL */
} cmp_env;

typedef struct cmp_file {
  const char *path;       /* in positions: NULL for the document's own file */
  const char *name;       /* as given, for messages and linking */
  const char *dir;        /* folder of the file */
  const char *base;       /* folder relative paths in it start from */
  const cmp_env *env;
  pm_value *root;         /* documents merged and interpolated, or NULL */
  pm_value *resolved;     /* extends: service name -> resolved service */
  pm_value *resolving;    /* extends: services on the current chain */
  bool including;         /* on the current include chain */
} cmp_file;

typedef struct cmp_ctx {
  pm_builder pm;          /* the arena and the sticky out-of-memory flag */
  pm_value *doc;
  const cmp_io *io;
  pm_load_limits lim;
  cmp_marks marks;
  cmp_file **files;       /* every file read, in reading order */
  size_t nfiles, fcap;
  pm_value *warned;       /* variables already reported as not set */
  const char *cwd;        /* the working directory (absolute), or NULL */
} cmp_ctx;

void cmp_error(cmp_ctx *c, pm_pos pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void cmp_warning(cmp_ctx *c, pm_pos pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* A project's environment under `parent`: the variables of `files` (each
** must exist; later ones win) or, when there are none, of `dir`/.env if
** it exists and COMPOSE_DISABLE_ENV_FILE is not set. NULL on an error
** (recorded at `from`) or out-of-memory. */
const cmp_env *cmp_env_new(cmp_ctx *c, const cmp_env *parent,
                           const char *const *files, size_t n, const char *dir,
                           pm_pos from);

/* The lookup function of an environment (for interp.h). */
cmp_lookup cmp_env_lookup(const cmp_env *env);

/* The file a position belongs to (by pos.file), or NULL. */
cmp_file *cmp_file_of(const cmp_ctx *c, pm_pos pos);

/* Reads, parses and interpolates a file (once: later calls return the
** same cmp_file). `from` is where the file was named (for errors).
** Returns NULL when it cannot be read (an error is recorded) or on
** out-of-memory (c->pm.oom). */
cmp_file *cmp_load(cmp_ctx *c, const char *name, const char *base,
                   const cmp_env *env, const char *text, size_t len,
                   pm_pos from);

/* Interpolates every value of a tree (keys stay as written) with `env`;
** changed strings are new nodes marked with their text as written. */
pm_value *cmp_interpolate(cmp_ctx *c, const cmp_env *env, pm_value *root);

/* Suppression comments of a file (see model/suppress.h). */
void cmp_comments(cmp_ctx *c, const char *text, size_t len,
                  const cmp_yaml *y, const char *file);

/* Merging (merge.c): files as override files merge, services as extends
** and override files merge them. Inputs are not changed. */
pm_value *cmp_merge_files(cmp_ctx *c, pm_value *base, pm_value *over);
pm_value *cmp_merge_service(cmp_ctx *c, pm_value *base, pm_value *over);
/* A copy of v without the values tagged !reset. */
pm_value *cmp_drop_resets(cmp_ctx *c, pm_value *v);

/* `include` (include.c) and `extends` (extends.c) of a file's tree. */
pm_value *cmp_include(cmp_ctx *c, cmp_file *f, pm_value *root, int depth);
pm_value *cmp_extends(cmp_ctx *c, cmp_file *f, pm_value *root);

/* Compose's consistency rules over the merged root; `containers` maps
** service names to their containers (validate.c). */
void cmp_check(cmp_ctx *c, const pm_value *root, const pm_value *containers);

#endif
