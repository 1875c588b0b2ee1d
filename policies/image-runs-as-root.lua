-- The final stage of an image, or a container, is set to run as root.

return {
  id = "image-runs-as-root",
  title = "Image or container set to run as root",
  severity = "high",
  applies_to = { "image", "container" },
  description = [[
The image's final stage switches to root (its last USER is "root" or
UID 0, here or in the stage it is built FROM), an inspected image or
container runs as root (docker inspect shows an empty Config.User, which
Docker fills from the image's USER), or a Compose service is configured
with `user: root`. Every process in the container then runs as root.
Should the process be compromised, or escape through a kernel bug or a
mounted host path, it keeps root's power. A final stage that sets no
USER at all is image-user-not-set's finding: there the base image's
user decides.]],
  remediation = [[
Create an unprivileged user in the final stage and switch to it after the
steps that need root and before CMD or ENTRYPOINT:
    RUN useradd --system --uid 10001 --no-create-home app
    USER 10001
(on Alpine: adduser -S -u 10001 app). Use a numeric UID so that Kubernetes'
runAsNonRoot can verify it. If the entrypoint must start as root and
steps down itself (gosu, su-exec), start it with the tool:
ENTRYPOINT ["gosu", "app", "/app/server"]. In Compose, remove
`user: root` or set a non-root user:
    services:
      web:
        user: "10001:10001"]],
  refs = {
    cis = "4.1",
    hadolint = "DL3002",
    trivy = "DS002",
    kics = "67fd0c4a",
    checkov = "CKV_DOCKER_8",
  },
  check = function(subject)
    if model.is_image(subject) then
      local image = subject
      if not image.final then return end
      local user = image.user
      if user == nil and image.origin ~= "dockerfile" then
        -- docker image inspect: no Config.User is root.
        report(image, "user", "the image sets no user (Config.User is empty), so containers run as root")
      elseif user ~= nil and model.is_root_user(user) then
        if shell.steps_down(image.entrypoint) or shell.steps_down(image.cmd) then return end
        local message = ("the last USER is %q, so containers run as root"):format(user)
        local tool = shell.installs_step_down(image)
        if tool then
          message = message .. ("; the image installs %s: if its entrypoint steps down to another user, "
            .. "suppress this finding with that reason"):format(tool)
        end
        report(image, "user", message)
      end
      return
    end
    -- A container: what it was configured with, else what its image says.
    local c = subject
    if c.origin == "inspect" then
      -- docker inspect shows the user the container really runs as; empty is root.
      local user = c.user or ""
      if model.is_root_user(user) then
        if user == "" then
          report(c, "user", ("%s runs as root: Config.User is empty"):format(model.describe(c)))
        else
          report(c, "user", ("%s runs as root: Config.User is %q"):format(model.describe(c), user))
        end
      end
      return
    end
    -- Compose (and create requests): only a user set on the service itself; an image that runs
    -- as root is reported at its Dockerfile, and an image pulled from a
    -- registry is unknown here (null), not root.
    if c.user ~= nil and c.user ~= "" and model.is_root_user(c.user) then
      report(c, "user", ("%s is set to run as %q, which is root"):format(model.describe(c), c.user))
    end
  end,
}
