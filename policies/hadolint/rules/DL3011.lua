-- DL3011: EXPOSE names a port outside 0-65535.
return {
  id = "DL3011",
  title = "EXPOSE port out of range",
  severity = "high",
  applies_to = "image",
  description = [[
An EXPOSE instruction names a port number above 65535. TCP and UDP ports
are 16-bit numbers, so such a port cannot exist: the line is a typo
(often a missing colon or a swapped digit) and the port the service
really listens on is not documented.]],
  remediation = [[
Expose the port the service listens on, between 0 and 65535:
    EXPOSE 8080
    EXPOSE 53/udp
    EXPOSE 7000-7010]],
  refs = { hadolint = "DL3011", trivy = "DS008", kics = "71bf8cf8" },
  check = function(image)
    for _, p in ipairs(model.own_expose(image)) do
      -- Judge the numbers as written: a variable (EXPOSE $PORT) is the build's.
      local first, last = p.raw:match("^(%d+)%-?(%d*)")
      if first then
        local hi = math.max(tonumber(first), tonumber(last ~= "" and last or first))
        if hi > 65535 then
          report(p, ("EXPOSE %s: %d is not a port (0-65535)"):format(p.raw, hi))
        end
      end
    end
  end,
}
