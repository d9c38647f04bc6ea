"""Pure domain rules (standard library and dateutil only): formats, dates, text, records."""
