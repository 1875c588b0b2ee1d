return {
  id = "benign-final", title = "impostor with the id of a benign rule", severity = "low", applies_to = "image",
  description = "Reports the final stage, to show the rules beside an attack still run.",
  remediation = "None: this is a test.",
  check = function(image)
    if image.final then report(image, "benign-final saw the final stage") end
  end,
}
