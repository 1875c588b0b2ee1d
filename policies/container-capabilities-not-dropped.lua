-- A container keeps Docker's default capabilities.

return {
  id = "container-capabilities-not-dropped",
  title = "Container does not drop capabilities",
  severity = "low",
  applies_to = "container",
  description = [[
The container does not drop all capabilities (`cap_drop: [ALL]`), so it
keeps Docker's default set: CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID,
NET_RAW, MKNOD, and more. Most services need none of them; each one left
is something an attacker who gets in can use (NET_RAW for spoofing on the
container network, SETUID/SETGID to change identity, DAC_OVERRIDE to
ignore file permissions).]],
  remediation = [[
Drop everything and add back only what the service needs:
    services:
      web:
        cap_drop: [ALL]
        cap_add: [NET_BIND_SERVICE]   # only to listen below port 1024
(docker run --cap-drop ALL --cap-add NET_BIND_SERVICE ...).]],
  refs = {
    cis = "5.4",
    kics = "ce76b7d0",
  },
  check = function(c)
    if c.privileged == true then return end -- reported by container-privileged
    if not model.has(c.cap_drop, "ALL") then
      report(c, ("%s keeps Docker's default capabilities; drop ALL and add back what it needs"):format(model.describe(c)))
    end
  end,
}
