-- The image, or a container, has no health check.

local function disabled(hc)
  return hc == nil or hc.disabled or (hc.test and hc.test[1] == "NONE")
end

return {
  id = "healthcheck-missing",
  title = "No health check",
  severity = "low",
  profile = "strict",
  applies_to = { "image", "container" },
  description = [[
The final stage of the image has no HEALTHCHECK (or HEALTHCHECK NONE), or
a container runs without a health check. Docker then only knows whether
the main process is alive, not whether it works: a server that hangs or
lost its database keeps receiving traffic, and orchestrators cannot
restart or replace it.]],
  remediation = [[
Add a cheap check of the service's own health endpoint:
    HEALTHCHECK --interval=30s --timeout=3s --retries=3 \
      CMD ["/app/healthcheck"]
(with curl: CMD curl -fsS http://127.0.0.1:8080/health || exit 1). In
Compose:
    healthcheck:
      test: ["CMD", "/app/healthcheck"]
      interval: 30s
Kubernetes ignores HEALTHCHECK: there, define liveness and readiness
probes instead (and suppress this finding).]],
  refs = {
    cis = { "4.6", "5.27" },
    hadolint = "DL3057",
    trivy = "DS026",
    kics = { "b03a748a", "698ed579" },
    checkov = "CKV_DOCKER_2",
  },
  check = function(subject)
    if model.is_image(subject) then
      if subject.final and disabled(subject.healthcheck) then
        if subject.healthcheck then
          report(subject.healthcheck, "HEALTHCHECK NONE turns the health check off")
        else
          -- A stage's finding is at the final stage itself: an inherited
          -- null is placed where the first stage of a FROM chain starts.
          if subject.origin == "dockerfile" then
            report(subject, "the final stage has no HEALTHCHECK")
          else
            report(subject, "healthcheck", "the image has no health check (Config.Healthcheck)")
          end
        end
      end
      return
    end
    local c = subject
    if c.healthcheck ~= nil and disabled(c.healthcheck) then
      report(c.healthcheck, ("%s has its health check turned off"):format(model.describe(c)))
    elseif c.healthcheck == nil then
      local image = c.build and c.build.image
      if not (image and not disabled(image.healthcheck)) then
        report(c, ("%s has no health check"):format(model.describe(c)))
      end
    end
  end,
}
