-- DL4001: both wget and curl in one stage.
local TOOLS = { wget = true, curl = true }

return {
  id = "DL4001",
  title = "Both wget and curl are used",
  severity = "medium",
  applies_to = "image",
  description = [[
A stage downloads with both wget and curl. They do the same job; needing
both means two tools installed, two sets of options to know and two
programs that can be vulnerable.]],
  remediation = [[
Pick one download tool for the stage and rewrite the other commands with
it (curl -fsSLo file URL, or wget -qO file URL).]],
  refs = { hadolint = "DL4001" },
  check = function(image)
    local first = nil
    for _, cmd in ipairs(image.commands) do
      local prog = cmd.program
      if prog and TOOLS[prog] then
        if not first then first = prog
        elseif prog ~= first then
          report(cmd, "this stage already uses " .. first .. "; use one of wget and curl")
        end
      end
    end
  end,
}
