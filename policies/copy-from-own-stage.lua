-- COPY --from names the stage it is in.

return {
  id = "copy-from-own-stage",
  title = "COPY --from refers to its own stage",
  severity = "medium",
  applies_to = "image",
  description = [[
A COPY --from names the stage that contains it. A stage cannot copy from
itself: BuildKit rejects the file ("cannot copy from stage ..., it needs
to be defined before current stage"), or, when the name also exists as
an image, pulls that image instead of what you meant.]],
  remediation = [[
Copy from the stage that produced the files, defined earlier, or copy
from the build context without --from:
    FROM golang:1.24 AS build
    RUN go build -o /out/app .
    FROM gcr.io/distroless/static-debian12
    COPY --from=build /out/app /app]],
  refs = {
    hadolint = "DL3023",
    trivy = "DS006",
    kics = "cdddb86f",
  },
  check = function(image)
    local copies = image.copies
    for i = 1, #copies do
      local copy = copies[i]
      if copy.from and model.names_stage(image, copy.from) then
        report(copy, "from", ("COPY --from=%s names the stage it is in"):format(copy.from))
      end
    end
  end,
}
