-- A base image is used without a tag, or with the moving tag "latest".
return {
  id = "base-image-latest",
  title = "Base image is untagged or uses latest",
  severity = "medium",
  applies_to = "image",
  description = [[
A FROM line names an image without a tag, or with the tag "latest". Such
a reference moves: two builds of the same Dockerfile can start from
different images, a rebuild can pull in breaking changes or
vulnerabilities without any change in your repository, and nobody can
tell afterwards which base an image was built on.]],
  remediation = [[
Name a specific version of the base image, for example
    FROM python:3.12-slim-bookworm
and, to make builds fully reproducible, pin its digest as well:
    FROM python:3.12-slim-bookworm@sha256:<digest>
Update the pin deliberately (e.g. with Renovate or Dependabot).]],
  refs = {
    cis = "5.28",
    hadolint = { "DL3006", "DL3007" },
    trivy = "DS001",
    kics = { "9efb0b2d", "f45ea400" },
    checkov = "CKV_DOCKER_7",
  },
  check = function(image)
    local ref = image.from
    if not model.pullable(ref) or ref.digest then return end
    if ref.implicit_latest then
      report(ref, ("%s has no tag, so it means whatever %s:latest is on the day of the build")
        :format(model.ref_text(ref), images.name(ref):gsub("^library/", "")))
    elseif ref.tag == "latest" then
      report(ref, ("%s uses the moving tag latest"):format(model.ref_text(ref)))
    end
  end,
}
