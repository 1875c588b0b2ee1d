-- hadolint_a_pins: whether the packages of an install command are pinned
-- to a version, the way hadolint judges each manager. The versions come
-- from the model (command.package.packages[i].version, parsed once in C
-- per manager: apt/apk `=`, apk `~`, pip specifiers, npm `@`, gem `:` and
-- -v, go `@`); this module only adds the words that hadolint judges by
-- their shape: files, paths, URLs and VCS references.

local pins = {}

local function ends_with(s, suffix)
  return #s >= #suffix and s:sub(-#suffix) == suffix
end

local function is_path(raw)
  local c = raw:sub(1, 1)
  return c == "." or c == "/" or c == "~"
end

-- Per family, a verdict on a package word by its shape: true (pinned),
-- false (not pinned, whatever the version parse says) or nil (the
-- model's version decides).
local SHAPE = {
  -- a .deb file; anything with a / (a path, or pkg/release)
  apt = function(raw)
    if ends_with(raw, ".deb") or raw:find("/", 1, true) then return true end
  end,
  -- `=` and `~` pin; a bare range (`<2`, `>1`) does not
  apk = function(raw)
    if ends_with(raw, ".apk") or is_path(raw) then return true end
    if raw:find("[<>]") and not raw:find("=", 1, true) then return false end
  end,
  -- a VCS URL needs an @ref; a wheel, an sdist, a path or a URL is fixed
  pip = function(raw)
    local r = raw:lower()
    if r:match("^git") or r:match("^hg%+") or r:match("^svn") or r:match("^bzr%+") then
      return raw:find("@", 1, true) ~= nil
    end
    if is_path(raw) or raw:find("/", 1, true) or ends_with(r, ".whl") or ends_with(r, ".tar.gz") then
      return true
    end
  end,
  -- a git URL needs a #ref; a tarball or a folder is fixed
  npm = function(raw)
    local r = raw:lower()
    if r:match("^git://") or r:match("^git%+ssh://") or r:match("^git%+https?://") then
      return raw:find("#", 1, true) ~= nil
    end
    if ends_with(r, ".tar") or ends_with(r, ".tgz") or ends_with(r, ".tar.gz")
       or raw:sub(1, 1) == "/" or raw:sub(1, 2) == "./" or raw:sub(1, 3) == "../" or raw:sub(1, 2) == "~/" then
      return true
    end
  end,
  gem = function(raw)
    if ends_with(raw:lower(), ".gem") or is_path(raw) then return true end
  end,
}

-- The raw words of the packages p (a command.package) installs without a
-- pinned version, as a new list (empty when all are pinned or p installs
-- nothing). A package written only as a variable ($PKGS) is left out:
-- what it holds is decided at build time.
function pins.unpinned(p)
  local out = {}
  if not p.packages then return out end
  local shape = SHAPE[p.family]
  for _, pkg in ipairs(p.packages) do
    local raw = pkg.raw
    if raw:sub(1, 1) ~= "$" then
      local pinned = shape and shape(raw)
      if pinned == nil then pinned = pkg.version ~= nil end
      if not pinned then out[#out + 1] = raw end
    end
  end
  return out
end

return pins
