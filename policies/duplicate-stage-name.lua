-- Two stages have the same name.

return {
  id = "duplicate-stage-name",
  title = "Two build stages have the same name",
  severity = "medium",
  applies_to = "document",
  description = [[
Two FROM lines name their stage the same (FROM ... AS build twice). A
later `COPY --from=build`, `FROM build` or `--target build` then refers
to only one of them, and which one depends on the builder and its
version: files can silently come from the wrong stage.]],
  remediation = [[
Give every stage its own name:
    FROM golang:1.24 AS build-server
    FROM node:22 AS build-ui
    FROM gcr.io/distroless/static-debian12
    COPY --from=build-server /out/server /server
    COPY --from=build-ui /out/ui /ui]],
  refs = {
    hadolint = "DL3024",
    trivy = "DS012",
    kics = "f2daed12",
    checkov = "CKV_DOCKER_11",
  },
  check = function(document)
    -- One pass: the stages of a Dockerfile are consecutive in
    -- document.images, numbered from 0.
    local first = {} -- stage name -> index of the first stage with it
    local stages = document.images
    for i = 1, #stages do
      local image = stages[i]
      if image.index == 0 then first = {} end
      local name = image.name
      if name ~= nil then
        if first[name] then
          report(image, "name", ("stage %d is also named %q, like stage %d"):format(image.index, name, first[name]))
        else
          first[name] = image.index
        end
      end
    end
  end,
}
