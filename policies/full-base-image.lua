-- The image ships on a language image's full variant, a build environment, where a slim one would do.

-- The version part of a tag and what follows it: "3.12-bookworm" is
-- "3.12", "-bookworm"; "latest" and no tag are "", "".
local function split_tag(tag)
  if tag == nil or tag == "latest" then return "", "" end
  local version, rest = tag:match("^([%d.]+)(.*)$")
  if version then return version, rest end
  return "", "-" .. tag
end

-- The slim tag of the same version and release: python:3.12-bookworm ->
-- 3.12-slim-bookworm; node puts -slim last (node:22-bookworm-slim).
local function slim(tag, last)
  local version, rest = split_tag(tag)
  if last then
    local t = version .. rest .. "-slim"
    return (t:gsub("^%-", ""))
  end
  if version == "" then return "slim" .. rest end
  return version .. "-slim" .. rest
end

-- Official images whose default variant is a build environment: what it
-- carries, and what to run on instead (from the tag).
local FULL = {
  ["library/python"] = { carries = "compilers, headers and version control (buildpack-deps)",
                         instead = function(tag) return "python:" .. slim(tag) end },
  ["library/ruby"] = { carries = "compilers, headers and version control (buildpack-deps)",
                       instead = function(tag) return "ruby:" .. slim(tag) end },
  ["library/perl"] = { carries = "compilers, headers and version control (buildpack-deps)",
                       instead = function(tag) return "perl:" .. slim(tag) end },
  ["library/node"] = { carries = "compilers, headers and version control (buildpack-deps)",
                       instead = function(tag) return "node:" .. slim(tag, true) end },
  ["library/golang"] = { carries = "the Go toolchain, compilers and version control",
                         instead = function() return "gcr.io/distroless/static-debian12 or scratch, with the binary built in a golang stage" end },
  ["library/rust"] = { carries = "the Rust toolchain, compilers and version control",
                       instead = function() return "gcr.io/distroless/cc-debian12 or debian:12-slim, with the binary built in a rust stage" end },
  ["library/gcc"] = { carries = "GCC, headers and version control",
                      instead = function() return "gcr.io/distroless/cc-debian12 or debian:12-slim, with the program built in a gcc stage" end },
  ["library/openjdk"] = { carries = "a whole JDK (compiler and tools)",
                          instead = function(tag) return "eclipse-temurin:" .. (split_tag(tag) ~= "" and split_tag(tag) or "21") .. "-jre" end },
  ["library/eclipse-temurin"] = { carries = "a whole JDK (compiler and tools)",
                                  instead = function(tag) return "eclipse-temurin:" .. (split_tag(tag) ~= "" and split_tag(tag) or "21") .. "-jre" end },
  ["library/maven"] = { carries = "a JDK and Maven",
                        instead = function() return "eclipse-temurin:21-jre, with the jar built in a maven stage" end },
  ["library/gradle"] = { carries = "a JDK and Gradle",
                         instead = function() return "eclipse-temurin:21-jre, with the jar built in a gradle stage" end },
  ["library/buildpack-deps"] = { carries = "compilers, headers and version control",
                                 instead = function() return "debian:12-slim" end },
}
-- Tag parts that already mean a small variant (buildpack-deps' curl and
-- scm variants have no compilers).
local SMALL = { "slim", "alpine", "distroless", "minimal", "jre", "chiseled", "micro", "busybox",
                "scratch", "curl", "scm" }

local function small_tag(tag)
  tag = (tag or ""):lower()
  for i = 1, #SMALL do
    local word = SMALL[i]
    if tag:find(word, 1, true) then return true end
  end
  return false
end

return {
  id = "full-base-image",
  title = "Full base image where a slim one would do",
  severity = "info",
  profile = "strict",
  applies_to = "image",
  description = [[
The image that ships is built on the full variant of a language image:
python, node, ruby or perl on buildpack-deps, golang, rust, gcc,
openjdk, maven, gradle, a JDK of eclipse-temurin, or buildpack-deps
itself. Those variants are build environments: they carry compilers,
headers and version control that an application does not use at run
time. The image is several times larger, takes longer to pull, and every
extra package is one more source of vulnerabilities for scanners to
report and you to patch. (debian, ubuntu, php and the curl and scm
variants of buildpack-deps are not build environments and are not
reported.)]],
  remediation = [[
Run on the slim (or alpine, or distroless) variant of the same version,
building anything that needs compilers in an earlier stage:
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
    local full = ref.registry == "docker.io" and FULL[ref.repository or ""]
    if full and not small_tag(ref.tag) then
      report(ref, ("%s is a build environment with %s; %s would do for running")
        :format(model.ref_text(ref), full.carries, full.instead(ref.tag)))
    end
  end,
}
