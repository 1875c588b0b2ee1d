-- A container is given a capability that amounts to (near) root on the host.

local DANGEROUS = {
  ALL = "every capability",
  SYS_ADMIN = "mount, namespaces and much of root's power",
  SYS_MODULE = "loading kernel modules",
  SYS_PTRACE = "tracing and reading other processes",
  SYS_RAWIO = "raw access to devices and memory",
  SYS_BOOT = "rebooting the host",
  SYS_TIME = "setting the host clock",
  DAC_READ_SEARCH = "reading any file, the classic container escape",
  NET_ADMIN = "reconfiguring networks and firewalls",
  BPF = "loading BPF programs into the kernel",
  PERFMON = "kernel performance monitoring",
  MAC_ADMIN = "changing AppArmor/SELinux policy",
  MAC_OVERRIDE = "bypassing AppArmor/SELinux",
  SYSLOG = "reading the kernel log (kernel addresses)",
  LINUX_IMMUTABLE = "changing immutable files",
}

return {
  id = "container-dangerous-capability",
  title = "Container is given a dangerous capability",
  severity = "high",
  applies_to = "container",
  description = [[
The container is given a capability that lets root inside it act on the
host: ALL, SYS_ADMIN, SYS_MODULE, SYS_PTRACE, SYS_RAWIO, DAC_READ_SEARCH,
NET_ADMIN, BPF, MAC_ADMIN and others. Most known container escapes start
from one of these; with them, isolation rests on luck.]],
  remediation = [[
Remove the capability from cap_add. If the service truly needs one (a VPN
needs NET_ADMIN), run it on its own, dropping everything else:
    services:
      vpn:
        cap_drop: [ALL]
        cap_add: [NET_ADMIN]
and prefer a narrower one where it exists (CAP_NET_BIND_SERVICE to bind
low ports, CAP_CHECKPOINT_RESTORE instead of SYS_ADMIN for CRIU, ...).]],
  refs = {
    cis = "5.4",
    kics = "ce76b7d0",
  },
  check = function(c)
    for i, cap in ipairs(c.cap_add) do
      if DANGEROUS[cap] then
        -- At the entry: an override or extends file adds its own, in its file.
        report(c.cap_add, i, ("%s is given %s: %s"):format(model.describe(c), cap, DANGEROUS[cap]))
      end
    end
  end,
}
