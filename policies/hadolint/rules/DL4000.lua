-- DL4000: MAINTAINER is deprecated.
return {
  id = "DL4000",
  title = "MAINTAINER is deprecated",
  severity = "high",
  applies_to = "image",
  description = [[
The MAINTAINER instruction is deprecated: Docker keeps it only for old
files, and tools that read image metadata look for the author in a label.]],
  remediation = [[
Replace the MAINTAINER line with a label:
    LABEL org.opencontainers.image.authors="team@example.com"]],
  refs = { hadolint = "DL4000", trivy = "DS022", checkov = "CKV_DOCKER_6" },
  check = function(image)
    for _, instr in ipairs(image.instructions) do
      if instr.keyword == "MAINTAINER" then
        report(instr, "MAINTAINER is deprecated; use LABEL org.opencontainers.image.authors")
      end
    end
  end,
}
