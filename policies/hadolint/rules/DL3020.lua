-- DL3020: ADD used for local files and folders; COPY is meant for that.
local util = require "hadolint_a_util"

return {
  id = "DL3020",
  title = "ADD used instead of COPY for local files",
  severity = "high",
  applies_to = "image",
  description = [[
ADD copies local files or folders that are not tar archives (ADD does
not unpack a zip). ADD also
downloads URLs and unpacks archives, so a reader (and a later change of
the source) cannot tell which of these it does; COPY only copies, which
is what is meant here and is predictable.]],
  remediation = [[
Use COPY for local files and folders:
    COPY requirements.txt /app/
Keep ADD only to unpack a local tar archive (ADD rootfs.tar.gz /).]],
  refs = { hadolint = "DL3020", cis = "4.9", trivy = "DS005", kics = "9513a694", checkov = "CKV_DOCKER_4" },
  check = function(image)
    for _, c in ipairs(image.copies) do
      if c.add and not c.url and not c.git and not c.heredoc then
        for _, src in ipairs(c.sources) do
          -- ADD unpacks tar archives (compressed or not), never a zip.
          local unpacked = util.is_archive(src) and not src:lower():find("%.zip$")
          if not unpacked and not src:match("^%a[%w+.-]*://") then
            report(image.instructions[c.instruction + 1], ("ADD %s copies a local file; use COPY"):format(src))
            break
          end
        end
      end
    end
  end,
}
