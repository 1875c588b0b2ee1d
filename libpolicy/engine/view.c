/*
** view.c: the model as scripts see it (see sandbox.h): read-only views,
** built lazily, shared by every rule that reads the same document.
**
** A guarded view of an array, object or map node is three objects:
**   P  a userdata holding the node and its generation: what scripts hold;
**   M  P's own metatable: __index = B, writes refused, __len and __pairs
**      in C, __metatable = false;
**   B  the backing table: the node and its generation (under private
**      light-userdata keys), the node's scalar children (filled when the
**      view is made), and its container children once read, as views; its
**      shared metatable's __index makes a child's view the first time it
**      is asked for and stores it in B.
** So a read that hits B never leaves the VM (an __index table is followed
** by the interpreter itself), and each child is converted once per
** generation, whichever rule asks first. Scripts can reach neither M
** (__metatable hides it; there is no debug library) nor B (it is only
** M.__index), so nothing a script does changes what another sees.
**
** An open view, for trusted code only (eng_sb_set_trusted), is B alone,
** under one shared metatable with the same metamethods: a read that hits
** it costs the VM one table lookup instead of three, and making it costs
** one table instead of two and a userdata. New keys are still refused
** (__newindex), but existing ones could be overwritten: open views are
** never given to code from outside the library. An open view of a typed
** object is made with the scalar fields rules have read before (see
** field_hot), not all of them: the others are converted when read, as
** containers are. Guarded and open views
** of a document are separate trees (a guarded view's children are
** guarded, an open one's open), and permanent views are always guarded:
** every rule shares them.
**
** An open B holds only the node's children: its node is found by the
** table's address in the sandbox's open index (sb->open), which knows the
** open views of the current generation only. An entry is added once its
** B is reachable from the root (stored in its parent, or the root in the
** registry), and the root stays there for the whole generation, so no
** indexed table is collected (and its address reused) while its entry
** counts. An open array's container items are converted all at once,
** the first time one is read (rules walk lists). An open array whose
** items are then all there (no null item) is complete: it moves to a
** second metatable with no __index and no __len, so reading past its end
** (every ipairs loop) and # never leave the VM. An array of scalars is
** complete when it is made, and so is a map or untyped object with no
** member (a command's env, mostly: # is 0 and every key reads nil in the
** VM, as through the view).
**
** The model is a tree, so a node has one view per generation and kind:
** the one its parent's B holds (the root's is kept in the registry), and
** == works. eng_sb_next_generation makes every non-permanent view made
** before invalid: reading a child not yet in B then raises instead of
** touching a node that may have been freed. Permanent views (data
** documents, generation 0) live as long as the state.
**
** Nulls read as nil. Arrays keep their positions (a null element is a nil
** at its index: # counts it, ipairs stops at it); objects and maps skip
** null members in pairs and #, as a Lua table would not hold them.
*/
#include "sandbox_int.h"

#include <assert.h>
#include <lauxlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../model/schema.h"

static char node_key;       /* in B: the node, as light userdata */
static char gen_key;        /* in B: the generation (integer) */
/* The metatables views share, at registry refs (sb->view_mts): a read
** by integer is cheaper than one by light userdata. */
enum {
  MT_BACKING, /* of every guarded B */
  MT_OPEN,    /* of every open view */
  MT_FULL,    /* of complete open arrays */
  MT_EMPTY    /* of guarded empty lists and maps */
};
static char root_key;       /* registry: the open roots replaced within
                            ** the generation of sb->roots[1] (kept alive
                            ** until it ends), or nil */

static bool is_null(const pm_value *v) {
  return v == NULL || v->type == PM_NULL;
}

static bool is_container(const pm_value *v) {
  return v && (v->type == PM_ARR || v->type == PM_OBJ || v->type == PM_MAP);
}

/* Reads the node and generation stored in the table at idx (a B). */
static const pm_value *stored_node(lua_State *L, int idx, uint64_t *gen) {
  idx = lua_absindex(L, idx);
  lua_rawgetp(L, idx, &node_key);
  const pm_value *v = lua_touserdata(L, -1);
  lua_rawgetp(L, idx, &gen_key);
  *gen = (uint64_t)lua_tointeger(L, -1);
  lua_pop(L, 2);
  return v;
}

/* What a view's userdata holds. Views are the only userdata of this size
** in a sandbox (the read-only libraries are empty ones, and scripts
** cannot make any), which is how a view is told from other values. */
typedef struct view {
  const pm_value *node;
  uint64_t gen;
} view;

/* The payload of the view at idx, or NULL when idx is not a view. */
static const view *view_at(lua_State *L, int idx) {
  if (lua_type(L, idx) != LUA_TUSERDATA || lua_rawlen(L, idx) != sizeof(view)) return NULL;
  return lua_touserdata(L, idx);
}

