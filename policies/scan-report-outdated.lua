-- A vulnerability scan report older than the days the data allows.

return {
  id = "scan-report-outdated",
  title = "Vulnerability scan report is out of date",
  severity = "medium",
  applies_to = "document",
  description = [[
The vulnerability scan report was made more days before this check than
data.scan_max_age_days allows (7 by default). Scanners' databases change
every day: a report from last month says nothing about the
vulnerabilities published since, so a gate that reads it passes images
it would fail today. The age is counted from the time the report records
(Trivy's CreatedAt, Grype's descriptor.timestamp, the SARIF invocation's
start time); a report that records none is not reported.]],
  remediation = [[
Scan the image again right before the check, in the same pipeline:
    trivy image -f json -o web.trivy.json registry.example.com/shop/web:1.4.2
    policy check compose.yaml web.trivy.json
To allow older reports, give a data file with another limit:
    scan_max_age_days: 14]],
  refs = {
    cis = "4.4",
  },
  check = function(document)
    if document.kind ~= "scan" then return end
    local scan = document.scan
    local max = data and data.scan_max_age_days or 7
    if scan.age_days == nil or scan.age_days <= max then return end
    report(scan, "created", ("the %s report on %s was made %d days ago (%s), more than the %d days allowed (data.scan_max_age_days): vulnerabilities published since are not in it")
      :format(scan.scanner, vulns.artifact(document), scan.age_days, scan.created, max))
  end,
}
