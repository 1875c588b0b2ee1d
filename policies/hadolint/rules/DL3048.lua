-- DL3048: a LABEL key that breaks Docker's key conventions.
local RESERVED = { "com.docker.", "io.docker.", "org.dockerproject." }

-- Why a label key is not well formed, or nil when it is.
local function problem(key)
  for _, ns in ipairs(RESERVED) do
    if key:sub(1, #ns) == ns then return "uses the reserved namespace " .. ns end
  end
  if key:find("[^a-z0-9.-]") then return "has characters other than lower-case letters, digits, '.' and '-'" end
  if not key:find("^[a-z]") or not key:find("[a-z0-9]$") then
    return "must start with a letter and end with a letter or digit"
  end
  if key:find("..", 1, true) or key:find("--", 1, true) then return "has '..' or '--'" end
  return nil
end

return {
  id = "DL3048",
  title = "Invalid LABEL key",
  severity = "info",
  applies_to = "image",
  description = [[
A LABEL key does not follow Docker's conventions for label keys: lower-case
letters, digits, dots and dashes, starting with a letter, no repeated
separators, and none of the namespaces Docker reserves for itself
(com.docker., io.docker., org.dockerproject.). Tools that read labels
may ignore or misread such a key.]],
  remediation = [[
Rename the key in reverse-DNS form, lower case:
    LABEL org.opencontainers.image.source="https://github.com/acme/app"]],
  refs = { hadolint = "DL3048" },
  check = function(image)
    for _, instr in ipairs(image.instructions) do
      if instr.keyword == "LABEL" then
        for k = 1, #instr.args, 3 do
          local key = instr.args[k]
          local why = problem(key)
          if why then report(instr, "label key '" .. key .. "' " .. why) end
        end
      end
    end
  end,
}
