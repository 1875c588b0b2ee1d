-- The final stage of an image, or a container, runs as root.
local function is_root(user)
  -- USER name, name:group, uid or uid:gid; root is "root" or UID 0.
  local who = user:match("^([^:]*)")
  return who == "root" or who == "0" or who == ""
end

return {
  id = "image-runs-as-root",
  title = "Image or container runs as root",
  severity = "high",
  applies_to = { "image", "container" },
  description = [[
The image's final stage never switches to an unprivileged user, or its
last USER is root (name "root" or UID 0), or a container is configured to
run as root (Compose `user: root`, `docker inspect` showing an empty
Config.User or root). Every process in the container then runs as root.
Should the process be compromised, or escape through a kernel bug or a
mounted host path, it keeps root's power.]],
  remediation = [[
Create an unprivileged user in the final stage and switch to it after the
steps that need root and before CMD or ENTRYPOINT:
    RUN useradd --system --uid 10001 --no-create-home app
    USER 10001
(on Alpine: adduser -S -u 10001 app). Use a numeric UID so that Kubernetes'
runAsNonRoot can verify it. In Compose, remove `user: root` or set a
non-root user:
    services:
      web:
        user: "10001:10001"]],
  refs = {
    cis = "4.1",
    hadolint = "DL3002",
    trivy = "DS002",
    kics = { "fd54f200", "67fd0c4a" },
    checkov = { "CKV_DOCKER_3", "CKV_DOCKER_8" },
  },
  check = function(subject)
    if model.is_image(subject) then
      local image = subject
      if not image.final then return end
      local user = image.user
      if user == nil and image.origin ~= "dockerfile" then
        -- docker image inspect: no Config.User is root.
        report(image, "user", "the image sets no user (Config.User is empty), so containers run as root")
      elseif user == nil then
        report(image, "user", "the final stage never sets USER, so containers run as root")
      elseif is_root(user) then
        report(image, "user", ("the last USER is %q, so containers run as root"):format(user))
      end
      return
    end
    -- A container: what it was configured with, else what its image says.
    local c = subject
    if c.origin == "inspect" then
      -- docker inspect shows the user the container really runs as; empty is root.
      local user = c.user or ""
      if is_root(user) then
        if user == "" then
          report(c, "user", ("container %s runs as root: Config.User is empty"):format(c.name))
        else
          report(c, "user", ("container %s runs as root: Config.User is %q"):format(c.name, user))
        end
      end
      return
    end
    -- Compose (and create requests): only a user set on the service itself; an image that runs
    -- as root is reported at its Dockerfile, and an image pulled from a
    -- registry is unknown here (null), not root.
    if c.user ~= nil and c.user ~= "" and is_root(c.user) then
      report(c, "user", ("%s %s is set to run as %q, which is root"):format(model.container_kind(c), c.name, c.user))
    end
  end,
}
