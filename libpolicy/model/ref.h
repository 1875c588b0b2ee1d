/*
** ref.h: container image references ("python:3.12-slim",
** "ghcr.io/org/app@sha256:...") parsed into the model's `ref` node, with
** Docker's normalisation: implicit registry docker.io, implicit "library/"
** for official images, index.docker.io folded into docker.io, implicit tag
** latest when neither tag nor digest is given.
**
** The builder of each source decides the fields that need context (stage,
** scratch, unresolved); this module knows only the reference grammar.
*/
#ifndef POL_MODEL_REF_H
#define POL_MODEL_REF_H

#include <stdbool.h>
#include <stddef.h>

#include "value.h"

typedef struct pm_ref_parts {
  const char *registry;   size_t registry_len;   /* never empty when ok */
  const char *path;       size_t path_len;       /* without "library/" */
  bool add_library;       /* official image: repository = library/<path> */
  const char *tag;        size_t tag_len;        /* NULL when absent */
  const char *digest;     size_t digest_len;     /* NULL when absent */
  const char *error;      /* NULL when the reference is well formed */
} pm_ref_parts;

/* Splits and validates a reference; pointers point into s. */
bool pm_ref_split(const char *s, size_t len, pm_ref_parts *out);

/* Builds the model's ref object: raw, registry, repository, tag, digest,
** implicit_latest, and `error` (a reason) when the text is not a valid
** reference. Returns NULL only on out-of-memory. */
pm_value *pm_ref_to_model(pol_arena *a, const char *s, size_t len, pm_pos pos);

#endif
