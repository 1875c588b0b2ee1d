local org = require "org"
local units = require "units"

return {
  id = "org-memory-ceiling",
  title = "Container without a memory limit, or over the organisation's ceiling",
  severity = "medium",
  applies_to = "container",
  description = [[
Every container must have a memory limit no higher than the organisation's
ceiling (data.org.memory_ceiling). Without a limit one container can take
all of a host's memory and get its neighbours killed; over the ceiling it
no longer fits the hosts the platform runs.]],
  remediation = [[
Set a limit at or under the ceiling:

    services:
      web:
        deploy:
          resources:
            limits:
              memory: 512M

(`mem_limit: 512m` in older files, `--memory 512m` for docker run).]],
  check = function(container)
    local ceiling = org.memory_ceiling()
    local memory = container.resources.memory
    if memory == nil then
      report(container, string.format("%s has no memory limit; give it one of at most %s",
        container.name or "the container", units.human(ceiling)))
    elseif memory > ceiling then
      report(container.resources, "memory", string.format("%s may use %s of memory, over the ceiling of %s",
        container.name or "the container", units.human(memory), units.human(ceiling)))
    end
  end,
}
