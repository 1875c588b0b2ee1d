/*
** runline.h: a `docker run` or `docker create` command line (the
** argument list as the shell hands it to docker) into a document of the
** model: kind "run", one container of origin "run" built with the same
** pieces as every other source (model/container_fill.h), so the rules
** that judge Compose services, inspected containers and create requests
** judge the command line too.
**
** Flags are read as the docker CLI reads them (spf13/pflag): `--flag
** value`, `--flag=value`, `-f value`, `-fvalue`, `-f=value`, grouped short
** flags (`-it`, `-dp 80:80`), booleans with an optional `=true|false`,
** flags up to the first argument that is not one (the image) or `--`;
** global options of docker (`-H`, `--context`, ...) before the
** subcommand are skipped. Every flag that sets a field of the model sets
** it at the position of the argument that holds its value: line 1,
** column = the argument's index in argv (argv[0], the program, is 0), so
** a finding names the argument it is about. What the CLI would refuse
** (an unknown flag, a missing or malformed value, no image) is an error
** of the document at that argument; the rest is still modelled.
**
** Nothing here knows Lua, Compose or JSON; docs/run-flags.md maps every
** flag to its create-body field and model field.
*/
#ifndef POL_RUNLINE_RUNLINE_H
#define POL_RUNLINE_RUNLINE_H

#include <stddef.h>

#include "../model/value.h"

enum { RUN_OK = 0, RUN_ERR_NOMEM = 1 };

/* Builds the document of argv[0..argc) into *doc (allocated in `a`, its
** path `path`). Returns RUN_OK, or RUN_ERR_NOMEM when the arena could not
** allocate (its limit included). */
int run_build(pol_arena *a, const char *path, size_t argc,
              const char *const *argv, pm_value **doc);

#endif
