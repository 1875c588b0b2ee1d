-- The image ships on a full distribution or SDK image where a slim one would do.

-- Official images whose default variant is a full build environment, and
-- the smaller variant to suggest.
local FULL = {
  ["library/python"] = "python:<version>-slim", ["library/node"] = "node:<version>-slim",
  ["library/ruby"] = "ruby:<version>-slim", ["library/perl"] = "perl:<version>-slim",
  ["library/php"] = "php:<version>-fpm-alpine", ["library/debian"] = "debian:<release>-slim",
  ["library/golang"] = "a distroless or scratch image, with the binary built in a golang stage",
  ["library/rust"] = "a distroless or debian:<release>-slim image, with the binary built in a rust stage",
  ["library/gcc"] = "a distroless or debian:<release>-slim image, with the program built in a gcc stage",
  ["library/openjdk"] = "eclipse-temurin:<version>-jre",
  ["library/maven"] = "eclipse-temurin:<version>-jre, with the jar built in a maven stage",
  ["library/gradle"] = "eclipse-temurin:<version>-jre, with the jar built in a gradle stage",
  ["library/buildpack-deps"] = "debian:<release>-slim",
  ["library/eclipse-temurin"] = "eclipse-temurin:<version>-jre",
}
-- Tag parts that already mean a small variant.
local SMALL = { "slim", "alpine", "distroless", "minimal", "jre", "chiseled", "micro", "busybox", "scratch" }

local function small_tag(tag)
  tag = (tag or ""):lower()
  for _, word in ipairs(SMALL) do
    if tag:find(word, 1, true) then return true end
  end
  return false
end

return {
  id = "full-base-image",
  title = "Full base image where a slim one would do",
  severity = "info",
  applies_to = "image",
  description = [[
The image that ships is built on the full variant of a language or
distribution image (python:3.13, node:22, golang:1.24, maven, debian:12,
...). Those variants carry compilers, headers, package caches and
hundreds of tools an application does not use at run time: the image is
several times larger, takes longer to pull, and every extra package is
one more source of vulnerabilities for scanners to report and you to
patch.]],
  remediation = [[
Run on the slim (or alpine, or distroless) variant, building anything
that needs compilers in an earlier stage:
    FROM python:3.13 AS build
    RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt
    FROM python:3.13-slim
    COPY --from=build /wheels /wheels
    RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels
For compiled languages, copy the binary into gcr.io/distroless/static or
scratch.]],
  refs = {
    cis = "4.3",
  },
  check = function(image, document)
    local ref = image.from
    if not model.pullable(ref) or not model.shipped(image, document) then return end
    local repo = ref.repository or ""
    if ref.registry == "docker.io" and FULL[repo] and not small_tag(ref.tag) then
      report(ref, ("%s is a full image (compilers, headers, tools); %s would do for running")
        :format(ref.raw, FULL[repo]))
    end
  end,
}
