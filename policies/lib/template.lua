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

-- The rule of one item of the hardening baseline (lib/hardening.lua:
-- cap_drop, no_new_privileges, read_only, memory, cpus, pids), in the all
-- profile: its words are the baseline's, so the two always agree.
function template.hardening_item(name)
  local t = hardening.rule(name)
  local message, turned_off, off_message = t.message, t.turned_off, t.off_message
  t.message, t.turned_off, t.off_message = nil, nil, nil
  t.profile = "all"
  t.applies_to = "container"
  t.description = t.description .. "\nIn the strict profile, container-hardening-baseline reports this with\n"
    .. "the other missing hardening settings in one finding; this rule, in the\n"
    .. "all profile, reports it on its own."
  t.check = function(c)
    if turned_off and turned_off(c) then
      report(c.security, name, model.describe(c) .. " " .. off_message)
    elseif hardening.lacks(c, name) then
      report(c, model.describe(c) .. " " .. message)
    end
  end
  return t
end

return template
