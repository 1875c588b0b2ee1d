/*
** bytecode.h: what a compiled chunk may write after it loaded
** (bytecode.c). Apart from sandbox.h so that the build's chunkc
** (policies/chunkc.c) links bytecode.c alone.
*/
#ifndef POL_ENGINE_BYTECODE_H
#define POL_ENGINE_BYTECODE_H

#include <lua.h>

/* What the functions of a chunk other than its main one may write
** (bytecode.c): ENG_SB_WRITES_UPVALUES (a cell), ENG_SB_WRITES_GLOBALS (a table
** in an upvalue, _ENV among them). Both when unsure. Needs the function
** at fn; allocates outside the state only. */
enum { ENG_SB_WRITES_UPVALUES = 1u << 0, ENG_SB_WRITES_GLOBALS = 1u << 1 };
unsigned eng_sb_chunk_writes(lua_State *L, int fn);

#endif
