/*
** sandbox_int.h: what sandbox.c, sandbox_libs.c and view.c share; not
** for use outside libpolicy/engine.
**
** Invariants every part relies on:
** - All Lua code of a sandbox runs on its main thread: the coroutine
**   library is not offered and nothing else creates threads. So the one
**   count hook, set at eng_sb_new, sees every instruction, and arming it with
**   count 1 on sb->L stops the running code at its next instruction.
** - Lua code runs only inside eng_sb_call (calls > 0). Outside it the host
**   touches the state only through eng_sb_load, the protected pushes, and API
**   calls that cannot raise.
** - The allocator's user data is the sandbox, so any lua_State of the
**   sandbox finds it with eng_sb_of().
*/
#ifndef POL_ENGINE_SANDBOX_INT_H
#define POL_ENGINE_SANDBOX_INT_H

#include "model/schema_ids.h" /* generated: PM_SCHEMA_COUNT */

#include "coverage.h"
#include "pattern.h"
#include "pool.h"
#include "sandbox.h"

/* Instructions between two calls of the count hook. */
#define ENG_SB_HOOK_STEP 1000
/* Matcher steps the pattern meter takes from the budget at a time; the
** deadline is looked at once per slice. */
#define ENG_SB_PATTERN_SLICE 16384
/* eng_sb_charge calls between two looks at the clock. */
#define ENG_SB_CHARGES_PER_CLOCK 64
/* Open views (view.c): the fields of a type counted per type, and how
** many reads from C make a field one filled as its object is made. */
#define ENG_SB_COUNTED_FIELDS 64
#define ENG_SB_HOT_READS 4
/* Bytes allocated (or scanned by a metered C function) per budget unit. */
#define ENG_SB_BYTES_PER_UNIT 64
/* math.random starts every eng_sb_call from this state: runs are repeatable. */
#define ENG_SB_RNG_SEED UINT64_C(0x706f6c6963792e31)

/* A refused growth Lua has not retried yet: Lua runs an emergency
** collection after a refusal and repeats the same request, so a refusal
** only counts once the retry fails too (or never comes). */
typedef struct eng_sb_refusal {
  const void *ptr;
  size_t osize, nsize;
  eng_sb_status cause;  /* ENG_SB_ERR_MEMORY (budget) or ENG_SB_ERR_NOMEM (host) */
  bool armed;
} eng_sb_refusal;

/* An open view of the model and its node (view.c). */
typedef struct eng_sb_open_entry {
  const void *table;     /* the view's table (lua_topointer); NULL: free */
  const pm_value *node;
  uint64_t gen;          /* the generation it belongs to; any other: free */
} eng_sb_open_entry;

/* The open views of the current generation, by address: open hashing
** with linear probing, at most half full. */
typedef struct eng_sb_open_index {
  eng_sb_open_entry *slots;
  size_t cap, count;     /* cap: 0 or a power of two */
  uint64_t gen;          /* the generation `count` counts */
} eng_sb_open_index;

/* The last view of a root the host pushed, of one kind (view.c). */
typedef struct eng_sb_root {
  const pm_value *node;  /* NULL: none yet */
  uint64_t gen;          /* its generation (0: permanent) */
  int ref;               /* registry ref holding the view */
} eng_sb_root;

