-- A base image's release no longer gets security fixes.

-- The data entry that says ref is end-of-life and the release it matched,
-- or nil.
local function eol_entry(ref)
  local tag = (ref.tag or ""):lower()
  local name = images.name(ref)
  for _, e in ipairs(data and data.eol_images or {}) do
    if images.glob(name, tostring(e.repository)) then
      if e.tags == nil then return e, nil end
      for _, t in ipairs(e.tags) do
        local release = tostring(t):lower()
        if tag ~= "" and images.tag_is(tag, release) then return e, release end
      end
    end
  end
  -- The operating system underneath, named in a part of the tag (python:3.12-slim-bullseye).
  for part in tag:gmatch("[^-]+") do
    for _, e in ipairs(data and data.eol_variants or {}) do
      local release = tostring(e.variant):lower()
      if images.tag_is(part, release) then return e, release end
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
