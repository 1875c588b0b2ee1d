/*
** modules.h: a pack's lib/ modules, which the pack's own rules (and its
** modules) reach with `require "name"`.
**
** A module is a Lua file (lib/NAME.lua) that returns its module: a table
** of functions, usually. It runs like a rule file: sandboxed, metered,
** with a globals table of its own over the read-only base, and what it
** built is frozen (freeze.c) once it returned; upvalue cells its
** functions can write are put back after every call (as for the helper
** libraries), so a module keeps no state from one rule run, or one
** document, to the next.
**
** `require` is the pack's, not the host's: a C closure over the set's
** cache, given to every rule of the pack (in the rule's own globals, set
** before its file runs) and to every module of the pack. It resolves a
** bare name (letters, digits, '_'; no dots, no slashes) among the set's
** modules only: no file is ever opened, no search path exists, no C
** module can be loaded, another pack's modules are out of reach. Every
** module of a set is loaded when the set is opened into a sandbox (in
** name order, each module's requires first, a cycle being an error), so
** once rules run `require` only looks a name up in the cache.
**
** The set itself (names and sources) belongs to the host and outlives
** every sandbox it is opened into; it is opened again into a sandbox that
** replaced a recycled one.
*/
#ifndef POL_ENGINE_MODULES_H
#define POL_ENGINE_MODULES_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/buf.h"
#include "sandbox.h"

/* Bounds on a set, checked when a module is added. */
#define ENG_MOD_MAX_MODULES 256
#define ENG_MOD_MAX_NAME 64

typedef struct eng_module {
  char *name;      /* "util" for lib/util.lua */
  char *origin;    /* how messages name the file: "org-pack/lib/util.lua" */
  char *source;
  size_t len;
  const char *code; /* its binary form (a pack built into the library), */
  size_t code_len;  /* borrowed; or NULL */
} eng_module;

typedef struct eng_mod_set {
  eng_module *mods; /* sorted by name, names unique */
  size_t n;
} eng_mod_set;

/* True when `name` may name a module: 1 to ENG_MOD_MAX_NAME letters,
** digits and '_', not starting with a digit. */
bool eng_mod_valid_name(const char *name, size_t n);

/* A new, empty set (free with eng_mod_set_free), or NULL without memory. */
eng_mod_set *eng_mod_set_new(void);
void eng_mod_set_free(eng_mod_set *s);

/* Adds a module (the strings are copied; `code`, its binary form or NULL,
** is borrowed: only for a pack built into the library, whose data outlive
** the set). Returns 0, or -1 without memory, or -2 (message in *err) for
** a name that is not valid, used twice, or one module too many. */
int eng_mod_set_add(eng_mod_set *s, const char *name, const char *origin,
                    const char *source, size_t len, const char *code, size_t code_len,
                    pol_buf *err);

/* Loads every module of the set into sb, unless it is there already.
** Each module's file runs metered (untrusted code) under a budget of its
** own. Returns an eng_sb_status with the message ("origin:line: ...")
** appended to *err; ENG_SB_ERR_RUNTIME also for a module that returns
** nothing, a missing module and a require cycle. */
int eng_mod_open(eng_sandbox *sb, const eng_mod_set *s, pol_buf *err);

/* Sets `require` in the globals table at `env` (a rule's, before its file
** runs), opening the set first when it is not in sb yet. Returns an
** eng_sb_status, as eng_mod_open. */
int eng_mod_bind(eng_sandbox *sb, const eng_mod_set *s, int env, pol_buf *err);

#endif
