-- A container has no CPU limit or share.
-- (An item of the hardening baseline: its words are in lib/hardening.lua.)

return template.hardening_item("cpus")
