-- pip install keeps its download cache in the image.

-- PIP_NO_CACHE_DIR turns the cache off with any value (pip has read
-- both "1" and, in old releases, "off" as "no cache").
local function truthy_env(v)
  return v ~= nil and v ~= ""
end

-- True when a command of the RUN purges pip's cache.
local function purges_cache(run)
  if shell.removes(run, "%.cache/pip", "%.cache/?$") then return true end
  for j = 1, #run do
    local c = run[j]
    local p = c.package
    if p and p.manager == "pip" and p.subcommand == "cache" and (p.args[1] == "purge" or p.args[1] == "remove") then
      return true
    end
  end
  return false
end

-- True when the RUN exports PIP_NO_CACHE_DIR with a value.
local function exports_no_cache(run)
  for j = 1, #run do
    local e = run[j]
    if e.name == "export" and e.argv[1] == "export" then
      for i = 2, #e.argv do
        local v = e.argv[i]:match("^PIP_NO_CACHE_DIR=(.*)$")
        if v and truthy_env(v) then return true end
      end
    end
  end
  return false
end

return {
  id = "pip-no-cache-dir",
  title = "pip install without --no-cache-dir",
  severity = "low",
  applies_to = "image",
  description = [[
pip install runs without --no-cache-dir in a stage that ships, so every
package it downloads is also kept in pip's cache (~/.cache/pip, for root
/root/.cache/pip) in the image layer: often as much again as the
installed packages themselves, for nothing. A RUN is reported once, at its first such install.]],
  remediation = [[
Add --no-cache-dir, or set it once for the stage:
    ENV PIP_NO_CACHE_DIR=1
    RUN pip install --no-cache-dir -r requirements.txt
or keep the cache out of the layer with a cache mount:
    RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt]],
  refs = {
    hadolint = "DL3042",
    kics = "f2f903fb",
  },
  check = function(image, document)
    if not model.shipped(image, document) then return end
    if truthy_env(image.env.PIP_NO_CACHE_DIR) then return end
    packages.each(image, function(p, c, run)
      if p.manager == "pip" and p.subcommand == "install" and not packages.option(p, "--no-cache-dir")
         and not truthy_env(c.env.PIP_NO_CACHE_DIR) and not purges_cache(run)
         and not shell.cache_mounted(image, run.instruction, "/root/.cache/pip", "/root/.cache")
         and not shell.cache_mounted(image, run.instruction, "/home/" .. (image.user or "root") .. "/.cache/pip")
         and not exports_no_cache(run) then
        report(c, "pip install keeps its download cache in the image; add --no-cache-dir")
        return true -- one finding per RUN
      end
    end, function(p) return p.manager == "pip" end)
  end,
}
