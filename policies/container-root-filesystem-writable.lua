-- A container's root file system is writable.

return template.hardening_item {
  id = "container-root-filesystem-writable",
  title = "Root file system is writable",
  severity = "low",
  profile = "all",
  description = [[
The container's root file system is writable (`read_only` is not set,
--read-only not given). An attacker who gets in can then change the
application's code and configuration, drop tools and persist until the
container is recreated; a read-only file system stops all of that and
also shows exactly where the application writes.
In the strict profile, container-hardening-baseline reports this with
the other missing hardening settings in one finding; this rule, in the
all profile, reports it on its own.]],
  remediation = [==[
Make the root file system read-only and give writable space only where
the application needs it:
    services:
      app:
        read_only: true
        tmpfs: [/tmp, /run]
        volumes: [data:/var/lib/app]]==],
  refs = {
    cis = "5.13",
  },
  item = "read_only",
  message = "has a writable root file system",
}
