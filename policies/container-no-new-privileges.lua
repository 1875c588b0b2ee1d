-- A container's processes may gain privileges through setuid programs.

return {
  id = "container-no-new-privileges",
  title = "no-new-privileges not set",
  severity = "medium",
  profile = "all",
  applies_to = "container",
  description = [[
The container does not set the no-new-privileges security option (or
sets it to false). A process inside can then gain privileges by running
a setuid or setgid program (su, sudo, ping on older images, or any
binary an attacker manages to plant with those bits), turning a
compromise of an unprivileged service into root in the container.
In the strict profile, container-hardening-baseline reports this with
the other missing hardening settings in one finding; this rule, in the
all profile, reports it on its own.]],
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
  check = function(c)
    local nnp = c.security and c.security.no_new_privileges
    if nnp == false then
      report(c.security, "no_new_privileges", ("%s turns no-new-privileges off"):format(model.describe(c)))
    elseif nnp == nil then
      report(c, ("%s does not set no-new-privileges"):format(model.describe(c)))
    end
  end,
}
