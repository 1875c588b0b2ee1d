-- DL3022: COPY --from names no earlier stage.
return {
  id = "DL3022",
  title = "COPY --from names no earlier stage",
  severity = "medium",
  applies_to = "image",
  description = [[
COPY --from names something that is neither a stage defined earlier in
the Dockerfile (by its AS name or number) nor an image with a tag. Docker
then treats the word as an image to pull: a typo in a stage name, or a
reference to a stage defined further down, silently fetches an image
from Docker Hub (or fails the build) instead of copying your build
output.]],
  remediation = [[
Name a stage defined above this one:
    FROM golang:1.22 AS build
    ...
    FROM alpine:3.20
    COPY --from=build /out/app /usr/local/bin/app
To copy from an image, name it with its tag (COPY --from=nginx:1.27 ...).]],
  refs = { hadolint = "DL3022", kics = "68a51e22" },
  check = function(image)
    for _, c in ipairs(image.copies) do
      local from = c.from
      -- image:tag is an image; a variable is decided by the build.
      if from and not from:find(":", 1, true) and from:sub(1, 1) ~= "$" then
        local n = tonumber(from)
        local ok
        if n then
          ok = n == math.floor(n) and n >= 0 and n < image.index
        else
          ok = c.from_stage ~= nil and c.from_stage <= image.index
        end
        if not ok then
          report(image.instructions[c.instruction + 1],
            ("COPY --from=%s names no stage defined before this one (an image needs a tag: name:tag)"):format(from))
        end
      end
    end
  end,
}
