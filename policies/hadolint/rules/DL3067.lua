-- DL3067: COPY --from=<stage> / / copies a whole filesystem.
return {
  id = "DL3067",
  title = "COPY of a whole filesystem from another stage",
  severity = "medium",
  applies_to = "image",
  description = [[
COPY --from copies the root of another stage or image into the root of
this one. That brings everything along: build tools, caches, credentials
left in the build stage, and it overwrites this image's own files.]],
  remediation = [[
Copy only what the image needs:
    COPY --from=build /app/bin/server /usr/local/bin/server]],
  refs = { hadolint = "DL3067" },
  check = function(image)
    for _, c in ipairs(image.copies) do
      if c.from and not c.add and c.dest == "/" then
        for _, s in ipairs(c.sources) do
          if s == "/" then
            report(image.instructions[c.instruction + 1], "copies the whole filesystem of " .. c.from .. " over /")
            break
          end
        end
      end
    end
  end,
}
