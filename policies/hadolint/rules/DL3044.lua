-- DL3044: an ENV value refers to a variable the same ENV defines.

-- Calls f(name) for each $NAME / ${NAME...} in a value.
local function each_reference(value, f)
  for name in value:gmatch("%$([%a_][%w_]*)") do f(name) end
  for name in value:gmatch("%${([%a_][%w_]*)") do f(name) end
end

return {
  id = "DL3044",
  title = "ENV refers to a variable defined in the same ENV",
  severity = "high",
  applies_to = "image",
  description = [[
An ENV value uses a variable that the same ENV instruction sets. Docker
expands every value with the variables as they were BEFORE the
instruction, so the reference does not see the new value (it is empty or
an older one), which is rarely what the author meant.]],
  remediation = [[
Split it into two ENV instructions:
    ENV APP_HOME=/opt/app
    ENV PATH=$APP_HOME/bin:$PATH]],
  refs = { hadolint = "DL3044" },
  check = function(image)
    for _, instr in ipairs(image.instructions) do
      if instr.keyword == "ENV" and #instr.args > 3 then
        -- A reference to a name an earlier pair of this ENV sets (the
        -- pair's own name included: PATH=/a:$PATH PATH=/b:$PATH loses /a).
        local a, defined = instr.args, {}
        for k = 1, #a, 3 do
          local own, bad = a[k], nil
          each_reference(a[k + 1] or "", function(name)
            if defined[name] and not bad then bad = name end
          end)
          if bad then
            report(instr, own .. " refers to " .. bad .. ", which this same ENV sets; split the ENV")
          end
          defined[own] = true
        end
      end
    end
  end,
}
