/*
** sandbox.h: a Lua 5.4 state that untrusted policy code cannot escape.
**
** The state is built by hand (never luaL_openlibs) with an allow-list of
** the base, string, table, math and utf8 libraries; no io, os, debug,
** package, require, dofile, loadfile, load, collectgarbage, string.dump,
** coroutine, or bytecode loading. print and warn write into a bounded log
** the host reads (stdout stays the host's). The string metatable is
** locked. Code sees globals through a fresh table per run over a read-only
** base, so nothing one run writes is visible to another; the libraries in
** the base are read-only views of private tables.
**
** Budgets: a byte budget in the allocator for the whole state; an
** instruction budget per call (eng_sb_call) enforced by a count hook,
** re-armed to fire on every instruction once exhausted (so pcall loops,
** xpcall handlers, __close handlers and error-object metamethods cannot
** outrun it). Work done inside C functions is charged to the same budget
** in units: one per matcher step (pattern.h), per element a table
** function moves or compares, per 4 bytes a string function scans, and
** per 64 bytes the state allocates. __gc metamethods are refused
** (finalizers run without hooks). An optional wall-clock limit per call
** backs this up for instructions that are slow without allocating
** (comparing long strings, lookups among colliding integer keys); it is
** checked with the count hook, so one instruction can still overrun it.
** A state that tripped a limit or raised an unexpected error is marked
** for recycling: the owner must eng_sb_free it and make a new one.
**
** Model values are exposed read-only: containers as userdata views
** (indexing, #, pairs, ipairs; any write raises), scalars as Lua values,
** nil for absent keys and nulls; trusted code gets open views instead
** (eng_sb_set_trusted). Views are built lazily and shared by
** every call of a generation (view.c); eng_sb_next_generation() invalidates
** every non-permanent view, so a view kept anywhere cannot reach a freed
** document.
**
** Protection: Lua raises errors by longjmp, and one raised outside a
** protected call aborts the process (the panic handler logs and aborts;
** it is unreachable when callers follow these rules). Lua code and every
** API call that can allocate run inside eng_sb_call, eng_sb_load, or the
** protected pushes below; host code outside them may only push values
** that need no allocation (nil, booleans, numbers, light userdata, C
** functions without upvalues) and read the stack. It must not create
** Lua threads: stopping code at its next instruction relies on all of it
** running on the main thread.
**
** Not thread-safe: one sandbox per thread at a time.
*/
#ifndef POL_ENGINE_SANDBOX_H
#define POL_ENGINE_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#include "../core/buf.h"
#include "../model/value.h"
#include "bytecode.h"

typedef struct eng_sb_limits {
  size_t memory_bytes;     /* whole state; e.g. 64 MiB */
  uint64_t instructions;   /* units per eng_sb_call; e.g. 10 million */
  size_t log_bytes;        /* print/warn capture per run; e.g. 64 KiB */
  uint64_t time_ms;        /* wall clock per eng_sb_call; 0: no limit */
} eng_sb_limits;

typedef struct eng_sandbox eng_sandbox;

/* Which limit ended a call; ENG_SB_OK when none did. */
typedef enum eng_sb_status {
  ENG_SB_OK = 0,
  ENG_SB_ERR_RUNTIME,      /* the code raised an error */
  ENG_SB_ERR_SYNTAX,       /* eng_sb_load: not valid Lua text (or binary chunk) */
  ENG_SB_ERR_MEMORY,       /* the byte budget was exhausted */
  ENG_SB_ERR_INSTRUCTIONS, /* the instruction budget was exhausted */
  ENG_SB_ERR_NOMEM,        /* the host could not allocate (not the script) */
  ENG_SB_ERR_TIME,         /* the wall-clock limit passed */
  ENG_SB_ERR_CANCELLED     /* the cancel flag was set (eng_sb_set_cancel) */
} eng_sb_status;

/* Creates a sandbox. Returns ENG_SB_OK, ENG_SB_ERR_MEMORY (memory_bytes is too
** small to hold the libraries) or ENG_SB_ERR_NOMEM. */
int eng_sb_new(eng_sandbox **out, const eng_sb_limits *limits);
void eng_sb_free(eng_sandbox *sb);
lua_State *eng_sb_state(eng_sandbox *sb);

/* Compiles text (never bytecode) and pushes the function. On failure
** pushes nothing and appends "name:line: message" to *err. A chunkname
** not starting with '=' or '@' is shown as given. Until eng_sb_set_env, the
** function's globals are the read-only base. */
int eng_sb_load(eng_sandbox *sb, const char *chunkname, const char *src, size_t len,
            pol_buf *err);

