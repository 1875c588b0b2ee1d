-- docker plugin install/upgrade granting a plugin host privileges.

-- What each privilege gives the plugin, when it is dangerous; nil for
-- the ones that are not (a plugin on the bridge network, for example).
local function danger(p)
  local name = p.name:lower()
  local values = table.concat(p.value, ", ")
  if name == "network" then
    for _, v in ipairs(p.value) do
      if v == "host" then return "the host's network stack" end
    end
    return nil
  elseif name == "mount" then
    return "the host path(s) " .. values
  elseif name == "device" then
    return "the host device(s) " .. values
  elseif name == "allow-all-devices" then
    return "every host device"
  elseif name == "capabilities" then
    return "the capabilities " .. values
  elseif name == "host pid" or name == "host ipc" then
    return "the host's " .. name:sub(6) .. " namespace"
  end
  return nil
end

return {
  id = "plugin-granted-privileges",
  title = "Plugin installed with host privileges",
  severity = "high",
  applies_to = "request",
  description = [[
The request installs or upgrades a Docker plugin (`docker plugin install`,
`docker plugin upgrade`) and grants it privileges on the host: host
networking, host paths mounted, devices, all devices, capabilities such
as CAP_SYS_ADMIN, or the host's PID or IPC namespace. Plugins run as root
outside any container policy; granting one host privileges gives whoever
publishes it (and whoever can push to its repository) that access to
every host that installs it.]],
  remediation = [[
Install only plugins you have reviewed, from a registry you control, and
grant no more than the plugin documents it needs; prefer plugins that
ask for no privileges. To allow a reviewed plugin, set this rule's action
for your gate (.policy.yaml):
    admission:
      rules:
        plugin-granted-privileges: warn]],
  refs = {},
  check = function(req)
    local pl = req.plugin
    if pl == nil then return end
    local name = pl.name or (pl.remote and pl.remote.raw) or "a plugin"
    for _, p in ipairs(pl.privileges) do
      local what = danger(p)
      if what then
        report(p, ("plugin %s is granted %s"):format(name, what))
      end
    end
  end,
}
