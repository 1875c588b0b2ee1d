-- DL3007: FROM uses the :latest tag.
local util = require "hadolint_a_util"

return {
  id = "DL3007",
  title = "Base image uses the latest tag",
  severity = "medium",
  applies_to = "image",
  description = [[
FROM names an image with the tag latest and no digest. That tag is moved to each new
release, so the base of your image changes under you: builds stop being
reproducible, a rebuild can break, and nobody can tell afterwards which
base an image was made from.]],
  remediation = [[
Replace latest with the version you tested with:
    FROM nginx:1.27-alpine
and, for reproducible builds, add its digest
(FROM nginx:1.27-alpine@sha256:<digest>).]],
  refs = { hadolint = "DL3007", cis = "5.28", trivy = "DS001", kics = "9efb0b2d", checkov = "CKV_DOCKER_7" },
  check = function(image)
    local ref = image.from
    if ref == nil or ref.stage or ref.scratch then return end
    local tag, digest = util.split_image(ref.raw)
    -- As in hadolint, a digest wins: the image is fixed whatever the tag.
    if tag == "latest" and digest == nil then
      report(ref, ("%s uses the moving tag latest; name a version"):format(ref.raw))
    end
  end,
}
