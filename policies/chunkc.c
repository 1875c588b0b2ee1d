/*
** chunkc.c: the build-time compiler of the built-in (trusted) Lua files.
**
**   chunkc CHUNKNAME IN.lua OUT.luac
**
** Compiles IN.lua as the engine would (luaL_loadbufferx, text only, under
** CHUNKNAME made "@CHUNKNAME" as sandbox.c's chunk_id does), writes its
** binary form with debug information (lines for messages, coverage and
** tracebacks) to OUT.luac, and prints eng_sb_chunk_writes of the chunk
** (bytecode.c, linked in) on stdout. It links the same liblua5.4 as the
** library, so the binary form is the one that Lua reads; the engine falls
** back to the text when another Lua refuses it (sandbox.h:
** eng_sb_load_code). Never run on anything but the files of policies/.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "engine/bytecode.h"

static int write_out(lua_State *L, const void *p, size_t n, void *ud) {
  (void)L;
  return fwrite(p, 1, n, ud) != n;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: chunkc CHUNKNAME IN.lua OUT.luac\n");
    return 2;
  }
  char name[256];
  const char *given = argv[1];
  if (given[0] == '=' || given[0] == '@') snprintf(name, sizeof name, "%s", given);
  else if (strlen(given) + 2 > sizeof name) {
    fprintf(stderr, "chunkc: chunk name too long: %s\n", given);
    return 1;
  } else {
    snprintf(name, sizeof name, "@%s", given);
  }
  lua_State *L = luaL_newstate();
  if (L == NULL) return 1;
  FILE *in = fopen(argv[2], "rb");
  if (in == NULL) return 1;
  fseek(in, 0, SEEK_END);
  long size = ftell(in);
  rewind(in);
  char *src = malloc(size > 0 ? (size_t)size : 1);
  if (src == NULL || fread(src, 1, (size_t)size, in) != (size_t)size) return 1;
  fclose(in);
  if (luaL_loadbufferx(L, src, (size_t)size, name, "t") != LUA_OK) {
    fprintf(stderr, "chunkc: %s\n", lua_tostring(L, -1));
    return 1;
  }
  free(src);
  FILE *out = fopen(argv[3], "wb");
  if (out == NULL) {
    perror(argv[3]);
    return 1;
  }
  if (lua_dump(L, write_out, out, 0) != 0 || fclose(out) != 0) {
    fprintf(stderr, "chunkc: cannot write %s\n", argv[3]);
    return 1;
  }
  printf("%u\n", eng_sb_chunk_writes(L, -1));
  lua_close(L);
  return 0;
}
