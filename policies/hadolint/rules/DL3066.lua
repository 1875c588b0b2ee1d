-- DL3066: USER given by name rather than numeric UID.

-- True when a USER value names its user by number, or takes it from a
-- build variable (then the builder decides).
local function numeric_or_variable(value)
  local user = value:match("^([^:]*)") or value
  return user:find("^%d+$") ~= nil or user:find("$", 1, true) ~= nil
end

return {
  id = "DL3066",
  title = "USER by name instead of numeric UID",
  severity = "low",
  applies_to = "image",
  description = [[
USER names the user instead of giving its numeric UID. A runtime can only
prove that a container does not run as root (Kubernetes runAsNonRoot)
when the image's user is a number, and the name may map to another UID in
another base image.]],
  remediation = [[
Give the numeric UID (and GID) the user has in the image:
    RUN useradd -u 10001 -m app
    USER 10001:10001]],
  refs = { hadolint = "DL3066" },
  check = function(image)
    for _, instr in ipairs(image.instructions) do
      if instr.keyword == "USER" then
        local raw = instr.args[1] or ""
        if not numeric_or_variable(raw) then
          report(instr, "USER " .. raw .. " is a name; use the numeric UID")
        end
      end
    end
  end,
}
