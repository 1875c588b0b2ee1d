-- DL3024: two stages share a name.
return {
  id = "DL3024",
  title = "Stage name used twice",
  severity = "high",
  applies_to = "document",
  description = [[
Two FROM lines give their stages the same AS name. COPY --from and
FROM then refer to only one of them, so build output can silently come
from the wrong stage, and BuildKit refuses the Dockerfile.]],
  remediation = [[
Give each stage its own name:
    FROM node:20 AS deps
    FROM node:20 AS build]],
  refs = { hadolint = "DL3024", trivy = "DS012", kics = "f2daed12", checkov = "CKV_DOCKER_11" },
  check = function(document)
    local seen = {}
    for _, image in ipairs(document.images) do
      local name = image.name
      if name and image.origin == "dockerfile" then
        if seen[name] then
          report(image.instructions[1], ("stage name %s is already used by the stage on line %d")
            :format(name, seen[name]))
        else
          seen[name] = image.instructions[1].line
        end
      end
    end
  end,
}
