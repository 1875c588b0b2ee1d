local org = require "org"

local function empty(map)
  for _ in pairs(map) do return false end
  return true
end

return {
  id = "org-owner-label",
  title = "Container without the labels the organisation requires",
  severity = "medium",
  applies_to = "container",
  description = [[
Every container names the team that owns it in its labels
(data.org.required_labels, `owner` by default), so an alert, a
vulnerability or a bill reaches the people who can act on it.]],
  remediation = [[
Add the label, with the team's name:

    services:
      web:
        labels:
          owner: team-payments]],
  check = function(container)
    for _, name in ipairs(org.required_labels()) do
      local value = container.labels[name]
      if value == nil or value:match("^%s*$") then
        local message = string.format("%s has no %s label", container.name or "the container", name)
        -- At its labels when it has some, else at the container itself.
        if empty(container.labels) then report(container, message)
        else report(container, "labels", message) end
      end
    end
  end,
}
