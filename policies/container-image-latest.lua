-- A container runs an image without a tag, or with the moving tag latest.

return {
  id = "container-image-latest",
  title = "Container image is untagged or uses latest",
  severity = "medium",
  applies_to = "container",
  description = [[
A service or container runs an image named without a tag, or with the
tag latest. Which image that is changes whenever the publisher pushes:
two hosts (or two restarts) can run different software, a pull can
bring in breaking changes or new vulnerabilities unannounced, and you
cannot tell afterwards which version ran.]],
  remediation = [[
Name the version you tested, ideally with its digest:
    services:
      cache:
        image: redis:7.4.1-alpine
        # or: redis:7.4.1-alpine@sha256:<digest>
and update it deliberately (Renovate and Dependabot can do it).]],
  refs = {
    cis = "5.28",
  },
  check = function(c)
    local ref = c.image
    -- With build:, image: only names the result of the build.
    if c.build ~= nil or ref == nil or ref.unresolved or ref.error or ref.digest then return end
    if ref.implicit_latest then
      report(ref, ("%s runs %s without a tag, which means whatever latest is today"):format(model.describe(c), model.ref_text(ref)))
    elseif ref.tag == "latest" then
      report(ref, ("%s runs %s, the moving tag latest"):format(model.describe(c), model.ref_text(ref)))
    end
  end,
}
