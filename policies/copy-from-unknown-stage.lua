-- COPY --from names no earlier stage and does not look like an image.

return {
  id = "copy-from-unknown-stage",
  title = "COPY --from names an unknown stage",
  severity = "low",
  applies_to = "image",
  description = [[
A COPY --from names something that is not an earlier stage of the file
and does not look like an image reference either (no tag, digest or
registry path), or a stage number that does not exist. It is usually a
typo or a stage renamed without updating its users; the builder then
tries to pull an image of that name from Docker Hub, which fails or,
worse, finds someone else's image.]],
  remediation = [[
Name an earlier stage exactly as its FROM ... AS line does, or a full
image reference with a tag:
    FROM node:22 AS assets
    ...
    COPY --from=assets /app/dist /srv/www
    COPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/
(A name given to `docker buildx build --build-context NAME=...` is fine:
suppress the finding for that line with a reason.)]],
  refs = {
    hadolint = "DL3022",
    kics = "68a51e22",
  },
  check = function(image, document)
    local copies = image.copies
    for i = 1, #copies do
      local copy = copies[i]
      local from = copy.from
      if from and copy.from_stage == nil and not from:find("%$") then
        local own = model.names_stage(image, from)
        if tonumber(from) and not own then
          report(copy, "from", ("COPY --from=%s: there is no stage %s before this one"):format(from, from))
        elseif not own and not from:find("[:@/]") then
          report(copy, "from", ("COPY --from=%s: no earlier stage has this name, and it is not a tagged image"):format(from))
        end
      end
    end
  end,
}
