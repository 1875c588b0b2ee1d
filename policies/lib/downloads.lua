-- downloads: the files RUN steps download (curl, wget) and what the stage
-- then does with them: checks them against a checksum or signature, runs
-- them with an interpreter, makes them executable, puts them in a bin
-- folder. One pass over a stage's commands.

local downloads = {}

-- Programs that check a file against a checksum or a signature.
local CHECKERS = {
  sha1sum = true, sha224sum = true, sha256sum = true, sha384sum = true, sha512sum = true,
  md5sum = true, shasum = true, b2sum = true, cksum = false, gpg = true, gpgv = true,
  cosign = true, minisign = true, signify = true, ["slsa-verifier"] = true,
}
-- Interpreters that run a script file named as their first argument.
local INTERPRETERS = {
  sh = true, bash = true, dash = true, ash = true, zsh = true, ksh = true, fish = true,
  python = true, perl = true, ruby = true, node = true, php = true, pwsh = true,
}
-- curl's short options that take a value: in -fsSLo file, "o" ends the
-- cluster (there is no "O" among them).
local CURL_VALUE = "[oHdeuXAbcCDEFKmrTwxyYzPQUt]"
local BIN = { "/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin" }
local byte, sub, find = string.byte, string.sub, string.find

-- The URL among a command's words (the first with a scheme), or nil. A
-- plain search for "://" first: most words have none.
local function url_of(words)
  for i = 2, #words do
    local w = words[i]
    if find(w, "://", 2, true) and w:match("^%a[%w+.-]*://") then return w end
  end
  return nil
end

-- The file name a URL's path ends with ("get-pip.py"), or nil.
local function url_name(url)
  local path = url:gsub("[?#].*$", "")
  local name = path:match("/([^/]+)$")
  if name == nil or path:match("^%a[%w+.-]*://[^/]*$") then return nil end
  return name
end

-- Where curl writes its download: the path of -o/--output, or the URL's
-- file name with -O/--remote-name (under --output-dir); nil for
-- standard output.
local function curl_output(w, url)
  local out, remote, dir = nil, false, nil
  local i = 2
  while w[i] do
    local a = w[i]
    local b1, b2 = byte(a, 1, 2)
    if b1 ~= 45 then -- not an option
    elseif a == "-o" or a == "--output" then out = w[i + 1]; i = i + 1
    elseif a == "-O" or a == "--remote-name" then remote = true
    elseif b2 == 45 then
      if sub(a, 1, 9) == "--output=" then out = sub(a, 10)
      elseif a == "--output-dir" then dir = w[i + 1]; i = i + 1 end
    else
      -- A cluster (-fsSLo): an "O" before the first option that takes a
      -- value; that one takes the rest, or the next word.
      local k = find(a, CURL_VALUE, 2)
      local o = find(a, "O", 2, true)
      if o and (k == nil or o < k) then remote = true end
      if k then
        local value = sub(a, k + 1)
        if value == "" then value = w[i + 1]; i = i + 1 end
        if byte(a, k) == 111 then out = value end -- "o"
      end
    end
    i = i + 1
  end
  if out == "-" then return nil end
  if out == nil and remote and url then out = url_name(url) end
  if out and dir and out:sub(1, 1) ~= "/" then out = dir .. "/" .. out end
  return out
end

-- Where wget writes: -O/--output-document (or -qO file), else the URL's
-- file name under -P; nil for standard output.
local function wget_output(w, url)
  local out, dir = nil, nil
  local i = 2
  while w[i] do
    local a = w[i]
    local b1, b2 = byte(a, 1, 2)
    if b1 ~= 45 then -- not an option
    elseif a == "-O" or a == "--output-document" then out = w[i + 1]; i = i + 1
    elseif a == "-P" or a == "--directory-prefix" then dir = w[i + 1]; i = i + 1
    elseif b2 == 45 then
      if sub(a, 1, 18) == "--output-document=" then out = sub(a, 19)
      elseif sub(a, 1, 19) == "--directory-prefix=" then dir = sub(a, 20) end
    else
      local value = a:match("^%-%a*O(.*)$")
      if value == "" then value = w[i + 1]; i = i + 1 end
      if value then out = value end
    end
    i = i + 1
  end
  if out == "-" then return nil end
  if out == nil and url then out = url_name(url) end
  if out and dir and out:sub(1, 1) ~= "/" then out = dir .. "/" .. out end
  return out
end

