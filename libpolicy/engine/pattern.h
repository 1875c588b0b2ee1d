/*
** pattern.h: Lua 5.4's string.find, string.match, string.gmatch and
** string.gsub, reimplemented with a step meter, because the stock matcher
** runs inside one C call that no instruction hook can interrupt (a
** 400-byte subject can hold the CPU for seconds).
**
** Semantics are those of the Lua 5.4 reference manual (§6.4.1): character
** classes, sets, %b, %f, anchors, captures and position captures, gsub
** with string/table/function replacements and a max count, gmatch with an
** init position. Every matcher step (one attempt of one pattern item at
** one subject position) costs one unit of *meter->budget; when the budget
** is spent, meter->exhausted(L, ud) is called, which either adds units to
** *budget (a new slice) and returns, or raises a Lua error.
*/
#ifndef POL_ENGINE_PATTERN_H
#define POL_ENGINE_PATTERN_H

#include <stdint.h>

#include <lua.h>

typedef struct lpat_meter {
  int64_t *budget;                        /* units left; see exhausted */
  void (*exhausted)(lua_State *L, void *ud);
  void *ud;
  /* gsub with a table: t[capture] for the key on top (which the value
  ** replaces), read as the host's library reads elements. */
  void (*get_element)(lua_State *L, int t);
} lpat_meter;

/* Sets find, match, gmatch and gsub in the table at the top of the stack.
** The meter must outlive the state. */
void lpat_register(lua_State *L, lpat_meter *meter);

#endif
