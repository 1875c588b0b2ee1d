-- Container shares the host's IPC namespace.

return template.host_namespace {
  id = "container-host-ipc",
  title = "Container shares the host's IPC namespace",
  severity = "high",
  description = [[
The container uses the host's IPC namespace (`ipc: host`, --ipc host).
It can read and write the shared memory segments, semaphores and message
queues of every process on the host, which databases and other services
use for their data.]],
  remediation = [[
Remove `ipc: host`. Containers that must share memory can share one
container's namespace instead:
    services:
      worker:
        ipc: "service:producer"
(and give the producer `ipc: shareable`).]],
  refs = {
    cis = "5.17",
    kics = "baa3890f",
  },
  namespace = "ipc",
  setting = "ipc: host",
}
