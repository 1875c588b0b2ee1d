-- DL3062: go install / go run of a module without @version.
local pins = require "hadolint_b_pins"

-- Local paths (./cmd/app, ../tool, /src/x) are not modules to pin.
local function local_path(pkg)
  return pkg.name:find("^%.") ~= nil or pkg.name:find("^/") ~= nil
end

return {
  id = "DL3062",
  title = "go install without a module version",
  severity = "medium",
  applies_to = "image",
  description = [[
go install fetches a module without @version. Go then
resolves the newest version at build time, so builds are not repeatable
and a new release of the module changes the image.]],
  remediation = [[
Add the version to the module path:
    RUN go install golang.org/x/tools/cmd/goimports@v0.24.0]],
  refs = { hadolint = "DL3062" },
  check = function(image)
    pins.check(image, { go = true }, { install = true },
      "go fetches modules without a version", local_path)
  end,
}
