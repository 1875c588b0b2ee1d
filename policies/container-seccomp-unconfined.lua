-- A container runs without the seccomp filter.

return {
  id = "container-seccomp-unconfined",
  title = "Container runs without seccomp",
  severity = "high",
  applies_to = "container",
  description = [[
The container runs with `seccomp=unconfined`, turning off Docker's
default seccomp profile. That profile blocks some 50 system calls a
container never needs (keyctl, mount, ptrace of other namespaces, kernel
module calls, ...), which is how many kernel vulnerabilities would
otherwise be exploited from inside a container.]],
  remediation = [[
Remove the option to get the default profile back. If the application
needs one more system call, allow just that one in a custom profile:
    services:
      app:
        security_opt:
          - seccomp=./seccomp-app.json   # the default profile plus the call]],
  refs = {
    cis = "5.22",
    kics = "404fde2c",
  },
  check = function(c)
    if c.security and c.security.seccomp == "unconfined" then
      report(c.security, "seccomp", ("%s runs with seccomp=unconfined"):format(model.describe(c)))
    end
  end,
}
