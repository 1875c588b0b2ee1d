-- DL3040: dnf install without dnf clean all in the same RUN.
local clean = require "hadolint_b_clean"

-- An install is cleaned only by the same program's clean all (as
-- hadolint: microdnf clean all after dnf install does not count), so dnf
-- and microdnf are judged each on its own, with SPEC.programs set per call.
local SPEC = {
  installs = function(cmd) return cmd.package and cmd.package.subcommand == "install" end,
  cleans = function(cmd)
    local p = cmd.package
    return p and p.subcommand == "clean" and p.args[1] == "all"
  end,
  removed = { "^/var/cache/dnf", "^/var/cache/yum" },
  cache = { "/var/cache/dnf", "/var/cache/yum" },
}

return {
  id = "DL3040",
  title = "dnf install without dnf clean all",
  severity = "medium",
  applies_to = "image",
  description = [[
A RUN installs packages with dnf (or microdnf) but does not run
"dnf clean all" afterwards. The repository metadata and package cache stay
in the layer and make the image larger.]],
  remediation = [[
End the same RUN with a clean:
    RUN dnf install -y nginx-1.24.0 && dnf clean all
(microdnf clean all for microdnf; or remove /var/cache/dnf, or use
RUN --mount=type=cache,target=/var/cache/dnf).]],
  refs = { hadolint = "DL3040", trivy = "DS019" },
  check = function(image)
    for _, program in ipairs({ "dnf", "microdnf" }) do
      local spec = setmetatable({ programs = { [program] = true } }, { __index = SPEC })
      clean.check(image, spec, ("%s install without %s clean all in the same RUN leaves the cache in the layer")
        :format(program, program))
    end
  end,
}
