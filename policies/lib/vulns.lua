-- vulns: the vulnerabilities of scan reports (document.vulnerabilities,
-- docs/vulnerabilities.md), described the same way by every rule. No
-- function here ever returns text with "nil" in it: what a report does
-- not say is left out.

local vulns = {}

-- True when the vulnerability's severity is one of the list (severity
-- words, lower case: {"critical", "high"}).
function vulns.severity_in(v, list)
  for _, s in ipairs(list or {}) do
    if s == v.severity then return true end
  end
  return false
end

-- "libcurl4 7.88.1-10+deb12u3", "libcurl4", or "a package the report
-- does not name".
function vulns.package(v)
  local p = v.package
  if p == nil or p.name == nil then return "a package the report does not name" end
  if p.version == nil then return p.name end
  return p.name .. " " .. p.version
end

-- "CVE-2023-38545 (critical, CVSS 9.8) in libcurl4 7.88.1-10+deb12u3".
function vulns.describe(v)
  local rating = v.severity
  if v.cvss ~= nil then rating = ("%s, CVSS %.1f"):format(rating, v.cvss) end
  return ("%s (%s) in %s"):format(v.id, rating, vulns.package(v))
end

-- "7.0.5 or 6.0.6", or nil when the report lists no fixed version.
function vulns.fixed_in(v)
  local list = {}
  for _, f in ipairs(v.fixed_versions or {}) do list[#list + 1] = f end
  if #list == 0 then return nil end
  if #list == 1 then return list[1] end
  return table.concat(list, ", ", 1, #list - 1) .. " or " .. list[#list]
end

-- Where the package came from, when the report tells: "it came with the
-- base image", "it was added by the image's own build", or nil.
function vulns.origin(v)
  if v.base_layer == true then return "it came with the base image" end
  if v.base_layer == false then return "it was added by the image's own build" end
  return nil
end

-- "shipped by service api (compose.yaml:26, built from secure.Dockerfile)"
-- for the services, containers and images the report was linked to
-- (document.scan.shipped_by), or nil.
function vulns.shipped(document)
  local scan = document.scan
  local parts = {}
  for _, s in ipairs(scan and scan.shipped_by or {}) do
    local what = s.kind or "image"
    if s.name ~= nil then what = what .. " " .. s.name end
    local where = {}
    if s.file ~= nil then
      where[1] = s.file
      if s.line ~= nil and s.line > 0 then where[1] = where[1] .. ":" .. s.line end
    end
    if s.dockerfile ~= nil then where[#where + 1] = "built from " .. s.dockerfile end
    if #where > 0 then what = what .. " (" .. table.concat(where, ", ") .. ")" end
    parts[#parts + 1] = what
  end
  if #parts == 0 then return nil end
  return "shipped by " .. table.concat(parts, ", ")
end

-- The clauses that are known, joined: "; it came with the base image;
-- shipped by service web (compose.yaml:4)", or "".
function vulns.context(v, document)
  local out = ""
  for _, part in ipairs({ vulns.origin(v) or false, vulns.shipped(document) or false }) do
    if part then out = out .. "; " .. part end
  end
  return out
end

-- What the report is about: "registry.example.com/shop/web:1.4.2", or
-- "the scanned image" when it does not say.
function vulns.artifact(document)
  local scan = document.scan
  if scan ~= nil and scan.artifact_name ~= nil then return scan.artifact_name end
  return "the scanned image"
end

return vulns