/* ---- the open index: an open B's node, by B's address --------------- */

/* Entries of another generation are free slots (the index empties itself
** when the generation changes); there are no deletions, so a lookup may
** stop at the first free slot. */
static size_t open_slot(const void *t, size_t cap) {
  uint64_t h = (uint64_t)(uintptr_t)t * UINT64_C(0x9E3779B97F4A7C15);
  return (size_t)(h >> 32) & (cap - 1);
}

static bool open_live(const eng_sb_open_entry *e, uint64_t gen) {
  return e->table != NULL && e->gen == gen;
}

/* The entry of open view t of the current generation, or NULL; valid
** until the next open_reserve. */
static eng_sb_open_entry *open_entry(const eng_sandbox *sb, const void *t) {
  const eng_sb_open_index *x = &sb->open;
  if (x->gen != sb->gen || x->cap == 0) return NULL;
  for (size_t i = open_slot(t, x->cap);; i = (i + 1) & (x->cap - 1)) {
    eng_sb_open_entry *e = &x->slots[i];
    if (!open_live(e, sb->gen)) return NULL;
    if (e->table == t) return e;
  }
}

/* The node of open view t of the current generation, or NULL. */
static const pm_value *open_find(const eng_sandbox *sb, const void *t) {
  const eng_sb_open_entry *e = open_entry(sb, t);
  return e ? e->node : NULL;
}

/* Whether an open view of v is complete when made: an array of scalars
** only (no null, no container), or a map or untyped object with no
** member (its table's # is 0 and every key reads nil, as the view's
** would; most commands' env). */
static bool open_complete(const pm_value *v) {
  if (v->type != PM_ARR) return v->u.obj.len == 0 && pm_value_schema(v) == NULL;
  for (size_t i = 0; i < v->u.arr.len; i++) {
    const pm_value *item = v->u.arr.items[i];
    if (is_null(item) || is_container(item)) return false;
  }
  return true;
}

/* Makes room for one more entry, so that the open_add after it cannot
** fail; raises (the host is out of memory) when it cannot. */
static void open_reserve(lua_State *L, eng_sandbox *sb) {
  eng_sb_open_index *x = &sb->open;
  if (x->gen != sb->gen) {
    x->gen = sb->gen;
    x->count = 0;
  }
  if ((x->count + 1) * 2 <= x->cap) return;
  size_t cap = x->cap ? x->cap * 2 : 64;
  eng_sb_open_entry *slots = pol_calloc(cap, sizeof *slots);
  if (slots == NULL) eng_sb_raise_nomem(L, sb);
  for (size_t i = 0; i < x->cap; i++) {
    const eng_sb_open_entry *e = &x->slots[i];
    if (!open_live(e, sb->gen)) continue;
    size_t j = open_slot(e->table, cap);
    while (slots[j].table != NULL) j = (j + 1) & (cap - 1);
    slots[j] = *e;
  }
  pol_free(x->slots);
  x->slots = slots;
  x->cap = cap;
}

/* Records open view t (reachable from the root already) of node v; after
** open_reserve. */
static void open_add(eng_sandbox *sb, const void *t, const pm_value *v) {
  eng_sb_open_index *x = &sb->open;
  assert(x->gen == sb->gen && (x->count + 1) * 2 <= x->cap);
  size_t i = open_slot(t, x->cap);
  while (open_live(&x->slots[i], sb->gen) && x->slots[i].table != t) i = (i + 1) & (x->cap - 1);
  if (!open_live(&x->slots[i], sb->gen)) x->count++;
  x->slots[i] = (eng_sb_open_entry){t, v, sb->gen};
}

void eng_sb_free_open_index(eng_sandbox *sb) {
  pol_free(sb->open.slots);
  sb->open = (eng_sb_open_index){0};
}

/* The node of the view at idx, the argument of a metamethod of a guarded
** view (its userdata) or of an open one (its table); raises when its
** generation is over. */
static const pm_value *live_node(lua_State *L, int idx, bool open) {
  eng_sandbox *sb = eng_sb_of(L);
  if (open) {
    const pm_value *v = lua_type(L, idx) == LUA_TTABLE ? open_find(sb, lua_topointer(L, idx)) : NULL;
    if (v == NULL) luaL_error(L, "this model view is no longer valid");
    return v;
  }
  const view *w = view_at(L, idx);
  if (w == NULL) luaL_error(L, "not a model view");
  if (w->gen != 0 && w->gen != sb->gen) luaL_error(L, "this model view is no longer valid");
  return w->node;
}

