-- images: image references compared with the lists of the pack's data
-- files (end-of-life releases, bases known to run as another user than
-- root), and what a reference tells about the system inside.

local images = {}

-- The name data files give an image: the repository on Docker Hub
-- ("library/python", "bitnami/redis"), registry/repository elsewhere
-- ("docker.elastic.co/elasticsearch/elasticsearch"); "" when unknown.
function images.name(ref)
  local repo = ref.repository or ""
  if ref.registry == nil or ref.registry == "docker.io" then return repo end
  return ref.registry .. "/" .. repo
end

-- The anchored Lua pattern a glob with a "*" stands for.
local function pattern_of(glob)
  return "^" .. glob:gsub("[%^%$%(%)%%%.%[%]%+%-%?]", "%%%0"):gsub("%*", ".*") .. "$"
end

-- True when text matches a glob in which "*" stands for any run of
-- characters; everything else is literal.
function images.glob(text, pattern)
  local star = pattern:find("*", 1, true)
  if not star then return text == pattern end
  -- The literal part before the first "*" rejects most texts cheaply.
  if text:sub(1, star - 1) ~= pattern:sub(1, star - 1) then return false end
  local rest = pattern:sub(star + 1)
  if not rest:find("*", 1, true) then
    -- One "*": the rest is a suffix that must not overlap the prefix.
    return rest == "" or (#text >= star - 1 + #rest and text:sub(#text - #rest + 1) == rest)
  end
  return text:find(pattern_of(pattern)) ~= nil
end

-- True when a release, as data files write it, ends in "." or "-": it
-- then takes whatever follows (images.tag_is).
function images.open_ended(release)
  local last = release:byte(-1)
  return last == 46 or last == 45 -- "." or "-"
end

-- True when a tag (or a part of one) is of a release as data files write
-- it: "3.7" is 3.7, 3.7.17, 3.7-slim and 3.7_x but not 3.70 or 3.7s; an
-- open-ended release takes whatever follows.
function images.tag_is(tag, release)
  if tag:sub(1, #release) ~= release then return false end
  if images.open_ended(release) then return true end
  local after = tag:sub(#release + 1, #release + 1)
  return after == "" or after == "." or after == "-" or after == "_"
end

-- True when an entry's tags (nil: every tag) hold tag.
local function tag_matches(e, tag)
  if e.tags == nil then return true end
  for _, t in ipairs(e.tags) do
    if images.glob(tag, tostring(t)) then return true end
  end
  return false
end

-- The first entry of a data list ({repository = glob, tags = {glob, ...}
-- or absent for every tag}) that names ref, or nil. A reference without
-- a tag is matched as "latest".
function images.find(ref, list)
  local name, tag = images.name(ref), ref.tag or "latest"
  for _, e in ipairs(list or {}) do
    if images.glob(name, tostring(e.repository)) and tag_matches(e, tag) then return e end
  end
  return nil
end

-- Builds an index of a data list, for a rule's top level (which runs once
-- per engine, after `data` is loaded): images.entries and images.lookup
-- then cost a table look-up and the few globbed repositories per image
-- instead of a pass over the whole list. The index holds places in the
-- list, never a part of the list (a frozen rule table that held a view of
-- data would freeze that view with it), in a few flat tables (freezing
-- costs per table): first[repository] = the first place with that exact
-- repository, next[n] = the next place with the same one; the places
-- whose repository has a "*" have its prefix[n] before the "*" and its
-- pattern[n], and are listed by the first byte of the prefix:
-- by_lead[byte] the places whose prefix starts with that byte or is
-- empty, unled the places whose prefix is empty, each in list order (a
-- name is compared with the globs that can match its first byte only).
-- A list that cannot be read as one (a user's --data that is not a list
-- of mappings) gives {unindexed = true}: it is then looked up the slow
-- way, with the errors the slow way gives.
function images.index(list)
  local first, last, nxt, prefix, pattern, by_lead, unled = {}, {}, {}, {}, {}, {}, {}
  local ok = pcall(function()
    local globbed, lead = {}, {}
    -- The repositories, read without a view per entry (model_column).
    local repos, count = model_column(list or {}, "repository")
    for n = 1, count do
      local repo = tostring(repos[n])
      local star = repo:find("*", 1, true)
      if star then
        globbed[#globbed + 1] = n
        prefix[n], pattern[n] = repo:sub(1, star - 1), pattern_of(repo)
        lead[n] = star > 1 and repo:byte(1)
        if lead[n] then by_lead[lead[n]] = by_lead[lead[n]] or {} end
      elseif first[repo] == nil then
        first[repo], last[repo] = n, n
      else
        nxt[last[repo]], last[repo] = n, n
      end
    end
    for _, g in ipairs(globbed) do
      if lead[g] then
        local l = by_lead[lead[g]]
        l[#l + 1] = g
      else
        unled[#unled + 1] = g
        for _, l in pairs(by_lead) do l[#l + 1] = g end
      end
    end
  end)
  if not ok then return { unindexed = true } end
  return { first = first, next = nxt, prefix = prefix, pattern = pattern, by_lead = by_lead,
           unled = unled }
end

local byte, sub, find = string.byte, string.sub, string.find

-- The places in the indexed list of the entries whose repository names
-- name, in the list's order.
function images.entries(index, name)
  assert(not index.unindexed, "images.entries: the list could not be indexed")
  local out, same = {}, index.first[name]
  local b = byte(name, 1)
  local globbed = b and index.by_lead[b] or index.unled
  local prefix, pattern, nxt = index.prefix, index.pattern, index.next
  for i = 1, #globbed do
    local g = globbed[i]
    local p = prefix[g]
    if sub(name, 1, #p) == p and find(name, pattern[g]) then
      while same and same < g do out[#out + 1] = same; same = nxt[same] end
      out[#out + 1] = g
    end
  end
  while same do out[#out + 1] = same; same = nxt[same] end
  return out
end

-- images.find(ref, list) through the index made of that list.
function images.lookup(ref, list, index)
  if index.unindexed then return images.find(ref, list) end
  local tag = ref.tag or "latest"
  local places = images.entries(index, images.name(ref))
  for j = 1, #places do
    local n = places[j]
    local e = list[n]
    if tag_matches(e, tag) then return e end
  end
  return nil
end

-- True when the image is built on Alpine Linux or BusyBox, whose /bin/sh
-- is BusyBox ash and which have no bash unless it is installed: the
-- repository is alpine or busybox, or a part of its tag says alpine.
function images.busybox_based(ref)
  local name = images.name(ref)
  if name == "library/alpine" or name == "library/busybox" then return true end
  for part in (ref.tag or ""):gmatch("[^-]+") do
    if part:sub(1, 6) == "alpine" then return true end
  end
  return false
end

return images
