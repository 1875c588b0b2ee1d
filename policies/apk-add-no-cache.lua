-- apk add keeps its package index cache in the image.

-- True when a command of the RUN removes apk's cache, or cleans it.
local function cleans_cache(run)
  if shell.removes(run, "^/var/cache/apk") then return true end
  for i = 1, #run do
    local c = run[i]
    if c.name == "apk" and c.argv[2] == "cache" and c.argv[3] == "clean" then return true end
  end
  return false
end

return {
  id = "apk-add-no-cache",
  title = "apk add without --no-cache",
  severity = "low",
  applies_to = "image",
  description = [[
apk add runs without --no-cache in a stage that ships, so the package
index it downloads (and, after `apk update`, the cache in
/var/cache/apk) stays in the image layer: megabytes of data the
application never uses. `apk add --no-network` (packages from files at
hand, no index) is not reported; a RUN is reported once.]],
  remediation = [[
Use --no-cache, which fetches the index for this one command only and
makes `apk update` unnecessary:
    RUN apk add --no-cache curl ca-certificates
or use a cache mount: RUN --mount=type=cache,target=/var/cache/apk apk add curl]],
  refs = {
    hadolint = "DL3019",
    trivy = "DS025",
    kics = "ae9c56a6",
  },
  check = function(image, document)
    if not model.shipped(image, document) then return end
    packages.each(image, function(p, c, run)
      -- --no-network installs from files at hand: no index is fetched.
      if p.manager == "apk" and p.subcommand == "add"
         and not packages.option(p, "--no-cache", "--no-network")
         and not cleans_cache(run)
         and not shell.cache_mounted(image, run.instruction, "/var/cache/apk", "/etc/apk/cache") then
        report(c, "apk add keeps the package index in the image; add --no-cache")
        return true -- one finding per RUN
      end
    end, function(p) return p.manager == "apk" end)
  end,
}
