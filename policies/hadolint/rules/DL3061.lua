-- DL3061: an instruction other than ARG before the first FROM.
return {
  id = "DL3061",
  title = "Instruction before the first FROM",
  severity = "high",
  applies_to = "image",
  description = [[
A Dockerfile must start with FROM; only ARG instructions, comments and
parser directives may come before it. Any other instruction there
belongs to no build stage, and docker build stops with "no build stage
in current context". The front end keeps such instructions in an
implicit stage (docs/model.md) so that the other rules still check
them; this rule reports each of them.]],
  remediation = [[
Move the instruction below the FROM of the stage it belongs to, or, if
the file is a fragment, add the FROM line it is meant to follow:
    ARG BASE_TAG=3.20
    FROM alpine:${BASE_TAG}
    RUN apk add --no-cache curl]],
  refs = { hadolint = "DL3061" },
  check = function(image)
    if not image.implicit then return end
    for _, instr in ipairs(image.instructions) do
      if instr.keyword ~= "ARG" then
        report(instr, instr.keyword .. " comes before the first FROM; a Dockerfile starts with FROM "
          .. "(only ARGs and comments may precede it)")
      end
    end
  end,
}
