-- EXPOSE names a port that cannot exist.

return {
  id = "expose-port-out-of-range",
  title = "EXPOSE port out of range",
  severity = "medium",
  applies_to = "image",
  description = [[
An EXPOSE instruction names a port outside 1-65535, or something that is
not a port at all. BuildKit only warns about it; the port is never
reachable, and the line is usually a typo for the port the service
really listens on.]],
  remediation = [[
Expose the port the application listens on, with its protocol when it
is not TCP:
    EXPOSE 8080
    EXPOSE 5353/udp]],
  refs = {
    hadolint = "DL3011",
    trivy = "DS008",
    kics = "71bf8cf8",
  },
  check = function(image)
    -- Only ports this stage's EXPOSE wrote (the list is inherited too).
    local own = model.own_expose(image)
    for i = 1, #own do
      local p = own[i]
      if p.error then
        report(p, ("EXPOSE %s is not a valid port: %s"):format(p.raw, p.error))
      elseif (p.port or 0) < 1 or (p.end_port or p.port or 0) > 65535 then
        report(p, ("EXPOSE %s is outside 1-65535"):format(p.raw))
      end
    end
  end,
}
