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
  sb_limits lim = {256 * MIB, UINT64_C(1) << 40, 1024, 0};
  sandbox *sb;
  cr_assert_eq(sb_new(&sb, &lim), SB_OK);
  pol_buf err = POL_BUF_INIT;
  cr_assert_eq(sb_load(sb, "=reference", reference, strlen(reference), &err), SB_OK);
  int st = sb_call(sb, 0, 2, &err);
  cr_assert_eq(st, SB_OK, "%s", err.data ? err.data : "");
  cr_assert_gt(lua_tointeger(sb_state(sb), -2), 4000);
  /* the cases find credentials too, not only their absence */
  cr_assert_gt(lua_tointeger(sb_state(sb), -1), 200, "%d found",
               (int)lua_tointeger(sb_state(sb), -1));
  pol_buf_free(&err);
  sb_free(sb);
}

Test(textlib, base) {
  sb_limits lim = {64 * MIB, 1000000, 1024, 0};
  sandbox *sb;
  cr_assert_eq(sb_new(&sb, &lim), SB_OK);
  static const char src[] =
      "return text.base('/usr/bin/apt-get') == 'apt-get' and text.base('pip') == 'pip' "
      "and text.base('/data/') == '' and text.base(nil) == '' and text.base() == ''";
  pol_buf err = POL_BUF_INIT;
  cr_assert_eq(sb_load(sb, "=base", src, strlen(src), &err), SB_OK);
  cr_assert_eq(sb_call(sb, 0, 1, &err), SB_OK, "%s", err.data ? err.data : "");
  cr_assert(lua_toboolean(sb_state(sb), -1));
  pol_buf_free(&err);
  sb_free(sb);
}
