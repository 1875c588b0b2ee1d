-- An image or plugin pulled from a registry that is not trusted.

-- True when registry/repository is allowed by one of the patterns:
-- "ghcr.io" (a registry), "*.example.com", "*", or "docker.io/library" (a
-- prefix). The same matching as the rule untrusted-registry.
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

return {
  id = "image-pull-untrusted-registry",
  title = "Image or plugin pulled from a registry that is not trusted",
  severity = "medium",
  applies_to = "request",
  description = [[
The request pulls an image (`docker pull`, `POST /images/create`) or
installs a plugin (`docker plugin install`) from a registry that is not
on your list of trusted registries. What is pulled once is run later,
without the scanning, signing and review your registries apply. The rule
is silent until you list the trusted registries in a data file; with
the list it is the check at pull time that the rule untrusted-registry
makes on Dockerfiles, Compose files and created containers.]],
  remediation = [[
Pull from (or mirror into) a registry you trust:
    docker pull registry.example.com/mirror/nginx:1.27
and list the trusted registries, or registry/namespace prefixes, in a
data file given with --data (or `data:` in .policy.yaml):
    # trusted.yaml
    trusted_registries:
      - registry.example.com
      - docker.io/library        # official Docker Hub images only]],
  refs = {
    cis = "4.2",
  },
  check = function(req)
    local patterns = data and data.trusted_registries
    if patterns == nil then return end
    if type(patterns) == "string" then patterns = { patterns } end
    local refs = { { req.pull, "image" }, { req.plugin and req.plugin.remote, "plugin" } }
    for i = 1, #refs do
      local r = refs[i]
      local ref, what = r[1], r[2]
      if ref ~= nil and ref.registry ~= nil and not ref.error and not allowed(ref, patterns) then
        report(ref, ("the %s %s is pulled from %s, which is not a trusted registry"):format(what, ref.raw, ref.registry))
      end
    end
  end,
}
