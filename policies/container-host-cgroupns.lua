-- Container shares the host's cgroup namespace.

return template.host_namespace {
  id = "container-host-cgroupns",
  title = "Container shares the host's cgroup namespace",
  severity = "medium",
  description = [[
The container uses the host's cgroup namespace (`cgroup: host`,
--cgroupns host). It sees the host's whole control-group tree under
/sys/fs/cgroup, with the names and limits of every other container and
service, instead of only its own; together with a writable cgroup file
system or extra capabilities that view is a known step out of the
container. Docker gives containers a private cgroup namespace by default
on cgroup v2 hosts.]],
  remediation = [[
Remove `cgroup: host` (or set `cgroup: private`):
    services:
      agent:
        cgroup: private
A monitoring agent that must read every container's cgroups can mount
/sys/fs/cgroup read-only instead, without joining the host's namespace.]],
  namespace = "cgroupns",
  setting = "cgroup: host",
  word = "cgroup",
}
