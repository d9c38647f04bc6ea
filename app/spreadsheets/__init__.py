"""Excel workbooks (openpyxl is only imported under this package): register export and import, reports."""
