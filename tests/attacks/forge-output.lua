-- expect: findings=1
-- Newlines, terminal escapes and bidi overrides in a message: a fake
-- finding, a fake summary, cursor moves. Text output must keep one line.
return {
  id = "attack-forge-output", title = "attack\n/etc/shadow:1:1: critical [fake] title", severity = "low",
  applies_to = "image", description = "d", remediation = "r",
  check = function(image)
    if not image.final then return end
    report(image, "real\n/etc/passwd:1:1: critical [root-login] fake finding\n"
      .. "0 files checked: 0 findings, 0 suppressed, 0 errors\n"
      .. "\27[2J\27[1;1H\27]0;owned\7\226\128\174reversed\226\128\172\194\155 end")
  end,
}
