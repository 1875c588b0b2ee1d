-- hadolint_a_pins: whether the packages of an install command are pinned
-- to a version, the way hadolint judges each manager. The versions come
-- from the model (command.package.packages[i].version, parsed once in C
-- per manager: apt/apk `=`, apk `~`, pip specifiers and direct references,
-- npm `@`, gem `:` and -v, go `@`); this module only adds what counts as
-- pinned without a version: files, paths and URLs.

local pins = {}

local function ends_with(s, suffix)
  return #s >= #suffix and s:sub(-#suffix) == suffix
end

local function is_path(raw)
  local c = raw:sub(1, 1)
  return c == "." or c == "/" or c == "~"
end

-- Per family: true when a package named without a version still names a
-- fixed thing (a local file, a URL with a fixed ref, a release suffix).
local FIXED = {
  -- a .deb file or path; `pkg/release` picks a release (hadolint accepts it)
  apt = function(raw) return ends_with(raw, ".deb") or raw:find("/", 1, true) ~= nil end,
  apk = function(raw) return ends_with(raw, ".apk") or is_path(raw) end,
  -- a local project, a wheel or sdist file, a URL or VCS reference
  pip = function(raw)
    local r = raw:lower()
    return is_path(raw) or raw:find("@", 1, true) ~= nil or r:find("://", 1, true) ~= nil
      or ends_with(r, ".whl") or ends_with(r, ".tar.gz") or ends_with(r, ".zip")
  end,
  -- a local folder or tarball, a tarball URL, a git URL with a #ref
  npm = function(raw)
    local r = raw:lower()
    if is_path(raw) or ends_with(r, ".tgz") or ends_with(r, ".tar.gz") then return true end
    local git = r:match("^git[+:]") or r:match("^github:") or r:match("^gitlab:")
      or r:match("^bitbucket:") or r:match("%.git$") or r:match("%.git#")
    if git then return raw:find("#", 1, true) ~= nil end
    if r:match("^https?://") then return true end
    -- user/repo shorthand for GitHub needs a #ref too
    if raw:find("/", 1, true) and raw:sub(1, 1) ~= "@" then return raw:find("#", 1, true) ~= nil end
    return false
  end,
  gem = function(raw) return ends_with(raw:lower(), ".gem") or is_path(raw) end,
}

-- The raw words of the packages p (a command.package) installs without a
-- pinned version, as a new list (empty when all are pinned or p installs
-- nothing). A package written only as a variable ($PKGS) is left out:
-- what it holds is decided at build time.
function pins.unpinned(p)
  local out = {}
  if not p.packages then return out end
  local fixed = FIXED[p.family]
  for _, pkg in ipairs(p.packages) do
    local raw = pkg.raw
    if pkg.version == nil and raw:sub(1, 1) ~= "$" and not (fixed and fixed(raw)) then
      out[#out + 1] = raw
    end
  end
  return out
end

return pins
