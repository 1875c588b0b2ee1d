-- DL3046: useradd with a long UID and without -l.

-- The UID useradd is given (-u N, -uN, --uid N, --uid=N), or nil; and
-- whether -l / --no-log-init is present (also in a bundle like -lu).
local function uid_and_log(words)
  local uid, nolog = nil, false
  local i = 2
  while words[i] do
    local w = words[i]
    if w == "-l" or w == "--no-log-init" then nolog = true
    elseif w == "--uid" or w == "-u" then uid = words[i + 1]; i = i + 1
    elseif w:find("^%-%-uid=") then uid = w:sub(7)
    elseif w:find("^%-[^-]") then
      local short = w:sub(2)
      if short:find("l", 1, true) and not short:find("u", 1, true) then nolog = true end
      local u = short:find("u", 1, true)
      if u then
        if short:sub(1, u - 1):find("l", 1, true) then nolog = true end
        uid = short:sub(u + 1)
        if uid == "" then uid = words[i + 1]; i = i + 1 end
      end
    end
    i = i + 1
  end
  return uid, nolog
end

return {
  id = "DL3046",
  title = "useradd with a high UID without -l",
  severity = "medium",
  applies_to = "image",
  description = [[
useradd creates a user with a large UID without -l (--no-log-init).
useradd then writes the user's entry into /var/log/lastlog and faillog at
an offset of the UID: a sparse file that tar turns into gigabytes in the
layer, so the build can run out of disk.]],
  remediation = [[
Add -l (or --no-log-init):
    RUN useradd -l -u 100000 -m app]],
  refs = { hadolint = "DL3046" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      if cmd.program == "useradd" then
        local uid, nolog = uid_and_log(cmd.words)
        if uid and #uid > 5 and not nolog then
          report(cmd, "useradd -u " .. uid .. " without -l writes a huge sparse lastlog into the layer")
        end
      end
    end
  end,
}
