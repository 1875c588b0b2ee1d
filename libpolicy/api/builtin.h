/*
** builtin.h: the built-in pack, compiled into the library by
** policies/embed.py: one entry per rule file of policies/ and one per data
** document of policies/data/, each list sorted by name.
*/
#ifndef POL_API_BUILTIN_H
#define POL_API_BUILTIN_H

#include <stddef.h>

typedef struct builtin_rule {
  const char *name;    /* file name, e.g. "image-runs-as-root.lua" or
                          "eol-images.yaml" */
  const char *source;
  size_t length;
  /* A Lua file's binary form, compiled at build time by policies/chunkc.c
  ** under the chunk name the engine gives the file, and
  ** eng_sb_chunk_writes of it; a YAML data document's value in
  ** model/blob.h's form (policies/datac.c), writes 0; NULL, 0, 0 for the
  ** named packs' files, which load as text. Trusted: only this array's
  ** entries are ever loaded as binary (eng_sb_load_code). */
  const char *code;
  size_t code_length;
  unsigned writes;
} builtin_rule;

extern const builtin_rule builtin_rules[];
extern const size_t builtin_count;

/* The helper libraries rules call (the Lua files of policies/lib): each returns a
** table of functions that becomes a read-only global named after it. */
extern const builtin_rule builtin_libs[];
extern const size_t builtin_libs_count;

/* The pack's data documents (YAML or JSON), merged into `data` under
** whatever the caller loads (see policy_engine_load_builtin). */
extern const builtin_rule builtin_data[];
extern const size_t builtin_data_count;

/* The built-in named packs (policies/<name>/, by embed_pack.py): each
** entry's name is the file's path in the pack ("pack.yaml",
** "rules/DL3008.lua"), sorted. */
extern const builtin_rule builtin_pack_hadolint[];
extern const size_t builtin_pack_hadolint_count;

#endif
