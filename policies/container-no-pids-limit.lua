-- A container may start any number of processes.
-- (An item of the hardening baseline: its words are in lib/hardening.lua.)

return template.hardening_item("pids")
