-- The base image's own layers carry critical or high vulnerabilities that
-- have fixes: the base is out of date.

-- "CVE-2024-2961 in libc-bin, CVE-2024-2961 in libc6 and 3 more".
local function listing(found)
  local names = {}
  for i = 1, math.min(#found, 3) do
    local p = found[i].package
    local pkg = p and p.name
    names[#names + 1] = pkg and (found[i].id .. " in " .. pkg) or found[i].id
  end
  local text = table.concat(names, ", ")
  if #found > 3 then text = text .. (" and %d more"):format(#found - 3) end
  return text
end

return {
  id = "vulnerable-base-image",
  title = "Base image has fixable vulnerabilities",
  severity = "medium",
  applies_to = "document",
  description = [[
A vulnerability scan report shows critical or high vulnerabilities with a
fix in the layers that came with the base image, not in the ones the
image's own build added. The base image is older than its maintainers'
latest build of the same tag, or the tag itself is no longer maintained:
the fix is a rebuild on a fresh base, not a change to your own
instructions. Which layers are the base image's is read from the image
history in the report (Trivy and Grype give it; Docker Scout's SARIF does
not): the layers made before the base image's last CMD. The same
vulnerabilities are also reported one by one by vulnerability-fixable;
this finding says where to fix them. The severities counted come from
data.scan_fixable_severities; vulnerabilities under an exception of
.policy.yaml are not counted.]],
  remediation = [[
Rebuild on the newest build of the base image, and pin it so the next
update is a deliberate change:
    docker build --pull -t registry.example.com/shop/web:1.4.3 .
    FROM debian:12.8-slim@sha256:<digest of the current build>
If the tag no longer gets updates (an end-of-life release), move to a
supported one (debian:12-slim instead of debian:11-slim). Automated
updates (Renovate, Dependabot) can keep the digest current.]],
  refs = {
    cis = "4.4",
  },
  check = function(document)
    if document.kind ~= "scan" then return end
    local severities = data and data.scan_fixable_severities or { "critical", "high" }
    local base, own = {}, 0
    for _, v in ipairs(document.vulnerabilities) do
      if v.exception == nil and v.fix_state == "fixed" and vulns.severity_in(v, severities) then
        if v.base_layer == true then base[#base + 1] = v
        elseif v.base_layer == false then own = own + 1 end
      end
    end
    if #base == 0 then return end
    local scan = document.scan
    local layers = scan.base_layers == 1 and "its first layer" or ("its first %d layers"):format(scan.base_layers)
    local msg = ("the base image of %s (%s) carries %d fixable %s vulnerabilit%s: %s; rebuild on an updated base image")
      :format(vulns.artifact(document), layers, #base, table.concat(severities, " or "),
              #base == 1 and "y" or "ies", listing(base))
    if own > 0 then
      msg = msg .. (" (%d more %s in layers the image's own build added)"):format(own, own == 1 and "is" or "are")
    end
    local shipped = vulns.shipped(document)
    if shipped then msg = msg .. "; " .. shipped end
    report(scan, msg)
  end,
}
