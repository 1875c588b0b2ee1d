-- model: questions about the model's subjects (docs/model.md) that rules
-- keep asking: is it an image or a container, does a stage ship, which
-- values did a stage set itself.

local model = {}

-- True when a rule's subject is an image (a Dockerfile stage or an
-- inspected image), false when it is a container.
function model.is_image(subject)
  return model_type(subject) == "image"
end

-- True when the subject is a Dockerfile stage, whose instructions tell
-- what it set itself from what it inherited; false for an inspected
-- image or a container.
function model.is_stage(subject)
  return model_type(subject) == "image" and subject.origin == "dockerfile"
end

-- "service" for a Compose service, "container" for an inspected
-- container or a create request: the word for it in messages.
function model.container_kind(c)
  return c.origin == "compose" and "service" or "container"
end

-- How messages name a container: "service web" (Compose), "container
-- web" (docker inspect, a create request), "the container" when it has
-- no name (a create request without ?name=). Never "nil".
function model.describe(c)
  if c.name == nil then return "the " .. model.container_kind(c) end
  return model.container_kind(c) .. " " .. c.name
end

-- An image reference as messages show it: as written, followed by what
-- it expanded to when variables were in it: "python:${TAG}-slim
-- (python:3.10-slim)", "nginx:1.27".
function model.ref_text(ref)
  if ref.expanded ~= nil and ref.expanded ~= ref.raw then
    return ("%s (%s)"):format(ref.raw, ref.expanded)
  end
  return ref.raw
end

-- A USER value (name, name:group, uid or uid:gid) that means root: the
-- name "root" or UID 0 (an empty user part is root too).
function model.is_root_user(user)
  local who = user:match("^([^:]*)")
  return who == "root" or who == "0" or who == ""
end

-- The images of the document with what their stages inherit, found in
-- one pass: a new list in the order of document.images, each entry
-- {image = the image, parent = the entry of the stage it is built FROM
-- (nil for one built on an image), base = the ref at the root of its
-- FROM chain when that names an image to pull (model.pullable), else nil}.
-- Entries are yours to add fields to. The stages of one Dockerfile are
-- consecutive and numbered from 0 (a Compose document holds several).
function model.chains(document)
  local list, by_index = {}, {}
  local stages = document.images
  for i = 1, #stages do
    local image = stages[i]
    if image.index == 0 then by_index = {} end
    local parent = image.parent ~= nil and by_index[image.parent] or nil
    local e = { image = image, parent = parent }
    if parent then
      e.base = parent.base
    elseif model.pullable(image.from) then
      e.base = image.from
    end
    by_index[image.index] = e
    list[i] = e
  end
  return list
end

-- True when the list (a model list such as cap_drop, or a table; nil is
-- empty) holds value.
function model.has(list, value)
  local items = list or {}
  for j = 1, #items do
    local v = items[j]
    if v == value then return true end
  end
  return false
end

-- True when a ref (image.from, container.image, copy.from_image) names an
-- image to pull: not nil, not a stage, not scratch, not unresolved, not
-- invalid. A ref with a repository is a parsed reference (docs/model.md:
-- a stage's, scratch's, an unresolved or an invalid ref has none), so
-- that one read answers for most refs; the four flags are read only
-- for the others (an unset field is a call into C for each read).
function model.pullable(ref)
  if ref == nil then return false end
  if ref.repository ~= nil then return true end
  return not ref.stage and not ref.scratch and not ref.unresolved and not ref.error
end

-- True when `from`, as written in COPY --from or FROM, names the stage
-- `image` itself: by its name (case does not matter) or its index.
function model.names_stage(image, from)
  return (image.name ~= nil and from:lower() == image.name) or tonumber(from) == image.index
end

-- True when the stage ends up in the image that is built: the final stage
-- or one it is built FROM (directly or through other stages); the model
-- works it out once (image.ships). An inspected image ships.
function model.shipped(image, document)
  return image.ships == true
end

-- The names the stage's own `keyword` instructions ("ENV" or "LABEL")
-- set, each once, in order: a new list. image.env and image.labels also
-- hold what the stage inherited.
function model.set_names(image, keyword)
  local names, seen = {}, {}
  local instructions_list = image.instructions
  for j = 1, #instructions_list do
    local instr = instructions_list[j]
    if instr.keyword == keyword then
      for i = 1, #instr.args, 3 do -- name, value, separator
        local name = instr.args[i]
        if not seen[name] then
          seen[name] = true
          names[#names + 1] = name
        end
      end
    end
  end
  return names
end

-- The stage's own instructions with the keyword ("ARG", "WORKDIR"), in
-- order: a new list.
function model.instructions(image, keyword)
  local out = {}
  local instructions_list = image.instructions
  for j = 1, #instructions_list do
    local instr = instructions_list[j]
    if instr.keyword == keyword then out[#out + 1] = instr end
  end
  return out
end

-- The entries of image.expose that the stage's own EXPOSE instructions
-- wrote, in order: a new list (image.expose also holds inherited ones).
function model.own_expose(image)
  local mine, own = {}, {}
  local instructions_list = image.instructions
  for j = 1, #instructions_list do
    local instr = instructions_list[j]
    if instr.keyword == "EXPOSE" then
      for _, word in ipairs(instr.args) do mine[word] = true end
    end
  end
  local expose = image.expose
  for j = 1, #expose do
    local p = expose[j]
    if mine[p.raw] then own[#own + 1] = p end
  end
  return own
end

-- A container's resource limit (a field of container.resources: memory,
-- cpus, cpu_shares, pids_limit, ...) when it is set to more than 0, else
-- nil: resource_limit(c, "memory") is nil for a container without one.
function model.resource_limit(c, field)
  local v = c.resources and c.resources[field]
  if v == nil or v <= 0 then return nil end
  return v
end

return model
