-- shellcheck: the ShellCheck findings of each shell-form RUN, as hadolint
-- reports them (SCxxxx codes). The shellcheck program does the work
-- (the engine's `shellcheck`, for built-in rules only); this rule builds
-- each script the way the build's shell will see it and maps the places
-- back into the Dockerfile.

-- The shells ShellCheck knows, by the basename of the stage's shell.
local DIALECT = { sh = "sh", ash = "sh", busybox = "sh", bash = "bash", dash = "dash",
                  ksh = "ksh", mksh = "ksh", ksh93 = "ksh" }

-- hadolint's levels as severities.
local SEVERITY = { error = "high", warning = "medium", info = "low", style = "info" }

-- Always defined by the builder (BuildKit's proxy arguments).
local PROXIES = { "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY",
                  "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy" }

-- The dialect of a SHELL argv or of a shebang's interpreter, or nil (a
-- shell ShellCheck cannot check: pwsh, cmd, python, ...).
local function dialect_of(program, arg1)
  local base = text.base(program or "")
  if base == "env" then base = text.base(arg1 or "") end
  return DIALECT[base]
end

-- The names ARG and ENV instructions of a stage define, into `names`;
-- ENV names into `env` too (an ONBUILD trigger runs in a later build,
-- where this file's ARGs do not exist but the image's ENV does).
local function define(names, instr, env)
  if instr.keyword == "ARG" then
    for _, a in ipairs(instr.args) do
      local name = a:match("^([%a_][%w_]*)")
      if name then names[name] = true end
    end
  elseif instr.keyword == "ENV" then
    local args = instr.args
    for i = 1, #args, 3 do -- key, value, separator triples
      if args[i]:match("^[%a_][%w_]*$") then names[args[i]], env[args[i]] = true, true end
    end
  end
end

-- The names a stage starts with (its parents' ARG and ENV, all of them),
-- and the shell it starts with (its parent's last, else /bin/sh).
local function inherited(document, image)
  local names, env, chain, p = {}, {}, {}, image.parent
  while p ~= nil and #chain < 64 do
    local parent = document.images[p + 1]
    chain[#chain + 1] = parent
    p = parent.parent
  end
  for k = #chain, 1, -1 do
    for _, instr in ipairs(chain[k].instructions) do define(names, instr, env) end
  end
  local shell = chain[1] and chain[1].shell
  if shell == nil or shell[1] == nil then return names, env, "sh" end
  return names, env, dialect_of(shell[1], shell[2])
end

-- One line that defines the names, so SC2154 (referenced but not
-- assigned) stays quiet on them; the script's line 1 follows it.
local function prefix(names)
  local list = {}
  for _, n in ipairs(PROXIES) do list[#list + 1] = n .. "=1" end
  local sorted = {}
  for n in pairs(names) do sorted[#sorted + 1] = n end
  table.sort(sorted)
  for _, n in ipairs(sorted) do list[#list + 1] = n .. "=1" end
  return "export " .. table.concat(list, " ") .. "\n"
end

-- A heredoc-only RUN (`RUN <<EOF`): the body is the script.
local function bare_heredoc(instr)
  local hd = instr.heredocs
  return hd and #hd == 1 and instr.args[1] and instr.args[1]:match("^%s*<<%-?[\"']?[%w_.-]+[\"']?%s*$") ~= nil
end

-- The script of a RUN and where its lines are: returns the script, its
-- dialect (nil: not checked) and a function from the script's (line,
-- column) to the Dockerfile's, and false when that is only the
-- instruction's place; nil for a place not in the RUN's text.
local function script_of(instr, dialect)
  local line, column, end_line = position(instr)
  if line == nil then return nil end
  local heredocs = instr.heredocs or {}
  -- Heredoc bodies follow the RUN's first line, one after the other,
  -- each closed by its delimiter line; lines and columns are kept.
  if bare_heredoc(instr) then
    local body = heredocs[1].body
    local interp, arg1 = body:match("^#!%s*(%S+)%s*(%S*)")
    if interp then
      dialect = dialect_of(interp, arg1)
      body = "#" .. body:sub(#body:match("^[^\n]*") + 1) -- the line stays, the shebang goes
    end
    return body, dialect, function(l, c)
      if l < 1 or line + l > end_line then return nil end
      return line + l, c
    end
  end
  local command = instr.args[1] or ""
  local script = command
  for _, hd in ipairs(heredocs) do script = script .. "\n" .. hd.body .. hd.name end
  -- The command's first line: where the body starts after `RUN` and its
  -- flags when the command is one line; the instruction's own place when
  -- continuation lines were joined (where they broke is not in the model).
  local one_line = line == end_line or #heredocs > 0
  local orig = instr.original
  local start = (one_line and orig:sub(-#command) == command) and column + #orig - #command or nil
  -- Script line l > 1 is a line of the heredoc bodies and delimiters,
  -- which follow the RUN's first line as written.
  return script, dialect, function(l, c)
    if l < 1 then return nil end -- the line of predefined names
    if l == 1 then
      if start then return line, start + c - 1 end
      return line, column, false -- the instruction's place: columns are lost
    end
    if l > end_line - line + 1 then return nil end
    return line + l - 1, c
  end
end

local function check_run(instr, node, dialect, names)
  if instr.json then return end -- exec form: no shell runs
  local script, d, place = script_of(instr, dialect)
  if script == nil or d == nil or script:match("^%s*$") then return end
  local found = shellcheck(node, prefix(names) .. script, d)
  for _, f in ipairs(found or {}) do
    local line, col, exact = place(f.line - 1, f.column)
    if line then
      local opts = { code = f.code, severity = SEVERITY[f.level], line = line, column = col }
      local end_line, end_col = place(f.end_line - 1, f.end_column)
      if exact ~= false and end_line == line and end_col and end_col >= col then
        opts.end_column = end_col
      end
      report(node, f.message, opts)
    end
  end
end

return {
  id = "shellcheck",
  codes = "SC",
  title = "ShellCheck finding in a RUN script",
  severity = "low",
  applies_to = "image",
  profile = "default",
  description = [[
Each shell-form RUN (ONBUILD RUN too) is checked with ShellCheck, when the
shellcheck program is installed, as the stage's shell (SHELL, else
/bin/sh) will run it; not at all after a SHELL, or a `# hadolint
shell=` comment, naming a shell ShellCheck does not know (pwsh, cmd). The ARG and ENV names the stage defined before the
RUN (and those of the stages it is built FROM) count as defined; for an
ONBUILD RUN only the ENV names, as its later build has no ARG of this file. Each
finding carries ShellCheck's code (SC2086, ...), which names it in
reports, in `# hadolint ignore=SC2086` and in ignores. Without the
program a run says so once and reports none.]],
  remediation = [[
Follow ShellCheck's advice for the code (https://www.shellcheck.net/wiki/
followed by the code), or ignore the code where it does not apply.]],
  refs = {},
  check = function(image, document)
    -- `# hadolint shell=pwsh` declares a base image whose shell ShellCheck
    -- cannot check: the stage is left alone, as hadolint leaves it.
    if image.declared_shell and dialect_of(image.declared_shell) == nil then return end
    local names, env, dialect = inherited(document, image)
    for _, instr in ipairs(image.instructions) do
      local k = instr.keyword
      if k == "SHELL" then
        dialect = dialect_of(instr.args[1], instr.args[2])
      elseif k == "RUN" then
        if dialect then check_run(instr, instr, dialect, names) end
      elseif k == "ONBUILD" and instr.trigger and instr.trigger.keyword == "RUN" then
        if dialect then check_run(instr.trigger, instr.trigger, dialect, env) end
      else
        define(names, instr, env)
      end
    end
  end,
}
