-- DL3032: yum install without yum clean all in the same RUN.
local clean = require "hadolint_b_clean"

local SPEC = {
  programs = { yum = true },
  installs = function(cmd) return cmd.package and cmd.package.subcommand == "install" end,
  cleans = function(cmd)
    local p = cmd.package
    return p and p.subcommand == "clean" and p.args[1] == "all"
  end,
  removed = { "^/var/cache/yum" },
  cache = { "/var/cache/yum" },
}

return {
  id = "DL3032",
  title = "yum install without yum clean all",
  severity = "medium",
  applies_to = "image",
  description = [[
A RUN installs packages with yum but does not run "yum clean all"
afterwards. yum's metadata and downloaded packages then stay in the layer,
making the image larger for no benefit.]],
  remediation = [[
End the same RUN with yum clean all:
    RUN yum install -y httpd-2.4.57 && yum clean all
(or remove /var/cache/yum, or use RUN --mount=type=cache,target=/var/cache/yum).]],
  refs = { hadolint = "DL3032", trivy = "DS015" },
  check = function(image)
    clean.check(image, SPEC, "yum install without yum clean all in the same RUN leaves the cache in the layer")
  end,
}
