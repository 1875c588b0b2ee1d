-- ADD is used to copy local files.

local ARCHIVE = { "%.tar$", "%.tar%.%w+$", "%.tgz$", "%.tbz2?$", "%.txz$", "%.tzst$" }

local function is_archive(source)
  local s = source:lower()
  for i = 1, #ARCHIVE do
    local p = ARCHIVE[i]
    if s:find(p) then return true end
  end
  return false
end

return {
  id = "add-instead-of-copy",
  title = "ADD used to copy local files",
  severity = "low",
  applies_to = "image",
  description = [[
ADD copies local files like COPY does, but with extra behaviour: a local
tar archive is unpacked, and a source that is a URL is downloaded. A
file that happens to be an archive (or a name that changes) then does
something other than what the line says, and reviewers have to know
that. COPY does only what it says.]],
  remediation = [[
Use COPY for local files and folders:
    COPY app/ /opt/app/
Keep ADD for the one case it is made for, unpacking a local archive
(ADD rootfs.tar.xz /), and download remote files with
ADD --checksum=sha256:... URL (see add-remote-url) or curl in a RUN step.]],
  refs = {
    cis = "4.9",
    hadolint = "DL3020",
    trivy = "DS005",
    kics = "9513a694",
    checkov = "CKV_DOCKER_4",
  },
  check = function(image)
    local copies_list = image.copies
    for i = 1, #copies_list do
      local copy = copies_list[i]
      if copy.add and not copy.url and not copy.git then
        local archives = true
        local sources = copy.sources
        for k = 1, #sources do
          local source = sources[k]
          if copy.heredoc or not is_archive(source) then archives = false end
        end
        if not archives then
          report(copy, ("ADD copies %s; use COPY for local files"):format(table.concat(copy.sources, " ")))
        end
      end
    end
  end,
}
