/*
** pack_builtin.c: the packs compiled into the library, loaded by name
** (policy_engine_load_builtin_pack): "builtin" is the built-in pack of
** policies/ (its rule files), the others are packs of policies/<name>/ loaded the
** way a pack folder is, with trusted rules.
*/
#include <stdio.h>
#include <string.h>

#include "../core/alloc.h"
#include "builtin.h"
#include "pack.h"

typedef struct named_pack {
  const char *name;
  const builtin_rule *files;
  const size_t *count;
} named_pack;

static const named_pack named_packs[] = {
  {"hadolint", builtin_pack_hadolint, &builtin_pack_hadolint_count},
};

static int load_named(policy_engine *e, const named_pack *np) {
  api_pack_files files = {NULL, 0, 0};
  char origin[64];
  snprintf(origin, sizeof origin, "builtin:%s", np->name);
  int rc = POLICY_OK;
  for (size_t i = 0; i < *np->count && rc == POLICY_OK; i++) {
    const builtin_rule *b = &np->files[i];
    char *copy = pol_strndup(b->source, b->length);
    if (copy == NULL) rc = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
    else rc = api_pack_files_add(e, origin, &files, b->name, copy, b->length);
    if (rc == POLICY_OK && b->code) { /* a Lua file, compiled at build time */
      api_pack_file *f = &files.items[files.n - 1];
      f->code = b->code;
      f->code_len = b->code_length;
      f->code_writes = b->writes;
    }
  }
  if (rc == POLICY_OK) rc = api_pack_files_finish(e, origin, &files);
  api_hold_collector(e, true);
  if (rc == POLICY_OK) rc = api_pack_load(e, origin, NULL, &files, true);
  api_hold_collector(e, false);
  api_pack_files_free(&files);
  return rc;
}

int policy_engine_load_builtin_pack(policy_engine *e, const char *name) {
  if (e == NULL || name == NULL)
    return api_fail(e, POLICY_ERR_INVALID, "policy_engine_load_builtin_pack: bad argument");
  if (strcmp(name, "builtin") == 0) return policy_engine_load_builtin(e);
  for (size_t i = 0; i < sizeof named_packs / sizeof named_packs[0]; i++)
    if (strcmp(name, named_packs[i].name) == 0) return load_named(e, &named_packs[i]);
  return api_fail(e, POLICY_ERR_INVALID, "no built-in pack named '%s' (builtin, hadolint)", name);
}

const char *policy_builtin_pack_name(size_t index) {
  if (index == 0) return "builtin";
  index--;
  return index < sizeof named_packs / sizeof named_packs[0] ? named_packs[index].name : NULL;
}
