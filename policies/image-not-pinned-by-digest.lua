-- A base image (or a container's image) is named by tag, not by digest.

return {
  id = "image-not-pinned-by-digest",
  title = "Image not pinned by digest",
  severity = "info",
  profile = "strict",
  applies_to = { "image", "container" },
  description = [[
An image is named by tag only (FROM python:3.13-slim, `image: redis:7`).
Tags move: the publisher (or anyone who takes over the repository or the
registry account) can point them at different content at any time, so
the same Dockerfile can build on a different base tomorrow, and nothing
proves which image a build used. A digest (@sha256:...) names exactly
one image, forever. An image that uses latest (or no tag) is reported by
base-image-latest or container-image-latest instead.]],
  remediation = [[
Add the digest of the image you tested, and keep the tag for readers:
    FROM python:3.13-slim@sha256:<digest>
(`docker buildx imagetools inspect python:3.13-slim` prints it). Let a
bot such as Renovate or Dependabot update the pin, so you still get
fixes, through a reviewed change.]],
  refs = {
    cis = "4.12",
  },
  check = function(subject)
    -- A moving tag (latest, or none) is base-image-latest's or
    -- container-image-latest's finding, whose fix pins a version first.
    if model.is_image(subject) then
      local ref = subject.from
      if model.pullable(ref) and not ref.digest and not ref.implicit_latest and ref.tag ~= "latest" then
        report(ref, ("%s is not pinned by digest"):format(model.ref_text(ref)))
      end
      return
    end
    local ref = subject.image
    if subject.build == nil and model.pullable(ref) and not ref.digest and not ref.implicit_latest
       and ref.tag ~= "latest" then
      report(ref, ("%s uses %s, which is not pinned by digest"):format(model.describe(subject), model.ref_text(ref)))
    end
  end,
}
