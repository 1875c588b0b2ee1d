-- DL3013: pip install without pinned versions.
local pins = require "hadolint_a_pins"

-- True when the command installs the project in the current folder
-- (`pip install .`, `pip install -e .`).
local function local_project(p)
  for _, o in ipairs(p.options) do
    if o.value == "." then return true end
  end
  for _, a in ipairs(p.args) do
    if a == "." then return true end
  end
  return false
end

return {
  id = "DL3013",
  title = "pip install without pinned versions",
  severity = "medium",
  applies_to = "image",
  description = [[
pip install names Python packages without a version. Every build then
installs the newest release of each, so the image changes whenever a
package is published, and a new major version can break the application
without any change in your repository.]],
  remediation = [[
Pin each package with a version specifier:
    RUN pip install --no-cache-dir flask==3.0.3 gunicorn==22.0.0
or, better, list pinned versions in a requirements file (pip freeze,
pip-tools) and install from it:
    RUN pip install --no-cache-dir -r requirements.txt
Local folders, wheel files and VCS URLs with a fixed ref are accepted.]],
  refs = { hadolint = "DL3013" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      local p = cmd.package
      -- A requirements or constraints file, or the local project, pins what
      -- the command installs (hadolint skips such commands whole).
      if p and p.family == "pip" and p.subcommand == "install"
         and not packages.option(p, "-r", "--requirement", "-c", "--constraint")
         and not local_project(p) then
        local loose = pins.unpinned(p)
        if #loose > 0 then
          report(cmd, ("pip install without a version for %s; pin them as name==version")
            :format(table.concat(loose, ", ")))
        end
      end
    end
  end,
}