struct eng_sandbox {
  lua_State *L;
  eng_sb_limits lim;
  size_t used, peak;     /* bytes held by the state */
  size_t base;           /* `used` when the current entry began: an entry
                         ** may grow the state to base + lim.memory_bytes */
  bool freeze_trusted;   /* tests: trusted rules' own state frozen too */
  bool trusted;          /* trusted code: no count hook, no instruction
                         ** budget (memory and the deadline still hold),
                         ** and open views of the model (view.c) */
  int64_t insn_left;     /* instruction units left in this call */
  int64_t slice;         /* pattern-meter units taken from insn_left and
                         ** not used yet */
  unsigned charges;      /* eng_sb_charge calls since the clock was read */
  uint64_t deadline_ns;  /* CLOCK_MONOTONIC end of this call; 0: none */
  const volatile int *cancel; /* read with the deadline; NULL: none */
  eng_sb_status tripped;     /* first limit hit in this entry, ENG_SB_OK if none */
  eng_sb_status pending;     /* a host-level push failed: the next eng_sb_call
                         ** reports this without running anything */
  eng_sb_refusal refusal;
  bool recycle;          /* sticky: the state must be replaced */
  int calls;             /* eng_sb_call nesting depth */
  uint64_t gen;          /* current view generation; 0 marks permanent */
  uint64_t rng;          /* math.random state, reset by every eng_sb_call */
  pol_buf log;           /* print/warn output, at most lim.log_bytes */
  void *context;         /* the host's, for its C functions */
  int lib_snaps;         /* registry ref: the libraries' cells to restore
                         ** after every call, or LUA_NOREF */
  eng_cov *cov;          /* lines run (coverage.h), or NULL: off */
  eng_pat_meter meter;
  eng_pool pool;             /* the state's small blocks */
  eng_sb_open_index open;    /* the open views of this generation (view.c) */
  eng_sb_root roots[2];      /* the guarded root, the open one (view.c) */
  int view_mts[4];           /* registry refs of the views' metatables (view.c) */
  int empty_map;             /* registry ref: the open view every empty map
                             ** shares (view.c) */
  /* Open views of typed objects: the reads of each field that had to
  ** convert it (view.c), up to ENG_SB_HOT_READS; fields past
  ** ENG_SB_COUNTED_FIELDS are always filled. Only what is filled when
  ** it is made depends on them, never what a view reads as. */
  uint8_t field_reads[PM_SCHEMA_COUNT][ENG_SB_COUNTED_FIELDS];
};

static inline eng_sandbox *eng_sb_of(lua_State *L) {
  void *ud;
  lua_getallocf(L, &ud);
  return ud;
}

/* Charges `units` of work done in C to the instruction budget; raises the
** budget error (and arms the hook to keep raising) once it is spent. */
void eng_sb_charge(lua_State *L, int64_t units);

/* Trips ENG_SB_ERR_NOMEM (the host could not allocate) and raises it.
** Does not return. */
void eng_sb_raise_nomem(lua_State *L, eng_sandbox *sb);

/* Frees the open index (view.c); the state holds no open view after. */
void eng_sb_free_open_index(eng_sandbox *sb);

/* Raises the error for the limit already recorded in sb->tripped, with
** the hook re-armed to fire on every instruction. Does not return. */
void eng_sb_raise_trip(lua_State *L, eng_sandbox *sb);

/* Appends to the run log, truncating at lim.log_bytes. */
void eng_sb_log_append(eng_sandbox *sb, const char *s, size_t n);

/* Builds the read-only base (allowed library functions and the sandbox's
** replacements) and locks the string metatable. Leaves the base table on
** the stack. Runs inside the state-building protected call. */
void eng_sb_open_libs(lua_State *L, eng_sandbox *sb);

/* t[key] for the key on top of the stack, which the value replaces, as
** the library functions read elements: raw for tables (a frozen table's
** shadow), through __index for views, open ones included. May raise. */
void eng_sb_get_element(lua_State *L, int t);

/* Pushes the global functions model_type, model_column and model_find
** (view.c). */
void eng_sb_open_model_type(lua_State *L);
void eng_sb_open_model_column(lua_State *L);
void eng_sb_open_model_find(lua_State *L);

/* Pushes the table of the global `text` (textlib.c). */
void eng_sb_open_textlib(lua_State *L);

/* Pushes a userdata that reads the table at `idx` and refuses writes. */
void eng_sb_push_readonly(lua_State *L, int idx);

/* Creates the views' metatables and the root views' places (registry
** refs kept in sb). */
void eng_sb_open_views(lua_State *L);

/* Pushes a model node: nil, a scalar, or a (cached) view. May raise. */
void eng_sb_push_node(lua_State *L, eng_sandbox *sb, const pm_value *v,
                  bool permanent);

/* The node of a live view at idx, or NULL. Never raises; uses 2 slots. */
const pm_value *eng_sb_view_node(lua_State *L, eng_sandbox *sb, int idx);

/* Whether the value at idx is an open view (a plain table of view.c).
** Never raises; uses 2 slots. */
bool eng_sb_is_open_view(lua_State *L, int idx);

#endif