/* The child of v under the key at idx, or NULL. */
static const pm_value *child(lua_State *L, const pm_value *v, int idx) {
  if (v->type == PM_ARR) {
    if (lua_type(L, idx) != LUA_TNUMBER) return NULL;
    int exact;
    lua_Integer i = lua_tointegerx(L, idx, &exact);
    if (!exact || i < 1 || (lua_Unsigned)i > v->u.arr.len) return NULL;
    return v->u.arr.items[i - 1];
  }
  if (lua_type(L, idx) != LUA_TSTRING) return NULL;
  size_t n;
  const char *k = lua_tolstring(L, idx, &n);
  return pm_getn(v, k, n);
}

static int view_newindex(lua_State *L) {
  return luaL_error(L, "model is read-only");
}

/* Upvalue: whether the views it serves are open. */
static int view_len(lua_State *L) {
  const pm_value *v = live_node(L, 1, lua_toboolean(L, lua_upvalueindex(1)));
  size_t n = 0;
  if (v->type == PM_ARR) {
    n = v->u.arr.len;
  } else {
    for (size_t i = 0; i < v->u.obj.len; i++)
      if (!is_null(v->u.obj.items[i].val)) n++;
  }
  lua_pushinteger(L, (lua_Integer)n);
  return 1;
}

/* Upvalues: the view, the 0-based position of the next entry, whether
** the view is open. */
static int view_next(lua_State *L) {
  int self = lua_upvalueindex(1);
  const pm_value *v = live_node(L, self, lua_toboolean(L, lua_upvalueindex(3)));
  size_t pos = (size_t)lua_tointeger(L, lua_upvalueindex(2));
  bool arr = v->type == PM_ARR;
  size_t len = arr ? v->u.arr.len : v->u.obj.len;
  while (!arr && pos < len && is_null(v->u.obj.items[pos].val)) pos++;
  if (pos >= len) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushinteger(L, (lua_Integer)pos + 1);
  lua_replace(L, lua_upvalueindex(2));
  if (arr) {
    lua_pushinteger(L, (lua_Integer)pos + 1);
  } else {
    const pm_member *m = &v->u.obj.items[pos];
    lua_pushlstring(L, m->key, m->key_len);
  }
  lua_pushvalue(L, -1);
  lua_gettable(L, self); /* from B when read before, else converted now */
  return 2;
}

/* Upvalue: whether the views it serves are open. */
static int view_pairs(lua_State *L) {
  bool open = lua_toboolean(L, lua_upvalueindex(1));
  live_node(L, 1, open);
  lua_pushvalue(L, 1);
  lua_pushinteger(L, 0);
  lua_pushboolean(L, open);
  lua_pushcclosure(L, view_next, 3);
  lua_pushnil(L);
  lua_pushnil(L);
  return 3;
}

static bool is_scalar(const pm_value *v) {
  return v && v->type != PM_NULL && !is_container(v);
}

/* Whether an open view of a typed object gets field f when it is made:
** when rules have read it from C ENG_SB_HOT_READS times (in views made
** before), or when it is not counted. A field rules never read then
** costs nothing; one they read is filled as before, with no miss. */
static bool field_hot(const eng_sandbox *sb, const pm_value *v, size_t f) {
  return f >= ENG_SB_COUNTED_FIELDS ||
         sb->field_reads[v->u.obj.schema][f] >= ENG_SB_HOT_READS;
}

/* Counts a read of the scalar under the key at idx of typed object v that
** had to convert it (an open view: the field was not hot). */
static void field_read(lua_State *L, eng_sandbox *sb, const pm_value *v, int idx) {
  size_t n;
  const char *k = lua_tolstring(L, idx, &n);
  int f = pm_schema_field(pm_value_schema(v), k, n);
  if (f < 0 || f >= ENG_SB_COUNTED_FIELDS) return;
  uint8_t *c = &sb->field_reads[v->u.obj.schema][f];
  if (*c < ENG_SB_HOT_READS) (*c)++;
}

