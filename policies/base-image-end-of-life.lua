-- A base image's release no longer gets security fixes.

-- True when tag starts with prefix at a boundary: "3.7" matches "3.7",
-- "3.7.17" and "3.7-slim" but not "3.70"; a prefix ending in "." or "-"
-- matches whatever follows.
local function has_prefix(tag, prefix)
  if tag:sub(1, #prefix) ~= prefix then return false end
  if prefix:match("[.%-]$") then return true end
  local next = tag:sub(#prefix + 1, #prefix + 1)
  return next == "" or not next:match("%d")
end

-- The data entry that says ref is end-of-life, or nil.
local function eol_entry(ref)
  local tag = (ref.tag or ""):lower()
  for _, e in ipairs(data and data.eol_images or {}) do
    if e.repository == ref.repository then
      if e.tags == nil then return e end
      for _, t in ipairs(e.tags) do
        if tag ~= "" and has_prefix(tag, tostring(t):lower()) then return e end
      end
    end
  end
  -- The operating system underneath, named in a part of the tag (python:3.12-slim-bullseye).
  for part in tag:gmatch("[^-]+") do
    for _, e in ipairs(data and data.eol_variants or {}) do
      if has_prefix(part, tostring(e.variant):lower()) then return e end
    end
  end
  return nil
end

local function describe(e)
  return ("%s, whose security support ended %s"):format(e.name or "a release", tostring(e.eol or "already"))
end

return {
  id = "base-image-end-of-life",
  title = "Base image has reached end of life",
  severity = "medium",
  applies_to = { "image", "container" },
  description = [[
An image or one of its build stages is built on (or a container runs) a release whose maintainers
no longer publish security fixes: Ubuntu 14.04-20.04, Debian 8-11,
Alpine 3.21 and older, CentOS Linux, Python 2.7-3.10, Node.js 20 and
older, and others listed in the pack's data file
(policies/data/eol-images.yaml, with dates). Vulnerabilities found in it
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
      what = ref and ref.raw
    else
      if subject.build ~= nil then return end
      ref = subject.image
      what = ref and ("the image of %s %s, %s,"):format(model.container_kind(subject), subject.name, ref.raw)
    end
    if not model.pullable(ref) then return end
    local e = eol_entry(ref)
    if e then
      report(ref, ("%s is %s"):format(what, describe(e)))
    end
  end,
}
