"""Pure pipeline stages: records in, new records out; no I/O, no clock, no globals."""
