-- The final stage sets no USER, on a base image not known to run as another user.

-- The first stage of a FROM chain (an entry of model.chains).
local function root_of(e)
  while e.parent do e = e.parent end
  return e
end

-- The first stage of the chain that sets an ENTRYPOINT, or nil.
local function own_entrypoint(e)
  while e do
    local instructions = e.image.instructions
    for i = 1, #instructions do
      local instr = instructions[i]
      if instr.keyword == "ENTRYPOINT" then return instr end
    end
    e = e.parent
  end
  return nil
end

-- The step-down tool a stage of the chain installs, or nil.
local function installed_step_down(e)
  while e do
    local tool = shell.installs_step_down(e.image)
    if tool then return tool end
    e = e.parent
  end
  return nil
end

-- The bases known to run as another user, indexed once per engine.
local NONROOT = images.index(data and data.nonroot_images)

-- A known entry that says the base runs as root is no help.
local function known_user(ref)
  local e = ref and images.lookup(ref, data and data.nonroot_images, NONROOT)
  if e == nil or e.user == nil or tostring(e.user):match("^root") or tostring(e.user) == "0" then return nil end
  return e
end

-- What the finding says about a final stage without USER, or nil when it
-- runs as another user than root after all.
local function problem(e)
  local image, base = e.image, e.base
  if shell.steps_down(image.entrypoint) or shell.steps_down(image.cmd) then return nil end
  local known = known_user(base)
  if known and known.steps_down then
    local entrypoint = own_entrypoint(e)
    if entrypoint == nil then return nil end -- the base's entrypoint steps down
    return ("the final stage sets no USER, and its ENTRYPOINT (line %d) replaces the one of %s, which starts "
      .. "as root and steps down to %s with %s: unless the new one steps down too, containers run as root")
      :format(entrypoint.line, model.ref_text(base), tostring(known.user), tostring(known.steps_down))
  elseif known then
    return nil
  end
  local message
  if base then
    message = ("the final stage sets no USER: containers run as the default user of %s, which is root "
      .. "unless that image sets another"):format(model.ref_text(base))
  else
    local from = root_of(e).image.from
    if from and from.scratch then
      message = "the final stage, built FROM scratch, sets no USER, so containers run as root (UID 0)"
    else
      message = ("the final stage sets no USER and its base image%s is not known: containers run as that "
        .. "image's default user, root unless it sets another"):format(from and " " .. model.ref_text(from) or "")
    end
  end
  local tool = installed_step_down(e)
  if tool then
    message = message .. ("; the image installs %s: if its entrypoint steps down to another user, "
      .. "suppress this finding with that reason"):format(tool)
  end
  return message
end

return {
  id = "image-user-not-set",
  title = "Final stage sets no user",
  severity = "medium",
  applies_to = "document",
  description = [[
The final stage of a Dockerfile (or the stages it is built FROM) never
sets USER, so containers run as the base image's default user. For
most base images (debian, ubuntu, alpine, python, node, golang, ...)
that is root, and for FROM scratch it always is; every process in the
container then runs as root, and a compromise or an escape keeps
root's power. Bases the pack knows to run as another user are not
reported (policies/data/nonroot-images.yaml: the Elastic images, bitnami,
distroless :nonroot, *-unprivileged, ...), nor are official images
whose entrypoint steps down from root itself (postgres, redis, mongo,
...) while the Dockerfile keeps that entrypoint, nor an ENTRYPOINT or
CMD that starts with gosu, su-exec, setpriv or runuser.]],
  remediation = [[
Create an unprivileged user in the final stage and switch to it after the
steps that need root and before CMD or ENTRYPOINT:
    RUN useradd --system --uid 10001 --no-create-home app
    USER 10001
(on Alpine: adduser -S -u 10001 app). Use a numeric UID so that
Kubernetes' runAsNonRoot can verify it. If your base image runs as
another user already, add it to your own list with --data (the format of
nonroot-images.yaml), or suppress the finding with that reason:
    # policy ignore=image-user-not-set -- the base runs as UID 1000]],
  refs = {
    cis = "4.1",
    trivy = "DS002",
    kics = "fd54f200",
    checkov = "CKV_DOCKER_3",
  },
  check = function(document)
    local chains = model.chains(document)
    for i = 1, #chains do
      local e = chains[i]
      local image = e.image
      if image.final and image.origin == "dockerfile" and image.user == nil then
        local message = problem(e)
        if message then report(image, message) end
      end
    end
  end,
}
