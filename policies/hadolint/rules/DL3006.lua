-- DL3006: FROM names an image without a tag.
local util = require "hadolint_a_util"

return {
  id = "DL3006",
  title = "Base image has no tag",
  severity = "medium",
  applies_to = "image",
  description = [[
FROM names an image without a tag or digest, which Docker reads as
:latest. That tag moves whenever the publisher pushes a new image, so two
builds of the same Dockerfile can start from different bases, and a
rebuild can break or pull in new vulnerabilities with no change on your
side.]],
  remediation = [[
Name the version you tested with:
    FROM python:3.12-slim-bookworm
For fully reproducible builds also pin the digest
(FROM python:3.12-slim-bookworm@sha256:<digest>) and update it on
purpose, for example with Renovate or Dependabot.]],
  refs = { hadolint = "DL3006", cis = "5.28", trivy = "DS001", kics = "f45ea400", checkov = "CKV_DOCKER_7" },
  check = function(image)
    local ref = image.from
    if ref == nil or ref.stage or ref.scratch then return end
    local raw = ref.raw
    -- An image from a variable is decided by the build (hadolint skips it).
    if raw:sub(1, 1) == "$" or raw:lower() == "scratch" then return end
    local tag, digest = util.split_image(raw)
    if tag == nil and digest == nil then
      report(ref, ("%s has no tag; it means whatever :latest is on the day of the build"):format(raw))
    end
  end,
}
