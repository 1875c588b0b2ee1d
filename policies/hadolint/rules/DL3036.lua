-- DL3036: zypper install without zypper clean in the same RUN.
local clean = require "hadolint_b_clean"

local INSTALL = { install = true, ["in"] = true }
local CLEAN = { clean = true, cc = true }

local SPEC = {
  programs = { zypper = true },
  installs = function(cmd) return cmd.package and INSTALL[cmd.package.subcommand or ""] end,
  cleans = function(cmd) return cmd.package and CLEAN[cmd.package.subcommand or ""] end,
  removed = { "^/var/cache/zypp" },
  cache = { "/var/cache/zypp" },
}

return {
  id = "DL3036",
  title = "zypper install without zypper clean",
  severity = "medium",
  applies_to = "image",
  description = [[
A RUN installs packages with zypper but does not run "zypper clean"
afterwards. The downloaded packages and metadata stay in the layer and
make the image larger.]],
  remediation = [[
End the same RUN with zypper clean:
    RUN zypper install -y nginx=1.21.5 && zypper clean]],
  refs = { hadolint = "DL3036", trivy = "DS020" },
  check = function(image)
    clean.check(image, SPEC, "zypper install without zypper clean in the same RUN leaves the cache in the layer")
  end,
}
