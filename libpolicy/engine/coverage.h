/*
** coverage.h: which lines of rule files (and pack modules) ran: line
** coverage for `policy test --coverage`.
**
** Off unless asked (eng_sb_set_coverage): a sandbox without a coverage
** record sets no line hook, so rules run exactly as before (the built-in
** pack, trusted, still runs with no hook at all). With one, the sandbox's
** hook also asks Lua for line events and hands each to eng_cov_hit, which
** notes (chunk, line) in host memory: never in the Lua state, never
** raising, so a rule cannot see or change what is counted.
**
** What counts: the lines of a chunk's functions (check and every helper
** defined in the file), not of its top level, which runs once when the
** file loads whatever the fixtures are. A line counts when one of its
** instructions is one the function can run, leaving out the return Lua
** adds at every function's `end` (it runs only when the function falls
** off its end) and the vararg set-up of a `...` function (the line
** events of such a function start after it). So a line is "run" when Lua
** reported a line event for it, in a function of that chunk.
**
** Not thread-safe: one record per sandbox, used by its thread.
*/
#ifndef POL_ENGINE_COVERAGE_H
#define POL_ENGINE_COVERAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lua.h>

typedef struct eng_cov eng_cov;

/* A new, empty record (free with eng_cov_free), or NULL without memory. */
eng_cov *eng_cov_new(void);
void eng_cov_free(eng_cov *c);

/* The sandbox's hook, for a LUA_HOOKLINE event: notes the line when the
** running function is not a chunk's top level. Never raises, never
** allocates in the state; a host allocation that fails marks the record
** incomplete (eng_cov_complete). */
void eng_cov_hit(eng_cov *c, lua_State *L, lua_Debug *ar);

/* False once a hit could not be recorded (host memory). */
bool eng_cov_complete(const eng_cov *c);

/* The lines of the chunk's functions that hold code (sorted, each once)
** and, for each, whether it ran. */
typedef struct eng_cov_lines {
  uint32_t *lines;
  bool *ran;
  size_t n, nrun;
} eng_cov_lines;

/* Fills *out for the chunk (a main function from a Lua text) at `fn`:
** reads its code from lua_dump (allocating outside the state only) and
** the hits noted under its source name. Returns false without memory or
** for a function Lua cannot dump as expected. Never raises. */
bool eng_cov_chunk(const eng_cov *c, lua_State *L, int fn, eng_cov_lines *out);
void eng_cov_lines_free(eng_cov_lines *l);

#endif
