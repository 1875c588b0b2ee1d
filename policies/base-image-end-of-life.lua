-- A base image's release no longer gets security fixes.

-- The data lists, indexed once per engine (data is loaded before rules
-- are): eol_images by repository (images.index), eol_variants by the first
-- character of their lowercased release, as a chain of places in list
-- order (a tag part can only be of a release it starts with): first[c]
-- the first place, after[n] the next one; "" chains empty releases.
local EOL_IMAGES = images.index(data and data.eol_images)
local EOL_VARIANTS = (function()
  local first, last, after, release = {}, {}, {}, {}
  local ok = pcall(function()
    local variants, count = model_column(data and data.eol_variants or {}, "variant")
    for n = 1, count do
      release[n] = tostring(variants[n]):lower()
      local c = release[n]:sub(1, 1)
      if first[c] == nil then first[c] = n else after[last[c]] = n end
      last[c] = n
    end
  end)
  return ok and { first = first, after = after, release = release } or { unindexed = true }
end)()
local open_ended = images.open_ended

-- Each eol_images entry's releases, lowercased, by place, in one flat
-- list (every table a rule's chunk keeps is frozen when it loads, at a
-- cost per table): releases[first[n] .. last[n]], first[n] = false for an
-- entry with no tags (every tag of it), open[i] = open_ended(releases[i]);
-- nil when the list is unindexed.
local EOL_RELEASES = (function()
  local releases, first, last, open = {}, {}, {}, {}
  local ok = pcall(function()
    local tags, count = model_column(data and data.eol_images or {}, "tags")
    for n = 1, count do
      if tags[n] == nil then
        first[n] = false
      else
        first[n] = #releases + 1
        for _, t in ipairs(tags[n]) do
          releases[#releases + 1] = tostring(t):lower()
          open[#releases] = open_ended(releases[#releases])
        end
        last[n] = #releases
      end
    end
  end)
  return ok and not EOL_IMAGES.unindexed
    and { releases = releases, first = first, last = last, open = open } or nil
end)()

-- The variants' index, its parts as upvalues (a read of a frozen table
-- costs more than one of an upvalue): vopen[n] = open_ended(vrelease[n]).
local vfirst, vafter, vrelease = EOL_VARIANTS.first, EOL_VARIANTS.after, EOL_VARIANTS.release
local vopen = (function()
  local open = {}
  for n = 1, #(vrelease or {}) do open[n] = open_ended(vrelease[n]) end
  return open
end)()

local sub, byte = string.sub, string.byte

-- images.tag_is(tag, release) with open = open_ended(release) known.
local function tag_is(tag, release, open)
  if #release > #tag or sub(tag, 1, #release) ~= release then return false end
  if open then return true end
  local after = byte(tag, #release + 1)
  return after == nil or after == 46 or after == 45 or after == 95 -- "", ".", "-", "_"
end

-- The first variant (in list order) that a tag part is of, and its
-- release, or nil: the chain of the part's first character merged with
-- the chain of empty releases ("" is of every part's start).
local function variant_of(part, variants)
  local own, any = vfirst[sub(part, 1, 1)], vfirst[""]
  while own or any do
    local n
    if any == nil or (own and own < any) then
      n, own = own, vafter[own]
    else
      n, any = any, vafter[any]
    end
    local release = vrelease[n]
    if tag_is(part, release, vopen[n]) then return variants[n], release end
  end
  return nil
end

-- The data entry that says ref is end-of-life and the release it matched,
-- or nil.
local function eol_entry(ref)
  -- implicit_latest (set on every parsed ref): no tag to read (a read of
  -- an unset field is a call into C).
  local tag = ref.implicit_latest and "" or (ref.tag or ""):lower()
  local name = images.name(ref)
  local list, variants = data and data.eol_images, data and data.eol_variants
  if EOL_RELEASES then
    local releases, first, last = EOL_RELEASES.releases, EOL_RELEASES.first, EOL_RELEASES.last
    local open = EOL_RELEASES.open
    local places = images.entries(EOL_IMAGES, name)
    for j = 1, #places do
      local n = places[j]
      if not first[n] then return list[n], nil end
      if tag ~= "" then
        for i = first[n], last[n] do
          local release = releases[i]
          if tag_is(tag, release, open[i]) then return list[n], release end
        end
      end
    end
  else
    -- The list could not be indexed: all its entries, the slow way
    -- (errors as before).
    for _, e in ipairs(list or {}) do
      if not images.glob(name, tostring(e.repository)) then
        -- not this image
      elseif e.tags == nil then
        return e, nil
      else
        for _, t in ipairs(e.tags) do
          local release = tostring(t):lower()
          if tag ~= "" and images.tag_is(tag, release) then return e, release end
        end
      end
    end
  end
  -- The operating system underneath, named in a part of the tag (python:3.12-slim-bullseye).
  for part in tag:gmatch("[^-]+") do
    if EOL_VARIANTS.unindexed then
      for _, e in ipairs(variants or {}) do
        local release = tostring(e.variant):lower()
        if images.tag_is(part, release) then return e, release end
      end
    else
      local e, release = variant_of(part, variants)
      if e then return e, release end
    end
  end
  return nil
end

-- "Node.js 16, whose security support ended 2023-09-11": the entry's
-- name with {version} replaced by the version the tag starts with (the
-- release matched when it starts with a name).
local function describe(e, tag, release)
  local version = (tag or ""):match("^v?([%d][%d.]*%d)") or (tag or ""):match("^v?(%d+)") or release or ""
  local name = tostring(e.name or "a release"):gsub("{version}", (version:gsub("%%", "%%%%")))
  return ("%s, whose security support ended %s"):format(name, tostring(e.eol or "already"))
end

return {
  id = "base-image-end-of-life",
  title = "Base image has reached end of life",
  severity = "medium",
  applies_to = { "image", "container" },
  description = [[
An image or one of its build stages is built on (or a container runs) a release whose maintainers
no longer publish security fixes: Ubuntu 20.04 and older and ended
interim releases, Debian 11 and older, Alpine 3.21 and older (also as
the alpine3.x part of tags like golang:1.24-alpine3.13), CentOS Linux,
Python 3.10 and older, Node.js 20 and older and the odd releases, PHP,
Ruby, Go, PostgreSQL, MySQL, MongoDB, Redis, nginx and .NET releases
whose support has ended, listed with dates in the pack's data file
(policies/data/eol-images.yaml). Vulnerabilities found in it
from now on stay open for good, scanners report more every month, and
the newer packages you need stop being available for it.]],
  remediation = [[
Move to a supported release of the same image and test your application
on it, for example
    FROM python:3.13-slim-bookworm     (instead of python:3.8-slim-buster)
    FROM node:22-alpine                (instead of node:16-alpine)
    FROM rockylinux:9 or almalinux:9   (instead of centos:7)
Your organisation can keep its own list: give a data file with
`eol_images` and `eol_variants` (the format of the pack's file) with --data.]],
  refs = {
    cis = "4.4",
  },
  check = function(subject, document)
    local ref, what
    if model.is_image(subject) then
      ref = subject.from
      what = ref and model.ref_text(ref)
    else
      if subject.build ~= nil then return end
      ref = subject.image
      what = ref and ("the image of %s, %s,"):format(model.describe(subject), model.ref_text(ref))
    end
    if not model.pullable(ref) then return end
    local e, release = eol_entry(ref)
    if e then
      report(ref, ("%s is %s"):format(what, describe(e, ref.tag, release)))
    end
  end,
}
