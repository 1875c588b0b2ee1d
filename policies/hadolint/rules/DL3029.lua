-- DL3029: FROM --platform is fixed to one platform.
return {
  id = "DL3029",
  title = "FROM --platform names a fixed platform",
  severity = "medium",
  applies_to = "image",
  description = [[
FROM sets --platform to a fixed value (linux/amd64, say). The image is
then built for that platform whatever the builder is asked for, so a
multi-platform build (docker buildx build --platform ...) quietly
produces images of the wrong architecture, which run under emulation or
not at all.]],
  remediation = [[
Leave --platform out and choose the platform when you build:
    docker buildx build --platform linux/amd64,linux/arm64 .
In cross-compiling builds, use the build arguments BuildKit sets:
    FROM --platform=$BUILDPLATFORM golang:1.22 AS build]],
  refs = { hadolint = "DL3029" },
  check = function(image)
    local from = image.instructions[1]
    if from == nil or from.keyword ~= "FROM" then return end
    local platform = from.flags.platform
    if type(platform) ~= "string" then return end
    if not platform:find("BUILDPLATFORM", 1, true) and not platform:find("TARGETPLATFORM", 1, true) then
      report(from, ("FROM --platform=%s fixes the platform; choose it with docker build --platform instead")
        :format(platform))
    end
  end,
}
