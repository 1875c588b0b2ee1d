-- DL3065: FROM --platform=$TARGETPLATFORM is redundant.
return {
  id = "DL3065",
  title = "FROM --platform=$TARGETPLATFORM is redundant",
  severity = "medium",
  applies_to = "image",
  description = [[
FROM sets --platform to $TARGETPLATFORM, which is what the builder uses
anyway: the flag changes nothing and suggests a cross-platform setup that
is not there.]],
  remediation = [[
Drop the flag (FROM alpine:3.20). Use --platform=$BUILDPLATFORM when a
build stage should run natively on the build machine.]],
  refs = { hadolint = "DL3065" },
  check = function(image)
    local from = image.instructions[1]
    if not from or from.keyword ~= "FROM" then return end
    local p = from.flags.platform
    if p == "$TARGETPLATFORM" or p == "${TARGETPLATFORM}" then
      report(from, "--platform=" .. p .. " is the default; remove it")
    end
  end,
}
