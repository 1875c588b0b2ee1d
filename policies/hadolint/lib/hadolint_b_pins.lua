-- hadolint_b_pins: "an install names a package without a version", for
-- DL3033 (yum), DL3037 (zypper), DL3041 (dnf) and DL3062 (go). The
-- versions come from the model's parse (command.package.packages).

local pins = {}

-- True when a package of the parse needs no version: a local or remote
-- .rpm file, or a version (or name) taken from a build variable.
local function exempt(pkg)
  local raw = pkg.raw or pkg.name
  return raw:find("%.rpm$") ~= nil or raw:find("$", 1, true) ~= nil
end

-- Reports each command run by one of `programs` whose parse has a
-- subcommand in `subcommands` and names a package without a version
-- (for yum and dnf, `module install` of a module without a stream);
-- `skip(pkg)`, when given, exempts more packages. One finding per
-- command, naming the unpinned packages.
function pins.check(image, programs, subcommands, message, skip)
  for _, cmd in ipairs(image.commands) do
    if programs[cmd.program or ""] then
      local p = cmd.package
      local loose = {}
      if p and subcommands[p.subcommand or ""] and p.packages then
        for _, pkg in ipairs(p.packages) do
          if not pkg.version and not exempt(pkg) and not (skip and skip(pkg)) then
            loose[#loose + 1] = pkg.name
          end
        end
      elseif p and p.family == "rpm" and subcommands.install and p.subcommand == "module"
          and p.args and p.args[1] == "install" then
        -- `dnf module install name:stream[/profile]`: the stream is the
        -- version; a module without one follows the default stream.
        for i = 2, #p.args do
          local m = p.args[i]
          if not m:find(":", 1, true) and not m:find("$", 1, true) then loose[#loose + 1] = m end
        end
      end
      if #loose > 0 then report(cmd, message .. ": " .. table.concat(loose, ", ")) end
    end
  end
end

return pins
