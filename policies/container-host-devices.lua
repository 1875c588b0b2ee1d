-- Host devices are passed into a container.

return {
  id = "container-host-devices",
  title = "Host device exposed to the container",
  severity = "medium",
  applies_to = "container",
  description = [[
The container is given direct access to a host device (`devices:`,
--device). A process in the container can then read or write that
hardware below every file permission and namespace: a disk device
gives the whole host file system, /dev/mem or /dev/kmsg the kernel,
and a writable device can often be used to escape.]],
  remediation = [==[
Remove devices the service does not need. For the ones it does, give
only that device, read-only where possible ("r" permissions), and run
the container as an unprivileged user in the device's group:
    services:
      camera:
        devices: ["/dev/video0:/dev/video0:r"]
        group_add: [video]]==],
  refs = {
    cis = "5.18",
  },
  check = function(c)
    for _, d in ipairs(c.devices) do
      report(d, ("%s has the host device %s"):format(model.describe(c), d.host or d.raw or "a device"))
    end
  end,
}
