local org = require "org"
local refs = require "refs"

return {
  id = "org-approved-registry",
  title = "Image from a registry the organisation has not approved",
  severity = "high",
  applies_to = { "image", "container" },
  description = [[
Example Org pulls images only from registries it controls or has vetted
(data.org.approved_registries): their images are scanned, mirrored and
kept. An image from anywhere else can change or vanish without notice and
has passed none of those checks.]],
  remediation = [[
Use the mirror of the image in an approved registry:

    FROM registry.example.com/library/alpine:3.20

or ask the platform team to approve the registry (data/org.yaml).]],
  check = function(subject)
    -- A stage's base image, or the image a container runs.
    local field = model_type(subject) == "image" and "from" or "image"
    local ref = subject[field]
    if not refs.pullable(ref) then return end
    if refs.approved(ref, org.approved_registries()) then return end
    report(subject, field, string.format("%s comes from %s, which is not an approved registry (%s)",
      ref.expanded or ref.raw, ref.registry, table.concat(org.approved_registries(), ", ")))
  end,
}
