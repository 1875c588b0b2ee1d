-- A mount propagates mounts between the container and the host.

return {
  id = "mount-propagation-shared",
  title = "Mount propagation set to shared",
  severity = "medium",
  applies_to = "container",
  description = [[
A bind mount has `shared` or `rshared` propagation. Mounts made inside
the container under that path then appear on the host (and the other
way round), so a process in the container can hide or replace host
folders, or reach mounts of other containers.]],
  remediation = [[
Leave propagation at its default (rprivate), or use rslave when the
container must see mounts the host makes later, never the reverse:
    volumes:
      - type: bind
        source: /mnt/data
        target: /data
        bind:
          propagation: rslave]],
  refs = {
    cis = "5.20",
    kics = "baa452f0",
  },
  check = function(c)
    for _, m in ipairs(c.mounts) do
      if m.propagation == "shared" or m.propagation == "rshared" then
        report(m, ("%s mounts %s with %s propagation"):format(model.describe(c), m.target or m.source or "a path", m.propagation))
      end
    end
  end,
}