-- True when a path lies in a folder of programs (/usr/local/bin, ...).
local function in_bin(path)
  for j = 1, #BIN do
    local dir = BIN[j]
    if path == dir or path:sub(1, #dir + 1) == dir .. "/" then return true end
  end
  return false
end

-- True when a path is one of the bin folders itself.
local function is_bin_folder(path)
  for j = 1, #BIN do
    local dir = BIN[j]
    if path == dir then return true end
  end
  return false
end

-- True when a chmod mode makes a file executable (+x, u+x, 755, 0700).
local function executable_mode(mode)
  if mode:match("^0?[0-7]?[1357][0-7][0-7]$") then return true end
  return mode:match("^[ugoa]*[+=][rwxXst]*x") ~= nil
end

-- True when the URL names a branch that moves (master, main, HEAD) or
-- the latest release, rather than a fixed version.
function downloads.moving(url)
  return url ~= nil and (url:find("/master/", 1, true) or url:find("/main/", 1, true)
    or url:find("/HEAD/", 1, true) or url:find("refs/heads/", 1, true)
    or url:find("/latest/download/", 1, true)) ~= nil
end

-- The files the stage downloads to, in order: a new list of
-- {cmd = the download, url, path = as written, name = its base name,
--  verified = true when a checksum or signature check (naming the file,
--  or reading a list of sums, sha256sum -c) follows it in the stage,
--  run_by = the command that runs it as a script or program, if any,
--  checked_before_run = such a check came before run_by,
--  executable = the command that makes it executable (chmod +x, install
--  -m 755, or extracting it into a bin folder), in_bin = it is written
--  into a bin folder (directly, or moved or copied there), unpacked = it
--  is an archive unpacked into a bin folder}.
function downloads.stage(image)
  local list, by_name = {}, {}
  local function downloaded(word)
    -- A word without "/" is its own base name.
    if not find(word, "/", 1, true) then return by_name[word] end
    return by_name[paths.base(paths.trim(word))]
  end
  local commands_list = image.commands
  for j = 1, #commands_list do
    local cmd = commands_list[j]
    local prog = cmd.program
    -- Until something is downloaded, only curl and wget matter. The
    -- words (a list the model makes for Lua when first read) are read
    -- by the branches that look at them only.
    local active = (prog == "curl" or prog == "wget" or #list > 0) and prog
    if not active then -- nothing to look at
    elseif prog == "curl" or prog == "wget" then
      local w = cmd.words
      local url = url_of(w)
      local path = prog == "curl" and curl_output(w, url) or wget_output(w, url)
      if url and path then
        local d = { cmd = cmd, url = url, path = path, name = paths.base(path), verified = false,
                    in_bin = in_bin(path) }
        list[#list + 1] = d
        by_name[d.name] = d
      end
    elseif CHECKERS[prog] then
      local w = cmd.words
      local named = false
      for i = 2, #w do
        local d = downloaded(w[i])
        if d then d.verified = true; named = true end
      end
      -- sha256sum -c - (sums from standard input) or -c SUMS: what was
      -- downloaded so far is checked.
      if not named then
        for i = 2, #w do
          if w[i] == "-c" or w[i] == "--check" or w[i]:match("^%-%a*c%a*$") or w[i] == "--verify" then
            for _, d in ipairs(list) do d.verified = true end
            break
          end
        end
      end
    elseif prog == "chmod" then
      local w = cmd.words
      local mode = nil
      for i = 2, #w do
        local a = w[i]
        if mode == nil and not a:match("^%-") then mode = a
        elseif mode and executable_mode(mode) then
          local d = downloaded(a)
          if d then d.executable = d.executable or cmd end
        end
      end
    elseif prog == "install" or prog == "mv" or prog == "cp" then
      local w = cmd.words
      local mode, args = nil, {}
      local i = 2
      while w[i] do
        local a = w[i]
        if a == "-m" or a == "--mode" then mode = w[i + 1]; i = i + 1
        elseif a:match("^%-%-mode=") then mode = a:match("=(.*)$")
        elseif a:sub(1, 1) ~= "-" then args[#args + 1] = a end
        i = i + 1
      end
      local dest = args[#args]
      for k = 1, #args - 1 do
        local d = downloaded(args[k])
        if d and dest then
          if in_bin(dest) then d.in_bin = true end
          if prog == "install" and (mode == nil or executable_mode(mode)) then d.executable = d.executable or cmd end
          -- The file keeps being itself under its new name (into a
          -- folder: its own name).
          local trimmed = paths.trim(dest)
          local into_folder = dest:sub(-1) == "/" or #args > 2 or is_bin_folder(trimmed)
          by_name[into_folder and d.name or paths.base(trimmed)] = d
        end
      end
    elseif prog == "tar" or prog == "unzip" then
      local w = cmd.words
      local archive, into = nil, nil
      for i = 2, #w do
        local a = w[i]
        if (a == "-C" or a == "--directory" or a == "-d") and w[i + 1] then into = w[i + 1] end
        local d = downloaded(a)
        if d then archive = d end
      end
      if archive and into and in_bin(paths.trim(into)) then
        archive.in_bin = true
        archive.unpacked = true
        archive.executable = archive.executable or cmd
      end
    else
      -- Run as a script: an interpreter with the file as its first
      -- argument, `. file`, or the file's path as the program.
      local last = prog:byte(-1) -- python3.12 -> python, only when it ends so
      local generic = (last == 46 or (last >= 48 and last <= 57)) and prog:gsub("[%d.]+$", "") or prog
      local script = nil
      if INTERPRETERS[generic] then
        local w = cmd.words
        for i = 2, #w do
          if w[i]:sub(1, 1) ~= "-" then script = w[i]; break end
          if w[i] == "-c" or w[i] == "-e" or w[i] == "-m" then break end
        end
      elseif prog == "." or prog == "source" then
        script = cmd.words[2]
      elseif by_name[prog] or prog == "" then
        -- A program run by its path is found by its base name, which
        -- is prog (argv is read only when a download has that name; ""
        -- is a path ending in "/").
        local path, slash = shell.command_word(cmd)
        if slash then script = path end
      end
      local d = script and downloaded(script)
      if d and not d.run_by then
        d.run_by = cmd
        d.checked_before_run = d.verified
      end
    end
  end
  return list
end

return downloads
