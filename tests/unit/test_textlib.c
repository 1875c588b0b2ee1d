/*
** test_textlib.c: the global `text` (engine/textlib.c). text.credential
** must answer exactly what the Lua patterns it replaced answer; the test
** runs both over hand-written cases and a few thousand generated strings
** made of the shapes' fragments, inside one sandbox.
*/
#include <criterion/criterion.h>
#include <lauxlib.h>
#include <string.h>

#include "engine/sandbox.h"

#define MIB ((size_t)1 << 20)

/* The patterns text.credential replaced, as the built-in pack had them. */
static const char reference[] =
    "local P = {\n"
    "  { '%f[%w]A[KS]IA' .. ('[0-9A-Z]'):rep(16) .. '%f[^%w]', 'an AWS access key id' },\n"
    "  { '%-%-%-%-%-BEGIN[%u ]* PRIVATE KEY%-%-%-%-%-', 'a private key' },\n"
    "  { '%f[%w]gh[pousr]_' .. ('[%w]'):rep(36), 'a GitHub token' },\n"
    "  { '%f[%w]github_pat_' .. ('[%w_]'):rep(40), 'a GitHub token' },\n"
    "  { '%f[%w]glpat%-' .. ('[%w_%-]'):rep(20), 'a GitLab token' },\n"
    "  { '%f[%w]xox[abprs]%-' .. ('[%w%-]'):rep(10), 'a Slack token' },\n"
    "  { '%f[%w][sr]k_live_' .. ('[%w]'):rep(20), 'a Stripe key' },\n"
    "  { '%f[%w]AIza' .. ('[%w_%-]'):rep(35), 'a Google API key' },\n"
    "  { '%f[%w]npm_' .. ('[%w]'):rep(36), 'an npm token' },\n"
    "  { '%f[%w]eyJ[%w_%-]+%.eyJ[%w_%-]+%.[%w_%-]+', 'a JSON Web Token' },\n"
    "}\n"
    "local function kind(v)\n"
    "  for _, p in ipairs(P) do if v:find(p[1]) then return p[2] end end\n"
    "  local pw = v:match('%a[%w+.%-]*://[^/%s:@]+:([^/%s@]+)@')\n"
    "  if pw and not pw:match('^%$') and not pw:match('^%*+$') then return 'a password in a URL' end\n"
    "  return nil\n"
    "end\n"
    "local frags = { 'AKIA', 'ASIA', 'ABCDEFGHIJKLMNOP', '0123456789ABCDEF', 'x', '_', '-', ' ',\n"
    "  '-----BEGIN', ' RSA', ' PRIVATE KEY-----', 'ghp_', 'gho_', 'ghx_', 'github_pat_',\n"
    "  'glpat-', 'xoxb-', 'xoxz-', 'sk_live_', 'rk_live_', 'pk_live_', 'AIza', 'npm_', 'eyJ',\n"
    "  '.', 'abcdefghij', 'ABCDEFGHIJabcdefghij0123456789', 'https://', 'u', ':', 'p@ss', '@', '/',\n"
    "  '$TOKEN', '***', 'h', 'a+b.c-d://', '9://', '\\t' }\n"
    "local cases = { '', 'AKIAABCDEFGHIJKLMNOP', 'xAKIAABCDEFGHIJKLMNOP', 'AKIAABCDEFGHIJKLMNOPQ',\n"
    "  'key=AKIA0123456789ABCDEF;', '-----BEGIN RSA PRIVATE KEY-----', '-----BEGIN PRIVATE KEY-----',\n"
    "  '-----BEGIN  PRIVATE KEY-----x', 'ghp_' .. ('a'):rep(36), 'ghp_' .. ('a'):rep(35),\n"
    "  'github_pat_' .. ('a_'):rep(20), 'glpat-' .. ('a-'):rep(10), 'xoxb-1234567890',\n"
    "  'sk_live_' .. ('Z'):rep(20), 'AIza' .. ('-'):rep(35), 'npm_' .. ('9'):rep(36),\n"
    "  'eyJa.eyJb.c', 'eyJa.eyJb.', 'aeyJa.eyJb.c', 'https://user:secret@host/',\n"
    "  'https://user:$PASS@host', 'https://user:***@host', 'http://:x@h', 'git+ssh://git:pw@h',\n"
    "  'https://a:b/c@d', '1://u:p@h', 'x https://u:p w@h', 'ftp://u:p:q@h' }\n"
    "local seed = 7\n"
    "local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n + 1 end\n"
    "for i = 1, 4000 do\n"
    "  local t = {}\n"
    "  for k = 1, rnd(8) do t[#t + 1] = frags[rnd(#frags)] end\n"
    "  local s = table.concat(t)\n"
    "  if rnd(3) == 1 then s = s .. ('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdef'):sub(1, rnd(42)) end\n"
    "  cases[#cases + 1] = s\n"
    "end\n"
    "local found = 0\n"
    "for _, s in ipairs(cases) do\n"
    "  local want, got = kind(s), text.credential(s)\n"
    "  if want then found = found + 1 end\n"
    "  if want ~= got then error(('%q: patterns say %s, text.credential %s'):format(s, tostring(want), tostring(got))) end\n"
    "end\n"
    "return #cases, found\n";

