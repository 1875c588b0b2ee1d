-- MAINTAINER, deprecated, is used.

return {
  id = "maintainer-deprecated",
  title = "MAINTAINER is deprecated",
  severity = "info",
  applies_to = "image",
  description = [[
The MAINTAINER instruction has been deprecated since Docker 1.13. Tools
that read image metadata look for the standard OCI labels instead, so
the information is effectively lost.]],
  remediation = [[
Use a label:
    LABEL org.opencontainers.image.authors="team@example.com"]],
  refs = {
    hadolint = "DL4000",
    trivy = "DS022",
    kics = "99614418",
    checkov = "CKV_DOCKER_6",
  },
  check = function(image)
    local maintainers = model.instructions(image, "MAINTAINER")
    for i = 1, #maintainers do
      local instr = maintainers[i]
      report(instr, "MAINTAINER is deprecated; use LABEL org.opencontainers.image.authors")
    end
  end,
}
