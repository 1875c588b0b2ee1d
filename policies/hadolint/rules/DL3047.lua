-- DL3047: wget without --progress (noisy build logs).
local QUIET = {
  ["-q"] = true, ["--quiet"] = true, ["-nv"] = true, ["--no-verbose"] = true, ["-o"] = true,
  ["--output-file"] = true, ["-a"] = true, ["--append-output"] = true,
}

local function quiet(words)
  for i = 2, #words do
    local w = words[i]
    if QUIET[w] or w:find("^%-%-progress") or w:find("^%-%-output%-file=") or w:find("^%-%-append%-output=")
        or (w:match("^%-(%a+)") or ""):find("q", 1, true) then
      return true
    end
  end
  return false
end

return {
  id = "DL3047",
  title = "wget without --progress",
  severity = "low",
  applies_to = "image",
  description = [[
wget runs without --progress or a quiet option. Its default progress bar
prints a line per update into the build log, which bloats the log and can
hide the output that matters.]],
  remediation = [[
Add --progress=dot:giga (or -q / -nv):
    RUN wget --progress=dot:giga https://example.com/app.tar.gz]],
  refs = { hadolint = "DL3047" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      if cmd.program == "wget" and not quiet(cmd.words) then
        report(cmd, "wget without --progress fills the build log with its progress bar")
      end
    end
  end,
}