Test(textlib, credential_matches_the_patterns_it_replaced, .timeout = 60) {
  eng_sb_limits lim = {256 * MIB, UINT64_C(1) << 40, 1024, 0};
  eng_sandbox *sb;
  cr_assert_eq(eng_sb_new(&sb, &lim), ENG_SB_OK);
  pol_buf err = POL_BUF_INIT;
  cr_assert_eq(eng_sb_load(sb, "=reference", reference, strlen(reference), &err), ENG_SB_OK);
  int st = eng_sb_call(sb, 0, 2, &err);
  cr_assert_eq(st, ENG_SB_OK, "%s", err.data ? err.data : "");
  cr_assert_gt(lua_tointeger(eng_sb_state(sb), -2), 4000);
  /* the cases find credentials too, not only their absence */
  cr_assert_gt(lua_tointeger(eng_sb_state(sb), -1), 200, "%d found",
               (int)lua_tointeger(eng_sb_state(sb), -1));
  pol_buf_free(&err);
  eng_sb_free(sb);
}

Test(textlib, base) {
  eng_sb_limits lim = {64 * MIB, 1000000, 1024, 0};
  eng_sandbox *sb;
  cr_assert_eq(eng_sb_new(&sb, &lim), ENG_SB_OK);
  static const char src[] =
      "return text.base('/usr/bin/apt-get') == 'apt-get' and text.base('pip') == 'pip' "
      "and text.base('/data/') == '' and text.base(nil) == '' and text.base() == ''";
  pol_buf err = POL_BUF_INIT;
  cr_assert_eq(eng_sb_load(sb, "=base", src, strlen(src), &err), ENG_SB_OK);
  cr_assert_eq(eng_sb_call(sb, 0, 1, &err), ENG_SB_OK, "%s", err.data ? err.data : "");
  cr_assert(lua_toboolean(eng_sb_state(sb), -1));
  pol_buf_free(&err);
  eng_sb_free(sb);
}

