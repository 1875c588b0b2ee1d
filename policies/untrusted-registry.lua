-- An image comes from a registry that is not on the allow-list.

-- True when registry/repository is allowed by one of the patterns:
-- "ghcr.io" (a registry), "*.example.com", "*", or "docker.io/library" (a prefix).
local function allowed(ref, patterns)
  local full = ref.registry .. "/" .. (ref.repository or "")
  for _, p in ipairs(patterns) do
    p = paths.trim(tostring(p):lower())
    if p == "*" or p == ref.registry or full:sub(1, #p + 1) == p .. "/" then return true end
    local suffix = p:match("^%*(%..+)$")
    if suffix and ref.registry:sub(-#suffix) == suffix then return true end
  end
  return false
end

-- A registry reference written as text (RUN --mount=from=...), parsed
-- the way Docker does: the first part is a registry when it has a dot or
-- a port, or is localhost; otherwise the image is on Docker Hub.
local function parse_ref(text)
  local first, rest = text:match("^([^/]+)/(.+)$")
  if first and (first:find("[.:]") or first == "localhost") then
    return { raw = text, registry = first, repository = rest:match("^[^:@]+") }
  end
  local repo = text:match("^[^:@]+")
  if not repo:find("/") then repo = "library/" .. repo end
  return { raw = text, registry = "docker.io", repository = repo }
end

return {
  id = "untrusted-registry",
  title = "Image from a registry that is not trusted",
  severity = "medium",
  applies_to = { "image", "container" },
  description = [[
An image (a FROM, a COPY --from or RUN --mount from an image, or a
container's image) comes from a registry that is not on your list of
trusted registries. Images from elsewhere bypass the scanning, signing
and approval your organisation applies to its registries, and a typo in
a name can pull an attacker's look-alike image. The rule is silent until
you list the trusted registries in a data file.]],
  remediation = [[
Pull from (or mirror into) a registry you trust:
    FROM registry.example.com/mirror/python:3.13-slim
and list the trusted registries, or registry/namespace prefixes, in a
data file given with --data (or `data:` in .policy.yaml):
    # trusted.yaml
    trusted_registries:
      - registry.example.com
      - "*.corp.example.com"
      - docker.io/library        # official Docker Hub images only]],
  refs = {
    cis = "4.2",
    hadolint = "DL3026",
  },
  check = function(subject, document)
    local patterns = data and data.trusted_registries
    if patterns == nil then return end
    if type(patterns) == "string" then patterns = { patterns } end
    local function check_ref(ref, where)
      if model.pullable(ref) and ref.registry ~= nil and not allowed(ref, patterns) then
        report(ref, ("%s comes from %s, which is not a trusted registry"):format(where or model.ref_text(ref), ref.registry))
      end
    end
    if not model.is_image(subject) then -- a container
      if subject.build == nil then check_ref(subject.image) end
      return
    end
    check_ref(subject.from)
    local copies = subject.copies
    for i = 1, #copies do
      local copy = copies[i]
      check_ref(copy.from_image)
    end
    -- RUN --mount=from=IMAGE (a name that is not a stage of this file).
    local stages = {}
    local doc_images = document.images
    for i = 1, #doc_images do
      local im = doc_images[i]
      if im.name then stages[im.name] = true end
    end
    local instructions = subject.instructions
    for i = 1, #instructions do
      local instr = instructions[i]
      local mounts = instr.mounts or {}
      for k = 1, #mounts do
        local m = mounts[k]
        local from = m.from
        if from and not stages[from:lower()] and not from:match("^%d+$") and not from:find("%$") then
          local ref = parse_ref(from:lower())
          if not allowed(ref, patterns) then
            report(instr, ("RUN --mount from %s comes from %s, which is not a trusted registry"):format(from, ref.registry))
          end
        end
      end
    end
  end,
}
