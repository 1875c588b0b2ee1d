-- DL3028: gem install without pinned versions.
local pins = require "hadolint_a_pins"

return {
  id = "DL3028",
  title = "gem install without pinned versions",
  severity = "medium",
  applies_to = "image",
  description = [[
gem install names Ruby gems without a version. Each build installs the
newest release, so the image changes whenever a gem is published and a
new major version can break it without a change on your side.]],
  remediation = [[
Pin each gem, with -v or name:version:
    RUN gem install bundler -v 2.5.11
    RUN gem install rake:13.2.1
or install from a Gemfile.lock with bundle install.]],
  refs = { hadolint = "DL3028" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      local p = cmd.package
      if p and p.family == "gem" and (p.subcommand == "install" or p.subcommand == "i")
         and not packages.option(p, "-v", "--version") then
        local loose = pins.unpinned(p)
        if #loose > 0 then
          report(cmd, ("gem install without a version for %s; pin them with -v or name:version")
            :format(table.concat(loose, ", ")))
        end
      end
    end
  end,
}
