# Sets up (if needed) and starts Sổ Văn Thư on Windows; extra arguments go to the app.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
if (-not (Test-Path ".venv\Scripts\python.exe")) { py -3 -m venv .venv }
.\.venv\Scripts\python.exe -m pip install --quiet -e ".[test]"
.\.venv\Scripts\python.exe -m app @args
exit $LASTEXITCODE
