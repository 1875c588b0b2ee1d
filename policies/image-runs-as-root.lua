-- The final stage of an image runs as root.
local function is_root(user)
  -- USER name, name:group, uid or uid:gid; root is "root" or UID 0.
  local who = user:match("^([^:]*)")
  return who == "root" or who == "0" or who == ""
end

return {
  id = "image-runs-as-root",
  title = "Image runs as root",
  severity = "high",
  applies_to = "image",
  description = [[
The image's final stage never switches to an unprivileged user, or its
last USER is root (name "root" or UID 0). Every process in a container
started from it then runs as root. Should the process be compromised, or
escape through a kernel bug or a mounted host path, it keeps root's power.]],
  remediation = [[
Create an unprivileged user in the final stage and switch to it after the
steps that need root and before CMD or ENTRYPOINT:
    RUN useradd --system --uid 10001 --no-create-home app
    USER 10001
(on Alpine: adduser -S -u 10001 app). Use a numeric UID so that Kubernetes'
runAsNonRoot can verify it.]],
  refs = {
    cis = "4.1",
    hadolint = "DL3002",
    trivy = "DS002",
    kics = { "fd54f200", "67fd0c4a" },
    checkov = { "CKV_DOCKER_3", "CKV_DOCKER_8" },
  },
  check = function(image)
    if not image.final then return end
    local user = image.user
    if user == nil then
      report(image, "user", "the final stage never sets USER, so containers run as root")
    elseif is_root(user) then
      report(image, "user", ("the last USER is %q, so containers run as root"):format(user))
    end
  end,
}