/* Fills B (at b) with the node's scalar children at once: one pass over
** the node instead of one miss per field later; for an open view of a
** typed object, its hot fields only (field_hot). Containers stay for
** backing_index to convert when asked for. */
static void fill_scalars(lua_State *L, eng_sandbox *sb, const pm_value *v, int b, bool open) {
  if (v->type == PM_ARR) {
    for (size_t i = 0; i < v->u.arr.len; i++) {
      if (!is_scalar(v->u.arr.items[i])) continue;
      eng_sb_push_node(L, sb, v->u.arr.items[i], false);
      lua_rawseti(L, b, (lua_Integer)i + 1);
    }
    return;
  }
  const pm_schema *s = pm_value_schema(v);
  if (s != NULL && open && v->u.obj.field_at != NULL) {
    /* By field (field_at: the member of each field, 0 when unset). A
    ** member that is no field (a builder bug, asserted in value.c) is
    ** converted when read. */
    for (size_t f = 0; f < s->nfields; f++) {
      uint16_t at = v->u.obj.field_at[f];
      if (at == 0 || !field_hot(sb, v, f)) continue;
      const pm_member *m = &v->u.obj.items[at - 1];
      if (!is_scalar(m->val)) continue;
      eng_sb_push_node(L, sb, m->val, false);
      lua_setfield(L, b, m->key);
    }
    return;
  }
  if (s != NULL) {
    /* A typed object's keys are its schema's field names: static,
    ** NUL-terminated and few, so lua_setfield finds each one's Lua string
    ** in Lua's cache by address instead of hashing it again. B has no
    ** metatable yet: the set is raw. */
    for (size_t i = 0; i < v->u.obj.len; i++) {
      const pm_member *m = &v->u.obj.items[i];
      if (!is_scalar(m->val)) continue;
      eng_sb_push_node(L, sb, m->val, false);
      lua_setfield(L, b, m->key);
    }
    return;
  }
  for (size_t i = 0; i < v->u.obj.len; i++) {
    const pm_member *m = &v->u.obj.items[i];
    if (!is_scalar(m->val)) continue;
    lua_pushlstring(L, m->key, m->key_len);
    eng_sb_push_node(L, sb, m->val, false);
    lua_rawset(L, b);
  }
}

/* The metamethods every view has, set in M at m, for open or guarded
** views; a complete open array has no __len (# of its table is its
** length). */
static void set_metamethods(lua_State *L, int m, bool open, bool complete) {
  lua_pushcfunction(L, view_newindex);
  lua_setfield(L, m, "__newindex");
  if (!complete) {
    lua_pushboolean(L, open);
    lua_pushcclosure(L, view_len, 1);
    lua_setfield(L, m, "__len");
  }
  lua_pushboolean(L, open);
  lua_pushcclosure(L, view_pairs, 1);
  lua_setfield(L, m, "__pairs");
  lua_pushboolean(L, 0);
  lua_setfield(L, m, "__metatable");
  lua_pushliteral(L, "model view");
  lua_setfield(L, m, "__name");
}

/* Makes B for v, filled with its scalars, and leaves it on the stack: a
** guarded one holds its node and generation, under the guarded
** metatable; an open one only the children, under the open metatable
** (the complete one for an array of scalars). */
static void new_backing(lua_State *L, const pm_value *v, uint64_t gen, bool open) {
  bool arr = v->type == PM_ARR;
  size_t n = arr ? v->u.arr.len : v->u.obj.len;
  int size = n < 1024 ? (int)n : 1024;
  int keys = open ? 0 : 2;
  lua_createtable(L, arr ? size : 0, (arr ? 0 : size) + keys);
  int b = lua_gettop(L);
  if (!open) {
    lua_pushlightuserdata(L, (void *)v);
    lua_rawsetp(L, b, &node_key);
    lua_pushinteger(L, (lua_Integer)gen);
    lua_rawsetp(L, b, &gen_key);
  }
  fill_scalars(L, eng_sb_of(L), v, b, open);
  int mt = !open ? MT_BACKING : open_complete(v) ? MT_FULL : MT_OPEN;
  lua_rawgeti(L, LUA_REGISTRYINDEX, eng_sb_of(L)->view_mts[mt]);
  lua_setmetatable(L, b);
}

/* Makes the view of v (a container), open or guarded; leaves it on the
** stack. A guarded empty array or map (every command's env, most lists)
** shares one metatable whose __index is an empty table: only its
** userdata is made. */
static void new_view(lua_State *L, const pm_value *v, uint64_t gen, bool open) {
  luaL_checkstack(L, 6, NULL);
  assert(!(open && gen == 0)); /* permanent views are guarded */
  if (open) {
    new_backing(L, v, gen, true);
    return;
  }
  size_t n = v->type == PM_ARR ? v->u.arr.len : v->u.obj.len;
  view *w = lua_newuserdatauv(L, sizeof *w, 0);
  w->node = v;
  w->gen = gen;
  int p = lua_gettop(L);
  if (n == 0 && v->type != PM_OBJ) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, eng_sb_of(L)->view_mts[MT_EMPTY]);
    lua_setmetatable(L, p);
    return;
  }
  new_backing(L, v, gen, false);
  int b = lua_gettop(L);
  /* M */
  lua_createtable(L, 0, 6);
  int m = lua_gettop(L);
  lua_pushvalue(L, b);
  lua_setfield(L, m, "__index");
  set_metamethods(L, m, false, false);
  lua_setmetatable(L, p);
  lua_settop(L, p);
}

