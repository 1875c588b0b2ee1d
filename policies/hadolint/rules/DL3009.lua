-- DL3009: apt-get update leaves its package lists in the layer.

-- True when one command of the RUN removes /var/lib/apt/lists (or its content).
local function removes_lists(run)
  for _, c in ipairs(run) do
    if c.program == "rm" then
      for i = 2, #c.words do
        if c.words[i]:sub(1, 18) == "/var/lib/apt/lists" then return true end
      end
    end
  end
  return false
end

-- True when the RUN (an ONBUILD trigger too: shell.run_instruction) has a
-- cache mount whose target lies in dir.
local function cache_in(instr, dir)
  for _, m in ipairs(instr.mounts or {}) do
    if m.type == "cache" and m.target and m.target:sub(1, #dir) == dir then return true end
  end
  return false
end

-- The apt-get update commands of a stage that leave the lists behind, one
-- per RUN; with onbuild_only, only in ONBUILD RUN triggers (they run in
-- whatever image is built FROM this one, whether this file reuses the
-- stage or not).
local function check_stage(image, onbuild_only)
  for _, run in ipairs(shell.runs(image)) do
    if onbuild_only and (run[1] == nil or run[1].source ~= "onbuild") then goto next_run end
    for _, c in ipairs(run) do
      if c.program == "apt-get" and c.package and c.package.subcommand == "update" then
        local instr = shell.run_instruction(image, run.instruction)
        local cached = cache_in(instr, "/var/lib/apt/lists")
          or (cache_in(instr, "/var/lib/apt") and cache_in(instr, "/var/cache/apt"))
        if not removes_lists(run) and not cached then
          report(c, "apt-get update leaves /var/lib/apt/lists in the layer; rm -rf /var/lib/apt/lists/* in the same RUN")
        end
        break -- one finding per RUN
      end
    end
    ::next_run::
  end
end

return {
  id = "DL3009",
  title = "apt-get lists not removed after update",
  severity = "low",
  applies_to = "document",
  description = [[
A RUN step runs apt-get update but does not delete /var/lib/apt/lists
afterwards. The downloaded package indexes (tens of megabytes) are then
stored in the image layer for good, although nothing needs them at run
time; deleting them in a later RUN does not shrink the earlier layer.
Like hadolint, the rule looks at the last stage, at stages that
another stage is built FROM, and at ONBUILD RUN triggers of any stage.]],
  remediation = [[
Remove the lists at the end of the same RUN step:
    RUN apt-get update \
     && apt-get install -y --no-install-recommends curl \
     && rm -rf /var/lib/apt/lists/*
or keep them out of the layer with a BuildKit cache mount:
    RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && ...]],
  refs = { hadolint = "DL3009", kics = "df746b39" },
  check = function(document)
    local images = document.images
    if document.kind ~= "dockerfile" then return end
    -- The stages another stage is built FROM, by index.
    local based_on = {}
    for _, image in ipairs(images) do
      if image.parent ~= nil then based_on[image.parent] = true end
    end
    for i, image in ipairs(images) do
      check_stage(image, not (i == #images or based_on[image.index]))
    end
  end,
}
