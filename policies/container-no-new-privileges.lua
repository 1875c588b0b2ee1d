-- A container's processes may gain privileges through setuid programs.
-- (An item of the hardening baseline: its words are in lib/hardening.lua.)

return template.hardening_item("no_new_privileges")
