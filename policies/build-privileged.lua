-- A build step runs with every privilege of the build host.

return {
  id = "build-privileged",
  title = "Build step runs privileged",
  severity = "high",
  applies_to = { "image", "container" },
  description = [[
A RUN step asks BuildKit for `--security=insecure`, or a Compose
service builds with `build.privileged: true` or the entitlement
`security.insecure`. The step then runs like a privileged container:
every capability, no seccomp or AppArmor profile, the host's devices.
Whatever it runs (a package's install script, a downloaded tool, a
compromised dependency) can take over the machine that builds, which in
CI often holds the credentials to publish images and deploy. Builders
refuse it unless the insecure entitlement is allowed, which is why it
is easy to turn on everywhere once and forget.]],
  remediation = [==[
Remove `--security=insecure` and do the step without privileges: most
needs have a safe form (a cache or tmpfs mount instead of mount(2),
`--network=host` only where needed, building images with BuildKit
instead of Docker-in-Docker). If one step truly needs it, build that
step on a separate, disposable builder and keep the entitlement off
everywhere else:
    services:
      app:
        build:
          context: .
          # no privileged: true, no entitlements: [security.insecure]]==],
  check = function(subject)
    if model.is_image(subject) then
      local runs = model.instructions(subject, "RUN")
      for i = 1, #runs do
        local instr = runs[i]
        if instr.security == "insecure" then
          report(instr, "RUN --security=insecure runs this step with every privilege of the build host")
        end
      end
      return
    end
    local b = subject.build
    if b == nil then return end
    if b.privileged == true then
      report(b, "privileged", ("%s builds with build.privileged: every build step runs privileged")
        :format(model.describe(subject)))
    end
    if model.has(b.entitlements, "security.insecure") then
      report(b, "entitlements", ("%s allows the build the entitlement security.insecure (privileged RUN steps)")
        :format(model.describe(subject)))
    end
  end,
}
