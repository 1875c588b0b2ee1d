-- yum, dnf, microdnf or zypper leave their package cache in the image.

local CHANGES = {
  install = true, groupinstall = true, localinstall = true, reinstall = true, update = true,
  upgrade = true, ["in"] = true, up = true, patch = true, ["dist-upgrade"] = true, dup = true,
  ["group"] = true, module = true,
}
local CACHE_DIRS = {
  yum = { "/var/cache/yum" }, dnf = { "/var/cache/dnf", "/var/cache/libdnf5" },
  microdnf = { "/var/cache/yum", "/var/cache/dnf" }, tdnf = { "/var/cache/tdnf" },
  zypper = { "/var/cache/zypp" },
}

-- True when the RUN cleans the cache of manager `name`.
local function cleaned(run, name)
  for j = 1, #run do
    local c = run[j]
    local p = c.package
    -- yum and dnf share a cache on current systems: either's clean counts.
    if p and (p.manager == name or (p.family == "rpm" and name ~= "zypper")) then
      if name == "zypper" and (p.subcommand == "clean" or p.subcommand == "cc") then return true end
      if name ~= "zypper" and p.subcommand == "clean" and (p.args[1] == "all" or p.args[1] == "packages") then return true end
    end
  end
  -- rm of the cache folder, or of anything in it.
  local prefixes = {}
  for i, dir in ipairs(CACHE_DIRS[name]) do prefixes[i] = "^" .. dir:gsub("%p", "%%%0") end
  return shell.removes(run, table.unpack(prefixes))
end

return {
  id = "package-cache-not-cleaned",
  title = "yum, dnf, microdnf or zypper cache left in the image",
  severity = "low",
  applies_to = "image",
  description = [[
A RUN step in a stage that ships installs or updates packages with yum,
dnf, microdnf, tdnf or zypper, and does not clean the package manager's
cache in the same step. The downloaded packages and repository metadata
(often hundreds of megabytes) stay in that layer: a later RUN that
cleans them only hides them.]],
  remediation = [[
Clean up in the same RUN that installs:
    RUN dnf install -y nginx && dnf clean all
    RUN yum install -y nginx && yum clean all && rm -rf /var/cache/yum
    RUN microdnf install -y nginx && microdnf clean all
    RUN zypper --non-interactive install nginx && zypper clean --all
or keep the cache out of the layer: RUN --mount=type=cache,target=/var/cache/dnf ...]],
  refs = {
    hadolint = { "DL3032", "DL3036", "DL3040" },
    trivy = { "DS015", "DS019", "DS020", "DS027" },
    kics = { "00481784", "295acb63", "38300d1a" },
  },
  check = function(image, document)
    if not model.shipped(image, document) then return end
    local done = {} -- "instruction manager": one finding per manager per RUN
    packages.each(image, function(p, c, run)
      local key = run.instruction .. " " .. p.manager
      if (p.family == "rpm" or p.family == "zypper") and CHANGES[p.subcommand or ""] and not done[key]
         and not cleaned(run, p.manager)
         and not shell.cache_mounted(image, run.instruction, table.unpack(CACHE_DIRS[p.manager])) then
        done[key] = true
        local fix = p.manager == "zypper" and "zypper clean --all" or p.manager .. " clean all"
        report(c, ("%s %s leaves its package cache in the layer; add `%s` to the same RUN"):format(p.manager, p.subcommand, fix))
      end
    end, function(p) return p.family == "rpm" or p.family == "zypper" end)
  end,
}