/* A trusted chunk: a file compiled into the library (the built-in
** pack's rules and libraries), its text and its Lua binary form made at
** build time by the same Lua (policies/chunkc.c), with the
** eng_sb_chunk_writes of that form. bytes NULL: text only. */
typedef struct eng_sb_code {
  const char *src;
  size_t src_len;
  const char *bytes;
  size_t len;
  unsigned writes;
} eng_sb_code;

/* Loads a trusted chunk as eng_sb_load does, from its binary form when
** it has one: the only load that accepts binary chunks, so only files
** compiled into the library may come here, never anything a caller gives.
** When this Lua refuses the binary form (another Lua's format) it
** compiles the text. On success pushes the function and sets *writes
** (eng_sb_chunk_writes of it). */
int eng_sb_load_code(eng_sandbox *sb, const char *chunkname, const eng_sb_code *code,
                     unsigned *writes, pol_buf *err);

/* Pushes a fresh globals table whose reads fall through to the read-only
** base (the allowed libraries, as read-only views of their own); _G is
** the table itself. Inside a running eng_sb_call a failure raises there;
** outside, it pushes nil instead and the next eng_sb_call fails with the
** cause without running anything. */
void eng_sb_push_env(eng_sandbox *sb);

/* Adds the value on top of the stack to the read-only base under `name`,
** popping it; every later run sees it as a global (a data document's
** permanent view, the report function). Runs protected; returns an
** eng_sb_status and appends any error. */
int eng_sb_add_global(eng_sandbox *sb, const char *name, pol_buf *err);

/* Runs a helper library (eng_sb_load_code: a trusted chunk returning its module table) with
** the base as its globals, freezes what it returned (eng_sb_freeze), and adds
** it to the base under `name`: every rule sees it, read-only. When the
** library's functions can write upvalue cells (eng_sb_chunk_writes), the
** cells are restored after every eng_sb_call, so no rule's use of a library
** is seen by the next. Returns an eng_sb_status and appends any error. */
int eng_sb_add_library(eng_sandbox *sb, const char *name, const char *chunkname,
                   const eng_sb_code *code, pol_buf *err);

/* Freezing (freeze.c). Inside a protected call: makes the value at idx
** read-only in place, and every table and closure it reaches (keys,
** values, upvalues) but userdata and C functions, skipping what the table
** `seen` lists (and adding what it freezes); records every upvalue cell
** it passes as (closure, index, value) in the sequence `snaps`. */
void eng_sb_freeze(lua_State *L, int idx, int seen, int snaps);
/* Inside a protected call: adds the cells of the snapshot list at `cells`
** (as eng_sb_freeze records them) to those put back after every
** top-level eng_sb_call, as a helper library's are (pack modules,
** modules.c). */
void eng_sb_keep_cells(lua_State *L, int cells);
/* Puts back every cell of `snaps` whose value changed. Never raises. */
void eng_sb_restore(lua_State *L, int snaps);
/* When the table at idx is frozen, pushes its shadow (the table holding
** its entries) and returns true; otherwise pushes nothing. Never raises;
** needs two free stack slots. */
bool eng_sb_frozen_shadow(lua_State *L, int idx);
/* Adds to the frozen table at t every entry of the table at src whose key
** t lacks (a copy, not frozen again: src's values must be read-only
** already). The entries move to a new shadow sized once. Inside a
** protected call (it allocates). */
void eng_sb_frozen_merge(lua_State *L, int t, int src);

/* Pushes the base table (every global a run sees unless it sets its own).
** Inside a protected call; the table must not be written. */
void eng_sb_push_base(lua_State *L);


/* A lua_CFunction (chunk, env, origin as a light userdata pointing to
** a C string that outlives the call), run inside a call: raises
** "ORIGIN:LINE: the global 'X' is defined nowhere ...; did you mean 'Y'?"
** for the first global the chunk reads that none of its functions writes,
** `env` does not hold and the base does not define (undefined.c): a
** misspelt name would read nil and check nothing. Returns nothing;
** says nothing about a dump it cannot read. Charges its work. */
int eng_sb_check_globals(lua_State *L);

/* Trusted code (the built-in pack) runs unmetered: no count hook, so no
** instruction budget and no trace of every instruction; memory, the
** deadline at charged C work, and everything else hold. It also reads
** the document through open views (view.c): plain tables the VM indexes
** itself, which nothing stops it from writing; the built-in rules never
** write the model, and tests/unit/test_worker.c proves the pack reports
** the same through guarded views. Set between calls, for the next
** eng_sb_call. */
void eng_sb_set_trusted(eng_sandbox *sb, bool trusted);

