-- DL3059: consecutive RUN instructions that could be one.

-- A key for the flags of a RUN (mounts, network, security): two RUNs can
-- be merged only when it is equal.
local function flags_key(instr)
  local parts = {}
  for _, m in ipairs(instr.mounts) do
    parts[#parts + 1] = (m.type or "") .. ":" .. (m.target or "") .. ":" .. (m.source or "") .. ":" .. (m.id or "")
  end
  return table.concat(parts, ",") .. "|" .. (instr.network or "") .. "|" .. (instr.security or "")
end

local function has_heredoc(instr)
  return instr.heredocs ~= nil and #instr.heredocs > 0
end

return {
  id = "DL3059",
  title = "Consecutive RUN instructions",
  severity = "low",
  applies_to = "image",
  description = [[
Two RUN instructions follow each other with the same flags, and each runs
a single command (RUNs that already chain commands are left alone). Every RUN adds a layer; merging short steps
gives fewer layers and a smaller, faster image.]],
  remediation = [[
Join the steps with && in one RUN:
    RUN apt-get update && apt-get install -y --no-install-recommends curl]],
  refs = { hadolint = "DL3059" },
  check = function(image)
    -- Number of top-level pipelines per RUN (commands chained with &&,
    -- || or ;; a pipeline a | b counts once), by instruction index (from 0).
    local count, seen = {}, {}
    for _, cmd in ipairs(image.commands) do
      local key = cmd.instruction .. ":" .. tostring(cmd.pipeline)
      if cmd.depth == 0 and not seen[key] then
        seen[key] = true
        count[cmd.instruction] = (count[cmd.instruction] or 0) + 1
      end
    end
    local prev, prev_i = nil, nil
    for i, instr in ipairs(image.instructions) do
      if instr.keyword == "RUN" then
        if prev and not has_heredoc(instr) and not has_heredoc(prev)
            and (count[prev_i - 1] or 0) <= 1 and (count[i - 1] or 0) <= 1
            and flags_key(prev) == flags_key(instr) then
          report(instr, "this RUN could be merged with the RUN before it")
        end
        prev, prev_i = instr, i
      else
        prev = nil
      end
    end
  end,
}
