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
    -- Once both tools have appeared, each later RUN that calls either one
    -- is reported (once per RUN), as hadolint does.
    local seen, count, reported = {}, 0, {}
    for _, cmd in ipairs(image.commands) do
      local prog = cmd.program
      if prog and TOOLS[prog] then
        if not seen[prog] then seen[prog] = true; count = count + 1 end
        if count == 2 and not reported[cmd.instruction] then
          reported[cmd.instruction] = true
          local other = prog == "wget" and "curl" or "wget"
          report(cmd, "this stage also uses " .. other .. "; use one of wget and curl")
        end
      end
    end
  end,
}