/* Strict access: reading a field the object's type does not define is an
** error that names it (and the field meant, when one is close), not a nil
** that makes a rule silently check nothing. Fields that exist but are
** unset read as nil. Untyped objects read as before. */
static void no_such_field(lua_State *L, const pm_value *v, int key) {
  const pm_schema *s = pm_value_schema(v);
  if (s == NULL) return;
  if (lua_type(L, key) != LUA_TSTRING) {
    luaL_error(L, "%s has no field %s (fields are named by strings)", pm_schema_name(s),
               luaL_typename(L, key));
    return;
  }
  size_t n;
  const char *k = lua_tolstring(L, key, &n);
  if (pm_schema_has(s, k, n)) return;
  const char *near = pm_schema_suggest(s, k, n);
  luaL_where(L, 1); /* the rule's line: level 0 is this C function */
  if (near)
    lua_pushfstring(L, "%s has no field '%s'; did you mean '%s'?", pm_schema_name(s), k, near);
  else
    lua_pushfstring(L, "%s has no field '%s' (docs/model.md lists its fields)",
                    pm_schema_name(s), k);
  lua_concat(L, 2);
  lua_error(L);
}

/* model_type(v): the object type of a model view ("image", "container",
** "command", ...), nil for anything else (an array, a map, an untyped
** object, a non-view). */
static int l_model_type(lua_State *L) {
  const pm_value *v = eng_sb_view_node(L, eng_sb_of(L), 1);
  const pm_schema *s = v ? pm_value_schema(v) : NULL;
  if (s) lua_pushstring(L, pm_schema_name(s));
  else lua_pushnil(L);
  return 1;
}

void eng_sb_open_model_type(lua_State *L) { lua_pushcfunction(L, l_model_type); }

/* Pushes scalar or list-of-scalars v (the `key` of item i) as a plain
** Lua value, a list as a new table; raises for anything else. */
static void push_plain(lua_State *L, eng_sandbox *sb, const pm_value *v, lua_Integer i,
                       const char *key) {
  if (v == NULL || v->type != PM_ARR) {
    if (is_container(v))
      luaL_error(L, "model_column: item %I's %s is a mapping, not a value or a list", i, key);
    eng_sb_push_node(L, sb, v, false);
    return;
  }
  lua_createtable(L, (int)(v->u.arr.len < 1024 ? v->u.arr.len : 1024), 0);
  for (size_t k = 0; k < v->u.arr.len; k++) {
    const pm_value *e = v->u.arr.items[k];
    if (is_container(e))
      luaL_error(L, "model_column: item %I's %s holds a list or a mapping", i, key);
    eng_sb_push_node(L, sb, e, false);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
}

/* model_column(list, key) -> values, n: a new table with values[i] =
** list[i][key] for the items of list before its first nil (n of them), a
** list of scalars copied into a new table, an absent field nil. For a
** model list (a view, `data`'s lists included) it reads the nodes and
** makes no view: a rule's top level indexes a data list of hundreds of
** entries once per engine, and a view per entry is most of what loading
** the pack costs. Any other table is read as Lua reads it. Raises when an
** item of a model list is not a mapping, its type has no such field (as
** reading it does) or its value is a mapping (or a list holding one). */
static int l_model_column(lua_State *L) {
  eng_sandbox *sb = eng_sb_of(L);
  const char *key = luaL_checkstring(L, 2);
  const pm_value *list = eng_sb_view_node(L, sb, 1);
  lua_settop(L, 2);
  if (list == NULL) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_newtable(L);
    lua_Integer n = 0;
    while (lua_geti(L, 1, n + 1) != LUA_TNIL) {
      lua_getfield(L, -1, key);
      lua_rawseti(L, 3, ++n);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_pushinteger(L, n);
    return 2;
  }
  if (list->type != PM_ARR) return luaL_error(L, "model_column: the model node is not a list");
  size_t len = list->u.arr.len;
  lua_createtable(L, (int)(len < 4096 ? len : 4096), 0);
  lua_Integer n = 0;
  for (size_t i = 0; i < len && !is_null(list->u.arr.items[i]); i++) {
    const pm_value *item = list->u.arr.items[i];
    if (item->type != PM_OBJ && item->type != PM_MAP)
      return luaL_error(L, "model_column: item %I of the list is not a mapping", ++n);
    eng_sb_charge(L, (int64_t)item->u.obj.len + 1);
    no_such_field(L, item, 2); /* a field its type lacks, as a read of it */
    push_plain(L, sb, pm_get(item, key), ++n, key);
    lua_rawseti(L, 3, n);
  }
  lua_pushinteger(L, n);
  return 2;
}

void eng_sb_open_model_column(lua_State *L) { lua_pushcfunction(L, l_model_column); }

/* The string keys of set (at index `set`, a table, frozen or not) whose
** values are truthy, when it has only such keys and at most `max`; else
** -1 (the set is then looked up item by item). */
#define FIND_SET_MAX 32
static int set_strings(lua_State *L, int set, const char **keys, size_t *lens, int max) {
  int t = set;
  bool shadow = eng_sb_frozen_shadow(L, set); /* pushes it */
  if (shadow) t = lua_gettop(L);
  else if (lua_type(L, set) != LUA_TTABLE) return -1;
  int n = 0;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    bool ok = lua_type(L, -2) == LUA_TSTRING && n < max;
    if (ok && lua_toboolean(L, -1)) {
      keys[n] = lua_tolstring(L, -2, &lens[n]); /* kept alive by the set */
      n++;
    }
    lua_pop(L, 1);
    if (!ok) {
      lua_pop(L, 1);
      n = -1;
      break;
    }
  }
  if (shadow) lua_pop(L, 1);
  return n;
}

