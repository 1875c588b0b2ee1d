-- docker update asking for host devices.

local function target(req)
  return (req.path or ""):match("^/containers/([^/]+)/update$") or "a container"
end

return {
  id = "container-update-adds-devices",
  title = "Container update asks for host devices",
  severity = "high",
  applies_to = "request",
  description = [[
The body of a container update (`POST /containers/{id}/update`) names
host devices (`Devices`), device cgroup rules (`DeviceCgroupRules`, such
as `a *:* rwm`: every device) or device requests (`DeviceRequests`,
GPUs). The docker CLI never sends these on `docker update`; a client that
does is crafting the request by hand. The Engine applies only resource
limits and the restart policy on update today, but a gate should refuse
what a request asks for rather than rely on what one Engine version
happens to ignore.]],
  remediation = [[
Give a container its devices when it is created, where the policy checks
them (`docker run --device /dev/fuse`), and update only limits and the
restart policy:
    docker update --memory 1g web]],
  refs = {},
  check = function(req)
    local u = req.update
    if u == nil then return end
    for _, d in ipairs(u.devices) do
      report(d, ("the update of %s asks for the host device %s"):format(target(req), d.host or d.raw or "?"))
    end
    for _, rule in ipairs(u.device_cgroup_rules) do
      report(u, "device_cgroup_rules", ("the update of %s asks for the device cgroup rule %q")
        :format(target(req), rule))
    end
    if u.device_requests ~= nil and u.device_requests > 0 then
      report(u, "device_requests", ("the update of %s asks for %d device request(s) (GPUs or other devices)")
        :format(target(req), u.device_requests))
    end
  end,
}
