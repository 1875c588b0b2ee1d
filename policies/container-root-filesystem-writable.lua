-- A container's root file system is writable.

return {
  id = "container-root-filesystem-writable",
  title = "Root file system is writable",
  severity = "low",
  applies_to = "container",
  description = [[
The container's root file system is writable (`read_only` is not set,
--read-only not given). An attacker who gets in can then change the
application's code and configuration, drop tools and persist until the
container is recreated; a read-only file system stops all of that and
also shows exactly where the application writes.]],
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
  check = function(c)
    if c.read_only ~= true then
      report(c, ("%s has a writable root file system"):format(model.describe(c)))
    end
  end,
}
