-- template: rule tables of a shape several rules share. A rule file
-- gives its metadata (id, title, severity, description, remediation,
-- refs, profile) and what makes it differ; the template adds applies_to
-- and check and returns the table, which the file returns.

local template = {}

-- A container rule about a namespace shared with the host's. t.namespace
-- names the field of container.namespaces (network, pid, ipc, uts,
-- userns, cgroupns), t.setting how Compose writes it ("pid: host"), and
-- t.word how messages name the namespace (the field's name by default).
function template.host_namespace(t)
  local field, setting, word = t.namespace, t.setting, t.word or t.namespace
  t.applies_to = "container"
  t.check = function(c)
    if c.namespaces and c.namespaces[field] == "host" then
      report(c.namespaces, field, ("%s uses the host's %s namespace (%s)")
        :format(model.describe(c), word, setting))
    end
  end
  t.namespace, t.setting, t.word = nil, nil, nil
  return t
end

-- A container rule about one item of the hardening baseline
-- (lib/hardening.lua): t.item names it, t.message says what the
-- container lacks after its name ("has no memory limit").
function template.hardening_item(t)
  local item, message = t.item, t.message
  t.applies_to = "container"
  t.check = function(c)
    if hardening.lacks(c, item) then report(c, model.describe(c) .. " " .. message) end
  end
  t.item, t.message = nil, nil
  return t
end

return template
