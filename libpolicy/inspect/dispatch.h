/*
** dispatch.h: `docker container inspect` / `docker image inspect` output,
** POST /containers/create bodies and Docker AuthZ plugin requests into a
** document of the model (docs/model.md): kind "inspect", or "request"
** when every object of the input is a request.
**
** The input is one JSON object or an array of them (what `docker inspect`
** prints), in any mix: containers, images, image config blobs, create
** bodies, AuthZ requests. Volumes and networks are skipped with a warning;
** anything else is an error. Input problems (JSON syntax, wrong types,
** unknown objects) go into the document's errors[] with their line and
** column; the rest of the input is still modelled.
*/
#ifndef POL_INSPECT_BUILD_H
#define POL_INSPECT_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "../model/value.h"

enum { INSP_OK = 0, INSP_ERR_NOMEM = 1, INSP_ERR_LIMIT = 2 };

/* Builds the document for len bytes read from path. max_nodes bounds the
** JSON values of the input (and of each RequestBody in it): more is
** INSP_ERR_LIMIT, checked before anything is allocated for them. On
** INSP_OK, *request tells whether the document's kind is "request". */
int insp_build(pol_arena *a, const char *path, const char *data, size_t len,
               size_t max_nodes, pm_value **doc, bool *request);

/* The same from a tree another loader made (PM_MAP objects, e.g. YAML
** examples of the Engine API specification); `raw` is the tree itself. */
int insp_build_tree(pol_arena *a, const char *path, const pm_value *root,
                    size_t max_nodes, pm_value **doc, bool *request);

#endif
