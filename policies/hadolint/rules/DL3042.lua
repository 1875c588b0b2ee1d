-- DL3042: pip install without --no-cache-dir.
local FALSY = { ["0"] = true, ["false"] = true, off = true, no = true, [""] = true }

-- True when a PIP_NO_CACHE_DIR value turns the cache off (pip reads
-- 0/false/off/no as "keep the cache").
local function disables(v)
  return v ~= nil and not FALSY[v:lower()]
end

return {
  id = "DL3042",
  title = "pip install without --no-cache-dir",
  severity = "medium",
  applies_to = "image",
  description = [[
pip install runs without --no-cache-dir. pip keeps every wheel it
downloads in ~/.cache/pip, which then stays in the layer and makes the
image larger without any use at run time.]],
  remediation = [[
Add --no-cache-dir, or set the variable once for the stage:
    RUN pip install --no-cache-dir -r requirements.txt
    ENV PIP_NO_CACHE_DIR=1
(or use RUN --mount=type=cache,target=/root/.cache/pip).]],
  refs = { hadolint = "DL3042", trivy = "DS028" },
  check = function(image)
    if disables(image.env.PIP_NO_CACHE_DIR) then return end
    local exported = {}
    for _, cmd in ipairs(image.commands) do
      if cmd.name == "export" then
        for i = 2, #cmd.argv do
          local v = cmd.argv[i]:match("^PIP_NO_CACHE_DIR=(.*)$")
          if v and disables(v) then exported[cmd.instruction] = true end
        end
      end
      local p = cmd.package
      if p and p.manager == "pip" and p.subcommand == "install"
          and not packages.option(p, "--no-cache-dir")
          and not disables(cmd.env.PIP_NO_CACHE_DIR)
          and not exported[cmd.instruction]
          and not shell.cache_mounted(image, cmd.instruction, "/root/.cache/pip") then
        report(cmd, "pip install without --no-cache-dir keeps pip's download cache in the layer")
      end
    end
  end,
}
