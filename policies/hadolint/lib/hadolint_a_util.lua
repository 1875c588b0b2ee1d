-- hadolint_a_util: small helpers shared by the hadolint pack's rules
-- DL1001 and DL3000-DL3030 (the pinning helpers live in hadolint_a_pins).

local util = {}

-- The archive suffixes hadolint treats as archives: tar (optionally
-- compressed), the bare compressed ones and zip. Compared in lower case.
local ARCHIVE = {
  ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tb2", ".tar.xz", ".txz", ".tpz",
  ".tar.zst", ".tzst", ".tar.lz", ".tar.lzma", ".tlz", ".gz", ".bz2", ".xz", ".zst", ".lz", ".lzma",
  ".z", ".tz", ".zip",
}

-- True when a path names an archive by its suffix (case ignored).
function util.is_archive(path)
  local p = (path or ""):lower()
  for _, s in ipairs(ARCHIVE) do
    if #p > #s and p:sub(-#s) == s then return true end
  end
  return false
end

-- True when a USER value makes the process root: root or uid 0, with or
-- without a group ("root:staff", "0:0").
function util.is_root_user(user)
  if user == nil then return false end
  local name = user:match("^([^:]*)") or user
  return name == "root" or name == "0"
end

-- The tag and digest of an image name as written (no variable expansion,
-- as hadolint reads FROM): tag is the text after the last ':' of the last
-- path part, digest the text after '@'. Both nil when absent.
function util.split_image(raw)
  local name, digest = raw, nil
  local at = raw:find("@", 1, true)
  if at then name, digest = raw:sub(1, at - 1), raw:sub(at + 1) end
  local last = name:match("([^/]*)$") or name
  local tag = last:match(":(.*)$")
  return tag, digest
end

-- The instructions of a stage with one of the keywords, in order: a new list.
function util.instructions(image, keyword)
  local out = {}
  for _, instr in ipairs(image.instructions) do
    if instr.keyword == keyword then out[#out + 1] = instr end
  end
  return out
end

return util
