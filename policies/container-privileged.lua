-- A container runs privileged.

return {
  id = "container-privileged",
  title = "Container runs privileged",
  severity = "critical",
  applies_to = "container",
  description = [[
The container runs with `privileged: true` (docker run --privileged). It
gets every capability, every host device, and no seccomp, AppArmor or
SELinux confinement: root in such a container is root on the host, a
mount or a kernel module away from taking it over.]],
  remediation = [[
Remove `privileged: true`. Give the container only what it needs,
for example one capability or one device:
    services:
      app:
        cap_drop: [ALL]
        cap_add: [NET_BIND_SERVICE]
        devices: ["/dev/fuse:/dev/fuse"]
Docker-in-Docker, the usual reason, can often be replaced by building
with BuildKit/buildx, kaniko or rootless Docker.]],
  refs = {
    cis = "5.5",
    kics = "ae5b6871",
  },
  check = function(c)
    if c.privileged == true then
      report(c, "privileged", ("%s runs privileged: it has full access to the host"):format(model.describe(c)))
    end
  end,
}