/* Whether node v (an item's value) is truthy, or with a set, names a key
** of it: in the string keys (n >= 0 of them), else set[v] read as Lua
** reads it. */
static bool find_hit(lua_State *L, eng_sandbox *sb, const pm_value *v, int set,
                     const char **keys, const size_t *lens, int n) {
  if (v == NULL || v->type == PM_NULL || (v->type == PM_BOOL && !v->u.b)) return false;
  if (set == 0) return true;
  if (n >= 0) {
    if (v->type != PM_STR) return false;
    for (int i = 0; i < n; i++)
      if (lens[i] == v->u.str.len && memcmp(keys[i], v->u.str.s, lens[i]) == 0) return true;
    return false;
  }
  if (is_container(v)) return false; /* a view is never a key a rule wrote */
  eng_sb_push_node(L, sb, v, false);
  eng_sb_get_element(L, set);
  bool hit = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return hit;
}

/* model_find(list, key [, set [, from]]) -> i: the index of the first
** item of list at or after `from` (1 when nil) whose value under key is
** truthy, or with a set (a table of names to true), one of its keys;
** nil when there is none. For a model list it reads the nodes and makes
** no view: a rule looking for the commands it is about (chmod, curl, a
** package manager) skips the others at the cost of a comparison each,
** without making them Lua values. An item that is not a mapping has no
** value; a field the items' type does not define raises, as reading it
** does. Any other table is read as Lua reads it. */
static int l_model_find(lua_State *L) {
  eng_sandbox *sb = eng_sb_of(L);
  size_t klen;
  const char *key = luaL_checklstring(L, 2, &klen);
  int set = lua_isnoneornil(L, 3) ? 0 : 3;
  if (set) luaL_checktype(L, 3, LUA_TTABLE);
  lua_Integer from = luaL_optinteger(L, 4, 1);
  if (from < 1) from = 1;
  lua_settop(L, 4);
  const char *keys[FIND_SET_MAX];
  size_t lens[FIND_SET_MAX];
  int n = set ? set_strings(L, set, keys, lens, FIND_SET_MAX) : -1;
  const pm_value *list = eng_sb_view_node(L, sb, 1);
  if (list == NULL) {
    luaL_checktype(L, 1, LUA_TTABLE);
    for (lua_Integer i = from;; i++) {
      if (lua_geti(L, 1, i) == LUA_TNIL) break;
      lua_getfield(L, -1, key);
      bool hit = lua_toboolean(L, -1);
      if (hit && set) {
        lua_pushvalue(L, -1);
        eng_sb_get_element(L, set);
        hit = lua_toboolean(L, -1);
        lua_pop(L, 1);
      }
      lua_pop(L, 2);
      if (hit) {
        lua_pushinteger(L, i);
        return 1;
      }
    }
    lua_pushnil(L);
    return 1;
  }
  if (list->type != PM_ARR) return luaL_error(L, "model_find: the model node is not a list");
  size_t len = list->u.arr.len;
  uint16_t schema = PM_SCHEMA_NONE; /* the type whose field `key` is `field` */
  int field = -1;
  for (size_t i = (size_t)from - 1; from <= (lua_Integer)len && i < len; i++) {
    const pm_value *item = list->u.arr.items[i];
    if (item == NULL || (item->type != PM_OBJ && item->type != PM_MAP)) continue;
    eng_sb_charge(L, 1);
    const pm_value *v;
    if (item->type == PM_OBJ && item->u.obj.schema != PM_SCHEMA_NONE && item->u.obj.field_at) {
      /* Items of a list share their type: the field is looked up once. */
      if (item->u.obj.schema != schema) {
        schema = item->u.obj.schema;
        field = pm_schema_field(pm_value_schema(item), key, klen);
        if (field < 0) no_such_field(L, item, 2); /* as a read of it */
      }
      uint16_t at = field >= 0 ? item->u.obj.field_at[field] : 0;
      v = field < 0 ? pm_getn(item, key, klen) : at ? item->u.obj.items[at - 1].val : NULL;
    } else {
      v = pm_getn(item, key, klen);
    }
    if (find_hit(L, sb, v, set, keys, lens, n)) {
      lua_pushinteger(L, (lua_Integer)i + 1);
      return 1;
    }
  }
  lua_pushnil(L);
  return 1;
}