/* text.find_credential answers as text.credential over each element, in
** order, from `from` on, stopping also at an element that starts with
** `prefix` when one is given, or at an option ("-" first) in a set of
** names, alone or before "=", and gives the element itself third; it
** takes # and [] through metamethods and refuses an element that is not
** a string. (A model view is read from
** its node: the rule fixtures and test_worker cover that path.) */
Test(textlib, find_in_lists) {
  eng_sb_limits lim = {64 * MIB, 1000000, 1024, 0};
  eng_sandbox *sb;
  cr_assert_eq(eng_sb_new(&sb, &lim), ENG_SB_OK);
  static const char src[] =
      "local key = 'AKIA' .. ('A'):rep(16)\n"
      "local l = { 'curl', '--token', 'x', 'https://u:pw@h', key, '--x=' .. key }\n"
      "local function eq(a, b, what) if a ~= b then error(what .. ': ' .. tostring(a)) end end\n"
      "local f = text.find_credential\n"
      "local i, k = f(l)\n"
      "eq(i, 4, 'first'); eq(k, 'a password in a URL', 'kind')\n"
      "eq(select(3, f(l)), 'https://u:pw@h', 'the string, third')\n"
      "eq(select(3, f(l, 1, '--')), '--token', 'the string at a prefix')\n"
      "eq(select(3, f({ 1, 23, key })), key, 'the string of a table')\n"
      "eq(select(3, f({ 7, key .. '0', 'AKIA' .. ('B'):rep(16) }, 1)), 'AKIA' .. ('B'):rep(16), 'later')\n"
      "eq(select('#', f({ 'a' })), 1, 'none: one value')\n"
      "i, k = f(l, 5)\n"
      "eq(i, 5, 'from'); eq(k, 'an AWS access key id', 'kind from')\n"
      "eq(f(l, 7), nil, 'past the end')\n"
      "eq(f({}), nil, 'empty')\n"
      "eq(f({ 'a', 'b' }), nil, 'none')\n"
      "eq(select(1, f({ 'a', key }, -3)), 2, 'from below 1')\n"
      "i, k = f(l, 1, '--')\n"
      "eq(i, 2, 'prefix'); eq(k, nil, 'prefix has no kind')\n"
      "eq(select(1, f(l, 3, '--')), 4, 'credential before the next prefix')\n"
      "i, k = f(l, 6, '--')\n"
      "eq(i, 6, 'both'); eq(k, 'an AWS access key id', 'both: the kind')\n"
      "eq(select(1, f(l, 1, '')), 1, 'empty prefix')\n"
      "eq(select(1, f({ '-', '--' }, 1, '--')), 2, 'shorter than the prefix')\n"
      "eq(f({ '-', 'x' }, 1, '--'), nil, 'no prefix')\n"
      "local names = { ['--token'] = true, ['--pass'] = true, x = true }\n"
      "eq(select(3, f(l, 1, names)), '--token', 'a name')\n"
      "eq(select(1, f(l, 3, names)), 4, 'credential before the next name')\n"
      "eq(select(3, f({ '--passwd', '--pass=1' }, 1, names)), '--pass=1', 'before =')\n"
      "eq(f({ 'x', '--tok', '--token-file' }, 1, names), nil, 'only options, whole names')\n"
      "i, k = f({ '--x=' .. key }, 1, names)\n"
      "eq(k, 'an AWS access key id', 'a credential in an option')\n"
      "eq(f({ '--t=1' }, 1, setmetatable({}, { __index = function(_, n)\n"
      "  return n == '--t' end })), nil, 'a set is read raw')\n"
      "local view = setmetatable({}, { __len = function() return 2 end,\n"
      "  __index = function(_, i) return i == 2 and key or 'x' end })\n"
      "eq(select(1, f(view)), 2, 'metamethods')\n"
      "eq(select(1, f({ 1, 23, key })), 3, 'numbers')\n"
      "eq(pcall(f, { 'a', {} }), false, 'not a string')\n"
      "eq(pcall(f, setmetatable({}, { __len = function() return 1 end })), false, 'nil')\n"
      "return true\n";
  pol_buf err = POL_BUF_INIT;
  cr_assert_eq(eng_sb_load(sb, "=find", src, strlen(src), &err), ENG_SB_OK);
  cr_assert_eq(eng_sb_call(sb, 0, 1, &err), ENG_SB_OK, "%s", err.data ? err.data : "");
  cr_assert(lua_toboolean(eng_sb_state(sb), -1));
  pol_buf_free(&err);
  eng_sb_free(sb);
}
