-- DL3019: apk add without --no-cache.
return {
  id = "DL3019",
  title = "apk add without --no-cache",
  severity = "low",
  applies_to = "image",
  description = [[
apk add runs without --no-cache, so the package index it downloads stays
in /var/cache/apk and is stored in the image layer, where nothing needs
it at run time.]],
  remediation = [[
Use --no-cache, which fetches a fresh index and keeps nothing:
    RUN apk add --no-cache curl
(no need for apk update or rm -rf /var/cache/apk/*), or mount a BuildKit
cache at /var/cache/apk for that RUN step.]],
  refs = { hadolint = "DL3019", trivy = "DS025", kics = "ae9c56a6" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      if cmd.program == "apk" then
        local p = cmd.package
        if p and p.subcommand == "add" and not packages.option(p, "--no-cache")
           and not shell.cache_mounted(image, cmd.instruction, "/var/cache/apk") then
          report(cmd, "apk add without --no-cache keeps the package index in the layer")
        end
      end
    end
  end,
}
