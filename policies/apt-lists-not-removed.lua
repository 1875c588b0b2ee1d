-- apt's package lists are left in the image.

-- True when a command of the RUN removes the lists (rm ... /var/lib/apt/lists/*).
local function removes_lists(run)
  if shell.removes(run, "^/var/lib/apt/lists", "^/var/lib/apt/?%*?$") then return true end
  for i = 1, #run do
    local c = run[i]
    local p = c.package
    if p and p.family == "apt" and (p.subcommand == "dist-clean" or p.subcommand == "distclean") then return true end
  end
  return false
end

return {
  id = "apt-lists-not-removed",
  title = "apt package lists left in the image",
  severity = "low",
  applies_to = "image",
  description = [[
A RUN step in a stage that ships runs apt-get update but does not
delete /var/lib/apt/lists in the same step. The package index
(tens of megabytes) then stays in that layer for good: a later RUN that
deletes it only hides it. It also records a stale view of the
repositories that a later apt-get install in a derived image may use.
A RUN that installs without updating downloads no lists and is not
reported.]],
  remediation = [[
Update, install and clean up in one RUN:
    RUN apt-get update \
     && apt-get install -y --no-install-recommends curl \
     && rm -rf /var/lib/apt/lists/*
or keep the lists out of the layer with a cache mount:
    RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
        apt-get update && apt-get install -y --no-install-recommends curl]],
  refs = {
    hadolint = "DL3009",
    kics = "df746b39",
  },
  check = function(image, document)
    if not model.shipped(image, document) then return end
    packages.each(image, function(p, c, run)
      if p.family == "apt" and p.subcommand == "update" then
        if not removes_lists(run) and not shell.cache_mounted(image, run.instruction, "/var/lib/apt/lists") then
          report(c, ("%s %s leaves /var/lib/apt/lists in the layer; remove it in the same RUN"):format(p.manager, p.subcommand))
        end
        return true -- one finding per RUN
      end
    end, function(p) return p.family == "apt" end)
  end,
}
