-- refs: image references against the approved registries.
local refs = {}

-- "registry/repository" of a parsed reference (docker.io for Docker Hub).
function refs.location(ref)
  return (ref.registry or "docker.io") .. "/" .. (ref.repository or "")
end

-- Whether the reference comes from one of `approved` ("host" or
-- "host/prefix"): the host must match, and a prefix whole path parts.
function refs.approved(ref, approved)
  local where = refs.location(ref)
  for _, entry in ipairs(approved) do
    if where == entry or where:sub(1, #entry + 1) == entry .. "/" then return true end
  end
  return false
end

-- Whether a reference names an image somewhere (not an earlier stage,
-- scratch, an image ID, or text a variable left unknown).
function refs.pullable(ref)
  return ref ~= nil and ref.registry ~= nil and not ref.unresolved and ref.error == nil
end

return refs
