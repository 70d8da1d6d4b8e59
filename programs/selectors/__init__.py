"""Reads of programs, one module per subject: programs, centres, schedule, indicators, consistency."""
