-- DL3016: npm install without pinned versions.
local pins = require "hadolint_a_pins"

return {
  id = "DL3016",
  title = "npm install without pinned versions",
  severity = "medium",
  applies_to = "image",
  description = [[
npm install names packages without a version (package@version). Each
build installs the newest release, so the image changes whenever the
package is published and a new major version can break it. A git
dependency without a #ref follows a moving branch in the same way.]],
  remediation = [[
Pin each package:
    RUN npm install -g typescript@5.4.5
pin git dependencies to a tag or commit (github:user/repo#v1.2.0), or
install from package.json and its lock file:
    COPY package.json package-lock.json ./
    RUN npm ci]],
  refs = { hadolint = "DL3016" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      local p = cmd.package
      if p and p.manager == "npm" and p.subcommand == "install" then
        local loose = pins.unpinned(p)
        if #loose > 0 then
          report(cmd, ("npm install without a version for %s; pin them as name@version")
            :format(table.concat(loose, ", ")))
        end
      end
    end
  end,
}
