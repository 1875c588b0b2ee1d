-- A container runs without AppArmor or SELinux confinement.

return {
  id = "container-apparmor-selinux-disabled",
  title = "AppArmor or SELinux confinement turned off",
  severity = "high",
  applies_to = "container",
  description = [[
The container runs with `apparmor=unconfined` or SELinux labelling
turned off (`label=disable`). These mandatory access controls are what
still stands between a root process in the container and the host's
files, /proc and /sys when something else fails; without them a
misconfiguration or a kernel bug is much easier to turn into an escape.]],
  remediation = [[
Remove the option so Docker's default profile (docker-default, or the
container_t SELinux type) applies. If the default profile blocks
something the application needs, write a profile that allows just that:
    services:
      app:
        security_opt:
          - apparmor=my-app-profile      # loaded on the host with apparmor_parser
          - label=type:my_app_t]],
  refs = {
    cis = { "5.2", "5.3" },
    kics = "610e266e",
  },
  check = function(c)
    local s = c.security
    if s == nil then return end
    if s.apparmor == "unconfined" then
      report(s, "apparmor", ("%s runs with apparmor=unconfined"):format(model.describe(c)))
    end
    if model.has(s.selinux, "disable") or model.has(s.raw, "label=disable") or model.has(s.raw, "label:disable") then
      report(s, "selinux", ("%s turns SELinux labelling off (label=disable)"):format(model.describe(c)))
    end
  end,
}
