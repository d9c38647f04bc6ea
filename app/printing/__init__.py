"""Printouts (reportlab only here): records in, PDF out — stamp, slips, receipts, register books."""
