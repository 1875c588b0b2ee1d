-- hadolint_labels: the label schema (hadolint's `label-schema` and
-- `strict-labels`, in data.hadolint), the labels each LABEL instruction
-- sets, and the value checks of the label rules DL3049-DL3058.
--
-- Each check accepts what the library hadolint uses for that type accepts
-- (described in docs/hadolint.md, "Label rules"); none keeps state.

local spdx = require "hadolint_spdx"

local labels = {}

-- The types a schema may give a label, as hadolint spells them.
local TYPES = { text = true, url = true, semver = true, hash = true, rfc3339 = true, spdx = true, email = true }

-- The schema as a new list of {name = ..., type = ...} sorted by name (so
-- findings come out in a stable order), and a set of its names. An empty
-- list when no schema is configured. A type hadolint does not have is an
-- error naming the label: a typo there would silently check nothing.
function labels.schema(data)
  local h = data and data.hadolint
  local s = h and (h.label_schema or h["label-schema"])
  local list, names = {}, {}
  if s == nil then return list, names end
  if type(s) ~= "table" and type(s) ~= "userdata" then
    error("data.hadolint.label_schema must map label names to types, found a " .. type(s))
  end
  for name, t in pairs(s) do
    -- an empty type is text, as in hadolint
    if t == "" then t = "text" end
    if type(name) ~= "string" or type(t) ~= "string" or not TYPES[t] then
      error(("data.hadolint.label_schema: label %s has type %s; the types are text, url, semver, "
             .. "hash, rfc3339, spdx and email"):format(tostring(name), tostring(t)))
    end
    list[#list + 1] = { name = name, type = t }
    names[name] = true
  end
  table.sort(list, function(a, b) return a.name < b.name end)
  return list, names
end

-- True when labels outside the schema are to be reported (strict-labels).
function labels.strict(data)
  local h = data and data.hadolint
  local v = h and (h.strict_labels or h["strict-labels"])
  if v ~= nil and type(v) ~= "boolean" then
    error("data.hadolint.strict_labels must be true or false, found a " .. type(v))
  end
  return v == true
end

-- One word of a LABEL as written, with BuildKit's quote removal: the text
-- and whether it refers to a variable ($NAME, ${NAME}) outside single
-- quotes. `esc` is the escape character of the document.
local function unquote(word, esc)
  local out, i, n, quote, variable = {}, 1, #word, nil, false
  while i <= n do
    local c = word:sub(i, i)
    if quote == "'" then
      if c == "'" then quote = nil else out[#out + 1] = c end
    elseif c == esc and i < n then
      local d = word:sub(i + 1, i + 1)
      -- Inside double quotes the escape keeps its meaning only before a
      -- quote, a dollar or itself; elsewhere it is a plain character.
      if quote == '"' and d ~= '"' and d ~= "$" and d ~= esc then out[#out + 1] = c end
      out[#out + 1] = d
      i = i + 1
    elseif c == '"' then
      quote = (quote == '"') and nil or '"'
    elseif c == "'" and quote == nil then
      quote = "'"
    else
      if c == "$" and word:find("^[%w_{]", i + 1) then variable = true end
      out[#out + 1] = c
    end
    i = i + 1
  end
  return table.concat(out), variable
end

-- The labels a LABEL instruction sets, in order: a new list of
-- {key, value, variable, key_index, value_index}, the indexes into
-- instr.args (for report(instr.args, i, ...)). `variable` is true when the
-- value refers to a build variable: the build decides it, not the file.
function labels.pairs(instr, escape)
  local out, args = {}, instr.args
  for k = 1, #args - 1, 3 do
    local key = unquote(args[k], escape)
    local value, variable = unquote(args[k + 1], escape)
    out[#out + 1] = { key = key, value = value, variable = variable, key_index = k, value_index = k + 1 }
  end
  return out
end

-- True when the subject is a Dockerfile stage begun by a FROM (not an
-- inspected image, not instructions a file has before any FROM): the
-- stages hadolint's stage rules (DL3049, DL3057) look at.
function labels.is_stage(image)
  for _, instr in ipairs(image.instructions) do
    if instr.keyword == "FROM" then return true end
  end
  return false
end

-- The LABEL instructions of a stage (not ONBUILD LABEL: it labels the
-- images built from this one), in order: a new list.
function labels.instructions(image)
  local out = {}
  for _, instr in ipairs(image.instructions) do
    if instr.keyword == "LABEL" then out[#out + 1] = instr end
  end
  return out
end

-- Every label of the stage whose name the schema gives type `t` (any type
-- when t is nil) and whose value the file decides (no build variable):
-- calls fn(entry, instr, type) for each.
function labels.each_typed(image, document, data, t, fn)
  local schema = labels.schema(data)
  local wanted = {}
  for _, s in ipairs(schema) do
    if t == nil or s.type == t then wanted[s.name] = s.type end
  end
  if next(wanted) == nil then return end
  for _, instr in ipairs(labels.instructions(image)) do
    for _, p in ipairs(labels.pairs(instr, document.escape or "\\")) do
      if wanted[p.key] and not p.variable then fn(p, instr, wanted[p.key]) end
    end
  end
end

-- A check function for the rules that judge the value of each label the
-- schema gives type `t` (every schema label when nil): reports at the
-- value when valid(value) is false, the message `what` formatted with the
-- label's name and value.
function labels.value_check(t, valid, what)
  return function(image, document)
    labels.each_typed(image, document, data, t, function(p, instr)
      if not valid(p.value) then
        report(instr.args, p.value_index, what:format(p.key, p.value))
      end
    end)
  end
end

---------------------------------------------------------------------------
-- Value checks

local function trim_right(s) return (s:gsub("[ \t\r\n]+$", "")) end

-- A git commit hash: 7 (short) or 40 (full) lower-case hex digits.
function labels.is_git_hash(v)
  return (#v == 7 or #v == 40) and not v:find("[^0-9a-f]")
end

-- An SPDX license identifier of the SPDX license list (deprecated ones
-- included), exact case; trailing white space is allowed. Expressions
-- (`MIT OR Apache-2.0`, `GPL-2.0+`, `WITH`), and LicenseRef- are not one
-- identifier: hadolint reports them too.
function labels.is_spdx(v)
  return spdx[trim_right(v)] == true
end

-- Numeric: major.minor.patch (digits, leading zeros allowed), then
-- optional `-` and `+` parts, each a run of identifiers of letters,
-- digits and '-', separated (and optionally ended) by '.'.
local function semver_part(v, i)
  -- Returns the index after the part.
  while true do
    local s, e = v:find("^[%w%-]+", i)
    if not s then return i end
    i = e + 1
    if v:sub(i, i) == "." then i = i + 1 end
  end
end

function labels.is_semver(v)
  local e = select(2, v:find("^%d+%.%d+%.%d+"))
  if not e then return false end
  local i = e + 1
  if v:sub(i, i) == "-" then i = semver_part(v, i + 1) end
  if v:sub(i, i) == "+" then i = semver_part(v, i + 1) end
  return i == #v + 1
end

local DAYS = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

-- An RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS, an optional fraction,
-- then Z or an offset +HH:MM (or +HHMM). T and Z in either case; white
-- space around the value is allowed. The date must exist.
function labels.is_rfc3339(v)
  v = v:match("^%s*(.-)%s*$")
  local y, mo, d, h, mi, s, rest = v:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)[Tt](%d%d):(%d%d):(%d%d)(.*)$")
  if not y then return false end
  y, mo, d, h, mi, s = tonumber(y), tonumber(mo), tonumber(d), tonumber(h), tonumber(mi), tonumber(s)
  if mo < 1 or mo > 12 or d < 1 or h > 23 or mi > 59 or s > 60 then return false end
  local leap = (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0
  if d > DAYS[mo] + ((mo == 2 and leap) and 1 or 0) then return false end
  rest = rest:gsub("^%.%d*", "", 1)
  return rest == "Z" or rest == "z" or rest:find("^[+-]%d%d:?%d%d$") ~= nil
end

-- RFC 3986 character classes (ASCII only: other characters must be
-- percent-encoded).
local UNRESERVED_SUB = "A-Za-z0-9%-%._~!%$&'%(%)%*%+,;="

-- True when s is pchar-like text: the class `extra` added to
-- unreserved and sub-delims, with valid %XX escapes.
local function uri_chars(s, extra)
  local rest = s:gsub("%%%x%x", "")
  return not rest:find("[^" .. UNRESERVED_SUB .. extra .. "]")
end

local function uri_host(host)
  if host:sub(1, 1) == "[" then
    local inner = host:match("^%[(.*)%]$")
    if not inner then return false end
    if inner:find("^[vV]%x+%.") then
      return uri_chars((inner:gsub("^[vV]%x+%.", "")), ":") and not inner:find("%%")
    end
    return inner:find(":") ~= nil and not inner:find("[^%x:%.]")
  end
  return uri_chars(host, "")
end

-- An absolute URI (RFC 3986 `URI`): scheme ":" hier-part, optional
-- ?query and #fragment; `//authority` ([userinfo@]host[:port]) when
-- given. "example.com" (no scheme) is not one; "mailto:a@b.org" is.
function labels.is_url(v)
  local scheme, rest = v:match("^(%a[%w%+%-%.]*):(.*)$")
  if not scheme then return false end
  local frag_at = rest:find("#", 1, true)
  if frag_at then
    if not uri_chars(rest:sub(frag_at + 1), ":@/%?") then return false end
    rest = rest:sub(1, frag_at - 1)
  end
  local q_at = rest:find("?", 1, true)
  if q_at then
    if not uri_chars(rest:sub(q_at + 1), ":@/%?") then return false end
    rest = rest:sub(1, q_at - 1)
  end
  if rest:sub(1, 2) == "//" then
    local authority, path = rest:match("^//([^/]*)(.*)$")
    local userinfo, hostport = authority:match("^(.*)@([^@]*)$")
    if userinfo and not uri_chars(userinfo, ":") then return false end
    hostport = hostport or authority
    local host, port = hostport:match("^(.*):(%d*)$")
    if not host or (host:find(":") and host:sub(1, 1) ~= "[") then host, port = hostport, nil end
    if not uri_host(host) then return false end
    rest = path
  end
  return uri_chars(rest, ":@/")
end

---------------------------------------------------------------------------
-- E-mail addresses: RFC 5322 addr-spec, as hadolint's validator reads it.
-- local-part: dot-separated atoms or quoted strings; domain: dot-separated
-- labels of letters, digits and '-' (not starting or ending with '-', at
-- most 63 long, optional final dot) or a [domain literal]. Comments in
-- parentheses and folding white space may surround each part. Limits:
-- local-part 64, domain 253, whole address 254 (comments not counted).

local ATEXT = "A-Za-z0-9!#%$%%&'%*%+/=%?%^_`{|}~%-\128-\255"

-- Index after folding white space at i (space, tab, CRLF followed by one).
local function fws(s, i)
  while true do
    local e = select(2, s:find("^[ \t]+", i)) or select(2, s:find("^\r\n[ \t]+", i))
    if not e then return i end
    i = e + 1
  end
end

-- Index after a comment at i (nested comments and quoted pairs), or nil.
local function comment(s, i, depth)
  if s:sub(i, i) ~= "(" or depth > 50 then return nil end
  i = i + 1
  while i <= #s do
    local c = s:sub(i, i)
    if c == ")" then return i + 1
    elseif c == "(" then
      i = comment(s, i, depth + 1)
      if not i then return nil end
    elseif c == "\\" and i < #s then i = i + 2
    elseif c:find("[ \t\r\n]") then
      local j = fws(s, i)
      if j == i then return nil end
      i = j
    elseif c:find("[%c]") and not c:find("[\1-\8\11\12\14-\31\127]") then return nil
    else i = i + 1 end
  end
  return nil
end

-- Index after comments and folding white space at i.
local function cfws(s, i)
  while true do
    local j = fws(s, i)
    local k = comment(s, j, 0)
    if not k then return j end
    i = k
  end
end

-- A quoted string at i: index after it and its length, or nil.
local function quoted(s, i)
  if s:sub(i, i) ~= '"' then return nil end
  local len, j = 2, i + 1
  while j <= #s do
    local c = s:sub(j, j)
    if c == '"' then return j + 1, len end
    if c == "\\" then
      if j == #s then return nil end
      j, len = j + 2, len + 2
    elseif c == " " or c == "\t" or c == "\r" then
      local k = fws(s, j)
      if k == j then return nil end
      j = k
    elseif c == "\n" then return nil
    else j, len = j + 1, len + 1 end
  end
  return nil
end

-- The local part from i: index after it and its length, or nil.
local function local_part(s, i)
  local len = 0
  while true do
    i = cfws(s, i)
    local e = select(2, s:find("^[" .. ATEXT .. "]+", i))
    if e then
      len, i = len + (e - i + 1), e + 1
    else
      local j, qlen = quoted(s, i)
      if not j then return nil end
      len, i = len + qlen, j
    end
    i = cfws(s, i)
    -- a dot continues only when a word follows it
    if s:sub(i, i) ~= "." then return i, len end
    local after = cfws(s, i + 1)
    if not (s:find("^[" .. ATEXT .. "\"]", after)) then return i, len end
    len, i = len + 1, i + 1
  end
end

-- The domain from i to the end: its length, or nil.
local function domain(s, i)
  local j = cfws(s, i)
  if s:sub(j, j) == "[" then
    local close = s:find("]", j, true)
    if not close then return nil end
    local inner = s:sub(j + 1, close - 1)
    if inner:find("[^!-Z^-~ \t\r\n\1-\8\11\12\14-\31\127]") then return nil end
    if cfws(s, close + 1) ~= #s + 1 then return nil end
    return #(inner:gsub("[ \t\r\n]", "")) + 2
  end
  local len, first = 0, true
  while true do
    local k = cfws(s, i)
    local e = select(2, s:find("^[A-Za-z0-9][A-Za-z0-9%-]*", k))
    if not e then
      -- a final dot after at least one label
      if not first and k == #s + 1 and s:sub(i - 1, i - 1) == "." then return len - 1 end
      return nil
    end
    local lbl = s:sub(k, e)
    if #lbl > 63 or lbl:sub(-1) == "-" then return nil end
    len = len + #lbl
    i = cfws(s, e + 1)
    if i == #s + 1 then break end
    if s:sub(i, i) ~= "." then return nil end
    len, i, first = len + 1, i + 1, false
  end
  if len > 253 then return nil end
  return len
end

function labels.is_email(v)
  local i, llen = local_part(v, 1)
  if not i or llen > 64 or v:sub(i, i) ~= "@" then return false end
  local dlen = domain(v, i + 1)
  return dlen ~= nil and llen + 1 + dlen <= 254
end

return labels
