-- docker exec --user root: a process started as root in a running
-- container.

local function target(req)
  return (req.path or ""):match("^/containers/([^/]+)/exec$") or "a container"
end

-- root written as a name or a uid, with or without a group.
local function is_root(user)
  local name = user:match("^([^:]*)")
  return name == "root" or name == "0"
end

return {
  id = "exec-as-root",
  title = "docker exec as root",
  severity = "medium",
  applies_to = "request",
  description = [[
The request starts a process in a running container as root (`docker exec
--user root` or `-u 0`), even if the container itself runs as an
unprivileged user. Root in the container owns every file of it and keeps
whatever capabilities the container has; a container meant to run as a
user loses that protection for the length of the command.]],
  remediation = [[
Run the command as the container's own user (leave out --user), or as a
named unprivileged user:
    docker exec -u app web ./manage.py migrate
Changes that need root belong in the image (its Dockerfile), not in a
running container.]],
  refs = {
    cis = "5.24",
  },
  check = function(req)
    local exec = req.exec
    if exec ~= nil and exec.user ~= nil and is_root(exec.user) then
      report(exec, "user", ("docker exec as %q in %s: the process runs as root"):format(exec.user, target(req)))
    end
  end,
}
