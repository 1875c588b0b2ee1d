-- DL3023: COPY --from names the stage it is in.
return {
  id = "DL3023",
  title = "COPY --from names its own stage",
  severity = "high",
  applies_to = "image",
  description = [[
A COPY --from names the stage the instruction itself belongs to. A stage
cannot copy from itself (it is not built yet), so the build fails; the
name is usually a copy-paste slip for the stage before.]],
  remediation = [[
Copy from the stage that produces the files:
    FROM golang:1.22 AS build
    RUN go build -o /out/app .
    FROM alpine:3.20 AS final
    COPY --from=build /out/app /app]],
  refs = { hadolint = "DL3023", trivy = "DS006", kics = "cdddb86f" },
  check = function(image)
    for _, c in ipairs(image.copies) do
      if c.from and model.names_stage(image, c.from) then
        report(image.instructions[c.instruction + 1],
          ("COPY --from=%s copies from the stage it is in"):format(c.from))
      end
    end
  end,
}
