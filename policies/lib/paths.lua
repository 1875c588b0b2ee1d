-- paths: file system paths as a Dockerfile, a command line or a Compose
-- file writes them (always with "/").

local paths = {}

-- The last part of a path: "/usr/bin/apt-get" -> "apt-get", "pip" ->
-- "pip", "/data/" -> ""; nil -> "".
paths.base = text.base

-- The path without its trailing slashes: "/data//" -> "/data", "/" -> "".
function paths.trim(path)
  return (path:gsub("/+$", ""))
end

-- True when path is dir or lies below it: within("/var/cache/apk/x",
-- "/var/cache/") is true, within("/var/cachex", "/var/cache") is not.
function paths.within(path, dir)
  dir = paths.trim(dir)
  return path == dir or path:sub(1, #dir + 1) == dir .. "/"
end

return paths
