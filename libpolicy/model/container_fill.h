/*
** container_fill.h: the parts of the `container` object (schema.toml) that
** every source builds the same way: Compose services, inspected
** containers, create bodies and AuthZ requests now; `docker run` lines
** and Kubernetes pods later. A new source:
**
**   pm_value *ctr = pm_container_new(b, "kube", pos);  // every field empty
**   pm_b_set(b, ctr, "name", ...);                     // what it states
**   pm_container_add_mount(b, pm_get(ctr, "mounts"), &m); // list entries
**   pm_b_push(b, pm_get(doc, "containers"), ctr);
**
** so rules never care where a container came from.
*/
#ifndef POL_MODEL_CONTAINER_FILL_H
#define POL_MODEL_CONTAINER_FILL_H

#include <stdbool.h>
#include <stddef.h>

#include "build.h"

/* A container with every field at its empty value (null, [] or {}; the
** `security`, `namespaces` and `resources` objects with theirs) and its
** origin ("compose", "inspect", "request", ...). */
pm_value *pm_container_new(pm_builder *b, const char *origin, pm_pos pos);

/* One entry of `mounts`. NULL values are null. */
typedef struct pm_mount_in {
  const char *type;       /* "bind", "volume", ...; NULL: unknown */
  pm_value *source;       /* host path or volume name */
  pm_value *target;
  pm_value *read_only;
  pm_value *propagation;
  pm_value *raw;          /* the short syntax as written */
  bool source_unknown;    /* the source needs a variable without a value */
  const char *resolved;   /* a relative bind source made absolute by the
                             source's own rules (Compose), or NULL */
  bool within_project;    /* a relative source that stays inside the folder
                             it is relative to: never sensitive */
  pm_pos pos;
} pm_mount_in;

/* Appends the mount to `mounts` (a container's), with `host_path` (the
** resolved path, else the cleaned source when absolute) and
** `docker_socket` and `sensitive` judged on it (a bind or named pipe):
** false for other types, null when the type or that source is unknown. */
void pm_container_add_mount(pm_builder *b, pm_value *mounts, const pm_mount_in *m);

/* Whether a cleaned host path is an engine's API socket or a folder that
** holds one; whether it is one of the host's sensitive folders. */
bool pm_path_is_engine_socket(const char *clean);
bool pm_path_is_sensitive(const char *clean);

/* A capability as the model writes it: upper case, without "CAP_". */
pm_value *pm_b_capability(pm_builder *b, const char *s, size_t n, pm_pos pos);

/* Whether s[0..n) is a mount propagation the Engine knows (shared,
** rshared, slave, rslave, private, rprivate). */
bool pm_is_bind_propagation(const char *s, size_t n);

/* The mode of a `-v SRC:DST:MODE` bind as the Engine's Linux parser reads
** it: a comma list of ro/rw, z/Z, a propagation, nocopy and a consistency,
** each kind at most once. Sets *ro, and *prop and *prop_len to the
** propagation word (NULL when none); an empty mode is valid (read-write,
** the default propagation). Returns false for a mode the Engine refuses. */
bool pm_parse_bind_mode(const char *s, size_t n, bool *ro, const char **prop,
                        size_t *prop_len);

/* Go's strconv.ParseBool of s[0..n): 1, 0, or -1 for any other text. */
int pm_parse_go_bool(const char *s, size_t n);

#endif
