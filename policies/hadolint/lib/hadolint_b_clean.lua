-- hadolint_b_clean: "an install without a cache clean in the same RUN",
-- shared by DL3032 (yum), DL3036 (zypper), DL3040 (dnf) and DL3060 (yarn).

local clean = {}

-- Reports each RUN of the image that has a command for which
-- spec.installs(cmd) is true but no command for which spec.cleans(cmd) is
-- true, no rm of a path matching one of spec.removed (Lua patterns) and no
-- cache mount over one of spec.cache (paths). The finding points at the
-- first installing command of the RUN. With onbuild_only, only ONBUILD
-- RUN triggers are judged. Linear in the number of commands.
function clean.check(image, spec, message, onbuild_only)
  local runs = shell.runs(image)
  for _, run in ipairs(runs) do
    if onbuild_only and (run[1] == nil or run[1].source ~= "onbuild") then goto next_run end
    local first, cleaned = nil, false
    for _, cmd in ipairs(run) do
      if spec.programs[cmd.program or ""] then
        if spec.cleans(cmd) then cleaned = true
        elseif not first and spec.installs(cmd) then first = cmd end
      end
    end
    if first and not cleaned
        and not (spec.removed and shell.removes(run, table.unpack(spec.removed)))
        and not (spec.cache and shell.cache_mounted(image, run.instruction, table.unpack(spec.cache))) then
      report(first, message)
    end
    ::next_run::
  end
end

return clean
