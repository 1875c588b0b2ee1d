-- Every package of the base image is upgraded during the build.

-- Subcommands that upgrade everything (when no package is named), per family.
local UPGRADES = {
  apt = { upgrade = true, ["dist-upgrade"] = true, ["full-upgrade"] = true },
  apk = { upgrade = true },
  rpm = { upgrade = true, update = true, ["distro-sync"] = true, ["upgrade-minimal"] = true },
  zypper = { update = true, up = true, ["dist-upgrade"] = true, dup = true, patch = true },
}

return {
  id = "package-upgrade-in-build",
  title = "All packages upgraded during the build",
  severity = "low",
  profile = "strict",
  applies_to = "image",
  description = [[
A RUN step upgrades every package of the base image (apt-get upgrade or
dist-upgrade, apk upgrade, yum/dnf update or upgrade, zypper update or
dist-upgrade). The result depends on the day of the build, so two
builds of the same Dockerfile differ; a dist-upgrade can move the
image to another release and break it; and the fixes it applies are
hidden from image scanners that judge the image by its base tag.
Privileged packages that cannot be upgraded inside a container (the
kernel, init) make it fail or half-succeed.]],
  remediation = [[
Take fixes from a newer base image instead, and rebuild regularly:
    FROM debian:12.8-slim     # bump the tag (or digest) when a new one is out
Install only named packages, at the versions you need:
    RUN apt-get update \
     && apt-get install -y --no-install-recommends openssl=3.0.15-1~deb12u1 \
     && rm -rf /var/lib/apt/lists/*
If you must patch a base image that is no longer updated, plan to
replace it (see base-image-end-of-life).]],
  refs = {
    hadolint = "DL3035",
    trivy = "DS024",
    kics = { "682fe378", "989ab888", "09fda05e", "8f6456be", "d4895357" },
  },
  check = function(image)
    local commands = image.commands
    for i = 1, #commands do
      local cmd = commands[i]
      local p = cmd.package
      if p and UPGRADES[p.family] and UPGRADES[p.family][p.subcommand or ""] and #p.args == 0 then
        report(cmd, ("%s %s upgrades every package of the base image during the build"):format(p.manager, p.subcommand))
      end
    end
  end,
}
