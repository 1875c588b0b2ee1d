-- A container keeps Docker's default capabilities.

return template.hardening_item {
  id = "container-capabilities-not-dropped",
  title = "Container does not drop capabilities",
  severity = "low",
  profile = "all",
  description = [[
The container does not drop all capabilities (`cap_drop: [ALL]`), so it
keeps Docker's default set: CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID,
NET_RAW, MKNOD, and more. Most services need none of them; each one left
is something an attacker who gets in can use (NET_RAW for spoofing on the
container network, SETUID/SETGID to change identity, DAC_OVERRIDE to
ignore file permissions).
In the strict profile, container-hardening-baseline reports this with
the other missing hardening settings in one finding; this rule, in the
all profile, reports it on its own.]],
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
  item = "cap_drop",
  message = "keeps Docker's default capabilities; drop ALL and add back what it needs",
}
