-- DL3062: go install / go get / go run of a remote module without a
-- fixed version (no @version, or a moving query such as @latest).
--
-- Go's flags are single-dash long flags (-tags, -tool), so the words are
-- read here from argv rather than from the generic package parse, which
-- splits single-dash words into short options.

-- Flags of the go build family that take the next word as their value
-- (when not written -flag=value).
local VALUED = {}
for f in ([[-o -C -p -tags -ldflags -gcflags -asmflags -modfile -mod
  -pkgdir -exec -overlay -toolexec -pgo -covermode -coverpkg
  -buildmode -compiler -gccgoflags -installsuffix -buildvcs]]):gmatch("%S+") do
  VALUED[f] = true
end

-- Version queries that move with new releases of the module.
local MOVING = { latest = true, upgrade = true, patch = true }

-- Words that are not remote modules: local directories and files
-- (./cmd/app, /src/x, main.go) and values taken from build variables.
local function local_or_variable(word)
  return word:find("^%.") ~= nil or word:find("^/") ~= nil
    or word:find("%.go$") ~= nil or word:find("$", 1, true) ~= nil
end

-- The module words of one go command: every argument of install and get
-- (after the `tool` meta-package word of install), only the first
-- argument of run (the rest are the program's own arguments).
local function module_words(argv)
  local sub = argv[2]
  local words = {}
  local i = 3
  while i <= #argv do
    local w = argv[i]
    if w == "--" then
      i = i + 1
      break
    elseif w:sub(1, 1) == "-" and w ~= "-" then
      local flag = w:gsub("^%-%-", "-")
      if VALUED[flag] then i = i + 1 end
      i = i + 1
    else
      break
    end
  end
  if sub == "install" and argv[i] == "tool" and argv[i + 1] then i = i + 1 end
  for j = i, #argv do
    local w = argv[j]
    if sub ~= "run" and w:sub(1, 1) == "-" then goto continue end
    words[#words + 1] = w
    if sub == "run" then break end
    ::continue::
  end
  return words
end

local SUBCOMMANDS = { install = true, get = true, run = true }

return {
  id = "DL3062",
  title = "go module fetched without a version",
  severity = "medium",
  applies_to = "image",
  description = [[
go install, go get or go run names a remote module without @version,
or with a moving query such as @latest. Go then resolves the newest
version at build time, so builds are not repeatable and a new release of
the module changes the image.]],
  remediation = [[
Add a fixed version to the module path:
    RUN go install golang.org/x/tools/cmd/goimports@v0.24.0]],
  refs = { hadolint = "DL3062" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      local argv = cmd.argv
      if cmd.program == "go" and argv and SUBCOMMANDS[argv[2] or ""] then
        local loose = {}
        for _, w in ipairs(module_words(argv)) do
          if not local_or_variable(w) then
            local version = w:match("@(.*)$")
            if not version or version == "" or MOVING[version] then
              loose[#loose + 1] = w
            end
          end
        end
        if #loose > 0 then
          report(cmd, "go fetches modules without a fixed version: " .. table.concat(loose, ", "))
        end
      end
    end
  end,
}
