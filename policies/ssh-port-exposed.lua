-- Port 22 (SSH) is exposed or published.

return {
  id = "ssh-port-exposed",
  title = "SSH port 22 exposed",
  severity = "medium",
  applies_to = { "image", "container" },
  description = [[
The image EXPOSEs port 22, or a container publishes or exposes it: the
container is meant to run an SSH server. That is another service to
patch and another way in, usually with keys or passwords baked into the
image, and it bypasses the access control and audit of `docker exec`.]],
  remediation = [[
Remove EXPOSE 22 (and the SSH server); get a shell with
    docker exec -it <container> sh
If the container really is an SSH service, publish it on a chosen
interface and suppress the finding with a reason:
    # policy ignore=ssh-port-exposed -- the git server's SSH endpoint]],
  refs = {
    cis = "5.7",
    trivy = "DS004",
    kics = "5907595b",
    checkov = "CKV_DOCKER_1",
  },
  check = function(subject)
    if model.is_image(subject) then
      -- Only ports this stage's EXPOSE wrote (the list is inherited too).
      local seen = {}
      local own = model.own_expose(subject)
      for i = 1, #own do
        local p = own[i]
        if not seen[p.raw] and p.protocol ~= "udp" and ports.covers(p.port, p.end_port, 22) then
          seen[p.raw] = true
          report(p, ("EXPOSE %s: port 22 is SSH"):format(p.raw))
        end
      end
      return
    end
    local ports_list = subject.ports
    for i = 1, #ports_list do
      local p = ports_list[i]
      if p.protocol ~= "udp" and ports.covers(p.container_port, p.container_port_end, 22) then
        report(p, ("%s publishes port 22 (SSH)"):format(model.describe(subject)))
      end
    end
  end,
}
