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

-- True when text matches a glob in which "*" stands for any run of
-- characters; everything else is literal.
function images.glob(text, pattern)
  local star = pattern:find("*", 1, true)
  if not star then return text == pattern end
  -- The literal part before the first "*" rejects most texts before the
  -- pattern is built.
  if text:sub(1, star - 1) ~= pattern:sub(1, star - 1) then return false end
  local lua = pattern:gsub("[%^%$%(%)%%%.%[%]%+%-%?]", "%%%0"):gsub("%*", ".*")
  return text:find("^" .. lua .. "$") ~= nil
end

-- True when a tag (or a part of one) is of a release as data files write
-- it: "3.7" is 3.7, 3.7.17, 3.7-slim and 3.7_x but not 3.70 or 3.7s; a
-- release that ends in "." or "-" takes whatever follows.
function images.tag_is(tag, release)
  if tag:sub(1, #release) ~= release then return false end
  if release:match("[.%-]$") then return true end
  local after = tag:sub(#release + 1, #release + 1)
  return after == "" or after == "." or after == "-" or after == "_"
end

-- The first entry of a data list ({repository = glob, tags = {glob, ...}
-- or absent for every tag}) that names ref, or nil. A reference without
-- a tag is matched as "latest".
function images.find(ref, list)
  local name, tag = images.name(ref), ref.tag or "latest"
  for _, e in ipairs(list or {}) do
    if images.glob(name, tostring(e.repository)) then
      if e.tags == nil then return e end
      for _, t in ipairs(e.tags) do
        if images.glob(tag, tostring(t)) then return e end
      end
    end
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
