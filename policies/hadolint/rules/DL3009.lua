-- DL3009: apt-get update leaves its package lists in the layer.

-- True when one command of the RUN removes /var/lib/apt/lists (or its content).
local function removes_lists(run)
  for _, c in ipairs(run) do
    if c.program == "rm" then
      for i = 2, #c.words do
        local a = c.words[i]
        if a:sub(1, 18) == "/var/lib/apt/lists" then return true end
      end
    end
  end
  return false
end

return {
  id = "DL3009",
  title = "apt-get lists not removed after update",
  severity = "low",
  applies_to = "image",
  description = [[
A RUN step runs apt-get update but does not delete /var/lib/apt/lists
afterwards. The downloaded package indexes (tens of megabytes) are then
stored in the image layer for good, although nothing needs them at run
time; deleting them in a later RUN does not shrink the earlier layer.]],
  remediation = [[
Remove the lists at the end of the same RUN step:
    RUN apt-get update \
     && apt-get install -y --no-install-recommends curl \
     && rm -rf /var/lib/apt/lists/*
or keep them out of the layer with a BuildKit cache mount:
    RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && ...]],
  refs = { hadolint = "DL3009", kics = "df746b39" },
  check = function(image)
    -- Only layers that end up in the built image matter.
    if not image.ships then return end
    for _, run in ipairs(shell.runs(image)) do
      for _, c in ipairs(run) do
        if c.program == "apt-get" and c.package and c.package.subcommand == "update" then
          if not removes_lists(run) and not shell.cache_mounted(image, run.instruction, "/var/lib/apt/lists") then
            report(c, "apt-get update leaves /var/lib/apt/lists in the layer; rm -rf /var/lib/apt/lists/* in the same RUN")
          end
          break -- one finding per RUN
        end
      end
    end
  end,
}
