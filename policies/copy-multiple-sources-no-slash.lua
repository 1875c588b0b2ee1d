-- COPY with several sources to a destination that does not end in /.

return {
  id = "copy-multiple-sources-no-slash",
  title = "COPY of several sources to a destination without a trailing /",
  severity = "medium",
  applies_to = "image",
  description = [[
A COPY or ADD has more than one source, and its destination does not
end with a slash. With several sources the destination must be a folder,
written with a trailing /; otherwise the build fails ("When using COPY
with more than one source file, the destination must be a directory and
end with a /").]],
  remediation = [[
End the destination with a slash:
    COPY package.json package-lock.json /app/]],
  refs = {
    hadolint = "DL3021",
    trivy = "DS011",
    kics = "6db6e0c2",
  },
  check = function(image)
    local copies = image.copies
    for i = 1, #copies do
      local copy = copies[i]
      local dest = copy.dest or ""
      if #copy.sources > 1 and dest:sub(-1) ~= "/" and dest ~= "." and dest:sub(-2) ~= "/." and not dest:find("%$") then
        report(copy, ("%d sources are copied to %s, which does not end with /"):format(#copy.sources, dest))
      end
    end
  end,
}
