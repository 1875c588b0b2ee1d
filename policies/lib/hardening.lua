-- hardening: the hardening baseline of a container (a Compose service, an
-- inspected container, a create request): the settings that limit what a
-- compromised process can do, which Docker leaves off by default. The
-- rule container-hardening-baseline (profile strict) reports what a
-- container lacks of it in one finding; in the all profile each item is
-- also a rule of its own, whose words are kept here with the item
-- (template.hardening_item builds it), so the two always agree.

local hardening = {}

-- The items, in the order findings list them: the name rules use, what a
-- container lacks (the baseline's words), the test, and the item's own
-- rule (its file in policies/ only names the item).
local ITEMS = {
  {
    name = "cap_drop", lacks = "cap_drop: [ALL]",
    test = function(c) return c.privileged == true or model.has(c.cap_drop, "ALL") end,
    id = "container-capabilities-not-dropped", title = "Container does not drop capabilities", severity = "low",
    message = "keeps Docker's default capabilities; drop ALL and add back what it needs",
    description = [[
The container does not drop all capabilities (`cap_drop: [ALL]`), so it
keeps Docker's default set: CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID,
NET_RAW, MKNOD, and more. Most services need none of them; each one left
is something an attacker who gets in can use (NET_RAW for spoofing on the
container network, SETUID/SETGID to change identity, DAC_OVERRIDE to
ignore file permissions).]],
    remediation = [[
Drop everything and add back only what the service needs:
    services:
      web:
        cap_drop: [ALL]
        cap_add: [NET_BIND_SERVICE]   # only to listen below port 1024
(docker run --cap-drop ALL --cap-add NET_BIND_SERVICE ...).]],
    refs = {
      cis = "5.4",
      kics = "ce76b7d0",
    },
  },
  {
    name = "no_new_privileges", lacks = "no-new-privileges",
    test = function(c) return c.security ~= nil and c.security.no_new_privileges == true end,
    id = "container-no-new-privileges", title = "no-new-privileges not set", severity = "medium",
    message = "does not set no-new-privileges",
    -- Set to false on purpose: said so, at the setting.
    turned_off = function(c) return c.security ~= nil and c.security.no_new_privileges == false end,
    off_message = "turns no-new-privileges off",
    description = [[
The container does not set the no-new-privileges security option (or
sets it to false). A process inside can then gain privileges by running
a setuid or setgid program (su, sudo, ping on older images, or any
binary an attacker manages to plant with those bits), turning a
compromise of an unprivileged service into root in the container.]],
    remediation = [[
Set the option on every container:
    services:
      app:
        security_opt:
          - no-new-privileges:true
(docker run --security-opt no-new-privileges ...; it can also be made
the daemon's default with "no-new-privileges": true in daemon.json).]],
    refs = {
      cis = "5.26",
      kics = "27fcc7d6",
    },
  },
  {
    name = "read_only", lacks = "read_only: true",
    test = function(c) return c.read_only == true end,
    id = "container-root-filesystem-writable", title = "Root file system is writable", severity = "low",
    message = "has a writable root file system",
    description = [[
The container's root file system is writable (`read_only` is not set,
--read-only not given). An attacker who gets in can then change the
application's code and configuration, drop tools and persist until the
container is recreated; a read-only file system stops all of that and
also shows exactly where the application writes.]],
    remediation = [==[
Make the root file system read-only and give writable space only where
the application needs it:
    services:
      app:
        read_only: true
        tmpfs: [/tmp, /run]
        volumes: [data:/var/lib/app]]==],
    refs = {
      cis = "5.13",
    },
  },
  {
    name = "memory", lacks = "a memory limit",
    test = function(c) return model.resource_limit(c, "memory") ~= nil end,
    id = "container-no-memory-limit", title = "No memory limit", severity = "medium",
    message = "has no memory limit",
    description = [[
The container has no memory limit (`mem_limit`, deploy.resources.limits.memory,
--memory). A leak, a large request or an attack can make it use all of
the host's memory; the kernel's out-of-memory killer then picks
victims, which may be other containers or the Docker daemon itself.]],
    remediation = [[
Set a limit a little above what the service needs at peak:
    services:
      app:
        mem_limit: 512m          # or deploy.resources.limits.memory: 512M
(docker run --memory 512m ...).]],
    refs = {
      cis = "5.11",
      kics = "bb9ac4f7",
    },
  },
  {
    name = "cpus", lacks = "a CPU limit",
    test = function(c) return model.resource_limit(c, "cpus") ~= nil or model.resource_limit(c, "cpu_shares") ~= nil end,
    id = "container-no-cpu-limit", title = "No CPU limit", severity = "low",
    message = "has no CPU limit",
    description = [[
The container has neither a CPU limit (`cpus`, deploy.resources.limits.cpus,
--cpus) nor a CPU share. A busy or compromised container can then take
every CPU of the host and starve the others, including the daemon.]],
    remediation = [[
Limit the CPUs the service may use:
    services:
      app:
        cpus: "1.5"              # or deploy.resources.limits.cpus: "1.5"
(docker run --cpus 1.5 ..., or --cpu-shares 512 for a relative weight).]],
    refs = {
      cis = "5.12",
      kics = "6b610c50",
    },
  },
  {
    name = "pids", lacks = "a PIDs limit",
    test = function(c) return model.resource_limit(c, "pids_limit") ~= nil end,
    id = "container-no-pids-limit", title = "No process (PIDs) limit", severity = "medium",
    message = "has no PIDs limit",
    description = [[
The container has no limit on its number of processes (`pids_limit`,
--pids-limit; 0 and -1 mean none). A fork bomb, or a bug that spawns
processes in a loop, can then exhaust the host's process table, and
nothing on the host can start a process any more.]],
    remediation = [[
Set a limit well above what the service uses:
    services:
      app:
        pids_limit: 200          # or deploy.resources.limits.pids: 200
(docker run --pids-limit 200 ...).]],
    refs = {
      cis = "5.29",
      kics = "221e0658",
    },
  },
}
local BY_NAME = {}
for _, item in ipairs(ITEMS) do BY_NAME[item.name] = item end

-- True when the container lacks the item named (cap_drop,
-- no_new_privileges, read_only, memory, cpus, pids). A privileged
-- container is not told to drop capabilities (container-privileged is
-- its finding).
function hardening.lacks(c, name)
  return not BY_NAME[name].test(c)
end

-- What the container lacks of the baseline, as a new list of words
-- ("cap_drop: [ALL]", "a memory limit", ...), in the items' order.
function hardening.missing(c)
  local out = {}
  for _, item in ipairs(ITEMS) do
    if not item.test(c) then out[#out + 1] = item.lacks end
  end
  return out
end

-- The metadata of the item's own rule, as a new table: id, title,
-- severity, description, remediation, refs; message (what a finding says
-- after the container's name), and for an item a container can turn off
-- on purpose, turned_off(c) and off_message.
function hardening.rule(name)
  local item = BY_NAME[name]
  local refs = {}
  for tool, ids in pairs(item.refs) do refs[tool] = ids end
  return { id = item.id, title = item.title, severity = item.severity, description = item.description,
           remediation = item.remediation, refs = refs, message = item.message,
           turned_off = item.turned_off, off_message = item.off_message }
end

return hardening