/* For tests: the trusted rules compiled from now on have their own state
** frozen like an untrusted rule's (rule.c freezes a built-in rule's only
** when it writes an upvalue), so a test can show that the built-in packs
** never write what their files built. */
void eng_sb_set_freeze_trusted(eng_sandbox *sb, bool on);
bool eng_sb_freeze_trusted(const eng_sandbox *sb);
/* While held, the collector starts no cycle: for loading the library's
** own rule files, whose garbage is small (-2M instructions for the
** built-in pack). Memory stays bounded: the memory budget holds as always,
** and an allocation it would refuse still gets Lua's emergency collection
** first. Never raises. */
void eng_sb_hold_collector(eng_sandbox *sb, bool hold);

/* A flag another thread may set to stop the running call: read (relaxed
** atomic) wherever the deadline is, and it trips ENG_SB_ERR_CANCELLED
** there. NULL (the default) for none. The flag must stay valid while it is
** set; the owner sets it around the calls it wants stoppable. */
void eng_sb_set_cancel(eng_sandbox *sb, const volatile int *flag);
/* Counts the lines that run (coverage.h) into `cov` from the next
** eng_sb_call on; NULL (the default) turns it off. The record stays the
** caller's and must outlive its use here. */
struct eng_cov;
void eng_sb_set_coverage(eng_sandbox *sb, struct eng_cov *cov);

/* The host's context for the C functions it adds (report): set before an
** eng_sb_call, read by them with eng_sb_context(L). */
void eng_sb_set_context(eng_sandbox *sb, void *context);
void *eng_sb_context(lua_State *L);

/* Sets the _ENV upvalue of the function at `fn_index` (the first upvalue
** of a chunk from eng_sb_load) to the value on top of the stack, popping it.
** A function without an _ENV upvalue uses no globals: the value is just
** popped. Failures (no stack room) behave as for eng_sb_push_env. */
void eng_sb_set_env(eng_sandbox *sb, int fn_index);

/* Calls the function below `nargs` arguments like lua_pcall, under a fresh
** instruction budget (a nested call, from C code that a running eng_sb_call
** called, shares the running one's budget). Returns an eng_sb_status; on
** failure appends the error text (at most 1 KiB; non-string error values
** are described, never converted through their metamethods) to *err and
** leaves nothing on the stack. A limit that tripped is reported even when
** the code caught the error and returned normally. After any status other
** than ENG_SB_OK or ENG_SB_ERR_RUNTIME, eng_sb_needs_recycle() is true. */
int eng_sb_call(eng_sandbox *sb, int nargs, int nresults, pol_buf *err);

/* The instruction units the last top-level eng_sb_call used (0 when it
** ran unmetered): what its budget counts, so tests can tell how a rule's
** cost grows with its input without timing anything. */
uint64_t eng_sb_units_used(const eng_sandbox *sb);

/* True once the state hit a limit or an unexpected error. Becomes true
** the moment a limit trips, so C code inside a call can stop early. */
bool eng_sb_needs_recycle(const eng_sandbox *sb);

/* The text print/warn produced since the last eng_sb_take_log (at most
** log_bytes; the rest is dropped), and clears it. */
void eng_sb_take_log(eng_sandbox *sb, pol_buf *out);

/* Pushes a model value: nil for NULL or PM_NULL, booleans, integers,
** numbers, strings as Lua values; arrays, objects and maps as read-only
** views. The same node gives the same view within a generation.
** `permanent` views survive eng_sb_next_generation (for data documents that
** live as long as the engine). Failures behave as for eng_sb_push_env. */
void eng_sb_push_value(eng_sandbox *sb, const pm_value *v, bool permanent);

/* The model node behind a view at idx (NULL when idx is not a live view).
** Never raises; needs three free stack slots. */
const pm_value *eng_sb_to_value(eng_sandbox *sb, int idx);

/* Starts a new generation: every non-permanent view made so far becomes
** invalid, and views are made anew (and shared) from now on. Call it when
** a document is done, or to drop the views a document accumulated. */
void eng_sb_next_generation(eng_sandbox *sb);

/* Memory in use by the state and its peak, in bytes. */
size_t eng_sb_memory_used(const eng_sandbox *sb);
size_t eng_sb_memory_peak(const eng_sandbox *sb);

#endif
