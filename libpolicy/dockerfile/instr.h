/*
** instr.h: BuildKit's instruction layer over parsed nodes: which keywords
** exist, which flags each takes (and their types), argument counts, stage
** names, HEALTHCHECK and SHELL forms, RUN --mount fields. Errors use the
** upstream wording exactly, so a file we reject is one BuildKit rejects.
**
** Pure functions over df_node; nothing here expands variables or builds
** the model (stages.c does both).
*/
#ifndef POL_DF_INSTR_H
#define POL_DF_INSTR_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/arena.h"
#include "parser.h"

/* Checks one node. Returns NULL when BuildKit's instruction layer accepts
** it, else the message (arena-allocated) and sets *where to the part of
** the node at fault. Returns "" (empty) on out-of-memory. */
const char *df_instr_check(pol_arena *a, const df_node *n, df_span *where);

/* The value of flag `name` ("from", "chown", ...) in n, or NULL. For the
** multi-value flags (mount, exclude, device) use df_instr_flag_at. A boolean
** flag given bare has the value "" and *present is set. */
const df_word *df_instr_flag(const df_node *n, const char *name,
                          const char **value, size_t *value_len);
/* The i-th occurrence of flag `name`; NULL past the last. */
const df_word *df_instr_flag_at(const df_node *n, const char *name, size_t i,
                             const char **value, size_t *value_len);

/* One RUN --mount, fields as written (after CSV unquoting). */
typedef struct df_instr_mount {
  const char *type;      /* bind, cache, tmpfs, secret, ssh (lower case) */
  const char *from, *source, *target, *id, *sharing, *mode, *uid, *gid,
             *size, *env;
  int readonly;          /* -1 unstated; else 0/1 */
  int required;          /* -1 unstated; else 0/1 */
} df_instr_mount;

/* Parses a --mount value; returns NULL or the upstream error message, ""
** (empty) on out-of-memory. */
const char *df_instr_parse_mount(pol_arena *a, const char *value, size_t len,
                              df_instr_mount *out);

#endif
