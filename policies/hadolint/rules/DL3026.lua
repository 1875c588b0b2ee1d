-- DL3026: an image comes from a registry that is not on the trusted list.
local config = require "hadolint_a_config"

-- True when registry host r matches a trusted entry: the same name,
-- "*" (any), or "*.example.com" (any host below example.com).
local function matches(r, pattern)
  if pattern == "*" or pattern == r then return true end
  if pattern:sub(1, 2) == "*." then
    local suffix = pattern:sub(2)
    return #r > #suffix and r:sub(-#suffix) == suffix
  end
  return false
end

local HUB = { ["docker.io"] = true, ["index.docker.io"] = true, ["hub.docker.com"] = true, ["registry-1.docker.io"] = true }

local function trusted(r, list)
  for _, pattern in ipairs(list) do
    if matches(r, pattern) or (HUB[r] and HUB[pattern]) then return true end
  end
  return false
end

-- The registry of an image named in RUN --mount from= (only words that
-- look like an image: with a tag, digest or path; a bare word is a stage).
local function mount_registry(from)
  if not (from:find("[:/@]")) or from:sub(1, 1) == "$" then return nil end
  local first, rest = from:match("^([^/]+)/(.+)$")
  if first and (first:find("[.:]") or first == "localhost") then return first end
  return "docker.io"
end

return {
  id = "DL3026",
  title = "Image from an untrusted registry",
  severity = "high",
  applies_to = "image",
  description = [[
An image used by the build (in FROM, COPY --from or RUN --mount from=)
comes from a registry that is not on your list of trusted registries
(hadolint's trustedRegistries). Images from elsewhere have not been
through your organisation's review, mirroring or scanning, and are a
way for unreviewed code into your images. The rule does nothing until
trusted registries are configured.]],
  remediation = [[
Pull the image through a trusted registry (your mirror), for example
    FROM registry.example.com/library/python:3.12-slim
or, if the registry is trustworthy, add it to trustedRegistries in
.hadolint.yaml (or data.hadolint.trustedRegistries):
    trustedRegistries:
      - docker.io
      - "*.example.com"]],
  refs = { hadolint = "DL3026", cis = "4.2" },
  check = function(image)
    local list = config.trusted_registries(data)
    if #list == 0 then return end
    local ref = image.from
    if model.pullable(ref) and ref.registry and not trusted(ref.registry, list) then
      report(ref, ("%s comes from %s, which is not a trusted registry"):format(ref.raw, ref.registry))
    end
    for _, c in ipairs(image.copies) do
      local r = c.from_image
      if model.pullable(r) and r.registry and not trusted(r.registry, list) then
        report(image.instructions[c.instruction + 1],
          ("COPY --from=%s comes from %s, which is not a trusted registry"):format(r.raw, r.registry))
      end
    end
    for _, instr in ipairs(image.instructions) do
      if instr.keyword == "RUN" and instr.mounts then
        for _, m in ipairs(instr.mounts) do
          local reg = m.from and mount_registry(m.from)
          if reg and not trusted(reg, list) then
            report(instr, ("RUN --mount from=%s comes from %s, which is not a trusted registry"):format(m.from, reg))
          end
        end
      end
    end
  end,
}