void eng_sb_open_model_find(lua_State *L) { lua_pushcfunction(L, l_model_find); }

/* Converts every container item of open array v (its view B at index 1)
** not converted yet, the first time one is asked for: rules walk lists
** (ipairs), and one pass costs less than a metamethod call per item. An
** array without a null item is then complete (MT_FULL): reading past its
** end and # stay in the VM. An error (memory) may stop the pass half-way,
** before the array is marked complete: the next read of an item left
** makes another pass. */
static void open_items(lua_State *L, eng_sandbox *sb, const pm_value *v) {
  assert(v->type == PM_ARR);
  bool complete = true;
  for (size_t i = 0; i < v->u.arr.len; i++) {
    const pm_value *item = v->u.arr.items[i];
    complete = complete && !is_null(item);
    if (!is_container(item)) continue;
    if (lua_rawgeti(L, 1, (lua_Integer)i + 1) != LUA_TNIL) {
      lua_pop(L, 1);
      continue;
    }
    lua_pop(L, 1);
    open_reserve(L, sb);
    new_view(L, item, sb->gen, true);
    const void *t = lua_topointer(L, -1);
    lua_rawseti(L, 1, (lua_Integer)i + 1); /* reachable from the root now */
    open_add(sb, t, item);
  }
  if (complete) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->view_mts[MT_FULL]);
    lua_setmetatable(L, 1); /* every item there: no more misses, # in the VM */
  }
}

/* The node of the shared empty map view: no member, no position. */
static const pm_value empty_map_node = {.type = PM_MAP};

static bool is_empty_map(const pm_value *v) {
  return v->type == PM_MAP && v->u.obj.len == 0;
}

/* Pushes the open view every empty map of every generation shares: a
** table with no key under the complete views' metatable, so it reads,
** counts and iterates as an empty map's own would, and refuses writes
** (rawset too: eng_sb_is_open_view). Most commands' env is one: a table
** each, made per document, was a third of the open views. In each
** generation's open index under a node of its own (no position: a report
** on it, which no rule has reason to make, has no node to point at but
** the subject). */
static void push_empty_map(lua_State *L, eng_sandbox *sb) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, sb->empty_map);
  if (open_find(sb, lua_topointer(L, -1)) == NULL) {
    open_reserve(L, sb);
    open_add(sb, lua_topointer(L, -1), &empty_map_node);
  }
}

/* B's __index: (B, key) -> the child, converted and stored in B. Its
** upvalue says whether B is an open view (whose children are open). */
static int backing_index(lua_State *L) {
  eng_sandbox *sb = eng_sb_of(L);
  bool open = lua_toboolean(L, lua_upvalueindex(1));
  uint64_t gen = sb->gen;
  const pm_value *v = open ? open_find(sb, lua_topointer(L, 1)) : stored_node(L, 1, &gen);
  if (v == NULL || (gen != 0 && gen != sb->gen))
    return luaL_error(L, "this model view is no longer valid");
  const pm_value *c = child(L, v, 2);
  if (c == NULL && v->type == PM_OBJ) no_such_field(L, v, 2);
  if (is_null(c)) {
    lua_pushnil(L);
    return 1;
  }
  if (open && is_container(c) && v->type == PM_ARR) {
    open_items(L, sb, v);
    lua_pushvalue(L, 2);
    lua_rawget(L, 1);
    return 1;
  }
  bool shared = open && is_empty_map(c);
  if (shared) {
    push_empty_map(L, sb);
  } else if (is_container(c)) {
    if (open) open_reserve(L, sb);
    new_view(L, c, gen, open);
  } else {
    if (open && v->type == PM_OBJ && pm_value_schema(v) != NULL) field_read(L, sb, v, 2);
    eng_sb_push_node(L, sb, c, gen == 0);
  }
  lua_pushvalue(L, 2);
  lua_pushvalue(L, -2);
  lua_rawset(L, 1);
  if (open && is_container(c) && !shared) open_add(sb, lua_topointer(L, -1), c);
  return 1;
}

