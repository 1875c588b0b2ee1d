/*
** pack.h: policy packs (docs/packs.md): a folder, or a .tar.gz of one,
** holding
**   pack.yaml        name, version, description, requires, severity, profile
**   rules/NAME.lua      the rules
**   lib/NAME.lua        modules the pack's rules (and modules) `require`
**   data/NAME.yaml|yml|json   the pack's `data`, under what the caller loads
**   tests/<rule-id>/ fixtures (read by `policy test`, not by the loader)
** Folders and archives become the same list of files in memory first
** (pack_files.c, pack_archive.c), which pack.c loads one way.
*/
#ifndef POL_API_PACK_H
#define POL_API_PACK_H

#include <stdbool.h>
#include <stddef.h>

#include "../engine/modules.h"
#include "internal.h"

/* Fixed bounds on what a pack may hold: an archive that goes over one is
** refused before anything of it is loaded. */
#define API_PACK_MAX_ARCHIVE (16u << 20)   /* compressed bytes */
#define API_PACK_MAX_TOTAL (64u << 20)     /* bytes of every file together */
#define API_PACK_MAX_FILE (16u << 20)      /* bytes of one file */
#define API_PACK_MAX_ENTRIES 4096          /* files and folders */
#define API_PACK_MAX_PATH 255              /* bytes of a path in the pack */
#define API_PACK_MAX_DEPTH 8               /* folders in a path */

/* One file of a pack: its path in the pack ("rules/a.lua", '/'
** separated, no "." or ".." parts) and its bytes (NUL-terminated). A Lua
** file of a pack built into the library also has its binary form,
** compiled at build time (borrowed from the library's data; NULL for any
** other file). */
typedef struct api_pack_file {
  char *path;
  char *data;
  size_t len;
  const char *code;
  size_t code_len;
  unsigned code_writes;   /* eng_sb_chunk_writes of the code */
} api_pack_file;

typedef struct api_pack_files {
  api_pack_file *items;   /* sorted by path, each path once */
  size_t n;
  size_t total;           /* bytes of every file */
} api_pack_files;

void api_pack_files_free(api_pack_files *f);
/* The file at `path`, or NULL. */
const api_pack_file *api_pack_files_get(const api_pack_files *f, const char *path);
/* Adds a file (the path is copied, `data` taken over: pol_malloc'd,
** NUL-terminated). Returns POLICY_OK, POLICY_ERR_NOMEM, or
** POLICY_ERR_LIMIT / POLICY_ERR_PARSE with the engine's message set
** (`where` names the pack in it). */
int api_pack_files_add(policy_engine *e, const char *where, api_pack_files *f,
                       const char *path, char *data, size_t len);
/* Sorts the list and refuses a path given twice. */
int api_pack_files_finish(policy_engine *e, const char *where, api_pack_files *f);

/* Reads what the loader needs of a pack folder (pack.yaml, rules/NAME.lua,
** lib/NAME.lua, data/ files), or with `everything` (building an archive)
** also tests/ and README/LICENSE files at the top: regular files only,
** under the bounds above. */
int api_pack_read_dir(policy_engine *e, const char *dir, bool everything,
                      api_pack_files *out);

/* Reads a .tar.gz pack: checks `sha256` (64 hex digits, or NULL) against
** the file's bytes before reading any entry, then every entry, refusing
** the archive for anything but regular files and folders, absolute paths
** or "..", and sizes over the bounds. A single folder at the top holding
** pack.yaml is taken off the paths. *digest (65 bytes) receives the
** file's SHA-256 in hex. */
int api_pack_read_archive(policy_engine *e, const char *path, const char *sha256,
                          api_pack_files *out, char digest[65]);

/* Writes the files as a gzip-compressed ustar archive under the folder
** `top`, byte for byte the same for the same files (sorted entries, no
** times, no owners), and its SHA-256 in hex into digest. */
int api_pack_write_archive(policy_engine *e, const char *path, const char *top,
                           const api_pack_files *files, char digest[65]);

/* Loads a pack from its files in memory, as every way in does (a folder,
** an archive, or files compiled into the library, like a built-in named
** pack): pack.yaml checked, data/ under the caller's data, lib/ opened in
** the sandbox (untrusted, metered, in a worker first when rules are
** isolated), then rules/. `origin` names the pack in messages and rule
** origins ("ORIGIN/rules/x.lua"; "ORIGIN:rules/x.lua" when `digest`, the
** archive's SHA-256, is given). `trusted` rules run as the built-in
** pack's do (in process, unmetered, open views: sandbox.h). A rule file
** that is refused (invalid, over a limit) is reported after the others
** loaded; a failure before rules/ (manifest, name taken, modules)
** registers no pack, though data/ merged by then stays. The files stay
** the caller's. */
int api_pack_load(policy_engine *e, const char *origin, const char *digest,
                  const api_pack_files *files, bool trusted);

/* A loaded pack, as the engine keeps it. */
typedef struct api_pack {
  char *name, *version, *description, *origin, *profile;
  char *sha256;           /* of the archive it came from, or NULL */
  eng_mod_set *modules;   /* lib/, required by its rules */
  size_t first_rule, nrules; /* its rules: e->rules[first_rule ...) */
} api_pack;

/* The pack the index-th rule came from, or NULL. */
const api_pack *api_pack_of_rule(const policy_engine *e, size_t index);

/* The manifest (pack.yaml) read and checked. `severity` lists rule id and
** policy_severity pairs, checked against the pack's rules once loaded. */
typedef struct api_manifest {
  char *name, *version, *description, *profile;
  char **severity_ids;
  int *severities;
  size_t nseverities;
  char **severity_places; /* "pack.yaml:LINE:COL" of each */
} api_manifest;

/* Parses pack.yaml (`text`), named `where` in messages. Unknown keys are
** errors; `requires` is checked against this library's version. */
int api_manifest_read(policy_engine *e, const char *where, const char *text, size_t len,
                      api_manifest *out);
void api_manifest_free(api_manifest *m);

#endif
