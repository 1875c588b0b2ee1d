-- DL3021: COPY with several sources into a destination without a trailing slash.
return {
  id = "DL3021",
  title = "COPY of several sources needs a folder destination",
  severity = "high",
  applies_to = "image",
  description = [[
A COPY names more than one source, but its destination does not end
with a slash. Docker only accepts several sources when the destination
is a folder written with a trailing /, so the build fails at this line.]],
  remediation = [[
End the destination with a slash:
    COPY package.json package-lock.json /app/]],
  refs = { hadolint = "DL3021", trivy = "DS011", kics = "6db6e0c2" },
  check = function(image)
    for _, c in ipairs(image.copies) do
      if not c.add and not c.heredoc and #c.sources > 1 and c.dest:sub(-1) ~= "/" then
        report(image.instructions[c.instruction + 1],
          ("COPY of %d sources into %s: end the destination with /"):format(#c.sources, c.dest))
      end
    end
  end,
}
