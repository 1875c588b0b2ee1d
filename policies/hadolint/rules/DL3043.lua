-- DL3043: ONBUILD triggering ONBUILD, FROM or MAINTAINER.
local FORBIDDEN = { ONBUILD = true, FROM = true, MAINTAINER = true }

return {
  id = "DL3043",
  title = "ONBUILD with a forbidden trigger",
  severity = "high",
  applies_to = "image",
  description = [[
An ONBUILD instruction wraps ONBUILD, FROM or MAINTAINER. Docker refuses
these as triggers: the image that builds FROM this one fails to build.]],
  remediation = [[
Remove the ONBUILD line, or make its trigger an instruction Docker allows
(RUN, COPY, ENV, ...). Chained ONBUILDs cannot be expressed: put the
steps in the child image's own Dockerfile.]],
  refs = { hadolint = "DL3043" },
  check = function(image)
    for _, instr in ipairs(image.instructions) do
      if instr.keyword == "ONBUILD" then
        local t = instr.trigger
        if t and FORBIDDEN[t.keyword] then
          report(instr, "ONBUILD cannot trigger " .. t.keyword)
        end
      end
    end
  end,
}
