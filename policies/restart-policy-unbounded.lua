-- A container restarts forever, or more than 5 times, when it fails.

return {
  id = "restart-policy-unbounded",
  title = "Restart policy without a bound",
  severity = "low",
  profile = "strict",
  applies_to = "container",
  description = [[
The container restarts without a limit (`restart: always`,
`unless-stopped`, or `on-failure` with no or more than 5 retries). A
service that crashes on start, for example because of a bad
configuration or an attack that makes it fail, then restarts in a loop,
using resources and hiding the failure (and an exploit gets unlimited
attempts).]],
  remediation = [[
Restart on failure a bounded number of times:
    services:
      app:
        restart: on-failure:5
(docker run --restart on-failure:5). Under an orchestrator (Swarm,
Kubernetes) use its restart policy with back-off instead.]],
  refs = {
    cis = "5.15",
    kics = "2fc99041",
  },
  check = function(c)
    local r = c.restart
    if r == nil then return end
    if r.policy == "always" or r.policy == "unless-stopped" then
      report(r, ("%s restarts %s, without a bound"):format(model.describe(c), r.policy == "always" and "always" or "unless stopped"))
    elseif r.policy == "on-failure" and (r.max_retries == nil or r.max_retries == 0) then
      report(r, ("%s restarts on failure without a maximum"):format(model.describe(c)))
    elseif r.policy == "on-failure" and r.max_retries > 5 then
      report(r, ("%s restarts up to %d times, more than 5"):format(model.describe(c), r.max_retries))
    end
  end,
}