/* A view the host pushes (the document's root, a data document): the
** same one while the generation lasts, so every rule of a document
** shares its views. Trusted code gets the open tree, unless the view is
** permanent. The last root of each kind is known in C (sb->roots), its
** view held at a registry ref: a hit costs one read. */
static void push_root(lua_State *L, eng_sandbox *sb, const pm_value *v, bool permanent) {
  uint64_t gen = permanent ? 0 : sb->gen;
  bool open = sb->trusted && !permanent;
  eng_sb_root *rt = &sb->roots[open];
  luaL_checkstack(L, 4, NULL);
  if (rt->node == v && rt->gen == gen) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, rt->ref);
    return;
  }
  if (open) {
    /* An open root replaced within its generation stays alive with it
    ** (in the list at root_key): the open index still counts its views.
    ** The list goes with the generation. */
    if (rt->node != NULL && rt->gen == gen) {
      if (lua_rawgetp(L, LUA_REGISTRYINDEX, &root_key) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &root_key);
      }
      lua_rawgeti(L, LUA_REGISTRYINDEX, rt->ref);
      lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
      lua_pop(L, 1);
    } else {
      lua_pushnil(L);
      lua_rawsetp(L, LUA_REGISTRYINDEX, &root_key);
    }
    open_reserve(L, sb);
  }
  new_view(L, v, gen, open);
  lua_pushvalue(L, -1);
  lua_rawseti(L, LUA_REGISTRYINDEX, rt->ref); /* an existing slot: cannot fail */
  rt->node = v;
  rt->gen = gen;
  if (open) open_add(sb, lua_topointer(L, -1), v);
}

void eng_sb_push_node(lua_State *L, eng_sandbox *sb, const pm_value *v,
                  bool permanent) {
  switch (v ? v->type : PM_NULL) {
  case PM_NULL: lua_pushnil(L); break;
  case PM_BOOL: lua_pushboolean(L, v->u.b); break;
  case PM_INT: lua_pushinteger(L, (lua_Integer)v->u.i); break;
  case PM_NUM: lua_pushnumber(L, (lua_Number)v->u.n); break;
  case PM_STR: lua_pushlstring(L, v->u.str.s, v->u.str.len); break;
  case PM_ARR:
  case PM_OBJ:
  case PM_MAP: push_root(L, sb, v, permanent); break;
  }
}

void eng_sb_open_views(lua_State *L) {
  eng_sandbox *sb = eng_sb_of(L);
  lua_createtable(L, 0, 1);
  lua_pushboolean(L, 0);
  lua_pushcclosure(L, backing_index, 1);
  lua_setfield(L, -2, "__index");
  sb->view_mts[MT_BACKING] = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_createtable(L, 0, 6);
  lua_pushboolean(L, 1);
  lua_pushcclosure(L, backing_index, 1);
  lua_setfield(L, -2, "__index");
  set_metamethods(L, lua_gettop(L), true, false);
  sb->view_mts[MT_OPEN] = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_createtable(L, 0, 5);
  set_metamethods(L, lua_gettop(L), true, true);
  sb->view_mts[MT_FULL] = luaL_ref(L, LUA_REGISTRYINDEX);
  for (int i = 0; i < 2; i++) {
    lua_pushboolean(L, 0); /* a place for the view: sb->roots[i].node is NULL */
    sb->roots[i].ref = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  lua_createtable(L, 0, 6);
  lua_newtable(L);
  lua_setfield(L, -2, "__index");
  set_metamethods(L, lua_gettop(L), false, false);
  sb->view_mts[MT_EMPTY] = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_createtable(L, 0, 0);
  lua_rawgeti(L, LUA_REGISTRYINDEX, sb->view_mts[MT_FULL]);
  lua_setmetatable(L, -2);
  sb->empty_map = luaL_ref(L, LUA_REGISTRYINDEX);
}

bool eng_sb_is_open_view(lua_State *L, int idx) {
  if (lua_type(L, idx) != LUA_TTABLE) return false;
  if (open_find(eng_sb_of(L), lua_topointer(L, idx))) return true;
  /* an open view of an earlier generation */
  if (!lua_getmetatable(L, idx)) return false;
  lua_rawgeti(L, LUA_REGISTRYINDEX, eng_sb_of(L)->view_mts[MT_OPEN]);
  bool open = lua_rawequal(L, -1, -2);
  lua_pop(L, 1);
  lua_rawgeti(L, LUA_REGISTRYINDEX, eng_sb_of(L)->view_mts[MT_FULL]);
  open = open || lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return open;
}

const pm_value *eng_sb_view_node(lua_State *L, eng_sandbox *sb, int idx) {
  const pm_value *v = NULL;
  const view *w = view_at(L, idx);
  if (w) {
    if (w->gen != 0 && w->gen != sb->gen) return NULL;
    v = w->node;
  } else if (lua_type(L, idx) == LUA_TTABLE) {
    v = open_find(sb, lua_topointer(L, idx));
    if (v == NULL) return NULL;
  } else {
    return NULL;
  }
  assert(is_container(v));
  return v;
}
