-- A file is given the setuid or setgid bit during the build.

-- True when a chmod mode adds setuid or setgid: u+s, g+s, +s, 4755, 2755...
-- The commands that set a file's mode.
local SETS_MODES = { chmod = true, install = true }

local function adds_setid(mode)
  if mode:match("^0?[2467]%d%d%d$") then return true end
  for clause in mode:gmatch("[^,]+") do
    local who, op, perms = clause:match("^([ugoa]*)([+=])([rwxXst]*)$")
    if op and perms:find("s", 1, true) and (who == "" or who:find("[uga]")) then return true end
  end
  return false
end

return {
  id = "setuid-bit-set",
  title = "setuid or setgid bit added to a file",
  severity = "medium",
  applies_to = "image",
  description = [[
A RUN step (chmod u+s, g+s, 4755, 2755, install -m 4755) or a
COPY --chmod gives a file the setuid or setgid bit. Such a program runs
with its owner's rights (usually root) whoever starts it, so any flaw in
it is a way for an unprivileged process in the container to become root.
Images should have as few of them as possible.]],
  remediation = [[
Do not add setuid/setgid bits; give the program the one capability it
needs at run time instead (e.g. `--cap-add NET_BIND_SERVICE`), or run it
as the right user. To remove the ones the base image ships, add near the
end of the final stage:
    RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} + || true]],
  refs = {
    cis = "4.8",
  },
  check = function(image)
    local commands = image.commands
    local j = model_find(commands, "name", SETS_MODES)
    while j do
      local cmd = commands[j]
      j = model_find(commands, "name", SETS_MODES, j + 1)
      local name = cmd.name
      local argv = (name == "chmod" or name == "install") and cmd.argv
      if name == "chmod" then
        for i = 2, #argv do
          local a = argv[i]
          -- the first word that is not an option (-R, -v, --reference=...) is the mode
          if not a:match("^%-%-") and not a:match("^%-[RvcfH]+$") then
            if adds_setid(a) then
              report(cmd, ("chmod %s sets the setuid/setgid bit"):format(a))
            end
            break
          end
        end
      elseif name == "install" then
        for i = 2, #argv do
          local mode = argv[i] == "-m" and argv[i + 1] or argv[i]:match("^%-%-mode=(.*)$")
          if mode and adds_setid(mode) then
            report(cmd, ("install sets mode %s, with the setuid/setgid bit"):format(mode))
          end
        end
      end
    end
    local copies = image.copies
    for j = 1, #copies do
      local copy = copies[j]
      if copy.chmod and adds_setid(copy.chmod) then
        report(copy, "chmod", ("--chmod=%s sets the setuid/setgid bit"):format(copy.chmod))
      end
    end
  end,
}
