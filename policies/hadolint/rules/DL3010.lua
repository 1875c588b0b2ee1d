-- DL3010: an archive is COPY'd in and then unpacked by RUN; ADD does both.
local util = require "hadolint_a_util"

-- True when tar's words ask it to extract (-x, --extract, --get, or the
-- old style first word "xzf").
local function extracts(words)
  for i = 2, #words do
    local w = words[i]
    if w == "--extract" or w == "--get" then return true end
    if w:match("^%-[^-]") and w:find("x", 2, true) then return true end
    if i == 2 and not w:find("^%-") and w:match("^[a-zA-Z]+$") and w:find("x", 1, true) then return true end
  end
  return false
end

-- The last part of a path, split at / or \\ (Windows paths).
local function base(path)
  return path:match("([^/\\]*)$")
end

-- The sources and destination of a COPY as written (quotes removed): the
-- model's have backslashes taken as escapes, which garbles Windows paths.
local function written(instr, copy)
  local args = instr.args
  if instr.json or args == nil or #args ~= #copy.sources + 1 then return copy.sources, copy.dest end
  local out = {}
  for i, a in ipairs(args) do out[i] = a:match('^"(.*)"$') or a:match("^'(.*)'$") or a end
  local dest = table.remove(out)
  return out, dest
end

return {
  id = "DL3010",
  title = "Archive copied and then extracted in RUN",
  severity = "low",
  applies_to = "image",
  description = [[
A local tar archive is added with COPY and then unpacked with tar in a
RUN step. The archive stays in the COPY layer, so the image carries it
twice (packed and unpacked), and the Dockerfile takes two steps for what
ADD does in one: ADD unpacks a local tar archive (plain, gzip, bzip2 or
xz) into the destination folder by itself.]],
  remediation = [[
Let ADD unpack the archive:
    ADD app.tar.gz /opt/app/
instead of
    COPY app.tar.gz /tmp/
    RUN tar -xzf /tmp/app.tar.gz -C /opt/app
(ADD only unpacks local files; a URL is downloaded as is).]],
  refs = { hadolint = "DL3010" },
  check = function(image)
    -- The archives COPY brought in, by file name and by path in the image.
    local copied = {}
    for _, c in ipairs(image.copies) do
      if not c.add and c.from == nil then
        local sources, dest = written(image.instructions[c.instruction + 1], c)
        for _, src in ipairs(sources) do
          if util.is_archive(src) then
            local name = base(src)
            copied[name] = true
            if dest:find("[/\\]$") then
              copied[dest .. name] = true
            else
              -- A file destination renames the archive.
              copied[dest] = true
              copied[base(dest)] = true
            end
          end
        end
      end
    end
    if next(copied) == nil then return end
    for _, cmd in ipairs(image.commands) do
      if cmd.program == "tar" and extracts(cmd.words) then
        for i = 2, #cmd.words do
          local a = cmd.words[i]
          -- -xf/file.tar.gz clusters carry the file after "f" in a few styles; look at plain words.
          if copied[a] or (util.is_archive(a) and copied[base(a)]) then
            report(cmd, ("%s was copied in and is unpacked here; ADD %s unpacks it in one step")
              :format(a, base(a)))
            break
          end
        end
      end
    end
  end,
}
